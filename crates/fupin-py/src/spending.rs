//! `Ledger`, `Schedule`, `Bulletin`, `bulletin()`, `adjust_allocation()` and the calendar
//! functions `obligations_due()` and `obligation_status()`: conversion only.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rust_decimal::Decimal;

use crate::errors::to_py_err;
use crate::from_py::{load, load_at};
use crate::plan::{Check, Policy, checks};
use crate::render::{pickled, rendered};
use crate::to_py::to_py;

pub fn year_of(year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| crate::plan::default_policy().meta.year)
}

pub fn units_of(units: Option<Vec<String>>) -> Vec<String> {
    units.unwrap_or_else(|| fupin::spending::ledger::unit_names(crate::plan::default_data()))
}

/// A field error of a spending input (`what`: `ledger`, `schedule`, `allocation`).
fn field(what: &'static str) -> impl FnOnce(fupin::FieldErrors) -> fupin::Error {
    move |error| fupin::spending::SpendingError::Field { what, error }.into()
}

pub fn month(text: &str) -> PyResult<fupin::spending::YearMonth> {
    text.parse()
        .map_err(|e: fupin::spending::BadMonth| to_py_err(fupin::spending::SpendingError::from(e)))
}

/// 月统计 — a validated ledger of allocations and expenditures per county-level unit by month.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Ledger(pub fupin::spending::Ledger);

#[pymethods]
impl Ledger {
    /// Read a ledger from a list of dicts with keys month, county, [project], [fund_source],
    /// allocated, spent (amounts as Decimal, int or str such as "150万元"; floats refused). A
    /// pandas DataFrame gives them with `df.to_dict("records")`, a polars one with
    /// `df.to_dicts()`. `year` defaults to the embedded plan's (2020), `units` to its seven
    /// county-level units.
    #[staticmethod]
    #[pyo3(signature = (records, year = None, units = None))]
    fn from_records(
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        year: Option<i32>,
        units: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let rows: Vec<fupin::spending::ledger::TextRow> =
            load(records).map_err(|e| e.into_py(field("ledger")))?;
        let (year, units) = (year_of(year), units_of(units));
        py.detach(|| fupin::spending::Ledger::from_rows(&rows, year, &units))
            .map(Self)
            .map_err(to_py_err)
    }

    /// Read a ledger from CSV text (errors name the line, the column and the value).
    #[staticmethod]
    #[pyo3(signature = (text, year = None, units = None))]
    fn from_csv(
        py: Python<'_>,
        text: &str,
        year: Option<i32>,
        units: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let (year, units) = (year_of(year), units_of(units));
        py.detach(|| fupin::spending::Ledger::from_csv(text, year, &units))
            .map(Self)
            .map_err(to_py_err)
    }

    /// Read a ledger from JSON text: an array of row objects.
    #[staticmethod]
    #[pyo3(signature = (text, year = None, units = None))]
    fn from_json(
        py: Python<'_>,
        text: &str,
        year: Option<i32>,
        units: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let (year, units) = (year_of(year), units_of(units));
        py.detach(|| fupin::spending::Ledger::from_json(text, year, &units))
            .map(Self)
            .map_err(to_py_err)
    }

    /// The ledger's year.
    #[getter]
    fn year(&self) -> i32 {
        self.0.year()
    }

    /// The county-level units.
    #[getter]
    fn units(&self) -> Vec<String> {
        self.0.units().to_vec()
    }

    /// The rows as dicts, amounts as Decimal yuan.
    #[getter]
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.0.entries())
    }

    /// Cumulative allocated, spent and progress (a fraction, or None with nothing allocated) of
    /// one unit at the end of a month ("2020-06").
    fn progress<'py>(
        &self,
        py: Python<'py>,
        county: &str,
        month: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = self
            .0
            .progress(county, self::month(month)?)
            .map_err(to_py_err)?;
        to_py(py, &p)
    }

    /// Cumulative allocated, spent and progress of the whole city at the end of a month.
    fn city_progress<'py>(&self, py: Python<'py>, month: &str) -> PyResult<Bound<'py, PyAny>> {
        let p = self
            .0
            .city_progress(self::month(month)?)
            .map_err(to_py_err)?;
        to_py(py, &p)
    }

    /// The ledger as a dict (year, units, entries).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    /// The ledger as JSON text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn __repr__(&self) -> String {
        format!(
            "Ledger(year={}, units={}, rows={})",
            self.0.year(),
            self.0.units().len(),
            self.0.entries().len()
        )
    }
}
pickled!(Ledger, fupin::spending::Ledger);

/// 序时进度 — a user-supplied schedule of required progress (the plan gives no figures).
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Schedule(pub fupin::spending::Schedule);

#[pymethods]
impl Schedule {
    /// Load a schedule from TOML (`name = …` and `[[points]]` with `by` and `required`).
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        fupin::spending::Schedule::from_toml(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load a schedule from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        fupin::spending::Schedule::from_json(text)
            .map(Self)
            .map_err(to_py_err)
    }

    /// Load a schedule from a dict: {"name": str, "points": [{"by": date, "required": Decimal}]}.
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let s: fupin::spending::Schedule = load(data).map_err(|e| e.into_py(field("schedule")))?;
        s.validate_at("")
            .map_err(|e| to_py_err(field("schedule")(e)))?;
        Ok(Self(s))
    }

    /// The schedule's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The progress required at the end of a month ("2020-06"), a fraction; None before the
    /// first point.
    fn required_for(&self, month: &str) -> PyResult<Option<Decimal>> {
        Ok(self
            .0
            .required_for(self::month(month)?)
            .map(fupin::Ratio::as_fraction))
    }

    /// The schedule as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "Schedule({:?}, points={})",
            self.0.name,
            self.0.points.len()
        )
    }
}
pickled!(Schedule, fupin::spending::Schedule, |s| s.0, |v| {
    v.validate_at("")
        .map_err(|e| to_py_err(field("schedule")(e)))?;
    Ok(Self(v))
});

/// 月通报 — the monthly bulletin: units ranked by progress, the city total, the schedule gap.
#[pyclass(module = "fupin", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Bulletin(pub fupin::spending::Bulletin);

#[pymethods]
impl Bulletin {
    /// The month reported, "YYYY-MM".
    #[getter]
    fn month(&self) -> String {
        self.0.month.to_string()
    }

    /// The progress the schedule requires this month (a fraction), if any.
    #[getter]
    fn required(&self) -> Option<Decimal> {
        self.0.required.map(fupin::Ratio::as_fraction)
    }

    /// The ranked rows as dicts: rank, county, figures (allocated, spent, progress, previous,
    /// change, schedule).
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.rows)
    }

    /// The city total's figures as a dict.
    #[getter]
    fn city<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.0.city)
    }

    /// The units behind schedule, in rank order.
    fn behind_schedule(&self) -> Vec<String> {
        self.0.behind_schedule().map(|r| r.county.clone()).collect()
    }

    /// One G4 check per unit (and the city) compared with the schedule.
    #[getter]
    fn checks(&self) -> Vec<Check> {
        checks(&self.0.checks())
    }

    /// The G4 checks (each unit and the city against the schedule) as a DataFrame: `library`
    /// is "pandas" (default), "polars" or "pyarrow". For the figures of every unit and month,
    /// see `fupin.spending_progress_table`.
    #[pyo3(signature = (library = "pandas"))]
    fn to_frame<'py>(&self, py: Python<'py>, library: &str) -> PyResult<Bound<'py, PyAny>> {
        crate::arrow::to_frame(crate::arrow::checks(py, &self.0.checks())?, library)
    }

    fn __repr__(&self) -> String {
        format!(
            "Bulletin({}, units={}, behind={})",
            self.0.month,
            self.0.rows.len(),
            self.0.behind_schedule().count()
        )
    }
}
rendered!(Bulletin, core);
pickled!(Bulletin, fupin::spending::Bulletin);

impl Bulletin {
    #[allow(clippy::unnecessary_wraps)] // the shape `rendered!` asks for
    fn core(&self) -> PyResult<&fupin::spending::Bulletin> {
        Ok(&self.0)
    }
}

/// The monthly bulletin of a ledger for a month ("2020-06"), compared with a schedule if given
/// (else the policy's, if it has one).
#[pyfunction]
#[pyo3(signature = (ledger, month, schedule = None, policy = None))]
pub fn bulletin(
    py: Python<'_>,
    ledger: &Ledger,
    month: &str,
    schedule: Option<&Schedule>,
    policy: Option<&Policy>,
) -> PyResult<Bulletin> {
    let from_policy = policy.and_then(|p| p.0.spending.schedule.as_ref());
    let schedule = schedule.map(|s| &s.0).or(from_policy);
    let month = self::month(month)?;
    py.detach(|| fupin::spending::bulletin::bulletin(&ledger.0, month, schedule))
        .map(Bulletin)
        .map_err(to_py_err)
}

fn amount(obj: &Bound<'_, PyAny>, path: &str) -> PyResult<fupin::Amount> {
    load_at(obj, path).map_err(|e| e.into_py(field("allocation")))
}

/// Next year's allocation from a bulletin (M4 奖优惩劣): `base` maps every unit to its base
/// weight, `total` is apportioned to the fen, `params` are the reward/penalty parameters
/// (reward_top, reward, penalty_bottom, penalty, penalise_behind_schedule, step; default: the
/// policy's `spending.allocation`, else no adjustment). Returns the plan as a dict.
#[pyfunction]
#[pyo3(signature = (bulletin, base, total, params = None, policy = None))]
pub fn adjust_allocation<'py>(
    py: Python<'py>,
    bulletin: &Bulletin,
    base: BTreeMap<String, Bound<'py, PyAny>>,
    total: &Bound<'py, PyAny>,
    params: Option<&Bound<'py, PyAny>>,
    policy: Option<&Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let base = base
        .iter()
        .map(|(k, v)| Ok((k.clone(), amount(v, &format!("base.{k}"))?)))
        .collect::<PyResult<Vec<_>>>()?;
    let total = amount(total, "total")?;
    let params: Option<fupin::spending::AllocationPolicy> = match params {
        Some(p) => Some(load_at(p, "params").map_err(|e| e.into_py(field("allocation")))?),
        None => policy.and_then(|p| p.0.spending.allocation.clone()),
    };
    let plan = fupin::spending::adjust_allocation(&bulletin.0, &base, total, params.as_ref())
        .map_err(to_py_err)?;
    to_py(py, &plan)
}

/// An obligation as a dict, its dates as `datetime.date`.
fn obligation_dict<'py>(
    py: Python<'py>,
    o: &fupin::calendar::Obligation,
) -> PyResult<Bound<'py, PyDict>> {
    let d = to_py(py, o)?.cast_into::<PyDict>()?;
    d.set_item("due", o.due)?;
    if let Some(s) = o.starts {
        d.set_item("starts", s)?;
    }
    Ok(d)
}

fn calendar_of(policy: Option<&Policy>) -> &fupin::calendar::CalendarPolicy {
    &crate::plan::policy_or_default(policy).calendar
}

/// The plan's obligations due between two dates, inclusive (M5, task 8, O1, M4, M1c), as dicts.
#[pyfunction]
#[pyo3(signature = (from_date, to_date, policy = None))]
pub fn obligations_due<'py>(
    py: Python<'py>,
    from_date: NaiveDate,
    to_date: NaiveDate,
    policy: Option<&Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let due =
        fupin::calendar::due_between(calendar_of(policy), from_date, to_date).map_err(to_py_err)?;
    let items = due
        .iter()
        .map(|o| obligation_dict(py, o))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

/// The status on `on` of each obligation due between two dates, given `done` (obligation key →
/// date done): "done_on_time", "done_late", "done_before_window", "overdue" or "not_yet_due". Dates are
/// `datetime.date`, in and out.
#[pyfunction]
#[pyo3(signature = (from_date, to_date, on, done = None, policy = None))]
pub fn obligation_status<'py>(
    py: Python<'py>,
    from_date: NaiveDate,
    to_date: NaiveDate,
    on: NaiveDate,
    done: Option<BTreeMap<String, NaiveDate>>,
    policy: Option<&Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let statuses = fupin::calendar::status_on(
        calendar_of(policy),
        from_date,
        to_date,
        on,
        &done.unwrap_or_default(),
    )
    .map_err(to_py_err)?;
    let items = statuses
        .iter()
        .map(|s| {
            let d = to_py(py, s)?.cast_into::<PyDict>()?;
            d.set_item("obligation", obligation_dict(py, &s.obligation)?)?;
            d.set_item("on", s.on)?;
            if let Some(done) = s.done {
                d.set_item("done", done)?;
            }
            Ok(d)
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

/// Register the classes and functions of this module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Ledger>()?;
    m.add_class::<Schedule>()?;
    m.add_class::<Bulletin>()?;
    m.add_function(wrap_pyfunction!(bulletin, m)?)?;
    m.add_function(wrap_pyfunction!(adjust_allocation, m)?)?;
    m.add_function(wrap_pyfunction!(obligations_due, m)?)?;
    m.add_function(wrap_pyfunction!(obligation_status, m)?)?;
    Ok(())
}
