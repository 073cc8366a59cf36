//! The text of a link, below parsing: where the parts of a serialization lie,
//! percent-escapes of unreserved characters, the scheme name, the characters
//! trimmed at a link's edges, the host as written, and numbers in decimal.
//! Both the fast path and the url-crate path read links through these, so they
//! sit below both (no file here imports another of the crate).

use url::Url;

use crate::error::{Error, ErrorKind};

/// Where the parts of a URL lie in its serialization, as the url crate lays
/// them out: each part is found by slicing, never by parsing again.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Layout {
    /// The `:` after the scheme.
    pub(crate) scheme_end: u32,
    /// Where the host starts (after `//` and any user info), or `scheme_end + 1`
    /// when there is none.
    pub(crate) host_start: u32,
    /// Where the host ends (at `:port`, the path, `?`, `#` or the end).
    pub(crate) host_end: u32,
    /// The port, when one other than the scheme's default is written.
    pub(crate) port: Option<u16>,
    /// Where the path starts.
    pub(crate) path_start: u32,
    /// The `?` before the query, when there is one.
    pub(crate) query_start: Option<u32>,
    /// The `#` before the fragment, when there is one.
    pub(crate) fragment_start: Option<u32>,
}

impl Layout {
    /// The layout of a URL parsed by the url crate.
    pub(crate) fn of(url: &Url) -> Self {
        use url::Position;
        let at = |p: Position| u32::try_from(url[..p].len()).unwrap_or(u32::MAX);
        let has_host = url.has_host();
        let path_start = at(Position::BeforePath);
        Layout {
            scheme_end: at(Position::AfterScheme),
            host_start: if has_host {
                at(Position::BeforeHost)
            } else {
                path_start
            },
            host_end: if has_host {
                at(Position::AfterHost)
            } else {
                path_start
            },
            port: url.port(),
            path_start,
            query_start: url.query().map(|_| at(Position::AfterPath)),
            fragment_start: url.fragment().map(|_| at(Position::AfterQuery)),
        }
    }
}

/// Whether a byte is unreserved (RFC 3986 §2.3: `A-Z a-z 0-9 - . _ ~`).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// The byte a `%XX` escape at the start of `bytes` stands for, when it is one.
fn escape_at(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [b'%', h, l, ..] => {
            let hex = |c: u8| char::from(c).to_digit(16);
            u8::try_from(hex(*h)? * 16 + hex(*l)?).ok()
        }
        _ => None,
    }
}

/// Whether `bytes` start with a `%XX` escape of an unreserved character.
pub(crate) fn is_unreserved_escape(bytes: &[u8]) -> bool {
    escape_at(bytes).is_some_and(is_unreserved)
}

/// A serialization with the escapes of unreserved characters in its path, query
/// and fragment decoded (contract 4.6, RFC 3986 §6.2.2.2), and its layout
/// moved to match; other escapes stay as written. Unreserved characters are
/// never escaped by the URL standard's parser, so the result parses back to
/// itself; a `.` or `..` segment cannot appear, since the parser already read
/// `%2e` segments as dot segments and removed them.
pub(crate) fn decode_unreserved(text: String, layout: Layout) -> (String, Layout) {
    let start = layout.path_start as usize;
    let has_escape = text
        .as_bytes()
        .get(start..)
        .is_some_and(|tail| tail.windows(3).any(is_unreserved_escape));
    if !has_escape {
        return (text, layout);
    }
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    out.extend_from_slice(bytes.get(..start).unwrap_or_default());
    let mut moved = layout;
    let mut i = start;
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    while let Some(&b) = bytes.get(i) {
        if Some(at(i)) == layout.query_start {
            moved.query_start = Some(at(out.len()));
        }
        if Some(at(i)) == layout.fragment_start {
            moved.fragment_start = Some(at(out.len()));
        }
        match escape_at(bytes.get(i..).unwrap_or_default()) {
            Some(decoded) if is_unreserved(decoded) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII escapes were replaced by ASCII bytes: still UTF-8.
    match String::from_utf8(out) {
        Ok(decoded) => (decoded, moved),
        Err(_) => (text, layout),
    }
}

/// Characters trimmed from both ends of a link: white space, control characters
/// (C0 and C1), and invisible format characters (zero-width spaces and joiners,
/// bidirectional marks and controls, word joiners, the byte order mark, the soft
/// hyphen).
pub(crate) fn is_edge_noise(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}'
        )
}

/// The scheme of a link, if it has one.
///
/// A scheme is what precedes the first `:` when that is a valid scheme name
/// (`[A-Za-z][A-Za-z0-9+.-]*`). A name with a dot is a scheme only when `://`
/// follows it (contract 4.2): `jd.com:8080/x` has a host before its colon, but
/// `com.taobao.taobao://item` is an app link, as a browser and a phone read it
/// (both take any valid scheme name, and apps register dotted ones).
pub(crate) fn scheme_of(link: &str) -> Option<&str> {
    // Read up to the colon, stopping at the first byte no scheme has (a `/` of a
    // path), rather than searching the whole link for a colon.
    let bytes = link.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut dotted = false;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match b {
            b':' => {
                let slashes = bytes.get(i + 1..i + 3) == Some(b"//".as_slice());
                return if dotted && !slashes {
                    None
                } else {
                    link.get(..i)
                };
            }
            b'.' => dotted = true,
            b if b.is_ascii_alphanumeric() || b == b'+' || b == b'-' => {}
            _ => return None,
        }
    }
    None
}

/// The host as written, when it differs from the normalized host by the ASCII
/// case of some letters (`paypaI.com` for `paypai.com`), else `None`. `raw`: the
/// link as given (trimmed); `host`: its normalized host.
///
/// The host is found in the text as a browser finds it (after the scheme and
/// its slashes, after any user info, up to the port, path, query or fragment);
/// each label of it that equals the normalized label but for ASCII case is
/// kept as written, any other (a Unicode or percent-encoded label) as
/// normalized. Costs a scan of the host's bytes when none is upper-case.
pub(crate) fn written_host(raw: &str, host: &str) -> Option<String> {
    if !authority_has_uppercase(raw.as_bytes()) {
        return None;
    }
    let after_scheme = match scheme_of(raw) {
        Some(scheme) => raw.get(scheme.len() + 1..)?,
        None => raw,
    };
    let authority = after_scheme.trim_start_matches(['/', '\\']);
    let end = authority
        .find(['/', '\\', '?', '#'])
        .unwrap_or(authority.len());
    let authority = authority.get(..end)?;
    let hostport = authority.rsplit('@').next()?;
    let written = hostport.split(':').next()?.trim_end_matches('.');
    if !written.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if written.split('.').count() != host.split('.').count() {
        return None;
    }
    let mut out = String::with_capacity(host.len());
    for (i, (w, h)) in written.split('.').zip(host.split('.')).enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(if w.eq_ignore_ascii_case(h) { w } else { h });
    }
    (out != host).then_some(out)
}

/// Whether an ASCII upper-case letter comes before the first `/`, `\\`, `?` or
/// `#` after the scheme's `://` (or from the start, without one): one pass over
/// the bytes of the authority, so that a link written in lowercase (nearly all)
/// costs no more.
fn authority_has_uppercase(raw: &[u8]) -> bool {
    let start = raw
        .windows(3)
        .take(16)
        .position(|w| w == b"://")
        .map_or(0, |i| i + 3);
    for &b in raw.get(start..).unwrap_or_default() {
        match b {
            b'/' | b'\\' | b'?' | b'#' => return false,
            b'A'..=b'Z' => return true,
            _ => {}
        }
    }
    false
}

/// A number in decimal, without leading zeros, written into `buf` (ten bytes
/// hold any `u32`): no formatting machinery on the per-link path.
pub(crate) fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &str {
    let mut at = buf.len();
    for slot in buf.iter_mut().rev() {
        // `n % 10` is a digit: the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        at -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..)
        .and_then(|d| std::str::from_utf8(d).ok())
        .unwrap_or("0")
}

/// Checks and lowercases a scheme name.
pub(crate) fn normalize_scheme(scheme: &str) -> Result<String, Error> {
    let s = scheme.trim().trim_end_matches(':').to_ascii_lowercase();
    let mut bytes = s.bytes();
    let ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')
        });
    if ok {
        Ok(s)
    } else {
        Err(Error::new(
            ErrorKind::InvalidScheme,
            format!(
                "`{scheme}` is not a valid scheme: a letter, then letters, digits, `+`, `-` or `.`"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(normalize_scheme("Taobao").as_deref(), Ok("taobao"));
        assert_eq!(normalize_scheme("weixin:").as_deref(), Ok("weixin"));
        assert!(normalize_scheme("1abc").is_err());
        assert!(normalize_scheme("a b").is_err());
        assert!(normalize_scheme("").is_err());
    }
}
