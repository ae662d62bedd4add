//! How fast a ledger is read and a monthly bulletin is made.
//!
//! `cargo bench -p fupin-benches --bench spending`

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fupin::spending::{Ledger, Schedule, bulletin};

const UNITS: usize = 100;
const PROJECTS: usize = 10;

fn units() -> Vec<String> {
    (0..UNITS).map(|i| format!("县{i}")).collect()
}

/// 100 units × 10 projects × 12 months = 12,000 rows.
fn big_csv() -> String {
    let mut csv = String::from("month,county,project,allocated,spent\n");
    for m in 1..=12 {
        for u in 0..UNITS {
            for p in 0..PROJECTS {
                let allocated = if m % 3 == 1 { 1_000_000 + u * 7 + p } else { 0 };
                let spent = 60_000 + (u * 13 + p * 17 + m * 5) % 10_000;
                let _ = writeln!(csv, "2020-{m:02},县{u},项目{p},{allocated},{spent}.25");
            }
        }
    }
    csv
}

fn bench(c: &mut Criterion) {
    let csv = big_csv();
    let units = units();
    let rows = (UNITS * PROJECTS * 12) as u64;
    let mut g = c.benchmark_group("ledger");
    g.throughput(Throughput::Elements(rows));
    g.bench_function("from_csv/12k_rows", |b| {
        b.iter(|| Ledger::from_csv(black_box(&csv), 2020, &units))
    });
    g.finish();

    let Ok(ledger) = Ledger::from_csv(&csv, 2020, &units) else {
        return;
    };
    let Ok(schedule) =
        Schedule::from_toml("name = \"b\"\n[[points]]\nby = \"2020-06-30\"\nrequired = \"50%\"\n")
    else {
        return;
    };
    let Ok(june) = "2020-06".parse() else {
        return;
    };
    let mut g = c.benchmark_group("bulletin");
    g.throughput(Throughput::Elements(rows));
    g.bench_function("100_units_12k_rows", |b| {
        b.iter(|| bulletin::bulletin(black_box(&ledger), june, Some(&schedule)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
