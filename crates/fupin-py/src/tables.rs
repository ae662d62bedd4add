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
    let policy = crate::plan::policy_or_default(policy);
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

fn parse_number(s: &str) -> Option<Decimal> {
    fupin::money::parse_number(s).ok()
}

fn parse_ratio(s: &str) -> Option<Decimal> {
    s.parse::<fupin::Ratio>()
        .ok()
        .map(fupin::Ratio::as_fraction)
}

/// Score every unit of a table on a card, through Arrow, exactly (annex 2 assessment method).
///
/// Columns in: one per item id of the card (points); per bonus rule: per-step → `<rule>`
/// (completion as a fraction, e.g. 1.35, or "135%"), per-count → `<rule>.<kind>` (whole
/// counts), discretionary → `<rule>` (points); optional `unit` (string) and `vetoed` (bool).
/// Points may have at most 4 decimal places and completions 8, as the kernel holds them.
/// Columns out: `unit` (when given), `base`, `bonus.<rule>` (each capped line, unless
/// `lines=False`), `bonus_raw`, `bonus`, `total` (`decimal128(38, 4)`), `vetoed`, `rank`
/// (competition ranking, vetoed units last; unless `rank=False`, which skips the sort).
#[pyfunction]
#[pyo3(signature = (card, table, policy = None, *, lines = true, rank = true))]
pub fn score_table<'py>(
    py: Python<'py>,
    card: &Bound<'py, PyAny>,
    table: &Bound<'py, PyAny>,
    policy: Option<&Policy>,
    lines: bool,
    rank: bool,
) -> PyResult<Bound<'py, PyAny>> {
    use fupin::assessment::{BonusColumn, BonusKind, POINT_SCALE, RATIO_SCALE, ScoreColumns};

    let card = crate::assessment::resolve_card(card, policy)?;
    let cols = Columns::from_py(table)?;
    let n = cols.num_rows();
    let items = card
        .items()
        .map(|(_, item)| cols.scaled(&item.id, POINT_SCALE, parse_number))
        .collect::<PyResult<Vec<_>>>()?;
    enum Owned {
        Scaled(Vec<i128>, bool),
        Counts(Vec<Vec<u32>>),
    }
    let owned = card
        .bonus
        .rules
        .iter()
        .map(|rule| match &rule.rule {
            BonusKind::PerStep { .. } => Ok(Owned::Scaled(
                cols.scaled(&rule.id, RATIO_SCALE, parse_ratio)?,
                true,
            )),
            BonusKind::Discretionary => Ok(Owned::Scaled(
                cols.scaled(&rule.id, POINT_SCALE, parse_number)?,
                false,
            )),
            BonusKind::PerCount { weights } => Ok(Owned::Counts(
                weights
                    .iter()
                    .map(|w| cols.counts(&format!("{}.{}", rule.id, w.id)))
                    .collect::<PyResult<Vec<_>>>()?,
            )),
        })
        .collect::<PyResult<Vec<_>>>()?;
    let vetoed = if cols.has("vetoed") {
        cols.bools("vetoed")?
    } else {
        vec![false; n]
    };
    let units = if cols.has("unit") {
        Some(cols.strings("unit")?)
    } else {
        None
    };
    let columns = ScoreColumns {
        items: items.iter().map(Vec::as_slice).collect(),
        bonuses: owned
            .iter()
            .map(|o| match o {
                Owned::Scaled(v, true) => BonusColumn::Completion(v),
                Owned::Scaled(v, false) => BonusColumn::Points(v),
                Owned::Counts(k) => BonusColumn::Counts(k.iter().map(Vec::as_slice).collect()),
            })
            .collect(),
        vetoed: &vetoed,
    };
    let scores = py
        .detach(|| fupin::assessment::score_columns(&card, &columns))
        .map_err(|e| {
            let unit = units
                .as_ref()
                .and_then(|u| u.get(e.row))
                .map(|u| format!(" (unit `{u}`)"));
            let err = crate::errors::to_py_err(e.error);
            let _ = err.value(py).setattr("row", e.row);
            let message = format!(
                "row {}{}: {}",
                e.row,
                unit.unwrap_or_default(),
                err.value(py)
            );
            let _ = err.value(py).setattr("args", (message,));
            err
        })?;
    let mut out = Vec::with_capacity(7 + card.bonus.rules.len());
    if let Some(units) = units {
        out.push(arrow::string_column("unit", units));
    }
    out.push(arrow::scaled_column(
        "base",
        scores.base_scaled().to_vec(),
        POINT_SCALE,
    )?);
    if lines {
        for (r, rule) in card.bonus.rules.iter().enumerate() {
            let line: Vec<i128> = (0..n)
                .map(|i| {
                    scores
                        .bonus_line(i, r)
                        .and_then(fupin::assessment::Points::to_scaled)
                        .unwrap_or(0)
                })
                .collect();
            out.push(arrow::scaled_column(
                &format!("bonus.{}", rule.id),
                line,
                POINT_SCALE,
            )?);
        }
    }
    out.push(arrow::scaled_column(
        "bonus_raw",
        scores.bonus_raw_scaled().to_vec(),
        POINT_SCALE,
    )?);
    out.push(arrow::scaled_column(
        "bonus",
        scores.bonus_scaled().to_vec(),
        POINT_SCALE,
    )?);
    out.push(arrow::scaled_column(
        "total",
        scores.total_scaled().to_vec(),
        POINT_SCALE,
    )?);
    out.push(arrow::bool_column(
        "vetoed",
        scores.vetoed_column().to_vec(),
    ));
    if rank {
        let mut ranks = vec![0u32; n];
        for entry in scores.rank() {
            if let Some(slot) = ranks.get_mut(entry.index) {
                *slot = u32::try_from(entry.rank).unwrap_or(u32::MAX);
            }
        }
        out.push(arrow::u32_column("rank", ranks));
    }
    arrow::to_pyarrow(py, out)
}
