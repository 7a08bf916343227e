//! The portability report: what changes when a partner is emitted for another target than its
//! home one, and what bdc could not carry over by itself (with the reason and what to do).
//! Secrets come from the target's secret store, DNS follows the load balancer (ExternalDNS),
//! certificates are requested by domain, identities are created by the target's operator and
//! data is moved by the Jobs and checklist of `bdc export` (`crate::export`); what is left "to
//! do by hand" is what needs a person: approving the DNS cut-over, granting cloud permissions,
//! and whatever the spec's settings do not let bdc create.

use crate::check::units::format_bytes;
use crate::lower::identity::{self, Identity};
use crate::lower::{Lowering, Placement};
use crate::model::{Certificates, Engine, Provider, Routing, ServiceKind, ServiceMode, Target};

/// How much a note asks of the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Changed automatically.
    Changed,
    /// Kept as is, but worth knowing.
    Warning,
    /// Must be done by a person before traffic moves.
    Action,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
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
        (_, Certificates::None) => "none (TLS ends before the cluster)".to_string(),
        (Provider::Gke, Certificates::GkeManaged) => "GKE ManagedCertificate".to_string(),
        (Provider::Eks, _) if p.certificate.is_some() => "the ACM certificate named by `certificate`".to_string(),
        (Provider::Eks, _) => "ACM certificate requested by domain (ACK Certificate)".to_string(),
        (Provider::Aks, _) if p.certificate.is_some() => "Key Vault certificate".to_string(),
        _ => format!("cert-manager Certificate from ClusterIssuer `{}`", t.issuer),
    };
    if tls(home) != tls(new) {
        note(Level::Changed, format!("TLS: {} → {}", tls(home), tls(new)));
    }
    if !p.domains.is_empty() {
        let validation = if new.provider == Provider::Eks && p.certificate.is_none() {
            " (on this target first the ACM validation records the checklist prints)"
        } else {
            ""
        };
        note(
            Level::Action,
            format!(
                "approve the DNS cut-over of {domains}: ExternalDNS on the new cluster takes the names once the old cluster releases them{validation} — step 5 of CHECKLIST.md (`bdc export`)"
            ),
        );
    }
    if let Some(ip) = &p.static_ip {
        if new.provider != Provider::Gke {
            note(Level::Changed, format!("static IP `{ip}` (a GCP address) is not used: the new load balancer gets its own address and ExternalDNS points the names at it"));
        }
    }
    identity_notes(lw, at, &mut notes);
    if let Some(size) = &p.storage {
        let class = |t: &Target| t.storage_class.clone().unwrap_or_else(|| "the default".into());
        note_to(
            &mut notes,
            Level::Changed,
            format!(
                "volume `{}-data` ({}): storage class `{}` → `{}`",
                p.name.value,
                format_bytes(size.value),
                class(home),
                class(new)
            ),
        );
        note_to(
            &mut notes,
            Level::Action,
            format!(
                "copy the files of volume `{}-data` to the new one while the site is stopped (the checklist's `tar` pipe through the web pods, or a restore from a snapshot)",
                p.name.value
            ),
        );
    }
    if at.image_rewritten {
        note_to(
            &mut notes,
            Level::Changed,
            format!("image → `{}` (the checklist copies release `{}` there)", at.image, at.release.version.value),
        );
    } else if !crate::check::shapes::has_registry(&at.release.image.value) {
        note_to(&mut notes, Level::Warning, format!("image stays `{}`: the new cluster needs pull access to that registry, or declare `registries {{ {} = \"…\" }}` on the platform", at.image, new.name.value));
    }
    let secrets = crate::lower::secrets::needed(lw, at);
    if !secrets.is_empty() {
        let names = crate::diagnostic::quoted(secrets.iter());
        match crate::lower::secrets::store(lw, new) {
            Some(store) => note_to(
                &mut notes,
                Level::Changed,
                format!(
                    "secrets {names}: ExternalSecrets read them from {} (the checklist copies the values there)",
                    store.kind
                ),
            ),
            None => note_to(
                &mut notes,
                Level::Warning,
                format!(
                    "secrets {names}: `{}` has no secret store, so the checklist copies the Secrets from the old cluster (declare `secret_store {{ {} = {{ … }} }}` on the platform to read them from a secret manager)",
                    new.name.value, new.name.value
                ),
            ),
        }
    }
    if let Some(cluster) = lw.fleet.home(p, Some(&new.name.value)).mismatch(None).and(lw.fleet.cluster_of(p)) {
        note_to(
            &mut notes,
            Level::Warning,
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

/// The partner's cloud identity on the new target: bound, created, or to be created by hand;
/// what it may do is granted by a person either way.
fn identity_notes(lw: &Lowering, at: &Placement, notes: &mut Vec<Note>) {
    let Some(own) = &at.partner.identity else { return };
    let home = lw.target(&at.partner.target).map_or(Provider::K8s, |t| t.provider);
    let list = identity::permissions_command(home, own)
        .map(|c| format!(" (list them on the old cloud: `{c}`)"))
        .unwrap_or_default();
    let new = &at.target.name.value;
    match identity::of(lw, at) {
        Identity::None => note_to(
            notes,
            Level::Warning,
            format!("identity `{own}` has no meaning on the plain cluster `{new}`: the site reaches cloud APIs only with credentials from its secrets"),
        ),
        Identity::Own(_) => note_to(
            notes,
            Level::Changed,
            format!("workload identity annotation `{}`", at.target.identity_annotation.as_deref().unwrap_or("")),
        ),
        Identity::Created { annotation } => {
            let made = match at.target.provider {
                Provider::Eks => format!(
                    "an ACK IAM Role `{}` trusted by the cluster's OIDC provider for service account `{}`",
                    at.namespace, at.partner.name.value
                ),
                _ => format!(
                    "an ASO UserAssignedIdentity `{0}-iam` with a federated credential for service account `{0}` (the checklist annotates the service account with its client id)",
                    at.partner.name.value
                ),
            };
            note_to(notes, Level::Changed, format!("identity `{own}` → {made}"));
            let what = annotation.map(|a| format!(" `{a}`")).unwrap_or_default();
            note_to(
                notes,
                Level::Action,
                format!("grant the new identity{what} what `{own}` may do{list}: bdc creates the identity, never its permissions"),
            );
        }
        Identity::Missing(fields) => {
            let needs = match at.target.provider {
                Provider::Eks => "an IAM role ARN (IRSA)",
                Provider::Aks => "a managed identity client id (Azure workload identity)",
                Provider::Gke => "a GCP service account email",
                Provider::K8s => "a cloud identity this cluster understands",
            };
            let settings = if at.target.provider == Provider::Gke {
                String::new()
            } else {
                format!(
                    ", or give the platform `managed {{ {new} = {{ {} }} }}` for bdc to create it",
                    fields.iter().map(|f| format!("{f} = \"…\"")).collect::<Vec<_>>().join(", ")
                )
            };
            note_to(
                notes,
                Level::Action,
                format!("identity `{own}` does not work on `{new}`, which needs {needs}: create one with what `{own}` may do{list} and set `identity`{settings}; the service account is emitted without it"),
            );
        }
    }
}

/// What becomes of each backing service, and how its data moves; a service is never dropped
/// silently.
fn services(lw: &Lowering, at: &Placement, home: &Target, notes: &mut Vec<Note>) {
    use crate::lower::services::mode;
    let p = at.partner;
    let Ok(home_at) = lw.place_on(p, Some(&home.name.value), at.release) else { return };
    for s in &at.partner.services {
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
        match (&s.kind, before, after) {
            (_, ServiceMode::External, ServiceMode::External) => note_to(
                notes,
                Level::Warning,
                format!(
                    "{label}: `{}` must be reachable from the new cluster (declare it in `egress`); no data moves",
                    s.host.as_ref().map_or("?", |h| h.value.as_str())
                ),
            ),
            (ServiceKind::Postgres { .. }, _, _) => {
                // The names as each side creates them (RDS and Azure have no `-` in them).
                use crate::lower::services::{database_name, user_name};
                let old_db = database_name(lw, &home_at, s).unwrap_or_default();
                let db = database_name(lw, at, s).unwrap_or_default();
                let user = user_name(lw, at, s).unwrap_or_default();
                note_to(
                    notes,
                    Level::Changed,
                    format!(
                        "data of {label}: the Jobs `{name}-export` (old cluster) and `{name}-import` (new) stream `pg_dump` of `{old_db}` into `pg_restore` as `{user}` into `{db}` while writes are frozen, then compare row counts (CHECKLIST.md steps 3–4)",
                        name = s.object_name(p)
                    ),
                );
            }
            (ServiceKind::Redis { .. }, _, _) => note_to(
                notes,
                Level::Warning,
                format!("{label} is rebuilt: it starts empty on the new cluster (sessions and cached pages; no data to move)"),
            ),
        }
        if after == ServiceMode::Managed && at.target.provider == Provider::Gke && s.engine() == Engine::Redis {
            note_to(
                notes,
                Level::Warning,
                format!("{label}: Config Connector does not export Memorystore's address; the checklist copies it into ConfigMap `{}`", s.object_name(p)),
            );
        }
    }
}

fn note_to(notes: &mut Vec<Note>, level: Level, text: String) {
    notes.push(Note { level, text });
}

/// The report's sections, in order: level and title.
pub const SECTIONS: [(Level, &str); 3] =
    [(Level::Action, "To do by hand"), (Level::Warning, "Kept, check"), (Level::Changed, "Changed automatically")];

/// The report as Markdown, for a bundle's `PORTABILITY.md` and for the terminal.
pub fn markdown(at: &Placement, notes: &[Note]) -> String {
    let cluster = at.partner.cluster.as_ref().map(|c| format!(" (cluster `{}`)", c.value)).unwrap_or_default();
    let mut out = format!(
        "# Portability: `{}` from `{}`{cluster} to `{}`\n\n",
        at.partner.name.value, at.partner.target, at.target.name.value
    );
    for (level, title) in SECTIONS {
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

/// The report as JSON (`PORTABILITY.json`): the partner, both targets, and the notes of each
/// section.
pub fn json(at: &Placement, notes: &[Note]) -> serde_json::Value {
    let section = |level: Level| notes.iter().filter(|n| n.level == level).map(|n| n.text.clone()).collect::<Vec<_>>();
    serde_json::json!({
        "partner": at.partner.name.value,
        "from": at.partner.target,
        "to": at.target.name.value,
        "by_hand": section(Level::Action),
        "kept": section(Level::Warning),
        "changed": section(Level::Changed),
    })
}

/// What a person must do, in the report's words (the "to do by hand" section).
pub fn manual(notes: &[Note]) -> Vec<&str> {
    notes.iter().filter(|n| n.level == Level::Action).map(|n| n.text.as_str()).collect()
}
