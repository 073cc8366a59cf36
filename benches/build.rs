//! Criterion benchmarks of building and loading policies (issue #6).
//!
//! ```text
//! cargo bench --bench build
//! cargo bench --bench build -- --warm-up-time 1 --measurement-time 5   # shorter
//! ```
//!
//! The domains come from `../shared/data/blocklists/` when it is there, from the
//! vendored `policies/lists/` and generated domains otherwise (see
//! `benches/data/mod.rs`; the bench says which on standard error). Only
//! [`PolicyBuilder::build`] (or the load) is timed: the builder and the texts are
//! made once, outside the timed loop. The big builds take seconds each, so their
//! groups take 10 samples of one build each (`SamplingMode::Flat`); each reports
//! `Throughput::Elements` of its entries, so criterion prints entries per second.
//! Without `../shared` the groups are `build_generated` and `load_generated`, so
//! criterion does not compare them with runs on the real data.
//!
//! - `build/list_text/100k_domains`, `build/list_text/1m_domains`: a `domains`
//!   list of 100,000 real phishing domains, and of 1,000,000 block-list domains
//!   (the real ones topped up with generated ones).
//! - `build/builder_rules/1m_domains`: the same 1,000,000 domains as
//!   `Rule::new(id, Action::Block, Matcher::Domain(..))` through the builder.
//! - `build/sample_100k_domains_1000_platforms`: the policy of the acceptance
//!   measure: the sample policy, 1,000 platforms with tiers, the 100,000-domain
//!   list.
//! - `load/{toml,json}/sample`: `Policy::from_toml_str` and `Policy::from_json_str`
//!   of the sample policy (its JSON is the TOML converted with serde).
//! - `load/{toml,json}/1000_platforms_10k_rules`: a policy file of the sample
//!   tiers, 1,000 platforms and 10,000 domain rules.

#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a policy that does not build is a broken benchmark"
)]

mod data;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use linkpolicy::{Action, Category, Matcher, Policy, PolicyBuilder, Rule, SAMPLE_POLICY};

fn elements(n: usize) -> Throughput {
    Throughput::Elements(u64::try_from(n).unwrap_or(u64::MAX))
}

/// Builds once outside the timing, to check the policy and print its size.
fn checked(name: &str, builder: &PolicyBuilder) {
    let policy = builder.build().expect("the bench policy builds");
    eprintln!(
        "{name}: {} rules (list entries included), {} platforms, {} list warnings",
        policy.rule_count(),
        policy.platform_count(),
        policy.warnings().len()
    );
}

fn build(c: &mut Criterion) {
    let mut data = data::Data::open(Path::new(env!("CARGO_MANIFEST_DIR")));
    let platforms = data.platforms(1_000);
    let d100k = data.domains(100_000);
    data.print_notes();
    // Loads first, in a process that has not yet built and freed gigabytes: after
    // the big builds the same loads measured about twice as slow (the allocator's
    // state, not the loader's work).
    load(c, &data, &platforms, &d100k);
    let d1m = data.domains(1_000_000);
    if let Some(note) = data.notes().last() {
        eprintln!("{note}");
    }

    let mut g = c.benchmark_group(data.group_name("build"));
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(10));

    for (name, domains) in [("100k_domains", &d100k), ("1m_domains", &d1m)] {
        let builder = data::list_only_builder(data::list_text(domains));
        checked(&format!("list_text/{name}"), &builder);
        g.throughput(elements(domains.len()));
        g.bench_function(format!("list_text/{name}"), |b| {
            b.iter(|| black_box(builder.build()));
        });
    }

    {
        let mut builder = PolicyBuilder::new();
        for (i, d) in d1m.iter().enumerate() {
            builder.rule(
                Rule::new(format!("r{i}"), Action::Block, Matcher::Domain(d.clone()))
                    .category(Category::Phishing),
            );
        }
        checked("builder_rules/1m_domains", &builder);
        g.throughput(elements(d1m.len()));
        g.bench_function("builder_rules/1m_domains", |b| {
            b.iter(|| black_box(builder.build()));
        });
    }

    {
        let builder = data::sample_builder(&platforms, Some(data::list_text(&d100k)))
            .expect("the sample policy loads");
        checked("sample_100k_domains_1000_platforms", &builder);
        g.throughput(elements(d100k.len()));
        g.bench_function("sample_100k_domains_1000_platforms", |b| {
            b.iter(|| black_box(builder.build()));
        });
    }
    g.finish();
}

/// A policy file of the sample tiers, the platforms and 10,000 domain rules.
fn big_toml(platforms: &data::Platforms, domains: &[String]) -> String {
    let mut t = String::from(
        "version = 1\n\n[tiers]\nS = { one_to_one = \"allow\", group = \"allow\" }\n\
         A = { one_to_one = \"allow\", group = \"warn\" }\n\
         B = { one_to_one = \"warn\", group = \"warn\" }\nC = { one_to_one = \"warn\" }\n",
    );
    for (i, d) in platforms.domains.iter().enumerate() {
        let tier = data::Platforms::tier(i);
        let _ = write!(
            t,
            "\n[[platform]]\nid = \"p{i}\"\ndomains = [\"{d}\"]\ntier = \"{tier}\"\n"
        );
    }
    for (i, d) in domains.iter().take(10_000).enumerate() {
        let _ = write!(
            t,
            "\n[[rule]]\nid = \"phishing-{i}\"\naction = \"block\"\ncategory = \"phishing\"\nhard = true\ndomain = \"{d}\"\n"
        );
    }
    t
}

/// The TOML text as JSON, through serde.
fn to_json(toml_text: &str) -> String {
    let value: serde_json::Value = toml::from_str(toml_text).expect("the TOML parses");
    serde_json::to_string(&value).expect("JSON serializes")
}

fn load(c: &mut Criterion, data: &data::Data, platforms: &data::Platforms, domains: &[String]) {
    let big = big_toml(platforms, domains);
    let texts = [
        ("sample", SAMPLE_POLICY.to_owned(), to_json(SAMPLE_POLICY)),
        ("1000_platforms_10k_rules", big.clone(), to_json(&big)),
    ];
    let mut g = c.benchmark_group(data.group_name("load"));
    g.sample_size(20);
    for (name, toml_text, json_text) in &texts {
        let toml_policy = Policy::from_toml_str(toml_text).expect("the TOML policy loads");
        let json_policy = Policy::from_json_str(json_text).expect("the JSON policy loads");
        assert_eq!(toml_policy.rule_count(), json_policy.rule_count());
        eprintln!(
            "load/{name}: {} bytes of TOML, {} of JSON, {} rules, {} platforms",
            toml_text.len(),
            json_text.len(),
            toml_policy.rule_count(),
            toml_policy.platform_count()
        );
        g.bench_function(format!("toml/{name}"), |b| {
            b.iter(|| black_box(Policy::from_toml_str(black_box(toml_text))));
        });
        g.bench_function(format!("json/{name}"), |b| {
            b.iter(|| black_box(Policy::from_json_str(black_box(json_text))));
        });
    }
    g.finish();
}

criterion_group!(benches, build);
criterion_main!(benches);
