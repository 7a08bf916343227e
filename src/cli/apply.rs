//! `bdc apply`: the compiled objects, sent to clusters with server-side apply (field manager
//! `bdc`). Clusters are handled concurrently (`--parallel`), the partners of one cluster in
//! order. `Where` (spec, partners, clusters) is shared with `bdc diff` and `bdc rollout`.

use super::progress::{printer, printer_to, Progress};
use super::report;
use super::Global;
use crate::apply::client::{self, Failure};
use crate::apply::live::Snapshot;
use crate::apply::prune::{self, Allow};
use crate::apply::record::{Record, State};
use crate::apply::rollout::Driver;
use crate::apply::session::{self, Bundle, Cluster, Event, Options};
use crate::lower::{Lowering, Stage};
use futures::StreamExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

/// Which spec, which partners, which clusters: shared by `apply`, `diff` and `rollout`.
#[derive(clap::Args)]
pub struct Where {
    /// Spec files or directories (searched recursively for `.bdot` files; default `.`); `-`
    /// reads a spec from standard input.
    pub paths: Vec<PathBuf>,
    /// Only this partner (repeatable; required by promote, abort and undo; `rollout start`
    /// moves whole waves and takes none).
    #[arg(long = "partner", value_name = "PARTNER")]
    pub partners: Vec<String>,
    /// Lower every partner for this target profile instead of its own (its `target`, else its
    /// cluster's, else the platform's `default_target`).
    #[arg(long)]
    pub target: Option<String>,
    /// kubeconfig context for every partner (default: each partner's `cluster`, else the
    /// current context).
    #[arg(long)]
    pub context: Option<String>,
    /// kubeconfig file to read instead of KUBECONFIG (whose files, separated by `:`, are
    /// merged as kubectl does) or ~/.kube/config; also instead of a `cluster`'s `kubeconfig`.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
}

impl Where {
    /// `--kubeconfig` as text (kube reads paths given as text).
    pub fn kubeconfig(&self) -> Result<Option<String>, String> {
        self.kubeconfig
            .as_ref()
            .map(|p| p.to_str().map(str::to_string).ok_or_else(|| format!("`{}` is not UTF-8", p.display())))
            .transpose()
    }
}

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  bdc apply examples/mediasphere --dry-run            the API server validates, nothing is stored
  bdc apply examples/mediasphere                      every partner to its cluster
  bdc apply examples/mediasphere --partner dailytech --context kind-dev
  bdc apply examples/mediasphere --wait --timeout 5m  and follow every workload to readiness
  bdc apply examples/mediasphere --prune              and delete what left the spec (never volumes)
  bdc apply - --kubeconfig ci.yaml < fleet.bdot       the spec on stdin, the cluster from a file

Partners go to the cluster their `cluster` declaration names, else to --context, else to the
current context; a release change stops blue/green and canary partners at their first phase
(`bdc rollout` moves them on).")]
pub struct Args {
    #[command(flatten)]
    at: Where,
    /// Clusters applied to at the same time.
    #[arg(long, default_value_t = 4, value_name = "N")]
    parallel: usize,
    /// Ask the API server to validate and default everything, without persisting it.
    #[arg(long)]
    dry_run: bool,
    /// Take over fields another field manager owns (otherwise bdc stops and names it).
    #[arg(long)]
    force_conflicts: bool,
    /// Delete objects bdc applied earlier that the spec no longer has (listed first).
    #[arg(long)]
    prune: bool,
    /// With --prune, also delete PersistentVolumeClaims (data).
    #[arg(long, requires = "prune")]
    prune_data: bool,
    /// With --prune, also delete namespaces of partners that left the spec.
    #[arg(long, requires = "prune")]
    prune_namespaces: bool,
    /// Send changes that would replace or lose data (a database's major version, a volume's
    /// size); bdc refuses them otherwise.
    #[arg(long)]
    replace_data: bool,
    /// Follow every workload until it is ready (rules of `kubectl rollout status`).
    #[arg(long)]
    wait: bool,
    /// Stop at the first partner that fails; the partners after it are not applied (by
    /// default every partner is applied and the failures are listed at the end).
    #[arg(long)]
    fail_fast: bool,
    /// Partners of one cluster sent (and waited for) at the same time; their output is printed
    /// partner by partner, in spec order. `--fail-fast` sends one at a time.
    #[arg(long, default_value_t = 32, value_name = "N")]
    concurrency: usize,
    /// Requests a second to one API server at most (a client-side limit; a server answering
    /// 429 is retried after the delay it asks for).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    qps: u32,
    /// How long --wait waits for each partner, e.g. `90s`, `5m`.
    #[arg(long, default_value = "5m", value_parser = parse_duration)]
    timeout: Duration,
}

/// `90`, `90s`, `5m`, `1h`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
    let n: u64 = number.parse().map_err(|_| format!("`{text}` is not a duration like `90s` or `5m`"))?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("`{text}`: the unit must be s, m or h")),
    };
    Ok(Duration::from_secs(seconds))
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

pub fn run_apply(args: Args, g: Global) -> Result<ExitCode, String> {
    let (compilation, _) = super::compile(&args.at.paths, report::Format::Human, g)?;
    if compilation.diagnostics.has_errors() {
        info!("{}; nothing applied", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let at = &args.at;
    let routes = session::routes(&lw, &at.partners, at.target.as_deref(), at.context.as_deref(), at.kubeconfig()?)?;
    let opts = Options {
        dry_run: args.dry_run,
        force_conflicts: args.force_conflicts,
        replace_data: args.replace_data,
        timeout: args.timeout,
        ..Options::default()
    };
    let rt = runtime()?;
    crate::apply::throttle::set_qps(args.qps);
    let progress = Progress::stderr();
    let print = printer(args.wait, &progress);
    let totals = Mutex::new([0usize; 3]);
    let outcome: Result<(), String> = rt.block_on(async {
        let driver = Driver::connect(&lw, &routes, opts, args.parallel).await?;
        let results: Vec<Result<(), String>> = futures::stream::iter(0..driver.clusters.len())
            .map(|i| apply_cluster(&driver, i, &args, &print, &progress, &totals))
            .buffer_unordered(args.parallel.max(1))
            .collect()
            .await;
        results.into_iter().collect()
    });
    progress.clear();
    outcome?;
    let totals = totals.into_inner().unwrap_or_default();
    let dry = if args.dry_run { " (dry run)" } else { "" };
    if totals[0] + totals[1] == 0 {
        info!("no changes{dry}: {} objects up to date", totals[2]);
    } else {
        info!("{} created, {} changed, {} unchanged{dry}", totals[0], totals[1], totals[2]);
    }
    std::mem::forget(compilation);
    Ok(ExitCode::SUCCESS)
}

/// Applies (and prunes, and waits for) the partners of one cluster, in spec order.
async fn apply_cluster(
    driver: &Driver<'_, '_>,
    index: usize,
    args: &Args,
    print: &(dyn Fn(Event) + Sync),
    progress: &Progress,
    totals: &Mutex<[usize; 3]>,
) -> Result<(), String> {
    let cluster = &driver.clusters[index];
    let fleet = driver.lw.fleet;
    let mine: Vec<_> =
        fleet.partners.iter().filter(|p| driver.homes.get(&p.name.value).is_some_and(|h| h.0 == index)).collect();
    // What bdc owns there, in one look per kind: the ConfigMaps (records among them) first,
    // then the other kinds the partners have.
    let mut snapshot = Snapshot::default();
    let config_maps = client::api_resource(&crate::lower::Object::ConfigMap(Default::default())).0;
    snapshot.add(&cluster.client, &[config_maps]).await.map_err(|f| in_cluster(cluster, f))?;
    let mut bundles = Vec::new();
    let mut records = Vec::new();
    for p in &mine {
        let (_, target) = &driver.homes[&p.name.value];
        let release =
            driver.lw.release_of(p).ok_or_else(|| format!("partner `{}` runs no declared release", p.name.value))?;
        let record = match snapshot.record(&driver.lw.namespace(p)) {
            Some(listed) => listed,
            None => driver.record(p).await.map_err(|f| f.to_string())?,
        };
        let (at, rec) =
            driver.apply_placement(p, target.as_deref(), release, record.as_ref()).map_err(|f| f.to_string())?;
        let turned_back = record.as_ref().filter(|r| r.turned_back_from(&release.version.value));
        if let Some(r) = turned_back {
            let how = if r.state == State::Aborted { "aborted" } else { "undone" };
            print(Event::Note {
                partner: &p.name.value,
                text: format!(
                    "{} was {how}; stays on {} (`bdc rollout start --release {} --retry` moves it again)",
                    release.version.value, at.release.version.value, release.version.value
                ),
            });
        }
        if let Some(from) = at.stage.from() {
            let what = match at.stage {
                Stage::Preview { .. } => "is in preview",
                _ => "takes part of the traffic",
            };
            print(Event::Note {
                partner: &p.name.value,
                text: format!(
                    "{} {what}; traffic stays on {} until `bdc rollout promote --partner {}`",
                    release.version.value, from.version.value, p.name.value
                ),
            });
        }
        // The record of a partner kept back after an abort or undo stays as it is (it is what
        // keeps it back).
        let keep = turned_back.is_some();
        let changed = record.as_ref().is_none_or(|r| r.release != rec.release || r.phase != rec.phase);
        bundles.push(session::bundle(driver.lw, &at)?);
        records.push((rec, changed, keep));
    }
    let everything: Vec<_> = bundles.iter().flat_map(|b| b.objects.iter().cloned()).collect();
    let missing = client::missing_apis(&cluster.client, &everything).await.map_err(|f| f.to_string())?;
    let kinds: Vec<_> = everything.iter().map(|o| client::api_resource(o).0).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{}: the cluster does not serve {} — install what provides it or choose another target; nothing was applied",
            cluster.name,
            missing.join(", ")
        ));
    }
    snapshot.add(&cluster.client, &kinds).await.map_err(|f| in_cluster(cluster, f))?;
    let (mut failed, mut skipped) = (Vec::new(), Vec::new());
    // Partners are sent concurrently; each one's lines are printed together, in spec order.
    let concurrency = if args.fail_fast { 1 } else { args.concurrency.max(1) };
    let stop = std::sync::atomic::AtomicBool::new(false);
    let snapshot = &snapshot;
    let mut results = futures::stream::iter(bundles.iter().zip(records))
        .map(|(b, (rec, changed, keep))| {
            let stop = &stop;
            async move {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    return (b, None, Vec::new());
                }
                let lines = Mutex::new(Vec::new());
                let print = printer_to(args.wait, progress, |l| lines.lock().expect("lines").push(l));
                let rec = (!keep).then_some(rec);
                let result =
                    apply_partner(cluster, &driver.opts, b, snapshot, rec, changed, args, &print, totals).await;
                if result.is_err() && args.fail_fast {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                drop(print);
                (b, Some(result), lines.into_inner().expect("lines"))
            }
        })
        .buffered(concurrency);
    while let Some((b, result, lines)) = results.next().await {
        progress.done(&b.partner);
        for line in lines {
            print(Event::Note { partner: "", text: line });
        }
        match result {
            None => skipped.push(format!("`{}`", b.partner)),
            Some(Err(e)) => failed.push(e),
            Some(Ok(())) => {}
        }
    }
    if !failed.is_empty() {
        let mut message = if failed.len() == 1 {
            failed.remove(0)
        } else {
            format!("{} partners failed:\n  {}", failed.len(), failed.join("\n  "))
        };
        if !skipped.is_empty() {
            message
                .push_str(&format!("\nnot applied (--fail-fast stopped at the first failure): {}", skipped.join(", ")));
        }
        if args.prune {
            message.push_str("\nnothing was pruned (a partner failed)");
        }
        return Err(message);
    }
    if args.prune {
        prune(cluster, &bundles, &driver.lw.platform.namespace_prefix.value, args).await?;
    }
    Ok(())
}

/// Sends one partner's bundle, waits for it when asked, and keeps its record current (`None`:
/// leaves it as it is).
#[allow(clippy::too_many_arguments)]
async fn apply_partner(
    cluster: &Cluster,
    opts: &Options,
    b: &Bundle,
    snapshot: &Snapshot,
    rec: Option<Record>,
    changed: bool,
    args: &Args,
    print: &(dyn Fn(Event) + Sync),
    totals: &Mutex<[usize; 3]>,
) -> Result<(), String> {
    let counts =
        session::send_known(cluster, opts, b, Some(snapshot), print).await.map_err(|f| in_cluster(cluster, f))?;
    for (t, c) in totals.lock().expect("totals").iter_mut().zip(counts) {
        *t += c;
    }
    if opts.dry_run {
        return Ok(());
    }
    let Some(mut rec) = rec else {
        if args.wait {
            session::wait(cluster, opts, b, print).await.map_err(|f| in_cluster(cluster, f))?;
        }
        return Ok(());
    };
    let state = if args.wait {
        match session::wait(cluster, opts, b, print).await {
            Ok(h) if h.is_ready() => State::Healthy,
            Ok(_) => State::Paused,
            Err(f) => {
                rec.note(State::Failed, &format!("apply: {}", f.message));
                client::save_record(&cluster.client, &b.namespace, &rec).await.map_err(|f| in_cluster(cluster, f))?;
                return Err(in_cluster(cluster, f));
            }
        }
    } else {
        State::Applied
    };
    if changed || state != rec.state {
        rec.note(state, &format!("apply: {} {}", rec.release, rec.phase));
        client::save_record(&cluster.client, &b.namespace, &rec).await.map_err(|f| in_cluster(cluster, f))?;
    }
    Ok(())
}

pub(crate) fn in_cluster(cluster: &Cluster, f: Failure) -> String {
    format!("{}: {f}", cluster.name)
}

/// Lists and deletes what left the spec: in the partners' own applysets, and whole applysets
/// of partners no longer in the spec — only in namespaces of this platform (its
/// `namespace_prefix`), so a fleet never prunes another fleet sharing the cluster.
async fn prune(cluster: &Cluster, bundles: &[Bundle], prefix: &str, args: &Args) -> Result<(), String> {
    let client = &cluster.client;
    let allow = Allow { data: args.prune_data, namespaces: args.prune_namespaces };
    let key =
        |o: &crate::lower::Object| (o.kind().to_string(), o.namespace().map(str::to_string), o.name().to_string());
    let mut sets: Vec<(String, String, Vec<_>)> =
        bundles.iter().map(|b| (b.namespace.clone(), b.id.clone(), b.objects.iter().map(key).collect())).collect();
    if args.at.partners.is_empty() {
        for (ns, id) in client::applysets(client).await.map_err(|f| in_cluster(cluster, f))? {
            if ns.starts_with(prefix) && !sets.iter().any(|(n, _, _)| *n == ns) {
                sets.push((ns, id, Vec::new()));
            }
        }
    }
    for (ns, id, desired) in sets {
        let live = client::list_members(client, &ns, &id).await.map_err(|f| in_cluster(cluster, f))?;
        let plan = prune::plan(&id, &desired, &live, allow);
        for (o, why) in &plan.kept {
            info!("     kept  {} {}/{} ({})", o.kind, ns, o.name, why.describe());
        }
        for o in &plan.delete {
            client::delete(client, o, args.dry_run).await.map_err(|f| in_cluster(cluster, f))?;
            let dry = if args.dry_run { " (dry run)" } else { "" };
            info!("   pruned  {} {}/{}{dry}", o.kind, ns, o.name);
        }
    }
    Ok(())
}
