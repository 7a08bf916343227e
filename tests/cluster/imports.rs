//! `bdc import --context` on a real cluster (issue 17): a fleet applied with `kubectl` is
//! read back from the cluster (only the test's namespaces, by prefix) into a spec that checks
//! clean and names the partners with their domains and replicas; Secret values never reach the
//! output.

use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use std::process::Command;

/// A partner's block of `partners.bdot`, whitespace collapsed.
fn block(text: &str, partner: &str) -> String {
    let start = text.find(&format!("partner \"{partner}\"")).unwrap_or_else(|| panic!("no partner {partner}: {text}"));
    let rest = &text[start + 1..];
    let end = rest.find("\npartner \"").map_or(rest.len(), |e| e + 1);
    text[start..start + end].split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn import_reads_a_live_fleet_back_into_a_clean_spec() {
    use k8s_openapi::api::core::v1::Secret;
    use kube::api::{Api, PostParams};
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("imp");
    let out = dir.with_extension("out");
    let body = async {
        std::fs::write(dir.join("fleet.bdot"), super::spec(&prefix, "2..2", true)).expect("write spec");
        // Applied with kubectl, as a hand-kept fleet is: the YAML bdc emits, nothing of its own.
        let (code, yaml, err) = bdc(&kc, &dir, &["emit"]);
        assert_eq!(code, 0, "{err}");
        let manifests = dir.with_extension("yaml");
        std::fs::write(&manifests, yaml).expect("write manifests");
        let kubectl = std::path::Path::new(&kc).parent().expect("run directory").join("bin/kubectl");
        let applied = Command::new(&kubectl)
            .args(["--kubeconfig", &kc, "apply", "--server-side", "-f"])
            .arg(&manifests)
            .output()
            .expect("kubectl runs");
        assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
        // A Secret with a value in a partner's namespace: import may name it, never read it.
        let secrets: Api<Secret> = Api::namespaced(client(&kc).await, &format!("{prefix}beta"));
        let secret: Secret = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "beta-creds"}, "stringData": {"token": "do-not-copy-4711"}
        }))
        .expect("secret");
        secrets.create(&PostParams::default(), &secret).await.expect("secret created");
        let context = kube::config::Kubeconfig::read_from(&kc).expect("kubeconfig").current_context.expect("a context");
        let import = |extra: &[&str]| {
            let out = Command::new(env!("CARGO_BIN_EXE_bdc"))
                .args(["import", "--kubeconfig", &kc, "--context", &context, "--out"])
                .arg(&out)
                .args(extra)
                .env("KUBECONFIG", dir.join("no-such-kubeconfig"))
                .env("NO_COLOR", "1")
                .output()
                .expect("bdc runs");
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
        };
        let (code, report, err) = import(&["--namespace-prefix", &prefix]);
        assert_eq!(code, 0, "{report}{err}");
        assert!(report.contains(&context), "the report names the cluster: {report}");
        let (code, checked, err) = bdc(&kc, &out, &["check"]);
        assert_eq!(code, 0, "the imported spec checks clean: {checked}{err}");
        let partners = std::fs::read_to_string(out.join("partners.bdot")).expect("partners.bdot");
        // bdc's own bookkeeping (applyset membership and parent, rollout record) is not config.
        assert!(!partners.contains("applyset"), "{partners}");
        assert!(!report.contains("bdc-applyset") && !report.contains("bdc-rollout"), "{report}");
        let beta = block(&partners, "beta");
        assert!(beta.contains("\"beta.bdc-it.example\"") && beta.contains("replicas = 2..2"), "{partners}");
        let alpha = block(&partners, "alpha");
        assert!(alpha.contains("\"alpha.bdc-it.example\"") && alpha.contains("replicas = 1..1"), "{partners}");
        for f in std::fs::read_dir(&out).expect("out") {
            let text = std::fs::read_to_string(f.expect("entry").path()).unwrap_or_default();
            assert!(!text.contains("do-not-copy-4711") && !text.contains("ZG8tbm90LWNvcHktNDcxMQ"), "{text}");
        }
        assert!(!report.contains("do-not-copy"), "{report}");
        // Another prefix finds nothing, and says where it looked.
        let (code, _, err) = import(&["--namespace-prefix", "bdc-no-such-prefix-"]);
        assert_ne!(code, 0);
        assert!(err.contains("nothing to import") && err.contains("https://127.0.0.1"), "{err}");
        // Paths and --context exclude each other.
        let (code, _, err) = import(&["fleet.yaml"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot be used with"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["alpha", "beta"], &dir, body).await;
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_file(dir.with_extension("yaml"));
}
