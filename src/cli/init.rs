//! `bdc init [DIR]`: writes a starter spec that checks clean. Never overwrites a file.

use std::path::PathBuf;
use std::process::ExitCode;

/// The starter spec; a test checks that it compiles without diagnostics.
pub const STARTER: &str = include_str!("starter.bdot");

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
    info!("wrote {}; next: bdc check {}", path.display(), args.dir.display());
    Ok(ExitCode::SUCCESS)
}
