//! An Argo Rollouts stand-in for the test cluster: for the namespaces of one test (by prefix)
//! it moves each Rollout's status the way the Argo Rollouts controller does, through the
//! `status` subresource, so the `argo` backend is exercised end to end. It keeps the
//! controller's own bookkeeping fields (`currentPodHash`, `stableRS`, `currentStepIndex`,
//! `pauseConditions`, `controllerPause`, `abort`, `promoteFull`):
//!
//! - a new pod template (a new revision) starts the strategy at its first step; a template
//!   equal to the stable one is stable at once;
//! - canary: `setWeight` steps pass at once, a `pause` step pauses (`CanaryPauseStep`) for its
//!   duration, or until promoted (its pause condition cleared);
//! - blue/green with `autoPromotionEnabled: false` pauses (`BlueGreenPause`) until promoted;
//! - `status.promoteFull` finishes the update; `status.abort` returns to stable (`Degraded`,
//!   `RolloutAborted`) until the next revision.
//!
//! It makes no ReplicaSets or pods: the replica counts are reported as the spec asks.

use kube::api::{Api, DynamicObject, ListParams, Patch, PatchParams};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{json, Map, Value};
use std::hash::{Hash, Hasher};
use std::time::Duration;

/// The running stand-in; stops when dropped.
pub struct ArgoRollouts {
    task: tokio::task::JoinHandle<()>,
}

impl ArgoRollouts {
    /// Starts reconciling the Rollouts of the namespaces whose name starts with `prefix`.
    pub fn start(client: kube::Client, prefix: &str) -> ArgoRollouts {
        let prefix = prefix.to_string();
        let task = tokio::spawn(async move {
            loop {
                // A failed round (a namespace being deleted, a conflict) is retried next round.
                let _ = tick(&client, &prefix).await;
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        });
        ArgoRollouts { task }
    }
}

impl Drop for ArgoRollouts {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn resource() -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Rollout"), "rollouts")
}

async fn tick(client: &kube::Client, prefix: &str) -> Result<(), kube::Error> {
    let all: Api<DynamicObject> = Api::all_with(client.clone(), &resource());
    for r in all.list(&ListParams::default()).await?.items {
        let ns = r.metadata.namespace.clone().unwrap_or_default();
        if !ns.starts_with(prefix) || r.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let object = serde_json::to_value(&r).unwrap_or_default();
        let old = object.get("status").cloned().unwrap_or(json!({}));
        let new = reconcile(&object, &old);
        if new != old {
            let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &ns, &resource());
            let name = r.metadata.name.clone().unwrap_or_default();
            // Fields the new status drops are removed (null) by the merge patch.
            let mut patch = new.as_object().cloned().unwrap_or_default();
            for key in old.as_object().into_iter().flat_map(|o| o.keys()) {
                patch.entry(key.clone()).or_insert(Value::Null);
            }
            api.patch_status(&name, &PatchParams::default(), &Patch::Merge(json!({ "status": patch }))).await?;
        }
    }
    Ok(())
}

/// The short hash of a pod template, as the revision's name.
fn template_hash(rollout: &Value) -> String {
    let text = rollout.pointer("/spec/template").map(Value::to_string).unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!("{:010x}", h.finish() & 0xff_ffff_ffff)
}

fn now() -> String {
    k8s_openapi::jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Seconds in an Argo duration (`30s`, `5m`, `1h`, or a number of seconds).
fn seconds(duration: &Value) -> Option<u64> {
    if let Some(n) = duration.as_u64() {
        return Some(n);
    }
    let text = duration.as_str()?;
    let (n, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return None,
    })
}

fn elapsed_since(time: &str) -> u64 {
    time.parse::<k8s_openapi::jiff::Timestamp>()
        .map(|t| k8s_openapi::jiff::Timestamp::now().duration_since(t).as_secs().max(0) as u64)
        .unwrap_or(0)
}

/// The status the controller would write for `rollout`, given its current `status`.
pub fn reconcile(rollout: &Value, status: &Value) -> Value {
    let mut s: Map<String, Value> = status.as_object().cloned().unwrap_or_default();
    let generation = rollout.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(0);
    s.insert("observedGeneration".into(), json!(generation.to_string()));
    let hash = template_hash(rollout);
    let replicas = rollout.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let steps = rollout.pointer("/spec/strategy/canary/steps").and_then(Value::as_array).cloned();
    let blue_green = rollout.pointer("/spec/strategy/blueGreen").cloned();
    let get = |s: &Map<String, Value>, k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
    let flag = |s: &Map<String, Value>, k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);

    let stable = get(&s, "stableRS");
    if stable.is_none()
        || stable.as_deref() == Some(hash.as_str())
        || get(&s, "currentPodHash").as_deref() != Some(&hash)
    {
        // The first revision, a return to stable, or a new revision: start over.
        s.insert("currentPodHash".into(), json!(hash));
        for k in ["abort", "abortedAt", "pauseConditions", "controllerPause", "promoteFull"] {
            s.remove(k);
        }
        s.insert("currentStepIndex".into(), json!(0));
        if stable.is_none() || stable.as_deref() == Some(hash.as_str()) {
            return healthy(s, &hash, replicas, steps.as_ref());
        }
    }
    if flag(&s, "abort") {
        s.remove("pauseConditions");
        s.remove("controllerPause");
        s.insert("phase".into(), json!("Degraded"));
        s.insert("message".into(), json!(format!("RolloutAborted: Rollout aborted update to revision {hash}")));
        s.entry("abortedAt").or_insert(json!(now()));
        return Value::Object(s);
    }
    if flag(&s, "promoteFull") {
        return healthy(s, &hash, replicas, steps.as_ref());
    }
    if rollout.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
        s.insert("phase".into(), json!("Paused"));
        s.insert("message".into(), json!("manually paused"));
        return Value::Object(s);
    }
    let paused_now = s.get("pauseConditions").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    let promoted = !paused_now && flag(&s, "controllerPause");
    let pause = |mut s: Map<String, Value>, reason: &str| {
        if !paused_now {
            s.insert("pauseConditions".into(), json!([{"reason": reason, "startTime": now()}]));
            s.insert("controllerPause".into(), json!(true));
        }
        s.insert("phase".into(), json!("Paused"));
        s.insert("message".into(), json!(reason));
        Value::Object(s)
    };
    if let Some(steps) = &steps {
        let mut i = s.get("currentStepIndex").and_then(Value::as_u64).unwrap_or(0) as usize;
        let mut promoted = promoted;
        while i < steps.len() {
            let Some(p) = steps[i].get("pause") else {
                i += 1;
                continue;
            };
            let started = s
                .get("pauseConditions")
                .and_then(|c| c.pointer("/0/startTime"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let timed_out = match (p.get("duration").and_then(seconds), &started) {
                (Some(d), Some(t)) => elapsed_since(t) >= d,
                _ => false,
            };
            if promoted || (paused_now && timed_out) {
                promoted = false;
                s.remove("pauseConditions");
                s.remove("controllerPause");
                i += 1;
                continue;
            }
            s.insert("currentStepIndex".into(), json!(i));
            return pause(s, "CanaryPauseStep");
        }
        s.insert("currentStepIndex".into(), json!(i));
        return healthy(s, &hash, replicas, Some(steps));
    }
    let auto = blue_green.as_ref().and_then(|b| b.get("autoPromotionEnabled")).and_then(Value::as_bool) != Some(false);
    if blue_green.is_some() && !auto && !promoted {
        return pause(s, "BlueGreenPause");
    }
    healthy(s, &hash, replicas, None)
}

fn healthy(mut s: Map<String, Value>, hash: &str, replicas: i64, steps: Option<&Vec<Value>>) -> Value {
    for k in ["pauseConditions", "controllerPause", "promoteFull", "abort", "abortedAt"] {
        s.remove(k);
    }
    s.insert("stableRS".into(), json!(hash));
    s.insert("currentPodHash".into(), json!(hash));
    if let Some(steps) = steps {
        s.insert("currentStepIndex".into(), json!(steps.len()));
    } else {
        s.remove("currentStepIndex");
    }
    s.insert("phase".into(), json!("Healthy"));
    s.insert("message".into(), json!(""));
    for k in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "HPAReplicas"] {
        s.insert(k.into(), json!(replicas));
    }
    Value::Object(s)
}
