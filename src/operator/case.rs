//! A policy test case: the plain data of a `[[test]]` table, which the policy
//! model holds. Running one is in `tests.rs`; this file names no policy, so
//! that the model and the compiled form can hold cases without depending on
//! what runs them.

use crate::context::Context;
use crate::rules::Action;

/// One `[[test]]` case of a policy file: a link, the context it is shared in,
/// and what the verdict must be.
///
/// Loading a policy file reads its `[[test]]` tables into these (they are
/// checked like any other field: a misspelt `expect`, an unknown `reason` kind or
/// a `rule` the policy does not have is a load error); [`Policy::classify`](crate::Policy::classify)
/// ignores them and [`Policy::run_tests`](crate::Policy::run_tests) decides them.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, PolicyTest};
///
/// let policy = Policy::from_toml_str(r#"
/// version = 1
/// [[rule]]
/// id = "fraud-0001"
/// action = "block"
/// domain = "evil.example"
///
/// [[test]]
/// name = "evil is blocked"
/// link = "https://a.evil.example/"
/// expect = "block"
/// rule = "fraud-0001"
/// "#)?;
/// let t = &policy.tests()[0];
/// assert_eq!(t.name(), Some("evil is blocked"));
/// assert_eq!(t.expect(), Action::Block);
/// assert!(t.run(&policy).passed());
///
/// let other = PolicyTest::new("https://example.org/", Context::group(30), Action::Allow);
/// let outcome = other.run(&policy);
/// assert!(!outcome.passed());
/// assert_eq!(outcome.problems(), ["expected `allow`, got `block`"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct PolicyTest {
    pub(super) name: Option<String>,
    pub(super) link: String,
    pub(super) context: Context,
    pub(super) expect: Action,
    pub(super) reason: Option<String>,
    pub(super) rule: Option<String>,
}

impl PolicyTest {
    /// A test that `link` in `context` gets `expect`.
    pub fn new(link: impl Into<String>, context: Context, expect: Action) -> Self {
        Self {
            name: None,
            link: link.into(),
            context,
            expect,
            reason: None,
            rule: None,
        }
    }

    /// Names the test (reported on failure).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Requires a reason of this kind (`platform`, `rule`, … as
    /// [`Reason::kind`](crate::Reason::kind) names them) in the verdict. Building a policy with a
    /// kind that does not exist is an error.
    #[must_use]
    pub fn with_reason(mut self, kind: impl Into<String>) -> Self {
        self.reason = Some(kind.into());
        self
    }

    /// Requires this rule (or list entry, `list:line`) to decide. Building a
    /// policy with a rule or list it does not have is an error.
    #[must_use]
    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }

    /// The test's name, when it has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The link.
    pub fn link(&self) -> &str {
        &self.link
    }

    /// The context the link is shared in.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The action the verdict must have.
    pub fn expect(&self) -> Action {
        self.expect
    }

    /// The reason kind the verdict must contain, when the test names one.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    /// The rule that must decide, when the test names one.
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }
}
