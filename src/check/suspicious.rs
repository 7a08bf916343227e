//! Legal values that are almost certainly mistakes, field by field (warnings W0405–W0408).
//! Each rule looks at what was written (the unit, or its absence) and the field it was written
//! for, since the checked value alone cannot tell `500` cores from a forgotten `m`.
//!
//! | rule | fields | what |
//! |---|---|---|
//! | W0405 | CPU: plan `cpu`/`cpu_limit`, quota `cpu`/`cpu_limit` | a bare count of cores far beyond a pod (32) or a namespace (1000) |
//! | W0406 | memory: plan and quota memory, redis `memory`; sizes: postgres `size`, partner `storage` | below 16Mi for memory, 1Gi for a volume |
//! | W0407 | durations: `min_ready`, `scale_down_delay`, `soak`, canary step holds | not whole seconds (Kubernetes counts seconds; the rest is dropped) |
//! | W0408 | platform `port` | below 1024, which the restricted, non-root web container cannot bind |

use super::schema::{FieldSchema, Schema, Type};
use super::units::format_bytes;
use super::{Checked, Typed};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::eval::{Value, ValueKind};

/// Above this many cores without a unit, a per-pod CPU amount was surely meant in millicores.
pub const POD_CORES: u64 = 32;
/// The same for a namespace's total.
pub const QUOTA_CORES: u64 = 1000;
/// Below this, a pod's or cache's memory cannot hold a process.
pub const MIN_MEMORY: u64 = 16 << 20;
/// Below this, a volume or database is too small to be meant (clouds refuse under 10–32 GB).
pub const MIN_VOLUME: u64 = 1 << 30;

/// Warns about field `fs` of record `s` written as `written` and checked as `checked`.
pub fn field(s: &Schema, fs: &FieldSchema, written: &Value, checked: &Checked, d: &mut Diagnostics) {
    // A declaration's own fields are named by it ("plan `web`: …", added by the caller);
    // a nested record or variant says which it is ("quota `cpu` …").
    let nested = !matches!(s.name, "platform" | "plan" | "partner" | "release" | "wave" | "target" | "cluster");
    let owner = if nested { format!("{} ", s.name) } else { String::new() };
    let owner = owner.as_str();
    let name = fs.name;
    let unit = match &written.kind {
        ValueKind::Number { unit, .. } => Some(unit.as_deref()),
        _ => None,
    };
    match (&fs.ty, &checked.value) {
        (Type::Cpu, Typed::Cpu(millis)) if unit == Some(None) => {
            let cores = millis / 1000;
            let limit = if s.name == "quota" { QUOTA_CORES } else { POD_CORES };
            if cores >= limit && millis % 1000 == 0 {
                let per = if s.name == "quota" { "in total" } else { "per pod" };
                d.push(
                    Diagnostic::new(
                        Code::BareCpuCount,
                        checked.span,
                        format!("{owner}`{name} = {cores}` asks for {cores} CPU cores {per}"),
                        "a count of cores: no unit",
                    )
                    .suggest(checked.span, format!("{cores}m"))
                    .note(format!(
                        "`{cores}m` is {} cores; a number without a unit counts whole cores (write `{millis}m` to mean {cores} cores without this warning)",
                        cores as f64 / 1000.0
                    )),
                );
            }
        }
        (Type::Memory, Typed::Memory(bytes)) => {
            let volume = matches!((s.name, name), ("postgres", "size") | ("partner", "storage"));
            let min = if volume { MIN_VOLUME } else { MIN_MEMORY };
            if *bytes < min {
                let text = format_bytes(*bytes);
                let meant = match unit.flatten() {
                    Some("Ki" | "k" | "K") if volume => "`Gi`",
                    Some("Ki" | "k" | "K") => "`Mi`",
                    Some("Mi" | "M") if volume => "`Gi`",
                    _ => "a larger size",
                };
                d.push(
                    Diagnostic::new(
                        Code::TinySize,
                        checked.span,
                        format!("{owner}`{name} = {text}` is only {}", plain_bytes(*bytes)),
                        if volume { "too small for a volume" } else { "too little memory for a process" },
                    )
                    .help(format!("check the unit: {meant} was probably meant"))
                    .note(format!("the smallest size that is plausibly meant is {}", format_bytes(min))),
                );
            }
        }
        (Type::Duration, Typed::Duration(ms)) => sub_second(owner, name, *ms, checked, d),
        (Type::List(Type::Step), Typed::List(steps)) => {
            for step in steps {
                if let Typed::Step { hold_ms, .. } = step.value {
                    sub_second(owner, "steps", hold_ms, step, d);
                }
            }
        }
        (Type::Int { .. }, Typed::Int(port)) if s.name == "platform" && name == "port" && *port < 1024 => {
            d.push(
                Diagnostic::new(
                    Code::PrivilegedPort,
                    checked.span,
                    format!("`port = {port}` is a privileged port"),
                    "below 1024",
                )
                .help(format!("let the web container listen on a high port, e.g. `port = {}`", 8000 + port))
                .note("web pods run as non-root with every capability dropped, so the server cannot bind a port below 1024; the Service still exposes 80 and 443"),
            );
        }
        _ => {}
    }
}

/// W0407: a duration Kubernetes or Argo Rollouts counts in whole seconds.
fn sub_second(owner: &str, name: &str, ms: u64, at: &Checked, d: &mut Diagnostics) {
    if ms.is_multiple_of(1000) {
        return;
    }
    let seconds = ms / 1000;
    d.push(
        Diagnostic::new(
            Code::SubSecondDuration,
            at.span,
            format!("{owner}`{name}` holds {ms}ms, which becomes {seconds}s"),
            "not a whole number of seconds",
        )
        .help(if ms < 1000 {
            "`ms` is milliseconds: write the seconds (`s`) or minutes (`m`) that were meant".to_string()
        } else {
            format!("write whole seconds, e.g. `{}s`", seconds.max(1))
        })
        .note("the cluster counts this in whole seconds and drops the rest"),
    );
}

/// "512 bytes", "500 kilobytes": what a tiny size is, in words.
fn plain_bytes(bytes: u64) -> String {
    match bytes {
        b if b < 1 << 10 => format!("{b} bytes"),
        b if b < 1 << 20 => format!("{} kilobytes", b >> 10),
        b => format!("{} megabytes", b >> 20),
    }
}
