//! [`Object`]: one emitted Kubernetes object of any kind bdc produces, in apply order, and
//! [`KINDS`]: the one list of what bdc knows about each kind (order, API, scope, data).

use super::crd::{
    Certificate, ClusterSecretStore, ExternalSecret, HttpRoute, ManagedCertificate, ReferenceGrant, Rollout,
};
use super::operators::{
    AcmCertificate, AzureRedis, DbInstance, FederatedIdentityCredential, FieldExport, FlexibleServer,
    FlexibleServersDatabase, IamPolicyMember, IamRole, RedisInstance, ReplicationGroup, SqlDatabase, SqlInstance,
    SqlUser, UserAssignedIdentity,
};
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    ConfigMap, LimitRange, Namespace, PersistentVolumeClaim, ResourceQuota, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};

/// What every part of bdc needs to know about one kind it emits, read off its Rust type and
/// its entry in the one list below: apply order, API coordinates, scope, whether deleting it
/// deletes data, and whether the cluster needs a CRD for it.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: &'static str,
    pub group: &'static str,
    pub version: &'static str,
    pub api_version: &'static str,
    /// The resource's plural name in URLs (`deployments`).
    pub plural: &'static str,
    pub namespaced: bool,
    /// Deleting the object deletes data (a volume, a managed database or cache): never pruned
    /// without `--prune-data`.
    pub holds_data: bool,
    pub family: Family,
}

/// Where a kind's schema comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Built into Kubernetes (official schemas).
    Core,
    /// A custom resource of a controller bdc addresses (Gateway API, cert-manager, Argo
    /// Rollouts, GKE).
    Custom,
    /// A cloud operator's resource (Config Connector, ACK, ASO): what a managed backing
    /// service is made of.
    Operator,
}

/// Whether a `k8s_openapi` scope type is a namespace.
trait Scope {
    const NAMESPACED: bool;
}
impl Scope for k8s_openapi::NamespaceResourceScope {
    const NAMESPACED: bool = true;
}
impl Scope for k8s_openapi::ClusterResourceScope {
    const NAMESPACED: bool = false;
}

macro_rules! objects {
    ($($variant:ident($ty:ty): $family:ident $(+ $data:ident)?),* $(,)?) => {
        /// An emitted object. Variants are listed in apply order: an object never depends on
        /// one listed after it. (Variants differ in size; objects are built and written in
        /// place, rarely moved, so they are not boxed.)
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object { $($variant($ty)),* }

        /// Every kind bdc emits, in apply order (the order of [`Object`]'s variants).
        pub static KINDS: &[KindInfo] = &[$(KindInfo {
            kind: <$ty as Resource>::KIND,
            group: <$ty as Resource>::GROUP,
            version: <$ty as Resource>::VERSION,
            api_version: <$ty as Resource>::API_VERSION,
            plural: <$ty as Resource>::URL_PATH_SEGMENT,
            namespaced: <<$ty as Resource>::Scope as Scope>::NAMESPACED,
            holds_data: objects!(@data $($data)?),
            family: Family::$family,
        }),*];

        impl Object {
            /// Position in apply order (lower first), an index into [`KINDS`].
            pub fn rank(&self) -> usize {
                let mut i = 0;
                $( if matches!(self, Object::$variant(_)) { return i; } i += 1; )*
                i
            }
            pub fn metadata(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => o.metadata()),* }
            }
            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => o.metadata_mut()),* }
            }
        }

        impl serde::Serialize for Object {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self { $(Object::$variant(o) => o.serialize(s)),* }
            }
        }

        $(impl From<$ty> for Object {
            fn from(o: $ty) -> Object { Object::$variant(o) }
        })*
    };
    (@data data) => { true };
    (@data) => { false };
}

// The one list of kinds: adding a kind here gives it its apply order, its API coordinates for
// `apply`, prune and discovery, and its data protection.
objects! {
    StorageClass(StorageClass): Core,
    Namespace(Namespace): Core,
    ClusterSecretStore(ClusterSecretStore): Custom,
    ServiceAccount(ServiceAccount): Core,
    Role(Role): Core,
    RoleBinding(RoleBinding): Core,
    // A kind name shared with an earlier kind (`Role`, `Certificate`) comes after it, so
    // `kind_info` finds the core or first one.
    IamPolicyMember(IamPolicyMember): Operator,
    IamRole(IamRole): Operator,
    UserAssignedIdentity(UserAssignedIdentity): Operator,
    FederatedIdentityCredential(FederatedIdentityCredential): Operator,
    ResourceQuota(ResourceQuota): Core,
    LimitRange(LimitRange): Core,
    NetworkPolicy(NetworkPolicy): Core,
    ExternalSecret(ExternalSecret): Custom,
    ConfigMap(ConfigMap): Core,
    PersistentVolumeClaim(PersistentVolumeClaim): Core + data,
    SqlInstance(SqlInstance): Operator + data,
    SqlDatabase(SqlDatabase): Operator + data,
    SqlUser(SqlUser): Operator,
    RedisInstance(RedisInstance): Operator + data,
    DbInstance(DbInstance): Operator + data,
    ReplicationGroup(ReplicationGroup): Operator + data,
    FieldExport(FieldExport): Operator,
    FlexibleServer(FlexibleServer): Operator + data,
    FlexibleServersDatabase(FlexibleServersDatabase): Operator + data,
    AzureRedis(AzureRedis): Operator + data,
    Certificate(Certificate): Custom,
    AcmCertificate(AcmCertificate): Operator,
    ManagedCertificate(ManagedCertificate): Custom,
    ReferenceGrant(ReferenceGrant): Custom,
    Service(Service): Core,
    StatefulSet(StatefulSet): Core,
    Deployment(Deployment): Core,
    Rollout(Rollout): Custom,
    HorizontalPodAutoscaler(HorizontalPodAutoscaler): Core,
    PodDisruptionBudget(PodDisruptionBudget): Core,
    Ingress(Ingress): Core,
    HttpRoute(HttpRoute): Custom,
    Job(Job): Core,
}

/// The facts of a kind by its name (`Deployment`), for objects read back from a cluster.
pub fn kind_info(kind: &str) -> Option<(usize, &'static KindInfo)> {
    KINDS.iter().enumerate().find(|(_, k)| k.kind == kind)
}

impl Object {
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> Option<&str> {
        self.metadata().namespace.as_deref()
    }

    pub fn info(&self) -> &'static KindInfo {
        &KINDS[self.rank()]
    }

    pub fn kind(&self) -> &'static str {
        self.info().kind
    }

    pub fn api_version(&self) -> &'static str {
        self.info().api_version
    }

    /// Whether the kind is a custom resource (no official Kubernetes schema).
    pub fn is_custom_resource(&self) -> bool {
        self.info().family != Family::Core
    }

    /// Whether the object is a cloud operator's resource (Config Connector, ACK, ASO).
    pub fn is_operator_resource(&self) -> bool {
        self.info().family == Family::Operator
    }

    /// A file name for the object: `05-resourcequota-quota.yaml`.
    pub fn file_stem(&self) -> String {
        format!("{:02}-{}-{}", self.rank(), self.kind().to_lowercase(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::{kind_info, Family, KINDS};

    #[test]
    fn the_list_of_kinds_knows_scope_data_and_api() {
        let cluster_scoped: Vec<&str> = KINDS.iter().filter(|k| !k.namespaced).map(|k| k.kind).collect();
        assert_eq!(cluster_scoped, ["StorageClass", "Namespace", "ClusterSecretStore"]);
        let data: Vec<&str> = KINDS.iter().filter(|k| k.holds_data).map(|k| k.kind).collect();
        assert_eq!(
            data,
            [
                "PersistentVolumeClaim",
                "SQLInstance",
                "SQLDatabase",
                "RedisInstance",
                "DBInstance",
                "ReplicationGroup",
                "FlexibleServer",
                "FlexibleServersDatabase",
                "Redis"
            ]
        );
        let (rank, deployment) = kind_info("Deployment").expect("Deployment is emitted");
        assert_eq!(
            (deployment.api_version, deployment.plural, deployment.family),
            ("apps/v1", "deployments", Family::Core)
        );
        assert!(rank > kind_info("ConfigMap").expect("listed").0, "config comes before what reads it");
        let route = kind_info("HTTPRoute").expect("listed").1;
        assert_eq!(
            (route.group, route.plural, route.family),
            ("gateway.networking.k8s.io", "httproutes", Family::Custom)
        );
        assert!(kind_info("Secret").is_none());
    }
}
