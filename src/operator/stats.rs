//! Counts over many verdicts: what an operator needs to size a phase.

use std::collections::BTreeMap;

use crate::rules::Action;
use crate::verdict::{Reason, Verdict};

/// Counts over verdicts: per action, per deciding reason kind, per deciding rule
/// and list, and the actions shadow rules would have taken.
///
/// Feed it verdicts with [`Stats::add`]; merge counts made on other threads with
/// [`Stats::merge`].
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, Stats, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let mut stats = Stats::new();
/// for link in ["https://item.jd.com/1.html", "javascript:alert(1)", "https://example.org/"] {
///     stats.add(&policy.classify(link, &Context::one_to_one()));
/// }
/// assert_eq!(stats.total(), 3);
/// assert_eq!(stats.action(Action::Allow), 1);
/// assert_eq!(stats.reason_kinds().get("unsafe_scheme"), Some(&1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, Eq, PartialEq)]
#[non_exhaustive]
pub struct Stats {
    total: u64,
    hard: u64,
    actions: [u64; 3],
    reason_kinds: BTreeMap<&'static str, u64>,
    rules: BTreeMap<String, u64>,
    lists: BTreeMap<String, u64>,
    shadow: BTreeMap<(String, Action), u64>,
}

impl Stats {
    /// No counts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one verdict: its action, its deciding reason's kind, the rules
    /// that decided it (a list entry `list:line` also counts for its list) and
    /// each shadow match.
    pub fn add(&mut self, verdict: &Verdict) {
        self.total += 1;
        self.hard += u64::from(verdict.is_hard());
        if let Some(n) = self.actions.get_mut(action_index(verdict.action())) {
            *n += 1;
        }
        if let Some(r) = verdict.reason() {
            *self.reason_kinds.entry(r.kind()).or_default() += 1;
        }
        for r in verdict.reasons() {
            if let Reason::Rule { rule, .. } = r {
                *self.rules.entry(rule.as_str().to_owned()).or_default() += 1;
                if let Some((list, line)) = rule.as_str().rsplit_once(':') {
                    if line.bytes().all(|b| b.is_ascii_digit()) {
                        *self.lists.entry(list.to_owned()).or_default() += 1;
                    }
                }
            }
        }
        for s in verdict.shadow() {
            *self
                .shadow
                .entry((s.rule.as_str().to_owned(), s.action))
                .or_default() += 1;
        }
    }

    /// Adds counts made elsewhere (another thread's) to these.
    pub fn merge(&mut self, other: Stats) {
        self.total += other.total;
        self.hard += other.hard;
        for (a, b) in self.actions.iter_mut().zip(other.actions) {
            *a += b;
        }
        for (k, n) in other.reason_kinds {
            *self.reason_kinds.entry(k).or_default() += n;
        }
        for (k, n) in other.rules {
            *self.rules.entry(k).or_default() += n;
        }
        for (k, n) in other.lists {
            *self.lists.entry(k).or_default() += n;
        }
        for (k, n) in other.shadow {
            *self.shadow.entry(k).or_default() += n;
        }
    }

    /// The number of verdicts counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// How many were hard.
    pub fn hard(&self) -> u64 {
        self.hard
    }

    /// How many had this action.
    pub fn action(&self, action: Action) -> u64 {
        self.actions.get(action_index(action)).copied().unwrap_or(0)
    }

    /// Verdicts per kind of their deciding (first) reason.
    pub fn reason_kinds(&self) -> &BTreeMap<&'static str, u64> {
        &self.reason_kinds
    }

    /// Verdicts per rule among their reasons (list entries by `list:line`).
    pub fn rules(&self) -> &BTreeMap<String, u64> {
        &self.rules
    }

    /// Verdicts per list one of whose entries is among their reasons.
    pub fn lists(&self) -> &BTreeMap<String, u64> {
        &self.lists
    }

    /// Shadow matches per rule and the action it would have taken.
    pub fn shadow(&self) -> &BTreeMap<(String, Action), u64> {
        &self.shadow
    }
}

fn action_index(a: Action) -> usize {
    match a {
        Action::Allow => 0,
        Action::Warn => 1,
        Action::Block => 2,
    }
}
