//! The command-line tool as a black box: every subcommand's exit status and
//! output, every lint with a finding and a clean case, and `diff` against
//! classifying under both policies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice,
    missing_docs,
    reason = "tests fail by panicking"
)]

mod common;

use std::collections::BTreeMap;

use common::{generated_links, links_txt, run, temp_dir, write};
use linkpolicy::{
    Action, Context, MessageRequest, Policy, PolicyBuilder, Request, SAMPLE_POLICY, Stats,
};
use serde_json::Value;

fn sample() -> Policy {
    Policy::from_toml_str(SAMPLE_POLICY).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// --- help ---------------------------------------------------------------------

#[test]
fn every_subcommand_has_help() {
    let top = run(&["--help"], "");
    assert_eq!(top.code, 0, "{}", top.stderr);
    for cmd in [
        "classify", "check", "test", "diff", "explain", "stats", "compile",
    ] {
        assert!(top.stdout.contains(cmd), "`{cmd}` in the top help");
        let r = run(&[cmd, "--help"], "");
        assert_eq!(r.code, 0, "{cmd} --help: {}", r.stderr);
        assert!(
            r.stdout.contains("Usage: linkpolicy"),
            "{cmd}: {}",
            r.stdout
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["classify", "--format", "yaml"], "").code, 2);
    assert_eq!(run(&["frobnicate"], "").code, 2);
    assert_eq!(run(&["diff", "policies/sample.toml"], "").code, 2);
}

// --- classify -----------------------------------------------------------------

#[test]
fn classify_json_is_the_example_programs_output() {
    let input = links_txt();
    let r = run(&["classify"], &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let policy = sample();
    let want: Vec<String> = input.lines().map(|l| Request::answer(&policy, l)).collect();
    let got: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(got, want);
    // And the library's loop, byte for byte.
    let mut out = Vec::new();
    linkpolicy::classify_lines(&policy, input.as_bytes(), &mut out, false, false).unwrap();
    assert_eq!(r.stdout.as_bytes(), out.as_slice());
}

#[test]
fn classify_messages() {
    let input = "看这个 https://item.jd.com/1.html 和 jd.corn\n没有链接\n{\"text\": \"x\", \"link\": \"y\"}\n";
    let r = run(&["classify", "--messages"], input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let policy = sample();
    let want: Vec<String> = input
        .lines()
        .map(|l| MessageRequest::answer(&policy, l))
        .collect();
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), want);
    assert!(r.stdout.lines().nth(2).unwrap().starts_with(r#"{"error":"#));
}

#[test]
fn classify_text_has_a_row_per_link_and_a_summary() {
    let input = links_txt();
    let r = run(&["classify", "--format", "text"], &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("input"), "{}", lines[0]);
    assert!(
        lines[0].contains("action")
            && lines[0].contains("reason")
            && lines[0].contains("destination")
    );
    let n = input.lines().count();
    assert_eq!(lines.len(), 1 + n + 2, "header, rows, blank, summary");
    let policy = sample();
    let mut counts = [0; 3];
    for (line, row) in input.lines().zip(&lines[1..=n]) {
        let v = Request::parse(line).unwrap().classify(&policy);
        counts[v.action() as usize] += 1;
        // Columns by characters: the input is clipped to 48 of them.
        let action: String = row.chars().skip(50).take(6).collect();
        let action = action.trim_end();
        assert_eq!(action.trim_end_matches('!'), v.action().as_str(), "{row}");
        assert_eq!(action.ends_with('!'), v.is_hard(), "{row}");
        assert!(row.ends_with(v.destination().unwrap()), "{row}");
    }
    let summary = lines.last().unwrap();
    let want = format!(
        "{n} link(s): {} allow, {} warn, {} block",
        counts[0], counts[1], counts[2]
    );
    assert!(summary.starts_with(&want), "{summary} vs {want}");
}

#[test]
fn classify_under_the_feeds_policy_blocks_feed_links() {
    let r = run(&["classify", "policies/feeds.toml"], &links_txt());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let blocked_by_lists = r
        .stdout
        .lines()
        .map(json)
        .filter(|v| {
            v["action"] == "block"
                && v["reasons"][0]["rule"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("phishing-feed:") || r.starts_with("scam-feed:"))
        })
        .count();
    assert!(blocked_by_lists >= 3, "{blocked_by_lists}");
}

#[test]
fn classify_refuses_a_policy_that_does_not_load() {
    let dir = temp_dir("classify-bad");
    let p = write(
        &dir,
        "bad.toml",
        "version = 1\n[[rule]]\nid = \"r1\"\nacton = \"block\"\ndomain = \"x.example\"\n",
    );
    let r = run(&["classify", &p], "jd.com\n");
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("rule `r1`") && r.stderr.contains("acton"),
        "{}",
        r.stderr
    );
    let r = run(&["classify", &write(&dir, "p.yaml", "version: 1")], "");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown policy format"), "{}", r.stderr);
    let r = run(&["classify", "/nonexistent/policy.toml"], "");
    assert_eq!(r.code, 2);
}

#[test]
fn classify_reads_json_policies() {
    let dir = temp_dir("classify-json");
    let p = write(
        &dir,
        "p.json",
        r#"{"version": 1, "defaults": {"one_to_one": "allow"}}"#,
    );
    let r = run(&["classify", &p], "https://example.org/\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(r.stdout.trim())["action"], "allow");
}

// --- check --------------------------------------------------------------------

/// `check` on a policy text: exit status and output.
fn check(name: &str, text: &str, extra: &[&str]) -> common::Run {
    let dir = temp_dir(&format!("check-{name}"));
    std::fs::create_dir_all(dir.join("lists")).unwrap();
    write(
        &dir,
        "lists/feed.txt",
        "com.cn\nevil.com.cn\nlogin.bad.example\n",
    );
    let p = write(&dir, "p.toml", text);
    let mut args = vec!["check", p.as_str()];
    args.extend_from_slice(extra);
    run(&args, "")
}

/// The lint kinds `check --format json` finds.
fn lint_kinds(text: &str) -> Vec<String> {
    let r = check("kinds", text, &["--format", "json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v = json(r.stdout.trim());
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_owned())
        .collect()
}

const CLEAN: &str = r#"
version = 1
[tiers.A]
one_to_one = "allow"
[[platform]]
id = "jd"
domains = ["jd.com"]
tier = "A"
"#;

#[test]
fn check_a_clean_policy() {
    let r = check("clean", CLEAN, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("loads") && r.stdout.contains("0 warning(s)"),
        "{}",
        r.stdout
    );
    assert_eq!(check("clean-deny", CLEAN, &["--deny-warnings"]).code, 0);
    assert!(lint_kinds(CLEAN).is_empty());
}

#[test]
fn check_the_sample_warns_of_gov_cn() {
    let r = run(&["check", "policies/sample.toml"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("`gov.cn`") && r.stdout.contains("protected_public_suffix"),
        "{}",
        r.stdout
    );
    assert_eq!(
        run(&["check", "policies/sample.toml", "--deny-warnings"], "").code,
        1
    );
    // Without an argument: the sample too.
    assert_eq!(run(&["check", "--deny-warnings"], "").code, 1);
}

#[test]
fn check_reports_every_shape_error_at_once() {
    let text = r#"
version = 1
[defaults]
one_to_one = "alow"
[[rule]]
id = "a"
acton = "block"
domain = "a.example"
[[rule]]
id = "fine"
action = "block"
domain = "fine.example"
[[rule]]
id = "b"
action = "blok"
domain = "b.example"
[[test]]
link = "https://a.example/"
expect = "block"
bogus = 1
"#;
    let r = check("shape", text, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("4 problem(s)"), "{}", r.stdout);
    for needle in [
        "`alow`",
        "rule `a` (#0)",
        "`acton`",
        "rule `b` (#2)",
        "`blok`",
        "test (#0)",
        "`bogus`",
        "line 4",
        "line 15",
    ] {
        assert!(r.stdout.contains(needle), "{needle} in {}", r.stdout);
    }
    // JSON too.
    let dir = temp_dir("shape-json");
    let p = write(
        &dir,
        "p.json",
        r#"{"version": 1, "rule": [{"id": "a", "acton": "block", "domain": "a.example"}, {"id": "b", "action": "blok", "domain": "b.example"}]}"#,
    );
    let r = run(&["check", &p], "");
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("2 problem(s)")
            && r.stdout.contains("`acton`")
            && r.stdout.contains("`blok`"),
        "{}",
        r.stdout
    );
    // Build errors: all at once as well.
    let r = check(
        "build",
        "version = 1\n[[platform]]\nid = \"p\"\ndomains = [\"a b\"]\ntier = \"Z\"\n",
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("2 problem(s)"), "{}", r.stdout);
}

#[test]
fn lint_shadowed_by_hard_block() {
    let policy = |hard_extra: &str, other: &str| {
        format!(
            "version = 1\n[[rule]]\nid = \"evil\"\naction = \"block\"\nhard = true\ndomain = \"evil.example\"\n{hard_extra}\n[[rule]]\nid = \"other\"\naction = \"warn\"\n{other}\n"
        )
    };
    let positive = [
        policy("", "host = \"login.evil.example\""),
        policy("", "domain = \"a.b.evil.example\""),
        policy("", "url_prefix = \"https://pay.evil.example/x\""),
        policy(
            "chats = [\"one_to_one\", \"group\"]",
            "domain = \"evil.example\"\npriority = 10",
        ),
    ];
    for p in &positive {
        assert!(
            lint_kinds(p).contains(&"shadowed_by_hard_block".to_owned()),
            "{p}"
        );
        // Provably right: the rule never decides, in any context.
        let policy = Policy::from_toml_str(p).unwrap();
        for link in [
            "https://login.evil.example/",
            "https://a.b.evil.example/x",
            "https://pay.evil.example/x/y",
            "https://evil.example/",
        ] {
            for ctx in [
                Context::one_to_one(),
                Context::group(3),
                Context::group(5000).with_user("u"),
            ] {
                let v = policy.classify(link, &ctx);
                assert!(v.rule_ids().all(|r| r.as_str() != "other"), "{link}: {v:?}");
            }
        }
    }
    let negative = [
        // Not under the hard block's domain.
        policy("", "host = \"evil.example.com\""),
        // The hard block applies only in groups, or only to some users.
        policy("chats = [\"group\"]", "host = \"login.evil.example\""),
        policy("min_members = 10", "host = \"login.evil.example\""),
        policy(
            "rollout = { percent = 50, salt = \"s\" }",
            "host = \"login.evil.example\"",
        ),
        policy("shadow = true", "host = \"login.evil.example\""),
        // A regex can match anything.
        policy("", "regex = \"evil\""),
    ];
    for p in &negative {
        assert!(
            !lint_kinds(p).contains(&"shadowed_by_hard_block".to_owned()),
            "{p}"
        );
    }
    // And the negative cases can decide.
    let p = Policy::from_toml_str(&negative[1]).unwrap();
    let v = p.classify("https://login.evil.example/", &Context::one_to_one());
    assert_eq!(v.rule_ids().next().unwrap().as_str(), "other");
}

#[test]
fn lint_duplicate() {
    let dup = "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"Dup.Example.\"\n[[rule]]\nid = \"b\"\naction = \"warn\"\ndomain = \"dup.example\"\n";
    assert_eq!(lint_kinds(dup), ["duplicate"]);
    let r = check("dup-text", dup, &[]);
    assert!(
        r.stdout
            .contains("rule `b`: has the same matcher (domain = `dup.example`) as rule `a`"),
        "{}",
        r.stdout
    );
    let distinct = dup.replace("domain = \"dup.example\"", "host = \"dup.example\"");
    assert!(lint_kinds(&distinct).is_empty());
    // Across a rule and a list.
    let listed = "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\ndomain = \"login.bad.example\"\n[[list]]\nid = \"feed\"\nformat = \"domains\"\naction = \"block\"\npath = \"lists/feed.txt\"\n";
    let kinds = lint_kinds(listed);
    assert!(kinds.contains(&"duplicate".to_owned()), "{kinds:?}");
}

#[test]
fn lint_no_context() {
    for p in [
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\nchats = [\"one_to_one\"]\nmin_members = 5\ndomain = \"a.example\"\n",
        "version = 1\n[[list]]\nid = \"feed\"\nformat = \"domains\"\naction = \"block\"\nchats = [\"one_to_one\"]\nmin_members = 2\npath = \"lists/feed.txt\"\n",
    ] {
        assert!(lint_kinds(p).contains(&"no_context".to_owned()), "{p}");
        // Provably: it decides nothing in any context.
        let mut b = PolicyBuilder::from_toml_str(p).unwrap();
        b.list_text("feed", "com.cn\nevil.com.cn\n");
        let policy = b.build().unwrap();
        for ctx in [
            Context::one_to_one(),
            Context::group(5),
            Context::group(1_000_000),
        ] {
            for link in ["https://a.example/", "https://evil.com.cn/"] {
                assert_eq!(policy.classify(link, &ctx).rule_ids().count(), 0);
            }
        }
    }
    for p in [
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\nchats = [\"group\"]\nmin_members = 5\ndomain = \"a.example\"\n",
        "version = 1\n[[rule]]\nid = \"a\"\naction = \"block\"\nmin_members = 5\ndomain = \"a.example\"\n",
    ] {
        assert!(lint_kinds(p).is_empty(), "{p}");
    }
}

#[test]
fn lint_unused_tier() {
    let p = format!("{CLEAN}\n[tiers.B]\ngroup = \"warn\"\n");
    assert_eq!(lint_kinds(&p), ["unused_tier"]);
    let r = check("tier", &p, &["--deny-warnings"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("tier `B`"), "{}", r.stdout);
    assert!(lint_kinds(CLEAN).is_empty());
}

#[test]
fn lint_protected_public_suffix() {
    let p = "version = 1\n[lookalike]\nprotect = [\"gov.cn\", \"icbc.com.cn\"]\n";
    assert_eq!(lint_kinds(p), ["protected_public_suffix"]);
    let r = check("protect", p, &[]);
    assert!(
        r.stdout.contains("`gov.cn`") && !r.stdout.contains("`icbc.com.cn`"),
        "{}",
        r.stdout
    );
    assert!(lint_kinds("version = 1\n[lookalike]\nprotect = [\"icbc.com.cn\"]\n").is_empty());
}

#[test]
fn lint_list_public_suffix() {
    let p = "version = 1\n[[list]]\nid = \"feed\"\nformat = \"domains\"\naction = \"block\"\npath = \"lists/feed.txt\"\n";
    assert_eq!(lint_kinds(p), ["list_public_suffix"]);
    let r = check("list-suffix", p, &[]);
    assert!(
        r.stdout.contains("list entry `feed:1`") && r.stdout.contains("`com.cn`"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("feed:2"),
        "evil.com.cn is a registrable domain: {}",
        r.stdout
    );
}

// --- test ---------------------------------------------------------------------

#[test]
fn test_the_example_policies() {
    for p in ["policies/sample.toml", "policies/feeds.toml"] {
        let r = run(&["test", p], "");
        assert_eq!(r.code, 0, "{p}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.contains(" 0 failed"), "{}", r.stdout);
        assert!(
            r.stdout
                .contains("coverage: every rule, list, platform, tier and phase reached"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("FAIL"));
    }
}

#[test]
fn test_failures_and_coverage() {
    let dir = temp_dir("test-fail");
    let p = write(
        &dir,
        "p.toml",
        r#"
version = 1
[defaults]
one_to_one = "warn"
[[rule]]
id = "evil"
action = "block"
domain = "evil.example"
[[rule]]
id = "never"
action = "warn"
domain = "never.example"
[tiers.A]
one_to_one = "allow"
[[platform]]
id = "jd"
domains = ["jd.com"]
tier = "A"
[[test]]
name = "evil is blocked"
link = "https://evil.example/"
expect = "block"
rule = "evil"
[[test]]
name = "wrongly expected"
link = "https://evil.example/"
chat = "group"
members = 3
expect = "allow"
reason = "platform"
"#,
    );
    let r = run(&["test", &p], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("pass  evil is blocked: block (rule evil)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("FAIL  wrongly expected: got block (rule evil)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("expected `allow`, got `block`"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("expected a reason `platform`, got `rule`"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("2 test(s): 1 passed, 1 failed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("rules (1): never"), "{}", r.stdout);
    assert!(
        r.stdout.contains("platforms (1): jd") && r.stdout.contains("tiers (1): A"),
        "{}",
        r.stdout
    );

    let r = run(&["test", &p, "--format", "json"], "");
    assert_eq!(r.code, 1);
    let v = json(r.stdout.trim());
    assert_eq!(
        (v["passed"].as_u64(), v["failed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["tests"][1]["passed"], false);
    assert_eq!(v["tests"][1]["verdict"]["action"], "block");
    assert_eq!(v["not_reached"]["rules"], serde_json::json!(["never"]));
}

#[test]
fn test_cases_are_checked_when_loading() {
    let dir = temp_dir("test-load");
    for (text, needle) in [
        (
            "version = 1\n[[test]]\nlink = \"x\"\nexpect = \"blok\"\n",
            "`blok`",
        ),
        (
            "version = 1\n[[test]]\nlink = \"x\"\nexpect = \"block\"\nreason = \"platfrom\"\n",
            "unknown reason kind `platfrom`",
        ),
        (
            "version = 1\n[[test]]\nlink = \"x\"\nexpect = \"block\"\nrule = \"nope\"\n",
            "no rule `nope`",
        ),
        (
            "version = 1\n[[test]]\nlink = \"x\"\nexpect = \"block\"\nchat = \"group\"\n",
            "needs `members`",
        ),
        (
            "version = 1\n[[test]]\nexpect = \"block\"\n",
            "missing field `link`",
        ),
    ] {
        let p = write(&dir, "p.toml", text);
        let r = run(&["test", &p], "");
        assert_eq!(r.code, 2, "{text}");
        assert!(
            r.stderr.contains(needle) && r.stderr.contains("test"),
            "{needle}: {}",
            r.stderr
        );
    }
    // JSON policies carry tests too.
    let p = write(
        &dir,
        "p.json",
        r#"{"version": 1, "defaults": {"group": "warn"},
        "test": [{"link": "https://example.org/", "chat": "group", "members": 9, "expect": "warn", "reason": "default"}]}"#,
    );
    let r = run(&["test", &p], "");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 test(s): 1 passed, 0 failed"),
        "{}",
        r.stdout
    );
}

#[test]
fn tests_do_not_change_verdicts_or_revision() {
    let with = Policy::from_toml_str(SAMPLE_POLICY).unwrap();
    let end = SAMPLE_POLICY.find("# --- Tests").unwrap();
    let without = Policy::from_toml_str(&SAMPLE_POLICY[..end]).unwrap();
    assert!(!with.tests().is_empty() && without.tests().is_empty());
    assert_eq!(with.revision(), without.revision());
    for line in generated_links(500) {
        let (link, ctx) = Request::parse(&line).unwrap().into_parts();
        assert_eq!(
            with.classify(&link, &ctx),
            without.classify(&link, &ctx),
            "{link}"
        );
    }
}

// --- diff ---------------------------------------------------------------------

/// The sample policy with changes an operator would make: groups open, a
/// tier moved, a new rule.
fn changed_sample(dir: &std::path::Path) -> String {
    let end = SAMPLE_POLICY.find("# --- Tests").unwrap();
    let text = SAMPLE_POLICY[..end]
        .replace(
            "group = \"block\"          # group chats",
            "group = \"warn\"          # group chats",
        )
        .replace(
            "C = { one_to_one = \"warn\" }",
            "C = { one_to_one = \"block\", group = \"block\" }",
        )
        + "\n[[rule]]\nid = \"new-0001\"\naction = \"block\"\ndomain = \"github.com\"\n";
    write(dir, "new.toml", &text)
}

/// A diff's cells: (context, from, to, from reason, to reason) -> (count, example).
type Cells = BTreeMap<(String, String, String, String, String), (u64, String)>;

/// The diff, cell by cell, as classifying under both policies gives it.
fn reference_diff(old: &Policy, new: &Policy, lines: &[String], contexts: &[&str]) -> (u64, Cells) {
    let mut changed = 0;
    let mut cells = BTreeMap::new();
    for line in lines {
        let (link, ctx) = Request::parse(line).unwrap().into_parts();
        let chats: Vec<(String, Context)> = if contexts.is_empty() {
            let label = match ctx.members() {
                Some(n) => format!("group:{n}"),
                None => "one_to_one".to_owned(),
            };
            vec![(label, ctx.clone())]
        } else {
            contexts
                .iter()
                .map(|c| {
                    let dc: linkpolicy::DiffContext = c.parse().unwrap();
                    (c.to_string(), dc.apply(&ctx))
                })
                .collect()
        };
        for (label, ctx) in chats {
            let a = old.classify(&link, &ctx);
            let b = new.classify(&link, &ctx);
            if a.action() != b.action() {
                changed += 1;
                let key = (
                    label,
                    a.action().as_str().to_owned(),
                    b.action().as_str().to_owned(),
                    a.reason().unwrap().kind().to_owned(),
                    b.reason().unwrap().kind().to_owned(),
                );
                cells.entry(key).or_insert((0, link.clone())).0 += 1;
            }
        }
    }
    (changed, cells)
}

fn check_diff_agrees(n: usize, contexts: &[&str]) {
    let dir = temp_dir(&format!("diff-{n}-{}", contexts.len()));
    let new_path = changed_sample(&dir);
    let lines = generated_links(n);
    let input = lines.join("\n") + "\n";
    let mut args = vec![
        "diff",
        "policies/sample.toml",
        new_path.as_str(),
        "--format",
        "json",
    ];
    for c in contexts {
        args.extend(["--context", c]);
    }
    let r = run(&args, &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(r.stdout.trim());
    let old = sample();
    let new = {
        let text = std::fs::read_to_string(&new_path).unwrap();
        Policy::from_toml_str(&text).unwrap()
    };
    let (changed, cells) = reference_diff(&old, &new, &lines, contexts);
    assert_eq!(v["links"].as_u64(), Some(n as u64));
    let per_link = contexts.len().max(1) as u64;
    assert_eq!(v["compared"].as_u64(), Some(n as u64 * per_link));
    assert_eq!(v["changed"].as_u64(), Some(changed));
    assert!(changed > 0, "the change changes something");
    let got: BTreeMap<_, _> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_owned();
            (
                (
                    s("context"),
                    s("from"),
                    s("to"),
                    s("from_reason"),
                    s("to_reason"),
                ),
                (c["count"].as_u64().unwrap(), s("example")),
            )
        })
        .collect();
    assert_eq!(got, cells);
}

#[test]
fn diff_agrees_with_classifying_under_both() {
    check_diff_agrees(3_000, &[]);
    check_diff_agrees(2_000, &["one_to_one", "group:250"]);
}

/// The 100,000-link check of issue #17 (`cargo test --release -p
/// linkpolicy-cli -- --ignored`).
#[test]
#[ignore = "100,000 links: run with --release -- --ignored"]
fn diff_agrees_on_100_000_links() {
    check_diff_agrees(100_000, &["one_to_one", "group:250"]);
}

#[test]
fn diff_text_shows_a_matrix_per_context() {
    let dir = temp_dir("diff-text");
    let new_path = changed_sample(&dir);
    let r = run(
        &[
            "diff",
            "policies/sample.toml",
            &new_path,
            "--context",
            "group:30",
            "--context",
            "one_to_one",
        ],
        "https://example.org/\nhttps://github.com/\nhttps://www.smzdm.com/\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("one_to_one: old → new") && r.stdout.contains("group:30: old → new"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("block → warn") && r.stdout.contains("default → default"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("3 line(s), 6 comparison(s)"),
        "{}",
        r.stdout
    );
    // --exit-code: 1 when something changed, 0 when not.
    assert_eq!(run(&["diff", "policies/sample.toml", &new_path, "--exit-code"], "https://example.org/\n{\"link\": \"https://example.org/\", \"chat\": \"group\", \"members\": 5}\n").code, 1);
    assert_eq!(
        run(
            &[
                "diff",
                "policies/sample.toml",
                "policies/sample.toml",
                "--exit-code"
            ],
            "https://example.org/\n"
        )
        .code,
        0
    );
    // A context that is not one.
    let r = run(
        &[
            "diff",
            "policies/sample.toml",
            &new_path,
            "--context",
            "group",
        ],
        "",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("group:N"), "{}", r.stderr);
}

#[test]
fn diff_messages() {
    let dir = temp_dir("diff-messages");
    let new_path = changed_sample(&dir);
    let r = run(
        &[
            "diff",
            "policies/sample.toml",
            &new_path,
            "--messages",
            "--format",
            "json",
        ],
        "see https://github.com/x and jd.com\n{\"text\": \"群里 https://example.org/\", \"chat\": \"group\", \"members\": 9}\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(r.stdout.trim());
    assert_eq!(v["links"], 2);
    assert_eq!(v["compared"], 3);
    assert_eq!(v["changed"], 2, "{v}");
}

// --- explain ------------------------------------------------------------------

#[test]
fn explain_tells_every_step() {
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            "https://item.jd.com/1.html",
            "--chat",
            "group",
            "--members",
            "250",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "input: `https://item.jd.com/1.html`",
        "context: group of 250 members",
        "phase `groups-open-10pct`",
        "hop 1: normalized to `https://item.jd.com/1.html`",
        "registrable domain `jd.com`",
        "no rule matches",
        "platform `jd`, tier `A`: `warn` for this chat",
        "decided `warn` by platform `jd`'s tier `A`",
        "user's choices: none changed the action",
        "verdict: `warn`",
    ] {
        assert!(r.stdout.contains(needle), "{needle} in\n{}", r.stdout);
    }
}

#[test]
fn explain_candidates_wrappers_floors_and_choices() {
    // A wrapper to a hard-blocked site, and a rule that loses.
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            "https://link.zhihu.com/?target=https%3A//docs.qq.com/form/x",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("its next hop is `https://docs.qq.com/form/x`"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("hop 2: rule `phishing-0002`")
            && r.stdout.contains("wins: the most specific candidate"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("2 hops: the strictest decides"),
        "{}",
        r.stdout
    );

    let dir = temp_dir("explain");
    let p = write(
        &dir,
        "p.toml",
        "version = 1\n[[rule]]\nid = \"broad\"\naction = \"allow\"\ndomain = \"a.example\"\n[[rule]]\nid = \"narrow\"\naction = \"warn\"\nhost = \"x.a.example\"\n[[rule]]\nid = \"hard\"\naction = \"block\"\nhard = true\nregex = \"evil\"\n[[rule]]\nid = \"groups\"\naction = \"block\"\nchats = [\"group\"]\ndomain = \"a.example\"\n",
    );
    let r = run(&["explain", &p, "https://x.a.example/"], "");
    assert!(
        r.stdout
            .contains("rule `narrow` (host, `warn`) is a candidate and wins"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("rule `broad` (domain, 2 labels, `allow`) is a candidate and loses to `narrow`: less specific"), "{}", r.stdout);
    assert!(
        r.stdout.contains("rule `groups`") && r.stdout.contains("is no candidate"),
        "{}",
        r.stdout
    );
    let r = run(&["explain", &p, "https://x.a.example/evil"], "");
    assert!(
        r.stdout.contains("wins: a hard block decides first")
            && r.stdout.contains("loses to the hard block `hard`"),
        "{}",
        r.stdout
    );
    // The user's choices, from flags and from a JSON request.
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            "https://example.org/",
            "--mode",
            "block_external",
        ],
        "",
    );
    assert!(
        r.stdout.contains("the user's mode `block_external`: block"),
        "{}",
        r.stdout
    );
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            r#"{"link": "https://item.jd.com/1", "chat": "group", "members": 9, "prefs": {"trusted": ["jd.com"]}}"#,
        ],
        "",
    );
    assert!(r.stdout.contains("trusts every host"), "{}", r.stdout);
    // Both: refused.
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            r#"{"link": "x"}"#,
            "--user",
            "u",
        ],
        "",
    );
    assert_eq!(r.code, 2);
    // A context that is not one: the library's request error.
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            "jd.com",
            "--chat",
            "group",
        ],
        "",
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a group request needs `members`"),
        "{}",
        r.stderr
    );
    // JSON output.
    let r = run(
        &[
            "explain",
            "policies/sample.toml",
            "javascript:alert(1)",
            "--format",
            "json",
        ],
        "",
    );
    let v = json(r.stdout.trim());
    assert_eq!(v["verdict"]["action"], "block");
    assert!(
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.as_str().unwrap().contains("unsafe_scheme"))
    );
}

// --- stats --------------------------------------------------------------------

#[test]
fn stats_counts_as_the_library_does() {
    let lines = generated_links(2_000);
    let input = lines.join("\n") + "\n";
    let r = run(&["stats", "--format", "json"], &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(r.stdout.trim());
    let policy = sample();
    let mut want = Stats::new();
    for l in &lines {
        want.add(&Request::parse(l).unwrap().classify(&policy));
    }
    assert_eq!(v["links"].as_u64(), Some(want.total()));
    for a in [Action::Allow, Action::Warn, Action::Block] {
        assert_eq!(v["actions"][a.as_str()].as_u64(), Some(want.action(a)));
    }
    for (k, n) in want.reason_kinds() {
        assert_eq!(v["reason_kinds"][k].as_u64(), Some(*n), "{k}");
    }
    for (k, n) in want.rules() {
        assert_eq!(v["rules"][k].as_u64(), Some(*n), "{k}");
    }
    assert!(
        !want.shadow().is_empty(),
        "the .apk links meet the shadow rule"
    );
    let shadow = v["shadow"].as_array().unwrap();
    assert_eq!(shadow[0]["rule"], "malware-0001");
    assert_eq!(shadow[0]["action"], "block");
}

#[test]
fn stats_text_and_lists() {
    let r = run(&["stats", "policies/feeds.toml"], &links_txt());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "by action:",
        "by deciding reason:",
        "by rule:",
        "by list:",
        "phishing-feed",
        "scam-feed",
        "shadow rules (would have):",
        "malware-0001",
    ] {
        assert!(r.stdout.contains(needle), "{needle} in {}", r.stdout);
    }
    let r = run(
        &["stats", "--messages"],
        "see jd.com and https://evil.example/\n",
    );
    assert!(r.stdout.starts_with("2 link(s)"), "{}", r.stdout);
}

#[test]
fn policy_builder_lints_are_the_library_api() {
    let b = PolicyBuilder::from_toml_str(SAMPLE_POLICY).unwrap();
    let lints = b.lints();
    assert_eq!(lints.len(), 1);
    assert_eq!(lints[0].kind, linkpolicy::LintKind::ProtectedPublicSuffix);
}

/// The cost of `diff` against its baseline, classifying every link under both
/// policies in every chat, on one thread; then `diff` on every core. Prints
/// the figures (`cargo test --release -p linkpolicy-cli -- --ignored --nocapture
/// diff_costs`).
#[test]
#[ignore = "a timing: run with --release -- --ignored --nocapture"]
fn diff_costs_no_more_than_classifying_under_both() {
    use std::time::Instant;
    let n: usize = std::env::var("DIFF_LINKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = temp_dir("diff-cost");
    let old = sample();
    let new =
        Policy::from_toml_str(&std::fs::read_to_string(changed_sample(&dir)).unwrap()).unwrap();
    let links: Vec<(String, Context)> = generated_links(n)
        .iter()
        .map(|l| Request::parse(l).unwrap().into_parts())
        .collect();
    let contexts = [
        linkpolicy::DiffContext::OneToOne,
        linkpolicy::DiffContext::Group(250),
    ];

    let t = Instant::now();
    let mut changed = 0u64;
    for (link, ctx) in &links {
        for dc in contexts {
            let ctx = dc.apply(ctx);
            let a = old.classify(link, &ctx);
            let b = new.classify(link, &ctx);
            changed += u64::from(a.action() != b.action());
        }
    }
    let baseline = t.elapsed();

    let t = Instant::now();
    let one = linkpolicy::Diff::run(&old, &new, &links, &contexts, 1);
    let single = t.elapsed();
    let t = Instant::now();
    let all = linkpolicy::Diff::run(&old, &new, &links, &contexts, 0);
    let parallel = t.elapsed();
    assert_eq!(one, all);
    assert_eq!(one.changed(), changed);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "{n} links x 2 contexts: classify under both {:.2} s; diff on 1 thread {:.2} s ({:.2}x); diff on {cores} cores {:.2} s; {changed} changed",
        baseline.as_secs_f64(),
        single.as_secs_f64(),
        single.as_secs_f64() / baseline.as_secs_f64(),
        parallel.as_secs_f64()
    );
    assert!(
        single.as_secs_f64() <= baseline.as_secs_f64() * 1.25,
        "diff costs more than classifying under both"
    );
}

// --- compile and snapshots ----------------------------------------------------

/// The sample policy's `[[complaint]]` rows, as the host app would pass them.
fn sample_complaints() -> Vec<linkpolicy::Complaint> {
    let v: toml::Value = toml::from_str(SAMPLE_POLICY).unwrap();
    v.get("complaint")
        .and_then(toml::Value::as_array)
        .unwrap()
        .iter()
        .map(|row| {
            linkpolicy::Complaint::new(
                row["domain"].as_str().unwrap(),
                row["category"].as_str().unwrap().parse().unwrap(),
                u64::try_from(row["count"].as_integer().unwrap()).unwrap(),
            )
        })
        .collect()
}

/// `compile` writes a snapshot that every command taking a policy loads, with the
/// verdicts of the policy text (complaint counts aside, which a snapshot leaves
/// out and `compile` says so).
#[test]
fn compile_writes_a_snapshot_every_command_loads() {
    let dir = temp_dir("compile");
    let snap = dir.join("sample.lpsnap");
    let snap = snap.to_str().unwrap();
    let r = run(&["compile", "policies/sample.toml", "-o", snap], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(snap).unwrap();
    assert!(linkpolicy::snapshot::is_snapshot(&bytes));
    let loaded = Policy::from_snapshot(bytes).unwrap();
    assert_eq!(loaded.revision(), sample().revision());
    assert!(
        r.stdout.contains(&format!("{:016x}", sample().revision())),
        "{}",
        r.stdout
    );

    // classify: the lines of the text, but where complaint counts decided (a
    // snapshot leaves them out; `compile` said so).
    assert!(r.stderr.contains("complaint counts"), "{}", r.stderr);
    let links = links_txt();
    let from_text = run(&["classify", "policies/sample.toml"], &links);
    let from_snap = run(&["classify", snap], &links);
    assert_eq!(from_snap.code, 0, "{}", from_snap.stderr);
    let (text_lines, snap_lines): (Vec<_>, Vec<_>) = (
        from_text.stdout.lines().collect(),
        from_snap.stdout.lines().collect(),
    );
    assert_eq!(text_lines.len(), snap_lines.len());
    let mut same = 0;
    for (t, s) in text_lines.iter().zip(&snap_lines) {
        if !t.contains(r#""kind":"complaints""#) {
            assert_eq!(s, t);
            same += 1;
        }
    }
    assert!(
        same + 5 >= text_lines.len(),
        "{same} of {}",
        text_lines.len()
    );
    let with_counts = loaded.with_complaints(sample_complaints()).unwrap();
    for line in links.lines().filter(|l| !l.starts_with('{')) {
        assert_eq!(
            with_counts.classify(line, &Context::one_to_one()).to_json(),
            sample().classify(line, &Context::one_to_one()).to_json(),
            "{line}"
        );
    }

    // check: a snapshot loads; explain and stats take one too.
    let c = run(&["check", snap], "");
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(c.stdout.contains("loads"), "{}", c.stdout);
    let e = run(&["explain", snap, "https://item.jd.com/1.html"], "");
    assert_eq!(e.code, 0, "{}", e.stderr);
    let s = run(&["stats", snap], &links);
    assert_eq!(s.code, 0, "{}", s.stderr);

    // A damaged snapshot does not load: exit 2, for every command.
    let mut damaged = std::fs::read(snap).unwrap();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    let bad = dir.join("damaged.lpsnap");
    std::fs::write(&bad, &damaged).unwrap();
    let bad = bad.to_str().unwrap();
    for args in [
        vec!["classify", bad],
        vec!["check", bad],
        vec!["stats", bad],
    ] {
        let r = run(&args, "https://jd.com/\n");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains("does not load"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn compile_notes_complaints_left_out() {
    let dir = temp_dir("compile-complaints");
    let policy = write(
        &dir,
        "p.toml",
        r#"
version = 1
[complaints.thresholds]
fraud = { warn = 5, block = 10 }
[[complaint]]
domain = "evil.example"
category = "fraud"
count = 57
"#,
    );
    let snap = dir.join("p.lpsnap");
    let r = run(&["compile", &policy, "-o", snap.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("complaint counts of 1 domain"),
        "{}",
        r.stderr
    );
    // Without an output, or with an unloadable policy: exit 2.
    assert_eq!(run(&["compile", &policy], "").code, 2);
    let broken = write(&dir, "broken.toml", "version = 1\n[[rule]]\nid = \"r\"\n");
    assert_eq!(
        run(&["compile", &broken, "-o", snap.to_str().unwrap()], "").code,
        2
    );
}
