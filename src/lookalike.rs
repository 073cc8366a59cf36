//! Lookalike domains and mixed-script labels (the contract's `[lookalike]` floor and
//! the `mixed_script` floor), after [Unicode Technical Standard #39], with the data of
//! the `unicode-security` crate rather than tables of our own.
//!
//! - **Lookalike**: a link's registrable domain imitates a protected one when it is not
//!   protected itself and its *skeleton* equals the protected domain's skeleton. The
//!   skeleton (UTS #39 section 4) maps every character to a prototype of what it looks
//!   like, so `tаobao.com` (Cyrillic `а`), `gοogle.com` (Greek `ο`), `l63.com` (`1` and
//!   `l` share a prototype) and `jd.corn` (`m` looks like `rn`) all have the skeleton
//!   of the domain they imitate. The whole registrable domain takes part, suffix
//!   included (`jd.corn` imitates `jd.com`), in its Unicode form: `xn--` labels are
//!   decoded first. The skeleton is taken of the lowercase form, the form a browser
//!   shows a host in, and is case-sensitive like UTS #39's: `0` has the prototype `O`
//!   and so does not imitate `o` (`g0ogle.com` is not a lookalike of `google.com`).
//! - **Mixed script**: a label mixes scripts when it is not *single-script* in UTS #39's
//!   sense (characters of the Common and Inherited scripts, such as digits and `-`,
//!   belong to every script; Han, Hiragana and Katakana form one writing system, as do
//!   Han and Bopomofo, and Han and Hangul) and is not one of the combinations UTS #39's
//!   *Highly Restrictive* level allows either: Latin with one of those CJK writing
//!   systems (`hello中国`, `eコマース`, `한글han`), which are common in East Asian
//!   domain names. `tаobao` (Latin with Cyrillic) mixes scripts; `京东`, `日本語のテスト`
//!   and the all-Cyrillic `аррӏе` do not (the last is caught by the skeleton check
//!   when `apple.com` is protected).
//!
//! What this module does not do, by design: Chromium's IDN spoof checker has further
//! heuristics (whole-script confusables in a non-matching top-level domain, digit
//! lookalikes from other scripts, diacritic removal before comparing with its list of
//! top domains, blocked characters and patterns); the cases of its test list that only
//! those catch are listed, each with a reason, in
//! `tests/data/lookalike/out_of_scope.txt`.
//!
//! [Unicode Technical Standard #39]: https://www.unicode.org/reports/tr39/

use crate::domain::{FastMap, FastSet};
use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_security::mixed_script::AugmentedScriptSet;
use unicode_security::skeleton;

/// The ASCII Compatible Encoding prefix of an IDNA label.
const ACE_PREFIX: &str = "xn--";

/// The skeletons of the ASCII characters whose skeleton is ASCII too, computed
/// once from the `unicode-security` data. ASCII is unchanged by NFD and holds no
/// default-ignorable character, so the skeleton of a string of such characters is
/// the concatenation of theirs: the fast path for plain ASCII labels.
static ASCII_SKELETONS: LazyLock<AsciiSkeletons> = LazyLock::new(|| {
    let mut t = AsciiSkeletons {
        single: [0; 128],
        other: vec![None; 128],
    };
    for b in 0..128u8 {
        let s: String = skeleton(char::from(b).encode_utf8(&mut [0; 4])).collect();
        let (Some(single), Some(other)) = (
            t.single.get_mut(usize::from(b)),
            t.other.get_mut(usize::from(b)),
        ) else {
            continue;
        };
        // Upper-case letters are in neither table: a domain with one is not in
        // the lowercase form skeletons are taken of, so it goes the slow way.
        if b.is_ascii_uppercase() || !s.is_ascii() {
            continue;
        }
        match s.as_bytes() {
            [one] => *single = *one,
            _ => *other = Some(s.into_boxed_str()),
        }
    }
    t
});

/// The skeleton of each ASCII character, when it is ASCII and the character is
/// not an upper-case letter.
#[derive(Debug)]
struct AsciiSkeletons {
    /// The skeleton when it is one byte (most characters: themselves; `1` → `l`,
    /// `0` → `O`), else 0 (the NUL character's skeleton is not needed).
    single: [u8; 128],
    /// The skeleton when it is longer (`m` → `rn`).
    other: Vec<Option<Box<str>>>,
}

impl AsciiSkeletons {
    /// The skeleton of a byte, when the tables have one: a one-byte slice of
    /// `single` or a longer one of `other`.
    fn of(&self, b: u8) -> Option<&[u8]> {
        let i = usize::from(b);
        match self.single.get(i) {
            Some(one) if *one != 0 => Some(std::slice::from_ref(one)),
            _ => self.other.get(i)?.as_deref().map(str::as_bytes),
        }
    }
}

/// The augmented script set of each ASCII character, computed once.
static ASCII_SCRIPTS: LazyLock<Vec<AugmentedScriptSet>> = LazyLock::new(|| {
    (0..128u8)
        .map(|b| AugmentedScriptSet::for_char(char::from(b)))
        .collect()
});

/// Protected registrable domains and their UTS #39 skeletons, computed at build time.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lookalikes {
    /// The skeleton of each protected domain, with the first protected domain that
    /// has it.
    by_skeleton: FastMap<Box<str>, Box<str>>,
    /// The protected domains themselves: none of them is a lookalike.
    protected: FastSet<Box<str>>,
}

impl Lookalikes {
    /// `protected`: ASCII (IDNA) lowercase registrable domains, e.g. "jd.com",
    /// "xn--xhq9m.com" (already normalized by the caller).
    ///
    /// When two protected domains share a skeleton, a lookalike of both is reported
    /// as imitating the one given first.
    pub(crate) fn new<I: IntoIterator<Item = String>>(protected: I) -> Self {
        let mut by_skeleton = FastMap::default();
        let mut set = FastSet::default();
        for domain in protected {
            let domain = domain.into_boxed_str();
            by_skeleton
                .entry(domain_skeleton(&domain).into_boxed_str())
                .or_insert_with(|| domain.clone());
            set.insert(domain);
        }
        Self {
            by_skeleton,
            protected: set,
        }
    }

    /// Whether no domain is protected.
    pub(crate) fn is_empty(&self) -> bool {
        self.protected.is_empty()
    }

    /// For an ASCII lowercase registrable domain of a link (may contain xn-- labels):
    /// the protected domain it imitates, if it is not itself protected and its
    /// skeleton equals a protected domain's skeleton.
    ///
    /// Costs one skeleton (no allocation for an ASCII domain, see
    /// [`with_skeleton`]) and one hash lookup; a second lookup only on a match.
    pub(crate) fn imitated(&self, registrable: &str, plain: bool) -> Option<&str> {
        if self.by_skeleton.is_empty() {
            return None;
        }
        let of = with_skeleton(registrable, plain, |s| self.by_skeleton.get(s))?;
        // A protected domain imitates nothing.
        if self.protected.contains(&*ascii_lowercase(registrable)) {
            return None;
        }
        Some(&**of)
    }
}

/// The most bytes of an ASCII skeleton made on the stack, enough for nearly
/// every registrable domain; a longer one (a registrable domain may have 253
/// bytes, and `m` becomes `rn`) is made on the heap.
const STACK_SKELETON: usize = 64;

/// Calls `f` with the skeleton of a domain: made on the stack for a lowercase
/// ASCII domain without `xn--` labels (most domains, which then cost no
/// allocation), else by [`domain_skeleton`]. `plain`: the caller knows that no
/// label is `xn--` (a host the fast path read).
fn with_skeleton<R>(domain: &str, plain: bool, f: impl FnOnce(&str) -> R) -> R {
    if !plain && has_double_hyphen(domain) {
        return f(&domain_skeleton(domain));
    }
    let table = &*ASCII_SKELETONS;
    let mut buf = [0u8; STACK_SKELETON];
    let mut len = 0;
    for &b in domain.as_bytes() {
        let pushed = match table.of(b) {
            // Most characters are their own skeleton, or another single one:
            // stored byte by byte, as a copy per character would call memcpy.
            Some(&[one]) => buf.get_mut(len).map(|slot| {
                *slot = one;
                len += 1;
            }),
            Some(s) => buf.get_mut(len..len + s.len()).map(|slots| {
                slots.copy_from_slice(s);
                len += s.len();
            }),
            None => None,
        };
        if pushed.is_none() {
            return f(&domain_skeleton(domain));
        }
    }
    match buf.get(..len).map(std::str::from_utf8) {
        Some(Ok(skeleton)) => f(skeleton),
        _ => f(&domain_skeleton(domain)),
    }
}

/// Whether the text has `--` (every `xn--` label has).
fn has_double_hyphen(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"--")
}

/// Whether any label of the ASCII host (decode xn-- labels to Unicode first) mixes
/// scripts in a way UTS #39 calls not single-script (Common/Inherited characters like
/// digits and '-' don't count as a script), Latin with Han, Japanese or Korean
/// excepted (see the module's documentation). Fast path: a pure-ASCII host without
/// "xn--" is never mixed.
///
/// A label that is not valid punycode (which the URL parser does not let through)
/// does not count as mixed.
pub(crate) fn mixes_scripts(host: &str) -> bool {
    // An `xn--` label has a `--`: without one, an ASCII host is all Latin.
    if host.is_ascii() && !has_double_hyphen(host) {
        return false;
    }
    host.split('.').any(|label| {
        if label.is_ascii() && !is_ace(label) {
            return false;
        }
        unicode_label(label).is_some_and(|l| label_mixes_scripts(&l))
    })
}

/// Whether a label starts with `xn--`, in any case.
fn is_ace(label: &str) -> bool {
    label
        .get(..ACE_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(ACE_PREFIX))
}

/// `s` with ASCII letters lowercase, borrowed when it has no uppercase one.
fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The Unicode form of one label, lowercase: `xn--` labels decoded. `None` for an
/// `xn--` label that is not valid punycode.
fn unicode_label(label: &str) -> Option<Cow<'_, str>> {
    let lower = ascii_lowercase(label);
    match lower.strip_prefix(ACE_PREFIX) {
        Some(encoded) => idna::punycode::decode_to_string(encoded).map(Cow::Owned),
        None => Some(lower),
    }
}

/// The UTS #39 skeleton of a domain in its lowercase Unicode form. An `xn--` label
/// that is not valid punycode stays as it is.
fn domain_skeleton(domain: &str) -> String {
    let mut out = String::with_capacity(domain.len().saturating_add(4));
    for (i, label) in domain.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if push_ascii_skeleton(label, &mut out) {
            continue;
        }
        match unicode_label(label) {
            Some(unicode) => out.extend(skeleton(&unicode)),
            None => out.extend(skeleton(&label.to_ascii_lowercase())),
        }
    }
    out
}

/// Appends the skeleton of a plain ASCII label (not `xn--`), lowercase, from
/// [`ASCII_SKELETONS`]. `false`, with nothing appended, when that does not apply.
fn push_ascii_skeleton(label: &str, out: &mut String) -> bool {
    if !label.is_ascii() || is_ace(label) {
        return false;
    }
    let table = &*ASCII_SKELETONS;
    let start = out.len();
    for b in label.bytes() {
        match table.of(b.to_ascii_lowercase()) {
            Some(s) => out.extend(s.iter().map(|&c| char::from(c))),
            None => {
                out.truncate(start);
                return false;
            }
        }
    }
    true
}

/// Whether one Unicode label mixes scripts: it is not single-script, nor Latin with
/// one of the CJK writing systems (UTS #39's Highly Restrictive level, section 5.2).
fn label_mixes_scripts(label: &str) -> bool {
    let latin = AugmentedScriptSet::for_char('a');
    let mut all = AugmentedScriptSet::default();
    let mut beside_latin = AugmentedScriptSet::default();
    for c in label.chars() {
        let set = u8::try_from(c)
            .ok()
            .and_then(|b| ASCII_SCRIPTS.get(usize::from(b)).copied())
            .unwrap_or_else(|| AugmentedScriptSet::for_char(c));
        all.intersect_with(set);
        let mut with_latin = set;
        with_latin.intersect_with(latin);
        if with_latin.is_empty() {
            beside_latin.intersect_with(set);
        }
    }
    if !all.is_empty() {
        return false;
    }
    !(beside_latin.hanb || beside_latin.jpan || beside_latin.kore)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::normalize_domain;
    use crate::psl::PublicSuffixList;

    /// The skeleton made on the stack is the one `domain_skeleton` makes, with
    /// and without the caller's word that no label is `xn--`: on the vendored
    /// feed (190,215 domains), and on every ASCII character.
    #[test]
    fn stack_skeleton_is_the_skeleton() {
        let feed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/lists/phishing.txt"
        ))
        .unwrap();
        let mut domains: Vec<String> = feed
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_owned)
            .collect();
        domains.extend((0..128u8).map(|b| format!("a{}b.com", char::from(b))));
        domains.push("xn--xhq9m.com".to_owned());
        domains.push("PayPal.com".to_owned());
        domains.push("m".repeat(300));
        domains.push("a--b.m0-1.com".to_owned());
        for d in &domains {
            let want = domain_skeleton(d);
            assert_eq!(with_skeleton(d, false, str::to_owned), want, "{d:?}");
            // What the fast path reads as a plain domain: no `xn--` label.
            if !d.split('.').any(is_ace) {
                assert_eq!(with_skeleton(d, true, str::to_owned), want, "{d:?}");
            }
        }
    }

    fn protect(domains: &[&str]) -> Lookalikes {
        Lookalikes::new(domains.iter().map(|d| (*d).to_owned()))
    }

    macro_rules! imitates {
        ($name:ident, [$($p:expr),*], $domain:expr, $want:expr) => {
            #[test]
            fn $name() {
                let l = protect(&[$($p),*]);
                assert_eq!(l.imitated($domain, false), $want, "{}", domain_skeleton($domain));
            }
        };
    }
    macro_rules! mixed {
        ($name:ident, $host:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(mixes_scripts($host), $want);
            }
        };
    }

    // Lookalikes.
    imitates!(rn_for_m, ["jd.com"], "jd.corn", Some("jd.com"));
    imitates!(
        letter_l_for_digit_1,
        ["163.com"],
        "l63.com",
        Some("163.com")
    );
    imitates!(
        digit_1_for_letter_l,
        ["l63.com"],
        "163.com",
        Some("l63.com")
    );
    imitates!(
        cyrillic_a,
        ["taobao.com"],
        "xn--tobao-4ve.com",
        Some("taobao.com")
    );
    imitates!(
        greek_omicron,
        ["google.com"],
        "xn--gogle-rce.com",
        Some("google.com")
    );
    imitates!(
        whole_cyrillic,
        ["apple.com"],
        "xn--80ak6aa92e.com",
        Some("apple.com")
    );
    imitates!(protected_itself, ["jd.com"], "jd.com", None);
    imitates!(unrelated, ["jd.com"], "example.com", None);
    imitates!(ordinary_idn, ["jd.com"], "xn--xhq9m.com", None);
    imitates!(other_idn, ["xn--xhq9m.com"], "xn--fiq228c.com", None);
    imitates!(
        protected_idn_itself,
        ["xn--xhq9m.com"],
        "xn--xhq9m.com",
        None
    );
    imitates!(suffix_counts, ["jd.com"], "jd.cn", None);
    imitates!(zero_is_not_o, ["google.com"], "g0ogle.com", None);
    imitates!(nothing_protected, [], "jd.corn", None);
    imitates!(
        first_of_equal_skeletons,
        ["jd.corn", "jd.com"],
        "xn--j-64b.com",
        Some("jd.corn")
    );
    imitates!(both_protected, ["jd.corn", "jd.com"], "jd.com", None);
    imitates!(
        uppercase_tolerated,
        ["taobao.com"],
        "XN--TOBAO-4VE.COM",
        Some("taobao.com")
    );
    imitates!(uppercase_protected_itself, ["jd.com"], "JD.com", None);
    imitates!(bad_punycode, ["jd.com"], "xn--krank-kg706554a.com", None);

    #[test]
    fn skeletons() {
        assert_eq!(domain_skeleton("jd.com"), "jd.corn");
        assert_eq!(domain_skeleton("xn--tobao-4ve.com"), "taobao.corn");
        assert_eq!(domain_skeleton("xn--xhq9m.com"), "京东.corn");
    }

    #[test]
    fn ascii_fast_path_is_the_skeleton() {
        for b in 0..128u8 {
            let c = char::from(b).to_ascii_lowercase().to_string();
            let mut fast = String::new();
            if push_ascii_skeleton(&c, &mut fast) {
                assert_eq!(fast, skeleton(&c).collect::<String>(), "{c:?}");
            }
        }
        for d in ["jd.com", "l63.com", "Item.JD.com", "a-b_c.0-9.com", "rn.m"] {
            let lower = d.to_ascii_lowercase();
            assert_eq!(domain_skeleton(d), skeleton(&lower).collect::<String>());
        }
        let mut out = String::new();
        assert!(!push_ascii_skeleton("xn--xhq9m", &mut out));
        assert!(!push_ascii_skeleton("%", &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn is_empty() {
        assert!(Lookalikes::default().is_empty());
        assert!(protect(&[]).is_empty());
        assert!(!protect(&["jd.com"]).is_empty());
    }

    // Mixed scripts.
    mixed!(latin_and_cyrillic, "xn--tobao-4ve.com", true);
    mixed!(han, "xn--xhq9m.com", false);
    mixed!(japanese, "xn--u9j5hmbj5909dcvb2w6i.jp", false);
    mixed!(ascii, "jd.com", false);
    mixed!(all_cyrillic, "xn--80ak6aa92e.com", false);
    mixed!(latin_and_han, "www.xn--hello-9n1hm04c.com", false);
    mixed!(
        latin_and_greek_in_subdomain,
        "xn--gogle-rce.example.com",
        true
    );
    mixed!(per_label, "xn--y9j3b.xn--3e0b707e", false);
    mixed!(hangul_and_hiragana, "xn--y9j3b9855e.kr", true);
    mixed!(digits_and_hyphen, "xn---123-45dmmc5f.ru", false);
    mixed!(bad_punycode_is_not_mixed, "xn--krank-kg706554a.com", false);
    mixed!(uppercase_ace, "XN--TOBAO-4VE.com", true);
    mixed!(empty, "", false);

    // Data-driven: Chromium's IDN spoof-checker cases (tests/data/lookalike/).
    const CASES: &str = include_str!("../tests/data/lookalike/chromium_idn_spoof.tsv");
    const TOP_DOMAINS: &str = include_str!("../tests/data/lookalike/chromium_test_top_domains.txt");
    const OUT_OF_SCOPE: &str = include_str!("../tests/data/lookalike/out_of_scope.txt");

    /// The tab-separated fields of each line that is not blank or a `#` comment.
    fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split('\t').collect())
    }

    /// Whether either check flags `host`: a label mixes scripts, or the registrable
    /// domain imitates a protected one.
    fn flagged(lookalikes: &Lookalikes, psl: &PublicSuffixList, host: &str) -> bool {
        mixes_scripts(host)
            || psl
                .registrable_domain(host)
                .and_then(|r| lookalikes.imitated(r, false))
                .is_some()
    }

    #[test]
    fn chromium_idn_spoof_cases() {
        let protected = records(TOP_DOMAINS).map(|f| normalize_domain(f[0]).unwrap());
        let lookalikes = Lookalikes::new(protected);
        let psl = PublicSuffixList::builtin();
        let mut disagree = BTreeMap::new();
        let mut agree = 0;
        for f in records(CASES) {
            assert_eq!(f.len(), 6, "{f:?}");
            let host = f[0].trim_end_matches('.');
            let unsafe_ = match f[2] {
                "safe" => false,
                "unsafe" => true,
                other => panic!("verdict {other:?} in {f:?}"),
            };
            if flagged(&lookalikes, &psl, host) == unsafe_ {
                agree += 1;
            } else {
                let check = if unsafe_ { f[3] } else { "safe" };
                disagree.insert(f[0], check);
            }
        }
        let listed: BTreeMap<&str, &str> = records(OUT_OF_SCOPE)
            .map(|f| {
                assert!(f.len() == 3 && !f[2].trim().is_empty(), "{f:?}");
                (f[0], f[1])
            })
            .collect();
        assert_eq!(
            listed.len(),
            records(OUT_OF_SCOPE).count(),
            "a host is listed twice"
        );
        let unlisted: Vec<_> = disagree
            .keys()
            .filter(|h| !listed.contains_key(*h))
            .collect();
        let stale: Vec<_> = listed
            .keys()
            .filter(|h| !disagree.contains_key(*h))
            .collect();
        assert!(
            unlisted.is_empty() && stale.is_empty(),
            "disagreements missing from out_of_scope.txt: {unlisted:?}\n\
             listed in out_of_scope.txt but now agreeing: {stale:?}"
        );
        assert_eq!(listed, disagree, "the Chromium check column differs");
        assert!(
            agree > disagree.len(),
            "{agree} agree, {} differ",
            disagree.len()
        );
    }

    #[test]
    fn chromium_unicode_forms_decode() {
        for f in records(CASES) {
            let (host, unicode) = (f[0], f[1]);
            // Chromium keeps some labels in punycode; those rows say so.
            if unicode.contains(ACE_PREFIX) {
                continue;
            }
            let decoded: Vec<_> = host.split('.').map(|l| unicode_label(l).unwrap()).collect();
            assert_eq!(decoded.join("."), unicode, "{host}");
        }
    }
}
