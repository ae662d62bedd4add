//! One cell: its address (`B7`) and its value as exact text.
//!
//! A spreadsheet holds a typed number as a binary float, and Excel shows it — and lets a person
//! type it — to 15 significant digits. A number cell is read as exactly that text: the float
//! rounded to 15 significant digits, trailing zeros dropped, then parsed as a decimal. So a cell
//! written as `0.3` reads `0.3`, a cell computing `=0.1+0.2` (whose float is
//! 0.30000000000000004) reads `0.3` as Excel shows it, and `2500.35` reads `2500.35` — never the
//! float's binary expansion. Text cells are read as they are (`2,500.35万` stays text and is
//! parsed by the rules' own amount reader).

use std::fmt;

use rust_decimal::Decimal;

/// Excel's precision: 15 significant digits.
pub const EXCEL_DIGITS: usize = 15;

/// The address of a cell, `B7`, from 0-based row and column.
///
/// # Example
/// ```
/// use fupin_xlsx::CellRef;
/// assert_eq!(CellRef::new(6, 1).to_string(), "B7");
/// assert_eq!(CellRef::new(0, 27).to_string(), "AB1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// 0-based row.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
}

impl CellRef {
    /// The cell at 0-based `row` and `col`.
    #[must_use]
    pub const fn new(row: u32, col: u32) -> Self {
        Self { row, col }
    }
}

/// The letters of a 0-based column: 0 → `A`, 25 → `Z`, 26 → `AA`.
#[must_use]
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        // `rem` < 26: always an ASCII capital.
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_letters(self.col), u64::from(self.row) + 1)
    }
}

/// A number cell's value as the decimal text Excel shows: rounded to 15 significant digits,
/// without trailing zeros or an exponent. `None` for a float that is not finite or that no
/// decimal holds (beyond ±7.9 × 10²⁸, or below 10⁻²⁸ but not zero).
///
/// # Example
/// ```
/// use fupin_xlsx::number_text;
/// assert_eq!(number_text(0.1 + 0.2).as_deref(), Some("0.3"));
/// assert_eq!(number_text(2500.35).as_deref(), Some("2500.35"));
/// assert_eq!(number_text(0.15417100000000003).as_deref(), Some("0.154171"));
/// assert_eq!(number_text(-1e15).as_deref(), Some("-1000000000000000"));
/// assert_eq!(number_text(f64::NAN), None);
/// ```
#[must_use]
pub fn number_text(f: f64) -> Option<String> {
    // Fast path: the shortest text that reads back as the float, when it has at most 15
    // significant digits, is what the rounding to 15 digits would give.
    // (Within a decimal's range and without a negative zero, where both paths agree: from
    // 10^-13 up, 15 significant digits need at most 27 of a decimal's 28 places; below it the
    // rounding decides, as a proptest found for 6.37553780790322e-16.)
    if f != 0.0 && (1e-13..1e20).contains(&f.abs()) {
        let shortest = f.to_string();
        if significant_digits(&shortest) <= EXCEL_DIGITS {
            return Some(shortest);
        }
    }
    number_decimal(f).map(|d| d.to_string())
}

/// The significant digits of a plain decimal text (`-0.00120` has 3: `120`).
fn significant_digits(text: &str) -> usize {
    let digits = text.bytes().filter(u8::is_ascii_digit);
    let mut leading = true;
    let mut n = 0;
    for d in digits {
        if leading && d == b'0' {
            continue;
        }
        leading = false;
        n += 1;
    }
    n
}

/// [`number_text`] as a decimal.
#[must_use]
pub fn number_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    // Whole numbers below 10^15 are exact in a float and need no rounding.
    if f.fract() == 0.0 && f.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)] // |f| < 10^15 and whole: exact
        return Some(Decimal::from(f as i64));
    }
    // `{:.14e}` is correctly rounded to 15 significant digits.
    let text = format!("{:.*e}", EXCEL_DIGITS - 1, f);
    Decimal::from_scientific(&text).ok().map(|d| d.normalize())
}

/// Whether a decimal is held by a float that [`number_decimal`] reads back as the same decimal
/// (at most 15 significant digits, within a float's range): such a value can be written as a
/// number cell without losing a digit.
#[must_use]
pub fn fits_a_number_cell(d: Decimal) -> Option<f64> {
    let f: f64 = d.to_string().parse().ok()?;
    (number_decimal(f)? == d.normalize()).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn float_artefacts_read_as_excel_shows_them() {
        for (f, text) in [
            (0.1 + 0.2, "0.3"),
            (0.3, "0.3"),
            (1.1 * 3.0, "3.3"),
            (2500.35, "2500.35"),
            (5280.0, "5280"),
            (0.000_1, "0.0001"),
            (123_456_789.012_345, "123456789.012345"),
            (1e20, "100000000000000000000"),
            (-0.5, "-0.5"),
        ] {
            assert_eq!(number_text(f).as_deref(), Some(text), "{f:?}");
        }
        assert_eq!(number_text(f64::INFINITY), None);
        assert_eq!(number_text(1e300), None);
    }

    proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_rounding(
            f in prop_oneof![any::<f64>(), -1e12..1e12_f64, -1.0..1.0_f64]
        ) {
            prop_assert_eq!(number_text(f), number_decimal(f).map(|d| d.to_string()));
        }
    }

    #[test]
    fn columns_are_lettered_like_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16_383), "XFD");
    }

    /// Amounts to the fen in 万元 (6 decimal places) up to 10^9 万元: what a bulletin holds.
    fn any_wan_amount() -> impl Strategy<Value = Decimal> {
        (-999_999_999_999_999_i64..=999_999_999_999_999).prop_map(|n| Decimal::new(n, 6))
    }

    proptest! {
        #[test]
        fn every_amount_of_15_digits_survives_a_number_cell(d in any_wan_amount()) {
            let f = fits_a_number_cell(d);
            prop_assert!(f.is_some(), "{d}");
            prop_assert_eq!(number_decimal(f.unwrap()), Some(d.normalize()));
        }

        #[test]
        fn a_decimal_typed_into_excel_reads_back_as_typed(n in any::<i64>(), scale in 0_u32..10) {
            let d = Decimal::new(n % 1_000_000_000_000_000, scale);
            let f: f64 = d.to_string().parse().unwrap();
            prop_assert_eq!(number_decimal(f), Some(d.normalize()));
        }
    }
}
