//! The example program (`examples/classify.rs`, contract section 8) as a black box.
//!
//! `cargo test` builds the examples next to the test binary: the test executable is
//! `target/<profile>/deps/lib-<hash>` and the example `target/<profile>/examples/classify`.
//! A target filter such as `cargo test --test lib` does not build examples, so the
//! tests fail with a message saying how to build it when the binary is missing or
//! older than the crate's sources (never silently testing a stale binary).
//!
//! Every answer is compared with the library's own verdict for the same link and
//! context, `Verdict::to_json`, so these tests check the program's plumbing (input
//! parsing, context fields, order, errors, exit status) and the JSON shape of
//! section 7; the decisions themselves are the other modules' business.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use linkpolicy::{Context, Policy, Prefs, SAMPLE_POLICY};
use serde_json::Value;

/// The example's input file, as shipped.
const LINKS: &str = include_str!("../examples/links.txt");

/// The reason kinds of contract section 7.
const REASON_KINDS: [&str; 19] = [
    "rule",
    "platform",
    "default",
    "phase",
    "app_link",
    "unsafe_scheme",
    "invalid",
    "too_long",
    "userinfo",
    "ip_host",
    "lookalike",
    "mixed_script",
    "redirect",
    "redirect_depth",
    "complaints",
    "masked_link",
    "user_blocked",
    "user_trusted",
    "user_mode",
];

/// The fields of a verdict, contract section 7.
const VERDICT_FIELDS: [&str; 10] = [
    "action",
    "hard",
    "reasons",
    "url",
    "host",
    "registrable_domain",
    "platform",
    "destination",
    "clean_url",
    "shadow",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/data/example").join(name)
}

/// The built example program; fails the test when it is missing, or older than a
/// file it is built from.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    // target/<profile>/deps/lib-<hash> -> target/<profile>/examples/classify
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test executable lives in target/<profile>/deps");
    let bin = profile_dir
        .join("examples")
        .join(format!("classify{}", std::env::consts::EXE_SUFFIX));
    let how = "`cargo test` builds it; with a target filter (`cargo test --test lib`) \
               run `cargo build --example classify` (add `--release` for a release test run) first";
    let built = match std::fs::metadata(&bin) {
        Ok(meta) => meta
            .modified()
            .expect("the file system gives modification times"),
        Err(e) => panic!(
            "the example program is missing at {}: {e}; {how}",
            bin.display()
        ),
    };
    if let Some((source, changed)) = newest_source(&bin) {
        assert!(
            changed <= built,
            "the example program at {} is older than {}: it is stale; {how}",
            bin.display(),
            source.display()
        );
    }
    bin
}

/// The most recently modified source file of the example, from the dependency list
/// cargo writes next to it (`classify.d`); `None` when there is no such list.
fn newest_source(bin: &Path) -> Option<(PathBuf, SystemTime)> {
    let text = std::fs::read_to_string(bin.with_file_name("classify.d")).ok()?;
    let (_, deps) = text.lines().next()?.split_once(": ")?;
    // Paths are separated by spaces; a space inside a path is escaped as `\ `.
    let mut files = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                current.push(' ');
                chars.next();
            }
            ' ' => {
                if !current.is_empty() {
                    files.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        files.push(PathBuf::from(current));
    }
    files
        .into_iter()
        .filter_map(|f| {
            let t = std::fs::metadata(&f).ok()?.modified().ok()?;
            Some((f, t))
        })
        .max_by_key(|(_, t)| *t)
}

/// Runs the example with `args`, feeding `stdin` and closing it.
fn run<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Output {
    let mut child = Command::new(example_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example program starts");
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    // Write from another thread: a large input must not deadlock on a full stdout pipe.
    let writer = std::thread::spawn(move || {
        // The program may exit before reading everything (a policy that does not load).
        let _ = input.write_all(&data);
    });
    let output = child.wait_with_output().expect("the example program runs");
    writer.join().expect("the stdin writer finishes");
    output
}

/// Runs the example with the embedded sample policy and checks it succeeded.
fn run_sample(stdin: &str) -> Vec<String> {
    let no_args: [&str; 0] = [];
    let out = run(&no_args, stdin.as_bytes());
    assert_success(&out);
    stdout_lines(&out)
}

fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "exit status {:?}, stderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .expect("standard output is UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn sample_policy() -> Policy {
    Policy::from_toml_str(SAMPLE_POLICY).expect("the sample policy loads")
}

fn parse(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("output line is not JSON ({e}): {line}"))
}

/// The context a JSON request line describes (section 8), built in-process.
fn context_of(req: &Value) -> Context {
    let mut ctx = match req.get("chat").and_then(Value::as_str) {
        None | Some("one_to_one") => Context::one_to_one(),
        Some("group") => {
            let members = req
                .get("members")
                .and_then(Value::as_u64)
                .expect("the tests' group requests give `members`");
            Context::group(u32::try_from(members).expect("members fit u32"))
        }
        Some(other) => panic!("unexpected chat kind in a test request: {other}"),
    };
    if let Some(user) = req.get("user").and_then(Value::as_str) {
        ctx = ctx.with_user(user);
    }
    if let Some(v) = req.get("client_version").and_then(Value::as_str) {
        ctx = ctx.with_client_version(v);
    }
    if let Some(now) = req.get("now").and_then(Value::as_i64) {
        ctx = ctx.with_now(now);
    }
    if let Some(prefs) = req.get("prefs") {
        let prefs: Prefs =
            serde_json::from_value(prefs.clone()).expect("the test's prefs are valid");
        ctx = ctx.with_prefs(prefs);
    }
    ctx
}

/// What the program must print for one readable input line, computed in-process.
fn expected_answer(policy: &Policy, line: &str) -> String {
    let trimmed = line.trim();
    if trimmed.starts_with('{') {
        let req: Value = serde_json::from_str(trimmed).expect("a JSON request line");
        let link = req
            .get("link")
            .and_then(Value::as_str)
            .expect("a request has a `link`");
        policy.classify(link, &context_of(&req)).to_json()
    } else {
        policy.classify(line, &Context::one_to_one()).to_json()
    }
}

/// Checks that `v` is a verdict with every section 7 field, of the right type.
fn assert_verdict_shape(v: &Value, input: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object for {input:?}: {v}"));
    for field in VERDICT_FIELDS {
        assert!(obj.contains_key(field), "no `{field}` for {input:?}: {v}");
    }
    let action = v["action"].as_str().unwrap_or_default();
    assert!(
        ["allow", "warn", "block"].contains(&action),
        "`action` is not allow/warn/block for {input:?}: {v}"
    );
    assert!(v["hard"].is_boolean(), "`hard` not a boolean for {input:?}");
    let reasons = v["reasons"]
        .as_array()
        .unwrap_or_else(|| panic!("`reasons` not an array for {input:?}: {v}"));
    assert!(!reasons.is_empty(), "no reasons for {input:?}: {v}");
    for r in reasons {
        let kind = r
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("a reason without a string `kind` for {input:?}: {r}"));
        assert!(
            REASON_KINDS.contains(&kind),
            "reason kind `{kind}` is not one of section 7 for {input:?}"
        );
        let needs: &[&str] = match kind {
            "rule" => &["rule", "category"],
            "platform" => &["platform", "tier"],
            "phase" => &["phase"],
            "lookalike" => &["of"],
            "redirect" => &["to"],
            "complaints" => &["category", "count"],
            "masked_link" => &["shown"],
            _ => &[],
        };
        for field in needs {
            assert!(
                r.get(*field).is_some_and(|f| !f.is_null()),
                "`{kind}` reason without `{field}` for {input:?}: {r}"
            );
        }
    }
    for field in [
        "url",
        "host",
        "registrable_domain",
        "platform",
        "destination",
        "clean_url",
    ] {
        assert!(
            v[field].is_string() || v[field].is_null(),
            "`{field}` neither string nor null for {input:?}: {v}"
        );
    }
    let shadow = v["shadow"]
        .as_array()
        .unwrap_or_else(|| panic!("`shadow` not an array for {input:?}: {v}"));
    for s in shadow {
        assert!(s["rule"].is_string(), "shadow entry without `rule`: {s}");
        assert!(
            ["allow", "warn", "block"].contains(&s["action"].as_str().unwrap_or_default()),
            "shadow entry without an `action`: {s}"
        );
    }
}

fn assert_error_line(line: &str, input: &str) {
    let v = parse(line);
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not a JSON object for {input:?}: {line}"));
    let message = obj.get("error").and_then(Value::as_str);
    assert!(
        message.is_some_and(|m| !m.is_empty()),
        "expected {{\"error\": \"...\"}} for {input:?}, got {line}"
    );
    assert_eq!(obj.len(), 1, "an error line is only `error`: {line}");
}

#[test]
fn sample_policy_answers_every_line_in_order() {
    let policy = sample_policy();
    let inputs: Vec<&str> = LINKS.lines().collect();
    let outputs = run_sample(LINKS);
    assert_eq!(
        outputs.len(),
        inputs.len(),
        "one output line per input line"
    );
    let mut bare = 0;
    for (input, output) in inputs.iter().zip(&outputs) {
        let v = parse(output);
        assert!(v.get("error").is_none(), "{input:?} got an error: {output}");
        assert_eq!(
            *output,
            expected_answer(&policy, input),
            "answer for {input:?}"
        );
        if !input.trim().starts_with('{') {
            bare += 1;
            // The answer is about this very line, not a neighbour's.
            let expected = policy.classify(input, &Context::one_to_one());
            assert_eq!(v["url"].as_str(), expected.url(), "url for {input:?}");
            assert_eq!(
                v["destination"].as_str(),
                expected.destination(),
                "destination for {input:?}"
            );
        }
    }
    assert!(bare > 40, "links.txt has its bare links ({bare})");
}

#[test]
fn json_requests_honour_context_fields() {
    let policy = sample_policy();
    // Pairs of requests that differ in one field, which changes the sample policy's answer.
    let pairs: [(&str, &str, &str); 9] = [
        (
            "chat",
            r#"{"link": "https://github.com/rust-lang/rust", "chat": "one_to_one"}"#,
            r#"{"link": "https://github.com/rust-lang/rust", "chat": "group", "members": 40}"#,
        ),
        (
            "members",
            r#"{"link": "https://h5.spam.example/?share_unlock=1", "chat": "group", "members": 99}"#,
            r#"{"link": "https://h5.spam.example/?share_unlock=1", "chat": "group", "members": 100}"#,
        ),
        (
            "user",
            r#"{"link": "https://github.com/", "chat": "group", "members": 40, "user": "alice", "client_version": "8.0.16"}"#,
            r#"{"link": "https://github.com/", "chat": "group", "members": 40, "user": "u-000002", "client_version": "8.0.16"}"#,
        ),
        (
            "client_version",
            r#"{"link": "https://github.com/", "chat": "group", "members": 40, "user": "u-000002", "client_version": "8.0.15"}"#,
            r#"{"link": "https://github.com/", "chat": "group", "members": 40, "user": "u-000002", "client_version": "8.1"}"#,
        ),
        (
            "now",
            r#"{"link": "https://i.meituan.com/h5?invite_code=AB12CD", "user": "u-000003", "client_version": "8.0.16", "now": 1631836800}"#,
            r#"{"link": "https://i.meituan.com/h5?invite_code=AB12CD", "user": "u-000003", "client_version": "8.0.16", "now": 1635724800}"#,
        ),
        (
            "prefs.mode ask",
            r#"{"link": "https://item.jd.com/1.html", "prefs": {"mode": "default"}}"#,
            r#"{"link": "https://item.jd.com/1.html", "prefs": {"mode": "ask"}}"#,
        ),
        (
            "prefs.mode block_external",
            r#"{"link": "https://item.jd.com/1.html"}"#,
            r#"{"link": "https://item.jd.com/1.html", "prefs": {"mode": "block_external"}}"#,
        ),
        (
            "prefs.trusted",
            r#"{"link": "https://m.tb.cn/h.fxyz", "prefs": {"trusted": []}}"#,
            r#"{"link": "https://m.tb.cn/h.fxyz", "prefs": {"trusted": ["TB.cn."]}}"#,
        ),
        (
            "prefs.blocked",
            r#"{"link": "https://item.jd.com/1.html", "prefs": {"blocked": []}}"#,
            r#"{"link": "https://item.jd.com/1.html", "prefs": {"blocked": ["jd.com"]}}"#,
        ),
    ];
    let mut input = String::new();
    for (_, a, b) in &pairs {
        input.push_str(a);
        input.push('\n');
        input.push_str(b);
        input.push('\n');
    }
    let outputs = run_sample(&input);
    assert_eq!(outputs.len(), pairs.len() * 2, "one answer per request");
    for ((field, a, b), answers) in pairs.iter().zip(outputs.chunks(2)) {
        let (want_a, want_b) = (expected_answer(&policy, a), expected_answer(&policy, b));
        // The test's own premise: this field changes the in-process verdict.
        assert_ne!(
            want_a, want_b,
            "`{field}` should matter for the sample policy"
        );
        assert_eq!(answers[0], want_a, "`{field}`: answer for {a}");
        assert_eq!(answers[1], want_b, "`{field}`: answer for {b}");
    }
}

#[test]
fn verdicts_have_every_contract_field() {
    let outputs = run_sample(LINKS);
    let inputs: Vec<&str> = LINKS.lines().collect();
    assert_eq!(outputs.len(), inputs.len());
    for (input, output) in inputs.iter().zip(&outputs) {
        assert_verdict_shape(&parse(output), input);
    }

    // Spot checks of what the fields mean, on lines of links.txt.
    let answer = |link: &str| -> Value {
        let i = inputs
            .iter()
            .position(|l| *l == link)
            .unwrap_or_else(|| panic!("{link} is in links.txt"));
        parse(&outputs[i])
    };
    let v = answer("https://www.jd.com./promo/1");
    assert_eq!(v["url"], "https://www.jd.com/promo/1");
    assert_eq!(v["host"], "www.jd.com");
    assert_eq!(v["registrable_domain"], "jd.com");
    assert_eq!(v["platform"], "jd");

    let v = answer("https://c.duomai.com/track.php?site_id=242986&euid=&t=https://shouji.jd.com/");
    assert_eq!(v["host"], "c.duomai.com");
    assert_eq!(v["destination"], "https://shouji.jd.com/");
    assert!(
        v["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["kind"] == "redirect" && r["to"] == "https://shouji.jd.com/"),
        "a redirect reason naming the next hop: {v}"
    );

    let v = answer(
        "https://www.zhihu.com/question/19550225?utm_source=wechat_session&utm_medium=social&spm=a2c4e.11153940&from=timeline",
    );
    assert_eq!(
        v["clean_url"],
        "https://www.zhihu.com/question/19550225?from=timeline"
    );

    let v = answer("https://dl.cheap-loan.example/app/kuaidai_v2.apk");
    assert_eq!(
        v["shadow"],
        serde_json::json!([{"rule": "malware-0001", "action": "block"}])
    );
    assert_ne!(v["action"], "block", "a shadow rule never decides");

    let v = answer("https://fake-jd-refund.example/refund?order=20211101");
    assert_eq!(v["action"], "block");
    assert_eq!(v["hard"], true);
    assert_eq!(
        v["reasons"][0],
        serde_json::json!({"kind": "rule", "rule": "fraud-0001", "category": "fraud"})
    );
    assert_eq!(v["shadow"], serde_json::json!([]));

    let v = answer("https://cheap-iphone-sale.example/iphone13");
    assert!(
        v["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["kind"] == "complaints" && r["category"] == "fraud" && r["count"] == 57),
        "a complaints reason with category and count: {v}"
    );

    let v = answer("javascript:alert(1)");
    assert_eq!(v["action"], "block");
    assert_eq!(v["hard"], true);
    assert_eq!(v["reasons"][0]["kind"], "unsafe_scheme");
}

#[test]
fn unreadable_lines_get_an_error_and_the_rest_is_answered() {
    let policy = sample_policy();
    // (input line, readable)
    let lines: [(&[u8], bool); 15] = [
        (b"https://item.jd.com/1.html", true),
        // A group of unknown size: guessing would skip `min_members` rules.
        (br#"{"link": "https://item.jd.com/1.html", "chat": "group"}"#, false),
        (b"{not json", false),
        (b"https://m.tb.cn/h.fxyz", true),
        (br#"{"link": 1}"#, false),
        (br#"{"link":"x","bogus":1}"#, false),
        (br#"{"chat": "group", "members": 3}"#, false),
        (
            br#"{"link": "https://item.jd.com/1.html", "chat": "channel"}"#,
            false,
        ),
        (
            br#"{"link": "https://item.jd.com/1.html", "members": -1}"#,
            false,
        ),
        (
            br#"{"link": "https://item.jd.com/1.html", "prefs": {"trusted": ["not a domain"]}}"#,
            false,
        ),
        (
            br#"{"link": "https://item.jd.com/1.html", "prefs": {"mode": "sometimes"}}"#,
            false,
        ),
        (b"\xff\xfe not UTF-8", false),
        (
            br#"{"link": "https://github.com/", "chat": "group", "members": 40, "user": "u-000002", "client_version": "8.0.16"}"#,
            true,
        ),
        // Not a URL at all: still a verdict (blocked, `invalid`), not an error line.
        (b"http://[::1", true),
        (b"https://www.12377.cn/", true),
    ];
    let mut input = Vec::new();
    for (line, _) in &lines {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let out = run(&[] as &[&str], &input);
    assert_success(&out);
    let outputs = stdout_lines(&out);
    assert_eq!(outputs.len(), lines.len(), "one output line per input line");
    for ((line, readable), output) in lines.iter().zip(&outputs) {
        let shown = String::from_utf8_lossy(line);
        if *readable {
            let text = std::str::from_utf8(line).expect("readable lines are UTF-8");
            assert_eq!(
                *output,
                expected_answer(&policy, text),
                "answer for {shown:?}"
            );
        } else {
            assert_error_line(output, &shown);
        }
    }
    let invalid = parse(&outputs[13]);
    assert_eq!(invalid["action"], "block");
    assert_eq!(invalid["reasons"][0]["kind"], "invalid");
}

#[test]
fn blank_and_crlf_lines_keep_answers_aligned() {
    let policy = sample_policy();
    let out = run(
        &[] as &[&str],
        b"https://item.jd.com/1.html\r\n\r\n   \nhttps://m.tb.cn/h.fxyz\r\n",
    );
    assert_success(&out);
    let outputs = stdout_lines(&out);
    assert_eq!(
        outputs.len(),
        4,
        "one output line per input line: {outputs:?}"
    );
    assert_eq!(
        outputs[0],
        expected_answer(&policy, "https://item.jd.com/1.html")
    );
    // A blank line is answered with one line (an error or a verdict), keeping the order.
    for blank in &outputs[1..3] {
        assert!(parse(blank).is_object(), "{blank}");
    }
    assert_eq!(
        outputs[3],
        expected_answer(&policy, "https://m.tb.cn/h.fxyz")
    );
}

#[test]
fn policy_file_is_toml_by_default() {
    let path = fixture("policy.toml");
    let text = std::fs::read_to_string(&path).expect("the TOML fixture");
    let policy = Policy::from_toml_str(&text).expect("the TOML fixture loads");
    let input = "https://ok.example/\nhttps://item.jd.com/1.html\n";
    let out = run(&[&path], input.as_bytes());
    assert_success(&out);
    let outputs = stdout_lines(&out);
    assert_eq!(outputs.len(), 2);
    for (line, output) in input.lines().zip(&outputs) {
        assert_eq!(*output, expected_answer(&policy, line), "answer for {line}");
    }
    // The file's policy decided, not the sample.
    let ok = parse(&outputs[0]);
    assert_eq!(ok["action"], "allow");
    assert_eq!(ok["reasons"][0]["rule"], "toml-allow-0001");
    let jd = parse(&outputs[1]);
    assert_eq!(jd["action"], "block", "the fixture's one-to-one default");
    assert_eq!(jd["platform"], Value::Null, "the fixture has no platforms");
}

#[test]
fn policy_file_is_json_when_named_json() {
    let path = fixture("policy.json");
    let text = std::fs::read_to_string(&path).expect("the JSON fixture");
    let policy = Policy::from_json_str(&text).expect("the JSON fixture loads");
    let input = "https://www.bad.example/x\nhttps://item.jd.com/1.html\n\
                 {\"link\": \"https://github.com/\", \"chat\": \"group\", \"members\": 5}\n";
    let out = run(&[&path], input.as_bytes());
    assert_success(&out);
    let outputs = stdout_lines(&out);
    assert_eq!(outputs.len(), 3);
    for (line, output) in input.lines().zip(&outputs) {
        assert_eq!(*output, expected_answer(&policy, line), "answer for {line}");
    }
    let bad = parse(&outputs[0]);
    assert_eq!(bad["action"], "block");
    assert_eq!(bad["hard"], true);
    assert_eq!(bad["reasons"][0]["rule"], "json-block-0001");
    assert_eq!(parse(&outputs[1])["action"], "allow");
    assert_eq!(
        parse(&outputs[2])["action"],
        "warn",
        "the fixture's group default"
    );
}

/// Runs the example with a policy that must not load and returns its standard error.
fn run_bad_policy(path: &Path) -> String {
    let out = run(
        &[path],
        b"https://item.jd.com/1.html\nhttps://ok.example/\n",
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit status 2 for {}; stderr:\n{stderr}",
        path.display()
    );
    assert!(
        out.stdout.is_empty(),
        "nothing on standard output for {}, got:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

#[test]
fn policy_that_does_not_load_exits_2_naming_rule_and_field() {
    for name in ["bad-acton.toml", "bad-acton.json"] {
        let stderr = run_bad_policy(&fixture(name));
        assert!(
            stderr.contains("fraud-0001"),
            "{name}: stderr names the rule: {stderr}"
        );
        assert!(
            stderr.contains("acton"),
            "{name}: stderr names the field: {stderr}"
        );
    }

    // Every problem is reported, each with its rule and field; the good rule is not.
    let stderr = run_bad_policy(&fixture("bad-domain.toml"));
    for rule in ["bad-domain-0001", "bad-domain-0002"] {
        let line = stderr
            .lines()
            .find(|l| l.contains(rule))
            .unwrap_or_else(|| panic!("stderr names {rule}: {stderr}"));
        assert!(
            line.contains("domain"),
            "{rule}: the field is named: {line}"
        );
    }
    assert!(!stderr.contains("good-0001"), "{stderr}");
}

#[test]
fn missing_policy_file_exits_2() {
    let path = fixture("no-such-policy.toml");
    let stderr = run_bad_policy(&path);
    assert!(
        stderr.contains("no-such-policy.toml"),
        "stderr names the file: {stderr}"
    );
}

#[test]
fn empty_input_gives_empty_output() {
    let out = run(&[] as &[&str], b"");
    assert_success(&out);
    assert!(
        out.stdout.is_empty(),
        "no output for no input, got:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = run(&[fixture("policy.json")], b"");
    assert_success(&out);
    assert!(out.stdout.is_empty());
}

/// Contract section 8: `display_text` naming another domain than the link's gives a
/// `masked_link` reason with the domain it `shown`.
#[test]
fn display_text_naming_another_domain_is_a_masked_link() {
    let out = run_sample(
        r#"{"link": "https://evil.example/login", "display_text": "https://www.jd.com/"}"#,
    );
    assert_eq!(out.len(), 1);
    let v = parse(&out[0]);
    assert_verdict_shape(&v, "masked link");
    assert_ne!(v["action"], "allow", "{v}");
    assert!(
        v["reasons"].as_array().expect("reasons").iter().any(|r| {
            r["kind"] == "masked_link" && r["shown"].as_str().is_some_and(|s| s.ends_with("jd.com"))
        }),
        "a masked_link reason showing jd.com: {v}"
    );
}

/// Contract section 8: with `--messages`, each line is a chat message and each
/// answer lists its links with byte offsets and verdicts.
#[test]
fn messages_mode_lists_links_with_byte_offsets() {
    let policy = sample_policy();
    let message = "看看这个 https://item.jd.com/1.html 和 www.taobao.com";
    let input = format!(
        "{message}\nno links here\n{}\n",
        serde_json::json!({"text": message, "chat": "group", "members": 40})
    );
    let out = run(&["--messages"], input.as_bytes());
    assert_success(&out);
    let outputs = stdout_lines(&out);
    assert_eq!(outputs.len(), 3, "one output line per message");

    let contexts = [Context::one_to_one(), Context::group(40)];
    for (output, ctx) in [&outputs[0], &outputs[2]].into_iter().zip(&contexts) {
        let v = parse(output);
        let links = v["links"].as_array().expect("`links` is an array");
        let texts: Vec<&str> = links.iter().filter_map(|l| l["text"].as_str()).collect();
        assert_eq!(
            texts,
            ["https://item.jd.com/1.html", "www.taobao.com"],
            "{v}"
        );
        let mut previous_end = 0;
        for link in links {
            let start = usize::try_from(link["start"].as_u64().expect("start")).expect("usize");
            let end = usize::try_from(link["end"].as_u64().expect("end")).expect("usize");
            let text = link["text"].as_str().expect("text");
            assert_eq!(
                message.get(start..end),
                Some(text),
                "byte offsets of {text}"
            );
            assert!(start >= previous_end, "links in order of appearance");
            previous_end = end;
            assert_verdict_shape(&link["verdict"], text);
            assert_eq!(
                link["verdict"],
                parse(&policy.classify(text, ctx).to_json()),
                "verdict of {text}"
            );
        }
    }
    assert_eq!(parse(&outputs[1]), serde_json::json!({"links": []}));
}

#[test]
fn feeds_policy_reads_its_lists_and_names_list_and_line() {
    let policy = manifest_dir().join("policies/feeds.toml");
    let out = run(
        &[policy.as_os_str()],
        b"https://0001interac.com/login\nhttp://0-google.com/\nhttps://item.jd.com/1.html\n",
    );
    assert_success(&out);
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 3);
    let reason = |i: usize| parse(&lines[i])["reasons"][0].clone();
    assert_eq!(reason(0)["rule"], "phishing-feed:20");
    assert_eq!(reason(0)["category"], "phishing");
    assert_eq!(reason(1)["rule"], "scam-feed:14");
    assert_eq!(parse(&lines[2])["action"], "allow");
    // The lists have no unusable lines: nothing on standard error.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
