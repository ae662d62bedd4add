//! Whole-table functions: Arrow in, Arrow out, exact, with the GIL released for all the work
//! between reading the table and handing the result back (see `fupin_arrow` for the columns
//! and the output schema).

use pyo3::prelude::*;

use crate::arrow::{self, to_py_err};
use crate::errors::FupinError;
use crate::plan::Policy;

/// Assess every county-level unit of a table against its quota and growth target (M1c, task 8).
///
/// Columns in: `name` (string), `kind` (county / county_city / district, or 县 / 县级市 / 区),
/// `last_year` and `this_year` (yuan: decimal128, string such as "2500万元", or integer).
/// Columns out: `name`, `kind`, `quota`, `last_year`, `this_year` (money, decimal128(38, 8)),
/// `growth` (a fraction, decimal128(38, 18); null when last year is zero), `required`,
/// `meets_quota`, `meets_growth`, `adjustment_owed`.
#[pyfunction]
#[pyo3(signature = (table, policy = None))]
pub fn check_funds_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, PyAny>,
    policy: Option<&Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let cols = arrow::columns(table)?;
    let policy = crate::plan::policy_or_default(policy);
    let out = py
        .detach(|| fupin_arrow::check_funds(&cols, policy))
        .map_err(to_py_err)?;
    arrow::to_pyarrow(py, out)
}

/// Score every unit of a table on a card, through Arrow, exactly (annex 2 assessment method).
///
/// Columns in: one per item id of the card (points); per bonus rule: per-step → `<rule>`
/// (completion as a fraction, e.g. 1.35, or "135%"), per-count → `<rule>.<kind>` (whole
/// counts), discretionary → `<rule>` (points); optional `unit` (string) and `vetoed` (bool).
/// Points given as `decimal128(_, 4)` and completions as `decimal128(_, 8)` are read in place.
/// Columns out: `unit` (when given), `base`, then — unless `lines=False` — `bonus.<rule>` and
/// `bonus_raw`, then `bonus`, `total` (decimal128(38, 4), or decimal64(18, 4) with
/// `points="decimal64"`), `vetoed`, and `rank` (uint32, unless `rank=False`).
#[pyfunction]
#[pyo3(signature = (card, table, policy = None, *, lines = true, rank = true, points = "decimal128"))]
pub fn score_table<'py>(
    py: Python<'py>,
    card: &Bound<'py, PyAny>,
    table: &Bound<'py, PyAny>,
    policy: Option<&Policy>,
    lines: bool,
    rank: bool,
    points: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let points = points.parse().map_err(FupinError::new_err)?;
    let options = fupin_arrow::ScoreOptions {
        lines,
        rank,
        points,
    };
    let card = crate::assessment::resolve_card(card, policy)?;
    let cols = arrow::columns(table)?;
    let out = py
        .detach(|| fupin_arrow::score(&cols, &card, options))
        .map_err(to_py_err)?;
    arrow::to_pyarrow(py, out)
}

/// Cumulative spending progress of every county-level unit, month by month, from a ledger table
/// (G4, M4): Arrow in, Arrow out, exact.
///
/// Columns in: `month` ("2020-06"), `county`, `allocated`, `spent` (yuan: decimal128, string such
/// as "150万元", or integer); `project` and `fund_source` are optional. The ledger is validated as
/// `Ledger` does. `months` defaults to every month present; `year` and `units` to the embedded
/// plan's. Columns out, one row per month and unit: `month`, `county`, `allocated`, `spent`
/// (decimal128(38, 8)), `progress` (decimal128(38, 18), null when nothing is allocated), and
/// with a `schedule`: `required`, `standing` (ahead / on_schedule / behind / no_allocation),
/// `gap_pp` and `to_catch_up`.
#[pyfunction]
#[pyo3(signature = (table, months = None, schedule = None, *, year = None, units = None))]
pub fn spending_progress_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, PyAny>,
    months: Option<Vec<String>>,
    schedule: Option<&crate::spending::Schedule>,
    year: Option<i32>,
    units: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let cols = arrow::columns(table)?;
    let options = fupin_arrow::LedgerOptions {
        year: crate::spending::year_of(year),
        units: crate::spending::units_of(units),
    };
    let months = months
        .map(|ms| {
            ms.iter()
                .map(|m| crate::spending::month(m))
                .collect::<PyResult<Vec<_>>>()
        })
        .transpose()?;
    let schedule = schedule.map(|s| &s.0);
    let out = py
        .detach(|| fupin_arrow::spending_progress(&cols, &options, months.as_deref(), schedule))
        .map_err(to_py_err)?;
    arrow::to_pyarrow(py, out)
}

/// Register the whole-table functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(check_funds_table, m)?)?;
    m.add_function(wrap_pyfunction!(score_table, m)?)?;
    m.add_function(wrap_pyfunction!(spending_progress_table, m)?)?;
    Ok(())
}
