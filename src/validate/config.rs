//! E0430: a partner's env becomes one ConfigMap, and the API server refuses a ConfigMap whose
//! keys and values add up to more than 1 MiB. One value over the limit is reported at that
//! value; otherwise a total over it is reported at the largest value.

use crate::check::units::format_bytes;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{EnvValue, Fleet};

/// The most a ConfigMap holds: keys plus values, in bytes (Kubernetes' `MaxSecretSize`).
pub const CONFIG_MAP_MAX_BYTES: usize = 1 << 20;

fn text_len(v: &EnvValue) -> usize {
    match v {
        EnvValue::Str(s) => s.len(),
        EnvValue::Int(i) => i.to_string().len(),
        EnvValue::Bool(b) => b.to_string().len(),
    }
}

pub fn config_size(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        let sizes: Vec<(&String, usize, crate::source::Span)> =
            p.env.iter().map(|(k, v)| (k, k.len() + text_len(&v.value), v.span)).collect();
        let total: usize = sizes.iter().map(|s| s.1).sum();
        if total <= CONFIG_MAP_MAX_BYTES {
            continue;
        }
        let Some(&(key, size, span)) = sizes.iter().max_by_key(|s| s.1) else { continue };
        let limit = format_bytes(CONFIG_MAP_MAX_BYTES as u64);
        let (message, label) = if size > CONFIG_MAP_MAX_BYTES {
            (
                format!(
                    "env value `{key}` of partner `{}` is {size} bytes, over the {limit} a ConfigMap holds",
                    p.name.value
                ),
                format!("{size} bytes"),
            )
        } else {
            (
                format!(
                    "env of partner `{}` adds up to {total} bytes, over the {limit} a ConfigMap holds",
                    p.name.value
                ),
                format!("the largest value: {size} bytes"),
            )
        };
        d.push(
            Diagnostic::new(Code::ConfigTooLarge, span, message, label)
                .help(format!(
                    "keep large content out of `env`: serve `{key}` from object storage or a volume, and \
                     pass its location instead"
                ))
                .note(format!("the API server refuses a ConfigMap over {limit} (keys and values together)")),
        );
    }
}
