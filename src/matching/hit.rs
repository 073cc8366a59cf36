//! What matching a link yields: the rules matched, each with how specific its
//! match is. Below every matcher (the site index, the regex set, the prefix
//! tables), so that each can make hits without knowing the others.

/// How specific a match is. Compared field by field: the matcher kind first
/// (`url_prefix` > `host` > `domain` > `regex` > `scheme`), then the length
/// (prefix bytes, or domain labels).
#[derive(Clone, Copy, Debug, Eq, Ord, PartialEq, PartialOrd)]
pub(crate) struct Specificity {
    kind: u8,
    len: u32,
}

impl Specificity {
    pub(crate) fn new(kind: MatcherKind, len: usize) -> Self {
        Self {
            kind: kind as u8,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }

    /// The matcher kind's name and the length compared within it, in words.
    pub(crate) fn describe(self) -> String {
        match self.kind {
            0 => "scheme".to_owned(),
            1 => "regex".to_owned(),
            2 => format!("domain, {} labels", self.len),
            3 => "host".to_owned(),
            _ => format!("url_prefix, {} bytes", self.len),
        }
    }
}

/// The matcher kinds, least specific first.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum MatcherKind {
    Scheme = 0,
    Regex = 1,
    Domain = 2,
    Host = 3,
    UrlPrefix = 4,
}

/// One matched rule and how specific its match is.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Hit {
    pub(crate) rule: u32,
    pub(crate) specificity: Specificity,
}
