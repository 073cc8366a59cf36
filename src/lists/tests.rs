//! The list parsers' tests: each format's lines, the shared test lists, and
//! real block lists from `../shared` when they are there.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;

use ListFormat::{Adblock, Domains, Hosts, Wildcard};

const DOMAINS: &str = include_str!("../../tests/data/lists/domains.txt");
const HOSTS: &str = include_str!("../../tests/data/lists/hosts.txt");
const WILDCARD: &str = include_str!("../../tests/data/lists/wildcard.txt");
const ADBLOCK: &str = include_str!("../../tests/data/lists/adblock.txt");

fn domain(d: &str) -> ListPattern {
    ListPattern::Domain(d.to_owned())
}
fn host(h: &str) -> ListPattern {
    ListPattern::Host(h.to_owned())
}
fn prefix(p: &str) -> ListPattern {
    ListPattern::UrlPrefix(p.to_owned())
}
fn regex(r: &str) -> ListPattern {
    ListPattern::Regex(r.to_owned())
}
/// A plain entry.
fn entry(line: usize, pattern: ListPattern) -> ListEntry {
    flagged(line, pattern, false, false)
}
fn flagged(line: usize, pattern: ListPattern, exception: bool, important: bool) -> ListEntry {
    ListEntry {
        line,
        pattern,
        exception,
        important,
    }
}
fn skip(line: usize, reason: &str) -> SkippedLine {
    SkippedLine {
        line,
        reason: reason.to_owned(),
    }
}

// One line of a list: what it gives.
macro_rules! entry {
    ($name:ident, $format:expr, $line:expr, $pattern:expr) => {
        entry!($name, $format, $line, $pattern, false, false);
    };
    ($name:ident, $format:expr, $line:expr, $pattern:expr, $exception:expr, $important:expr) => {
        #[test]
        fn $name() {
            let parsed = parse_list($format, $line);
            assert_eq!(parsed.skipped, [], "{}", $line);
            assert_eq!(
                parsed.entries,
                [flagged(1, $pattern, $exception, $important)],
                "{}",
                $line
            );
        }
    };
}
macro_rules! skipped {
    ($name:ident, $format:expr, $line:expr, $reason:expr) => {
        #[test]
        fn $name() {
            let parsed = parse_list($format, $line);
            assert_eq!(parsed.entries, [], "{}", $line);
            assert_eq!(parsed.skipped, [skip(1, $reason)], "{}", $line);
        }
    };
}
macro_rules! nothing {
    ($name:ident, $format:expr, $line:expr) => {
        #[test]
        fn $name() {
            assert_eq!(
                parse_list($format, $line),
                ParsedList::default(),
                "{}",
                $line
            );
        }
    };
}

// --- domains
entry!(
    domains_plain,
    Domains,
    "evil.example",
    domain("evil.example")
);
entry!(
    domains_case_and_dot,
    Domains,
    "Evil.EXAMPLE.",
    domain("evil.example")
);
entry!(
    domains_idn,
    Domains,
    "京东.example",
    domain("xn--xhq9m.example")
);
entry!(
    domains_punycode,
    Domains,
    "xn--xhq9m.example",
    domain("xn--xhq9m.example")
);
entry!(
    domains_comment_after,
    Domains,
    "evil.example #why",
    domain("evil.example")
);
entry!(domains_ip, Domains, "203.0.113.7", host("203.0.113.7"));
entry!(
    domains_ipv6,
    Domains,
    "[2001:DB8::1]",
    host("[2001:db8::1]")
);
entry!(
    domains_numeric_labels,
    Domains,
    "0.01.2.example",
    domain("0.01.2.example")
);
nothing!(domains_comment, Domains, "# evil.example");
nothing!(domains_blank, Domains, " \t ");
nothing!(domains_localhost, Domains, "localhost");
skipped!(
    domains_wildcard,
    Domains,
    "*.evil.example",
    "`*.evil.example` is a wildcard: a `domains` entry covers its subdomains already (or use format `wildcard`)"
);
skipped!(
    domains_two_words,
    Domains,
    "evil.example other.example",
    "several words on one line: a `domains` list has one domain a line"
);
skipped!(
    domains_hosts_line,
    Domains,
    "0.0.0.0 evil.example",
    "a hosts-file line in a `domains` list: use format `hosts`"
);
skipped!(
    domains_single_label,
    Domains,
    "top",
    "`top` is a single label: a list entry may not cover a whole top-level domain"
);
skipped!(
    domains_bad_ipv4_end,
    Domains,
    "evil.999",
    "`evil.999` is not a valid domain: invalid IPv4 address"
);
skipped!(
    domains_adblock_line,
    Domains,
    "||evil.example^",
    "`||evil.example^` is not a valid domain: invalid international domain name"
);

// --- hosts
entry!(
    hosts_zero,
    Hosts,
    "0.0.0.0 evil.example",
    domain("evil.example")
);
entry!(
    hosts_loopback,
    Hosts,
    "127.0.0.1\tEvil.Example",
    domain("evil.example")
);
entry!(
    hosts_other_loopback,
    Hosts,
    "127.0.0.2 evil.example",
    domain("evil.example")
);
entry!(
    hosts_short_zero,
    Hosts,
    "0 evil.example",
    domain("evil.example")
);
entry!(
    hosts_v6_unspecified,
    Hosts,
    ":: evil.example",
    domain("evil.example")
);
entry!(
    hosts_v6_loopback,
    Hosts,
    "::1 evil.example",
    domain("evil.example")
);
entry!(
    hosts_comment_after,
    Hosts,
    "0.0.0.0 evil.example#x",
    domain("evil.example")
);
entry!(
    hosts_ip_name,
    Hosts,
    "0.0.0.0 198.51.100.9",
    host("198.51.100.9")
);
entry!(
    hosts_among_localhost,
    Hosts,
    "127.0.0.1 localhost evil.example",
    domain("evil.example")
);
nothing!(hosts_localhost, Hosts, "127.0.0.1 localhost");
nothing!(
    hosts_localdomain,
    Hosts,
    "127.0.0.1 localhost.localdomain localhost"
);
nothing!(
    hosts_localhost4,
    Hosts,
    "127.0.0.1 localhost4 localhost4.localdomain4"
);
nothing!(hosts_broadcast, Hosts, "255.255.255.255 broadcasthost");
nothing!(hosts_ip6_names, Hosts, "ff02::2 ip6-allrouters");
nothing!(hosts_zone, Hosts, "fe80::1%lo0 localhost");
nothing!(hosts_local, Hosts, "0.0.0.0 local");
nothing!(hosts_self, Hosts, "0.0.0.0 0.0.0.0");
nothing!(hosts_comment, Hosts, "# 0.0.0.0 evil.example");
skipped!(
    hosts_not_sink,
    Hosts,
    "192.0.2.1 evil.example",
    "`192.0.2.1` is not a blocking address (0.0.0.0, 127.0.0.1, :: or ::1): the line sends its hosts to a server instead of blocking them"
);
skipped!(
    hosts_no_address,
    Hosts,
    "evil.example",
    "`evil.example` has no address in front: a `hosts` line is `0.0.0.0 host...`"
);
skipped!(
    hosts_not_an_address,
    Hosts,
    "evil.example other.example",
    "`evil.example` is not an IP address: a `hosts` line is `0.0.0.0 host...`"
);
skipped!(
    hosts_no_host,
    Hosts,
    "0.0.0.0 # nothing",
    "`0.0.0.0` has no host after it: a `hosts` line is `0.0.0.0 host...`"
);
nothing!(
    hosts_ip6_any_single_label,
    Hosts,
    "ff02::3 ip6-allhosts ip6-whatever"
);
entry!(
    hosts_ip6_prefixed_domain,
    Hosts,
    "0.0.0.0 ip6-evil.example",
    domain("ip6-evil.example")
);

#[test]
fn hosts_several_per_line_each_give_an_entry_or_a_skip() {
    let parsed = parse_list(Hosts, "0.0.0.0 a.example b..example c.example");
    assert_eq!(
        parsed.entries,
        [entry(1, domain("a.example")), entry(1, domain("c.example"))]
    );
    assert_eq!(
        parsed.skipped,
        [skip(
            1,
            "`b..example` is not a valid domain: it has an empty label"
        )]
    );
}

// --- wildcard
entry!(
    wildcard_star,
    Wildcard,
    "*.evil.example",
    domain("evil.example")
);
entry!(
    wildcard_bare,
    Wildcard,
    "evil.example",
    domain("evil.example")
);
entry!(
    wildcard_idn_upper,
    Wildcard,
    "*.Bücher.Example",
    domain("xn--bcher-kva.example")
);
entry!(wildcard_ip, Wildcard, "203.0.113.5", host("203.0.113.5"));
nothing!(
    wildcard_localhost,
    Wildcard,
    "localhost # from a hosts file"
);
skipped!(
    wildcard_suffix,
    Wildcard,
    "ads.*",
    "`ads.*`: only a leading `*.` wildcard is supported"
);
skipped!(
    wildcard_inside,
    Wildcard,
    "*.ads*.example",
    "`*.ads*.example`: only a leading `*.` wildcard is supported"
);
skipped!(
    wildcard_before_ip,
    Wildcard,
    "*.203.0.113.5",
    "`*.203.0.113.5`: a wildcard cannot cover an IP address"
);
skipped!(
    wildcard_alone,
    Wildcard,
    "*.",
    "`*.` has no domain after the wildcard"
);
skipped!(
    wildcard_tld,
    Wildcard,
    "*.zip",
    "`zip` is a single label: a list entry may not cover a whole top-level domain"
);

// --- adblock
entry!(
    adblock_domain,
    Adblock,
    "||evil.example^",
    domain("evil.example")
);
entry!(
    adblock_domain_end,
    Adblock,
    "||evil.example^|",
    domain("evil.example")
);
entry!(
    adblock_domain_bare,
    Adblock,
    "||Evil.Example",
    domain("evil.example")
);
entry!(
    adblock_domain_idn,
    Adblock,
    "||京东.example^",
    domain("xn--xhq9m.example")
);
entry!(adblock_ip, Adblock, "||198.51.100.4^", host("198.51.100.4"));
entry!(
    adblock_exception,
    Adblock,
    "@@||good.example^",
    domain("good.example"),
    true,
    false
);
entry!(
    adblock_important,
    Adblock,
    "||evil.example^$important",
    domain("evil.example"),
    false,
    true
);
entry!(
    adblock_important_exception,
    Adblock,
    "@@||good.example^$document,IMPORTANT",
    domain("good.example"),
    true,
    true
);
entry!(
    adblock_all,
    Adblock,
    "||evil.example^$all",
    domain("evil.example")
);
entry!(
    adblock_prefix,
    Adblock,
    "|https://evil.example/login",
    prefix("https://evil.example/login")
);
entry!(
    adblock_prefix_separator,
    Adblock,
    "|http://evil.example^",
    prefix("http://evil.example/")
);
entry!(
    adblock_prefix_exception,
    Adblock,
    "@@|https://good.example/safe/$important",
    prefix("https://good.example/safe/"),
    true,
    true
);
entry!(
    adblock_regex,
    Adblock,
    r"/^https?:\/\/[^\/]+\.zip\//",
    regex(r"(?i)^https?:\/\/[^\/]+\.zip\/")
);
entry!(
    adblock_regex_match_case,
    Adblock,
    r"/\/Login\//$match-case",
    regex(r"\/Login\/")
);
entry!(
    adblock_regex_dollar,
    Adblock,
    r"/\.zip$/$important",
    regex(r"(?i)\.zip$"),
    false,
    true
);
entry!(
    adblock_regex_exception,
    Adblock,
    r"@@/good\.example/",
    regex(r"(?i)good\.example"),
    true,
    false
);
nothing!(adblock_comment, Adblock, "! Title: a list");
nothing!(adblock_header, Adblock, "[Adblock Plus 2.0]");
nothing!(adblock_hash_comment, Adblock, "# a comment");
skipped!(
    adblock_cosmetic,
    Adblock,
    "example.com##.ad",
    "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
);
skipped!(
    adblock_generic_cosmetic,
    Adblock,
    "##.ad",
    "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
);
skipped!(
    adblock_scriptlet,
    Adblock,
    "example.com##+js(nowebrtc)",
    "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
);
skipped!(
    adblock_html_filter,
    Adblock,
    "example.com$$script[tag-content=\"ad\"]",
    "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
);
skipped!(
    adblock_third_party,
    Adblock,
    "||evil.example^$third-party",
    "`$third-party` option is not supported"
);
skipped!(
    adblock_negated_option,
    Adblock,
    "||evil.example^$~third-party",
    "`$~third-party` option is not supported"
);
skipped!(
    adblock_domain_option,
    Adblock,
    "||evil.example^$domain=a.example|b.example",
    "`$domain` option is not supported"
);
skipped!(
    adblock_empty_option,
    Adblock,
    "||evil.example^$",
    "an empty option after `$`"
);
skipped!(
    adblock_regex_option,
    Adblock,
    r"/evil/$script",
    "`$script` option is not supported"
);
skipped!(
    adblock_path,
    Adblock,
    "||evil.example/path",
    "a path or query after the domain is not supported"
);
skipped!(
    adblock_separator_path,
    Adblock,
    "||evil.example^login",
    "a path or query after the domain is not supported"
);
skipped!(
    adblock_wildcard,
    Adblock,
    "||evil.example^*.js",
    "a wildcard `*` inside a rule is not supported"
);
skipped!(
    adblock_port,
    Adblock,
    "||evil.example:8080^",
    "a port after the domain is not supported"
);
skipped!(
    adblock_end_anchor,
    Adblock,
    "|https://evil.example/exact|",
    "an end anchor `|` (a whole url, not a prefix) is not supported"
);
skipped!(
    adblock_prefix_inner_separator,
    Adblock,
    "|https://evil.example/a^b",
    "a separator `^` inside a url prefix is not supported"
);
skipped!(
    adblock_prefix_path_separator,
    Adblock,
    "|https://evil.example/a^",
    "a separator `^` inside a url prefix is not supported"
);
skipped!(
    adblock_prefix_without_scheme,
    Adblock,
    "|evil.example/",
    "`|evil.example/` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"
);
skipped!(
    adblock_unanchored,
    Adblock,
    "evil.example",
    "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
);
skipped!(
    adblock_hosts_line,
    Adblock,
    "0.0.0.0 evil.example",
    "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
);
skipped!(
    adblock_path_substring,
    Adblock,
    "/banner/ad.gif",
    "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
);
skipped!(
    adblock_look_around,
    Adblock,
    "/(?<=x)y/",
    "invalid regex `/(?<=x)y/`: look-around, including look-ahead and look-behind, is not supported"
);
skipped!(adblock_no_domain, Adblock, "||^", "`||` without a domain");
skipped!(
    adblock_tld,
    Adblock,
    "||zip^",
    "`zip` is a single label: a list entry may not cover a whole top-level domain"
);

// --- fixtures: every line of tests/data/lists/*.txt

#[test]
fn fixture_domains() {
    let parsed = parse_list(Domains, DOMAINS);
    assert_eq!(
        parsed.entries,
        [
            entry(4, domain("evil.example")),
            entry(5, domain("phish.example")),
            entry(6, domain("xn---refund-j03ky5b.example")),
            entry(7, domain("login.bank.example")),
            entry(8, domain("xn--80ak6aa92e.com")),
            entry(9, host("203.0.113.7")),
            // 10: localhost, nothing
        ]
    );
    assert_eq!(
        parsed.skipped,
        [
            skip(
                11,
                "`*.wild.example` is a wildcard: a `domains` entry covers its subdomains already (or use format `wildcard`)"
            ),
            skip(
                12,
                "several words on one line: a `domains` list has one domain a line"
            ),
            skip(
                13,
                "`bad!.example` is not a valid domain: it has a character that is not allowed in a host name"
            ),
            skip(
                14,
                "`com` is a single label: a list entry may not cover a whole top-level domain"
            ),
            skip(
                15,
                "`a..b.example` is not a valid domain: it has an empty label"
            ),
        ]
    );
}

#[test]
fn fixture_hosts() {
    assert!(
        HOSTS.contains("\r\n"),
        "the hosts fixture has CRLF line endings"
    );
    let parsed = parse_list(Hosts, HOSTS);
    // Lines 1-9: a comment, the boilerplate of a system hosts file, a blank line.
    assert_eq!(
        parsed.entries,
        [
            entry(10, domain("evil.example")),
            entry(11, domain("tracker.example")),
            entry(12, domain("tab.example")),
            entry(13, domain("zero.example")),
            entry(14, domain("v6-sink.example")),
            entry(15, domain("a.multi.example")),
            entry(15, domain("b.multi.example")),
            entry(15, domain("c.multi.example")),
            entry(16, domain("xn--r8jz45g.xn--zckzah")),
            entry(17, host("198.51.100.9")),
            entry(18, domain("good.example")),
        ]
    );
    assert_eq!(
        parsed.skipped,
        [
            skip(
                18,
                "`bad..example` is not a valid domain: it has an empty label"
            ),
            skip(
                19,
                "`192.0.2.1` is not a blocking address (0.0.0.0, 127.0.0.1, :: or ::1): the line sends its hosts to a server instead of blocking them"
            ),
            skip(
                20,
                "`no-address.example` has no address in front: a `hosts` line is `0.0.0.0 host...`"
            ),
            skip(
                21,
                "`0.0.0.0` has no host after it: a `hosts` line is `0.0.0.0 host...`"
            ),
            skip(
                22,
                "`com` is a single label: a list entry may not cover a whole top-level domain"
            ),
        ]
    );
}

#[test]
fn fixture_wildcard() {
    let parsed = parse_list(Wildcard, WILDCARD);
    assert_eq!(
        parsed.entries,
        [
            entry(2, domain("evil.example")),
            entry(3, domain("plain.example")),
            entry(4, domain("upper.example")),
            entry(5, domain("xn--bcher-kva.example")),
            entry(9, host("203.0.113.5")),
            // 11: localhost, nothing
        ]
    );
    assert_eq!(
        parsed.skipped,
        [
            skip(6, "`ads.*`: only a leading `*.` wildcard is supported"),
            skip(
                7,
                "`*ads*.example`: only a leading `*.` wildcard is supported"
            ),
            skip(8, "`*.203.0.113.5`: a wildcard cannot cover an IP address"),
            skip(10, "`*.` has no domain after the wildcard"),
            skip(
                12,
                "`com` is a single label: a list entry may not cover a whole top-level domain"
            ),
        ]
    );
}

#[test]
fn fixture_adblock() {
    let parsed = parse_list(Adblock, ADBLOCK);
    // Lines 1-4: a header and comments.
    assert_eq!(
        parsed.entries,
        [
            entry(5, domain("evil.example")),
            entry(6, domain("phish.example")),
            entry(7, domain("bare.example")),
            flagged(8, domain("allowed.example"), true, false),
            flagged(9, domain("hard.example"), false, true),
            flagged(10, domain("hard-allow.example"), true, true),
            entry(11, host("198.51.100.4")),
            entry(12, prefix("https://evil.example/login")),
            entry(13, prefix("http://short.example/")),
            flagged(14, prefix("https://good.example/safe/"), true, false),
            entry(15, regex(r"(?i)^https?:\/\/[^\/]+\.zip\/")),
            entry(16, regex(r"evil\.example\/Path")),
            entry(30, domain("xn--xhq9m.example")),
        ]
    );
    let cosmetic = "cosmetic rules (element hiding, scriptlets, html filters) are not supported";
    let unanchored =
        "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported";
    let wildcard = "a wildcard `*` inside a rule is not supported";
    assert_eq!(
        parsed.skipped,
        [
            skip(
                17,
                "invalid regex `/(?<=x)y/`: look-around, including look-ahead and look-behind, is not supported"
            ),
            skip(18, cosmetic),
            skip(19, cosmetic),
            skip(20, cosmetic),
            skip(21, "`$third-party` option is not supported"),
            skip(22, "`$script` option is not supported"),
            skip(23, "a path or query after the domain is not supported"),
            skip(24, wildcard),
            skip(25, wildcard),
            skip(
                26,
                "an end anchor `|` (a whole url, not a prefix) is not supported"
            ),
            skip(27, unanchored),
            skip(28, unanchored),
            skip(29, "a port after the domain is not supported"),
            skip(
                31,
                "`|evil.example/` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"
            ),
            skip(
                32,
                "`com` is a single label: a list entry may not cover a whole top-level domain"
            ),
            skip(33, "`||` without a domain"),
        ]
    );
}

#[test]
fn line_endings_and_bom_do_not_matter() {
    for (format, text) in [
        (Domains, DOMAINS),
        (Hosts, HOSTS),
        (Wildcard, WILDCARD),
        (Adblock, ADBLOCK),
    ] {
        let text = text.trim_start_matches('\u{feff}');
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let bom = format!("\u{feff}{crlf}");
        let want = parse_list(format, &lf);
        assert!(!want.entries.is_empty() && !want.skipped.is_empty());
        assert_eq!(parse_list(format, &crlf), want, "{format:?} CRLF");
        assert_eq!(parse_list(format, &bom), want, "{format:?} BOM");
        assert_eq!(parse_list(format, text), want, "{format:?} as vendored");
    }
}

#[test]
fn a_bom_does_not_hide_the_first_entry() {
    let parsed = parse_list(Domains, "\u{feff}evil.example\r\n");
    assert_eq!(parsed.entries, [entry(1, domain("evil.example"))]);
}

#[test]
fn empty_text_is_an_empty_list() {
    for format in [Domains, Hosts, Wildcard, Adblock] {
        assert_eq!(parse_list(format, ""), ParsedList::default());
    }
}

#[test]
fn formats_deserialize_by_name() {
    for format in [Domains, Hosts, Wildcard, Adblock] {
        let json = format!("\"{}\"", format.as_str());
        assert_eq!(serde_json::from_str::<ListFormat>(&json).unwrap(), format);
    }
    assert!(serde_json::from_str::<ListFormat>("\"Hosts\"").is_err());
}

#[test]
fn the_fast_path_agrees_with_normalization() {
    for written in [
        "evil.example",
        "a-b_c.0.example",
        "-lead.example",
        "ab--cd.example",
        "evil.e1",
        "evil.0x1f",
        "evil.123",
        "xn--xhq9m.example",
        "xn--zz.example",
        "Evil.example",
        "evil.example.",
    ] {
        if let Some(fast) = plain_domain(written) {
            assert_eq!(
                crate::link::domain::normalize_host_by_idna(written),
                Ok(NormalHost::Domain(fast.to_owned())),
                "{written}"
            );
        }
    }
    assert_eq!(plain_domain("evil.123"), None);
    assert_eq!(plain_domain("xn--xhq9m.example"), None);
    assert_eq!(plain_domain("com"), None);
}

proptest::proptest! {
    #[test]
    fn the_fast_path_agrees_with_normalization_on_any_text(written in "[a-z0-9_.-]{1,40}") {
        if let Some(fast) = plain_domain(&written) {
            proptest::prop_assert_eq!(
                crate::link::domain::normalize_host_by_idna(&written),
                Ok(NormalHost::Domain(fast.to_owned()))
            );
        }
    }
}

// --- the real lists in ../shared/data/blocklists (never vendored: the hagezi
// lists are GPL); each test returns early when the folder is absent.

fn real_list(name: &str) -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/blocklists");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent", dir.display());
        return None;
    }
    let path: PathBuf = dir.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Parses a real list; checks that every line that is not blank or a `#`
/// comment gave an entry or a skipped line, and that no other line did.
fn check_real_list(format: ListFormat, name: &str, entries: usize, skipped: usize) {
    let Some(text) = real_list(name) else { return };
    let parsed = parse_list(format, &text);
    let content: BTreeSet<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start_matches('\u{feff}').trim();
            !l.is_empty() && !l.starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .collect();
    let used: BTreeSet<usize> = parsed
        .entries
        .iter()
        .map(|e| e.line)
        .chain(parsed.skipped.iter().map(|s| s.line))
        .collect();
    assert_eq!(used, content, "{name}: lines used vs lines with content");
    assert_eq!(
        parsed.entries.len() + parsed.skipped.len(),
        content.len(),
        "{name}: one entry or skip a line"
    );
    assert_eq!(
        parsed.skipped.len(),
        skipped,
        "{name}: {:?}",
        parsed.skipped.first()
    );
    assert_eq!(parsed.entries.len(), entries, "{name}");
    // The fast path and the full normalization agree on every real entry.
    for e in parsed.entries.iter().take(2000) {
        if let ListPattern::Domain(d) = &e.pattern {
            assert_eq!(normalize_host(d), Ok(NormalHost::Domain(d.clone())));
        }
    }
}

// Every list loads whole: each count is the one the list's header announces
// (`# Entries:`, `# Domains:`), and no line is skipped. Their headers are `#`
// comments; the blocklistproject lists end their header with a blank line.

#[test]
fn real_blocklistproject_phishing_domains() {
    check_real_list(Domains, "blocklistproject/phishing-nl.txt", 190_215, 0);
}

#[test]
fn real_blocklistproject_ransomware_hosts() {
    check_real_list(Hosts, "blocklistproject/ransomware.hosts.txt", 1_904, 0);
}

#[test]
fn real_blocklistproject_redirect_hosts() {
    check_real_list(Hosts, "blocklistproject/redirect.hosts.txt", 108_685, 0);
}

#[test]
fn real_blocklistproject_scam_hosts() {
    check_real_list(Hosts, "blocklistproject/scam.hosts.txt", 8_527, 0);
}

#[test]
fn real_hagezi_fake_domains() {
    check_real_list(Domains, "hagezi-2022/fake.domains.txt", 14_043, 0);
}

#[test]
fn real_hagezi_light_wildcard() {
    check_real_list(Wildcard, "hagezi-2022/light.wildcard.txt", 122_680, 0);
}

#[test]
fn real_hagezi_stevenblack_wildcard() {
    check_real_list(Wildcard, "hagezi-2022/stevenblack.wildcard.txt", 85_291, 0);
}

#[test]
fn real_hagezi_ultimatehosts_wildcard() {
    check_real_list(
        Wildcard,
        "hagezi-2022/ultimatehosts.wildcard.txt",
        147_753,
        0,
    );
}

#[test]
fn real_lists_in_the_wrong_format_are_reported_line_by_line() {
    // A hosts file read as `domains`: every line is reported, none is dropped.
    let Some(text) = real_list("blocklistproject/scam.hosts.txt") else {
        return;
    };
    let parsed = parse_list(Domains, &text);
    assert_eq!(parsed.entries, []);
    assert_eq!(parsed.skipped.len(), 8_527);
    assert_eq!(
        parsed.skipped[0],
        skip(
            14,
            "a hosts-file line in a `domains` list: use format `hosts`"
        )
    );
}

/// `cargo test --release --lib lists::tests::parse_time -- --ignored --nocapture`
#[test]
#[ignore = "a measurement, not a test"]
fn parse_time() {
    let Some(text) = real_list("blocklistproject/phishing-nl.txt") else {
        return;
    };
    let mut best = std::time::Duration::MAX;
    for _ in 0..10 {
        let start = std::time::Instant::now();
        let parsed = parse_list(Domains, &text);
        best = best.min(start.elapsed());
        assert_eq!(parsed.entries.len(), 190_215);
    }
    eprintln!("phishing-nl.txt (190,215 domains): {best:?}");
}
