//! `linkpolicy._linkpolicy`: the Python extension module of the `linkpolicy`
//! package (see `python/README.md`). A thin layer over the library's public API:
//! the keyword arguments of a call become a request of the contract's section 8,
//! read by `linkpolicy::Request`, so Python gives the same answers and the same
//! errors as the example program, the CLI and the C ABI.

mod operator;

use linkpolicy::{Context, MessageRequest, Policy, Request};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

create_exception!(
    linkpolicy,
    PolicyError,
    PyValueError,
    "A policy that does not load: the message names each problem's rule and field, one a line."
);
create_exception!(
    linkpolicy,
    RequestError,
    PyValueError,
    "A context that cannot be read (a group without `members`, an unknown chat kind, a \
     preference domain that is not a domain, ...): the same message as the example program's \
     `{\"error\": ...}` line."
);

/// A compiled, immutable policy. Share one between threads; `classify_many`
/// releases the GIL while it classifies.
#[pyclass(frozen, module = "linkpolicy", name = "Policy")]
#[derive(Debug)]
struct PyPolicy {
    policy: Policy,
}

/// The context keyword arguments of a call, as given.
#[derive(Debug)]
struct ContextArgs<'py> {
    chat: String,
    members: Option<i64>,
    user: Option<String>,
    client_version: Option<String>,
    now: Option<i64>,
    prefs: Option<Bound<'py, PyAny>>,
    display_text: Option<String>,
}

#[pymethods]
impl PyPolicy {
    /// Loads a policy written in TOML. Raises `PolicyError` naming each problem's
    /// rule and field.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        load(Policy::from_toml_str(text))
    }

    /// Loads a policy written in JSON. Raises `PolicyError` naming each problem's
    /// rule and field.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        load(Policy::from_json_str(text))
    }

    /// The policy's revision: a 64-bit hash of its compiled content, the same for
    /// the same policy on every machine (log it as `f"{revision:016x}"`).
    #[getter]
    fn revision(&self) -> u64 {
        self.policy.revision()
    }

    /// The number of rules.
    #[getter]
    fn rule_count(&self) -> usize {
        self.policy.rule_count()
    }

    /// Decides what to do with `link` shared in the given context.
    #[pyo3(signature = (link, *, chat="one_to_one", members=None, user=None, client_version=None, now=None, prefs=None, display_text=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "the keyword arguments of section 8"
    )]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        link: &str,
        chat: &str,
        members: Option<i64>,
        user: Option<String>,
        client_version: Option<String>,
        now: Option<i64>,
        prefs: Option<Bound<'py, PyAny>>,
        display_text: Option<String>,
    ) -> PyResult<PyVerdict> {
        let args = ContextArgs {
            chat: chat.to_owned(),
            members,
            user,
            client_version,
            now,
            prefs,
            display_text,
        };
        let ctx = link_context(&args)?;
        let policy = &self.policy;
        let verdict = py.detach(|| policy.classify(link, &ctx));
        Ok(PyVerdict::new(verdict))
    }

    /// Classifies every link of `links` (any iterable of `str`) in one context,
    /// without the GIL: other Python threads run meanwhile. Returns a list of
    /// `Verdict`s, in order; the same as `[classify(l, **context) for l in links]`.
    #[pyo3(signature = (links, *, chat="one_to_one", members=None, user=None, client_version=None, now=None, prefs=None, display_text=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "the keyword arguments of section 8"
    )]
    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        links: &Bound<'py, PyAny>,
        chat: &str,
        members: Option<i64>,
        user: Option<String>,
        client_version: Option<String>,
        now: Option<i64>,
        prefs: Option<Bound<'py, PyAny>>,
        display_text: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let args = ContextArgs {
            chat: chat.to_owned(),
            members,
            user,
            client_version,
            now,
            prefs,
            display_text,
        };
        let ctx = link_context(&args)?;
        if links.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "`links` is a string: pass a list of links",
            ));
        }
        let links: Vec<String> = links
            .try_iter()?
            .map(|l| l?.extract::<String>())
            .collect::<PyResult<_>>()?;
        let policy = &self.policy;
        let verdicts: Vec<linkpolicy::Verdict> =
            py.detach(|| links.iter().map(|l| policy.classify(l, &ctx)).collect());
        PyList::new(py, verdicts.into_iter().map(PyVerdict::new))
    }

    /// Finds the links of a chat message and classifies each: a list of
    /// `FoundLink`s in order of appearance (byte offsets into the UTF-8 text and
    /// code-point offsets for slicing the Python string).
    #[pyo3(signature = (text, *, chat="one_to_one", members=None, user=None, client_version=None, now=None, prefs=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "the keyword arguments of section 8"
    )]
    fn scan<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        chat: &str,
        members: Option<i64>,
        user: Option<String>,
        client_version: Option<String>,
        now: Option<i64>,
        prefs: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Vec<PyFoundLink>> {
        let args = ContextArgs {
            chat: chat.to_owned(),
            members,
            user,
            client_version,
            now,
            prefs,
            display_text: None,
        };
        let ctx = message_context(&args)?;
        let policy = &self.policy;
        let request = MessageRequest::new(text, ctx);
        let found = py.detach(|| request.scan(policy));
        Ok(found
            .links
            .into_iter()
            .map(|link| PyFoundLink {
                start_char: char_offset(text, link.start),
                end_char: char_offset(text, link.end),
                link,
            })
            .collect())
    }

    /// The example program's output line for one request line of section 8 (a
    /// bare link or a JSON object): the verdict JSON or `{"error": "..."}`.
    fn answer(&self, py: Python<'_>, line: &str) -> String {
        let policy = &self.policy;
        py.detach(|| Request::answer(policy, line))
    }

    /// The example program's `--messages` output line for one message line
    /// (plain text or a JSON object with `text`): `{"links": [...]}` or
    /// `{"error": "..."}`.
    fn answer_message(&self, py: Python<'_>, line: &str) -> String {
        let policy = &self.policy;
        py.detach(|| MessageRequest::answer(policy, line))
    }

    /// Decides the policy file's own `[[test]]` cases (contract section 9), without
    /// the GIL: a `TestReport` with each outcome and what no test reached.
    fn run_tests(&self, py: Python<'_>) -> operator::PyTestReport {
        let policy = &self.policy;
        operator::PyTestReport::new(py.detach(|| policy.run_tests()))
    }

    /// How `link` is decided in the given context, step by step: a dict with
    /// `steps` (one sentence per step of the evaluation order) and `verdict` (the
    /// contract's JSON verdict, the one `classify` gives).
    #[pyo3(signature = (link, *, chat="one_to_one", members=None, user=None, client_version=None, now=None, prefs=None, display_text=None))]
    #[expect(
        clippy::too_many_arguments,
        reason = "the keyword arguments of section 8"
    )]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        link: &str,
        chat: &str,
        members: Option<i64>,
        user: Option<String>,
        client_version: Option<String>,
        now: Option<i64>,
        prefs: Option<Bound<'py, PyAny>>,
        display_text: Option<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let args = ContextArgs {
            chat: chat.to_owned(),
            members,
            user,
            client_version,
            now,
            prefs,
            display_text,
        };
        let ctx = link_context(&args)?;
        let policy = &self.policy;
        let e = py.detach(|| policy.explain(link, &ctx));
        let d = PyDict::new(py);
        d.set_item("steps", e.steps().to_vec())?;
        d.set_item("verdict", to_py(py, e.verdict())?)?;
        Ok(d)
    }

    /// Counts the verdicts of `lines` (request lines of section 8: bare links or
    /// JSON objects; with `messages=True`, message lines, every link found
    /// counted), without the GIL: the dict of `linkpolicy stats --json`.
    #[pyo3(signature = (lines, *, messages=false))]
    fn stats<'py>(
        &self,
        py: Python<'py>,
        lines: &Bound<'py, PyAny>,
        messages: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let items = operator::read_requests(lines, messages, "lines")?;
        let policy = &self.policy;
        let stats = py.detach(|| operator::stats(policy, &items, messages));
        to_py(py, &operator::stats_json(&stats))
    }

    fn __repr__(&self) -> String {
        format!(
            "<linkpolicy.Policy revision={:016x} rules={}>",
            self.policy.revision(),
            self.policy.rule_count()
        )
    }
}

/// What to do with a link, and why: `action` (`"allow"`, `"warn"` or
/// `"block"`), `hard`, `reasons` and the other fields of the contract's
/// section 7; `to_dict()` is exactly the JSON verdict.
#[pyclass(frozen, module = "linkpolicy", name = "Verdict")]
#[derive(Debug)]
struct PyVerdict {
    verdict: linkpolicy::Verdict,
}

impl PyVerdict {
    fn new(verdict: linkpolicy::Verdict) -> Self {
        Self { verdict }
    }
}

#[pymethods]
impl PyVerdict {
    /// Reads a verdict from its JSON (as `to_json()` writes it, or a stored
    /// line of the example program). Raises `ValueError` when it is not one.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str::<linkpolicy::Verdict>(text)
            .map(Self::new)
            .map_err(|e| PyValueError::new_err(format!("not a verdict: {e}")))
    }

    /// `"allow"`, `"warn"` or `"block"`.
    #[getter]
    fn action(&self) -> &'static str {
        self.verdict.action().as_str()
    }

    /// Whether no user preference can relax the verdict.
    #[getter]
    fn hard(&self) -> bool {
        self.verdict.is_hard()
    }

    /// The reasons, the deciding one first: dicts with a `kind` key, as in JSON.
    #[getter]
    fn reasons<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .verdict
            .reasons()
            .map(|r| to_py(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// A short human message for each reason, the deciding one first.
    #[getter]
    fn messages(&self) -> Vec<String> {
        self.verdict.reasons().map(ToString::to_string).collect()
    }

    /// The ids of the rules (and list entries) that decided.
    #[getter]
    fn rule_ids(&self) -> Vec<String> {
        self.verdict
            .rule_ids()
            .map(|id| id.as_str().to_owned())
            .collect()
    }

    /// The normalized URL, or `None` when the link could not be read.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.verdict.url()
    }

    /// The host, in ASCII (`xn--` for a Unicode domain).
    #[getter]
    fn host(&self) -> Option<&str> {
        self.verdict.host()
    }

    /// The host in Unicode, for a warning page (`京东.com`).
    #[getter]
    fn host_unicode(&self) -> Option<String> {
        self.verdict.host_unicode().map(|h| h.into_owned())
    }

    /// The registrable domain (`jd.com` for `item.jd.com`).
    #[getter]
    fn registrable_domain(&self) -> Option<&str> {
        self.verdict.registrable_domain()
    }

    /// The id of the platform the link belongs to.
    #[getter]
    fn platform(&self) -> Option<&str> {
        self.verdict.platform().map(|p| p.as_str())
    }

    /// Where the link really goes (redirectors and wrappers unwrapped).
    #[getter]
    fn destination(&self) -> Option<&str> {
        self.verdict.destination()
    }

    /// The destination without tracking parameters.
    #[getter]
    fn clean_url(&self) -> Option<&str> {
        self.verdict.clean_url()
    }

    /// The shadow rules that matched, as dicts (`rule`, `action`).
    #[getter]
    fn shadow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .verdict
            .shadow()
            .map(|s| to_py(py, s))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The revision of the policy that decided, for audit logs; `None` for a
    /// verdict read back with `from_json`.
    #[getter]
    fn policy_revision(&self) -> Option<u64> {
        self.verdict.policy_revision()
    }

    /// The verdict as a dict: exactly the contract's JSON verdict (section 7).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.verdict)
    }

    /// The verdict as one line of JSON, the example program's output line.
    fn to_json(&self) -> String {
        self.verdict.to_json()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, PyVerdict>>()
            .is_ok_and(|o| o.verdict == self.verdict)
    }

    fn __str__(&self) -> String {
        self.verdict.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<linkpolicy.Verdict {}>", self.verdict)
    }
}

/// A link found in a message: where it is, what it says, and its verdict.
#[pyclass(frozen, module = "linkpolicy", name = "FoundLink")]
#[derive(Debug)]
struct PyFoundLink {
    link: linkpolicy::FoundLink,
    start_char: usize,
    end_char: usize,
}

#[pymethods]
impl PyFoundLink {
    /// The byte offset in the message's UTF-8 text where the link starts.
    #[getter]
    fn start(&self) -> usize {
        self.link.start
    }

    /// The byte offset just past the link.
    #[getter]
    fn end(&self) -> usize {
        self.link.end
    }

    /// Where the link starts in the Python string: `text[start_char:end_char]`.
    #[getter]
    fn start_char(&self) -> usize {
        self.start_char
    }

    /// Where the link ends in the Python string.
    #[getter]
    fn end_char(&self) -> usize {
        self.end_char
    }

    /// The link as the message spells it.
    #[getter]
    fn text(&self) -> &str {
        &self.link.text
    }

    /// `"web"`, `"app"` or `"email"`.
    #[getter]
    fn kind(&self) -> String {
        kind_name(&self.link.kind)
    }

    /// The link's verdict.
    #[getter]
    fn verdict(&self) -> PyVerdict {
        PyVerdict::new(self.link.verdict.clone())
    }

    /// The link as a dict: exactly an entry of the `--messages` output line
    /// (`start`, `end`, `text`, `verdict`, ...).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.link)
    }

    fn __repr__(&self) -> String {
        format!(
            "<linkpolicy.FoundLink {:?} [{}:{}] {}>",
            self.link.text, self.start_char, self.end_char, self.link.verdict
        )
    }
}

/// The extension module.
#[pymodule]
fn _linkpolicy(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPolicy>()?;
    m.add_class::<PyVerdict>()?;
    m.add_class::<PyFoundLink>()?;
    m.add_class::<operator::PyTestReport>()?;
    m.add_function(wrap_pyfunction!(operator::diff, m)?)?;
    m.add("PolicyError", m.py().get_type::<PolicyError>())?;
    m.add("RequestError", m.py().get_type::<RequestError>())?;
    m.add("SAMPLE_POLICY", linkpolicy::SAMPLE_POLICY)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

fn load(result: Result<Policy, linkpolicy::Error>) -> PyResult<PyPolicy> {
    result.map(|policy| PyPolicy { policy }).map_err(|e| {
        let lines: Vec<String> = e.errors().map(ToString::to_string).collect();
        PolicyError::new_err(lines.join("\n"))
    })
}

/// The context of a link request: read by [`Request::parse`] from the request
/// line the keyword arguments make, so every error is the library's.
fn link_context(args: &ContextArgs<'_>) -> PyResult<Context> {
    let Some(line) = request_line(args, "link")? else {
        return Ok(Context::one_to_one());
    };
    Request::parse(&line)
        .map(|r| r.into_parts().1)
        .map_err(request_error)
}

/// The context of a message request ([`MessageRequest::parse`]).
fn message_context(args: &ContextArgs<'_>) -> PyResult<Context> {
    let Some(line) = request_line(args, "text")? else {
        return Ok(Context::one_to_one());
    };
    MessageRequest::parse(&line)
        .map(|r| r.into_parts().1)
        .map_err(request_error)
}

/// A [`linkpolicy::RequestError`] as Python's `RequestError`, without the
/// position in the request line the keyword arguments made (the caller has no
/// such line).
fn request_error(e: linkpolicy::RequestError) -> PyErr {
    let message = e.to_string();
    let short = message
        .rsplit_once(" at line ")
        .filter(|(_, at)| {
            at.split_once(" column ").is_some_and(|(l, c)| {
                !l.is_empty()
                    && !c.is_empty()
                    && l.bytes().all(|b| b.is_ascii_digit())
                    && c.bytes().all(|b| b.is_ascii_digit())
            })
        })
        .map_or(message.as_str(), |(head, _)| head);
    RequestError::new_err(short.to_owned())
}

/// The request line for the keyword arguments, with an empty `subject`; `None`
/// when there are none (a one-to-one chat).
fn request_line(args: &ContextArgs<'_>, subject: &str) -> PyResult<Option<String>> {
    let mut map = Map::new();
    // The default chat is left out, so that `members` alone is the library's
    // "members without a group" error, as in a JSON request.
    if args.chat != "one_to_one" {
        map.insert("chat".into(), args.chat.clone().into());
    }
    if let Some(members) = args.members {
        map.insert("members".into(), members.into());
    }
    if let Some(user) = &args.user {
        map.insert("user".into(), user.clone().into());
    }
    if let Some(version) = &args.client_version {
        map.insert("client_version".into(), version.clone().into());
    }
    if let Some(now) = args.now {
        map.insert("now".into(), now.into());
    }
    if let Some(prefs) = &args.prefs {
        if !prefs.is_none() {
            map.insert("prefs".into(), from_py(prefs, 0)?);
        }
    }
    if let Some(text) = &args.display_text {
        map.insert("display_text".into(), text.clone().into());
    }
    if map.is_empty() {
        return Ok(None);
    }
    map.insert(subject.into(), "".into());
    Ok(Some(Value::Object(map).to_string()))
}

/// How deep a `prefs` value may nest (it has two levels).
const MAX_DEPTH: usize = 16;

/// A Python value (None, bool, int, float, str, dict with str keys, list,
/// tuple) as JSON.
fn from_py(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err("`prefs` nests too deeply"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract::<bool>()?));
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj.extract::<i64>() {
            Ok(i) => Ok(i.into()),
            Err(_) => Ok(obj.extract::<u64>()?.into()),
        };
    }
    if obj.is_instance_of::<PyFloat>() {
        let f = obj.extract::<f64>()?;
        return serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("`{f}` is not a JSON number")));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(obj.extract::<String>()?));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key = k
                .extract::<String>()
                .map_err(|_| PyTypeError::new_err("`prefs` keys must be strings"))?;
            map.insert(key, from_py(&v, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()?
            .map(|item| from_py(&item?, depth + 1))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "cannot pass a `{}` in `prefs`",
        obj.get_type().name()?
    )))
}

/// A value's JSON as Python, read by Python's own `json` module so that dicts
/// keep the JSON's key order (the contract's field order).
fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// The code-point offset of byte offset `byte` in `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

fn kind_name(kind: &linkpolicy::LinkKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{kind:?}").to_lowercase())
}
