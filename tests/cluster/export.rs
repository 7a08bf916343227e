//! `bdc export` on a real API server: with the External Secrets, ACK, ASO and Config Connector
//! CRDs installed (`crds`), the bundle of newsroom-a moved to EKS and its data-move objects pass
//! a server-side dry run with strict field validation, and the move pods pass Pod Security
//! `restricted` admission in the partner's namespace (the namespace and service account are
//! created for real, everything else only in the dry run).

use super::crds::{install, Crds};
use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::core::GroupVersionKind;
use std::path::Path;

/// The YAML documents of every `.yaml` file in `dir` but the kustomization, in name order.
fn documents(dir: &Path) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("bundle")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("kustomization.yaml"))
        .collect();
    files.sort();
    files.iter().map(|f| serde_yaml::from_str(&std::fs::read_to_string(f).expect("read")).expect("YAML")).collect()
}

async fn api_for(client: &kube::Client, object: &serde_json::Value) -> Api<DynamicObject> {
    let (group, version) = match object["apiVersion"].as_str().expect("apiVersion").split_once('/') {
        Some((g, v)) => (g.to_string(), v.to_string()),
        None => (String::new(), object["apiVersion"].as_str().unwrap_or("").to_string()),
    };
    let gvk = GroupVersionKind::gvk(&group, &version, object["kind"].as_str().expect("kind"));
    let (resource, caps) = kube::discovery::pinned_kind(client, &gvk).await.unwrap_or_else(|e| panic!("{gvk:?}: {e}"));
    match (caps.scope, object["metadata"]["namespace"].as_str()) {
        (kube::discovery::Scope::Namespaced, Some(ns)) => Api::namespaced_with(client.clone(), ns, &resource),
        _ => Api::all_with(client.clone(), &resource),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_export_bundle_applies_in_a_server_side_dry_run() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ex");
    let _crds = install(&client(&kc).await, &[Crds::Routing, Crds::Operators]).await;
    let spec = dir.join("spec");
    std::fs::create_dir_all(&spec).expect("dir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mediasphere");
    for f in ["platform.bdot", "partners.bdot", "releases.bdot"] {
        let text = std::fs::read_to_string(example.join(f)).expect("example");
        let text = text.replace("namespace_prefix = \"bd-\"", &format!("namespace_prefix = \"{prefix}\""));
        std::fs::write(spec.join(f), text).expect("write");
    }
    let out = dir.join("out");
    let body = async {
        let out_arg = out.to_string_lossy().into_owned();
        let (code, _, err) =
            bdc(&kc, &spec, &["export", "--partner", "newsroom-a", "--target", "eks", "--out", &out_arg]);
        assert_eq!(code, 0, "{err}");
        let client = client(&kc).await;
        let bundle = documents(&out.join("newsroom-a"));
        // The namespace is created for real (a dry run of what is in it needs it), the rest is
        // a server-side dry run with unknown fields refused.
        let namespace = bundle.iter().find(|o| o["kind"] == "Namespace").expect("namespace").clone();
        let name = namespace["metadata"]["name"].as_str().expect("name").to_string();
        assert_eq!(name, format!("{prefix}newsroom-a"));
        let manager = PatchParams::apply("bdc-tests").force();
        api_for(&client, &namespace).await.patch(&name, &manager, &Patch::Apply(&namespace)).await.expect("namespace");
        // So is the service account the move pods run as (admission looks it up).
        let account = bundle.iter().find(|o| o["kind"] == "ServiceAccount").expect("service account").clone();
        api_for(&client, &account).await.patch("newsroom-a", &manager, &Patch::Apply(&account)).await.expect("account");
        let mut dry = PatchParams::apply("bdc-tests").force();
        dry.dry_run = true;
        dry.field_validation = Some(kube::api::ValidationDirective::Strict);
        let mut kinds = Vec::new();
        let data = [documents(&out.join("data/new")), documents(&out.join("data/old"))].concat();
        for object in bundle.iter().chain(&data).filter(|o| o["kind"] != "Namespace" && o["kind"] != "ServiceAccount") {
            let api = api_for(&client, object).await;
            let name = object["metadata"]["name"].as_str().expect("name");
            api.patch(name, &dry, &Patch::Apply(object))
                .await
                .unwrap_or_else(|e| panic!("{} {name}: {e}", object["kind"]));
            kinds.push(object["kind"].as_str().unwrap_or("").to_string());
        }
        for kind in ["ClusterSecretStore", "ExternalSecret", "Certificate", "Role", "Ingress", "Job"] {
            assert!(kinds.iter().any(|k| k == kind), "{kind} not applied: {kinds:?}");
        }
        // The move pods as the Jobs would create them, under the namespace's `restricted`
        // enforcement.
        let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client.clone(), &name);
        let dry_create = PostParams { dry_run: true, ..Default::default() };
        for job in data.iter().filter(|o| o["kind"] == "Job") {
            let mut template = job["spec"]["template"].clone();
            template["metadata"]["name"] = job["metadata"]["name"].clone();
            let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(template).expect("a pod");
            pods.create(&dry_create, &pod).await.unwrap_or_else(|e| panic!("{}: {e}", job["metadata"]["name"]));
        }
        // A privileged move pod would be refused: the check is real.
        let job = data.iter().find(|o| o["kind"] == "Job").expect("a Job");
        let mut template = job["spec"]["template"].clone();
        template["metadata"]["name"] = "privileged".into();
        template["spec"]["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = true.into();
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(template).expect("a pod");
        let refused = pods.create(&dry_create, &pod).await.expect_err("refused by Pod Security");
        assert!(refused.to_string().contains("restricted"), "{refused}");
    };
    cleaned_up(&kc, &prefix, &["newsroom-a"], &dir, body).await;
}
