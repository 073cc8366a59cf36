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
//!  "prefs": {"mode": "default", "trusted": ["jd.com"], "blocked": []}, "display_text": "京东"}
//! ```
//!
//! The library reads each line (`linkpolicy::Request`, `linkpolicy::MessageRequest`),
//! so every host of the crate answers a line alike. A line that cannot be read gets
//! `{"error": "..."}` and the program goes on. A policy that does not load is
//! reported on standard error, exit status 2.
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

use std::io::{self, BufWriter, IsTerminal};
use std::process::ExitCode;

use std::path::Path;

use linkpolicy::{Policy, PolicyBuilder, SAMPLE_POLICY};

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

    // The loop itself is the library's, shared with `linkpolicy classify`.
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let out = BufWriter::new(io::stdout().lock());
    match linkpolicy::classify_lines(&policy, stdin.lock(), out, messages, interactive) {
        Ok(_) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
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
