//! Arbitrary bytes as a chat message (UTF-8, bad sequences replaced), against the
//! sample policy in a one-to-one chat: `Policy::scan` never panics; every link
//! found is a slice of the message on character boundaries, in order and not
//! overlapping, whose UTF-16 offsets slice the same text, and whose verdict is
//! what `classify` gives its text (`mailto:` and the text for a bare e-mail
//! address); and scanning is linear in the message: the message repeated 16
//! times takes at most 32 times as long as it repeated twice (linear: at most
//! 15 times, since every copy and every seam between two copies costs the
//! same; quadratic: 64 times; the best of three timings each, interleaved, with
//! 5 ms of slack for the clock). Two copies, not one, are the base because a
//! seam can make a link that no single copy holds (`…xn--abc` + `jd.com…` is
//! the IDN host `xn--abcjd.com`, which costs far more than either half).
//! The timing is done for messages of at least 256 bytes only: below that the
//! clock's slack is larger than any quadratic cost, so the check could not
//! fail, and it cost most of the target's time.
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

/// How many copies the linearity check scans, against two.
const COPIES: u32 = 16;

/// How many times as long as two copies `COPIES` may take.
const BOUND: u32 = 32;

/// The shortest message the linearity check times (see the module docs).
const MIN_TIMED_BYTES: usize = 256;

fn classified(link: &FoundLink) -> String {
    if link.kind() == LinkKind::Email && !link.text.to_ascii_lowercase().starts_with("mailto:") {
        format!("mailto:{}", link.text)
    } else {
        link.text.clone()
    }
}

fn timed(policy: &linkpolicy::Policy, text: &str, ctx: &Context) -> Duration {
    let mut found = Vec::new();
    let t = Instant::now();
    policy.scan_into(text, ctx, &mut found);
    t.elapsed()
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
    if text.len() >= MIN_TIMED_BYTES {
        let two = text.repeat(2);
        let repeated = text.repeat(COPIES as usize);
        let (mut base, mut many) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            base = base.min(timed(policy, &two, &ctx));
            many = many.min(timed(policy, &repeated, &ctx));
        }
        let bound = base * BOUND + Duration::from_millis(5);
        assert!(many <= bound, "{text:?}: {many:?} for {COPIES} copies, {base:?} for two");
    }
});
