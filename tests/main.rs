//! The one integration-test binary: every test module of the project.

mod apply;
mod ci_formats;
mod cli;
mod cluster;
mod codes;
mod emit;
mod examples;
mod fake_api;
mod fmt;
mod grammar;
mod hostile;
mod import;
mod lsp;
mod names;
mod property;
mod reference;
mod releases;
mod robustness;
mod rollout;
mod services;
mod support;
mod train;
mod ui;
mod why;
mod yaml;
