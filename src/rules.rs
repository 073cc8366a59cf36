//! The policy's data model: plain values, checked only when a policy is built.
//!
//! The public types here are what [`PolicyBuilder`](crate::PolicyBuilder) takes; the
//! private `File*` types are the serde model of a policy file (section 3 of the
//! contract), which loading turns into the public types.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::context::ChatKind;
use crate::error::ParseNameError;
pub use crate::lists::ListFormat;

/// What to do with a link: open it, show a warning page first, or refuse.
///
/// Ordered by strictness: `Allow < Warn < Block`. The enum is exhaustive on
/// purpose: a new action must break every `match` on it.
#[derive(Clone, Copy, Debug, Deserialize, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "lowercase")]
#[expect(
    clippy::exhaustive_enums,
    reason = "a new action must break callers' matches"
)]
pub enum Action {
    /// Open the link directly.
    Allow,
    /// Show a warning page first (Continue / Back).
    Warn,
    /// Refuse to open the link.
    Block,
}

impl Action {
    /// The action's name as written in a policy file: `allow`, `warn` or `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Warn => "warn",
            Self::Block => "block",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `allow`, `warn` or `block`, as in JSON and policy files.
impl std::str::FromStr for Action {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &["allow", "warn", "block"];
        ParseNameError::find("action", s, NAMES, &[Self::Allow, Self::Warn, Self::Block])
    }
}

/// Why a rule exists: the kind of harm (or business) it is about.
#[derive(
    Clone, Copy, Debug, Default, Deserialize, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Category {
    /// Scams, fake shops, fake refunds.
    Fraud,
    /// Harassment and abuse.
    Harassment,
    /// Inducement: "share to unlock", forced sharing, pyramid-style lures.
    Inducement,
    /// Illegal content.
    Illegal,
    /// Privacy: trackers, data harvesting.
    Privacy,
    /// Marketing and spam.
    Marketing,
    /// Malware distribution.
    Malware,
    /// Credential phishing.
    Phishing,
    /// Anything else (the default).
    #[default]
    Other,
}

impl Category {
    /// Every category, in the order of the contract.
    pub const ALL: [Category; 9] = [
        Self::Fraud,
        Self::Harassment,
        Self::Inducement,
        Self::Illegal,
        Self::Privacy,
        Self::Marketing,
        Self::Malware,
        Self::Phishing,
        Self::Other,
    ];

    /// The category's name as written in a policy file, such as `fraud`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fraud => "fraud",
            Self::Harassment => "harassment",
            Self::Inducement => "inducement",
            Self::Illegal => "illegal",
            Self::Privacy => "privacy",
            Self::Marketing => "marketing",
            Self::Malware => "malware",
            Self::Phishing => "phishing",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category's name as in JSON and policy files (`fraud`, …).
impl std::str::FromStr for Category {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &[
            "fraud",
            "harassment",
            "inducement",
            "illegal",
            "privacy",
            "marketing",
            "malware",
            "phishing",
            "other",
        ];
        ParseNameError::find("category", s, NAMES, &Self::ALL)
    }
}

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

/// A list of rules from a feed: a block list, a hosts file, adblock rules. Its text
/// comes from the host app ([`PolicyBuilder::list_text`](crate::PolicyBuilder::list_text));
/// the library reads no files.
///
/// Every usable line of the text becomes a rule with the list's settings, reported
/// as `list_id:line`. Lines that cannot be used are warnings
/// ([`Policy::warnings`](crate::Policy::warnings)), or errors with
/// [`PolicyBuilder::strict_lists`](crate::PolicyBuilder::strict_lists).
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Category, Context, List, ListFormat, Policy};
///
/// let policy = Policy::builder()
///     .list(List::new("scam-feed", ListFormat::Hosts, Action::Block).category(Category::Fraud))
///     .list_text("scam-feed", "# a hosts file\n0.0.0.0 cheap-iphone.example\n")
///     .build()?;
/// let v = policy.classify("https://cheap-iphone.example/", &Context::one_to_one());
/// assert_eq!(v.action(), Action::Block);
/// assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("scam-feed:2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct List {
    pub(crate) id: String,
    pub(crate) format: ListFormat,
    pub(crate) action: Action,
    pub(crate) category: Category,
    pub(crate) hard: bool,
    pub(crate) shadow: bool,
    pub(crate) chats: Option<Vec<ChatKind>>,
    pub(crate) min_members: Option<u32>,
    pub(crate) priority: i32,
    pub(crate) path: Option<String>,
}

impl List {
    /// A list with an id, the format of its text, and the action for its entries.
    pub fn new(id: impl Into<String>, format: ListFormat, action: Action) -> Self {
        Self {
            id: id.into(),
            format,
            action,
            category: Category::Other,
            hard: false,
            shadow: false,
            chats: None,
            min_members: None,
            priority: 0,
            path: None,
        }
    }

    /// Sets the category of its entries.
    #[must_use]
    pub fn category(mut self, category: Category) -> Self {
        self.category = category;
        self
    }

    /// Makes its entries hard.
    #[must_use]
    pub fn hard(mut self, hard: bool) -> Self {
        self.hard = hard;
        self
    }

    /// Makes its entries shadow rules: reported, never deciding.
    #[must_use]
    pub fn shadow(mut self, shadow: bool) -> Self {
        self.shadow = shadow;
        self
    }

    /// The chat kinds its entries apply to (default: all).
    #[must_use]
    pub fn chats(mut self, chats: impl IntoIterator<Item = ChatKind>) -> Self {
        self.chats = Some(chats.into_iter().collect());
        self
    }

    /// Applies its entries only to group chats with at least this many members.
    #[must_use]
    pub fn min_members(mut self, members: u32) -> Self {
        self.min_members = Some(members);
        self
    }

    /// Sets the priority of its entries (default 0).
    #[must_use]
    pub fn priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }

    /// The list's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The list's format.
    pub fn format(&self) -> ListFormat {
        self.format
    }

    /// Where the policy file says the list's text is (`path`), relative to the
    /// policy file. The library never reads it; a host app may.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
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

/// A wrapper whose real destination is in a query parameter.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Redirector {
    /// The wrapper's domain (covers subdomains).
    pub domain: String,
    /// The parameters that may hold the destination, tried in order.
    pub params: Vec<String>,
    /// A prefix the URL's path must start with, such as `/url` (default: any path).
    #[serde(default)]
    pub path: Option<String>,
}

impl Redirector {
    /// A redirector on a domain with its parameters.
    pub fn new<I, S>(domain: impl Into<String>, params: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            domain: domain.into(),
            params: params.into_iter().map(Into::into).collect(),
            path: None,
        }
    }

    /// Limits the redirector to paths starting with `prefix`.
    #[must_use]
    pub fn path(mut self, prefix: impl Into<String>) -> Self {
        self.path = Some(prefix.into());
        self
    }
}

/// Floors from complaint counts for one category.
#[derive(Clone, Copy, Debug, Default, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Threshold {
    /// At or above this count: at least warn.
    pub warn: Option<u64>,
    /// At or above this count: block.
    pub block: Option<u64>,
}

impl Threshold {
    /// A threshold with the given counts.
    pub fn new(warn: Option<u64>, block: Option<u64>) -> Self {
        Self { warn, block }
    }
}

/// An aggregated complaint count for a registrable domain.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Complaint {
    /// A registrable domain, such as `spam.example`.
    pub domain: String,
    /// The complaints' category.
    pub category: Category,
    /// How many complaints.
    pub count: u64,
}

impl Complaint {
    /// A complaint row.
    pub fn new(domain: impl Into<String>, category: Category, count: u64) -> Self {
        Self {
            domain: domain.into(),
            category,
            count,
        }
    }
}

// ---------------------------------------------------------------------------
// The file model (section 3 of the contract), private.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FilePolicy {
    pub(crate) version: i64,
    #[serde(default)]
    pub(crate) defaults: Defaults,
    #[serde(default)]
    pub(crate) limits: Limits,
    #[serde(default, deserialize_with = "unique_keys")]
    pub(crate) tiers: BTreeMap<String, Tier>,
    #[serde(default)]
    pub(crate) platform: Vec<FilePlatform>,
    #[serde(default)]
    pub(crate) rule: Vec<FileRule>,
    #[serde(default)]
    pub(crate) list: Vec<FileList>,
    #[serde(default)]
    pub(crate) phase: Vec<Phase>,
    #[serde(default)]
    pub(crate) redirector: Vec<Redirector>,
    #[serde(default)]
    pub(crate) wrappers: Option<FileWrappers>,
    #[serde(default)]
    pub(crate) tracking: Option<FileTracking>,
    #[serde(default)]
    pub(crate) lookalike: Option<FileLookalike>,
    #[serde(default)]
    pub(crate) user: Option<FileUser>,
    #[serde(default)]
    pub(crate) complaints: Option<FileComplaints>,
    #[serde(default)]
    pub(crate) complaint: Vec<Complaint>,
    /// The policy's own test cases (contract section 9).
    #[serde(default)]
    pub(crate) test: Vec<FileTest>,
}

/// A `[[test]]` case of a policy file: a link, the context fields of a request
/// line (contract section 8) and what the verdict must be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTest {
    #[serde(default)]
    pub(crate) name: Option<String>,
    pub(crate) link: String,
    #[serde(default)]
    pub(crate) chat: Option<ChatKind>,
    #[serde(default)]
    pub(crate) members: Option<u32>,
    #[serde(default)]
    pub(crate) user: Option<String>,
    #[serde(default)]
    pub(crate) client_version: Option<String>,
    #[serde(default)]
    pub(crate) now: Option<i64>,
    #[serde(default)]
    pub(crate) prefs: Option<crate::context::Prefs>,
    #[serde(default)]
    pub(crate) display_text: Option<String>,
    pub(crate) expect: Action,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) rule: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FilePlatform {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: Option<String>,
    pub(crate) domains: Vec<String>,
    #[serde(default)]
    pub(crate) tier: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileRule {
    pub(crate) id: String,
    pub(crate) action: Action,
    #[serde(default)]
    pub(crate) category: Category,
    #[serde(default)]
    pub(crate) hard: bool,
    #[serde(default)]
    pub(crate) shadow: bool,
    #[serde(default)]
    pub(crate) chats: Option<Vec<ChatKind>>,
    #[serde(default)]
    pub(crate) min_members: Option<u32>,
    #[serde(default)]
    pub(crate) rollout: Option<Rollout>,
    #[serde(default)]
    pub(crate) priority: i32,
    #[serde(default)]
    pub(crate) domain: Option<String>,
    #[serde(default)]
    pub(crate) host: Option<String>,
    #[serde(default)]
    pub(crate) url_prefix: Option<String>,
    #[serde(default)]
    pub(crate) regex: Option<String>,
    #[serde(default)]
    pub(crate) scheme: Option<String>,
}

impl FileRule {
    /// The rule's matchers, in the contract's order (exactly one is valid).
    pub(crate) fn matchers(&self) -> Vec<Matcher> {
        [
            self.domain.clone().map(Matcher::Domain),
            self.host.clone().map(Matcher::Host),
            self.url_prefix.clone().map(Matcher::UrlPrefix),
            self.regex.clone().map(Matcher::Regex),
            self.scheme.clone().map(Matcher::Scheme),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileList {
    pub(crate) id: String,
    pub(crate) format: ListFormat,
    pub(crate) action: Action,
    #[serde(default)]
    pub(crate) category: Category,
    #[serde(default)]
    pub(crate) hard: bool,
    #[serde(default)]
    pub(crate) shadow: bool,
    #[serde(default)]
    pub(crate) chats: Option<Vec<ChatKind>>,
    #[serde(default)]
    pub(crate) min_members: Option<u32>,
    #[serde(default)]
    pub(crate) priority: i32,
    #[serde(default)]
    pub(crate) path: Option<String>,
}

impl From<FileList> for List {
    fn from(f: FileList) -> Self {
        List {
            id: f.id,
            format: f.format,
            action: f.action,
            category: f.category,
            hard: f.hard,
            shadow: f.shadow,
            chats: f.chats,
            min_members: f.min_members,
            priority: f.priority,
            path: f.path,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileTracking {
    #[serde(default)]
    pub(crate) params: Vec<String>,
    #[serde(default)]
    pub(crate) builtin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileWrappers {
    #[serde(default)]
    pub(crate) builtin: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileLookalike {
    #[serde(default)]
    pub(crate) action: Option<Action>,
    #[serde(default)]
    pub(crate) protect: Vec<String>,
    /// The opt-in typosquat floor (issue #21).
    #[serde(default)]
    pub(crate) typosquat: bool,
    /// The opt-in embedded-domain floor (issue #21).
    #[serde(default)]
    pub(crate) embedded: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileUser {
    #[serde(default)]
    pub(crate) allow_trust: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileComplaints {
    #[serde(default, deserialize_with = "unique_keys")]
    pub(crate) thresholds: BTreeMap<Category, Threshold>,
}

/// A map whose keys must be unique: a key given twice is an error naming it
/// (`duplicate key `A``), in every format. TOML's parser refuses them itself;
/// JSON's would keep the last value and drop the first without a word.
fn unique_keys<'de, D, K, V>(deserializer: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);

    impl<'de, K, V> serde::de::Visitor<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a table")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<K>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}
