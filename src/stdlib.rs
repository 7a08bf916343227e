//! The standard library: `.bdot` files embedded in the binary, imported as `std/<name>`.

/// Every standard module: its import path and its text.
pub const MODULES: &[(&str, &str)] = &[
    ("std/plans", include_str!("../stdlib/plans.bdot")),
    ("std/strategies", include_str!("../stdlib/strategies.bdot")),
    ("std/targets", include_str!("../stdlib/targets.bdot")),
];

/// The module every program gets without an import: target profiles, which `--target` and
/// `target = eks` name.
pub const PRELUDE: &str = "std/targets";

/// The text of a standard module, by import path.
pub fn get(path: &str) -> Option<&'static str> {
    MODULES.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}
