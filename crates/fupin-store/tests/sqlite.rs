//! The database refuses every change of history: UPDATE, DELETE, INSERT OR REPLACE, UPSERT,
//! an event out of sequence; imports and exports are byte for byte; queries use the indexes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a failing test may panic

use fupin::approval::Stage;
use fupin::audit::AuditLog;
use fupin_store::{QUERY_PROJECTS_AT, Store, StoreError};

fn sample_db(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let text = AuditLog::sample_2020().to_jsonl();
    let path = dir.join("sample.db");
    let Store::Sqlite(db) = Store::open(&path).unwrap() else {
        panic!("a .db file is SQLite")
    };
    assert_eq!(db.import_jsonl(&text, |_| Ok(())).unwrap(), 18);
    (path, text)
}

#[test]
fn the_database_refuses_every_change_of_history() {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = sample_db(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let refused = |sql: &str| {
        let e = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    };
    refused("UPDATE events SET line = 'x' WHERE seq = 3");
    refused("DELETE FROM events WHERE seq = 17");
    refused("DELETE FROM events");
    // REPLACE would delete the old row without the delete trigger (recursive_triggers off on
    // this plain connection): the insert trigger refuses it first.
    refused("INSERT OR REPLACE INTO events SELECT * FROM events WHERE seq = 3");
    refused("REPLACE INTO events SELECT * FROM events WHERE seq = 5");
    refused(
        "INSERT INTO events SELECT * FROM events WHERE seq = 3 ON CONFLICT(seq) DO UPDATE SET line = 'x'",
    );
    refused(
        "INSERT OR IGNORE INTO events SELECT 30, project, county, stage, step, actor, at, prev_hash, hash || 'x', line FROM events WHERE seq = 3",
    );
    assert_eq!(Store::open(&path).unwrap().export_jsonl().unwrap(), text);
}

#[test]
fn import_and_export_are_byte_for_byte_and_import_needs_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = sample_db(dir.path());
    let store = Store::open(&path).unwrap();
    assert_eq!(store.kind(), "sqlite");
    assert_eq!(store.export_jsonl().unwrap(), text);
    let Store::Sqlite(db) = store else {
        unreachable!()
    };
    assert!(matches!(
        db.import_jsonl(&text, |_| Ok(())),
        Err(StoreError::NotEmpty { count: 18, .. })
    ));
    // A tampered file is not imported.
    let other = dir.path().join("other.db");
    let Store::Sqlite(db2) = Store::open(&other).unwrap() else {
        unreachable!()
    };
    let forged = text.replacen("\"1000000\"", "\"1200000\"", 1);
    assert!(matches!(
        db2.import_jsonl(&forged, |_| Ok(())),
        Err(StoreError::Log { .. })
    ));
    assert_eq!(Store::open(&other).unwrap().export_jsonl().unwrap(), "");
}

#[test]
fn queries_use_the_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = sample_db(dir.path());
    let Store::Sqlite(db) = Store::open(&path).unwrap() else {
        unreachable!()
    };
    assert_eq!(
        db.projects_at("建平县", Stage::Approved).unwrap(),
        ["JP-2020-001"]
    );
    assert_eq!(
        db.projects_at("朝阳县", Stage::Reviewed).unwrap(),
        ["CY-2020-003"]
    );
    assert_eq!(
        db.projects_at("喀左县", Stage::Rejected).unwrap(),
        ["KZ-2020-002"]
    );
    assert!(db.projects_at("建平县", Stage::Applied).unwrap().is_empty());
    assert_eq!(db.events_of_project("CY-2020-003").unwrap().len(), 6);
    let plan: Vec<String> = db
        .connection()
        .prepare(&format!("EXPLAIN QUERY PLAN {QUERY_PROJECTS_AT}"))
        .unwrap()
        .query_map(rusqlite::params!["建平县", "approved"], |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let plan = plan.join(" | ");
    assert!(plan.contains("events_by_county"), "{plan}");
    assert!(
        plan.contains("events_by_project") || plan.contains("PRIMARY KEY"),
        "{plan}"
    );
    assert!(!plan.contains("SCAN events"), "{plan}");
}

#[test]
fn an_interrupted_jsonl_append_is_reported_not_appended_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let text = AuditLog::sample_2020().to_jsonl();
    std::fs::write(&path, &text[..text.len() - 40]).unwrap();
    let store = Store::open(&path).unwrap();
    assert!(matches!(
        store.lines(),
        Err(StoreError::IncompleteLastLine { line: 18, .. })
    ));
    let e = store
        .append(|_| unreachable!("nothing is appended after a cut line"))
        .unwrap_err();
    assert!(e.to_string().contains("interrupted"), "{e}");
}
