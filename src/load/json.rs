//! Reading a JSON policy into the file model, and the weight of its tree,
//! estimated without parsing it.

use super::source::{Step, json_path_at};
use crate::rules::FilePolicy;

/// About the heap a JSON text takes as a `serde_json::Value` tree: a value
/// for every `,` `:` `[` `{` outside strings (each starts one, or a key), at
/// [`JSON_VALUE_BYTES`] each, and the text's own bytes for the strings'
/// contents. One pass, no parse.
pub(super) fn json_tree_bytes(text: &str) -> usize {
    let (mut values, mut in_string, mut escaped) = (1usize, false, false);
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if matches!(b, b',' | b':' | b'[' | b'{') {
            values += 1;
        }
    }
    values
        .saturating_mul(JSON_VALUE_BYTES)
        .saturating_add(text.len())
}

/// What one JSON value costs in a `serde_json::Value` tree, measured (`cd perf
/// && cargo run --release -- --untrusted`): the 32-byte value, in an array's
/// buffer grown by doubling or a map's node with its key's `String`.
const JSON_VALUE_BYTES: usize = 96;

/// A whole JSON text read into the file model (trailing characters are the
/// caller's to check); on an error, the error and the path of the key or
/// value it is about, found from its line and column as for TOML.
pub(super) fn deserialize_json<'t>(
    de: &mut serde_json::Deserializer<serde_json::de::StrRead<'t>>,
    text: &'t str,
) -> Result<FilePolicy, (serde_json::Error, Vec<Step>)> {
    use serde::Deserialize as _;
    FilePolicy::deserialize(de).map_err(|e| {
        // The text before the error has parsed (a syntax error inside a
        // field has that field's path too); past it, the walker is robust.
        let path = if e.line() > 0 {
            // serde_json's column counts the bytes read on the line: `at` is
            // the first byte not read.
            let line_start = match e.line() {
                1 => 0,
                n => text
                    .match_indices('\n')
                    .nth(n - 2)
                    .map_or(0, |(i, _)| i + 1),
            };
            let at = line_start + e.column();
            let (mut path, key) = json_path_at(text.as_bytes(), at);
            if key && e.to_string().starts_with("unknown variant") {
                path.pop();
            }
            path
        } else {
            Vec::new()
        };
        (e, path)
    })
}
