//! The `fupin` command as a user runs it: exit codes, messages, formats.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test may panic

use std::path::Path;
use std::process::{Command, Output};

fn fupin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .output()
        .expect("fupin runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn report_with_no_arguments_runs_the_embedded_plan() {
    let o = fupin(&["report"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "247.77%",
        "21.95%",
        "+5.00 个百分点",
        "M1c 三(一)",
        "✗",
        "示例数据",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
}

#[test]
fn report_in_english_and_markdown() {
    let out = stdout(&fupin(&["report", "--lang", "en", "--format", "markdown"]));
    assert!(
        out.contains("| ✓ | G2 二(二) | growth of special funds won from higher levels |"),
        "{out}"
    );
}

#[test]
fn strict_exits_1_when_a_check_fails() {
    assert_eq!(fupin(&["report", "--strict"]).status.code(), Some(1));
}

#[test]
fn json_report_keeps_amounts_exact() {
    let v: serde_json::Value =
        serde_json::from_slice(&fupin(&["report", "--format", "json"]).stdout).unwrap();
    assert_eq!(v["city"]["total"], "255000000");
    assert_eq!(v["city"]["increase"], "181675000.0");
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["clause"].is_string())
    );
}

#[test]
fn policy_show_prints_a_file_that_loads_back() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&fupin(&["policy", "show"]));
    let path = write(dir.path(), "p.toml", &text);
    let o = fupin(&["policy", "check", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json = stdout(&fupin(&["policy", "show", "--format", "json"]));
    let path = write(dir.path(), "p.json", &json);
    let o = fupin(&["report", "--policy", &path]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn bad_policy(from: &str, to: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let text = fupin::policy::CHAOYANG_2020_TOML.replacen(from, to, 1);
    assert_ne!(text, fupin::policy::CHAOYANG_2020_TOML);
    let path = write(dir.path(), "bad.toml", &text);
    let o = fupin(&["report", "--policy", &path]);
    let err = stderr(&o);
    assert!(err.contains("bad.toml"), "names the file: {err}");
    assert!(!err.contains("panicked"), "{err}");
    (o.status.code(), err)
}

#[test]
fn misspelt_policy_field_exits_2_naming_it() {
    let (code, err) = bad_policy("county_total_growth_target", "county_total_grwoth_target");
    assert_eq!(code, Some(2));
    assert!(err.contains("funds.county_total_grwoth_target"), "{err}");
}

#[test]
fn negative_quota_exits_2_naming_field_and_value() {
    let (code, err) = bad_policy("county = \"2500万元\"", "county = \"-2500万元\"");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("funds.quota.county") && err.contains("-2,500 万元"),
        "{err}"
    );
}

#[test]
fn non_numeric_growth_target_exits_2_naming_it() {
    let (code, err) = bad_policy("\ngrowth_target = \"20%\"", "\ngrowth_target = \"abc\"");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("upward.growth_target") && err.contains("abc"),
        "{err}"
    );
}

#[test]
fn missing_file_exits_2() {
    let o = fupin(&["report", "--data", "/nonexistent/data.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent/data.toml"));
}

#[test]
fn bad_data_exits_2_naming_the_county_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = fupin::data::CHAOYANG_2020_DATA_TOML.replacen(
        "this_year = \"2300万元\"",
        "this_year = \"lots\"",
        1,
    );
    let path = write(dir.path(), "d.toml", &text);
    let o = fupin(&["report", "--data", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("counties[2].this_year"),
        "{}",
        stderr(&o)
    );
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn spending_bulletin_on_the_example_ledger() {
    let (ledger, schedule) = (example("ledger_2020.csv"), example("schedule_example.toml"));
    let args = [
        "spending",
        "bulletin",
        "--ledger",
        &ledger,
        "--month",
        "2020-06",
        "--schedule",
        &schedule,
    ];
    let o = fupin(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "2020年6月扶贫资金支出进度通报",
        "序时进度要求：50.00%",
        "   3  凌源市",
        "⚠ 落后序时进度",
        "落后序时进度（3 个）：建平县、北票市、龙城区。",
        "全市合计  57,000 万元  29,895 万元    52.45%",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    let mut strict = args.to_vec();
    strict.push("--strict");
    assert_eq!(fupin(&strict).status.code(), Some(1));
    let json = fupin(&[&args[..], &["--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["rows"][0]["county"], "双塔区");
    assert_eq!(v["city"]["allocated"], "570000000");
    assert_eq!(v["rows"][4]["figures"]["schedule"]["standing"], "behind");
}

#[test]
fn spending_bulletin_without_a_schedule_makes_no_comparison() {
    let ledger = example("ledger_2020.csv");
    let o = fupin(&[
        "spending", "bulletin", "--ledger", &ledger, "--month", "2020-06", "--lang", "en",
        "--strict",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("No schedule supplied"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_ledger_rows_exit_2_naming_file_line_column_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ledger.csv",
        "month,county,allocated,spent\n2020-01,朝阳县,1,1\n2020-02,东港区,1,1\n",
    );
    let o = fupin(&[
        "spending", "bulletin", "--ledger", &path, "--month", "2020-02",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(
            "ledger.csv: ledger line 3, column 2 (`county`): unknown county-level unit `东港区`"
        ),
        "{err}"
    );
    let o = fupin(&[
        "spending", "bulletin", "--ledger", &path, "--month", "2020-14",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn calendar_reports_the_rectification_overdue_on_the_first_of_august() {
    let base = [
        "calendar",
        "--from",
        "2020-07-01",
        "--to",
        "2020-07-31",
        "--on",
        "2020-08-01",
    ];
    let o = fupin(&[&base[..], &["--lang", "en", "--strict"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.contains("rectification of the third-party") && l.contains("⚠ overdue")),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let done = write(
        dir.path(),
        "done.toml",
        "[done]\n\"M5.rectification\" = \"2020-07-20\"\n\"O1.monthly_dispatch@2020-07\" = \"2020-07-31\"\n\"M4.monthly_bulletin@2020-07\" = \"2020-08-01\"\n",
    );
    let o = fupin(
        &[
            &base[..],
            &["--done", &done, "--strict", "--format", "json"],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let status = |key: &str| {
        v["statuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["obligation"]["key"] == key)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("M5.rectification"), "done_on_time");
    assert_eq!(status("M4.monthly_bulletin@2020-07"), "done_late");

    let typo = write(
        dir.path(),
        "typo.toml",
        "[done]\n\"M5.rectifcation\" = \"2020-07-20\"\n",
    );
    let o = fupin(&[&base[..], &["--done", &typo]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("typo.toml: done: `M5.rectifcation`"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fupin(&["calendar", "--from", "2020-08-01", "--to", "2020-07-01"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn spending_allocate_conserves_the_total_and_names_a_missing_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut base = String::from("county,base\n");
    for u in ["朝阳县", "建平县", "喀左县", "北票市", "凌源市"] {
        base.push_str(&format!("{u},2500万元\n"));
    }
    let short = write(dir.path(), "short.csv", &base);
    base.push_str("双塔区,1000万元\n龙城区,1000万元\n");
    let base = write(dir.path(), "base.csv", &base);
    let params = write(
        dir.path(),
        "params.toml",
        "reward_top = 2\nreward = \"10%\"\npenalise_behind_schedule = true\npenalty = \"10%\"\n",
    );
    let (ledger, schedule) = (example("ledger_2020.csv"), example("schedule_example.toml"));
    let args = [
        "spending",
        "allocate",
        "--ledger",
        &ledger,
        "--month",
        "2020-06",
        "--schedule",
        &schedule,
        "--total",
        "1.45亿元",
        "--params",
        &params,
        "--format",
        "json",
        "--base",
    ];
    let o = fupin(&[&args[..], &[&base]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let fen: i64 = rows
        .iter()
        .map(|r| {
            let s = r["amount"].as_str().unwrap();
            let (y, f) = s.split_once('.').unwrap_or((s, "00"));
            y.parse::<i64>().unwrap() * 100 + format!("{f:0<2}").parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(
        fen,
        145_000_000 * 100 // 1.45 亿元 in fen
    );
    let adj = |c: &str| rows.iter().find(|r| r["county"] == c).unwrap()["adjustment"].clone();
    assert_eq!(
        (adj("双塔区"), adj("建平县"), adj("喀左县")),
        ("reward".into(), "penalty".into(), "none".into())
    );

    let o = fupin(&[&args[..], &[&short]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("short.csv: allocation: field `base`: `双塔区` has no base weight"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn score_card_a_explains_caps_and_ranks_with_the_veto_last() {
    let o = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &example("score_a.json"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "3 × provincial 0.5 + 1 × national 1 = 2.5; cap 2 → 2",
        "completion 135.00%: 3 full step(s)",
        "one-vote veto",
        "Ranking",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    let strict = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &example("score_a.json"),
        "--strict",
    ]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "a vetoed unit fails under --strict"
    );
}

#[test]
fn score_json_keeps_points_exact_and_ranks() {
    let o = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &example("score_a.json"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["reports"][0]["total"], "103");
    assert_eq!(v["reports"][1]["total"], "99.5");
    let ranks: Vec<(u64, u64)> = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["index"].as_u64().unwrap(), e["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(ranks, [(0, 1), (1, 2), (2, 3)]);
}

/// `--format json` is written as it is serialised, and the bytes are the contract's document
/// (what `fupin serve` answers): the same to standard output and to `-o FILE`, for many units
/// and refused ones.
#[test]
fn score_json_streams_the_contract_document_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let one: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("score_a.json")).unwrap()).unwrap();
    let mut units = Vec::new();
    for i in 0..300 {
        for (j, u) in one.as_array().unwrap().iter().enumerate() {
            let mut u = u.clone();
            u["unit"] = format!("单位{i}-{j}").into();
            units.push(u);
        }
    }
    units[7]["items"]["annual_targets"] = "80.5".into(); // refused, kept going
    let text = serde_json::to_string(&units).unwrap();
    let input = write(dir.path(), "many.json", &text);
    let card = fupin::Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    let inputs = fupin::assessment::ScoreInput::many_from_json(&text).unwrap();
    // The service's document for the same units: a refused unit's paths under `input`.
    let expected =
        fupin_ops::to_json(&fupin_ops::output::score_units(&card, &inputs, true, "input").unwrap());
    let o = fupin(&[
        "score", "--card", "a", "--input", &input, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o) == expected,
        "standard output differs from to_json"
    );
    let file = dir.path().join("out.json");
    let file_arg = file.to_str().unwrap();
    let o = fupin(&[
        "score", "--card", "a", "--input", &input, "--format", "json", "-o", file_arg,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&file).unwrap() == expected,
        "-o FILE differs from to_json"
    );
}

#[test]
fn score_above_a_maximum_exits_2_naming_the_item() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "s.json",
        r#"{"unit": "x", "items": {"annual_targets": "80.5", "daily_responsibility": "20"}}"#,
    );
    let o = fupin(&["score", "--card", "a", "--input", &input]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("annual_targets") && err.contains("80.5") && err.contains("s.json"),
        "{err}"
    );
    let o = fupin(&["score", "--card", "c", "--input", &input]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("neither a card"), "{}", stderr(&o));
}

#[test]
fn score_with_a_card_file() {
    let dir = tempfile::tempdir().unwrap();
    let card = fupin::Policy::chaoyang_2020()
        .assessment
        .card("b")
        .unwrap()
        .to_json();
    let card = write(dir.path(), "card.json", &card);
    let o = fupin(&[
        "score",
        "--card",
        &card,
        "--input",
        &example("score_b.json"),
        "--format",
        "markdown",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("| 总体成效 |"), "{}", stdout(&o));
}

#[test]
fn tasks_check_reports_points_rule_and_failures() {
    let o = fupin(&[
        "tasks",
        "check",
        "--input",
        &example("tasks_2020.json"),
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "79.57 / 80",
        "library default rule",
        "T10 附件2 序号10",
        "illustrative",
        // #11 item 9: the plan's goals have a home, and the output says where when not given.
        "Goals of the plan not checked",
        "P.lifted_out  registered poor people lifted out of poverty ≥ 7088 people",
        "M0.edge_village_water",
        "T6.graduates_recommended",
        "\"goals\": {\"P.lifted_out\": {\"actual\": \"7100\"}",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    let strict = fupin(&[
        "tasks",
        "check",
        "--input",
        &example("tasks_2020.json"),
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "t.json",
        r#"{"actuals": {"t3.training": "-5"}}"#,
    );
    let o = fupin(&["tasks", "check", "--input", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("actuals.t3.training"), "{}", stderr(&o));
}

#[test]
fn tasks_check_strict_fails_when_targets_are_missed() {
    // #11 item 2: with 9 of 10 targets missed, `--strict` exited 0.
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "t.json",
        r#"{"actuals": {
            "t2.minority_funds": "3亿元", "t2.minority_villages": "8", "t3.training": "2400",
            "t3.factories": "33", "t3.public_jobs": "244", "t3.housing": "1568",
            "t4.orchards": "256", "t6.education_funds": "3.2亿元", "t6.village_training": "2400",
            "t10.roads": "228"}}"#,
    );
    let o = fupin(&[
        "tasks", "check", "--input", &input, "--strict", "--lang", "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("10 checks: 1 passed, 9 failed."), "{out}");
    assert!(out.contains("tasks below 100%"), "{out}");
    // #10 item 2: a 26-digit head count is refused at once instead of looping forever.
    let huge = write(
        dir.path(),
        "h.json",
        r#"{"actuals": {"t3.training": "10000000000000000000000000"}}"#,
    );
    let o = fupin(&["tasks", "check", "--input", &huge]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("actuals.t3.training"), "{}", stderr(&o));
}

#[test]
fn assess_holds_cards_apart_and_vetoes_the_unit() {
    let o = fupin(&[
        "assess",
        "--input",
        &example("units_2020.json"),
        "--lang",
        "en",
        "--explain",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "Ranking a",
        "Ranking b",
        "city poverty alleviation office",
        "one-vote veto (every card of the unit fails",
        "✓ passed by the executive meeting",
        "… approved by the standing committee",
        "the plan's words (zh) › 在市扶贫开发领导小组领导下，各考核项目单独进行考核",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    let strict = fupin(&["assess", "--input", &example("units_2020.json"), "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let json = fupin(&[
        "assess",
        "--input",
        &example("units_2020.json"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v["rankings"][1]["entries"][0]["unit"],
        "示例部门乙 (illustrative)"
    );
}

#[test]
fn explain_shows_the_plans_words_under_the_checks() {
    let o = fupin(&["report", "--explain"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("检查依据（方案原文）"), "{out}");
    assert!(
        out.contains("原文 › (二)向上争取扶贫专项资金比上年增长20%以上。"),
        "{out}"
    );
    // A failed check names the requirement it misses, not a false inequality.
    assert!(
        out.contains(
            "✗ M1c 县(市)区筹措资金达到定额 (喀左县): 2,300 万元，未达到要求 ≥ 2,500 万元 [3]"
        ),
        "{out}"
    );
    let en = stdout(&fupin(&["report", "--explain", "--lang", "en"]));
    assert!(
        en.contains("2,300 ×10k yuan, short of the required ≥ 2,500 ×10k yuan")
            && en.contains("the plan's words (zh) › (二)向上争取扶贫专项资金比上年增长20%以上。"),
        "{en}"
    );
    let json = fupin(&["report", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let g1 = &v["checks"][0];
    assert_eq!(g1["id"], "G1.input_growth");
    assert_eq!(g1["clause_text"], "(一)市县财政扶贫资金投入比上年增长20%。");
    let tasks = fupin(&[
        "tasks",
        "check",
        "--input",
        &example("tasks_2020.json"),
        "--explain",
    ]);
    assert!(
        stdout(&tasks).contains("全市新建扶贫工厂42家"),
        "{}",
        stdout(&tasks)
    );
}

#[test]
fn the_2021_example_runs_against_2020_as_last_year() {
    let o = fupin(&[
        "report",
        "--data",
        &example("chaoyang_2021_data.toml"),
        "--policy",
        &example("policy_2021.toml"),
        "--lang",
        "en",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["policy"]["year"], 2021);
    assert_eq!(v["data"]["year"], 2021);
    assert_eq!(v["city"]["last_year"], "255000000", "2020's 25,500 万元");
    let kazuo = v["counties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "喀左县")
        .unwrap();
    assert_eq!(kazuo["last_year"], "23000000");
    assert!(
        v["data"]["source"]
            .as_str()
            .unwrap()
            .contains("from the 2020 data")
    );
    // Without a 2021 policy the data are refused, and the message says how to give one.
    let o = fupin(&["report", "--data", &example("chaoyang_2021_data.toml")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the data are for 2021, the policy for 2020")
            && err.contains("extends = \"chaoyang-2020\"")
            && err.contains("examples/policy_2021.toml"),
        "{err}"
    );
}

#[test]
fn year_end_weights_feed_next_years_allocation() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(
        dir.path(),
        "base.csv",
        "county,base\n朝阳县,2500万元\n建平县,2500万元\n喀左县,2500万元\n北票市,2500万元\n凌源市,2500万元\n双塔区,1000万元\n龙城区,1000万元\n",
    );
    let link = write(dir.path(), "link.toml", "penalty = \"10%\"\n");
    let o = fupin(&["year-end", "--base", &base, "--link", &link, "--csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("喀左县,22500000\n"), "{}", stdout(&o));
    let plain = fupin(&["year-end", "--base", &base, "--csv"]);
    assert!(
        stdout(&plain).contains("喀左县,25000000\n"),
        "no parameters, no change"
    );
    let bad = write(dir.path(), "bad.toml", "penalty = \"150%\"\n");
    let o = fupin(&["year-end", "--base", &base, "--link", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("penalty"), "{}", stderr(&o));
}

#[test]
fn compare_with_a_higher_county_quota_lists_the_counties_that_flip() {
    let o = fupin(&[
        "compare",
        "--set",
        "funds.quota.county=3000万元",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("21 checks compared: 3 now fail, 0 now pass"),
        "{out}"
    );
    for county in ["朝阳县", "建平县"] {
        let line = out.lines().find(|l| l.contains(county)).unwrap();
        assert!(
            line.contains("now fails") && line.contains("+500 ×10k yuan"),
            "{line}"
        );
    }
    let strict = fupin(&[
        "compare",
        "--set",
        "funds.quota.county=3000万元",
        "--strict",
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let json = fupin(&[
        "compare",
        "--set",
        "funds.quota.county=3000万元",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["now_failing"], 3);
    assert_eq!(v["checks"][1]["flip"], "now_fails");
    let typo = fupin(&["compare", "--set", "funds.quota.conty=1"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("funds.quota.conty"),
        "{}",
        stderr(&typo)
    );
    // Two years: 2020 against the 2021 example.
    let years = fupin(&[
        "compare",
        "--with",
        &example("policy_2021.toml"),
        "--with-data",
        &example("chaoyang_2021_data.toml"),
        "--lang",
        "en",
    ]);
    assert_eq!(years.status.code(), Some(0), "{}", stderr(&years));
    assert!(
        stdout(&years).contains("5 now fail, 2 now pass"),
        "{}",
        stdout(&years)
    );
}

#[test]
fn compare_refuses_data_of_another_year_than_its_policy_as_report_does() {
    let data_2021 = example("chaoyang_2021_data.toml");
    // 2021 figures under the 2020 policy: refused, with report's code and hint.
    let o = fupin(&["compare", "--with-data", &data_2021]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("chaoyang_2021_data.toml")
            && err.contains("the data are for 2021, the policy for 2020")
            && err.contains("with --with")
            && err.contains("extends = \"chaoyang-2020\"")
            && err.contains("examples/policy_2021.toml"),
        "{err}"
    );
    let json = fupin(&["compare", "--with-data", &data_2021, "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["errors"][0]["code"], "year_mismatch", "{v}");
    assert_eq!(v["errors"][0]["path"], "meta.year");
    // The same on the first side, naming its option.
    let o = fupin(&["compare", "--data", &data_2021]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("with --policy"), "{}", stderr(&o));
    // A 2021 policy with the embedded 2020 figures: says which option gives 2021's.
    let o = fupin(&["compare", "--with", &example("policy_2021.toml")]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("the embedded 2020 data (give --with-data for the policy's year)")
            && err.contains("the data are for 2020, the policy for 2021"),
        "{err}"
    );
}

#[test]
fn test_passes_on_the_plans_cases_and_fails_on_a_mutated_policy() {
    let cases = example("cases");
    let o = fupin(&["test", &cases, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains(" 0 failed."), "{}", stdout(&o));
    let dir = tempfile::tempdir().unwrap();
    let mutated = write(
        dir.path(),
        "mutated.toml",
        "extends = \"chaoyang-2020\"\n[tasks.factories]\nemployment_min = 59\n",
    );
    let o = fupin(&["test", &cases, "--policy", &mutated, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("✗ T3: 42 factories"), "{out}");
    assert!(
        out.contains("expected T3.factory_employment@朝阳县 passed = false"),
        "{out}"
    );
    // The same change without a file: --set names it in the summary.
    let o = fupin(&[
        "test",
        &cases,
        "--set",
        "goals[P.lifted_out].rule.at_least.value=7000",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("✗ P: 7,087 lifted out of poverty"), "{out}");
    assert!(
        out.contains("+ goals[P.lifted_out].rule.at_least.value=7000."),
        "{out}"
    );
    let bad = write(
        dir.path(),
        "bad.toml",
        "[[cases]]\nname = \"x\"\nexpct = []\n",
    );
    let o = fupin(&["test", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expct"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_ends_quietly_without_a_panic() {
    use std::process::Stdio;
    // Far more than a pipe buffer holds, so the write meets the closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(["calendar", "--from", "2020-01-01", "--to", "2099-12-31"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn every_problem_of_a_policy_is_printed_with_its_exact_value() {
    let text = fupin::policy::CHAOYANG_2020_TOML
        .replacen(
            "input_growth_target = \"20%\"",
            "input_growth_target = \"2000%\"",
            1,
        )
        .replacen("county = \"2500万元\"", "county = \"-1\"", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two.toml", &text);
    let o = fupin(&["policy", "check", &path]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("2 problems"), "{err}");
    assert!(
        err.contains("`funds.input_growth_target`: value 2000%"),
        "{err}"
    );
    assert!(err.contains("`funds.quota.county`: value -1 元"), "{err}");
}

#[test]
fn json_with_a_bom_a_repeated_key_or_a_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let scores = |items: &str| format!(r#"{{"unit": "甲", "items": {{{items}}}}}"#);
    // A byte-order mark is skipped: the error is about the scores, not "expected value".
    let path = write(dir.path(), "bom.json", &format!("\u{feff}{}", scores("")));
    let err = stderr(&fupin(&["score", "--card", "a", "--input", &path]));
    assert!(!err.contains("expected value"), "{err}");
    assert!(err.contains("has no score"), "{err}");
    let path = write(
        dir.path(),
        "dup.json",
        &scores(r#""annual_targets": "1", "annual_targets": "80""#),
    );
    let o = fupin(&["score", "--card", "a", "--input", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`annual_targets` is given twice"),
        "{}",
        stderr(&o)
    );
    let path = write(
        dir.path(),
        "comma.json",
        &scores(r#""annual_targets": "7,5""#),
    );
    let o = fupin(&["score", "--card", "a", "--input", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`7,5`: a comma may only separate thousands"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_total_with_a_decimal_comma_is_refused_naming_the_option() {
    let o = fupin(&[
        "spending",
        "allocate",
        "--ledger",
        "x.csv",
        "--month",
        "2020-12",
        "--base",
        "b.csv",
        "--total",
        "3,5亿元",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--total") && err.contains("3,5亿元"), "{err}");
}
