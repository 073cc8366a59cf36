//! The subcommands. Each returns its exit status: 0 ok, 1 findings or
//! failures, 2 unusable input.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufWriter, IsTerminal, Write};
use std::path::Path;

use linkpolicy::{
    Action, Context, Diff, DiffContext, MessageRequest, Policy, Reason, Request, Stats, Verdict,
};
use serde_json::json;

use crate::ContextArgs;
use crate::policy_file::{self, load_builder, policy_or_report};
use crate::progress::{Counting, Progress};

const ACTIONS: [Action; 3] = [Action::Allow, Action::Warn, Action::Block];

/// `linkpolicy classify`.
pub(crate) fn classify(policy: Option<&Path>, messages: bool, text: bool) -> u8 {
    let Some(policy) = policy_or_report(policy) else {
        return 2;
    };
    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut progress = Progress::new();
    let result = if text {
        classify_text(&policy, stdin.lock(), messages, &mut progress)
    } else {
        let out = Counting {
            inner: BufWriter::new(io::stdout().lock()),
            progress: &mut progress,
        };
        linkpolicy::classify_lines(&policy, stdin.lock(), out, messages, interactive).map(|_| ())
    };
    progress.finish();
    match result {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

/// The rows of `classify --format text`: input, action, deciding reason,
/// destination; then the counts per action.
fn classify_text(
    policy: &Policy,
    input: impl BufRead,
    messages: bool,
    progress: &mut Progress,
) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut counts = [0u64; 3];
    let (mut hard, mut errors, mut rows) = (0u64, 0u64, 0u64);
    writeln!(
        out,
        "{:<48}  {:<6}  {:<34}  destination",
        "input", "action", "reason"
    )?;
    let mut row = |out: &mut dyn Write, input: &str, v: &Verdict| -> io::Result<()> {
        rows += 1;
        if let Some(n) = counts.get_mut(action_index(v.action())) {
            *n += 1;
        }
        hard += u64::from(v.is_hard());
        let action = format!(
            "{}{}",
            v.action().as_str(),
            if v.is_hard() { "!" } else { "" }
        );
        writeln!(
            out,
            "{:<48}  {:<6}  {:<34}  {}",
            clip(input, 48),
            action,
            clip(&v.reason().map_or("-".to_owned(), reason_text), 34),
            v.destination().unwrap_or("-")
        )
    };
    for line in input.lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                errors += 1;
                writeln!(out, "{:<48}  error   cannot read line: {e}", "?")?;
                continue;
            }
            Err(e) => return Err(e),
        };
        progress.add(1);
        if messages {
            match MessageRequest::parse(&line) {
                Ok(req) => {
                    for l in req.scan(policy).links {
                        row(&mut out, &l.text, &l.verdict)?;
                    }
                }
                Err(e) => {
                    errors += 1;
                    writeln!(out, "{:<48}  error   {e}", clip(&line, 48))?;
                }
            }
        } else {
            match Request::parse(&line) {
                Ok(req) => row(&mut out, req.link(), &req.classify(policy))?,
                Err(e) => {
                    errors += 1;
                    writeln!(out, "{:<48}  error   {e}", clip(&line, 48))?;
                }
            }
        }
    }
    let [allow, warn, block] = counts;
    writeln!(out)?;
    writeln!(
        out,
        "{rows} link(s): {allow} allow, {warn} warn, {block} block ({hard} hard); {errors} line(s) not read"
    )?;
    out.flush()
}

/// `linkpolicy check`.
pub(crate) fn check(path: Option<&Path>, deny_warnings: bool, json_out: bool) -> u8 {
    let name = policy_file::name(path);
    if let Some(p) = path.filter(|p| policy_file::is_snapshot_file(p)) {
        return check_snapshot(p, &name, json_out);
    }
    let mut warnings: Vec<(String, String)> = Vec::new();
    let errors: Vec<String>;
    let mut summary = String::new();
    match load_builder(path) {
        // A shape error stops loading: find every item's at once.
        Err(f) => errors = policy_file::all_problems(path).unwrap_or(f.messages),
        Ok((builder, problems)) => {
            warnings.extend(problems.into_iter().map(|p| ("list_file".to_owned(), p)));
            match builder.build() {
                Err(e) => errors = e.errors().map(ToString::to_string).collect(),
                Ok(policy) => {
                    errors = Vec::new();
                    warnings.extend(
                        policy
                            .warnings()
                            .map(|w| ("list_line".to_owned(), w.to_string())),
                    );
                    warnings.extend(
                        builder
                            .lints()
                            .into_iter()
                            .map(|l| (l.kind.as_str().to_owned(), l.to_string())),
                    );
                    let _ = write!(
                        summary,
                        "{} rule(s) and list entries, {} platform(s), {} test(s)",
                        policy.rule_count(),
                        policy.platform_count(),
                        policy.tests().len()
                    );
                }
            }
        }
    }
    let code = if !errors.is_empty() {
        2
    } else if deny_warnings && !warnings.is_empty() {
        1
    } else {
        0
    };
    if json_out {
        let w: Vec<_> = warnings
            .iter()
            .map(|(k, m)| json!({"kind": k, "message": m}))
            .collect();
        println!(
            "{}",
            json!({"policy": name, "loads": errors.is_empty(), "errors": errors, "warnings": w})
        );
        return code;
    }
    if !errors.is_empty() {
        println!("policy `{name}` does not load: {} problem(s)", errors.len());
        for e in &errors {
            println!("error: {e}");
        }
        return code;
    }
    for (_, w) in &warnings {
        println!("warning: {w}");
    }
    println!(
        "policy `{name}` loads: {summary}; {} warning(s)",
        warnings.len()
    );
    code
}

/// `linkpolicy check` of a snapshot: whether it loads (its lints and tests were
/// the policy text's, checked before it was compiled).
fn check_snapshot(path: &Path, name: &str, json_out: bool) -> u8 {
    let loaded = policy_file::load_policy(Some(path));
    if json_out {
        let errors = match &loaded {
            Ok(_) => Vec::new(),
            Err(f) => f.messages.clone(),
        };
        let revision = loaded
            .as_ref()
            .ok()
            .map(|p| format!("{:016x}", p.revision()));
        println!(
            "{}",
            json!({"policy": name, "snapshot": true, "loads": errors.is_empty(),
                   "revision": revision, "errors": errors, "warnings": []})
        );
        return if errors.is_empty() { 0 } else { 2 };
    }
    match loaded {
        Ok(policy) => {
            println!(
                "snapshot `{name}` loads: {} rule(s) and list entries, {} platform(s), revision {:016x}",
                policy.rule_count(),
                policy.platform_count(),
                policy.revision()
            );
            0
        }
        Err(f) => {
            f.report(name);
            2
        }
    }
}

/// `linkpolicy compile`: the policy as a snapshot, written to `output`.
pub(crate) fn compile(path: Option<&Path>, output: &Path) -> u8 {
    let Some(policy) = policy_or_report(path) else {
        return 2;
    };
    let bytes = policy.to_snapshot();
    if let Err(e) = std::fs::write(output, &bytes) {
        eprintln!("cannot write `{}`: {e}", output.display());
        return 2;
    }
    println!(
        "wrote `{}`: {} bytes, revision {:016x}",
        output.display(),
        bytes.len(),
        policy.revision()
    );
    let n = policy.complaint_domains();
    if n > 0 {
        eprintln!(
            "note: the complaint counts of {n} domain(s) are not in the snapshot \
             (they change daily): give them to the loaded policy with `Policy::with_complaints`"
        );
    }
    0
}

/// `linkpolicy test`.
pub(crate) fn test(path: Option<&Path>, json_out: bool) -> u8 {
    let Some(policy) = policy_or_report(path) else {
        return 2;
    };
    let report = policy.run_tests();
    let label = |t: &linkpolicy::PolicyTest| t.name().unwrap_or(t.link()).to_owned();
    let code = u8::from(!report.passed());
    let cov = &report.coverage;
    if json_out {
        let tests: Vec<_> = report
            .outcomes
            .iter()
            .map(|(t, o)| {
                json!({
                    "name": t.name(),
                    "link": t.link(),
                    "expect": t.expect().as_str(),
                    "passed": o.passed(),
                    "problems": o.problems(),
                    "verdict": serde_json::from_str::<serde_json::Value>(&o.verdict().to_json()).ok(),
                })
            })
            .collect();
        println!(
            "{}",
            json!({
                "tests": tests,
                "passed": report.outcomes.len() - report.failed(),
                "failed": report.failed(),
                "not_reached": {
                    "rules": cov.rules, "lists": cov.lists, "platforms": cov.platforms,
                    "tiers": cov.tiers, "phases": cov.phases,
                },
            })
        );
        return code;
    }
    for (t, o) in &report.outcomes {
        let v = o.verdict();
        let got = format!(
            "{}{} ({})",
            v.action().as_str(),
            if v.is_hard() { ", hard" } else { "" },
            v.reason().map_or("-".to_owned(), reason_text)
        );
        if o.passed() {
            println!("pass  {}: {got}", label(t));
        } else {
            println!("FAIL  {}: got {got}", label(t));
            println!("      link `{}`", t.link());
            for p in o.problems() {
                println!("      {p}");
            }
        }
    }
    println!(
        "{} test(s): {} passed, {} failed",
        report.outcomes.len(),
        report.outcomes.len() - report.failed(),
        report.failed()
    );
    if cov.is_complete() {
        println!("coverage: every rule, list, platform, tier and phase reached");
    } else {
        println!("not reached by any test:");
        for (what, items) in [
            ("rules", &cov.rules),
            ("lists", &cov.lists),
            ("platforms", &cov.platforms),
            ("tiers", &cov.tiers),
            ("phases", &cov.phases),
        ] {
            if !items.is_empty() {
                println!("  {what} ({}): {}", items.len(), items.join(", "));
            }
        }
    }
    code
}

/// The arguments of `linkpolicy diff`.
#[derive(Debug)]
pub(crate) struct DiffArgs<'a> {
    pub(crate) old: &'a Path,
    pub(crate) new: &'a Path,
    pub(crate) messages: bool,
    pub(crate) contexts: &'a [DiffContext],
    pub(crate) json: bool,
    pub(crate) threads: usize,
    pub(crate) exit_code: bool,
}

/// `linkpolicy diff`.
pub(crate) fn diff(a: &DiffArgs<'_>) -> u8 {
    let (Some(old), Some(new)) = (policy_or_report(Some(a.old)), policy_or_report(Some(a.new)))
    else {
        return 2;
    };
    let (items, unread) = match read_requests(a.messages) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot read standard input: {e}");
            return 2;
        }
    };
    if unread > 0 {
        eprintln!("warning: {unread} line(s) could not be read as requests and were skipped");
    }
    let d = if a.messages {
        Diff::run_messages(&old, &new, &items, a.contexts, a.threads)
    } else {
        Diff::run(&old, &new, &items, a.contexts, a.threads)
    };
    if a.json {
        println!("{}", d.to_json());
    } else {
        print_diff(&d);
    }
    u8::from(a.exit_code && d.changed() > 0)
}

fn print_diff(d: &Diff) {
    for (ctx, m) in d.matrix() {
        println!("{ctx}: old → new");
        println!("  {:>8} {:>10} {:>10} {:>10}", "", "allow", "warn", "block");
        for (from, row) in ACTIONS.iter().zip(m) {
            println!(
                "  {:>8} {:>10} {:>10} {:>10}",
                from.as_str(),
                row[0],
                row[1],
                row[2]
            );
        }
    }
    let changes: Vec<_> = d.changes().collect();
    if !changes.is_empty() {
        println!();
        println!(
            "{:<12}  {:<14}  {:<28}  {:>8}  example",
            "context", "change", "deciding reason", "count"
        );
        for c in &changes {
            println!(
                "{:<12}  {:<14}  {:<28}  {:>8}  {}",
                c.context.to_string(),
                format!("{} → {}", c.from.as_str(), c.to.as_str()),
                format!("{} → {}", c.from_reason, c.to_reason),
                c.count,
                c.example
            );
        }
    }
    println!();
    println!(
        "{} line(s), {} comparison(s), {} changed",
        d.links(),
        d.compared(),
        d.changed()
    );
}

/// Standard input's lines as (link or text, context), and how many could not
/// be read.
fn read_requests(messages: bool) -> io::Result<(Vec<(String, Context)>, u64)> {
    let mut progress = Progress::new();
    let mut items = Vec::new();
    let mut unread = 0;
    for line in io::stdin().lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                unread += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        progress.add(1);
        let parsed = if messages {
            MessageRequest::parse(&line).map(MessageRequest::into_parts)
        } else {
            Request::parse(&line).map(Request::into_parts)
        };
        match parsed {
            Ok(item) => items.push(item),
            Err(_) => unread += 1,
        }
    }
    progress.finish();
    Ok((items, unread))
}

/// `linkpolicy explain`.
pub(crate) fn explain(path: &Path, link: &str, c: &ContextArgs, json_out: bool) -> u8 {
    let Some(policy) = policy_or_report(Some(path)) else {
        return 2;
    };
    let line = match request_line(link, c) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let req = match Request::parse(&line) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let e = policy.explain(req.link(), req.context());
    if json_out {
        let verdict = serde_json::from_str::<serde_json::Value>(&e.verdict().to_json()).ok();
        println!("{}", json!({"steps": e.steps(), "verdict": verdict}));
    } else {
        print!("{e}");
    }
    0
}

/// The request line of `explain`'s arguments: the link itself when it is a
/// JSON request, else a JSON object of the link and the flags, which the
/// library reads as any request line.
fn request_line(link: &str, c: &ContextArgs) -> Result<String, String> {
    let mut obj = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        obj.insert(k.to_owned(), v);
    };
    if let Some(v) = &c.chat {
        put("chat", json!(v));
    }
    if let Some(v) = c.members {
        put("members", json!(v));
    }
    if let Some(v) = &c.user {
        put("user", json!(v));
    }
    if let Some(v) = &c.client_version {
        put("client_version", json!(v));
    }
    if let Some(v) = c.now {
        put("now", json!(v));
    }
    if c.mode.is_some() || !c.trusted.is_empty() || !c.blocked.is_empty() {
        let mut prefs = serde_json::Map::new();
        if let Some(m) = &c.mode {
            prefs.insert("mode".to_owned(), json!(m));
        }
        prefs.insert("trusted".to_owned(), json!(c.trusted));
        prefs.insert("blocked".to_owned(), json!(c.blocked));
        put("prefs", serde_json::Value::Object(prefs));
    }
    if let Some(v) = &c.display_text {
        put("display_text", json!(v));
    }
    if link.trim_start().starts_with('{') {
        if !obj.is_empty() {
            return Err("give the context either in the JSON request or as flags, not both".into());
        }
        return Ok(link.to_owned());
    }
    obj.insert("link".to_owned(), json!(link));
    Ok(serde_json::Value::Object(obj).to_string())
}

/// `linkpolicy stats`.
pub(crate) fn stats(path: Option<&Path>, messages: bool, json_out: bool) -> u8 {
    let Some(policy) = policy_or_report(path) else {
        return 2;
    };
    let mut stats = Stats::new();
    let mut unread = 0u64;
    let mut progress = Progress::new();
    for line in io::stdin().lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                unread += 1;
                continue;
            }
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                return 2;
            }
        };
        progress.add(1);
        if messages {
            match MessageRequest::parse(&line) {
                Ok(r) => r
                    .scan(&policy)
                    .links
                    .iter()
                    .for_each(|l| stats.add(&l.verdict)),
                Err(_) => unread += 1,
            }
        } else {
            match Request::parse(&line) {
                Ok(r) => stats.add(&r.classify(&policy)),
                Err(_) => unread += 1,
            }
        }
    }
    progress.finish();
    if json_out {
        let shadow: Vec<_> = stats
            .shadow()
            .iter()
            .map(|((rule, action), n)| json!({"rule": rule, "action": action.as_str(), "count": n}))
            .collect();
        println!(
            "{}",
            json!({
                "links": stats.total(),
                "unread": unread,
                "hard": stats.hard(),
                "actions": {
                    "allow": stats.action(Action::Allow),
                    "warn": stats.action(Action::Warn),
                    "block": stats.action(Action::Block),
                },
                "reason_kinds": stats.reason_kinds(),
                "rules": stats.rules(),
                "lists": stats.lists(),
                "shadow": shadow,
            })
        );
        return 0;
    }
    let total = stats.total();
    let pct = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    println!(
        "{total} link(s), {} hard, {unread} line(s) not read",
        stats.hard()
    );
    println!("by action:");
    for a in ACTIONS {
        let n = stats.action(a);
        println!("  {:<28} {n:>10}  {:>5.1}%", a.as_str(), pct(n));
    }
    for (title, map) in [
        (
            "by deciding reason:",
            sorted(
                stats
                    .reason_kinds()
                    .iter()
                    .map(|(k, n)| ((*k).to_owned(), *n)),
            ),
        ),
        (
            "by rule:",
            sorted(stats.rules().iter().map(|(k, n)| (k.clone(), *n))),
        ),
        (
            "by list:",
            sorted(stats.lists().iter().map(|(k, n)| (k.clone(), *n))),
        ),
    ] {
        if map.is_empty() {
            continue;
        }
        println!("{title}");
        for (k, n) in map {
            println!("  {:<28} {n:>10}  {:>5.1}%", k, pct(n));
        }
    }
    if !stats.shadow().is_empty() {
        println!("shadow rules (would have):");
        for ((rule, action), n) in stats.shadow() {
            println!("  {:<28} {n:>10}  {}", rule, action.as_str());
        }
    }
    0
}

/// Counts, the largest first (then by name).
fn sorted(items: impl Iterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut v: Vec<_> = items.collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// A reason in a few words: its kind and what it names.
fn reason_text(r: &Reason) -> String {
    match r {
        Reason::Rule { rule, .. } => format!("rule {rule}"),
        Reason::Platform { platform, tier } => format!("platform {platform} (tier {tier})"),
        Reason::Phase { phase } => format!("phase {phase}"),
        Reason::Lookalike { of } => format!("lookalike of {of}"),
        Reason::Complaints { category, count } => {
            format!("complaints {} {count}", category.as_str())
        }
        Reason::MaskedLink { shown } => format!("masked_link {shown}"),
        Reason::UnsafeScheme { scheme } => format!("unsafe_scheme {scheme}"),
        other => other.kind().to_owned(),
    }
}

/// At most `width` characters of `s`, the last one `…` when cut.
fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn action_index(a: Action) -> usize {
    match a {
        Action::Allow => 0,
        Action::Warn => 1,
        Action::Block => 2,
    }
}
