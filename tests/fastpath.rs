//! The `url::Url::parse` fast path (`src/link/fastpath.rs`), differentially: on every
//! input it takes, its serialization and layout must be the url crate's. Inputs:
//! the WHATWG URL test data (vendored, and the full WPT files from `../shared` when
//! present), the adversarial corpus, the scan test data, `examples/links.txt`, the
//! JPCERT/CC phishing URLs (from `../shared`, skipped when absent), the regression
//! cases of the `fastpath` fuzz target (`tests/data/fuzz/fastpath/`), generated
//! links (a deterministic grammar of ordinary and tricky pieces), and proptest
//! strings.
//!
//! Each input is tried as it is written, with and without an assumed `http://`, and
//! as the crate's caller would hand it over (trimmed, without tabs and newlines,
//! `http://` assumed when it has no scheme).
//!
//! `FASTPATH_CASES=5000000 cargo test --release --test lib fastpath -- --ignored
//! --nocapture` runs the generator at scale and prints how many links it took.

use std::path::{Path, PathBuf};

use linkpolicy::__fastpath_agrees;
use proptest::prelude::*;

/// How many inputs were tried and how many the fast path took; the disagreements.
#[derive(Debug, Default)]
struct Tally {
    tried: u64,
    taken: u64,
    disagreements: Vec<String>,
}

impl Tally {
    /// Tries one input with the given reading of the scheme.
    fn try_one(&mut self, input: &str, assume_http: bool) {
        self.tried += 1;
        match __fastpath_agrees(input, assume_http) {
            Ok(true) => self.taken += 1,
            Ok(false) => {}
            Err(e) => {
                if self.disagreements.len() < 50 {
                    self.disagreements.push(e);
                }
            }
        }
    }

    /// Tries a raw link every way: as written, with `http://` assumed, and as the
    /// caller would pass it. Returns whether the caller's reading was taken.
    fn try_link(&mut self, raw: &str) -> bool {
        self.try_one(raw, false);
        self.try_one(raw, true);
        let (cleaned, assume_http) = caller_view(raw);
        if cleaned != raw {
            self.try_one(&cleaned, false);
            self.try_one(&cleaned, true);
        }
        __fastpath_agrees(&cleaned, assume_http) == Ok(true)
    }

    /// The hit rate in percent.
    fn rate(&self) -> f64 {
        if self.tried == 0 {
            0.0
        } else {
            100.0 * self.taken as f64 / self.tried as f64
        }
    }

    /// Fails with the disagreements, if any.
    fn assert_agrees(&self, source: &str) {
        assert!(
            self.disagreements.is_empty(),
            "{source}: the fast path disagrees with url::Url::parse on {} input(s):\n  {}",
            self.disagreements.len(),
            self.disagreements.join("\n  ")
        );
        eprintln!(
            "fastpath {source}: {} inputs tried, {} taken ({:.1}%), no disagreement",
            self.tried,
            self.taken,
            self.rate()
        );
    }
}

/// A link as the crate's caller hands it to the fast path: trimmed of white
/// space, control and invisible format characters, without ASCII tabs and
/// newlines, and read with `http://` in front when it has no scheme.
fn caller_view(raw: &str) -> (String, bool) {
    let trimmed = raw.trim_matches(|c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{00AD}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
    });
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let has_scheme = cleaned.split_once(':').is_some_and(|(head, _)| {
        let mut chars = head.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
    });
    (cleaned, !has_scheme)
}

/// A file of `../shared/data`, when that folder is present.
fn shared(path: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(path);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("fastpath: {} is absent, skipped", p.display());
        None
    }
}

/// Every string in a JSON document (inputs, bases, expected hrefs, hosts).
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// JSON text with each lone UTF-16 surrogate escape (`\\uD800`, which WPT uses
/// and Rust strings cannot hold) replaced by `\\uFFFD`, as the URL standard's
/// USVString conversion does before parsing.
fn without_lone_surrogates(text: &str) -> String {
    let surrogate = |hex: &str| {
        u16::from_str_radix(hex, 16)
            .ok()
            .filter(|u| (0xD800..=0xDFFF).contains(u))
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let escape = rest.get(..6).filter(|e| e.starts_with("\\u"));
        match escape.and_then(|e| surrogate(&e[2..])) {
            Some(0xD800..=0xDBFF)
                if rest
                    .get(6..12)
                    .filter(|e| e.starts_with("\\u"))
                    .and_then(|e| surrogate(&e[2..]))
                    .is_some_and(|low| low >= 0xDC00) =>
            {
                // A pair: one character.
                out.push_str(&rest[..12]);
                rest = &rest[12..];
            }
            Some(_) => {
                out.push_str("\\uFFFD");
                rest = &rest[6..];
            }
            None => {
                // Any other escape, including `\\\\`: copied whole.
                let len = rest.chars().nth(1).map_or(1, |c| 1 + c.len_utf8());
                out.push_str(&rest[..len]);
                rest = &rest[len..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tries every string of a WPT JSON file.
fn try_wpt(tally: &mut Tally, name: &str, text: &str) {
    let value: serde_json::Value = match serde_json::from_str(&without_lone_surrogates(text)) {
        Ok(v) => v,
        Err(e) => panic!("{name}: {e}"),
    };
    let mut strings = Vec::new();
    json_strings(&value, &mut strings);
    assert!(strings.len() > 50, "{name}: only {} strings", strings.len());
    for s in &strings {
        tally.try_link(s);
    }
}

#[test]
fn agrees_on_wpt_url_test_data() {
    let mut tally = Tally::default();
    try_wpt(
        &mut tally,
        "tests/data/wpt/urltestdata.json",
        include_str!("data/wpt/urltestdata.json"),
    );
    for file in [
        "urltestdata.json",
        "toascii.json",
        "setters_tests.json",
        "IdnaTestV2.json",
    ] {
        if let Some(path) = shared(&format!("wpt-url-tests/{file}")) {
            let text = std::fs::read_to_string(&path).unwrap();
            try_wpt(&mut tally, file, &text);
        }
    }
    tally.assert_agrees("WPT URL test data");
    assert!(tally.taken > 100, "the fast path took only {}", tally.taken);
}

#[test]
fn agrees_on_adversarial_corpus() {
    #[derive(serde::Deserialize)]
    struct Corpus {
        case: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        link: String,
    }
    let corpus: Corpus = toml::from_str(include_str!("data/adversarial/corpus.toml")).unwrap();
    assert!(corpus.case.len() >= 461, "{} cases", corpus.case.len());
    let mut tally = Tally::default();
    for case in &corpus.case {
        tally.try_link(&case.link);
    }
    tally.assert_agrees("adversarial corpus");
}

#[test]
fn agrees_on_scan_test_data() {
    let mut tally = Tally::default();
    for text in [
        include_str!("data/scan/twitter_extract_urls.yml"),
        include_str!("data/scan/twitter_out_of_scope.txt"),
        include_str!("data/scan/cjk_messages.toml"),
    ] {
        // Every word, and every word without the quotes and brackets of the
        // file's syntax: the links, and plenty of near-links.
        for word in text.split(|c: char| c.is_whitespace()) {
            tally.try_link(word);
            for part in word.split(['"', '[', ']', ',']) {
                if !part.is_empty() && part != word {
                    tally.try_link(part);
                }
            }
        }
    }
    tally.assert_agrees("scan test data");
    assert!(tally.taken > 50, "the fast path took only {}", tally.taken);
}

/// The links of `examples/links.txt`: a link a line, or a JSON request with a
/// `link` field.
fn example_links() -> Vec<String> {
    include_str!("../examples/links.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            if line.starts_with('{') {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                v["link"].as_str().unwrap().to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect()
}

#[test]
fn agrees_on_example_links() {
    agrees_and_takes_most("examples/links.txt", &example_links());
}

/// Every link as the caller reads it agrees with url, and the fast path takes
/// more than half of them.
fn agrees_and_takes_most(what: &str, links: &[String]) {
    let mut tally = Tally::default();
    let taken = links.iter().filter(|l| tally.try_link(l)).count();
    tally.assert_agrees(what);
    eprintln!(
        "fastpath {what} as the caller reads them: {taken} of {} taken ({:.1}%)",
        links.len(),
        100.0 * taken as f64 / links.len() as f64
    );
    assert!(
        taken * 2 > links.len(),
        "only {taken} of {} taken",
        links.len()
    );
}

/// The URL column of a CSV file with a header: fields may be quoted (`"a,b"`,
/// with `""` for a quote).
fn csv_second_column(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', false) if field.is_empty() => quoted = true,
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', true) => quoted = false,
                (',', false) => fields.push(std::mem::take(&mut field)),
                (c, _) => field.push(c),
            }
        }
        fields.push(field);
        if let Some(url) = fields.get(1) {
            out.push(url.clone());
        }
    }
    out
}

#[test]
fn agrees_on_phishing_urls() {
    let Some(path) = shared("phishing-urls/jpcert/jpcert_phishurl_2019-2025.csv") else {
        return;
    };
    let urls = csv_second_column(&std::fs::read_to_string(path).unwrap());
    assert!(urls.len() > 200_000, "{} URLs", urls.len());
    agrees_and_takes_most("JPCERT/CC phishing URLs", &urls);
}

/// Regression cases of the `fastpath` fuzz target (`fuzz/`): each file of
/// `tests/data/fuzz/fastpath/` is a link, read as UTF-8 with invalid sequences
/// replaced, as the target reads it; the directory also holds hand-picked cases.
#[test]
fn agrees_on_fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz/fastpath");
    let mut tally = Tally::default();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.file_name().unwrap().to_string_lossy().starts_with('.') {
            let link = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            tally.try_one(&link, false);
            tally.try_one(&link, true);
        }
    }
    assert!(tally.tried >= 20, "{} cases", tally.tried);
    tally.assert_agrees("tests/data/fuzz/fastpath");
}

// ---------------------------------------------------------------------------
// Generated links.

/// xorshift64*: a small deterministic generator, so a failure is reproducible
/// from the seed and the case number.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Schemes and what follows them: mostly ordinary, some the parser rewrites.
const SCHEMES: &[&str] = &[
    "http://",
    "https://",
    "http://",
    "https://",
    "HTTP://",
    "HtTpS://",
    "hTTp://",
    "http:/",
    "http:",
    "http:///",
    "http:\\\\",
    "http:/\\",
    "https:\\/",
    "http:////",
    "ftp://",
    "ws://",
    "wss://",
    "file://",
    "httpx://",
    "htps://",
    "https:/",
    " http://",
    "http ://",
];

/// Host labels: ordinary, numeric, Punycode, percent-encoded, non-ASCII, odd.
const LABELS: &[&str] = &[
    "jd",
    "com",
    "www",
    "item",
    "a",
    "Z",
    "localhost",
    "taobao",
    "xn--xhq9m",
    "XN--xhq9m",
    "xn--",
    "xn--a",
    "Xn--p1ai",
    "xna--",
    "x-n--",
    "0x",
    "0X7f",
    "0x7f",
    "123",
    "0",
    "09",
    "1e",
    "1a",
    "a1",
    "-",
    "a-",
    "-a",
    "ab--cd",
    "a--",
    "--",
    "%2e",
    "%41",
    "%",
    "a%20b",
    "京东",
    "é",
    "ß",
    "ＪＤ",
    "_",
    "a_b",
    "*",
    "[::1]",
    "[0:0::1]",
    "1.2",
    "255",
    "4294967295",
    "999999999999",
    "0x100000000",
    "user@",
    "a:b@",
    "@",
    ":@",
    "%40",
    "。",
    "a b",
    "a\tb",
];

/// Separators between labels.
const DOTS: &[&str] = &[".", ".", ".", ".", ".", "..", "。", "%2e", "．", ""];

/// Ports, after the `:`.
const PORTS: &[&str] = &[
    "",
    "0",
    "1",
    "80",
    "443",
    "8080",
    "65535",
    "65536",
    "99999",
    "00080",
    "0443",
    "080",
    "000000000000000000443",
    "1a",
    "-1",
    " 80",
    "8080:",
    "+80",
    "١",
];

/// Path segments: ordinary, dot segments in every spelling, percent signs.
const SEGMENTS: &[&str] = &[
    "",
    "x",
    "index.html",
    "a.b",
    ".",
    "..",
    "...",
    ".a",
    "a.",
    "%2e",
    "%2E",
    "%2e%2e",
    "%2E%2e",
    ".%2e",
    "%2e.",
    ".%2E",
    "%2e%2e%2e",
    "%2f",
    "%",
    "%zz",
    "%20",
    "~user",
    "a;b=c",
    "@",
    ":",
    "é",
    "京东",
    "C:",
    "c|",
    // Escapes of unreserved characters, which normalization decodes (contract
    // 4.6, issue #13): the fast path must decline them, or agree.
    "%41",
    "%7e",
    "%7E",
    "%2D",
    "%5f",
    "%66orm",
    "a%2Eb",
    "%2E%41",
    "%3A",
    "%25",
    "%4",
    "%G1",
];

/// Query and fragment pieces with escapes: of unreserved characters (decoded by
/// normalization, contract 4.6), of reserved ones (kept), and broken ones.
const ESCAPES: &[&str] = &[
    "%73hare_unlock=1",
    "a=%5F",
    "t=https%3A%2F%2Fx.example%2F",
    "%7E",
    "x=%2d",
    "%26=%3D",
    "%zz",
    "%",
    "a%",
    "%E4%BA%AC",
    "%61%62",
];

/// Separators between path segments.
const SLASHES: &[&str] = &["/", "/", "/", "/", "\\", "//", "/./", "/../"];

/// A random printable ASCII string, now and then with a control or non-ASCII
/// character.
fn printable(rng: &mut Rng, max: usize) -> String {
    let len = rng.below(max + 1);
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        if rng.one_in(40) {
            s.push(
                [
                    '\t', '\n', '\r', '\0', '\u{7f}', 'é', '\u{3000}', '？', '＃',
                ][rng.below(9)],
            );
        } else {
            s.push(char::from(0x20 + rng.below(95) as u8));
        }
    }
    s
}

/// A random string of host bytes (letters of both cases, digits, hyphens).
fn ldh(rng: &mut Rng, max: usize) -> String {
    const LDH: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789---";
    let len = rng.below(max + 1);
    (0..len)
        .map(|_| char::from(LDH[rng.below(LDH.len())]))
        .collect()
}

/// A random string of bytes common in paths and queries.
fn word(rng: &mut Rng, max: usize) -> String {
    const WORD: &[u8] =
        b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%=&+,;:!$()*@";
    let len = rng.below(max + 1);
    (0..len)
        .map(|_| char::from(WORD[rng.below(WORD.len())]))
        .collect()
}

/// One generated link, and whether to read it with `http://` assumed. Each part
/// is mostly ordinary and now and then tricky, so that about a third of the links
/// are taken and the rest exercise every way of being declined.
fn generated(rng: &mut Rng) -> (String, bool) {
    if rng.one_in(50) {
        return (printable(rng, 30), rng.one_in(2));
    }
    let mut s = String::new();
    let assume_http = rng.one_in(4);
    if !assume_http {
        if rng.one_in(5) {
            s.push_str(rng.pick(SCHEMES));
        } else {
            s.push_str(rng.pick(&["http://", "https://", "HTTP://", "HtTpS://"]));
        }
    }
    // Host.
    let labels = 1 + rng.below(4);
    for i in 0..labels {
        if i > 0 {
            s.push_str(if rng.one_in(20) { rng.pick(DOTS) } else { "." });
        }
        if rng.one_in(7) {
            s.push_str(rng.pick(LABELS));
        } else {
            s.push_str(&ldh(rng, 10));
        }
    }
    if rng.one_in(20) {
        s.push('.');
    }
    if rng.one_in(6) {
        s.push(':');
        if rng.one_in(3) {
            s.push_str(&rng.below(70_000).to_string());
        } else {
            s.push_str(rng.pick(PORTS));
        }
    }
    // Path.
    if !rng.one_in(4) {
        for _ in 0..rng.below(5) {
            s.push_str(if rng.one_in(10) {
                rng.pick(SLASHES)
            } else {
                "/"
            });
            match rng.below(8) {
                0 => s.push_str(rng.pick(SEGMENTS)),
                1 => s.push_str(&printable(rng, 6)),
                _ => s.push_str(&word(rng, 10)),
            }
        }
    }
    // Query and fragment, in any combination and order.
    for _ in 0..rng.below(3) {
        s.push_str(rng.pick(&["?", "#", "?", "#", "??", "##", "?#", "#?"]));
        match rng.below(8) {
            0 | 1 => s.push_str(&printable(rng, 8)),
            2 => s.push_str(rng.pick(ESCAPES)),
            _ => s.push_str(&word(rng, 16)),
        }
    }
    (s, assume_http)
}

/// Generates `n` links from `seed` and checks each.
fn run_generated(seed: u64, n: u64) -> Tally {
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for case in 0..n {
        let (link, assume_http) = generated(&mut rng);
        let before = tally.disagreements.len();
        tally.try_one(&link, assume_http);
        if tally.disagreements.len() > before {
            let last = tally.disagreements.pop().unwrap();
            tally
                .disagreements
                .push(format!("seed {seed:#x} case {case}: {last}"));
        }
    }
    tally
}

#[test]
fn agrees_on_generated_links() {
    let tally = run_generated(0x9E37_79B9_7F4A_7C15, 200_000);
    tally.assert_agrees("generated links");
    assert_eq!(tally.tried, 200_000);
    // The grammar must reach both sides: plenty taken, plenty declined.
    assert!(
        tally.taken > 20_000 && tally.taken < 180_000,
        "{} of 200000 taken",
        tally.taken
    );
}

/// The generator at scale: `FASTPATH_CASES` links (default 5,000,000) from the
/// seed `FASTPATH_SEED` (default: a fixed one).
#[test]
#[ignore = "millions of links: run with --release"]
fn agrees_on_millions_of_generated_links() {
    let n = std::env::var("FASTPATH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000_000);
    let seed = std::env::var("FASTPATH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x2545_F491_4F6C_DD1D);
    let tally = run_generated(seed, n);
    tally.assert_agrees(&format!("{n} generated links (seed {seed})"));
}

// ---------------------------------------------------------------------------
// Arbitrary strings.

/// Pieces of URL-shaped strings.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("http://".to_owned()),
        Just("HTTPS://".to_owned()),
        Just("@".to_owned()),
        Just(":".to_owned()),
        Just("/".to_owned()),
        Just("\\".to_owned()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("%2e".to_owned()),
        Just("%2E".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("xn--".to_owned()),
        Just("0x".to_owned()),
        "[a-zA-Z0-9-]{1,8}",
        "[0-9]{1,6}",
        "[ -~]{0,6}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn agrees_or_declines_on_arbitrary_strings(s in any::<String>(), assume_http in any::<bool>()) {
        let r = __fastpath_agrees(&s, assume_http);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn agrees_or_declines_on_url_shaped_strings(
        pieces in prop::collection::vec(piece(), 1..12),
        assume_http in any::<bool>(),
    ) {
        let s = pieces.concat();
        let r = __fastpath_agrees(&s, assume_http);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}
