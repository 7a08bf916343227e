//! A failure on one partner does not silently skip the partners after it (defect 6 of
//! issue 13): `bdc apply` applies the independent partners anyway and names the one that
//! failed; `--fail-fast` stops at it and names those it did not apply.

use super::harness::{bdc, cleaned_up, client, kubeconfig, scratch};
use super::kubelet::{Fault, Kubelet};

/// `first` follows the beta channel, whose image crash-loops; `second` and `third` follow
/// stable.
fn fleet(prefix: &str) -> String {
    let platform = super::harness::platform(prefix, Some("1..1"));
    format!(
        r#"{platform}release "1.0.0" {{ image = "pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097", channel = stable }}
release "1.1.0" {{ image = "crashy@sha256:1111111111111111111111111111111111111111111111111111111111111111", channel = beta }}
partner "first" {{ domains = ["first.bdc-it.example"], follows = beta }}
partner "second" {{ domains = ["second.bdc-it.example"], follows = stable }}
partner "third" {{ domains = ["third.bdc-it.example"], follows = stable }}
"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_partner_does_not_skip_the_partners_after_it() {
    let Some(kc) = kubeconfig() else { return };
    let (prefix, dir) = scratch("pf");
    let kubelet = Kubelet::start(client(&kc).await, &prefix);
    kubelet.fail("crashy@", Fault::CrashLoop);
    std::fs::write(dir.join("fleet.bdot"), fleet(&prefix)).expect("write spec");
    let body = async {
        let (code, _, err) = bdc(
            &kc,
            &dir,
            &["apply", "--wait", "--timeout", "1m", "--fail-fast", "--partner", "first", "--partner", "third"],
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("partner `first`") && err.contains("CrashLoopBackOff"), "{err}");
        assert!(err.contains("not applied (--fail-fast stopped at the first failure): `third`"), "{err}");
        assert!(!err.contains(&format!("created  Deployment {prefix}third/third")), "{err}");

        let (code, _, err) = bdc(&kc, &dir, &["apply", "--wait", "--timeout", "1m"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("partner `first`") && err.contains("CrashLoopBackOff"), "{err}");
        for later in ["second", "third"] {
            assert!(err.contains(&format!("{later}: Deployment {prefix}{later}/{later} ready")), "{later}: {err}");
        }
        let (_, out, _) = bdc(&kc, &dir, &["rollout", "status"]);
        for later in ["second", "third"] {
            let row = out.lines().find(|l| l.starts_with(&format!("{later}\t"))).expect("a row");
            assert!(row.contains("healthy"), "{row}");
        }
    };
    cleaned_up(&kc, &prefix, &["first", "second", "third"], &dir, body).await;
}
