use super::*;
use crate::approval::fixtures::{any_sequence, cast, happy_path, project, run_log};
#[allow(unused_imports)]
use crate::approval::{Action, Actor, ApprovalError, ProjectApproval, Registry, Stage, Timestamp};
use crate::money::Amount;
use proptest::prelude::*;

/// A log as the library wrote it before signatures: the example of earlier releases.
const UNSIGNED: &str = include_str!("testdata/unsigned_2020.jsonl");

mod signed;

fn policy() -> crate::Policy {
    crate::Policy::chaoyang_2020()
}

/// The unsigned log of earlier releases, as events.
fn chain() -> AuditLog {
    AuditLog::from_events(from_jsonl(UNSIGNED).unwrap(), policy()).unwrap()
}

#[test]
fn unsigned_logs_still_verify_as_hash_chain_only_with_a_warning() {
    let events = from_jsonl(UNSIGNED).unwrap();
    assert!(events.iter().all(|e| !e.is_signed()));
    let p = policy();
    let c = check(&events, &CheckOptions::new(&p)).unwrap();
    assert_eq!((c.signed, c.unsigned), (0, 18));
    assert!(c.warnings.contains(&Warning::Unsigned { count: 18 }));
    assert!(c.warnings.contains(&Warning::ClaimedRoles));
    assert!(
        Warning::Unsigned { count: 18 }
            .label()
            .en
            .contains("unsigned, hash chain only")
    );
    assert_eq!(c.states["JP-2020-001"].stage, Stage::Approved);
    assert_eq!(c.states["CY-2020-003"].stage, Stage::Reviewed);
    // With the registry, the claimed roles are checked against it (they agree here).
    let reg = sample_2020_registry();
    let c = check(&events, &CheckOptions::new(&p).registry(&reg)).unwrap();
    assert!(!c.warnings.contains(&Warning::ClaimedRoles));
    assert!(c.warnings.contains(&Warning::Unsigned { count: 18 }));
    // And the lines are written back byte for byte.
    assert_eq!(to_jsonl(&events), UNSIGNED);
}

#[test]
fn hash_is_sha256_of_prev_hash_and_canonical_json() {
    let log = chain();
    let e = &log.events()[0];
    assert_eq!(e.prev_hash, GENESIS);
    let json = e.canonical_json();
    assert!(
        json.starts_with(r#"{"action":{"kind":"enter","project":{"county":"建平县""#),
        "{json}"
    );
    let mut h = Sha256::new();
    h.update(GENESIS.as_bytes());
    h.update(json.as_bytes());
    assert_eq!(e.hash, hex::encode(h.finalize()));
    assert_eq!(log.events()[1].prev_hash, e.hash);
}

#[test]
fn verify_names_edited_removed_inserted_and_reordered_events() {
    let events = chain().events().to_vec();
    // Edited: a comment changed.
    let mut t = events.clone();
    t[3].comment = "改".into();
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 4,
            tampering: Tampering::Edited { seq: 3 }
        }
    );
    // Edited and re-hashed: the next line no longer links.
    t[3].hash = t[3].expected_hash();
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 4,
            tampering: Tampering::Rehashed { seq: 3 }
        }
    );
    // Removed.
    let mut t = events.clone();
    t.remove(5);
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 6,
            tampering: Tampering::Removed { first: 5, last: 5 }
        }
    );
    let mut t = events.clone();
    t.remove(0);
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 1,
            tampering: Tampering::Removed { first: 0, last: 0 }
        }
    );
    // Inserted: a well-formed event chained to line 5 placed after it.
    let mut t = events.clone();
    let mut forged = events[5].clone();
    forged.comment = "伪造".into();
    forged.prev_hash = events[4].hash.clone();
    forged.hash = forged.expected_hash();
    t.insert(5, forged);
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 6,
            tampering: Tampering::Inserted { seq: 5 }
        }
    );
    // Reordered.
    let mut t = events.clone();
    t.swap(7, 8);
    assert_eq!(
        verify(&t).unwrap_err(),
        AuditError::Tampered {
            line: 8,
            tampering: Tampering::Reordered { seq: 8 }
        }
    );
    // The end: only the head shows a removal.
    let mut t = events.clone();
    t.pop();
    assert!(verify(&t).is_ok());
    let e = verify_head(&t, &chain().head()).unwrap_err();
    assert!(
        e.to_string().contains("removed from or added to its end"),
        "{e}"
    );
}

#[test]
fn replay_refuses_an_illegal_event_naming_its_line() {
    let c = cast();
    let mut log = AuditLog::with_policy(crate::approval::fixtures::open_policy());
    let none: Option<&Registry> = None;
    let mut lib = ProjectLibrary::new("建平县");
    let p = project();
    let open = crate::projects::ProjectsPolicy::open();
    lib.admit(
        crate::projects::Project::new(
            p.id.clone(),
            p.name,
            p.county,
            p.township,
            crate::projects::Category::Breeding,
            p.requested,
            p.fund_source,
        ),
        &open,
    )
    .unwrap();
    log.enter(
        &lib,
        &p.id,
        &c.county_entry,
        crate::approval::fixtures::t(1, 9),
        "",
    )
    .unwrap();
    for (a, who, at) in happy_path(&c) {
        log.record(&p.id, a, &who, at, "").unwrap();
    }
    let mut events = log.events().to_vec();
    assert_eq!(
        replay(&events, &crate::Policy::chaoyang_2020(), none).unwrap(),
        *log.states()
    );
    // Swap the review and the application, and re-chain so that only replay can object.
    events.swap(1, 2);
    let mut prev = GENESIS.to_owned();
    for (i, e) in events.iter_mut().enumerate() {
        e.seq = i as u64;
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
    }
    assert!(verify(&events).is_ok());
    let err = replay(&events, &crate::Policy::chaoyang_2020(), none).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Illegal {
                line: 2,
                seq: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.message(Lang::Zh).contains("第 2 行"),
        "{}",
        err.message(Lang::Zh)
    );
    // A recorded stage that the rules do not give.
    let mut events = log.events().to_vec();
    events[1].to = Stage::Reviewed;
    let err = replay(&events, &crate::Policy::chaoyang_2020(), none).unwrap_err();
    assert!(
        matches!(err, AuditError::Inconsistent { line: 2, .. }),
        "{err:?}"
    );
    // An action on a project that never entered.
    let mut events = log.events().to_vec();
    events.remove(0);
    let err = replay(&events, &crate::Policy::chaoyang_2020(), none).unwrap_err();
    assert!(
        matches!(
            err,
            AuditError::Illegal {
                error: ApprovalError::NotInLibrary { .. },
                ..
            }
        ),
        "{err:?}"
    );
    let partial = replay_partial(&log.events()[..3], &crate::Policy::chaoyang_2020(), none);
    assert_eq!(partial.states["JP-2020-001"].stage, Stage::Reviewed);
}

#[test]
fn record_refuses_without_changing_the_log() {
    let c = cast();
    let mut log = chain();
    let before = log.clone();
    let e = log
        .record(
            "JP-2020-001",
            Action::Apply,
            &c.township,
            crate::approval::fixtures::t(20, 9),
            "",
        )
        .unwrap_err();
    assert_eq!(e.kind(), "out_of_order");
    let e = log
        .record(
            "XX-1",
            Action::Apply,
            &c.township,
            crate::approval::fixtures::t(20, 9),
            "",
        )
        .unwrap_err();
    assert_eq!(e.kind(), "not_in_library");
    assert_eq!(log, before);
    let again =
        AuditLog::from_events(log.events().to_vec(), crate::Policy::chaoyang_2020()).unwrap();
    assert_eq!(again, log);
}

#[test]
fn malformed_lines_are_named() {
    let text = chain().to_jsonl();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "{not json";
    let e = from_jsonl(&lines.join("\n")).unwrap_err();
    assert_eq!(e.line(), 3);
    assert!(e.to_string().starts_with("line 3:"), "{e}");
    let mut gap: Vec<&str> = text.lines().collect();
    gap.insert(4, "");
    let e = from_jsonl(&gap.join("\n")).unwrap_err();
    assert_eq!(e.line(), 5);
    assert_eq!(from_jsonl(&(text.clone() + "\n\n")).unwrap().len(), 18);
    let amount = text
        .lines()
        .nth(13)
        .unwrap()
        .replace("\"1000000\"", "1000000.5");
    let e = from_jsonl(&amount).unwrap_err();
    assert!(e.to_string().contains("float"), "{e}");
}

#[test]
fn events_round_trip_through_json() {
    for e in chain().events() {
        let j = serde_json::to_string(e).unwrap();
        assert_eq!(&serde_json::from_str::<Event>(&j).unwrap(), e);
    }
    let h = chain().head();
    assert_eq!(
        serde_json::from_str::<ChainHead>(&serde_json::to_string(&h).unwrap()).unwrap(),
        h
    );
    assert_eq!(AuditLog::new().head().hash, GENESIS);
    let _ = Amount::ZERO;
}

/// One random mutation of a chain.
#[derive(Debug, Clone)]
enum Mutation {
    EditComment(usize),
    EditTime(usize),
    EditActor(usize),
    Drop(usize),
    Swap(usize, usize),
    Duplicate(usize, usize),
}

fn any_mutation(n: usize) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0..n).prop_map(Mutation::EditComment),
        (0..n).prop_map(Mutation::EditTime),
        (0..n).prop_map(Mutation::EditActor),
        (0..n).prop_map(Mutation::Drop),
        (0..n, 0..n)
            .prop_filter("distinct", |(a, b)| a != b)
            .prop_map(|(a, b)| Mutation::Swap(a, b)),
        (0..n, 0..=n).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn mutate(events: &[Event], m: &Mutation, rehash: bool) -> Vec<Event> {
    let mut t = events.to_vec();
    let edit = |t: &mut Vec<Event>, i: usize, f: &dyn Fn(&mut Event)| {
        f(&mut t[i]);
        if rehash {
            t[i].hash = t[i].expected_hash();
        }
    };
    match *m {
        Mutation::EditComment(i) => edit(&mut t, i, &|e| e.comment.push('!')),
        Mutation::EditTime(i) => edit(&mut t, i, &|e| e.at += chrono::Duration::seconds(1)),
        Mutation::EditActor(i) => edit(&mut t, i, &|e| {
            if let EventActor::Claimed(a) = &mut e.actor {
                a.id.push('x');
            }
        }),
        Mutation::Drop(i) => {
            t.remove(i);
        }
        Mutation::Swap(a, b) => t.swap(a, b),
        Mutation::Duplicate(a, at) => {
            let e = t[a].clone();
            t.insert(at, e);
        }
    }
    t
}

/// The sample log, or the log of a random sequence of actions (at least two events), with a
/// mutation of it and whether the mutated event is re-hashed.
fn any_tampering() -> impl Strategy<Value = (AuditLog, Mutation, bool)> {
    let random = any_sequence()
        .prop_map(|s| run_log(&s))
        .prop_filter("at least two events", |l| l.events().len() >= 2);
    prop_oneof![1 => Just(chain()), 3 => random].prop_flat_map(|log| {
        let n = log.events().len();
        (Just(log), any_mutation(n), any::<bool>())
    })
}

proptest! {
    #[test]
    fn editing_dropping_or_swapping_any_event_is_always_detected(
        (log, m, rehash) in any_tampering(),
    ) {
        let t = mutate(log.events(), &m, rehash);
        prop_assert!(verify(log.events()).is_ok());
        prop_assert!(verify_head(&t, &log.head()).is_err(), "{:?} not detected", m);
        // Without the head, only changes at the very end can go unseen.
        let last = log.events().len() - 1;
        let at_end = match m {
            Mutation::Drop(i) => i == last,
            Mutation::EditComment(i) | Mutation::EditTime(i) | Mutation::EditActor(i) => rehash && i == last,
            _ => false,
        };
        if !at_end {
            prop_assert!(verify(&t).is_err(), "{:?} not detected without the head", m);
        }
    }
}
