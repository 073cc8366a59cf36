//! Data for the benches and for `perf/` (issue #6): real lists from
//! `../shared/data` beside the crate when it is there, deterministic generated data
//! when it is not, and a note of which was used for each part.
//!
//! Included by each bench with `mod data;` and by `perf/src/main.rs` with
//! `#[path]`; it uses only `std` and linkpolicy's public API.
//!
//! - [`Data::domains`]: `n` block-list domains. Up to the 190,215 of the Block List
//!   Project's phishing list, an evenly spaced sample of it (real phishing
//!   domains); above that, all of it, then the other block lists in
//!   `blocklists/` (scam, ransomware, redirect, HaGeZi 2022), then generated
//!   domains to make up the number. Without `../shared`, the same phishing list
//!   vendored in `policies/lists/phishing.txt`, the vendored scam hosts, then
//!   generated domains.
//! - [`Data::platforms`]: `n` platforms of one registrable domain each, the most
//!   popular first (Cisco Umbrella top-100k, then OpenDNS top-10k), leaving out
//!   the sample policy's own platforms, with tiers S/A/B/C; generated brand
//!   domains without `../shared`.
//! - [`Data::links`]: the link mix: half popular hosts (platform domains and other
//!   popular hosts) with paths and, for most, tracking parameters; a quarter real
//!   phishing URLs (JPCERT/CC); a quarter hosts of the block list with paths.
//!
//! `LINKPOLICY_SHARED_DATA` overrides the place of the data: a directory, or
//! `none` for generated data only (to try the fallback). The benches' groups over
//! this data are named with a `_generated` suffix when `../shared` is not used
//! ([`Data::group_name`]), so criterion never compares runs on different data.

#![allow(
    dead_code,
    reason = "each bench uses a part of the module; perf/ uses most of it"
)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use linkpolicy::{
    Action, Category, Context, Error, List, ListFormat, Platform, Policy, PolicyBuilder,
    PublicSuffixList, SAMPLE_POLICY,
};

/// The id of the block list in the policies built here.
pub(crate) const LIST_ID: &str = "phishing-feed";

/// The tiers of the sample policy, which the platforms here use.
const TIERS: [&str; 4] = ["S", "A", "B", "C"];

/// Where the data comes from, and what was used so far.
#[derive(Debug)]
pub(crate) struct Data {
    /// `../shared/data`, when it is there.
    shared: Option<PathBuf>,
    /// The crate's root, for its vendored lists.
    root: PathBuf,
    /// One line for each part of the data handed out.
    notes: Vec<String>,
}

/// Platforms for a policy: one registrable domain each, with a tier.
#[derive(Clone, Debug)]
pub(crate) struct Platforms {
    /// The platform domains, most popular first.
    pub(crate) domains: Vec<String>,
    /// Popular host names that are not the platforms' (for links elsewhere).
    pub(crate) other_hosts: Vec<String>,
}

impl Platforms {
    /// The tier of the `i`th platform: 5% S, 25% A, 40% B, 30% C, mixed by rank.
    pub(crate) fn tier(i: usize) -> &'static str {
        let t = match i % 20 {
            0 => 0,
            1..=5 => 1,
            6..=13 => 2,
            _ => 3,
        };
        TIERS.get(t).copied().unwrap_or("C")
    }

    /// Adds the platforms to a builder whose policy defines the sample tiers.
    pub(crate) fn add_to(&self, builder: &mut PolicyBuilder) {
        for (i, d) in self.domains.iter().enumerate() {
            builder
                .platform(Platform::new(format!("bench-p{i}"), [d.as_str()]).tier(Self::tier(i)));
        }
    }
}

impl Data {
    /// Finds the data for a crate whose root is `root` (where `Cargo.toml` of
    /// linkpolicy is): `root/../shared/data`, unless `LINKPOLICY_SHARED_DATA` says
    /// otherwise.
    pub(crate) fn open(root: &Path) -> Self {
        let shared = match std::env::var("LINKPOLICY_SHARED_DATA") {
            Ok(v) if v == "none" || v.is_empty() => None,
            Ok(v) => Some(PathBuf::from(v)),
            Err(_) => Some(root.join("../shared/data")),
        };
        let shared = shared
            .filter(|p| p.is_dir())
            .map(|p| p.canonicalize().unwrap_or(p));
        let first = match &shared {
            Some(p) => format!("data: {} (real lists)", p.display()),
            None => "data: ../shared/data is absent: vendored and generated data".to_owned(),
        };
        Self {
            shared,
            root: root.to_path_buf(),
            notes: vec![first],
        }
    }

    /// Whether the real data in `../shared/data` is used.
    pub(crate) fn has_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// A criterion group name for this data: `name` with the real data,
    /// `name_generated` without it, so that criterion never compares a run on
    /// one with a saved run on the other.
    pub(crate) fn group_name(&self, name: &str) -> String {
        if self.has_shared() {
            name.to_owned()
        } else {
            format!("{name}_generated")
        }
    }

    /// What was used, one line each.
    pub(crate) fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Prints what was used, on standard error (criterion owns standard output).
    pub(crate) fn print_notes(&self) {
        for n in &self.notes {
            eprintln!("{n}");
        }
    }

    fn note(&mut self, line: String) {
        if !self.notes.contains(&line) {
            self.notes.push(line);
        }
    }

    /// A file of `../shared/data`, when the directory and the file are there.
    fn shared_file(&self, rel: &str) -> Option<String> {
        let p = self.shared.as_ref()?.join(rel);
        std::fs::read_to_string(p).ok()
    }

    /// A file of the crate.
    fn crate_file(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(rel)).ok()
    }

    /// The real block lists, most relevant first: (name, text).
    fn block_lists(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.shared.is_some() {
            for rel in [
                "blocklists/blocklistproject/phishing-nl.txt",
                "blocklists/blocklistproject/scam.hosts.txt",
                "blocklists/blocklistproject/ransomware.hosts.txt",
                "blocklists/hagezi-2022/fake.domains.txt",
                "blocklists/blocklistproject/redirect.hosts.txt",
                "blocklists/hagezi-2022/light.wildcard.txt",
                "blocklists/hagezi-2022/stevenblack.wildcard.txt",
                "blocklists/hagezi-2022/ultimatehosts.wildcard.txt",
            ] {
                if let Some(text) = self.shared_file(rel) {
                    out.push((rel, text));
                }
            }
        }
        if out.is_empty() {
            for rel in ["policies/lists/phishing.txt", "policies/lists/scam.hosts"] {
                if let Some(text) = self.crate_file(rel) {
                    out.push((rel, text));
                }
            }
        }
        out
    }

    /// `n` distinct block-list domains, lowercase. The first list is the phishing
    /// list: up to its size, an evenly spaced sample of it; above, all of it, the
    /// other lists, and generated domains for the rest. So a list longer than the
    /// phishing list holds every domain of a shorter one, and links to the hosts
    /// of the 100,000-domain list are listed in the 1,000,000-domain list too.
    pub(crate) fn domains(&mut self, n: usize) -> Vec<String> {
        let lists = self.block_lists();
        let mut parsed: Vec<(&str, Vec<String>)> = lists
            .iter()
            .map(|(name, text)| (*name, list_domains(text)))
            .collect();
        let mut seen: HashSet<String> = HashSet::with_capacity(n);
        let mut out: Vec<String> = Vec::with_capacity(n);
        let mut used: Vec<String> = Vec::new();
        if let Some((name, first)) = parsed.first_mut() {
            first.retain(|d| seen.insert(d.clone()));
            if n <= first.len() {
                out = spaced(first, n);
                used.push(format!(
                    "{} real phishing domains, every {:.2}th of {} ({name})",
                    out.len(),
                    ratio(first.len(), n),
                    first.len()
                ));
            } else {
                out.append(first);
                used.push(format!("{} ({name})", out.len()));
            }
        }
        for (name, list) in parsed.iter().skip(1) {
            if out.len() >= n {
                break;
            }
            let before = out.len();
            for d in list {
                if out.len() >= n {
                    break;
                }
                if seen.insert(d.clone()) {
                    out.push(d.clone());
                }
            }
            used.push(format!("{} ({name})", out.len() - before));
        }
        let real = out.len();
        let mut rng = Rng::new(0x6c69_6e6b_706f_6c69);
        while out.len() < n {
            let d = generated_domain(&mut rng);
            if seen.insert(d.clone()) {
                out.push(d);
            }
        }
        let mut line = format!("{n} block-list domains: {}", used.join(" + "));
        if out.len() > real {
            let _ = write!(
                line,
                " + {} GENERATED (the real lists have {real} distinct domains)",
                out.len() - real
            );
        }
        self.note(line);
        out
    }

    /// `n` platforms, the most popular registrable domains that are not the sample
    /// policy's platforms; the rest of the popular hosts for links elsewhere.
    pub(crate) fn platforms(&mut self, n: usize) -> Platforms {
        let psl = PublicSuffixList::builtin();
        let sample = Policy::from_toml_str(SAMPLE_POLICY).ok();
        let ctx = Context::one_to_one();
        let mut hosts: Vec<String> = Vec::new();
        let mut sources = Vec::new();
        for rel in [
            "popular-domains/umbrella-top100k/umbrella-top-100k.txt",
            "popular-domains/opendns/opendns-top-domains.txt",
        ] {
            if let Some(text) = self.shared_file(rel) {
                let before = hosts.len();
                hosts.extend(list_domains(&text));
                sources.push(format!("{} hosts of {rel}", hosts.len() - before));
            }
        }
        let mut seen = HashSet::new();
        let mut domains = Vec::with_capacity(n);
        let mut other_hosts = Vec::new();
        for h in &hosts {
            let Some(reg) = psl.registrable_domain(h) else {
                continue;
            };
            if domains.len() < n && seen.insert(reg.to_owned()) {
                let taken = sample.as_ref().is_some_and(|p| {
                    p.classify(&format!("https://{reg}/"), &ctx)
                        .platform()
                        .is_some()
                });
                if !taken {
                    domains.push(reg.to_owned());
                }
                continue;
            }
            if !seen.contains(reg) {
                other_hosts.push(h.clone());
            }
        }
        let real = domains.len();
        let mut rng = Rng::new(0x706c_6174_666f_726d);
        while domains.len() < n {
            let d = format!(
                "{}.{}",
                brand(&mut rng),
                pick(&mut rng, &["com", "cn", "net"])
            );
            if seen.insert(d.clone()) {
                domains.push(d);
            }
        }
        let mut i = 0;
        while other_hosts.len() < 2 * n {
            i += 1;
            other_hosts.push(format!("www.{}{i}.com", brand(&mut rng)));
        }
        let mut line = format!(
            "{n} platforms (tiers S/A/B/C 5/25/40/30%), {} from popular domains ({})",
            real,
            if sources.is_empty() {
                "none".to_owned()
            } else {
                sources.join(", ")
            }
        );
        if domains.len() > real {
            let _ = write!(line, " + {} GENERATED", domains.len() - real);
        }
        self.note(line);
        Platforms {
            domains,
            other_hosts,
        }
    }

    /// The tracking parameters links carry: DuckDuckGo's list when it is there.
    fn tracking_params(&mut self) -> Vec<String> {
        let from_ddg = self
            .shared_file("tracking-params/ddg-config/tracking-parameters.json")
            .map(|t| json_string_array(&t, "\"parameters\""))
            .filter(|p| !p.is_empty());
        match from_ddg {
            Some(p) => {
                self.note(format!(
                    "{} tracking parameters (tracking-params/ddg-config)",
                    p.len()
                ));
                p
            }
            None => {
                self.note("tracking parameters: a built-in list".to_owned());
                [
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                    "utm_term",
                    "utm_content",
                    "gclid",
                    "fbclid",
                    "mc_eid",
                    "igshid",
                    "spm",
                ]
                .map(str::to_owned)
                .to_vec()
            }
        }
    }

    /// `n` real phishing URLs (JPCERT/CC, evenly spaced over 2019–2025), or
    /// generated ones.
    fn phishing_urls(&mut self, n: usize) -> Vec<String> {
        let rel = "phishing-urls/jpcert/jpcert_phishurl_2019-2025.csv";
        let urls: Vec<String> = self
            .shared_file(rel)
            .map(|t| csv_urls(&t))
            .unwrap_or_default();
        if urls.len() >= n {
            self.note(format!(
                "{n} real phishing URLs, every {:.0}th of {} ({rel})",
                ratio(urls.len(), n),
                urls.len()
            ));
            return spaced(&urls, n);
        }
        self.note(format!("{n} phishing URLs: GENERATED"));
        let mut rng = Rng::new(0x7068_6973_6875_726c);
        (0..n)
            .map(|_| {
                let host = generated_domain(&mut rng);
                let path = pick(
                    &mut rng,
                    &[
                        "/",
                        "/login/verify.php?id=",
                        "/signin/account-update/index.html?s=",
                        "/wp-content/plugins/secure/amazon.co.jp/",
                        "/jp/mufg/login.php?session=",
                        "/webmail/auth/",
                    ],
                );
                let scheme = if rng.below(5) == 0 { "http" } else { "https" };
                format!("{scheme}://{host}{path}{}", token(&mut rng, 8))
            })
            .collect()
    }

    /// `n` links in a fixed, interleaved order: half popular hosts with paths
    /// (three fifths of those on `platforms`, the rest elsewhere), most of them
    /// with tracking parameters; a quarter real phishing URLs; a quarter hosts of
    /// `listed` (at the domain or a subdomain) with paths.
    pub(crate) fn links(
        &mut self,
        n: usize,
        listed: &[String],
        platforms: &Platforms,
    ) -> Vec<String> {
        let params = self.tracking_params();
        let phishing = self.phishing_urls(n / 4);
        let mut phishing = phishing.into_iter();
        let mut rng = Rng::new(0x6c69_6e6b_7321);
        let mut out = Vec::with_capacity(n);
        let (mut on_platform, mut elsewhere, mut listed_n) = (0, 0, 0);
        for i in 0..n {
            let link = match i % 20 {
                0..=5 => {
                    on_platform += 1;
                    let d = pick_str(&mut rng, &platforms.domains);
                    let sub = pick(&mut rng, &["", "www.", "m.", "www.", "", "news."]);
                    popular_link(&mut rng, &format!("{sub}{d}"), &params)
                }
                6..=9 => {
                    elsewhere += 1;
                    let h = pick_str(&mut rng, &platforms.other_hosts).to_owned();
                    popular_link(&mut rng, &h, &params)
                }
                10..=14 => match phishing.next() {
                    Some(u) => u,
                    None => popular_link(&mut rng, "www.example.org", &params),
                },
                _ => {
                    listed_n += 1;
                    let d = pick_str(&mut rng, listed);
                    let sub = pick(&mut rng, &["", "", "www.", "secure-login."]);
                    let path = pick(
                        &mut rng,
                        &[
                            "/",
                            "/login?s=",
                            "/account/verify/",
                            "/index.php?id=",
                            "/signin?session=",
                        ],
                    );
                    let scheme = if rng.below(4) == 0 { "http" } else { "https" };
                    format!("{scheme}://{sub}{d}{path}{}", token(&mut rng, 6))
                }
            };
            out.push(link);
        }
        self.note(format!(
            "{n} links: {on_platform} on platform domains + {elsewhere} other popular hosts (paths, most with tracking parameters), {} phishing URLs, {listed_n} hosts of the block list",
            n - on_platform - elsewhere - listed_n
        ));
        out
    }
}

/// The list of `domains` as the text of a `domains` list.
pub(crate) fn list_text(domains: &[String]) -> String {
    let mut text = String::with_capacity(domains.iter().map(|d| d.len() + 1).sum());
    for d in domains {
        text.push_str(d);
        text.push('\n');
    }
    text
}

/// A builder holding the sample policy (its tiers, platforms, rules, phases,
/// wrappers, tracking parameters and lookalike protection), `platforms`, and
/// `list` as a `domains` block list of phishing.
///
/// # Errors
///
/// When the sample policy does not load.
pub(crate) fn sample_builder(
    platforms: &Platforms,
    list: Option<String>,
) -> Result<PolicyBuilder, Error> {
    let mut b = PolicyBuilder::from_toml_str(SAMPLE_POLICY)?;
    platforms.add_to(&mut b);
    if let Some(text) = list {
        b.list(List::new(LIST_ID, ListFormat::Domains, Action::Block).category(Category::Phishing))
            .list_text(LIST_ID, text);
    }
    Ok(b)
}

/// The policy issue #6 measures: `platforms` graded in the sample policy's four
/// tiers, and `list` as a `domains` block list of phishing; nothing else.
pub(crate) fn platforms_and_list_builder(platforms: &Platforms, list: String) -> PolicyBuilder {
    use linkpolicy::Tier;
    let mut b = PolicyBuilder::new();
    let (allow, warn) = (Some(Action::Allow), Some(Action::Warn));
    b.tier("S", Tier::new(allow, allow))
        .tier("A", Tier::new(allow, warn))
        .tier("B", Tier::new(warn, warn))
        .tier("C", Tier::new(warn, None));
    platforms.add_to(&mut b);
    b.list(List::new(LIST_ID, ListFormat::Domains, Action::Block).category(Category::Phishing))
        .list_text(LIST_ID, list);
    b
}

/// The same kind of list alone: nothing but the block list.
pub(crate) fn list_only_builder(list: String) -> PolicyBuilder {
    let mut b = PolicyBuilder::new();
    b.list(List::new(LIST_ID, ListFormat::Domains, Action::Block).category(Category::Phishing))
        .list_text(LIST_ID, list);
    b
}

/// A group chat as in the other benches: 250 members, a user, a client version
/// and a time, so rollout gates and phases run.
pub(crate) fn group_context() -> Context {
    Context::group(250)
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(1_635_724_800)
}

/// Whether a verdict was decided by, or carries, a rule of the block list.
pub(crate) fn listed(v: &linkpolicy::Verdict) -> bool {
    let prefix = format!("{LIST_ID}:");
    v.rule_ids().any(|r| r.as_str().starts_with(&prefix))
}

/// The domains of a list in any of the formats of `blocklists/`: plain domains,
/// hosts (`0.0.0.0 domain`) or wildcard (`*.domain`); lowercase, comments and
/// blank lines left out.
fn list_domains(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.split('#').next().unwrap_or("").trim();
            let d = match line.split_whitespace().collect::<Vec<_>>().as_slice() {
                [d] => *d,
                [_, d] => *d,
                _ => return None,
            };
            let d = d.strip_prefix("*.").unwrap_or(d).trim_end_matches('.');
            // Not an IP address: the last label has a letter.
            let ok = d
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()))
                && d.contains('.')
                && d.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_');
            ok.then(|| d.to_ascii_lowercase())
        })
        .filter(|d| d != "0.0.0.0" && d != "localhost")
        .collect()
}

/// The URL column of the JPCERT/CC CSV (`date,URL,description`, fields quoted
/// with `"` when they hold a comma), keeping real `http(s)://` URLs only.
fn csv_urls(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let (_, rest) = line.split_once(',')?;
            let url = match rest.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => rest.split(',').next()?,
            };
            let url = url.trim();
            (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_owned())
        })
        .collect()
}

/// The strings of the JSON array after `key`, read without a JSON parser (the
/// data module uses `std` only): `"key": ["a", "b"]`.
fn json_string_array(text: &str, key: &str) -> Vec<String> {
    let Some((_, after)) = text.split_once(key) else {
        return Vec::new();
    };
    let Some((_, array)) = after.split_once('[') else {
        return Vec::new();
    };
    let array = array.split(']').next().unwrap_or("");
    array
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// `n` items evenly spaced over `all` (all of them when there are fewer).
fn spaced<T: Clone>(all: &[T], n: usize) -> Vec<T> {
    if n >= all.len() {
        return all.to_vec();
    }
    (0..n)
        .filter_map(|i| all.get(i * all.len() / n).cloned())
        .collect()
}

/// `a / b`, to print.
fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b.max(1) as f64
}

/// A link to a popular host: a path like the site's own, and, for four links in
/// five, one to three tracking parameters after the site's own query, if any.
fn popular_link(rng: &mut Rng, host: &str, params: &[String]) -> String {
    let w1 = pick(rng, WORDS);
    let w2 = pick(rng, WORDS);
    let num = rng.below(10_000_000);
    let mut link = format!("https://{host}");
    match rng.below(10) {
        0 => link.push('/'),
        1 => {
            let _ = write!(link, "/watch?v={}", token(rng, 11));
        }
        2 => {
            let _ = write!(link, "/p/{}/", token(rng, 11));
        }
        3 => {
            let _ = write!(
                link,
                "/{}/{:02}/{:02}/{w1}-{w2}-{num}.html",
                2019 + rng.below(7),
                1 + rng.below(12),
                1 + rng.below(28)
            );
        }
        4 => {
            let _ = write!(link, "/search?q={w1}+{w2}&hl=en");
        }
        5 => {
            let _ = write!(link, "/item/{num}.html");
        }
        6 => {
            let _ = write!(link, "/news/{w1}-{w2}-{num}");
        }
        7 => {
            let _ = write!(link, "/s/{}", token(rng, 22));
        }
        8 => {
            let _ = write!(link, "/product/{num}?sku={}&color={w1}", rng.below(100_000));
        }
        _ => {
            let _ = write!(link, "/docs/{w1}/{w2}#section-{}", rng.below(9));
        }
    }
    if rng.below(5) != 0 && !params.is_empty() {
        // Before the fragment, if there is one.
        let (base, fragment) = match link.split_once('#') {
            Some((b, f)) => (b.to_owned(), format!("#{f}")),
            None => (link.clone(), String::new()),
        };
        let mut q = base;
        let count = 1 + rng.below(3);
        for k in 0..count {
            q.push(if k == 0 && !q.contains('?') { '?' } else { '&' });
            let name = pick_str(rng, params).to_owned();
            let value = if name.starts_with("utm_") {
                pick(
                    rng,
                    &[
                        "wechat",
                        "twitter",
                        "newsletter",
                        "social",
                        "spring_sale_2025",
                        "share",
                    ],
                )
                .to_owned()
            } else {
                token(rng, 24)
            };
            let _ = write!(q, "{name}={value}");
        }
        q.push_str(&fragment);
        link = q;
    }
    link
}

const WORDS: &[&str] = &[
    "apple", "river", "cloud", "summer", "market", "garden", "travel", "music", "phone", "sale",
    "review", "guide", "news", "china", "world", "health", "sport", "movie", "recipe", "city",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ra", "ven", "to", "su", "ne", "zo", "pa", "li", "mar", "qu", "dex", "fin",
    "tel", "ro", "vi", "sha", "no",
];

const TLDS: &[&str] = &[
    "com", "top", "xyz", "online", "site", "cn", "shop", "info", "net", "icu", "club", "live",
];

const BRANDS: &[&str] = &[
    "amazon",
    "apple",
    "paypal",
    "netflix",
    "mufg",
    "rakuten",
    "aeon",
    "docomo",
    "jd",
    "taobao",
    "wechat",
    "alipay",
    "icloud",
    "microsoft",
    "smbc",
    "etc",
    "au",
    "sagawa",
    "yamato",
    "post",
];

/// A generated phishing-like domain: brand lures, random words, random labels.
fn generated_domain(rng: &mut Rng) -> String {
    let tld = pick(rng, TLDS);
    match rng.below(4) {
        0 => format!(
            "{}-{}{}.{tld}",
            pick(rng, BRANDS),
            pick(
                rng,
                &["login", "secure", "verify", "account", "support", "update"]
            ),
            rng.below(1000)
        ),
        1 => format!("{}{}.{tld}", brand(rng), rng.below(100_000)),
        2 => format!(
            "{}.{}.{tld}",
            token(rng, 6).to_ascii_lowercase(),
            brand(rng)
        ),
        _ => format!(
            "{}-{}{}.{tld}",
            brand(rng),
            pick(rng, WORDS),
            rng.below(10_000)
        ),
    }
}

/// A made-up brand name of two to four syllables.
fn brand(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n).map(|_| pick(rng, SYLLABLES)).collect()
}

/// `n` random letters and digits.
fn token(rng: &mut Rng, n: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    (0..n)
        .map(|_| char::from(CHARS.get(rng.below(CHARS.len())).copied().unwrap_or(b'x')))
        .collect()
}

fn pick<'a>(rng: &mut Rng, from: &[&'a str]) -> &'a str {
    from.get(rng.below(from.len())).copied().unwrap_or("x")
}

fn pick_str<'a>(rng: &mut Rng, from: &'a [String]) -> &'a str {
    from.get(rng.below(from.len()))
        .map_or("example.org", String::as_str)
}

/// SplitMix64: small, deterministic, good enough to pick test data.
#[derive(Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n).unwrap_or(u64::MAX).max(1);
        usize::try_from(self.next() % n64).unwrap_or(0)
    }
}
