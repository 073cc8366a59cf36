//! Contract tests: one test per rule of `POLICY.md`, sections 3, 4, 5 and 7
//! (loading errors are in `errors.rs`, the example program in `example.rs`).

use linkpolicy::{Action, Context, Policy, Reason, Verdict};

/// The policy of `toml`, written to a snapshot and loaded back: the contract
/// tests run against snapshot-loaded policies (issue #18); the reference and
/// property tests run against built ones, and `tests/snapshot.rs` shows both
/// give the same verdicts.
fn policy(toml: &str) -> Policy {
    match Policy::from_toml_str(toml) {
        Ok(p) => crate::snapshot::reloaded(&p),
        Err(e) => panic!("policy does not load: {e}"),
    }
}

fn kinds(v: &Verdict) -> Vec<&'static str> {
    v.reasons().map(Reason::kind).collect()
}

fn one(p: &Policy, link: &str) -> Verdict {
    p.classify(link, &Context::one_to_one())
}

fn rule_id(v: &Verdict) -> Option<&str> {
    v.rule_ids().next().map(|r| r.as_str())
}

const BASE: &str = r#"
version = 1
[defaults]
one_to_one = "warn"
group = "block"
app_link = "warn"
ip_host = "warn"
"#;

fn with_base(extra: &str) -> Policy {
    policy(&format!("{BASE}\n{extra}"))
}

// ---------------------------------------------------------------------------
// Section 2: the API.

#[test]
fn s2_contract_example_compiles_and_warns() {
    let p = policy(BASE);
    let v = p.classify("https://item.jd.com/1.html", &Context::one_to_one());
    assert_eq!(v.action(), Action::Warn);
}

#[test]
fn s2_classify_never_fails_invalid_is_blocked_hard() {
    let p = policy(BASE);
    let v = one(&p, "http://exa mple.com/");
    assert_eq!(v.action(), Action::Block);
    assert!(v.is_hard());
    assert_eq!(kinds(&v), ["invalid"]);
}

// ---------------------------------------------------------------------------
// Section 3: the policy file.

#[test]
fn s3_version_other_than_1_is_rejected() {
    let e = Policy::from_toml_str("version = 2").unwrap_err();
    assert_eq!(e.kind(), linkpolicy::ErrorKind::UnsupportedVersion);
    assert_eq!(e.field(), Some("version"));
}

#[test]
fn s3_defaults_per_chat_kind() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"\ngroup = \"warn\"");
    assert_eq!(one(&p, "https://a.example/").action(), Action::Allow);
    assert_eq!(
        p.classify("https://a.example/", &Context::group(3))
            .action(),
        Action::Warn
    );
    assert_eq!(kinds(&one(&p, "https://a.example/")), ["default"]);
}

#[test]
fn s3_missing_defaults_are_safe() {
    // Not written in the contract: a policy without [defaults] warns in one-to-one
    // chats and blocks in groups, like the contract's example.
    let p = policy("version = 1");
    assert_eq!(one(&p, "https://a.example/").action(), Action::Warn);
    assert_eq!(
        p.classify("https://a.example/", &Context::group(3))
            .action(),
        Action::Block
    );
    assert_eq!(one(&p, "weixin://dl/x").action(), Action::Warn);
}

#[test]
fn s3_app_link_default_applies_to_any_chat() {
    let p = policy("version = 1\n[defaults]\napp_link = \"block\"\ngroup = \"allow\"");
    for ctx in [Context::one_to_one(), Context::group(500)] {
        let v = p.classify("taobao://item.taobao.com/item.htm?id=1", &ctx);
        assert_eq!(v.action(), Action::Block);
        assert_eq!(kinds(&v), ["app_link"]);
    }
    assert_eq!(one(&p, "mailto:kefu@jd.com").action(), Action::Block);
}

#[test]
fn s3_ip_host_floor() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"\nip_host = \"block\"");
    let v = one(&p, "http://118.25.10.3/login");
    assert_eq!(v.action(), Action::Block);
    assert_eq!(kinds(&v), ["ip_host", "default"]);
    assert_eq!(one(&p, "http://[::1]/").action(), Action::Block);
}

#[test]
fn s3_limits_max_link_len() {
    let p = with_base("[limits]\nmax_link_len = 30");
    let long = format!("https://a.example/{}", "x".repeat(13)); // 31 bytes
    let v = one(&p, &long);
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(kinds(&v), ["too_long"]);
    assert_ne!(one(&p, &long[..30]).action(), Action::Block);
}

#[test]
fn s3_limits_default_max_link_len_is_8192() {
    let p = policy(BASE);
    let ok = format!("https://a.example/{}", "x".repeat(8192 - 18));
    assert_eq!(ok.len(), 8192);
    assert_eq!(kinds(&one(&p, &ok)), ["default"]);
    assert_eq!(kinds(&one(&p, &format!("{ok}x"))), ["too_long"]);
}

#[test]
fn s3_limits_max_redirect_depth() {
    let p = with_base(
        "[limits]\nmax_redirect_depth = 1\n[[redirector]]\ndomain = \"r.example\"\nparams = [\"u\"]",
    );
    let one_hop = "https://r.example/?u=https%3A%2F%2Fa.example%2F";
    assert_eq!(one(&p, one_hop).action(), Action::Warn);
    let two_hops =
        "https://r.example/?u=https%3A%2F%2Fr.example%2F%3Fu%3Dhttps%253A%252F%252Fa.example%252F";
    let v = one(&p, two_hops);
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(v.reason().map(Reason::kind), Some("redirect_depth"));
}

const TIERS: &str = r#"
[tiers.A]
one_to_one = "allow"
group = "warn"
[tiers.C]
one_to_one = "warn"

[[platform]]
id = "jd"
name = "JD.com"
domains = ["jd.com", "3.cn"]
tier = "A"

[[platform]]
id = "shop"
domains = ["shop.example"]
tier = "C"

[[platform]]
id = "untiered"
domains = ["plain.example"]
"#;

#[test]
fn s3_tier_action_per_chat_kind() {
    let p = with_base(TIERS);
    let v = one(&p, "https://item.jd.com/1.html");
    assert_eq!(v.action(), Action::Allow);
    assert_eq!(
        serde_json::to_value(v.reason().unwrap()).unwrap(),
        serde_json::json!({"kind": "platform", "platform": "jd", "tier": "A"})
    );
    assert_eq!(
        p.classify("https://item.jd.com/1.html", &Context::group(10))
            .action(),
        Action::Warn
    );
}

#[test]
fn s3_platform_domains_cover_subdomains_not_lookalike_suffixes() {
    let p = with_base(TIERS);
    assert_eq!(
        one(&p, "https://3.cn/x").platform().map(|i| i.as_str()),
        Some("jd")
    );
    assert_eq!(
        one(&p, "https://a.b.jd.com/")
            .platform()
            .map(|i| i.as_str()),
        Some("jd")
    );
    assert_eq!(one(&p, "https://notjd.com/").platform(), None);
    assert_eq!(one(&p, "https://jd.com.evil.example/").platform(), None);
}

#[test]
fn s3_tier_without_this_chat_kind_falls_to_default() {
    let p = with_base(TIERS);
    let v = p.classify("https://shop.example/", &Context::group(10));
    assert_eq!(v.action(), Action::Block);
    assert_eq!(kinds(&v), ["default"]);
    assert_eq!(v.platform().map(|i| i.as_str()), Some("shop"));
}

#[test]
fn s3_platform_without_tier_is_identified_only() {
    let p = with_base(TIERS);
    let v = one(&p, "https://plain.example/");
    assert_eq!(kinds(&v), ["default"]);
    assert_eq!(v.platform().map(|i| i.as_str()), Some("untiered"));
}

#[test]
fn s3_rule_domain_matches_host_and_subdomains() {
    let p = with_base("[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"evil.example\"");
    for link in ["https://evil.example/", "https://a.b.evil.example/x"] {
        assert_eq!(rule_id(&one(&p, link)), Some("r"), "{link}");
    }
    for link in ["https://notevil.example/", "https://evil.example.com/"] {
        assert_eq!(rule_id(&one(&p, link)), None, "{link}");
    }
}

#[test]
fn s3_rule_single_label_domain_matches_tld() {
    let p = with_base("[[rule]]\nid = \"top\"\naction = \"block\"\ndomain = \"top\"");
    assert_eq!(rule_id(&one(&p, "https://win-prize.top/")), Some("top"));
    assert_eq!(rule_id(&one(&p, "https://a.b.top/")), Some("top"));
    assert_eq!(rule_id(&one(&p, "https://top.example/")), None);
}

#[test]
fn s3_rule_host_matches_that_host_only() {
    let p = with_base("[[rule]]\nid = \"h\"\naction = \"block\"\nhost = \"a.evil.example\"");
    assert_eq!(rule_id(&one(&p, "https://a.evil.example/")), Some("h"));
    assert_eq!(rule_id(&one(&p, "https://b.a.evil.example/")), None);
    assert_eq!(rule_id(&one(&p, "https://evil.example/")), None);
}

#[test]
fn s3_rule_host_may_be_an_ip_address() {
    let p = with_base("[[rule]]\nid = \"ip\"\naction = \"block\"\nhost = \"127.0.0.1\"");
    assert_eq!(rule_id(&one(&p, "http://0x7f.1/")), Some("ip"));
    assert_eq!(rule_id(&one(&p, "http://2130706433/")), Some("ip"));
}

#[test]
fn s3_rule_url_prefix_on_normalized_url() {
    let p = with_base(
        "[[rule]]\nid = \"p\"\naction = \"block\"\nurl_prefix = \"https://example.com/path/\"",
    );
    assert_eq!(rule_id(&one(&p, "https://example.com/path/x")), Some("p"));
    assert_eq!(rule_id(&one(&p, "HTTPS://EXAMPLE.com./path/x")), Some("p"));
    assert_eq!(rule_id(&one(&p, "https://example.com/other")), None);
    // Contract 4.7 (issue #13): an https prefix matches the http form too.
    assert_eq!(rule_id(&one(&p, "http://example.com/path/x")), Some("p"));
    assert_eq!(rule_id(&one(&p, "ws://example.com/path/x")), None);
}

#[test]
fn s3_rule_url_prefix_without_path_cannot_overmatch_hosts() {
    // The prefix is normalized like a link: `https://example.com` becomes
    // `https://example.com/`, so it cannot match `https://example.com.evil.example/`.
    let p =
        with_base("[[rule]]\nid = \"p\"\naction = \"allow\"\nurl_prefix = \"https://example.com\"");
    assert_eq!(rule_id(&one(&p, "https://example.com/a")), Some("p"));
    assert_eq!(rule_id(&one(&p, "https://example.com.evil.example/")), None);
}

#[test]
fn s3_rule_regex_on_normalized_url() {
    let p =
        with_base("[[rule]]\nid = \"zip\"\naction = \"warn\"\nregex = '^https?://[^/]+\\.zip/'");
    assert_eq!(rule_id(&one(&p, "https://report.zip/")), Some("zip"));
    // The regex sees the normalized URL: lowercase host, no trailing dot.
    assert_eq!(rule_id(&one(&p, "HTTPS://Report.ZIP./")), Some("zip"));
    assert_eq!(rule_id(&one(&p, "https://report.zip.example/")), None);
}

#[test]
fn s3_rule_scheme() {
    let p = with_base("[[rule]]\nid = \"s\"\naction = \"block\"\nscheme = \"taobao\"");
    assert_eq!(
        rule_id(&one(&p, "taobao://item.taobao.com/item.htm?id=1")),
        Some("s")
    );
    assert_eq!(rule_id(&one(&p, "TAOBAO://x")), Some("s"));
    assert_eq!(rule_id(&one(&p, "weixin://x")), None);
}

#[test]
fn s3_rule_category_is_reported() {
    let p = with_base(
        "[[rule]]\nid = \"f\"\naction = \"block\"\ncategory = \"fraud\"\ndomain = \"evil.example\"",
    );
    assert_eq!(
        one(&p, "https://evil.example/")
            .reason()
            .map(|r| serde_json::to_value(r).unwrap()),
        Some(serde_json::json!({"kind": "rule", "rule": "f", "category": "fraud"}))
    );
}

#[test]
fn s3_rule_chats_limits_the_chat_kind() {
    let p = with_base(
        "[[rule]]\nid = \"g\"\naction = \"allow\"\nchats = [\"group\"]\ndomain = \"a.example\"",
    );
    assert_eq!(
        rule_id(&p.classify("https://a.example/", &Context::group(5))),
        Some("g")
    );
    assert_eq!(rule_id(&one(&p, "https://a.example/")), None);
}

#[test]
fn s3_rule_min_members() {
    let p = with_base(
        "[[rule]]\nid = \"big\"\naction = \"block\"\nmin_members = 100\ndomain = \"a.example\"",
    );
    assert_eq!(
        rule_id(&p.classify("https://a.example/", &Context::group(100))),
        Some("big")
    );
    assert_eq!(
        rule_id(&p.classify("https://a.example/", &Context::group(99))),
        None
    );
    // One-to-one chats are not groups of any size.
    assert_eq!(rule_id(&one(&p, "https://a.example/")), None);
}

#[test]
fn s3_domains_in_file_are_normalized() {
    let p = with_base(
        r#"
[[rule]]
id = "unicode"
action = "block"
domain = "京东.com"
[[rule]]
id = "upper-dot"
action = "block"
domain = "EVIL.Example."
[[rule]]
id = "puny"
action = "block"
domain = "XN--FIQ228C.com"
"#,
    );
    assert_eq!(rule_id(&one(&p, "https://xn--xhq9m.com/")), Some("unicode"));
    assert_eq!(rule_id(&one(&p, "https://京东.com/")), Some("unicode"));
    assert_eq!(
        rule_id(&one(&p, "https://evil.example/")),
        Some("upper-dot")
    );
    assert_eq!(rule_id(&one(&p, "https://中文.com/")), Some("puny"));
}

#[test]
fn s3_tracking_params_removed_from_clean_url() {
    let p = with_base("[tracking]\nparams = [\"utm_*\", \"spm\", \"fbclid\", \"gclid\"]");
    let v = one(
        &p,
        "https://a.example/p?id=1&utm_source=wx&spm=a.b&x=2&fbclid=z#top",
    );
    assert_eq!(v.clean_url(), Some("https://a.example/p?id=1&x=2#top"));
    assert_eq!(
        v.url(),
        Some("https://a.example/p?id=1&utm_source=wx&spm=a.b&x=2&fbclid=z#top")
    );
    let v = one(&p, "https://a.example/p?utm_source=wx&gclid=1");
    assert_eq!(v.clean_url(), Some("https://a.example/p"));
}

// ---------------------------------------------------------------------------
// Section 4: normalization (more cases in normalize.rs).

#[test]
fn s4_1_surrounding_white_space_is_trimmed() {
    let p = policy(BASE);
    assert_eq!(
        one(&p, " \t https://a.example/ \n").url(),
        Some("https://a.example/")
    );
}

#[test]
fn s4_2_links_without_scheme_are_http() {
    let p = policy(BASE);
    assert_eq!(one(&p, "jd.com/x").url(), Some("http://jd.com/x"));
    assert_eq!(
        one(&p, "www.taobao.com").url(),
        Some("http://www.taobao.com/")
    );
    assert_eq!(one(&p, "jd.com:8080/x").url(), Some("http://jd.com:8080/x"));
}

#[test]
fn s4_3_unparseable_is_blocked_invalid() {
    let p = policy(BASE);
    for link in [
        "http://exa mple.com/",
        "https://[::1/",
        "http://a<b.example/",
        "https://",
    ] {
        let v = one(&p, link);
        assert_eq!(
            (v.action(), kinds(&v)),
            (Action::Block, vec!["invalid"]),
            "{link}"
        );
    }
}

#[test]
fn s4_4_registrable_domain_from_psl() {
    let p = policy(BASE);
    assert_eq!(
        one(&p, "https://item.jd.com/").registrable_domain(),
        Some("jd.com")
    );
    assert_eq!(
        one(&p, "https://news.sina.com.cn/").registrable_domain(),
        Some("sina.com.cn")
    );
    assert_eq!(
        one(&p, "https://user.github.io/").registrable_domain(),
        Some("user.github.io")
    );
    assert_eq!(one(&p, "http://127.0.0.1/").registrable_domain(), None);
}

#[test]
fn s4_4_a_host_app_may_pass_a_newer_public_suffix_list() {
    // A list that knows `shop.example` as a public suffix (the built-in one does not).
    let newer = linkpolicy::PublicSuffixList::from_dat(
        "// ===BEGIN ICANN DOMAINS===\nexample\nshop.example\n",
    )
    .unwrap();
    let mut b = Policy::builder();
    b.public_suffix_list(std::sync::Arc::new(newer))
        .complaint_threshold(
            linkpolicy::Category::Fraud,
            linkpolicy::Threshold::new(None, Some(1)),
        )
        .complaint(linkpolicy::Complaint::new(
            "alice.shop.example",
            linkpolicy::Category::Fraud,
            5,
        ));
    let p = b.build().unwrap();
    let v = one(&p, "https://www.alice.shop.example/");
    assert_eq!(v.registrable_domain(), Some("alice.shop.example"));
    assert_eq!(
        v.action(),
        Action::Block,
        "complaints follow the newer list's registrable domain"
    );
    let builtin = policy(BASE);
    assert_eq!(
        one(&builtin, "https://www.alice.shop.example/").registrable_domain(),
        Some("shop.example")
    );
    // Under the built-in list the same complaint row is not a registrable domain.
    let e = builtin
        .with_complaints([linkpolicy::Complaint::new(
            "alice.shop.example",
            linkpolicy::Category::Fraud,
            5,
        )])
        .unwrap_err();
    assert_eq!(e.kind(), linkpolicy::ErrorKind::InvalidDomain);
}

#[test]
fn s4_5_unsafe_schemes_are_blocked_hard() {
    // Even a policy that allows everything, with a rule for the scheme.
    let p = policy(
        "version = 1\n[defaults]\none_to_one = \"allow\"\napp_link = \"allow\"\n[[rule]]\nid = \"js\"\naction = \"allow\"\nscheme = \"javascript\"",
    );
    for link in [
        "javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "blob:https://a.example/1",
    ] {
        let v = one(&p, link);
        assert_eq!((v.action(), v.is_hard()), (Action::Block, true), "{link}");
        assert_eq!(kinds(&v), ["unsafe_scheme"], "{link}");
    }
}

#[test]
fn s4_6_normalized_url_meets_url_prefix() {
    let p = with_base(
        "[[rule]]\nid = \"promo\"\naction = \"allow\"\nurl_prefix = \"https://www.jd.com/promo/\"",
    );
    let v = one(&p, "https://x@www.jd.com./promo/1");
    assert_eq!(v.url(), Some("https://www.jd.com/promo/1"));
    assert_eq!(rule_id(&v), Some("promo"));
}

// ---------------------------------------------------------------------------
// Section 5: deciding.

#[test]
fn s5_1_rollout_gate_that_cannot_be_evaluated_does_not_pass() {
    let p = with_base(
        r#"
[[rule]]
id = "pct"
action = "block"
domain = "a.example"
rollout = { percent = 100, salt = "s" }
[[rule]]
id = "ver"
action = "block"
domain = "b.example"
rollout = { min_client = "8.0.0" }
[[rule]]
id = "time"
action = "block"
domain = "c.example"
rollout = { from = 0 }
"#,
    );
    assert_eq!(rule_id(&one(&p, "https://a.example/")), None);
    assert_eq!(rule_id(&one(&p, "https://b.example/")), None);
    assert_eq!(rule_id(&one(&p, "https://c.example/")), None);
    let ctx = Context::one_to_one()
        .with_user("u")
        .with_client_version("8.0.16")
        .with_now(10);
    for (link, id) in [
        ("https://a.example/", "pct"),
        ("https://b.example/", "ver"),
        ("https://c.example/", "time"),
    ] {
        assert_eq!(rule_id(&p.classify(link, &ctx)), Some(id));
    }
}

#[test]
fn s5_2_hard_block_decides_over_more_specific_allow() {
    let p = with_base(
        r#"
[[rule]]
id = "allow-prefix"
action = "allow"
url_prefix = "https://a.evil.example/safe/"
[[rule]]
id = "hard"
action = "block"
hard = true
domain = "evil.example"
"#,
    );
    let v = one(&p, "https://a.evil.example/safe/x");
    assert_eq!((v.action(), v.is_hard()), (Action::Block, true));
    assert_eq!(rule_id(&v), Some("hard"));
}

#[test]
fn s5_3_soft_block_loses_to_more_specific_allow() {
    let p = with_base(
        r#"
[[rule]]
id = "allow-host"
action = "allow"
host = "good.evil.example"
[[rule]]
id = "soft"
action = "block"
domain = "evil.example"
"#,
    );
    assert_eq!(
        rule_id(&one(&p, "https://good.evil.example/")),
        Some("allow-host")
    );
    assert_eq!(
        one(&p, "https://good.evil.example/").action(),
        Action::Allow
    );
    assert_eq!(rule_id(&one(&p, "https://bad.evil.example/")), Some("soft"));
}

#[test]
fn s5_3_specificity_order() {
    // url_prefix (longer first) > host > domain (more labels first) > regex > scheme
    let p = with_base(
        r#"
[[rule]]
id = "scheme"
action = "block"
scheme = "https"
[[rule]]
id = "regex"
action = "block"
regex = "example"
[[rule]]
id = "domain2"
action = "block"
domain = "a.example"
[[rule]]
id = "domain3"
action = "block"
domain = "b.a.example"
[[rule]]
id = "host"
action = "block"
host = "c.b.a.example"
[[rule]]
id = "prefix-short"
action = "block"
url_prefix = "https://c.b.a.example/p"
[[rule]]
id = "prefix-long"
action = "block"
url_prefix = "https://c.b.a.example/p/q"
"#,
    );
    let cases = [
        ("https://c.b.a.example/p/q/1", "prefix-long"),
        ("https://c.b.a.example/p/1", "prefix-short"),
        ("https://c.b.a.example/", "host"),
        ("https://d.b.a.example/", "domain3"),
        ("https://b2.a.example/", "domain2"),
        ("https://x.example/", "regex"),
        ("https://x.test/", "scheme"),
    ];
    for (link, want) in cases {
        assert_eq!(rule_id(&one(&p, link)), Some(want), "{link}");
    }
}

#[test]
fn s5_3_tie_goes_to_strictest_action() {
    let p = with_base(
        r#"
[[rule]]
id = "allow"
action = "allow"
domain = "a.example"
[[rule]]
id = "block"
action = "block"
domain = "a.example"
[[rule]]
id = "warn"
action = "warn"
domain = "a.example"
"#,
    );
    let v = one(&p, "https://a.example/");
    assert_eq!((v.action(), rule_id(&v)), (Action::Block, Some("block")));
}

#[test]
fn s5_3_rule_decides_before_platform_tier() {
    let p = with_base(&format!(
        "{TIERS}\n[[rule]]\nid = \"coupon\"\naction = \"warn\"\nhost = \"coupon.jd.com\""
    ));
    assert_eq!(rule_id(&one(&p, "https://coupon.jd.com/")), Some("coupon"));
    assert_eq!(one(&p, "https://coupon.jd.com/").action(), Action::Warn);
}

#[test]
fn s5_4_platform_with_longest_matching_domain() {
    let p = with_base(
        r#"
[tiers.A]
one_to_one = "allow"
[tiers.B]
one_to_one = "block"
[[platform]]
id = "tencent"
domains = ["qq.com"]
tier = "A"
[[platform]]
id = "mail"
domains = ["mail.qq.com"]
tier = "B"
"#,
    );
    let v = one(&p, "https://a.mail.qq.com/");
    assert_eq!(
        (v.action(), v.platform().map(|i| i.as_str())),
        (Action::Block, Some("mail"))
    );
    assert_eq!(
        one(&p, "https://im.qq.com/").platform().map(|i| i.as_str()),
        Some("tencent")
    );
}

#[test]
fn s5_4_platform_tier_applies_to_http_only() {
    let p = policy(&format!(
        "version = 1\n[defaults]\napp_link = \"block\"\n{TIERS}"
    ));
    // An ftp link to a platform's host is not web: the app-link default.
    let v = one(&p, "ftp://jd.com/file");
    assert_eq!(kinds(&v), ["app_link"]);
}

#[test]
fn s5_5_default_for_chat_kind_or_app_link() {
    let p = policy(BASE);
    assert_eq!(kinds(&one(&p, "https://a.example/")), ["default"]);
    assert_eq!(kinds(&one(&p, "weixin://dl/business/?t=abc")), ["app_link"]);
    assert_eq!(
        p.classify("https://a.example/", &Context::group(2))
            .action(),
        Action::Block
    );
}

#[test]
fn s5_6_userinfo_floor_is_warn_hard() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"");
    let v = one(&p, "https://jd.com@evil.example/");
    assert_eq!((v.action(), v.is_hard()), (Action::Warn, true));
    assert_eq!(kinds(&v), ["userinfo", "default"]);
    assert_eq!(v.host(), Some("evil.example"));
    assert_eq!(v.url(), Some("https://evil.example/"));
}

#[test]
fn s5_6_floors_never_lower() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"block\"\nip_host = \"warn\"");
    let v = one(&p, "https://user:pw@10.0.0.1/");
    assert_eq!(v.action(), Action::Block);
    assert_eq!(kinds(&v), ["default", "ip_host", "userinfo"]);
}

#[test]
fn s5_wrappers_strictest_hop_wins_and_destination_is_last() {
    let p = with_base(
        r#"
[[redirector]]
domain = "c.duomai.com"
params = ["t"]
[[rule]]
id = "dest"
action = "block"
domain = "evil.example"
"#,
    );
    let v = one(
        &p,
        "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://evil.example/x",
    );
    assert_eq!(v.action(), Action::Block);
    assert_eq!(v.destination(), Some("https://evil.example/x"));
    assert_eq!(v.host(), Some("c.duomai.com"));
    assert_eq!(rule_id(&v), Some("dest"));
    assert!(
        v.reasons()
            .any(|r| matches!(r, Reason::Redirect { to } if to == "https://evil.example/x"))
    );
    // The real article's link: its destination is JD.
    let v = one(
        &p,
        "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/",
    );
    assert_eq!(v.destination(), Some("https://shouji.jd.com/"));
}

#[test]
fn s5_wrapper_target_must_be_absolute_http() {
    let p = with_base("[[redirector]]\ndomain = \"r.example\"\nparams = [\"u\", \"t\"]");
    for link in [
        "https://r.example/?u=evil.example",
        "https://r.example/?u=javascript:alert(1)",
    ] {
        assert_eq!(one(&p, link).destination(), one(&p, link).url(), "{link}");
    }
    // Issue #13: a scheme-relative value is where a browser following the
    // redirect goes (it resolves `Location: //evil.example/` under the
    // wrapper's scheme), so it is a hop too.
    let v = one(&p, "https://r.example/?u=//evil.example/");
    assert_eq!(v.destination(), Some("https://evil.example/"));
    // The first parameter that holds one.
    let v = one(&p, "https://r.example/?u=nope&t=https%3A%2F%2Fb.example%2F");
    assert_eq!(v.destination(), Some("https://b.example/"));
}

// ---------------------------------------------------------------------------
// Section 7: the verdict.

#[test]
fn s7_verdict_fields_serialize_as_contract() {
    let p = with_base(&format!("{TIERS}\n[tracking]\nparams = [\"utm_*\"]"));
    let v = one(&p, "https://Item.JD.com./1.html?utm_source=x&id=2");
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "action": "allow",
            "hard": false,
            "reasons": [{"kind": "platform", "platform": "jd", "tier": "A"}],
            "url": "https://item.jd.com/1.html?utm_source=x&id=2",
            "host": "item.jd.com",
            "registrable_domain": "jd.com",
            "platform": "jd",
            "destination": "https://item.jd.com/1.html?utm_source=x&id=2",
            "clean_url": "https://item.jd.com/1.html?id=2",
            "shadow": []
        })
    );
}

#[test]
fn s7_reason_kinds_are_snake_case() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"\nip_host = \"warn\"");
    let v = one(&p, "https://u@10.0.0.1/");
    let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    let kinds: Vec<&str> = json["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    // ip_host raised allow to warn and decides; userinfo did not raise it.
    assert_eq!(kinds, ["ip_host", "default", "userinfo"]);
    let v = one(&p, "weixin://x");
    assert!(v.to_json().contains(r#""kind":"app_link""#));
    let v = one(&p, "javascript:x");
    assert!(v.to_json().contains(r#""kind":"unsafe_scheme""#));
    let v = one(&p, "http://exa mple/");
    assert!(v.to_json().contains(r#""kind":"invalid""#));
}

#[test]
fn s7_deciding_reason_first() {
    let p = policy("version = 1\n[defaults]\none_to_one = \"allow\"\nip_host = \"block\"");
    let v = one(&p, "http://10.0.0.1/");
    assert_eq!(v.reason().map(Reason::kind), Some("ip_host"));
}

#[test]
fn s7_invalid_link_has_no_url() {
    let p = policy(BASE);
    let v = one(&p, "http://exa mple/");
    assert_eq!(
        (v.url(), v.host(), v.destination(), v.clean_url()),
        (None, None, None, None)
    );
}

#[test]
fn s7_shadow_rules_are_reported_and_never_decide() {
    let p = with_base(
        "[[rule]]\nid = \"try\"\naction = \"block\"\nshadow = true\ndomain = \"a.example\"",
    );
    let v = one(&p, "https://a.example/");
    assert_eq!(v.action(), Action::Warn);
    assert_eq!(kinds(&v), ["default"]);
    let shadow: Vec<(String, Action)> =
        v.shadow().map(|s| (s.rule.to_string(), s.action)).collect();
    assert_eq!(shadow, [("try".to_string(), Action::Block)]);
    assert_eq!(one(&p, "https://b.example/").shadow().count(), 0);
}

#[test]
fn s2_policy_is_shareable_across_threads() {
    let p = policy(BASE);
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let p = p.clone();
            std::thread::spawn(move || {
                p.classify(&format!("https://h{i}.example/"), &Context::one_to_one())
                    .action()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Action::Warn);
    }
}
