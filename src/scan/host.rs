//! What the message finder reads forwards from where a link's host starts: the
//! host name (its labels, full-width dots and known suffix), a port, and the
//! path, query and fragment, with the finder's view of one message ([`Finder`]).
//! The walk back from a trigger to a link's start, which calls these, is in
//! `finder.rs`.

use super::chars::{
    LabelChar, ends_link, host_key, is_cjk_letter, is_invisible, is_ipv4, label_char, well_formed,
};
use crate::psl::PublicSuffixList;

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

/// The longest e-mail local part (RFC 5321) and host label (RFC 1035), in
/// characters: how far back a trigger looks.
pub(super) const MAX_WALK_BACK: usize = 64;

/// A host longer than this many bytes is no host (DNS names have at most 253
/// characters; CJK labels take three bytes a character).
const MAX_HOST_BYTES: usize = 1024;

/// The most full-width dots a host is read with (a real host has a handful of
/// labels); each may be where the host must end, and is tried.
const MAX_WIDE_DOTS: usize = 8;

/// The longest CJK top-level domain tried at the end of a host (`.みんな`,
/// `.中国`, `.公司`; the longest in the list have 7 characters).
const MAX_CJK_TLD_CHARS: usize = 8;

/// ASCII punctuation that ends a sentence more often than a URL: dropped from the
/// end of a link (and `'` when it closes no quote of the link).
const TRAILING_PUNCTUATION: [char; 8] = ['.', ',', ':', ';', '!', '?', '*', '~'];

/// The scanner's view of one message.
#[derive(Clone, Copy, Debug)]
pub(super) struct Finder<'a> {
    pub(super) text: &'a str,
    pub(super) psl: &'a PublicSuffixList,
    /// The end of the last link found: nothing before it is read again.
    pub(super) pos: usize,
}

/// What [`Finder::host`] read of a host: where its last label starts, the
/// kind of that label, and whether any label is CJK.
#[derive(Clone, Copy, Debug)]
struct Shape {
    last_label: usize,
    last_kind: Option<LabelChar>,
    any_cjk: bool,
}

impl Finder<'_> {
    pub(super) fn byte(&self, i: usize) -> Option<u8> {
        self.text.as_bytes().get(i).copied()
    }

    /// The character at byte `pos`, if `pos` is a character boundary in the text.
    pub(super) fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    /// The character that ends at byte `pos`.
    pub(super) fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }

    // --- Hosts -----------------------------------------------------------------------

    /// The end of the host name that starts at `pos`, if there is a valid one.
    ///
    /// After a scheme, any host name is one (`http://intranet`, `http://999`),
    /// labels may be CJK, and a full-width dot followed by a label is a dot when
    /// that makes a name under a known suffix (`https://www.jd。com/`); without
    /// one, labels are never CJK, the name must be under a known suffix, but a
    /// CJK top-level domain may follow the last dot, and `．` is a dot as above.
    pub(super) fn host(&self, pos: usize, scheme: bool) -> Option<usize> {
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
    pub(super) fn is_known_host(&self, pos: usize, end: usize, scheme: bool) -> bool {
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
    pub(super) fn tail(&self, pos: usize, scheme: bool, quote: Option<char>) -> Option<usize> {
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
    pub(super) fn path(&self, pos: usize, quote: Option<char>) -> usize {
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
