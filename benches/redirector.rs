//! Criterion benchmarks of the cost per link of a `[[redirector]]` with many
//! parameters (issue #14): 100, 1,000, 10,000 and 100,000 `params`, and a link on
//! the redirector with a 7.7 KB query (700 ordinary pieces) whose last piece is a
//! listed parameter holding the target. The query is read once per redirector,
//! so the time should stay flat as the parameters grow (it was 7.9 s a link at
//! 100,000 before: the query was read once per parameter).
//!
//! ```text
//! cargo bench --bench redirector -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Each policy is built outside the timed loop; each iteration classifies the one
//! link once (`redirector/params/<n>`), and a link on the same host without a
//! query, the cost of the rest of `classify` (`redirector/no_query/<n>`).
#![expect(clippy::expect_used, reason = "a bench fails by panicking")]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use linkpolicy::{Action, Context, Policy};

/// A policy with one redirector of `n` parameters, the last one `p{n-1}`.
fn policy(n: usize) -> Policy {
    let params: Vec<String> = (0..n).map(|i| format!("\"p{i}\"")).collect();
    let text = format!(
        "version = 1\n[defaults]\none_to_one = \"allow\"\n\
         [limits]\nmax_link_len = 16384\n\
         [[rule]]\nid = \"evil\"\naction = \"block\"\nhard = true\ndomain = \"evil.example\"\n\
         [[redirector]]\ndomain = \"r.example\"\nparams = [{}]\n",
        params.join(",")
    );
    Policy::from_toml_str(&text).expect("the bench policy loads")
}

/// A 7.7 KB query of ordinary pieces, then the listed parameter `p{n-1}`.
fn link(n: usize) -> String {
    let query: Vec<String> = (0..700).map(|i| format!("q{i:04}=vvvv")).collect();
    format!(
        "https://r.example/out?{}&p{}=https://evil.example/",
        query.join("&"),
        n - 1
    )
}

fn redirector(c: &mut Criterion) {
    let mut group = c.benchmark_group("redirector");
    let ctx = Context::one_to_one();
    for n in [100usize, 1_000, 10_000, 100_000] {
        let p = policy(n);
        let l = link(n);
        assert!(l.len() > 7_700, "{}", l.len());
        assert_eq!(p.classify(&l, &ctx).action(), Action::Block);
        group.bench_with_input(BenchmarkId::new("params", n), &l, |b, l| {
            b.iter(|| black_box(p.classify(black_box(l), &ctx)));
        });
        group.bench_with_input(
            BenchmarkId::new("no_query", n),
            "https://r.example/out",
            |b, l| {
                b.iter(|| black_box(p.classify(black_box(l), &ctx)));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, redirector);
criterion_main!(benches);
