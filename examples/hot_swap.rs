//! Hot swap: replacing the policy of a running service without locks on the
//! classify path (issue #18).
//!
//! The service holds its policy in an `arc_swap::ArcSwap<Policy>`. Each request
//! reads the current policy with `load()` (a few atomic operations, no lock, no
//! reference count traffic on the hot path) and classifies with it; a refresh
//! task loads a new snapshot and `store()`s it. Requests in flight keep the
//! policy they started with; the next ones see the new one. A snapshot that does
//! not load is refused and the old policy stays.
//!
//! ```text
//! cargo run --example hot_swap
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use linkpolicy::{Action, Context, List, ListFormat, Policy, SAMPLE_POLICY};

/// The snapshot a policy server would ship: the sample policy with a block list.
fn compile(blocked: &[&str]) -> Result<Vec<u8>, linkpolicy::Error> {
    let mut b = linkpolicy::PolicyBuilder::from_toml_str(SAMPLE_POLICY)?;
    b.list(List::new("blocked", ListFormat::Domains, Action::Block))
        .list_text("blocked", blocked.join("\n"));
    Ok(b.build()?.to_snapshot())
}

/// Loads a snapshot and, when it loads, makes it the current policy.
fn refresh(current: &ArcSwap<Policy>, bytes: Vec<u8>) -> Result<u64, linkpolicy::Error> {
    let policy = Policy::from_snapshot(bytes)?;
    let revision = policy.revision();
    current.store(Arc::new(policy));
    Ok(revision)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let first = Policy::from_snapshot(compile(&["old-phish.example"])?)?;
    println!("serving revision {:016x}", first.revision());
    let current = Arc::new(ArcSwap::from_pointee(first));
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicU64::new(0));
    let new_blocked = Arc::new(AtomicU64::new(0));

    // Request threads: classify with whatever policy is current.
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (current, stop) = (Arc::clone(&current), Arc::clone(&stop));
            let (served, new_blocked) = (Arc::clone(&served), Arc::clone(&new_blocked));
            thread::spawn(move || {
                let ctx = Context::group(250);
                while !stop.load(Ordering::Relaxed) {
                    // `load` is lock-free; the guard keeps this policy alive for
                    // the request even if a refresh replaces it meanwhile.
                    let policy = current.load();
                    let v = policy.classify("https://new-phish.example/login", &ctx);
                    if v.rule_ids().any(|id| id.as_str().starts_with("blocked:")) {
                        new_blocked.fetch_add(1, Ordering::Relaxed);
                    }
                    served.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    thread::sleep(Duration::from_millis(100));
    // A damaged download is refused; the service keeps its policy.
    let mut damaged = compile(&["new-phish.example"])?;
    if let Some(b) = damaged.last_mut() {
        *b ^= 0xff;
    }
    match refresh(&current, damaged) {
        Ok(_) => return Err("a damaged snapshot was accepted".into()),
        Err(e) => println!("refused a damaged snapshot ({:?}): {e}", e.kind()),
    }
    let before = new_blocked.load(Ordering::Relaxed);

    // The real update.
    let started = Instant::now();
    let revision = refresh(
        &current,
        compile(&["old-phish.example", "new-phish.example"])?,
    )?;
    println!(
        "now serving revision {revision:016x} (loaded and swapped in {:?})",
        started.elapsed()
    );
    thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().map_err(|_| "a worker panicked")?;
    }
    let after = new_blocked.load(Ordering::Relaxed);
    println!(
        "{} requests served; new-phish.example blocked by the list {before} times before the swap, {} after",
        served.load(Ordering::Relaxed),
        after - before
    );
    if before != 0 || after == before {
        return Err("the swap did not take effect as expected".into());
    }
    Ok(())
}
