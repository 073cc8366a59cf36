//! Fuzz regressions: every file under `tests/data/fuzz/<target>/` is replayed through
//! the checks of the `cargo fuzz` target of that name (`fuzz/fuzz_targets/`, checks in
//! `fuzz/src/lib.rs`; see `fuzz/README.md`). The fuzz crate is not part of this build,
//! so the checks are restated here; change both together.
//!
//! What a file holds, per target:
//! - `classify/`: one request line of the example program (`{"link": ..., "chat": ...}`),
//!   which is what `cargo fuzz fmt classify ARTIFACT` prints for a crash input.
//! - `load/`: the policy text itself (the raw crash input), tried as TOML and as JSON.
//! - `normalize_idempotent/`: the link itself (the raw crash input).
//!
//! Raw inputs are read as UTF-8 with invalid sequences replaced, as the targets read
//! them. Each target's directory also holds hand-picked tricky inputs, so the replay
//! always exercises something. A case found by fuzzing whose bug is not fixed yet is
//! listed, with why, in `tests/data/fuzz/expected_failures.txt`: it must keep failing
//! until the fix removes it from the list.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use linkpolicy::{Action, ChatKind, Context, Mode, Policy, Prefs, SAMPLE_POLICY};
use serde_json::Value;

static SAMPLE: LazyLock<Policy> = LazyLock::new(|| Policy::from_toml_str(SAMPLE_POLICY).unwrap());

/// `load` ignores inputs longer than this (bytes, after UTF-8 conversion).
const MAX_POLICY_BYTES: usize = 64 * 1024;

/// The sample policy's `max_link_len`: a longer normalized URL is `too_long`.
const SAMPLE_MAX_LINK_LEN: usize = 8192;

/// The links `load` classifies with every policy that loads.
const FIXED_LINKS: &[&str] = &[
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

fn fixed_contexts() -> [Context; 3] {
    [
        Context::one_to_one(),
        Context::group(500)
            .with_user("alice")
            .with_client_version("8.0.16")
            .with_now(1_635_724_800),
        Context::one_to_one().with_prefs(Prefs::new().with_mode(Mode::Ask)),
    ]
}

#[test]
fn classify() {
    replay("classify", |bytes| {
        let text = std::str::from_utf8(bytes).expect("a classify case is UTF-8 JSON");
        let (link, ctx) = request(text);
        check_classify(&SAMPLE, &link, &ctx);
    });
}

#[test]
fn load() {
    replay("load", |bytes| check_load(&String::from_utf8_lossy(bytes)));
}

#[test]
fn normalize_idempotent() {
    replay("normalize_idempotent", |bytes| {
        check_normalize_idempotent(&String::from_utf8_lossy(bytes));
    });
}

/// Runs `check` on every file of the target's directory (at least one), and fails
/// naming every file whose check panicked, unless `expected_failures.txt` lists it,
/// and every listed file whose check passed.
fn replay(target: &str, check: impl Fn(&[u8])) {
    let files = files(target);
    assert!(!files.is_empty(), "no cases in tests/data/fuzz/{target}/");
    let expected = expected_failures(target);
    let mut wrong: Vec<String> = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(path).unwrap();
        let fails = panic::catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err();
        match (fails, expected.contains(&name)) {
            (true, false) => wrong.push(format!("{target}/{name}: fails")),
            (false, true) => wrong.push(format!(
                "{target}/{name}: passes now; remove it from expected_failures.txt"
            )),
            _ => {}
        }
    }
    for name in &expected {
        if !files
            .iter()
            .any(|p| p.file_name().unwrap().to_string_lossy() == *name)
        {
            wrong.push(format!(
                "{target}/{name}: listed in expected_failures.txt, no such file"
            ));
        }
    }
    assert!(wrong.is_empty(), "fuzz regressions: {wrong:#?}");
}

/// The files of `target` that `tests/data/fuzz/expected_failures.txt` lists.
fn expected_failures(target: &str) -> Vec<String> {
    let list = data_dir().join("expected_failures.txt");
    let text = fs::read_to_string(&list).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (path, why) = l.split_once('\t').expect("a tab between path and why");
            assert!(!why.trim().is_empty(), "{path}: say why it fails");
            path.strip_prefix(target)?
                .strip_prefix('/')
                .map(str::to_owned)
        })
        .collect()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz")
}

/// The files of `tests/data/fuzz/<target>/`, sorted; dot files are skipped.
fn files(target: &str) -> Vec<PathBuf> {
    let dir = data_dir().join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

/// A request line of the example program: the link and its context.
fn request(text: &str) -> (String, Context) {
    let v: Value = serde_json::from_str(text.trim()).unwrap();
    let link = v["link"].as_str().expect("`link` is a string").to_owned();
    let chat: ChatKind = match v.get("chat") {
        Some(c) => serde_json::from_value(c.clone()).unwrap(),
        None => ChatKind::OneToOne,
    };
    let mut ctx = match chat {
        ChatKind::Group => {
            let members = v["members"].as_u64().expect("a group needs `members`");
            Context::group(u32::try_from(members).unwrap())
        }
        _ => Context::one_to_one(),
    };
    if let Some(user) = v.get("user").and_then(Value::as_str) {
        ctx = ctx.with_user(user);
    }
    if let Some(version) = v.get("client_version").and_then(Value::as_str) {
        ctx = ctx.with_client_version(version);
    }
    if let Some(now) = v.get("now").and_then(Value::as_i64) {
        ctx = ctx.with_now(now);
    }
    if let Some(prefs) = v.get("prefs") {
        ctx = ctx.with_prefs(serde_json::from_value::<Prefs>(prefs.clone()).unwrap());
    }
    (link, ctx)
}

/// The `classify` target: no panic, the same verdict twice, a verdict without a URL
/// is a hard block, and the verdict prints.
fn check_classify(policy: &Policy, link: &str, ctx: &Context) {
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

/// The `load` target: loading as TOML and as JSON never panics, errors print, and a
/// policy that loads passes the `classify` checks on the fixed links.
fn check_load(text: &str) {
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

/// The `normalize_idempotent` target: classifying a verdict's URL again gives the
/// same URL and host.
fn check_normalize_idempotent(link: &str) {
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
