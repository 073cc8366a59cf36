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
    /// contract's format needs 4).
    pub max_nesting: usize,
    /// The most rules (default 4,000,000).
    pub max_rules: usize,
    /// The most platforms (default 100,000).
    pub max_platforms: usize,
    /// The most platform domains, all platforms together (default 1,000,000).
    pub max_platform_domains: usize,
    /// The most complaint rows (default 10,000,000).
    pub max_complaints: usize,
    /// The most entries in each other list: tiers, phases, redirectors, tracking
    /// parameters, protected domains (default 100,000).
    pub max_other_items: usize,
    /// The longest `url_prefix` or `regex`, in bytes (default 4,096). Domains and
    /// hosts are limited to 253 bytes by DNS.
    pub max_pattern_len: usize,
    /// The largest compiled regex, in bytes (default 10 MiB): the regex crate's own
    /// size limit, per rule.
    pub max_regex_size: usize,
    /// The largest compiled set of all regexes together, in bytes (default 64 MiB).
    pub max_regex_set_size: usize,
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
        }
    }
}

/// The byte offset at which the nesting of arrays and tables in `text` first goes
/// deeper than `max`, skipping strings (and, for TOML, comments). An
/// approximation of the grammar that is exact for well-formed text; the parsers
/// check the rest.
pub(crate) fn too_deep(text: &str, max: usize, toml: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'#' if toml => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
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
    fn defaults_fit_a_million_domain_blocklist() {
        let l = SizeLimits::default();
        assert!(l.max_rules >= 1_000_000 && l.max_platform_domains >= 1_000_000);
    }
}
