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
//!
//! This file holds the trigger search ([`Finds`]) and, at each trigger, the walk
//! back to where a link starts: a scheme, a host without one, an e-mail address.
//! What the finder reads forwards from a host's start (the host, a port, a path)
//! is in `host.rs`, with the finder's view of the message; the character classes
//! both read with are in `chars.rs`.

use std::ops::Range;

use super::LinkKind;
use super::chars::{
    LabelChar, blocks_scheme, ends_link, glues_to_host, is_invisible, is_ipv4, is_local_byte,
    label_char,
};
use super::host::{Finder, MAX_WALK_BACK};
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

/// The longest scheme name looked for.
const MAX_SCHEME_LEN: usize = 32;

/// How far the user info of a link is looked for, in bytes.
const MAX_USERINFO_BYTES: usize = 256;

impl Finder<'_> {
    /// The link a trigger at `t` belongs to, if any.
    // Inlined into `Finds::next`, as LLVM did when the finder was one file:
    // out of line it costs link-free messages 1.5% more instructions (perf/scan).
    #[inline]
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
        let web = crate::link::HOST_SCHEMES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme));
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
