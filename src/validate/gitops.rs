//! GitOps rules (a platform with `gitops { … }`): Argo CD needs the repository's URL (E0460),
//! and native blue/green and canary moves, which `bdc rollout` makes by changing live objects,
//! would be undone by the engine reconciling the tree (W0420).

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::{backend_of, Backend, Fleet, Reconciler, StrategyKind};
use crate::source::Span;
use indexmap::IndexMap;

/// E0460: `engine = argocd` without `repo`.
pub fn repository(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let Some(g) = &platform.gitops else { return };
    if g.engine.value == Reconciler::ArgoCd && g.repo.as_deref().is_none_or(|r| r.trim().is_empty()) {
        d.push(
            Diagnostic::new(
                Code::GitopsWithoutRepo,
                g.span,
                format!("platform `{}` hands the fleet to Argo CD but does not say which repository holds the tree", platform.name.value),
                "no `repo`",
            )
            .help("add the URL Argo CD clones, e.g. `repo = \"https://git.example.com/fleet.git\"` (and `path` when the tree is not at the repository's root)"),
        );
    }
}

/// W0420: a partner moved by native blue/green or canary under an engine.
pub fn native_moves(fleet: &Fleet, d: &mut Diagnostics) {
    let Some(platform) = &fleet.platform else { return };
    let Some(g) = &platform.gitops else { return };
    // Partners sharing a named strategy share its span: one warning names them all.
    let mut found: IndexMap<Span, (&'static str, Vec<&str>)> = IndexMap::new();
    for p in &fleet.partners {
        let Some(target) = fleet.targets.iter().find(|t| t.name.value == p.target) else { continue };
        if backend_of(p, target, platform) != Backend::Native {
            continue;
        }
        let move_ = match p.strategy.kind {
            StrategyKind::Rolling { .. } => continue,
            StrategyKind::BlueGreen { .. } => "blue/green",
            StrategyKind::Canary { .. } => "canary",
        };
        found.entry(p.strategy.span).or_insert((move_, Vec::new())).1.push(&p.name.value);
    }
    let engine = match g.engine.value {
        Reconciler::ArgoCd => "Argo CD",
        Reconciler::Flux => "Flux",
    };
    for (span, (move_, partners)) in found {
        let who = match partners.as_slice() {
            [one] => format!("partner `{one}`"),
            many => format!("partners {}", many.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")),
        };
        let backend = partners.iter().map(|p| format!("`backend = argo` on `{p}`")).collect::<Vec<_>>().join(", ");
        d.push(
            Diagnostic::new(
                Code::NativeMoveUnderGitops,
                span,
                format!(
                    "{who} moves by native {move_}, which `bdc rollout` carries out by changing live objects; {engine} reconciles the tree and would undo each step"
                ),
                format!("native {move_} under {engine}"),
            )
            .help(format!(
                "set {backend} (or on the platform): Argo Rollouts runs the {move_} inside the cluster from the tree, and {engine} leaves it alone; as written, the tree holds the resting state, so a new release replaces the old one at once"
            )),
        );
    }
}
