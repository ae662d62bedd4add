//! The approval chain (M6, M8, task 8): `ApprovalState`, `AuditLog`, `enter`, `transition`,
//! `check_performance_targets`, `verify_log`, `replay_log`, and their exceptions.
//!
//! Glue only: actors, libraries and projects come in as dicts in the core's JSON shape; stages
//! and actions are their snake_case names (`"in_library"`, `"recheck"`); times are timezone-aware
//! `datetime`s; amounts `Decimal`, `str` or `int` (never `float`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use fupin::approval::{self, Action, Actor, ProjectApproval};
use fupin::audit;

use crate::errors::{DataError, FupinError};
use crate::from_py::load_at;
use crate::plan::Check;
use crate::render::pickled;
use crate::to_py::to_py;

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

/// A dict (or other plain value) in the core's shape → a core type; `what` names it.
fn from_dict<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    load_at(obj, what).map_err(|e| e.into_py(|f| fupin::data::DataError(f).into()))
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
            let amount: fupin::Amount = from_dict(a, "amount")?;
            let amount = serde_json::to_value(amount)
                .map_err(|e| DataError::new_err(format!("amount: {e}")))?;
            map.insert(f.into(), amount);
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

pickled!(ApprovalState, ProjectApproval);

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

/// Check a JSON Lines log ([`audit::check`]): hash chain, signatures against the `registry`
/// (a path or a dict; needed for a signed log), the rules, recorded `anchors` (a path or a list
/// of `(count, hash)`), and with `head` (a hash kept elsewhere) that it ends there. Returns its
/// head `{"count", "hash"}`. Raises `AuditError` (`.kind`, `.line`, `.seq`); an unsigned log
/// verifies with a `UserWarning` ("unsigned, hash chain only"). An empty log is an error
/// unless `allow_empty`.
#[pyfunction]
#[pyo3(signature = (text, head = None, registry = None, anchors = None, policy = None, allow_empty = false))]
pub fn verify_log<'py>(
    py: Python<'py>,
    text: &str,
    head: Option<&str>,
    registry: Option<&Bound<'py, PyAny>>,
    anchors: Option<&Bound<'py, PyAny>>,
    policy: Option<&crate::plan::Policy>,
    allow_empty: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let registry = registry.map(registry_from).transpose()?;
    let anchors = anchors_from(anchors)?;
    let policy = crate::plan::policy_or_default(policy);
    let events = audit::from_jsonl(text).map_err(err)?;
    let checked = check(
        py,
        &events,
        policy,
        registry.as_ref(),
        &anchors,
        allow_empty,
    )?;
    if let Some(expected) = head {
        let recorded = audit::ChainHead {
            count: checked.head.count,
            hash: expected.to_owned(),
        };
        audit::verify_head(&events, &recorded).map_err(err)?;
    }
    head_dict(py, &checked.head)
}

/// [`audit::check`] without the GIL; its warnings (unsigned events) as Python warnings.
fn check(
    py: Python<'_>,
    events: &[audit::Event],
    policy: &fupin::Policy,
    registry: Option<&fupin::approval::Registry>,
    anchors: &[audit::Anchor],
    allow_empty: bool,
) -> PyResult<audit::Checked> {
    let checked = py
        .detach(|| {
            let o = audit::CheckOptions::new(policy)
                .maybe_registry(registry)
                .anchors(anchors)
                .allow_empty(allow_empty);
            audit::check(events, &o)
        })
        .map_err(err)?;
    for w in &checked.warnings {
        if matches!(w, audit::Warning::Unsigned { .. }) {
            py.import("warnings")?
                .call_method1("warn", (format!("approval log: {}", w.label().en),))?;
        }
    }
    Ok(checked)
}

/// Rebuild every project's state from a JSON Lines log by running the rules again, after
/// checking it as `verify_log` does (`verify=False` skips hashes, signatures and anchors; the
/// rules still run). Raises `AuditError` (`.kind`, `.line`, `.seq`) at the first failure.
#[pyfunction]
#[pyo3(signature = (text, policy = None, registry = None, anchors = None, verify = true, allow_empty = false))]
pub fn replay_log(
    py: Python<'_>,
    text: &str,
    policy: Option<&crate::plan::Policy>,
    registry: Option<&Bound<'_, PyAny>>,
    anchors: Option<&Bound<'_, PyAny>>,
    verify: bool,
    allow_empty: bool,
) -> PyResult<BTreeMap<String, ApprovalState>> {
    let registry = registry.map(registry_from).transpose()?;
    let anchors = anchors_from(anchors)?;
    let policy = crate::plan::policy_or_default(policy);
    let events = audit::from_jsonl(text).map_err(err)?;
    let states = if verify {
        check(
            py,
            &events,
            policy,
            registry.as_ref(),
            &anchors,
            allow_empty,
        )?
        .states
    } else if events.is_empty() && !allow_empty {
        return Err(err(audit::AuditError::Empty));
    } else {
        audit::replay(&events, policy, registry.as_ref()).map_err(err)?
    };
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

    /// A log continued from JSON Lines text, after checking it (`registry`: a path or a dict,
    /// needed for a signed log).
    #[staticmethod]
    #[pyo3(signature = (text, policy = None, registry = None))]
    fn from_jsonl(
        text: &str,
        policy: Option<&crate::plan::Policy>,
        registry: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let events = audit::from_jsonl(text).map_err(err)?;
        let registry = registry.map(registry_from).transpose()?;
        audit::AuditLog::open(
            events,
            crate::plan::policy_or_default(policy).clone(),
            registry,
        )
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

pickled!(
    AuditLog,
    (String, String, Option<String>),
    |s| (
        s.0.to_jsonl(),
        serde_json::to_string(s.0.policy()).unwrap_or_default(),
        s.0.registry().map(fupin::approval::Registry::to_toml)
    ),
    |v| {
        let events = audit::from_jsonl(&v.0).map_err(err)?;
        let policy: fupin::approval::ChainPolicy =
            serde_json::from_str(&v.1).map_err(|e| DataError::new_err(e.to_string()))?;
        let registry =
            v.2.as_deref()
                .map(fupin::approval::Registry::from_toml)
                .transpose()
                .map_err(|e| DataError::new_err(e.to_string()))?;
        audit::AuditLog::open(events, policy, registry)
            .map(Self)
            .map_err(err)
    }
);

/// 审批留痕 — an approval log on disk (`.jsonl` or SQLite `.db`) that proves who did what:
/// appends are checked against the rules on the replayed log, signed with the actor's key and
/// chained atomically (concurrent appenders never fork it); `verify` and `replay` check
/// hashes, signatures, the registry and recorded heads first.
#[pyclass(module = "fupin", frozen)]
pub struct ApprovalLog {
    path: std::path::PathBuf,
    registry: Option<fupin::approval::Registry>,
    policy: fupin::Policy,
    library: Option<fupin::projects::ProjectLibrary>,
}

fn store_err(e: fupin_store::StoreError) -> PyErr {
    match e {
        fupin_store::StoreError::Log { error, .. } => err(*error),
        fupin_store::StoreError::Append { error, path } => match *error {
            audit::AppendError::Log(a) => err(a),
            audit::AppendError::Refused(a) => err(a),
            other => FupinError::new_err(format!("{}: {other}", path.display())),
        },
        other => FupinError::new_err(other.to_string()),
    }
}

fn registry_from(obj: &Bound<'_, PyAny>) -> PyResult<fupin::approval::Registry> {
    let r = if let Ok(path) = obj.extract::<std::path::PathBuf>() {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| DataError::new_err(format!("{}: cannot read: {e}", path.display())))?;
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            fupin::approval::Registry::from_json(&text)
        } else {
            fupin::approval::Registry::from_toml(&text)
        }
        .map_err(|e| DataError::new_err(format!("{}: {e}", path.display())))?
    } else {
        let v: serde_json::Value = from_dict(obj, "registry")?;
        fupin::approval::Registry::from_json(&v.to_string())
            .map_err(|e| DataError::new_err(format!("registry: {e}")))?
    };
    Ok(r)
}

fn anchors_from(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<audit::Anchor>> {
    let Some(obj) = obj else {
        return Ok(Vec::new());
    };
    if let Ok(path) = obj.extract::<std::path::PathBuf>() {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| DataError::new_err(format!("{}: cannot read: {e}", path.display())))?;
        return audit::parse_anchors(&text)
            .map_err(|e| DataError::new_err(format!("{}: {e}", path.display())));
    }
    let heads: Vec<(usize, String)> = obj.extract().map_err(|_| {
        PyTypeError::new_err("anchors: a path to an anchors file, or a list of (count, hash)")
    })?;
    heads
        .into_iter()
        .enumerate()
        .map(|(i, (count, hash))| {
            if audit::is_hash(&hash) {
                Ok(audit::Anchor {
                    line: i + 1,
                    head: audit::ChainHead { count, hash },
                })
            } else {
                Err(DataError::new_err(format!(
                    "anchors[{i}]: {hash:?} is not a head hash (64 lowercase hex digits)"
                )))
            }
        })
        .collect()
}

impl ApprovalLog {
    fn store(&self) -> PyResult<fupin_store::Store> {
        fupin_store::Store::open(&self.path).map_err(store_err)
    }

    fn events_checked(&self) -> PyResult<Vec<audit::Event>> {
        self.store()?.events().map_err(store_err)
    }
}

#[pymethods]
impl ApprovalLog {
    /// Open (or prepare to create) the log at `path`: SQLite for `.db`/`.sqlite`, JSON Lines
    /// otherwise. `registry` is a registry file path or a dict `{"actors": [...]}`; `library` a
    /// county's library (dict) for `enter` steps; `policy` the approval rules (default: the
    /// embedded 2020 policy).
    #[new]
    #[pyo3(signature = (path, registry = None, policy = None, library = None))]
    fn new(
        path: std::path::PathBuf,
        registry: Option<&Bound<'_, PyAny>>,
        policy: Option<&crate::plan::Policy>,
        library: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Self {
            path,
            registry: registry.map(registry_from).transpose()?,
            policy: crate::plan::policy_or_default(policy).clone(),
            library: library.map(|l| from_dict(l, "library")).transpose()?,
        })
    }

    /// The file.
    #[getter]
    fn path(&self) -> std::path::PathBuf {
        self.path.clone()
    }

    /// Append one step, a dict `{"project", "action", "actor", "at", "comment"}` (`action` a
    /// name such as `"apply"` or a dict such as `{"kind": "recheck", "approved": "100万元"}`;
    /// `at` a timezone-aware datetime or RFC 3339 text), signed with the private key in
    /// `key` (a key file of `fupin keys new`, or the 32 secret bytes). Returns the appended
    /// event as a dict. Raises `ApprovalError` for a step the rules refuse, `AuditError` for a
    /// log that does not verify; nothing is written then.
    fn append<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let registry = self.registry.as_ref().ok_or_else(|| {
            FupinError::new_err(
                "appending needs the registry of actors: ApprovalLog(path, registry=...)",
            )
        })?;
        let mut v: serde_json::Value = from_dict(event, "event")?;
        if let (Some(o), Ok(at)) = (v.as_object_mut(), event.get_item("at"))
            && at.is_instance_of::<pyo3::types::PyDateTime>()
        {
            o.insert("at".into(), timestamp(&at)?.to_rfc3339().into());
        }
        let draft: audit::Draft = serde_path_to_error::deserialize(v)
            .map_err(|e| DataError::new_err(format!("event.{}: {}", e.path(), e.inner())))?;
        let key = signing_key(key)?;
        let library = self.library.as_ref();
        let policy = &self.policy;
        let path = &self.path;
        let appended = py
            .detach(|| {
                fupin_store::Store::open(path)?
                    .append(|events| audit::append(events, &draft, &key, registry, policy, library))
            })
            .map_err(store_err)?;
        to_py(py, &appended)
    }

    /// The head `(count, hash)` of the log, after checking its hash chain (and, with a
    /// registry, its signatures and rules). Keep it elsewhere as an anchor.
    fn head(&self, py: Python<'_>) -> PyResult<(usize, String)> {
        let events = self.events_checked()?;
        let head = if self.registry.is_some() {
            check(py, &events, &self.policy, self.registry.as_ref(), &[], true)?.head
        } else {
            py.detach(|| audit::verify(&events)).map_err(err)?
        };
        Ok((head.count, head.hash))
    }

    /// Check the log: hash chain, signatures, registry, rules, and recorded heads (`anchors`:
    /// an anchors file path or a list of `(count, hash)`). Returns `{"head": (count, hash),
    /// "signed", "unsigned", "anchors", "warnings"}`; raises `AuditError` naming the line and
    /// the event (`.kind`, `.line`, `.seq`). An empty log is an error unless `allow_empty`.
    #[pyo3(signature = (anchors = None, allow_empty = false))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        anchors: Option<&Bound<'py, PyAny>>,
        allow_empty: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let anchors = anchors_from(anchors)?;
        let events = self.events_checked()?;
        let checked = check(
            py,
            &events,
            &self.policy,
            self.registry.as_ref(),
            &anchors,
            allow_empty,
        )?;
        let d = PyDict::new(py);
        d.set_item("head", (checked.head.count, checked.head.hash.clone()))?;
        d.set_item("signed", checked.signed)?;
        d.set_item("unsigned", checked.unsigned)?;
        d.set_item("anchors", to_py(py, &checked.anchors)?)?;
        let warnings: Vec<String> = checked
            .warnings
            .iter()
            .map(|w| w.label().en.to_string())
            .collect();
        d.set_item("warnings", warnings)?;
        Ok(d)
    }

    /// Every project's state, by id, after checking the log as `verify` does (unless
    /// `verify=False`: the rules still run).
    #[pyo3(signature = (verify = true, anchors = None, allow_empty = false))]
    fn replay(
        &self,
        py: Python<'_>,
        verify: bool,
        anchors: Option<&Bound<'_, PyAny>>,
        allow_empty: bool,
    ) -> PyResult<BTreeMap<String, ApprovalState>> {
        let anchors = anchors_from(anchors)?;
        let events = self.events_checked()?;
        let registry = self.registry.as_ref();
        let states = if verify {
            check(py, &events, &self.policy, registry, &anchors, allow_empty)?.states
        } else if events.is_empty() && !allow_empty {
            return Err(err(audit::AuditError::Empty));
        } else {
            py.detach(|| audit::replay(&events, &self.policy, registry))
                .map_err(err)?
        };
        Ok(states
            .into_iter()
            .map(|(k, v)| (k, ApprovalState(v)))
            .collect())
    }

    /// The events as dicts (not checked: call `verify`).
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.events_checked()?)
    }

    /// The log as JSON Lines, byte for byte as stored.
    fn export_jsonl(&self) -> PyResult<String> {
        self.store()?.export_jsonl().map_err(store_err)
    }

    /// The projects of a county whose current stage is `stage` (e.g. `"reviewed"`).
    fn projects_at(&self, county: &str, stage: &str) -> PyResult<Vec<String>> {
        let stage: fupin::approval::Stage =
            serde_json::from_value(serde_json::Value::String(stage.to_owned()))
                .map_err(|_| DataError::new_err(format!("{stage:?} is not a stage")))?;
        match self.store()? {
            fupin_store::Store::Sqlite(db) => db.projects_at(county, stage).map_err(store_err),
            s @ fupin_store::Store::Jsonl(_) => {
                Ok(fupin_store::latest_stages(&s.events().map_err(store_err)?)
                    .into_iter()
                    .filter(|(_, (c, st))| c == county && *st == stage)
                    .map(|(p, _)| p)
                    .collect())
            }
        }
    }

    fn __repr__(&self) -> String {
        format!("ApprovalLog({:?})", self.path.display().to_string())
    }
}

/// A signing key from a key file path (as `fupin keys new` writes it; owner-only) or 32 secret
/// bytes.
fn signing_key(obj: &Bound<'_, PyAny>) -> PyResult<ed25519_dalek::SigningKey> {
    if let Ok(bytes) = obj.cast::<pyo3::types::PyBytes>() {
        let b: [u8; 32] = bytes
            .as_bytes()
            .try_into()
            .map_err(|_| DataError::new_err("a secret key is 32 bytes"))?;
        return Ok(ed25519_dalek::SigningKey::from_bytes(&b));
    }
    let path: std::path::PathBuf = obj.extract()?;
    fupin_store::keys::read_key(&path)
        .map(|(_, k)| k)
        .map_err(|e| DataError::new_err(e.to_string()))
}

/// Make a key pair for an actor: writes the private key to `path` (owner-only, never over an
/// existing file), as `fupin keys new` does, and returns the public key (hex) for the registry.
#[pyfunction]
pub fn new_key(actor: &str, path: std::path::PathBuf) -> PyResult<String> {
    fupin_store::keys::write_new_key(actor, &path)
        .map(|k| hex::encode(k.verifying_key().as_bytes()))
        .map_err(|e| FupinError::new_err(e.to_string()))
}

/// Register the exceptions, classes and functions of the approval chain.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ApprovalState>()?;
    m.add_class::<AuditLog>()?;
    m.add_class::<ApprovalLog>()?;
    m.add_function(wrap_pyfunction!(new_key, m)?)?;
    m.add_function(wrap_pyfunction!(admit_project, m)?)?;
    m.add_function(wrap_pyfunction!(enter, m)?)?;
    m.add_function(wrap_pyfunction!(transition, m)?)?;
    m.add_function(wrap_pyfunction!(check_performance_targets, m)?)?;
    m.add_function(wrap_pyfunction!(verify_log, m)?)?;
    m.add_function(wrap_pyfunction!(replay_log, m)?)?;
    Ok(())
}
