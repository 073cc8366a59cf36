//! Loading policy files: TOML and JSON text into the data model, then into a
//! [`PolicyBuilder`], with errors that point at the rule, field, line and column.
//!
//! This file holds the entry points (`Policy::from_toml_str`,
//! `PolicyBuilder::from_json_str`, `toml_problems`, …), the checks of the
//! text's size and nesting, and the move of the file model into a builder.
//! The stages they call:
//!
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
#[cfg(all(test, feature = "toml"))]
mod tests;
// Here `toml` is this module; the toml crate is `::toml`.
#[cfg(feature = "toml")]
mod toml;

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
use crate::policy::{Policy, PolicyBuilder};
use crate::rules::{FilePolicy, Rule};

/// The policy file versions this crate reads.
pub(crate) const SUPPORTED_VERSION: i64 = 1;

impl Policy {
    /// Loads a policy from TOML text (the contract's section 3).
    ///
    /// # Errors
    ///
    /// A syntax error, an unknown or missing field, a value of the wrong type, an
    /// unsupported `version`, or any problem [`PolicyBuilder::build`] finds. Each
    /// names the item (a rule by id and index) and field, with a line and column.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy};
    ///
    /// let policy = Policy::from_toml_str(r#"
    /// version = 1
    /// [[rule]]
    /// id = "fraud-0001"
    /// action = "block"
    /// category = "fraud"
    /// hard = true
    /// domain = "evil.example"
    /// "#)?;
    /// let v = policy.classify("https://login.evil.example/", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<Policy, Error> {
        Self::from_toml_str_with_limits(text, &SizeLimits::default())
    }

    /// Loads a policy from TOML text within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml_str`], and an [`ErrorKind::LimitExceeded`] error
    /// naming the limit when the policy is over one.
    #[cfg(feature = "toml")]
    pub fn from_toml_str_with_limits(text: &str, limits: &SizeLimits) -> Result<Policy, Error> {
        PolicyBuilder::from_toml_str_with_limits(text, limits)?.build()
    }

    /// Loads a policy from JSON text; the same model as TOML.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_toml_str`]; syntax and field errors carry a line and column.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy};
    ///
    /// let policy = Policy::from_json_str(r#"{"version": 1, "defaults": {"one_to_one": "allow"}}"#)?;
    /// assert_eq!(policy.classify("jd.com", &Context::one_to_one()).action(), Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "json")]
    pub fn from_json_str(text: &str) -> Result<Policy, Error> {
        Self::from_json_str_with_limits(text, &SizeLimits::default())
    }

    /// Loads a policy from JSON text within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`Policy::from_json_str`], and an [`ErrorKind::LimitExceeded`] error
    /// naming the limit when the policy is over one.
    #[cfg(feature = "json")]
    pub fn from_json_str_with_limits(text: &str, limits: &SizeLimits) -> Result<Policy, Error> {
        PolicyBuilder::from_json_str_with_limits(text, limits)?.build()
    }
}

impl PolicyBuilder {
    /// A builder holding a policy read from TOML text, for a host app that has
    /// more to add before building: the texts of the policy's `[[list]]`s, a
    /// newer Public Suffix List. Problems found when building still point at the
    /// text's lines.
    ///
    /// # Errors
    ///
    /// A syntax error, an unknown or missing field, a value of the wrong type.
    /// The policy's other problems are reported by
    /// [`build`](PolicyBuilder::build), all at once.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, PolicyBuilder};
    ///
    /// let mut builder = PolicyBuilder::from_toml_str(r#"
    /// version = 1
    /// [[list]]
    /// id = "phishing-feed"
    /// format = "domains"
    /// action = "block"
    /// category = "phishing"
    /// path = "lists/phishing.txt"
    /// "#)?;
    /// let paths: Vec<_> = builder.lists().filter_map(|l| l.path()).collect();
    /// assert_eq!(paths, ["lists/phishing.txt"]);
    /// // The host app reads the file; here, its text.
    /// builder.list_text("phishing-feed", "# feed\nlogin-verify.example\n");
    /// let policy = builder.build()?;
    /// let v = policy.classify("https://a.login-verify.example/", &Context::one_to_one());
    /// assert_eq!(v.action(), Action::Block);
    /// assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("phishing-feed:2"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<PolicyBuilder, Error> {
        Self::from_toml_str_with_limits(text, &SizeLimits::default())
    }

    /// As [`PolicyBuilder::from_toml_str`], within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str`], and an [`ErrorKind::LimitExceeded`]
    /// error naming the limit when the text is over one.
    #[cfg(feature = "toml")]
    pub fn from_toml_str_with_limits(
        text: &str,
        limits: &SizeLimits,
    ) -> Result<PolicyBuilder, Error> {
        check_text(text, limits, true)?;
        let file = read_toml(text, limits)?;
        let (mut builder, pending) = builder_from_file(file);
        builder.size_limits(*limits);
        builder.set_source(text, pending);
        Ok(builder)
    }

    /// A builder holding a policy read from JSON text; see
    /// [`PolicyBuilder::from_toml_str`].
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str`].
    #[cfg(feature = "json")]
    pub fn from_json_str(text: &str) -> Result<PolicyBuilder, Error> {
        Self::from_json_str_with_limits(text, &SizeLimits::default())
    }

    /// As [`PolicyBuilder::from_json_str`], within the given size limits.
    ///
    /// # Errors
    ///
    /// As [`PolicyBuilder::from_toml_str_with_limits`].
    #[cfg(feature = "json")]
    pub fn from_json_str_with_limits(
        text: &str,
        limits: &SizeLimits,
    ) -> Result<PolicyBuilder, Error> {
        check_text(text, limits, false)?;
        let mut de = serde_json::Deserializer::from_str(text);
        let file =
            deserialize_json(&mut de, text).map_err(|(e, path)| json_error(text, &e, &path))?;
        de.end().map_err(|e| json_error(text, &e, &[]))?;
        let (mut builder, pending) = builder_from_file(file);
        builder.size_limits(*limits);
        builder.set_pending(pending);
        Ok(builder)
    }
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

/// Moves a parsed file into a builder: the only checks here are the ones the
/// builder cannot make (the version, the rules' single matcher).
fn builder_from_file(file: FilePolicy) -> (PolicyBuilder, Vec<Error>) {
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
    let mut b = PolicyBuilder::new();
    b.defaults(file.defaults).limits(file.limits);
    for (name, tier) in file.tiers {
        b.tier(name, tier);
    }
    for p in file.platform {
        let mut platform = crate::rules::Platform::new(p.id, p.domains);
        platform.name = p.name;
        platform.tier = p.tier;
        b.platform(platform);
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
        b.rule(rule.priority(r.priority));
    }
    for l in file.list {
        b.list(l.into());
    }
    for p in file.phase {
        b.phase(p);
    }
    for r in file.redirector {
        b.redirector(r);
    }
    if let Some(w) = file.wrappers {
        b.builtin_wrappers(w.builtin);
    }
    if let Some(t) = file.tracking {
        b.tracking_params(t.params);
        b.builtin_tracking(t.builtin);
    }
    if let Some(l) = file.lookalike {
        b.lookalike(l.action, l.protect);
        b.lookalike_typosquat(l.typosquat);
        b.lookalike_embedded(l.embedded);
    }
    if let Some(u) = file.user {
        if let Some(allow) = u.allow_trust {
            b.allow_trust(allow);
        }
    }
    if let Some(c) = file.complaints {
        for (cat, t) in c.thresholds {
            b.complaint_threshold(cat, t);
        }
    }
    for c in file.complaint {
        b.complaint(c);
    }
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
                b.test(test);
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
    (b, errors)
}

impl PolicyBuilder {
    /// Every problem of a TOML policy text at once, where
    /// [`PolicyBuilder::from_toml_str`] stops at the first shape error (an
    /// unknown or misspelt field, a value of the wrong type, a missing field):
    /// each item's shape errors, then — when the shapes are right — every
    /// problem [`build`](PolicyBuilder::build) finds. Empty when the policy
    /// loads. For `linkpolicy check` and editors.
    ///
    /// Finding every shape error reads the whole text into a tree, where
    /// loading reads it piece by piece. A text whose tree would weigh more than
    /// the default `max_toml_tree_bytes` (estimated from its values and tables,
    /// before anything is parsed) reports its first problem only, so a hostile
    /// text costs no more memory here than loading it does.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::PolicyBuilder;
    ///
    /// let problems = PolicyBuilder::toml_problems(r#"
    /// version = 1
    /// [[rule]]
    /// id = "a"
    /// acton = "block"
    /// domain = "a.example"
    /// [[rule]]
    /// id = "b"
    /// action = "blok"
    /// domain = "b.example"
    /// "#);
    /// assert_eq!(problems.len(), 2);
    /// assert!(problems[0].to_string().contains("acton"), "{}", problems[0]);
    /// assert!(problems[1].to_string().contains("blok"), "{}", problems[1]);
    /// assert_eq!(problems[1].item().and_then(|i| i.index()), Some(1));
    /// assert!(PolicyBuilder::toml_problems("version = 1").is_empty());
    /// ```
    #[cfg(feature = "toml")]
    pub fn toml_problems(text: &str) -> Vec<Error> {
        let first = match Self::from_toml_str(text) {
            Ok(b) => {
                return b
                    .build()
                    .err()
                    .map_or_else(Vec::new, |e| e.errors().cloned().collect());
            }
            Err(e) => e,
        };
        if first.kind() == ErrorKind::Syntax || first.kind() == ErrorKind::LimitExceeded {
            return vec![first];
        }
        if !whole_tree_fits(crate::toml_split::split(text).tree_bytes()) {
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

    /// Every problem of a JSON policy text at once: see
    /// [`PolicyBuilder::toml_problems`]. Shape errors after the first carry no
    /// line and column. As there, a text whose tree would weigh more than the
    /// default `max_toml_tree_bytes` reports its first problem only.
    #[cfg(feature = "json")]
    pub fn json_problems(text: &str) -> Vec<Error> {
        let first = match Self::from_json_str(text) {
            Ok(b) => {
                return b
                    .build()
                    .err()
                    .map_or_else(Vec::new, |e| e.errors().cloned().collect());
            }
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
}
