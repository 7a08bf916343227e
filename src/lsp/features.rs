//! The answers of the language server, each from the last compilation of the workspace:
//! diagnostics, hover, definition, references, completion, document symbols and quick fixes.

use super::locate::{self, Hit, Target};
use super::position::{offset, range};
use super::workspace::View;
use crate::ast::{DeclKind, Item};
use crate::check::schema::{FieldSchema, Type};
use crate::diagnostic::Severity;
use crate::resolve::DeclId;
use crate::source::{FileId, Span};
use lsp_types as lsp;
use std::path::Path;
use std::str::FromStr;

pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    lsp::Uri::from_str(url.as_str()).ok()
}

pub fn path_of(uri: &lsp::Uri) -> Option<std::path::PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

fn location(ws: &View<'_>, span: Span) -> Option<lsp::Location> {
    let c = ws.compilation?;
    let file = c.sources.get(span.file);
    Some(lsp::Location { uri: uri_of(&ws.path_of(file)?)?, range: range(file, span.start, span.end) })
}

/// Diagnostics per file of the workspace (files without any get an empty list, which clears
/// what the editor showed before).
pub fn diagnostics(ws: &View<'_>) -> Vec<(lsp::Uri, Vec<lsp::Diagnostic>)> {
    let Some(c) = ws.compilation else { return Vec::new() };
    let mut out: Vec<(FileId, Vec<lsp::Diagnostic>)> =
        c.sources.ids().filter(|id| !c.sources.get(*id).name.starts_with("std/")).map(|id| (id, Vec::new())).collect();
    for d in c.diagnostics.sorted() {
        let file = c.sources.get(d.primary.span.file);
        let related: Vec<lsp::DiagnosticRelatedInformation> = d
            .secondary
            .iter()
            .filter_map(|l| {
                Some(lsp::DiagnosticRelatedInformation { location: location(ws, l.span)?, message: l.message.clone() })
            })
            .collect();
        let mut message = format!("{}: {}", d.message, d.primary.message);
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let lsp_diag = lsp::Diagnostic {
            range: range(file, d.primary.span.start, d.primary.span.end),
            severity: Some(match d.severity {
                Severity::Error => lsp::DiagnosticSeverity::ERROR,
                Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            }),
            code: Some(lsp::NumberOrString::String(d.code.to_string())),
            source: Some("bdc".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Default::default()
        };
        if let Some((_, list)) = out.iter_mut().find(|(id, _)| *id == d.primary.span.file) {
            list.push(lsp_diag);
        }
    }
    out.into_iter().filter_map(|(id, list)| Some((uri_of(&ws.path_of(c.sources.get(id))?)?, list))).collect()
}

/// The compiled file and byte offset of a document position.
fn at(ws: &View<'_>, doc: &lsp::TextDocumentPositionParams) -> Option<(FileId, u32)> {
    let path = path_of(&doc.text_document.uri)?;
    let id = ws.file_id(&path)?;
    let file = ws.compilation?.sources.get(id);
    Some((id, offset(file, doc.position)))
}

fn field_doc(f: &FieldSchema) -> String {
    let mut s = format!("**`{}`**: {}\n\n{}", f.name, f.ty.describe(), f.doc);
    if f.required {
        s.push_str("\n\nRequired.");
    } else if let Some(d) = f.default {
        s.push_str(&format!("\n\nDefault: {d}."));
    }
    s
}

/// The comment lines right above a declaration (its documentation).
fn doc_comment(ws: &View<'_>, id: DeclId) -> String {
    let Some(c) = ws.compilation else { return String::new() };
    let p = &c.program;
    let decl = p.decl(id);
    let module = &p.loaded.modules[p.module_of(id).0 as usize];
    let file = c.sources.get(decl.span.file);
    let mut lines = Vec::new();
    let mut end = decl.span.start as usize;
    for comment in module.ast.comments.iter().rev().filter(|s| (s.end as usize) <= decl.span.start as usize) {
        if !file.text[comment.end as usize..end].trim().is_empty() {
            break;
        }
        lines.push(file.slice(*comment).trim_start_matches("//").trim().to_string());
        end = comment.start as usize;
    }
    lines.reverse();
    lines.join("\n")
}

fn describe_decl(ws: &View<'_>, id: DeclId) -> String {
    let c = ws.compilation.expect("compiled");
    let decl = c.program.decl(id);
    let file = c.sources.get(decl.span.file);
    let text: Vec<&str> = file.slice(decl.span).lines().take(8).collect();
    let doc = doc_comment(ws, id);
    let mut s = format!("```bdot\n{}\n```", text.join("\n"));
    if !doc.is_empty() {
        s = format!("{doc}\n\n{s}");
    }
    format!("{s}\n\n{} `{}` in `{}`", decl.kind.keyword(), decl.name.name, file.name)
}

pub fn hover(ws: &View<'_>, params: &lsp::HoverParams) -> Option<lsp::Hover> {
    let (file, offset) = at(ws, &params.text_document_position_params)?;
    let c = ws.compilation?;
    let text = match locate::at(&c.program, file, offset)? {
        Hit::Key { decl, path, key } => {
            let d = c.program.decl(decl);
            let mut s = locate::field_at(d.kind, Some(&d.body), &path, &key.name).map(field_doc).unwrap_or_default();
            if d.kind == DeclKind::Partner {
                let query = format!(
                    "{}.{}",
                    d.name.name,
                    path.iter().chain([&key.name]).cloned().collect::<Vec<_>>().join(".")
                );
                if let Ok(w) = crate::why::why(c, &query) {
                    s.push_str("\n\n---\n");
                    s.push_str(&why_markdown(ws, &w));
                }
            }
            s
        }
        Hit::Ref { module, decl, path, segments, index } => {
            match locate::resolve(&c.program, module, decl, &path, segments, index)? {
                Target::Decl(id) => describe_decl(ws, id),
                Target::Module(m) => {
                    format!("module `{}`", c.sources.get(c.program.loaded.modules[m.0 as usize].file).name)
                }
            }
        }
        Hit::DeclName(id) => describe_decl(ws, id),
        // A variant's word (a service engine): its fields, as `bdc explain` prints them.
        Hit::Tag { decl, path } => {
            let d = c.program.decl(decl);
            crate::check::reference::record(locate::schema_at(d.kind, Some(&d.body), &path)?)
        }
        Hit::Import { import, target } => match target {
            Some(m) => format!("imports `{}`", c.sources.get(c.program.loaded.modules[m.0 as usize].file).name),
            None => format!("`{}` could not be imported", import.path),
        },
    };
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: text }),
        range: None,
    })
}

/// The effective value and where it comes from, for hovers on partner fields.
fn why_markdown(ws: &View<'_>, w: &crate::why::Why) -> String {
    let c = ws.compilation.expect("compiled");
    let place = |span: Option<Span>| match span {
        Some(s) => {
            let f = c.sources.get(s.file);
            format!("{}:{}", f.name.rsplit('/').next().unwrap_or(&f.name), f.line_col(s.start).line)
        }
        None => "built-in".into(),
    };
    let mut s = String::new();
    match (&w.derived, w.layers.first()) {
        (Some(v), _) => s.push_str(&format!("Effective value: `{v}`\n")),
        (None, Some(l)) => s.push_str(&format!("Effective value: `{}` — {} ({})\n", l.value, l.what, place(l.span))),
        (None, None) => s.push_str("Not set anywhere.\n"),
    }
    for l in w.layers.iter().skip(usize::from(w.derived.is_none())) {
        s.push_str(&format!("\n- overrides `{}` — {} ({})", l.value, l.what, place(l.span)));
    }
    for n in &w.notes {
        s.push_str(&format!("\n- {n}"));
    }
    s
}

pub fn definition(ws: &View<'_>, params: &lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
    let (file, offset) = at(ws, &params.text_document_position_params)?;
    let c = ws.compilation?;
    let module_start = |m: crate::load::ModuleId| {
        let f = c.program.loaded.modules[m.0 as usize].file;
        Span::new(f, 0, 0)
    };
    let span = match locate::at(&c.program, file, offset)? {
        Hit::Ref { module, decl, path, segments, index } => {
            match locate::resolve(&c.program, module, decl, &path, segments, index)? {
                Target::Decl(id) => c.program.decl(id).name.span,
                Target::Module(m) => module_start(m),
            }
        }
        Hit::Import { target: Some(m), .. } => module_start(m),
        Hit::DeclName(id) => c.program.decl(id).name.span,
        _ => return None,
    };
    location(ws, span).map(lsp::GotoDefinitionResponse::Scalar)
}

pub fn references(ws: &View<'_>, params: &lsp::ReferenceParams) -> Option<Vec<lsp::Location>> {
    let (file, offset) = at(ws, &params.text_document_position)?;
    let c = ws.compilation?;
    let id = match locate::at(&c.program, file, offset)? {
        Hit::Ref { module, decl, path, segments, index } => {
            match locate::resolve(&c.program, module, decl, &path, segments, index)? {
                Target::Decl(id) => id,
                Target::Module(_) => return None,
            }
        }
        Hit::DeclName(id) => id,
        _ => return None,
    };
    let mut spans = locate::references(&c.program, id);
    if params.context.include_declaration {
        spans.insert(0, c.program.decl(id).name.span);
    }
    Some(spans.into_iter().filter_map(|s| location(ws, s)).collect())
}

pub fn symbols(ws: &View<'_>, params: &lsp::DocumentSymbolParams) -> Option<lsp::DocumentSymbolResponse> {
    let c = ws.compilation?;
    let file_id = ws.file_id(&path_of(&params.text_document.uri)?)?;
    let module = c.program.module_of_file(file_id)?;
    let file = c.sources.get(file_id);
    let mut out = Vec::new();
    for item in &c.program.loaded.modules[module.0 as usize].ast.items {
        let Item::Decl(d) = item else { continue };
        #[allow(deprecated)] // `deprecated` is a required field of the struct
        out.push(lsp::DocumentSymbol {
            name: d.name.name.clone(),
            detail: Some(d.kind.keyword().to_string()),
            kind: match d.kind {
                DeclKind::Partner => lsp::SymbolKind::OBJECT,
                DeclKind::Release => lsp::SymbolKind::EVENT,
                DeclKind::Let => lsp::SymbolKind::CONSTANT,
                DeclKind::Platform | DeclKind::Target | DeclKind::Cluster => lsp::SymbolKind::MODULE,
                DeclKind::Strategy | DeclKind::Plan | DeclKind::Wave => lsp::SymbolKind::STRUCT,
            },
            tags: None,
            deprecated: None,
            range: range(file, d.span.start, d.span.end),
            selection_range: range(file, d.name.span.start, d.name.span.end),
            children: None,
        });
    }
    Some(lsp::DocumentSymbolResponse::Nested(out))
}

pub fn code_actions(ws: &View<'_>, params: &lsp::CodeActionParams) -> Option<lsp::CodeActionResponse> {
    let c = ws.compilation?;
    let file_id = ws.file_id(&path_of(&params.text_document.uri)?)?;
    let file = c.sources.get(file_id);
    let (start, end) = (offset(file, params.range.start), offset(file, params.range.end));
    let mut out = Vec::new();
    for d in c.diagnostics.iter().filter(|d| d.primary.span.file == file_id) {
        let span = d.primary.span;
        if span.end < start || span.start > end {
            continue;
        }
        for s in d.suggestions.iter().filter(|s| s.span.file == file_id) {
            let edit = lsp::TextEdit { range: range(file, s.span.start, s.span.end), new_text: s.replacement.clone() };
            // The protocol's type is a map keyed by `Uri` (which clippy flags as a mutable key).
            #[allow(clippy::mutable_key_type)]
            let changes = std::collections::HashMap::from([(params.text_document.uri.clone(), vec![edit])]);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Change to `{}`", s.replacement),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                is_preferred: Some(true),
                edit: Some(lsp::WorkspaceEdit { changes: Some(changes), ..Default::default() }),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

pub fn completion(ws: &View<'_>, params: &lsp::CompletionParams) -> Option<lsp::CompletionResponse> {
    let (file_id, offset) = at(ws, &params.text_document_position)?;
    let c = ws.compilation?;
    let file = c.sources.get(file_id);
    let line_start = file.line_start(file.line_index(offset as usize));
    let before = &file.text[line_start..offset as usize];
    let item = |label: String, kind: lsp::CompletionItemKind, detail: Option<String>| lsp::CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    };
    let Some(decl) = locate::enclosing_decl(&c.program, file_id, offset) else {
        let words = DeclKind::ALL.iter().map(|k| k.keyword()).chain(["import"]);
        return Some(lsp::CompletionResponse::Array(
            words.map(|w| item(w.to_string(), lsp::CompletionItemKind::KEYWORD, None)).collect(),
        ));
    };
    let module = decl.module;
    let path = decl.body.map(|b| locate::record_path(b, offset)).unwrap_or_default();
    let trimmed = before.trim_end_matches(|ch: char| ch.is_alphanumeric() || ch == '_' || ch == '.' || ch == '-');
    let items: Vec<lsp::CompletionItem> = if let Some(key) = value_key(trimmed) {
        let field = locate::field_at(decl.kind, decl.body, &path, key)?;
        values(c, module, &field.ty).into_iter().map(|(w, k)| item(w, k, Some(field.ty.describe()))).collect()
    } else if trimmed.trim().is_empty() || trimmed.trim_end().ends_with(['{', ',']) {
        let schema = locate::schema_at(decl.kind, decl.body, &path)?;
        let present = decl.body.map(|b| locate::keys_at(b, &path)).unwrap_or_default();
        schema
            .fields
            .iter()
            .filter(|f| !present.contains(&f.name.to_string()))
            .map(|f| lsp::CompletionItem {
                label: f.name.to_string(),
                kind: Some(lsp::CompletionItemKind::FIELD),
                detail: Some(f.ty.describe()),
                documentation: Some(lsp::Documentation::String(f.doc.to_string())),
                ..Default::default()
            })
            .collect()
    } else {
        return None;
    };
    Some(lsp::CompletionResponse::Array(items))
}

/// `  plan = ` → `plan`: the field whose value is being written.
fn value_key(before: &str) -> Option<&str> {
    let rest = before.trim_end().strip_suffix('=')?.trim_end();
    let start = rest.rfind(|ch: char| !(ch.is_alphanumeric() || ch == '_')).map_or(0, |i| i + 1);
    let key = &rest[start..];
    (!key.is_empty()).then_some(key)
}

/// Values that fit a type: its words, declarations of its kind, channels.
fn values(c: &crate::Compilation, module: crate::load::ModuleId, ty: &Type) -> Vec<(String, lsp::CompletionItemKind)> {
    let p = &c.program;
    let value = lsp::CompletionItemKind::VALUE;
    let reference = lsp::CompletionItemKind::REFERENCE;
    match ty {
        Type::Enum(words) => words.iter().map(|w| (w.to_string(), lsp::CompletionItemKind::ENUM_MEMBER)).collect(),
        Type::Bool => vec![("true".into(), value), ("false".into(), value)],
        Type::Channel => {
            let mut channels: Vec<String> = c.fleet.releases.iter().map(|r| r.channel.value.clone()).collect();
            channels.sort();
            channels.dedup();
            channels.into_iter().map(|ch| (ch, value)).collect()
        }
        Type::ReleaseVersion => c.fleet.releases.iter().map(|r| (format!("\"{}\"", r.version.value), value)).collect(),
        Type::Name(kind) => p.of_kind(*kind).map(|id| (p.decl(id).name.name.clone(), reference)).collect(),
        Type::Decl(kind) => {
            let mut out: Vec<(String, lsp::CompletionItemKind)> =
                p.visible(module, Some(*kind)).into_iter().map(|n| (n, reference)).collect();
            let m = &p.loaded.modules[module.0 as usize];
            for (import, target) in &m.imports {
                let Some(target) = target else { continue };
                for name in p.visible(*target, Some(*kind)) {
                    out.push((format!("{}.{name}", import.name()), reference));
                }
            }
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out.dedup_by(|a, b| a.0 == b.0);
            out
        }
        Type::List(inner) => values(c, module, inner),
        _ => Vec::new(),
    }
}

/// Formatting: the whole document in `bdc fmt`'s layout, as one edit (none when it is already
/// formatted, or when it has syntax errors, which the diagnostics show).
pub fn formatting(ws: &View<'_>, params: &lsp::DocumentFormattingParams) -> Option<Vec<lsp::TextEdit>> {
    let path = path_of(&params.text_document.uri)?;
    let text = match ws.open.get(&path) {
        Some(text) => text.clone(),
        None => std::fs::read_to_string(&path).ok()?,
    };
    let formatted = crate::fmt::format_source(&text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let file = crate::source::SourceFile::new(path.display().to_string(), crate::source::Origin::Memory, text);
    let whole = range(&file, 0, file.text.len() as u32);
    Some(vec![lsp::TextEdit { range: whole, new_text: formatted }])
}
