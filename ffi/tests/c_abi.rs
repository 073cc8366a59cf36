//! The C ABI tested from C: this test writes the library's own answers for the
//! contract's cases (`linkpolicy::Request::answer`, `MessageRequest::answer`,
//! `Policy::classify`, load errors, revisions) to files, compiles
//! `tests/c/test_linkpolicy.c` with gcc against the static library and runs it:
//! the C program asks the ABI the same questions from 8 threads on one policy
//! and fails on any answer that differs.
//!
//! The files and the program stay in `target/tmp/ffi-c/` for the CI step, which
//! runs the same program under valgrind (`.ci/steps/30-ffi.sh`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail by panicking"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use linkpolicy::{Context, MessageRequest, Policy, Request, SAMPLE_POLICY};

const REQUESTS: &str = include_str!("c/requests.txt");
const LINKS: &str = include_str!("../../examples/links.txt");
const CJK_MESSAGES: &str = include_str!("../../tests/data/scan/cjk_messages.toml");
const EXAMPLE_TOML: &str = include_str!("../../tests/data/example/policy.toml");
const EXAMPLE_JSON: &str = include_str!("../../tests/data/example/policy.json");
const BAD_TOML: &str = include_str!("../../tests/data/example/bad-acton.toml");
const BAD_JSON: &str = include_str!("../../tests/data/example/bad-acton.json");
const BAD_DOMAIN: &str = include_str!("../../tests/data/example/bad-domain.toml");

/// Every request line: the hand-written ones, the example links bare, and each
/// bare link again in a group of 250.
fn requests() -> Vec<String> {
    let mut lines: Vec<String> = REQUESTS.lines().map(str::to_owned).collect();
    for link in LINKS.lines().filter(|l| !l.trim().is_empty()) {
        lines.push(link.to_owned());
        let group = serde_json::json!({"link": link, "chat": "group", "members": 250});
        lines.push(group.to_string());
    }
    lines
}

/// Every message line: the CJK messages of tests/data/scan, as plain text when
/// they fit on one line, and as a JSON object in a group.
fn messages() -> Vec<String> {
    let cases: toml::Value = toml::from_str(CJK_MESSAGES).unwrap();
    let mut lines = vec![String::new(), r#"{"text": "x", "link": "y"}"#.to_owned()];
    for case in cases["case"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        if !text.contains(['\n', '\r']) && !text.trim_start().starts_with('{') {
            lines.push(text.to_owned());
        }
        let group = serde_json::json!({"text": text, "chat": "group", "members": 3});
        lines.push(group.to_string());
    }
    lines
}

fn write_lines(path: &Path, lines: impl IntoIterator<Item = String>) {
    let mut text = String::new();
    for line in lines {
        assert!(!line.contains('\n'), "one line: {line:?}");
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// The files the C program reads: `manifest.txt` names each case.
fn write_cases(dir: &Path) -> usize {
    let requests = requests();
    let messages = messages();
    let mut manifest = String::new();
    let mut count = 0;
    let good: [(&str, &str, &str); 3] = [
        ("sample", "toml", SAMPLE_POLICY),
        ("example-toml", "toml", EXAMPLE_TOML),
        ("example-json", "json", EXAMPLE_JSON),
    ];
    for (name, format, text) in good {
        let policy = match format {
            "json" => Policy::from_json_str(text).unwrap(),
            _ => Policy::from_toml_str(text).unwrap(),
        };
        std::fs::write(dir.join(format!("{name}.policy")), text).unwrap();
        write_lines(&dir.join(format!("{name}.requests")), requests.clone());
        write_lines(
            &dir.join(format!("{name}.answers")),
            requests.iter().map(|l| Request::answer(&policy, l)),
        );
        write_lines(&dir.join(format!("{name}.messages")), messages.clone());
        write_lines(
            &dir.join(format!("{name}.scans")),
            messages.iter().map(|l| MessageRequest::answer(&policy, l)),
        );
        // The fast call: "CHAT MEMBERS ACTION LINK" for every link that parses.
        let mut actions = Vec::new();
        for line in &requests {
            let Ok(req) = Request::parse(line) else {
                continue;
            };
            let ctx = req.context();
            let (chat, members) = match ctx.members() {
                Some(n) => (1, n),
                None => (0, 0),
            };
            let plain = match members {
                0 if chat == 0 => Context::one_to_one(),
                n => Context::group(n),
            };
            let action = policy.classify(req.link(), &plain).action();
            actions.push(format!("{chat} {members} {action} {}", req.link()));
        }
        count += requests.len() + messages.len() + actions.len();
        write_lines(&dir.join(format!("{name}.actions")), actions);
        writeln!(manifest, "good {format} {name} {:x}", policy.revision()).unwrap();
    }
    let bad: [(&str, &str, &str); 3] = [
        ("bad-acton-toml", "toml", BAD_TOML),
        ("bad-acton-json", "json", BAD_JSON),
        ("bad-domain", "toml", BAD_DOMAIN),
    ];
    for (name, format, text) in bad {
        let err = match format {
            "json" => Policy::from_json_str(text).unwrap_err(),
            _ => Policy::from_toml_str(text).unwrap_err(),
        };
        let message: Vec<String> = err.errors().map(ToString::to_string).collect();
        std::fs::write(dir.join(format!("{name}.policy")), text).unwrap();
        std::fs::write(dir.join(format!("{name}.error")), message.join("\n")).unwrap();
        writeln!(manifest, "bad {format} {name} 0").unwrap();
        count += 1;
    }
    std::fs::write(dir.join("manifest.txt"), manifest).unwrap();
    count
}

/// `target/<profile>/`, where cargo puts `liblinkpolicy_ffi.a`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/c_abi-<hash>
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

#[test]
fn c_program_agrees_with_the_library_from_8_threads() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ffi-c");
    std::fs::create_dir_all(&dir).unwrap();
    let cases = write_cases(&dir);
    let ffi = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = profile_dir().join("liblinkpolicy_ffi.a");
    // `cargo test` builds the rlib only: the step (or the developer) runs
    // `cargo build -p linkpolicy-ffi` first.
    assert!(
        lib.exists(),
        "{} is missing: run `cargo build -p linkpolicy-ffi` before the tests",
        lib.display()
    );
    let exe = dir.join("test_linkpolicy");
    let gcc = Command::new(std::env::var("CC").unwrap_or_else(|_| "gcc".to_owned()))
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-g",
            "-I",
        ])
        .arg(ffi.join("include"))
        .arg(ffi.join("tests/c/test_linkpolicy.c"))
        .arg(&lib)
        .args(["-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .output()
        .expect("gcc runs (the C ABI is tested from C: install gcc)");
    assert!(
        gcc.status.success(),
        "gcc failed:\n{}",
        String::from_utf8_lossy(&gcc.stderr)
    );
    let run = Command::new(&exe).arg(&dir).arg("8").output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "C test failed:\n{stdout}\n{stderr}");
    // Each case is checked on each of the 8 threads, plus the C program's own
    // checks (NULL pointers, bytes that are not UTF-8, ...).
    let summary = stdout
        .lines()
        .find(|l| l.ends_with(" failed"))
        .unwrap_or_default()
        .to_owned();
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        passed >= 8 * cases && summary.ends_with(" 0 failed"),
        "{cases} cases, C program: {summary:?}\n{stdout}"
    );
}
