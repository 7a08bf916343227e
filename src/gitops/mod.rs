//! GitOps trees: the fleet laid out for Argo CD or Flux (`bdc emit --out DIR` on a platform
//! with `gitops { engine = … }`).
//!
//! ```text
//! DIR/clusters/<cluster>/kustomization.yaml         every partner directory of the cluster
//! DIR/clusters/<cluster>/<partner>/…                the partner's bundle and its kustomization.yaml
//! DIR/clusters/<cluster>/_cluster/…                  cluster-scoped objects partners share (EKS gp3)
//! DIR/argocd/applicationset.yaml, kustomization.yaml   (argocd) one ApplicationSet for the fleet
//! DIR/flux/<cluster>/<partner>.yaml, kustomization.yaml (flux) one Kustomization per partner
//! ```
//!
//! Cluster-scoped objects that partners share (a StorageClass) are written once per cluster in
//! `_cluster` (never a partner's name: partner names are DNS labels), with an Application or
//! Kustomization of their own, so that no two of the engine's objects own the same object.
//! A partner without a declared cluster is under `in-cluster` (Argo CD's name for the cluster
//! it runs in). Each partner's wave is its wave in the train of the release it runs; the
//! engines move the waves in train order (`argocd`: progressive sync steps; `flux`:
//! `dependsOn` within a cluster), partners in no wave first. Objects whose deletion deletes
//! data (the data kinds of [`crate::lower::KINDS`], the rule `bdc apply --prune` follows) and
//! Namespaces (whose deletion deletes everything in them) are annotated so the engine never
//! prunes or deletes them.
//!
//! This module only lays out files; the CLI writes them (atomically) or compares them with a
//! committed tree ([`check`]).

pub mod argocd;
pub mod check;
pub mod flux;

use crate::emit::{self, Broken, File, Format};
use crate::lower::{verify, Lowering, Object, Placement, KINDS};
use crate::model::{Fleet, Gitops, Reconciler};
use std::collections::HashMap;

/// The label carrying a partner's wave (on Argo CD Applications and Flux Kustomizations).
pub const WAVE_LABEL: &str = "bdc.dev/wave";
/// The label naming the partner an Application or Kustomization deploys.
pub const PARTNER_LABEL: &str = "bdc.dev/partner";
/// The recommended label naming the tool that manages the engine's objects.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// The wave label of partners no train's wave takes.
pub const NO_WAVE: &str = "none";
/// The directory of partners that name no cluster (Argo CD's name for its own cluster).
pub const LOCAL_CLUSTER: &str = "in-cluster";
/// The directory, in a cluster's, of the cluster-scoped objects its partners share.
pub const SHARED_DIR: &str = "_cluster";
/// The name of the engine's object (Application, Kustomization) of a cluster's shared objects.
pub fn shared_name(cluster: &str) -> String {
    format!("bdc-{cluster}-cluster-scoped")
}

/// One partner in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub partner: String,
    pub cluster: String,
    pub namespace: String,
    /// Its wave in the train of the release it runs, as an index into [`Layout::waves`].
    pub wave: Option<usize>,
    wave_name: Option<String>,
}

impl Entry {
    /// The partner's directory, relative to the tree.
    pub fn dir(&self) -> String {
        format!("clusters/{}/{}", self.cluster, self.partner)
    }

    pub fn wave_label(&self) -> &str {
        self.wave_name.as_deref().unwrap_or(NO_WAVE)
    }

    /// The file of the engine's object for this partner, if it has one of its own (Flux).
    pub fn engine_file(&self, engine: Reconciler) -> Option<String> {
        match engine {
            Reconciler::ArgoCd => None,
            Reconciler::Flux => Some(format!("flux/{}/{}.yaml", self.cluster, self.partner)),
        }
    }

    /// What of the tree belongs to this partner alone: a partial emit replaces exactly these.
    pub fn owned(&self, engine: Reconciler) -> Vec<String> {
        let mut owned = vec![self.dir()];
        owned.extend(self.engine_file(engine));
        owned
    }
}

/// The partners of a GitOps tree and their waves.
pub struct Layout {
    pub platform: String,
    pub engine: Reconciler,
    /// The tree's directory in the repository.
    path: String,
    pub entries: Vec<Entry>,
    /// Wave names in train order (the order releases list them, first listing first).
    pub waves: Vec<String>,
    /// Entries by cluster and wave, for `dependsOn`.
    by_wave: HashMap<(String, usize), Vec<usize>>,
    /// Entries by partner name.
    by_partner: HashMap<String, usize>,
    /// The cluster-scoped objects each cluster's partners share, by cluster (in name order).
    pub shared: Vec<(String, Vec<Object>)>,
}

impl Layout {
    /// The layout of `placements` (the partners that run a release), in their order.
    pub fn new(fleet: &Fleet, lw: &Lowering, g: &Gitops, placements: &[Placement]) -> Layout {
        let mut waves: Vec<String> = Vec::new();
        for r in &fleet.releases {
            for w in &r.waves {
                if !waves.contains(&w.value) {
                    waves.push(w.value.clone());
                }
            }
        }
        let mut trains: HashMap<&str, crate::train::Train> = HashMap::new();
        let mut by_cluster: std::collections::BTreeMap<String, Vec<Placement>> = Default::default();
        let mut entries = Vec::with_capacity(placements.len());
        for at in placements {
            let train = trains
                .entry(at.release.version.value.as_str())
                .or_insert_with(|| crate::train::plan(fleet, at.release));
            let wave_name =
                train.wave_of(&at.partner.name.value).and_then(|i| train.cohorts[i].wave).map(|w| w.name.value.clone());
            let cluster = at.partner.cluster.as_ref().map_or(LOCAL_CLUSTER.to_string(), |c| c.value.clone());
            by_cluster.entry(cluster.clone()).or_default().push(at.clone());
            entries.push(Entry {
                partner: at.partner.name.value.clone(),
                cluster,
                namespace: lw.namespace(at.partner),
                wave: wave_name.as_ref().and_then(|n| waves.iter().position(|w| w == n)),
                wave_name,
            });
        }
        let mut layout = Layout {
            platform: lw.platform.name.value.clone(),
            engine: g.engine.value,
            path: g.path.trim_matches('/').to_string(),
            entries,
            waves,
            by_wave: HashMap::new(),
            by_partner: HashMap::new(),
            shared: by_cluster
                .into_iter()
                .map(|(c, placed)| (c, lw.cluster_objects(&placed)))
                .filter(|(_, objects)| !objects.is_empty())
                .collect(),
        };
        layout.index();
        layout
    }

    fn index(&mut self) {
        self.by_wave.clear();
        self.by_partner.clear();
        for (i, e) in self.entries.iter().enumerate() {
            self.by_partner.insert(e.partner.clone(), i);
            if let Some(w) = e.wave {
                self.by_wave.entry((e.cluster.clone(), w)).or_default().push(i);
            }
        }
    }

    /// Keeps only the partners the tree will hold.
    pub fn retain(&mut self, keep: impl Fn(&Entry) -> bool) {
        self.entries.retain(keep);
        self.index();
    }

    pub fn entry(&self, partner: &str) -> Option<&Entry> {
        self.by_partner.get(partner).map(|&i| &self.entries[i])
    }

    /// A path of the tree as the engine finds it in the repository.
    pub fn repo_path(&self, rel: &str) -> String {
        if self.path.is_empty() || self.path == "." {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.path)
        }
    }

    /// The wave labels in the order the engine moves them: partners in no wave first (they are
    /// in no train), then the waves in train order.
    pub fn step_labels(&self) -> Vec<String> {
        let mut steps = Vec::new();
        if self.entries.iter().any(|e| e.wave.is_none()) {
            steps.push(NO_WAVE.to_string());
        }
        for (i, w) in self.waves.iter().enumerate() {
            if self.entries.iter().any(|e| e.wave == Some(i)) {
                steps.push(w.clone());
            }
        }
        steps
    }

    /// The partners of the nearest earlier wave on the same cluster: what `entry` waits for.
    pub fn previous_wave(&self, entry: &Entry) -> Vec<&Entry> {
        let Some(w) = entry.wave else { return Vec::new() };
        (0..w)
            .rev()
            .find_map(|earlier| self.by_wave.get(&(entry.cluster.clone(), earlier)))
            .map(|ids| ids.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// A partner's files: its bundle (data and the namespace marked never to be pruned) and,
    /// for Flux, its `Kustomization`.
    pub fn partner_files(
        &self,
        lw: &Lowering,
        g: &Gitops,
        at: &Placement,
        format: Format,
        report: Option<String>,
    ) -> Result<Vec<File>, Broken> {
        // Cluster-scoped objects are the cluster's (`_cluster`), not the partner's.
        let mut objects = lw.partner_objects(at);
        if let Some(violation) = verify::objects(&objects).into_iter().next() {
            return Err(Broken { partner: at.partner.name.value.clone(), violation });
        }
        for o in &mut objects {
            protect(o, self.engine);
        }
        let Some(entry) = self.entry(&at.partner.name.value) else { return Ok(Vec::new()) };
        let mut files = emit::bundle(&entry.dir(), &objects, format, report);
        if let Some(path) = entry.engine_file(self.engine) {
            let mut bytes = Vec::new();
            yaml(&flux::kustomization(self, g, entry, &objects), &mut bytes);
            files.push(File { path, bytes });
        }
        Ok(files)
    }

    /// The files that list partners: each cluster's `kustomization.yaml` and shared objects,
    /// and the engine's objects for the fleet (Argo CD's `ApplicationSet`; Flux's per-cluster
    /// lists and the shared objects' `Kustomization`s).
    pub fn index_files(&self, g: &Gitops, format: Format) -> Result<Vec<File>, Broken> {
        let mut clusters: Vec<&str> = self.entries.iter().map(|e| e.cluster.as_str()).collect();
        clusters.sort_unstable();
        clusters.dedup();
        let mut files = Vec::new();
        for c in clusters {
            let mut partners: Vec<&str> =
                self.entries.iter().filter(|e| e.cluster == c).map(|e| e.partner.as_str()).collect();
            partners.sort_unstable();
            let shared = self.shared_of(c);
            let mut dirs: Vec<String> = partners.iter().map(|p| p.to_string()).collect();
            let mut objects: Vec<String> = partners.iter().map(|p| format!("{p}.yaml")).collect();
            if let Some(shared) = shared {
                if let Some(violation) = verify::objects(shared).into_iter().next() {
                    return Err(Broken { partner: format!("(cluster {c})"), violation });
                }
                files.extend(emit::bundle(&format!("clusters/{c}/{SHARED_DIR}"), shared, format, None));
                dirs.insert(0, SHARED_DIR.to_string());
                objects.insert(0, format!("{SHARED_DIR}.yaml"));
            }
            files.push(File { path: format!("clusters/{c}/kustomization.yaml"), bytes: emit::kustomization(&dirs) });
            if self.engine == Reconciler::Flux {
                if shared.is_some() {
                    let mut bytes = Vec::new();
                    yaml(&flux::shared(self, g, c), &mut bytes);
                    files.push(File { path: format!("flux/{c}/{SHARED_DIR}.yaml"), bytes });
                }
                files.push(File { path: format!("flux/{c}/kustomization.yaml"), bytes: emit::kustomization(&objects) });
            }
        }
        if self.engine == Reconciler::ArgoCd {
            let mut bytes = Vec::new();
            yaml(&argocd::application_set(self, g), &mut bytes);
            files.push(File { path: "argocd/applicationset.yaml".into(), bytes });
            files.push(File {
                path: "argocd/kustomization.yaml".into(),
                bytes: emit::kustomization(&["applicationset.yaml".to_string()]),
            });
        }
        Ok(files)
    }

    /// The shared cluster-scoped objects of a cluster the tree lists partners of.
    pub fn shared_of(&self, cluster: &str) -> Option<&[Object]> {
        if !self.entries.iter().any(|e| e.cluster == cluster) {
            return None;
        }
        self.shared.iter().find(|(c, _)| c == cluster).map(|(_, o)| o.as_slice())
    }
}

fn yaml<T: serde::Serialize>(value: &T, out: &mut Vec<u8>) {
    // Our typed objects serialise with string keys only: this cannot fail.
    if let Err(e) = emit::yaml::write(value, out) {
        out.extend_from_slice(format!("# serialisation error: {e}\n").as_bytes());
    }
}

/// The annotation that keeps an object from the engine's pruning and deletion.
pub fn protection(engine: Reconciler) -> (&'static str, &'static str) {
    match engine {
        Reconciler::ArgoCd => ("argocd.argoproj.io/sync-options", "Prune=false,Delete=false"),
        Reconciler::Flux => ("kustomize.toolkit.fluxcd.io/prune", "disabled"),
    }
}

/// Whether the engine must never delete an object of this kind: data (the one list of kinds
/// says which) and Namespaces (deleting one deletes all in it), as `bdc apply --prune`.
pub fn protected(o: &Object) -> bool {
    o.info().holds_data || matches!(o, Object::Namespace(_))
}

fn protect(o: &mut Object, engine: Reconciler) {
    if protected(o) {
        let (key, value) = protection(engine);
        o.metadata_mut().annotations.get_or_insert_with(Default::default).insert(key.into(), value.into());
    }
}

/// Whether a bundle file (`09-persistentvolumeclaim-data.yaml`) holds an object whose deletion
/// deletes data: its rank prefix names the kind.
pub fn data_file(name: &str) -> bool {
    let Some((rank, rest)) = name.split_once('-') else { return false };
    let Ok(rank) = rank.parse::<usize>() else { return false };
    KINDS.get(rank).is_some_and(|k| k.holds_data && rest.starts_with(&format!("{}-", k.kind.to_lowercase())))
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_files_are_known_by_their_rank_and_kind() {
        let pvc = crate::lower::kind_info("PersistentVolumeClaim").expect("listed").0;
        let dep = crate::lower::kind_info("Deployment").expect("listed").0;
        assert!(super::data_file(&format!("{pvc:02}-persistentvolumeclaim-data.yaml")));
        assert!(!super::data_file(&format!("{dep:02}-deployment-web.yaml")));
        assert!(!super::data_file(&format!("{pvc:02}-deployment-web.yaml")));
        assert!(!super::data_file("kustomization.yaml"));
    }
}
