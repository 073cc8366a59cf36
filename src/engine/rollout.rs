//! Staged rollout: user buckets, client versions and time windows.

use crate::context::{Context, Version};
use crate::error::{Error, ErrorKind};
use crate::rules::Rollout;

/// A compiled rollout gate.
#[derive(Clone, Debug)]
pub(crate) struct Gate {
    percent: Option<u8>,
    /// The FNV-1a state after `salt:`, hashed once when compiled: per link,
    /// only the user id is hashed.
    salt_state: u64,
    min_client: Option<Version>,
    from: Option<i64>,
    until: Option<i64>,
}

/// An invalid setting of a rollout: an error on its field.
fn invalid(field: &'static str, message: String) -> Error {
    Error::new(ErrorKind::InvalidValue, message).with_field(field)
}

impl Gate {
    /// Checks a rollout; `default_salt` (the item's id) is used when it names none.
    ///
    /// The error names the field and what is wrong, for the user.
    pub(crate) fn compile(r: &Rollout, default_salt: &str) -> Result<Gate, Error> {
        if let Some(p) = r.percent {
            if p > 100 {
                return Err(invalid(
                    "rollout.percent",
                    format!("`{p}` is not a percentage from 0 to 100"),
                ));
            }
        }
        let min_client = match &r.min_client {
            Some(v) => Some(Version::parse(v).ok_or_else(|| {
                invalid(
                    "rollout.min_client",
                    format!("`{v}` is not a version of dotted numbers such as `8.0.16`"),
                )
            })?),
            None => None,
        };
        if let (Some(from), Some(until)) = (r.from, r.until) {
            if from >= until {
                return Err(invalid(
                    "rollout.until",
                    format!("the window is empty: `until` ({until}) must be after `from` ({from})"),
                ));
            }
        }
        Ok(Gate {
            percent: r.percent,
            salt_state: fnv(
                fnv(OFFSET, r.salt.as_deref().unwrap_or(default_salt).as_bytes()),
                b":",
            ),
            min_client,
            from: r.from,
            until: r.until,
        })
    }

    /// Whether the context is inside the rollout. A key that cannot be evaluated
    /// (no user, no client version, no time) does not pass.
    pub(crate) fn passes(&self, ctx: &Context) -> bool {
        if let Some(percent) = self.percent {
            match ctx.user() {
                Some(user) if fnv(self.salt_state, user.as_bytes()) % 100 < u64::from(percent) => {}
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
            let Some(now) = ctx.now() else {
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
    fnv(fnv(fnv(OFFSET, salt.as_bytes()), b":"), user.as_bytes()) % 100
}

/// The FNV-1a 64-bit offset basis.
const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a 64-bit: the state `h` after hashing `bytes` too.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
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

    /// A compiled gate's bucket, from the hash state kept after its salt, is the
    /// contract's bucket.
    #[test]
    fn gate_buckets_are_the_contract_buckets() {
        for (salt, user, bucket) in [
            ("groups-2021-10", "alice", 57),
            ("groups-2021-10", "bob", 70),
            ("r1", "u-000042", 26),
        ] {
            let at = |p: u8| {
                Gate::compile(&Rollout::new().percent(p, salt), "id")
                    .unwrap()
                    .passes(&Context::one_to_one().with_user(user))
            };
            assert!(!at(bucket), "{salt} {user}");
            assert!(at(bucket + 1), "{salt} {user}");
        }
    }
}
