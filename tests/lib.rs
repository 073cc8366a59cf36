//! Contract tests for linkpolicy: one integration binary, a module per concern.

mod contract;
mod errors;
mod example;
mod normalize;
mod psl;
mod props;
