//! Deciding: the evaluation order of the contract's sections 5 and 6.

use std::borrow::Cow;

use crate::context::{Context, Mode, Prefs};
use crate::engine::lookalike;
use crate::link::{self, Link, Rejection};
use std::cmp::Reverse;

use crate::context::ChatKind;
use crate::engine::compiled::{Compiled, Engine, ResolvedDefaults, RuleRef};
use crate::matching::hit::{Hit, Specificity};
use crate::matching::index::Site;
use crate::rules::Action;
use crate::unwrap;
use crate::verdict::{Derived, Id, Reason, Reasons, ShadowMatch, Verdict};

/// An action with the reasons for it, the deciding one first.
#[derive(Debug)]
struct Outcome {
    action: Action,
    hard: bool,
    reasons: Reasons,
}

impl Outcome {
    fn new(action: Action, hard: bool, reason: Reason) -> Self {
        Self {
            action,
            hard,
            reasons: smallvec::smallvec![reason],
        }
    }

    /// Raises the action to at least `action`. A reason that raises it becomes the
    /// deciding one; one that does not is listed after.
    fn floor(&mut self, action: Action, hard: bool, reason: Reason) {
        if action > self.action {
            self.action = action;
            self.reasons.insert(0, reason);
        } else {
            self.reasons.push(reason);
        }
        self.hard |= hard;
    }
}

/// The hops of a link, breadth first (a hop's targets after it, in order): one
/// unless it is a wrapper, held inline.
type Hops = smallvec::SmallVec<[Hop; 1]>;

/// One hop: the link, or a wrapper's target.
struct Hop {
    link: Option<Link>,
    /// The URL of a link refused before it was read (an unsafe scheme's).
    rejected_url: Option<String>,
    site: Site,
    outcome: Outcome,
    /// The hop this one is a target of; `None` for the link itself.
    parent: Option<u32>,
}

impl Hop {
    /// The hop's URL, taken out of it.
    fn take_url(&mut self) -> Option<String> {
        match self.link.take() {
            Some(link) => Some(link.into_string()),
            None => self.rejected_url.take(),
        }
    }

    fn url(&self) -> Option<&str> {
        self.link
            .as_ref()
            .map(Link::as_str)
            .or(self.rejected_url.as_deref())
    }
}

/// How a hard block is chosen among several: the most specific, then the first.
type HardKey = (Specificity, Reverse<u32>);
/// How the deciding candidate is chosen: priority, specificity, the strictest
/// action, then the rule written first.
type BestKey = (i32, Specificity, Action, Reverse<u32>);

/// The registrable domain of a hop's host, from where its site walk found it starts.
fn registrable<'a>(site: &Site, link: &'a Link) -> Option<&'a str> {
    link.domain()?.get(site.registrable_start?..)
}

/// The defaults for one context, after phases, with the phase that set each key.
struct Effective {
    values: ResolvedDefaults,
    chat_source: Option<Id>,
    app_link_source: Option<Id>,
}

impl Effective {
    fn new(c: &Compiled, ctx: &Context) -> Self {
        let mut e = Effective {
            values: c.defaults,
            chat_source: None,
            app_link_source: None,
        };
        for phase in &c.phases {
            if !phase.gate.as_ref().is_none_or(|g| g.passes(ctx)) {
                continue;
            }
            let d = &phase.defaults;
            let chat_key = match ctx.chat() {
                ChatKind::OneToOne => d.one_to_one,
                ChatKind::Group => d.group,
            };
            if let Some(a) = d.one_to_one {
                e.values.one_to_one = a;
            }
            if let Some(a) = d.group {
                e.values.group = a;
            }
            if chat_key.is_some() {
                e.chat_source = Some(phase.id.clone());
            }
            if let Some(a) = d.app_link {
                e.values.app_link = a;
                e.app_link_source = Some(phase.id.clone());
            }
            if let Some(a) = d.ip_host {
                e.values.ip_host = a;
            }
        }
        e
    }

    fn chat(&self, kind: ChatKind) -> Action {
        match kind {
            ChatKind::OneToOne => self.values.one_to_one,
            ChatKind::Group => self.values.group,
        }
    }
}

thread_local! {
    /// Each thread's scratch space for a hop's matches, so that classify
    /// allocates none (the regex crate keeps its search caches the same way).
    static HITS: std::cell::Cell<Vec<Hit>> = const { std::cell::Cell::new(Vec::new()) };
}

pub(crate) fn classify(policy: Engine<'_>, raw: &str, ctx: &Context) -> Verdict {
    // The scratch vector is taken out and put back, rather than borrowed inside
    // `with`, so the verdict is returned directly, not moved out of a closure.
    // A nested call (there is none) would simply start with an empty one, and
    // so would a call while the thread's locals are being destroyed.
    let mut hits = HITS.try_with(std::cell::Cell::take).unwrap_or_default();
    let verdict = classify_with(policy, raw, ctx, &mut hits);
    hits.clear();
    let _ = HITS.try_with(|cell| cell.set(hits));
    verdict
}

fn classify_with(policy: Engine<'_>, raw: &str, ctx: &Context, hits: &mut Vec<Hit>) -> Verdict {
    let c = policy.inner;
    let effective = Effective::new(c, ctx);
    let mut shadow: Vec<ShadowMatch> = Vec::new();
    let mut hops: Hops = Hops::new();
    let mut limits = HopLimits::default();
    // The tree of hops, breadth first: the hops still to read, each with the
    // hop it is a target of and its depth. Neither vector allocates for a link
    // that is no wrapper.
    let mut pending: Vec<(u32, usize, String)> = Vec::new();
    let mut next: Vec<String> = Vec::new();
    let mut read = 0;
    let mut current: (Option<u32>, usize, Cow<'_, str>) = (None, 0, Cow::Borrowed(raw));
    loop {
        let (parent, depth, text) = current;
        match link::normalize(&text, c.limits.max_link_len) {
            Err(rejection) => hops.push(rejected(rejection, parent)),
            Ok(link) => {
                hits.clear();
                let site = c.matchers.find(&link, hits);
                let outcome = decide_hop(policy, &link, site, ctx, &effective, hits, &mut shadow);
                c.unwrapper.next_hops(&link, site.redirector, &mut next);
                let index = u32::try_from(hops.len()).unwrap_or(u32::MAX);
                hops.push(Hop {
                    link: Some(link),
                    rejected_url: None,
                    site,
                    outcome,
                    parent,
                });
                if !next.is_empty() {
                    if depth >= c.limits.max_redirect_depth {
                        limits.depth_exceeded = true;
                        next.clear();
                    } else {
                        pending.extend(next.drain(..).map(|n| (index, depth + 1, n)));
                    }
                }
            }
        }
        let Some(slot) = pending.get_mut(read) else {
            break;
        };
        if hops.len() >= unwrap::MAX_HOPS {
            limits.too_many = true;
            break;
        }
        let (p, d, t) = std::mem::take(slot);
        read += 1;
        current = (Some(p), d, Cow::Owned(t));
    }
    // A bidirectional control inside the link (issue #16). The fast path reads
    // only printable ASCII: a link it read (most) has none between its edges.
    let read_fast = hops
        .first()
        .and_then(|hop| hop.link.as_ref())
        .is_some_and(Link::is_plain_domain);
    let bidi = !read_fast && crate::scan::chars::has_bidi_control(raw);
    finish(policy, ctx, &mut hops, shadow, limits, bidi)
}

/// Which bound on a link's hops it reached.
#[derive(Clone, Copy, Debug, Default)]
struct HopLimits {
    /// A hop deeper than `max_redirect_depth` would have been read.
    depth_exceeded: bool,
    /// More than [`unwrap::MAX_HOPS`] hops would have been read.
    too_many: bool,
}

#[cold]
#[inline(never)]
fn rejected(rejection: Rejection, parent: Option<u32>) -> Hop {
    let (reason, url) = match rejection {
        Rejection::TooLong { .. } => (Reason::TooLong, None),
        Rejection::Invalid { detail } => (Reason::Invalid { detail }, None),
        Rejection::UnsafeScheme { scheme, url } => (Reason::UnsafeScheme { scheme }, url),
    };
    Hop {
        link: None,
        rejected_url: url,
        site: Site::default(),
        outcome: Outcome::new(Action::Block, true, reason),
        parent,
    }
}

/// Section 5, steps 1–6, for one hop.
fn decide_hop(
    policy: Engine<'_>,
    link: &Link,
    site: Site,
    ctx: &Context,
    effective: &Effective,
    hits: &[Hit],
    shadow: &mut Vec<ShadowMatch>,
) -> Outcome {
    let c = policy.inner;

    // 1. Candidates: the matcher matched, and chats, group size and rollout fit.
    // 2. A hard block decides first (the most specific one is named); 3. else the
    // candidate with the highest priority (0 unless a rule or list sets one), then
    // the most specific, a tie going to the strictest action, then to the rule
    // written first.
    let mut hard_block: Option<(HardKey, RuleRef<'_>)> = None;
    let mut best: Option<(BestKey, RuleRef<'_>)> = None;
    for &hit in hits.iter() {
        let Some(rule) = c.rule(hit.rule) else {
            continue;
        };
        if !rule.applies(ctx) {
            continue;
        }
        if rule.shadow() {
            note_shadow(rule, shadow);
            continue;
        }
        if rule.hard() && rule.action() == Action::Block {
            let key = (hit.specificity, Reverse(hit.rule));
            if hard_block.as_ref().is_none_or(|(k, _)| key > *k) {
                hard_block = Some((key, rule));
            }
        }
        let key = (
            rule.priority(),
            hit.specificity,
            rule.action(),
            Reverse(hit.rule),
        );
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, rule));
        }
    }
    let decided = hard_block.map(|(_, r)| r).or(best.map(|(_, r)| r));
    let mut outcome = if let Some(rule) = decided {
        Outcome::new(
            rule.action(),
            rule.hard(),
            Reason::Rule {
                rule: rule.id(),
                category: rule.category(),
            },
        )
    } else if let Some(o) = link.is_web().then(|| tier_outcome(c, site, ctx)).flatten() {
        // 4. The platform's tier.
        o
    } else if link.is_web() {
        // 5. The default for the chat kind, after phases.
        let reason = match &effective.chat_source {
            Some(phase) => Reason::Phase {
                phase: phase.clone(),
            },
            None => Reason::Default,
        };
        Outcome::new(effective.chat(ctx.chat()), false, reason)
    } else {
        let mut o = Outcome::new(effective.values.app_link, false, Reason::AppLink);
        if let Some(phase) = &effective.app_link_source {
            o.reasons.push(Reason::Phase {
                phase: phase.clone(),
            });
        }
        o
    };

    // 6. Floors.
    let registrable = registrable(&site, link);
    if !policy.complaints.counts.is_empty() {
        if let Some(registrable) = registrable {
            complaint_floors(policy, registrable, &mut outcome);
        }
    }
    if link.is_ip() {
        outcome.floor(effective.values.ip_host, false, Reason::IpHost);
    }
    if link.userinfo {
        outcome.floor(Action::Warn, true, Reason::Userinfo);
    }
    if let Some(domain) = link.domain() {
        // A protected registrable domain (the site walk says so) imitates nothing.
        if !c.lookalikes.is_empty() && !site.protected {
            let start = registrable.map(|r| domain.len() - r.len());
            let written = link.written_host();
            let plain = link.is_plain_domain();
            if let Some(of) = c.lookalikes.imitated(domain, written, start, plain) {
                outcome.floor(
                    c.lookalike_action,
                    true,
                    Reason::Lookalike { of: of.to_owned() },
                );
            }
        }
        if !link.is_plain_domain() {
            match lookalike::spoof(domain) {
                Some(lookalike::LabelSpoof::MixedScript) => {
                    outcome.floor(Action::Warn, true, Reason::MixedScript)
                }
                Some(lookalike::LabelSpoof::Rule(rule)) => {
                    outcome.floor(c.lookalike_action, true, Reason::IdnSpoof { rule })
                }
                None => {}
            }
        }
    }
    outcome
}

/// Records a shadow rule that matched, once. Out of line: shadow rules are rare.
#[cold]
#[inline(never)]
fn note_shadow(rule: RuleRef<'_>, shadow: &mut Vec<ShadowMatch>) {
    let id = rule.id();
    if !shadow.iter().any(|s| s.rule == id) {
        shadow.push(ShadowMatch {
            rule: id,
            action: rule.action(),
        });
    }
}

/// The complaint floors of a registrable domain. Out of line: most policies
/// load no complaints.
#[inline(never)]
fn complaint_floors(policy: Engine<'_>, registrable: &str, outcome: &mut Outcome) {
    for (category, count, action) in policy.complaints.floors(registrable) {
        outcome.floor(action, false, Reason::Complaints { category, count });
    }
}

/// The first domain a link's display text names that is not the destination's
/// (compared by registrable domain). The text names every link the crate's
/// message finder finds in it (`【jd.com】`, `去jd.com看看`, `(www.jd.com)`,
/// contract 5), and itself when it is one word that reads as a URL or a domain
/// under a known public suffix (`京东.com`, `jd。com`, which a browser opens as
/// `jd.com`). Text that names no domain sets no floor.
#[inline(never)]
fn masked_domain(c: &Compiled, text: &str, destination: Option<&Hop>) -> Option<String> {
    let site_of = |l: &Link| {
        l.domain()
            .and_then(|d| c.psl.registrable_domain(d))
            .or(l.host_name())
            .map(str::to_owned)
    };
    let real_site = destination.and_then(|h| h.link.as_ref()).and_then(site_of);
    let whole = whole_text_link(c, text);
    whole
        .into_iter()
        .chain(
            shown_links(c, text)
                .filter_map(|shown| link::normalize(shown, c.limits.max_link_len).ok()),
        )
        .filter_map(|shown| site_of(&shown))
        .find(|shown| real_site.as_ref() != Some(shown))
}

/// The display text as one link, when it is one word with a scheme or a domain
/// under a known public suffix. A bare IP address is more often a version
/// number (`8.0.16` is an IPv4 address to the URL standard): it counts only
/// with a scheme.
fn whole_text_link(c: &Compiled, text: &str) -> Option<Link> {
    let text = text.trim_matches(link::is_edge_noise);
    if text.is_empty() || text.chars().any(char::is_whitespace) {
        return None;
    }
    let shown = link::normalize(text, c.limits.max_link_len).ok()?;
    let host = shown.host_name()?;
    let looks_like_link = link::scheme_of(text).is_some()
        || (shown.domain().is_some() && c.psl.has_known_suffix(host));
    looks_like_link.then_some(shown)
}

/// The links a display text shows, as a message scan finds them: the one call
/// into the finder (`scan/`).
fn shown_links<'a>(c: &'a Compiled, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    crate::scan::finder::Links::new(text, &c.psl).filter_map(move |span| text.get(span))
}

fn tier_outcome(c: &Compiled, site: Site, ctx: &Context) -> Option<Outcome> {
    let p = c.platforms.get(site.platform? as usize)?;
    let (tier_id, tier) = c.tiers.get(p.tier? as usize)?;
    let action = match ctx.chat() {
        ChatKind::OneToOne => tier.one_to_one,
        ChatKind::Group => tier.group,
    }?;
    Some(Outcome::new(
        action,
        false,
        Reason::Platform {
            platform: p.id.clone(),
            tier: tier_id.clone(),
        },
    ))
}

/// Combines the hops (the strictest wins), then applies the user's choices.
fn finish(
    policy: Engine<'_>,
    ctx: &Context,
    hops: &mut Hops,
    shadow: Vec<ShadowMatch>,
    limits: HopLimits,
    bidi: bool,
) -> Verdict {
    let c = policy.inner;
    let strictest = hops
        .iter()
        .map(|h| h.outcome.action)
        .max()
        .unwrap_or(Action::Block);
    let deciding = hops
        .iter()
        .position(|h| h.outcome.action == strictest)
        .unwrap_or(0);

    // The deciding hop's reasons come first, moved rather than copied.
    let reasons = hops
        .get_mut(deciding)
        .map(|h| std::mem::take(&mut h.outcome.reasons))
        .unwrap_or_default();
    let mut outcome = Outcome {
        action: strictest,
        hard: hops.iter().any(|h| h.outcome.hard),
        reasons,
    };
    let destination = if hops.len() > 1 {
        add_hop_reasons(&mut outcome, hops, deciding);
        destination_of(hops)
    } else {
        0
    };
    if limits.depth_exceeded {
        outcome.floor(Action::Block, true, Reason::RedirectDepth);
    }
    if limits.too_many {
        outcome.floor(Action::Block, true, Reason::RedirectHops);
    }
    if let Some(text) = ctx.display_text() {
        if let Some(shown) = masked_domain(c, text, hops.get(destination)) {
            outcome.floor(Action::Warn, true, Reason::MaskedLink { shown });
        }
    }

    // Section 6: the user's own choices, applied last.
    let prefs = ctx.prefs();
    if !prefs.is_default() {
        apply_choices(c, prefs, hops, &mut outcome);
    }

    // The verdict's URLs: the first hop's, moved rather than copied; the
    // destination's and the clean URL only when they differ from the one before.
    let platform = hops
        .first()
        .and_then(|h| h.site.platform)
        .and_then(|p| c.platforms.get(p as usize))
        .map(|p| p.id.clone());
    let clean_url = match hops.get(destination) {
        Some(Hop { link: Some(l), .. }) => c.unwrapper.cleaned(l).map(Some),
        _ => Some(None),
    };
    let destination = match destination {
        0 => Derived::Same,
        d => Derived::Own(hops.get_mut(d).and_then(Hop::take_url)),
    };
    let clean_url = clean_url.map_or(Derived::Same, Derived::Own);
    // The first hop is read in place (the hops are the caller's, and moving
    // them out would copy every one).
    let (url, host, registrable_start) = match hops.first_mut() {
        Some(h) => {
            let host = h.link.as_ref().and_then(Link::host_range);
            let registrable_start = h
                .link
                .as_ref()
                .and_then(|l| Some(l.domain_start()? + h.site.registrable_start?));
            let to_u32 = |n: usize| u32::try_from(n).ok();
            (
                h.take_url(),
                host.and_then(|(s, e)| Some((to_u32(s)?, to_u32(e)?))),
                registrable_start.and_then(to_u32),
            )
        }
        None => (None, None, None),
    };
    // A bidirectional control between two characters of the link: the text
    // shown is not the text opened, a hard block after everything else, even
    // the user's choices (issue #16).
    if bidi {
        if outcome.action < Action::Block {
            outcome.action = Action::Block;
            outcome.reasons.insert(0, Reason::BidiControl);
        } else {
            outcome.reasons.push(Reason::BidiControl);
        }
        outcome.hard = true;
    }
    Verdict {
        action: outcome.action,
        hard: outcome.hard,
        reasons: outcome.reasons,
        url,
        host,
        registrable_start,
        platform,
        destination,
        clean_url,
        shadow,
        policy_revision: Some(c.revision),
    }
}

/// Where `destination` leads: from the link, each hop's first target, to a hop
/// that has none (contract 5: the one the first value leads to).
fn destination_of(hops: &[Hop]) -> usize {
    let mut at = 0;
    // Targets come after their hop, breadth first: the first hop whose parent
    // is `at` is its first target. A `mailto:` link's address hops lead nowhere
    // a browser goes: the link is its own destination.
    while let Some(next) = hops
        .get(at)
        .filter(|h| !h.link.as_ref().is_some_and(unwrap::is_address_of))
        .and_then(|_| {
            hops.iter()
                .enumerate()
                .skip(at + 1)
                .find(|(_, h)| h.parent == u32::try_from(at).ok())
                .map(|(i, _)| i)
        })
    {
        at = next;
    }
    at
}

/// The reasons of the hops other than the deciding one, and a `redirect` reason
/// for each hop a hop leads to, in the order they were read. Out of line: most
/// links are one hop.
#[inline(never)]
fn add_hop_reasons(outcome: &mut Outcome, hops: &[Hop], deciding: usize) {
    for (i, hop) in hops.iter().enumerate() {
        if i != deciding {
            outcome.reasons.extend(hop.outcome.reasons.iter().cloned());
        }
        if hop.link.as_ref().is_some_and(unwrap::is_address_of) {
            continue;
        }
        let me = u32::try_from(i).ok();
        for target in hops.iter().skip(i + 1).filter(|h| h.parent == me) {
            if let Some(to) = target.url() {
                outcome
                    .reasons
                    .push(Reason::Redirect { to: bounded_to(to) });
            }
        }
    }
}

/// A hop's URL for a `redirect` reason: cut to [`unwrap::MAX_REDIRECT_TO`]
/// bytes at a character boundary, with `…` after it, when it is longer.
fn bounded_to(url: &str) -> String {
    if url.len() <= unwrap::MAX_REDIRECT_TO {
        return url.to_owned();
    }
    let mut end = unwrap::MAX_REDIRECT_TO;
    while !url.is_char_boundary(end) {
        end -= 1;
    }
    let mut to = String::with_capacity(end + '…'.len_utf8());
    to.push_str(url.get(..end).unwrap_or_default());
    to.push('…');
    to
}

/// Section 6: the user's own choices. Out of line: most contexts carry none.
#[inline(never)]
fn apply_choices(c: &Compiled, prefs: &Prefs, hops: &[Hop], outcome: &mut Outcome) {
    fn host_of(h: &Hop) -> Option<&str> {
        h.link.as_ref().and_then(Link::host_name)
    }
    if prefs.has_blocked()
        && hops
            .iter()
            .any(|h| host_of(h).is_some_and(|x| prefs.blocks(x)))
    {
        outcome.floor(Action::Block, false, Reason::UserBlocked);
    }
    if prefs.mode() == Mode::BlockExternal {
        outcome.floor(Action::Block, false, Reason::UserMode);
    }
    if outcome.action == Action::Warn
        && !outcome.hard
        && c.allow_trust
        && prefs.has_trusted()
        && hops
            .iter()
            .all(|h| host_of(h).is_some_and(|x| prefs.trusts(x)))
    {
        outcome.action = Action::Allow;
        outcome.reasons.insert(0, Reason::UserTrusted);
    }
    if prefs.mode() == Mode::Ask && outcome.action == Action::Allow {
        outcome.floor(Action::Warn, false, Reason::UserMode);
    }
}

/// One hop as `Policy::explain` tells it: what the site walk found, every
/// matched rule, and the hop's outcome (section 5, steps 1–6).
pub(crate) struct HopTrace {
    pub(crate) site: Site,
    pub(crate) hits: Vec<Hit>,
    pub(crate) action: Action,
    pub(crate) hard: bool,
    pub(crate) reasons: Vec<Reason>,
    /// The hops it leads to (a wrapper's targets).
    pub(crate) next: Vec<String>,
}

/// Decides one normalized hop as `classify` does, keeping what it saw.
pub(crate) fn trace_hop(policy: Engine<'_>, link: &Link, ctx: &Context) -> HopTrace {
    let c = policy.inner;
    let effective = Effective::new(c, ctx);
    let mut hits = Vec::new();
    let site = c.matchers.find(link, &mut hits);
    let mut shadow = Vec::new();
    let outcome = decide_hop(policy, link, site, ctx, &effective, &hits, &mut shadow);
    let mut next = Vec::new();
    c.unwrapper.next_hops(link, site.redirector, &mut next);
    HopTrace {
        site,
        hits,
        action: outcome.action,
        hard: outcome.hard,
        reasons: outcome.reasons.into_vec(),
        next,
    }
}
