//! The policy operator's tools, as library API: what the command-line tool
//! (`linkpolicy test`, `check`, `diff`, `explain`, `stats`, `classify`) runs, so
//! the bindings can offer the same to analysts.
//!
//! - [`PolicyTest`] and [`Policy::run_tests`](crate::Policy::run_tests): the
//!   `[[test]]` cases of a policy file (contract section 9), with coverage.
//! - [`PolicyBuilder::lints`](crate::PolicyBuilder::lints): findings that are
//!   provably right — rules that can never decide, unused tiers, public suffixes.
//! - [`Diff`]: the verdict-change matrix of two policies over the same input.
//! - [`Policy::explain`](crate::Policy::explain): every step of the evaluation
//!   order, in words.
//! - [`Stats`]: counts per action, reason kind, rule and list.
//! - [`classify_lines`]: the loop of the contract's example program (section 8).

mod case;
mod diff;
pub(crate) mod explain;
pub(crate) mod lints;
#[cfg(feature = "json")]
mod run;
mod stats;
mod tests;

pub use case::PolicyTest;
pub use diff::{Change, Diff, DiffContext, DiffContextError};
pub use explain::Explanation;
pub use lints::{Lint, LintKind};
#[cfg(feature = "json")]
pub use run::classify_lines;
pub use stats::Stats;
pub use tests::{Coverage, TestOutcome, TestReport};
