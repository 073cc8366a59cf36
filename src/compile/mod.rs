//! The compile step: the policy's plain model ([`Model`]) into the compiled
//! form ([`Compiled`]) that deciding reads.
//!
//! One function per section of the model, called by [`compile`] in a fixed
//! order: counts and limits, tiers, platforms, rules, lists, phases,
//! redirectors, tracking parameters, lookalike protection, complaints, then the
//! compiled policy itself. Every section adds the problems it finds to one list,
//! reported together and in that order; the tests compare it.
//!
//! - here: the order, the counts and link limits, the source and revision, and
//!   the helpers the sections share: [`check_id`] (ids unique) and
//!   [`compile_gate`] (rollout gates);
//! - `platforms.rs`: tiers, platforms and phases, the named items a verdict names;
//! - `rules.rs`: rules and lists, everything that adds a matcher;
//! - `unwrapping.rs`: redirectors and tracking parameters;
//! - `floors.rs`: lookalike protection and complaint counts.

mod cases;
mod floors;
mod platforms;
mod rules;
mod unwrapping;

use std::collections::HashMap;
use std::sync::Arc;

use crate::engine::compiled::{Compiled, ComplaintTable, ResolvedDefaults, Source};
use crate::engine::rollout::Gate;
use crate::error::{Error, ErrorKind, Item};
use crate::matching::matcher::Matchers;
use crate::model::Model;
#[cfg(feature = "toml")]
use crate::model::TomlSource;
use crate::psl::PublicSuffixList;
use crate::rules::{Action, Rollout};
use crate::unwrap::Unwrapper;

pub(crate) use floors::compile_complaints;

/// Checks and compiles everything: the compiled policy and its complaint
/// table, or every problem found, in one [`Error`], located in the policy's
/// TOML text when the model was read from one.
pub(crate) fn compile(m: &Model) -> Result<(Compiled, ComplaintTable), Error> {
    compile_sections(m).map_err(|err| match &m.source {
        #[cfg(feature = "toml")]
        Some(TomlSource(text)) => crate::load::source::locate_in_toml(err, text),
        _ => err,
    })
}

/// [`compile`], before the errors are located.
fn compile_sections(m: &Model) -> Result<(Compiled, ComplaintTable), Error> {
    let mut errors = m.pending.clone();
    let psl = m.psl.clone().unwrap_or_else(PublicSuffixList::builtin);

    // Counts first: a policy over them is refused before any work on it.
    counts(m, &mut errors);
    if errors.len() > m.pending.len() {
        return Err(Error::collect(errors)
            .unwrap_or_else(|| Error::new(ErrorKind::LimitExceeded, "too big")));
    }
    link_limits(m, &mut errors);

    let lim = &m.size_limits;
    let (tiers, tier_index) = platforms::tiers(m, &mut errors);
    let mut matchers = Matchers::new(lim.max_regex_size, lim.max_regex_set_size, &psl);
    let (platforms, platform_domains) =
        platforms::platforms(m, &tier_index, &mut matchers, &mut errors);
    let (rules, rule_ids) = rules::rules(m, &mut matchers, &mut errors);
    let lists = rules::lists(m, rules.len(), &mut matchers, &mut errors);
    let phases = platforms::phases(m, &mut errors);
    let redirectors = unwrapping::redirectors(m, &mut matchers, &mut errors);
    let tracking = unwrapping::tracking(m, &mut errors);
    let lookalikes = floors::lookalikes(m, platform_domains, &psl, &mut matchers, &mut errors);
    if let Err(e) = matchers.finish() {
        errors.push(
            e.with_item(Item::new("rule", None, None))
                .with_field("regex"),
        );
    }
    let complaints = floors::complaints(m, &psl, &mut errors);

    cases::check_tests(m, &mut errors);
    if let Some(e) = Error::collect(errors) {
        return Err(e);
    }
    let (source, revision) = source_and_revision(m, &psl);
    let compiled = Compiled {
        defaults: ResolvedDefaults::resolve(&m.defaults),
        limits: m.limits,
        tiers,
        platforms,
        rules,
        rule_ids,
        lists: lists.lists,
        list_rules: lists.list_rules,
        warnings: lists.warnings,
        matchers,
        phases,
        unwrapper: Unwrapper {
            redirectors,
            embeddings: m.builtin_wrappers,
            tracking,
        },
        lookalikes,
        lookalike_action: m.lookalike_action.unwrap_or(Action::Warn),
        allow_trust: m.allow_trust.unwrap_or(true),
        psl,
        revision,
        source: Arc::new(source),
        tests: m.tests.clone(),
    };
    Ok((compiled, complaints))
}

/// The counts of the model's sections against the size limits.
fn counts(m: &Model, errors: &mut Vec<Error>) {
    let lim = &m.size_limits;
    let platform_domains: usize = m.platforms.iter().map(|p| p.domains.len()).sum();
    for (section, n, max, name) in [
        ("rule", m.rules.len(), lim.max_rules, "max_rules"),
        (
            "platform",
            m.platforms.len(),
            lim.max_platforms,
            "max_platforms",
        ),
        (
            "platform",
            platform_domains,
            lim.max_platform_domains,
            "max_platform_domains",
        ),
        (
            "complaint",
            m.complaints.len(),
            lim.max_complaints,
            "max_complaints",
        ),
        (
            "tiers",
            m.tiers.len(),
            lim.max_other_items,
            "max_other_items",
        ),
        ("phase", m.phases.len(), lim.max_phases, "max_phases"),
        (
            "redirector",
            m.redirectors.len(),
            lim.max_other_items,
            "max_other_items",
        ),
        (
            "tracking",
            m.tracking.len(),
            lim.max_other_items,
            "max_other_items",
        ),
        (
            "lookalike",
            m.protect.len(),
            lim.max_other_items,
            "max_other_items",
        ),
    ] {
        if n > max {
            errors.push(
                Error::new(
                    ErrorKind::LimitExceeded,
                    format!("{n} entries, more than the limit `{name}` ({max})"),
                )
                .with_item(Item::new(section, None, None)),
            );
        }
    }
}

/// The limits on links the policy sets (`[limits]`).
fn link_limits(m: &Model, errors: &mut Vec<Error>) {
    let lim = &m.size_limits;
    if m.limits.max_link_len == 0 {
        errors.push(
            Error::new(ErrorKind::InvalidValue, "must be at least 1")
                .with_item(Item::new("limits", None, None))
                .with_field("max_link_len"),
        );
    }
    // The link limits a policy sets are bounded too: they set the per-link
    // work and the verdict's size.
    for (field, value, max) in [
        ("max_link_len", m.limits.max_link_len, lim.max_link_len),
        (
            "max_redirect_depth",
            m.limits.max_redirect_depth,
            lim.max_redirect_depth,
        ),
    ] {
        if value > max {
            errors.push(
                Error::new(
                    ErrorKind::LimitExceeded,
                    format!("{value} is more than the limit `{field}` ({max})"),
                )
                .with_item(Item::new("limits", None, None))
                .with_field(field),
            );
        }
    }
}

/// What the policy was compiled from, and its revision: a snapshot's bytes and
/// the revision its header names, or the encoded model and list texts.
fn source_and_revision(m: &Model, psl: &PublicSuffixList) -> (Source, u64) {
    match &m.loaded {
        Some(loaded) => (Source::Snapshot(loaded.bytes.clone()), loaded.revision),
        None => {
            let (model, revision) = model_and_revision(m, psl);
            let lists = m
                .lists
                .iter()
                .map(|l| {
                    let text = m.list_texts.get(&l.id).map_or("", String::as_str);
                    (l.id.clone(), l.format, text.to_owned())
                })
                .collect();
            let custom_psl = m.psl.as_ref().map(|p| p.to_dat());
            let source = Source::Built {
                model,
                lists,
                custom_psl,
            };
            (source, revision)
        }
    }
}

/// The encoded model and the revision: the model, the Public Suffix List and
/// each list's id and text, in the order the lists were declared.
fn model_and_revision(m: &Model, psl: &PublicSuffixList) -> (Box<[u8]>, u64) {
    let model = crate::snapshot::encode_model(m);
    let texts = m.lists.iter().map(|l| {
        (
            l.id.as_str(),
            m.list_texts.get(&l.id).map_or("", String::as_str),
        )
    });
    let custom_psl = m.psl.as_ref().map(|p| p.to_dat());
    let revision = crate::snapshot::revision(&model, psl, custom_psl.as_deref(), texts);
    (model, revision)
}

/// What a section's items are known by, in the errors of [`check_id`].
#[derive(Clone, Copy)]
enum Key<'s> {
    /// An `id` field, in the section of this name (`rule`, `list`...): "the id
    /// is empty", "duplicate rule id: rule #0 has the same id", on the field.
    Id(&'s str),
    /// The item's name, its key in a table of this name (`tier`): "the tier
    /// name is empty", "duplicate tier name", on the item.
    Name(&'s str),
}

/// Checks the id of item `i` of a section: not empty, and not the id of an
/// earlier item of the section (`ids` holds those). Each problem is an error
/// on the item (on its `id` field, for a [`Key::Id`]). Returns whether the id
/// is new, that is whether it was not a duplicate.
fn check_id<'a, S: std::hash::BuildHasher>(
    ids: &mut HashMap<&'a str, usize, S>,
    id: &'a str,
    i: usize,
    key: Key<'_>,
    item: impl Fn() -> Item,
    errors: &mut Vec<Error>,
) -> bool {
    let placed = |e: Error| match key {
        Key::Id(_) => e.with_item(item()).with_field("id"),
        Key::Name(_) => e.with_item(item()),
    };
    if id.is_empty() {
        let msg = match key {
            Key::Id(_) => "the id is empty".to_owned(),
            Key::Name(section) => format!("the {section} name is empty"),
        };
        errors.push(placed(Error::new(ErrorKind::InvalidValue, msg)));
    }
    let Some(first) = ids.insert(id, i) else {
        return true;
    };
    let e = match key {
        Key::Id(section) => duplicate_id(section, first),
        Key::Name(section) => Error::new(ErrorKind::Duplicate, format!("duplicate {section} name")),
    };
    errors.push(placed(e));
    false
}

/// The error for an id that item `#first` of the section already has, without
/// the item and field (see [`check_id`]; [`PolicyBuilder::try_rule`](crate::PolicyBuilder::try_rule) too).
pub(crate) fn duplicate_id(section: &str, first: usize) -> Error {
    Error::new(
        ErrorKind::Duplicate,
        format!("duplicate {section} id: {section} #{first} has the same id"),
    )
}

/// A rule's or phase's rollout gate, compiled once (its salt, the item's id,
/// hashed now); a setting that does not compile is an error on its field.
fn compile_gate(
    rollout: Option<&Rollout>,
    id: &str,
    item: impl Fn() -> Item,
    errors: &mut Vec<Error>,
) -> Option<Gate> {
    match Gate::compile(rollout?, id) {
        Ok(g) => Some(g),
        Err(e) => {
            errors.push(e.with_item(item()));
            None
        }
    }
}

fn index_u32(i: usize) -> u32 {
    // Callers index lists whose length `build` has checked against the size
    // limits; saturating keeps even absurd limits from wrapping.
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use crate::{Action, Error, Matcher, Policy, Rule, Tier};

    /// A tier's name is checked as an id is, in its own words, and on the
    /// item rather than a field; `try_rule` says what `build` says.
    #[test]
    fn ids_and_names_in_their_words() {
        let tier = Tier::new(Some(Action::Allow), None);
        let e = Policy::builder()
            .tier("", tier)
            .tier("A", tier)
            .tier("A", tier)
            .build()
            .unwrap_err();
        let got: Vec<String> = e.errors().map(Error::to_string).collect();
        assert_eq!(
            got,
            [
                "tiers ``: the tier name is empty",
                "tiers `A`: duplicate tier name"
            ]
        );

        let rule = Rule::new("a", Action::Block, Matcher::Domain("a.example".into()));
        let mut b = Policy::builder();
        b.rule(rule.clone());
        let early = b.try_rule(rule.clone()).unwrap_err().to_string();
        let late = b.rule(rule).build().unwrap_err().to_string();
        assert_eq!(early, late);
        assert_eq!(
            late,
            "rule `a` (#1): `id`: duplicate rule id: rule #0 has the same id"
        );
    }
}
