//! `bdc explain CODE`: the long explanation of a diagnostic code; `--list` for all codes.
//! `bdc explain KIND` (`partner`, `strategy`, `postgres`, …): the field reference of a
//! declaration kind or record; `--reference` for all of it (`docs/reference.md`).

use crate::check::reference;
use crate::diagnostic::Code;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc explain E0302            what a diagnostic code means, with an input that triggers it
  bdc explain --list           every code with its title
  bdc explain partner          the fields of a partner: type, default and what each does
  bdc explain postgres         the fields of a record (also strategy, plan, release, …)
  bdc explain --reference      the whole field reference (docs/reference.md)")]
pub struct Args {
    /// A diagnostic code such as `E0303`, or a kind such as `partner`, `strategy`, `postgres`.
    #[arg(required_unless_present_any = ["list", "reference"])]
    code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    list: bool,
    /// Print the field reference of every kind (the text of `docs/reference.md`).
    #[arg(long)]
    reference: bool,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.list {
        let list: String = Code::ALL.iter().map(|c| format!("{c}  {}\n", c.title())).collect();
        super::print_stdout(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.reference {
        super::print_stdout(&reference::document())?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.code.unwrap_or_default();
    let kinds = reference::lookup(text.trim());
    if !kinds.is_empty() {
        let text: String = kinds.into_iter().map(reference::record).collect();
        super::print_stdout(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let code = Code::parse(&text).ok_or_else(|| {
        let candidates = Code::ALL.iter().map(|c| c.as_str()).chain(reference::names());
        let hint = crate::suggest::did_you_mean(&text, candidates)
            .or_else(|| crate::suggest::did_you_mean(&text.to_uppercase(), Code::ALL.iter().map(|c| c.as_str())));
        format!(
            "no diagnostic code or kind `{text}`{}; `bdc explain --list` shows the codes, and the kinds are {}",
            hint.map(|h| format!(" ({h})")).unwrap_or_default(),
            crate::diagnostic::quoted(reference::names())
        )
    })?;
    super::print_stdout(code.explanation())?;
    Ok(ExitCode::SUCCESS)
}
