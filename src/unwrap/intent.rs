//! Android `intent:` links, read as Android's `Intent.parseUri` reads them
//! (AOSP `frameworks/base/core/java/android/content/Intent.java`, the "new
//! format" `#Intent;...;end`), for the web pages they lead to (contract 5).
//!
//! Chrome for Android hands an `intent:` link it is asked to open to
//! `Intent.parseUri(url, Intent.URI_INTENT_SCHEME)`; when no app takes the
//! intent it opens the `S.browser_fallback_url` extra, when that is an http(s)
//! URL (`ExternalNavigationHandler`). An intent whose data URI is an http(s)
//! URL opens that page in whatever app handles it. Both are next hops.
//!
//! Each rule below follows one step of `parseUri`:
//!
//! - The fragment is found with `uri.lastIndexOf("#")` and must start with
//!   `#Intent;` (case-sensitive); otherwise the link is the "simple case" or the
//!   old format, whose data is the `intent:` URI itself: no web hop.
//! - Pieces are read from after `#Intent;` while the rest does not start with
//!   `end` (`!uri.startsWith("end", i)`): parsing stops at the first piece that
//!   *starts* with `end` (`endx`, `end_of_story=1`), not only at `end` itself.
//! - A piece's value is what lies between its first `=` and the next `;`
//!   (`uri.indexOf('=', i)`, `uri.indexOf(';', i)`), percent-decoded as UTF-8
//!   (`Uri.decode`: `+` stays a plus); a `=` after the `;` gives the value "".
//! - `action=`, `category=`, `type=`, `launchFlags=`, `package=`, `component=`,
//!   `scheme=`, `sourceBounds=` are matched on the piece as written. `scheme=`
//!   sets the data URI's scheme (the last one wins; after `SEL;` it is the
//!   selector's, which has no web data).
//! - Any other piece is an extra: its type is the piece's first two characters
//!   as written (`S.` a string, also `B.` `b.` `c.` `d.` `f.` `i.` `l.` `s.`;
//!   any other makes `parseUri` throw, and nothing opens), its key the text
//!   between them and the `=`, percent-decoded (`Uri.decode`), so
//!   `S.browser%5Ffallback%5Furl` is the fallback extra. Of several values for
//!   one key Android keeps the last; every one of them is a hop here, the last
//!   first (a value Android drops can only make the verdict stricter).
//! - A piece without a `;` after it, or without a `=` where an extra needs one,
//!   makes `parseUri` throw (an index out of bounds, or the parse restarting at
//!   the link's start and meeting an unknown extra type): no hop. So does a
//!   link whose pieces never reach one starting with `end`.
//! - The data URI is the text before the `#`: with `intent:` removed and, when a
//!   `scheme` was given, `scheme:` put before it (`intent://host/path` with
//!   `scheme=https` is `https://host/path`; `intent:https://host/` without one is
//!   `https://host/`). It is a hop when it is an absolute http(s) URL.
//! - `android-app:` links (`Intent.URI_ANDROID_APP_SCHEME`) are read too:
//!   `android-app://<package>/<scheme>/<host>/<path>` has the data URI
//!   `<scheme>://<host>/<path>`, and a `#Intent;...;end` fragment as above
//!   (without one the whole link is the data). The crate reads them whether or
//!   not the app that opens them passes that flag: a hop read too many can only
//!   make a verdict stricter.

use std::borrow::Cow;

use super::is_absolute_web_url;

/// The web pages an `intent:` link leads to, destination first: its data URI
/// when that is an http(s) URL, then its `S.browser_fallback_url` values that
/// are (the one Android keeps, the last, first). `uri` is the normalized link.
pub(crate) fn intent_hops(uri: &str, out: &mut Vec<String>) {
    let Some(intent) = parse_uri(uri) else {
        return;
    };
    if let Some(data) = intent.web_data() {
        out.push(data);
    }
    for value in intent.fallbacks.iter().rev() {
        let v = value.trim_matches(crate::link::is_edge_noise);
        if is_absolute_web_url(v) && !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
}

/// What the reading keeps of an intent.
#[derive(Debug, Default)]
struct Intent<'a> {
    /// The text before the `#`, `intent:` and all.
    data: &'a str,
    /// The last `scheme=` of the main intent.
    scheme: Option<String>,
    /// Every `S.browser_fallback_url` value, in order.
    fallbacks: Vec<String>,
}

impl Intent<'_> {
    /// The data URI, when it is an absolute http(s) URL.
    fn web_data(&self) -> Option<String> {
        let data: Cow<'_, str> = if let Some(rest) = strip_scheme(self.data, "intent:") {
            match &self.scheme {
                Some(s) => format!("{s}:{rest}").into(),
                None => rest.into(),
            }
        } else {
            android_app_data(self.data, self.scheme.as_deref())?.into()
        };
        let data = data.trim_matches(crate::link::is_edge_noise);
        is_absolute_web_url(data).then(|| data.to_owned())
    }
}

/// `text` after `scheme` (ASCII case-insensitive), when it starts with it.
fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    let head = text.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| text.get(scheme.len()..))
        .flatten()
}

/// The data URI of an `android-app:` link, as `Intent.parseUri` builds it:
/// `android-app://<package>/<scheme>/<authority>/<rest>` is
/// `<scheme>://<authority>/<rest>` (`android-app://com.android.chrome/https/evil.example/`
/// opens `https://evil.example/` in Chrome). Without an authority followed by
/// `/` it is `<scheme>:`, without a scheme the package alone: no web page.
fn android_app_data(data: &str, piece_scheme: Option<&str>) -> Option<String> {
    let rest = strip_scheme(data, "android-app://")?;
    let (_package, after) = rest.split_once('/')?;
    // A `scheme=` piece is overwritten by the path's scheme when it has one.
    let (scheme, after) = match after.split_once('/') {
        Some((scheme, after)) => (scheme, Some(after)),
        None if after.is_empty() => (piece_scheme?, None),
        None => (after, None),
    };
    match after.and_then(|a| a.split_once('/')) {
        Some((authority, path)) => Some(format!("{scheme}://{authority}/{path}")),
        None => Some(format!("{scheme}:")),
    }
}

/// The extra types `Intent.parseUri` knows, as their two-character prefixes.
const EXTRA_TYPES: [&str; 9] = ["S.", "B.", "b.", "c.", "d.", "f.", "i.", "l.", "s."];

/// The keys `Intent.parseUri` reads before it takes a piece for an extra.
const KNOWN_KEYS: [&str; 8] = [
    "action=",
    "category=",
    "type=",
    "launchFlags=",
    "package=",
    "component=",
    "scheme=",
    "sourceBounds=",
];

/// `Intent.parseUri`'s new-format loop; `None` where it throws or where the
/// link is not in the new format.
fn parse_uri(uri: &str) -> Option<Intent<'_>> {
    let android_app = strip_scheme(uri, "android-app:").is_some();
    if !android_app && strip_scheme(uri, "intent:").is_none() {
        return None;
    }
    let hash = uri
        .rfind('#')
        .filter(|&h| uri.get(h..).is_some_and(|f| f.starts_with("#Intent;")));
    let Some(hash) = hash else {
        // No `#Intent;` fragment: an `intent:` link is the simple case or the
        // old format, whose data is the link itself; an `android-app:` link's
        // data is read from the whole link.
        return android_app.then_some(Intent {
            data: uri,
            ..Intent::default()
        });
    };
    let data = uri.get(..hash)?;
    let mut i = hash + "#Intent;".len();
    let mut intent = Intent {
        data,
        ..Intent::default()
    };
    let mut in_selector = false;
    loop {
        let rest = uri.get(i..)?;
        if rest.starts_with("end") {
            return Some(intent);
        }
        // A piece with no `;` after it: `i = semi + 1` restarts at the link's
        // start, where `intent:` is an unknown extra type; Android throws.
        let semi = i + rest.find(';')?;
        let eq = rest.find('=').map(|e| i + e);
        let value = match eq {
            Some(eq) if eq < semi => decode(uri.get(eq + 1..semi)?),
            _ => Cow::Borrowed(""),
        };
        if KNOWN_KEYS.iter().any(|k| rest.starts_with(k)) {
            if rest.starts_with("scheme=") && !in_selector {
                intent.scheme = Some(value.into_owned());
            }
        } else if semi == i + 3 && rest.starts_with("SEL") {
            in_selector = true;
        } else {
            // An extra: `key = Uri.decode(uri.substring(i + 2, eq))`, which
            // throws without a `=`, or with one too early.
            let key = decode(uri.get(i + 2..eq?)?);
            if !EXTRA_TYPES.iter().any(|t| rest.starts_with(t)) {
                return None;
            }
            if rest.starts_with("S.") && key == "browser_fallback_url" {
                intent.fallbacks.push(value.into_owned());
            }
        }
        i = semi + 1;
    }
}

/// `android.net.Uri.decode`: `%XX` escapes decoded as UTF-8 (invalid sequences
/// become U+FFFD), `+` kept.
fn decode(s: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hops(uri: &str) -> Vec<String> {
        let mut out = Vec::new();
        intent_hops(uri, &mut out);
        out
    }

    macro_rules! hops {
        ($name:ident, $uri:expr, [$($want:expr),*]) => {
            #[test]
            fn $name() {
                let want: Vec<&str> = vec![$($want),*];
                assert_eq!(hops($uri), want, "{}", $uri);
            }
        };
    }

    hops!(
        fallback,
        "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;S.browser_fallback_url=https%3A%2F%2Fwx-redpacket.example%2Fopen;end",
        ["https://wx-redpacket.example/open"]
    );
    hops!(
        no_fallback,
        "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end",
        []
    );
    hops!(no_fragment, "intent://scan/", []);
    hops!(
        encoded_key,
        "intent://x#Intent;scheme=https;S.browser%5Ffallback%5Furl=https%3A%2F%2Fevil.example%2F;end",
        ["https://x", "https://evil.example/"]
    );
    hops!(
        ends_at_endx,
        "intent://x#Intent;scheme=x;S.browser_fallback_url=https%3A%2F%2Fevil.example%2F;endx",
        ["https://evil.example/"]
    );
    hops!(
        nothing_read_after_end_piece,
        "intent://x#Intent;scheme=x;endx;S.browser_fallback_url=https%3A%2F%2Fevil.example%2F;end",
        []
    );
    hops!(
        web_data,
        "intent://evil.example/#Intent;scheme=https;end",
        ["https://evil.example/"]
    );
    hops!(
        web_data_http_upper,
        "intent://evil.example/p?q=1#Intent;scheme=HTTP;end",
        ["HTTP://evil.example/p?q=1"]
    );
    hops!(
        web_data_without_scheme_piece,
        "intent:https://evil.example/#Intent;end",
        ["https://evil.example/"]
    );
    hops!(
        app_data_is_no_hop,
        "intent://evil.example/#Intent;scheme=zxing;end",
        []
    );
    hops!(
        last_scheme_wins,
        "intent://evil.example/#Intent;scheme=https;scheme=zxing;end",
        []
    );
    hops!(
        selector_scheme_is_not_the_data,
        "intent://evil.example/#Intent;SEL;scheme=https;end",
        []
    );
    hops!(
        every_fallback_value_last_first,
        "intent://x#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;S.browser_fallback_url=https%3A%2F%2Fb.example%2F;end",
        ["https://b.example/", "https://a.example/"]
    );
    hops!(
        no_end_throws,
        "intent://x#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F",
        []
    );
    hops!(
        no_end_after_last_semicolon,
        "intent://x#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;",
        []
    );
    hops!(
        last_hash,
        "intent://x#a#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;end",
        ["https://a.example/"]
    );
    hops!(
        not_intent_scheme,
        "https://x.example/#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;end",
        []
    );
    hops!(
        lowercase_intent_fragment,
        "intent://x#intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;end",
        []
    );
    hops!(
        plus_stays,
        "intent://x#Intent;S.browser_fallback_url=https://a.example/p?q=a+b;end",
        ["https://a.example/p?q=a+b"]
    );
    hops!(
        utf8_value,
        "intent://x#Intent;S.browser_fallback_url=https%3A%2F%2F%E4%BA%AC%E4%B8%9C.com%2F;end",
        ["https://京东.com/"]
    );
    hops!(
        unknown_extra_type_throws,
        "intent://x#Intent;S.browser_fallback_url=https%3A%2F%2Fa.example%2F;x.y=1;end",
        []
    );
    hops!(
        android_app_to_chrome,
        "android-app://com.android.chrome/https/evil.example/login?a=1",
        ["https://evil.example/login?a=1"]
    );
    hops!(
        android_app_with_fallback,
        "android-app://com.example.app/#Intent;S.browser_fallback_url=https%3A%2F%2Fevil.example%2F;end",
        ["https://evil.example/"]
    );
    hops!(
        android_app_scheme_only,
        "android-app://com.android.chrome/https",
        []
    );
    hops!(
        android_app_no_slash_after_authority,
        "android-app://com.android.chrome/https/evil.example",
        []
    );
    hops!(
        android_app_package_only,
        "android-app://com.example.app",
        []
    );
    hops!(
        value_ends_at_semicolon,
        "intent://x#Intent;S.browser_fallback_url=https://a.example/;x;end",
        []
    );

    #[test]
    fn fallback_must_be_web() {
        for value in [
            "javascript%3Aalert(1)",
            "javascript:alert(1)",
            "market%3A%2F%2Fdetails%3Fid%3Dx",
            "%2F%2Fevil.example%2F",
            "evil.example",
            "",
        ] {
            let link = format!("intent://x#Intent;scheme=x;S.browser_fallback_url={value};end");
            assert_eq!(hops(&link), Vec::<String>::new(), "{value}");
        }
    }

    #[test]
    fn fallback_key_is_exact() {
        for key in [
            "S.browser_fallback_url_x",
            "s.browser_fallback_url",
            "S.Browser_fallback_url",
            "i.browser_fallback_url",
            "%53.browser_fallback_url",
        ] {
            let link = format!("intent://x#Intent;{key}=https%3A%2F%2Fevil.example%2F;end");
            assert_eq!(hops(&link), Vec::<String>::new(), "{key}");
        }
    }
}
