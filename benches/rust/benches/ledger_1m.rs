//! A million-row ledger through the streaming reader to the December bulletin (issue #10:
//! ≤ 2 s in a release build): `LedgerTotals::from_csv` keeps only each unit's monthly totals.
//!
//! `cargo bench -p fupin-benches --bench ledger_1m`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fupin::spending::{LedgerTotals, bulletin};

const ROWS: usize = 1_000_000;

fn bench(c: &mut Criterion) {
    let csv = fupin_benches::ledger_csv(ROWS);
    let units: Vec<String> = fupin_benches::CHAOYANG_UNITS
        .iter()
        .map(|u| (*u).to_owned())
        .collect();
    let Ok(december) = "2020-12".parse() else {
        return;
    };
    let rows = csv.lines().count() as u64 - 1;
    let mut g = c.benchmark_group("ledger_1m");
    g.throughput(Throughput::Elements(rows));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function("csv_bulletin", |b| {
        b.iter(|| {
            LedgerTotals::from_csv(black_box(&csv), 2020, &units)
                .and_then(|t| bulletin::bulletin(&t, december, None))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
