use super::fixtures::*;
use super::*;
use crate::projects::{Category, Project, ProjectsPolicy};

fn entered(c: &Cast) -> ProjectApproval {
    ProjectApproval::begin(project(), &c.county_entry, t(1, 9)).unwrap()
}

fn run(c: &Cast, steps: &[(Action, Actor, Timestamp)]) -> Result<ProjectApproval, ApprovalError> {
    steps
        .iter()
        .try_fold(entered(c), |s, (a, who, at)| transition(&s, a, who, *at))
}

/// The state after the first `n` steps of the happy path.
fn after(c: &Cast, n: usize) -> ProjectApproval {
    run(c, &happy_path(c)[..n]).unwrap()
}

#[test]
fn the_plans_full_path_with_named_actors() {
    let c = cast();
    let mut s = entered(&c);
    let mut stages = vec![s.stage];
    for (a, who, at) in happy_path(&c) {
        s = transition(&s, &a, &who, at).unwrap();
        if stages.last() != Some(&s.stage) {
            stages.push(s.stage);
        }
    }
    assert_eq!(stages, Stage::PATH);
    assert_eq!(s.approved, Some(Amount::wan(100)));
    assert_eq!(s.arranged, Some(Amount::wan(100)));
    assert_eq!(s.last_step.as_ref().unwrap().1.by, "cyc-fpb-qian");
    assert!(check_performance_targets([&s])[0].passed);
    assert!(s.stage.is_final());
}

#[test]
fn entry_requires_the_library() {
    let c = cast();
    let lib = ProjectLibrary::new("建平县");
    let e = ProjectApproval::enter(&lib, "JP-2020-001", &c.county_entry, t(1, 9)).unwrap_err();
    assert_eq!(e.kind(), "not_in_library");
    assert_eq!(e.clause(), ClauseId::M6);
    assert!(
        e.message(Lang::Zh).contains("未进入建平县项目库"),
        "{}",
        e.message(Lang::Zh)
    );
    let mut lib = ProjectLibrary::new("建平县");
    let open = ProjectsPolicy {
        required_fields: vec![],
        required_documents: vec![],
    };
    lib.admit(
        Project::new(
            "JP-2020-001",
            "大棚",
            "建平县",
            "朱碌科镇",
            Category::Breeding,
            Amount::wan(1),
            FundSource::CitySpecial,
        ),
        &open,
    )
    .unwrap();
    let s = ProjectApproval::enter(&lib, "JP-2020-001", &c.county_entry, t(1, 9)).unwrap();
    assert_eq!(s.stage, Stage::InLibrary);
    // Entry is the county's: a township may not put a project in the library.
    let e = ProjectApproval::enter(&lib, "JP-2020-001", &c.township, t(1, 9)).unwrap_err();
    assert_eq!(e.kind(), "wrong_level");
    // A second entry by a plain action is refused.
    let again = Action::Enter { project: project() };
    assert_eq!(
        transition(&s, &again, &c.county_entry, t(1, 9))
            .unwrap_err()
            .kind(),
        "already_entered"
    );
}

#[test]
fn county_acting_as_applicant_is_refused() {
    let c = cast();
    let e = transition(&entered(&c), &Action::Apply, &c.county_reviewer, t(2, 9)).unwrap_err();
    assert!(
        matches!(
            e,
            ApprovalError::WrongLevel {
                level: Level::County,
                ..
            }
        ),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("JP-2020-001")
            && msg.contains("李科长")
            && msg.contains("township application"),
        "{msg}"
    );
    assert_eq!(e.clause(), ClauseId::T8);
}

#[test]
fn review_before_application_is_refused() {
    let c = cast();
    let e = transition(&entered(&c), &Action::Review, &c.county_reviewer, t(2, 9)).unwrap_err();
    assert!(
        matches!(
            e,
            ApprovalError::OutOfOrder {
                step: Step::Review,
                stage: Stage::InLibrary,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.message(Lang::Zh)
            .contains("不能在「入库」阶段进行「县审核」"),
        "{}",
        e.message(Lang::Zh)
    );
}

#[test]
fn recheck_before_review_is_refused() {
    let c = cast();
    let e = transition(
        &after(&c, 1),
        &Action::Recheck {
            approved: Amount::wan(100),
        },
        &c.city_recheck,
        t(3, 9),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ApprovalError::OutOfOrder {
                step: Step::Recheck,
                stage: Stage::Applied,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn wrong_jurisdiction_is_refused() {
    let c = cast();
    // A township of 朝阳县 applies for a 建平县 project.
    let e = transition(&entered(&c), &Action::Apply, &c.other_township, t(2, 9)).unwrap_err();
    assert!(
        matches!(e, ApprovalError::WrongJurisdiction { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("孙乡长"), "{e}");
    // Another township of the same county may not apply either.
    let neighbour = Actor::township("wsj-ma", "马乡长", "建平县", "万寿街道");
    assert_eq!(
        transition(&entered(&c), &Action::Apply, &neighbour, t(2, 9))
            .unwrap_err()
            .kind(),
        "wrong_jurisdiction"
    );
    // 朝阳县 may not review a 建平县 application.
    let e = transition(&after(&c, 1), &Action::Review, &c.other_county, t(3, 9)).unwrap_err();
    assert_eq!(e.kind(), "wrong_jurisdiction");
    // Only the city re-checks.
    let e = transition(
        &after(&c, 2),
        &Action::Recheck {
            approved: Amount::wan(1),
        },
        &c.county_entry,
        t(5, 9),
    )
    .unwrap_err();
    assert!(
        matches!(e, ApprovalError::WrongLevel { ref allowed, .. } if allowed == &[Level::City]),
        "{e:?}"
    );
}

#[test]
fn same_person_approving_twice_in_a_row_is_refused() {
    let c = cast();
    // 王科长 re-checked; he may not also arrange the funds.
    let s = after(&c, 6);
    let e = transition(
        &s,
        &Action::ArrangeFunds {
            amount: Amount::wan(100),
        },
        &c.city_recheck,
        t(6, 9),
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            ApprovalError::SameActor {
                previous: Step::Recheck,
                step: Step::ArrangeFunds,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("王科长") && e.to_string().contains("separation of duties"),
        "{e}"
    );
    // 赵科长 arranged the funds; he may not also approve the implementation.
    let mut steps = happy_path(&c);
    steps[7].1 = c.city_funds.clone();
    let e = run(&c, &steps).unwrap_err();
    assert!(
        matches!(
            e,
            ApprovalError::SameActor {
                previous: Step::ArrangeFunds,
                ..
            }
        ),
        "{e:?}"
    );
    // 李科长 may review after the township applied, and the target steps in between do not
    // count as approval steps.
    assert!(run(&c, &happy_path(&c)[..5]).is_ok());
}

#[test]
fn funds_above_the_approved_amount_are_refused() {
    let c = cast();
    let s = after(&c, 6);
    let e = transition(
        &s,
        &Action::ArrangeFunds {
            amount: Amount::wan(101),
        },
        &c.city_funds,
        t(6, 9),
    )
    .unwrap_err();
    assert_eq!(
        e,
        ApprovalError::AboveApproved {
            project: "JP-2020-001".into(),
            actor: Box::new(c.city_funds.clone()),
            amount: Amount::wan(101),
            approved: Amount::wan(100),
        }
    );
    assert!(
        e.message(Lang::Zh).contains("101 万元"),
        "{}",
        e.message(Lang::Zh)
    );
    // The city may not approve more than was requested (120 万元) …
    let e = transition(
        &after(&c, 5),
        &Action::Recheck {
            approved: Amount::wan(121),
        },
        &c.city_recheck,
        t(5, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "above_requested");
    // … nor nothing.
    let e = transition(
        &after(&c, 5),
        &Action::Recheck {
            approved: Amount::ZERO,
        },
        &c.city_recheck,
        t(5, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "invalid_amount");
    // Funds before the re-check are out of order.
    let e = transition(
        &after(&c, 5),
        &Action::ArrangeFunds {
            amount: Amount::wan(1),
        },
        &c.city_funds,
        t(5, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "out_of_order");
}

#[test]
fn implementation_without_filed_and_published_targets_is_refused() {
    let c = cast();
    let steps = happy_path(&c);
    // Drop filing (index 3) and publishing (index 4).
    for (skip, missing) in [
        (vec![3], vec![Step::FileTargets]),
        (vec![4], vec![Step::PublishTargets]),
        (
            vec![2, 3, 4],
            vec![Step::ReviewTargets, Step::FileTargets, Step::PublishTargets],
        ),
    ] {
        let kept: Vec<_> = steps
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, s)| s.clone())
            .collect();
        let e = run(&c, &kept).unwrap_err();
        assert_eq!(
            e,
            ApprovalError::TargetsIncomplete {
                project: "JP-2020-001".into(),
                actor: Box::new(c.city_approver.clone()),
                missing: missing.clone(),
            }
        );
        assert_eq!(e.clause(), ClauseId::M8);
    }
    // Filing before the finance review is refused too.
    let e = transition(
        &after(&c, 2),
        &Action::FileTargets,
        &c.leading_group,
        t(3, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "targets_not_reviewed");
    let checks = check_performance_targets([&after(&c, 4)]);
    assert!(!checks[0].passed);
    assert_eq!(checks[0].note.as_ref().unwrap().zh, "缺少：绩效目标公开");
}

#[test]
fn returned_applications_go_back_to_the_township() {
    let c = cast();
    let s = transition(&after(&c, 2), &Action::Return, &c.city_recheck, t(5, 9)).unwrap();
    assert_eq!(s.stage, Stage::Returned);
    // The county may not return a project the city is deciding on … (checked on Reviewed)
    let e = transition(&after(&c, 2), &Action::Return, &c.county_reviewer, t(5, 9)).unwrap_err();
    assert_eq!(e.kind(), "wrong_level");
    let s = transition(&s, &Action::Apply, &c.township, t(6, 9)).unwrap();
    assert_eq!(s.stage, Stage::Applied);
    let s = transition(&s, &Action::Withdraw, &c.township, t(6, 10)).unwrap();
    assert_eq!(s.stage, Stage::Withdrawn);
    assert_eq!(
        transition(&s, &Action::Apply, &c.township, t(7, 9))
            .unwrap_err()
            .kind(),
        "out_of_order"
    );
    let r = transition(&after(&c, 1), &Action::Reject, &c.county_reviewer, t(3, 9)).unwrap();
    assert_eq!(r.stage, Stage::Rejected);
}

#[test]
fn time_never_goes_back() {
    let c = cast();
    let e = transition(&after(&c, 1), &Action::Review, &c.county_reviewer, t(1, 8)).unwrap_err();
    assert_eq!(e.kind(), "time_goes_back");
}

#[test]
fn state_and_actions_round_trip_through_json() {
    let c = cast();
    let s = after(&c, 8);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<ProjectApproval>(&json).unwrap(), s);
    for (a, who, _) in happy_path(&c) {
        let j = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&j).unwrap(), a);
        let j = serde_json::to_string(&who).unwrap();
        assert_eq!(serde_json::from_str::<Actor>(&j).unwrap(), who);
    }
    assert_eq!(
        serde_json::to_string(&Action::Recheck {
            approved: Amount::wan(1)
        })
        .unwrap(),
        r#"{"kind":"recheck","approved":"10000"}"#
    );
}

#[test]
fn every_stage_step_and_error_has_both_labels() {
    for s in [
        Stage::InLibrary,
        Stage::Applied,
        Stage::Reviewed,
        Stage::Rechecked,
        Stage::FundsArranged,
        Stage::Approved,
        Stage::Returned,
        Stage::Rejected,
        Stage::Withdrawn,
    ] {
        assert!(!s.label().zh.is_empty() && !s.label().en.is_empty());
    }
    let e = ApprovalError::SameActor {
        project: "P".into(),
        step: Step::Review,
        actor: Box::new(cast().county_reviewer),
        previous: Step::Apply,
    };
    assert!(
        e.message(Lang::Zh).contains("县审核") && e.message(Lang::En).contains("county review")
    );
}

mod sequences {
    //! proptest: random action sequences against the whole chain.
    use super::super::fixtures::*;
    use super::super::*;
    use crate::audit::{replay, verify};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn no_sequence_reaches_approval_without_every_earlier_step_in_order(seq in any_sequence()) {
            let log = run_log(&seq);
            let events = log.events();
            // Stages visited, consecutive repeats removed.
            let mut stages: Vec<Stage> = Vec::new();
            for e in events {
                prop_assert_eq!(e.from, stages.last().copied(), "events chain their stages");
                if stages.last() != Some(&e.to) {
                    stages.push(e.to);
                }
                if let Some(s) = log.states().get(&e.project) {
                    if let (Some(ap), Some(ar)) = (s.approved, s.arranged) {
                        prop_assert!(ar <= ap);
                    }
                    if let Some(ap) = s.approved {
                        prop_assert!(ap <= s.project.requested);
                    }
                }
            }
            prop_assert_eq!(stages.first(), Some(&Stage::InLibrary));
            if let Some(k) = stages.iter().position(|s| *s == Stage::Approved) {
                prop_assert_eq!(k + 1, stages.len(), "approval is final");
                prop_assert!(k >= 5);
                prop_assert_eq!(
                    &stages[k - 4..=k],
                    &[Stage::Applied, Stage::Reviewed, Stage::Rechecked, Stage::FundsArranged, Stage::Approved]
                );
                prop_assert!(matches!(stages[k - 5], Stage::InLibrary | Stage::Returned));
                let s = &log.states()["JP-2020-001"];
                prop_assert!(s.targets.missing().is_empty(), "M8 targets done before approval");
                let arranged = s.arranged.unwrap();
                prop_assert!(arranged <= s.approved.unwrap() && s.approved.unwrap() <= s.project.requested);
                // Separation of duties: consecutive approval steps by different people.
                let approvals: Vec<&str> = events
                    .iter()
                    .filter(|e| e.action.step().is_approval_step())
                    .map(|e| e.actor.id.as_str())
                    .collect();
                prop_assert!(approvals.windows(2).all(|w| w[0] != w[1]), "{:?}", approvals);
            }
        }

        #[test]
        fn replaying_the_events_of_any_accepted_sequence_yields_the_same_states(seq in any_sequence()) {
            let log = run_log(&seq);
            prop_assert!(verify(log.events()).is_ok());
            let replayed = replay(log.events()).unwrap();
            prop_assert_eq!(&replayed, log.states());
            // … and the same states as folding `transition` over the accepted actions.
            let mut state: Option<ProjectApproval> = None;
            for e in log.events() {
                state = Some(match (&e.action, state) {
                    (Action::Enter { project }, None) => ProjectApproval::begin(project.clone(), &e.actor, e.at).unwrap(),
                    (a, Some(s)) => transition(&s, a, &e.actor, e.at).unwrap(),
                    (_, None) => unreachable!("entry comes first"),
                });
            }
            prop_assert_eq!(state.as_ref(), log.states().get("JP-2020-001"));
        }
    }
}
