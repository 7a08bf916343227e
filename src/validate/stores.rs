//! The platform's secret stores: E0412 for a store keyed by a target that does not exist,
//! E0480 for a store without the setting its provider needs (a project, a region, a vault),
//! E0481 for a store of another cloud than its target's, which the target's workload identity
//! cannot read.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{Fleet, SecretStoreKind};
use crate::suggest;

pub fn secret_stores(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let targets: Vec<&str> = fleet.targets.iter().map(|t| t.name.value.as_str()).collect();
    for (key, store) in &platform.secret_stores {
        let Some(target) = fleet.targets.iter().find(|t| &t.name.value == key) else {
            d.push(
                Diagnostic::new(
                    Code::UnknownTargetKey,
                    store.span,
                    format!("`secret_store` names target `{key}`, which does not exist"),
                    "secret store for an unknown target",
                )
                .maybe_help(suggest::did_you_mean(key, targets.iter().copied()))
                .note(format!("targets: {}", crate::diagnostic::quoted(targets.iter()))),
            );
            continue;
        };
        if let Some(cloud) = store.kind.provider() {
            if cloud != target.provider {
                let fits = SecretStoreKind::ALL_WORDS
                    .iter()
                    .copied()
                    .find(|k| k.provider() == Some(target.provider))
                    .map_or("kubernetes", |k| k.as_str());
                d.push(
                    Diagnostic::new(
                        Code::SecretStoreOtherCloud,
                        store.span,
                        format!(
                            "the secret store of target `{key}` (platform `{}`) is {}, which the workload identity of a `{}` cluster cannot read",
                            platform.name.value, store.kind, target.provider
                        ),
                        "a store of another cloud",
                    )
                    .help(format!("on `{key}` use `provider = {fits}`, and copy the secrets there (`bdc export` prints the commands)")),
                );
                continue;
            }
        }
        let missing = store.missing();
        if !missing.is_empty() {
            let example = missing.iter().map(|f| format!("{f} = \"…\"")).collect::<Vec<_>>().join(", ");
            d.push(
                Diagnostic::new(
                    Code::SecretStoreIncomplete,
                    store.span,
                    format!(
                        "the {} secret store of target `{key}` needs {} (platform `{}`)",
                        store.kind,
                        crate::diagnostic::quoted(missing.iter()),
                        platform.name.value
                    ),
                    "nowhere to read secrets from",
                )
                .help(format!("add them: `secret_store {{ {key} = {{ provider = {}, {example} }} }}`", store.kind)),
            );
        }
    }
}
