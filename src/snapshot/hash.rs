//! The one hash of snapshots and revisions: 64 bits, four lanes of eight bytes,
//! fixed constants, so that it is the same on every machine and in every version
//! of the crate (a snapshot written by one is read by another).
//!
//! Each lane takes every fourth little-endian word `w` of the input as
//! `lane = (lane ^ w) * K1` rotated left by 29 (a bijection of the lane for a
//! given word: a change anywhere in the input changes its lane for good); the
//! tail (under 32 bytes) is read in words zero-padded, then the lanes, the
//! length and the seed are folded and mixed (the `splitmix64` finalizer). It is
//! not a cryptographic hash: it tells a corrupted snapshot from a good one and
//! one policy from another, not a forged snapshot from a good one.

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// The 64-bit hash of `bytes` with `seed`.
pub(crate) fn hash64(seed: u64, bytes: &[u8]) -> u64 {
    let mut lanes = [
        seed ^ K1,
        seed.rotate_left(16) ^ K2,
        seed.rotate_left(32) ^ K1.rotate_left(7),
        seed.rotate_left(48) ^ K2.rotate_left(7),
    ];
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        for (lane, word) in lanes.iter_mut().zip(chunk.chunks_exact(8)) {
            *lane = step(*lane, word_of(word));
        }
    }
    for (lane, word) in lanes.iter_mut().zip(chunks.remainder().chunks(8)) {
        *lane = step(*lane, word_of(word));
    }
    let [a, b, c, d] = lanes;
    let folded = a
        .wrapping_add(b.rotate_left(13))
        .wrapping_add(c.rotate_left(27))
        .wrapping_add(d.rotate_left(41))
        ^ (bytes.len() as u64).wrapping_mul(K2);
    mix(folded ^ seed)
}

/// Folds one more 64-bit value into a running hash (for hashes of several parts).
pub(crate) fn combine(acc: u64, value: u64) -> u64 {
    mix(acc.rotate_left(23) ^ value.wrapping_mul(K1))
}

fn step(lane: u64, word: u64) -> u64 {
    (lane ^ word).wrapping_mul(K1).rotate_left(29)
}

/// Up to eight bytes, little-endian, zero-padded.
fn word_of(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (d, s) in w.iter_mut().zip(bytes) {
        *d = *s;
    }
    u64::from_le_bytes(w)
}

/// The `splitmix64` finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixed values: the hash is part of the snapshot format and of revisions,
    /// and must not change between versions.
    #[test]
    fn known_values() {
        assert_eq!(hash64(0, b""), hash64(0, b""));
        assert_ne!(hash64(0, b""), hash64(1, b""));
        assert_ne!(hash64(0, b"a"), hash64(0, b"a\0"));
        assert_eq!(hash64(0, b"linkpolicy"), 0xB697_7514_D521_9291);
    }

    /// Every single-bit flip of a buffer changes its hash.
    #[test]
    fn every_bit_flip_changes_the_hash() {
        let mut buf: Vec<u8> = (0..100u8).map(|i| i.wrapping_mul(37)).collect();
        let base = hash64(7, &buf);
        for i in 0..buf.len() * 8 {
            buf[i / 8] ^= 1 << (i % 8);
            assert_ne!(hash64(7, &buf), base, "bit {i}");
            buf[i / 8] ^= 1 << (i % 8);
        }
    }
}
