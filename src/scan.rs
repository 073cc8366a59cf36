//! Finding the links in a chat message: [`Policy::scan`].
//!
//! A hand-written scanner, because the boundaries of a link in Chinese, Japanese
//! and Korean text are not where a Latin-text link finder puts them: there is no
//! space between a link and the sentence around it, so the CJK characters and
//! full-width punctuation that follow a link must end it.
//!
//! The scanner is one forward pass over the message. At each character that can
//! start a link (an ASCII letter not preceded by an ASCII letter or digit, or the
//! first character of a host name not preceded by another one), it reads a scheme
//! (`https://`), a host, a port and a path; the host decides whether there is a
//! link at all (a Public Suffix List lookup), the path's end is found by
//! [`ends_link`] and bracket balance, and trailing ASCII punctuation is given back
//! to the sentence. After a link the pass goes on behind it, so links never
//! overlap and the cost is linear in the length of the message.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::link::is_edge_noise;
use crate::policy::Policy;
use crate::psl::PublicSuffixList;
use crate::verdict::Verdict;

/// A link found in a message by [`Policy::scan`]: where it is, the text as the
/// message spells it, and the policy's verdict on it.
///
/// It serializes (and deserializes, with serde) to the example program's
/// `--messages` form, `{"start": 6, "end": 32, "text": "...", "verdict": {...}}`.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let message = "看这个https://item.jd.com/100012043978.html很好";
/// let links = policy.scan(message, &Context::one_to_one());
/// let link = links.first().ok_or("no link found")?;
/// assert_eq!(link.text, "https://item.jd.com/100012043978.html");
/// assert_eq!((link.start, link.end), (9, 46));
/// assert_eq!(message.get(link.range()), Some(link.text.as_str()));
/// assert_eq!(link.verdict.action(), Action::Allow);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FoundLink {
    /// The byte offset in the message's UTF-8 text where the link starts.
    pub start: usize,
    /// The byte offset just past the link's last byte.
    pub end: usize,
    /// The link as the message spells it: `message[start..end]`.
    pub text: String,
    /// [`Policy::classify`] of [`text`](FoundLink::text) in the message's context.
    pub verdict: Verdict,
}

impl FoundLink {
    /// The byte range of the link in the message, `start..end`.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy};
    ///
    /// let policy = Policy::from_toml_str("version = 1")?;
    /// let message = "淘宝：www.taobao.com，京东：jd.com。";
    /// let found: Vec<&str> = policy
    ///     .scan(message, &Context::one_to_one())
    ///     .iter()
    ///     .filter_map(|link| message.get(link.range()))
    ///     .collect();
    /// assert_eq!(found, ["www.taobao.com", "jd.com"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl Policy {
    /// Every link in a chat message, in order of appearance, each with its byte
    /// span, its text and its verdict in `ctx`.
    ///
    /// Never fails and never panics. Links never overlap. A host app should make
    /// clickable exactly what this finds, so that every link a user can open has
    /// had a verdict.
    ///
    /// # What is a link
    ///
    /// - **A link with a scheme**: `http://`, `https://` (and `ftp`, `ws`, `wss`)
    ///   followed by a host that is a domain name under a real public suffix
    ///   (the policy's [`public_suffix_list`](Policy::public_suffix_list)), a
    ///   reserved test name (`.example`, `.test`, `.invalid`, `.localhost`), a
    ///   dotted IPv4 address or a bracketed IPv6 address; user info
    ///   (`https://jd.com@evil.example/`) is read as a browser reads it, so the
    ///   verdict is about the host the link really opens. After a scheme a label
    ///   may be written in CJK (`https://京东.com/`), but a label never mixes CJK
    ///   with Latin letters or digits: `https://jd.com和taobao.com` is the link
    ///   `https://jd.com`, then text. A full-width dot followed by a Latin label
    ///   is a dot when that makes a valid host (`https://www.jd。com/`, as a
    ///   browser reads it) and the end of the sentence when it does not
    ///   (`https://www.taobao.com。Thanks`). `HTTPS://` counts too; text glued
    ///   before the scheme (`链接https://`, `URLhttps://`) is not part of the link.
    /// - **An app link**: any other `scheme://` (`weixin://dl/scan`,
    ///   `taobao://item.taobao.com/...`, `alipays://platformapi/...`) with
    ///   something after the `//`; the policy decides it as an app link.
    ///   Schemes without `//` (`mailto:`, `tel:`, `javascript:`) are not links:
    ///   chat apps do not make them clickable.
    /// - **A link without a scheme** (`jd.com/x`, `www.taobao.com`,
    ///   `jd.com:8080/x`): a host of letters (not CJK), digits, `-` and `_`
    ///   whose suffix is a real public suffix, so `jd.com` and `t.cn` are links
    ///   and `file.html`, `8.0.16`, `3.14`, `v1.2` and `jd.corn` are not. A
    ///   CJK top-level domain right after the dot is kept (`example.中国`). It is
    ///   not a link when it is part of a longer word or path (preceded by a
    ///   letter, a digit, `.`, `/`, `%` or `\`, or by a `-` or `_` glued to one
    ///   of those: `官网-jd.com` is a link, `foo-jd.com` one name), an e-mail
    ///   address or mention (preceded by `@`, or followed by `@` or `+`), a
    ///   hashtag or a cashtag (preceded by `#` or `$`). Only full-width dots are
    ///   never dots here (`jd。com` is no link).
    ///
    /// Host names follow the DNS: labels of at most 63 characters that neither
    /// start nor end with `-` or `_`, no `_` in the registrable label, a
    /// top-level domain that is not all digits.
    ///
    /// # Where a link ends
    ///
    /// - White space (including the ideographic space U+3000), control and
    ///   invisible format characters (zero-width spaces, bidirectional marks).
    /// - CJK characters (Han, kana, Hangul) and all full-width and CJK
    ///   punctuation: `，。、：；！？「」『』《》〈〉（）【】～` and the like.
    /// - Emoji and other symbols (arrows, dingbats, `©`, `×`), Latin-1 and
    ///   general punctuation (curly quotes `“”`, `……`, `——`, `·`), except the en
    ///   dash `–`, which appears in Wikipedia titles.
    /// - The ASCII characters that cannot appear in a URL as typed: `<`, `>`,
    ///   `"`, `` ` ``, `\`, `^`.
    /// - A closing bracket `)`, `]` or `}` that closes nothing inside the link:
    ///   `(see https://jd.com/x)` ends before the `)`, while
    ///   `https://en.wikipedia.org/wiki/Rust_(programming_language)` is whole.
    ///
    /// Then trailing ASCII punctuation (`.`, `,`, `:`, `;`, `!`, `?`, `'`, `*`,
    /// `~`) is left to the sentence: `jd.com.` is `jd.com`, and so is a `-` or
    /// `_` right after a host (`jd.com-正品`). Letters of other scripts
    /// (Cyrillic, Arabic, accented Latin), the en dash, percent escapes and
    /// punycode stay inside a link. So does nothing CJK: a path written in
    /// Chinese ends where the Chinese starts (`https://zh.wikipedia.org/wiki/三体`
    /// is found as `https://zh.wikipedia.org/wiki/`), as it must for the links
    /// that Chinese text follows without a space; browsers copy such paths
    /// percent-encoded, which is kept whole.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, Policy, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let message = "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw";
    /// let links = policy.scan(message, &Context::group(40));
    /// let texts: Vec<&str> = links.iter().map(|l| l.text.as_str()).collect();
    /// assert_eq!(texts, ["http://t.cn/A6xyz", "http://t.cn/B7uvw"]);
    /// // t.cn is Weibo's, a tier B platform: behind a warning, even in a group.
    /// assert!(links.iter().all(|l| l.verdict.action() == Action::Warn));
    ///
    /// // Version numbers, decimals, file names and e-mail addresses are not links.
    /// let none = policy.scan("升级到8.0.16，π≈3.14，见readme.txt或kefu@jd.com", &Context::one_to_one());
    /// assert!(none.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan(&self, text: &str, ctx: &Context) -> Vec<FoundLink> {
        let mut found = Vec::new();
        self.scan_into(text, ctx, &mut found);
        found
    }

    /// [`Policy::scan`] into a vector the caller keeps, for hot loops: `found` is
    /// cleared first, and keeps its capacity from one message to the next.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, FoundLink, Policy, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let ctx = Context::one_to_one();
    /// let mut found: Vec<FoundLink> = Vec::new();
    /// let mut total = 0;
    /// for message in ["看这个https://item.jd.com/1.html很好", "没有链接", "b23.tv/abc 和 m.tb.cn/h.fxyz"] {
    ///     policy.scan_into(message, &ctx, &mut found);
    ///     total += found.len();
    /// }
    /// assert_eq!(total, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan_into(&self, text: &str, ctx: &Context, found: &mut Vec<FoundLink>) {
        found.clear();
        for span in Links::new(text, self.public_suffix_list()) {
            let Some(link) = text.get(span.clone()) else {
                continue;
            };
            found.push(FoundLink {
                start: span.start,
                end: span.end,
                text: link.to_owned(),
                verdict: self.classify(link, ctx),
            });
        }
    }
}

/// The byte spans of the links in a message, in order (see [`Policy::scan`]).
#[derive(Debug)]
pub(crate) struct Links<'a> {
    text: &'a str,
    psl: &'a PublicSuffixList,
    /// Where the search goes on.
    pos: usize,
    /// The character before `pos`.
    prev: Option<char>,
}

impl<'a> Links<'a> {
    pub(crate) fn new(text: &'a str, psl: &'a PublicSuffixList) -> Self {
        Self {
            text,
            psl,
            pos: 0,
            prev: None,
        }
    }
}

impl Iterator for Links<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let finder = Finder {
            text: self.text,
            psl: self.psl,
        };
        let rest = self.text.get(self.pos..)?;
        for (i, c) in rest.char_indices() {
            // Every link starts with a letter or digit that is not CJK.
            if c.is_ascii_alphanumeric()
                || (!c.is_ascii() && !is_cjk_letter(c) && c.is_alphanumeric())
            {
                if let Some(span) = finder.link_at(self.pos + i, c, self.prev) {
                    self.prev = finder.char_before(span.end);
                    self.pos = span.end;
                    return Some(span);
                }
            }
            self.prev = Some(c);
        }
        self.pos = self.text.len();
        None
    }
}

impl std::iter::FusedIterator for Links<'_> {}

/// The schemes whose links have a real host, checked like a domain (as in
/// `link::HOST_SCHEMES`, less `file`).
const HOST_SCHEMES: [&str; 5] = ["http", "https", "ftp", "ws", "wss"];

/// Top-level names reserved for tests and documentation (RFC 2606, RFC 6761):
/// not public suffixes, but links to them are meant as links when written with
/// a scheme.
const RESERVED_TLDS: [&str; 4] = ["example", "test", "invalid", "localhost"];

/// The longest scheme name looked for.
const MAX_SCHEME_LEN: usize = 32;

/// A host longer than this many bytes is no host (DNS names have at most 253
/// characters; CJK labels take three bytes a character).
const MAX_HOST_BYTES: usize = 1024;

/// The longest CJK top-level domain tried at the end of a host (`.みんな`,
/// `.中国`, `.公司`; the longest in the list have 7 characters).
const MAX_CJK_TLD_CHARS: usize = 8;

/// ASCII punctuation that ends a sentence more often than a URL: dropped from the
/// end of a link.
const TRAILING_PUNCTUATION: [char; 9] = ['.', ',', ':', ';', '!', '?', '\'', '*', '~'];

/// What a character is inside a host label.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum LabelChar {
    /// An ASCII letter or digit, or a letter or mark of a script other than CJK.
    Latin,
    /// A CJK ideograph, kana or Hangul syllable.
    Cjk,
    /// `-`, `_`, or `%` after a scheme: fits either kind of label.
    Neutral,
}

/// The scanner's view of one message.
#[derive(Clone, Copy)]
struct Finder<'a> {
    text: &'a str,
    psl: &'a PublicSuffixList,
}

impl Finder<'_> {
    /// The character at byte `pos`, if `pos` is a character boundary in the text.
    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    /// The character that ends at byte `pos`.
    fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }

    /// The link that starts at `pos` (or, for `URLhttps://`, a little after it).
    fn link_at(&self, pos: usize, c: char, prev: Option<char>) -> Option<Range<usize>> {
        if c.is_ascii_alphabetic() && !prev.is_some_and(blocks_scheme) {
            if let Some(span) = self.scheme_link(pos) {
                return Some(span);
            }
        }
        if label_char(c, false) == Some(LabelChar::Latin) && !self.blocks_bare(pos, prev) {
            return self.bare_link(pos);
        }
        None
    }

    /// Whether the character before `pos` keeps a host name that starts there from
    /// being a link: the name is part of a longer name or a path, a mention, an
    /// e-mail address, a hashtag or a cashtag (see [`glues_to_host`]). A `-` or `_`
    /// counts only when it is glued to such a character itself: in `官网-jd.com` it
    /// is punctuation, in `http://-jd.com` part of a host.
    fn blocks_bare(&self, pos: usize, prev: Option<char>) -> bool {
        match prev {
            None => false,
            Some('-' | '_') => self
                .char_before(pos.saturating_sub(1))
                .is_some_and(glues_to_host),
            Some(c) => glues_to_host(c),
        }
    }

    /// A link with a scheme at `pos`.
    fn scheme_link(&self, pos: usize) -> Option<Range<usize>> {
        let rest = self.text.get(pos..)?;
        let len = rest
            .bytes()
            .take(MAX_SCHEME_LEN + 1)
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
        if len > MAX_SCHEME_LEN || !rest.get(len..)?.starts_with("://") {
            return None;
        }
        let scheme = rest.get(..len)?;
        let is_host_scheme = HOST_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme));
        // `URLhttps://x.com`, `链接Linkhttp://`: a web link glued to a word.
        let glued = (!is_host_scheme)
            .then(|| {
                ["https", "http"].into_iter().find_map(|web| {
                    let at = len.checked_sub(web.len())?;
                    scheme
                        .get(at..)
                        .is_some_and(|tail| tail.eq_ignore_ascii_case(web))
                        .then_some(at)
                })
            })
            .flatten();
        let start = pos + glued.unwrap_or(0);
        let after = pos + len + "://".len();
        let end = if is_host_scheme || glued.is_some() {
            let host_start = self.userinfo_end(after).unwrap_or(after);
            let host_end = self.host(host_start, true)?;
            self.tail(host_end)
        } else {
            self.path(after)
        };
        (end > after).then_some(start..end)
    }

    /// Just past the last `@` of the authority that starts at `pos`, if it has
    /// user info.
    fn userinfo_end(&self, pos: usize) -> Option<usize> {
        let authority = self.text.get(pos..)?;
        let mut at = None;
        for (i, c) in authority.char_indices() {
            match c {
                '/' | '?' | '#' => break,
                '@' => at = Some(i),
                c if ends_link(c) => break,
                _ => {}
            }
        }
        at.map(|i| pos + i + 1)
    }

    /// A link without a scheme at `pos`.
    fn bare_link(&self, pos: usize) -> Option<Range<usize>> {
        let host_end = self.host(pos, false)?;
        // `name.al+lastname@foo.com`, `john.doe.gov@mail.com`: e-mail, not a link.
        if matches!(self.char_at(host_end), Some('@' | '＠' | '+')) {
            return None;
        }
        Some(pos..self.tail(host_end))
    }

    /// The end of the host name that starts at `pos`, if there is a valid one.
    ///
    /// After a scheme, labels may be CJK and a full-width dot followed by a
    /// Latin label separates labels; without one, labels are never CJK, but a
    /// CJK top-level domain may follow the last dot.
    fn host(&self, pos: usize, scheme: bool) -> Option<usize> {
        if scheme && self.char_at(pos) == Some('[') {
            return self.ipv6(pos);
        }
        let mut at = pos;
        // The end of the last non-empty label, and the start of that label.
        let mut end = pos;
        let mut last_label = pos;
        let mut last_kind = None;
        // Full-width dots taken as separators, in case the host must end before one.
        let mut wide_dots: Vec<usize> = Vec::new();
        loop {
            let (label_end, kind) = self.label(at, scheme);
            if label_end == at {
                break;
            }
            (last_label, end, last_kind) = (at, label_end, kind);
            if end - pos > MAX_HOST_BYTES {
                return None;
            }
            at = label_end;
            match self.char_at(at) {
                Some('.') => at += 1,
                Some(dot @ ('。' | '．' | '｡'))
                    if scheme
                        && self
                            .char_at(at + dot.len_utf8())
                            .is_some_and(|c| c.is_ascii_alphanumeric()) =>
                {
                    wide_dots.push(at);
                    at += dot.len_utf8();
                }
                _ => break,
            }
        }
        // A host has two labels at least, or one and a dot before a CJK
        // top-level domain (`twitter.みんな`).
        if end == pos || (last_label == pos && self.char_at(end) != Some('.')) {
            return None;
        }
        // `jd.com-很好`: the dash is the sentence's, not the host's.
        let trimmed = self.trim_end(pos, end, |c| matches!(c, '-' | '_'));
        if trimmed != end && trimmed > last_label {
            end = trimmed;
        }
        let end = self.valid_host_end(pos, end, scheme, last_label, last_kind, &wide_dots)?;
        // A trailing dot belongs to the host when the link goes on (`jd.com./x`).
        if self.char_at(end) == Some('.')
            && matches!(self.char_at(end + 1), Some('/' | ':' | '?' | '#'))
        {
            return Some(end + 1);
        }
        Some(end)
    }

    /// The longest valid host among `pos..end` and its shortenings: with a CJK
    /// top-level domain cut to a known one, or ended before a full-width dot.
    fn valid_host_end(
        &self,
        pos: usize,
        end: usize,
        scheme: bool,
        last_label: usize,
        last_kind: Option<LabelChar>,
        wide_dots: &[usize],
    ) -> Option<usize> {
        // `twitter.みんなです`: a CJK top-level domain after the last dot, `みんな`.
        if !scheme && self.char_at(end) == Some('.') {
            if let Some(longer) = self.cjk_tld_end(pos, end + 1) {
                return Some(longer);
            }
        }
        if self.is_valid_host(pos, end, scheme) {
            return Some(end);
        }
        if scheme && last_kind == Some(LabelChar::Cjk) {
            // `http://foobar.中国人`: the top-level domain is `中国`.
            let shorter = self
                .text
                .get(last_label..end)?
                .char_indices()
                .skip(1)
                .take(MAX_CJK_TLD_CHARS)
                .map(|(i, _)| last_label + i)
                .filter(|&e| self.is_valid_host(pos, e, true))
                .last();
            if shorter.is_some() {
                return shorter;
            }
        }
        // `https://www.taobao.com。Thanks`: the full-width dot ends the sentence.
        wide_dots
            .iter()
            .rev()
            .copied()
            .find(|&e| self.is_valid_host(pos, e, scheme))
    }

    /// The end of the longest known CJK top-level domain that starts at `at`
    /// (just after a dot), making `pos..end` a valid host.
    fn cjk_tld_end(&self, pos: usize, at: usize) -> Option<usize> {
        self.text
            .get(at..)?
            .char_indices()
            .take_while(|&(_, c)| is_cjk_letter(c))
            .take(MAX_CJK_TLD_CHARS)
            .map(|(i, c)| at + i + c.len_utf8())
            .filter(|&e| self.is_valid_host(pos, e, false))
            .last()
    }

    /// One host label from `pos`: its end, and whether it is Latin or CJK.
    fn label(&self, pos: usize, scheme: bool) -> (usize, Option<LabelChar>) {
        let mut end = pos;
        let mut kind = None;
        let Some(rest) = self.text.get(pos..) else {
            return (end, kind);
        };
        for c in rest.chars() {
            let Some(this) = label_char(c, scheme) else {
                break;
            };
            match (kind, this) {
                // A label never mixes CJK with Latin: `jd.com和taobao.com`.
                (Some(LabelChar::Latin), LabelChar::Cjk)
                | (Some(LabelChar::Cjk), LabelChar::Latin) => break,
                (_, LabelChar::Neutral) => {}
                _ => kind = Some(this),
            }
            end += c.len_utf8();
        }
        (end, kind)
    }

    /// A bracketed IPv6 address at `pos`: the end, just past the `]`.
    fn ipv6(&self, pos: usize) -> Option<usize> {
        let rest = self.text.get(pos + 1..)?;
        // The longest IPv6 address, with an embedded IPv4 one, has 45 characters.
        let close = rest.bytes().take(46).position(|b| b == b']')?;
        let inside = rest.get(..close)?;
        let valid = inside.contains(':')
            && inside
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'));
        valid.then_some(pos + 1 + close + 1)
    }

    /// Whether `pos..end` is a host name a user would see as a link.
    fn is_valid_host(&self, pos: usize, end: usize, scheme: bool) -> bool {
        let Some(raw) = self.text.get(pos..end) else {
            return false;
        };
        let host = host_key(raw);
        let mut labels = 0;
        for label in host.split('.') {
            if label.is_empty()
                || label.chars().count() > 63
                || label.starts_with(['-', '_'])
                || label.ends_with(['-', '_'])
            {
                return false;
            }
            labels += 1;
        }
        if labels < 2 {
            return false;
        }
        if scheme && is_ipv4(&host) {
            return true;
        }
        let tld = host.rsplit('.').next().unwrap_or_default();
        if tld.bytes().all(|b| b.is_ascii_digit()) || tld.contains(['_', '%']) {
            return false;
        }
        let known = self.psl.has_known_suffix(&host)
            || (scheme && RESERVED_TLDS.contains(&tld) && host.len() > tld.len() + 1);
        // Underscores are tolerated in subdomains (`sub_domain.jd.com`), never in
        // the registrable label.
        known
            && (!host.contains('_')
                || self
                    .psl
                    .registrable_domain(&host)
                    .and_then(|d| d.split('.').next())
                    .is_none_or(|label| !label.contains('_')))
    }

    /// The end of the link whose host ends at `pos`: a port and a path, if any.
    fn tail(&self, pos: usize) -> usize {
        let mut end = pos;
        if self.char_at(end) == Some(':') {
            let digits = self
                .text
                .get(end + 1..)
                .map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
            let after = end + 1 + digits;
            if (1..=5).contains(&digits)
                && !self
                    .char_at(after)
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                end = after;
            }
        }
        let end = match self.char_at(end) {
            Some('/' | '?' | '#') => self.path(end),
            _ => end,
        };
        // When nothing after the host is kept (`https://jd.com.?`, `jd.com.:`), a
        // dot the host kept because a port or path followed is the sentence's
        // after all: trim it too, so the link found is the one found again on
        // its own.
        if end == pos {
            self.trim_end(0, end, |c| c == '.')
        } else {
            end
        }
    }

    /// The end of the path, query and fragment from `pos`: up to a character
    /// that ends a link or an unbalanced closing bracket, less trailing ASCII
    /// punctuation.
    fn path(&self, pos: usize) -> usize {
        let mut end = pos;
        let mut open = [0_usize; 3];
        if let Some(rest) = self.text.get(pos..) {
            for c in rest.chars() {
                if ends_link(c) {
                    break;
                }
                let bracket = match c {
                    '(' | ')' => Some(0),
                    '[' | ']' => Some(1),
                    '{' | '}' => Some(2),
                    _ => None,
                };
                if let Some(depth) = bracket.and_then(|b| open.get_mut(b)) {
                    if matches!(c, '(' | '[' | '{') {
                        *depth += 1;
                    } else if *depth == 0 {
                        break;
                    } else {
                        *depth -= 1;
                    }
                }
                end += c.len_utf8();
            }
        }
        self.trim_end(pos, end, |c| TRAILING_PUNCTUATION.contains(&c))
    }

    /// `end` moved back over the characters `drop` matches, not before `floor`.
    fn trim_end(&self, floor: usize, end: usize, drop: impl Fn(char) -> bool) -> usize {
        let mut end = end;
        while end > floor {
            match self.char_before(end) {
                Some(c) if drop(c) => end -= c.len_utf8(),
                _ => break,
            }
        }
        end
    }
}

/// The host as the Public Suffix List is asked about it: ASCII lowercase, with
/// full-width dots as dots.
fn host_key(raw: &str) -> Cow<'_, str> {
    if raw.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        let mut key = raw.to_ascii_lowercase();
        if key.contains(['。', '．', '｡']) {
            key = key.replace(['。', '．', '｡'], ".");
        }
        Cow::Owned(key)
    } else {
        Cow::Borrowed(raw)
    }
}

/// Four decimal numbers of at most 255, dotted.
fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let valid = (1..=3).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u16>().is_ok_and(|n| n <= 255);
        if !valid {
            return false;
        }
    }
    parts == 4
}

/// A character before an ASCII letter that keeps it from starting a scheme: the
/// letter is inside a word (`abchttp` is no scheme at `h`; the scheme read from
/// `a` is, see [`Finder::scheme_link`]), a mention, a hashtag or a cashtag.
fn blocks_scheme(prev: char) -> bool {
    prev.is_ascii_alphabetic() || matches!(prev, '@' | '＠' | '$' | '#' | '＃')
}

/// A character that makes a host name right after it part of something else: a
/// letter, digit, `-` or `_` (a longer name), `.`, `/`, `%` or `\` (a longer
/// name or a path), `@` (a mention or an e-mail address), `#` or `$` (a hashtag
/// or a cashtag).
fn glues_to_host(c: char) -> bool {
    label_char(c, false).is_some()
        || matches!(c, '.' | '/' | '@' | '＠' | '$' | '#' | '＃' | '%' | '\\')
}

/// What `c` is inside a host label, if it can be in one. CJK letters and `%`
/// only after a scheme.
fn label_char(c: char, scheme: bool) -> Option<LabelChar> {
    if c.is_ascii_alphanumeric() {
        return Some(LabelChar::Latin);
    }
    if matches!(c, '-' | '_') || (scheme && c == '%') {
        return Some(LabelChar::Neutral);
    }
    if c.is_ascii() {
        return None;
    }
    if is_cjk_letter(c) {
        return scheme.then_some(LabelChar::Cjk);
    }
    let letter = !ends_link(c) && (c.is_alphanumeric() || is_mark(c));
    letter.then_some(LabelChar::Latin)
}

/// Combining marks of the scripts whose words need them (Latin diacritics,
/// Indic and Thai vowel signs), which `char::is_alphanumeric` does not count.
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0900}'..='\u{0DFF}'
        | '\u{0E31}'
        | '\u{0E34}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}')
        && !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}' | '\u{0DF4}')
}

/// Whether `c` ends a link (and is never inside a host).
///
/// White space and invisible characters, CJK letters and punctuation, full-width
/// forms, emoji and symbols, Latin-1 and general punctuation but the en dash,
/// and the ASCII characters a URL never has as typed.
pub(crate) fn ends_link(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_whitespace()
            || c.is_ascii_control()
            || matches!(c, '<' | '>' | '"' | '`' | '\\' | '^');
    }
    is_edge_noise(c)
        || is_cjk(c)
        || matches!(c,
            // Latin-1 punctuation and symbols: NBSP … ¿, ×, ÷.
            '\u{00A0}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}'
            // General punctuation (spaces, quotes “”, dashes —, ellipsis …), less the en dash.
            | '\u{2000}'..='\u{2012}' | '\u{2014}'..='\u{206F}'
            // Super- and subscripts, currency, letterlike symbols, arrows, math,
            // technical, enclosed alphanumerics, boxes, shapes, symbols, dingbats.
            | '\u{2070}'..='\u{2BFF}'
            // Supplemental punctuation.
            | '\u{2E00}'..='\u{2E7F}'
            // Private use.
            | '\u{E000}'..='\u{F8FF}'
            // Variation selectors (emoji presentation), vertical, compatibility and
            // small forms.
            | '\u{FE00}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE6F}'
            // Half- and full-width forms, specials (U+FFFD).
            | '\u{FF00}'..='\u{FFFF}'
            // Emoji and pictographs, mahjong and playing cards, enclosed
            // alphanumerics and ideographs, regional indicators (flags), and more.
            | '\u{1F000}'..='\u{1FBFF}'
            // Tags (subdivision flags).
            | '\u{E0000}'..='\u{E007F}')
}

/// CJK letters and punctuation: Han, kana, Hangul, Bopomofo, and the CJK
/// symbol and punctuation blocks.
fn is_cjk(c: char) -> bool {
    is_cjk_letter(c)
        || matches!(c,
            // CJK radicals, Kangxi radicals, ideographic description, symbols and
            // punctuation (ideographic space, 、。「」《》【】〜).
            '\u{2E80}'..='\u{303F}'
            // The katakana middle dot.
            | '\u{30FB}'
            // Kanbun, CJK strokes, enclosed CJK letters and months, CJK compatibility.
            | '\u{3190}'..='\u{319F}' | '\u{31C0}'..='\u{31EF}' | '\u{3200}'..='\u{33FF}'
            // CJK compatibility forms.
            | '\u{FE30}'..='\u{FE4F}')
}

/// CJK letters: ideographs, kana and Hangul.
fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        // Hangul Jamo.
        '\u{1100}'..='\u{11FF}'
        // Hiragana, Katakana (less the middle dot), Bopomofo, Hangul compatibility Jamo.
        | '\u{3040}'..='\u{30FA}' | '\u{30FC}'..='\u{30FF}' | '\u{3100}'..='\u{318F}'
        // Bopomofo extended, Katakana phonetic extensions.
        | '\u{31A0}'..='\u{31BF}' | '\u{31F0}'..='\u{31FF}'
        // CJK Unified Ideographs extension A and the main block.
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        // Hangul Jamo extended A, syllables, Jamo extended B.
        | '\u{A960}'..='\u{A97F}' | '\u{AC00}'..='\u{D7FF}'
        // CJK compatibility ideographs.
        | '\u{F900}'..='\u{FAFF}'
        // Kana supplement and extensions.
        | '\u{1AFF0}'..='\u{1B16F}'
        // Ideographs, extensions B to I and compatibility supplement.
        | '\u{20000}'..='\u{3FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<&str> {
        let psl = PublicSuffixList::builtin();
        Links::new(text, &psl)
            .map(|span| text.get(span).unwrap())
            .collect::<Vec<_>>()
    }

    /// `found!(name, message, [link, ...])`: the links found in the message.
    macro_rules! found {
        ($name:ident, $text:expr, [$($link:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let expected: Vec<&str> = vec![$($link),*];
                assert_eq!(links($text), expected, "in {:?}", $text);
            }
        };
    }

    /// `none!(name, message)`: no link in the message.
    macro_rules! none {
        ($name:ident, $text:expr) => {
            found!($name, $text, []);
        };
    }

    // The issue's messages.
    found!(
        issue_jd,
        "看这个https://item.jd.com/100012043978.html很好",
        ["https://item.jd.com/100012043978.html"]
    );
    found!(
        issue_two_links,
        "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw",
        ["http://t.cn/A6xyz", "http://t.cn/B7uvw"]
    );
    found!(
        issue_bare,
        "淘宝：www.taobao.com，京东：jd.com。",
        ["www.taobao.com", "jd.com"]
    );

    // Schemes.
    found!(https, "https://jd.com", ["https://jd.com"]);
    found!(upper_scheme, "HTTPS://JD.COM/X", ["HTTPS://JD.COM/X"]);
    found!(glued_word, "URLhttps://jd.com/x", ["https://jd.com/x"]);
    found!(app_link, "打开weixin://dl/scan看看", ["weixin://dl/scan"]);
    found!(
        app_link_query,
        "alipays://platformapi/startapp?appId=20000067。",
        ["alipays://platformapi/startapp?appId=20000067"]
    );
    none!(app_link_empty, "weixin:// 是什么");
    none!(mailto, "mailto:kefu@jd.com");
    none!(javascript, "javascript:alert(1)");
    none!(scheme_without_host, "http:// 和 https://");
    none!(scheme_no_suffix, "http://intranet/x http://jd.corn/");
    found!(
        reserved_tld,
        "https://fake-jd-refund.example/r",
        ["https://fake-jd-refund.example/r"]
    );
    none!(reserved_tld_bare, "fake-jd-refund.example");
    found!(
        ipv4,
        "登录http://118.25.10.3:8080/login",
        ["http://118.25.10.3:8080/login"]
    );
    none!(ipv4_bare, "118.25.10.3");
    found!(ipv6, "http://[::1]:8080/x。", ["http://[::1]:8080/x"]);
    found!(
        userinfo,
        "https://jd.com@evil.example/",
        ["https://jd.com@evil.example/"]
    );
    found!(
        userinfo_wide_dot,
        "https://jd.com@fake-jd-refund。example./r",
        ["https://jd.com@fake-jd-refund。example./r"]
    );
    found!(
        wide_dot_host,
        "https://www.jd。com/",
        ["https://www.jd。com/"]
    );
    found!(
        wide_dot_sentence,
        "https://www.taobao.com。Thanks",
        ["https://www.taobao.com"]
    );
    found!(
        percent_host,
        "https://www%2ejd.com/",
        ["https://www%2ejd.com/"]
    );
    found!(
        trailing_dot_host,
        "https://www.jd.com./promo/1",
        ["https://www.jd.com./promo/1"]
    );
    found!(idn, "https://京东.com/x", ["https://京东.com/x"]);
    found!(idn_tld, "http://foobar.中国/", ["http://foobar.中国/"]);
    found!(idn_tld_cut, "http://foobar.中国人", ["http://foobar.中国"]);
    found!(
        no_mixed_label,
        "https://jd.com和taobao.com",
        ["https://jd.com", "taobao.com"]
    );
    found!(
        punycode,
        "https://xn--xhq9m.com/",
        ["https://xn--xhq9m.com/"]
    );

    // Without a scheme.
    found!(bare_path, "jd.com/x", ["jd.com/x"]);
    found!(bare_port, "jd.com:8080/x", ["jd.com:8080/x"]);
    found!(bare_colon_text, "官网jd.com:不错", ["jd.com"]);
    found!(
        bare_cjk_tld,
        "example.comてすとですtwitter.みんなです",
        ["example.com", "twitter.みんな"]
    );
    found!(bare_dash_after, "官网jd.com-很好", ["jd.com"]);
    found!(
        bare_dash_before,
        "官网-jd.com -taobao.com",
        ["jd.com", "taobao.com"]
    );
    none!(bare_dash_in_word, "foo-jd.com_x http://-jd.com x/-jd.com");
    found!(bare_dash_after_emoji, "👉-jd.com", ["jd.com"]);
    found!(
        digits_before_scheme,
        "编号123https://jd.com/x",
        ["https://jd.com/x"]
    );
    none!(version, "微信8.0.16版本");
    none!(decimal, "圆周率3.14，9.9元");
    none!(file_name, "打开file.html和test.tar.bz2");
    none!(email, "kefu@jd.com");
    none!(email_plus, "name.al+lastname@foo.com");
    none!(mention, "@jd.com");
    none!(hashtag, "#jd.com $jd.com");
    none!(unknown_suffix, "jd.corn");
    none!(underscore_domain, "http://twitter_underscore.com");
    found!(
        underscore_subdomain,
        "http://a_b.jd.com",
        ["http://a_b.jd.com"]
    );
    none!(leading_dash, "http://-jd.com");

    // Where links end.
    found!(
        fullwidth_comma,
        "jd.com，taobao.com",
        ["jd.com", "taobao.com"]
    );
    found!(ideographic_space, "jd.com\u{3000}看", ["jd.com"]);
    found!(emoji, "👉https://jd.com/x👈", ["https://jd.com/x"]);
    found!(emoji_bare, "❤️jd.com❤️", ["jd.com"]);
    found!(curly_quotes, "“https://jd.com/x”", ["https://jd.com/x"]);
    found!(
        corner_brackets,
        "「https://jd.com/x」",
        ["https://jd.com/x"]
    );
    found!(
        wikipedia,
        "见https://en.wikipedia.org/wiki/Rust_(programming_language)。",
        ["https://en.wikipedia.org/wiki/Rust_(programming_language)"]
    );
    found!(
        parenthesized,
        "(see https://jd.com/x)",
        ["https://jd.com/x"]
    );
    found!(
        trailing_punctuation,
        "go to https://jd.com/x?!...",
        ["https://jd.com/x"]
    );
    found!(trailing_tilde, "快来jd.com~~", ["jd.com"]);
    // Found by proptest: the dot before an empty query is the sentence's.
    found!(
        host_dot_then_empty_query,
        "https://8080.com.? 好",
        ["https://8080.com"]
    );
    found!(host_dot_then_empty_port, "见jd.com.:", ["jd.com"]);
    found!(
        percent_path,
        "https://s.taobao.com/search?q=%E6%89%8B%E6%9C%BA",
        ["https://s.taobao.com/search?q=%E6%89%8B%E6%9C%BA"]
    );
    found!(
        en_dash,
        "https://en.wikipedia.org/wiki/Hatfield–McCoy_feud ok",
        ["https://en.wikipedia.org/wiki/Hatfield–McCoy_feud"]
    );
    found!(
        zero_width_space,
        "\u{200B}https://jd.com/x\u{200B}",
        ["https://jd.com/x"]
    );

    // Never panics, never loops.
    none!(empty, "");
    none!(only_dots, "........");
    none!(only_scheme, "https://");
    found!(lone_bracket, "https://[", []);
    none!(long_host, &"a.".repeat(5000));
    none!(long_wide_dots, &format!("http://{}", "a。".repeat(5000)));

    #[test]
    fn spans_are_byte_offsets_in_order() {
        let psl = PublicSuffixList::builtin();
        let text = "看看这个 https://item.jd.com/1.html 和 www.taobao.com";
        let spans: Vec<Range<usize>> = Links::new(text, &psl).collect();
        assert_eq!(spans, [13..39, 44..58]);
    }

    #[test]
    fn every_char_boundary_is_safe() {
        let text = "《三体》http://t.cn/A6xyz（京东：jd.com。）👍🏻 a@b.com 8.0.16 [x](https://例子.中国/路径)";
        for (i, _) in text.char_indices() {
            let _ = links(text.get(i..).unwrap());
            let _ = links(text.get(..i).unwrap());
        }
    }
}
