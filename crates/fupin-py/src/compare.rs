//! `compare()` and `Comparison` (what-if between two policies, a policy and overrides, or two
//! years), and `Check.clause_text` (the plan's words a check comes from).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{FupinError, to_py_err};
use crate::from_py::load;
use crate::plan::{Check, PlanData, Policy, default_data, policy_or_default};
use crate::to_py::{to_json_string, to_py};
use fupin::compare::{self as core, Scenario};
use fupin_arrow::{kind_name as kind, value_decimal as value};

#[pymethods]
impl Check {
    /// The plan's sentence (in its Chinese) the check comes from, or None.
    #[getter]
    fn clause_text(&self) -> Option<&str> {
        self.0.clause_text.as_deref()
    }
}

/// What changes from one side of a comparison to the other (see `fupin.compare`).
#[pyclass(module = "fupin", frozen)]
pub struct Comparison(pub core::Comparison);

#[pymethods]
impl Comparison {
    /// The first side's name.
    #[getter]
    fn before(&self) -> &str {
        &self.0.before
    }
    /// The second side's name.
    #[getter]
    fn after(&self) -> &str {
        &self.0.after
    }
    /// How many checks were compared.
    #[getter]
    fn checks_compared(&self) -> usize {
        self.0.checks_compared
    }
    /// Checks that pass on the first side and fail on the second.
    #[getter]
    fn now_failing(&self) -> usize {
        self.0.now_failing
    }
    /// Checks that fail on the first side and pass on the second.
    #[getter]
    fn now_passing(&self) -> usize {
        self.0.now_passing
    }
    /// Every changed check, as dicts (decimals as `decimal.Decimal`).
    #[getter]
    fn checks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.checks)
    }
    /// Every unit whose score or rank changed, as dicts.
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.scores)
    }
    /// The changed checks as a DataFrame, one row each: `id`, `subject`, `clause`, `label`,
    /// `flip`, `passed_before`, `passed_after`, `kind`, then `actual_*` and `threshold_*`
    /// before, after and change (yuan for amounts, fractions for ratios, percentage points
    /// for changes of ratios; exact `decimal.Decimal`). `library`: "pandas" or "polars".
    #[pyo3(signature = (library = "pandas", lang = "zh"))]
    fn to_frame<'py>(
        &self,
        py: Python<'py>,
        library: &str,
        lang: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let lang = crate::plan::lang(lang)?;
        let rows = PyList::empty(py);
        for c in &self.0.checks {
            let row = PyDict::new(py);
            row.set_item("id", &c.id)?;
            row.set_item("subject", c.subject.as_deref())?;
            row.set_item("clause", c.clause.to_string())?;
            row.set_item("label", c.label.get(lang))?;
            row.set_item(
                "flip",
                serde_json::to_value(c.flip)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned)),
            )?;
            row.set_item("passed_before", c.before.as_ref().map(|s| s.passed))?;
            row.set_item("passed_after", c.after.as_ref().map(|s| s.passed))?;
            let any = c.before.as_ref().or(c.after.as_ref());
            row.set_item("kind", any.map(|s| kind(&s.actual)))?;
            row.set_item("actual_before", c.before.as_ref().map(|s| value(&s.actual)))?;
            row.set_item("actual_after", c.after.as_ref().map(|s| value(&s.actual)))?;
            row.set_item("actual_change", c.actual_change.as_ref().map(value))?;
            row.set_item(
                "threshold_before",
                c.before.as_ref().map(|s| value(&s.threshold)),
            )?;
            row.set_item(
                "threshold_after",
                c.after.as_ref().map(|s| value(&s.threshold)),
            )?;
            row.set_item("threshold_change", c.threshold_change.as_ref().map(value))?;
            rows.append(row)?;
        }
        let columns = [
            "id",
            "subject",
            "clause",
            "label",
            "flip",
            "passed_before",
            "passed_after",
            "kind",
            "actual_before",
            "actual_after",
            "actual_change",
            "threshold_before",
            "threshold_after",
            "threshold_change",
        ];
        match library {
            "pandas" => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("columns", columns.to_vec())?;
                py.import("pandas")?
                    .getattr("DataFrame")?
                    .call((rows,), Some(&kwargs))
            }
            "polars" => {
                let kwargs = PyDict::new(py);
                kwargs.set_item("schema", columns.to_vec())?;
                kwargs.set_item("infer_schema_length", py.None())?;
                py.import("polars")?
                    .getattr("from_dicts")?
                    .call((rows,), Some(&kwargs))
            }
            other => Err(FupinError::new_err(format!(
                "library must be \"pandas\" or \"polars\", not {other:?}"
            ))),
        }
    }
    /// The changed checks as a pandas DataFrame (`to_frame()`).
    #[getter]
    fn frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_frame(py, "pandas", "zh")
    }
    /// As a dict, decimals as `decimal.Decimal`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }
    /// As JSON text (decimals as strings).
    fn to_json(&self) -> PyResult<String> {
        to_json_string(&self.0)
    }
    /// As plain text, in `"zh"` or `"en"`.
    #[pyo3(signature = (lang = "zh"))]
    fn to_text(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_text(crate::plan::lang(lang)?))
    }
    /// As Markdown, in `"zh"` or `"en"`.
    #[pyo3(signature = (lang = "zh"))]
    fn to_markdown(&self, lang: &str) -> PyResult<String> {
        Ok(self.0.to_markdown(crate::plan::lang(lang)?))
    }
    fn __len__(&self) -> usize {
        self.0.checks.len()
    }
    fn __repr__(&self) -> String {
        format!(
            "Comparison({} checks compared: {} now fail, {} now pass, {} differ; {} scores differ)",
            self.0.checks_compared,
            self.0.now_failing,
            self.0.now_passing,
            self.0.checks.len(),
            self.0.scores.len()
        )
    }
}

/// `set` values: text, an int or a `decimal.Decimal` (never a float: it is not exact).
fn overrides(set: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, String)>> {
    let Some(set) = set else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(set.len());
    for (k, v) in set.iter() {
        let path: String = k.extract()?;
        if v.is_instance_of::<pyo3::types::PyFloat>() {
            return Err(FupinError::new_err(format!(
                "set[{path:?}]: the float {v} is not exact: give it as a string, e.g. \"3000万元\""
            )));
        }
        let text = if let Ok(s) = v.extract::<String>() {
            s
        } else {
            v.str()?.to_string()
        };
        out.push((path, text));
    }
    Ok(out)
}

/// Compare the same figures under two policies, a policy and overrides, or two years.
///
/// `before` and `after` are policies (default: the embedded 2020 plan; `after` defaults to
/// `before`); `set` changes values of `after` by path (`{"funds.quota.county": "3000万元"}`);
/// `data` and `after_data` are the plan data of each side (default: the embedded 2020 figures;
/// `after_data` defaults to `data`; each side's data must be of its policy's year, or
/// `DataError` with code `year_mismatch` is raised — for two years give `after` that year's
/// policy); `tasks` (task-table figures) and `units` (units' scores per card, as `fupin assess`
/// reads them) are evaluated on both sides.
#[pyfunction]
#[pyo3(signature = (before = None, after = None, *, set = None, data = None, after_data = None, tasks = None, units = None))]
#[allow(clippy::too_many_arguments)]
pub fn compare(
    py: Python<'_>,
    before: Option<&Policy>,
    after: Option<&Policy>,
    set: Option<&Bound<'_, PyDict>>,
    data: Option<&PlanData>,
    after_data: Option<&PlanData>,
    tasks: Option<&Bound<'_, PyAny>>,
    units: Option<&Bound<'_, PyAny>>,
) -> PyResult<Comparison> {
    let first = policy_or_default(before);
    let sets = overrides(set)?;
    let second = policy_or_default(after.or(before))
        .with_overrides(&sets)
        .map_err(to_py_err)?;
    let data = data.map_or_else(|| &**default_data(), |d| &*d.0);
    let after_data = after_data.map_or(data, |d| &*d.0);
    let tasks: Option<fupin::tasks::TasksInput> = tasks
        .map(|t| load(t).map_err(|e| e.into_py(|f| fupin::tasks::TasksError::Input(f).into())))
        .transpose()?;
    let units: Option<fupin::assessment::UnitsInput> = units
        .map(|u| load(u).map_err(|e| e.into_py(|f| fupin::assessment::ScoreError::Input(f).into())))
        .transpose()?;
    let name = |p: &fupin::Policy, d: &fupin::data::PlanData, extra: &[(String, String)]| {
        let mut n = format!("{} · {}", p.meta.name, d.meta.name);
        for (k, v) in extra {
            n.push_str(&format!(" + {k}={v}"));
        }
        n
    };
    let side = |name: String, policy, data| Scenario {
        name,
        policy,
        data,
        tasks: tasks.as_ref(),
        units: units.as_ref(),
    };
    let (first_name, second_name) = (name(first, data, &[]), name(&second, after_data, &sets));
    py.detach(|| {
        let a = core::evaluate(&side(first_name, first, data))?;
        let b = core::evaluate(&side(second_name, &second, after_data))?;
        Ok::<_, fupin::Error>(core::compare(&a, &b))
    })
    .map(Comparison)
    .map_err(to_py_err)
}

/// Register the class and the function.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Comparison>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    Ok(())
}
