//! Finding the links in a chat message: [`Policy::scan`](crate::Policy::scan).
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
use crate::engine::compiled::Engine;
use crate::engine::decide;
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

/// A link found in a message by [`Policy::scan`](crate::Policy::scan): where it is (in bytes of the
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
    /// [`Policy::classify`](crate::Policy::classify) of [`text`](FoundLink::text) in the message's context
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

/// [`Policy::scan_into`](crate::Policy::scan_into) on the compiled policy.
pub(crate) fn scan_into(engine: Engine<'_>, text: &str, ctx: &Context, found: &mut Vec<FoundLink>) {
    found.clear();
    // UTF-16 offsets, counted on from the end of the link before.
    let (mut at, mut at16) = (0, 0);
    for Found { range, kind } in Finds::new(text, &engine.inner.psl) {
        let Some(link) = text.get(range.clone()) else {
            continue;
        };
        let start16 = at16 + utf16_len(text.get(at..range.start).unwrap_or_default());
        let end16 = start16 + utf16_len(link);
        (at, at16) = (range.end, end16);
        let verdict = if kind == LinkKind::Email && !has_scheme(link) {
            decide::classify(engine, &format!("mailto:{link}"), ctx)
        } else {
            decide::classify(engine, link, ctx)
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
