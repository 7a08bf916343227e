//! Numbers with units, read by the type the field expects. `10m` is ten minutes as a
//! duration and ten millicores as CPU; a unit that fits neither is an error saying what the
//! literal would mean elsewhere.

use crate::ast::Decimal;

/// Why a number does not fit the expected type.
#[derive(Debug, PartialEq)]
pub enum UnitError {
    /// The unit belongs to another kind of quantity (or is missing).
    Wrong { help: String },
    /// Fractional where a whole number is needed, or too large.
    Range(String),
}

/// What a literal with this unit would be, for "found …" in messages.
pub fn describe_unit(unit: Option<&str>) -> &'static str {
    match unit {
        None => "a plain number",
        Some("m") => "minutes or millicores",
        Some("ms" | "s" | "h" | "d") => "a duration",
        Some("Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "k" | "K" | "M" | "G" | "T" | "P") => "a memory size",
        Some("%") => "a percentage",
        Some(_) => "an unknown unit",
    }
}

/// `mantissa × factor / 10^scale` as a whole number, if exact and in range.
fn scaled(d: Decimal, factor: u128) -> Result<u64, UnitError> {
    let div = 10u128.checked_pow(d.scale).ok_or_else(|| UnitError::Range("too many decimal places".into()))?;
    let raw = d.mantissa as u128 * factor;
    if !raw.is_multiple_of(div) {
        return Err(UnitError::Range("is finer than the smallest unit".into()));
    }
    u64::try_from(raw / div).map_err(|_| UnitError::Range("is too large".into()))
}

/// The number as the user wrote it, without its unit (`1.5` for `1.5Gi`).
fn written(d: Decimal) -> String {
    let digits = d.mantissa.to_string();
    let scale = d.scale as usize;
    if scale == 0 {
        return digits;
    }
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = digits.split_at(digits.len() - scale);
    format!("{whole}.{fraction}")
}

/// The help for a number with the wrong unit: the user's own number with the units that fit.
fn wrong(expected: &str, d: Decimal, units: &[(&str, &str)]) -> UnitError {
    let n = written(d);
    let choices: Vec<String> = units
        .iter()
        .map(|(unit, what)| if what.is_empty() { format!("`{n}{unit}`") } else { format!("`{n}{unit}` ({what})") })
        .collect();
    let choices = match choices.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    };
    UnitError::Wrong { help: format!("write {expected} with its unit, such as {choices}") }
}

/// A duration in milliseconds: `500ms`, `30s`, `10m`, `2h`, `1d`.
pub fn duration_ms(d: Decimal, unit: Option<&str>) -> Result<u64, UnitError> {
    let factor = match unit {
        Some("ms") => 1,
        Some("s") => 1_000,
        Some("m") => 60_000,
        Some("h") => 3_600_000,
        Some("d") => 86_400_000,
        _ => return Err(wrong("a duration", d, &[("s", ""), ("m", ""), ("h", "")])),
    };
    scaled(d, factor)
}

/// CPU in millicores: `250m` or `0.5` or `2` (cores).
pub fn cpu_millis(d: Decimal, unit: Option<&str>) -> Result<u64, UnitError> {
    let factor = match unit {
        None => 1_000,
        Some("m") => 1,
        _ => return Err(wrong("CPU", d, &[("m", "millicores"), ("", "cores")])),
    };
    scaled(d, factor)
}

/// Memory in bytes: binary (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`) or decimal (`k`, `M`, `G`, `T`, `P`)
/// suffixes. A bare number is refused: `512` bytes is almost always a missing `Mi`.
pub fn memory_bytes(d: Decimal, unit: Option<&str>) -> Result<u64, UnitError> {
    let factor: u128 = match unit {
        Some("Ki") => 1 << 10,
        Some("Mi") => 1 << 20,
        Some("Gi") => 1 << 30,
        Some("Ti") => 1 << 40,
        Some("Pi") => 1 << 50,
        Some("k" | "K") => 1_000,
        Some("M") => 1_000_000,
        Some("G") => 1_000_000_000,
        Some("T") => 1_000_000_000_000,
        Some("P") => 1_000_000_000_000_000,
        _ => return Err(wrong("a memory size", d, &[("Mi", ""), ("Gi", "")])),
    };
    scaled(d, factor)
}

/// A percentage in hundredths of a percent: `12.5%` is 1250. At most 100%.
pub fn percent_hundredths(d: Decimal, unit: Option<&str>) -> Result<u32, UnitError> {
    if unit != Some("%") {
        return Err(wrong("a percentage", d, &[("%", "")]));
    }
    let v = scaled(d, 100)?;
    if v > 10_000 {
        return Err(UnitError::Range("is above 100%".into()));
    }
    Ok(v as u32)
}

/// A whole number without a unit.
pub fn integer(d: Decimal, unit: Option<&str>) -> Result<i64, UnitError> {
    if unit.is_some() {
        return Err(UnitError::Wrong { help: "write a plain whole number, without a unit".into() });
    }
    let v = scaled(d, 1).map_err(|_| UnitError::Range("is not a whole number".into()))?;
    i64::try_from(v).map_err(|_| UnitError::Range("is too large".into()))
}

/// The largest CPU bdc accepts anywhere (a plan, a quota): 100,000 cores, in millicores. No
/// node comes near it; a larger value is a unit slip (`cpu = 500000` for `500000m`).
pub const MAX_CPU_MILLIS: u64 = 100_000 * 1_000;
/// The largest memory or storage: 64Ti, the largest volume the clouds offer and far beyond any
/// node's memory. Bounds keep every capacity sum (`model::capacity`) well inside 64 bits.
pub const MAX_MEMORY_BYTES: u64 = 64 << 40;
/// The longest duration: 365 days (Kubernetes holds durations as 32-bit seconds).
pub const MAX_DURATION_MS: u64 = 365 * 86_400_000;
/// The largest pod count (replicas, a surge): 100,000, the size of the largest clusters.
pub const MAX_COUNT: i64 = 100_000;

/// A value above its type's maximum: what it is and what the maximum is, both formatted.
#[derive(Debug, PartialEq)]
pub struct TooLarge {
    pub found: String,
    pub max: String,
    /// What kind of quantity it is, for the message (`CPU`, `duration`, …).
    pub what: &'static str,
}

fn over(value: u64, max: u64, what: &'static str, fmt: fn(u64) -> String) -> Result<(), TooLarge> {
    if value > max {
        Err(TooLarge { found: fmt(value), max: fmt(max), what })
    } else {
        Ok(())
    }
}

/// CPU (millicores) within [`MAX_CPU_MILLIS`].
pub fn cpu_bounded(millis: u64) -> Result<(), TooLarge> {
    over(millis, MAX_CPU_MILLIS, "CPU", format_cpu)
}

/// Memory or storage (bytes) within [`MAX_MEMORY_BYTES`].
pub fn memory_bounded(bytes: u64) -> Result<(), TooLarge> {
    over(bytes, MAX_MEMORY_BYTES, "memory or storage size", format_bytes)
}

/// A duration (milliseconds) within [`MAX_DURATION_MS`].
pub fn duration_bounded(ms: u64) -> Result<(), TooLarge> {
    over(ms, MAX_DURATION_MS, "duration", format_duration)
}

/// A pod count within [`MAX_COUNT`].
pub fn count_bounded(n: i64) -> Result<(), TooLarge> {
    over(n.max(0) as u64, MAX_COUNT as u64, "pod count", |n| n.to_string())
}

/// Formats bytes the way a person would write them (`2Gi`, `512Mi`, `1500M`).
pub fn format_bytes(bytes: u64) -> String {
    for (suffix, size) in [("Pi", 1u64 << 50), ("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{suffix}", bytes / size);
        }
    }
    for (suffix, size) in [("G", 1_000_000_000u64), ("M", 1_000_000), ("k", 1_000)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

/// Formats millicores as Kubernetes does (`250m`, `2`).
pub fn format_cpu(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

/// Formats a duration compactly (`90s`, `10m`, `2h`).
pub fn format_duration(ms: u64) -> String {
    for (suffix, size) in [("d", 86_400_000u64), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] {
        if ms >= size && ms.is_multiple_of(size) {
            return format!("{}{suffix}", ms / size);
        }
    }
    format!("{ms}ms")
}

/// Formats hundredths of a percent (`12.5%`, `10%`).
pub fn format_percent(h: u32) -> String {
    if h.is_multiple_of(100) {
        format!("{}%", h / 100)
    } else {
        format!("{}%", h as f64 / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(mantissa: u64, scale: u32) -> Decimal {
        Decimal { mantissa, scale }
    }

    #[test]
    fn the_same_suffix_means_what_the_type_says() {
        assert_eq!(duration_ms(dec(10, 0), Some("m")), Ok(600_000));
        assert_eq!(cpu_millis(dec(10, 0), Some("m")), Ok(10));
        assert!(matches!(memory_bytes(dec(10, 0), Some("m")), Err(UnitError::Wrong { .. })));
    }

    #[test]
    fn a_wrong_unit_is_answered_with_the_number_written() {
        let help = |r: Result<u64, UnitError>| match r {
            Err(UnitError::Wrong { help }) => help,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            help(memory_bytes(dec(512, 0), None)),
            "write a memory size with its unit, such as `512Mi` or `512Gi`"
        );
        assert_eq!(
            help(memory_bytes(dec(5, 2), Some("m"))),
            "write a memory size with its unit, such as `0.05Mi` or `0.05Gi`"
        );
        assert_eq!(
            help(cpu_millis(dec(15, 1), Some("Gi"))),
            "write CPU with its unit, such as `1.5m` (millicores) or `1.5` (cores)"
        );
        assert_eq!(
            help(duration_ms(dec(30, 0), None)),
            "write a duration with its unit, such as `30s`, `30m` or `30h`"
        );
    }

    #[test]
    fn fractions_are_exact() {
        assert_eq!(memory_bytes(dec(15, 1), Some("Gi")), Ok(3 << 29));
        assert_eq!(cpu_millis(dec(5, 1), None), Ok(500));
        assert_eq!(percent_hundredths(dec(125, 1), Some("%")), Ok(1250));
        assert!(matches!(cpu_millis(dec(1, 4), None), Err(UnitError::Range(_))));
    }

    #[test]
    fn bare_numbers_are_refused_where_a_unit_is_needed() {
        assert!(memory_bytes(dec(512, 0), None).is_err());
        assert!(duration_ms(dec(30, 0), None).is_err());
        assert!(percent_hundredths(dec(10, 0), None).is_err());
        assert!(percent_hundredths(dec(101, 0), Some("%")).is_err());
    }

    #[test]
    fn values_beyond_the_maxima_are_refused() {
        assert_eq!(cpu_bounded(MAX_CPU_MILLIS), Ok(()));
        let e = cpu_bounded(cpu_millis(dec(500_000, 0), None).expect("reads")).expect_err("too large");
        assert_eq!((e.found.as_str(), e.max.as_str()), ("500000", "100000"));
        assert_eq!(memory_bounded(64 << 40), Ok(()));
        assert_eq!(memory_bounded(memory_bytes(dec(1, 0), Some("Pi")).expect("reads")).expect_err("big").max, "64Ti");
        assert!(duration_bounded(duration_ms(dec(366, 0), Some("d")).expect("reads")).is_err());
        assert!(count_bounded(100_001).is_err() && count_bounded(100_000).is_ok());
        // The maxima keep the largest peak (two copies of the most pods) inside 64 bits.
        let peak = 2 * MAX_COUNT as u64;
        assert!(MAX_MEMORY_BYTES.checked_mul(peak).is_some() && MAX_CPU_MILLIS.checked_mul(peak).is_some());
    }

    #[test]
    fn formatting_round_trips_common_values() {
        assert_eq!(format_bytes(2 << 30), "2Gi");
        assert_eq!(format_cpu(250), "250m");
        assert_eq!(format_cpu(2000), "2");
        assert_eq!(format_duration(600_000), "10m");
        assert_eq!(format_percent(1250), "12.5%");
    }
}
