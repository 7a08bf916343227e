//! The one integration-test binary: every test module of the project.

mod cli;
mod codes;
mod examples;
mod robustness;
mod support;
mod ui;
