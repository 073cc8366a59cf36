//! Normalizing a normalized URL changes nothing: classifying a verdict's `url()`
//! again gives the same `url()` and `host()`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkpolicy_fuzz::{LinkText, check_normalize_idempotent};

fuzz_target!(|input: LinkText| {
    check_normalize_idempotent(&input.0);
});
