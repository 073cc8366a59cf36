#!/usr/bin/env bash
# The library's API docs build without a warning (a broken intra-doc link, say).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p linkpolicy
