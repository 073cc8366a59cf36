//! The site index: everything a policy keys by domain — host and domain rules,
//! platforms, redirectors, and the Public Suffix List's rules — in one hash
//! table, probed once per label of a link's host (issue #6).
//!
//! A link's host `a.b.jd.com` is looked up as `com`, `jd.com`, `b.jd.com` and
//! `a.b.jd.com`: one probe each, whatever the number of rules. Each probe that
//! hits yields the node for that suffix, which says at once which rules name it,
//! whether it belongs to a platform or a redirector, and what the Public Suffix
//! List says of it; the walk gives the host's registrable domain as a by-product.
//!
//! The keys live in one string and the table holds 16-byte nodes (where the
//! key lies, the flags, the rule ids), so an entry costs its text plus about 24
//! bytes, and a probe that hits reads the table and the key's text, nothing
//! else.

use hashbrown::HashTable;

use crate::link::domain::FastMap;
use crate::matching::hit::{Hit, MatcherKind, Specificity};

/// One rule of the list, its suffix in ASCII (IDNA) lowercase.
#[derive(Clone, Debug, Eq, PartialEq)]
pub(crate) struct SuffixRule {
    pub(crate) suffix: Box<str>,
    pub(crate) kind: SuffixKind,
}

/// What a rule says of its suffix.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub(crate) enum SuffixKind {
    /// `com.cn`: the suffix is public.
    Normal,
    /// `*.ck`: every label under the suffix is public.
    Wildcard,
    /// `!www.ck`: the suffix is not public, whatever a wildcard says.
    Exception,
}

/// Rule ids of host rules carry this bit; domain rules' do not.
const HOST_BIT: u32 = 1 << 31;

/// The Public Suffix List says this suffix is public (`com`, `com.cn`).
const PSL_RULE: u8 = 1;
/// … that every label under it is public (`*.ck`).
const PSL_WILDCARD: u8 = 1 << 1;
/// … that it is not public, whatever a wildcard says (`!www.ck`).
const PSL_EXCEPTION: u8 = 1 << 2;
/// A platform or a redirector names this domain: see `extras`.
const HAS_EXTRA: u8 = 1 << 3;
/// The domain is protected against lookalikes (a platform's registrable domain
/// or one the policy protects): a link there imitates nothing.
const PROTECTED: u8 = 1 << 4;
/// A longer key ends with this one (`jd.com` under `item.jd.com`): the walk
/// goes on past it. Every proper suffix of a key is a node with this flag, made
/// for it when it is no key of its own, so a walk stops at the first suffix
/// that is no node or has no longer key under it.
const HAS_CHILD: u8 = 1 << 5;

/// The rule ids under one key: almost always none or one, kept inline.
#[derive(Clone, Copy, Debug, Default)]
enum Ids {
    #[default]
    None,
    One(u32),
    /// An index into [`SiteIndex::many`].
    Many(u32),
}

/// One key of the index. `key_start` also names the node: no two keys start
/// at the same byte.
#[derive(Clone, Copy, Debug)]
struct Node {
    key_start: u32,
    key_len: u16,
    flags: u8,
    ids: Ids,
}

/// What a platform or redirector says of a domain.
#[derive(Clone, Copy, Debug, Default)]
struct Extra {
    platform: Option<u32>,
    redirector: bool,
}

/// The domain-keyed index of a policy.
#[derive(Clone, Debug, Default)]
pub(crate) struct SiteIndex {
    table: HashTable<Node>,
    keys: String,
    many: Vec<Vec<u32>>,
    extras: FastMap<u32, Extra>,
    hasher: foldhash::fast::RandomState,
}

/// What the walk over a domain found: the per-domain facts the site index
/// keeps, so that one probe a label answers them with the rules. They are
/// pointers, not the facts' data: a platform is its index into the compiled
/// platforms, a redirector a flag whose parameters the unwrapper holds
/// (`unwrap::Unwrapper`), protection a flag whose skeletons the lookalike
/// floor holds (`engine::lookalike`).
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub(crate) struct Site {
    /// Where the registrable domain starts in the host; `None` for a public
    /// suffix itself.
    pub(crate) registrable_start: Option<usize>,
    /// The platform with the longest domain covering the host.
    pub(crate) platform: Option<u32>,
    /// Whether a redirector names the host or a parent of it.
    pub(crate) redirector: bool,
    /// Whether a rule of the Public Suffix List, rather than its default rule
    /// `*`, decided the host's public suffix (`jd.com`, not `file.html`).
    pub(crate) known_suffix: bool,
    /// Whether the registrable domain is itself protected against lookalikes,
    /// so that no skeleton need be made for it.
    pub(crate) protected: bool,
}

/// The most suffixes of one host kept on the stack during a walk; a host with
/// more indexed suffixes than this (which needs that many nested rules) is
/// walked again for the rest.
const STACK_NODES: usize = 8;

/// The longest key: a DNS name is at most 253 bytes; an IPv6 host in brackets
/// is shorter.
pub(crate) const MAX_KEY_LEN: usize = 253;

impl SiteIndex {
    /// Adds a host rule (a domain name or an IP address, normalized).
    pub(crate) fn add_host(&mut self, host: &str, rule: u32) {
        self.add_id(host, rule | HOST_BIT);
    }

    /// Adds a domain rule (normalized domain name).
    pub(crate) fn add_domain(&mut self, domain: &str, rule: u32) {
        self.add_id(domain, rule);
    }

    /// Names `domain` as belonging to platform `index`. The caller keeps a domain
    /// to one platform.
    pub(crate) fn add_platform(&mut self, domain: &str, index: u32) {
        let node = self.node(domain);
        node.flags |= HAS_EXTRA;
        let name = node.key_start;
        self.extras.entry(name).or_default().platform = Some(index);
    }

    /// Marks `domain` as a redirector's.
    pub(crate) fn add_redirector(&mut self, domain: &str) {
        let node = self.node(domain);
        node.flags |= HAS_EXTRA;
        let name = node.key_start;
        self.extras.entry(name).or_default().redirector = true;
    }

    /// Marks `domain` (a registrable domain) as protected against lookalikes.
    pub(crate) fn add_protected(&mut self, domain: &str) {
        self.node(domain).flags |= PROTECTED;
    }

    /// Adds the Public Suffix List's rules.
    pub(crate) fn add_suffix_rules(&mut self, rules: &[SuffixRule]) {
        for r in rules {
            let flag = match r.kind {
                SuffixKind::Normal => PSL_RULE,
                SuffixKind::Wildcard => PSL_WILDCARD,
                SuffixKind::Exception => PSL_EXCEPTION,
            };
            self.node(&r.suffix).flags |= flag;
        }
    }

    /// Makes room for `additional` more keys, so a large list is not rehashed
    /// again and again as it grows.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let (hasher, keys) = (&self.hasher, &self.keys);
        self.table
            .reserve(additional, |n| hash_of(hasher, key_of(keys, n)));
    }

    /// Frees the spare capacity left by building.
    pub(crate) fn shrink(&mut self) {
        self.keys.shrink_to_fit();
        self.many.shrink_to_fit();
        let (hasher, keys) = (&self.hasher, &self.keys);
        self.table
            .shrink_to_fit(|n| hash_of(hasher, key_of(keys, n)));
    }

    /// About how many heap bytes the index holds (for the memory figures).
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.table.capacity() * (std::mem::size_of::<Node>() + 1)
            + self.keys.capacity()
            + self
                .many
                .iter()
                .map(|v| v.capacity() * 4 + std::mem::size_of::<Vec<u32>>())
                .sum::<usize>()
            + self.extras.capacity() * (std::mem::size_of::<(u32, Extra)>() + 1)
    }

    fn add_id(&mut self, key: &str, id: u32) {
        let node = node_in(&mut self.table, &mut self.keys, &self.hasher, key);
        node.ids = match node.ids {
            Ids::None => Ids::One(id),
            Ids::One(first) => {
                let at = u32::try_from(self.many.len()).unwrap_or(u32::MAX);
                self.many.push(vec![first, id]);
                Ids::Many(at)
            }
            Ids::Many(at) => {
                if let Some(v) = self.many.get_mut(at as usize) {
                    v.push(id);
                }
                Ids::Many(at)
            }
        };
    }

    /// The node of a key, made when missing.
    fn node(&mut self, key: &str) -> &mut Node {
        node_in(&mut self.table, &mut self.keys, &self.hasher, key)
    }

    fn get(&self, key: &str) -> Option<&Node> {
        let hash = hash_of(&self.hasher, key);
        self.table.find(hash, |n| key_of(&self.keys, n) == key)
    }

    /// Calls `f` with each id of a node.
    fn each_id(&self, node: &Node, mut f: impl FnMut(u32)) {
        match node.ids {
            Ids::None => {}
            Ids::One(id) => f(id),
            Ids::Many(at) => {
                for &id in self.many.get(at as usize).map_or(&[][..], Vec::as_slice) {
                    f(id);
                }
            }
        }
    }

    /// Appends the host rules naming an IP address host.
    pub(crate) fn find_ip(&self, host: &str, out: &mut Vec<Hit>) {
        if let Some(node) = self.get(host) {
            self.each_id(node, |id| {
                if id & HOST_BIT != 0 {
                    out.push(host_hit(id));
                }
            });
        }
    }

    /// Walks a domain name's suffixes, the last label first: appends the host
    /// rules naming it, then the domain rules covering it (the longest domain
    /// first), and tells its registrable domain, platform and whether a
    /// redirector covers it. `plain`: the caller knows that no label is empty
    /// (a host the fast path read).
    ///
    /// The walk stops at the first suffix that is no node, or that no longer
    /// key ends with: no longer suffix can be a node then (see [`HAS_CHILD`]).
    pub(crate) fn find_domain(&self, host: &str, plain: bool, out: &mut Vec<Hit>) -> Site {
        let mut found: [Option<(Node, u32)>; STACK_NODES] = [None; STACK_NODES];
        let mut n_found = 0usize;
        let mut overflow = false;
        let mut psl = PslWalk::default();
        let mut site = Site::default();
        let mut labels = 0u32;
        let mut whole = false;
        // Bit `n - 1`: the suffix of `n` labels is protected.
        let mut protected = 0u64;
        // Whether a label is empty (`.com`, `a..b`), seen label by label, and
        // where the labels not walked end (with their dot).
        let mut empty_label = false;
        let mut label_end = host.len();
        let mut unwalked = 0;
        for start in suffix_starts(host) {
            labels += 1;
            empty_label |= start == label_end;
            label_end = start.saturating_sub(1);
            let Some(suffix) = host.get(start..).filter(|s| s.len() <= MAX_KEY_LEN) else {
                // No key is this long: neither is any longer suffix.
                psl.miss(labels);
                unwalked = start;
                break;
            };
            whole = start == 0;
            let Some(node) = self.get(suffix) else {
                psl.miss(labels);
                unwalked = start;
                break;
            };
            psl.hit(node.flags, labels);
            if node.flags & PROTECTED != 0 {
                protected |= 1u64.checked_shl(labels - 1).unwrap_or(0);
            }
            if node.flags & HAS_EXTRA != 0 {
                if let Some(extra) = self.extras.get(&node.key_start) {
                    if extra.platform.is_some() {
                        site.platform = extra.platform;
                    }
                    site.redirector |= extra.redirector;
                }
            }
            if !matches!(node.ids, Ids::None) {
                match found.get_mut(n_found) {
                    Some(slot) => {
                        *slot = Some((*node, labels));
                        n_found += 1;
                    }
                    None => overflow = true,
                }
            }
            if node.flags & HAS_CHILD == 0 {
                if start > 0 {
                    // The next label is public under a wildcard rule of this node.
                    psl.miss(labels + 1);
                }
                unwalked = start;
                break;
            }
        }
        if !plain && unwalked > 0 {
            // The labels before `unwalked`, unseen.
            empty_label |= host
                .get(..unwalked)
                .is_some_and(|rest| rest.starts_with('.') || rest.contains(".."));
        }
        site.known_suffix = psl.known();
        // A host with an empty label (`.com`, `a..b`) has no registrable domain.
        if !empty_label {
            let n = psl.public() + 1;
            site.registrable_start = nth_suffix_start(host, n);
            site.protected = site.registrable_start.is_some()
                && u32::try_from(n - 1)
                    .ok()
                    .and_then(|b| protected.checked_shr(b))
                    .is_some_and(|m| m & 1 != 0);
        }
        let whole_labels = if whole { labels } else { 0 };
        if overflow {
            self.emit_all(host, whole_labels, out);
        } else {
            let nodes = found.get(..n_found).unwrap_or(&[]);
            self.emit(nodes.iter().rev().flatten().copied(), whole_labels, out);
        }
        site
    }

    /// [`Self::emit`] for a host with more suffixes with rules than fit on the
    /// stack (a host under that many nested rules): walks it again and collects
    /// them all.
    #[cold]
    #[inline(never)]
    fn emit_all(&self, host: &str, whole_labels: u32, out: &mut Vec<Hit>) {
        let mut all: Vec<(Node, u32)> = Vec::new();
        for (i, start) in suffix_starts(host).enumerate() {
            let Some(suffix) = host.get(start..).filter(|s| s.len() <= MAX_KEY_LEN) else {
                break;
            };
            if let Some(node) = self.get(suffix) {
                if !matches!(node.ids, Ids::None) {
                    all.push((*node, u32::try_from(i + 1).unwrap_or(u32::MAX)));
                }
            }
        }
        self.emit(all.iter().rev().copied(), whole_labels, out);
    }

    /// Appends the hits of the nodes found (longest suffix first): host rules of
    /// the whole host, then domain rules.
    fn emit(
        &self,
        nodes: impl Iterator<Item = (Node, u32)> + Clone,
        whole: u32,
        out: &mut Vec<Hit>,
    ) {
        for (node, l) in nodes.clone() {
            if l != whole {
                break;
            }
            self.each_id(&node, |id| {
                if id & HOST_BIT != 0 {
                    out.push(host_hit(id));
                }
            });
        }
        for (node, l) in nodes {
            let s = Specificity::new(MatcherKind::Domain, l as usize);
            self.each_id(&node, |id| {
                if id & HOST_BIT == 0 {
                    out.push(Hit {
                        rule: id,
                        specificity: s,
                    });
                }
            });
        }
    }
}

fn host_hit(id: u32) -> Hit {
    Hit {
        rule: id & !HOST_BIT,
        specificity: Specificity::new(MatcherKind::Host, 0),
    }
}

/// The Public Suffix List's verdict on a host, gathered suffix by suffix from
/// the last label: an exception rule wins; else the longest rule; else the
/// default rule `*` (the last label is public).
#[derive(Debug, Default)]
struct PslWalk {
    public: u32,
    exception: Option<u32>,
    /// A wildcard rule names the suffix of this many labels: one more is public.
    wildcard: Option<u32>,
}

impl PslWalk {
    fn miss(&mut self, labels: u32) {
        if self.wildcard == Some(labels - 1) {
            self.public = self.public.max(labels);
        }
    }

    fn hit(&mut self, flags: u8, labels: u32) {
        self.miss(labels);
        if flags & PSL_EXCEPTION != 0 && self.exception.is_none() {
            self.exception = Some(labels - 1);
        }
        if flags & PSL_RULE != 0 {
            self.public = self.public.max(labels);
        }
        if flags & PSL_WILDCARD != 0 {
            self.wildcard = Some(labels);
        }
    }

    /// Whether a rule of the list matched (not only the default rule).
    fn known(&self) -> bool {
        self.exception.is_some() || self.public > 0
    }

    /// How many labels the public suffix has.
    fn public(&self) -> usize {
        self.exception.unwrap_or(self.public.max(1)) as usize
    }
}

/// Where each suffix of a host starts, the last label first: `a.b.c` gives 4,
/// 2, 0. An empty label still counts.
fn suffix_starts(host: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = host.as_bytes();
    let mut end = Some(bytes.len());
    std::iter::from_fn(move || {
        let e = end?;
        let start = bytes
            .get(..e)
            .and_then(|b| b.iter().rposition(|&c| c == b'.'))
            .map_or(0, |dot| dot + 1);
        end = start.checked_sub(1);
        Some(start)
    })
}

/// Where the suffix of `n` labels starts, when the host has that many.
fn nth_suffix_start(host: &str, n: usize) -> Option<usize> {
    suffix_starts(host).nth(n.checked_sub(1)?)
}

fn key_of<'a>(keys: &'a str, node: &Node) -> &'a str {
    let start = node.key_start as usize;
    keys.get(start..start + usize::from(node.key_len))
        .unwrap_or("")
}

/// The node of a key in a table, made when missing (a free function, so the
/// caller can still use the index's other fields while holding the node).
///
/// A new key's proper suffixes become nodes too, flagged [`HAS_CHILD`]; one
/// that is no key of its own points into the new key's text, so it costs a
/// node and no text.
fn node_in<'t>(
    table: &'t mut HashTable<Node>,
    keys: &mut String,
    hasher: &foldhash::fast::RandomState,
    key: &str,
) -> &'t mut Node {
    let hash = hash_of(hasher, key);
    if table.find(hash, |n| key_of(keys, n) == key).is_none() {
        let pos = keys.len();
        keys.push_str(key);
        add_suffix_markers(table, keys, hasher, key, pos);
        let node = Node {
            key_start: offset_u32(pos),
            key_len: u16::try_from(key.len()).unwrap_or(u16::MAX),
            flags: 0,
            ids: Ids::None,
        };
        return table
            .insert_unique(hash, node, |n| hash_of(hasher, key_of(keys, n)))
            .into_mut();
    }
    let entry = table.entry(
        hash,
        |n| key_of(keys, n) == key,
        |n| hash_of(hasher, key_of(keys, n)),
    );
    match entry {
        hashbrown::hash_table::Entry::Occupied(e) => e.into_mut(),
        // Not reached (the key was just found); made as any new key would be.
        hashbrown::hash_table::Entry::Vacant(e) => {
            let node = Node {
                key_start: offset_u32(keys.len()),
                key_len: u16::try_from(key.len()).unwrap_or(u16::MAX),
                flags: 0,
                ids: Ids::None,
            };
            keys.push_str(key);
            e.insert(node).into_mut()
        }
    }
}

/// Makes the proper suffixes of `key` (whose text is at `pos` in `keys`) nodes
/// flagged [`HAS_CHILD`], the longest first, until one is a node already (its
/// own suffixes then are too).
fn add_suffix_markers(
    table: &mut HashTable<Node>,
    keys: &str,
    hasher: &foldhash::fast::RandomState,
    key: &str,
    pos: usize,
) {
    let mut from = 0;
    while let Some(dot) = key.get(from..).and_then(|rest| rest.find('.')) {
        from += dot + 1;
        let Some(suffix) = key.get(from..) else {
            break;
        };
        let h = hash_of(hasher, suffix);
        if let Some(n) = table.find_mut(h, |n| key_of(keys, n) == suffix) {
            n.flags |= HAS_CHILD;
            break;
        }
        let marker = Node {
            key_start: offset_u32(pos + from),
            key_len: u16::try_from(suffix.len()).unwrap_or(u16::MAX),
            flags: HAS_CHILD,
            ids: Ids::None,
        };
        table.insert_unique(h, marker, |n| hash_of(hasher, key_of(keys, n)));
    }
}

fn offset_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn hash_of(hasher: &foldhash::fast::RandomState, key: &str) -> u64 {
    use std::hash::BuildHasher;
    hasher.hash_one(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psl::PublicSuffixList;

    fn index() -> SiteIndex {
        PublicSuffixList::builtin().site_index().clone()
    }

    fn registrable<'a>(index: &SiteIndex, host: &'a str) -> Option<&'a str> {
        let site = index.find_domain(host, false, &mut Vec::new());
        host.get(site.registrable_start?..)
    }

    /// The index's registrable domain against the publicsuffix crate's, on the
    /// vendored phishing feed (190,215 real domains), each also with a
    /// subdomain, and on every rule of the list with labels added.
    ///
    /// They differ only where the crate departs from the list's specification: a
    /// wildcard rule under another (`*.run.app`, `*.mtls.run.app`), where the
    /// crate calls `mtls.run.app` registrable under `run.app` though `*.run.app`
    /// makes it a public suffix.
    #[test]
    fn registrable_domain_agrees_with_the_publicsuffix_crate() {
        use publicsuffix::Psl as _;
        let crate_list: publicsuffix::List = include_str!("../../data/public_suffix_list.dat")
            .parse()
            .unwrap();
        let crate_known = |h: &str| {
            crate_list
                .suffix(h.as_bytes())
                .is_some_and(|s| s.is_known())
        };
        let crate_registrable = |h: &str| {
            let d = crate_list.domain(h.as_bytes())?;
            let len = d.as_bytes().len();
            h.get(h.len().checked_sub(len)?..).map(str::to_owned)
        };
        let index = index();
        let feed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/lists/phishing.txt"
        ))
        .unwrap();
        let rules: Vec<String> = include_str!("../../data/public_suffix_list.dat")
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| !w.starts_with("//"))
            .filter_map(|w| idna::domain_to_ascii(w.trim_start_matches(['!', '*', '.'])).ok())
            .collect();
        let wildcards: std::collections::HashSet<String> =
            include_str!("../../data/public_suffix_list.dat")
                .lines()
                .filter_map(|l| l.split_whitespace().next()?.strip_prefix("*."))
                .filter_map(|w| idna::domain_to_ascii(w).ok())
                .collect();
        let nested_wildcard = |h: &str| {
            wildcards.contains(h)
                && h.split_once('.')
                    .is_some_and(|(_, p)| wildcards.contains(p))
        };
        let mut hosts: Vec<String> = Vec::new();
        for d in feed
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            hosts.push(d.to_owned());
            hosts.push(format!("login.{d}"));
        }
        for r in &rules {
            hosts.push(r.clone());
            hosts.push(format!("a.{r}"));
            hosts.push(format!("b.a.{r}"));
            hosts.push(format!("www.{r}"));
            hosts.push(format!("city.{r}"));
        }
        for h in [
            "file.html",
            "jd.corn",
            "8.0.16",
            "a.b",
            "ck",
            "a.ck",
            "www.ck",
            "html",
        ] {
            hosts.push(h.to_owned());
        }
        let mut checked = 0;
        let mut wrong = Vec::new();
        let mut nested = 0;
        for h in &hosts {
            let known = index.find_domain(h, false, &mut Vec::new()).known_suffix;
            if known != crate_known(h) {
                wrong.push(format!(
                    "{h}: index known suffix {known}, publicsuffix {}",
                    !known
                ));
            }
            let ours = registrable(&index, h);
            let theirs = crate_registrable(h);
            if ours != theirs.as_deref() {
                if ours.is_none() && nested_wildcard(h) {
                    nested += 1;
                } else {
                    wrong.push(format!("{h}: index {ours:?}, publicsuffix {theirs:?}"));
                }
            }
            checked += 1;
        }
        assert!(checked > 400_000, "{checked}");
        assert_eq!(nested, 22, "hosts under nested wildcards");
        assert!(
            wrong.is_empty(),
            "{} of {checked} differ:\n{}",
            wrong.len(),
            wrong
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    #[test]
    fn empty_labels_have_no_registrable_domain() {
        let index = index();
        assert_eq!(registrable(&index, ".com"), None);
        assert_eq!(registrable(&index, "a..jd.com"), None);
        assert_eq!(registrable(&index, "jd.com."), None);
        assert_eq!(registrable(&index, ""), None);
        // Empty labels beyond the longest key the walk reaches count too.
        let far = format!("a..{}.jd.com", "b".repeat(250));
        assert_eq!(registrable(&index, &far), None);
        assert_eq!(registrable(&index, far.get(1..).unwrap()), None);
        assert!(registrable(&index, far.get(3..).unwrap()).is_some());
        assert_eq!(registrable(&index, "mtls.run.app"), None);
        assert_eq!(registrable(&index, "x.mtls.run.app"), None);
        assert_eq!(
            registrable(&index, "y.x.mtls.run.app"),
            Some("y.x.mtls.run.app")
        );
        assert_eq!(registrable(&index, "item.jd.com"), Some("jd.com"));
    }

    fn rules_of(index: &SiteIndex, host: &str) -> Vec<(u32, Specificity)> {
        let mut out = Vec::new();
        index.find_domain(host, false, &mut out);
        out.iter().map(|h| (h.rule, h.specificity)).collect()
    }

    #[test]
    fn host_rules_first_then_domains_longest_first() {
        let mut index = index();
        index.add_domain("jd.com", 1);
        index.add_domain("item.jd.com", 2);
        index.add_host("item.jd.com", 3);
        index.add_domain("item.jd.com", 4);
        index.add_host("jd.com", 5);
        let host = Specificity::new(MatcherKind::Host, 0);
        let d = |n| Specificity::new(MatcherKind::Domain, n);
        assert_eq!(
            rules_of(&index, "item.jd.com"),
            [(3, host), (2, d(3)), (4, d(3)), (1, d(2))]
        );
        assert_eq!(rules_of(&index, "jd.com"), [(5, host), (1, d(2))]);
        assert_eq!(
            rules_of(&index, "a.item.jd.com"),
            [(2, d(3)), (4, d(3)), (1, d(2))]
        );
        assert_eq!(rules_of(&index, "notjd.com"), []);
    }

    #[test]
    fn more_nested_rules_than_fit_on_the_stack() {
        let mut index = index();
        let host = "a.b.c.d.e.f.g.h.i.j.k.example";
        let suffixes: Vec<&str> = crate::link::domain::suffixes(host)
            .map(|(s, _)| s)
            .collect();
        for (i, s) in suffixes.iter().enumerate() {
            index.add_domain(s, u32::try_from(i).unwrap());
        }
        let got: Vec<u32> = rules_of(&index, host).iter().map(|r| r.0).collect();
        assert_eq!(
            got,
            (0..u32::try_from(suffixes.len()).unwrap()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn platforms_longest_and_redirectors() {
        let mut index = index();
        index.add_platform("qq.com", 0);
        index.add_platform("weixin.qq.com", 1);
        index.add_redirector("link.zhihu.com");
        let site = |h| index.find_domain(h, false, &mut Vec::new());
        assert_eq!(site("mp.weixin.qq.com").platform, Some(1));
        assert_eq!(site("im.qq.com").platform, Some(0));
        assert_eq!(site("qq.com.cn").platform, None);
        assert!(site("link.zhihu.com").redirector);
        assert!(site("a.link.zhihu.com").redirector);
        assert!(!site("zhihu.com").redirector);
    }

    #[test]
    fn ip_hosts_match_host_rules_only() {
        let mut index = index();
        index.add_host("127.0.0.1", 7);
        index.add_domain("0.0.1", 8);
        let mut out = Vec::new();
        index.find_ip("127.0.0.1", &mut out);
        assert_eq!(out.iter().map(|h| h.rule).collect::<Vec<_>>(), [7]);
    }

    #[test]
    fn huge_hosts_are_walked_only_as_far_as_keys_reach() {
        let index = index();
        let host = format!("{}jd.com", "a.".repeat(4000));
        let site = index.find_domain(&host, false, &mut Vec::new());
        assert_eq!(host.get(site.registrable_start.unwrap()..), Some("jd.com"));
    }

    /// What the walk must find, computed the slow way: every suffix of the
    /// host looked up in plain maps, and the Public Suffix List's algorithm as
    /// its specification states it. The index stops its walk early (see
    /// [`HAS_CHILD`]); this model never does.
    mod model {
        use std::collections::HashMap;

        use super::*;
        use super::{SuffixKind, SuffixRule};

        /// The suffix rules of the model list: normal, wildcard and exception
        /// rules, nested in each other.
        pub(super) const RULES: &[(&str, SuffixKind)] = &[
            ("com", SuffixKind::Normal),
            ("ck", SuffixKind::Wildcard),
            ("www.ck", SuffixKind::Exception),
            ("a.com", SuffixKind::Normal),
            ("x.com", SuffixKind::Wildcard),
            ("b.x.com", SuffixKind::Wildcard),
        ];

        pub(super) fn suffix_rules() -> Vec<SuffixRule> {
            RULES
                .iter()
                .map(|&(s, kind)| SuffixRule {
                    suffix: s.into(),
                    kind,
                })
                .collect()
        }

        /// One change to the index.
        #[derive(Clone, Debug)]
        pub(super) enum Add {
            Domain(String),
            Host(String),
            Platform(String),
            Redirector(String),
            Protected(String),
        }

        #[derive(Debug, PartialEq)]
        pub(super) struct Found {
            pub(super) hits: Vec<(u32, Specificity)>,
            pub(super) registrable: Option<String>,
            pub(super) known_suffix: bool,
            pub(super) platform: Option<u32>,
            pub(super) redirector: bool,
            pub(super) protected: bool,
        }

        pub(super) fn expected(adds: &[Add], host: &str) -> Found {
            let mut domains: HashMap<&str, Vec<u32>> = HashMap::new();
            let mut hosts: HashMap<&str, Vec<u32>> = HashMap::new();
            let mut platforms: HashMap<&str, u32> = HashMap::new();
            let mut redirectors = Vec::new();
            let mut protected = Vec::new();
            for (i, a) in adds.iter().enumerate() {
                let i = u32::try_from(i).unwrap();
                match a {
                    Add::Domain(d) => domains.entry(d).or_default().push(i),
                    Add::Host(h) => hosts.entry(h).or_default().push(i),
                    Add::Platform(d) => {
                        platforms.insert(d, i);
                    }
                    Add::Redirector(d) => redirectors.push(d.as_str()),
                    Add::Protected(d) => protected.push(d.as_str()),
                }
            }
            let labels: Vec<&str> = host.split('.').collect();
            let n = labels.len();
            // Suffixes of 1..=n labels, as strings.
            let suffix = |k: usize| labels[n - k..].join(".");
            let mut hits = Vec::new();
            for &id in hosts.get(host).into_iter().flatten() {
                hits.push((id, Specificity::new(MatcherKind::Host, 0)));
            }
            let mut platform = None;
            let mut redirector = false;
            for k in (1..=n).rev() {
                let s = suffix(k);
                for &id in domains.get(s.as_str()).into_iter().flatten() {
                    hits.push((id, Specificity::new(MatcherKind::Domain, k)));
                }
                if platform.is_none() {
                    platform = platforms.get(s.as_str()).copied();
                }
                redirector |= redirectors.contains(&s.as_str());
            }
            // The list's algorithm: the matching rules; an exception wins, else
            // the rule with the most labels, else `*`.
            let matches = |rule: &str, k: usize| {
                let r: Vec<&str> = rule.split('.').collect();
                r.len() == k
                    && r.iter()
                        .zip(&labels[n - k..])
                        .all(|(a, b)| *a == "*" || a == b)
            };
            let mut public = None::<usize>;
            let mut exception = None;
            for &(rule, kind) in RULES {
                let (text, k) = match kind {
                    SuffixKind::Normal | SuffixKind::Exception => {
                        (rule.to_owned(), rule.split('.').count())
                    }
                    SuffixKind::Wildcard => (format!("*.{rule}"), rule.split('.').count() + 1),
                };
                if k > n || !matches(&text, k) {
                    continue;
                }
                match kind {
                    SuffixKind::Exception => exception = Some(k - 1),
                    _ => public = Some(public.map_or(k, |p| p.max(k))),
                }
            }
            let known_suffix = exception.is_some() || public.is_some();
            let public = exception.or(public).unwrap_or(1);
            let registrable = (!labels.contains(&"") && public < n).then(|| suffix(public + 1));
            let protected = registrable
                .as_deref()
                .is_some_and(|r| protected.contains(&r));
            Found {
                hits,
                registrable,
                known_suffix,
                platform,
                redirector,
                protected,
            }
        }

        pub(super) fn found(adds: &[Add], host: &str, plain: bool) -> Found {
            let mut index = SiteIndex::default();
            index.add_suffix_rules(&suffix_rules());
            for (i, a) in adds.iter().enumerate() {
                let i = u32::try_from(i).unwrap();
                match a {
                    Add::Domain(d) => index.add_domain(d, i),
                    Add::Host(h) => index.add_host(h, i),
                    Add::Platform(d) => index.add_platform(d, i),
                    Add::Redirector(d) => index.add_redirector(d),
                    Add::Protected(d) => index.add_protected(d),
                }
            }
            let mut out = Vec::new();
            let site = index.find_domain(host, plain, &mut out);
            Found {
                hits: out.iter().map(|h| (h.rule, h.specificity)).collect(),
                registrable: site
                    .registrable_start
                    .and_then(|s| host.get(s..))
                    .map(str::to_owned),
                known_suffix: site.known_suffix,
                platform: site.platform,
                redirector: site.redirector,
                protected: site.protected,
            }
        }
    }

    fn label() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::sample::select(&["a", "b", "x", "ck", "www", "com", "jd"][..])
            .prop_map(str::to_owned)
    }

    fn domain(max: usize) -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(label(), 1..=max).prop_map(|l| l.join("."))
    }

    fn add() -> impl proptest::strategy::Strategy<Value = model::Add> {
        use model::Add;
        proptest::prop_oneof![
            3 => domain(4).prop_map(Add::Domain),
            2 => domain(4).prop_map(Add::Host),
            1 => domain(3).prop_map(Add::Platform),
            1 => domain(3).prop_map(Add::Redirector),
            1 => domain(3).prop_map(Add::Protected),
        ]
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// The walk, which stops at the first suffix with nothing under it,
        /// finds what looking up every suffix finds, whatever was added in
        /// whatever order; hosts may have empty labels.
        #[test]
        fn early_stopping_walk_finds_what_every_suffix_holds(
            adds in proptest::collection::vec(add(), 0..12),
            labels in proptest::collection::vec(
                proptest::prop_oneof![6 => label(), 1 => proptest::strategy::Just(String::new())],
                1..7,
            ),
        ) {
            let host = labels.join(".");
            let want = model::expected(&adds, &host);
            proptest::prop_assert_eq!(model::found(&adds, &host, false), want);
            if !labels.iter().any(String::is_empty) {
                let want = model::expected(&adds, &host);
                proptest::prop_assert_eq!(model::found(&adds, &host, true), want);
            }
        }
    }

    /// `protected` says whether the registrable domain itself is protected:
    /// never a parent or child of it, never a public suffix.
    #[test]
    fn protected_is_the_registrable_domain() {
        let mut index = index();
        for d in ["jd.com", "qq.com", "gov.cn", "a.b.ck"] {
            index.add_protected(d);
        }
        let protected = |h: &str| index.find_domain(h, false, &mut Vec::new()).protected;
        for h in [
            "jd.com",
            "item.jd.com",
            "a.b.item.jd.com",
            "x.qq.com",
            "a.b.ck",
            "c.a.b.ck",
        ] {
            assert!(protected(h), "{h}");
        }
        // `gov.cn` is a public suffix: its registrable domains are not it.
        // `b.ck` is one too (`*.ck`), and `x.b.ck` is registrable, not `a.b.ck`.
        for h in [
            "com",
            "gov.cn",
            "www.gov.cn",
            "jd.com.cn",
            "jd.corn",
            "jdjd.com",
            "x.b.ck",
            "b.ck",
        ] {
            assert!(!protected(h), "{h}");
        }
        // Hosts with more labels than the bit mask holds still work.
        let deep = format!("{}jd.com", "a.".repeat(70));
        assert!(protected(&deep));
    }

    /// Memory per entry for 100,000 domains (issue #6 asks for well under 100
    /// bytes beyond the domain text).
    #[test]
    fn memory_per_domain_entry() {
        let base = index();
        let mut index = base.clone();
        let mut text = 0;
        for i in 0..100_000u32 {
            let d = format!("phish-{i}.example{}.com", i % 7);
            text += d.len();
            index.add_domain(&d, i);
        }
        index.shrink();
        let per_entry = (index.heap_bytes() - base.heap_bytes() - text) / 100_000;
        assert!(per_entry < 40, "{per_entry} bytes an entry beyond the text");
    }
}
