//! bdc's YAML writer against independent readers: serde_yaml (YAML 1.2) and PyYAML (YAML 1.1,
//! the resolver family kubectl's go-yaml v2 belongs to). Over a generated set of tricky strings
//! placed in ConfigMap keys and values, labels, annotations and env, and over env values that go
//! through the whole compiler, both readers must read back exactly what the JSON output says.

use super::support::compile_text;
use bdc::emit::{self, Format};
use bdc::lower::{Lowering, Object};
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Container, EnvVar, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;
use std::collections::BTreeMap;

/// Words and numbers some YAML resolver reads as another type, indicators, and characters
/// no reader accepts raw.
const ATOMS: &[&str] = &[
    "y",
    "yes",
    "n",
    "no",
    "true",
    "false",
    "on",
    "off",
    "~",
    "null",
    "",
    "0",
    "12",
    "017",
    "0o17",
    "0b1010",
    "0x1f",
    "0xBEEF",
    "0x_1F",
    "1_000",
    "1:20",
    "190:20:30",
    "1:20.5",
    "1e3",
    "6.8523015e+5",
    "685.230_15e+03",
    ".5",
    "1.",
    "._5",
    ".inf",
    ".nan",
    "inf",
    "nan",
    "infinity",
    "0x1p-2",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2001-12-15T02:59:43.1Z",
    "2002-1-2",
    "<<",
    "=",
    "-",
    "?",
    ":",
    ",",
    "[",
    "]",
    "{",
    "}",
    "#",
    "&a",
    "*a",
    "!a",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    "---",
    "...",
    "a: b",
    "a #b",
    "a:",
    "- a",
    "? a",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FEFF}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{0}",
    "\u{1B}",
    "\u{7F}",
    "\u{9F}",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "é",
    "😀",
    "web",
    "250m",
    "512Mi",
    "sha256:ab",
];

/// Cheap deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

fn case_forms(s: &str) -> Vec<String> {
    let mut title = s.to_string();
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &s[1..];
    }
    let alternating: String =
        s.chars().enumerate().map(|(i, c)| if i % 2 == 1 { c.to_ascii_uppercase() } else { c }).collect();
    vec![s.to_string(), s.to_uppercase(), title, alternating]
}

/// Every atom in every case form with prefixes and suffixes, then random strings from an
/// alphabet of the characters that matter. `BDC_YAML_CASES` raises the random part.
pub fn tricky_strings() -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for atom in ATOMS {
        for form in case_forms(atom) {
            for prefix in ["", "-", "+", ".", " ", "a", "0"] {
                for suffix in ["", " ", ":", " #", "\n", "0"] {
                    out.insert(format!("{prefix}{form}{suffix}"));
                }
            }
        }
    }
    let alphabet: Vec<char> =
        "0123456789xXbBoOeEpP._:-+ #'\"\\TtZz yYnN~<=\n\t!&*[]{},|>%@`a/\u{FFFE}\u{2028}\u{85}é".chars().collect();
    let random = std::env::var("BDC_YAML_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000);
    let mut rng = Rng(0x5EED_CAFE_F00D);
    for _ in 0..random {
        let len = 1 + rng.next() % 12;
        out.insert((0..len).map(|_| *rng.pick(&alphabet)).collect());
    }
    out.into_iter().collect()
}

/// The tricky strings in every place bdc writes user text: ConfigMap keys and values, label and
/// annotation keys and values, env names and values.
fn objects_holding(strings: &[String]) -> Vec<Object> {
    strings
        .chunks(64)
        .enumerate()
        .flat_map(|(i, chunk)| {
            let map: BTreeMap<String, String> = chunk.iter().map(|s| (s.clone(), s.clone())).collect();
            let meta = ObjectMeta {
                name: Some(format!("tricky-{i}")),
                labels: Some(map.clone()),
                annotations: Some(map.clone()),
                ..Default::default()
            };
            let env = chunk.iter().map(|s| EnvVar { name: s.clone(), value: Some(s.clone()), ..Default::default() });
            let deployment = Deployment {
                metadata: meta.clone(),
                spec: Some(DeploymentSpec {
                    template: PodTemplateSpec {
                        metadata: Some(meta.clone()),
                        spec: Some(PodSpec {
                            containers: vec![Container {
                                name: "web".into(),
                                env: Some(env.collect()),
                                ..Default::default()
                            }],
                            ..Default::default()
                        }),
                    },
                    ..Default::default()
                }),
                ..Default::default()
            };
            let config = ConfigMap { metadata: meta, data: Some(map), ..Default::default() };
            [Object::ConfigMap(config), Object::Deployment(deployment)]
        })
        .collect()
}

/// A YAML value as JSON, refusing what JSON output could not have said: a key that is not a
/// string, a tag, a value that is neither string, number, boolean nor null.
fn strict_json(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => serde_json::to_value(&n).expect("a number"),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(strict_json).collect()),
        serde_yaml::Value::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| match k {
                    serde_yaml::Value::String(k) => (k, strict_json(v)),
                    other => (format!("!non-string key {other:?}"), strict_json(v)),
                })
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => Value::String(format!("!tagged {t:?}")),
    }
}

/// Reads every document of a stream with serde_yaml.
pub fn serde_yaml_read(stream: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(stream)
        .map(|doc| strict_json(serde_yaml::Value::deserialize(doc).unwrap_or_else(|e| panic!("serde_yaml: {e}"))))
        .collect()
}

/// PyYAML's safe loader over a stream; non-string keys and values of other types (dates,
/// sets, …) come back as marker strings, so they cannot pass for the JSON form.
const PYYAML_READ: &str = r#"
import json, sys, yaml
def plain(o):
    if isinstance(o, dict):
        return {(k if isinstance(k, str) else "!non-string key %s %r" % (type(k).__name__, k)): plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [plain(x) for x in o]
    if o is None or isinstance(o, (str, bool, int, float)):
        return o
    return "!%s %r" % (type(o).__name__, o)
docs = [plain(d) for d in yaml.load_all(sys.stdin.buffer.read(), Loader=yaml.SafeLoader)]
json.dump(docs, sys.stdout)
"#;

/// Reads every document of a stream with PyYAML (installed by `.ci/test` with
/// kubernetes-validate).
pub fn pyyaml_read(stream: &str) -> Vec<Value> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args(["-c", PYYAML_READ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = stream.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("python3 finishes");
    writer.join().expect("writer").expect("stream written");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("No module named 'yaml'"), "PyYAML is not installed: run `.ci/test`, which installs it");
    assert!(out.status.success(), "PyYAML could not read the stream:\n{err}");
    serde_json::from_slice(&out.stdout).expect("json from python")
}

fn yaml_stream(objects: &[Object]) -> String {
    let mut out = Vec::new();
    for o in objects {
        out.extend_from_slice(b"---\n");
        emit::yaml(o, &mut out);
    }
    String::from_utf8(out).expect("utf-8")
}

/// Compares document by document, naming the first string that differs.
fn assert_same(reader: &str, read: &[Value], json: &[Value]) {
    assert_eq!(read.len(), json.len(), "{reader} read {} documents, JSON has {}", read.len(), json.len());
    for (r, j) in read.iter().zip(json) {
        if r != j {
            let (r, j) = (r.to_string(), j.to_string());
            let at = r.chars().zip(j.chars()).take_while(|(a, b)| a == b).count();
            let from = at.saturating_sub(60);
            let near = |s: &str| s.chars().skip(from).take(160).collect::<String>();
            panic!("{reader} reads the YAML differently from the JSON:\n{reader}: …{}\nJSON:  …{}", near(&r), near(&j));
        }
    }
}

#[test]
fn every_reader_reads_tricky_strings_as_the_json_says() {
    let strings = tricky_strings();
    assert!(strings.len() > 8_000, "only {} strings", strings.len());
    let objects = objects_holding(&strings);
    let stream = yaml_stream(&objects);
    let json: Vec<Value> = objects.iter().map(|o| serde_json::to_value(o).expect("json")).collect();
    assert_same("serde_yaml", &serde_yaml_read(&stream), &json);
    let py = pyyaml_read(&stream);
    assert_same("PyYAML", &py, &json);
    // The strings themselves came back, in every place.
    let config = py[0]["data"].as_object().expect("data");
    for s in strings.iter().take(64) {
        assert_eq!(config.get(s), Some(&Value::String(s.clone())), "{s:?}");
    }
}

#[test]
fn the_readers_catch_a_writer_that_leaves_a_number_plain() {
    // The comparison can fail: `0xBEEF` written plain is a number to both readers.
    let json = [serde_json::json!({ "k": "0xBEEF", "d": "2001-12-14 21:59:43.10 -5" })];
    let plain = "k: 0xBEEF\nd: 2001-12-14 21:59:43.10 -5\n";
    assert_ne!(serde_yaml_read(plain)[0]["k"], json[0]["k"]);
    assert_ne!(pyyaml_read(plain)[0], json[0]);
}

/// A string's text inside a `.bdot` string literal.
fn bdot_escape(s: &str) -> String {
    s.replace('\\', r"\\").replace('"', r#"\""#).replace('\n', r"\n").replace('\t', r"\t").replace("${", r"\${")
}

/// Env values through the whole compiler: `bdc emit` as YAML and as JSON say the same, to
/// both readers.
#[test]
fn emitted_yaml_and_json_agree_for_tricky_env_values() {
    let strings: Vec<String> = tricky_strings().into_iter().step_by(7).collect();
    let mut checked = 0;
    for chunk in strings.chunks(200) {
        let env: Vec<String> =
            chunk.iter().enumerate().map(|(i, s)| format!("V{i} = \"{}\"", bdot_escape(s))).collect();
        let spec = format!(
            r#"import "std/plans"
platform p {{ registry = "registry.example.com/p" }}
release "1.0.0" {{ image = "web@sha256:6e3c1c5d4b1a0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e7d6c5b4a39281706", channel = stable }}
partner "site" {{
  domains = ["site.example.com"]
  plan    = plans.small
  follows = stable
  env {{ {} }}
}}
"#,
            env.join(", ")
        );
        let c = compile_text(&spec);
        if c.diagnostics.has_errors() {
            // Values the checker refuses (control characters, …) never reach a manifest.
            continue;
        }
        let lw = Lowering::new(&c.fleet).expect("platform");
        let at = [lw.place(&c.fleet.partners[0], Some("k8s")).expect("placed")];
        let mut yaml = Vec::new();
        emit::stream(&lw, &at, Format::Yaml, &mut yaml).map_err(|e| format!("{e:?}")).expect("yaml");
        let mut json = Vec::new();
        emit::stream(&lw, &at, Format::Json, &mut json).map_err(|e| format!("{e:?}")).expect("json");
        let yaml = String::from_utf8(yaml).expect("utf-8");
        let list: Value = serde_json::from_slice(&json).expect("json list");
        let items = list["items"].as_array().expect("items");
        assert_same("serde_yaml", &serde_yaml_read(&yaml), items);
        assert_same("PyYAML", &pyyaml_read(&yaml), items);
        checked += chunk.len();
    }
    eprintln!("{checked} of {} env values checked clean and were compared", strings.len());
    assert!(checked * 2 > strings.len(), "only {checked} of {} env values reached a manifest", strings.len());
}
