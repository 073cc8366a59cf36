//! Unwrapping: where a link really goes (wrappers), and what it looks like
//! without tracking parameters.

use url::Url;

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

#[cfg(test)]
mod tests {
    use super::*;

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
