#!/usr/bin/env bash
# The Python package (python/): built by maturin into its own virtualenv, installed
# with pip as a user would (`pip install ./python`), then pytest: the contract's
# cases through the package, the error types, classify_many against a loop of
# classify and the GIL released, the operator API (run_tests, diff, stats and
# explain against classify), and the Dask job on a generated Parquet file.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"

python="$(command -v python3 || true)"
if [[ -z "$python" ]] || ! "$python" -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 9)' 2>/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
    python="$(command -v python3)"
fi

venv="${LINKPOLICY_CI_VENV:-${TMPDIR:-/tmp}/linkpolicy-ci-venv}"
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check \
    "maturin>=1.7,<2" "pytest>=8,<9" "dask[dataframe]>=2024.8,<2026" "pyarrow>=17,<22" "pandas>=2.2,<3"

# `pip install ./python`, with maturin from the venv rather than a fresh isolated
# build environment (the same build, without a second download of maturin).
PATH="$venv/bin:$PATH" "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    --no-build-isolation --force-reinstall --no-deps "$repo/python"

# From the repository root (not python/), so `import linkpolicy` is the installed
# package and not the source folder.
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$repo/python/tests"
