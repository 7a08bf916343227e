//! `bdc why PARTNER.FIELD [PATH…]`: the effective value of a partner's field and the chain of
//! places that set or override it; `-o json` gives the same as one object for tools.

use super::report;
use super::{Global, Output};
use crate::source::SourceMap;
use crate::why::Why;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc why newsroom-a.plan.memory examples/mediasphere     the value, and every layer that sets it
  bdc why dailytech.release examples/mediasphere          the channel, pin and train that decide it
  bdc why newsroom-a.replicas examples/mediasphere -o json

The JSON object: {\"query\", \"value\", \"layers\": [{\"role\": \"in effect\"|\"overridden\"|\"decides\",
\"value\", \"what\", \"file\", \"line\", \"column\"}], \"notes\"}; a built-in default has no file.")]
pub struct Args {
    /// The field to explain, e.g. `newsroom-a.plan.memory`, `dailytech.replicas`, `cityherald.release`.
    query: String,
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// reads a spec from standard input.
    paths: Vec<PathBuf>,
    /// `text` for people; `json`: one object with the value and its layers.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Output::Text)]
    format: Output,
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile(&args.paths, report::Format::Human, g)?;
    match crate::why::why(&compilation, &args.query) {
        Ok(answer) => {
            let text = match args.format {
                Output::Text => crate::why::render(&answer, &compilation.sources),
                Output::Json => format!("{:#}\n", json(&answer, &compilation.sources)),
            };
            super::print_stdout(&text)?;
            Ok(super::status(compilation.diagnostics.has_errors()))
        }
        Err(message) => {
            note!("error: {message}");
            Ok(ExitCode::from(1))
        }
    }
}

/// The answer as JSON: the value in effect and each layer with its role and place (lines and
/// columns from 1).
fn json(w: &Why, sources: &SourceMap) -> serde_json::Value {
    let value = w.derived.as_ref().or(w.layers.first().map(|l| &l.value));
    let layers: Vec<serde_json::Value> = w
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let role = match (i, &w.derived) {
                (_, Some(_)) => "decides",
                (0, None) => "in effect",
                _ => "overridden",
            };
            let mut layer = serde_json::json!({ "role": role, "value": l.value, "what": l.what });
            if let Some(s) = l.span {
                let f = sources.get(s.file);
                let lc = f.line_col(s.start);
                layer["file"] = f.name.clone().into();
                layer["line"] = lc.line.into();
                layer["column"] = lc.column.into();
            }
            layer
        })
        .collect();
    serde_json::json!({ "query": w.query, "value": value, "layers": layers, "notes": w.notes })
}
