//! Building the output columns, each at its fixed type (see the crate docs).

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Decimal64Array, Decimal128Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_schema::SchemaRef;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Error;

/// The largest magnitude a `decimal128(38, _)` holds, plus one.
const LIMIT_38: i128 = 10_i128.pow(38);

/// `d` as an integer scaled by 10^`scale`, exactly; `None` when `d` has more than `scale`
/// significant decimal places or the result has more than 38 digits.
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(fupin_arrow::to_scaled(Decimal::new(125, 2), 4), Some(12_500)); // 1.25
/// assert_eq!(fupin_arrow::to_scaled(Decimal::new(125, 3), 2), None); // 0.125 needs 3 places
/// ```
#[must_use]
pub fn to_scaled(d: Decimal, scale: u32) -> Option<i128> {
    let d = d.normalize();
    let places = scale.checked_sub(d.scale())?;
    let v = d.mantissa().checked_mul(10_i128.checked_pow(places)?)?;
    (v.abs() < LIMIT_38).then_some(v)
}

/// A quotient (growth, progress) at `scale` places, rounded half to even.
fn quotient(d: Decimal, scale: u32) -> Decimal {
    d.round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
}

/// A `decimal128(38, scale)` array of exact values; `quotients` are rounded half to even to
/// `scale` first (they are not finite decimals), other values must fit exactly.
pub(crate) fn decimals(
    column: &str,
    scale: u32,
    values: &[Option<Decimal>],
    quotients: bool,
) -> Result<ArrayRef, Error> {
    let raw = values
        .iter()
        .enumerate()
        .map(|(row, v)| {
            v.map(|d| {
                let d = if quotients { quotient(d, scale) } else { d };
                to_scaled(d, scale).ok_or_else(|| Error::Output {
                    row,
                    column: column.to_owned(),
                    value: d.to_string(),
                    problem: format!(
                        "does not fit the column's type decimal128(38, {scale}): more than {scale} decimal places or {} digits before the point",
                        38 - scale
                    ),
                })
            })
            .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let array = Decimal128Array::from(raw)
        .with_precision_and_scale(38, i8::try_from(scale).map_err(Error::build)?)
        .map_err(Error::build)?;
    Ok(Arc::new(array))
}

/// Money (yuan) at [`crate::MONEY_SCALE`], exactly.
pub(crate) fn money(
    column: &str,
    values: impl IntoIterator<Item = fupin::Amount>,
) -> Result<ArrayRef, Error> {
    let v: Vec<_> = values.into_iter().map(|a| Some(a.as_yuan())).collect();
    decimals(column, crate::MONEY_SCALE, &v, false)
}

/// Optional money (yuan) at [`crate::MONEY_SCALE`], exactly.
pub(crate) fn optional_money(
    column: &str,
    values: impl IntoIterator<Item = Option<fupin::Amount>>,
) -> Result<ArrayRef, Error> {
    let v: Vec<_> = values
        .into_iter()
        .map(|a| a.map(fupin::Amount::as_yuan))
        .collect();
    decimals(column, crate::MONEY_SCALE, &v, false)
}

/// Ratios or percentage points at [`crate::RATIO_SCALE`]: quotients rounded half to even.
pub(crate) fn ratios(
    column: &str,
    values: impl IntoIterator<Item = Option<Decimal>>,
) -> Result<ArrayRef, Error> {
    let v: Vec<_> = values.into_iter().collect();
    decimals(column, crate::RATIO_SCALE, &v, true)
}

/// A `utf8` array.
pub(crate) fn strings<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(values))
}

/// A nullable `utf8` array.
pub(crate) fn optional_strings<S: AsRef<str>>(
    values: impl IntoIterator<Item = Option<S>>,
) -> ArrayRef {
    Arc::new(StringArray::from_iter(values))
}

/// A `bool` array.
pub(crate) fn bools(values: Vec<bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(values))
}

/// A `uint32` array.
pub(crate) fn u32s(values: Vec<u32>) -> ArrayRef {
    Arc::new(UInt32Array::from(values))
}

/// The integers a points column is built from: `i128` → `decimal128(38, 4)`, `i64` →
/// `decimal64(18, 4)`; either way the vector becomes the array's buffer as it is, not copied.
pub(crate) trait PointsInt: fupin::assessment::ScaledInt {
    /// The array of points scaled by 10^4.
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, Error>;
}

fn points_scale() -> Result<i8, Error> {
    i8::try_from(crate::POINTS_SCALE).map_err(Error::build)
}

impl PointsInt for i64 {
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, Error> {
        const MAX: i64 = 999_999_999_999_999_999;
        if let Some(row) = values.iter().position(|v| !(-MAX..=MAX).contains(v)) {
            return Err(Error::Output {
                row,
                column: column.to_owned(),
                value: values.get(row).map(ToString::to_string).unwrap_or_default(),
                problem: "has more than 18 digits (use decimal128 points)".to_owned(),
            });
        }
        Ok(Arc::new(
            Decimal64Array::from(values)
                .with_precision_and_scale(18, points_scale()?)
                .map_err(Error::build)?,
        ))
    }
}

impl PointsInt for i128 {
    /// Every score came through the kernel's 64-bit bounds: far inside 38 digits.
    fn array(_column: &str, values: Vec<Self>) -> Result<ArrayRef, Error> {
        Ok(Arc::new(
            Decimal128Array::from(values)
                .with_precision_and_scale(38, points_scale()?)
                .map_err(Error::build)?,
        ))
    }
}

/// The batch of `columns` under `schema` (Arrow checks every type against the schema).
pub(crate) fn batch(schema: SchemaRef, columns: Vec<ArrayRef>) -> Result<RecordBatch, Error> {
    RecordBatch::try_new(schema, columns).map_err(Error::build)
}

/// The snake_case name of a standing against the schedule, as the `standing` column holds it.
#[must_use]
pub fn standing_name(s: fupin::spending::Standing) -> &'static str {
    use fupin::spending::Standing;
    match s {
        Standing::Ahead => "ahead",
        Standing::OnSchedule => "on_schedule",
        Standing::Behind => "behind",
        Standing::NoAllocation => "no_allocation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_scaled_is_exact_or_refuses() {
        assert_eq!(to_scaled(Decimal::new(2_500, 0), 8), Some(250_000_000_000));
        assert_eq!(to_scaled(Decimal::new(1_000, 3), 0), Some(1)); // 1.000 is 1
        assert_eq!(to_scaled(Decimal::new(1, 9), 8), None);
        assert_eq!(to_scaled(Decimal::MAX, 18), None); // 29 digits + 18 places > 38
        assert_eq!(to_scaled(-Decimal::new(5, 1), 4), Some(-5_000));
    }

    #[test]
    fn quotients_round_half_to_even_and_exact_values_do_not() {
        let third = Decimal::ONE / Decimal::from(3);
        let a = decimals("growth", 18, &[Some(third)], true).unwrap();
        let a = arrow_array::cast::AsArray::as_primitive::<arrow_array::types::Decimal128Type>(&a);
        assert_eq!(a.value(0), 333_333_333_333_333_333);
        let e = decimals("quota", 8, &[Some(Decimal::new(1, 9))], false).unwrap_err();
        assert!(e.to_string().contains("0.000000001"), "{e}");
    }
}
