//! linkpolicy for JavaScript: the npm package `linkpolicy`, a thin wasm-bindgen layer
//! over the library's public API.
//!
//! Everything a caller passes in is read by the library itself: a request is a
//! request line of contract section 8 ([`linkpolicy::Request`],
//! [`linkpolicy::MessageRequest`]), a request object is that line's JSON object, so
//! the package answers a request exactly as the example program, the command-line
//! tool and every other binding do. Verdicts come out as plain JS objects equal to
//! the contract's JSON (section 7).
//!
//! The JavaScript API and how to build the package are in `wasm/README.md`.
//!
//! On targets other than `wasm32` the crate compiles (so the workspace's lints and
//! tests cover it), but only the parts that do not touch JavaScript can run; they
//! are what the unit tests below check. The JS-facing behaviour is tested by the
//! package's Node and browser tests (`wasm/test/`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use js_sys::{Array, JSON, Object, Reflect};
use linkpolicy::{MessageRequest, Request};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The TypeScript types of what goes in and comes out; wasm-bindgen would call
/// them all `any`.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** What to do with a link: open it, show a warning page first, or refuse it. */
export type Action = "allow" | "warn" | "block";

/** A complaint or rule category. */
export type Category =
  | "fraud" | "harassment" | "inducement" | "illegal" | "privacy"
  | "marketing" | "malware" | "phishing" | "other";

/** Why a verdict is what it is (contract section 7); the deciding reason comes first. */
export type Reason =
  | { kind: "rule"; rule: string; category: Category }
  | { kind: "platform"; platform: string; tier: string }
  | { kind: "default" }
  | { kind: "phase"; phase: string }
  | { kind: "app_link" }
  | { kind: "unsafe_scheme"; scheme: string }
  | { kind: "invalid"; detail: string }
  | { kind: "too_long" }
  | { kind: "userinfo" }
  | { kind: "ip_host" }
  | { kind: "lookalike"; of: string }
  | { kind: "mixed_script" }
  | { kind: "redirect"; to: string }
  | { kind: "redirect_depth" }
  | { kind: "complaints"; category: Category; count: number }
  | { kind: "masked_link"; shown: string }
  | { kind: "user_blocked" }
  | { kind: "user_trusted" }
  | { kind: "user_mode" }
  | { kind: "bidi_control" }
  | { kind: "redirect_hops" }
  | { kind: "idn_spoof"; rule: string };

/** A shadow rule that matched, with the action it would have taken. */
export interface ShadowMatch {
  rule: string;
  action: Action;
}

/** The verdict on one link: the JSON object of contract section 7. */
export interface Verdict {
  action: Action;
  hard: boolean;
  reasons: Reason[];
  url: string | null;
  host: string | null;
  registrable_domain: string | null;
  platform: string | null;
  destination: string | null;
  clean_url: string | null;
  shadow: ShadowMatch[];
}

/** The user's own link settings (contract section 6). */
export interface Prefs {
  mode?: "default" | "ask" | "block_external";
  trusted?: string[];
  blocked?: string[];
}

/** Where a link or message was shared (the context fields of contract section 8). */
export interface RequestContext {
  /** `"one_to_one"` (the default) or `"group"`, which needs `members`. */
  chat?: "one_to_one" | "group";
  members?: number;
  user?: string;
  client_version?: string;
  /** Unix seconds. */
  now?: number;
  prefs?: Prefs;
}

/** A link request of contract section 8. */
export interface LinkRequest extends RequestContext {
  link: string;
  /** The text a rich-text message shows for the link, when it differs from it. */
  display_text?: string;
}

/** A message request of the example program's `--messages` mode. */
export interface MessageRequest extends RequestContext {
  text: string;
}

/** A link found in a message. */
export interface FoundLink {
  /** Byte offsets into the message's UTF-8 text. */
  start: number;
  end: number;
  /** Offsets in UTF-16 code units: `message.slice(start16, end16) === text`. */
  start16: number;
  end16: number;
  /** The link as the message spells it. */
  text: string;
  kind: "web" | "app" | "email";
  verdict: Verdict;
}

/** The links of a message, in order of appearance. */
export interface MessageLinks {
  links: FoundLink[];
}

/** One problem of a policy that does not load. */
export interface PolicyProblem {
  /** The problem alone, e.g. ``unknown field `acton` ``. */
  message: string;
  /** The section it is in: `rule`, `platform`, `tiers`, `defaults`, … */
  section: string | null;
  /** The item's 0-based index in its section. */
  index: number | null;
  /** The item's id (a rule id, a platform id, a tier name). */
  id: string | null;
  /** The field, e.g. `action`. */
  field: string | null;
  /** 1-based line and column in the policy text, when the parser tells. */
  line: number | null;
  column: number | null;
}

/** The error `Policy.fromToml` and `Policy.fromJson` throw (`name` is `"PolicyError"`). */
export interface PolicyError extends Error {
  /** Every problem found, the one of `message` first. */
  problems: PolicyProblem[];
}

/** What a person should be shown about a link (for a warning page). */
export interface Explanation {
  /** The verdict, as `classify` gives it. */
  verdict: Verdict;
  action: Action;
  /** The host as a warning page shows it: Unicode, except for a spoofing host. */
  host: string | null;
  /** Each reason as a short English sentence, the deciding one first. */
  reasons: { kind: Reason["kind"]; text: string }[];
}
"#;

/// A compiled link policy: immutable; free it with `free()` when done (or let the
/// garbage collector's finalizer do it).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Policy {
    inner: linkpolicy::Policy,
}

#[wasm_bindgen]
impl Policy {
    /// Loads a policy written in TOML (contract section 3). Throws a `PolicyError`
    /// whose message names the rule and field, with every problem in `problems`.
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(text: &str) -> Result<Policy, JsValue> {
        linkpolicy::Policy::from_toml_str(text)
            .map(|inner| Policy { inner })
            .map_err(|e| policy_error(&e))
    }

    /// Loads a policy written in JSON (the same model as TOML). Throws like
    /// `fromToml`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Policy, JsValue> {
        linkpolicy::Policy::from_json_str(text)
            .map(|inner| Policy { inner })
            .map_err(|e| policy_error(&e))
    }

    /// Loads a snapshot written by `toSnapshot`, `linkpolicy compile` or
    /// `Policy::to_snapshot` in any language: no policy text is read. Throws a
    /// `PolicyError` for bytes that are no snapshot, a damaged one or one of
    /// another format version. Complaint counts are not in a snapshot.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(bytes: &[u8]) -> Result<Policy, JsValue> {
        linkpolicy::Policy::from_snapshot(bytes.to_vec())
            .map(|inner| Policy { inner })
            .map_err(|e| policy_error(&e))
    }

    /// The policy as a snapshot (a `Uint8Array`), for `fromSnapshot`.
    #[wasm_bindgen(js_name = toSnapshot)]
    pub fn to_snapshot(&self) -> Vec<u8> {
        self.inner.to_snapshot()
    }

    /// The verdict on one link: `request` is a link (a string, read as a line of
    /// the example program: a one-to-one chat) or a request object of contract
    /// section 8 (`{link, chat, members, user, client_version, now, prefs,
    /// display_text}`). Returns a plain object equal to the contract's JSON.
    /// Throws an `Error` (`name` `"RequestError"`) for a request that cannot be
    /// read, with the message the example program prints.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn classify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | LinkRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let line = request_line(&request)?;
        let verdict = Request::parse(&line)
            .map_err(|e| request_error(&e.to_string()))?
            .classify(&self.inner)
            .to_json();
        JSON::parse(&verdict)
    }

    /// `classify`'s verdict as one line of JSON, exactly the example program's
    /// output line (for logs, or to send on).
    #[wasm_bindgen(js_name = classifyJson)]
    pub fn classify_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | LinkRequest")] request: JsValue,
    ) -> Result<String, JsValue> {
        let line = request_line(&request)?;
        Request::parse(&line)
            .map(|r| r.classify(&self.inner).to_json())
            .map_err(|e| request_error(&e.to_string()))
    }

    /// What a person should be shown about a link (for its warning page):
    /// `{verdict, action, host, reasons}` with `classify`'s verdict, the host as a
    /// warning page shows it (Unicode, but never for a lookalike or mixed-script
    /// host) and each reason as a short English sentence, the deciding one first.
    /// `request` is what `classify` takes; for a link of `scan`, pass its `text`
    /// (`mailto:` and the text for an e-mail address) and the message's context.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | LinkRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let line = request_line(&request)?;
        let verdict = Request::parse(&line)
            .map_err(|e| request_error(&e.to_string()))?
            .classify(&self.inner);
        to_js(&explanation_of(&verdict))
    }

    /// Every link of a chat message with its verdict, in order of appearance:
    /// `request` is the message (a string, read as a line of the example
    /// program's `--messages` mode: plain text unless it starts with `{`) or a
    /// message request object (`{text, chat, members, …}`). Offsets are given in
    /// UTF-8 bytes (`start`, `end`) and in UTF-16 code units (`start16`, `end16`,
    /// which slice a JS string).
    #[wasm_bindgen(unchecked_return_type = "MessageLinks")]
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | MessageRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let line = request_line(&request)?;
        let links = MessageRequest::parse(&line)
            .map_err(|e| request_error(&e.to_string()))?
            .scan(&self.inner)
            .to_json();
        JSON::parse(&links)
    }

    /// The policy's revision: 16 hex digits, the same on every machine for the
    /// same policy text (the library's `Policy::revision`).
    #[wasm_bindgen(getter)]
    pub fn revision(&self) -> String {
        format!("{:016x}", self.inner.revision())
    }

    /// The number of rules.
    #[wasm_bindgen(getter, js_name = ruleCount)]
    pub fn rule_count(&self) -> usize {
        self.inner.rule_count()
    }

    /// The list lines the policy could not use, one message each (the policy loads
    /// without them).
    #[wasm_bindgen(getter, unchecked_return_type = "string[]")]
    pub fn warnings(&self) -> Array {
        self.inner
            .warnings()
            .map(|w| JsValue::from_str(&w.to_string()))
            .collect()
    }
}

/// The sample policy shipped with the library (`policies/sample.toml`, TOML): a
/// Chinese super-app in late 2021, the demo page's default.
#[wasm_bindgen(js_name = samplePolicy)]
pub fn sample_policy() -> String {
    linkpolicy::SAMPLE_POLICY.to_owned()
}

/// What a warning page shows of a verdict.
fn explanation_of(verdict: &linkpolicy::Verdict) -> Explanation {
    Explanation {
        verdict: verdict.clone(),
        action: verdict.action().as_str(),
        host: verdict.host_unicode().map(|h| h.into_owned()),
        reasons: verdict
            .reasons()
            .map(|r| ReasonText {
                kind: r.kind(),
                text: r.to_string(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
struct Explanation {
    verdict: linkpolicy::Verdict,
    action: &'static str,
    host: Option<String>,
    reasons: Vec<ReasonText>,
}

#[derive(Debug, Serialize)]
struct ReasonText {
    kind: &'static str,
    text: String,
}

/// One problem of a policy, as `PolicyError.problems` lists it.
#[derive(Debug, PartialEq, Serialize)]
struct Problem {
    message: String,
    section: Option<String>,
    index: Option<usize>,
    id: Option<String>,
    field: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

fn problems(err: &linkpolicy::Error) -> Vec<Problem> {
    err.errors()
        .map(|e| Problem {
            message: e.message().to_owned(),
            section: e.item().map(|i| i.section().to_owned()),
            index: e.item().and_then(|i| i.index()),
            id: e.item().and_then(|i| i.id().map(str::to_owned)),
            field: e.field().map(str::to_owned),
            line: e.location().map(|l| l.line()),
            column: e.location().map(|l| l.column()),
        })
        .collect()
}

/// The line a request stands for: a string as it is, an object as its JSON text
/// (which the library then reads like any request line).
fn request_line(request: &JsValue) -> Result<String, JsValue> {
    if let Some(line) = request.as_string() {
        return Ok(line);
    }
    if request.is_object() && !Array::is_array(request) {
        if let Some(line) = JSON::stringify(request).ok().and_then(|s| s.as_string()) {
            return Ok(line);
        }
    }
    Err(request_error(
        "cannot read request: expected a string or a request object",
    ))
}

/// A plain JS object of a serializable value: its JSON text (the library's own
/// serialization, the example program's output) read by `JSON.parse`. Measured
/// as fast per link as building the object field by field with
/// serde-wasm-bindgen, and that crate's code is left out of the download.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| plain_error(&format!("cannot convert result: {e}")))?;
    JSON::parse(&text)
}

fn named_error(name: &str, message: &str) -> js_sys::Error {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    err
}

fn plain_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn request_error(message: &str) -> JsValue {
    named_error("RequestError", message).into()
}

fn policy_error(err: &linkpolicy::Error) -> JsValue {
    let js = named_error("PolicyError", &err.to_string());
    let list = to_js(&problems(err)).unwrap_or_else(|_| Object::new().into());
    // Setting a property on a fresh Error object cannot fail; if it somehow did,
    // the error still carries the message.
    let _ = Reflect::set(&js, &JsValue::from_str("problems"), &list);
    js.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use linkpolicy::{Context, SAMPLE_POLICY};

    #[test]
    fn problems_name_rule_and_field() {
        let err = linkpolicy::Policy::from_toml_str(
            "version = 1\n[[rule]]\nid = \"r1\"\nacton = \"block\"\nhost = \"x.example\"\n",
        )
        .unwrap_err();
        let list = problems(&err);
        assert_eq!(list.len(), err.len());
        let first = &list[0];
        assert_eq!(first.section.as_deref(), Some("rule"));
        assert!(first.message.contains("acton"), "{first:?}");
        assert!(first.line.is_some());
    }

    #[test]
    fn explanation_shows_unicode_hosts_and_reason_sentences() {
        let policy = linkpolicy::Policy::from_toml_str(SAMPLE_POLICY).unwrap();
        let v = policy.classify("https://京东.com/", &Context::group(3));
        let e = explanation_of(&v);
        assert_eq!(e.action, v.action().as_str());
        assert_eq!(e.host.as_deref(), Some("京东.com"));
        assert_eq!(e.reasons.len(), v.reasons().len());
        assert_eq!(e.reasons[0].text, v.reason().unwrap().to_string());
        assert_eq!(e.verdict, v);
    }
}
