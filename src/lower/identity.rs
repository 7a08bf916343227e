//! The cloud identity of a partner's service account on its placement's target: the partner's
//! own `identity` where it has the target's shape, otherwise one bdc creates through the
//! target's operator when the platform's `managed` settings say where — an ACK IAM `Role`
//! trusted by the cluster's OIDC provider (EKS), or an ASO `UserAssignedIdentity` with a
//! `FederatedIdentityCredential` (AKS). On GKE a partner's Google service account gets a
//! Config Connector `IAMPolicyMember` letting the Kubernetes service account act as it.
//! What the identity may do in the cloud (its roles and policies) is never copied: bdc cannot
//! read it, and granting it is the one step of a move a person must approve.

use super::labels::meta;
use super::names::{derive, IDENTITY};
use super::operators::{
    ExternalRef, FederatedIdentityCredential, FederatedIdentityCredentialSpec, IamPolicyMember, IamPolicyMemberSpec,
    IamRole, IamRoleSpec, IdentityConfigMaps, IdentityOperatorSpec, KeyRef, NameRef, UserAssignedIdentity,
    UserAssignedIdentitySpec,
};
use super::tenancy::identity_fits;
use super::{Lowering, Object, Placement};
use crate::model::{Managed, Provider};

/// The key ASO writes the managed identity's client id under.
pub const CLIENT_ID_KEY: &str = "clientId";

/// How the partner's service account gets its cloud identity on this placement.
#[derive(Clone, Debug, PartialEq)]
pub enum Identity {
    /// No identity: the partner names none, or the target is a plain cluster.
    None,
    /// The partner's own identity fits the target.
    Own(String),
    /// An identity bdc creates; the annotation's value when it is known before it exists
    /// (an IAM role's ARN), `None` when the cloud makes it up (an Azure client id, exported to
    /// the ConfigMap `<partner>-identity`).
    Created { annotation: Option<String> },
    /// The partner's identity does not fit and bdc cannot create one here: the platform's
    /// `managed` settings for the target lack what it needs (named).
    Missing(Vec<&'static str>),
}

fn account<'a>(lw: &'a Lowering, at: &Placement) -> Option<&'a Managed> {
    lw.platform.managed.get(&at.target.name.value)
}

/// The name an IAM role created for the partner has in AWS: its namespace.
fn role_name(at: &Placement) -> String {
    at.namespace.clone()
}

/// The identity of the partner's service account on this placement.
pub fn of(lw: &Lowering, at: &Placement) -> Identity {
    let Some(own) = &at.partner.identity else { return Identity::None };
    if at.target.provider == Provider::K8s {
        return Identity::None;
    }
    if identity_fits(at.target.provider, own) {
        return Identity::Own(own.clone());
    }
    let m = account(lw, at).cloned().unwrap_or_default();
    let need: &[(&str, bool)] = match at.target.provider {
        Provider::Eks => &[("account", m.account.is_some()), ("oidc_provider", m.oidc_provider.is_some())],
        Provider::Aks => &[
            ("resource_group", m.resource_group.is_some()),
            ("region", m.region.is_some()),
            ("oidc_issuer", m.oidc_issuer.is_some()),
        ],
        // A Google service account is created by hand (Config Connector's IAMServiceAccount
        // is not emitted); bdc binds one that exists.
        Provider::Gke => &[("identity", false)],
        Provider::K8s => &[],
    };
    let missing: Vec<&'static str> = need.iter().filter(|(_, ok)| !ok).map(|(n, _)| *n).collect();
    if !missing.is_empty() {
        return Identity::Missing(missing);
    }
    match at.target.provider {
        Provider::Eks => Identity::Created {
            annotation: Some(format!("arn:aws:iam::{}:role/{}", m.account.clone().unwrap_or_default(), role_name(at))),
        },
        _ => Identity::Created { annotation: None },
    }
}

/// The value of the target's identity annotation on the service account, when known.
pub fn annotation(lw: &Lowering, at: &Placement) -> Option<(String, String)> {
    let key = at.target.identity_annotation.as_ref()?;
    match of(lw, at) {
        Identity::Own(value) | Identity::Created { annotation: Some(value) } => Some((key.clone(), value)),
        _ => None,
    }
}

/// The operator objects that create or bind the partner's identity on this placement.
pub fn objects(lw: &Lowering, at: &Placement) -> Vec<Object> {
    let name = derive(&at.partner.name.value, IDENTITY);
    let sa = &at.partner.name.value;
    let subject = format!("system:serviceaccount:{}:{sa}", at.namespace);
    let m = account(lw, at).cloned().unwrap_or_default();
    match (of(lw, at), at.target.provider) {
        (Identity::Own(email), Provider::Gke) => {
            let Some(project) = &m.project else { return Vec::new() };
            vec![IamPolicyMember::new(
                meta(lw, at, &name, "identity"),
                IamPolicyMemberSpec {
                    member: format!("serviceAccount:{project}.svc.id.goog[{}/{sa}]", at.namespace),
                    role: "roles/iam.workloadIdentityUser".into(),
                    resource_ref: ExternalRef {
                        kind: "IAMServiceAccount".into(),
                        external: format!(
                            "projects/{}/serviceAccounts/{email}",
                            project_of(&email).unwrap_or(project.as_str())
                        ),
                    },
                },
            )
            .into()]
        }
        (Identity::Created { .. }, Provider::Eks) => {
            let provider = m.oidc_provider.clone().unwrap_or_default();
            let account = m.account.clone().unwrap_or_default();
            let policy = serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Federated": format!("arn:aws:iam::{account}:oidc-provider/{provider}") },
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": { "StringEquals": {
                        format!("{provider}:sub"): subject,
                        format!("{provider}:aud"): "sts.amazonaws.com",
                    } },
                }],
            });
            vec![IamRole::new(
                meta(lw, at, &name, "identity"),
                IamRoleSpec {
                    name: role_name(at),
                    description: format!("workload identity of partner {}", at.partner.name.value),
                    assume_role_policy_document: policy.to_string(),
                },
            )
            .into()]
        }
        (Identity::Created { .. }, Provider::Aks) => vec![
            UserAssignedIdentity::new(
                meta(lw, at, &name, "identity"),
                UserAssignedIdentitySpec {
                    owner: NameRef { name: m.resource_group.clone().unwrap_or_default() },
                    location: m.region.clone().unwrap_or_default(),
                    operator_spec: IdentityOperatorSpec {
                        config_maps: IdentityConfigMaps {
                            client_id: KeyRef { name: name.clone(), key: CLIENT_ID_KEY.into() },
                        },
                    },
                },
            )
            .into(),
            FederatedIdentityCredential::new(
                meta(lw, at, &name, "identity"),
                FederatedIdentityCredentialSpec {
                    owner: NameRef { name: name.clone() },
                    audiences: vec!["api://AzureADTokenExchange".into()],
                    issuer: m.oidc_issuer.clone().unwrap_or_default(),
                    subject,
                },
            )
            .into(),
        ],
        _ => Vec::new(),
    }
}

/// The project of a Google service account's email (`name@project.iam.gserviceaccount.com`).
fn project_of(email: &str) -> Option<&str> {
    email.split_once('@')?.1.strip_suffix(".iam.gserviceaccount.com")
}

/// The command that lists what an identity may do on its own cloud: the permissions to grant
/// the new one.
pub fn permissions_command(provider: Provider, identity: &str) -> Option<String> {
    match provider {
        Provider::Gke => {
            let project = project_of(identity)?;
            Some(format!(
                "gcloud projects get-iam-policy {project} --flatten=bindings[].members --filter=bindings.members:serviceAccount:{identity} --format=value(bindings.role)"
            ))
        }
        Provider::Eks => {
            let role = identity.rsplit('/').next()?;
            Some(format!(
                "aws iam list-attached-role-policies --role-name {role} && aws iam list-role-policies --role-name {role}"
            ))
        }
        Provider::Aks => Some(format!("az role assignment list --assignee {identity} --all --output table")),
        Provider::K8s => None,
    }
}
