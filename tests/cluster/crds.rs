//! CustomResourceDefinitions on the test cluster, installed by the tests that apply custom
//! resources: Argo Rollouts and the cloud operators (Config Connector, ACK, ASO) from the
//! schemas kept as test data (`tests/data/argo-rollouts`, `tests/data/operators`), and Gateway
//! API, cert-manager and GKE ManagedCertificate from `tests/data/crds` (open schemas: their
//! official CRDs are not kept as test data), and Argo CD's ApplicationSet and Flux's
//! Kustomization from `tests/data/gitops` (derived from the published CRDs). Installing is idempotent (server-side apply of
//! the same definition), so tests running in parallel may install the same CRDs; they stay
//! on the cluster, which `.ci/test` forgets on exit.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A set of CRDs kept as test data.
#[derive(Clone, Copy, Debug)]
pub enum Crds {
    ArgoRollouts,
    /// Config Connector, ACK and ASO.
    Operators,
    /// Gateway API, cert-manager, GKE ManagedCertificate.
    Routing,
    /// Argo CD's ApplicationSet and Flux's Kustomization.
    Gitops,
}

fn files(set: Crds) -> Vec<PathBuf> {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let yaml_in = |dir: &str| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data.join(dir))
            .expect("test data directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        files
    };
    match set {
        Crds::ArgoRollouts => vec![data.join("argo-rollouts/rollout-crd.yaml")],
        Crds::Operators => yaml_in("operators"),
        Crds::Routing => yaml_in("crds"),
        Crds::Gitops => {
            vec![data.join("gitops/argocd-applicationset-crd.yaml"), data.join("gitops/flux-kustomization-crd.yaml")]
        }
    }
}

/// Held while a test relies on the CRDs being installed (a shared lock on a file, so tests in
/// other processes count too), or on one being absent (the lock held exclusively).
pub struct Held(#[allow(dead_code)] std::fs::File);

async fn lock(exclusive: bool) -> Held {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bdc-test-crds.lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).expect("lock file");
        if exclusive { file.lock() } else { file.lock_shared() }.expect("lock");
        Held(file)
    })
    .await
    .expect("lock")
}

/// Removes the CRD named `name` for as long as the answer is held: tests that install CRDs wait
/// until then (and install it again).
pub async fn without(client: &kube::Client, name: &str) -> Held {
    let held = lock(true).await;
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let _ = api.delete(name, &Default::default()).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while api.get_opt(name).await.expect("CRD").is_some() {
        assert!(Instant::now() < deadline, "CRD {name} not gone after 60s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    held
}

/// Installs the CRDs of `sets` and waits until the API server serves them; they stay while
/// the answer is held.
pub async fn install(client: &kube::Client, sets: &[Crds]) -> Held {
    let held = lock(false).await;
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let mut names = Vec::new();
    for set in sets {
        for file in files(*set) {
            let text = std::fs::read_to_string(&file).expect("CRD file");
            for doc in serde_yaml::Deserializer::from_str(&text) {
                let value = serde_json::to_value(
                    <serde_yaml::Value as serde::Deserialize>::deserialize(doc).expect("CRD YAML"),
                )
                .expect("CRD as JSON");
                if value.get("kind").and_then(|k| k.as_str()) != Some("CustomResourceDefinition") {
                    continue;
                }
                let mut crd: CustomResourceDefinition =
                    serde_json::from_value(value).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                crd.metadata.creation_timestamp = None;
                crd.status = None;
                // The ASO files keep one API version without its storage twin (see
                // tests/data/operators/README.md): that version is stored, and no conversion
                // webhook is called (the cluster runs none).
                if !crd.spec.versions.iter().any(|v| v.storage) {
                    crd.spec.versions[0].storage = true;
                }
                crd.spec.conversion = None;
                let name = crd.metadata.name.clone().expect("CRD name");
                api.patch(&name, &PatchParams::apply("bdc-tests").force(), &Patch::Apply(&crd))
                    .await
                    .unwrap_or_else(|e| panic!("installing CRD {name} from {}: {e}", file.display()));
                names.push(name);
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    for name in names {
        loop {
            let crd = api.get(&name).await.expect("CRD");
            let established = crd
                .status
                .and_then(|s| s.conditions)
                .into_iter()
                .flatten()
                .any(|c| c.type_ == "Established" && c.status == "True");
            if established {
                break;
            }
            assert!(Instant::now() < deadline, "CRD {name} not established after 30s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    held
}
