//! The operator API of the library (its `operator` module) for Python: a
//! policy's own tests, the diff of two policies, counts. Each returns what the
//! command-line tool prints with `--json`, as Python values.

use linkpolicy::{Action, Context, Diff, DiffContext, MessageRequest, Policy, Request, Stats};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde_json::{Value, json};

use crate::{PyPolicy, RequestError, to_py};

/// What a policy's test run found (`Policy.run_tests()`): `passed`, `failed`,
/// `outcomes` (one dict per test, in the policy file's order) and
/// `not_reached` (the rules, lists, platforms, tiers and phases no test
/// reached); `to_dict()` is the JSON of `linkpolicy test --json`.
#[pyclass(frozen, module = "linkpolicy", name = "TestReport")]
#[derive(Debug)]
pub(crate) struct PyTestReport {
    report: linkpolicy::TestReport,
}

impl PyTestReport {
    pub(crate) fn new(report: linkpolicy::TestReport) -> Self {
        Self { report }
    }

    /// One dict per test, as `linkpolicy test --json` prints them; the verdict
    /// is set from its own JSON, so that it keeps the contract's field order.
    fn outcomes_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .report
            .outcomes
            .iter()
            .map(|(t, o)| {
                let d = PyDict::new(py);
                d.set_item("name", t.name())?;
                d.set_item("link", t.link())?;
                d.set_item("expect", t.expect().as_str())?;
                d.set_item("passed", o.passed())?;
                d.set_item("problems", o.problems().to_vec())?;
                d.set_item("verdict", to_py(py, o.verdict())?)?;
                Ok(d)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn not_reached_json(&self) -> Value {
        let c = &self.report.coverage;
        json!({
            "rules": c.rules, "lists": c.lists, "platforms": c.platforms,
            "tiers": c.tiers, "phases": c.phases,
        })
    }
}

#[pymethods]
impl PyTestReport {
    /// Whether every test passed.
    #[getter]
    fn passed(&self) -> bool {
        self.report.passed()
    }

    /// The number of tests that failed.
    #[getter]
    fn failed(&self) -> usize {
        self.report.failed()
    }

    /// The number of tests.
    #[getter]
    fn total(&self) -> usize {
        self.report.outcomes.len()
    }

    /// Each test's outcome, in the policy file's order: dicts with `name` (or
    /// `None`), `link`, `expect`, `passed`, `problems` (one message per
    /// difference, empty when it passed) and `verdict` (the JSON verdict).
    #[getter]
    fn outcomes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.outcomes_py(py)
    }

    /// What no test reached: a dict of lists, `rules`, `lists`, `platforms`,
    /// `tiers` and `phases`, each in the policy's order.
    #[getter]
    fn not_reached<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.not_reached_json())
    }

    /// The report as `linkpolicy test --json` prints it: `tests`, `passed`
    /// (the number that passed), `failed`, `not_reached`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("tests", self.outcomes_py(py)?)?;
        d.set_item("passed", self.report.outcomes.len() - self.report.failed())?;
        d.set_item("failed", self.report.failed())?;
        d.set_item("not_reached", to_py(py, &self.not_reached_json())?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "<linkpolicy.TestReport {} test(s): {} passed, {} failed>",
            self.report.outcomes.len(),
            self.report.outcomes.len() - self.report.failed(),
            self.report.failed()
        )
    }
}

/// The verdict-change matrix of two policies over the same links (the JSON of
/// `linkpolicy diff --json`), computed without the GIL on `threads` threads (0:
/// every core).
///
/// `links` are request lines of section 8 (bare links or JSON objects with a
/// context), or with `messages=True` message lines whose links are compared.
/// `contexts` (`"one_to_one"`, `"group:N"`) classifies every link in each of
/// those chats instead of its own context.
#[pyfunction]
#[pyo3(signature = (old, new, links, contexts=None, messages=false, threads=0))]
pub(crate) fn diff<'py>(
    py: Python<'py>,
    old: &PyPolicy,
    new: &PyPolicy,
    links: &Bound<'py, PyAny>,
    contexts: Option<Vec<String>>,
    messages: bool,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let contexts = contexts
        .unwrap_or_default()
        .iter()
        .map(|c| c.parse::<DiffContext>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let items = read_requests(links, messages, "links")?;
    let (old, new) = (&old.policy, &new.policy);
    let d = py.detach(|| {
        if messages {
            Diff::run_messages(old, new, &items, &contexts, threads)
        } else {
            Diff::run(old, new, &items, &contexts, threads)
        }
    });
    py.import("json")?.call_method1("loads", (d.to_json(),))
}

/// The request lines of `lines` (any iterable of `str`, not a `str`), read by
/// the library: `RequestError` naming the first that cannot be read.
pub(crate) fn read_requests(
    lines: &Bound<'_, PyAny>,
    messages: bool,
    what: &str,
) -> PyResult<Vec<(String, Context)>> {
    if lines.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "`{what}` is a string: pass a list of lines"
        )));
    }
    let mut items = Vec::new();
    for (i, line) in lines.try_iter()?.enumerate() {
        let line = line?.extract::<String>()?;
        let parsed = if messages {
            MessageRequest::parse(&line).map(MessageRequest::into_parts)
        } else {
            Request::parse(&line).map(Request::into_parts)
        };
        items.push(parsed.map_err(|e| RequestError::new_err(format!("{what}[{i}]: {e}")))?);
    }
    Ok(items)
}

/// The counts of the verdicts of `items` (with `messages`, of every link found).
pub(crate) fn stats(policy: &Policy, items: &[(String, Context)], messages: bool) -> Stats {
    let mut stats = Stats::new();
    for (subject, ctx) in items {
        if messages {
            policy
                .scan(subject, ctx)
                .iter()
                .for_each(|l| stats.add(&l.verdict));
        } else {
            stats.add(&policy.classify(subject, ctx));
        }
    }
    stats
}

/// The counts as `linkpolicy stats --json` prints them (without `unread`: a line
/// that cannot be read is an error here).
pub(crate) fn stats_json(stats: &Stats) -> Value {
    let shadow: Vec<Value> = stats
        .shadow()
        .iter()
        .map(|((rule, action), n)| json!({"rule": rule, "action": action.as_str(), "count": n}))
        .collect();
    json!({
        "links": stats.total(),
        "hard": stats.hard(),
        "actions": {
            "allow": stats.action(Action::Allow),
            "warn": stats.action(Action::Warn),
            "block": stats.action(Action::Block),
        },
        "reason_kinds": stats.reason_kinds(),
        "rules": stats.rules(),
        "lists": stats.lists(),
        "shadow": shadow,
    })
}
