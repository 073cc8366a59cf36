// Node entry (`import { Policy } from "linkpolicy"`): the module is compiled and
// instantiated synchronously on import, so there is no init call to make.
import { readFileSync } from "node:fs";
import { initSync, Policy, samplePolicy } from "../dist/pkg/linkpolicy.js";

initSync({ module: readFileSync(new URL("../dist/pkg/linkpolicy_bg.wasm", import.meta.url)) });

export { Policy, samplePolicy };
