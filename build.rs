//! Build script: the Public Suffix List shipped inside the crate, without its
//! comments. `data/public_suffix_list.dat` is kept as published (with its licence
//! and section notes); the library reads only its rules and its `VERSION:` line
//! (src/psl.rs), so the compact copy gives the same list and the same version in
//! 40% of the bytes — what the WebAssembly package pays for in its download
//! (issue #20). `psl::tests::compact_builtin_is_the_published_list` checks it.

use std::io::Write;
use std::path::PathBuf;

fn main() {
    const SOURCE: &str = "data/public_suffix_list.dat";
    println!("cargo::rerun-if-changed={SOURCE}");
    let text = std::fs::read_to_string(SOURCE).unwrap_or_else(|e| {
        // A build script has no other way to fail the build.
        eprintln!("cannot read {SOURCE}: {e}");
        std::process::exit(1);
    });
    let mut out = String::with_capacity(text.len() / 2);
    for (n, line) in text.lines().enumerate() {
        let word = line.split_whitespace().next().unwrap_or("");
        let version = n < 40 && line.trim_start_matches(['/', ' ']).starts_with("VERSION:");
        if version || (!word.is_empty() && !word.starts_with("//")) {
            out.push_str(if version { line } else { word });
            out.push('\n');
        }
    }
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let written = std::fs::File::create(dir.join("public_suffix_list.dat"))
        .and_then(|mut f| f.write_all(out.as_bytes()));
    if let Err(e) = written {
        eprintln!("cannot write the compact list: {e}");
        std::process::exit(1);
    }
}
