//! `--snapshot`: snapshots (issue #18) side by side with adblock-rust's
//! serialized engine: size, load time and classify time, for the sample-like
//! policy with a `domains` list of N domains, and for the list alone.

use std::hint::black_box;
use std::time::Instant;

use linkpolicy::{Context, Policy};

use crate::data;
use crate::median;

fn time_ms(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1e3
}

/// Median ns per link of `passes` passes over `links`, over `rounds` rounds,
/// for `a` and `b`, measured in turn in each round (so that both see the same
/// machine load).
fn per_link(
    rounds: usize,
    passes: usize,
    links: &[String],
    a: impl Fn(&str),
    b: impl Fn(&str),
) -> (f64, f64) {
    let time = |f: &dyn Fn(&str)| {
        let t = Instant::now();
        for _ in 0..passes {
            for l in links {
                f(l);
            }
        }
        t.elapsed().as_secs_f64() * 1e9 / (passes * links.len()).max(1) as f64
    };
    let (mut va, mut vb) = (Vec::new(), Vec::new());
    for i in 0..rounds * 2 {
        if i % 2 == 0 {
            va.push(time(&a));
            vb.push(time(&b));
        } else {
            vb.push(time(&b));
            va.push(time(&a));
        }
    }
    (median(va), median(vb))
}

pub(crate) fn run(data: &mut data::Data, n: usize, platforms: usize, rounds: usize) {
    let p = data.platforms(platforms);
    let domains = data.domains(n);
    let links = data.links(1_000, &domains, &p);
    for note in data.notes() {
        println!("{note}");
    }
    let text = data::list_text(&domains);
    // The built-in Public Suffix List is parsed once per process: not a load's cost.
    drop(Policy::builder().build());
    let ctx = Context::one_to_one();

    for (name, make) in [
        (
            "the sample policy + platforms + list",
            Box::new(|| {
                data::sample_builder(&p, Some(text.clone()))
                    .unwrap_or_else(|e| panic!("the sample policy does not load: {e}"))
            }) as Box<dyn Fn() -> linkpolicy::PolicyBuilder>,
        ),
        (
            "the list alone",
            Box::new(|| data::list_only_builder(text.clone())),
        ),
    ] {
        let mut builds = Vec::new();
        let mut policy = None;
        for _ in 0..rounds {
            let b = make();
            builds.push(time_ms(|| {
                policy = Some(b.build().unwrap_or_else(|e| panic!("{e}")))
            }));
        }
        let Some(built) = policy else { return };
        let bytes = built.to_snapshot();
        let mut loads = Vec::new();
        let mut loaded = None;
        for _ in 0..rounds {
            let copy = bytes.clone();
            loads.push(time_ms(|| {
                loaded = Some(Policy::from_snapshot(copy).unwrap_or_else(|e| panic!("{e}")))
            }));
        }
        let Some(loaded) = loaded else { return };
        let (cb, cl) = per_link(
            rounds,
            5,
            &links,
            |l| {
                black_box(built.classify(l, &ctx));
            },
            |l| {
                black_box(loaded.classify(l, &ctx));
            },
        );
        let (build, load) = (median(builds), median(loads));
        println!(
            "linkpolicy, {name}, {} domains: list text {:.2} MB; snapshot {:.2} MB ({:.1} B a domain); build {build:.1} ms, load {load:.1} ms ({:.1}x faster); classify built {cb:.0} ns, loaded {cl:.0} ns ({:.2}x)",
            domains.len(),
            text.len() as f64 / 1e6,
            bytes.len() as f64 / 1e6,
            bytes.len() as f64 / domains.len().max(1) as f64,
            build / load,
            cl / cb,
        );
    }

    // adblock-rust: the same domains as `||domain^` rules.
    let rules: Vec<String> = domains.iter().map(|d| format!("||{d}^")).collect();
    let mut builds = Vec::new();
    let mut engine = None;
    for _ in 0..rounds.min(3) {
        builds.push(time_ms(|| {
            let mut set = adblock::lists::FilterSet::new(false);
            set.add_filter_list(rules.join("\n"), adblock::lists::ParseOptions::default());
            engine = Some(adblock::Engine::new_with_filter_set(set));
        }));
    }
    let Some(engine) = engine else { return };
    let bytes = engine.serialize();
    let mut loads = Vec::new();
    let mut ok = true;
    for _ in 0..rounds {
        let mut e = adblock::Engine::default();
        loads.push(time_ms(|| ok &= e.deserialize(&bytes).is_ok()));
        black_box(&e);
    }
    let check = |e: &adblock::Engine, l: &str| {
        if let Ok(r) = adblock::request::Request::new(l, "https://chat.example/", "document", "GET")
        {
            black_box(e.check_network_request(&r));
        }
    };
    let mut loaded = adblock::Engine::default();
    let loaded_ok = loaded.deserialize(&bytes).is_ok();
    let (cb, cl) = per_link(
        rounds,
        5,
        &links,
        |l| check(&engine, l),
        |l| check(&loaded, l),
    );
    let (build, load) = (median(builds), median(loads));
    println!(
        "adblock-rust, {} `||domain^` rules: serialized {:.2} MB ({:.1} B a rule); build {build:.1} ms, deserialize {load:.1} ms{} ({:.1}x faster); check built {cb:.0} ns, deserialized {cl:.0} ns",
        domains.len(),
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / domains.len().max(1) as f64,
        if ok && loaded_ok {
            ""
        } else {
            " (FAILED: it cannot load its own file)"
        },
        build / load,
    );
}
