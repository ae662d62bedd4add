//! Errors as data: with `--format json` every error is an RFC 9457 problem on standard output
//! (the exit code unchanged), and a batch of scores reports each refused unit in its row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::{Command, Output};

fn fupin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .output()
        .expect("fupin runs")
}

fn problem(o: &Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "fupin/1");
    assert!(
        v["type"]
            .as_str()
            .unwrap()
            .starts_with("urn:fupin:problem:")
    );
    assert!(
        !o.stderr.is_empty(),
        "a person still reads the message on standard error"
    );
    v
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_bad_file_is_a_problem_on_stdout_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("p.json");
    std::fs::write(&bad, r#"{"meta": 1}"#).unwrap();
    let path = bad.to_str().unwrap();
    let v = problem(&fupin(&["report", "--policy", path, "--format", "json"]));
    assert_eq!(v["status"], 422);
    assert_eq!(v["instance"], path);
    assert!(v["detail"].as_str().unwrap().contains("meta"));
    // Without --format json: nothing on stdout, the message on stderr, the same exit code.
    let o = fupin(&["report", "--policy", path]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_missing_file_and_a_bad_command_line_are_problems_too() {
    let v = problem(&fupin(&[
        "tasks",
        "check",
        "--input",
        "/no/such/file.json",
        "--format",
        "json",
    ]));
    assert!(v["detail"].as_str().unwrap().contains("/no/such/file.json"));
    let v = problem(&fupin(&["score", "--card", "a", "--format", "json"]));
    assert_eq!(v["status"], 400);
    assert!(v["detail"].as_str().unwrap().contains("--input"), "{v}");
}

fn mixed_batch(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(example("score_a.json")).unwrap();
    let mut units: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut bad = units[0].clone();
    bad["unit"] = "坏单位".into();
    bad["items"]["annual_targets"] = "95".into();
    units.insert(1, bad);
    let path = dir.join("mixed.json");
    std::fs::write(&path, serde_json::to_string(&units).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_batch_scores_the_good_units_and_reports_each_refused_one_in_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = mixed_batch(dir.path());
    let o = fupin(&[
        "score", "--card", "a", "--input", &input, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "a refused unit is bad input");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n =
        serde_json::from_str::<Vec<serde_json::Value>>(&std::fs::read_to_string(&input).unwrap())
            .unwrap()
            .len();
    assert_eq!(
        v["reports"].as_array().unwrap().len(),
        n - 1,
        "the others are scored"
    );
    assert_eq!(v["ranking"].as_array().unwrap().len(), n - 1);
    let e = &v["errors"][0];
    assert_eq!(e["row"], 1);
    assert_eq!(e["unit"], "坏单位");
    // The same document as the service's: the unit's paths under the request member `input`.
    assert_eq!(e["problem"]["errors"][0]["path"], "input[1].annual_targets");
    assert_eq!(e["problem"]["errors"][0]["value"], "95");
    assert!(e["problem"]["detail"].as_str().unwrap().contains("95"));
    // --keep-going is the default; saying it changes nothing.
    let again = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &input,
        "--format",
        "json",
        "--keep-going",
    ]);
    assert_eq!(again.stdout, o.stdout);
    // Text: the scored units' reports on stdout, each refused unit on stderr.
    let text = fupin(&["score", "--card", "a", "--input", &input, "--lang", "en"]);
    assert_eq!(text.status.code(), Some(2));
    assert!(!text.stdout.is_empty());
    assert!(String::from_utf8_lossy(&text.stderr).contains("1 of"));
}

#[test]
fn fail_fast_stops_at_the_first_refused_unit() {
    let dir = tempfile::tempdir().unwrap();
    let input = mixed_batch(dir.path());
    let v = problem(&fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &input,
        "--format",
        "json",
        "--fail-fast",
    ]));
    assert_eq!(v["errors"][0]["path"], "[1].annual_targets");
    assert_eq!(v["instance"], input.as_str());
    let both = fupin(&[
        "score",
        "--card",
        "a",
        "--input",
        &input,
        "--fail-fast",
        "--keep-going",
    ]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "the two modes exclude each other"
    );
}
