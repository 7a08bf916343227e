//! Reading a live fleet for `bdc import --context`: the namespaces matching a prefix (or the
//! objects matching a label selector), and in them every kind import reads, as the untyped
//! JSON the YAML reader makes, with what the server adds stripped (status, managedFields,
//! resourceVersion, uid, …). Secrets are listed as metadata only: their values never leave the
//! cluster.

use super::client::{explain, Failure};
use super::throttle;
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::ApiResource;
use kube::Client;
use serde_json::Value;

/// Which objects to read.
pub enum Filter {
    /// Namespaces whose name starts with this (and what is in them).
    Prefix(String),
    /// Objects (in every namespace) carrying these labels.
    Selector(String),
    /// Every namespace but the cluster's own (`kube-*`).
    All,
}

/// The namespaced kinds import reads: (group, version, kind, plural).
const KINDS: &[(&str, &str, &str, &str)] = &[
    ("apps", "v1", "Deployment", "deployments"),
    ("argoproj.io", "v1alpha1", "Rollout", "rollouts"),
    ("apps", "v1", "StatefulSet", "statefulsets"),
    ("", "v1", "Service", "services"),
    ("networking.k8s.io", "v1", "Ingress", "ingresses"),
    ("gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"),
    ("networking.gke.io", "v1", "ManagedCertificate", "managedcertificates"),
    ("cert-manager.io", "v1", "Certificate", "certificates"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
    ("", "v1", "ConfigMap", "configmaps"),
    ("", "v1", "Secret", "secrets"),
    ("", "v1", "ServiceAccount", "serviceaccounts"),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
    ("", "v1", "ResourceQuota", "resourcequotas"),
    ("", "v1", "LimitRange", "limitranges"),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
    ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
    ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
    ("gateway.networking.k8s.io", "v1beta1", "ReferenceGrant", "referencegrants"),
];

fn resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    let api_version = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    ApiResource { group: group.into(), version: version.into(), api_version, kind: kind.into(), plural: plural.into() }
}

/// Objects nobody wrote as configuration: made by controllers in every namespace, an
/// applyset's parent (KEP-3659, bdc's or kubectl's), bdc's rollout record.
fn bookkeeping(kind: &str, item: &Value) -> bool {
    let name = item.pointer("/metadata/name").and_then(Value::as_str).unwrap_or_default();
    let labels = item.pointer("/metadata/labels");
    let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
    matches!((kind, name), ("ConfigMap", "kube-root-ca.crt") | ("ServiceAccount", "default"))
        || label(super::applyset::ID_LABEL).is_some()
        || (kind == "ConfigMap" && name == super::record::NAME && label("app.kubernetes.io/managed-by") == Some("bdc"))
}

/// The fleet's objects, sorted by namespace, kind and name (deterministic input for import).
pub async fn objects(client: &Client, filter: &Filter) -> Result<Vec<Value>, Failure> {
    let namespaces: Api<DynamicObject> = Api::all_with(client.clone(), &resource("", "v1", "Namespace", "namespaces"));
    let params = match filter {
        Filter::Selector(s) => ListParams::default().labels(s),
        Filter::Prefix(_) | Filter::All => ListParams::default(),
    };
    let by_namespace = !matches!(filter, Filter::Selector(_));
    let mut out = Vec::new();
    let every = ListParams::default();
    let listed = match by_namespace {
        true => {
            throttle::call(|| namespaces.list(&every))
                .await
                .map_err(|e| Failure::new("Namespace list", explain(&e)))?
                .items
        }
        false => Vec::new(),
    };
    let chosen: Vec<DynamicObject> = listed
        .into_iter()
        .filter(|n| {
            let name = n.metadata.name.as_deref().unwrap_or_default();
            match filter {
                Filter::Prefix(p) => name.starts_with(p.as_str()),
                Filter::All => !name.starts_with("kube-"),
                Filter::Selector(_) => false,
            }
        })
        .collect();
    let names: Vec<String> = chosen.iter().filter_map(|n| n.metadata.name.clone()).collect();
    if by_namespace {
        for n in &chosen {
            out.push(clean(serde_json::to_value(n).unwrap_or_default(), "v1", "Namespace"));
        }
    }
    let scopes: Vec<Option<&str>> =
        if by_namespace { names.iter().map(|n| Some(n.as_str())).collect() } else { vec![None] };
    for &(group, version, kind, plural) in KINDS {
        let ar = resource(group, version, kind, plural);
        for scope in &scopes {
            let api: Api<DynamicObject> = match scope {
                Some(ns) => Api::namespaced_with(client.clone(), ns, &ar),
                None => Api::all_with(client.clone(), &ar),
            };
            let fail = |e: kube::Error| Failure::new(format!("{kind} list"), explain(&e));
            let items: Vec<Value> = if kind == "Secret" {
                // Names only: the values are never fetched.
                match throttle::call(|| api.list_metadata(&params)).await {
                    Ok(list) => list
                        .items
                        .into_iter()
                        .map(|m| serde_json::json!({ "metadata": serde_json::to_value(&m.metadata).unwrap_or_default() }))
                        .collect(),
                    Err(kube::Error::Api(s)) if s.code == 404 => break,
                    Err(e) => return Err(fail(e)),
                }
            } else {
                match throttle::call(|| api.list(&params)).await {
                    Ok(list) => list.items.iter().map(|o| serde_json::to_value(o).unwrap_or_default()).collect(),
                    // A custom resource the cluster does not serve: nothing of that kind.
                    Err(kube::Error::Api(s)) if s.code == 404 => break,
                    Err(e) => return Err(fail(e)),
                }
            };
            for item in items {
                if !bookkeeping(kind, &item) {
                    out.push(clean(item, &ar.api_version, kind));
                }
            }
        }
    }
    Ok(out)
}

/// An object as it would be written by hand: `apiVersion` and `kind` set, the server's
/// bookkeeping (status, managedFields, resourceVersion, uid, timestamps, generation, the
/// last-applied annotation, applyset membership, bdc's applied digest) removed.
pub fn clean(mut value: Value, api_version: &str, kind: &str) -> Value {
    let Some(o) = value.as_object_mut() else { return value };
    o.insert("apiVersion".into(), Value::String(api_version.into()));
    o.insert("kind".into(), Value::String(kind.into()));
    o.remove("status");
    if let Some(Value::Object(meta)) = o.get_mut("metadata") {
        for key in ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"] {
            meta.remove(key);
        }
        if let Some(Value::Object(l)) = meta.get_mut("labels") {
            l.remove(super::applyset::PART_OF_LABEL);
            if l.is_empty() {
                meta.remove("labels");
            }
        }
        if let Some(Value::Object(a)) = meta.get_mut("annotations") {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            a.remove("deployment.kubernetes.io/revision");
            a.remove(super::owned::APPLIED);
            if a.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn server_bookkeeping_is_stripped() {
        let live = json!({
            "metadata": {"name": "web", "namespace": "bd-a", "uid": "1", "resourceVersion": "7",
                "generation": 2, "creationTimestamp": "2026-01-01T00:00:00Z", "managedFields": [],
                "labels": {"app": "web", "applyset.kubernetes.io/part-of": "applyset-x-v1"},
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                    "bluedot.io/applied-digest": "ab"}},
            "spec": {"replicas": 2},
            "status": {"readyReplicas": 2}
        });
        let clean = super::clean(live, "apps/v1", "Deployment");
        assert_eq!(
            clean,
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "bd-a", "labels": {"app": "web"}},
                "spec": {"replicas": 2}})
        );
    }
}
