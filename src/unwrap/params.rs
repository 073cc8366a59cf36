//! A redirector's parameter names, indexed: what the compiled policy keeps of
//! each redirector, read by unwrapping once per link.

use crate::link::domain::FastMap;

/// The parameters of one redirector, indexed by name: a query is read once per
/// redirector entry, whatever the number of its parameters (issue #14: 100,000
/// parameters used to mean reading the query 100,000 times).
#[derive(Debug, Default)]
pub(crate) struct ParamIndex {
    /// Each name and its place in the redirector's list (the first, when a name
    /// is listed twice).
    names: FastMap<Box<str>, u32>,
    /// The first byte of every name, as a bit set: most pieces of a query
    /// start otherwise, and are passed over without a hash.
    first_bytes: [u64; 4],
}

impl ParamIndex {
    /// Indexes parameter names, in the order the redirector lists them. Names
    /// are compared without ASCII case: ASP.NET's `Request.QueryString` reads
    /// `T=` for `t`.
    pub(crate) fn new<'a>(params: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index = ParamIndex::default();
        for (i, p) in (0u32..).zip(params) {
            index
                .names
                .entry(p.to_ascii_lowercase().into())
                .or_insert(i);
            if let Some(&b) = p.as_bytes().first() {
                let b = b.to_ascii_lowercase();
                if let Some(word) = index.first_bytes.get_mut(usize::from(b >> 6)) {
                    *word |= 1 << (b & 63);
                }
            }
        }
        index
    }

    /// The place of a (decoded) parameter name in the redirector's list.
    /// Leading spaces are dropped, as PHP drops them (`+t=` is `$_GET['t']`).
    pub(crate) fn position(&self, name: &str) -> Option<u32> {
        let name = name.trim_start_matches(' ');
        let b = name.as_bytes().first()?.to_ascii_lowercase();
        let word = self.first_bytes.get(usize::from(b >> 6)).copied()?;
        if word & (1 << (b & 63)) == 0 {
            return None;
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            self.names.get(name.to_ascii_lowercase().as_str()).copied()
        } else {
            self.names.get(name).copied()
        }
    }
}
