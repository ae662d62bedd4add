//! How fast the funds report and the per-county assessment run.
//!
//! `cargo bench -p fupin-benches --bench report`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fupin::data::{CountyInput, PlanData};
use fupin::money::Amount;
use fupin::policy::{Policy, UnitKind};

fn many_counties(n: usize) -> Vec<CountyInput> {
    (0..n)
        .map(|i| {
            let i = i64::try_from(i).unwrap_or(0);
            CountyInput {
                name: format!("县{i}"),
                kind: if i % 3 == 0 {
                    UnitKind::District
                } else {
                    UnitKind::County
                },
                last_year: Amount::yuan(15_000_000 + i * 1_013),
                this_year: Amount::yuan(20_000_000 + i * 997),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let policy = Policy::chaoyang_2020();
    let data = PlanData::chaoyang_2020();
    c.bench_function("report/embedded_2020", |b| {
        b.iter(|| fupin::report::report(black_box(&policy), black_box(&data)))
    });

    let counties = many_counties(10_000);
    let mut g = c.benchmark_group("assess_county");
    g.throughput(Throughput::Elements(counties.len() as u64));
    g.bench_function("10k_units", |b| {
        b.iter(|| {
            counties
                .iter()
                .map(|c| fupin::funds::assess_county(&policy.funds, black_box(c)))
                .filter(|r| r.as_ref().is_ok_and(|r| r.adjustment_owed.is_zero()))
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
