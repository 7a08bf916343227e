//! Typed objects of the custom resources bdc emits, which `k8s-openapi` does not cover:
//! Gateway API `HTTPRoute` and `ReferenceGrant`, cert-manager `Certificate`, GKE
//! `ManagedCertificate`, External Secrets Operator `ClusterSecretStore` and `ExternalSecret`. Only the
//! fields bdc sets are modelled; names follow each project's
//! published CRD schema. Each implements `k8s_openapi::Resource` so the apply stage can send
//! it like any built-in kind.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

macro_rules! custom_resource {
    ($name:ident, $spec:ty, $group:literal, $version:literal, $kind:literal, $plural:literal) => {
        custom_resource!($name, $spec, $group, $version, $kind, $plural, k8s_openapi::NamespaceResourceScope);
    };
    ($name:ident, $spec:ty, $group:literal, $version:literal, $kind:literal, $plural:literal, $scope:ty) => {
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            pub api_version: &'static str,
            pub kind: &'static str,
            pub metadata: ObjectMeta,
            pub spec: $spec,
        }

        impl $name {
            pub fn new(metadata: ObjectMeta, spec: $spec) -> Self {
                $name { api_version: concat!($group, "/", $version), kind: $kind, metadata, spec }
            }
        }

        impl k8s_openapi::Resource for $name {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = $scope;
        }

        impl k8s_openapi::Metadata for $name {
            type Ty = ObjectMeta;
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    };
}
pub(crate) use custom_resource;

custom_resource!(HttpRoute, HttpRouteSpec, "gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes");
custom_resource!(
    ReferenceGrant,
    ReferenceGrantSpec,
    "gateway.networking.k8s.io",
    "v1beta1",
    "ReferenceGrant",
    "referencegrants"
);
custom_resource!(Certificate, CertificateSpec, "cert-manager.io", "v1", "Certificate", "certificates");
custom_resource!(
    ManagedCertificate,
    ManagedCertificateSpec,
    "networking.gke.io",
    "v1",
    "ManagedCertificate",
    "managedcertificates"
);

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteSpec {
    pub parent_refs: Vec<ParentRef>,
    pub hostnames: Vec<String>,
    pub rules: Vec<HttpRouteRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParentRef {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRouteRule {
    pub backend_refs: Vec<BackendRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendRef {
    pub name: String,
    pub port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceGrantSpec {
    pub from: Vec<GrantFrom>,
    pub to: Vec<GrantTo>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantFrom {
    pub group: String,
    pub kind: String,
    pub namespace: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantTo {
    pub group: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSpec {
    pub secret_name: String,
    pub dns_names: Vec<String>,
    pub issuer_ref: IssuerRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuerRef {
    pub name: String,
    pub kind: String,
    pub group: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedCertificateSpec {
    pub domains: Vec<String>,
}

custom_resource!(Rollout, RolloutSpec, "argoproj.io", "v1alpha1", "Rollout", "rollouts");

/// The parts of an Argo Rollouts `Rollout` bdc sets (field names from the project's CRD,
/// `manifests/crds/rollout-crd.yaml`; checked against it in the tests).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    pub selector: k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    pub template: k8s_openapi::api::core::v1::PodTemplateSpec,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    pub revision_history_limit: i32,
    pub progress_deadline_seconds: i32,
    pub strategy: RolloutStrategy,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutStrategy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blue_green: Option<BlueGreenStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary: Option<CanaryStrategy>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlueGreenStrategy {
    pub active_service: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_service: Option<String>,
    pub auto_promotion_enabled: bool,
    pub scale_down_delay_seconds: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryStrategy {
    pub canary_service: String,
    pub stable_service: String,
    pub steps: Vec<CanaryStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_routing: Option<TrafficRouting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<RolloutAnalysis>,
}

/// One step: exactly one of the fields is set.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryStep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_weight: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pause: Option<Pause>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pause {
    pub duration: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficRouting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugins: Option<std::collections::BTreeMap<String, GatewayApiPlugin>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alb: Option<AlbRouting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nginx: Option<NginxRouting>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayApiPlugin {
    pub http_route: String,
    pub namespace: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlbRouting {
    pub ingress: String,
    pub service_port: i32,
    pub root_service: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NginxRouting {
    pub stable_ingress: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolloutAnalysis {
    pub templates: Vec<AnalysisTemplateRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisTemplateRef {
    pub template_name: String,
}

// ---- External Secrets Operator -------------------------------------------------------------

custom_resource!(
    ClusterSecretStore,
    SecretStoreSpec,
    "external-secrets.io",
    "v1",
    "ClusterSecretStore",
    "clustersecretstores",
    k8s_openapi::ClusterResourceScope
);
custom_resource!(ExternalSecret, ExternalSecretSpec, "external-secrets.io", "v1", "ExternalSecret", "externalsecrets");

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecretStoreSpec {
    /// The namespaces whose `ExternalSecret`s may use the store.
    pub conditions: Vec<StoreCondition>,
    pub provider: StoreProvider,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreCondition {
    pub namespace_selector: StoreNamespaces,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreNamespaces {
    pub match_labels: std::collections::BTreeMap<String, String>,
}

/// Exactly one cloud's secret manager (the CRD allows one provider per store). The store reads
/// with the target's workload identity: the one the External Secrets Operator's controller
/// runs as.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreProvider {
    Gcpsm(GcpStore),
    Aws(AwsStore),
    Azurekv(AzureStore),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceAccountRef {
    pub name: String,
    pub namespace: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GcpStore {
    #[serde(rename = "projectID")]
    pub project_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AwsStore {
    /// `SecretsManager`.
    pub service: String,
    pub region: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureStore {
    pub vault_url: String,
    /// `WorkloadIdentity`.
    pub auth_type: String,
    pub service_account_ref: ServiceAccountRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalSecretSpec {
    pub refresh_interval: String,
    pub secret_store_ref: StoreRef,
    pub target: SecretTarget,
    pub data_from: Vec<DataFrom>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreRef {
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretTarget {
    pub name: String,
    /// `Owner`: the operator creates the Secret and owns it.
    pub creation_policy: String,
    /// `Retain`: the Secret stays when the value disappears from the store.
    pub deletion_policy: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DataFrom {
    pub extract: Extract,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Extract {
    pub key: String,
}
