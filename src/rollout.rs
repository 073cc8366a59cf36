//! Staged rollout: user buckets, client versions and time windows.

use crate::context::{Context, Version};
use crate::rules::Rollout;

/// A compiled rollout gate.
#[derive(Clone, Debug)]
pub(crate) struct Gate {
    percent: Option<u8>,
    salt: String,
    min_client: Option<Version>,
    from: Option<i64>,
    until: Option<i64>,
}

impl Gate {
    /// Checks a rollout; `default_salt` (the item's id) is used when it names none.
    ///
    /// The error names the field and what is wrong, for the user.
    pub(crate) fn compile(r: &Rollout, default_salt: &str) -> Result<Gate, (&'static str, String)> {
        if let Some(p) = r.percent {
            if p > 100 {
                return Err((
                    "rollout.percent",
                    format!("`{p}` is not a percentage from 0 to 100"),
                ));
            }
        }
        let min_client = match &r.min_client {
            Some(v) => Some(Version::parse(v).ok_or_else(|| {
                (
                    "rollout.min_client",
                    format!("`{v}` is not a version of dotted numbers such as `8.0.16`"),
                )
            })?),
            None => None,
        };
        if let (Some(from), Some(until)) = (r.from, r.until) {
            if from >= until {
                return Err((
                    "rollout.until",
                    format!("the window is empty: `until` ({until}) must be after `from` ({from})"),
                ));
            }
        }
        Ok(Gate {
            percent: r.percent,
            salt: r.salt.clone().unwrap_or_else(|| default_salt.to_owned()),
            min_client,
            from: r.from,
            until: r.until,
        })
    }

    /// Whether the context is inside the rollout. A key that cannot be evaluated
    /// (no user, no client version, no time) does not pass.
    pub(crate) fn passes(&self, ctx: &Context) -> bool {
        if let Some(percent) = self.percent {
            match ctx.user_id() {
                Some(user) if bucket(&self.salt, user) < u64::from(percent) => {}
                _ => return false,
            }
        }
        if let Some(min) = &self.min_client {
            match ctx.version() {
                Some(v) if v >= min => {}
                _ => return false,
            }
        }
        if self.from.is_some() || self.until.is_some() {
            let Some(now) = ctx.now_seconds() else {
                return false;
            };
            if self.from.is_some_and(|from| now < from)
                || self.until.is_some_and(|until| now >= until)
            {
                return false;
            }
        }
        true
    }
}

/// The rollout bucket of a user: FNV-1a 64-bit over `salt`, `:`, `user`, mod 100.
///
/// # Example
///
/// ```
/// assert_eq!(linkpolicy::rollout_bucket("groups-2021-10", "alice"), 57);
/// ```
pub fn rollout_bucket(salt: &str, user: &str) -> u64 {
    bucket(salt, user)
}

pub(crate) fn bucket(salt: &str, user: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for &b in salt.as_bytes().iter().chain(b":").chain(user.as_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h % 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_vectors() {
        assert_eq!(bucket("groups-2021-10", "alice"), 57);
        assert_eq!(bucket("groups-2021-10", "bob"), 70);
        assert_eq!(bucket("r1", "u-000042"), 26);
    }
}
