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
    let loaded = match Policy::from_snapshot(bytes) {
        Ok(p) => p,
        Err(e) => panic!("the snapshot does not load: {e}"),
    };
    assert_eq!(loaded.revision(), policy.revision());
    assert_eq!(loaded.rule_count(), policy.rule_count());
    assert_eq!(
        loaded.warnings().collect::<Vec<_>>(),
        policy.warnings().collect::<Vec<_>>()
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

/// Every verdict of a policy loaded from mutated bytes is well formed: it
/// serializes, and a hard verdict is never an allow.
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
            assert!(!(v.is_hard() && v.action() == Action::Allow), "{json}");
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
                // Only unchanged bytes pass the checksum here.
                prop_assert_eq!(&bytes, &original);
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

/// Recomputes a snapshot's checksum, as a forger would.
fn with_checksum_fixed(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = snapshot::checksum(&bytes);
    if bytes.len() >= 32 {
        bytes[24..32].copy_from_slice(&sum.to_le_bytes());
    }
    bytes
}

#[test]
fn another_format_version_is_a_typed_error() {
    let mut bytes = sample_snapshot();
    bytes[8..12].copy_from_slice(&2u32.to_le_bytes());
    let bytes = with_checksum_fixed(bytes);
    let e = Policy::from_snapshot(bytes).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnsupportedSnapshot);
    assert!(e.to_string().contains("format version 2"), "{e}");
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
