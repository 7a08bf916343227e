//! Which release a partner runs, decided in one place: its pin, or the newest release of the
//! channel it follows — "newest" by SemVer precedence, so `2.5.0-rc.1` comes before `2.5.0`
//! and a release candidate never wins a channel over its final release. Lowering, release
//! trains, the wave rules, `bdc why` and `bdc emit` all ask [`Channels`].

use super::{Fleet, Partner, Release};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Orders release versions by SemVer precedence, extended to every version the checker accepts
/// (any label value, so `2.4`, `v3` or `nightly` too):
///
/// 1. the part before the first `-` (the core) is compared dot by dot, numbers numerically
///    and above words (`2.10` > `2.9`, `0.1` > `nightly`), a missing part counting as `0`
///    (`2.4` and `2.4.0` are as new);
/// 2. with equal cores, a version without a pre-release (`2.5.0`) is newer than one with it
///    (`2.5.0-rc.1`);
/// 3. pre-releases are compared dot by dot: numbers numerically and below words, words as
///    text, and a shorter list of parts first (`rc` < `rc.1` < `rc.2` < `rc.10`);
/// 4. versions still as new are ordered by their text, so the order is total (`2.4` < `2.4.0`).
///
/// For valid SemVer versions, steps 1–3 are exactly SemVer 2.0.0 precedence.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let (core_a, pre_a) = split(a);
    let (core_b, pre_b) = split(b);
    let (ca, cb) = (parts(core_a), parts(core_b));
    let zero = Part::Number(0);
    let core = (0..ca.len().max(cb.len()))
        .map(|i| ca.get(i).unwrap_or(&zero).core_cmp(cb.get(i).unwrap_or(&zero)))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal);
    let pre = match (pre_a, pre_b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.split('.').map(Part::of).cmp(y.split('.').map(Part::of)),
    };
    core.then(pre).then_with(|| a.cmp(b))
}

fn parts(core: &str) -> Vec<Part<'_>> {
    core.split('.').map(Part::of).collect()
}

/// `2.5.0-rc.1` → (`2.5.0`, `rc.1`); build metadata (`+…`) does not count for precedence.
fn split(version: &str) -> (&str, Option<&str>) {
    let version = version.split('+').next().unwrap_or(version);
    match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    }
}

/// One dot-separated part of a version. As derived, numbers sort numerically and below words
/// (SemVer's rule for pre-releases); [`Part::core_cmp`] puts them above words.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Part<'a> {
    Number(u128),
    Word(&'a str),
}

impl<'a> Part<'a> {
    fn of(text: &'a str) -> Part<'a> {
        match text.parse() {
            Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => Part::Number(n),
            _ => Part::Word(text),
        }
    }

    /// In a version's core, a word (`nightly`, `v3`) is older than any number.
    fn core_cmp(&self, other: &Part) -> Ordering {
        match (self, other) {
            (Part::Number(_), Part::Word(_)) => Ordering::Greater,
            (Part::Word(_), Part::Number(_)) => Ordering::Less,
            _ => self.cmp(other),
        }
    }
}

/// The fleet's releases indexed once: by version, and the newest of each channel.
pub struct Channels<'f> {
    by_version: HashMap<&'f str, &'f Release>,
    newest: HashMap<&'f str, &'f Release>,
}

impl<'f> Channels<'f> {
    pub fn new(fleet: &'f Fleet) -> Channels<'f> {
        let mut newest: HashMap<&str, &Release> = HashMap::new();
        for r in &fleet.releases {
            let slot = newest.entry(r.channel.value.as_str()).or_insert(r);
            if compare_versions(&r.version.value, &slot.version.value) == Ordering::Greater {
                *slot = r;
            }
        }
        let by_version = fleet.releases.iter().map(|r| (r.version.value.as_str(), r)).collect();
        Channels { by_version, newest }
    }

    /// The release declared with this version.
    pub fn get(&self, version: &str) -> Option<&'f Release> {
        self.by_version.get(version).copied()
    }

    /// The newest release on a channel.
    pub fn newest(&self, channel: &str) -> Option<&'f Release> {
        self.newest.get(channel).copied()
    }

    /// Whether no release on `release`'s channel is newer.
    pub fn is_newest(&self, release: &Release) -> bool {
        self.newest(&release.channel.value).is_some_and(|n| n.version.value == release.version.value)
    }

    /// The release a partner runs outside any train: its pin, or the newest of its channel.
    pub fn running(&self, partner: &Partner) -> Option<&'f Release> {
        match (&partner.release, &partner.follows) {
            (Some(pin), _) => self.get(&pin.value),
            (None, Some(channel)) => self.newest(&channel.value),
            (None, None) => None,
        }
    }
}

/// [`Channels::running`] for one partner.
pub fn running<'f>(fleet: &'f Fleet, partner: &Partner) -> Option<&'f Release> {
    Channels::new(fleet).running(partner)
}

#[cfg(test)]
mod tests {
    use super::compare_versions;
    use std::cmp::Ordering::*;

    #[test]
    fn semver_precedence_and_a_total_order_beyond_it() {
        assert_eq!(compare_versions("2.10.0", "2.9.1"), Greater);
        assert_eq!(compare_versions("2.4.1", "2.4.1"), Equal);
        assert_eq!(compare_versions("2.5.0-rc.1", "2.5.0-rc.2"), Less);
        assert_eq!(compare_versions("2.5.0-rc.1", "2.5.0"), Less);
        assert_eq!(compare_versions("2.5.0-rc.10", "2.5.0-rc.9"), Greater);
        assert_eq!(compare_versions("2.5.0-rc", "2.5.0-rc.1"), Less);
        assert_eq!(compare_versions("2.5.0-1", "2.5.0-alpha"), Less);
        assert_eq!(compare_versions("2.4", "2.4.1"), Less);
        assert_eq!(compare_versions("2.4", "2.4.0"), Less, "as new: ordered by text");
        assert_eq!(compare_versions("3", "2.9"), Greater);
        assert_eq!(compare_versions("nightly", "0.1"), Less);
    }
}
