//! A kubelet stand-in for the test control plane, which has no kubelet and no scheduler. For
//! the namespaces of one test (by prefix) it reports pods the way a kubelet would, through the
//! `status` subresource: Running and Ready once the Secrets and ConfigMaps they need exist,
//! `CreateContainerConfigError` while one is missing, and `ImagePullBackOff` or
//! `CrashLoopBackOff` for images a test told it to fail. The controller-manager does the rest
//! (ReplicaSets, Deployment and StatefulSet status, scaling old pods down). Claims are bound
//! the way a provisioner would: a PersistentVolume pre-bound to the claim, which the
//! controller-manager's volume binder then binds.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a pod fails.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    ImagePull,
    CrashLoop,
}

/// The running stand-in; stops when dropped.
pub struct Kubelet {
    faults: Arc<Mutex<Vec<(String, Fault)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Kubelet {
    /// Starts looking after the namespaces whose name starts with `prefix`.
    pub fn start(client: kube::Client, prefix: &str) -> Kubelet {
        let faults: Arc<Mutex<Vec<(String, Fault)>>> = Arc::default();
        let (shared, prefix) = (faults.clone(), prefix.to_string());
        let task = tokio::spawn(async move {
            loop {
                let faults = shared.lock().expect("faults").clone();
                // A failed round (a namespace being deleted, a conflict) is retried next round.
                let _ = tick(&client, &prefix, &faults).await;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        Kubelet { faults, task }
    }

    /// Pods running an image whose reference contains `image` fail with `fault`.
    pub fn fail(&self, image: &str, fault: Fault) {
        self.faults.lock().expect("faults").push((image.to_string(), fault));
    }
}

impl Drop for Kubelet {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tick(client: &kube::Client, prefix: &str, faults: &[(String, Fault)]) -> Result<(), kube::Error> {
    let pods: Api<Pod> = Api::all(client.clone());
    for pod in pods.list(&ListParams::default()).await?.items {
        let pod = serde_json::to_value(&pod).unwrap_or_default();
        let ns = pod.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("");
        if !ns.starts_with(prefix) || pod.pointer("/metadata/deletionTimestamp").is_some() {
            continue;
        }
        let status = report(client, ns, &pod, faults).await;
        if digest(pod.get("status").unwrap_or(&Value::Null)) != digest(&status) {
            let name = pod.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("");
            let api: Api<Pod> = Api::namespaced(client.clone(), ns);
            api.patch_status(name, &PatchParams::default(), &Patch::Merge(json!({ "status": status }))).await?;
        }
    }
    bind_claims(client, prefix).await
}

/// What a status says about readiness and failures (not its timestamps).
fn digest(status: &Value) -> Vec<String> {
    let mut out = vec![status.get("phase").and_then(Value::as_str).unwrap_or("").to_string()];
    for c in status.get("containerStatuses").and_then(Value::as_array).into_iter().flatten() {
        let waiting = c.pointer("/state/waiting/reason").and_then(Value::as_str).unwrap_or("");
        out.push(format!(
            "{} {} {waiting}",
            c.get("name").unwrap_or(&Value::Null),
            c.get("ready").unwrap_or(&Value::Null)
        ));
    }
    out
}

/// The status a kubelet would report for `pod` now.
async fn report(client: &kube::Client, ns: &str, pod: &Value, faults: &[(String, Fault)]) -> Value {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array).cloned().unwrap_or_default();
    let image_of = |c: &Value| c.get("image").and_then(Value::as_str).unwrap_or("").to_string();
    let fault = containers.iter().find_map(|c| {
        let image = image_of(c);
        faults.iter().find(|(f, _)| image.contains(f.as_str())).map(|(_, fault)| (c.clone(), *fault))
    });
    let missing = missing_references(client, ns, pod).await;
    let waiting = match (&fault, &missing) {
        (Some((_, Fault::ImagePull)), _) => {
            Some(("ImagePullBackOff", "Back-off pulling image: manifest unknown".to_string()))
        }
        (Some((_, Fault::CrashLoop)), _) => {
            Some(("CrashLoopBackOff", "back-off 40s restarting failed container".to_string()))
        }
        (None, Some(what)) => Some(("CreateContainerConfigError", format!("{what} not found"))),
        (None, None) => None,
    };
    let now = chrono_now();
    let ready = waiting.is_none();
    let statuses: Vec<Value> = containers
        .iter()
        .map(|c| {
            let name = c.get("name").cloned().unwrap_or(Value::Null);
            let state = match &waiting {
                Some((reason, message)) => json!({"waiting": {"reason": reason, "message": message}}),
                None => json!({"running": {"startedAt": now}}),
            };
            let restarts = if matches!(fault, Some((_, Fault::CrashLoop))) { 3 } else { 0 };
            json!({"name": name, "image": image_of(c), "imageID": "", "ready": ready, "started": ready,
                   "restartCount": restarts, "state": state})
        })
        .collect();
    let flag = if ready { "True" } else { "False" };
    json!({
        "phase": if ready { "Running" } else { "Pending" },
        "podIP": "10.244.0.10",
        "conditions": [
            {"type": "PodScheduled", "status": "True", "lastTransitionTime": now},
            {"type": "Initialized", "status": "True", "lastTransitionTime": now},
            {"type": "ContainersReady", "status": flag, "lastTransitionTime": now},
            {"type": "Ready", "status": flag, "lastTransitionTime": now},
        ],
        "containerStatuses": statuses,
    })
}

/// The first Secret or ConfigMap the pod needs (not optional) that does not exist.
async fn missing_references(client: &kube::Client, ns: &str, pod: &Value) -> Option<String> {
    let mut wanted: Vec<(&str, String)> = Vec::new();
    let mut want = |kind: &'static str, r: Option<&Value>| {
        let Some(r) = r else { return };
        if r.get("optional").and_then(Value::as_bool) != Some(true) {
            if let Some(name) = r.get("name").or_else(|| r.get("secretName")).and_then(Value::as_str) {
                wanted.push((kind, name.to_string()));
            }
        }
    };
    let containers = ["initContainers", "containers"]
        .iter()
        .filter_map(|k| pod.pointer(&format!("/spec/{k}")).and_then(Value::as_array))
        .flatten();
    for c in containers {
        for from in c.get("envFrom").and_then(Value::as_array).into_iter().flatten() {
            want("Secret", from.get("secretRef"));
            want("ConfigMap", from.get("configMapRef"));
        }
        for env in c.get("env").and_then(Value::as_array).into_iter().flatten() {
            want("Secret", env.pointer("/valueFrom/secretKeyRef"));
            want("ConfigMap", env.pointer("/valueFrom/configMapKeyRef"));
        }
    }
    for v in pod.pointer("/spec/volumes").and_then(Value::as_array).into_iter().flatten() {
        want("Secret", v.get("secret"));
        want("ConfigMap", v.get("configMap"));
    }
    for (kind, name) in wanted {
        let exists = match kind {
            "Secret" => Api::<k8s_openapi::api::core::v1::Secret>::namespaced(client.clone(), ns).get_opt(&name).await,
            _ => Api::<k8s_openapi::api::core::v1::ConfigMap>::namespaced(client.clone(), ns)
                .get_opt(&name)
                .await
                .map(|o| o.map(|_| Default::default())),
        };
        if matches!(exists, Ok(None)) {
            return Some(format!("{} \"{name}\"", kind.to_lowercase()));
        }
    }
    None
}

/// Makes a volume for every pending claim, pre-bound to it (the controller-manager binds them).
async fn bind_claims(client: &kube::Client, prefix: &str) -> Result<(), kube::Error> {
    let claims: Api<PersistentVolumeClaim> = Api::all(client.clone());
    let volumes: Api<PersistentVolume> = Api::all(client.clone());
    for claim in claims.list(&ListParams::default()).await?.items {
        let (Some(ns), Some(name)) = (claim.metadata.namespace.as_deref(), claim.metadata.name.as_deref()) else {
            continue;
        };
        let spec = claim.spec.clone().unwrap_or_default();
        if !ns.starts_with(prefix) || spec.volume_name.is_some() {
            continue;
        }
        let pv_name = format!("{ns}-{name}");
        if volumes.get_opt(&pv_name).await?.is_some() {
            continue;
        }
        let size = spec.resources.and_then(|r| r.requests).and_then(|r| r.get("storage").cloned());
        let pv: PersistentVolume = serde_json::from_value(json!({
            "metadata": {"name": pv_name},
            "spec": {
                "capacity": {"storage": size.map(|q| q.0).unwrap_or_else(|| "1Gi".into())},
                "accessModes": spec.access_modes.unwrap_or_default(),
                "storageClassName": spec.storage_class_name.unwrap_or_default(),
                "persistentVolumeReclaimPolicy": "Retain",
                "hostPath": {"path": format!("/tmp/{ns}/{name}")},
                "claimRef": {"namespace": ns, "name": name, "uid": claim.metadata.uid},
            }
        }))
        .expect("a volume");
        volumes.create(&PostParams::default(), &pv).await?;
    }
    Ok(())
}

/// The time now, as the API server writes timestamps.
fn chrono_now() -> String {
    k8s_openapi::jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
