//! `fupin keys` and `fupin approvals` as a county office runs them: the README's keys → append
//! → head → verify --anchor, and every forgery of issue #12 detected by `verify` and by
//! `replay` (which verifies first), naming the event.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failing test may panic

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fupin::approval::Action;
use fupin::audit::{self, Event, EventActor, example_key};

fn fupin_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fupin"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("fupin runs")
}

fn fupin(args: &[&str]) -> Output {
    fupin_in(&root(), args)
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
const REGISTRY: &str = "examples/registry_2020.toml";
const UNSIGNED: &str = "crates/fupin/src/audit/testdata/unsigned_2020.jsonl";

fn example_events() -> Vec<Event> {
    audit::from_jsonl(&std::fs::read_to_string(root().join(EXAMPLE)).unwrap()).unwrap()
}

fn write_events(dir: &Path, name: &str, events: &[Event]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, audit::to_jsonl(events)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Verify and replay a log: both exit 1 with a message containing every needle.
fn both_refuse(log: &str, extra: &[&str], needles: &[&str]) {
    for cmd in ["verify", "replay"] {
        let mut args = vec![
            "approvals",
            cmd,
            log,
            "--registry",
            REGISTRY,
            "--lang",
            "en",
        ];
        args.extend_from_slice(extra);
        let o = fupin(&args);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{cmd}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        for n in needles {
            assert!(stderr(&o).contains(n), "{cmd}: `{n}` not in {}", stderr(&o));
        }
    }
}

/// A correctly signed and chained event, whatever the rules say.
fn forge(
    events: &[Event],
    project: &str,
    action: Action,
    actor: &str,
    from: fupin::approval::Stage,
) -> Event {
    let last = events.last().unwrap();
    let mut e = Event {
        seq: events.len() as u64,
        from: Some(from),
        to: fupin::approval::Stage::Rechecked,
        body: fupin::audit::EventBody {
            project: project.into(),
            action,
            actor: EventActor::Id(actor.into()),
            at: last.at + chrono::Duration::hours(1),
            comment: String::new(),
        },
        prev_hash: last.hash.clone(),
        hash: String::new(),
        signature: None,
    };
    e.sign(&example_key(actor));
    e
}

#[test]
fn the_signed_example_verifies_with_its_registry() {
    let o = fupin(&[
        "approvals",
        "verify",
        EXAMPLE,
        "--registry",
        REGISTRY,
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ok — 18 events (all signed), head 18 "),
        "{}",
        stdout(&o)
    );
    let o = fupin(&[
        "approvals",
        "replay",
        EXAMPLE,
        "--registry",
        REGISTRY,
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "JP-2020-001",
        "approved for implementation",
        "reviewed by county",
        "rejected",
    ] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    assert!(
        out.contains("L8 performance targets before approval: none"),
        "{out}"
    );
    let o = fupin(&[
        "approvals",
        "replay",
        EXAMPLE,
        "--registry",
        REGISTRY,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["projects"]["JP-2020-001"]["approved"], "1000000");
    assert_eq!(v["verified"], true);
    assert_eq!(v["library_rules"].as_array().unwrap().len(), 8);
    // A signed log needs the registry: bad input, exit 2.
    let o = fupin(&["approvals", "verify", EXAMPLE]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("registry"), "{}", stderr(&o));
}

#[test]
fn readme_keys_append_head_verify_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("examples/library_jianping_2020.json"),
        d.join("library.json"),
    )
    .unwrap();
    let mut registry = String::new();
    for (actor, extra) in [
        (
            "jp-fpb-zhou",
            "name = \"周主任\"\nrole = \"poverty_office\"\nlevel = \"county\"\ncounty = \"建平县\"\n",
        ),
        (
            "zlk-zhang",
            "name = \"张乡长\"\nrole = \"township\"\nlevel = \"township\"\ncounty = \"建平县\"\ntownship = \"朱碌科镇\"\n",
        ),
    ] {
        let o = fupin_in(d, &["keys", "new", "--actor", actor]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(d.join(format!("{actor}.key")))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        registry += &stdout(&o);
        registry += extra;
        registry += "valid_from = 2020-01-01\n\n";
    }
    // Never over an existing key.
    let o = fupin_in(d, &["keys", "new", "--actor", "zlk-zhang"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("never overwritten"), "{}", stderr(&o));
    std::fs::write(d.join("registry.toml"), registry).unwrap();
    std::fs::write(d.join("enter.json"), r#"{"project": "JP-2020-001", "action": "enter", "actor": "jp-fpb-zhou", "at": "2020-04-01T09:00:00+08:00"}"#).unwrap();
    std::fs::write(d.join("apply.json"), r#"{"project": "JP-2020-001", "action": "apply", "actor": "zlk-zhang", "comment": "朱政发〔2020〕5号"}"#).unwrap();
    for log in ["office.db", "office.jsonl"] {
        let o = fupin_in(
            d,
            &[
                "approvals",
                "append",
                log,
                "--event",
                "enter.json",
                "--key",
                "jp-fpb-zhou.key",
                "--registry",
                "registry.toml",
                "--library",
                "library.json",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = fupin_in(
            d,
            &["approvals", "head", log, "--registry", "registry.toml"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).starts_with("1 "), "{}", stdout(&o));
        std::fs::write(d.join("anchors.txt"), stdout(&o)).unwrap();
        // The wrong key for the actor is refused before anything is written.
        let o = fupin_in(
            d,
            &[
                "approvals",
                "append",
                log,
                "--event",
                "apply.json",
                "--key",
                "jp-fpb-zhou.key",
                "--registry",
                "registry.toml",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let o = fupin_in(
            d,
            &[
                "approvals",
                "append",
                log,
                "--event",
                "apply.json",
                "--key",
                "zlk-zhang.key",
                "--registry",
                "registry.toml",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).contains("appended event 1"), "{}", stdout(&o));
        let o = fupin_in(
            d,
            &[
                "approvals",
                "verify",
                log,
                "--registry",
                "registry.toml",
                "--anchor",
                "anchors.txt",
                "--lang",
                "en",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("kept; the log grew by 1 since"),
            "{}",
            stdout(&o)
        );
        // A step the rules refuse: the township applies twice.
        let o = fupin_in(
            d,
            &[
                "approvals",
                "append",
                log,
                "--event",
                "apply.json",
                "--key",
                "zlk-zhang.key",
                "--registry",
                "registry.toml",
                "--lang",
                "en",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("JP-2020-001"), "{}", stderr(&o));
    }
    // Both stores hold the same events; export gives the JSONL lines.
    let db = fupin_in(d, &["approvals", "export", "office.db"]);
    assert_eq!(stdout(&db).lines().count(), 2);
    let o = fupin_in(
        d,
        &[
            "approvals",
            "query",
            "office.db",
            "--county",
            "建平县",
            "--stage",
            "applied",
        ],
    );
    assert_eq!(stdout(&o), "JP-2020-001\n");
}

#[test]
fn truncation_is_detected_against_the_latest_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let all = example_events();
    let anchors = dir.path().join("anchors.txt");
    std::fs::write(&anchors, format!("18 {}\n", all[17].hash)).unwrap();
    let cut = write_events(dir.path(), "cut.jsonl", &all[..15]);
    both_refuse(
        &cut,
        &["--anchor", anchors.to_str().unwrap()],
        &["truncated", "events 15–17 were removed"],
    );
    // The recorded head given as --head works too.
    let o = fupin(&[
        "approvals",
        "verify",
        &cut,
        "--registry",
        REGISTRY,
        "--head",
        &all[17].hash,
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_forged_city_recheck_with_a_correct_hash_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = example_events();
    let mut e = forge(
        &t,
        "CY-2020-003",
        Action::Recheck {
            approved: "800000".parse().unwrap(),
        },
        "cyc-nyk-wang",
        fupin::approval::Stage::Reviewed,
    );
    // Signed with a key that is not 王科长's.
    e.sign(&ed25519_dalek::SigningKey::from_bytes(&[9; 32]));
    t.push(e);
    let log = write_events(dir.path(), "forged.jsonl", &t);
    both_refuse(
        &log,
        &[],
        &["line 19 (event 18)", "cyc-nyk-wang", "does not verify"],
    );
}

#[test]
fn an_edit_rehashed_through_the_whole_chain_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = example_events();
    t[13].action = Action::Recheck {
        approved: "1200000".parse().unwrap(),
    };
    let mut prev = t[12].hash.clone();
    for e in &mut t[13..] {
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
    }
    let log = write_events(dir.path(), "rehashed.jsonl", &t);
    both_refuse(&log, &[], &["line 14 (event 13)", "does not verify"]);
}

#[test]
fn claiming_another_role_or_acting_outside_the_jurisdiction_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let all = example_events();
    // 张乡长 (township) signs the city re-check of 建平县's project with his own key.
    let mut t = all[..7].to_vec();
    t.push(forge(
        &t,
        "JP-2020-001",
        Action::Recheck {
            approved: "1000000".parse().unwrap(),
        },
        "zlk-zhang",
        fupin::approval::Stage::Reviewed,
    ));
    let log = write_events(dir.path(), "role.jsonl", &t);
    both_refuse(&log, &[], &["line 8 (event 7)", "city level", "张乡长"]);
    // 吴科长 of 朝阳县 signs the review of 建平县's project.
    let mut t = all[..6].to_vec();
    t.push(forge(
        &t,
        "JP-2020-001",
        Action::Review,
        "cy-czj-wu",
        fupin::approval::Stage::Applied,
    ));
    let log = write_events(dir.path(), "place.jsonl", &t);
    both_refuse(
        &log,
        &[],
        &["line 7 (event 6)", "outside the jurisdiction", "吴科长"],
    );
}

#[test]
fn an_expired_actor_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(REGISTRY)).unwrap();
    let zhao = text.find("id = \"cyc-gk-zhao\"").unwrap();
    let end = zhao + text[zhao..].find("valid_to = \"2020-12-31\"").unwrap();
    let short = format!(
        "{}valid_to = \"2020-04-09\"{}",
        &text[..end],
        &text[end + 24..]
    );
    let path = dir.path().join("registry.toml");
    std::fs::write(&path, short).unwrap();
    for cmd in ["verify", "replay"] {
        let o = fupin(&[
            "approvals",
            cmd,
            EXAMPLE,
            "--registry",
            path.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("line 15 (event 14)") && stderr(&o).contains("ended on 2020-04-09"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn unsigned_logs_verify_as_hash_chain_only_with_a_warning_in_every_output() {
    let o = fupin(&["approvals", "verify", UNSIGNED, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 signed, 18 unsigned (hash chain only)"),
        "{}",
        stdout(&o)
    );
    assert!(
        stderr(&o).contains("warning: unsigned, hash chain only"),
        "{}",
        stderr(&o)
    );
    let o = fupin(&["approvals", "verify", UNSIGNED, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["unsigned"], 18);
    assert!(
        v["warnings"]
            .to_string()
            .contains("unsigned, hash chain only"),
        "{v}"
    );
    let o = fupin(&["approvals", "replay", UNSIGNED, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("warning: unsigned, hash chain only"),
        "{}",
        stdout(&o)
    );
    let o = fupin(&["approvals", "replay", UNSIGNED, "--format", "json"]);
    assert!(stdout(&o).contains("unsigned, hash chain only"));
    // Import into a database keeps the bytes.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("legacy.db");
    let o = fupin(&["approvals", "import", UNSIGNED, db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = fupin(&["approvals", "export", db.to_str().unwrap()]);
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(root().join(UNSIGNED)).unwrap()
    );
}

#[test]
fn bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // A malformed --head.
    let o = fupin(&["approvals", "verify", UNSIGNED, "--head", "xyz"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--head"), "{}", stderr(&o));
    // An empty log, unless asked for.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let o = fupin(&["approvals", "verify", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no event"), "{}", stderr(&o));
    let o = fupin(&[
        "approvals",
        "verify",
        empty.to_str().unwrap(),
        "--allow-empty",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A line that is not an event names the file and the line.
    let mut lines: Vec<String> = std::fs::read_to_string(root().join(UNSIGNED))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[2] = "{not json".into();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let o = fupin(&["approvals", "replay", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.jsonl") && stderr(&o).contains("line 3"),
        "{}",
        stderr(&o)
    );
    // An endless file stops at the size cap.
    let o = fupin(&["approvals", "verify", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("larger than"), "{}", stderr(&o));
    // A registry with a control character in a name.
    let r = dir.path().join("r.toml");
    std::fs::write(&r, "[[actors]]\nid = \"x\"\nname = \"\\u001b[2J ALL CHECKS PASSED\"\nrole = \"finance\"\nlevel = \"city\"\n").unwrap();
    let o = fupin(&[
        "approvals",
        "verify",
        EXAMPLE,
        "--registry",
        r.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("control character") && !stderr(&o).contains('\u{1b}'),
        "{}",
        stderr(&o)
    );
}
