//! Signed logs: the shipped example, the canonical bytes, and every forgery of issue #12's
//! "Done when", each detected by `check` with a message naming the event.

use super::super::*;
use super::policy;
use crate::Amount;
#[allow(unused_imports)]
use crate::approval::{Action, Actor, ApprovalError, ProjectApproval, Registry, Stage, Timestamp};
use crate::projects::ProjectLibrary;
use chrono::TimeZone;
use ed25519_dalek::SigningKey;
use proptest::prelude::*;

const SAMPLE_FILE: &str = include_str!("../../../../../examples/approvals_2020.jsonl");
const REGISTRY_FILE: &str = include_str!("../../../../../examples/registry_2020.toml");
const LIBRARY_FILE: &str = include_str!("../../../../../examples/library_jianping_2020.json");

fn registry() -> Registry {
    sample_2020_registry()
}

fn events() -> Vec<Event> {
    AuditLog::sample_2020().events().to_vec()
}

fn checked(events: &[Event]) -> Result<Checked, AuditError> {
    let (p, r) = (policy(), registry());
    check(events, &CheckOptions::new(&p).registry(&r))
}

/// A well-formed, correctly signed and chained event of `actor`, whatever the rules say.
fn forge(events: &[Event], project: &str, action: Action, actor: &str, key: &SigningKey) -> Event {
    let last = events.last().unwrap();
    let mut e = Event {
        seq: events.len() as u64,
        from: None,
        to: Stage::Rechecked,
        body: EventBody {
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
    // The stage the project is at, recorded honestly so that only the forgery itself is wrong.
    let states = replay(events, &policy(), Some(&registry())).unwrap();
    e.from = states.get(project).map(|s| s.stage);
    e.sign(key);
    e
}

#[test]
fn the_shipped_example_is_the_signed_sample_with_its_registry() {
    let log = AuditLog::sample_2020();
    assert_eq!(
        SAMPLE_FILE,
        log.to_jsonl(),
        "regenerate with `cargo run -q -p fupin --example approvals_2020` (see its doc)"
    );
    assert_eq!(Registry::from_toml(REGISTRY_FILE).unwrap(), registry());
    let library: ProjectLibrary = serde_json::from_str(LIBRARY_FILE).unwrap();
    assert_eq!(library, sample_2020_libraries()[0]);
    let events = from_jsonl(SAMPLE_FILE).unwrap();
    let c = checked(&events).unwrap();
    assert_eq!((c.signed, c.unsigned), (18, 0));
    assert_eq!(c.head, log.head());
    assert_eq!(&c.states, log.states());
    assert_eq!(c.states["JP-2020-001"].stage, Stage::Approved);
    assert_eq!(c.states["CY-2020-003"].stage, Stage::Reviewed);
    assert_eq!(c.states["KZ-2020-002"].stage, Stage::Rejected);
    assert_eq!(c.warnings, [Warning::NoAnchor]);
}

#[test]
fn signed_events_hash_and_sign_the_rfc_8785_bytes_and_are_stored_in_that_form() {
    let e = &events()[13];
    let bytes = String::from_utf8(e.signed_bytes()).unwrap();
    assert!(
        bytes.starts_with(r#"{"action":{"approved":"1000000","kind":"recheck"},"actor":"cyc-nyk-wang","at":"2020-04-08T10:00:00Z","comment":"核定 100 万元","from":"reviewed","#),
        "{bytes}"
    );
    assert!(bytes.ends_with(r#""to":"rechecked","v":2}"#), "{bytes}");
    let value: serde_json::Value = serde_json::from_str(&bytes).unwrap();
    assert_eq!(canonical_json(&value).unwrap(), bytes);
    assert_eq!(e.hash, hex::encode(Sha256::digest(bytes.as_bytes())));
    let key = registry().get("cyc-nyk-wang").unwrap().public_key.unwrap();
    assert!(e.verify_signature(&key).is_ok());
    let line = e.to_line();
    assert_eq!(
        canonical_json(&serde_json::from_str(&line).unwrap()).unwrap(),
        line
    );
    assert_eq!(events()[0].prev_hash, GENESIS);
    assert_eq!(events()[1].prev_hash, events()[0].hash);
}

#[test]
fn truncation_is_detected_against_the_latest_anchor() {
    let all = events();
    let anchors = parse_anchors(&format!(
        "# recorded by the county\n12 {}\n18 {}\n",
        all[11].hash, all[17].hash
    ))
    .unwrap();
    let (p, r) = (policy(), registry());
    let opts = CheckOptions::new(&p).registry(&r).anchors(&anchors);
    let c = check(&all, &opts).unwrap();
    assert_eq!(c.anchors.len(), 2);
    assert!(matches!(
        &c.anchors[0],
        AnchorStatus::Kept { grew_by: 6, .. }
    ));
    let cut = &all[..15];
    assert!(
        checked(cut).is_ok(),
        "without an anchor a cut end looks like a shorter log"
    );
    let e = check(cut, &opts).unwrap_err();
    assert_eq!(e.kind(), "anchor");
    let m = e.to_string();
    assert!(
        m.contains("truncated") && m.contains("events 15–17 were removed"),
        "{m}"
    );
}

#[test]
fn history_rewritten_before_an_anchor_is_detected_and_placed() {
    // An unsigned log re-chained after an edit passes the hash chain: the anchors say where.
    let mut legacy = from_jsonl(super::UNSIGNED).unwrap();
    let anchors =
        parse_anchors(&format!("6 {}\n12 {}\n", legacy[5].hash, legacy[11].hash)).unwrap();
    legacy[8].comment = "改写".into();
    let mut prev = legacy[7].hash.clone();
    for e in &mut legacy[8..] {
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
    }
    assert!(verify(&legacy).is_ok());
    let p = policy();
    let e = check(&legacy, &CheckOptions::new(&p).anchors(&anchors)).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("rewritten between event 6 and event 11"), "{m}");
}

#[test]
fn a_forged_city_recheck_with_a_correct_hash_is_detected() {
    let mut t = events();
    // 800,000 yuan for the returned-and-reapplied project, by 王科长's id but not his key.
    let forger = SigningKey::from_bytes(&[7; 32]);
    let approved = Amount::from_yuan(rust_decimal::Decimal::from(800_000));
    let forged = forge(
        &t,
        "CY-2020-003",
        Action::Recheck { approved },
        "cyc-nyk-wang",
        &forger,
    );
    assert_eq!(forged.hash, forged.expected_hash(), "the hash is correct");
    t.push(forged);
    let e = checked(&t).unwrap_err();
    assert_eq!(e.kind(), "signature");
    assert_eq!((e.line(), e.seq()), (19, Some(18)));
    assert!(
        e.to_string().contains("event 18") && e.to_string().contains("cyc-nyk-wang"),
        "{e}"
    );
    // The same forgery unsigned, in the old format with a correct hash: refused after signed events.
    let mut t = events();
    let mut unsigned = t[13].clone();
    unsigned.seq = 18;
    unsigned.project = "CY-2020-003".into();
    unsigned.action = Action::Recheck { approved };
    unsigned.actor = EventActor::Claimed(crate::approval::Actor::city(
        "cyc-nyk-wang",
        "王科长",
        crate::approval::Role::Finance,
    ));
    unsigned.signature = None;
    unsigned.prev_hash = t[17].hash.clone();
    unsigned.hash = unsigned.expected_hash();
    t.push(unsigned);
    let e = checked(&t).unwrap_err();
    assert!(
        e.to_string()
            .contains("event 18 is unsigned but follows signed events"),
        "{e}"
    );
}

#[test]
fn an_edit_rehashed_through_the_whole_chain_is_detected_by_its_signature() {
    let mut t = events();
    t[13].action = Action::Recheck {
        approved: Amount::wan(120),
    };
    let mut prev = t[12].hash.clone();
    for e in &mut t[13..] {
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
    }
    assert!(verify(&t).is_ok(), "the hash chain alone is rebuilt");
    let e = checked(&t).unwrap_err();
    assert_eq!(e.kind(), "signature");
    assert_eq!(e.seq(), Some(13));
    assert!(e.to_string().contains("line 14 (event 13)"), "{e}");
}

#[test]
fn claiming_another_role_is_detected() {
    // 张乡长 signs a city re-check with his own key: the registry says township.
    let mut t = events()[..10].to_vec();
    let zhang = example_key("zlk-zhang");
    // JP-2020-001 is reviewed after event 6; the forged re-check comes next.
    t.truncate(7);
    let e = forge(
        &t,
        "JP-2020-001",
        Action::Recheck {
            approved: Amount::wan(100),
        },
        "zlk-zhang",
        &zhang,
    );
    t.push(e);
    let err = checked(&t).unwrap_err();
    assert!(
        matches!(
            &err,
            AuditError::Illegal {
                seq: 7,
                error: ApprovalError::WrongLevel { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("张乡长"), "{err}");
    // In an unsigned log, an event that claims a role the registry does not grant.
    let mut legacy = from_jsonl(super::UNSIGNED).unwrap();
    if let EventActor::Claimed(a) = &mut legacy[3].actor {
        a.role = crate::approval::Role::Finance;
        a.jurisdiction = crate::approval::Jurisdiction::City;
    }
    let mut prev = legacy[2].hash.clone();
    for e in &mut legacy[3..] {
        e.prev_hash = prev;
        e.hash = e.expected_hash();
        prev = e.hash.clone();
    }
    let err = checked(&legacy).unwrap_err();
    assert_eq!(err.kind(), "claim");
    assert!(
        err.to_string().contains("line 4 (event 3)") && err.to_string().contains("zlk-zhang"),
        "{err}"
    );
}

#[test]
fn acting_outside_the_jurisdiction_is_detected() {
    // 吴科长 of 朝阳县 signs the review of 建平县's project.
    let mut t = events();
    t.truncate(6);
    let wu = example_key("cy-czj-wu");
    let e = forge(&t, "JP-2020-001", Action::Review, "cy-czj-wu", &wu);
    t.push(e);
    let err = checked(&t).unwrap_err();
    assert!(
        matches!(
            &err,
            AuditError::Illegal {
                seq: 6,
                error: ApprovalError::WrongJurisdiction { .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("line 7 (event 6)"), "{err}");
}

#[test]
fn an_expired_or_unknown_actor_is_refused() {
    let t = events();
    // 赵科长's registration ends on 2020-04-09; he arranged the funds on 2020-04-10.
    let toml = registry().to_toml();
    let zhao = toml.find("id = \"cyc-gk-zhao\"").unwrap();
    let end = zhao + toml[zhao..].find("valid_to = \"2020-12-31\"").unwrap();
    let toml = format!(
        "{}valid_to = \"2020-04-09\"{}",
        &toml[..end],
        &toml[end + 24..]
    );
    let short = Registry::from_toml(&toml).unwrap();
    assert_ne!(short, registry());
    let p = policy();
    let err = check(&t, &CheckOptions::new(&p).registry(&short)).unwrap_err();
    assert_eq!(err.kind(), "actor");
    assert!(
        err.to_string().contains("line 15 (event 14)")
            && err.to_string().contains("ended on 2020-04-09"),
        "{err}"
    );
    let mut fewer = Registry::default();
    for a in registry().actors().filter(|a| a.actor.id != "ns-lin") {
        fewer.insert(a.actor.clone(), a.public_key);
    }
    let err = check(&t, &CheckOptions::new(&p).registry(&fewer)).unwrap_err();
    assert!(
        err.to_string().contains("event 5")
            && err.to_string().contains("`ns-lin` is not in the registry"),
        "{err}"
    );
    // A signed log needs a registry at all.
    let err = check(&t, &CheckOptions::new(&p)).unwrap_err();
    assert_eq!(err.kind(), "needs_registry");
}

#[test]
fn an_empty_log_is_an_error_unless_asked_for() {
    let p = policy();
    assert_eq!(
        check(&[], &CheckOptions::new(&p)).unwrap_err(),
        AuditError::Empty
    );
    let c = check(&[], &CheckOptions::new(&p).allow_empty(true)).unwrap();
    assert_eq!(c.head.hash, GENESIS);
}

#[test]
fn append_checks_the_step_signs_and_chains_or_changes_nothing() {
    let reg = registry();
    let p = policy();
    let libs = sample_2020_libraries();
    let t = events();
    let at = |d, h| chrono::Utc.with_ymd_and_hms(2020, 4, d, h, 0, 0).unwrap();
    let draft = |project: &str, action, actor: &str, when| Draft {
        project: project.into(),
        action,
        actor: actor.into(),
        at: when,
        comment: String::new(),
    };
    // The city re-checks CY-2020-003.
    let d = draft(
        "CY-2020-003",
        DraftAction::Step(Action::Recheck {
            approved: Amount::wan(80),
        }),
        "cyc-nyk-wang",
        at(20, 9),
    );
    let e = append(&t, &d, &example_key("cyc-nyk-wang"), &reg, &p, None).unwrap();
    assert_eq!(
        (e.seq, e.prev_hash.as_str(), e.to),
        (18, t[17].hash.as_str(), Stage::Rechecked)
    );
    let mut more = t.clone();
    more.push(e);
    assert!(checked(&more).is_ok());
    // Another's key; an unknown actor; a step the rules refuse; entry without the library.
    let err = append(&t, &d, &example_key("cyc-gk-zhao"), &reg, &p, None).unwrap_err();
    assert!(matches!(err, AppendError::Key { .. }), "{err:?}");
    let unknown = draft(
        "CY-2020-003",
        DraftAction::Step(Action::Review),
        "nobody",
        at(20, 9),
    );
    assert!(matches!(
        append(&t, &unknown, &example_key("nobody"), &reg, &p, None),
        Err(AppendError::Actor(ActorProblem::Unknown { .. }))
    ));
    let early = draft(
        "CY-2020-003",
        DraftAction::Step(Action::Review),
        "cy-czj-wu",
        at(20, 9),
    );
    let err = append(&t, &early, &example_key("cy-czj-wu"), &reg, &p, None).unwrap_err();
    assert!(
        matches!(&err, AppendError::Refused(a) if a.kind() == "out_of_order"),
        "{err:?}"
    );
    let enter = draft("JP-2020-001", DraftAction::Enter, "jp-fpb-zhou", at(20, 9));
    assert!(matches!(
        append(&t, &enter, &example_key("jp-fpb-zhou"), &reg, &p, None),
        Err(AppendError::NoLibrary(_))
    ));
    let err = append(
        &t,
        &enter,
        &example_key("jp-fpb-zhou"),
        &reg,
        &p,
        Some(&libs[0]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, AppendError::Refused(a) if a.kind() == "already_entered"),
        "{err:?}"
    );
    // A tampered log takes nothing.
    let mut bad = t.clone();
    bad[3].comment = "改".into();
    assert!(matches!(
        append(&bad, &d, &example_key("cyc-nyk-wang"), &reg, &p, None),
        Err(AppendError::Log(_))
    ));
    // Control characters in the comment's place of a name are refused.
    let mut ctl = d.clone();
    ctl.comment = "\u{1b}[2J ALL CHECKS PASSED".into();
    assert!(matches!(
        append(&t, &ctl, &example_key("cyc-nyk-wang"), &reg, &p, None),
        Err(AppendError::Draft(_))
    ));
}

#[test]
fn control_characters_in_names_are_refused_on_reading() {
    let line = UNSIGNED_FIRST.replace("周主任", "\\u001b[2J ALL CHECKS PASSED");
    let e = from_jsonl(&line).unwrap_err();
    assert_eq!(e.kind(), "malformed");
    assert!(
        e.to_string().contains("actor.name") && e.to_string().contains("\\u{1b}"),
        "{e}"
    );
    assert!(!e.to_string().contains('\u{1b}'));
}

const UNSIGNED_FIRST: &str = r#"{"seq":0,"project":"JP-2020-001","from":null,"to":"in_library","action":{"kind":"enter","project":{"id":"JP-2020-001","name":"朱碌科镇设施农业大棚","county":"建平县","township":"朱碌科镇","requested":"1200000","fund_source":"city_special"}},"actor":{"id":"jp-fpb-zhou","name":"周主任","role":"poverty_office","jurisdiction":{"level":"county","county":"建平县"}},"at":"2020-04-01T09:00:00Z","comment":"","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"x"}"#;

#[test]
fn requested_amounts_in_a_replayed_log_must_be_positive_and_below_the_guard() {
    let mut legacy = from_jsonl(super::UNSIGNED).unwrap();
    for (yuan, kind) in [
        ("0", "invalid_amount"),
        ("-5", "invalid_amount"),
        ("100000000000", "entry_requirement"),
    ] {
        if let Action::Enter { project } = &mut legacy[0].action {
            project.requested = yuan.parse().unwrap();
        }
        let p = policy();
        let err = replay(&legacy, &p, None).unwrap_err();
        assert!(
            matches!(&err, AuditError::Illegal { line: 1, error, .. } if error.kind() == kind),
            "{yuan}: {err:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any single-byte change of a signed log — a byte replaced, inserted or removed, anywhere —
    /// is detected: the file no longer reads as text, a line no longer reads, or the check fails.
    #[test]
    fn any_single_byte_edit_of_a_signed_log_is_detected(
        pos in 0..SAMPLE_FILE.len(),
        byte in any::<u8>(),
        how in 0..3u8,
    ) {
        let mut bytes = SAMPLE_FILE.as_bytes().to_vec();
        match how {
            0 => {
                prop_assume!(bytes[pos] != byte);
                bytes[pos] = byte;
            }
            1 => bytes.insert(pos, byte),
            _ => {
                bytes.remove(pos);
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(()); // not UTF-8: refused on reading
        };
        let detected = match from_jsonl(&text) {
            Err(_) => true,
            Ok(events) => {
                let (p, r) = (policy(), registry());
                let anchors = [Anchor { line: 1, head: AuditLog::sample_2020().head() }];
                check(&events, &CheckOptions::new(&p).registry(&r).anchors(&anchors)).is_err()
            }
        };
        prop_assert!(detected, "an edit at byte {} ({:?}) went unseen", pos, how);
    }
}

/// Found by the byte-edit property above: `d` → `D` in a signature went unseen, because hex
/// decoding ignores case. A signature is lowercase hex, as written, or it is malformed.
#[test]
fn a_signature_with_an_uppercase_hex_digit_is_malformed() {
    let mut events = from_jsonl(SAMPLE_FILE).unwrap();
    let signature = events[3].signature.clone().unwrap();
    let at = signature.find(|c: char| c.is_ascii_lowercase()).unwrap();
    let mut upper = signature.clone();
    upper.replace_range(at..=at, &signature[at..=at].to_ascii_uppercase());
    events[3].signature = Some(upper);
    let (p, r) = (policy(), registry());
    let e = check(&events, &CheckOptions::new(&p).registry(&r)).unwrap_err();
    assert!(e.to_string().contains("lowercase hex"), "{e}");
}
