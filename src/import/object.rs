//! One source object as import reads it (a YAML document, untyped: input comes from many
//! tools and versions, and a field import does not know is reported, not refused), with
//! accessors by path, and the quantity readers (`0.5` = `500m`, `1Gi` = `1024Mi`).

use crate::source::Span;
use serde_json::Value;

/// A Kubernetes object from the input.
#[derive(Clone, Debug)]
pub struct Obj {
    pub kind: String,
    pub api_version: String,
    pub name: String,
    pub namespace: Option<String>,
    pub body: Value,
    /// The `kind:` line of its document.
    pub span: Span,
    /// `file:line`, for the report.
    pub origin: String,
}

impl Obj {
    /// `Kind namespace/name` (or `Kind name`), how the report names it.
    pub fn id(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    pub fn at(&self, path: &[&str]) -> Option<&Value> {
        at(&self.body, path)
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.at(&["metadata", "labels", key]).and_then(Value::as_str)
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.at(&["metadata", "annotations", key]).and_then(Value::as_str)
    }

    /// The pod template of a workload.
    pub fn pod(&self) -> Option<&Value> {
        self.at(&["spec", "template", "spec"])
    }

    /// Containers of a workload's pod.
    pub fn containers(&self) -> Vec<&Value> {
        self.pod()
            .and_then(|p| p.get("containers"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    }

    /// The first container's image.
    pub fn image(&self) -> Option<&str> {
        self.containers().first().and_then(|c| c.get("image")).and_then(Value::as_str)
    }
}

pub fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, key| v.get(*key))
}

pub fn str_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v str> {
    at(value, path).and_then(Value::as_str)
}

/// A Kubernetes quantity as text, whether written as a string or a number.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits `1.5Gi` into its decimal digits (mantissa, scale) and suffix.
fn split(q: &str) -> Option<(crate::ast::Decimal, &str)> {
    let end = q.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(q.len());
    let (number, suffix) = q.split_at(end);
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let digits = format!("{whole}{frac}");
    let mantissa = digits.parse::<u64>().ok()?;
    Some((crate::ast::Decimal { mantissa, scale: frac.len() as u32 }, suffix))
}

/// CPU in millicores: `500m`, `0.5`, `1`.
pub fn cpu_millis(value: &Value) -> Option<u64> {
    let t = text(value)?;
    let (d, suffix) = split(&t)?;
    let unit = if suffix.is_empty() { None } else { Some(suffix) };
    crate::check::units::cpu_millis(d, unit).ok()
}

/// Memory in bytes: `1Gi`, `1024Mi`, `1G`, or a plain number of bytes.
pub fn memory_bytes(value: &Value) -> Option<u64> {
    let t = text(value)?;
    let (d, suffix) = split(&t)?;
    if suffix.is_empty() {
        return crate::check::units::integer(d, None).ok().and_then(|n| u64::try_from(n).ok());
    }
    crate::check::units::memory_bytes(d, Some(suffix)).ok()
}

/// Memory as bdc writes it; sizes that no suffix divides are rounded up to whole KiB.
pub fn format_memory(bytes: u64) -> String {
    let out = crate::check::units::format_bytes(bytes);
    if out.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}Ki", bytes.div_ceil(1024))
    } else {
        out
    }
}

/// Seconds (a number or a string like `30s`) in milliseconds.
pub fn seconds_ms(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().map(|s| s * 1000),
        Value::String(s) => {
            let (d, suffix) = split(s.trim())?;
            crate::check::units::duration_ms(d, Some(if suffix.is_empty() { "s" } else { suffix })).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_normalise() {
        assert_eq!(cpu_millis(&json!("500m")), Some(500));
        assert_eq!(cpu_millis(&json!(0.5)), Some(500));
        assert_eq!(cpu_millis(&json!("0.5")), Some(500));
        assert_eq!(cpu_millis(&json!(2)), Some(2000));
        assert_eq!(memory_bytes(&json!("1Gi")), memory_bytes(&json!("1024Mi")));
        assert_eq!(memory_bytes(&json!(1073741824)), Some(1 << 30));
        assert_eq!(memory_bytes(&json!("1.5Gi")), Some(3 << 29));
        assert_eq!(format_memory(858_993_459), "838861Ki");
        assert_eq!(format_memory(1 << 30), "1Gi");
        assert_eq!(seconds_ms(&json!("10m")), Some(600_000));
        assert_eq!(seconds_ms(&json!(30)), Some(30_000));
        assert_eq!(cpu_millis(&json!("lots")), None);
    }
}
