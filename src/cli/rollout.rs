//! `bdc rollout start|status|promote|abort|undo`: release trains carried out on clusters,
//! and the moves of single partners driven by hand. Progress is recorded per partner in the
//! cluster (`bdc-rollout` ConfigMaps), so each command can be run again after an interruption.
//!
//! Exit status: 0 done (or stopped at a gate or soak on purpose), 1 a partner failed or a
//! train is stopped by an earlier failure or abort, 2 usage, spec or connection errors.

use super::apply::{parse_duration, runtime, Where};
use super::progress::printer;
use super::report;
use crate::apply::record::State;
use crate::apply::rollout::{Driver, TrainEnd};
use crate::apply::session::{self, Options};
use crate::lower::Lowering;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Carry out the release train of a release: wave by wave, each moved, waited for and
    /// soaked before the next; stops at the first failure. Run again to resume.
    Start(StartArgs),
    /// Show, per partner, the recorded release and phase, and the live versions and health.
    Status(StatusArgs),
    /// Move partners to the next phase: switch blue/green traffic, advance a canary step, or
    /// promote an Argo Rollout.
    Promote(ActArgs),
    /// Return traffic to the release being replaced and stop the move.
    Abort(ActArgs),
    /// Go back to the previous release (through the strategy, without stopping at gates).
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
}

#[derive(clap::Args)]
struct StatusArgs {
    #[command(flatten)]
    at: Where,
    /// Also print each partner's recorded history (last 50 events).
    #[arg(long)]
    history: bool,
}

#[derive(clap::Args)]
struct ActArgs {
    #[command(flatten)]
    at: Where,
    /// With promote: skip the remaining steps and pauses.
    #[arg(long)]
    full: bool,
    /// How long each phase may take to become ready.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    timeout: Duration,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let at = match &args.action {
        Action::Start(a) => &a.at,
        Action::Status(a) => &a.at,
        Action::Promote(a) | Action::Abort(a) | Action::Undo(a) => &a.at,
    };
    if let Action::Promote(a) | Action::Abort(a) | Action::Undo(a) = &args.action {
        if a.at.partners.is_empty() {
            return Err(
                "name the partners with --partner (promote, abort and undo never act on the whole fleet)".into()
            );
        }
    }
    let (compilation, _) = super::compile(&at.paths, report::Format::Human, at.color)?;
    if compilation.diagnostics.has_errors() {
        note!("{}; nothing done", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(2));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let routes = session::routes(&lw, &at.partners, at.target.as_deref(), at.context.as_deref())?;
    let timeout = match &args.action {
        Action::Start(a) => a.timeout,
        Action::Promote(a) | Action::Abort(a) | Action::Undo(a) => a.timeout,
        Action::Status(_) => Duration::from_secs(1),
    };
    let opts = Options { timeout, ..Options::default() };
    let progress = super::progress::Progress::stderr();
    let print = printer(true, &progress);
    let rt = runtime()?;
    let code = rt.block_on(async {
        let driver = Driver::connect(&lw, &routes, opts, at.parallel).await?;
        match &args.action {
            Action::Start(a) => start(&driver, a, &print, &progress).await,
            Action::Status(a) => status(&driver, &routes, a.history).await,
            Action::Promote(a) | Action::Abort(a) | Action::Undo(a) => {
                let mut failed = false;
                for r in &routes {
                    let result = match &args.action {
                        Action::Promote(_) => driver.promote(r.partner, a.full, &print).await,
                        Action::Abort(_) => driver.abort(r.partner, &print).await,
                        _ => driver.undo(r.partner, &print).await,
                    };
                    progress.clear();
                    match result {
                        Ok(rec) => {
                            note!("{}: {} {} ({})", r.partner.name.value, rec.running(), rec.phase, rec.state.word())
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
            note!("release {}: every wave done", release.version.value);
            Ok(ExitCode::SUCCESS)
        }
        Ok(TrainEnd::Soaking { wave, until }) => {
            note!(
                "wave {wave} is healthy and soaks until {until}; run `bdc rollout start --release {}` again then",
                release.version.value
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(TrainEnd::Stopped { wave, partner, state: State::Paused, phase }) => {
            note!(
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

async fn status(driver: &Driver<'_, '_>, routes: &[session::Route<'_>], history: bool) -> Result<ExitCode, String> {
    let mut out = String::from("PARTNER\tCLUSTER\tRELEASE\tPHASE\tSTATE\tTRAIN\tLIVE\tHEALTH\n");
    let mut histories = String::new();
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
        let (rel, phase, state, train) = match &rec {
            Some(rec) => (
                match (&rec.from, rec.moving()) {
                    (Some(from), true) => format!("{from} → {}", rec.release),
                    _ => rec.running().to_string(),
                },
                rec.phase.clone(),
                rec.state.word().to_string(),
                rec.train.clone().unwrap_or_else(|| "-".into()),
            ),
            None => ("-".into(), "-".into(), "not recorded".into(), "-".into()),
        };
        let live = if live.is_empty() { "-".to_string() } else { live.join(", ") };
        if let (true, Some(rec)) = (history, &rec) {
            histories.push_str(&format!("\n{}:\n", p.name.value));
            for line in &rec.history {
                histories.push_str(&format!("  {line}\n"));
            }
        }
        out.push_str(&format!(
            "{}\t{}\t{rel}\t{phase}\t{state}\t{train}\t{live}\t{}\n",
            p.name.value,
            cluster.name,
            health.describe()
        ));
    }
    out.push_str(&histories);
    super::print_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
