//! The cost of lookalike and mixed-script checking per link, against a policy
//! with 1,000 platform domains (issue #4): the same links classified with and
//! without lookalike protection.
#![allow(clippy::expect_used, reason = "benchmarking")]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use linkpolicy::{Context, Policy};

/// A policy with `platforms` platforms of one domain each; `protect`: whether
/// lookalikes are checked (every platform domain is protected when they are).
fn policy(platforms: usize, protect: bool) -> Policy {
    let mut b = Policy::builder();
    for i in 0..platforms {
        b.platform(linkpolicy::Platform::new(
            format!("p{i}"),
            [format!("brand{i}.com")],
        ));
    }
    b.platform(linkpolicy::Platform::new("jd", ["jd.com"]));
    b.platform(linkpolicy::Platform::new("alibaba", ["taobao.com"]));
    if !protect {
        // The only way to turn protection off is to have nothing to protect:
        // the same index, but platforms as plain rules.
        let mut plain = Policy::builder();
        for i in 0..platforms {
            plain.rule(linkpolicy::Rule::new(
                format!("p{i}"),
                linkpolicy::Action::Allow,
                linkpolicy::Matcher::Domain(format!("brand{i}.com")),
            ));
        }
        return plain.build().expect("policy builds");
    }
    b.build().expect("policy builds")
}

const LINKS: [&str; 10] = [
    "https://item.jd.com/100012043978.html",
    "https://jd.corn/",
    "https://t\u{0430}obao.com/",
    "https://www.brand17.com/a/b?c=d",
    "https://brand9l.com/",
    "https://news.example.org/2021/11/01/story.html",
    "https://\u{4eac}\u{4e1c}.com/",
    "https://mp.weixin.qq.com/s/Xq3lVb6yT0kJq4mZ2b8aQw",
    "https://www.zhihu.com/question/19550225?utm_source=wechat_session",
    "https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/",
];

fn bench(c: &mut Criterion) {
    let ctx = Context::one_to_one();
    let mut group = c.benchmark_group("lookalike");
    group.throughput(Throughput::Elements(LINKS.len() as u64));
    for (name, protect) in [
        ("1000_platforms_protected", true),
        ("1000_domains_unprotected", false),
    ] {
        let p = policy(1000, protect);
        group.bench_function(name, |b| {
            b.iter(|| {
                for link in LINKS {
                    black_box(p.classify(black_box(link), &ctx));
                }
            });
        });
    }
    // Issue #21: internationalized hosts pay for Chromium's label rules and the
    // Unicode skeleton; ASCII hosts written with capitals for the host as written.
    let p = policy(1000, true);
    group.throughput(Throughput::Elements(IDN_LINKS.len() as u64));
    group.bench_function("1000_platforms_idn_hosts", |b| {
        b.iter(|| {
            for link in IDN_LINKS {
                black_box(p.classify(black_box(link), &ctx));
            }
        });
    });
    group.finish();
}

/// Internationalized hosts of Chromium's test list (safe and unsafe) and ASCII
/// hosts written with capitals.
const IDN_LINKS: [&str; 10] = [
    "https://xn--1lq90ic7f1rc.cn/",
    "https://xn--e1argc3h.com/",
    "https://xn--qccaa.com/",
    "https://www.xn--hello-9n1hm04c.com/",
    "https://xn--igklmo68-kcb.com/",
    "https://xn--caf-dma.fr/",
    "https://xn--d1acpjx3f.xn--p1ai/",
    "https://xn--tobao-4ve.com/",
    "https://PaypaI.com/",
    "https://Item.JD.com/1.html",
];

criterion_group!(benches, bench);
criterion_main!(benches);
