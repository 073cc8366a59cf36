//! The policy's data model: plain values, checked only when a policy is built.
//!
//! The public types here are what [`PolicyBuilder`](crate::PolicyBuilder) takes; the
//! private `File*` types are the serde model of a policy file (section 3 of the
//! contract), which loading turns into the public types.
//!
//! By concern: `action.rs`, what to do with a link and why (`Action`,
//! `Category`); `rule.rs`, rules, their matchers and the rollout gate rules and
//! phases share; `list.rs`, lists of rules from feeds; `platform.rs`, platforms
//! and their tiers, the defaults, the limits on links, and phases;
//! `redirector.rs`, wrappers with the destination in a parameter;
//! `complaint.rs`, complaint counts and their thresholds; `file.rs`, the file
//! model (`FilePolicy` and its sections).

mod action;
mod complaint;
#[cfg(any(feature = "toml", feature = "json"))]
mod file;
mod list;
mod platform;
mod redirector;
mod rule;

pub use action::{Action, Category};
pub use complaint::{Complaint, Threshold};
#[cfg(any(feature = "toml", feature = "json"))]
pub(crate) use file::FilePolicy;
// The items of a `[[section]]` piece, which loading reads alone from TOML.
#[cfg(feature = "toml")]
pub(crate) use file::{FileList, FilePlatform, FileRule, FileTest};
pub use list::List;
pub use platform::{Defaults, Limits, Phase, Platform, Tier};
pub use redirector::Redirector;
pub use rule::{Matcher, Rollout, Rule};

// The format of a list's text, defined where lists are read.
pub use crate::lists::ListFormat;
