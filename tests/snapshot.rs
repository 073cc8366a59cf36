//! Snapshots (issue #18): a policy loaded from its snapshot gives the verdicts of
//! the policy it was written from, JSON for JSON; damaged and crafted bytes give
//! an error or well-formed verdicts, never a panic.

use linkpolicy::{
    Action, Category, Complaint, Context, ErrorKind, List, ListFormat, Policy, SAMPLE_POLICY,
    Threshold, snapshot,
};
use proptest::prelude::*;

use crate::reference::{DOMAINS, HOSTS};

/// `policy` written to a snapshot and loaded back, checked to be the same policy.
pub(crate) fn reloaded(policy: &Policy) -> Policy {
    let bytes = policy.to_snapshot();
    let loaded = match Policy::from_snapshot(bytes.clone()) {
        Ok(p) => p,
        Err(e) => panic!("the snapshot does not load: {e}"),
    };
    assert_eq!(loaded.revision(), policy.revision());
    assert_eq!(loaded.rule_count(), policy.rule_count());
    assert_eq!(
        loaded.warnings().collect::<Vec<_>>(),
        policy.warnings().collect::<Vec<_>>()
    );
    // A loaded policy writes the snapshot it was loaded from.
    assert!(
        loaded.to_snapshot() == bytes,
        "a loaded policy writes other bytes"
    );
    loaded
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A list's text in one of the formats, of the vocabulary's domains and hosts.
fn list() -> impl Strategy<Value = (ListFormat, Action, String)> {
    (
        prop::sample::select(vec![
            ListFormat::Domains,
            ListFormat::Hosts,
            ListFormat::Adblock,
        ]),
        prop::sample::select(vec![Action::Allow, Action::Warn, Action::Block]),
        prop::collection::vec(
            (
                prop::sample::select(DOMAINS.iter().chain(HOSTS).copied().collect::<Vec<_>>()),
                0u8..4,
            ),
            0..6,
        ),
    )
        .prop_map(|(format, action, entries)| {
            let text = entries
                .iter()
                .map(|(d, shape)| match (format, shape) {
                    (ListFormat::Hosts, _) => format!("0.0.0.0 {d}"),
                    (ListFormat::Adblock, 0) => format!("@@||{d}^"),
                    (ListFormat::Adblock, _) => format!("||{d}^"),
                    (_, 0) => format!("# {d}"),
                    _ => (*d).to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            (format, action, text)
        })
}

proptest! {
    #![proptest_config(config(1000))]

    /// For random policies (the reference evaluator's generator, with random
    /// lists) and random links and contexts, the built policy and its snapshot,
    /// loaded and given the same complaint counts, give identical verdicts.
    #[test]
    fn snapshot_verdicts_are_the_built_policys(
        p in crate::reference::policy(),
        lists in prop::collection::vec(list(), 0..3),
        links in prop::collection::vec(crate::reference::link(), 1..6),
        odd in prop::collection::vec(crate::props::link(), 0..4),
        c in crate::reference::context(),
    ) {
        let mut b = crate::reference::builder(&p);
        for (i, (format, action, text)) in lists.iter().enumerate() {
            b.list(List::new(format!("l{i}"), *format, *action));
            b.list_text(format!("l{i}"), text.clone());
        }
        let built = b.build().unwrap();
        let loaded = reloaded(&built).with_complaints(p.complaint_rows()).unwrap();
        let ctx = c.context();
        for l in links.iter().map(|l| l.text.as_str()).chain(odd.iter().map(String::as_str)) {
            prop_assert_eq!(
                built.classify(l, &ctx).to_json(),
                loaded.classify(l, &ctx).to_json(),
                "link {:?}", l
            );
        }
    }
}

fn sample_snapshot() -> Vec<u8> {
    let mut b = linkpolicy::PolicyBuilder::from_toml_str(SAMPLE_POLICY).unwrap();
    b.list(List::new("phish", ListFormat::Domains, Action::Block))
        .list_text("phish", "evil.example\nphish.test\n");
    b.build().unwrap().to_snapshot()
}

/// Whether a verdict holds together: a hard allow comes only from a rule (an
/// adblock `@@…$important` exception decides so on a built policy too); every
/// built-in check that is hard warns or blocks.
fn holds_together(v: &linkpolicy::Verdict) -> bool {
    !(v.is_hard() && v.action() == Action::Allow) || v.reason().is_some_and(|r| r.kind() == "rule")
}

/// Every verdict of a policy loaded from mutated bytes is well formed: it
/// serializes, and holds together.
fn well_formed(policy: &Policy) {
    for link in [
        "https://item.jd.com/1.html",
        "https://evil.example/",
        "javascript:alert(1)",
        "http://127.0.0.1/",
        "weixin://dl/chat",
    ] {
        for ctx in [Context::one_to_one(), Context::group(300)] {
            let v = policy.classify(link, &ctx);
            let json = v.to_json();
            assert!(json.starts_with('{'), "{json}");
            assert!(holds_together(&v), "{json}");
        }
    }
}

proptest! {
    #![proptest_config(config(400))]

    /// A real snapshot cut short, bit-flipped or overwritten: an error of a
    /// snapshot kind, or (for a change that keeps the bytes intact, which the
    /// checksum catches) a policy whose verdicts are well formed. Never a panic.
    #[test]
    fn mutated_snapshots_are_refused_or_well_formed(
        cut in prop::option::weighted(0.3, any::<prop::sample::Index>()),
        flips in prop::collection::vec((any::<prop::sample::Index>(), 0u8..8), 0..4),
        overwrite in prop::option::weighted(0.2, (any::<prop::sample::Index>(), any::<u64>())),
    ) {
        let mut bytes = sample_snapshot();
        let original = bytes.clone();
        if let Some(c) = cut {
            bytes.truncate(c.index(bytes.len()));
        }
        for (at, bit) in &flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] ^= 1 << bit;
            }
        }
        if let Some((at, v)) = overwrite {
            if bytes.len() >= 8 {
                let i = at.index(bytes.len() - 7);
                bytes[i..i + 8].copy_from_slice(&v.to_le_bytes());
            }
        }
        match Policy::from_snapshot(bytes.clone()) {
            Ok(p) => {
                // Loading checks the head checksum; a change in the list table,
                // read in place, is found by `verify`.
                if bytes != original {
                    prop_assert!(snapshot::verify(&bytes).is_err());
                }
                well_formed(&p);
            }
            Err(e) => prop_assert!(
                matches!(e.kind(), ErrorKind::CorruptSnapshot | ErrorKind::UnsupportedSnapshot),
                "{:?}: {}", e.kind(), e
            ),
        }
    }

    /// Mutations that fix the checksum up again (what a crafted snapshot can
    /// do): an error, or well-formed verdicts.
    #[test]
    fn crafted_snapshots_with_a_good_checksum_are_refused_or_well_formed(
        flips in prop::collection::vec((any::<prop::sample::Index>(), 0u8..8), 1..4),
    ) {
        let mut bytes = sample_snapshot();
        for (at, bit) in &flips {
            let i = 32 + at.index(bytes.len() - 32);
            bytes[i] ^= 1 << bit;
        }
        let bytes = with_checksum_fixed(bytes);
        if let Ok(p) = Policy::from_snapshot(bytes) {
            well_formed(&p);
        }
    }
}

/// Recomputes a snapshot's checksums, as a forger would.
fn with_checksum_fixed(mut bytes: Vec<u8>) -> Vec<u8> {
    snapshot::reseal(&mut bytes);
    bytes
}

#[test]
fn another_format_version_is_a_typed_error() {
    let bytes = sample_snapshot();
    let ours = snapshot::FORMAT_VERSION;
    for version in [1u32, ours - 1, ours + 1] {
        let mut bytes = bytes.clone();
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        let bytes = with_checksum_fixed(bytes);
        let e = Policy::from_snapshot(bytes).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnsupportedSnapshot);
        assert!(
            e.to_string().contains(&format!("format version {version}")),
            "{e}"
        );
    }
    // Even cut to its first 12 bytes, the version is read and named.
    let mut short = sample_snapshot();
    short.truncate(12);
    short[8..12].copy_from_slice(&7u32.to_le_bytes());
    let e = Policy::from_snapshot(short).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnsupportedSnapshot);
}

#[test]
fn text_is_not_a_snapshot() {
    assert!(!snapshot::is_snapshot(SAMPLE_POLICY.as_bytes()));
    let e = Policy::from_snapshot(SAMPLE_POLICY.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CorruptSnapshot);
    assert!(e.to_string().contains("not a snapshot"), "{e}");
    let e = Policy::from_snapshot(Vec::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CorruptSnapshot);
}

#[test]
fn every_truncation_is_refused() {
    let bytes = sample_snapshot();
    for n in 0..bytes.len() {
        let e = Policy::from_snapshot(&bytes[..n]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CorruptSnapshot, "cut at {n}: {e}");
    }
    let mut padded = bytes.clone();
    padded.push(0);
    let e = Policy::from_snapshot(padded).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CorruptSnapshot);
}

#[test]
fn the_header_names_the_policy() {
    let bytes = sample_snapshot();
    let info = snapshot::info(&bytes).unwrap();
    let policy = Policy::from_snapshot(bytes.clone()).unwrap();
    assert_eq!(info.revision, policy.revision());
    assert_eq!(info.format_version, snapshot::FORMAT_VERSION);
    assert_eq!(info.crate_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.len, bytes.len());
    assert_eq!(&bytes[..8], &snapshot::MAGIC);
    // The same policy writes the same bytes.
    assert_eq!(sample_snapshot(), bytes);
}

#[test]
fn complaint_counts_stay_out_and_work_on_a_loaded_policy() {
    let mut b = Policy::builder();
    b.complaint_threshold(Category::Fraud, Threshold::new(Some(2), Some(5)))
        .complaint(Complaint::new("spam.example", Category::Fraud, 9));
    let built = b.build().unwrap();
    let ctx = Context::one_to_one();
    assert_eq!(
        built.classify("https://spam.example/", &ctx).action(),
        Action::Block
    );
    let loaded = reloaded(&built);
    assert_eq!(loaded.complaint_count("spam.example", Category::Fraud), 0);
    assert_eq!(
        loaded.classify("https://spam.example/", &ctx).action(),
        Action::Warn
    );
    let counted = loaded
        .with_complaints([Complaint::new("spam.example", Category::Fraud, 9)])
        .unwrap();
    assert_eq!(
        counted.classify("https://spam.example/", &ctx).to_json(),
        built.classify("https://spam.example/", &ctx).to_json()
    );
}

#[test]
fn a_custom_public_suffix_list_travels_with_the_snapshot() {
    let psl = linkpolicy::PublicSuffixList::from_dat(
        "// VERSION: test\n// ===BEGIN ICANN DOMAINS===\nexample\nco.example\n// ===END ICANN DOMAINS===\n",
    )
        .unwrap();
    let mut b = Policy::builder();
    b.public_suffix_list(std::sync::Arc::new(psl));
    let built = b.build().unwrap();
    let loaded = reloaded(&built);
    assert_eq!(
        loaded
            .public_suffix_list()
            .registrable_domain("a.b.co.example"),
        Some("b.co.example")
    );
    assert_eq!(loaded.public_suffix_list().version(), Some("test"));
}

#[test]
fn a_million_domain_list_round_trips() {
    // Smaller than the perf figures' million, to keep the test quick; the
    // snapshot of a domains list costs its text plus a constant.
    let text: String = (0..20_000)
        .map(|i| format!("phish-{i}.example\n"))
        .collect();
    let mut b = Policy::builder();
    b.list(List::new("feed", ListFormat::Domains, Action::Block))
        .list_text("feed", text.clone());
    let built = b.build().unwrap();
    let bytes = built.to_snapshot();
    assert!(bytes.len() < text.len() + 1024, "{} bytes", bytes.len());
    let loaded = reloaded(&built);
    let ctx = Context::one_to_one();
    for l in [
        "https://phish-19999.example/",
        "https://phish-20000.example/",
    ] {
        assert_eq!(
            loaded.classify(l, &ctx).to_json(),
            built.classify(l, &ctx).to_json()
        );
    }
}

/// A policy with a list of `n` domains (`d{i}.example`), one of them exempt,
/// and an adblock list with a URL prefix and a regex beside it.
fn listed(n: usize) -> Policy {
    let text: String = (0..n).map(|i| format!("d{i}.example\n")).collect();
    let mut b = Policy::builder();
    b.list(List::new("feed", ListFormat::Domains, Action::Block))
        .list_text("feed", text)
        .list(List::new("ads", ListFormat::Adblock, Action::Warn))
        .list_text(
            "ads",
            "||d1.example^$important\n@@||d2.example^\n|https://d3.example/x\n/d4\\.example\\/[0-9]+/\n##.banner\n",
        );
    b.build().unwrap()
}

/// Where the `LDOM` table starts, from the directory.
fn list_table_start(bytes: &[u8]) -> usize {
    let tables = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    (0..tables)
        .map(|i| 64 + 24 * i)
        .find(|&at| &bytes[at..at + 4] == b"LDOM")
        .map(|at| u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap()) as usize)
        .expect("a list table")
}

#[test]
fn list_entries_of_every_kind_agree_with_the_built_policy() {
    let built = listed(3000);
    let loaded = reloaded(&built);
    for ctx in [Context::one_to_one(), Context::group(300)] {
        for i in [0, 1, 2, 3, 4, 5, 2999, 3000] {
            for link in [
                format!("https://d{i}.example/"),
                format!("https://www.d{i}.example/x/12"),
                format!("http://a.b.d{i}.example"),
                format!("https://d{i}.example.evil/"),
            ] {
                assert_eq!(
                    built.classify(&link, &ctx).to_json(),
                    loaded.classify(&link, &ctx).to_json(),
                    "{link}"
                );
            }
        }
    }
    assert_eq!(
        loaded
            .classify("https://d1.example/", &Context::one_to_one())
            .action(),
        Action::Block
    );
}

#[test]
fn a_domain_listed_past_a_buckets_room_keeps_its_lists_whole() {
    // 1,500 copies of one domain cannot share a bucket of the table: the
    // snapshot keeps the lists as entries compiled at load, with the same verdicts.
    let text = "same.example\n".repeat(1500) + "other.example\n";
    let mut b = Policy::builder();
    b.list(List::new("feed", ListFormat::Domains, Action::Warn))
        .list_text("feed", text);
    let built = b.build().unwrap();
    let bytes = built.to_snapshot();
    assert!(!bytes.windows(4).any(|w| w == b"LDOM"));
    let loaded = reloaded(&built);
    let ctx = Context::one_to_one();
    for l in [
        "https://same.example/",
        "https://other.example/",
        "https://x.example/",
    ] {
        assert_eq!(
            built.classify(l, &ctx).to_json(),
            loaded.classify(l, &ctx).to_json()
        );
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// The list table is read in place and outside the head checksum: any
    /// change to it (here resealed or not) still loads, and every verdict is
    /// well formed and comes in bounded time; `verify` finds the change.
    #[test]
    fn a_damaged_list_table_gives_well_formed_verdicts(
        writes in prop::collection::vec((any::<prop::sample::Index>(), any::<u32>()), 1..6),
        reseal in any::<bool>(),
    ) {
        let built = listed(400);
        let original = built.to_snapshot();
        let mut bytes = original.clone();
        let start = list_table_start(&bytes);
        for (at, v) in &writes {
            let i = start + at.index(bytes.len() - start - 3);
            bytes[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
        if reseal {
            snapshot::reseal(&mut bytes);
        }
        match Policy::from_snapshot(bytes.clone()) {
            Ok(p) => {
                let began = std::time::Instant::now();
                for i in 0..50 {
                    for ctx in [Context::one_to_one(), Context::group(300)] {
                        let v = p.classify(&format!("https://www.d{i}.example/"), &ctx);
                        prop_assert!(v.to_json().starts_with('{'), "not JSON");
                        // A damaged entry may turn into any entry, an
                        // important exception too: `verify` is what finds it.
                        prop_assert!(holds_together(&v), "{}", v.to_json());
                    }
                }
                prop_assert!(began.elapsed() < std::time::Duration::from_secs(2));
                if bytes != original {
                    prop_assert!(reseal || snapshot::verify(&bytes).is_err());
                }
            }
            // A change to the table's header is refused at load.
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::CorruptSnapshot),
        }
    }
}

#[test]
fn the_fuzz_seeds_are_snapshots_of_this_format() {
    // Each seed is a flag byte and a snapshot. LINKPOLICY_WRITE_SEEDS=1 writes
    // them again from the policies they are of.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/snapshot");
    let psl = linkpolicy::PublicSuffixList::from_dat(
        "// VERSION: seed\n// ===BEGIN ICANN DOMAINS===\nexample\nco.example\n*.ck\n!www.ck\n// ===END ICANN DOMAINS===\n",
    )
    .unwrap();
    let mut custom = Policy::builder();
    custom
        .public_suffix_list(std::sync::Arc::new(psl))
        .list(List::new("feed", ListFormat::Hosts, Action::Block))
        .list_text(
            "feed",
            "0.0.0.0 a.co.example\n0.0.0.0 b.ck\n127.0.0.1 1.2.3.4\n",
        );
    let seeds = [
        ("sample-raw", 0u8, sample_snapshot()),
        ("sample-fixed", 1, sample_snapshot()),
        ("custom-psl", 1, custom.build().unwrap().to_snapshot()),
    ];
    for (name, flag, bytes) in seeds {
        let path = dir.join(name);
        let mut seed = vec![flag];
        seed.extend_from_slice(&bytes);
        if std::env::var_os("LINKPOLICY_WRITE_SEEDS").is_some() {
            std::fs::write(&path, &seed).unwrap();
        }
        let Ok(on_disk) = std::fs::read(&path) else {
            // The packaged crate has no fuzz folder.
            continue;
        };
        assert!(
            on_disk == seed,
            "fuzz/seeds/snapshot/{name} is not this crate's snapshot: \
             LINKPOLICY_WRITE_SEEDS=1 cargo test --test lib fuzz_seeds"
        );
        assert!(Policy::from_snapshot(on_disk[1..].to_vec()).is_ok());
    }
}
