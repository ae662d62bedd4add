//! Any report's checks as a table: one row per check, citing its clause.

use std::sync::{Arc, LazyLock};

use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use fupin::{Check, Value};
use rust_decimal::Decimal;

use crate::{Error, VALUE, VALUE_SCALE, write};

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text("clause", false),
        text("section", false),
        text("id", false),
        text("label_zh", false),
        text("label_en", false),
        text("subject", true),
        text("kind", false),
        Field::new("actual", VALUE, false),
        text("comparison", false),
        Field::new("threshold", VALUE, false),
        Field::new("passed", DataType::Boolean, false),
        Field::new("shortfall", VALUE, true),
        text("note_zh", true),
        text("note_en", true),
    ]))
});

/// The schema of [`checks`]: `clause` (e.g. `M1c`), `section` (e.g. `三(一)`), `id`,
/// `label_zh`, `label_en`, `subject` (null for the city as a whole), `kind` (`amount` in yuan,
/// `ratio` as a fraction, `points` as percentage points, or `number`), `actual`, `comparison`
/// (`≥`, `≤` or `>`), `threshold` ([`VALUE`]), `passed`, `shortfall` ([`VALUE`], null when
/// passed), `note_zh`, `note_en`.
#[must_use]
pub fn checks_schema() -> SchemaRef {
    SCHEMA.clone()
}

/// The name of a value's kind, as the `kind` column holds it.
#[must_use]
pub const fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Amount(_) => "amount",
        Value::Ratio(_) => "ratio",
        Value::Points(_) => "points",
        Value::Number(_) => "number",
    }
}

/// A value as a decimal (yuan for amounts, a fraction for ratios).
#[must_use]
pub fn value_decimal(v: &Value) -> Decimal {
    match v {
        Value::Amount(a) => a.as_yuan(),
        Value::Ratio(r) => r.as_fraction(),
        Value::Points(p) => p.value(),
        Value::Number(n) => *n,
    }
}

fn values(
    column: &str,
    vs: impl Iterator<Item = Option<Value>>,
) -> Result<arrow_array::ArrayRef, Error> {
    // Ratios and percentage points may be quotients: rounded half to even to the column's
    // scale. Amounts and numbers are exact and must fit.
    let vs: Vec<Option<Decimal>> = vs
        .map(|v| {
            v.map(|v| match v {
                Value::Ratio(_) | Value::Points(_) => value_decimal(&v).round_dp_with_strategy(
                    VALUE_SCALE,
                    rust_decimal::RoundingStrategy::MidpointNearestEven,
                ),
                _ => value_decimal(&v),
            })
        })
        .collect();
    write::decimals(column, VALUE_SCALE, &vs, false)
}

/// The checks as a table under [`checks_schema`], in the order given.
///
/// # Errors
/// [`Error::Output`] for an amount with more than 18 decimal places or 20 digits.
pub fn checks(checks: &[Check]) -> Result<RecordBatch, Error> {
    let text = |f: fn(&Check) -> &str| write::strings(checks.iter().map(f));
    write::batch(
        checks_schema(),
        vec![
            write::strings(checks.iter().map(|c| c.clause.to_string())),
            text(|c| &c.section),
            text(|c| &c.id),
            text(|c| &c.label.zh),
            text(|c| &c.label.en),
            write::optional_strings(checks.iter().map(|c| c.subject.as_deref())),
            text(|c| kind_name(&c.actual)),
            values("actual", checks.iter().map(|c| Some(c.actual)))?,
            text(|c| c.comparison.symbol()),
            values("threshold", checks.iter().map(|c| Some(c.threshold)))?,
            write::bools(checks.iter().map(|c| c.passed).collect()),
            values("shortfall", checks.iter().map(|c| c.shortfall))?,
            write::optional_strings(
                checks
                    .iter()
                    .map(|c| c.note.as_ref().map(|n| n.zh.as_ref())),
            ),
            write::optional_strings(
                checks
                    .iter()
                    .map(|c| c.note.as_ref().map(|n| n.en.as_ref())),
            ),
        ],
    )
}
