//! `Policy`, `PlanData`, `report()` and the result classes `Report`, `Check`, `CountyResult`.

use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::errors::to_py_err;
use crate::from_py::to_json_text;
use crate::to_py::to_py;

pub fn lang(lang: &str) -> PyResult<fupin::Lang> {
    match lang {
        "zh" => Ok(fupin::Lang::Zh),
        "en" => Ok(fupin::Lang::En),
        other => Err(crate::errors::FupinError::new_err(format!(
            "lang must be \"zh\" or \"en\", not {other:?}"
        ))),
    }
}

static DEFAULT_POLICY: std::sync::OnceLock<fupin::Policy> = std::sync::OnceLock::new();

/// The embedded 2020 policy, parsed once per process (it is immutable), so calls that default
/// to it — `score("a", …)` in a loop — do not parse the TOML again each time.
pub fn default_policy() -> &'static fupin::Policy {
    DEFAULT_POLICY.get_or_init(fupin::Policy::chaoyang_2020)
}

static DEFAULT_DATA: std::sync::OnceLock<fupin::data::PlanData> = std::sync::OnceLock::new();

/// The embedded 2020 figures, parsed once per process, like [`default_policy`].
pub fn default_data() -> &'static fupin::data::PlanData {
    DEFAULT_DATA.get_or_init(fupin::data::PlanData::chaoyang_2020)
}

/// The given policy, or the embedded 2020 one.
pub fn policy_or_default(policy: Option<&Policy>) -> &fupin::Policy {
    match policy {
        Some(p) => &p.0,
        None => default_policy(),
    }
}

/// Policy parameters: every number of the plan (see `Policy.chaoyang_2020()`).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Policy(pub fupin::Policy);

#[pymethods]
impl Policy {
    /// The embedded 2020 Chaoyang City plan (朝财农〔2020〕67号).
    #[staticmethod]
    fn chaoyang_2020() -> Self {
        Self(default_policy().clone())
    }

    /// The embedded 2020 policy as commented TOML (each number cites its clause), to copy and edit.
    #[staticmethod]
    fn chaoyang_2020_toml() -> &'static str {
        fupin::policy::CHAOYANG_2020_TOML
    }

    /// Load and validate a policy from TOML text.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        fupin::Policy::from_toml(text).map(Self).map_err(to_py_err)
    }

    /// Load and validate a policy from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        fupin::Policy::from_json(text).map(Self).map_err(to_py_err)
    }

    /// Load and validate a policy from a dict (values as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&to_json_text(data)?)
    }

    /// The policy as TOML text.
    fn to_toml(&self) -> String {
        self.0.to_toml()
    }

    /// The policy as JSON text (decimals as strings).
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The policy as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    /// Name of the plan.
    #[getter]
    fn name(&self) -> &str {
        &self.0.meta.name
    }

    /// The plan's year.
    #[getter]
    fn year(&self) -> i32 {
        self.0.meta.year
    }

    fn __repr__(&self) -> String {
        format!("Policy({:?}, year={})", self.0.meta.name, self.0.meta.year)
    }
}

/// One year's fund figures (see `PlanData.chaoyang_2020()`).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PlanData(pub fupin::data::PlanData);

#[pymethods]
impl PlanData {
    /// The embedded 2020 Chaoyang figures (per-county and integrable figures illustrative).
    #[staticmethod]
    fn chaoyang_2020() -> Self {
        Self(default_data().clone())
    }

    /// Load and validate plan data from TOML text.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        fupin::data::PlanData::from_toml(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load and validate plan data from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        fupin::data::PlanData::from_json(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load and validate plan data from a dict (values as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::from_json(&to_json_text(data)?)
    }

    /// The data as JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The data as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    /// Field paths whose figures are illustrative.
    #[getter]
    fn illustrative(&self) -> Vec<String> {
        self.0.meta.illustrative.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "PlanData({:?}, year={}, counties={})",
            self.0.meta.name,
            self.0.meta.year,
            self.0.counties.len()
        )
    }
}

use fupin_arrow::{kind_name as kind, value_decimal as value};

/// The result of one rule for one subject, citing its clause.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Check(pub fupin::Check);

#[pymethods]
impl Check {
    /// Stable id, e.g. `"M1c.unit_quota"`.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// Clause id in DOMAIN.md, e.g. `"M1c"`.
    #[getter]
    fn clause(&self) -> String {
        self.0.clause.to_string()
    }
    /// Clause of the original document, e.g. `"三(一)"`.
    #[getter]
    fn section(&self) -> &str {
        &self.0.section
    }
    /// The label in a language (`"zh"` or `"en"`).
    #[pyo3(signature = (lang = "zh"))]
    fn label(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.label.get(self::lang(lang)?).to_owned())
    }
    /// The county or unit checked, if any.
    #[getter]
    fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }
    /// The actual value: yuan for amounts, a fraction for ratios.
    #[getter]
    fn actual(&self) -> Decimal {
        value(&self.0.actual)
    }
    /// `"amount"`, `"ratio"`, `"points"` or `"number"`.
    #[getter]
    fn actual_kind(&self) -> &'static str {
        kind(&self.0.actual)
    }
    /// The threshold, in the same kind as `actual`.
    #[getter]
    fn threshold(&self) -> Decimal {
        value(&self.0.threshold)
    }
    /// `"at_least"`, `"at_most"` or `"above"`.
    #[getter]
    fn comparison(&self) -> &'static str {
        match self.0.comparison {
            fupin::check::Comparison::AtLeast => "at_least",
            fupin::check::Comparison::AtMost => "at_most",
            fupin::check::Comparison::Above => "above",
        }
    }
    /// Whether the rule is met.
    #[getter]
    fn passed(&self) -> bool {
        self.0.passed
    }
    /// The shortfall when the rule is not met (yuan for amounts), else None.
    #[getter]
    fn shortfall(&self) -> Option<Decimal> {
        self.0.shortfall.as_ref().map(value)
    }
    /// A note (e.g. that the figures are illustrative), in a language.
    #[pyo3(signature = (lang = "zh"))]
    fn note(&self, lang: &str) -> PyResult<Option<String>> {
        let lang = self::lang(lang)?;
        Ok(self.0.note.as_ref().map(|n| n.get(lang).to_owned()))
    }
    /// The check as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    fn _repr_html_(&self) -> String {
        fupin::report::checks_table(std::slice::from_ref(&self.0), fupin::Lang::Zh).to_html()
    }
    fn __repr__(&self) -> String {
        let subject = self
            .0
            .subject
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        format!(
            "Check({} {}{}: {} {} {} → {})",
            self.0.clause,
            self.0.id,
            subject,
            self.0.actual.display(fupin::Lang::En),
            self.0.comparison.symbol(),
            self.0.threshold.display(fupin::Lang::En),
            if self.0.passed { "passed" } else { "FAILED" }
        )
    }
}

/// The report of one year: checks, counties, city input and integration.
#[pyclass(module = "fupin", frozen)]
pub struct Report(pub fupin::report::Report);

#[pymethods]
impl Report {
    /// Whether every check passed.
    #[getter]
    fn passed(&self) -> bool {
        self.0.passed()
    }
    /// Every check, in clause order.
    #[getter]
    fn checks(&self) -> Vec<Check> {
        self.0.checks.iter().cloned().map(Check).collect()
    }
    /// The checks that failed.
    fn failures(&self) -> Vec<Check> {
        self.0.failures().cloned().map(Check).collect()
    }
    /// Each county-level unit as a dict (quota, growth, required, adjustment_owed, …).
    #[getter]
    fn counties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.counties)
    }
    /// The report as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    /// The report as JSON text (decimals as strings).
    fn to_json(&self) -> PyResult<String> {
        crate::to_py::to_json_string(&self.0)
    }
    /// The report as plain text tables.
    #[pyo3(signature = (lang = "zh"))]
    fn to_text(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_text(self::lang(lang)?))
    }
    /// The report as Markdown.
    #[pyo3(signature = (lang = "zh"))]
    fn to_markdown(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_markdown(self::lang(lang)?))
    }
    /// The report as HTML (headings and tables).
    #[pyo3(signature = (lang = "zh"))]
    fn to_html(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_html(self::lang(lang)?))
    }
    fn _repr_html_(&self) -> String {
        self.0.to_html(fupin::Lang::Zh)
    }
    /// The checks as a `pyarrow.Table`, one row per check (values as exact decimal128).
    fn checks_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow::checks(py, &self.0.checks)
    }
    /// The checks as a DataFrame: `library` is "pandas" (default), "polars" or "pyarrow".
    #[pyo3(signature = (library = "pandas"))]
    fn to_frame<'py>(&self, py: Python<'py>, library: &str) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow::to_frame(crate::arrow::checks(py, &self.0.checks)?, library)
    }
    fn __repr__(&self) -> String {
        let failed = self.0.failures().count();
        format!(
            "Report({:?}: {} checks, {} failed)",
            self.0.policy.name,
            self.0.checks.len(),
            failed
        )
    }
}

/// Check one year's fund figures against a policy (defaults: the embedded 2020 plan and figures).
#[pyfunction]
#[pyo3(signature = (policy = None, data = None))]
pub fn report(policy: Option<&Policy>, data: Option<&PlanData>) -> PyResult<Report> {
    let policy = policy_or_default(policy);
    let data = match data {
        Some(d) => &d.0,
        None => default_data(),
    };
    fupin::report::report(policy, data)
        .map(Report)
        .map_err(to_py_err)
}
