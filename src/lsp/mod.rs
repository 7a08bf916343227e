//! `bdc lsp`: a Language Server over stdio. It keeps the workspace's files (with the editor's
//! unsaved buffers) compiled with the same library as `bdc check`, and answers from that one
//! compilation: diagnostics as you type (same codes and messages, related locations), hover
//! (field docs and types, declarations, a partner field's effective value and where it comes
//! from), go to definition and find references (also into the standard library), completion
//! of fields, references and words, document symbols, formatting, and "did you mean" fixes.
//!
//! Like `cli`, this is a front end: it does I/O (stdio, the files of the workspace).

mod features;
mod locate;
mod position;
mod workspace;

pub use workspace::Workspace;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use std::collections::HashSet;
use std::path::PathBuf;
use std::str::FromStr;

/// What the server can do, as announced in `initialize`.
fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(lsp::TextDocumentSyncKind::FULL)),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into(), "=".into(), " ".into()]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Serves one editor session on stdin/stdout until `shutdown` and `exit`.
pub fn serve_stdio() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join().map_err(|e| format!("language server I/O: {e}"))
}

/// Serves a session on a connection (stdio, or memory in tests).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, init) = connection.initialize_start().map_err(|e| format!("initialize: {e}"))?;
    let result = lsp::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lsp::ServerInfo { name: "bdc".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(|e| format!("initialize: {e}"))?;
    let init: lsp::InitializeParams = serde_json::from_value(init).map_err(|e| format!("initialize: {e}"))?;
    #[allow(deprecated)] // root_uri is what most editors still send
    let root = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(init.root_uri.clone())
        .and_then(|u| features::path_of(&u));
    let mut ws = Workspace::new(root);
    ws.recheck();
    let mut shown = HashSet::new();
    publish(connection, &ws, &mut shown);
    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let response = answer(&ws, req);
                connection.sender.send(Message::Response(response)).map_err(|e| e.to_string())?;
            }
            Message::Notification(n) => match changed(&mut ws, n) {
                Change::None => {}
                Change::File(path) => {
                    ws.recheck_file(&path);
                    publish(connection, &ws, &mut shown);
                }
                Change::All => {
                    ws.recheck();
                    publish(connection, &ws, &mut shown);
                }
            },
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// Every project's diagnostics per file (files without any get an empty list, which clears
/// what the editor showed before); a file that left every project gets an empty list too.
pub fn diagnostics(ws: &Workspace) -> Vec<(lsp::Uri, Vec<lsp::Diagnostic>)> {
    let mut out: Vec<_> = ws.views().flat_map(|v| features::diagnostics(&v)).collect();
    // A project file that cannot be read: where it is, without a code (`bdc check` stops there).
    for p in &ws.projects {
        let (Err(message), Some(marker)) = (&p.settings, p.root.marker()) else { continue };
        let Some(uri) = features::uri_of(&marker) else { continue };
        let diagnostic = lsp::Diagnostic {
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("bdc".into()),
            message: message.clone(),
            ..Default::default()
        };
        out.push((uri, vec![diagnostic]));
    }
    out
}

/// Publishes the diagnostics; `shown` is the files (URIs) that have some on screen.
fn publish(connection: &Connection, ws: &Workspace, shown: &mut HashSet<String>) {
    let mut now = HashSet::new();
    let send = |uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>| {
        let params = lsp::PublishDiagnosticsParams { uri, diagnostics, version: None };
        let n = Notification::new(lsp::notification::PublishDiagnostics::METHOD.into(), params);
        let _ = connection.sender.send(Message::Notification(n));
    };
    for (uri, list) in diagnostics(ws) {
        now.insert(uri.as_str().to_string());
        send(uri, list);
    }
    for gone in shown.difference(&now) {
        if let Ok(uri) = lsp::Uri::from_str(gone) {
            send(uri, Vec::new());
        }
    }
    *shown = now;
}

/// What a notification changed.
enum Change {
    None,
    /// One file's text: the projects that hold it are checked again.
    File(PathBuf),
    /// Files or projects: every project is found and checked again.
    All,
}

/// Applies a document notification.
fn changed(ws: &mut Workspace, n: Notification) -> Change {
    use lsp::notification as note;
    let path_of = |uri: &lsp::Uri| features::path_of(uri);
    match n.method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params) else { return Change::None };
            let Some(path) = path_of(&p.text_document.uri) else { return Change::None };
            if ws.open_file(path.clone(), p.text_document.text) {
                Change::All
            } else {
                Change::File(path)
            }
        }
        note::DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params) else {
                return Change::None;
            };
            let (Some(path), Some(change)) = (path_of(&p.text_document.uri), p.content_changes.into_iter().last())
            else {
                return Change::None;
            };
            ws.open_file(path.clone(), change.text);
            Change::File(path)
        }
        note::DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) else {
                return Change::None;
            };
            if path_of(&p.text_document.uri).is_some_and(|path| ws.open.remove(&path).is_some()) {
                ws.rescan();
                Change::All
            } else {
                Change::None
            }
        }
        note::DidSaveTextDocument::METHOD | note::DidChangeWatchedFiles::METHOD => {
            ws.rescan();
            Change::All
        }
        _ => Change::None,
    }
}

fn answer(ws: &Workspace, req: Request) -> Response {
    use lsp::request as r;
    // Every request answered here is about one document: the view of its project.
    let uri = req.params["textDocument"]["uri"].as_str().and_then(|u| lsp::Uri::from_str(u).ok());
    let path = uri.as_ref().and_then(features::path_of).unwrap_or_default();
    let ws = &ws.view(&path);
    fn reply<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        req: Request,
        f: impl FnOnce(&P) -> Option<R>,
    ) -> Response {
        match serde_json::from_value::<P>(req.params) {
            Ok(p) => Response::new_ok(req.id, f(&p)),
            Err(e) => Response::new_err(req.id, lsp_server::ErrorCode::InvalidParams as i32, e.to_string()),
        }
    }
    match req.method.as_str() {
        r::HoverRequest::METHOD => reply(req, |p| features::hover(ws, p)),
        r::GotoDefinition::METHOD => reply(req, |p| features::definition(ws, p)),
        r::References::METHOD => reply(req, |p| features::references(ws, p)),
        r::DocumentSymbolRequest::METHOD => reply(req, |p| features::symbols(ws, p)),
        r::CodeActionRequest::METHOD => reply(req, |p| features::code_actions(ws, p)),
        r::Completion::METHOD => reply(req, |p| features::completion(ws, p)),
        r::Formatting::METHOD => reply(req, |p| features::formatting(ws, p)),
        _ => Response::new_err(
            req.id,
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("`{}` is not supported", req.method),
        ),
    }
}
