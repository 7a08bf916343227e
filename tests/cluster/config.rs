//! A configuration change reaches running pods (defect 5 of issue 13): the pods read the
//! partner's ConfigMap through `envFrom`, only when they start, so a changed environment must
//! roll them. The pod template carries a checksum of the configuration.

use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use super::kubelet::Kubelet;
use k8s_openapi::api::core::v1::Pod;

fn fleet(prefix: &str, mode: &str) -> String {
    let platform = super::harness::platform(prefix, Some("1..1"));
    format!(
        r#"{platform}release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
partner "news" {{
  domains = ["news.bdc-it.example"]
  follows = stable
  env {{ PAYWALL_MODE = "{mode}" }}
}}
"#
    )
}

/// The config checksums of the running pods of `ns`, sorted.
async fn running_checksums(client: &kube::Client, ns: &str) -> Vec<String> {
    let pods: kube::Api<Pod> = kube::Api::namespaced(client.clone(), ns);
    let mut sums: Vec<String> = pods
        .list(&Default::default())
        .await
        .expect("pods")
        .items
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.annotations?.get("bluedot.io/config-checksum").cloned())
        .collect();
    sums.sort();
    sums
}

#[tokio::test(flavor = "multi_thread")]
async fn an_env_change_rolls_the_pods() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("cf");
    let client = client(&kc).await;
    let _kubelet = Kubelet::start(client.clone(), &prefix);
    let ns = format!("{prefix}news");
    let write = |mode: &str| std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, mode)).expect("write spec");
    let body = async {
        write("metered");
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        let before = running_checksums(&client, &ns).await;
        assert_eq!(before.len(), 1, "one pod with a config checksum: {before:?}");

        write("hard");
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(&format!("changed  ConfigMap {ns}/news-config")), "{err}");
        assert!(err.contains(&format!("changed  Deployment {ns}/news")), "the pods roll: {err}");
        let after = running_checksums(&client, &ns).await;
        assert_eq!(after.len(), 1, "the old pod is gone: {after:?}");
        assert_ne!(before, after, "the running pod was started with the new configuration");
    };
    cleaned_up(&kc, &prefix, &["news"], &dir, body).await;
}
