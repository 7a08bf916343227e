//! `bdc lsp` driven over stdio with real JSON-RPC messages, as an editor would: initialize,
//! didOpen, didChange, diagnostics, hover, definition, references, completion, symbols, code
//! actions, formatting, shutdown and exit.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for responses.
    notes: Vec<Value>,
}

impl Client {
    fn start(cache: &std::path::Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bdc"))
            .arg("lsp")
            .env("XDG_CACHE_HOME", cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("bdc lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (send, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).expect("body");
                if send.send(serde_json::from_slice::<Value>(&body).expect("json")).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, incoming, next_id: 1, notes: Vec::new() }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.incoming.recv_timeout(Duration::from_secs(20)).expect("an answer in time");
            if m.get("id") == Some(&json!(id)) && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            self.notes.push(m);
        }
    }

    /// The next diagnostics published for a file whose URI ends with `name`.
    fn diagnostics_for(&mut self, name: &str) -> Vec<Value> {
        let is_it = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"].as_str().is_some_and(|u| u.ends_with(name))
        };
        if let Some(i) = self.notes.iter().position(is_it) {
            return self.notes.remove(i)["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        loop {
            let m = self.incoming.recv_timeout(Duration::from_secs(20)).expect("diagnostics in time");
            if is_it(&m) {
                return m["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            }
            self.notes.push(m);
        }
    }
}

const PLATFORM: &str = r#"import "std/plans"

platform lab {
  registry     = "registry.example.com/lab"
  default_plan = plans.small
  images { "postgres:16" = "docker.io/library/postgres:16.4@sha256:5b7a0c3e1f9d2846a1c0b3e5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5" }
}

// Everyone's first release.
release "1.0.0" { image = "web:1.0.0", channel = stable }

plan roomy = plans.medium with { memory = 2Gi }
"#;

const PARTNERS: &str = r#"import "std/plans"

partner "a" {
  domains = ["a.example.com"]
  plan    = plans.medium with { memroy = 2Gi }
  follows = stable
}

partner "b" {
  domains  = ["b.example.com"]
  plan     = roomy
  follows  = stable
  services { db = postgres { version = 16 } }
}
"#;

fn uri(path: &std::path::Path) -> String {
    url::Url::from_file_path(path).expect("absolute").to_string()
}

/// The 0-based line and UTF-16 column of the first `needle` in `text` (plus `shift`).
fn pos(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).expect("needle") + shift;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col})
}

#[test]
fn an_editor_session_over_stdio() {
    let dir = std::env::temp_dir().join(format!("bdc-lsp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let dir = dir.canonicalize().expect("canonical");
    std::fs::write(dir.join("platform.bdot"), PLATFORM).expect("write");
    std::fs::write(dir.join("partners.bdot"), PARTNERS).expect("write");
    let partners = uri(&dir.join("partners.bdot"));
    let mut c = Client::start(&dir.join("cache"));

    let init = c.request("initialize", json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}));
    assert_eq!(init["capabilities"]["hoverProvider"], true);
    assert_eq!(init["serverInfo"], json!({"name": "bdc", "version": env!("CARGO_PKG_VERSION")}));
    c.notify("initialized", json!({}));

    // Live diagnostics: the same code and message as `bdc check`, on the misspelt key.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": partners, "languageId": "bdot", "version": 1, "text": PARTNERS}}),
    );
    let diagnostics = loop {
        let d = c.diagnostics_for("partners.bdot");
        if !d.is_empty() {
            break d;
        }
    };
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["source"], "bdc");
    assert!(d["code"].as_str().is_some_and(|code| code.starts_with('E')), "{d}");
    assert!(d["message"].as_str().unwrap_or("").contains("memroy"), "{d}");
    assert_eq!(d["range"]["start"], pos(PARTNERS, "memroy", 0));

    // The quick fix replaces it with the suggestion.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": partners}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    assert_eq!(actions[0]["title"], "Change to `memory`", "{actions}");
    assert_eq!(actions[0]["edit"]["changes"][&partners][0]["newText"], "memory");

    // Fixed in the buffer: the diagnostics clear.
    let fixed = PARTNERS.replace("memroy", "memory");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": partners, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    // (Diagnostics published before the change may still be queued: the last word counts.)
    let cleared = (0..5).any(|_| c.diagnostics_for("partners.bdot").is_empty());
    assert!(cleared, "the fix clears the diagnostics");

    // Hover on a field: its type and doc, and the partner's effective value with its origin.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "memory = 2Gi", 1)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("").to_string();
    assert!(text.contains("memory size"), "{text}");
    assert!(text.contains("Effective value: `2Gi`") && text.contains("overrides `1Gi`"), "{text}");

    // Hover inside a variant record of a map: the service's own field.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "version = 16", 2)}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap_or("").contains("PostgreSQL major version"), "{hover}");

    // Hover on a service's engine word: its fields, as `bdc explain` prints them.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "postgres {", 3)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(text.contains("## `postgres`") && text.contains("`postgres.size`"), "{hover}");
    assert!(text.contains("PostgreSQL major version"), "{hover}");

    // Hover on a reference: the declaration and its doc comment.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "= roomy", 3)}),
    );
    assert!(hover["contents"]["value"].as_str().unwrap_or("").contains("plan roomy = plans.medium"), "{hover}");

    // Definition into the standard library, written to the cache so the editor can open it.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "plans.medium", 7)}),
    );
    let target = url::Url::parse(def["uri"].as_str().expect("uri")).expect("url").to_file_path().expect("path");
    assert!(target.ends_with("plans.bdot"), "{def}");
    let stdlib = std::fs::read_to_string(&target).expect("the standard module is on disk");
    assert_eq!(pos(&stdlib, "plan medium", 5), def["range"]["start"]);

    // Definition and references of a workspace declaration across files.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "= roomy", 2)}),
    );
    assert!(def["uri"].as_str().unwrap_or("").ends_with("platform.bdot"), "{def}");
    assert_eq!(def["range"]["start"], pos(PLATFORM, "roomy", 0));
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": partners}, "position": pos(&fixed, "= roomy", 2), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(2), "{refs}");

    // Completion: field names in a partner, words for a channel, references for a plan.
    let mut typing =
        fixed.replace("  follows = stable\n}\n\npartner \"b\"", "  follows = stable\n  \n}\n\npartner \"b\"");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": partners, "version": 3}, "contentChanges": [{"text": typing}]}),
    );
    let labels = |v: &Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(str::to_string)).collect()
    };
    let fields = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": partners}, "position": pos(&typing, "stable\n  \n", 9)}),
    );
    let fields = labels(&fields);
    assert!(fields.contains(&"replicas".to_string()) && fields.contains(&"strategy".to_string()), "{fields:?}");
    assert!(!fields.contains(&"domains".to_string()), "fields already written are not offered: {fields:?}");
    typing = typing.replace("stable\n  \n", "stable\n  plan = \n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": partners, "version": 4}, "contentChanges": [{"text": typing}]}),
    );
    let plans = labels(&c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": partners}, "position": pos(&typing, "plan = \n", 7)}),
    ));
    assert!(plans.contains(&"roomy".to_string()) && plans.contains(&"plans.large".to_string()), "{plans:?}");

    // Document symbols.
    let symbols =
        c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri(&dir.join("platform.bdot"))}}));
    assert_eq!(labels_of(&symbols, "name"), ["lab", "1.0.0", "roomy"]);

    // Formatting: one edit with the whole document in `bdc fmt`'s layout.
    let messy = "platform lab{registry=\"r.example.com\"   // where images live\n}\n";
    let scratch = uri(&dir.join("scratch.bdot"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": scratch, "languageId": "bdot", "version": 1, "text": messy}}),
    );
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": scratch}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}), "{edits}");
    assert_eq!(edits[0]["newText"].as_str(), bdc::fmt::format_source(messy).ok().as_deref(), "{edits}");
    assert_ne!(edits[0]["newText"].as_str(), Some(messy));

    // Shutdown and exit end the process cleanly.
    assert_eq!(c.request("shutdown", json!(null)), Value::Null);
    c.notify("exit", json!(null));
    let status = c.child.wait().expect("exits");
    assert!(status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh directory under the system's temporary one.
fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bdc-lsp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir.canonicalize().expect("canonical")
}

/// Copies the `.bdot` files of `examples/mediasphere` (nothing else) into `dir`.
fn copy_mediasphere(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).expect("dir");
    let example = super::support::root().join("examples/mediasphere");
    for f in super::support::bdot_files(&example) {
        std::fs::copy(&f, dir.join(f.file_name().expect("name"))).expect("copy");
    }
}

/// Starts a server on `root` (`None`: the editor names no folder, as Neovim without a root
/// marker), opens `file` and returns the diagnostics published up to the answer of a later
/// request, by file name (the last list published for each).
fn open_and_collect(
    cache: &std::path::Path,
    root: Option<&std::path::Path>,
    file: &std::path::Path,
) -> (Client, std::collections::BTreeMap<String, Vec<Value>>) {
    let mut c = Client::start(cache);
    let root_uri = root.map_or(Value::Null, |r| json!(uri(r)));
    c.request("initialize", json!({"processId": null, "rootUri": root_uri, "capabilities": {}}));
    c.notify("initialized", json!({}));
    let text = std::fs::read_to_string(file).expect("readable");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(file), "languageId": "bdot", "version": 1, "text": text}}),
    );
    // Published diagnostics come before the answer to a request sent after the notification.
    c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri(file)}}));
    let mut by_file = std::collections::BTreeMap::new();
    for m in c.notes.drain(..) {
        if m["method"] == "textDocument/publishDiagnostics" {
            let path =
                url::Url::parse(m["params"]["uri"].as_str().expect("uri")).expect("url").to_file_path().expect("path");
            let d = m["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
            by_file.insert(path.display().to_string(), d);
        }
    }
    (c, by_file)
}

fn finish(mut c: Client) {
    assert_eq!(c.request("shutdown", json!(null)), Value::Null);
    c.notify("exit", json!(null));
    assert!(c.child.wait().expect("exits").success());
}

#[test]
fn a_copied_example_without_git_or_marker_is_one_spec() {
    // The example copied anywhere, no `.git`, no `bdc.toml`, and an editor that names no
    // folder: the file's directory is the project, so its siblings are compiled with it.
    let dir = scratch("copy");
    copy_mediasphere(&dir.join("fleet"));
    let partners = dir.join("fleet/partners.bdot");
    let (c, published) = open_and_collect(&dir.join("cache"), None, &partners);
    let shown = |name: &str| published.get(&dir.join("fleet").join(name).display().to_string()).cloned();
    assert_eq!(shown("partners.bdot"), Some(Vec::new()), "no false errors: {published:#?}");
    assert_eq!(shown("platform.bdot"), Some(Vec::new()), "its siblings are compiled with it: {published:#?}");
    assert_eq!(shown("releases.bdot"), Some(Vec::new()), "{published:#?}");
    finish(c);

    // A file in a subdirectory that a file above imports: the importer's directory is the
    // project (and the directory above that, which holds no spec, is not).
    std::fs::create_dir_all(dir.join("fleet/shared")).expect("dir");
    std::fs::write(
        dir.join("fleet/shared/plans.bdot"),
        "import \"std/plans\"\n\nplan roomy = plans.medium with { memory = 2Gi }\n",
    )
    .expect("write");
    let platform = std::fs::read_to_string(dir.join("fleet/platform.bdot")).expect("read");
    std::fs::write(
        dir.join("fleet/platform.bdot"),
        platform.replacen("import \"std/plans\"", "import \"std/plans\"\nimport \"./shared/plans.bdot\" as shared", 1),
    )
    .expect("write");
    std::fs::write(dir.join("stray.bdot"), "this is not a spec\n").expect("write");
    let (c, published) = open_and_collect(&dir.join("cache"), None, &dir.join("fleet/shared/plans.bdot"));
    let got = |name: &str| published.get(&dir.join(name).display().to_string()).cloned();
    assert_eq!(got("fleet/shared/plans.bdot"), Some(Vec::new()), "{published:#?}");
    assert_eq!(got("fleet/platform.bdot"), Some(Vec::new()), "compiled with its importer: {published:#?}");
    assert_eq!(got("stray.bdot"), None, "the directory above is not the project: {published:#?}");
    finish(c);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_spec_inside_a_bigger_repository_is_only_its_project() {
    // A repository (`.git`) opened whole in the editor, holding other `.bdot` files that are no
    // part of the spec — a second platform, a broken scratch file — and the spec in
    // `deploy/fleet` with its `bdc.toml`, which also accepts a warning project-wide.
    let repo = scratch("repo");
    std::fs::create_dir_all(repo.join(".git")).expect("dir");
    std::fs::create_dir_all(repo.join("tools")).expect("dir");
    std::fs::write(repo.join("tools/other.bdot"), "platform other { registry = \"r.example.com/x\" }\n")
        .expect("write");
    std::fs::write(repo.join("scratch.bdot"), "partner {\n").expect("write");
    let fleet = repo.join("deploy/fleet");
    copy_mediasphere(&fleet);
    std::fs::write(fleet.join("bdc.toml"), "allow = [\"W0401\"]\n").expect("write");
    // A release by tag on the stable channel: W0401, accepted by the project.
    let releases = std::fs::read_to_string(fleet.join("releases.bdot")).expect("read");
    let tagged = releases.replacen(
        "${web}@sha256:4f1c9a7e2b3d5c6f80a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b",
        "${web}:2.4.1",
        1,
    );
    assert_ne!(tagged, releases);
    std::fs::write(fleet.join("releases.bdot"), &tagged).expect("write");
    // Another project below it is left out of it.
    copy_mediasphere(&fleet.join("staging"));
    std::fs::write(fleet.join("staging/bdc.toml"), "").expect("write");

    let partners = fleet.join("partners.bdot");
    let (c, published) = open_and_collect(&repo.join("cache"), Some(&repo), &partners);
    let got = |p: std::path::PathBuf| published.get(&p.display().to_string()).cloned();
    assert_eq!(got(partners.clone()), Some(Vec::new()), "no false errors: {published:#?}");
    assert_eq!(got(fleet.join("releases.bdot")), Some(Vec::new()), "W0401 accepted by bdc.toml: {published:#?}");
    assert_eq!(got(repo.join("tools/other.bdot")), None, "not part of the spec: {published:#?}");
    assert_eq!(got(repo.join("scratch.bdot")), None, "not part of the spec: {published:#?}");
    assert_eq!(got(fleet.join("staging/partners.bdot")), None, "another project: {published:#?}");
    finish(c);

    // The same spec without the project's allow: the warning shows; a comment on the line
    // accepts it again.
    std::fs::write(fleet.join("bdc.toml"), "").expect("write");
    let (mut c, published) = open_and_collect(&repo.join("cache"), Some(&repo), &partners);
    let codes: Vec<Value> = got_codes(&published, &fleet.join("releases.bdot"));
    assert_eq!(codes, [json!("W0401")], "{published:#?}");
    let commented = tagged.replacen("${web}:2.4.1\"", "${web}:2.4.1\" // bdc: allow W0401", 1);
    let releases_uri = uri(&fleet.join("releases.bdot"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": releases_uri, "languageId": "bdot", "version": 1, "text": commented}}),
    );
    let cleared = (0..5).any(|_| c.diagnostics_for("releases.bdot").is_empty());
    assert!(cleared, "the comment accepts the warning in the editor too");
    finish(c);

    // A project file the server cannot read is shown on it.
    std::fs::write(fleet.join("bdc.toml"), "alow = []\n").expect("write");
    let (c, published) = open_and_collect(&repo.join("cache"), Some(&repo), &partners);
    let on_marker = published.get(&fleet.join("bdc.toml").display().to_string()).cloned().unwrap_or_default();
    assert!(
        on_marker.first().is_some_and(|d| d["message"].as_str().is_some_and(|m| m.contains("alow"))),
        "{published:#?}"
    );
    finish(c);
    let _ = std::fs::remove_dir_all(&repo);
}

fn got_codes(published: &std::collections::BTreeMap<String, Vec<Value>>, file: &std::path::Path) -> Vec<Value> {
    published.get(&file.display().to_string()).into_iter().flatten().map(|d| d["code"].clone()).collect()
}

#[test]
fn the_vscode_extension_packages_without_questions() {
    // `vsce package` stops to ask when the manifest has no `repository` or the folder no
    // LICENSE; the license is the crate's.
    let dir = super::support::root().join("editors/vscode");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).expect("package.json")).expect("json");
    assert!(manifest["repository"]["url"].as_str().is_some_and(|u| !u.is_empty()), "{manifest}");
    assert_eq!(manifest["license"], env!("CARGO_PKG_LICENSE"));
    let license = std::fs::read_to_string(dir.join("LICENSE")).expect("editors/vscode/LICENSE");
    assert!(license.contains("Apache License") && license.contains("Version 2.0"));
}

fn labels_of(v: &Value, key: &str) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|i| i[key].as_str().map(str::to_string)).collect()
}
