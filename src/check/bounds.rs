//! Upper bounds on quantities: a CPU, memory, storage, duration or pod count beyond what any
//! cluster could provide is an error naming the field and its declaration, and the value is
//! dropped (read as invalid), so nothing downstream computes with it. The maxima live in
//! [`super::units`]; they keep every capacity sum inside 64 bits.

use super::schema::Type;
use super::units::{self, TooLarge};
use super::{Checked, Typed};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::resolve::{DeclId, Program};

/// Where a value sits: its field, the record type holding it, and the declaration (named only
/// when something is reported, so checking a clean spec formats nothing).
pub(super) struct Place<'a> {
    pub field: &'a str,
    pub record: &'a str,
    pub origin: Option<DeclId>,
    pub program: &'a Program,
}

impl Place<'_> {
    /// "partner `site`", "plan `small`": the declaration the value belongs to.
    fn owner(&self) -> String {
        match self.origin {
            Some(id) => format!("{} `{}`", self.program.kind(id).keyword(), self.program.decl(id).name.name),
            None => "the spec".to_string(),
        }
    }
}

/// Reports and invalidates every part of `c` above its type's maximum.
pub(super) fn within(c: &mut Checked, ty: &Type, at: &Place, d: &mut Diagnostics) {
    let result = match (ty, &mut c.value) {
        (Type::Cpu, Typed::Cpu(v)) => units::cpu_bounded(*v),
        (Type::Memory, Typed::Memory(v)) => units::memory_bounded(*v),
        (Type::Duration, Typed::Duration(v)) => units::duration_bounded(*v),
        (Type::Step, Typed::Step { hold_ms, .. }) => units::duration_bounded(*hold_ms),
        (Type::Range, Typed::Range(lo, hi)) => units::count_bounded(*hi).and(units::count_bounded(*lo)),
        (Type::IntOrPercent, Typed::Int(n)) => units::count_bounded(*n),
        (Type::List(item), Typed::List(items)) => {
            items.iter_mut().for_each(|i| within(i, item, at, d));
            Ok(())
        }
        (Type::Map(item), Typed::Map(entries)) => {
            entries.values_mut().for_each(|v| within(v, item, at, d));
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        d.push(diagnostic(&e, at, c));
        c.value = Typed::Invalid;
    }
}

fn diagnostic(e: &TooLarge, at: &Place, c: &Checked) -> Diagnostic {
    let owner = at.owner();
    let field = if owner.starts_with(&format!("{} ", at.record)) {
        format!("`{}`", at.field)
    } else {
        format!("`{}` in {}", at.field, at.record)
    };
    let help = match e.what {
        "CPU" if !e.found.ends_with('m') => format!(
            "write at most `{}` (cores): `{} = {}` asks for {} cores; if you meant millicores, write `{}m`",
            e.max, at.field, e.found, e.found, e.found
        ),
        "CPU" => {
            format!("write at most `{}` (cores): `{} = {}` is more than any cluster has", e.max, at.field, e.found)
        }
        "memory or storage size" => {
            format!("write at most `{}`: `{} = {}` is more than any node or cloud volume has", e.max, at.field, e.found)
        }
        "duration" => format!("write at most `{}`: `{}` is longer than Kubernetes can wait", e.max, e.found),
        _ => format!("write at most {}: `{}` is more pods than the largest clusters run", e.max, e.found),
    };
    Diagnostic::new(
        Code::OutOfRange,
        c.span,
        format!("{field} of {owner} is {}, above the largest {} bdc accepts ({})", e.found, e.what, e.max),
        format!("above {}", e.max),
    )
    .help(help)
}
