//! A fast path for `url::Url::parse` on ordinary web links.
//!
//! Most links in chat are plain `https://host/path?query#fragment` with nothing for
//! the URL parser to rewrite except the case of the scheme and host, an empty path
//! and a default port. For those, [`parse`] produces the url crate's serialization
//! and [`Layout`] in one pass over the bytes and one allocation; for anything else it
//! returns `None` and the caller parses with the url crate. It never guesses: every
//! input it accepts is one whose result the URL standard (as the url crate
//! implements it) fixes without any of the steps it skips.
//!
//! # What is accepted
//!
//! ```text
//! link      = scheme "//" host [ ":" port ] [ path ] [ "?" query ] [ "#" fragment ]
//!           | host [ ":" port ] [ path ] [ "?" query ] [ "#" fragment ]   (assume_http)
//! scheme    = "http:" | "https:"                  (any case)
//! host      = label *( "." label )
//! label     = 1*( ALPHA | DIGIT | "-" )           (not starting with "xn--", any case)
//! port      = 1*DIGIT                             (value at most 65535)
//! path      = "/" *( path-byte | "/" )            (no segment "." or "..", see below)
//! query     = *query-byte
//! fragment  = *fragment-byte
//! ```
//!
//! and the last label starts with a letter, and no `%` in the path, query or
//! fragment starts an escape of an unreserved character (`%41`, `%7e`: those are
//! decoded by normalization, contract 4.6, which the url crate's path does). The
//! byte sets, all within printable ASCII `!`..`~` (so no space, control or
//! non-ASCII byte is ever accepted):
//!
//! - `path-byte`: printable ASCII except `"` `<` `>` `` ` `` `{` `}` `^` `\` `?` `#`;
//! - `query-byte`: printable ASCII except `"` `<` `>` `'` `#`;
//! - `fragment-byte`: printable ASCII except `"` `<` `>` `` ` ``.
//!
//! # Why the result is the url crate's
//!
//! - Scheme: the special schemes `http` and `https` are lowercased; exactly two
//!   slashes follow and the host starts with a letter or digit, so the parser's
//!   slash counting (`http:///x`, `http:\\x`) never comes into play.
//! - User info: `@` is no host byte, so a link with user info is declined.
//! - Host: IDNA (UTS #46 with the URL standard's options: no hyphen checks, no DNS
//!   length checks) maps ASCII letters, digits and hyphens to themselves, lowercased,
//!   unless a label is Punycode (`xn--`, declined). Empty labels (and so a leading or
//!   trailing dot) are declined. A last label starting with a letter is neither
//!   decimal nor `0x` hexadecimal, so the host never "ends in a number" and is never
//!   read as an IPv4 address. `%` is no host byte, so nothing is percent-decoded.
//! - Port: its decimal value is written, without leading zeros, and not at all when
//!   it is the scheme's default (80, 443). An empty port, a value above 65535 and
//!   anything but `/`, `?`, `#` or the end after it are declined.
//! - Path: the bytes allowed are those the url crate copies verbatim (it percent-
//!   encodes `"` `<` `>` `` ` `` `{` `}`; `\` is a slash in special URLs). `^` is
//!   copied by the url crate too but declined here: the URL standard has since added
//!   it to the path percent-encode set, and a url upgrade must not make the fast path
//!   wrong. Segments `.` and `..` (also written `%2e`, any case) are removed by the
//!   parser, so they are declined. An empty path becomes `/`.
//! - Query: the special-query percent-encode set is `"` `#` `<` `>` `'` with space
//!   and controls; `#` ends the query.
//! - Fragment: the fragment percent-encode set is `"` `<` `>` `` ` `` with space and
//!   controls; `#` inside a fragment is copied.
//!
//! Since no byte after the host changes, the serialization is the scheme, `://`, the
//! lowercased host, the port, and the rest of the input (with `/` put before a `?` or
//! `#` that directly follows the authority). The differential tests
//! (`tests/fastpath.rs`) check this against `url::Url::parse` on the WPT URL test
//! data, the adversarial corpus, real phishing URLs and millions of generated links.

use std::borrow::Cow;

use url::Url;

use super::text::{Layout, decimal, is_unreserved_escape};

/// The longest input taken: [`Layout`]'s offsets are `u32`, and the serialization
/// may be longer than the input by the scheme, `://` and a `/`.
const MAX_INPUT_LEN: usize = (u32::MAX as usize) / 2;

/// Class bit: an ASCII letter, digit or hyphen, the bytes of host labels.
const HOST: u8 = 1;
/// Class bit: an ASCII upper-case letter.
const UPPER: u8 = 2;
/// Class bit: copied verbatim in a path segment. Not `/`, `?` and `#`, which end a
/// segment, nor `\`, a slash in special URLs; not `"` `<` `>` `` ` `` `{` `}`,
/// which the parser percent-encodes, nor `^`, which the URL standard has since
/// added to the path percent-encode set.
const PATH: u8 = 4;
/// Class bit: copied verbatim in a query (of a special URL). Not `#`, which ends
/// the query, nor `"` `<` `>` `'`, which the parser percent-encodes.
const QUERY: u8 = 8;
/// Class bit: copied verbatim in a fragment. Not `"` `<` `>` `` ` ``, which the
/// parser percent-encodes.
const FRAGMENT: u8 = 16;

/// The class bits of every byte. Only printable ASCII (`!`..=`~`) has any: space,
/// controls, DEL and every byte of a non-ASCII character are in no class.
static CLASSES: [u8; 256] = classes();

/// Builds [`CLASSES`].
const fn classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut rest: &mut [u8] = &mut table;
    let mut b: u8 = 0;
    while let [slot, tail @ ..] = rest {
        *slot = class_of(b);
        rest = tail;
        b = b.wrapping_add(1);
    }
    table
}

/// The class bits of a byte, computed.
const fn class_of(b: u8) -> u8 {
    if b < b'!' || b > b'~' {
        return 0;
    }
    let mut class = 0;
    if b.is_ascii_alphanumeric() || b == b'-' {
        class |= HOST;
    }
    if b.is_ascii_uppercase() {
        class |= UPPER;
    }
    if !matches!(
        b,
        b'/' | b'?' | b'#' | b'\\' | b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'^' | b'%'
    ) {
        class |= PATH;
    }
    if !matches!(b, b'#' | b'"' | b'<' | b'>' | b'\'' | b'%') {
        class |= QUERY;
    }
    if !matches!(b, b'"' | b'<' | b'>' | b'`' | b'%') {
        class |= FRAGMENT;
    }
    class
}

/// The class bits of a byte.
#[inline(always)]
fn class(b: u8) -> u8 {
    // Never `None`: the table has an entry for every byte.
    CLASSES.get(usize::from(b)).copied().unwrap_or(0)
}

/// Parses an ordinary http(s) link exactly as `url::Url::parse` does, or returns
/// `None` when the link is not one the fast path knows to be ordinary.
///
/// `input` has been trimmed and has no ASCII tab, CR or LF (an input that has them
/// is declined, never misread). When `assume_http` is true the input has no scheme
/// and is read as `http://` followed by the input.
///
/// `Some((s, layout))` only when `s == Url::parse(full)?.as_str()` and
/// `layout == Layout::of(&that url)`, where `full` is the input with the `http://`
/// when it is assumed.
pub(crate) fn parse(input: &str, assume_http: bool) -> Option<(String, Layout)> {
    parse_noting_case(input, assume_http).map(|(s, layout, _)| (s, layout))
}

/// [`parse`], and whether the host was written with an upper-case letter (which
/// the lookalike floor reads as written: `paypaI.com`).
pub(crate) fn parse_noting_case(input: &str, assume_http: bool) -> Option<(String, Layout, bool)> {
    let bytes = input.as_bytes();
    if bytes.len() > MAX_INPUT_LEN {
        return None;
    }
    let (https, after_scheme) = if assume_http {
        (false, bytes)
    } else {
        split_scheme(bytes)?
    };
    let (host_len, has_upper) = host_len(after_scheme)?;
    let (host, after_host) = after_scheme.split_at_checked(host_len)?;
    let (port, tail) = match after_host {
        [b':', rest @ ..] => {
            let (port, tail) = split_port(rest)?;
            let default = if https { 443 } else { 80 };
            ((port != default).then_some(port), tail)
        }
        _ => (None, after_host),
    };
    let (query_at, fragment_at) = scan_tail(tail)?;
    let host_at = bytes.len() - after_scheme.len();
    let host_str = input.get(host_at..host_at + host.len())?;
    let tail_str = input.get(bytes.len() - tail.len()..)?;

    // Writing: nothing can fail from here on.
    let scheme = if https { "https" } else { "http" };
    let needs_slash = !tail.starts_with(b"/");
    let mut s = String::with_capacity(scheme.len() + 3 + host.len() + 6 + 1 + tail.len());
    s.push_str(scheme);
    s.push_str("://");
    let host_start = s.len();
    if has_upper {
        s.extend(host.iter().map(|&b| char::from(b.to_ascii_lowercase())));
    } else {
        s.push_str(host_str);
    }
    let host_end = s.len();
    if let Some(port) = port {
        s.push(':');
        push_decimal(&mut s, port);
    }
    let path_start = s.len();
    if needs_slash {
        s.push('/');
    }
    let tail_start = s.len();
    s.push_str(tail_str);
    let offset = |n: usize| u32::try_from(n).ok();
    let layout = Layout {
        scheme_end: offset(scheme.len())?,
        host_start: offset(host_start)?,
        host_end: offset(host_end)?,
        port,
        path_start: offset(path_start)?,
        query_start: match query_at {
            Some(q) => Some(offset(tail_start + q)?),
            None => None,
        },
        fragment_start: match fragment_at {
            Some(f) => Some(offset(tail_start + f)?),
            None => None,
        },
    };
    Some((s, layout, has_upper))
}

/// Splits `http://` or `https://` (scheme in any case) off the front: whether it
/// is https, and what follows the two slashes.
#[inline]
fn split_scheme(bytes: &[u8]) -> Option<(bool, &[u8])> {
    match bytes {
        [h, t1, t2, p, rest @ ..]
            if h.eq_ignore_ascii_case(&b'h')
                && t1.eq_ignore_ascii_case(&b't')
                && t2.eq_ignore_ascii_case(&b't')
                && p.eq_ignore_ascii_case(&b'p') =>
        {
            match rest {
                [b':', b'/', b'/', rest @ ..] => Some((false, rest)),
                [s, b':', b'/', b'/', rest @ ..] if s.eq_ignore_ascii_case(&b's') => {
                    Some((true, rest))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The length of the host at the start of `bytes`: dot-separated non-empty labels
/// of ASCII letters, digits and hyphens, none of them Punycode, the last starting
/// with a letter, followed by the end or one of `:`, `/`, `?`, `#`. Also whether
/// it has an upper-case letter.
#[inline]
fn host_len(bytes: &[u8]) -> Option<(usize, bool)> {
    let mut label_start = 0;
    let mut end = bytes.len();
    let mut classes = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let c = class(b);
        if c & HOST != 0 {
            classes |= c;
            continue;
        }
        match b {
            b'.' => {
                ordinary_label(bytes.get(label_start..i)?)?;
                label_start = i + 1;
            }
            b':' | b'/' | b'?' | b'#' => {
                end = i;
                break;
            }
            _ => return None,
        }
    }
    let last = bytes.get(label_start..end)?;
    ordinary_label(last)?;
    // Never a number (decimal, or hexadecimal with `0x`), so never an IPv4 address.
    if !last.first()?.is_ascii_alphabetic() {
        return None;
    }
    Some((end, classes & UPPER != 0))
}

/// `Some(())` when a host label is non-empty and not Punycode (`xn--`, any case).
#[inline]
fn ordinary_label(label: &[u8]) -> Option<()> {
    match label {
        [] => None,
        [x, n, b'-', b'-', ..]
            if x.eq_ignore_ascii_case(&b'x') && n.eq_ignore_ascii_case(&b'n') =>
        {
            None
        }
        _ => Some(()),
    }
}

/// The port after the `:` and what follows it: one or more digits, a value of at
/// most 65535, then the end, `/`, `?` or `#`.
#[inline]
fn split_port(bytes: &[u8]) -> Option<(u16, &[u8])> {
    let mut value: u32 = 0;
    let mut digits = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            break;
        }
        value = value * 10 + u32::from(b - b'0');
        if value > u32::from(u16::MAX) {
            return None;
        }
        digits += 1;
    }
    if digits == 0 {
        return None;
    }
    let rest = bytes.get(digits..)?;
    match rest.first() {
        None | Some(b'/' | b'?' | b'#') => Some((u16::try_from(value).ok()?, rest)),
        Some(_) => None,
    }
}

/// Checks the path, query and fragment (`tail` is empty or starts with `/`, `?` or
/// `#`) and finds where the query and fragment start in it: `None` when a byte or a
/// dot segment would be rewritten by the parser.
#[inline]
fn scan_tail(tail: &[u8]) -> Option<(Option<usize>, Option<usize>)> {
    // Path: segments between slashes, up to `?`, `#` or the end.
    let mut segment_start = 0;
    let mut path_end = tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if class(b) & PATH != 0 {
            continue;
        }
        match b {
            b'%' => kept_escape(tail.get(i..)?)?,
            b'/' => {
                dot_segment_free(tail.get(segment_start..i)?)?;
                segment_start = i + 1;
            }
            b'?' | b'#' => {
                path_end = i;
                break;
            }
            _ => return None,
        }
    }
    dot_segment_free(tail.get(segment_start..path_end)?)?;
    let mut rest = tail.get(path_end..)?;
    // Query: up to `#` or the end.
    let mut query_at = None;
    if let [b'?', query @ ..] = rest {
        query_at = Some(path_end);
        rest = query.get(copied_len(query, QUERY)?..)?;
    }
    // Fragment: to the end.
    let mut fragment_at = None;
    match rest {
        [] => {}
        [b'#', fragment @ ..] if copied_len(fragment, FRAGMENT)? == fragment.len() => {
            fragment_at = Some(tail.len() - rest.len());
        }
        _ => return None,
    }
    Some((query_at, fragment_at))
}

/// How many bytes at the start of `bytes` are copied verbatim in a part of
/// class `part` (`QUERY` or `FRAGMENT`): `None` when an escape of an unreserved
/// character comes first, which normalization decodes (contract 4.6).
#[inline]
fn copied_len(bytes: &[u8], part: u8) -> Option<usize> {
    for (i, &b) in bytes.iter().enumerate() {
        if class(b) & part != 0 {
            continue;
        }
        if b == b'%' {
            kept_escape(bytes.get(i..)?)?;
            continue;
        }
        return Some(i);
    }
    Some(bytes.len())
}

/// `Some(())` unless `bytes` start with an escape of an unreserved character
/// (`%41`, `%7e`), which normalization decodes (contract 4.6): a `%` that
/// starts any other escape, or none, is copied as written.
#[inline]
fn kept_escape(bytes: &[u8]) -> Option<()> {
    (!is_unreserved_escape(bytes)).then_some(())
}

/// `Some(())` unless a path segment is `.` or `..`, with any dot written `%2e` or
/// `%2E`: the parser removes those.
#[inline]
fn dot_segment_free(segment: &[u8]) -> Option<()> {
    let mut rest = segment;
    let mut dots = 0;
    loop {
        rest = match rest {
            [] => {
                return if dots == 1 || dots == 2 {
                    None
                } else {
                    Some(())
                };
            }
            [b'.', after @ ..] => after,
            [b'%', b'2', b'e' | b'E', after @ ..] => after,
            _ => return Some(()),
        };
        dots += 1;
        if dots > 2 {
            return Some(());
        }
    }
}

/// Appends a port in decimal, without leading zeros.
fn push_decimal(s: &mut String, n: u16) {
    s.push_str(decimal(u32::from(n), &mut [0; 10]));
}

/// Runs the fast path on one input and compares it with `url::Url::parse`:
/// `Ok(true)` when the fast path took the input and agrees, `Ok(false)` when it
/// declined, `Err` with a description when it took the input and disagrees.
pub(crate) fn agrees(input: &str, assume_http: bool) -> Result<bool, String> {
    let Some((fast, layout)) = parse(input, assume_http) else {
        return Ok(false);
    };
    let full: Cow<'_, str> = if assume_http {
        format!("http://{input}").into()
    } else {
        input.into()
    };
    match Url::parse(&full) {
        Ok(url) => {
            // The slow path's reading: the url crate's, then escapes of
            // unreserved characters decoded (contract 4.6).
            let (text, expected) =
                crate::link::text::decode_unreserved(url.to_string(), Layout::of(&url));
            if text == fast && expected == layout {
                Ok(true)
            } else {
                Err(format!(
                    "{full:?}: the fast path gives {fast:?} {layout:?}, url (unreserved escapes decoded) gives {text:?} {expected:?}"
                ))
            }
        }
        Err(e) => Err(format!(
            "{full:?}: the fast path gives {fast:?} {layout:?}, url rejects it: {e}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path's serialization, checked against the url crate.
    fn fast(input: &str, assume_http: bool) -> Option<String> {
        let out = parse(input, assume_http).map(|(s, _)| s);
        if out.is_some() {
            assert_eq!(agrees(input, assume_http), Ok(true), "{input:?}");
        }
        out
    }

    macro_rules! taken {
        ($name:ident, $input:expr, $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(fast($input, false).as_deref(), Some($expected));
            }
        };
        ($name:ident, $input:expr, assume_http, $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(fast($input, true).as_deref(), Some($expected));
            }
        };
    }

    macro_rules! declined {
        ($name:ident, $($input:expr),+ $(,)?) => {
            #[test]
            fn $name() {
                for input in [$($input),+] {
                    assert_eq!(parse(input, false), None, "{input:?}");
                }
            }
        };
    }

    taken!(
        plain,
        "https://item.jd.com/1.html",
        "https://item.jd.com/1.html"
    );
    taken!(empty_path, "https://jd.com", "https://jd.com/");
    taken!(
        upper_case,
        "HTTPS://WWW.JD.COM/Promo",
        "https://www.jd.com/Promo"
    );
    taken!(mixed_case_scheme, "hTtP://Jd.Com", "http://jd.com/");
    taken!(
        query_after_host,
        "https://jd.com?a=1",
        "https://jd.com/?a=1"
    );
    taken!(
        fragment_after_host,
        "https://jd.com#top",
        "https://jd.com/#top"
    );
    taken!(empty_query_fragment, "http://a.b/?#", "http://a.b/?#");
    taken!(port, "http://jd.com:8080/x", "http://jd.com:8080/x");
    taken!(
        default_port_dropped,
        "http://jd.com:80/x",
        "http://jd.com/x"
    );
    taken!(
        https_default_port_dropped,
        "https://jd.com:443",
        "https://jd.com/"
    );
    taken!(
        http_port_on_https,
        "https://jd.com:80/",
        "https://jd.com:80/"
    );
    taken!(port_leading_zeros, "http://jd.com:0080/", "http://jd.com/");
    taken!(
        port_leading_zeros_kept,
        "http://jd.com:08080?q",
        "http://jd.com:8080/?q"
    );
    taken!(port_zero, "http://jd.com:0/", "http://jd.com:0/");
    taken!(port_max, "http://jd.com:65535#f", "http://jd.com:65535/#f");
    taken!(digit_labels, "http://1.2.3.com/", "http://1.2.3.com/");
    taken!(hyphens, "http://-a-.b--c.d-/", "http://-a-.b--c.d-/");
    taken!(single_label, "http://localhost/", "http://localhost/");
    taken!(
        dots_in_segments,
        "http://a.com/.../.a/a./..b/",
        "http://a.com/.../.a/a./..b/"
    );
    taken!(
        reserved_escapes_kept,
        "http://a.com/%2F%3a%20%E4%BA%AC?t=https%3A%2F%2Fx%26y#%23%3D",
        "http://a.com/%2F%3a%20%E4%BA%AC?t=https%3A%2F%2Fx%26y#%23%3D"
    );
    taken!(empty_segments, "http://a.com//x//", "http://a.com//x//");
    taken!(
        percent_kept,
        "http://a.com/%zz%2F%/?%#%",
        "http://a.com/%zz%2F%/?%#%"
    );
    taken!(
        query_keeps_braces_and_backslash,
        "http://a.com/?q={`|^}\\?",
        "http://a.com/?q={`|^}\\?"
    );
    taken!(
        fragment_keeps_hash_and_quote,
        "http://a.com/#a#b'{}|^\\?",
        "http://a.com/#a#b'{}|^\\?"
    );
    taken!(
        path_keeps_quote_and_pipe,
        "http://a.com/it's|[x]@:;=!$&()*+,~_",
        "http://a.com/it's|[x]@:;=!$&()*+,~_"
    );
    taken!(
        embedded_url,
        "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/",
        "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/"
    );
    taken!(assumed, "jd.com/x", assume_http, "http://jd.com/x");
    taken!(
        assumed_www,
        "WWW.Taobao.com",
        assume_http,
        "http://www.taobao.com/"
    );
    taken!(
        assumed_port,
        "jd.com:8080/x",
        assume_http,
        "http://jd.com:8080/x"
    );
    taken!(
        assumed_default_port,
        "jd.com:80",
        assume_http,
        "http://jd.com/"
    );

    declined!(
        not_http,
        "ftp://a.com/",
        "ws://a.com/",
        "httpx://a.com/",
        "htp://a.com/",
        "weixin://dl/business/?t=abc",
        "mailto:kefu@jd.com",
        "javascript:alert(1)",
        "jd.com/x",
    );
    declined!(
        slashes,
        "http:a.com",
        "http:/a.com",
        "http:///a.com",
        "http:\\\\a.com",
        "http:/\\a.com",
        "http://\\a.com",
        "http://",
        "http:",
    );
    declined!(
        userinfo,
        "https://jd.com@evil.example/",
        "https://a:b@evil.example/",
        "https://@evil.example/",
        "https://a@/",
    );
    declined!(
        hosts,
        "http://./",
        "http://a..b/",
        "http://.a.com/",
        "http://a.com./",
        "http://www.jd.com./promo/1",
        "http://xn--xhq9m.com/",
        "http://XN--xhq9m.com/",
        "http://a.xN--p1ai/",
        "http://xn--/",
        "http://京东.com/",
        "http://www.jd。com/",
        "http://www%2ejd.com/",
        "http://a_b.com/",
        "http://a*b.com/",
        "http://[::1]/",
        "http://0x7f.1/",
        "http://127.0.0.1/",
        "http://3232235777/",
        "http://a.0x/",
        "http://a.09/",
        "http://a.1e/",
        "http://a.b c/",
        "http://a.com\\path",
    );
    declined!(
        ports,
        "http://a.com:/",
        "http://a.com:65536/",
        "http://a.com:99999999999999999999/",
        "http://a.com:-1/",
        "http://a.com:1a/",
        "http://a.com:80:80/",
        "http://a.com:8080\\x",
        "http://a.com: 80/",
    );
    declined!(
        dot_segments,
        "http://a.com/.",
        "http://a.com/..",
        "http://a.com/./x",
        "http://a.com/x/../y",
        "http://a.com/%2e",
        "http://a.com/%2E/",
        "http://a.com/.%2e?q",
        "http://a.com/%2e.#f",
        "http://a.com/%2E%2e",
    );
    // Contract 4.6: these are decoded by normalization, so the url crate's
    // path (then the decoding) takes them.
    declined!(
        unreserved_escapes,
        "http://a.com/%66orm",
        "http://a.com/x%2Dy",
        "http://a.com/%7Euser",
        "http://a.com/?%73hare_unlock=1",
        "http://a.com/?a=%5F",
        "http://a.com/#%61",
        "http://a.com/a.ap%6B",
        "http://a.com/%2e%2e%2e",
    );
    declined!(
        path_bytes,
        "http://a.com/\"",
        "http://a.com/<",
        "http://a.com/>",
        "http://a.com/`",
        "http://a.com/{",
        "http://a.com/}",
        "http://a.com/^",
        "http://a.com/a\\b",
        "http://a.com/a b",
        "http://a.com/\u{7f}",
        "http://a.com/é",
    );
    declined!(
        query_bytes,
        "http://a.com/?'",
        "http://a.com/?\"",
        "http://a.com/?<",
        "http://a.com/?>",
        "http://a.com/? ",
        "http://a.com/?é",
    );
    declined!(
        fragment_bytes,
        "http://a.com/#`",
        "http://a.com/#\"",
        "http://a.com/#<",
        "http://a.com/#>",
        "http://a.com/# ",
        "http://a.com/#\u{0}",
        "http://a.com/#é",
    );
    declined!(
        untrimmed,
        " http://a.com/",
        "http://a.com/ ",
        "\thttp://a.com/",
        "http://a.\tcom/",
        "http://a.com/\n",
        "\u{0}http://a.com/",
    );

    #[test]
    fn assumed_scheme_declines_what_it_must() {
        for input in [
            "http://jd.com/",
            "//jd.com/",
            "@jd.com",
            "jd.com.",
            "127.0.0.1",
            "jd.com:/x",
            "",
        ] {
            assert_eq!(parse(input, true), None, "{input:?}");
        }
    }

    #[test]
    fn layout_of_every_part() {
        let (s, layout) = parse("HTTPS://Shop.JD.com:8443/a/b?c=d#e", false).unwrap();
        assert_eq!(s, "https://shop.jd.com:8443/a/b?c=d#e");
        assert_eq!(
            layout,
            Layout {
                scheme_end: 5,
                host_start: 8,
                host_end: 19,
                port: Some(8443),
                path_start: 24,
                query_start: Some(28),
                fragment_start: Some(32),
            }
        );
        assert_eq!(
            agrees("HTTPS://Shop.JD.com:8443/a/b?c=d#e", false),
            Ok(true)
        );
    }

    #[test]
    fn one_allocation() {
        for input in [
            "https://jd.com",
            "https://jd.com:8080?x",
            "http://a.com:00000000065535#",
            "https://item.jd.com/100012043978.html",
        ] {
            let (s, _) = parse(input, false).unwrap();
            let (t, _) = parse(input, false).unwrap();
            assert_eq!(s, t);
            assert!(s.capacity() >= s.len(), "{input:?}");
            // The capacity asked for was enough: no reallocation doubled it.
            assert!(
                s.capacity() <= input.len() + 8,
                "{input:?}: {}",
                s.capacity()
            );
        }
    }

    #[test]
    fn disagreement_is_reported() {
        // `agrees` compares with the url crate; a declined input is `Ok(false)`.
        assert_eq!(agrees("http://a.com/./", false), Ok(false));
        assert_eq!(agrees("http://a.com/", false), Ok(true));
    }

    #[test]
    fn decimal_ports() {
        for n in [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535] {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        for n in [0, 7, 65536, 1_000_000_007, u32::MAX] {
            assert_eq!(decimal(n, &mut [0; 10]), n.to_string());
        }
    }

    #[test]
    fn classes_are_printable_ascii() {
        for b in 0..=255u8 {
            let printable = (0x21..=0x7e).contains(&b);
            assert!(class(b) == 0 || printable, "{b:#x}");
        }
        assert_eq!(class(b'%') & PATH, 0);
        assert_eq!(class(b'^') & PATH, 0);
        assert_ne!(class(b'`') & QUERY, 0);
        assert_eq!(class(b'\'') & QUERY, 0);
        assert_ne!(class(b'#') & FRAGMENT, 0);
        assert_eq!(class(b'`') & FRAGMENT, 0);
        assert_eq!(class(b'.') & HOST, 0);
        assert_eq!(class(b'Q'), HOST | UPPER | PATH | QUERY | FRAGMENT);
        for b in 0..=255u8 {
            assert_eq!(class(b), class_of(b), "{b:#x}");
        }
    }

    /// Links to measure, by data set: `examples/links.txt` and, when `../shared`
    /// is present, the JPCERT/CC phishing URLs; as the caller hands them over
    /// (trimmed, without tabs and newlines, `http://` assumed without a scheme).
    fn measured_links() -> Vec<(&'static str, Vec<(String, bool)>)> {
        let examples: Vec<String> = include_str!("../../examples/links.txt")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match serde_json::from_str::<serde_json::Value>(l) {
                Ok(v) => v["link"].as_str().unwrap_or_default().to_owned(),
                Err(_) => l.to_owned(),
            })
            .collect();
        let mut sets = vec![("examples/links.txt", examples)];
        let phishing = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/phishing-urls/jpcert/jpcert_phishurl_2019-2025.csv"
        );
        if let Ok(text) = std::fs::read_to_string(phishing) {
            // The URL column; a quoted URL with a comma is cut short, which is
            // still a link to measure.
            let urls = text
                .lines()
                .skip(1)
                .filter_map(|l| l.split(',').nth(1))
                .map(|u| u.trim_matches('"').to_owned())
                .collect();
            sets.push(("JPCERT/CC phishing URLs", urls));
        }
        if let Ok(only) = std::env::var("FASTPATH_DATA") {
            sets.retain(|(name, _)| name.contains(only.as_str()));
        }
        sets.into_iter()
            .map(|(name, links)| {
                let links = links
                    .into_iter()
                    .map(|l| {
                        let t = l
                            .trim_matches(crate::link::text::is_edge_noise)
                            .replace(['\t', '\n', '\r'], "");
                        let assume_http = crate::link::text::scheme_of(&t).is_none();
                        (t, assume_http)
                    })
                    .collect();
                (name, links)
            })
            .collect()
    }

    /// The fast path alone, over every link (declined ones too).
    #[inline(never)]
    fn run_fast(links: &[(String, bool)]) -> usize {
        links
            .iter()
            .filter_map(|(l, a)| std::hint::black_box(parse(std::hint::black_box(l), *a)))
            .count()
    }

    /// The url crate alone, over every link.
    #[inline(never)]
    fn run_url(links: &[(String, bool)]) -> usize {
        links
            .iter()
            .filter_map(|(l, a)| {
                let url = if *a {
                    Url::parse(&format!("http://{l}"))
                } else {
                    Url::parse(std::hint::black_box(l))
                };
                std::hint::black_box(url).ok()
            })
            .count()
    }

    /// The fast path, and the url crate for what it declines.
    #[inline(never)]
    fn run_both(links: &[(String, bool)]) -> usize {
        links
            .iter()
            .filter_map(|(l, a)| match parse(std::hint::black_box(l), *a) {
                Some(taken) => Some(std::hint::black_box(taken).0),
                None => {
                    let url = if *a {
                        Url::parse(&format!("http://{l}"))
                    } else {
                        Url::parse(l)
                    };
                    std::hint::black_box(url).ok().map(String::from)
                }
            })
            .count()
    }

    /// Prints the cost per link of the fast path and of `url::Url::parse`; asserts
    /// nothing about time. `cargo test --release --lib fastpath::tests::cost --
    /// --ignored --nocapture` (or under `valgrind --tool=callgrind
    /// --toggle-collect='*run_fast*'`, and `*run_url*`, for instruction counts).
    #[test]
    #[ignore = "a measurement, not a test: run with --release --nocapture"]
    fn cost() {
        let rounds: usize = std::env::var("FASTPATH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        for (set, links) in measured_links() {
            let taken = links.iter().filter(|(l, a)| parse(l, *a).is_some()).count();
            let bytes: usize = links.iter().map(|(l, _)| l.len()).sum();
            println!(
                "{set}: {} links of {:.1} bytes on average, {taken} taken by the fast path ({:.1}%)",
                links.len(),
                bytes as f64 / links.len() as f64,
                100.0 * taken as f64 / links.len() as f64
            );
            // Enough rounds for at least a million links.
            let rounds = rounds.max(1_000_000 / links.len().max(1));
            for (name, run) in [
                ("fast path", run_fast as fn(&[(String, bool)]) -> usize),
                ("url::Url::parse", run_url),
                ("fast path, else url", run_both),
            ] {
                let start = std::time::Instant::now();
                for _ in 0..rounds {
                    std::hint::black_box(run(&links));
                }
                let per_link = start.elapsed().as_nanos() as f64 / (rounds * links.len()) as f64;
                println!("  {name}: {per_link:.1} ns per link");
            }
        }
    }
}
