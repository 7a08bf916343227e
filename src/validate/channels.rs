//! E0406 from both sides: a channel that partners follow and no release is on. When a release
//! sits on a channel nobody follows that is a near miss of the followed one (`betta` for
//! `beta`), the release is the side that is wrong, and the diagnostic goes there, once.

use crate::diagnostic::{quoted, Code, Diagnostic, Diagnostics};
use crate::model::{Fleet, Release};
use std::collections::{HashMap, HashSet};

/// Channel names used by convention; between a conventional and an invented spelling, the
/// conventional one is taken as meant.
const CONVENTIONAL: &[&str] =
    &["alpha", "beta", "canary", "dev", "edge", "latest", "lts", "main", "next", "nightly", "preview", "rc", "stable"];

/// Followed channels that no release is on, mapped to the releases that were probably meant to
/// be on them (their channel is followed by nobody and is the closest near miss).
pub fn misspelt_releases(fleet: &Fleet) -> HashMap<&str, Vec<&Release>> {
    let on_release: HashSet<&str> = fleet.releases.iter().map(|r| r.channel.value.as_str()).collect();
    let mut followers: HashMap<&str, usize> = HashMap::new();
    for p in &fleet.partners {
        if let Some(f) = &p.follows {
            *followers.entry(f.value.as_str()).or_default() += 1;
        }
    }
    let mut orphans: Vec<&str> = followers.keys().copied().filter(|c| !on_release.contains(c)).collect();
    orphans.sort();
    let mut releases_on: HashMap<&str, usize> = HashMap::new();
    for r in &fleet.releases {
        *releases_on.entry(r.channel.value.as_str()).or_default() += 1;
    }
    let mut out: HashMap<&str, Vec<&Release>> = HashMap::new();
    for r in &fleet.releases {
        let channel = r.channel.value.as_str();
        if channel.is_empty() || followers.contains_key(channel) {
            continue;
        }
        let Some(meant) = crate::suggest::closest(channel, orphans.iter().copied()) else { continue };
        if release_is_wrong(channel, meant, releases_on[channel], followers[meant]) {
            out.entry(meant).or_default().push(r);
        }
    }
    out
}

/// Which spelling is the mistake: the invented one against a conventional one; otherwise the
/// one fewer declarations use; on a tie, the release's (partners name what they expect).
fn release_is_wrong(on_release: &str, followed: &str, releases: usize, partners: usize) -> bool {
    match (CONVENTIONAL.contains(&on_release), CONVENTIONAL.contains(&followed)) {
        (true, false) => false,
        (false, true) => true,
        _ => partners >= releases,
    }
}

/// Reports each release whose channel is a near miss of a followed channel without releases.
pub fn report(fleet: &Fleet, misspelt: &HashMap<&str, Vec<&Release>>, d: &mut Diagnostics) {
    let mut meant: Vec<&&str> = misspelt.keys().collect();
    meant.sort();
    for channel in meant {
        let mut partners: Vec<&crate::model::Partner> =
            fleet.partners.iter().filter(|p| p.follows.as_ref().is_some_and(|f| f.value == **channel)).collect();
        partners.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        let names: Vec<&str> = partners.iter().map(|p| p.name.value.as_str()).collect();
        for r in &misspelt[*channel] {
            let written = &r.channel.value;
            let mut diag = Diagnostic::new(
                Code::ChannelWithoutRelease,
                r.channel.span,
                format!(
                    "release `{}` is on channel `{written}`, which no partner follows, while {} `{channel}`, which no release is on",
                    r.version.value,
                    match names.as_slice() {
                        [one] => format!("partner `{one}` follows"),
                        many => format!("partners {} follow", quoted(many.iter())),
                    }
                ),
                "no partner follows this channel",
            )
            .suggest(r.channel.span, *channel);
            if let Some(first) = partners.first().and_then(|p| p.follows.as_ref()) {
                diag = diag.label(first.span, format!("partner `{}` follows `{channel}`", names[0]));
            }
            d.push(diag.note(format!("if `{written}` is meant, make the partners follow it: `follows = {written}`")));
        }
    }
}
