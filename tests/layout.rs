//! The source tree's shape: no import cycles between the crate's files.
//!
//! Every file of `src/` is a module. A file uses another when its code (not
//! its comments, not its test module) names it through `crate::…`, `super::…`
//! or `self::…`, or names an item the crate root re-exports from it
//! (`crate::Policy` is `policy`). A file may use the `mod.rs` or `lib.rs`
//! above it freely. The strongly connected components of that graph with more
//! than one file are the import cycles; there must be none beyond those listed
//! in [`KNOWN_CYCLES`], which the layout work removes one by one. The list is
//! exact: a new cycle fails, and so does a listed one that is gone, so that the
//! list is shortened with it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The cycles left, each a sorted list of modules. Empty is the goal: the one
/// left is `Policy::from_snapshot` (written in `snapshot/`, which fills the
/// builder of `policy.rs`) and the compile step (`compile/`, once part of
/// `policy.rs`), which reads the builder and which `PolicyBuilder::build`
/// calls. `load` left it when `policy.rs` came to name only `load::source`.
const KNOWN_CYCLES: &[&[&str]] = &[&["compile", "policy", "snapshot"]];

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
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
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

/// What the crate root re-exports, by name: `Policy` → `policy`.
fn root_exports(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let code = code_of(lib);
    for stmt in code.split(';') {
        let Some(at) = stmt.find("pub use ") else {
            continue;
        };
        let path = stmt[at + "pub use ".len()..].trim();
        let (module, names) = match path.find("::{") {
            Some(i) => (&path[..i], path[i + 3..].trim_end_matches('}').to_owned()),
            None => match path.rsplit_once("::") {
                Some((m, n)) => (m, n.to_owned()),
                None => continue,
            },
        };
        if !modules.contains(module) {
            continue;
        }
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.to_owned());
            }
        }
    }
    out
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

fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module.split("::").map(str::to_owned).collect();
    parts.pop();
    parts
}

fn is_above(module: &str, other: &str) -> bool {
    other == "crate" || module.starts_with(&format!("{other}::"))
}

/// The module graph of `src/`: each module and the modules it uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let texts: BTreeMap<String, String> = files
        .iter()
        // A `tests.rs` file is a test module.
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|f| {
            (
                module_of(src, f),
                std::fs::read_to_string(f).expect("readable"),
            )
        })
        .collect();
    let modules: BTreeSet<String> = texts.keys().cloned().collect();
    let exports = root_exports(texts.get("crate").map_or("", String::as_str), &modules);
    let mut g = BTreeMap::new();
    for (module, text) in &texts {
        let code = code_of(text);
        let own: Vec<String> = if module == "crate" {
            Vec::new()
        } else {
            module.split("::").map(str::to_owned).collect()
        };
        let mut uses = BTreeSet::new();
        for path in paths_after(&code, "crate::") {
            let target = match path.first() {
                Some(name) if exports.contains_key(name) && path.len() == 1 => {
                    exports.get(name).cloned()
                }
                _ => resolve(&[], &path, &modules),
            };
            uses.extend(target);
        }
        for path in paths_after(&code, "super::") {
            uses.extend(resolve(&parent(module), &path, &modules));
        }
        for path in paths_after(&code, "self::") {
            uses.extend(resolve(&own, &path, &modules));
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
fn no_import_cycles_beyond_the_known_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph(&src);
    assert!(
        g.len() > 20,
        "read {} modules of {}",
        g.len(),
        src.display()
    );
    let found = cycles(&g);
    let known: Vec<Vec<String>> = KNOWN_CYCLES
        .iter()
        .map(|c| c.iter().map(|m| (*m).to_owned()).collect())
        .collect();
    let mut report = String::new();
    for c in &found {
        let members: BTreeSet<&String> = c.iter().collect();
        report.push_str(&format!("cycle of {}:\n", c.len()));
        for m in c {
            let inside: Vec<&String> = g[m].iter().filter(|u| members.contains(u)).collect();
            report.push_str(&format!("  {m} -> {inside:?}\n"));
        }
    }
    assert_eq!(found, known, "the import cycles changed:\n{report}");
}

/// The checker itself: a cycle through a re-export and `super::` is seen, a
/// use of the `mod.rs` above is not one.
#[test]
fn the_checker_sees_cycles() {
    let dir = std::env::temp_dir().join(format!("linkpolicy-layout-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("stage")).expect("temp dir");
    let files = [
        ("lib.rs", "mod a;\nmod stage;\npub use a::Thing;\n"),
        ("a.rs", "use crate::stage::b::f;\npub struct Thing;\n"),
        ("stage/mod.rs", "mod b;\nmod c;\n"),
        ("stage/b.rs", "use super::c::g; // crate::x is a comment\n"),
        ("stage/c.rs", "use crate::Thing;\nuse super::Helper;\n"),
    ];
    for (name, text) in files {
        std::fs::write(src.join(name), text).expect("temp file");
    }
    let g = graph(&src);
    let _ = std::fs::remove_dir_all(&dir);
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
}
