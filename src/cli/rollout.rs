//! `bdc rollout start|status|promote|abort|undo`: release trains carried out on clusters,
//! and the moves of single partners driven by hand. Progress is recorded per partner in the
//! cluster (`bdc-rollout` ConfigMaps), so each command can be run again after an interruption.
//!
//! Exit status: 0 done (or stopped at a gate or soak on purpose), 1 a partner failed or a
//! train is stopped by an earlier failure or abort, 2 usage, spec or connection errors.

use super::apply::{parse_duration, runtime, Where};
use super::progress::printer;
use super::report;
use super::{Global, Output};
use crate::apply::record::State;
use crate::apply::rollout::{Driver, TrainEnd};
use crate::apply::session::{self, Options};
use crate::lower::Lowering;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc rollout start examples/mediasphere --release 2.5.0    the train: pilot, soak, everyone
  bdc rollout status examples/mediasphere                   where every partner stands
  bdc rollout status examples/mediasphere -o json           the same as one JSON object
  bdc rollout promote examples/mediasphere --partner dailytech
  bdc rollout abort examples/mediasphere --partner dailytech
  bdc rollout undo examples/mediasphere --partner dailytech

Exit status: 0 done (or stopped at a gate or soak on purpose), 1 a partner failed or the
train is stopped, 2 usage, spec or connection errors.")]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Carry out the release train of a release: wave by wave, each moved, waited for and
    /// soaked before the next; stops at the first failure. Run again to resume.
    #[command(after_help = "\
Examples:
  bdc rollout start examples/mediasphere --release 2.5.0
  bdc rollout start examples/mediasphere --release 2.5.0 --no-soak-wait   stop when a wave soaks
  bdc rollout start examples/mediasphere --release 2.5.0 --retry          move failed partners again")]
    Start(StartArgs),
    /// Show, per partner, the recorded release and phase, and the live versions and health.
    #[command(after_help = "\
Examples:
  bdc rollout status examples/mediasphere
  bdc rollout status examples/mediasphere --partner dailytech --history
  bdc rollout status examples/mediasphere -o json

The JSON object: {\"partners\": [{\"partner\", \"cluster\", \"release\", \"from\", \"phase\",
\"state\", \"train\", \"live\": [...], \"health\", \"history\": [...]}]}; a partner bdc has not
moved yet has null release, from, phase and train and the state \"not recorded\".")]
    Status(StatusArgs),
    /// Move partners to the next phase: switch blue/green traffic, advance a canary step, or
    /// promote an Argo Rollout.
    #[command(after_help = "\
Examples:
  bdc rollout promote examples/mediasphere --partner dailytech          the next phase
  bdc rollout promote examples/mediasphere --partner dailytech --full   to the end, skipping pauses")]
    Promote(PromoteArgs),
    /// Return traffic to the release being replaced and stop the move.
    #[command(after_help = "\
Examples:
  bdc rollout abort examples/mediasphere --partner dailytech

The partner stays on the release it ran until `bdc rollout start --release R --retry`.")]
    Abort(ActArgs),
    /// Go back to the previous release (through the strategy, without stopping at gates).
    #[command(after_help = "\
Examples:
  bdc rollout undo examples/mediasphere --partner dailytech")]
    Undo(ActArgs),
}

#[derive(clap::Args)]
struct StartArgs {
    #[command(flatten)]
    at: Where,
    /// The release whose train to carry out.
    #[arg(long)]
    release: String,
    /// Move partners that failed or were aborted again (otherwise the train stays stopped).
    #[arg(long)]
    retry: bool,
    /// Stop when a wave starts soaking instead of waiting it out (run again later to go on).
    #[arg(long)]
    no_soak_wait: bool,
    /// How long each phase of each partner may take to become ready.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    timeout: Duration,
    /// Partners of one wave moved at the same time.
    #[arg(long, default_value_t = 4, value_name = "N")]
    parallel: usize,
}

#[derive(clap::Args)]
struct StatusArgs {
    #[command(flatten)]
    at: Where,
    /// Also print each partner's recorded history (last 50 events; always in `-o json`).
    #[arg(long)]
    history: bool,
    /// `text`: a tab-separated table; `json`: one object with a row per partner.
    #[arg(short = 'o', long = "output", visible_alias = "format", value_enum, default_value_t = Output::Text)]
    format: Output,
}

#[derive(clap::Args)]
struct PromoteArgs {
    #[command(flatten)]
    act: ActArgs,
    /// Skip the remaining steps and pauses: move straight to the end of the move.
    #[arg(long)]
    full: bool,
}

#[derive(clap::Args)]
struct ActArgs {
    #[command(flatten)]
    at: Where,
    /// How long each phase may take to become ready.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    timeout: Duration,
}

pub fn run(args: Args, g: Global) -> Result<ExitCode, String> {
    let act = match &args.action {
        Action::Promote(a) => Some(&a.act),
        Action::Abort(a) | Action::Undo(a) => Some(a),
        Action::Start(_) | Action::Status(_) => None,
    };
    let at = match &args.action {
        Action::Start(a) => &a.at,
        Action::Status(a) => &a.at,
        _ => &act.expect("an act").at,
    };
    if act.is_some_and(|a| a.at.partners.is_empty()) {
        return Err("name the partners with --partner (promote, abort and undo never act on the whole fleet)".into());
    }
    let (compilation, _) = super::compile(&at.paths, report::Format::Human, g)?;
    if compilation.diagnostics.has_errors() {
        info!("{}; nothing done", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(2));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let routes = session::routes(&lw, &at.partners, at.target.as_deref(), at.context.as_deref(), at.kubeconfig()?)?;
    let (timeout, parallel) = match (&args.action, act) {
        (Action::Start(a), _) => (a.timeout, a.parallel),
        (_, Some(a)) => (a.timeout, 1),
        _ => (Duration::from_secs(1), 1),
    };
    let opts = Options { timeout, ..Options::default() };
    let progress = super::progress::Progress::stderr();
    let print = printer(true, &progress);
    let rt = runtime()?;
    let code = rt.block_on(async {
        let driver = Driver::connect(&lw, &routes, opts, parallel).await?;
        match &args.action {
            Action::Start(a) => start(&driver, a, &print, &progress).await,
            Action::Status(a) => status(&driver, &routes, a.history, a.format).await,
            Action::Promote(_) | Action::Abort(_) | Action::Undo(_) => {
                let mut failed = false;
                for r in &routes {
                    let result = match &args.action {
                        Action::Promote(a) => driver.promote(r.partner, a.full, &print).await,
                        Action::Abort(_) => driver.abort(r.partner, &print).await,
                        _ => driver.undo(r.partner, &print).await,
                    };
                    progress.clear();
                    match result {
                        Ok(rec) => {
                            info!("{}: {} {} ({})", r.partner.name.value, rec.running(), rec.phase, rec.state.word())
                        }
                        Err(f) => {
                            note!("error: {f}");
                            failed = true;
                        }
                    }
                }
                Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
            }
        }
    });
    std::mem::forget(compilation);
    code
}

async fn start(
    driver: &Driver<'_, '_>,
    a: &StartArgs,
    print: &(dyn Fn(session::Event) + Sync),
    progress: &super::progress::Progress,
) -> Result<ExitCode, String> {
    let release = driver.lw.fleet.releases.iter().find(|r| r.version.value == a.release).ok_or_else(|| {
        let names: Vec<&str> = driver.lw.fleet.releases.iter().map(|r| r.version.value.as_str()).collect();
        format!("no release `{}` in the spec (releases: {})", a.release, names.join(", "))
    })?;
    if !a.at.partners.is_empty() {
        return Err(
            "a train moves its waves' partners; use `bdc rollout promote|abort|undo --partner` for single partners"
                .into(),
        );
    }
    let end = driver.train(release, a.retry, !a.no_soak_wait, print).await;
    progress.clear();
    match end {
        Ok(TrainEnd::Done) => {
            info!("release {}: every wave done", release.version.value);
            Ok(ExitCode::SUCCESS)
        }
        Ok(TrainEnd::Soaking { wave, until }) => {
            info!(
                "wave {wave} is healthy and soaks until {until}; run `bdc rollout start --release {}` again then",
                release.version.value
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(TrainEnd::Stopped { wave, partner, state: State::Paused, phase }) => {
            info!(
                "wave {wave}: {partner} waits at {phase}; check it, then `bdc rollout promote --partner {partner}` (or `abort`), and run `bdc rollout start --release {}` again",
                release.version.value
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(TrainEnd::Stopped { wave, partner, state, phase }) => {
            note!(
                "error: the train is stopped: wave {wave}: {partner} {} at {phase}; later waves are untouched. Fix the cause, then rerun with --retry (or `bdc rollout undo --partner {partner}`)",
                state.word()
            );
            Ok(ExitCode::from(1))
        }
        Err(f) => {
            note!("error: {f}");
            note!("the train stopped; later waves are untouched (`bdc rollout status` shows where each partner is)");
            Ok(ExitCode::from(1))
        }
    }
}

/// One partner's line of `bdc rollout status` (`-o json`: one object).
#[derive(serde::Serialize)]
struct Row {
    partner: String,
    cluster: String,
    /// The release it runs or moves to (`None`: bdc has not moved it yet).
    release: Option<String>,
    /// The release it moves from, while it moves.
    from: Option<String>,
    phase: Option<String>,
    state: String,
    train: Option<String>,
    /// The versions running now.
    live: Vec<String>,
    health: String,
    /// The recorded history (`--history`, or always in JSON).
    history: Vec<String>,
}

async fn status(
    driver: &Driver<'_, '_>,
    routes: &[session::Route<'_>],
    history: bool,
    format: Output,
) -> Result<ExitCode, String> {
    let mut rows = Vec::new();
    for r in routes {
        let p = r.partner;
        let (i, target) = &driver.homes[&p.name.value];
        let cluster = &driver.clusters[*i];
        let rec = driver.record(p).await.map_err(|f| f.to_string())?;
        let Some(release) = rec
            .as_ref()
            .and_then(|rec| driver.lw.fleet.releases.iter().find(|x| x.version.value == rec.release))
            .or_else(|| driver.lw.release_of(p))
        else {
            continue;
        };
        let (at, _) = driver.apply_placement(p, target.as_deref(), release, rec.as_ref()).map_err(|f| f.to_string())?;
        let b = session::bundle(driver.lw, &at)?;
        let (health, live) = session::look(cluster, &b).await.map_err(|f| f.to_string())?;
        let mut row = Row {
            partner: p.name.value.clone(),
            cluster: cluster.name.clone(),
            release: None,
            from: None,
            phase: None,
            state: "not recorded".into(),
            train: None,
            live,
            health: health.describe(),
            history: Vec::new(),
        };
        if let Some(rec) = rec {
            let moving = rec.moving();
            row.from = rec.from.clone().filter(|_| moving);
            row.release = Some(if moving { rec.release.clone() } else { rec.running().to_string() });
            row.phase = Some(rec.phase.clone());
            row.state = rec.state.word().to_string();
            row.train = rec.train.clone();
            row.history = rec.history.clone();
        }
        rows.push(row);
    }
    let text = match format {
        Output::Json => format!("{:#}\n", serde_json::json!({ "partners": rows })),
        Output::Text => table(&rows, history),
    };
    super::print_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The rows as a tab-separated table, then each partner's history when asked.
fn table(rows: &[Row], history: bool) -> String {
    let mut out = String::from("PARTNER\tCLUSTER\tRELEASE\tPHASE\tSTATE\tTRAIN\tLIVE\tHEALTH\n");
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    for r in rows {
        let release = match (&r.from, &r.release) {
            (Some(from), Some(to)) => format!("{from} → {to}"),
            (_, release) => dash(release),
        };
        let live = if r.live.is_empty() { "-".to_string() } else { r.live.join(", ") };
        out.push_str(&format!(
            "{}\t{}\t{release}\t{}\t{}\t{}\t{live}\t{}\n",
            r.partner,
            r.cluster,
            dash(&r.phase),
            r.state,
            dash(&r.train),
            r.health
        ));
    }
    for r in rows.iter().filter(|r| history && r.release.is_some()) {
        out.push_str(&format!("\n{}:\n", r.partner));
        for line in &r.history {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}
