//! Scoring a table column at a time (annex 2 assessment method, cards A and B): the entry
//! points that try the 64-bit column kernel (`columnar.rs`) first and fall back to the row-wise
//! kernel (`batch.rs`), which names the first refused cell. Kept apart from both so that neither
//! kernel imports the other's dispatcher.

use super::Scorecard;
use super::batch::{BatchError, BatchScores, ScaledInt, ScoreColumns, compile_for, rowwise};

/// Score many units given as columns of scaled integers.
///
/// Column at a time: each input column is read once per block of rows, in tight loops over
/// 64-bit integers, with the same exact results as [`score`](super::score) (the row-wise kernel
/// is the reference it is tested against). A table with a refused cell is rescored row by row to
/// name the first one.
///
/// # Errors
/// [`ScoreError::Columns`] when the columns do not match the card (count, kind or length);
/// otherwise as [`score`](super::score), in a [`BatchError`] naming the row.
///
/// # Example
/// ```
/// use fupin::assessment::{score_columns, BonusColumn, Points, ScoreColumns};
/// let policy = fupin::Policy::chaoyang_2020();
/// let a = policy.assessment.card("a").unwrap();
/// let annual = [72_5000_i128, 80_0000]; // 72.5 and 80, scaled by 10⁴
/// let daily = [18_0000_i128, 20_0000];
/// let completion = [1_3500_0000_i128, 0]; // 135 %, scaled by 10⁸
/// let zero = [0_i128, 0];
/// let (prov, nat) = ([3_u32, 0], [1_u32, 0]);
/// let cols = ScoreColumns {
///     items: vec![&annual, &daily],
///     bonuses: vec![
///         BonusColumn::Completion(&completion),
///         BonusColumn::Points(&zero),
///         BonusColumn::Counts(vec![&prov, &nat]),
///         BonusColumn::Points(&zero),
///     ],
///     vetoed: &[false, true],
/// };
/// let s = score_columns(a, &cols).unwrap();
/// assert_eq!(s.total(0), Some("95.5".parse().unwrap())); // 90.5 + 3 + 2
/// assert_eq!(s.vetoed(1), Some(true));
/// ```
pub fn score_columns(card: &Scorecard, cols: &ScoreColumns<'_>) -> Result<BatchScores, BatchError> {
    score_columns_as(card, cols, true)
}

/// As [`score_columns`], keeping only what a ranking or a table of totals needs: base, bonus,
/// total, veto and grade. `bonus_raw` and the capped bonus lines are computed but not stored
/// ([`BatchScores::bonus_raw_scaled`] is empty and [`BatchScores::bonus_line`] is `None`), so
/// about half the memory is written — what `fupin.score_table(..., lines=False)` uses.
///
/// # Errors
/// As [`score_columns`].
pub fn score_columns_totals(
    card: &Scorecard,
    cols: &ScoreColumns<'_>,
) -> Result<BatchScores, BatchError> {
    score_columns_as(card, cols, false)
}

/// [`score_columns`] (with `lines`) or [`score_columns_totals`] (without), into columns of `T`:
/// `i128` gives the layout of Arrow `decimal128(_, 4)` straight from the kernel, with no
/// widening pass and no `i64` columns in between.
///
/// # Errors
/// As [`score_columns`].
///
/// # Example
/// ```
/// use fupin::assessment::{score_columns_as, BonusColumn, ScoreColumns};
/// let policy = fupin::Policy::chaoyang_2020();
/// let a = policy.assessment.card("a").unwrap();
/// let (annual, daily, zero) = ([72_5000_i128], [18_0000_i128], [0_i128]);
/// let cols = ScoreColumns {
///     items: vec![&annual, &daily],
///     bonuses: vec![
///         BonusColumn::Completion(&[1_3500_0000]), // 135 % → 3 points
///         BonusColumn::Points(&zero),
///         BonusColumn::Counts(vec![&[0], &[0]]),
///         BonusColumn::Points(&zero),
///     ],
///     vetoed: &[false],
/// };
/// let out = score_columns_as::<i128>(a, &cols, true).unwrap().into_columns();
/// assert_eq!(out.total, [93_5000_i128]); // 93.5 × 10⁴
/// ```
pub fn score_columns_as<T: ScaledInt>(
    card: &Scorecard,
    cols: &ScoreColumns<'_>,
    lines: bool,
) -> Result<BatchScores<T>, BatchError> {
    let c = compile_for(card, cols)?;
    // Column at a time on 64-bit integers; any cell the kernel would refuse (or that the fast
    // path cannot hold) sends the whole table through the row-wise kernel, which names the first
    // offending row and item exactly as before.
    match super::columnar::score(&c, cols, lines) {
        Some(out) => Ok(out),
        None => rowwise(card, &c, cols).map(|mut out| {
            if !lines {
                out.bonus_raw = Vec::new();
                out.lines.iter_mut().for_each(Vec::clear);
            }
            out
        }),
    }
}
