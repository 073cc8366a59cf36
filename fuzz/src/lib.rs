//! Inputs and checks shared by linkpolicy's fuzz targets (`fuzz_targets/`).
//!
//! Every input type's `Debug` prints a reproducer, which is what libFuzzer shows
//! for a crash and what `cargo fuzz fmt TARGET ARTIFACT` prints:
//!
//! - [`ClassifyInput`]: one request line of the example program, runnable with
//!   `echo 'LINE' | cargo run --example classify`, and the form the crate's
//!   `tests/data/fuzz/classify/` replays;
//! - [`PolicyText`] and [`LinkText`]: Rust code that loads or classifies the text;
//! - [`FastpathText`]: Rust code that compares the fast path with the url crate.
//!
//! The checks here are replayed, in the same words, by the crate's
//! `tests/fuzz_regressions.rs`; change both together.

use std::fmt;
use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use linkpolicy::{Action, Context, Mode, Policy, Prefs, SAMPLE_POLICY};

/// The crate's sample policy, loaded once per process.
pub static SAMPLE: LazyLock<Policy> =
    LazyLock::new(|| match Policy::from_toml_str(SAMPLE_POLICY) {
        Ok(p) => p,
        Err(e) => panic!("the sample policy does not load: {e}"),
    });

/// `load` ignores inputs longer than this (bytes, after UTF-8 conversion).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;

/// The sample policy's `max_link_len`: a normalized URL longer than this (it can
/// grow, `é` becomes `%C3%A9`) is `too_long` when classified again, by design.
pub const SAMPLE_MAX_LINK_LEN: usize = 8192;

/// What the users' trusted and blocked lists are picked from: platform and rule
/// domains of the sample policy, a public suffix, a single label, IDN forms.
pub const VOCABULARY: &[&str] = &[
    "jd.com",
    "item.jd.com",
    "qq.com",
    "docs.qq.com",
    "taobao.com",
    "zhihu.com",
    "c.duomai.com",
    "b23.tv",
    "gov.cn",
    "12377.cn",
    "example.org",
    "fake-jd-refund.example",
    "niming-tucao.example",
    "cheap-iphone-sale.example",
    "JD.COM.",
    "中国",
    "xn--fiqs8s",
    "example",
    "com",
    "localhost",
];

/// At most this many entries per list.
const MAX_LIST: usize = 4;

/// The links `load` classifies with every policy that loads.
pub const FIXED_LINKS: &[&str] = &[
    "https://item.jd.com/100012043978.html",
    "http://example.org/",
    "jd.com/x?utm_source=a&id=1",
    "https://x@fake-jd-refund。example./r",
    "https://c.duomai.com/track.php?t=https://link.zhihu.com/?target=https%3A//evil.example/",
    "weixin://dl/moments",
    "javascript:alert(1)",
    "http://0x7f.1:8080/",
    "https://[::1]/",
    "https://quarterly-report.zip/?invite_code=1",
    "not a link",
    "",
];

/// The contexts `load` classifies the fixed links in.
pub fn fixed_contexts() -> [Context; 3] {
    [
        Context::one_to_one(),
        Context::group(500)
            .with_user("alice")
            .with_client_version("8.0.16")
            .with_now(1_635_724_800),
        Context::one_to_one().with_prefs(Prefs::new().with_mode(Mode::Ask)),
    ]
}

/// `classify` never panics, gives the same verdict twice, a verdict without a URL
/// is a hard block, and the verdict prints (`Display`, JSON).
pub fn check_classify(policy: &Policy, link: &str, ctx: &Context) {
    let v = policy.classify(link, ctx);
    let again = policy.classify(link, ctx);
    assert_eq!(v, again, "classify is not deterministic for {link:?}");
    if v.url().is_none() {
        assert!(
            v.action() == Action::Block && v.is_hard(),
            "a verdict without a URL must be a hard block: {link:?} gave {v}"
        );
    }
    let _ = v.to_string();
    let _ = v.to_json();
}

/// Loading text as TOML and as JSON never panics, the errors print, and a policy
/// that loads passes [`check_classify`] on [`FIXED_LINKS`] in [`fixed_contexts`].
pub fn check_load(text: &str) {
    if text.len() > MAX_POLICY_BYTES {
        return;
    }
    for loaded in [Policy::from_toml_str(text), Policy::from_json_str(text)] {
        match loaded {
            Ok(policy) => {
                for ctx in &fixed_contexts() {
                    for link in FIXED_LINKS {
                        check_classify(&policy, link, ctx);
                    }
                }
            }
            Err(e) => {
                let _ = e.to_string();
                for one in e.errors() {
                    let _ = one.to_string();
                }
            }
        }
    }
}

/// Links on the list entries of the snapshot seeds (`fuzz/seeds/snapshot/`), so
/// that a mutated list table is probed, and hit.
const SNAPSHOT_LINKS: &[&str] = &[
    "https://login.evil.example/",
    "https://phish.test/a",
    "http://www.a.co.example/",
    "http://b.ck/",
    "http://1.2.3.4/",
];

/// Arbitrary bytes as a snapshot: `from_snapshot` never panics, refuses with a
/// snapshot error kind or a build error, and a policy that loads passes
/// [`check_classify`] on [`FIXED_LINKS`] in [`fixed_contexts`] and writes a
/// snapshot that loads back to the same revision. With `fix_checksum`, the
/// header's checksums are recomputed first (as a forger would), so the fuzzer
/// reaches the directory and the tables.
pub fn check_snapshot(bytes: &[u8], fix_checksum: bool) {
    if bytes.len() > MAX_POLICY_BYTES {
        return;
    }
    let mut bytes = bytes.to_vec();
    if fix_checksum {
        linkpolicy::snapshot::reseal(&mut bytes);
    }
    match Policy::from_snapshot(bytes) {
        Ok(policy) => {
            for ctx in &fixed_contexts() {
                for link in FIXED_LINKS.iter().chain(SNAPSHOT_LINKS) {
                    check_classify(&policy, link, ctx);
                }
            }
            let again = Policy::from_snapshot(policy.to_snapshot())
                .unwrap_or_else(|e| panic!("a loaded policy's snapshot does not load: {e}"));
            assert_eq!(again.revision(), policy.revision());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// With the sample policy in a one-to-one chat: when the verdict has a URL,
/// classifying that URL again gives the same URL and the same host.
pub fn check_normalize_idempotent(link: &str) {
    let ctx = Context::one_to_one();
    let v = SAMPLE.classify(link, &ctx);
    let Some(url) = v.url() else { return };
    if url.len() > SAMPLE_MAX_LINK_LEN {
        return;
    }
    let again = SAMPLE.classify(url, &ctx);
    assert_eq!(
        again.url(),
        Some(url),
        "normalizing {link:?} twice changes its URL"
    );
    assert_eq!(
        again.host(),
        v.host(),
        "normalizing {link:?} twice changes its host"
    );
}

/// A link and a context for `classify`. The link takes the rest of the input, so
/// most mutations change the link.
#[derive(Arbitrary)]
pub struct ClassifyInput {
    chat: Chat,
    user: Option<User>,
    version: Option<Version>,
    now: Option<Now>,
    mode: FuzzMode,
    trusted: Vec<u8>,
    blocked: Vec<u8>,
    link: String,
}

#[derive(Arbitrary, Debug)]
enum Chat {
    OneToOne,
    Group(u32),
    SmallGroup(u8),
}

#[derive(Arbitrary, Debug)]
enum User {
    /// Users whose buckets differ; see the README's rollout example.
    Known(u8),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Version {
    Dotted(u8, u8, u8),
    Short(u8, u8),
    Any(String),
}

#[derive(Arbitrary, Debug)]
enum Now {
    /// Within two years of 2021-01-01, where the sample's rollout windows are.
    Around2021(u32),
    Any(i64),
}

#[derive(Arbitrary, Debug)]
enum FuzzMode {
    Default,
    Ask,
    BlockExternal,
}

/// A [`ClassifyInput`] as plain values: the example program's request line.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The link.
    pub link: String,
    /// `None` for a one-to-one chat, else the group's member count.
    pub members: Option<u32>,
    /// The user id.
    pub user: Option<String>,
    /// The client version, as the host app passed it.
    pub client_version: Option<String>,
    /// Unix seconds.
    pub now: Option<i64>,
    /// The user's mode.
    pub mode: Mode,
    /// Trusted domains, from [`VOCABULARY`].
    pub trusted: Vec<&'static str>,
    /// Blocked domains, from [`VOCABULARY`].
    pub blocked: Vec<&'static str>,
}

impl ClassifyInput {
    /// The request this input stands for.
    pub fn request(&self) -> Request {
        let pick = |v: &[u8]| -> Vec<&'static str> {
            v.iter()
                .take(MAX_LIST)
                .filter_map(|&i| VOCABULARY.get(usize::from(i) % VOCABULARY.len()).copied())
                .collect()
        };
        Request {
            link: self.link.clone(),
            members: match self.chat {
                Chat::OneToOne => None,
                Chat::Group(n) => Some(n),
                Chat::SmallGroup(n) => Some(u32::from(n)),
            },
            user: self.user.as_ref().map(|u| match u {
                User::Known(n) => ["alice", "bob", "carol", "dave"]
                    .get(usize::from(*n) % 4)
                    .map_or_else(String::new, |s| (*s).to_owned()),
                User::Any(s) => s.clone(),
            }),
            client_version: self.version.as_ref().map(|v| match v {
                Version::Dotted(a, b, c) => format!("{a}.{b}.{c}"),
                Version::Short(a, b) => format!("{a}.{b}"),
                Version::Any(s) => s.clone(),
            }),
            now: self.now.as_ref().map(|n| match *n {
                Now::Around2021(s) => 1_609_459_200 + i64::from(s % (2 * 366 * 86_400)),
                Now::Any(s) => s,
            }),
            mode: match self.mode {
                FuzzMode::Default => Mode::Default,
                FuzzMode::Ask => Mode::Ask,
                FuzzMode::BlockExternal => Mode::BlockExternal,
            },
            trusted: pick(&self.trusted),
            blocked: pick(&self.blocked),
        }
    }
}

impl fmt::Debug for ClassifyInput {
    /// The request line: `echo 'LINE' | cargo run --example classify`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.request().to_json())
    }
}

impl Request {
    /// The context of the request.
    ///
    /// # Panics
    ///
    /// When a list entry is not a valid domain: [`VOCABULARY`] is fixed, so that
    /// is a bug in the vocabulary (or in `Prefs`), worth a crash.
    pub fn context(&self) -> Context {
        let mut ctx = match self.members {
            None => Context::one_to_one(),
            Some(n) => Context::group(n),
        };
        if let Some(u) = &self.user {
            ctx = ctx.with_user(u.as_str());
        }
        if let Some(v) = &self.client_version {
            ctx = ctx.with_client_version(v);
        }
        if let Some(n) = self.now {
            ctx = ctx.with_now(n);
        }
        match Prefs::from_lists(self.mode, &self.trusted, &self.blocked) {
            Ok(prefs) => ctx.with_prefs(prefs),
            Err(e) => panic!("a vocabulary entry is not a valid domain: {e}"),
        }
    }

    /// One line of JSON in the example program's request format.
    pub fn to_json(&self) -> String {
        let s = |v: &str| serde_json::Value::from(v).to_string();
        let mut out = format!("{{\"link\": {}", s(&self.link));
        match self.members {
            None => out.push_str(", \"chat\": \"one_to_one\""),
            Some(n) => out.push_str(&format!(", \"chat\": \"group\", \"members\": {n}")),
        }
        if let Some(u) = &self.user {
            out.push_str(&format!(", \"user\": {}", s(u)));
        }
        if let Some(v) = &self.client_version {
            out.push_str(&format!(", \"client_version\": {}", s(v)));
        }
        if let Some(n) = self.now {
            out.push_str(&format!(", \"now\": {n}"));
        }
        let mode = match self.mode {
            Mode::Ask => "ask",
            Mode::BlockExternal => "block_external",
            _ => "default",
        };
        let list = |l: &[&str]| l.iter().map(|d| s(d)).collect::<Vec<_>>().join(", ");
        out.push_str(&format!(
            ", \"prefs\": {{\"mode\": \"{mode}\", \"trusted\": [{}], \"blocked\": [{}]}}}}",
            list(&self.trusted),
            list(&self.blocked)
        ));
        out
    }
}

/// The `url::Url::parse` fast path on a link, as written and with `http://`
/// assumed: it takes the link and agrees with the url crate (serialization and
/// layout), or declines it.
pub fn check_fastpath(link: &str) {
    for assume_http in [false, true] {
        if let Err(disagreement) = linkpolicy::__fastpath_agrees(link, assume_http) {
            panic!("the fast path disagrees with url::Url::parse: {disagreement}");
        }
    }
}

/// Arbitrary bytes as UTF-8 (invalid sequences become U+FFFD), for `load`.
pub struct PolicyText(pub String);

/// Arbitrary bytes as UTF-8 (invalid sequences become U+FFFD), for
/// `normalize_idempotent`.
pub struct LinkText(pub String);

macro_rules! text_input {
    ($t:ident) => {
        impl<'a> Arbitrary<'a> for $t {
            fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
                Self::arbitrary_take_rest(std::mem::replace(u, Unstructured::new(&[])))
            }

            fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
                Ok(Self(String::from_utf8_lossy(u.take_rest()).into_owned()))
            }
        }
    };
}

/// Arbitrary bytes as UTF-8 (invalid sequences become U+FFFD), for `fastpath`.
pub struct FastpathText(pub String);

text_input!(PolicyText);
text_input!(LinkText);
text_input!(FastpathText);

impl fmt::Debug for PolicyText {
    /// Rust code that loads the text both ways.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "let text = {:?};", self.0)?;
        writeln!(f, "let _ = linkpolicy::Policy::from_toml_str(text);")?;
        write!(f, "let _ = linkpolicy::Policy::from_json_str(text);")
    }
}

impl fmt::Debug for LinkText {
    /// Rust code that classifies the link and its URL again.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "let policy = Policy::from_toml_str(linkpolicy::SAMPLE_POLICY)?;"
        )?;
        writeln!(
            f,
            "let v = policy.classify({:?}, &Context::one_to_one());",
            self.0
        )?;
        write!(
            f,
            "let again = policy.classify(v.url().unwrap(), &Context::one_to_one());"
        )
    }
}

impl fmt::Debug for FastpathText {
    /// Rust code that compares the fast path with the url crate both ways.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "assert!(linkpolicy::__fastpath_agrees({:?}, false).is_ok());",
            self.0
        )?;
        write!(
            f,
            "assert!(linkpolicy::__fastpath_agrees({:?}, true).is_ok());",
            self.0
        )
    }
}

pub mod bounds;
