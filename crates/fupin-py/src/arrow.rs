//! Arrow tables in and out (the PyCapsule interface: pyarrow, polars, pandas ≥ 2.2).
//!
//! Conversion only: named columns become exact values (`Decimal`, `i128` at a fixed scale,
//! strings), and results become `decimal128` columns at a scale that holds every value exactly.
//! A missing or mistyped column is a `DataError` naming the column and the types it may have;
//! a null or unreadable cell names its row. Nothing is dropped.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use arrow_array::{Array, ArrayRef, BooleanArray, Decimal128Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;

use crate::errors::DataError;

/// A table read from Python, as Arrow record batches.
pub struct Columns {
    batches: Vec<RecordBatch>,
    schema: SchemaRef,
}

const TABLE_HINT: &str = "expected a table: a pyarrow.Table, a polars.DataFrame or a pandas.DataFrame \
     (any object with __arrow_c_stream__)";

/// What a money or points column may be.
pub const DECIMAL_TYPES: &str = "decimal128, string (e.g. \"2500万元\" or \"0.5\") or integer";

impl Columns {
    /// Read any object that speaks the Arrow C stream interface.
    pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !obj.hasattr("__arrow_c_stream__")? {
            let ty = obj.get_type().name()?.to_string();
            return Err(DataError::new_err(format!("got a {ty}: {TABLE_HINT}")));
        }
        let (batches, schema) = obj.extract::<PyTable>()?.into_inner();
        Ok(Self { batches, schema })
    }

    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    fn column(&self, name: &str, expected: &str) -> PyResult<(usize, &DataType)> {
        let (i, field) = self.schema.column_with_name(name).ok_or_else(|| {
            let have: Vec<&str> = self
                .schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            DataError::new_err(format!(
                "column `{name}` is missing: expected {expected}; the table has {}",
                have.join(", ")
            ))
        })?;
        Ok((i, field.data_type()))
    }

    fn mistyped(name: &str, ty: &DataType, expected: &str) -> PyErr {
        let hint = if matches!(
            ty,
            DataType::Float16 | DataType::Float32 | DataType::Float64
        ) {
            "; floats are not exact: cast the column to decimal128 (pa.decimal128(38, 2)) or to strings"
        } else {
            ""
        };
        DataError::new_err(format!(
            "column `{name}` has type {ty}: expected {expected}{hint}"
        ))
    }

    /// A money or points column as exact decimals; `parse` reads string cells.
    pub fn decimals(
        &self,
        name: &str,
        parse: fn(&str) -> Option<Decimal>,
    ) -> PyResult<Vec<Decimal>> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        let mut out = Vec::with_capacity(self.num_rows());
        let mut row = 0usize;
        for batch in &self.batches {
            let col = batch.column(idx);
            for i in 0..col.len() {
                if col.is_null(i) {
                    return Err(DataError::new_err(format!("row {row}: `{name}` is null")));
                }
                let bad = |v: &dyn std::fmt::Display| {
                    DataError::new_err(format!("row {row}: `{name}` = {v} is not a decimal number"))
                };
                let v = match ty {
                    DataType::Decimal128(_, scale) => {
                        let raw = col.as_primitive::<Decimal128Type>().value(i);
                        let scale = u32::try_from(*scale).map_err(|_| bad(&raw))?;
                        Decimal::try_from_i128_with_scale(raw, scale).map_err(|_| bad(&raw))?
                    }
                    DataType::Utf8 => {
                        let s = col.as_string::<i32>().value(i);
                        parse(s).ok_or_else(|| bad(&format!("{s:?}")))?
                    }
                    DataType::LargeUtf8 => {
                        let s = col.as_string::<i64>().value(i);
                        parse(s).ok_or_else(|| bad(&format!("{s:?}")))?
                    }
                    DataType::Utf8View => {
                        let s = col.as_string_view().value(i);
                        parse(s).ok_or_else(|| bad(&format!("{s:?}")))?
                    }
                    DataType::Int8 => col.as_primitive::<Int8Type>().value(i).into(),
                    DataType::Int16 => col.as_primitive::<Int16Type>().value(i).into(),
                    DataType::Int32 => col.as_primitive::<Int32Type>().value(i).into(),
                    DataType::Int64 => col.as_primitive::<Int64Type>().value(i).into(),
                    DataType::UInt8 => col.as_primitive::<UInt8Type>().value(i).into(),
                    DataType::UInt16 => col.as_primitive::<UInt16Type>().value(i).into(),
                    DataType::UInt32 => col.as_primitive::<UInt32Type>().value(i).into(),
                    DataType::UInt64 => col.as_primitive::<UInt64Type>().value(i).into(),
                    other => return Err(Self::mistyped(name, other, DECIMAL_TYPES)),
                };
                out.push(v);
                row += 1;
            }
        }
        Ok(out)
    }

    /// Whether the table has a column.
    pub fn has(&self, name: &str) -> bool {
        self.schema.column_with_name(name).is_some()
    }

    /// A decimal column as integers scaled by 10^`scale` (the layout of `decimal128(_, scale)`),
    /// exactly: a cell with more decimal places than `scale` is an error naming its row.
    /// decimal128 columns are rescaled without going through `Decimal`.
    pub fn scaled(
        &self,
        name: &str,
        scale: u32,
        parse: fn(&str) -> Option<Decimal>,
    ) -> PyResult<Vec<i128>> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        let too_fine = |row: usize| {
            DataError::new_err(format!(
                "row {row}: `{name}` has more than {scale} decimal places"
            ))
        };
        let overflow =
            |row: usize| DataError::new_err(format!("row {row}: `{name}` is out of range"));
        if let DataType::Decimal128(_, s) = ty {
            let s = u32::try_from(*s)
                .map_err(|_| DataError::new_err(format!("column `{name}`: negative scale")))?;
            let mut out = Vec::with_capacity(self.num_rows());
            let mut row = 0usize;
            for batch in &self.batches {
                let col = batch.column(idx).as_primitive::<Decimal128Type>();
                if col.null_count() > 0 {
                    let first = (0..col.len()).find(|&i| col.is_null(i)).unwrap_or(0);
                    return Err(DataError::new_err(format!(
                        "row {}: `{name}` is null",
                        row + first
                    )));
                }
                let values = col.values();
                if s <= scale {
                    let factor = 10_i128.pow(scale - s);
                    for (i, v) in values.iter().enumerate() {
                        out.push(v.checked_mul(factor).ok_or_else(|| overflow(row + i))?);
                    }
                } else {
                    let divisor = 10_i128.pow(s - scale);
                    for (i, v) in values.iter().enumerate() {
                        if v % divisor != 0 {
                            return Err(too_fine(row + i));
                        }
                        out.push(v / divisor);
                    }
                }
                row += values.len();
            }
            return Ok(out);
        }
        let decimals = self.decimals(name, parse)?;
        decimals
            .iter()
            .enumerate()
            .map(|(row, d)| {
                let mut d = d.normalize();
                if d.scale() > scale {
                    return Err(too_fine(row));
                }
                d.rescale(scale);
                Ok(d.mantissa())
            })
            .collect()
    }

    /// As [`Columns::scaled`], but borrowing Arrow's own buffer when the column is already
    /// `decimal128(_, scale)` in one chunk without nulls: no copy and no conversion at all.
    pub fn scaled_cow(
        &self,
        name: &str,
        scale: u32,
        parse: fn(&str) -> Option<Decimal>,
    ) -> PyResult<std::borrow::Cow<'_, [i128]>> {
        let (idx, ty) = self.column(name, DECIMAL_TYPES)?;
        if let ([batch], DataType::Decimal128(_, s)) = (self.batches.as_slice(), ty) {
            let col = batch.column(idx).as_primitive::<Decimal128Type>();
            if u32::try_from(*s).is_ok_and(|s| s == scale) && col.null_count() == 0 {
                return Ok(std::borrow::Cow::Borrowed(col.values().as_ref()));
            }
        }
        self.scaled(name, scale, parse).map(std::borrow::Cow::Owned)
    }

    /// A column of non-negative whole counts (integer columns are read without conversion).
    pub fn counts(&self, name: &str) -> PyResult<Vec<u32>> {
        let (idx, ty) = self.column(name, "integer")?;
        if ty.is_integer() {
            let mut out = Vec::with_capacity(self.num_rows());
            for batch in &self.batches {
                let col = batch.column(idx);
                let base = out.len();
                let bad = |i: usize| {
                    DataError::new_err(format!(
                        "row {}: `{name}` is not a whole count ≥ 0",
                        base + i
                    ))
                };
                macro_rules! read {
                    ($t:ty) => {{
                        let a = col.as_primitive::<$t>();
                        if a.null_count() > 0 {
                            let first = (0..a.len()).find(|&i| a.is_null(i)).unwrap_or(0);
                            return Err(DataError::new_err(format!(
                                "row {}: `{name}` is null",
                                base + first
                            )));
                        }
                        for (i, v) in a.values().iter().enumerate() {
                            out.push(u32::try_from(*v).map_err(|_| bad(i))?);
                        }
                    }};
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
            return Ok(out);
        }
        self.decimals(name, |s| s.trim().parse::<u32>().ok().map(Decimal::from))?
            .into_iter()
            .enumerate()
            .map(|(row, d)| {
                if d.fract().is_zero() {
                    if let Ok(n) = u32::try_from(d.mantissa() / 10_i128.pow(d.scale())) {
                        return Ok(n);
                    }
                }
                Err(DataError::new_err(format!(
                    "row {row}: `{name}` = {d} is not a whole count ≥ 0"
                )))
            })
            .collect()
    }

    /// A boolean column.
    pub fn bools(&self, name: &str) -> PyResult<Vec<bool>> {
        const EXPECTED: &str = "bool";
        let (idx, ty) = self.column(name, EXPECTED)?;
        if *ty != DataType::Boolean {
            return Err(Self::mistyped(name, ty, EXPECTED));
        }
        let mut out = Vec::with_capacity(self.num_rows());
        let mut row = 0usize;
        for batch in &self.batches {
            let col = batch.column(idx).as_boolean();
            if col.null_count() > 0 {
                let first = (0..col.len()).find(|&i| col.is_null(i)).unwrap_or(0);
                return Err(DataError::new_err(format!(
                    "row {}: `{name}` is null",
                    row + first
                )));
            }
            out.extend(col.values().iter());
            row += col.len();
        }
        Ok(out)
    }

    /// A text column (names, kinds, ids).
    pub fn strings(&self, name: &str) -> PyResult<Vec<String>> {
        const EXPECTED: &str = "string";
        let (idx, ty) = self.column(name, EXPECTED)?;
        let mut out = Vec::with_capacity(self.num_rows());
        let mut row = 0usize;
        for batch in &self.batches {
            let col = batch.column(idx);
            for i in 0..col.len() {
                if col.is_null(i) {
                    return Err(DataError::new_err(format!("row {row}: `{name}` is null")));
                }
                out.push(match ty {
                    DataType::Utf8 => col.as_string::<i32>().value(i).to_owned(),
                    DataType::LargeUtf8 => col.as_string::<i64>().value(i).to_owned(),
                    DataType::Utf8View => col.as_string_view().value(i).to_owned(),
                    DataType::Dictionary(_, _) => {
                        return Err(DataError::new_err(format!(
                            "column `{name}` is dictionary-encoded (categorical): cast it to string"
                        )));
                    }
                    other => return Err(Self::mistyped(name, other, EXPECTED)),
                });
                row += 1;
            }
        }
        Ok(out)
    }
}

/// The smallest scale that holds every value exactly (no rounding).
fn exact_scale(values: &[Decimal]) -> u32 {
    values
        .iter()
        .map(|d| d.normalize().scale())
        .max()
        .unwrap_or(0)
}

/// A `decimal128(38, s)` column holding every value exactly, `s` the least scale that can.
pub fn decimal_column(name: &str, values: &[Decimal]) -> PyResult<(Field, ArrayRef)> {
    let scale = exact_scale(values);
    let mut raw = Vec::with_capacity(values.len());
    for v in values {
        let mut v = *v;
        v.rescale(scale);
        raw.push(v.mantissa());
    }
    let array = Decimal128Array::from(raw)
        .with_precision_and_scale(38, i8::try_from(scale).unwrap_or(28))
        .map_err(|e| DataError::new_err(format!("column `{name}`: {e}")))?;
    Ok((
        Field::new(name, array.data_type().clone(), false),
        Arc::new(array),
    ))
}

/// A nullable `decimal128(38, s)` column, as [`decimal_column`].
pub fn optional_decimal_column(
    name: &str,
    values: &[Option<Decimal>],
) -> PyResult<(Field, ArrayRef)> {
    let present: Vec<Decimal> = values.iter().flatten().copied().collect();
    let scale = exact_scale(&present);
    let raw: Vec<Option<i128>> = values
        .iter()
        .map(|v| {
            v.map(|mut v| {
                v.rescale(scale);
                v.mantissa()
            })
        })
        .collect();
    let array = Decimal128Array::from(raw)
        .with_precision_and_scale(38, i8::try_from(scale).unwrap_or(28))
        .map_err(|e| DataError::new_err(format!("column `{name}`: {e}")))?;
    Ok((
        Field::new(name, array.data_type().clone(), true),
        Arc::new(array),
    ))
}

/// A `decimal64(18, scale)` column from integers already scaled by 10^`scale`, moved into
/// Arrow's buffer without a copy. Scores of a validated card (at most 2 × 10¹³ at scale 4) fit
/// its 18 digits; a value that does not is an error, never a rounding.
pub fn scaled64_column(name: &str, values: Vec<i64>, scale: u32) -> PyResult<(Field, ArrayRef)> {
    const MAX: i64 = 999_999_999_999_999_999;
    if let Some(row) = values.iter().position(|v| !(-MAX..=MAX).contains(v)) {
        return Err(DataError::new_err(format!(
            "row {row}: `{name}` has more than 18 digits"
        )));
    }
    let array = arrow_array::Decimal64Array::from(values)
        .with_precision_and_scale(18, i8::try_from(scale).unwrap_or(0))
        .map_err(|e| DataError::new_err(format!("column `{name}`: {e}")))?;
    Ok((
        Field::new(name, array.data_type().clone(), false),
        Arc::new(array),
    ))
}

/// How a table of scores returns its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsType {
    /// `decimal128(38, 4)`: what every pyarrow compute kernel, pandas and polars handle.
    Decimal128,
    /// `decimal64(18, 4)`: exact for every score of a card, half the memory, moved without a
    /// copy; pyarrow's compute kernels do not all support it yet (`sum`, `sort_indices`).
    Decimal64,
}

impl PointsType {
    /// Read `"decimal128"` or `"decimal64"`.
    pub fn parse(s: &str) -> PyResult<Self> {
        match s {
            "decimal128" => Ok(Self::Decimal128),
            "decimal64" => Ok(Self::Decimal64),
            other => Err(crate::errors::FupinError::new_err(format!(
                "points must be \"decimal128\" or \"decimal64\", not {other:?}"
            ))),
        }
    }

    /// A points column of this type from integers scaled by 10^`scale`.
    pub fn column(self, name: &str, values: Vec<i64>, scale: u32) -> PyResult<(Field, ArrayRef)> {
        match self {
            Self::Decimal64 => scaled64_column(name, values, scale),
            Self::Decimal128 => {
                let wide: Vec<i128> = values.into_iter().map(i128::from).collect();
                let array = Decimal128Array::from(wide)
                    .with_precision_and_scale(38, i8::try_from(scale).unwrap_or(0))
                    .map_err(|e| DataError::new_err(format!("column `{name}`: {e}")))?;
                Ok((
                    Field::new(name, array.data_type().clone(), false),
                    Arc::new(array),
                ))
            }
        }
    }
}

/// A `uint32` column.
pub fn u32_column(name: &str, values: Vec<u32>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::UInt32, false),
        Arc::new(arrow_array::UInt32Array::from(values)),
    )
}

/// A string column.
pub fn string_column(name: &str, values: Vec<String>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Utf8, false),
        Arc::new(StringArray::from(values)),
    )
}

/// A boolean column.
pub fn bool_column(name: &str, values: Vec<bool>) -> (Field, ArrayRef) {
    (
        Field::new(name, DataType::Boolean, false),
        Arc::new(BooleanArray::from(values)),
    )
}

/// Build a `pyarrow.Table` from named columns (requires pyarrow ≥ 14).
pub fn to_pyarrow(py: Python<'_>, columns: Vec<(Field, ArrayRef)>) -> PyResult<Bound<'_, PyAny>> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns.into_iter().unzip();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)
        .map_err(|e| DataError::new_err(format!("cannot build the result table: {e}")))?;
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

/// Convert a `pyarrow.Table` to a pandas or polars DataFrame (whichever is asked for).
pub fn to_frame<'py>(table: Bound<'py, PyAny>, library: &str) -> PyResult<Bound<'py, PyAny>> {
    let py = table.py();
    match library {
        "pandas" => table.call_method0("to_pandas"),
        "polars" => py.import("polars")?.call_method1("from_arrow", (table,)),
        "pyarrow" => Ok(table),
        other => Err(crate::errors::FupinError::new_err(format!(
            "library must be \"pandas\", \"polars\" or \"pyarrow\", not {other:?}"
        ))),
    }
}
