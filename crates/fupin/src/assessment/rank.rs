//! Ranking units by their scores (the results feed the "five batches" rewards and penalties).

use std::cmp::Ordering;

use super::{Points, RankEntry, ScoreError, ScoreReport};

/// Rank units on one card by total, highest first.
///
/// Each card is ranked on its own (考核方式: 各考核项目单独进行考核): reports of different cards
/// are refused, as are two reports of one unit or a unit without a name.
///
/// Competition ranking: units with equal totals share a rank and the next rank skips (1, 1, 3).
/// Vetoed units come after every other unit and all share the rank after the last of them — a
/// veto fails a unit whatever its points, so points do not order the failed; they are listed by
/// total for the reader. Ties are listed by unit name, then input order, so the order is
/// deterministic.
///
/// # Example
/// ```
/// use fupin::assessment::{rank, score, Points, ScoreInput, Veto};
/// let policy = fupin::Policy::chaoyang_2020();
/// let b = policy.assessment.card("b").unwrap();
/// let unit = |name: &str, less: i64, veto: bool| {
///     let mut s = ScoreInput::new(name);
///     for (_, it) in b.items() { s.items.insert(it.id.clone(), it.max); }
///     s.items.insert("overall_effect".into(), Points::from(30 - less));
///     if veto { s.veto = Some(Veto { reason: "问题严重".into() }); }
///     score(b, &s).unwrap()
/// };
/// let reports = [unit("甲", 5, false), unit("乙", 0, true), unit("丙", 0, false), unit("丁", 5, false)];
/// let ranks: Vec<(usize, usize)> = rank(&reports)?.iter().map(|e| (e.index, e.rank)).collect();
/// assert_eq!(ranks, [(2, 1), (3, 2), (0, 2), (1, 4)]); // 丁 and 甲 tie; 乙 is vetoed
/// # Ok::<(), fupin::assessment::ScoreError>(())
/// ```
///
/// # Errors
/// [`ScoreError::MixedCards`] when the reports are of more than one card;
/// [`ScoreError::DuplicateUnit`] or [`ScoreError::EmptyUnit`] for a unit named twice or not at
/// all.
pub fn rank(reports: &[ScoreReport]) -> Result<Vec<RankEntry>, ScoreError> {
    let mut names = std::collections::HashSet::with_capacity(reports.len());
    for r in reports {
        if let Some(first) = reports.first()
            && r.card != first.card
        {
            return Err(ScoreError::MixedCards {
                card: first.card.clone(),
                other: r.card.clone(),
                unit: r.unit.clone(),
            });
        }
        if r.unit.trim().is_empty() {
            return Err(ScoreError::EmptyUnit);
        }
        if !names.insert(crate::name_key(&r.unit)) {
            return Err(ScoreError::DuplicateUnit {
                unit: r.unit.clone(),
            });
        }
    }
    Ok(rank_by(
        reports.len(),
        |i| {
            reports
                .get(i)
                .map_or((true, Points::ZERO), |r| (r.failed(), r.total))
        },
        |a, b| {
            let name = |i: usize| reports.get(i).map(|r| r.unit.as_str());
            name(a).cmp(&name(b)).then(a.cmp(&b))
        },
    ))
}

/// Rank `n` units given each one's (vetoed, total) and an order for ties.
pub(crate) fn rank_by(
    n: usize,
    key: impl Fn(usize) -> (bool, Points),
    tie: impl Fn(usize, usize) -> Ordering,
) -> Vec<RankEntry> {
    let keys: Vec<(bool, Points)> = (0..n).map(&key).collect();
    let k = |i: usize| keys.get(i).copied().unwrap_or((true, Points::ZERO));
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        let ((va, ta), (vb, tb)) = (k(a), k(b));
        va.cmp(&vb).then(tb.cmp(&ta)).then_with(|| tie(a, b))
    });
    let scored = keys.iter().filter(|(v, _)| !v).count();
    let mut out: Vec<RankEntry> = Vec::with_capacity(n);
    for (pos, &i) in order.iter().enumerate() {
        let (vetoed, total) = k(i);
        let rank = if vetoed {
            scored + 1
        } else {
            match out.last() {
                Some(prev) if prev.total == total => prev.rank,
                _ => pos + 1,
            }
        };
        out.push(RankEntry {
            index: i,
            rank,
            total,
            vetoed,
        });
    }
    out
}

/// A table of a ranking: rank, unit, total, and whether the unit is vetoed.
#[must_use]
pub fn ranking_table(
    reports: &[ScoreReport],
    ranking: &[RankEntry],
    lang: crate::money::Lang,
) -> crate::render::Table {
    use crate::money::Lang;
    use crate::render::{Align, Table};
    let tr = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let mut t = Table::new(vec![
        (tr("名次", "rank"), Align::Right),
        (tr("单位", "unit"), Align::Left),
        (tr("总分", "total"), Align::Right),
        (tr("结果", "outcome"), Align::Left),
    ]);
    for e in ranking {
        t.row(vec![
            e.rank.to_string(),
            reports
                .get(e.index)
                .map(|r| r.unit.clone())
                .unwrap_or_default(),
            e.total.to_string(),
            if e.vetoed {
                tr("一票否决", "vetoed")
            } else {
                ""
            }
            .to_owned(),
        ]);
    }
    t
}
