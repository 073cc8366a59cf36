//! The face of the operators' tools on a policy: [`Policy::explain`], and the
//! policy's own test cases ([`Policy::tests`], [`Policy::run_tests`], and the
//! runs of cases and reports on a policy). Each delegates to `operator/`,
//! which reads the compiled form.

use super::Policy;
use crate::context::Context;
use crate::operator::{Coverage, Explanation, PolicyTest, TestOutcome, TestReport};
use crate::verdict::Verdict;

impl Policy {
    /// Explains how `link` is decided in `ctx`: every step of the evaluation
    /// order in words, and the verdict. Costs several `classify` calls; meant
    /// for people, not for every message.
    pub fn explain(&self, link: &str, ctx: &Context) -> Explanation {
        crate::operator::explain::explain(self.engine(), link, ctx)
    }

    /// The policy file's `[[test]]` cases, in order; empty
    /// when it has none. [`Policy::classify`] never reads them.
    pub fn tests(&self) -> &[PolicyTest] {
        &self.inner.tests
    }

    /// Decides every one of [`Policy::tests`] and reports each outcome and what
    /// no test reached.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Policy, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let report = policy.run_tests();
    /// assert!(report.passed(), "{:?}", report.outcomes);
    /// assert!(report.outcomes.len() > 10);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_tests(&self) -> TestReport {
        TestReport::run_on(self.engine(), &self.inner.tests)
    }
}

impl PolicyTest {
    /// Classifies the link and checks the verdict.
    pub fn run(&self, policy: &Policy) -> TestOutcome {
        self.run_on(policy.engine())
    }
}

impl TestReport {
    /// Runs `tests` against `policy`.
    pub fn run(policy: &Policy, tests: &[PolicyTest]) -> Self {
        Self::run_on(policy.engine(), tests)
    }
}

impl Coverage {
    /// What `verdicts` of `policy` did not reach.
    pub fn of<'a>(policy: &Policy, verdicts: impl IntoIterator<Item = &'a Verdict>) -> Self {
        Self::of_compiled(&policy.inner, verdicts)
    }
}
