//! Carrying compiled objects to clusters: which cluster each partner goes to, one partner's
//! bundle (its objects in apply order with the applyset parent), sending a bundle, and
//! waiting until it is ready. `bdc apply`, `bdc diff` and `bdc rollout` are built from these.

use super::client::{self, Applier, Failure, Outcome};
use super::health::{self, Health};
use super::{applyset, record::Record};
use crate::lower::{verify, Lowering, Object, Placement};
use crate::model::Partner;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Where a group of partners is applied: (kubeconfig path, context).
pub type ClusterKey = (Option<String>, Option<String>);

/// A connected cluster.
pub struct Cluster {
    /// The context name, or `current context`, with the server's address.
    pub name: String,
    pub client: kube::Client,
}

/// How objects are sent and followed.
#[derive(Clone, Debug)]
pub struct Options {
    pub dry_run: bool,
    pub force_conflicts: bool,
    /// Send changes that would replace data-bearing objects (see `guard`).
    pub replace_data: bool,
    /// How long to wait for readiness before giving up.
    pub timeout: Duration,
    /// How often to look at live objects while waiting.
    pub poll: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dry_run: false,
            force_conflicts: false,
            replace_data: false,
            timeout: Duration::from_secs(300),
            poll: Duration::from_secs(2),
        }
    }
}

/// What happens, for the command line to show.
#[derive(Debug)]
pub enum Event<'a> {
    Applied {
        partner: &'a str,
        object: String,
        outcome: Outcome,
    },
    /// An awaited object's health changed.
    Health {
        partner: &'a str,
        object: String,
        health: Health,
    },
    Note {
        partner: &'a str,
        text: String,
    },
}

/// Receives events; called from concurrent tasks.
pub type Report<'r> = &'r (dyn Fn(Event) + Sync);

/// Where a partner is applied: its cluster (`cluster` declaration, or `--context`), and the
/// target it is lowered for.
pub struct Route<'f> {
    pub partner: &'f Partner,
    pub cluster: ClusterKey,
    pub target: Option<String>,
}

/// Routes of the partners named (all when `only` is empty), with `--target`/`--context`/
/// `--kubeconfig` overrides (a kubeconfig given replaces a `cluster`'s own, as a context does).
pub fn routes<'f>(
    lw: &Lowering<'f>,
    only: &[String],
    target: Option<&str>,
    context: Option<&str>,
    kubeconfig: Option<String>,
) -> Result<Vec<Route<'f>>, String> {
    let fleet = lw.fleet;
    for wanted in only {
        if !fleet.partners.iter().any(|p| &p.name.value == wanted) {
            let names: Vec<&str> = fleet.partners.iter().map(|p| p.name.value.as_str()).collect();
            let hint = crate::suggest::closest(wanted, names.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("no partner `{wanted}` in the spec{hint}"));
        }
    }
    fleet
        .partners
        .iter()
        .filter(|p| only.is_empty() || only.contains(&p.name.value))
        .map(|p| {
            // The one decision of a partner's cluster and target, the same `emit` lowers with.
            let home = fleet.home(p, target);
            if let Some(why) = home.mismatch(context) {
                return Err(why);
            }
            let cluster = home.cluster;
            Ok(Route {
                partner: p,
                cluster: (
                    kubeconfig.clone().or_else(|| cluster.and_then(|c| c.kubeconfig.clone())),
                    context.map(str::to_string).or_else(|| cluster.map(|c| c.context.clone())),
                ),
                target: Some(home.target.to_string()),
            })
        })
        .collect()
}

/// Connects to a cluster from a kubeconfig (path and context, or the usual defaults).
pub async fn connect(key: &ClusterKey) -> Result<Cluster, String> {
    let (kubeconfig, context) = (key.0.as_deref(), key.1.as_deref());
    let name = context.unwrap_or("current context").to_string();
    let options = kube::config::KubeConfigOptions { context: context.map(str::to_string), ..Default::default() };
    let config = match (kubeconfig, context) {
        (Some(path), _) => {
            let kc = kube::config::Kubeconfig::read_from(path)
                .map_err(|e| format!("cannot read kubeconfig `{path}`: {e}"))?;
            kube::Config::from_custom_kubeconfig(kc, &options).await.map_err(|e| format!("kubeconfig `{path}`: {e}"))?
        }
        (None, Some(ctx)) => {
            kube::Config::from_kubeconfig(&options).await.map_err(|e| format!("kubeconfig context `{ctx}`: {e}"))?
        }
        (None, None) => kube::Config::infer().await.map_err(|e| {
            format!("no cluster configuration found ({e}); set KUBECONFIG, pass --context, or give the partners a `cluster` declaration naming a context")
        })?,
    };
    // The server's address belongs to every message about this cluster (an unreachable server
    // is otherwise hard to tell apart).
    let name = format!("{name} ({})", config.cluster_url);
    let client = kube::Client::try_from(config).map_err(|e| format!("{name}: cannot create a client: {e}"))?;
    Ok(Cluster { name, client })
}

/// One partner's objects, ready to send: cluster-scoped ones, its Namespace, the applyset
/// parent, then the rest in apply order.
pub struct Bundle {
    pub partner: String,
    pub namespace: String,
    pub id: String,
    pub objects: Vec<Object>,
}

/// Lowers a placed partner into a bundle; objects failing a structural check are an internal
/// error (nothing is sent).
pub fn bundle(lw: &Lowering, at: &Placement) -> Result<Bundle, String> {
    let mut objects = lw.cluster_objects(std::slice::from_ref(at));
    objects.extend(lw.partner_objects(at));
    if let Some(v) = verify::objects(&objects).into_iter().next() {
        return Err(format!("internal error: {} fails a structural check: {}", v.object, v.problem));
    }
    let set = applyset::build(&at.namespace, objects);
    let mut objects = set.objects;
    let after_namespace = objects.iter().position(|o| matches!(o, Object::Namespace(_))).map_or(0, |i| i + 1);
    objects.insert(after_namespace, Object::ConfigMap(set.parent));
    Ok(Bundle { partner: at.partner.name.value.clone(), namespace: at.namespace.clone(), id: set.id, objects })
}

/// Applies a bundle in order; counts (created, changed, unchanged). On a failure the objects
/// already applied are named in it.
pub async fn send(cluster: &Cluster, opts: &Options, b: &Bundle, report: Report<'_>) -> Result<[usize; 3], Failure> {
    send_known(cluster, opts, b, None, report).await
}

/// Kinds whose live state the data guard needs even when a snapshot did not list them.
fn guarded(o: &Object) -> bool {
    matches!(
        o,
        Object::PersistentVolumeClaim(_)
            | Object::StatefulSet(_)
            | Object::SqlInstance(_)
            | Object::DbInstance(_)
            | Object::FlexibleServer(_)
    )
}

/// `send`, with the live objects already listed (`live::Snapshot`): nothing is read object by
/// object, and objects that are unchanged are not sent (a partner with nothing to send costs
/// no request at all).
pub async fn send_known(
    cluster: &Cluster,
    opts: &Options,
    b: &Bundle,
    snapshot: Option<&super::live::Snapshot>,
    report: Report<'_>,
) -> Result<[usize; 3], Failure> {
    // `None`: not listed; `Some(None)`: listed, not there.
    let known = |o: &Object| snapshot.and_then(|s| s.lookup(o.kind(), o.namespace(), o.name())).map(|v| v.cloned());
    let all_unchanged = b.objects.iter().all(|o| {
        let desired = serde_json::to_value(o).unwrap_or_default();
        let (_, digest) = super::owned::stamp(&desired);
        known(o).flatten().is_some_and(|live| super::owned::unchanged(&live, &desired, &digest, client::FIELD_MANAGER))
    });
    if all_unchanged {
        return Ok([0, 0, b.objects.len()]);
    }
    let applier = Applier {
        client: cluster.client.clone(),
        dry_run: opts.dry_run,
        force_conflicts: opts.force_conflicts,
        replace_data: opts.replace_data,
    };
    // Every right the partner needs, before the first write.
    let missing = super::access::missing(&cluster.client, &cluster.name, &super::access::needed(&b.objects))
        .await
        .map_err(|f| f.of(&b.partner))?;
    if !missing.is_empty() {
        return Err(
            Failure::new(format!("Namespace {}", b.namespace), super::access::describe(&missing)).of(&b.partner)
        );
    }
    let mut counts = [0; 3];
    let mut applied = Vec::new();
    let mut new_namespace = None;
    for o in &b.objects {
        if let (Some(ns), Some(mine)) = (&new_namespace, o.namespace()) {
            if ns == mine {
                counts[0] += 1;
                continue;
            }
        }
        let outcome = match known(o) {
            Some(Some(live)) => applier.apply_over(o, Some(live)).await,
            Some(None) if !guarded(o) => applier.apply_over(o, None).await,
            _ => applier.apply(o).await,
        };
        match outcome {
            // A dry run creates nothing, so the server cannot check objects in a namespace
            // that does not exist yet; they are counted as to be created.
            Ok(Outcome::Created) if opts.dry_run && matches!(o, Object::Namespace(_)) => {
                counts[0] += 1;
                new_namespace = Some(o.name().to_string());
                report(Event::Applied { partner: &b.partner, object: client::title(o), outcome: Outcome::Created });
                report(Event::Note {
                    partner: &b.partner,
                    text: format!("namespace {} is new: a dry run cannot check the objects in it", o.name()),
                });
            }
            Ok(outcome) => {
                counts[match outcome {
                    Outcome::Created => 0,
                    Outcome::Changed => 1,
                    Outcome::Unchanged => 2,
                }] += 1;
                applied.push(client::title(o));
                report(Event::Applied { partner: &b.partner, object: client::title(o), outcome });
            }
            Err(mut f) => {
                f.message = if applied.is_empty() {
                    format!("{}; nothing of this partner was applied", f.message)
                } else {
                    format!(
                        "{}; applied before it: {}; the objects after it were not applied",
                        f.message,
                        applied.join(", ")
                    )
                };
                return Err(f.of(&b.partner));
            }
        }
    }
    Ok(counts)
}

/// Waits until every awaited object of the bundle is ready. Returns `Health::Ready`, or
/// `Health::Paused` when the rest is ready and something waits for promotion; a failed
/// object, a hopeless pod, or the timeout is a `Failure` with the last warning events.
pub async fn wait(cluster: &Cluster, opts: &Options, b: &Bundle, report: Report<'_>) -> Result<Health, Failure> {
    let started = Instant::now();
    let awaited: Vec<&Object> = b.objects.iter().filter(|o| health::is_awaited(o.kind())).collect();
    let mut last: BTreeMap<String, Health> = BTreeMap::new();
    // Looks quickly at first (most changes settle in a second), then every `opts.poll`.
    let mut delay = Duration::from_millis(250);
    loop {
        let mut pending: Option<(&Object, Health)> = None;
        let mut paused = false;
        for o in &awaited {
            let title = client::title(o);
            let mut h = match client::live(&cluster.client, o).await.map_err(|f| f.of(&b.partner))? {
                Some(live) => health::of(&live),
                None => Health::Progressing("not created yet".into()),
            };
            if let (Health::Progressing(_), Some(labels)) = (&h, pod_labels(o)) {
                let pods = client::pods(&cluster.client, &b.namespace, &labels).await.map_err(|f| f.of(&b.partner))?;
                if let Some(stuck) = health::stuck_pod(&pods) {
                    h = match health::missing_reference(&stuck) {
                        // Created since the pod last tried: the kubelet retries on its own.
                        Some((kind, name))
                            if client::reference_exists(&cluster.client, &b.namespace, kind, &name)
                                .await
                                .map_err(|f| f.of(&b.partner))? =>
                        {
                            Health::Progressing(format!("{kind} {name} exists now, waiting for the pod to retry"))
                        }
                        _ => Health::Failed(stuck),
                    };
                }
            }
            if last.get(&title) != Some(&h) {
                report(Event::Health { partner: &b.partner, object: title.clone(), health: h.clone() });
                last.insert(title.clone(), h.clone());
            }
            match h {
                Health::Ready => {}
                Health::Paused(_) => paused = true,
                Health::Failed(why) => return Err(failure(cluster, b, o, why).await),
                Health::Progressing(_) => {
                    pending.get_or_insert((o, h));
                }
            }
        }
        match pending {
            None if paused => return Ok(Health::Paused("waiting for promotion".into())),
            None => return Ok(Health::Ready),
            Some((o, h)) if started.elapsed() >= opts.timeout => {
                let why = format!("not ready after {}s ({})", opts.timeout.as_secs(), h.describe());
                return Err(failure(cluster, b, o, why).await);
            }
            Some(_) => {
                tokio::time::sleep(delay.min(opts.poll)).await;
                delay *= 2;
            }
        }
    }
}

/// The labels of the pods a workload's current template makes (its version among them).
fn pod_labels(o: &Object) -> Option<BTreeMap<String, String>> {
    let template = match o {
        Object::Deployment(d) => d.spec.as_ref()?.template.metadata.as_ref()?.labels.clone(),
        Object::Rollout(r) => r.spec.template.metadata.as_ref()?.labels.clone(),
        _ => None,
    }?;
    // The recommended labels that tell this release's pods apart; partner labels may vary.
    let keep = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version"];
    let mut labels: BTreeMap<String, String> = template
        .into_iter()
        .filter(|(k, _)| keep.contains(&k.as_str()) || k.starts_with("rollout.bluedot.io/"))
        .collect();
    if labels.is_empty() {
        return None;
    }
    labels.retain(|_, v| !v.is_empty());
    Some(labels)
}

async fn failure(cluster: &Cluster, b: &Bundle, o: &Object, why: String) -> Failure {
    let events = client::events(&cluster.client, &b.namespace).await;
    let mut f = Failure::new(client::title(o), why).of(&b.partner);
    f.events = health::last_events(&events, o.name(), 5);
    f
}

/// Reads the records of the given partner namespaces on a cluster.
pub async fn records(cluster: &Cluster, namespaces: &[&str]) -> Result<BTreeMap<String, Record>, Failure> {
    let mut out = BTreeMap::new();
    for ns in namespaces {
        if let Some(r) = client::record(&cluster.client, ns).await? {
            out.insert(ns.to_string(), r);
        }
    }
    Ok(out)
}

/// A partner as it is now, in one look: the health of its objects (the first one not ready)
/// and, per workload, `name version ready/wanted`.
pub async fn look(cluster: &Cluster, b: &Bundle) -> Result<(Health, Vec<String>), Failure> {
    let mut overall = Health::Ready;
    let mut workloads = Vec::new();
    for o in b.objects.iter().filter(|o| health::is_awaited(o.kind())) {
        let Some(live) = client::live(&cluster.client, o).await.map_err(|f| f.of(&b.partner))? else {
            if overall.is_ready() {
                overall = Health::Progressing(format!("{} does not exist", client::title(o)));
            }
            continue;
        };
        let h = health::of(&live);
        if matches!(o.kind(), "Deployment" | "Rollout") {
            let version = live
                .pointer("/spec/template/metadata/labels/app.kubernetes.io~1version")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?");
            let ready = live.pointer("/status/readyReplicas").and_then(serde_json::Value::as_i64).unwrap_or(0);
            let wanted = live.pointer("/spec/replicas").and_then(serde_json::Value::as_i64).unwrap_or(1);
            workloads.push(format!("{} {version} {ready}/{wanted}", o.name()));
        }
        if overall.is_ready() && !h.is_ready() {
            overall = match h {
                Health::Progressing(why) => Health::Progressing(format!("{}: {why}", client::title(o))),
                Health::Paused(why) => Health::Paused(format!("{}: {why}", client::title(o))),
                Health::Failed(why) => Health::Failed(format!("{}: {why}", client::title(o))),
                Health::Ready => Health::Ready,
            };
        }
    }
    Ok((overall, workloads))
}
