//! Typed custom resources of the cloud operators that provision managed backing services:
//! Config Connector (GKE: Cloud SQL, Memorystore), AWS Controllers for Kubernetes (EKS: RDS,
//! ElastiCache, FieldExport) and Azure Service Operator v2 (AKS: PostgreSQL Flexible Server,
//! Azure Cache for Redis), and what `bdc export` adds: an ACM `Certificate` (ACK) and the
//! identity binding objects (Config Connector `IAMPolicyMember`, ACK IAM `Role`, ASO
//! `UserAssignedIdentity` and `FederatedIdentityCredential`). Only the fields bdc sets are modelled, named as in the operators'
//! published CRDs (kept in `tests/data/operators/`, which the emitted objects are checked
//! against).

use super::crd::custom_resource;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use std::collections::BTreeMap;

// ---- Config Connector ----------------------------------------------------------------------

custom_resource!(SqlInstance, SqlInstanceSpec, "sql.cnrm.cloud.google.com", "v1beta1", "SQLInstance", "sqlinstances");
custom_resource!(SqlDatabase, SqlDatabaseSpec, "sql.cnrm.cloud.google.com", "v1beta1", "SQLDatabase", "sqldatabases");
custom_resource!(SqlUser, SqlUserSpec, "sql.cnrm.cloud.google.com", "v1beta1", "SQLUser", "sqlusers");
custom_resource!(
    RedisInstance,
    RedisInstanceSpec,
    "redis.cnrm.cloud.google.com",
    "v1beta1",
    "RedisInstance",
    "redisinstances"
);

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlInstanceSpec {
    pub database_version: String,
    pub region: String,
    pub settings: SqlSettings,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlSettings {
    pub tier: String,
    pub disk_size: i64,
    pub disk_autoresize: bool,
    pub deletion_protection_enabled: bool,
    pub backup_configuration: SqlBackup,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlBackup {
    pub enabled: bool,
    pub point_in_time_recovery_enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NameRef {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlDatabaseSpec {
    pub instance_ref: NameRef,
    #[serde(rename = "resourceID")]
    pub resource_id: String,
    /// `ABANDON`: deleting the object leaves the database in place.
    pub deletion_policy: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlUserSpec {
    pub instance_ref: NameRef,
    #[serde(rename = "resourceID")]
    pub resource_id: String,
    pub password: SqlPassword,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlPassword {
    pub value_from: SqlPasswordSource,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SqlPasswordSource {
    pub secret_key_ref: KeyRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyRef {
    pub name: String,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedisInstanceSpec {
    pub memory_size_gb: i64,
    pub region: String,
    pub tier: String,
    pub redis_version: String,
    pub auth_enabled: bool,
}

// ---- AWS Controllers for Kubernetes --------------------------------------------------------

custom_resource!(DbInstance, DbInstanceSpec, "rds.services.k8s.aws", "v1alpha1", "DBInstance", "dbinstances");
custom_resource!(
    ReplicationGroup,
    ReplicationGroupSpec,
    "elasticache.services.k8s.aws",
    "v1alpha1",
    "ReplicationGroup",
    "replicationgroups"
);
custom_resource!(FieldExport, FieldExportSpec, "services.k8s.aws", "v1alpha1", "FieldExport", "fieldexports");

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DbInstanceSpec {
    pub db_instance_identifier: String,
    pub db_instance_class: String,
    pub engine: String,
    pub engine_version: String,
    pub allocated_storage: i64,
    pub storage_type: String,
    pub storage_encrypted: bool,
    pub db_name: String,
    pub master_username: String,
    pub master_user_password: KeyRef,
    pub db_subnet_group_name: String,
    #[serde(rename = "vpcSecurityGroupIDs")]
    pub vpc_security_group_ids: Vec<String>,
    pub publicly_accessible: bool,
    pub backup_retention_period: i64,
    pub deletion_protection: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationGroupSpec {
    #[serde(rename = "replicationGroupID")]
    pub replication_group_id: String,
    pub description: String,
    pub engine: String,
    pub engine_version: String,
    pub cache_node_type: String,
    pub num_node_groups: i64,
    pub replicas_per_node_group: i64,
    pub cache_subnet_group_name: String,
    #[serde(rename = "securityGroupIDs")]
    pub security_group_ids: Vec<String>,
    pub transit_encryption_enabled: bool,
    pub at_rest_encryption_enabled: bool,
    pub auth_token: KeyRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldExportSpec {
    pub from: ExportFrom,
    pub to: ExportTo,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportFrom {
    pub path: String,
    pub resource: ExportResource,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportResource {
    pub group: String,
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExportTo {
    /// `configmap` or `secret`.
    pub kind: String,
    pub name: String,
    pub key: String,
}

// ---- Azure Service Operator v2 -------------------------------------------------------------

custom_resource!(
    FlexibleServer,
    FlexibleServerSpec,
    "dbforpostgresql.azure.com",
    "v1api20240801",
    "FlexibleServer",
    "flexibleservers"
);
custom_resource!(
    FlexibleServersDatabase,
    FlexibleServersDatabaseSpec,
    "dbforpostgresql.azure.com",
    "v1api20240801",
    "FlexibleServersDatabase",
    "flexibleserversdatabases"
);
custom_resource!(AzureRedis, AzureRedisSpec, "cache.azure.com", "v1api20230801", "Redis", "redis");

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexibleServerSpec {
    pub owner: NameRef,
    pub location: String,
    pub version: String,
    pub sku: AzureSku,
    pub storage: FlexibleStorage,
    pub administrator_login: String,
    pub administrator_login_password: KeyRef,
    pub operator_spec: FlexibleOperatorSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AzureSku {
    pub name: String,
    pub tier: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexibleStorage {
    #[serde(rename = "storageSizeGB")]
    pub storage_size_gb: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexibleOperatorSpec {
    pub config_maps: BTreeMap<String, KeyRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlexibleServersDatabaseSpec {
    pub owner: NameRef,
    pub azure_name: String,
    pub charset: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureRedisSpec {
    pub owner: NameRef,
    pub location: String,
    pub sku: AzureRedisSku,
    pub redis_version: String,
    pub enable_non_ssl_port: bool,
    pub minimum_tls_version: String,
    pub operator_spec: AzureRedisOperatorSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AzureRedisSku {
    pub name: String,
    pub family: String,
    pub capacity: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AzureRedisOperatorSpec {
    pub secrets: BTreeMap<String, KeyRef>,
}

// ---- Certificates and identities (bdc export) ----------------------------------------------

custom_resource!(AcmCertificate, AcmCertificateSpec, "acm.services.k8s.aws", "v1alpha1", "Certificate", "certificates");
custom_resource!(IamRole, IamRoleSpec, "iam.services.k8s.aws", "v1alpha1", "Role", "roles");
custom_resource!(
    IamPolicyMember,
    IamPolicyMemberSpec,
    "iam.cnrm.cloud.google.com",
    "v1beta1",
    "IAMPolicyMember",
    "iampolicymembers"
);
custom_resource!(
    UserAssignedIdentity,
    UserAssignedIdentitySpec,
    "managedidentity.azure.com",
    "v1api20181130",
    "UserAssignedIdentity",
    "userassignedidentities"
);
custom_resource!(
    FederatedIdentityCredential,
    FederatedIdentityCredentialSpec,
    "managedidentity.azure.com",
    "v1api20230131",
    "FederatedIdentityCredential",
    "federatedidentitycredentials"
);

/// An ACM certificate requested by domain (validated by DNS); the AWS Load Balancer Controller
/// finds it by the Ingress's TLS hosts, so no ARN is written anywhere.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcmCertificateSpec {
    pub domain_name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_alternative_names: Vec<String>,
}

/// An IAM role for service accounts (IRSA): trusted by the cluster's OIDC provider for one
/// Kubernetes service account.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IamRoleSpec {
    pub name: String,
    pub description: String,
    /// The trust policy, as JSON text.
    pub assume_role_policy_document: String,
}

/// A Config Connector IAM binding: `member` gets `role` on the resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IamPolicyMemberSpec {
    pub member: String,
    pub role: String,
    pub resource_ref: ExternalRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExternalRef {
    pub kind: String,
    pub external: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAssignedIdentitySpec {
    pub owner: NameRef,
    pub location: String,
    pub operator_spec: IdentityOperatorSpec,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityOperatorSpec {
    pub config_maps: IdentityConfigMaps,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityConfigMaps {
    pub client_id: KeyRef,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FederatedIdentityCredentialSpec {
    pub owner: NameRef,
    pub audiences: Vec<String>,
    pub issuer: String,
    pub subject: String,
}
