//! Fleet-wide rules: one platform, valid namespaces, unique domains, every partner on a
//! release that exists, release images pinned.

use crate::ast::DeclKind;
use crate::check::shapes;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fleet;
use crate::source::Span;
use std::collections::{HashMap, HashSet};

/// E0409: exactly one platform (when there is anything to run on it).
pub fn platform_count(fleet: &Fleet, d: &mut Diagnostics) {
    if let [first, second, ..] = fleet.platforms.as_slice() {
        d.push(
            Diagnostic::new(
                Code::PlatformCount,
                second.span,
                format!("a second platform `{}` is declared", second.value),
                "second platform",
            )
            .label(first.span, format!("platform `{}` is declared here", first.value))
            .help("a spec describes one platform: merge the two, or check them separately"),
        );
        return;
    }
    if fleet.platform.is_some() || fleet.incomplete.contains(&DeclKind::Platform) {
        return;
    }
    if let Some(p) = fleet.partners.first() {
        d.push(
            Diagnostic::new(
                Code::PlatformCount,
                p.name.span,
                "no `platform` is declared",
                "this partner needs a platform to run on",
            )
            .help("declare one: `platform name { registry = \"…\" }`"),
        );
    }
}

/// E0404: `prefix + name` must be a DNS-1123 label, since it becomes the namespace. A bad
/// prefix is reported once, at the prefix.
pub fn namespaces(fleet: &Fleet, d: &mut Diagnostics) {
    let prefix = fleet.platform.as_ref().map(|p| p.namespace_prefix.clone());
    let prefix_text = prefix.as_ref().map_or("", |p| p.value.as_str());
    if let Some(prefix) = prefix.as_ref().filter(|p| !p.value.is_empty()) {
        // The prefix must itself start a valid label: `x` + prefix must be one.
        if let Err(why) = shapes::dns_label(&format!("{}x", prefix.value)) {
            d.push(
                Diagnostic::new(
                    Code::BadNamespaceName,
                    prefix.span,
                    format!("namespace prefix `{}` cannot start a DNS-1123 label: it {why}", prefix.value),
                    "prefix of every namespace",
                )
                .help(match crate::check::repair::label(&prefix.value, 62) {
                    Some(fixed) => format!(
                        "use lowercase letters, digits and `-`, starting with a letter or digit: `\"{fixed}-\"`"
                    ),
                    None => "use lowercase letters, digits and `-`, starting with a letter or digit".into(),
                }),
            );
            return;
        }
    }
    for p in &fleet.partners {
        let ns = format!("{prefix_text}{}", p.name.value);
        if let Err(why) = shapes::dns_label(&ns) {
            let mut diag = Diagnostic::new(
                Code::BadNamespaceName,
                p.name.span,
                format!("namespace `{ns}` of partner `{}` is not a valid DNS-1123 label: it {why}", p.name.value),
                "becomes the namespace name",
            )
            .help(match crate::check::repair::label(&p.name.value, 63usize.saturating_sub(prefix_text.len())) {
                Some(fixed) => format!(
                    "use lowercase letters, digits and `-`, at most 63 characters including the prefix: `partner \"{fixed}\"`"
                ),
                None => "use lowercase letters, digits and `-`, at most 63 characters including the prefix".into(),
            });
            if let Some(prefix) = prefix.as_ref().filter(|p| !p.value.is_empty()) {
                diag = diag.label(prefix.span, "prefixed with this");
            }
            d.push(diag);
        }
    }
}

/// E0403: a domain belongs to one partner.
pub fn domains(fleet: &Fleet, d: &mut Diagnostics) {
    let mut owners: HashMap<&str, (&str, Span)> = HashMap::new();
    for p in &fleet.partners {
        for domain in &p.domains {
            match owners.get(domain.value.as_str()) {
                Some((owner, first)) if *owner == p.name.value => d.push(
                    Diagnostic::new(
                        Code::DuplicateDomain,
                        domain.span,
                        format!("domain `{}` is listed twice in partner `{owner}`", domain.value),
                        "listed again",
                    )
                    .label(*first, "first listed here")
                    .help("remove the repeated domain"),
                ),
                Some((owner, first)) => d.push(
                    Diagnostic::new(
                        Code::DuplicateDomain,
                        domain.span,
                        format!("domain `{}` is claimed by partners `{owner}` and `{}`", domain.value, p.name.value),
                        format!("claimed again by `{}`", p.name.value),
                    )
                    .label(*first, format!("first claimed by `{owner}`"))
                    .help("a domain routes to one site: remove it from one partner"),
                ),
                None => {
                    owners.insert(&domain.value, (&p.name.value, domain.span));
                }
            }
        }
    }
}

/// E0309, E0406, E0408: each partner follows a channel that has a release, or pins a release
/// that exists — exactly one of the two.
pub fn pins(fleet: &Fleet, d: &mut Diagnostics) {
    // With a broken or invalid release we cannot know every channel and version: stay silent.
    let releases_known = !fleet.incomplete.contains(&DeclKind::Release);
    let channels: HashSet<&str> =
        fleet.releases.iter().map(|r| r.channel.value.as_str()).filter(|c| !c.is_empty()).collect();
    let versions: HashSet<&str> = fleet.releases.iter().map(|r| r.version.value.as_str()).collect();
    let misspelt = super::channels::misspelt_releases(fleet);
    super::channels::report(fleet, &misspelt, d);
    for p in &fleet.partners {
        match (&p.follows, &p.release) {
            (Some(f), Some(r)) => d.push(
                Diagnostic::new(
                    Code::ConflictingFields,
                    r.span,
                    format!("partner `{}` both follows a channel and pins a release", p.name.value),
                    "pins a release",
                )
                .label(f.span, "follows a channel")
                .help("keep `follows` to get new releases automatically, or `release` to stay on one"),
            ),
            // A poisoned partner may have written one of them invalidly (already reported).
            (None, None) if !p.poisoned => d.push(
                Diagnostic::new(
                    Code::ConflictingFields,
                    p.name.span,
                    format!("partner `{}` runs no release", p.name.value),
                    "neither `follows` nor `release` given",
                )
                .help(run_something(fleet)),
            ),
            // The release on a near miss of this channel is the side that is wrong (reported there).
            (Some(f), None) if misspelt.contains_key(f.value.as_str()) => {}
            (Some(f), None) if releases_known && !channels.contains(f.value.as_str()) => {
                let mut known: Vec<&str> = channels.iter().copied().collect();
                known.sort();
                d.push(
                    Diagnostic::new(
                        Code::ChannelWithoutRelease,
                        f.span,
                        format!("partner `{}` follows channel `{}`, which no release is on", p.name.value, f.value),
                        "no release on this channel",
                    )
                    .help(format!("declare a release with `channel = {}`", f.value))
                    .maybe_suggest(f.span, &f.value, known.iter().copied())
                    .note(format!(
                        "channels with releases: {}",
                        if known.is_empty() { "none".into() } else { crate::diagnostic::quoted(known.iter()) }
                    )),
                );
            }
            (None, Some(r)) if releases_known && !versions.contains(r.value.as_str()) => {
                let mut known: Vec<&str> = versions.iter().copied().collect();
                known.sort();
                d.push(
                    Diagnostic::new(
                        Code::UnknownRelease,
                        r.span,
                        format!("partner `{}` pins release `{}`, which is not declared", p.name.value, r.value),
                        "not a declared release",
                    )
                    .maybe_suggest_string(r.span, &r.value, known.iter().copied())
                    .note(format!(
                        "declared releases: {}",
                        if known.is_empty() { "none".into() } else { crate::diagnostic::quoted(known.iter()) }
                    )),
                );
            }
            _ => {}
        }
    }
}

/// W0401: a release on the `stable` channel should be pinned by digest, so that what was
/// tested is what runs.
pub fn release_images(fleet: &Fleet, d: &mut Diagnostics) {
    for r in &fleet.releases {
        if r.channel.value == "stable" && !r.image.value.is_empty() && !shapes::is_digest(&r.image.value) {
            d.push(
                Diagnostic::new(
                    Code::MutableImageTag,
                    r.image.span,
                    format!("stable release `{}` names its image by tag", r.version.value),
                    "a tag can be moved to another image",
                )
                .help(format!(
                    "pin it by digest: `image = \"{}@sha256:<digest of {}>\"`",
                    crate::check::repair::image_repository(&r.image.value),
                    r.image.value
                )),
            );
        }
    }
}

/// Help for a partner that runs no release, from the fleet's own channels and releases: the
/// channel most partners follow (or the newest release's), and the newest release on it.
fn run_something(fleet: &Fleet) -> String {
    let newest = |on: Option<&str>| {
        fleet
            .releases
            .iter()
            .filter(|r| !r.version.value.is_empty() && on.is_none_or(|c| r.channel.value == c))
            .max_by(|a, b| crate::model::compare_versions(&a.version.value, &b.version.value))
    };
    let mut followed: HashMap<&str, usize> = HashMap::new();
    for f in fleet.partners.iter().filter_map(|p| p.follows.as_ref()) {
        *followed.entry(f.value.as_str()).or_default() += 1;
    }
    let channel = followed
        .into_iter()
        .filter(|(c, _)| newest(Some(c)).is_some())
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c)
        .or(newest(None).map(|r| r.channel.value.as_str()).filter(|c| !c.is_empty()));
    match (channel, newest(channel)) {
        (Some(c), Some(r)) => format!("add `follows = {c}` or `release = \"{}\"`", r.version.value),
        (None, Some(r)) => format!("add `release = \"{}\"`", r.version.value),
        _ => "declare a `release`, then add `follows = <its channel>` or `release = \"<its version>\"`".into(),
    }
}
