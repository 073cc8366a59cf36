//! Complaint counts: the floors they set per category ([`Threshold`]) and the
//! aggregated rows ([`Complaint`]).

use serde::{Deserialize, Serialize};

use super::action::Category;

/// Floors from complaint counts for one category.
#[derive(Clone, Copy, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Threshold {
    /// At or above this count: at least warn.
    pub warn: Option<u64>,
    /// At or above this count: block.
    pub block: Option<u64>,
}

impl Threshold {
    /// A threshold with the given counts.
    pub fn new(warn: Option<u64>, block: Option<u64>) -> Self {
        Self { warn, block }
    }
}

/// An aggregated complaint count for a registrable domain.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Complaint {
    /// A registrable domain, such as `spam.example`.
    pub domain: String,
    /// The complaints' category.
    pub category: Category,
    /// How many complaints.
    pub count: u64,
}

impl Complaint {
    /// A complaint row.
    pub fn new(domain: impl Into<String>, category: Category, count: u64) -> Self {
        Self {
            domain: domain.into(),
            category,
            count,
        }
    }
}
