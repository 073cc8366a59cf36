//! Lists as a source of rules (issue #7): `[[list]]` entries whose text the host
//! app hands over, provenance `list_id:line`, priorities, warnings and
//! strictness; the real block lists when `../shared` is present.

use std::path::{Path, PathBuf};

use linkpolicy::{Action, Context, ErrorKind, PolicyBuilder, Reason, Verdict};

fn one(policy: &linkpolicy::Policy, link: &str) -> Verdict {
    policy.classify(link, &Context::one_to_one())
}

fn rule_id(v: &Verdict) -> Option<&str> {
    v.rule_ids().next().map(|r| r.as_str())
}

const FEEDS: &str = r#"
version = 1
[defaults]
one_to_one = "allow"
group = "warn"

[[list]]
id = "phishing"
format = "domains"
action = "block"
category = "phishing"
path = "lists/phishing.txt"

[[list]]
id = "scam"
format = "hosts"
action = "block"
category = "fraud"
hard = true

[[list]]
id = "regulator"
format = "adblock"
action = "block"
category = "illegal"

[[list]]
id = "wild"
format = "wildcard"
action = "warn"
category = "marketing"
chats = ["group"]
min_members = 100

[[list]]
id = "our-allow"
format = "domains"
action = "allow"
priority = 10
"#;

fn feeds() -> linkpolicy::Policy {
    let mut b = PolicyBuilder::from_toml_str(FEEDS).unwrap();
    b.list_text("phishing", "# phishing feed\r\nlogin-verify.example\r\nPAYPAL-LOGIN.example.\r\n京东-login.example\r\nnot a domain\r\nshared.example\r\n")
        .list_text("scam", "# hosts\n127.0.0.1 localhost\n::1 localhost\n0.0.0.0 cheap-iphone.example win-prize.example # two hosts\n")
        .list_text(
            "regulator",
            "[Adblock Plus 2.0]\n! regulator's list\n||gamble.example^\n@@||ok.gamble.example^\n||casino.example^$important\n|https://docs.example/forms/\n/^https?:\\/\\/[^\\/]+\\.bet\\//\n||tracker.example^$third-party\nexample.org##.banner\n",
        )
        .list_text("wild", "*.coupons.example\n")
        .list_text("our-allow", "shared.example\ncasino.example\n");
    b.build().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn provenance_names_list_and_line() {
    let p = feeds();
    let v = one(&p, "https://a.login-verify.example/x");
    assert_eq!(
        (v.action(), rule_id(&v)),
        (Action::Block, Some("phishing:2"))
    );
    assert_eq!(
        serde_json::to_value(v.reason().unwrap()).unwrap(),
        serde_json::json!({"kind": "rule", "rule": "phishing:2", "category": "phishing"})
    );
    assert_eq!(
        rule_id(&one(&p, "https://paypal-login.example/")),
        Some("phishing:3")
    );
    assert_eq!(
        rule_id(&one(&p, "https://京东-login.example/")),
        Some("phishing:4")
    );
}

#[test]
fn hosts_lines_with_several_hosts() {
    let p = feeds();
    let v = one(&p, "https://cheap-iphone.example/");
    assert_eq!(
        (v.action(), v.is_hard(), rule_id(&v)),
        (Action::Block, true, Some("scam:4"))
    );
    assert_eq!(
        rule_id(&one(&p, "https://www.win-prize.example/")),
        Some("scam:4")
    );
    // localhost lines are not entries.
    assert_eq!(rule_id(&one(&p, "http://localhost/")), None);
}

#[test]
fn adblock_subset() {
    let p = feeds();
    assert_eq!(
        rule_id(&one(&p, "https://www.gamble.example/")),
        Some("regulator:3")
    );
    // `@@` is an allow, more specific here than the block.
    let v = one(&p, "https://ok.gamble.example/");
    assert_eq!(
        (v.action(), rule_id(&v)),
        (Action::Allow, Some("regulator:4"))
    );
    // `$important` is hard: even the higher-priority allow list cannot lift it.
    let v = one(&p, "https://casino.example/");
    assert_eq!(
        (v.action(), v.is_hard(), rule_id(&v)),
        (Action::Block, true, Some("regulator:5"))
    );
    assert_eq!(
        rule_id(&one(&p, "https://docs.example/forms/1")),
        Some("regulator:6")
    );
    assert_eq!(rule_id(&one(&p, "https://docs.example/other")), None);
    assert_eq!(rule_id(&one(&p, "https://win.bet/")), Some("regulator:7"));
}

#[test]
fn list_scope_chats_and_members() {
    let p = feeds();
    assert_eq!(rule_id(&one(&p, "https://a.coupons.example/")), None);
    let big = p.classify("https://a.coupons.example/", &Context::group(100));
    assert_eq!(
        (big.action(), rule_id(&big)),
        (Action::Warn, Some("wild:1"))
    );
    assert_eq!(
        rule_id(&p.classify("https://a.coupons.example/", &Context::group(99))),
        None
    );
}

#[test]
fn higher_priority_decides_before_specificity() {
    let p = feeds();
    // Our own allow list (priority 10) beats the subscribed feed's block.
    let v = one(&p, "https://shared.example/");
    assert_eq!(
        (v.action(), rule_id(&v)),
        (Action::Allow, Some("our-allow:1"))
    );
    // Even against a more specific block at priority 0.
    let mut b = PolicyBuilder::from_toml_str(&format!(
        "{FEEDS}\n[[rule]]\nid = \"host-block\"\naction = \"block\"\nhost = \"www.shared.example\"\n"
    ))
    .unwrap();
    b.list_text("phishing", "")
        .list_text("scam", "")
        .list_text("regulator", "")
        .list_text("wild", "")
        .list_text("our-allow", "shared.example\n");
    let p = b.build().unwrap();
    assert_eq!(
        rule_id(&one(&p, "https://www.shared.example/")),
        Some("our-allow:1")
    );
}

#[test]
fn rules_take_priority_too() {
    let p = linkpolicy::Policy::from_toml_str(
        "version = 1\n[[rule]]\nid = \"broad-allow\"\naction = \"allow\"\npriority = 1\ndomain = \"example\"\n[[rule]]\nid = \"narrow-block\"\naction = \"block\"\nhost = \"a.b.example\"\n",
    )
    .unwrap();
    assert_eq!(
        rule_id(&one(&p, "https://a.b.example/")),
        Some("broad-allow")
    );
}

#[test]
fn unusable_lines_are_warnings_with_line_numbers() {
    let p = feeds();
    let w: Vec<(String, usize)> = p
        .warnings()
        .map(|w| (w.list().to_owned(), w.line()))
        .collect();
    assert_eq!(
        w,
        [
            ("phishing".to_owned(), 5),
            ("regulator".to_owned(), 8),
            ("regulator".to_owned(), 9),
        ]
    );
    assert!(p.warnings().all(|w| !w.message().is_empty()));
}

#[test]
fn strict_lists_turn_warnings_into_errors() {
    let mut b = PolicyBuilder::from_toml_str(
        "version = 1\n[[list]]\nid = \"feed\"\nformat = \"domains\"\naction = \"block\"\n",
    )
    .unwrap();
    b.list_text("feed", "ok.example\nnot ok\n")
        .strict_lists(true);
    let e = b.build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ListLine);
    assert_eq!(e.item().and_then(|i| i.id()), Some("feed"));
    assert!(e.message().starts_with("line 2: "), "{e}");
}

#[test]
fn missing_list_text_is_an_error_naming_the_list() {
    let e = PolicyBuilder::from_toml_str(FEEDS)
        .unwrap()
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingList);
    assert_eq!(
        e.item().map(|i| (i.section(), i.id())),
        Some(("list", Some("phishing")))
    );
    assert!(e.message().contains("lists/phishing.txt"), "{e}");
    assert_eq!(e.location().map(|l| l.line()), Some(7));
    assert_eq!(e.len(), 5, "every list without text: {e}");
    // Policy::from_toml_str has no way to take texts: the same errors.
    assert_eq!(
        linkpolicy::Policy::from_toml_str(FEEDS).unwrap_err().kind(),
        ErrorKind::MissingList
    );
}

#[test]
fn list_file_errors_name_the_list() {
    let e = PolicyBuilder::from_toml_str(
        "version = 1\n[[list]]\nid = \"x\"\nformat = \"csv\"\naction = \"block\"\n",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert_eq!(e.item().and_then(|i| i.id()), Some("x"));
    assert_eq!(e.field(), Some("format"));
    let e = PolicyBuilder::from_toml_str(
        "version = 1\n[[list]]\nid = \"x\"\nformat = \"hosts\"\naction = \"block\"\nurl = \"x\"\n",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownField);
}

#[test]
fn duplicate_list_ids() {
    let mut b = PolicyBuilder::from_toml_str(
        "version = 1\n[[list]]\nid = \"x\"\nformat = \"hosts\"\naction = \"block\"\n[[list]]\nid = \"x\"\nformat = \"domains\"\naction = \"block\"\n",
    )
    .unwrap();
    b.list_text("x", "");
    let e = b.build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Duplicate);
}

#[test]
fn shadow_list_never_decides() {
    let mut b = PolicyBuilder::from_toml_str(
        "version = 1\n[defaults]\none_to_one = \"allow\"\n[[list]]\nid = \"trial\"\nformat = \"domains\"\naction = \"block\"\nshadow = true\n",
    )
    .unwrap();
    b.list_text("trial", "a.example\n");
    let p = b.build().unwrap();
    let v = one(&p, "https://a.example/");
    assert_eq!(v.action(), Action::Allow);
    assert_eq!(
        v.shadow()
            .map(|s| s.rule.as_str().to_owned())
            .collect::<Vec<_>>(),
        ["trial:1"]
    );
    assert!(v.reasons().all(|r| !matches!(r, Reason::Rule { .. })));
}

fn shared_blocklists() -> Option<PathBuf> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/blocklists/blocklistproject");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn real_phishing_and_scam_lists_load() {
    let Some(dir) = shared_blocklists() else {
        return;
    };
    let phishing = std::fs::read_to_string(dir.join("phishing-nl.txt")).unwrap();
    let scam = std::fs::read_to_string(dir.join("scam.hosts.txt")).unwrap();
    let mut b = PolicyBuilder::from_toml_str(
        "version = 1\n[[list]]\nid = \"phishing\"\nformat = \"domains\"\naction = \"block\"\ncategory = \"phishing\"\n[[list]]\nid = \"scam\"\nformat = \"hosts\"\naction = \"block\"\ncategory = \"fraud\"\n",
    )
    .unwrap();
    b.list_text("phishing", phishing.clone())
        .list_text("scam", scam.clone());
    let p = b.build().unwrap();
    let entries = |text: &str| {
        text.lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .count()
    };
    // Every line that is not a comment is an entry or a warning, never dropped.
    let warned = |id: &str| p.warnings().filter(|w| w.list() == id).count();
    assert_eq!(
        p.rule_count() + warned("phishing") + warned("scam"),
        entries(&phishing) + entries(&scam)
    );
    assert!(p.rule_count() > 190_000, "{}", p.rule_count());
    // A listed domain is blocked and names its list and line.
    let (line_no, line) = phishing
        .lines()
        .enumerate()
        .find(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .unwrap();
    let v = one(&p, &format!("https://{}/login", line.trim()));
    assert_eq!(v.action(), Action::Block);
    assert_eq!(
        rule_id(&v),
        Some(format!("phishing:{}", line_no + 1).as_str())
    );
}

/// `policies/feeds.toml` with its lists read from the files it names, as the
/// example program reads them.
fn feeds_policy() -> linkpolicy::Policy {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let text = std::fs::read_to_string(dir.join("feeds.toml")).unwrap();
    let mut b = PolicyBuilder::from_toml_str(&text).unwrap();
    let lists: Vec<(String, String)> = b
        .lists()
        .map(|l| (l.id().to_owned(), l.path().unwrap().to_owned()))
        .collect();
    for (id, path) in lists {
        b.list_text(id, std::fs::read_to_string(dir.join(path)).unwrap());
    }
    b.build().unwrap()
}

#[test]
fn feeds_policy_is_the_sample_plus_two_feeds() {
    let feeds = include_str!("../policies/feeds.toml");
    assert!(
        feeds.starts_with(linkpolicy::SAMPLE_POLICY),
        "feeds.toml must begin with the whole sample policy"
    );
    let p = feeds_policy();
    assert_eq!(p.warnings().count(), 0);
    let sample = linkpolicy::Policy::from_toml_str(linkpolicy::SAMPLE_POLICY).unwrap();
    assert_eq!(p.rule_count(), sample.rule_count() + 190_215 + 8_527);
    // A phishing domain from the feed names the feed and line.
    let v = one(&p, "https://0001interac.com/login");
    assert_eq!(v.action(), Action::Block);
    assert!(
        rule_id(&v).is_some_and(|r| r.starts_with("phishing-feed:")),
        "{v}"
    );
    let v = one(&p, "https://0-google.com/");
    assert!(
        rule_id(&v).is_some_and(|r| r.starts_with("scam-feed:")),
        "{v}"
    );
    // The sample's own verdicts are unchanged elsewhere.
    assert_eq!(
        one(&p, "https://item.jd.com/1.html").action(),
        Action::Allow
    );
}
