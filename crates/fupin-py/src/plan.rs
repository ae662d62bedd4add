//! `Policy`, `PlanData`, `report()` and the result classes `Report` and `Check`; the embedded
//! 2020 policy, figures and report, each built once per process.

use std::sync::{Arc, OnceLock};

use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::errors::to_py_err;
use crate::from_py::load;
pub use crate::render::lang;
use crate::render::{pickled, rendered};
use crate::to_py::to_py;
use fupin_arrow::{kind_name as kind, value_decimal as value};

/// A policy with its scorecards checked and compiled once, for `score()` in a loop.
#[derive(Debug)]
pub struct Shared {
    /// The policy.
    pub policy: fupin::Policy,
    /// Its cards, in order, prepared for scoring.
    pub cards: Vec<Arc<fupin::assessment::PreparedCard>>,
}

impl std::ops::Deref for Shared {
    type Target = fupin::Policy;

    fn deref(&self) -> &fupin::Policy {
        &self.policy
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        self.policy == other.policy
    }
}

impl Shared {
    /// Share a validated policy, preparing its cards.
    pub fn new(policy: fupin::Policy) -> Result<Arc<Self>, fupin::Error> {
        let cards = policy
            .assessment
            .cards
            .iter()
            .map(|c| fupin::assessment::PreparedCard::new(c.clone()).map(Arc::new))
            .collect::<Result<_, _>>()?;
        Ok(Arc::new(Self { policy, cards }))
    }
}

static DEFAULT_POLICY: OnceLock<Arc<Shared>> = OnceLock::new();
static DEFAULT_DATA: OnceLock<Arc<fupin::data::PlanData>> = OnceLock::new();
static DEFAULT_REPORT: OnceLock<Result<Arc<fupin::report::Report>, fupin::Error>> = OnceLock::new();

/// The embedded 2020 policy, parsed once per process (it is immutable), so calls that default
/// to it — `score("a", …)` in a loop — do not parse the TOML again each time.
#[allow(clippy::expect_used)] // the embedded policy is valid: the core's tests load it
pub fn default_policy() -> &'static Arc<Shared> {
    DEFAULT_POLICY.get_or_init(|| {
        Shared::new(fupin::Policy::chaoyang_2020()).expect("the embedded policy's cards are valid")
    })
}

/// The embedded 2020 figures, parsed once per process, like [`default_policy`].
pub fn default_data() -> &'static Arc<fupin::data::PlanData> {
    DEFAULT_DATA.get_or_init(|| Arc::new(fupin::data::PlanData::chaoyang_2020()))
}

/// The given policy, or the embedded 2020 one.
pub fn policy_or_default(policy: Option<&Policy>) -> &fupin::Policy {
    &policy_arc(policy).policy
}

/// The given policy, or the embedded 2020 one, shared with its prepared cards.
pub fn policy_arc(policy: Option<&Policy>) -> &Arc<Shared> {
    match policy {
        Some(p) => &p.0,
        None => default_policy(),
    }
}

/// Policy parameters: every number of the plan (see `Policy.chaoyang_2020()`).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Policy(pub Arc<Shared>);

impl Policy {
    fn share(policy: fupin::Policy) -> PyResult<Self> {
        Shared::new(policy).map(Self).map_err(to_py_err)
    }
}

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
        Self::share(fupin::Policy::from_toml(text).map_err(to_py_err)?)
    }

    /// Load and validate a policy from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Self::share(fupin::Policy::from_json(text).map_err(to_py_err)?)
    }

    /// Load and validate a policy from a dict (values as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let p: fupin::Policy =
            load(data).map_err(|e| e.into_py(|f| fupin::policy::PolicyError(f).into()))?;
        p.validate().map_err(to_py_err)?;
        Self::share(p)
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
        to_py(py, &self.0.policy)
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
pickled!(Policy, fupin::Policy, |s| s.0.policy, |v| {
    v.validate().map_err(to_py_err)?;
    Self::share(v)
});

/// One year's fund figures (see `PlanData.chaoyang_2020()`).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PlanData(pub Arc<fupin::data::PlanData>);

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
            .map(|d| Self(Arc::new(d)))
            .map_err(to_py_err)
    }

    /// Load and validate plan data from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        fupin::data::PlanData::from_json(text)
            .map(|d| Self(Arc::new(d)))
            .map_err(to_py_err)
    }

    /// Load and validate plan data from a dict (values as str, int or Decimal; floats refused).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let d: fupin::data::PlanData =
            load(data).map_err(|e| e.into_py(|f| fupin::data::DataError(f).into()))?;
        d.validate().map_err(to_py_err)?;
        Ok(Self(Arc::new(d)))
    }

    /// The data as JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// The data as a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &*self.0)
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
pickled!(PlanData, fupin::data::PlanData, |s| *s.0, |v| {
    v.validate().map_err(to_py_err)?;
    Ok(Self(Arc::new(v)))
});

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
    /// Clause id of the plan's clause map, e.g. `"M1c"`.
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
pickled!(Check, fupin::Check);

/// Checks as Python objects.
pub fn checks(checks: &[fupin::Check]) -> Vec<Check> {
    checks.iter().cloned().map(Check).collect()
}

/// The report of one year: checks, counties, city input and integration.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Report(pub Arc<fupin::report::Report>);

impl Report {
    #[allow(clippy::unnecessary_wraps)] // the shape `rendered!` asks for
    fn core(&self) -> PyResult<&fupin::report::Report> {
        Ok(&self.0)
    }
}

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
        checks(&self.0.checks)
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
rendered!(Report, core);
pickled!(Report, fupin::report::Report, |s| *s.0, |v| Ok(Self(
    Arc::new(v)
)));

/// Check one year's fund figures against a policy (defaults: the embedded 2020 plan and figures;
/// the default report is computed once per process). The data must be of the policy's year
/// (`DataError`, code `year_mismatch`), as for `fupin report`.
#[pyfunction]
#[pyo3(signature = (policy = None, data = None))]
pub fn report(policy: Option<&Policy>, data: Option<&PlanData>) -> PyResult<Report> {
    if policy.is_none() && data.is_none() {
        return DEFAULT_REPORT
            .get_or_init(|| {
                fupin::report::report(default_policy(), default_data())
                    .map(Arc::new)
                    .map_err(fupin::Error::from)
            })
            .clone()
            .map(Report)
            .map_err(to_py_err);
    }
    let data = data.map_or_else(|| &**default_data(), |d| &*d.0);
    let policy = policy_or_default(policy);
    data.check_year(policy.meta.year).map_err(to_py_err)?;
    fupin::report::report(policy, data)
        .map(|r| Report(Arc::new(r)))
        .map_err(to_py_err)
}

/// Register the classes and functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Policy>()?;
    m.add_class::<PlanData>()?;
    m.add_class::<Check>()?;
    m.add_class::<Report>()?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    Ok(())
}
