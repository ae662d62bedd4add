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
