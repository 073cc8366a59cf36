//! The character classes of the message finder: what can be in a host label,
//! what ends a link, what glues a name to the text before it, invisible and
//! bidirectional characters, and the shape of a host name (its key for the
//! Public Suffix List, its labels, an IPv4 address). Deciding reads some of
//! them too, for display text and bidirectional controls.

use std::borrow::Cow;

/// What a character is inside a host label.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(super) enum LabelChar {
    /// An ASCII or full-width letter or digit, or a letter or mark of a script
    /// other than CJK.
    Latin,
    /// A CJK ideograph, kana or Hangul syllable.
    Cjk,
    /// `-`, `_`, `%` after a scheme, or an invisible character between two
    /// label characters: fits either kind of label.
    Neutral,
}

/// A character of an e-mail address's local part as chat text has them.
pub(super) fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// The host as the Public Suffix List is asked about it: ASCII lowercase, with
/// full-width letters, digits and dots as ASCII, without invisible characters
/// (as a browser maps them).
pub(super) fn host_key(raw: &str) -> Cow<'_, str> {
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
pub(super) fn well_formed(host: &str, scheme: bool) -> bool {
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
pub(super) fn is_ipv4(host: &str) -> bool {
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
/// `a` is, see [`Finder::scheme_start`](super::host::Finder::scheme_start)), a
/// word joined by `_`, a mention, a hashtag or a cashtag.
pub(super) fn blocks_scheme(prev: char) -> bool {
    prev.is_ascii_alphabetic() || matches!(prev, '_' | '$' | '#' | '＃')
}

/// A character that makes a host name right after it part of something else: a
/// letter, digit, `-` or `_` (a longer name), `.`, `．`, `/`, `%` or `\` (a
/// longer name or a path), `@` (a mention or an e-mail address), `#` or `$` (a
/// hashtag or a cashtag).
pub(super) fn glues_to_host(c: char) -> bool {
    label_char(c, false).is_some()
        || matches!(
            c,
            '.' | '．' | '/' | '@' | '＠' | '$' | '#' | '＃' | '%' | '\\'
        )
}

/// What `c` is inside a host label, if it can be in one. CJK letters and `%`
/// only after a scheme.
pub(super) fn label_char(c: char, scheme: bool) -> Option<LabelChar> {
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
pub(super) fn is_cjk_letter(c: char) -> bool {
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
