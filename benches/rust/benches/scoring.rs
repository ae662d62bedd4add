//! Scoring throughput: one explained report per unit (`score`) against batch scoring
//! (`score_batch`, no text built) and scoring scaled-integer columns (`score_columns`, the Arrow
//! path), in cards per second, on the plan's scorecard A.
//!
//! Run: `cargo bench -p fupin-benches --bench scoring` (add
//! `-- --warm-up-time 1 --measurement-time 3` for a short run).
//!
//! `score_columns/1M` writes ~64 MB of fresh output columns (eight `i64` columns: base, raw and
//! capped bonus, total, one per bonus line) per iteration; glibc gives that memory back to the kernel on free,
//! so much of the time is first-touch page faults. To see the scoring alone, keep the memory
//! in the process: `GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4294967295:glibc.malloc.trim_threshold=4294967295`
//! in front of the bench binary.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fupin::Policy;
use fupin::assessment::{
    BonusColumn, BonusInput, Points, ScoreColumns, ScoreInput, Veto, score, score_batch,
    score_columns,
};
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

/// Card-A input columns of `n` random units, scaled as Arrow `decimal128` holds them.
struct CardAColumns {
    annual: Vec<i128>,
    daily: Vec<i128>,
    completion: Vec<i128>,
    upward: Vec<i128>,
    provincial: Vec<u32>,
    national: Vec<u32>,
    innovation: Vec<i128>,
    vetoed: Vec<bool>,
}

/// splitmix64: a fixed, seeded stream, so every run scores the same rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..=hi` (the modulo bias is irrelevant here).
    fn upto(&mut self, hi: u64) -> u64 {
        self.next() % (hi + 1)
    }
}

/// `n` random card-A rows: points in 0.5 steps, completions 0.00–2.00 with two decimals, 0–4
/// commendations of each kind, discretionary bonuses in 0.5 steps within their caps, 2 % vetoed.
fn card_a_columns(n: usize) -> CardAColumns {
    let mut rng = Rng(2020);
    let halves = |hi: u64, rng: &mut Rng| i128::from(rng.upto(hi)) * 5_000; // × 10⁴
    let mut c = CardAColumns {
        annual: Vec::with_capacity(n),
        daily: Vec::with_capacity(n),
        completion: Vec::with_capacity(n),
        upward: Vec::with_capacity(n),
        provincial: Vec::with_capacity(n),
        national: Vec::with_capacity(n),
        innovation: Vec::with_capacity(n),
        vetoed: Vec::with_capacity(n),
    };
    for _ in 0..n {
        c.annual.push(halves(160, &mut rng));
        c.daily.push(halves(40, &mut rng));
        c.completion.push(i128::from(rng.upto(200)) * 1_000_000); // hundredths × 10⁸
        c.upward.push(halves(20, &mut rng));
        c.provincial.push(u32::try_from(rng.upto(4)).unwrap_or(0));
        c.national.push(u32::try_from(rng.upto(4)).unwrap_or(0));
        c.innovation.push(halves(6, &mut rng));
        c.vetoed.push(rng.upto(49) == 0);
    }
    c
}

fn columns(c: &mut Criterion) {
    let policy = Policy::chaoyang_2020();
    let Some(card) = policy.assessment.card("a") else {
        return;
    };
    let n = 1_000_000_usize;
    let data = card_a_columns(n);
    let cols = ScoreColumns {
        items: vec![&data.annual, &data.daily],
        bonuses: vec![
            BonusColumn::Completion(&data.completion),
            BonusColumn::Points(&data.upward),
            BonusColumn::Counts(vec![&data.provincial, &data.national]),
            BonusColumn::Points(&data.innovation),
        ],
        vetoed: &data.vetoed,
    };
    let mut g = c.benchmark_group("score_columns");
    g.sample_size(10);
    g.throughput(Throughput::Elements(u64::try_from(n).unwrap_or(0)));
    g.bench_function("1M", |b| {
        b.iter(|| black_box(score_columns(card, black_box(&cols))));
    });
    // Ranking the scored table, as `fupin.score_table` does for its `rank` column.
    if let Ok(scores) = score_columns(card, &cols) {
        g.bench_function("1M rank", |b| {
            b.iter(|| black_box(black_box(&scores).rank()));
        });
        g.bench_function("1M rank_column", |b| {
            b.iter(|| black_box(black_box(&scores).rank_column()));
        });
    }
    g.finish();
}

criterion_group!(benches, scoring, columns);
criterion_main!(benches);
