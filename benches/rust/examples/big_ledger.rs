//! Write the benchmarks' ledger of N rows (default 1,000,000) as CSV to standard output, to
//! measure `fupin spending bulletin` on it (README, Speed):
//!
//! `cargo run --release -p fupin-benches --example big_ledger -- 1000000 > /tmp/ledger_1m.csv`

use std::io::Write;

fn main() -> std::io::Result<()> {
    let lines = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    std::io::stdout()
        .lock()
        .write_all(fupin_benches::ledger_csv(lines).as_bytes())
}
