//! Every example, the starter spec and the standard library check clean.

use super::support::{bdot_files, compile_paths, compile_text, rendered, root};
use std::path::PathBuf;

fn example_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn examples_check_clean() {
    let dirs = example_dirs();
    assert!(dirs.len() >= 2, "expected at least mediasphere and minimal");
    for dir in dirs {
        let files: Vec<PathBuf> =
            bdot_files(&dir).into_iter().map(|f| f.strip_prefix(root()).expect("under root").to_path_buf()).collect();
        assert!(!files.is_empty(), "{} has no .bdot files", dir.display());
        assert!(dir.join("README.md").exists(), "{} has no README.md", dir.display());
        // Each is a project of its own (docs/editors.md): the marker is there and valid.
        let marker = std::fs::read_to_string(dir.join("bdc.toml")).expect("every example has a bdc.toml");
        assert!(bdc::project::parse(dir.join("bdc.toml"), marker).is_ok(), "{}", dir.display());
        let c = compile_paths(&files);
        assert!(c.diagnostics.is_empty(), "{}:\n{}", dir.display(), rendered(&c));
        assert!(!c.fleet.partners.is_empty());
    }
}

#[test]
fn mediasphere_has_what_the_brief_describes() {
    let files: Vec<PathBuf> = bdot_files(&root().join("examples/mediasphere"))
        .into_iter()
        .map(|f| f.strip_prefix(root()).expect("under root").to_path_buf())
        .collect();
    let c = compile_paths(&files);
    let fleet = &c.fleet;
    assert_eq!(fleet.partners.len(), 4);
    let channels: Vec<&str> = fleet.releases.iter().map(|r| r.channel.value.as_str()).collect();
    assert_eq!(channels, ["stable", "stable", "beta"]);
    assert_eq!(fleet.releases[1].waves.iter().map(|w| w.value.as_str()).collect::<Vec<_>>(), ["pilot", "everyone"]);
    let platform = fleet.platform.as_ref().expect("a platform");
    assert_eq!(platform.default_target, "gke");
    use bdc::model::StrategyKind::*;
    let kinds: Vec<&str> = fleet
        .partners
        .iter()
        .map(|p| match p.strategy.kind {
            Rolling { .. } => "rolling",
            BlueGreen { .. } => "blue_green",
            Canary { .. } => "canary",
        })
        .collect();
    for kind in ["rolling", "blue_green", "canary"] {
        assert!(kinds.contains(&kind), "no partner uses {kind}: {kinds:?}");
    }
    // `plans.medium with { memory = 2Gi }`: the override wins, the rest comes from the plan.
    let a = fleet.partners.iter().find(|p| p.name.value == "newsroom-a").expect("newsroom-a");
    let r = a.resources.as_ref().expect("resources");
    assert_eq!(
        (r.plan.as_deref(), r.cpu.value, r.memory.value, r.memory_limit.value),
        (Some("medium"), 500, 2 << 30, 2 << 30)
    );
    assert_eq!(c.sources.get(r.cpu.span.file).name, "std/plans");
    // A partner without a plan gets the platform's.
    let city = fleet.partners.iter().find(|p| p.name.value == "cityherald").expect("cityherald");
    assert_eq!(city.resources.as_ref().and_then(|r| r.plan.as_deref()), Some("small"));
}

#[test]
fn starter_spec_checks_clean() {
    let c = compile_text(include_str!("../src/cli/starter.bdot"));
    assert!(c.diagnostics.is_empty(), "{}", rendered(&c));
    assert_eq!(c.fleet.partners.len(), 1);
}

#[test]
fn stdlib_checks_clean() {
    for (path, _) in bdc::stdlib::MODULES {
        let c = compile_text(&format!("import \"{path}\"\n"));
        assert!(c.diagnostics.is_empty(), "{path}:\n{}", rendered(&c));
    }
}
