//! The runner of a policy's own test cases (contract section 9; the cases are
//! `case.rs`), with coverage: the rules, lists, platforms, tiers and phases no
//! test reached.

use std::collections::HashSet;

use super::case::PolicyTest;
use crate::policy::Policy;
use crate::verdict::{Reason, Verdict};

impl PolicyTest {
    /// Classifies the link and checks the verdict.
    pub fn run(&self, policy: &Policy) -> TestOutcome {
        let verdict = policy.classify(&self.link, &self.context);
        let problems = self.problems(&verdict);
        TestOutcome { verdict, problems }
    }

    /// What is wrong with `verdict` for this test; empty when it passes.
    fn problems(&self, verdict: &Verdict) -> Vec<String> {
        let mut problems = Vec::new();
        if verdict.action() != self.expect {
            problems.push(format!(
                "expected `{}`, got `{}`",
                self.expect.as_str(),
                verdict.action().as_str()
            ));
        }
        if let Some(kind) = &self.reason {
            if !verdict.reasons().any(|r| r.kind() == kind) {
                let got: Vec<&str> = verdict.reasons().map(Reason::kind).collect();
                problems.push(format!(
                    "expected a reason `{kind}`, got `{}`",
                    got.join("`, `")
                ));
            }
        }
        if let Some(rule) = &self.rule {
            if !verdict.rule_ids().any(|id| id.as_str() == rule) {
                let got: Vec<&str> = verdict.rule_ids().map(|id| id.as_str()).collect();
                problems.push(if got.is_empty() {
                    format!("expected rule `{rule}` to decide, no rule decided")
                } else {
                    format!(
                        "expected rule `{rule}` to decide, got `{}`",
                        got.join("`, `")
                    )
                });
            }
        }
        problems
    }
}

/// The result of one [`PolicyTest`]: the verdict it got and what is wrong.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TestOutcome {
    verdict: Verdict,
    problems: Vec<String>,
}

impl TestOutcome {
    /// Whether the verdict is what the test expects.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }

    /// The verdict the test got.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// What differs from the test's expectation, one message each (lowercase,
    /// names in backticks); empty when it passed.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// What a test run found: each test's outcome, in the order of the policy
/// file, and the coverage.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TestReport {
    /// Each test and its outcome, in order.
    pub outcomes: Vec<(PolicyTest, TestOutcome)>,
    /// What no test reached.
    pub coverage: Coverage,
}

impl TestReport {
    /// Runs `tests` against `policy`.
    pub fn run(policy: &Policy, tests: &[PolicyTest]) -> Self {
        let outcomes: Vec<(PolicyTest, TestOutcome)> =
            tests.iter().map(|t| (t.clone(), t.run(policy))).collect();
        let coverage = Coverage::of(policy, outcomes.iter().map(|(_, o)| &o.verdict));
        Self { outcomes, coverage }
    }

    /// The number of tests that failed.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|(_, o)| !o.passed()).count()
    }

    /// Whether every test passed.
    pub fn passed(&self) -> bool {
        self.failed() == 0
    }
}

/// What a set of verdicts did not reach: the policy's rules, lists, platforms,
/// tiers and phases that appear in none of them, each list in the policy's
/// order.
///
/// A rule is reached when a verdict names it (among its reasons, or as a shadow
/// match); a list when one of its entries is; a platform when a verdict's host
/// belongs to it; a tier or a phase when it decided a verdict.
#[derive(Clone, Debug, Default, Eq, PartialEq)]
#[non_exhaustive]
pub struct Coverage {
    /// Rules of the policy file no verdict names.
    pub rules: Vec<String>,
    /// Lists none of whose entries a verdict names.
    pub lists: Vec<String>,
    /// Platforms no verdict's host belongs to.
    pub platforms: Vec<String>,
    /// Tiers that decided no verdict.
    pub tiers: Vec<String>,
    /// Phases that decided no verdict.
    pub phases: Vec<String>,
}

impl Coverage {
    /// What `verdicts` of `policy` did not reach.
    pub fn of<'a>(policy: &Policy, verdicts: impl IntoIterator<Item = &'a Verdict>) -> Self {
        let mut rules: HashSet<&str> = HashSet::new();
        let mut platforms: HashSet<&str> = HashSet::new();
        let mut tiers: HashSet<&str> = HashSet::new();
        let mut phases: HashSet<&str> = HashSet::new();
        for v in verdicts {
            if let Some(p) = v.platform() {
                platforms.insert(p.as_str());
            }
            for r in v.reasons() {
                match r {
                    Reason::Rule { rule, .. } => {
                        rules.insert(rule.as_str());
                    }
                    Reason::Platform { platform, tier } => {
                        platforms.insert(platform.as_str());
                        tiers.insert(tier.as_str());
                    }
                    Reason::Phase { phase } => {
                        phases.insert(phase.as_str());
                    }
                    _ => {}
                }
            }
            for s in v.shadow() {
                rules.insert(s.rule.as_str());
            }
        }
        let inner = &policy.inner;
        let list_reached: HashSet<&str> = rules
            .iter()
            .filter_map(|id| id.rsplit_once(':').map(|(list, _)| list))
            .collect();
        Self {
            rules: policy
                .own_rule_ids()
                .filter(|id| !rules.contains(id))
                .map(str::to_owned)
                .collect(),
            lists: inner
                .lists
                .iter()
                .map(|l| l.id.as_str())
                .filter(|id| !list_reached.contains(id))
                .map(str::to_owned)
                .collect(),
            platforms: inner
                .platforms
                .iter()
                .map(|p| p.id.as_str())
                .filter(|id| !platforms.contains(id))
                .map(str::to_owned)
                .collect(),
            tiers: inner
                .tiers
                .iter()
                .map(|(t, _)| t.as_str())
                .filter(|id| !tiers.contains(id))
                .map(str::to_owned)
                .collect(),
            phases: inner
                .phases
                .iter()
                .map(|p| p.id.as_str())
                .filter(|id| !phases.contains(id))
                .map(str::to_owned)
                .collect(),
        }
    }

    /// Whether every rule, list, platform, tier and phase was reached.
    pub fn is_complete(&self) -> bool {
        self.rules.is_empty()
            && self.lists.is_empty()
            && self.platforms.is_empty()
            && self.tiers.is_empty()
            && self.phases.is_empty()
    }
}

impl Policy {
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
        TestReport::run(self, &self.inner.tests)
    }

    /// The ids of the policy file's own rules (not list entries), in order.
    pub(crate) fn own_rule_ids(&self) -> impl Iterator<Item = &str> {
        let inner = &self.inner;
        (0..inner.rules.len()).filter_map(move |i| match inner.rule(u32::try_from(i).ok()?) {
            Some(crate::engine::compiled::RuleRef::Own(_, id)) => Some(id),
            _ => None,
        })
    }
}
