//! Custom resources on a real API server: the examples' Gateway API routes, cert-manager and
//! GKE certificates, and the managed databases and caches of Config Connector, ACK and ASO are
//! applied against their CRDs (`crds`), and a second apply changes nothing.

use super::crds::{install, Crds};
use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use std::path::Path;

/// Copies an example into `dir` with the test's namespace prefix.
fn example(name: &str, dir: &Path, prefix: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).join("fleet.bdot");
    let text = std::fs::read_to_string(src).expect("example");
    let start = text.find("namespace_prefix").expect("a namespace prefix");
    let end = start + text[start..].find('\n').expect("line");
    let text = format!("{}namespace_prefix = \"{prefix}\"{}", &text[..start], &text[end..]);
    std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
}

#[tokio::test(flavor = "multi_thread")]
async fn custom_resources_apply_against_their_crds() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("cr");
    let _crds = install(&client(&kc).await, &[Crds::Routing, Crds::Operators]).await;
    let (rollouts, services) = (dir.join("rollouts"), dir.join("services"));
    for (name, at) in [("rollouts", &rollouts), ("services", &services)] {
        std::fs::create_dir_all(at).expect("dir");
        example(name, at, &prefix);
    }
    let body = async {
        let gateway = ["apply", "--partner", "canary-native", "--partner", "bluegreen-native"];
        let (code, _, err) = bdc(&kc, &rollouts, &gateway);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("created  HTTPRoute"), "{err}");
        let (code, _, err) = bdc(&kc, &rollouts, &gateway);
        assert!(code == 0 && err.contains("no changes"), "{err}");
        for (target, kinds) in [
            ("gke", &["ManagedCertificate", "SQLInstance", "SQLUser", "RedisInstance"][..]),
            ("eks", &["DBInstance", "ReplicationGroup", "FieldExport"][..]),
            ("aks", &["Certificate", "FlexibleServer", "FlexibleServersDatabase", "Redis"][..]),
        ] {
            let (code, _, err) = bdc(&kc, &services, &["apply", "--partner", "cloudy", "--target", target]);
            assert_eq!(code, 0, "{target}: {err}");
            for kind in kinds {
                assert!(err.contains(&format!("created  {kind} ")), "{target}: {kind}: {err}");
            }
            let (code, _, err) = bdc(&kc, &services, &["apply", "--partner", "cloudy", "--target", target]);
            assert!(code == 0 && err.contains("no changes"), "{target}, second apply: {err}");
        }
    };
    cleaned_up(&kc, &prefix, &["canary-native", "bluegreen-native", "cloudy"], &dir, body).await;
}
