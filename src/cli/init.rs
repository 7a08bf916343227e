//! `bdc init [DIR]`: writes a starter spec that checks clean, and the project file `bdc.toml`
//! that marks the directory as the project root. Never overwrites a file.

use std::path::PathBuf;
use std::process::ExitCode;

/// The starter spec; a test checks that it compiles without diagnostics.
pub const STARTER: &str = include_str!("starter.bdot");

/// The project file written beside it (`crate::project` reads it).
pub const PROJECT: &str = "\
# The root of a bdc project: `bdc check`, `bdc emit` and the language server compile every
# `.bdot` file under this directory as one spec (docs/editors.md, \"The project\").
# Warnings accepted across the project, by code, e.g. allow = [\"W0401\"].
allow = []
";

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc init                 fleet.bdot in the current directory
  bdc init specs/          in specs/ (created if missing); then `bdc check specs/`")]
pub struct Args {
    /// Directory to create the spec in (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| format!("cannot create `{}`: {}", args.dir.display(), super::files::plain(&e)))?;
    let path = args.dir.join("fleet.bdot");
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("`{}` already exists; not overwriting it", path.display())
        } else {
            format!("cannot write `{}`: {}", path.display(), super::files::plain(&e))
        }
    })?;
    std::io::Write::write_all(&mut file, STARTER.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {}", path.display(), super::files::plain(&e)))?;
    let marker = args.dir.join(super::project::MARKER);
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&marker) {
        Ok(mut file) => std::io::Write::write_all(&mut file, PROJECT.as_bytes())
            .map_err(|e| format!("cannot write `{}`: {}", marker.display(), super::files::plain(&e)))?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("cannot write `{}`: {}", marker.display(), super::files::plain(&e))),
    }
    info!("wrote {} and {}; next: bdc check {}", path.display(), marker.display(), args.dir.display());
    Ok(ExitCode::SUCCESS)
}
