//! What bdc says when something is off (defect 8 of issue 13): an unreachable server is named
//! with its address and the OS error; a missing API names the project that provides it.

use super::harness::{bdc, cleaned_up, kubeconfig, scratch};

fn fleet(prefix: &str, backend: &str) -> String {
    let platform = super::harness::platform(prefix, Some("1..1"));
    format!(
        r#"{platform}strategy switch = blue_green {{ auto_promote = false }}
release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
partner "site" {{ domains = ["site.bdc-it.example"], follows = stable, strategy = switch{backend} }}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_server_is_named_with_the_os_error() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ur");
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let text = std::fs::read_to_string(&kc).expect("kubeconfig");
    let server = text.lines().find_map(|l| l.trim().strip_prefix("server: ")).expect("a server line").to_string();
    let dead = dir.join("dead.kubeconfig");
    std::fs::write(&dead, text.replace(&server, &format!("https://127.0.0.1:{port}"))).expect("write kubeconfig");
    std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, "")).expect("write spec");
    let body = async {
        let (code, _, err) = bdc(dead.to_str().expect("utf-8 path"), &dir, &["apply"]);
        assert_eq!(code, 2, "{err}");
        let last = err.lines().last().unwrap_or("");
        assert!(last.contains(&format!("127.0.0.1:{port}")), "the address: {last}");
        assert!(last.contains("Connection refused") && last.contains("os error"), "the OS error: {last}");
        // The fleet's first look at the cluster (what bdc owns there) is what fails.
        assert!(last.contains("current context"), "{last}");
    };
    cleaned_up(&kc, &prefix, &[], &dir, body).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_api_names_the_project_that_provides_it() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ma");
    // Other tests install the Argo Rollouts CRD; it is absent while this one runs.
    let _absent = super::crds::without(&super::harness::client(&kc).await, "rollouts.argoproj.io").await;
    std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, ", backend = argo")).expect("write spec");
    let body = async {
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("Rollout (argoproj.io/v1alpha1, from Argo Rollouts)"), "{err}");
        assert!(!err.contains("cert-manager") && !err.contains("Gateway API"), "only what is missing: {err}");
        assert!(err.contains("nothing was applied"), "{err}");
    };
    cleaned_up(&kc, &prefix, &["site"], &dir, body).await;
}
