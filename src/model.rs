//! The policy's plain model: what a [`PolicyBuilder`] holds, what loading a
//! policy file gives, what a snapshot encodes and what the compile step reads.
//!
//! Plain values, checked only when compiled. It knows neither the builder nor
//! the compiled policy, so the stages that fill it (the builder's setters,
//! `load/`, `snapshot/`) and the one that reads it (`compile/`) need neither:
//! `load/` calls `compile/` only to report every problem of a text at once,
//! and `compile/` calls only `load/source.rs`, to locate its errors in the
//! TOML text.
//!
//! [`PolicyBuilder`]: crate::PolicyBuilder

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use crate::error::Error;
use crate::limits::SizeLimits;
use crate::lists::ParsedList;
use crate::matching::list_table::ListTable;
use crate::operator::PolicyTest;
use crate::psl::PublicSuffixList;
use crate::rules::{
    Action, Category, Complaint, Defaults, Limits, List, Phase, Platform, Redirector, Rule,
    Threshold, Tier,
};

/// A policy as plain data. Its serde form (without the fields marked `skip`)
/// is the model a snapshot carries and the revision hashes.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
// The public type's name, for formats that write it (`PolicyBuilder` is
// serde-transparent over the model).
#[serde(rename = "PolicyBuilder")]
pub(crate) struct Model {
    pub(crate) defaults: Defaults,
    pub(crate) limits: Limits,
    pub(crate) tiers: Vec<(String, Tier)>,
    pub(crate) platforms: Vec<Platform>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) phases: Vec<Phase>,
    pub(crate) redirectors: Vec<Redirector>,
    pub(crate) builtin_wrappers: bool,
    pub(crate) tracking: Vec<String>,
    pub(crate) builtin_tracking: bool,
    pub(crate) lookalike_action: Option<Action>,
    pub(crate) protect: Vec<String>,
    pub(crate) typosquat: bool,
    pub(crate) embedded: bool,
    pub(crate) allow_trust: Option<bool>,
    pub(crate) thresholds: BTreeMap<Category, Threshold>,
    /// Data rather than policy: out of the model and the revision (snapshots
    /// carry the counts apart).
    #[serde(skip)]
    pub(crate) complaints: Vec<Complaint>,
    #[serde(skip)]
    pub(crate) psl: Option<Arc<PublicSuffixList>>,
    pub(crate) size_limits: SizeLimits,
    pub(crate) lists: Vec<List>,
    #[serde(skip)]
    pub(crate) list_texts: HashMap<String, String>,
    pub(crate) strict_lists: bool,
    /// Problems of the policy file found while reading it, reported by the
    /// compile step with the rest.
    #[serde(skip)]
    pub(crate) pending: Vec<Error>,
    /// The TOML text the model was read from, to point errors at its lines.
    #[serde(skip)]
    pub(crate) source: Option<TomlSource>,
    /// Test cases, not policy: out of the model and the revision.
    #[serde(skip)]
    pub(crate) tests: Vec<PolicyTest>,
    /// What a snapshot gives in place of the list texts: set only when loading one.
    #[serde(skip)]
    pub(crate) loaded: Option<Arc<Loaded>>,
}

/// The parts of a snapshot a policy is compiled with besides its model.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The snapshot's bytes.
    pub(crate) bytes: Arc<[u8]>,
    /// The revision its header names.
    pub(crate) revision: u64,
    /// Each list's entries that are not in the table (all of them, when there
    /// is no table), in declaration order.
    pub(crate) lists: Vec<ParsedList>,
    /// The lists' domain and host entries, read in place.
    pub(crate) table: Option<ListTable>,
}

/// A policy's TOML text, kept to locate errors; its `Debug` shows only its size.
#[derive(Clone)]
pub(crate) struct TomlSource(pub(crate) Arc<str>);

impl fmt::Debug for TomlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TomlSource({} bytes)", self.0.len())
    }
}
