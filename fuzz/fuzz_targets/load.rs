//! Arbitrary text as a TOML and as a JSON policy: loading never panics, and a
//! policy that loads classifies a few fixed links under the `classify` checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkpolicy_fuzz::{PolicyText, check_load};

fuzz_target!(|input: PolicyText| {
    check_load(&input.0);
});
