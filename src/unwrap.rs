//! Unwrapping: where a link really goes (wrappers), and what it looks like
//! without tracking parameters.

use url::Url;

use crate::domain::FastSet;
use crate::embedded;
use crate::link::{Link, UrlParts};
use crate::policy::Compiled;

/// The next hop of a wrapper link: a redirector's parameter holding an absolute
/// http(s) URL, a built-in path-based embedding (when the policy asks for them),
/// or an Android `intent:` link's fallback URL.
///
/// `redirector`: whether the site index found a redirector covering the host.
pub(crate) fn next_hop(policy: &Compiled, link: &Link, redirector: bool) -> Option<String> {
    if let Some(domain) = link.domain() {
        if redirector {
            if let Some(next) = redirector_target(policy, link, domain) {
                return Some(next);
            }
        }
        if policy.embeddings {
            if let Some(next) = embedded::embedded_url(link) {
                return Some(next);
            }
        }
        return None;
    }
    if link.scheme() == "intent" {
        return embedded::intent_fallback(link);
    }
    None
}

/// The first parameter of a matching redirector that holds an absolute http(s)
/// URL, the longest matching domain first.
fn redirector_target(policy: &Compiled, link: &Link, domain: &str) -> Option<String> {
    let path = link.path();
    let query = link.query()?;
    for (entries, _) in policy.redirectors.covering(domain) {
        for entry in entries {
            if entry.path.as_deref().is_some_and(|p| !path.starts_with(p)) {
                continue;
            }
            for param in &entry.params {
                let found = form_urlencoded::parse(query.as_bytes())
                    .filter(|(k, _)| k == &**param)
                    .find_map(|(_, v)| {
                        is_absolute_web_url(&v)
                            .then(|| v.trim_matches(crate::link::is_edge_noise).to_owned())
                    });
                if found.is_some() {
                    return found;
                }
            }
        }
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
                    t.exact.insert(p.as_str().into());
                }
                _ => {
                    return Err(format!(
                        "`{p}` is not a parameter name: write a name, or a prefix ending in `*`"
                    ));
                }
            }
        }
        Ok(t)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty()
    }

    fn is_tracking(&self, name: &str) -> bool {
        self.exact.contains(name) || self.prefixes.iter().any(|p| name.starts_with(&**p))
    }

    /// Whether a `name=value` piece of a query is a tracking parameter.
    fn is_tracking_piece(&self, piece: &str) -> bool {
        let raw_name = piece.split_once('=').map_or(piece, |(name, _)| name);
        if raw_name.contains('%') {
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

    /// [`clean`](Self::clean), or `None` when there is nothing to remove (the
    /// common case, which then costs no copy).
    pub(crate) fn cleaned(&self, url: &impl UrlParts) -> Option<String> {
        let query = url.query()?;
        if self.is_empty() || !query.split('&').any(|p| self.is_tracking_piece(p)) {
            return None;
        }
        let mut out = String::with_capacity(url.as_str().len());
        out.push_str(url.through_path());
        let mut first = true;
        for piece in query.split('&').filter(|p| !self.is_tracking_piece(p)) {
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
