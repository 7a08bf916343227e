//! `CHECKLIST.md` of an export: the steps of a move in order — prepare the new cluster while
//! the old site serves, freeze writes, copy, verify row counts, cut DNS, unfreeze — each with
//! the commands to run, written for an engineer who has never used bdc. Commands use two shell
//! variables, `OLD` and `NEW`, the kubeconfig contexts of the two clusters.

use super::data::{job_name, moves, Side};
use crate::lower::identity::{self, Identity};
use crate::lower::routing::{DNS_CONTROLLER, DNS_HOLD};
use crate::lower::secrets;
use crate::lower::services::mode;
use crate::lower::{Lowering, Placement};
use crate::model::{Engine, Provider, Routing, SecretStoreKind, ServiceKind, ServiceMode, Target};

/// One step: a title, what it does, and its commands.
pub struct Step {
    pub title: String,
    pub text: Vec<String>,
    pub commands: Vec<String>,
}

fn step(title: &str) -> Step {
    Step { title: title.into(), text: Vec::new(), commands: Vec::new() }
}

/// `kubectl --context "$OLD" -n <namespace>`.
fn kubectl(side: &str, at: &Placement) -> String {
    format!("kubectl --context \"${side}\" -n {}", at.namespace)
}

/// `ingress/<name>` or `httproute/<name>`: the partner's route on a target.
fn route(t: &Target, at: &Placement) -> String {
    match t.routing {
        Routing::Gateway => format!("httproute/{}", at.partner.name.value),
        Routing::Ingress => format!("ingress/{}", at.partner.name.value),
    }
}

/// The command that prints a Secret's keys and values as a JSON object.
fn read_secret(lw: &Lowering, old: &Placement, name: &str) -> String {
    match secrets::store(lw, old.target) {
        Some(store) => {
            let key = secrets::key(store, old.partner, name);
            match store.kind {
                SecretStoreKind::GcpSecretManager => format!(
                    "gcloud secrets versions access latest --secret={key} --project={}",
                    store.project.as_deref().unwrap_or("")
                ),
                SecretStoreKind::AwsSecretsManager => format!(
                    "aws secretsmanager get-secret-value --secret-id {key} --region {} --query SecretString --output text",
                    store.region.as_deref().unwrap_or("")
                ),
                SecretStoreKind::AzureKeyVault => {
                    let vault = store.vault.as_deref().unwrap_or("");
                    let vault = vault.trim_start_matches("https://").split('.').next().unwrap_or(vault);
                    format!("az keyvault secret show --vault-name {vault} --name {key} --query value --output tsv")
                }
                SecretStoreKind::Kubernetes => String::new(),
            }
        }
        None => format!("{} get secret {name} --output json | jq '.data | map_values(@base64d)'", kubectl("OLD", old)),
    }
}

/// The command that writes a JSON object read from stdin as the new store's entry.
fn write_secret(lw: &Lowering, new: &Placement, name: &str) -> Option<String> {
    let store = secrets::store(lw, new.target)?;
    let key = secrets::key(store, new.partner, name);
    Some(match store.kind {
        SecretStoreKind::GcpSecretManager => {
            format!("gcloud secrets create {key} --project={} --data-file=-", store.project.as_deref().unwrap_or(""))
        }
        SecretStoreKind::AwsSecretsManager => format!(
            "aws secretsmanager create-secret --name {key} --region {} --secret-string file:///dev/stdin",
            store.region.as_deref().unwrap_or("")
        ),
        SecretStoreKind::AzureKeyVault => {
            let vault = store.vault.as_deref().unwrap_or("");
            let vault = vault.trim_start_matches("https://").split('.').next().unwrap_or(vault);
            format!("az keyvault secret set --vault-name {vault} --name {key} --file /dev/stdin")
        }
        SecretStoreKind::Kubernetes => return None,
    })
}

/// The steps of moving `old` to `new`; `bundle` is the partner's bundle directory and `manual`
/// the report's "to do by hand" items.
pub fn steps(lw: &Lowering, old: &Placement, new: &Placement, manual: &[&str]) -> Vec<Step> {
    let p = old.partner;
    let (o, n) = (kubectl("OLD", old), kubectl("NEW", new));
    let bundle = &p.name.value;
    let moved: Vec<_> = p.services.iter().filter(|s| moves(lw, old, new, s)).collect();
    let mut out = Vec::new();

    let mut prepare = step("Prepare the new cluster (the old site keeps serving)");
    prepare.text.push("Nothing here touches the old site. Needs: kubectl with both contexts, jq, and the new cloud's CLI; the External Secrets Operator, ExternalDNS and the cloud's operators installed on the new cluster.".into());
    for item in manual {
        prepare.text.push(format!("By hand, before you start: {item}"));
    }
    if new.image_rewritten {
        let from = lw.place(p, None).map(|at| at.image).unwrap_or_default();
        prepare.commands.push(format!("crane copy {from} {}", new.image));
    }
    let needed = secrets::needed(lw, new);
    if !needed.is_empty() {
        prepare.text.push(format!(
            "Copy the secret values ({}), keeping their names.",
            crate::diagnostic::quoted(needed.iter())
        ));
        for name in &needed {
            let read = read_secret(lw, old, name);
            match write_secret(lw, new, name) {
                Some(write) => prepare.commands.push(format!("{read} | {write}")),
                None => prepare.commands.push(format!(
                    "{o} get secret {name} --output json | jq 'del(.metadata.uid, .metadata.resourceVersion, .metadata.creationTimestamp, .metadata.managedFields, .metadata.ownerReferences)' | kubectl --context \"$NEW\" apply --filename -"
                )),
            }
        }
    }
    prepare.text.push(format!(
        "Apply the bundle: its routes name the domains but hold them (`{DNS_CONTROLLER}: {DNS_HOLD}`), so DNS still points at the old site."
    ));
    prepare.commands.push(format!("kubectl --context \"$NEW\" apply --server-side --kustomize {bundle}"));
    if secrets::store(lw, new.target).is_some() && !needed.is_empty() {
        prepare.commands.push(format!("{n} wait --for=condition=Ready externalsecrets --all --timeout=10m"));
    }
    if let Identity::Created { annotation: None } = identity::of(lw, new) {
        let name = crate::lower::names::derive(&p.name.value, crate::lower::names::IDENTITY);
        prepare.commands.push(format!("{n} wait --for=condition=Ready userassignedidentity/{name} --timeout=15m"));
        prepare.commands.push(format!(
            "{n} annotate serviceaccount {} azure.workload.identity/client-id=\"$({n} get configmap {name} --output jsonpath='{{.data.{}}}')\" --overwrite",
            p.name.value,
            identity::CLIENT_ID_KEY
        ));
    }
    if new.target.provider == Provider::Eks && p.certificate.is_none() && !p.domains.is_empty() {
        prepare.text.push(
            "ACM validates the certificate by DNS: add the records this prints to the zone (part of the DNS approval)."
                .into(),
        );
        prepare.commands.push(format!(
            "{n} get certificates.acm.services.k8s.aws {} --output jsonpath='{{range .status.domainValidations[*]}}{{.resourceRecord.name}} CNAME {{.resourceRecord.value}}{{\"\\n\"}}{{end}}'",
            p.name.value
        ));
    }
    for s in &p.services {
        let name = s.object_name(p);
        match (mode(lw, new, s), new.target.provider, s.engine()) {
            (ServiceMode::InCluster, ..) => {
                prepare.commands.push(format!("{n} rollout status statefulset/{name} --timeout=10m"))
            }
            (ServiceMode::Managed, Provider::Gke, Engine::Redis) => {
                prepare.commands.push(format!("{n} wait --for=condition=Ready redisinstance/{name} --timeout=30m"));
                prepare.commands.push(format!(
                    "{n} patch configmap {name} --type merge --patch \"{{\\\"data\\\": {{\\\"host\\\": \\\"$({n} get redisinstance {name} --output jsonpath='{{.status.host}}')\\\", \\\"port\\\": \\\"$({n} get redisinstance {name} --output jsonpath='{{.status.port}}')\\\"}}}}\""
                ));
            }
            (ServiceMode::Managed, Provider::Gke, Engine::Postgres) => {
                prepare.commands.push(format!("{n} wait --for=condition=Ready sqlinstance/{name} --timeout=30m"))
            }
            (ServiceMode::Managed, Provider::Eks, Engine::Postgres) => prepare
                .commands
                .push(format!("{n} wait --for=condition=ACK.ResourceSynced dbinstance/{name} --timeout=30m")),
            (ServiceMode::Managed, Provider::Eks, Engine::Redis) => prepare
                .commands
                .push(format!("{n} wait --for=condition=ACK.ResourceSynced replicationgroup/{name} --timeout=30m")),
            (ServiceMode::Managed, Provider::Aks, Engine::Postgres) => prepare.commands.push(format!(
                "{n} wait --for=condition=Ready flexibleserver.dbforpostgresql.azure.com/{name} --timeout=30m"
            )),
            (ServiceMode::Managed, Provider::Aks, Engine::Redis) => prepare
                .commands
                .push(format!("{n} wait --for=condition=Ready redis.cache.azure.com/{name} --timeout=30m")),
            (ServiceMode::Managed, Provider::K8s, _) | (ServiceMode::External, ..) => {}
        }
    }
    prepare.commands.push(format!("{n} rollout status deployment --timeout=10m"));
    if !moved.is_empty() {
        prepare.text.push("Start the move pods: one on each cluster per database, holding a PostgreSQL client with the database's binding.".into());
        prepare.commands.push("kubectl --context \"$OLD\" apply --server-side --kustomize data/old".into());
        prepare.commands.push("kubectl --context \"$NEW\" apply --server-side --kustomize data/new".into());
        for s in &moved {
            for (side, job, k) in [("OLD", Side::Export, &o), ("NEW", Side::Import, &n)] {
                let _ = side;
                prepare.commands.push(format!(
                    "{k} wait --for=condition=Ready pod --selector=job-name={} --timeout=10m",
                    job_name(old, s, job)
                ));
            }
        }
    }
    out.push(prepare);

    let exec = |k: &str, at: &Placement, s: &crate::model::Service, side: Side, snippet: &str, stdin: bool| {
        format!(
            "{k} exec{} job/{} -- sh -c 'eval \"${snippet}\"'",
            if stdin { " -i" } else { "" },
            job_name(at, s, side)
        )
    };
    let mut freeze = step("Freeze writes (the old site keeps serving reads)");
    for s in &moved {
        freeze.commands.push(exec(&o, old, s, Side::Export, "BDC_FREEZE", false));
    }
    if moved.is_empty() {
        freeze.text.push("No database moves with this partner.".into());
    } else {
        freeze.text.push("Each database becomes read-only and its open sessions are closed: from here the site cannot save until step 6.".into());
    }
    if p.storage.is_some() {
        freeze
            .text
            .push(format!("Stop uploads to volume `{}-data` (the site's own maintenance switch).", p.name.value));
    }
    out.push(freeze);

    let mut copy = step("Copy the data");
    for s in &p.services {
        match (&s.kind, moves(lw, old, new, s)) {
            (ServiceKind::Postgres { .. }, true) => copy.commands.push(format!(
                "{} | {}",
                exec(&o, old, s, Side::Export, "BDC_DUMP", false),
                exec(&n, new, s, Side::Import, "BDC_RESTORE", true)
            )),
            (ServiceKind::Postgres { .. }, false) => {
                copy.text.push(format!("`{}` stays the same external database: nothing to copy.", s.name.value))
            }
            (ServiceKind::Redis { .. }, _) => copy.text.push(format!(
                "`{}` (Redis) is rebuilt: it starts empty; sessions and cached pages fill it again.",
                s.name.value
            )),
        }
    }
    if p.storage.is_some() {
        copy.text.push(format!(
            "Volume `{0}-data` (by hand): stream its files through the web pods, if the release image has `tar`, or restore a snapshot.",
            p.name.value
        ));
        copy.commands.push(format!(
            "{o} exec deployment/{0} -- tar -C /data -cf - . | {n} exec -i deployment/{0} -- tar -C /data -xf -",
            p.name.value
        ));
    }
    out.push(copy);

    let mut verify = step("Verify row counts");
    for s in &moved {
        verify.commands.push(format!(
            "diff <({}) <({}) && echo \"{}: row counts match\"",
            exec(&o, old, s, Side::Export, "BDC_COUNT_ROWS", false),
            exec(&n, new, s, Side::Import, "BDC_COUNT_ROWS", false),
            s.name.value
        ));
    }
    verify.text.push(if moved.is_empty() {
        "Nothing to compare.".into()
    } else {
        "Every table, with its exact row count, on both sides; stop here if they differ (step 6 tells how to go back)."
            .into()
    });
    out.push(verify);

    let mut dns = step("Cut DNS over (needs your approval)");
    if !p.domains.is_empty() {
        let names = p.domains.iter().map(|d| d.value.as_str()).collect::<Vec<_>>().join(", ");
        dns.text.push(format!(
            "The old cluster's ExternalDNS releases {names}, then the new one takes them and points them at the new load balancer."
        ));
        dns.commands.push(format!(
            "{o} annotate {} {DNS_CONTROLLER}={DNS_HOLD} --overwrite",
            route(lw.target(&p.target).unwrap_or(old.target), old)
        ));
        dns.commands.push(format!("{n} annotate {} {DNS_CONTROLLER}-", route(new.target, new)));
        for d in &p.domains {
            dns.commands.push(format!("dig +short {}", d.value));
        }
    }
    out.push(dns);

    let mut unfreeze = step("Unfreeze");
    unfreeze.text.push("The new databases were never frozen: once DNS has moved, writes go to the new site. The old databases stay read-only as the way back.".into());
    unfreeze.text.push("To go back instead: unfreeze the old databases and run step 5 the other way round.".into());
    for s in &moved {
        unfreeze.text.push(format!(
            "`{}` back: `{}`",
            s.name.value,
            exec(&o, old, s, Side::Export, "BDC_UNFREEZE", false)
        ));
    }
    if !moved.is_empty() {
        unfreeze.commands.push("kubectl --context \"$OLD\" delete --kustomize data/old".into());
        unfreeze.commands.push("kubectl --context \"$NEW\" delete --kustomize data/new".into());
    }
    out.push(unfreeze);
    out
}

/// The checklist as Markdown.
pub fn markdown(old: &Placement, new: &Placement, old_context: Option<&str>, steps: &[Step]) -> String {
    let mut out = format!(
        "# Moving `{}` from `{}` to `{}`\n\nRun the commands from this directory, in order. Set the kubeconfig contexts of both clusters first:\n\n```sh\nexport OLD={}\nexport NEW=<context of the new {} cluster>\n```\n\n",
        old.partner.name.value,
        old.target.name.value,
        new.target.name.value,
        old_context.unwrap_or("<context of the old cluster>"),
        new.target.name.value
    );
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("## {}. {}\n\n", i + 1, s.title));
        for t in &s.text {
            out.push_str(&format!("{t}\n\n"));
        }
        if !s.commands.is_empty() {
            out.push_str("```sh\n");
            for c in &s.commands {
                out.push_str(c);
                out.push('\n');
            }
            out.push_str("```\n\n");
        }
    }
    out
}
