//! Parsers for third-party block and allow lists: plain domain lists, hosts files,
//! `*.domain` wildcard lists and the network-rule subset of adblock filter lists.
//!
//! A list is data someone else wrote, so parsing never fails: every line is either
//! nothing (blank, a comment, a header, hosts-file boilerplate), one or more
//! [`ListEntry`]s, or a [`SkippedLine`] that says, with its 1-based line number, why
//! it could not be used. Whether skipped lines are fatal is the caller's choice.
//!
//! # What every format shares
//!
//! - Lines end with `\n` or `\r\n`; a byte order mark at the start is ignored;
//!   white space around a line is trimmed.
//! - Hosts are normalized like the domains of a policy
//!   ([`normalize_host`]): Unicode or punycode, any case, trailing dot or not.
//!   A domain becomes [`ListPattern::Domain`] and covers its subdomains; an IP
//!   address becomes [`ListPattern::Host`] (that address only).
//! - A single-label domain (`com`, `top`, `intranet`) is skipped: one line of a
//!   third-party feed must not cover a whole top-level domain. An operator who
//!   means that writes a `[[rule]]`.
//!
//! # `domains`
//!
//! One domain a line; `#` starts a comment, at the start of a line or after the
//! domain. Each domain covers its subdomains, like a policy's `domain` matcher.
//! A line with several words, or a `*.` wildcard (use `wildcard`), is skipped.
//! The host-file names `localhost` and friends (see `hosts`) are ignored silently,
//! as lists converted from hosts files keep them.
//!
//! # `hosts`
//!
//! `ADDRESS HOST [HOST...]`, `#` comments anywhere. Decisions:
//!
//! - The address must be a sink: `0.0.0.0`, `0`, any `127.x.x.x`, `::` or `::1`
//!   (IPv6 in any of its spellings). A line that maps hosts to another address points
//!   them at some server rather than blocking them; it is skipped, once per line.
//! - The names every system hosts file carries — `localhost`,
//!   `localhost.localdomain`, `localhost4`/`6` and their `.localdomain4`/`6`,
//!   `local`, `localdomain`, `broadcasthost`, `ip6-*`, and an address written as
//!   a name (`0.0.0.0 0.0.0.0`) — are neither entries nor skipped lines, whatever
//!   the address (`fe80::1%lo0 localhost` is boilerplate, not an error). Blocklists
//!   published as hosts files start with these lines.
//! - Each host covers its subdomains ([`ListPattern::Domain`]), although a hosts
//!   file itself resolves only the exact name. The entries of these lists are
//!   phishing, scam and malware domains, and whoever owns `evil.example` owns
//!   `login.evil.example` too: an exact match would let a scammer walk around the
//!   list by adding `www.`. Blocklists ship as hosts files because that format
//!   cannot say "and subdomains", which is why they often also list many
//!   subdomains one by one. It also makes a hosts list mean the same as the same
//!   list published in `domains` format.
//! - A line with an address and no host, or a host and no address, is skipped.
//!
//! # `wildcard`
//!
//! `*.domain` or `domain` a line (the DNSCrypt / HaGeZi "wildcard" syntax), both
//! covering the domain and its subdomains; `#` comments. Any other wildcard
//! (`ads.*`, `*ads*`, `a*.example`) is skipped, as is `*.` before an IP address.
//!
//! # `adblock`
//!
//! The subset of Adblock Plus / uBlock Origin / AdGuard network rules that maps
//! onto the contract's matchers. `!` lines, `#` lines that are not cosmetic rules
//! (`##...`) and `[Adblock Plus 2.0]` style headers are comments.
//!
//! | rule | entry |
//! |---|---|
//! | `\|\|domain^`, `\|\|domain^\|`, `\|\|domain` | [`ListPattern::Domain`] (an IP address: [`ListPattern::Host`]) |
//! | `\|https://prefix` | [`ListPattern::UrlPrefix`], as written; a trailing `^` right after the host becomes `/` |
//! | `/regex/` | [`ListPattern::Regex`], with `(?i)` in front unless `$match-case` |
//! | `@@` in front of any of these | the same, with `exception` (an allow) |
//! | `$important` | `important` (hard) |
//!
//! `$match-case`, `$document` (`$doc`) and `$all` are accepted: a link opened from
//! a chat is a top-level document load, which they all cover. `||domain` without
//! `^` is read as `||domain^`: in adblock syntax it would also match
//! `domain.other.example`, a reading no list means. Adblock filters ignore case, so
//! regex entries carry `(?i)`; `/regex/` is checked with the `regex` crate (adblock
//! lists are written for JavaScript regexes, so a look-around is skipped).
//!
//! Skipped, each with a reason: cosmetic and scriptlet rules (`##`, `#@#`, `#?#`,
//! `#$#`, `#%#`, `$$`...), every other option (`$third-party`, `$script`,
//! `$domain=`...), a path, port or query after the domain (`||domain/path`,
//! `||domain^*.js`), a `*` wildcard, an end anchor `|` on a URL prefix (a whole
//! URL), and rules without a `||` or `|` start anchor (they match anywhere in a
//! URL), which includes hosts-file lines in an adblock list.

use crate::error::{Error, ErrorKind};
use crate::link::domain::{NormalHost, normalize_host};

/// The syntax of a list's text (`format` in a `[[list]]` entry).
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ListFormat {
    /// One domain a line.
    Domains,
    /// A hosts file: `0.0.0.0 host [host...]`.
    Hosts,
    /// `*.domain` (or `domain`) a line.
    Wildcard,
    /// Adblock-style network rules: `||domain^`, `@@||domain^`, `|https://...`, `/regex/`.
    Adblock,
}

impl ListFormat {
    /// The format's name as written in a policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Domains => "domains",
            Self::Hosts => "hosts",
            Self::Wildcard => "wildcard",
            Self::Adblock => "adblock",
        }
    }
}

/// One usable line of a list (a hosts line with several hosts gives several).
#[derive(Clone, Debug, Eq, PartialEq, serde::Deserialize, serde::Serialize)]
pub(crate) struct ListEntry {
    /// The line it comes from, counting from 1.
    pub(crate) line: usize,
    /// What it matches.
    pub(crate) pattern: ListPattern,
    /// An adblock exception (`@@`): an allow.
    pub(crate) exception: bool,
    /// An adblock `$important` rule: hard.
    pub(crate) important: bool,
}

/// What an entry matches, in the terms of the contract's matchers.
#[derive(Clone, Debug, Eq, PartialEq, serde::Deserialize, serde::Serialize)]
pub(crate) enum ListPattern {
    /// A domain and its subdomains, normalized (IDNA ASCII, lowercase, no trailing dot).
    Domain(String),
    /// Exactly this host: an IP address, as the URL standard writes it.
    Host(String),
    /// A prefix of the URL, as written in the list: the policy normalizes it.
    UrlPrefix(String),
    /// A regex (`regex` crate syntax, already checked) on the normalized URL.
    Regex(String),
}

/// A line that could not be used. Comments and blank lines are not skipped lines.
#[derive(Clone, Debug, Eq, PartialEq, serde::Deserialize, serde::Serialize)]
pub(crate) struct SkippedLine {
    /// The line, counting from 1.
    pub(crate) line: usize,
    /// Why, in lowercase without a final period.
    pub(crate) reason: String,
}

/// What a list's text holds.
#[derive(Clone, Debug, Default, Eq, PartialEq, serde::Deserialize, serde::Serialize)]
pub(crate) struct ParsedList {
    /// The usable entries, in the order of the text.
    pub(crate) entries: Vec<ListEntry>,
    /// The lines that could not be used, in the order of the text.
    pub(crate) skipped: Vec<SkippedLine>,
}

impl ParsedList {
    fn push(&mut self, line: usize, pattern: ListPattern) {
        self.entries.push(ListEntry {
            line,
            pattern,
            exception: false,
            important: false,
        });
    }

    fn skip(&mut self, line: usize, reason: String) {
        self.skipped.push(SkippedLine { line, reason });
    }

    /// Records an entry, a skipped line, or (`None`) nothing.
    fn push_or_skip(&mut self, line: usize, result: Option<Result<ListPattern, Error>>) {
        match result {
            Some(Ok(pattern)) => self.push(line, pattern),
            Some(Err(e)) => self.skip(line, e.into_message()),
            None => {}
        }
    }
}

/// Parses a list's text. Never fails: lines that cannot be used are in `skipped`.
pub(crate) fn parse_list(format: ListFormat, text: &str) -> ParsedList {
    let mut out = ParsedList::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (index, raw) in text.lines().enumerate() {
        let line = index.saturating_add(1);
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match format {
            ListFormat::Domains => domains_line(line, raw, &mut out),
            ListFormat::Hosts => hosts_line(line, raw, &mut out),
            ListFormat::Wildcard => wildcard_line(line, raw, &mut out),
            ListFormat::Adblock => adblock_line(line, raw, &mut out),
        }
    }
    out
}

/// The line without its `#` comment, trimmed.
fn strip_hash_comment(raw: &str) -> &str {
    raw.split_once('#').map_or(raw, |(before, _)| before).trim()
}

/// A host written in a list: a domain (covering its subdomains) or an IP address.
fn host_pattern(written: &str) -> Result<ListPattern, Error> {
    if let Some(domain) = plain_domain(written) {
        return Ok(ListPattern::Domain(domain.to_owned()));
    }
    match normalize_host(written)? {
        NormalHost::Domain(d) if !d.contains('.') => Err(Error::new(
            ErrorKind::ListLine,
            format!(
                "`{written}` is a single label: a list entry may not cover a whole top-level domain"
            ),
        )),
        NormalHost::Domain(d) => Ok(ListPattern::Domain(d)),
        NormalHost::Ip(ip) => Ok(ListPattern::Host(ip)),
    }
}

/// A domain of two labels or more that needs no IDNA pass
/// ([`domain::plain_domain`](crate::link::domain::plain_domain)): the fast path for the
/// bulk of a list.
fn plain_domain(written: &str) -> Option<&str> {
    crate::link::domain::plain_domain(written).filter(|d| d.contains('.'))
}

/// The local names every hosts file carries, which are not entries of a blocklist.
fn is_local_name(name: &str) -> bool {
    const NAMES: [&str; 9] = [
        "localhost",
        "localhost.localdomain",
        "localhost4",
        "localhost4.localdomain4",
        "localhost6",
        "localhost6.localdomain6",
        "local",
        "localdomain",
        "broadcasthost",
    ];
    let name = name.trim_end_matches('.');
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
        || (!name.contains('.')
            && name
                .get(..4)
                .is_some_and(|head| head.eq_ignore_ascii_case("ip6-")))
}

/// Whether an address sends names nowhere: `0.0.0.0`, `0`, `127.x.x.x`, `::`, `::1`.
fn is_sink_address(address: &str) -> bool {
    if address == "0" {
        return true;
    }
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_unspecified() || ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_unspecified() || ip.is_loopback(),
        Err(_) => false,
    }
}

/// The only word of a line, or why there is not exactly one.
fn single_word(content: &str, format: ListFormat) -> Result<&str, Error> {
    let mut words = content.split_whitespace();
    match (words.next(), words.next()) {
        (Some(word), None) => Ok(word),
        (Some(first), Some(_)) if is_sink_address(first) => Err(Error::new(
            ErrorKind::ListLine,
            format!(
                "a hosts-file line in a `{}` list: use format `hosts`",
                format.as_str()
            ),
        )),
        _ => Err(Error::new(
            ErrorKind::ListLine,
            format!(
                "several words on one line: a `{}` list has one domain a line",
                format.as_str()
            ),
        )),
    }
}

fn domains_line(line: usize, raw: &str, out: &mut ParsedList) {
    let content = strip_hash_comment(raw);
    if content.is_empty() {
        return;
    }
    let result = single_word(content, ListFormat::Domains).and_then(|word| {
        if is_local_name(word) {
            return Ok(None);
        }
        if word.starts_with("*.") {
            return Err(Error::new(ErrorKind::ListLine, format!(
                "`{word}` is a wildcard: a `domains` entry covers its subdomains already (or use format `wildcard`)"
            )));
        }
        host_pattern(word).map(Some)
    });
    out.push_or_skip(line, result.transpose());
}

fn hosts_line(line: usize, raw: &str, out: &mut ParsedList) {
    let content = strip_hash_comment(raw);
    let mut words = content.split_whitespace();
    let Some(address) = words.next() else {
        return;
    };
    let all_names: Vec<&str> = words.collect();
    // `127.0.0.1 localhost`, `::1 ip6-loopback`, `0.0.0.0 0.0.0.0`: boilerplate.
    let names: Vec<&str> = all_names
        .iter()
        .copied()
        .filter(|n| !is_local_name(n) && !is_sink_address(n))
        .collect();
    let is_ip = address == "0" || address.parse::<std::net::IpAddr>().is_ok();
    if all_names.is_empty() {
        let reason = if is_ip {
            format!("`{address}` has no host after it: a `hosts` line is `0.0.0.0 host...`")
        } else {
            format!("`{address}` has no address in front: a `hosts` line is `0.0.0.0 host...`")
        };
        out.skip(line, reason);
        return;
    }
    if names.is_empty() {
        return;
    }
    if !is_ip {
        out.skip(
            line,
            format!("`{address}` is not an IP address: a `hosts` line is `0.0.0.0 host...`"),
        );
        return;
    }
    if !is_sink_address(address) {
        out.skip(
            line,
            format!(
                "`{address}` is not a blocking address (0.0.0.0, 127.0.0.1, :: or ::1): the line sends its hosts to a server instead of blocking them"
            ),
        );
        return;
    }
    for name in names {
        out.push_or_skip(line, host_pattern(name).map(Some).transpose());
    }
}

fn wildcard_line(line: usize, raw: &str, out: &mut ParsedList) {
    let content = strip_hash_comment(raw);
    if content.is_empty() {
        return;
    }
    let result = single_word(content, ListFormat::Wildcard).and_then(|word| {
        if is_local_name(word) {
            return Ok(None);
        }
        let (wild, domain) = match word.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        if domain.is_empty() {
            return Err(Error::new(
                ErrorKind::ListLine,
                format!("`{word}` has no domain after the wildcard"),
            ));
        }
        if domain.contains('*') {
            return Err(Error::new(
                ErrorKind::ListLine,
                format!("`{word}`: only a leading `*.` wildcard is supported"),
            ));
        }
        match host_pattern(domain)? {
            ListPattern::Host(_) if wild => Err(Error::new(
                ErrorKind::ListLine,
                format!("`{word}`: a wildcard cannot cover an IP address"),
            )),
            pattern => Ok(Some(pattern)),
        }
    });
    out.push_or_skip(line, result.transpose());
}

/// The markers of cosmetic, scriptlet and HTML filtering rules.
const COSMETIC_MARKERS: [&str; 10] = [
    "##", "#@#", "#?#", "#@?#", "#$#", "#@$#", "#%#", "#@%#", "$$", "$@$",
];

/// The options of an adblock network rule that the contract can honour.
#[derive(Clone, Copy, Debug, Default)]
struct Options {
    important: bool,
    match_case: bool,
}

fn parse_options(options: &str) -> Result<Options, Error> {
    let mut parsed = Options::default();
    for option in options.split(',') {
        let option = option.trim();
        let name = option.split_once('=').map_or(option, |(name, _)| name);
        match name.to_ascii_lowercase().as_str() {
            "important" => parsed.important = true,
            "match-case" => parsed.match_case = true,
            // A link opened from a chat is a top-level document load.
            "document" | "doc" | "all" => {}
            "" => return Err(Error::new(ErrorKind::ListLine, "an empty option after `$`")),
            _ => {
                return Err(Error::new(
                    ErrorKind::ListLine,
                    format!("`${name}` option is not supported"),
                ));
            }
        }
    }
    Ok(parsed)
}

fn adblock_line(line: usize, raw: &str, out: &mut ParsedList) {
    if raw.starts_with('!') || (raw.starts_with('[') && raw.ends_with(']')) {
        return;
    }
    let cosmetic = if raw.starts_with('#') {
        COSMETIC_MARKERS.iter().any(|m| raw.starts_with(m))
    } else {
        COSMETIC_MARKERS.iter().any(|m| raw.contains(m))
    };
    if cosmetic {
        out.skip(
            line,
            "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
                .to_owned(),
        );
        return;
    }
    if raw.starts_with('#') {
        return;
    }
    let (exception, body) = match raw.strip_prefix("@@") {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    match adblock_rule(body) {
        Ok((pattern, options)) => out.entries.push(ListEntry {
            line,
            pattern,
            exception,
            important: options.important,
        }),
        Err(e) => out.skip(line, e.into_message()),
    }
}

/// A network rule without its `@@`.
fn adblock_rule(body: &str) -> Result<(ListPattern, Options), Error> {
    if let Some(rest) = body.strip_prefix('/') {
        if let Some(inner) = rest.strip_suffix('/').filter(|i| !i.is_empty()) {
            return regex_rule(inner, Options::default());
        }
        if let Some((inner, options)) = rest.rsplit_once("/$").filter(|(i, _)| !i.is_empty()) {
            return regex_rule(inner, parse_options(options)?);
        }
    }
    let (pattern, options) = match body.rsplit_once('$') {
        Some((pattern, options)) => (pattern, parse_options(options)?),
        None => (body, Options::default()),
    };
    if pattern.contains('*') {
        return Err(Error::new(
            ErrorKind::ListLine,
            "a wildcard `*` inside a rule is not supported",
        ));
    }
    if let Some(rest) = pattern.strip_prefix("||") {
        domain_rule(rest).map(|p| (p, options))
    } else if let Some(rest) = pattern.strip_prefix('|') {
        prefix_rule(rest).map(|p| (p, options))
    } else {
        Err(Error::new(ErrorKind::ListLine,
            "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
                .to_owned(),
        ))
    }
}

fn regex_rule(inner: &str, options: Options) -> Result<(ListPattern, Options), Error> {
    // Adblock filters ignore case unless `$match-case`.
    let pattern = if options.match_case {
        inner.to_owned()
    } else {
        format!("(?i){inner}")
    };
    match regex::Regex::new(&pattern) {
        Ok(_) => Ok((ListPattern::Regex(pattern), options)),
        Err(e) => {
            // The regex crate's parse errors span several lines; the last says what is wrong.
            let msg = e.to_string();
            let msg = msg.rsplit_once("error: ").map_or(msg.as_str(), |(_, m)| m);
            Err(Error::new(
                ErrorKind::ListLine,
                format!("invalid regex `/{inner}/`: {}", msg.trim()),
            ))
        }
    }
}

/// `||domain^`, `||domain^|` or `||domain`, without the `||`.
fn domain_rule(rest: &str) -> Result<ListPattern, Error> {
    let domain = rest
        .strip_suffix("^|")
        .or_else(|| rest.strip_suffix('^'))
        .unwrap_or(rest);
    if domain.is_empty() {
        return Err(Error::new(ErrorKind::ListLine, "`||` without a domain"));
    }
    if domain.contains(['/', '^', '?', '#', '=', '&']) {
        return Err(Error::new(
            ErrorKind::ListLine,
            "a path or query after the domain is not supported",
        ));
    }
    if domain.contains('|') {
        return Err(Error::new(
            ErrorKind::ListLine,
            "an end anchor `|` is only supported as `||domain^|`",
        ));
    }
    if domain.contains(':') && !domain.starts_with('[') {
        return Err(Error::new(
            ErrorKind::ListLine,
            "a port after the domain is not supported",
        ));
    }
    host_pattern(domain)
}

/// `|scheme:...`, without the `|`.
fn prefix_rule(rest: &str) -> Result<ListPattern, Error> {
    if rest.ends_with('|') {
        return Err(Error::new(
            ErrorKind::ListLine,
            "an end anchor `|` (a whole url, not a prefix) is not supported",
        ));
    }
    let valid_scheme = rest.split_once(':').is_some_and(|(scheme, _)| {
        let mut bytes = scheme.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    if !valid_scheme {
        return Err(Error::new(
            ErrorKind::ListLine,
            format!("`|{rest}` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"),
        ));
    }
    let Some(head) = rest.strip_suffix('^') else {
        if rest.contains('^') {
            return Err(Error::new(
                ErrorKind::ListLine,
                "a separator `^` inside a url prefix is not supported",
            ));
        }
        return Ok(ListPattern::UrlPrefix(rest.to_owned()));
    };
    // `|https://evil.example^`: the host, then a separator; in a normalized URL a
    // web host is always followed by `/` (or a port, which this does not cover).
    let after_authority = head.split_once("://").map(|(_, a)| a);
    match after_authority {
        Some(authority) if !authority.is_empty() && !authority.contains(['/', '^', '?', '#']) => {
            Ok(ListPattern::UrlPrefix(format!("{head}/")))
        }
        _ => Err(Error::new(
            ErrorKind::ListLine,
            "a separator `^` inside a url prefix is not supported",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use ListFormat::{Adblock, Domains, Hosts, Wildcard};

    const DOMAINS: &str = include_str!("../tests/data/lists/domains.txt");
    const HOSTS: &str = include_str!("../tests/data/lists/hosts.txt");
    const WILDCARD: &str = include_str!("../tests/data/lists/wildcard.txt");
    const ADBLOCK: &str = include_str!("../tests/data/lists/adblock.txt");

    fn domain(d: &str) -> ListPattern {
        ListPattern::Domain(d.to_owned())
    }
    fn host(h: &str) -> ListPattern {
        ListPattern::Host(h.to_owned())
    }
    fn prefix(p: &str) -> ListPattern {
        ListPattern::UrlPrefix(p.to_owned())
    }
    fn regex(r: &str) -> ListPattern {
        ListPattern::Regex(r.to_owned())
    }
    /// A plain entry.
    fn entry(line: usize, pattern: ListPattern) -> ListEntry {
        flagged(line, pattern, false, false)
    }
    fn flagged(line: usize, pattern: ListPattern, exception: bool, important: bool) -> ListEntry {
        ListEntry {
            line,
            pattern,
            exception,
            important,
        }
    }
    fn skip(line: usize, reason: &str) -> SkippedLine {
        SkippedLine {
            line,
            reason: reason.to_owned(),
        }
    }

    // One line of a list: what it gives.
    macro_rules! entry {
        ($name:ident, $format:expr, $line:expr, $pattern:expr) => {
            entry!($name, $format, $line, $pattern, false, false);
        };
        ($name:ident, $format:expr, $line:expr, $pattern:expr, $exception:expr, $important:expr) => {
            #[test]
            fn $name() {
                let parsed = parse_list($format, $line);
                assert_eq!(parsed.skipped, [], "{}", $line);
                assert_eq!(
                    parsed.entries,
                    [flagged(1, $pattern, $exception, $important)],
                    "{}",
                    $line
                );
            }
        };
    }
    macro_rules! skipped {
        ($name:ident, $format:expr, $line:expr, $reason:expr) => {
            #[test]
            fn $name() {
                let parsed = parse_list($format, $line);
                assert_eq!(parsed.entries, [], "{}", $line);
                assert_eq!(parsed.skipped, [skip(1, $reason)], "{}", $line);
            }
        };
    }
    macro_rules! nothing {
        ($name:ident, $format:expr, $line:expr) => {
            #[test]
            fn $name() {
                assert_eq!(
                    parse_list($format, $line),
                    ParsedList::default(),
                    "{}",
                    $line
                );
            }
        };
    }

    // --- domains
    entry!(
        domains_plain,
        Domains,
        "evil.example",
        domain("evil.example")
    );
    entry!(
        domains_case_and_dot,
        Domains,
        "Evil.EXAMPLE.",
        domain("evil.example")
    );
    entry!(
        domains_idn,
        Domains,
        "京东.example",
        domain("xn--xhq9m.example")
    );
    entry!(
        domains_punycode,
        Domains,
        "xn--xhq9m.example",
        domain("xn--xhq9m.example")
    );
    entry!(
        domains_comment_after,
        Domains,
        "evil.example #why",
        domain("evil.example")
    );
    entry!(domains_ip, Domains, "203.0.113.7", host("203.0.113.7"));
    entry!(
        domains_ipv6,
        Domains,
        "[2001:DB8::1]",
        host("[2001:db8::1]")
    );
    entry!(
        domains_numeric_labels,
        Domains,
        "0.01.2.example",
        domain("0.01.2.example")
    );
    nothing!(domains_comment, Domains, "# evil.example");
    nothing!(domains_blank, Domains, " \t ");
    nothing!(domains_localhost, Domains, "localhost");
    skipped!(
        domains_wildcard,
        Domains,
        "*.evil.example",
        "`*.evil.example` is a wildcard: a `domains` entry covers its subdomains already (or use format `wildcard`)"
    );
    skipped!(
        domains_two_words,
        Domains,
        "evil.example other.example",
        "several words on one line: a `domains` list has one domain a line"
    );
    skipped!(
        domains_hosts_line,
        Domains,
        "0.0.0.0 evil.example",
        "a hosts-file line in a `domains` list: use format `hosts`"
    );
    skipped!(
        domains_single_label,
        Domains,
        "top",
        "`top` is a single label: a list entry may not cover a whole top-level domain"
    );
    skipped!(
        domains_bad_ipv4_end,
        Domains,
        "evil.999",
        "`evil.999` is not a valid domain: invalid IPv4 address"
    );
    skipped!(
        domains_adblock_line,
        Domains,
        "||evil.example^",
        "`||evil.example^` is not a valid domain: invalid international domain name"
    );

    // --- hosts
    entry!(
        hosts_zero,
        Hosts,
        "0.0.0.0 evil.example",
        domain("evil.example")
    );
    entry!(
        hosts_loopback,
        Hosts,
        "127.0.0.1\tEvil.Example",
        domain("evil.example")
    );
    entry!(
        hosts_other_loopback,
        Hosts,
        "127.0.0.2 evil.example",
        domain("evil.example")
    );
    entry!(
        hosts_short_zero,
        Hosts,
        "0 evil.example",
        domain("evil.example")
    );
    entry!(
        hosts_v6_unspecified,
        Hosts,
        ":: evil.example",
        domain("evil.example")
    );
    entry!(
        hosts_v6_loopback,
        Hosts,
        "::1 evil.example",
        domain("evil.example")
    );
    entry!(
        hosts_comment_after,
        Hosts,
        "0.0.0.0 evil.example#x",
        domain("evil.example")
    );
    entry!(
        hosts_ip_name,
        Hosts,
        "0.0.0.0 198.51.100.9",
        host("198.51.100.9")
    );
    entry!(
        hosts_among_localhost,
        Hosts,
        "127.0.0.1 localhost evil.example",
        domain("evil.example")
    );
    nothing!(hosts_localhost, Hosts, "127.0.0.1 localhost");
    nothing!(
        hosts_localdomain,
        Hosts,
        "127.0.0.1 localhost.localdomain localhost"
    );
    nothing!(
        hosts_localhost4,
        Hosts,
        "127.0.0.1 localhost4 localhost4.localdomain4"
    );
    nothing!(hosts_broadcast, Hosts, "255.255.255.255 broadcasthost");
    nothing!(hosts_ip6_names, Hosts, "ff02::2 ip6-allrouters");
    nothing!(hosts_zone, Hosts, "fe80::1%lo0 localhost");
    nothing!(hosts_local, Hosts, "0.0.0.0 local");
    nothing!(hosts_self, Hosts, "0.0.0.0 0.0.0.0");
    nothing!(hosts_comment, Hosts, "# 0.0.0.0 evil.example");
    skipped!(
        hosts_not_sink,
        Hosts,
        "192.0.2.1 evil.example",
        "`192.0.2.1` is not a blocking address (0.0.0.0, 127.0.0.1, :: or ::1): the line sends its hosts to a server instead of blocking them"
    );
    skipped!(
        hosts_no_address,
        Hosts,
        "evil.example",
        "`evil.example` has no address in front: a `hosts` line is `0.0.0.0 host...`"
    );
    skipped!(
        hosts_not_an_address,
        Hosts,
        "evil.example other.example",
        "`evil.example` is not an IP address: a `hosts` line is `0.0.0.0 host...`"
    );
    skipped!(
        hosts_no_host,
        Hosts,
        "0.0.0.0 # nothing",
        "`0.0.0.0` has no host after it: a `hosts` line is `0.0.0.0 host...`"
    );
    nothing!(
        hosts_ip6_any_single_label,
        Hosts,
        "ff02::3 ip6-allhosts ip6-whatever"
    );
    entry!(
        hosts_ip6_prefixed_domain,
        Hosts,
        "0.0.0.0 ip6-evil.example",
        domain("ip6-evil.example")
    );

    #[test]
    fn hosts_several_per_line_each_give_an_entry_or_a_skip() {
        let parsed = parse_list(Hosts, "0.0.0.0 a.example b..example c.example");
        assert_eq!(
            parsed.entries,
            [entry(1, domain("a.example")), entry(1, domain("c.example"))]
        );
        assert_eq!(
            parsed.skipped,
            [skip(
                1,
                "`b..example` is not a valid domain: it has an empty label"
            )]
        );
    }

    // --- wildcard
    entry!(
        wildcard_star,
        Wildcard,
        "*.evil.example",
        domain("evil.example")
    );
    entry!(
        wildcard_bare,
        Wildcard,
        "evil.example",
        domain("evil.example")
    );
    entry!(
        wildcard_idn_upper,
        Wildcard,
        "*.Bücher.Example",
        domain("xn--bcher-kva.example")
    );
    entry!(wildcard_ip, Wildcard, "203.0.113.5", host("203.0.113.5"));
    nothing!(
        wildcard_localhost,
        Wildcard,
        "localhost # from a hosts file"
    );
    skipped!(
        wildcard_suffix,
        Wildcard,
        "ads.*",
        "`ads.*`: only a leading `*.` wildcard is supported"
    );
    skipped!(
        wildcard_inside,
        Wildcard,
        "*.ads*.example",
        "`*.ads*.example`: only a leading `*.` wildcard is supported"
    );
    skipped!(
        wildcard_before_ip,
        Wildcard,
        "*.203.0.113.5",
        "`*.203.0.113.5`: a wildcard cannot cover an IP address"
    );
    skipped!(
        wildcard_alone,
        Wildcard,
        "*.",
        "`*.` has no domain after the wildcard"
    );
    skipped!(
        wildcard_tld,
        Wildcard,
        "*.zip",
        "`zip` is a single label: a list entry may not cover a whole top-level domain"
    );

    // --- adblock
    entry!(
        adblock_domain,
        Adblock,
        "||evil.example^",
        domain("evil.example")
    );
    entry!(
        adblock_domain_end,
        Adblock,
        "||evil.example^|",
        domain("evil.example")
    );
    entry!(
        adblock_domain_bare,
        Adblock,
        "||Evil.Example",
        domain("evil.example")
    );
    entry!(
        adblock_domain_idn,
        Adblock,
        "||京东.example^",
        domain("xn--xhq9m.example")
    );
    entry!(adblock_ip, Adblock, "||198.51.100.4^", host("198.51.100.4"));
    entry!(
        adblock_exception,
        Adblock,
        "@@||good.example^",
        domain("good.example"),
        true,
        false
    );
    entry!(
        adblock_important,
        Adblock,
        "||evil.example^$important",
        domain("evil.example"),
        false,
        true
    );
    entry!(
        adblock_important_exception,
        Adblock,
        "@@||good.example^$document,IMPORTANT",
        domain("good.example"),
        true,
        true
    );
    entry!(
        adblock_all,
        Adblock,
        "||evil.example^$all",
        domain("evil.example")
    );
    entry!(
        adblock_prefix,
        Adblock,
        "|https://evil.example/login",
        prefix("https://evil.example/login")
    );
    entry!(
        adblock_prefix_separator,
        Adblock,
        "|http://evil.example^",
        prefix("http://evil.example/")
    );
    entry!(
        adblock_prefix_exception,
        Adblock,
        "@@|https://good.example/safe/$important",
        prefix("https://good.example/safe/"),
        true,
        true
    );
    entry!(
        adblock_regex,
        Adblock,
        r"/^https?:\/\/[^\/]+\.zip\//",
        regex(r"(?i)^https?:\/\/[^\/]+\.zip\/")
    );
    entry!(
        adblock_regex_match_case,
        Adblock,
        r"/\/Login\//$match-case",
        regex(r"\/Login\/")
    );
    entry!(
        adblock_regex_dollar,
        Adblock,
        r"/\.zip$/$important",
        regex(r"(?i)\.zip$"),
        false,
        true
    );
    entry!(
        adblock_regex_exception,
        Adblock,
        r"@@/good\.example/",
        regex(r"(?i)good\.example"),
        true,
        false
    );
    nothing!(adblock_comment, Adblock, "! Title: a list");
    nothing!(adblock_header, Adblock, "[Adblock Plus 2.0]");
    nothing!(adblock_hash_comment, Adblock, "# a comment");
    skipped!(
        adblock_cosmetic,
        Adblock,
        "example.com##.ad",
        "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
    );
    skipped!(
        adblock_generic_cosmetic,
        Adblock,
        "##.ad",
        "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
    );
    skipped!(
        adblock_scriptlet,
        Adblock,
        "example.com##+js(nowebrtc)",
        "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
    );
    skipped!(
        adblock_html_filter,
        Adblock,
        "example.com$$script[tag-content=\"ad\"]",
        "cosmetic rules (element hiding, scriptlets, html filters) are not supported"
    );
    skipped!(
        adblock_third_party,
        Adblock,
        "||evil.example^$third-party",
        "`$third-party` option is not supported"
    );
    skipped!(
        adblock_negated_option,
        Adblock,
        "||evil.example^$~third-party",
        "`$~third-party` option is not supported"
    );
    skipped!(
        adblock_domain_option,
        Adblock,
        "||evil.example^$domain=a.example|b.example",
        "`$domain` option is not supported"
    );
    skipped!(
        adblock_empty_option,
        Adblock,
        "||evil.example^$",
        "an empty option after `$`"
    );
    skipped!(
        adblock_regex_option,
        Adblock,
        r"/evil/$script",
        "`$script` option is not supported"
    );
    skipped!(
        adblock_path,
        Adblock,
        "||evil.example/path",
        "a path or query after the domain is not supported"
    );
    skipped!(
        adblock_separator_path,
        Adblock,
        "||evil.example^login",
        "a path or query after the domain is not supported"
    );
    skipped!(
        adblock_wildcard,
        Adblock,
        "||evil.example^*.js",
        "a wildcard `*` inside a rule is not supported"
    );
    skipped!(
        adblock_port,
        Adblock,
        "||evil.example:8080^",
        "a port after the domain is not supported"
    );
    skipped!(
        adblock_end_anchor,
        Adblock,
        "|https://evil.example/exact|",
        "an end anchor `|` (a whole url, not a prefix) is not supported"
    );
    skipped!(
        adblock_prefix_inner_separator,
        Adblock,
        "|https://evil.example/a^b",
        "a separator `^` inside a url prefix is not supported"
    );
    skipped!(
        adblock_prefix_path_separator,
        Adblock,
        "|https://evil.example/a^",
        "a separator `^` inside a url prefix is not supported"
    );
    skipped!(
        adblock_prefix_without_scheme,
        Adblock,
        "|evil.example/",
        "`|evil.example/` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"
    );
    skipped!(
        adblock_unanchored,
        Adblock,
        "evil.example",
        "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
    );
    skipped!(
        adblock_hosts_line,
        Adblock,
        "0.0.0.0 evil.example",
        "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
    );
    skipped!(
        adblock_path_substring,
        Adblock,
        "/banner/ad.gif",
        "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported"
    );
    skipped!(
        adblock_look_around,
        Adblock,
        "/(?<=x)y/",
        "invalid regex `/(?<=x)y/`: look-around, including look-ahead and look-behind, is not supported"
    );
    skipped!(adblock_no_domain, Adblock, "||^", "`||` without a domain");
    skipped!(
        adblock_tld,
        Adblock,
        "||zip^",
        "`zip` is a single label: a list entry may not cover a whole top-level domain"
    );

    // --- fixtures: every line of tests/data/lists/*.txt

    #[test]
    fn fixture_domains() {
        let parsed = parse_list(Domains, DOMAINS);
        assert_eq!(
            parsed.entries,
            [
                entry(4, domain("evil.example")),
                entry(5, domain("phish.example")),
                entry(6, domain("xn---refund-j03ky5b.example")),
                entry(7, domain("login.bank.example")),
                entry(8, domain("xn--80ak6aa92e.com")),
                entry(9, host("203.0.113.7")),
                // 10: localhost, nothing
            ]
        );
        assert_eq!(
            parsed.skipped,
            [
                skip(
                    11,
                    "`*.wild.example` is a wildcard: a `domains` entry covers its subdomains already (or use format `wildcard`)"
                ),
                skip(
                    12,
                    "several words on one line: a `domains` list has one domain a line"
                ),
                skip(
                    13,
                    "`bad!.example` is not a valid domain: it has a character that is not allowed in a host name"
                ),
                skip(
                    14,
                    "`com` is a single label: a list entry may not cover a whole top-level domain"
                ),
                skip(
                    15,
                    "`a..b.example` is not a valid domain: it has an empty label"
                ),
            ]
        );
    }

    #[test]
    fn fixture_hosts() {
        assert!(
            HOSTS.contains("\r\n"),
            "the hosts fixture has CRLF line endings"
        );
        let parsed = parse_list(Hosts, HOSTS);
        // Lines 1-9: a comment, the boilerplate of a system hosts file, a blank line.
        assert_eq!(
            parsed.entries,
            [
                entry(10, domain("evil.example")),
                entry(11, domain("tracker.example")),
                entry(12, domain("tab.example")),
                entry(13, domain("zero.example")),
                entry(14, domain("v6-sink.example")),
                entry(15, domain("a.multi.example")),
                entry(15, domain("b.multi.example")),
                entry(15, domain("c.multi.example")),
                entry(16, domain("xn--r8jz45g.xn--zckzah")),
                entry(17, host("198.51.100.9")),
                entry(18, domain("good.example")),
            ]
        );
        assert_eq!(
            parsed.skipped,
            [
                skip(
                    18,
                    "`bad..example` is not a valid domain: it has an empty label"
                ),
                skip(
                    19,
                    "`192.0.2.1` is not a blocking address (0.0.0.0, 127.0.0.1, :: or ::1): the line sends its hosts to a server instead of blocking them"
                ),
                skip(
                    20,
                    "`no-address.example` has no address in front: a `hosts` line is `0.0.0.0 host...`"
                ),
                skip(
                    21,
                    "`0.0.0.0` has no host after it: a `hosts` line is `0.0.0.0 host...`"
                ),
                skip(
                    22,
                    "`com` is a single label: a list entry may not cover a whole top-level domain"
                ),
            ]
        );
    }

    #[test]
    fn fixture_wildcard() {
        let parsed = parse_list(Wildcard, WILDCARD);
        assert_eq!(
            parsed.entries,
            [
                entry(2, domain("evil.example")),
                entry(3, domain("plain.example")),
                entry(4, domain("upper.example")),
                entry(5, domain("xn--bcher-kva.example")),
                entry(9, host("203.0.113.5")),
                // 11: localhost, nothing
            ]
        );
        assert_eq!(
            parsed.skipped,
            [
                skip(6, "`ads.*`: only a leading `*.` wildcard is supported"),
                skip(
                    7,
                    "`*ads*.example`: only a leading `*.` wildcard is supported"
                ),
                skip(8, "`*.203.0.113.5`: a wildcard cannot cover an IP address"),
                skip(10, "`*.` has no domain after the wildcard"),
                skip(
                    12,
                    "`com` is a single label: a list entry may not cover a whole top-level domain"
                ),
            ]
        );
    }

    #[test]
    fn fixture_adblock() {
        let parsed = parse_list(Adblock, ADBLOCK);
        // Lines 1-4: a header and comments.
        assert_eq!(
            parsed.entries,
            [
                entry(5, domain("evil.example")),
                entry(6, domain("phish.example")),
                entry(7, domain("bare.example")),
                flagged(8, domain("allowed.example"), true, false),
                flagged(9, domain("hard.example"), false, true),
                flagged(10, domain("hard-allow.example"), true, true),
                entry(11, host("198.51.100.4")),
                entry(12, prefix("https://evil.example/login")),
                entry(13, prefix("http://short.example/")),
                flagged(14, prefix("https://good.example/safe/"), true, false),
                entry(15, regex(r"(?i)^https?:\/\/[^\/]+\.zip\/")),
                entry(16, regex(r"evil\.example\/Path")),
                entry(30, domain("xn--xhq9m.example")),
            ]
        );
        let cosmetic =
            "cosmetic rules (element hiding, scriptlets, html filters) are not supported";
        let unanchored = "a rule without a `||` or `|` start anchor (it matches anywhere in a url) is not supported";
        let wildcard = "a wildcard `*` inside a rule is not supported";
        assert_eq!(
            parsed.skipped,
            [
                skip(
                    17,
                    "invalid regex `/(?<=x)y/`: look-around, including look-ahead and look-behind, is not supported"
                ),
                skip(18, cosmetic),
                skip(19, cosmetic),
                skip(20, cosmetic),
                skip(21, "`$third-party` option is not supported"),
                skip(22, "`$script` option is not supported"),
                skip(23, "a path or query after the domain is not supported"),
                skip(24, wildcard),
                skip(25, wildcard),
                skip(
                    26,
                    "an end anchor `|` (a whole url, not a prefix) is not supported"
                ),
                skip(27, unanchored),
                skip(28, unanchored),
                skip(29, "a port after the domain is not supported"),
                skip(
                    31,
                    "`|evil.example/` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"
                ),
                skip(
                    32,
                    "`com` is a single label: a list entry may not cover a whole top-level domain"
                ),
                skip(33, "`||` without a domain"),
            ]
        );
    }

    #[test]
    fn line_endings_and_bom_do_not_matter() {
        for (format, text) in [
            (Domains, DOMAINS),
            (Hosts, HOSTS),
            (Wildcard, WILDCARD),
            (Adblock, ADBLOCK),
        ] {
            let text = text.trim_start_matches('\u{feff}');
            let lf = text.replace("\r\n", "\n");
            let crlf = lf.replace('\n', "\r\n");
            let bom = format!("\u{feff}{crlf}");
            let want = parse_list(format, &lf);
            assert!(!want.entries.is_empty() && !want.skipped.is_empty());
            assert_eq!(parse_list(format, &crlf), want, "{format:?} CRLF");
            assert_eq!(parse_list(format, &bom), want, "{format:?} BOM");
            assert_eq!(parse_list(format, text), want, "{format:?} as vendored");
        }
    }

    #[test]
    fn a_bom_does_not_hide_the_first_entry() {
        let parsed = parse_list(Domains, "\u{feff}evil.example\r\n");
        assert_eq!(parsed.entries, [entry(1, domain("evil.example"))]);
    }

    #[test]
    fn empty_text_is_an_empty_list() {
        for format in [Domains, Hosts, Wildcard, Adblock] {
            assert_eq!(parse_list(format, ""), ParsedList::default());
        }
    }

    #[test]
    fn formats_deserialize_by_name() {
        for format in [Domains, Hosts, Wildcard, Adblock] {
            let json = format!("\"{}\"", format.as_str());
            assert_eq!(serde_json::from_str::<ListFormat>(&json).unwrap(), format);
        }
        assert!(serde_json::from_str::<ListFormat>("\"Hosts\"").is_err());
    }

    #[test]
    fn the_fast_path_agrees_with_normalization() {
        for written in [
            "evil.example",
            "a-b_c.0.example",
            "-lead.example",
            "ab--cd.example",
            "evil.e1",
            "evil.0x1f",
            "evil.123",
            "xn--xhq9m.example",
            "xn--zz.example",
            "Evil.example",
            "evil.example.",
        ] {
            if let Some(fast) = plain_domain(written) {
                assert_eq!(
                    crate::link::domain::normalize_host_by_idna(written),
                    Ok(NormalHost::Domain(fast.to_owned())),
                    "{written}"
                );
            }
        }
        assert_eq!(plain_domain("evil.123"), None);
        assert_eq!(plain_domain("xn--xhq9m.example"), None);
        assert_eq!(plain_domain("com"), None);
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_normalization_on_any_text(written in "[a-z0-9_.-]{1,40}") {
            if let Some(fast) = plain_domain(&written) {
                proptest::prop_assert_eq!(
                    crate::link::domain::normalize_host_by_idna(&written),
                    Ok(NormalHost::Domain(fast.to_owned()))
                );
            }
        }
    }

    // --- the real lists in ../shared/data/blocklists (never vendored: the hagezi
    // lists are GPL); each test returns early when the folder is absent.

    fn real_list(name: &str) -> Option<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/blocklists");
        if !dir.is_dir() {
            eprintln!("skipped: {} is absent", dir.display());
            return None;
        }
        let path: PathBuf = dir.join(name);
        Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    /// Parses a real list; checks that every line that is not blank or a `#`
    /// comment gave an entry or a skipped line, and that no other line did.
    fn check_real_list(format: ListFormat, name: &str, entries: usize, skipped: usize) {
        let Some(text) = real_list(name) else { return };
        let parsed = parse_list(format, &text);
        let content: BTreeSet<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let l = l.trim_start_matches('\u{feff}').trim();
                !l.is_empty() && !l.starts_with('#')
            })
            .map(|(i, _)| i + 1)
            .collect();
        let used: BTreeSet<usize> = parsed
            .entries
            .iter()
            .map(|e| e.line)
            .chain(parsed.skipped.iter().map(|s| s.line))
            .collect();
        assert_eq!(used, content, "{name}: lines used vs lines with content");
        assert_eq!(
            parsed.entries.len() + parsed.skipped.len(),
            content.len(),
            "{name}: one entry or skip a line"
        );
        assert_eq!(
            parsed.skipped.len(),
            skipped,
            "{name}: {:?}",
            parsed.skipped.first()
        );
        assert_eq!(parsed.entries.len(), entries, "{name}");
        // The fast path and the full normalization agree on every real entry.
        for e in parsed.entries.iter().take(2000) {
            if let ListPattern::Domain(d) = &e.pattern {
                assert_eq!(normalize_host(d), Ok(NormalHost::Domain(d.clone())));
            }
        }
    }

    // Every list loads whole: each count is the one the list's header announces
    // (`# Entries:`, `# Domains:`), and no line is skipped. Their headers are `#`
    // comments; the blocklistproject lists end their header with a blank line.

    #[test]
    fn real_blocklistproject_phishing_domains() {
        check_real_list(Domains, "blocklistproject/phishing-nl.txt", 190_215, 0);
    }

    #[test]
    fn real_blocklistproject_ransomware_hosts() {
        check_real_list(Hosts, "blocklistproject/ransomware.hosts.txt", 1_904, 0);
    }

    #[test]
    fn real_blocklistproject_redirect_hosts() {
        check_real_list(Hosts, "blocklistproject/redirect.hosts.txt", 108_685, 0);
    }

    #[test]
    fn real_blocklistproject_scam_hosts() {
        check_real_list(Hosts, "blocklistproject/scam.hosts.txt", 8_527, 0);
    }

    #[test]
    fn real_hagezi_fake_domains() {
        check_real_list(Domains, "hagezi-2022/fake.domains.txt", 14_043, 0);
    }

    #[test]
    fn real_hagezi_light_wildcard() {
        check_real_list(Wildcard, "hagezi-2022/light.wildcard.txt", 122_680, 0);
    }

    #[test]
    fn real_hagezi_stevenblack_wildcard() {
        check_real_list(Wildcard, "hagezi-2022/stevenblack.wildcard.txt", 85_291, 0);
    }

    #[test]
    fn real_hagezi_ultimatehosts_wildcard() {
        check_real_list(
            Wildcard,
            "hagezi-2022/ultimatehosts.wildcard.txt",
            147_753,
            0,
        );
    }

    #[test]
    fn real_lists_in_the_wrong_format_are_reported_line_by_line() {
        // A hosts file read as `domains`: every line is reported, none is dropped.
        let Some(text) = real_list("blocklistproject/scam.hosts.txt") else {
            return;
        };
        let parsed = parse_list(Domains, &text);
        assert_eq!(parsed.entries, []);
        assert_eq!(parsed.skipped.len(), 8_527);
        assert_eq!(
            parsed.skipped[0],
            skip(
                14,
                "a hosts-file line in a `domains` list: use format `hosts`"
            )
        );
    }

    /// `cargo test --release --lib lists::tests::parse_time -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a test"]
    fn parse_time() {
        let Some(text) = real_list("blocklistproject/phishing-nl.txt") else {
            return;
        };
        let mut best = std::time::Duration::MAX;
        for _ in 0..10 {
            let start = std::time::Instant::now();
            let parsed = parse_list(Domains, &text);
            best = best.min(start.elapsed());
            assert_eq!(parsed.entries.len(), 190_215);
        }
        eprintln!("phishing-nl.txt (190,215 domains): {best:?}");
    }
}
