//! The one integration-test binary: every test module of the project.

mod apply;
mod cli;
mod cluster;
mod codes;
mod emit;
mod examples;
mod grammar;
mod robustness;
mod support;
mod train;
mod ui;
