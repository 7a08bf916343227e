//! Progress output and records on a real cluster (defect 8 of issue 13): during holds an
//! object's state is printed when it changes, not on every look; the train column of
//! `bdc rollout status` follows a later plain `bdc apply` that moved the partner on.

use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use super::kubelet::Kubelet;
use std::collections::HashMap;

fn fleet(prefix: &str, releases: &[(&str, bool)]) -> String {
    let platform = super::harness::platform(prefix, Some("1..1"));
    let mut s = format!(
        r#"{platform}wave only {{}}
strategy held = canary {{ steps = [50% for 5s] }}
partner "held" {{ domains = ["held.bdc-it.example"], follows = stable, strategy = held }}
"#
    );
    for (version, waves) in releases {
        let waves = if *waves { ", waves = [only]" } else { "" };
        s.push_str(&format!(
            "release \"{version}\" {{ image = \"pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097\", channel = stable{waves} }}\n"
        ));
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn progress_prints_changes_only_and_the_train_column_follows_apply() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("pg");
    let _kubelet = Kubelet::start(client(&kc).await, &prefix);
    let write =
        |releases: &[(&str, bool)]| std::fs::write(dir.join("fleet.bdot"), fleet(&prefix, releases)).expect("spec");
    let body = async {
        write(&[("1.0.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 0, "{err}");
        write(&[("1.0.0", false), ("1.1.0", true)]);
        let (code, _, err) = bdc(&kc, &dir, &["rollout", "start", "--release", "1.1.0", "--timeout", "1m"]);
        assert!(code == 0 && err.contains("holding 5s"), "{err}");
        // Per object, no state is printed twice in a row.
        let mut last: HashMap<String, String> = HashMap::new();
        for line in err.lines().filter_map(|l| l.trim().strip_prefix("held: ")) {
            let Some((object, state)) =
                ["ready", "progressing", "paused", "failed"].iter().find_map(|s| line.split_once(&format!(" {s}")))
            else {
                continue;
            };
            let again = last.insert(object.to_string(), state.to_string()) == Some(state.to_string());
            assert!(!again, "`{line}` repeated:\n{err}");
        }
        let (_, out, _) = bdc(&kc, &dir, &["rollout", "status"]);
        assert!(out.contains("\t1.1.0/only\t"), "{out}");

        write(&[("1.0.0", false), ("1.1.0", true), ("1.2.0", false)]);
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        let (_, out, _) = bdc(&kc, &dir, &["rollout", "status"]);
        let row = out.lines().find(|l| l.starts_with("held\t")).expect("row");
        assert!(row.contains("1.1.0 → 1.2.0") && !row.contains("1.1.0/only"), "{row}");
    };
    cleaned_up(&kc, &prefix, &["held"], &dir, body).await;
}
