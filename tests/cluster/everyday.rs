//! The conventions of issue 15 on a real cluster: `--kubeconfig` instead of KUBECONFIG, and
//! the JSON of `bdc diff -o json` (a change list) and `bdc rollout status -o json`.

use super::harness::{cleaned_up, kubeconfig, scratch};
use std::path::Path;
use std::process::Command;

/// `bdc ARGS DIR --kubeconfig KC`, with KUBECONFIG naming a file that does not exist (so only
/// the flag can lead to the cluster): (exit code, stdout, stderr).
fn bdc(kc: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(args)
        .arg(dir)
        .args(["--kubeconfig", kc])
        .env("KUBECONFIG", dir.join("no-such-kubeconfig"))
        .env("NO_COLOR", "1")
        .output()
        .expect("bdc runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[tokio::test(flavor = "multi_thread")]
async fn kubeconfig_flag_and_json_of_diff_and_status() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("ev");
    let write = |text: String| std::fs::write(dir.join("fleet.bdot"), text).expect("write spec");
    let body = async {
        write(super::spec(&prefix, "1..1", false));
        let (code, out, err) = bdc(&kc, &dir, &["diff", "-o", "json"]);
        assert_eq!(code, 1, "everything is new: {out}{err}");
        let list: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
        assert_eq!(list["differs"], true);
        let changes = list["changes"].as_array().expect("changes");
        assert!(changes.iter().all(|c| c["action"] == "create" && c["partner"] == "beta"), "{list:#}");
        let deployment = changes.iter().find(|c| c["kind"] == "Deployment").expect("a Deployment");
        assert_eq!(deployment["namespace"], format!("{prefix}beta"));
        assert_eq!(deployment["name"], "beta");
        assert!(deployment["diff"].as_str().is_some_and(|d| d.starts_with("--- (absent)")), "{deployment}");
        assert!(deployment["cluster"].as_str().is_some_and(|c| c.contains("https://127.0.0.1")), "{deployment}");
        assert!(deployment["refused"].is_null());
        let (code, _, err) = bdc(&kc, &dir, &["apply"]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = bdc(&kc, &dir, &["diff", "-o", "json"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).expect("JSON"),
            serde_json::json!({"differs": false, "changes": []})
        );
        write(super::spec(&prefix, "2..2", false));
        let (code, out, _) = bdc(&kc, &dir, &["diff", "--output", "json"]);
        assert_eq!(code, 1);
        let list: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let changes = list["changes"].as_array().expect("changes");
        let updated: Vec<&serde_json::Value> = changes.iter().filter(|c| c["action"] == "update").collect();
        assert!(!updated.is_empty() && updated.len() == changes.len(), "{list:#}");
        assert!(updated.iter().any(|c| c["diff"].as_str().is_some_and(|d| d.contains("+  replicas: 2"))), "{list:#}");
        let (code, out, err) = bdc(&kc, &dir, &["rollout", "status", "-o", "json"]);
        assert_eq!(code, 0, "{err}");
        let status: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let rows = status["partners"].as_array().expect("partners");
        assert_eq!(rows.len(), 1, "{status:#}");
        let row = &rows[0];
        assert_eq!((row["partner"].as_str(), row["release"].as_str()), (Some("beta"), Some("1.0.0")), "{row}");
        assert_eq!(row["state"], "applied");
        assert!(row["from"].is_null() && row["history"].as_array().is_some_and(|h| !h.is_empty()), "{row}");
        for key in ["cluster", "phase", "train", "live", "health"] {
            assert!(row.get(key).is_some(), "{key}: {row}");
        }
    };
    cleaned_up(&kc, &prefix, &["beta"], &dir, body).await;
}
