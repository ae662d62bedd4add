//! `fupin approvals replay|verify` as a user runs them on the shipped example log.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fupin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("fupin runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const EXAMPLE: &str = "examples/approvals_2020.jsonl";

fn example_lines() -> Vec<String> {
    std::fs::read_to_string(root().join(EXAMPLE))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, lines: &[String]) -> String {
    let path = dir.join("log.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn readme_verify_example_passes() {
    let o = fupin(&["approvals", "verify", EXAMPLE]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ok — 18 events, head "),
        "{}",
        stdout(&o)
    );
}

#[test]
fn readme_replay_example_prints_every_project() {
    let o = fupin(&["approvals", "replay", EXAMPLE, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "JP-2020-001",
        "approved for implementation",
        "CY-2020-003",
        "reviewed by county",
        "KZ-2020-002",
        "rejected",
        "100 ×10k yuan",
    ] {
        assert!(out.contains(needle), "missing {needle} in\n{out}");
    }
    let zh = stdout(&fupin(&["approvals", "replay", EXAMPLE]));
    assert!(zh.contains("批准实施") && zh.contains("不予通过"), "{zh}");
}

#[test]
fn replay_json_keeps_amounts_exact() {
    let o = fupin(&["approvals", "replay", EXAMPLE, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["projects"]["JP-2020-001"]["approved"], "1000000");
    assert_eq!(v["projects"]["JP-2020-001"]["stage"], "approved");
    assert!(v["error"].is_null());
}

#[test]
fn edited_event_exits_1_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = example_lines();
    lines[13] = lines[13].replace("\"1000000\"", "\"1200000\"");
    let path = write_lines(dir.path(), &lines);
    let o = fupin(&["approvals", "verify", &path]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("log.jsonl: line 14") && err.contains("edited"),
        "{err}"
    );
}

#[test]
fn removed_and_reordered_events_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = example_lines();
    lines.remove(4);
    let o = fupin(&["approvals", "verify", &write_lines(dir.path(), &lines)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 5: event 4 was removed"),
        "{}",
        stderr(&o)
    );
    let mut lines = example_lines();
    lines.swap(7, 8);
    let o = fupin(&["approvals", "verify", &write_lines(dir.path(), &lines)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("out of order"), "{}", stderr(&o));
}

#[test]
fn truncation_is_caught_by_the_recorded_head() {
    let head = stdout(&fupin(&["approvals", "verify", EXAMPLE]));
    let head = head.trim().rsplit(' ').next().unwrap().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let mut lines = example_lines();
    lines.pop();
    let path = write_lines(dir.path(), &lines);
    assert_eq!(
        fupin(&["approvals", "verify", &path]).status.code(),
        Some(0)
    );
    let o = fupin(&["approvals", "verify", &path, "--head", &head]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("removed from or added to its end"),
        "{}",
        stderr(&o)
    );
    let o = fupin(&["approvals", "verify", EXAMPLE, "--head", &head]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn malformed_line_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = example_lines();
    lines[2] = "{\"seq\": 2, oops".into();
    let path = write_lines(dir.path(), &lines);
    for cmd in ["verify", "replay"] {
        let o = fupin(&["approvals", cmd, &path]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = stderr(&o);
        assert!(
            err.contains("log.jsonl: line 3: not a valid event"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let o = fupin(&["approvals", "verify", "/nonexistent/log.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn illegal_event_in_replay_exits_1_naming_event_project_and_step() {
    // Drop the county's review of JP-2020-001 (line 7): the re-check then comes before it.
    // Hashes are not replay's business, so the broken chain does not matter here.
    let dir = tempfile::tempdir().unwrap();
    let mut lines = example_lines();
    lines.remove(6);
    let path = write_lines(dir.path(), &lines);
    let o = fupin(&["approvals", "replay", &path, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("JP-2020-001"), "{err}");
    assert!(
        stdout(&o).contains("KZ-2020-002"),
        "states so far are printed"
    );
    let o = fupin(&["approvals", "replay", &path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"]["project"], "JP-2020-001");
    assert!(v["error"]["line"].as_u64().unwrap() > 6);
}

#[test]
fn replay_names_the_library_rules_in_every_output() {
    let o = fupin(&["approvals", "replay", EXAMPLE, "--lang", "en"]);
    let out = stdout(&o);
    assert!(
        out.contains("Library rules (not the plan's")
            && out.contains("L8 performance targets before approval: none"),
        "{out}"
    );
    let o = fupin(&["approvals", "replay", EXAMPLE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["library_rules"].as_array().unwrap().len(), 8);
}
