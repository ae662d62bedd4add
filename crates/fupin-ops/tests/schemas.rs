//! The contract's schemas: the files in `schemas/` are exactly what the types generate (run
//! with `FUPIN_WRITE_SCHEMAS=1` to rewrite them after changing a type), the examples validate
//! against the input schemas, and what the command and the service write validates against the
//! output schemas.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fupin::assessment::ScoreInput;
use fupin_ops::schema::{Direction, document_named, documents, file_text};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schemas_dir() -> PathBuf {
    root().join("schemas")
}

/// The first lines where two texts differ, as a small diff.
fn diff(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let mut out = String::new();
    let from = first.saturating_sub(2);
    for line in a.iter().skip(from).take(8) {
        let _ = writeln!(out, "- {line}");
    }
    for line in b.iter().skip(from).take(8) {
        let _ = writeln!(out, "+ {line}");
    }
    format!("first difference at line {}:\n{out}", first + 1)
}

/// Check (or, with `FUPIN_WRITE_SCHEMAS` set, write) one generated file.
pub fn check_or_write(path: &Path, text: &str, problems: &mut Vec<String>) {
    if std::env::var_os("FUPIN_WRITE_SCHEMAS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(old) if old == text => {}
        Ok(old) => problems.push(format!("{}: {}", path.display(), diff(&old, text))),
        Err(_) => problems.push(format!("{}: missing", path.display())),
    }
}

#[test]
fn schema_files_match_the_types() {
    let mut problems = Vec::new();
    let docs = documents();
    for d in &docs {
        let path = schemas_dir().join(format!("{}.schema.json", d.name));
        check_or_write(&path, &file_text(&d.schema), &mut problems);
    }
    // No stale file: every *.schema.json is generated.
    for entry in std::fs::read_dir(schemas_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".schema.json")
            && !docs.iter().any(|d| d.name == stem)
        {
            problems.push(format!("schemas/{name}: no type generates it; delete it"));
        }
    }
    assert!(
        problems.is_empty(),
        "the schemas drifted from the types; rewrite them with\n  \
         FUPIN_WRITE_SCHEMAS=1 cargo test -p fupin-ops -p fupin-server\n\
         and review the diff (a change that breaks readers needs format fupin/2):\n{}",
        problems.join("\n")
    );
}

fn validate(schema_name: &str, instance: &Value, what: &str) {
    let doc = document_named(schema_name).unwrap();
    let validator = jsonschema::validator_for(&doc.schema)
        .unwrap_or_else(|e| panic!("{schema_name}: not a valid schema: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match schemas/{schema_name}.schema.json:\n{}",
        errors.join("\n")
    );
}

fn json_file(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn toml_text(text: &str) -> Value {
    let v: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(v).unwrap()
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema_with_an_id() {
    for d in documents() {
        jsonschema::meta::validate(&d.schema).unwrap_or_else(|e| panic!("{}: {e}", d.name));
        assert!(
            d.schema["$id"]
                .as_str()
                .unwrap()
                .starts_with("urn:fupin:schema:fupin/1:")
        );
        if d.direction == Direction::Output {
            assert_eq!(
                d.schema["properties"]["format"]["const"], "fupin/1",
                "{}",
                d.name
            );
        }
    }
}

#[test]
fn the_examples_and_embedded_documents_match_the_input_schemas() {
    validate(
        "score-input",
        &json_file("score_a.json"),
        "examples/score_a.json",
    );
    validate(
        "score-input",
        &json_file("score_b.json"),
        "examples/score_b.json",
    );
    validate(
        "tasks-input",
        &json_file("tasks_2020.json"),
        "examples/tasks_2020.json",
    );
    validate(
        "ledger",
        &json_file("ledger_2020.json"),
        "examples/ledger_2020.json",
    );
    let schedule = std::fs::read_to_string(root().join("examples/schedule_example.toml")).unwrap();
    validate(
        "schedule",
        &toml_text(&schedule),
        "examples/schedule_example.toml",
    );
    let log = std::fs::read_to_string(root().join("examples/approvals_2020.jsonl")).unwrap();
    for (i, line) in log.lines().enumerate() {
        let event: Value = serde_json::from_str(line).unwrap();
        validate(
            "approval-event",
            &event,
            &format!("examples/approvals_2020.jsonl line {}", i + 1),
        );
    }
    validate(
        "policy",
        &toml_text(fupin::policy::CHAOYANG_2020_TOML),
        "the embedded policy",
    );
    let policy: Value = serde_json::from_str(&fupin::Policy::chaoyang_2020().to_json()).unwrap();
    validate("policy", &policy, "the embedded policy as JSON");
    validate(
        "plan-data",
        &toml_text(fupin::data::CHAOYANG_2020_DATA_TOML),
        "the embedded plan data",
    );
    let card: Value = policy["assessment"]["cards"][0].clone();
    validate("scorecard", &card, "card a");
}

#[test]
fn a_float_is_refused_by_the_input_schemas_as_by_the_types() {
    let float = serde_json::json!({"unit": "x", "items": {"annual_targets": 72.5}});
    let doc = document_named("score-input").unwrap();
    let validator = jsonschema::validator_for(&doc.schema).unwrap();
    assert!(!validator.is_valid(&float));
    assert!(ScoreInput::many_from_json(&float.to_string()).is_err());
}

fn written<T: serde::Serialize>(value: &T) -> Value {
    serde_json::from_str(&fupin_ops::to_json(value)).unwrap()
}

#[test]
fn what_is_written_matches_the_output_schemas() {
    let policy = fupin::Policy::chaoyang_2020();
    let data = fupin::data::PlanData::chaoyang_2020();
    let report = fupin::report::report(&policy, &data).unwrap();
    validate("report", &written(&report), "the embedded report");

    for name in ["score_a.json", "score_b.json"] {
        let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
        let inputs = ScoreInput::many_from_json(&text).unwrap();
        let card = policy.assessment.card(&name[6..7]).unwrap();
        let mut out = fupin_ops::output::score_units(card, &inputs, true, "input").unwrap();
        validate("score", &written(&out), name);
        // With a refused unit in its row.
        let mut bad = inputs[0].clone();
        bad.items.insert("no_such_item".into(), 1.into());
        let with_bad: Vec<_> = inputs.iter().cloned().chain([bad]).collect();
        out = fupin_ops::output::score_units(card, &with_bad, true, "input").unwrap();
        assert_eq!(out.errors.len(), 1);
        validate("score", &written(&out), "scores with a refused unit");
    }

    let text = std::fs::read_to_string(root().join("examples/tasks_2020.json")).unwrap();
    let tasks = fupin::tasks::TasksInput::from_json(&text).unwrap();
    let tasks_report = fupin::tasks::check_tasks(&policy, &tasks).unwrap();
    validate("tasks-report", &written(&tasks_report), "the tasks report");

    let text = std::fs::read_to_string(root().join("examples/ledger_2020.json")).unwrap();
    let units = fupin::spending::ledger::unit_names(&data);
    let ledger = fupin::spending::Ledger::from_json(&text, 2020, &units).unwrap();
    let schedule_text =
        std::fs::read_to_string(root().join("examples/schedule_example.toml")).unwrap();
    let schedule = fupin::spending::Schedule::from_toml(&schedule_text).unwrap();
    let month = "2020-06".parse().unwrap();
    let bulletin = fupin::spending::bulletin::bulletin(&ledger, month, Some(&schedule)).unwrap();
    validate("bulletin", &written(&bulletin), "the June bulletin");
    let base: Vec<(String, fupin::Amount)> = units
        .iter()
        .map(|u| (u.clone(), fupin::Amount::wan(2_500)))
        .collect();
    let params = fupin::spending::AllocationPolicy::from_json(
        r#"{"reward_top": 2, "reward": "10%", "penalty_bottom": 2, "penalty": "10%", "penalise_behind_schedule": true}"#,
    )
    .unwrap();
    let plan = fupin::spending::adjust_allocation(
        &bulletin,
        &base,
        fupin::Amount::wan(30_000),
        Some(&params),
    )
    .unwrap();
    validate("allocation", &written(&plan), "an allocation");

    let d = |s: &str| s.parse().unwrap();
    let due =
        fupin::calendar::due_between(&policy.calendar, d("2020-01-01"), d("2020-12-31")).unwrap();
    validate(
        "calendar-due",
        &written(&fupin_ops::CalendarDue {
            from: d("2020-01-01"),
            to: d("2020-12-31"),
            obligations: due,
        }),
        "the 2020 calendar",
    );
    let done = [("M5.rectification".to_owned(), d("2020-07-20"))].into();
    let statuses = fupin::calendar::status_on(
        &policy.calendar,
        d("2020-01-01"),
        d("2020-12-31"),
        d("2020-08-01"),
        &done,
    )
    .unwrap();
    validate(
        "calendar-status",
        &written(&fupin_ops::CalendarStatus::new(
            d("2020-01-01"),
            d("2020-12-31"),
            d("2020-08-01"),
            statuses,
        )),
        "statuses on 2020-08-01",
    );

    let log = std::fs::read_to_string(root().join("examples/approvals_2020.jsonl")).unwrap();
    let mut events = fupin::audit::from_jsonl(&log).unwrap();
    let registry = fupin::approval::Registry::from_toml(
        &std::fs::read_to_string(root().join("examples/registry_2020.toml")).unwrap(),
    )
    .unwrap();
    let opts = fupin::audit::CheckOptions::new(&policy).registry(&registry);
    let ok = fupin_ops::output::verify(&events, &opts, None, fupin::Lang::En);
    assert!(ok.ok);
    validate("approvals-verify", &written(&ok), "a verified log");
    validate(
        "approvals-replay",
        &written(&fupin_ops::output::replay(
            &events,
            &opts,
            true,
            fupin::Lang::Zh,
        )),
        "a replayed log",
    );
    events[2].comment.push_str(" (edited)");
    let tampered = fupin_ops::output::verify(&events, &opts, None, fupin::Lang::En);
    assert!(!tampered.ok);
    validate("approvals-verify", &written(&tampered), "a tampered log");
    validate(
        "approvals-replay",
        &written(&fupin_ops::output::replay(
            &events[..3],
            &opts,
            true,
            fupin::Lang::En,
        )),
        "a short log",
    );

    validate(
        "policy-validation",
        &written(&fupin_ops::PolicyValidation::new(&policy)),
        "a validation",
    );
    let bad = fupin::Policy::from_json("{}").unwrap_err();
    validate(
        "problem",
        &written(&fupin_ops::Problem::from(fupin::Error::from(bad)).at("p.json")),
        "a problem",
    );
}

#[test]
fn a_comparison_lists_each_changed_parameter_and_not_equal_decimals_written_differently() {
    let a = fupin::Policy::chaoyang_2020();
    let toml =
        fupin::policy::CHAOYANG_2020_TOML.replace("county = \"2500万元\"", "county = \"2600万元\"");
    let b = fupin::Policy::from_toml(&toml).unwrap();
    let c = fupin_ops::output::compare_policies(&a, &b);
    assert!(!c.same);
    assert_eq!(c.changes.len(), 1, "{:?}", c.changes);
    assert_eq!(c.changes[0].path, "funds.quota.county");
    assert_eq!(c.changes[0].old, "25000000");
    assert_eq!(c.changes[0].new, "26000000");
    validate("policy-comparison", &written(&c), "a comparison");
    // 0.2 and 0.20 are the same parameter.
    let mut v: Value = serde_json::to_value(&a).unwrap();
    v["funds"]["input_growth_target"] = "0.2".into();
    let same = fupin::Policy::from_json(&v.to_string()).unwrap();
    assert!(fupin_ops::output::compare_policies(&a, &same).same);
}
