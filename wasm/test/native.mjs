// The native library's answers, from the contract's example program
// (`examples/classify.rs`, section 8) run over the same request lines: every
// expectation of the Node tests comes from it, none is written by hand.
//
// LINKPOLICY_CLASSIFY names a built example binary; otherwise `cargo run
// --example classify` builds (or reuses: `cargo test` builds it) the debug one.
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The example program's output lines for `lines`, with `args` (a policy path,
 * `--messages`), and its standard error and exit status.
 */
export function native(lines, args = []) {
  const bin = process.env.LINKPOLICY_CLASSIFY;
  const [cmd, argv] = bin
    ? [bin, args]
    : [process.env.CARGO ?? "cargo", ["run", "--quiet", "--example", "classify", "--", ...args]];
  const r = spawnSync(cmd, argv, {
    cwd: root,
    input: lines.map((l) => `${l}\n`).join(""),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  const out = r.stdout.split("\n").filter((l) => l !== "");
  return { out, stderr: r.stderr, status: r.status };
}

/** `native` for a policy that loads: its output lines parsed, one a request. */
export function nativeAnswers(lines, args = []) {
  const { out, stderr, status } = native(lines, args);
  if (status !== 0) throw new Error(`classify exited ${status}: ${stderr}`);
  if (out.length !== lines.length) {
    throw new Error(`classify answered ${out.length} lines for ${lines.length}`);
  }
  return out.map((l) => JSON.parse(l));
}
