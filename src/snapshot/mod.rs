//! Snapshots: a compiled policy written to bytes, to ship to clients and
//! servers and load without the policy file and its list texts.
//!
//! [`Policy::to_snapshot`](crate::Policy::to_snapshot) writes one;
//! [`Policy::from_snapshot`](crate::Policy::from_snapshot) loads it, checking
//! every byte first. [`is_snapshot`] tells a snapshot's bytes from a policy
//! file's text, and [`info`] reads a snapshot's header.
//!
//! # Format, version 1
//!
//! All integers are little-endian. A snapshot is a 64-byte header, a table
//! directory, and the tables:
//!
//! | Offset | Size | Field |
//! |-------:|-----:|-------|
//! | 0 | 8 | [`MAGIC`]: `89 4C 50 53 4E 41 50 0A` (`\x89LPSNAP\n`; the first byte is not UTF-8, so no policy text starts so) |
//! | 8 | 4 | format version ([`FORMAT_VERSION`]) |
//! | 12 | 4 | number of tables, at most [`MAX_TABLES`] |
//! | 16 | 8 | the policy's revision ([`Policy::revision`](crate::Policy::revision)) |
//! | 24 | 8 | checksum: the 64-bit hash of every byte from offset 32 to the end |
//! | 32 | 16 | the version of the crate that wrote it, ASCII, NUL-padded |
//! | 48 | 8 | the snapshot's length in bytes |
//! | 56 | 8 | reserved, zero |
//! | 64 | 24 × n | the directory: per table a 4-byte tag, 4 zero bytes, its offset and its length (8 bytes each) |
//!
//! The tables, each at most once:
//!
//! - `MODL` (required): the policy's plain model — every setting, rule,
//!   platform and list declaration — encoded with postcard.
//! - `LIST` (required): the lists' ids and texts, in declaration order: a
//!   4-byte count, then for each list a 4-byte id length, the id, an 8-byte text
//!   length and the text (UTF-8).
//! - `PSLD`: a custom Public Suffix List, in the `.dat` format; or
//! - `PSLV`: the version of the built-in list the policy was built with; a
//!   crate with another built-in list refuses the snapshot
//!   ([`ErrorKind::UnsupportedSnapshot`]) rather than give other registrable
//!   domains.
//!
//! Complaint counts are not in a snapshot: they are data refreshed more often
//! than the policy, set on a loaded policy with
//! [`Policy::with_complaints`](crate::Policy::with_complaints) as on a built one.
//!
//! Loading checks the magic, the version, the length, the checksum and every
//! table's bounds (work linear in the number of tables, plus one pass of the
//! hash over the bytes), then compiles the model and the lists, and checks that
//! the result has the revision the header names. Any mismatch is an
//! [`ErrorKind::CorruptSnapshot`] error; another format version is an
//! [`ErrorKind::UnsupportedSnapshot`] error. The checksum tells damaged bytes
//! from good ones, not forged bytes from good ones: a crafted snapshot is compiled
//! as a policy file is, within the [`SizeLimits`](crate::SizeLimits) its model
//! names, so take snapshots from a source you would take policy files from.
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

use crate::error::{Error, ErrorKind};
use crate::policy::{Policy, PolicyBuilder};
use crate::psl::PublicSuffixList;

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"\x89LPSNAP\n";

/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The most tables a snapshot may have.
pub const MAX_TABLES: u32 = 16;

const HEADER_LEN: usize = 64;
const ENTRY_LEN: usize = 24;
const CHECKSUM_SEED: u64 = 0x6c69_6e6b_736e_6170; // "linksnap"
const MODEL: [u8; 4] = *b"MODL";
const LISTS: [u8; 4] = *b"LIST";
const PSL_DAT: [u8; 4] = *b"PSLD";
const PSL_VERSION: [u8; 4] = *b"PSLV";

/// Whether `bytes` start as a snapshot does (its [`MAGIC`]): for a tool that
/// takes a policy file or a snapshot, to tell which it was given. It does not
/// check the rest; [`Policy::from_snapshot`] does.
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

/// Reads and checks a snapshot's header, directory and checksum, without
/// compiling the policy.
///
/// # Errors
///
/// As [`Policy::from_snapshot`], for everything but the policy itself.
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

/// The checksum a snapshot's header holds: the format's 64-bit hash of its
/// bytes from offset 32 on (nothing for fewer bytes than that). For tools that
/// write or check snapshots; [`Policy::from_snapshot`] checks it itself.
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

fn corrupt(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::CorruptSnapshot, msg)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// A snapshot whose header, directory and checksum were checked.
struct Parsed<'a> {
    info: Info,
    model: &'a [u8],
    lists: &'a [u8],
    psl_dat: Option<&'a [u8]>,
    psl_version: Option<&'a [u8]>,
}

impl<'a> Parsed<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        if !is_snapshot(bytes) {
            return Err(corrupt(
                "not a snapshot: it does not start with the snapshot magic",
            ));
        }
        let short = || corrupt(format!("cut short: {} bytes, no whole header", bytes.len()));
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
        let checksum = u64_at(bytes, 24).ok_or_else(short)?;
        let crate_version = bytes.get(32..48).ok_or_else(short)?;
        let len = u64_at(bytes, 48).ok_or_else(short)?;
        if len != bytes.len() as u64 {
            return Err(corrupt(format!(
                "the header says {len} bytes, there are {}: cut short or padded",
                bytes.len()
            )));
        }
        if self::checksum(bytes) != checksum {
            return Err(corrupt(
                "the checksum does not match: the bytes were damaged",
            ));
        }
        if tables > MAX_TABLES {
            return Err(corrupt(format!("{tables} tables, more than {MAX_TABLES}")));
        }
        let crate_version = std::str::from_utf8(crate_version)
            .ok()
            .map(|v| v.trim_end_matches('\0').to_owned())
            .ok_or_else(|| corrupt("the crate version is not text"))?;
        let dir_end = HEADER_LEN + ENTRY_LEN * tables as usize;
        let mut parsed = Parsed {
            info: Info {
                format_version: version,
                crate_version,
                revision,
                len: bytes.len(),
            },
            model: &[],
            lists: &[],
            psl_dat: None,
            psl_version: None,
        };
        let (mut model, mut lists) = (None, None);
        for i in 0..tables as usize {
            let at = HEADER_LEN + ENTRY_LEN * i;
            let entry = || corrupt(format!("table {i}: its directory entry is cut short"));
            let tag: [u8; 4] = bytes
                .get(at..at + 4)
                .and_then(|t| t.try_into().ok())
                .ok_or_else(entry)?;
            let offset = u64_at(bytes, at + 8).ok_or_else(entry)?;
            let length = u64_at(bytes, at + 16).ok_or_else(entry)?;
            let table = usize::try_from(offset)
                .ok()
                .filter(|&o| o >= dir_end)
                .and_then(|o| Some((o, o.checked_add(usize::try_from(length).ok()?)?)))
                .and_then(|(o, end)| bytes.get(o..end))
                .ok_or_else(|| {
                    corrupt(format!(
                        "table {i}: bytes {offset}..+{length} are outside the snapshot"
                    ))
                })?;
            let slot = match tag {
                MODEL => &mut model,
                LISTS => &mut lists,
                PSL_DAT => &mut parsed.psl_dat,
                PSL_VERSION => &mut parsed.psl_version,
                _ => {
                    return Err(corrupt(format!(
                        "table {i}: unknown tag {:?}",
                        String::from_utf8_lossy(&tag)
                    )));
                }
            };
            if slot.replace(table).is_some() {
                return Err(corrupt(format!(
                    "table {i}: a second {:?} table",
                    String::from_utf8_lossy(&tag)
                )));
            }
        }
        parsed.model = model.ok_or_else(|| corrupt("no model table"))?;
        parsed.lists = lists.ok_or_else(|| corrupt("no list table"))?;
        if parsed.psl_dat.is_some() == parsed.psl_version.is_some() {
            return Err(corrupt("not exactly one Public Suffix List table"));
        }
        Ok(parsed)
    }
}

/// Reads the `LIST` table: each list's id and text.
fn read_lists(mut b: &[u8]) -> Result<Vec<(String, String)>, Error> {
    fn take<'b>(b: &mut &'b [u8], n: u64) -> Option<&'b [u8]> {
        let n = usize::try_from(n).ok()?;
        let (head, rest) = b.split_at_checked(n)?;
        *b = rest;
        Some(head)
    }
    let bad = |what: &str| corrupt(format!("list table: {what}"));
    let count = take(&mut b, 4)
        .and_then(|c| u32_at(c, 0))
        .ok_or_else(|| bad("cut short"))?;
    let mut out = Vec::new();
    for _ in 0..count {
        let id_len = take(&mut b, 4)
            .and_then(|c| u32_at(c, 0))
            .ok_or_else(|| bad("cut short"))?;
        let id = take(&mut b, u64::from(id_len)).ok_or_else(|| bad("cut short"))?;
        let text_len = take(&mut b, 8)
            .and_then(|c| u64_at(c, 0))
            .ok_or_else(|| bad("cut short"))?;
        let text = take(&mut b, text_len).ok_or_else(|| bad("cut short"))?;
        let id = std::str::from_utf8(id).map_err(|_| bad("an id is not UTF-8"))?;
        let text = std::str::from_utf8(text).map_err(|_| bad("a text is not UTF-8"))?;
        out.push((id.to_owned(), text.to_owned()));
    }
    if !b.is_empty() {
        return Err(bad("bytes after the last list"));
    }
    Ok(out)
}

/// Writes a policy's snapshot.
pub(crate) fn write(policy: &Policy) -> Vec<u8> {
    let source = &policy.inner.source;
    let mut lists = Vec::new();
    lists.extend_from_slice(&len_u32(source.lists.len()).to_le_bytes());
    for (id, text) in &source.lists {
        lists.extend_from_slice(&len_u32(id.len()).to_le_bytes());
        lists.extend_from_slice(id.as_bytes());
        lists.extend_from_slice(&(text.len() as u64).to_le_bytes());
        lists.extend_from_slice(text.as_bytes());
    }
    let psl_version;
    let mut tables: Vec<([u8; 4], &[u8])> = vec![(MODEL, &source.model), (LISTS, &lists)];
    match &source.custom_psl {
        Some(dat) => tables.push((PSL_DAT, dat.as_bytes())),
        None => {
            psl_version = PublicSuffixList::builtin()
                .version()
                .unwrap_or("")
                .to_owned();
            tables.push((PSL_VERSION, psl_version.as_bytes()));
        }
    }
    let dir_end = HEADER_LEN + ENTRY_LEN * tables.len();
    let total = dir_end + tables.iter().map(|(_, t)| t.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&len_u32(tables.len()).to_le_bytes());
    out.extend_from_slice(&policy.revision().to_le_bytes());
    out.extend_from_slice(&[0; 8]); // the checksum, below
    let mut version = [0u8; 16];
    for (d, s) in version.iter_mut().zip(env!("CARGO_PKG_VERSION").bytes()) {
        *d = s;
    }
    out.extend_from_slice(&version);
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    let mut offset = dir_end;
    for (tag, t) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(offset as u64).to_le_bytes());
        out.extend_from_slice(&(t.len() as u64).to_le_bytes());
        offset += t.len();
    }
    for (_, t) in &tables {
        out.extend_from_slice(t);
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

/// Loads a snapshot.
pub(crate) fn read(bytes: &[u8]) -> Result<Policy, Error> {
    let parsed = Parsed::new(bytes)?;
    let builder: PolicyBuilder = postcard::from_bytes(parsed.model)
        .map_err(|e| corrupt(format!("the model table does not decode: {e}")))?;
    let lists = read_lists(parsed.lists)?;
    let psl = match (parsed.psl_dat, parsed.psl_version) {
        (Some(dat), _) => {
            let text = std::str::from_utf8(dat)
                .map_err(|_| corrupt("the Public Suffix List is not UTF-8"))?;
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
    let policy = builder.with_source(lists, psl).build()?;
    if policy.revision() != parsed.info.revision {
        return Err(corrupt(format!(
            "the policy compiled has revision {:016x}, the header names {:016x}",
            policy.revision(),
            parsed.info.revision
        )));
    }
    Ok(policy)
}

/// The builder's plain model, encoded (postcard: compact, and the same bytes
/// for the same model on every machine).
pub(crate) fn encode_model(builder: &PolicyBuilder) -> Box<[u8]> {
    // Encoding plain data into a vector fails only for types postcard cannot
    // represent, which the model has none of (a test encodes every kind).
    postcard::to_allocvec(builder)
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
