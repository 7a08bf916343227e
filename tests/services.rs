//! Backing services: what each mode emits, the binding the site reads (the same variables on
//! every target and in every mode), and the quota that makes room for them.

use super::support::compile_text;
use bdc::lower::{Lowering, Object};
use serde_json::Value;

const FLEET: &str = r#"
platform p {
  registry     = "registry.example.com/p"
  default_plan = { cpu = 250m, memory = 256Mi }
}
release "1.0.0" { image = "web:1.0.0", channel = stable }
partner "news" {
  domains  = ["news.example.com"]
  follows  = stable
  replicas = 2..2
  services {
    db    = postgres { version = 16, size = 20Gi }
    cache = redis { memory = 1Gi }
    old   = postgres { mode = external, host = "pg.internal", port = 6432, credentials = "old-db" }
  }
}
"#;

fn objects(target: &str) -> Vec<Value> {
    let c = compile_text(FLEET);
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some(target)).expect("placed");
    let objects: Vec<Object> = lw.partner_objects(&at);
    assert!(bdc::lower::verify::objects(&objects).is_empty());
    objects.iter().map(|o| serde_json::to_value(o).expect("json")).collect()
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> Option<&'a Value> {
    objects.iter().find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

#[test]
fn in_cluster_services_are_restricted_statefulsets_only_the_site_can_reach() {
    let objs = objects("eks");
    let db = find(&objs, "StatefulSet", "news-db").expect("a StatefulSet for the database");
    assert_eq!(db["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"], true);
    let container = &db["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "docker.io/library/postgres:16");
    assert_eq!(container["securityContext"]["readOnlyRootFilesystem"], true);
    assert_eq!(container["securityContext"]["allowPrivilegeEscalation"], false);
    let claim = &db["spec"]["volumeClaimTemplates"][0]["spec"];
    assert_eq!(claim["resources"]["requests"]["storage"], "20Gi");
    assert_eq!(claim["storageClassName"], "gp3", "the target's storage class");
    assert!(find(&objs, "Service", "news-db").is_some_and(|s| s["spec"]["clusterIP"] == "None"), "headless");
    assert!(find(&objs, "PodDisruptionBudget", "news-db").is_some());
    let admit = find(&objs, "NetworkPolicy", "news-db").expect("ingress policy");
    let from = &admit["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"];
    assert_eq!(from["app.kubernetes.io/name"], "web", "only the partner's web pods");
    assert_eq!(from["app.kubernetes.io/instance"], "news");
    assert_eq!(admit["spec"]["ingress"][0]["ports"][0]["port"], 5432);
    assert!(find(&objs, "StatefulSet", "news-cache").is_some());
    assert!(find(&objs, "StatefulSet", "news-old").is_none(), "external services provision nothing");
}

#[test]
fn the_binding_is_the_same_everywhere_and_secrets_stay_references() {
    let names = |target: &str| -> Vec<(String, String)> {
        let objs = objects(target);
        let web = find(&objs, "Deployment", "news").expect("web");
        web["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .expect("env")
            .iter()
            .map(|e| {
                let from = &e["valueFrom"];
                let source = from["configMapKeyRef"]["name"].as_str().or(from["secretKeyRef"]["name"].as_str());
                (e["name"].as_str().unwrap_or("").to_string(), source.unwrap_or("inline!").to_string())
            })
            .collect()
    };
    let k8s = names("k8s");
    for target in ["gke", "eks", "aks"] {
        assert_eq!(names(target), k8s, "same variables on {target}");
    }
    let expect = |n: &str, s: &str| (n.to_string(), s.to_string());
    assert!(k8s.contains(&expect("DB_HOST", "news-db")) && k8s.contains(&expect("DB_PASSWORD", "news-db-credentials")));
    assert!(k8s.contains(&expect("CACHE_PASSWORD", "news-cache-credentials")));
    assert!(k8s.contains(&expect("OLD_PASSWORD", "old-db")), "{k8s:?}");
    let objs = objects("k8s");
    let old = find(&objs, "ConfigMap", "news-old").expect("binding of the external service");
    assert_eq!((old["data"]["host"].as_str(), old["data"]["port"].as_str()), (Some("pg.internal"), Some("6432")));
    let db = find(&objs, "ConfigMap", "news-db").expect("binding");
    assert_eq!(db["data"]["host"], "news-db.news.svc");
    assert!(!objs.iter().any(|o| o["kind"] == "Secret"), "bdc never writes secret values");
}

#[test]
fn the_quota_makes_room_for_in_cluster_services() {
    let objs = objects("k8s");
    let quota = objs.iter().find(|o| o["kind"] == "ResourceQuota").expect("quota");
    let hard = &quota["spec"]["hard"];
    assert_eq!(hard["pods"], "5", "2 web pods, 1 more during a rolling update (25% surge), a database and a cache");
    assert_eq!(hard["persistentvolumeclaims"], "2");
    assert_eq!(hard["requests.storage"], "22Gi", "20Gi of database and 2Gi of cache snapshots");
}

/// Every operator resource emitted for `examples/services` on gke, eks and aks passes the
/// operator's published CRD schema (tests/data/operators, sources in its README), with unknown
/// fields reported as errors; and a misspelt field fails.
#[test]
fn managed_services_pass_the_operators_crd_schemas() {
    use super::support::compile_paths;
    let dir = std::env::temp_dir().join(format!("bdc-operators-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let c = compile_paths(&[std::path::PathBuf::from("examples/services/fleet.bdot")]);
    assert!(!c.diagnostics.has_errors());
    let lw = Lowering::new(&c.fleet).expect("platform");
    let mut files = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for target in ["gke", "eks", "aks"] {
        for p in &c.fleet.partners {
            let at = lw.place(p, Some(target)).expect("placed");
            for o in lw.partner_objects(&at).iter().filter(|o| o.is_operator_resource()) {
                kinds.insert(o.kind());
                let path = dir.join(format!("{target}-{}-{}.yaml", o.kind(), o.name()));
                let mut text = Vec::new();
                bdc::emit::yaml(o, &mut text);
                std::fs::write(&path, text).expect("write");
                files.push(path);
            }
        }
    }
    let all = [
        // The ACM certificate ACK requests for the partner's domains on EKS.
        "Certificate",
        "SQLInstance",
        "SQLDatabase",
        "SQLUser",
        "RedisInstance",
        "DBInstance",
        "ReplicationGroup",
        "FieldExport",
        "FlexibleServer",
        "FlexibleServersDatabase",
        "Redis",
    ];
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), {
        let mut a = all.to_vec();
        a.sort();
        a
    });
    let run = super::support::operator_crds;
    let out = run(&files);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "operator resources fail their CRD schemas:\n{text}");
    assert!(text.contains("valid"), "{text}");
    // A misspelt field is caught.
    let bad = dir.join("bad.yaml");
    let first =
        std::fs::read_to_string(files.iter().find(|f| f.to_string_lossy().contains("SQLInstance")).expect("one"))
            .expect("read");
    std::fs::write(&bad, first.replace("diskSize:", "diskSizeGb:")).expect("write");
    assert!(!run(&[bad]).status.success(), "the validator rejects an unknown field");
}

#[test]
fn changes_that_would_replace_data_are_found() {
    use bdc::apply::guard::{bytes, danger};
    assert_eq!(bytes("20Gi"), Some(20 << 30));
    assert_eq!(bytes("512Mi"), Some(512 << 20));
    assert_eq!(bytes("1G"), Some(1_000_000_000));
    let c = compile_text(FLEET);
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some("k8s")).expect("placed");
    let objects = lw.partner_objects(&at);
    let db = objects.iter().find(|o| o.kind() == "StatefulSet" && o.name() == "news-db").expect("db");
    let mut live = serde_json::to_value(db).expect("json");
    assert_eq!(danger(db, &live), None, "the same object is safe");
    live["spec"]["template"]["spec"]["containers"][0]["image"] = "docker.io/library/postgres:15".into();
    let why = danger(db, &live).expect("a major upgrade is refused");
    assert!(why.contains("major version (docker.io/library/postgres:15 → docker.io/library/postgres:16)"), "{why}");
    let mut live = serde_json::to_value(db).expect("json");
    live["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "30Gi".into();
    let why = danger(db, &live).expect("a size change is refused");
    assert!(why.contains("30Gi → 20Gi") && why.contains("kubectl patch pvc data-news-db-0"), "{why}");
    // Managed databases: a managed postgres on eks, live on an older major and a larger disk.
    let c = compile_text(&FLEET.replace(
        "registry     = \"registry.example.com/p\"",
        "registry     = \"registry.example.com/p\"\n  managed { eks = { db_subnet_group = \"d\", cache_subnet_group = \"c\", security_groups = [\"sg-1\"] } }",
    )
    .replace("db    = postgres { version = 16, size = 20Gi }", "db    = postgres { version = 16, size = 20Gi, mode = managed }")
    .replace("  replicas = 2..2\n", "  replicas = 2..2\n  target   = eks\n"));
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some("eks")).expect("placed");
    let rds = lw.partner_objects(&at).into_iter().find(|o| o.kind() == "DBInstance").expect("rds");
    let mut live = serde_json::to_value(&rds).expect("json");
    live["spec"]["allocatedStorage"] = 100.into();
    assert!(danger(&rds, &live).is_some_and(|w| w.contains("shrink")));
    let mut live = serde_json::to_value(&rds).expect("json");
    live["spec"]["engineVersion"] = "15.7".into();
    assert!(danger(&rds, &live).is_some_and(|w| w.contains("major version (15.7 → 16)")));
}

#[tokio::test]
async fn apply_refuses_a_database_major_upgrade_unless_told() {
    use http::{Request, Response};
    use kube::client::Body;
    let c = compile_text(FLEET);
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some("k8s")).expect("placed");
    let db =
        lw.partner_objects(&at).into_iter().find(|o| o.kind() == "StatefulSet" && o.name() == "news-db").expect("db");
    let mut live = serde_json::to_value(&db).expect("json");
    live["spec"]["template"]["spec"]["containers"][0]["image"] = "docker.io/library/postgres:15".into();
    live["metadata"]["resourceVersion"] = "3".into();
    let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    let client = kube::Client::new(service, "default");
    let answer = live.clone();
    let server = tokio::spawn(async move {
        let (req, send) = handle.next_request().await.expect("get");
        assert_eq!(req.method(), http::Method::GET);
        let body = Body::from(serde_json::to_vec(&answer).expect("json"));
        send.send_response(
            Response::builder().status(200).header("content-type", "application/json").body(body).expect("response"),
        );
        // Nothing else: no PATCH may follow.
        assert!(handle.next_request().await.is_none(), "bdc must not send the change");
    });
    let applier = bdc::apply::client::Applier { client, dry_run: false, force_conflicts: false, replace_data: false };
    let refused = applier.apply(&db).await.expect_err("refused").to_string();
    assert!(refused.contains("major version") && refused.contains("--replace-data"), "{refused}");
    drop(applier);
    server.await.expect("server");
}

#[test]
fn the_limit_range_admits_the_largest_container() {
    let objs = objects("k8s");
    let limits = objs.iter().find(|o| o["kind"] == "LimitRange").expect("limits");
    let max = &limits["spec"]["limits"][0]["max"];
    let db = find(&objs, "StatefulSet", "news-db").expect("db");
    let db_limits = &db["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"];
    let parse = |q: &Value| bdc::apply::guard::bytes(q.as_str().expect("quantity")).expect("bytes");
    assert!(parse(&max["memory"]) >= parse(&db_limits["memory"]), "{max} vs {db_limits}");
    let cpu = |q: &Value| -> u64 {
        let t = q.as_str().expect("cpu");
        t.strip_suffix('m').map_or_else(|| t.parse::<u64>().expect("cores") * 1000, |m| m.parse().expect("millicores"))
    };
    assert!(cpu(&max["cpu"]) >= cpu(&db_limits["cpu"]), "{max} vs {db_limits}");
}

#[test]
fn managed_bindings_name_the_database_and_user_the_operator_creates() {
    let spec = r#"
platform p {
  registry     = "registry.example.com/p"
  default_plan = { cpu = 250m, memory = 256Mi }
  managed {
    gke = { project = "p-prod", region = "asia-northeast3" }
    eks = { db_subnet_group = "d", cache_subnet_group = "c", security_groups = ["sg-1"] }
    aks = { resource_group = "rg", region = "koreacentral" }
  }
}
release "1.0.0" { image = "web:1.0.0", channel = stable }
partner "news-x" {
  domains  = ["news.example.com"]
  follows  = stable
  target   = eks
  services { main-db = postgres { mode = managed } }
}
"#;
    let c = compile_text(spec);
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    for (target, kind, user_at, db_kind, db_at) in [
        ("eks", "DBInstance", "/spec/masterUsername", "DBInstance", "/spec/dbName"),
        ("aks", "FlexibleServer", "/spec/administratorLogin", "FlexibleServersDatabase", "/spec/azureName"),
        ("gke", "SQLUser", "/spec/resourceID", "SQLDatabase", "/spec/resourceID"),
    ] {
        let at = lw.place(&c.fleet.partners[0], Some(target)).expect("placed");
        let objs: Vec<Value> = lw.partner_objects(&at).iter().map(|o| serde_json::to_value(o).expect("json")).collect();
        let binding = find(&objs, "ConfigMap", "news-x-main-db").expect("binding");
        let op = objs.iter().find(|o| o["kind"] == kind).expect("operator resource");
        let db = objs.iter().find(|o| o["kind"] == db_kind).expect("database resource");
        assert_eq!(op.pointer(user_at), Some(&binding["data"]["user"]), "{target}: user");
        assert_eq!(db.pointer(db_at), Some(&binding["data"]["database"]), "{target}: database");
    }
}

/// A partner on GKE whose managed PostgreSQL is reached through the Cloud SQL Auth Proxy
/// sidecar (one in each web pod), with `quota` fields appended.
fn proxied_spec(quota: &str) -> String {
    format!(
        r#"
platform p {{
  registry     = "registry.example.com/p"
  default_plan = {{ cpu = 250m, memory = 256Mi }}
  managed {{ gke = {{ project = "p-prod", region = "asia-northeast3" }} }}
}}
release "1.0.0" {{ image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }}
partner "news" {{
  domains  = ["news.example.com"]
  follows  = stable
  target   = gke
  replicas = 2..2
  {quota}
  services {{ db = postgres {{ mode = managed }} }}
}}
"#
    )
}

#[test]
fn the_quota_rule_and_the_computed_quota_count_the_proxy_sidecar() {
    // 3 web pods at the peak (2 and a 25% surge), each with the proxy (50m, 64Mi; limits 250m, 128Mi).
    let c = compile_text(&proxied_spec(""));
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], None).expect("placed");
    let objs: Vec<Value> = lw.partner_objects(&at).iter().map(|o| serde_json::to_value(o).expect("json")).collect();
    let hard = &objs.iter().find(|o| o["kind"] == "ResourceQuota").expect("quota")["spec"]["hard"];
    assert_eq!((&hard["requests.cpu"], &hard["limits.cpu"]), (&"900m".into(), &"1500m".into()));
    // The computed quota, written in the spec, checks clean: both count the same pods.
    let same = format!(
        "quota = {{ cpu = {}, memory = {}, cpu_limit = {}, memory_limit = {} }}",
        hard["requests.cpu"].as_str().expect("cpu"),
        hard["requests.memory"].as_str().expect("memory"),
        hard["limits.cpu"].as_str().expect("cpu limit"),
        hard["limits.memory"].as_str().expect("memory limit")
    );
    let c = compile_text(&proxied_spec(&same));
    assert!(!c.diagnostics.has_errors(), "{same}\n{}", super::support::rendered(&c));
    // A quota that holds the web containers but not their sidecars is refused.
    let c = compile_text(&proxied_spec("quota = { cpu = 800m, memory = 1Gi, cpu_limit = 800m, memory_limit = 1Gi }"));
    assert!(super::support::codes(&c).contains(&"E0410".to_string()), "{}", super::support::rendered(&c));
}

#[test]
fn the_proxy_is_a_native_sidecar_in_deployments_and_an_ordinary_container_under_argo() {
    let pod = |backend: &str| -> Value {
        let c = compile_text(&proxied_spec(backend));
        assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
        let lw = Lowering::new(&c.fleet).expect("platform");
        let at = lw.place(&c.fleet.partners[0], None).expect("placed");
        let objs: Vec<Value> = lw.partner_objects(&at).iter().map(|o| serde_json::to_value(o).expect("json")).collect();
        let web = objs.iter().find(|o| o["kind"] == "Deployment" || o["kind"] == "Rollout").expect("web");
        web["spec"]["template"]["spec"].clone()
    };
    let native = pod("backend = native");
    assert_eq!(native["initContainers"][0]["name"], "cloud-sql-proxy");
    assert_eq!(native["initContainers"][0]["restartPolicy"], "Always");
    assert_eq!(native["containers"].as_array().map(Vec::len), Some(1));
    // The Argo Rollouts CRD has no container `restartPolicy` (it would be pruned, and the pod
    // would wait forever on an init container that never ends): an ordinary container instead,
    // kept alive for the site's open connections while the pod stops.
    let argo = pod("backend = argo");
    assert!(argo.get("initContainers").is_none(), "{argo}");
    let proxy = &argo["containers"][1];
    assert_eq!(proxy["name"], "cloud-sql-proxy");
    assert!(proxy.get("restartPolicy").is_none(), "{proxy}");
    assert!(proxy["args"].as_array().expect("args").contains(&"--max-sigterm-delay=30s".into()), "{proxy}");
    assert_eq!(argo["containers"][0]["name"], native["containers"][0]["name"]);
}

#[test]
fn the_portability_report_moves_data_between_the_names_each_cloud_creates() {
    let spec = proxied_spec("")
        .replace("partner \"news\"", "partner \"news-x\"")
        .replace("db = postgres", "main-db = postgres");
    let spec = spec.replace(
        "managed { gke",
        "managed {\n    eks = { db_subnet_group = \"d\", cache_subnet_group = \"c\", security_groups = [\"sg-1\"] }\n    gke",
    );
    let c = compile_text(&spec);
    assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some("eks")).expect("placed");
    let notes = bdc::portability::report(&lw, &at);
    let text: String = notes.iter().map(|n| format!("{}\n", n.text)).collect();
    assert!(text.contains("stream `pg_dump` of `main-db` into `pg_restore` as `news_x` into `main_db`"), "{text}");
    // The Jobs read each side's own names from its binding.
    let (old, new) = bdc::export::data_objects(&lw, &c.fleet.partners[0], "eks").expect("data");
    let env = |objects: &[bdc::lower::Object]| {
        let job = objects.iter().find(|o| o.kind() == "Job").expect("a Job");
        serde_json::to_value(job).expect("json")["spec"]["template"]["spec"]["containers"][0]["env"].clone()
    };
    assert!(env(&old).to_string().contains("\"name\":\"MAIN_DB_DATABASE\""), "{}", env(&old));
    assert!(env(&new).to_string().contains("\"PGDATABASE\",\"value\":\"$(MAIN_DB_DATABASE)\""), "{}", env(&new));
}

#[test]
fn data_service_and_proxy_images_are_pinned_by_the_platform_or_warned_about() {
    let pg = "docker.io/library/postgres:16.4@sha256:5b7a0c3e1f9d2846a1c0b3e5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5";
    let proxy = "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1@sha256:2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e0b2d4f6a8c1e3b5d7f9a0c2e4b6d8f1a3c";
    let pins =
        format!("images {{\n    \"postgres:16\" = \"{pg}\"\n    \"cloud-sql-proxy\" = \"{proxy}\"\n  }}\n  managed {{");
    let spec = proxied_spec("").replacen("managed {", &pins, 1).replace(
        "services { db = postgres { mode = managed } }",
        "services {\n    db = postgres { mode = managed }\n    local = postgres { version = 16, mode = in_cluster }\n  }",
    );
    let c = compile_text(&spec);
    assert!(c.diagnostics.is_empty(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], None).expect("placed");
    let objs: Vec<Value> = lw.partner_objects(&at).iter().map(|o| serde_json::to_value(o).expect("json")).collect();
    let set = find(&objs, "StatefulSet", "news-local").expect("statefulset");
    assert_eq!(set["spec"]["template"]["spec"]["containers"][0]["image"], pg);
    let web = find(&objs, "Deployment", "news").expect("deployment");
    assert_eq!(web["spec"]["template"]["spec"]["initContainers"][0]["image"], proxy);
    // Unpinned, each image is reported once, with how many partners run it.
    let unpinned = spec
        .replace(&format!("\"postgres:16\" = \"{pg}\""), "")
        .replace(&format!("\"cloud-sql-proxy\" = \"{proxy}\""), "");
    // A second partner like the first.
    let partner = &unpinned[unpinned.find("partner \"news\"").expect("partner")..];
    let twice = format!(
        "{unpinned}{}",
        partner.replace("\"news\"", "\"sport\"").replace("news.example.com", "sport.example.com")
    );
    let c = compile_text(&twice);
    let warnings: Vec<&str> =
        c.diagnostics.iter().filter(|d| d.code.as_str() == "W0411").map(|d| d.message.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "`postgres:16` runs `docker.io/library/postgres:16` by tag (service `local` of partner `news` and 1 more)",
            "the Cloud SQL Auth Proxy sidecar runs `gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.1` by tag (service `db` of partner `news` and 1 more)",
        ],
        "{}",
        super::support::rendered(&c)
    );
}
