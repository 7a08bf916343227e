//! `bdc why PARTNER.FIELD [PATH…]`: the effective value of a partner's field and the chain of
//! places that set or override it.

use super::report::{self, Color};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The field to explain, e.g. `newsroom-a.plan.memory`, `dailytech.replicas`, `cityherald.release`.
    query: String,
    /// Spec files or directories (default `.`).
    paths: Vec<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile(&args.paths, report::Format::Human, args.color)?;
    match crate::why::why(&compilation, &args.query) {
        Ok(answer) => {
            super::print_stdout(&crate::why::render(&answer, &compilation.sources))?;
            Ok(super::status(compilation.diagnostics.has_errors()))
        }
        Err(message) => {
            note!("error: {message}");
            Ok(ExitCode::from(1))
        }
    }
}
