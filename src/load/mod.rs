//! Loading policy files: TOML and JSON text into the file model, then into the
//! policy's plain model ([`Model`]), with errors that point at the rule, field,
//! line and column. It knows neither the policy nor its builder: their
//! `from_toml_str`, `from_json_str`, `toml_problems` and `json_problems` call
//! the functions here.
//!
//! This file holds those functions, the checks of the text's size and
//! nesting, and the move of the file model into the plain model.
//! The stages they call:
//!
//! - `split.rs`: a TOML text cut into the pieces it is read in, by a lexer
//!   that builds no tree, each with the estimated weight of its tree;
//! - `toml.rs`: a TOML text read piece by piece into the file model;
//! - `json.rs`: a JSON text read into the file model;
//! - `shape.rs`: every shape error of a text at once, for `toml_problems` and
//!   `json_problems`;
//! - `source.rs`: errors located in the text: the path they are about, the
//!   item and field they name, their line and column.

#[cfg(feature = "json")]
mod json;
mod shape;
pub(crate) mod source;
#[cfg(feature = "toml")]
mod split;
#[cfg(all(test, feature = "toml"))]
mod tests;
// Here `toml` is this module; the toml crate is `::toml`.
#[cfg(feature = "toml")]
mod toml;

#[cfg(feature = "toml")]
use std::sync::Arc;

#[cfg(feature = "json")]
use self::json::{deserialize_json, json_tree_bytes};
#[cfg(any(feature = "toml", feature = "json"))]
use self::shape::{shape_errors, whole_tree_fits};
#[cfg(any(feature = "toml", feature = "json"))]
use self::source::field_error;
#[cfg(feature = "json")]
use self::source::json_error;
#[cfg(feature = "toml")]
use self::source::locate_in_toml;
#[cfg(feature = "toml")]
use self::toml::{read_toml, toml_id};
use crate::error::{Error, ErrorKind, Item, Location};
use crate::limits::{SizeLimits, too_deep};
use crate::model::Model;
#[cfg(feature = "toml")]
use crate::model::TomlSource;
use crate::rules::{FilePolicy, Rule};

/// The policy file versions this crate reads.
pub(crate) const SUPPORTED_VERSION: i64 = 1;

/// A TOML policy text into the model, with its text kept to locate the
/// errors the compile step finds. Stops at the first shape error.
#[cfg(feature = "toml")]
pub(crate) fn from_toml(text: &str, limits: &SizeLimits) -> Result<Model, Error> {
    check_text(text, limits, true)?;
    let file = read_toml(text, limits)?;
    let mut model = model_from_file(file);
    model.size_limits = *limits;
    model.source = Some(TomlSource(Arc::from(text)));
    Ok(model)
}

/// A JSON policy text into the model. Stops at the first shape error.
#[cfg(feature = "json")]
pub(crate) fn from_json(text: &str, limits: &SizeLimits) -> Result<Model, Error> {
    check_text(text, limits, false)?;
    let mut de = serde_json::Deserializer::from_str(text);
    let file = deserialize_json(&mut de, text).map_err(|(e, path)| json_error(text, &e, &path))?;
    de.end().map_err(|e| json_error(text, &e, &[]))?;
    let mut model = model_from_file(file);
    model.size_limits = *limits;
    Ok(model)
}

/// Checks the text's size and nesting before parsing it.
fn check_text(text: &str, limits: &SizeLimits, toml: bool) -> Result<(), Error> {
    if text.len() > limits.max_policy_bytes {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!(
                "the policy is {} bytes, more than the limit `max_policy_bytes` ({})",
                text.len(),
                limits.max_policy_bytes
            ),
        ));
    }
    if let Some(offset) = too_deep(text, limits.max_nesting, toml) {
        let mut e = Error::new(
            ErrorKind::LimitExceeded,
            format!(
                "nested deeper than the limit `max_nesting` ({})",
                limits.max_nesting
            ),
        );
        e.set_location(Some(Location::from_offset(text, offset)));
        return Err(e);
    }
    Ok(())
}

/// Moves a parsed file into the model: the only checks here are the ones the
/// compile step cannot make (the version, the rules' single matcher), kept in
/// the model's `pending` to be reported with the rest.
fn model_from_file(file: FilePolicy) -> Model {
    let mut errors = Vec::new();
    if file.version != SUPPORTED_VERSION {
        errors.push(
            Error::new(
                ErrorKind::UnsupportedVersion,
                format!(
                    "version `{}` is not supported: this crate reads version {SUPPORTED_VERSION}",
                    file.version
                ),
            )
            .with_field("version"),
        );
    }
    let mut m = Model {
        defaults: file.defaults,
        limits: file.limits,
        tiers: file.tiers.into_iter().collect(),
        ..Model::default()
    };
    for p in file.platform {
        let mut platform = crate::rules::Platform::new(p.id, p.domains);
        platform.name = p.name;
        platform.tier = p.tier;
        m.platforms.push(platform);
    }
    for (i, r) in file.rule.into_iter().enumerate() {
        let mut matchers = r.matchers();
        if matchers.len() != 1 {
            let msg = if matchers.is_empty() {
                "a rule needs one matcher: `domain`, `host`, `url_prefix`, `regex` or `scheme`"
                    .to_owned()
            } else {
                let names: Vec<String> = matchers
                    .iter()
                    .map(|m| format!("`{}`", m.field()))
                    .collect();
                format!(
                    "a rule has exactly one matcher, this one has {}",
                    names.join(", ")
                )
            };
            let mut e = Error::new(ErrorKind::Matcher, msg).with_item(Item::new(
                "rule",
                Some(i),
                Some(&r.id),
            ));
            if let Some(m) = matchers.get(1) {
                e = e.with_field(m.field());
            }
            errors.push(e);
            continue;
        }
        let Some(matcher) = matchers.pop() else {
            continue;
        };
        let mut rule = Rule::new(r.id, r.action, matcher)
            .category(r.category)
            .hard(r.hard)
            .shadow(r.shadow);
        rule.chats = r.chats;
        rule.min_members = r.min_members;
        rule.rollout = r.rollout;
        m.rules.push(rule.priority(r.priority));
    }
    m.lists = file.list.into_iter().map(Into::into).collect();
    m.phases = file.phase;
    m.redirectors = file.redirector;
    if let Some(w) = file.wrappers {
        m.builtin_wrappers = w.builtin;
    }
    if let Some(t) = file.tracking {
        m.tracking = t.params;
        m.builtin_tracking = t.builtin;
    }
    if let Some(l) = file.lookalike {
        m.lookalike_action = l.action;
        m.protect = l.protect;
        m.typosquat = l.typosquat;
        m.embedded = l.embedded;
    }
    m.allow_trust = file.user.and_then(|u| u.allow_trust);
    if let Some(c) = file.complaints {
        m.thresholds.extend(c.thresholds);
    }
    m.complaints = file.complaint;
    for (i, t) in file.test.into_iter().enumerate() {
        let raw = crate::context::RawContext {
            chat: t.chat,
            members: t.members,
            user: t.user,
            client_version: t.client_version,
            now: t.now,
            prefs: t.prefs,
            display_text: t.display_text,
            ..Default::default()
        };
        match raw.context() {
            Ok(ctx) => {
                let mut test = crate::operator::PolicyTest::new(t.link, ctx, t.expect);
                if let Some(name) = t.name {
                    test = test.with_name(name);
                }
                if let Some(reason) = t.reason {
                    test = test.with_reason(reason);
                }
                if let Some(rule) = t.rule {
                    test = test.with_rule(rule);
                }
                m.tests.push(test);
            }
            Err(problem) => errors.push(
                Error::new(ErrorKind::InvalidValue, problem.message())
                    .with_item(Item::new("test", Some(i), t.name.as_deref()))
                    .with_field(if t.members.is_some() {
                        "members"
                    } else {
                        "chat"
                    }),
            ),
        }
    }
    m.pending = errors;
    m
}

/// Every problem of a TOML policy text at once (see `PolicyBuilder::toml_problems`).
#[cfg(feature = "toml")]
pub(crate) fn toml_problems(text: &str) -> Vec<Error> {
    let first = match from_toml(text, &SizeLimits::default()) {
        Ok(model) => return build_problems(&model),
        Err(e) => e,
    };
    if first.kind() == ErrorKind::Syntax || first.kind() == ErrorKind::LimitExceeded {
        return vec![first];
    }
    if !whole_tree_fits(crate::load::split::split(text).tree_bytes()) {
        return vec![first];
    }
    let Ok(tree) = ::toml::de::DeTable::parse(text) else {
        return vec![first];
    };
    let doc = ::toml::de::DeTable::parse(text).ok();
    let id_of = |section: &str, i: usize| doc.as_ref().and_then(|d| toml_id(d, section, i));
    let errors = shape_errors(tree, |msg, path| field_error(msg, path, id_of));
    match Error::collect(errors) {
        Some(all) => locate_in_toml(all, text).errors().cloned().collect(),
        None => vec![first],
    }
}

/// Every problem of a JSON policy text at once (see `PolicyBuilder::json_problems`).
#[cfg(feature = "json")]
pub(crate) fn json_problems(text: &str) -> Vec<Error> {
    let first = match from_json(text, &SizeLimits::default()) {
        Ok(model) => return build_problems(&model),
        Err(e) => e,
    };
    if first.kind() == ErrorKind::Syntax || first.kind() == ErrorKind::LimitExceeded {
        return vec![first];
    }
    if !whole_tree_fits(json_tree_bytes(text)) {
        return vec![first];
    }
    let Ok(serde_json::Value::Object(tree)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return vec![first];
    };
    let doc = serde_json::Value::Object(tree.clone());
    let id_of = |section: &str, i: usize| -> Option<String> {
        doc.get(section)?
            .get(i)?
            .get("id")?
            .as_str()
            .map(str::to_owned)
    };
    let mut errors = shape_errors(tree, |msg, path| field_error(msg, path, id_of));
    // The first error as the parser gave it, with its line and column.
    if let Some(e) = errors.first_mut() {
        if e.message() == first.message() {
            *e = first.clone();
        }
    }
    if errors.is_empty() {
        vec![first]
    } else {
        errors
    }
}

/// Every problem the compile step finds in a model that loaded.
#[cfg(any(feature = "toml", feature = "json"))]
fn build_problems(model: &Model) -> Vec<Error> {
    crate::compile::compile(model)
        .err()
        .map_or_else(Vec::new, |e| e.errors().cloned().collect())
}
