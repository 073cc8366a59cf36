//! The input and checks of `load_bounds` (issue #14): policies generated from
//! pieces that raise a cost, written as TOML and as JSON, load or fail within
//! the bounds of the README's "Untrusted input" section.
//!
//! The crate's `tests/untrusted.rs` replays `tests/data/fuzz/load_bounds/`
//! (each file a policy text, tried as TOML and as JSON) through the same checks
//! but the memory one; change both together.

use std::fmt;
use std::time::Duration;

use arbitrary::Arbitrary;
use linkpolicy::{Error, ErrorKind, Policy, SizeLimits};

/// Texts longer than this are not tried (bytes).
pub const MAX_TEXT: usize = 64 * 1024;

/// The most a load may take, TOML or JSON. Loading 64 KiB takes milliseconds;
/// the bound is wide because the fuzzer shares a loaded machine.
pub const MAX_TIME: Duration = Duration::from_secs(5);

/// The peak heap a load may add for each byte of text (the README's bound).
pub const BYTES_PER_TEXT_BYTE: usize = 10;

/// The peak heap any load may add whatever its text: the Public Suffix List's
/// site index (copied into every policy), the regex budget below, compiled
/// (a set holds its patterns forward and reversed), and the TOML tree budget
/// (the README's bound: 10 bytes a byte of text plus `max_toml_tree_bytes`),
/// with room to spare.
pub const FIXED_BYTES: usize = 4 * REGEX_SET + TREE + (8 << 20);

/// The TOML tree budget of the limits the target loads with
/// (`max_toml_tree_bytes`): smaller than the default (32 MiB), for the same
/// reason.
const TREE: usize = 2 << 20;

/// The regex budget of the limits the target loads with (`max_regex_set_size`):
/// smaller than the default (64 MiB), so that the text's own cost is what the
/// memory bound measures.
const REGEX_SET: usize = 2 << 20;

/// The size limits of the target: the defaults, with a smaller regex budget.
pub fn limits() -> SizeLimits {
    let mut l = SizeLimits::default();
    l.max_regex_size = 1 << 20;
    l.max_regex_set_size = REGEX_SET;
    l.max_toml_tree_bytes = TREE;
    l
}

/// A policy to load: arbitrary text, or one generated from pieces.
#[derive(Arbitrary)]
pub enum BoundsInput {
    /// Arbitrary text, tried as TOML and as JSON.
    Raw(String),
    /// A generated policy, written both ways.
    Spec(Spec),
}

/// A generated policy: its pieces, each written `repeat` times (numbered).
#[derive(Arbitrary, Debug)]
pub struct Spec {
    pieces: Vec<Piece>,
    repeat: u8,
}

/// One piece of a generated policy.
#[derive(Arbitrary, Debug)]
enum Piece {
    Rule {
        id: Id,
        action: Act,
        hard: bool,
        matcher: Match,
    },
    List {
        id: Id,
        action: Act,
        hard: bool,
    },
    Phase {
        id: Id,
        percent: Option<u8>,
        salt: Option<u8>,
        min_client: Option<(u8, u8)>,
        window: Option<(i32, u16)>,
        group: Act,
    },
    /// A tier; `twice`: written twice (a duplicate key).
    Tier {
        name: u8,
        twice: bool,
    },
    /// A complaint threshold; `twice`: written twice (a duplicate key).
    Threshold {
        category: u8,
        twice: bool,
    },
    Tracking {
        prefix: bool,
        name: u16,
    },
    Redirector {
        domain: u16,
        params: u8,
    },
    Complaint {
        domain: u16,
        count: u32,
    },
    Limits {
        depth: u16,
        link_len: u32,
    },
    /// A value nested `depth` deep: arrays, or (TOML) a dotted key.
    Deep {
        depth: u8,
        dotted: bool,
    },
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Act {
    Allow,
    Warn,
    Block,
}

#[derive(Arbitrary, Debug)]
enum Id {
    Plain(u16),
    Empty,
    /// `a:N`, the shape of a list entry's id.
    ListShape(u8, u16),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Match {
    Domain(u16),
    Host(u16),
    UrlPrefix(u16),
    Scheme(u8),
    /// `\w{n}` and a literal: each small enough alone, large together.
    WordRun(u8),
    Any(String),
}

impl Id {
    fn text(&self, n: usize) -> String {
        match self {
            Id::Plain(i) => format!("r{i}-{n}"),
            Id::Empty => String::new(),
            Id::ListShape(a, l) => format!("l{a}:{l}"),
            Id::Any(s) => format!("{s}{n}"),
        }
    }

    /// Whether the loader must refuse an item with this id.
    fn refused(&self) -> bool {
        match self {
            Id::Empty => true,
            Id::ListShape(..) => true,
            _ => false,
        }
    }
}

impl Act {
    fn text(self) -> &'static str {
        match self {
            Act::Allow => "allow",
            Act::Warn => "warn",
            Act::Block => "block",
        }
    }
}

/// A string written as a TOML or JSON string (the JSON form is valid TOML).
fn q(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// What a generated policy must do when loaded.
#[derive(Debug, Default)]
struct Expect {
    /// A key is given twice: the load fails with a `Duplicate` error.
    duplicate: bool,
    /// An id or setting the loader refuses: the load fails.
    refused: bool,
    /// A field the format does not have: the load fails when the text is read,
    /// with that error first.
    unreadable: bool,
}

impl Spec {
    /// The policy as TOML and as JSON, and what loading it must do.
    fn texts(&self) -> (String, String, Expect) {
        let mut toml = String::from("version = 1\n");
        let mut json = vec![(q("version"), "1".to_owned())];
        let mut expect = Expect::default();
        let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
        let mut tiers: Vec<String> = Vec::new();
        let mut thresholds: Vec<String> = Vec::new();
        let mut tracking: Vec<String> = Vec::new();
        let mut limits_text: Option<String> = None;
        let mut push =
            |name: &'static str, obj: String| match sections.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(obj),
                None => sections.push((name, vec![obj])),
            };
        let repeat = usize::from(self.repeat % 64).max(1);
        for n in 0..repeat {
            for piece in &self.pieces {
                match piece {
                    Piece::Rule {
                        id,
                        action,
                        hard,
                        matcher,
                    } => {
                        let (field, value) = match matcher {
                            Match::Domain(d) => ("domain", format!("d{d}-{n}.example")),
                            Match::Host(h) => ("host", format!("h{h}-{n}.example")),
                            Match::UrlPrefix(p) => {
                                ("url_prefix", format!("https://p{p}.example/{n}/"))
                            }
                            Match::Scheme(s) => ("scheme", format!("app{s}")),
                            Match::WordRun(k) => ("regex", format!("\\w{{{}}}x{n}", k % 128)),
                            Match::Any(s) => ("regex", s.clone()),
                        };
                        expect.refused |= id.refused() || (*hard && matches!(action, Act::Allow));
                        let fields = [
                            ("id", q(&id.text(n))),
                            ("action", q(action.text())),
                            ("hard", hard.to_string()),
                            (field, q(&value)),
                        ];
                        push("rule", object(&fields));
                        toml.push_str("[[rule]]\n");
                        toml_fields(&mut toml, &fields);
                    }
                    Piece::List { id, action, hard } => {
                        // The host app gives no text for it: the load fails.
                        expect.refused = true;
                        let fields = [
                            ("id", q(&id.text(n))),
                            ("format", q("domains")),
                            ("action", q(action.text())),
                            ("hard", hard.to_string()),
                        ];
                        push("list", object(&fields));
                        toml.push_str("[[list]]\n");
                        toml_fields(&mut toml, &fields);
                    }
                    Piece::Phase {
                        id,
                        percent,
                        salt,
                        min_client,
                        window,
                        group,
                    } => {
                        expect.refused |= id.refused() && matches!(id, Id::Empty);
                        let mut rollout = Vec::new();
                        if let Some(p) = percent {
                            expect.refused |= *p > 100;
                            rollout.push(("percent", p.to_string()));
                        }
                        if let Some(s) = salt {
                            rollout.push(("salt", q(&format!("s{s}"))));
                        }
                        if let Some((a, b)) = min_client {
                            rollout.push(("min_client", q(&format!("{a}.{b}"))));
                        }
                        if let Some((from, len)) = window {
                            expect.refused |= *len == 0;
                            rollout.push(("from", from.to_string()));
                            rollout
                                .push(("until", (i64::from(*from) + i64::from(*len)).to_string()));
                        }
                        let fields = [
                            ("id", q(&id.text(n))),
                            ("rollout", object(&rollout)),
                            ("defaults", object(&[("group", q(group.text()))])),
                        ];
                        push("phase", object(&fields));
                        toml.push_str("[[phase]]\n");
                        toml_fields(&mut toml, &fields);
                    }
                    Piece::Tier { name, twice } => {
                        let name = format!("T{name}-{n}");
                        for _ in 0..if *twice { 2 } else { 1 } {
                            tiers.push(name.clone());
                        }
                        expect.duplicate |= *twice;
                    }
                    Piece::Threshold { category, twice } => {
                        let all = linkpolicy::Category::ALL;
                        let c = all
                            .get(usize::from(*category) % all.len())
                            .map_or("other", |c| c.as_str());
                        for _ in 0..if *twice { 2 } else { 1 } {
                            thresholds.push(c.to_owned());
                        }
                        expect.duplicate |= *twice || n > 0;
                    }
                    Piece::Tracking { prefix, name } => {
                        tracking.push(q(&format!("t{name}_{n}{}", if *prefix { "*" } else { "" })));
                    }
                    Piece::Redirector { domain, params } => {
                        let params: Vec<String> =
                            (0..*params % 16).map(|i| q(&format!("p{i}"))).collect();
                        expect.refused |= params.is_empty();
                        let fields = [
                            ("domain", q(&format!("w{domain}.example"))),
                            ("params", format!("[{}]", params.join(", "))),
                        ];
                        push("redirector", object(&fields));
                        toml.push_str("[[redirector]]\n");
                        toml_fields(&mut toml, &fields);
                    }
                    Piece::Complaint { domain, count } => {
                        let fields = [
                            ("domain", q(&format!("c{domain}.example"))),
                            ("category", q("fraud")),
                            ("count", count.to_string()),
                        ];
                        push("complaint", object(&fields));
                        toml.push_str("[[complaint]]\n");
                        toml_fields(&mut toml, &fields);
                    }
                    Piece::Limits { depth, link_len } => {
                        let l = limits();
                        expect.refused |= usize::from(*depth) > l.max_redirect_depth
                            || *link_len == 0
                            || *link_len as usize > l.max_link_len;
                        limits_text = Some(object(&[
                            ("max_redirect_depth", depth.to_string()),
                            ("max_link_len", link_len.to_string()),
                        ]));
                    }
                    Piece::Deep { depth, dotted } => {
                        // An unknown field either way: refused, and first
                        // nesting deeper than the limit, with a location.
                        expect.refused = true;
                        expect.unreadable = true;
                        let d = usize::from(*depth);
                        let (t, j) = if *dotted {
                            (
                                format!("x{n}.{} = 1\n", vec!["a"; d].join(".")),
                                format!("{{{}}}", "\"a\": {".repeat(d) + "}".repeat(d).as_str()),
                            )
                        } else {
                            let v = format!("{}1{}", "[".repeat(d), "]".repeat(d));
                            (format!("x{n} = {v}\n"), v)
                        };
                        // Top-level keys go before the first table.
                        toml.insert_str(0, &t);
                        json.push((q(&format!("x{n}")), j));
                    }
                }
            }
        }
        if !tiers.is_empty() {
            let entries: Vec<String> = tiers
                .iter()
                .map(|t| format!("{}: {{\"group\": \"warn\"}}", q(t)))
                .collect();
            json.push((q("tiers"), format!("{{{}}}", entries.join(", "))));
        }
        if !thresholds.is_empty() {
            let entries: Vec<String> = thresholds
                .iter()
                .map(|t| format!("{}: {{\"warn\": 1}}", q(t)))
                .collect();
            json.push((
                q("complaints"),
                format!("{{\"thresholds\": {{{}}}}}", entries.join(", ")),
            ));
        }
        if !tracking.is_empty() {
            json.push((
                q("tracking"),
                format!("{{\"params\": [{}]}}", tracking.join(", ")),
            ));
            toml.insert_str(0, &format!("tracking.params = [{}]\n", tracking.join(", ")));
        }
        if let Some(l) = &limits_text {
            json.push((q("limits"), l.clone()));
            toml.insert_str(0, &format!("limits = {}\n", inline(l)));
        }
        for t in &tiers {
            toml.push_str(&format!("[tiers.{}]\ngroup = \"warn\"\n", q(t)));
        }
        for t in &thresholds {
            toml.push_str(&format!("[complaints.thresholds.{t}]\nwarn = 1\n"));
        }
        for (name, items) in sections {
            json.push((q(name), format!("[{}]", items.join(", "))));
        }
        let json = format!(
            "{{{}}}",
            json.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        (toml, json, expect)
    }
}

/// A JSON object of the fields (values already written).
fn object(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}: {v}", q(k)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

/// The fields as TOML `key = value` lines (JSON values are TOML inline values
/// once `:` becomes `=`).
fn toml_fields(out: &mut String, fields: &[(&str, String)]) {
    for (k, v) in fields {
        out.push_str(&format!("{k} = {}\n", inline(v)));
    }
}

/// A JSON value as a TOML inline value: `"k": v` pairs become `"k" = v`
/// (generated values hold `": ` only between a key and its value).
fn inline(json: &str) -> String {
    json.replace("\": ", "\" = ")
}

/// Loads the input within [`limits`], as TOML and as JSON, through `measure`
/// (which runs its closure and tells the time it took and the heap it added at
/// most), and checks:
///
/// - no panic, and each load within [`MAX_TIME`] and within
///   [`BYTES_PER_TEXT_BYTE`] × the text + [`FIXED_BYTES`] of heap;
/// - for a generated policy: a duplicate key fails the load with a `Duplicate`
///   error, in JSON as in TOML; a refused id or setting fails it.
pub fn check_bounds(
    input: &BoundsInput,
    measure: &mut dyn FnMut(&mut dyn FnMut()) -> (Duration, usize),
) {
    let (toml, json, expect) = match input {
        BoundsInput::Raw(s) => (s.clone(), s.clone(), None),
        BoundsInput::Spec(spec) => {
            let (t, j, e) = spec.texts();
            (t, j, Some(e))
        }
    };
    let limits = limits();
    for (text, is_toml) in [(&toml, true), (&json, false)] {
        if text.len() > MAX_TEXT {
            continue;
        }
        let mut loaded: Option<Result<Policy, Error>> = None;
        let (time, peak) = measure(&mut || {
            loaded = Some(if is_toml {
                Policy::from_toml_str_with_limits(text, &limits)
            } else {
                Policy::from_json_str_with_limits(text, &limits)
            });
        });
        let format = if is_toml { "TOML" } else { "JSON" };
        assert!(
            time <= MAX_TIME,
            "loading {} bytes of {format} took {time:?}, more than {MAX_TIME:?}",
            text.len()
        );
        let bound = BYTES_PER_TEXT_BYTE * text.len() + FIXED_BYTES;
        assert!(
            peak <= bound,
            "loading {} bytes of {format} took {peak} bytes of heap at its peak, more than {bound}",
            text.len()
        );
        let Some(loaded) = loaded else { continue };
        if let Err(e) = &loaded {
            let _ = e.to_string();
        }
        if let Some(expect) = &expect {
            check_expect(expect, &loaded, format, text);
        }
    }
}

fn check_expect(expect: &Expect, loaded: &Result<Policy, Error>, format: &str, text: &str) {
    match loaded {
        Ok(_) => assert!(
            !expect.duplicate && !expect.refused,
            "a {format} policy that must be refused loaded ({expect:?}):\n{text}"
        ),
        Err(e) => {
            if expect.duplicate
                && !expect.unreadable
                && e.errors().all(|one| one.kind() != ErrorKind::Syntax)
                // A piece refused before it is parsed hides its duplicates.
                && !e.errors().any(|one| one.message().contains("`max_toml_tree_bytes`"))
            {
                assert!(
                    e.errors().any(|one| one.kind() == ErrorKind::Duplicate),
                    "a {format} policy with a duplicate key failed without saying so: {e}\n{text}"
                );
            }
        }
    }
}

impl fmt::Debug for BoundsInput {
    /// The texts, as Rust code that loads them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (toml, json) = match self {
            BoundsInput::Raw(s) => (s.clone(), s.clone()),
            BoundsInput::Spec(spec) => {
                let (t, j, _) = spec.texts();
                (t, j)
            }
        };
        writeln!(f, "let toml = {toml:?};")?;
        writeln!(f, "let json = {json:?};")?;
        writeln!(f, "let _ = linkpolicy::Policy::from_toml_str(toml);")?;
        write!(f, "let _ = linkpolicy::Policy::from_json_str(json);")
    }
}
