//! Hostile and sloppy input through the command line (issue #10): how files are read (size
//! cap, standard input, encodings, format by content).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test may panic

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fupin_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fupin"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("FUPIN_MAX_INPUT_BYTES")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("fupin runs");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn fupin(args: &[&str]) -> Output {
    fupin_with(args, &[], None)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn an_endless_input_stops_at_the_size_cap() {
    let o = fupin(&["score", "--card", "a", "--input", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("size cap of 256 MiB"), "{}", stderr(&o));
    let o = fupin_with(
        &["score", "--card", "a", "--input", "/dev/zero"],
        &[("FUPIN_MAX_INPUT_BYTES", "1K")],
        None,
    );
    assert!(stderr(&o).contains("size cap of 1 KiB"), "{}", stderr(&o));
    // The flag wins over the environment; a bad size is refused either way.
    let o = fupin_with(
        &[
            "--max-input-size",
            "100",
            "tasks",
            "check",
            "--input",
            "examples/tasks_2020.json",
        ],
        &[("FUPIN_MAX_INPUT_BYTES", "1G")],
        None,
    );
    assert!(
        stderr(&o).contains("size cap of 100 bytes"),
        "{}",
        stderr(&o)
    );
    let o = fupin_with(&["report"], &[("FUPIN_MAX_INPUT_BYTES", "lots")], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`lots` is not a size"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_dash_reads_standard_input_once() {
    let json = std::fs::read(root().join("examples/score_a.json")).unwrap();
    let o = fupin_with(
        &["score", "--card", "a", "--input", "-", "--format", "json"],
        &[],
        Some(&json),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"card\": \"a\""));
    let o = fupin_with(
        &[
            "spending",
            "bulletin",
            "--ledger",
            "-",
            "--month",
            "2020-06",
            "--schedule",
            "-",
        ],
        &[],
        Some(b"month,county,allocated,spent\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("one input only"), "{}", stderr(&o));
}

#[test]
fn a_gbk_ledger_is_read_and_said_so_but_gbk_toml_is_refused_with_a_how_to() {
    let csv = std::fs::read_to_string(root().join("examples/ledger_2020.csv")).unwrap();
    let o = fupin_with(
        &[
            "spending", "bulletin", "--ledger", "-", "--month", "2020-06",
        ],
        &[],
        Some(&gbk(&csv)),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("read as GB18030 (GBK)"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("建平县"));
    let toml =
        std::fs::read_to_string(root().join("crates/fupin/data/chaoyang_2020_data.toml")).unwrap();
    let o = fupin_with(&["data", "check", "-"], &[], Some(&gbk(&toml)));
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("looks like GBK") && err.contains("iconv"),
        "{err}"
    );
}

/// The text as Excel writes it on Chinese Windows.
fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

#[test]
fn the_format_is_told_by_content_or_given() {
    let dir = tempfile::tempdir().unwrap();
    // A JSON policy named .txt gets JSON's errors, not TOML's.
    let path = dir.path().join("policy.txt");
    std::fs::write(&path, "{\"meta\": 1}").unwrap();
    let o = fupin(&["policy", "check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("field `meta`: invalid type: integer `1`"),
        "{err}"
    );
    assert!(!err.contains("TOML"), "{err}");
    // --input-format forces the main input's format, and must be one it can have.
    let o = fupin(&[
        "--input-format",
        "toml",
        "tasks",
        "check",
        "--input",
        "examples/tasks_2020.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("(syntax)"), "{}", stderr(&o));
    let o = fupin(&[
        "spending",
        "bulletin",
        "--ledger",
        "examples/ledger_2020.csv",
        "--month",
        "2020-06",
        "--input-format",
        "toml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is read as csv or json"),
        "{}",
        stderr(&o)
    );
}
