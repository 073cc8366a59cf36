//! The caller's inputs: where a link was shared, by whom, and the user's own choices.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ParseNameError;
use crate::error::{Error, Item};
use crate::link::domain::{DomainSet, normalize_domain};

/// The kind of chat a link was shared in.
#[derive(Clone, Copy, Debug, Deserialize, Eq, Hash, Ord, PartialEq, PartialOrd, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChatKind {
    /// A one-to-one (private) chat.
    OneToOne,
    /// A group chat.
    Group,
}

impl ChatKind {
    /// The kind's name as written in a policy file: `one_to_one` or `group`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneToOne => "one_to_one",
            Self::Group => "group",
        }
    }
}

impl fmt::Display for ChatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `one_to_one` or `group`, as in JSON and policy files.
impl std::str::FromStr for ChatKind {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &["one_to_one", "group"];
        ParseNameError::find("chat kind", s, NAMES, &[Self::OneToOne, Self::Group])
    }
}

/// Where and for whom a link is classified.
///
/// The library has no clock and no randomness: the time, the user id and the
/// client version come from the host app. Gates that need one of them do not pass
/// when it is absent.
///
/// # Example
///
/// ```
/// use linkpolicy::{ChatKind, Context, Mode, Prefs};
///
/// let ctx = Context::group(250)
///     .with_user("alice")
///     .with_client_version("8.0.16")
///     .with_now(1_631_836_800)
///     .with_prefs(Prefs::new().with_mode(Mode::Ask));
/// assert_eq!(ctx.chat(), ChatKind::Group);
/// assert_eq!(ctx.members(), Some(250));
/// ```
///
/// # Deserializing
///
/// A context deserializes from the context fields of a request line of
/// [the example program](crate#the-example-program),
/// each optional: `chat` (`one_to_one`, the default, or `group`), `members` (required
/// for a group, refused for a one-to-one chat), `user`, `client_version`, `now`,
/// `prefs` and `display_text`. Unknown fields are an error. To read a whole request
/// line (with its `link`), use [`Request`](crate::Request).
///
/// ```
/// use linkpolicy::{ChatKind, Context};
///
/// let ctx: Context = serde_json::from_str(r#"{"chat": "group", "members": 250, "now": 1631836800}"#)?;
/// assert_eq!((ctx.chat(), ctx.members(), ctx.now()), (ChatKind::Group, Some(250), Some(1631836800)));
/// assert!(serde_json::from_str::<Context>(r#"{"chat": "group"}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Deserialize, Eq, PartialEq)]
#[serde(try_from = "RawContext")]
pub struct Context {
    chat: ChatKind,
    members: Option<u32>,
    user: Option<String>,
    client_version: Option<Version>,
    client_version_text: Option<String>,
    now: Option<i64>,
    prefs: Prefs,
    display_text: Option<String>,
}

impl Context {
    /// A one-to-one chat.
    pub fn one_to_one() -> Self {
        Self::new(ChatKind::OneToOne, None)
    }

    /// A group chat with this many members.
    pub fn group(members: u32) -> Self {
        Self::new(ChatKind::Group, Some(members))
    }

    fn new(chat: ChatKind, members: Option<u32>) -> Self {
        Self {
            chat,
            members,
            user: None,
            client_version: None,
            client_version_text: None,
            now: None,
            prefs: Prefs::default(),
            display_text: None,
        }
    }

    /// Sets the user id, used for `percent` rollout buckets.
    #[must_use]
    pub fn with_user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// Sets the client version, such as `8.0.16`, for `min_client` gates. A version
    /// that is not dotted numbers counts as unknown: `min_client` gates do not pass.
    #[must_use]
    pub fn with_client_version(mut self, version: &str) -> Self {
        self.client_version = Some(Version::parse(version).unwrap_or(Version::Invalid));
        self.client_version_text = Some(version.to_owned());
        self
    }

    /// Sets the current time in unix seconds, for `from`/`until` gates.
    #[must_use]
    pub fn with_now(mut self, unix_seconds: i64) -> Self {
        self.now = Some(unix_seconds);
        self
    }

    /// Sets the user's preferences.
    #[must_use]
    pub fn with_prefs(mut self, prefs: Prefs) -> Self {
        self.prefs = prefs;
        self
    }

    /// Sets the text a rich-text or markdown message shows for the link, when it
    /// differs from the link. When that text itself looks like a URL or a domain
    /// whose registrable domain is not the destination's, the verdict is at least
    /// a hard warn (`masked_link`).
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy, Reason};
    ///
    /// let policy = Policy::from_toml_str("version = 1\n[defaults]\none_to_one = \"allow\"")?;
    /// let ctx = Context::one_to_one().with_display_text("https://www.jd.com/");
    /// let v = policy.classify("https://jd-refund.example/", &ctx);
    /// assert_eq!((v.action(), v.is_hard()), (Action::Warn, true));
    /// assert_eq!(v.reason(), Some(&Reason::MaskedLink { shown: "jd.com".into() }));
    /// // Words are not a domain; the same registrable domain is no mask.
    /// let words = Context::one_to_one().with_display_text("京东优惠券");
    /// assert_eq!(policy.classify("https://jd-refund.example/", &words).action(), Action::Allow);
    /// let same = Context::one_to_one().with_display_text("jd.com");
    /// assert_eq!(policy.classify("https://item.jd.com/1.html", &same).action(), Action::Allow);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_display_text(mut self, text: impl Into<String>) -> Self {
        self.display_text = Some(text.into());
        self
    }

    /// The chat kind.
    pub fn chat(&self) -> ChatKind {
        self.chat
    }

    /// The member count of a group chat; `None` for a one-to-one chat.
    pub fn members(&self) -> Option<u32> {
        self.members
    }

    /// The user id, when set (see [`with_user`](Self::with_user)).
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The client version as given, when set (see
    /// [`with_client_version`](Self::with_client_version)), even when it is not
    /// dotted numbers and so counts as unknown.
    pub fn client_version(&self) -> Option<&str> {
        self.client_version_text.as_deref()
    }

    /// The current time in unix seconds, when set (see [`with_now`](Self::with_now)).
    pub fn now(&self) -> Option<i64> {
        self.now
    }

    /// The user's preferences (see [`with_prefs`](Self::with_prefs)).
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// The text the link is shown with, when set (see
    /// [`with_display_text`](Self::with_display_text)).
    pub fn display_text(&self) -> Option<&str> {
        self.display_text.as_deref()
    }

    /// The user id, when set.
    #[deprecated(since = "0.1.0", note = "renamed `user`, to pair with `with_user`")]
    pub fn user_id(&self) -> Option<&str> {
        self.user()
    }

    /// The current time, when set.
    #[deprecated(since = "0.1.0", note = "renamed `now`, to pair with `with_now`")]
    pub fn now_seconds(&self) -> Option<i64> {
        self.now()
    }

    /// The user's preferences.
    #[deprecated(since = "0.1.0", note = "renamed `prefs`, to pair with `with_prefs`")]
    pub fn preferences(&self) -> &Prefs {
        self.prefs()
    }

    /// The text the link is shown with, when set.
    #[deprecated(
        since = "0.1.0",
        note = "renamed `display_text`, to pair with `with_display_text`"
    )]
    pub fn shown_text(&self) -> Option<&str> {
        self.display_text()
    }

    /// The same context in another chat: only the kind and size change.
    pub(crate) fn in_chat(&self, chat: ChatKind, members: Option<u32>) -> Self {
        Self {
            chat,
            members,
            ..self.clone()
        }
    }

    pub(crate) fn version(&self) -> Option<&Version> {
        self.client_version
            .as_ref()
            .filter(|v| !matches!(v, Version::Invalid))
    }
}

/// The fields of a section-8 request object: the context's, plus the request's
/// subject (`link`, or `text` for a message), which [`Context`]'s own
/// deserialization refuses and [`Request`](crate::Request) takes out first. One
/// definition, so every reader of a request line names the same fields.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawContext {
    #[serde(default)]
    pub(crate) link: Option<String>,
    #[serde(default)]
    pub(crate) text: Option<String>,
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
    pub(crate) prefs: Option<Prefs>,
    #[serde(default)]
    pub(crate) display_text: Option<String>,
}

/// Why the context fields of a request make no context.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum ContextProblem {
    /// `chat = "group"` without `members`: guessing a size would silently skip
    /// `min_members` rules.
    GroupWithoutMembers,
    /// `members` without `chat = "group"`: most likely a group sent without its
    /// kind; reading it as one-to-one would judge it by the wrong default.
    MembersWithoutGroup,
    /// A subject field (`link` or `text`) where only a context is read.
    Subject(&'static str),
}

impl ContextProblem {
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::GroupWithoutMembers => "a group request needs `members`",
            Self::MembersWithoutGroup => "`members` is only for a group (`\"chat\": \"group\"`)",
            Self::Subject("link") => "a context has no `link`",
            Self::Subject(_) => "a context has no `text`",
        }
    }
}

impl fmt::Display for ContextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl RawContext {
    /// The context of these fields (the subject fields are the caller's business).
    pub(crate) fn context(self) -> Result<Context, ContextProblem> {
        let mut ctx = match (self.chat.unwrap_or(ChatKind::OneToOne), self.members) {
            (ChatKind::Group, Some(members)) => Context::group(members),
            (ChatKind::Group, None) => return Err(ContextProblem::GroupWithoutMembers),
            (_, Some(_)) => return Err(ContextProblem::MembersWithoutGroup),
            (_, None) => Context::one_to_one(),
        };
        ctx.user = self.user;
        if let Some(v) = &self.client_version {
            ctx = ctx.with_client_version(v);
        }
        ctx.now = self.now;
        if let Some(prefs) = self.prefs {
            ctx.prefs = prefs;
        }
        ctx.display_text = self.display_text;
        Ok(ctx)
    }
}

impl TryFrom<RawContext> for Context {
    type Error = ContextProblem;

    fn try_from(raw: RawContext) -> Result<Self, ContextProblem> {
        if raw.link.is_some() {
            return Err(ContextProblem::Subject("link"));
        }
        if raw.text.is_some() {
            return Err(ContextProblem::Subject("text"));
        }
        raw.context()
    }
}

/// How a user wants external links treated.
#[derive(Clone, Copy, Debug, Default, Deserialize, Eq, Hash, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Mode {
    /// The policy decides.
    #[default]
    Default,
    /// Every link the policy would open directly gets a warning page first.
    Ask,
    /// Every link is refused.
    BlockExternal,
}

impl Mode {
    /// The mode's name as in JSON: `default`, `ask` or `block_external`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Ask => "ask",
            Self::BlockExternal => "block_external",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `default`, `ask` or `block_external`, as in JSON.
impl std::str::FromStr for Mode {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, ParseNameError> {
        const NAMES: &[&str] = &["default", "ask", "block_external"];
        ParseNameError::find(
            "mode",
            s,
            NAMES,
            &[Self::Default, Self::Ask, Self::BlockExternal],
        )
    }
}

/// A user's own choices: a mode and lists of trusted and blocked domains (each
/// covers its subdomains).
///
/// Preferences usually arrive from the host app as data; deserializing them checks
/// every domain, so a bad entry is an error to show the user, not a silent no-op.
///
/// # Example
///
/// ```
/// use linkpolicy::{Mode, Prefs};
///
/// let prefs = Prefs::from_lists(Mode::Default, ["jd.com"], ["spam.example"])?;
/// assert!(prefs.trusted().any(|d| d == "jd.com"));
///
/// let json: Prefs = serde_json::from_str(r#"{"mode": "ask", "blocked": ["SPAM.example."]}"#)?;
/// assert_eq!(json.blocked().collect::<Vec<_>>(), ["spam.example"]);
/// assert!(serde_json::from_str::<Prefs>(r#"{"trusted": ["not a domain"]}"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, Deserialize, Eq, PartialEq)]
#[serde(try_from = "RawPrefs")]
pub struct Prefs {
    mode: Mode,
    trusted: DomainSet,
    blocked: DomainSet,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrefs {
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    trusted: Vec<String>,
    #[serde(default)]
    blocked: Vec<String>,
}

impl TryFrom<RawPrefs> for Prefs {
    type Error = Error;

    fn try_from(raw: RawPrefs) -> Result<Self, Error> {
        Prefs::from_lists(raw.mode, raw.trusted, raw.blocked)
    }
}

impl Prefs {
    /// Default mode, no lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Preferences from a mode and two domain lists.
    ///
    /// # Errors
    ///
    /// An [`ErrorKind::InvalidDomain`](crate::ErrorKind::InvalidDomain) error for each entry that is not a valid
    /// domain, naming the list (`trusted` or `blocked`) and the entry's index.
    pub fn from_lists<T, B, S1, S2>(mode: Mode, trusted: T, blocked: B) -> Result<Self, Error>
    where
        T: IntoIterator<Item = S1>,
        B: IntoIterator<Item = S2>,
        S1: AsRef<str>,
        S2: AsRef<str>,
    {
        let mut errors = Vec::new();
        let trusted = domain_set("trusted", trusted, &mut errors);
        let blocked = domain_set("blocked", blocked, &mut errors);
        match Error::collect(errors) {
            Some(e) => Err(e),
            None => Ok(Self {
                mode,
                trusted,
                blocked,
            }),
        }
    }

    /// Sets the mode.
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The mode (see [`with_mode`](Self::with_mode)).
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The mode.
    #[deprecated(since = "0.1.0", note = "renamed `mode`, to pair with `with_mode`")]
    pub fn current_mode(&self) -> Mode {
        self.mode()
    }

    /// The trusted domains, normalized.
    pub fn trusted(&self) -> impl Iterator<Item = &str> {
        self.trusted.iter()
    }

    /// The blocked domains, normalized.
    pub fn blocked(&self) -> impl Iterator<Item = &str> {
        self.blocked.iter()
    }

    pub(crate) fn trusts(&self, host: &str) -> bool {
        self.trusted.covers(host)
    }

    pub(crate) fn blocks(&self, host: &str) -> bool {
        self.blocked.covers(host)
    }

    pub(crate) fn has_trusted(&self) -> bool {
        !self.trusted.is_empty()
    }

    pub(crate) fn has_blocked(&self) -> bool {
        !self.blocked.is_empty()
    }

    /// Whether the user made no choice at all: the default mode, nothing
    /// trusted or blocked. Such preferences change no verdict.
    pub(crate) fn is_default(&self) -> bool {
        self.mode == Mode::Default && self.trusted.is_empty() && self.blocked.is_empty()
    }
}

fn domain_set<I, S>(list: &str, items: I, errors: &mut Vec<Error>) -> DomainSet
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut set = DomainSet::default();
    for (i, item) in items.into_iter().enumerate() {
        match normalize_domain(item.as_ref()) {
            Ok(d) => set.insert(d),
            Err(e) => errors.push(e.with_item(Item::new(format!("prefs.{list}"), Some(i), None))),
        }
    }
    set
}

/// A dotted version such as `8.0.16`; missing parts are 0, so `8.1` = `8.1.0`.
#[derive(Clone, Debug, Eq)]
pub(crate) enum Version {
    Parts(Vec<u64>),
    /// A version string that is not dotted numbers.
    Invalid,
}

impl Version {
    pub(crate) fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let mut parts = text
            .split('.')
            .map(|p| {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse::<u64>().ok()
                }
            })
            .collect::<Option<Vec<u64>>>()?;
        while parts.last() == Some(&0) {
            parts.pop();
        }
        Some(Version::Parts(parts))
    }

    fn parts(&self) -> &[u64] {
        match self {
            Version::Parts(p) => p,
            Version::Invalid => &[],
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        // Trailing zeros are stripped at parse time, so slices compare as versions.
        self.parts().cmp(other.parts())
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = self.parts();
        if parts.is_empty() {
            return f.write_str("0");
        }
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn versions_compare_by_numbers() {
        assert!(v("8.1") > v("8.0.16"));
        assert_eq!(v("8.1"), v("8.1.0"));
        assert!(v("8.0.16") > v("8.0.9"));
        assert!(v("10") > v("9.9.9"));
        assert_eq!(v("8.0.16").cmp(&v("8.0.16")), Ordering::Equal);
    }

    /// Each getter returns what its `with_` setter set, and nothing when unset.
    #[test]
    fn getters_pair_with_setters() {
        let empty = Context::one_to_one();
        assert_eq!(
            (
                empty.user(),
                empty.client_version(),
                empty.now(),
                empty.display_text()
            ),
            (None, None, None, None)
        );
        assert_eq!(empty.prefs().mode(), Mode::Default);
        let ctx = Context::group(3)
            .with_user("alice")
            .with_client_version("beta")
            .with_now(-5)
            .with_prefs(Prefs::new().with_mode(Mode::Ask))
            .with_display_text("jd.com");
        assert_eq!(ctx.user(), Some("alice"));
        // Kept as given, though it is no version and gates treat it as unknown.
        assert_eq!(ctx.client_version(), Some("beta"));
        assert!(ctx.version().is_none());
        assert_eq!(ctx.now(), Some(-5));
        assert_eq!(ctx.prefs().mode(), Mode::Ask);
        assert_eq!(ctx.display_text(), Some("jd.com"));
        let ctx = ctx.with_client_version("8.0.16");
        assert_eq!(ctx.client_version(), Some("8.0.16"));
        assert_eq!(ctx.version(), Some(&v("8.0.16")));
    }

    /// Only preferences without any choice are default: each choice alone
    /// makes them not so (the verdict then applies them).
    #[test]
    fn default_prefs() {
        let none: [&str; 0] = [];
        assert!(Prefs::new().is_default());
        assert!(!Prefs::new().with_mode(Mode::Ask).is_default());
        assert!(!Prefs::new().with_mode(Mode::BlockExternal).is_default());
        assert!(
            !Prefs::from_lists(Mode::Default, ["jd.com"], none)
                .unwrap()
                .is_default()
        );
        assert!(
            !Prefs::from_lists(Mode::Default, none, ["jd.com"])
                .unwrap()
                .is_default()
        );
    }

    #[test]
    fn bad_versions() {
        for s in ["", "8.x", "8..1", "v8", "8.0.16-beta", "-1"] {
            assert!(Version::parse(s).is_none(), "{s}");
        }
        assert!(
            Context::one_to_one()
                .with_client_version("beta")
                .version()
                .is_none()
        );
    }

    #[test]
    fn prefs_errors_name_list_and_index() {
        let e = Prefs::from_lists(Mode::Default, ["jd.com", "bad domain"], ["*.x"]).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(e.item().unwrap().section(), "prefs.trusted");
        assert_eq!(e.item().unwrap().index(), Some(1));
    }
}
