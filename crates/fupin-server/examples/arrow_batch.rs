//! The load benchmark's Arrow batch (`scripts/load`): writes a table of N units of card A as an
//! Arrow IPC stream, then times what `POST /v1/score/table` does with it — read the stream,
//! `fupin_arrow::score`, write the stream — in this process, without HTTP. Prints the median.
//!
//! `cargo run --release -p fupin-server --example arrow_batch -- 100000 /tmp/batch.arrow`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a bench tool

use std::io::Cursor;
use std::sync::Arc;
use std::time::Instant;

use arrow_array::types::Decimal128Type;
use arrow_array::{ArrayRef, BooleanArray, PrimitiveArray, RecordBatch, StringArray, UInt32Array};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use fupin_arrow::{Columns, ScoreOptions};

fn points(values: impl Iterator<Item = i128>, scale: i8) -> ArrayRef {
    Arc::new(
        values
            .collect::<PrimitiveArray<Decimal128Type>>()
            .with_precision_and_scale(18, scale)
            .unwrap(),
    )
}

fn table(n: usize) -> RecordBatch {
    let i = || (0..n).map(|i| i128::try_from(i).unwrap());
    RecordBatch::try_from_iter(vec![
        (
            "unit",
            Arc::new(StringArray::from_iter_values(
                (0..n).map(|i| format!("单位{i:06}")),
            )) as ArrayRef,
        ),
        // Points at 2 places, ratios at 4: what a finance office's table holds.
        (
            "annual_targets",
            points(i().map(|i| 6000 + (i * 37) % 2001), 2),
        ),
        (
            "daily_responsibility",
            points(i().map(|i| 1000 + (i * 13) % 1001), 2),
        ),
        (
            "over_completion",
            points(i().map(|i| 9000 + (i * 101) % 6001), 4),
        ),
        ("upward_funds", points(i().map(|i| (i * 7) % 1001), 2)),
        (
            "commendations.provincial",
            Arc::new(UInt32Array::from_iter_values(
                (0..n).map(|i| u32::try_from(i % 4).unwrap()),
            )) as ArrayRef,
        ),
        (
            "commendations.national",
            Arc::new(UInt32Array::from_iter_values(
                (0..n).map(|i| u32::try_from(i % 2).unwrap()),
            )) as ArrayRef,
        ),
        ("innovation", points(i().map(|i| (i * 3) % 301), 2)),
        (
            "vetoed",
            Arc::new(BooleanArray::from_iter((0..n).map(|i| Some(i % 97 == 0)))) as ArrayRef,
        ),
    ])
    .unwrap()
}

fn ipc(batch: &RecordBatch) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut w = StreamWriter::try_new(&mut buf, &batch.schema()).unwrap();
    w.write(batch).unwrap();
    w.finish().unwrap();
    drop(w);
    buf
}

/// What the endpoint does with a body, without HTTP.
fn serve_once(body: &[u8], card: &fupin::assessment::Scorecard) -> Vec<u8> {
    let reader = StreamReader::try_new(Cursor::new(body), None).unwrap();
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
    let out = fupin_arrow::score(
        &Columns::new(schema, batches),
        card,
        ScoreOptions::default(),
    )
    .unwrap();
    ipc(&out)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map_or(100_000, |a| a.parse().expect("a number of units"));
    let path = args.next().unwrap_or_else(|| "batch.arrow".to_owned());
    let body = ipc(&table(n));
    std::fs::write(&path, &body).unwrap();
    let policy = fupin::Policy::chaoyang_2020();
    let card = policy.assessment.card("a").unwrap();
    let out = serve_once(&body, card);
    let mut times: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(serve_once(std::hint::black_box(&body), card));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{n} units: body {:.1} MB, answer {:.1} MB; in-process read + score + write: median {:.1} ms (min {:.1})",
        body.len() as f64 / 1e6,
        out.len() as f64 / 1e6,
        times[times.len() / 2],
        times[0]
    );
}
