//! `--untrusted`: what a hostile policy can cost (issue #14), for the README's
//! "Untrusted input" section.
//!
//! - Loading: time and peak heap while loading generated TOML and JSON policies
//!   (rules, complaint rows, tracking parameters), against the text's size.
//! - Regex compile work: the 200 rules of `\w{100}N`, with the default
//!   limits.
//! - Per link: `classify` time with 100 to 100,000 tracking prefixes and 100 to
//!   1,000 (the default `max_phases`) phases whose gates fail, each the median
//!   over rounds; it should stay flat as the policy grows.

use std::hint::black_box;
use std::time::{Duration, Instant};

use linkpolicy::{Context, Policy, SizeLimits};

use crate::{PEAK, live, ms};
use std::sync::atomic::Ordering::Relaxed;

/// Runs every measure.
pub fn run() {
    println!(
        "heap bytes are bytes asked of the allocator (its own overhead not counted); times are wall-clock on a shared machine"
    );
    loading();
    problems();
    regexes();
    per_link();
}

/// Loads `text` as TOML or JSON: the time, and the peak heap above the start.
fn load(text: &str, toml: bool, limits: &SizeLimits) -> (Duration, isize, bool) {
    let before = live();
    PEAK.store(before, Relaxed);
    let t = Instant::now();
    let loaded = if toml {
        Policy::from_toml_str_with_limits(text, limits)
    } else {
        Policy::from_json_str_with_limits(text, limits)
    };
    let time = t.elapsed();
    let peak = PEAK.load(Relaxed) - before;
    let ok = loaded.is_ok();
    drop(loaded);
    (time, peak, ok)
}

/// The same items written as TOML and as JSON.
fn texts(n: usize, kind: &str) -> (String, String) {
    let mut toml = String::from("version = 1\n");
    let mut json: Vec<String> = Vec::with_capacity(n);
    match kind {
        "rules" => {
            for i in 0..n {
                toml.push_str(&format!(
                    "[[rule]]\nid = \"r{i}\"\naction = \"block\"\ndomain = \"d{i}.example\"\n"
                ));
                json.push(format!(
                    "{{\"id\": \"r{i}\", \"action\": \"block\", \"domain\": \"d{i}.example\"}}"
                ));
            }
            let json = format!("{{\"version\": 1, \"rule\": [\n{}\n]}}", json.join(",\n"));
            (toml, json)
        }
        "complaints" => {
            for i in 0..n {
                toml.push_str(&format!(
                    "[[complaint]]\ndomain = \"c{i}.example\"\ncategory = \"fraud\"\ncount = {i}\n"
                ));
                json.push(format!(
                    "{{\"domain\": \"c{i}.example\", \"category\": \"fraud\", \"count\": {i}}}"
                ));
            }
            let json = format!(
                "{{\"version\": 1, \"complaint\": [\n{}\n]}}",
                json.join(",\n")
            );
            (toml, json)
        }
        "platform domains" => {
            // One item that is itself huge.
            let domains: Vec<String> = (0..n).map(|i| format!("\"p{i}.example\"")).collect();
            toml.push_str(&format!(
                "[[platform]]\nid = \"p\"\ntier = \"A\"\ndomains = [{}]\n[tiers]\nA = {{ group = \"warn\" }}\n",
                domains.join(", ")
            ));
            let json = format!(
                "{{\"version\": 1, \"tiers\": {{\"A\": {{\"group\": \"warn\"}}}}, \"platform\": [{{\"id\": \"p\", \"tier\": \"A\", \"domains\": [{}]}}]}}",
                domains.join(", ")
            );
            (toml, json)
        }
        "values in one item" | "inline tables in one item" => {
            // An unknown field, parsed whole before it is refused.
            let one = if kind.starts_with("values") {
                "1"
            } else {
                "{a=1}"
            };
            let values = vec![one; n].join(",");
            toml.push_str(&format!(
                "[[rule]]\nid = \"r\"\naction = \"block\"\ndomain = \"a.example\"\njunk = [{values}]\n"
            ));
            let json = format!("{{\"version\": 1, \"rule\": [{{\"junk\": [{values}]}}]}}");
            (toml, json)
        }
        "tiers" => {
            // The text outside the items.
            for i in 0..n {
                toml.push_str(&format!("[tiers.t{i}]\ngroup = \"warn\"\n"));
                json.push(format!("\"t{i}\": {{\"group\": \"warn\"}}"));
            }
            let json = format!(
                "{{\"version\": 1, \"tiers\": {{\n{}\n}}}}",
                json.join(",\n")
            );
            (toml, json)
        }
        _ => {
            let params: Vec<String> = (0..n).map(|i| format!("\"t{i}_*\"")).collect();
            toml.push_str(&format!("[tracking]\nparams = [{}]\n", params.join(", ")));
            let json = format!(
                "{{\"version\": 1, \"tracking\": {{\"params\": [{}]}}}}",
                params.join(", ")
            );
            (toml, json)
        }
    }
}

fn loading() {
    println!("\nloading: peak heap while loading, against the text");
    // The built-in Public Suffix List is parsed on first use and kept: not a
    // policy's cost.
    drop(Policy::from_toml_str("version = 1"));
    let limits = SizeLimits::default();
    let (t, peak, _) = load("version = 1", true, &limits);
    println!(
        "  an empty policy: {} B of heap at the peak, {}",
        peak,
        ms(t)
    );
    for kind in [
        "rules",
        "complaints",
        "tracking",
        "platform domains",
        "tiers",
        "values in one item",
        "inline tables in one item",
    ] {
        for n in [10_000, 100_000] {
            let (toml, json) = texts(n, kind);
            for (text, is_toml) in [(&toml, true), (&json, false)] {
                let (t, peak, ok) = load(text, is_toml, &limits);
                println!(
                    "  {n} {kind}, {}: {:.2} MB of text, loaded{} in {}; peak {:.1} MB, {:.1}x the text",
                    if is_toml { "TOML" } else { "JSON" },
                    text.len() as f64 / 1e6,
                    if ok { "" } else { " (refused)" },
                    ms(t),
                    peak as f64 / 1e6,
                    peak as f64 / text.len() as f64,
                );
            }
        }
    }
}

/// `toml_problems` / `json_problems` (what `linkpolicy check` runs) on texts
/// with a shape error: they read the whole text into a tree, unless the tree
/// would be too heavy, then they report the first problem only.
fn problems() {
    println!("\nevery problem at once (`check`): peak heap, against the text");
    for kind in ["values in one item", "inline tables in one item", "rules"] {
        for n in [10_000, 100_000] {
            let (mut toml, mut json) = texts(n, kind);
            if kind == "rules" {
                // One misspelt field in the first rule: a shape error.
                toml = toml.replacen("action =", "acton =", 1);
                json = json.replacen("\"action\"", "\"acton\"", 1);
            }
            for (text, is_toml) in [(&toml, true), (&json, false)] {
                let before = live();
                PEAK.store(before, Relaxed);
                let t = Instant::now();
                let found = if is_toml {
                    linkpolicy::PolicyBuilder::toml_problems(text)
                } else {
                    linkpolicy::PolicyBuilder::json_problems(text)
                };
                let time = t.elapsed();
                let peak = PEAK.load(Relaxed) - before;
                println!(
                    "  {n} {kind}, {}: {:.2} MB of text, {} problem(s) in {}; peak {:.1} MB, {:.1}x the text",
                    if is_toml { "TOML" } else { "JSON" },
                    text.len() as f64 / 1e6,
                    found.len(),
                    ms(time),
                    peak as f64 / 1e6,
                    peak as f64 / text.len() as f64,
                );
            }
        }
    }
}

fn regexes() {
    println!("\nregex compile work: 200 rules of `\\w{{100}}N` (11.6 KB), default limits");
    let mut text = String::from("version = 1\n");
    for i in 0..200 {
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\naction = \"block\"\nregex = '\\w{{100}}N'\n"
        ));
    }
    let (t, peak, ok) = load(&text, true, &SizeLimits::default());
    println!(
        "  {} in {}, peak {:.1} MB",
        if ok { "loaded" } else { "refused" },
        ms(t),
        peak as f64 / 1e6
    );
    let e = Policy::from_toml_str(&text).err();
    if let Some(e) = e {
        println!("  first error: {e}");
    }
}

/// The median time per link over `rounds` rounds of `passes` passes.
fn per_link_time(policy: &Policy, links: &[&str], ctx: &Context, items: usize) -> f64 {
    let rounds = 15;
    let passes = (2_000_000 / items.max(1_000)).clamp(1, 2_000);
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..passes {
                for link in links {
                    black_box(policy.classify(black_box(link), ctx));
                }
            }
            t.elapsed().as_secs_f64() * 1e9 / (passes * links.len()) as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(rounds / 2).copied().unwrap_or(0.0)
}

fn per_link() {
    println!("\nper link: classify, median ns a link over 15 rounds (flat is the goal)");
    let links = [
        "https://a.example/p?utm_source=x&id=1&t99999_q=1&spm=2&fbclid=3&page=4",
        "https://shop.example/item/1.html?from=share&t5_x=1",
        "https://news.example/",
    ];
    let ctx = Context::one_to_one();
    for n in [100, 1_000, 10_000, 100_000] {
        let params: Vec<String> = (0..n).map(|i| format!("\"t{i}_*\"")).collect();
        let text = format!(
            "version = 1\n[tracking]\nparams = [{}]\n",
            params.join(", ")
        );
        let p = Policy::from_toml_str(&text).unwrap_or_else(|e| panic!("{e}"));
        println!(
            "  {n:>7} tracking prefixes: {:.0} ns",
            per_link_time(&p, &links, &ctx, 1)
        );
    }
    let group = Context::group(50)
        .with_user("alice")
        .with_client_version("8.0.16")
        .with_now(1_635_724_800);
    let mut limits = SizeLimits::default();
    limits.max_phases = 100_000;
    for n in [100, 1_000, 10_000, 100_000] {
        let mut text = String::from("version = 1\n");
        for i in 0..n {
            // Gates that read the user's bucket, and fail for most users.
            text.push_str(&format!(
                "[[phase]]\nid = \"p{i}\"\nrollout = {{ percent = 1, min_client = \"8.0.1\" }}\ndefaults = {{ group = \"warn\" }}\n"
            ));
        }
        let p = Policy::from_toml_str_with_limits(&text, &limits).unwrap_or_else(|e| panic!("{e}"));
        println!(
            "  {n:>7} phases{}: {:.0} ns",
            if n > SizeLimits::default().max_phases {
                " (over the default limit)"
            } else {
                ""
            },
            per_link_time(&p, &links, &group, n)
        );
    }
}
