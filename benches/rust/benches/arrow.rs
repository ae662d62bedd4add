//! The Arrow path of `fupin.score_table`: `fupin_arrow::score` on a table laid out as the Python
//! bench builds it (`benches/python/bench_calls.py`: points `decimal128(18, 4)`, completions
//! `decimal128(18, 8)`, counts `uint32`, a `vetoed` bool column), totals only against every
//! capped bonus line and the ranking (issue 15's target: full ≤ 2 × totals).
//!
//! Run: `cargo bench -p fupin-benches --bench arrow` (add
//! `-- --warm-up-time 1 --measurement-time 3` for a short run).

use std::hint::black_box;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Decimal128Array, RecordBatch, UInt32Array};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fupin::Policy;
use fupin_arrow::{Columns, PointsType, ScoreOptions, score};

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

/// `n` random card-A rows, as `bench_calls.py`'s `table`.
fn table(n: usize) -> RecordBatch {
    let mut rng = Rng(2020);
    let mut dec = |hi: u64, unit: i128, scale: i8| -> ArrayRef {
        let v: Vec<i128> = (0..n).map(|_| i128::from(rng.upto(hi)) * unit).collect();
        Arc::new(
            Decimal128Array::from(v)
                .with_precision_and_scale(18, scale)
                .unwrap_or_else(|_| Decimal128Array::from(Vec::<i128>::new())),
        )
    };
    let annual = dec(160, 5_000, 4);
    let daily = dec(40, 5_000, 4);
    let completion = dec(250, 1_000_000, 8);
    let upward = dec(20, 5_000, 4);
    let innovation = dec(6, 5_000, 4);
    let mut counts = || -> ArrayRef {
        Arc::new(UInt32Array::from_iter_values(
            (0..n).map(|_| u32::try_from(rng.upto(4)).unwrap_or(0)),
        ))
    };
    let provincial = counts();
    let national = counts();
    let vetoed: ArrayRef = Arc::new(BooleanArray::from_iter(
        (0..n).map(|_| Some(rng.upto(49) == 0)),
    ));
    RecordBatch::try_from_iter([
        ("annual_targets", annual),
        ("daily_responsibility", daily),
        ("over_completion", completion),
        ("upward_funds", upward),
        ("commendations.provincial", provincial),
        ("commendations.national", national),
        ("innovation", innovation),
        ("vetoed", vetoed),
    ])
    .unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(arrow_schema::Schema::empty())))
}

fn arrow(c: &mut Criterion) {
    let policy = Policy::chaoyang_2020();
    let Some(card) = policy.assessment.card("a") else {
        return;
    };
    let n = 200_000_usize;
    let cols = Columns::from_batch(table(n));
    let mut g = c.benchmark_group("score_table");
    g.sample_size(20);
    g.throughput(Throughput::Elements(u64::try_from(n).unwrap_or(0)));
    let runs = [
        ("200k totals", false, false),
        ("200k lines", true, false),
        ("200k rank", false, true),
        ("200k lines+rank", true, true),
    ];
    for (name, lines, rank) in runs {
        let options = ScoreOptions {
            lines,
            rank,
            points: PointsType::Decimal128,
        };
        g.bench_function(name, |b| {
            b.iter(|| black_box(score(black_box(&cols), card, options)));
        });
    }
    g.finish();
}

criterion_group!(benches, arrow);
criterion_main!(benches);
