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
        "+5.00 pp",
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
