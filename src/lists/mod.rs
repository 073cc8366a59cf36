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

/// Why a line cannot be used: a [`ErrorKind::ListLine`] error, whose message
/// becomes the line's warning (or, with `strict_lists`, an error on the list).
fn unusable(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::ListLine, message)
}

/// A host written in a list: a domain (covering its subdomains) or an IP address.
fn host_pattern(written: &str) -> Result<ListPattern, Error> {
    if let Some(domain) = plain_domain(written) {
        return Ok(ListPattern::Domain(domain.to_owned()));
    }
    match normalize_host(written)? {
        NormalHost::Domain(d) if !d.contains('.') => Err(unusable(format!(
            "`{written}` is a single label: a list entry may not cover a whole top-level domain"
        ))),
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
        (Some(first), Some(_)) if is_sink_address(first) => Err(unusable(format!(
            "a hosts-file line in a `{}` list: use format `hosts`",
            format.as_str()
        ))),
        _ => Err(unusable(format!(
            "several words on one line: a `{}` list has one domain a line",
            format.as_str()
        ))),
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
            return Err(unusable( format!(
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
            return Err(unusable(format!(
                "`{word}` has no domain after the wildcard"
            )));
        }
        if domain.contains('*') {
            return Err(unusable(format!(
                "`{word}`: only a leading `*.` wildcard is supported"
            )));
        }
        match host_pattern(domain)? {
            ListPattern::Host(_) if wild => Err(unusable(format!(
                "`{word}`: a wildcard cannot cover an IP address"
            ))),
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
            "" => return Err(unusable("an empty option after `$`")),
            _ => {
                return Err(unusable(format!("`${name}` option is not supported")));
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
        return Err(unusable("a wildcard `*` inside a rule is not supported"));
    }
    if let Some(rest) = pattern.strip_prefix("||") {
        domain_rule(rest).map(|p| (p, options))
    } else if let Some(rest) = pattern.strip_prefix('|') {
        prefix_rule(rest).map(|p| (p, options))
    } else {
        Err(unusable(
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
            Err(unusable(format!(
                "invalid regex `/{inner}/`: {}",
                msg.trim()
            )))
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
        return Err(unusable("`||` without a domain"));
    }
    if domain.contains(['/', '^', '?', '#', '=', '&']) {
        return Err(unusable(
            "a path or query after the domain is not supported",
        ));
    }
    if domain.contains('|') {
        return Err(unusable(
            "an end anchor `|` is only supported as `||domain^|`",
        ));
    }
    if domain.contains(':') && !domain.starts_with('[') {
        return Err(unusable("a port after the domain is not supported"));
    }
    host_pattern(domain)
}

/// `|scheme:...`, without the `|`.
fn prefix_rule(rest: &str) -> Result<ListPattern, Error> {
    if rest.ends_with('|') {
        return Err(unusable(
            "an end anchor `|` (a whole url, not a prefix) is not supported",
        ));
    }
    let valid_scheme = rest.split_once(':').is_some_and(|(scheme, _)| {
        let mut bytes = scheme.bytes();
        bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    if !valid_scheme {
        return Err(unusable(format!(
            "`|{rest}` is not a url prefix: a `|` rule starts with a scheme (`|https://`)"
        )));
    }
    let Some(head) = rest.strip_suffix('^') else {
        if rest.contains('^') {
            return Err(unusable(
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
        _ => Err(unusable(
            "a separator `^` inside a url prefix is not supported",
        )),
    }
}

#[cfg(test)]
mod tests;
