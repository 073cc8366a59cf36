//! Matching: which rules, platforms and list entries a normalized link hits.
//!
//! - `matcher.rs`: the compiled matchers of a policy, and the one call that
//!   finds a link's hits and its site;
//! - `hit.rs`: a hit and its specificity;
//! - `index.rs`: the site index: host and domain rules, platforms,
//!   redirectors, protected domains and the Public Suffix List's rules in one
//!   hash table, probed once per label;
//! - `list_table.rs`: a snapshot's list entries as fingerprints in buckets,
//!   read in place, probed per suffix behind a filter;
//! - `prefilter.rs`: the regex set's literal prefilter.

pub(crate) mod hit;
pub(crate) mod index;
pub(crate) mod list_table;
pub(crate) mod matcher;
pub(crate) mod prefilter;
