//! Platforms and their credit tiers, the defaults for links that nothing else
//! decides, the limits on links, and the phases that replace the defaults.

use serde::{Deserialize, Serialize};

use super::action::Action;
use super::rule::Rollout;
use crate::context::ChatKind;

/// The credit grading of a tier: the action for a platform of this tier, per chat
/// kind. A kind left unset falls through to the defaults.
#[derive(Clone, Copy, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Tier {
    /// The action in one-to-one chats.
    pub one_to_one: Option<Action>,
    /// The action in group chats.
    pub group: Option<Action>,
}

impl Tier {
    /// A tier with the given actions.
    pub fn new(one_to_one: Option<Action>, group: Option<Action>) -> Self {
        Self { one_to_one, group }
    }
}

/// A platform that provides links, with its domains and its credit tier.
///
/// # Example
///
/// ```
/// use linkpolicy::Platform;
///
/// let jd = Platform::new("jd", ["jd.com", "3.cn"]).name("JD.com").tier("A");
/// assert_eq!(jd.id(), "jd");
/// ```
#[derive(Clone, Debug, Eq, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Platform {
    pub(crate) id: String,
    pub(crate) name: Option<String>,
    pub(crate) domains: Vec<String>,
    pub(crate) tier: Option<String>,
}

impl Platform {
    /// A platform with an id and its domains (each covers its subdomains).
    pub fn new<I, S>(id: impl Into<String>, domains: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            id: id.into(),
            name: None,
            domains: domains.into_iter().map(Into::into).collect(),
            tier: None,
        }
    }

    /// Sets the display name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the credit tier, which must be defined in the policy.
    #[must_use]
    pub fn tier(mut self, tier: impl Into<String>) -> Self {
        self.tier = Some(tier.into());
        self
    }

    /// The platform's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// The actions for links that nothing else decides. Unset keys keep their safe
/// defaults: `one_to_one = warn`, `group = block`, `app_link = warn`, `ip_host = warn`.
#[derive(Clone, Copy, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Defaults {
    /// The action for web links in one-to-one chats.
    pub one_to_one: Option<Action>,
    /// The action for web links in group chats.
    pub group: Option<Action>,
    /// The action for links of other schemes (`weixin://`, `mailto:`), any chat.
    pub app_link: Option<Action>,
    /// The floor for links whose host is an IP address.
    pub ip_host: Option<Action>,
}

impl Defaults {
    /// Defaults with every key unset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the action for web links in one chat kind.
    #[must_use]
    pub fn chat(mut self, kind: ChatKind, action: Action) -> Self {
        match kind {
            ChatKind::OneToOne => self.one_to_one = Some(action),
            ChatKind::Group => self.group = Some(action),
        }
        self
    }

    /// Sets the action for app links.
    #[must_use]
    pub fn app_link(mut self, action: Action) -> Self {
        self.app_link = Some(action);
        self
    }

    /// Sets the floor for IP-address hosts.
    #[must_use]
    pub fn ip_host(mut self, action: Action) -> Self {
        self.ip_host = Some(action);
        self
    }
}

/// Limits on links.
#[derive(Clone, Copy, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct Limits {
    /// Links longer than this many bytes (after trimming) are blocked, `too_long`.
    pub max_link_len: usize,
    /// More wrapper hops than this are blocked, `redirect_depth`.
    pub max_redirect_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_link_len: 8192,
            max_redirect_depth: 5,
        }
    }
}

/// A staged opening: defaults that replace the policy's defaults when the phase's
/// rollout gate passes. The last applicable phase wins, key by key.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Phase {
    /// The phase's id, reported in `phase` reasons.
    pub id: String,
    /// When the phase applies; absent: always.
    #[serde(default)]
    pub rollout: Option<Rollout>,
    /// The defaults the phase sets.
    pub defaults: Defaults,
}

impl Phase {
    /// A phase with an id, a gate and the defaults it sets.
    pub fn new(id: impl Into<String>, rollout: Option<Rollout>, defaults: Defaults) -> Self {
        Self {
            id: id.into(),
            rollout,
            defaults,
        }
    }
}
