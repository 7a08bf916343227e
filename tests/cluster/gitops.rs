//! The GitOps engines' objects on a real API server: with Argo CD's `ApplicationSet` and Flux's
//! `Kustomization` CRDs installed (`tests/data/gitops`), the example's `ApplicationSet` and
//! every partner's `Kustomization` are accepted by a server-side dry run with strict field
//! validation, and a misspelt field is refused; and kustomize (kubectl's, beside the cluster)
//! builds every level of the tree: the cluster, each partner, the engine's directory.

use super::crds::{install, Crds};
use super::harness::{client, kubeconfig};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};

#[tokio::test(flavor = "multi_thread")]
async fn engine_objects_are_accepted_by_the_api_server() {
    let Some(kc) = kubeconfig() else { return };
    let client = client(&kc).await;
    let _crds = install(&client, &[Crds::Gitops]).await;
    let dir = std::env::temp_dir().join(format!("bdc-gitops-dry-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for engine in ["argocd", "flux"] {
        let at = dir.join(engine);
        std::fs::create_dir_all(&at).expect("dir");
        let spec = crate::gitops::example_spec(&at, engine);
        // The engine's objects go to `default`, which every cluster has (a dry run sends nothing).
        let platform = spec.join("platform.bdot");
        let text = std::fs::read_to_string(&platform).expect("read");
        let text = text.replacen(
            &format!("engine = {engine}\n"),
            &format!("engine = {engine}\n    namespace = \"default\"\n"),
            1,
        );
        std::fs::write(&platform, text).expect("write");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
            .args(["emit", &spec.to_string_lossy(), "--out", "out"])
            .current_dir(&at)
            .output()
            .expect("bdc runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let tree = crate::gitops::files(&at.join("out"));
        let mut sent = 0;
        for (path, bytes) in tree
            .iter()
            .filter(|(p, _)| (p.starts_with("argocd/") || p.starts_with("flux/")) && !p.ends_with("kustomization.yaml"))
        {
            let value: serde_json::Value = serde_yaml::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
            let (group, version) = value["apiVersion"].as_str().expect("apiVersion").split_once('/').expect("group");
            let kind = value["kind"].as_str().expect("kind");
            let plural = if kind == "ApplicationSet" { "applicationsets" } else { "kustomizations" };
            let ar = ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural);
            let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
            let name = value["metadata"]["name"].as_str().expect("name").to_string();
            let params = PatchParams::apply("bdc-tests").dry_run().validation_strict();
            api.patch(&name, &params, &Patch::Apply(&value))
                .await
                .unwrap_or_else(|e| panic!("{path} refused by the API server: {e}"));
            sent += 1;
            // The server checks the fields: a misspelt one is refused.
            let mut broken = value.clone();
            broken["spec"]["prun"] = serde_json::Value::Bool(true);
            assert!(api.patch(&name, &params, &Patch::Apply(&broken)).await.is_err(), "{path}: unknown field accepted");
        }
        assert!(sent >= 1, "{engine}: no object sent");
        // Every level is a kustomization kubectl builds.
        let kubectl = std::path::Path::new(&kc).parent().expect("run directory").join("bin/kubectl");
        assert!(kubectl.exists(), "no kubectl beside the test cluster's kubeconfig: {}", kubectl.display());
        let engine_dir = if engine == "argocd" { "argocd".to_string() } else { "flux/seoul".to_string() };
        for level in ["clusters/seoul".to_string(), "clusters/seoul/newsroom-a".to_string(), engine_dir] {
            let out = std::process::Command::new(&kubectl)
                .args(["kustomize", &at.join("out").join(&level).to_string_lossy()])
                .output()
                .expect("kubectl runs");
            let built = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{level}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(built.contains("kind: "), "{level} builds nothing");
            if level == "clusters/seoul" {
                // The whole cluster: every partner's namespace.
                assert_eq!(built.matches("\nkind: Namespace\n").count(), 4, "{built}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
