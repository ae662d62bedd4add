//! `Scorecard`, `score()`, `rank()` and their results; `check_tasks()` and `TasksReport`.

use pyo3::prelude::*;
use pyo3::types::PyString;
use rust_decimal::Decimal;

use fupin::assessment::{self as core, ScoreInput};
use fupin::tasks::{self, TasksInput};

use crate::errors::{FupinError, to_py_err};
use crate::from_py::to_json_text;
use crate::plan::{Check, Policy};
use crate::to_py::to_py;

fn lang(lang: &str) -> PyResult<fupin::Lang> {
    match lang {
        "zh" => Ok(fupin::Lang::Zh),
        "en" => Ok(fupin::Lang::En),
        other => Err(FupinError::new_err(format!(
            "lang must be \"zh\" or \"en\", not {other:?}"
        ))),
    }
}

/// A scorecard: sections of items with maxima, bonus rules, a bonus cap, optional grade bands.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Scorecard(pub core::Scorecard);

fn card_of(policy: &fupin::Policy, id: &str) -> PyResult<Scorecard> {
    policy
        .assessment
        .card(id)
        .cloned()
        .map(Scorecard)
        .ok_or_else(|| FupinError::new_err(format!("the policy has no scorecard `{id}`")))
}

#[pymethods]
impl Scorecard {
    /// Card `"a"` (industry work) or `"b"` (stationing, contracting, pairing) of the 2020 plan.
    #[staticmethod]
    fn chaoyang_2020(id: &str) -> PyResult<Self> {
        card_of(crate::plan::default_policy(), id)
    }

    fn _repr_html_(&self) -> String {
        self.0.to_html(fupin::Lang::Zh)
    }

    /// The card as HTML (sections, items and maxima, bonus rules and caps).
    #[pyo3(signature = (lang = "zh"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }

    /// The card with this id in a policy.
    #[staticmethod]
    fn from_policy(policy: &Policy, id: &str) -> PyResult<Self> {
        card_of(&policy.0, id)
    }

    /// Load and validate a card from TOML text.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        core::Scorecard::from_toml(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load and validate a card from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        core::Scorecard::from_json(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load and validate a card from a dict (points as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&to_json_text(data)?)
    }

    /// The card as JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The card as a dict, points as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    /// The card's id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The card's total of base points (100).
    #[getter]
    fn total(&self) -> Decimal {
        self.0.total.value()
    }

    /// The cap on the bonus total (20 on card A).
    #[getter]
    fn bonus_cap(&self) -> Decimal {
        self.0.bonus.cap.value()
    }

    /// Ids of the items, in order.
    #[getter]
    fn item_ids(&self) -> Vec<String> {
        self.0.items().map(|(_, i)| i.id.clone()).collect()
    }

    /// Ids of the bonus rules, in order.
    #[getter]
    fn bonus_ids(&self) -> Vec<String> {
        self.0.bonus.rules.iter().map(|r| r.id.clone()).collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scorecard({:?}, total={}, bonus_cap={})",
            self.0.id, self.0.total, self.0.bonus.cap
        )
    }
}

/// One unit's explained score on a card.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ScoreReport(pub core::ScoreReport);

#[pymethods]
impl ScoreReport {
    /// The card's id.
    #[getter]
    fn card(&self) -> &str {
        &self.0.card
    }
    /// The unit scored.
    #[getter]
    fn unit(&self) -> &str {
        &self.0.unit
    }
    /// Sum of the items.
    #[getter]
    fn base(&self) -> Decimal {
        self.0.base.value()
    }
    /// Sum of the capped bonus lines, before the cap on the bonus total.
    #[getter]
    fn bonus_raw(&self) -> Decimal {
        self.0.bonus_raw.value()
    }
    /// The bonus, capped.
    #[getter]
    fn bonus(&self) -> Decimal {
        self.0.bonus.value()
    }
    /// base + bonus (shown even when vetoed).
    #[getter]
    fn total(&self) -> Decimal {
        self.0.total.value()
    }
    /// Whether the unit failed by the one-vote veto.
    #[getter]
    fn failed(&self) -> bool {
        self.0.failed()
    }
    /// Why the unit was vetoed.
    #[getter]
    fn veto_reason(&self) -> Option<&str> {
        self.0.veto_reason.as_deref()
    }
    /// The grade, when the card has (user-supplied) bands and the unit is not vetoed.
    #[pyo3(signature = (lang = "zh"))]
    fn grade(&self, lang: &str) -> PyResult<Option<String>> {
        let lang = self::lang(lang)?;
        Ok(self.0.grade.as_ref().map(|g| g.get(lang).to_owned()))
    }
    /// Each item: id, section, source, label, points, max, explanation.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.items)
    }
    /// Each bonus line: id, kind, raw, cap, capped, explanation.
    #[getter]
    fn bonus_lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.bonus_lines)
    }
    /// The report as a dict, points as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    /// The report as JSON text (points as strings).
    fn to_json(&self) -> PyResult<String> {
        crate::to_py::to_json_string(&self.0)
    }
    /// The report as plain text.
    #[pyo3(signature = (lang = "zh"))]
    fn to_text(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_text(self::lang(lang)?))
    }
    /// The report as Markdown.
    #[pyo3(signature = (lang = "zh"))]
    fn to_markdown(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_markdown(self::lang(lang)?))
    }
    /// The report as HTML.
    #[pyo3(signature = (lang = "zh"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }
    fn _repr_html_(&self) -> String {
        self.0.to_html(fupin::Lang::Zh)
    }
    fn __repr__(&self) -> String {
        format!(
            "ScoreReport({:?} on {:?}: total {}{})",
            self.0.unit,
            self.0.card,
            self.0.total,
            if self.0.failed() { ", VETOED" } else { "" }
        )
    }
}

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

pub fn resolve_card(card: &Bound<'_, PyAny>, policy: Option<&Policy>) -> PyResult<core::Scorecard> {
    if let Ok(c) = card.cast::<Scorecard>() {
        return Ok(c.get().0.clone());
    }
    if let Ok(id) = card.cast::<PyString>() {
        let id = id.to_str()?;
        return match policy {
            Some(p) => Scorecard::from_policy(p, id),
            None => Scorecard::chaoyang_2020(id),
        }
        .map(|c| c.0);
    }
    Err(FupinError::new_err(
        "card must be a Scorecard or the id of a card of the policy (\"a\", \"b\")",
    ))
}

fn score_input(input: &Bound<'_, PyAny>) -> PyResult<ScoreInput> {
    let mut many = ScoreInput::many_from_json(&to_json_text(input)?).map_err(to_py_err)?;
    match (many.pop(), many.is_empty()) {
        (Some(one), true) => Ok(one),
        _ => Err(FupinError::new_err(
            "input must be one unit's dict; score a list with [score(card, i) for i in inputs]",
        )),
    }
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
    core::score(&card, &score_input(input)?)
        .map(ScoreReport)
        .map_err(to_py_err)
}

/// Rank scored units: highest total first, ties share a rank (1, 1, 3), vetoed units last.
/// Reports of different cards, or two of one unit, raise `ScoreError`: each card is ranked on
/// its own.
#[pyfunction]
pub fn rank(reports: Vec<Bound<'_, ScoreReport>>) -> PyResult<Vec<RankEntry>> {
    let inner: Vec<core::ScoreReport> = reports.iter().map(|r| r.get().0.clone()).collect();
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
        self.0.checks.iter().cloned().map(Check).collect()
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
    /// The report as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    /// The report as JSON text.
    fn to_json(&self) -> PyResult<String> {
        crate::to_py::to_json_string(&self.0)
    }
    /// The report as plain text.
    #[pyo3(signature = (lang = "zh"))]
    fn to_text(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_text(self::lang(lang)?))
    }
    /// The report as Markdown.
    #[pyo3(signature = (lang = "zh"))]
    fn to_markdown(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_markdown(self::lang(lang)?))
    }
    /// The report as HTML.
    #[pyo3(signature = (lang = "zh"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }
    fn _repr_html_(&self) -> String {
        self.0.to_html(fupin::Lang::Zh)
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

/// Check reported task-table figures (a dict with optional `actuals`, `social_assistance`,
/// `training`, `factories`, `villages`) against a policy (default: the embedded 2020 plan).
#[pyfunction]
#[pyo3(signature = (input, policy = None))]
pub fn check_tasks(input: &Bound<'_, PyAny>, policy: Option<&Policy>) -> PyResult<TasksReport> {
    let input = TasksInput::from_json(&to_json_text(input)?).map_err(to_py_err)?;
    let policy = crate::plan::policy_or_default(policy);
    tasks::check_tasks(policy, &input)
        .map(TasksReport)
        .map_err(to_py_err)
}
