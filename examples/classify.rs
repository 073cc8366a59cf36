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
//!
//! With `--messages`, each input line is a chat message instead of a link: plain
//! text (a one-to-one chat), or, when its first non-blank character is `{`, a JSON
//! object with `"text"` and the same context fields as above. Each output line
//! lists the message's links (`Policy::scan`), with byte offsets into the
//! message's UTF-8 text, in order of appearance:
//!
//! ```text
//! cargo run --release --example classify -- --messages [POLICY_FILE] < messages.txt
//! {"links":[{"start":9,"end":46,"text":"https://item.jd.com/100012043978.html","verdict":{...}}]}
//! ```

use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use std::path::Path;

use linkpolicy::{ChatKind, Context, FoundLink, Policy, PolicyBuilder, Prefs, SAMPLE_POLICY};
use serde::{Deserialize, Serialize};

/// One JSON request line: a link (`link`) or, with `--messages`, a message
/// (`text`), and the context it is shared in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    text: Option<String>,
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
    /// The text a rich-text message shows for the link (masked-link check).
    #[serde(default)]
    display_text: Option<String>,
}

impl Request {
    /// The context of the request.
    fn context(&mut self) -> Result<Context, &'static str> {
        let mut ctx = match (self.chat, self.members) {
            (ChatKind::Group, Some(members)) => Context::group(members),
            // Guessing a size would silently skip `min_members` rules.
            (ChatKind::Group, None) => return Err("a group request needs `members`"),
            _ => Context::one_to_one(),
        };
        if let Some(user) = self.user.take() {
            ctx = ctx.user(user);
        }
        if let Some(v) = &self.client_version {
            ctx = ctx.client_version(v);
        }
        if let Some(now) = self.now {
            ctx = ctx.now(now);
        }
        if let Some(prefs) = self.prefs.take() {
            ctx = ctx.prefs(prefs);
        }
        if let Some(text) = self.display_text.take() {
            ctx = ctx.display_text(text);
        }
        Ok(ctx)
    }
}

fn one_to_one() -> ChatKind {
    ChatKind::OneToOne
}

fn main() -> ExitCode {
    let mut messages = false;
    let mut args: Vec<String> = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--messages" {
            messages = true;
        } else if arg.starts_with('-') {
            eprintln!("usage: classify [--messages] [POLICY_FILE] < LINKS_OR_MESSAGES");
            return ExitCode::from(2);
        } else {
            args.push(arg);
        }
    }
    let policy = match args.as_slice() {
        [] => load(SAMPLE_POLICY, false, Path::new(".")),
        [path] => match std::fs::read_to_string(path) {
            Ok(text) => {
                let json = path.to_ascii_lowercase().ends_with(".json");
                let dir = Path::new(path).parent().unwrap_or(Path::new("."));
                load(&text, json, dir)
            }
            Err(e) => {
                eprintln!("cannot read policy `{path}`: {e}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: classify [--messages] [POLICY_FILE] < LINKS_OR_MESSAGES");
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
    let warnings = policy.warnings().count();
    if warnings > 0 {
        eprintln!("{warnings} list line(s) could not be used:");
        for w in policy.warnings().take(20) {
            eprintln!("warning: {w}");
        }
    }

    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let answer = match line {
            Ok(line) if messages => answer_message(&policy, &line),
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
    let mut req: Request = match serde_json::from_str(trimmed) {
        Ok(r) => r,
        Err(e) => return error_json(&format!("cannot read request: {e}")),
    };
    let (Some(link), None) = (req.link.take(), &req.text) else {
        return error_json("cannot read request: a link request has `link` and no `text`");
    };
    match req.context() {
        Ok(ctx) => policy.classify(&link, &ctx).to_json(),
        Err(e) => error_json(e),
    }
}

/// The output line for one input line with `--messages`: the message's links.
fn answer_message(policy: &Policy, line: &str) -> String {
    if !line.trim_start().starts_with('{') {
        return links_json(policy, line, &Context::one_to_one());
    }
    let mut req: Request = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => return error_json(&format!("cannot read message request: {e}")),
    };
    let (Some(text), None, None) = (req.text.take(), &req.link, &req.display_text) else {
        return error_json(
            "cannot read message request: a message request has `text`, and no `link` or `display_text`",
        );
    };
    match req.context() {
        Ok(ctx) => links_json(policy, &text, &ctx),
        Err(e) => error_json(e),
    }
}

/// `{"links": [...]}`: every link of the message, its byte span, text and verdict,
/// with the fields in the contract's order.
fn links_json(policy: &Policy, message: &str, ctx: &Context) -> String {
    #[derive(Serialize)]
    struct Links {
        links: Vec<FoundLink>,
    }
    let links = Links {
        links: policy.scan(message, ctx),
    };
    serde_json::to_string(&links)
        .unwrap_or_else(|e| error_json(&format!("cannot serialize links: {e}")))
}

/// Loads a policy, reading each `[[list]]`'s `path` relative to the policy
/// file's folder (the library itself reads no files).
fn load(text: &str, json: bool, dir: &Path) -> Result<Policy, linkpolicy::Error> {
    let mut builder = if json {
        PolicyBuilder::from_json_str(text)?
    } else {
        PolicyBuilder::from_toml_str(text)?
    };
    let paths: Vec<(String, String)> = builder
        .lists()
        .filter_map(|l| Some((l.id().to_owned(), l.path()?.to_owned())))
        .collect();
    for (id, path) in paths {
        match std::fs::read_to_string(dir.join(&path)) {
            Ok(list) => {
                builder.list_text(id, list);
            }
            // Without its text the list is reported, by name, when building.
            Err(e) => eprintln!("cannot read list `{id}` from `{path}`: {e}"),
        }
    }
    builder.build()
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}
