//! The list table: the domain and host entries of a policy's lists, read in
//! place from a snapshot's bytes (the `LDOM` table), not rebuilt.
//!
//! A built policy keeps its lists' entries in the site index, with their text.
//! A snapshot keeps each entry as 18 bytes — a 96-bit fingerprint of its
//! domain, its line and a word of flags — in buckets, so a million-domain list
//! costs about 19.3 bytes an entry, less than its text, and loading reads none
//! of it: the table is a view into the bytes, every read bounds-checked.
//!
//! A probe for a suffix of a link's host costs one cheap hash and one read of a
//! one-byte-an-entry filter; only a suffix the filter lets through is
//! fingerprinted and compared in its bucket. Suffixes with a number of labels
//! no entry has are not probed at all.
//!
//! The table is public (it ships to phones), so a fingerprint is only as good
//! as the work it takes to find another domain with it. An entry that blocks
//! (in a block list, not an exception) has a fast fingerprint, two more rounds
//! of the seeded cheap hash: a host crafted to collide with it is blocked,
//! which is what its maker did not want. Every other entry — an exception, or
//! a list that allows or warns, whose false match could lift a block — has the
//! first 96 bits of its domain's SHA-256: finding a domain that matches one of
//! a million such entries takes about 2^76 hashes. A probe takes the SHA-256
//! only when the bucket it reads holds such an entry.
//!
//! # Layout
//!
//! All integers little-endian.
//!
//! | Offset | Size | Field |
//! |-------:|-----:|-------|
//! | 0 | 4 | entries `N` |
//! | 4 | 4 | buckets `B` (at least 1) |
//! | 8 | 4 | filter words `W` (at least 1) |
//! | 12 | 4 | the lists of the policy, which entries name by index |
//! | 16 | 8 | the seed of the bucket and filter hash |
//! | 24 | 8 | label counts: bit `n - 1` set when an entry has `n` labels (bit 63: 64 or more) |
//! | 32 | 4 × (B + 1) | the directory: where each bucket's entries start, then `N` |
//! | … | 8 × W | the filter: two bits an entry set in one 64-bit word |
//! | … | 18 × N | the entries, by bucket, and in a bucket by list, then line |
//!
//! An entry is the fingerprint (12 bytes), the line (4 bytes), and a 16-bit
//! word: the list's index (bits 0–12), host (bit 13: the whole host only),
//! exception (bit 14), important (bit 15).

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::matching::hit::{Hit, MatcherKind, Specificity};

/// The table's header, before the directory.
const HEADER: usize = 32;
/// One entry's bytes.
const ENTRY: usize = 18;
const FINGERPRINT: usize = 12;
/// The most lists a table's entries can name.
pub(crate) const MAX_LISTS: u32 = 1 << 13;
const HOST: u16 = 1 << 13;
const EXCEPTION: u16 = 1 << 14;
const IMPORTANT: u16 = 1 << 15;
/// Entries a bucket holds on average.
const PER_BUCKET: usize = 16;
/// The most entries a bucket may hold; a probe reads no more, whatever the
/// bytes say. (Only one domain listed hundreds of times comes near it; such
/// lists are compiled at load instead.)
pub(crate) const MAX_BUCKET: usize = 1024;
/// The longest key: a DNS name.
const MAX_KEY: usize = 253;

/// One entry to write.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row<'a> {
    /// The normalized domain or host.
    pub(crate) key: &'a str,
    pub(crate) list: u32,
    pub(crate) line: u32,
    pub(crate) host: bool,
    pub(crate) exception: bool,
    pub(crate) important: bool,
}

/// What an entry says, read back.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) struct Entry {
    pub(crate) list: u32,
    pub(crate) line: u32,
    pub(crate) exception: bool,
    pub(crate) important: bool,
}

/// The table's bytes for `rows` (in list order, then line order), or `None`
/// when they do not fit its bounds (more than [`MAX_LISTS`] lists, or a bucket
/// of more than [`MAX_BUCKET`]): the caller then keeps the lists whole.
/// `blocking[i]` says whether list `i`'s action is block (its entries other
/// than exceptions take the fast fingerprint).
pub(crate) fn write(rows: &[Row<'_>], blocking: &[bool], seed: u64) -> Option<Vec<u8>> {
    let lists = u32::try_from(blocking.len()).ok()?;
    if lists > MAX_LISTS || rows.iter().any(|r| r.list >= lists) {
        return None;
    }
    let n = u32::try_from(rows.len()).ok()?;
    let buckets = u32::try_from(rows.len().div_ceil(PER_BUCKET).max(1)).ok()?;
    // One byte of filter an entry: two bits of 64 set in a word of eight entries.
    let words = u32::try_from(rows.len().div_ceil(8).max(1)).ok()?;
    let mut placed: Vec<(u32, usize)> = Vec::with_capacity(rows.len());
    let mut filter = vec![0u64; words as usize];
    let mut labels = 0u64;
    for (i, r) in rows.iter().enumerate() {
        let h = key_hash(seed, r.key);
        let (word, bits) = filter_slot(h, words);
        if let Some(w) = filter.get_mut(word) {
            *w |= bits;
        }
        labels |= label_bit(label_count(r.key));
        placed.push((bucket_of(h, buckets), i));
    }
    // Stable: within a bucket, rows stay in list and line order.
    placed.sort_by_key(|&(b, _)| b);
    let mut directory = vec![0u32; buckets as usize + 1];
    for &(b, _) in &placed {
        if let Some(d) = directory.get_mut(b as usize + 1) {
            *d += 1;
        }
    }
    for b in 0..buckets as usize {
        let count = directory.get(b + 1).copied().unwrap_or(0);
        if count as usize > MAX_BUCKET {
            return None;
        }
        let start = directory.get(b).copied().unwrap_or(0);
        if let Some(d) = directory.get_mut(b + 1) {
            *d = start + count;
        }
    }
    let len = HEADER + 4 * directory.len() + 8 * filter.len() + ENTRY * rows.len();
    let mut out = Vec::with_capacity(len);
    for v in [n, buckets, words, lists] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&seed.to_le_bytes());
    out.extend_from_slice(&labels.to_le_bytes());
    for d in &directory {
        out.extend_from_slice(&d.to_le_bytes());
    }
    for w in &filter {
        out.extend_from_slice(&w.to_le_bytes());
    }
    for &(_, i) in &placed {
        let r = rows.get(i)?;
        let fast = !r.exception && blocking.get(r.list as usize).copied().unwrap_or(false);
        out.extend_from_slice(&if fast {
            fast_fingerprint(seed, r.key)
        } else {
            fingerprint(r.key)
        });
        out.extend_from_slice(&r.line.to_le_bytes());
        let mut flags = u16::try_from(r.list).ok()?;
        if r.host {
            flags |= HOST;
        }
        if r.exception {
            flags |= EXCEPTION;
        }
        if r.important {
            flags |= IMPORTANT;
        }
        out.extend_from_slice(&flags.to_le_bytes());
    }
    Some(out)
}

/// A list table, a view into a snapshot's bytes.
#[derive(Clone)]
pub(crate) struct ListTable {
    bytes: Arc<[u8]>,
    /// Where the table starts in `bytes`.
    start: usize,
    entries: u32,
    buckets: u32,
    words: u32,
    lists: u32,
    seed: u64,
    labels: u64,
    /// The rule index of the first entry: the compiled rules and list entries
    /// come before (set by the compiler).
    pub(crate) base: u32,
    /// Whether each list blocks, from the policy's model (set by the
    /// compiler; until then no entry is read as a blocking one).
    pub(crate) blocking: Arc<[bool]>,
    /// Whether every entry blocks: every list does and none can hold an
    /// exception (set by the compiler, from the model).
    pub(crate) all_block: bool,
}

impl fmt::Debug for ListTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListTable")
            .field("entries", &self.entries)
            .field("buckets", &self.buckets)
            .field("lists", &self.lists)
            .finish_non_exhaustive()
    }
}

/// The little-endian `u32` at `at`, when the bytes hold one there.
pub(crate) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The little-endian `u64` at `at`, when the bytes hold one there.
pub(crate) fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

impl ListTable {
    /// The table at `start..end` of `bytes`: its header read and its size
    /// checked against its counts, in constant time. `Err` says what is wrong.
    pub(crate) fn new(bytes: Arc<[u8]>, start: usize, end: usize) -> Result<Self, Error> {
        let table = bytes
            .get(start..end)
            .ok_or_else(|| Error::corrupt_snapshot("the list table is outside the snapshot"))?;
        let short = || Error::corrupt_snapshot("the list table's header is cut short");
        let entries = u32_at(table, 0).ok_or_else(short)?;
        let buckets = u32_at(table, 4).ok_or_else(short)?;
        let words = u32_at(table, 8).ok_or_else(short)?;
        let lists = u32_at(table, 12).ok_or_else(short)?;
        let seed = u64_at(table, 16).ok_or_else(short)?;
        let labels = u64_at(table, 24).ok_or_else(short)?;
        if buckets == 0 || words == 0 || lists > MAX_LISTS {
            return Err(Error::corrupt_snapshot(format!(
                "the list table's header is not one this crate writes \
                 ({buckets} buckets, {words} filter words, {lists} lists)"
            )));
        }
        let want = (buckets as u64 + 1) * 4
            + u64::from(words) * 8
            + u64::from(entries) * ENTRY as u64
            + HEADER as u64;
        if want != table.len() as u64 {
            return Err(Error::corrupt_snapshot(format!(
                "the list table is {} bytes, its header says {want}",
                table.len()
            )));
        }
        Ok(Self {
            bytes,
            start,
            entries,
            buckets,
            words,
            lists,
            seed,
            labels,
            base: 0,
            blocking: Arc::from([]),
            all_block: false,
        })
    }

    /// How many entries the table holds.
    pub(crate) fn len(&self) -> usize {
        self.entries as usize
    }

    /// How many lists its entries name.
    pub(crate) fn lists(&self) -> u32 {
        self.lists
    }

    /// The bytes of the table (for the checksum a tool asks for).
    fn table(&self) -> &[u8] {
        self.bytes.get(self.start..).unwrap_or_default()
    }

    fn filter_at(&self) -> usize {
        HEADER + 4 * (self.buckets as usize + 1)
    }

    fn entries_at(&self) -> usize {
        self.filter_at() + 8 * self.words as usize
    }

    /// The entry in `slot`, when it is one and names a list.
    fn raw(&self, slot: u32) -> Option<(&[u8], u32, u16)> {
        let at = self.entries_at() + ENTRY * slot as usize;
        let e = self.table().get(at..at + ENTRY)?;
        let (fp, rest) = e.split_at_checked(FINGERPRINT)?;
        let line = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
        let flags = u16::from_le_bytes(rest.get(4..6)?.try_into().ok()?);
        Some((fp, line, flags))
    }

    /// The entry that rule index `rule` names, when it is one of the table's.
    pub(crate) fn entry(&self, rule: u32) -> Option<Entry> {
        let slot = rule.checked_sub(self.base)?;
        if slot >= self.entries {
            return None;
        }
        let (_, line, flags) = self.raw(slot)?;
        let list = u32::from(flags & (HOST - 1));
        (list < self.lists).then_some(Entry {
            list,
            line,
            exception: flags & EXCEPTION != 0,
            important: flags & IMPORTANT != 0,
        })
    }

    /// Whether an entry with these flags blocks: not an exception, in a list
    /// whose action is block.
    fn blocks(&self, flags: u16) -> bool {
        flags & EXCEPTION == 0
            && self
                .blocking
                .get(usize::from(flags & (HOST - 1)))
                .copied()
                .unwrap_or(false)
    }

    /// Appends the hits of the entries naming `key` (a suffix of `labels`
    /// labels of the host; `whole` when it is the host itself): host entries
    /// only for the whole host.
    fn probe(&self, key: &str, labels: usize, whole: bool, out: &mut Vec<Hit>) {
        let h = key_hash(self.seed, key);
        let (word, bits) = filter_slot(h, self.words);
        let Some(w) = u64_at(self.table(), self.filter_at() + 8 * word) else {
            return;
        };
        if w & bits != bits {
            return;
        }
        let b = bucket_of(h, self.buckets) as usize;
        let dir = |i: usize| u32_at(self.table(), HEADER + 4 * i);
        let (Some(from), Some(to)) = (dir(b), dir(b + 1)) else {
            return;
        };
        let to = to
            .min(self.entries)
            .min(from.saturating_add(MAX_BUCKET as u32));
        if from >= to {
            return;
        }
        let at = self.entries_at();
        let Some(bucket) = self
            .table()
            .get(at + ENTRY * from as usize..at + ENTRY * to as usize)
        else {
            return;
        };
        // Each entry's fingerprint compared as two words: the fast one for an
        // entry that blocks, the SHA-256 (taken once, and only when the bucket
        // has an entry of another kind) for the others.
        let fast = split_fingerprint(&fast_fingerprint(self.seed, key));
        let mut strong = None;
        for (slot, e) in (from..).zip(bucket.chunks_exact(ENTRY)) {
            let Some((f, rest)) = e.split_first_chunk::<FINGERPRINT>() else {
                continue;
            };
            let flags = rest
                .get(4..6)
                .and_then(|w| w.try_into().ok())
                .map_or(0, u16::from_le_bytes);
            // Every entry fast: the flags are read only for a match.
            let want = if self.all_block || self.blocks(flags) {
                fast
            } else {
                *strong.get_or_insert_with(|| split_fingerprint(&fingerprint(key)))
            };
            if split_fingerprint(f) != want {
                continue;
            }
            let rule = self.base.saturating_add(slot);
            if flags & HOST != 0 {
                if whole {
                    out.push(Hit {
                        rule,
                        specificity: Specificity::new(MatcherKind::Host, 0),
                    });
                }
            } else {
                out.push(Hit {
                    rule,
                    specificity: Specificity::new(MatcherKind::Domain, labels),
                });
            }
        }
    }

    /// Appends the hits of a domain name's suffixes, in no set order (the
    /// caller orders them with the site index's).
    pub(crate) fn find_domain(&self, host: &str, out: &mut Vec<Hit>) {
        // The suffixes from the last label on, found by a plain byte scan:
        // hosts are short, and the whole host is the suffix that starts at 0.
        let bytes = host.as_bytes();
        let mut labels = 0;
        let mut end = bytes.len();
        loop {
            let start = bytes
                .get(..end)
                .and_then(|h| h.iter().rposition(|&b| b == b'.'))
                .map_or(0, |dot| dot + 1);
            labels += 1;
            let suffix = host.get(start..).unwrap_or_default();
            if suffix.len() > MAX_KEY {
                break;
            }
            if self.labels & label_bit(labels) != 0 {
                self.probe(suffix, labels, start == 0, out);
            }
            if start == 0 {
                break;
            }
            end = start - 1;
        }
    }

    /// Appends the hits of an IP address host (host entries only).
    pub(crate) fn find_ip(&self, host: &str, out: &mut Vec<Hit>) {
        if host.len() <= MAX_KEY {
            self.probe(host, label_count(host), true, out);
        }
    }
}

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
/// The seeds of the fast fingerprint's two hashes, xored into the table's.
const FAST_A: u64 = 0x6661_7374_5f66_7031; // "fast_fp1"
const FAST_B: u64 = 0x6661_7374_5f66_7032; // "fast_fp2"
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// The 128-bit product of `a` and `b`, its halves folded by xor.
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The seeded hash of a key that picks its bucket and filter bits: per
/// little-endian 8-byte word `w` (the last zero-padded), `h = fold(h ^ w, K2)`,
/// from `h = seed ^ len * K1`, then `fold(h, K1)`, where `fold` is the 128-bit
/// product's halves xored. Cheap on short keys (a probe's whole cost when the
/// filter says no); fixed, since it is part of the format.
fn key_hash(seed: u64, key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        h = fold_mul(h ^ word(w), K2);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        // The last word, zero-padded: read as the key's last eight bytes
        // shifted down when the key has them, so that no bytes are copied to
        // the stack and read back (a stalled load, the probe's costliest step).
        let padded = match bytes.len().checked_sub(8).and_then(|at| bytes.get(at..)) {
            Some(last) => word(last) >> (8 * (8 - tail.len())),
            None => tail
                .iter()
                .rev()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        };
        h = fold_mul(h ^ padded, K2);
    }
    fold_mul(h, K1)
}

/// Eight bytes as a little-endian word (zero when `w` is shorter).
fn word(w: &[u8]) -> u64 {
    w.first_chunk::<8>().map_or(0, |b| u64::from_le_bytes(*b))
}

/// The SHA-256 of a key, its first 96 bits.
fn fingerprint(key: &str) -> [u8; FINGERPRINT] {
    let digest = Sha256::digest(key.as_bytes());
    let mut fp = [0u8; FINGERPRINT];
    for (d, s) in fp.iter_mut().zip(digest.iter()) {
        *d = *s;
    }
    fp
}

/// The fast fingerprint of a key: two more rounds of the key hash, with seeds
/// of their own, the first's 64 bits and the second's low 32 (little-endian).
fn fast_fingerprint(seed: u64, key: &str) -> [u8; FINGERPRINT] {
    let a = key_hash(seed ^ FAST_A, key).to_le_bytes();
    let b = key_hash(seed ^ FAST_B, key).to_le_bytes();
    let mut fp = [0u8; FINGERPRINT];
    for (d, s) in fp.iter_mut().zip(a.iter().chain(b.iter())) {
        *d = *s;
    }
    fp
}

/// A fingerprint as two words, to compare without a loop.
fn split_fingerprint(fp: &[u8; FINGERPRINT]) -> (u64, u32) {
    let [a, b, c, d, e, f, g, h, i, j, k, l] = *fp;
    (
        u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        u32::from_le_bytes([i, j, k, l]),
    )
}

/// `h` reduced to `0..n` (by its high bits: a multiply and a shift).
fn reduce(h: u64, n: u32) -> usize {
    ((u128::from(h) * u128::from(n)) >> 64) as usize
}

fn bucket_of(h: u64, buckets: u32) -> u32 {
    reduce(h.rotate_left(32), buckets) as u32
}

/// The filter word of a hash and the two bits it sets there.
fn filter_slot(h: u64, words: u32) -> (usize, u64) {
    (
        reduce(h, words),
        (1u64 << (h & 63)) | (1u64 << ((h >> 6) & 63)),
    )
}

fn label_count(key: &str) -> usize {
    key.bytes().filter(|&b| b == b'.').count() + 1
}

fn label_bit(labels: usize) -> u64 {
    1u64 << (labels.clamp(1, 64) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, list: u32, line: u32, host: bool) -> Row<'_> {
        Row {
            key,
            list,
            line,
            host,
            exception: false,
            important: line % 2 == 0,
        }
    }

    /// A table of `rows`, its odd-numbered lists blocking.
    fn table(rows: &[Row<'_>], lists: u32) -> ListTable {
        let blocking = odd(lists);
        let bytes: Arc<[u8]> = write(rows, &blocking, 7).unwrap().into();
        let end = bytes.len();
        let mut t = ListTable::new(bytes, 0, end).unwrap();
        t.base = 100;
        t.blocking = blocking.into();
        t
    }

    fn odd(lists: u32) -> Vec<bool> {
        (0..lists).map(|i| i % 2 == 1).collect()
    }

    fn hits(t: &ListTable, host: &str) -> Vec<(Entry, Specificity)> {
        let mut out = Vec::new();
        t.find_domain(host, &mut out);
        out.iter()
            .map(|h| (t.entry(h.rule).unwrap(), h.specificity))
            .collect()
    }

    #[test]
    fn finds_every_suffix_entry_and_hosts_only_whole() {
        let rows = [
            row("jd.com", 0, 3, false),
            row("item.jd.com", 1, 9, false),
            row("a.item.jd.com", 0, 4, true),
            row("jd.com", 1, 2, false),
        ];
        let t = table(&rows, 2);
        let found = hits(&t, "a.item.jd.com");
        let lines: Vec<(u32, u32)> = found.iter().map(|(e, _)| (e.list, e.line)).collect();
        // Shortest suffix first, and in a bucket by list, then line.
        assert_eq!(lines, [(0, 3), (1, 2), (1, 9), (0, 4)]);
        assert_eq!(found[3].1, Specificity::new(MatcherKind::Host, 0));
        assert_eq!(found[2].1, Specificity::new(MatcherKind::Domain, 3));
        assert!(!found[0].0.important && found[1].0.important);
        // The host entry is not a domain rule: a subdomain does not get it.
        let below = hits(&t, "b.a.item.jd.com");
        assert_eq!(below.len(), 3);
        assert!(hits(&t, "jd.co").is_empty());
        assert!(hits(&t, "xjd.com").is_empty());
    }

    #[test]
    fn entries_read_back_as_written() {
        let keys: Vec<String> = (0..5000).map(|i| format!("d{i}.example")).collect();
        let rows: Vec<Row<'_>> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| row(k, (i % 3) as u32, i as u32 + 1, false))
            .collect();
        let t = table(&rows, 3);
        assert_eq!(t.len(), 5000);
        for (i, k) in keys.iter().enumerate() {
            let found = hits(&t, k);
            assert_eq!(found.len(), 1, "{k}");
            let e = found[0].0;
            assert_eq!((e.list, e.line), ((i % 3) as u32, i as u32 + 1));
            assert_eq!(e.important, (i as u32 + 1) % 2 == 0);
        }
        // About 1.1 bytes an entry beyond the 18 of the entry itself.
        let bytes = write(&rows, &odd(3), 7).unwrap().len();
        assert!(bytes < 5000 * 20, "{bytes}");
        let misses = (0..5000)
            .filter(|i| !hits(&t, &format!("m{i}.example")).is_empty())
            .count();
        assert_eq!(misses, 0);
    }

    #[test]
    fn blocking_entries_take_the_fast_fingerprint_and_the_others_sha_256() {
        let mut rows = vec![
            row("jd.com", 0, 1, false),
            row("jd.com", 1, 2, false),
            row("jd.com", 1, 3, false),
        ];
        rows[2].exception = true;
        let blocking = odd(2);
        let bytes = write(&rows, &blocking, 7).unwrap();
        let at = |i: usize| {
            let e = HEADER + 4 * 2 + 8;
            bytes[e + ENTRY * i..e + ENTRY * i + FINGERPRINT].to_vec()
        };
        // One bucket and one filter word; entries in list, then line order.
        assert_eq!(bytes.len(), HEADER + 4 * 2 + 8 + ENTRY * 3);
        assert_eq!(at(0), fingerprint("jd.com"));
        assert_eq!(at(1), fast_fingerprint(7, "jd.com"));
        assert_ne!(at(1), fingerprint("jd.com"));
        // An exception in a blocking list does not block: SHA-256.
        assert_eq!(at(2), fingerprint("jd.com"));
        let t = table(&rows, 2);
        let lines: Vec<u32> = hits(&t, "www.jd.com").iter().map(|(e, _)| e.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        // A table whose lists are not yet known reads no entry as blocking:
        // the fast entry is not found, the others are.
        let mut unknown = t.clone();
        unknown.blocking = Arc::from([]);
        let lines: Vec<u32> = hits(&unknown, "jd.com")
            .iter()
            .map(|(e, _)| e.line)
            .collect();
        assert_eq!(lines, [1, 3]);
    }

    /// The format's definition, word by word with a zero-padded copy of the tail.
    fn key_hash_as_defined(seed: u64, key: &[u8]) -> u64 {
        let mut h = seed ^ (key.len() as u64).wrapping_mul(K1);
        for w in key.chunks(8) {
            let mut b = [0u8; 8];
            b[..w.len()].copy_from_slice(w);
            h = fold_mul(h ^ u64::from_le_bytes(b), K2);
        }
        fold_mul(h, K1)
    }

    #[test]
    fn the_key_hash_is_the_formats_at_every_length() {
        let text = "abcdefghijklmnopqrstuvwxyz.0123456789-xn--p1ai.example";
        for len in 0..=text.len() {
            let key = text.get(..len).unwrap();
            for seed in [0, 1, 0x05ee_d0f1_1577_ab1e] {
                assert_eq!(
                    key_hash(seed, key),
                    key_hash_as_defined(seed, key.as_bytes()),
                    "{key:?}"
                );
            }
        }
    }

    #[test]
    fn bounds_are_checked() {
        assert!(write(&[row("a.b", 2, 1, false)], &odd(2), 0).is_none());
        assert!(write(&[], &odd(MAX_LISTS + 1), 0).is_none());
        let same: Vec<Row<'_>> = (0..=MAX_BUCKET as u32)
            .map(|i| row("a.example", 0, i, false))
            .collect();
        assert!(write(&same, &odd(1), 0).is_none());
        let bytes: Arc<[u8]> = write(&[row("a.b", 0, 1, false)], &odd(1), 0)
            .unwrap()
            .into();
        let len = bytes.len();
        assert!(ListTable::new(bytes.clone(), 0, len - 1).is_err());
        assert!(ListTable::new(bytes.clone(), 0, len + 1).is_err());
        assert!(ListTable::new(bytes, 0, 10).is_err());
    }
}
