//! Wrappers that carry their page in the path or the fragment rather than in a
//! plain query parameter: AMP caches and viewers, Google's web cache and Google
//! Translate's proxies (Android `intent:` links are read in `src/unwrap/intent.rs`).
//!
//! [`embedded_url`] follows Chromium's `url_matcher::util::GetEmbeddedURL`
//! (components/url_matcher/url_util.cc), the function Chrome's URL blocklist and
//! supervised-user filter use to see through these wrappers, case for case: its
//! unit tests are vendored in `tests/data/unwrap/embedded_url_unwrap.tsv` and all
//! pass. One addition: Google Translate's newer `*.translate.goog` proxy hosts,
//! which Chromium does not unwrap.

use url::Url;

use crate::link::UrlParts;

/// The page a path-based embedding carries: AMP caches
/// (`https://cdn.ampproject.org/c/s/example.com/...`,
/// `https://example-com.cdn.ampproject.org/c/...`), the Google AMP viewer
/// (`https://www.google.<tld>/amp/s/example.com/...`), Google's web cache
/// (`webcache.googleusercontent.com/search?q=cache:...`), Google Translate
/// proxies (`translate.google.com/translate?u=...`, `*.translate.goog` hosts) —
/// exactly as Chromium's url_matcher `GetEmbeddedURL` does. Returns the embedded
/// absolute http(s) URL as a String, or None.
///
/// Chromium's rules, in its order:
/// - AMP cache: a host that is or ends in `cdn.ampproject.org`, a path
///   `/<one letter a-z>/[s/]<rest>`: `http[s]://<rest>`, plus the wrapper's query
///   when it has one (its fragment is dropped).
/// - AMP viewer: `http(s)://[www.]google.<Google TLD>` on the default port, a path
///   `/amp/[s/]<rest>`: `http[s]://<rest percent-decoded>` (the viewer's own query
///   and fragment are dropped).
/// - Web cache: host `webcache.googleusercontent.com`, a path starting with
///   `/search`, and a `q` parameter matching
///   `cache:(.{12}:)?(https?://)?([^ :]*)( [^:]*)?`: the third group, under the
///   scheme of the second (`http` when absent).
/// - Translate: host `translate.google.<Google TLD>` (http(s), default port) or
///   `translate.googleusercontent.com`, and a `u` parameter: its value, with
///   `http://` added when it names no scheme (Chromium's `FixupURL`).
///
/// The addition: `<encoded host>.translate.goog` (Google Translate's proxy since
/// 2021), whose first label is the original host with `-` written for `.` and
/// `--` for `-`: `https://<host><path>` with the proxy's `_x_tr_*` parameters
/// removed (`http` when `_x_tr_sch=http`).
///
/// Only an http(s) URL with a host is returned, in its WHATWG serialization.
pub(crate) fn embedded_url(url: &impl UrlParts) -> Option<String> {
    let target = amp_cache(url)
        .or_else(|| amp_viewer(url))
        .or_else(|| web_cache(url))
        .or_else(|| translate(url))
        .or_else(|| translate_goog(url))?;
    let parsed = Url::parse(&target).ok()?;
    is_web_with_host(&parsed).then(|| parsed.into())
}

/// Whether a URL is http(s) with a host.
fn is_web_with_host(url: &impl UrlParts) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

/// Chromium's `BuildURL`: the scheme, `://`, and the rest.
fn build_url(https: bool, rest: &str) -> String {
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{rest}")
}

/// The host of a URL as matched: lowercase (the URL standard did that) and
/// without one trailing dot.
fn host_of(url: &impl UrlParts) -> Option<&str> {
    let host = url.host_str()?;
    Some(host.strip_suffix('.').unwrap_or(host))
}

/// `*.cdn.ampproject.org/<letter>/[s/]<rest>`.
fn amp_cache(url: &impl UrlParts) -> Option<String> {
    let host = host_of(url)?;
    if !crate::link::domain::is_under(host, AMP_CACHE_HOST) {
        return None;
    }
    // `/[a-z]/(s/)?(.*)`, a full match on the path.
    let rest = url.path().strip_prefix('/')?;
    let mut chars = rest.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return None;
    }
    let rest = chars.as_str().strip_prefix('/')?;
    let (https, embedded) = match rest.strip_prefix("s/") {
        Some(after) => (true, after),
        None => (false, rest),
    };
    let mut target = build_url(https, embedded);
    if let Some(query) = url.query().filter(|q| !q.is_empty()) {
        target.push('?');
        target.push_str(query);
    }
    Some(target)
}

const AMP_CACHE_HOST: &str = "cdn.ampproject.org";

/// `[www.]google.<tld>/amp/[s/]<rest>`.
fn amp_viewer(url: &impl UrlParts) -> Option<String> {
    if !is_google_domain_url(url, true) {
        return None;
    }
    // `/amp/(s/)?(.*)`, a full match on the path; the rest is percent-decoded.
    let rest = url.path().strip_prefix("/amp/")?;
    let (https, embedded) = match rest.strip_prefix("s/") {
        Some(after) => (true, after),
        None => (false, rest),
    };
    Some(build_url(
        https,
        &bytes_to_string(&percent_decode(embedded)),
    ))
}

/// `webcache.googleusercontent.com/search?q=cache:...`.
fn web_cache(url: &impl UrlParts) -> Option<String> {
    if url.host_str()? != "webcache.googleusercontent.com" || !url.path().starts_with("/search") {
        return None;
    }
    let q = query_value(url, "q")?;
    let (https, embedded) = web_cache_target(&q)?;
    Some(build_url(https, embedded))
}

/// A full match of `cache:(.{12}:)?(https?://)?([^ :]*)( [^:]*)?`, tried as RE2
/// tries it (the optional groups present first): whether the scheme group is
/// `https://`, and the third group.
fn web_cache_target(q: &str) -> Option<(bool, &str)> {
    let rest = q.strip_prefix("cache:")?;
    skip_fingerprint(rest)
        .and_then(web_cache_tail)
        .or_else(|| web_cache_tail(rest))
}

/// `.{12}:` at the start (12 characters other than a newline, then a colon):
/// what follows.
fn skip_fingerprint(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    for _ in 0..12 {
        if chars.next()? == '\n' {
            return None;
        }
    }
    chars.as_str().strip_prefix(':')
}

/// `(https?://)?([^ :]*)( [^:]*)?` as a full match.
fn web_cache_tail(s: &str) -> Option<(bool, &str)> {
    let tries = [
        (true, s.strip_prefix("https://")),
        (false, s.strip_prefix("http://")),
        (false, Some(s)),
    ];
    for (https, body) in tries {
        let Some(body) = body else {
            continue;
        };
        // `[^ :]*` is greedy, and only a space may follow it.
        let end = body.find([' ', ':']).unwrap_or(body.len());
        let (Some(embedded), Some(tail)) = (body.get(..end), body.get(end..)) else {
            continue;
        };
        if tail.is_empty() || (tail.starts_with(' ') && !tail.contains(':')) {
            return Some((https, embedded));
        }
    }
    None
}

/// `translate.google.<tld>/...?u=...` or `translate.googleusercontent.com/...?u=...`.
fn translate(url: &impl UrlParts) -> Option<String> {
    let host = url.host_str()?;
    let is_translate = host
        .strip_prefix("translate.")
        .is_some_and(|rest| is_google_web_url(url, rest, false));
    if !is_translate && host != "translate.googleusercontent.com" {
        return None;
    }
    fixup(&query_value(url, "u")?)
}

/// Chromium's `FixupURL` for what a Translate link's `u` holds: trimmed, and
/// `http://` added when the text names no scheme (`example.com`,
/// `example.com:8080/x`, `localhost:8080`).
fn fixup(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if has_scheme(v) {
        Some(v.to_owned())
    } else {
        Some(format!("http://{v}"))
    }
}

/// Whether text starts with a scheme: a valid scheme name without dots before
/// the first colon, not followed by a port number.
fn has_scheme(text: &str) -> bool {
    let Some(head) = crate::link::scheme_of(text) else {
        return false;
    };
    let after = text.get(head.len() + 1..).unwrap_or("");
    let port_len = after.bytes().take_while(u8::is_ascii_digit).count();
    let is_port = port_len > 0
        && after
            .get(port_len..)
            .is_some_and(|r| r.is_empty() || r.starts_with(['/', '?', '#']));
    !is_port
}

/// `<encoded host>.translate.goog/<path>?<query without _x_tr_*>`.
fn translate_goog(url: &impl UrlParts) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let label = host_of(url)?.strip_suffix(".translate.goog")?;
    if label.is_empty() || label.contains('.') {
        return None;
    }
    let host = decode_goog_label(label);
    let mut https = true;
    let mut kept: Vec<&str> = Vec::new();
    for piece in url.query().unwrap_or("").split('&') {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        if key == "_x_tr_sch" && value == "http" {
            https = false;
        }
        if !piece.is_empty() && !key.starts_with("_x_tr_") {
            kept.push(piece);
        }
    }
    let mut target = build_url(https, &host);
    target.push_str(url.path());
    if !kept.is_empty() {
        target.push('?');
        target.push_str(&kept.join("&"));
    }
    Some(target)
}

/// A `*.translate.goog` label back to a host: `--` is `-`, `-` is `.`.
fn decode_goog_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' {
            if chars.next_if_eq(&'-').is_some() {
                out.push('-');
            } else {
                out.push('.');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Chromium's `google_util::IsGoogleDomainUrl` with `DISALLOW_SUBDOMAIN` and
/// `DISALLOW_NON_STANDARD_PORTS`: an http(s) URL on its default port whose host
/// is `google.<tld>` or `www.google.<tld>` for one of Google's TLDs.
fn is_google_domain_url(url: &impl UrlParts, allow_www: bool) -> bool {
    url.host_str()
        .is_some_and(|host| is_google_web_url(url, host, allow_www))
}

/// [`is_google_domain_url`] for `url` with its host replaced by `host`.
fn is_google_web_url(url: &impl UrlParts, host: &str, allow_www: bool) -> bool {
    if !matches!(url.scheme(), "http" | "https") || url.port().is_some() {
        return false;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let host = match host.strip_prefix("www.") {
        Some(rest) if allow_www => rest,
        _ => host,
    };
    host.strip_prefix("google.")
        .is_some_and(|tld| GOOGLE_TLDS.contains(&tld))
}

/// The value of the first query parameter named exactly `key` (the name as
/// written, not decoded), decoded as a form value (`+` is a space), as Chromium's
/// `net::GetValueForKeyInQuery` reads it.
fn query_value(url: &impl UrlParts, key: &str) -> Option<String> {
    url.query()?.split('&').find_map(|piece| {
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        (k == key).then(|| bytes_to_string(&percent_decode(&v.replace('+', " "))))
    })
}

/// Decodes every `%XX` escape to its byte; other bytes are kept.
fn percent_decode(s: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(s).collect()
}

/// Bytes as text: UTF-8 sequences as they are, every other byte escaped again as
/// `%XX` (so `%81` stays `%81`, as in Chromium, where the URL parser re-escapes it).
fn bytes_to_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The TLDs on which Google runs `google.<tld>`: Chromium's
/// components/google/core/common/google_tld_list.h (`GOOGLE_TLD_LIST`, BSD-3-Clause,
/// The Chromium Authors), the list `IsGoogleDomainUrl` checks.
const GOOGLE_TLDS: &[&str] = &[
    "ac", "ad", "ae", "af", "ag", "al", "am", "as", "at", "aw", "az", "ba", "be", "bf", "bg", "bi",
    "bj", "bm", "bn", "bo", "bs", "bt", "by", "ca", "cat", "cc", "cd", "cf", "cg", "ch", "ci",
    "cl", "cm", "cn", "co", "co.ao", "co.bw", "co.ck", "co.cr", "co.gy", "co.hu", "co.id", "co.il",
    "co.im", "co.in", "co.je", "co.jp", "co.ke", "co.kr", "co.ls", "co.ma", "co.mz", "co.nz",
    "co.rs", "co.th", "co.tz", "co.ug", "co.uk", "co.uz", "co.ve", "co.vi", "co.za", "co.zm",
    "co.zw", "com", "com.af", "com.ag", "com.ai", "com.ar", "com.au", "com.bd", "com.bh", "com.bi",
    "com.bn", "com.bo", "com.br", "com.by", "com.bz", "com.cn", "com.co", "com.cu", "com.cy",
    "com.do", "com.dz", "com.ec", "com.eg", "com.er", "com.et", "com.fj", "com.ge", "com.gh",
    "com.gi", "com.gp", "com.gr", "com.gt", "com.gy", "com.hk", "com.ht", "com.iq", "com.jm",
    "com.jo", "com.kh", "com.kw", "com.kz", "com.lb", "com.lv", "com.ly", "com.mm", "com.mt",
    "com.mx", "com.my", "com.na", "com.nc", "com.nf", "com.ng", "com.ni", "com.np", "com.nr",
    "com.om", "com.pa", "com.pe", "com.pg", "com.ph", "com.pk", "com.pl", "com.pr", "com.ps",
    "com.pt", "com.py", "com.qa", "com.ru", "com.sa", "com.sb", "com.sg", "com.sl", "com.sv",
    "com.tj", "com.tm", "com.tn", "com.tr", "com.tw", "com.ua", "com.uy", "com.vc", "com.ve",
    "com.vn", "cv", "cz", "de", "dj", "dk", "dm", "do", "dz", "ec", "ee", "es", "eu", "fi", "fm",
    "fr", "ga", "gd", "ge", "gf", "gg", "gl", "gm", "gp", "gr", "gw", "gy", "hk", "hn", "hr", "ht",
    "hu", "ie", "im", "in", "info", "io", "iq", "is", "it", "it.ao", "je", "jo", "jobs", "jp",
    "kg", "ki", "km", "kr", "kz", "la", "li", "lk", "lt", "lu", "lv", "ma", "md", "me", "mg", "mh",
    "mk", "ml", "mn", "mr", "ms", "mu", "mv", "mw", "mx", "ne", "ne.jp", "net", "ng", "nl", "no",
    "nr", "nu", "off.ai", "org", "pf", "ph", "pk", "pl", "pn", "ps", "pt", "qa", "re", "ro", "rs",
    "ru", "rw", "sc", "se", "sg", "sh", "si", "sk", "sl", "sm", "sn", "so", "sr", "st", "sz", "td",
    "tel", "tg", "tk", "tl", "tm", "tn", "to", "tt", "tw", "ua", "us", "uz", "vg", "vn", "vu",
    "ws", "yt",
];

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeMap;

    const CHROMIUM: &str = include_str!("../../tests/data/unwrap/embedded_url_unwrap.tsv");
    const DDG_AMP: &str = include_str!("../../tests/data/unwrap/ddg_amp_protections_tests.json");
    const AMP_OUT_OF_SCOPE: &str = include_str!("../../tests/data/unwrap/amp_out_of_scope.txt");

    fn embedded(input: &str) -> Option<String> {
        embedded_url(&Url::parse(input).unwrap())
    }

    /// Both sides parsed, so `http://example.com` equals `http://example.com/`.
    fn same_url(got: Option<&str>, expected: &str) -> bool {
        match (got, expected) {
            (None, "") => true,
            (Some(g), e) if !e.is_empty() => Url::parse(g).ok() == Url::parse(e).ok(),
            _ => false,
        }
    }

    #[test]
    fn chromium_get_embedded_url_cases() {
        let mut count = 0;
        let mut failures = Vec::new();
        for line in CHROMIUM.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (kind, input) = (cols.next().unwrap(), cols.next().unwrap());
            let expected = cols.next().unwrap_or("");
            let got = embedded(input);
            if !same_url(got.as_deref(), expected) {
                failures.push(format!(
                    "{kind} {input}: got {got:?}, expected {expected:?}"
                ));
            }
            count += 1;
        }
        assert_eq!(count, 52, "the vendored file has 52 cases");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn out_of_scope(text: &str) -> BTreeMap<&str, &str> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (name, reason) = l.split_once('\t').unwrap();
                assert!(!reason.trim().is_empty(), "no reason for {name}");
                (name, reason)
            })
            .collect()
    }

    #[test]
    fn ddg_amp_cases() {
        let listed = out_of_scope(AMP_OUT_OF_SCOPE);
        let suites: serde_json::Value = serde_json::from_str(DDG_AMP).unwrap();
        let mut seen = Vec::new();
        let mut passed = 0;
        let mut problems = Vec::new();
        for suite in suites.as_object().unwrap().values() {
            for case in suite["tests"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                seen.push(name);
                let outcome = match (case["ampURL"].as_str(), case["expectURL"].as_str()) {
                    (Some(input), Some(expected)) => {
                        let got = embedded(input);
                        Some((same_url(got.as_deref(), expected), got))
                    }
                    // Keyword detection cases: nothing for embedded_url to do.
                    _ => None,
                };
                match (listed.contains_key(name), outcome) {
                    (false, Some((true, _))) => passed += 1,
                    (false, Some((false, got))) => {
                        problems.push(format!("{name}: fails (got {got:?}) but is not listed"));
                    }
                    (false, None) => problems.push(format!("{name}: not covered nor listed")),
                    (true, Some((true, _))) => {
                        problems.push(format!("{name}: passes but is listed out of scope"));
                    }
                    (true, _) => {}
                }
            }
        }
        for name in listed.keys() {
            if !seen.contains(name) {
                problems.push(format!("{name}: listed but not a case"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!((seen.len(), passed, listed.len()), (12, 3, 9));
    }

    macro_rules! embeds {
        ($name:ident, $input:expr, $expected:expr) => {
            #[test]
            fn $name() {
                assert_eq!(embedded($input).as_deref(), $expected);
            }
        };
    }

    embeds!(
        amp_cache_https,
        "https://www-jd-com.cdn.ampproject.org/c/s/www.jd.com/a.html?x=1#f",
        Some("https://www.jd.com/a.html?x=1")
    );
    embeds!(
        amp_cache_trailing_dot,
        "https://cdn.ampproject.org./v/s/jd.com/",
        Some("https://jd.com/")
    );
    embeds!(
        amp_cache_not_a_subdomain,
        "https://evilcdn.ampproject.org/c/s/jd.com/",
        None
    );
    embeds!(
        amp_cache_empty_rest,
        "https://cdn.ampproject.org/c/s/",
        None
    );
    embeds!(
        amp_viewer_decodes_host,
        "https://www.google.com.hk/amp/s/evil.example%2Fx",
        Some("https://evil.example/x")
    );
    embeds!(
        amp_viewer_port,
        "https://www.google.com:8443/amp/s/jd.com/",
        None
    );
    embeds!(
        amp_viewer_default_port,
        "https://www.google.com:443/amp/s/jd.com/",
        Some("https://jd.com/")
    );
    embeds!(
        amp_viewer_other_scheme,
        "ftp://www.google.com/amp/s/jd.com/",
        None
    );
    embeds!(
        amp_viewer_not_google_tld,
        "https://www.google.xyz/amp/s/jd.com/",
        None
    );
    embeds!(
        amp_viewer_userinfo_in_target,
        "https://www.google.com/amp/s/jd.com%40evil.example/",
        Some("https://jd.com@evil.example/")
    );
    embeds!(
        web_cache_encoded_query,
        "https://webcache.googleusercontent.com/search?%71=x&q=cache%3Ahttps%3A%2F%2Fjd.com%2Fx+jd",
        Some("https://jd.com/x")
    );
    embeds!(
        web_cache_first_q_only,
        "https://webcache.googleusercontent.com/search?q=jd&q=cache:jd.com/",
        None
    );
    embeds!(
        web_cache_fingerprint,
        "https://webcache.googleusercontent.com/search?q=cache:0123456789ab:http://jd.com/",
        Some("http://jd.com/")
    );
    embeds!(
        translate_full_url,
        "https://translate.google.com.hk/translate?sl=auto&u=https%3A%2F%2Fevil.example%2Fp%3Fa%3D1",
        Some("https://evil.example/p?a=1")
    );
    embeds!(
        translate_host_port,
        "https://translate.google.com/translate?u=jd.com:8080/x",
        Some("http://jd.com:8080/x")
    );
    embeds!(
        translate_localhost_port,
        "https://translate.google.com/translate?u=localhost:8080",
        Some("http://localhost:8080/")
    );
    embeds!(
        translate_not_web,
        "https://translate.google.com/translate?u=javascript:alert(1)",
        None
    );
    embeds!(
        translate_empty,
        "https://translate.google.com/translate?u=",
        None
    );
    embeds!(
        translate_goog,
        "https://www-evil--site-example.translate.goog/p/q?a=1&_x_tr_sl=auto&_x_tr_tl=zh-CN&_x_tr_hl=en&b=2#top",
        Some("https://www.evil-site.example/p/q?a=1&b=2")
    );
    embeds!(
        translate_goog_http,
        "https://jd-com.translate.goog/?_x_tr_sch=http&_x_tr_sl=auto",
        Some("http://jd.com/")
    );
    embeds!(
        translate_goog_punycode,
        "https://xn----fo6a-com.translate.goog/",
        Some("https://xn--fo6a.com/")
    );
    embeds!(
        translate_goog_nested_label,
        "https://a.jd-com.translate.goog/",
        None
    );
    embeds!(translate_goog_itself, "https://translate.goog/", None);
    embeds!(plain_link, "https://item.jd.com/1.html", None);
    embeds!(
        google_search_is_not_embedding,
        "https://www.google.com/search?q=https://evil.example/",
        None
    );

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb%zz%4"), b"a/b%zz%4");
        assert_eq!(bytes_to_string(&percent_decode("%E4%BA%AC%81")), "京%81");
    }

    #[test]
    fn google_tlds_are_sorted_and_unique() {
        assert!(GOOGLE_TLDS.windows(2).all(|w| w[0] < w[1]));
    }
}
