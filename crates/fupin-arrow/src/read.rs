//! Reading named columns of a table as exact values.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal64Type, Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, SchemaRef};
use fupin::money::MoneyError;
use rust_decimal::Decimal;

use crate::Error;

/// What a money, ratio or points column may be.
pub const DECIMAL_TYPES: &str = "decimal128, string (e.g. \"2500万元\" or \"0.5\") or integer";

/// Reads the text of one cell as a decimal (an amount, a ratio, a number of points).
pub(crate) type Parse = fn(&str) -> Result<Decimal, MoneyError>;

/// A table to read: its schema and its record batches (any number, any sizes).
#[derive(Debug, Clone)]
pub struct Columns {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl Columns {
    /// A table of `batches`, all with `schema`.
    #[must_use]
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self { schema, batches }
    }

    /// A table of one batch.
    #[must_use]
    pub fn from_batch(batch: RecordBatch) -> Self {
        Self {
            schema: batch.schema(),
            batches: vec![batch],
        }
    }

    /// The table's schema.
    #[must_use]
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Number of rows.
    #[must_use]
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Whether the table has a column.
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.schema.column_with_name(name).is_some()
    }

    fn column(&self, name: &str, expected: &'static str) -> Result<(usize, &DataType), Error> {
        let (i, field) =
            self.schema
                .column_with_name(name)
                .ok_or_else(|| Error::MissingColumn {
                    column: name.to_owned(),
                    expected,
                    available: self
                        .schema
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect(),
                })?;
        Ok((i, field.data_type()))
    }

    /// Each chunk of column `idx` with the row number of its first cell.
    fn chunks(&self, idx: usize) -> impl Iterator<Item = (usize, &ArrayRef)> {
        self.batches.iter().scan(0usize, move |start, batch| {
            let first = *start;
            *start += batch.num_rows();
            Some((first, batch.column(idx)))
        })
    }

    fn null_in(col: &dyn Array, first_row: usize, name: &str) -> Result<(), Error> {
        if col.null_count() == 0 {
            return Ok(());
        }
        let i = (0..col.len()).find(|&i| col.is_null(i)).unwrap_or(0);
        Err(Error::cell(first_row + i, name, None, "is null"))
    }

    /// A money, ratio or points column as exact decimals; `parse` reads string cells.
    pub(crate) fn decimals(&self, name: &str, parse: Parse) -> Result<Vec<Decimal>, Error> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        let mut out = Vec::with_capacity(self.num_rows());
        for (first, col) in self.chunks(idx) {
            Self::null_in(col, first, name)?;
            let text = |row: usize, s: &str| {
                parse(s).map_err(|e| {
                    Error::cell(
                        row,
                        name,
                        Some(format!("{s:?}")),
                        format!("cannot be read: {e}"),
                    )
                })
            };
            macro_rules! ints {
                ($t:ty) => {
                    out.extend(
                        col.as_primitive::<$t>()
                            .values()
                            .iter()
                            .map(|v| Decimal::from(*v)),
                    )
                };
            }
            match ty {
                DataType::Decimal128(_, scale) | DataType::Decimal64(_, scale) => {
                    let raw: Vec<i128> = if matches!(ty, DataType::Decimal64(..)) {
                        col.as_primitive::<Decimal64Type>()
                            .values()
                            .iter()
                            .map(|v| i128::from(*v))
                            .collect()
                    } else {
                        col.as_primitive::<Decimal128Type>().values().to_vec()
                    };
                    for (i, v) in raw.into_iter().enumerate() {
                        let d = u32::try_from(*scale)
                            .ok()
                            .and_then(|s| Decimal::try_from_i128_with_scale(v, s).ok())
                            .ok_or_else(|| {
                                Error::cell(
                                    first + i,
                                    name,
                                    Some(decimal_text(v, *scale)),
                                    "is beyond the 28 significant digits fupin computes with",
                                )
                            })?;
                        out.push(d);
                    }
                }
                DataType::Utf8 => {
                    for (i, s) in col.as_string::<i32>().iter().enumerate() {
                        out.push(text(first + i, s.unwrap_or_default())?);
                    }
                }
                DataType::LargeUtf8 => {
                    for (i, s) in col.as_string::<i64>().iter().enumerate() {
                        out.push(text(first + i, s.unwrap_or_default())?);
                    }
                }
                DataType::Utf8View => {
                    for (i, s) in col.as_string_view().iter().enumerate() {
                        out.push(text(first + i, s.unwrap_or_default())?);
                    }
                }
                DataType::Int8 => ints!(Int8Type),
                DataType::Int16 => ints!(Int16Type),
                DataType::Int32 => ints!(Int32Type),
                DataType::Int64 => ints!(Int64Type),
                DataType::UInt8 => ints!(UInt8Type),
                DataType::UInt16 => ints!(UInt16Type),
                DataType::UInt32 => ints!(UInt32Type),
                DataType::UInt64 => ints!(UInt64Type),
                other => return Err(mistyped(name, other, DECIMAL_TYPES)),
            }
        }
        Ok(out)
    }

    /// A decimal column as integers scaled by 10^`scale` (the layout of `decimal128(_, scale)`),
    /// exactly: a cell with more decimal places than `scale` is an error naming its row.
    /// `decimal128` columns are rescaled without going through `Decimal`.
    pub(crate) fn scaled(&self, name: &str, scale: u32, parse: Parse) -> Result<Vec<i128>, Error> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        let too_fine = |row: usize, v: String| {
            Error::cell(
                row,
                name,
                Some(v),
                format!("has more than {scale} decimal places"),
            )
        };
        let DataType::Decimal128(_, s) = ty else {
            return self
                .decimals(name, parse)?
                .iter()
                .enumerate()
                .map(|(row, d)| {
                    crate::to_scaled(*d, scale).ok_or_else(|| too_fine(row, d.to_string()))
                })
                .collect();
        };
        let s_given = *s;
        let s = u32::try_from(s_given).map_err(|_| mistyped(name, ty, DECIMAL_TYPES))?;
        let mut out = Vec::with_capacity(self.num_rows());
        for (first, col) in self.chunks(idx) {
            Self::null_in(col, first, name)?;
            let values = col.as_primitive::<Decimal128Type>().values();
            if s <= scale {
                let factor = 10_i128.pow(scale - s);
                for (i, v) in values.iter().enumerate() {
                    out.push(v.checked_mul(factor).ok_or_else(|| {
                        Error::cell(
                            first + i,
                            name,
                            Some(decimal_text(*v, s_given)),
                            "is out of range",
                        )
                    })?);
                }
            } else {
                let divisor = 10_i128.pow(s - scale);
                for (i, v) in values.iter().enumerate() {
                    if v % divisor != 0 {
                        return Err(too_fine(first + i, decimal_text(*v, s_given)));
                    }
                    out.push(v / divisor);
                }
            }
        }
        Ok(out)
    }

    /// As [`Columns::scaled`], but borrowing Arrow's own buffer when the column is already
    /// `decimal128(_, scale)` in one chunk without nulls: no copy and no conversion at all.
    pub(crate) fn scaled_cow(
        &self,
        name: &str,
        scale: u32,
        parse: Parse,
    ) -> Result<Cow<'_, [i128]>, Error> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        if let ([batch], DataType::Decimal128(_, s)) = (self.batches.as_slice(), ty) {
            let col = batch.column(idx).as_primitive::<Decimal128Type>();
            if u32::try_from(*s).is_ok_and(|s| s == scale) && col.null_count() == 0 {
                return Ok(Cow::Borrowed(col.values().as_ref()));
            }
        }
        self.scaled(name, scale, parse).map(Cow::Owned)
    }

    /// [`Columns::counts`], borrowed in place from a `uint32` column of one chunk without nulls.
    pub(crate) fn counts_cow(&self, name: &str) -> Result<Cow<'_, [u32]>, Error> {
        let (idx, ty) = self.column(name, "integer")?;
        if let ([batch], DataType::UInt32) = (self.batches.as_slice(), ty) {
            let col = batch.column(idx).as_primitive::<UInt32Type>();
            if col.null_count() == 0 {
                return Ok(Cow::Borrowed(col.values().as_ref()));
            }
        }
        self.counts(name).map(Cow::Owned)
    }

    /// The array of a `bool` column of one chunk without nulls, shared (not copied): what an
    /// output column equal to an input column is made of. `None` otherwise.
    pub(crate) fn shared_bools(&self, name: &str) -> Option<ArrayRef> {
        let (idx, ty) = self.column(name, "bool").ok()?;
        match (self.batches.as_slice(), ty) {
            ([batch], DataType::Boolean) => {
                let col = batch.column(idx);
                (col.null_count() == 0).then(|| col.clone())
            }
            _ => None,
        }
    }

    /// A column of non-negative whole counts (integer columns are read without conversion).
    pub(crate) fn counts(&self, name: &str) -> Result<Vec<u32>, Error> {
        const EXPECTED: &str = "integer";
        let (idx, ty) = self.column(name, EXPECTED)?;
        if !ty.is_integer() {
            return self
                .decimals(name, fupin::money::parse_number)?
                .into_iter()
                .enumerate()
                .map(|(row, d)| {
                    whole(d).ok_or_else(|| {
                        Error::cell(row, name, Some(d.to_string()), "is not a whole count ≥ 0")
                    })
                })
                .collect();
        }
        let mut out = Vec::with_capacity(self.num_rows());
        for (first, col) in self.chunks(idx) {
            Self::null_in(col, first, name)?;
            macro_rules! read {
                ($t:ty) => {
                    for (i, v) in col.as_primitive::<$t>().values().iter().enumerate() {
                        out.push(u32::try_from(*v).map_err(|_| {
                            Error::cell(
                                first + i,
                                name,
                                Some(v.to_string()),
                                "is not a whole count ≥ 0",
                            )
                        })?);
                    }
                };
            }
            match ty {
                DataType::UInt32 => read!(UInt32Type),
                DataType::Int64 => read!(Int64Type),
                DataType::Int32 => read!(Int32Type),
                DataType::UInt64 => read!(UInt64Type),
                DataType::Int16 => read!(Int16Type),
                DataType::UInt16 => read!(UInt16Type),
                DataType::Int8 => read!(Int8Type),
                _ => read!(UInt8Type),
            }
        }
        Ok(out)
    }

    /// A boolean column.
    pub(crate) fn bools(&self, name: &str) -> Result<Vec<bool>, Error> {
        const EXPECTED: &str = "bool";
        let (idx, ty) = self.column(name, EXPECTED)?;
        if *ty != DataType::Boolean {
            return Err(mistyped(name, ty, EXPECTED));
        }
        let mut out = Vec::with_capacity(self.num_rows());
        for (first, col) in self.chunks(idx) {
            Self::null_in(col, first, name)?;
            out.extend(col.as_boolean().values().iter());
        }
        Ok(out)
    }

    /// A text column (names, kinds, months); a null is an error.
    pub(crate) fn strings(&self, name: &str) -> Result<Vec<String>, Error> {
        self.texts(name)?
            .into_iter()
            .enumerate()
            .map(|(row, s)| s.ok_or_else(|| Error::cell(row, name, None, "is null")))
            .collect()
    }

    /// An optional text column: `None` when the table lacks it; a null cell is `None` (absent).
    pub(crate) fn optional_strings(
        &self,
        name: &str,
    ) -> Result<Option<Vec<Option<String>>>, Error> {
        if self.has(name) {
            self.texts(name).map(Some)
        } else {
            Ok(None)
        }
    }

    fn texts(&self, name: &str) -> Result<Vec<Option<String>>, Error> {
        const EXPECTED: &str = "string";
        let (idx, ty) = self.column(name, EXPECTED)?;
        let mut out = Vec::with_capacity(self.num_rows());
        for (_, col) in self.chunks(idx) {
            let own = |s: Option<&str>| s.map(str::to_owned);
            match ty {
                DataType::Utf8 => out.extend(col.as_string::<i32>().iter().map(own)),
                DataType::LargeUtf8 => out.extend(col.as_string::<i64>().iter().map(own)),
                DataType::Utf8View => out.extend(col.as_string_view().iter().map(own)),
                DataType::Dictionary(..) => {
                    return Err(Error::ColumnType {
                        column: name.to_owned(),
                        found: ty.clone(),
                        expected: "string (dictionary-encoded, categorical, columns: cast them to string)",
                    });
                }
                other => return Err(mistyped(name, other, EXPECTED)),
            }
        }
        Ok(out)
    }
}

fn mistyped(name: &str, ty: &DataType, expected: &'static str) -> Error {
    Error::ColumnType {
        column: name.to_owned(),
        found: ty.clone(),
        expected,
    }
}

/// A whole, non-negative decimal as a count.
fn whole(d: Decimal) -> Option<u32> {
    if d.is_sign_negative() && !d.is_zero() || !d.fract().is_zero() {
        return None;
    }
    u32::try_from(d.normalize().mantissa()).ok()
}

/// The decimal text of a raw `decimal128` value at `scale` (the value, not the stored integer).
fn decimal_text(raw: i128, scale: i8) -> String {
    <Decimal128Type as arrow_array::types::DecimalType>::format_decimal(raw, 38, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_counts_are_non_negative_integers() {
        assert_eq!(whole(Decimal::new(30, 1)), Some(3));
        assert_eq!(whole(Decimal::new(35, 1)), None);
        assert_eq!(whole(Decimal::new(-1, 0)), None);
        assert_eq!(whole(Decimal::ZERO), Some(0));
    }

    #[test]
    fn raw_decimals_are_shown_as_values() {
        assert_eq!(decimal_text(123_456, 2), "1234.56");
    }
}
