//! The approval chain (M6, M8, task 8): `ApprovalState`, `AuditLog`, `enter`, `transition`,
//! `check_performance_targets`, `verify_log`, `replay_log`, and their exceptions.
//!
//! Glue only: actors, libraries and projects come in as dicts in the core's JSON shape; stages
//! and actions are their snake_case names (`"in_library"`, `"recheck"`); times are timezone-aware
//! `datetime`s; amounts `Decimal`, `str` or `int` (never `float`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pyo3::BoundObject;
use pyo3::create_exception;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use fupin::approval::{self, Action, Actor, ProjectApproval};
use fupin::audit;

use crate::errors::{DataError, FupinError};
use crate::from_py::to_json;
use crate::plan::Check;
use crate::to_py::to_py;

create_exception!(
    fupin,
    ApprovalError,
    FupinError,
    "An approval step is refused; `.kind`, `.project`, `.actor` (id), `.clause` and `.message_zh` say why."
);
create_exception!(
    fupin,
    ProjectError,
    FupinError,
    "A project cannot enter a library or receive special poverty funds (M6)."
);
create_exception!(
    fupin,
    AuditError,
    FupinError,
    "An event log is malformed, tampered with or illegal; `.line` names the line, `.kind` what."
);

fn with_attrs(err: PyErr, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    Python::attach(|py| {
        for (k, v) in attrs {
            // Setting an attribute on a fresh exception cannot fail in practice; if it did, the
            // exception is still raised without it.
            let _ = err.value(py).setattr(*k, v.bind(py));
        }
    });
    err
}

fn obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Py<PyAny> {
    v.into_pyobject(py)
        .map(|b| b.into_any().unbind())
        .unwrap_or_else(|_| py.None())
}

/// Map an approval, audit or project error of the core to its exception (called by
/// `errors::to_py_err`).
pub fn to_py_err(e: &fupin::Error) -> PyErr {
    Python::attach(|py| match e {
        fupin::Error::Approval(a) => with_attrs(
            ApprovalError::new_err(a.to_string()),
            &[
                ("kind", obj(py, a.kind())),
                ("project", obj(py, a.project())),
                ("actor", obj(py, a.actor().map(|x| x.id.clone()))),
                ("clause", obj(py, a.clause().to_string())),
                ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
            ],
        ),
        fupin::Error::Audit(a) => {
            let kind = match a {
                audit::AuditError::Malformed { .. } => "malformed",
                audit::AuditError::Tampered { .. } => "tampered",
                audit::AuditError::Illegal { .. } => "illegal",
                _ => "inconsistent",
            };
            with_attrs(
                AuditError::new_err(a.to_string()),
                &[
                    ("line", obj(py, a.line())),
                    ("kind", obj(py, kind)),
                    ("message_zh", obj(py, a.message(fupin::Lang::Zh))),
                ],
            )
        }
        other => ProjectError::new_err(other.to_string()),
    })
}

fn err(e: impl Into<fupin::Error>) -> PyErr {
    crate::errors::to_py_err(e)
}

fn lang(lang: &str) -> PyResult<fupin::Lang> {
    match lang {
        "zh" => Ok(fupin::Lang::Zh),
        "en" => Ok(fupin::Lang::En),
        other => Err(FupinError::new_err(format!(
            "lang must be \"zh\" or \"en\", not {other:?}"
        ))),
    }
}

/// A dict (or other plain value) in the core's JSON shape → a core type; `what` names it.
fn from_dict<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let v = to_json(obj, what)?;
    serde_json::from_value(v).map_err(|e| DataError::new_err(format!("{what}: {e}")))
}

/// The snake_case name a value serialises to (`Stage::InLibrary` → `"in_library"`).
fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A timezone-aware `datetime` → UTC. Naive datetimes are refused: a log must not depend on
/// the machine's time zone.
fn timestamp(at: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let py = at.py();
    let datetime = py.import("datetime")?;
    if !at.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(format!(
            "`at` must be a datetime.datetime, not {}",
            at.get_type().name()?
        )));
    }
    if at.getattr("tzinfo")?.is_none() {
        return Err(DataError::new_err(format!(
            "`at` = {} has no time zone: pass an aware datetime, e.g. datetime(2020, 4, 1, 9, tzinfo=timezone.utc)",
            at.repr()?
        )));
    }
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let iso: String = at
        .call_method1("astimezone", (utc,))?
        .call_method0("isoformat")?
        .extract()?;
    DateTime::parse_from_rfc3339(&iso)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| DataError::new_err(format!("`at` = {iso}: {e}")))
}

/// An action from its name and, for `recheck` and `arrange_funds`, an amount in yuan.
fn action(kind: &str, amount: Option<&Bound<'_, PyAny>>) -> PyResult<Action> {
    let mut map = serde_json::Map::new();
    map.insert("kind".into(), kind.into());
    let field = match kind {
        "recheck" => Some("approved"),
        "arrange_funds" => Some("amount"),
        "enter" => {
            return Err(DataError::new_err(
                "`enter` goes through enter() or AuditLog.enter(), with the county's library",
            ));
        }
        _ => None,
    };
    match (field, amount) {
        (Some(f), Some(a)) => {
            map.insert(f.into(), to_json(a, "amount")?);
        }
        (Some(_), None) => {
            return Err(DataError::new_err(format!(
                "action `{kind}` needs `amount` (yuan, as Decimal, str or int)"
            )));
        }
        (None, Some(_)) => {
            return Err(DataError::new_err(format!(
                "action `{kind}` takes no amount"
            )));
        }
        (None, None) => {}
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| DataError::new_err(format!("action `{kind}`: {e}")))
}

/// One project's place in the approval chain (入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ApprovalState(pub ProjectApproval);

#[pymethods]
impl ApprovalState {
    /// The project id.
    #[getter]
    fn project_id(&self) -> &str {
        &self.0.project.id
    }
    /// The project's county.
    #[getter]
    fn county(&self) -> &str {
        &self.0.project.county
    }
    /// The township that applies.
    #[getter]
    fn township(&self) -> &str {
        &self.0.project.township
    }
    /// The stage: `"in_library"`, `"applied"`, `"reviewed"`, `"rechecked"`, `"funds_arranged"`,
    /// `"approved"`, `"returned"`, `"rejected"` or `"withdrawn"`.
    #[getter]
    fn stage(&self) -> String {
        name(&self.0.stage)
    }
    /// The stage's label in a language (`"zh"`: 入库, 乡申报, …).
    #[pyo3(signature = (lang = "zh"))]
    fn stage_label(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.stage.label().get(self::lang(lang)?).to_owned())
    }
    /// The requested amount, yuan.
    #[getter]
    fn requested(&self) -> Decimal {
        self.0.project.requested.as_yuan()
    }
    /// The amount approved at the city re-check, yuan.
    #[getter]
    fn approved(&self) -> Option<Decimal> {
        self.0.approved.map(fupin::Amount::as_yuan)
    }
    /// The funds arranged, yuan.
    #[getter]
    fn arranged(&self) -> Option<Decimal> {
        self.0.arranged.map(fupin::Amount::as_yuan)
    }
    /// The M8 steps not yet taken: `"review_targets"`, `"file_targets"`, `"publish_targets"`.
    #[getter]
    fn targets_missing(&self) -> Vec<String> {
        self.0.targets.missing().iter().map(name).collect()
    }
    /// When the project was last acted on (UTC).
    #[getter]
    fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The state as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    fn __repr__(&self) -> String {
        format!(
            "ApprovalState({}, {})",
            self.0.project.id,
            name(&self.0.stage)
        )
    }
}

/// 入库 — admit a project (dict) to a county's library (dict) under the policy's required fields
/// and documents (M6 规范化、档案化; default: the embedded 2020 policy). Returns the new library
/// as a dict; raises `ProjectError` naming the project and the missing field or document.
#[pyfunction]
#[pyo3(signature = (library, project, policy = None))]
pub fn admit_project<'py>(
    py: Python<'py>,
    library: &Bound<'py, PyAny>,
    project: &Bound<'py, PyAny>,
    policy: Option<&crate::plan::Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut lib: fupin::projects::ProjectLibrary = from_dict(library, "library")?;
    let project: fupin::projects::Project = from_dict(project, "project")?;
    let policy = &crate::plan::policy_or_default(policy).projects;
    lib.admit(project, policy).map_err(err)?;
    to_py(py, &lib)
}

/// 入库 — start the chain for a project of a county's library (`{"county": …, "projects": […]}`),
/// under the policy's entry requirements and approval rules (default: the embedded 2020 policy).
/// Raises `ApprovalError` (kind `"not_in_library"`, M6) when the library does not hold it,
/// `"entry_requirement"` when it misses a required field or document, `"outside_chain"` when it
/// does not need city-level special poverty funds.
#[pyfunction]
#[pyo3(signature = (library, project_id, actor, at, policy = None))]
pub fn enter(
    library: &Bound<'_, PyAny>,
    project_id: &str,
    actor: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
    policy: Option<&crate::plan::Policy>,
) -> PyResult<ApprovalState> {
    let library: fupin::projects::ProjectLibrary = from_dict(library, "library")?;
    let actor: Actor = from_dict(actor, "actor")?;
    let policy = crate::plan::policy_or_default(policy);
    policy
        .approval
        .enter(
            &library,
            &policy.projects,
            project_id,
            &actor,
            timestamp(at)?,
        )
        .map(ApprovalState)
        .map_err(err)
}

/// Take one step: `(state, action, actor, at) → new state`, or `ApprovalError` naming the
/// project, the actor and the step. `amount` (yuan) is for `"recheck"` and `"arrange_funds"`;
/// `policy` gives the approval rules (default: the embedded policy, the library's rules L1–L8).
#[pyfunction]
#[pyo3(signature = (state, action, actor, at, amount = None, policy = None))]
pub fn transition(
    state: &ApprovalState,
    action: &str,
    actor: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
    amount: Option<&Bound<'_, PyAny>>,
    policy: Option<&crate::plan::Policy>,
) -> PyResult<ApprovalState> {
    let action = self::action(action, amount)?;
    let actor: Actor = from_dict(actor, "actor")?;
    crate::plan::policy_or_default(policy)
        .approval
        .transition(&state.0, &action, &actor, timestamp(at)?)
        .map(ApprovalState)
        .map_err(err)
}

/// The M8 check of each project: targets reviewed, filed with the city leading group, published.
#[pyfunction]
pub fn check_performance_targets(states: Vec<Bound<'_, ApprovalState>>) -> Vec<Check> {
    approval::check_performance_targets(states.iter().map(|s| &s.get().0))
        .into_iter()
        .map(Check)
        .collect()
}

fn head_dict<'py>(py: Python<'py>, head: &audit::ChainHead) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("count", head.count)?;
    d.set_item("hash", &head.hash)?;
    Ok(d)
}

/// Check the hash chain of a JSON Lines log; returns its head `{"count", "hash"}`. With `head`
/// (a hash kept elsewhere) also detects events removed from or added to the end. Raises
/// `AuditError` (`.kind` `"malformed"` or `"tampered"`, `.line`).
#[pyfunction]
#[pyo3(signature = (text, head = None))]
pub fn verify_log<'py>(
    py: Python<'py>,
    text: &str,
    head: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let events = audit::from_jsonl(text).map_err(err)?;
    let found = audit::verify(&events).map_err(err)?;
    if let Some(expected) = head {
        let recorded = audit::ChainHead {
            count: found.count,
            hash: expected.to_owned(),
        };
        audit::verify_head(&events, &recorded).map_err(err)?;
    }
    head_dict(py, &found)
}

/// Rebuild every project's state from a JSON Lines log by running the rules again. Raises
/// `AuditError` (`.kind` `"illegal"` or `"inconsistent"`, `.line`) at the first refused event.
/// Does not check hashes: call `verify_log` first.
#[pyfunction]
#[pyo3(signature = (text, policy = None))]
pub fn replay_log(
    text: &str,
    policy: Option<&crate::plan::Policy>,
) -> PyResult<BTreeMap<String, ApprovalState>> {
    let events = audit::from_jsonl(text).map_err(err)?;
    let states = audit::replay(&events, crate::plan::policy_or_default(policy)).map_err(err)?;
    Ok(states
        .into_iter()
        .map(|(k, v)| (k, ApprovalState(v)))
        .collect())
}

/// An append-only, hash-chained log of approval steps with every project's current state.
#[pyclass(module = "fupin")]
pub struct AuditLog(audit::AuditLog);

#[pymethods]
impl AuditLog {
    /// An empty log under a policy's approval rules and entry requirements (default: the
    /// embedded 2020 policy).
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(policy: Option<&crate::plan::Policy>) -> Self {
        Self(audit::AuditLog::with_policy(
            crate::plan::policy_or_default(policy).clone(),
        ))
    }

    /// The illustrative 2020 log shipped as `examples/approvals_2020.jsonl` (fictional projects
    /// and officials).
    #[staticmethod]
    fn sample_2020() -> Self {
        Self(audit::AuditLog::sample_2020())
    }

    /// A log continued from JSON Lines text, after verifying and replaying it.
    #[staticmethod]
    #[pyo3(signature = (text, policy = None))]
    fn from_jsonl(text: &str, policy: Option<&crate::plan::Policy>) -> PyResult<Self> {
        let events = audit::from_jsonl(text).map_err(err)?;
        audit::AuditLog::from_events(events, crate::plan::policy_or_default(policy).clone())
            .map(Self)
            .map_err(err)
    }

    /// 入库 — a project of a county's library enters the chain; recorded as the first event.
    #[pyo3(signature = (library, project_id, actor, at, comment = ""))]
    fn enter(
        &mut self,
        library: &Bound<'_, PyAny>,
        project_id: &str,
        actor: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        comment: &str,
    ) -> PyResult<ApprovalState> {
        let library: fupin::projects::ProjectLibrary = from_dict(library, "library")?;
        let actor: Actor = from_dict(actor, "actor")?;
        self.0
            .enter(&library, project_id, &actor, timestamp(at)?, comment)
            .map(|s| ApprovalState(s.clone()))
            .map_err(err)
    }

    /// Take a step on a project and record it; a refused step raises `ApprovalError` and
    /// leaves the log unchanged.
    #[pyo3(signature = (project_id, action, actor, at, amount = None, comment = ""))]
    fn record(
        &mut self,
        project_id: &str,
        action: &str,
        actor: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        amount: Option<&Bound<'_, PyAny>>,
        comment: &str,
    ) -> PyResult<ApprovalState> {
        let action = self::action(action, amount)?;
        let actor: Actor = from_dict(actor, "actor")?;
        self.0
            .record(project_id, action, &actor, timestamp(at)?, comment)
            .map(|s| ApprovalState(s.clone()))
            .map_err(err)
    }

    /// Every project's current state, by id.
    #[getter]
    fn states(&self) -> BTreeMap<String, ApprovalState> {
        self.0
            .states()
            .iter()
            .map(|(k, v)| (k.clone(), ApprovalState(v.clone())))
            .collect()
    }

    /// The events as dicts (amounts as `Decimal`).
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.0.events())
    }

    /// The head of the chain `{"count", "hash"}`: keep it apart from the log.
    #[getter]
    fn head<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        head_dict(py, &self.0.head())
    }

    /// The log as JSON Lines.
    fn to_jsonl(&self) -> String {
        self.0.to_jsonl()
    }

    fn __repr__(&self) -> String {
        format!(
            "AuditLog({} events, {} projects)",
            self.0.events().len(),
            self.0.states().len()
        )
    }
}

/// Register the exceptions, classes and functions of the approval chain.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ApprovalError", py.get_type::<ApprovalError>())?;
    m.add("ProjectError", py.get_type::<ProjectError>())?;
    m.add("AuditError", py.get_type::<AuditError>())?;
    m.add_class::<ApprovalState>()?;
    m.add_class::<AuditLog>()?;
    m.add_function(wrap_pyfunction!(admit_project, m)?)?;
    m.add_function(wrap_pyfunction!(enter, m)?)?;
    m.add_function(wrap_pyfunction!(transition, m)?)?;
    m.add_function(wrap_pyfunction!(check_performance_targets, m)?)?;
    m.add_function(wrap_pyfunction!(verify_log, m)?)?;
    m.add_function(wrap_pyfunction!(replay_log, m)?)?;
    Ok(())
}
