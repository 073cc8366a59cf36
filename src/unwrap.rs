//! Unwrapping: where a link really goes (wrappers), and what it looks like
//! without tracking parameters.

use url::Url;

use crate::domain::{FastMap, FastSet};
use crate::embedded;
use crate::link::{Link, UrlParts};
use crate::policy::Compiled;

/// The most hops a link's tree may have, the link itself included: past it the
/// link is blocked, hard (`redirect_hops`). A wrapper whose parameter is given
/// many times (`?t=a&t=b&...`), each value a wrapper again, would otherwise
/// make the work per link grow with the product of the values at each level;
/// 32 is far more than any real wrapper chain (the default depth is 5) and
/// bounds the verdict's `redirect` reasons to 31.
pub(crate) const MAX_HOPS: usize = 32;

/// The longest `to` of a `redirect` reason, in bytes: a longer hop URL is cut
/// at a character boundary and ends with `…`, so a verdict stays small even
/// when every hop of a deep chain repeats the rest of the link (issue #14: 1.2
/// MB verdicts at depth 1,000). The verdict's `destination` is never cut.
pub(crate) const MAX_REDIRECT_TO: usize = 1024;

/// The parameters of one redirector, indexed by name: a query is read once per
/// redirector entry, whatever the number of its parameters (issue #14: 100,000
/// parameters used to mean reading the query 100,000 times).
#[derive(Debug, Default)]
pub(crate) struct ParamIndex {
    /// Each name and its place in the redirector's list (the first, when a name
    /// is listed twice).
    names: FastMap<Box<str>, u32>,
    /// The first byte of every name, as a bit set: most pieces of a query
    /// start otherwise, and are passed over without a hash.
    first_bytes: [u64; 4],
}

impl ParamIndex {
    /// Indexes parameter names, in the order the redirector lists them. Names
    /// are compared without ASCII case: ASP.NET's `Request.QueryString` reads
    /// `T=` for `t`.
    pub(crate) fn new<'a>(params: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = ParamIndex::default();
        for (i, p) in (0u32..).zip(params) {
            index
                .names
                .entry(p.to_ascii_lowercase().into())
                .or_insert(i);
            if let Some(&b) = p.as_bytes().first() {
                let b = b.to_ascii_lowercase();
                if let Some(word) = index.first_bytes.get_mut(usize::from(b >> 6)) {
                    *word |= 1 << (b & 63);
                }
            }
        }
        index
    }

    /// The place of a (decoded) parameter name in the redirector's list.
    fn position(&self, name: &str) -> Option<u32> {
        let b = name.as_bytes().first()?.to_ascii_lowercase();
        let word = self.first_bytes.get(usize::from(b >> 6)).copied()?;
        if word & (1 << (b & 63)) == 0 {
            return None;
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.get(name.to_ascii_lowercase().as_str()).copied()
        } else {
            self.names.get(name).copied()
        }
    }
}

/// The next hops of a link, appended to `out` in order, the one `destination`
/// follows first (contract 5): every value of every parameter of a matching
/// redirector that holds an absolute http(s) URL (the longest matching domain
/// first, then the parameters in the order listed, then the values in the order
/// written), a built-in path-based embedding (when the policy asks for them),
/// or an Android `intent:` link's web data URI and fallback URLs. A target given
/// twice is one hop.
///
/// `redirector`: whether the site index found a redirector covering the host.
pub(crate) fn next_hops(policy: &Compiled, link: &Link, redirector: bool, out: &mut Vec<String>) {
    if let Some(domain) = link.domain() {
        if redirector {
            redirector_targets(policy, link, domain, out);
        }
        if policy.embeddings {
            if let Some(next) = embedded::embedded_url(link) {
                if !out.contains(&next) {
                    out.push(next);
                }
            }
        }
        return;
    }
    if link.scheme() == "intent" {
        crate::intent::intent_hops(link.as_str(), out);
    }
}

/// Every value of every parameter of a matching redirector that holds an
/// absolute http(s) URL, the longest matching domain first, then the parameters
/// in their listed order, then the values in their written order. Servers read
/// repeated parameters differently (PHP and Rails the last, Express and Go the
/// first, ASP.NET all of them joined): each value is a hop.
#[inline(never)]
fn redirector_targets(policy: &Compiled, link: &Link, domain: &str, out: &mut Vec<String>) {
    let path = link.path();
    let Some(query) = link.query() else {
        return;
    };
    // (place of the parameter in its list, place in the query, value).
    let mut found: Vec<(u32, usize, String)> = Vec::new();
    for (entries, _) in policy.redirectors.covering(domain) {
        for entry in entries {
            if entry.path.as_deref().is_some_and(|p| !path.starts_with(p)) {
                continue;
            }
            found.clear();
            for (at, (k, v)) in form_urlencoded::parse(query.as_bytes()).enumerate() {
                if let Some(place) = entry.params.position(&k) {
                    if let Some(value) = web_target(link.scheme(), &v) {
                        found.push((place, at, value));
                    }
                }
            }
            // Servers that also split a query at `;` (the HTML 4 recommendation;
            // Perl's CGI.pm, Python's `parse_qs` before 3.9.2, Rack before 3)
            // read `t=a;t=b` as two values.
            if query.contains(';') {
                let pieces = query.split(['&', ';']).enumerate();
                for (at, piece) in pieces {
                    let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
                    // As `application/x-www-form-urlencoded` decodes: `+` is a space.
                    let decoded = |s: &str| -> String {
                        let spaced = s.replace('+', " ");
                        percent_encoding::percent_decode_str(&spaced)
                            .decode_utf8_lossy()
                            .into_owned()
                    };
                    if let Some(place) = entry.params.position(&decoded(k)) {
                        if let Some(value) = web_target(link.scheme(), &decoded(v)) {
                            found.push((place, usize::MAX / 2 + at, value));
                        }
                    }
                }
            }
            found.sort_unstable_by_key(|&(place, at, _)| (place, at));
            for (_, _, value) in found.drain(..) {
                if !out.contains(&value) {
                    out.push(value);
                }
            }
        }
    }
}

/// The next hop a redirector parameter's value gives, trimmed: an absolute
/// http(s) URL, or a scheme-relative one (`//evil.example/`, `\\evil.example`,
/// `/\evil.example`), which a browser following a `Location` header holding
/// it resolves against the wrapper's URL, under the wrapper's scheme.
fn web_target(scheme: &str, value: &str) -> Option<String> {
    let v = value.trim_matches(crate::link::is_edge_noise);
    if is_absolute_web_url(v) {
        return Some(v.to_owned());
    }
    let b = v.as_bytes();
    let slash = |i: usize| b.get(i).is_some_and(|c| matches!(c, b'/' | b'\\'));
    if slash(0) && slash(1) && matches!(scheme, "http" | "https") {
        let resolved = format!("{scheme}:{v}");
        return is_absolute_web_url(&resolved).then_some(resolved);
    }
    None
}

/// Whether a value is an absolute `http` or `https` URL with a host, as a browser
/// following the redirect reads it (so `https:\\evil.example` and a tab inside
/// the scheme count; a scheme-relative `//evil.example` does not).
pub(crate) fn is_absolute_web_url(value: &str) -> bool {
    Url::parse(value.trim_matches(crate::link::is_edge_noise))
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// Query parameters removed from `clean_url`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tracking {
    exact: FastSet<Box<str>>,
    prefixes: Vec<Box<str>>,
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
    pub(crate) fn new(params: &[String]) -> Result<Tracking, String> {
        let mut t = Tracking::default();
        for p in params {
            match p.strip_suffix('*') {
                Some("") => return Err("a lone `*` would remove every parameter".to_owned()),
                Some(prefix) if !prefix.contains('*') => t.prefixes.push(prefix.into()),
                None if !p.is_empty() && !p.contains('*') => {
                    t.exact_lens |= len_bit(p.len());
                    t.exact.insert(p.as_str().into());
                }
                _ => {
                    return Err(format!(
                        "`{p}` is not a parameter name: write a name, or a prefix ending in `*`"
                    ));
                }
            }
            if let Some(&b) = p.as_bytes().first() {
                if let Some(word) = t.first_bytes.get_mut(usize::from(b >> 6)) {
                    *word |= 1 << (b & 63);
                }
            }
        }
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
            || self.prefixes.iter().any(|p| name.starts_with(&**p))
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

    #[test]
    fn bad_patterns() {
        for p in ["*", "a*b", "", "*x"] {
            assert!(Tracking::new(&[p.to_string()]).is_err(), "{p}");
        }
    }

    #[test]
    fn absolute_web_urls() {
        assert!(is_absolute_web_url("https://shouji.jd.com/"));
        assert!(is_absolute_web_url("HTTP://x.example"));
        assert!(!is_absolute_web_url("//x.example"));
        assert!(!is_absolute_web_url("javascript:alert(1)"));
        assert!(!is_absolute_web_url("x.example"));
        assert!(is_absolute_web_url("https:\\\\evil.example\\x"));
        assert!(is_absolute_web_url("ht\ttps://evil.example/"));
        assert!(!is_absolute_web_url("ftp://evil.example/"));
    }
}
