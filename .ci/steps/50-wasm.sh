#!/usr/bin/env bash
# The WebAssembly package (wasm/, issue #20): build it with the wasm-bindgen-cli that
# Cargo.lock pins, check the gzipped size against the budget (the build fails over
# it), type-check a TypeScript user of it, run the Node tests against the native
# library (the example program, which `cargo test` has just built) and the demo
# page's test in headless Chromium. Installs what is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

export CARGO_TERM_COLOR=never

# The Rust target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli: exactly the crate's version, from crates.io (cached in ~/.cargo/bin).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
    cargo install wasm-bindgen-cli --version "$want" --locked
fi

# Chromium for the demo page's test, and a CJK font for its screenshots (Debian's packages).
if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-wqy-microhei >/dev/null
fi

cd wasm
npm ci --no-audit --no-fund
npm run build
npm run typecheck
# The native answers: the example program (debug; `cargo test` has built it already).
cargo build --quiet -p linkpolicy --example classify
target=$(cd .. && cd "${CARGO_TARGET_DIR:-target}" && pwd)
export LINKPOLICY_CLASSIFY="$target/debug/examples/classify"
npm test
npm run test:browser
# `npm install path/to/wasm` from another project (a link to the folder), and the
# packed tarball (what `files` lets out): import it as a user would.
pkg=$PWD
user=$(mktemp -d)
trap 'rm -rf "$user"' EXIT
npm pack --silent --pack-destination "$user" >/dev/null
for source in "$pkg" "$user"/linkpolicy-*.tgz; do
    rm -rf "$user/project"
    mkdir "$user/project"
    cd "$user/project"
    npm init -y >/dev/null
    npm install --no-audit --no-fund "$source" >/dev/null
    # The licence notices travel with the package.
    for notice in LICENSE-MIT LICENSE.public_suffix_list; do
        test -s "node_modules/linkpolicy/dist/$notice" || { echo "the package lacks $notice" >&2; exit 1; }
    done
    node --input-type=module -e '
        import { Policy, samplePolicy } from "linkpolicy";
        const p = Policy.fromToml(samplePolicy());
        const v = p.classify({ link: "https://item.jd.com/1.html", chat: "group", members: 250 });
        if (!["allow", "warn", "block"].includes(v.action)) throw new Error(JSON.stringify(v));
        console.log("installed package: ok,", v.action, v.reasons[0].kind);
        p.free();
    '
    echo "  (from $source)"
done
cd "$pkg"
cat dist/size.json
