#!/usr/bin/env bash
# Instructions a link of a warm pass, for each subject of the timing table:
# callgrind counts `--only K --passes 6` and `--only K --passes 1`; the
# difference over 5 passes of the links is a warm pass, without one-time costs
# (lazy statics, the regex crate's lazily built DFA states, first-touch page
# faults). Instruction counts do not depend on the machine's load.
#
#   cd perf && ./instructions.sh [K ...] [-- extra arguments for the program]
#
# K: 0 Url::parse, 1 full policy one-to-one, 2 group, 3 platforms + list
# (issue #6), 4 the list alone, 5 adblock-rust, 6 full policy loaded from its
# snapshot, 7 the list alone loaded from its snapshot. Default: 0 3 4 1 5.
set -euo pipefail
cd "$(dirname "$0")"
subjects=()
while [[ $# -gt 0 && $1 != "--" ]]; do subjects+=("$1"); shift; done
[[ ${1:-} == "--" ]] && shift
[[ ${#subjects[@]} -eq 0 ]] && subjects=(0 3 4 1 5)
cargo build --release --quiet
bin=target/release/linkpolicy-perf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
links=1000
args=("$@")
for i in "${!args[@]}"; do
    if [[ ${args[$i]} == "--links" ]]; then links=${args[$((i + 1))]}; fi
done
count() { # K passes -> instructions collected
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
        --toggle-collect='linkpolicy_perf::compare::{{closure}}' \
        "$bin" --only "$1" --passes "$2" "${@:3}" 2>&1 |
        awk '/Collected/ {print $4}'
}
base=""
for k in "${subjects[@]}"; do
    one=$(count "$k" 1 "$@")
    six=$(count "$k" 6 "$@")
    per=$(( (six - one) / (5 * links) ))
    if [[ -z $base ]]; then base=$per; fi
    name=$("$bin" --only "$k" --passes 1 "$@" 2>/dev/null | sed -n 's/^ran `\(.*\)` .*/\1/p')
    printf '%s %-32s %7d instructions a link  %5.2fx the first row\n' "$k" "$name" "$per" \
        "$(echo "scale=2; $per / $base" | bc)"
done
