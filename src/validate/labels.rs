//! E0411 and E0412: values that end up as Kubernetes labels must be valid labels; per-target
//! settings must name targets that exist.

use crate::check::shapes;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fleet;
use crate::suggest;

pub fn labels_valid(fleet: &Fleet, d: &mut Diagnostics) {
    for r in &fleet.releases {
        if let Err(why) = shapes::label_value(&r.version.value) {
            d.push(
                Diagnostic::new(
                    Code::BadLabel,
                    r.version.span,
                    format!("release version `{}` cannot be a label value: it {why}", r.version.value),
                    "used as `app.kubernetes.io/version`",
                )
                .help(match crate::check::repair::label_value(&r.version.value) {
                    Some(fixed) => format!("use letters, digits, `.`, `-` and `_` only: `release \"{fixed}\"`"),
                    None => "use letters, digits, `.`, `-` and `_` only, at most 63".into(),
                }),
            );
        }
    }
    let platform_labels =
        fleet.platform.iter().flat_map(|p| p.labels.iter().map(|l| (l, format!("platform `{}`", p.name.value))));
    let partner_labels =
        fleet.partners.iter().flat_map(|p| p.labels.iter().map(|l| (l, format!("partner `{}`", p.name.value))));
    for ((key, value), owner) in platform_labels.chain(partner_labels) {
        let span = value.span;
        let value = &value.value;
        let problem = shapes::label_key(key)
            .map_err(|e| format!("key `{key}` {e}"))
            .and_then(|()| shapes::label_value(value).map_err(|e| format!("value `{value}` of `{key}` {e}")));
        if let Err(why) = problem {
            d.push(
                Diagnostic::new(
                    Code::BadLabel,
                    span,
                    format!("invalid label of {owner}: {why}"),
                    format!("label `{key}`"),
                )
                .help(match (shapes::label_key(key), crate::check::repair::label_value(value)) {
                    (Ok(()), Some(fixed)) => {
                        format!("values are at most 63 letters, digits, `-`, `_`, `.`: `\"{fixed}\"`")
                    }
                    _ => "label keys are `prefix/name`, values at most 63 letters, digits, `-`, `_`, `.`".into(),
                }),
            );
        }
    }
}

pub fn registries_name_targets(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let targets: Vec<&str> = fleet.targets.iter().map(|t| t.name.value.as_str()).collect();
    for (key, value) in &platform.registries {
        if !targets.contains(&key.as_str()) {
            d.push(
                Diagnostic::new(
                    Code::UnknownTargetKey,
                    value.span,
                    format!("`registries` names target `{key}`, which does not exist"),
                    "registry for an unknown target",
                )
                .maybe_help(suggest::did_you_mean(key, targets.iter().copied()))
                .note(format!("targets: {}", crate::diagnostic::quoted(targets.iter()))),
            );
        }
    }
}
