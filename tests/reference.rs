//! A deliberately simple reference evaluator, written from the contract (sections 3,
//! 5, 6, 7) and the README ("How a link is read", "How a verdict is reached"), and
//! property tests comparing the compiled engine against it on random policies built
//! from a small vocabulary.
//!
//! The reference scans the rules linearly, with no index, and follows the contract
//! step by step. Normalization is not under test here: the normalized URL, host and
//! registrable domain are taken from classifying the link with a policy that has no
//! rules (`NORM`).
//!
//! Readings of the contract that the reference makes where it is not explicit:
//! - The deciding reason (the first one) is the step that last *changed* the action:
//!   the rule, platform, default, phase or app link that set it, then a floor only if
//!   it strictly raised it, then a user choice only if it changed it. A floor at the
//!   level the action already has does not decide (even a hard one such as
//!   `userinfo`, which still makes the verdict hard).
//! - Among several hard block candidates, the same order as step 3 picks the one named
//!   (most specific, then first written); any of them gives the same action.
//! - Only `http(s)` links have a host for `domain`/`host` rules, platforms, complaints,
//!   `ip_host` and the user's lists; an app link is never "under trusted".
//! - A deciding rule's `hard` makes the verdict hard; `userinfo` always does.
//! - A user's `blocked` list and mode never change `hard`.

use std::sync::LazyLock;

use linkpolicy::{
    Action, Category, ChatKind, Complaint, Context, Defaults, Matcher, Mode, Phase, Platform,
    Policy, Prefs, Reason, Redirector, Rollout, Rule, Threshold, Tier, Verdict,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 4000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A policy with nothing in it: its verdicts give the normalized URL, host and
/// registrable domain.
static NORM: LazyLock<Policy> = LazyLock::new(|| Policy::builder().build().unwrap());

// ---------------------------------------------------------------------------
// The description of a policy, a link and a context.

/// A regex the reference understands without a regex engine.
#[derive(Clone, Copy, Debug)]
enum Pat {
    Starts(&'static str),
    Contains(&'static str),
}

impl Pat {
    fn regex(self) -> String {
        let esc = |s: &str| {
            s.chars()
                .map(|c| {
                    if "\\.+*?()|[]{}^$".contains(c) {
                        format!("\\{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect::<String>()
        };
        match self {
            Pat::Starts(s) => format!("^{}", esc(s)),
            Pat::Contains(s) => esc(s),
        }
    }

    fn is_match(self, url: &str) -> bool {
        match self {
            Pat::Starts(s) => url.starts_with(s),
            Pat::Contains(s) => url.contains(s),
        }
    }
}

#[derive(Clone, Debug)]
enum M {
    Domain(&'static str),
    Host(&'static str),
    Prefix(&'static str),
    Re(Pat),
    Scheme(&'static str),
}

#[derive(Clone, Debug, Default)]
struct RRollout {
    /// Percent and an explicit salt (None: the item's id).
    percent: Option<(u8, Option<&'static str>)>,
    min_client: Option<&'static str>,
    from: Option<i64>,
    until: Option<i64>,
}

#[derive(Clone, Debug)]
struct RRule {
    /// The id; None: `r{index}`.
    id: Option<String>,
    action: Action,
    category: Category,
    hard: bool,
    shadow: bool,
    chats: Option<Vec<ChatKind>>,
    min_members: Option<u32>,
    rollout: Option<RRollout>,
    m: M,
}

impl RRule {
    fn id_at(&self, index: usize) -> String {
        self.id.clone().unwrap_or_else(|| format!("r{index}"))
    }
}

#[derive(Clone, Debug)]
struct RPhase {
    rollout: Option<RRollout>,
    one_to_one: Option<Action>,
    group: Option<Action>,
}

#[derive(Clone, Debug)]
pub(crate) struct RPolicy {
    one_to_one: Option<Action>,
    group: Option<Action>,
    app_link: Option<Action>,
    ip_host: Option<Action>,
    /// Tier `T{i}`: (one_to_one, group).
    tiers: Vec<(Option<Action>, Option<Action>)>,
    /// Platform `p{i}`: domains and tier index.
    platforms: Vec<(Vec<&'static str>, Option<usize>)>,
    /// Rule `r{i}`.
    rules: Vec<RRule>,
    /// Phase `ph{i}`.
    phases: Vec<RPhase>,
    allow_trust: Option<bool>,
    thresholds: Vec<(Category, Option<u64>, Option<u64>)>,
    complaints: Vec<(&'static str, Category, u64)>,
    /// Whether `r.example` is a redirector with the parameters
    /// [`REDIRECTOR_PARAMS`].
    redirector: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct RCtx {
    members: Option<u32>,
    user: Option<&'static str>,
    version: Option<&'static str>,
    now: Option<i64>,
    mode: Mode,
    trusted: Vec<&'static str>,
    blocked: Vec<&'static str>,
}

impl RCtx {
    fn chat(&self) -> ChatKind {
        if self.members.is_some() {
            ChatKind::Group
        } else {
            ChatKind::OneToOne
        }
    }

    pub(crate) fn context(&self) -> Context {
        let mut ctx = self.bare();
        ctx = ctx.with_prefs(Prefs::from_lists(self.mode, &self.trusted, &self.blocked).unwrap());
        ctx
    }

    /// The same context without preferences.
    fn bare(&self) -> Context {
        let mut ctx = match self.members {
            Some(n) => Context::group(n),
            None => Context::one_to_one(),
        };
        if let Some(u) = self.user {
            ctx = ctx.with_user(u);
        }
        if let Some(v) = self.version {
            ctx = ctx.with_client_version(v);
        }
        if let Some(t) = self.now {
            ctx = ctx.with_now(t);
        }
        ctx
    }

    fn without_prefs(&self) -> RCtx {
        RCtx {
            mode: Mode::Default,
            trusted: vec![],
            blocked: vec![],
            ..self.clone()
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct RLink {
    pub(crate) text: String,
    /// User info present in an http(s) link.
    userinfo: bool,
    /// For a link on the redirector `r.example`: each parameter and the link
    /// its value is, in the order written.
    inner: Vec<(&'static str, RLink)>,
}

/// The redirector's parameters, in the order its policy lists them.
const REDIRECTOR_PARAMS: [&str; 2] = ["u", "to"];

// ---------------------------------------------------------------------------
// Building the described policy with the crate.

fn rollout(r: &RRollout) -> Rollout {
    let mut g = Rollout::new();
    if let Some((p, salt)) = r.percent {
        match salt {
            Some(s) => g = g.percent(p, s),
            None => g.percent = Some(p),
        }
    }
    if let Some(v) = r.min_client {
        g = g.min_client(v);
    }
    g.window(r.from, r.until)
}

fn build(p: &RPolicy) -> Policy {
    match builder(p).build() {
        Ok(p) => p,
        Err(e) => panic!("the described policy does not build: {e}\n{p:#?}"),
    }
}

/// The builder of a described policy (also for `tests/snapshot.rs`).
pub(crate) fn builder(p: &RPolicy) -> linkpolicy::PolicyBuilder {
    let mut b = Policy::builder();
    let mut d = Defaults::new();
    d.one_to_one = p.one_to_one;
    d.group = p.group;
    d.app_link = p.app_link;
    d.ip_host = p.ip_host;
    b.defaults(d);
    for (i, (o, g)) in p.tiers.iter().enumerate() {
        b.tier(format!("T{i}"), Tier::new(*o, *g));
    }
    for (i, (domains, tier)) in p.platforms.iter().enumerate() {
        let mut pl = Platform::new(format!("p{i}"), domains.iter().copied());
        if let Some(t) = tier {
            pl = pl.tier(format!("T{t}"));
        }
        b.platform(pl);
    }
    for (i, r) in p.rules.iter().enumerate() {
        let m = match &r.m {
            M::Domain(s) => Matcher::Domain((*s).into()),
            M::Host(s) => Matcher::Host((*s).into()),
            M::Prefix(s) => Matcher::UrlPrefix((*s).into()),
            M::Re(pat) => Matcher::Regex(pat.regex()),
            M::Scheme(s) => Matcher::Scheme((*s).into()),
        };
        let mut rule = Rule::new(r.id_at(i), r.action, m)
            .category(r.category)
            .hard(r.hard)
            .shadow(r.shadow);
        if let Some(c) = &r.chats {
            rule = rule.chats(c.iter().copied());
        }
        if let Some(n) = r.min_members {
            rule = rule.min_members(n);
        }
        if let Some(g) = &r.rollout {
            rule = rule.rollout(rollout(g));
        }
        b.rule(rule);
    }
    for (i, ph) in p.phases.iter().enumerate() {
        let mut d = Defaults::new();
        d.one_to_one = ph.one_to_one;
        d.group = ph.group;
        b.phase(Phase::new(
            format!("ph{i}"),
            ph.rollout.as_ref().map(rollout),
            d,
        ));
    }
    if let Some(t) = p.allow_trust {
        b.allow_trust(t);
    }
    for (c, w, bl) in &p.thresholds {
        b.complaint_threshold(*c, Threshold::new(*w, *bl));
    }
    for (d, c, n) in &p.complaints {
        b.complaint(Complaint::new(*d, *c, *n));
    }
    if p.redirector {
        b.redirector(Redirector::new("r.example", REDIRECTOR_PARAMS));
    }
    b
}

impl RPolicy {
    /// The complaint rows of the policy (which snapshots leave out).
    pub(crate) fn complaint_rows(&self) -> Vec<Complaint> {
        self.complaints
            .iter()
            .map(|(d, c, n)| Complaint::new(*d, *c, *n))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// The reference evaluator.

/// The deciding reason, as far as the reference pins it down.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Why {
    Rule(String),
    Platform(String, String),
    Default,
    Phase(String),
    AppLink,
    UnsafeScheme,
    Userinfo,
    IpHost,
    /// Which category is named is not compared (several may reach the same level).
    Complaints,
    UserBlocked,
    UserTrusted,
    UserMode,
    Other(&'static str),
}

fn why(r: &Reason) -> Why {
    match r {
        Reason::Rule { rule, .. } => Why::Rule(rule.to_string()),
        Reason::Platform { platform, tier } => {
            Why::Platform(platform.to_string(), tier.to_string())
        }
        Reason::Default => Why::Default,
        Reason::Phase { phase } => Why::Phase(phase.to_string()),
        Reason::AppLink => Why::AppLink,
        Reason::UnsafeScheme { .. } => Why::UnsafeScheme,
        Reason::Userinfo => Why::Userinfo,
        Reason::IpHost => Why::IpHost,
        Reason::Complaints { .. } => Why::Complaints,
        Reason::UserBlocked => Why::UserBlocked,
        Reason::UserTrusted => Why::UserTrusted,
        Reason::UserMode => Why::UserMode,
        other => Why::Other(other.kind()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Expect {
    action: Action,
    hard: bool,
    why: Why,
}

fn actual(v: &Verdict) -> Expect {
    Expect {
        action: v.action(),
        hard: v.is_hard(),
        why: v.reason().map_or(Why::Other("none"), why),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Dotted numbers; None when not a version.
fn version(s: &str) -> Option<Vec<u64>> {
    s.split('.').map(|p| p.parse::<u64>().ok()).collect()
}

fn version_at_least(have: &[u64], min: &[u64]) -> bool {
    let n = have.len().max(min.len());
    for i in 0..n {
        let a = have.get(i).copied().unwrap_or(0);
        let b = min.get(i).copied().unwrap_or(0);
        if a != b {
            return a > b;
        }
    }
    true
}

/// Section 5.1: a gate passes when every key it has passes; a key that cannot be
/// evaluated does not pass.
fn gate(g: &RRollout, id: &str, c: &RCtx) -> bool {
    if let Some((percent, salt)) = g.percent {
        let Some(user) = c.user else { return false };
        let key = format!("{}:{user}", salt.unwrap_or(id));
        if fnv1a(key.as_bytes()) % 100 >= u64::from(percent) {
            return false;
        }
    }
    if let Some(min) = g.min_client {
        let Some(have) = c.version.and_then(version) else {
            return false;
        };
        if !version_at_least(&have, &version(min).unwrap()) {
            return false;
        }
    }
    if let Some(from) = g.from {
        match c.now {
            Some(t) if t >= from => {}
            _ => return false,
        }
    }
    if let Some(until) = g.until {
        match c.now {
            Some(t) if t < until => {}
            _ => return false,
        }
    }
    true
}

/// `d` covers `host`: the host itself or a subdomain.
fn covers(d: &str, host: &str) -> bool {
    host == d || host.ends_with(&format!(".{d}"))
}

fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// What the link means, as the engine reads it (not under test).
struct Norm {
    url: String,
    scheme: String,
    /// Only http(s) links have a host.
    host: Option<String>,
    registrable: Option<String>,
    /// Contract 4.7: the IPv4 address an IPv6 host embeds (IPv4-mapped
    /// `::ffff:0:0/96`, NAT64 `64:ff9b::/96`), and the URL with it for the host.
    v4: Option<(String, String)>,
}

/// The IPv4 address an IPv6 host (`[...]`) embeds, if any, by the RFCs'
/// prefixes (RFC 4291 §2.5.5.2, RFC 6052 §2.1).
fn embedded_v4(host: &str) -> Option<String> {
    let v6: std::net::Ipv6Addr = host.strip_prefix('[')?.strip_suffix(']')?.parse().ok()?;
    let seg = v6.segments();
    let mapped = seg[..6] == [0, 0, 0, 0, 0, 0xffff];
    let nat64 = seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    let o = v6.octets();
    (mapped || nat64).then(|| format!("{}.{}.{}.{}", o[12], o[13], o[14], o[15]))
}

/// What follows `http://` or `https://`, for a web URL or prefix.
fn web_rest(s: &str) -> Option<&str> {
    s.strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
}

/// Contract 4.7: an http or https prefix matches both schemes.
fn prefix_matches(prefix: &str, url: &str) -> bool {
    match web_rest(prefix) {
        Some(rest) => web_rest(url).is_some_and(|u| u.starts_with(rest)),
        None => url.starts_with(prefix),
    }
}

fn norm(link: &str) -> Norm {
    let v = NORM.classify(link, &Context::one_to_one());
    let url = v.url().expect("vocabulary links parse").to_string();
    let scheme = url.split(':').next().unwrap().to_string();
    let web = scheme == "http" || scheme == "https";
    let host = v.host().filter(|_| web).map(str::to_string);
    let v4 = host.as_deref().and_then(|h| {
        let v4 = embedded_v4(h)?;
        let url = url.replacen(h, &v4, 1);
        Some((v4, url))
    });
    Norm {
        v4,
        host,
        registrable: if web {
            v.registrable_domain().map(str::to_string)
        } else {
            None
        },
        url,
        scheme,
    }
}

/// Section 5.3: (matcher class, length or labels); larger is more specific.
fn specificity(m: &M) -> (u8, usize) {
    match m {
        M::Prefix(p) => (4, web_rest(p).unwrap_or(p).len()),
        M::Host(_) => (3, 0),
        M::Domain(d) => (2, d.split('.').count()),
        M::Re(_) => (1, 0),
        M::Scheme(_) => (0, 0),
    }
}

fn matches(m: &M, n: &Norm) -> bool {
    let as_written = match m {
        M::Domain(d) => n.host.as_deref().is_some_and(|h| covers(d, h)),
        M::Host(h) => n.host.as_deref() == Some(*h),
        M::Prefix(p) => prefix_matches(p, &n.url),
        M::Re(pat) => pat.is_match(&n.url),
        M::Scheme(s) => n.scheme == *s,
    };
    // Contract 4.7: an IPv6 host embedding an IPv4 address is matched as it too.
    as_written
        || n.v4.as_ref().is_some_and(|(v4, url)| match m {
            M::Host(h) => v4 == h,
            M::Prefix(p) => prefix_matches(p, url),
            M::Re(pat) => pat.is_match(url),
            M::Domain(_) | M::Scheme(_) => false,
        })
}

fn fits(r: &RRule, c: &RCtx) -> bool {
    if let Some(chats) = &r.chats {
        if !chats.contains(&c.chat()) {
            return false;
        }
    }
    if let Some(min) = r.min_members {
        match c.members {
            Some(n) if n >= min => {}
            _ => return false,
        }
    }
    true
}

/// Contract 5, wrappers: the hops of a link, the link first, then each value of
/// each parameter of the redirector (if the policy has one and the link is on
/// it) that is an absolute http(s) URL, in the order of the parameters, then of
/// the values; a value given twice is one hop. Each hop is decided on its own;
/// the strictest decides (the first hop with it names the reason), a hard one
/// makes the verdict hard; the user's choices look at every hop's host.
fn reference(p: &RPolicy, link: &RLink, c: &RCtx) -> Expect {
    let mut hops = vec![hop_reference(p, &link.text, link.userinfo, c)];
    if p.redirector && link.text.starts_with("https://r.example/") {
        let mut seen: Vec<&str> = Vec::new();
        for param in REDIRECTOR_PARAMS {
            for (name, inner) in &link.inner {
                let web = ["http://", "https://"]
                    .iter()
                    .any(|s| inner.text.to_ascii_lowercase().starts_with(s));
                if *name == param && web && !seen.contains(&inner.text.as_str()) {
                    seen.push(&inner.text);
                    hops.push(hop_reference(p, &inner.text, inner.userinfo, c));
                }
            }
        }
    }
    let mut action = hops.iter().map(|h| h.0).max().unwrap();
    let hard = hops.iter().any(|h| h.1);
    let deciding = hops.iter().position(|h| h.0 == action).unwrap();
    let mut why = hops[deciding].2.clone();

    // Section 6: the user's choices, last, over every hop's host.
    let under = |list: &[&str], h: &Option<String>| {
        h.as_deref()
            .is_some_and(|h| list.iter().any(|d| covers(d, h)))
    };
    if hops.iter().any(|h| under(&c.blocked, &h.3)) && action != Action::Block {
        action = Action::Block;
        why = Why::UserBlocked;
    }
    if c.mode == Mode::BlockExternal && action != Action::Block {
        action = Action::Block;
        why = Why::UserMode;
    }
    if action == Action::Warn
        && !hard
        && p.allow_trust.unwrap_or(true)
        && hops.iter().all(|h| under(&c.trusted, &h.3))
    {
        action = Action::Allow;
        why = Why::UserTrusted;
    }
    if c.mode == Mode::Ask && action == Action::Allow {
        action = Action::Warn;
        why = Why::UserMode;
    }
    Expect { action, hard, why }
}

/// One hop, before the user's choices: its action, hardness, deciding reason
/// and host.
fn hop_reference(
    p: &RPolicy,
    text: &str,
    userinfo: bool,
    c: &RCtx,
) -> (Action, bool, Why, Option<String>) {
    let lower = text.trim().to_ascii_lowercase();
    if ["javascript:", "data:", "vbscript:", "file:", "blob:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return (Action::Block, true, Why::UnsafeScheme, None);
    }
    let n = norm(text);
    let web = n.scheme == "http" || n.scheme == "https";

    // 5.1: candidates, in the order written.
    let candidates: Vec<(usize, &RRule)> = p
        .rules
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            !r.shadow
                && matches(&r.m, &n)
                && fits(r, c)
                && r.rollout.as_ref().is_none_or(|g| gate(g, &r.id_at(*i), c))
        })
        .collect();
    // The best by (specificity, action), the first written on a tie.
    let best = |rules: &[(usize, &RRule)]| -> Option<RRule> {
        let mut best: Option<(usize, &RRule)> = None;
        for &(i, r) in rules {
            let better = match best {
                None => true,
                Some((_, b)) => (specificity(&r.m), r.action) > (specificity(&b.m), b.action),
            };
            if better {
                best = Some((i, r));
            }
        }
        best.map(|(i, r)| RRule {
            id: Some(r.id_at(i)),
            ..r.clone()
        })
    };

    let hard_blocks: Vec<_> = candidates
        .iter()
        .copied()
        .filter(|(_, r)| r.action == Action::Block && r.hard)
        .collect();
    let (mut action, mut hard, mut why) = if let Some(r) = best(&hard_blocks) {
        // 5.2
        (Action::Block, true, Why::Rule(r.id_at(0)))
    } else if let Some(r) = best(&candidates) {
        // 5.3
        (r.action, r.hard, Why::Rule(r.id_at(0)))
    } else {
        // 5.4: the platform with the longest matching domain.
        let platform = n.host.as_deref().and_then(|h| {
            let mut found: Option<(usize, usize)> = None; // (platform, domain length)
            for (i, (domains, _)) in p.platforms.iter().enumerate() {
                for d in domains {
                    if covers(d, h) && found.is_none_or(|(_, len)| d.len() > len) {
                        found = Some((i, d.len()));
                    }
                }
            }
            found.map(|(i, _)| i)
        });
        let tier_action = platform.and_then(|i| {
            let t = p.platforms[i].1?;
            let (o, g) = p.tiers[t];
            let a = match c.chat() {
                ChatKind::OneToOne => o,
                _ => g,
            }?;
            Some((a, Why::Platform(format!("p{i}"), format!("T{t}"))))
        });
        match tier_action {
            Some((a, w)) if web => (a, false, w),
            _ if web => {
                // 5.5, after phases: the last applicable phase wins.
                let (mut a, mut w) = match c.chat() {
                    ChatKind::OneToOne => (p.one_to_one.unwrap_or(Action::Warn), Why::Default),
                    _ => (p.group.unwrap_or(Action::Block), Why::Default),
                };
                for (i, ph) in p.phases.iter().enumerate() {
                    let id = format!("ph{i}");
                    if !ph.rollout.as_ref().is_none_or(|g| gate(g, &id, c)) {
                        continue;
                    }
                    let key = match c.chat() {
                        ChatKind::OneToOne => ph.one_to_one,
                        _ => ph.group,
                    };
                    if let Some(k) = key {
                        a = k;
                        w = Why::Phase(id);
                    }
                }
                (a, false, w)
            }
            _ => (p.app_link.unwrap_or(Action::Warn), false, Why::AppLink),
        }
    };

    // 5.6: floors, in the contract's order; a floor decides only when it raises.
    let mut floor = |level: Action, w: Why, makes_hard: bool, action: &mut Action| {
        if makes_hard {
            hard = true;
        }
        if level > *action {
            *action = level;
            why = w;
        }
    };
    if let Some(reg) = &n.registrable {
        let mut level: Option<Action> = None;
        for (cat, warn, block) in &p.thresholds {
            let count: u64 = p
                .complaints
                .iter()
                .filter(|(d, c2, _)| d == reg && c2 == cat)
                .map(|(_, _, k)| k)
                .sum();
            let l = if block.is_some_and(|b| count >= b) {
                Some(Action::Block)
            } else if warn.is_some_and(|w| count >= w) {
                Some(Action::Warn)
            } else {
                None
            };
            level = level.max(l);
        }
        if let Some(l) = level {
            floor(l, Why::Complaints, false, &mut action);
        }
    }
    if n.host.as_deref().is_some_and(is_ip) {
        floor(
            p.ip_host.unwrap_or(Action::Warn),
            Why::IpHost,
            false,
            &mut action,
        );
    }
    if web && userinfo {
        floor(Action::Warn, Why::Userinfo, true, &mut action);
    }
    (action, hard, why, n.host)
}

// ---------------------------------------------------------------------------
// Strategies.

const ACTIONS: [Action; 3] = [Action::Allow, Action::Warn, Action::Block];

fn action() -> impl Strategy<Value = Action> {
    prop::sample::select(ACTIONS.to_vec())
}

fn opt_action() -> impl Strategy<Value = Option<Action>> {
    prop::option::of(action())
}

fn category() -> impl Strategy<Value = Category> {
    prop::sample::select(vec![
        Category::Fraud,
        Category::Harassment,
        Category::Inducement,
        Category::Other,
    ])
}

pub(crate) const DOMAINS: &[&str] = &[
    "a.example",
    "b.a.example",
    "c.b.a.example",
    "x.test",
    "jd.com",
    "item.jd.com",
    "example",
    "com",
    "test",
];
pub(crate) const HOSTS: &[&str] = &[
    "a.example",
    "b.a.example",
    "www.a.example",
    "x.test",
    "jd.com",
    "item.jd.com",
    "m.jd.com",
    "127.0.0.1",
    "[::1]",
];
const PREFIXES: &[&str] = &[
    "https://a.example/",
    "https://a.example/p/",
    "https://a.example/p/q",
    "http://a.example/",
    "https://www.a.example/",
    "https://b.a.example/p",
    "https://jd.com/",
    "https://item.jd.com/promo/",
    "http://127.0.0.1/",
    "https://x.test/p/q",
    "weixin://dl/",
];
const PATTERNS: &[Pat] = &[
    Pat::Contains("a.example"),
    Pat::Contains("/p/"),
    Pat::Starts("https://"),
    Pat::Starts("weixin:"),
    Pat::Contains("jd.com/"),
    Pat::Contains("?y="),
    Pat::Contains(":8080"),
];
const SCHEMES: &[&str] = &["https", "http", "weixin", "taobao"];
const MEMBERS: &[u32] = &[10, 100, 500];

fn matcher() -> impl Strategy<Value = M> {
    prop_oneof![
        prop::sample::select(DOMAINS).prop_map(M::Domain),
        prop::sample::select(HOSTS).prop_map(M::Host),
        prop::sample::select(PREFIXES).prop_map(M::Prefix),
        prop::sample::select(PATTERNS).prop_map(M::Re),
        prop::sample::select(SCHEMES).prop_map(M::Scheme),
    ]
}

fn gate_strategy() -> impl Strategy<Value = RRollout> {
    (
        prop::option::of((
            prop::sample::select(vec![0u8, 26, 27, 57, 58, 70, 71, 100]),
            prop::option::of(prop::sample::select(vec!["r1", "groups-2021-10"])),
        )),
        prop::option::of(prop::sample::select(vec!["8.0.14", "8.0.16", "8.1"])),
        prop::option::of(Just(1_631_836_800i64)),
        prop::option::of(Just(1_640_995_200i64)),
    )
        .prop_map(|(percent, min_client, from, until)| RRollout {
            percent,
            min_client,
            from,
            until,
        })
}

fn rule() -> impl Strategy<Value = RRule> {
    (
        action(),
        category(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.1),
        prop::option::of(prop::sample::select(vec![
            vec![ChatKind::OneToOne],
            vec![ChatKind::Group],
            vec![ChatKind::OneToOne, ChatKind::Group],
        ])),
        prop::option::weighted(0.2, prop::sample::select(MEMBERS)),
        prop::option::weighted(0.2, gate_strategy()),
        matcher(),
    )
        .prop_map(
            |(action, category, hard, shadow, chats, min_members, rollout, m)| RRule {
                id: None,
                action,
                category,
                // `hard` on an allow rule is refused when building (#14).
                hard: hard && action != Action::Allow,
                shadow,
                chats,
                min_members,
                rollout,
                m,
            },
        )
}

fn phase() -> impl Strategy<Value = RPhase> {
    (
        prop::option::of(gate_strategy()),
        opt_action(),
        opt_action(),
    )
        .prop_map(|(rollout, one_to_one, group)| RPhase {
            rollout,
            one_to_one,
            group,
        })
}

/// Platform domains, each given to at most one platform.
const PLATFORM_DOMAINS: &[&str] = &[
    "a.example",
    "b.a.example",
    "x.test",
    "jd.com",
    "item.jd.com",
];
const REGISTRABLE: &[&str] = &["a.example", "x.test", "jd.com"];

pub(crate) fn policy() -> impl Strategy<Value = RPolicy> {
    (
        (opt_action(), opt_action(), opt_action(), opt_action()),
        prop::collection::vec((opt_action(), opt_action()), 1..4),
        // For each platform domain: which of three platforms owns it, and their tiers.
        (
            prop::collection::vec(prop::option::of(0usize..3), PLATFORM_DOMAINS.len()),
            prop::collection::vec(prop::option::weighted(0.8, 0usize..3), 3),
        ),
        prop::collection::vec(rule(), 0..14),
        prop::collection::vec(phase(), 0..3),
        prop::option::of(any::<bool>()),
        prop::collection::vec(
            (
                category(),
                prop::option::of(prop::sample::select(vec![5u64, 10, 20])),
                prop::option::of(prop::sample::select(vec![20u64, 50])),
            ),
            0..4,
        ),
        (
            prop::collection::vec(
                (
                    prop::sample::select(REGISTRABLE),
                    category(),
                    prop::sample::select(vec![1u64, 5, 10, 19, 20, 30, 50]),
                ),
                0..6,
            ),
            prop::bool::weighted(0.7),
        ),
    )
        .prop_map(
            |(
                (one_to_one, group, app_link, ip_host),
                tiers,
                (owners, tier_of),
                rules,
                phases,
                allow_trust,
                thresholds,
                (complaints, redirector),
            )| {
                // Platforms that own at least one domain, renumbered.
                let mut platforms: Vec<(Vec<&'static str>, Option<usize>)> = Vec::new();
                for (owner, tier) in tier_of.iter().enumerate() {
                    let domains: Vec<&'static str> = PLATFORM_DOMAINS
                        .iter()
                        .zip(&owners)
                        .filter(|(_, o)| **o == Some(owner))
                        .map(|(d, _)| *d)
                        .collect();
                    if !domains.is_empty() {
                        let tier = tier.filter(|t| *t < tiers.len());
                        platforms.push((domains, tier));
                    }
                }
                // One threshold per category.
                let mut seen = Vec::new();
                let thresholds = thresholds
                    .into_iter()
                    .filter(|(c, _, _)| {
                        let new = !seen.contains(c);
                        seen.push(*c);
                        new
                    })
                    .collect();
                RPolicy {
                    one_to_one,
                    group,
                    app_link,
                    ip_host,
                    tiers,
                    platforms,
                    rules,
                    phases,
                    allow_trust,
                    thresholds,
                    complaints,
                    redirector,
                }
            },
        )
}

fn web_link() -> impl Strategy<Value = RLink> {
    const BASES: &[&str] = &[
        "a.example",
        "b.a.example",
        "c.b.a.example",
        "x.test",
        "jd.com",
        "item.jd.com",
        "other.example",
        "127.0.0.1",
        "10.1.2.3",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::FFFF:7F00:1]",
        "[64:ff9b::10.1.2.3]",
        "[::ffff:0:7f00:1]",
    ];
    (
        prop::sample::select(vec![Some("https"), Some("http"), Some("HTTPS"), None]),
        prop::option::weighted(0.2, prop::sample::select(vec!["u@", "u:p@", "jd.com@"])),
        prop::sample::select(vec!["", "", "www.", "m."]),
        prop::sample::select(BASES),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.05),
        prop::sample::select(vec!["", "/", "/p/", "/p/q", "/promo/1", "/x?y=1"]),
    )
        .prop_map(|(scheme, userinfo, sub, base, upper, dot, port, path)| {
            let ip = base.starts_with('[') || base.parse::<std::net::Ipv4Addr>().is_ok();
            // Without a scheme, `u:p@host` would read as the scheme `u`.
            let userinfo = userinfo.filter(|u| scheme.is_some() || !u.contains(':'));
            let mut host = if ip {
                base.to_string()
            } else {
                format!("{sub}{base}")
            };
            if upper {
                host = host.to_ascii_uppercase();
            }
            if dot && !base.starts_with('[') {
                host.push('.');
            }
            let text = format!(
                "{}{}{host}{}{path}",
                scheme.map(|s| format!("{s}://")).unwrap_or_default(),
                userinfo.unwrap_or(""),
                if port { ":8080" } else { "" },
            );
            RLink {
                text,
                userinfo: userinfo.is_some(),
                inner: Vec::new(),
            }
        })
}

/// A link on the redirector `r.example` whose parameters (listed ones and
/// others, some given twice) hold web links, written as they are: the
/// vocabulary has no `&`, `#`, `+` or `%`, which would need escaping.
fn wrapper_link() -> impl Strategy<Value = RLink> {
    (
        prop::collection::vec(
            (prop::sample::select(vec!["u", "to", "x"]), web_link()),
            1..4,
        ),
        prop::sample::select(vec!["/go?", "/?", "/go?a=1&"]),
    )
        .prop_map(|(inner, path)| {
            let query: Vec<String> = inner
                .iter()
                .map(|(k, l)| format!("{k}={}", l.text))
                .collect();
            RLink {
                text: format!("https://r.example{path}{}", query.join("&")),
                userinfo: false,
                inner,
            }
        })
}

pub(crate) fn link() -> impl Strategy<Value = RLink> {
    let other = prop::sample::select(vec![
        "weixin://dl/x",
        "weixin://dl/p/",
        "weixin://a.example/p/",
        "weixin:foo",
        "WEIXIN://dl/y",
        "taobao://item.jd.com/1",
        "javascript:alert(1)",
        "data:text/html,x",
    ])
    .prop_map(|s| RLink {
        text: s.to_string(),
        userinfo: false,
        inner: Vec::new(),
    });
    prop_oneof![5 => web_link(), 1 => other, 2 => wrapper_link()]
}

const PREFS_DOMAINS: &[&str] = &[
    "a.example",
    "b.a.example",
    "x.test",
    "jd.com",
    "item.jd.com",
];

pub(crate) fn context() -> impl Strategy<Value = RCtx> {
    (
        prop::option::of(prop::sample::select(vec![
            0u32, 9, 10, 11, 99, 100, 101, 499, 500, 501, 2000,
        ])),
        prop::option::of(prop::sample::select(vec!["alice", "bob", "u-000042"])),
        prop::option::of(prop::sample::select(vec![
            "8.0.14", "8.0.15", "8.0.16", "8.1", "8.1.0", "9", "beta",
        ])),
        prop::option::of(prop::sample::select(vec![
            1_631_836_799i64,
            1_631_836_800,
            1_640_995_199,
            1_640_995_200,
        ])),
        prop::sample::select(vec![
            Mode::Default,
            Mode::Default,
            Mode::Default,
            Mode::Default,
            Mode::Ask,
            Mode::BlockExternal,
        ]),
        prop::collection::vec(prop::sample::select(PREFS_DOMAINS), 0..3),
        prop::collection::vec(prop::sample::select(PREFS_DOMAINS), 0..2),
    )
        .prop_map(
            |(members, user, version, now, mode, trusted, blocked)| RCtx {
                members,
                user,
                version,
                now,
                mode,
                trusted,
                blocked,
            },
        )
}

// ---------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(config())]

    /// (a) The compiled verdict's action, hard and deciding reason are the reference's.
    #[test]
    fn compiled_engine_agrees_with_the_reference(
        p in policy(),
        links in prop::collection::vec(link(), 1..6),
        c in context(),
    ) {
        let policy = build(&p);
        let ctx = c.context();
        for l in &links {
            let v = policy.classify(&l.text, &ctx);
            let want = reference(&p, l, &c);
            prop_assert_eq!(
                actual(&v),
                want,
                "link {:?}, verdict {}",
                l.text,
                v.to_json()
            );
        }
    }

    /// (b) Adding a block rule anywhere never makes a verdict less strict.
    #[test]
    fn adding_a_block_rule_never_relaxes(
        p in policy(),
        extra in rule(),
        at in any::<prop::sample::Index>(),
        links in prop::collection::vec(link(), 1..6),
        c in context(),
    ) {
        // Ids stay as they were (a `percent` gate's salt defaults to the rule's id).
        let mut p = p;
        for (i, r) in p.rules.iter_mut().enumerate() {
            r.id = Some(format!("r{i}"));
        }
        let mut q = p.clone();
        let extra = RRule {
            id: Some("extra".into()),
            action: Action::Block,
            ..extra
        };
        q.rules.insert(at.index(p.rules.len() + 1), extra);
        let (before, after) = (build(&p), build(&q));
        let ctx = c.context();
        for l in &links {
            let (b, a) = (before.classify(&l.text, &ctx), after.classify(&l.text, &ctx));
            prop_assert!(
                a.action() >= b.action(),
                "link {:?}: {} before, {} after",
                l.text,
                b.to_json(),
                a.to_json()
            );
        }
    }

    /// (c) No context or preference relaxes a hard verdict; a hard block stays a hard
    /// block. More generally, preferences relax only a soft warn, to allow, by trust.
    #[test]
    fn preferences_never_relax_a_hard_verdict(
        p in policy(),
        links in prop::collection::vec(link(), 1..6),
        c in context(),
    ) {
        let policy = build(&p);
        let bare = c.without_prefs();
        for l in &links {
            let base = policy.classify(&l.text, &bare.bare());
            let with = policy.classify(&l.text, &c.context());
            if base.is_hard() {
                prop_assert!(
                    with.action() >= base.action() && with.is_hard(),
                    "link {:?}: {} without prefs, {} with",
                    l.text,
                    base.to_json(),
                    with.to_json()
                );
            }
            if with.action() < base.action() {
                prop_assert!(
                    !base.is_hard()
                        && base.action() == Action::Warn
                        && with.action() == Action::Allow
                        && with.reason() == Some(&Reason::UserTrusted),
                    "link {:?}: {} without prefs, {} with",
                    l.text,
                    base.to_json(),
                    with.to_json()
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Checks of the reference itself, on the contract's own examples.

#[test]
fn reference_rollout_buckets_match_the_contract_vectors() {
    let bucket = |salt: &str, user: &str| fnv1a(format!("{salt}:{user}").as_bytes()) % 100;
    assert_eq!(bucket("groups-2021-10", "alice"), 57);
    assert_eq!(bucket("groups-2021-10", "bob"), 70);
    assert_eq!(bucket("r1", "u-000042"), 26);
    assert!(version_at_least(
        &version("8.1").unwrap(),
        &version("8.0.16").unwrap()
    ));
    assert!(version_at_least(
        &version("8.1").unwrap(),
        &version("8.1.0").unwrap()
    ));
    assert!(!version_at_least(
        &version("8.0.15").unwrap(),
        &version("8.0.16").unwrap()
    ));
}

#[test]
fn vocabulary_links_normalize_as_expected() {
    // The reference leans on the engine's normalization; check the pieces it uses.
    let n = norm("HTTPS://u:p@WWW.A.Example./p/");
    assert_eq!(n.url, "https://www.a.example/p/");
    assert_eq!(n.host.as_deref(), Some("www.a.example"));
    assert_eq!(n.registrable.as_deref(), Some("a.example"));
    let n = norm("jd.com@item.jd.com/promo/1");
    assert_eq!(n.url, "http://item.jd.com/promo/1");
    assert_eq!(n.host.as_deref(), Some("item.jd.com"));
    let n = norm("http://[::1]/");
    assert_eq!(n.host.as_deref(), Some("[::1]"));
    let n = norm("127.0.0.1./x?y=1");
    assert_eq!(n.url, "http://127.0.0.1/x?y=1");
    let n = norm("weixin://a.example/p/");
    assert_eq!((n.scheme.as_str(), n.host), ("weixin", None));
}
