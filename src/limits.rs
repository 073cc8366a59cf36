//! Limits on the size of a policy, for policies from less trusted parties.

/// Limits that bound the cost of loading and compiling a policy. Going over one
/// is an [`ErrorKind::LimitExceeded`](crate::ErrorKind::LimitExceeded) error
/// naming the limit (and the rule, where one rule is over).
///
/// The defaults are generous enough for a policy with a 1,000,000-domain block
/// list. Tighten them for a policy from a less trusted party:
///
/// ```
/// use linkpolicy::{ErrorKind, Policy, SizeLimits};
///
/// let mut limits = SizeLimits::default();
/// limits.max_rules = 2;
/// let text = "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"a.example\"\n\
///             [[rule]]\nid = \"b\"\naction = \"block\"\ndomain = \"b.example\"\n\
///             [[rule]]\nid = \"c\"\naction = \"block\"\ndomain = \"c.example\"\n";
/// let err = Policy::from_toml_str_with_limits(text, &limits).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::LimitExceeded);
/// assert!(err.to_string().contains("max_rules"));
/// ```
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, serde::Deserialize, serde::Serialize)]
#[non_exhaustive]
pub struct SizeLimits {
    /// The longest policy text, in bytes (default 256 MiB).
    pub max_policy_bytes: usize,
    /// The deepest nesting of arrays and tables in the text (default 32; the
    /// policy format needs 4).
    pub max_nesting: usize,
    /// The most rules (default 4,000,000).
    pub max_rules: usize,
    /// The most platforms (default 100,000).
    pub max_platforms: usize,
    /// The most platform domains, all platforms together (default 1,000,000).
    pub max_platform_domains: usize,
    /// The most complaint rows (default 10,000,000).
    pub max_complaints: usize,
    /// The most entries in each other list: tiers, redirectors, tracking
    /// parameters, protected domains (default 100,000).
    pub max_other_items: usize,
    /// The longest `url_prefix` or `regex`, in bytes (default 4,096). Domains and
    /// hosts are limited to 253 bytes by DNS.
    pub max_pattern_len: usize,
    /// The largest compiled regex, in bytes (default 10 MiB): the regex crate's own
    /// size limit, per rule.
    pub max_regex_size: usize,
    /// The largest compiled set of all regexes together, in bytes (default 64 MiB).
    /// It is also the budget of all regex compiling: each regex is compiled
    /// within what the ones before it left, so a policy of many regexes that are
    /// each small enough stops at the first that would go over, not after
    /// compiling them all.
    pub max_regex_set_size: usize,
    /// The most `[[phase]]`s (default 1,000). Every phase's gate is read for
    /// every link, so this bounds their per-link cost.
    pub max_phases: usize,
    /// The highest `max_redirect_depth` a policy's `[limits]` may set (default
    /// 32). Each hop is a URL in the verdict, so this bounds the verdict's size.
    pub max_redirect_depth: usize,
    /// The highest `max_link_len` a policy's `[limits]` may set, in bytes
    /// (default 1 MiB). Per-link work grows with the link, so this bounds it.
    pub max_link_len: usize,
    /// The heaviest parse tree of one piece of a TOML policy, in bytes (default
    /// 32 MiB). A TOML policy is parsed item by item (each `[[rule]]`,
    /// `[[platform]]`, …) and then the rest of the text (`[tiers]`,
    /// `[defaults]`, …); the toml crate's tree of a piece weighs about 190
    /// bytes a value and 2 KB a table, many times its text. Before parsing,
    /// each piece's tree is estimated from its values and tables, and a piece
    /// over this limit is refused. It bounds loading's peak memory: at most
    /// about 10 bytes a byte of text, plus this. JSON is read without a tree.
    pub max_toml_tree_bytes: usize,
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self {
            max_policy_bytes: 256 << 20,
            max_nesting: 32,
            max_rules: 4_000_000,
            max_platforms: 100_000,
            max_platform_domains: 1_000_000,
            max_complaints: 10_000_000,
            max_other_items: 100_000,
            max_pattern_len: 4096,
            max_regex_size: 10 << 20,
            max_regex_set_size: 64 << 20,
            max_phases: 1000,
            max_redirect_depth: 32,
            max_link_len: 1 << 20,
            max_toml_tree_bytes: 32 << 20,
        }
    }
}

/// The longest dotted key (`a.b.c` is three) the TOML parser reads: it refuses
/// longer ones without saying where, so they are refused here first.
#[cfg(any(feature = "toml", feature = "json"))]
const TOML_MAX_KEY_PARTS: usize = 79;

/// The byte offset at which the nesting of arrays and tables in `text` first goes
/// deeper than `max`, skipping strings (and, for TOML, comments). For TOML a
/// dotted key nests too (`a.b.c = 1` is three tables deep), and is never let go
/// past what the parser reads. An approximation of the grammar that is exact for
/// well-formed text; the parsers check the rest.
#[cfg(any(feature = "toml", feature = "json"))]
pub(crate) fn too_deep(text: &str, max: usize, toml: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    // The open brackets and braces, innermost last (at most `max` of them).
    let mut open: Vec<u8> = Vec::new();
    // TOML: whether a key is being read, and how many parts it has so far.
    let mut in_key = toml;
    let mut key_parts = 1usize;
    let max_key = max.min(TOML_MAX_KEY_PARTS);
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'[' | b'{' => {
                open.push(b);
                if open.len() > max {
                    return Some(i);
                }
                // A `[` where a key is expected opens a table header, whose key
                // follows; a `{` opens an inline table, whose first key follows.
                in_key = toml && (b == b'{' || (in_key && open.len() <= 2));
                key_parts = 1;
            }
            b']' | b'}' => {
                open.pop();
                in_key = false;
            }
            b'\n' if toml && open.is_empty() => {
                in_key = true;
                key_parts = 1;
            }
            b',' if toml && open.last() == Some(&b'{') => {
                in_key = true;
                key_parts = 1;
            }
            b'=' if toml => in_key = false,
            b'.' if in_key => {
                key_parts += 1;
                if key_parts > max_key || key_parts + open.len() > max {
                    return Some(i);
                }
            }
            b'#' if toml => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if toml || b == b'"' => {
                let triple = bytes
                    .get(i..i + 3)
                    .is_some_and(|s| s.iter().all(|&c| c == b));
                let escapes = b == b'"';
                i += if triple { 3 } else { 1 };
                loop {
                    match bytes.get(i) {
                        None => return None,
                        Some(&b'\\') if escapes => i += 2,
                        Some(&c)
                            if c == b
                                && (!triple
                                    || bytes
                                        .get(i..i + 3)
                                        .is_some_and(|s| s.iter().all(|&x| x == b))) =>
                        {
                            i += if triple { 2 } else { 0 };
                            break;
                        }
                        Some(&b'\n') if !triple => break,
                        Some(_) => i += 1,
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        assert_eq!(too_deep("a = [[[1]]]", 3, true), None);
        assert_eq!(too_deep("a = [[[[1]]]]", 3, true), Some(7));
        assert_eq!(too_deep("a = \"[[[[[[\"", 1, true), None);
        assert_eq!(too_deep("a = '[[[[' # [[[[\nb = 1", 1, true), None);
        assert_eq!(too_deep("a = \"\"\"[[[\n[[[\"\"\"\nb = [1]", 1, true), None);
        assert_eq!(too_deep(r#"{"a": "\"[[[[", "b": [[1]]}"#, 3, false), None);
        assert_eq!(too_deep(r#"{"a": [[[1]]]}"#, 3, false), Some(8));
    }

    #[test]
    fn dotted_keys_nest() {
        assert_eq!(too_deep("a.b.c = 1", 3, true), None);
        assert_eq!(too_deep("a.b.c.d = 1", 3, true), Some(5));
        assert_eq!(too_deep("[a.b.c]\nx = 1", 4, true), None);
        assert_eq!(too_deep("[a.b.c.d]\nx = 1", 4, true), Some(6));
        assert_eq!(too_deep("x = {a.b.c.d = 1}", 4, true), Some(10));
        assert_eq!(too_deep("x = {a = 1, b.c.d.e = 1}", 4, true), Some(17));
        // Dots in values, strings and comments are not keys.
        assert_eq!(
            too_deep(
                "x = 1.5\ny = \"a.b.c.d\" # e.f.g.h\nz = [1.5, 2.5]",
                2,
                true
            ),
            None
        );
        assert_eq!(too_deep("\"a.b.c.d\".e = 1", 2, true), None);
        // The parser's own limit on key parts holds whatever `max` is.
        let key = vec!["a"; 100].join(".");
        assert_eq!(too_deep(&format!("{key} = 1"), 1000, true), Some(157));
        assert_eq!(too_deep(&format!(r#"{{"{key}": 1}}"#), 1000, false), None);
    }

    #[test]
    fn defaults_fit_a_million_domain_blocklist() {
        let l = SizeLimits::default();
        assert!(l.max_rules >= 1_000_000 && l.max_platform_domains >= 1_000_000);
    }
}
