//! Links in chat messages, `Policy::scan` (issue #8).
//!
//! - The Twitter text conformance suite's URL extraction cases
//!   (`tests/data/scan/twitter_extract_urls.yml`: the `urls`, `urls_with_indices`,
//!   `urls_with_directional_markers` and `tco_urls_with_params` sections of
//!   twitter-text's `extract.yml`), less the cases listed with their reasons in
//!   `tests/data/scan/twitter_out_of_scope.txt`; the list is asserted exact.
//! - Hand-written messages in Chinese, Japanese and Korean, with full-width punctuation
//!   and emoji (`tests/data/scan/cjk_messages.toml`).
//! - Properties on arbitrary text: spans in order, on character boundaries, each
//!   with the verdict `classify` gives its text.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use linkpolicy::{Action, Context, FoundLink, LinkKind, Policy, Reason, SAMPLE_POLICY};
use proptest::prelude::*;
use serde::Deserialize;

const TWITTER: &str = include_str!("data/scan/twitter_extract_urls.yml");
const TWITTER_OUT_OF_SCOPE: &str = include_str!("data/scan/twitter_out_of_scope.txt");
const CJK: &str = include_str!("data/scan/cjk_messages.toml");
const ISSUE_16: &str = include_str!("data/scan/issue16.toml");
const LINKIFY_IT_LINKS: &str = include_str!("data/scan/linkify-it/links.txt");
const LINKIFY_IT_NOT_LINKS: &str = include_str!("data/scan/linkify-it/not_links.txt");
const LINKIFY_IT_DIFFERENCES: &str = include_str!("data/scan/linkify_it_differences.txt");
const GFM_SPEC: &str = include_str!("data/scan/gfm/spec_autolinks_extension.txt");
const GFM_EXTENSIONS: &str = include_str!("data/scan/gfm/extensions_autolinks.txt");
const GFM_DIFFERENCES: &str = include_str!("data/scan/gfm_differences.txt");

/// The sample policy, built once for all the tests of this module.
static SAMPLE: LazyLock<Policy> = LazyLock::new(|| Policy::from_toml_str(SAMPLE_POLICY).unwrap());

fn sample_policy() -> Policy {
    SAMPLE.clone()
}

/// The link a found link's verdict is about: its text, or `mailto:` and the text
/// for a bare e-mail address.
fn classified_text(link: &FoundLink) -> String {
    if link.kind() == LinkKind::Email && !link.text.to_ascii_lowercase().starts_with("mailto:") {
        format!("mailto:{}", link.text)
    } else {
        link.text.clone()
    }
}

/// The length of a text in UTF-16 code units.
fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Checks what every scan must give, whatever the message: spans on character
/// boundaries, in order and not overlapping, whose text is the message's, UTF-16
/// offsets that slice the same text out of the message's UTF-16 form, each with
/// the verdict `classify` gives its text.
pub(crate) fn assert_well_formed(
    policy: &Policy,
    message: &str,
    ctx: &Context,
    found: &[FoundLink],
) {
    let mut previous_end = 0;
    for link in found {
        assert!(
            link.start >= previous_end && link.start < link.end,
            "{message:?}: span {}..{} after {previous_end}",
            link.start,
            link.end
        );
        previous_end = link.end;
        assert_eq!(
            message.get(link.range()),
            Some(link.text.as_str()),
            "{message:?}: span {}..{}",
            link.start,
            link.end
        );
        assert_eq!(
            link.range16(),
            utf16_len(&message[..link.start])..utf16_len(&message[..link.end]),
            "{message:?}: UTF-16 span of {}",
            link.text
        );
        assert_eq!(
            link.verdict,
            policy.classify(&classified_text(link), ctx),
            "{message:?}: verdict of {}",
            link.text
        );
    }
}

// --- Twitter text conformance ---------------------------------------------------------

/// One case of the Twitter suite.
#[derive(Debug)]
struct TwitterCase {
    section: String,
    description: String,
    text: String,
    /// The expected URLs, with their indices (in characters) when the section has them.
    expected: Vec<(String, Option<[usize; 2]>)>,
}

/// Reads the vendored `extract.yml` subset. It uses a small part of YAML, which this
/// reader handles and nothing else: `tests:`, a two-space-indented section name, then
/// list items `- description: "..."` with `text: "..."` and `expected:` either as a
/// flow list of strings or as block items `- url: "..."` / `indices: [a, b]`; double
/// quoted strings with backslash escapes; `#` comment lines.
fn twitter_cases() -> Vec<TwitterCase> {
    let mut cases: Vec<TwitterCase> = Vec::new();
    let mut section = String::new();
    for (n, line) in TWITTER.lines().enumerate() {
        let n = n + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || line == "tests:" {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let item = trimmed.strip_prefix("- ");
        let (key, value) = item
            .unwrap_or(trimmed)
            .split_once(':')
            .unwrap_or_else(|| panic!("line {n}: no key: {line}"));
        let value = value.trim();
        match (indent, key) {
            (2, _) if value.is_empty() => key.clone_into(&mut section),
            (4, "description") => cases.push(TwitterCase {
                section: section.clone(),
                description: yaml_string(value, n),
                text: String::new(),
                expected: Vec::new(),
            }),
            (6, "text") => cases.last_mut().unwrap().text = yaml_string(value, n),
            (6, "expected") if value.is_empty() => {}
            (6, "expected") => {
                cases.last_mut().unwrap().expected = yaml_flow_list(value, n)
                    .into_iter()
                    .map(|url| (url, None))
                    .collect();
            }
            (8, "url") if item.is_some() => cases
                .last_mut()
                .unwrap()
                .expected
                .push((yaml_string(value, n), None)),
            (10, "indices") => {
                let numbers: Vec<usize> = value
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|x| x.trim().parse().unwrap())
                    .collect();
                let last = cases.last_mut().unwrap().expected.last_mut().unwrap();
                last.1 = Some([numbers[0], numbers[1]]);
            }
            _ => panic!("line {n}: not understood: {line}"),
        }
    }
    cases
}

/// A double-quoted YAML string, the whole of `value`.
fn yaml_string(value: &str, line: usize) -> String {
    let (s, rest) = yaml_string_prefix(value, line);
    assert!(
        rest.trim().is_empty(),
        "line {line}: after the string: {rest}"
    );
    s
}

/// A double-quoted YAML string at the start of `value`, and what follows it.
fn yaml_string_prefix(value: &str, line: usize) -> (String, &str) {
    let body = value
        .strip_prefix('"')
        .unwrap_or_else(|| panic!("line {line}: not a double-quoted string: {value}"));
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &body[i + 1..]),
            '\\' => {
                let (_, e) = chars.next().unwrap();
                let hex = |chars: &mut std::str::CharIndices<'_>, n: usize| {
                    let digits: String = chars.by_ref().take(n).map(|(_, c)| c).collect();
                    char::from_u32(u32::from_str_radix(&digits, 16).unwrap()).unwrap()
                };
                out.push(match e {
                    'n' => '\n',
                    't' => '\t',
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'x' => hex(&mut chars, 2),
                    'u' => hex(&mut chars, 4),
                    'U' => hex(&mut chars, 8),
                    other => panic!("line {line}: unknown escape \\{other}"),
                });
            }
            c => out.push(c),
        }
    }
    panic!("line {line}: unterminated string");
}

/// A YAML flow list of double-quoted strings: `["a", "b"]` or `[]`.
fn yaml_flow_list(value: &str, line: usize) -> Vec<String> {
    let mut rest = value
        .strip_prefix('[')
        .unwrap_or_else(|| panic!("line {line}: not a list: {value}"))
        .trim_start();
    let mut items = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(']') {
            assert!(after.trim().is_empty(), "line {line}: after the list");
            return items;
        }
        let (item, after) = yaml_string_prefix(rest, line);
        items.push(item);
        rest = after.trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
}

/// A character index (what twitter-text's indices count) from a byte offset.
fn char_index(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// What the crate finds in a Twitter case, in the case's form: texts, and indices in
/// characters when the case has indices.
fn twitter_actual(policy: &Policy, case: &TwitterCase) -> Vec<(String, Option<[usize; 2]>)> {
    let ctx = Context::one_to_one();
    let found = policy.scan(&case.text, &ctx);
    assert_well_formed(policy, &case.text, &ctx, &found);
    let with_indices = case.expected.iter().any(|(_, i)| i.is_some());
    // Twitter extracts URLs; e-mail addresses are links of their own kind here.
    found
        .into_iter()
        .filter(|l| l.kind() != LinkKind::Email)
        .map(|l| {
            let indices = with_indices.then(|| {
                [
                    char_index(&case.text, l.start),
                    char_index(&case.text, l.end),
                ]
            });
            (l.text, indices)
        })
        .collect()
}

/// The out-of-scope list: (section, description) → (what the crate finds, why).
fn twitter_out_of_scope() -> BTreeMap<(String, String), (Vec<String>, String)> {
    let mut list = BTreeMap::new();
    for line in TWITTER_OUT_OF_SCOPE.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [section, description, found, why] = fields[..] else {
            panic!("not four tab-separated fields: {line}");
        };
        let found: Vec<String> = serde_json::from_str(found)
            .unwrap_or_else(|e| panic!("the found links are not a JSON list ({e}): {line}"));
        assert!(!why.trim().is_empty(), "no reason: {line}");
        let key = (section.to_owned(), description.to_owned());
        assert!(
            list.insert(key, (found, why.to_owned())).is_none(),
            "listed twice: {line}"
        );
    }
    list
}

#[test]
fn twitter_vendored_cases_are_all_read() {
    let cases = twitter_cases();
    let count = |section: &str| cases.iter().filter(|c| c.section == section).count();
    assert_eq!(count("urls"), 91);
    assert_eq!(count("urls_with_indices"), 10);
    assert_eq!(count("urls_with_directional_markers"), 2);
    assert_eq!(count("tco_urls_with_params"), 5);
    for case in &cases {
        assert!(!case.text.is_empty(), "{}: no text", case.description);
        // Indices are in characters here; in UTF-16 units they would be the same,
        // as no text of a case with indices has a character outside the BMP.
        if case.expected.iter().any(|(_, i)| i.is_some()) {
            assert!(
                case.text.chars().all(|c| c.len_utf16() == 1),
                "{}",
                case.description
            );
        }
    }
    let with_indices = cases
        .iter()
        .find(|c| c.description == "Extract a URL from a Japanese tweet")
        .unwrap();
    assert_eq!(
        with_indices.expected,
        [("http://google.com".to_owned(), Some([11, 28]))]
    );
    let escaped = cases
        .iter()
        .find(|c| c.description == "Extract URLs from RTL text")
        .unwrap();
    assert!(escaped.text.starts_with("\u{2066}\u{202A}test"));
}

#[test]
fn twitter_conformance_urls() {
    let policy = Policy::from_toml_str("version = 1").unwrap();
    let out_of_scope = twitter_out_of_scope();
    let mut unexpected = Vec::new();
    let mut disagreements = BTreeMap::new();
    let mut passed = 0;
    for case in twitter_cases() {
        let actual = twitter_actual(&policy, &case);
        let key = (case.section.clone(), case.description.clone());
        let texts: Vec<String> = actual.iter().map(|(t, _)| t.clone()).collect();
        if actual == case.expected {
            passed += 1;
            if out_of_scope.contains_key(&key) {
                unexpected.push(format!("listed as different but agrees: {key:?}"));
            }
            continue;
        }
        match out_of_scope.get(&key) {
            Some((listed, _)) if *listed == texts => {}
            listed => unexpected.push(format!(
                "{} / {}\n    text:     {:?}\n    expected: {:?}\n    found:    {:?}\n    listed:   {:?}",
                case.section,
                case.description,
                case.text,
                case.expected,
                actual,
                listed.map(|l| &l.0)
            )),
        }
        disagreements.insert(key, texts);
    }
    assert!(
        unexpected.is_empty(),
        "{} Twitter cases are wrong (fail and are not listed, or are listed with other links):\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    for key in out_of_scope.keys() {
        assert!(
            disagreements.contains_key(key),
            "listed as out of scope but not a case: {key:?}"
        );
    }
    assert_eq!(passed + out_of_scope.len(), 108);
    println!(
        "twitter-text: {passed} agree, {} deliberately different, 0 wrong",
        out_of_scope.len()
    );
    assert!(passed >= 95, "{passed}");
}

// --- Other linkifiers' suites: linkify-it, GitHub Flavored Markdown -----------------

/// A case of another linkifier's suite: an id (file and line or example), the
/// text, and the links expected in it (for linkify-it's `links.txt`, only the
/// first one).
#[derive(Debug)]
struct SuiteCase {
    id: String,
    text: String,
    expected: Vec<String>,
    /// Only the first link found is compared (linkify-it's `match(line)[0]`).
    first_only: bool,
}

/// linkify-it's fixtures, read as its `test/test.mjs` reads them.
fn linkify_it_cases() -> Vec<SuiteCase> {
    let mut cases = Vec::new();
    let strip = |line: &str| {
        if line.starts_with('%') {
            String::new()
        } else {
            line.to_owned()
        }
    };
    let lines: Vec<String> = LINKIFY_IT_LINKS.lines().map(strip).collect();
    let mut skip_next = false;
    for (i, line) in lines.iter().enumerate() {
        if skip_next {
            skip_next = false;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let next = lines.get(i + 1).cloned().unwrap_or_default();
        let expected = if next.trim().is_empty() {
            line.clone()
        } else {
            skip_next = true;
            next
        };
        cases.push(SuiteCase {
            id: format!("links.txt:{}", i + 1),
            text: line.clone(),
            expected: vec![expected],
            first_only: true,
        });
    }
    for (i, line) in LINKIFY_IT_NOT_LINKS.lines().map(strip).enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        cases.push(SuiteCase {
            id: format!("not_links.txt:{}", i + 1),
            text: line,
            expected: Vec::new(),
            first_only: false,
        });
    }
    cases
}

/// The examples of the GFM spec's autolink extension and of cmark-gfm's
/// extension tests: each paragraph of an example is a case, its links the
/// texts of the `<a>` elements of its HTML paragraph. An example whose
/// paragraphs do not pair with its HTML blocks is one case; one whose HTML is
/// `<IGNORE>` (it only must not crash) expects nothing and is checked for that.
fn gfm_cases() -> Vec<SuiteCase> {
    let mut cases = Vec::new();
    for (file, text) in [
        ("spec_autolinks_extension.txt", GFM_SPEC),
        ("extensions_autolinks.txt", GFM_EXTENSIONS),
    ] {
        let fence = "`".repeat(32);
        let mut lines = text.lines().enumerate();
        while let Some((n, line)) = lines.next() {
            if !line.starts_with(&format!("{fence} example")) {
                continue;
            }
            let mut markdown = Vec::new();
            let mut html = Vec::new();
            let mut in_html = false;
            for (_, line) in lines.by_ref() {
                if line == fence {
                    break;
                }
                match (in_html, line) {
                    (false, ".") => in_html = true,
                    (false, _) => markdown.push(line.replace('\u{2192}', "\t")),
                    (true, _) => html.push(line),
                }
            }
            let id = format!("{file}:{}", n + 1);
            let paragraphs: Vec<String> = markdown
                .split(|l| l.trim().is_empty())
                .filter(|p| !p.is_empty())
                .map(|p| p.join("\n"))
                .collect();
            if html == ["<IGNORE>"] {
                cases.push(SuiteCase {
                    id,
                    text: paragraphs.join("\n\n"),
                    expected: Vec::new(),
                    first_only: false,
                });
                continue;
            }
            let paired =
                html.len() == paragraphs.len() && html.iter().all(|h| h.starts_with("<p>"));
            if paired {
                for (i, (p, h)) in paragraphs.iter().zip(&html).enumerate() {
                    cases.push(SuiteCase {
                        id: format!("{id}.{}", i + 1),
                        text: p.clone(),
                        expected: anchor_texts(h),
                        first_only: false,
                    });
                }
            } else {
                cases.push(SuiteCase {
                    id,
                    text: paragraphs.join("\n\n"),
                    expected: html.iter().flat_map(|h| anchor_texts(h)).collect(),
                    first_only: false,
                });
            }
        }
    }
    cases
}

/// The texts of the `<a ...>...</a>` elements of an HTML line, unescaped.
fn anchor_texts(html: &str) -> Vec<String> {
    let mut texts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<a ") {
        let after = &rest[open..];
        let start = after.find('>').unwrap() + 1;
        let end = after.find("</a>").unwrap();
        texts.push(
            after[start..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        );
        rest = &after[end..];
    }
    texts
}

/// A suite's list of deliberate differences: case id → (what the crate finds, why).
/// Lines: id, the links found (a JSON list), why; separated by tabs; `#` comments.
fn differences(list: &str) -> BTreeMap<String, (Vec<String>, String)> {
    let mut map = BTreeMap::new();
    for line in list.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, found, why] = fields[..] else {
            panic!("not three tab-separated fields: {line}");
        };
        let found: Vec<String> = serde_json::from_str(found)
            .unwrap_or_else(|e| panic!("the found links are not a JSON list ({e}): {line}"));
        assert!(!why.trim().is_empty(), "no reason: {line}");
        assert!(
            map.insert(id.to_owned(), (found, why.to_owned())).is_none(),
            "listed twice: {line}"
        );
    }
    map
}

/// Runs a suite against the crate with an empty policy: every case agrees, or is
/// listed as deliberately different with exactly the links the crate finds; the
/// list names only cases that exist and differ. Returns (agreeing, different).
fn check_suite(name: &str, cases: &[SuiteCase], list: &str) -> (usize, usize) {
    let policy = Policy::from_toml_str("version = 1").unwrap();
    let ctx = Context::one_to_one();
    let listed = differences(list);
    let mut wrong = Vec::new();
    let mut agree = 0;
    let mut different = 0;
    for case in cases {
        let found = policy.scan(&case.text, &ctx);
        assert_well_formed(&policy, &case.text, &ctx, &found);
        let mut texts: Vec<String> = found.into_iter().map(|l| l.text).collect();
        if case.first_only {
            texts.truncate(1);
        }
        let entry = listed.get(&case.id);
        if texts == case.expected {
            agree += 1;
            if entry.is_some() {
                wrong.push(format!("{}: listed as different but agrees", case.id));
            }
            continue;
        }
        match entry {
            Some((links, _)) if *links == texts => different += 1,
            _ => wrong.push(format!(
                "{}\n    text:     {:?}\n    expected: {:?}\n    found:    {:?}\n    listed:   {:?}",
                case.id,
                case.text,
                case.expected,
                texts,
                entry.map(|e| &e.0)
            )),
        }
    }
    for id in listed.keys() {
        assert!(
            cases.iter().any(|c| &c.id == id),
            "{name}: listed but not a case: {id}"
        );
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} cases wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    println!("{name}: {agree} agree, {different} deliberately different, 0 wrong");
    (agree, different)
}

#[test]
fn linkify_it_fixtures() {
    let cases = linkify_it_cases();
    let links = cases.iter().filter(|c| c.id.starts_with("links")).count();
    assert_eq!((links, cases.len() - links), (117, 38));
    let (agree, different) = check_suite("linkify-it", &cases, LINKIFY_IT_DIFFERENCES);
    assert_eq!(agree + different, cases.len());
    assert!(agree * 10 >= cases.len() * 8, "{agree} of {}", cases.len());
}

#[test]
fn gfm_autolink_examples() {
    let cases = gfm_cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let ids = |file: &str| cases.iter().filter(|c| c.id.starts_with(file)).count();
    assert!(ids("spec_autolinks_extension.txt") >= 19, "{cases:#?}");
    let (agree, different) = check_suite("gfm", &cases, GFM_DIFFERENCES);
    assert_eq!(agree + different, cases.len());
    assert!(agree * 10 >= cases.len() * 7, "{agree} of {}", cases.len());
}

// --- Hand-written CJK messages --------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CjkFile {
    case: Vec<CjkCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CjkCase {
    why: String,
    text: String,
    links: Vec<String>,
}

#[test]
fn cjk_messages() {
    let file: CjkFile = toml::from_str(CJK).unwrap();
    assert!(file.case.len() >= 100, "{} cases", file.case.len());
    let policy = sample_policy();
    let contexts = [
        Context::one_to_one(),
        Context::group(250).with_user("alice"),
    ];
    let mut failures = Vec::new();
    for case in &file.case {
        for ctx in &contexts {
            let found = policy.scan(&case.text, ctx);
            assert_well_formed(&policy, &case.text, ctx, &found);
            let texts: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
            if texts != case.links {
                failures.push(format!(
                    "{}\n    text:     {:?}\n    expected: {:?}\n    found:    {:?}",
                    case.why, case.text, case.links, texts
                ));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} messages:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}

#[test]
fn cjk_messages_cover_the_issue() {
    let file: CjkFile = toml::from_str(CJK).unwrap();
    for message in [
        "看这个https://item.jd.com/100012043978.html很好",
        "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw",
        "淘宝：www.taobao.com，京东：jd.com。",
    ] {
        assert!(
            file.case.iter().any(|c| c.text == message),
            "{message} is a case"
        );
    }
    // Every full-width punctuation mark the issue names, and the ideographic space,
    // ends a link (or, for an opening bracket, comes right before one) in some case.
    for mark in "，。：；！？」》）】\u{3000}".chars() {
        assert!(
            file.case.iter().any(|c| {
                c.links
                    .iter()
                    .any(|l| c.text.contains(&format!("{l}{mark}")))
            }),
            "no case has a link ended by {mark:?}"
        );
    }
    for mark in "「《（【\u{3000}".chars() {
        assert!(
            file.case.iter().any(|c| {
                c.links
                    .iter()
                    .any(|l| c.text.contains(&format!("{mark}{l}")))
            }),
            "no case has a link right after {mark:?}"
        );
    }
}

// --- Hand-written cases of issue #16 -------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueFile {
    case: Vec<IssueCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueCase {
    why: String,
    text: String,
    links: Vec<String>,
    #[serde(default)]
    kinds: Vec<LinkKind>,
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    reasons: Vec<String>,
}

#[test]
fn issue_16_cases() {
    let file: IssueFile = toml::from_str(ISSUE_16).unwrap();
    assert!(file.case.len() >= 35, "{} cases", file.case.len());
    let policy = sample_policy();
    let ctx = Context::one_to_one();
    let mut failures = Vec::new();
    for case in &file.case {
        let found = policy.scan(&case.text, &ctx);
        assert_well_formed(&policy, &case.text, &ctx, &found);
        let texts: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
        let kinds: Vec<LinkKind> = found.iter().map(FoundLink::kind).collect();
        let actions: Vec<Action> = found.iter().map(|l| l.verdict.action()).collect();
        let has_reasons = case
            .reasons
            .iter()
            .zip(&found)
            .all(|(kind, l)| l.verdict.reasons().any(|r| r.kind() == kind));
        let ok = texts == case.links
            && (case.kinds.is_empty() || kinds == case.kinds)
            && (case.actions.is_empty() || actions == case.actions)
            && (case.reasons.is_empty() || (case.reasons.len() == found.len() && has_reasons));
        if !ok {
            failures.push(format!(
                "{}\n    text:     {:?}\n    expected: {:?} {:?} {:?} {:?}\n    found:    {:?} {:?} {:?} {:?}",
                case.why,
                case.text,
                case.links,
                case.kinds,
                case.actions,
                case.reasons,
                texts,
                kinds,
                actions,
                found
                    .iter()
                    .map(|l| l.verdict.reasons().map(Reason::kind).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}

// --- The API --------------------------------------------------------------------------

#[test]
fn issue_messages_with_spans_and_verdicts() {
    let policy = sample_policy();
    let ctx = Context::group(40);
    let message = "看这个https://item.jd.com/100012043978.html很好";
    let found = policy.scan(message, &ctx);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].range(), 9..46);
    assert_eq!(found[0].text, "https://item.jd.com/100012043978.html");
    // The JD platform is tier A: behind a warning in a group of 40.
    assert_eq!(found[0].verdict.action(), linkpolicy::Action::Warn);
    assert_eq!(found[0].verdict.platform().map(|p| p.as_str()), Some("jd"));
}

#[test]
fn found_links_serialize_as_the_example_prints_them() {
    let policy = sample_policy();
    let ctx = Context::one_to_one();
    let found = policy.scan("淘宝：www.taobao.com，京东：jd.com。", &ctx);
    let json = serde_json::to_value(&found).unwrap();
    let first = &json[0];
    assert_eq!(first["start"], 9);
    assert_eq!(first["end"], 23);
    assert_eq!(first["text"], "www.taobao.com");
    let verdict: serde_json::Value =
        serde_json::from_str(&policy.classify("www.taobao.com", &ctx).to_json()).unwrap();
    assert_eq!(first["verdict"], verdict);
    assert_eq!(
        first.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "end", "end16", "kind", "start", "start16", "text", "verdict"
        ]
    );
}

#[test]
fn scan_into_clears_and_reuses_the_vector() {
    let policy = sample_policy();
    let ctx = Context::one_to_one();
    let mut found = Vec::new();
    policy.scan_into("jd.com taobao.com", &ctx, &mut found);
    assert_eq!(found.len(), 2);
    policy.scan_into("没有链接", &ctx, &mut found);
    assert!(found.is_empty());
    policy.scan_into("看这个https://item.jd.com/1.html很好", &ctx, &mut found);
    assert_eq!(
        found,
        policy.scan("看这个https://item.jd.com/1.html很好", &ctx)
    );
}

#[test]
fn the_context_reaches_every_verdict() {
    let policy = sample_policy();
    let message = "jd.com和https://github.com/rust-lang/rust";
    let one = policy.scan(message, &Context::one_to_one());
    let group = policy.scan(message, &Context::group(250));
    assert_eq!(one.len(), 2);
    assert_eq!(
        one.iter().map(|l| l.range()).collect::<Vec<_>>(),
        group.iter().map(|l| l.range()).collect::<Vec<_>>()
    );
    assert_ne!(one[1].verdict, group[1].verdict);
}

#[test]
fn a_policys_own_public_suffix_list_decides_bare_links() {
    let tiny =
        linkpolicy::PublicSuffixList::from_dat("// ===BEGIN ICANN DOMAINS===\ncom\n").unwrap();
    let policy = Policy::builder()
        .public_suffix_list(std::sync::Arc::new(tiny))
        .build()
        .unwrap();
    let found = policy.scan("jd.com和t.cn", &Context::one_to_one());
    let texts: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["jd.com"]);
}

// --- Fuzz regressions (linear time: src/scan/finder.rs's tests) ------------------------------

/// `tests/data/fuzz/scan/`: inputs of the `scan` fuzz target (`fuzz/fuzz_targets/scan.rs`)
/// replayed through its checks (the same as `assert_well_formed`), raw bytes read as
/// UTF-8 with bad sequences replaced, as the target reads them.
#[test]
fn scan_fuzz_regressions_replay() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/scan");
    let policy = sample_policy();
    let ctx = Context::one_to_one();
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let found = policy.scan(&text, &ctx);
        assert_well_formed(&policy, &text, &ctx, &found);
        replayed += 1;
    }
    assert!(replayed >= 5, "{replayed} inputs in {}", dir.display());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_scans_well_formed(text in "\\PC{0,80}") {
        let policy = sample_policy();
        let ctx = Context::one_to_one();
        let found = policy.scan(&text, &ctx);
        assert_well_formed(&policy, &text, &ctx, &found);
    }

    #[test]
    fn link_like_text_scans_well_formed(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "https://", "http://", "weixin://", "www.", "jd", ".com", ".cn", "。", "，",
                "/", "?", "#", "(", ")", "[", "]", ".", "@", "-", "_", ":", "8080", "中国",
                "看", "😀", "\u{3000}", " ", "%E4", "xn--", "~", "！", "\u{200B}", "ｊ",
            ]),
            0..24,
        )
    ) {
        let text: String = parts.concat();
        let policy = sample_policy();
        let ctx = Context::one_to_one();
        let found = policy.scan(&text, &ctx);
        assert_well_formed(&policy, &text, &ctx, &found);
        // A link found in a message is found again, whole, on its own.
        for link in &found {
            let again = policy.scan(&link.text, &ctx);
            prop_assert_eq!(again.len(), 1, "{:?} in {:?}", link.text, text);
            prop_assert_eq!(&again[0].text, &link.text);
        }
    }
}
