//! Adversarial links, data-driven: `tests/data/adversarial/corpus.toml`, evaluated
//! under `tests/data/adversarial/policy.toml` (contract sections 4 and 5).
//!
//! Every case says what the verdict must be (action, hardness, reasons it must
//! contain, the destination) and which host a browser would open. That host is not
//! only taken on trust: for every link the test reads it again the way the crate
//! documents (trim, `http://` for a link without a scheme, then the WHATWG URL
//! standard through `url::Url::parse`, the host without trailing dots) and checks
//! the verdict's host and the corpus's against it, so the hand-written answer and
//! the crate are both checked against the standard's reading.
//!
//! Every failing case is reported at once, by name.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use linkpolicy::{Action, Context, Policy, Reason, Verdict};
use serde::Deserialize;
use url::Url;

const POLICY: &str = include_str!("data/adversarial/policy.toml");
const CORPUS: &str = include_str!("data/adversarial/corpus.toml");

/// The corpus must not shrink below this many cases.
const MIN_CASES: usize = 570;

/// The categories (the part of a case's name before the first `/`), and how many
/// cases each must have at least.
const CATEGORIES: [(&str, usize); 29] = [
    ("backslash", 8),
    ("tabnl", 8),
    ("pct-host", 10),
    ("bracket", 10),
    ("ipv4", 20),
    ("ipv6", 12),
    ("fullwidth", 10),
    ("case", 8),
    ("idn", 10),
    ("invisible", 12),
    ("userinfo", 12),
    ("port", 8),
    ("trailing-dot", 8),
    ("long", 8),
    ("scheme-case", 8),
    ("unsafe", 20),
    ("wrapper", 20),
    ("schemeless", 12),
    ("app", 10),
    ("lookalike", 15),
    ("idn-ok", 10),
    ("trim", 6),
    // Issue #13: ways around a rule, with controls.
    ("repeat-param", 25),
    ("intent", 22),
    ("pct-unreserved", 24),
    ("prefix-scheme", 10),
    ("ipv6-embedded", 18),
    ("dotted-scheme", 8),
    // A `mailto:` link is judged by every domain it writes to.
    ("mailto", 8),
];

/// The schemes whose URLs have a host (README, "How a link is read", step 4).
const HOST_SCHEMES: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

/// One adversarial link and what it must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    link: String,
    /// The host a browser opens, ASCII; empty when the link has none.
    #[serde(default)]
    host: String,
    action: Action,
    /// Reason kinds the verdict must contain; `rule:<id>` and `lookalike:<domain>`
    /// name the rule and the imitated domain too.
    #[serde(default)]
    reasons: Vec<String>,
    hard: Option<bool>,
    destination: Option<String>,
}

impl Case {
    fn category(&self) -> &str {
        self.name.split_once('/').map_or("", |(c, _)| c)
    }

    fn host(&self) -> Option<&str> {
        Some(self.host.as_str()).filter(|h| !h.is_empty())
    }
}

static CASES: LazyLock<Vec<Case>> = LazyLock::new(|| match toml::from_str::<Corpus>(CORPUS) {
    Ok(c) => c.case,
    Err(e) => panic!("tests/data/adversarial/corpus.toml: {e}"),
});

static POLICY_LOADED: LazyLock<Policy> = LazyLock::new(|| match Policy::from_toml_str(POLICY) {
    Ok(p) => p,
    Err(e) => panic!("tests/data/adversarial/policy.toml must load: {e}"),
});

/// The policy's `max_link_len`, read from the file itself.
fn max_link_len() -> usize {
    let value: toml::Value = match toml::from_str(POLICY) {
        Ok(v) => v,
        Err(e) => panic!("tests/data/adversarial/policy.toml: {e}"),
    };
    value
        .get("limits")
        .and_then(|l| l.get("max_link_len"))
        .and_then(toml::Value::as_integer)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(8192)
}

/// How the WHATWG URL standard reads a link, after the crate's own steps.
#[derive(Debug, PartialEq)]
enum Reading {
    /// Longer than `max_link_len` after trimming: refused before it is read.
    TooLong,
    /// What `url::Url::parse` makes of it: the host as matched, or `None` when the
    /// link does not parse or its scheme has no host.
    Parsed(Option<String>),
}

/// The host a browser opens, by the README's "How a link is read": surrounding
/// white space and control characters trimmed, `http://` put in front of a link
/// without a scheme, parsed with the URL standard, the host without trailing dots
/// for the schemes that have hosts.
fn whatwg_reading(link: &str, max_len: usize) -> Reading {
    let trimmed = link.trim_matches(|c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
    });
    if trimmed.len() > max_len {
        return Reading::TooLong;
    }
    // The URL standard removes ASCII tabs and newlines anywhere, so they do not
    // hide a scheme either.
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let input = if has_scheme(&cleaned) {
        cleaned
    } else {
        format!("http://{cleaned}")
    };
    let Ok(url) = Url::parse(&input) else {
        return Reading::Parsed(None);
    };
    if !HOST_SCHEMES.contains(&url.scheme()) {
        return Reading::Parsed(None);
    }
    Reading::Parsed(
        url.host_str()
            .map(|h| h.trim_end_matches('.'))
            .filter(|h| !h.is_empty())
            .map(str::to_owned),
    )
}

/// Whether a link starts with a scheme: a valid scheme name before the first `:`,
/// with a dot only when `://` follows (`jd.com:8080/x` starts with a host,
/// `com.taobao.taobao://item` with a scheme, contract 4.2).
fn has_scheme(link: &str) -> bool {
    let Some((head, rest)) = link.split_once(':') else {
        return false;
    };
    let mut chars = head.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        && (!head.contains('.') || rest.starts_with("//"))
}

/// Whether the verdict has the expected reason: a kind, `rule:<id>` or
/// `lookalike:<domain>`.
fn has_reason(v: &Verdict, expected: &str) -> bool {
    v.reasons().any(|r| match (expected.split_once(':'), r) {
        (Some(("rule", id)), Reason::Rule { rule, .. }) => rule.as_str() == id,
        (Some(("lookalike", of_expected)), Reason::Lookalike { of }) => of == of_expected,
        (Some(_), _) => false,
        (None, r) => r.kind() == expected,
    })
}

fn describe(v: &Verdict) -> String {
    let reasons: Vec<String> = v
        .reasons()
        .map(|r| match r {
            Reason::Rule { rule, .. } => format!("rule:{}", rule.as_str()),
            Reason::Lookalike { of } => format!("lookalike:{of}"),
            other => other.kind().to_owned(),
        })
        .collect();
    format!(
        "{:?}{} [{}] host {:?} url {:?} destination {:?}",
        v.action(),
        if v.is_hard() { " hard" } else { "" },
        reasons.join(", "),
        v.host(),
        v.url(),
        v.destination()
    )
}

/// What is wrong with one case, if anything.
fn check(case: &Case, max_len: usize) -> Option<String> {
    let v = POLICY_LOADED.classify(&case.link, &Context::one_to_one());
    let mut problems = Vec::new();
    if v.action() != case.action {
        problems.push(format!(
            "action {:?}, expected {:?}",
            v.action(),
            case.action
        ));
    }
    if let Some(hard) = case.hard {
        if v.is_hard() != hard {
            problems.push(format!("hard {}, expected {hard}", v.is_hard()));
        }
    }
    for r in &case.reasons {
        if !has_reason(&v, r) {
            problems.push(format!("no reason {r}"));
        }
    }
    if let Some(dest) = &case.destination {
        if v.destination() != Some(dest.as_str()) {
            problems.push(format!(
                "destination {:?}, expected {dest:?}",
                v.destination()
            ));
        }
    }
    if v.host() != case.host() {
        problems.push(format!(
            "host {:?}, the corpus says {:?}",
            v.host(),
            case.host()
        ));
    }
    match whatwg_reading(&case.link, max_len) {
        Reading::TooLong => {
            if case.host().is_some() {
                problems.push("too long to be read, yet the corpus names a host".to_owned());
            }
        }
        Reading::Parsed(standard) => {
            let standard = standard.as_deref();
            if v.host() != standard {
                problems.push(format!(
                    "host {:?}, the URL standard's is {standard:?}",
                    v.host()
                ));
            }
            if case.host() != standard {
                problems.push(format!(
                    "the corpus says host {:?}, the URL standard's is {standard:?}",
                    case.host()
                ));
            }
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{} ({:?}): {}\n      verdict: {}",
            case.name,
            case.link,
            problems.join("; "),
            describe(&v)
        )
    })
}

#[test]
fn corpus_is_large_unique_and_categorized() {
    let cases = &*CASES;
    assert!(
        cases.len() >= MIN_CASES,
        "{} cases, at least {MIN_CASES} expected",
        cases.len()
    );
    let mut seen = BTreeSet::new();
    let duplicates: Vec<&str> = cases
        .iter()
        .filter(|c| !seen.insert(c.name.as_str()))
        .map(|c| c.name.as_str())
        .collect();
    assert!(duplicates.is_empty(), "names used twice: {duplicates:?}");
    let known: BTreeMap<&str, usize> = CATEGORIES.into_iter().collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for c in cases {
        *counts.entry(c.category()).or_default() += 1;
    }
    let unknown: Vec<&str> = counts
        .keys()
        .copied()
        .filter(|k| !known.contains_key(k))
        .collect();
    assert!(
        unknown.is_empty(),
        "cases in categories not listed in CATEGORIES: {unknown:?}"
    );
    let thin: Vec<String> = known
        .iter()
        .filter(|(k, min)| counts.get(*k).copied().unwrap_or(0) < **min)
        .map(|(k, min)| format!("{k}: {} < {min}", counts.get(k).copied().unwrap_or(0)))
        .collect();
    assert!(thin.is_empty(), "categories with too few cases: {thin:?}");
}

#[test]
fn corpus_hosts_are_ascii_lowercase() {
    let bad: Vec<&str> = CASES
        .iter()
        .filter(|c| {
            !c.host.is_ascii()
                || c.host.chars().any(|ch| ch.is_ascii_uppercase())
                || c.host.ends_with('.')
        })
        .map(|c| c.name.as_str())
        .collect();
    assert!(
        bad.is_empty(),
        "hosts not ASCII, lowercase, without a trailing dot: {bad:?}"
    );
}

#[test]
fn every_adversarial_link_is_read_as_a_browser_reads_it() {
    let max_len = max_link_len();
    let failures: Vec<String> = CASES.iter().filter_map(|c| check(c, max_len)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} adversarial cases fail (tests/data/adversarial/corpus.toml):\n  {}",
        failures.len(),
        CASES.len(),
        failures.join("\n  ")
    );
}

/// Contract 4.6: the normalized URL means the same host when it is read again.
#[test]
fn normalized_urls_keep_their_host() {
    let ctx = Context::one_to_one();
    let max_len = max_link_len();
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|c| {
            let v = POLICY_LOADED.classify(&c.link, &ctx);
            // Percent-encoding can make the URL longer than the limit the link met.
            let url = v.url().filter(|u| u.len() <= max_len)?;
            let again = POLICY_LOADED.classify(url, &ctx);
            (again.host() != v.host() || again.url() != Some(url)).then(|| {
                format!(
                    "{} ({:?}): url {url:?} with host {:?} reads again as {:?} with host {:?}",
                    c.name,
                    c.link,
                    v.host(),
                    again.url(),
                    again.host()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} normalized URLs change when read again:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
