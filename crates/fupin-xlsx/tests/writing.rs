//! Writing workbooks: read back with calamine, the bulletin, the report and the scores hold
//! the figures the rules computed — as numbers with their formats, units behind in red, the
//! checks and their clauses on the second sheet.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use fupin::spending::{Ledger, Schedule, bulletin};
use fupin::{Lang, Policy};
use fupin_xlsx::{number_decimal, write};

use crate::{example, units};

fn june() -> fupin::spending::Bulletin {
    let csv = std::fs::read_to_string(example("ledger_2020.csv")).unwrap();
    let ledger = Ledger::from_csv(&csv, 2020, &units()).unwrap();
    let schedule =
        Schedule::from_toml(&std::fs::read_to_string(example("schedule_example.toml")).unwrap())
            .unwrap();
    bulletin::bulletin(&ledger, "2020-06".parse().unwrap(), Some(&schedule)).unwrap()
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => number_decimal(*f).unwrap().to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// The row (0-based) whose column B (or A) holds `name`.
fn row_of(range: &calamine::Range<Data>, name: &str) -> u32 {
    (0..range.height() as u32)
        .find(|&r| {
            [0, 1]
                .iter()
                .any(|&c| range.get_value((r, c)).is_some_and(|d| text(d) == name))
        })
        .unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn the_bulletin_reads_back_with_numbers_formats_and_red_rows() {
    let b = june();
    let bytes = write::bulletin(&b, &Policy::chaoyang_2020(), Lang::Zh).unwrap();
    let mut x = open(bytes);
    assert_eq!(x.sheet_names(), ["月通报", "检查与条款"]);
    let range = x.worksheet_range("月通报").unwrap();
    let title = text(range.get_value((0, 0)).unwrap());
    assert!(
        title.contains("2020年6月") && title.contains("朝财农〔2020〕67号"),
        "{title}"
    );
    // The header row, then seven ranked rows and the city total.
    let header: Vec<String> = (0..10)
        .map(|c| text(range.get_value((4, c)).unwrap()))
        .collect();
    assert_eq!(header[1], "县(市)区");
    assert_eq!(header[2], "累计下达\n（万元）");
    let order: Vec<String> = (5..12)
        .map(|r| text(range.get_value((r, 1)).unwrap()))
        .collect();
    assert_eq!(
        order,
        [
            "双塔区",
            "朝阳县",
            "喀左县",
            "凌源市",
            "建平县",
            "北票市",
            "龙城区"
        ]
    );
    // Numbers are numbers: 建平县 11,000 万元 allocated, 5,280 spent, 48 %, 220 万元 to catch up.
    let r = row_of(&range, "建平县");
    assert_eq!(range.get_value((r, 0)), Some(&Data::Float(5.0)));
    assert_eq!(range.get_value((r, 2)), Some(&Data::Float(11_000.0)));
    assert_eq!(range.get_value((r, 3)), Some(&Data::Float(5_280.0)));
    assert_eq!(text(range.get_value((r, 4)).unwrap()), "0.48");
    assert_eq!(range.get_value((r, 8)), Some(&Data::Float(220.0)));
    let city = row_of(&range, "全市合计");
    assert_eq!(range.get_value((city, 2)), Some(&Data::Float(57_000.0)));
    // Every amount written reads back as the bulletin's amount, to the fen.
    for (row, bulletin_row) in (5_u32..).zip(&b.rows) {
        for (col, a) in [
            (2, bulletin_row.figures.allocated),
            (3, bulletin_row.figures.spent),
        ] {
            assert_eq!(
                text(range.get_value((row, col)).unwrap()),
                a.in_units(fupin::money::Unit::Wan).normalize().to_string()
            );
        }
    }
    // Formats and colours: 万元 with two decimals, percentages, the units behind in red.
    let styles = x.worksheet_style("月通报").unwrap();
    let format = |r: u32, c: u32| {
        styles
            .get((r, c))
            .and_then(|s| s.number_format.clone())
            .map(|f| f.format_code)
    };
    assert_eq!(format(r, 2).as_deref(), Some("#,##0.00"));
    assert_eq!(format(r, 4).as_deref(), Some("0.00%"));
    let red = |row: u32| {
        styles
            .get((row, 1))
            .and_then(|s| s.font.as_ref())
            .and_then(|f| f.color)
            .is_some_and(|c| c.red == 0xC0 && c.green == 0 && c.blue == 0)
    };
    let behind: Vec<String> = (5..12)
        .filter(|&row| red(row))
        .map(|row| text(range.get_value((row, 1)).unwrap()))
        .collect();
    assert_eq!(behind, ["建平县", "北票市", "龙城区"]);
    // The checks: one G4 check per unit and the city, failed ones with the clause.
    let checks = x.worksheet_range("检查与条款").unwrap();
    let rows: Vec<(String, String, String)> = (0..checks.height() as u32)
        .filter(|&r| text(checks.get_value((r, 1)).unwrap_or(&Data::Empty)) == "G4")
        .map(|r| {
            (
                text(checks.get_value((r, 0)).unwrap()),
                text(checks.get_value((r, 2)).unwrap()),
                text(checks.get_value((r, 4)).unwrap()),
            )
        })
        .collect();
    assert_eq!(rows.len(), 8, "{rows:?}");
    assert!(rows.contains(&("✗ 未通过".into(), "二(四)".into(), "龙城区".into())));
}

#[test]
fn the_bulletin_speaks_english_too() {
    let bytes = write::bulletin(&june(), &Policy::chaoyang_2020(), Lang::En).unwrap();
    let mut x = open(bytes);
    assert_eq!(x.sheet_names(), ["Bulletin", "Checks and clauses"]);
    let range = x.worksheet_range("Bulletin").unwrap();
    assert!(
        text(range.get_value((0, 0)).unwrap()).starts_with("Spending progress bulletin, 2020-06")
    );
    let footer: Vec<String> = (0..range.height() as u32)
        .filter_map(|r| range.get_value((r, 0)).map(text))
        .collect();
    assert!(
        footer
            .iter()
            .any(|l| l == "Behind schedule (3): 建平县, 北票市, 龙城区."),
        "{footer:?}"
    );
}

#[test]
fn the_report_has_the_county_table_and_every_check_with_its_plan_text() {
    let policy = Policy::chaoyang_2020();
    let r = fupin::report::report(&policy, &fupin::data::PlanData::chaoyang_2020()).unwrap();
    let mut x = open(write::report(&r, Lang::Zh).unwrap());
    assert_eq!(
        x.sheet_names(),
        ["县(市)区投入", "检查与条款", "市本级与整合"]
    );
    let counties = x.worksheet_range("县(市)区投入").unwrap();
    let k = row_of(&counties, "喀左县");
    assert_eq!(
        counties.get_value((k, 0)),
        Some(&Data::String("喀左县".into()))
    );
    assert_eq!(counties.get_value((k, 4)), Some(&Data::Float(2_300.0)));
    assert_eq!(counties.get_value((k, 7)), Some(&Data::Float(200.0)));
    let checks = x.worksheet_range("检查与条款").unwrap();
    let with_text = (0..checks.height() as u32)
        .filter(|&row| {
            checks
                .get_value((row, 9))
                .is_some_and(|d| text(d).contains("增长"))
        })
        .count();
    assert!(
        with_text >= 2,
        "the plan's sentences are on the checks sheet"
    );
    let failed = (0..checks.height() as u32)
        .filter(|&row| text(checks.get_value((row, 0)).unwrap_or(&Data::Empty)) == "✗ 未通过")
        .count();
    assert_eq!(failed, r.failures().count());
}

#[test]
fn scores_list_the_ranking_and_every_line() {
    let policy = Policy::chaoyang_2020();
    let card = policy.assessment.card("a").unwrap();
    let json = std::fs::read_to_string(example("score_a.json")).unwrap();
    let inputs = fupin::assessment::ScoreInput::many_from_json(&json).unwrap();
    let reports: Vec<_> = inputs
        .iter()
        .map(|i| fupin::assessment::score(card, i).unwrap())
        .collect();
    let ranking = fupin::assessment::rank(&reports).unwrap();
    let bytes = write::scores(
        &reports,
        &ranking,
        &[],
        "朝财农〔2020〕67号",
        2020,
        Lang::Zh,
    )
    .unwrap();
    let mut x = open(bytes);
    let range = x.worksheet_range("排名").unwrap();
    let r = row_of(&range, "示例科室丙 (illustrative, vetoed)");
    assert!(text(range.get_value((r, 5)).unwrap()).starts_with("否决"));
    let details = x.worksheet_range("评分明细").unwrap();
    let lines = (0..details.height() as u32)
        .filter(|&row| text(details.get_value((row, 2)).unwrap_or(&Data::Empty)) == "经验表彰")
        .count();
    assert_eq!(lines, 3, "one commendations line per unit");
}
