// `npm run build`: the crate to wasm32 (profile `wasm-release` of the root
// Cargo.toml), wasm-bindgen's ES-module glue (`--target web`, used by both
// entries: js/node.js and js/web.js), wasm-opt when it is installed, then the
// gzipped size, checked against the budget.
//
// Environment: CARGO (default `cargo`), WASM_BINDGEN (default `wasm-bindgen`),
// CARGO_TARGET_DIR (default `<repo>/target`), LINKPOLICY_NO_WASM_OPT=1 to skip
// wasm-opt, LINKPOLICY_WASM_BUDGET (gzipped bytes, default 800000).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, "..");
const root = resolve(pkgDir, "..");
const out = join(pkgDir, "dist", "pkg");
const budget = Number(process.env.LINKPOLICY_WASM_BUDGET ?? 800_000);

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} failed with status ${r.status}`);
}

/** The wasm-bindgen version Cargo.lock pins: the CLI must be exactly it. */
function lockedBindgenVersion() {
  const lock = readFileSync(join(root, "Cargo.lock"), "utf8");
  const m = lock.match(/\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/);
  if (!m) throw new Error("Cargo.lock has no wasm-bindgen package");
  return m[1];
}

function main() {
  const started = Date.now();
  const cargo = process.env.CARGO ?? "cargo";
  const bindgen = process.env.WASM_BINDGEN ?? "wasm-bindgen";
  const want = lockedBindgenVersion();
  let have;
  try {
    have = execFileSync(bindgen, ["--version"], { encoding: "utf8" }).trim().split(/\s+/)[1];
  } catch {
    have = null;
  }
  if (have !== want) {
    throw new Error(
      `wasm-bindgen ${want} is needed (Cargo.lock), found ${have ?? "none"}: ` +
        `cargo install wasm-bindgen-cli --version ${want} --locked`,
    );
  }

  run(cargo, [
    "build",
    "-p",
    "linkpolicy-wasm",
    "--lib",
    "--target",
    "wasm32-unknown-unknown",
    "--profile",
    "wasm-release",
  ]);
  const targetDir = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
  const input = join(targetDir, "wasm32-unknown-unknown", "wasm-release", "linkpolicy_wasm.wasm");

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  run(bindgen, ["--target", "web", "--out-dir", out, "--out-name", "linkpolicy", input]);

  const wasm = join(out, "linkpolicy_bg.wasm");
  const beforeOpt = statSync(wasm).size;
  const wasmOpt = join(pkgDir, "node_modules", ".bin", "wasm-opt");
  let optimized = false;
  if (process.env.LINKPOLICY_NO_WASM_OPT === "1") {
    console.log("wasm-opt: skipped (LINKPOLICY_NO_WASM_OPT=1)");
  } else if (!existsSync(wasmOpt)) {
    console.log("wasm-opt: not installed (npm install brings it, package binaryen); skipped");
  } else {
    const tmp = `${wasm}.opt`;
    try {
      // The features rustc's wasm32-unknown-unknown target turns on by default.
      run(wasmOpt, [
        "-Oz",
        "--enable-bulk-memory",
        "--enable-nontrapping-float-to-int",
        "--enable-sign-ext",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
        "--strip-debug",
        "--strip-producers",
        wasm,
        "-o",
        tmp,
      ]);
      // Keep wasm-opt's output only when it is smaller gzipped: -Oz shrinks the
      // code but can make it compress worse (it did, for this crate: measured).
      const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
      const [mine, theirs] = [gz(wasm), gz(tmp)];
      if (theirs < mine) {
        copyFileSync(tmp, wasm);
        optimized = true;
      } else {
        console.log(`wasm-opt: ${theirs} bytes gzipped, not below ${mine}; keeping wasm-bindgen's output`);
      }
    } catch (e) {
      console.log(`wasm-opt: ${e.message}; keeping wasm-bindgen's output`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  const bytes = readFileSync(wasm);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  const size = {
    wasm_bytes: bytes.length,
    wasm_bytes_before_wasm_opt: beforeOpt,
    wasm_opt: optimized,
    gzip_bytes: gzipped,
    budget_gzip_bytes: budget,
    build_seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  writeFileSync(join(pkgDir, "dist", "size.json"), `${JSON.stringify(size, null, 2)}\n`);
  // The licence notices of what the package holds: the crate's code (MIT) and the
  // Public Suffix List compiled into the .wasm (MPL-2.0).
  copyFileSync(join(root, "LICENSE-MIT"), join(pkgDir, "dist", "LICENSE-MIT"));
  copyFileSync(join(root, "data", "LICENSE.public_suffix_list"), join(pkgDir, "dist", "LICENSE.public_suffix_list"));
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log(
    `linkpolicy_bg.wasm: ${kb(bytes.length)} (${kb(beforeOpt)} before wasm-opt), ` +
      `${kb(gzipped)} gzipped (budget ${kb(budget)})`,
  );
  if (gzipped > budget) {
    throw new Error(`the .wasm is ${kb(gzipped)} gzipped, over the budget of ${kb(budget)}`);
  }
}

try {
  main();
} catch (e) {
  console.error(`build: ${e.message}`);
  process.exit(1);
}
