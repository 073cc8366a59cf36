//! Snapshots: a compiled policy written to bytes, to ship to clients and
//! servers and load without the policy file and its list texts.
//!
//! [`Policy::to_snapshot`](crate::Policy::to_snapshot) writes one;
//! [`Policy::from_snapshot`](crate::Policy::from_snapshot) loads it, checking
//! every byte first. [`is_snapshot`] tells a snapshot's bytes from a policy
//! file's text, and [`info`] reads a snapshot's header.
//!
//! # Format, version 3
//!
//! All integers are little-endian. A snapshot is a 64-byte header, a table
//! directory, and the tables:
//!
//! | Offset | Size | Field |
//! |-------:|-----:|-------|
//! | 0 | 8 | [`MAGIC`]: `89 4C 50 53 4E 41 50 0A` (`\x89LPSNAP\n`; the first byte is not UTF-8, so no policy text starts so) |
//! | 8 | 4 | format version ([`FORMAT_VERSION`]) |
//! | 12 | 4 | number of tables, at most [`MAX_TABLES`] |
//! | 16 | 8 | the policy's revision ([`Policy::revision`](crate::Policy::revision)): a content hash of its model, lists and Public Suffix List |
//! | 24 | 8 | checksum: the 64-bit hash of every byte from offset 32 to the end ([`checksum`]) |
//! | 32 | 16 | the version of the crate that wrote it, ASCII, NUL-padded |
//! | 48 | 8 | the snapshot's length in bytes |
//! | 56 | 8 | head checksum: the hash of bytes 0–23 and 32–55 of the header, and of everything from the directory up to the `LDOM` table (to the end when there is none) |
//! | 64 | 24 × n | the directory: per table a 4-byte tag, 4 zero bytes, its offset and its length (8 bytes each) |
//!
//! The tables, each at most once:
//!
//! - `MODL` (required): the policy's plain model — every setting, rule,
//!   platform and list declaration — encoded with postcard.
//! - `LRES` (required): for each list, in declaration order, the entries
//!   that are not in `LDOM` (URL prefixes and regexes; all of them when there
//!   is no `LDOM`) and the lines that could not be used, with their line
//!   numbers, encoded with postcard.
//! - `LDOM`: the lists' domain and host entries, read in place (its layout is
//!   below). It comes last and runs to the end of the snapshot.
//! - `PSLD`: a custom Public Suffix List, in the `.dat` format; or
//! - `PSLV`: the version of the built-in list the policy was built with; a
//!   crate with another built-in list refuses the snapshot
//!   ([`ErrorKind::UnsupportedSnapshot`]) rather than give other registrable
//!   domains.
//!
//! `LDOM` is a header of 32 bytes (entries `N`, buckets `B`, filter words `W`,
//! lists, 4 bytes each; the seed of its hash and a mask of the label counts its
//! entries have, 8 bytes each), a directory of `B + 1` 4-byte entry offsets,
//! a filter of `W` 8-byte words, and `N` entries of 18 bytes: a 96-bit
//! fingerprint of the entry's domain or host, its line (4 bytes), and a 16-bit
//! word with its list's index (bits 0–12), and whether it is a host entry
//! (bit 13), an exception (bit 14) and important (bit 15). A suffix of a link's
//! host is looked up by a seeded 64-bit hash `H(seed, key)` (per 8-byte
//! little-endian word `w`, the last zero-padded, `h = fold(h ^ w, K2)` from
//! `h = seed ^ len × K1`, then `fold(h, K1)`; `fold` xors the halves of the
//! 128-bit product; `K1` = `0x9E3779B97F4A7C15`, `K2` = `0xC2B2AE3D27D4EB4F`):
//! its high bits pick a filter word (`h × W >> 64`), its bits 0–5 and 6–11 two
//! bits of it (both must be set), and the same reduction of `h` rotated left by
//! 32 its bucket. The entries of a bucket are in list, then line order.
//!
//! The fingerprint of an entry that blocks (not an exception, in a list whose
//! action is block) is the fast one: the 8 bytes of `H(seed ^ 0x666173745f667031,
//! key)` then the low 4 of `H(seed ^ 0x666173745f667032, key)`. Every other
//! entry's is the first 96 bits of the key's SHA-256. The split is safe
//! because a match can only make a verdict stricter when the entry blocks:
//! whoever crafts a host to collide with one (the seed is in the bytes) gets
//! their own link blocked; an entry that allows or warns could lift a block,
//! so finding a host that collides with one takes about 2^96 / n SHA-256s.
//! The text of the entries is not kept: the snapshot is smaller than the lists.
//!
//! Complaint counts are not in a snapshot: they are data refreshed more often
//! than the policy, set on a loaded policy with
//! [`Policy::with_complaints`](crate::Policy::with_complaints) as on a built one.
//!
//! # Loading
//!
//! [`Policy::from_snapshot`](crate::Policy::from_snapshot) checks the magic, the version, the length, the head
//! checksum and every table's bounds, decodes the model and compiles it with
//! the lists' remaining entries (work that grows with the policy's own rules,
//! not with its lists' domains), and reads the `LDOM` table's 32-byte header:
//! its entries are read in place, each read bounds-checked, when a link asks
//! for them. So loading a million-domain policy takes about as long as
//! building the same policy without its lists.
//!
//! The whole checksum is not checked on load: it would read every byte.
//! [`verify`] checks it (`linkpolicy check` does), for a snapshot whose
//! transport does not already guard it. A damaged or crafted list table gives
//! well-formed verdicts, never a panic or an out-of-bounds read: an entry that
//! names no list is no entry, a bucket is read up to 1,024 entries. Neither
//! checksum tells forged bytes from good ones: take snapshots from a source you
//! would take policy files from. Another format version is an
//! [`ErrorKind::UnsupportedSnapshot`] error; any other mismatch an
//! [`ErrorKind::CorruptSnapshot`] one.
//!
//! # Example
//!
//! ```
//! use linkpolicy::{Context, Policy, SAMPLE_POLICY};
//!
//! let built = Policy::from_toml_str(SAMPLE_POLICY)?;
//! let bytes = built.to_snapshot();
//! assert!(linkpolicy::snapshot::is_snapshot(&bytes));
//! assert!(!linkpolicy::snapshot::is_snapshot(SAMPLE_POLICY.as_bytes()));
//!
//! let loaded = Policy::from_snapshot(bytes)?;
//! assert_eq!(loaded.revision(), built.revision());
//! let ctx = Context::group(250);
//! let link = "https://item.jd.com/100012043978.html";
//! assert_eq!(loaded.classify(link, &ctx), built.classify(link, &ctx));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod hash;

use std::sync::Arc;

use crate::engine::compiled::{Compiled, Source};
use crate::error::{Error, ErrorKind};
use crate::lists::{ListFormat, ListPattern, ParsedList};
use crate::matching::list_table::{ListTable, Row, u32_at, u64_at};
use crate::model::{Loaded, Model};
use crate::psl::PublicSuffixList;
use crate::rules::Action;

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"\x89LPSNAP\n";

/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 3;

/// The most tables a snapshot may have.
pub const MAX_TABLES: u32 = 16;

const HEADER_LEN: usize = 64;
const ENTRY_LEN: usize = 24;
const CHECKSUM_SEED: u64 = 0x6c69_6e6b_736e_6170; // "linksnap"
const HEAD_SEED: u64 = 0x6c69_6e6b_6865_6164; // "linkhead"
const TABLE_SEED: u64 = 0x6c69_6e6b_6c64_6f6d; // "linkldom"
const MODEL: [u8; 4] = *b"MODL";
const REST: [u8; 4] = *b"LRES";
const DOMAINS: [u8; 4] = *b"LDOM";
const PSL_DAT: [u8; 4] = *b"PSLD";
const PSL_VERSION: [u8; 4] = *b"PSLV";

/// Whether `bytes` start as a snapshot does (its [`MAGIC`]): for a tool that
/// takes a policy file or a snapshot, to tell which it was given. It does not
/// check the rest; [`Policy::from_snapshot`](crate::Policy::from_snapshot) does.
///
/// # Example
///
/// ```
/// use linkpolicy::{Policy, snapshot};
///
/// let bytes = Policy::from_toml_str("version = 1")?.to_snapshot();
/// assert!(snapshot::is_snapshot(&bytes));
/// assert!(!snapshot::is_snapshot(b"version = 1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn is_snapshot(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// A snapshot's header, read by [`info`].
#[derive(Clone, Debug, Eq, PartialEq)]
#[non_exhaustive]
pub struct Info {
    /// The format version.
    pub format_version: u32,
    /// The version of the crate that wrote it.
    pub crate_version: String,
    /// The revision of the policy it holds.
    pub revision: u64,
    /// Its length in bytes.
    pub len: usize,
}

/// Reads and checks a snapshot's header, directory and head checksum, without
/// compiling the policy or reading its list table.
///
/// # Errors
///
/// As [`Policy::from_snapshot`](crate::Policy::from_snapshot), for everything but the policy itself.
///
/// # Example
///
/// ```
/// use linkpolicy::{Policy, snapshot};
///
/// let policy = Policy::from_toml_str("version = 1")?;
/// let info = snapshot::info(&policy.to_snapshot())?;
/// assert_eq!(info.format_version, snapshot::FORMAT_VERSION);
/// assert_eq!(info.revision, policy.revision());
/// assert_eq!(info.crate_version, env!("CARGO_PKG_VERSION"));
/// # Ok::<(), linkpolicy::Error>(())
/// ```
pub fn info(bytes: &[u8]) -> Result<Info, Error> {
    Ok(Parsed::new(bytes)?.info)
}

/// Checks every byte of a snapshot: [`info`]'s checks and the whole checksum,
/// which [`Policy::from_snapshot`](crate::Policy::from_snapshot) leaves out (it reads the list table in
/// place, and would otherwise read all of it). For a snapshot that came over a
/// transport that does not guard its bytes; `linkpolicy check` runs it.
///
/// # Errors
///
/// [`ErrorKind::CorruptSnapshot`] when the checksum does not match, and
/// [`info`]'s errors.
///
/// # Example
///
/// ```
/// use linkpolicy::{Policy, snapshot};
///
/// let mut bytes = Policy::from_toml_str("version = 1")?.to_snapshot();
/// assert!(snapshot::verify(&bytes).is_ok());
/// let last = bytes.len() - 1;
/// bytes[last] ^= 1;
/// assert!(snapshot::verify(&bytes).is_err());
/// # Ok::<(), linkpolicy::Error>(())
/// ```
pub fn verify(bytes: &[u8]) -> Result<Info, Error> {
    let parsed = Parsed::new(bytes)?;
    if u64_at(bytes, 24) != Some(checksum(bytes)) {
        return Err(Error::corrupt_snapshot(
            "the checksum does not match: the bytes were damaged",
        ));
    }
    Ok(parsed.info)
}

/// The checksum a snapshot's header holds: the format's 64-bit hash of its
/// bytes from offset 32 on (nothing for fewer bytes than that). For tools that
/// write or check snapshots; [`verify`] checks it.
///
/// # Example
///
/// ```
/// use linkpolicy::{Policy, snapshot};
///
/// let bytes = Policy::from_toml_str("version = 1")?.to_snapshot();
/// assert_eq!(snapshot::checksum(&bytes).to_le_bytes(), bytes[24..32]);
/// # Ok::<(), linkpolicy::Error>(())
/// ```
pub fn checksum(snapshot: &[u8]) -> u64 {
    hash::hash64(CHECKSUM_SEED, snapshot.get(32..).unwrap_or_default())
}

/// Rewrites both checksums of a snapshot's header to match its bytes, as a
/// tool that edits snapshots must (and as a forger can: the checksums catch
/// damage, not forgery). Bytes too short for a header are left as they are.
///
/// # Example
///
/// ```
/// use linkpolicy::{Policy, snapshot};
///
/// let mut bytes = Policy::from_toml_str("version = 1")?.to_snapshot();
/// bytes[57] ^= 1;
/// assert!(Policy::from_snapshot(bytes.clone()).is_err());
/// snapshot::reseal(&mut bytes);
/// assert!(snapshot::verify(&bytes).is_ok());
/// # Ok::<(), linkpolicy::Error>(())
/// ```
pub fn reseal(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    // Where the list table starts, as the directory says (the end without one).
    let tables = u32_at(bytes, 12).unwrap_or(0).min(MAX_TABLES) as usize;
    let head_end = (0..tables)
        .map(|i| HEADER_LEN + ENTRY_LEN * i)
        .find(|&at| bytes.get(at..at + 4) == Some(&DOMAINS[..]))
        .and_then(|at| u64_at(bytes, at + 8))
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(bytes.len());
    let head = head_checksum(bytes, head_end);
    if let Some(slot) = bytes.get_mut(56..64) {
        slot.copy_from_slice(&head.to_le_bytes());
    }
    let sum = checksum(bytes);
    if let Some(slot) = bytes.get_mut(24..32) {
        slot.copy_from_slice(&sum.to_le_bytes());
    }
}

/// The head checksum of a snapshot whose list table starts at `table` (its
/// length when there is none): header bytes 0–23 and 32–55, then the rest up
/// to the table. For tools that write snapshots; loading checks it.
fn head_checksum(bytes: &[u8], table: usize) -> u64 {
    let part =
        |r: std::ops::Range<usize>| hash::hash64(HEAD_SEED, bytes.get(r).unwrap_or_default());
    let acc = hash::combine(part(0..24), part(32..56));
    hash::combine(acc, part(HEADER_LEN..table))
}

/// A snapshot whose header, directory and head checksum were checked.
struct Parsed<'a> {
    info: Info,
    model: &'a [u8],
    rest: &'a [u8],
    /// Where the list table lies in the snapshot.
    domains: Option<(usize, usize)>,
    psl_dat: Option<&'a [u8]>,
    psl_version: Option<&'a [u8]>,
}

impl<'a> Parsed<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        if !is_snapshot(bytes) {
            return Err(Error::corrupt_snapshot(
                "not a snapshot: it does not start with the snapshot magic",
            ));
        }
        let short = || {
            Error::corrupt_snapshot(format!("cut short: {} bytes, no whole header", bytes.len()))
        };
        let version = u32_at(bytes, 8).ok_or_else(short)?;
        if version != FORMAT_VERSION {
            return Err(Error::new(
                ErrorKind::UnsupportedSnapshot,
                format!(
                    "snapshot format version {version}; this crate ({}) reads version \
                     {FORMAT_VERSION}: compile the policy again with it",
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        if bytes.len() < HEADER_LEN {
            return Err(short());
        }
        let tables = u32_at(bytes, 12).ok_or_else(short)?;
        let revision = u64_at(bytes, 16).ok_or_else(short)?;
        let crate_version = bytes.get(32..48).ok_or_else(short)?;
        let len = u64_at(bytes, 48).ok_or_else(short)?;
        let head = u64_at(bytes, 56).ok_or_else(short)?;
        if len != bytes.len() as u64 {
            return Err(Error::corrupt_snapshot(format!(
                "the header says {len} bytes, there are {}: cut short or padded",
                bytes.len()
            )));
        }
        if tables > MAX_TABLES {
            return Err(Error::corrupt_snapshot(format!(
                "{tables} tables, more than {MAX_TABLES}"
            )));
        }
        let dir_end = HEADER_LEN + ENTRY_LEN * tables as usize;
        let mut parsed = Parsed {
            info: Info {
                format_version: version,
                crate_version: String::new(),
                revision,
                len: bytes.len(),
            },
            model: &[],
            rest: &[],
            domains: None,
            psl_dat: None,
            psl_version: None,
        };
        let (mut model, mut rest, mut domains) = (None, None, None);
        for i in 0..tables as usize {
            let at = HEADER_LEN + ENTRY_LEN * i;
            let entry =
                || Error::corrupt_snapshot(format!("table {i}: its directory entry is cut short"));
            let tag: [u8; 4] = bytes
                .get(at..at + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or_else(entry)?;
            let offset = u64_at(bytes, at + 8).ok_or_else(entry)?;
            let length = u64_at(bytes, at + 16).ok_or_else(entry)?;
            let range = usize::try_from(offset)
                .ok()
                .filter(|&o| o >= dir_end)
                .and_then(|o| Some((o, o.checked_add(usize::try_from(length).ok()?)?)))
                .filter(|&(_, end)| end <= bytes.len())
                .ok_or_else(|| {
                    Error::corrupt_snapshot(format!(
                        "table {i}: bytes {offset}..+{length} are outside the snapshot"
                    ))
                })?;
            let table = bytes.get(range.0..range.1).unwrap_or_default();
            let seen = match tag {
                MODEL => model.replace(table).is_some(),
                REST => rest.replace(table).is_some(),
                DOMAINS => {
                    if range.1 != bytes.len() {
                        return Err(Error::corrupt_snapshot(format!(
                            "table {i}: the list table does not run to the end"
                        )));
                    }
                    domains.replace(range).is_some()
                }
                PSL_DAT => parsed.psl_dat.replace(table).is_some(),
                PSL_VERSION => parsed.psl_version.replace(table).is_some(),
                _ => {
                    return Err(Error::corrupt_snapshot(format!(
                        "table {i}: unknown tag {:?}",
                        String::from_utf8_lossy(&tag)
                    )));
                }
            };
            if seen {
                return Err(Error::corrupt_snapshot(format!(
                    "table {i}: a second {:?} table",
                    String::from_utf8_lossy(&tag)
                )));
            }
        }
        let head_end = domains.map_or(bytes.len(), |(start, _)| start);
        if head_checksum(bytes, head_end) != head {
            return Err(Error::corrupt_snapshot(
                "the head checksum does not match: the bytes were damaged",
            ));
        }
        parsed.info.crate_version = std::str::from_utf8(crate_version)
            .ok()
            .map(|v| v.trim_end_matches('\0').to_owned())
            .ok_or_else(|| Error::corrupt_snapshot("the crate version is not text"))?;
        parsed.model = model.ok_or_else(|| Error::corrupt_snapshot("no model table"))?;
        parsed.rest = rest.ok_or_else(|| Error::corrupt_snapshot("no list table"))?;
        parsed.domains = domains;
        if parsed.psl_dat.is_some() == parsed.psl_version.is_some() {
            return Err(Error::corrupt_snapshot(
                "not exactly one Public Suffix List table",
            ));
        }
        Ok(parsed)
    }
}

/// What a built policy's lists give a snapshot: the `LRES` table and, when
/// they fit one, the `LDOM` table.
fn list_tables(
    lists: &[(String, ListFormat, String)],
    blocking: &[bool],
    revision: u64,
) -> (Vec<ParsedList>, Option<Vec<u8>>) {
    let parsed: Vec<ParsedList> = lists
        .iter()
        .map(|(_, format, text)| crate::lists::parse_list(*format, text))
        .collect();
    let mut rows = Vec::new();
    let mut rest = Vec::with_capacity(parsed.len());
    let mut fits = true;
    for (i, list) in parsed.iter().enumerate() {
        let mut kept = ParsedList {
            entries: Vec::new(),
            skipped: list.skipped.clone(),
        };
        for e in &list.entries {
            let (key, host) = match &e.pattern {
                ListPattern::Domain(d) => (d, false),
                ListPattern::Host(h) => (h, true),
                ListPattern::UrlPrefix(_) | ListPattern::Regex(_) => {
                    kept.entries.push(e.clone());
                    continue;
                }
            };
            match (u32::try_from(i), u32::try_from(e.line)) {
                (Ok(list), Ok(line)) => rows.push(Row {
                    key,
                    list,
                    line,
                    host,
                    exception: e.exception,
                    important: e.important,
                }),
                _ => fits = false,
            }
        }
        rest.push(kept);
    }
    let table = if rows.is_empty() || !fits {
        None
    } else {
        crate::matching::list_table::write(&rows, blocking, hash::combine(revision, TABLE_SEED))
    };
    drop(rows);
    match table {
        Some(t) => (rest, Some(t)),
        // No domain entries, or more than the table holds: every list whole.
        None => (parsed, None),
    }
}

/// Writes a compiled policy's snapshot.
pub(crate) fn write(policy: &Compiled) -> Vec<u8> {
    let (model, lists, custom_psl) = match &*policy.source {
        Source::Snapshot(bytes) => return bytes.to_vec(),
        Source::Built {
            model,
            lists,
            custom_psl,
        } => (model, lists, custom_psl),
    };
    let blocking: Vec<bool> = policy
        .lists
        .iter()
        .map(|l| l.action == Action::Block)
        .collect();
    let (rest, domains) = list_tables(lists, &blocking, policy.revision);
    // Encoding plain data into a vector fails only for types postcard cannot
    // represent, which the lists have none of.
    let rest = postcard::to_allocvec(&rest).unwrap_or_default();
    let psl_version;
    let mut tables: Vec<([u8; 4], &[u8])> = vec![(MODEL, model), (REST, &rest)];
    match custom_psl {
        Some(dat) => tables.push((PSL_DAT, dat.as_bytes())),
        None => {
            psl_version = PublicSuffixList::builtin()
                .version()
                .unwrap_or("")
                .to_owned();
            tables.push((PSL_VERSION, psl_version.as_bytes()));
        }
    }
    if let Some(d) = &domains {
        tables.push((DOMAINS, d));
    }
    let dir_end = HEADER_LEN + ENTRY_LEN * tables.len();
    let total = dir_end + tables.iter().map(|(_, t)| t.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&len_u32(tables.len()).to_le_bytes());
    out.extend_from_slice(&policy.revision.to_le_bytes());
    out.extend_from_slice(&[0; 8]); // the checksum, below
    let mut version = [0u8; 16];
    for (d, s) in version.iter_mut().zip(env!("CARGO_PKG_VERSION").bytes()) {
        *d = s;
    }
    out.extend_from_slice(&version);
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&[0; 8]); // the head checksum, below
    let mut offset = dir_end;
    let mut head_end = total;
    for (tag, t) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(offset as u64).to_le_bytes());
        out.extend_from_slice(&(t.len() as u64).to_le_bytes());
        if *tag == DOMAINS {
            head_end = offset;
        }
        offset += t.len();
    }
    for (_, t) in &tables {
        out.extend_from_slice(t);
    }
    let head = head_checksum(&out, head_end);
    if let Some(slot) = out.get_mut(56..64) {
        slot.copy_from_slice(&head.to_le_bytes());
    }
    let checksum = checksum(&out);
    if let Some(slot) = out.get_mut(24..32) {
        slot.copy_from_slice(&checksum.to_le_bytes());
    }
    out
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads a snapshot: its model, with what the model is compiled with besides
/// (the list entries, the list table, the Public Suffix List) set in it.
pub(crate) fn read(bytes: Arc<[u8]>) -> Result<Model, Error> {
    let parsed = Parsed::new(&bytes)?;
    let mut model: Model = postcard::from_bytes(parsed.model)
        .map_err(|e| Error::corrupt_snapshot(format!("the model table does not decode: {e}")))?;
    let lists: Vec<ParsedList> = postcard::from_bytes(parsed.rest)
        .map_err(|e| Error::corrupt_snapshot(format!("the list table does not decode: {e}")))?;
    if lists.len() != model.lists.len() {
        return Err(Error::corrupt_snapshot(format!(
            "the list table has {} list(s), the model declares {}",
            lists.len(),
            model.lists.len()
        )));
    }
    let psl = match (parsed.psl_dat, parsed.psl_version) {
        (Some(dat), _) => {
            let text = std::str::from_utf8(dat)
                .map_err(|_| Error::corrupt_snapshot("the Public Suffix List is not UTF-8"))?;
            Some(Arc::new(PublicSuffixList::from_dat(text)?))
        }
        (None, Some(v)) => {
            let builtin = PublicSuffixList::builtin();
            let ours = builtin.version().unwrap_or("");
            if v != ours.as_bytes() {
                return Err(Error::new(
                    ErrorKind::UnsupportedSnapshot,
                    format!(
                        "the snapshot was built with the built-in Public Suffix List {:?}; \
                         this crate has {ours:?}: compile the policy again with it",
                        String::from_utf8_lossy(v)
                    ),
                ));
            }
            None
        }
        (None, None) => None,
    };
    let table = match parsed.domains {
        Some((start, end)) => Some(ListTable::new(bytes.clone(), start, end)?),
        None => None,
    };
    let revision = parsed.info.revision;
    model.psl = psl;
    model.loaded = Some(Arc::new(Loaded {
        bytes,
        revision,
        lists,
        table,
    }));
    Ok(model)
}

/// The plain model, encoded (postcard: compact, and the same bytes for the
/// same model on every machine).
pub(crate) fn encode_model(model: &Model) -> Box<[u8]> {
    // Encoding plain data into a vector fails only for types postcard cannot
    // represent, which the model has none of (a test encodes every kind).
    postcard::to_allocvec(model)
        .unwrap_or_default()
        .into_boxed_slice()
}

/// A policy's revision: the hash of its encoded model, of its Public Suffix List
/// (the custom list's text, or the built-in list's version) and of each list's id
/// and text, in order, each part hashed alone and the parts folded in order with
/// their lengths.
pub(crate) fn revision<'a>(
    model: &[u8],
    psl: &PublicSuffixList,
    custom_psl: Option<&str>,
    lists: impl Iterator<Item = (&'a str, &'a str)>,
) -> u64 {
    const SEED: u64 = 0x6c69_6e6b_7265_7631; // "linkrev1"
    let part = |acc: u64, bytes: &[u8]| {
        hash::combine(
            hash::combine(acc, bytes.len() as u64),
            hash::hash64(SEED, bytes),
        )
    };
    let mut acc = part(SEED, model);
    acc = match custom_psl {
        Some(text) => part(hash::combine(acc, 1), text.as_bytes()),
        None => part(
            hash::combine(acc, 0),
            psl.version().unwrap_or("").as_bytes(),
        ),
    };
    for (id, text) in lists {
        acc = part(acc, id.as_bytes());
        acc = part(acc, text.as_bytes());
    }
    acc
}

#[cfg(test)]
mod tests {
    use crate::{Action, Category, Complaint, List, ListFormat, Policy, Threshold};

    fn with_list(text: &str) -> Policy {
        Policy::builder()
            .list(List::new("feed", ListFormat::Domains, Action::Block))
            .list_text("feed", text)
            .complaint_threshold(Category::Fraud, Threshold::new(Some(1), None))
            .build()
            .unwrap()
    }

    #[test]
    fn revision_names_the_model_and_the_list_texts() {
        let a = with_list("a.example\n");
        assert_eq!(a.revision(), with_list("a.example\n").revision());
        assert_ne!(a.revision(), with_list("b.example\n").revision());
        let other = Policy::builder()
            .list(List::new("feed", ListFormat::Domains, Action::Warn))
            .list_text("feed", "a.example\n")
            .complaint_threshold(Category::Fraud, Threshold::new(Some(1), None))
            .build()
            .unwrap();
        assert_ne!(a.revision(), other.revision());
        // Complaint counts are data: they keep the revision.
        let counted = a
            .with_complaints([Complaint::new("a.example", Category::Fraud, 3)])
            .unwrap();
        assert_eq!(counted.revision(), a.revision());
    }
}
