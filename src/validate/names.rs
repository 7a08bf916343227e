//! E0440–E0444: every name bdc derives from a partner's or a service's name is checked here,
//! before lowering builds it, from the same list lowering builds names with
//! ([`crate::lower::names`]): object names and label values (E0440), the ids, database and
//! user names the clouds' operators create (E0441), the database versions they offer
//! (E0442), and the domains GKE's managed certificates take (E0444). After a clean check lowering
//! never meets a name the API server or a cloud refuses.
//!
//! Which targets: `bdc emit --target T` places any partner on any target, and a clean check
//! promises that every such emit succeeds. So each rule runs for every target a partner can be
//! emitted for, its own first — an error on its own target (the one `--target` gives, under
//! `bdc emit --target`), W0409 on the others, so a spec is never refused for a cloud it does not
//! run on, yet a clean check (no warning) still means every target takes it: Kubernetes names for every target (a managed service runs in
//! the cluster on a plain Kubernetes target); a cloud's rules for a managed service on every
//! target of that cloud the platform gives a `managed` account for (elsewhere nothing is
//! created). Messages name the target when it is not the partner's own.

use crate::check::shapes;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::lower::names::{self as derive, Derived, Placed, Shape};
use crate::lower::services::{cloud_spelling, AKS_POSTGRES_VERSIONS};
use crate::model::provisioned_mode as mode_on;
use crate::model::{
    Certificates, Fleet, Partner, Platform, Provider, Routing, Service, ServiceKind, ServiceMode, Target,
};

pub fn names(fleet: &Fleet, over: Option<&str>, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    if let Err(why) = shapes::label_value(&platform.name.value) {
        d.push(
            Diagnostic::new(
                Code::BadDerivedName,
                platform.name.span,
                format!("platform name `{}` cannot be a label value: it {why}", platform.name.value),
                "every object is labelled `app.kubernetes.io/part-of` with it",
            )
            .help(format!(
                "use at most 63 letters, digits, `-`, `_` and `.`, e.g. `{}`",
                shorten(&platform.name.value, 63)
            )),
        );
    }
    let prefix = &platform.namespace_prefix.value;
    for p in &fleet.partners {
        // E0404 reports a partner whose namespace is invalid.
        if shapes::dns_label(&format!("{prefix}{}", p.name.value)).is_err() {
            continue;
        }
        // The target the partner is judged on: the one `bdc emit --target` gives, else its own.
        let own = over.filter(|o| fleet.targets.iter().any(|t| t.name.value == *o)).unwrap_or(&p.target);
        let mut targets: Vec<&Target> = fleet.targets.iter().filter(|t| t.name.value == own).collect();
        targets.extend(fleet.targets.iter().filter(|t| t.name.value != own));
        certificate_domains(p, own, &targets, d);
        if !partner(p, d) {
            continue;
        }
        for s in &p.services {
            // E0420 reports a service name that is not a short DNS label.
            if s.name.value.len() > 30 || shapes::dns1035_label(&s.name.value).is_err() {
                continue;
            }
            if service(platform, p, own, s, &targets, d) {
                cloud(platform, p, own, s, &targets, d);
            }
        }
    }
}

/// Why a derived name does not fit, if it does not.
fn problem(n: &Derived) -> Option<String> {
    if n.name.len() > n.max {
        return Some(format!("would be {} characters long; at most {} are allowed", n.name.len(), n.max));
    }
    let shape = match n.shape {
        Shape::Dns1035 => shapes::dns1035_label(&n.name),
        Shape::Dns1123 => shapes::dns_label(&n.name),
        Shape::LabelValue => shapes::label_value(&n.name),
    };
    shape.err()
}

/// The first derived name that does not fit: a malformed one first (shortening does not help
/// it), else the one over its limit by the most.
fn worst(names: Vec<(Derived, Option<&Target>)>) -> Option<(Derived, Option<&Target>, String)> {
    let mut failing: Vec<_> = names.into_iter().filter_map(|(n, t)| problem(&n).map(|why| (n, t, why))).collect();
    failing.sort_by_key(|(n, _, _)| {
        let over = n.name.len().saturating_sub(n.max);
        (over > 0, std::cmp::Reverse(over))
    });
    failing.into_iter().next()
}

/// `text` cut to at most `max` characters, without a trailing `-`.
fn shorten(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    cut.trim_end_matches(['-', '_', '.']).to_string()
}

/// The names derived from the partner's name alone; `false` when one is reported (the
/// service names built on it would fail for the same reason).
fn partner(p: &Partner, d: &mut Diagnostics) -> bool {
    let name = &p.name.value;
    let all = derive::partner_names(name);
    let longest = all.iter().max_by_key(|n| n.name.len() as i64 - n.max as i64).map(|n| n.name.clone());
    let Some((n, _, why)) = worst(all.into_iter().map(|n| (n, None)).collect()) else { return true };
    let diag = if n.name.len() > n.max {
        let room = n.max - (n.name.len() - name.len());
        Diagnostic::new(
            Code::BadDerivedName,
            p.name.span,
            format!(
                "partner name `{name}` is too long for the objects bdc names after it: {} `{}` {why}",
                n.object, n.name
            ),
            format!("{} characters", name.len()),
        )
        .help(format!("use at most {room} characters, e.g. `{}`", shorten(name, room)))
        .note(format!(
            "a partner's objects are named `<partner>`, `<partner>-preview`, `<partner>-config`, …; the longest, `{}`, sets the limit",
            longest.unwrap_or_default().replacen(name.as_str(), "<partner>", 1)
        ))
    } else {
        let trimmed = name.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
        let fixed = match trimmed {
            t if t.starts_with(|c: char| c.is_ascii_lowercase()) => t.to_string(),
            t => format!("p{t}"),
        };
        Diagnostic::new(
            Code::BadDerivedName,
            p.name.span,
            format!("partner name `{name}` cannot name its {}: `{}` {why}", n.object, n.name),
            "names the partner's Service and its label",
        )
        .help(format!("start it with a lowercase letter, e.g. `{}`", shorten(&fixed, name.len() + 1)))
        .note("Service names are DNS-1035 labels: a lowercase letter, then lowercase letters, digits and `-`")
    };
    d.push(diag);
    false
}

/// Where a service can be placed on a target, which decides the names it gets there.
fn placed(platform: &Platform, s: &Service, t: &Target) -> Placed {
    let managed = mode_on(s, t, platform) == ServiceMode::Managed;
    Placed {
        in_cluster: mode_on(s, t, platform) == ServiceMode::InCluster,
        exported: managed && matches!(t.provider, Provider::Eks | Provider::Aks),
        field_exports: managed && t.provider == Provider::Eks && platform.managed.contains_key(&t.name.value),
    }
}

/// Reports a problem on target `t`: an error when `t` is the partner's own target (or the one
/// `bdc emit --target` places it on), else W0409 — the spec works where it runs, and the
/// warning says what an emit for that other target would refuse.
fn report(d: &mut Diagnostics, own: &str, t: Option<&Target>, diag: Diagnostic) {
    match t {
        Some(t) => report_on(d, own, &[t], diag),
        None => d.push(diag),
    }
}

/// [`report`] for a problem every one of `targets` has: an error when the partner's own target
/// is among them, else one W0409 that names each (`bdc emit --target` refuses on all of them).
fn report_on(d: &mut Diagnostics, own: &str, targets: &[&Target], mut diag: Diagnostic) {
    if !targets.is_empty() && targets.iter().all(|t| t.name.value != own) {
        let code = diag.code;
        let commands: Vec<String> = targets.iter().map(|t| format!("`bdc emit --target {}`", t.name.value)).collect();
        diag = diag.note(format!(
            "an error ({code}) for {}; the partner's own target `{own}` is not affected",
            commands.join(" and ")
        ));
        diag.code = Code::OtherTarget;
        diag.severity = Code::OtherTarget.severity();
    }
    d.push(diag);
}

/// " on targets `a` and `b` (`bdc emit --target a`, `bdc emit --target b`)", as [`on`] for several.
fn on_all(p: &Partner, targets: &[&Target]) -> String {
    match targets {
        [one] => on(p, Some(one)),
        many => {
            let names: Vec<String> = many.iter().map(|t| format!("`{}`", t.name.value)).collect();
            let commands: Vec<String> = many.iter().map(|t| format!("`bdc emit --target {}`", t.name.value)).collect();
            format!(" on targets {} ({})", names.join(" and "), commands.join(", "))
        }
    }
}

fn on(p: &Partner, t: Option<&Target>) -> String {
    match t {
        Some(t) if t.name.value != p.target => {
            format!(" on target `{}` (`bdc emit --target {}`)", t.name.value, t.name.value)
        }
        _ => String::new(),
    }
}

/// The Kubernetes names derived from `<partner>-<service>` on every target; `false` when one
/// is reported.
fn service(platform: &Platform, p: &Partner, own: &str, s: &Service, targets: &[&Target], d: &mut Diagnostics) -> bool {
    let object = s.object_name(p);
    let mut all: Vec<(Derived, Option<&Target>)> = Vec::new();
    for t in targets {
        for n in derive::service_names(&object, placed(platform, s, t)) {
            if !all.iter().any(|(m, _)| *m == n) {
                all.push((n, Some(*t)));
            }
        }
    }
    let Some((n, t, why)) = worst(all) else { return true };
    let over = n.name.len().saturating_sub(n.max);
    let room = s.name.value.len().saturating_sub(over);
    let help = if room > 0 {
        format!(
            "shorten the service name to at most {room} characters, e.g. `{}`, or the partner name `{}`",
            shorten(&s.name.value, room),
            p.name.value
        )
    } else {
        format!("shorten the partner name `{}` by at least {over} characters", p.name.value)
    };
    let mut diag = Diagnostic::new(
        Code::BadDerivedName,
        s.name.span,
        format!(
            "service `{}` of partner `{}`: its {} `{}` {why}{}",
            s.name.value,
            p.name.value,
            n.object,
            n.name,
            on(p, t)
        ),
        format!("`{object}` is {} characters", object.len()),
    )
    .label(p.name.span, "the partner name is part of it")
    .help(help);
    if n.max == derive::STATEFUL_SET_MAX {
        diag = diag.note(format!(
            "a StatefulSet's pods carry the label `controller-revision-hash: <name>-<hash>`, so its name may have at most {} characters",
            derive::STATEFUL_SET_MAX
        ));
    }
    report(d, own, t, diag);
    false
}

/// Azure's reserved administrator logins (and any starting with `pg_`).
const AZURE_RESERVED_LOGINS: &[&str] =
    &["azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public"];

/// The cloud's own rules for a managed service, on every cloud target that would create it.
fn cloud(platform: &Platform, p: &Partner, own: &str, s: &Service, targets: &[&Target], d: &mut Diagnostics) {
    let object = s.object_name(p);
    for t in targets {
        let creates = mode_on(s, t, platform) == ServiceMode::Managed && platform.managed.contains_key(&t.name.value);
        if !creates {
            continue;
        }
        let spelled = |name: String| cloud_spelling(t.provider, name);
        // (what, the name as the cloud gets it, its rule)
        let mut checks: Vec<(&str, String, Result<(), String>)> = Vec::new();
        let id = |what: &'static str, max: usize, no_double: bool| {
            (what, object.clone(), shapes::cloud_id(&object, max, no_double))
        };
        match (t.provider, &s.kind) {
            (Provider::Gke, ServiceKind::Redis { .. }) => checks.push(id("Memorystore instance id", 40, false)),
            (Provider::Gke, ServiceKind::Postgres { .. }) => {
                checks.push(id("Cloud SQL instance id", 63, false));
                for (what, name) in [("Cloud SQL database", s.database()), ("Cloud SQL user", s.user(p))] {
                    let name = name.unwrap_or_default();
                    let rule = if name.is_empty() || name.len() > 63 {
                        Err(format!("is {} characters long; 1 to 63 are allowed", name.len()))
                    } else {
                        Ok(())
                    };
                    checks.push((what, name, rule));
                }
            }
            (Provider::Eks, ServiceKind::Redis { .. }) => checks.push(id("ElastiCache replication group id", 40, true)),
            (Provider::Eks, ServiceKind::Postgres { .. }) => {
                checks.push(id("RDS DB instance identifier", 63, true));
                for (what, name) in [("RDS database name", s.database()), ("RDS master user name", s.user(p))] {
                    let name = spelled(name.unwrap_or_default());
                    let rule = shapes::sql_identifier(&name, 63);
                    checks.push((what, name, rule));
                }
            }
            (Provider::Aks, ServiceKind::Redis { .. }) => checks.push(id("Azure Cache for Redis name", 63, true)),
            (Provider::Aks, ServiceKind::Postgres { version, .. }) => {
                checks.push(id("Azure PostgreSQL flexible server name", 63, false));
                let database = spelled(s.database().unwrap_or_default());
                let rule = shapes::sql_identifier(&database, 63);
                checks.push(("Azure PostgreSQL database name", database, rule));
                let login = spelled(s.user(p).unwrap_or_default());
                let rule = shapes::sql_identifier(&login, 63).and_then(|()| {
                    if AZURE_RESERVED_LOGINS.contains(&login.as_str()) || login.starts_with("pg_") {
                        Err("is reserved by Azure".into())
                    } else {
                        Ok(())
                    }
                });
                checks.push(("Azure PostgreSQL administrator login", login, rule));
                if !AKS_POSTGRES_VERSIONS.contains(&version.value) {
                    let (low, high) = (AKS_POSTGRES_VERSIONS.start(), AKS_POSTGRES_VERSIONS.end());
                    report(
                        d,
                        own,
                        Some(t),
                        Diagnostic::new(
                            Code::UnsupportedManagedVersion,
                            version.span,
                            format!(
                                "managed PostgreSQL `{}` of partner `{}` is version {}, which Azure Service Operator's flexible server does not offer{}",
                                s.name.value,
                                p.name.value,
                                version.value,
                                on(p, Some(t))
                            ),
                            "not offered on aks",
                        )
                        .help(format!("use `version = {high}`, or `mode = in_cluster` for version {}", version.value))
                        .note(format!("the FlexibleServer CRD bdc emits (dbforpostgresql.azure.com/v1api20240801) takes versions {low} to {high}")),
                    );
                }
            }
            (Provider::K8s, _) => {}
        }
        for (what, name, rule) in checks {
            let Err(why) = rule else { continue };
            report(d, own, Some(t), cloud_diagnostic(p, s, t, what, &name, &why));
        }
    }
}

fn cloud_diagnostic(p: &Partner, s: &Service, t: &Target, what: &str, name: &str, why: &str) -> Diagnostic {
    let (span, label, help) = if name == s.object_name(p) {
        let fix = if why.contains("--") {
            match p.name.value.contains("--") {
                true => format!("name the partner without `--`, e.g. `{}`", p.name.value.replace("--", "-")),
                false => format!("name the service without `--`, e.g. `{}`", s.name.value.replace("--", "-")),
            }
        } else {
            let over = name.len().saturating_sub(limit(why));
            format!(
                "shorten the service name `{}` (or the partner name `{}`) by {over} characters",
                s.name.value, p.name.value
            )
        };
        (s.name.span, format!("`{name}` names the {what}"), fix)
    } else if what.contains("database") {
        (s.span, format!("the database is `{name}`"), format!("set `database = \"{}\"`", sql_suggestion(name, "db")))
    } else {
        (s.span, format!("the user is `{name}`"), format!("set `user = \"{}\"`", sql_suggestion(name, "site")))
    };
    Diagnostic::new(
        Code::CloudNameRefused,
        span,
        format!(
            "managed service `{}` of partner `{}`: its {what} `{name}` {why}{}",
            s.name.value,
            p.name.value,
            on(p, Some(t))
        ),
        label,
    )
    .label(p.name.span, "partner")
    .help(help)
}

/// The limit a length message names (`at most N`), for the help text.
fn limit(why: &str) -> usize {
    why.split("at most ").nth(1).and_then(|r| r.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or(63)
}

/// A SQL identifier made from the user's `name`: letters, digits and `_`, a letter first, not
/// reserved.
fn sql_suggestion(name: &str, fallback: &str) -> String {
    let cleaned: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).take(40).collect();
    let reserved = AZURE_RESERVED_LOGINS.contains(&cleaned.as_str()) || cleaned.starts_with("pg_");
    match cleaned {
        c if c.is_empty() => fallback.to_string(),
        c if reserved || !c.starts_with(|ch: char| ch.is_ascii_alphabetic()) => {
            format!("{fallback}_{}", c.trim_start_matches("pg_").trim_start_matches('_'))
        }
        c => c,
    }
}

/// Most domains one GKE `ManagedCertificate` holds.
const MANAGED_CERTIFICATE_DOMAINS: usize = 100;

/// E0444: GKE's `ManagedCertificate` takes at most 100 domains, each at most 63 characters and
/// none a wildcard; it is emitted on every Ingress target whose certificates GKE manages.
fn certificate_domains(p: &Partner, own: &str, targets: &[&Target], d: &mut Diagnostics) {
    let managed = |t: &&&Target| {
        t.provider == Provider::Gke && t.routing == Routing::Ingress && t.certificates == Certificates::GkeManaged
    };
    let all: Vec<&Target> = targets.iter().filter(managed).copied().collect();
    let Some(first) = all.first() else { return };
    // The partner's own target when it is one of them (an error there); else every one of
    // them, each named (an emit for any of them refuses the partner).
    let judged: Vec<&Target> = match all.iter().find(|t| t.name.value == own) {
        Some(t) => vec![*t],
        None => all.clone(),
    };
    let certificate = format!("the ManagedCertificate of partner `{}`{}", p.name.value, on_all(p, &judged));
    for domain in &p.domains {
        let name = &domain.value;
        let (why, help) = if let Some(rest) = name.strip_prefix("*.") {
            (
                "is a wildcard, which GKE managed certificates do not cover".to_string(),
                format!("list each host instead, e.g. `www.{rest}`"),
            )
        } else if name.len() > 63 {
            (
                format!("is {} characters long; GKE managed certificates take domains of at most 63", name.len()),
                "use a shorter domain for this partner".to_string(),
            )
        } else {
            continue;
        };
        report_on(
            d,
            own,
            &judged,
            Diagnostic::new(Code::CertificateDomain, domain.span, format!("domain `{name}` cannot be in {certificate}: it {why}"), "not a managed-certificate domain")
                .help(help)
                .note(format!("target `{}` has `certificates = gke_managed`; a target with `certificates = cert_manager` takes any domain", first.name.value)),
        );
    }
    if let [.., extra] = p.domains.as_slice() {
        if p.domains.len() > MANAGED_CERTIFICATE_DOMAINS {
            report_on(
                d,
                own,
                &judged,
                Diagnostic::new(
                    Code::CertificateDomain,
                    extra.span,
                    format!(
                        "partner `{}` has {} domains; {certificate} holds at most {MANAGED_CERTIFICATE_DOMAINS}",
                        p.name.value,
                        p.domains.len()
                    ),
                    "one too many",
                )
                .help(
                    "split the domains across partners, or serve them from a target with `certificates = cert_manager`",
                ),
            );
        }
    }
}
