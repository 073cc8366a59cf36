//! Our outputs: the verdict and its reasons.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};

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

/// A verdict's reasons: the first two inline, since most verdicts have one.
pub(crate) type Reasons = smallvec::SmallVec<[Reason; 2]>;

/// Why a verdict is what it is. Serialized with a `kind` field in snake_case,
/// as the contract's section 7 names them.
#[derive(Clone, Debug, Eq, PartialEq, Serialize)]
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
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, Serialize)]
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
#[derive(Clone, Debug, Eq, PartialEq, Serialize)]
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
/// Serializes to the JSON object of the contract's section 7.
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
#[derive(Clone, Eq, PartialEq)]
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

impl Reason {
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
            Reason::IdnSpoof { .. } => "idn_spoof",
        }
    }
}
