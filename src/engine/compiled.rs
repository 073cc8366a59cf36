//! The compiled form of a policy: what building produces and what deciding,
//! unwrapping and snapshots read. Immutable once built; a [`Policy`] holds it
//! behind an `Arc`, with the complaint table beside it (replaced on its own).
//!
//! [`Policy`]: crate::Policy

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::context::{ChatKind, Context};
use crate::engine::lookalike::Lookalikes;
use crate::engine::rollout::Gate;
use crate::error::{Error, ErrorKind, Item, Warning};
use crate::link::domain::FastMap;
use crate::matching::matcher::Matchers;
use crate::psl::PublicSuffixList;
use crate::rules::{Action, Category, Defaults, Limits, Threshold, Tier};
use crate::unwrap::Unwrapper;
use crate::verdict::Id;

/// What deciding reads of a policy: its compiled form and its complaint table.
#[derive(Clone, Copy)]
pub(crate) struct Engine<'a> {
    pub(crate) inner: &'a Compiled,
    pub(crate) complaints: &'a ComplaintTable,
}

/// Everything a policy compiles to, except the complaint table (which can be
/// replaced on its own).
pub(crate) struct Compiled {
    pub(crate) defaults: ResolvedDefaults,
    pub(crate) limits: Limits,
    pub(crate) tiers: Vec<(Id, Tier)>,
    pub(crate) platforms: Vec<CompiledPlatform>,
    pub(crate) rules: Vec<CompiledRule>,
    /// The rules' ids, one after another: a rule keeps where its id lies here,
    /// rather than a string of its own (a million rules, a million allocations).
    pub(crate) rule_ids: String,
    pub(crate) lists: Vec<CompiledList>,
    pub(crate) list_rules: Vec<ListRule>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) matchers: Matchers,
    pub(crate) phases: Vec<CompiledPhase>,
    pub(crate) unwrapper: Unwrapper,
    pub(crate) lookalikes: Lookalikes,
    pub(crate) lookalike_action: Action,
    pub(crate) allow_trust: bool,
    pub(crate) psl: Arc<PublicSuffixList>,
    /// A content hash of the policy's model and list texts (see [`Policy::revision`](crate::Policy::revision)).
    pub(crate) revision: u64,
    /// What the policy was built from, for [`Policy::to_snapshot`](crate::Policy::to_snapshot).
    pub(crate) source: Arc<Source>,
    /// The policy's own test cases (contract section 9): never read by `classify`.
    pub(crate) tests: Vec<crate::operator::PolicyTest>,
}

/// The defaults with every key resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResolvedDefaults {
    pub(crate) one_to_one: Action,
    pub(crate) group: Action,
    pub(crate) app_link: Action,
    pub(crate) ip_host: Action,
}

impl ResolvedDefaults {
    pub(crate) const SAFE: ResolvedDefaults = ResolvedDefaults {
        one_to_one: Action::Warn,
        group: Action::Block,
        app_link: Action::Warn,
        ip_host: Action::Warn,
    };

    pub(crate) fn resolve(d: &Defaults) -> Self {
        let s = Self::SAFE;
        Self {
            one_to_one: d.one_to_one.unwrap_or(s.one_to_one),
            group: d.group.unwrap_or(s.group),
            app_link: d.app_link.unwrap_or(s.app_link),
            ip_host: d.ip_host.unwrap_or(s.ip_host),
        }
    }
}

#[derive(Debug)]
pub(crate) struct CompiledPlatform {
    pub(crate) id: Id,
    pub(crate) tier: Option<u32>,
}

/// The chats a rule applies to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope {
    /// Bit 0: one-to-one, bit 1: group, bit 2: `min_members` is set.
    pub(crate) chats: u8,
    /// The group size a rule needs, when bit 2 of `chats` says there is one
    /// (kept out of an `Option`, which would make every rule 8 bytes bigger).
    pub(crate) min_members: u32,
}

/// The bit of [`Scope::chats`] that says `min_members` is set.
const HAS_MIN_MEMBERS: u8 = 4;

impl Scope {
    fn fits(self, ctx: &Context) -> bool {
        if self.chats & chat_bit(ctx.chat()) == 0 {
            return false;
        }
        self.chats & HAS_MIN_MEMBERS == 0
            || (ctx.chat() == ChatKind::Group && ctx.members().unwrap_or(0) >= self.min_members)
    }
}

/// A rule of the policy file: 32 bytes, its id in [`Compiled::rule_ids`].
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) id_start: u32,
    pub(crate) id_len: u32,
    pub(crate) action: Action,
    pub(crate) category: Category,
    pub(crate) hard: bool,
    pub(crate) shadow: bool,
    pub(crate) priority: i32,
    pub(crate) scope: Scope,
    /// Boxed: most rules have none, and a rule stays small without it.
    pub(crate) gate: Option<Box<Gate>>,
}

/// The settings a list gives all its entries.
#[derive(Debug)]
pub(crate) struct CompiledList {
    pub(crate) id: Id,
    pub(crate) action: Action,
    pub(crate) category: Category,
    pub(crate) hard: bool,
    pub(crate) shadow: bool,
    pub(crate) priority: i32,
    pub(crate) scope: Scope,
}

/// One entry of a list: 12 bytes, its settings shared through its list.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListRule {
    pub(crate) list: u32,
    pub(crate) line: u32,
    pub(crate) exception: bool,
    pub(crate) important: bool,
}

/// A rule as the evaluator sees it, whether written in the policy or taken from
/// a list.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RuleRef<'a> {
    /// A rule of the policy, and its id.
    Own(&'a CompiledRule, &'a str),
    Listed(&'a CompiledList, ListRule),
}

/// `parts` one after the other in `buf`, when they fit.
fn concat_into<'b>(buf: &'b mut [u8], parts: &[&str]) -> Option<&'b str> {
    let mut len = 0;
    for p in parts {
        buf.get_mut(len..len + p.len())?
            .copy_from_slice(p.as_bytes());
        len += p.len();
    }
    std::str::from_utf8(buf.get(..len)?).ok()
}

impl RuleRef<'_> {
    pub(crate) fn action(self) -> Action {
        match self {
            Self::Own(r, _) => r.action,
            Self::Listed(_, e) if e.exception => Action::Allow,
            Self::Listed(l, _) => l.action,
        }
    }

    pub(crate) fn hard(self) -> bool {
        match self {
            Self::Own(r, _) => r.hard,
            Self::Listed(l, e) => l.hard || e.important,
        }
    }

    pub(crate) fn shadow(self) -> bool {
        match self {
            Self::Own(r, _) => r.shadow,
            Self::Listed(l, _) => l.shadow,
        }
    }

    pub(crate) fn priority(self) -> i32 {
        match self {
            Self::Own(r, _) => r.priority,
            Self::Listed(l, _) => l.priority,
        }
    }

    pub(crate) fn category(self) -> Category {
        match self {
            Self::Own(r, _) => r.category,
            Self::Listed(l, _) => l.category,
        }
    }

    /// The rule's id; for a list's entry, `list_id:line`, made when reported.
    pub(crate) fn id(self) -> Id {
        match self {
            Self::Own(_, id) => Id::new(id),
            Self::Listed(l, e) => {
                // `list:line`, composed on the stack when it fits (a list id is
                // short), then copied once into the id.
                let mut digits = [0; 10];
                let parts = [
                    l.id.as_str(),
                    ":",
                    crate::link::decimal(e.line, &mut digits),
                ];
                let mut buf = [0u8; 64];
                match concat_into(&mut buf, &parts) {
                    Some(id) => Id::new(id),
                    None => Id::new(&parts.concat()),
                }
            }
        }
    }

    /// Whether the rule applies in this context: chat kind, group size, rollout.
    pub(crate) fn applies(self, ctx: &Context) -> bool {
        match self {
            Self::Own(r, _) => r.scope.fits(ctx) && r.gate.as_ref().is_none_or(|g| g.passes(ctx)),
            Self::Listed(l, _) => l.scope.fits(ctx),
        }
    }
}

impl Compiled {
    /// The rule a matcher's index names: the policy's rules first, then the
    /// lists' entries.
    pub(crate) fn rule(&self, index: u32) -> Option<RuleRef<'_>> {
        let i = index as usize;
        match self.rules.get(i) {
            Some(r) => {
                let start = r.id_start as usize;
                let id = self.rule_ids.get(start..start + r.id_len as usize)?;
                Some(RuleRef::Own(r, id))
            }
            None => {
                let e = match self.list_rules.get(i - self.rules.len()) {
                    Some(e) => *e,
                    None => self.table_rule(index)?,
                };
                Some(RuleRef::Listed(self.lists.get(e.list as usize)?, e))
            }
        }
    }
}

impl Compiled {
    /// A list entry read from a snapshot's list table. Out of line: most
    /// links match no list entry.
    #[inline(never)]
    fn table_rule(&self, index: u32) -> Option<ListRule> {
        let e = self.matchers.table.as_ref()?.entry(index)?;
        Some(ListRule {
            list: e.list,
            line: e.line,
            exception: e.exception,
            important: e.important,
        })
    }

    /// The number of rules, list entries included.
    pub(crate) fn rule_count(&self) -> usize {
        self.rules.len()
            + self.list_rules.len()
            + self.matchers.table.as_ref().map_or(0, |t| t.len())
    }
}

/// Checks a rule's or list's `chats` and `min_members`.
pub(crate) fn compile_scope(
    chats: Option<&[ChatKind]>,
    min_members: Option<u32>,
    item: impl Fn() -> Item,
    errors: &mut Vec<Error>,
) -> Scope {
    let chats = match chats {
        None => 0b11,
        Some([]) => {
            errors.push(
                Error::new(
                    ErrorKind::InvalidValue,
                    "an empty list: the rule would never apply",
                )
                .with_item(item())
                .with_field("chats"),
            );
            0
        }
        Some(list) => list.iter().fold(0, |acc, k| acc | chat_bit(*k)),
    };
    match min_members {
        Some(min) => Scope {
            chats: chats | HAS_MIN_MEMBERS,
            min_members: min,
        },
        None => Scope {
            chats,
            min_members: 0,
        },
    }
}

fn chat_bit(kind: ChatKind) -> u8 {
    match kind {
        ChatKind::OneToOne => 1,
        ChatKind::Group => 2,
    }
}

#[derive(Debug)]
pub(crate) struct CompiledPhase {
    pub(crate) id: Id,
    pub(crate) gate: Option<Gate>,
    pub(crate) defaults: Defaults,
}

/// Complaint counts and the thresholds they are read against.
#[derive(Debug, Default)]
pub(crate) struct ComplaintTable {
    pub(crate) thresholds: BTreeMap<Category, Threshold>,
    pub(crate) counts: FastMap<Box<str>, Vec<(Category, u64)>>,
}

impl ComplaintTable {
    /// The floors the complaints about a registrable domain set: each category
    /// at or above a threshold, with its action.
    pub(crate) fn floors<'a>(
        &'a self,
        registrable: &str,
    ) -> impl Iterator<Item = (Category, u64, Action)> + 'a {
        self.counts
            .get(registrable)
            .map(|v| v.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&(category, count)| {
                let t = self.thresholds.get(&category)?;
                if t.block.is_some_and(|b| count >= b) {
                    Some((category, count, Action::Block))
                } else if t.warn.is_some_and(|w| count >= w) {
                    Some((category, count, Action::Warn))
                } else {
                    None
                }
            })
    }
}

/// What a policy was built from, kept to write its snapshot.
#[derive(Debug)]
pub(crate) enum Source {
    /// Built from its model and list texts.
    Built {
        /// The encoded model.
        model: Box<[u8]>,
        /// Each list's id, format and text, in declaration order.
        lists: Vec<(String, crate::lists::ListFormat, String)>,
        /// A custom Public Suffix List, as `.dat` text.
        custom_psl: Option<String>,
    },
    /// Loaded from a snapshot: its bytes, which the list table reads in place
    /// and which are the snapshot the policy writes.
    Snapshot(Arc<[u8]>),
}
