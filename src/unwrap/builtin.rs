//! Built-in knowledge a policy opts into: common query-parameter redirectors
//! (`[wrappers] builtin = true`) and common tracking parameters
//! (`[tracking] builtin = true`).
//!
//! Both lists are written for this crate. They were chosen by reading, never
//! copying, the public lists in the project's shared test data:
//! - redirectors: the `redirections` rules of ClearURLs (LGPL-3.0, read only),
//!   and the outbound-link pages of sites whose URL pattern is public knowledge
//!   (each entry says which);
//! - tracking parameters: DuckDuckGo's `trackingParameters` feature
//!   (privacy-configuration, Apache-2.0, vendored in
//!   `tests/data/unwrap/ddg_tracking_parameters.json` and checked against this
//!   list), Brave's query filter (brave-core `components/query_filter`, MPL-2.0),
//!   AdGuard's URL Tracking Protection general rules (GPL-3.0, read only),
//!   ClearURLs' provider rules and DandelionSprout's Legitimate URL Shortener
//!   (read only). A parameter is listed when several of them strip it on every
//!   site, or, for the Chinese platforms this crate is made for (Alibaba's
//!   `spm`/`scm`, Bilibili's share parameters), when ClearURLs strips it on the
//!   platform and the name is not one a page would use for its content.
//!
//! DuckDuckGo's url-parameters reference tests run against [`TRACKING`]
//! (`tests/data/unwrap/ddg_url_parameters_tests.json`); the cases they hold that
//! depend on DuckDuckGo's site exceptions, or on parameters this list removes on
//! purpose, are listed with their reasons in
//! `tests/data/unwrap/url_parameters_out_of_scope.txt`.

/// A query-parameter redirector: registrable-or-host domain (covers
/// subdomains), an optional path prefix the URL's path must start with (None =
/// any path), and the parameters that hold the destination, tried in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BuiltinRedirector {
    /// A domain in normalized form (lowercase ASCII, no trailing dot); it covers
    /// its subdomains.
    pub(crate) domain: &'static str,
    /// A prefix of the URL's path (as serialized, `%`-escapes and all), or None
    /// for any path.
    pub(crate) path: Option<&'static str>,
    /// The parameters that may hold the destination, tried in order; the first
    /// whose value is an absolute http(s) URL is the next hop.
    pub(crate) params: &'static [&'static str],
}

/// Shorthand for the table below.
const fn r(
    domain: &'static str,
    path: Option<&'static str>,
    params: &'static [&'static str],
) -> BuiltinRedirector {
    BuiltinRedirector {
        domain,
        path,
        params,
    }
}

/// Google's result and mail/docs link redirector: `/url?q=<url>` (Docs, Gmail)
/// or `/url?...&q=&url=<url>` (search results). ClearURLs `google` provider.
const GOOGLE_URL: Option<&str> = Some("/url");
const GOOGLE_PARAMS: &[&str] = &["q", "url"];

/// The built-in redirectors. Only pages whose parameter carries the plain
/// (percent-encoded) destination are listed: Bing's `/ck/a` (base64 in `u`),
/// Baidu's and Sogou's `/link?url=` (encrypted tokens), Proofpoint URL Defense
/// (its own encoding) and the like cannot be read and are left out. A path
/// prefix is given wherever the host serves other pages, so that a Google
/// *search* for `https://x.example` is not taken for a redirect to it.
pub(crate) const REDIRECTORS: &[BuiltinRedirector] = &[
    // --- Search engines -------------------------------------------------------
    // Google, on the domains with most of its users (a domain covers `www.`).
    // `https://www.google.com/url?q=https://example.com/&sa=D` (ClearURLs `google`).
    r("google.com", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.com.hk", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.com.tw", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.com.sg", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.co.jp", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.co.kr", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.co.in", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.co.uk", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.com.au", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.com.br", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.ca", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.de", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.fr", GOOGLE_URL, GOOGLE_PARAMS),
    r("google.ru", GOOGLE_URL, GOOGLE_PARAMS),
    // Google Ads click: `https://www.googleadservices.com/pagead/aclk?sa=L&ai=...&adurl=<url>`
    // (ClearURLs `googleadservices`).
    r("googleadservices.com", Some("/pagead/aclk"), &["adurl"]),
    // `https://duckduckgo.com/l/?uddg=<url>&rut=...` (ClearURLs `duckduckgo`).
    r("duckduckgo.com", Some("/l/"), &["uddg"]),
    // `https://www.youtube.com/redirect?event=...&q=<url>` (ClearURLs `youtube`).
    r("youtube.com", Some("/redirect"), &["q"]),
    // --- Social networks and messengers ----------------------------------------
    // `https://l.facebook.com/l.php?u=<url>&h=...`, and `lm.` on mobile
    // (ClearURLs `facebook`: `l[a-z]?.facebook.com/l.php?...u=`).
    r("l.facebook.com", Some("/l.php"), &["u"]),
    r("lm.facebook.com", Some("/l.php"), &["u"]),
    // Facebook's "you are leaving Facebook" page: `https://www.facebook.com/flx/warn/?u=<url>`
    // (public knowledge).
    r("facebook.com", Some("/flx/warn/"), &["u"]),
    // `https://l.messenger.com/l.php?u=<url>` (ClearURLs `messenger.com`).
    r("l.messenger.com", Some("/l.php"), &["u"]),
    // `https://l.instagram.com/?u=<url>&e=...` (ClearURLs `instagram`); the host
    // does nothing else.
    r("l.instagram.com", None, &["u"]),
    // `https://vk.com/away.php?to=<url>` (ClearURLs `vk.com`), also `m.vk.com`.
    r("vk.com", Some("/away.php"), &["to"]),
    // `https://www.linkedin.com/redir/redirect?url=<url>&urlhash=...`, and its
    // warning pages `/redir/general-malware-page?url=<url>`, `/redir/phishing-page?url=`
    // (public knowledge).
    r("linkedin.com", Some("/redir/"), &["url"]),
    // `https://steamcommunity.com/linkfilter/?url=<url>` (ClearURLs `steamcommunity`),
    // `?u=<url>` in its newer form.
    r("steamcommunity.com", Some("/linkfilter/"), &["url", "u"]),
    // `https://out.reddit.com/t3_abc?url=<url>&token=...` and the e-mail links
    // `https://click.redditmail.com/...?url=<url>` (ClearURLs `reddit`).
    r("out.reddit.com", None, &["url"]),
    r("click.redditmail.com", None, &["url"]),
    // `https://t.umblr.com/redirect?z=<url>&t=...` (ClearURLs `t.umblr.com`).
    r("t.umblr.com", Some("/redirect"), &["z"]),
    // `https://medium.com/r/?url=<url>` (public knowledge).
    r("medium.com", Some("/r/"), &["url"]),
    // --- Mail and workplace ------------------------------------------------------
    // Microsoft Defender for Office 365 Safe Links:
    // `https://nam02.safelinks.protection.outlook.com/?url=<url>&data=...` (public knowledge).
    r("safelinks.protection.outlook.com", None, &["url"]),
    // `https://slack-redir.net/link?url=<url>` (public knowledge).
    r("slack-redir.net", Some("/link"), &["url"]),
    // QQ Mail's outbound page:
    // `https://mail.qq.com/cgi-bin/readtemplate?t=safety&check=false&gourl=<url>` (public knowledge).
    r("mail.qq.com", Some("/cgi-bin/readtemplate"), &["gourl"]),
    // --- Chinese portals' jump pages (public knowledge) --------------------------
    // `https://link.zhihu.com/?target=<url>`
    r("link.zhihu.com", None, &["target"]),
    // `https://link.csdn.net/?target=<url>`
    r("link.csdn.net", None, &["target"]),
    // `https://link.juejin.cn/?target=<url>`
    r("link.juejin.cn", None, &["target"]),
    // `https://links.jianshu.com/go?to=<url>`, and `https://www.jianshu.com/go-wild?ac=2&url=<url>`
    r("links.jianshu.com", Some("/go"), &["to"]),
    r("jianshu.com", Some("/go-wild"), &["url"]),
    // `https://www.douban.com/link2/?url=<url>`
    r("douban.com", Some("/link2/"), &["url"]),
    // `https://weibo.cn/sinaurl?u=<url>`
    r("weibo.cn", Some("/sinaurl"), &["u"]),
    // QQ's security interstitial: `https://c.pc.qq.com/middlem.html?pfurl=<url>`; its
    // other pages on the host (`/middleb.html`, `/ios.html?url=`) too, so no path.
    r("c.pc.qq.com", None, &["pfurl", "url"]),
    // WeChat's "continue to this page?" confirmation:
    // `https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi?...&url=<url>`
    r(
        "weixin110.qq.com",
        Some("/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi"),
        &["url"],
    ),
    // Baidu Tieba: `http://jump.bdimg.com/safecheck/index?url=<url>` (older links;
    // newer ones carry an encrypted token, which is no URL and gives no next hop),
    // and the mobile `https://tieba.baidu.com/mo/q/checkurl?url=<url>`.
    r("jump.bdimg.com", Some("/safecheck/"), &["url"]),
    r("tieba.baidu.com", Some("/mo/q/checkurl"), &["url"]),
    // `https://gitee.com/link?target=<url>`
    r("gitee.com", Some("/link"), &["target"]),
    // `https://www.oschina.net/action/GoToLink?url=<url>`
    r("oschina.net", Some("/action/GoToLink"), &["url"]),
    // `https://sspai.com/link?target=<url>`
    r("sspai.com", Some("/link"), &["target"]),
    // `https://www.yuque.com/r/goto?url=<url>`
    r("yuque.com", Some("/r/goto"), &["url"]),
    // `https://link.segmentfault.com/?enc=...&url=<url>`
    r("link.segmentfault.com", None, &["url"]),
    // `https://xie.infoq.cn/link?target=<url>`
    r("infoq.cn", Some("/link"), &["target"]),
    // --- Affiliate networks (ClearURLs redirections) -------------------------------
    // `https://go.skimresources.com/?id=...&url=<url>` (ClearURLs `skimresources.com`).
    r("go.skimresources.com", None, &["url"]),
    // `https://redirect.viglink.com/?key=...&u=<url>` (ClearURLs `viglink.com`).
    r("redirect.viglink.com", None, &["u"]),
    // `https://click.linksynergy.com/deeplink?id=...&murl=<url>` (ClearURLs `linksynergy.com`).
    r("linksynergy.com", None, &["murl"]),
    // `https://www.awin1.com/cread.php?awinmid=...&ued=<url>` (ClearURLs `awin1.com`).
    r("awin1.com", None, &["ued"]),
];

/// Tracking parameters: exact names, or prefixes ending in `*`.
///
/// Names are case-sensitive (`FBCLID` is not `fbclid`), as every list above
/// treats them. Left out on purpose, although some lists strip them:
/// - `ref`, `from`, `source`, `src`: common words pages use for content — GitHub's
///   `?ref=<branch>` picks the branch shown, `from=`/`to=` are dates or stations
///   on booking pages; DandelionSprout strips them only on named sites;
/// - `id`, `cid`, `pvid`, `p`, `t`: they identify what the page shows
///   (`item.taobao.com/item.htm?id=…`, Bilibili's `cid` is the video part, `pvid`
///   is a product variant on some shops, `t` a video's start time);
/// - `mkt_tok`: Marketo's token, which its unsubscribe and e-mail preference
///   pages need (Brave keeps it there; a list without conditions cannot);
/// - `si`, `feature`, `igsh`, `ref_src`, `ref_url`: short or generic names
///   Brave strips only on YouTube, Instagram or Twitter/X;
/// - `fb_comment_id`: it selects the comment a Facebook page shows;
/// - `trk`, `scene`, `share_from`: generic, or read by the page (WeChat
///   articles' `scene`).
pub(crate) const TRACKING: &[&str] = &[
    // Urchin / Google Analytics campaign tagging: utm_source, utm_medium,
    // utm_campaign, utm_term, utm_content, utm_id, utm_name, ... (all lists).
    "utm_*",
    // Matomo campaign tagging: mtm_campaign, mtm_kwd, mtm_source, ... (AdGuard,
    // DandelionSprout), and its older Piwik names.
    "mtm_*",
    "pk_campaign",
    "pk_cid",
    "pk_content",
    "pk_keyword",
    "pk_kwd",
    "pk_medium",
    "pk_source",
    "pk_vid",
    // Google: Ads click ids, cross-domain linker, search logging, Merchant Center.
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "gad_source",
    "_ga",
    "_gl",
    "gs_l",
    "srsltid",
    // Google Analytics campaign fields under `ga_` (DuckDuckGo).
    "ga_source",
    "ga_medium",
    "ga_term",
    "ga_content",
    "ga_campaign",
    "ga_place",
    // Meta: click id, share and action tracking (DuckDuckGo, Brave), Instagram share id.
    "fbclid",
    "fb_action_ids",
    "fb_action_types",
    "fb_source",
    "fb_ref",
    "action_object_map",
    "action_type_map",
    "action_ref_map",
    "igshid",
    // Microsoft Advertising, Yandex, Twitter/X and TikTok click ids.
    "msclkid",
    "yclid",
    "ymclid",
    "ysclid",
    "_openstat",
    "twclid",
    "ttclid",
    // E-mail marketing: Mailchimp, HubSpot, Oracle Eloqua, Blueshift,
    // MailerLite, Omeda, Vero (all in Brave's or DuckDuckGo's list and in
    // AdGuard's or ClearURLs'), then the other e-mail and click ids of Brave's
    // always-stripped list.
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hsfp",
    "__hssc",
    "__hstc",
    "hsCtaTracking",
    "elqTrackId",
    "elqTrack",
    "bsft_clkid",
    "bsft_uid",
    "ml_subscriber",
    "ml_subscriber_hash",
    "oly_anon_id",
    "oly_enc_id",
    "vero_conv",
    "vero_id",
    "__s",
    "_kx",
    "_bhlid",
    "bbeml",
    "sc_customer",
    "sc_eh",
    "sc_uid",
    "ss_email_id",
    "et_rid",
    "vgo_ee",
    "oft_c",
    "oft_ck",
    "oft_d",
    "oft_id",
    "oft_ids",
    "oft_k",
    "oft_lk",
    "oft_sk",
    // Analytics and attribution: Adobe Analytics, AT Internet, Webtrends, Branch,
    // Yahoo's consent redirect, impact.com, and click ids of Brave's list; the
    // `hmb_` campaign fields of DuckDuckGo's list.
    "s_cid",
    "at_recipient_id",
    "at_recipient_list",
    "wt_mc",
    "_branch_match_id",
    "_branch_referrer",
    "guce_referrer",
    "guce_referrer_sig",
    "irclickid",
    "rb_clickid",
    "unicorn_click_id",
    "wickedid",
    "hmb_campaign",
    "hmb_source",
    "hmb_medium",
    // Alibaba (Taobao, Tmall, AliExpress, Alipay, Youku): the "super position
    // model" click position and its content twin, and affiliate tracking ids
    // (ClearURLs `aliexpress`/`taobao`-family providers).
    "spm",
    "scm",
    "ali_trackid",
    "ali_refid",
    // Bilibili: where a link was shared from, by whom and when (ClearURLs
    // `bilibili.com` provider).
    "spm_id_from",
    "vd_source",
    "share_source",
    "share_medium",
    "share_plat",
    "share_session_id",
    "share_tag",
    "unique_k",
];

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::{BTreeMap, BTreeSet};

    use url::Url;

    use crate::unwrap::tracking::Tracking;

    const DDG_TESTS: &str = include_str!("../../tests/data/unwrap/ddg_url_parameters_tests.json");
    const DDG_CONFIG: &str = include_str!("../../tests/data/unwrap/ddg_tracking_parameters.json");
    const OUT_OF_SCOPE: &str =
        include_str!("../../tests/data/unwrap/url_parameters_out_of_scope.txt");

    fn tracking(params: &[&str]) -> Tracking {
        Tracking::new(&params.iter().map(|&p| p.to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn clean(url: &str) -> String {
        tracking(TRACKING).clean(&Url::parse(url).unwrap())
    }

    #[test]
    fn tracking_list_compiles_without_duplicates() {
        tracking(TRACKING);
        let mut seen = BTreeSet::new();
        for p in TRACKING {
            assert!(seen.insert(*p), "{p} twice");
        }
        // No exact name is already covered by a prefix.
        let prefixes: Vec<&str> = TRACKING
            .iter()
            .filter_map(|p| p.strip_suffix('*'))
            .collect();
        for p in TRACKING.iter().filter(|p| !p.ends_with('*')) {
            assert!(
                !prefixes.iter().any(|pre| p.starts_with(pre)),
                "{p} is covered by a prefix"
            );
        }
    }

    fn out_of_scope() -> BTreeMap<&'static str, &'static str> {
        OUT_OF_SCOPE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (name, reason) = l.split_once('\t').unwrap();
                assert!(!reason.trim().is_empty(), "no reason for {name}");
                (name, reason)
            })
            .collect()
    }

    #[test]
    fn ddg_url_parameters_cases() {
        let listed = out_of_scope();
        let suites: serde_json::Value = serde_json::from_str(DDG_TESTS).unwrap();
        let mut seen = Vec::new();
        let mut passed = 0;
        let mut problems = Vec::new();
        for suite in suites.as_object().unwrap().values() {
            for case in suite["tests"].as_array().unwrap() {
                let name = case["name"].as_str().unwrap();
                let input = case["testURL"].as_str().unwrap();
                let expected = case["expectURL"].as_str().unwrap();
                seen.push(name);
                let got = clean(input);
                let ok = Url::parse(&got).unwrap() == Url::parse(expected).unwrap();
                match (listed.contains_key(name), ok) {
                    (false, true) => passed += 1,
                    (false, false) => problems.push(format!(
                        "{name}: got {got}, expected {expected}, and not listed"
                    )),
                    (true, true) => problems.push(format!("{name}: passes but is listed")),
                    (true, false) => {}
                }
            }
        }
        for name in listed.keys() {
            if !seen.contains(name) {
                problems.push(format!("{name}: listed but not a case"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert_eq!((seen.len(), passed, listed.len()), (20, 15, 5));
    }

    /// The one case that differs by our choice differs only by the parameters
    /// we remove on purpose.
    #[test]
    fn ddg_percent_encoding_case_differs_only_by_choice() {
        let suites: serde_json::Value = serde_json::from_str(DDG_TESTS).unwrap();
        let case = suites["trackingParameters"]["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Ensure URLs aren't malformed by percent encoding")
            .unwrap();
        let expected = Url::parse(case["expectURL"].as_str().unwrap()).unwrap();
        assert_eq!(
            clean(case["testURL"].as_str().unwrap()),
            tracking(&["utm_id", "msclkid"]).clean(&expected)
        );
    }

    #[test]
    fn ddg_config_parameters_are_listed() {
        // Left out on purpose; see TRACKING's docs.
        const OMITTED: &[&str] = &["mkt_tok"];
        let config: serde_json::Value = serde_json::from_str(DDG_CONFIG).unwrap();
        let t = tracking(TRACKING);
        let mut count = 0;
        for p in config["settings"]["parameters"].as_array().unwrap() {
            let p = p.as_str().unwrap();
            count += 1;
            let url = Url::parse(&format!("https://a.example/?{p}=1")).unwrap();
            let stripped = t.clean(&url) == "https://a.example/";
            assert_eq!(stripped, !OMITTED.contains(&p), "{p}");
        }
        assert_eq!(count, 25);
    }

    #[test]
    fn risky_parameters_are_kept() {
        for p in [
            "ref",
            "from",
            "to",
            "source",
            "src",
            "id",
            "cid",
            "pvid",
            "p",
            "t",
            "q",
            "page",
            "mkt_tok",
            "si",
            "feature",
            "igsh",
            "ref_src",
            "ref_url",
            "fb_comment_id",
            "trk",
            "scene",
            "share_from",
            "utm",
            "FBCLID",
            "fbclid1",
            "spm2",
        ] {
            let url = format!("https://a.example/?{p}=1");
            assert_eq!(clean(&url), url, "{p}");
        }
    }

    #[test]
    fn chinese_platform_links() {
        assert_eq!(
            clean(
                "https://item.taobao.com/item.htm?spm=a230r.1.14.1.55a8&id=123&ali_trackid=2:mm_1&scm=1007.1"
            ),
            "https://item.taobao.com/item.htm?id=123"
        );
        assert_eq!(
            clean(
                "https://www.bilibili.com/video/BV1xx?p=2&share_source=copy_web&vd_source=abc&spm_id_from=333.1&t=30"
            ),
            "https://www.bilibili.com/video/BV1xx?p=2&t=30"
        );
        assert_eq!(
            clean("https://zhuanlan.zhihu.com/p/1?utm_psn=1&utm_source=wechat_session"),
            "https://zhuanlan.zhihu.com/p/1"
        );
    }

    // --- Redirectors ---------------------------------------------------------

    #[test]
    fn redirector_entries_are_well_formed() {
        let mut seen = BTreeSet::new();
        for e in REDIRECTORS {
            assert_eq!(
                crate::link::domain::normalize_domain(e.domain).as_deref(),
                Ok(e.domain),
                "{e:?}"
            );
            assert!(e.path.is_none_or(|p| p.starts_with('/')), "{e:?}");
            assert!(
                !e.params.is_empty() && e.params.iter().all(|p| !p.is_empty()),
                "{e:?}"
            );
            assert!(seen.insert((e.domain, e.path)), "{e:?} twice");
        }
    }

    /// The next hop the built-in redirectors give, with the semantics of
    /// `[[redirector]]`: entries covering the host (longest domain first), the
    /// path prefix, the parameters in order, the first value that is an absolute
    /// http(s) URL.
    fn hop(link: &str) -> Option<String> {
        let url = Url::parse(link).unwrap();
        let host = url.host_str()?;
        let mut entries: Vec<&BuiltinRedirector> = REDIRECTORS
            .iter()
            .filter(|e| crate::link::domain::is_under(host, e.domain))
            .collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.domain.len()));
        for e in entries {
            if e.path.is_some_and(|p| !url.path().starts_with(p)) {
                continue;
            }
            for param in e.params {
                let found = url.query_pairs().find_map(|(k, v)| {
                    let web = Url::parse(v.trim())
                        .is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
                        && (v.trim().starts_with("http://") || v.trim().starts_with("https://"));
                    (k == *param && web).then(|| v.trim().to_owned())
                });
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }

    /// One real-world shaped link per entry, and where it leads.
    const SAMPLES: &[(&str, &str)] = &[
        (
            "https://www.google.com/url?q=https://evil.example/a&sa=D&source=editors",
            "https://evil.example/a",
        ),
        (
            "https://www.google.com/url?sa=t&rct=j&q=&esrc=s&url=https%3A%2F%2Fevil.example%2F&usg=x",
            "https://evil.example/",
        ),
        (
            "https://www.google.com.hk/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.com.tw/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.com.sg/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.co.jp/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.co.kr/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.co.in/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.co.uk/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.com.au/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.com.br/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.ca/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.de/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.fr/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.google.ru/url?q=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://www.googleadservices.com/pagead/aclk?sa=L&ai=x&adurl=https://shop.example/p",
            "https://shop.example/p",
        ),
        (
            "https://duckduckgo.com/l/?uddg=https%3A%2F%2Fevil.example%2Fx&rut=abc",
            "https://evil.example/x",
        ),
        (
            "https://www.youtube.com/redirect?event=video_description&redir_token=x&q=https%3A%2F%2Fevil.example%2F&v=y",
            "https://evil.example/",
        ),
        (
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example%2F&h=AT0",
            "https://evil.example/",
        ),
        (
            "https://lm.facebook.com/l.php?u=https%3A%2F%2Fevil.example%2F&h=AT0",
            "https://evil.example/",
        ),
        (
            "https://www.facebook.com/flx/warn/?u=https%3A%2F%2Fevil.example%2F&h=AT0",
            "https://evil.example/",
        ),
        (
            "https://l.messenger.com/l.php?u=https%3A%2F%2Fevil.example%2F&h=AT0",
            "https://evil.example/",
        ),
        (
            "https://l.instagram.com/?u=https%3A%2F%2Fevil.example%2F&e=AT0",
            "https://evil.example/",
        ),
        (
            "https://vk.com/away.php?to=https%3A%2F%2Fevil.example%2F&cc_key=",
            "https://evil.example/",
        ),
        (
            "https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fevil.example%2F&urlhash=x",
            "https://evil.example/",
        ),
        (
            "https://steamcommunity.com/linkfilter/?url=https://evil.example/",
            "https://evil.example/",
        ),
        (
            "https://steamcommunity.com/linkfilter/?u=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://out.reddit.com/t3_abc?url=https%3A%2F%2Fevil.example%2F&token=x",
            "https://evil.example/",
        ),
        (
            "https://click.redditmail.com/CL0/https:%2F%2Fwww.reddit.com?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://t.umblr.com/redirect?z=https%3A%2F%2Fevil.example%2F&t=x",
            "https://evil.example/",
        ),
        (
            "https://medium.com/r/?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fevil.example%2F&data=05%7C01",
            "https://evil.example/",
        ),
        (
            "https://slack-redir.net/link?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://mail.qq.com/cgi-bin/readtemplate?t=safety&check=false&gourl=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://link.zhihu.com/?target=https%3A//evil.example/",
            "https://evil.example/",
        ),
        (
            "https://link.csdn.net/?target=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://link.juejin.cn/?target=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://links.jianshu.com/go?to=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://www.jianshu.com/go-wild?ac=2&url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://www.douban.com/link2/?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://weibo.cn/sinaurl?u=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://c.pc.qq.com/middlem.html?pfurl=https%3A%2F%2Fevil.example%2F&pfuin=1",
            "https://evil.example/",
        ),
        (
            "https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi?main_type=2&evil_type=3&source=2&url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "http://jump.bdimg.com/safecheck/index?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://tieba.baidu.com/mo/q/checkurl?url=https%3A%2F%2Fevil.example%2F&urlrefer=x",
            "https://evil.example/",
        ),
        (
            "https://gitee.com/link?target=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://www.oschina.net/action/GoToLink?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://sspai.com/link?target=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://www.yuque.com/r/goto?url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://link.segmentfault.com/?enc=abc&url=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://xie.infoq.cn/link?target=https%3A%2F%2Fevil.example%2F",
            "https://evil.example/",
        ),
        (
            "https://go.skimresources.com/?id=1X2&url=https%3A%2F%2Fshop.example%2F",
            "https://shop.example/",
        ),
        (
            "https://redirect.viglink.com/?key=x&u=https%3A%2F%2Fshop.example%2F",
            "https://shop.example/",
        ),
        (
            "https://click.linksynergy.com/deeplink?id=x&mid=1&murl=https%3A%2F%2Fshop.example%2F",
            "https://shop.example/",
        ),
        (
            "https://www.awin1.com/cread.php?awinmid=1&awinaffid=2&ued=https%3A%2F%2Fshop.example%2F",
            "https://shop.example/",
        ),
    ];

    #[test]
    fn samples_lead_where_expected() {
        for (link, to) in SAMPLES {
            assert_eq!(hop(link).as_deref(), Some(*to), "{link}");
        }
    }

    #[test]
    fn every_redirector_has_a_sample() {
        for e in REDIRECTORS {
            let covered = SAMPLES.iter().any(|(link, _)| {
                let url = Url::parse(link).unwrap();
                url.host_str()
                    .is_some_and(|h| crate::link::domain::is_under(h, e.domain))
                    && e.path.is_none_or(|p| url.path().starts_with(p))
            });
            assert!(covered, "no sample for {e:?}");
        }
    }

    #[test]
    fn lookalike_pages_are_not_redirects() {
        for link in [
            // A search for a URL is not a redirect to it.
            "https://www.google.com/search?q=https://evil.example/",
            "https://www.google.com.hk/search?q=https%3A%2F%2Fevil.example%2F",
            "https://duckduckgo.com/?q=https://evil.example/",
            "https://www.youtube.com/results?search_query=x&q=https://evil.example/",
            "https://www.facebook.com/sharer/sharer.php?u=https://evil.example/",
            "https://www.linkedin.com/sharing/share-offsite/?url=https://evil.example/",
            "https://www.douban.com/search?q=https://evil.example/",
            "https://vk.com/share.php?url=https://evil.example/",
            "https://weibo.com/sinaurl?u=https://evil.example/",
            "https://gitee.com/explore?target=https://evil.example/",
            // Not an absolute http(s) URL, or an encrypted token.
            "https://link.zhihu.com/?target=evil.example",
            "https://link.zhihu.com/?target=javascript:alert(1)",
            "https://jump.bdimg.com/safecheck/index?url=rN3wPs8te/pL4AOY0zAwh4jfC",
            "https://c.pc.qq.com/middlem.html?pfurl=%2F%2Fevil.example",
        ] {
            assert_eq!(hop(link), None, "{link}");
        }
    }
}
