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

/// Classify timings: pairs of passes over the links, `a` and `b` in turn.
const PAIRS: usize = 41;

/// The median ns per link of `a` and of `b` over [`PAIRS`] pairs of `passes`
/// passes over `links`, the two measured in turn in each pair (the first of a
/// pair alternating) so that both see the same machine load, and the median
/// of the pairs' ratios `b / a` (steadier than the ratio of the medians when
/// the load changes).
fn per_link(
    passes: usize,
    links: &[String],
    a: impl Fn(&str),
    b: impl Fn(&str),
) -> (f64, f64, f64) {
    let time = |f: &dyn Fn(&str)| {
        let t = Instant::now();
        for _ in 0..passes {
            for l in links {
                f(l);
            }
        }
        t.elapsed().as_secs_f64() * 1e9 / (passes * links.len()).max(1) as f64
    };
    // Warm both: lazy statics, caches, the first touch of the loaded bytes.
    time(&a);
    time(&b);
    let (mut va, mut vb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..PAIRS {
        let (ta, tb) = if i % 2 == 0 {
            let ta = time(&a);
            (ta, time(&b))
        } else {
            let tb = time(&b);
            (time(&a), tb)
        };
        va.push(ta);
        vb.push(tb);
        ratios.push(tb / ta);
    }
    (median(va), median(vb), median(ratios))
}

/// The median times of `rounds` loads of a snapshot and of `rounds` verifies,
/// and the last policy loaded. Every policy is kept until all are loaded, so
/// that no timing drops the one before.
fn loads(shared: &std::sync::Arc<[u8]>, rounds: usize) -> (f64, f64, Option<Policy>) {
    let mut all = Vec::new();
    let mut times = Vec::new();
    for _ in 0..rounds {
        let copy = shared.clone();
        let mut one = None;
        times.push(time_ms(|| {
            one = Some(Policy::from_snapshot(copy).unwrap_or_else(|e| panic!("{e}")))
        }));
        all.push(one);
    }
    let verify = median(
        (0..rounds)
            .map(|_| time_ms(|| drop(black_box(linkpolicy::snapshot::verify(shared)))))
            .collect(),
    );
    (median(times), verify, all.pop().flatten())
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
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
            "target/snapshot-{}-{}.lpsnap",
            if name.contains("alone") {
                "list"
            } else {
                "sample"
            },
            domains.len()
        ));
        if std::fs::write(&file, &bytes).is_ok() {
            println!("wrote {} (for `--load`)", file.display());
        }
        // The bytes as an app holds them once read: `from_snapshot` keeps this
        // `Arc` and reads the list table in place (a `Vec` would be copied into
        // one first, once, as any owner of the bytes would).
        let shared: std::sync::Arc<[u8]> = bytes.clone().into();
        let (load, verify, loaded) = loads(&shared, rounds);
        let Some(loaded) = loaded else { return };
        let (cb, cl, ratio) = per_link(
            5,
            &links,
            |l| {
                black_box(built.classify(l, &ctx));
            },
            |l| {
                black_box(loaded.classify(l, &ctx));
            },
        );
        let build = median(builds);
        println!(
            "linkpolicy, {name}, {} domains: list text {:.2} MB; snapshot {:.2} MB ({:.1} B a domain); build {build:.1} ms, load {load:.3} ms ({:.0}x faster; `verify`, reading every byte, {verify:.2} ms); classify built {cb:.0} ns, loaded {cl:.0} ns (median ratio of {PAIRS} pairs {ratio:.3}x)",
            domains.len(),
            text.len() as f64 / 1e6,
            bytes.len() as f64 / 1e6,
            bytes.len() as f64 / domains.len().max(1) as f64,
            build / load,
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
    let (cb, cl, _) = per_link(
        5,
        &links,
        |l| check(&engine, l),
        |l| check(&loaded, l),
    );
    let (build, load) = (median(builds), median(loads));
    println!(
        "adblock-rust, {} `||domain^` rules: serialized {:.2} MB ({:.1} B a rule); build {build:.1} ms, deserialize {load:.3} ms{} ({:.1}x faster); check built {cb:.0} ns, deserialized {cl:.0} ns",
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

/// `--load FILE`: the median time of `Policy::from_snapshot` on the file's bytes
/// (already in an `Arc`), in a process that has built nothing, and of
/// `snapshot::verify`.
pub(crate) fn load(file: &std::path::Path, rounds: usize) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let shared: std::sync::Arc<[u8]> = bytes.into();
    // The built-in Public Suffix List is parsed once per process: not a load's cost.
    drop(Policy::builder().build());
    let (load, verify, loaded) = loads(&shared, rounds);
    println!(
        "{}: {:.2} MB, {} rules and entries; load {:.3} ms (median of {rounds}), verify {verify:.2} ms",
        file.display(),
        shared.len() as f64 / 1e6,
        loaded.as_ref().map_or(0, Policy::rule_count),
        load,
    );
}
