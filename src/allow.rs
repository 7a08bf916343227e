//! Warnings accepted on purpose: the last step of a compilation, so `check`, `emit`, the CI
//! formats and the language server all see the same diagnostics.
//!
//! - A comment `// bdc: allow W0401` (several codes: `allow W0401, W0406`; words after the
//!   codes are the reason) applies to the line it ends, or, standing on its own line, to the
//!   next line with code on it — and when that line starts a declaration, to the whole
//!   declaration.
//! - `allow = ["W0401"]` in the project's `bdc.toml` applies to every file of the project.
//!
//! Only warnings can be allowed: naming an error is E0458 (and the error stays), a code that
//! does not exist E0459. A comment that silences nothing is W0415 (like an unfulfilled
//! `#[expect]` in Rust: the warning it was for is gone, or it sits on the wrong line), except
//! when compiling for one `--target` (warnings judged on another target may not arise there)
//! or when the spec has errors (the checks that raise warnings may not have run);
//! `allow = ["W0415"]` in `bdc.toml` turns that off. The project list is a policy and is never
//! reported unused.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use crate::load::Loaded;
use crate::project::Settings;
use crate::source::{FileId, Origin, SourceFile, SourceMap, Span};

/// One allowed code and where it applies.
struct Allow {
    code: Code,
    /// The code as written (in a comment), for W0415.
    at: Option<Span>,
    /// The byte range it covers in its file (`None`: the whole project).
    scope: Option<Span>,
    /// The declaration it is in or above (`release \`2.4.1\``), for messages.
    owner: Option<String>,
    used: bool,
}

/// Removes the allowed warnings from `diagnostics` and reports the allows that are wrong.
pub fn apply(
    sources: &mut SourceMap,
    loaded: &Loaded,
    settings: Option<&Settings>,
    target: Option<&str>,
    diagnostics: &mut Diagnostics,
) {
    let mut allows = Vec::new();
    let mut problems = Vec::new();
    for module in loaded.modules.iter().filter(|m| !m.is_std) {
        let file = sources.get(module.file);
        for &comment in &module.ast.comments {
            for (text, span) in codes_in(file, comment) {
                let scope = scope_of(file, module, comment);
                let owner = owner_of(module, comment, scope);
                let Some(code) = valid(&text, span, owner.as_deref(), &mut problems) else { continue };
                allows.push(Allow { code, at: Some(span), scope: Some(scope), owner, used: false });
            }
        }
    }
    if let Some(s) = settings {
        let mut file = None;
        for (text, range) in &s.allow {
            if let Some(code) = Code::parse(text) {
                if code.severity() == Severity::Warning {
                    allows.push(Allow { code, at: None, scope: None, owner: None, used: false });
                    continue;
                }
            }
            let id = *file.get_or_insert_with(|| {
                sources.add(SourceFile::new(s.path.display().to_string(), Origin::Disk(s.path.clone()), s.text.clone()))
            });
            // The span of the string's text, inside its quotes.
            let span =
                Span::new(id, range.start as u32 + 1, (range.end as u32).saturating_sub(1).max(range.start as u32 + 1));
            valid(text, span, None, &mut problems);
        }
    }
    diagnostics.retain(|d| {
        if d.is_error() {
            return true;
        }
        let span = d.primary.span;
        let mut kept = true;
        for a in allows.iter_mut().filter(|a| a.code == d.code) {
            let covers = a.scope.is_none_or(|s| s.file == span.file && s.start <= span.start && span.start <= s.end);
            if covers {
                a.used = true;
                kept = false;
            }
        }
        kept
    });
    // Not while the spec has errors either: the checks that would raise a warning may not
    // have run.
    let quiet = target.is_some()
        || diagnostics.has_errors()
        || allows.iter().any(|a| a.scope.is_none() && a.code == Code::UnusedAllow);
    for a in allows.iter().filter(|a| !a.used && !quiet && a.code != Code::UnusedAllow) {
        let Some(at) = a.at else { continue };
        problems.push(
            Diagnostic::new(
                Code::UnusedAllow,
                at,
                format!("`allow {}`{} silences nothing", a.code, within(a.owner.as_deref())),
                format!("no {} warning here", a.code),
            )
            .help(format!(
                "remove it if the warning is gone; otherwise put the comment on the line `bdc check` points at for {} (or above its declaration)",
                a.code
            )),
        );
    }
    for d in problems {
        diagnostics.push(d);
    }
}

/// The codes of a `// bdc: allow …` comment, each with its span.
fn codes_in(file: &SourceFile, comment: Span) -> Vec<(String, Span)> {
    let text = file.slice(comment);
    let Some(body) = text.strip_prefix("//") else { return Vec::new() };
    let body = body.trim_start();
    let Some(rest) = body.strip_prefix("bdc:").map(str::trim_start) else { return Vec::new() };
    let Some(list) = rest.strip_prefix("allow") else { return Vec::new() };
    if !list.starts_with(char::is_whitespace) {
        return Vec::new();
    }
    let base = comment.start as usize + (text.len() - list.len());
    let mut out = Vec::new();
    let mut at = 0;
    for word in list.split_inclusive([',', ' ', '\t']) {
        let token = word.trim_end_matches([',', ' ', '\t']);
        let start = at;
        at += word.len();
        if token.is_empty() {
            continue;
        }
        // Codes are a letter and digits; the first other word starts the reason.
        let code_like = token.len() > 1
            && token.starts_with(|c: char| c.is_ascii_alphabetic())
            && token[1..].bytes().all(|b| b.is_ascii_digit());
        if !code_like {
            break;
        }
        let s = (base + start) as u32;
        out.push((token.to_string(), Span::new(comment.file, s, s + token.len() as u32)));
    }
    out
}

/// The code an allow names, if it can be allowed; otherwise why not (E0458, E0459).
fn valid(text: &str, span: Span, owner: Option<&str>, problems: &mut Vec<Diagnostic>) -> Option<Code> {
    let owner = within(owner);
    match Code::parse(text) {
        Some(code) if code.severity() == Severity::Warning => Some(code),
        Some(code) => {
            problems.push(
                Diagnostic::new(
                    Code::AllowError,
                    span,
                    format!("`allow {code}`{owner}: errors cannot be allowed"),
                    format!("{code} is an error ({})", code.title()),
                )
                .help(format!(
                    "fix what {code} reports instead (`bdc explain {code}`); only warnings (W…) can be allowed"
                )),
            );
            None
        }
        None => {
            let names = Code::ALL.iter().filter(|c| c.severity() == Severity::Warning).map(|c| c.as_str());
            let help = match crate::suggest::closest(text, names) {
                Some(near) => format!("did you mean `{near}`? (`bdc explain {near}`)"),
                None => "warning codes look like `W0401`; `bdc check` prints the code of each warning".into(),
            };
            problems.push(
                Diagnostic::new(
                    Code::AllowUnknown,
                    span,
                    format!("`allow {text}`{owner}: no such code"),
                    "not a diagnostic code",
                )
                .help(help),
            );
            None
        }
    }
}

/// What a comment applies to: its line when it ends a line of code; standing alone, the next
/// line with code — the whole declaration when one starts there.
fn scope_of(file: &SourceFile, module: &crate::load::Module, comment: Span) -> Span {
    let id: FileId = comment.file;
    let line = file.line_index(comment.start as usize);
    let line_span = |l: usize| Span::new(id, file.line_start(l) as u32, file.line_end(l) as u32);
    if !file.text[file.line_start(line)..comment.start as usize].trim().is_empty() {
        return line_span(line);
    }
    let last = file.line_index(file.text.len());
    let mut next = line + 1;
    while next <= last {
        let text = file.text[file.line_start(next)..file.line_end(next)].trim();
        if !text.is_empty() && !text.starts_with("//") {
            break;
        }
        next += 1;
    }
    if next > last {
        return line_span(line);
    }
    let decl = module.ast.items.iter().find_map(|item| match item {
        crate::ast::Item::Decl(d) if file.line_index(d.span.start as usize) == next => Some(d.span),
        _ => None,
    });
    decl.unwrap_or_else(|| line_span(next))
}

/// ` in release `2.4.1``, or nothing.
fn within(owner: Option<&str>) -> String {
    owner.map(|o| format!(" in {o}")).unwrap_or_default()
}

/// The declaration a comment is in, or the one it stands above.
fn owner_of(module: &crate::load::Module, comment: Span, scope: Span) -> Option<String> {
    module.ast.items.iter().find_map(|item| match item {
        crate::ast::Item::Decl(d)
            if (d.span.start <= comment.start && comment.end <= d.span.end) || d.span == scope =>
        {
            Some(format!("{} `{}`", d.kind.keyword(), d.name.name))
        }
        _ => None,
    })
}
