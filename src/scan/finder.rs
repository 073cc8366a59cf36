//! The link finder behind [`Policy::scan`](crate::Policy::scan): where the links
//! of a message are, and of which kind.
//!
//! Most messages hold no link, so the finder does not look at every character.
//! Every link has a *trigger*: the `:` of its scheme, a `.` of its host (or a
//! full-width `．`), the `@` of an e-mail address, or the full-width colon of
//! `https：//`. The message is searched for those bytes with `memchr` (a few
//! bytes a cycle); only at a trigger does the finder walk back to where a link
//! could start and read it forwards (scheme, user info, host, port, path), and
//! after a link the search goes on behind it. Each trigger costs a bounded walk
//! back (a scheme, a label, a local part: at most 64 characters) and a bounded
//! host (1,024 bytes), so a message costs time linear in its length, links
//! never overlap, and link-free text costs little more than the search.

use std::borrow::Cow;
use std::ops::Range;

use super::LinkKind;
use crate::psl::PublicSuffixList;

/// A link found: its byte span and its kind.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) struct Found {
    pub(crate) range: Range<usize>,
    pub(crate) kind: LinkKind,
}

/// The links of a message with their kinds, in order (see [`Policy::scan`](crate::Policy::scan)).
#[derive(Debug)]
pub(crate) struct Finds<'a> {
    finder: Finder<'a>,
    /// The end of the last link found: no link starts before it.
    pos: usize,
    /// Where the search for the next trigger goes on.
    cursor: usize,
    /// The next ASCII trigger (`:`, `.`, `@`) at or after `cursor`, if searched
    /// for: `Some(None)` when there is none. Each search starts where the last
    /// one found, so the message is searched once, however the two kinds of
    /// trigger interleave.
    ascii: Option<Option<usize>>,
    /// The next full-width trigger (`．` or `：`), likewise.
    wide: Option<Option<usize>>,
}

impl<'a> Finds<'a> {
    pub(crate) fn new(text: &'a str, psl: &'a PublicSuffixList) -> Self {
        Self {
            finder: Finder { text, psl, pos: 0 },
            pos: 0,
            cursor: 0,
            ascii: None,
            wide: None,
        }
    }

    /// The next trigger at or after `cursor`: its position.
    fn next_trigger(&mut self) -> Option<usize> {
        let bytes = self.finder.text.as_bytes();
        let cursor = self.cursor;
        let stale = |found: Option<Option<usize>>| match found {
            None => true,
            Some(at) => at.is_some_and(|at| at < cursor),
        };
        if stale(self.ascii) {
            let rest = bytes.get(cursor..).unwrap_or_default();
            self.ascii = Some(memchr::memchr3(b':', b'.', b'@', rest).map(|i| cursor + i));
        }
        if stale(self.wide) {
            self.wide = Some(next_wide_trigger(bytes, cursor));
        }
        match (self.ascii.flatten(), self.wide.flatten()) {
            (Some(a), Some(w)) => Some(a.min(w)),
            (a, w) => a.or(w),
        }
    }
}

impl Iterator for Finds<'_> {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            let Some(t) = self.next_trigger() else {
                self.cursor = self.finder.text.len();
                return None;
            };
            self.cursor = t + 1;
            self.finder.pos = self.pos;
            if let Some(found) = self.finder.at_trigger(t) {
                self.pos = found.range.end;
                self.cursor = self.cursor.max(self.pos);
                return Some(found);
            }
        }
    }
}

impl std::iter::FusedIterator for Finds<'_> {}

/// The byte spans of the links in a message, in order (see
/// [`Policy::scan`](crate::Policy::scan)): [`Finds`] without the kinds.
#[allow(
    dead_code,
    reason = "the crate-internal API masked-link detection reads display text with"
)]
#[derive(Debug)]
pub(crate) struct Links<'a>(Finds<'a>);

#[allow(
    dead_code,
    reason = "the crate-internal API masked-link detection reads display text with"
)]
impl<'a> Links<'a> {
    pub(crate) fn new(text: &'a str, psl: &'a PublicSuffixList) -> Self {
        Self(Finds::new(text, psl))
    }
}

impl Iterator for Links<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        self.0.next().map(|f| f.range)
    }
}

impl std::iter::FusedIterator for Links<'_> {}

/// The schemes whose links have a real host, checked like a domain (as in
/// `link::HOST_SCHEMES`, less `file`).
const HOST_SCHEMES: [&str; 5] = ["http", "https", "ftp", "ws", "wss"];

/// Top-level names reserved for tests and documentation (RFC 2606, RFC 6761, and
/// the IDN test names of 2007 in CJK scripts, in Unicode and punycode): not public
/// suffixes, but meant as links when written with a scheme.
const RESERVED_TLDS: [&str; 12] = [
    "example",
    "test",
    "invalid",
    "localhost",
    "测试",
    "測試",
    "テスト",
    "테스트",
    "xn--0zwm56d",
    "xn--g6w251d",
    "xn--zckzah",
    "xn--9t4b11yi5a",
];

/// The longest scheme name looked for.
const MAX_SCHEME_LEN: usize = 32;

/// The longest e-mail local part (RFC 5321) and host label (RFC 1035), in
/// characters: how far back a trigger looks.
const MAX_WALK_BACK: usize = 64;

/// A host longer than this many bytes is no host (DNS names have at most 253
/// characters; CJK labels take three bytes a character).
const MAX_HOST_BYTES: usize = 1024;

/// The most full-width dots a host is read with (a real host has a handful of
/// labels); each may be where the host must end, and is tried.
const MAX_WIDE_DOTS: usize = 8;

/// How far the user info of a link is looked for, in bytes.
const MAX_USERINFO_BYTES: usize = 256;

/// The longest CJK top-level domain tried at the end of a host (`.みんな`,
/// `.中国`, `.公司`; the longest in the list have 7 characters).
const MAX_CJK_TLD_CHARS: usize = 8;

/// ASCII punctuation that ends a sentence more often than a URL: dropped from the
/// end of a link (and `'` when it closes no quote of the link).
const TRAILING_PUNCTUATION: [char; 8] = ['.', ',', ':', ';', '!', '?', '*', '~'];

/// What a character is inside a host label.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum LabelChar {
    /// An ASCII or full-width letter or digit, or a letter or mark of a script
    /// other than CJK.
    Latin,
    /// A CJK ideograph, kana or Hangul syllable.
    Cjk,
    /// `-`, `_`, `%` after a scheme, or an invisible character between two
    /// label characters: fits either kind of label.
    Neutral,
}

/// What [`Finder::host`] read of a host: where its last label starts, the
/// kind of that label, and whether any label is CJK.
#[derive(Clone, Copy, Debug)]
struct Shape {
    last_label: usize,
    last_kind: Option<LabelChar>,
    any_cjk: bool,
}

/// The scanner's view of one message.
#[derive(Clone, Copy, Debug)]
struct Finder<'a> {
    text: &'a str,
    psl: &'a PublicSuffixList,
    /// The end of the last link found: nothing before it is read again.
    pos: usize,
}

impl Finder<'_> {
    fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    /// The character at byte `pos`, if `pos` is a character boundary in the text.
    fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    /// The character that ends at byte `pos`.
    fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }

    /// The link a trigger at `t` belongs to, if any.
    fn at_trigger(&self, t: usize) -> Option<Found> {
        match self.byte(t)? {
            b':' => self.colon(t, 1),
            b'.' => self.dot(t),
            b'@' => self.email_at(t),
            // `．` (U+FF0E) and `：` (U+FF1A), as `next_wide_trigger` found them.
            _ => match self.byte(t + 2)? {
                0x8E => self.dot(t),
                _ => self.colon(t, 3),
            },
        }
    }

    // --- Links with a scheme ---------------------------------------------------------

    /// A link whose scheme ends at the colon at `colon` (`width` bytes: 3 for a
    /// full-width colon).
    fn colon(&self, colon: usize, width: usize) -> Option<Found> {
        let start = self.scheme_start(colon)?;
        self.scheme_link(start, colon, width)
    }

    /// Where a scheme that ends at `colon` starts: the first ASCII letter of the
    /// scheme characters before it that does not follow a letter, a mention, a
    /// hashtag or a cashtag sign (`abchttp` is read from `a`; `编号123https` from `h`).
    fn scheme_start(&self, colon: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut run = colon;
        while run > self.pos
            && colon - run <= MAX_SCHEME_LEN
            && bytes
                .get(run - 1)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            run -= 1;
        }
        (run..colon).find(|&i| {
            bytes.get(i).is_some_and(u8::is_ascii_alphabetic)
                && match self.char_before(i) {
                    // `@http://x.com` is a mention; `test.example@http://vk.com`
                    // has the link after a word.
                    Some('@' | '＠') => i
                        .checked_sub(2)
                        .and_then(|j| bytes.get(j))
                        .is_some_and(|&b| is_local_byte(b)),
                    prev => !prev.is_some_and(blocks_scheme),
                }
        })
    }

    /// A link with a scheme from `start`, the scheme ending at `colon`.
    fn scheme_link(&self, start: usize, colon: usize, width: usize) -> Option<Found> {
        let scheme = self.text.get(start..colon)?;
        if colon - start > MAX_SCHEME_LEN {
            return None;
        }
        let after = colon + width;
        let web = HOST_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme));
        // `URLhttps://x.com`, `链接Linkhttp://`: a web link glued to a word.
        let glued = (!web)
            .then(|| {
                ["https", "http"].into_iter().find_map(|w| {
                    let at = scheme.len().checked_sub(w.len())?;
                    scheme
                        .get(at..)
                        .is_some_and(|tail| tail.eq_ignore_ascii_case(w))
                        .then_some(start + at)
                })
            })
            .flatten();
        if web || glued.is_some() {
            let start = glued.unwrap_or(start);
            // `http://`, and as a browser reads them `http:/`, `http:\\` and
            // `http:///`; after a full-width colon, `//` only.
            let slashes = self
                .text
                .get(after..)?
                .bytes()
                .take(MAX_SCHEME_LEN)
                .take_while(|&b| b == b'/' || (width == 1 && b == b'\\'))
                .count();
            if slashes == 0 || (width > 1 && slashes < 2) {
                return None;
            }
            let authority = after + slashes;
            let host_start = self.userinfo_end(authority).unwrap_or(authority);
            let host_end = self.host(host_start, true)?;
            if self.char_at(host_end) == Some('_') {
                return None;
            }
            let quote = self.char_before(start);
            let end = self.tail(host_end, true, quote)?;
            return Some(Found {
                range: start..end,
                kind: LinkKind::Web,
            });
        }
        if width > 1 {
            return None;
        }
        if scheme.eq_ignore_ascii_case("mailto") {
            // `mailto:` and an address, whatever its domain (`mailto:foo@bar`),
            // and more after commas with no space (`mailto:a@x,b@y`, RFC 6068's
            // `to`: a mail client writes to each). Or `mailto:?to=a@x`, the
            // addresses in header fields only.
            let end = match self.address(after, true) {
                Some(mut end) => {
                    while self.byte(end) == Some(b',') {
                        match self.address(end + 1, true) {
                            Some(next) => end = next,
                            None => break,
                        }
                    }
                    end
                }
                None if self.byte(after) == Some(b'?') => {
                    let end = self.path(after, self.char_before(start));
                    self.text.get(after..end)?.contains('@').then_some(after)?
                }
                None => return None,
            };
            let end = match self.char_at(end) {
                Some('?') => self.path(end, self.char_before(start)),
                _ => end,
            };
            return Some(Found {
                range: start..end,
                kind: LinkKind::Email,
            });
        }
        // An app link: `scheme://` and something after it.
        let body = after + 2;
        if self.text.get(after..body) != Some("//") {
            return None;
        }
        let end = self.path(body, self.char_before(start));
        (end > body).then_some(Found {
            range: start..end,
            kind: LinkKind::App,
        })
    }

    /// Just past the last `@` of the authority that starts at `pos`, if it has
    /// user info. The user info as typed has no brackets, quotes or spaces, so
    /// `[https](https://www.ibm.com)[mailto](mailto:someone@ibm.com)` has none.
    fn userinfo_end(&self, pos: usize) -> Option<usize> {
        let authority = self.text.get(pos..)?;
        let mut at = None;
        for (i, c) in authority.char_indices() {
            if i > MAX_USERINFO_BYTES {
                break;
            }
            match c {
                '/' | '?' | '#' | '\\' | '(' | ')' | '[' | ']' | '{' | '}' | '\'' => break,
                '@' => at = Some(i),
                c if ends_link(c) => break,
                _ => {}
            }
        }
        at.map(|i| pos + i + 1)
    }

    // --- Links without a scheme ------------------------------------------------------

    /// A link without a scheme that has the dot at `t` (`.` or `．`) in its host.
    fn dot(&self, t: usize) -> Option<Found> {
        let start = self.label_start(t)?;
        let prev = self.char_before(start);
        if prev == Some('/') {
            // `//evil.com/x`, protocol-relative: not after a scheme, a path or a word.
            let slashes = start.checked_sub(2)?;
            if slashes >= self.pos
                && self.text.get(slashes..start) == Some("//")
                && !self
                    .char_before(slashes)
                    .is_some_and(|c| glues_to_host(c) || matches!(c, ':' | '：'))
            {
                return self.bare_link(start, slashes);
            }
            return None;
        }
        if self.blocks_bare(start, prev) {
            return None;
        }
        self.bare_link(start, start)
    }

    /// Where the host label that ends at the dot at `t` starts: after the
    /// letters, digits, `-` and `_` before it (at most [`MAX_WALK_BACK`]), less
    /// leading `-`, `_` and invisible characters.
    fn label_start(&self, t: usize) -> Option<usize> {
        let before = self.text.get(self.pos..t)?;
        let mut start = t;
        let mut chars = 0;
        for (i, c) in before.char_indices().rev() {
            if label_char(c, false).is_none() && !is_invisible(c) {
                break;
            }
            chars += 1;
            if chars > MAX_WALK_BACK {
                return None;
            }
            start = self.pos + i;
        }
        let label = self.text.get(start..t)?;
        let lead = label
            .char_indices()
            .find(|&(_, c)| label_char(c, false) == Some(LabelChar::Latin))?
            .0;
        Some(start + lead)
    }

    /// Whether the character before `pos` keeps a host name that starts there from
    /// being a link: the name is part of a longer name or a path, a mention, an
    /// e-mail address, a hashtag or a cashtag (see [`glues_to_host`]), or a word
    /// and a colon (`path:to:file.pm`). A `-` counts only when it is glued to
    /// such a character itself: in `官网-jd.com` it is punctuation, in
    /// `foo-jd.com` part of a name.
    fn blocks_bare(&self, pos: usize, prev: Option<char>) -> bool {
        match prev {
            None => false,
            Some('-') => self
                .char_before(pos.saturating_sub(1))
                .is_some_and(glues_to_host),
            Some(':') => self
                .char_before(pos.saturating_sub(1))
                .is_some_and(|c| c.is_ascii_alphanumeric()),
            Some(c) => glues_to_host(c),
        }
    }

    /// A link without a scheme whose host starts at `host_start` (the link at
    /// `start`: before `//` when protocol-relative).
    fn bare_link(&self, host_start: usize, start: usize) -> Option<Found> {
        // `8.0.16版本`, `199.00元`, `2021.11.11`: digits and dots that no letter
        // follows are a number, not a host (its top-level domain would be all
        // digits), unless an IPv4 address with a path or a port follows
        // (`192.168.1.1/abc`, `10.0.0.1:8080`; alone, more often a version).
        // Most dots of chat text are such numbers: no host is read for them.
        let digits = self
            .text
            .get(host_start..)?
            .bytes()
            .take(MAX_WALK_BACK)
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let after = host_start + digits;
        let continues = self
            .char_at(after)
            .is_some_and(|c| label_char(c, false).is_some() || is_invisible(c));
        let host_end = if continues {
            match self.host(host_start, false) {
                Some(end) => end,
                None => self.www_host(host_start)?,
            }
        } else {
            let address = self.text.get(host_start..after)?;
            if !(matches!(self.byte(after), Some(b'/' | b':')) && is_ipv4(address)) {
                return None;
            }
            after
        };
        // `name.al+lastname@foo.com`, `john.doe.gov@mail.com`: e-mail, not a link;
        // `example.com_`: a longer word; `www.jd.com://x`: a scheme.
        match self.char_at(host_end) {
            Some('@' | '＠' | '+' | '_') => return None,
            Some(':') if self.text.get(host_end..host_end + 3) == Some("://") => return None,
            _ => {}
        }
        let end = self.tail(host_end, false, self.char_before(start))?;
        Some(Found {
            range: start..end,
            kind: LinkKind::Web,
        })
    }

    /// The end of a host that starts with `www.` and has CJK labels
    /// (`www.京东.com`): after `www.` a person reads them as a host's, as after a
    /// scheme; the name must still be under a known suffix.
    fn www_host(&self, pos: usize) -> Option<usize> {
        if !self.text.get(pos..pos + 4)?.eq_ignore_ascii_case("www.") {
            return None;
        }
        let end = self.host(pos, true)?;
        let name_end = match self.byte(end.checked_sub(1)?) {
            Some(b'.') => end - 1,
            _ => end,
        };
        self.is_known_host(pos, name_end, false).then_some(end)
    }

    // --- E-mail addresses ------------------------------------------------------------

    /// A bare e-mail address with its `@` at `t`.
    fn email_at(&self, t: usize) -> Option<Found> {
        let before = self.text.get(self.pos..t)?;
        let mut start = t;
        for (i, b) in before.bytes().enumerate().rev() {
            if !is_local_byte(b) {
                break;
            }
            if t - (self.pos + i) > MAX_WALK_BACK {
                return None;
            }
            start = self.pos + i;
        }
        // A local part neither starts with a dot nor follows a word of another kind.
        while self.byte(start) == Some(b'.') {
            start += 1;
        }
        if start >= t
            || self
                .char_before(start)
                .is_some_and(|c| matches!(c, '@' | '＠' | '/'))
        {
            return None;
        }
        let end = self.address(start, false)?;
        Some(Found {
            range: start..end,
            kind: LinkKind::Email,
        })
    }

    /// The end of the e-mail address at `pos`: a local part, `@`, and a domain
    /// under a known public suffix (any host name after `mailto:`).
    fn address(&self, pos: usize, explicit: bool) -> Option<usize> {
        let local = self
            .text
            .get(pos..)?
            .bytes()
            .take(MAX_WALK_BACK + 1)
            .take_while(|&b| is_local_byte(b))
            .count();
        if local == 0 || local > MAX_WALK_BACK || self.byte(pos + local) != Some(b'@') {
            return None;
        }
        let domain = pos + local + 1;
        let end = self.host(domain, explicit)?;
        // `a.b-c_d@a.b-`, `a@b.com@c`: no address (GFM's rule).
        match self.char_at(end) {
            Some('-' | '_' | '@' | '＠') => None,
            Some(c) if c.is_ascii_alphanumeric() => None,
            _ => Some(end),
        }
    }

    // --- Hosts -----------------------------------------------------------------------

    /// The end of the host name that starts at `pos`, if there is a valid one.
    ///
    /// After a scheme, any host name is one (`http://intranet`, `http://999`),
    /// labels may be CJK, and a full-width dot followed by a label is a dot when
    /// that makes a name under a known suffix (`https://www.jd。com/`); without
    /// one, labels are never CJK, the name must be under a known suffix, but a
    /// CJK top-level domain may follow the last dot, and `．` is a dot as above.
    fn host(&self, pos: usize, scheme: bool) -> Option<usize> {
        if scheme && self.char_at(pos) == Some('[') {
            return self.ipv6(pos);
        }
        let mut at = pos;
        // The end of the last non-empty label, and the start of that label.
        let mut end = pos;
        let mut last_label = pos;
        let mut last_kind = None;
        let mut any_cjk = false;
        // Full-width dots taken as separators, in case the host must end before one.
        let mut wide_dots: Vec<usize> = Vec::new();
        loop {
            let (label_end, kind) = self.label(at, scheme);
            if label_end == at {
                break;
            }
            (last_label, end, last_kind) = (at, label_end, kind);
            any_cjk |= kind == Some(LabelChar::Cjk);
            if end - pos > MAX_HOST_BYTES {
                return None;
            }
            at = label_end;
            match self.char_at(at) {
                Some('.') => at += 1,
                Some(dot @ ('。' | '．' | '｡')) if scheme || dot == '．' => {
                    let next = self.char_at(at + dot.len_utf8());
                    let joins = next.and_then(|c| label_char(c, scheme)).is_some_and(|k| {
                        k == LabelChar::Latin || (k == LabelChar::Cjk && kind == Some(k))
                    });
                    if !joins || wide_dots.len() == MAX_WIDE_DOTS {
                        break;
                    }
                    wide_dots.push(at);
                    at += dot.len_utf8();
                }
                _ => break,
            }
        }
        if end == pos {
            return None;
        }
        // A host without a scheme has two labels at least, or one and a dot
        // before a CJK top-level domain (`twitter.みんな`).
        if !scheme && last_label == pos && self.char_at(end) != Some('.') {
            return None;
        }
        // `jd.com-很好`: the dash is the sentence's, not the host's.
        let trimmed = self.trim_end(pos, end, |c| c == '-' || is_invisible(c));
        if trimmed != end && trimmed > last_label {
            end = trimmed;
        }
        let shape = Shape {
            last_label,
            last_kind,
            any_cjk,
        };
        let end = self.valid_host_end(pos, end, scheme, shape, &wide_dots)?;
        // A trailing dot belongs to the host when the link goes on (`jd.com./x`).
        if self.char_at(end) == Some('.')
            && matches!(self.char_at(end + 1), Some('/' | ':' | '?' | '#'))
        {
            return Some(end + 1);
        }
        Some(end)
    }

    /// The longest fitting host among `pos..end` and its shortenings: with a CJK
    /// top-level domain cut to a known one, or ended before a full-width dot.
    fn valid_host_end(
        &self,
        pos: usize,
        end: usize,
        scheme: bool,
        shape: Shape,
        wide_dots: &[usize],
    ) -> Option<usize> {
        let Shape {
            last_label,
            last_kind,
            any_cjk,
        } = shape;
        // `twitter.みんなです`: a CJK top-level domain after the last dot, `みんな`.
        if !scheme && self.char_at(end) == Some('.') {
            if let Some(longer) = self.cjk_tld_end(pos, end + 1) {
                return Some(longer);
            }
        }
        if self.is_known_host(pos, end, scheme) {
            return Some(end);
        }
        if last_kind == Some(LabelChar::Cjk) {
            // `http://foobar.中国人`: the top-level domain is `中国`.
            let shorter = self
                .text
                .get(last_label..end)?
                .char_indices()
                .skip(1)
                .take(MAX_CJK_TLD_CHARS)
                .map(|(i, _)| last_label + i)
                .filter(|&e| self.is_known_host(pos, e, scheme))
                .last();
            if shorter.is_some() {
                return shorter;
            }
        }
        // `https://www.taobao.com。Thanks`: the full-width dot ends the sentence.
        if let Some(cut) = wide_dots
            .iter()
            .rev()
            .copied()
            .find(|&e| self.is_known_host(pos, e, scheme))
        {
            return Some(cut);
        }
        // After a scheme, any well-formed name is a host, its full-width dots
        // not dots (`http://intranet。谢谢`), when it ends where a name can end:
        // not where a Latin label meets CJK (`http://exampleこれは.com`,
        // `http://xn--はじめ.com`) or an emoji (`http://x🍄.ga/`), and not
        // written in CJK (`https://看看`: Chinese prose after a scheme), which
        // takes a known suffix (`http://例子.测试`).
        if scheme && !any_cjk {
            let end = wide_dots.first().copied().unwrap_or(end);
            let boundary = self.char_at(end).is_none_or(|c| {
                !(is_cjk_letter(c)
                    || label_char(c, true).is_some()
                    || matches!(c, '\u{2070}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FBFF}'))
            });
            return (boundary && self.is_well_formed(pos, end, true)).then_some(end);
        }
        None
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
            .filter(|&e| self.is_known_host(pos, e, false))
            .last()
    }

    /// One host label from `pos`: its end, and whether it is Latin or CJK.
    fn label(&self, pos: usize, scheme: bool) -> (usize, Option<LabelChar>) {
        let mut end = pos;
        let mut kind = None;
        let Some(rest) = self.text.get(pos..) else {
            return (end, kind);
        };
        let mut chars = rest.chars().peekable();
        let mut count = 0;
        while let Some(c) = chars.next() {
            // A label has at most 63 characters: one of 64 is too long already.
            count += 1;
            if count > MAX_WALK_BACK {
                break;
            }
            let this = match label_char(c, scheme) {
                Some(this) => this,
                // `e\u{200B}vil.com`: an invisible character inside a label is
                // in it (a browser drops it, a person does not see it).
                None if is_invisible(c)
                    && end > pos
                    && chars
                        .peek()
                        .is_some_and(|&n| label_char(n, scheme).is_some() || is_invisible(n)) =>
                {
                    LabelChar::Neutral
                }
                None => break,
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

    /// Whether `pos..end` is shaped like a host name: labels of at most 63
    /// characters that neither start nor end with `-` or `_`, two of them at
    /// least without a scheme.
    fn is_well_formed(&self, pos: usize, end: usize, scheme: bool) -> bool {
        let Some(raw) = self.text.get(pos..end) else {
            return false;
        };
        well_formed(&host_key(raw), scheme)
    }

    /// Whether `pos..end` is a host name under a known suffix: a public suffix
    /// (the policy's list), or after a scheme a reserved test name or an IPv4
    /// address. Without a scheme, the top-level domain is not all digits and the
    /// registrable label has no `_`.
    fn is_known_host(&self, pos: usize, end: usize, scheme: bool) -> bool {
        let Some(raw) = self.text.get(pos..end) else {
            return false;
        };
        let host = host_key(raw);
        if !well_formed(&host, scheme) {
            return false;
        }
        if scheme && (is_ipv4(&host) || host == "localhost") {
            return true;
        }
        let tld = host.rsplit('.').next().unwrap_or_default();
        if host.len() == tld.len()
            || tld.bytes().all(|b| b.is_ascii_digit())
            || tld.contains(['_', '%'])
        {
            return false;
        }
        if scheme && RESERVED_TLDS.contains(&tld) {
            return true;
        }
        if !self.psl.has_known_suffix(&host) {
            return false;
        }
        // Without a scheme, underscores are tolerated in subdomains
        // (`sub_domain.jd.com`), never in the registrable label.
        scheme
            || !host.contains('_')
            || self
                .psl
                .registrable_domain(&host)
                .and_then(|d| d.split('.').next())
                .is_none_or(|label| !label.contains('_'))
    }

    // --- Ports and paths -------------------------------------------------------------

    /// The end of the link whose host ends at `pos`: a port and a path, if any.
    /// Without a scheme, a port out of range (`google.com:500000`) makes it no
    /// link. `quote` is the character before the link.
    fn tail(&self, pos: usize, scheme: bool, quote: Option<char>) -> Option<usize> {
        let mut end = pos;
        if self.char_at(end) == Some(':') {
            let digits = self.text.get(end + 1..).map_or(0, |r| {
                r.bytes().take(64).take_while(u8::is_ascii_digit).count()
            });
            let after = end + 1 + digits;
            let glued = self
                .char_at(after)
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let in_range = digits <= 5
                && self
                    .text
                    .get(end + 1..after)
                    .and_then(|d| d.parse::<u32>().ok())
                    .is_some_and(|p| p <= 65_535);
            if digits > 0 && !glued && !in_range && !scheme {
                return None;
            }
            if digits > 0 && (!glued || scheme) {
                end = after;
            }
        }
        let end = match self.char_at(end) {
            Some('/' | '?' | '#') => self.path(end, quote),
            _ => end,
        };
        // When nothing after the host is kept (`https://jd.com.?`, `jd.com.:`), a
        // dot the host kept because a port or path followed is the sentence's
        // after all: trim it too, so the link found is the one found again on
        // its own.
        Some(if end == pos {
            self.trim_end(0, end, |c| c == '.')
        } else {
            end
        })
    }

    /// The end of the path, query and fragment from `pos`: up to a character
    /// that ends a link, an unbalanced closing bracket, or the quote that opened
    /// before the link (`quote`), less trailing ASCII punctuation and an
    /// unbalanced `"`.
    fn path(&self, pos: usize, quote: Option<char>) -> usize {
        let mut end = pos;
        let mut open = [0_usize; 3];
        // An unmatched `"` in the path: the link ends before it.
        let mut open_quote: Option<usize> = None;
        if let Some(rest) = self.text.get(pos..) {
            let mut chars = rest.chars().peekable();
            while let Some(c) = chars.next() {
                if is_invisible(c) {
                    // Inside a path when more of the path follows.
                    if !chars
                        .peek()
                        .is_some_and(|&n| !ends_link(n) || is_invisible(n))
                    {
                        break;
                    }
                } else if ends_link(c) && c != '"' {
                    break;
                }
                match c {
                    '"' | '\'' if quote == Some(c) => break,
                    '"' => {
                        open_quote = match open_quote {
                            Some(_) => None,
                            None => Some(end),
                        };
                    }
                    _ => {}
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
        if let Some(quote_at) = open_quote {
            end = quote_at;
        }
        // Trailing punctuation, and a trailing `'` that closes no quote of the link.
        loop {
            let trimmed = self.trim_end(pos, end, |c| {
                TRAILING_PUNCTUATION.contains(&c) || is_invisible(c)
            });
            if self.char_before(trimmed) == Some('\'')
                && trimmed > pos
                && self
                    .text
                    .get(pos..trimmed)
                    .is_some_and(|p| p.bytes().filter(|&b| b == b'\'').count() % 2 == 1)
            {
                end = trimmed - 1;
                continue;
            }
            break trimmed;
        }
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

/// The next `．` (U+FF0E) or `：` (U+FF1A) at or after `from`: UTF-8 `EF BC 8E`
/// and `EF BC 9A`.
fn next_wide_trigger(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let i = at + memchr::memchr(0xEF, bytes.get(at..)?)?;
        if bytes.get(i + 1) == Some(&0xBC) && matches!(bytes.get(i + 2), Some(0x8E | 0x9A)) {
            return Some(i);
        }
        at = i + 1;
    }
}

/// A character of an e-mail address's local part as chat text has them.
fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// The host as the Public Suffix List is asked about it: ASCII lowercase, with
/// full-width letters, digits and dots as ASCII, without invisible characters
/// (as a browser maps them).
fn host_key(raw: &str) -> Cow<'_, str> {
    if raw.is_ascii() && !raw.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(raw);
    }
    let key = raw
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| match c {
            '。' | '．' | '｡' => '.',
            c => fold_wide(c).unwrap_or(c).to_ascii_lowercase(),
        })
        .collect();
    Cow::Owned(key)
}

/// Labels of at most 63 characters that neither start nor end with `-` or `_`;
/// two at least without a scheme.
fn well_formed(host: &str, scheme: bool) -> bool {
    let mut labels = 0;
    for label in host.split('.') {
        let chars = if label.is_ascii() {
            label.len()
        } else {
            label.chars().count()
        };
        if label.is_empty()
            || chars > 63
            || label.starts_with(['-', '_'])
            || label.ends_with(['-', '_'])
        {
            return false;
        }
        labels += 1;
    }
    labels >= if scheme { 1 } else { 2 }
}

/// The ASCII letter or digit a full-width one stands for (`Ｗ` → `W`).
fn fold_wide(c: char) -> Option<char> {
    if is_wide_alphanumeric(c) {
        char::from_u32(u32::from(c) - 0xFEE0)
    } else {
        None
    }
}

/// Full-width ASCII letters and digits (U+FF10–FF19, FF21–FF3A, FF41–FF5A).
fn is_wide_alphanumeric(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
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
/// `a` is, see [`Finder::scheme_start`]), a word joined by `_`, a mention, a
/// hashtag or a cashtag.
fn blocks_scheme(prev: char) -> bool {
    prev.is_ascii_alphabetic() || matches!(prev, '_' | '$' | '#' | '＃')
}

/// A character that makes a host name right after it part of something else: a
/// letter, digit, `-` or `_` (a longer name), `.`, `．`, `/`, `%` or `\` (a
/// longer name or a path), `@` (a mention or an e-mail address), `#` or `$` (a
/// hashtag or a cashtag).
fn glues_to_host(c: char) -> bool {
    label_char(c, false).is_some()
        || matches!(
            c,
            '.' | '．' | '/' | '@' | '＠' | '$' | '#' | '＃' | '%' | '\\'
        )
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
    if is_wide_alphanumeric(c) {
        return Some(LabelChar::Latin);
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

/// Invisible format characters: zero-width spaces and joiners, bidirectional
/// marks and controls, word joiners, the byte order mark, the soft hyphen.
/// Between two characters of a link they are part of it; at its ends, not.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// Bidirectional formatting characters: the marks (U+061C, U+200E, U+200F),
/// embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069). In a
/// link they make what a reader sees differ from what it opens.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
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
    c.is_whitespace()
        || c.is_control()
        || is_invisible(c)
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

/// Whether `raw` (the link as given to `classify`) has a bidirectional control
/// between two of its characters: the text shown is then not the text opened,
/// and `classify` raises the verdict to a hard block, [`Reason::BidiControl`](crate::Reason::BidiControl).
/// At its ends such a character is trimmed like white space. An ASCII link costs
/// one `is_ascii` (and one the fast path read, none).
pub(crate) fn has_bidi_control(raw: &str) -> bool {
    if raw.is_ascii() {
        return false;
    }
    let inner = raw.trim_matches(crate::link::is_edge_noise);
    inner.chars().any(is_bidi_control)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// The shortest of 25 timings of finding the links of each text, interleaved:
    /// on a loaded machine some short runs get the processor to themselves.
    fn shortest(psl: &PublicSuffixList, texts: [&str; 2]) -> [Duration; 2] {
        let mut best = [Duration::MAX; 2];
        for _ in 0..25 {
            for (b, text) in best.iter_mut().zip(texts) {
                let t = Instant::now();
                std::hint::black_box(Finds::new(text, psl).count());
                *b = (*b).min(t.elapsed());
            }
        }
        best
    }

    /// Messages built to make a finder walk back or forwards again and again,
    /// or search the message again from each trigger: 16 times the text takes
    /// about 16 times as long (a quadratic finder: 256 times). Wall-clock time
    /// is compared for runs shorter than a scheduler's time slice, the bound
    /// loose for a loaded machine: 64 times, plus 0.2 ms. (Instruction counts,
    /// with callgrind, are 16.0 times for such messages.)
    #[test]
    fn finding_is_linear_in_the_message() {
        let psl = PublicSuffixList::builtin();
        for piece in [
            "a.",
            "a-",
            "1.",
            "http://",
            "http://a ",
            "a@",
            "a.b@",
            "@a.",
            "．ａ",
            "ａ．",
            "ｈｔｔｐｓ：//",
            "https：",
            "a:",
            "//a.",
            "\u{200B}a.",
            "x.com/(",
            "\"x.com/\"",
            "http://a.com/\u{200B}",
            "京东。",
            "https://京东。中",
            "a.com。",
            "http://a。",
        ] {
            let small = piece.repeat(16);
            let large = piece.repeat(16 * 16);
            let [one, many] = shortest(&psl, [&small, &large]);
            assert!(
                many <= one * 64 + Duration::from_micros(200),
                "{piece:?}: {many:?} for 16 times the text, {one:?} for one"
            );
        }
    }
}
