//! Argo Rollouts, as `kubectl argo rollouts` drives them: promote (clear the pause conditions,
//! unpause, or promote fully), abort, and the health of a partner's Rollout.

use super::client::{explain, Failure};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::core::ApiResource;
use kube::Client;

fn rollouts(client: &Client, namespace: &str) -> Api<DynamicObject> {
    let ar = ApiResource::erase::<crate::lower::crd::Rollout>(&());
    Api::namespaced_with(client.clone(), namespace, &ar)
}

/// Promotes an Argo Rollout as `kubectl argo rollouts promote` does: unpause it and clear its
/// pause conditions, or (`full`) skip the remaining steps.
pub async fn promote_rollout(client: &Client, namespace: &str, name: &str, full: bool) -> Result<(), Failure> {
    let api = rollouts(client, namespace);
    let fail = |e: kube::Error| Failure::new(format!("Rollout {namespace}/{name}"), explain(&e));
    let live = api.get(name).await.map_err(fail)?;
    let params = PatchParams::default();
    let status = if full {
        serde_json::json!({"status": {"promoteFull": true}})
    } else {
        serde_json::json!({"status": {"pauseConditions": null}})
    };
    api.patch_status(name, &params, &Patch::Merge(&status)).await.map_err(fail)?;
    if live.data.pointer("/spec/paused").and_then(serde_json::Value::as_bool) == Some(true) {
        api.patch(name, &params, &Patch::Merge(serde_json::json!({"spec": {"paused": false}}))).await.map_err(fail)?;
    }
    Ok(())
}

/// The health of a partner's Argo Rollout (`None`: there is none).
pub async fn rollout_health(
    client: &Client,
    namespace: &str,
    name: &str,
) -> Result<Option<super::health::Health>, Failure> {
    let found = rollouts(client, namespace)
        .get_opt(name)
        .await
        .map_err(|e| Failure::new(format!("Rollout {namespace}/{name}"), explain(&e)))?;
    Ok(found.map(|r| super::health::of(&serde_json::to_value(r).unwrap_or_default())))
}

/// Aborts an Argo Rollout: its controller returns traffic to the stable ReplicaSet.
pub async fn abort_rollout(client: &Client, namespace: &str, name: &str) -> Result<(), Failure> {
    let api = rollouts(client, namespace);
    api.patch_status(name, &PatchParams::default(), &Patch::Merge(serde_json::json!({"status": {"abort": true}})))
        .await
        .map(|_| ())
        .map_err(|e| Failure::new(format!("Rollout {namespace}/{name}"), explain(&e)))
}
