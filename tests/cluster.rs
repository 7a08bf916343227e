//! Integration tests against a real API server. They run when `BDC_TEST_KUBECONFIG` names a
//! kubeconfig for a throwaway cluster (Kubernetes 1.31 or later; no add-ons needed) and
//! create and delete their own namespaces; without it they print why they did nothing.
//!
//! On the cluster: apply creates everything, a second apply changes nothing, diff shows
//! exactly an edited field, and prune removes a partner's objects but keeps its volume and
//! namespace.

use std::path::Path;
use std::process::Command;

fn kubeconfig() -> Option<String> {
    match std::env::var("BDC_TEST_KUBECONFIG") {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            eprintln!("BDC_TEST_KUBECONFIG is not set: the real-cluster tests did not run");
            None
        }
    }
}

fn spec(prefix: &str, beta_replicas: &str, with_alpha: bool) -> String {
    let mut s = format!(
        r#"platform it {{
  registry         = "registry.k8s.io"
  namespace_prefix = "{prefix}"
  default_target   = plain
  default_plan     = {{ cpu = 50m, memory = 64Mi }}
}}
target plain {{
  provider          = k8s
  routing           = ingress
  ingress_class     = "nginx"
  ingress_namespace = "ingress-nginx"
  certificates      = none
}}
release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
partner "beta" {{ domains = ["beta.bdc-it.example"], follows = stable, replicas = {beta_replicas} }}
"#
    );
    if with_alpha {
        s.push_str("partner \"alpha\" { domains = [\"alpha.bdc-it.example\"], follows = stable, replicas = 1..1, storage = 1Gi }\n");
    }
    s
}

fn bdc(kubeconfig: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
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

async fn cleanup(kubeconfig: &str, prefix: &str) {
    use k8s_openapi::api::core::v1::Namespace;
    let Ok(kc) = kube::config::Kubeconfig::read_from(kubeconfig) else { return };
    let Ok(config) = kube::Config::from_custom_kubeconfig(kc, &Default::default()).await else { return };
    let Ok(client) = kube::Client::try_from(config) else { return };
    let api: kube::Api<Namespace> = kube::Api::all(client);
    for name in ["alpha", "beta"] {
        let _ = api.delete(&format!("{prefix}{name}"), &Default::default()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_twice_diff_edit_and_prune_on_a_real_cluster() {
    let Some(kc) = kubeconfig() else { return };
    let prefix = format!("bdc-it-{}-", std::process::id());
    let dir = std::env::temp_dir().join(format!("bdc-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let write = |text: String| std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
    let outcome = std::panic::catch_unwind(|| {
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
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--prune"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(&format!("pruned  Deployment {prefix}alpha/alpha")), "{err}");
        assert!(err.contains("kept  PersistentVolumeClaim") && err.contains("kept  Namespace"), "{err}");
    });
    cleanup(&kc, &prefix).await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
