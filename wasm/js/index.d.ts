// The package's types: wasm-bindgen's declarations (refined in wasm/src/lib.rs),
// without its init functions, which the entries call themselves.
export { Policy, samplePolicy } from "../dist/pkg/linkpolicy.js";
export type {
  Action,
  Category,
  Explanation,
  FoundLink,
  LinkRequest,
  MessageLinks,
  MessageRequest,
  PolicyError,
  PolicyProblem,
  Prefs,
  Reason,
  RequestContext,
  ShadowMatch,
  Verdict,
} from "../dist/pkg/linkpolicy.js";
