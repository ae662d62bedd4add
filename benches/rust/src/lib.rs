//! Benchmarks live in `benches/`; this library holds the inputs they share with the
//! measurements of README's Speed section.

use std::fmt::Write;

/// The seven county-level units of the embedded 2020 data.
pub const CHAOYANG_UNITS: [&str; 7] = [
    "朝阳县",
    "建平县",
    "喀左县",
    "北票市",
    "凌源市",
    "双塔区",
    "龙城区",
];

/// A 2020 ledger in CSV with at least `lines` rows (header aside): the seven Chaoyang units ×
/// 12 months × as many projects as it takes, each project allocated 1,200,000 元 in January
/// and spending 60,000.25 元 a month (so no unit ever spends more than it was allocated).
/// One million rows is about 47 MB.
#[must_use]
pub fn ledger_csv(lines: usize) -> String {
    let projects = lines.div_ceil(12 * CHAOYANG_UNITS.len());
    let mut csv = String::with_capacity(lines * 48 + 64);
    csv.push_str("month,county,project,allocated,spent\n");
    for m in 1..=12 {
        for u in CHAOYANG_UNITS {
            for p in 0..projects {
                let allocated = if m == 1 { "1200000" } else { "0" };
                let _ = writeln!(csv, "2020-{m:02},{u},项目{p},{allocated},60000.25");
            }
        }
    }
    csv
}
