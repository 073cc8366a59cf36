//! Tracking parameters: the query parameters a policy removes from a link's
//! clean URL (exact names and `*` prefixes).

use crate::error::{Error, ErrorKind};
use crate::link::UrlParts;
use crate::link::domain::FastSet;

/// Query parameters removed from `clean_url`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tracking {
    exact: FastSet<Box<str>>,
    /// The prefixes, looked up by the name's leading bytes: one probe per
    /// distinct prefix length, however many prefixes there are.
    prefixes: FastSet<Box<str>>,
    /// The distinct lengths of the prefixes, shortest first.
    prefix_lens: Vec<usize>,
    /// The first bytes of every name and prefix, as a bit set: a parameter
    /// whose name starts otherwise is none of them, without a lookup.
    first_bytes: [u64; 4],
    /// Bit `n` (`n` < 63): an exact name has `n` bytes; bit 63: one is longer.
    exact_lens: u64,
}

impl Tracking {
    /// Compiles parameter patterns: exact names, or prefixes ending in `*`.
    ///
    /// The error is a message for the user.
    pub(crate) fn new(params: &[String]) -> Result<Tracking, Error> {
        let mut t = Tracking::default();
        for p in params {
            match p.strip_suffix('*') {
                Some("") => {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        "a lone `*` would remove every parameter",
                    ));
                }
                Some(prefix) if !prefix.contains('*') => {
                    t.prefixes.insert(prefix.into());
                }
                None if !p.is_empty() && !p.contains('*') => {
                    t.exact_lens |= len_bit(p.len());
                    t.exact.insert(p.as_str().into());
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::InvalidValue,
                        format!(
                            "`{p}` is not a parameter name: write a name, or a prefix ending in `*`"
                        ),
                    ));
                }
            }
            if let Some(&b) = p.as_bytes().first() {
                if let Some(word) = t.first_bytes.get_mut(usize::from(b >> 6)) {
                    *word |= 1 << (b & 63);
                }
            }
        }
        t.prefix_lens = t.prefixes.iter().map(|p| p.len()).collect();
        t.prefix_lens.sort_unstable();
        t.prefix_lens.dedup();
        Ok(t)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }

    fn is_tracking(&self, name: &str) -> bool {
        let Some(&b) = name.as_bytes().first() else {
            return false;
        };
        let word = self
            .first_bytes
            .get(usize::from(b >> 6))
            .copied()
            .unwrap_or(0);
        if word & (1 << (b & 63)) == 0 {
            return false;
        }
        (self.exact_lens & len_bit(name.len()) != 0 && self.exact.contains(name))
            || self.has_prefix_of(name)
    }

    /// Whether a prefix of the list starts `name`: a probe for each prefix
    /// length up to the name's, so the cost grows with the name, not the list.
    fn has_prefix_of(&self, name: &str) -> bool {
        self.prefix_lens
            .iter()
            .take_while(|&&len| len <= name.len())
            .any(|&len| name.get(..len).is_some_and(|p| self.prefixes.contains(p)))
    }

    /// Whether a `name=value` piece of a query is a tracking parameter.
    fn is_tracking_piece(&self, piece: &str) -> bool {
        // One pass over the name: where it ends, and whether it is encoded.
        let mut encoded = false;
        let mut end = piece.len();
        for (i, b) in piece.bytes().enumerate() {
            match b {
                b'=' => {
                    end = i;
                    break;
                }
                b'%' => encoded = true,
                _ => {}
            }
        }
        let raw_name = piece.get(..end).unwrap_or(piece);
        if encoded {
            self.is_tracking(&percent_decode(raw_name))
        } else {
            self.is_tracking(raw_name)
        }
    }

    /// The URL without tracking parameters, the others kept as written and in
    /// their order; an emptied query loses its `?`.
    #[cfg(test)]
    pub(crate) fn clean(&self, url: &impl UrlParts) -> String {
        self.cleaned(url).unwrap_or_else(|| url.as_str().to_owned())
    }

    /// The URL without tracking parameters (the others kept as written and in
    /// their order, an emptied query without its `?`), or `None` when there is
    /// nothing to remove (the common case, which then costs no copy).
    pub(crate) fn cleaned(&self, url: &impl UrlParts) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let query = url.query()?;
        if !pieces(query).any(|p| self.is_tracking_piece(p)) {
            return None;
        }
        let mut out = String::with_capacity(url.as_str().len());
        out.push_str(url.through_path());
        let mut first = true;
        for piece in pieces(query).filter(|p| !self.is_tracking_piece(p)) {
            out.push(if first { '?' } else { '&' });
            out.push_str(piece);
            first = false;
        }
        if let Some(fragment) = url.fragment() {
            out.push('#');
            out.push_str(fragment);
        }
        Some(out)
    }
}

/// The bit of [`Tracking::exact_lens`] for a name of `len` bytes.
fn len_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// The `&`-separated pieces of a query, as `query.split('&')` gives them, by a
/// plain byte loop: pieces are short, and a search call per piece costs more.
fn pieces(query: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(query);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'&') {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn clean(params: &[&str], url: &str) -> String {
        let t = Tracking::new(&params.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        t.clean(&Url::parse(url).unwrap())
    }

    #[test]
    fn removes_listed_keeps_order() {
        assert_eq!(
            clean(
                &["utm_*", "spm"],
                "https://a.example/p?b=1&utm_source=x&spm=2&a=3#f"
            ),
            "https://a.example/p?b=1&a=3#f"
        );
    }

    #[test]
    fn drops_empty_query() {
        assert_eq!(
            clean(&["utm_*"], "https://a.example/p?utm_a=1&utm_b=2"),
            "https://a.example/p"
        );
    }

    #[test]
    fn encoded_names_match() {
        assert_eq!(
            clean(&["spm"], "https://a.example/?%73pm=1&x=2"),
            "https://a.example/?x=2"
        );
    }

    #[test]
    fn pieces_are_what_split_gives() {
        for q in ["", "a", "a=1", "&", "a=1&&b=2&", "&x", "a=%26&b"] {
            assert_eq!(
                pieces(q).collect::<Vec<_>>(),
                q.split('&').collect::<Vec<_>>(),
                "{q:?}"
            );
        }
    }

    /// The first-byte and length filters never hide a name: every name and
    /// prefix of the DuckDuckGo list is found, with and without a value, and
    /// names that only share a first byte or a length are not.
    #[test]
    fn filters_keep_every_name() {
        let params: Vec<String> = [
            "utm_*",
            "spm",
            "fbclid",
            "a",
            "x_very_long_parameter_name_beyond_sixty_three_bytes_of_text_here",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let t = Tracking::new(&params).unwrap();
        for piece in [
            "utm_source=x",
            "utm_",
            "spm=1",
            "spm",
            "fbclid=",
            "a=1",
            "a",
            "%61=1",
            "x_very_long_parameter_name_beyond_sixty_three_bytes_of_text_here=1",
        ] {
            assert!(t.is_tracking_piece(piece), "{piece}");
        }
        for piece in [
            "sp=1",
            "spn=1",
            "utm=1",
            "b=1",
            "fbclid2=1",
            "x_very_long=1",
            "",
            "=a",
        ] {
            assert!(!t.is_tracking_piece(piece), "{piece}");
        }
    }

    /// Prefixes of many lengths, among many: each is found, and only where it
    /// starts the name (including in names with multi-byte characters).
    #[test]
    fn prefixes_are_indexed_by_length() {
        let mut params: Vec<String> = (0..10_000).map(|i| format!("p{i}_*")).collect();
        params.push("é*".to_owned());
        params.push("x*".to_owned());
        let t = Tracking::new(&params).unwrap();
        for name in ["p0_", "p9999_a", "p123_x", "éa", "x", "xyz"] {
            assert!(t.is_tracking(name), "{name}");
        }
        for name in ["p", "p0", "p10000_", "e\u{301}", "q1_", "ê", ""] {
            assert!(!t.is_tracking(name), "{name}");
        }
    }

    #[test]
    fn bad_patterns() {
        for p in ["*", "a*b", "", "*x"] {
            assert!(Tracking::new(&[p.to_string()]).is_err(), "{p}");
        }
    }
}
