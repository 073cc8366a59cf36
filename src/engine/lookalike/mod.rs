//! Lookalike hosts: what a person reads a host as, and what a browser refuses to
//! show in Unicode (the contract's `lookalike` and `mixed_script` floors and the
//! `idn_spoof` floor).
//!
//! Three checks, each documented with the source it follows:
//!
//! - **Imitation of a protected domain** ([`Lookalikes::imitated`]): the host is
//!   read as a person reads it and compared with the protected domains, as
//!   Chromium's `IDNSpoofChecker::GetSimilarTopDomain` compares a host with its
//!   top domains (components/url_formatter/spoof_checks/idn_spoof_checker.cc and
//!   skeleton_generator.cc), and further:
//!   - the *reading skeleton* of a label is Chromium's: diacritics removed from a
//!     Latin-Greek-Cyrillic label (`đigklmo68` reads as `digklmo68`), Chromium's
//!     extra confusables mapped (`ħ` as `h`, `੨` as `2`), then the UTS #39
//!     skeleton (`tаobao`, `gοogle`, `rn` for `m`, `l` for `1`); beyond Chromium,
//!     the result is read once more with ASCII case folded, so that a `0` reads as
//!     `o` and a capital `I` as `l` (`g00gle.com`, `paypaI.com`), and the host is
//!     read both as normalized and as written, before case folding;
//!   - every suffix of the host with at least two labels is compared, as
//!     Chromium's `LookupSkeletonInTopDomains` does (`icbc.corn.cn` imitates
//!     `icbc.com.cn`); a host that is a protected domain or under one imitates
//!     nothing (Chromium returns no match for a top domain's subdomains);
//!   - the suffixes make imitations under another registrable domain count
//!     (`icbc.corn.cn` lies under `corn.cn`). The same name under another public
//!     suffix (`jd.cn`, `paypal.com.cn`) is not flagged: brands hold their names
//!     under many suffixes;
//!   - opt-in (`[lookalike] embedded`): a protected domain written as whole
//!     labels in front of another registrable domain (`paypal.com.evil.example`),
//!     what Chromium's lookalike interstitial calls target embedding. Off by
//!     default: CDN host names have exactly that form (`www.apple.com.edgekey.net`;
//!     265 of the Umbrella top-100k hosts with its top 1,000 domains protected);
//!   - opt-in (`[lookalike] typosquat`): one edit (a character added, removed,
//!     replaced, or two neighbours swapped) from a protected name of at least
//!     [`TYPO_MIN_LEN`] characters, after MetaMask's eth-phishing-detect, which
//!     flags names within a Levenshtein distance of its fuzzy list: the first
//!     label of the registrable domain (`paypall.com`), the host without `www.`
//!     and its public suffix (`myetherw.allet.com`), or the whole registrable
//!     domain (`myetherwallet.cm`).
//! - **Chromium's label rules** ([`spoof`], in [`idn`]): every rule of
//!   `IDNSpoofChecker::SafeToDisplayAsUnicode` — ICU's allowed characters, the
//!   Highly Restrictive script-mixing level (a `mixed_script` floor, as the
//!   contract says), mixed numbering systems, repeated marks, deviation
//!   characters, letters allowed under one ccTLD, the Catalan middle dot,
//!   whole-script confusables outside the script's ccTLDs, digit lookalikes,
//!   non-ASCII Latin next to another script, and the dangerous patterns.
//!
//! The tables Chromium keeps beside the Unicode data are in [`tables`]; the
//! Unicode data is that of the `unicode-security`, `unicode-script` and
//! `unicode-normalization` crates.

mod idn;
mod tables;

use crate::link::domain::{FastMap, FastSet};
use std::borrow::Cow;
use std::sync::LazyLock;

use unicode_security::skeleton;

pub(crate) use idn::LabelSpoof;

/// The ASCII Compatible Encoding prefix of an IDNA label.
const ACE_PREFIX: &str = "xn--";

/// The shortest first label of a protected domain that the typosquat floor
/// compares with: shorter names (`jd`, `qq`, `163`) are one edit from too many
/// others.
pub(crate) const TYPO_MIN_LEN: usize = 5;

/// The reading skeleton of each ASCII character (see [`reading_of`]), computed
/// once from the `unicode-security` data.
static ASCII_READINGS: LazyLock<AsciiReadings> = LazyLock::new(|| {
    let mut t = AsciiReadings {
        single: [0; 128],
        other: vec![None; 128],
    };
    for b in 0..128u8 {
        let Some(s) = reading_of(char::from(b)) else {
            continue;
        };
        let (Some(single), Some(other)) = (
            t.single.get_mut(usize::from(b)),
            t.other.get_mut(usize::from(b)),
        ) else {
            continue;
        };
        match s.as_bytes() {
            [one] => *single = *one,
            _ => *other = Some(s.into_boxed_str()),
        }
    }
    t
});

/// What an ASCII character reads as, when that is ASCII: its UTS #39 skeleton
/// with ASCII case folded, and the skeleton of that again, so that what a
/// capital letter looks like reads as the small letter does (`I` → `l`,
/// `0` → `O` → `o`, `M` → `m` → `rn`).
fn reading_of(c: char) -> Option<String> {
    let first: String = skeleton(c.encode_utf8(&mut [0; 4])).collect();
    let again: String = skeleton(&first.to_ascii_lowercase()).collect();
    let folded = again.to_ascii_lowercase();
    folded.is_ascii().then_some(folded)
}

/// The reading skeleton of each ASCII character.
#[derive(Debug)]
struct AsciiReadings {
    /// The reading when it is one byte (most characters: themselves; `1` → `l`,
    /// `0` → `o`, `I` → `l`), else 0.
    single: [u8; 128],
    /// The reading when it is longer (`m` → `rn`).
    other: Vec<Option<Box<str>>>,
}

impl AsciiReadings {
    /// The reading of a byte, when the tables have one.
    fn of(&self, b: u8) -> Option<&[u8]> {
        let i = usize::from(b);
        match self.single.get(i) {
            Some(one) if *one != 0 => Some(std::slice::from_ref(one)),
            _ => self.other.get(i)?.as_deref().map(str::as_bytes),
        }
    }
}

/// Protected registrable domains and their reading skeletons, computed at build
/// time.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lookalikes {
    /// The reading skeleton of each protected domain, with the first protected
    /// domain that has it.
    by_skeleton: FastMap<Box<str>, Box<str>>,
    /// The protected domains themselves: none of them is a lookalike.
    protected: FastSet<Box<str>>,
    /// The most labels of a protected skeleton: longer suffixes are not looked up.
    max_labels: usize,
    /// Bit n is set when some protected skeleton has n labels (n < 64): other
    /// suffixes are not looked up.
    label_counts: u64,
    /// The filter of the protected skeletons' hashes, which lets most ASCII
    /// hosts imitate nothing without a lookup (see [`SuffixFilter`]).
    filter: SuffixFilter,
    /// Whether a protected domain in front of another registrable domain counts.
    embedded: bool,
    /// The typosquat indexes (first labels, whole domains), when that floor is on.
    typos: Option<(Typos, Typos)>,
}

/// The opt-in lookalike floors.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// `[lookalike] typosquat`.
    pub(crate) typosquat: bool,
    /// `[lookalike] embedded`.
    pub(crate) embedded: bool,
}

impl Lookalikes {
    /// `protected`: ASCII (IDNA) lowercase registrable domains, e.g. "jd.com",
    /// "xn--xhq9m.com" (already normalized by the caller), and the opt-in floors.
    ///
    /// When two protected domains share a skeleton, a lookalike of both is reported
    /// as imitating the one given first.
    pub(crate) fn new<I: IntoIterator<Item = String>>(protected: I, options: Options) -> Self {
        let mut by_skeleton = FastMap::default();
        let mut set = FastSet::default();
        let mut max_labels = 0;
        let mut label_counts = 0u64;
        let mut typos = options.typosquat.then(<(Typos, Typos)>::default);
        let mut hashes = Vec::new();
        for domain in protected {
            let domain = domain.into_boxed_str();
            for s in host_skeletons(&domain) {
                hashes.push(skeleton_hash(s.as_bytes()));
                let n = s.split('.').count();
                max_labels = max_labels.max(n);
                if n < 64 {
                    label_counts |= 1 << n;
                }
                by_skeleton
                    .entry(s.into_boxed_str())
                    .or_insert_with(|| domain.clone());
            }
            if let Some((names, domains)) = typos.as_mut() {
                if let Some(label) = domain.split('.').next() {
                    if label.chars().count() >= TYPO_MIN_LEN && !is_ace(label) {
                        names.add(label, &domain);
                        domains.add(&domain, &domain);
                    }
                }
            }
            set.insert(domain);
        }
        Self {
            by_skeleton,
            protected: set,
            max_labels,
            label_counts,
            filter: SuffixFilter::new(&hashes),
            embedded: options.embedded,
            typos,
        }
    }

    /// Whether no domain is protected.
    pub(crate) fn is_empty(&self) -> bool {
        self.protected.is_empty()
    }

    /// The protected domain a host imitates, if any (see the module's
    /// documentation). `host`: the normalized host (ASCII, lowercase, may have
    /// `xn--` labels); `written`: the host as written, when that differs from
    /// `host` by ASCII case only (see [`written_host`](crate::link::text::written_host)); `registrable_start`:
    /// where the host's registrable domain starts in it; `plain`: the caller
    /// knows that no label is `xn--` (a host the fast path read).
    ///
    /// Costs, for an ordinary ASCII host, one skeleton made on the stack and a
    /// hash lookup per suffix of two labels up to the longest protected domain.
    pub(crate) fn imitated(
        &self,
        host: &str,
        written: Option<&str>,
        registrable_start: Option<usize>,
        plain: bool,
    ) -> Option<&str> {
        if self.by_skeleton.is_empty() {
            return None;
        }
        // Most hosts: ASCII, with no suffix whose reading skeleton has the hash
        // of a protected one, so the lookups below would find nothing. (Not with
        // the opt-in floors, which look further.)
        if !self.embedded
            && self.typos.is_none()
            && (plain || (host.is_ascii() && !has_double_hyphen(host)))
            && !self.may_imitate(host.as_bytes())
            && written.is_none_or(|w| !self.may_imitate(w.as_bytes()))
        {
            return None;
        }
        // A host with `xn--` labels: its readings made once (the first, then
        // those of characters that read two ways).
        let readings =
            (!plain && (!host.is_ascii() || has_double_hyphen(host))).then(|| host_skeletons(host));
        let found = match &readings {
            Some(all) => {
                let first = all.first().map_or("", String::as_str);
                self.match_skeleton(host, first, registrable_start)
            }
            None => with_reading_skeleton(host, plain, |s| {
                self.match_skeleton(host, s, registrable_start)
            }),
        };
        let found = match found {
            Match::None => written
                .map(|w| {
                    with_reading_skeleton(w, plain, |s| {
                        self.match_skeleton(host, s, registrable_start)
                    })
                })
                .unwrap_or(Match::None),
            other => other,
        };
        let found = match found {
            // A host with a character that reads two ways (`þ`) is compared in
            // each reading.
            Match::None if !plain && has_double_hyphen(host) => {
                let mut alternatives = readings.iter().flatten().skip(1);
                alternatives
                    .find_map(|s| match self.match_skeleton(host, s, registrable_start) {
                        Match::None => None,
                        m => Some(m),
                    })
                    .unwrap_or(Match::None)
            }
            other => other,
        };
        match found {
            // A protected domain imitates nothing, even one with the same skeleton.
            Match::Imitates(_) if self.protected_host(host, registrable_start) => None,
            Match::Imitates(of) => Some(of),
            Match::Under => None,
            Match::None => self.typo_of(host, registrable_start?),
        }
    }

    /// Whether some suffix of an ASCII host, of as many labels as
    /// [`match_skeleton`](Self::match_skeleton) looks up, may read as a protected
    /// skeleton: `false` only when none does. One pass over the host from its
    /// end, hashing the reading skeleton of what has been read ([`ReadingHashes`])
    /// and asking the [filter](SuffixFilter) at each dot; no skeleton is made. A
    /// byte without an ASCII reading answers `true` (the lookups decide).
    fn may_imitate(&self, host: &[u8]) -> bool {
        let table = &*READING_HASHES;
        let mut hash = 0u64;
        // The labels of the suffix read so far.
        let mut labels = 1;
        for &b in host.iter().rev() {
            let one = table.one.get(usize::from(b)).copied().unwrap_or(0);
            // Rare bytes first: a dot, a reading of another length than one
            // (`m`), none; `-` too, which is its own reading.
            if one <= b'.' {
                if one == b'.' {
                    if self.may_be_protected(hash, labels) {
                        return true;
                    }
                    if labels >= self.max_labels {
                        return false;
                    }
                    labels += 1;
                } else if one == 0 {
                    match table.any.get(usize::from(b)) {
                        Some(&(mul, add)) if mul != 0 => {
                            hash = hash.wrapping_mul(mul).wrapping_add(add);
                            continue;
                        }
                        _ => return true,
                    }
                }
            }
            hash = hash.wrapping_mul(HASH_MUL).wrapping_add(u64::from(one));
        }
        self.may_be_protected(hash, labels)
    }

    /// Whether a suffix of `labels` labels whose reading skeleton has `hash`
    /// ([`skeleton_hash`]) may be a protected skeleton.
    fn may_be_protected(&self, hash: u64, labels: usize) -> bool {
        (2..64).contains(&labels)
            && self.label_counts & (1u64 << labels) != 0
            && self.filter.may_have(hash)
    }

    /// Whether the host's registrable domain (or, without one, the host) is
    /// protected.
    fn protected_host(&self, host: &str, registrable_start: Option<usize>) -> bool {
        let registrable = registrable_start
            .and_then(|s| host.get(s..))
            .unwrap_or(host);
        self.protected.contains(registrable)
    }

    /// Compares one reading skeleton of `host` with the protected skeletons.
    fn match_skeleton(
        &self,
        host: &str,
        skeleton: &str,
        registrable_start: Option<usize>,
    ) -> Match<'_> {
        // Suffixes of at least two labels, the longest first, as Chromium's
        // `LookupSkeletonInTopDomains` walks them; only as many labels as some
        // protected skeleton has. Found from the end, without a pass over the
        // whole skeleton for a long host.
        let bytes = skeleton.as_bytes();
        let mut starts: smallvec::SmallVec<[usize; 4]> = smallvec::SmallVec::new();
        let mut pos = bytes.len();
        // The labels of the suffix that starts after the next dot found.
        let mut labels = 1;
        loop {
            let dot = bytes
                .get(..pos)
                .and_then(|b| b.iter().rposition(|&c| c == b'.'));
            if (2..64).contains(&labels) && self.label_counts & (1u64 << labels) != 0 {
                starts.push(dot.map_or(0, |d| d + 1));
            }
            match dot {
                Some(d) if labels < self.max_labels => {
                    pos = d;
                    labels += 1;
                }
                _ => break,
            }
        }
        for &start in starts.iter().rev() {
            if let Some(of) = skeleton.get(start..).and_then(|s| self.by_skeleton.get(s)) {
                return if is_under(host, of) {
                    Match::Under
                } else {
                    Match::Imitates(of)
                };
            }
        }
        // A protected domain in front of another registrable domain. Only when
        // the skeleton has the host's labels (a skeleton may hold a dot where the
        // host has none) and only in the labels before the registrable domain.
        let Some(start) = registrable_start.filter(|_| self.embedded) else {
            return Match::None;
        };
        let dots: smallvec::SmallVec<[usize; 8]> = skeleton
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'.').then_some(i))
            .collect();
        let host_dots = host.bytes().filter(|&b| b == b'.').count();
        let before = host
            .get(..start)
            .map_or(0, |s| s.bytes().filter(|&b| b == b'.').count());
        if host_dots != dots.len() || before < 2 {
            return Match::None;
        }
        // Labels 0..before lie before the registrable domain.
        for first in 0..before.saturating_sub(1) {
            let from = match first {
                0 => 0,
                k => dots.get(k - 1).map_or(0, |d| d + 1),
            };
            for n in 2..=self.max_labels.min(before - first) {
                let Some(&to) = dots.get(first + n - 1) else {
                    break;
                };
                if let Some(of) = skeleton.get(from..to).and_then(|s| self.by_skeleton.get(s)) {
                    if !is_under(host, of) {
                        return Match::Imitates(of);
                    }
                }
            }
        }
        Match::None
    }

    /// The typosquat floor: the protected domain one edit from the host's
    /// registrable domain's first label, from the host without `www.` and its
    /// public suffix, or from the registrable domain.
    fn typo_of(&self, host: &str, registrable_start: usize) -> Option<&str> {
        let (names, domains) = self.typos.as_ref()?;
        let registrable = host.get(registrable_start..)?;
        if self.protected.contains(registrable) {
            return None;
        }
        let label = registrable.split('.').next()?;
        let name = host.get(..registrable_start + label.len())?;
        let name = name.strip_prefix("www.").unwrap_or(name);
        names
            .one_edit_from(label)
            .or_else(|| (name != label).then(|| names.one_edit_from(name)).flatten())
            .or_else(|| domains.one_edit_from(registrable))
            .filter(|of| !is_under(host, of))
    }
}

/// The multiplier of [`skeleton_hash`]: odd, so that multiplying by it loses
/// nothing.
const HASH_MUL: u64 = 0xA076_1D64_78BD_642F;

/// A hash of a reading skeleton, read from its end: each byte `b`, last first,
/// makes the hash `hash * HASH_MUL + b` (wrapping). Equal skeletons have equal
/// hashes; so the hash of a suffix of a host's skeleton can be carried on from
/// that of a shorter suffix, one multiply-add a byte ([`ReadingHashes`]). Not
/// secret: a host made to collide only costs the lookups every host cost before
/// the filter.
fn skeleton_hash(skeleton: &[u8]) -> u64 {
    skeleton.iter().rev().fold(0u64, |hash, &b| {
        hash.wrapping_mul(HASH_MUL).wrapping_add(u64::from(b))
    })
}

/// What the reading of each byte does to a [`skeleton_hash`] read from the end
/// (see [`ReadingHashes`]).
static READING_HASHES: LazyLock<ReadingHashes> = LazyLock::new(|| {
    let readings = &*ASCII_READINGS;
    let mut t = ReadingHashes {
        one: [0; 256],
        any: [(0, 0); 256],
    };
    for ((b, one), any) in (0u8..128).zip(t.one.iter_mut()).zip(t.any.iter_mut()) {
        let Some(r) = readings.of(b) else {
            continue;
        };
        if b != b'.' && r.contains(&b'.') || b == b'.' && r != b"." {
            continue;
        }
        let (mut mul, mut add) = (1u64, 0u64);
        for &c in r {
            add = add.wrapping_add(u64::from(c).wrapping_mul(mul));
            mul = mul.wrapping_mul(HASH_MUL);
        }
        *any = (mul, add);
        if let [c] = r {
            *one = *c;
        }
    }
    t
});

/// For each byte, what its reading skeleton ([`AsciiReadings`]) does to a
/// [`skeleton_hash`] read from the end, when the reading is put in front.
#[derive(Debug)]
struct ReadingHashes {
    /// `(mul, add)` such that `hash * mul + add` is the new hash: for a reading
    /// `r` of `n` bytes, `mul` is `HASH_MUL` to the power `n` and `add` the sum
    /// of `r[j] * HASH_MUL^j`. `mul` is 0 (a power of an odd number never is)
    /// for a byte that has no ASCII reading, or one with a dot other than the
    /// dot's own: a host with one is left to the lookups, so the dots of the
    /// hosts the filter answers for are those of their skeletons.
    any: [(u64, u64); 256],
    /// The reading when it is one byte (then `mul` is `HASH_MUL` and `add` the
    /// byte), else 0: most bytes, one multiply-add each.
    one: [u8; 256],
}

/// A set of [`skeleton_hash`]es that may answer yes for a hash it does not have,
/// never no for one it has: the hashes of the protected skeletons, one bit each,
/// at the top bits of the hash after a mix. With at least 32 bits a skeleton (up
/// to 2 MB), a hash it does not have finds its bit set about once in 32 times.
/// The default, empty filter has every hash.
#[derive(Clone, Debug, Default)]
struct SuffixFilter {
    /// The bits, 64 a word.
    words: Box<[u64]>,
    /// 64 less the number of bits of a slot number.
    shift: u32,
}

impl SuffixFilter {
    /// The most bits of a filter: 2 MB.
    const MAX_BITS: usize = 1 << 24;

    fn new(hashes: &[u64]) -> Self {
        let bits = hashes
            .len()
            .saturating_mul(32)
            .clamp(64, Self::MAX_BITS)
            .next_power_of_two();
        let mut filter = Self {
            words: vec![0u64; bits / 64].into_boxed_slice(),
            shift: 64 - bits.trailing_zeros(),
        };
        for &hash in hashes {
            let slot = filter.slot(hash);
            if let Some(word) = filter.words.get_mut(slot / 64) {
                *word |= 1 << (slot % 64);
            }
        }
        filter
    }

    /// Whether the filter may have `hash`.
    fn may_have(&self, hash: u64) -> bool {
        let slot = self.slot(hash);
        self.words
            .get(slot / 64)
            .is_none_or(|word| word >> (slot % 64) & 1 != 0)
    }

    /// The bit of a hash: the top bits of it, mixed (the low bits of a product
    /// depend on few bits of the bytes).
    fn slot(&self, hash: u64) -> usize {
        let mixed = (hash ^ (hash >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // At most 64 - 6 bits remain, and a slot number is below `words.len() * 64`.
        usize::try_from(mixed.checked_shr(self.shift).unwrap_or(0)).unwrap_or(usize::MAX)
    }
}

/// What comparing one skeleton found.
enum Match<'a> {
    /// No protected domain.
    None,
    /// The host is a protected domain or under one.
    Under,
    /// The host imitates this protected domain.
    Imitates(&'a str),
}

/// Whether `host` is `domain` or a subdomain of it.
fn is_under(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Names of protected domains (first labels, or whole domains), indexed by
/// every string one deletion from each (and by the name itself): a name one edit
/// from a protected one shares such a string with it (the symmetric delete
/// method), so finding it costs a lookup per character of the name rather than a
/// pass over all protected domains.
#[derive(Clone, Debug, Default)]
struct Typos {
    /// Each protected name and its domain.
    labels: Vec<(Box<str>, Box<str>)>,
    /// A deletion variant (or a label itself), with the indices of the labels
    /// that have it.
    by_variant: FastMap<Box<str>, smallvec::SmallVec<[u32; 2]>>,
}

impl Typos {
    fn add(&mut self, label: &str, domain: &str) {
        let Ok(i) = u32::try_from(self.labels.len()) else {
            return;
        };
        self.labels.push((label.into(), domain.into()));
        for v in deletions(label).chain(std::iter::once(label.to_owned())) {
            let e = self.by_variant.entry(v.into_boxed_str()).or_default();
            if !e.contains(&i) {
                e.push(i);
            }
        }
    }

    /// The first protected domain (in the order given) whose label is one edit
    /// from `label` (and not equal to it).
    fn one_edit_from(&self, label: &str) -> Option<&str> {
        let mut best: Option<u32> = None;
        for v in deletions(label).chain(std::iter::once(label.to_owned())) {
            for &i in self.by_variant.get(v.as_str()).into_iter().flatten() {
                let Some((l, _)) = self.labels.get(i as usize) else {
                    continue;
                };
                if best.is_none_or(|b| i < b) && is_one_edit(label, l) {
                    best = Some(i);
                }
            }
        }
        best.and_then(|i| self.labels.get(i as usize))
            .map(|(_, d)| &**d)
    }
}

/// Every string made by deleting one character of `s`.
fn deletions(s: &str) -> impl Iterator<Item = String> + '_ {
    s.char_indices().map(move |(i, c)| {
        let mut v = String::with_capacity(s.len());
        v.extend(s.get(..i));
        v.extend(s.get(i + c.len_utf8()..));
        v
    })
}

/// Whether `a` and `b` differ by exactly one edit: a character inserted,
/// deleted or replaced, or two neighbours swapped (the optimal string alignment
/// distance is 1).
fn is_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (
        a.get(prefix..).unwrap_or(&[]),
        b.get(prefix..).unwrap_or(&[]),
    );
    match (ra.len(), rb.len()) {
        (la, lb) if la == lb => {
            // Replaced, or swapped.
            ra.get(1..) == rb.get(1..)
                || (la >= 2
                    && ra.first() == rb.get(1)
                    && ra.get(1) == rb.first()
                    && ra.get(2..) == rb.get(2..))
        }
        (la, lb) if la == lb + 1 => ra.get(1..) == Some(rb),
        (la, lb) if la + 1 == lb => rb.get(1..) == Some(ra),
        _ => false,
    }
}

/// The rule of Chromium's IDN spoof checker that a label of the host breaks, if
/// any (see [`idn`]). `host`: ASCII, may have `xn--` labels; a plain ASCII host
/// breaks none, and costs a scan for `--`.
///
/// A label that is not valid punycode (which the URL parser does not let
/// through) breaks none.
pub(crate) fn spoof(host: &str) -> Option<LabelSpoof> {
    if host.is_ascii() && !has_double_hyphen(host) {
        return None;
    }
    let tld = host.rsplit('.').next().unwrap_or("");
    let tld_unicode = unicode_label(tld).unwrap_or(Cow::Borrowed(tld));
    let tld = ascii_lowercase(tld);
    host.split('.').find_map(|label| {
        if label.is_ascii() && !is_ace(label) {
            return None;
        }
        let unicode = unicode_label(label)?;
        idn::check_label(&unicode, &tld, &tld_unicode)
    })
}

/// Whether any label of the host mixes scripts beyond UTS #39's Highly
/// Restrictive level (Chromium's script-mixing rule).
#[cfg(test)]
pub(crate) fn mixes_scripts(host: &str) -> bool {
    spoof(host) == Some(LabelSpoof::MixedScript)
}

/// The most bytes of a skeleton made on the stack, enough for nearly every host;
/// a longer one (a host may have 253 bytes, and `m` becomes `rn`) is made on the
/// heap.
const STACK_SKELETON: usize = 128;

/// Calls `f` with the reading skeleton of a host: made on the stack for an ASCII
/// host without `xn--` labels (most hosts, which then cost no allocation), else
/// the first of [`host_skeletons`]. `plain`: the caller knows that no label is
/// `xn--` (a host the fast path read).
fn with_reading_skeleton<R>(host: &str, plain: bool, f: impl FnOnce(&str) -> R) -> R {
    if !plain && (!host.is_ascii() || has_double_hyphen(host)) {
        return f(&slow_skeleton(host));
    }
    let table = &*ASCII_READINGS;
    let mut buf = [0u8; STACK_SKELETON];
    let mut len = 0;
    for &b in host.as_bytes() {
        let pushed = match table.of(b) {
            // Most characters are their own reading, or another single one:
            // stored byte by byte, as a copy per character would call memcpy.
            Some(&[one]) => buf.get_mut(len).map(|slot| {
                *slot = one;
                len += 1;
            }),
            Some(s) => buf.get_mut(len..len + s.len()).map(|slots| {
                slots.copy_from_slice(s);
                len += s.len();
            }),
            None => None,
        };
        if pushed.is_none() {
            return f(&slow_skeleton(host));
        }
    }
    match buf.get(..len).map(std::str::from_utf8) {
        Some(Ok(skeleton)) => f(skeleton),
        _ => f(&slow_skeleton(host)),
    }
}

/// The first reading skeleton of a host.
fn slow_skeleton(host: &str) -> String {
    host_skeletons(host).into_iter().next().unwrap_or_default()
}

/// The most readings of one host (of its characters that read two ways).
const MAX_READINGS: usize = 8;

/// The reading skeletons of a host (ASCII, may have `xn--` labels, any case):
/// the first with every character read its usual way, then one for each choice
/// of the [alternative readings](tables::ALTERNATIVES) of characters it has.
fn host_skeletons(host: &str) -> Vec<String> {
    let labels: Vec<Cow<'_, str>> = host
        .split('.')
        .map(|l| {
            if l.is_ascii() && !is_ace(l) {
                Cow::Borrowed(l)
            } else {
                unicode_label(l).unwrap_or(Cow::Borrowed(l))
            }
        })
        .collect();
    let unicode = labels.join(".");
    let mut variants = vec![unicode];
    for &(c, readings) in tables::ALTERNATIVES {
        if !variants.iter().any(|v| v.contains(c)) {
            continue;
        }
        let mut next = Vec::new();
        for v in &variants {
            next.push(v.clone());
            for r in readings {
                if next.len() < MAX_READINGS {
                    next.push(v.replace(c, r));
                }
            }
        }
        variants = next;
    }
    variants.iter().map(|v| unicode_skeleton(v)).collect()
}

/// The reading skeleton of a host in Unicode form, label by label: diacritics
/// removed from a Latin-Greek-Cyrillic label, Chromium's extra confusables
/// mapped, the UTS #39 skeleton taken, and its ASCII characters read as
/// [`ASCII_READINGS`] reads them.
fn unicode_skeleton(host: &str) -> String {
    let table = &*ASCII_READINGS;
    let mut out = String::with_capacity(host.len().saturating_add(8));
    for (i, label) in host.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        let mapped: String = if label.is_ascii() {
            label.to_owned()
        } else {
            let plain = idn::remove_diacritics(label);
            plain
                .chars()
                .map(|c| match extra_confusable(c) {
                    Some(s) => Cow::Borrowed(s),
                    None => Cow::Owned(c.to_string()),
                })
                .collect()
        };
        for c in skeleton(&mapped) {
            match u8::try_from(c).ok().and_then(|b| table.of(b)) {
                Some(r) => out.extend(r.iter().map(|&b| char::from(b))),
                None => out.push(c),
            }
        }
    }
    out
}

/// What Chromium's extra confusable mapping reads a character as.
fn extra_confusable(c: char) -> Option<&'static str> {
    tables::EXTRA_CONFUSABLES
        .iter()
        .find(|(from, _)| from.contains(c))
        .map(|&(_, to)| to)
}

/// Whether the text has `--` (every `xn--` label has).
fn has_double_hyphen(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"--")
}

/// Whether a label starts with `xn--`, in any case.
fn is_ace(label: &str) -> bool {
    label
        .get(..ACE_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(ACE_PREFIX))
}

/// `s` with ASCII letters lowercase, borrowed when it has no uppercase one.
fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The Unicode form of one label, lowercase: `xn--` labels decoded. `None` for an
/// `xn--` label that is not valid punycode.
fn unicode_label(label: &str) -> Option<Cow<'_, str>> {
    let lower = ascii_lowercase(label);
    match lower.strip_prefix(ACE_PREFIX) {
        Some(encoded) => idna::punycode::decode_to_string(encoded).map(Cow::Owned),
        None => Some(lower),
    }
}

#[cfg(test)]
mod tests;
