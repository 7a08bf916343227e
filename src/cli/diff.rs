//! `bdc diff`: what `bdc apply` would change, from a server-side dry run of every object
//! against the live one: unified diffs of YAML, or (`-o json`) one object listing the changes.
//!
//! Exit status follows `kubectl diff`: 0 nothing differs, 1 something does, 2 an error.

use super::apply::{in_cluster, runtime, Where};
use super::report;
use super::{Global, Output};
use crate::apply::client::Applier;
use crate::apply::rollout::Driver;
use crate::apply::session::{self, Options};
use crate::lower::Lowering;
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc diff examples/mediasphere                        unified diffs of what `apply` would change
  bdc diff examples/mediasphere --partner dailytech --context kind-dev
  bdc diff examples/mediasphere -o json                the changes as one JSON object

Exit status, as `kubectl diff`: 0 nothing differs, 1 something does, 2 an error.
The JSON object: {\"differs\", \"changes\": [{\"partner\", \"cluster\", \"kind\", \"namespace\",
\"name\", \"action\": \"create\"|\"update\", \"refused\", \"diff\"}]}; `refused` says why `bdc apply`
would refuse the change without --replace-data (null otherwise).")]
pub struct DiffArgs {
    #[command(flatten)]
    at: Where,
    /// `text`: unified diffs of YAML; `json`: one object listing the changes.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Output::Text)]
    format: Output,
}

/// One change of the list `-o json` prints.
#[derive(serde::Serialize)]
struct Change {
    partner: String,
    cluster: String,
    kind: String,
    namespace: Option<String>,
    name: String,
    /// `create` or `update`.
    action: &'static str,
    refused: Option<String>,
    diff: String,
}

pub fn run(args: DiffArgs, g: Global) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile(&args.at.paths, report::Format::Human, g)?;
    if compilation.diagnostics.has_errors() {
        info!("{}; nothing compared", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(2));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let at = &args.at;
    let routes = session::routes(&lw, &at.partners, at.target.as_deref(), at.context.as_deref(), at.kubeconfig()?)?;
    let rt = runtime()?;
    let changes = rt.block_on(async {
        let driver = Driver::connect(&lw, &routes, Options::default(), 1).await?;
        let mut changes = Vec::new();
        for p in lw.fleet.partners.iter().filter(|p| driver.homes.contains_key(&p.name.value)) {
            let (i, target) = &driver.homes[&p.name.value];
            let cluster = &driver.clusters[*i];
            let release =
                lw.release_of(p).ok_or_else(|| format!("partner `{}` runs no declared release", p.name.value))?;
            let record = driver.record(p).await.map_err(|f| f.to_string())?;
            let (at, _) =
                driver.apply_placement(p, target.as_deref(), release, record.as_ref()).map_err(|f| f.to_string())?;
            let applier =
                Applier { client: cluster.client.clone(), dry_run: true, force_conflicts: true, replace_data: false };
            for o in &session::bundle(&lw, &at)?.objects {
                let Some(c) = applier.change(o).await.map_err(|f| in_cluster(cluster, f.of(&p.name.value)))? else {
                    continue;
                };
                changes.push(Change {
                    partner: p.name.value.clone(),
                    cluster: cluster.name.clone(),
                    kind: o.kind().to_string(),
                    namespace: o.namespace().map(str::to_string),
                    name: o.name().to_string(),
                    action: if c.create { "create" } else { "update" },
                    refused: c.refused,
                    diff: c.diff,
                });
            }
        }
        Ok::<Vec<Change>, String>(changes)
    })?;
    let text = match args.format {
        Output::Text => changes
            .iter()
            .map(|c| match &c.refused {
                Some(why) => format!("# `bdc apply` refuses this without --replace-data: {why}\n{}", c.diff),
                None => c.diff.clone(),
            })
            .collect(),
        Output::Json => {
            let list = serde_json::json!({ "differs": !changes.is_empty(), "changes": changes });
            format!("{list:#}\n")
        }
    };
    super::print_stdout(&text)?;
    Ok(if changes.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
