//! Loading the policy a command names: the one place a policy argument is read:
//! a snapshot (`linkpolicy compile`'s output, told by its magic bytes, whatever
//! its name), else by its extension (`.toml`, `.json`), or the crate's sample
//! policy when there is none. Each `[[list]]`'s `path` is read relative to the
//! policy file.

use std::path::{Path, PathBuf};

use linkpolicy::{Policy, PolicyBuilder, SAMPLE_POLICY};

/// Why a policy could not be loaded: the messages to print, one a line.
#[derive(Debug)]
pub(crate) struct LoadFailure {
    pub(crate) messages: Vec<String>,
}

impl LoadFailure {
    fn one(message: String) -> Self {
        Self {
            messages: vec![message],
        }
    }

    /// Prints the failure on standard error, naming the policy.
    pub(crate) fn report(&self, name: &str) {
        eprintln!(
            "policy `{name}` does not load: {} problem(s)",
            self.messages.len()
        );
        for m in &self.messages {
            eprintln!("error: {m}");
        }
    }
}

/// The name a policy argument is reported by.
pub(crate) fn name(path: Option<&Path>) -> String {
    path.map_or("<sample>".to_owned(), |p| p.display().to_string())
}

/// The builder of the policy at `path` (the sample policy when `None`), with
/// the texts of its lists read; problems reading a list are in the second part.
pub(crate) fn load_builder(
    path: Option<&Path>,
) -> Result<(PolicyBuilder, Vec<String>), LoadFailure> {
    let Some(path) = path else {
        return PolicyBuilder::from_toml_str(SAMPLE_POLICY)
            .map(|b| (b, Vec::new()))
            .map_err(failure);
    };
    let bytes = std::fs::read(path)
        .map_err(|e| LoadFailure::one(format!("cannot read `{}`: {e}", path.display())))?;
    if linkpolicy::snapshot::is_snapshot(&bytes) {
        return Err(LoadFailure::one(format!(
            "`{}` is a compiled snapshot: this command needs the policy text it was compiled from",
            path.display()
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| LoadFailure::one(format!("`{}` is not UTF-8 text: {e}", path.display())))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut builder = match ext.as_deref() {
        Some("json") => PolicyBuilder::from_json_str(&text),
        Some("toml") | None => PolicyBuilder::from_toml_str(&text),
        Some(other) => {
            return Err(LoadFailure::one(format!(
                "`{}`: unknown policy format `.{other}`: expected `.toml` or `.json`",
                path.display()
            )));
        }
    }
    .map_err(failure)?;
    let dir: PathBuf = path.parent().map_or_else(|| ".".into(), Path::to_path_buf);
    let lists: Vec<(String, String)> = builder
        .lists()
        .filter_map(|l| Some((l.id().to_owned(), l.path()?.to_owned())))
        .collect();
    let mut problems = Vec::new();
    for (id, list_path) in lists {
        match std::fs::read_to_string(dir.join(&list_path)) {
            Ok(text) => {
                builder.list_text(id, text);
            }
            // Without its text the list is reported, by name, when building.
            Err(e) => problems.push(format!("cannot read list `{id}` from `{list_path}`: {e}")),
        }
    }
    Ok((builder, problems))
}

/// Every problem of the policy text at `path` at once (each item's shape errors,
/// or everything `build` finds), for `check`, when loading it failed.
pub(crate) fn all_problems(path: Option<&Path>) -> Option<Vec<String>> {
    let path = path?;
    let text = std::fs::read_to_string(path).ok()?;
    let json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let problems = if json {
        PolicyBuilder::json_problems(&text)
    } else {
        PolicyBuilder::toml_problems(&text)
    };
    (!problems.is_empty()).then(|| problems.iter().map(ToString::to_string).collect())
}

/// Whether the file at `path` is a snapshot (read by its first bytes).
pub(crate) fn is_snapshot_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head.get(..n)
        .is_some_and(|h| h.starts_with(&linkpolicy::snapshot::MAGIC))
}

/// The policy at `path` (the sample policy when `None`): a snapshot (its
/// whole checksum checked), or a policy text with its lists.
pub(crate) fn load_policy(path: Option<&Path>) -> Result<Policy, LoadFailure> {
    if let Some(p) = path.filter(|p| is_snapshot_file(p)) {
        let bytes = std::fs::read(p)
            .map_err(|e| LoadFailure::one(format!("cannot read `{}`: {e}", p.display())))?;
        // A file has no transport guarding its bytes: every byte is checked
        // (about a millisecond for a million domains), not only the head that
        // `from_snapshot` checks.
        linkpolicy::snapshot::verify(&bytes).map_err(failure)?;
        return Policy::from_snapshot(bytes).map_err(failure);
    }
    let (builder, problems) = load_builder(path)?;
    for p in &problems {
        eprintln!("warning: {p}");
    }
    builder.build().map_err(failure)
}

/// Loads the policy or reports why not; `None` means exit status 2.
pub(crate) fn policy_or_report(path: Option<&Path>) -> Option<Policy> {
    match load_policy(path) {
        Ok(p) => {
            let n = p.warnings().count();
            if n > 0 {
                eprintln!("{n} list line(s) could not be used:");
                for w in p.warnings().take(20) {
                    eprintln!("warning: {w}");
                }
            }
            Some(p)
        }
        Err(f) => {
            f.report(&name(path));
            None
        }
    }
}

fn failure(err: linkpolicy::Error) -> LoadFailure {
    LoadFailure {
        messages: err.errors().map(ToString::to_string).collect(),
    }
}
