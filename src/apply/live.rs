//! What bdc owns on a cluster, in one look: every object of the kinds a fleet applies that
//! carries `app.kubernetes.io/managed-by=bdc`, listed per kind across namespaces (a few list
//! requests instead of one GET per object), with the partners' rollout records among the
//! ConfigMaps. `bdc apply` decides from it what to send and what is unchanged. A kind the
//! identity may not list cluster-wide is left out, and its objects are read one by one.

use super::client::{explain, Failure};
use super::record::{self, Record};
use super::throttle;
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::ApiResource;
use serde_json::Value;
use std::collections::HashMap;

/// The label on everything bdc applies.
pub const SELECTOR: &str = "app.kubernetes.io/managed-by=bdc";
/// Objects per list page.
const PAGE: u32 = 500;

/// Live objects by (kind, namespace, name).
#[derive(Default)]
pub struct Snapshot {
    objects: HashMap<(String, Option<String>, String), Value>,
    /// Kinds listed (served and allowed).
    listed: std::collections::HashSet<String>,
}

impl Snapshot {
    /// Lists the kinds of `kinds` not listed yet (at the same time).
    pub async fn add(&mut self, client: &kube::Client, kinds: &[ApiResource]) -> Result<(), Failure> {
        let mut seen = std::collections::HashSet::new();
        let todo: Vec<&ApiResource> =
            kinds.iter().filter(|ar| !self.listed.contains(&ar.kind) && seen.insert(ar.kind.clone())).collect();
        let lists = todo.iter().map(|ar| list(client, ar));
        for (ar, listed) in todo.iter().zip(futures::future::join_all(lists).await) {
            let Some(items) = listed? else { continue };
            self.listed.insert(ar.kind.clone());
            for item in items {
                let ns = item.pointer("/metadata/namespace").and_then(Value::as_str).map(str::to_string);
                let name = item.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
                self.objects.insert((ar.kind.clone(), ns, name), item);
            }
        }
        Ok(())
    }

    /// The live object of `kind` `namespace/name`: `Some(None)` when it does not exist (or
    /// lacks bdc's label), `None` when its kind was not listed.
    pub fn lookup(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<Option<&Value>> {
        self.listed
            .contains(kind)
            .then(|| self.objects.get(&(kind.to_string(), namespace.map(str::to_string), name.to_string())))
    }

    /// The rollout record of a partner namespace (`None`: ConfigMaps were not listed).
    pub fn record(&self, namespace: &str) -> Option<Option<Record>> {
        let cm = self.lookup("ConfigMap", Some(namespace), record::NAME)?;
        Some(cm.and_then(|cm| serde_json::from_value(cm.clone()).ok()).as_ref().and_then(Record::from_config_map))
    }
}

/// Every object of one kind with bdc's label, page by page; `None` when the cluster does not
/// serve the kind or the identity may not list it cluster-wide.
async fn list(client: &kube::Client, ar: &ApiResource) -> Result<Option<Vec<Value>>, Failure> {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), ar);
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = ListParams::default().labels(SELECTOR).limit(PAGE);
        params.continue_token = token.clone();
        let page = match throttle::call(|| api.list(&params)).await {
            Ok(page) => page,
            Err(kube::Error::Api(s)) if s.code == 404 || s.is_forbidden() => return Ok(None),
            Err(e) => return Err(Failure::new(format!("{} list", ar.kind), explain(&e))),
        };
        for mut item in page.items {
            // Lists leave out each item's kind.
            item.types = Some(kube::core::TypeMeta { api_version: ar.api_version.clone(), kind: ar.kind.clone() });
            out.push(serde_json::to_value(&item).unwrap_or_default());
        }
        match page.metadata.continue_ {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(Some(out)),
        }
    }
}
