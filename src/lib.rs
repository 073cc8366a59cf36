#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod compile;
mod context;
mod engine;
mod error;
mod limits;
mod link;
mod lists;
#[cfg(any(feature = "toml", feature = "json"))]
mod load;
mod matching;
mod model;
mod operator;
mod policy;
mod psl;
#[cfg(feature = "json")]
mod request;
mod rules;
mod scan;
pub mod snapshot;
mod unwrap;
mod verdict;

pub use context::{ChatKind, Context, Mode, Prefs};
pub use engine::rollout::rollout_bucket;
pub use error::{Error, ErrorKind, Item, Location, ParseNameError, Warning};
pub use limits::SizeLimits;
#[cfg(feature = "json")]
pub use operator::classify_lines;
pub use operator::{
    Change, Coverage, Diff, DiffContext, DiffContextError, Explanation, Lint, LintKind, PolicyTest,
    Stats, TestOutcome, TestReport,
};
pub use policy::{Policy, PolicyBuilder};
pub use psl::PublicSuffixList;
#[cfg(feature = "json")]
pub use request::{MessageLinks, MessageRequest, Request, RequestError, RequestErrorKind};
pub use rules::{
    Action, Category, Complaint, Defaults, Limits, List, ListFormat, Matcher, Phase, Platform,
    Redirector, Rollout, Rule, Threshold, Tier,
};
pub use scan::{FoundLink, LinkKind};
pub use verdict::{Id, Reason, ShadowMatch, SpoofRule, Verdict};

/// Test hook, not part of the API: runs the `url::Url::parse` fast path on one
/// input (read as `http://` followed by it when `assume_http`) and compares it with
/// the url crate. `Ok(true)`: the fast path took it and agrees; `Ok(false)`: it
/// declined; `Err`: it took it and disagrees, described.
#[doc(hidden)]
pub fn __fastpath_agrees(input: &str, assume_http: bool) -> Result<bool, String> {
    link::fastpath::agrees(input, assume_http)
}

/// The sample policy shipped with the crate (`policies/sample.toml`): a Chinese
/// super-app in late 2021. The example program uses it when given no policy file.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let v = policy.classify("https://item.jd.com/100012043978.html", &Context::one_to_one());
/// assert_eq!(v.action(), Action::Allow);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const SAMPLE_POLICY: &str = include_str!("../policies/sample.toml");
