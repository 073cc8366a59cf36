//! Where the link really goes: wrappers, tracking parameters and lookalike
//! domains (contract sections 3, 5 and 7; issue #4).

use linkpolicy::{Action, Context, Policy, Reason, Verdict};

fn policy(toml: &str) -> Policy {
    Policy::from_toml_str(toml).unwrap_or_else(|e| panic!("policy does not load: {e}"))
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
