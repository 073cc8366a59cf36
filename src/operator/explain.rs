//! Every step of the evaluation order for one link, in words.

use std::cmp::Reverse;
use std::fmt;

use crate::context::ChatKind;
use crate::context::{Context, Mode};
use crate::engine::compiled::{Compiled, Engine};
use crate::engine::decide::{self, trace_hop};
use crate::link::{self, Rejection};
use crate::rules::Action;
use crate::verdict::{Reason, Verdict};

/// How a verdict was reached: the steps of the evaluation order
/// (normalization, each hop, the candidate rules and why each won or lost,
/// platform and tier, phases, floors, the user's choices), one sentence each,
/// and the verdict itself (always the one [`Policy::classify`](crate::Policy::classify) gives).
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let e = policy.explain("https://item.jd.com/1.html", &Context::group(250));
/// assert_eq!(e.verdict().action(), Action::Warn);
/// let text = e.to_string();
/// assert!(text.contains("platform `jd`"), "{text}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Explanation {
    steps: Vec<String>,
    verdict: Verdict,
}

impl Explanation {
    /// The steps, in the order the evaluation takes them.
    pub fn steps(&self) -> &[String] {
        &self.steps
    }

    /// The verdict.
    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.steps {
            writeln!(f, "{s}")?;
        }
        Ok(())
    }
}

/// [`Policy::explain`](crate::Policy::explain) of the compiled policy.
pub(crate) fn explain(engine: Engine<'_>, link: &str, ctx: &Context) -> Explanation {
    let verdict = decide::classify(engine, link, ctx);
    let mut steps = Vec::new();
    steps.push(format!("input: `{}`", clipped(link.trim())));
    steps.push(format!("context: {}", describe_context(ctx)));
    explain_phases(engine.inner, ctx, &mut steps);

    // The hops, breadth first, as classify reads them.
    let c = engine.inner;
    let mut queue: Vec<(usize, String)> = vec![(0, link.to_owned())];
    let mut read = 0;
    while let Some((depth, text)) = queue.get(read).cloned() {
        read += 1;
        let n = read;
        if read > crate::unwrap::MAX_HOPS {
            steps.push(format!(
                "hop {n}: more hops than the {} read: blocked, hard (`redirect_hops`)",
                crate::unwrap::MAX_HOPS
            ));
            break;
        }
        let l = match link::normalize(&text, c.limits.max_link_len) {
            Ok(l) => l,
            Err(r) => {
                steps.push(format!("hop {n}: `{}`: {}", clipped(&text), rejection(&r)));
                continue;
            }
        };
        let kind = if l.is_web() { "web link" } else { "app link" };
        steps.push(format!("hop {n}: normalized to `{}` ({kind})", l.as_str()));
        let t = trace_hop(engine, &l, ctx);
        if let Some(host) = l.domain() {
            let reg = t
                .site
                .registrable_start
                .and_then(|s| host.get(s..))
                .map_or("none (a public suffix)".to_owned(), |r| format!("`{r}`"));
            steps.push(format!("hop {n}: host `{host}`, registrable domain {reg}"));
        } else if let Some(h) = l.host_name() {
            steps.push(format!("hop {n}: host `{h}` (an IP address)"));
        }
        explain_rules(c, n, &t.hits, ctx, &mut steps);
        if let Some(p) = t.site.platform.and_then(|p| c.platforms.get(p as usize)) {
            let tier = p.tier.and_then(|t| c.tiers.get(t as usize));
            match tier {
                Some((name, tier)) => {
                    let a = match ctx.chat() {
                        ChatKind::OneToOne => tier.one_to_one,
                        ChatKind::Group => tier.group,
                    };
                    steps.push(format!(
                        "hop {n}: platform `{}`, tier `{name}`: {}",
                        p.id,
                        a.map_or("the tier sets nothing for this chat".to_owned(), |a| {
                            format!("`{}` for this chat", a.as_str())
                        })
                    ));
                }
                None => steps.push(format!("hop {n}: platform `{}`, no tier", p.id)),
            }
        } else if l.is_web() {
            steps.push(format!("hop {n}: no platform covers the host"));
        }
        let (decided, floors) = t
            .reasons
            .split_first()
            .map_or((None, &[][..]), |(d, f)| (Some(d), f));
        if let Some(d) = decided {
            steps.push(format!(
                "hop {n}: decided `{}`{} by {}",
                t.action.as_str(),
                if t.hard { ", hard" } else { "" },
                describe_reason(d)
            ));
        }
        for f in floors {
            steps.push(format!("hop {n}: also {}", describe_reason(f)));
        }
        for next in &t.next {
            if depth >= c.limits.max_redirect_depth {
                steps.push(format!(
                    "hop {n}: a wrapper of `{next}`, deeper than `max_redirect_depth` ({}): blocked, hard",
                    c.limits.max_redirect_depth
                ));
            } else {
                steps.push(format!("hop {n}: a wrapper: its next hop is `{next}`"));
                queue.push((depth + 1, next.clone()));
            }
        }
    }
    if read > 1 {
        steps.push(format!("{read} hops: the strictest decides"));
    }
    explain_choices(ctx, &verdict, &mut steps);
    steps.push(format!(
        "verdict: `{}`{}, reasons {}",
        verdict.action().as_str(),
        if verdict.is_hard() { ", hard" } else { "" },
        verdict
            .reasons()
            .map(|r| format!("`{}`", r.kind()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(d) = verdict.destination() {
        steps.push(format!("destination: `{d}`"));
    }
    if let Some(clean) = verdict.clean_url() {
        if Some(clean) != verdict.destination() {
            steps.push(format!("clean url: `{clean}`"));
        }
    }
    Explanation { steps, verdict }
}

fn explain_phases(c: &Compiled, ctx: &Context, steps: &mut Vec<String>) {
    for p in &c.phases {
        let applies = p.gate.as_ref().is_none_or(|g| g.passes(ctx));
        let d = &p.defaults;
        let keys: Vec<String> = [
            ("one_to_one", d.one_to_one),
            ("group", d.group),
            ("app_link", d.app_link),
            ("ip_host", d.ip_host),
        ]
        .into_iter()
        .filter_map(|(k, a)| a.map(|a| format!("{k} = `{}`", a.as_str())))
        .collect();
        steps.push(format!(
            "phase `{}` ({}): {}",
            p.id,
            keys.join(", "),
            if applies {
                "applies (the last that applies wins per key)"
            } else {
                "does not apply: its rollout gate does not pass"
            }
        ));
    }
}

fn explain_rules(
    c: &Compiled,
    n: usize,
    hits: &[crate::matching::hit::Hit],
    ctx: &Context,
    steps: &mut Vec<String>,
) {
    if hits.is_empty() {
        steps.push(format!("hop {n}: no rule matches"));
        return;
    }
    // The choice classify makes: a hard block first, else the best key.
    let mut candidates = Vec::new();
    for h in hits {
        let Some(r) = c.rule(h.rule) else { continue };
        let what = format!(
            "rule `{}` ({}, `{}`{})",
            r.id(),
            h.specificity.describe(),
            r.action().as_str(),
            if r.hard() { ", hard" } else { "" }
        );
        if !r.applies(ctx) {
            steps.push(format!(
                "hop {n}: {what} matches but is no candidate: its chats, min_members or rollout exclude this context"
            ));
        } else if r.shadow() {
            steps.push(format!(
                "hop {n}: {what} matches; it is a shadow rule: reported, never decides"
            ));
        } else {
            candidates.push((*h, r, what));
        }
    }
    let hard = candidates
        .iter()
        .filter(|(_, r, _)| r.hard() && r.action() == Action::Block)
        .max_by_key(|(h, _, _)| (h.specificity, Reverse(h.rule)));
    let best = candidates
        .iter()
        .max_by_key(|(h, r, _)| (r.priority(), h.specificity, r.action(), Reverse(h.rule)));
    let Some(winner) = hard.or(best) else {
        return;
    };
    for (h, r, what) in &candidates {
        let why = if h.rule == winner.0.rule {
            if hard.is_some() {
                "wins: a hard block decides first".to_owned()
            } else {
                "wins: the most specific candidate".to_owned()
            }
        } else if hard.is_some() {
            format!("loses to the hard block `{}`", winner.1.id())
        } else if r.priority() != winner.1.priority() {
            format!("loses to `{}`: lower priority", winner.1.id())
        } else if h.specificity != winner.0.specificity {
            format!("loses to `{}`: less specific", winner.1.id())
        } else if r.action() != winner.1.action() {
            format!(
                "loses to `{}`: a tie goes to the strictest action",
                winner.1.id()
            )
        } else {
            format!(
                "loses to `{}`: a tie goes to the rule written first",
                winner.1.id()
            )
        };
        steps.push(format!("hop {n}: {what} is a candidate and {why}"));
    }
}

/// At most 200 characters of `s`, with its length when cut.
fn clipped(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((end, _)) => format!("{}… ({} bytes)", s.get(..end).unwrap_or(""), s.len()),
        None => s.to_owned(),
    }
}

fn describe_context(ctx: &Context) -> String {
    let mut parts = vec![match ctx.chat() {
        ChatKind::OneToOne => "one-to-one chat".to_owned(),
        ChatKind::Group => format!("group of {} members", ctx.members().unwrap_or(0)),
    }];
    match ctx.user() {
        Some(u) => parts.push(format!("user `{u}`")),
        None => parts.push("no user (percent gates do not pass)".to_owned()),
    }
    match ctx.client_version() {
        Some(v) => parts.push(format!("client `{v}`")),
        None => parts.push("no client version (min_client gates do not pass)".to_owned()),
    }
    match ctx.now() {
        Some(t) => parts.push(format!("now {t}")),
        None => parts.push("no time (from/until gates do not pass)".to_owned()),
    }
    let p = ctx.prefs();
    let mode = match p.mode() {
        Mode::Ask => "ask",
        Mode::BlockExternal => "block_external",
        _ => "default",
    };
    parts.push(format!("mode `{mode}`"));
    let trusted: Vec<&str> = p.trusted().collect();
    if !trusted.is_empty() {
        parts.push(format!("trusted `{}`", trusted.join("`, `")));
    }
    let blocked: Vec<&str> = p.blocked().collect();
    if !blocked.is_empty() {
        parts.push(format!("blocked `{}`", blocked.join("`, `")));
    }
    if let Some(t) = ctx.display_text() {
        parts.push(format!("shown as `{t}`"));
    }
    parts.join(", ")
}

fn rejection(r: &Rejection) -> String {
    match r {
        Rejection::TooLong { len } => {
            format!("{len} bytes, longer than `max_link_len`: blocked, hard (`too_long`)")
        }
        Rejection::Invalid { detail } => {
            format!("not a URL ({detail}): blocked, hard (`invalid`)")
        }
        Rejection::UnsafeScheme { scheme, .. } => {
            format!("scheme `{scheme}` is always blocked, hard (`unsafe_scheme`)")
        }
    }
}

fn describe_reason(r: &Reason) -> String {
    match r {
        Reason::Rule { rule, category } => {
            format!("rule `{rule}` (category `{}`)", category.as_str())
        }
        Reason::Platform { platform, tier } => {
            format!("platform `{platform}`'s tier `{tier}`")
        }
        Reason::Default => "the default for this chat kind".to_owned(),
        Reason::Phase { phase } => format!("phase `{phase}`'s default for this chat kind"),
        Reason::AppLink => "`app_link`: an app link no rule matched".to_owned(),
        Reason::Complaints { category, count } => format!(
            "the complaints floor: {count} `{}` complaints",
            category.as_str()
        ),
        Reason::IpHost => "the `ip_host` floor: the host is an IP address".to_owned(),
        Reason::Userinfo => "the `userinfo` floor (warn, hard): the URL has user info".to_owned(),
        Reason::Lookalike { of } => format!("the lookalike floor (hard): it imitates `{of}`"),
        Reason::MixedScript => "the `mixed_script` floor (warn, hard)".to_owned(),
        Reason::IdnSpoof { rule } => format!("the IDN spoof floor (hard): `{rule}`"),
        Reason::MaskedLink { shown } => {
            format!("the masked link floor (hard): the text shows `{shown}`")
        }
        other => format!("`{}`", other.kind()),
    }
}

fn explain_choices(ctx: &Context, v: &Verdict, steps: &mut Vec<String>) {
    let p = ctx.prefs();
    let mut any = false;
    for r in v.reasons() {
        let s = match r {
            Reason::UserBlocked => "the user blocked a host of the link: block",
            Reason::UserTrusted => {
                "the user trusts every host of the link and the warning is not hard: allow"
            }
            Reason::UserMode => match p.mode() {
                Mode::BlockExternal => "the user's mode `block_external`: block",
                _ => "the user's mode `ask`: an allow becomes warn",
            },
            Reason::MaskedLink { .. } => continue,
            _ => continue,
        };
        any = true;
        steps.push(format!("user's choices: {s}"));
    }
    if !any {
        steps.push("user's choices: none changed the action".to_owned());
    }
}
