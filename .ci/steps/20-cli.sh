#!/usr/bin/env bash
# The command-line tool (issue #17): its black-box tests, then the README's first
# command, which must build no test-only dependency (criterion, proptest).
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo test -p linkpolicy-cli

if cargo tree -e normal -p linkpolicy-cli | grep -E '^.*\b(criterion|proptest) v' ; then
    echo "linkpolicy-cli depends on a test-only crate" >&2
    exit 1
fi
out=$(cargo run --release -p linkpolicy-cli -- classify --format text < examples/links.txt)
echo "$out" | tail -n 1
echo "$out" | tail -n 1 | grep -Eq '^[0-9]+ link\(s\): [0-9]+ allow, [0-9]+ warn, [0-9]+ block'
cargo run --release -p linkpolicy-cli -- test policies/feeds.toml | tail -n 2
