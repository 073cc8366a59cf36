//! Deciding: the compiled policy and what reads it for a link.
//!
//! - `compiled.rs`: the compiled form ([`Compiled`](compiled::Compiled)), rules
//!   and lists as deciding reads them, the complaint table, and the `Engine`
//!   view a policy hands to deciding;
//! - `decide.rs`: the evaluation order, from a raw link to a verdict: hard
//!   blocks, priority, specificity, tiers, defaults, floors, the user's choices,
//!   and each hop of a wrapped link;
//! - `rollout.rs`: rollout buckets and the compiled gates of staged openings;
//! - `lookalike/`: the lookalike and IDN spoof floors.

pub(crate) mod compiled;
pub(crate) mod decide;
pub(crate) mod lookalike;
pub(crate) mod rollout;
