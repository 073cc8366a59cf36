//! What to do with a link ([`Action`]) and why a rule exists ([`Category`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ParseNameError;

/// What to do with a link: open it, show a warning page first, or refuse.
///
/// Ordered by strictness: `Allow < Warn < Block`. The enum is exhaustive on
/// purpose: a new action must break every `match` on it.
#[derive(Clone, Copy, Debug, Deserialize, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "lowercase")]
#[expect(
    clippy::exhaustive_enums,
    reason = "a new action must break callers' matches"
)]
pub enum Action {
    /// Open the link directly.
    Allow,
    /// Show a warning page first (Continue / Back).
    Warn,
    /// Refuse to open the link.
    Block,
}

impl Action {
    /// The action's name as written in a policy file: `allow`, `warn` or `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Warn => "warn",
            Self::Block => "block",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `allow`, `warn` or `block`, as in JSON and policy files.
impl std::str::FromStr for Action {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &["allow", "warn", "block"];
        ParseNameError::find("action", s, NAMES, &[Self::Allow, Self::Warn, Self::Block])
    }
}

/// Why a rule exists: the kind of harm (or business) it is about.
#[derive(
    Clone, Copy, Debug, Default, Deserialize, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Category {
    /// Scams, fake shops, fake refunds.
    Fraud,
    /// Harassment and abuse.
    Harassment,
    /// Inducement: "share to unlock", forced sharing, pyramid-style lures.
    Inducement,
    /// Illegal content.
    Illegal,
    /// Privacy: trackers, data harvesting.
    Privacy,
    /// Marketing and spam.
    Marketing,
    /// Malware distribution.
    Malware,
    /// Credential phishing.
    Phishing,
    /// Anything else (the default).
    #[default]
    Other,
}

impl Category {
    /// Every category, in the order the policy format lists them.
    pub const ALL: [Category; 9] = [
        Self::Fraud,
        Self::Harassment,
        Self::Inducement,
        Self::Illegal,
        Self::Privacy,
        Self::Marketing,
        Self::Malware,
        Self::Phishing,
        Self::Other,
    ];

    /// The category's name as written in a policy file, such as `fraud`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fraud => "fraud",
            Self::Harassment => "harassment",
            Self::Inducement => "inducement",
            Self::Illegal => "illegal",
            Self::Privacy => "privacy",
            Self::Marketing => "marketing",
            Self::Malware => "malware",
            Self::Phishing => "phishing",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category's name as in JSON and policy files (`fraud`, …).
impl std::str::FromStr for Category {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &[
            "fraud",
            "harassment",
            "inducement",
            "illegal",
            "privacy",
            "marketing",
            "malware",
            "phishing",
            "other",
        ];
        ParseNameError::find("category", s, NAMES, &Self::ALL)
    }
}
