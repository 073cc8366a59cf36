//! The verdict-change matrix of two policies over the same links.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::context::ChatKind;
use crate::context::Context;
use crate::policy::Policy;
use crate::rules::Action;
use crate::verdict::Verdict;

/// A chat a diff classifies every link in: `one_to_one`, or `group:N` (a group
/// of N members), the command-line tool's `--context` values.
///
/// # Example
///
/// ```
/// use linkpolicy::DiffContext;
///
/// let c: DiffContext = "group:250".parse()?;
/// assert_eq!(c, DiffContext::Group(250));
/// assert_eq!(c.to_string(), "group:250");
/// assert!("group".parse::<DiffContext>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
#[non_exhaustive]
pub enum DiffContext {
    /// A one-to-one chat.
    OneToOne,
    /// A group chat of this many members.
    Group(u32),
}

impl DiffContext {
    /// The chat of `ctx`.
    pub fn of(ctx: &Context) -> Self {
        match (ctx.chat(), ctx.members()) {
            (ChatKind::Group, Some(n)) => Self::Group(n),
            _ => Self::OneToOne,
        }
    }

    /// `ctx` moved into this chat: its user, client version, time, preferences
    /// and display text stay.
    pub fn apply(self, ctx: &Context) -> Context {
        match self {
            Self::OneToOne => ctx.in_chat(ChatKind::OneToOne, None),
            Self::Group(n) => ctx.in_chat(ChatKind::Group, Some(n)),
        }
    }
}

impl fmt::Display for DiffContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OneToOne => f.write_str("one_to_one"),
            Self::Group(n) => write!(f, "group:{n}"),
        }
    }
}

/// A `--context` value that is neither `one_to_one` nor `group:N`.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct DiffContextError(String);

impl fmt::Display for DiffContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a context: expected `one_to_one` or `group:N` (N members)",
            self.0
        )
    }
}

impl std::error::Error for DiffContextError {}

impl FromStr for DiffContext {
    type Err = DiffContextError;

    fn from_str(s: &str) -> Result<Self, DiffContextError> {
        let err = || DiffContextError(s.to_owned());
        match s {
            "one_to_one" => Ok(Self::OneToOne),
            _ => {
                let n = s.strip_prefix("group:").ok_or_else(err)?;
                n.parse().map(Self::Group).map_err(|_| err())
            }
        }
    }
}

/// One cell of the change matrix: the links whose action went from `from` to
/// `to` in `context`, with the kinds of the reasons that decided before and
/// after.
#[derive(Clone, Debug, Eq, PartialEq)]
#[non_exhaustive]
pub struct Change {
    /// The chat the links were classified in.
    pub context: DiffContext,
    /// The action under the old policy.
    pub from: Action,
    /// The action under the new policy.
    pub to: Action,
    /// The kind of the deciding reason under the old policy.
    pub from_reason: &'static str,
    /// The kind of the deciding reason under the new policy.
    pub to_reason: &'static str,
    /// How many links.
    pub count: u64,
    /// The first of them in input order.
    pub example: String,
}

type Key = (DiffContext, Action, Action, &'static str, &'static str);

/// The verdict-change matrix of two policies over the same links: per chat,
/// how many links went from each action to each other, with the deciding
/// reason kinds, a count and an example link per cell.
///
/// [`Diff::run`] classifies links under both policies on every core; [`Diff::add`]
/// and [`Diff::merge`] build one by hand.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Diff, DiffContext, Policy};
///
/// let old = Policy::from_toml_str("version = 1\n[defaults]\ngroup = \"block\"")?;
/// let new = Policy::from_toml_str("version = 1\n[defaults]\ngroup = \"warn\"")?;
/// let links = vec![
///     ("https://example.org/".to_owned(), Context::one_to_one()),
///     ("https://example.com/".to_owned(), Context::one_to_one()),
/// ];
/// let diff = Diff::run(&old, &new, &links, &[DiffContext::OneToOne, DiffContext::Group(50)], 0);
/// assert_eq!((diff.links(), diff.compared(), diff.changed()), (2, 4, 2));
/// let c = diff.changes().next().unwrap();
/// assert_eq!((c.context, c.from, c.to, c.count), (DiffContext::Group(50), Action::Block, Action::Warn, 2));
/// assert_eq!(c.example, "https://example.org/");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, Eq, PartialEq)]
#[non_exhaustive]
pub struct Diff {
    links: u64,
    compared: u64,
    changed: u64,
    /// Per cell: the count, and the example with its input position.
    cells: BTreeMap<Key, (u64, u64, String)>,
    /// Per chat and (from, to): every comparison, changed or not.
    matrix: BTreeMap<DiffContext, [[u64; 3]; 3]>,
}

impl Diff {
    /// An empty diff.
    pub fn new() -> Self {
        Self::default()
    }

    /// Classifies every link under both policies, in each of `contexts` (with
    /// none, in its own context), and returns the matrix. `threads` is the
    /// number of threads to use; 0 means every core. The work is the two
    /// classifications per link and chat and a map update per changed one.
    pub fn run(
        old: &Policy,
        new: &Policy,
        links: &[(String, Context)],
        contexts: &[DiffContext],
        threads: usize,
    ) -> Diff {
        Self::parallel(links, threads, |d, pos, (link, ctx)| {
            if contexts.is_empty() {
                d.compare(old, new, link, ctx, DiffContext::of(ctx), pos);
            } else {
                for &dc in contexts {
                    d.compare(old, new, link, &dc.apply(ctx), dc, pos);
                }
            }
        })
    }

    /// As [`Diff::run`] for chat messages: each message is scanned for links
    /// under both policies ([`Policy::scan`]), and the verdicts of the links
    /// both find at the same place are compared. [`Diff::links`] counts the
    /// messages.
    pub fn run_messages(
        old: &Policy,
        new: &Policy,
        messages: &[(String, Context)],
        contexts: &[DiffContext],
        threads: usize,
    ) -> Diff {
        Self::parallel(messages, threads, |d, pos, (text, ctx)| {
            let mut one = |ctx: &Context, dc: DiffContext| {
                let a = old.scan(text, ctx);
                let b = new.scan(text, ctx);
                for la in &a {
                    if let Some(lb) = b.iter().find(|lb| (lb.start, lb.end) == (la.start, la.end)) {
                        d.add(dc, &la.text, pos, &la.verdict, &lb.verdict);
                    }
                }
            };
            if contexts.is_empty() {
                one(ctx, DiffContext::of(ctx));
            } else {
                for &dc in contexts {
                    one(&dc.apply(ctx), dc);
                }
            }
        })
    }

    /// Runs `f` over `items` on `threads` threads (0: every core), each into a
    /// diff of its own, and merges them.
    fn parallel<F>(items: &[(String, Context)], threads: usize, f: F) -> Diff
    where
        F: Fn(&mut Diff, u64, &(String, Context)) + Sync,
    {
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        let chunk = items.len().div_ceil(threads.max(1)).max(1);
        let f = &f;
        let mut diff = Diff::new();
        std::thread::scope(|s| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .enumerate()
                .map(|(c, part)| {
                    s.spawn(move || {
                        let mut d = Diff::new();
                        let base = (c * chunk) as u64;
                        for (i, item) in part.iter().enumerate() {
                            d.links += 1;
                            f(&mut d, base + i as u64, item);
                        }
                        d
                    })
                })
                .collect();
            for h in handles {
                // A thread that panicked has no counts; classify never panics.
                if let Ok(d) = h.join() {
                    diff.merge(d);
                }
            }
        });
        diff
    }

    /// Counts one link: its verdicts under the old and the new policy in
    /// `context`. `position` orders examples (the smallest is kept).
    pub fn add(
        &mut self,
        context: DiffContext,
        link: &str,
        position: u64,
        old: &Verdict,
        new: &Verdict,
    ) {
        self.compared += 1;
        let m = self.matrix.entry(context).or_default();
        if let Some(n) = m
            .get_mut(index(old.action()))
            .and_then(|row| row.get_mut(index(new.action())))
        {
            *n += 1;
        }
        if old.action() == new.action() {
            return;
        }
        self.changed += 1;
        let kind = |v: &Verdict| v.reason().map_or("none", crate::verdict::Reason::kind);
        let key = (context, old.action(), new.action(), kind(old), kind(new));
        let cell = self
            .cells
            .entry(key)
            .or_insert_with(|| (0, position, link.to_owned()));
        cell.0 += 1;
        if position < cell.1 {
            cell.1 = position;
            link.clone_into(&mut cell.2);
        }
    }

    /// Counts a link read from the input (without comparing it), as
    /// [`Diff::run`] does once per input line.
    pub fn count_link(&mut self) {
        self.links += 1;
    }

    /// Adds another diff's counts (made on another thread) to these.
    pub fn merge(&mut self, other: Diff) {
        self.links += other.links;
        self.compared += other.compared;
        self.changed += other.changed;
        for (k, (n, pos, ex)) in other.cells {
            let cell = self.cells.entry(k).or_insert((0, pos, ex.clone()));
            if pos < cell.1 {
                cell.1 = pos;
                cell.2 = ex;
            }
            cell.0 += n;
        }
        for (c, m) in other.matrix {
            let mine = self.matrix.entry(c).or_default();
            for (a, b) in mine.iter_mut().flatten().zip(m.iter().flatten()) {
                *a += b;
            }
        }
    }

    /// The number of input links.
    pub fn links(&self) -> u64 {
        self.links
    }

    /// The number of comparisons: links × chats.
    pub fn compared(&self) -> u64 {
        self.compared
    }

    /// The number of comparisons whose action changed.
    pub fn changed(&self) -> u64 {
        self.changed
    }

    /// The changed cells, by chat, from, to and reason kinds.
    pub fn changes(&self) -> impl Iterator<Item = Change> + '_ {
        self.cells
            .iter()
            .map(|(&(context, from, to, fr, tr), (count, _, ex))| Change {
                context,
                from,
                to,
                from_reason: fr,
                to_reason: tr,
                count: *count,
                example: ex.clone(),
            })
    }

    /// The chats compared, each with its full matrix: `[from][to]` counts,
    /// changed or not, actions in the order allow, warn, block.
    pub fn matrix(&self) -> impl Iterator<Item = (DiffContext, [[u64; 3]; 3])> + '_ {
        self.matrix.iter().map(|(c, m)| (*c, *m))
    }

    /// The diff as one JSON object: `{"links": N, "compared": C, "changed": K,
    /// "changes": [{"context", "from", "to", "from_reason", "to_reason",
    /// "count", "example"}]}`.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        let changes: Vec<serde_json::Value> = self
            .changes()
            .map(|c| {
                serde_json::json!({
                    "context": c.context.to_string(),
                    "from": c.from.as_str(),
                    "to": c.to.as_str(),
                    "from_reason": c.from_reason,
                    "to_reason": c.to_reason,
                    "count": c.count,
                    "example": c.example,
                })
            })
            .collect();
        serde_json::json!({
            "links": self.links,
            "compared": self.compared,
            "changed": self.changed,
            "changes": changes,
        })
        .to_string()
    }

    fn compare(
        &mut self,
        old: &Policy,
        new: &Policy,
        link: &str,
        ctx: &Context,
        dc: DiffContext,
        pos: u64,
    ) {
        let a = old.classify(link, ctx);
        let b = new.classify(link, ctx);
        self.add(dc, link, pos, &a, &b);
    }
}

fn index(a: Action) -> usize {
    match a {
        Action::Allow => 0,
        Action::Warn => 1,
        Action::Block => 2,
    }
}
