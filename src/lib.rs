//! `bdc`, the Bluedot compiler: a small typed language for a multi-tenant media fleet,
//! compiled to validated Kubernetes manifests, emitted for any cloud or applied to clusters.
//!
//! [`compile`] runs the front half of the pipeline — load, parse, resolve, eval, check, build
//! the model, validate — and returns a [`Compilation`]; `lower`, `emit` and `apply` start from
//! its fleet. The stages, their invariants and how to add a code, a kind, a cloud, an engine or
//! a command are described once, in `docs/ARCHITECTURE.md`.

pub mod allow;
pub mod apply;
pub mod ast;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod disk;
pub mod emit;
pub mod eval;
pub mod export;
pub mod fmt;
pub mod gitops;
pub mod import;
pub mod load;
pub mod lower;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod parse;
pub mod portability;
pub mod project;
pub mod resolve;
pub mod source;
pub mod stdlib;
pub mod suggest;
pub mod train;
pub mod validate;
pub mod why;

use check::Checker;
use diagnostic::Diagnostics;
use resolve::{DeclId, Program};
use source::SourceMap;
use std::path::PathBuf;

/// Everything one compilation produced: for the CLI to print, and for later stages (emit,
/// apply, the language server) to work from.
pub struct Compilation {
    pub sources: SourceMap,
    pub program: Program,
    pub fleet: model::Fleet,
    pub diagnostics: Diagnostics,
}

/// Partners evaluated and checked per piece of parallel work.
const PARTNERS: usize = 256;

/// Runs the pipeline from files to a validated model.
///
/// Declarations are evaluated, checked and added to the model one at a time; partners come
/// last (they take the platform's defaults), and nothing of a partner but its model is kept,
/// so memory grows with the model alone.
pub fn compile(roots: &[PathBuf], loader: &dyn load::Loader) -> Result<Compilation, load::RootError> {
    compile_for(roots, loader, None)
}

/// [`compile`] for one target: with `target` (`bdc emit --target eks`), the fleet rules that
/// depend on a partner's target judge every partner on that one, so what they say is about the
/// manifests that will be written. A target the spec does not declare changes nothing (the
/// caller reports it).
pub fn compile_for(
    roots: &[PathBuf],
    loader: &dyn load::Loader,
    target: Option<&str>,
) -> Result<Compilation, load::RootError> {
    compile_project(roots, loader, target, None)
}

/// [`compile_for`] with the settings of the project's `bdc.toml` (its `allow` list); the
/// `// bdc: allow` comments of the files are honoured in every compilation.
pub fn compile_project(
    roots: &[PathBuf],
    loader: &dyn load::Loader,
    target: Option<&str>,
    settings: Option<&project::Settings>,
) -> Result<Compilation, load::RootError> {
    let mut sources = SourceMap::new();
    let mut diagnostics = Diagnostics::new();
    let loaded = load::load(roots, loader, &mut sources, &mut diagnostics)?;
    let program = resolve::resolve(loaded, &mut diagnostics);
    let mut evaluator = eval::Evaluator::new(&program);
    let checker = Checker::new(&program);
    let mut builder = model::Builder::new(&program);
    let ids = (0..program.decls.len() as u32).map(DeclId);
    let (partners, others): (Vec<DeclId>, Vec<DeclId>) =
        ids.partition(|id| program.kind(*id) == ast::DeclKind::Partner);
    for id in others {
        let before = diagnostics.error_count();
        let pushed = diagnostics.len();
        let value = evaluator.decl(id, &mut diagnostics);
        let kind = program.kind(id);
        if kind != ast::DeclKind::Let {
            let checked = checker.decl(kind, &value, program.name_span(id), &mut diagnostics);
            builder.add(id, &checked, diagnostics.error_count() > before);
        }
        let decl = program.decl(id);
        let owner = format!("{} `{}`", kind.keyword(), decl.name.name);
        diagnostics.name_owner(pushed, decl.span, kind.keyword(), &owner);
    }
    // Partners last, in parallel: each depends only on the declarations above, all evaluated
    // by now, and nothing refers to a partner. Each worker evaluates and checks a run of
    // partners with its own copy of the evaluator, each partner's diagnostics apart; they are
    // added to the model and the diagnostics in declaration order, as if one thread had done it
    // (the same diagnostics, deduplicated and counted the same way).
    // Room for every partner at once: growing by doubling would hold the old and the new
    // array together (three times the fleet's partners) at the largest step.
    builder.fleet.partners.reserve_exact(partners.len());
    let (evaluator, shared) = (&evaluator, &program);
    let _ = parallel::in_order(
        partners.len().div_ceil(PARTNERS),
        || (evaluator.clone(), Checker::new(shared)),
        |(evaluator, checker), i| -> Result<_, std::convert::Infallible> {
            let run = &partners[i * PARTNERS..partners.len().min((i + 1) * PARTNERS)];
            Ok(run
                .iter()
                .map(|&id| {
                    let mut own = Diagnostics::new();
                    let value = evaluator.decl(id, &mut own);
                    let checked = checker.decl(ast::DeclKind::Partner, &value, shared.name_span(id), &mut own);
                    let decl = shared.decl(id);
                    let keyword = ast::DeclKind::Partner.keyword();
                    own.name_owner(0, decl.span, keyword, &format!("{keyword} `{}`", decl.name.name));
                    (id, checked, own)
                })
                .collect::<Vec<_>>())
        },
        |run| {
            for (id, checked, own) in run {
                let before = diagnostics.error_count();
                let pushed = diagnostics.len();
                for d in own.iter() {
                    diagnostics.push(d.clone());
                }
                builder.add(id, &checked, diagnostics.error_count() > before);
                // As for the other declarations: a message that does not name its partner does.
                let decl = shared.decl(id);
                let keyword = ast::DeclKind::Partner.keyword();
                diagnostics.name_owner(pushed, decl.span, keyword, &format!("{keyword} `{}`", decl.name.name));
            }
            Ok(())
        },
    );
    let mut fleet = builder.fleet;
    for kind in &program.broken_kinds {
        if !fleet.incomplete.contains(kind) {
            fleet.incomplete.push(*kind);
        }
    }
    validate::validate(&fleet, target, &mut diagnostics);
    allow::apply(&mut sources, &program.loaded, settings, target, &mut diagnostics);
    Ok(Compilation { sources, program, fleet, diagnostics })
}
