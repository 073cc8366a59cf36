//! The `url::Url::parse` fast path (`src/link/fastpath.rs`) on arbitrary text, as
//! written and with `http://` assumed: it declines the text or gives exactly the
//! url crate's serialization and layout, after the escapes of unreserved
//! characters in the path, query and fragment are decoded as normalization
//! decodes them (contract 4.6, issue #13). `fuzz/seeds/fastpath/` holds seeds
//! with such escapes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkpolicy_fuzz::{FastpathText, check_fastpath};

fuzz_target!(|input: FastpathText| {
    check_fastpath(&input.0);
});
