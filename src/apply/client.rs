//! The cluster side of `bdc apply` and `bdc diff`: server-side apply under the field manager
//! `bdc`, dry runs, discovery of the APIs the objects need, listing and deleting an applyset's
//! members. The only async code in the crate; everything it decides comes from the pure
//! planning modules beside it.

use super::diff;
use super::prune::Live;
use super::throttle;
use crate::lower::Object;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use kube::core::{ApiResource, GroupVersionKind};
use kube::Client;

/// The field manager of every change bdc makes.
pub const FIELD_MANAGER: &str = "bdc";

/// The field manager that keeps a workload's replica count when bdc hands it to an autoscaler
/// (the handover the Kubernetes documentation describes for server-side apply).
pub const HANDOVER_MANAGER: &str = "handover-to-hpa";

/// The live replica count to hand over when `o` (a Deployment or Rollout) no longer sets
/// `spec.replicas` but bdc owns it on the live object.
fn replicas_to_hand_over(o: &Object, live: &serde_json::Value) -> Option<i64> {
    let sets_replicas = match o {
        Object::Deployment(d) => d.spec.as_ref().is_some_and(|s| s.replicas.is_some()),
        Object::Rollout(r) => r.spec.replicas.is_some(),
        _ => return None,
    };
    if sets_replicas {
        return None;
    }
    let replicas = live.pointer("/spec/replicas")?.as_i64()?;
    let bdc_owns = super::owned::fieldset(live, FIELD_MANAGER).and_then(|f| f.pointer("/f:spec/f:replicas")).is_some();
    bdc_owns.then_some(replicas)
}

/// What happened to one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Changed,
    Unchanged,
}

/// A failure talking to the cluster, with what bdc was doing.
#[derive(Debug, Default)]
pub struct Failure {
    /// The partner whose objects were being sent, when there was one.
    pub partner: Option<String>,
    /// `Deployment bd-a/web`, or the API being checked.
    pub object: String,
    pub message: String,
    /// The last warning events about the object (oldest first).
    pub events: Vec<String>,
}

impl Failure {
    pub fn new(object: impl Into<String>, message: impl Into<String>) -> Failure {
        Failure { object: object.into(), message: message.into(), ..Default::default() }
    }

    pub fn of(mut self, partner: &str) -> Failure {
        self.partner.get_or_insert_with(|| partner.to_string());
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.partner {
            write!(f, "partner `{p}`: ")?;
        }
        write!(f, "{}: {}", self.object, self.message)?;
        for e in &self.events {
            write!(f, "\n    event: {e}")?;
        }
        Ok(())
    }
}

/// Explains a client error in terms of what to do.
pub fn explain(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) if s.code == 401 => format!("unauthorized ({}): the credentials are missing or expired; log in again", s.message),
        kube::Error::Api(s) if s.is_forbidden() => format!("forbidden: {} (the identity in the kubeconfig lacks this right)", s.message),
        kube::Error::Api(s) if s.is_conflict() => format!(
            "conflict with another field manager: {} (bdc stops rather than take fields over; rerun with --force-conflicts to take them)",
            s.message
        ),
        kube::Error::Api(s) if s.is_invalid() => format!("rejected by the API server as invalid: {}", s.message),
        kube::Error::Api(s) if s.is_not_found() && s.message.contains("namespaces") => {
            format!("the namespace does not exist ({}); apply the partner's Namespace first (bdc apply does)", s.message)
        }
        kube::Error::Api(s) if s.is_not_found() => format!("not found: {}", s.message),
        kube::Error::Api(s) if s.message.contains("admission webhook") => format!("rejected by an admission webhook: {}", s.message),
        kube::Error::Api(s) => format!("the API server answered {} {}: {}", s.code, s.reason, s.message),
        kube::Error::Auth(e) => format!("cannot authenticate to the API server: {e} (log in again or refresh the kubeconfig's credentials)"),
        kube::Error::HyperError(e) => unreachable(e),
        kube::Error::Service(e) => unreachable(e.as_ref()),
        other => format!("cannot talk to the API server: {other}"),
    }
}

/// A connection failure with its whole chain of causes (down to the OS error).
fn unreachable(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        cause = c.source();
    }
    format!("cannot reach the API server: {text} (check the kubeconfig's server address and the network)")
}

/// The API resource of a kind, from the one list of kinds.
fn erase(k: &crate::lower::KindInfo) -> ApiResource {
    ApiResource {
        group: k.group.into(),
        version: k.version.into(),
        api_version: k.api_version.into(),
        kind: k.kind.into(),
        plural: k.plural.into(),
    }
}

/// The API resource of an object and whether it is namespaced.
pub fn api_resource(o: &Object) -> (ApiResource, bool) {
    (erase(o.info()), o.info().namespaced)
}

pub fn title(o: &Object) -> String {
    match o.namespace() {
        Some(ns) => format!("{} {ns}/{}", o.kind(), o.name()),
        None => format!("{} {}", o.kind(), o.name()),
    }
}

fn api(client: &Client, o: &Object) -> Api<DynamicObject> {
    let (ar, namespaced) = api_resource(o);
    match (namespaced, o.namespace()) {
        (true, Some(ns)) => Api::namespaced_with(client.clone(), ns, &ar),
        _ => Api::all_with(client.clone(), &ar),
    }
}

/// Applies objects in order with server-side apply. Stops at the first failure.
pub struct Applier {
    pub client: Client,
    pub dry_run: bool,
    pub force_conflicts: bool,
    /// Send changes that would replace or lose data (`--replace-data`).
    pub replace_data: bool,
}

impl Applier {
    fn params(&self) -> PatchParams {
        let mut p = PatchParams::apply(FIELD_MANAGER);
        if self.force_conflicts {
            p = p.force();
        }
        if self.dry_run {
            p = p.dry_run();
        }
        p
    }

    /// Applies one object: created, changed, or unchanged (nothing bdc's field manager owns moved;
    /// see `owned`). Reads the live object first.
    pub async fn apply(&self, o: &Object) -> Result<Outcome, Failure> {
        let api = api(&self.client, o);
        let fail = |e: kube::Error| Failure::new(title(o), explain(&e));
        let before = throttle::call(|| api.get_opt(o.name())).await.map_err(fail)?;
        self.apply_over(o, before.map(|d| serde_json::to_value(d).unwrap_or_default())).await
    }

    /// Applies one object over its live state as already read (`None`: it is not there). An
    /// object whose live copy carries the digest of this configuration, with no field taken
    /// over by another writer, is not sent (`owned::unchanged`).
    pub async fn apply_over(&self, o: &Object, before: Option<serde_json::Value>) -> Result<Outcome, Failure> {
        let api = api(&self.client, o);
        let fail = |e: kube::Error| Failure::new(title(o), explain(&e));
        let desired = serde_json::to_value(o).unwrap_or_default();
        let (stamped, digest) = super::owned::stamp(&desired);
        if before.as_ref().is_some_and(|live| super::owned::unchanged(live, &desired, &digest, FIELD_MANAGER)) {
            return Ok(Outcome::Unchanged);
        }
        if let (Some(live), false) = (&before, self.replace_data) {
            if let Some(why) = super::guard::danger(o, live) {
                return Err(Failure::new(
                    title(o),
                    format!("{why}; bdc did not send it (rerun with --replace-data if you mean it)"),
                ));
            }
        }
        if let Some(replicas) = before.as_ref().and_then(|live| replicas_to_hand_over(o, live)) {
            // The object no longer sets `replicas` (an autoscaler took over). Dropping a field
            // bdc alone owns would reset it to 1; a second manager keeps the live value.
            let handover = serde_json::json!({
                "apiVersion": o.api_version(), "kind": o.kind(),
                "metadata": {"name": o.name(), "namespace": o.namespace()},
                "spec": {"replicas": replicas},
            });
            let mut params = PatchParams::apply(HANDOVER_MANAGER);
            params.dry_run = self.dry_run;
            let patch = Patch::Apply(&handover);
            throttle::call(|| api.patch(o.name(), &params, &patch)).await.map_err(fail)?;
        }
        let params = self.params();
        let patch = Patch::Apply(&stamped);
        let after = throttle::call(|| api.patch(o.name(), &params, &patch)).await.map_err(fail)?;
        let after = serde_json::to_value(&after).unwrap_or_default();
        Ok(match before {
            None => Outcome::Created,
            Some(b) if super::owned::changed(&b, &after, FIELD_MANAGER) => Outcome::Changed,
            Some(_) => Outcome::Unchanged,
        })
    }

    /// The change applying `o` would make (`None`: no change), from the live object and a
    /// server-side dry run of the apply.
    pub async fn change(&self, o: &Object) -> Result<Option<Change>, Failure> {
        let api = api(&self.client, o);
        let fail = |e: kube::Error| Failure::new(title(o), explain(&e));
        let live = api.get_opt(o.name()).await.map_err(fail)?;
        let params = PatchParams::apply(FIELD_MANAGER).dry_run().force();
        let to_json = |d: &DynamicObject| serde_json::to_value(d).unwrap_or_default();
        // Sent as `apply` sends it, with its digest.
        let (stamped, _) = super::owned::stamp(&serde_json::to_value(o).unwrap_or_default());
        let want = match api.patch(o.name(), &params, &Patch::Apply(&stamped)).await {
            Ok(want) => to_json(&want),
            // A new partner's namespace does not exist yet, so the server cannot dry-run its
            // objects: show them as bdc would send them.
            Err(kube::Error::Api(s)) if live.is_none() && s.is_not_found() => stamped,
            Err(e) => return Err(fail(e)),
        };
        let live = live.as_ref().map(to_json);
        let Some(diff) = diff::render(&title(o), live.as_ref(), &want) else { return Ok(None) };
        let refused = live.as_ref().and_then(|l| super::guard::danger(o, l));
        Ok(Some(Change { create: live.is_none(), diff, refused }))
    }
}

/// What applying one object would change.
#[derive(Clone, Debug)]
pub struct Change {
    /// The object does not exist yet.
    pub create: bool,
    /// A unified diff of YAML from the live object (or nothing) to what the server would keep.
    pub diff: String,
    /// Why `bdc apply` would refuse it without `--replace-data`.
    pub refused: Option<String>,
}

/// The project whose CRDs and controller serve an API group.
pub fn provider(group: &str) -> &'static str {
    match group {
        "argoproj.io" => "Argo Rollouts",
        "gateway.networking.k8s.io" => "Gateway API",
        "cert-manager.io" => "cert-manager",
        "networking.gke.io" => "GKE (ManagedCertificate)",
        "external-secrets.io" => "External Secrets Operator",
        g if g.ends_with("cnrm.cloud.google.com") => "Config Connector",
        g if g.ends_with("services.k8s.aws") => "AWS Controllers for Kubernetes (ACK)",
        g if g.ends_with("azure.com") => "Azure Service Operator",
        _ => "the controller that defines it",
    }
}

/// Custom resources the objects need that the cluster does not serve, as
/// `Kind (group/version, from Project)`.
pub async fn missing_apis(client: &Client, objects: &[Object]) -> Result<Vec<String>, Failure> {
    let mut needed: Vec<(String, String, String)> = Vec::new();
    for o in objects.iter().filter(|o| o.is_custom_resource()) {
        let (ar, _) = api_resource(o);
        let key = (ar.group.clone(), ar.version.clone(), ar.kind.clone());
        if !needed.contains(&key) {
            needed.push(key);
        }
    }
    let mut missing = Vec::new();
    for (group, version, kind) in needed {
        let gvk = GroupVersionKind::gvk(&group, &version, &kind);
        match kube::discovery::pinned_kind(client, &gvk).await {
            Ok(_) => {}
            Err(kube::Error::Api(s)) if s.code == 404 || s.is_not_found() => {
                missing.push(format!("{kind} ({group}/{version}, from {})", provider(&group)))
            }
            Err(kube::Error::Discovery(_)) => {
                missing.push(format!("{kind} ({group}/{version}, from {})", provider(&group)))
            }
            Err(e) => return Err(Failure::new(format!("API {group}/{version}"), explain(&e))),
        }
    }
    Ok(missing)
}

/// The API of every kind bdc emits, with whether it is namespaced.
pub fn all_resources() -> Vec<(ApiResource, bool)> {
    crate::lower::KINDS.iter().map(|k| (erase(k), k.namespaced)).collect()
}

/// Members of an applyset, of every kind bdc emits that the cluster serves.
pub async fn list_members(client: &Client, namespace: &str, id: &str) -> Result<Vec<Live>, Failure> {
    let mut out = Vec::new();
    let selector = format!("{}={id}", super::applyset::PART_OF_LABEL);
    for (ar, namespaced) in all_resources() {
        let api: Api<DynamicObject> = if namespaced {
            Api::namespaced_with(client.clone(), namespace, &ar)
        } else {
            Api::all_with(client.clone(), &ar)
        };
        let list = match api.list(&ListParams::default().labels(&selector)).await {
            Ok(list) => list,
            // A custom resource the cluster does not serve holds no members.
            Err(kube::Error::Api(s)) if s.code == 404 => continue,
            Err(e) => return Err(Failure::new(format!("{} list", ar.kind), explain(&e))),
        };
        for item in list.items {
            out.push(Live {
                api_version: ar.api_version.clone(),
                kind: ar.kind.clone(),
                namespace: item.metadata.namespace.clone(),
                name: item.metadata.name.clone().unwrap_or_default(),
                labels: item.metadata.labels.clone().unwrap_or_default(),
                annotations: item.metadata.annotations.clone().unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// Deletes one listed member (background propagation).
pub async fn delete(client: &Client, live: &Live, dry_run: bool) -> Result<(), Failure> {
    let fail = |message: String| Failure::new(format!("{} {}", live.kind, live.name), message);
    let (ar, namespaced) = all_resources()
        .into_iter()
        .find(|(ar, _)| ar.kind == live.kind)
        .ok_or_else(|| fail("not a kind bdc manages".into()))?;
    let api: Api<DynamicObject> = match (&live.namespace, namespaced) {
        (Some(ns), true) => Api::namespaced_with(client.clone(), ns, &ar),
        _ => Api::all_with(client.clone(), &ar),
    };
    let mut params = DeleteParams::background();
    params.dry_run = dry_run;
    api.delete(&live.name, &params).await.map(|_| ()).map_err(|e| fail(explain(&e)))
}

/// Namespaces holding a bdc applyset (its parent ConfigMap), with the set's id.
pub async fn applysets(client: &Client) -> Result<Vec<(String, String)>, Failure> {
    let api: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::all(client.clone());
    let selector = format!("{},app.kubernetes.io/managed-by=bdc", super::applyset::ID_LABEL);
    let list = api
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| Failure::new("applyset parents", explain(&e)))?;
    Ok(list
        .items
        .into_iter()
        .filter(|c| c.metadata.name.as_deref() == Some(super::applyset::PARENT_NAME))
        .filter_map(|c| {
            let id = c.metadata.labels.as_ref()?.get(super::applyset::ID_LABEL)?.clone();
            Some((c.metadata.namespace?, id))
        })
        .collect())
}

/// The live state of an object, as JSON (`None`: it does not exist).
pub async fn live(client: &Client, o: &Object) -> Result<Option<serde_json::Value>, Failure> {
    let found = api(client, o).get_opt(o.name()).await.map_err(|e| Failure::new(title(o), explain(&e)))?;
    Ok(found.map(|d| serde_json::to_value(d).unwrap_or_default()))
}

/// Pods in `namespace` carrying all of `labels`, as JSON.
pub async fn pods(
    client: &Client,
    namespace: &str,
    labels: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<serde_json::Value>, Failure> {
    let api: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client.clone(), namespace);
    let selector: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let list = api
        .list(&ListParams::default().labels(&selector.join(",")))
        .await
        .map_err(|e| Failure::new(format!("pods in {namespace}"), explain(&e)))?;
    Ok(list.items.iter().map(|p| serde_json::to_value(p).unwrap_or_default()).collect())
}

/// Whether the Secret or ConfigMap (`kind` is `secret` or `configmap`, as the kubelet names
/// them) `name` exists in `namespace` now.
pub async fn reference_exists(client: &Client, namespace: &str, kind: &str, name: &str) -> Result<bool, Failure> {
    use k8s_openapi::api::core::v1::{ConfigMap, Secret};
    let found = match kind {
        "secret" => Api::<Secret>::namespaced(client.clone(), namespace).get_opt(name).await.map(|o| o.is_some()),
        _ => Api::<ConfigMap>::namespaced(client.clone(), namespace).get_opt(name).await.map(|o| o.is_some()),
    };
    found.map_err(|e| Failure::new(format!("{kind} {namespace}/{name}"), explain(&e)))
}

/// Events in `namespace`, as JSON (empty when they cannot be read: they only explain).
pub async fn events(client: &Client, namespace: &str) -> Vec<serde_json::Value> {
    let api: Api<k8s_openapi::api::core::v1::Event> = Api::namespaced(client.clone(), namespace);
    match api.list(&ListParams::default()).await {
        Ok(list) => list.items.iter().map(|e| serde_json::to_value(e).unwrap_or_default()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The rollout record of a partner namespace (`None`: bdc has not recorded one).
pub async fn record(client: &Client, namespace: &str) -> Result<Option<super::record::Record>, Failure> {
    let api: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(client.clone(), namespace);
    match api.get_opt(super::record::NAME).await {
        Ok(found) => Ok(found.as_ref().and_then(super::record::Record::from_config_map)),
        // A namespace that is not there holds no record.
        Err(kube::Error::Api(s)) if s.is_not_found() => Ok(None),
        Err(e) => Err(Failure::new(format!("ConfigMap {namespace}/{}", super::record::NAME), explain(&e))),
    }
}

/// Writes a partner's rollout record (server-side apply; bdc is its only writer).
pub async fn save_record(client: &Client, namespace: &str, r: &super::record::Record) -> Result<(), Failure> {
    let api: Api<k8s_openapi::api::core::v1::ConfigMap> = Api::namespaced(client.clone(), namespace);
    let params = PatchParams::apply(FIELD_MANAGER).force();
    api.patch(super::record::NAME, &params, &Patch::Apply(r.to_config_map(namespace)))
        .await
        .map(|_| ())
        .map_err(|e| Failure::new(format!("ConfigMap {namespace}/{}", super::record::NAME), explain(&e)))
}
