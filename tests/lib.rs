//! Contract tests for linkpolicy: one integration binary, a module per concern.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    reason = "tests fail by panicking"
)]

mod adversarial;
mod choices;
mod contract;
mod errors;
mod example;
mod fastpath;
mod feeds;
mod fuzz_regressions;
mod interop;
mod layout;
mod lookalike;
mod masked;
mod normalize;
mod operator;
mod props;
mod psl;
mod reference;
mod scan;
mod snapshot;
mod untrusted;
mod wrappers;
