// `npm run bench` (after `npm run build`): the figures of the README's "What it
// costs" section, for Node. Compare with the native ones:
//   cargo run --release -p linkpolicy-wasm --example native_timing
// Same work, timed the same way: the sample policy's load (first, then the median
// of 20) and classify of every request line of examples/links.txt, best of 5
// rounds of 200 passes, as plain objects (classify) and as JSON text parsed in JS
// (JSON.parse(classifyJson)).
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const t0 = performance.now();
const { Policy, samplePolicy } = await import("linkpolicy");
const importMs = performance.now() - t0;

const sample = samplePolicy();
let t = performance.now();
const policy = Policy.fromToml(sample);
const firstLoad = performance.now() - t;
const loads = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  Policy.fromToml(sample).free();
  loads.push(performance.now() - t);
}
loads.sort((a, b) => a - b);

const lines = readFileSync(new URL("../../examples/links.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");

function perLink(fn) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let pass = 0; pass < 200; pass++) for (const line of lines) fn(line);
    best = Math.min(best, performance.now() - start);
  }
  return (best * 1000) / (200 * lines.length);
}

let sink = 0;
const objects = perLink((l) => (sink += policy.classify(l).reasons.length));
const viaJson = perLink((l) => (sink += JSON.parse(policy.classifyJson(l)).reasons.length));
const jsonOnly = perLink((l) => (sink += policy.classifyJson(l).length));
console.log(
  `node ${process.version}: import (compile + instantiate) ${importMs.toFixed(1)} ms; ` +
    `first policy load ${firstLoad.toFixed(2)} ms, median load ${loads[10].toFixed(2)} ms`,
);
console.log(
  `per link (${lines.length} links): classify ${objects.toFixed(2)} µs, ` +
    `JSON.parse(classifyJson) ${viaJson.toFixed(2)} µs, classifyJson alone ${jsonOnly.toFixed(2)} µs (${sink > 0})`,
);
policy.free();
