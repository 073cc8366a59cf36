//! `Policy::scan` side by side with the `linkify` crate (0.11), in one process,
//! on the realistic messages of `benches/scan.rs` (issue #16).
//!
//! ```text
//! cd perf && cargo run --release -p linkpolicy-perf-scan -- [--rounds N] [--passes N]
//! cd perf && cargo run --release -p linkpolicy-perf-scan -- --only K [--passes N]
//! ```
//!
//! Two ratios, each the median over `--rounds` rounds (default 21) of the ratio
//! measured within one round, both sides under the same load:
//!
//! - **link-free messages**: `Policy::scan_into` of the 10 messages without a link
//!   against linkify's `LinkFinder` (URLs without a scheme on, e-mail addresses
//!   on: what `scan` finds), counting the links it finds;
//! - **messages with links**: `scan_into` of the 40 messages with links against
//!   linkify's find plus `Policy::classify` of every link it finds (`mailto:` and
//!   the address for an e-mail address, as `scan` does), with the sample policy in
//!   a one-to-one chat.
//!
//! Each round times each subject over `--passes` passes (default 200) of its
//! messages, in a rotating order. Wall-clock time on a shared machine is noisy;
//! `--only K` runs one subject (0 linkify on link-free messages, 1 scan on them,
//! 2 linkify + classify on messages with links, 3 scan on them) `--passes` times
//! for callgrind, whose instruction counts do not depend on the load:
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='linkpolicy_perf_scan::subject' \
//!     target/release/linkpolicy-perf-scan --only 1 --passes 100
//! ```

#[path = "../../../benches/data/messages.rs"]
mod messages;

use std::hint::black_box;
use std::time::Instant;

use linkify::{LinkFinder, LinkKind};
use linkpolicy::{Context, FoundLink, Policy, SAMPLE_POLICY};

struct Args {
    rounds: usize,
    passes: usize,
    only: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        rounds: 21,
        passes: 200,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut number = |name: &str| -> usize {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| usage(&format!("{name} takes a number")))
        };
        match flag.as_str() {
            "--rounds" => a.rounds = number("--rounds").max(1),
            "--passes" => a.passes = number("--passes").max(1),
            "--only" => a.only = Some(number("--only")),
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    a
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: cargo run --release -p linkpolicy-perf-scan -- [--rounds N] [--passes N] [--only K]"
    );
    std::process::exit(2)
}

/// What each subject runs over: the finder, the policy, the messages.
struct Setup {
    finder: LinkFinder,
    policy: Policy,
    ctx: Context,
    link_free: Vec<String>,
    with_links: Vec<String>,
}

const NAMES: [&str; 4] = [
    "linkify find, link-free messages",
    "scan, link-free messages",
    "linkify find + classify, messages with links",
    "scan, messages with links",
];

/// One pass of subject `k` over its messages; returns a count, so nothing is
/// optimized away.
#[inline(never)]
fn subject(s: &Setup, k: usize, found: &mut Vec<FoundLink>) -> usize {
    let mut n = 0;
    match k {
        0 => {
            for m in &s.link_free {
                n += s.finder.links(black_box(m)).count();
            }
        }
        1 => {
            for m in &s.link_free {
                s.policy.scan_into(black_box(m), &s.ctx, found);
                n += found.len();
            }
        }
        2 => {
            for m in &s.with_links {
                for link in s.finder.links(black_box(m)) {
                    let verdict = match link.kind() {
                        LinkKind::Email => s
                            .policy
                            .classify(&format!("mailto:{}", link.as_str()), &s.ctx),
                        _ => s.policy.classify(link.as_str(), &s.ctx),
                    };
                    black_box(&verdict);
                    n += 1;
                }
            }
        }
        _ => {
            for m in &s.with_links {
                s.policy.scan_into(black_box(m), &s.ctx, found);
                n += found.len();
            }
        }
    }
    n
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let args = args();
    let policy = Policy::from_toml_str(SAMPLE_POLICY).unwrap_or_else(|e| usage(&e.to_string()));
    let ctx = Context::one_to_one();
    let mut finder = LinkFinder::new();
    finder.url_must_have_scheme(false);
    let (link_free, with_links): (Vec<String>, Vec<String>) = messages::messages()
        .into_iter()
        .partition(|m| policy.scan(m, &ctx).is_empty());
    let setup = Setup {
        finder,
        policy,
        ctx,
        link_free,
        with_links,
    };
    let mut found = Vec::new();
    if let Some(k) = args.only {
        let mut n = 0;
        for _ in 0..args.passes {
            n += subject(&setup, k.min(3), &mut found);
        }
        println!(
            "ran `{}` {} passes ({n} links)",
            NAMES[k.min(3)],
            args.passes
        );
        return;
    }

    // What each finds, once.
    let linkify_free: usize = setup
        .link_free
        .iter()
        .map(|m| setup.finder.links(m).count())
        .sum();
    let linkify_links: usize = setup
        .with_links
        .iter()
        .map(|m| setup.finder.links(m).count())
        .sum();
    let scan_links: usize = setup
        .with_links
        .iter()
        .map(|m| setup.policy.scan(m, &setup.ctx).len())
        .sum();
    let same = setup
        .with_links
        .iter()
        .filter(|m| {
            let a: Vec<&str> = setup.finder.links(m).map(|l| l.as_str()).collect();
            let found = setup.policy.scan(m, &setup.ctx);
            let b: Vec<&str> = found.iter().map(|l| l.text.as_str()).collect();
            a == b
        })
        .count();
    let bytes = |v: &[String]| v.iter().map(String::len).sum::<usize>() / v.len().max(1);
    println!(
        "messages: {} link-free (mean {} bytes; linkify finds {linkify_free} links in them), {} with links (mean {} bytes; scan finds {scan_links} links, linkify {linkify_links}; the same links in {same})",
        setup.link_free.len(),
        bytes(&setup.link_free),
        setup.with_links.len(),
        bytes(&setup.with_links)
    );

    let counts = [
        setup.link_free.len(),
        setup.link_free.len(),
        setup.with_links.len(),
        setup.with_links.len(),
    ];
    let mut per_message: [Vec<f64>; 4] = Default::default();
    let mut ratio_free = Vec::new();
    let mut ratio_links = Vec::new();
    for round in 0..args.rounds {
        let mut ns = [0.0_f64; 4];
        for i in 0..4 {
            let k = (i + round) % 4;
            let t = Instant::now();
            let mut n = 0;
            for _ in 0..args.passes {
                n += subject(&setup, k, &mut found);
            }
            black_box(n);
            ns[k] = t.elapsed().as_nanos() as f64 / (args.passes * counts[k]) as f64;
        }
        for k in 0..4 {
            per_message[k].push(ns[k]);
        }
        ratio_free.push(ns[1] / ns[0]);
        ratio_links.push(ns[3] / ns[2]);
    }
    println!(
        "{} rounds of {} passes; ns a message, median (min..max):",
        args.rounds, args.passes
    );
    for k in 0..4 {
        let v = &mut per_message[k];
        let med = median(v);
        let (lo, hi) = (
            v.first().copied().unwrap_or(0.0),
            v.last().copied().unwrap_or(0.0),
        );
        println!("  {k} {:<46} {med:8.1} ns  ({lo:.1}..{hi:.1})", NAMES[k]);
    }
    println!(
        "ratio, link-free messages (scan / linkify find):                 {:.2}x",
        median(&mut ratio_free)
    );
    println!(
        "ratio, messages with links (scan / linkify find + classify):     {:.2}x",
        median(&mut ratio_links)
    );
}
