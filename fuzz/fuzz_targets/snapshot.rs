//! Arbitrary bytes as a snapshot (issue #18): `from_snapshot` never panics and a
//! policy that loads classifies the fixed links under the `classify` checks. The
//! first byte's low bit asks for the checksums to be fixed up first, so mutations
//! of the seed snapshots reach the tables (`fuzz/seeds/snapshot/`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkpolicy_fuzz::check_snapshot;

fuzz_target!(|data: &[u8]| {
    if let Some((first, rest)) = data.split_first() {
        check_snapshot(rest, first & 1 == 1);
    }
});
