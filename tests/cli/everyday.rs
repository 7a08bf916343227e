//! The conventions of kubectl, helm and cargo that `bdc` follows (issue 15): `bdc version`,
//! `-o`, JSON output, shell completions and manual pages, a spec on standard input, `-q`,
//! `--color` anywhere and CLICOLOR_FORCE, `fmt --check --diff`, and help with examples.

use super::super::support::{bdc, root, text};
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `bdc` in `dir` with `env` set (and NO_COLOR removed), `input` on standard input.
fn run(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bdc"));
    cmd.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("CLICOLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("bdc starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("bdc ends");
    writer.join().expect("writer");
    out
}

/// `bdc ARGS` from the crate root with `input` on standard input, without colour.
fn piped(args: &[&str], input: &str) -> Output {
    run(root(), args, &[("NO_COLOR", "1")], input.as_bytes())
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bdc-everyday-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The subcommands `bdc --help` lists (without `help`).
fn subcommands() -> Vec<String> {
    let help = text(&bdc(&["--help"]).stdout);
    let list = help.split("Commands:").nth(1).expect("a Commands section");
    let names: Vec<String> = list
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 14, "{names:?}");
    names
}

#[test]
fn version_names_the_kubernetes_api_it_emits_for() {
    let line = format!("bdc {} (Kubernetes API {})\n", env!("CARGO_PKG_VERSION"), bdc::lower::KUBERNETES_API);
    assert_eq!(bdc::lower::KUBERNETES_API, "1.33", "the k8s-openapi feature in Cargo.toml");
    assert_eq!(text(&bdc(&["version"]).stdout), line);
    assert_eq!(text(&bdc(&["--version"]).stdout), line);
    let out = bdc(&["version", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v, serde_json::json!({"bdc": env!("CARGO_PKG_VERSION"), "kubernetes_api": "1.33"}));
}

#[test]
fn completions_cover_every_subcommand_in_every_shell() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = bdc(&["completion", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} completion lacks `{name}`");
        }
        // Options of subcommands, and values of value enums.
        assert!(script.contains("kubeconfig") && script.contains("max-diagnostics"), "{shell}");
        assert!(script.contains("sarif"), "{shell}: the values of -o");
    }
    // The bash script completes in bash: subcommands of `rollout`, options of `check`.
    let complete = |words: &str, cword: usize| {
        let script = format!(
            "source <(\"$BDC\" completion bash); COMP_WORDS=({words}); COMP_CWORD={cword}; \
             _bdc bdc \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; echo \"${{COMPREPLY[@]}}\""
        );
        let out = Command::new("bash").args(["-c", &script]).env("BDC", env!("CARGO_BIN_EXE_bdc")).output();
        text(&out.expect("bash runs").stdout).trim().to_string()
    };
    assert_eq!(complete("bdc rollout st", 2), "start status");
    assert_eq!(complete("bdc check --max", 2), "--max-diagnostics");
    assert_eq!(bdc(&["completion", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_manual_page_covers_every_subcommand_and_is_deterministic() {
    let first = bdc(&["man"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let page = text(&first.stdout);
    let title = page.lines().find(|l| l.starts_with(".TH")).unwrap_or("");
    assert_eq!(
        title,
        format!(
            ".TH bdc 1  \"bdc {}\" \"bdc manual\"",
            text(&bdc(&["version"]).stdout).trim().trim_start_matches("bdc ")
        ),
        "section 1, no date"
    );
    for name in subcommands() {
        assert!(page.contains(&format!("bdc\\-{name}(1)")), "the page lists `{name}`");
    }
    assert_eq!(text(&bdc(&["man"]).stdout), page, "the same page every time");
    // One page per command, nested ones too, written to a directory.
    let dir = temp_dir("man");
    let out = bdc(&["man", "--out", dir.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for name in subcommands().iter().map(|n| format!("bdc-{n}.1")).chain(["bdc.1".into(), "bdc-rollout-start.1".into()])
    {
        let page = std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(page.contains(".SH NAME"), "{name}");
    }
    let check = std::fs::read_to_string(dir.join("bdc-check.1")).expect("bdc-check.1");
    assert!(check.contains("max\\-diagnostics") && check.contains(".SH EXAMPLES\n.nf\n  bdc check "), "{check}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_spec_on_standard_input_is_named_stdin() {
    let broken = std::fs::read_to_string(root().join("tests/ui/five_mistakes.bdot")).expect("case");
    let out = piped(&["check", "-o", "json", "-"], &broken);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert!(lines.len() >= 5 && lines.iter().all(|d| d["file"] == "<stdin>"), "{lines:?}");
    let out = piped(&["check", "-"], &broken);
    assert!(text(&out.stderr).contains("[<stdin>:"), "{}", text(&out.stderr));
    // The manifests are the same as from the file.
    let minimal = std::fs::read_to_string(root().join("examples/minimal/fleet.bdot")).expect("example");
    let from_stdin = piped(&["emit", "-"], &minimal);
    assert_eq!(from_stdin.status.code(), Some(0), "{}", text(&from_stdin.stderr));
    assert_eq!(from_stdin.stdout, bdc(&["emit", "examples/minimal/fleet.bdot"]).stdout);
    // `-` once only; a file beside it is another root.
    assert_eq!(piped(&["check", "-", "-"], &minimal).status.code(), Some(2));
    // Imports are relative to the current directory.
    let dir = temp_dir("stdin");
    std::fs::write(dir.join("plans.bdot"), "plan tiny { cpu = 100m, memory = 128Mi }\n").expect("write");
    let spec = minimal
        .replacen("platform tiny", "import \"./plans.bdot\" as p\n\nplatform tiny", 1)
        .replace("follows = stable\n}", "follows = stable\n  plan    = p.tiny\n}");
    assert!(spec.contains("p.tiny"), "{spec}");
    let out = run(&dir, &["check", "-"], &[("NO_COLOR", "1")], spec.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(&dir, &["check", "-"], &[("NO_COLOR", "1")], spec.replace("./plans", "./nope").as_bytes());
    assert!(text(&out.stderr).contains("`nope.bdot` does not exist"), "{}", text(&out.stderr));
    // Bytes that are not UTF-8 are a diagnostic naming <stdin>, as a file's are.
    let out = run(&dir, &["check", "-"], &[("NO_COLOR", "1")], b"platform x {\xff}\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("<stdin>") && text(&out.stderr).contains("E0107"), "{}", text(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_formats_standard_input_to_stdout() {
    let out = piped(&["fmt", "-"], "platform  x {registry=\"r.example.com/x\"}\n");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "platform x { registry = \"r.example.com/x\" }\n");
    let out = piped(&["fmt", "--check", "-"], "platform  x {}\n");
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(1), "<stdin>\n".to_string()));
}

#[test]
fn fmt_check_diff_shows_what_would_change() {
    let dir = temp_dir("fmt-diff");
    let file = dir.join("messy.bdot");
    let messy = "platform  x {registry=\"r.example.com/x\"}\n";
    std::fs::write(&file, messy).expect("write");
    std::fs::write(dir.join("tidy.bdot"), "platform y { registry = \"r.example.com/y\" }\n").expect("write");
    let out = run(&dir, &["fmt", "--check", "--diff"], &[("NO_COLOR", "1")], b"");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert_eq!(
        diff,
        "--- a/messy.bdot\n+++ b/messy.bdot\n@@ -1 +1 @@\n-platform  x {registry=\"r.example.com/x\"}\n+platform x { registry = \"r.example.com/x\" }\n"
    );
    assert!(!diff.contains("tidy.bdot"), "only files that change: {diff}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), messy, "nothing written");
    // --diff belongs to --check.
    assert_eq!(run(&dir, &["fmt", "--diff"], &[], b"").status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quiet_prints_errors_only() {
    let warned = ["check", "tests/ui/canary_weights_by_pod_count.bdot"];
    assert!(text(&bdc(&warned).stderr).contains("W0403"));
    for args in [["-q", warned[0], warned[1]], [warned[0], warned[1], "--quiet"]] {
        let out = bdc(&args);
        assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()), "{args:?}");
    }
    let out = bdc(&["emit", "-q", "examples/mediasphere", "--target", "eks"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty() && !out.stdout.is_empty(), "no portability notes: {}", text(&out.stderr));
    // Errors stay, warnings and the summary go.
    let out = bdc(&["check", "-q", "tests/ui/five_mistakes.bdot"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("E0") && !err.contains("W0") && !err.contains("errors,"), "{err}");
    let out = bdc(&["check", "-q", "-o", "json", "tests/ui/canary_weights_by_pod_count.bdot"]);
    assert!(out.stdout.is_empty(), "no warnings in JSON either: {}", text(&out.stdout));
}

#[test]
fn color_is_a_global_option_and_clicolor_force_is_honored() {
    const ESC: &str = "\u{1b}[";
    let case = ["check", "tests/ui/five_mistakes.bdot"];
    let colored = |args: &[&str], env: &[(&str, &str)]| text(&run(root(), args, env, b"").stderr).contains(ESC);
    assert!(!colored(&case, &[]), "a pipe is not coloured");
    assert!(colored(&["--color", "always", case[0], case[1]], &[]), "before the command");
    assert!(colored(&[case[0], case[1], "--color", "always"], &[]), "after it");
    assert!(colored(&case, &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&case, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!colored(&[case[0], case[1], "--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert_eq!(bdc(&["--color", "sometimes", "check"]).status.code(), Some(2));
}

#[test]
fn output_short_flags_and_json() {
    let out = bdc(&["emit", "examples/minimal", "-o", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(list["kind"], "List");
    assert_eq!(bdc(&["emit", "examples/minimal", "--format", "json"]).stdout, out.stdout, "--format stays");
    let out = bdc(&["plan", "examples/mediasphere", "--release", "2.5.0", "-o", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(plan["release"], "2.5.0");
    let out = bdc(&["why", "newsroom-a.plan.memory", "examples/mediasphere", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let why: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(why["query"], "newsroom-a.plan.memory");
    assert_eq!(why["value"], "2Gi");
    let layers = why["layers"].as_array().expect("layers");
    assert_eq!(layers[0]["role"], "in effect");
    assert_eq!(layers[0]["file"], "examples/mediasphere/partners.bdot");
    assert!(layers[0]["line"].as_u64().is_some() && layers[0]["column"].as_u64().is_some(), "{why}");
    assert!(layers[1..].iter().all(|l| l["role"] == "overridden"), "{why}");
    let out = bdc(&["why", "newsroom-a.hold", "examples/mediasphere", "-o", "json"]);
    let why: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let layer = &why["layers"][0];
    assert_eq!((&layer["what"], &layer["value"]), (&"built-in default".into(), &"false".into()), "{why}");
    assert!(layer.get("file").is_none() && layer.get("line").is_none(), "a built-in default has no place: {why}");
    let text_out = text(&bdc(&["why", "newsroom-a.plan.memory", "examples/mediasphere"]).stdout);
    assert!(text_out.starts_with("newsroom-a.plan.memory = 2Gi\n"), "{text_out}");
}

/// Every command has examples of itself, every option says what it does, and no option's
/// help describes another command (`--full` only where it works).
#[test]
fn help_has_examples_and_every_option_is_described() {
    fn walk(cmd: &clap::Command, path: &str, seen: &mut Vec<String>) {
        if cmd.get_name() == "help" {
            return;
        }
        let help = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
        if !path.is_empty() && !cmd.get_subcommands().any(|_| true) {
            assert!(help.contains("Examples:") || help.contains("docs/editors.md"), "`bdc {path}` has no examples");
            let examples = help.split("Examples:").nth(1).unwrap_or("").split("\n\n").next().unwrap_or("");
            for line in examples.lines().filter(|l| l.contains("bdc ")) {
                assert!(line.contains(&format!("bdc {path}")), "`bdc {path}` shows another command: {line}");
            }
        }
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let id = arg.get_id().as_str();
            if ["help", "version"].contains(&id) {
                continue;
            }
            let doc = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(!doc.trim().is_empty(), "`bdc {path}` --{id} has no help");
            assert!(!doc.contains("With promote"), "`bdc {path}` --{id}: {doc}");
            if id == "full" {
                assert_eq!(path, "rollout promote");
            }
            if id == "parallel" {
                assert!(["apply", "rollout start"].contains(&path), "`bdc {path}` --parallel does nothing there");
            }
        }
        seen.push(path.to_string());
        for sub in cmd.get_subcommands() {
            let path = if path.is_empty() { sub.get_name().to_string() } else { format!("{path} {}", sub.get_name()) };
            walk(sub, &path, seen);
        }
    }
    let mut cmd = bdc::cli::command();
    cmd.build();
    let mut seen = Vec::new();
    walk(&cmd, "", &mut seen);
    assert!(seen.iter().any(|p| p == "rollout undo") && seen.len() >= 20, "{seen:?}");
    let help = text(&bdc(&["rollout", "abort", "--help"]).stdout);
    assert!(!help.contains("--full") && help.contains("--kubeconfig <FILE>"), "{help}");
    assert!(text(&bdc(&["--help"]).stdout).contains("Examples:"));
}

#[test]
fn explain_a_kind_prints_its_fields() {
    let out = bdc(&["explain", "partner"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let fields = text(&out.stdout);
    for field in ["domains", "team", "quota", "secrets"] {
        assert!(fields.contains(field), "{field}: {fields}");
    }
}

/// A kubeconfig with one context on a loopback port nothing listens on.
fn dead_kubeconfig(context: &str, current: bool) -> (String, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let current = if current { format!("current-context: {context}\n") } else { String::new() };
    let text = format!(
        "apiVersion: v1\nkind: Config\n{current}clusters:\n- name: {context}\n  cluster:\n    server: http://127.0.0.1:{port}\n\
         users:\n- name: {context}\n  user:\n    token: t\ncontexts:\n- name: {context}\n  context:\n    cluster: {context}\n    user: {context}\n"
    );
    (text, port)
}

/// `KUBECONFIG` with several files is merged as kubectl merges it; `--kubeconfig` replaces it.
/// The clusters are unreachable: which address the error names shows which file was read.
#[test]
fn kubeconfig_files_are_merged_and_the_flag_replaces_them() {
    let dir = temp_dir("kubeconfig");
    let (a, port_a) = dead_kubeconfig("alpha", false);
    let (b, port_b) = dead_kubeconfig("beta", true);
    std::fs::write(dir.join("a.yaml"), a).expect("write");
    std::fs::write(dir.join("b.yaml"), b).expect("write");
    std::fs::copy(root().join("examples/minimal/fleet.bdot"), dir.join("fleet.bdot")).expect("copy");
    let bdc_in = |args: &[&str], kubeconfig: &str| {
        let out = run(&dir, args, &[("NO_COLOR", "1"), ("KUBECONFIG", kubeconfig), ("HOME", "/nonexistent")], b"");
        (out.status.code(), text(&out.stderr))
    };
    // The context is in the second file, the current context set by it alone.
    let (code, err) = bdc_in(&["diff", "fleet.bdot", "--context", "beta"], "a.yaml:b.yaml");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&format!("beta (http://127.0.0.1:{port_b}/)")), "{err}");
    let (_, err) = bdc_in(&["apply", "--dry-run", "fleet.bdot", "--context", "alpha"], "a.yaml:b.yaml");
    assert!(err.contains(&format!("alpha (http://127.0.0.1:{port_a}/)")), "{err}");
    let (_, err) = bdc_in(&["diff", "fleet.bdot"], "a.yaml:b.yaml");
    assert!(err.contains(&format!("current context (http://127.0.0.1:{port_b}/)")), "{err}");
    // --kubeconfig is read instead of KUBECONFIG, on every command that talks to clusters.
    let (_, err) = bdc_in(&["diff", "fleet.bdot", "--kubeconfig", "b.yaml"], "a.yaml");
    assert!(err.contains(&format!("127.0.0.1:{port_b}")), "{err}");
    let (_, err) = bdc_in(&["rollout", "status", "fleet.bdot", "--kubeconfig", "b.yaml"], "a.yaml");
    assert!(err.contains(&format!("127.0.0.1:{port_b}")), "{err}");
    let (code, err) = bdc_in(&["apply", "fleet.bdot", "--kubeconfig", "a.yaml", "--context", "beta"], "b.yaml");
    assert_eq!(code, Some(2));
    assert!(err.contains("kubeconfig `a.yaml`") && err.contains("beta"), "{err}");
    let (code, err) = bdc_in(&["diff", "fleet.bdot", "--kubeconfig", "missing.yaml"], "b.yaml");
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read kubeconfig `missing.yaml`"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `bdc emit | head`: a reader that goes away is not an error (no message, exit 0), as for
/// the other commands that print results.
#[test]
fn emit_into_a_closed_pipe_is_quiet() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bdc"))
        .args(["emit", "examples/mediasphere"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bdc starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("bdc ends");
    assert_eq!((out.status.code(), text(&out.stderr)), (Some(0), String::new()));
}
