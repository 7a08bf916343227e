//! `bdc emit`: snapshots of every example × target, determinism, the restricted pod security
//! settings, structural checks, object families, portability, and independent validation
//! against the official Kubernetes 1.33 schemas (`kubernetes-validate`).

use super::support::{bdot_files, compile_paths, compile_text, root};
use bdc::emit::{self, Format};
use bdc::lower::{verify, Lowering, Object};
use std::path::PathBuf;

pub const TARGETS: &[&str] = &["k8s", "gke", "eks", "aks"];

pub fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn example_files(name: &str) -> Vec<PathBuf> {
    bdot_files(&root().join("examples").join(name))
        .into_iter()
        .map(|f| f.strip_prefix(root()).expect("under root").to_path_buf())
        .collect()
}

/// The emitted stream of an example for a target.
pub fn stream(example: &str, target: &str, format: Format) -> String {
    let c = compile_paths(&example_files(example));
    assert!(!c.diagnostics.has_errors(), "{example} has errors");
    let lw = Lowering::new(&c.fleet).expect("platform");
    let placements: Vec<_> = c.fleet.partners.iter().map(|p| lw.place(p, Some(target)).expect("placeable")).collect();
    let mut out = Vec::new();
    emit::stream(&lw, &placements, format, &mut out).map_err(|e| format!("{e:?}")).expect("writes to memory");
    String::from_utf8(out).expect("utf-8")
}

/// Every object of an example for a target, per partner.
fn objects(example: &str, target: &str) -> Vec<(String, Vec<Object>)> {
    let c = compile_paths(&example_files(example));
    let lw = Lowering::new(&c.fleet).expect("platform");
    c.fleet
        .partners
        .iter()
        .map(|p| {
            let at = lw.place(p, Some(target)).expect("placeable");
            let mut objs = lw.cluster_objects(std::slice::from_ref(&at));
            objs.extend(lw.partner_objects(&at));
            (p.name.value.clone(), objs)
        })
        .collect()
}

#[test]
fn snapshots_of_every_example_and_target() {
    for example in examples() {
        for target in TARGETS {
            let yaml = stream(&example, target, Format::Yaml);
            insta::with_settings!({ snapshot_path => root().join("tests/snapshots/emit"), prepend_module_to_snapshot => false, omit_expression => true }, {
                insta::assert_snapshot!(format!("{example}-{target}"), yaml);
            });
        }
    }
}

#[test]
fn output_is_deterministic() {
    for target in TARGETS {
        let a = stream("mediasphere", target, Format::Yaml);
        let b = stream("mediasphere", target, Format::Yaml);
        assert!(a == b, "two runs differ for {target}");
        assert_eq!(stream("mediasphere", target, Format::Json), stream("mediasphere", target, Format::Json));
    }
}

#[test]
fn stream_is_in_apply_order() {
    let yaml = stream("mediasphere", "gke", Format::Yaml);
    let kinds: Vec<&str> = yaml.lines().filter_map(|l| l.strip_prefix("kind: ")).collect();
    // Cluster-scoped objects first (the secret store), then every Namespace, then the rest.
    assert_eq!(kinds[0], "ClusterSecretStore", "{kinds:?}");
    let first_other = 1 + kinds[1..].iter().position(|k| *k != "Namespace").expect("objects");
    assert!(kinds[1..first_other].len() == 4 && !kinds[first_other..].contains(&"Namespace"), "{kinds:?}");
}

#[test]
fn json_stream_is_one_list() {
    let json: serde_json::Value =
        serde_json::from_str(&stream("mediasphere", "eks", Format::Json)).expect("valid JSON");
    assert_eq!(json["kind"], "List");
    assert!(json["items"].as_array().expect("items").len() > 40);
}

#[test]
fn every_object_passes_the_structural_checks() {
    for example in examples() {
        for target in TARGETS {
            for (partner, objs) in objects(&example, target) {
                let v = verify::objects(&objs);
                assert!(v.is_empty(), "{example}/{target}/{partner}: {v:?}");
            }
        }
    }
}

#[test]
fn the_structural_checks_catch_broken_objects() {
    let (_, mut objs) = objects("minimal", "k8s").remove(0);
    for o in &mut objs {
        if let Object::Service(s) = o {
            let spec = s.spec.as_mut().expect("spec");
            spec.selector.as_mut().expect("selector").insert("app.kubernetes.io/name".into(), "other".into());
        }
    }
    let v = verify::objects(&objs);
    assert!(v.iter().any(|v| v.object.starts_with("Service/") && v.problem.contains("selector")), "{v:?}");
}

/// The settings Pod Security `restricted` requires of a pod and each of its containers (and
/// bdc's own: no service account token, a read-only root with a writable `/tmp`).
pub fn assert_restricted_pod(pod: &k8s_openapi::api::core::v1::PodSpec, who: &str) {
    let psc = pod.security_context.as_ref().expect("pod security context");
    assert_eq!(psc.run_as_non_root, Some(true), "{who}");
    assert_eq!(psc.seccomp_profile.as_ref().map(|s| s.type_.as_str()), Some("RuntimeDefault"), "{who}");
    assert_eq!(pod.automount_service_account_token, Some(false), "{who}");
    for c in pod.containers.iter().chain(pod.init_containers.iter().flatten()) {
        let sc = c.security_context.as_ref().expect("container security context");
        assert_eq!(sc.allow_privilege_escalation, Some(false), "{who}/{}", c.name);
        assert_eq!(sc.privileged, Some(false), "{who}/{}", c.name);
        assert_eq!(sc.read_only_root_filesystem, Some(true), "{who}/{}", c.name);
        assert_eq!(sc.capabilities.as_ref().and_then(|c| c.drop.clone()), Some(vec!["ALL".to_string()]));
    }
    for c in &pod.containers {
        let mounts = c.volume_mounts.as_ref().expect("mounts");
        assert!(mounts.iter().any(|m| m.mount_path == "/tmp"), "{who}/{}: writable /tmp", c.name);
    }
}

#[test]
fn every_pod_template_is_restricted() {
    for example in examples() {
        for target in TARGETS {
            for (partner, objs) in objects(&example, target) {
                let mut workloads = 0;
                for o in &objs {
                    let pod = match o {
                        Object::Deployment(d) => d.spec.as_ref().and_then(|s| s.template.spec.as_ref()),
                        Object::Rollout(r) => r.spec.template.spec.as_ref(),
                        _ => continue,
                    };
                    workloads += 1;
                    let pod = pod.expect("pod spec");
                    assert_restricted_pod(pod, &partner);
                    for c in &pod.containers {
                        let res = c.resources.as_ref().expect("resources");
                        assert!(res.limits.is_some() && res.requests.is_some());
                        assert!(c.readiness_probe.is_some() && c.liveness_probe.is_some());
                    }
                    let spread = pod.topology_spread_constraints.as_ref().expect("spread");
                    assert!(spread.iter().any(|t| t.topology_key == "topology.kubernetes.io/zone"));
                }
                assert!(workloads >= 1, "{partner} has no workload");
                let ns = objs.iter().find_map(|o| match o {
                    Object::Namespace(n) => n.metadata.labels.clone(),
                    _ => None,
                });
                assert_eq!(
                    ns.expect("namespace labels").get("pod-security.kubernetes.io/enforce").map(String::as_str),
                    Some("restricted")
                );
            }
        }
    }
}

#[test]
fn recommended_labels_are_everywhere() {
    for (_, objs) in objects("mediasphere", "aks") {
        for o in objs.iter().filter(|o| o.namespace().is_some()) {
            let labels = o.metadata().labels.as_ref().expect("labels");
            for key in ["name", "instance", "component", "part-of", "managed-by"] {
                assert!(labels.contains_key(&format!("app.kubernetes.io/{key}")), "{} lacks {key}", o.kind());
            }
            assert_eq!(labels["app.kubernetes.io/managed-by"], "bdc");
        }
    }
}

pub fn spec_with_text(partner_fields: &str) -> String {
    spec_with(partner_fields)
}

fn spec_with(partner_fields: &str) -> String {
    format!(
        r#"import "std/plans"
platform p {{ registry = "registry.example.com/p", registries {{ eks = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/p" }} }}
release "1.0.0" {{ image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }}
partner "site" {{
  domains = ["site.example.com"]
  plan    = plans.small
  follows = stable
  {partner_fields}
}}
"#
    )
}

fn objects_of(text: &str, target: &str) -> Vec<Object> {
    let c = compile_text(text);
    assert!(!c.diagnostics.has_errors(), "{:?}", c.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>());
    let lw = Lowering::new(&c.fleet).expect("platform");
    let at = lw.place(&c.fleet.partners[0], Some(target)).expect("placed");
    let mut objs = lw.cluster_objects(std::slice::from_ref(&at));
    objs.extend(lw.partner_objects(&at));
    objs
}

fn kinds(objs: &[Object]) -> Vec<&'static str> {
    objs.iter().map(Object::kind).collect()
}

#[test]
fn fixed_replicas_mean_no_autoscaler() {
    let objs = objects_of(&spec_with("replicas = 3..3"), "k8s");
    assert!(!kinds(&objs).contains(&"HorizontalPodAutoscaler"));
    let d = objs
        .iter()
        .find_map(|o| if let Object::Deployment(d) = o { d.spec.clone() } else { None })
        .expect("deployment");
    assert_eq!(d.replicas, Some(3));
    let objs = objects_of(&spec_with("replicas = 2..5"), "k8s");
    assert!(kinds(&objs).contains(&"HorizontalPodAutoscaler"));
    let d = objs
        .iter()
        .find_map(|o| if let Object::Deployment(d) = o { d.spec.clone() } else { None })
        .expect("deployment");
    assert_eq!(d.replicas, None, "the autoscaler owns the count");
}

#[test]
fn secrets_are_referenced_never_emitted() {
    let objs = objects_of(
        &spec_with(
            r#"secrets = ["stripe-key"]
  env { MODE = "metered" }"#,
        ),
        "gke",
    );
    assert!(!kinds(&objs).contains(&"Secret"));
    let yaml: String = objs.iter().map(|o| serde_yaml::to_string(o).expect("yaml")).collect();
    assert!(yaml.contains("secretRef:\n") && yaml.contains("name: stripe-key"));
    assert!(yaml.contains("MODE: metered"));
}

#[test]
fn storage_gets_a_claim_and_eks_a_gp3_class() {
    let fields = "replicas = 1..1\n  storage = 5Gi";
    let eks = objects_of(&spec_with(fields), "eks");
    assert!(kinds(&eks).contains(&"StorageClass") && kinds(&eks).contains(&"PersistentVolumeClaim"));
    let gke = objects_of(&spec_with(fields), "gke");
    assert!(!kinds(&gke).contains(&"StorageClass"));
    let pvc = gke
        .iter()
        .find_map(|o| if let Object::PersistentVolumeClaim(p) = o { p.spec.clone() } else { None })
        .expect("pvc");
    assert_eq!(pvc.storage_class_name.as_deref(), Some("standard-rwo"));
    assert!(!kinds(&objects_of(&spec_with(""), "eks")).contains(&"PersistentVolumeClaim"));
}

#[test]
fn routing_differs_per_target() {
    let text = spec_with("");
    assert!(kinds(&objects_of(&text, "k8s")).contains(&"HTTPRoute"));
    assert!(kinds(&objects_of(&text, "k8s")).contains(&"Certificate"));
    assert!(kinds(&objects_of(&text, "gke")).contains(&"ManagedCertificate"));
    let eks = objects_of(&text, "eks");
    let ing =
        eks.iter().find_map(|o| if let Object::Ingress(i) = o { Some(i.clone()) } else { None }).expect("ingress");
    assert_eq!(ing.spec.as_ref().and_then(|s| s.ingress_class_name.as_deref()), Some("alb"));
    let ann = ing.metadata.annotations.expect("annotations");
    assert_eq!(ann["alb.ingress.kubernetes.io/scheme"], "internet-facing");
    assert_eq!(ann["alb.ingress.kubernetes.io/target-type"], "ip");
    let aks = objects_of(&text, "aks");
    let ing =
        aks.iter().find_map(|o| if let Object::Ingress(i) = o { Some(i.clone()) } else { None }).expect("ingress");
    assert_eq!(
        ing.spec.as_ref().and_then(|s| s.ingress_class_name.as_deref()),
        Some("webapprouting.kubernetes.azure.com")
    );
}

#[test]
fn identity_annotations_follow_the_provider() {
    let sa = |objs: &[Object]| {
        objs.iter().find_map(|o| if let Object::ServiceAccount(s) = o { Some(s.clone()) } else { None }).expect("sa")
    };
    let eks = objects_of(&spec_with(r#"identity = "arn:aws:iam::123456789012:role/site""#), "eks");
    assert_eq!(
        sa(&eks).metadata.annotations.expect("annotations")["eks.amazonaws.com/role-arn"],
        "arn:aws:iam::123456789012:role/site"
    );
    let gke = objects_of(&spec_with(r#"identity = "arn:aws:iam::123456789012:role/site""#), "gke");
    assert!(sa(&gke).metadata.annotations.is_none(), "an AWS role means nothing on GKE");
    let aks = objects_of(&spec_with(r#"identity = "0f9b2c1e-8d3a-4b5c-9e7f-1a2b3c4d5e6f""#), "aks");
    assert!(sa(&aks).metadata.annotations.is_some());
    let pod_labels = aks
        .iter()
        .find_map(|o| {
            if let Object::Deployment(d) = o {
                d.spec.as_ref().and_then(|s| s.template.metadata.clone())
            } else {
                None
            }
        })
        .and_then(|m| m.labels)
        .expect("pod labels");
    assert_eq!(pod_labels["azure.workload.identity/use"], "true");
}

#[test]
fn images_are_rewritten_to_the_targets_registry() {
    let image = |objs: &[Object]| {
        objs.iter()
            .find_map(|o| {
                if let Object::Deployment(d) = o {
                    d.spec.as_ref().and_then(|s| s.template.spec.as_ref()).and_then(|p| p.containers[0].image.clone())
                } else {
                    None
                }
            })
            .expect("image")
    };
    let text = spec_with("");
    assert!(
        image(&objects_of(&text, "eks")).starts_with("123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/p/web@sha256:")
    );
    assert!(image(&objects_of(&text, "gke")).starts_with("registry.example.com/p/web@sha256:"));
}

#[test]
fn network_policy_denies_by_default() {
    let objs = objects_of(&spec_with(r#"egress = ["10.20.0.0/16:5432"]"#), "aks");
    let names: Vec<&str> = objs.iter().filter(|o| o.kind() == "NetworkPolicy").map(Object::name).collect();
    assert_eq!(names, ["default-deny", "allow-ingress", "allow-dns", "allow-egress"]);
    let deny =
        objs.iter().find_map(|o| if let Object::NetworkPolicy(n) = o { Some(n.clone()) } else { None }).expect("deny");
    let spec = deny.spec.expect("spec");
    assert_eq!(spec.policy_types, Some(vec!["Ingress".to_string(), "Egress".to_string()]));
    assert!(spec.ingress.is_none() && spec.egress.is_none());
}

#[test]
fn the_computed_quota_holds_the_rollout_peak() {
    // 2..4 pods of plans.small (250m, limit 500m), rolling 25% surge → 5 pods.
    let objs = objects_of(&spec_with("replicas = 2..4"), "k8s");
    let q = objs
        .iter()
        .find_map(|o| if let Object::ResourceQuota(q) = o { q.spec.clone() } else { None })
        .and_then(|s| s.hard)
        .expect("quota");
    assert_eq!(q["pods"].0, "5");
    assert_eq!(q["requests.cpu"].0, "1250m");
    assert_eq!(q["limits.memory"].0, "5Gi");
}

/// Quantities large enough to wrap the quota arithmetic (which panics in this debug build if it
/// is unchecked) never check clean; at the largest values the checker accepts, the emitted
/// quota is the exact peak, computed here independently in 128 bits.
#[test]
fn huge_quantities_never_check_clean_and_the_largest_emit_an_exact_quota() {
    for fields in [
        "plan = { cpu = 18446744073709551, memory = 1Gi }",
        "plan = { cpu = 1, memory = 16000000Ti }\n  replicas = 2..4",
        "plan = { cpu = 1, memory = 1Gi }\n  replicas = 9223372036854775807",
        "plan = { cpu = 1, memory = 1Gi }\n  strategy = rolling { max_surge = 9223372036854775807 }",
        "plan = { cpu = 250m, memory = 60Ti }\n  replicas = 2..100000\n  quota = { cpu = 100000, memory = 64Ti }",
        "plan = { cpu = 250m, memory = 1Gi }\n  services { cache = redis { memory = 16000000Ti } }",
        "plan = { cpu = 250m, memory = 1Gi }\n  strategy = rolling { min_ready = 213503982d }",
    ] {
        let spec = spec_with(fields).replace("  plan    = plans.small\n", "");
        let c = compile_text(&spec);
        assert!(c.diagnostics.has_errors(), "checks clean:\n{fields}");
    }
    let biggest = "plan = { cpu = 100000, memory = 64Ti }\n  replicas = 100000\n  strategy = blue_green { }";
    let objs = objects_of(&spec_with(biggest).replace("  plan    = plans.small\n", ""), "k8s");
    let hard = objs
        .iter()
        .find_map(|o| if let Object::ResourceQuota(q) = o { q.spec.clone() } else { None })
        .and_then(|s| s.hard)
        .expect("quota");
    let pods: u128 = 2 * 100_000;
    assert_eq!(hard["pods"].0, pods.to_string());
    assert_eq!(hard["requests.cpu"].0, (pods * 100_000).to_string());
    assert_eq!(hard["requests.memory"].0, format!("{}Pi", pods * 64 / 1024)); // 64Ti each
}

/// The API server refuses a ConfigMap over 1 MiB (keys and values together): exactly 1 MiB
/// checks clean, one byte more does not, whether in one value or across several.
#[test]
fn env_over_the_config_map_limit_is_refused() {
    let codes_for = |env: &str| super::support::codes(&compile_text(&spec_with(env)));
    let mib = 1 << 20;
    let one = |n: usize| format!("env {{ BIG = \"{}\" }}", "x".repeat(n));
    assert!(!codes_for(&one(mib - 3)).contains(&"E0430".to_string()));
    assert!(codes_for(&one(mib - 2)).contains(&"E0430".to_string()));
    let half = |n: usize| format!("env {{ A = \"{}\", B = \"{}\" }}", "x".repeat(n), "y".repeat(n));
    assert!(!codes_for(&half(mib / 2 - 1)).contains(&"E0430".to_string()));
    assert!(codes_for(&half(mib / 2)).contains(&"E0430".to_string()));
}

#[test]
fn a_partner_exported_to_another_cloud_gets_a_report() {
    let c = compile_paths(&example_files("mediasphere"));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let partner = c.fleet.partners.iter().find(|p| p.name.value == "newsroom-a").expect("newsroom-a");
    let home = lw.place(partner, None).expect("home");
    assert!(bdc::portability::report(&lw, &home).is_empty(), "no report at home");
    let eks = lw.place(partner, Some("eks")).expect("eks");
    let text = bdc::portability::markdown(&eks, &bdc::portability::report(&lw, &eks));
    assert!(text.contains("ACM certificate requested by domain"), "{text}");
    assert!(text.contains("an ACK IAM Role `bd-newsroom-a`"), "{text}");
    assert!(text.contains("approve the DNS cut-over of news-a.kr"), "{text}");
    assert!(text.contains("`stripe-key`"), "{text}");
    // Three sections, and the same notes as JSON.
    for title in ["## To do by hand", "## Kept, check", "## Changed automatically"] {
        assert!(text.contains(title), "{title}: {text}");
    }
    let json = bdc::portability::json(&eks, &bdc::portability::report(&lw, &eks));
    assert_eq!(json["to"], "eks");
    assert_eq!(json["by_hand"].as_array().expect("list").len(), 2, "{json}");
}

/// The schemas' version: the API version bdc's objects are typed for (`bdc version`).
pub fn kubernetes_version() -> String {
    format!("{}.0", bdc::lower::KUBERNETES_API)
}

/// The independent check: every emitted object of every example × target against the official
/// Kubernetes 1.33 JSON schemas, strictly (unknown fields fail). Custom resources have no
/// official schema and are reported as skipped by the validator.
#[test]
fn every_object_passes_the_official_kubernetes_schemas() {
    let dir = std::env::temp_dir().join(format!("bdc-validate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    let mut core = 0;
    for example in examples() {
        for target in TARGETS {
            for (partner, objs) in objects(&example, target) {
                for (i, o) in objs.iter().enumerate() {
                    if o.is_custom_resource() {
                        continue; // no official schema
                    }
                    core += 1;
                    let path = dir.join(format!("{example}-{target}-{partner}-{i:02}.yaml"));
                    std::fs::write(&path, serde_yaml::to_string(o).expect("yaml")).expect("write");
                    files.push(path);
                }
            }
        }
    }
    assert!(core > 100, "only {core} objects");
    let output = std::process::Command::new("python3")
        .args(["-m", "kubernetes_validate", "--kubernetes-version", &kubernetes_version(), "--strict", "--quiet"])
        .args(&files)
        .output()
        .expect("python3 runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        !text.contains("No module named kubernetes_validate"),
        "kubernetes-validate is not installed: run `.ci/test`, which installs it (pip install kubernetes-validate)"
    );
    assert!(output.status.success() && !text.contains("ERROR"), "schema validation failed:\n{text}");
    // The validator must really have checked them: a corrupted copy of one must fail.
    let broken = dir.join("broken.yaml");
    let first = std::fs::read_to_string(&files[0]).expect("readable");
    std::fs::write(&broken, format!("{first}unexpectedField: 1\n")).expect("write");
    let status = std::process::Command::new("python3")
        .args(["-m", "kubernetes_validate", "--kubernetes-version", &kubernetes_version(), "--strict", "--quiet"])
        .arg(&broken)
        .status()
        .expect("python3 runs");
    assert!(!status.success(), "the validator accepted an object with an unknown field");
    eprintln!("{core} objects validated against the Kubernetes 1.33 schemas");
    let _ = std::fs::remove_dir_all(&dir);
}

/// bdc's own YAML writer must say exactly what the object says: read back by two independent
/// YAML readers (serde_yaml, YAML 1.2; PyYAML, YAML 1.1 like kubectl's go-yaml v2), every
/// emitted object equals its JSON form.
#[test]
fn the_yaml_writer_round_trips_every_object() {
    let (mut stream, mut json) = (String::new(), Vec::new());
    for example in examples() {
        for target in TARGETS {
            for (_, objs) in objects(&example, target) {
                for o in &objs {
                    let mut text = Vec::new();
                    bdc::emit::yaml(o, &mut text);
                    let text = String::from_utf8(text).expect("utf-8");
                    let read: serde_json::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
                    assert_eq!(read, serde_json::to_value(o).expect("json"), "{text}");
                    stream.push_str("---\n");
                    stream.push_str(&text);
                    json.push(serde_json::to_value(o).expect("json"));
                }
            }
        }
    }
    assert!(json.len() > 200);
    let py = super::yaml::pyyaml_read(&stream);
    assert_eq!(py.len(), json.len());
    for (p, j) in py.iter().zip(&json) {
        assert_eq!(p, j, "PyYAML reads an object differently");
    }
}

/// Every emitted Argo Rollout passes the Argo Rollouts CRD schema (tests/data/argo-rollouts,
/// source named in its README), with unknown fields reported as errors.
#[test]
fn every_rollout_passes_the_argo_rollouts_crd() {
    let dir = std::env::temp_dir().join(format!("bdc-rollouts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files = Vec::new();
    for example in examples() {
        for target in TARGETS {
            for (partner, objs) in objects(&example, target) {
                for o in objs.iter().filter(|o| matches!(o, Object::Rollout(_))) {
                    let path = dir.join(format!("{example}-{target}-{partner}.yaml"));
                    let mut text = Vec::new();
                    bdc::emit::yaml(o, &mut text);
                    std::fs::write(&path, text).expect("write");
                    files.push(path);
                }
            }
        }
    }
    assert!(files.len() >= 12, "only {} rollouts", files.len());
    let data = root().join("tests/data/argo-rollouts");
    let run = |files: &[PathBuf]| {
        std::process::Command::new("python3")
            .arg(data.join("validate.py"))
            .arg("--gatewayapi-plugin")
            .arg(data.join("rollout-crd.yaml"))
            .args(files)
            .output()
            .expect("python3 runs")
    };
    let out = run(&files);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("No module named"), "run `.ci/test`, which installs the validator's dependencies:\n{text}");
    assert!(out.status.success(), "Rollouts fail the CRD schema:\n{text}");
    assert!(text.contains(&format!("{} Rollouts valid", files.len())), "{text}");
    // The validator rejects a misspelt field.
    assert!(!run(&[data.join("examples/invalid-typos.yaml")]).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fleet of one partner with every kind of backing service, on `version` of its release.
fn release_spec(version: &str, strategy: &str) -> String {
    format!(
        r#"import "std/plans"
platform p {{
  registry     = "registry.example.com/p"
  default_plan = plans.small
  managed {{
    gke = {{ project = "p-prod", region = "asia-northeast3" }}
    eks = {{ db_subnet_group = "d", cache_subnet_group = "c", security_groups = ["sg-1"] }}
    aks = {{ resource_group = "rg", region = "koreacentral" }}
  }}
}}
strategy careful = {strategy}
release "{version}" {{ image = "web:{version}", channel = stable, args = ["--serve"] }}
partner "site" {{
  domains  = ["site.example.com"]
  follows  = stable
  target   = gke
  strategy = careful
  storage  = 1Gi
  env {{ MODE = "live" }}
  services {{
    db    = postgres {{ version = 16, size = 20Gi }}
    cache = redis {{ memory = 1Gi }}
    main  = postgres {{ mode = managed }}
    hot   = redis {{ mode = managed }}
  }}
}}
"#
    )
}

/// Objects that run the release: the web Deployments or Rollout (their pod templates name the
/// release's image and version).
fn runs_the_release(o: &Object) -> bool {
    matches!(o, Object::Deployment(_) | Object::Rollout(_))
}

#[test]
fn a_new_release_changes_only_what_runs_it() {
    let strategies =
        ["rolling { max_surge = 1 }", "blue_green { preview = true }", "canary { steps = [10% for 5m, 50% for 5m] }"];
    for strategy in strategies {
        let old = compile_text(&release_spec("1.0.0", strategy));
        let new = compile_text(&release_spec("1.1.0", strategy));
        for c in [&old, &new] {
            assert!(!c.diagnostics.has_errors(), "{}", super::support::rendered(c));
        }
        let (lw_old, lw_new) =
            (Lowering::new(&old.fleet).expect("platform"), Lowering::new(&new.fleet).expect("platform"));
        for target in TARGETS {
            let place = |lw: &Lowering<'_>, c: &bdc::Compilation| {
                let at = lw.place(&c.fleet.partners[0], Some(target)).expect("placed");
                lw.partner_objects(&at)
            };
            let (before, after) = (place(&lw_old, &old), place(&lw_new, &new));
            assert_eq!(before.len(), after.len(), "{target} {strategy}");
            let mut changed = Vec::new();
            for (a, b) in before.iter().zip(&after) {
                let (ja, jb) = (serde_json::to_value(a).expect("json"), serde_json::to_value(b).expect("json"));
                if ja != jb {
                    changed.push(format!("{} {}", a.kind(), a.name()));
                    assert!(
                        runs_the_release(a),
                        "{target} {strategy}: {} `{}` changed with the release",
                        a.kind(),
                        a.name()
                    );
                }
                if let Object::StatefulSet(s) = a {
                    let template = |o: &Object| match o {
                        Object::StatefulSet(s) => {
                            serde_json::to_value(&s.spec.as_ref().expect("spec").template).expect("json")
                        }
                        _ => panic!("not a StatefulSet"),
                    };
                    assert_eq!(
                        template(&Object::StatefulSet(s.clone())),
                        template(b),
                        "{target}: pods of {}",
                        a.name()
                    );
                }
            }
            assert!(!changed.is_empty(), "{target} {strategy}: the workload must change with the release");
        }
    }
}

#[test]
fn only_what_runs_the_release_carries_its_version() {
    for (_, objs) in objects("services", "gke") {
        for o in &objs {
            let meta = o.metadata().labels.as_ref();
            let has = meta.is_some_and(|l| l.contains_key("app.kubernetes.io/version"));
            assert_eq!(has, runs_the_release(o), "{} `{}`", o.kind(), o.name());
        }
    }
}

/// A partner that names a cluster and no target, on a platform whose default is another one.
const CLUSTERED: &str = r#"
platform p { registry = "registry.example.com/p", default_target = gke }
cluster virginia { context = "eks-prod", target = eks }
release "1.0.0" {
  image   = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706"
  channel = stable
}
partner "site" {
  domains = ["site.example.com"]
  follows = stable
  cluster = virginia
}
"#;

#[test]
fn emit_and_apply_place_a_partner_on_its_clusters_target() {
    let c = compile_text(CLUSTERED);
    assert!(c.diagnostics.is_empty(), "{}", super::support::rendered(&c));
    let lw = Lowering::new(&c.fleet).expect("platform");
    let p = &c.fleet.partners[0];
    let emitted = lw.place(p, None).expect("placed");
    assert_eq!(emitted.target.name.value, "eks", "emit lowers for the cluster's target");
    let routes = bdc::apply::session::routes(&lw, &[], None, None, None).expect("routes");
    assert_eq!(routes[0].cluster.1.as_deref(), Some("eks-prod"));
    // `--kubeconfig` names the file the cluster's context is read from.
    let routes = bdc::apply::session::routes(&lw, &[], None, None, Some("ci.yaml".into())).expect("routes");
    assert_eq!(routes[0].cluster, (Some("ci.yaml".to_string()), Some("eks-prod".to_string())));
    let applied = lw.place(p, routes[0].target.as_deref()).expect("placed");
    assert_eq!(applied.target.name.value, emitted.target.name.value, "apply lowers as emit does");
    let json = |at| -> Vec<serde_json::Value> {
        lw.partner_objects(at).iter().map(|o| serde_json::to_value(o).expect("json")).collect()
    };
    assert_eq!(json(&applied), json(&emitted));
    let home = c.fleet.home(p, None);
    assert_eq!(
        (home.cluster.map(|k| k.name.value.as_str()), home.target, home.moved),
        (Some("virginia"), "eks", false)
    );
}

#[test]
fn a_target_override_keeps_the_cluster_and_apply_needs_a_context_for_it() {
    let c = compile_text(CLUSTERED);
    let lw = Lowering::new(&c.fleet).expect("platform");
    let p = &c.fleet.partners[0];
    // emit --target aks: the manifests are for AKS, and the report says where they cannot go.
    let at = lw.place(p, Some("aks")).expect("placed");
    assert_eq!(at.target.name.value, "aks");
    let notes = bdc::portability::report(&lw, &at);
    let text = bdc::portability::markdown(&at, &notes);
    assert!(text.starts_with("# Portability: `site` from `eks` (cluster `virginia`) to `aks`"), "{text}");
    assert!(text.contains("apply these manifests to a `aks` cluster: cluster `virginia`"), "{text}");
    // apply --target aks would send AKS manifests to the EKS cluster: refused, naming both.
    let Err(refused) = bdc::apply::session::routes(&lw, &[], Some("aks"), None, None) else { panic!("routed") };
    assert!(refused.contains("partner `site` runs on cluster `virginia`, whose target is `eks`"), "{refused}");
    // With a cluster named on the command line, the override goes there.
    let routes = bdc::apply::session::routes(&lw, &[], Some("aks"), Some("aks-new"), None).expect("routes");
    assert_eq!((routes[0].target.as_deref(), routes[0].cluster.1.as_deref()), (Some("aks"), Some("aks-new")));
    // The cluster's own target as an override is no override at all.
    assert!(bdc::apply::session::routes(&lw, &[], Some("eks"), None, None).is_ok());
    assert!(bdc::portability::report(&lw, &lw.place(p, Some("eks")).expect("placed")).is_empty());
}

#[test]
fn a_partner_target_that_contradicts_its_cluster_is_an_error() {
    let spec = CLUSTERED.replace("cluster = virginia", "cluster = virginia\n  target  = gke");
    let c = compile_text(&spec);
    let e = c.diagnostics.iter().find(|d| d.code.as_str() == "E0445").expect("E0445");
    assert!(e.message.contains("partner `site`") && e.message.contains("cluster `virginia`"), "{}", e.message);
    assert!(e.help.as_deref().is_some_and(|h| h.contains("remove `target = gke`")), "{:?}", e.help);
    let unused = CLUSTERED.replace("  cluster = virginia\n", "");
    let c = compile_text(&unused);
    assert_eq!(super::support::codes(&c), ["W0410"]);
}
