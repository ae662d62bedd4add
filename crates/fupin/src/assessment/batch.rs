//! The scoring kernel on scaled integers, and batch scoring into columns.
//!
//! A card is compiled once into integer maxima and caps ([`Compiled`]); a unit's input becomes a
//! row of integers (points × 10⁴, completions × 10⁸, counts) in reusable buffers; the kernel
//! validates the row and computes base, bonus lines, capped bonus, total and grade with exact,
//! overflow-checked integer arithmetic. [`score`](super::score) runs the same kernel for one unit
//! and adds explanations; [`score_batch`] runs it for many and keeps only numbers, so no text is
//! built per unit. [`score_columns`](super::score_columns) scores column at a time on 64-bit integers
//! (`columnar.rs`) and falls back to this kernel, row by row, only to name a refused cell.

use std::collections::HashMap;

use super::{
    BonusInput, BonusKind, Points, RATIO_SCALE, RankEntry, ScoreError, ScoreInput, Scorecard,
    to_scaled_exact, to_scaled_floor,
};

/// A bonus rule on scaled integers.
#[derive(Debug, Clone)]
pub(super) enum Rule {
    PerStep {
        base: i128,
        step: i128,
        points: i128,
        cap: i128,
    },
    /// Weights of the counted kinds; `first` is the index of the first kind in the row's counts.
    PerCount {
        weights: Vec<i128>,
        first: usize,
        cap: i128,
    },
    Discretionary {
        cap: i128,
    },
}

/// A validated card on scaled integers, with its id lookups.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) item_max: Vec<i128>,
    /// For each section, the number of items up to and including it.
    pub(crate) section_ends: Vec<usize>,
    pub(super) rules: Vec<Rule>,
    pub(super) bonus_cap: i128,
    /// Grade bands as (min, index in the card), highest first.
    pub(super) grades: Vec<(i128, usize)>,
    items: HashMap<String, usize>,
    bonuses: HashMap<String, usize>,
    counts: usize,
}

fn scaled(p: Points) -> Result<i128, ScoreError> {
    // A validated card has every value on the grid; this only guards a card built in code.
    p.to_scaled().ok_or(ScoreError::Columns(format!(
        "card value {p} is off the grid"
    )))
}

impl Compiled {
    pub(crate) fn new(card: &Scorecard) -> Result<Self, ScoreError> {
        card.validate()?;
        let mut items = HashMap::new();
        let mut item_max = Vec::new();
        let mut section_ends = Vec::new();
        for (_, item) in card.items() {
            items.insert(item.id.clone(), item_max.len());
            item_max.push(scaled(item.max)?);
        }
        let mut n = 0;
        for s in &card.sections {
            n += s.items.len();
            section_ends.push(n);
        }
        let mut bonuses = HashMap::new();
        let mut rules = Vec::new();
        let mut counts = 0;
        for (i, r) in card.bonus.rules.iter().enumerate() {
            bonuses.insert(r.id.clone(), i);
            let cap = scaled(r.cap)?;
            rules.push(match &r.rule {
                BonusKind::PerStep { base, step, points } => Rule::PerStep {
                    base: to_scaled_exact(base.as_fraction(), RATIO_SCALE).unwrap_or(0),
                    step: to_scaled_exact(step.as_fraction(), RATIO_SCALE).unwrap_or(1),
                    points: scaled(*points)?,
                    cap,
                },
                BonusKind::PerCount { weights } => {
                    let first = counts;
                    counts += weights.len();
                    Rule::PerCount {
                        weights: weights
                            .iter()
                            .map(|w| scaled(w.points))
                            .collect::<Result<_, _>>()?,
                        first,
                        cap,
                    }
                }
                BonusKind::Discretionary => Rule::Discretionary { cap },
            });
        }
        let mut grades: Vec<(i128, usize)> = card
            .grades
            .iter()
            .enumerate()
            .map(|(i, g)| scaled(g.min).map(|m| (m, i)))
            .collect::<Result<_, _>>()?;
        grades.sort_by_key(|g| std::cmp::Reverse(g.0));
        Ok(Self {
            item_max,
            section_ends,
            rules,
            bonus_cap: scaled(card.bonus.cap)?,
            grades,
            items,
            bonuses,
            counts,
        })
    }

    pub(crate) fn rules(&self) -> usize {
        self.rules.len()
    }
}

/// One unit's input on scaled integers, in card order. Reused across units.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Points × 10⁴ per item.
    pub(crate) items: Vec<i128>,
    /// Per rule: completion × 10⁸ (per step), points × 10⁴ (discretionary), unused (per count).
    pub(crate) values: Vec<i128>,
    /// Counts of every per-count kind, rule after rule.
    pub(crate) counts: Vec<u32>,
    pub(crate) vetoed: bool,
}

/// The kernel's numbers for one unit, scaled by 10⁴.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored {
    pub(crate) base: i128,
    /// (raw, capped) per bonus rule.
    pub(crate) lines: Vec<(i128, i128)>,
    pub(crate) bonus_raw: i128,
    pub(crate) bonus: i128,
    pub(crate) total: i128,
    pub(crate) grade: Option<usize>,
    /// Full steps counted, per rule (0 for other kinds); for the explanations.
    pub(crate) steps: Vec<i128>,
}

const MISSING: i128 = i128::MIN;

impl Row {
    fn reset(&mut self, c: &Compiled) {
        self.items.clear();
        self.items.resize(c.item_max.len(), MISSING);
        self.values.clear();
        self.values.resize(c.rules.len(), 0);
        self.counts.clear();
        self.counts.resize(c.counts, 0);
        self.vetoed = false;
    }

    /// Fill from a unit's input; unknown ids, off-grid points and wrong kinds are errors.
    pub(crate) fn fill(
        &mut self,
        card: &Scorecard,
        c: &Compiled,
        input: &ScoreInput,
    ) -> Result<(), ScoreError> {
        self.reset(c);
        if input.unit.trim().is_empty() {
            return Err(ScoreError::EmptyUnit);
        }
        crate::check_name("unit", &input.unit).map_err(|e| ScoreError::Input(e.into()))?;
        if input
            .veto
            .as_ref()
            .is_some_and(|v| v.reason.trim().is_empty())
        {
            return Err(ScoreError::EmptyVetoReason {
                unit: input.unit.clone(),
            });
        }
        let unknown = |id: &str| ScoreError::UnknownItem {
            card: card.id.clone(),
            item: id.to_owned(),
        };
        for (id, p) in &input.items {
            let i = *c.items.get(id.as_str()).ok_or_else(|| unknown(id))?;
            let v = p.to_scaled().ok_or_else(|| ScoreError::TooPrecise {
                item: id.clone(),
                value: *p,
            })?;
            if let Some(slot) = self.items.get_mut(i) {
                *slot = v;
            }
        }
        for (id, b) in &input.bonuses {
            let i = *c.bonuses.get(id.as_str()).ok_or_else(|| unknown(id))?;
            let (Some(rule), Some(def)) = (c.rules.get(i), card.bonus.rules.get(i)) else {
                return Err(unknown(id));
            };
            let wrong = |wanted| ScoreError::WrongBonusKind {
                item: id.clone(),
                expected: def.rule.name(),
                wanted,
                given: b.name(),
            };
            match (rule, b) {
                (Rule::PerStep { .. }, BonusInput::Completion(r)) => {
                    let v = to_scaled_floor(r.as_fraction(), RATIO_SCALE)
                        .ok_or_else(|| ScoreError::Overflow { item: id.clone() })?;
                    if let Some(slot) = self.values.get_mut(i) {
                        *slot = v;
                    }
                }
                (Rule::Discretionary { .. }, BonusInput::Points(p)) => {
                    let v = p.to_scaled().ok_or_else(|| ScoreError::TooPrecise {
                        item: id.clone(),
                        value: *p,
                    })?;
                    if let Some(slot) = self.values.get_mut(i) {
                        *slot = v;
                    }
                }
                (Rule::PerCount { first, .. }, BonusInput::Counts(counts)) => {
                    let BonusKind::PerCount { weights } = &def.rule else {
                        return Err(wrong("counts"));
                    };
                    for (kind, n) in counts {
                        let k = weights.iter().position(|w| &w.id == kind).ok_or_else(|| {
                            ScoreError::UnknownCountKind {
                                item: id.clone(),
                                kind: kind.clone(),
                            }
                        })?;
                        if let Some(slot) = self.counts.get_mut(first + k) {
                            *slot = *n;
                        }
                    }
                }
                (Rule::PerStep { .. }, _) => return Err(wrong("completion")),
                (Rule::PerCount { .. }, _) => return Err(wrong("counts")),
                (Rule::Discretionary { .. }, _) => return Err(wrong("points")),
            }
        }
        self.vetoed = input.veto.is_some();
        Ok(())
    }
}

fn item_id(card: &Scorecard, i: usize) -> String {
    card.items()
        .nth(i)
        .map_or_else(|| format!("#{i}"), |(_, it)| it.id.clone())
}

fn bonus_id(card: &Scorecard, i: usize) -> String {
    if i == usize::MAX {
        return "total".to_owned();
    }
    card.bonus
        .rules
        .get(i)
        .map_or_else(|| format!("bonus #{i}"), |r| r.id.clone())
}

fn show(v: i128) -> Points {
    Points::from_scaled(v).unwrap_or_default()
}

/// The kernel: validate a row against the card and compute its points into `out`.
pub(crate) fn kernel(
    card: &Scorecard,
    c: &Compiled,
    row: &Row,
    out: &mut Scored,
) -> Result<(), ScoreError> {
    let overflow = |item: String| ScoreError::Overflow { item };
    let mut base: i128 = 0;
    for (i, (&v, &max)) in row.items.iter().zip(&c.item_max).enumerate() {
        if v == MISSING {
            return Err(ScoreError::MissingItem {
                item: item_id(card, i),
            });
        }
        if v < 0 {
            return Err(ScoreError::Negative {
                item: item_id(card, i),
                value: show(v).to_string(),
            });
        }
        if v > max {
            return Err(ScoreError::AboveMax {
                item: item_id(card, i),
                value: show(v),
                max: show(max),
            });
        }
        base += v; // each v ≤ max ≤ 10¹³ and a card has far fewer than 10²⁴ items
    }
    out.lines.clear();
    out.steps.clear();
    let mut bonus_raw: i128 = 0;
    for (i, (rule, &v)) in c.rules.iter().zip(&row.values).enumerate() {
        let (raw, cap, steps) = match rule {
            Rule::PerStep {
                base: from,
                step,
                points,
                cap,
            } => {
                if v < 0 {
                    return Err(ScoreError::Negative {
                        item: bonus_id(card, i),
                        value: format!(
                            "completion {}",
                            rust_decimal::Decimal::try_from_i128_with_scale(v, RATIO_SCALE)
                                .map(crate::money::Ratio::from_fraction)
                                .map_or_else(|_| v.to_string(), |r| r.to_string())
                        ),
                    });
                }
                let steps = if v > *from { (v - from) / step } else { 0 };
                let raw = steps
                    .checked_mul(*points)
                    .ok_or_else(|| overflow(bonus_id(card, i)))?;
                (raw, *cap, steps)
            }
            Rule::PerCount {
                weights,
                first,
                cap,
            } => {
                let counts = row.counts.get(*first..first + weights.len()).unwrap_or(&[]);
                // counts < 2³², weights ≤ 10¹³: each product < 2⁷⁶, far inside i128.
                let raw = counts
                    .iter()
                    .zip(weights)
                    .map(|(&n, &w)| i128::from(n) * w)
                    .sum();
                (raw, *cap, 0)
            }
            Rule::Discretionary { cap } => {
                if v < 0 {
                    return Err(ScoreError::Negative {
                        item: bonus_id(card, i),
                        value: show(v).to_string(),
                    });
                }
                if v > *cap {
                    return Err(ScoreError::AboveCap {
                        item: bonus_id(card, i),
                        value: show(v),
                        cap: show(*cap),
                    });
                }
                (v, *cap, 0)
            }
        };
        let capped = raw.min(cap);
        bonus_raw += capped; // each capped ≤ 10¹³
        out.lines.push((raw, capped));
        out.steps.push(steps);
    }
    out.base = base;
    out.bonus_raw = bonus_raw;
    out.bonus = bonus_raw.min(c.bonus_cap);
    out.total = base + out.bonus;
    out.grade = if row.vetoed {
        None
    } else {
        c.grades
            .iter()
            .find(|(min, _)| *min <= out.total)
            .map(|(_, i)| *i)
    };
    Ok(())
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for i64 {}
    impl Sealed for i128 {}
}

/// The integer a column of scaled points is held in: `i64` (the layout of Arrow
/// `decimal64(_, 4)`, and the default) or `i128` (the layout of Arrow `decimal128(_, 4)`, so a
/// caller building such columns gets them without a widening pass). Every score of a validated
/// card fits in 64 bits; `i128` only spends the memory.
pub trait ScaledInt:
    sealed::Sealed
    + Copy
    + Default
    + Ord
    + Send
    + Sync
    + std::fmt::Debug
    + From<i64>
    + Into<i128>
    + 'static
{
}

impl ScaledInt for i64 {}
impl ScaledInt for i128 {}

/// Many units' scores on one card, as columns of integers scaled by 10^[`POINT_SCALE`](super::POINT_SCALE)
/// (`T = i64`, the default: the layout of Arrow `decimal64(_, 4)`; `T = i128`: of
/// `decimal128(_, 4)`, see [`score_columns_as`](super::score_columns_as)). Row `i` is input `i`. No text is built; ask
/// for one unit's explained report with [`score`](super::score).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchScores<T: ScaledInt = i64> {
    // Points × 10⁴ of a validated card are at most 2 × 10¹³ (maxima and caps ≤ 10⁹ points):
    // 64 bits hold every column, half the memory of `i128` and Arrow's `decimal64` layout.
    pub(super) base: Vec<T>,
    pub(super) bonus_raw: Vec<T>,
    pub(super) bonus: Vec<T>,
    pub(super) total: Vec<T>,
    pub(super) vetoed: Vec<bool>,
    /// One grade per unit when the card has bands; empty when it has none (every grade `None`).
    pub(super) grade: Vec<Option<usize>>,
    /// Capped bonus lines, one column per rule (the card's rule order). A capped line is at most
    /// its cap (≤ 10¹³ scaled on a valid card), so 64 bits hold it: half the memory of `i128`.
    pub(super) lines: Vec<Vec<T>>,
}

impl<T: ScaledInt> BatchScores<T> {
    /// Empty columns with room for `n` units on card `c`.
    pub(super) fn with_capacity(n: usize, c: &Compiled) -> Self {
        Self {
            base: Vec::with_capacity(n),
            bonus_raw: Vec::with_capacity(n),
            bonus: Vec::with_capacity(n),
            total: Vec::with_capacity(n),
            vetoed: Vec::with_capacity(n),
            grade: Vec::with_capacity(if c.grades.is_empty() { 0 } else { n }),
            lines: (0..c.rules()).map(|_| Vec::with_capacity(n)).collect(),
        }
    }

    /// Append one unit; `Err(r)` when capped line `r` (or, for `usize::MAX`, the totals) does
    /// not fit in 64 bits (a card that passed validation never does).
    fn push(&mut self, s: &Scored, vetoed: bool, graded: bool) -> Result<(), usize> {
        for (r, (col, l)) in self.lines.iter_mut().zip(&s.lines).enumerate() {
            col.push(i64::try_from(l.1).map(T::from).map_err(|_| r)?);
        }
        // `usize::MAX`: the unit's totals, not a line, do not fit (a validated card never).
        let fit = |v: i128| i64::try_from(v).map(T::from).map_err(|_| usize::MAX);
        self.base.push(fit(s.base)?);
        self.bonus_raw.push(fit(s.bonus_raw)?);
        self.bonus.push(fit(s.bonus)?);
        self.total.push(fit(s.total)?);
        self.vetoed.push(vetoed);
        if graded {
            self.grade.push(s.grade);
        }
        Ok(())
    }

    /// How many units.
    #[must_use]
    pub fn len(&self) -> usize {
        self.total.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.total.is_empty()
    }

    /// Unit `i`'s base points.
    #[must_use]
    pub fn base(&self, i: usize) -> Option<Points> {
        self.base
            .get(i)
            .and_then(|&v| Points::from_scaled(v.into()))
    }

    /// Unit `i`'s bonus, capped.
    #[must_use]
    pub fn bonus(&self, i: usize) -> Option<Points> {
        self.bonus
            .get(i)
            .and_then(|&v| Points::from_scaled(v.into()))
    }

    /// Unit `i`'s total (shown even when vetoed).
    #[must_use]
    pub fn total(&self, i: usize) -> Option<Points> {
        self.total
            .get(i)
            .and_then(|&v| Points::from_scaled(v.into()))
    }

    /// Whether unit `i` is vetoed (and so failed).
    #[must_use]
    pub fn vetoed(&self, i: usize) -> Option<bool> {
        self.vetoed.get(i).copied()
    }

    /// Index in the card's `grades` of unit `i`'s grade, if the card has bands.
    #[must_use]
    pub fn grade(&self, i: usize) -> Option<usize> {
        self.grade.get(i).copied().flatten()
    }

    /// Unit `i`'s capped bonus line `r` (in the card's rule order).
    #[must_use]
    pub fn bonus_line(&self, i: usize, r: usize) -> Option<Points> {
        self.lines
            .get(r)
            .and_then(|col| col.get(i))
            .and_then(|&v| Points::from_scaled(v.into()))
    }

    /// The capped bonus line `r` (in the card's rule order) of every unit, scaled by
    /// 10^[`POINT_SCALE`](super::POINT_SCALE) — e.g. for an Arrow `decimal128` builder;
    /// `None` beyond the card's rules.
    pub fn bonus_line_scaled(&self, r: usize) -> Option<impl ExactSizeIterator<Item = i128> + '_> {
        self.lines.get(r).map(|col| col.iter().map(|&v| v.into()))
    }

    /// The base column, scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    #[must_use]
    pub fn base_scaled(&self) -> &[T] {
        &self.base
    }

    /// The sum of capped lines before the bonus cap, scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    #[must_use]
    pub fn bonus_raw_scaled(&self) -> &[T] {
        &self.bonus_raw
    }

    /// The capped bonus column, scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    #[must_use]
    pub fn bonus_scaled(&self) -> &[T] {
        &self.bonus
    }

    /// The total column, scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    #[must_use]
    pub fn total_scaled(&self) -> &[T] {
        &self.total
    }

    /// The veto column.
    #[must_use]
    pub fn vetoed_column(&self) -> &[bool] {
        &self.vetoed
    }

    /// Give up the columns, e.g. to hand them to Arrow without copying
    /// (`arrow_buffer::ScalarBuffer::<i64>::from(vec)` takes a vector as it is, and a
    /// `Decimal64Array` of scale [`POINT_SCALE`](super::POINT_SCALE) over it is exact).
    ///
    /// # Example
    /// ```
    /// use fupin::assessment::{score_columns, BonusColumn, ScoreColumns};
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
    /// let out = score_columns(a, &cols).unwrap().into_columns();
    /// assert_eq!(out.total, [93_5000]); // 93.5 × 10⁴
    /// assert_eq!(out.bonus_lines[0], [3_0000]);
    /// assert_eq!(out.grade, None); // card A has no grade bands
    /// ```
    #[must_use]
    pub fn into_columns(self) -> BatchColumns<T> {
        let graded = self.grade.len() == self.total.len() && !self.total.is_empty();
        BatchColumns {
            base: self.base,
            bonus_raw: self.bonus_raw,
            bonus: self.bonus,
            total: self.total,
            vetoed: self.vetoed,
            grade: graded.then_some(self.grade),
            bonus_lines: self.lines,
        }
    }

    /// Rank the units ([`rank`](super::rank)'s rules; ties in input order).
    ///
    /// Sorts the scaled totals as integers (no decimal per comparison) and turns a total into
    /// [`Points`] only when it differs from the previous entry's.
    #[must_use]
    pub fn rank(&self) -> Vec<RankEntry> {
        let mut out: Vec<RankEntry> = Vec::with_capacity(self.len());
        let mut shown: Option<(i128, Points)> = None;
        self.each_ranked(|index, rank, vetoed, t| {
            let total = match shown {
                Some((st, p)) if st == t => p,
                _ => Points::from_scaled(t).unwrap_or_default(),
            };
            shown = Some((t, total));
            out.push(RankEntry {
                index,
                rank,
                total,
                vetoed,
            });
        });
        out
    }

    /// Each unit's rank, in input order ([`BatchScores::rank`]'s ranks without its entries):
    /// the column a table of the units wants (Arrow `uint32`). A rank beyond `u32::MAX` (a
    /// table of more than 4,294,967,295 units) is held as `u32::MAX`.
    ///
    /// # Example
    /// ```
    /// use fupin::assessment::{score_columns, BonusColumn, ScoreColumns};
    /// let policy = fupin::Policy::chaoyang_2020();
    /// let a = policy.assessment.card("a").unwrap();
    /// let annual = [70_0000_i128, 75_0000, 70_0000, 80_0000];
    /// let (daily, zero, none) = ([10_0000_i128; 4], [0_i128; 4], [0_u32; 4]);
    /// let cols = ScoreColumns {
    ///     items: vec![&annual, &daily],
    ///     bonuses: vec![
    ///         BonusColumn::Completion(&zero),
    ///         BonusColumn::Points(&zero),
    ///         BonusColumn::Counts(vec![&none, &none]),
    ///         BonusColumn::Points(&zero),
    ///     ],
    ///     vetoed: &[false, false, false, true],
    /// };
    /// let s = score_columns(a, &cols).unwrap();
    /// assert_eq!(s.rank_column(), [2, 1, 2, 4]); // 80, 85, 80, and the vetoed unit last
    /// ```
    #[must_use]
    pub fn rank_column(&self) -> Vec<u32> {
        let mut ranks = vec![0; self.len()];
        self.each_ranked(|index, rank, _, _| {
            if let Some(slot) = ranks.get_mut(index) {
                *slot = u32::try_from(rank).unwrap_or(u32::MAX);
            }
        });
        ranks
    }

    /// Call `f(index, rank, vetoed, total)` for every unit in ranking order: unvetoed units by
    /// total, highest first, ties in input order sharing a rank (the next rank skips); vetoed
    /// units last, all ranked one past the unvetoed ones.
    fn each_ranked(&self, mut f: impl FnMut(usize, usize, bool, i128)) {
        let scored = self.vetoed.iter().filter(|v| !**v).count();
        let mut prev: Option<(i128, usize)> = None;
        let mut emit = |pos: usize, vetoed: bool, t: i128, index: usize| {
            let rank = match prev {
                _ if vetoed => scored + 1,
                Some((pt, pr)) if pt == t => pr,
                _ => pos + 1,
            };
            if !vetoed {
                prev = Some((t, rank));
            }
            f(index, rank, vetoed, t);
        };
        if let Some(order) = RadixOrder::new(&self.total, &self.vetoed) {
            // Every valid table: a radix sort of packed integer keys.
            for (pos, &k) in order.keys.iter().enumerate() {
                let (vetoed, t, index) = order.unpack(k);
                emit(pos, vetoed, t, index);
            }
        } else {
            // More than 2³² units or totals spread over 2³¹ and more: sort by comparison.
            let mut keys: Vec<(bool, std::cmp::Reverse<i128>, usize)> = self
                .total
                .iter()
                .zip(&self.vetoed)
                .enumerate()
                .map(|(i, (&t, &v))| (v, std::cmp::Reverse(t.into()), i))
                .collect();
            keys.sort_unstable();
            for (pos, &(v, t, i)) in keys.iter().enumerate() {
                emit(pos, v, t.0, i);
            }
        }
    }
}

/// The units in ranking order, sorted by a least-significant-digit radix sort of one `u64` per
/// unit: from the top, the veto bit, the total's distance below the highest total (`bits` bits,
/// so a higher total sorts first), and in the low 32 bits the unit's index. The keys are
/// distinct, so the order is total, and ties stay in input order.
///
/// A radix sort of 11-bit digits reads and writes every key once per digit: a card's totals
/// (points × 10⁴) usually spread over fewer than 2²² values, so two passes order any number of
/// units, where a comparison sort takes log₂ n passes.
struct RadixOrder {
    keys: Vec<u64>,
    /// Width of the distance field.
    bits: u32,
    /// The highest total.
    top: i128,
}

impl RadixOrder {
    const DIGIT: u32 = 11;
    const RADIX: usize = 1 << Self::DIGIT;

    /// `None` when the keys do not fit: 2³² units or more, or totals spread over 2³¹ or more
    /// (214,748.3648 points: only a card with huge maxima gets there).
    fn new<T: ScaledInt>(total: &[T], vetoed: &[bool]) -> Option<Self> {
        let n = total.len();
        if u32::try_from(n).is_err() || vetoed.len() != n {
            return None;
        }
        let (mut lo, mut top) = (i128::MAX, i128::MIN);
        for &t in total {
            let t: i128 = t.into();
            lo = lo.min(t);
            top = top.max(t);
        }
        let spread = if n == 0 {
            0
        } else {
            u64::try_from(top - lo).ok().filter(|s| *s < 1 << 31)?
        };
        let bits = u64::BITS - spread.leading_zeros(); // ≤ 31
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        keys.extend(total.iter().zip(vetoed).zip(0_u64..).map(|((&t, &v), i)| {
            // 0 ≤ top − t ≤ spread < 2³¹: exact in a u64.
            let distance = (top - t.into()) as u64;
            ((u64::from(v) << bits | distance) << 32) | i
        }));
        // One histogram per digit of the key (the veto bit and `bits` bits), all in one read.
        let passes = (bits + 1).div_ceil(Self::DIGIT);
        let digit = |k: u64, p: u32| ((k >> (32 + p * Self::DIGIT)) as usize) & (Self::RADIX - 1);
        let mut counts = vec![[0_usize; Self::RADIX]; passes as usize];
        for &k in &keys {
            for (p, c) in (0..).zip(counts.iter_mut()) {
                if let Some(c) = c.get_mut(digit(k, p)) {
                    *c += 1;
                }
            }
        }
        let mut spare = vec![0_u64; n];
        for (p, c) in (0..).zip(&counts) {
            if c.contains(&n) {
                continue; // every key has the same digit: this pass would move nothing
            }
            // Where each digit's keys start, then a stable scatter in digit order.
            let mut next = [0_usize; Self::RADIX];
            let mut at = 0;
            for (slot, &count) in next.iter_mut().zip(c) {
                *slot = at;
                at += count;
            }
            for &k in &keys {
                if let Some(slot) = next.get_mut(digit(k, p)) {
                    if let Some(dest) = spare.get_mut(*slot) {
                        *dest = k;
                    }
                    *slot += 1;
                }
            }
            std::mem::swap(&mut keys, &mut spare);
        }
        Some(Self { keys, bits, top })
    }

    /// (vetoed, total, index) of a key.
    fn unpack(&self, k: u64) -> (bool, i128, usize) {
        let key = k >> 32;
        let distance = key & ((1 << self.bits) - 1);
        let index = (k & u64::from(u32::MAX)) as usize;
        (
            key >> self.bits == 1,
            self.top - i128::from(distance),
            index,
        )
    }
}

/// The owned columns of a [`BatchScores`] ([`BatchScores::into_columns`]); points scaled by
/// 10^[`POINT_SCALE`](super::POINT_SCALE), row `i` is unit `i`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BatchColumns<T: ScaledInt = i64> {
    /// Base points.
    pub base: Vec<T>,
    /// The sum of the capped bonus lines, before the bonus cap.
    pub bonus_raw: Vec<T>,
    /// The bonus, capped.
    pub bonus: Vec<T>,
    /// The total (shown even when vetoed).
    pub total: Vec<T>,
    /// 一票否决 — whether each unit is vetoed.
    pub vetoed: Vec<bool>,
    /// Index in the card's `grades` of each unit's grade; `None` when the card has no bands
    /// (or there are no units).
    pub grade: Option<Vec<Option<usize>>>,
    /// One column per bonus rule (the card's order) of capped lines; a capped line is at most
    /// its cap, so 64 bits hold it.
    pub bonus_lines: Vec<Vec<T>>,
}

/// A failure in a batch: which row, which unit, and the error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} (`{unit}`): {error}")]
pub struct BatchError {
    /// Index of the input.
    pub row: usize,
    /// The unit's name.
    pub unit: String,
    /// What is wrong.
    pub error: ScoreError,
}

/// Score many units on one card into columns; the card is compiled once and no text is built.
/// Units are identified by their row (names are not compared: [`rank`](super::rank) of the
/// explained reports refuses a name given twice).
///
/// # Errors
/// [`BatchError`] for the first input that [`score`](super::score) would refuse, with its row.
///
/// # Example
/// ```
/// use fupin::assessment::{score_batch, Points, ScoreInput};
/// let policy = fupin::Policy::chaoyang_2020();
/// let b = policy.assessment.card("b").unwrap();
/// let inputs: Vec<ScoreInput> = (0..3).map(|n| {
///     let mut s = ScoreInput::new(format!("unit {n}"));
///     for (_, item) in b.items() { s.items.insert(item.id.clone(), item.max); }
///     s
/// }).collect();
/// let scores = score_batch(b, &inputs).unwrap();
/// assert_eq!(scores.total(2), Some(Points::from(100)));
/// ```
pub fn score_batch(card: &Scorecard, inputs: &[ScoreInput]) -> Result<BatchScores, BatchError> {
    let c = Compiled::new(card).map_err(|error| BatchError {
        row: 0,
        unit: String::new(),
        error,
    })?;
    let mut out = BatchScores::with_capacity(inputs.len(), &c);
    let graded = !c.grades.is_empty();
    let (mut row, mut s) = (Row::default(), Scored::default());
    for (i, input) in inputs.iter().enumerate() {
        row.fill(card, &c, input)
            .and_then(|()| kernel(card, &c, &row, &mut s))
            .and_then(|()| {
                out.push(&s, row.vetoed, graded)
                    .map_err(|r| ScoreError::Overflow {
                        item: bonus_id(card, r),
                    })
            })
            .map_err(|error| BatchError {
                row: i,
                unit: input.unit.clone(),
                error,
            })?;
    }
    Ok(out)
}

/// One unit's numbers on a card, without explanations: what [`score`](super::score) reports, as
/// the batch kernel computes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnitTotals {
    /// Sum of the items.
    pub base: Points,
    /// Sum of the capped bonus lines, before the cap on the bonus total.
    pub bonus_raw: Points,
    /// The bonus, capped.
    pub bonus: Points,
    /// `base + bonus` — shown even when vetoed.
    pub total: Points,
    /// 一票否决 — whether the unit is vetoed (and so failed).
    pub vetoed: bool,
    /// Index in the card's `grades` of the unit's grade (the card has bands, the unit is not
    /// vetoed).
    pub grade: Option<usize>,
}

/// A card checked and compiled once, to score units one at a time without building any text.
///
/// [`score_batch`] checks and compiles its card on every call; a caller that scores one unit per
/// call — the Python binding's `score`, in an analyst's loop — keeps a `PreparedCard` instead.
/// The numbers are those of [`score`](super::score): the same kernel computes them.
///
/// # Example
/// ```
/// use fupin::assessment::{Points, PreparedCard, ScoreInput};
/// let policy = fupin::Policy::chaoyang_2020();
/// let b = PreparedCard::new(policy.assessment.card("b").unwrap().clone())?;
/// let mut s = ScoreInput::new("unit");
/// for (_, item) in b.card().items() {
///     s.items.insert(item.id.clone(), item.max);
/// }
/// assert_eq!(b.totals(&s)?.total, Points::from(100));
/// # Ok::<(), fupin::assessment::ScoreError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PreparedCard {
    card: Scorecard,
    compiled: Compiled,
}

impl PreparedCard {
    /// Check and compile a card.
    ///
    /// # Errors
    /// [`ScoreError::InvalidCard`] for an invalid card.
    pub fn new(card: Scorecard) -> Result<Self, ScoreError> {
        let compiled = Compiled::new(&card)?;
        Ok(Self { card, compiled })
    }

    /// The card.
    #[must_use]
    pub fn card(&self) -> &Scorecard {
        &self.card
    }

    /// One unit's totals, as [`score`](super::score) computes them, without explanations.
    ///
    /// # Errors
    /// As [`score`](super::score).
    pub fn totals(&self, input: &ScoreInput) -> Result<UnitTotals, ScoreError> {
        let (mut row, mut s) = (Row::default(), Scored::default());
        row.fill(&self.card, &self.compiled, input)?;
        kernel(&self.card, &self.compiled, &row, &mut s)?;
        let points = |v: i128| {
            Points::from_scaled(v).ok_or_else(|| ScoreError::Overflow {
                item: String::new(),
            })
        };
        Ok(UnitTotals {
            base: points(s.base)?,
            bonus_raw: points(s.bonus_raw)?,
            bonus: points(s.bonus)?,
            total: points(s.total)?,
            vetoed: row.vetoed,
            grade: s.grade,
        })
    }
}

/// One bonus rule's input column.
#[derive(Debug, Clone)]
pub enum BonusColumn<'a> {
    /// Per-step rule: completion ratios scaled by 10^[`RATIO_SCALE`](super::RATIO_SCALE).
    Completion(&'a [i128]),
    /// Per-count rule: one column of counts per kind, in the rule's order.
    Counts(Vec<&'a [u32]>),
    /// Discretionary rule: points scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    Points(&'a [i128]),
}

/// Input columns of many units, on scaled integers — what Arrow `decimal128` columns hold.
#[derive(Debug, Clone)]
pub struct ScoreColumns<'a> {
    /// One column per item, in the card's order, points scaled by 10^[`POINT_SCALE`](super::POINT_SCALE).
    pub items: Vec<&'a [i128]>,
    /// One column per bonus rule, in the card's order.
    pub bonuses: Vec<BonusColumn<'a>>,
    /// The veto column.
    pub vetoed: &'a [bool],
}

/// [`score_columns`](super::score_columns) through the row-wise kernel only: the reference the columnar path is
/// tested against.
#[cfg(test)]
pub(super) fn score_columns_rowwise(
    card: &Scorecard,
    cols: &ScoreColumns<'_>,
) -> Result<BatchScores, BatchError> {
    let c = compile_for(card, cols)?;
    rowwise(card, &c, cols)
}

/// Compile the card and check that the columns match it (count, kind, length).
pub(super) fn compile_for(
    card: &Scorecard,
    cols: &ScoreColumns<'_>,
) -> Result<Compiled, BatchError> {
    let at = |row, error| BatchError {
        row,
        unit: String::new(),
        error,
    };
    let c = Compiled::new(card).map_err(|e| at(0, e))?;
    let n = cols.vetoed.len();
    let bad = |m: String| at(0, ScoreError::Columns(m));
    if cols.items.len() != c.item_max.len() || cols.bonuses.len() != c.rules() {
        return Err(bad(format!(
            "{} item and {} bonus columns given, the card has {} and {}",
            cols.items.len(),
            cols.bonuses.len(),
            c.item_max.len(),
            c.rules()
        )));
    }
    for (i, col) in cols.items.iter().enumerate() {
        if col.len() != n {
            return Err(bad(format!(
                "item column {i} has {} rows, not {n}",
                col.len()
            )));
        }
    }
    for (r, (col, rule)) in cols.bonuses.iter().zip(&c.rules).enumerate() {
        let ok = match (col, rule) {
            (BonusColumn::Completion(v), Rule::PerStep { .. })
            | (BonusColumn::Points(v), Rule::Discretionary { .. }) => v.len() == n,
            (BonusColumn::Counts(v), Rule::PerCount { weights, .. }) => {
                v.len() == weights.len() && v.iter().all(|k| k.len() == n)
            }
            _ => false,
        };
        if !ok {
            return Err(bad(format!(
                "bonus column {r} does not match the rule's kind or has the wrong length"
            )));
        }
    }
    Ok(c)
}

/// The row-wise path: each row through [`kernel`], stopping at the first refused row.
pub(super) fn rowwise<T: ScaledInt>(
    card: &Scorecard,
    c: &Compiled,
    cols: &ScoreColumns<'_>,
) -> Result<BatchScores<T>, BatchError> {
    let at = |row, error| BatchError {
        row,
        unit: String::new(),
        error,
    };
    let n = cols.vetoed.len();
    let graded = !c.grades.is_empty();
    let mut out = BatchScores::with_capacity(n, c);
    let (mut row, mut s) = (Row::default(), Scored::default());
    for i in 0..n {
        row.reset(c);
        for (slot, col) in row.items.iter_mut().zip(&cols.items) {
            *slot = col.get(i).copied().unwrap_or(MISSING);
        }
        for (r, col) in cols.bonuses.iter().enumerate() {
            match col {
                BonusColumn::Completion(v) | BonusColumn::Points(v) => {
                    if let Some(slot) = row.values.get_mut(r) {
                        *slot = v.get(i).copied().unwrap_or(0);
                    }
                }
                BonusColumn::Counts(kinds) => {
                    if let Some(Rule::PerCount { first, .. }) = c.rules.get(r) {
                        for (k, kind) in kinds.iter().enumerate() {
                            if let Some(slot) = row.counts.get_mut(first + k) {
                                *slot = kind.get(i).copied().unwrap_or(0);
                            }
                        }
                    }
                }
            }
        }
        row.vetoed = cols.vetoed.get(i).copied().unwrap_or(false);
        kernel(card, c, &row, &mut s).map_err(|e| at(i, e))?;
        out.push(&s, row.vetoed, graded).map_err(|r| {
            at(
                i,
                ScoreError::Overflow {
                    item: bonus_id(card, r),
                },
            )
        })?;
    }
    Ok(out)
}
