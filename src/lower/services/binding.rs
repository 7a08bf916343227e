//! The binding of a service, the same on every target and in every mode: the ConfigMap
//! `<partner>-<service>` (host, port, database, user — never the password) and the variables
//! the web container reads from it, from what a cloud's operator exports, and from the
//! password Secret.

use super::{endpoint_name, meta, mode};
use crate::lower::{Lowering, Placement};
use crate::model::{defaults, Engine, Provider, Service, ServiceMode};
use k8s_openapi::api::core::v1::{ConfigMap, ConfigMapKeySelector, EnvVar, EnvVarSource, SecretKeySelector};
use std::collections::BTreeMap;

/// `db` → `DB`, `page-cache` → `PAGE_CACHE`.
fn env_prefix(s: &Service) -> String {
    s.name.value.to_ascii_uppercase().replace('-', "_")
}

/// The cloud's spelling of a database or user name: RDS and Azure allow no `-` there.
fn cloud_name(lw: &Lowering, at: &Placement, s: &Service, name: String) -> String {
    if mode(lw, at, s) == ServiceMode::Managed {
        cloud_spelling(at.target.provider, name)
    } else {
        name
    }
}

/// A managed database's or user's name as `provider`'s cloud gets it.
pub fn cloud_spelling(provider: Provider, name: String) -> String {
    match provider {
        Provider::Eks | Provider::Aks => name.replace('-', "_"),
        Provider::Gke | Provider::K8s => name,
    }
}

/// The database a PostgreSQL service's site connects to, as created on this placement.
pub fn database_name(lw: &Lowering, at: &Placement, s: &Service) -> Option<String> {
    Some(cloud_name(lw, at, s, s.database()?))
}

/// The user a PostgreSQL service's site connects as, as created on this placement.
pub fn user_name(lw: &Lowering, at: &Placement, s: &Service) -> Option<String> {
    Some(cloud_name(lw, at, s, s.user(at.partner)?))
}

/// The binding ConfigMap: where the service is (when bdc knows it) and who connects.
pub(super) fn config_map(lw: &Lowering, at: &Placement, s: &Service) -> ConfigMap {
    let host = match mode(lw, at, s) {
        ServiceMode::InCluster => Some(format!("{}.{}.svc", s.object_name(at.partner), at.namespace)),
        ServiceMode::External => s.host.as_ref().map(|h| h.value.clone()),
        // The Cloud SQL Auth Proxy sidecar listens in the pod.
        ServiceMode::Managed if at.target.provider == Provider::Gke && s.engine() == Engine::Postgres => {
            Some("127.0.0.1".into())
        }
        ServiceMode::Managed => None,
    };
    let mut data = BTreeMap::new();
    if let Some(host) = host {
        data.insert("host".to_string(), host);
        data.insert("port".to_string(), s.port.unwrap_or(s.default_port()).to_string());
    }
    if let Some(database) = database_name(lw, at, s) {
        data.insert("database".into(), database);
    }
    if let Some(user) = user_name(lw, at, s) {
        data.insert("user".into(), user);
    }
    ConfigMap { metadata: meta(lw, at, s, s.object_name(at.partner)), data: Some(data), ..Default::default() }
}

/// Where a managed service's binding reads host and port (and, for Azure Cache for Redis,
/// the password ASO exports): `(ConfigMap or Secret name, is a Secret)`. Cloud SQL needs none:
/// its proxy listens in the pod; Memorystore's address is filled in by hand.
fn exported(at: &Placement, s: &Service) -> Option<(String, bool)> {
    match (at.target.provider, s.engine()) {
        (Provider::Eks, _) | (Provider::Aks, Engine::Postgres) => Some((endpoint_name(at, s), false)),
        (Provider::Aks, Engine::Redis) => Some((endpoint_name(at, s), true)),
        (Provider::Gke | Provider::K8s, _) => None,
    }
}

/// The variables the web container reads, the same on every target and in every mode; only
/// where they are read from changes (bdc's binding, or what the cloud's operator exports).
pub fn binding_env(lw: &Lowering, at: &Placement) -> Vec<EnvVar> {
    let mut out = Vec::new();
    for s in &at.partner.services {
        let prefix = env_prefix(s);
        let exported = if mode(lw, at, s) == ServiceMode::Managed { exported(at, s) } else { None };
        let from = |var: &str, source: &str, key: &str, secret: bool| EnvVar {
            name: format!("{prefix}_{var}"),
            value_from: Some(if secret {
                EnvVarSource {
                    secret_key_ref: Some(SecretKeySelector { name: source.into(), key: key.into(), optional: None }),
                    ..Default::default()
                }
            } else {
                EnvVarSource {
                    config_map_key_ref: Some(ConfigMapKeySelector {
                        name: source.into(),
                        key: key.into(),
                        optional: None,
                    }),
                    ..Default::default()
                }
            }),
            ..Default::default()
        };
        let binding = s.object_name(at.partner);
        let (endpoint, secret) = exported.clone().unwrap_or((binding.clone(), false));
        out.push(from("HOST", &endpoint, "host", secret));
        if exported.is_some() && s.engine() == Engine::Postgres && at.target.provider == Provider::Aks {
            // ASO exports only the host; the port of PostgreSQL is fixed.
            let port = defaults::POSTGRES_PORT.to_string();
            out.push(EnvVar { name: format!("{prefix}_PORT"), value: Some(port), ..Default::default() });
        } else {
            out.push(from("PORT", &endpoint, "port", secret));
        }
        if s.engine() == Engine::Postgres {
            out.push(from("DATABASE", &binding, "database", false));
            out.push(from("USER", &binding, "user", false));
        }
        match exported {
            // Azure Cache for Redis generates its access key; ASO exports it.
            Some((endpoint, true)) => out.push(from("PASSWORD", &endpoint, "password", true)),
            _ => out.push(password_env(&format!("{prefix}_PASSWORD"), at, s)),
        }
    }
    out
}

/// A variable holding the service's password, from its Secret.
pub(super) fn password_env(name: &str, at: &Placement, s: &Service) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector {
                name: s.credentials(at.partner),
                key: "password".into(),
                optional: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}
