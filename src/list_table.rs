//! The list table: the domain and host entries of a policy's lists, read in
//! place from a snapshot's bytes (the `LDOM` table of format 2), not rebuilt.
//!
//! A built policy keeps its lists' entries in the site index, with their text.
//! A snapshot keeps each entry as 18 bytes — the first 96 bits of the SHA-256
//! of its domain, its line and a word of flags — in buckets, so a million-domain
//! list costs about 19.3 bytes an entry, less than its text, and loading reads
//! none of it: the table is a view into the bytes, every read bounds-checked.
//!
//! A probe for a suffix of a link's host costs one cheap hash and one read of a
//! one-byte-an-entry filter; only a suffix the filter lets through is hashed
//! with SHA-256 and compared in its bucket. Suffixes with a number of labels no
//! entry has are not probed at all.
//!
//! The fingerprint is 96 bits of a cryptographic hash because the table is
//! public (it ships to phones): finding a domain whose fingerprint equals one of
//! a million entries takes about 2^76 hashes. The bucket and the filter use a
//! cheap hash seeded from the policy's revision.
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

use crate::hit::{Hit, MatcherKind, Specificity};

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
pub(crate) fn write(rows: &[Row<'_>], lists: u32, seed: u64) -> Option<Vec<u8>> {
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
        out.extend_from_slice(&fingerprint(r.key));
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
    pub(crate) fn new(bytes: Arc<[u8]>, start: usize, end: usize) -> Result<Self, String> {
        let table = bytes
            .get(start..end)
            .ok_or("the list table is outside the snapshot")?;
        let short = || "the list table's header is cut short".to_owned();
        let entries = u32_at(table, 0).ok_or_else(short)?;
        let buckets = u32_at(table, 4).ok_or_else(short)?;
        let words = u32_at(table, 8).ok_or_else(short)?;
        let lists = u32_at(table, 12).ok_or_else(short)?;
        let seed = u64_at(table, 16).ok_or_else(short)?;
        let labels = u64_at(table, 24).ok_or_else(short)?;
        if buckets == 0 || words == 0 || lists > MAX_LISTS {
            return Err(format!(
                "the list table's header is not one this crate writes \
                 ({buckets} buckets, {words} filter words, {lists} lists)"
            ));
        }
        let want = (buckets as u64 + 1) * 4
            + u64::from(words) * 8
            + u64::from(entries) * ENTRY as u64
            + HEADER as u64;
        if want != table.len() as u64 {
            return Err(format!(
                "the list table is {} bytes, its header says {want}",
                table.len()
            ));
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
        // The digest only for a key the filter lets through to a bucket with
        // entries; each entry's fingerprint compared as two words, the rest
        // read only for an entry that matches.
        let (fp_head, fp_tail) = split_fingerprint(&fingerprint(key));
        for (slot, e) in (from..).zip(bucket.chunks_exact(ENTRY)) {
            let Some((f, rest)) = e.split_first_chunk::<FINGERPRINT>() else {
                continue;
            };
            if split_fingerprint(f) != (fp_head, fp_tail) {
                continue;
            }
            let flags = rest
                .get(4..6)
                .and_then(|w| w.try_into().ok())
                .map_or(0, u16::from_le_bytes);
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
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = fold_mul(h ^ u64::from_le_bytes(b), K2);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        let mut b = [0u8; 8];
        if let Some(d) = b.get_mut(..tail.len()) {
            d.copy_from_slice(tail);
        }
        h = fold_mul(h ^ u64::from_le_bytes(b), K2);
    }
    fold_mul(h, K1)
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

    fn table(rows: &[Row<'_>], lists: u32) -> ListTable {
        let bytes: Arc<[u8]> = write(rows, lists, 7).unwrap().into();
        let end = bytes.len();
        let mut t = ListTable::new(bytes, 0, end).unwrap();
        t.base = 100;
        t
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
        let bytes = write(&rows, 3, 7).unwrap().len();
        assert!(bytes < 5000 * 20, "{bytes}");
        let misses = (0..5000)
            .filter(|i| !hits(&t, &format!("m{i}.example")).is_empty())
            .count();
        assert_eq!(misses, 0);
    }

    #[test]
    fn bounds_are_checked() {
        assert!(write(&[row("a.b", 2, 1, false)], 2, 0).is_none());
        assert!(write(&[], MAX_LISTS + 1, 0).is_none());
        let same: Vec<Row<'_>> = (0..=MAX_BUCKET as u32)
            .map(|i| row("a.example", 0, i, false))
            .collect();
        assert!(write(&same, 1, 0).is_none());
        let bytes: Arc<[u8]> = write(&[row("a.b", 0, 1, false)], 1, 0).unwrap().into();
        let len = bytes.len();
        assert!(ListTable::new(bytes.clone(), 0, len - 1).is_err());
        assert!(ListTable::new(bytes.clone(), 0, len + 1).is_err());
        assert!(ListTable::new(bytes, 0, 10).is_err());
    }
}
