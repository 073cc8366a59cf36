//! Arbitrary bytes as a chat message (UTF-8, bad sequences replaced), against the
//! sample policy in a one-to-one chat: `Policy::scan` never panics; every link
//! found is a slice of the message on character boundaries, in order and not
//! overlapping, whose UTF-16 offsets slice the same text, and whose verdict is
//! what `classify` gives its text (`mailto:` and the text for a bare e-mail
//! address); and scanning is linear in the message: the message repeated 32
//! times takes at most a bounded multiple of 32 times as long (the best of three
//! timings each, with a little slack for the clock).
//!
//! The same checks replay `tests/data/fuzz/scan/` in `tests/scan.rs`; change both
//! together.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use linkpolicy::{Context, FoundLink, LinkKind};
use linkpolicy_fuzz::SAMPLE;

/// Inputs longer than this are cut: the repetition must stay quick.
const MAX_BYTES: usize = 4096;

/// How many copies the linearity check scans.
const COPIES: u32 = 32;

fn classified(link: &FoundLink) -> String {
    if link.kind() == LinkKind::Email && !link.text.to_ascii_lowercase().starts_with("mailto:") {
        format!("mailto:{}", link.text)
    } else {
        link.text.clone()
    }
}

fn best_of_three(policy: &linkpolicy::Policy, text: &str, ctx: &Context) -> Duration {
    let mut found = Vec::new();
    (0..3)
        .map(|_| {
            let t = Instant::now();
            policy.scan_into(text, ctx, &mut found);
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut end = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let policy = &*SAMPLE;
    let ctx = Context::one_to_one();
    let found = policy.scan(text, &ctx);
    let mut previous = 0;
    for link in &found {
        assert!(link.start >= previous && link.start < link.end, "{text:?}: {link:?}");
        previous = link.end;
        assert!(text.is_char_boundary(link.start) && text.is_char_boundary(link.end));
        assert_eq!(text.get(link.range()), Some(link.text.as_str()), "{text:?}");
        let utf16 = |i: usize| text[..i].encode_utf16().count();
        assert_eq!(link.range16(), utf16(link.start)..utf16(link.end), "{text:?}");
        assert_eq!(link.verdict, policy.classify(&classified(link), &ctx), "{text:?}: {link:?}");
    }
    if text.len() >= 8 {
        let one = best_of_three(policy, text, &ctx);
        let many = best_of_three(policy, &text.repeat(COPIES as usize), &ctx);
        // Linear: about COPIES times as long. Quadratic: COPIES² times.
        let bound = one * COPIES * 6 + Duration::from_millis(20);
        assert!(many <= bound, "{text:?}: {many:?} for {COPIES} copies, {one:?} for one");
    }
});
