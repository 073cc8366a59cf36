// Browser and bundler entry: an ES module whose top-level await fetches and
// instantiates the .wasm next to it, so importers make no init call either.
import init, { Policy, samplePolicy } from "../dist/pkg/linkpolicy.js";

await init({ module_or_path: new URL("../dist/pkg/linkpolicy_bg.wasm", import.meta.url) });

export { Policy, samplePolicy };
