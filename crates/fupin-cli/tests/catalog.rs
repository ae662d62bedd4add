//! Every operation of the catalog has a door on the command line, and the door answers what the
//! operation answers: for the same input, `--format json` prints the bytes
//! `fupin_ops::catalog::run_json` writes for a JSON request (what the service answers).
//!
//! The catalog drives the test: an operation without a row here fails it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fupin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .current_dir(root())
        .env_remove("FUPIN_MAX_INPUT_BYTES")
        .output()
        .expect("fupin runs")
}

fn text(name: &str) -> String {
    std::fs::read_to_string(root().join(name)).unwrap()
}

/// A TOML file as the JSON a request carries.
fn toml_json(name: &str) -> Value {
    let v: toml::Value = toml::from_str(&text(name)).unwrap();
    serde_json::to_value(v).unwrap()
}

fn events() -> Value {
    text("examples/approvals_2020.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect::<Vec<_>>()
        .into()
}

const COUNTIES: [&str; 7] = [
    "朝阳县",
    "建平县",
    "喀左县",
    "北票市",
    "凌源市",
    "双塔区",
    "龙城区",
];

/// Each operation: the command line's arguments and the JSON request for the same input.
fn doors(dir: &Path) -> BTreeMap<&'static str, (Vec<String>, Value)> {
    let base = dir.join("base.csv");
    let mut csv = "county,base\n".to_owned();
    for c in COUNTIES {
        csv.push_str(&format!("{c},2500万元\n"));
    }
    std::fs::write(&base, csv).unwrap();
    let base = base.to_str().unwrap().to_owned();
    let base_json: Vec<Value> = COUNTIES
        .iter()
        .map(|c| json!({"county": c, "base": "2500万元"}))
        .collect();
    let weights = dir.join("weights.toml");
    std::fs::write(
        &weights,
        "complete_documents = \"40\"\ntargets_published = \"60\"\n",
    )
    .unwrap();
    let weights = weights.to_str().unwrap().to_owned();
    let log = "examples/approvals_2020.jsonl";
    let registry = "examples/registry_2020.toml";
    let approvals = json!({"events": events(), "registry": toml_json(registry)});
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let ledger = text("examples/ledger_2020.csv");
    let schedule = toml_json("examples/schedule_example.toml");
    let library: Value =
        serde_json::from_str(&text("examples/library_jianping_2020.json")).unwrap();
    BTreeMap::from([
        ("report", (args(&["report"]), json!({}))),
        (
            "score",
            (
                args(&["score", "--card", "a", "--input", "examples/score_a.json"]),
                json!({"card": "a", "input": serde_json::from_str::<Value>(&text("examples/score_a.json")).unwrap()}),
            ),
        ),
        (
            "tasks.check",
            (
                args(&["tasks", "check", "--input", "examples/tasks_2020.json"]),
                json!({"input": serde_json::from_str::<Value>(&text("examples/tasks_2020.json")).unwrap()}),
            ),
        ),
        (
            "assess",
            (
                args(&["assess", "--input", "examples/units_2020.json"]),
                json!({"input": serde_json::from_str::<Value>(&text("examples/units_2020.json")).unwrap()}),
            ),
        ),
        (
            "year-end",
            (
                args(&["year-end", "--base", &base]),
                json!({"base": base_json}),
            ),
        ),
        (
            "compare",
            (
                args(&["compare", "--set", "funds.quota.county=3000万元"]),
                json!({"set": ["funds.quota.county=3000万元"]}),
            ),
        ),
        (
            "test",
            (
                args(&["test", "examples/cases/funds.toml"]),
                json!({"files": [{"name": "examples/cases/funds.toml", "toml": text("examples/cases/funds.toml")}]}),
            ),
        ),
        (
            "spending.bulletin",
            (
                args(&[
                    "spending",
                    "bulletin",
                    "--ledger",
                    "examples/ledger_2020.csv",
                    "--month",
                    "2020-06",
                    "--schedule",
                    "examples/schedule_example.toml",
                ]),
                json!({"ledger": ledger, "month": "2020-06", "schedule": schedule}),
            ),
        ),
        (
            "spending.allocation",
            (
                args(&[
                    "spending",
                    "allocate",
                    "--ledger",
                    "examples/ledger_2020.csv",
                    "--month",
                    "2020-06",
                    "--base",
                    &base,
                    "--total",
                    "3亿元",
                ]),
                json!({"ledger": ledger, "month": "2020-06", "base": base_json, "total": "3亿元"}),
            ),
        ),
        (
            "calendar",
            (
                args(&[
                    "calendar",
                    "--from",
                    "2020-01-01",
                    "--to",
                    "2020-12-31",
                    "--on",
                    "2020-08-01",
                ]),
                json!({"from": "2020-01-01", "to": "2020-12-31", "on": "2020-08-01"}),
            ),
        ),
        ("policy.show", (args(&["policy", "show"]), json!({}))),
        (
            "policy.validate",
            (
                args(&["policy", "check", "examples/policy_2021.toml"]),
                toml_json("examples/policy_2021.toml"),
            ),
        ),
        (
            "policy.diff",
            (
                args(&["policy", "diff", "--new", "examples/policy_2021.toml"]),
                json!({"new": toml_json("examples/policy_2021.toml")}),
            ),
        ),
        ("data.show", (args(&["data", "show"]), json!({}))),
        (
            "data.check",
            (
                args(&["data", "check", "examples/chaoyang_2021_data.toml"]),
                toml_json("examples/chaoyang_2021_data.toml"),
            ),
        ),
        (
            "approvals.verify",
            (
                args(&["approvals", "verify", log, "--registry", registry]),
                approvals.clone(),
            ),
        ),
        (
            "approvals.replay",
            (
                args(&["approvals", "replay", log, "--registry", registry]),
                approvals.clone(),
            ),
        ),
        (
            "approvals.head",
            (
                args(&["approvals", "head", log, "--registry", registry]),
                approvals.clone(),
            ),
        ),
        (
            "approvals.targets",
            (
                args(&["approvals", "targets", log, "--registry", registry]),
                approvals.clone(),
            ),
        ),
        (
            "approvals.query",
            (
                args(&["approvals", "query", log, "--project", "JP-2020-001"]),
                json!({"events": events(), "project": "JP-2020-001"}),
            ),
        ),
        (
            "inspection",
            (
                args(&[
                    "inspection",
                    "--library",
                    "examples/library_jianping_2020.json",
                    "--weights",
                    &weights,
                    "--log",
                    log,
                    "--registry",
                    registry,
                ]),
                json!({"libraries": [library], "weights": {"complete_documents": "40", "targets_published": "60"},
                       "events": events(), "registry": toml_json(registry)}),
            ),
        ),
    ])
}

#[test]
fn every_operation_has_a_door_that_prints_the_operations_json() {
    let dir = tempfile::tempdir().unwrap();
    let doors = doors(dir.path());
    let env = fupin_ops::Env::new();
    let mut failures = Vec::new();
    for entry in fupin_ops::catalog::catalog() {
        let Some((args, body)) = doors.get(entry.id) else {
            failures.push(format!("{}: no door in this test", entry.id));
            continue;
        };
        // The door is the catalog's command.
        let words: Vec<&str> = entry.command.split(' ').collect();
        assert_eq!(
            &args[..words.len()],
            words.as_slice(),
            "{}: the door is not `fupin {}`",
            entry.id,
            entry.command
        );
        let expected = fupin_ops::catalog::run_json(&env, entry.id, body.to_string().as_bytes())
            .unwrap_or_else(|p| panic!("{}: {p:?}", entry.id));
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(["--format", "json"]);
        let o = fupin(&all);
        let out = String::from_utf8(o.stdout).unwrap();
        if out != expected.json {
            failures.push(format!(
                "{}: `fupin {}` printed other JSON than the operation (exit {:?}; {})",
                entry.id,
                all.join(" "),
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        if o.status.code() != Some(i32::from(expected.verdict.exit_code(false))) {
            failures.push(format!(
                "{}: exit {:?} for the verdict {}",
                entry.id,
                o.status.code(),
                expected.verdict
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_command_of_the_catalog_has_help() {
    for entry in fupin_ops::catalog::catalog() {
        let mut args: Vec<&str> = entry.command.split(' ').collect();
        args.push("--help");
        let o = fupin(&args);
        assert_eq!(o.status.code(), Some(0), "fupin {}", args.join(" "));
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            out.contains(&format!("Usage: fupin {}", entry.command)),
            "{}: {out}",
            entry.id
        );
    }
}
