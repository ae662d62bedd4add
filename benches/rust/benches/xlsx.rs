//! Reading a ledger from a workbook against the same rows as CSV (issue #14: an `.xlsx` ledger
//! of 100,000 rows is read in at most three times the time of its CSV).
//!
//! `cargo bench -p fupin-benches --bench xlsx`

use std::fmt::Write;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fupin::spending::Ledger;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const UNITS: usize = 100;
const PROJECTS: usize = 84;
/// 100 units × 84 projects × 12 months = 100,800 rows.
const ROWS: usize = UNITS * PROJECTS * 12;

fn units() -> Vec<String> {
    (0..UNITS).map(|i| format!("县{i}")).collect()
}

/// One row's figures, in 万元 with up to four decimals (to the yuan), as an officer keeps them.
fn figures(m: usize, u: usize, p: usize) -> (String, String) {
    let allocated = if m % 3 == 1 { 100 + u * 7 + p } else { 0 };
    let spent = (u * 13 + p * 17 + m * 5) % 10_000;
    (
        format!("{allocated}.5"),
        format!("{}.{:04}", spent / 10, spent),
    )
}

/// The rows as CSV, amounts with their unit (`1234.5万元`).
fn csv() -> String {
    let mut csv = String::from("month,county,project,allocated,spent\n");
    for m in 1..=12 {
        for u in 0..UNITS {
            for p in 0..PROJECTS {
                let (a, s) = figures(m, u, p);
                let _ = writeln!(csv, "2020-{m:02},县{u},项目{p},{a}万元,{s}万元");
            }
        }
    }
    csv
}

/// The same rows as a workbook: months as date cells, amounts as numbers under `（万元）`.
fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let month = Format::new().set_num_format("yyyy-mm");
    let headers = ["月份", "县(市)区", "项目", "下达（万元）", "支出（万元）"];
    for (col, h) in (0_u16..).zip(headers) {
        let _ = ws.write_string(0, col, h);
    }
    let mut row = 1_u32;
    for m in 1..=12_u8 {
        let Ok(date) = ExcelDateTime::from_ymd(2020, m, 1) else {
            continue;
        };
        for u in 0..UNITS {
            for p in 0..PROJECTS {
                let (a, s) = figures(usize::from(m), u, p);
                let _ = ws.write_datetime_with_format(row, 0, &date, &month);
                let _ = ws.write_string(row, 1, format!("县{u}"));
                let _ = ws.write_string(row, 2, format!("项目{p}"));
                let _ = ws.write_number(row, 3, a.parse::<f64>().unwrap_or(0.0));
                let _ = ws.write_number(row, 4, s.parse::<f64>().unwrap_or(0.0));
                row += 1;
            }
        }
    }
    book.save_to_buffer().unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let (csv, xlsx, units) = (csv(), xlsx(), units());
    // Both give the same ledger, to the fen.
    let from_csv = Ledger::from_csv(&csv, 2020, &units).ok();
    let from_xlsx = fupin_xlsx::ledger_from_bytes(&xlsx, 2020, &units).ok();
    assert!(
        from_csv.is_some() && from_csv == from_xlsx,
        "the two readings differ"
    );
    let mut g = c.benchmark_group("ledger_100k");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("csv", |b| {
        b.iter(|| Ledger::from_csv(black_box(&csv), 2020, &units))
    });
    g.bench_function("xlsx", |b| {
        b.iter(|| fupin_xlsx::ledger_from_bytes(black_box(&xlsx), 2020, &units))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
