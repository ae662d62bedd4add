//! Scoring throughput: one explained report per unit (`score`) against columnar batch scoring
//! (`score_batch`, no text built), in cards per second, on the plan's scorecard A.
//!
//! Run: `cargo bench -p fupin-benches --bench scoring` (add `-- --quick` for a short run).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fupin::Policy;
use fupin::assessment::{BonusInput, Points, ScoreInput, Veto, score, score_batch};
use fupin::money::Ratio;
use rust_decimal::Decimal;

/// `n` varied inputs for card A: half points, completions 90 %–190 %, commendations, vetoes.
fn inputs(n: usize) -> Vec<ScoreInput> {
    (0..n)
        .map(|i| {
            let k = i64::try_from(i).unwrap_or(0);
            let mut s = ScoreInput::new(format!("unit {i}"));
            s.items.insert(
                "annual_targets".into(),
                Points::new(Decimal::new(k % 161, 0) / Decimal::TWO),
            );
            s.items.insert(
                "daily_responsibility".into(),
                Points::new(Decimal::new(k % 41, 0) / Decimal::TWO),
            );
            s.bonuses.insert(
                "over_completion".into(),
                BonusInput::Completion(Ratio::percent(90 + k % 101)),
            );
            s.bonuses.insert(
                "commendations".into(),
                BonusInput::Counts(
                    [
                        ("provincial".into(), u32::try_from(k % 5).unwrap_or(0)),
                        ("national".into(), u32::try_from(k % 2).unwrap_or(0)),
                    ]
                    .into(),
                ),
            );
            s.bonuses.insert(
                "upward_funds".into(),
                BonusInput::Points(Points::new(Decimal::new(k % 21, 0) / Decimal::TWO)),
            );
            s.bonuses
                .insert("innovation".into(), BonusInput::Points(Points::from(k % 4)));
            if i % 50 == 0 {
                s.veto = Some(Veto {
                    reason: "benchmark".into(),
                });
            }
            s
        })
        .collect()
}

fn scoring(c: &mut Criterion) {
    let policy = Policy::chaoyang_2020();
    let Some(card) = policy.assessment.card("a") else {
        return;
    };
    let mut g = c.benchmark_group("score_card_a");
    for n in [1_000_usize, 10_000] {
        let units = inputs(n);
        g.throughput(Throughput::Elements(u64::try_from(n).unwrap_or(0)));
        g.bench_with_input(BenchmarkId::new("single", n), &units, |b, units| {
            b.iter(|| {
                for u in units {
                    let _ = black_box(score(card, black_box(u)));
                }
            });
        });
        g.bench_with_input(BenchmarkId::new("batch", n), &units, |b, units| {
            b.iter(|| black_box(score_batch(card, black_box(units))));
        });
    }
    g.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
