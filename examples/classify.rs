//! Classifies links read from standard input, one JSON verdict a line.
//!
//! ```text
//! cargo run --release --example classify -- [POLICY_FILE] < links.txt
//! ```
//!
//! `POLICY_FILE` is TOML, or JSON when its name ends in `.json`; without it the
//! crate's embedded sample policy is used. Each input line is a bare link (a
//! one-to-one chat) or a JSON object:
//!
//! ```json
//! {"link": "https://item.jd.com/1.html", "chat": "group", "members": 250, "user": "alice",
//!  "client_version": "8.0.16", "now": 1631836800,
//!  "prefs": {"mode": "default", "trusted": ["jd.com"], "blocked": []}}
//! ```
//!
//! A line that cannot be read gets `{"error": "..."}` and the program goes on. A
//! policy that does not load is reported on standard error, exit status 2.

use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use linkpolicy::{ChatKind, Context, Policy, Prefs, SAMPLE_POLICY};
use serde::Deserialize;

/// One JSON request line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    link: String,
    #[serde(default = "one_to_one")]
    chat: ChatKind,
    #[serde(default)]
    members: Option<u32>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    client_version: Option<String>,
    #[serde(default)]
    now: Option<i64>,
    #[serde(default)]
    prefs: Option<Prefs>,
    /// Read for the contract's format; masked-link checks are not in this release.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "accepted for the contract's input format; not used yet"
    )]
    display_text: Option<String>,
}

fn one_to_one() -> ChatKind {
    ChatKind::OneToOne
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let policy = match args.as_slice() {
        [] => Policy::from_toml_str(SAMPLE_POLICY),
        [flag] if flag.starts_with('-') => {
            eprintln!("usage: classify [POLICY_FILE] < LINKS");
            return ExitCode::from(2);
        }
        [path] => match std::fs::read_to_string(path) {
            Ok(text) if path.to_ascii_lowercase().ends_with(".json") => {
                Policy::from_json_str(&text)
            }
            Ok(text) => Policy::from_toml_str(&text),
            Err(e) => {
                eprintln!("cannot read policy `{path}`: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: classify [POLICY_FILE] < LINKS");
            return ExitCode::from(2);
        }
    };
    let policy = match policy {
        Ok(p) => p,
        Err(err) => {
            eprintln!("policy does not load: {} problem(s)", err.len());
            for e in err.errors() {
                eprintln!("error: {e}");
            }
            return ExitCode::from(2);
        }
    };

    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let answer = match line {
            Ok(line) => answer(&policy, &line),
            Err(e) => error_json(&format!("cannot read line: {e}")),
        };
        if writeln!(out, "{answer}").is_err() {
            return ExitCode::FAILURE;
        }
        if interactive && out.flush().is_err() {
            return ExitCode::FAILURE;
        }
    }
    if out.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The output line for one input line.
fn answer(policy: &Policy, line: &str) -> String {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return error_json("empty line");
    }
    if !trimmed.starts_with('{') {
        return policy.classify(trimmed, &Context::one_to_one()).to_json();
    }
    let req: Request = match serde_json::from_str(trimmed) {
        Ok(r) => r,
        Err(e) => return error_json(&format!("cannot read request: {e}")),
    };
    let mut ctx = match (req.chat, req.members) {
        (ChatKind::Group, Some(members)) => Context::group(members),
        // Guessing a size would silently skip `min_members` rules.
        (ChatKind::Group, None) => return error_json("a group request needs `members`"),
        _ => Context::one_to_one(),
    };
    if let Some(user) = req.user {
        ctx = ctx.user(user);
    }
    if let Some(v) = req.client_version {
        ctx = ctx.client_version(&v);
    }
    if let Some(now) = req.now {
        ctx = ctx.now(now);
    }
    if let Some(prefs) = req.prefs {
        ctx = ctx.prefs(prefs);
    }
    policy.classify(&req.link, &ctx).to_json()
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}
