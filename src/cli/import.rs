//! `bdc import [PATH…|--context C [--namespace-prefix P|--selector L]] --out DIR [--format
//! text|json] [--verify]`: read an existing fleet's Kubernetes YAML (files or directories of
//! `.yaml`, `.yml`, `.json`) or what runs in a cluster (`apply::fetch`), write the spec it means
//! to DIR (replaced as a whole, atomically) and print the import report. Nothing is written when
//! the input has errors or the spec would not check clean.

use super::report;
use crate::emit::File;
use crate::source::{Origin, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc import manifests/ --out spec/          the spec the YAML means, and its report
  bdc import fleet.yaml --out spec/ --verify every compared field of the verification
  bdc import manifests/ --out spec/ -o json  the report as JSON
  bdc import --context prod --namespace-prefix bd- --out spec/
                                             what runs in the cluster (Secrets: names only)")]
pub struct Args {
    /// YAML files or directories (searched for `.yaml`, `.yml` and `.json` files).
    #[arg(required_unless_present = "context", conflicts_with = "context")]
    paths: Vec<PathBuf>,
    /// Read the fleet from the cluster of this kubeconfig context instead of files.
    #[arg(long)]
    context: Option<String>,
    /// kubeconfig file to read instead of KUBECONFIG or ~/.kube/config (with --context).
    #[arg(long, value_name = "FILE", requires = "context")]
    kubeconfig: Option<PathBuf>,
    /// With --context: read the namespaces whose name starts with this (default: every
    /// namespace but `kube-*`).
    #[arg(long, value_name = "PREFIX", requires = "context", conflicts_with = "selector")]
    namespace_prefix: Option<String>,
    /// With --context: read the objects carrying these labels (`app.kubernetes.io/part-of=shop`),
    /// in every namespace.
    #[arg(long, short = 'l', value_name = "LABELS", requires = "context")]
    selector: Option<String>,
    /// Directory the spec is written to (`platform.bdot`, `releases.bdot`, `partners.bdot`
    /// and `import-report.json`); replaced as a whole.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Format of the report on stdout.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Print every compared field of the verification (the imported spec emitted and compared
    /// with the source objects), not only the changed ones.
    #[arg(long)]
    verify: bool,
}

/// The YAML files under the given paths, each once, in name order.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(path: &Path, top: bool, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), String> {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("cannot read `{}`: {}", path.display(), super::files::plain(&e)))?;
        if meta.is_dir() {
            if depth > 32 {
                return Ok(());
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read directory `{}`: {}", path.display(), super::files::plain(&e)))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
                .collect();
            entries.sort();
            for e in entries {
                walk(&e, false, out, depth + 1)?;
            }
        } else if meta.is_file() && (top || path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json"))
        {
            if !out.contains(&path.to_path_buf()) {
                out.push(path.to_path_buf());
            }
        } else if top {
            return Err(format!("cannot read `{}`: not a regular file", path.display()));
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        walk(p, true, &mut out, 0)?;
    }
    if out.is_empty() {
        return Err("no `.yaml`, `.yml` or `.json` files in the paths given".into());
    }
    Ok(out)
}

/// The fleet's objects read from the cluster of `--context`, and how the report names it.
fn from_cluster(args: &Args, context: &str) -> Result<(Vec<crate::import::Obj>, String), String> {
    use crate::apply::fetch::{self, Filter};
    let kubeconfig = args
        .kubeconfig
        .as_ref()
        .map(|p| p.to_str().map(str::to_string).ok_or_else(|| format!("`{}` is not UTF-8", p.display())))
        .transpose()?;
    let filter = match (&args.namespace_prefix, &args.selector) {
        (Some(p), _) => Filter::Prefix(p.clone()),
        (None, Some(l)) => Filter::Selector(l.clone()),
        (None, None) => Filter::All,
    };
    let rt = super::apply::runtime()?;
    let (name, values) = rt.block_on(async {
        let cluster = crate::apply::session::connect(&(kubeconfig, Some(context.to_string()))).await?;
        let values = fetch::objects(&cluster.client, &filter).await.map_err(|f| format!("{}: {f}", cluster.name))?;
        Ok::<_, String>((cluster.name, values))
    })?;
    let scope = match &filter {
        Filter::Prefix(p) => format!("namespaces `{p}*`"),
        Filter::Selector(l) => format!("objects labelled `{l}`"),
        Filter::All => "every namespace".to_string(),
    };
    let source = format!("cluster {name}, {scope}");
    if values.is_empty() {
        return Err(format!("{source}: nothing to import (no objects found)"));
    }
    Ok((crate::import::cluster_objects(values, &source), source))
}

pub fn run(args: Args, g: super::Global) -> Result<ExitCode, String> {
    let (objects, names) = match &args.context {
        Some(context) => {
            let (objects, source) = from_cluster(&args, context)?;
            (objects, vec![source])
        }
        None => match read_files(&args.paths, g)? {
            Ok(read) => read,
            Err(code) => return Ok(code),
        },
    };
    finish(objects, &names, &args, g)
}

/// The objects of the YAML files under `paths` and the files' names (or the exit code when
/// they have errors, which are printed).
#[allow(clippy::type_complexity)]
fn read_files(
    paths: &[PathBuf],
    g: super::Global,
) -> Result<Result<(Vec<crate::import::Obj>, Vec<String>), ExitCode>, String> {
    let paths = collect(paths)?;
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    for p in &paths {
        let text =
            crate::disk::read(p).map_err(|e| format!("cannot read `{}`: {}", p.display(), crate::disk::plain(&e)))?;
        ids.push(sources.add(SourceFile::new(p.display().to_string(), Origin::Disk(p.clone()), text)));
    }
    let mut diagnostics = crate::diagnostic::Diagnostics::new();
    let objects = crate::import::read_objects(&sources, &ids, &mut diagnostics);
    report::print(&diagnostics, &sources, report::Format::Human, g.color, None);
    if diagnostics.has_errors() {
        info!("{}; nothing imported", report::counts(&diagnostics));
        return Ok(Err(ExitCode::from(1)));
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    Ok(Ok((objects, names)))
}

/// Imports the objects, writes the spec and prints the report.
fn finish(
    objects: Vec<crate::import::Obj>,
    names: &[String],
    args: &Args,
    g: super::Global,
) -> Result<ExitCode, String> {
    let mut imported = crate::import::import(&objects, names)?;
    let c = &imported.compilation;
    if c.diagnostics.has_errors() {
        report::print(&c.diagnostics, &c.sources, report::Format::Human, g.color, None);
        return Err("the imported spec does not check (a bug in bdc import); nothing written".into());
    }
    let out = args.out.display().to_string();
    imported.report.files = imported.files.iter().map(|(n, _)| format!("{}/{n}", out.trim_end_matches('/'))).collect();
    let json = imported.report.json();
    let files = || {
        let mut files: Vec<File> =
            imported.files.iter().map(|(n, t)| File { path: n.clone(), bytes: t.clone().into_bytes() }).collect();
        files.push(File { path: "import-report.json".into(), bytes: json.clone().into_bytes() });
        Ok(files)
    };
    super::tree::write(&args.out, 1, |_| files(), super::tree::Keep::Nothing)?;
    match args.format {
        ReportFormat::Text => super::print_stdout(&imported.report.text(args.verify))?,
        ReportFormat::Json => super::print_stdout(&json)?,
    }
    if !c.diagnostics.is_empty() {
        info!("the imported spec has {}: `bdc check {out}` shows them", report::counts(&c.diagnostics));
    }
    Ok(ExitCode::SUCCESS)
}
