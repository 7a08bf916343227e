//! The images bdc runs besides releases: in-cluster PostgreSQL and Redis, and the Cloud SQL
//! Auth Proxy sidecar. The platform's `images` map pins them, keyed by what each replaces —
//! `postgres:16`, `redis:7` (engine and major version), `cloud-sql-proxy` — preferably by
//! digest; what it does not pin runs the official image by its (floating) tag, and a rule warns.

use super::{Partner, Platform, Service, ServiceKind, ServiceMode, Target};
use crate::source::Span;

/// The key of the Cloud SQL Auth Proxy sidecar's image.
pub const PROXY: &str = "cloud-sql-proxy";
/// The proxy release bdc uses unless the platform pins another.
pub const PROXY_DEFAULT: &str = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1";

/// `postgres:16`, `redis:7`: the key of a service's image.
pub fn key(s: &Service) -> String {
    let version = match &s.kind {
        ServiceKind::Postgres { version, .. } => version.value,
        ServiceKind::Redis { version, .. } => *version,
    };
    format!("{}:{version}", s.engine())
}

/// The official image of a key (`docker.io/library/postgres:16`); `None` for a key bdc does not
/// run (another engine, a major version the schema does not allow).
pub fn default_image(key: &str) -> Option<String> {
    if key == PROXY {
        return Some(PROXY_DEFAULT.into());
    }
    keys().iter().any(|k| k == key).then(|| format!("docker.io/library/{key}"))
}

/// Every key the platform's `images` may pin.
pub fn keys() -> Vec<String> {
    let postgres = (13..=17).map(|v| format!("postgres:{v}"));
    let redis = (6..=8).map(|v| format!("redis:{v}"));
    postgres.chain(redis).chain([PROXY.to_string()]).collect()
}

/// The image a key runs: the platform's pin (with where it is written), else the official one.
pub fn image(platform: &Platform, key: &str) -> (String, Option<Span>) {
    match platform.images.get(key) {
        Some(pinned) => (pinned.value.clone(), Some(pinned.span)),
        None => (default_image(key).unwrap_or_default(), None),
    }
}

/// The keys of the images a partner runs on `target` besides its release, with the service
/// that needs each (`None`: the proxy sidecar, which its proxied services need).
pub fn used<'p>(partner: &'p Partner, target: &Target, platform: &Platform) -> Vec<(String, &'p Service)> {
    let mut out: Vec<(String, &Service)> = partner
        .services
        .iter()
        .filter(|s| super::provisioned_mode(s, target, platform) == ServiceMode::InCluster)
        .map(|s| (key(s), s))
        .collect();
    if let Some(s) = super::capacity::proxied(partner, target, platform).first() {
        out.push((PROXY.to_string(), s));
    }
    out
}
