//! GitOps trees (`emit --out DIR` on a platform with `gitops { … }`): the tree of the example for
//! Argo CD and for Flux (snapshots), every engine object against the CRDs kept in
//! `tests/data/gitops`, data and namespaces protected, `emit --check` exit codes, a partial emit
//! leaving the other partners' files byte-identical, a release changing only the files of what
//! runs it, and partners that left the spec removed only with `--remove-departed`.

use super::support::{root, text};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("gitops-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The mediasphere example handed to `engine`, copied into `dir/spec`.
pub fn example_spec(dir: &Path, engine: &str) -> PathBuf {
    let spec = dir.join("spec");
    std::fs::create_dir_all(&spec).expect("spec directory");
    for entry in std::fs::read_dir(root().join("examples/mediasphere")).expect("example") {
        let entry = entry.expect("entry");
        let mut text = std::fs::read_to_string(entry.path()).expect("read");
        if entry.file_name() == "platform.bdot" {
            let gitops = match engine {
                "argocd" => "  gitops {\n    engine = argocd\n    repo   = \"https://git.example.com/mediasphere/fleet.git\"\n    path   = \"deploy\"\n  }\n",
                _ => "  gitops {\n    engine = flux\n    path   = \"deploy\"\n  }\n",
            };
            text = text.replacen("platform bluedot {\n", &format!("platform bluedot {{\n{gitops}"), 1);
            assert!(text.contains("gitops {"), "the platform declaration is where the test expects it");
        }
        std::fs::write(spec.join(entry.file_name()), text).expect("write");
    }
    spec
}

fn bdc_at(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("bdc runs")
}

/// Every file of a tree (the marker left out), by relative path.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(at: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(at).expect("readable").map(|e| e.expect("entry")).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name == ".bdc-output" {
                continue;
            }
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            if e.file_type().expect("type").is_dir() {
                walk(&e.path(), &path, out);
            } else {
                out.insert(path, std::fs::read(e.path()).expect("read"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

fn emit(dir: &Path, spec: &Path, extra: &[&str]) -> std::process::Output {
    let spec = spec.to_string_lossy().into_owned();
    let mut args = vec!["emit", spec.as_str(), "--out", "out"];
    args.extend_from_slice(extra);
    bdc_at(dir, &args)
}

/// The tree's listing and its engine files, for a snapshot (the manifests themselves are
/// snapshotted by `emit`).
fn summary(tree: &BTreeMap<String, Vec<u8>>) -> String {
    let mut s = String::from("# files\n");
    for path in tree.keys() {
        s.push_str(&format!("{path}\n"));
    }
    for (path, bytes) in tree {
        let engine = path.starts_with("argocd/") || path.starts_with("flux/");
        let index = path.starts_with("clusters/") && path.matches('/').count() == 2;
        if engine || index {
            s.push_str(&format!("\n# {path}\n{}", text(bytes)));
        }
    }
    s
}

#[test]
fn the_example_as_argo_cd_and_flux_trees() {
    for engine in ["argocd", "flux"] {
        let dir = scratch(&format!("tree-{engine}"));
        let spec = example_spec(&dir, engine);
        let out = emit(&dir, &spec, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        // The example's native canary is one a reconciler would undo: said once, as a warning.
        assert!(text(&out.stderr).contains("W0420"), "{}", text(&out.stderr));
        let tree = files(&dir.join("out"));
        insta::with_settings!({ snapshot_path => root().join("tests/snapshots/gitops"), prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("mediasphere-{engine}"), summary(&tree));
        });
        // Every partner directory and cluster level is a kustomization.
        for (path, _) in tree.iter().filter(|(p, _)| p.starts_with("clusters/")) {
            let dir = Path::new(path).parent().expect("in a directory");
            assert!(tree.contains_key(&format!("{}/kustomization.yaml", dir.display())), "{path}");
        }
        // Data and namespaces are never pruned or deleted by the engine; nothing else is marked.
        let mark = match engine {
            "argocd" => "argocd.argoproj.io/sync-options: Prune=false,Delete=false",
            _ => "kustomize.toolkit.fluxcd.io/prune: disabled",
        };
        let mut protected = 0;
        for (path, bytes) in
            tree.iter().filter(|(p, _)| p.starts_with("clusters/") && !p.ends_with("kustomization.yaml"))
        {
            let name = Path::new(path).file_name().expect("name").to_string_lossy().into_owned();
            let should = bdc::gitops::data_file(&name) || name.contains("-namespace-");
            assert_eq!(text(bytes).contains(mark), should, "{path}");
            protected += usize::from(should);
        }
        assert!(protected > 4, "namespaces and the example's volumes are protected ({protected})");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn validate(paths: &[PathBuf]) -> std::process::Output {
    std::process::Command::new("python3")
        .arg(root().join("tests/data/gitops/validate.py"))
        .args(paths)
        .output()
        .expect("python3 runs")
}

#[test]
fn engine_objects_pass_the_official_crd_schemas() {
    for engine in ["argocd", "flux"] {
        let dir = scratch(&format!("crd-{engine}"));
        let spec = example_spec(&dir, engine);
        let out = emit(&dir, &spec, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let tree = files(&dir.join("out"));
        let objects: Vec<PathBuf> = tree
            .keys()
            .filter(|p| (p.starts_with("argocd/") || p.starts_with("flux/")) && !p.ends_with("kustomization.yaml"))
            .map(|p| dir.join("out").join(p))
            .collect();
        assert!(!objects.is_empty());
        let out = validate(&objects);
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            !said.contains("No module named"),
            "run `.ci/test`, which installs the validator's dependencies:\n{said}"
        );
        assert!(out.status.success(), "{engine} objects fail their CRD schema:\n{said}");
        let kind = if engine == "argocd" { "1 ApplicationSet valid" } else { "Kustomization valid" };
        assert!(said.contains(kind), "{said}");
        // A misspelt field is caught: the check can fail.
        let bad = dir.join("bad.yaml");
        let first = std::fs::read_to_string(&objects[0]).expect("read");
        let broken = first.replacen("prune: true", "prun: true", 1);
        assert_ne!(broken, first);
        std::fs::write(&bad, broken).expect("write");
        assert!(!validate(&[bad]).status.success(), "the validator rejects an unknown field");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn emit_check_says_whether_the_committed_tree_is_current() {
    let dir = scratch("check");
    let spec = example_spec(&dir, "argocd");
    let spec_arg = spec.to_string_lossy().into_owned();
    let out = bdc_at(&dir, &["emit", &spec_arg, "--check", "out"]);
    assert_eq!(out.status.code(), Some(2), "no tree yet: {}", text(&out.stderr));
    assert_eq!(emit(&dir, &spec, &[]).status.code(), Some(0));
    let out = bdc_at(&dir, &["emit", &spec_arg, "--check", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    // A hand edit, a stray file and a missing file are all differences, shown as diffs.
    let ns = files(&dir.join("out")).into_keys().find(|p| p.contains("-namespace-")).expect("a namespace file");
    let edited = dir.join("out").join(&ns);
    let before = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, before.replace("kind: Namespace", "kind: Namespace\n# edited by hand")).expect("write");
    std::fs::write(dir.join("out/clusters/stray.yaml"), "a: 1\n").expect("write");
    std::fs::remove_file(dir.join("out/argocd/kustomization.yaml")).expect("remove");
    let out = bdc_at(&dir, &["emit", &spec_arg, "--check", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(diff.contains(&format!("--- a/{ns}\n+++ b/{ns}\n")), "{diff}");
    assert!(diff.contains("-# edited by hand\n"), "{diff}");
    assert!(diff.contains("--- a/clusters/stray.yaml\n+++ /dev/null\n"), "{diff}");
    assert!(diff.contains("--- /dev/null\n+++ b/argocd/kustomization.yaml\n"), "{diff}");
    assert!(text(&out.stderr).contains("1 changed, 1 to add, 1 to remove"), "{}", text(&out.stderr));
    // Writing the tree again makes it current.
    assert_eq!(emit(&dir, &spec, &[]).status.code(), Some(0));
    assert_eq!(bdc_at(&dir, &["emit", &spec_arg, "--check", "out"]).status.code(), Some(0));
    // Plain bundles (no `gitops`) are checked the same way.
    let example = root().join("examples/mediasphere").to_string_lossy().into_owned();
    assert_eq!(bdc_at(&dir, &["emit", &example, "--out", "plain"]).status.code(), Some(0));
    assert_eq!(bdc_at(&dir, &["emit", &example, "--check", "plain"]).status.code(), Some(0));
    let out = bdc_at(&dir, &["emit", &example, "--check", "out"]);
    assert_eq!(out.status.code(), Some(1), "a GitOps tree is not the plain bundles");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_partial_emit_leaves_the_other_partners_byte_identical() {
    for engine in ["argocd", "flux"] {
        let dir = scratch(&format!("partial-{engine}"));
        let spec = example_spec(&dir, engine);
        assert_eq!(emit(&dir, &spec, &[]).status.code(), Some(0));
        let before = files(&dir.join("out"));
        // Something only the partner's subtree holds: replaced with it.
        std::fs::write(dir.join("out/clusters/seoul/cityherald/stale.yaml"), "old: 1\n").expect("write");
        let out = emit(&dir, &spec, &["--partner", "cityherald"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let after = files(&dir.join("out"));
        assert_eq!(after, before, "{engine}: the partial emit wrote the same tree, its stale file gone");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_release_changes_only_the_files_that_run_it() {
    let dir = scratch("release");
    let spec = example_spec(&dir, "flux");
    assert_eq!(emit(&dir, &spec, &[]).status.code(), Some(0));
    let before = files(&dir.join("out"));
    let releases = spec.join("releases.bdot");
    let mut text_ = std::fs::read_to_string(&releases).expect("read");
    text_.push_str("\nrelease \"2.5.1\" {\n  image   = \"web@sha256:1111111111111111111111111111111111111111111111111111111111111111\"\n  channel = stable\n  waves   = [pilot, everyone]\n}\n");
    std::fs::write(&releases, text_).expect("write");
    let out = emit(&dir, &spec, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after = files(&dir.join("out"));
    let mut changed: Vec<&String> =
        after.keys().chain(before.keys()).filter(|p| after.get(*p) != before.get(*p)).collect();
    changed.sort();
    changed.dedup();
    assert!(!changed.is_empty(), "the release changed nothing");
    for path in &changed {
        let runs = path.contains("-deployment-") || path.contains("-rollout-");
        assert!(runs, "{path} changed, but it does not run the release (changed: {changed:?})");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_partner_that_left_is_removed_only_when_asked() {
    let dir = scratch("departed");
    let spec = example_spec(&dir, "flux");
    assert_eq!(emit(&dir, &spec, &[]).status.code(), Some(0));
    let before = files(&dir.join("out"));
    // sportsline keeps uploads on a volume: its claim's file is reported.
    let partners = spec.join("partners.bdot");
    let text_ = std::fs::read_to_string(&partners).expect("read");
    let start = text_.find("partner \"sportsline\"").expect("the example has sportsline");
    let end = start + text_[start..].find("\n}\n").expect("its end") + 3;
    std::fs::write(&partners, format!("{}{}", &text_[..start], &text_[end..])).expect("write");
    let out = emit(&dir, &spec, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("clusters/seoul/sportsline"), "{said}");
    assert!(said.contains("--remove-departed"), "{said}");
    assert!(said.contains("-persistentvolumeclaim-"), "the volume's file is reported: {said}");
    assert_eq!(files(&dir.join("out")), before, "nothing written");
    // A partial emit refuses too.
    assert_eq!(emit(&dir, &spec, &["--partner", "cityherald"]).status.code(), Some(1));
    let out = emit(&dir, &spec, &["--partner", "cityherald", "--remove-departed"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("removed partner `sportsline`") && said.contains("-persistentvolumeclaim-"), "{said}");
    let after = files(&dir.join("out"));
    assert!(!after.keys().any(|p| p.contains("sportsline")), "its directory and Kustomization are gone");
    let listed = text(&after["flux/seoul/kustomization.yaml"]);
    assert!(!listed.contains("sportsline") && listed.contains("cityherald.yaml"), "{listed}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn shared_cluster_objects_are_the_clusters_not_the_partners() {
    for engine in ["argocd", "flux"] {
        let dir = scratch(&format!("shared-{engine}"));
        let spec = example_spec(&dir, engine);
        // On EKS, a partner with a volume needs the gp3 StorageClass: one object for the cluster.
        let out = emit(&dir, &spec, &["--target", "eks"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let tree = files(&dir.join("out"));
        let classes: Vec<&String> = tree.keys().filter(|p| p.contains("-storageclass-")).collect();
        assert_eq!(classes, ["clusters/seoul/_cluster/00-storageclass-gp3.yaml"], "{engine}");
        assert!(text(&tree["clusters/seoul/kustomization.yaml"]).contains("- _cluster\n"));
        let owner = match engine {
            "argocd" => text(&tree["argocd/applicationset.yaml"]),
            _ => text(&tree["flux/seoul/_cluster.yaml"]),
        };
        assert!(owner.contains("bdc-seoul-cluster-scoped"), "{owner}");
        assert!(owner.contains("deploy/clusters/seoul/_cluster"), "{owner}");
        let engine_files: Vec<PathBuf> = tree
            .keys()
            .filter(|p| (p.starts_with("argocd/") || p.starts_with("flux/")) && !p.ends_with("kustomization.yaml"))
            .map(|p| dir.join("out").join(p))
            .collect();
        let out = validate(&engine_files);
        assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
        // The shared directory is no partner that left the spec.
        let out = emit(&dir, &spec, &["--target", "eks", "--partner", "cityherald"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(files(&dir.join("out")), tree);
        // Shared objects come from the whole spec, also in a partial emit: none left stale (on
        // GKE, the EKS StorageClass is gone; only the target's own secret store is shared).
        let out = emit(&dir, &spec, &["--partner", "cityherald"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let partial = files(&dir.join("out"));
        let shared: Vec<&String> =
            partial.keys().filter(|p| p.contains("/_cluster/") && !p.ends_with("kustomization.yaml")).collect();
        assert_eq!(shared, ["clusters/seoul/_cluster/02-clustersecretstore-bluedot.yaml"], "{engine}");
        assert!(!partial.keys().any(|p| p.contains("storageclass")), "{engine}: {:?}", partial.keys());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `examples/gitops` as committed: two clusters, waves across both, clean of warnings.
#[test]
fn the_gitops_example_tree() {
    let dir = scratch("example");
    let out = emit(&dir, &root().join("examples/gitops"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("W0"), "the example is clean: {}", text(&out.stderr));
    let tree = files(&dir.join("out"));
    insta::with_settings!({ snapshot_path => root().join("tests/snapshots/gitops"), prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("gitops-example", summary(&tree));
    });
    for cluster in ["paris", "frankfurt"] {
        assert!(tree.contains_key(&format!("clusters/{cluster}/kustomization.yaml")), "{cluster}");
    }
    let set = text(&tree["argocd/applicationset.yaml"]);
    let steps = ["values:\n          - first\n", "values:\n          - rest\n"];
    let at: Vec<usize> = steps.iter().map(|s| set.find(s).unwrap_or_else(|| panic!("no step {s}: {set}"))).collect();
    assert!(at[0] < at[1], "waves in train order");
    let claim = tree.iter().find(|(p, _)| p.contains("-persistentvolumeclaim-")).expect("gamma-daily's volume");
    assert!(text(claim.1).contains("Prune=false,Delete=false"));
    let out = validate(&[dir.join("out/argocd/applicationset.yaml")]);
    assert!(out.status.success(), "{}", text(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}
