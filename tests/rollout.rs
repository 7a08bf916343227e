//! `bdc rollout` and `apply --wait`: the pure rules (readiness, phases, records, where a train
//! stands) directly, and the driver end to end against the in-memory API server of
//! `fake_api`, which checks what is sent, in which order, and what is recorded.

use super::fake_api::FakeApi;
use super::support::compile_text;
use bdc::apply::health::{self, Health};
use bdc::apply::moves::{self, Phase, TrainState};
use bdc::apply::record::{Record, State};
use bdc::apply::rollout::{Driver, From, TrainEnd};
use bdc::apply::session::{Cluster, Event, Options};
use bdc::lower::Lowering;
use bdc::model::Backend;
use bdc::Compilation;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

// ---- readiness rules ----------------------------------------------------------------------

fn deployment(generation: i64, status: serde_json::Value) -> serde_json::Value {
    json!({"kind": "Deployment", "metadata": {"generation": generation}, "spec": {"replicas": 3}, "status": status})
}

#[test]
fn deployments_follow_the_rules_of_kubectl_rollout_status() {
    let ready = json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3});
    assert_eq!(health::of(&deployment(2, ready.clone())), Health::Ready);
    let unseen = health::of(&deployment(3, ready));
    assert!(matches!(&unseen, Health::Progressing(w) if w.contains("controller to see")), "{unseen:?}");
    let updating = json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3});
    assert_eq!(health::of(&deployment(2, updating)), Health::Progressing("1 of 3 new replicas updated".into()));
    let old_left = json!({"observedGeneration": 2, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3});
    assert_eq!(health::of(&deployment(2, old_left)), Health::Progressing("1 old replicas pending termination".into()));
    let unavailable = json!({"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2});
    assert_eq!(
        health::of(&deployment(2, unavailable)),
        Health::Progressing("2 of 3 updated replicas available".into())
    );
    let deadline = json!({"observedGeneration": 2, "updatedReplicas": 1, "conditions": [
        {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"web-1\" has timed out progressing."}]});
    assert!(matches!(health::of(&deployment(2, deadline)), Health::Failed(w) if w.contains("progress deadline")));
}

#[test]
fn rollouts_conditions_and_pods_have_their_own_rules() {
    let rollout = |phase: &str, observed: &str| json!({"kind": "Rollout", "metadata": {"generation": 4}, "status": {"phase": phase, "observedGeneration": observed, "message": "CanaryPauseStep", "pauseConditions": [{"reason": "CanaryPauseStep"}]}});
    assert_eq!(health::of(&rollout("Healthy", "4")), Health::Ready);
    assert_eq!(health::of(&rollout("Paused", "4")), Health::Paused("CanaryPauseStep".into()));
    assert!(matches!(health::of(&rollout("Degraded", "4")), Health::Failed(_)));
    assert!(matches!(health::of(&rollout("Healthy", "3")), Health::Progressing(_)), "old generation");
    // Promoted (pause conditions cleared, or a full promotion asked) but not yet acted on.
    let paused = json!({"kind": "Rollout", "metadata": {"generation": 4}, "status": {"phase": "Paused", "observedGeneration": "4",
        "pauseConditions": [{"reason": "BlueGreenPause", "startTime": "2026-01-01T00:00:00Z"}]}});
    assert!(matches!(health::of(&paused), Health::Paused(_)));
    let mut promoted = paused.clone();
    promoted["status"]["pauseConditions"] = serde_json::Value::Null;
    assert!(matches!(health::of(&promoted), Health::Progressing(w) if w.contains("act on the promotion")));
    let mut full = paused.clone();
    full["status"]["promoteFull"] = json!(true);
    assert!(matches!(health::of(&full), Health::Progressing(_)));
    let cert = |status: &str| json!({"kind": "Certificate", "metadata": {"generation": 1}, "status": {"conditions": [{"type": "Ready", "status": status, "reason": "Issuing", "message": "m"}]}});
    assert_eq!(health::of(&cert("True")), Health::Ready);
    assert!(matches!(health::of(&cert("False")), Health::Progressing(_)));
    let stalled = json!({"kind": "X", "metadata": {"generation": 1}, "status": {"conditions": [{"type": "Stalled", "status": "True", "reason": "R", "message": "m"}]}});
    assert!(matches!(health::of(&stalled), Health::Failed(_)));
    let route = json!({"kind": "HTTPRoute", "metadata": {"generation": 1}, "status": {"parents": [{"conditions": [{"type": "Accepted", "status": "False", "reason": "NotAllowedByListeners", "message": "no"}]}]}});
    assert!(matches!(health::of(&route), Health::Failed(w) if w.contains("NotAllowedByListeners")));
    assert!(matches!(
        health::of(&json!({"kind": "PersistentVolumeClaim", "status": {"phase": "Pending"}})),
        Health::Progressing(_)
    ));
    let pods = [json!({"metadata": {"name": "web-1"}, "status": {"containerStatuses": [
        {"name": "web", "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s"}}}]}})];
    assert_eq!(health::stuck_pod(&pods).as_deref(), Some("pod web-1, container web: CrashLoopBackOff: back-off 5m0s"));
    let starting = [
        json!({"metadata": {"name": "web-1"}, "status": {"containerStatuses": [{"name": "web", "state": {"waiting": {"reason": "ContainerCreating"}}}]}}),
    ];
    assert_eq!(health::stuck_pod(&starting), None);
}

#[test]
fn a_pod_waiting_for_a_secret_names_it_so_the_wait_can_look_again() {
    let waiting = |message: &str| {
        [json!({"metadata": {"name": "web-1"}, "status": {"containerStatuses": [
            {"name": "web", "state": {"waiting": {"reason": "CreateContainerConfigError", "message": message}}}]}})]
    };
    let stuck = health::stuck_pod(&waiting("secret \"shop-db-credentials\" not found")).expect("stuck");
    assert_eq!(health::missing_reference(&stuck), Some(("secret", "shop-db-credentials".to_string())));
    let stuck = health::stuck_pod(&waiting("configmap \"shop-env\" not found")).expect("stuck");
    assert_eq!(health::missing_reference(&stuck), Some(("configmap", "shop-env".to_string())));
    // Any other configuration error stays hopeless.
    let stuck = health::stuck_pod(&waiting("couldn't find key password in Secret shop/db")).expect("stuck");
    assert_eq!(health::missing_reference(&stuck), None);
    let crash = [json!({"metadata": {"name": "web-1"}, "status": {"containerStatuses": [
        {"name": "web", "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "secret \"x\" not found"}}}]}})];
    assert_eq!(health::missing_reference(&health::stuck_pod(&crash).expect("stuck")), None);
}

#[test]
fn last_events_are_warnings_about_the_object_oldest_first() {
    let event = |name: &str, kind: &str, when: &str, reason: &str| json!({"type": kind, "involvedObject": {"kind": "Pod", "name": name}, "reason": reason, "message": "m", "lastTimestamp": when});
    let events = [
        event("web-abc", "Warning", "2026-01-01T00:00:02Z", "BackOff"),
        event("web-abc", "Normal", "2026-01-01T00:00:03Z", "Pulling"),
        event("other-x", "Warning", "2026-01-01T00:00:04Z", "Other"),
        event("web-abc", "Warning", "2026-01-01T00:00:01Z", "Failed"),
    ];
    assert_eq!(health::last_events(&events, "web", 5), ["Pod web-abc: Failed: m", "Pod web-abc: BackOff: m"]);
    assert_eq!(health::last_events(&events, "web", 1), ["Pod web-abc: BackOff: m"]);
}

// ---- records and phases -------------------------------------------------------------------

#[test]
fn a_record_reads_back_what_was_written() {
    let mut r = Record::new("2.5.0", 1);
    r.from = Some("2.4.1".into());
    r.phase = "preview".into();
    r.train = Some("2.5.0/pilot".into());
    r.note(State::Paused, "2.5.0: preview");
    let back = Record::from_config_map(&r.to_config_map("bd-a")).expect("a record");
    assert_eq!(back, r);
    assert_eq!(back.running(), "2.5.0");
    assert!(back.moving());
    r.note(State::Aborted, "aborted");
    assert_eq!(r.running(), "2.4.1", "after an abort the old release serves");
}

const FLEET: &str = r#"
platform p {
  registry         = "registry.example.com/p"
  namespace_prefix = "t-"
  default_target   = plain
  default_plan     = { cpu = 100m, memory = 128Mi }
  default_replicas = 2..2
}
target plain {
  provider          = k8s
  routing           = ingress
  ingress_class     = "nginx"
  ingress_namespace = "ingress-nginx"
  certificates      = none
}
target routed {
  provider     = k8s
  routing      = gateway
  gateway      = "infra/public"
  certificates = none
}
strategy bg = blue_green { auto_promote = false, scale_down_delay = 0s }
strategy steps = canary { steps = [25% for 0s, 50% for 0s] }
wave first { partners = ["a"] }
wave rest {}
release "1.0.0" { image = "web:1.0.0", channel = stable }
release "1.1.0" { image = "web:1.1.0", channel = stable, waves = [first, rest] }
partner "a" { domains = ["a.example.com"], follows = stable }
partner "b" { domains = ["b.example.com"], follows = stable, strategy = bg }
partner "c" { domains = ["c.example.com"], follows = stable, strategy = steps, target = routed }
"#;

fn fleet(extra: &str) -> Compilation {
    let c = compile_text(&format!("{FLEET}{extra}"));
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    c
}

#[test]
fn moves_have_one_phase_per_step_of_their_strategy() {
    let c = fleet("");
    let p = |n: &str| c.fleet.partners.iter().find(|p| p.name.value == n).expect("partner");
    let words = |ps: Vec<moves::Planned>| ps.iter().map(|x| (x.phase.word(), x.gate)).collect::<Vec<_>>();
    assert_eq!(words(moves::phases(p("a"), Backend::Native, false)), [("at-rest".to_string(), false)]);
    assert_eq!(
        words(moves::phases(p("b"), Backend::Native, false)),
        [("preview".to_string(), true), ("switched".into(), false), ("at-rest".into(), false)]
    );
    assert_eq!(
        words(moves::phases(p("c"), Backend::Native, false)),
        [("canary-1 (25%)".to_string(), false), ("canary-2 (50%)".into(), false), ("at-rest".into(), false)]
    );
    assert_eq!(
        words(moves::phases(p("b"), Backend::Argo, false)),
        [("at-rest".to_string(), false)],
        "Argo runs the steps"
    );
    assert_eq!(
        words(moves::phases(p("b"), Backend::Native, true)),
        [("at-rest".to_string(), false)],
        "nothing to move from"
    );
    assert_eq!(moves::phases(p("c"), Backend::Native, false)[1].phase, Phase::Canary { step: 1, weight: 5000 });
}

#[test]
fn a_move_resumes_from_its_record() {
    let mut r = Record::new("1.0.0", 0);
    r.note(State::Healthy, "ok");
    let fresh = moves::resume(Some(&r), "1.1.0");
    assert_eq!((fresh.from.as_deref(), fresh.slot, fresh.phase), (Some("1.0.0"), Some(1), None), "the other slot");
    let mut half = r.clone();
    half.release = "1.1.0".into();
    half.from = Some("1.0.0".into());
    half.slot = 1;
    half.phase = "preview".into();
    let again = moves::resume(Some(&half), "1.1.0");
    assert_eq!((again.from.as_deref(), again.slot, again.phase.as_deref()), (Some("1.0.0"), Some(1), Some("preview")));
    half.note(State::Aborted, "aborted");
    let after_abort = moves::resume(Some(&half), "1.1.0");
    assert_eq!((after_abort.from.as_deref(), after_abort.slot), (Some("1.0.0"), Some(1)), "1.0.0 serves from slot 0");
    assert_eq!(moves::resume(None, "1.1.0"), moves::Resume { from: None, slot: None, phase: None });
}

#[test]
fn a_train_stands_at_its_first_unfinished_wave() {
    let c = fleet("");
    let release = c.fleet.releases.iter().find(|r| r.version.value == "1.1.0").expect("release");
    let train = bdc::train::plan(&c.fleet, release);
    let healthy = |v: &str| {
        let mut r = Record::new(v, 0);
        r.note(State::Healthy, "ok");
        r
    };
    let mut records: HashMap<&str, Record> = HashMap::new();
    let state = |records: &HashMap<&str, Record>, retry| moves::train_state(&train, |n| records.get(n), retry);
    assert_eq!(state(&records, false), TrainState::Move { wave: 0, partners: vec!["a".into()] });
    records.insert("a", healthy("1.1.0"));
    assert_eq!(state(&records, false), TrainState::Move { wave: 1, partners: vec!["b".into(), "c".into()] });
    let mut failed = healthy("1.1.0");
    failed.note(State::Failed, "boom");
    records.insert("b", failed);
    assert!(
        matches!(state(&records, false), TrainState::Stopped { wave: 1, ref partner, state: State::Failed, .. } if partner == "b")
    );
    assert_eq!(state(&records, true), TrainState::Move { wave: 1, partners: vec!["b".into(), "c".into()] }, "--retry");
    records.insert("b", healthy("1.1.0"));
    records.insert("c", healthy("1.1.0"));
    assert_eq!(state(&records, false), TrainState::Done);
}

// ---- the driver against the fake API server ------------------------------------------------

struct Run {
    notes: Mutex<Vec<String>>,
}

impl Run {
    fn report(&self) -> impl Fn(Event) + Sync + '_ {
        move |e| {
            if let Event::Note { partner, text } = e {
                self.notes.lock().expect("notes").push(format!("{partner}: {text}"));
            }
        }
    }
}

fn driver<'a, 'f>(lw: &'a Lowering<'f>, client: kube::Client) -> Driver<'a, 'f> {
    let homes = lw.fleet.partners.iter().map(|p| (p.name.value.clone(), (0, None))).collect();
    let opts = Options { poll: Duration::from_millis(5), timeout: Duration::from_secs(5), ..Options::default() };
    Driver { lw, clusters: vec![Cluster { name: "fake".into(), client }], homes, opts, parallel: 2 }
}

fn live_version(fake: &FakeApi, ns: &str, deployment: &str) -> String {
    let d = fake.get(&format!("/apis/apps/v1/namespaces/{ns}/deployments/{deployment}")).expect("deployment exists");
    d.pointer("/spec/template/metadata/labels/app.kubernetes.io~1version").and_then(|v| v.as_str()).unwrap_or("").into()
}

fn service_slot(fake: &FakeApi, ns: &str, name: &str) -> String {
    let s = fake.get(&format!("/api/v1/namespaces/{ns}/services/{name}")).expect("service exists");
    s.pointer("/spec/selector/rollout.bluedot.io~1slot").and_then(|v| v.as_str()).unwrap_or("").into()
}

fn replicas(fake: &FakeApi, ns: &str, deployment: &str) -> i64 {
    let d = fake.get(&format!("/apis/apps/v1/namespaces/{ns}/deployments/{deployment}")).expect("deployment exists");
    d.pointer("/spec/replicas").and_then(|v| v.as_i64()).unwrap_or(-1)
}

/// Puts every partner on 1.0.0 (their first release: straight to rest).
async fn settle_on_first_release(d: &Driver<'_, '_>, run: &Run) {
    let first = d.lw.fleet.releases.iter().find(|r| r.version.value == "1.0.0").expect("1.0.0");
    for p in &d.lw.fleet.partners {
        let rec = d.move_to(p, first, From::Record, true, None, &run.report()).await.expect("first release");
        assert_eq!((rec.phase.as_str(), rec.state), ("at-rest", State::Healthy));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_train_moves_wave_by_wave_through_each_strategy() {
    let c = fleet("");
    let lw = Lowering::new(&c.fleet).expect("platform");
    let (client, fake) = FakeApi::start();
    let d = driver(&lw, client);
    let run = Run { notes: Mutex::new(Vec::new()) };
    settle_on_first_release(&d, &run).await;
    assert_eq!(service_slot(&fake, "t-b", "b"), "blue", "1.0.0 runs in its own slot");
    let release = c.fleet.releases.iter().find(|r| r.version.value == "1.1.0").expect("1.1.0");

    // Wave `first` (a, rolling) is done; in wave `rest`, b (blue/green) stops at its preview.
    let end = d.train(release, false, true, &run.report()).await.expect("train runs");
    assert!(
        matches!(&end, TrainEnd::Stopped { wave, partner, state: State::Paused, phase } if wave == "rest" && partner == "b" && phase == "preview"),
        "{end:?}"
    );
    let notes = run.notes.lock().expect("notes").join("\n");
    let first = notes.find("wave first: a").expect("wave first announced");
    let rest = notes.find("wave rest: b, c").expect("wave rest announced");
    assert!(first < rest && notes[first..rest].contains("a: 1.1.0 → at-rest"), "a moved in wave first:\n{notes}");
    assert!(notes[rest..].contains("b: 1.1.0 → preview") && !notes[..rest].contains("b: 1.1.0"), "{notes}");
    assert_eq!(live_version(&fake, "t-a", "a"), "1.1.0");
    // Blue/green preview: 1.1.0 up in green, traffic still on blue (1.0.0).
    assert_eq!(service_slot(&fake, "t-b", "b"), "blue");
    assert_eq!(service_slot(&fake, "t-b", "b-preview"), "green");
    assert_eq!((live_version(&fake, "t-b", "b-green"), replicas(&fake, "t-b", "b-green")), ("1.1.0".into(), 2));
    assert_eq!((live_version(&fake, "t-b", "b-blue"), replicas(&fake, "t-b", "b-blue")), ("1.0.0".into(), 2));
    // The canary went through its weights on the route and came to rest on 1.1.0.
    let weights: Vec<i64> = fake
        .applied
        .lock()
        .expect("applied")
        .iter()
        .filter(|(path, _)| path.ends_with("/namespaces/t-c/httproutes/c"))
        .filter_map(|(_, body)| body.pointer("/spec/rules/0/backendRefs/1/weight").and_then(|w| w.as_i64()))
        .collect();
    assert_eq!(weights, [0, 25, 50, 0], "rest at 1.0.0, two steps, rest at 1.1.0");
    assert_eq!(live_version(&fake, "t-c", "c"), "1.1.0");
    assert_eq!(replicas(&fake, "t-c", "c-canary"), 0);

    // Running the train again changes nothing while b waits.
    let again = d.train(release, false, true, &run.report()).await.expect("train runs");
    assert!(matches!(again, TrainEnd::Stopped { state: State::Paused, .. }));

    // Promote b: traffic switches to green, the old slot is scaled down; the train is done.
    let b = c.fleet.partners.iter().find(|p| p.name.value == "b").expect("b");
    let rec = d.promote(b, false, &run.report()).await.expect("promoted");
    assert_eq!((rec.phase.as_str(), rec.state, rec.slot), ("at-rest", State::Healthy, 1));
    assert_eq!(service_slot(&fake, "t-b", "b"), "green");
    assert_eq!(replicas(&fake, "t-b", "b-blue"), 0);
    assert!(matches!(d.train(release, false, true, &run.report()).await, Ok(TrainEnd::Done)));

    // Undo takes b back to 1.0.0 through its strategy (blue again), without stopping.
    let rec = d.undo(b, &run.report()).await.expect("undone");
    assert_eq!(
        (rec.release.as_str(), rec.phase.as_str(), rec.state, rec.slot),
        ("1.0.0", "at-rest", State::Healthy, 0)
    );
    assert_eq!(service_slot(&fake, "t-b", "b"), "blue");
    assert_eq!(live_version(&fake, "t-b", "b-blue"), "1.0.0");
    assert!(rec.history.iter().any(|h| h.contains("1.1.0 at rest")), "{:?}", rec.history);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_wave_stops_the_train_and_later_waves_are_untouched() {
    let c = fleet(r#"release "1.2.0" { image = "web:broken", channel = stable, waves = [first, rest] }"#);
    let lw = Lowering::new(&c.fleet).expect("platform");
    let (client, fake) = FakeApi::start();
    let d = driver(&lw, client);
    let run = Run { notes: Mutex::new(Vec::new()) };
    settle_on_first_release(&d, &run).await;
    let patches_to_rest = fake.requests("PATCH /apis/apps/v1/namespaces/t-b/").len();
    let release = c.fleet.releases.iter().find(|r| r.version.value == "1.2.0").expect("1.2.0");
    let failure = d.train(release, false, true, &run.report()).await.expect_err("the first wave fails");
    assert_eq!(failure.partner.as_deref(), Some("a"));
    assert_eq!(failure.object, "Deployment t-a/a");
    assert!(failure.message.contains("ImagePullBackOff"), "{}", failure.message);
    assert_eq!(failure.events, ["Pod a-5d9c7-abcde: Failed: Failed to pull image \"broken\": not found"]);
    assert_eq!(
        fake.requests("PATCH /apis/apps/v1/namespaces/t-b/").len(),
        patches_to_rest,
        "wave rest was not touched"
    );
    assert_eq!(live_version(&fake, "t-b", "b-blue"), "1.0.0");
    let a = c.fleet.partners.iter().find(|p| p.name.value == "a").expect("a");
    let rec = d.record(a).await.expect("record read").expect("recorded");
    assert_eq!((rec.release.as_str(), rec.state), ("1.2.0", State::Failed));
    // Run again: the train stays stopped at the failure instead of retrying on its own.
    let again = d.train(release, false, true, &run.report()).await.expect("train reads its state");
    assert!(
        matches!(again, TrainEnd::Stopped { ref partner, state: State::Failed, .. } if partner == "a"),
        "{again:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_returns_traffic_and_scales_the_new_copy_down() {
    let c = fleet("");
    let lw = Lowering::new(&c.fleet).expect("platform");
    let (client, fake) = FakeApi::start();
    let d = driver(&lw, client);
    let run = Run { notes: Mutex::new(Vec::new()) };
    settle_on_first_release(&d, &run).await;
    let b = c.fleet.partners.iter().find(|p| p.name.value == "b").expect("b");
    let next = c.fleet.releases.iter().find(|r| r.version.value == "1.1.0").expect("1.1.0");
    let rec = d.move_to(b, next, From::Record, true, None, &run.report()).await.expect("preview");
    assert_eq!((rec.phase.as_str(), rec.state), ("preview", State::Paused));
    let rec = d.abort(b, &run.report()).await.expect("aborted");
    assert_eq!((rec.state, rec.running()), (State::Aborted, "1.0.0"));
    assert_eq!(service_slot(&fake, "t-b", "b"), "blue");
    assert_eq!((live_version(&fake, "t-b", "b-blue"), replicas(&fake, "t-b", "b-blue")), ("1.0.0".into(), 2));
    assert_eq!(replicas(&fake, "t-b", "b-green"), 0);
    let nothing = d.abort(b, &run.report()).await.expect_err("nothing left to abort");
    assert!(nothing.message.contains("no move is under way"), "{}", nothing.message);
}

// ---- what each phase sends ----------------------------------------------------------------

/// The workload-facing objects of a placement, one line each: Deployments with version and
/// replicas, Service selectors, route weights, autoscaler targets.
fn summary(objects: &[bdc::lower::Object]) -> String {
    let mut out = String::new();
    for o in objects {
        let v = serde_json::to_value(o).expect("json");
        let line = match o.kind() {
            "Deployment" => format!(
                "Deployment {} version={} replicas={}",
                o.name(),
                v.pointer("/spec/template/metadata/labels/app.kubernetes.io~1version")
                    .and_then(|x| x.as_str())
                    .unwrap_or("?"),
                v.pointer("/spec/replicas").map_or("(autoscaled)".to_string(), |r| r.to_string())
            ),
            "Service" => {
                let selector = v.pointer("/spec/selector").and_then(|s| s.as_object()).expect("selector");
                let picked: Vec<String> = selector
                    .iter()
                    .filter(|(k, _)| k.starts_with("rollout.bluedot.io/"))
                    .map(|(k, x)| {
                        format!("{}={}", k.trim_start_matches("rollout.bluedot.io/"), x.as_str().unwrap_or(""))
                    })
                    .collect();
                format!(
                    "Service {} selects {}",
                    o.name(),
                    if picked.is_empty() { "every track".into() } else { picked.join(",") }
                )
            }
            "HTTPRoute" => {
                let refs = v.pointer("/spec/rules/0/backendRefs").and_then(|r| r.as_array()).expect("backends");
                let w: Vec<String> =
                    refs.iter().map(|b| format!("{}:{}", b["name"].as_str().unwrap_or(""), b["weight"])).collect();
                format!("HTTPRoute {} {}", o.name(), w.join(" "))
            }
            "HorizontalPodAutoscaler" => {
                format!(
                    "HorizontalPodAutoscaler targets {}",
                    v.pointer("/spec/scaleTargetRef/name").and_then(|x| x.as_str()).unwrap_or("")
                )
            }
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn each_phase_of_a_native_move_sends_what_it_should() {
    let c = fleet(r#"partner "d" { domains = ["d.example.com"], follows = stable, strategy = bg, replicas = 2..5 }"#);
    let lw = Lowering::new(&c.fleet).expect("platform");
    let release = |v: &str| c.fleet.releases.iter().find(|r| r.version.value == v).expect("release");
    let (from, to) = (release("1.0.0"), release("1.1.0"));
    let mut text = String::new();
    for name in ["b", "c", "d"] {
        let p = c.fleet.partners.iter().find(|p| p.name.value == name).expect("partner");
        let mut rec = Record::new("1.0.0", lw.slot_of(from));
        rec.note(State::Healthy, "at rest");
        let resume = moves::resume(Some(&rec), "1.1.0");
        for planned in moves::phases(p, Backend::Native, false) {
            let mut at = lw.place_on(p, None, to).expect("placed");
            at.slot = resume.slot.expect("a slot");
            at.stage = planned.phase.stage(from);
            text.push_str(&format!("== {name}: 1.0.0 → 1.1.0, {}\n", planned.phase.word()));
            text.push_str(&summary(&lw.partner_objects(&at)));
        }
    }
    insta::assert_snapshot!("native_move_phases", text);
}

#[tokio::test]
async fn a_dry_run_of_a_new_partner_does_not_send_what_its_missing_namespace_would_hold() {
    let c = fleet("");
    let lw = Lowering::new(&c.fleet).expect("platform");
    let a = c.fleet.partners.iter().find(|p| p.name.value == "a").expect("a");
    let b = bdc::apply::session::bundle(&lw, &lw.place(a, None).expect("placed")).expect("bundle");
    let (client, fake) = FakeApi::start();
    let cluster = Cluster { name: "fake".into(), client };
    let opts = Options { dry_run: true, ..Options::default() };
    let run = Run { notes: Mutex::new(Vec::new()) };
    let counts = bdc::apply::session::send(&cluster, &opts, &b, &run.report()).await.expect("sent");
    assert_eq!(counts, [b.objects.len(), 0, 0], "everything would be created");
    let patches = fake.requests("PATCH");
    assert_eq!(patches.len(), 1, "only the Namespace is dry-run: {patches:?}");
    assert!(
        patches[0].starts_with("PATCH /api/v1/namespaces/t-a?") && patches[0].contains("dryRun=All"),
        "{patches:?}"
    );
    assert!(run.notes.lock().expect("notes")[0].contains("namespace t-a is new"));
}
