//! The face of finding links in messages: [`Policy::scan`] and
//! [`Policy::scan_into`], delegating to `scan/`.

use super::Policy;
use crate::context::Context;
use crate::scan::FoundLink;

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
        crate::scan::scan_into(self.engine(), text, ctx, found);
    }
}
