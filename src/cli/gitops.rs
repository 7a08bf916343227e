//! What `emit --out DIR` finds in an existing GitOps tree: the partners it holds, and those of
//! them that left the spec (or moved to another cluster), which are removed only with
//! `--remove-departed`, their data objects' files listed either way.

use crate::gitops::{self, Layout};
use crate::model::Reconciler;
use std::collections::HashSet;
use std::path::Path;

/// A partner directory in the tree that the spec no longer places there.
pub struct Departed {
    pub cluster: String,
    pub partner: String,
    /// Its files holding objects whose deletion deletes data, relative to the tree.
    pub data_files: Vec<String>,
}

impl Departed {
    /// What of the tree is the partner's (see [`gitops::Entry::owned`]).
    pub fn owned(&self, engine: Reconciler) -> Vec<String> {
        let dir = format!("clusters/{}/{}", self.cluster, self.partner);
        match engine {
            Reconciler::ArgoCd => vec![dir],
            Reconciler::Flux => vec![dir, format!("flux/{}/{}.yaml", self.cluster, self.partner)],
        }
    }
}

fn dirs(at: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(at)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// The partners the tree at `dir` holds: (cluster, partner) of every `clusters/*/*` directory
/// but the clusters' shared objects (`_cluster`).
pub fn present(dir: &Path) -> HashSet<(String, String)> {
    let clusters = dir.join("clusters");
    dirs(&clusters)
        .into_iter()
        .flat_map(|c| dirs(&clusters.join(&c)).into_iter().map(move |p| (c.clone(), p)))
        .filter(|(_, p)| p != gitops::SHARED_DIR)
        .collect()
}

/// The partner directories of the tree at `dir` that `layout` does not place there.
pub fn departed(dir: &Path, layout: &Layout) -> Result<Vec<Departed>, String> {
    let placed: HashSet<(&str, &str)> =
        layout.entries.iter().map(|e| (e.cluster.as_str(), e.partner.as_str())).collect();
    let mut found: Vec<(String, String)> =
        present(dir).into_iter().filter(|(c, p)| !placed.contains(&(c.as_str(), p.as_str()))).collect();
    found.sort();
    Ok(found
        .into_iter()
        .map(|(cluster, partner)| {
            let at = dir.join("clusters").join(&cluster).join(&partner);
            let mut data_files: Vec<String> = std::fs::read_dir(&at)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| gitops::data_file(n))
                .map(|n| format!("clusters/{cluster}/{partner}/{n}"))
                .collect();
            data_files.sort();
            Departed { cluster, partner, data_files }
        })
        .collect())
}

fn describe(layout_dir: &Path, d: &Departed) -> String {
    let mut s = format!("  clusters/{}/{} in {}", d.cluster, d.partner, layout_dir.display());
    if d.data_files.is_empty() {
        s.push_str(": no data objects\n");
    } else {
        s.push_str(": its data objects stay on the cluster (annotated never to be pruned) until deleted by hand:\n");
        for f in &d.data_files {
            s.push_str(&format!("    {f}\n"));
        }
    }
    s
}

/// Reports the departed partners and why nothing was written.
pub fn refuse(dir: &Path, departed: &[Departed]) {
    let mut s = format!(
        "error: {} partner director{} of the tree no longer match{} the spec (the partner left it or moved to another cluster):\n",
        departed.len(),
        if departed.len() == 1 { "y" } else { "ies" },
        if departed.len() == 1 { "es" } else { "" }
    );
    for d in departed {
        s.push_str(&describe(dir, d));
    }
    s.push_str("nothing written; pass --remove-departed to remove them from the tree (the engine then deletes their other objects)\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), s.as_bytes());
}

/// Reports the departed partners a run removed.
pub fn removed(departed: &[Departed]) {
    for d in departed {
        let mut s = format!("removed partner `{}` from cluster `{}`", d.partner, d.cluster);
        if d.data_files.is_empty() {
            s.push('\n');
        } else {
            s.push_str("; its data objects stay on the cluster until deleted by hand:\n");
            for f in &d.data_files {
                s.push_str(&format!("  {f}\n"));
            }
        }
        let _ = std::io::Write::write_all(&mut std::io::stderr(), s.as_bytes());
    }
}
