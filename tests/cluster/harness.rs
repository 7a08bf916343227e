//! What every real-cluster test needs: the cluster (`BDC_TEST_KUBECONFIG`, started by
//! `.ci/test`), a client, running `bdc` against it, and scratch namespaces that are deleted
//! whatever happens.
//!
//! Without a cluster these tests fail, saying how to get one: `.ci/test` starts the shared
//! control plane. A developer who means to run the rest of the suite without one sets
//! `BDC_SKIP_CLUSTER=1`, which each test reports; under `BDC_REQUIRE_CLUSTER=1` (set by
//! `.ci/test`) even that is refused.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The kubeconfig of the test cluster; `None` only when the developer opted out explicitly.
pub fn kubeconfig() -> Option<String> {
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let Some(path) = set("BDC_TEST_KUBECONFIG") {
        return Some(path);
    }
    let required = set("BDC_REQUIRE_CLUSTER").is_some_and(|v| v != "0");
    if !required && set("BDC_SKIP_CLUSTER").is_some_and(|v| v != "0") {
        eprintln!("BDC_SKIP_CLUSTER is set: this real-cluster test did not run");
        return None;
    }
    panic!(
        "no test cluster: BDC_TEST_KUBECONFIG is not set. Run the suite with `.ci/test` (it starts the \
         shared control plane ../shared/k8s/cluster), or start one yourself and set BDC_TEST_KUBECONFIG \
         to its kubeconfig; BDC_SKIP_CLUSTER=1 skips these tests on purpose (never in CI)"
    )
}

/// An admin client for the test cluster.
pub async fn client(kubeconfig: &str) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig readable");
    let config = kube::Config::from_custom_kubeconfig(kc, &Default::default()).await.expect("kubeconfig valid");
    kube::Client::try_from(config).expect("client")
}

/// Runs `bdc ARGS DIR` against the cluster: (exit code, stdout, stderr).
pub fn bdc(kubeconfig: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .arg(dir)
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .output()
        .expect("bdc runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A namespace prefix and a fresh spec directory for one test, named by `tag`.
pub fn scratch(tag: &str) -> (String, PathBuf) {
    let dir = std::env::temp_dir().join(format!("bdc-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    (format!("bdc-{tag}-{}-", std::process::id()), dir)
}

/// Runs `body`; then, whether or not it panicked, deletes the namespaces `<prefix><name>`, the
/// volumes the kubelet stand-in made for them, and the spec directory, and passes a panic on.
pub async fn cleaned_up(
    kc: &str,
    prefix: &str,
    names: &[&str],
    dir: &Path,
    body: impl std::future::Future<Output = ()>,
) {
    use futures::FutureExt;
    let outcome = std::panic::AssertUnwindSafe(body).catch_unwind().await;
    cleanup_names(kc, prefix, names).await;
    let _ = std::fs::remove_dir_all(dir);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn cleanup_names(kubeconfig: &str, prefix: &str, names: &[&str]) {
    use k8s_openapi::api::core::v1::{Namespace, PersistentVolume};
    let client = client(kubeconfig).await;
    let api: kube::Api<Namespace> = kube::Api::all(client.clone());
    for name in names {
        let _ = api.delete(&format!("{prefix}{name}"), &Default::default()).await;
    }
    let volumes: kube::Api<PersistentVolume> = kube::Api::all(client);
    if let Ok(list) = volumes.list(&Default::default()).await {
        for pv in list.items.iter().filter_map(|v| v.metadata.name.as_deref()).filter(|n| n.starts_with(prefix)) {
            let _ = volumes.delete(pv, &Default::default()).await;
        }
    }
}

/// The platform and the plain `k8s` target every real-cluster spec starts with: small pods,
/// the test's namespace prefix, and `replicas` as the default when given.
pub fn platform(prefix: &str, replicas: Option<&str>) -> String {
    let replicas = replicas.map(|r| format!("  default_replicas = {r}\n")).unwrap_or_default();
    format!(
        r#"platform it {{
  registry         = "registry.k8s.io"
  namespace_prefix = "{prefix}"
  default_target   = plain
  default_plan     = {{ cpu = 50m, memory = 64Mi }}
{replicas}}}
target plain {{
  provider          = k8s
  routing           = ingress
  ingress_class     = "nginx"
  ingress_namespace = "ingress-nginx"
  certificates      = none
}}
"#
    )
}
