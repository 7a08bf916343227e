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

fn labels_of(v: &Value, key: &str) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|i| i[key].as_str().map(str::to_string)).collect()
}
