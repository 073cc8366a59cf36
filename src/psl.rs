//! The Public Suffix List: registrable domains.

use std::fmt;
use std::sync::Arc;

use std::sync::{LazyLock, OnceLock};

use crate::error::{Error, ErrorKind};
use crate::matching::index::{MAX_KEY_LEN, SiteIndex};

/// The list shipped inside the crate (see `data/public_suffix_list.dat` for its version),
/// its rules and `VERSION:` line only (build.rs drops the comments).
static BUILTIN_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/public_suffix_list.dat"));

static BUILTIN: LazyLock<Arc<PublicSuffixList>> = LazyLock::new(|| {
    // The vendored list is tested to parse (`builtin_list_parses`).
    Arc::new(PublicSuffixList {
        rules: parse_rules(BUILTIN_TEXT),
        index: OnceLock::new(),
        version: version_of(BUILTIN_TEXT),
    })
});

/// A Public Suffix List, which tells the registrable domain of a host
/// (`item.jd.com` → `jd.com`, `a.b.github.io` → `b.github.io`).
///
/// The crate ships a copy ([`PublicSuffixList::builtin`]); a host app that updates
/// the list on its own schedule can pass a newer one to
/// [`PolicyBuilder::public_suffix_list`](crate::PolicyBuilder::public_suffix_list).
///
/// # Example
///
/// ```
/// use linkpolicy::PublicSuffixList;
///
/// let psl = PublicSuffixList::builtin();
/// assert_eq!(psl.registrable_domain("item.jd.com"), Some("jd.com"));
/// assert_eq!(psl.registrable_domain("www.sina.com.cn"), Some("sina.com.cn"));
/// assert_eq!(psl.registrable_domain("com.cn"), None);
/// ```
pub struct PublicSuffixList {
    /// The rules, for the site index of each policy built with the list (the
    /// publicsuffix crate checks the text in `from_dat`; matching is ours, in
    /// the site index, so verdicts and this type's methods agree).
    rules: Vec<SuffixRule>,
    /// The rules indexed, made on first use and copied into each policy's index.
    index: OnceLock<SiteIndex>,
    version: Option<String>,
}

pub(crate) use crate::matching::index::{SuffixKind, SuffixRule};

/// The rules of a list in the `public_suffix_list.dat` format: the first word of
/// each line that is not a comment, Unicode rules in their ASCII form. A rule
/// that is not a valid domain is left out, as the publicsuffix crate leaves it
/// out of its matching.
fn parse_rules(text: &str) -> Vec<SuffixRule> {
    let mut rules = Vec::new();
    for line in text.lines() {
        let Some(word) = line.split_whitespace().next() else {
            continue;
        };
        if word.starts_with("//") {
            continue;
        }
        let (kind, name) = if let Some(rest) = word.strip_prefix('!') {
            (SuffixKind::Exception, rest)
        } else if let Some(rest) = word.strip_prefix("*.") {
            (SuffixKind::Wildcard, rest)
        } else {
            (SuffixKind::Normal, word)
        };
        if name.is_empty() || name.contains('*') {
            continue;
        }
        let Ok(ascii) = idna::domain_to_ascii(name) else {
            continue;
        };
        if ascii.is_empty() || ascii.len() > MAX_KEY_LEN {
            continue;
        }
        rules.push(SuffixRule {
            suffix: ascii.into_boxed_str(),
            kind,
        });
    }
    rules
}

impl PublicSuffixList {
    /// The list shipped inside the crate, parsed on first use.
    pub fn builtin() -> Arc<PublicSuffixList> {
        Arc::clone(&BUILTIN)
    }

    /// Parses a list in the `public_suffix_list.dat` format.
    ///
    /// # Errors
    ///
    /// An error of kind [`ErrorKind::PublicSuffixList`] when the text is not a list
    /// or holds no rules.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::PublicSuffixList;
    ///
    /// let psl = PublicSuffixList::from_dat("// ===BEGIN ICANN DOMAINS===\ncom\ncn\ncom.cn\n")?;
    /// assert_eq!(psl.registrable_domain("a.b.com.cn"), Some("b.com.cn"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_dat(text: &str) -> Result<Self, Error> {
        let list = text.parse::<publicsuffix::List>().map_err(|e| {
            Error::new(
                ErrorKind::PublicSuffixList,
                format!("invalid public suffix list: {e}"),
            )
        })?;
        if list.is_empty() {
            return Err(Error::new(
                ErrorKind::PublicSuffixList,
                "invalid public suffix list: it has no rules",
            ));
        }
        Ok(Self {
            rules: parse_rules(text),
            index: OnceLock::new(),
            version: version_of(text),
        })
    }

    /// The registrable domain of a lowercase ASCII host name: the public suffix
    /// plus one label. `None` for a public suffix itself, an empty label, or a
    /// host that is not a domain name.
    ///
    /// The list is applied as its specification says; where the publicsuffix
    /// crate's matching differs (a wildcard rule under another wildcard, as in
    /// `*.run.app` and `*.mtls.run.app`: `mtls.run.app` is itself a public
    /// suffix), the specification is followed.
    pub fn registrable_domain<'a>(&self, host: &'a str) -> Option<&'a str> {
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() {
            return None;
        }
        let site = self.site_index().find_domain(host, false, &mut Vec::new());
        host.get(site.registrable_start?..)
    }

    /// Whether the host ends in a suffix the list names explicitly (`com`,
    /// `com.cn`, `github.io`), rather than one only the list's default rule
    /// allows (`corn`, `html`). A link finder uses it to tell `jd.com` from
    /// `file.html`.
    pub fn has_known_suffix(&self, host: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host);
        if host.is_empty() {
            return false;
        }
        // The index holds the list's rules in ASCII, lowercase: a Unicode or
        // upper-case host (`foobar.中国`, as a message writes it) is looked up in
        // that form.
        let ascii: std::borrow::Cow<'_, str> = if host
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            host.into()
        } else {
            match idna::domain_to_ascii(host) {
                Ok(a) => a.into(),
                Err(_) => return false,
            }
        };
        self.site_index()
            .find_domain(ascii.trim_end_matches('.'), false, &mut Vec::new())
            .known_suffix
    }

    /// A site index holding the list's rules: the start of every policy's.
    pub(crate) fn site_index(&self) -> &SiteIndex {
        self.index.get_or_init(|| {
            let mut index = SiteIndex::default();
            index.add_suffix_rules(&self.rules);
            index.shrink();
            index
        })
    }

    /// The list's version line (`VERSION: …` in its header), when it has one.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The list in the `public_suffix_list.dat` format, its rules in their ASCII
    /// form: what [`PublicSuffixList::from_dat`] reads back into the same rules
    /// (for snapshots and revisions).
    pub(crate) fn to_dat(&self) -> String {
        let mut text = String::new();
        if let Some(v) = &self.version {
            text.push_str("// VERSION: ");
            text.push_str(v);
            text.push('\n');
        }
        text.push_str("// ===BEGIN ICANN DOMAINS===\n");
        for r in &self.rules {
            text.push_str(match r.kind {
                SuffixKind::Normal => "",
                SuffixKind::Wildcard => "*.",
                SuffixKind::Exception => "!",
            });
            text.push_str(&r.suffix);
            text.push('\n');
        }
        text.push_str("// ===END ICANN DOMAINS===\n");
        text
    }
}

impl fmt::Debug for PublicSuffixList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicSuffixList")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

fn version_of(text: &str) -> Option<String> {
    text.lines()
        .take(40)
        .find_map(|l| l.trim_start_matches(['/', ' ']).strip_prefix("VERSION:"))
        .map(|v| v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_parses() {
        let published = include_str!("../data/public_suffix_list.dat");
        let list = published.parse::<publicsuffix::List>().unwrap();
        assert!(!list.is_empty());
        assert!(PublicSuffixList::builtin().version().is_some());
    }

    #[test]
    fn compact_builtin_is_the_published_list() {
        let published = include_str!("../data/public_suffix_list.dat");
        assert!(BUILTIN_TEXT.len() < published.len() / 2);
        assert_eq!(version_of(BUILTIN_TEXT), version_of(published));
        assert!(version_of(BUILTIN_TEXT).is_some());
        let compact = parse_rules(BUILTIN_TEXT);
        assert!(compact.len() > 9000);
        assert_eq!(compact, parse_rules(published));
    }

    #[test]
    fn private_section_counts() {
        let psl = PublicSuffixList::builtin();
        assert_eq!(psl.registrable_domain("a.b.github.io"), Some("b.github.io"));
    }

    #[test]
    fn unlisted_tld_uses_default_rule() {
        let psl = PublicSuffixList::builtin();
        assert_eq!(
            psl.registrable_domain("b.example.example"),
            Some("example.example")
        );
        assert_eq!(psl.registrable_domain("example"), None);
    }

    #[test]
    fn known_suffixes() {
        let psl = PublicSuffixList::builtin();
        for host in [
            "jd.com",
            "www.sina.com.cn",
            "a.github.io",
            "xn--xhq9m.com",
            "example.xn--fiqs8s",
        ] {
            assert!(psl.has_known_suffix(host), "{host}");
        }
        for host in ["foobar.中国", "JD.COM", "例子.公司.cn"] {
            assert!(psl.has_known_suffix(host), "{host}");
        }
        for host in ["file.html", "jd.corn", "8.0.16", "a.b", ""] {
            assert!(!psl.has_known_suffix(host), "{host}");
        }
    }

    #[test]
    fn empty_list_is_an_error() {
        assert_eq!(
            PublicSuffixList::from_dat("// nothing\n")
                .unwrap_err()
                .kind(),
            ErrorKind::PublicSuffixList
        );
    }
}
