//! Talking to clusters: `bdc apply`, `bdc diff`, prune. The planning is pure and lives here
//! (what bdc owns, what it may delete, how a change is shown); the client code that sends it
//! is the only async code in the crate.
//!
//! Ownership follows the ApplySet convention (KEP-3659): per partner namespace a parent
//! ConfigMap `bdc-applyset` carries the set's id and the kinds it contains, and every object
//! bdc applies carries `applyset.kubernetes.io/part-of: <id>`. Prune lists only objects with
//! that label, and never deletes data (PersistentVolumeClaims), namespaces, or anything marked
//! to be kept, unless explicitly told to.

pub mod access;
pub mod applyset;
pub mod argo;
pub mod client;
pub mod diff;
pub mod fetch;
pub mod guard;
pub mod health;
pub mod live;
pub mod moves;
pub mod owned;
pub mod prune;
pub mod record;
pub mod rollout;
pub mod session;
pub mod throttle;
