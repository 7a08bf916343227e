//! E0407: secret values written inline in `env`, where they would end up in a ConfigMap and in
//! Git (recognised by [`super::credentials`]); E0419: secret names that are not object names.

use super::credentials::{looks_secret, secret_arg, secret_value};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvValue, Fleet};

/// E0419: secrets are referenced by name (`envFrom`), so each must be a valid object name.
pub fn secret_names(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        // A service's `credentials` names a Secret too (an ExternalSecret of that name reads it
        // from a secret store).
        let credentials = p
            .services
            .iter()
            .filter_map(|s| Some(crate::source::Spanned::new(s.credentials.clone()?, s.credentials_span?)));
        let named: Vec<crate::source::Spanned<String>> = p.secrets.iter().cloned().chain(credentials).collect();
        for s in &named {
            if let Err(why) = crate::check::shapes::dns_subdomain(&s.value) {
                d.push(
                    Diagnostic::new(
                        Code::BadSecretName,
                        s.span,
                        format!(
                            "secret name `{}` of partner `{}` is not a valid Kubernetes name: it {why}",
                            s.value, p.name.value
                        ),
                        "not a valid secret name",
                    )
                    .help(match crate::check::repair::subdomain(&s.value) {
                        Some(fixed) => {
                            format!("name secrets with lowercase letters, digits, `-` and `.`: `\"{fixed}\"`")
                        }
                        None => "name secrets with lowercase letters, digits, `-` and `.`".into(),
                    }),
                );
            }
        }
    }
}

pub fn inline_secrets(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        for (key, value) in &p.env {
            let EnvValue::Str(text) = &value.value else { continue };
            if let Some(why) = looks_secret(key, text) {
                d.mark_secret(value.span);
                d.push(
                    Diagnostic::new(
                        Code::InlineSecret,
                        value.span,
                        format!("`{key}` of partner `{}` looks like a secret value written inline", p.name.value),
                        why,
                    )
                    .help(format!(
                        "store it in a Kubernetes Secret and list its name: `secrets = [\"{}\"]`",
                        key.to_ascii_lowercase().replace('_', "-")
                    ))
                    .note("values in `env` are written to a ConfigMap and to Git in plain text"),
                );
            }
        }
    }
}

/// E0407 in the other strings that reach a manifest in plain text: a release's container
/// arguments (`--api-key=…`) and a service's external `host` (`postgres://user:pass@…`).
pub fn secrets_in_args_and_hosts(fleet: &Fleet, d: &mut Diagnostics) {
    for r in &fleet.releases {
        for arg in &r.args {
            if let Some(why) = secret_arg(&arg.value) {
                d.mark_secret(arg.span);
                d.push(
                    Diagnostic::new(
                        Code::InlineSecret,
                        arg.span,
                        format!("an argument of release `{}` looks like a secret value written inline", r.version.value),
                        why,
                    )
                    .help("pass it from a Secret the partners list in `secrets`: the site reads it as an environment variable")
                    .note("release arguments are written to every partner's Deployment and to Git in plain text"),
                );
            }
        }
    }
    for p in &fleet.partners {
        for s in &p.services {
            let Some(host) = &s.host else { continue };
            if let Some(why) = secret_value(&host.value) {
                d.mark_secret(host.span);
                d.push(
                    Diagnostic::new(
                        Code::InlineSecret,
                        host.span,
                        format!(
                            "`host` of service `{}` of partner `{}` holds a credential",
                            s.name.value, p.name.value
                        ),
                        why,
                    )
                    .help(format!(
                        "write only the host name in `host`; the password goes in the Secret `{}` (key `password`)",
                        s.credentials(p)
                    ))
                    .note("the host is written to a ConfigMap and to Git in plain text"),
                );
            }
        }
    }
}
