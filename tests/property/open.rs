//! Defects the property found that are not fixed yet. For each: its reproducer in
//! `tests/data/property/`, and whether it is fixed. While a defect is open the generator steers
//! around it (see `is_open` in `gen` and `values`), so that the property keeps finding new ones;
//! the reproducer test fails as soon as an open defect stops reproducing, so that whoever fixes
//! it records the new state here, which widens the generator again, and the reproducer stays as a
//! regression case that must then pass.

use super::{run_files, scratch, Outcome};

pub struct Defect {
    pub id: &'static str,
    pub state: State,
}

/// Where a defect stands.
#[derive(PartialEq)]
pub enum State {
    /// Not fixed: the reproducer breaks the property.
    Open,
    /// Fixed by a diagnostic: the checker refuses the reproducer.
    Refused,
    /// Fixed in the output: the reproducer checks clean and emits what is accepted.
    Emits,
}

pub const DEFECTS: &[Defect] = &[
    Defect { id: "long-partner-name", state: State::Refused },
    Defect { id: "long-service-name", state: State::Refused },
    Defect { id: "ip-domain", state: State::Refused },
    Defect { id: "gke-certificate-domains", state: State::Emits },
    Defect { id: "digit-partner-name", state: State::Refused },
    Defect { id: "zero-surge-zero-unavailable", state: State::Refused },
    Defect { id: "yaml-line-separator", state: State::Emits },
    Defect { id: "yaml-noncharacter", state: State::Emits },
    Defect { id: "aks-postgres-17", state: State::Refused },
    Defect { id: "cloud-name-length", state: State::Refused },
    Defect { id: "yaml-hex", state: State::Emits },
    Defect { id: "yaml-timestamp", state: State::Emits },
    Defect { id: "azure-reserved-login", state: State::Refused },
    Defect { id: "cloud-double-hyphen", state: State::Refused },
    Defect { id: "argo-native-sidecar", state: State::Emits },
    Defect { id: "w0409-names-one-target", state: State::Emits },
];

/// Whether the generator must still avoid this defect.
pub fn is_open(id: &str) -> bool {
    DEFECTS.iter().find(|d| d.id == id).is_some_and(|d| d.state == State::Open)
}

/// The share (percent) of draws in which the generator may use an input of this defect: none
/// while it is open; once the checker refuses it, a few (the refusal is exercised, and most
/// specs still check clean, so the property keeps saying something); all once it emits.
pub fn share(id: &str) -> usize {
    match DEFECTS.iter().find(|d| d.id == id).map(|d| &d.state) {
        Some(State::Open) => 0,
        Some(State::Refused) => 5,
        Some(State::Emits) | None => 100,
    }
}

#[test]
fn reproducers_fail_while_open_and_pass_once_fixed() {
    let dir = scratch("reproducers");
    let data = crate::support::root().join("tests/data/property");
    let mut wrong = Vec::new();
    for d in DEFECTS {
        let name = format!("{}.bdot", d.id);
        let text = std::fs::read_to_string(data.join(&name)).expect("reproducer exists");
        let mut result = run_files(&dir, &[(name.clone(), text)]);
        // The slower, independent readers too: PyYAML and the schemas.
        if let Ok(Outcome::Emitted(streams)) = &result {
            let mut saved = Vec::new();
            for (target, yaml, json) in streams {
                let base = dir.join(format!("{}-{target}", d.id));
                std::fs::write(base.with_extension("yaml"), yaml).expect("write");
                std::fs::write(base.with_extension("json"), json).expect("write");
                saved.push(base);
            }
            let failures = super::batch_checks(&saved, &saved);
            if !failures.is_empty() {
                result = Err(failures.join("\n"));
            }
        }
        let now = match &result {
            Err(_) => State::Open,
            Ok(Outcome::Refused(_)) => State::Refused,
            Ok(Outcome::Emitted(_)) => State::Emits,
        };
        if now != d.state {
            let said = |s: &State| match s {
                State::Open => "breaks the property (open)",
                State::Refused => "is refused by the checker",
                State::Emits => "checks clean and emits accepted objects",
            };
            let detail = match result {
                Err(f) => f,
                Ok(Outcome::Refused(codes)) => format!("refused with {codes:?}"),
                Ok(Outcome::Emitted(_)) => "emitted".into(),
            };
            wrong.push(format!(
                "{name} {} but tests/property/open.rs says it {}: update `{}` there (a fixed defect widens the generator again)\n{detail}",
                said(&now),
                said(&d.state),
                d.id
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
