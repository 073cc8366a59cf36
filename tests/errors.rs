//! Loading errors (contract sections 2 and 3): typed, naming the rule (id or
//! index) and field, with line and column where the parser gives them, and
//! all-or-nothing.

use linkpolicy::{Error, ErrorKind, Policy};

fn toml_err(text: &str) -> Error {
    match Policy::from_toml_str(text) {
        Ok(_) => panic!("policy loaded but should not:\n{text}"),
        Err(e) => e,
    }
}

fn json_err(text: &str) -> Error {
    match Policy::from_json_str(text) {
        Ok(_) => panic!("policy loaded but should not:\n{text}"),
        Err(e) => e,
    }
}

fn line(e: &Error) -> Option<usize> {
    e.location().map(|l| l.line())
}

fn item_id(e: &Error) -> Option<&str> {
    e.item().and_then(|i| i.id())
}

fn item_index(e: &Error) -> Option<usize> {
    e.item().and_then(|i| i.index())
}

#[test]
fn misspelt_field_is_an_error_naming_rule_and_field() {
    let e = toml_err(
        r#"version = 1

[[rule]]
id = "ok-0001"
action = "warn"
domain = "a.example"

[[rule]]
id = "fraud-0001"
acton = "block"
domain = "evil.example"
"#,
    );
    assert_eq!(e.kind(), ErrorKind::UnknownField);
    assert_eq!(item_id(&e), Some("fraud-0001"));
    assert_eq!(item_index(&e), Some(1));
    assert_eq!(e.field(), Some("acton"));
    assert_eq!(line(&e), Some(10));
    let msg = e.to_string();
    assert!(
        msg.starts_with("rule `fraud-0001` (#1): `acton`: unknown field `acton`"),
        "{msg}"
    );
    assert!(msg.contains("line 10"), "{msg}");
}

#[test]
fn unknown_top_level_section() {
    let e = toml_err("version = 1\n[defualts]\none_to_one = \"warn\"\n");
    assert_eq!(e.kind(), ErrorKind::UnknownField);
    assert_eq!(e.field(), Some("defualts"));
    assert_eq!(line(&e), Some(2));
}

#[test]
fn unknown_field_in_defaults() {
    let e = toml_err("version = 1\n[defaults]\none_to_on = \"warn\"\n");
    assert_eq!(e.kind(), ErrorKind::UnknownField);
    assert_eq!(e.item().map(|i| i.section()), Some("defaults"));
    assert_eq!(e.field(), Some("one_to_on"));
    assert_eq!(line(&e), Some(3));
}

#[test]
fn missing_version() {
    let e = toml_err("[defaults]\none_to_one = \"warn\"\n");
    assert_eq!(e.kind(), ErrorKind::MissingField);
    assert_eq!(e.field(), Some("version"));
}

#[test]
fn missing_rule_id() {
    let e = toml_err("version = 1\n[[rule]]\naction = \"block\"\ndomain = \"a.example\"\n");
    assert_eq!(e.kind(), ErrorKind::MissingField);
    assert_eq!(item_index(&e), Some(0));
    assert_eq!(e.field(), Some("id"));
}

#[test]
fn missing_rule_action() {
    let e = toml_err("version = 1\n[[rule]]\nid = \"r1\"\ndomain = \"a.example\"\n");
    assert_eq!(e.kind(), ErrorKind::MissingField);
    assert_eq!(item_id(&e), Some("r1"));
    assert_eq!(e.field(), Some("action"));
}

#[test]
fn invalid_action_value() {
    let e =
        toml_err("version = 1\n[[rule]]\nid = \"r1\"\naction = \"deny\"\ndomain = \"a.example\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert_eq!(item_id(&e), Some("r1"));
    assert_eq!(e.field(), Some("action"));
    assert_eq!(line(&e), Some(4));
}

#[test]
fn invalid_category_value() {
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"r1\"\naction = \"block\"\ncategory = \"spam\"\ndomain = \"a.example\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert_eq!(e.field(), Some("category"));
}

#[test]
fn wrong_type() {
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"r1\"\naction = \"block\"\nhard = \"yes\"\ndomain = \"a.example\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert_eq!(e.field(), Some("hard"));
    assert_eq!(line(&e), Some(5));
}

#[test]
fn syntax_error_has_location() {
    let e = toml_err("version = 1\n[[rule]\nid = \"x\"\n");
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert_eq!(line(&e), Some(2));
}

#[test]
fn unsupported_version() {
    let e = toml_err("version = 3\n");
    assert_eq!(e.kind(), ErrorKind::UnsupportedVersion);
    assert!(
        e.to_string().contains("version `3` is not supported"),
        "{e}"
    );
}

#[test]
fn duplicate_rule_ids_point_at_both() {
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"dup\"\naction = \"block\"\ndomain = \"a.example\"\n[[rule]]\nid = \"dup\"\naction = \"warn\"\ndomain = \"b.example\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::Duplicate);
    assert_eq!(item_id(&e), Some("dup"));
    assert_eq!(item_index(&e), Some(1));
    assert!(e.message().contains("rule #0"), "{e}");
    assert_eq!(line(&e), Some(7));
}

#[test]
fn undefined_tier() {
    let e = toml_err(
        "version = 1\n[tiers.A]\none_to_one = \"allow\"\n[[platform]]\nid = \"jd\"\ndomains = [\"jd.com\"]\ntier = \"Z\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::UndefinedTier);
    assert_eq!(e.item().map(|i| i.section()), Some("platform"));
    assert_eq!(item_id(&e), Some("jd"));
    assert_eq!(e.field(), Some("tier"));
    assert_eq!(line(&e), Some(7));
}

#[test]
fn invalid_domains() {
    for bad in [
        "ex ample.com",
        "*.evil.example",
        "a..b",
        "",
        ".",
        "evil.example/path",
        "1.2.3.4",
    ] {
        let e = toml_err(&format!(
            "version = 1\n[[rule]]\nid = \"d\"\naction = \"block\"\ndomain = \"{bad}\"\n"
        ));
        assert_eq!(e.kind(), ErrorKind::InvalidDomain, "{bad}: {e}");
        assert_eq!(e.field(), Some("domain"), "{bad}");
        assert_eq!(line(&e), Some(5), "{bad}");
    }
}

#[test]
fn invalid_platform_domain() {
    let e =
        toml_err("version = 1\n[[platform]]\nid = \"p\"\ndomains = [\"ok.example\", \"not ok\"]\n");
    assert_eq!(e.kind(), ErrorKind::InvalidDomain);
    assert_eq!(item_id(&e), Some("p"));
    assert_eq!(e.field(), Some("domains"));
}

#[test]
fn platform_domain_claimed_twice() {
    let e = toml_err(
        "version = 1\n[[platform]]\nid = \"a\"\ndomains = [\"x.example\"]\n[[platform]]\nid = \"b\"\ndomains = [\"X.example.\"]\n",
    );
    assert_eq!(e.kind(), ErrorKind::Duplicate);
    assert_eq!(item_id(&e), Some("b"));
}

#[test]
fn bad_regex() {
    let e =
        toml_err("version = 1\n[[rule]]\nid = \"re\"\naction = \"block\"\nregex = \"(unclosed\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidRegex);
    assert_eq!(item_id(&e), Some("re"));
    assert_eq!(e.field(), Some("regex"));
    assert_eq!(line(&e), Some(5));
    assert!(!e.to_string().contains('\n'), "one line: {e}");
}

#[test]
fn bad_scheme_and_url_prefix() {
    let e = toml_err("version = 1\n[[rule]]\nid = \"s\"\naction = \"block\"\nscheme = \"1http\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidScheme);
    for bad in [
        "example.com/path",
        "https://exa mple.com/",
        "javascript:alert(1)",
        "https://u:p@example.com/",
    ] {
        let e = toml_err(&format!(
            "version = 1\n[[rule]]\nid = \"p\"\naction = \"block\"\nurl_prefix = \"{bad}\"\n"
        ));
        assert_eq!(e.kind(), ErrorKind::InvalidUrlPrefix, "{bad}: {e}");
    }
}

#[test]
fn exactly_one_matcher() {
    let e = toml_err("version = 1\n[[rule]]\nid = \"none\"\naction = \"block\"\n");
    assert_eq!(e.kind(), ErrorKind::Matcher);
    assert_eq!(item_id(&e), Some("none"));
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"two\"\naction = \"block\"\ndomain = \"a.example\"\nhost = \"b.example\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::Matcher);
    assert_eq!(e.field(), Some("host"));
    assert_eq!(line(&e), Some(6));
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = toml_err(
        r#"version = 1
[[rule]]
id = "a"
action = "block"
domain = "bad domain"
[[rule]]
id = "b"
action = "block"
regex = "("
[[rule]]
id = "a"
action = "block"
domain = "fine.example"
[[platform]]
id = "p"
domains = ["p.example"]
tier = "nope"
"#,
    );
    let kinds: Vec<ErrorKind> = e.errors().map(Error::kind).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::InvalidDomain,
            ErrorKind::InvalidRegex,
            ErrorKind::Duplicate,
            ErrorKind::UndefinedTier
        ]
    );
    // In the order of the file.
    let lines: Vec<usize> = e.errors().filter_map(line).collect();
    assert_eq!(lines, [5, 9, 11, 17]);
    assert!(e.errors().all(|x| !x.to_string().contains("more error")));
    assert_eq!(e.len(), 4);
    assert!(e.errors().all(|x| x.location().is_some()), "{e:?}");
    assert!(e.to_string().ends_with("(and 3 more errors)"), "{e}");
}

#[test]
fn bad_rollout_and_complaints() {
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"a.example\"\nrollout = { percent = 101 }\n",
    );
    assert_eq!(e.kind(), ErrorKind::InvalidValue);
    assert_eq!(e.field(), Some("rollout.percent"));
    let e = toml_err(
        "version = 1\n[[complaint]]\ndomain = \"www.spam.example\"\ncategory = \"fraud\"\ncount = 3\n",
    );
    assert_eq!(e.kind(), ErrorKind::InvalidDomain);
    assert!(e.message().contains("did you mean `spam.example`"), "{e}");
}

#[test]
fn json_unknown_field_names_rule_and_field_with_location() {
    let e = json_err(
        "{\"version\": 1,\n \"rule\": [\n  {\"id\": \"r0\", \"action\": \"warn\", \"domain\": \"a.example\"},\n  {\"id\": \"fraud-0001\", \"acton\": \"block\", \"domain\": \"evil.example\"}\n ]\n}",
    );
    assert_eq!(e.kind(), ErrorKind::UnknownField);
    assert_eq!(item_id(&e), Some("fraud-0001"));
    assert_eq!(item_index(&e), Some(1));
    assert_eq!(e.field(), Some("acton"));
    assert_eq!(line(&e), Some(4));
}

#[test]
fn json_syntax_error() {
    let e = json_err("{\"version\": 1,\n");
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert_eq!(line(&e), Some(2));
    let e = json_err("{\"version\": 1} trailing");
    assert_eq!(e.kind(), ErrorKind::Syntax);
}

#[test]
fn json_build_errors_name_rule() {
    let e = json_err(r#"{"version": 1, "rule": [{"id": "x", "action": "block", "regex": "("}]}"#);
    assert_eq!(e.kind(), ErrorKind::InvalidRegex);
    assert_eq!(item_id(&e), Some("x"));
    assert_eq!(e.field(), Some("regex"));
}

#[test]
fn json_and_toml_load_the_same_model() {
    let toml = Policy::from_toml_str(linkpolicy::SAMPLE_POLICY).unwrap();
    let value: toml::Value = toml::from_str(linkpolicy::SAMPLE_POLICY).unwrap();
    let json = Policy::from_json_str(&serde_json::to_string(&value).unwrap()).unwrap();
    let ctx = linkpolicy::Context::group(200)
        .with_user("alice")
        .with_now(1_635_724_800);
    for link in include_str!("../examples/links.txt")
        .lines()
        .filter(|l| !l.starts_with('{'))
    {
        assert_eq!(
            toml.classify(link, &ctx),
            json.classify(link, &ctx),
            "{link}"
        );
    }
}

// ---------------------------------------------------------------------------
// Limits for untrusted policies (issue #5).

fn limits() -> linkpolicy::SizeLimits {
    linkpolicy::SizeLimits::default()
}

fn rules_toml(n: usize) -> String {
    let mut s = String::from("version = 1\n");
    for i in 0..n {
        s.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\naction = \"block\"\ndomain = \"d{i}.example\"\n"
        ));
    }
    s
}

#[test]
fn limit_on_rule_count() {
    let mut l = limits();
    l.max_rules = 3;
    assert!(Policy::from_toml_str_with_limits(&rules_toml(3), &l).is_ok());
    let e = Policy::from_toml_str_with_limits(&rules_toml(4), &l).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert_eq!(e.item().map(|i| i.section()), Some("rule"));
    assert!(e.message().contains("`max_rules` (3)"), "{e}");
}

#[test]
fn limit_on_platforms_and_their_domains() {
    let mut l = limits();
    l.max_platform_domains = 2;
    let text = "version = 1\n[[platform]]\nid = \"a\"\ndomains = [\"a.example\", \"b.example\"]\n[[platform]]\nid = \"b\"\ndomains = [\"c.example\"]\n";
    let e = Policy::from_toml_str_with_limits(text, &l).unwrap_err();
    assert!(e.message().contains("max_platform_domains"), "{e}");
    let mut l = limits();
    l.max_platforms = 1;
    let e = Policy::from_toml_str_with_limits(text, &l).unwrap_err();
    assert!(e.message().contains("max_platforms"), "{e}");
}

#[test]
fn limit_on_complaint_rows() {
    let mut l = limits();
    l.max_complaints = 1;
    let text = "version = 1\n[[complaint]]\ndomain = \"a.example\"\ncategory = \"fraud\"\ncount = 1\n[[complaint]]\ndomain = \"b.example\"\ncategory = \"fraud\"\ncount = 1\n";
    let e = Policy::from_json_str_with_limits(
        &serde_json::to_string(&toml::from_str::<toml::Value>(text).unwrap()).unwrap(),
        &l,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert!(e.message().contains("max_complaints"), "{e}");
}

#[test]
fn limit_on_pattern_length_names_the_rule() {
    let mut l = limits();
    l.max_pattern_len = 20;
    let text = "version = 1\n[[rule]]\nid = \"long\"\naction = \"block\"\nregex = \"aaaaaaaaaaaaaaaaaaaaaaaaa\"\n";
    let e = Policy::from_toml_str_with_limits(text, &l).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert_eq!(item_id(&e), Some("long"));
    assert_eq!(e.field(), Some("regex"));
    assert_eq!(line(&e), Some(5));
    // A domain longer than DNS allows is simply not a valid domain.
    let long = format!("{}.example", "a.".repeat(200));
    let e = toml_err(&format!(
        "version = 1\n[[rule]]\nid = \"d\"\naction = \"block\"\ndomain = \"{long}\"\n"
    ));
    assert_eq!(e.kind(), ErrorKind::InvalidDomain);
}

#[test]
fn limit_on_compiled_regex_size() {
    let mut l = limits();
    l.max_regex_size = 10_000;
    let text = "version = 1\n[[rule]]\nid = \"big\"\naction = \"block\"\nregex = '\\w{1000}'\n";
    let e = Policy::from_toml_str_with_limits(text, &l).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert_eq!(item_id(&e), Some("big"));
    assert!(e.message().contains("max_regex_size"), "{e}");
    // The default limit still refuses a regex that would take hundreds of MiB.
    let e = toml_err(
        "version = 1\n[[rule]]\nid = \"huge\"\naction = \"block\"\nregex = '\\w{1000}\\w{1000}\\w{1000}'\n",
    );
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
}

#[test]
fn limit_on_nesting_and_text_size() {
    let deep_toml = format!("version = 1\nx = {}{}\n", "[".repeat(40), "]".repeat(40));
    let e = toml_err(&deep_toml);
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert!(e.message().contains("max_nesting"), "{e}");
    assert_eq!(line(&e), Some(2));
    let deep_json = format!(
        "{{\"version\": 1, \"x\": {}{}}}",
        "[".repeat(40),
        "]".repeat(40)
    );
    assert_eq!(json_err(&deep_json).kind(), ErrorKind::LimitExceeded);
    let mut l = limits();
    l.max_policy_bytes = 10;
    let e = Policy::from_toml_str_with_limits("version = 1\n\n\n", &l).unwrap_err();
    assert!(e.message().contains("max_policy_bytes"), "{e}");
}

/// With the default `regex-unicode-all` feature, a regex rule may name the rare
/// Unicode properties (age, segmentation) that the WebAssembly package leaves out.
#[cfg(feature = "regex-unicode-all")]
#[test]
fn rare_unicode_properties_compile_with_the_default_features() {
    for class in [
        r"\p{Age=6.0}",
        r"\p{Word_Break=ALetter}",
        r"\p{Sentence_Break=Upper}",
    ] {
        let toml = format!(
            "version = 1\n[[rule]]\nid = \"r\"\naction = \"block\"\nregex = '^https://[^/]*{class}'\n"
        );
        let p = linkpolicy::Policy::from_toml_str(&toml).unwrap_or_else(|e| panic!("{class}: {e}"));
        assert_eq!(p.rule_count(), 1);
    }
}
