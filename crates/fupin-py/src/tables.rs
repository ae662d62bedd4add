//! Whole-table functions: Arrow in, Arrow out, exact.

use pyo3::prelude::*;
use rust_decimal::Decimal;

use crate::arrow::{self, Columns};
use crate::errors::{DataError, to_py_err};
use crate::plan::Policy;

fn parse_amount(s: &str) -> Option<Decimal> {
    s.parse::<fupin::Amount>().ok().map(fupin::Amount::as_yuan)
}

/// Assess every county-level unit of a table against its quota and growth target (M1c, task 8).
///
/// Columns in: `name` (string), `kind` (county / county_city / district, or 县 / 县级市 / 区),
/// `last_year` and `this_year` (yuan: decimal128, string such as "2500万元", or integer).
/// Columns out: `name`, `kind`, `quota`, `last_year`, `this_year`, `growth` (null when last year
/// is zero; the quotient to 28 significant digits), `required`, `meets_quota`, `meets_growth`,
/// `adjustment_owed` — money as exact `decimal128(38, s)`.
#[pyfunction]
#[pyo3(signature = (table, policy = None))]
pub fn check_funds_table<'py>(
    py: Python<'py>,
    table: &Bound<'py, PyAny>,
    policy: Option<&Policy>,
) -> PyResult<Bound<'py, PyAny>> {
    let cols = Columns::from_py(table)?;
    let names = cols.strings("name")?;
    let kinds = cols.strings("kind")?;
    let last = cols.decimals("last_year", parse_amount)?;
    let this = cols.decimals("this_year", parse_amount)?;
    let mut counties = Vec::with_capacity(names.len());
    for (row, (((name, kind), last), this)) in names
        .into_iter()
        .zip(&kinds)
        .zip(last)
        .zip(this)
        .enumerate()
    {
        let kind = kind.parse().map_err(|e: fupin::FieldError| {
            DataError::new_err(format!("row {row}: {}", e.message))
        })?;
        counties.push(fupin::data::CountyInput {
            name,
            kind,
            last_year: fupin::Amount::from_yuan(last),
            this_year: fupin::Amount::from_yuan(this),
        });
    }
    fupin::data::validate_counties(&counties).map_err(to_py_err)?;
    let default_policy;
    let policy = match policy {
        Some(p) => &p.0,
        None => {
            default_policy = fupin::Policy::chaoyang_2020();
            &default_policy
        }
    };
    let results = counties
        .iter()
        .map(|c| fupin::funds::assess_county(policy, c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(to_py_err)?;
    let money = |f: fn(&fupin::funds::CountyResult) -> fupin::Amount| -> Vec<Decimal> {
        results.iter().map(|r| f(r).as_yuan()).collect()
    };
    let growth: Vec<Option<Decimal>> = results
        .iter()
        .map(|r| r.growth.map(fupin::Ratio::as_fraction))
        .collect();
    arrow::to_pyarrow(
        py,
        vec![
            arrow::string_column("name", results.iter().map(|r| r.name.clone()).collect()),
            arrow::string_column("kind", kinds),
            arrow::decimal_column("quota", &money(|r| r.quota))?,
            arrow::decimal_column("last_year", &money(|r| r.last_year))?,
            arrow::decimal_column("this_year", &money(|r| r.this_year))?,
            arrow::optional_decimal_column("growth", &growth)?,
            arrow::decimal_column("required", &money(|r| r.required))?,
            arrow::bool_column(
                "meets_quota",
                results.iter().map(|r| r.meets_quota).collect(),
            ),
            arrow::bool_column(
                "meets_growth",
                results.iter().map(|r| r.meets_growth).collect(),
            ),
            arrow::decimal_column("adjustment_owed", &money(|r| r.adjustment_owed))?,
        ],
    )
}
