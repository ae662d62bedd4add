//! Several processes append to one log at once, on both stores: the log ends as one valid
//! chain holding every event, and the database refuses every change of history.
//!
//! The parent test starts copies of this test binary as child appenders (`child_appender`,
//! which does nothing unless `FUPIN_STORE_CHILD` is set).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a failing test may panic

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Duration, TimeZone, Utc};
use fupin::Policy;
use fupin::approval::{Action, Registry, Stage};
use fupin::audit::{self, CheckOptions, Draft, DraftAction, example_key};
use fupin::money::Amount;
use fupin::projects::{Category, FundSource, PerformanceTarget, Project, ProjectLibrary};
use fupin_store::{Store, StoreError};

const WORKERS: usize = 4;
/// Projects per worker; each takes the 9 events of the plan's path with its M8 steps.
const PROJECTS: usize = 7;
const STEPS: usize = 9;

/// Test actors, keyed with the published example keys (test data only).
const ACTORS: &[(&str, &str, &str, &str, &str)] = &[
    ("t-entry", "county", "poverty_office", "建平县", ""),
    ("t-town", "township", "township", "建平县", "朱碌科镇"),
    ("t-review", "county", "finance", "建平县", ""),
    ("t-lg", "city", "leading_group", "", ""),
    ("t-recheck", "city", "finance", "", ""),
    ("t-funds", "city", "finance", "", ""),
    ("t-approve", "city", "leading_group", "", ""),
];

fn registry() -> Registry {
    let mut toml = String::new();
    for (id, level, role, county, town) in ACTORS {
        let key = hex::encode(example_key(id).verifying_key().as_bytes());
        toml += &format!(
            "[[actors]]\nid = \"{id}\"\nname = \"{id}\"\nrole = \"{role}\"\nlevel = \"{level}\"\npublic_key = \"{key}\"\n"
        );
        if !county.is_empty() {
            toml += &format!("county = \"{county}\"\n");
        }
        if !town.is_empty() {
            toml += &format!("township = \"{town}\"\n");
        }
    }
    Registry::from_toml(&toml).unwrap()
}

fn project_id(worker: usize, k: usize) -> String {
    format!("JP-W{worker}-{k:02}")
}

fn library() -> ProjectLibrary {
    let policy = Policy::chaoyang_2020();
    let mut lib = ProjectLibrary::new("建平县");
    for w in 0..WORKERS {
        for k in 0..PROJECTS {
            let mut p = Project::new(
                project_id(w, k),
                "大棚",
                "建平县",
                "朱碌科镇",
                Category::FacilityAgriculture,
                Amount::wan(120),
                FundSource::CitySpecial,
            );
            p.implementing_unit = Some("朱碌科镇人民政府".into());
            p.performance_targets
                .push(PerformanceTarget::new("带动贫困户", "≥ 50 户"));
            p.documents
                .extend(policy.projects.required_documents.iter().cloned());
            lib.admit(p, &policy.projects).unwrap();
        }
    }
    lib
}

/// The k-th step of the plan's path: (action, actor).
fn path_step(i: usize) -> (DraftAction, &'static str) {
    let a = |a| DraftAction::Step(a);
    match i {
        0 => (DraftAction::Enter, "t-entry"),
        1 => (a(Action::Apply), "t-town"),
        2 => (a(Action::Review), "t-review"),
        3 => (a(Action::ReviewTargets), "t-review"),
        4 => (a(Action::FileTargets), "t-lg"),
        5 => (a(Action::PublishTargets), "t-review"),
        6 => (
            a(Action::Recheck {
                approved: Amount::wan(100),
            }),
            "t-recheck",
        ),
        7 => (
            a(Action::ArrangeFunds {
                amount: Amount::wan(100),
            }),
            "t-funds",
        ),
        _ => (a(Action::ApproveImplementation), "t-approve"),
    }
}

#[test]
fn child_appender() {
    let Ok(worker) = std::env::var("FUPIN_STORE_CHILD") else {
        return;
    };
    let worker: usize = worker.parse().unwrap();
    let path = PathBuf::from(std::env::var("FUPIN_STORE_PATH").unwrap());
    let (registry, policy, lib) = (registry(), Policy::chaoyang_2020(), library());
    let t0 = Utc.with_ymd_and_hms(2020, 4, 1, 9, 0, 0).unwrap();
    // Interleave the worker's projects so that appenders overlap for the whole run.
    for i in 0..STEPS {
        for k in 0..PROJECTS {
            let (action, actor) = path_step(i);
            let draft = Draft {
                project: project_id(worker, k),
                action,
                actor: actor.into(),
                at: t0 + Duration::hours(i64::try_from(i * 100 + k).unwrap()),
                comment: format!("worker {worker}"),
            };
            let store = Store::open(&path).unwrap();
            store
                .append(|events| {
                    audit::append(
                        events,
                        &draft,
                        &example_key(actor),
                        &registry,
                        &policy,
                        Some(&lib),
                    )
                })
                .unwrap();
        }
    }
}

fn run_appenders(path: &Path) {
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WORKERS)
        .map(|w| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_appender",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("FUPIN_STORE_CHILD", w.to_string())
                .env("FUPIN_STORE_PATH", path)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "an appender failed");
    }
    let store = Store::open(path).unwrap();
    let events = store.events().unwrap();
    assert_eq!(
        events.len(),
        WORKERS * PROJECTS * STEPS,
        "every event is in the log"
    );
    let policy = Policy::chaoyang_2020();
    let reg = registry();
    let checked = audit::check(&events, &CheckOptions::new(&policy).registry(&reg)).unwrap();
    assert_eq!(checked.signed, events.len());
    for w in 0..WORKERS {
        for k in 0..PROJECTS {
            assert_eq!(checked.states[&project_id(w, k)].stage, Stage::Approved);
        }
    }
}

#[test]
fn concurrent_appenders_never_fork_a_jsonl_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("approvals.jsonl");
    run_appenders(&path);
    // One line per event, each ending with a line end.
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches('\n').count(), WORKERS * PROJECTS * STEPS);
}

#[test]
fn concurrent_appenders_never_fork_a_sqlite_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("approvals.db");
    run_appenders(&path);
    // Export and import give the same bytes back.
    let text = Store::open(&path).unwrap().export_jsonl().unwrap();
    let copy = dir.path().join("copy.db");
    let Store::Sqlite(db) = Store::open(&copy).unwrap() else {
        panic!("a .db file is SQLite")
    };
    db.import_jsonl(&text, |_| Ok(())).unwrap();
    assert_eq!(Store::open(&copy).unwrap().export_jsonl().unwrap(), text);
    // Projects of a county at a stage, through the indexes.
    assert_eq!(
        db.projects_at("建平县", Stage::Approved).unwrap().len(),
        WORKERS * PROJECTS
    );
    assert!(db.projects_at("建平县", Stage::Applied).unwrap().is_empty());
    assert_eq!(
        db.events_of_project(&project_id(1, 3)).unwrap().len(),
        STEPS
    );
    let _ = StoreError::NotEmpty {
        path: copy,
        count: 0,
    };
}
