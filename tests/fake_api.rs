//! A small in-memory Kubernetes API server for driving `bdc rollout` end to end in tests:
//! server-side apply stores objects (same content keeps the resource version), workloads
//! report themselves ready at once, except pods of an image whose reference contains
//! `broken`, which sit in `ImagePullBackOff` with a warning event. Every request is logged.

use http::{Request, Response};
use kube::client::Body;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct FakeApi {
    /// Object path → (the applied configuration, the live object).
    objects: Mutex<BTreeMap<String, (Value, Value)>>,
    /// `METHOD path?query` of every request, in order.
    pub log: Mutex<Vec<String>>,
    /// Bodies of apply patches, with their path.
    pub applied: Mutex<Vec<(String, Value)>>,
}

impl FakeApi {
    /// Starts the fake on the current tokio runtime; returns a client talking to it.
    pub fn start() -> (kube::Client, Arc<FakeApi>) {
        let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
        let fake = Arc::new(FakeApi::default());
        let server = fake.clone();
        tokio::spawn(async move {
            while let Some((req, send)) = handle.next_request().await {
                let answer = server.handle(req).await;
                send.send_response(answer);
            }
        });
        (kube::Client::new(service, "default"), fake)
    }

    /// The live object at an API path (`/apis/apps/v1/namespaces/ns/deployments/web`).
    pub fn get(&self, path: &str) -> Option<Value> {
        self.objects.lock().expect("objects").get(path).map(|(_, live)| live.clone())
    }

    /// Requests whose line contains `needle`.
    pub fn requests(&self, needle: &str) -> Vec<String> {
        self.log.lock().expect("log").iter().filter(|l| l.contains(needle)).cloned().collect()
    }

    async fn handle(&self, req: Request<Body>) -> Response<Body> {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or("").to_string();
        self.log.lock().expect("log").push(format!("{method} {path}?{query}"));
        let body = req.into_body().collect_bytes().await.unwrap_or_default();
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let rest =
            if parts.first() == Some(&"api") { &parts[2.min(parts.len())..] } else { &parts[3.min(parts.len())..] };
        let (name, sub) = if rest.first() == Some(&"namespaces") && rest.len() >= 3 {
            (rest.get(3), rest.get(4))
        } else {
            (rest.get(1), rest.get(2))
        };
        let object_path = match (name, sub) {
            (Some(_), Some(s)) => path.trim_end_matches(&format!("/{s}")).to_string(),
            _ => path.clone(),
        };
        match (method.as_str(), name) {
            ("GET", Some(_)) => match self.get(&object_path) {
                Some(v) => reply(200, &v),
                None => not_found(&path),
            },
            ("GET", None) => reply(200, &self.list(&path, &query)),
            ("PATCH", Some(_)) if sub.is_none() => {
                let applied: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                self.applied.lock().expect("applied").push((path.clone(), applied.clone()));
                let live = self.apply(&object_path, applied, query.contains("dryRun=All"));
                reply(200, &live)
            }
            // The identity may do everything (the permission check before each partner).
            ("POST", _) if path.ends_with("/selfsubjectrulesreviews") => {
                let mut review: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                review["status"] = json!({"incomplete": false, "nonResourceRules": [],
                    "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]});
                reply(201, &review)
            }
            ("POST", _) if path.ends_with("/selfsubjectaccessreviews") => {
                let mut review: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                review["status"] = json!({"allowed": true});
                reply(201, &review)
            }
            _ => reply(405, &json!({"kind": "Status", "code": 405, "message": "not in the fake"})),
        }
    }

    fn list(&self, collection: &str, query: &str) -> Value {
        let selector: Vec<(String, String)> = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("labelSelector="))
            .map(|s| {
                let s = s.replace("%3D", "=").replace("%2C", ",").replace("%2F", "/");
                s.split(',').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
            })
            .unwrap_or_default();
        let objects = self.objects.lock().expect("objects");
        let items: Vec<Value> = objects
            .iter()
            .filter(|(p, _)| p.strip_prefix(&format!("{collection}/")).is_some_and(|rest| !rest.contains('/')))
            .map(|(_, (_, live))| live.clone())
            .filter(|live| {
                selector.iter().all(|(k, v)| {
                    live.pointer("/metadata/labels").and_then(|l| l.get(k)).and_then(Value::as_str) == Some(v)
                })
            })
            .collect();
        json!({"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items})
    }

    fn apply(&self, path: &str, applied: Value, dry_run: bool) -> Value {
        let mut objects = self.objects.lock().expect("objects");
        let (version, generation) = match objects.get(path) {
            Some((before, live)) => {
                let rv: u64 = live
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                let gen = live.pointer("/metadata/generation").and_then(Value::as_i64).unwrap_or(1);
                if *before == applied {
                    (rv, gen)
                } else {
                    (rv + 1, gen + 1)
                }
            }
            None => (1, 1),
        };
        let mut live = applied.clone();
        live["metadata"]["resourceVersion"] = json!(version.to_string());
        live["metadata"]["generation"] = json!(generation);
        live["metadata"]["uid"] = json!(format!("uid-{path}"));
        let broken = applied.to_string().contains("broken");
        match live["kind"].as_str() {
            Some("Deployment") => {
                let n = applied.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
                let available = if broken { 0 } else { n };
                live["status"] = json!({"observedGeneration": generation, "replicas": n, "updatedReplicas": n,
                    "readyReplicas": available, "availableReplicas": available});
            }
            Some("Namespace") => live["status"] = json!({"phase": "Active"}),
            _ => {}
        }
        if !dry_run {
            objects.insert(path.to_string(), (applied.clone(), live.clone()));
            if broken && live["kind"] == "Deployment" {
                let ns = live.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default").to_string();
                let name = live.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("x").to_string();
                let labels = live.pointer("/spec/template/metadata/labels").cloned().unwrap_or(json!({}));
                let pod = format!("{name}-5d9c7-abcde");
                objects.insert(
                    format!("/api/v1/namespaces/{ns}/pods/{pod}"),
                    (Value::Null, json!({"kind": "Pod", "apiVersion": "v1",
                        "metadata": {"name": pod, "namespace": ns, "labels": labels},
                        "status": {"containerStatuses": [{"name": "web", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
                            "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"broken\""}}}]}})),
                );
                objects.insert(
                    format!("/api/v1/namespaces/{ns}/events/{pod}.1"),
                    (
                        Value::Null,
                        json!({"kind": "Event", "apiVersion": "v1",
                        "metadata": {"name": format!("{pod}.1"), "namespace": ns},
                        "involvedObject": {"kind": "Pod", "name": pod, "namespace": ns},
                        "type": "Warning", "reason": "Failed", "message": "Failed to pull image \"broken\": not found",
                        "lastTimestamp": "2026-11-22T03:00:00Z"}),
                    ),
                );
            }
        }
        live
    }
}

fn reply(code: u16, v: &Value) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(v).expect("json")))
        .expect("response")
}

fn not_found(path: &str) -> Response<Body> {
    reply(
        404,
        &json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
            "message": format!("{path} not found")}),
    )
}
