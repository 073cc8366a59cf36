//! The official Public Suffix List test vectors (`tests/data/psl/tests.txt`, CC0)
//! against the registrable domain the crate reports (contract section 4, step 4).
//!
//! Every active vector is checked twice:
//!
//! - (a) directly: `PublicSuffixList::builtin().registrable_domain(input)`, with the
//!   input in the form that method documents (lowercase ASCII, so IDN labels are
//!   converted with UTS 46 ToASCII as the URL standard does, and `COM` becomes `com`);
//! - (b) through `classify`: the verdict's `registrable_domain()` for the link
//!   `http://<input>/` under a minimal policy (`version = 1`), and again for
//!   `http://<input>./` (a trailing dot must not change the answer). Here the input
//!   goes in raw (Unicode, mixed case): normalizing it is the crate's job.
//!
//! How each class of vector is treated (none is skipped):
//!
//! - `null` input (the vector for "no host at all"): (a) the empty host `""` has no
//!   registrable domain; (b) the links `""` and `http:///` are not URLs, so the
//!   verdict is block, hard, reason `invalid`, with no host and no registrable
//!   domain.
//! - Leading dot (`.com`, `.example.com`): the URL standard accepts an empty first
//!   label (`http://.com/` parses, host `.com`), so (b) applies in full: the host
//!   is `.com` and, as the vectors say, there is no registrable domain.
//! - Mixed case (`WwW.example.COM`): (a) gets the lowercase form; (b) gets the raw
//!   input, which the URL parser lowercases.
//! - IDN (`食狮.公司.cn`): inputs and expected values are compared in their ASCII
//!   (punycode) form, which is what the crate reports.
//!
//! In general, for (b): when the URL standard (the `url` crate) cannot parse the
//! link, the verdict must be an `invalid` block; when it can, the verdict's host
//! must be the ASCII input and its registrable domain the expected one. The only
//! vector whose link does not parse is the `null` one, and that is asserted too.
//! Failures are collected and reported all at once.

use linkpolicy::{Action, Context, Policy, PublicSuffixList, Verdict};

/// The vectors, unchanged from upstream.
const VECTORS: &str = include_str!("data/psl/tests.txt");

/// One active vector.
#[derive(Debug)]
struct Vector {
    /// The comment heading its group (`Mixed case.`).
    group: String,
    /// 1-based line in `tests.txt`.
    line: usize,
    /// The host; `None` for the `null` input.
    input: Option<&'static str>,
    /// The registrable domain; `None` for `null`.
    expected: Option<&'static str>,
}

impl Vector {
    fn label(&self) -> String {
        format!(
            "tests.txt:{} [{}] {} -> {}",
            self.line,
            self.group,
            self.input.unwrap_or("null"),
            self.expected.unwrap_or("null")
        )
    }
}

fn null_or(s: &'static str) -> Option<&'static str> {
    (s != "null").then_some(s)
}

/// The active vectors, and the number of vectors commented out upstream.
fn vectors() -> (Vec<Vector>, usize) {
    let mut group = String::new();
    let mut out = Vec::new();
    let mut disabled = 0;
    for (i, line) in VECTORS.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix("//") {
            if comment.starts_with(' ') {
                group = comment.trim().to_owned();
            } else if comment.split_whitespace().count() == 2 {
                // `//local null`: a vector upstream disabled (`local` is not on the list).
                disabled += 1;
            }
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(input), Some(expected), None) = (parts.next(), parts.next(), parts.next()) else {
            panic!("tests.txt:{}: not `input expected`: {line:?}", i + 1);
        };
        out.push(Vector {
            group: group.clone(),
            line: i + 1,
            input: null_or(input),
            expected: null_or(expected),
        });
    }
    (out, disabled)
}

/// The ASCII (IDNA, lowercase) form of a host, as the URL standard computes it.
fn ascii(host: &str) -> Result<String, String> {
    url::Host::parse(host)
        .map(|h| h.to_string())
        .map_err(|e| format!("url::Host::parse({host:?}) failed: {e}"))
}

fn policy() -> Policy {
    match Policy::from_toml_str("version = 1") {
        Ok(p) => p,
        Err(e) => panic!("minimal policy must load: {e}"),
    }
}

fn report(what: &str, total: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures in {what} over {total} PSL vectors:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

fn is_invalid_block(v: &Verdict) -> bool {
    v.action() == Action::Block && v.is_hard() && v.reason().is_some_and(|r| r.kind() == "invalid")
}

#[test]
fn vector_file_is_complete() {
    let (vectors, disabled) = vectors();
    // 82 cases upstream, 4 of them commented out (see tests/data/psl/SOURCE.txt).
    assert_eq!(vectors.len(), 78, "active vectors");
    assert_eq!(disabled, 4, "vectors commented out upstream");
    assert!(vectors.iter().all(|v| !v.group.is_empty()));
    assert_eq!(vectors.iter().filter(|v| v.input.is_none()).count(), 1);
}

#[test]
fn builtin_list_passes_the_official_vectors() {
    let psl = PublicSuffixList::builtin();
    let (vectors, _) = vectors();
    let mut failures = Vec::new();
    for v in &vectors {
        // The `null` input is the empty host.
        let input = match v.input.map(ascii).transpose() {
            Ok(input) => input.unwrap_or_default(),
            Err(e) => {
                failures.push(format!("{}: {e}", v.label()));
                continue;
            }
        };
        let expected = match v.expected.map(ascii).transpose() {
            Ok(expected) => expected,
            Err(e) => {
                failures.push(format!("{}: {e}", v.label()));
                continue;
            }
        };
        let got = psl.registrable_domain(&input);
        if got != expected.as_deref() {
            failures.push(format!(
                "{}: registrable_domain({input:?}) = {got:?}, expected {expected:?}",
                v.label()
            ));
        }
    }
    report(
        "PublicSuffixList::registrable_domain",
        vectors.len(),
        &failures,
    );
}

#[test]
fn classify_reports_the_official_registrable_domain() {
    let policy = policy();
    let ctx = Context::one_to_one();
    let (vectors, _) = vectors();
    let mut failures = Vec::new();
    let mut unparseable = Vec::new();
    for v in &vectors {
        let expected = match v.expected.map(ascii).transpose() {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{}: {e}", v.label()));
                continue;
            }
        };
        let Some(input) = v.input else {
            // No host at all: nothing to open.
            for link in ["", "http:///"] {
                let verdict = policy.classify(link, &ctx);
                if !is_invalid_block(&verdict)
                    || verdict.host().is_some()
                    || verdict.registrable_domain().is_some()
                {
                    failures.push(format!(
                        "{}: classify({link:?}) = {verdict} (host {:?}, registrable domain {:?}), \
                         expected an invalid block without host",
                        v.label(),
                        verdict.host(),
                        verdict.registrable_domain()
                    ));
                }
            }
            unparseable.push(v.line);
            continue;
        };
        let host = match ascii(input) {
            Ok(h) => h,
            Err(e) => {
                failures.push(format!("{}: {e}", v.label()));
                continue;
            }
        };
        for link in [format!("http://{input}/"), format!("http://{input}./")] {
            let verdict = policy.classify(&link, &ctx);
            if url::Url::parse(&link).is_err() {
                unparseable.push(v.line);
                if !is_invalid_block(&verdict) || verdict.registrable_domain().is_some() {
                    failures.push(format!(
                        "{}: {link:?} is not a URL, yet classify gives {verdict} \
                         (registrable domain {:?})",
                        v.label(),
                        verdict.registrable_domain()
                    ));
                }
                continue;
            }
            if verdict.host() != Some(host.as_str())
                || verdict.registrable_domain() != expected.as_deref()
                || is_invalid_block(&verdict)
            {
                failures.push(format!(
                    "{}: classify({link:?}) = {verdict}, host {:?}, registrable domain {:?}; \
                     expected host {host:?}, registrable domain {expected:?}",
                    v.label(),
                    verdict.host(),
                    verdict.registrable_domain()
                ));
            }
        }
    }
    // Only the `null` vector is not a host the URL standard accepts.
    if unparseable.len() != 1 {
        failures.push(format!(
            "expected only the null vector to be unparseable, got lines {unparseable:?}"
        ));
    }
    report("Verdict::registrable_domain", vectors.len(), &failures);
}
