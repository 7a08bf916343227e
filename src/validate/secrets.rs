//! E0407: secret values written inline in `env`, where they would end up in a ConfigMap and in
//! Git (recognised by [`super::credentials`]); E0419: secret names that are not object names.

use super::credentials::looks_secret;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvValue, Fleet};

/// E0419: secrets are referenced by name (`envFrom`), so each must be a valid object name.
pub fn secret_names(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        for s in &p.secrets {
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
