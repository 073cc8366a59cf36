//! The source tree's shape: no import cycles between the crate's files, and
//! no file or function too long to read.
//!
//! Every file of `src/` is a module. A file uses another when its code (not
//! its comments, not its test module) names it through `crate::…`, `super::…`
//! or `self::…`, or names an item the crate root re-exports from it
//! (`crate::Policy` is `policy`). A file may use the `mod.rs` or `lib.rs`
//! above it freely. The strongly connected components of that graph with more
//! than one file are the import cycles; there must be none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`; `src/lib.rs` is `crate`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("a file under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    if parts.is_empty() {
        "crate".to_owned()
    } else {
        parts.join("::")
    }
}

/// The code of a file without comments and without its test module (by the
/// crate's convention, `#[cfg(test)] mod tests` comes last).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a text names after `prefix` (`crate::`, `super::`, `self::`), with
/// `{a::b, c}` groups spread out: each as its segments.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        // Not the middle of a name or of a longer path (`a::tests::`).
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(segments(item.trim()));
            }
        } else {
            out.push(segments(rest));
        }
    }
    out
}

fn segments(text: &str) -> Vec<String> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end]
        .split("::")
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a module re-exports (`pub use` and `pub(crate) use`), by name: for the
/// crate root `Policy` → `policy`; for `operator`, `PolicyTest` →
/// `operator::tests`. A re-export is not a use of its own: a path through it
/// is a use of the module it names.
fn exports_of(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let own: Vec<String> = if module == "crate" {
        Vec::new()
    } else {
        module.split("::").map(str::to_owned).collect()
    };
    let mut out = BTreeMap::new();
    for stmt in code_of(text).split(';') {
        let Some(path) = reexported_path(stmt) else {
            continue;
        };
        let (from, names) = match path.find("::{") {
            Some(i) => (&path[..i], path[i + 3..].trim_end_matches('}').to_owned()),
            None => match path.rsplit_once("::") {
                Some((m, n)) => (m, n.to_owned()),
                None => continue,
            },
        };
        let segs = segments(from);
        let target = match segs.first().map(String::as_str) {
            Some("crate") => modules.get(&segs[1..].join("::")).cloned(),
            Some("self") => resolve(&own, &segs[1..], modules),
            Some("super") => resolve(&parent(module), &segs[1..], modules),
            _ => resolve(&own, &segs, modules),
        };
        let Some(target) = target else {
            continue;
        };
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), target.clone());
            }
        }
    }
    out
}

/// Code without its re-export statements (each from its `pub use` to its `;`).
fn without_reexports(code: &str) -> String {
    code.split_inclusive(';')
        .map(|stmt| {
            ["pub use ", "pub(crate) use "]
                .iter()
                .filter_map(|p| stmt.find(p))
                .min()
                .map_or(stmt, |at| &stmt[..at])
        })
        .collect()
}

/// The path of a `pub use` or `pub(crate) use` statement.
fn reexported_path(stmt: &str) -> Option<&str> {
    ["pub use ", "pub(crate) use "]
        .iter()
        .find_map(|p| stmt.find(p).map(|at| stmt[at + p.len()..].trim()))
}

/// The longest module a path names, read from `base` (a module path).
fn resolve(base: &[String], path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut full: Vec<String> = base.to_vec();
    full.extend(path.iter().cloned());
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// As [`resolve`], and then through the re-exports of the module found (or of
/// the crate root, when the path names no module): the module the item named
/// after it lives in.
fn resolve_item(
    base: &[String],
    path: &[String],
    modules: &BTreeSet<String>,
    exports: &BTreeMap<String, BTreeMap<String, String>>,
) -> Option<String> {
    let mut full: Vec<String> = base.to_vec();
    full.extend(path.iter().cloned());
    let found = (1..=full.len())
        .rev()
        .find(|&n| modules.contains(&full[..n].join("::")));
    let (module, next) = match found {
        Some(n) => (full[..n].join("::"), full.get(n)),
        None => ("crate".to_owned(), full.first()),
    };
    let routed = next
        .and_then(|name| exports.get(&module)?.get(name))
        .cloned();
    match routed {
        Some(target) => Some(target),
        None if module == "crate" => None,
        None => Some(module),
    }
}

fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module.split("::").map(str::to_owned).collect();
    parts.pop();
    parts
}

fn is_above(module: &str, other: &str) -> bool {
    other == "crate" || module.starts_with(&format!("{other}::"))
}

/// Whether a file is a test module: a `tests.rs` that the file above it
/// declares under a `#[cfg(...)]` naming `test` (`operator/tests.rs`, the
/// policy tests' code, is not one).
fn is_test_module(file: &Path) -> bool {
    if file.file_name().is_none_or(|n| n != "tests.rs") {
        return false;
    }
    let Some(dir) = file.parent() else {
        return false;
    };
    let parent = [dir.join("mod.rs"), dir.with_extension("rs")]
        .into_iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let lines: Vec<&str> = parent.lines().map(str::trim).collect();
    lines.windows(2).any(|w| {
        w[0].starts_with("#[cfg(")
            && w[0].contains("test")
            && w[1].trim_start_matches("pub(crate) ") == "mod tests;"
    })
}

/// The module graph of `src/`: each module and the modules it uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let texts: BTreeMap<String, String> = files
        .iter()
        .filter(|f| !is_test_module(f))
        .map(|f| {
            (
                module_of(src, f),
                std::fs::read_to_string(f).expect("readable"),
            )
        })
        .collect();
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let exports: BTreeMap<String, BTreeMap<String, String>> = texts
        .iter()
        .map(|(m, t)| (m.clone(), exports_of(m, t, &modules)))
        .collect();
    let mut g = BTreeMap::new();
    for (module, text) in &texts {
        let code = without_reexports(&code_of(text));
        let own: Vec<String> = if module == "crate" {
            Vec::new()
        } else {
            module.split("::").map(str::to_owned).collect()
        };
        let mut uses = BTreeSet::new();
        for path in paths_after(&code, "crate::") {
            uses.extend(resolve_item(&[], &path, &modules, &exports));
        }
        for path in paths_after(&code, "super::") {
            uses.extend(resolve_item(&parent(module), &path, &modules, &exports));
        }
        for path in paths_after(&code, "self::") {
            uses.extend(resolve_item(&own, &path, &modules, &exports));
        }
        // A path from a child module's name, as `mod.rs` files write them
        // (`use tests::check_tests;`).
        let prefix = if own.is_empty() {
            String::new()
        } else {
            format!("{module}::")
        };
        for child in modules
            .iter()
            .filter_map(|m| m.strip_prefix(prefix.as_str()))
        {
            if child.contains("::") || child == "crate" {
                continue;
            }
            for path in paths_after(&code, &format!("{child}::")) {
                let mut full = vec![child.to_owned()];
                full.extend(path);
                uses.extend(resolve_item(&own, &full, &modules, &exports));
            }
        }
        uses.retain(|u| u != module && !is_above(module, u));
        g.insert(module.clone(), uses);
    }
    g
}

/// The strongly connected components of more than one module (Tarjan's).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        let next: Vec<&'a str> =
            s.g.get(v)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
        for w in next {
            if !s.g.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out.sort();
    s.out
}

#[test]
fn no_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph(&src);
    assert!(
        g.len() > 20,
        "read {} modules of {}",
        g.len(),
        src.display()
    );
    let found = cycles(&g);
    let mut report = String::new();
    for c in &found {
        let members: BTreeSet<&String> = c.iter().collect();
        report.push_str(&format!("cycle of {}:\n", c.len()));
        for m in c {
            let inside: Vec<&String> = g[m].iter().filter(|u| members.contains(u)).collect();
            report.push_str(&format!("  {m} -> {inside:?}\n"));
        }
    }
    assert!(found.is_empty(), "import cycles:\n{report}");
}

/// The module graph of a crate written to a temporary folder: each file's
/// path under `src/` and its text.
fn fixture_graph(name: &str, files: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
    let dir = std::env::temp_dir().join(format!("linkpolicy-{name}-{}", std::process::id()));
    let src = dir.join("src");
    for (file, text) in files {
        let path = src.join(file);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).expect("temp dir");
        }
        std::fs::write(path, text).expect("temp file");
    }
    let g = graph(&src);
    let _ = std::fs::remove_dir_all(&dir);
    g
}

/// The checker itself: a cycle through a re-export and `super::` is seen, a
/// use of the `mod.rs` above is not one.
#[test]
fn the_checker_sees_cycles() {
    let files = [
        ("lib.rs", "mod a;\nmod stage;\npub use a::Thing;\n"),
        ("a.rs", "use crate::stage::b::f;\npub struct Thing;\n"),
        ("stage/mod.rs", "mod b;\nmod c;\n"),
        ("stage/b.rs", "use super::c::g; // crate::x is a comment\n"),
        ("stage/c.rs", "use crate::Thing;\nuse super::Helper;\n"),
    ];
    let g = fixture_graph("layout", &files);
    assert_eq!(
        cycles(&g),
        vec![vec![
            "a".to_owned(),
            "stage::b".to_owned(),
            "stage::c".to_owned()
        ]],
        "{g:?}"
    );
    assert!(g["stage::c"].iter().all(|u| u != "stage"), "{g:?}");

    // A `mod.rs` that uses a child by its bare name, and a re-export followed
    // to the file that defines the item; a `tests.rs` under `#[cfg(test)]` is
    // left out, another `tests.rs` is a module like any.
    let files = [
        ("lib.rs", "mod face;\nmod ops;\nmod data;\n"),
        ("data.rs", "pub struct Case(crate::ops::Case);\n"),
        (
            "ops/mod.rs",
            "mod case;\nmod tests;\npub use case::Case;\npub(crate) use tests::run;\n",
        ),
        ("ops/case.rs", "pub struct Case;\n"),
        ("ops/tests.rs", "use crate::face::Face;\npub fn run() {}\n"),
        (
            "face/mod.rs",
            "#[cfg(test)]\nmod tests;\npub struct Face(crate::data::Case);\nfn f() { crate::ops::run() }\n",
        ),
        ("face/tests.rs", "use crate::face::Face;\n"),
    ];
    let g = fixture_graph("layout2", &files);
    // `data` uses `ops::case` (through the re-export), not `ops::tests`; the
    // face uses `ops::tests`, which uses the face back.
    assert!(
        g["data"].contains("ops::case") && !g["data"].contains("ops::tests"),
        "{g:?}"
    );
    assert!(!g.contains_key("face::tests"), "{g:?}");
    assert_eq!(
        cycles(&g),
        vec![vec!["face".to_owned(), "ops::tests".to_owned()]],
        "{g:?}"
    );
}

/// The most lines of a file's code before its test module, doc comments
/// included, and the most lines of one function.
const MAX_FILE_LINES: usize = 900;
const MAX_FN_LINES: usize = 150;

/// The functions of a text (formatted by rustfmt) as (name, first line, lines):
/// a function runs from its `fn` line to the first line after it that is its
/// indentation and `}`. Declarations without a body are left out.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let rest = ["pub(crate) ", "pub(super) ", "pub "]
            .iter()
            .find_map(|p| body.strip_prefix(p))
            .unwrap_or(body);
        let rest = rest.strip_prefix("const ").unwrap_or(rest);
        let Some(sig) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The signature ends at the first line ending in `{` (a body) or `;`.
        let Some(open) = (i..lines.len()).find(|&j| {
            let l = lines[j].trim_end();
            l.ends_with('{') || l.ends_with(';') || l.ends_with('}')
        }) else {
            continue;
        };
        let end_line = lines[open].trim_end();
        if end_line.ends_with(';') {
            continue;
        }
        if end_line.ends_with('}') {
            out.push((name, i + 1, open - i + 1));
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = (open + 1..lines.len()).find(|&j| lines[j] == close) {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

/// The crate's `src/` and each of its files with its text.
fn sources() -> (PathBuf, Vec<(PathBuf, String)>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let texts = files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("readable");
            (f, text)
        })
        .collect();
    (src, texts)
}

#[test]
fn no_long_files_or_functions() {
    let (src, files) = sources();
    let mut long = Vec::new();
    let mut seen_fns = 0;
    for (f, text) in files.iter().filter(|(f, _)| !is_test_module(f)) {
        let code = match text.find("#[cfg(test)]\nmod tests {") {
            Some(at) => &text[..at],
            None => &text[..],
        };
        let rel = f.strip_prefix(&src).expect("under src").display();
        let n = code.lines().count();
        if n > MAX_FILE_LINES {
            long.push(format!("{rel}: {n} lines"));
        }
        for (name, line, len) in functions(code) {
            seen_fns += 1;
            if len > MAX_FN_LINES {
                long.push(format!("{rel}:{line}: fn {name}, {len} lines"));
            }
        }
    }
    assert!(seen_fns > 500, "read only {seen_fns} functions");
    assert!(
        long.is_empty(),
        "over {MAX_FILE_LINES} lines a file or {MAX_FN_LINES} a function:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_length_check_reads_functions() {
    let text = "fn a() {}\n\
                pub(crate) fn b(\n    x: u8,\n) -> u8 {\n    x\n}\n\
                trait T {\n    fn c(&self);\n    fn d(&self) {\n        let _ = 1;\n    }\n}\n";
    let got = functions(text);
    assert_eq!(
        got,
        [
            ("a".to_owned(), 1, 1),
            ("b".to_owned(), 2, 5),
            ("d".to_owned(), 9, 3)
        ]
    );
}

/// Every method of `Policy` and `PolicyBuilder` is in `policy/`, the public
/// face: the stages it delegates to take the compiled form or the model.
#[test]
fn the_face_is_in_one_folder() {
    let (src, files) = sources();
    let mut outside = Vec::new();
    let mut inside = 0;
    for (f, text) in &files {
        let blocks = text
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                l.starts_with("impl Policy {") || l.starts_with("impl PolicyBuilder {")
            })
            .count();
        if f.starts_with(src.join("policy")) {
            inside += blocks;
        } else if blocks > 0 {
            outside.push(
                f.strip_prefix(&src)
                    .expect("under src")
                    .display()
                    .to_string(),
            );
        }
    }
    assert!(inside >= 3, "found {inside} impl blocks in policy/");
    assert!(
        outside.is_empty(),
        "methods of the face outside policy/: {outside:?}"
    );
}
