//! `linkpolicy`: the policy operator's tools — classify links, check and lint a
//! policy, run its tests, diff two policies, explain a verdict, count verdicts.
//!
//! Exit status: 0 ok, 1 findings or failures (`check --deny-warnings`, `test`,
//! `diff --exit-code`), 2 unusable input (a policy that does not load, bad
//! arguments).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use linkpolicy::DiffContext;

mod commands;
mod policy_file;
mod progress;

/// Decide, for every link in a chat message, whether to open it, warn first, or
/// refuse, and why — and the tools to write and change the policy that decides.
///
/// A POLICY is a `.toml` or `.json` policy file (contract section 3), or a
/// snapshot written by `linkpolicy compile`; without one, the crate's sample
/// policy is used. Exit status: 0 ok, 1 findings or failures,
/// 2 unusable input.
#[derive(Debug, Parser)]
#[command(name = "linkpolicy", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The output format.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, ValueEnum)]
enum Format {
    /// For machines: JSON (one line per input for `classify`).
    #[default]
    Json,
    /// For people: tables and a summary.
    Text,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Classify links (or messages) read from standard input, one a line.
    ///
    /// Each line is a bare link (a one-to-one chat) or a JSON request object
    /// (`{"link": ..., "chat": "group", "members": 250, ...}`, contract section 8).
    /// The default output is the example program's: one JSON verdict a line.
    Classify {
        /// The policy file; the sample policy when absent.
        policy: Option<PathBuf>,
        /// Each line is a chat message: plain text or `{"text": ..., context}`.
        #[arg(long)]
        messages: bool,
        /// `json`: one verdict a line; `text`: a table and a summary.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Load a policy and lint it: every load error at once, warnings, and
    /// findings that are provably right (rules that can never decide, unused
    /// tiers, public suffixes).
    ///
    /// Exit status: 0 loadable (warnings are printed), 1 warnings with
    /// `--deny-warnings`, 2 not loadable.
    Check {
        /// The policy file; the sample policy when absent.
        policy: Option<PathBuf>,
        /// Exit 1 when there is any warning or lint finding.
        #[arg(long)]
        deny_warnings: bool,
        /// `text` for people, `json` for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run the policy's `[[test]]` cases (contract section 9): pass or fail
    /// each, with the verdict it got, and what no test reached.
    ///
    /// Exit status: 0 all pass, 1 any failure, 2 not loadable.
    Test {
        /// The policy file; the sample policy when absent.
        policy: Option<PathBuf>,
        /// `text` for people, `json` for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Classify the links (or messages) of standard input under two policies
    /// and show what changes: per chat, from which action to which, with the
    /// deciding reason kinds, a count and an example for each cell.
    Diff {
        /// The policy today.
        old: PathBuf,
        /// The policy proposed.
        new: PathBuf,
        /// Each line is a chat message: plain text or `{"text": ..., context}`.
        #[arg(long)]
        messages: bool,
        /// Classify every line in this chat (repeatable): `one_to_one` or
        /// `group:N`. Without it, each line in its own context.
        #[arg(long = "context", value_name = "one_to_one|group:N")]
        contexts: Vec<DiffContext>,
        /// `text` for people; `json`: one object `{"links", "compared", "changed", "changes"}`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Threads to use; 0 (the default) means every core.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Exit 1 when any verdict changes.
        #[arg(long)]
        exit_code: bool,
    },
    /// Explain how one link is decided: every step of the evaluation order in
    /// words.
    ///
    /// LINK is a link, or a whole JSON request line (then give no context flags).
    Explain {
        /// The policy file.
        policy: PathBuf,
        /// The link, or a JSON request object.
        link: String,
        #[command(flatten)]
        context: ContextArgs,
        /// `text` for people; `json`: `{"steps": [...], "verdict": {...}}`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Compile a policy (and its lists) into a snapshot, which every command,
    /// `Policy::from_snapshot` and the bindings load without reading the text.
    Compile {
        /// The policy file; the sample policy when absent.
        policy: Option<PathBuf>,
        /// Where to write the snapshot.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Count the verdicts of the links (or messages) of standard input: per
    /// action, deciding reason kind, rule and list, and what shadow rules would
    /// have done.
    Stats {
        /// The policy file; the sample policy when absent.
        policy: Option<PathBuf>,
        /// Each line is a chat message: plain text or `{"text": ..., context}`.
        #[arg(long)]
        messages: bool,
        /// `text` for people, `json` for machines.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// The context of `explain`: the fields of a request line (contract section 8).
#[derive(Args, Debug, Default)]
struct ContextArgs {
    /// `one_to_one` (the default) or `group`.
    #[arg(long)]
    chat: Option<String>,
    /// The group's member count (with `--chat group`).
    #[arg(long)]
    members: Option<u64>,
    /// The user id (for `percent` rollouts).
    #[arg(long)]
    user: Option<String>,
    /// The client version, such as `8.0.16` (for `min_client` gates).
    #[arg(long)]
    client_version: Option<String>,
    /// The time, in unix seconds (for `from`/`until` gates).
    #[arg(long)]
    now: Option<i64>,
    /// The user's mode: `default`, `ask` or `block_external`.
    #[arg(long)]
    mode: Option<String>,
    /// A domain the user trusts (repeatable).
    #[arg(long)]
    trusted: Vec<String>,
    /// A domain the user blocked (repeatable).
    #[arg(long)]
    blocked: Vec<String>,
    /// The text the message shows for the link.
    #[arg(long)]
    display_text: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Classify {
            policy,
            messages,
            format,
        } => commands::classify(policy.as_deref(), messages, format == Format::Text),
        Command::Check {
            policy,
            deny_warnings,
            format,
        } => commands::check(policy.as_deref(), deny_warnings, format == Format::Json),
        Command::Test { policy, format } => {
            commands::test(policy.as_deref(), format == Format::Json)
        }
        Command::Diff {
            old,
            new,
            messages,
            contexts,
            format,
            threads,
            exit_code,
        } => commands::diff(&commands::DiffArgs {
            old: &old,
            new: &new,
            messages,
            contexts: &contexts,
            json: format == Format::Json,
            threads,
            exit_code,
        }),
        Command::Explain {
            policy,
            link,
            context,
            format,
        } => commands::explain(&policy, &link, &context, format == Format::Json),
        Command::Compile { policy, output } => commands::compile(policy.as_deref(), &output),
        Command::Stats {
            policy,
            messages,
            format,
        } => commands::stats(policy.as_deref(), messages, format == Format::Json),
    };
    ExitCode::from(code)
}
