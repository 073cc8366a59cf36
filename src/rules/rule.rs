//! Rules: what a rule matches ([`Matcher`]), the rule itself ([`Rule`]), and
//! the staged-rollout gate ([`Rollout`]) that rules and phases share.

use serde::{Deserialize, Serialize};

use super::action::{Action, Category};
use crate::context::ChatKind;

/// What a rule matches, checked and normalized when the policy is built.
#[derive(Clone, Debug, Eq, Hash, PartialEq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub enum Matcher {
    /// The host or any subdomain of it; a single label such as `top` matches every
    /// host under that top-level domain.
    Domain(String),
    /// That host only (a domain name or an IP address).
    Host(String),
    /// A prefix of the normalized URL. The prefix is normalized like a link, so
    /// `https://Example.com` becomes `https://example.com/` and cannot match
    /// `https://example.com.evil.example/`.
    UrlPrefix(String),
    /// A regular expression (regex crate syntax) searched in the normalized URL.
    Regex(String),
    /// The URL's scheme, such as `taobao`.
    Scheme(String),
}

impl Matcher {
    pub(crate) fn field(&self) -> &'static str {
        match self {
            Self::Domain(_) => "domain",
            Self::Host(_) => "host",
            Self::UrlPrefix(_) => "url_prefix",
            Self::Regex(_) => "regex",
            Self::Scheme(_) => "scheme",
        }
    }
}

/// A rule: what to do with links that its matcher matches.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Category, ChatKind, Matcher, Rule};
///
/// let rule = Rule::new("inducement-0001", Action::Block, Matcher::Domain("share-unlock.example".into()))
///     .category(Category::Inducement)
///     .chats([ChatKind::Group])
///     .min_members(100);
/// assert_eq!(rule.id(), "inducement-0001");
/// ```
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Rule {
    pub(crate) id: String,
    pub(crate) action: Action,
    pub(crate) matcher: Matcher,
    pub(crate) category: Category,
    pub(crate) hard: bool,
    pub(crate) shadow: bool,
    pub(crate) chats: Option<Vec<ChatKind>>,
    pub(crate) min_members: Option<u32>,
    pub(crate) rollout: Option<Rollout>,
    pub(crate) priority: i32,
}

impl Rule {
    /// A rule with the given id, action and matcher; category `other`, not hard, not
    /// shadow, for every chat.
    pub fn new(id: impl Into<String>, action: Action, matcher: Matcher) -> Self {
        Self {
            id: id.into(),
            action,
            matcher,
            category: Category::Other,
            hard: false,
            shadow: false,
            chats: None,
            min_members: None,
            rollout: None,
            priority: 0,
        }
    }

    /// Sets the category.
    #[must_use]
    pub fn category(mut self, category: Category) -> Self {
        self.category = category;
        self
    }

    /// A hard rule cannot be relaxed by a user's choices; a hard block decides before
    /// any other rule.
    #[must_use]
    pub fn hard(mut self, hard: bool) -> Self {
        self.hard = hard;
        self
    }

    /// A shadow rule is reported in the verdict's `shadow` list but never decides.
    #[must_use]
    pub fn shadow(mut self, shadow: bool) -> Self {
        self.shadow = shadow;
        self
    }

    /// The chat kinds the rule applies to (default: all).
    #[must_use]
    pub fn chats(mut self, chats: impl IntoIterator<Item = ChatKind>) -> Self {
        self.chats = Some(chats.into_iter().collect());
        self
    }

    /// Applies the rule only to group chats with at least this many members.
    #[must_use]
    pub fn min_members(mut self, members: u32) -> Self {
        self.min_members = Some(members);
        self
    }

    /// Gates the rule behind a staged rollout.
    #[must_use]
    pub fn rollout(mut self, rollout: Rollout) -> Self {
        self.rollout = Some(rollout);
        self
    }

    /// Sets the priority (default 0): among the candidates that are not hard
    /// blocks, a higher priority decides before a more specific match.
    #[must_use]
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    /// The rule's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// A staged-rollout gate: a share of users, a minimum client version and a time
/// window. Every key is optional; a gate with no keys always passes.
///
/// A gate that cannot be evaluated does not pass: `percent` without a user id,
/// `min_client` without a client version, `from` or `until` without the time.
#[derive(Clone, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Rollout {
    /// The share of users (0–100) inside the rollout, by FNV-1a bucket of `salt:user`.
    pub percent: Option<u8>,
    /// The salt of the bucket hash; defaults to the id of the rule or phase.
    pub salt: Option<String>,
    /// The lowest client version inside the rollout, dotted numbers such as `8.0.16`.
    pub min_client: Option<String>,
    /// Unix seconds from which the gate passes (inclusive).
    pub from: Option<i64>,
    /// Unix seconds until which the gate passes (exclusive).
    pub until: Option<i64>,
}

impl Rollout {
    /// A gate with no keys (always passes).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the share of users and the salt of their bucket.
    #[must_use]
    pub fn percent(mut self, percent: u8, salt: impl Into<String>) -> Self {
        self.percent = Some(percent);
        self.salt = Some(salt.into());
        self
    }

    /// Sets the lowest client version.
    #[must_use]
    pub fn min_client(mut self, version: impl Into<String>) -> Self {
        self.min_client = Some(version.into());
        self
    }

    /// Sets the time window: `from` inclusive, `until` exclusive, unix seconds.
    #[must_use]
    pub fn window(mut self, from: Option<i64>, until: Option<i64>) -> Self {
        self.from = from;
        self.until = until;
        self
    }
}
