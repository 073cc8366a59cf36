//! Criterion benchmarks of `Policy::scan`: messages per second.
//!
//! ```text
//! cargo bench --bench scan
//! cargo bench --bench scan -- --quick          # a short run
//! ```
//!
//! The input is 50 chat messages of about 200 bytes each (UTF-8), mixed Chinese and
//! English with full-width punctuation and emoji (`benches/data/messages.rs`, built
//! outside the timed loop): 30 hold one link, 10 hold two, 10 hold none (times,
//! version numbers, prices, decimals and file names that are not links). The links
//! are the kinds people paste: shop and short links with and without a scheme,
//! wrappers, app links. Each bench reports `Throughput::Elements(50)`: criterion prints
//! messages per second next to the time of one pass over all 50.
//!
//! - `scan/sample_policy/one_to_one`, `scan/sample_policy/group`: `Policy::scan_into`
//!   with the embedded sample policy, in a one-to-one chat and in a 250-member group
//!   with a user, client version and time (so rollout gates and phases run).
//! - `scan/sample_policy/link_free`, `scan/sample_policy/with_links`: `scan_into`,
//!   one-to-one, of the 10 messages without links and of the 40 with links (the
//!   halves `perf/scan` compares with the linkify crate; throughput per message of
//!   each half).
//! - `scan/sample_policy/classify_only`: `Policy::classify` of the links the scan
//!   finds, one-to-one, without looking for them: the part of a scan's cost that is
//!   classification.

#![expect(
    clippy::expect_used,
    reason = "benchmark setup: a policy that does not build is a broken benchmark"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use linkpolicy::{Context, FoundLink, Policy, SAMPLE_POLICY};

#[path = "data/messages.rs"]
mod messages;

use messages::messages;

fn scan(c: &mut Criterion) {
    let policy = Policy::from_toml_str(SAMPLE_POLICY).expect("the sample policy loads");
    let messages = messages();
    let one_to_one = Context::one_to_one();
    let group = Context::group(250)
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(1_635_724_800);

    // The input is what the doc comment says it is.
    let found: Vec<Vec<FoundLink>> = messages
        .iter()
        .map(|m| policy.scan(m, &one_to_one))
        .collect();
    let count = |n: usize| found.iter().filter(|f| f.len() == n).count();
    assert_eq!((count(0), count(1), count(2)), (10, 30, 10), "{found:#?}");
    let bytes: usize = messages.iter().map(String::len).sum();
    let mean = bytes / messages.len();
    assert!((190..=230).contains(&mean), "mean message length {mean}");
    let links: Vec<String> = found.into_iter().flatten().map(|l| l.text).collect();

    let mut g = c.benchmark_group("scan/sample_policy");
    g.throughput(Throughput::Elements(
        u64::try_from(messages.len()).unwrap_or(u64::MAX),
    ));
    for (name, ctx) in [("one_to_one", &one_to_one), ("group", &group)] {
        g.bench_function(name, |b| {
            let mut found = Vec::new();
            b.iter(|| {
                for message in &messages {
                    policy.scan_into(black_box(message), black_box(ctx), &mut found);
                    black_box(&found);
                }
            });
        });
    }
    // The two halves the linkify comparison of perf/scan measures.
    let (link_free, with_links): (Vec<&String>, Vec<&String>) = messages
        .iter()
        .partition(|m| policy.scan(m, &one_to_one).is_empty());
    for (name, subset) in [("link_free", &link_free), ("with_links", &with_links)] {
        g.throughput(Throughput::Elements(
            u64::try_from(subset.len()).unwrap_or(u64::MAX),
        ));
        g.bench_function(name, |b| {
            let mut found = Vec::new();
            b.iter(|| {
                for message in subset {
                    policy.scan_into(black_box(message), black_box(&one_to_one), &mut found);
                    black_box(&found);
                }
            });
        });
    }
    g.throughput(Throughput::Elements(
        u64::try_from(messages.len()).unwrap_or(u64::MAX),
    ));
    g.bench_function("classify_only", |b| {
        b.iter(|| {
            for link in &links {
                black_box(policy.classify(black_box(link), black_box(&one_to_one)));
            }
        });
    });
    g.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
