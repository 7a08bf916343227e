//! E0410: a quota given in the spec must hold the partner's pods at the peak of a rollout at
//! full scale; otherwise the rollout stalls with pods refused by the API server.
//!
//! One diagnostic per partner names every resource the quota is short of, says why the peak is
//! what it is (the strategy's extra pods, the proxy sidecar in each web pod, the in-cluster
//! services beside them), and gives the quota that would fit in the user's own fields.

use crate::check::units::{format_bytes, format_cpu, format_percent};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::capacity::{in_cluster_services, peak_pods, per_pod, proxied, service_pod, Totals, PROXY_RESOURCES};
use crate::model::{Fleet, Partner, Platform, Resources, ServiceMode, StrategyKind, Surge, Target};
use crate::source::{Span, Spanned};

pub fn quotas_fit(fleet: &Fleet, d: &mut Diagnostics) {
    for p in &fleet.partners {
        let (Some(quota), Some(res)) = (&p.quota, &p.resources) else { continue };
        let target = fleet.targets.iter().find(|t| t.name.value == p.target);
        // Unreachable within the checker's maxima; never compared as a wrapped number.
        let Some(peak) = Peak::of(p, res, target.zip(fleet.platform.as_ref())) else {
            d.push(overflow(p, res));
            continue;
        };
        if let Some(diag) = short(p, res, &quota.value, &peak) {
            d.push(diag);
        }
    }
}

/// The partner's pods at the peak of a rollout, and what each of them takes.
struct Peak {
    /// Web pods at the peak.
    pods: u64,
    /// Each web pod with its proxy sidecar, if it has one.
    web_pod: Totals,
    proxy: bool,
    /// The in-cluster services of the namespace, named (`postgres \`db\``), and their sum.
    services: Vec<String>,
    services_total: Totals,
    /// Everything at the peak.
    need: Totals,
}

impl Peak {
    fn of(p: &Partner, res: &Resources, place: Option<(&Target, &Platform)>) -> Option<Peak> {
        let pods = peak_pods(p)?;
        let mut peak = Peak {
            pods,
            web_pod: per_pod(res),
            proxy: false,
            services: Vec::new(),
            services_total: Totals::ZERO,
            need: Totals::ZERO,
        };
        if let Some((target, platform)) = place {
            // The same pods the computed quota counts (`lower::tenancy`).
            if !proxied(p, target, platform).is_empty() {
                peak.proxy = true;
                peak.web_pod = peak.web_pod.plus(PROXY_RESOURCES)?;
            }
            peak.services_total = in_cluster_services(p, target, platform)?.0;
            peak.services = p
                .services
                .iter()
                .filter(|s| crate::model::provisioned_mode(s, target, platform) == ServiceMode::InCluster)
                .map(|s| {
                    let t = service_pod(s);
                    format!(
                        "{} `{}` ({} CPU, {} memory)",
                        s.engine(),
                        s.name.value,
                        format_cpu(t.cpu),
                        format_bytes(t.memory)
                    )
                })
                .collect();
        }
        peak.need = peak.web_pod.times(pods)?.plus(peak.services_total)?;
        Some(peak)
    }
}

/// One field of the quota: what it is called, what it allows and what the peak needs.
struct Row {
    field: &'static str,
    words: &'static str,
    /// A request field that caps the limits too (no limit field written), short by the limits.
    caps_limits: bool,
    bytes: bool,
    have: u64,
    need: u64,
    per_pod: u64,
    services: u64,
    span: Span,
}

impl Row {
    fn show(&self, v: u64) -> String {
        if self.bytes {
            format_bytes(v)
        } else {
            format_cpu(v)
        }
    }

    /// What the quota should allow: what it allows if that is enough, else the need (memory
    /// rounded up to whole MiB).
    fn fitting(&self) -> u64 {
        const MI: u64 = 1 << 20;
        match (self.have < self.need, self.bytes) {
            (false, _) => self.have,
            (true, true) => self.need.div_ceil(MI).saturating_mul(MI),
            (true, false) => self.need,
        }
    }
}

/// A request and its limit, each as (request, limit).
struct Pair<'q> {
    fields: (&'static str, &'static str),
    words: (&'static str, &'static str, &'static str),
    bytes: bool,
    quota: (&'q Spanned<u64>, &'q Spanned<u64>),
    need: (u64, u64),
    pod: (u64, u64),
    services: (u64, u64),
}

impl Pair<'_> {
    /// Its rows. A limit not written in the quota takes the request's value and span: then one
    /// field caps both, and its row needs the larger of the two.
    fn rows(self, out: &mut Vec<Row>) {
        let (request, limit) = self.quota;
        if limit.span == request.span {
            let by_limit = self.need.1 > self.need.0;
            let pick = |(r, l): (u64, u64)| if by_limit { l } else { r };
            out.push(Row {
                field: self.fields.0,
                words: if by_limit { self.words.2 } else { self.words.0 },
                caps_limits: by_limit,
                bytes: self.bytes,
                have: request.value,
                need: pick(self.need),
                per_pod: pick(self.pod),
                services: pick(self.services),
                span: request.span,
            });
            return;
        }
        let sides = [(self.fields.0, self.words.1, request, false), (self.fields.1, self.words.2, limit, true)];
        for (field, words, have, is_limit) in sides {
            let at = |(r, l): (u64, u64)| if is_limit { l } else { r };
            out.push(Row {
                field,
                words,
                caps_limits: false,
                bytes: self.bytes,
                have: have.value,
                need: at(self.need),
                per_pod: at(self.pod),
                services: at(self.services),
                span: have.span,
            });
        }
    }
}

/// The quota's rows, requests before limits.
fn rows(q: &Resources, peak: &Peak) -> Vec<Row> {
    let (n, pod, svc) = (peak.need, peak.web_pod, peak.services_total);
    let mut rows = Vec::new();
    Pair {
        fields: ("cpu", "cpu_limit"),
        words: ("CPU", "CPU requests", "CPU limits"),
        bytes: false,
        quota: (&q.cpu, &q.cpu_limit),
        need: (n.cpu, n.cpu_limit),
        pod: (pod.cpu, pod.cpu_limit),
        services: (svc.cpu, svc.cpu_limit),
    }
    .rows(&mut rows);
    Pair {
        fields: ("memory", "memory_limit"),
        words: ("memory", "memory requests", "memory limits"),
        bytes: true,
        quota: (&q.memory, &q.memory_limit),
        need: (n.memory, n.memory_limit),
        pod: (pod.memory, pod.memory_limit),
        services: (svc.memory, svc.memory_limit),
    }
    .rows(&mut rows);
    rows.sort_by_key(|r| ["cpu", "memory", "cpu_limit", "memory_limit"].iter().position(|f| *f == r.field));
    rows
}

/// Why the peak has this many web pods, in the user's own terms.
fn why_pods(p: &Partner, pods: u64) -> String {
    let max = p.replicas.value.1;
    let named = p.strategy.name.as_deref().map(|n| format!(" (`{n}`)")).unwrap_or_default();
    match &p.strategy.kind {
        StrategyKind::Rolling { max_surge, .. } => {
            let surge = pods.saturating_sub(u64::try_from(max).unwrap_or(0));
            let how = match max_surge {
                Surge::Count(n) => format!("`max_surge = {n}`"),
                Surge::Percent(h) => format!("`max_surge = {}` of {max}, rounded up", format_percent(*h)),
            };
            format!("a rolling update{named} starts new pods before it stops old ones: {max} + {surge} pods ({how})")
        }
        StrategyKind::BlueGreen { .. } => {
            format!("blue/green{named} runs two copies during a rollout: 2 × {max} pods")
        }
        StrategyKind::Canary { .. } => {
            format!("a canary{named} can grow to full size beside the stable copy: 2 × {max} pods")
        }
    }
}

/// The diagnostic for a quota short of one or more resources; `None` when it fits.
fn short(p: &Partner, res: &Resources, q: &Resources, peak: &Peak) -> Option<Diagnostic> {
    let rows = rows(q, peak);
    let short: Vec<&Row> = rows.iter().filter(|r| r.have < r.need).collect();
    let first = short.first()?;
    let needs: Vec<String> =
        short.iter().map(|r| format!("{} {} (the quota allows {})", r.show(r.need), r.words, r.show(r.have))).collect();
    let allows = |r: &Row| format!("allows {}, the peak needs {}", r.show(r.have), r.show(r.need));
    let mut diag = Diagnostic::new(
        Code::QuotaTooSmall,
        first.span,
        format!("the quota of partner `{}` cannot hold its rollout peak: it needs {}", p.name.value, and_list(&needs)),
        allows(first),
    );
    for r in &short[1..] {
        diag = diag.label(r.span, allows(r));
    }
    let (min, max) = p.replicas.value;
    diag = diag.label(p.replicas.span, format!("up to {max} pods, {} during a rollout", peak.pods));
    diag = diag.note(format!("why {} web pods: {}", peak.pods, why_pods(p, peak.pods)));
    let plan = res.plan.as_deref().map(|n| format!(" (plan `{n}`)")).unwrap_or_default();
    let limits = |c: u64, m: u64, rc: u64, rm: u64| {
        if (c, m) == (rc, rm) {
            String::new()
        } else {
            format!(", limits {} and {}", format_cpu(c), format_bytes(m))
        }
    };
    let mut pod = format!(
        "each web pod{plan} requests {} CPU and {} memory{}",
        format_cpu(res.cpu.value),
        format_bytes(res.memory.value),
        limits(res.cpu_limit.value, res.memory_limit.value, res.cpu.value, res.memory.value)
    );
    if peak.proxy {
        let t = PROXY_RESOURCES;
        pod.push_str(&format!(
            "; its Cloud SQL Auth Proxy sidecar adds {} CPU and {} memory{}",
            format_cpu(t.cpu),
            format_bytes(t.memory),
            limits(t.cpu_limit, t.memory_limit, t.cpu, t.memory)
        ));
    }
    diag = diag.note(pod);
    if !peak.services.is_empty() {
        diag = diag.note(format!("the namespace also runs in-cluster {}", and_list(&peak.services)));
    }
    let capping: Vec<&str> = short.iter().filter(|r| r.caps_limits).map(|r| r.field).collect();
    if !capping.is_empty() {
        let limits: Vec<String> = capping.iter().map(|f| format!("`{f}_limit`")).collect();
        let fields: Vec<String> = capping.iter().map(|f| format!("`{f}`")).collect();
        diag = diag.note(format!(
            "the quota gives no {}, so {} {} the limits too, and they are larger than the requests",
            limits.join(" or "),
            and_list(&fields),
            if capping.len() > 1 { "cap" } else { "caps" }
        ));
    }
    for r in &short {
        let services =
            if r.services > 0 { format!(" + {} for the services", r.show(r.services)) } else { String::new() };
        diag = diag.note(format!(
            "{}: {} pods × {}{services} = {}",
            r.words,
            peak.pods,
            r.show(r.per_pod),
            r.show(r.need)
        ));
    }
    // The quota that fits, in the fields the user wrote.
    let fitting: Vec<String> = rows.iter().map(|r| format!("{} = {}", r.field, r.show(r.fitting()))).collect();
    let smaller = match &res.plan {
        Some(n) => format!("a smaller plan than `{n}`"),
        None => format!(
            "a smaller plan than {} CPU and {} memory per pod",
            format_cpu(res.cpu.value),
            format_bytes(res.memory.value)
        ),
    };
    Some(diag.help(format!(
        "raise it to `quota = {{ {} }}`, or lower the replicas (`{min}..{max}`) or use {smaller}; without `quota`, bdc computes one that fits",
        fitting.join(", ")
    )))
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The peak does not fit in 64 bits: refused rather than compared as a wrapped number.
fn overflow(p: &Partner, res: &Resources) -> Diagnostic {
    Diagnostic::new(
        Code::OutOfRange,
        p.replicas.span,
        format!("the rollout peak of partner `{}` is too large to compute", p.name.value),
        "too many pods for the plan",
    )
    .help(format!(
        "lower the replicas (`{}..{}`) or the plan ({} CPU, {} memory per pod)",
        p.replicas.value.0,
        p.replicas.value.1,
        format_cpu(res.cpu.value),
        format_bytes(res.memory.value)
    ))
}
