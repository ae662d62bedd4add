//! Reading workbooks: the examples give what the CSV and JSON give; numbers lose no digit; every
//! bad cell is named by sheet, cell and value.

use fupin::spending::Ledger;
use fupin_xlsx::{Error, Workbook, ledger_from_bytes, read_counties, read_scores};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Writer};

use crate::{example, units};

fn ledger_of(bytes: &[u8]) -> Result<Ledger, Error> {
    ledger_from_bytes(bytes, 2020, &units())
}

#[test]
fn the_example_ledger_reads_as_the_csv() {
    let xlsx = ledger_of(&std::fs::read(example("ledger_2020.xlsx")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(example("ledger_2020.csv")).unwrap();
    assert_eq!(xlsx, Ledger::from_csv(&csv, 2020, &units()).unwrap());
}

#[test]
fn the_example_counties_read_as_the_embedded_data() {
    let bytes = std::fs::read(example("counties_2020.xlsx")).unwrap();
    let counties = read_counties(&Workbook::from_bytes("county figures", &bytes).unwrap()).unwrap();
    assert_eq!(counties, fupin::data::PlanData::chaoyang_2020().counties);
}

#[test]
fn the_example_scores_read_as_the_json() {
    let policy = fupin::Policy::chaoyang_2020();
    let card = policy.assessment.card("a").unwrap();
    let bytes = std::fs::read(example("score_a.xlsx")).unwrap();
    let sheet = read_scores(&Workbook::from_bytes("scores", &bytes).unwrap(), card).unwrap();
    let json = std::fs::read_to_string(example("score_a.json")).unwrap();
    assert_eq!(
        sheet.inputs,
        fupin::assessment::ScoreInput::many_from_json(&json).unwrap()
    );
    assert_eq!(sheet.place(1, Some("daily_responsibility")), "评分!C4");
    assert_eq!(sheet.place(2, None), "评分!5:5");
}

/// A ledger sheet built cell by cell: `rows` of (month, county, allocated, spent) cells.
enum C {
    S(&'static str),
    N(f64),
    Month(u16, u8, u8),
}

fn sheet(headers: &[&str], rows: &[Vec<C>]) -> Vec<u8> {
    let mut b = Writer::new();
    let ws = b.add_worksheet();
    ws.set_name("台账").unwrap();
    ws.write_string(0, 0, "某月台账").unwrap();
    for (col, h) in (0_u16..).zip(headers) {
        ws.write_string(2, col, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm");
    for (row, cells) in (3_u32..).zip(rows) {
        for (col, c) in (0_u16..).zip(cells) {
            match c {
                C::S(s) => {
                    ws.write_string(row, col, *s).unwrap();
                }
                C::N(f) => {
                    ws.write_number(row, col, *f).unwrap();
                }
                C::Month(y, m, d) => {
                    ws.write_datetime_with_format(
                        row,
                        col,
                        ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                        &date,
                    )
                    .unwrap();
                }
            }
        }
    }
    b.save_to_buffer().unwrap()
}

#[test]
fn numbers_read_as_excel_shows_them_and_text_keeps_its_unit() {
    let bytes = sheet(
        &["月份", "县(市)区", "累计下达", "支出（万元）"],
        &[
            vec![
                C::S("2020-01"),
                C::S("朝阳县"),
                C::N(0.1 + 0.2),
                C::N(0.154_171_000_000_000_03),
            ],
            vec![
                C::Month(2020, 2, 1),
                C::S("建平县"),
                C::S("2,500.35万"),
                C::N(2500.35),
            ],
            vec![
                C::S("2020-03"),
                C::S("喀左县"),
                C::N(123_456_789.01),
                C::S("1,234.5"),
            ],
        ],
    );
    let l = ledger_of(&bytes).unwrap();
    let e = l.entries();
    // `累计下达` has no unit: yuan. `支出（万元）` is in 万元.
    assert_eq!(e[0].allocated.as_yuan().to_string(), "0.3");
    assert_eq!(
        e[0].spent.in_units(fupin::money::Unit::Wan).to_string(),
        "0.154171"
    );
    assert_eq!(e[1].month.to_string(), "2020-02");
    assert_eq!(e[1].allocated.to_string(), "2,500.35 万元");
    assert_eq!(e[1].spent.to_string(), "2,500.35 万元");
    assert_eq!(e[2].allocated.as_yuan().to_string(), "123456789.01");
    assert_eq!(e[2].spent.to_string(), "1,234.5 万元");
}

fn problems(e: &Error) -> Vec<(String, String, &'static str)> {
    e.problems()
        .iter()
        .map(|p| (p.reference(), p.value.clone(), p.code))
        .collect()
}

#[test]
fn every_bad_cell_is_named_by_sheet_cell_and_value() {
    let bytes = sheet(
        &["月份", "县(市)区", "下达（万元）", "支出（万元）"],
        &[
            vec![C::S("2020-01"), C::S("朝阳县"), C::N(100.0), C::N(10.0)],
            vec![C::S("2020-01"), C::S("丙县"), C::N(100.0), C::N(10.0)],
            vec![C::S("2020-02"), C::S("建平县"), C::S("lots"), C::N(-5.0)],
            vec![C::Month(2020, 3, 15), C::S("喀左县"), C::N(1.0), C::N(1.0)],
            vec![C::S("2021-01"), C::S("喀左县"), C::N(1.0), C::N(1.0)],
        ],
    );
    let e = ledger_of(&bytes).unwrap_err();
    assert_eq!(
        problems(&e),
        [
            ("台账!B5".to_owned(), "丙县".to_owned(), "unknown_county"),
            ("台账!C6".to_owned(), "lots".to_owned(), "invalid_amount"),
            (
                "台账!A7".to_owned(),
                "2020-03-15".to_owned(),
                "invalid_month"
            ),
            ("台账!A8".to_owned(), "2021-01".to_owned(), "out_of_range"),
        ]
    );
    let text = e.to_string();
    assert!(
        text.contains("sheet `台账`, cell B5 (`county`), value `丙县`"),
        "{text}"
    );
}

#[test]
fn a_negative_amount_is_named_as_written() {
    let bytes = sheet(
        &["月份", "县(市)区", "下达（万元）", "支出（万元）"],
        &[vec![
            C::S("2020-01"),
            C::S("朝阳县"),
            C::N(100.0),
            C::N(-5.0),
        ]],
    );
    let e = ledger_of(&bytes).unwrap_err();
    assert_eq!(
        problems(&e),
        [("台账!D4".to_owned(), "-5万元".to_owned(), "negative")]
    );
}

#[test]
fn a_repeated_row_names_both_rows() {
    let row = || vec![C::S("2020-01"), C::S("朝阳县"), C::N(1.0), C::N(1.0)];
    let e = ledger_of(&sheet(
        &["month", "county", "allocated", "spent"],
        &[row(), row()],
    ))
    .unwrap_err();
    assert_eq!(e.problems()[0].code, "duplicate_key");
    assert_eq!(e.problems()[0].reference(), "台账!B5");
    assert!(e.to_string().contains("repeats row 4"), "{e}");
}

#[test]
fn headers_are_chosen_by_name_and_unknown_ones_refused() {
    let e = ledger_of(&sheet(
        &["月份", "县(市)区", "下达", "支出", "合计数"],
        &[vec![C::S("2020-01"), C::S("朝阳县"), C::N(1.0), C::N(1.0)]],
    ))
    .unwrap_err();
    assert_eq!(
        problems(&e),
        [("台账!E3".to_owned(), "合计数".to_owned(), "unknown_column")]
    );
    // Ignored columns and column order.
    let l = ledger_of(&sheet(
        &["Spent", "备注", "County", "序号", "Allocated", "Month"],
        &[vec![
            C::N(1.0),
            C::S("ok"),
            C::S("朝阳县"),
            C::N(7.0),
            C::N(2.0),
            C::S("2020-05"),
        ]],
    ))
    .unwrap();
    assert_eq!(l.entries()[0].allocated.as_yuan().to_string(), "2");
    // A value under no header is refused.
    let e = ledger_of(&sheet(
        &["月份", "县(市)区", "下达", "支出"],
        &[vec![
            C::S("2020-01"),
            C::S("朝阳县"),
            C::N(1.0),
            C::N(1.0),
            C::S("?"),
        ]],
    ))
    .unwrap_err();
    assert_eq!(
        problems(&e),
        [("台账!E4".to_owned(), "?".to_owned(), "no_header")]
    );
}

#[test]
fn a_workbook_without_a_ledger_says_which_columns_it_needs() {
    let e = ledger_of(&sheet(&["名称", "金额"], &[vec![C::S("a"), C::N(1.0)]])).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::NoTable { .. }), "{e:?}");
    assert!(
        text.contains("`month`, `county`, `allocated`, `spent`"),
        "{text}"
    );
    assert!(text.contains("`台账` (first row: 某月台账)"), "{text}");
}

#[test]
fn a_formula_error_is_refused_with_its_cell() {
    let mut b = Writer::new();
    let ws = b.add_worksheet();
    for (col, h) in (0_u16..).zip(["月份", "县(市)区", "下达", "支出"]) {
        ws.write_string(0, col, h).unwrap();
    }
    ws.write_string(1, 0, "2020-01").unwrap();
    ws.write_string(1, 1, "朝阳县").unwrap();
    ws.write_number(1, 2, 5.0).unwrap();
    ws.write_formula(
        1,
        3,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    let e = ledger_of(&b.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(
        problems(&e),
        [("Sheet1!D2".to_owned(), "#DIV/0!".to_owned(), "cell_error")]
    );
}

#[test]
fn bytes_that_are_not_a_workbook_are_refused() {
    for bytes in [
        &b"month,county\n"[..],
        b"PK\x03\x04garbage",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0],
    ] {
        let e = ledger_of(bytes).unwrap_err();
        assert!(matches!(e, Error::Workbook { .. }), "{e:?}");
    }
}

#[test]
fn a_workbook_that_unpacks_beyond_the_limit_is_refused() {
    let bytes = std::fs::read(example("ledger_2020.xlsx")).unwrap();
    let e = Workbook::from_bytes_with_limit("ledger", &bytes, 1000).unwrap_err();
    assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
}

#[test]
fn a_score_sheet_names_its_bad_cells() {
    let policy = fupin::Policy::chaoyang_2020();
    let card = policy.assessment.card("a").unwrap();
    let mut b = Writer::new();
    let ws = b.add_worksheet();
    ws.set_name("评分").unwrap();
    for (col, h) in (0_u16..).zip([
        "unit",
        "annual_targets",
        "daily_responsibility",
        "commendations.provincial",
        "超额完成行业扶贫任务（%）",
    ]) {
        ws.write_string(0, col, h).unwrap();
    }
    ws.write_string(1, 0, "甲").unwrap();
    ws.write_number(1, 1, 70.0).unwrap();
    ws.write_string(1, 2, "很好").unwrap();
    ws.write_number(1, 3, 1.5).unwrap();
    ws.write_number(1, 4, 135.0).unwrap();
    ws.write_string(2, 0, "乙").unwrap();
    ws.write_number(2, 1, 70.0).unwrap();
    ws.write_number(2, 2, 20.0).unwrap();
    ws.write_number(2, 4, 120.0).unwrap();
    let book = Workbook::from_bytes("scores", &b.save_to_buffer().unwrap()).unwrap();
    let e = read_scores(&book, card).unwrap_err();
    assert_eq!(
        problems(&e),
        [
            ("评分!C2".to_owned(), "很好".to_owned(), "invalid_number"),
            ("评分!D2".to_owned(), "1.5".to_owned(), "invalid_number"),
        ]
    );
}

#[test]
fn task_actuals_read_by_id_or_name_with_money_in_its_unit() {
    let policy = fupin::Policy::chaoyang_2020();
    let tasks = &policy.tasks.tasks;
    let sheet = |header: &str, rows: &[(&str, C)]| {
        let mut b = Writer::new();
        let ws = b.add_worksheet();
        ws.set_name("完成情况").unwrap();
        ws.write_string(0, 0, "2020年任务完成情况").unwrap();
        ws.write_string(1, 0, "任务").unwrap();
        ws.write_string(1, 1, header).unwrap();
        ws.write_string(1, 2, "备注").unwrap();
        for (row, (task, actual)) in (2_u32..).zip(rows) {
            ws.write_string(row, 0, *task).unwrap();
            match actual {
                C::S(s) => ws.write_string(row, 1, *s).unwrap(),
                C::N(f) => ws.write_number(row, 1, *f).unwrap(),
                C::Month(..) => unreachable!(),
            };
        }
        Workbook::from_bytes("task actuals", &b.save_to_buffer().unwrap()).unwrap()
    };
    let book = sheet(
        "实际完成（万元）",
        &[
            ("t2.minority_funds", C::N(1050.0)),
            ("贫困劳动力就业技能培训", C::N(3150.0)),
            ("t6.education_funds", C::S("4.2亿元")),
        ],
    );
    let actuals = fupin_xlsx::read_task_actuals(&book, tasks).unwrap();
    let got: Vec<(&str, &str)> = actuals
        .iter()
        .map(|(k, v)| (k.as_str(), v.0.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("t2.minority_funds", "1050万元"),
            ("t3.training", "3150"),
            ("t6.education_funds", "4.2亿元"),
        ]
    );
    // Without a unit in the header, a bare number for a money task is refused, not read as yuan.
    let book = sheet(
        "实际完成",
        &[
            ("t2.minority_funds", C::N(1050.0)),
            ("东港区的任务", C::N(1.0)),
            ("t3.training", C::N(3150.0)),
            ("t3.training", C::N(3150.0)),
        ],
    );
    let e = fupin_xlsx::read_task_actuals(&book, tasks).unwrap_err();
    assert_eq!(
        problems(&e),
        [
            ("完成情况!B3".to_owned(), "1050".to_owned(), "missing_unit"),
            (
                "完成情况!A4".to_owned(),
                "东港区的任务".to_owned(),
                "unknown_name"
            ),
            (
                "完成情况!A6".to_owned(),
                "t3.training".to_owned(),
                "duplicate"
            ),
        ]
    );
}

/// Any bytes — a workbook cut short or with bytes changed — are read or refused, never a
/// panic (a fuzz-like smoke test; the inputs come from the example workbook).
#[test]
fn damaged_workbooks_are_refused_not_panicked_on() {
    let good = std::fs::read(example("ledger_2020.xlsx")).unwrap();
    let units = units();
    for cut in (0..good.len()).step_by(97) {
        let _ = ledger_from_bytes(&good[..cut], 2020, &units);
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = usize::try_from(seed % bytes.len() as u64).unwrap();
            bytes[i] = bytes[i].wrapping_add(u8::try_from(seed >> 56).unwrap() | 1);
        }
        let _ = ledger_from_bytes(&bytes, 2020, &units);
    }
}

#[test]
fn the_ledger_saved_as_ods_and_xls_reads_as_the_csv() {
    let csv = std::fs::read_to_string(example("ledger_2020.csv")).unwrap();
    let want = Ledger::from_csv(&csv, 2020, &units()).unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for name in ["ledger_2020.ods", "ledger_2020.xls"] {
        let bytes = std::fs::read(data.join(name)).unwrap();
        assert!(fupin_xlsx::is_workbook(&bytes), "{name}");
        assert_eq!(ledger_of(&bytes).unwrap(), want, "{name}");
    }
}
