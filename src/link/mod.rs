//! Normalization: what a link means (section 4 of the contract).
//!
//! A raw link is turned into a [`Link`] once per hop; matchers read its parts and
//! never parse again.

pub(crate) mod domain;
pub(crate) mod fastpath;
pub(crate) mod text;

use text::written_host;
pub(crate) use text::{
    Layout, decimal, decode_unreserved, is_edge_noise, normalize_scheme, scheme_of,
};

use url::{Host, Url};

/// Schemes that are always blocked, hard (`unsafe_scheme`).
pub(crate) const UNSAFE_SCHEMES: [&str; 5] = ["javascript", "data", "vbscript", "file", "blob"];

/// The schemes whose URLs have a real host (the URL standard's special schemes,
/// less `file`, which is unsafe); the message scanner checks their hosts too.
pub(crate) const HOST_SCHEMES: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

/// A link after normalization: its serialization, and where each part lies in it.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    /// The normalized URL: without user info and with the host as matched.
    text: String,
    layout: Layout,
    /// The kind of host, for schemes that have one (`None` for app links).
    host: Option<HostKind>,
    /// Whether the link carried user info (`https://jd.com@evil.example/`).
    pub(crate) userinfo: bool,
    /// The host as written, when it differs from the normalized one by ASCII
    /// case only: what the lookalike floor reads (issue #21).
    written_host: Option<Box<str>>,
}

/// What a link's host is.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
enum HostKind {
    /// A domain name.
    Domain,
    /// A domain name of ASCII letters, digits and hyphens in non-empty labels,
    /// none of them `xn--`: what the fast path takes. Such a host needs no
    /// checks for empty labels or mixed scripts.
    PlainDomain,
    /// An IPv4 or IPv6 address.
    Ip,
}

/// Why a link is refused before any rule is consulted.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) enum Rejection {
    /// Longer than `max_link_len` bytes.
    TooLong { len: usize },
    /// Not a URL, even as a browser reads it.
    Invalid { detail: String },
    /// `javascript:`, `data:`, `vbscript:`, `file:` or `blob:`.
    UnsafeScheme { scheme: String, url: Option<String> },
}

/// The parts of a URL the unwrapping code reads: implemented by the url crate's
/// [`Url`] and by [`Link`], so the wrappers' tests can speak in `Url`s while
/// `classify` reads its links without parsing them again.
pub(crate) trait UrlParts {
    /// The whole serialization.
    fn as_str(&self) -> &str;
    /// The scheme, lowercase.
    fn scheme(&self) -> &str;
    /// The host as serialized, for any scheme that has one.
    fn host_str(&self) -> Option<&str>;
    /// The port, when not the scheme's default.
    fn port(&self) -> Option<u16>;
    /// The path.
    fn path(&self) -> &str;
    /// The query, without its `?`.
    fn query(&self) -> Option<&str>;
    /// The fragment, without its `#`.
    fn fragment(&self) -> Option<&str>;
    /// Everything up to the end of the path.
    fn through_path(&self) -> &str;
}

impl UrlParts for Url {
    fn as_str(&self) -> &str {
        Url::as_str(self)
    }
    fn scheme(&self) -> &str {
        Url::scheme(self)
    }
    fn host_str(&self) -> Option<&str> {
        Url::host_str(self)
    }
    fn port(&self) -> Option<u16> {
        Url::port(self)
    }
    fn path(&self) -> &str {
        Url::path(self)
    }
    fn query(&self) -> Option<&str> {
        Url::query(self)
    }
    fn fragment(&self) -> Option<&str> {
        Url::fragment(self)
    }
    fn through_path(&self) -> &str {
        &self[..url::Position::AfterPath]
    }
}

impl UrlParts for Link {
    fn as_str(&self) -> &str {
        &self.text
    }
    fn scheme(&self) -> &str {
        self.slice(0, self.layout.scheme_end)
    }
    fn host_str(&self) -> Option<&str> {
        let l = &self.layout;
        (l.host_end > l.host_start).then(|| self.slice(l.host_start, l.host_end))
    }
    fn port(&self) -> Option<u16> {
        self.layout.port
    }
    fn path(&self) -> &str {
        let l = &self.layout;
        self.slice(l.path_start, self.path_end())
    }
    fn query(&self) -> Option<&str> {
        let l = &self.layout;
        let start = l.query_start?;
        let end = l.fragment_start.unwrap_or(self.len());
        Some(self.slice(start + 1, end))
    }
    fn fragment(&self) -> Option<&str> {
        let start = self.layout.fragment_start?;
        Some(self.slice(start + 1, self.len()))
    }
    fn through_path(&self) -> &str {
        self.slice(0, self.path_end())
    }
}

impl Link {
    fn from_parts(text: String, layout: Layout, host: Option<HostKind>, userinfo: bool) -> Self {
        Self {
            text,
            layout,
            host,
            userinfo,
            written_host: None,
        }
    }

    fn len(&self) -> u32 {
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }

    fn slice(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    fn path_end(&self) -> u32 {
        let l = &self.layout;
        l.query_start.or(l.fragment_start).unwrap_or(self.len())
    }

    /// Whether the scheme is `http` or `https`.
    pub(crate) fn is_web(&self) -> bool {
        matches!(self.scheme(), "http" | "https")
    }

    /// The normalized URL.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The host name as matched, for schemes that have a host.
    pub(crate) fn host_name(&self) -> Option<&str> {
        self.host?;
        self.host_str()
    }

    /// The serialization, taken.
    pub(crate) fn into_string(self) -> String {
        self.text
    }

    /// Where the host lies in the serialization, for schemes that have one.
    pub(crate) fn host_range(&self) -> Option<(usize, usize)> {
        self.host?;
        let l = &self.layout;
        (l.host_end > l.host_start).then_some((l.host_start as usize, l.host_end as usize))
    }

    /// Where the host starts, when it is a domain name.
    pub(crate) fn domain_start(&self) -> Option<usize> {
        self.domain()?;
        Some(self.layout.host_start as usize)
    }

    /// Whether the host is an IP address.
    pub(crate) fn is_ip(&self) -> bool {
        self.host == Some(HostKind::Ip)
    }

    /// The domain name, when the host is one (not an IP address).
    pub(crate) fn domain(&self) -> Option<&str> {
        match self.host? {
            HostKind::Domain | HostKind::PlainDomain => self.host_str(),
            HostKind::Ip => None,
        }
    }

    /// The IPv4 address an IPv6 host embeds, as matched (contract 4.7): an
    /// IPv4-mapped address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2), which every
    /// dual-stack socket connects to as the IPv4 address, or one under the NAT64
    /// well-known prefix (`64:ff9b::a.b.c.d`, RFC 6052 §2.1), which a NAT64
    /// gateway forwards to it. `None` for any other host.
    pub(crate) fn embedded_ipv4(&self) -> Option<std::net::Ipv4Addr> {
        if !self.is_ip() {
            return None;
        }
        let inner = self.host_str()?.strip_prefix('[')?.strip_suffix(']')?;
        let v6: std::net::Ipv6Addr = inner.parse().ok()?;
        let s = v6.segments();
        let embedded = matches!(
            s,
            [0, 0, 0, 0, 0, 0xffff, _, _] | [0x64, 0xff9b, 0, 0, 0, 0, _, _]
        );
        let [.., a, b, c, d] = v6.octets();
        embedded.then_some(std::net::Ipv4Addr::new(a, b, c, d))
    }

    /// Whether the host is a plain ASCII domain name (letters, digits and
    /// hyphens in non-empty labels, no `xn--` label).
    pub(crate) fn is_plain_domain(&self) -> bool {
        self.host == Some(HostKind::PlainDomain)
    }

    /// The domain name as written, before case folding, when that differs from
    /// [`domain`](Self::domain) (`paypaI.com`; see `text::written_host`).
    pub(crate) fn written_host(&self) -> Option<&str> {
        self.written_host.as_deref()
    }
}

/// Normalizes a raw link: section 4, steps 1–6.
pub(crate) fn normalize(raw: &str, max_len: usize) -> Result<Link, Rejection> {
    let (mut link, cased) = normalize_with(raw, max_len, true)?;
    if cased {
        link.written_host = link
            .domain()
            .and_then(|host| written_host(trim(raw), host))
            .map(String::into_boxed_str);
    }
    Ok(link)
}

/// [`normalize`], with or without the fast path (the tests compare the two).
///
/// Also says whether the host may be written with upper-case letters: `false`
/// when the fast path read it in lowercase, so that the written host need not be
/// looked for.
fn normalize_with(raw: &str, max_len: usize, fast: bool) -> Result<(Link, bool), Rejection> {
    // 1. Trim surrounding white space, control characters and invisible format
    // characters: a zero-width space before `https://` must not turn the scheme
    // into a host.
    let trimmed = trim(raw);
    if trimmed.len() > max_len {
        return Err(Rejection::TooLong { len: trimmed.len() });
    }
    // 3, first: an ordinary web link by the fast path, which gives exactly what
    // the url crate gives (src/link/fastpath.rs, and its differential tests). It
    // takes only http(s) links (2: or links without a scheme, read as http)
    // whose host is a domain name without user info or trailing dot, and
    // nothing with a tab or newline in it, so steps 4–6 have nothing to do.
    if fast {
        // An http(s) link first (most links), then one without a scheme: the
        // same as asking `scheme_of` first, since with a scheme the fast path
        // takes only `http://` and `https://`, which `scheme_of` finds, but
        // most links then cost no `scheme_of`.
        let read = fastpath::parse_noting_case(trimmed, false).or_else(|| {
            scheme_of(trimmed)
                .is_none()
                .then(|| fastpath::parse_noting_case(trimmed, true))
                .flatten()
        });
        if let Some((text, layout, cased)) = read {
            let link = Link::from_parts(text, layout, Some(HostKind::PlainDomain), false);
            return Ok((link, cased));
        }
    }
    normalize_by_url(trimmed).map(|link| (link, true))
}

/// [`normalize`] for what the fast path does not take: by the url crate. Kept out
/// of line, so the code of the common case stays small.
#[cold]
#[inline(never)]
fn normalize_by_url(trimmed: &str) -> Result<Link, Rejection> {
    // The URL standard drops ASCII tabs and newlines anywhere; do the same before
    // looking for a scheme, so `java\tscript:` is seen as `javascript:`.
    let cleaned: std::borrow::Cow<'_, str> = if trimmed.contains(['\t', '\n', '\r']) {
        trimmed.replace(['\t', '\n', '\r'], "").into()
    } else {
        trimmed.into()
    };
    // 2. No scheme: the link is a host (and maybe path) typed without `http://`.
    let scheme = scheme_of(&cleaned);
    if let Some(scheme) = scheme {
        if let Some(&unsafe_scheme) = UNSAFE_SCHEMES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(scheme))
        {
            let url = Url::parse(&cleaned).ok().map(stable_serialization);
            return Err(Rejection::UnsafeScheme {
                scheme: unsafe_scheme.to_owned(),
                url,
            });
        }
    }
    // 3. Parse as a browser does.
    let parsed = match scheme {
        Some(_) => Url::parse(&cleaned),
        None => Url::parse(&format!("http://{cleaned}")),
    };
    let mut url = parsed.map_err(|e| Rejection::Invalid {
        detail: e.to_string(),
    })?;
    if UNSAFE_SCHEMES.contains(&url.scheme()) {
        return Err(Rejection::UnsafeScheme {
            scheme: url.scheme().to_owned(),
            url: Some(stable_serialization(url)),
        });
    }
    // 6. No user info in the normalized URL.
    let userinfo = !url.username().is_empty() || url.password().is_some();
    if userinfo {
        // Both succeed on URLs that have a host, which is the only way to have user info.
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    // 4. The host in ASCII, without trailing dots.
    let host = if HOST_SCHEMES.contains(&url.scheme()) {
        if let Some(Host::Domain(d)) = url.host() {
            if d.ends_with('.') {
                let stripped = d.trim_end_matches('.').to_owned();
                if stripped.is_empty() {
                    return Err(Rejection::Invalid {
                        detail: "the host is only dots".to_owned(),
                    });
                }
                if url.set_host(Some(&stripped)).is_err() {
                    return Err(Rejection::Invalid {
                        detail: format!(
                            "the host `{stripped}` (without its trailing dots) is not valid"
                        ),
                    });
                }
            }
        }
        // Read back from the URL itself: setting the host may have turned it
        // into an address, and IPv6 hosts are written as the URL standard
        // writes them (`[::ffff:7f00:1]`, not `[::ffff:127.0.0.1]`).
        match url.host() {
            Some(Host::Domain(_)) => Some(HostKind::Domain),
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => Some(HostKind::Ip),
            None => {
                return Err(Rejection::Invalid {
                    detail: "no host".to_owned(),
                });
            }
        }
    } else {
        None
    };
    let layout = Layout::of(&url);
    // 6. Escapes of unreserved characters in the path, query and fragment decoded.
    let (text, layout) = decode_unreserved(String::from(url), layout);
    Ok(Link::from_parts(text, layout, host, userinfo))
}

/// A serialization that parses back to itself. The url crate's is, except for
/// some `file:` URLs with a host and empty path segments before a Windows drive
/// letter (`file://c//s:/Z` serializes as `file://c/s:/Z`, which parses as
/// `file:///s:/Z`; servo/rust-url#773, #1126): parse again until it settles, so
/// the normalized URL is a fixed point. Found by fuzzing.
fn stable_serialization(url: Url) -> String {
    let mut text = String::from(url);
    for _ in 0..4 {
        match Url::parse(&text) {
            Ok(again) if again.as_str() != text => text = again.into(),
            _ => break,
        }
    }
    text
}

/// A link without the [edge noise](is_edge_noise) at its ends; a link that
/// starts and ends with visible ASCII (most do) is returned at once.
fn trim(raw: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let bytes = raw.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        raw
    } else {
        raw.trim_matches(is_edge_noise)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Link {
        normalize(s, 8192).unwrap()
    }

    macro_rules! url {
        ($name:ident, $input:expr, $url:expr, $host:expr) => {
            #[test]
            fn $name() {
                let link = norm($input);
                assert_eq!(link.as_str(), $url);
                assert_eq!(link.host_name(), $host);
            }
        };
    }
    macro_rules! rejected {
        ($name:ident, $input:expr, $pat:pat) => {
            #[test]
            fn $name() {
                let r = normalize($input, 64).unwrap_err();
                assert!(matches!(r, $pat), "{r:?}");
            }
        };
    }

    url!(
        plain,
        "https://item.jd.com/1.html",
        "https://item.jd.com/1.html",
        Some("item.jd.com")
    );
    url!(
        trimmed,
        "  https://jd.com/ \n",
        "https://jd.com/",
        Some("jd.com")
    );
    url!(
        ideographic_space_trimmed,
        "\u{3000}https://jd.com/\u{3000}",
        "https://jd.com/",
        Some("jd.com")
    );
    url!(no_scheme, "jd.com/x", "http://jd.com/x", Some("jd.com"));
    url!(
        no_scheme_www,
        "www.taobao.com",
        "http://www.taobao.com/",
        Some("www.taobao.com")
    );
    url!(
        host_with_port,
        "jd.com:8080/x",
        "http://jd.com:8080/x",
        Some("jd.com")
    );
    url!(
        trailing_dot,
        "https://www.jd.com./promo/1",
        "https://www.jd.com/promo/1",
        Some("www.jd.com")
    );
    url!(
        userinfo_removed,
        "https://x@www.jd.com./promo/1",
        "https://www.jd.com/promo/1",
        Some("www.jd.com")
    );
    url!(
        mixed_case,
        "HTTPS://WWW.JD.COM/Promo",
        "https://www.jd.com/Promo",
        Some("www.jd.com")
    );
    url!(
        fullwidth_dot,
        "https://www.jd。com/",
        "https://www.jd.com/",
        Some("www.jd.com")
    );
    url!(
        percent_dot,
        "https://www%2ejd.com/",
        "https://www.jd.com/",
        Some("www.jd.com")
    );
    url!(
        tab_inside,
        "https://j\td.com/",
        "https://jd.com/",
        Some("jd.com")
    );
    url!(
        backslash,
        "https:\\\\evil.example\\path",
        "https://evil.example/path",
        Some("evil.example")
    );
    url!(
        hex_ipv4,
        "http://0x7f.1/",
        "http://127.0.0.1/",
        Some("127.0.0.1")
    );
    url!(
        decimal_ipv4,
        "http://3232235777/",
        "http://192.168.1.1/",
        Some("192.168.1.1")
    );
    url!(ipv6, "http://[0:0::1]/", "http://[::1]/", Some("[::1]"));
    url!(
        idn,
        "https://京东.com/",
        "https://xn--xhq9m.com/",
        Some("xn--xhq9m.com")
    );
    url!(
        app_link,
        "weixin://dl/business/?t=abc",
        "weixin://dl/business/?t=abc",
        None
    );
    url!(mailto, "mailto:kefu@jd.com", "mailto:kefu@jd.com", None);

    url!(
        zero_width_space_trimmed,
        "\u{200B}https://jd.com/\u{FEFF}",
        "https://jd.com/",
        Some("jd.com")
    );
    url!(
        bidi_controls_trimmed,
        "\u{202E}\u{2066}https://jd.com/\u{2069}",
        "https://jd.com/",
        Some("jd.com")
    );
    url!(
        c1_control_trimmed,
        "\u{0080}\u{0085}https://jd.com/",
        "https://jd.com/",
        Some("jd.com")
    );
    rejected!(too_long, &"a".repeat(65), Rejection::TooLong { len: 65 });
    rejected!(
        javascript,
        "javascript:alert(1)",
        Rejection::UnsafeScheme { .. }
    );
    rejected!(
        javascript_tab,
        "java\tscript:alert(1)",
        Rejection::UnsafeScheme { .. }
    );
    rejected!(
        javascript_case,
        " JavaScript:alert(1)",
        Rejection::UnsafeScheme { .. }
    );
    rejected!(data, "data:text/html,<b>", Rejection::UnsafeScheme { .. });
    rejected!(empty, "", Rejection::Invalid { .. });
    rejected!(bad_host, "http://exa mple.com/", Rejection::Invalid { .. });
    rejected!(only_dots_host, "http://.../", Rejection::Invalid { .. });

    #[test]
    fn unsafe_scheme_url_is_a_fixed_point() {
        // Found by fuzzing (tests/data/fuzz/normalize_idempotent/crash-9aff6a78-*).
        for raw in ["\0file://c~\\\\s:\\ZZk", "file://c//s:/Z"] {
            let Err(Rejection::UnsafeScheme { url: Some(url), .. }) = normalize(raw, 8192) else {
                panic!("{raw:?} is not an unsafe scheme");
            };
            let Err(Rejection::UnsafeScheme {
                url: Some(again), ..
            }) = normalize(&url, 8192)
            else {
                panic!("{url:?} is not an unsafe scheme");
            };
            assert_eq!(url, again);
        }
    }

    #[test]
    fn parts_slice_as_url_reads_them() {
        for raw in [
            "https://item.jd.com/1.html?a=1&b=2#top",
            "https://jd.com",
            "http://jd.com:8080/x?",
            "https://jd.com/#",
            "http://[::1]:81/p#f?g",
            "http://127.0.0.1/",
            "weixin://dl/business/?t=abc",
            "mailto:kefu@jd.com?subject=x",
            "intent://scan/#Intent;scheme=zxing;end",
            "taobao:item?id=1",
            "ftp://files.example/a/b",
        ] {
            let url = Url::parse(raw).unwrap();
            let link = norm(raw);
            assert_eq!(UrlParts::as_str(&link), url.as_str(), "{raw}");
            assert_eq!(UrlParts::scheme(&link), url.scheme(), "{raw}");
            assert_eq!(UrlParts::host_str(&link), url.host_str(), "{raw}");
            assert_eq!(UrlParts::port(&link), url.port(), "{raw}");
            assert_eq!(UrlParts::path(&link), url.path(), "{raw}");
            assert_eq!(UrlParts::query(&link), url.query(), "{raw}");
            assert_eq!(UrlParts::fragment(&link), url.fragment(), "{raw}");
            assert_eq!(
                link.through_path(),
                &url[..url::Position::AfterPath],
                "{raw}"
            );
        }
    }

    /// `normalize` with and without the fast path: the same link, part for
    /// part, on every link of the adversarial corpus, the scan messages, the
    /// example links and the PSL vectors, each as written, without its scheme,
    /// and with noise around it.
    #[test]
    fn fast_path_normalizes_as_the_url_crate_does() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut inputs: Vec<String> = Vec::new();
        for file in [
            "tests/data/adversarial/corpus.toml",
            "examples/links.txt",
            "tests/data/psl/tests.txt",
        ] {
            let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            for line in text.lines() {
                // Every quoted string and every word: some are links.
                inputs.extend(line.split('"').map(str::to_owned));
                inputs.extend(line.split_whitespace().map(str::to_owned));
            }
        }
        let more: Vec<String> = inputs
            .iter()
            .flat_map(|s| {
                let bare = s.split_once("://").map_or(s.as_str(), |(_, r)| r);
                [
                    bare.to_owned(),
                    format!(" \u{200B}{s}\t"),
                    format!("HTTPS://{bare}"),
                ]
            })
            .collect();
        inputs.extend(more);
        let mut fast_taken = 0;
        for input in &inputs {
            let fast = normalize_with(input, 8192, true).map(|(l, _)| l);
            let slow = normalize_with(input, 8192, false).map(|(l, _)| l);
            match (&fast, &slow) {
                (Ok(f), Ok(s)) => {
                    let kind = |l: &Link| match l.host {
                        Some(HostKind::PlainDomain) => Some(HostKind::Domain),
                        other => other,
                    };
                    assert_eq!(
                        (&f.text, f.layout, kind(f), f.userinfo),
                        (&s.text, s.layout, kind(s), s.userinfo),
                        "{input:?}"
                    );
                    if f.is_plain_domain() {
                        let host = f.host_name().unwrap();
                        assert!(
                            host.split('.').all(|l| !l.is_empty()
                                && !l.starts_with("xn--")
                                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')),
                            "{input:?}"
                        );
                    }
                }
                (f, s) => assert_eq!(f.as_ref().err(), s.as_ref().err(), "{input:?}"),
            }
            if fastpath::parse(trim(input), scheme_of(trim(input)).is_none()).is_some() {
                fast_taken += 1;
                // What the fast path reads is known to be a plain domain.
                assert!(fast.as_ref().is_ok_and(Link::is_plain_domain), "{input:?}");
            }
        }
        assert!(inputs.len() > 5000, "{}", inputs.len());
        assert!(fast_taken > 1000, "{fast_taken} of {}", inputs.len());
    }

    #[test]
    fn userinfo_flagged() {
        let link = norm("https://jd.com@evil.example/");
        assert!(link.userinfo);
        assert_eq!(link.host_name(), Some("evil.example"));
        assert!(!norm("https://evil.example/").userinfo);
    }

    #[test]
    fn scheme_detection() {
        assert_eq!(scheme_of("weixin://x"), Some("weixin"));
        assert_eq!(scheme_of("jd.com:8080/x"), None);
        assert_eq!(scheme_of("localhost:8080"), Some("localhost"));
        assert_eq!(scheme_of("京东.com:80"), None);
        assert_eq!(scheme_of("www.taobao.com"), None);
        assert_eq!(scheme_of("a+b-c9:x"), Some("a+b-c9"));
        assert_eq!(scheme_of("a:"), Some("a"));
        assert_eq!(scheme_of(":x"), None);
        assert_eq!(scheme_of("9a:x"), None);
        assert_eq!(scheme_of("abc"), None);
        assert_eq!(scheme_of(""), None);
        assert_eq!(scheme_of("a_b:x"), None);
    }

    #[test]
    fn idempotent_on_samples() {
        for s in [
            "jd.com/x",
            "https://x@www.jd.com./a",
            "http://0x7f.1/",
            "https://京东.com/",
        ] {
            let once = norm(s);
            let twice = norm(once.as_str());
            assert_eq!(once.as_str(), twice.as_str());
        }
    }
}
