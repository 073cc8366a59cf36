//! The runner of a policy's own test cases (contract section 9; the cases are
//! `case.rs`), with coverage: the rules, lists, platforms, tiers and phases no
//! test reached.

use std::collections::HashSet;

use super::case::PolicyTest;
use crate::engine::compiled::{Compiled, Engine, RuleRef};
use crate::engine::decide;
use crate::verdict::{Reason, Verdict};

impl PolicyTest {
    /// [`PolicyTest::run`] on the compiled policy.
    pub(crate) fn run_on(&self, engine: Engine<'_>) -> TestOutcome {
        let verdict = decide::classify(engine, &self.link, &self.context);
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
    /// [`TestReport::run`] on the compiled policy.
    pub(crate) fn run_on(engine: Engine<'_>, tests: &[PolicyTest]) -> Self {
        let outcomes: Vec<(PolicyTest, TestOutcome)> = tests
            .iter()
            .map(|t| (t.clone(), t.run_on(engine)))
            .collect();
        let coverage =
            Coverage::of_compiled(engine.inner, outcomes.iter().map(|(_, o)| &o.verdict));
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
    /// [`Coverage::of`] the compiled policy.
    pub(crate) fn of_compiled<'a>(
        inner: &Compiled,
        verdicts: impl IntoIterator<Item = &'a Verdict>,
    ) -> Self {
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
        let list_reached: HashSet<&str> = rules
            .iter()
            .filter_map(|id| id.rsplit_once(':').map(|(list, _)| list))
            .collect();
        Self {
            rules: own_rule_ids(inner)
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

/// The ids of the policy file's own rules (not list entries), in order.
fn own_rule_ids(inner: &Compiled) -> impl Iterator<Item = &str> {
    (0..inner.rules.len()).filter_map(move |i| match inner.rule(u32::try_from(i).ok()?) {
        Some(RuleRef::Own(_, id)) => Some(id),
        _ => None,
    })
}
