//! Backing services (E0420–E0422): each name becomes part of object names (`<partner>-<name>`)
//! and the prefix of environment variables (`DB_HOST`); an external service needs its
//! endpoint; a managed one needs a cloud that offers it.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{service_mode, Engine, Fleet, Provider, ServiceMode};

pub fn services(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    for p in &fleet.partners {
        let target = super::target_of(fleet, p, None);
        for s in &p.services {
            let name = &s.name.value;
            let fits = !name.is_empty()
                && name.len() <= 30
                && name.starts_with(|c: char| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.ends_with('-');
            if !fits {
                d.push(
                    Diagnostic::new(
                        Code::BadServiceName,
                        s.name.span,
                        format!("service name `{name}` of partner `{}` cannot name its objects and variables", p.name.value),
                        "not a short DNS label",
                    )
                    .help(match crate::check::repair::label(name.trim_start_matches(|c: char| !c.is_ascii_alphabetic()), 30) {
                        Some(fixed) => format!("use lowercase letters, digits and `-`, starting with a letter, at most 30 characters: `{fixed}`"),
                        None => "use lowercase letters, digits and `-`, starting with a letter, at most 30 characters, like `db`".into(),
                    }),
                );
            }
            let Some(target) = target else { continue };
            match service_mode(s, target, platform) {
                ServiceMode::External if s.host.is_none() => d.push(
                    Diagnostic::new(
                        Code::ExternalWithoutHost,
                        s.span,
                        format!("external service `{name}` of partner `{}` has no `host`", p.name.value),
                        "no endpoint to connect to",
                    )
                    .help(format!(
                        "give the endpoint, e.g. `host = \"{name}.example.internal\"`, or provision it with `mode = in_cluster`"
                    )),
                ),
                ServiceMode::Managed if target.provider == Provider::K8s => d.push(
                    Diagnostic::new(
                        Code::NoManagedOffering,
                        s.mode.as_ref().map_or(s.span, |m| m.span),
                        format!(
                            "service `{name}` of partner `{}` is managed, but target `{}` is a plain Kubernetes cluster with no cloud database operator",
                            p.name.value, target.name.value
                        ),
                        "no managed offering here",
                    )
                    .help("use `mode = in_cluster` (a StatefulSet) or `mode = external` (an existing endpoint) on this target")
                    .note("managed services exist on gke (Config Connector), eks (ACK) and aks (Azure Service Operator)"),
                ),
                ServiceMode::Managed if target.provider == Provider::Gke && s.engine() == Engine::Redis => d.push(
                    Diagnostic::new(
                        Code::EndpointNotExported,
                        s.span,
                        format!("Memorystore for cache `{name}` of partner `{}` gets its address when it is created, and Config Connector does not export it", p.name.value),
                        "the site's CACHE_HOST stays empty until filled in",
                    )
                    .help(format!(
                        "after it is ready, copy `status.host` and `status.port` of RedisInstance `{object}` into ConfigMap `{object}` (keys `host`, `port`), or use `mode = in_cluster`",
                        object = s.object_name(p)
                    )),
                ),
                ServiceMode::Managed => {
                    let settings = platform.managed.get(&target.name.value);
                    let missing = settings.cloned().unwrap_or_default().missing(target.provider);
                    if !missing.is_empty() {
                        // Only the settings that are missing, with placeholders, not made-up values.
                        let fields: Vec<String> = missing
                            .iter()
                            .map(|f| if *f == "security_groups" { format!("{f} = [\"…\"]") } else { format!("{f} = \"…\"") })
                            .collect();
                        let example = format!("{{ {} }}", fields.join(", "));
                        let mut diag = Diagnostic::new(
                            Code::ManagedWithoutAccount,
                            s.mode.as_ref().map_or(s.span, |m| m.span),
                            format!(
                                "managed service `{name}` of partner `{}` needs {} for target `{}`",
                                p.name.value,
                                crate::diagnostic::quoted(missing.iter()),
                                target.name.value
                            ),
                            "nowhere to create it",
                        )
                        .help(format!("on the platform: `managed {{ {} = {example} }}`", target.name.value));
                        if let Some(m) = settings {
                            diag = diag.label(m.span, "these settings lack them");
                        }
                        d.push(diag);
                    }
                }
                ServiceMode::External | ServiceMode::InCluster => {}
            }
        }
    }
}
