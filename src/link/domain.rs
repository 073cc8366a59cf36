//! Domain names: normalization of the domains written in policies and preferences,
//! and suffix-indexed maps over them.

/// The hash map of every index probed per link: foldhash rather than SipHash,
/// which costs several times more on the short keys (host names) classify
/// hashes about twenty of per link. Its seed is random per process, and the keys
/// are the policy's, so a link cannot choose them.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The hash set counterpart of [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

use url::Host;

use crate::error::{Error, ErrorKind};

/// Longest host name DNS allows, in ASCII.
const MAX_DOMAIN_LEN: usize = 253;
/// Longest label DNS allows.
const MAX_LABEL_LEN: usize = 63;

/// A host written in a policy, normalized the way links are: IDNA ASCII,
/// lowercase, no trailing dot; IPv6 in brackets.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) enum NormalHost {
    /// A domain name.
    Domain(String),
    /// An IPv4 or IPv6 address, in the URL standard's serialization.
    Ip(String),
}

/// Normalizes a domain or host as written in a policy or a user's list.
///
/// Accepts Unicode or punycode, any case, with or without trailing dots, and the
/// same spellings a browser accepts in a URL (full-width dots, `%`-escapes).
/// The error is a message for the user.
pub(crate) fn normalize_host(input: &str) -> Result<NormalHost, Error> {
    let trimmed = input.trim().trim_end_matches(['.', '。', '．', '｡']);
    if let Some(domain) = plain_domain(trimmed) {
        return Ok(NormalHost::Domain(domain.to_owned()));
    }
    normalize_host_by_idna(input)
}

/// [`normalize_host`] without the fast path: the URL standard's host parser.
pub(crate) fn normalize_host_by_idna(input: &str) -> Result<NormalHost, Error> {
    let trimmed = input.trim().trim_end_matches(['.', '。', '．', '｡']);
    if trimmed.is_empty() {
        return Err(not_a_domain(input, "it is empty"));
    }
    if trimmed.contains('*') {
        return Err(not_a_domain(
            input,
            "wildcards are not needed, a domain covers its subdomains",
        ));
    }
    let host = Host::parse(trimmed).map_err(|e| not_a_domain(input, e))?;
    match host {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_owned();
            check_domain(input, &d)?;
            Ok(NormalHost::Domain(d))
        }
        // The URL standard's serialization, as links' hosts are written.
        ip @ (Host::Ipv4(_) | Host::Ipv6(_)) => Ok(NormalHost::Ip(ip.to_string())),
    }
}

/// Normalizes a domain name; IP addresses are refused.
pub(crate) fn normalize_domain(input: &str) -> Result<String, Error> {
    match normalize_host(input)? {
        NormalHost::Domain(d) => Ok(d),
        NormalHost::Ip(_) => Err(Error::new(
            ErrorKind::InvalidDomain,
            format!(
                "`{input}` is an IP address, not a domain: use a `host` rule for a single address"
            ),
        )),
    }
}

/// A domain that is already normalized and valid, so needs no IDNA pass: the
/// fast path for policies and lists of many domains. `None` sends the text to
/// the URL standard's host parser, which gives the same answer for everything
/// this accepts (checked by tests on real lists and on generated text).
///
/// Accepted: one to 127 labels of 1 to 63 lowercase ASCII letters, digits, `-`
/// or `_`, at most 253 bytes, no punycode label (IDNA checks those) and a last
/// label that does not start with a digit (the URL standard may read it as IPv4).
pub(crate) fn plain_domain(written: &str) -> Option<&str> {
    let bytes = written.as_bytes();
    if bytes.len() > MAX_DOMAIN_LEN {
        return None;
    }
    // One pass over the bytes; each label is checked when its dot (or the
    // end) is reached.
    let label_ok = |start: usize, end: usize| {
        (1..=MAX_LABEL_LEN).contains(&(end - start))
            && !bytes
                .get(start..end)
                .is_some_and(|l| l.starts_with(b"xn--"))
    };
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => {}
            b'.' if label_ok(start, i) => start = i + 1,
            _ => return None,
        }
    }
    let last_starts_with_digit = bytes.get(start).is_none_or(u8::is_ascii_digit);
    (label_ok(start, bytes.len()) && !last_starts_with_digit).then_some(written)
}

/// The error for a domain written as `input` that is not one, and why.
fn not_a_domain(input: &str, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidDomain,
        format!("`{input}` is not a valid domain: {why}"),
    )
}

fn check_domain(input: &str, d: &str) -> Result<(), Error> {
    let label_problem = |label: &str| {
        if label.is_empty() {
            Some("it has an empty label")
        } else if label.len() > MAX_LABEL_LEN {
            Some("a label is longer than 63 characters")
        } else if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            Some("it has a character that is not allowed in a host name")
        } else {
            None
        }
    };
    let why = if d.len() > MAX_DOMAIN_LEN {
        "longer than 253 characters"
    } else if let Some(why) = d.split('.').find_map(label_problem) {
        why
    } else {
        return Ok(());
    };
    Err(not_a_domain(input, why))
}

/// The host itself, then each parent domain, down to the last label:
/// `a.b.c`, `b.c`, `c`. Each item comes with its number of labels.
pub(crate) fn suffixes(host: &str) -> impl Iterator<Item = (&str, usize)> {
    let labels = host.split('.').count();
    let mut rest = Some(host);
    let mut n = labels;
    std::iter::from_fn(move || {
        let current = rest?;
        rest = current.split_once('.').map(|(_, r)| r);
        let item = (current, n);
        n = n.saturating_sub(1);
        Some(item)
    })
}

/// A map from domain names to values, looked up by a host and all its parents.
#[derive(Clone, Debug)]
pub(crate) struct DomainMap<V> {
    map: FastMap<Box<str>, V>,
}

impl<V> Default for DomainMap<V> {
    fn default() -> Self {
        Self {
            map: FastMap::default(),
        }
    }
}

impl<V> DomainMap<V> {
    pub(crate) fn entry_or_default(&mut self, domain: &str) -> &mut V
    where
        V: Default,
    {
        self.map.entry(domain.into()).or_default()
    }

    /// Every entry covering the domain `host`, the longest first, with the
    /// number of labels of the matching entry.
    pub(crate) fn covering<'a>(
        &'a self,
        host: &'a str,
    ) -> impl Iterator<Item = (&'a V, usize)> + 'a {
        let empty = self.map.is_empty();
        suffixes(host)
            .take_while(move |_| !empty)
            .filter_map(move |(s, n)| self.map.get(s).map(|v| (v, n)))
    }
}

/// A set of domains, each covering its subdomains.
#[derive(Clone, Debug, Default, Eq, PartialEq)]
pub(crate) struct DomainSet {
    domains: Vec<Box<str>>,
}

impl DomainSet {
    pub(crate) fn insert(&mut self, domain: String) {
        if !self.domains.iter().any(|d| **d == *domain) {
            self.domains.push(domain.into_boxed_str());
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.domains.iter().map(|d| &**d)
    }

    /// Whether `host` is one of the domains or under one.
    pub(crate) fn covers(&self, host: &str) -> bool {
        self.domains.iter().any(|d| is_under(host, d))
    }
}

/// Whether `host` equals `domain` or is a subdomain of it.
pub(crate) fn is_under(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! norm {
        ($name:ident, $input:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(normalize_domain($input).as_deref(), Ok($want));
            }
        };
    }
    macro_rules! bad {
        ($name:ident, $input:expr) => {
            #[test]
            fn $name() {
                assert!(
                    normalize_domain($input).is_err(),
                    "{:?}",
                    normalize_domain($input)
                );
            }
        };
    }

    norm!(lowercases, "WWW.JD.COM", "www.jd.com");
    norm!(trailing_dot, "jd.com.", "jd.com");
    norm!(unicode_to_punycode, "京东.com", "xn--xhq9m.com");
    norm!(punycode_kept, "xn--xhq9m.com", "xn--xhq9m.com");
    norm!(fullwidth_dot, "jd。com", "jd.com");
    norm!(single_label, "top", "top");
    norm!(underscore, "_dmarc.jd.com", "_dmarc.jd.com");
    bad!(empty, "");
    bad!(only_dot, ".");
    bad!(space_inside, "ex ample.com");
    bad!(wildcard, "*.evil.example");
    bad!(ip_is_not_domain, "192.168.1.1");
    bad!(empty_label, "a..b");
    bad!(slash, "evil.example/path");

    #[test]
    fn hosts_may_be_ips() {
        assert_eq!(
            normalize_host("0x7f.1"),
            Ok(NormalHost::Ip("127.0.0.1".into()))
        );
        assert_eq!(normalize_host("[::1]"), Ok(NormalHost::Ip("[::1]".into())));
        // IPv4-mapped addresses as the URL standard writes them.
        assert_eq!(
            normalize_host("[::ffff:127.0.0.1]"),
            Ok(NormalHost::Ip("[::ffff:7f00:1]".into()))
        );
    }

    #[test]
    fn suffixes_walk_labels() {
        let got: Vec<_> = suffixes("a.b.c").collect();
        assert_eq!(got, [("a.b.c", 3), ("b.c", 2), ("c", 1)]);
    }

    #[test]
    fn is_under_respects_label_boundaries() {
        assert!(is_under("jd.com", "jd.com"));
        assert!(is_under("item.jd.com", "jd.com"));
        assert!(!is_under("notjd.com", "jd.com"));
        assert!(!is_under("jd.com.evil", "jd.com"));
    }

    /// The fast path gives what the URL standard's host parser gives, on the
    /// vendored feed and on generated text of the bytes it accepts.
    #[test]
    fn plain_domains_are_what_idna_makes_of_them() {
        let feed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/lists/phishing.txt"
        ))
        .unwrap();
        let mut taken = 0;
        for d in feed
            .lines()
            .chain(["top", "a_b", "x-", "evil.0x1f", "9", "a.9b"])
        {
            if let Some(fast) = plain_domain(d) {
                taken += 1;
                assert_eq!(
                    normalize_host_by_idna(d),
                    Ok(NormalHost::Domain(fast.to_owned())),
                    "{d}"
                );
            }
        }
        assert!(taken > 150_000, "{taken}");
    }

    proptest::proptest! {
        #[test]
        fn plain_domains_agree_on_any_text(written in "[a-z0-9_.-]{1,40}") {
            if let Some(fast) = plain_domain(&written) {
                proptest::prop_assert_eq!(
                    normalize_host_by_idna(&written),
                    Ok(NormalHost::Domain(fast.to_owned()))
                );
            }
        }
    }
}
