//! Moves on a real cluster (defects 2, 3 and 4 of issue 13), with the kubelet and Argo
//! Rollouts stand-ins: an `argo` partner moved by a plain `bdc apply` is promoted by
//! `bdc rollout promote` and, through a train, one promote is enough; an aborted or undone
//! release is not started again by a later plain `bdc apply`; `promote` without `--full`
//! stops at the next phase.

use super::argo::ArgoRollouts;
use super::crds::{install, Crds};
use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use super::kubelet::Kubelet;
use kube::api::{Api, DynamicObject};
use kube::core::{ApiResource, GroupVersionKind};

const PAUSE: &str = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097";

/// A fleet of one partner (`strategy`, `backend`) following stable, with `releases` (version,
/// waves) in order: the last one is the channel's.
fn fleet(prefix: &str, partner: &str, strategy: &str, backend: &str, releases: &[(&str, bool)]) -> String {
    let platform = super::harness::platform(prefix, Some("2..2"));
    let mut s = format!(
        r#"{platform}wave only {{}}
strategy switch = blue_green {{ auto_promote = false, scale_down_delay = 0s }}
strategy steps  = canary {{ steps = [25% for 0s, 50% for 0s, 75% for 0s] }}
strategy slow   = canary {{ steps = [25% for 1h] }}
partner "{partner}" {{ domains = ["{partner}.bdc-it.example"], follows = stable, strategy = {strategy}, backend = {backend} }}
"#
    );
    for (version, waves) in releases {
        let waves = if *waves { ", waves = [only]" } else { "" };
        // Each release its own pod template (the version label differs).
        s.push_str(&format!("release \"{version}\" {{ image = \"{PAUSE}\", channel = stable{waves} }}\n"));
    }
    s
}

/// The row of `partner` in `bdc rollout status`.
fn status_row(kc: &str, dir: &std::path::Path, partner: &str) -> String {
    let (code, out, err) = bdc(kc, dir, &["rollout", "status"]);
    assert_eq!(code, 0, "{err}");
    out.lines().find(|l| l.starts_with(&format!("{partner}\t"))).unwrap_or_else(|| panic!("no row: {out}")).to_string()
}

async fn rollout_status(client: &kube::Client, ns: &str, name: &str) -> serde_json::Value {
    let ar =
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("argoproj.io", "v1alpha1", "Rollout"), "rollouts");
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &ar);
    serde_json::to_value(api.get(name).await.expect("Rollout")).expect("json")["status"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_argo_partner_is_promoted_after_a_plain_apply_and_once_through_a_train() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ar");
    let client = client(&kc).await;
    let _crds = install(&client, &[Crds::ArgoRollouts]).await;
    let (_kubelet, _argo) = (Kubelet::start(client.clone(), &prefix), ArgoRollouts::start(client.clone(), &prefix));
    let write = |releases: &[(&str, bool)]| {
        std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, "bg", "switch", "argo", releases)).expect("write spec")
    };
    let ns = format!("{prefix}bg");
    let body = async {
        write(&[("1.0.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(&format!("Rollout {ns}/bg ready")), "{err}");

        // A plain apply moves the Rollout, which pauses before the switch.
        write(&[("1.0.0", false), ("1.1.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let row = status_row(&kc, &dir, "bg");
        assert!(row.contains("paused"), "{row}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "promote", "--partner", "bg", "--timeout", "1m"]);
        assert_eq!(code, 0, "promote after a plain apply: {err}");
        assert!(err.contains("bg: 1.1.0 at-rest (healthy)"), "{err}");
        let status = rollout_status(&client, &ns, "bg").await;
        assert_eq!(status["phase"], "Healthy", "{status}");
        assert_eq!(status["stableRS"], status["currentPodHash"], "{status}");

        // Through a train: it stops at the pause; one promote finishes the move.
        write(&[("1.0.0", false), ("1.1.0", false), ("1.2.0", true)]);
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.2.0", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("bg waits at"), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "promote", "--partner", "bg", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("bg: 1.2.0 at-rest (healthy)"), "one promote is enough: {err}");
        let row = status_row(&kc, &dir, "bg");
        assert!(row.contains("\t1.2.0\tat-rest\thealthy\t"), "{row}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.2.0", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("every wave done"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["bg"], &dir, body).await;
}

/// The replicas of the canary track of a native canary partner.
async fn canary_replicas(client: &kube::Client, ns: &str, partner: &str) -> i32 {
    let api: Api<k8s_openapi::api::apps::v1::Deployment> = Api::namespaced(client.clone(), ns);
    api.get(&format!("{partner}-canary")).await.expect("canary track").spec.and_then(|s| s.replicas).unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_aborted_or_undone_release_is_not_started_again_by_a_plain_apply() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ab");
    let client = client(&kc).await;
    let _kubelet = Kubelet::start(client.clone(), &prefix);
    let write = |releases: &[(&str, bool)]| {
        std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, "can", "steps", "native", releases)).expect("write spec")
    };
    let ns = format!("{prefix}can");
    let body = async {
        write(&[("1.0.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        write(&[("1.0.0", false), ("1.1.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("1.1.0 takes part of the traffic"), "{err}");
        assert_eq!(canary_replicas(&client, &ns, "can").await, 1, "the first canary step");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "abort", "--partner", "can", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("can: 1.0.0 canary-1 (25%) (aborted)"), "{err}");

        // A later plain apply keeps the partner on 1.0.0.
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains("takes part of the traffic"), "{err}");
        assert!(err.contains("1.1.0 was aborted; stays on 1.0.0"), "{err}");
        assert_eq!(canary_replicas(&client, &ns, "can").await, 0, "no canary after the abort");
        let row = status_row(&kc, &dir, "can");
        assert!(row.contains("\t1.0.0\t") && row.contains("aborted"), "{row}");

        // Moved again on purpose, then undone: the same.
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.1.0", "--retry", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("every wave done"), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "undo", "--partner", "can", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("can: 1.0.0 at-rest (healthy)"), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("1.1.0 was undone; stays on 1.0.0"), "{err}");
        assert!(!err.contains("takes part of the traffic"), "{err}");
        assert_eq!(canary_replicas(&client, &ns, "can").await, 0, "no canary after the undo");
        let row = status_row(&kc, &dir, "can");
        assert!(row.contains("\t1.0.0\tat-rest\thealthy\t"), "{row}");
    };
    cleaned_up(&kc, &prefix, &["can"], &dir, body).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn promote_without_full_stops_at_the_next_phase() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("pr");
    let client = client(&kc).await;
    let _kubelet = Kubelet::start(client.clone(), &prefix);
    let write = |releases: &[(&str, bool)]| {
        std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, "can", "steps", "native", releases)).expect("write spec")
    };
    let body = async {
        write(&[("1.0.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        write(&[("1.0.0", false), ("1.1.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("1.1.0 takes part of the traffic"), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "promote", "--partner", "can", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("can: 1.1.0 canary-2 (50%) (paused)"), "one step further: {err}");
        assert!(!err.contains("→ canary-3") && !err.contains("→ at-rest"), "{err}");
        let row = status_row(&kc, &dir, "can");
        assert!(row.contains("\t1.0.0 → 1.1.0\tcanary-2 (50%)\tpaused\t"), "{row}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "promote", "--partner", "can", "--full", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("can: 1.1.0 at-rest (healthy)"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["can"], &dir, body).await;
}
