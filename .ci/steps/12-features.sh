#!/usr/bin/env bash
# The library without its default features, and with each loader alone: it must
# build without warnings (a host app that loads only snapshots, or builds its
# policy in code, compiles it without the TOML and JSON readers).
set -euo pipefail
cd "$(dirname "$0")/../.."
for features in "" toml json; do
    echo "-- --no-default-features --features '$features'"
    cargo clippy -p linkpolicy --lib --no-default-features --features "$features" -- -D warnings
done
