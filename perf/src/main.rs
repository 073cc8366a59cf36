//! The same links through `url::Url::parse` alone, through linkpolicy's
//! `classify`, and through adblock-rust, in one process, so the ratios can be
//! read in one run (issue #6); and, with `--memory`, the memory a policy keeps
//! per domain entry.
//!
//! ```text
//! cd perf && cargo run --release -- [--domains N] [--platforms N] [--links N]
//!                                   [--rounds N] [--passes N] [--show-links]
//! cd perf && cargo run --release -- --memory [--domains N]
//! cd perf && cargo run --release -- --untrusted
//! ```
//!
//! The policy is the one of the acceptance measure of issue #6: the sample policy
//! (`policies/sample.toml`), 1,000 popular platforms with tiers (so lookalike
//! protection covers them too), and a `domains` block list of `--domains`
//! (default 100,000) real phishing domains. adblock-rust gets the same domains as
//! `||domain^` rules. The links are the realistic mix of `benches/data/mod.rs`.
//! Everything comes from `../../shared/data` when it is there, from vendored and
//! generated data otherwise; the program says which.
//!
//! Each round times every subject once, in a rotating order, `--passes` passes
//! over all the links; the figures are medians over `--rounds` rounds, and each
//! ratio is the median of the per-round ratios (both run under the same load).

#[path = "../../benches/data/mod.rs"]
mod data;
mod snapshot;
mod untrusted;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use linkpolicy::{Action, Context, Matcher, Policy, PolicyBuilder, Rule};

/// Counts live and peak heap bytes, once `COUNTING` is on (only with
/// `--memory`: timing runs pay one relaxed load per allocation).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(by: usize) {
    let by = isize::try_from(by).unwrap_or(isize::MAX);
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

fn shrank(by: usize) {
    LIVE.fetch_sub(isize::try_from(by).unwrap_or(isize::MAX), Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are only arithmetic on the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System.alloc`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Relaxed) {
            shrank(layout.size());
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The command line.
struct Args {
    domains: Option<usize>,
    platforms: usize,
    links: usize,
    rounds: usize,
    /// `None`: 10 for the table, 1 with `--only`.
    passes: Option<usize>,
    memory: bool,
    /// `--untrusted`: what a hostile policy can cost (see `untrusted.rs`).
    untrusted: bool,
    /// `--snapshot`: snapshots next to adblock-rust's serialized engine (see `snapshot.rs`).
    snapshot: bool,
    show_links: bool,
    /// `--load FILE`: loads the snapshot in FILE `--rounds` times in this fresh
    /// process (`--snapshot` writes its snapshots into `target/`).
    load: Option<String>,
    /// Runs only this subject of the timing table (0 = `Url::parse`, 1 = full
    /// policy one-to-one, 2 = group, 3 = platforms + list, 4 = the list alone,
    /// 5 = adblock-rust), over the links `--passes` times (once by default), for
    /// callgrind.
    only: Option<usize>,
}

fn args() -> Args {
    let mut a = Args {
        domains: None,
        platforms: 1_000,
        links: 1_000,
        rounds: 15,
        passes: None,
        memory: false,
        untrusted: false,
        snapshot: false,
        show_links: false,
        load: None,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> usize {
            let v = it.next().unwrap_or_default().replace(['_', ','], "");
            v.parse()
                .unwrap_or_else(|_| usage(&format!("{name} needs a number")))
        };
        match arg.as_str() {
            "--domains" => a.domains = Some(number("--domains")),
            "--platforms" => a.platforms = number("--platforms"),
            "--links" => a.links = number("--links").max(4),
            "--rounds" => a.rounds = number("--rounds").max(1),
            "--passes" => a.passes = Some(number("--passes").max(1)),
            "--memory" => a.memory = true,
            "--untrusted" => a.untrusted = true,
            "--snapshot" => a.snapshot = true,
            "--show-links" => a.show_links = true,
            "--load" => {
                a.load = Some(
                    it.next()
                        .unwrap_or_else(|| usage("--load needs a snapshot file")),
                )
            }
            "--only" => a.only = Some(number("--only")),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument `{other}`")),
        }
    }
    a
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("{problem}");
    }
    eprintln!(
        "usage: cargo run --release -- [--domains N] [--platforms N] [--links N] [--rounds N] [--passes N] [--show-links]\n       cargo run --release -- --only K [--passes N]   (one subject of the table, once: for callgrind)\n       cargo run --release -- --memory [--domains N]\n       cargo run --release -- --untrusted\n       cargo run --release -- --snapshot [--domains N] [--rounds N]\n       cargo run --release -- --load FILE [--rounds N]   (a snapshot loaded in a fresh process)"
    );
    std::process::exit(2);
}

fn main() {
    let args = args();
    if let Some(file) = &args.load {
        snapshot::load(Path::new(file), args.rounds);
        return;
    }
    if args.untrusted {
        COUNTING.store(true, Relaxed);
        untrusted::run();
        return;
    }
    if args.memory {
        COUNTING.store(true, Relaxed);
    }
    let mut data = data::Data::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    if args.snapshot {
        snapshot::run(
            &mut data,
            args.domains.unwrap_or(100_000),
            args.platforms,
            args.rounds.min(7),
        );
    } else if args.memory {
        memory(&mut data, args.domains.unwrap_or(1_000_000), args.platforms);
    } else {
        compare(&mut data, &args);
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// The timing comparison.
fn compare(data: &mut data::Data, args: &Args) {
    let n = args.domains.unwrap_or(100_000);
    let platforms = data.platforms(args.platforms);
    let domains = data.domains(n);
    let links = data.links(args.links, &domains, &platforms);
    for note in data.notes() {
        println!("{note}");
    }
    let text = data::list_text(&domains);

    let t = Instant::now();
    let policy = data::sample_builder(&platforms, Some(text.clone()))
        .and_then(|b| b.build())
        .unwrap_or_else(|e| panic!("the policy does not build: {e}"));
    let build_lp = t.elapsed();
    let issue_policy = data::platforms_and_list_builder(&platforms, text.clone())
        .build()
        .unwrap_or_else(|e| panic!("the platforms and list do not build: {e}"));
    let list_only = data::list_only_builder(text)
        .build()
        .unwrap_or_else(|e| panic!("the list does not build: {e}"));

    // The same policies loaded from their snapshots (issue #18).
    let loaded = Policy::from_snapshot(policy.to_snapshot())
        .unwrap_or_else(|e| panic!("the snapshot does not load: {e}"));
    let list_loaded = Policy::from_snapshot(list_only.to_snapshot())
        .unwrap_or_else(|e| panic!("the snapshot does not load: {e}"));

    let t = Instant::now();
    let rules: Vec<String> = domains.iter().map(|d| format!("||{d}^")).collect();
    let mut set = adblock::lists::FilterSet::new(false);
    set.add_filter_list(rules.join("\n"), adblock::lists::ParseOptions::default());
    let engine = adblock::Engine::new_with_filter_set(set);
    let build_ab = t.elapsed();
    drop(rules);

    println!(
        "policy: the sample policy + {} platforms + a list of {} domains: {} rules, {} platforms, {} list warnings; built in {}",
        args.platforms,
        domains.len(),
        policy.rule_count(),
        policy.platform_count(),
        policy.warnings().len(),
        ms(build_lp)
    );
    println!(
        "adblock-rust: {} `||domain^` rules, built in {}",
        domains.len(),
        ms(build_ab)
    );

    let one_to_one = Context::one_to_one();
    let group = data::group_context();
    let adblock_blocks = |l: &str| {
        adblock::request::Request::new(l, "https://chat.example/", "document", "GET")
            .is_ok_and(|r| engine.check_network_request(&r).should_block())
    };

    // What the policy says, and agreement with adblock-rust on the list part.
    let checks = if args.only.is_some() {
        &[][..]
    } else {
        &links[..]
    };
    let mut actions = [0usize; 3];
    let mut by_list = 0;
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for l in checks {
        let v = policy.classify(l, &one_to_one);
        let i = match v.action() {
            Action::Allow => 0,
            Action::Warn => 1,
            Action::Block => 2,
        };
        if let Some(c) = actions.get_mut(i) {
            *c += 1;
        }
        by_list += usize::from(data::listed(&v));
        let ours = list_only.classify(l, &one_to_one).action() == Action::Block;
        let theirs = adblock_blocks(l);
        if ours == theirs {
            agree += 1;
        } else if disagreements.len() < 10 {
            disagreements.push(format!("  linkpolicy {ours}, adblock-rust {theirs}: {l}"));
        }
        if args.show_links {
            println!("{:5} {:40} {l}", v.action().as_str(), v.to_string());
        }
    }
    let [allow, warn, block] = actions;
    println!(
        "verdicts (one-to-one, full policy): allow {allow}, warn {warn}, block {block}; {by_list} carry a rule of the list"
    );
    println!(
        "list part, blocked or not, the list alone in linkpolicy vs adblock-rust: {agree} of {} links agree",
        links.len()
    );
    for d in &disagreements {
        println!("{d}");
    }

    // The timing.
    type Subject<'a> = (&'a str, Box<dyn Fn(&str) + 'a>);
    let subjects: Vec<Subject<'_>> = vec![
        (
            "url::Url::parse",
            Box::new(|l| {
                let _ = black_box(url::Url::parse(l));
            }),
        ),
        (
            "classify, one-to-one",
            Box::new(|l| {
                black_box(policy.classify(l, &one_to_one));
            }),
        ),
        (
            "classify, group of 250",
            Box::new(|l| {
                black_box(policy.classify(l, &group));
            }),
        ),
        (
            "classify, platforms + list",
            Box::new(|l| {
                black_box(issue_policy.classify(l, &one_to_one));
            }),
        ),
        (
            "classify, the list alone",
            Box::new(|l| {
                black_box(list_only.classify(l, &one_to_one));
            }),
        ),
        (
            "adblock-rust",
            Box::new(|l| {
                if let Ok(r) =
                    adblock::request::Request::new(l, "https://chat.example/", "document", "GET")
                {
                    black_box(engine.check_network_request(&r));
                }
            }),
        ),
        (
            "classify, one-to-one, snapshot",
            Box::new(|l| {
                black_box(loaded.classify(l, &one_to_one));
            }),
        ),
        (
            "classify, the list alone, snapshot",
            Box::new(|l| {
                black_box(list_loaded.classify(l, &one_to_one));
            }),
        ),
    ];
    if let Some(k) = args.only {
        // One pass, nothing else: `valgrind --tool=callgrind --toggle-collect=...`
        // then counts the instructions of exactly these calls.
        let Some((name, f)) = subjects.get(k) else {
            usage(&format!("--only takes 0 to {}", subjects.len() - 1));
        };
        let passes = args.passes.unwrap_or(1);
        for _ in 0..passes {
            for l in &links {
                f(black_box(l));
            }
        }
        println!("ran `{name}` {} times over {} links", passes, links.len());
        return;
    }
    let passes = args.passes.unwrap_or(10);
    let per_pass = links.len() * passes;
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(args.rounds); subjects.len()];
    for round in 0..args.rounds {
        for k in 0..subjects.len() {
            let s = (round + k) % subjects.len();
            let Some((_, f)) = subjects.get(s) else {
                continue;
            };
            let t = Instant::now();
            for _ in 0..passes {
                for l in &links {
                    f(black_box(l));
                }
            }
            let ns = t.elapsed().as_secs_f64() * 1e9 / per_pass as f64;
            if let Some(v) = times.get_mut(s) {
                v.push(ns);
            }
        }
    }
    let column = |i: usize| times.get(i).cloned().unwrap_or_default();
    let ratio = |a: usize, b: usize| {
        let (a, b) = (column(a), column(b));
        median(a.iter().zip(&b).map(|(x, y)| x / y).collect())
    };
    println!(
        "per link, median of {} rounds of {} passes over the {} links (min-max):",
        args.rounds,
        passes,
        links.len()
    );
    for (i, (name, _)) in subjects.iter().enumerate() {
        let t = column(i);
        let lo = t.iter().copied().fold(f64::MAX, f64::min);
        let hi = t.iter().copied().fold(0.0, f64::max);
        let med = median(t);
        let vs = match i {
            0 => " 1.00x".to_owned(),
            5 => format!(
                "{:5.2}x the parse, {:.2}x classify (full), {:.2}x platforms + list, {:.2}x the list alone",
                ratio(5, 0),
                ratio(5, 1),
                ratio(5, 3),
                ratio(5, 4)
            ),
            _ => format!("{:5.2}x the parse", ratio(i, 0)),
        };
        println!("  {name:26} {med:7.0} ns ({lo:.0}-{hi:.0})  {vs}");
    }
    let yes = |ok: bool| if ok { "met" } else { "NOT met" };
    // Issue #6 measures a policy of the domains and the platforms; the full
    // policy adds the sample policy's rules, regexes, wrappers and tracking.
    for (what, i) in [("platforms + list", 3), ("full policy", 1)] {
        let (c, a) = (ratio(i, 0), ratio(5, i));
        println!(
            "acceptance (#6), {what}: classify <= 1.25x the parse: {} ({c:.2}x); adblock-rust >= 4x classify: {} ({a:.2}x)",
            yes(c <= 1.25),
            yes(a >= 4.0)
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => v.get(n / 2).copied().unwrap_or(f64::NAN),
        _ => {
            (v.get(n / 2 - 1).copied().unwrap_or(f64::NAN)
                + v.get(n / 2).copied().unwrap_or(f64::NAN))
                / 2.0
        }
    }
}

fn live() -> isize {
    LIVE.load(Relaxed)
}

/// Builds a policy from what `make` hands over, and prints what it keeps: the
/// live bytes after the build with the builder and its input dropped, less those
/// before; and the peak while building, inputs included.
fn measure(name: &str, entries: usize, make: impl FnOnce() -> PolicyBuilder) -> Policy {
    let before = live();
    PEAK.store(before, Relaxed);
    let t = Instant::now();
    let builder = make();
    let made = t.elapsed();
    let input = live() - before;
    let t = Instant::now();
    let policy = builder
        .build()
        .unwrap_or_else(|e| panic!("{name} does not build: {e}"));
    let built = t.elapsed();
    drop(builder);
    let kept = live() - before;
    let peak = PEAK.load(Relaxed) - before;
    let per = |b: isize| b as f64 / entries.max(1) as f64;
    println!(
        "{name}: {} rules; input {:.1} MB ({:.0} B an entry, made in {}); built in {}; the policy keeps {:.1} MB, {:.0} B an entry; peak while building {:.1} MB, {:.0} B an entry",
        policy.rule_count(),
        input as f64 / 1e6,
        per(input),
        ms(made),
        ms(built),
        kept as f64 / 1e6,
        per(kept),
        peak as f64 / 1e6,
        per(peak),
    );
    policy
}

/// The memory a policy keeps per domain entry.
fn memory(data: &mut data::Data, n: usize, platforms: usize) {
    let domains = data.domains(n);
    let p = data.platforms(platforms);
    for note in data.notes() {
        println!("{note}");
    }
    let chars: usize = domains.iter().map(String::len).sum();
    println!(
        "{} domains, {:.1} characters on average; bytes are heap bytes asked of the allocator (its own overhead not counted)",
        domains.len(),
        chars as f64 / domains.len().max(1) as f64
    );
    // The built-in Public Suffix List is parsed on first use and kept: not a
    // policy's cost.
    drop(Policy::builder().build());

    drop(measure(
        &format!("{n} entries of a `domains` list"),
        n,
        || data::list_only_builder(data::list_text(&domains)),
    ));
    drop(measure(
        &format!("{n} builder rules (Matcher::Domain)"),
        n,
        || {
            let mut b = PolicyBuilder::new();
            for (i, d) in domains.iter().enumerate() {
                b.rule(Rule::new(
                    format!("r{i}"),
                    Action::Block,
                    Matcher::Domain(d.clone()),
                ));
            }
            b
        },
    ));
    drop(measure(
        &format!("the sample policy + {platforms} platforms + a list of {n} domains"),
        n,
        || {
            data::sample_builder(&p, Some(data::list_text(&domains)))
                .unwrap_or_else(|e| panic!("the sample policy does not load: {e}"))
        },
    ));
}
