//! One request and verdict format for every host (issue #19): `Request` and
//! `MessageRequest` read the lines of contract section 8, and what the library
//! writes (`Verdict`, `Reason`, `FoundLink`, `MessageLinks`) reads back equal.
//!
//! The links are the adversarial corpus under its policy (every reason kind a
//! hostile link can get) and the example program's links under the sample policy
//! in several contexts, so the round trip is checked on real verdicts, not on
//! hand-built ones.

use std::str::FromStr;

use linkpolicy::{
    Action, Category, ChatKind, Context, FoundLink, MessageLinks, MessageRequest, Mode, Policy,
    Prefs, Reason, Request, RequestErrorKind, SAMPLE_POLICY, Verdict,
};
use serde::Deserialize;

const ADVERSARIAL_POLICY: &str = include_str!("data/adversarial/policy.toml");
const ADVERSARIAL_CORPUS: &str = include_str!("data/adversarial/corpus.toml");
const LINKS: &str = include_str!("../examples/links.txt");

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    link: String,
}

fn adversarial_links() -> Vec<String> {
    let corpus: Corpus = toml::from_str(ADVERSARIAL_CORPUS).expect("the corpus reads");
    corpus.case.into_iter().map(|c| c.link).collect()
}

fn contexts() -> Vec<Context> {
    let prefs = Prefs::from_lists(Mode::Default, ["jd.com"], ["bilibili.com"]).unwrap();
    vec![
        Context::one_to_one(),
        Context::group(250)
            .with_user("alice")
            .with_client_version("8.0.16"),
        Context::group(3).with_now(1_631_836_800).with_prefs(prefs),
        Context::one_to_one().with_prefs(Prefs::new().with_mode(Mode::Ask)),
        Context::one_to_one().with_display_text("https://www.jd.com/"),
    ]
}

/// Serializes, reads back, and checks the verdict is equal and writes the same JSON.
fn round_trip(v: &Verdict) {
    let json = v.to_json();
    let read: Verdict =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
    assert_eq!(&read, v, "{json}");
    assert_eq!(read.to_json(), json);
    assert_eq!(read.host_unicode(), v.host_unicode());
    for r in v.reasons() {
        let text = serde_json::to_string(r).unwrap();
        assert_eq!(&serde_json::from_str::<Reason>(&text).unwrap(), r);
    }
}

#[test]
fn adversarial_verdicts_read_back_equal() {
    let policy = Policy::from_toml_str(ADVERSARIAL_POLICY).unwrap();
    let links = adversarial_links();
    assert!(links.len() > 400, "{} links", links.len());
    let mut kinds = std::collections::BTreeSet::new();
    for link in &links {
        for ctx in contexts() {
            let v = policy.classify(link, &ctx);
            kinds.extend(v.reasons().map(Reason::kind));
            round_trip(&v);
        }
    }
    // The corpus reaches most reason kinds: the round trip is not of one shape.
    assert!(kinds.len() >= 12, "{kinds:?}");
}

#[test]
fn sample_verdicts_and_example_lines_read_back_equal() {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    for line in LINKS.lines() {
        for ctx in contexts() {
            round_trip(&policy.classify(line, &ctx));
        }
        // A bare line is a one-to-one request; the answer is the verdict's JSON.
        if !line.trim().is_empty() && !line.trim_start().starts_with('{') {
            assert_eq!(
                Request::answer(&policy, line),
                policy
                    .classify(line.trim(), &Context::one_to_one())
                    .to_json()
            );
        }
    }
}

#[test]
fn a_request_line_is_the_context_it_names() {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let line =
        r#"{"link": "https://item.jd.com/1.html", "chat": "group", "members": 250, "user": "alice",
 "client_version": "8.0.16", "now": 1631836800,
 "prefs": {"mode": "default", "trusted": ["jd.com"], "blocked": []},
 "display_text": "京东"}"#
            .replace('\n', "");
    let req = Request::parse(&line).unwrap();
    let ctx = Context::group(250)
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(1_631_836_800)
        .with_prefs(Prefs::from_lists(Mode::Default, ["jd.com"], [] as [&str; 0]).unwrap())
        .with_display_text("京东");
    assert_eq!(req.context(), &ctx);
    assert_eq!(
        Request::answer(&policy, &line),
        policy
            .classify("https://item.jd.com/1.html", &ctx)
            .to_json()
    );
}

#[test]
fn unreadable_requests_are_error_lines() {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    for (line, kind) in [
        ("", RequestErrorKind::Empty),
        ("{", RequestErrorKind::Syntax),
        (r#"{"link": ["x"]}"#, RequestErrorKind::Invalid),
        (
            r#"{"link": "x", "chat": "channel"}"#,
            RequestErrorKind::Invalid,
        ),
        (
            r#"{"link": "x", "now": "today"}"#,
            RequestErrorKind::Invalid,
        ),
        (
            r#"{"link": "x", "prefs": {"mode": "sometimes"}}"#,
            RequestErrorKind::Invalid,
        ),
        (r#"{"user": "u"}"#, RequestErrorKind::MissingField("link")),
        (
            r#"{"link": "x", "chat": "group", "members": null}"#,
            RequestErrorKind::GroupWithoutMembers,
        ),
        (
            r#"{"link": "x", "chat": "one_to_one", "members": 2}"#,
            RequestErrorKind::MembersWithoutGroup,
        ),
    ] {
        let err = Request::parse(line).unwrap_err();
        assert_eq!(err.kind(), kind, "{line}");
        let answer: serde_json::Value =
            serde_json::from_str(&Request::answer(&policy, line)).unwrap();
        assert_eq!(answer, serde_json::json!({ "error": err.to_string() }));
    }
}

#[test]
fn message_lines_read_back_equal() {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let message =
        "淘宝：www.taobao.com，京东：https://item.jd.com/1.html，b23.tv/abc 和 javascript:alert(1)";
    let line = serde_json::json!({"text": message, "chat": "group", "members": 40}).to_string();
    let req = MessageRequest::parse(&line).unwrap();
    assert_eq!(req.text(), message);
    let links = req.scan(&policy);
    assert_eq!(links.links, policy.scan(message, &Context::group(40)));
    assert!(links.links.len() >= 3, "{links:?}");
    let out = MessageRequest::answer(&policy, &line);
    assert_eq!(out, links.to_json());
    let read: MessageLinks = serde_json::from_str(&out).unwrap();
    assert_eq!(read, links);
    for link in &links.links {
        let text = serde_json::to_string(link).unwrap();
        assert_eq!(&serde_json::from_str::<FoundLink>(&text).unwrap(), link);
    }
}

#[test]
fn inconsistent_verdicts_do_not_read() {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let v = policy.classify("https://item.jd.com/1.html", &Context::one_to_one());
    let good: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
    for (field, value) in [
        ("host", serde_json::json!("evil.example")),
        ("host", serde_json::json!("item.jd")),
        ("registrable_domain", serde_json::json!("d.com")),
        ("registrable_domain", serde_json::json!("evil.example")),
        ("action", serde_json::json!("maybe")),
        ("reasons", serde_json::json!([{"kind": "sunspots"}])),
    ] {
        let mut bad = good.clone();
        bad[field] = value;
        assert!(
            serde_json::from_value::<Verdict>(bad.clone()).is_err(),
            "{bad}"
        );
    }
    let mut newer = good.clone();
    newer["added_by_a_later_version"] = serde_json::json!(1);
    assert_eq!(serde_json::from_value::<Verdict>(newer).unwrap(), v);
}

#[test]
fn names_parse_as_they_serialize() {
    for a in [Action::Allow, Action::Warn, Action::Block] {
        assert_eq!(Action::from_str(&a.to_string()).unwrap(), a);
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
    }
    for c in Category::ALL {
        assert_eq!(Category::from_str(c.as_str()).unwrap(), c);
        assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{c}\""));
    }
    for k in [ChatKind::OneToOne, ChatKind::Group] {
        assert_eq!(ChatKind::from_str(k.as_str()).unwrap(), k);
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
    }
    for m in [Mode::Default, Mode::Ask, Mode::BlockExternal] {
        assert_eq!(Mode::from_str(m.as_str()).unwrap(), m);
        assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
    }
    // Exactly as JSON reads them: no case folding, no trimming.
    for bad in ["Allow", " warn", "", "blocked"] {
        assert!(bad.parse::<Action>().is_err(), "{bad:?}");
    }
    assert_eq!(
        "oneToOne".parse::<ChatKind>().unwrap_err().to_string(),
        "unknown chat kind `oneToOne`, expected one of `one_to_one`, `group`"
    );
}

#[test]
fn reasons_display_short_messages() {
    let policy = Policy::from_toml_str(ADVERSARIAL_POLICY).unwrap();
    for link in adversarial_links() {
        for r in policy.classify(&link, &Context::one_to_one()).reasons() {
            let text = r.to_string();
            assert!(!text.is_empty() && !text.contains('\n'), "{r:?}: {text:?}");
            assert!(!text.ends_with('.'), "{text}");
            assert_ne!(text, r.kind(), "a message, not the kind: {r:?}");
        }
    }
}

#[test]
fn warning_pages_show_unicode_hosts_but_not_spoofs() {
    let policy = Policy::from_toml_str("version = 1").unwrap();
    let ctx = Context::one_to_one();
    let jd = policy.classify("https://京东.com/", &ctx);
    assert_eq!(jd.host_unicode().as_deref(), Some("京东.com"));
    let ascii = jd.host().unwrap().to_ascii_uppercase();
    let jd = policy.classify(&format!("https://www.{ascii}/"), &ctx);
    assert_eq!(jd.host_unicode().as_deref(), Some("www.京东.com"));
    // A Cyrillic `а` in `pаypal`: a lookalike or mixed-script host stays in ASCII.
    let adversarial = Policy::from_toml_str(ADVERSARIAL_POLICY).unwrap();
    for link in adversarial_links() {
        let v = adversarial.classify(&link, &ctx);
        let spoof = v
            .reasons()
            .any(|r| matches!(r, Reason::Lookalike { .. } | Reason::MixedScript));
        if spoof {
            assert_eq!(v.host_unicode().as_deref(), v.host(), "{link}");
        }
        assert_eq!(v.host().is_some(), v.host_unicode().is_some());
    }
    assert_eq!(policy.classify("not a link", &ctx).host_unicode(), None);
}
