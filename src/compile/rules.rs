//! Rules and lists: everything that adds a matcher. A list's every usable line
//! is a rule, with its list's settings.

use std::collections::HashMap;

use super::{Key, check_id, compile_gate, index_u32};
use crate::engine::compiled::{CompiledList, CompiledRule, ListRule, compile_scope};
use crate::error::{Error, ErrorKind, Item, Warning};
use crate::limits::SizeLimits;
use crate::link;
use crate::link::domain::{FastMap, NormalHost, normalize_domain, normalize_host};
use crate::lists::{ListEntry, ListFormat, ListPattern};
use crate::matching::list_table::ListTable;
use crate::matching::matcher::Matchers;
use crate::model::Model;
use crate::rules::{Action, List, Matcher};
use crate::verdict::Id;

/// The rules, and the text of their ids one after the other (each rule names
/// its id's place in it).
pub(super) fn rules(
    m: &Model,
    matchers: &mut Matchers,
    errors: &mut Vec<Error>,
) -> (Vec<CompiledRule>, String) {
    let lim = &m.size_limits;
    let mut rules = Vec::with_capacity(m.rules.len());
    let mut rule_id_text = String::with_capacity(m.rules.iter().map(|r| r.id.len()).sum());
    let mut rule_ids: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(m.rules.len(), Default::default());
    matchers.reserve(m.rules.len());
    for (i, r) in m.rules.iter().enumerate() {
        let item = || Item::new("rule", Some(i), Some(&r.id));
        check_id(&mut rule_ids, &r.id, i, Key::Id("rule"), item, errors);
        if is_list_entry_id(&r.id) {
            errors.push(
                Error::new(
                    ErrorKind::InvalidValue,
                    format!(
                        "`{}` has the shape of a list entry's id (`list:line`), which is reserved for them",
                        r.id
                    ),
                )
                .with_item(item())
                .with_field("id"),
            );
        }
        if r.hard && r.action == Action::Allow {
            errors.push(hard_allow_error().with_item(item()).with_field("hard"));
        }
        let idx = index_u32(i);
        if let Err(e) = add_matcher(matchers, &r.matcher, idx, lim) {
            errors.push(e.with_item(item()).with_field(r.matcher.field()));
        }
        let scope = compile_scope(r.chats.as_deref(), r.min_members, item, errors);
        let gate = compile_gate(r.rollout.as_ref(), &r.id, item, errors);
        rules.push(CompiledRule {
            id_start: index_u32(rule_id_text.len()),
            id_len: index_u32(r.id.len()),
            action: r.action,
            category: r.category,
            hard: r.hard,
            shadow: r.shadow,
            priority: r.priority,
            scope,
            gate: gate.map(Box::new),
        });
        rule_id_text.push_str(&r.id);
    }
    (rules, rule_id_text)
}

/// The compiled lists.
pub(super) struct Lists {
    /// Each list's settings.
    pub(super) lists: Vec<CompiledList>,
    /// Every list's usable entries, each a rule numbered after the policy's.
    pub(super) list_rules: Vec<ListRule>,
    /// The lines that could not be used (errors instead, with `strict_lists`).
    pub(super) warnings: Vec<Warning>,
    /// How many rules the policy has, numbered before the entries.
    rules: usize,
    /// How many entries a snapshot's table has, numbered after all the others.
    in_table: usize,
}

/// The lists, after the policy's `rules` rules: every usable line a rule, with
/// its list's settings. A snapshot's table entries come after all the others.
pub(super) fn lists(
    m: &Model,
    rules: usize,
    matchers: &mut Matchers,
    errors: &mut Vec<Error>,
) -> Lists {
    let lim = &m.size_limits;
    let table = m.loaded.as_ref().and_then(|l| l.table.clone());
    let mut out = Lists {
        lists: Vec::with_capacity(m.lists.len()),
        list_rules: Vec::new(),
        warnings: Vec::new(),
        rules,
        in_table: table.as_ref().map_or(0, |t| t.len()),
    };
    let mut list_ids: HashMap<&str, usize> = HashMap::new();
    for (li, l) in m.lists.iter().enumerate() {
        let item = || Item::new("list", Some(li), Some(&l.id));
        if l.hard && l.action == Action::Allow {
            errors.push(hard_allow_error().with_item(item()).with_field("hard"));
        }
        check_id(&mut list_ids, &l.id, li, Key::Id("list"), item, errors);
        let scope = compile_scope(l.chats.as_deref(), l.min_members, item, errors);
        let loaded = m.loaded.as_ref().and_then(|p| p.lists.get(li));
        let parsed = match (loaded, m.list_texts.get(&l.id)) {
            (Some(parsed), _) => parsed.clone(),
            (None, Some(text)) => crate::lists::parse_list(l.format, text),
            (None, None) => {
                let hint = match &l.path {
                    Some(p) => format!(
                        " (the policy names the file `{p}`: the host app reads it and hands its text over)"
                    ),
                    None => String::new(),
                };
                errors.push(
                    Error::new(
                        ErrorKind::MissingList,
                        format!("no text was given for this list{hint}"),
                    )
                    .with_item(item()),
                );
                continue;
            }
        };
        let mut skipped: Vec<(usize, String)> = parsed
            .skipped
            .into_iter()
            .map(|s| (s.line, s.reason))
            .collect();
        let list_index = index_u32(li);
        matchers.reserve(parsed.entries.len().min(lim.max_rules));
        out.list_rules
            .reserve(parsed.entries.len().min(lim.max_rules));
        skipped.extend(out.add_entries(parsed.entries, list_index, lim, matchers, item, errors));
        skipped.sort_by_key(|(line, _)| *line);
        for (line, message) in skipped {
            if m.strict_lists {
                errors.push(
                    Error::new(ErrorKind::ListLine, format!("line {line}: {message}"))
                        .with_item(item()),
                );
            } else {
                out.warnings.push(Warning::new(&l.id, line, message));
            }
        }
        out.lists.push(CompiledList {
            id: Id::new(&l.id),
            action: l.action,
            category: l.category,
            hard: l.hard,
            shadow: l.shadow,
            priority: l.priority,
            scope,
        });
    }
    if let Some(table) = table {
        out.add_table(table, &m.lists, lim, matchers, errors);
    }
    out
}

impl Lists {
    /// Adds the entries of list `list` as rules, up to `max_rules` rules and
    /// entries in all; an entry whose pattern does not compile is a skipped
    /// line, returned with the reason.
    fn add_entries(
        &mut self,
        entries: Vec<ListEntry>,
        list: u32,
        lim: &SizeLimits,
        matchers: &mut Matchers,
        item: impl Fn() -> Item,
        errors: &mut Vec<Error>,
    ) -> Vec<(usize, String)> {
        let mut skipped = Vec::new();
        for entry in entries {
            if self.rules + self.list_rules.len() + self.in_table >= lim.max_rules {
                errors.push(
                    Error::new(
                        ErrorKind::LimitExceeded,
                        format!("the rules and list entries together are more than the limit `max_rules` ({})", lim.max_rules),
                    )
                    .with_item(item()),
                );
                break;
            }
            let index = index_u32(self.rules + self.list_rules.len());
            let added = match entry.pattern {
                ListPattern::Domain(d) => {
                    matchers.add_domain(&d, index);
                    Ok(())
                }
                ListPattern::Host(h) => {
                    matchers.add_host(&h, index);
                    Ok(())
                }
                ListPattern::UrlPrefix(p) => {
                    add_matcher(matchers, &Matcher::UrlPrefix(p), index, lim)
                }
                ListPattern::Regex(r) => add_matcher(matchers, &Matcher::Regex(r), index, lim),
            };
            match added {
                Ok(()) => self.list_rules.push(ListRule {
                    list,
                    line: index_u32(entry.line),
                    exception: entry.exception,
                    important: entry.important,
                }),
                Err(e) => skipped.push((entry.line, e.into_message())),
            }
        }
        skipped
    }

    /// Numbers a snapshot's table entries after all the others and hands the
    /// table to the matchers; a table that does not fit the policy's
    /// `declared` lists or `max_rules` is a corrupt snapshot.
    fn add_table(
        &self,
        mut table: ListTable,
        declared: &[List],
        lim: &SizeLimits,
        matchers: &mut Matchers,
        errors: &mut Vec<Error>,
    ) {
        let before = self.rules + self.list_rules.len();
        table.base = index_u32(before);
        let fits = table.lists() as usize == declared.len()
            && u32::try_from(table.len())
                .ok()
                .and_then(|n| table.base.checked_add(n))
                .is_some();
        if !fits || before + self.in_table > lim.max_rules {
            errors.push(Error::new(
                ErrorKind::CorruptSnapshot,
                format!(
                    "the list table names {} list(s) and {} entries; the policy has \
                     {} list(s), {before} rules and list entries besides, and `max_rules` is {}",
                    table.lists(),
                    self.in_table,
                    declared.len(),
                    lim.max_rules
                ),
            ));
        }
        // Which lists block: their entries (exceptions aside) carry the
        // fast fingerprint.
        table.blocking = self
            .lists
            .iter()
            .map(|l| l.action == Action::Block)
            .collect();
        // Only adblock lists have exceptions (`@@`).
        table.all_block = table.blocking.iter().all(|&b| b)
            && declared.iter().all(|l| l.format != ListFormat::Adblock);
        matchers.table = Some(table);
    }
}

fn add_matcher(
    m: &mut Matchers,
    matcher: &Matcher,
    rule: u32,
    lim: &SizeLimits,
) -> Result<(), Error> {
    // Domains and hosts are bounded by DNS (253 bytes) when normalized.
    if let Matcher::UrlPrefix(pattern) | Matcher::Regex(pattern) = matcher {
        if pattern.len() > lim.max_pattern_len {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!(
                    "{} bytes long, more than the limit `max_pattern_len` ({})",
                    pattern.len(),
                    lim.max_pattern_len
                ),
            ));
        }
    }
    match matcher {
        Matcher::Domain(d) => {
            let d = normalize_domain(d)?;
            m.add_domain(&d, rule);
        }
        Matcher::Host(h) => {
            let h = match normalize_host(h)? {
                NormalHost::Domain(d) | NormalHost::Ip(d) => d,
            };
            m.add_host(&h, rule);
        }
        Matcher::UrlPrefix(p) => {
            let invalid = |why: &str| {
                Error::new(
                    ErrorKind::InvalidUrlPrefix,
                    format!("`{p}` is not a usable URL prefix: {why}"),
                )
            };
            if link::scheme_of(p.trim()).is_none() {
                return Err(invalid("it needs a scheme, such as `https://`"));
            }
            let normalized = link::normalize(p, usize::MAX).map_err(|r| match r {
                link::Rejection::UnsafeScheme { scheme, .. } => invalid(&format!(
                    "links with the scheme `{scheme}` are always blocked"
                )),
                link::Rejection::Invalid { detail } => invalid(&detail),
                link::Rejection::TooLong { .. } => invalid("too long"),
            })?;
            if normalized.userinfo {
                return Err(invalid(
                    "it has user info, which normalized links never have",
                ));
            }
            m.add_prefix(
                normalized.host_name().unwrap_or(""),
                normalized.as_str(),
                rule,
            );
        }
        Matcher::Regex(r) => m.add_regex(r, rule)?,
        Matcher::Scheme(s) => {
            let s = link::normalize_scheme(s)?;
            m.add_scheme(&s, rule);
        }
    }
    Ok(())
}

/// Whether an id has the shape of a list entry's id, `list:line` (a colon,
/// then only ASCII digits): those are reserved, so that a rule cannot pass for
/// an entry of a list.
fn is_list_entry_id(id: &str) -> bool {
    id.rsplit_once(':')
        .is_some_and(|(_, line)| !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()))
}

/// `hard` on an allow rule or list: nothing can relax an allow, so the setting
/// means nothing, and a verdict "allow, hard" would mislead.
fn hard_allow_error() -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        "`hard` has no meaning on an `allow` rule: it keeps a block or a warn from being relaxed",
    )
}
