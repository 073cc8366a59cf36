#!/usr/bin/env bash
# The minimum supported Rust version (`rust-version` in Cargo.toml) is true: the
# library and its tests build and pass on that toolchain, installed by rustup.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
test -n "$msrv"
rustup toolchain install "$msrv" --profile minimal --no-self-update >/dev/null 2>&1 ||
    rustup toolchain install "$msrv" --profile minimal
echo "rust-version $msrv: $(rustc +"$msrv" --version)"
target="${CARGO_TARGET_DIR:-$repo/target}"
case "$target" in /*) ;; *) target="$repo/$target" ;; esac
# A target directory of its own: artifacts of two compilers do not mix.
CARGO_TARGET_DIR="$target/msrv" cargo +"$msrv" test -p linkpolicy --locked
