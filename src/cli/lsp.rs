//! `bdc lsp`: runs the language server on stdin/stdout (see `crate::lsp`).

use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Editors start it themselves (`bdc lsp` speaks JSON-RPC on stdin and stdout): see
docs/editors.md for VS Code, Neovim and Helix.")]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: Args) -> Result<ExitCode, String> {
    crate::lsp::serve_stdio()?;
    Ok(ExitCode::SUCCESS)
}
