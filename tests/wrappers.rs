//! Where the link really goes: wrappers, tracking parameters and lookalike
//! domains (contract sections 3, 5 and 7; issue #4).

use linkpolicy::{Action, Context, Policy, Reason, Verdict};

/// The policy of `toml`, loaded from its snapshot (issue #18).
fn policy(toml: &str) -> Policy {
    let p = Policy::from_toml_str(toml).unwrap_or_else(|e| panic!("policy does not load: {e}"));
    crate::snapshot::reloaded(&p)
}

fn one(p: &Policy, link: &str) -> Verdict {
    p.classify(link, &Context::one_to_one())
}

fn kinds(v: &Verdict) -> Vec<&'static str> {
    v.reasons().map(Reason::kind).collect()
}

fn redirects(v: &Verdict) -> Vec<&str> {
    v.reasons()
        .filter_map(|r| match r {
            Reason::Redirect { to } => Some(to.as_str()),
            _ => None,
        })
        .collect()
}

const WRAP: &str = r#"
version = 1
[defaults]
one_to_one = "allow"
group = "warn"
[[redirector]]
domain = "c.duomai.com"
params = ["t"]
[[redirector]]
domain = "link.zhihu.com"
params = ["target"]
[[redirector]]
domain = "go.example"
params = ["u"]
path = "/out"
[[rule]]
id = "fraud-0002"
action = "block"
category = "fraud"
hard = true
domain = "wx-redpacket.example"
[[rule]]
id = "warn-dest"
action = "warn"
domain = "meh.example"
"#;

#[test]
fn every_hop_is_decided_and_named() {
    let p = policy(WRAP);
    let v = one(
        &p,
        "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/",
    );
    assert_eq!(v.destination(), Some("https://shouji.jd.com/"));
    assert_eq!(redirects(&v), ["https://shouji.jd.com/"]);
    assert_eq!(
        v.url(),
        Some("https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/")
    );
}

#[test]
fn wrapper_whose_target_is_blocked() {
    let p = policy(WRAP);
    let v = one(
        &p,
        "https://c.duomai.com/track.php?t=https%3A%2F%2Fwx-redpacket.example%2Fopen",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("fraud-0002"));
    assert_eq!(v.destination(), Some("https://wx-redpacket.example/open"));
}

#[test]
fn strictest_hop_wins_even_when_the_wrapper_is_stricter() {
    let p = policy(&format!(
        "{WRAP}\n[[rule]]\nid = \"w\"\naction = \"warn\"\ndomain = \"duomai.com\""
    ));
    let v = one(
        &p,
        "https://c.duomai.com/track.php?t=https://shouji.jd.com/",
    );
    assert_eq!(v.action(), Action::Warn);
    assert_eq!(v.rule_ids().next().map(|r| r.as_str()), Some("w"));
}

#[test]
fn nested_percent_encoded_wrappers() {
    let p = policy(WRAP);
    // zhihu -> duomai -> the blocked destination, each level encoded once more.
    let inner = "https%253A%252F%252Fwx-redpacket.example%252F";
    let link = format!(
        "https://link.zhihu.com/?target=https%3A%2F%2Fc.duomai.com%2Ftrack.php%3Ft%3D{inner}"
    );
    let v = one(&p, &link);
    assert_eq!(v.action(), Action::Block);
    assert_eq!(v.destination(), Some("https://wx-redpacket.example/"));
    assert_eq!(redirects(&v).len(), 2);
}

#[test]
fn a_loop_of_wrappers_is_cut_by_depth() {
    let p = policy(&format!("{WRAP}\n[limits]\nmax_redirect_depth = 3"));
    // Each hop points at a wrapper that points back: build 5 levels.
    let mut link = "https://shouji.jd.com/".to_owned();
    for i in 0..5 {
        let enc: String = url::form_urlencoded::byte_serialize(link.as_bytes()).collect();
        link = if i % 2 == 0 {
            format!("https://c.duomai.com/t?t={enc}")
        } else {
            format!("https://link.zhihu.com/?target={enc}")
        };
    }
    let v = one(&p, &link);
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(v.reason().map(Reason::kind), Some("redirect_depth"));
    assert_eq!(redirects(&v).len(), 3);
    // Exactly at the limit is fine.
    let mut ok = "https://shouji.jd.com/".to_owned();
    for _ in 0..3 {
        let enc: String = url::form_urlencoded::byte_serialize(ok.as_bytes()).collect();
        ok = format!("https://c.duomai.com/t?t={enc}");
    }
    assert_eq!(one(&p, &ok).action(), Action::Allow);
}

#[test]
fn target_that_is_not_absolute_http_ends_the_chain() {
    let p = policy(WRAP);
    for t in [
        "shouji.jd.com",
        "/relative",
        "javascript:alert(1)",
        "ftp://x.example/",
        "weixin://dl",
    ] {
        let link = format!("https://c.duomai.com/t?t={t}");
        let v = one(&p, &link);
        assert_eq!(redirects(&v), Vec::<&str>::new(), "{t}");
        assert_eq!(v.destination(), v.url(), "{t}");
    }
}

#[test]
fn redirector_path_prefix() {
    let p = policy(WRAP);
    let v = one(&p, "https://go.example/out?u=https://meh.example/");
    assert_eq!(v.destination(), Some("https://meh.example/"));
    let v = one(&p, "https://go.example/search?u=https://meh.example/");
    assert_eq!(
        v.destination(),
        Some("https://go.example/search?u=https://meh.example/")
    );
}

#[test]
fn intent_with_fallback_is_a_hop_and_the_intent_an_app_link() {
    let p = policy(WRAP);
    let v = one(
        &p,
        "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;S.browser_fallback_url=https%3A%2F%2Fwx-redpacket.example%2Fopen;end",
    );
    assert_eq!(v.action(), Action::Block);
    assert_eq!(v.destination(), Some("https://wx-redpacket.example/open"));
    assert!(kinds(&v).contains(&"app_link"), "{:?}", kinds(&v));
}

#[test]
fn intent_without_fallback_is_an_app_link() {
    let p = policy(WRAP);
    let v = one(
        &p,
        "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end",
    );
    assert_eq!((v.action(), kinds(&v)), (Action::Warn, vec!["app_link"]));
    assert_eq!(v.destination(), v.url());
}

#[test]
fn builtin_wrappers_are_opt_in() {
    let link = "https://www.google.com/url?q=https://wx-redpacket.example/&sa=D";
    let off = policy(WRAP);
    assert_eq!(one(&off, link).destination(), Some(link));
    let on = policy(&format!("{WRAP}\n[wrappers]\nbuiltin = true"));
    let v = one(&on, link);
    assert_eq!(v.destination(), Some("https://wx-redpacket.example/"));
    assert_eq!(v.action(), Action::Block);
    // A search for a URL is not a redirect.
    let search = "https://www.google.com/search?q=https://wx-redpacket.example/";
    assert_eq!(one(&on, search).destination(), Some(search));
    // Path-based embeddings: an AMP cache page carries another site's page.
    let v = one(
        &on,
        "https://cdn.ampproject.org/c/s/wx-redpacket.example/a.html",
    );
    assert_eq!(v.destination(), Some("https://wx-redpacket.example/a.html"));
    assert_eq!(v.action(), Action::Block);
}

#[test]
fn tracking_clean_url_keeps_others_in_order() {
    let p = policy(&format!(
        "{WRAP}\n[tracking]\nparams = [\"utm_*\", \"spm\", \"scm\"]"
    ));
    let v = one(
        &p,
        "https://c.duomai.com/t?t=https%3A%2F%2Fitem.jd.com%2F1.html%3Fb%3D2%26spm%3Dx%26a%3D1%26utm_medium%3Dy",
    );
    assert_eq!(
        v.destination(),
        Some("https://item.jd.com/1.html?b=2&spm=x&a=1&utm_medium=y")
    );
    assert_eq!(v.clean_url(), Some("https://item.jd.com/1.html?b=2&a=1"));
    let v = one(&p, "https://item.jd.com/1.html?spm=x&scm=y");
    assert_eq!(v.clean_url(), Some("https://item.jd.com/1.html"));
}

#[test]
fn builtin_tracking_is_opt_in() {
    let link = "https://item.jd.com/1.html?fbclid=abc&id=1";
    assert_eq!(one(&policy(WRAP), link).clean_url(), Some(link));
    let on = policy(&format!("{WRAP}\n[tracking]\nbuiltin = true"));
    assert_eq!(
        one(&on, link).clean_url(),
        Some("https://item.jd.com/1.html?id=1")
    );
}

const LOOK: &str = r#"
version = 1
[defaults]
one_to_one = "allow"
[tiers.A]
one_to_one = "allow"
[[platform]]
id = "jd"
domains = ["jd.com"]
tier = "A"
[[platform]]
id = "alibaba"
domains = ["taobao.com"]
tier = "A"
[[platform]]
id = "netease"
domains = ["163.com"]
tier = "A"
[lookalike]
action = "block"
protect = ["google.com"]
"#;

fn lookalike_of(v: &Verdict) -> Option<&str> {
    v.reasons().find_map(|r| match r {
        Reason::Lookalike { of } => Some(of.as_str()),
        _ => None,
    })
}

#[test]
fn ascii_lookalike_jd_corn() {
    let p = policy(LOOK);
    let v = one(&p, "https://jd.corn/");
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(lookalike_of(&v), Some("jd.com"));
    assert_eq!(
        lookalike_of(&one(&p, "https://www.l63.com/")),
        Some("163.com")
    );
}

#[test]
fn cyrillic_and_greek_homoglyphs() {
    let p = policy(LOOK);
    let v = one(&p, "https://t\u{0430}obao.com/"); // Cyrillic а
    assert_eq!(v.host(), Some("xn--tobao-4ve.com"));
    assert_eq!(v.action(), Action::Block);
    assert_eq!(lookalike_of(&v), Some("taobao.com"));
    assert!(kinds(&v).contains(&"mixed_script"));
    let v = one(&p, "https://g\u{03bf}ogle.com/"); // Greek ο
    assert_eq!(lookalike_of(&v), Some("google.com"));
}

#[test]
fn protected_domains_and_ordinary_idn_are_not_flagged() {
    let p = policy(LOOK);
    for link in [
        "https://jd.com/",
        "https://item.jd.com/",
        "https://京东.com/",
        "https://中文.com/",
        "https://example.com/",
        "https://日本語のテスト.jp/",
    ] {
        let v = one(&p, link);
        assert_eq!(v.action(), Action::Allow, "{link}: {v}");
        assert!(!v.is_hard(), "{link}");
    }
}

#[test]
fn lookalike_default_floor_is_warn() {
    let p = policy(
        "version = 1\n[defaults]\none_to_one = \"allow\"\n[[platform]]\nid = \"jd\"\ndomains = [\"jd.com\"]",
    );
    let v = one(&p, "https://jd.corn/");
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, true));
    assert_eq!(v.reason().map(Reason::kind), Some("lookalike"));
}

#[test]
fn mixed_script_label_is_a_hard_warn() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"");
    let v = one(&p, "https://p\u{0430}ypal-login.example/"); // Latin + Cyrillic in one label
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, true));
    assert_eq!(kinds(&v), ["mixed_script", "default"]);
}

#[test]
fn lookalike_behind_a_wrapper() {
    let p = policy(&format!(
        "{LOOK}\n[[redirector]]\ndomain = \"c.duomai.com\"\nparams = [\"t\"]"
    ));
    let v = one(&p, "https://c.duomai.com/t?t=https://jd.corn/");
    assert_eq!(v.action(), Action::Block);
    assert_eq!(lookalike_of(&v), Some("jd.com"));
}

// ---------------------------------------------------------------------------
// Issue #13: no way around a rule through a wrapper. Each example of the issue
// with a control that must stay as it is.

/// The sample policy with a hard block on `evil.example`, as the issue tried it.
fn sample_with_evil() -> Policy {
    policy(&format!(
        "{}\n[[rule]]\nid = \"evil\"\naction = \"block\"\ncategory = \"phishing\"\nhard = true\ndomain = \"evil.example\"\n",
        linkpolicy::SAMPLE_POLICY
    ))
}

fn rule_ids(v: &Verdict) -> Vec<&str> {
    v.rule_ids().map(|id| id.as_str()).collect()
}

/// PHP (which serves `track.php`) reads the last of repeated parameters
/// (`$_GET` keeps the last value of a key); every value is a hop.
#[test]
fn issue13_repeated_param_last_value_is_followed() {
    let p = sample_with_evil();
    let v = one(
        &p,
        "https://c.duomai.com/track.php?t=https://jd.com/&t=https://evil.example/",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert!(rule_ids(&v).contains(&"evil"), "{v}");
    assert_eq!(
        redirects(&v),
        ["https://jd.com/", "https://evil.example/"],
        "{v}"
    );
    // `destination` is the one the first value leads to.
    assert_eq!(v.destination(), Some("https://jd.com/"));
    // Control: one value, the wrapper to jd.com stays as it was.
    let v = one(&p, "https://c.duomai.com/track.php?t=https://jd.com/");
    assert_ne!(v.action(), Action::Block, "{v}");
    assert_eq!(redirects(&v), ["https://jd.com/"]);
    // The other order: the first value is the evil one.
    let v = one(
        &p,
        "https://c.duomai.com/track.php?t=https://evil.example/&t=https://jd.com/",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert_eq!(v.destination(), Some("https://evil.example/"));
}

#[test]
fn issue13_repeated_param_on_zhihu_and_builtin_wrappers() {
    let p = sample_with_evil();
    let v = one(
        &p,
        "https://link.zhihu.com/?target=https%3A//www.zhihu.com/&target=https%3A//evil.example/",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    let v = one(
        &p,
        "https://link.zhihu.com/?target=https%3A//www.zhihu.com/",
    );
    assert_ne!(v.action(), Action::Block, "{v}");
    // The built-in wrappers read every value too: Google's `/url` with two `q`s
    // and its `url` parameter, each a hop.
    let b = policy(
        r#"
version = 1
[defaults]
one_to_one = "allow"
[wrappers]
builtin = true
[[rule]]
id = "evil"
action = "block"
hard = true
domain = "evil.example"
"#,
    );
    for link in [
        "https://www.google.com/url?q=https://jd.com/&q=https://evil.example/",
        "https://www.google.com/url?q=https://jd.com/&url=https://evil.example/",
        "https://www.google.com/url?url=https://evil.example/&q=https://jd.com/",
    ] {
        let v = one(&b, link);
        assert_eq!(
            (v.action(), v.is_hard()),
            (Action::Block, true),
            "{link}: {v}"
        );
    }
    let v = one(&b, "https://www.google.com/url?q=https://jd.com/");
    assert_eq!(v.action(), Action::Allow, "{v}");
}

/// A parameter written with escapes in its name (`%74`, `t`) is the parameter:
/// servers decode names before they look them up.
#[test]
fn issue13_escaped_param_names_are_found() {
    let p = sample_with_evil();
    for link in [
        "https://c.duomai.com/track.php?%74=https://evil.example/",
        "https://c.duomai.com/track.php?t=https://jd.com/&%74=https%3A%2F%2Fevil.example%2F",
    ] {
        let v = one(&p, link);
        assert_eq!(
            (v.action(), v.is_hard()),
            (Action::Block, true),
            "{link}: {v}"
        );
    }
}

/// A tree of hops: each value of a wrapper leads on, each branch is decided;
/// `destination` follows the first value at each level.
#[test]
fn issue13_tree_of_hops() {
    let p = sample_with_evil();
    let v = one(
        &p,
        "https://c.duomai.com/t?t=https%3A%2F%2Flink.zhihu.com%2F%3Ftarget%3Dhttps%253A%2F%2Fjd.com%2F%26target%3Dhttps%253A%2F%2Fevil.example%2F&t=https://www.zhihu.com/",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert_eq!(v.destination(), Some("https://jd.com/"), "{v}");
    assert_eq!(redirects(&v).len(), 4, "{v}");
}

/// The total number of hops is bounded (32, the link included): past it the
/// link is blocked, hard, with `redirect_hops`.
#[test]
fn issue13_total_hops_are_bounded() {
    let p = policy(WRAP);
    let values = |n: usize| {
        (0..n)
            .map(|i| format!("t=https://a{i}.example/"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let v = one(&p, &format!("https://c.duomai.com/t?{}", values(31)));
    assert!(!kinds(&v).contains(&"redirect_hops"), "{v}");
    assert_eq!(v.action(), Action::Allow, "{v}");
    assert_eq!(redirects(&v).len(), 31);
    let v = one(&p, &format!("https://c.duomai.com/t?{}", values(32)));
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert_eq!(v.reason().map(Reason::kind), Some("redirect_hops"), "{v}");
    assert!(v.to_json().contains(r#"{"kind":"redirect_hops"}"#));
}

/// The verdict stays small: each `redirect.to` is at most 1,024 bytes (then
/// `…`), while `destination` is whole.
#[test]
fn issue13_redirect_to_is_bounded() {
    let p = policy(&format!(
        "{WRAP}\n[limits]\nmax_link_len = 65536\nmax_redirect_depth = 20\n"
    ));
    let mut link = format!("https://a.example/{}", "x".repeat(7000));
    for _ in 0..20 {
        link = format!(
            "https://c.duomai.com/t?t={}",
            link.replace('%', "%25").replace('&', "%26")
        );
    }
    let v = one(&p, &link);
    assert!(!kinds(&v).contains(&"redirect_depth"), "{:?}", kinds(&v));
    let tos = redirects(&v);
    assert_eq!(tos.len(), 20);
    assert!(
        tos.iter().all(|t| t.len() <= 1024 + '…'.len_utf8()),
        "{tos:?}"
    );
    assert!(tos.iter().any(|t| t.ends_with('…')));
    assert!(v.destination().is_some_and(|d| d.len() > 7000));
    // The link, the destination, the clean URL and 20 bounded `to`s: every
    // hop's whole URL (20 times 7 KB) would be far more.
    let json = v.to_json();
    assert!(
        json.len() < 3 * link.len() + 20 * 1100,
        "{} bytes, link {}",
        json.len(),
        link.len()
    );
}

/// The cost per link does not grow with a redirector's parameters: the query
/// is read once per redirector, and 100,000 parameters cost as much as one.
#[test]
fn issue13_many_params_one_pass() {
    let params: Vec<String> = (0..100_000).map(|i| format!("\"p{i}\"")).collect();
    let p = policy(&format!(
        "version = 1\n[defaults]\none_to_one = \"allow\"\n[[rule]]\nid = \"evil\"\naction = \"block\"\nhard = true\ndomain = \"evil.example\"\n[[redirector]]\ndomain = \"r.example\"\nparams = [{}]\n",
        params.join(",")
    ));
    let query: Vec<String> = (0..700).map(|i| format!("q{i}=x")).collect();
    let link = format!(
        "https://r.example/?{}&p99999=https://evil.example/",
        query.join("&")
    );
    let start = std::time::Instant::now();
    for _ in 0..20 {
        let v = one(&p, &link);
        assert_eq!(v.action(), Action::Block, "{v}");
    }
    // Not a timing assertion of the machine's speed: reading the query once per
    // parameter (the old way) took seconds per link; this is a generous bound.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

// Android `intent:` links, read as `Intent.parseUri` reads them.

#[test]
fn issue13_intent_fallback_key_percent_decoded() {
    let p = sample_with_evil();
    let v = one(
        &p,
        "intent://x#Intent;scheme=https;S.browser%5Ffallback%5Furl=https%3A%2F%2Fevil.example%2F;end",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert!(rule_ids(&v).contains(&"evil"), "{v}");
    // Control: an intent to an app without a fallback stays a soft app link.
    let v = one(
        &p,
        "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, false), "{v}");
    assert_eq!(v.reason().map(Reason::kind), Some("app_link"));
}

#[test]
fn issue13_intent_ends_at_piece_starting_with_end() {
    let p = sample_with_evil();
    let v = one(
        &p,
        "intent://x#Intent;scheme=zxing;S.browser_fallback_url=https%3A%2F%2Fevil.example%2F;endx",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    // Control: what follows the `endx` piece is not read, as Android does not.
    let v = one(
        &p,
        "intent://x#Intent;scheme=zxing;endx;S.browser_fallback_url=https%3A%2F%2Fevil.example%2F;end",
    );
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, false), "{v}");
}

#[test]
fn issue13_intent_web_data_is_a_hop() {
    let p = sample_with_evil();
    let v = one(&p, "intent://evil.example/#Intent;scheme=https;end");
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{v}");
    assert_eq!(v.destination(), Some("https://evil.example/"));
    assert_eq!(redirects(&v), ["https://evil.example/"]);
    // The intent itself is decided as an app link.
    assert!(kinds(&v).contains(&"app_link"), "{v}");
    // Control: an intent to an app's own scheme has no web hop.
    let v = one(&p, "intent://evil.example/#Intent;scheme=zxing;end");
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, false), "{v}");
    // An http intent to jd.com leads there, and is decided there too.
    let v = one(
        &p,
        "intent://item.jd.com/1.html#Intent;scheme=http;package=com.jingdong.app.mall;end",
    );
    assert_eq!(v.destination(), Some("http://item.jd.com/1.html"));
}

/// A `mailto:` link is judged by the domains it writes to (issue #16): host,
/// domain and list rules and the user's blocked domains reach them, while the
/// link stays an app link, its own destination, with no `redirect` reason.
#[test]
fn mailto_domains_are_judged() {
    let p = policy(
        r#"
version = 1
[defaults]
one_to_one = "allow"
app_link = "warn"
[[rule]]
id = "evil"
action = "block"
hard = true
domain = "evil.example"
"#,
    );
    for link in [
        "mailto:kefu@evil.example",
        "mailto:kefu@EVIL.example?subject=hi",
        "mailto:a@jd.com,b@mail.evil.example",
        "mailto:kefu%40jd.com@evil.example",
        "mailto:kefu@evil%2Eexample",
        "mailto:kefu@evil.example.",
        "mailto:kefu@evil.example%2Fx",
        "mailto:%20kefu@evil.example%20",
        // Recipients in header fields (RFC 6068 section 2).
        "mailto:kefu@jd.com?cc=x@evil.example",
        "mailto:kefu@jd.com?subject=hi&BCC=x@evil.example",
        "mailto:?to=x%40evil.example",
        "mailto:kefu@jd.com?to=a@jd.com,b@evil.example",
    ] {
        let v = one(&p, link);
        assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{link}");
        assert!(
            matches!(v.reason(), Some(Reason::Rule { rule, .. }) if rule.as_str() == "evil"),
            "{link}: {:?}",
            kinds(&v)
        );
        assert!(redirects(&v).is_empty(), "{link}: {:?}", kinds(&v));
        assert_eq!(v.destination(), v.url(), "{link}");
    }
    // Other domains: the app link's own action.
    for link in [
        "mailto:kefu@jd.com",
        "mailto:nobody",
        "mailto:x@",
        // Not a recipient: the subject and body name no one to write to.
        "mailto:kefu@jd.com?subject=x@evil.example&body=y@evil.example",
    ] {
        let v = one(&p, link);
        assert_eq!(v.action(), Action::Warn, "{link}");
        assert_eq!(v.reason(), Some(&Reason::AppLink), "{link}");
        assert_eq!(v.destination(), v.url(), "{link}");
    }
    // The user's blocked domains reach the address too.
    let ctx = Context::one_to_one().with_prefs(
        linkpolicy::Prefs::from_lists(linkpolicy::Mode::Default, [""; 0], ["jd.com"]).unwrap(),
    );
    assert_eq!(
        p.classify("mailto:kefu@jd.com", &ctx).action(),
        Action::Block
    );
}
