//! Integration tests against a real API server: the shared control plane (etcd,
//! kube-apiserver, kube-controller-manager) that `.ci/test` starts and names in
//! `BDC_TEST_KUBECONFIG` (see `harness`). Each test works in its own namespaces, deleted
//! afterwards, and runs a kubelet stand-in (`kubelet`) that reports its pods.
//!
//! On the cluster: apply creates everything, a second apply changes nothing, diff shows
//! exactly an edited field, and prune removes a partner's objects but keeps its volume and
//! namespace; `apply --wait` follows the pods to readiness, and a release train runs wave by
//! wave (a rolling partner, then a blue/green one) and stops on a failed wave.

mod access;
mod argo;
mod config;
mod crds;
mod custom;
mod everyday;
mod export;
mod gitops;
mod harness;
mod imports;
mod kubelet;
mod messages;
mod moves;
mod partners;
mod progress;

use harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use kubelet::{Fault, Kubelet};

fn spec(prefix: &str, beta_replicas: &str, with_alpha: bool) -> String {
    let platform = harness::platform(prefix, None);
    let mut s = format!(
        r#"{platform}release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
partner "beta" {{ domains = ["beta.bdc-it.example"], follows = stable, replicas = {beta_replicas} }}
"#
    );
    if with_alpha {
        s.push_str("partner \"alpha\" { domains = [\"alpha.bdc-it.example\"], follows = stable, replicas = 1..1, storage = 1Gi }\n");
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_diff_edit_and_prune_on_a_real_cluster() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("it");
    let (other, other_dir) = scratch("ot");
    let write = |text: String| std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
    let body = async {
        write(spec(&prefix, "1..1", true));
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("created"), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("no changes"), "second apply: {err}");
        let (code, out, err) = bdc(&kc, &dir, &["diff"]);
        assert_eq!(code, 0, "nothing differs: {out}{err}");
        write(spec(&prefix, "2..2", true));
        let (code, out, _) = bdc(&kc, &dir, &["diff"]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("-  replicas: 1") && out.contains("+  replicas: 2"), "{out}");
        write(spec(&prefix, "2..2", false));
        // Another fleet on the same cluster (another namespace prefix) is not pruned.
        std::fs::create_dir_all(&other_dir).expect("dir");
        std::fs::write(other_dir.join("fleet.bdot"), spec(&other, "1..1", false)).expect("write spec");
        let (code, _, err) = bdc(&kc, &other_dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--prune", "--dry-run"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(&format!("pruned  Deployment {prefix}alpha/alpha (dry run)")), "{err}");
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--prune"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(&format!("pruned  Deployment {prefix}alpha/alpha")), "{err}");
        assert!(err.contains("kept  PersistentVolumeClaim") && err.contains("kept  Namespace"), "{err}");
        assert!(!err.contains(&other), "the other fleet is left alone: {err}");
        let (code, out, err) = bdc(&kc, &other_dir, &["diff"]);
        assert_eq!(code, 0, "the other fleet is intact: {out}{err}");
    };
    let body = cleaned_up(&kc, &other, &["beta"], &other_dir, body);
    cleaned_up(&kc, &prefix, &["alpha", "beta"], &dir, body).await;
}

/// A fleet serving real HTTP: `one` (rolling) in wave `first`, `two` (blue/green, promoted
/// automatically) in wave `rest`; `releases` are appended.
fn train_spec(prefix: &str, releases: &str) -> String {
    format!(
        r#"platform it {{
  registry         = "registry.k8s.io"
  namespace_prefix = "{prefix}"
  default_target   = plain
  default_plan     = {{ cpu = 50m, memory = 64Mi }}
  default_replicas = 1..1
  port             = 8080
  health_path      = "/"
}}
target plain {{
  provider          = k8s
  routing           = ingress
  ingress_class     = "nginx"
  ingress_namespace = "ingress-nginx"
  certificates      = none
}}
strategy switch = blue_green {{ auto_promote = true, scale_down_delay = 0s }}
wave first {{ partners = ["one"] }}
wave rest {{}}
partner "one" {{ domains = ["one.bdc-it.example"], follows = stable }}
partner "two" {{ domains = ["two.bdc-it.example"], follows = stable, strategy = switch }}
{releases}"#
    )
}

fn agnhost(version: &str, image: &str, waves: bool) -> String {
    let waves = if waves { ", waves = [first, rest]" } else { "" };
    format!(
        "release \"{version}\" {{ image = \"{image}\", channel = stable, args = [\"netexec\", \"--http-port=8080\"]{waves} }}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_release_train_runs_wave_by_wave_and_stops_on_a_failed_wave() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("tr");
    let kubelet = Kubelet::start(client(&kc).await, &prefix);
    kubelet.fail("0.0.0-does-not-exist", Fault::ImagePull);
    let write = |text: String| std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
    let good = "e2e-test-images/agnhost:2.53";
    let body = async {
        write(train_spec(&prefix, &agnhost("1.0.0", good, false)));
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "first release applied and ready: {err}");
        assert!(err.contains("ready"), "{err}");

        let releases = format!("{}{}", agnhost("1.0.0", good, false), agnhost("1.1.0", good, true));
        write(train_spec(&prefix, &releases));
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.1.0", "--timeout", "1m"]);
        assert_eq!(code, 0, "train 1.1.0: {err}");
        let (first, rest) =
            (err.find("wave first: one").expect("wave first"), err.find("wave rest: two").expect("wave rest"));
        assert!(first < rest, "{err}");
        assert!(err.contains("every wave done"), "{err}");
        let (code, out, err) = bdc(&kc, &dir, &["rollout", "status"]);
        assert_eq!(code, 0, "{err}");
        for partner in ["one", "two"] {
            let row = out.lines().find(|l| l.starts_with(&format!("{partner}\t"))).expect("a row per partner");
            assert!(row.contains("\t1.1.0\tat-rest\thealthy\t") && row.ends_with("ready"), "{row}");
        }

        let (_, out, _) = bdc(&kc, &dir, &["rollout", "status", "--history"]);
        assert!(out.contains("\none:\n") && out.contains("1.1.0 at rest, healthy"), "history of one: {out}");

        let releases = format!("{releases}{}", agnhost("1.2.0", "e2e-test-images/agnhost:0.0.0-does-not-exist", true));
        write(train_spec(&prefix, &releases));
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.2.0", "--timeout", "1m"]);
        assert_eq!(code, 1, "the first wave fails: {err}");
        assert!(err.contains("partner `one`") && err.contains("Deployment"), "{err}");
        assert!(err.contains("ImagePullBackOff"), "{err}");
        assert!(!err.contains("wave rest"), "wave rest never started: {err}");
        let (_, out, _) = bdc(&kc, &dir, &["rollout", "status"]);
        let two = out.lines().find(|l| l.starts_with("two\t")).expect("row of two");
        assert!(two.contains("\t1.1.0\t") && !two.contains("1.2.0"), "two is untouched: {two}");
        let one = out.lines().find(|l| l.starts_with("one\t")).expect("row of one");
        assert!(one.contains("failed"), "{one}");
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.2.0"]);
        assert_eq!(code, 1, "the train stays stopped: {err}");
        assert!(err.contains("the train is stopped"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["one", "two"], &dir, body).await;
}

/// In-cluster backing services on a real cluster: a PostgreSQL and a Redis StatefulSet under
/// Pod Security `restricted`, ready once their password Secrets exist, and the site's pods
/// reading the binding. Pulls `docker.io/library/postgres:16` and `redis:7`.
#[tokio::test(flavor = "multi_thread")]
async fn in_cluster_services_become_ready_on_a_real_cluster() {
    use k8s_openapi::api::core::v1::Secret;
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("sv");
    let _kubelet = Kubelet::start(client(&kc).await, &prefix);
    let services = "partner \"shop\" {\n  domains = [\"shop.bdc-it.example\"]\n  follows = stable\n  services {\n    db    = postgres { version = 16, size = 1Gi }\n    cache = redis { memory = 256Mi }\n  }\n}\n";
    let text = train_spec(&prefix, &agnhost("1.0.0", "e2e-test-images/agnhost:2.53", false))
        .lines()
        .filter(|l| !l.starts_with("partner ") && !l.starts_with("wave "))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
        + services;
    std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
    let body = async {
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        let client = client(&kc).await;
        let ns = format!("{prefix}shop");
        let secrets: kube::Api<Secret> = kube::Api::namespaced(client, &ns);
        for name in ["shop-db-credentials", "shop-cache-credentials"] {
            let secret = Secret {
                metadata: kube::api::ObjectMeta { name: Some(name.into()), ..Default::default() },
                string_data: Some([("password".to_string(), "correct-horse-battery-staple".to_string())].into()),
                ..Default::default()
            };
            secrets.create(&Default::default(), &secret).await.expect("secret created");
        }
        // The pods waited for their Secrets; now everything becomes ready.
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("StatefulSet") && err.contains("ready"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["shop"], &dir, body).await;
}
