//! Arbitrary link and context against the sample policy: `classify` never panics,
//! is deterministic, and a verdict without a URL is a hard block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use linkpolicy_fuzz::{ClassifyInput, SAMPLE, check_classify};

fuzz_target!(|input: ClassifyInput| {
    let request = input.request();
    check_classify(&SAMPLE, &request.link, &request.context());
});
