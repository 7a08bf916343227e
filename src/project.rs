//! The project file `bdc.toml`: its presence marks a project root (the front ends find it:
//! `cli::project`), and it holds the project's settings. Today one:
//!
//! ```toml
//! # Warnings accepted across the project, by code.
//! allow = ["W0401"]
//! ```
//!
//! An empty file is a valid project file. Unknown keys and values of the wrong type are
//! refused (a misspelt setting must not be ignored silently). Pure: the caller reads the file.

use serde::Deserialize;
use std::ops::Range;
use std::path::PathBuf;

/// A project's settings, as read from its `bdc.toml`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The file, for diagnostics that point into it.
    pub path: PathBuf,
    pub text: String,
    /// The codes of `allow`, each with its byte range in `text`.
    pub allow: Vec<(String, Range<usize>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    allow: Vec<toml::Spanned<String>>,
}

/// Reads `bdc.toml`'s text; the error says where and what is wrong, in the file's own words.
pub fn parse(path: PathBuf, text: String) -> Result<Settings, String> {
    match toml::from_str::<File>(&text) {
        Ok(file) => {
            let allow = file.allow.into_iter().map(|s| (s.get_ref().clone(), s.span())).collect();
            Ok(Settings { path, text, allow })
        }
        Err(e) => {
            let at = e.span().map(|s| {
                let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                format!(":{line}")
            });
            let message = e.message().trim_end().replace('\n', " ");
            Err(format!(
                "{}{}: {message} (a project file holds at most `allow = [\"W0401\", …]`)",
                path.display(),
                at.unwrap_or_default()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_allow() {
        let s = parse("bdc.toml".into(), String::new()).expect("empty is valid");
        assert!(s.allow.is_empty());
        let text = "allow = [\"W0401\", \"w0402\"]\n".to_string();
        let s = parse("bdc.toml".into(), text.clone()).expect("valid");
        let codes: Vec<&str> = s.allow.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["W0401", "w0402"]);
        assert_eq!(&text[s.allow[0].1.clone()], "\"W0401\"");
    }

    #[test]
    fn mistakes_are_refused_with_their_line() {
        let e = parse("p/bdc.toml".into(), "\nalow = []\n".into()).expect_err("unknown key");
        assert!(e.starts_with("p/bdc.toml:2: ") && e.contains("alow"), "{e}");
        let e = parse("bdc.toml".into(), "allow = \"W0401\"\n".into()).expect_err("not a list");
        assert!(e.contains("bdc.toml:1"), "{e}");
        let e = parse("bdc.toml".into(), "allow = [\n".into()).expect_err("syntax");
        assert!(e.starts_with("bdc.toml:"), "{e}");
    }
}
