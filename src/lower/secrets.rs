//! Secrets from the target's secret store: when the platform's `secret_store` gives the
//! placement's target a cloud secret manager, one `ClusterSecretStore` of the External Secrets
//! Operator per target (named after the platform, open to the platform's partner namespaces,
//! reading with the target's workload identity: the one the operator's controller runs as) and,
//! in each partner namespace, one `ExternalSecret` per Secret the site and its services read —
//! its `secrets` and each service's `credentials`. Each Secret keeps its name on every cloud and
//! is read from the store entry `<prefix><partner>-<secret>` (a JSON object of its keys), so a
//! move to another cloud changes the store, never the spec. With no store (or `kubernetes`)
//! nothing is emitted: the Secrets are created by hand, as before.

use super::crd::{
    AwsStore, AzureStore, ClusterSecretStore, DataFrom, ExternalSecret, ExternalSecretSpec, Extract, GcpStore,
    SecretStoreSpec, SecretTarget, ServiceAccountRef, StoreCondition, StoreNamespaces, StoreProvider, StoreRef,
};
use super::labels::{meta, MANAGED_BY, PART_OF};
use super::{Lowering, Object, Placement};
use crate::model::{Engine, Partner, Provider, SecretStore as Store, SecretStoreKind, ServiceMode, Target};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

/// The service account the External Secrets Operator's controller runs as (its chart's
/// default), whose workload identity reads Azure Key Vault.
pub const CONTROLLER: (&str, &str) = ("external-secrets", "external-secrets");

/// The cloud secret store of a target, when the platform gives it one (not `kubernetes`).
pub fn store<'a>(lw: &'a Lowering, target: &Target) -> Option<&'a Store> {
    lw.platform.secret_stores.get(&target.name.value).filter(|s| s.kind != SecretStoreKind::Kubernetes)
}

/// Every Secret the partner's site and services read on this placement, by name, in order:
/// its `secrets`, then each service's password (except the access key Azure Cache for Redis
/// generates itself, which the operator exports).
pub fn needed(lw: &Lowering, at: &Placement) -> Vec<String> {
    let mut out: Vec<String> = at.partner.secrets.iter().map(|s| s.value.clone()).collect();
    for s in &at.partner.services {
        let generated = super::services::mode(lw, at, s) == ServiceMode::Managed
            && at.target.provider == Provider::Aks
            && s.engine() == Engine::Redis;
        let name = s.credentials(at.partner);
        if !generated && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The store entry a partner's Secret is read from.
pub fn key(store: &Store, partner: &Partner, secret: &str) -> String {
    store.key(&partner.name.value, secret)
}

/// The name of the `ClusterSecretStore` of a platform: the platform's name, spelled as an
/// object name (`my_platform` → `my-platform`).
pub fn store_name(lw: &Lowering) -> String {
    lw.platform.name.value.to_ascii_lowercase().replace('_', "-")
}

/// The `ClusterSecretStore` of each target the placed partners need one on, once.
pub fn cluster_objects(lw: &Lowering, placements: &[Placement]) -> Vec<Object> {
    let mut targets: Vec<&Target> = Vec::new();
    for at in placements {
        if store(lw, at.target).is_some()
            && !needed(lw, at).is_empty()
            && !targets.iter().any(|t| t.name.value == at.target.name.value)
        {
            targets.push(at.target);
        }
    }
    targets.into_iter().filter_map(|t| cluster_store(lw, t)).collect()
}

fn cluster_store(lw: &Lowering, target: &Target) -> Option<Object> {
    let store = store(lw, target)?;
    let provider = match store.kind {
        SecretStoreKind::GcpSecretManager => {
            StoreProvider::Gcpsm(GcpStore { project_id: store.project.clone().unwrap_or_default() })
        }
        SecretStoreKind::AwsSecretsManager => StoreProvider::Aws(AwsStore {
            service: "SecretsManager".into(),
            region: store.region.clone().unwrap_or_default(),
        }),
        SecretStoreKind::AzureKeyVault => StoreProvider::Azurekv(AzureStore {
            vault_url: store.vault.clone().unwrap_or_default(),
            auth_type: "WorkloadIdentity".into(),
            service_account_ref: ServiceAccountRef { name: CONTROLLER.1.into(), namespace: CONTROLLER.0.into() },
        }),
        SecretStoreKind::Kubernetes => return None,
    };
    let mut labels: BTreeMap<String, String> =
        lw.platform.labels.iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
    labels.insert(PART_OF.into(), lw.platform.name.value.clone());
    labels.insert(MANAGED_BY.into(), "bdc".into());
    labels.insert("app.kubernetes.io/component".into(), "secrets".into());
    // Only the platform's partner namespaces (every one carries these labels).
    let namespaces = BTreeMap::from([
        (PART_OF.to_string(), lw.platform.name.value.clone()),
        (MANAGED_BY.to_string(), "bdc".to_string()),
    ]);
    Some(
        ClusterSecretStore::new(
            ObjectMeta { name: Some(store_name(lw)), labels: Some(labels), ..Default::default() },
            SecretStoreSpec {
                conditions: vec![StoreCondition { namespace_selector: StoreNamespaces { match_labels: namespaces } }],
                provider,
            },
        )
        .into(),
    )
}

/// One `ExternalSecret` per Secret the partner needs, when its target has a cloud store.
pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let Some(store) = store(lw, at.target) else { return Vec::new() };
    needed(lw, at)
        .into_iter()
        .map(|name| {
            ExternalSecret::new(
                meta(lw, at, &name, "secrets"),
                ExternalSecretSpec {
                    refresh_interval: "1h".into(),
                    secret_store_ref: StoreRef { kind: "ClusterSecretStore".into(), name: store_name(lw) },
                    target: SecretTarget {
                        name: name.clone(),
                        creation_policy: "Owner".into(),
                        deletion_policy: "Retain".into(),
                    },
                    data_from: vec![DataFrom { extract: Extract { key: key(store, at.partner, &name) } }],
                },
            )
            .into()
        })
        .collect()
}
