//! Section 4 of the contract, normalization: what a link means, through the public
//! API only (`classify`, then the verdict's `url`, `host`, `action` and reasons).
//!
//! The hand-written cases are URL-confusion tricks: each must be read exactly as a
//! browser reads it, so a rule on the real host still applies. The data-driven test
//! replays the WHATWG URL test data (web-platform-tests `urltestdata.json`, a
//! filtered copy in `tests/data/wpt/`) and checks the verdict's host against the
//! standard's, with the known, justified differences listed in
//! `tests/data/wpt/expected_differences.txt`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use linkpolicy::{Action, Context, Policy, Reason, Verdict};

/// A policy under which every outcome says which step decided it: plain web links
/// are allowed (`default`), IP hosts warn (`ip_host`), app links warn (`app_link`),
/// and a few rules name the hosts the confusion tricks try to disguise.
const POLICY: &str = r#"
version = 1

[defaults]
one_to_one = "allow"
group = "allow"
app_link = "warn"
ip_host = "warn"

[[rule]]
id = "evil"
action = "block"
category = "phishing"
domain = "evil.example"

[[rule]]
id = "jd-promo"
action = "block"
category = "fraud"
url_prefix = "https://www.jd.com/promo/"

[[rule]]
id = "loopback"
action = "block"
category = "other"
host = "127.0.0.1"

[[rule]]
id = "idn"
action = "warn"
category = "other"
domain = "京东.com"
"#;

static POLICY_LOADED: LazyLock<Policy> = LazyLock::new(|| match Policy::from_toml_str(POLICY) {
    Ok(p) => p,
    Err(e) => panic!("test policy must load: {e}"),
});

fn classify(link: &str) -> Verdict {
    POLICY_LOADED.classify(link, &Context::one_to_one())
}

/// A reason as the cases write it: its kind, and for a rule `rule:<id>`.
fn describe(r: &Reason) -> String {
    match r {
        Reason::Rule { rule, .. } => format!("rule:{rule}"),
        other => other.kind().to_owned(),
    }
}

/// Reasons that come from normalization itself: a case must list exactly those it
/// expects, so that, say, a stray `userinfo` is caught.
const NORMALIZATION_KINDS: [&str; 5] = [
    "userinfo",
    "ip_host",
    "invalid",
    "unsafe_scheme",
    "too_long",
];

/// Checks a verdict: action, hardness (`"soft"` or `"hard"`), the deciding reason,
/// and the other reasons that must be present.
fn check_decision(v: &Verdict, what: &str, action: Action, hard: &str, reasons: &[&str]) {
    assert!(
        hard == "soft" || hard == "hard",
        "write soft or hard, not {hard}"
    );
    let got: Vec<String> = v.reasons().map(describe).collect();
    assert_eq!(v.action(), action, "{what}: {v}");
    assert_eq!(v.is_hard(), hard == "hard", "{what}: {v}");
    assert_eq!(
        got.first().map(String::as_str),
        reasons.first().copied(),
        "{what}: deciding reason of {v}"
    );
    for r in reasons {
        assert!(got.iter().any(|g| g == r), "{what}: {v} lacks reason {r}");
    }
    for kind in NORMALIZATION_KINDS {
        assert_eq!(
            got.iter().any(|g| g == kind),
            reasons.contains(&kind),
            "{what}: {v}: reason {kind} present or missing unexpectedly"
        );
    }
}

/// `link!(name: input => url, host h, Action soft|hard by "deciding" "other"...)`:
/// the link is read as the normalized URL `url` with host `h`, and decided so: the
/// first reason decides, the others must be present too.
macro_rules! link {
    ($name:ident: $input:expr => $url:expr, host $host:expr,
     $action:ident $hard:ident by $($reason:literal)+) => {
        #[test]
        fn $name() {
            let input: &str = $input;
            let v = classify(input);
            let what = format!("{input:?}");
            assert_eq!(v.url(), Some($url), "{what}: url of {v}");
            assert_eq!(v.host(), Some($host), "{what}: host of {v}");
            check_decision(&v, &what, Action::$action, stringify!($hard), &[$($reason),+]);
        }
    };
}

/// `app!(name: input => url)`: a link of another scheme than http(s) that no rule
/// matches: no host, warn by `app_link`, not hard.
macro_rules! app {
    ($name:ident: $input:expr => $url:expr) => {
        #[test]
        fn $name() {
            let input: &str = $input;
            let v = classify(input);
            let what = format!("{input:?}");
            assert_eq!(v.url(), Some($url), "{what}: url of {v}");
            assert_eq!(v.host(), None, "{what}: host of {v}");
            check_decision(&v, &what, Action::Warn, "soft", &["app_link"]);
        }
    };
}

/// `blocked!(name: input, "reason")`: refused before any rule, hard, with no host.
macro_rules! blocked {
    ($name:ident: $input:expr, $reason:literal) => {
        #[test]
        fn $name() {
            let input: &str = $input;
            let v = classify(input);
            let what = format!("{input:?}");
            check_decision(&v, &what, Action::Block, "hard", &[$reason]);
            assert_eq!(v.host(), None, "{what}: host of {v}");
            assert_eq!(
                v.registrable_domain(),
                None,
                "{what}: registrable domain of {v}"
            );
        }
    };
}

// A plain link, for reference.
link!(plain: "https://evil.example/x" => "https://evil.example/x", host "evil.example", Block soft by "rule:evil");
link!(plain_allowed: "https://www.jd.com/1.html" => "https://www.jd.com/1.html", host "www.jd.com", Allow soft by "default");

// 4.1 Surrounding white space and C0 controls are trimmed.
link!(trim_spaces: "  https://evil.example/ \n" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(trim_controls: "\u{0}\u{1}\u{1f} https://evil.example/\u{7f}" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(trim_ideographic_space: "\u{3000}https://evil.example/\u{3000}" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");

// 4.3 Percent-escapes in the host are decoded.
link!(percent_dot: "https://evil%2eexample/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(percent_dot_upper: "https://evil%2Eexample/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(percent_dot_jd: "https://www%2ejd.com/promo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");
link!(percent_letter: "https://%65vil.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(percent_all: "https://%65%76%69%6c%2e%65%78%61%6d%70%6c%65/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
blocked!(percent_double_escape: "https://evil%252eexample/", "invalid");
blocked!(percent_at_in_host: "https://www.jd.com%40evil.example/", "invalid");

// 4.3 Full-width and ideographic dots are label separators (UTS 46).
link!(ideographic_full_stop: "https://evil\u{3002}example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(fullwidth_full_stop: "https://evil\u{ff0e}example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(halfwidth_ideographic_full_stop: "https://evil\u{ff61}example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(fullwidth_dots_jd: "https://www。jd．com/promo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");
link!(fullwidth_letters: "https://ｅｖｉｌ.ｅｘａｍｐｌｅ/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(soft_hyphen_ignored: "https://ev\u{ad}il.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");

// 4.3 Tabs and newlines inside are removed.
link!(tab_in_host: "https://ev\til.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(newlines_in_host: "https://evil.exa\nmple\r/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(tab_in_scheme: "ht\ttps://evil.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(tab_in_path: "https://www.jd.com/pro\tmo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");

// 4.3 Backslashes are slashes in special URLs.
link!(backslashes: "https:\\\\evil.example\\path" => "https://evil.example/path", host "evil.example", Block soft by "rule:evil");
link!(slash_backslash: "https:/\\evil.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(backslash_path_jd: "https://www.jd.com\\promo\\1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");
link!(backslash_before_at: "https://www.jd.com\\@evil.example/" => "https://www.jd.com/@evil.example/", host "www.jd.com", Allow soft by "default");
link!(no_slashes: "https:evil.example/x" => "https://evil.example/x", host "evil.example", Block soft by "rule:evil");
link!(many_slashes: "https:////evil.example/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");

// 4.6 and 5.6: user info is dropped from the URL, and is a hard warn floor.
link!(userinfo: "https://jd.com@attacker.example/" => "https://attacker.example/", host "attacker.example", Warn hard by "userinfo" "default");
link!(userinfo_on_blocked_host: "https://jd.com@evil.example/" => "https://evil.example/", host "evil.example", Block hard by "rule:evil" "userinfo");
link!(userinfo_with_password: "https://user:pass@www.jd.com/" => "https://www.jd.com/", host "www.jd.com", Warn hard by "userinfo" "default");
link!(userinfo_port_like: "https://jd.com:443@attacker.example/" => "https://attacker.example/", host "attacker.example", Warn hard by "userinfo" "default");
link!(userinfo_trailing_dot_prefix: "https://x@www.jd.com./promo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block hard by "rule:jd-promo" "userinfo");
link!(userinfo_fullwidth: "https://www.jd。com@attacker.example/" => "https://attacker.example/", host "attacker.example", Warn hard by "userinfo" "default");
// `:@` is empty user info, which the URL standard drops: the URL has none.
link!(userinfo_empty: "https://:@www.jd.com/" => "https://www.jd.com/", host "www.jd.com", Allow soft by "default");

// 4.3 Odd IPv4 forms are the address a browser connects to.
link!(ipv4_plain: "http://127.0.0.1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_hex_short: "http://0x7f.1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_hex_full: "http://0x7F000001/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_hex_parts: "http://0x7f.0x0.0x0.0x1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_octal: "http://0177.0.0.1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_decimal: "http://2130706433/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_short: "http://127.1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_trailing_dot: "http://127.0.0.1./" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_percent_dots: "http://127%2e0%2e0%2e1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_fullwidth_dots: "http://127。0。0。1/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_fullwidth_digits: "http://１２７.０.０.１/" => "http://127.0.0.1/", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(ipv4_private: "http://192.168.0.1/x" => "http://192.168.0.1/x", host "192.168.0.1", Warn soft by "ip_host" "default");
link!(ipv4_private_decimal: "http://3232235521/x" => "http://192.168.0.1/x", host "192.168.0.1", Warn soft by "ip_host" "default");
blocked!(ipv4_part_too_big: "http://256.0.0.1/", "invalid");
blocked!(ipv4_too_many_parts: "http://1.2.3.4.5/", "invalid");
blocked!(ipv4_number_too_big: "http://4294967296/", "invalid");
blocked!(ipv4_bad_hex: "http://0x7g.1/", "invalid");

// 4.3 IPv6, bracketed and compressed as the URL standard serializes it.
link!(ipv6_loopback: "http://[::1]/" => "http://[::1]/", host "[::1]", Warn soft by "ip_host" "default");
link!(ipv6_long_form: "http://[0:0:0:0:0:0:0:1]/" => "http://[::1]/", host "[::1]", Warn soft by "ip_host" "default");
link!(ipv6_upper_port: "http://[2001:DB8::1]:8080/x" => "http://[2001:db8::1]:8080/x", host "[2001:db8::1]", Warn soft by "ip_host" "default");
// An IPv4-mapped IPv6 address stays an IPv6 host, which the URL standard
// serializes in hex (`[::ffff:7f00:1]`, not `[::ffff:127.0.0.1]`); it is
// matched as the IPv4 address too (contract 4.7, issue #13), so the
// `host = "127.0.0.1"` rule sees it, and the `ip_host` floor still applies.
link!(ipv6_mapped_ipv4: "http://[::ffff:127.0.0.1]/" => "http://[::ffff:7f00:1]/", host "[::ffff:7f00:1]", Block soft by "rule:loopback" "ip_host");
link!(ipv6_mapped_ipv4_upper: "http://[::FFFF:7F00:1]/" => "http://[::ffff:7f00:1]/", host "[::ffff:7f00:1]", Block soft by "rule:loopback" "ip_host");
blocked!(ipv6_unclosed: "http://[::1/", "invalid");
blocked!(ipv6_bad: "http://[::g]/", "invalid");
blocked!(ipv6_bad_embedded_ipv4: "http://[::ffff:0x7f.1]/", "invalid");

// 4.3 and 4.4 IDN: matched in ASCII (punycode), lowercase.
link!(idn_chinese: "https://京东.com/" => "https://xn--xhq9m.com/", host "xn--xhq9m.com", Warn soft by "rule:idn");
link!(idn_punycode: "https://xn--xhq9m.com/" => "https://xn--xhq9m.com/", host "xn--xhq9m.com", Warn soft by "rule:idn");
link!(idn_punycode_upper: "https://XN--XHQ9M.COM/" => "https://xn--xhq9m.com/", host "xn--xhq9m.com", Warn soft by "rule:idn");
link!(idn_fullwidth_dot: "https://www.京东。com/a" => "https://www.xn--xhq9m.com/a", host "www.xn--xhq9m.com", Warn soft by "rule:idn");
link!(idn_chinese_tld: "https://食狮.中国/" => "https://xn--85x722f.xn--fiqs8s/", host "xn--85x722f.xn--fiqs8s", Allow soft by "default");
blocked!(idn_bad_punycode: "https://xn--a.com/", "invalid");

// 4.4 Trailing dots: the host is matched without them.
link!(trailing_dot: "https://evil.example./" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(trailing_dots: "https://evil.example.../" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(trailing_dot_prefix: "https://www.jd.com./promo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");
link!(trailing_fullwidth_dot: "https://evil.example。/" => "https://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(trailing_dot_port: "https://evil.example.:8443/" => "https://evil.example:8443/", host "evil.example", Block soft by "rule:evil");
link!(trailing_dot_schemeless: "jd.com./x" => "http://jd.com/x", host "jd.com", Allow soft by "default");
blocked!(only_a_dot: "http://./", "invalid");
blocked!(only_dots: "http://.../", "invalid");

// 4.3 Scheme and host are case-insensitive; the path is not.
link!(mixed_case: "HTTPS://EVIL.Example/Path" => "https://evil.example/Path", host "evil.example", Block soft by "rule:evil");
link!(mixed_case_prefix: "HtTpS://WwW.jD.cOm/promo/1" => "https://www.jd.com/promo/1", host "www.jd.com", Block soft by "rule:jd-promo");
link!(path_case_kept: "https://www.jd.com/PROMO/1" => "https://www.jd.com/PROMO/1", host "www.jd.com", Allow soft by "default");

// 4.2 No scheme: http:// is assumed.
link!(schemeless_path: "jd.com/x" => "http://jd.com/x", host "jd.com", Allow soft by "default");
link!(schemeless_www: "www.taobao.com" => "http://www.taobao.com/", host "www.taobao.com", Allow soft by "default");
link!(schemeless_port: "jd.com:8080/x" => "http://jd.com:8080/x", host "jd.com", Allow soft by "default");
link!(schemeless_blocked: "evil.example/login" => "http://evil.example/login", host "evil.example", Block soft by "rule:evil");
link!(schemeless_trimmed: "  evil.example  " => "http://evil.example/", host "evil.example", Block soft by "rule:evil");
link!(schemeless_idn: "京东.com/x" => "http://xn--xhq9m.com/x", host "xn--xhq9m.com", Warn soft by "rule:idn");
link!(schemeless_ipv4: "127.1:8080/x" => "http://127.0.0.1:8080/x", host "127.0.0.1", Block soft by "rule:loopback" "ip_host");
link!(schemeless_ipv6: "[::1]:8080" => "http://[::1]:8080/", host "[::1]", Warn soft by "ip_host" "default");
link!(schemeless_userinfo: "jd.com@evil.example" => "http://evil.example/", host "evil.example", Block hard by "rule:evil" "userinfo");
link!(schemeless_slashes: "//evil.example/" => "http://evil.example/", host "evil.example", Block soft by "rule:evil");

// 4.2 A name without a dot before the colon is a scheme: an app link.
app!(localhost_port: "localhost:8080" => "localhost:8080");
app!(app_scheme: "weixin://dl/business/?t=abc" => "weixin://dl/business/?t=abc");
app!(mailto: "mailto:kefu@jd.com" => "mailto:kefu@jd.com");
app!(app_scheme_upper: "TaoBao://item?id=1" => "taobao://item?id=1");

// Other special schemes have a host, which rules see.
link!(wss_host: "wss://evil.example/socket" => "wss://evil.example/socket", host "evil.example", Block soft by "rule:evil");
link!(ftp_host: "FTP://evil%2eexample/f" => "ftp://evil.example/f", host "evil.example", Block soft by "rule:evil");

// 4.5 Unsafe schemes: always blocked, hard, whatever their case or disguise.
blocked!(javascript: "javascript:alert(1)", "unsafe_scheme");
blocked!(javascript_odd_case: "JaVaScRiPt:alert(1)", "unsafe_scheme");
blocked!(javascript_upper: "JAVASCRIPT:alert(1)", "unsafe_scheme");
blocked!(javascript_tab: "java\tscript:alert(1)", "unsafe_scheme");
blocked!(javascript_newlines: "java\r\nscr\nipt:alert(1)", "unsafe_scheme");
blocked!(javascript_leading_spaces: "   javascript:alert(1)", "unsafe_scheme");
blocked!(javascript_leading_controls: "\u{0}\u{1}\u{8}\u{1f} javascript:alert(1)", "unsafe_scheme");
blocked!(javascript_leading_tab_newline: "\t\njavascript:alert(1)", "unsafe_scheme");
blocked!(javascript_leading_ideographic_space: "\u{3000}javascript:alert(1)", "unsafe_scheme");
blocked!(javascript_slashes: "javascript://%0Aalert(1)", "unsafe_scheme");
blocked!(data: "data:text/html,<script>alert(1)</script>", "unsafe_scheme");
blocked!(data_upper_base64: "DATA:text/html;base64,PHNjcmlwdD4=", "unsafe_scheme");
blocked!(data_tab: "da\tta:text/html,x", "unsafe_scheme");
blocked!(vbscript: "vbscript:msgbox(1)", "unsafe_scheme");
blocked!(vbscript_odd_case: " VBScript:msgbox(1)", "unsafe_scheme");
blocked!(file: "file:///etc/passwd", "unsafe_scheme");
blocked!(file_upper_host: "FILE://localhost/c:/windows", "unsafe_scheme");
blocked!(file_backslashes: "file:c:\\windows\\win.ini", "unsafe_scheme");
blocked!(blob: "blob:https://evil.example/0f1e2d3c", "unsafe_scheme");
blocked!(blob_odd_case: "bLoB:https://www.jd.com/x", "unsafe_scheme");

// 4.3 What a browser cannot read is blocked, hard.
blocked!(empty: "", "invalid");
blocked!(blank: " \t\n ", "invalid");
blocked!(scheme_only: "https://", "invalid");
blocked!(space_in_host: "https://exa mple.com/", "invalid");
blocked!(forbidden_in_host: "https://evil<example/", "invalid");
blocked!(nul_in_host: "https://evil%00example/", "invalid");
blocked!(bad_port: "https://evil.example:99999/", "invalid");

/// 4.1: the length limit counts bytes, after trimming.
#[test]
fn too_long_counts_trimmed_bytes() {
    let policy = match Policy::from_toml_str("version = 1\n[limits]\nmax_link_len = 24\n") {
        Ok(p) => p,
        Err(e) => panic!("policy must load: {e}"),
    };
    let ctx = Context::one_to_one();
    let fits = "https://jd.com/123456789";
    assert_eq!(fits.len(), 24);
    // Surrounding white space does not count.
    let v = policy.classify(&format!("  \t{fits} \n"), &ctx);
    assert_eq!(v.url(), Some(fits), "{v}");
    let v = policy.classify(&format!("{fits}0"), &ctx);
    check_decision(&v, "25 bytes", Action::Block, "hard", &["too_long"]);
    assert_eq!(v.url(), None, "{v}");
    // Bytes, not characters: 8 three-byte characters fit, 9 do not.
    let v = policy.classify(&"京".repeat(8), &ctx);
    assert!(v.host().is_some_and(|h| h.starts_with("xn--")), "{v}");
    let v = policy.classify(&"京".repeat(9), &ctx);
    check_decision(&v, "27 bytes", Action::Block, "hard", &["too_long"]);
}

/// 4.6: the normalized URL is a fixed point: classifying it again gives it back.
#[test]
fn normalized_url_is_stable() {
    for input in [
        "https://x@www.jd.com./promo/1",
        "HTTPS://evil%2eexample。/A?b=C#D",
        "http://0x7f.1/",
        "https://京东。com/x",
        "jd.com:8080/x",
        "http://[::ffff:127.0.0.1]/",
    ] {
        let once = classify(input);
        let Some(url) = once.url() else {
            panic!("{input:?}: no url in {once}");
        };
        let twice = classify(url);
        assert_eq!(twice.url(), Some(url), "{input:?}");
        assert_eq!(twice.host(), once.host(), "{input:?}");
    }
}

// ---------------------------------------------------------------------------
// The WHATWG URL test data.

/// Cases of web-platform-tests `url/resources/urltestdata.json` (see
/// `tests/data/wpt/SOURCE.txt`), filtered to those whose input is an absolute URL
/// of a special scheme with a host (http, https, ws, wss, ftp) that the base cannot
/// change, with only the fields used here.
const WPT: &str = include_str!("data/wpt/urltestdata.json");

/// The WPT cases where the contract (or a documented choice of the crate) differs
/// from the URL standard, one a line: the input as a JSON string, then the reason.
const EXPECTED_DIFFERENCES: &str = include_str!("data/wpt/expected_differences.txt");

/// One WPT case.
#[derive(Debug)]
struct WptCase {
    input: String,
    /// The standard's result: `None` for a failure, else (href, hostname, has user info).
    parsed: Option<(String, String, bool)>,
}

fn wpt_cases() -> Vec<WptCase> {
    let data: serde_json::Value = match serde_json::from_str(WPT) {
        Ok(v) => v,
        Err(e) => panic!("urltestdata.json: {e}"),
    };
    let Some(cases) = data.as_array() else {
        panic!("urltestdata.json is not an array");
    };
    let field = |c: &serde_json::Value, k: &str| -> String {
        match c.get(k).and_then(serde_json::Value::as_str) {
            Some(s) => s.to_owned(),
            None => panic!("urltestdata.json: case without {k}: {c}"),
        }
    };
    cases
        .iter()
        .map(|c| WptCase {
            input: field(c, "input"),
            parsed: if c.get("failure").and_then(serde_json::Value::as_bool) == Some(true) {
                None
            } else {
                Some((
                    field(c, "href"),
                    field(c, "hostname"),
                    !field(c, "username").is_empty() || !field(c, "password").is_empty(),
                ))
            },
        })
        .collect()
}

/// The expected differences: input → reason.
fn expected_differences() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, line) in EXPECTED_DIFFERENCES.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut stream = serde_json::Deserializer::from_str(line).into_iter::<String>();
        let input = match stream.next() {
            Some(Ok(input)) => input,
            other => panic!(
                "expected_differences.txt:{}: no JSON string first: {other:?}",
                i + 1
            ),
        };
        let reason = line.get(stream.byte_offset()..).unwrap_or_default().trim();
        assert!(
            !reason.is_empty(),
            "expected_differences.txt:{}: no reason",
            i + 1
        );
        let dup = out.insert(input, reason.to_owned());
        assert!(
            dup.is_none(),
            "expected_differences.txt:{}: listed twice",
            i + 1
        );
    }
    out
}

/// Where the verdict departs from the standard's result for one case, if it does.
fn wpt_difference(case: &WptCase) -> Option<String> {
    let v = classify(&case.input);
    let kind = v.reason().map(Reason::kind);
    let refused = v.action() == Action::Block
        && v.is_hard()
        && matches!(kind, Some("invalid" | "unsafe_scheme"));
    let Some((href, hostname, userinfo)) = &case.parsed else {
        return (!refused).then(|| {
            format!(
                "the standard fails, the verdict is {v} (host {:?})",
                v.host()
            )
        });
    };
    if refused {
        return Some(format!("the standard parses ({href}), the verdict is {v}"));
    }
    // The host as matched: one trailing dot removed.
    let host = hostname.strip_suffix('.').unwrap_or(hostname);
    if v.host() != Some(host) {
        return Some(format!(
            "host {:?}, the standard's is {hostname:?} ({href}); {v}",
            v.host()
        ));
    }
    let has_userinfo = v.reasons().any(|r| *r == Reason::Userinfo);
    if has_userinfo != *userinfo || (*userinfo && !v.is_hard()) {
        return Some(format!(
            "user info {userinfo} in the standard ({href}), the verdict is {v}"
        ));
    }
    // The normalized URL is the standard's href without user info and with the
    // host as matched.
    let Some(url) = normalized_href(href, hostname, host, *userinfo) else {
        return Some(format!("cannot find {hostname:?} in href {href:?}"));
    };
    if v.url() != Some(url.as_str()) {
        return Some(format!(
            "url {:?}, expected {url:?} from the standard's href {href:?}",
            v.url()
        ));
    }
    None
}

/// The standard's href with the user info removed and `hostname` replaced by `host`.
fn normalized_href(href: &str, hostname: &str, host: &str, userinfo: bool) -> Option<String> {
    let (scheme, rest) = href.split_once("://")?;
    // User info is percent-encoded in an href: its first `@` ends it.
    let rest = if userinfo {
        rest.split_once('@')?.1
    } else {
        rest
    };
    let after_host = rest.strip_prefix(hostname)?;
    Some(format!(
        "{scheme}://{host}{}",
        decode_unreserved_escapes(after_host)
    ))
}

/// Contract 4.6: escapes of unreserved characters (`A-Z a-z 0-9 - . _ ~`) in
/// the path, query and fragment are decoded; the others stay as written. What
/// follows the host in an href is the port, which has no `%`, then those.
fn decode_unreserved_escapes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|b| b.is_ascii_alphanumeric() || b"-._~".contains(b));
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn wpt_url_test_data() {
    let cases = wpt_cases();
    let failures = cases.iter().filter(|c| c.parsed.is_none()).count();
    assert_eq!(
        (cases.len(), failures),
        (399, 205),
        "WPT cases (all, failures)"
    );
    let expected = expected_differences();
    let mut unexpected = Vec::new();
    let mut differing = BTreeMap::new();
    for case in &cases {
        if let Some(diff) = wpt_difference(case) {
            if !expected.contains_key(&case.input) {
                unexpected.push(format!("{:?}: {diff}", case.input));
            }
            differing.insert(case.input.clone(), diff);
        }
    }
    let stale: Vec<_> = expected
        .keys()
        .filter(|k| !differing.contains_key(*k))
        .map(|k| format!("{k:?}"))
        .collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} of {} WPT cases differ from the standard without being listed in \
         tests/data/wpt/expected_differences.txt:\n  {}\n\
         {} listed differences no longer differ (stale):\n  {}",
        unexpected.len(),
        cases.len(),
        unexpected.join("\n  "),
        stale.len(),
        stale.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// Issue #13: no way around a rule through escapes, schemes or IPv6 forms. Each
// example of the issue, with a control that must stay as it is.

mod issue13 {
    use linkpolicy::{Action, ChatKind, Context, Policy, Reason, SAMPLE_POLICY, Verdict};

    fn sample() -> Policy {
        Policy::from_toml_str(SAMPLE_POLICY).unwrap()
    }

    fn ids(v: &Verdict) -> Vec<&str> {
        v.rule_ids().map(|id| id.as_str()).collect()
    }

    /// The sample's `url_prefix = "https://docs.qq.com/form/"` sees the link
    /// typed without a scheme (read as `http://`, contract 4.2 and 4.7) and with
    /// an escaped letter in the path (every server reads `/%66orm` as `/form`).
    #[test]
    fn url_prefix_rule_cannot_be_walked_around() {
        let p = sample();
        let ctx = Context::one_to_one();
        for link in [
            "https://docs.qq.com/form/DZW1Nb2x",
            "docs.qq.com/form/DZW1Nb2x",
            "http://docs.qq.com/form/DZW1Nb2x",
            "https://docs.qq.com/%66orm/DZW1Nb2x",
            "https://docs.qq.com/%66%6F%72%6D/DZW1Nb2x",
            "docs.qq.com/%66orm/DZW1Nb2x",
        ] {
            let v = p.classify(link, &ctx);
            assert_eq!(ids(&v), ["phishing-0002"], "{link}: {v}");
            assert_eq!(v.action(), Action::Warn, "{link}: {v}");
        }
        // The verdict's url is the decoded form.
        let v = p.classify("https://docs.qq.com/%66orm/DZW1Nb2x", &ctx);
        assert_eq!(v.url(), Some("https://docs.qq.com/form/DZW1Nb2x"));
        // Controls: another path of docs.qq.com, and a reserved escape kept.
        let v = p.classify("https://docs.qq.com/doc/DZW1Nb2x", &ctx);
        assert!(ids(&v).is_empty(), "{v}");
        let v = p.classify("https://docs.qq.com/form%2FDZW1Nb2x", &ctx);
        assert!(ids(&v).is_empty(), "{v}");
        assert_eq!(v.url(), Some("https://docs.qq.com/form%2FDZW1Nb2x"));
    }

    /// The sample's share-to-unlock regex sees `?%73hare_unlock=1`: a query key
    /// is decoded by every server (`$_GET`, `URLSearchParams`).
    #[test]
    fn regex_rule_sees_escaped_query_keys() {
        let p = sample();
        let ctx = Context::group(250);
        for link in [
            "https://activity.example/?share_unlock=1",
            "https://activity.example/?%73hare_unlock=1",
            "https://activity.example/?a=1&share%5Funlock=1",
            "https://activity.example/?%53HARE_UNLOCK=1",
        ] {
            let v = p.classify(link, &ctx);
            assert!(ids(&v).contains(&"inducement-0001"), "{link}: {v}");
        }
        // Control: a reserved character escaped in the key is another key.
        let v = p.classify("https://activity.example/?share_unlock%3D=1", &ctx);
        assert!(!ids(&v).contains(&"inducement-0001"), "{v}");
    }

    /// The sample's APK rule (a shadow rule) sees `.ap%6B`.
    #[test]
    fn malware_rule_sees_escaped_extension() {
        let p = sample();
        let ctx = Context::one_to_one();
        for link in [
            "https://dl.example/loan.apk",
            "https://dl.example/loan.ap%6B",
            "https://dl.example/loan%2Eapk",
            "https://dl.example/loan.%61%70%6b?x=1",
        ] {
            let v = p.classify(link, &ctx);
            assert!(
                v.shadow().any(|s| s.rule.as_str() == "malware-0001"),
                "{link}: {v:?}"
            );
        }
        let v = p.classify("https://dl.example/loan.apx", &ctx);
        assert_eq!(v.shadow().len(), 0, "{v:?}");
    }

    const METADATA: &str = r#"
version = 1
[defaults]
one_to_one = "allow"
ip_host = "warn"
[[rule]]
id = "metadata"
action = "block"
category = "other"
hard = true
host = "169.254.169.254"
[[rule]]
id = "metadata-path"
action = "block"
category = "other"
url_prefix = "http://169.254.169.254/latest/"
"#;

    /// IPv4-mapped and NAT64 forms of an IPv4 address meet its host rules
    /// (contract 4.7): Linux connects to `::ffff:a.b.c.d` as `a.b.c.d`, and a
    /// NAT64 gateway forwards `64:ff9b::a.b.c.d` to it.
    #[test]
    fn ipv6_forms_of_an_ipv4_host_rule() {
        let p = Policy::from_toml_str(METADATA).unwrap();
        let ctx = Context::one_to_one();
        for link in [
            "http://169.254.169.254/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[64:ff9b::169.254.169.254]/",
            "http://[64:FF9B:0:0:0:0:A9FE:A9FE]/",
        ] {
            let v = p.classify(link, &ctx);
            assert_eq!(
                (v.action(), v.is_hard()),
                (Action::Block, true),
                "{link}: {v}"
            );
            assert_eq!(ids(&v).first().copied(), Some("metadata"), "{link}: {v}");
            assert!(v.reasons().any(|r| *r == Reason::IpHost), "{link}: {v}");
        }
        // The url_prefix rule sees them too.
        let prefix_only = Policy::from_toml_str(
            "version = 1\n[defaults]\none_to_one = \"allow\"\n[[rule]]\nid = \"metadata-path\"\naction = \"block\"\nurl_prefix = \"http://169.254.169.254/latest/\"\n",
        )
        .unwrap();
        for link in [
            "http://[::ffff:a9fe:a9fe]/latest/meta-data",
            "http://[64:ff9b::a9fe:a9fe]/latest/",
            "https://[::ffff:169.254.169.254]/latest/",
        ] {
            let v = prefix_only.classify(link, &ctx);
            assert_eq!(ids(&v), ["metadata-path"], "{link}: {v}");
        }
        // Controls: a plain IPv6 host, another mapped address, and the
        // IPv4-compatible and SIIT forms, which no socket reads as IPv4.
        for link in [
            "http://[2001:db8::a9fe:a9fe]/",
            "http://[::1]/",
            "http://[::ffff:a9fe:a9ff]/",
            "http://[64:ff9b:1::a9fe:a9fe]/",
        ] {
            let v = p.classify(link, &ctx);
            assert_eq!(
                (v.action(), v.is_hard()),
                (Action::Warn, false),
                "{link}: {v}"
            );
            assert_eq!(v.reason(), Some(&Reason::IpHost), "{link}: {v}");
        }
    }

    /// A dotted name followed by `://` is a scheme (contract 4.2): an app link,
    /// which a `scheme` rule can name.
    #[test]
    fn dotted_scheme_is_an_app_link() {
        let p = sample();
        let ctx = Context::group(40);
        let v = p.classify("com.taobao.taobao://item?id=1", &ctx);
        assert_eq!(v.reason().map(Reason::kind), Some("app_link"), "{v}");
        assert_eq!(v.host(), None);
        assert_eq!(v.url(), Some("com.taobao.taobao://item?id=1"));
        let rule = Policy::from_toml_str(
            "version = 1\n[[rule]]\nid = \"tb\"\naction = \"block\"\nscheme = \"com.taobao.taobao\"\n",
        )
        .unwrap();
        let v = rule.classify("com.taobao.taobao://item?id=1", &ctx);
        assert_eq!(ids(&v), ["tb"], "{v}");
        // Controls: a dotted name with a port is a host, as before.
        let v = p.classify("jd.com:8080/x", &ctx);
        assert_eq!(v.host(), Some("jd.com"));
        let v = p.classify("item.jd.com/1.html", &Context::one_to_one());
        assert_eq!(v.host(), Some("item.jd.com"));
        assert_eq!(ctx.chat(), ChatKind::Group);
    }

    /// Normalizing twice gives the same URL, with escapes decoded or kept.
    #[test]
    fn decoding_is_idempotent() {
        let p = sample();
        let ctx = Context::one_to_one();
        for link in [
            "https://a.example/%7Euser/%41%2f%42?%61=%62%26c#%66%23",
            "https://a.example/%2e%2E/x%2e/%2Fy",
            "weixin://dl/%62usiness/?t=%61",
            "intent://x#Intent;S.browser%5Ffallback%5Furl=x;end",
            "https://a.example/%E4%BA%AC%25%zz%",
        ] {
            let once = p.classify(link, &ctx);
            let url = once.url().unwrap().to_owned();
            let twice = p.classify(&url, &ctx);
            assert_eq!(twice.url(), Some(url.as_str()), "{link}");
        }
        let v = p.classify(
            "https://a.example/%7Euser/%41%2f%42?%61=%62%26c#%66%23",
            &ctx,
        );
        assert_eq!(v.url(), Some("https://a.example/~user/A%2fB?a=b%26c#f%23"));
    }
}
