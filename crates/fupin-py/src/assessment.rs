//! `Scorecard`, `score()`, `rank()` and their results; `check_tasks()` and `TasksReport`.
//!
//! `score()` is called in loops, one unit at a time: the input dict is read straight into the
//! core's `ScoreInput`, the card is shared (never copied) with the policy it comes from, and the
//! totals come from the batch kernel, which builds no text. The explained report — every line
//! with its explanation in Chinese and English — is built on first use (`items`, `to_text()`,
//! …) and kept.

use std::sync::{Arc, OnceLock};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use rust_decimal::Decimal;

use fupin::assessment::{self as core, ScoreInput};
use fupin::tasks::{self, TasksInput};

use crate::errors::{FupinError, to_py_err};
use crate::from_py::load;
use crate::plan::{Check, Policy, checks, lang};
use crate::render::{pickled, rendered};
use crate::to_py::to_py;

/// A card checked and compiled once, shared with the policy that holds it (or on its own).
pub type CardRef = Arc<core::PreparedCard>;

/// The card with this id in a policy, or `PolicyError` naming the ids it has.
fn card_of(policy: &crate::plan::Shared, id: &str) -> PyResult<CardRef> {
    if let Some(c) = policy.cards.iter().find(|c| c.card().id == id) {
        return Ok(c.clone());
    }
    let have: Vec<String> = policy
        .cards
        .iter()
        .map(|c| format!("`{}`", c.card().id))
        .collect();
    let err = crate::errors::PolicyError::new_err(format!(
        "the policy has no scorecard `{id}`: it has {}",
        have.join(", ")
    ));
    crate::errors::set_path(&err, "assessment.cards");
    crate::errors::set_value(&err, id);
    Err(err)
}

/// A scorecard: sections of items with maxima, bonus rules, a bonus cap, optional grade bands.
#[pyclass(module = "fupin", frozen)]
#[derive(Debug, Clone)]
pub struct Scorecard(pub CardRef);

#[pymethods]
impl Scorecard {
    /// Card `"a"` (industry work) or `"b"` (stationing, contracting, pairing) of the 2020 plan.
    #[staticmethod]
    fn chaoyang_2020(id: &str) -> PyResult<Self> {
        card_of(crate::plan::default_policy(), id).map(Self)
    }

    fn _repr_html_(&self) -> String {
        self.0.card().to_html(fupin::Lang::Zh)
    }

    /// The card as HTML (sections, items and maxima, bonus rules and caps).
    #[pyo3(signature = (lang = "zh"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.card().to_html(self::lang(lang)?))
    }

    /// The card with this id in a policy.
    #[staticmethod]
    fn from_policy(policy: &Policy, id: &str) -> PyResult<Self> {
        card_of(&policy.0, id).map(Self)
    }

    /// Load and validate a card from TOML text.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        Self::own(core::Scorecard::from_toml(text).map_err(to_py_err)?)
    }

    /// Load and validate a card from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Self::own(core::Scorecard::from_json(text).map_err(to_py_err)?)
    }

    /// Load and validate a card from a dict (points as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let card: core::Scorecard =
            load(data).map_err(|e| e.into_py(|f| core::ScoreError::InvalidCard(f).into()))?;
        Self::own(card)
    }

    /// The card as JSON text.
    fn to_json(&self) -> String {
        self.0.card().to_json()
    }

    /// The card as a dict, points as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.0.card())
    }

    /// The card's id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.card().id
    }

    /// The card's total of base points (100).
    #[getter]
    fn total(&self) -> Decimal {
        self.0.card().total.value()
    }

    /// The cap on the bonus total (20 on card A).
    #[getter]
    fn bonus_cap(&self) -> Decimal {
        self.0.card().bonus.cap.value()
    }

    /// Ids of the items, in order.
    #[getter]
    fn item_ids(&self) -> Vec<String> {
        self.0.card().items().map(|(_, i)| i.id.clone()).collect()
    }

    /// Ids of the bonus rules, in order.
    #[getter]
    fn bonus_ids(&self) -> Vec<String> {
        self.0
            .card()
            .bonus
            .rules
            .iter()
            .map(|r| r.id.clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scorecard({:?}, total={}, bonus_cap={})",
            self.0.card().id,
            self.0.card().total,
            self.0.card().bonus.cap
        )
    }
}
pickled!(Scorecard, core::Scorecard, |s| s.0.card(), |v| Self::own(v));

impl Scorecard {
    /// A card on its own: checked and compiled.
    fn own(card: core::Scorecard) -> PyResult<Self> {
        core::PreparedCard::new(card)
            .map(|c| Self(Arc::new(c)))
            .map_err(to_py_err)
    }
}

#[pymethods]
impl Scorecard {
    fn __eq__(&self, other: &Self) -> bool {
        self.0.card() == other.0.card()
    }
}

/// One unit's explained score on a card.
#[pyclass(module = "fupin", frozen)]
#[derive(Debug)]
pub struct ScoreReport {
    card: CardRef,
    input: ScoreInput,
    totals: core::UnitTotals,
    /// The explained report, built on first use.
    full: OnceLock<core::ScoreReport>,
}

impl ScoreReport {
    /// Score `input` on `card`: totals now, explanations when first asked for.
    fn new(card: CardRef, input: ScoreInput) -> Result<Self, core::ScoreError> {
        let totals = card.totals(&input)?;
        Ok(Self {
            card,
            input,
            totals,
            full: OnceLock::new(),
        })
    }

    /// The explained report, built on first use and kept. (The batch kernel that gave the
    /// totals and `score` accept the same inputs — the core tests one against the other — so
    /// this does not fail; if it ever did, it would raise, not panic.)
    pub(crate) fn core(&self) -> PyResult<&core::ScoreReport> {
        if let Some(r) = self.full.get() {
            return Ok(r);
        }
        let r = core::score(self.card.card(), &self.input).map_err(to_py_err)?;
        Ok(self.full.get_or_init(|| r))
    }
}

#[pymethods]
impl ScoreReport {
    /// The card's id.
    #[getter]
    fn card(&self) -> &str {
        &self.card.card().id
    }
    /// The unit scored.
    #[getter]
    fn unit(&self) -> &str {
        &self.input.unit
    }
    /// Sum of the items.
    #[getter]
    fn base(&self) -> Decimal {
        self.totals.base.value()
    }
    /// Sum of the capped bonus lines, before the cap on the bonus total.
    #[getter]
    fn bonus_raw(&self) -> Decimal {
        self.totals.bonus_raw.value()
    }
    /// The bonus, capped.
    #[getter]
    fn bonus(&self) -> Decimal {
        self.totals.bonus.value()
    }
    /// base + bonus (shown even when vetoed).
    #[getter]
    fn total(&self) -> Decimal {
        self.totals.total.value()
    }
    /// Whether the unit failed by the one-vote veto.
    #[getter]
    fn failed(&self) -> bool {
        self.totals.vetoed
    }
    /// Why the unit was vetoed.
    #[getter]
    fn veto_reason(&self) -> Option<&str> {
        self.input.veto.as_ref().map(|v| v.reason.as_str())
    }
    /// The grade, when the card has (user-supplied) bands and the unit is not vetoed.
    #[pyo3(signature = (lang = "zh"))]
    fn grade(&self, lang: &str) -> PyResult<Option<String>> {
        let lang = self::lang(lang)?;
        Ok(self
            .totals
            .grade
            .and_then(|g| self.card.card().grades.get(g))
            .map(|g| g.label.get(lang).to_owned()))
    }
    /// Each item: id, section, source, label, points, max, explanation.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.core()?.items)
    }
    /// Each bonus line: id, kind, raw, cap, capped, explanation.
    #[getter]
    fn bonus_lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.core()?.bonus_lines)
    }
    fn __eq__(&self, other: &Self) -> bool {
        self.card.card() == other.card.card() && self.input == other.input
    }
    fn __repr__(&self) -> String {
        format!(
            "ScoreReport({:?} on {:?}: total {}{})",
            self.input.unit,
            self.card.card().id,
            self.totals.total,
            if self.totals.vetoed { ", VETOED" } else { "" }
        )
    }
}
rendered!(ScoreReport, core);
pickled!(
    ScoreReport,
    (core::Scorecard, ScoreInput),
    |s| (s.card.card(), &s.input),
    |v| {
        let (card, input) = v;
        let card = Arc::new(core::PreparedCard::new(card).map_err(to_py_err)?);
        Self::new(card, input).map_err(to_py_err)
    }
);

/// A unit's place in a ranking.
#[pyclass(module = "fupin", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub struct RankEntry {
    /// Index of the unit in the list ranked.
    index: usize,
    /// 1-based competition rank (ties share it: 1, 1, 3); vetoed units share the last.
    rank: usize,
    /// The unit.
    unit: String,
    /// Its total.
    total: Decimal,
    /// Whether it is vetoed.
    vetoed: bool,
}

#[pymethods]
impl RankEntry {
    fn __repr__(&self) -> String {
        format!(
            "RankEntry({} {:?}: {}{})",
            self.rank,
            self.unit,
            self.total,
            if self.vetoed { ", vetoed" } else { "" }
        )
    }
}
pickled!(
    RankEntry,
    (usize, usize, String, String, bool),
    |s| (s.index, s.rank, &s.unit, s.total.to_string(), s.vetoed),
    |v| {
        let (index, rank, unit, total, vetoed) = v;
        let total = total
            .parse()
            .map_err(|e| FupinError::new_err(format!("{e}")))?;
        Ok(Self {
            index,
            rank,
            unit,
            total,
            vetoed,
        })
    }
);

/// A card given as a `Scorecard` or as the id of a card of the policy (default: 2020's).
pub fn resolve_card(card: &Bound<'_, PyAny>, policy: Option<&Policy>) -> PyResult<CardRef> {
    if let Ok(c) = card.cast::<Scorecard>() {
        return Ok(c.get().0.clone());
    }
    if let Ok(id) = card.cast::<PyString>() {
        return card_of(crate::plan::policy_arc(policy), id.to_str()?);
    }
    Err(PyTypeError::new_err(format!(
        "card must be a Scorecard or the id of a card of the policy (\"a\", \"b\"), not {}",
        card.get_type().name()?
    )))
}

/// One unit's input dict, read straight into the core's type.
fn score_input(input: &Bound<'_, PyAny>) -> PyResult<ScoreInput> {
    if input.is_instance_of::<pyo3::types::PyList>()
        || input.is_instance_of::<pyo3::types::PyTuple>()
    {
        return Err(PyTypeError::new_err(
            "input must be one unit's dict; score a list with [score(card, i) for i in inputs], \
             or a whole table with score_table",
        ));
    }
    load(input).map_err(|e| e.into_py(|f| core::ScoreError::Input(f).into()))
}

/// Score one unit on a card (`"a"`, `"b"`, or a `Scorecard`); the input is a dict such as
/// `{"unit": …, "items": {id: Decimal}, "bonuses": {id: {"completion"|"counts"|"points": …}},
/// "veto": {"reason": …}}`.
#[pyfunction]
#[pyo3(signature = (card, input, policy = None))]
pub fn score(
    card: &Bound<'_, PyAny>,
    input: &Bound<'_, PyAny>,
    policy: Option<&Policy>,
) -> PyResult<ScoreReport> {
    let card = resolve_card(card, policy)?;
    ScoreReport::new(card, score_input(input)?).map_err(to_py_err)
}

/// Rank scored units: highest total first, ties share a rank (1, 1, 3), vetoed units last.
/// Reports of different cards, or two of one unit, raise `ScoreError`: each card is ranked on
/// its own.
#[pyfunction]
pub fn rank(reports: Vec<Bound<'_, ScoreReport>>) -> PyResult<Vec<RankEntry>> {
    let inner = reports
        .iter()
        .map(|r| r.get().core().cloned())
        .collect::<PyResult<Vec<_>>>()?;
    Ok(core::rank(&inner)
        .map_err(to_py_err)?
        .into_iter()
        .map(|e| RankEntry {
            index: e.index,
            rank: e.rank,
            unit: inner
                .get(e.index)
                .map(|r| r.unit.clone())
                .unwrap_or_default(),
            total: e.total.value(),
            vetoed: e.vetoed,
        })
        .collect())
}

/// Task-table completions, card A's annual points and the T3/T10/M9 rule checks.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct TasksReport(pub tasks::TasksReport);

impl TasksReport {
    #[allow(clippy::unnecessary_wraps)] // the shape `rendered!` asks for
    fn core(&self) -> PyResult<&tasks::TasksReport> {
        Ok(&self.0)
    }
}

#[pymethods]
impl TasksReport {
    /// Whether every rule check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.0.passed()
    }
    /// The rule checks (T3 social assistance, training, factories; T10 villages; M9 pairing).
    #[getter]
    fn checks(&self) -> Vec<Check> {
        checks(&self.0.checks)
    }
    /// Each task with an actual figure: target, actual, completion (fraction), met.
    #[getter]
    fn tasks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.tasks)
    }
    /// Card A's annual-target points by the stated default rule, when actuals were given.
    #[getter]
    fn annual_points(&self) -> Option<Decimal> {
        self.0.annual.as_ref().map(|a| a.points.value())
    }
    /// The completion fed to card A's over-completion bonus (a fraction), when actuals were given.
    #[getter]
    fn overall_completion(&self) -> Option<Decimal> {
        self.0
            .annual
            .as_ref()
            .map(|a| a.overall_completion.as_fraction())
    }
    /// The rule that derived the annual points, in a language.
    #[pyo3(signature = (lang = "zh"))]
    fn annual_rule(&self, lang: &str) -> PyResult<Option<String>> {
        let lang = self::lang(lang)?;
        Ok(self.0.annual.as_ref().map(|a| a.rule.get(lang).to_owned()))
    }
    /// Put the annual points and over-completion into a card-A input dict (returns a new dict).
    fn apply_to<'py>(
        &self,
        py: Python<'py>,
        input: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut s = score_input(input)?;
        if let Some(a) = &self.0.annual {
            a.apply_to(&mut s);
        }
        to_py(py, &s)
    }
    /// The checks as a `pyarrow.Table` (values as exact decimal128).
    fn checks_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow::checks(py, &self.0.checks)
    }
    /// The checks as a DataFrame: `library` is "pandas" (default), "polars" or "pyarrow".
    #[pyo3(signature = (library = "pandas"))]
    fn to_frame<'py>(&self, py: Python<'py>, library: &str) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow::to_frame(crate::arrow::checks(py, &self.0.checks)?, library)
    }
    fn __repr__(&self) -> String {
        let failed = self.0.checks.iter().filter(|c| !c.passed).count();
        format!(
            "TasksReport({} tasks, {} checks, {} failed)",
            self.0.tasks.len(),
            self.0.checks.len(),
            failed
        )
    }
}
rendered!(TasksReport, core);
pickled!(TasksReport, tasks::TasksReport);

/// Check reported task-table figures (a dict with optional `actuals`, `social_assistance`,
/// `training`, `factories`, `villages`, `pairing`) against a policy (default: the embedded 2020
/// plan). The checking runs with the GIL released.
#[pyfunction]
#[pyo3(signature = (input, policy = None))]
pub fn check_tasks(
    py: Python<'_>,
    input: &Bound<'_, PyAny>,
    policy: Option<&Policy>,
) -> PyResult<TasksReport> {
    let input: TasksInput =
        load(input).map_err(|e| e.into_py(|f| tasks::TasksError::Input(f).into()))?;
    let policy = crate::plan::policy_or_default(policy);
    py.detach(|| tasks::check_tasks(policy, &input))
        .map(TasksReport)
        .map_err(to_py_err)
}

/// Register the classes and functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scorecard>()?;
    m.add_class::<ScoreReport>()?;
    m.add_class::<RankEntry>()?;
    m.add_class::<TasksReport>()?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(rank, m)?)?;
    m.add_function(wrap_pyfunction!(check_tasks, m)?)?;
    Ok(())
}
