//! M1c and task 8 over a table of county-level units: quota, growth target, budget owed.

use std::sync::{Arc, LazyLock};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use fupin::data::CountyInput;
use fupin::funds::CountyResult;
use fupin::policy::UnitKind;
use fupin::{Amount, Policy};

use crate::{Columns, Error, MONEY, RATIO, write};

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let money = |name: &str| Field::new(name, MONEY, false);
    Arc::new(Schema::new(vec![
        Field::new("name", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        money("quota"),
        money("last_year"),
        money("this_year"),
        Field::new("growth", RATIO, true),
        money("required"),
        Field::new("meets_quota", DataType::Boolean, false),
        Field::new("meets_growth", DataType::Boolean, false),
        money("adjustment_owed"),
    ]))
});

/// The schema of [`check_funds`]: `name`, `kind` (`county`, `county_city` or `district`),
/// `quota`, `last_year`, `this_year` (money), `growth` (ratio; null when last year is zero),
/// `required` (money), `meets_quota`, `meets_growth` (bool), `adjustment_owed` (money).
#[must_use]
pub fn funds_schema() -> SchemaRef {
    SCHEMA.clone()
}

fn parse_amount(s: &str) -> Result<rust_decimal::Decimal, fupin::money::MoneyError> {
    s.parse::<Amount>().map(Amount::as_yuan)
}

/// Assess every county-level unit of a table against its quota and growth target (M1c, task 8).
///
/// Columns in: `name` (string), `kind` (`county` / `county_city` / `district`, or 县 / 县级市 /
/// 区), `last_year` and `this_year` (yuan: `decimal128`, string such as `"2500万元"`, or integer).
/// One row out per row in, in order, under [`funds_schema`].
///
/// # Errors
/// [`Error`] naming the column and row of a missing column or a bad cell; [`Error::Core`] when
/// the units are invalid together (a duplicate or blank name, a negative amount).
pub fn check_funds(table: &Columns, policy: &Policy) -> Result<RecordBatch, Error> {
    let names = table.strings("name")?;
    let kinds = table.strings("kind")?;
    let last = table.decimals("last_year", parse_amount)?;
    let this = table.decimals("this_year", parse_amount)?;
    let counties = names
        .into_iter()
        .zip(kinds)
        .zip(last.into_iter().zip(this))
        .enumerate()
        .map(|(row, ((name, kind), (last, this)))| {
            let kind = kind
                .parse()
                .map_err(|e: fupin::FieldError| Error::refused(row, "kind", &kind, &e.message))?;
            Ok(CountyInput {
                name,
                kind,
                last_year: Amount::from_yuan(last),
                this_year: Amount::from_yuan(this),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    fupin::data::validate_counties(&counties).map_err(fupin::Error::from)?;
    let results = counties
        .iter()
        .enumerate()
        .map(|(row, c)| {
            fupin::funds::assess_county(&policy.funds, c)
                .map_err(|e| Error::row_error(row, Some(c.name.clone()), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    funds_batch(&results)
}

/// The table of already assessed units (a report's `counties`), under [`funds_schema`].
///
/// # Errors
/// [`Error::Output`] for an amount with more than 8 decimal places.
pub fn funds_batch(results: &[CountyResult]) -> Result<RecordBatch, Error> {
    let money =
        |column: &str, f: fn(&CountyResult) -> Amount| write::money(column, results.iter().map(f));
    write::batch(
        funds_schema(),
        vec![
            write::strings(results.iter().map(|r| r.name.as_str())),
            write::strings(results.iter().map(|r| kind_name(r.kind))),
            money("quota", |r| r.quota)?,
            money("last_year", |r| r.last_year)?,
            money("this_year", |r| r.this_year)?,
            write::ratios(
                "growth",
                results
                    .iter()
                    .map(|r| r.growth.map(fupin::Ratio::as_fraction)),
            )?,
            money("required", |r| r.required)?,
            write::bools(results.iter().map(|r| r.meets_quota).collect()),
            write::bools(results.iter().map(|r| r.meets_growth).collect()),
            money("adjustment_owed", |r| r.adjustment_owed)?,
        ],
    )
}

/// The snake_case name of a unit kind, as the `kind` column holds it.
const fn kind_name(k: UnitKind) -> &'static str {
    match k {
        UnitKind::County => "county",
        UnitKind::CountyCity => "county_city",
        UnitKind::District => "district",
    }
}
