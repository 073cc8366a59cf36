//! The same links through `url::Url::parse` alone, through `linkpolicy`'s
//! `classify`, and through adblock-rust, in one process, so the ratios can be
//! read in one run (issue #6).
//!
//! ```text
//! cd perf && cargo run --release -- [DOMAIN_LIST]
//! ```
//!
//! `DOMAIN_LIST` is a plain domain list (default: the vendored phishing feed,
//! `../policies/lists/phishing.txt`). linkpolicy gets it as a `domains` list;
//! adblock-rust gets the same domains as `||domain^` rules.

use std::hint::black_box;
use std::time::Instant;

use linkpolicy::{Action, Context, List, ListFormat, PolicyBuilder};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "../policies/lists/phishing.txt".to_owned());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let domains: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();

    // The links: the sample links, and blocked hosts from the list with paths.
    let mut links: Vec<String> = include_str!("../../examples/links.txt")
        .lines()
        .filter(|l| !l.starts_with('{'))
        .map(|l| l.trim().to_owned())
        .filter(|l| l.starts_with("http"))
        .collect();
    links.extend(domains.iter().step_by((domains.len() / 40).max(1)).take(40).map(|d| format!("https://{d}/login/verify?id=1")));

    let t = Instant::now();
    let mut b = PolicyBuilder::new();
    b.list(List::new("feed", ListFormat::Domains, Action::Block)).list_text("feed", text.clone());
    let policy = b.build().expect("the policy builds");
    let build_lp = t.elapsed();

    let t = Instant::now();
    let rules: Vec<String> = domains.iter().map(|d| format!("||{d}^")).collect();
    let mut set = adblock::lists::FilterSet::new(false);
    set.add_filter_list(rules.join("\n"), adblock::lists::ParseOptions::default());
    let engine = adblock::Engine::new_with_filter_set(set);
    let build_ab = t.elapsed();

    // Agreement on what is blocked, as a sanity check of the comparison.
    let ctx = Context::one_to_one();
    let mut agree = 0;
    for l in &links {
        let ours = policy.classify(l, &ctx).action() == Action::Block;
        let theirs = adblock::request::Request::new(l, "https://chat.example/", "document", "GET")
            .map(|r| engine.check_network_request(&r).should_block())
            .unwrap_or(false);
        agree += usize::from(ours == theirs);
    }

    let rounds = 2000;
    let per_link = |f: &dyn Fn(&str)| {
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            for _ in 0..rounds {
                for l in &links {
                    f(black_box(l));
                }
            }
            best = best.min(t.elapsed().as_nanos() as f64 / (rounds * links.len()) as f64);
        }
        best
    };
    let parse = per_link(&|l| {
        black_box(url::Url::parse(l).ok());
    });
    let classify = per_link(&|l| {
        black_box(policy.classify(l, &ctx));
    });
    let adblock = per_link(&|l| {
        if let Ok(r) = adblock::request::Request::new(l, "https://chat.example/", "document", "GET") {
            black_box(engine.check_network_request(&r));
        }
    });
    println!("{} domains, {} links ({agree} verdicts agree on block/not)", domains.len(), links.len());
    println!("build: linkpolicy {build_lp:.2?}, adblock-rust {build_ab:.2?}");
    println!("per link (best of 5 x {rounds} rounds):");
    println!("  url::Url::parse       {parse:7.0} ns  1.00x");
    println!("  linkpolicy classify   {classify:7.0} ns  {:.2}x the parse", classify / parse);
    println!("  adblock-rust          {adblock:7.0} ns  {:.2}x the parse, {:.2}x classify", adblock / parse, adblock / classify);
}
