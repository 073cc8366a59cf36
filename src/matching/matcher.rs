//! Compiled matchers: rules sorted into buckets by matcher kind, each an index
//! whose cost per link does not grow with the number of rules in it.

use regex::{RegexSet, RegexSetBuilder};
use regex_automata::nfa::thompson;

use crate::error::{Error, ErrorKind};
use crate::link::domain::FastMap;
use crate::link::{Link, UrlParts};
use crate::matching::hit::{Hit, MatcherKind, Specificity};
use crate::matching::index::{Site, SiteIndex};
use crate::matching::list_table::ListTable;
use crate::matching::prefilter::Prefilter;
use crate::psl::PublicSuffixList;

/// Every rule's matcher, compiled.
#[derive(Debug, Default)]
pub(crate) struct Matchers {
    regex_size: usize,
    regex_set_size: usize,
    /// The compiled bytes of the regexes queued so far, forward and reversed
    /// (the set compiles both, each within `regex_set_size`): each regex is
    /// compiled within what is left, so the work of compiling them all is
    /// bounded by it, however many there are.
    regex_bytes: [usize; 2],
    /// Host and domain rules, platforms, redirectors and the Public Suffix List.
    sites: SiteIndex,
    /// URL prefixes keyed by the host they name ("" for links without one),
    /// longest first. An http or https prefix is kept without its scheme and
    /// `://` (contract 4.7: it matches both schemes), the others whole.
    prefixes: FastMap<Box<str>, Vec<Prefix>>,
    regex_patterns: Vec<(String, u32)>,
    regexes: Option<Regexes>,
    schemes: FastMap<Box<str>, Vec<u32>>,
    /// The lists' domain and host entries, read in place from a snapshot (a
    /// built policy has them in `sites`).
    pub(crate) table: Option<ListTable>,
}

/// Adds the list table's hits for a link's host to the site index's (from
/// `first` on in `out`), in the order the site index gives a built policy's:
/// host rules, then domain rules, the longest domain first; for one suffix the
/// policy's rules, then the lists' entries in list and line order (the table's
/// order within a bucket).
fn find_in_table(table: &ListTable, link: &Link, first: usize, out: &mut Vec<Hit>) {
    let before = out.len();
    match (link.domain(), link.host_name()) {
        (Some(domain), _) => table.find_domain(domain, out),
        (None, Some(ip)) => table.find_ip(ip, out),
        (None, None) => {}
    }
    if out.len() > before {
        if let Some(hits) = out.get_mut(first..) {
            // Stable: equal specificities keep the site index's hits first.
            hits.sort_by_key(|h| std::cmp::Reverse(h.specificity));
        }
    }
}

/// One `url_prefix` rule.
#[derive(Debug)]
struct Prefix {
    /// The prefix; for a web prefix, what follows `http://` or `https://`.
    text: Box<str>,
    /// Whether it is a web prefix, matched after the scheme of either.
    web: bool,
    rule: u32,
}

/// The part of a normalized web URL after `http://` or `https://`, or `None`
/// for any other scheme.
fn after_web_scheme(url: &str) -> Option<&str> {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
}

/// The regex rules, compiled into one set.
#[derive(Debug)]
struct Regexes {
    set: RegexSet,
    /// The rule of each of the set's patterns.
    rules: Vec<u32>,
    /// Says when no pattern can match, if every pattern needs a literal.
    prefilter: Option<Prefilter>,
}

impl Matchers {
    /// Empty buckets, with the compiled size limits for each regex and for their
    /// set, and the site index holding the Public Suffix List's rules.
    pub(crate) fn new(regex_size: usize, regex_set_size: usize, psl: &PublicSuffixList) -> Self {
        Self {
            regex_size,
            regex_set_size,
            sites: psl.site_index().clone(),
            ..Self::default()
        }
    }

    /// Room for `rules` more host and domain rules in the site index.
    pub(crate) fn reserve(&mut self, rules: usize) {
        self.sites.reserve(rules);
    }

    pub(crate) fn add_host(&mut self, host: &str, rule: u32) {
        self.sites.add_host(host, rule);
    }

    /// Marks a domain as a platform's, `platform` its index: the site index
    /// tells it with the rules, in the same probe.
    pub(crate) fn add_platform(&mut self, domain: &str, platform: u32) {
        self.sites.add_platform(domain, platform);
    }

    /// Marks a domain as having a redirector; its parameters are the
    /// unwrapper's (`unwrap::Unwrapper`).
    pub(crate) fn add_redirector(&mut self, domain: &str) {
        self.sites.add_redirector(domain);
    }

    /// Marks a domain as protected from lookalikes; the lookalike tables are
    /// the floor's (`engine::lookalike`).
    pub(crate) fn add_protected(&mut self, domain: &str) {
        self.sites.add_protected(domain);
    }

    pub(crate) fn add_domain(&mut self, domain: &str, rule: u32) {
        self.sites.add_domain(domain, rule);
    }

    /// Adds a normalized URL prefix. One on `http` or `https` matches both
    /// schemes (contract 4.7: a link typed without a scheme is read as `http://`,
    /// and sites redirect it to `https://`); its specificity is its length after
    /// the scheme, so the two spellings of one prefix are equally specific.
    pub(crate) fn add_prefix(&mut self, host: &str, prefix: &str, rule: u32) {
        let entry = match after_web_scheme(prefix) {
            Some(rest) => Prefix {
                text: rest.into(),
                web: true,
                rule,
            },
            None => Prefix {
                text: prefix.into(),
                web: false,
                rule,
            },
        };
        self.prefixes.entry(host.into()).or_default().push(entry);
    }

    pub(crate) fn add_scheme(&mut self, scheme: &str, rule: u32) {
        self.schemes.entry(scheme.into()).or_default().push(rule);
    }

    /// Checks one pattern and queues it for the set. It is compiled within the
    /// smaller of `max_regex_size` and what the patterns before it left of
    /// `max_regex_set_size`: the compile work of all of them is bounded by it.
    ///
    /// The error is [`ErrorKind::InvalidRegex`], or [`ErrorKind::LimitExceeded`]
    /// for a regex over a size limit.
    pub(crate) fn add_regex(&mut self, pattern: &str, rule: u32) -> Result<(), Error> {
        let hir = parse_one(pattern)?;
        let mut sizes = [0; 2];
        for (i, reverse) in [(0, false), (1, true)] {
            let used = self.regex_bytes.get(i).copied().unwrap_or(0);
            let size = compile_one(&hir, reverse, self.regex_size, self.regex_set_size, used)
                .map_err(|(spent, e)| {
                    // The work spent on a regex refused for its size counts
                    // too: after one over the budget, the others stop at once.
                    // So does the forward automaton of one refused in
                    // reverse: without it, each such regex compiled its
                    // forward automaton whole again (issue #14: 46 rules of
                    // `\w{46}x` took 1.7 s, each well within the budget
                    // forward and over it reversed).
                    if let Some(used) = self.regex_bytes.get_mut(i) {
                        *used = used.saturating_add(spent);
                    }
                    for (used, done) in self.regex_bytes.iter_mut().zip(sizes).take(i) {
                        *used = used.saturating_add(done);
                    }
                    e
                })?;
            if let Some(s) = sizes.get_mut(i) {
                *s = size;
            }
        }
        for (used, size) in self.regex_bytes.iter_mut().zip(sizes) {
            *used = used.saturating_add(size);
        }
        self.regex_patterns.push((pattern.to_owned(), rule));
        Ok(())
    }

    /// Finishes building: sorts prefixes, compiles the regex set and its
    /// prefilter.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        self.sites.shrink();
        for list in self.prefixes.values_mut() {
            list.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then(a.rule.cmp(&b.rule)));
        }
        if !self.regex_patterns.is_empty() {
            let patterns = std::mem::take(&mut self.regex_patterns);
            let set = RegexSetBuilder::new(patterns.iter().map(|(p, _)| p.as_str()))
                .size_limit(self.regex_set_size)
                .dfa_size_limit(self.regex_set_size)
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorKind::LimitExceeded,
                        format!(
                            "the regexes together are too big to compile (limit `max_regex_set_size`, {} bytes): {e}",
                            self.regex_set_size
                        ),
                    )
                })?;
            let prefilter = Prefilter::new(patterns.iter().map(|(p, _)| p.as_str()));
            self.regexes = Some(Regexes {
                set,
                rules: patterns.into_iter().map(|(_, r)| r).collect(),
                prefilter,
            });
        }
        Ok(())
    }

    /// Appends every rule whose matcher matches the link, and tells what the
    /// site index knows of its host.
    ///
    /// An IPv6 host that embeds an IPv4 address (IPv4-mapped, NAT64; contract
    /// 4.7) is matched as that address too: every rule that matches the link
    /// with the IPv4 address written for its host matches, once.
    pub(crate) fn find(&self, link: &Link, out: &mut Vec<Hit>) -> Site {
        let site = self.find_as_written(link, out);
        if let Some(v4) = link.embedded_ipv4() {
            self.find_embedded_ipv4(link, v4, out);
        }
        site
    }

    /// [`Matchers::find`] for the link with the IPv4 address an IPv6 host embeds
    /// written for its host. Out of line: such hosts are rare.
    #[cold]
    #[inline(never)]
    fn find_embedded_ipv4(&self, link: &Link, v4: std::net::Ipv4Addr, out: &mut Vec<Hit>) {
        let Some((start, end)) = link.host_range() else {
            return;
        };
        let text = link.as_str();
        let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
            return;
        };
        let Ok(as_v4) = crate::link::normalize(&format!("{before}{v4}{after}"), usize::MAX) else {
            return;
        };
        let seen = out.len();
        let mut more = Vec::new();
        self.find_as_written(&as_v4, &mut more);
        for hit in more {
            if !out.iter().take(seen).any(|h| h.rule == hit.rule) {
                out.push(hit);
            }
        }
    }

    /// [`Matchers::find`] on the link as it is.
    fn find_as_written(&self, link: &Link, out: &mut Vec<Hit>) -> Site {
        let host = link.host_name();
        let first = out.len();
        let site = match (link.domain(), host) {
            (Some(domain), _) => self.sites.find_domain(domain, link.is_plain_domain(), out),
            (None, Some(ip)) => {
                self.sites.find_ip(ip, out);
                Site::default()
            }
            (None, None) => Site::default(),
        };
        if let Some(table) = &self.table {
            find_in_table(table, link, first, out);
        }
        if !self.prefixes.is_empty() {
            if let Some(list) = self.prefixes.get(host.unwrap_or("")) {
                let url = link.as_str();
                let web = after_web_scheme(url);
                for p in list {
                    let subject = if p.web { web } else { Some(url) };
                    if subject.is_some_and(|u| u.starts_with(&*p.text)) {
                        out.push(Hit {
                            rule: p.rule,
                            specificity: Specificity::new(MatcherKind::UrlPrefix, p.text.len()),
                        });
                    }
                }
            }
        }
        if let Some(Regexes {
            set,
            rules,
            prefilter,
        }) = &self.regexes
        {
            let s = Specificity::new(MatcherKind::Regex, 0);
            let url = link.as_str();
            // Most links match no regex: most contain none of the literals the
            // patterns need, and a plain search says so more cheaply than the
            // overlapping search that names every match.
            let candidates = (prefilter.as_ref().is_none_or(|p| p.may_match(url))
                && set.is_match(url))
            .then(|| set.matches(url));
            for i in candidates.iter().flat_map(regex::SetMatches::iter) {
                if let Some(&rule) = rules.get(i) {
                    out.push(Hit {
                        rule,
                        specificity: s,
                    });
                }
            }
        }
        if let Some(rules) = self.schemes.get(link.scheme()) {
            let s = Specificity::new(MatcherKind::Scheme, 0);
            out.extend(rules.iter().map(|&rule| Hit {
                rule,
                specificity: s,
            }));
        }
        site
    }
}

/// Parses a pattern as the regex crate does.
fn parse_one(pattern: &str) -> Result<regex_syntax::hir::Hir, Error> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| {
            // The parse errors span several lines (the pattern, a caret, then
            // `error: …`); keep the last, which says what is wrong.
            let msg = e.to_string();
            let msg = msg.rsplit_once("error: ").map_or(msg.as_str(), |(_, m)| m);
            Error::new(
                ErrorKind::InvalidRegex,
                format!("invalid regex `{pattern}`: {}", msg.trim()),
            )
        })
}

/// Compiles a parsed pattern to an automaton the set is made of (a Thompson
/// NFA without captures, forward or `reverse`), stopping as soon as it grows
/// past `size_limit` (a limit of its own) or what the patterns before it
/// (`used` bytes) left of `set_limit`: the size of the NFA, in bytes. The
/// error tells the bytes it was let grow to (none for a regex that fails for
/// another reason).
fn compile_one(
    hir: &regex_syntax::hir::Hir,
    reverse: bool,
    size_limit: usize,
    set_limit: usize,
    used: usize,
) -> Result<usize, (usize, Error)> {
    let left = set_limit.saturating_sub(used);
    let limit = size_limit.min(left);
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(limit))
                .which_captures(thompson::WhichCaptures::None)
                .reverse(reverse),
        )
        .build_from_hir(hir)
        .map_err(|e| {
            if e.size_limit().is_none() {
                return (
                    0,
                    Error::new(ErrorKind::InvalidRegex, format!("invalid regex: {e}")),
                );
            }
            let msg = if left < size_limit {
                format!(
                    "the regexes up to this one compile to more than the limit `max_regex_set_size` \
                     ({set_limit} bytes) together"
                )
            } else {
                format!(
                    "the regex compiles to more than the limit `max_regex_size` ({size_limit} bytes)"
                )
            };
            (limit, Error::new(ErrorKind::LimitExceeded, msg))
        })?;
    Ok(nfa.memory_usage())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::normalize;

    fn hits(m: &Matchers, link: &str) -> Vec<u32> {
        let mut out = Vec::new();
        m.find(&normalize(link, 8192).unwrap(), &mut out);
        out.iter().map(|h| h.rule).collect()
    }

    #[test]
    fn specificity_orders_kinds_then_length() {
        let p = Specificity::new(MatcherKind::UrlPrefix, 10);
        let p_long = Specificity::new(MatcherKind::UrlPrefix, 20);
        let h = Specificity::new(MatcherKind::Host, 0);
        let d2 = Specificity::new(MatcherKind::Domain, 2);
        let d3 = Specificity::new(MatcherKind::Domain, 3);
        let r = Specificity::new(MatcherKind::Regex, 0);
        let s = Specificity::new(MatcherKind::Scheme, 0);
        assert!(p_long > p && p > h && h > d3 && d3 > d2 && d2 > r && r > s);
    }

    #[test]
    fn buckets_match() {
        let mut m = Matchers::new(1 << 20, 1 << 20, &PublicSuffixList::builtin());
        m.add_host("a.jd.com", 0);
        m.add_domain("jd.com", 1);
        m.add_prefix("a.jd.com", "https://a.jd.com/x/", 2);
        m.add_regex(r"\.html$", 3).unwrap();
        m.add_scheme("https", 4);
        m.finish().unwrap();
        assert_eq!(hits(&m, "https://a.jd.com/x/1.html"), [0, 1, 2, 3, 4]);
        assert_eq!(hits(&m, "http://b.jd.com/x/"), [1]);
        assert_eq!(hits(&m, "http://notjd.com/"), Vec::<u32>::new());
    }

    /// A regex within the budget forward and over it reversed: its forward
    /// work counts, so the next ones stop at once both ways, where each used
    /// to compile its forward automaton whole (issue #14, the fuzz seed
    /// `slow-1700ms`).
    #[test]
    fn a_regex_refused_reversed_counts_its_forward_work() {
        let mut m = Matchers::new(1 << 20, 2 << 20, &PublicSuffixList::builtin());
        for rule in 0..100 {
            let e = m.add_regex(r"\w{46}x", rule).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e:?}");
        }
        assert!(
            m.regex_bytes.iter().all(|&b| b >= 2 << 20),
            "{:?}",
            m.regex_bytes
        );
    }

    #[test]
    fn bad_regex_is_one_line() {
        let err = Matchers::new(1 << 20, 1 << 20, &PublicSuffixList::builtin())
            .add_regex("(unclosed", 0)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidRegex);
        assert!(err.message().starts_with("invalid regex"));
        assert!(!err.message().contains('\n'));
    }

    #[test]
    fn regex_size_limit() {
        let err = Matchers::new(1000, 1 << 20, &PublicSuffixList::builtin())
            .add_regex("[a-z]{100}", 0)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LimitExceeded, "{err:?}");
        assert!(err.message().contains("max_regex_size"));
    }

    /// The sample policy's regexes (`policies/sample.toml`).
    const SAMPLE_REGEXES: [&str; 4] = [
        r"^https?://[^/:]+\.(zip|mov)(:[0-9]+)?/",
        r"(?i)[?&](share_unlock|unlock_by_share|help_cut|kanjia_id)=",
        r"(?i)[?&](invite_code|inviter_id)=",
        r"(?i)^[^?#]*\.apk([?#]|$)",
    ];

    fn regex_matchers(patterns: &[&str]) -> Matchers {
        let mut m = Matchers::new(1 << 20, 1 << 20, &PublicSuffixList::builtin());
        for (rule, p) in (0..).zip(patterns) {
            m.add_regex(p, rule).unwrap();
        }
        m.finish().unwrap();
        m
    }

    #[test]
    fn regexes_behind_the_prefilter() {
        let m = regex_matchers(&SAMPLE_REGEXES);
        assert!(m.regexes.as_ref().unwrap().prefilter.is_some());
        assert_eq!(
            hits(&m, "https://item.jd.com/1.html?a=b"),
            Vec::<u32>::new()
        );
        assert_eq!(hits(&m, "https://report.zip/x.apk"), [0, 3]);
        assert_eq!(
            hits(&m, "https://a.cn/?Share_Unlock=1&INVITER_ID=2"),
            [1, 2]
        );
        assert_eq!(hits(&m, "https://a.cn/?q=.zip"), Vec::<u32>::new());
    }

    #[test]
    fn one_regex_without_literals_turns_the_prefilter_off() {
        let m = regex_matchers(&[r"\.zip/", r"/[0-9]{5}$"]);
        assert!(m.regexes.as_ref().unwrap().prefilter.is_none());
        assert_eq!(hits(&m, "https://a.cn/12345"), [1]);
        assert_eq!(hits(&m, "https://a.zip/12345"), [0, 1]);
    }

    proptest::proptest! {
        /// With the prefilter, the regex rules match exactly the links the set
        /// alone matches, on normalized links.
        #[test]
        fn prefilter_changes_no_hit(
            raw in "(https?|HTTP)://([a-z]{1,3}\\.)?(zip|mov|apk|com|cn)(\\.(zip|mov|ZIP|com))?\
                (:[0-9]{1,3})?(/([a-z]|\\.apk|\\.APK|\\.ap\u{212A}|\\.zip|_){0,4}){0,3}\
                ([?&#]((share_unlock|SHARE_UNLOCK|\u{17F}hare_unlock|unlock_by_share|help_cut|\
                kanjia_id|\u{212A}anjia_id|invite_code|Inviter_ID|x)=?[a-z0-9]{0,2}|\\.apk|#)){0,3}"
        ) {
            static BUILT: std::sync::LazyLock<(Matchers, RegexSet)> = std::sync::LazyLock::new(|| {
                (regex_matchers(&SAMPLE_REGEXES), RegexSet::new(SAMPLE_REGEXES).unwrap())
            });
            let (m, set) = &*BUILT;
            if let Ok(link) = normalize(&raw, 8192) {
                let mut out = Vec::new();
                m.find(&link, &mut out);
                let got: Vec<u32> = out.iter().map(|h| h.rule).collect();
                let want: Vec<u32> = set
                    .matches(link.as_str())
                    .iter()
                    .map(|i| u32::try_from(i).unwrap())
                    .collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }
}
