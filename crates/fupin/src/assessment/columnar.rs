//! Column-at-a-time scoring of [`ScoreColumns`] on 64-bit integers: the fast path of
//! [`score_columns`](super::score_columns).
//!
//! The rows are taken in blocks of [`BLOCK`]; within a block each input column is read once, in
//! a tight loop over plain integers, into block-sized scratch columns (base, one bonus line, the
//! sum of lines), which are then widened into the `i128` output columns. No per-row allocation,
//! no per-row branching on the rule kind.
//!
//! # Exactness
//! Every quantity is a non-negative integer scaled as in the row-wise kernel (points × 10⁴,
//! completions × 10⁸), so the results are the kernel's to the last digit. 64 bits suffice
//! because the card bounds everything: [`Fast::new`] computes, in `i128`, the largest value
//! every accumulator can reach on a valid row and refuses the card (→ row-wise path) if one
//! does not fit in `u64`/`i64`. Two products are unbounded in the inputs and are clamped first
//! without changing the capped result:
//! - per step: `min(cap, points × steps) = min(cap, points × min(steps, ⌊cap / points⌋ + 1))`,
//!   and `steps = ⌊x / step⌋` is computed with a precomputed reciprocal (exact, see
//!   [`Divisor`]);
//! - per count: `min(cap, Σ wₖ nₖ) = min(cap, Σ wₖ min(nₖ, ⌊cap / wₖ⌋ + 1))` — a clamped term is
//!   above the cap on its own, so the sum is too.
//!
//! # Errors
//! Each cell is checked as it is read (item in `[0, max]`, discretionary in `[0, cap]`,
//! completion in `[0, i64::MAX]`). A cell outside makes [`score`] return `None` and the caller
//! rescores the table row by row, so an error names the same row and item as it always did,
//! and a completion beyond `i64::MAX` that the `i128` kernel can still score is scored there.

use super::batch::{BatchScores, BonusColumn, Compiled, Rule, ScaledInt, ScoreColumns};

/// Rows per block: the block's scratch columns (a few × 16 KiB) stay in the L1/L2 cache.
const BLOCK: usize = 2048;

/// Exact `⌊x / d⌋` for `x < 2⁶³` by multiplying with a reciprocal `m = ⌊2⁶⁴ / d⌋` and one
/// correction: `x·m / 2⁶⁴` lies in `(x/d − 1, x/d]`, so its floor is `⌊x/d⌋` or one less, and
/// `(q + 1)·d ≤ x` tells which. A multiply instead of a 64-bit division per row.
#[derive(Debug, Clone, Copy)]
struct Divisor {
    d: u64,
    /// `⌊2⁶⁴ / d⌋`, or 0 for `d = 1` (then the quotient is `x`).
    m: u64,
}

impl Divisor {
    /// `None` for `d = 0`.
    fn new(d: u64) -> Option<Self> {
        match d {
            0 => None,
            1 => Some(Self { d, m: 0 }),
            _ => {
                let m = u64::try_from((1_u128 << 64) / u128::from(d)).ok()?;
                Some(Self { d, m })
            }
        }
    }

    /// `⌊x / d⌋`; exact for `x < 2⁶³` (every caller passes at most `i64::MAX`).
    #[inline]
    fn div(self, x: u64) -> u64 {
        if self.m == 0 {
            return x;
        }
        let q = u64::try_from((u128::from(x) * u128::from(self.m)) >> 64).unwrap_or(0);
        // q ≤ x/d, so (q + 1)·d ≤ x + d < 2⁶⁴ for x < 2⁶³ and d ≤ 10¹⁴.
        q + u64::from(q.wrapping_add(1).wrapping_mul(self.d) <= x)
    }
}

/// A bonus rule in the fast path's terms; all values scaled as in [`Rule`].
#[derive(Debug, Clone)]
enum FastRule {
    PerStep {
        /// The completion that earns nothing yet.
        from: u64,
        step: Divisor,
        points: u64,
        /// Steps beyond this many already reach the cap: `⌊cap / points⌋ + 1` (0 if no points).
        most: u64,
        cap: u64,
    },
    /// Per kind: (weight, the count beyond which the term alone exceeds the cap).
    PerCount {
        kinds: Vec<(u64, u32)>,
        cap: u64,
    },
    Discretionary {
        cap: u64,
    },
}

/// A compiled card whose every intermediate value on a valid row fits in 64 bits.
#[derive(Debug, Clone)]
struct Fast {
    item_max: Vec<u64>,
    rules: Vec<FastRule>,
    bonus_cap: u64,
    /// Grade bands (min, index in the card), highest first, as in [`Compiled`].
    grades: Vec<(u64, usize)>,
}

fn u(v: i128) -> Option<u64> {
    u64::try_from(v).ok()
}

impl Fast {
    /// The card in 64-bit terms, or `None` when some bound needs more (→ row-wise path).
    fn new(c: &Compiled) -> Option<Self> {
        let limit = i128::from(i64::MAX);
        let item_max = c
            .item_max
            .iter()
            .map(|&m| u(m))
            .collect::<Option<Vec<_>>>()?;
        // base ≤ Σ maxima; each line ≤ its cap; the unclamped sums inside a line are bounded below.
        let mut base_bound: i128 = c.item_max.iter().sum();
        let mut raw_bound: i128 = 0;
        let mut rules = Vec::with_capacity(c.rules.len());
        for rule in &c.rules {
            let (fast, inner) = match rule {
                Rule::PerStep {
                    base,
                    step,
                    points,
                    cap,
                } => {
                    let most = if *points == 0 { 0 } else { cap / points + 1 };
                    let fast = FastRule::PerStep {
                        from: u(*base)?,
                        step: Divisor::new(u(*step)?)?,
                        points: u(*points)?,
                        most: u(most)?,
                        cap: u(*cap)?,
                    };
                    (fast, most.checked_mul(*points)?)
                }
                Rule::PerCount { weights, cap, .. } => {
                    let mut kinds = Vec::with_capacity(weights.len());
                    let mut inner: i128 = 0;
                    for &w in weights {
                        // A count above `most` gives a term above the cap on its own.
                        let most = if w == 0 { 0 } else { cap / w + 1 };
                        let most = u32::try_from(most).unwrap_or(u32::MAX);
                        inner = inner.checked_add(i128::from(most).checked_mul(w)?)?;
                        kinds.push((u(w)?, most));
                    }
                    (
                        FastRule::PerCount {
                            kinds,
                            cap: u(*cap)?,
                        },
                        inner,
                    )
                }
                Rule::Discretionary { cap } => (FastRule::Discretionary { cap: u(*cap)? }, *cap),
            };
            let cap = match &fast {
                FastRule::PerStep { cap, .. }
                | FastRule::PerCount { cap, .. }
                | FastRule::Discretionary { cap } => i128::from(*cap),
            };
            if inner > limit {
                return None;
            }
            raw_bound = raw_bound.checked_add(cap)?;
            rules.push(fast);
        }
        base_bound = base_bound.checked_add(raw_bound.min(c.bonus_cap))?;
        if base_bound > limit || raw_bound > limit {
            return None;
        }
        let grades = c
            .grades
            .iter()
            .map(|&(min, i)| u(min).map(|m| (m, i)))
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            item_max,
            rules,
            bonus_cap: u(c.bonus_cap)?,
            grades,
        })
    }
}

/// The block `start..end` of a column; the shapes were checked, so it is always there.
fn block<T>(col: &[T], start: usize, end: usize) -> &[T] {
    col.get(start..end).unwrap_or(&[])
}

/// Tables with fewer rows are scored on the calling thread: below this, starting threads costs
/// more than it saves.
pub(super) const PARALLEL_MIN_ROWS: usize = 1 << 14;

/// One thread's share of the output columns: rows `start..start + base.len()`.
struct Dest<'a, T> {
    start: usize,
    base: &'a mut [T],
    raw: &'a mut [T],
    bonus: &'a mut [T],
    total: &'a mut [T],
    lines: Vec<&'a mut [T]>,
    grade: Option<&'a mut [Option<usize>]>,
}

/// Score the columns (shapes already checked against `c`) column at a time; `None` when a cell
/// is one the row-wise kernel refuses or the card's bounds need more than 64 bits.
///
/// Large tables are split into contiguous ranges of whole blocks, one per available core
/// (scoped threads, no pool kept): each range writes its own disjoint part of the output
/// columns, so the result is the same, row for row, whatever the number of threads.
///
/// With `keep_lines` false, `bonus_raw` and the bonus lines are computed but not stored (left
/// empty), which halves the memory written for callers that need only totals.
pub(super) fn score<T: ScaledInt>(
    c: &Compiled,
    cols: &ScoreColumns<'_>,
    keep_lines: bool,
) -> Option<BatchScores<T>> {
    let f = Fast::new(c)?;
    let n = cols.vetoed.len();
    let kept = if keep_lines { n } else { 0 };
    let mut out = BatchScores {
        base: vec![T::default(); n],
        bonus_raw: vec![T::default(); kept],
        bonus: vec![T::default(); n],
        total: vec![T::default(); n],
        vetoed: cols.vetoed.to_vec(),
        grade: if f.grades.is_empty() {
            Vec::new()
        } else {
            vec![None; n]
        },
        lines: (0..c.rules()).map(|_| vec![T::default(); kept]).collect(),
    };
    let threads = if n < PARALLEL_MIN_ROWS {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(n / PARALLEL_MIN_ROWS)
            .max(1)
    };
    // Rows per thread, whole blocks: at least one block so `chunks_mut` never gets 0.
    let per = (n.div_ceil(threads).div_ceil(BLOCK) * BLOCK).max(BLOCK);
    let mut line_chunks: Vec<_> = out.lines.iter_mut().map(|l| l.chunks_mut(per)).collect();
    let mut raw_chunks = out.bonus_raw.chunks_mut(per);
    let mut grade_chunks = out.grade.chunks_mut(per);
    let mut dests = Vec::with_capacity(threads);
    for (k, ((base, bonus), total)) in out
        .base
        .chunks_mut(per)
        .zip(out.bonus.chunks_mut(per))
        .zip(out.total.chunks_mut(per))
        .enumerate()
    {
        // Without kept lines these iterators are empty: the thread gets empty slices.
        let lines: Vec<&mut [T]> = line_chunks
            .iter_mut()
            .map(|c| c.next().unwrap_or(&mut []))
            .collect();
        let raw = raw_chunks.next().unwrap_or(&mut []);
        let grade = grade_chunks.next();
        dests.push(Dest {
            start: k * per,
            base,
            raw,
            bonus,
            total,
            lines,
            grade,
        });
    }
    let ok = if dests.len() <= 1 {
        dests.into_iter().all(|d| fill(&f, cols, d))
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = dests
                .into_iter()
                .map(|d| s.spawn(|| fill(&f, cols, d)))
                .collect();
            // A thread that panicked (it cannot on checked shapes) counts as a refusal: the
            // caller then rescores row by row.
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or(false))
                .fold(true, |a, b| a & b)
        })
    };
    ok.then_some(out)
}

/// Score rows `d.start..d.start + d.base.len()` into `d`, block by block; `false` when a cell is
/// refused (or the shapes do not match the destination).
fn fill<T: ScaledInt>(f: &Fast, cols: &ScoreColumns<'_>, d: Dest<'_, T>) -> bool {
    let Dest {
        start: first,
        base: o_base,
        raw: o_raw,
        bonus: o_bonus,
        total: o_total,
        mut lines,
        mut grade,
    } = d;
    let end_all = first + o_base.len();
    if lines.len() != f.rules.len() {
        return false;
    }
    let (mut base, mut raw, mut line) = (
        Vec::<u64>::with_capacity(BLOCK),
        Vec::<u64>::with_capacity(BLOCK),
        Vec::<u64>::with_capacity(BLOCK),
    );
    let mut start = first;
    while start < end_all {
        let end = end_all.min(start + BLOCK);
        let m = end - start;
        let (lo, hi) = (start - first, end - first);
        let mut bad = false;

        base.clear();
        base.resize(m, 0);
        for (col, &max) in cols.items.iter().zip(&f.item_max) {
            let col = block(col, start, end);
            bad |= col.len() != m;
            for (acc, &v) in base.iter_mut().zip(col) {
                bad |= !in_range(v, max);
                *acc = acc.wrapping_add(v as u64);
            }
        }

        raw.clear();
        raw.resize(m, 0);
        for ((input, rule), dest) in cols.bonuses.iter().zip(&f.rules).zip(lines.iter_mut()) {
            line.clear();
            match (rule, input) {
                (
                    &FastRule::PerStep {
                        from,
                        step,
                        points,
                        most,
                        cap,
                    },
                    BonusColumn::Completion(v),
                ) => {
                    line.extend(block(v, start, end).iter().map(|&v| {
                        bad |= !in_range(v, i64::MAX as u64);
                        let steps = step.div((v as u64).saturating_sub(from)).min(most);
                        (steps * points).min(cap)
                    }));
                }
                (FastRule::PerCount { kinds, cap }, BonusColumn::Counts(counts)) => {
                    line.resize(m, 0);
                    for (&(w, most), col) in kinds.iter().zip(counts) {
                        for (acc, &k) in line.iter_mut().zip(block(col, start, end)) {
                            *acc += u64::from(k.min(most)) * w;
                        }
                    }
                    for l in &mut line {
                        *l = (*l).min(*cap);
                    }
                }
                (&FastRule::Discretionary { cap }, BonusColumn::Points(v)) => {
                    line.extend(block(v, start, end).iter().map(|&v| {
                        bad |= !in_range(v, cap);
                        (v as u64).min(cap) // = v on a valid cell; bounded on a refused one
                    }));
                }
                _ => return false, // shapes were checked: unreachable
            }
            bad |= line.len() != m;
            for (acc, &l) in raw.iter_mut().zip(&line) {
                *acc += l;
            }
            // l ≤ the line's cap ≤ Σ caps ≤ i64::MAX (checked in `Fast::new`): the cast is exact.
            for (o, &l) in block_mut(dest, lo, hi).iter_mut().zip(&line) {
                *o = T::from(l as i64);
            }
        }
        if bad {
            return false;
        }

        let cap = f.bonus_cap;
        let rows = block_mut(o_base, lo, hi)
            .iter_mut()
            .zip(block_mut(o_bonus, lo, hi))
            .zip(block_mut(o_total, lo, hi))
            .zip(base.iter().zip(&raw));
        // Every sum is within the card's bounds, checked in `Fast::new` to fit `i64`.
        for (((ob, obo), ot), (&b, &r)) in rows {
            *ob = T::from(b as i64);
            *obo = T::from(r.min(cap) as i64);
            *ot = T::from((b + r.min(cap)) as i64);
        }
        // Empty when the caller keeps no lines.
        for (or, &r) in block_mut(o_raw, lo, hi).iter_mut().zip(&raw) {
            *or = T::from(r as i64);
        }
        if let Some(grade) = grade.as_deref_mut() {
            let vetoed = block(cols.vetoed, start, end);
            let each = base.iter().zip(&raw).zip(vetoed);
            for (g, ((&b, &r), &veto)) in block_mut(grade, lo, hi).iter_mut().zip(each) {
                let total = b + r.min(cap);
                *g = if veto {
                    None
                } else {
                    f.grades.iter().find(|g| g.0 <= total).map(|g| g.1)
                };
            }
        }
        start = end;
    }
    true
}

/// `0 ≤ v ≤ max` in one unsigned comparison: a negative `v` becomes a huge `u128`.
#[inline]
fn in_range(v: i128, max: u64) -> bool {
    #[allow(clippy::cast_sign_loss)] // the point: negatives wrap to values above any `max`
    let v = v as u128;
    v <= u128::from(max)
}

fn block_mut<T>(col: &mut [T], start: usize, end: usize) -> &mut [T] {
    col.get_mut(start..end).unwrap_or(&mut [])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Divisor;

    proptest! {
        #[test]
        fn the_reciprocal_divides_exactly(x in 0..=i64::MAX as u64, d in 1u64..=100_000_000_000_000) {
            let div = Divisor::new(d).unwrap();
            prop_assert_eq!(div.div(x), x / d);
        }

        #[test]
        fn the_reciprocal_divides_exactly_near_multiples(q in 0u64..=1_000_000, d in 1u64..=100_000_000_000, off in 0u64..3) {
            let x = (q * d).saturating_add(off).saturating_sub(1);
            let div = Divisor::new(d).unwrap();
            prop_assert_eq!(div.div(x), x / d);
        }
    }

    #[test]
    fn the_reciprocal_divides_the_extremes() {
        for d in [1, 2, 3, 7, 10, 1 << 20, 10_000_000, 100_000_000_000_000] {
            let div = Divisor::new(d).unwrap();
            for x in [0, 1, d - 1, d, d + 1, i64::MAX as u64 - 1, i64::MAX as u64] {
                assert_eq!(div.div(x), x / d, "{x} / {d}");
            }
        }
        assert!(Divisor::new(0).is_none());
    }
}
