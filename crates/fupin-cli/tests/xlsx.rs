//! Excel in and out on the command line: an officer's `.xlsx` ledger in, an `.xlsx` bulletin
//! out, the figures the same as the JSON; a bad cell named by sheet, cell and value.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test may panic

use std::io::Cursor;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fn fupin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .output()
        .expect("fupin runs")
}

fn example(name: &str) -> String {
    format!("{EXAMPLES}/{name}")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_xlsx_ledger_gives_the_bulletin_of_the_csv() {
    let run = |ledger: &str| {
        let o = fupin(&[
            "spending",
            "bulletin",
            "--ledger",
            &example(ledger),
            "--month",
            "2020-06",
            "--schedule",
            &example("schedule_example.toml"),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    assert_eq!(run("ledger_2020.xlsx"), run("ledger_2020.csv"));
}

#[test]
fn xlsx_ledger_to_xlsx_bulletin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("通报.xlsx");
    let o = fupin(&[
        "spending",
        "bulletin",
        "--ledger",
        &example("ledger_2020.xlsx"),
        "--month",
        "2020-06",
        "--schedule",
        &example("schedule_example.toml"),
        "--format",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(std::fs::read(&out).unwrap())).unwrap();
    let range = book.worksheet_range("月通报").unwrap();
    let units: Vec<String> = (5..12)
        .map(|r| range.get_value((r, 1)).unwrap().to_string())
        .collect();
    assert_eq!(
        units,
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
    // 北票市: 10,000 万元 allocated, 4,100 spent, 900 to catch up.
    assert_eq!(range.get_value((10, 2)), Some(&Data::Float(10_000.0)));
    assert_eq!(range.get_value((10, 3)), Some(&Data::Float(4_100.0)));
    assert_eq!(range.get_value((10, 8)), Some(&Data::Float(900.0)));
    assert_eq!(book.sheet_names(), ["月通报", "检查与条款"]);
}

#[test]
fn report_and_scores_write_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    for (args, name) in [
        (vec!["report", "--lang", "en"], "report.xlsx"),
        (
            vec!["score", "--card", "a", "--input", &example("score_a.xlsx")],
            "scores.xlsx",
        ),
    ] {
        let path = dir.path().join(name);
        let mut all = args.clone();
        all.extend(["--format", "xlsx", "-o", path.to_str().unwrap()]);
        let o = fupin(&all);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(fupin_xlsx::is_workbook(&std::fs::read(&path).unwrap()));
    }
}

#[test]
fn a_workbook_needs_a_file_and_text_commands_refuse_one() {
    let o = fupin(&["report", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("-o"), "{}", stderr(&o));
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.xlsx");
    let o = fupin(&[
        "calendar",
        "--from",
        "2020-01-01",
        "--to",
        "2020-12-31",
        "--format",
        "xlsx",
        "-o",
        x.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no workbook output"), "{}", stderr(&o));
    assert!(!x.exists(), "no empty workbook is left behind");
}

#[test]
fn a_bad_cell_of_an_xlsx_ledger_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.xlsx");
    let mut b = rust_xlsxwriter::Workbook::new();
    let ws = b.add_worksheet();
    ws.set_name("六月").unwrap();
    for (col, h) in (0_u16..).zip(["月份", "县(市)区", "下达（万元）", "支出（万元）"])
    {
        ws.write_string(0, col, h).unwrap();
    }
    ws.write_string(1, 0, "2020-06").unwrap();
    ws.write_string(1, 1, "朝阳县").unwrap();
    ws.write_string(1, 2, "7,5x").unwrap();
    ws.write_number(1, 3, 1.0).unwrap();
    b.save(&path).unwrap();
    let o = fupin(&[
        "spending",
        "bulletin",
        "--ledger",
        path.to_str().unwrap(),
        "--month",
        "2020-06",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("sheet `六月`, cell C2 (`allocated`), value `7,5x`"),
        "{err}"
    );
}

#[test]
fn a_workbook_where_text_is_read_is_refused_by_name() {
    let o = fupin(&["report", "--policy", &example("ledger_2020.xlsx")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the file is a workbook"),
        "{}",
        stderr(&o)
    );
    // `--input-format xlsx` reads the main input as a workbook whatever its name.
    let o = fupin(&[
        "--input-format",
        "xlsx",
        "spending",
        "bulletin",
        "--ledger",
        &example("ledger_2020.csv"),
        "--month",
        "2020-06",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a workbook"), "{}", stderr(&o));
}

#[test]
fn task_actuals_from_a_workbook_give_the_json_actuals_report() {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("tasks_2020.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("完成情况.xlsx");
    let mut b = rust_xlsxwriter::Workbook::new();
    let ws = b.add_worksheet();
    ws.write_string(0, 0, "任务").unwrap();
    ws.write_string(0, 1, "实际完成").unwrap();
    let actuals = json["actuals"].as_object().unwrap();
    for (row, (task, actual)) in (1_u32..).zip(actuals) {
        ws.write_string(row, 0, task).unwrap();
        ws.write_string(row, 1, actual.as_str().unwrap()).unwrap();
    }
    b.save(&path).unwrap();
    let only_actuals = dir.path().join("actuals.json");
    std::fs::write(
        &only_actuals,
        serde_json::json!({ "name": path.display().to_string(), "actuals": actuals }).to_string(),
    )
    .unwrap();
    let run = |input: &std::path::Path| {
        let o = fupin(&[
            "tasks",
            "check",
            "--input",
            input.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    assert_eq!(run(&path), run(&only_actuals));
}
