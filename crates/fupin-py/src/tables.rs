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
/// Points may have at most 4 decimal places and completions 8, as the kernel holds them; points
/// given as `decimal128(_, 4)` and completions as `decimal128(_, 8)` are read in place, without
/// a copy (other types and scales are rescaled exactly first).
/// Columns out: `unit` (when given), `base`, then — unless `lines=False` — `bonus.<rule>` (each
/// capped line) and `bonus_raw` (their sum before the cap), then `bonus`, `total` (all
/// `decimal128(38, 4)`, or with `points="decimal64"` `decimal64(18, 4)`: exact either way,
/// half the memory and no copy, but not yet summed or sorted by pyarrow's compute kernels),
/// `vetoed`, and `rank` (competition ranking, vetoed units last; unless
/// `rank=False`, which skips the sort). The scores' columns become Arrow buffers without a copy.
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
    let points = arrow::PointsType::parse(points)?;
    use fupin::assessment::{BonusColumn, BonusKind, POINT_SCALE, RATIO_SCALE, ScoreColumns};

    let card = crate::assessment::resolve_card(card, policy)?;
    let cols = Columns::from_py(table)?;
    let n = cols.num_rows();
    let items = card
        .items()
        .map(|(_, item)| cols.scaled_cow(&item.id, POINT_SCALE, parse_number))
        .collect::<PyResult<Vec<_>>>()?;
    enum Owned<'a> {
        Scaled(std::borrow::Cow<'a, [i128]>, bool),
        Counts(Vec<Vec<u32>>),
    }
    let owned = card
        .bonus
        .rules
        .iter()
        .map(|rule| match &rule.rule {
            BonusKind::PerStep { .. } => Ok(Owned::Scaled(
                cols.scaled_cow(&rule.id, RATIO_SCALE, parse_ratio)?,
                true,
            )),
            BonusKind::Discretionary => Ok(Owned::Scaled(
                cols.scaled_cow(&rule.id, POINT_SCALE, parse_number)?,
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
        items: items.iter().map(AsRef::as_ref).collect(),
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
    // Without the lines, the kernel stores only what the totals and the ranking need.
    let run = if lines {
        fupin::assessment::score_columns
    } else {
        fupin::assessment::score_columns_totals
    };
    let scores = py.detach(|| run(&card, &columns)).map_err(|e| {
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
    let ranks = rank.then(|| scores.rank_column());
    let cols = scores.into_columns();
    let mut out = Vec::with_capacity(7 + card.bonus.rules.len());
    if let Some(units) = units {
        out.push(arrow::string_column("unit", units));
    }
    out.push(points.column("base", cols.base, POINT_SCALE)?);
    if lines {
        for (rule, line) in card.bonus.rules.iter().zip(cols.bonus_lines) {
            out.push(points.column(&format!("bonus.{}", rule.id), line, POINT_SCALE)?);
        }
        out.push(points.column("bonus_raw", cols.bonus_raw, POINT_SCALE)?);
    }
    out.push(points.column("bonus", cols.bonus, POINT_SCALE)?);
    out.push(points.column("total", cols.total, POINT_SCALE)?);
    out.push(arrow::bool_column("vetoed", cols.vetoed));
    if let Some(ranks) = ranks {
        let ranks = ranks
            .into_iter()
            .map(|r| u32::try_from(r).unwrap_or(u32::MAX))
            .collect();
        out.push(arrow::u32_column("rank", ranks));
    }
    arrow::to_pyarrow(py, out)
}

/// Cumulative spending progress of every county-level unit, month by month, from a ledger table
/// (G4, M4): Arrow in, Arrow out, exact.
///
/// Columns in: `month` ("2020-06"), `county`, `allocated`, `spent` (yuan: decimal128, string such
/// as "150万元", or integer); `project` and `fund_source` are optional. The ledger is validated as
/// `Ledger` does (unknown county, month outside `year`, negative amount, duplicate row — each
/// naming its record). `months` defaults to every month present; `year` and `units` to the
/// embedded plan's. Columns out, one row per month and unit: `month`, `county`, `allocated`,
/// `spent`, `progress` (null when nothing is allocated; the quotient to 28 significant digits),
/// and with a `schedule`: `required`, `standing` (ahead / on_schedule / behind /
/// no_allocation, decided exactly), `gap_pp` and `to_catch_up`.
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
    use fupin::spending::{Ledger, LedgerEntry, Standing, schedule::compare};

    let cols = Columns::from_py(table)?;
    let n = cols.num_rows();
    let month_text = cols.strings("month")?;
    let county = cols.strings("county")?;
    let allocated = cols.decimals("allocated", parse_amount)?;
    let spent = cols.decimals("spent", parse_amount)?;
    let optional = |name: &str| -> PyResult<Vec<Option<String>>> {
        Ok(if cols.has(name) {
            cols.strings(name)?.into_iter().map(Some).collect()
        } else {
            vec![None; n]
        })
    };
    let (project, fund_source) = (optional("project")?, optional("fund_source")?);
    let mut entries = Vec::with_capacity(n);
    for (row, ((((m, c), a), s), (p, f))) in month_text
        .iter()
        .zip(county)
        .zip(allocated)
        .zip(spent)
        .zip(project.into_iter().zip(fund_source))
        .enumerate()
    {
        let month = m.parse().map_err(|e: fupin::spending::BadMonth| {
            DataError::new_err(format!("row {row}: `month`: {e}"))
        })?;
        entries.push(LedgerEntry {
            month,
            county: c,
            project: p,
            fund_source: f,
            allocated: fupin::Amount::from_yuan(a),
            spent: fupin::Amount::from_yuan(s),
        });
    }
    let ledger = Ledger::new(
        crate::spending::year_of(year),
        crate::spending::units_of(units),
        entries,
    )
    .map_err(to_py_err)?;
    let months = match months {
        Some(ms) => ms
            .iter()
            .map(|m| crate::spending::month(m))
            .collect::<PyResult<Vec<_>>>()?,
        None => {
            let mut ms: Vec<_> = ledger.entries().iter().map(|e| e.month).collect();
            ms.sort_unstable();
            ms.dedup();
            ms
        }
    };
    let (mut out_month, mut out_county, mut out_alloc, mut out_spent, mut out_progress) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut required, mut standing, mut gap, mut catch_up) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for month in months {
        let need = schedule.and_then(|s| s.0.required_for(month));
        for (unit, progress) in ledger.progress_by_county(month).map_err(to_py_err)? {
            if let Some(need) = need {
                let c = compare(&progress, need).map_err(to_py_err)?;
                required.push(Some(need.as_fraction()));
                standing.push(
                    match c.standing {
                        Standing::Ahead => "ahead",
                        Standing::OnSchedule => "on_schedule",
                        Standing::Behind => "behind",
                        Standing::NoAllocation => "no_allocation",
                    }
                    .to_owned(),
                );
                gap.push(c.gap.map(fupin::PercentagePoints::value));
                catch_up.push(Some(c.to_catch_up.as_yuan()));
            } else {
                required.push(None);
                standing.push(String::new());
                gap.push(None);
                catch_up.push(None);
            }
            out_month.push(month.to_string());
            out_county.push(unit);
            out_alloc.push(progress.allocated.as_yuan());
            out_spent.push(progress.spent.as_yuan());
            out_progress.push(progress.progress.map(fupin::Ratio::as_fraction));
        }
    }
    let mut out = vec![
        arrow::string_column("month", out_month),
        arrow::string_column("county", out_county),
        arrow::decimal_column("allocated", &out_alloc)?,
        arrow::decimal_column("spent", &out_spent)?,
        arrow::optional_decimal_column("progress", &out_progress)?,
    ];
    if schedule.is_some() {
        out.push(arrow::optional_decimal_column("required", &required)?);
        out.push(arrow::string_column("standing", standing));
        out.push(arrow::optional_decimal_column("gap_pp", &gap)?);
        out.push(arrow::optional_decimal_column("to_catch_up", &catch_up)?);
    }
    arrow::to_pyarrow(py, out)
}
