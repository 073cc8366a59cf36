//! Lints of a policy: findings that are provably right, each with the item it
//! is about and why.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::context::ChatKind;
use crate::link::domain::{NormalHost, normalize_domain, normalize_host};
use crate::lists::{ListPattern, parse_list};
use crate::model::Model;
use crate::psl::PublicSuffixList;
use crate::rules::{Action, Matcher};

/// What a [`Lint`] finds.
#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
#[non_exhaustive]
pub enum LintKind {
    /// A rule or list entry that can never decide: every link it matches is
    /// under a domain that a hard block rule, applying in every context,
    /// matches too — and a hard block decides first.
    ShadowedByHardBlock,
    /// A rule or list entry with the same matcher as an earlier one of another
    /// rule or list.
    Duplicate,
    /// A rule or list whose `chats` and `min_members` exclude every context:
    /// `min_members` without `group` among its chats.
    NoContext,
    /// A tier no platform names.
    UnusedTier,
    /// A protected domain (a platform's or a `[lookalike] protect` entry) that
    /// is a public suffix, such as `gov.cn`: lookalikes are judged against a
    /// whole suffix of unrelated sites.
    ProtectedPublicSuffix,
    /// A list entry that is a public suffix (`com.cn`): it covers every site
    /// under it.
    ListPublicSuffix,
}

impl LintKind {
    /// The lint's name, in snake_case (`shadowed_by_hard_block`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShadowedByHardBlock => "shadowed_by_hard_block",
            Self::Duplicate => "duplicate",
            Self::NoContext => "no_context",
            Self::UnusedTier => "unused_tier",
            Self::ProtectedPublicSuffix => "protected_public_suffix",
            Self::ListPublicSuffix => "list_public_suffix",
        }
    }
}

impl fmt::Display for LintKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding of [`PolicyBuilder::lints`](crate::PolicyBuilder::lints): its kind, the item it is about (a
/// rule or list entry id, a tier, a domain) and a message saying why.
#[derive(Clone, Debug, Eq, PartialEq)]
#[non_exhaustive]
pub struct Lint {
    /// What it finds.
    pub kind: LintKind,
    /// The item: `rule `id``, `list entry `list:line``, `tier `B``, …
    pub item: String,
    /// Why, lowercase, names in backticks.
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.item, self.message, self.kind)
    }
}

/// A matcher reduced to what lints compare: its kind and normalized text.
#[derive(Clone, Debug, Eq, Hash, PartialEq)]
enum Key {
    Domain(String),
    Host(String),
    UrlPrefix(String),
    Regex(String),
    Scheme(String),
}

impl Key {
    fn describe(&self) -> String {
        match self {
            Key::Domain(d) => format!("domain = `{d}`"),
            Key::Host(h) => format!("host = `{h}`"),
            Key::UrlPrefix(p) => format!("url_prefix = `{p}`"),
            Key::Regex(r) => format!("regex = `{r}`"),
            Key::Scheme(s) => format!("scheme = `{s}`"),
        }
    }

    /// The domain every link it matches has as host or parent, when there is one.
    fn host_under(&self) -> Option<&str> {
        match self {
            Key::Domain(d) | Key::Host(d) => Some(d),
            Key::UrlPrefix(p) => {
                let rest = p
                    .strip_prefix("https://")
                    .or_else(|| p.strip_prefix("http://"))?;
                // Normalized prefixes have a path: the host ends at `/` or `:`.
                let end = rest.find(['/', ':', '?', '#'])?;
                rest.get(..end)
            }
            Key::Regex(_) | Key::Scheme(_) => None,
        }
    }
}

/// One rule or list entry, as the lints see it.
struct Entry {
    item: String,
    source: usize,
    key: Key,
    action: Action,
    hard: bool,
    shadow: bool,
    everywhere: bool,
}

/// Lints a policy's model (see `PolicyBuilder::lints`).
pub(crate) fn lints(model: &Model) -> Vec<Lint> {
    let psl = model.psl.clone().unwrap_or_else(PublicSuffixList::builtin);
    let mut out = Vec::new();
    let entries = lint_entries(model);

    shadowed_by_hard_blocks(&entries, &mut out);
    duplicates(&entries, &mut out);

    // Rules and lists for no context.
    let scopes = model
        .rules
        .iter()
        .map(|r| (format!("rule `{}`", r.id), &r.chats, r.min_members))
        .chain(
            model
                .lists
                .iter()
                .map(|l| (format!("list `{}`", l.id), &l.chats, l.min_members)),
        );
    for (item, chats, min) in scopes {
        // (An empty `chats` does not build: it is an error, not a lint.)
        let message = match (chats, min) {
            (Some(c), Some(m)) if !c.contains(&ChatKind::Group) => Some(format!(
                "applies in no context: `min_members = {m}` needs a group, and `chats` has none"
            )),
            _ => None,
        };
        if let Some(message) = message {
            out.push(Lint {
                kind: LintKind::NoContext,
                item,
                message,
            });
        }
    }

    // Tiers no platform names.
    let used: HashSet<&str> = model
        .platforms
        .iter()
        .filter_map(|p| p.tier.as_deref())
        .collect();
    for (name, _) in &model.tiers {
        if !used.contains(name.as_str()) {
            out.push(Lint {
                kind: LintKind::UnusedTier,
                item: format!("tier `{name}`"),
                message: "no platform has this tier".to_owned(),
            });
        }
    }

    // Protected domains that are public suffixes.
    let protected = model
        .platforms
        .iter()
        .flat_map(|p| {
            p.domains
                .iter()
                .map(move |d| (format!("platform `{}`", p.id), d))
        })
        .chain(
            model
                .protect
                .iter()
                .map(|d| ("`[lookalike] protect`".to_owned(), d)),
        );
    for (item, d) in protected {
        let Ok(d) = normalize_domain(d) else { continue };
        if psl.registrable_domain(&d).is_none() {
            out.push(Lint {
                kind: LintKind::ProtectedPublicSuffix,
                item,
                message: format!(
                    "protects `{d}`, a public suffix: every site under it is a different owner's"
                ),
            });
        }
    }

    // List entries that are public suffixes.
    for e in &entries {
        if e.source < model.rules.len() {
            continue;
        }
        if let Key::Domain(d) = &e.key {
            if psl.registrable_domain(d).is_none() {
                out.push(Lint {
                    kind: LintKind::ListPublicSuffix,
                    item: e.item.clone(),
                    message: format!(
                        "`{d}` is a public suffix: the entry covers every site under it"
                    ),
                });
            }
        }
    }
    out.sort_by_key(|l| l.kind);
    out
}

/// The rules (each its own source) and list entries (a source per list),
/// with matchers normalized; what does not normalize is left out.
fn lint_entries(model: &Model) -> Vec<Entry> {
    let everywhere = |chats: &Option<Vec<ChatKind>>, min: Option<u32>| {
        min.is_none()
            && chats
                .as_ref()
                .is_none_or(|c| c.contains(&ChatKind::OneToOne) && c.contains(&ChatKind::Group))
    };
    let mut entries = Vec::new();
    for (i, r) in model.rules.iter().enumerate() {
        let Some(key) = rule_key(&r.matcher) else {
            continue;
        };
        entries.push(Entry {
            item: format!("rule `{}`", r.id),
            source: i,
            key,
            action: r.action,
            hard: r.hard,
            shadow: r.shadow,
            everywhere: everywhere(&r.chats, r.min_members) && r.rollout.is_none(),
        });
    }
    for (j, l) in model.lists.iter().enumerate() {
        let Some(text) = model.list_texts.get(&l.id) else {
            continue;
        };
        let parsed = parse_list(l.format, text);
        for e in parsed.entries {
            let key = match e.pattern {
                ListPattern::Domain(d) => Key::Domain(d),
                ListPattern::Host(h) => Key::Host(h),
                ListPattern::UrlPrefix(p) => match normalize_prefix(&p) {
                    Some(p) => Key::UrlPrefix(p),
                    None => continue,
                },
                ListPattern::Regex(r) => Key::Regex(r),
            };
            entries.push(Entry {
                item: format!("list entry `{}:{}`", l.id, e.line),
                source: model.rules.len() + j,
                key,
                action: if e.exception { Action::Allow } else { l.action },
                hard: l.hard || e.important,
                shadow: l.shadow,
                everywhere: everywhere(&l.chats, l.min_members),
            });
        }
    }
    entries
}

fn rule_key(m: &Matcher) -> Option<Key> {
    Some(match m {
        Matcher::Domain(d) => Key::Domain(normalize_domain(d).ok()?),
        Matcher::Host(h) => match normalize_host(h).ok()? {
            NormalHost::Domain(d) | NormalHost::Ip(d) => Key::Host(d),
        },
        Matcher::UrlPrefix(p) => Key::UrlPrefix(normalize_prefix(p)?),
        Matcher::Regex(r) => Key::Regex(r.clone()),
        Matcher::Scheme(s) => Key::Scheme(s.to_ascii_lowercase()),
    })
}

/// A URL prefix as the policy matches it: normalized like a link.
fn normalize_prefix(p: &str) -> Option<String> {
    crate::link::normalize(p, usize::MAX)
        .ok()
        .map(|l| l.as_str().to_owned())
}

/// Rules that a hard block of a parent domain always beats.
fn shadowed_by_hard_blocks(entries: &[Entry], out: &mut Vec<Lint>) {
    let hard: HashMap<&str, &Entry> = entries
        .iter()
        .filter(|e| e.hard && e.action == Action::Block && e.everywhere && !e.shadow)
        .filter_map(|e| match &e.key {
            Key::Domain(d) => Some((d.as_str(), e)),
            _ => None,
        })
        .collect();
    for e in entries {
        if e.shadow || (e.hard && e.action == Action::Block) {
            continue;
        }
        let Some(host) = e.key.host_under() else {
            continue;
        };
        let mut suffix = host;
        loop {
            if let Some(h) = hard.get(suffix) {
                out.push(Lint {
                    kind: LintKind::ShadowedByHardBlock,
                    item: e.item.clone(),
                    message: format!(
                        "can never decide: every link it matches ({}) is under `{suffix}`, which the hard block {} matches in every context",
                        e.key.describe(),
                        h.item
                    ),
                });
                break;
            }
            match suffix.split_once('.') {
                Some((_, rest)) => suffix = rest,
                None => break,
            }
        }
    }
}

/// The same matcher in two places.
fn duplicates(entries: &[Entry], out: &mut Vec<Lint>) {
    let mut seen: HashMap<&Key, &Entry> = HashMap::new();
    for e in entries {
        match seen.get(&e.key) {
            Some(first) if first.source != e.source => out.push(Lint {
                kind: LintKind::Duplicate,
                item: e.item.clone(),
                message: format!(
                    "has the same matcher ({}) as {}",
                    e.key.describe(),
                    first.item
                ),
            }),
            Some(_) => {}
            None => {
                seen.insert(&e.key, e);
            }
        }
    }
}
