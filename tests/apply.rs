//! Request-level tests of the cluster code against a mocked API server: the exact requests
//! `bdc apply`, `diff` and prune send, and what they do with 403/409/500 answers.

use super::support::compile_text;
use bdc::apply::client::{self, Applier, Outcome};
use bdc::apply::prune::Live;
use bdc::lower::{Lowering, Object};
use http::{Method, Request, Response};
use kube::client::Body;
use std::collections::BTreeMap;

type Handle = tower_test::mock::Handle<Request<Body>, Response<Body>>;

fn mock() -> (kube::Client, Handle) {
    let (service, handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    (kube::Client::new(service, "default"), handle)
}

fn json(code: u16, v: &serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(v).expect("json")))
        .expect("response")
}

fn status(code: u16, reason: &str, message: &str) -> Response<Body> {
    json(
        code,
        &serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "message": message, "code": code}),
    )
}

/// The Deployment of the minimal example.
fn deployment() -> Object {
    let c = compile_text(
        r#"platform p { registry = "registry.example.com/p", default_plan = { cpu = 250m, memory = 256Mi } }
release "1.0.0" { image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }
partner "site" { domains = ["site.example.com"], follows = stable }"#,
    );
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some("k8s")).expect("placed");
    lw.partner_objects(&at).into_iter().find(|o| o.kind() == "Deployment").expect("deployment")
}

async fn body_json(req: Request<Body>) -> serde_json::Value {
    serde_json::from_slice(&req.into_body().collect_bytes().await.expect("body")).expect("json body")
}

#[tokio::test]
async fn apply_is_a_server_side_apply_under_field_manager_bdc() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("get");
        assert_eq!(req.method(), Method::GET);
        assert_eq!(req.uri().path(), "/apis/apps/v1/namespaces/site/deployments/site");
        send.send_response(status(404, "NotFound", "deployments.apps \"site\" not found"));
        let (req, send) = handle.next_request().await.expect("patch");
        assert_eq!(req.method(), Method::PATCH);
        assert_eq!(req.uri().path(), "/apis/apps/v1/namespaces/site/deployments/site");
        let query = req.uri().query().unwrap_or("").to_string();
        assert!(query.contains("fieldManager=bdc"), "{query}");
        assert!(!query.contains("force=true"), "no takeover without --force-conflicts: {query}");
        assert!(!query.contains("dryRun"), "{query}");
        assert_eq!(req.headers()["content-type"], "application/apply-patch+yaml");
        let body = body_json(req).await;
        assert_eq!(body["kind"], "Deployment");
        assert_eq!(body["metadata"]["name"], "site");
        let mut answer = body.clone();
        answer["metadata"]["resourceVersion"] = "7".into();
        send.send_response(json(200, &answer));
    });
    let applier = Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    assert_eq!(applier.apply(&deployment()).await.expect("applied"), Outcome::Created);
    server.await.expect("server");
}

#[tokio::test]
async fn dry_run_and_force_set_their_parameters_and_same_version_means_unchanged() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (_, send) = handle.next_request().await.expect("get");
        let live = serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "site", "namespace": "site", "resourceVersion": "7"}});
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("patch");
        let query = req.uri().query().unwrap_or("").to_string();
        assert!(
            query.contains("dryRun=All") && query.contains("force=true") && query.contains("fieldManager=bdc"),
            "{query}"
        );
        send.send_response(json(200, &live));
    });
    let applier = Applier { client, dry_run: true, force_conflicts: true, replace_data: false };
    assert_eq!(applier.apply(&deployment()).await.expect("applied"), Outcome::Unchanged);
    server.await.expect("server");
}

async fn failing_apply(code: u16, reason: &str, message: &str) -> String {
    let (client, mut handle) = mock();
    let (reason, message) = (reason.to_string(), message.to_string());
    let server = tokio::spawn(async move {
        let (_, send) = handle.next_request().await.expect("get");
        send.send_response(status(404, "NotFound", "not found"));
        let (_, send) = handle.next_request().await.expect("patch");
        send.send_response(status(code, &reason, &message));
    });
    let applier = Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    let failure = applier.apply(&deployment()).await.expect_err("fails");
    server.await.expect("server");
    failure.to_string()
}

#[tokio::test]
async fn conflicts_forbidden_and_server_errors_say_what_happened() {
    let conflict = failing_apply(
        409,
        "Conflict",
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas",
    )
    .await;
    assert!(conflict.starts_with("Deployment site/site: conflict with another field manager"), "{conflict}");
    assert!(
        conflict.contains("kubectl-client-side-apply")
            && conflict.contains(".spec.replicas")
            && conflict.contains("--force-conflicts"),
        "{conflict}"
    );
    let forbidden =
        failing_apply(403, "Forbidden", "deployments.apps is forbidden: User \"ci\" cannot patch resource").await;
    assert!(forbidden.contains("forbidden") && forbidden.contains("User \"ci\""), "{forbidden}");
    let broken = failing_apply(500, "InternalError", "etcdserver: request timed out").await;
    assert!(broken.contains("500") && broken.contains("etcdserver"), "{broken}");
    let webhook =
        failing_apply(400, "BadRequest", "admission webhook \"policy.example.com\" denied the request: no latest tags")
            .await;
    assert!(webhook.contains("admission webhook"), "{webhook}");
}

#[tokio::test]
async fn missing_custom_resources_are_found_before_anything_is_applied() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("discovery");
        assert_eq!(req.uri().path(), "/apis/argoproj.io/v1alpha1");
        send.send_response(status(404, "NotFound", "the server could not find the requested resource"));
    });
    let rollout = Object::Rollout(bdc::lower::crd::Rollout::new(
        Default::default(),
        bdc::lower::crd::RolloutSpec {
            replicas: None,
            selector: Default::default(),
            template: Default::default(),
            min_ready_seconds: None,
            revision_history_limit: 5,
            progress_deadline_seconds: 600,
            strategy: bdc::lower::crd::RolloutStrategy { blue_green: None, canary: None },
        },
    ));
    let missing = client::missing_apis(&client, &[deployment(), rollout]).await.expect("answered");
    assert_eq!(missing, ["Rollout (argoproj.io/v1alpha1, from Argo Rollouts)"]);
    server.await.expect("server");
}

#[tokio::test]
async fn prune_deletes_by_name_in_the_right_namespace() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("delete");
        assert_eq!(req.method(), Method::DELETE);
        assert_eq!(req.uri().path(), "/apis/apps/v1/namespaces/site/deployments/old");
        let body = body_json(req).await;
        assert_eq!(body["propagationPolicy"], "Background");
        send.send_response(json(200, &serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Success"})));
    });
    let live = Live {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        namespace: Some("site".into()),
        name: "old".into(),
        labels: BTreeMap::new(),
        annotations: BTreeMap::new(),
    };
    client::delete(&client, &live, false).await.expect("deleted");
    server.await.expect("server");
}

#[tokio::test]
async fn argo_promote_and_abort_patch_the_status_subresource_like_the_argo_plugin() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("get");
        assert_eq!(
            (req.method(), req.uri().path()),
            (&Method::GET, "/apis/argoproj.io/v1alpha1/namespaces/bd-a/rollouts/a")
        );
        let live = serde_json::json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout",
            "metadata": {"name": "a", "namespace": "bd-a"}, "spec": {"paused": true}});
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("status patch");
        assert_eq!(req.method(), Method::PATCH);
        assert_eq!(req.uri().path(), "/apis/argoproj.io/v1alpha1/namespaces/bd-a/rollouts/a/status");
        assert_eq!(req.headers()["content-type"], "application/merge-patch+json");
        assert_eq!(body_json(req).await, serde_json::json!({"status": {"pauseConditions": null}}));
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("spec patch");
        assert_eq!(req.uri().path(), "/apis/argoproj.io/v1alpha1/namespaces/bd-a/rollouts/a");
        assert_eq!(body_json(req).await, serde_json::json!({"spec": {"paused": false}}));
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("abort");
        assert_eq!(req.uri().path(), "/apis/argoproj.io/v1alpha1/namespaces/bd-a/rollouts/a/status");
        assert_eq!(body_json(req).await, serde_json::json!({"status": {"abort": true}}));
        send.send_response(json(200, &live));
    });
    bdc::apply::argo::promote_rollout(&client, "bd-a", "a", false).await.expect("promoted");
    bdc::apply::argo::abort_rollout(&client, "bd-a", "a").await.expect("aborted");
    server.await.expect("server");
}

#[tokio::test]
async fn the_rollout_record_is_server_side_applied_and_a_missing_namespace_holds_none() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("get");
        assert_eq!(req.uri().path(), "/api/v1/namespaces/bd-new/configmaps/bdc-rollout");
        send.send_response(status(404, "NotFound", "namespaces \"bd-new\" not found"));
        let (req, send) = handle.next_request().await.expect("apply");
        assert_eq!(req.method(), Method::PATCH);
        let query = req.uri().query().unwrap_or("").to_string();
        assert!(query.contains("fieldManager=bdc") && query.contains("force=true"), "{query}");
        assert_eq!(req.headers()["content-type"], "application/apply-patch+yaml");
        let body = body_json(req).await;
        assert_eq!(
            (body["data"]["release"].as_str(), body["data"]["state"].as_str()),
            (Some("1.0.0"), Some("applied"))
        );
        send.send_response(json(200, &body));
    });
    assert_eq!(client::record(&client, "bd-new").await.expect("answered"), None);
    let record = bdc::apply::record::Record::new("1.0.0", 0);
    client::save_record(&client, "bd-new", &record).await.expect("saved");
    server.await.expect("server");
}

#[tokio::test]
async fn an_unreachable_server_and_expired_credentials_are_named() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (_, send) = handle.next_request().await.expect("get");
        send.send_response(status(401, "Unauthorized", "Unauthorized"));
        let (_, send) = handle.next_request().await.expect("get");
        send.send_error(std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "connection refused"));
    });
    let applier = Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    let expired = applier.apply(&deployment()).await.expect_err("401").to_string();
    assert!(expired.contains("credentials are missing or expired"), "{expired}");
    let unreachable = applier.apply(&deployment()).await.expect_err("refused").to_string();
    assert!(
        unreachable.contains("cannot reach the API server") && unreachable.contains("connection refused"),
        "{unreachable}"
    );
    server.await.expect("server");
}

#[tokio::test]
async fn replicas_bdc_owned_are_handed_to_the_autoscaler_before_bdc_lets_go() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (_, send) = handle.next_request().await.expect("get");
        let live = serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "site", "namespace": "site", "resourceVersion": "7", "managedFields": [
                {"manager": "bdc", "operation": "Apply", "apiVersion": "apps/v1", "fieldsType": "FieldsV1",
                 "fieldsV1": {"f:spec": {"f:replicas": {}, "f:template": {}}}}]},
            "spec": {"replicas": 3}});
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("handover");
        let query = req.uri().query().unwrap_or("").to_string();
        assert!(query.contains("fieldManager=handover-to-hpa"), "{query}");
        let body = body_json(req).await;
        assert_eq!(body["spec"], serde_json::json!({"replicas": 3}), "only the replica count, as it is live");
        send.send_response(json(200, &live));
        let (req, send) = handle.next_request().await.expect("apply");
        let query = req.uri().query().unwrap_or("").to_string();
        assert!(query.contains("fieldManager=bdc"), "{query}");
        assert!(body_json(req).await["spec"].get("replicas").is_none(), "the autoscaler owns replicas now");
        let mut after = live.clone();
        after["metadata"]["resourceVersion"] = "8".into();
        // bdc's field set no longer holds replicas: that is the change.
        after["metadata"]["managedFields"][0]["fieldsV1"] = serde_json::json!({"f:spec": {"f:template": {}}});
        send.send_response(json(200, &after));
    });
    let applier = Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    assert_eq!(applier.apply(&deployment()).await.expect("applied"), Outcome::Changed);
    server.await.expect("server");
}

/// The rights a partner needs, and which RBAC rules grant them (the permission check before
/// the first write).
#[test]
fn rights_needed_and_rules_granting_them() {
    use bdc::apply::access::{grants, needed, Right};
    use k8s_openapi::api::authorization::v1::ResourceRule;
    let rights = needed(&[deployment()]);
    let verbs: Vec<&str> = rights.iter().map(|r| r.verb).collect();
    assert_eq!(verbs, ["get", "create", "patch"]);
    assert!(rights.iter().all(|r| r.group == "apps" && r.resource == "deployments" && r.namespace.is_some()));
    let patch = &rights[2];
    assert_eq!(patch.describe(), format!("patch deployments.apps in {}", patch.namespace.as_deref().unwrap_or("?")));
    let rule = |groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]| ResourceRule {
        api_groups: Some(groups.iter().map(|s| s.to_string()).collect()),
        resources: Some(resources.iter().map(|s| s.to_string()).collect()),
        verbs: verbs.iter().map(|s| s.to_string()).collect(),
        resource_names: Some(names.iter().map(|s| s.to_string()).collect()),
    };
    assert!(grants(&rule(&["apps"], &["deployments"], &["patch"], &[]), patch));
    assert!(grants(&rule(&["*"], &["*"], &["*"], &[]), patch));
    assert!(!grants(&rule(&[""], &["deployments"], &["patch"], &[]), patch), "core group");
    assert!(!grants(&rule(&["apps"], &["deployments"], &["get"], &[]), patch), "another verb");
    assert!(!grants(&rule(&["apps"], &["deployments"], &["patch"], &["web"]), patch), "names only");
    let cluster = Right { verb: "create", group: String::new(), resource: "namespaces".into(), namespace: None };
    assert_eq!(cluster.describe(), "create namespaces (cluster-wide)");
}

/// A server answering 429 (its own limit, or API Priority and Fairness) is asked again.
#[tokio::test]
async fn too_many_requests_is_retried() {
    let (client, mut handle) = mock();
    let server = tokio::spawn(async move {
        let (_, send) = handle.next_request().await.expect("get");
        send.send_response(status(404, "NotFound", "deployments.apps \"site\" not found"));
        let (_, send) = handle.next_request().await.expect("patch");
        send.send_response(status(429, "TooManyRequests", "too many requests, please try again later"));
        let (req, send) = handle.next_request().await.expect("patch again");
        assert_eq!(req.method(), Method::PATCH);
        let answer = body_json(req).await;
        send.send_response(json(200, &answer));
    });
    let applier = Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    assert_eq!(applier.apply(&deployment()).await.expect("applied after the retry"), Outcome::Created);
    server.await.expect("server");
}
