//! # fupin-arrow — whole tables in and out of fupin, through Arrow, exactly
//!
//! The column-at-a-time door to the rules of 朝财农〔2020〕67号: arrow-rs [`RecordBatch`]es in,
//! a [`RecordBatch`] out, every amount an exact decimal. The Python package uses it for
//! `check_funds_table`, `score_table`, `spending_progress_table` and the `to_frame()` of reports;
//! a Rust program holding Arrow data (or polars data, exported through the Arrow C data
//! interface) calls the same functions. Nothing here is Python.
//!
//! | function | clauses | output schema |
//! | --- | --- | --- |
//! | [`check_funds`] | M1c, task 8 | [`funds_schema`] |
//! | [`score`] | annex 2 assessment method (scorecards A and B, veto, ranking) | [`score_schema`] |
//! | [`spending_progress`] | G4, M4 | [`spending_schema`] |
//! | [`checks`] | any report's checks, each citing its clause | [`checks_schema`] |
//!
//! # Input
//! Money and points columns may be `decimal128` (read exactly, in place where the scale
//! matches), strings (`"2500万元"`, `"0.5"`, `"135%"`) or integers; floats are refused, since a
//! binary float is not an exact amount. A missing or mistyped column, a null or an unreadable
//! cell is an [`Error`] naming the column, the row and the value.
//!
//! # The stable output schema
//! Each output column has one type whatever the data, so results of two calls concatenate,
//! append to the same Parquet file and give Dask its `meta`:
//!
//! | kind | Arrow type | holds |
//! | --- | --- | --- |
//! | money (yuan) | [`MONEY`] = `decimal128(38, 8)` | every amount to the fen and far below it, exactly: an amount with more than 8 decimal places (never produced by the 2020 plan's rules on fen inputs) is an error, never rounded |
//! | ratio (a fraction: 0.2 = 20 %) and percentage points | [`RATIO`] = `decimal128(38, 18)` | exact ratios as given; a quotient (growth, progress), which no decimal holds exactly, rounded half-to-even to 18 places — every pass/fail decision is made on exact values before that |
//! | points | [`POINTS`] = `decimal128(38, 4)`, or [`POINTS64`] = `decimal64(18, 4)` on request | every score exactly (points carry at most 4 places) |
//! | a check's value (money, ratio, points or a count, with a `kind` column) | [`VALUE`] = `decimal128(38, 18)` | as money and ratios above |
//! | names, kinds, months | `utf8` | |
//! | ranks | `uint32` | |
//!
//! # Example
//! ```
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, StringArray};
//! use fupin_arrow::{Columns, check_funds, funds_schema};
//!
//! let column = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as _;
//! let batch = RecordBatch::try_from_iter([
//!     ("name", column(&["朝阳县", "龙城区"])),
//!     ("kind", column(&["county", "district"])),
//!     ("last_year", column(&["2000万元", "900万元"])),
//!     ("this_year", column(&["2500万元", "1000万元"])),
//! ])?;
//! let out = check_funds(&Columns::from_batch(batch), &fupin::Policy::chaoyang_2020())?;
//! assert_eq!(out.schema(), funds_schema());
//! assert_eq!(out.num_rows(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use arrow_schema::DataType;

mod checks;
mod error;
mod funds;
mod read;
mod score;
mod spending;
mod write;

pub use checks::{checks, checks_schema, kind_name, value_decimal};
pub use error::Error;
pub use funds::{check_funds, funds_batch, funds_schema};
pub use read::{Columns, DECIMAL_TYPES};
pub use score::{PointsType, ScoreOptions, score, score_schema};
pub use spending::{LedgerOptions, ledger, spending_progress, spending_schema};
pub use write::{standing_name, to_scaled};

/// Decimal places of a money column (yuan): 8.
pub const MONEY_SCALE: u32 = 8;
/// Decimal places of a ratio column (a fraction) and of percentage points: 18.
pub const RATIO_SCALE: u32 = 18;
/// Decimal places of a points column: 4, as the scoring kernel holds points.
pub const POINTS_SCALE: u32 = fupin::assessment::POINT_SCALE;
/// Decimal places of a check's value column (money, ratio, points or a count): 18.
pub const VALUE_SCALE: u32 = RATIO_SCALE;

/// Money, in yuan: `decimal128(38, 8)`.
pub const MONEY: DataType = DataType::Decimal128(38, 8);
/// A ratio as a fraction (0.2 = 20 %), or percentage points: `decimal128(38, 18)`.
pub const RATIO: DataType = DataType::Decimal128(38, 18);
/// Points of a scorecard: `decimal128(38, 4)`.
pub const POINTS: DataType = DataType::Decimal128(38, 4);
/// Points of a scorecard, half the memory: `decimal64(18, 4)` ([`PointsType::Decimal64`]).
pub const POINTS64: DataType = DataType::Decimal64(18, 4);
/// A check's actual value, threshold or shortfall, whatever its kind: `decimal128(38, 18)`.
pub const VALUE: DataType = DataType::Decimal128(38, 18);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scales_in_the_types_are_the_documented_constants() {
        let scale = |t: &DataType| match t {
            DataType::Decimal128(_, s) | DataType::Decimal64(_, s) => u32::try_from(*s).ok(),
            _ => None,
        };
        assert_eq!(scale(&MONEY), Some(MONEY_SCALE));
        assert_eq!(scale(&RATIO), Some(RATIO_SCALE));
        assert_eq!(scale(&POINTS), Some(POINTS_SCALE));
        assert_eq!(scale(&POINTS64), Some(POINTS_SCALE));
        assert_eq!(scale(&VALUE), Some(VALUE_SCALE));
    }
}
