//! The portability report: what changes when a partner is emitted for another target than its
//! home one, and what bdc could not carry over by itself (with the reason and what to do).

use crate::check::units::format_bytes;
use crate::lower::{Lowering, Placement};
use crate::model::{Certificates, Engine, Provider, Routing, ServiceKind, ServiceMode, Target};

/// How much a note asks of the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Changed automatically.
    Changed,
    /// Kept as is, but worth knowing.
    Warning,
    /// Must be done by hand before traffic moves.
    Action,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub level: Level,
    pub text: String,
}

/// The report for one placement; empty when the partner stays on its home target.
pub fn report(lw: &Lowering, at: &Placement) -> Vec<Note> {
    let home_name = &at.partner.target;
    if *home_name == at.target.name.value {
        return Vec::new();
    }
    let Some(home) = lw.target(home_name) else { return Vec::new() };
    let new = at.target;
    let p = at.partner;
    let mut notes = Vec::new();
    let mut note = |level, text: String| notes.push(Note { level, text });
    let domains = p.domains.iter().map(|d| d.value.as_str()).collect::<Vec<_>>().join(", ");

    let describe_routing = |t: &Target| match (t.routing, &t.ingress_class) {
        (Routing::Gateway, _) => format!("Gateway API HTTPRoute on `{}`", t.gateway.as_deref().unwrap_or("public")),
        (_, Some(class)) => format!("Ingress of class `{class}`"),
        _ => "Ingress".to_string(),
    };
    let (from, to) = (describe_routing(home), describe_routing(new));
    if from != to {
        note(Level::Changed, format!("routing: {from} → {to}"));
    }
    let tls = |t: &Target| match (t.provider, t.certificates) {
        (Provider::Gke, Certificates::GkeManaged) => "GKE ManagedCertificate".to_string(),
        (Provider::Eks, _) => "ACM certificate".to_string(),
        (Provider::Aks, _) if p.certificate.is_some() => "Key Vault certificate".to_string(),
        _ => format!("cert-manager Certificate from ClusterIssuer `{}`", t.issuer),
    };
    if tls(home) != tls(new) {
        note(Level::Changed, format!("TLS: {} → {}", tls(home), tls(new)));
    }
    if new.provider == Provider::Eks && p.certificate.is_none() {
        note(Level::Action, format!("request an ACM certificate covering {domains} in the cluster's region; the load balancer controller finds it by host (or set `certificate = \"arn:aws:acm:…\"`)"));
    }
    if let Some(ip) = &p.static_ip {
        if new.provider != Provider::Gke {
            note(Level::Action, format!("static IP `{ip}` is a GCP address and is not carried over; the new load balancer gets its own address"));
        }
    }
    note(Level::Action, format!("point DNS for {domains} at the new load balancer once it is ready"));

    if let Some(identity) = &p.identity {
        if crate::lower::identity_fits(new.provider, identity) {
            note(
                Level::Changed,
                format!("workload identity annotation `{}`", new.identity_annotation.as_deref().unwrap_or("")),
            );
        } else {
            let needs = match new.provider {
                Provider::Eks => "an IAM role ARN (IRSA)",
                Provider::Aks => "a managed identity client id (Azure workload identity)",
                Provider::Gke => "a GCP service account email",
                Provider::K8s => "a cloud identity this cluster understands",
            };
            note(Level::Action, format!("identity `{identity}` does not work on `{}`, which needs {needs}: create one with the same permissions and set `identity`; the service account is emitted without it", new.name.value));
        }
    }
    if let Some(size) = &p.storage {
        let class = |t: &Target| t.storage_class.clone().unwrap_or_else(|| "the default".into());
        note(
            Level::Changed,
            format!(
                "volume `{}-data` ({}): storage class `{}` → `{}`",
                p.name.value,
                format_bytes(size.value),
                class(home),
                class(new)
            ),
        );
        note(
            Level::Action,
            format!(
                "the volume's data is not copied: restore `{}-data` from a backup or snapshot before traffic moves",
                p.name.value
            ),
        );
    }
    if at.image_rewritten {
        note(Level::Changed, format!("image → `{}`", at.image));
        note(
            Level::Action,
            format!("copy release `{}` to that registry before applying (e.g. `crane copy`)", at.release.version.value),
        );
    } else if !crate::check::shapes::has_registry(&at.release.image.value) {
        note(Level::Warning, format!("image stays `{}`: the new cluster needs pull access to that registry, or declare `registries {{ {} = \"…\" }}` on the platform", at.image, new.name.value));
    }
    if !p.secrets.is_empty() {
        let names = crate::diagnostic::quoted(p.secrets.iter().map(|s| &s.value));
        note(
            Level::Action,
            format!("create the secrets {names} in namespace `{}` (bdc never emits secret values)", at.namespace),
        );
    }
    if let Some(cluster) = lw.fleet.home(p, Some(&new.name.value)).mismatch(None).and(lw.fleet.cluster_of(p)) {
        note(
            Level::Action,
            format!(
                "apply these manifests to a `{}` cluster: cluster `{}` of partner `{}` runs `{}`, so `bdc apply --target {}` needs `--context` naming the new cluster",
                new.name.value, cluster.name.value, p.name.value, cluster.target.value, new.name.value
            ),
        );
    }
    services(lw, at, home, &mut notes);
    notes.sort_by_key(|n| std::cmp::Reverse(n.level));
    notes
}

/// What becomes of each backing service, and what data must be moved and how; a service is
/// never dropped silently.
fn services(lw: &Lowering, at: &Placement, home: &Target, notes: &mut Vec<Note>) {
    use crate::lower::services::mode;
    let p = at.partner;
    let Ok(home_at) = lw.place_on(p, Some(&home.name.value), at.release) else { return };
    for s in &at.partner.services {
        let name = s.object_name(p);
        let (before, after) = (mode(lw, &home_at, s), mode(lw, at, s));
        let offering = |t: &Target, m: ServiceMode| match (m, t.provider, s.engine()) {
            (ServiceMode::InCluster, ..) => "an in-cluster StatefulSet".to_string(),
            (ServiceMode::External, ..) => {
                format!("the external endpoint `{}`", s.host.as_ref().map_or("?", |h| h.value.as_str()))
            }
            (ServiceMode::Managed, Provider::Gke, Engine::Postgres) => {
                "Cloud SQL (Config Connector SQLInstance)".into()
            }
            (ServiceMode::Managed, Provider::Gke, Engine::Redis) => {
                "Memorystore (Config Connector RedisInstance)".into()
            }
            (ServiceMode::Managed, Provider::Eks, Engine::Postgres) => "Amazon RDS (ACK DBInstance)".into(),
            (ServiceMode::Managed, Provider::Eks, Engine::Redis) => "ElastiCache (ACK ReplicationGroup)".into(),
            (ServiceMode::Managed, Provider::Aks, Engine::Postgres) => {
                "Azure Database for PostgreSQL (ASO FlexibleServer)".into()
            }
            (ServiceMode::Managed, Provider::Aks, Engine::Redis) => "Azure Cache for Redis (ASO Redis)".into(),
            // `services::mode` runs a managed service exported to a plain cluster in it.
            (ServiceMode::Managed, Provider::K8s, _) => "an in-cluster StatefulSet".to_string(),
        };
        let (from, to) = (offering(home, before), offering(at.target, after));
        let label = format!("{} `{}`", s.engine(), s.name.value);
        if from == to {
            note_to(notes, Level::Warning, format!("{label} stays {to}"));
        } else {
            note_to(notes, Level::Changed, format!("{label}: {from} → {to}"));
        }
        let generated =
            after == ServiceMode::Managed && at.target.provider == Provider::Aks && s.engine() == Engine::Redis;
        if after != ServiceMode::External && !generated {
            note_to(
                notes,
                Level::Action,
                format!(
                    "create Secret `{}` (key `password`) in namespace `{}` before applying: the new {label} and the site read it",
                    s.credentials(p),
                    at.namespace
                ),
            );
        }
        match (&s.kind, before, after) {
            (_, ServiceMode::External, ServiceMode::External) => note_to(
                notes,
                Level::Warning,
                format!(
                    "{label}: `{}` must be reachable from the new cluster (declare it in `egress`)",
                    s.host.as_ref().map_or("?", |h| h.value.as_str())
                ),
            ),
            (ServiceKind::Postgres { .. }, _, _) => {
                // The names as each side creates them (RDS and Azure have no `-` in them).
                use crate::lower::services::{database_name, user_name};
                let (old_db, old_user) = (database_name(lw, &home_at, s), user_name(lw, &home_at, s));
                let (db, user) = (database_name(lw, at, s), user_name(lw, at, s));
                let (old_db, old_user) = (old_db.unwrap_or_default(), old_user.unwrap_or_default());
                let (db, user) = (db.unwrap_or_default(), user.unwrap_or_default());
                note_to(
                    notes,
                    Level::Action,
                    format!(
                        "move the data of {label}: with writes stopped, `pg_dump --format=custom --host=<old DB_HOST> --username={old_user} {old_db} > {name}.dump`, then `pg_restore --host=<new DB_HOST> --username={user} --dbname={db} --no-owner {name}.dump` (hosts from ConfigMap `{name}` or the operator's export, the password from Secret `{}`); switch DNS only after the restore",
                        s.credentials(p)
                    ),
                );
            }
            (ServiceKind::Redis { .. }, _, _) => note_to(
                notes,
                Level::Warning,
                format!(
                    "{label} starts empty on the new cluster: sessions and cached pages are rebuilt (no data to move)"
                ),
            ),
        }
    }
}

fn note_to(notes: &mut Vec<Note>, level: Level, text: String) {
    notes.push(Note { level, text });
}

/// The report as Markdown, for a bundle's `PORTABILITY.md` and for the terminal.
pub fn markdown(at: &Placement, notes: &[Note]) -> String {
    let cluster = at.partner.cluster.as_ref().map(|c| format!(" (cluster `{}`)", c.value)).unwrap_or_default();
    let mut out = format!(
        "# Portability: `{}` from `{}`{cluster} to `{}`\n\n",
        at.partner.name.value, at.partner.target, at.target.name.value
    );
    for (level, title) in
        [(Level::Action, "To do by hand"), (Level::Warning, "Kept, check"), (Level::Changed, "Changed automatically")]
    {
        let items: Vec<&Note> = notes.iter().filter(|n| n.level == level).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("## {title}\n\n"));
        for n in items {
            out.push_str(&format!("- {}\n", n.text));
        }
        out.push('\n');
    }
    out
}
