//! `bdc emit [PATH…] [--target T] [--partner P]… [--out DIR | --check DIR] [--format yaml|json]`:
//! compile, then write manifests to stdout (one stream in apply order) or to a directory tree
//! (one bundle per partner; a GitOps tree when the platform declares `gitops`, see
//! [`crate::gitops`]), or compare a committed tree with what the spec emits. Nothing is written
//! when the spec has errors.

use super::files;
use super::report;
use super::Global;
use crate::emit::{self, Format};
use crate::gitops::{check, Layout};
use crate::lower::Lowering;
use crate::portability;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// YAML documents separated by `---`.
    Yaml,
    /// One `List` object holding every object (`kubectl apply -f` reads it), or one file per
    /// object with `--out`.
    Json,
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc emit examples/mediasphere                       every partner on its own target, YAML on stdout
  bdc emit examples/mediasphere | kubectl apply -f -  the stream is in apply order
  bdc emit examples/mediasphere --target eks          the whole fleet for EKS (portability notes on stderr)
  bdc emit examples/mediasphere --partner newsroom-a --out export/
  bdc emit examples/mediasphere -o json               JSON instead of YAML
  bdc emit examples/mediasphere --release 2.5.0 --wave pilot
  cat fleet.bdot | bdc emit -                         the spec on standard input

Nothing is written when the spec has errors (exit 1).")]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// reads a spec from standard input.
    paths: Vec<PathBuf>,
    /// Target profile for every partner (`k8s`, `gke`, `eks`, `aks`, or one the spec
    /// declares); default: each partner's own (its `target`, else its cluster's, else the
    /// platform's `default_target`). A partner keeps its cluster: its portability report says
    /// when that cluster runs another target.
    #[arg(long)]
    target: Option<String>,
    /// Emit only this partner (repeatable).
    #[arg(long = "partner", value_name = "PARTNER")]
    partners: Vec<String>,
    /// Write one bundle per partner under this directory instead of a stream to stdout. The
    /// directory is replaced as a whole, atomically (with `--partner`, the other partners'
    /// bundles in it are kept).
    #[arg(long, value_name = "DIR", conflicts_with = "check")]
    out: Option<PathBuf>,
    /// Compare the tree committed at DIR with the one `--out DIR` would write: exit 0 when
    /// they are equal, 1 with a unified diff on stdout when they differ (for CI).
    #[arg(long, value_name = "DIR", conflicts_with = "partners")]
    check: Option<PathBuf>,
    /// In a GitOps tree, remove the directories of partners that left the spec (or moved to
    /// another cluster); without it, emit refuses to write while there are any. Their data
    /// objects' files are listed: the objects stay on the cluster (annotated never to be
    /// pruned) until deleted by hand.
    #[arg(long, requires = "out")]
    remove_departed: bool,
    /// Render the fleet as it is during this release's train (with `--wave`) or after it.
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    /// The wave of the train reached (its name, or its number from 1): partners in waves up to
    /// it run the release, the rest what they ran before.
    #[arg(long, requires = "release")]
    wave: Option<String>,
    /// Manifest format.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = OutputFormat::Yaml)]
    format: OutputFormat,
    /// Print at most N diagnostics (errors first), then how many more there are; 0 prints all.
    /// Default: 100.
    #[arg(long, value_name = "N")]
    max_diagnostics: Option<usize>,
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let (compilation, _) =
        super::compile_capped(&args.paths, report::Format::Human, g, args.max_diagnostics, args.target.as_deref())?;
    if compilation.diagnostics.has_errors() {
        info!("{}; nothing emitted", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let fleet = &compilation.fleet;
    let Some(lw) = Lowering::new(fleet) else {
        return Err("the spec declares no platform and no partners; nothing to emit".into());
    };
    if let Some(t) = &args.target {
        if lw.target(t).is_none() {
            let names: Vec<&str> = fleet.targets.iter().map(|t| t.name.value.as_str()).collect();
            let hint =
                crate::suggest::did_you_mean(t, names.iter().copied()).map(|h| format!(" ({h})")).unwrap_or_default();
            return Err(format!("no target `{t}`{hint}; targets: {}", names.join(", ")));
        }
    }
    for wanted in &args.partners {
        if !fleet.partners.iter().any(|p| &p.name.value == wanted) {
            let hint = crate::suggest::did_you_mean(wanted, fleet.partners.iter().map(|p| p.name.value.as_str()))
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return Err(format!("no partner `{wanted}`{hint}"));
        }
    }
    let releases = releases_at(fleet, args.release.as_deref(), args.wave.as_deref())?;
    let gitops = lw.platform.gitops.as_ref().filter(|_| args.out.is_some() || args.check.is_some());
    let mut placements = Vec::new();
    // A GitOps tree lists every partner: the layout is made of all of them.
    let mut everyone = Vec::new();
    for (p, release) in releases {
        let wanted = args.partners.is_empty() || args.partners.contains(&p.name.value);
        if !wanted && gitops.is_none() {
            continue;
        }
        let Some(release) = release else {
            if wanted {
                info!("note: partner `{}` runs no release yet at this point of the train; not emitted", p.name.value);
            }
            continue;
        };
        let at = lw.place_on(p, args.target.as_deref(), release).map_err(|e| format!("internal error: {e}"))?;
        if gitops.is_some() {
            everyone.push(at.clone());
        }
        if wanted {
            placements.push(at);
        }
    }
    let format = match args.format {
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Json => Format::Json,
    };
    let reports: Vec<(usize, Vec<portability::Note>)> = placements
        .iter()
        .enumerate()
        .map(|(i, at)| (i, portability::report(&lw, at)))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    let report_of = |i: usize| {
        // `reports` is in partner order: a search, not a scan per partner.
        reports.binary_search_by_key(&i, |(j, _)| *j).ok().map(|k| portability::markdown(&placements[i], &reports[k].1))
    };
    let layout = gitops.map(|g| (g, Layout::new(fleet, &lw, g, &everyone)));
    drop(everyone);
    if let Some(dir) = &args.check {
        let emitted = tree_in_memory(&lw, &placements, format, layout.as_ref(), &report_of)?;
        let committed = read_tree(dir)?;
        let r = check::compare(&committed, &emitted);
        if r.is_clean() {
            info!("{} matches the spec ({} files)", dir.display(), emitted.len());
            std::mem::forget(compilation);
            return Ok(ExitCode::SUCCESS);
        }
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(r.diff.as_bytes()).and_then(|_| out.flush());
        note!(
            "{} differs from what the spec emits: {} changed, {} to add, {} to remove; run `bdc emit --out {}` and commit the result",
            dir.display(),
            r.changed.len(),
            r.added.len(),
            r.removed.len(),
            dir.display()
        );
        std::mem::forget(compilation);
        return Ok(ExitCode::from(1));
    }
    match (&args.out, layout) {
        (None, _) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
            match emit::stream(&lw, &placements, format, &mut out) {
                Ok(()) => match out.flush() {
                    // `bdc emit | head`: the reader went away; that is not an error.
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        return Err(format!("cannot write to stdout: {}", files::plain(&e)))
                    }
                    _ => {}
                },
                Err(emit::StreamError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(emit::StreamError::Io(e)) => return Err(format!("cannot write to stdout: {}", files::plain(&e))),
                Err(emit::StreamError::Broken(b)) => return Err(broken(&b)),
            }
        }
        (Some(dir), None) => {
            let bundle =
                |i: usize| emit::partner_files(&lw, &placements[i], format, report_of(i)).map_err(|b| broken(&b));
            // With `--partner`, the other partners' bundles already in the directory stay.
            let keep = if args.partners.is_empty() { super::tree::Keep::Nothing } else { super::tree::Keep::Others };
            let count = super::tree::write(dir, placements.len(), bundle, keep)?;
            let n = placements.len();
            info!("wrote {count} files for {n} partner{} to {}", if n == 1 { "" } else { "s" }, dir.display());
        }
        (Some(dir), Some((g, mut layout))) => {
            let departed = super::gitops::departed(dir, &layout)?;
            if !departed.is_empty() && !args.remove_departed {
                super::gitops::refuse(dir, &departed);
                std::mem::forget(compilation);
                return Ok(ExitCode::from(1));
            }
            let partial = !args.partners.is_empty();
            let mut replaced: Vec<String> = Vec::new();
            if partial {
                // The other partners stay as they are in the tree; new ones it does not have
                // yet are not listed until they are emitted.
                let present = super::gitops::present(dir);
                layout.retain(|e| {
                    args.partners.contains(&e.partner) || present.contains(&(e.cluster.clone(), e.partner.clone()))
                });
                for at in &placements {
                    if let Some(e) = layout.entry(&at.partner.name.value) {
                        replaced.extend(e.owned(layout.engine));
                    }
                }
                // The clusters' shared objects are rewritten from the whole spec: none stale.
                for e in &layout.entries {
                    replaced.push(format!("clusters/{}/{}", e.cluster, crate::gitops::SHARED_DIR));
                    replaced.push(format!("flux/{}/{}.yaml", e.cluster, crate::gitops::SHARED_DIR));
                }
                replaced.sort();
                replaced.dedup();
            }
            for d in &departed {
                replaced.extend(d.owned(layout.engine));
            }
            let n = placements.len();
            let bundle = |i: usize| {
                if i == n {
                    return layout.index_files(g, format).map_err(|b| broken(&b));
                }
                layout.partner_files(&lw, g, &placements[i], format, report_of(i)).map_err(|b| broken(&b))
            };
            let keep = if partial { super::tree::Keep::Outside(replaced) } else { super::tree::Keep::Nothing };
            let count = super::tree::write(dir, n + 1, bundle, keep)?;
            info!(
                "wrote {count} files for {n} partners to {} ({} tree of {} partners)",
                dir.display(),
                g.engine.value,
                layout.entries.len()
            );
            super::gitops::removed(&departed);
        }
    }
    for (i, notes) in reports.iter().filter(|_| !super::quiet()) {
        let _ =
            std::io::Write::write_all(&mut std::io::stderr(), portability::markdown(&placements[*i], notes).as_bytes());
    }
    drop(placements);
    // Freeing a large fleet's trees one by one costs more than the process exit does.
    std::mem::forget(compilation);
    Ok(ExitCode::SUCCESS)
}

/// The whole tree `--out` would write, in memory (for `--check`).
fn tree_in_memory(
    lw: &Lowering,
    placements: &[crate::lower::Placement],
    format: Format,
    layout: Option<&(&crate::model::Gitops, Layout)>,
    report_of: &(dyn Fn(usize) -> Option<String> + Sync),
) -> Result<check::Tree, String> {
    let n = placements.len();
    let mut tree = check::Tree::new();
    crate::parallel::in_order(
        n + 1,
        || (),
        |_, i| -> Result<Vec<emit::File>, String> {
            match layout {
                None if i == n => Ok(Vec::new()),
                None => emit::partner_files(lw, &placements[i], format, report_of(i)).map_err(|b| broken(&b)),
                Some((g, layout)) if i == n => layout.index_files(g, format).map_err(|b| broken(&b)),
                Some((g, layout)) => {
                    layout.partner_files(lw, g, &placements[i], format, report_of(i)).map_err(|b| broken(&b))
                }
            }
        },
        |files| {
            tree.extend(files.into_iter().map(|f| (f.path, f.bytes)));
            Ok(())
        },
    )?;
    Ok(tree)
}

/// The files of a committed tree (bdc's marker left out), by path relative to it.
fn read_tree(dir: &std::path::Path) -> Result<check::Tree, String> {
    fn walk(at: &std::path::Path, rel: &str, out: &mut check::Tree) -> Result<(), String> {
        let entries =
            std::fs::read_dir(at).map_err(|e| format!("cannot read `{}`: {}", at.display(), files::plain(&e)))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {}", at.display(), files::plain(&e)))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if rel.is_empty() && (name == ".bdc-output" || name == ".git") {
                continue;
            }
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read `{}`: {}", entry.path().display(), files::plain(&e)))?;
            if kind.is_dir() {
                walk(&entry.path(), &path, out)?;
            } else {
                let bytes = std::fs::read(entry.path())
                    .map_err(|e| format!("cannot read `{}`: {}", entry.path().display(), files::plain(&e)))?;
                out.insert(path, bytes);
            }
        }
        Ok(())
    }
    if !dir.is_dir() {
        return Err(format!(
            "no tree at `{}` to check; write it with `bdc emit --out {}`",
            dir.display(),
            dir.display()
        ));
    }
    let mut out = check::Tree::new();
    walk(dir, "", &mut out)?;
    Ok(out)
}

/// The release of every partner: their own, or at a point of a release train.
fn releases_at<'f>(
    fleet: &'f crate::model::Fleet,
    release: Option<&str>,
    wave: Option<&str>,
) -> Result<Vec<(&'f crate::model::Partner, Option<&'f crate::model::Release>)>, String> {
    let Some(version) = release else {
        let channels = crate::model::releases::Channels::new(fleet);
        return Ok(fleet.partners.iter().map(|p| (p, channels.running(p))).collect());
    };
    let release = fleet.releases.iter().find(|r| r.version.value == version).ok_or_else(|| {
        let hint = crate::suggest::did_you_mean(version, fleet.releases.iter().map(|r| r.version.value.as_str()));
        format!("no release `{version}`{}", hint.map(|h| format!(" ({h})")).unwrap_or_default())
    })?;
    let t = crate::train::plan(fleet, release);
    let reached = match wave {
        None => None,
        Some(w) => {
            let by_name = t.cohorts.iter().position(|c| c.name() == w);
            let by_number = w.parse::<usize>().ok().filter(|n| (1..=t.cohorts.len()).contains(n)).map(|n| n - 1);
            let names: Vec<&str> = t.cohorts.iter().map(|c| c.name()).collect();
            Some(
                by_name
                    .or(by_number)
                    .ok_or_else(|| format!("release `{version}` has no wave `{w}`; its waves: {}", names.join(", ")))?,
            )
        }
    };
    Ok(crate::train::state_at(fleet, &t, reached))
}

/// The message for output that failed the structural checks: a bug in bdc.
fn broken(b: &emit::Broken) -> String {
    format!(
        "internal error: {} of partner `{}` fails a structural check: {} (please report this; the output is incomplete)",
        b.violation.object, b.partner, b.violation.problem
    )
}
