//! Criterion benchmarks of `Policy::classify`, with `url::Url::parse` as a baseline.
//!
//! ```text
//! cargo bench --bench classify
//! cargo bench --bench classify -- --quick          # a short run
//! ```
//!
//! Policies and inputs are built outside the timed loops. A bench that runs over
//! `n` links reports `Throughput::Elements(n)`: criterion prints links per second
//! next to the time per iteration (one pass over all `n` links).
//!
//! - `classify/sample_policy/one_to_one`, `classify/sample_policy/group`: the bare
//!   links of `examples/links.txt` (web links, app links, wrappers, IP hosts, IDN)
//!   under the embedded sample policy, in a one-to-one chat and in a 250-member
//!   group with a user, client version and time (so rollout gates and phases run).
//! - `url_parse/sample_links`: `url::Url::parse` on the same links, what any
//!   classification costs at least (unparseable and scheme-less ones fail fast).
//! - `policy_build/sample`: `Policy::from_toml_str(SAMPLE_POLICY)`.
//! - `classify/generated_10k_domains`: a builder policy of 10,000 domain rules,
//!   classifying links of which half hit a rule (at varying subdomain depth) and
//!   half miss.
//!
//! The realistic mix (issue #6), one group so the ratios to the parse read off one
//! run: 1,000 links (see `benches/data/mod.rs`: popular hosts with paths and
//! tracking parameters, real phishing URLs, hosts of the block list), from
//! `../shared/data` when it is there and generated otherwise (the bench says which
//! on standard error). Each policy is built the first time one of its benches runs,
//! so a filter that leaves it out does not build it. Without `../shared` the group
//! is `mix_generated`, so criterion does not compare it with runs on the real data.
//!
//! For each policy, `mix/<policy>/url_parse` is `url::Url::parse` of the 1,000
//! links, the baseline, timed after the policy is built (so in the same process
//! state as the classify benches beside it), then `mix/<policy>/one_to_one` and
//! `mix/<policy>/group` classify them:
//!
//! - `sample_policy`: the sample policy.
//! - `100k_domains_1000_platforms`: the sample policy plus 1,000 popular
//!   platforms with tiers (so lookalike protection covers them) plus a `domains`
//!   block list of 100,000 real phishing domains: the policy of the acceptance
//!   measure of issue #6.
//! - `1m_domains_1000_platforms`: the same with 1,000,000 block-list domains (all
//!   the real ones in `blocklists/`, about 566,000 distinct, then generated ones;
//!   the bench says how many of each).

#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a policy that does not build is a broken benchmark"
)]

mod data;

use std::cell::OnceCell;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use linkpolicy::{Action, Context, Matcher, Policy, Rule, SAMPLE_POLICY};

/// The example program's input file.
const LINKS: &str = include_str!("../examples/links.txt");

/// The number of generated domain rules.
const GENERATED_RULES: usize = 10_000;

/// The number of links classified per iteration against the generated policy.
const GENERATED_LINKS: usize = 1_000;

/// The bare-link lines of `examples/links.txt` (JSON request lines left out).
fn sample_links() -> Vec<&'static str> {
    LINKS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('{'))
        .collect()
}

fn elements(n: usize) -> Throughput {
    Throughput::Elements(u64::try_from(n).unwrap_or(u64::MAX))
}

fn classify_sample(c: &mut Criterion) {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).expect("the sample policy loads");
    let links = sample_links();
    let one_to_one = Context::one_to_one();
    let group = Context::group(250)
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(1_635_724_800);

    let mut g = c.benchmark_group("classify/sample_policy");
    g.throughput(elements(links.len()));
    for (name, ctx) in [("one_to_one", &one_to_one), ("group", &group)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for link in &links {
                    black_box(policy.classify(black_box(link), black_box(ctx)));
                }
            });
        });
    }
    g.finish();
}

fn url_parse(c: &mut Criterion) {
    let links = sample_links();
    let mut g = c.benchmark_group("url_parse");
    g.throughput(elements(links.len()));
    g.bench_function("sample_links", |b| {
        b.iter(|| {
            for link in &links {
                // Errors (scheme-less links) are results too: keep them.
                let _ = black_box(url::Url::parse(black_box(link)));
            }
        });
    });
    g.finish();
}

fn policy_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("policy_build");
    g.bench_function("sample", |b| {
        b.iter(|| black_box(Policy::from_toml_str(black_box(SAMPLE_POLICY))));
    });
    g.finish();
}

/// A policy of `GENERATED_RULES` block rules on `d{i}.example`.
fn generated_policy() -> Policy {
    let mut builder = Policy::builder();
    for i in 0..GENERATED_RULES {
        builder.rule(Rule::new(
            format!("r{i}"),
            Action::Block,
            Matcher::Domain(format!("d{i}.example")),
        ));
    }
    builder.build().expect("the generated policy builds")
}

/// Links alternating between hits (a rule's domain or a subdomain of it) and misses
/// (a domain no rule names, or a rule's label under another parent).
fn generated_links() -> Vec<String> {
    (0..GENERATED_LINKS)
        .map(|k| {
            // Spread over the rule space: 7919 is prime, coprime with 10,000.
            let i = (k * 7919) % GENERATED_RULES;
            match k % 4 {
                0 => format!("https://d{i}.example/path?q={k}"),
                1 => format!("https://www.d{i}.example/item/{k}.html"),
                2 => format!("https://e{i}.example/path?q={k}"),
                _ => format!("https://d{i}.example.org/item/{k}.html"),
            }
        })
        .collect()
}

fn classify_generated(c: &mut Criterion) {
    let policy = generated_policy();
    let links = generated_links();
    let ctx = Context::one_to_one();
    let hits = links
        .iter()
        .filter(|l| policy.classify(l, &ctx).action() == Action::Block)
        .count();
    assert_eq!(hits, GENERATED_LINKS / 2, "half the links hit a rule");

    let mut g = c.benchmark_group("classify");
    g.throughput(elements(links.len()));
    g.bench_function("generated_10k_domains", |b| {
        b.iter(|| {
            for link in &links {
                black_box(policy.classify(black_box(link), black_box(&ctx)));
            }
        });
    });
    g.finish();
}

/// The number of links of the realistic mix.
const MIX_LINKS: usize = 1_000;

/// The number of platforms in the big policies.
const PLATFORMS: usize = 1_000;

/// A policy of the mix: its name, and how many block-list domains (none: the
/// sample policy alone).
const MIX_POLICIES: [(&str, Option<usize>); 3] = [
    ("sample_policy", None),
    ("100k_domains_1000_platforms", Some(100_000)),
    ("1m_domains_1000_platforms", Some(1_000_000)),
];

/// The sample policy, plus the platforms and a block list of `domains` when given.
fn mix_policy(
    data: &mut data::Data,
    platforms: &data::Platforms,
    domains: Option<usize>,
) -> Policy {
    let policy = match domains {
        None => Policy::from_toml_str(SAMPLE_POLICY).expect("the sample policy loads"),
        Some(n) => {
            let known = data.notes().len();
            let list = data::list_text(&data.domains(n));
            for note in data.notes().iter().skip(known) {
                eprintln!("{note}");
            }
            data::sample_builder(platforms, Some(list))
                .expect("the sample policy loads")
                .build()
                .expect("the bench policy builds")
        }
    };
    eprintln!(
        "policy: {} rules (list entries included), {} platforms, {} list warnings",
        policy.rule_count(),
        policy.platform_count(),
        policy.warnings().len()
    );
    policy
}

fn classify_mix(c: &mut Criterion) {
    let mut data = data::Data::open(Path::new(env!("CARGO_MANIFEST_DIR")));
    let platforms = data.platforms(PLATFORMS);
    // The listed hosts of the links come from the 100,000-domain list, which the
    // 1,000,000-domain list contains.
    let listed = data.domains(100_000);
    let links = data.links(MIX_LINKS, &listed, &platforms);
    drop(listed);
    data.print_notes();
    let one_to_one = Context::one_to_one();
    let group = data::group_context();

    let mut g = c.benchmark_group(data.group_name("mix"));
    g.throughput(elements(links.len()));
    // One pass is a few milliseconds: fewer samples keep the group short.
    g.sample_size(30);
    for (name, domains) in MIX_POLICIES {
        let policy = OnceCell::new();
        // The baseline runs after the policy is built, in the same process state
        // as the classify benches next to it: building and freeing the big
        // policies changes the allocator's state, and with it every timing.
        g.bench_function(format!("{name}/url_parse"), |b| {
            policy.get_or_init(|| mix_policy(&mut data, &platforms, domains));
            b.iter(|| {
                for link in &links {
                    let _ = black_box(url::Url::parse(black_box(link)));
                }
            });
        });
        for (chat, ctx) in [("one_to_one", &one_to_one), ("group", &group)] {
            g.bench_function(format!("{name}/{chat}"), |b| {
                let policy = policy.get_or_init(|| mix_policy(&mut data, &platforms, domains));
                b.iter(|| {
                    for link in &links {
                        black_box(policy.classify(black_box(link), black_box(ctx)));
                    }
                });
            });
        }
    }
    g.finish();
}

criterion_group!(
    benches,
    classify_sample,
    url_parse,
    policy_build,
    classify_generated,
    classify_mix
);
criterion_main!(benches);
