//! Is a live object ready? The rules `bdc apply --wait` and `bdc rollout` follow: those of
//! `kubectl rollout status` for Deployments, the Argo Rollouts phase for Rollouts, and
//! kstatus-style conditions for everything else. Pure: it reads the object as the API server
//! returned it (JSON).

use serde_json::Value;

/// Where a live object stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Health {
    Ready,
    /// Still moving; the text says what it waits for.
    Progressing(String),
    /// Stopped until someone promotes it (an Argo Rollout paused at a step or before the
    /// blue/green switch).
    Paused(String),
    /// Will not get there by itself.
    Failed(String),
}

impl Health {
    pub fn is_ready(&self) -> bool {
        matches!(self, Health::Ready)
    }

    pub fn describe(&self) -> String {
        match self {
            Health::Ready => "ready".into(),
            Health::Progressing(why) => format!("progressing: {why}"),
            Health::Paused(why) => format!("paused: {why}"),
            Health::Failed(why) => format!("failed: {why}"),
        }
    }
}

/// Kinds worth waiting for (the rest is ready once the API server accepted it).
pub fn is_awaited(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "Rollout"
            | "PersistentVolumeClaim"
            | "Namespace"
            | "Certificate"
            | "HTTPRoute"
            | "Ingress"
    )
}

fn int(v: &Value, path: &[&str]) -> Option<i64> {
    let mut at = v;
    for key in path {
        at = at.get(key)?;
    }
    at.as_i64().or_else(|| at.as_str().and_then(|s| s.parse().ok()))
}

fn text<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut at = v;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str()
}

/// The condition of `type_` in `status.conditions`, as (status, reason, message).
fn condition<'v>(v: &'v Value, type_: &str) -> Option<(&'v str, &'v str, &'v str)> {
    v.pointer("/status/conditions")?.as_array()?.iter().find_map(|c| {
        (c.get("type")?.as_str()? == type_).then(|| {
            (
                c.get("status").and_then(Value::as_str).unwrap_or(""),
                c.get("reason").and_then(Value::as_str).unwrap_or(""),
                c.get("message").and_then(Value::as_str).unwrap_or(""),
            )
        })
    })
}

/// Health of a live object.
pub fn of(object: &Value) -> Health {
    if object.pointer("/metadata/deletionTimestamp").is_some() {
        return Health::Progressing("being deleted".into());
    }
    match text(object, &["kind"]).unwrap_or("") {
        "Deployment" => deployment(object),
        "StatefulSet" => statefulset(object),
        "Rollout" => rollout(object),
        "PersistentVolumeClaim" => match text(object, &["status", "phase"]) {
            Some("Bound") => Health::Ready,
            Some("Lost") => Health::Failed("the volume behind the claim is lost".into()),
            // WaitForFirstConsumer classes bind when the first pod is scheduled.
            _ => Health::Progressing("waiting for a volume".into()),
        },
        "Namespace" => match text(object, &["status", "phase"]) {
            Some("Terminating") => Health::Failed("the namespace is being deleted".into()),
            _ => Health::Ready,
        },
        _ => generic(object),
    }
}

/// `kubectl rollout status` for a Deployment.
fn deployment(d: &Value) -> Health {
    let generation = int(d, &["metadata", "generation"]).unwrap_or(0);
    let observed = int(d, &["status", "observedGeneration"]).unwrap_or(0);
    if observed < generation {
        return Health::Progressing("waiting for the deployment controller to see the new spec".into());
    }
    if let Some((_, "ProgressDeadlineExceeded", message)) = condition(d, "Progressing") {
        return Health::Failed(format!("progress deadline exceeded: {message}"));
    }
    let wanted = int(d, &["spec", "replicas"]).unwrap_or(1);
    let updated = int(d, &["status", "updatedReplicas"]).unwrap_or(0);
    let current = int(d, &["status", "replicas"]).unwrap_or(0);
    let available = int(d, &["status", "availableReplicas"]).unwrap_or(0);
    if updated < wanted {
        Health::Progressing(format!("{updated} of {wanted} new replicas updated"))
    } else if current > updated {
        Health::Progressing(format!("{} old replicas pending termination", current - updated))
    } else if available < updated {
        Health::Progressing(format!("{available} of {updated} updated replicas available"))
    } else {
        Health::Ready
    }
}

/// `kubectl rollout status` for a StatefulSet (rolling updates): the controller has seen the
/// generation, every replica is ready, and the update revision is the current one.
fn statefulset(s: &Value) -> Health {
    let generation = int(s, &["metadata", "generation"]).unwrap_or(0);
    if int(s, &["status", "observedGeneration"]).unwrap_or(0) < generation {
        return Health::Progressing("waiting for the statefulset controller to see the new spec".into());
    }
    let wanted = int(s, &["spec", "replicas"]).unwrap_or(1);
    let ready = int(s, &["status", "readyReplicas"]).unwrap_or(0);
    if ready < wanted {
        return Health::Progressing(format!("{ready} of {wanted} replicas ready"));
    }
    match (text(s, &["status", "updateRevision"]), text(s, &["status", "currentRevision"])) {
        (Some(update), Some(current)) if update != current => {
            Health::Progressing("pods being updated to the new revision".into())
        }
        _ => Health::Ready,
    }
}

/// An Argo Rollout, by the phase its controller reports for the current generation.
fn rollout(r: &Value) -> Health {
    let generation = int(r, &["metadata", "generation"]).unwrap_or(0);
    let observed = int(r, &["status", "observedGeneration"]).unwrap_or(-1);
    if observed < generation {
        return Health::Progressing("waiting for Argo Rollouts to see the new spec".into());
    }
    let message = text(r, &["status", "message"]).unwrap_or("").to_string();
    let or = |default: &str| if message.is_empty() { default.to_string() } else { message.clone() };
    match text(r, &["status", "phase"]) {
        Some("Healthy") => Health::Ready,
        // Promoted (pause conditions cleared, or `promoteFull`) but not yet acted on: the
        // controller has still to move it on.
        Some("Paused") if promoted(r) => {
            Health::Progressing("waiting for Argo Rollouts to act on the promotion".into())
        }
        Some("Paused") => Health::Paused(or("waiting for promotion")),
        Some("Degraded") => Health::Failed(or("degraded")),
        Some(_) => Health::Progressing(or("progressing")),
        None => Health::Progressing("waiting for Argo Rollouts".into()),
    }
}

/// Whether a paused Rollout was promoted since its controller last looked: its pause
/// conditions are gone (and it is not paused by hand), or a full promotion is asked for.
fn promoted(r: &Value) -> bool {
    let conditions = r.pointer("/status/pauseConditions").and_then(Value::as_array).is_some_and(|c| !c.is_empty());
    let by_hand = r.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
    let full = r.pointer("/status/promoteFull").and_then(Value::as_bool) == Some(true);
    full || (!conditions && !by_hand)
}

/// kstatus-style: the controller has seen the generation, nothing is stalled or reconciling,
/// and a `Ready` condition (when there is one) is true. Gateway API routes report per parent.
fn generic(o: &Value) -> Health {
    let generation = int(o, &["metadata", "generation"]).unwrap_or(0);
    if let Some(observed) = int(o, &["status", "observedGeneration"]) {
        if observed < generation {
            return Health::Progressing("waiting for its controller to see the new spec".into());
        }
    }
    if let Some(("True", reason, message)) = condition(o, "Stalled") {
        return Health::Failed(format!("stalled ({reason}): {message}"));
    }
    if let Some(("True", reason, _)) = condition(o, "Reconciling") {
        return Health::Progressing(format!("reconciling ({reason})"));
    }
    if let Some((status, reason, message)) = condition(o, "Ready") {
        if status != "True" {
            return Health::Progressing(format!("not ready ({reason}): {message}"));
        }
    }
    for parent in o.pointer("/status/parents").and_then(Value::as_array).into_iter().flatten() {
        let accepted = parent
            .get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("Accepted"));
        if let Some(c) = accepted {
            if c.get("status").and_then(Value::as_str) == Some("False") {
                let reason = c.get("reason").and_then(Value::as_str).unwrap_or("");
                let message = c.get("message").and_then(Value::as_str).unwrap_or("");
                return Health::Failed(format!("not accepted by its gateway ({reason}): {message}"));
            }
        }
    }
    Health::Ready
}

/// Container states that will not clear up by themselves: a pod showing one fails the wait
/// at once instead of at the timeout.
const HOPELESS: &[&str] =
    &["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError"];

/// The first hopeless container among pods, as `pod <name>: <reason>: <message>`.
pub fn stuck_pod(pods: &[Value]) -> Option<String> {
    for pod in pods {
        let name = text(pod, &["metadata", "name"]).unwrap_or("?");
        let statuses = ["initContainerStatuses", "containerStatuses"]
            .iter()
            .filter_map(|k| pod.pointer(&format!("/status/{k}")).and_then(Value::as_array))
            .flatten();
        for s in statuses {
            let Some(waiting) = s.pointer("/state/waiting") else { continue };
            let reason = waiting.get("reason").and_then(Value::as_str).unwrap_or("");
            if HOPELESS.contains(&reason) {
                let message = waiting.get("message").and_then(Value::as_str).unwrap_or("");
                let container = s.get("name").and_then(Value::as_str).unwrap_or("?");
                return Some(
                    format!("pod {name}, container {container}: {reason}: {message}")
                        .trim_end_matches(": ")
                        .to_string(),
                );
            }
        }
    }
    None
}

/// The Secret or ConfigMap a stuck pod waits for, read from the kubelet's
/// `CreateContainerConfigError` message (`secret "db-credentials" not found`), as
/// (`secret` | `configmap`, name). Once that object exists the state clears at the kubelet's
/// next retry, so the wait goes on instead of failing.
pub fn missing_reference(stuck: &str) -> Option<(&'static str, String)> {
    let (_, message) = stuck.split_once("CreateContainerConfigError: ")?;
    for kind in ["secret", "configmap"] {
        if let Some(rest) = message.strip_prefix(&format!("{kind} \"")) {
            let (name, tail) = rest.split_once('"')?;
            return tail.trim().starts_with("not found").then(|| (kind, name.to_string()));
        }
    }
    None
}

/// The last `n` warning events about objects whose name starts with `prefix` (an object and
/// its ReplicaSets and pods), oldest first, as `reason: message` lines.
pub fn last_events(events: &[Value], prefix: &str, n: usize) -> Vec<String> {
    let mut found: Vec<(&str, String)> = events
        .iter()
        .filter(|e| text(e, &["type"]) == Some("Warning"))
        .filter(|e| text(e, &["involvedObject", "name"]).is_some_and(|name| name.starts_with(prefix)))
        .map(|e| {
            let when = text(e, &["lastTimestamp"]).or_else(|| text(e, &["eventTime"])).unwrap_or("");
            let object = format!(
                "{} {}",
                text(e, &["involvedObject", "kind"]).unwrap_or(""),
                text(e, &["involvedObject", "name"]).unwrap_or("")
            );
            let line = format!(
                "{object}: {}: {}",
                text(e, &["reason"]).unwrap_or(""),
                text(e, &["message"]).unwrap_or("").trim()
            );
            (when, line)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    let skip = found.len().saturating_sub(n);
    found.into_iter().skip(skip).map(|(_, line)| line).collect()
}
