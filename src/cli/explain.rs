//! `bdc explain CODE`: the long explanation of a diagnostic code; `--list` for all codes.

use crate::diagnostic::Code;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// A diagnostic code such as `E0303`.
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title.
    #[arg(long)]
    list: bool,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.list {
        let list: String = Code::ALL.iter().map(|c| format!("{c}  {}\n", c.title())).collect();
        super::print_stdout(&list)?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.code.unwrap_or_default();
    let code = Code::parse(&text).ok_or_else(|| {
        let hint = crate::suggest::did_you_mean(&text.to_uppercase(), Code::ALL.iter().map(|c| c.as_str()));
        format!(
            "no diagnostic code `{text}`{}; `bdc explain --list` shows them all",
            hint.map(|h| format!(" ({h})")).unwrap_or_default()
        )
    })?;
    super::print_stdout(code.explanation())?;
    Ok(ExitCode::SUCCESS)
}
