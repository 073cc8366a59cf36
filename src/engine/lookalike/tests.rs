use super::*;
use crate::psl::PublicSuffixList;

/// The skeleton made on the stack is the one made the slow way, with and
/// without the caller's word that no label is `xn--`: on the vendored feed
/// (190,215 domains), and on every ASCII character.
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
        let want = slow_skeleton(d);
        assert_eq!(
            with_reading_skeleton(d, false, str::to_owned),
            want,
            "{d:?}"
        );
        // What the fast path reads as a plain domain: no `xn--` label.
        if !d.split('.').any(is_ace) {
            assert_eq!(with_reading_skeleton(d, true, str::to_owned), want, "{d:?}");
        }
    }
}

/// The filter of [`Lookalikes::may_imitate`] never says no where the lookups
/// find a protected skeleton, and says no for most other hosts: every domain of
/// the vendored feed, as written, in capitals, under `www.`, with `0`/`1`/`rn`
/// readings, checked against a quarter of the feed protected.
#[test]
fn filter_never_hides_a_protected_skeleton() {
    let feed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/lists/phishing.txt"
    ))
    .unwrap();
    let domains: Vec<&str> = feed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty() && l.is_ascii())
        .collect();
    let mut protected: Vec<String> = domains.iter().step_by(4).map(|d| (*d).to_owned()).collect();
    protected.extend(["icbc.com.cn", "paypal.com", "a.b.c.d.example"].map(str::to_owned));
    let l = Lookalikes::new(protected, Options::default());
    let mut hosts: Vec<String> = Vec::new();
    for d in domains.iter().take(20_000) {
        hosts.push((*d).to_owned());
        hosts.push(format!("www.{d}"));
        hosts.push(d.to_ascii_uppercase());
        hosts.push(d.replace('o', "0").replace('l', "1").replace('m', "rn"));
    }
    hosts.extend(
        [
            "icbc.corn.cn",
            "paypaI.com",
            "PAYPAL.COM",
            "x.a.b.c.d.example",
            "b.c.d.example",
        ]
        .map(str::to_owned),
    );
    let (mut found, mut passed) = (0, 0);
    for host in &hosts {
        let hit = with_reading_skeleton(host, true, |s| {
            !matches!(l.match_skeleton(host, s, None), Match::None)
        });
        let may = l.may_imitate(host.as_bytes());
        assert!(may || !hit, "{host}");
        found += usize::from(hit);
        passed += usize::from(may);
    }
    assert!(found > 15_000, "{found}");
    // Hosts that read as no protected skeleton but pass the filter: few.
    assert!(
        (passed - found) * 10 < hosts.len() - found,
        "{passed} {found}"
    );
}

#[test]
fn suffix_filter() {
    assert!(SuffixFilter::default().may_have(7));
    let f = SuffixFilter::new(&[1, 2, 3]);
    assert!(f.may_have(1) && f.may_have(2) && f.may_have(3));
    assert!((4..1000).filter(|&h| f.may_have(h)).count() < 100);
    // A suffix's hash carried on from a shorter one is the skeleton's.
    let t = &*READING_HASHES;
    let carried = b"jd.com".iter().rev().fold(0u64, |h, &b| {
        let (mul, add) = t.any[usize::from(b)];
        h.wrapping_mul(mul).wrapping_add(add)
    });
    assert_eq!(carried, skeleton_hash(slow_skeleton("jd.com").as_bytes()));
    assert_eq!(t.any[usize::from(b'.')], (HASH_MUL, u64::from(b'.')));
    assert_eq!(t.any[0x80], (0, 0));
    // One-byte readings agree with the general form; `m` reads as two.
    for b in 0..=255u8 {
        let one = t.one[usize::from(b)];
        if one != 0 {
            assert_eq!(t.any[usize::from(b)], (HASH_MUL, u64::from(one)), "{b}");
        }
    }
    assert_eq!(t.one[usize::from(b'm')], 0);
    assert_ne!(t.any[usize::from(b'm')].0, 0);
}

fn protect(domains: &[&str]) -> Lookalikes {
    with(domains, Options::default())
}

fn with(domains: &[&str], options: Options) -> Lookalikes {
    Lookalikes::new(domains.iter().map(|d| (*d).to_owned()), options)
}

const EMBEDDED: Options = Options {
    embedded: true,
    typosquat: false,
};

/// What `host` imitates, with its registrable domain from the built-in list.
fn imitated<'a>(l: &'a Lookalikes, host: &str, written: Option<&str>) -> Option<&'a str> {
    let psl = PublicSuffixList::builtin();
    let start = psl.registrable_domain(host).map(|r| host.len() - r.len());
    l.imitated(host, written, start, false)
}

macro_rules! imitates {
    ($name:ident, [$($p:expr),*], $host:expr, $want:expr) => {
        #[test]
        fn $name() {
            let l = protect(&[$($p),*]);
            assert_eq!(imitated(&l, $host, None), $want, "{}", slow_skeleton($host));
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
imitates!(subdomain_of_protected, ["jd.com"], "item.jd.com", None);
imitates!(unrelated, ["jd.com"], "example.com", None);
imitates!(ordinary_idn, ["jd.com"], "xn--xhq9m.com", None);
imitates!(other_idn, ["xn--xhq9m.com"], "xn--fiq228c.com", None);
imitates!(
    protected_idn_itself,
    ["xn--xhq9m.com"],
    "xn--xhq9m.com",
    None
);
imitates!(other_suffix_same_name, ["jd.com"], "jd.cn", None);
imitates!(
    other_public_suffix_appended,
    ["paypal.com"],
    "paypal.com.cn",
    None
);
imitates!(
    zero_reads_as_o,
    ["google.com"],
    "g00gle.com",
    Some("google.com")
);
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
imitates!(bad_punycode, ["jd.com"], "xn--krank-kg706554a.com", None);
// Issue #13: every suffix of two labels or more.
imitates!(
    spoofed_two_label_suffix,
    ["icbc.com.cn"],
    "icbc.corn.cn",
    Some("icbc.com.cn")
);
imitates!(
    spoofed_suffix_subdomain,
    ["icbc.com.cn"],
    "www.icbc.corn.cn",
    Some("icbc.com.cn")
);
imitates!(
    protected_three_labels,
    ["icbc.com.cn"],
    "www.icbc.com.cn",
    None
);
imitates!(
    embedded_is_opt_in,
    ["paypal.com"],
    "paypal.com.evil.example",
    None
);

/// Opt-in: a protected domain in front of another registrable domain.
#[test]
fn embedded() {
    let l = with(&["paypal.com"], EMBEDDED);
    let e = |h: &str| imitated(&l, h, None);
    assert_eq!(e("paypal.com.evil.example"), Some("paypal.com"));
    assert_eq!(e("www.paypa1.com.login.evil.example"), Some("paypal.com"));
    assert_eq!(e("paypal.com.paypal.com"), None);
    assert_eq!(e("paypal.evil.example"), None);
    assert_eq!(e("paypal.com"), None);
}

// Chromium's diacritic removal and extra confusables.
imitates!(
    d_stroke,
    ["digklmo68.com"],
    "xn--igklmo68-kcb.com",
    Some("digklmo68.com")
);
imitates!(
    h_stroke,
    ["phktb.com"],
    "xn--pktb-5xa.com",
    Some("phktb.com")
);
imitates!(
    thorn_reads_as_b,
    ["wmhtb.com"],
    "xn--wmht-esa.com",
    Some("wmhtb.com")
);

#[test]
fn host_as_written() {
    let l = protect(&["paypal.com", "google.com"]);
    assert_eq!(
        imitated(&l, "paypai.com", Some("paypaI.com")),
        Some("paypal.com")
    );
    assert_eq!(
        imitated(&l, "googie.com", Some("googIe.com")),
        Some("google.com")
    );
    assert_eq!(imitated(&l, "paypai.com", None), None);
    // The protected domain itself, written in capitals.
    assert_eq!(imitated(&l, "paypal.com", Some("PAYPAL.COM")), None);
}

#[test]
fn written_hosts() {
    let w = |raw: &str, host: &str| crate::link::text::written_host(raw, host);
    assert_eq!(
        w("https://paypaI.com/x", "paypai.com").as_deref(),
        Some("paypaI.com")
    );
    assert_eq!(w("paypaI.com", "paypai.com").as_deref(), Some("paypaI.com"));
    assert_eq!(
        w("HTTPS://u:p@WWW.googIe.com:443/?q#f", "www.googie.com").as_deref(),
        Some("WWW.googIe.com")
    );
    assert_eq!(w("https://paypal.com/", "paypal.com"), None);
    assert_eq!(
        w("https://paypaI.com./", "paypai.com").as_deref(),
        Some("paypaI.com")
    );
    // A label that is not a case variant stays as normalized.
    assert_eq!(w("https://BÜcher.de/", "xn--bcher-kva.de"), None);
    assert_eq!(
        w("https://ABC.xn--bcher-kva.de/", "abc.xn--bcher-kva.de").as_deref(),
        Some("ABC.xn--bcher-kva.de")
    );
    assert_eq!(w("", ""), None);
}

#[test]
fn typosquat() {
    let options = Options {
        typosquat: true,
        embedded: false,
    };
    let l = with(&["myetherwallet.com", "jd.com"], options);
    let t = |h: &str| imitated(&l, h, None);
    assert_eq!(t("myetherwalet.com"), Some("myetherwallet.com"));
    assert_eq!(t("myetherwallett.io"), Some("myetherwallet.com"));
    assert_eq!(t("myethrewallet.com"), Some("myetherwallet.com"));
    assert_eq!(t("myetherwallet.com"), None);
    assert_eq!(t("myetherwallet.io"), None);
    assert_eq!(t("www.myetherwallet.com"), None);
    assert_eq!(t("myetherwalle.com"), Some("myetherwallet.com"));
    assert_eq!(t("mytherwalet.com"), None);
    assert_eq!(t("myetherw.allet.com"), Some("myetherwallet.com"));
    assert_eq!(t("www.myetherwallet.cm"), Some("myetherwallet.com"));
    assert_eq!(t("myetherwallet.cx"), None);
    // Too short to compare.
    assert_eq!(t("jb.com"), None);
    // Off unless asked for.
    let off = protect(&["myetherwallet.com"]);
    assert_eq!(imitated(&off, "myetherwalet.com", None), None);
}

#[test]
fn one_edit() {
    assert!(is_one_edit("paypal", "paypa"));
    assert!(is_one_edit("paypal", "paypall"));
    assert!(is_one_edit("paypal", "paypel"));
    assert!(is_one_edit("paypal", "papyal"));
    assert!(!is_one_edit("paypal", "paypal"));
    assert!(!is_one_edit("paypal", "pyapla"));
    assert!(!is_one_edit("paypal", "pay"));
    assert!(is_one_edit("", "a"));
}

#[test]
fn skeletons() {
    assert_eq!(slow_skeleton("jd.com"), "jd.corn");
    assert_eq!(slow_skeleton("xn--tobao-4ve.com"), "taobao.corn");
    assert_eq!(slow_skeleton("xn--xhq9m.com"), "京东.corn");
    assert_eq!(slow_skeleton("G00GLE.COM"), "google.corn");
    assert_eq!(slow_skeleton("paypaI.com"), "paypal.corn");
}

#[test]
fn ascii_readings() {
    let r = |c: char| reading_of(c);
    assert_eq!(r('I').as_deref(), Some("l"));
    assert_eq!(r('1').as_deref(), Some("l"));
    assert_eq!(r('0').as_deref(), Some("o"));
    assert_eq!(r('O').as_deref(), Some("o"));
    assert_eq!(r('M').as_deref(), Some("rn"));
    assert_eq!(r('a').as_deref(), Some("a"));
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

#[test]
fn chromium_unicode_forms_decode() {
    const CASES: &str = include_str!("../../../tests/data/lookalike/chromium_idn_spoof.tsv");
    for line in CASES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let f: Vec<&str> = line.split('\t').collect();
        let (host, unicode) = (f[0], f[1]);
        // Chromium keeps some labels in punycode; those rows say so. Invalid
        // rows need not decode.
        if unicode.contains(ACE_PREFIX) || f[2] == "invalid" {
            continue;
        }
        let decoded: Vec<_> = host.split('.').map(|l| unicode_label(l).unwrap()).collect();
        assert_eq!(decoded.join("."), unicode, "{host}");
    }
}
