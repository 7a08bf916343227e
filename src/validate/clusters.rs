//! E0445 and W0410: a partner's cluster and target must agree, and every declared cluster
//! should run some partner. The target a partner is lowered for is decided by
//! `model::placement`; these rules report the specs where that decision would hide a mistake.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Fleet;
use std::collections::HashSet;

/// E0445: a partner writes a `target` and a `cluster` whose target is another one: `emit`
/// would lower it for one and the cluster runs the other.
pub fn targets_match_clusters(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        let (Some(written), Some(named)) = (&p.written_target, &p.cluster) else { continue };
        let Some(cluster) = fleet.cluster_of(p) else { continue };
        let theirs = &cluster.target.value;
        if theirs.is_empty() || *theirs == written.value {
            continue;
        }
        let fitting: Vec<&str> =
            fleet.clusters.iter().filter(|c| c.target.value == written.value).map(|c| c.name.value.as_str()).collect();
        let keep = format!(
            "remove `target = {}` so that partner `{}` takes `{theirs}` from cluster `{}`",
            written.value, p.name.value, cluster.name.value
        );
        let help = match fitting.first() {
            Some(other) => format!("{keep}, or write `cluster = {other}` (a cluster that runs `{}`)", written.value),
            None => format!("{keep}, or declare a cluster with `target = {}` and name it in `cluster`", written.value),
        };
        d.push(
            Diagnostic::new(
                Code::TargetContradictsCluster,
                written.span,
                format!(
                    "partner `{}` is written for target `{}`, but its cluster `{}` runs target `{theirs}`",
                    p.name.value, written.value, cluster.name.value
                ),
                format!("target `{}`", written.value),
            )
            .label(named.span, format!("cluster `{}` runs `{theirs}`", cluster.name.value))
            .help(help),
        );
    }
}

/// W0410: a declared cluster no partner names is never applied to; usually a partner's
/// `cluster` is missing. Silent when some partner is broken (it may be the one that names it).
pub fn unused_clusters(fleet: &Fleet, d: &mut Diagnostics) {
    if fleet.partners.iter().any(|p| p.poisoned) || fleet.incomplete.contains(&crate::ast::DeclKind::Partner) {
        return;
    }
    let used: HashSet<&str> =
        fleet.partners.iter().filter_map(|p| p.cluster.as_ref()).map(|c| c.value.as_str()).collect();
    for c in fleet.clusters.iter().filter(|c| !used.contains(c.name.value.as_str())) {
        let candidates: Vec<&str> = fleet
            .partners
            .iter()
            .filter(|p| p.cluster.is_none() && p.target == c.target.value)
            .map(|p| p.name.value.as_str())
            .collect();
        let help = match candidates.first() {
            Some(p) => format!(
                "add `cluster = {}` to the partners that run there (e.g. partner `{p}`), or remove cluster `{}`",
                c.name.value, c.name.value
            ),
            None => format!(
                "add `cluster = {}` to the partners that run there, or remove cluster `{}`",
                c.name.value, c.name.value
            ),
        };
        d.push(
            Diagnostic::new(
                Code::UnusedCluster,
                c.name.span,
                format!("cluster `{}` is declared, but no partner runs on it", c.name.value),
                "no partner names this cluster",
            )
            .help(help)
            .note("partners without `cluster` are applied to the current kubeconfig context"),
        );
    }
}
