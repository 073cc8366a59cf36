//! Masked links (contract sections 5 and 7; issue #8): the text a link is shown
//! with names another site.

use linkpolicy::{Action, Context, Policy, Reason, Verdict};

fn policy() -> Policy {
    Policy::from_toml_str(
        r#"
version = 1
[defaults]
one_to_one = "allow"
[[redirector]]
domain = "c.duomai.com"
params = ["t"]
"#,
    )
    .map(|p| crate::snapshot::reloaded(&p))
    .unwrap()
}

fn shown(text: &str, link: &str) -> Verdict {
    policy().classify(link, &Context::one_to_one().with_display_text(text))
}

fn masked(v: &Verdict) -> Option<&str> {
    v.reasons().find_map(|r| match r {
        Reason::MaskedLink { shown } => Some(shown.as_str()),
        _ => None,
    })
}

macro_rules! mask {
    ($name:ident, $text:expr, $link:expr, $shown:expr) => {
        #[test]
        fn $name() {
            let v = shown($text, $link);
            assert_eq!(masked(&v), Some($shown), "{v}");
            assert!(v.action() >= Action::Warn && v.is_hard(), "{v}");
        }
    };
}

macro_rules! no_mask {
    ($name:ident, $text:expr, $link:expr) => {
        #[test]
        fn $name() {
            let v = shown($text, $link);
            assert_eq!(masked(&v), None, "{v}");
            assert_eq!(v.action(), Action::Allow, "{v}");
        }
    };
}

mask!(
    url_naming_another_site,
    "https://www.jd.com/",
    "https://jd-refund.example/",
    "jd.com"
);
mask!(
    bare_domain_naming_another_site,
    "jd.com",
    "https://jd-refund.example/",
    "jd.com"
);
mask!(
    www_domain,
    "www.taobao.com",
    "https://evil.example/",
    "taobao.com"
);
mask!(
    idn_display,
    "京东.com",
    "https://evil.example/",
    "xn--xhq9m.com"
);
mask!(
    fullwidth_dot_display,
    "jd。com",
    "https://evil.example/",
    "jd.com"
);
mask!(
    subdomain_of_other_site,
    "https://item.jd.com/1.html",
    "https://item.jd.com.evil.example/1.html",
    "jd.com"
);
mask!(
    ip_display,
    "http://10.0.0.1/",
    "https://evil.example/",
    "10.0.0.1"
);
mask!(
    display_hides_wrapper_destination,
    "https://shouji.jd.com/",
    "https://c.duomai.com/t?t=https://evil.example/",
    "jd.com"
);
no_mask!(
    same_registrable_domain,
    "jd.com",
    "https://item.jd.com/100012043978.html"
);
no_mask!(
    same_site_other_subdomain,
    "https://www.jd.com/",
    "https://m.jd.com/x"
);
no_mask!(plain_words, "京东优惠券", "https://evil.example/");
no_mask!(english_words, "click here", "https://evil.example/");
no_mask!(
    file_name_is_not_a_domain,
    "report.pdf",
    "https://evil.example/"
);
no_mask!(version_number, "8.0.16", "https://evil.example/");
// Issue #13: the display text is read with the crate's message finder, so a
// domain among words or punctuation is named (a person reads `jd.com` in each).
mask!(
    words_around_a_domain,
    "see jd.com for details",
    "https://evil.example/",
    "jd.com"
);
mask!(
    parenthesized,
    "(paypal.com)",
    "https://evil.example/",
    "paypal.com"
);
mask!(exclamation, "jd.com!", "https://evil.example/", "jd.com");
mask!(
    corner_brackets,
    "「jd.com」",
    "https://evil.example/",
    "jd.com"
);
mask!(
    lenticular_brackets,
    "【jd.com】",
    "https://evil.example/",
    "jd.com"
);
mask!(
    angle_brackets,
    "<jd.com>",
    "https://evil.example/",
    "jd.com"
);
mask!(cjk_after, "jd.com官网", "https://evil.example/", "jd.com");
mask!(
    cjk_before_with_space,
    "访问 jd.com",
    "https://evil.example/",
    "jd.com"
);
mask!(
    cjk_around,
    "去jd.com看看",
    "https://evil.example/",
    "jd.com"
);
mask!(
    www_in_parentheses,
    "(www.jd.com)",
    "https://evil.example/",
    "jd.com"
);
mask!(
    second_domain_differs,
    "jd.com 或 taobao.com",
    "https://item.jd.com/1.html",
    "taobao.com"
);
// Controls: the same site in the display text, however it is wrapped, is no mask.
no_mask!(
    same_site_parenthesized,
    "(www.jd.com)",
    "https://item.jd.com/1.html"
);
no_mask!(same_site_corner, "「jd.com」", "https://jd.com/");
no_mask!(same_site_cjk_after, "jd.com官网", "https://www.jd.com/");
no_mask!(same_site_words, "访问 jd.com 看看", "https://m.jd.com/x");
no_mask!(chinese_sentence, "点击查看详情！", "https://evil.example/");
no_mask!(
    display_names_wrapper_destination,
    "https://shouji.jd.com/",
    "https://c.duomai.com/t?t=https://shouji.jd.com/"
);

#[test]
fn no_display_text_no_floor() {
    let v = policy().classify("https://evil.example/", &Context::one_to_one());
    assert_eq!((v.action(), masked(&v)), (Action::Allow, None));
}

#[test]
fn masked_link_reason_serializes_with_shown() {
    let v = shown("jd.com", "https://evil.example/");
    assert!(
        v.to_json()
            .contains(r#"{"kind":"masked_link","shown":"jd.com"}"#),
        "{}",
        v.to_json()
    );
    assert_eq!(v.reason().map(Reason::kind), Some("masked_link"));
}

#[test]
fn trust_cannot_lift_a_masked_link() {
    let prefs = linkpolicy::Prefs::from_lists(
        linkpolicy::Mode::Default,
        ["evil.example"],
        Vec::<String>::new(),
    )
    .unwrap();
    let ctx = Context::one_to_one()
        .with_display_text("jd.com")
        .with_prefs(prefs);
    assert_eq!(
        policy().classify("https://evil.example/", &ctx).action(),
        Action::Warn
    );
}
