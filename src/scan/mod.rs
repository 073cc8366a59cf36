//! Finding the links in a chat message: [`Policy::scan`].
//!
//! The finder (`scan/finder.rs`, which reads hosts and paths in `scan/host.rs`
//! with the character classes of `scan/chars.rs`) is hand-written, because the
//! boundaries of a link in Chinese, Japanese and Korean text are not where a
//! Latin-text link finder puts them: there is no space between a link and the
//! sentence around it, so the CJK characters and full-width punctuation that
//! follow a link must end it. It looks only where a link can be (at a `:`, `.`, `@` or full-width
//! `．`/`：`), so a message without links costs little more than a byte search.

pub(crate) mod chars;
pub(crate) mod finder;
mod host;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::policy::Policy;
use crate::verdict::Verdict;

#[allow(
    unused_imports,
    reason = "the crate-internal API of the finder, for masked links"
)]
pub(crate) use chars::ends_link;
#[allow(
    unused_imports,
    reason = "the crate-internal API of the finder, for masked links"
)]
pub(crate) use finder::{Finds, Found, Links};

/// What a link found in a message is: a web page, an app link or an e-mail
/// address. Serialized in snake_case (`"web"`, `"app"`, `"email"`).
#[derive(Clone, Copy, Debug, Deserialize, Eq, Hash, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkKind {
    /// A web link: `http`, `https`, `ftp`, `ws` or `wss`, or no scheme at all
    /// (`jd.com/x`, `//jd.com/x`).
    Web,
    /// A link of another scheme with `//` (`weixin://dl/scan`,
    /// `taobao://item.taobao.com/...`): it opens an app.
    App,
    /// An e-mail address, bare (`kefu@jd.com`) or as a `mailto:` link. Its
    /// verdict is that of the `mailto:` link, an app link.
    Email,
}

/// A link found in a message by [`Policy::scan`]: where it is (in bytes of the
/// message's UTF-8 text and in UTF-16 code units, for JavaScript, Kotlin, Java and
/// Swift strings), the text as the message spells it, its kind, and the policy's
/// verdict on it.
///
/// It serializes (and deserializes, with serde) to the example program's
/// `--messages` form, `{"start": 6, "end": 32, "start16": 2, "end16": 28,
/// "text": "...", "kind": "web", "verdict": {...}}`.
///
/// # Example
///
/// ```
/// use linkpolicy::{Action, Context, LinkKind, Policy, SAMPLE_POLICY};
///
/// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
/// let message = "看这个https://item.jd.com/100012043978.html很好";
/// let links = policy.scan(message, &Context::one_to_one());
/// let link = links.first().ok_or("no link found")?;
/// assert_eq!(link.text, "https://item.jd.com/100012043978.html");
/// assert_eq!(link.range(), 9..46);
/// // 看这个 is three UTF-16 code units.
/// assert_eq!(link.range16(), 3..40);
/// assert_eq!(message.get(link.range()), Some(link.text.as_str()));
/// assert_eq!(link.kind(), LinkKind::Web);
/// assert_eq!(link.verdict.action(), Action::Allow);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Deserialize, Eq, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FoundLink {
    /// The byte offset in the message's UTF-8 text where the link starts.
    pub start: usize,
    /// The byte offset just past the link's last byte.
    pub end: usize,
    /// The offset in UTF-16 code units where the link starts.
    pub start16: usize,
    /// The offset in UTF-16 code units just past the link.
    pub end16: usize,
    /// The link as the message spells it: `message[start..end]`.
    pub text: String,
    /// What the link is: web, app or e-mail.
    pub kind: LinkKind,
    /// [`Policy::classify`] of [`text`](FoundLink::text) in the message's context
    /// (of `mailto:` and the text, for a bare e-mail address).
    pub verdict: Verdict,
}

impl FoundLink {
    /// The byte range of the link in the message, `start..end`.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy};
    ///
    /// let policy = Policy::from_toml_str("version = 1")?;
    /// let message = "淘宝：www.taobao.com，京东：jd.com。";
    /// let found: Vec<&str> = policy
    ///     .scan(message, &Context::one_to_one())
    ///     .iter()
    ///     .filter_map(|link| message.get(link.range()))
    ///     .collect();
    /// assert_eq!(found, ["www.taobao.com", "jd.com"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The range of the link in UTF-16 code units, `start16..end16`: what
    /// JavaScript's `slice`, Java's and Kotlin's `substring` and Swift's
    /// `String.utf16` index with.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, Policy};
    ///
    /// let policy = Policy::from_toml_str("version = 1")?;
    /// let message = "👉 jd.com";
    /// let link = &policy.scan(message, &Context::one_to_one())[0];
    /// // 👉 is 4 bytes and 2 UTF-16 code units.
    /// assert_eq!((link.range(), link.range16()), (5..11, 3..9));
    /// let utf16: Vec<u16> = message.encode_utf16().collect();
    /// assert_eq!(String::from_utf16(&utf16[link.range16()])?, "jd.com");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn range16(&self) -> Range<usize> {
        self.start16..self.end16
    }

    /// What the link is: web, app or e-mail.
    pub fn kind(&self) -> LinkKind {
        self.kind
    }
}

impl Policy {
    /// Every link in a chat message, in order of appearance, each with its span
    /// (in bytes and in UTF-16 code units), its text, its kind and its verdict in
    /// `ctx`.
    ///
    /// Never fails and never panics; the time it takes is linear in the length
    /// of the message. Links never overlap. A host app should make clickable
    /// exactly what this finds, so that every link a user can open has had a
    /// verdict.
    ///
    /// # What is a link
    ///
    /// - **A web link with a scheme**: `http://`, `https://` (and `ftp`, `ws`,
    ///   `wss`), in any case, followed by a host, whatever host it is, as a
    ///   browser opens it: a domain name (`https://京东.com/`, `http://例子.测试`,
    ///   `https://ｅｖｉｌ.com/` in full-width letters), a one-label name
    ///   (`http://intranet`, `http://localhost:8000`), an IPv4 address in any
    ///   form (`http://127.1/`, `http://2130706433/`, `http://0x7f000001/`) or a
    ///   bracketed IPv6 one. The host is well formed: labels of at most 63
    ///   characters that neither start nor end with `-` or `_`
    ///   (`http://-jd.com`, `http://example.com_` are no links). As a browser
    ///   reads them, `http:/evil.com`, `http:\\evil.com` and `https：//evil.com/`
    ///   (a full-width colon) are links too. User info
    ///   (`https://jd.com@evil.example/`) is read as a browser reads it, so the
    ///   verdict is about the host the link really opens; it never holds
    ///   brackets, quotes or spaces, so in
    ///   `[https](https://www.ibm.com)[mailto](mailto:someone@ibm.com)` the
    ///   links are `https://www.ibm.com` and `mailto:someone@ibm.com`. A label
    ///   never mixes CJK with Latin letters or digits: `https://jd.com和taobao.com`
    ///   is the link `https://jd.com`, then text (and the link `taobao.com`). A
    ///   full-width dot is a dot when it makes a name under a known suffix
    ///   (`https://www.jd。com/`, as a browser reads it), the end of the sentence
    ///   otherwise (`https://www.taobao.com。Thanks`). Text glued before the
    ///   scheme (`链接https://`, `URLhttps://`) is not part of the link; a scheme
    ///   glued after a `_` (`_http://x.com`) or written in full-width letters is
    ///   no scheme.
    /// - **An app link**: any other `scheme://` (`weixin://dl/scan`,
    ///   `taobao://item.taobao.com/...`, `alipays://platformapi/...`,
    ///   `com.taobao.taobao://item`) with something after the `//`; the policy
    ///   decides it as an app link. Schemes without `//` (`tel:`, `javascript:`)
    ///   are not links: chat apps do not make them clickable.
    /// - **An e-mail address**: `mailto:name@example.com` (whatever the domain,
    ///   `mailto:foo@bar`, with more addresses after commas, `mailto:a@x,b@y`,
    ///   and with its `?subject=` query; or `mailto:?to=a@x`), or a bare address
    ///   `name@example.com` whose domain is under a known public suffix (local
    ///   part of ASCII letters, digits and `._%+-`); its verdict is that of the
    ///   `mailto:` link, so a policy judges it as an app link (`scheme =
    ///   "mailto"` rules, the `app_link` default).
    /// - **A link without a scheme** (`jd.com/x`, `www.taobao.com`,
    ///   `jd.com:8080/x`, `ＷＷＷ.ＪＤ.ＣＯＭ`, `//jd.com/x`): a host of letters
    ///   (ASCII or full-width, or of a script other than CJK), digits, `-` and
    ///   `_` whose suffix is a real public suffix, so `jd.com` and `t.cn` are
    ///   links and `file.html`, `8.0.16`, `3.14`, `v1.2` and `jd.corn` are not.
    ///   A CJK top-level domain right after the dot is kept (`example.中国`), and
    ///   after `www.` labels may be CJK (`www.京东.com`). An
    ///   IPv4 address is a link when a path or a port follows it
    ///   (`192.168.1.1/abc`; alone, `1.2.3.4` is more often a version). It is
    ///   not a link when it is part of a longer word or path (preceded by a
    ///   letter, a digit, `_`, `.`, `/`, `%` or `\`, by a word and a colon as in
    ///   `path:to:file.pm`, or by a `-` glued to one of those: `官网-jd.com` is
    ///   a link, `foo-jd.com` one name), a mention (preceded by `@`), a hashtag
    ///   or a cashtag (`#`, `$`), followed by `_`, `+` or `@` (an e-mail's local
    ///   part), or when its port is out of range (`google.com:500000`). The
    ///   ideographic full stop is never a dot here (`jd。com` is no link); the
    ///   full-width `．` is, like a browser reads it.
    ///
    /// # Where a link ends
    ///
    /// - White space (including the ideographic space U+3000) and control
    ///   characters.
    /// - CJK characters (Han, kana, Hangul) and all full-width and CJK
    ///   punctuation: `，。、：；！？「」『』《》〈〉（）【】～` and the like.
    /// - Emoji and other symbols (arrows, dingbats, `©`, `×`), Latin-1 and
    ///   general punctuation (curly quotes `“”`, `……`, `——`, `·`), except the en
    ///   dash `–`, which appears in Wikipedia titles.
    /// - The ASCII characters that cannot appear in a URL as typed: `<`, `>`,
    ///   `` ` ``, `\`, `^`; a `"` that no later `"` of the link closes; the quote
    ///   that opened right before the link (`'https://jd.com/x'`).
    /// - A closing bracket `)`, `]` or `}` that closes nothing inside the link:
    ///   `(see https://jd.com/x)` ends before the `)`, while
    ///   `https://en.wikipedia.org/wiki/Rust_(programming_language)` is whole.
    ///
    /// Invisible characters (zero-width spaces and joiners, bidirectional
    /// controls, the soft hyphen) end a link only at its ends: between two of
    /// its characters they are part of it (`https://e\u{200B}vil.com/` is one
    /// link, which opens `evil.com`), and a bidirectional control inside a link
    /// (`evil.com\u{202E}moc.dj`, shown as `evil.comjd.com`) makes its verdict
    /// a hard block, [`Reason::BidiControl`](crate::Reason::BidiControl).
    ///
    /// Then trailing ASCII punctuation (`.`, `,`, `:`, `;`, `!`, `?`, `*`, `~`,
    /// and a `'` that closes no quote of the link) is left to the sentence:
    /// `jd.com.` is `jd.com`, and so is a `-` right after a host
    /// (`jd.com-正品`). Letters of other scripts (Cyrillic, Arabic, accented
    /// Latin), the en dash, percent escapes and punycode stay inside a link.
    ///
    /// **CJK in a path ends the link**, even after a scheme: Chinese text
    /// follows a link without a space (`看这个https://item.jd.com/1.html很好`),
    /// so `https://zh.wikipedia.org/wiki/三体` is found as
    /// `https://zh.wikipedia.org/wiki/`. The verdict covers what is clickable
    /// because the span is what the host app makes clickable; browsers copy
    /// such paths percent-encoded (`/wiki/%E4%B8%89%E4%BD%93`), which is kept
    /// whole.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Action, Context, LinkKind, Policy, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let message = "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw";
    /// let links = policy.scan(message, &Context::group(40));
    /// let texts: Vec<&str> = links.iter().map(|l| l.text.as_str()).collect();
    /// assert_eq!(texts, ["http://t.cn/A6xyz", "http://t.cn/B7uvw"]);
    /// // t.cn is Weibo's, a tier B platform: behind a warning, even in a group.
    /// assert!(links.iter().all(|l| l.verdict.action() == Action::Warn));
    ///
    /// // Version numbers, decimals and file names are not links; e-mail addresses
    /// // are, of their own kind.
    /// let found = policy.scan("升级到8.0.16，π≈3.14，见readme.txt或kefu@jd.com", &Context::one_to_one());
    /// assert_eq!(found.len(), 1);
    /// assert_eq!((found[0].text.as_str(), found[0].kind()), ("kefu@jd.com", LinkKind::Email));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan(&self, text: &str, ctx: &Context) -> Vec<FoundLink> {
        let mut found = Vec::new();
        self.scan_into(text, ctx, &mut found);
        found
    }

    /// [`Policy::scan`] into a vector the caller keeps, for hot loops: `found` is
    /// cleared first, and keeps its capacity from one message to the next.
    ///
    /// # Example
    ///
    /// ```
    /// use linkpolicy::{Context, FoundLink, Policy, SAMPLE_POLICY};
    ///
    /// let policy = Policy::from_toml_str(SAMPLE_POLICY)?;
    /// let ctx = Context::one_to_one();
    /// let mut found: Vec<FoundLink> = Vec::new();
    /// let mut total = 0;
    /// for message in ["看这个https://item.jd.com/1.html很好", "没有链接", "b23.tv/abc 和 m.tb.cn/h.fxyz"] {
    ///     policy.scan_into(message, &ctx, &mut found);
    ///     total += found.len();
    /// }
    /// assert_eq!(total, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan_into(&self, text: &str, ctx: &Context, found: &mut Vec<FoundLink>) {
        found.clear();
        // UTF-16 offsets, counted on from the end of the link before.
        let (mut at, mut at16) = (0, 0);
        for Found { range, kind } in Finds::new(text, self.public_suffix_list()) {
            let Some(link) = text.get(range.clone()) else {
                continue;
            };
            let start16 = at16 + utf16_len(text.get(at..range.start).unwrap_or_default());
            let end16 = start16 + utf16_len(link);
            (at, at16) = (range.end, end16);
            let verdict = if kind == LinkKind::Email && !has_scheme(link) {
                self.classify(&format!("mailto:{link}"), ctx)
            } else {
                self.classify(link, ctx)
            };
            found.push(FoundLink {
                start: range.start,
                end: range.end,
                start16,
                end16,
                text: link.to_owned(),
                kind,
                verdict,
            });
        }
    }
}

/// The length of `s` in UTF-16 code units: one a character, two for those
/// outside the Basic Multilingual Plane (4-byte UTF-8).
fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from((b & 0xC0) != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// Whether an e-mail link is written with its `mailto:` scheme.
fn has_scheme(link: &str) -> bool {
    link.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psl::PublicSuffixList;

    fn links(text: &str) -> Vec<&str> {
        let psl = PublicSuffixList::builtin();
        Links::new(text, &psl)
            .map(|span| text.get(span).unwrap())
            .collect::<Vec<_>>()
    }

    /// `found!(name, message, [link, ...])`: the links found in the message.
    macro_rules! found {
        ($name:ident, $text:expr, [$($link:expr),* $(,)?]) => {
            #[test]
            fn $name() {
                let expected: Vec<&str> = vec![$($link),*];
                assert_eq!(links($text), expected, "in {:?}", $text);
            }
        };
    }

    /// `none!(name, message)`: no link in the message.
    macro_rules! none {
        ($name:ident, $text:expr) => {
            found!($name, $text, []);
        };
    }

    // The issue's messages.
    found!(
        issue_jd,
        "看这个https://item.jd.com/100012043978.html很好",
        ["https://item.jd.com/100012043978.html"]
    );
    found!(
        issue_two_links,
        "《三体》当当网http://t.cn/A6xyz 亚马逊http://t.cn/B7uvw",
        ["http://t.cn/A6xyz", "http://t.cn/B7uvw"]
    );
    found!(
        issue_bare,
        "淘宝：www.taobao.com，京东：jd.com。",
        ["www.taobao.com", "jd.com"]
    );

    // Schemes.
    found!(https, "https://jd.com", ["https://jd.com"]);
    found!(upper_scheme, "HTTPS://JD.COM/X", ["HTTPS://JD.COM/X"]);
    found!(glued_word, "URLhttps://jd.com/x", ["https://jd.com/x"]);
    found!(app_link, "打开weixin://dl/scan看看", ["weixin://dl/scan"]);
    found!(
        app_link_query,
        "alipays://platformapi/startapp?appId=20000067。",
        ["alipays://platformapi/startapp?appId=20000067"]
    );
    none!(app_link_empty, "weixin:// 是什么");
    found!(mailto, "mailto:kefu@jd.com", ["mailto:kefu@jd.com"]);
    none!(javascript, "javascript:alert(1)");
    none!(scheme_without_host, "http:// 和 https://");
    found!(
        scheme_any_host,
        "http://intranet/x http://jd.corn/",
        ["http://intranet/x", "http://jd.corn/"]
    );
    found!(
        reserved_tld,
        "https://fake-jd-refund.example/r",
        ["https://fake-jd-refund.example/r"]
    );
    none!(reserved_tld_bare, "fake-jd-refund.example");
    found!(
        ipv4,
        "登录http://118.25.10.3:8080/login",
        ["http://118.25.10.3:8080/login"]
    );
    none!(ipv4_bare, "118.25.10.3");
    found!(ipv6, "http://[::1]:8080/x。", ["http://[::1]:8080/x"]);
    found!(
        userinfo,
        "https://jd.com@evil.example/",
        ["https://jd.com@evil.example/"]
    );
    found!(
        userinfo_wide_dot,
        "https://jd.com@fake-jd-refund。example./r",
        ["https://jd.com@fake-jd-refund。example./r"]
    );
    found!(
        wide_dot_host,
        "https://www.jd。com/",
        ["https://www.jd。com/"]
    );
    found!(
        wide_dot_sentence,
        "https://www.taobao.com。Thanks",
        ["https://www.taobao.com"]
    );
    found!(
        percent_host,
        "https://www%2ejd.com/",
        ["https://www%2ejd.com/"]
    );
    found!(
        trailing_dot_host,
        "https://www.jd.com./promo/1",
        ["https://www.jd.com./promo/1"]
    );
    found!(idn, "https://京东.com/x", ["https://京东.com/x"]);
    found!(idn_tld, "http://foobar.中国/", ["http://foobar.中国/"]);
    found!(idn_tld_cut, "http://foobar.中国人", ["http://foobar.中国"]);
    found!(
        no_mixed_label,
        "https://jd.com和taobao.com",
        ["https://jd.com", "taobao.com"]
    );
    found!(
        punycode,
        "https://xn--xhq9m.com/",
        ["https://xn--xhq9m.com/"]
    );

    // Without a scheme.
    found!(bare_path, "jd.com/x", ["jd.com/x"]);
    found!(bare_port, "jd.com:8080/x", ["jd.com:8080/x"]);
    found!(bare_colon_text, "官网jd.com:不错", ["jd.com"]);
    found!(
        bare_cjk_tld,
        "example.comてすとですtwitter.みんなです",
        ["example.com", "twitter.みんな"]
    );
    found!(bare_dash_after, "官网jd.com-很好", ["jd.com"]);
    found!(
        bare_dash_before,
        "官网-jd.com -taobao.com",
        ["jd.com", "taobao.com"]
    );
    none!(bare_dash_in_word, "foo-jd.com_x http://-jd.com x/-jd.com");
    found!(bare_dash_after_emoji, "👉-jd.com", ["jd.com"]);
    found!(
        digits_before_scheme,
        "编号123https://jd.com/x",
        ["https://jd.com/x"]
    );
    none!(version, "微信8.0.16版本");
    none!(decimal, "圆周率3.14，9.9元");
    none!(file_name, "打开file.html和test.tar.bz2");
    found!(email, "kefu@jd.com", ["kefu@jd.com"]);
    found!(
        email_plus,
        "name.al+lastname@foo.com",
        ["name.al+lastname@foo.com"]
    );
    none!(mention, "@jd.com");
    none!(hashtag, "#jd.com $jd.com");
    none!(unknown_suffix, "jd.corn");
    none!(underscore_domain, "twitter_underscore.com");
    found!(
        underscore_domain_scheme,
        "http://twitter_underscore.com",
        ["http://twitter_underscore.com"]
    );
    found!(
        underscore_subdomain,
        "http://a_b.jd.com",
        ["http://a_b.jd.com"]
    );
    none!(leading_dash, "http://-jd.com");

    // Where links end.
    found!(
        fullwidth_comma,
        "jd.com，taobao.com",
        ["jd.com", "taobao.com"]
    );
    found!(ideographic_space, "jd.com\u{3000}看", ["jd.com"]);
    found!(emoji, "👉https://jd.com/x👈", ["https://jd.com/x"]);
    found!(emoji_bare, "❤️jd.com❤️", ["jd.com"]);
    found!(curly_quotes, "“https://jd.com/x”", ["https://jd.com/x"]);
    found!(
        corner_brackets,
        "「https://jd.com/x」",
        ["https://jd.com/x"]
    );
    found!(
        wikipedia,
        "见https://en.wikipedia.org/wiki/Rust_(programming_language)。",
        ["https://en.wikipedia.org/wiki/Rust_(programming_language)"]
    );
    found!(
        parenthesized,
        "(see https://jd.com/x)",
        ["https://jd.com/x"]
    );
    found!(
        trailing_punctuation,
        "go to https://jd.com/x?!...",
        ["https://jd.com/x"]
    );
    found!(trailing_tilde, "快来jd.com~~", ["jd.com"]);
    // Found by proptest: the dot before an empty query is the sentence's.
    found!(
        host_dot_then_empty_query,
        "https://8080.com.? 好",
        ["https://8080.com"]
    );
    found!(host_dot_then_empty_port, "见jd.com.:", ["jd.com"]);
    found!(
        percent_path,
        "https://s.taobao.com/search?q=%E6%89%8B%E6%9C%BA",
        ["https://s.taobao.com/search?q=%E6%89%8B%E6%9C%BA"]
    );
    found!(
        en_dash,
        "https://en.wikipedia.org/wiki/Hatfield–McCoy_feud ok",
        ["https://en.wikipedia.org/wiki/Hatfield–McCoy_feud"]
    );
    found!(
        zero_width_space,
        "\u{200B}https://jd.com/x\u{200B}",
        ["https://jd.com/x"]
    );

    // Never panics, never loops.
    none!(empty, "");
    none!(only_dots, "........");
    none!(only_scheme, "https://");
    found!(lone_bracket, "https://[", []);
    none!(long_host, &"a.".repeat(5000));
    found!(
        long_wide_dots,
        &format!("http://{}", "a。".repeat(5000)),
        ["http://a"]
    );

    #[test]
    fn spans_are_byte_offsets_in_order() {
        let psl = PublicSuffixList::builtin();
        let text = "看看这个 https://item.jd.com/1.html 和 www.taobao.com";
        let spans: Vec<Range<usize>> = Links::new(text, &psl).collect();
        assert_eq!(spans, [13..39, 44..58]);
    }

    #[test]
    fn every_char_boundary_is_safe() {
        let text = "《三体》http://t.cn/A6xyz（京东：jd.com。）👍🏻 a@b.com 8.0.16 [x](https://例子.中国/路径)";
        for (i, _) in text.char_indices() {
            let _ = links(text.get(i..).unwrap());
            let _ = links(text.get(..i).unwrap());
        }
    }
}
