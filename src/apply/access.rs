//! Does the identity in the kubeconfig have the rights to apply a partner? Checked before the
//! first write, so a user allowed only some kinds gets a list of what is missing instead of a
//! half-applied partner (a Namespace, a quota, a service account, then `Forbidden`).
//!
//! Server-side apply needs `get`, `create` and `patch` on each kind. The rules of the partner's
//! namespace come from one `SelfSubjectRulesReview`; cluster-scoped kinds, and every question
//! the rules review cannot answer (an authorizer that does not list rules), are asked with a
//! `SelfSubjectAccessReview` each.

use super::client::{api_resource, explain, Failure};
use crate::lower::Object;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, ResourceRule, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec, SelfSubjectRulesReview,
    SelfSubjectRulesReviewSpec,
};
use kube::api::{Api, PostParams};
use kube::Client;

/// The verbs server-side apply needs.
pub const VERBS: [&str; 3] = ["get", "create", "patch"];

/// One right: a verb on a resource (`deployments.apps`), in a namespace or cluster-wide.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Right {
    pub verb: &'static str,
    pub group: String,
    pub resource: String,
    pub namespace: Option<String>,
}

impl Right {
    /// `patch deployments.apps in bd-news`, `create namespaces (cluster-wide)`.
    pub fn describe(&self) -> String {
        let resource =
            if self.group.is_empty() { self.resource.clone() } else { format!("{}.{}", self.resource, self.group) };
        match &self.namespace {
            Some(ns) => format!("{} {resource} in {ns}", self.verb),
            None => format!("{} {resource} (cluster-wide)", self.verb),
        }
    }
}

/// The rights applying `objects` needs, without repeats, in a stable order.
pub fn needed(objects: &[Object]) -> Vec<Right> {
    let mut out: Vec<Right> = Vec::new();
    for o in objects {
        let (ar, namespaced) = api_resource(o);
        for verb in VERBS {
            let right = Right {
                verb,
                group: ar.group.clone(),
                resource: ar.plural.clone(),
                namespace: if namespaced { o.namespace().map(str::to_string) } else { None },
            };
            if !out.contains(&right) {
                out.push(right);
            }
        }
    }
    out
}

/// Whether a rule grants `right` (any object name: a rule limited to names does not).
pub fn grants(rule: &ResourceRule, right: &Right) -> bool {
    let any = |list: &[String], want: &str| list.iter().any(|x| x == "*" || x == want);
    let names = rule.resource_names.as_ref().is_some_and(|n| !n.is_empty());
    !names
        && any(&rule.verbs, right.verb)
        && any(rule.api_groups.as_deref().unwrap_or_default(), &right.group)
        && any(rule.resources.as_deref().unwrap_or_default(), &right.resource)
}

/// Answers of `SelfSubjectAccessReview`s by (cluster, right): the cluster-scoped rights every
/// partner needs are asked once per cluster.
static ASKED: std::sync::Mutex<Vec<(String, Right, bool)>> = std::sync::Mutex::new(Vec::new());

/// The rights among `wanted` the identity lacks on `cluster` (empty: it may apply everything).
pub async fn missing(client: &Client, cluster: &str, wanted: &[Right]) -> Result<Vec<Right>, Failure> {
    let fail = |e: kube::Error| Failure::new("permission check", explain(&e));
    let mut namespaces: Vec<&str> = wanted.iter().filter_map(|r| r.namespace.as_deref()).collect();
    namespaces.dedup();
    let mut rules: Vec<(String, Vec<ResourceRule>, bool)> = Vec::new();
    let reviews: Api<SelfSubjectRulesReview> = Api::all(client.clone());
    for ns in namespaces {
        if rules.iter().any(|(n, _, _)| n == ns) {
            continue;
        }
        let review = SelfSubjectRulesReview {
            spec: SelfSubjectRulesReviewSpec { namespace: Some(ns.to_string()) },
            ..Default::default()
        };
        let post = PostParams::default();
        let status =
            super::throttle::call(|| reviews.create(&post, &review)).await.map_err(fail)?.status.unwrap_or_default();
        rules.push((ns.to_string(), status.resource_rules, status.incomplete));
    }
    let mut out = Vec::new();
    for right in wanted {
        let listed = right.namespace.as_deref().and_then(|ns| rules.iter().find(|(n, _, _)| n == ns));
        let allowed = match listed {
            Some((_, rules, _)) if rules.iter().any(|r| grants(r, right)) => true,
            Some((_, _, false)) => false,
            // Cluster-scoped, or the rules are incomplete: ask (once).
            _ => {
                let known =
                    ASKED.lock().expect("asked").iter().find(|(c, r, _)| c == cluster && r == right).map(|a| a.2);
                match known {
                    Some(answer) => answer,
                    None => {
                        let answer = ask(client, right).await?;
                        ASKED.lock().expect("asked").push((cluster.to_string(), right.clone(), answer));
                        answer
                    }
                }
            }
        };
        if !allowed {
            out.push(right.clone());
        }
    }
    Ok(out)
}

async fn ask(client: &Client, right: &Right) -> Result<bool, Failure> {
    let reviews: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(right.verb.to_string()),
                group: Some(right.group.clone()),
                resource: Some(right.resource.clone()),
                namespace: right.namespace.clone(),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let answer = reviews
        .create(&PostParams::default(), &review)
        .await
        .map_err(|e| Failure::new("permission check", explain(&e)))?;
    Ok(answer.status.is_some_and(|s| s.allowed))
}

/// The message for missing rights: what to grant, grouped by verb and resource.
pub fn describe(missing: &[Right]) -> String {
    let list: Vec<String> = missing.iter().map(Right::describe).collect();
    format!(
        "the identity in the kubeconfig lacks the rights to apply this partner: {}; nothing was applied (server-side apply needs get, create and patch on every kind; ask for them, e.g. in a Role bound to you)",
        list.join(", ")
    )
}
