//! The import report: for every source object and field, whether it was mapped to the spec,
//! replaced by bdc's own equivalent, or is not representable (with what to do); the objects
//! bdc adds that the original lacked; the drift between partners; and, with `--verify`, the
//! field-by-field comparison of the re-emitted spec with the source. Text and JSON.

use serde::Serialize;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Mapped,
    Replaced,
    NotRepresentable,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Mapped => "mapped",
            Status::Replaced => "replaced",
            Status::NotRepresentable => "not representable",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub object: String,
    pub origin: String,
    pub field: String,
    pub status: Status,
    pub detail: String,
}

/// How one field compares after the round trip through the spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum Compared {
    Equal {
        value: String,
    },
    /// The source had none; bdc's default gives one.
    Added {
        value: String,
    },
    Changed {
        from: String,
        to: String,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub field: String,
    #[serde(flatten)]
    pub compared: Compared,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Verification {
    pub fields: Vec<Field>,
    /// Equal fields among those the source had, in percent.
    pub score: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct PartnerReport {
    pub name: String,
    pub namespace: Option<String>,
    pub entries: Vec<Entry>,
    /// Kinds bdc emits for the partner that its source objects did not have (isolation).
    pub added_by_bdc: Vec<String>,
    pub verify: Verification,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub objects: usize,
    pub partners: usize,
    pub mapped: usize,
    pub replaced: usize,
    pub not_representable: usize,
    /// The mean of the partners' verify scores, in percent.
    pub score: u32,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub sources: Vec<String>,
    pub files: Vec<String>,
    pub summary: Summary,
    pub partners: Vec<PartnerReport>,
    /// Objects that belong to no partner.
    pub fleet: Vec<Entry>,
    pub drift: Vec<String>,
}

impl Report {
    pub fn finish(&mut self) {
        let all = self.partners.iter().flat_map(|p| &p.entries).chain(&self.fleet);
        let mut s = Summary { partners: self.partners.len(), ..Summary::default() };
        for e in all {
            match e.status {
                Status::Mapped => s.mapped += 1,
                Status::Replaced => s.replaced += 1,
                Status::NotRepresentable => s.not_representable += 1,
            }
        }
        s.objects = self.summary.objects;
        let n = self.partners.len().max(1) as u32;
        s.score = self.partners.iter().map(|p| p.verify.score).sum::<u32>() / n;
        self.summary = s;
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// The human report; `details` adds every field of the verification.
    pub fn text(&self, details: bool) -> String {
        let s = &self.summary;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "imported {} partners from {} objects ({}): {} mapped, {} replaced by bdc's own, {} not representable; verify score {}%",
            s.partners,
            s.objects,
            self.sources.join(", "),
            s.mapped,
            s.replaced,
            s.not_representable,
            s.score
        );
        for p in &self.partners {
            let (eq, ch, add) = counts(&p.verify);
            let ns = p.namespace.as_deref().map(|n| format!(" (namespace {n})")).unwrap_or_default();
            let _ = writeln!(
                out,
                "\npartner {}{ns}: verify {}% ({eq} equal, {ch} changed, {add} added by bdc defaults)",
                p.name, p.verify.score
            );
            for e in &p.entries {
                let _ = writeln!(out, "  {:<18} {} {}: {}", e.status.word(), e.object, e.field, e.detail);
            }
            if !p.added_by_bdc.is_empty() {
                let _ = writeln!(out, "  bdc adds what the original lacked: {}", p.added_by_bdc.join(", "));
            }
            for f in &p.verify.fields {
                match &f.compared {
                    Compared::Changed { from, to } => {
                        let _ = writeln!(out, "  changed            {}: {from} → {to}", f.field);
                    }
                    Compared::Added { value } if details => {
                        let _ = writeln!(out, "  added by bdc       {}: {value}", f.field);
                    }
                    Compared::Equal { value } if details => {
                        let _ = writeln!(out, "  equal              {}: {value}", f.field);
                    }
                    _ => {}
                }
            }
        }
        if !self.fleet.is_empty() {
            let _ = writeln!(out, "\nobjects of no partner:");
            for e in &self.fleet {
                let _ = writeln!(out, "  {:<18} {} {}: {}", e.status.word(), e.object, e.field, e.detail);
            }
        }
        if !self.drift.is_empty() {
            let _ = writeln!(out, "\ndrift between partners:");
            for d in &self.drift {
                let _ = writeln!(out, "  - {d}");
            }
        }
        if !self.files.is_empty() {
            let _ = writeln!(out, "\nwrote {}", self.files.join(", "));
        }
        out
    }
}

fn counts(v: &Verification) -> (usize, usize, usize) {
    let n = |f: fn(&Compared) -> bool| v.fields.iter().filter(|x| f(&x.compared)).count();
    (
        n(|c| matches!(c, Compared::Equal { .. })),
        n(|c| matches!(c, Compared::Changed { .. })),
        n(|c| matches!(c, Compared::Added { .. })),
    )
}
