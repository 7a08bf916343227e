//! Rights are checked before the first write (defect 7 of issue 13): a user allowed only some
//! kinds (a service account bound by RBAC to namespaces, configuration and quotas, but not
//! workloads or services) gets the list of what is missing and nothing of the partner is
//! applied; a user with no rights at all (the shared cluster's `kubeconfig-dev-noperms`) too.

use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding};
use kube::api::{Api, DeleteParams, PostParams};
use serde_json::json;

fn fleet(prefix: &str) -> String {
    let platform = super::harness::platform(prefix, Some("1..1"));
    format!(
        r#"{platform}release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
partner "site" {{ domains = ["site.bdc-it.example"], follows = stable }}
"#
    )
}

/// A kubeconfig for the service account `ns/name`: the admin kubeconfig's cluster with a token.
async fn service_account_kubeconfig(client: &kube::Client, admin: &str, ns: &str, name: &str) -> String {
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), ns);
    let request = json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
        "spec": {"audiences": [], "expirationSeconds": 3600}});
    let answer: serde_json::Value =
        accounts.create_subresource("token", name, &PostParams::default(), &request).await.expect("token");
    let token = answer.pointer("/status/token").and_then(|t| t.as_str()).expect("a token").to_string();
    let mut config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(admin).expect("kubeconfig")).expect("yaml");
    config["users"][0]["user"] = serde_yaml::to_value(json!({ "token": token })).expect("yaml");
    serde_yaml::to_string(&config).expect("yaml")
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_rights_are_listed_before_anything_is_written() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("rb");
    let client = client(&kc).await;
    std::fs::write(dir.join("fleet.bdot"), fleet(&prefix)).expect("write spec");
    let home = format!("{prefix}home");
    let role = format!("{prefix}deployer");
    let body = async {
        let namespaces: Api<Namespace> = Api::all(client.clone());
        let ns: Namespace = serde_json::from_value(json!({"metadata": {"name": home}})).expect("ns");
        namespaces.create(&PostParams::default(), &ns).await.expect("namespace");
        let sa: ServiceAccount = serde_json::from_value(json!({"metadata": {"name": "deployer"}})).expect("sa");
        Api::<ServiceAccount>::namespaced(client.clone(), &home).create(&PostParams::default(), &sa).await.expect("sa");
        let verbs = ["get", "create", "patch"];
        let cluster_role: ClusterRole = serde_json::from_value(json!({"metadata": {"name": role}, "rules": [
            {"apiGroups": [""], "resources": ["namespaces", "serviceaccounts", "configmaps", "resourcequotas", "limitranges"], "verbs": verbs},
            {"apiGroups": ["networking.k8s.io"], "resources": ["networkpolicies"], "verbs": verbs},
        ]}))
        .expect("role");
        Api::<ClusterRole>::all(client.clone()).create(&PostParams::default(), &cluster_role).await.expect("role");
        let binding: ClusterRoleBinding = serde_json::from_value(json!({"metadata": {"name": role},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": [{"kind": "ServiceAccount", "name": "deployer", "namespace": home}]}))
        .expect("binding");
        Api::<ClusterRoleBinding>::all(client.clone()).create(&PostParams::default(), &binding).await.expect("binding");
        let limited = dir.join("kubeconfig-limited");
        std::fs::write(&limited, service_account_kubeconfig(&client, &kc, &home, "deployer").await).expect("write");

        let site = format!("{prefix}site");
        let (code, _, err) = bdc(limited.to_str().expect("path"), &dir, &["apply"]);
        assert_ne!(code, 0, "{err}");
        assert!(err.contains("partner `site`") && err.contains("lacks the rights"), "{err}");
        for right in [format!("patch deployments.apps in {site}"), format!("create services in {site}")] {
            assert!(err.contains(&right), "{right}: {err}");
        }
        assert!(!err.contains("configmaps in"), "the rights it has are not listed: {err}");
        assert!(!err.contains("created"), "{err}");
        assert!(namespaces.get_opt(&site).await.expect("get").is_none(), "nothing of the partner was applied");

        if let Ok(noperms) = std::env::var("BDC_TEST_KUBECONFIG_NOPERMS") {
            let (code, _, err) = bdc(&noperms, &dir, &["apply"]);
            assert_ne!(code, 0, "{err}");
            // Even reading the partner's record is refused, before anything is written.
            assert!(err.contains("dev-noperms") && err.contains("lacks"), "{err}");
            assert!(namespaces.get_opt(&site).await.expect("get").is_none());
        }
    };
    cleaned_up(&kc, &prefix, &["home", "site"], &dir, body).await;
    let _ = Api::<ClusterRoleBinding>::all(client.clone()).delete(&role, &DeleteParams::default()).await;
    let _ = Api::<ClusterRole>::all(client).delete(&role, &DeleteParams::default()).await;
}
