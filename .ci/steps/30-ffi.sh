#!/usr/bin/env bash
# The C ABI (ffi/): the checked-in header is what cbindgen makes of the code, the C
# test program gives the library's answers from 8 threads on one policy (static
# library), the shared library and the header from C++ work too, and valgrind's
# memcheck finds no leak and no invalid access.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v gcc >/dev/null || need+=(gcc)
command -v g++ >/dev/null || need+=(g++)
command -v valgrind >/dev/null || need+=(valgrind)
if ((${#need[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The static and shared libraries (`cargo test` builds only the rlib), then
# tests/header.rs (header up to date) and tests/c_abi.rs (gcc, 8 threads): the C
# program and its case files are left in target/tmp/ffi-c/.
cargo build -p linkpolicy-ffi
cargo test -p linkpolicy-ffi

target="${CARGO_TARGET_DIR:-target}"
cases="$target/tmp/ffi-c"
# Absolute, for the rpath, whether CARGO_TARGET_DIR is relative or absolute.
lib=$(cd "$target/debug" && pwd)

# The same program linked against the shared library.
gcc -std=c11 -Wall -Wextra -Werror -pedantic -I ffi/include ffi/tests/c/test_linkpolicy.c \
    -L "$lib" -llinkpolicy_ffi -Wl,-rpath,"$lib" -lpthread -o "$cases/test_linkpolicy_shared"
"$cases/test_linkpolicy_shared" "$cases" 4

# The header from C++, with RAII owners (the guide's snippet).
g++ -std=c++17 -Wall -Wextra -Werror -I ffi/include ffi/tests/c/cpp_smoke.cpp \
    "$lib/liblinkpolicy_ffi.a" -lpthread -ldl -o "$cases/cpp_smoke"
"$cases/cpp_smoke"

# Memcheck: leaks (definite, indirect, possible) and invalid reads or writes are
# errors; 2 threads keep it quick. The one suppression is a process-wide static.
valgrind --quiet --error-exitcode=3 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible \
    --num-callers=40 --suppressions=ffi/tests/c/valgrind.supp \
    "$cases/test_linkpolicy" "$cases" 2
echo "valgrind memcheck: clean"
