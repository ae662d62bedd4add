//! Scorecards over a table of units (annex 2 assessment method): base, capped bonus lines,
//! the bonus cap, the one-vote veto and the ranking, column at a time.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use fupin::assessment::{
    BonusColumn, BonusKind, POINT_SCALE, RATIO_SCALE, ScoreColumns, Scorecard,
};
use rust_decimal::Decimal;

use crate::{Columns, Error, POINTS, POINTS64, write};

/// How a table of scores holds its points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PointsType {
    /// [`POINTS`] = `decimal128(38, 4)`: what every pyarrow compute kernel, pandas and polars
    /// handle.
    #[default]
    Decimal128,
    /// [`POINTS64`] = `decimal64(18, 4)`: exact for every score of a valid card, half the
    /// memory, moved without a copy; pyarrow's compute kernels do not all support it yet.
    Decimal64,
}

impl PointsType {
    /// The column type.
    #[must_use]
    pub const fn data_type(self) -> DataType {
        match self {
            Self::Decimal128 => POINTS,
            Self::Decimal64 => POINTS64,
        }
    }
}

impl std::str::FromStr for PointsType {
    type Err = String;

    /// `"decimal128"` or `"decimal64"`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "decimal128" => Ok(Self::Decimal128),
            "decimal64" => Ok(Self::Decimal64),
            other => Err(format!(
                "points must be \"decimal128\" or \"decimal64\", not {other:?}"
            )),
        }
    }
}

/// What [`score`] returns besides the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreOptions {
    /// Each capped bonus line (`bonus.<rule>`) and `bonus_raw`.
    pub lines: bool,
    /// The `rank` column (competition ranking, vetoed units last).
    pub rank: bool,
    /// The points' type.
    pub points: PointsType,
}

impl Default for ScoreOptions {
    /// Lines and ranks, `decimal128` points.
    fn default() -> Self {
        Self {
            lines: true,
            rank: true,
            points: PointsType::Decimal128,
        }
    }
}

/// The schema of [`score`] on `card`: `unit` (utf8, when `with_unit`), `base`, then with
/// `lines` each `bonus.<rule>` and `bonus_raw`, then `bonus`, `total` (points), `vetoed`
/// (bool) and with `rank` the `rank` (uint32).
#[must_use]
pub fn score_schema(card: &Scorecard, options: ScoreOptions, with_unit: bool) -> SchemaRef {
    let points = |name: &str| Field::new(name, options.points.data_type(), false);
    let mut fields = Vec::with_capacity(7 + card.bonus.rules.len());
    if with_unit {
        fields.push(Field::new("unit", DataType::Utf8, false));
    }
    fields.push(points("base"));
    if options.lines {
        fields.extend(
            card.bonus
                .rules
                .iter()
                .map(|r| points(&format!("bonus.{}", r.id))),
        );
        fields.push(points("bonus_raw"));
    }
    fields.push(points("bonus"));
    fields.push(points("total"));
    fields.push(Field::new("vetoed", DataType::Boolean, false));
    if options.rank {
        fields.push(Field::new("rank", DataType::UInt32, false));
    }
    Arc::new(Schema::new(fields))
}

fn parse_number(s: &str) -> Result<Decimal, fupin::money::MoneyError> {
    fupin::money::parse_number(s)
}

fn parse_ratio(s: &str) -> Result<Decimal, fupin::money::MoneyError> {
    s.parse::<fupin::Ratio>().map(fupin::Ratio::as_fraction)
}

/// One bonus rule's input, owned or borrowed from the table.
enum BonusInput<'a> {
    Completion(Cow<'a, [i128]>),
    Points(Cow<'a, [i128]>),
    Counts(Vec<Cow<'a, [u32]>>),
}

/// Score every unit of a table on a card, exactly.
///
/// Columns in: one per item id of the card (points); per bonus rule: per-step → `<rule>`
/// (completion as a fraction, e.g. 1.35, or `"135%"`), per-count → `<rule>.<kind>` (whole
/// counts), discretionary → `<rule>` (points); optional `unit` (string) and `vetoed` (bool).
/// Points may have at most 4 decimal places and completions 8, as the kernel holds them; points
/// given as `decimal128(_, 4)` and completions as `decimal128(_, 8)` are read in place, without
/// a copy. One row out per row in, under [`score_schema`]; the scores become Arrow buffers
/// without a copy.
///
/// # Errors
/// [`Error`] naming the column and row of a missing column or a bad cell; [`Error::Row`] for
/// the first unit the card refuses (a score above an item's maximum, say).
pub fn score(
    table: &Columns,
    card: &Scorecard,
    options: ScoreOptions,
) -> Result<RecordBatch, Error> {
    let n = table.num_rows();
    let items = card
        .items()
        .map(|(_, item)| table.scaled_cow(&item.id, POINT_SCALE, parse_number))
        .collect::<Result<Vec<_>, _>>()?;
    let bonuses = card
        .bonus
        .rules
        .iter()
        .map(|rule| {
            Ok(match &rule.rule {
                BonusKind::PerStep { .. } => {
                    BonusInput::Completion(table.scaled_cow(&rule.id, RATIO_SCALE, parse_ratio)?)
                }
                BonusKind::Discretionary => {
                    BonusInput::Points(table.scaled_cow(&rule.id, POINT_SCALE, parse_number)?)
                }
                BonusKind::PerCount { weights } => BonusInput::Counts(
                    weights
                        .iter()
                        .map(|w| table.counts_cow(&format!("{}.{}", rule.id, w.id)))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let vetoed = if table.has("vetoed") {
        table.bools("vetoed")?
    } else {
        vec![false; n]
    };
    let units = if table.has("unit") {
        Some(table.strings("unit")?)
    } else {
        None
    };
    if let Some(units) = &units {
        check_units(units)?;
    }
    let columns = ScoreColumns {
        items: items.iter().map(AsRef::as_ref).collect(),
        bonuses: bonuses
            .iter()
            .map(|b| match b {
                BonusInput::Completion(v) => BonusColumn::Completion(v),
                BonusInput::Points(v) => BonusColumn::Points(v),
                BonusInput::Counts(k) => BonusColumn::Counts(k.iter().map(AsRef::as_ref).collect()),
            })
            .collect(),
        vetoed: &vetoed,
    };
    // The kernel writes the output type's integers (i128 for decimal128, i64 for decimal64),
    // which become the Arrow buffers as they are.
    let schema = score_schema(card, options, units.is_some());
    let mut out = Vec::with_capacity(schema.fields().len());
    match options.points {
        PointsType::Decimal128 => columns_out::<i128>(card, &columns, options, units, &mut out)?,
        PointsType::Decimal64 => columns_out::<i64>(card, &columns, options, units, &mut out)?,
    }
    // The veto column out is the one that came in, when it can be shared as it is.
    let vetoed = table
        .shared_bools("vetoed")
        .unwrap_or_else(|| write::bools(vetoed));
    let at = out.len() - usize::from(options.rank);
    out.insert(at, vetoed);
    write::batch(schema, out)
}

/// Score `columns` into columns of `T` and push the output arrays, in the schema's order (less
/// `vetoed`, which the caller inserts before `rank`).
fn columns_out<T: write::PointsInt>(
    card: &Scorecard,
    columns: &ScoreColumns<'_>,
    options: ScoreOptions,
    units: Option<Vec<String>>,
    out: &mut Vec<ArrayRef>,
) -> Result<(), Error> {
    // Without the lines, the kernel stores only what the totals and the ranking need.
    let scores =
        fupin::assessment::score_columns_as::<T>(card, columns, options.lines).map_err(|e| {
            Error::row_error(
                e.row,
                units.as_ref().and_then(|u| u.get(e.row)).cloned(),
                e.error,
            )
        })?;
    let ranks = options.rank.then(|| scores.rank_column());
    let cols = scores.into_columns();
    if let Some(units) = units {
        out.push(write::strings(units));
    }
    out.push(T::array("base", cols.base)?);
    if options.lines {
        for (rule, line) in card.bonus.rules.iter().zip(cols.bonus_lines) {
            out.push(T::array(&format!("bonus.{}", rule.id), line)?);
        }
        out.push(T::array("bonus_raw", cols.bonus_raw)?);
    }
    out.push(T::array("bonus", cols.bonus)?);
    out.push(T::array("total", cols.total)?);
    if let Some(ranks) = ranks {
        out.push(write::u32s(ranks));
    }
    Ok(())
}

/// The name rule on the `unit` column, as for every other reader of units
/// ([`fupin::check_name`]; duplicates compared in NFC, [`fupin::name_key`]).
fn check_units(units: &[String]) -> Result<(), Error> {
    use fupin::assessment::ScoreError;
    let mut seen = std::collections::HashSet::with_capacity(units.len());
    for (row, u) in units.iter().enumerate() {
        let refuse = |e: ScoreError| Error::Row {
            row,
            unit: Some(u.clone()),
            source: Box::new(e.into()),
        };
        fupin::check_name("unit", u).map_err(|fe| refuse(ScoreError::Input(fe.into())))?;
        if !seen.insert(fupin::name_key(u)) {
            return Err(refuse(ScoreError::DuplicateUnit { unit: u.clone() }));
        }
    }
    Ok(())
}
