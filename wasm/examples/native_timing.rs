//! The native figures next to `npm run bench` (wasm/scripts/bench.mjs): the same
//! work, timed the same way, with the library compiled for this machine.
//!
//! ```text
//! cargo run --release -p linkpolicy-wasm --example native_timing
//! ```
//!
//! Prints the time to load the sample policy (first load, then the median of 20)
//! and the time per link of classifying every request line of
//! `examples/links.txt` (parsed with `linkpolicy::Request`, as the package does),
//! best of 5 rounds of 200 passes.

use std::hint::black_box;
use std::time::Instant;

use linkpolicy::{Policy, Request, SAMPLE_POLICY};

const LINKS: &str = include_str!("../../examples/links.txt");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    let first = t.elapsed();
    let mut loads: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            black_box(Policy::from_toml_str(black_box(SAMPLE_POLICY)).ok());
            t.elapsed().as_secs_f64()
        })
        .collect();
    loads.sort_by(f64::total_cmp);
    let lines: Vec<&str> = LINKS.lines().filter(|l| !l.trim().is_empty()).collect();
    let passes = 200;
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..passes {
            for line in &lines {
                let verdict = Request::parse(line).map(|r| r.classify(&policy).to_json());
                black_box(verdict.ok());
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let per_link = best / (passes * lines.len()) as f64;
    println!(
        "native: first policy load {:.2} ms, median load {:.2} ms; classify + JSON {:.2} µs per link ({} links)",
        first.as_secs_f64() * 1e3,
        loads.get(loads.len() / 2).copied().unwrap_or(f64::NAN) * 1e3,
        per_link * 1e6,
        lines.len()
    );
    Ok(())
}
