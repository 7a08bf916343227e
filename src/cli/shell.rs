//! Commands about bdc itself rather than a spec: `bdc version`, `bdc completion SHELL` (a
//! completion script for the shell) and `bdc man` (the manual pages). The scripts and pages
//! are generated from the command line's own definitions (clap_complete, clap_mangen), so they
//! list exactly the commands and options there are.

use super::Output;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;

/// `bdc 0.1.0 (Kubernetes API 1.33)`, without the name: what `--version` and `bdc version` say.
pub fn version_line() -> &'static str {
    static LINE: OnceLock<String> = OnceLock::new();
    LINE.get_or_init(|| format!("{} (Kubernetes API {})", env!("CARGO_PKG_VERSION"), crate::lower::KUBERNETES_API))
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc version
  bdc version -o json        {\"bdc\": \"0.1.0\", \"kubernetes_api\": \"1.33\"}")]
pub struct VersionArgs {
    /// `text`: one line, as `bdc --version`; `json`: an object for scripts.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Output::Text)]
    output: Output,
}

pub fn version(args: VersionArgs) -> Result<ExitCode, String> {
    let text = match args.output {
        Output::Text => format!("bdc {}\n", version_line()),
        Output::Json => {
            let v = serde_json::json!({
                "bdc": env!("CARGO_PKG_VERSION"),
                "kubernetes_api": crate::lower::KUBERNETES_API,
            });
            format!("{v:#}\n")
        }
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  source <(bdc completion bash)                                  bash, this shell
  bdc completion bash > ~/.local/share/bash-completion/completions/bdc
  bdc completion zsh > \"${fpath[1]}/_bdc\"                        zsh (then restart it)
  bdc completion fish > ~/.config/fish/completions/bdc.fish
  bdc completion powershell | Out-String | Invoke-Expression     PowerShell, add to $PROFILE")]
pub struct CompletionArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completion(args: CompletionArgs) -> Result<ExitCode, String> {
    let mut cmd = super::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "bdc", &mut script);
    super::print_stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc man | man -l -                     read the page now
  bdc man > /usr/local/share/man/man1/bdc.1
  bdc man --out docs/man                 bdc.1 and one page per command (bdc-check.1, …)")]
pub struct ManArgs {
    /// Write `bdc.1` and one page per command (`bdc-check.1`, `bdc-rollout-start.1`, …) to
    /// this directory instead of printing `bdc.1`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn man(args: ManArgs) -> Result<ExitCode, String> {
    let mut cmd = super::command().disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = args.out else {
        super::print_stdout(&page(&cmd)?)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create `{}`: {}", dir.display(), super::files::plain(&e)))?;
    let mut pages = Vec::new();
    pages_of(&cmd, &mut pages)?;
    for (name, text) in &pages {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {}", path.display(), super::files::plain(&e)))?;
    }
    info!("wrote {} manual pages to {}", pages.len(), dir.display());
    Ok(ExitCode::SUCCESS)
}

/// The page of one command and of each of its subcommands, depth first: (file name, roff).
fn pages_of(cmd: &clap::Command, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let man = clap_mangen::Man::new(cmd.clone());
    out.push((man.get_filename(), page(cmd)?));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages_of(sub, out)?;
    }
    Ok(())
}

/// One manual page (section 1, no date: the same bdc prints the same page). The examples of
/// `--help` (clap's "after help") become an EXAMPLES section with its lines kept as written.
fn page(cmd: &clap::Command) -> Result<String, String> {
    use clap_mangen::roff::{roman, Roff};
    let mut out = Vec::new();
    let after = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
    clap_mangen::Man::new(cmd.clone().after_help(None::<&str>))
        .manual("bdc manual")
        .render(&mut out)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    if !after.is_empty() {
        let (title, body) = match after.strip_prefix("Examples:\n") {
            Some(examples) => ("EXAMPLES", examples),
            None => ("NOTES", after.as_str()),
        };
        let mut roff = Roff::new();
        roff.control("SH", [title]).control("nf", []);
        for line in body.lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
        // Its own preamble (the definition of the apostrophe string) again: harmless.
        roff.to_writer(&mut out).map_err(|e| format!("cannot render the manual page: {e}"))?;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}
