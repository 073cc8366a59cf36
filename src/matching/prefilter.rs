//! The regex rules' literal prefilter (issue #6): the `RegexSet` runs only on
//! links that contain a literal some regex requires.
//!
//! When the set is built, each pattern is parsed (with the regex crate's own
//! parser and default flags) and its *required literals* are worked out: strings
//! such that every match of the pattern contains at least one of them. An
//! Aho-Corasick automaton over all of them then tells, per link, whether the set
//! can match at all; most links contain none of them (`.zip`, `?share_unlock=`,
//! `.apk`…), and a search for a few literals costs less than the set's. Links
//! up to 256 bytes are lowercased into a buffer on the stack and searched there
//! with the crate's SIMD searcher (Teddy) where the CPU has one; others are
//! searched ASCII-case-insensitively by the automaton.
//!
//! It is safe because every step only over-approximates: the prefilter may say
//! "maybe" wrongly (the set then runs and finds nothing), never "no" wrongly.
//!
//! - A literal is required by itself; a concatenation needs what any one of its
//!   parts needs, and adjacent parts whose strings are all known (literals, small
//!   classes, optional pieces, zero-width assertions) combine into longer strings
//!   (`\.(zip|mov)` needs `.zip` or `.mov`); an alternation needs the union of
//!   its branches' literals; a repetition at least once needs what its body
//!   needs. Anything that can match without a known literal (`x?`, `x*`, a large
//!   class, a branch that needs nothing) makes the literals *unknown*, and a
//!   single pattern with unknown literals turns the prefilter off.
//! - Literals are kept ASCII-lowercase and searched ASCII-case-insensitively,
//!   which can only find more. Case-insensitive patterns arrive already expanded
//!   by the parser into classes such as `[Ssſ]` and `[Kk\u{212A}]`; the non-ASCII
//!   members become literals of their own, compared as exact UTF-8 bytes.
//! - Literals every web link contains (`https://`, `/`, `.`) are worth nothing to
//!   a prefilter: among a concatenation's parts the one with the longest shortest
//!   literal wins, and a pattern left with only such literals counts as unknown.

use std::cmp::Ordering;

use aho_corasick::{AhoCorasick, MatchKind, packed};
use regex_syntax::hir::{Class, Hir, HirKind, Repetition};

/// The most literals in any one set, and in the prefilter as a whole.
const MAX_LITERALS: usize = 256;
/// A class becomes literals when it has at most this many members (ASCII case
/// aside): `[?&]`, `[Ssſ]` (`(?i)s`).
const MAX_CLASS: usize = 4;
/// Bounded repetitions of known strings are spelt out up to this many copies.
const MAX_REPEAT: u32 = 4;
/// Repeated copies stop growing a literal past this length.
const LONG_ENOUGH: usize = 16;
/// Literals are cut to this many bytes: any part of a required string is
/// required, and the automaton stays small.
const MAX_LEN: usize = 64;
/// Texts up to this long are lowercased on the stack for the SIMD search
/// (links are rarely longer; a bigger buffer costs more to clear).
const PACKED_TEXT: usize = 256;
/// Texts are lowercased in blocks of this many bytes.
const BLOCK: usize = 32;
const _: () = assert!(PACKED_TEXT % BLOCK == 0, "the buffer is whole blocks");
/// Text every web link contains: a literal inside one of these filters nothing.
const EVERY_LINK: [&[u8]; 3] = [b"https://", b"http://", b"."];

/// Literals, ASCII-lowercase, sorted and without duplicates.
type Literals = Vec<Vec<u8>>;

/// A cheap test run before the regex set: `false` only when no pattern can
/// match.
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// Searches any text, ASCII-case-insensitively.
    literals: AhoCorasick,
    /// Searches a lowercased copy of short texts, with SIMD (Teddy), where the
    /// CPU has it and the literals are few.
    packed: Option<packed::Searcher>,
}

impl Prefilter {
    /// The prefilter for a set of patterns, or `None` when some pattern has no
    /// usable required literals (or they are too many), so that every link must
    /// go to the set.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let mut all: Literals = Vec::new();
        for pattern in patterns {
            all.extend(pattern_literals(pattern)?);
            if all.len() > MAX_LITERALS {
                return None;
            }
        }
        for literal in &mut all {
            literal.truncate(MAX_LEN);
        }
        all.sort_unstable();
        all.dedup();
        let literals = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&all)
            .ok()?;
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&all)
            .build();
        Some(Self { literals, packed })
    }

    /// Whether some pattern may match `haystack`: `false` means none can.
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        let haystack = haystack.as_bytes();
        if let Some(packed) = &self.packed {
            let mut buf = [0; PACKED_TEXT];
            if let Some(copy) = buf.get_mut(..haystack.len()) {
                copy.copy_from_slice(haystack);
                // Whole blocks, zeros past the end: a loop the compiler turns
                // into a few vector instructions a block, with no tail.
                for block in buf
                    .chunks_exact_mut(BLOCK)
                    .take(haystack.len().div_ceil(BLOCK))
                {
                    block.make_ascii_lowercase();
                }
                return buf
                    .get(..haystack.len())
                    .is_some_and(|lower| packed.find(lower).is_some());
            }
        }
        self.literals.is_match(haystack)
    }
}

/// The required literals of one pattern (ASCII-lowercase), or `None` when
/// unknown or useless as a filter.
pub(crate) fn pattern_literals(pattern: &str) -> Option<Literals> {
    // The regex crate's defaults: Unicode on, UTF-8 only, no flags set; the
    // pattern's own inline flags (`(?i)`) are in its text.
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let literals = best(analyze(&hir).candidates())?;
    (score(&literals).0 > 0).then_some(literals)
}

/// What is known of the strings an expression matches.
#[derive(Debug, Default)]
struct Info {
    /// Every string it matches is one of these (ASCII case aside).
    exact: Option<Literals>,
    /// Every string it matches contains one of these (ASCII case aside).
    required: Option<Literals>,
}

impl Info {
    fn exact(literals: Literals) -> Self {
        Self {
            exact: Some(literals),
            required: None,
        }
    }

    /// The sets that may serve as required literals: the known strings
    /// themselves, and the required set.
    fn candidates(&self) -> impl Iterator<Item = &Literals> {
        self.exact.iter().chain(self.required.iter())
    }
}

fn analyze(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::exact(vec![Vec::new()]),
        HirKind::Literal(literal) => Info::exact(vec![literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => Info {
            exact: class_literals(class),
            required: None,
        },
        HirKind::Capture(capture) => analyze(&capture.sub),
        HirKind::Repetition(repetition) => repeat(repetition),
        HirKind::Concat(subs) => concat(subs),
        HirKind::Alternation(subs) => alternate(subs),
    }
}

/// A class's members as literals, if at most `MAX_CLASS` (ASCII case aside).
fn class_literals(class: &Class) -> Option<Literals> {
    let mut out = Literals::new();
    match class {
        Class::Unicode(class) => {
            for range in class.iter() {
                for c in range.start()..=range.end() {
                    let mut buf = [0; 4];
                    add_member(&mut out, c.encode_utf8(&mut buf).as_bytes())?;
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.iter() {
                for b in range.start()..=range.end() {
                    add_member(&mut out, &[b])?;
                }
            }
        }
    }
    out.sort_unstable();
    Some(out)
}

/// Adds a class member; `None` once the class is too big. Each distinct literal
/// stands for at most two members (the ASCII letters), so a huge class is given
/// up after a few steps.
fn add_member(out: &mut Literals, member: &[u8]) -> Option<()> {
    let member = member.to_ascii_lowercase();
    if !out.contains(&member) {
        if out.len() == MAX_CLASS {
            return None;
        }
        out.push(member);
    }
    Some(())
}

fn repeat(repetition: &Repetition) -> Info {
    let sub = analyze(&repetition.sub);
    let exact = match (&sub.exact, repetition.max) {
        (Some(strings), Some(max)) if max <= MAX_REPEAT => {
            (repetition.min..=max).try_fold(Literals::new(), |mut all, n| {
                all.extend(power(strings, n)?);
                (all.len() <= MAX_LITERALS).then_some(all)
            })
        }
        _ => None,
    }
    .map(sorted);
    let required = if repetition.min == 0 {
        None
    } else {
        // The first `min` copies are adjacent: as many of them as fit.
        let copies = sub
            .exact
            .as_ref()
            .and_then(|strings| leading_copies(strings, repetition.min));
        best(sub.candidates().chain(copies.as_ref()))
    };
    Info { exact, required }
}

/// Every concatenation of `n` strings of `strings`, or `None` if too many.
fn power(strings: &Literals, n: u32) -> Option<Literals> {
    (0..n).try_fold(vec![Vec::new()], |acc, _| product(&acc, strings))
}

/// The concatenations of 2 to `min` copies, as many copies as stay within the
/// limits; `None` for one copy (no better than the strings themselves).
fn leading_copies(strings: &Literals, min: u32) -> Option<Literals> {
    let mut acc = strings.clone();
    let mut copies = None;
    for _ in 1..min {
        if acc.iter().all(|s| s.len() >= LONG_ENOUGH) {
            break;
        }
        match product(&acc, strings) {
            Some(longer) => acc = longer,
            None => break,
        }
        copies = Some(acc.clone());
    }
    copies
}

fn concat(subs: &[Hir]) -> Info {
    let mut candidates: Vec<Literals> = Vec::new();
    // The product of the parts so far, while every part's strings are known.
    let mut exact = Some(vec![Vec::new()]);
    // The product of the current run of parts with known strings.
    let mut run: Option<Literals> = None;
    for sub in subs {
        let info = analyze(sub);
        exact = match (&exact, &info.exact) {
            (Some(left), Some(right)) => product(left, right),
            _ => None,
        };
        match info.exact {
            Some(strings) => {
                run = Some(match run {
                    None => strings,
                    Some(left) => match product(&left, &strings) {
                        Some(longer) => longer,
                        None => {
                            candidates.push(left);
                            strings
                        }
                    },
                });
            }
            None => candidates.extend(run.take()),
        }
        candidates.extend(info.required);
    }
    candidates.extend(run);
    Info {
        exact,
        required: best(candidates.iter()),
    }
}

fn alternate(subs: &[Hir]) -> Info {
    let infos: Vec<Info> = subs.iter().map(analyze).collect();
    let exact = infos
        .iter()
        .try_fold(Literals::new(), |mut all, info| {
            all.extend(info.exact.iter().flatten().cloned());
            (info.exact.is_some() && all.len() <= MAX_LITERALS).then_some(all)
        })
        .map(sorted);
    let required = infos
        .iter()
        .try_fold(Literals::new(), |mut all, info| {
            all.extend(best(info.candidates())?);
            (all.len() <= MAX_LITERALS).then_some(all)
        })
        .map(minimal);
    Info { exact, required }
}

/// Every string of `left` followed by one of `right`, or `None` if too many.
fn product(left: &Literals, right: &Literals) -> Option<Literals> {
    if left.len().saturating_mul(right.len()) > MAX_LITERALS {
        return None;
    }
    let mut out = Literals::with_capacity(left.len() * right.len());
    for l in left {
        for r in right {
            out.push([l.as_slice(), r.as_slice()].concat());
        }
    }
    Some(sorted(out))
}

/// The best usable set among `candidates`, made minimal: the one whose
/// literals filter best (see `score`).
fn best<'a>(candidates: impl Iterator<Item = &'a Literals>) -> Option<Literals> {
    let mut best: Option<Literals> = None;
    for candidate in candidates {
        // The empty string is in every text: no filter at all.
        if candidate.iter().any(Vec::is_empty) {
            continue;
        }
        let candidate = minimal(candidate.clone());
        let better = best
            .as_ref()
            .is_none_or(|b| score(&candidate).cmp(&score(b)) == Ordering::Greater);
        if better {
            best = Some(candidate);
        }
    }
    best
}

/// How well a set filters: the length of its shortest literal (a literal every
/// link contains counts as 0), then fewer literals. A set of no literals (the
/// expression never matches) is best.
fn score(literals: &Literals) -> (usize, usize) {
    let shortest = literals
        .iter()
        .map(|l| {
            let common = l.is_empty() || EVERY_LINK.iter().any(|text| contains(text, l));
            if common { 0 } else { l.len() }
        })
        .min()
        .unwrap_or(usize::MAX);
    (shortest, usize::MAX - literals.len())
}

/// The set without the literals that contain another of its literals (a text
/// containing the longer one contains the shorter), sorted.
fn minimal(mut literals: Literals) -> Literals {
    literals.sort_unstable_by_key(Vec::len);
    literals.dedup();
    let mut kept = Literals::with_capacity(literals.len());
    for literal in literals {
        if !kept.iter().any(|k| contains(&literal, k)) {
            kept.push(literal);
        }
    }
    sorted(kept)
}

fn sorted(mut literals: Literals) -> Literals {
    literals.sort_unstable();
    literals.dedup();
    literals
}

/// Whether `needle` occurs in `haystack` (both lowercase).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The required literals of `pattern`, as text (`None`: unknown).
    fn lits(pattern: &str) -> Option<Vec<String>> {
        pattern_literals(pattern).map(|set| {
            set.into_iter()
                .map(|l| String::from_utf8(l).unwrap())
                .collect()
        })
    }

    fn set(literals: &[&str]) -> Option<Vec<String>> {
        let mut v: Vec<String> = literals.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        Some(v)
    }

    /// `may_match`, checked against the automaton alone (what texts longer
    /// than the buffer, or CPUs without the SIMD searcher, get).
    fn maybe(p: &Prefilter, text: &str) -> bool {
        let answer = p.may_match(text);
        assert_eq!(answer, p.literals.is_match(text), "{text:?}");
        answer
    }

    /// The sample policy's four regexes (`policies/sample.toml`).
    const SAMPLE: [&str; 4] = [
        r"^https?://[^/:]+\.(zip|mov)(:[0-9]+)?/",
        r"(?i)[?&](share_unlock|unlock_by_share|help_cut|kanjia_id)=",
        r"(?i)[?&](invite_code|inviter_id)=",
        r"(?i)^[^?#]*\.apk([?#]|$)",
    ];

    #[test]
    fn sample_file_tlds() {
        // Not `http`, which every link has.
        assert_eq!(lits(SAMPLE[0]), set(&[".mov", ".zip"]));
    }

    #[test]
    fn sample_share_words() {
        // `(?i)` folds `s` with `ſ` (U+017F) and `k` with the Kelvin sign (U+212A):
        // those spellings are literals of their own.
        let mut expected = Vec::new();
        for word in [
            "share_unlock",
            "\u{17F}hare_unlock",
            "share_unloc\u{212A}",
            "\u{17F}hare_unloc\u{212A}",
            "unlock_by_share",
            "unloc\u{212A}_by_share",
            "unlock_by_\u{17F}hare",
            "unloc\u{212A}_by_\u{17F}hare",
            "help_cut",
            "kanjia_id",
            "\u{212A}anjia_id",
        ] {
            expected.push(format!("?{word}="));
            expected.push(format!("&{word}="));
        }
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(lits(SAMPLE[1]), set(&expected));
    }

    #[test]
    fn sample_invite_words() {
        assert_eq!(
            lits(SAMPLE[2]),
            set(&[
                "&invite_code=",
                "&inviter_id=",
                "?invite_code=",
                "?inviter_id="
            ])
        );
    }

    #[test]
    fn sample_apk() {
        // `.apk?` and `.apk#` contain `.apk`: only the shorter is kept.
        assert_eq!(lits(SAMPLE[3]), set(&[".apk", ".ap\u{212A}"]));
    }

    #[test]
    fn sample_prefilter() {
        let p = Prefilter::new(SAMPLE).unwrap();
        assert!(!maybe(
            &p,
            "https://item.jd.com/100012043978.html?spm=a1.b2"
        ));
        assert!(!maybe(&p, "https://www.example.com/share/unlock?x=1"));
        assert!(maybe(&p, "https://report.zip/"));
        assert!(maybe(&p, "https://x.com/a?SHARE_UNLOCK=1"));
        assert!(maybe(&p, "https://x.com/a?b=1&Inviter_ID=2"));
        assert!(maybe(&p, "https://x.com/app.APK"));
        // A maybe that the set then rejects.
        assert!(maybe(&p, "https://x.com/?q=.zip"));
        // Long links: the automaton alone.
        let long = format!("https://x.com/{}", "a".repeat(PACKED_TEXT));
        assert!(!maybe(&p, &long));
        assert!(maybe(&p, &format!("{long}?Help_Cut=1")));
        assert!(maybe(&p, &format!("{long}.apk")));
    }

    #[test]
    fn literals_and_concatenations() {
        assert_eq!(lits("abc"), set(&["abc"]));
        assert_eq!(lits("ABC"), set(&["abc"]));
        assert_eq!(lits(r"\.html$"), set(&[".html"]));
        // The longest shortest literal wins.
        assert_eq!(lits("ab[0-9]+cdef"), set(&["cdef"]));
        assert_eq!(lits("abcd[0-9]+ef"), set(&["abcd"]));
        // Zero-width assertions do not break a run.
        assert_eq!(lits(r"^ab\bcd$"), set(&["abcd"]));
        // Captures pass through.
        assert_eq!(lits("x(abc)y"), set(&["xabcy"]));
    }

    #[test]
    fn alternations() {
        assert_eq!(lits("foo|bar"), set(&["bar", "foo"]));
        assert_eq!(lits("(?:foo|bar)baz"), set(&["barbaz", "foobaz"]));
        assert_eq!(lits("(?:foo|[0-9]+bar)"), set(&["bar", "foo"]));
        // A branch that needs nothing: unknown.
        assert_eq!(lits("foo|[0-9]+"), None);
        assert_eq!(lits("foo|"), None);
        // A branch's literal inside another's is enough.
        assert_eq!(lits("ab|xaby"), set(&["ab"]));
    }

    #[test]
    fn optional_parts() {
        // `a?` alone needs nothing; beside other pieces it joins their run.
        assert_eq!(lits("a?"), None);
        assert_eq!(lits("x?"), None);
        assert_eq!(lits("foo(bar)?"), set(&["foo"]));
        assert_eq!(lits("(bar)?foo"), set(&["foo"]));
        assert_eq!(lits("zz(bar)?yy"), set(&["zzbaryy", "zzyy"]));
        assert_eq!(lits("[0-9]+(?:bar)?[a-z]+quux"), set(&["quux"]));
        assert_eq!(lits("[0-9]*"), None);
    }

    #[test]
    fn repetitions() {
        assert_eq!(lits("(?:abc)+"), set(&["abc"]));
        assert_eq!(lits("(?:ab){3}"), set(&["ababab"]));
        assert_eq!(lits("(?:ab){2,}x"), set(&["abab"]));
        assert_eq!(lits("(?:ab|cd){2}"), set(&["abab", "abcd", "cdab", "cdcd"]));
        assert_eq!(lits("x(?:ab){0,2}y"), set(&["xababy", "xaby", "xy"]));
        assert_eq!(lits("(?:abc)*"), None);
        assert_eq!(lits("(?:abc)*def"), set(&["def"]));
        assert_eq!(lits("(?:[0-9]+zip)+"), set(&["zip"]));
    }

    #[test]
    fn case_insensitive() {
        assert_eq!(lits("(?i)zip"), set(&["zip"]));
        assert_eq!(lits("(?i:ZIP)x"), set(&["zipx"]));
        assert_eq!(
            lits("(?i)desk"),
            set(&["desk", "des\u{212A}", "de\u{17F}k", "de\u{17F}\u{212A}"])
        );
        // Without Unicode, only the ASCII letters.
        assert_eq!(lits("(?i-u)desk"), set(&["desk"]));
        // A class of one letter in both cases is that letter.
        assert_eq!(lits("[Zz][Ii][Pp]"), set(&["zip"]));
        let p = Prefilter::new(["(?i)desk"]).unwrap();
        for text in ["DESK", "x.desk", "de\u{17F}\u{212A}", "DE\u{17F}K"] {
            assert!(maybe(&p, text), "{text}");
        }
        assert!(!maybe(&p, "des"));
    }

    #[test]
    fn classes() {
        assert_eq!(lits("[?&]x="), set(&["&x=", "?x="]));
        assert_eq!(lits("[abcd]"), set(&["a", "b", "c", "d"]));
        assert_eq!(lits("[abcde]"), None);
        assert_eq!(lits("[a-z]+"), None);
        // A class that matches nothing: so does the pattern.
        assert_eq!(lits("x[a&&b]"), set(&[]));
        assert!(!maybe(&Prefilter::new(["x[a&&b]"]).unwrap(), "xa"));
    }

    #[test]
    fn non_ascii_literals_are_bytes() {
        assert_eq!(lits("€uro"), set(&["€uro"]));
        let p = Prefilter::new(["€uro"]).unwrap();
        assert!(maybe(&p, "x€URO"));
        assert!(!maybe(&p, "xeuro"));
    }

    #[test]
    fn nothing_usable_is_unknown() {
        assert_eq!(lits(r"^https?://[^/]+/[0-9]+$"), None);
        assert_eq!(lits(r"^https://"), None);
        assert_eq!(lits(r"\.[a-z]+$"), None);
        assert_eq!(lits(r"[0-9]{8}"), None);
        assert_eq!(lits(""), None);
        assert_eq!(lits(r"\b"), None);
        assert_eq!(lits("(unclosed"), None);
        // One unknown pattern turns the prefilter off.
        assert!(Prefilter::new(["zip", "[0-9]+"]).is_none());
        assert!(Prefilter::new(["zip", "mov"]).is_some());
    }

    #[test]
    fn too_many_literals_turn_it_off() {
        let words: Vec<String> = (0..300).map(|i| format!("w{i:03}x")).collect();
        let pattern = words.join("|");
        assert_eq!(pattern_literals(&pattern), None);
        let few = words.get(..100).unwrap().join("|");
        assert_eq!(pattern_literals(&few).map(|l| l.len()), Some(100));
        let patterns: Vec<String> = (0..3).map(|_| few.clone()).collect();
        assert!(Prefilter::new(patterns.iter().map(String::as_str)).is_none());
        // Large products stop growing and keep the part that fits.
        assert_eq!(
            lits("[abcd][efgh][ijkl][mnop][qrst]"),
            lits("[abcd][efgh][ijkl][mnop]")
        );
    }

    /// Pieces of patterns and haystacks: URL-ish text, with the letters that
    /// case folding relates to non-ASCII ones.
    const WORDS: [&str; 16] = [
        "a", "b", "s", "k", "zip", "apk", "id", ".", "/", "?", "&", "=", "_", "://", "http", "é",
    ];

    fn word() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(WORDS.as_slice())
    }

    /// Random patterns from a small grammar.
    fn pattern() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            6 => word().prop_map(regex::escape),
            2 => proptest::sample::select(
                [
                    "[?&]", "[ab]", "[a-z]", "[^/]", "[sk]", "[Kk]", "[Ss]", ".", "[0-9]",
                    "[a&&b]", "(?-u:[a-c])", "(?i-u:k)", "[?#]", "\\w",
                ]
                .as_slice()
            )
            .prop_map(str::to_owned),
            1 => proptest::sample::select(
                ["^", "$", "\\b", "\\B", "(?m:^)", "(?m:$)", ""].as_slice()
            )
            .prop_map(str::to_owned),
        ];
        let tree = leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                3 => proptest::collection::vec(inner.clone(), 2..5).prop_map(|v| v.concat()),
                2 => proptest::collection::vec(inner.clone(), 2..4)
                    .prop_map(|v| format!("(?:{})", v.join("|"))),
                2 => (
                    inner.clone(),
                    proptest::sample::select(
                        ["?", "+", "*", "{2}", "{0,2}", "{1,3}", "{2,}", "??", "+?", "{3,5}"]
                            .as_slice()
                    )
                )
                    .prop_map(|(x, op)| format!("(?:{x}){op}")),
                1 => inner.clone().prop_map(|x| format!("(?i:{x})")),
                1 => inner.prop_map(|x| format!("({x})")),
            ]
        });
        (proptest::bool::weighted(0.3), tree)
            .prop_map(|(i, p)| if i { format!("(?i){p}") } else { p })
    }

    /// Random haystacks from the same pieces, in other cases and foldings too.
    fn haystack() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            4 => word().prop_map(str::to_owned),
            1 => proptest::sample::select(
                ["A", "S", "K", "ZIP", "Apk", "\u{17F}", "\u{212A}", "É", "1", "x", "https://"]
                    .as_slice()
            )
            .prop_map(str::to_owned),
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|v| v.concat())
    }

    /// The sample regexes' kind of haystack: links that often contain what
    /// they look for, in varied case.
    const SAMPLE_URL: &str = "(https?|HTTP)://([a-z]{1,3}\\.)?(zip|mov|apk|com|x)(\\.(zip|mov|ZIP|Mov|com))?\
        (:[0-9]{1,3})?(/([a-z]|\\.apk|\\.APK|\\.ap\u{212A}|\\.zip|_){0,4}){0,3}\
        ([?&#]((share_unlock|SHARE_UNLOCK|\u{17F}hare_unlock|unlock_by_share|unloc\u{212A}_by_\u{17F}hare|\
        help_cut|kanjia_id|\u{212A}anjia_id|invite_code|Inviter_ID|x)=?[a-z0-9]{0,2}|\\.apk|#)){0,3}";

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(1000))]

        /// The safety invariant: whenever a pattern matches, its prefilter, and
        /// the prefilter of any set it is in, says "maybe".
        #[test]
        fn never_no_when_a_pattern_matches(
            patterns in proptest::collection::vec(pattern(), 1..4),
            haystacks in proptest::collection::vec(haystack(), 8),
        ) {
            let regexes: Vec<regex::Regex> =
                patterns.iter().filter_map(|p| regex::Regex::new(p).ok()).collect();
            proptest::prop_assume!(regexes.len() == patterns.len());
            let alone: Vec<Option<Prefilter>> =
                patterns.iter().map(|p| Prefilter::new([p.as_str()])).collect();
            let all = Prefilter::new(patterns.iter().map(String::as_str));
            for h in &haystacks {
                let mut any = false;
                for ((p, re), filter) in patterns.iter().zip(&regexes).zip(&alone) {
                    if re.is_match(h) {
                        any = true;
                        proptest::prop_assert!(
                            filter.as_ref().is_none_or(|f| maybe(f, h)),
                            "pattern {p:?} matches {h:?}, literals {:?}",
                            pattern_literals(p)
                        );
                    }
                }
                if any {
                    proptest::prop_assert!(all.as_ref().is_none_or(|f| maybe(f, h)));
                }
            }
        }

        /// The same over the sample policy's regexes and generated links.
        #[test]
        fn sample_regexes_never_missed(url in SAMPLE_URL) {
            let all = Prefilter::new(SAMPLE).unwrap();
            for p in SAMPLE {
                if regex::Regex::new(p).unwrap().is_match(&url) {
                    proptest::prop_assert!(maybe(&Prefilter::new([p]).unwrap(), &url), "{p}");
                    proptest::prop_assert!(maybe(&all, &url), "{p}");
                }
            }
        }
    }
}
