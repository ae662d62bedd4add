//! G4 and M4 over a ledger table: cumulative spending progress of every unit, month by month,
//! against a schedule when one is given.

use std::sync::{Arc, LazyLock};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use fupin::spending::{Ledger, LedgerEntry, Schedule, YearMonth, schedule::compare};
use fupin::{Amount, Ratio};

use crate::{Columns, Error, MONEY, RATIO, write};

/// The year and the units a ledger table is validated against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerOptions {
    /// The year every month must fall in.
    pub year: i32,
    /// The county-level units a row may name.
    pub units: Vec<String>,
}

impl LedgerOptions {
    /// The embedded 2020 plan's year and its seven county-level units.
    #[must_use]
    pub fn chaoyang_2020() -> Self {
        Self {
            year: fupin::Policy::chaoyang_2020().meta.year,
            units: fupin::spending::ledger::unit_names(&fupin::data::PlanData::chaoyang_2020()),
        }
    }
}

fn schema(with_schedule: bool) -> SchemaRef {
    let mut fields = vec![
        Field::new("month", DataType::Utf8, false),
        Field::new("county", DataType::Utf8, false),
        Field::new("allocated", MONEY, false),
        Field::new("spent", MONEY, false),
        Field::new("progress", RATIO, true),
    ];
    if with_schedule {
        fields.extend([
            Field::new("required", RATIO, true),
            Field::new("standing", DataType::Utf8, true),
            Field::new("gap_pp", RATIO, true),
            Field::new("to_catch_up", MONEY, true),
        ]);
    }
    Arc::new(Schema::new(fields))
}

static PLAIN: LazyLock<SchemaRef> = LazyLock::new(|| schema(false));
static SCHEDULED: LazyLock<SchemaRef> = LazyLock::new(|| schema(true));

/// The schema of [`spending_progress`]: `month` (`"2020-06"`), `county`, `allocated`, `spent`
/// (money), `progress` (ratio, null when nothing is allocated); with a schedule also
/// `required` (ratio), `standing` (`ahead`, `on_schedule`, `behind` or `no_allocation`),
/// `gap_pp` (percentage points) and `to_catch_up` (money), null for months before the
/// schedule's first point.
#[must_use]
pub fn spending_schema(with_schedule: bool) -> SchemaRef {
    if with_schedule {
        SCHEDULED.clone()
    } else {
        PLAIN.clone()
    }
}

fn parse_amount(s: &str) -> Result<rust_decimal::Decimal, fupin::money::MoneyError> {
    s.parse::<Amount>().map(Amount::as_yuan)
}

/// Read and validate a ledger table (as [`Ledger::new`] does: unknown county, month outside
/// the year, negative amount, duplicate row, each naming its record).
///
/// Columns: `month` (`"2020-06"`), `county`, `allocated`, `spent` (yuan: `decimal128`, string
/// such as `"150万元"`, or integer); optional `project` and `fund_source` (a null is absent).
///
/// # Errors
/// [`Error`] naming the column and row; [`Error::Core`] for a ledger the rules refuse.
pub fn ledger(table: &Columns, options: &LedgerOptions) -> Result<Ledger, Error> {
    let n = table.num_rows();
    let months = table.strings("month")?;
    let county = table.strings("county")?;
    let allocated = table.decimals("allocated", parse_amount)?;
    let spent = table.decimals("spent", parse_amount)?;
    let project = table
        .optional_strings("project")?
        .unwrap_or_else(|| vec![None; n]);
    let fund_source = table
        .optional_strings("fund_source")?
        .unwrap_or_else(|| vec![None; n]);
    let entries = months
        .iter()
        .zip(county)
        .zip(allocated.into_iter().zip(spent))
        .zip(project.into_iter().zip(fund_source))
        .enumerate()
        .map(|(row, (((m, county), (a, s)), (project, fund_source)))| {
            let month = m.parse().map_err(|e: fupin::spending::BadMonth| {
                Error::refused(row, "month", m, &e.to_string())
            })?;
            Ok(LedgerEntry {
                month,
                county,
                project,
                fund_source,
                allocated: Amount::from_yuan(a),
                spent: Amount::from_yuan(s),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ledger::new(options.year, options.units.clone(), entries)
        .map_err(|e| fupin::Error::from(e).into())
}

/// Cumulative spending progress of every county-level unit at the end of each month of a
/// ledger table (G4, M4), exactly, under [`spending_schema`]: one row per month and unit.
///
/// `months` defaults to every month present in the ledger. With a `schedule`, each row is also
/// compared with the progress it requires, decided exactly.
///
/// # Errors
/// As [`ledger`]; [`Error::Core`] for an overflow of exact arithmetic.
pub fn spending_progress(
    table: &Columns,
    options: &LedgerOptions,
    months: Option<&[YearMonth]>,
    schedule: Option<&Schedule>,
) -> Result<RecordBatch, Error> {
    let ledger = ledger(table, options)?;
    let months = match months {
        Some(ms) => ms.to_vec(),
        None => {
            let mut ms: Vec<_> = ledger.entries().iter().map(|e| e.month).collect();
            ms.sort_unstable();
            ms.dedup();
            ms
        }
    };
    let core = |e: fupin::spending::SpendingError| Error::from(fupin::Error::from(e));
    let mut rows = Vec::new();
    for month in months {
        let need = schedule.and_then(|s| s.required_for(month));
        for (unit, progress) in ledger.progress_by_county(month).map_err(core)? {
            let against = need
                .map(|need| compare(&progress, need).map(|c| (need, c)))
                .transpose()
                .map_err(|e| Error::from(fupin::Error::from(e)))?;
            rows.push((month, unit, progress, against));
        }
    }
    let month_text: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
    let mut out = vec![
        write::strings(month_text),
        write::strings(rows.iter().map(|r| r.1.as_str())),
        write::money("allocated", rows.iter().map(|r| r.2.allocated))?,
        write::money("spent", rows.iter().map(|r| r.2.spent))?,
        write::ratios(
            "progress",
            rows.iter().map(|r| r.2.progress.map(Ratio::as_fraction)),
        )?,
    ];
    if schedule.is_some() {
        let cmp = || rows.iter().map(|r| r.3.as_ref());
        out.extend([
            write::ratios(
                "required",
                cmp().map(|c| c.map(|(need, _)| need.as_fraction())),
            )?,
            write::optional_strings(
                cmp().map(|c| c.map(|(_, c)| write::standing_name(c.standing))),
            ),
            write::ratios(
                "gap_pp",
                cmp().map(|c| c.and_then(|(_, c)| c.gap.map(fupin::PercentagePoints::value))),
            )?,
            write::optional_money("to_catch_up", cmp().map(|c| c.map(|(_, c)| c.to_catch_up)))?,
        ]);
    }
    write::batch(spending_schema(schedule.is_some()), out)
}
