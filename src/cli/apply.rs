//! `bdc apply` and `bdc diff`: the compiled objects, sent to clusters with server-side apply
//! (field manager `bdc`), or compared with them through a server-side dry run.
//!
//! Exit status of `diff` follows `kubectl diff`: 0 nothing differs, 1 something does, 2 error.

use super::report::{self, Color};
use crate::apply::applyset;
use crate::apply::client::{self, Applier, Outcome};
use crate::apply::prune::{self, Allow};
use crate::lower::{verify, Lowering, Object};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Spec files or directories (searched recursively for `.bdot` files).
    paths: Vec<PathBuf>,
    /// Only this partner (repeatable).
    #[arg(long = "partner", value_name = "PARTNER")]
    partners: Vec<String>,
    /// Target profile instead of each partner's cluster's.
    #[arg(long)]
    target: Option<String>,
    /// kubeconfig context for every partner (default: each partner's `cluster`, else the
    /// current context).
    #[arg(long)]
    context: Option<String>,
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
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// Where a group of partners is applied: (kubeconfig path, context).
type ClusterKey = (Option<String>, Option<String>);
/// An object's identity in a prune plan: (kind, namespace, name).
type ObjectKey = (String, Option<String>, String);

/// One partner's objects, ready to send: cluster-scoped ones, its Namespace, the applyset
/// parent, then the rest in apply order.
struct Bundle {
    namespace: String,
    id: String,
    objects: Vec<Object>,
}

fn compile(args: &Args) -> Result<crate::Compilation, String> {
    super::compile(&args.paths, report::Format::Human, args.color).map(|(c, _)| c)
}

fn build(lw: &Lowering, args: &Args) -> Result<BTreeMap<ClusterKey, Vec<Bundle>>, String> {
    let fleet = lw.fleet;
    for wanted in &args.partners {
        if !fleet.partners.iter().any(|p| &p.name.value == wanted) {
            return Err(format!("no partner `{wanted}`"));
        }
    }
    // Partners grouped by (kubeconfig, context).
    let mut by_cluster: BTreeMap<ClusterKey, Vec<Bundle>> = BTreeMap::new();
    for p in fleet.partners.iter().filter(|p| args.partners.is_empty() || args.partners.contains(&p.name.value)) {
        let cluster = p.cluster.as_ref().and_then(|c| fleet.clusters.iter().find(|k| &k.name.value == c));
        let target = args.target.clone().or_else(|| cluster.map(|c| c.target.clone()));
        let at = lw.place(p, target.as_deref()).map_err(|e| format!("internal error: {e}"))?;
        let mut objects = lw.cluster_objects(std::slice::from_ref(&at));
        objects.extend(lw.partner_objects(&at));
        if let Some(v) = verify::objects(&objects).into_iter().next() {
            return Err(format!("internal error: {} fails a structural check: {}", v.object, v.problem));
        }
        let set = applyset::build(&at.namespace, objects);
        let mut objects = set.objects;
        let after_namespace = objects.iter().position(|o| matches!(o, Object::Namespace(_))).map_or(0, |i| i + 1);
        objects.insert(after_namespace, Object::ConfigMap(set.parent));
        let key = (
            cluster.and_then(|c| c.kubeconfig.clone()),
            args.context.clone().or_else(|| cluster.map(|c| c.context.clone())),
        );
        by_cluster.entry(key).or_default().push(Bundle { namespace: at.namespace.clone(), id: set.id, objects });
    }
    Ok(by_cluster)
}

async fn connect(kubeconfig: Option<&str>, context: Option<&str>) -> Result<kube::Client, String> {
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
        (None, None) => kube::Config::infer().await.map_err(|e| format!("no cluster configuration found: {e}"))?,
    };
    kube::Client::try_from(config).map_err(|e| format!("cannot create a client: {e}"))
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

fn cluster_name(key: &ClusterKey) -> String {
    key.1.clone().unwrap_or_else(|| "current context".into())
}

pub fn run_apply(args: Args) -> Result<ExitCode, String> {
    let compilation = compile(&args)?;
    if compilation.diagnostics.has_errors() {
        eprintln!("{}; nothing applied", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(1));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let clusters = build(&lw, &args)?;
    let rt = runtime()?;
    rt.block_on(async {
        let mut totals = [0usize; 3];
        for (key, bundles) in &clusters {
            let client = connect(key.0.as_deref(), key.1.as_deref()).await?;
            let everything: Vec<Object> = bundles.iter().flat_map(|b| b.objects.iter().cloned()).collect();
            let missing = client::missing_apis(&client, &everything).await.map_err(|f| f.to_string())?;
            if !missing.is_empty() {
                return Err(format!(
                    "{}: the cluster does not serve {} — install the controller that provides it (Gateway API, cert-manager, Argo Rollouts, GKE) or choose another target; nothing was applied",
                    cluster_name(key),
                    missing.join(", ")
                ));
            }
            let applier = Applier { client: client.clone(), dry_run: args.dry_run, force_conflicts: args.force_conflicts };
            for b in bundles {
                for o in &b.objects {
                    let outcome = applier.apply(o).await.map_err(|f| format!("{}: {f}; objects after it were not applied", cluster_name(key)))?;
                    let (word, i) = match outcome {
                        Outcome::Created => ("created", 0),
                        Outcome::Changed => ("changed", 1),
                        Outcome::Unchanged => ("unchanged", 2),
                    };
                    totals[i] += 1;
                    if outcome != Outcome::Unchanged {
                        eprintln!("{word:>9}  {}", client::title(o));
                    }
                }
            }
            if args.prune {
                prune(&client, bundles, &args).await?;
            }
        }
        let dry = if args.dry_run { " (dry run)" } else { "" };
        if totals[0] + totals[1] == 0 {
            eprintln!("no changes{dry}: {} objects up to date", totals[2]);
        } else {
            eprintln!("{} created, {} changed, {} unchanged{dry}", totals[0], totals[1], totals[2]);
        }
        Ok(())
    })?;
    std::mem::forget(compilation);
    Ok(ExitCode::SUCCESS)
}

/// Lists and deletes what left the spec: in the partners' own applysets, and whole applysets
/// of partners no longer in the spec.
async fn prune(client: &kube::Client, bundles: &[Bundle], args: &Args) -> Result<(), String> {
    let allow = Allow { data: args.prune_data, namespaces: args.prune_namespaces };
    let mut sets: Vec<(String, String, Vec<ObjectKey>)> = bundles
        .iter()
        .map(|b| {
            let desired = b
                .objects
                .iter()
                .map(|o| (o.kind().to_string(), o.namespace().map(str::to_string), o.name().to_string()))
                .collect();
            (b.namespace.clone(), b.id.clone(), desired)
        })
        .collect();
    if args.partners.is_empty() {
        for (ns, id) in client::applysets(client).await.map_err(|f| f.to_string())? {
            if !sets.iter().any(|(n, _, _)| *n == ns) {
                sets.push((ns, id, Vec::new()));
            }
        }
    }
    for (ns, id, desired) in sets {
        let live = client::list_members(client, &ns, &id).await.map_err(|f| f.to_string())?;
        let plan = prune::plan(&id, &desired, &live, allow);
        for (o, why) in &plan.kept {
            eprintln!("     kept  {} {}/{} ({})", o.kind, ns, o.name, why.describe());
        }
        for o in &plan.delete {
            client::delete(client, o, args.dry_run).await.map_err(|f| f.to_string())?;
            eprintln!("   pruned  {} {}/{}", o.kind, ns, o.name);
        }
    }
    Ok(())
}

pub fn run_diff(args: Args) -> Result<ExitCode, String> {
    let compilation = compile(&args)?;
    if compilation.diagnostics.has_errors() {
        eprintln!("{}; nothing compared", report::counts(&compilation.diagnostics));
        return Ok(ExitCode::from(2));
    }
    let lw = Lowering::new(&compilation.fleet).ok_or("the spec declares no platform")?;
    let clusters = build(&lw, &args)?;
    let rt = runtime()?;
    let differs = rt.block_on(async {
        let mut out = String::new();
        for (key, bundles) in &clusters {
            let client = connect(key.0.as_deref(), key.1.as_deref()).await?;
            let applier = Applier { client, dry_run: true, force_conflicts: true };
            for o in bundles.iter().flat_map(|b| b.objects.iter()) {
                if let Some(d) = applier.diff(o).await.map_err(|f| f.to_string())? {
                    out.push_str(&d);
                }
            }
        }
        super::print_stdout(&out)?;
        Ok::<bool, String>(!out.is_empty())
    })?;
    Ok(if differs { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
