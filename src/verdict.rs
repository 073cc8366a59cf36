//! Our outputs: the verdict and its reasons.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::{Action, Category};

/// The id of a rule, platform, tier or phase, cheap to clone.
#[derive(Clone, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub struct Id(Arc<str>);

impl Id {
    pub(crate) fn new(s: &str) -> Self {
        Self(Arc::from(s))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        Ok(Self::new(&s))
    }
}

/// A verdict's reasons: the first two inline, since most verdicts have one.
pub(crate) type Reasons = smallvec::SmallVec<[Reason; 2]>;

/// Why a verdict is what it is. Serialized (and deserialized) with a `kind` field
/// in snake_case, as [the verdict](crate#the-verdict)'s JSON names them; displayed as a short
/// message for people (`imitates jd.com`), [`Reason::kind`] being the name for
/// machines.
///
/// # Example
///
/// ```
/// use linkpolicy::Reason;
///
/// let r: Reason = serde_json::from_str(r#"{"kind": "lookalike", "of": "jd.com"}"#)?;
/// assert_eq!(r, Reason::Lookalike { of: "jd.com".into() });
/// assert_eq!(r.to_string(), "imitates jd.com");
/// assert_eq!(serde_json::to_string(&r)?, r#"{"kind":"lookalike","of":"jd.com"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// A rule decided, or (when not first) a floor or hop carried a rule's action.
    Rule {
        /// The rule's id.
        rule: Id,
        /// The rule's category.
        category: Category,
    },
    /// The host belongs to a platform whose tier decided.
    Platform {
        /// The platform's id.
        platform: Id,
        /// The tier's name.
        tier: Id,
    },
    /// Nothing matched: the policy's default for the chat kind.
    Default,
    /// Nothing matched: a phase's default for the chat kind.
    Phase {
        /// The phase's id.
        phase: Id,
    },
    /// A link of another scheme than http(s) that nothing matched.
    AppLink,
    /// `javascript:`, `data:`, `vbscript:`, `file:` or `blob:`: always blocked, hard.
    UnsafeScheme {
        /// The scheme, lowercase.
        scheme: String,
    },
    /// The link is not a URL, even as a browser reads it: blocked, hard.
    Invalid {
        /// What is wrong with it.
        detail: String,
    },
    /// The link is longer than the policy's `max_link_len`: blocked, hard.
    TooLong,
    /// The URL carries user info (`https://jd.com@evil.example/`): warn floor, hard.
    Userinfo,
    /// The host is an IP address: the `ip_host` floor.
    IpHost,
    /// The registrable domain is confusable with a protected one: hard floor.
    Lookalike {
        /// The protected domain it imitates.
        of: String,
    },
    /// A label mixes scripts: warn floor, hard.
    MixedScript,
    /// The link is a wrapper whose next hop is `to`.
    Redirect {
        /// The next hop's normalized URL.
        to: String,
    },
    /// More wrapper hops than the policy's `max_redirect_depth`: blocked, hard.
    RedirectDepth,
    /// Complaints about the registrable domain reached a threshold.
    Complaints {
        /// The complaints' category.
        category: Category,
        /// How many there are.
        count: u64,
    },
    /// The text the link is shown with names another domain: hard floor.
    MaskedLink {
        /// The domain the display text names.
        shown: String,
    },
    /// The user blocked a host of the link.
    UserBlocked,
    /// The user trusts every host of the link, and the warning was not hard.
    UserTrusted,
    /// The user's mode (`ask` or `block_external`) changed the action.
    UserMode,
    /// The link has a bidirectional control (U+202E and the like) between two
    /// of its characters, so it is not shown as it opens: blocked, hard.
    BidiControl,
    /// The link's wrappers lead to more hops than the crate reads (32, the link
    /// itself included): blocked, hard, since the hops not read could go
    /// anywhere.
    RedirectHops,
    /// A label of the host breaks one of the rules by which Chromium shows a
    /// host in punycode rather than Unicode: a hard floor at the policy's
    /// `[lookalike] action` (warn by default).
    IdnSpoof {
        /// The rule it breaks.
        rule: SpoofRule,
    },
}

/// The rule of Chromium's IDN spoof checker that a label breaks (the `rule` of
/// [`Reason::IdnSpoof`]), named after Chromium's `IDNSpoofChecker::Result`.
/// Serialized in snake_case.
#[derive(Clone, Copy, Debug, Deserialize, Eq, Hash, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpoofRule {
    /// A character outside the identifier characters Chromium allows
    /// (`Identifier_Status=Allowed`, less the quote, dash and rare-letter
    /// lookalikes it removes): symbols, emoji, historic scripts.
    CharacterNotAllowed,
    /// Decimal digits of more than one numbering system (ICU's mixed numbers).
    MixedNumbers,
    /// The same combining mark twice in a row (ICU's invisible-character check).
    Invisible,
    /// A character UTS #46 maps differently in transitional and non-transitional
    /// processing: `ß`, `ς`, zero-width joiner and non-joiner.
    DeviationCharacter,
    /// `þ` or `ð` outside `.is`, `ə` outside `.az`.
    TldSpecificCharacter,
    /// `·` other than between two `l`s under `.cat`.
    MiddleDot,
    /// Every letter of the label is a letter of another script that looks Latin
    /// (`ѕсоре` in Cyrillic), outside that script's own top-level domains.
    WholeScript,
    /// Only digits and characters that look like digits (`੨੨੨`, `1շ`).
    DigitLookalike,
    /// A Latin letter outside ASCII next to a non-Latin script (`héllo中国`).
    NonAsciiLatinMixed,
    /// A character that looks like punctuation or Latin next to other scripts,
    /// or a mark out of context (Chromium's dangerous patterns).
    DangerousPattern,
}

impl SpoofRule {
    /// The rule's name in snake_case, as in JSON (`whole_script`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            SpoofRule::CharacterNotAllowed => "character_not_allowed",
            SpoofRule::MixedNumbers => "mixed_numbers",
            SpoofRule::Invisible => "invisible",
            SpoofRule::DeviationCharacter => "deviation_character",
            SpoofRule::TldSpecificCharacter => "tld_specific_character",
            SpoofRule::MiddleDot => "middle_dot",
            SpoofRule::WholeScript => "whole_script",
            SpoofRule::DigitLookalike => "digit_lookalike",
            SpoofRule::NonAsciiLatinMixed => "non_ascii_latin_mixed",
            SpoofRule::DangerousPattern => "dangerous_pattern",
        }
    }
}

impl fmt::Display for SpoofRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A shadow rule that matched: what it would have decided had it been enforced.
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ShadowMatch {
    /// The rule's id.
    pub rule: Id,
    /// The action it would have taken.
    pub action: Action,
}

/// The answer to "may this link be opened here?": an action, whether it is hard,
/// the reasons (the deciding one first), and what the link means.
///
/// Serializes to the JSON object described in [the verdict](crate#the-verdict).
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, Reason};
///
/// let policy = Policy::from_toml_str(r#"
/// version = 1
/// [defaults]
/// one_to_one = "warn"
/// "#)?;
/// let v = policy.classify("HTTPS://x@Item.JD.com./1.html", &Context::one_to_one());
/// assert_eq!(v.action(), Action::Warn);
/// assert_eq!(v.url(), Some("https://item.jd.com/1.html"));
/// assert_eq!(v.host(), Some("item.jd.com"));
/// assert_eq!(v.registrable_domain(), Some("jd.com"));
/// assert!(v.reasons().any(|r| *r == Reason::Userinfo));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Reading a verdict back
///
/// A verdict also deserializes from that JSON, so a service can read back what
/// another one stored: `Verdict::deserialize` of `to_json` gives an equal verdict.
/// Fields it does not know (written by a later version) are ignored; a `host`
/// that is not the host of `url`, or a `registrable_domain` that does not end
/// `host`, is an error, as is a missing field of the verdict's JSON (`shadow` excepted).
///
/// ```
/// use linkpolicy::{Context, Policy, Verdict, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let v = policy.classify("https://t.cn/A6abc", &Context::group(250));
/// let stored = v.to_json();
/// let read: Verdict = serde_json::from_str(&stored)?;
/// assert_eq!(read, v);
/// assert_eq!(read.to_json(), stored);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Verdict {
    pub(crate) action: Action,
    pub(crate) hard: bool,
    pub(crate) reasons: Reasons,
    /// The normalized URL; the host and registrable domain are slices of it, so
    /// a verdict costs one string in the common case.
    pub(crate) url: Option<String>,
    /// Where the host lies in `url`.
    pub(crate) host: Option<(u32, u32)>,
    /// Where the registrable domain starts in `url` (it ends with the host).
    pub(crate) registrable_start: Option<u32>,
    pub(crate) platform: Option<Id>,
    /// The destination: most often the URL itself.
    pub(crate) destination: Derived,
    /// The clean URL: most often the destination itself.
    pub(crate) clean_url: Derived,
    pub(crate) shadow: Vec<ShadowMatch>,
    /// The revision of the policy that decided
    /// ([`Policy::revision`](crate::Policy::revision)); not part of the JSON
    /// verdict.
    pub(crate) policy_revision: Option<u64>,
}

/// A URL of a verdict that is most often the same as the one before it.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) enum Derived {
    /// The same as the URL before it (`destination` as `url`, `clean_url` as
    /// `destination`).
    Same,
    /// Its own.
    Own(Option<String>),
}

impl Verdict {
    /// Open, warn first, or refuse.
    pub fn action(&self) -> Action {
        self.action
    }

    /// Whether the verdict is hard: no user preference can relax it.
    pub fn is_hard(&self) -> bool {
        self.hard
    }

    /// The reasons, the deciding one first.
    pub fn reasons(&self) -> std::slice::Iter<'_, Reason> {
        self.reasons.iter()
    }

    /// The deciding reason.
    pub fn reason(&self) -> Option<&Reason> {
        self.reasons.first()
    }

    /// The ids of the rules among the reasons, the deciding one first.
    pub fn rule_ids(&self) -> impl Iterator<Item = &Id> {
        self.reasons.iter().filter_map(|r| match r {
            Reason::Rule { rule, .. } => Some(rule),
            _ => None,
        })
    }

    /// The normalized URL of the link (no user info, host as matched); `None` when
    /// the link could not be read.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The link's host in ASCII, without a trailing dot.
    pub fn host(&self) -> Option<&str> {
        let (start, end) = self.host?;
        self.url.as_deref()?.get(start as usize..end as usize)
    }

    /// The host as a warning page should show it to a person: labels in
    /// Unicode (`京东.com` for `xn--xhq9m.com`), as a browser's address bar
    /// shows them, except when the verdict calls the host a `lookalike` or
    /// `mixed_script` one: then it stays in ASCII (`xn--…`), as browsers show a
    /// spoofing host, so the page does not show the imitation it warns about.
    /// A host that is already ASCII, or whose labels do not decode, is returned
    /// as it is, borrowed.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy};
    ///
    /// let policy = Policy::from_toml_str("version = 1")?;
    /// let v = policy.classify("https://京东.com/", &Context::one_to_one());
    /// assert_eq!(v.host(), Some("xn--xhq9m.com"));
    /// assert_eq!(v.host_unicode().as_deref(), Some("京东.com"));
    /// let plain = policy.classify("https://jd.com/", &Context::one_to_one());
    /// assert_eq!(plain.host_unicode().as_deref(), Some("jd.com"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn host_unicode(&self) -> Option<Cow<'_, str>> {
        let host = self.host()?;
        let encoded = host.split('.').any(|label| {
            label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        });
        let spoofing = self
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::Lookalike { .. } | Reason::MixedScript));
        if !encoded || spoofing {
            return Some(Cow::Borrowed(host));
        }
        match idna::domain_to_unicode(host) {
            (unicode, Ok(())) => Some(Cow::Owned(unicode)),
            (_, Err(_)) => Some(Cow::Borrowed(host)),
        }
    }

    /// The registrable domain of the host, from the Public Suffix List.
    pub fn registrable_domain(&self) -> Option<&str> {
        let (_, end) = self.host?;
        self.url
            .as_deref()?
            .get(self.registrable_start? as usize..end as usize)
    }

    /// The id of the platform the host belongs to.
    pub fn platform(&self) -> Option<&Id> {
        self.platform.as_ref()
    }

    /// The last hop: where the link really goes after unwrapping wrappers.
    pub fn destination(&self) -> Option<&str> {
        match &self.destination {
            Derived::Same => self.url(),
            Derived::Own(url) => url.as_deref(),
        }
    }

    /// The destination without tracking parameters.
    pub fn clean_url(&self) -> Option<&str> {
        match &self.clean_url {
            Derived::Same => self.destination(),
            Derived::Own(url) => url.as_deref(),
        }
    }

    /// The shadow rules that matched, with the action each would have taken.
    pub fn shadow(&self) -> std::slice::Iter<'_, ShadowMatch> {
        self.shadow.iter()
    }

    /// The revision of the policy that decided
    /// ([`Policy::revision`](crate::Policy::revision)), to write next to the
    /// verdict in an audit log. It is not one of the JSON verdict's
    /// fields, so a verdict read back from JSON has none, and
    /// verdicts that read the same are equal whatever their policies' revisions.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy, Verdict, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let v = policy.classify("https://item.jd.com/1.html", &Context::one_to_one());
    /// assert_eq!(v.policy_revision(), Some(policy.revision()));
    /// let audit = format!("{:016x} {}", policy.revision(), v.to_json());
    /// assert!(audit.ends_with(&v.to_json()));
    ///
    /// let read: Verdict = serde_json::from_str(&v.to_json())?;
    /// assert_eq!(read.policy_revision(), None);
    /// assert_eq!(read, v);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn policy_revision(&self) -> Option<u64> {
        self.policy_revision
    }

    /// The verdict as one line of JSON, the example program's output format.
    #[cfg(feature = "json")]
    pub fn to_json(&self) -> String {
        // A verdict is plain data whose map keys are all strings: serializing it
        // cannot fail, but never panic if it somehow did.
        serde_json::to_string(self)
            .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize verdict: {e}\"}}"))
    }
}

/// The fields of section 7, in its order, whatever the verdict's own layout.
impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut v = s.serialize_struct("Verdict", 10)?;
        v.serialize_field("action", &self.action)?;
        v.serialize_field("hard", &self.hard)?;
        v.serialize_field("reasons", &self.reasons[..])?;
        v.serialize_field("url", &self.url())?;
        v.serialize_field("host", &self.host())?;
        v.serialize_field("registrable_domain", &self.registrable_domain())?;
        v.serialize_field("platform", &self.platform)?;
        v.serialize_field("destination", &self.destination())?;
        v.serialize_field("clean_url", &self.clean_url())?;
        v.serialize_field("shadow", &self.shadow)?;
        v.end()
    }
}

/// Verdicts are equal when they read the same: every field of the verdict's JSON.
impl PartialEq for Verdict {
    fn eq(&self, other: &Self) -> bool {
        self.action == other.action
            && self.hard == other.hard
            && self.reasons == other.reasons
            && self.url == other.url
            && self.host() == other.host()
            && self.registrable_domain() == other.registrable_domain()
            && self.platform == other.platform
            && self.destination() == other.destination()
            && self.clean_url() == other.clean_url()
            && self.shadow == other.shadow
    }
}

impl Eq for Verdict {}

/// The fields of section 7, as [`Verdict`]'s `Serialize` writes them.
#[derive(Deserialize)]
struct RawVerdict {
    action: Action,
    hard: bool,
    reasons: Vec<Reason>,
    url: Option<String>,
    host: Option<String>,
    registrable_domain: Option<String>,
    platform: Option<Id>,
    destination: Option<String>,
    clean_url: Option<String>,
    #[serde(default)]
    shadow: Vec<ShadowMatch>,
}

impl<'de> Deserialize<'de> for Verdict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawVerdict::deserialize(d)?;
        Verdict::from_raw(raw).map_err(serde::de::Error::custom)
    }
}

impl Verdict {
    /// A verdict from its JSON fields: the host located in the URL, the
    /// registrable domain at the end of the host, URLs equal to the one before
    /// them shared.
    fn from_raw(raw: RawVerdict) -> Result<Self, &'static str> {
        let to_u32 = |n: usize| u32::try_from(n).map_err(|_| "`url` is too long");
        let host = match (&raw.url, &raw.host) {
            (Some(url), Some(host)) => {
                let (start, end) =
                    host_range(url, host).ok_or("`host` is not the host of `url`")?;
                Some((to_u32(start)?, to_u32(end)?))
            }
            (None, Some(_)) => return Err("`host` without `url`"),
            (_, None) => None,
        };
        let registrable_start = match (&raw.host, &raw.registrable_domain, host) {
            (Some(h), Some(r), Some((_, end))) => {
                let at_label = h.len() == r.len() || h.ends_with(&format!(".{r}"));
                if !(h.ends_with(r.as_str()) && at_label && !r.is_empty()) {
                    return Err("`registrable_domain` does not end `host`");
                }
                let len = to_u32(r.len())?;
                Some(
                    end.checked_sub(len)
                        .ok_or("`registrable_domain` does not end `host`")?,
                )
            }
            (_, Some(_), _) => return Err("`registrable_domain` without `host`"),
            (_, None, _) => None,
        };
        let destination = if raw.destination == raw.url {
            Derived::Same
        } else {
            Derived::Own(raw.destination.clone())
        };
        let clean_url = if raw.clean_url == raw.destination {
            Derived::Same
        } else {
            Derived::Own(raw.clean_url)
        };
        Ok(Verdict {
            action: raw.action,
            hard: raw.hard,
            reasons: raw.reasons.into_iter().collect(),
            url: raw.url,
            host,
            registrable_start,
            platform: raw.platform,
            destination,
            clean_url,
            shadow: raw.shadow,
            policy_revision: None,
        })
    }
}

/// Where `host` lies in `url`: right after `scheme://`, followed by the end, a
/// port, a path, a query or a fragment.
fn host_range(url: &str, host: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let rest = url.get(start..)?;
    let after = rest.strip_prefix(host)?;
    if host.is_empty() || !(after.is_empty() || after.starts_with([':', '/', '?', '#'])) {
        return None;
    }
    Some((start, start + host.len()))
}

impl fmt::Debug for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verdict")
            .field("action", &self.action)
            .field("hard", &self.hard)
            .field("reasons", &&self.reasons[..])
            .field("url", &self.url())
            .field("host", &self.host())
            .field("registrable_domain", &self.registrable_domain())
            .field("platform", &self.platform)
            .field("destination", &self.destination())
            .field("clean_url", &self.clean_url())
            .field("shadow", &self.shadow)
            .finish()
    }
}

impl fmt::Display for Verdict {
    /// `warn (hard): rule fraud-0001, userinfo`: the action and the reason kinds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action.as_str())?;
        if self.hard {
            f.write_str(" (hard)")?;
        }
        for (i, r) in self.reasons.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { ", " })?;
            match r {
                Reason::Rule { rule, .. } => write!(f, "rule {rule}")?,
                Reason::Platform { platform, tier } => {
                    write!(f, "platform {platform} (tier {tier})")?
                }
                Reason::Phase { phase } => write!(f, "phase {phase}")?,
                Reason::Lookalike { of } => write!(f, "lookalike of {of}")?,
                Reason::Redirect { to } => write!(f, "redirect to {to}")?,
                Reason::Complaints { category, count } => {
                    write!(f, "complaints ({category}: {count})")?
                }
                Reason::MaskedLink { shown } => write!(f, "masked link shown as {shown}")?,
                Reason::UnsafeScheme { scheme } => write!(f, "unsafe scheme {scheme}")?,
                Reason::Invalid { detail } => write!(f, "invalid ({detail})")?,
                Reason::IdnSpoof { rule } => write!(f, "idn spoof ({rule})")?,
                other => f.write_str(other.kind())?,
            }
        }
        Ok(())
    }
}

/// A short message for people, in English: what the reason means for the link
/// (`the host is an IP address`, `rule fraud-0001 (fraud)`). Host apps that
/// translate their warning pages map [`Reason::kind`] instead.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Rule { rule, category } => write!(f, "rule {rule} ({category})"),
            Reason::Platform { platform, tier } => write!(f, "platform {platform}, tier {tier}"),
            Reason::Default => f.write_str("the policy's default for this chat"),
            Reason::Phase { phase } => write!(f, "the default of phase {phase} for this chat"),
            Reason::AppLink => f.write_str("a link into an app"),
            Reason::UnsafeScheme { scheme } => write!(f, "unsafe scheme {scheme}:"),
            Reason::Invalid { detail } => write!(f, "not a valid link: {detail}"),
            Reason::TooLong => f.write_str("the link is too long"),
            Reason::Userinfo => f.write_str("the link hides its host behind user info"),
            Reason::IpHost => f.write_str("the host is an IP address"),
            Reason::Lookalike { of } => write!(f, "imitates {of}"),
            Reason::MixedScript => f.write_str("the host mixes scripts"),
            Reason::Redirect { to } => write!(f, "redirects to {to}"),
            Reason::RedirectDepth => f.write_str("too many redirects"),
            Reason::Complaints { category, count } => {
                write!(f, "{count} complaints ({category})")
            }
            Reason::MaskedLink { shown } => write!(f, "shown as {shown} but goes elsewhere"),
            Reason::UserBlocked => f.write_str("blocked by the user"),
            Reason::UserTrusted => f.write_str("trusted by the user"),
            Reason::UserMode => f.write_str("the user's link setting"),
            Reason::BidiControl => {
                f.write_str("a bidirectional control makes the link read otherwise than it opens")
            }
            Reason::RedirectHops => f.write_str("too many wrapper targets"),
            Reason::IdnSpoof { rule } => {
                write!(f, "a browser would show the host in punycode ({rule})")
            }
        }
    }
}

impl Reason {
    /// Every reason kind, as [`Reason::kind`] names them.
    pub const KINDS: [&'static str; 22] = [
        "rule",
        "platform",
        "default",
        "phase",
        "app_link",
        "unsafe_scheme",
        "invalid",
        "too_long",
        "userinfo",
        "ip_host",
        "lookalike",
        "mixed_script",
        "redirect",
        "redirect_depth",
        "complaints",
        "masked_link",
        "user_blocked",
        "user_trusted",
        "user_mode",
        "bidi_control",
        "redirect_hops",
        "idn_spoof",
    ];

    /// The reason's kind in snake_case, as in its JSON `kind` field (`rule`, `default`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Rule { .. } => "rule",
            Reason::Platform { .. } => "platform",
            Reason::Default => "default",
            Reason::Phase { .. } => "phase",
            Reason::AppLink => "app_link",
            Reason::UnsafeScheme { .. } => "unsafe_scheme",
            Reason::Invalid { .. } => "invalid",
            Reason::TooLong => "too_long",
            Reason::Userinfo => "userinfo",
            Reason::IpHost => "ip_host",
            Reason::Lookalike { .. } => "lookalike",
            Reason::MixedScript => "mixed_script",
            Reason::Redirect { .. } => "redirect",
            Reason::RedirectDepth => "redirect_depth",
            Reason::Complaints { .. } => "complaints",
            Reason::MaskedLink { .. } => "masked_link",
            Reason::UserBlocked => "user_blocked",
            Reason::UserTrusted => "user_trusted",
            Reason::UserMode => "user_mode",
            Reason::BidiControl => "bidi_control",
            Reason::RedirectHops => "redirect_hops",
            Reason::IdnSpoof { .. } => "idn_spoof",
        }
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::Reason;

    /// `Reason::KINDS` lists exactly the kinds `Reason::kind` gives, in its order:
    /// read off the match arms of `kind` in this file, so a new variant that is
    /// not added to `KINDS` fails here (and `[[test]] reason = "..."` would refuse
    /// its kind).
    #[test]
    fn kinds_are_those_of_the_kind_method() {
        let source = include_str!("verdict.rs");
        let start = source
            .find("pub fn kind(&self) -> &'static str {")
            .unwrap_or_default();
        let body = source.get(start..).unwrap_or_default();
        let body = body
            .get(..body.find("\n    }\n").unwrap_or(0))
            .unwrap_or_default();
        let arms: Vec<&str> = body
            .lines()
            .filter_map(|l| l.split_once("=> \"")?.1.strip_suffix("\","))
            .collect();
        assert_eq!(arms.len(), 22, "{arms:?}");
        assert_eq!(arms, Reason::KINDS.to_vec());
    }
}
