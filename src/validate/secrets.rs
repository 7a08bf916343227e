//! E0407: secret values written inline in `env`, where they would end up in a ConfigMap and in
//! Git. Recognised by the variable's name or by the shape of well-known credentials.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvValue, Fleet};

const SECRET_NAMES: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "ACCESS_KEY"];
const SECRET_PREFIXES: &[&str] =
    &["sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "xoxb-", "xoxp-", "AKIA", "-----BEGIN", "AIza"];

/// Why an env entry looks like a secret, if it does.
/// Suffixes that say a variable is about a secret, not the secret itself (`TOKEN_TTL`).
const SETTING_SUFFIXES: &[&str] = &[
    "_TTL", "_URL", "_PATH", "_FILE", "_NAME", "_TIMEOUT", "_EXPIRY", "_LENGTH", "_ENABLED", "_MODE", "_HEADER", "_ID",
];

pub fn looks_secret(key: &str, value: &str) -> Option<&'static str> {
    let upper = key.to_ascii_uppercase();
    let is_setting = SETTING_SUFFIXES.iter().any(|s| upper.ends_with(s));
    let plain_value = value.len() < 6 || value.bytes().all(|b| b.is_ascii_digit()) || matches!(value, "true" | "false");
    if SECRET_NAMES.iter().any(|n| upper.contains(n)) && !is_setting && !plain_value {
        return Some("its name says it holds a secret");
    }
    if SECRET_PREFIXES.iter().any(|p| value.starts_with(p)) && value.len() >= 16 {
        return Some("its value has the shape of a credential");
    }
    None
}

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
                    .help("name secrets with lowercase letters, digits, `-` and `.`, e.g. `stripe-key`"),
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

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_and_shapes() {
        assert!(looks_secret("STRIPE_API_KEY", "rk_abcdef").is_some());
        assert!(looks_secret("PAYMENT", "sk_live_0123456789abcdef").is_some());
        assert!(looks_secret("PAYWALL_MODE", "metered").is_none());
        assert!(looks_secret("TOKEN_TTL", "").is_none());
        assert!(looks_secret("TOKEN_TTL", "3600").is_none());
        assert!(looks_secret("API_TOKEN", "3600").is_none(), "a number is not a credential");
        assert!(looks_secret("API_TOKEN", "f3a9c2e1b7d4").is_some());
    }
}
