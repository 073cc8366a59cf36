#!/usr/bin/env bash
# The published crate is complete: `cargo package` the library, unpack the
# `.crate` somewhere else (no workspace, no ../shared beside it), and run its whole
# test suite there. The unpacked crate shares this checkout's target directory, so
# only the crate itself is compiled again.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac

# --no-verify: the test run below is the verification, with the tests too.
cargo package -p linkpolicy --no-verify --allow-dirty --quiet
crate=$(ls -t "$target"/package/linkpolicy-*.crate | head -n 1)
echo "packaged $(basename "$crate"): $(du -k "$crate" | cut -f1) KiB"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$crate" -C "$tmp"
cd "$tmp"/linkpolicy-*/
# Every license notice of the data compiled in or shipped is in the crate.
for notice in LICENSE-MIT data/LICENSE.public_suffix_list policies/lists/LICENSE; do
    test -s "$notice" || { echo "the crate lacks $notice" >&2; exit 1; }
done
CARGO_TARGET_DIR="$target" cargo test --locked
