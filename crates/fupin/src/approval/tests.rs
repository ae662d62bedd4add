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
    let e = ProjectApproval::enter(
        &lib,
        &ProjectsPolicy::open(),
        "JP-2020-001",
        &c.county_entry,
        t(1, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "not_in_library");
    assert_eq!(e.clause(), ClauseId::M6);
    assert!(
        e.message(Lang::Zh).contains("未进入建平县项目库"),
        "{}",
        e.message(Lang::Zh)
    );
    let mut lib = ProjectLibrary::new("建平县");
    let open = ProjectsPolicy::open();
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
    let s = ProjectApproval::enter(
        &lib,
        &ProjectsPolicy::open(),
        "JP-2020-001",
        &c.county_entry,
        t(1, 9),
    )
    .unwrap();
    assert_eq!(s.stage, Stage::InLibrary);
    // Entry is the county's: a township may not put a project in the library.
    let e = ProjectApproval::enter(
        &lib,
        &ProjectsPolicy::open(),
        "JP-2020-001",
        &c.township,
        t(1, 9),
    )
    .unwrap_err();
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
fn m8_is_an_order_after_the_review_not_a_condition_of_approval() {
    let c = cast();
    let steps = happy_path(&c);
    // Without filing, publishing, or even the review of targets, the project is approved: the
    // plan sets no such gate (M8 三(八) orders filing and publication after the review).
    for skip in [vec![3], vec![4], vec![2, 3, 4]] {
        let kept: Vec<_> = steps
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, s)| s.clone())
            .collect();
        let s = run(&c, &kept).unwrap();
        assert_eq!(s.stage, Stage::Approved);
        // The M8 check still reports what is missing.
        assert!(!check_performance_targets([&s])[0].passed);
    }
    // Filing and publishing may follow approval …
    let approved = run(
        &c,
        &[
            steps[0].clone(),
            steps[1].clone(),
            steps[5].clone(),
            steps[6].clone(),
            steps[7].clone(),
        ],
    )
    .unwrap();
    let s = transition(
        &approved,
        &Action::ReviewTargets,
        &c.county_reviewer,
        t(8, 9),
    )
    .unwrap();
    let s = transition(&s, &Action::FileTargets, &c.leading_group, t(8, 10)).unwrap();
    let s = transition(&s, &Action::PublishTargets, &c.county_reviewer, t(8, 11)).unwrap();
    assert!(check_performance_targets([&s])[0].passed);
    assert_eq!(s.stage, Stage::Approved);
    // … but never come before the financial review: that order is the plan's.
    let e = transition(
        &after(&c, 2),
        &Action::FileTargets,
        &c.leading_group,
        t(3, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "targets_not_reviewed");
    assert_eq!(e.clause(), ClauseId::M8);
    let checks = check_performance_targets([&after(&c, 4)]);
    assert!(!checks[0].passed);
    assert_eq!(checks[0].note.as_ref().unwrap().zh, "缺少：绩效目标公开");
}

#[test]
fn a_targets_gate_is_a_labelled_parameter_off_by_default() {
    let c = cast();
    assert_eq!(
        ApprovalRules::default().targets_before_approval,
        TargetsGate::None
    );
    let gated = ApprovalRules {
        targets_before_approval: TargetsGate::ReviewedFiledPublished,
        ..ApprovalRules::default()
    };
    let steps = happy_path(&c);
    let kept: Vec<_> = steps
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, s)| s.clone())
        .collect();
    let s = kept[..kept.len() - 1]
        .iter()
        .try_fold(entered(&c), |s, (a, who, at)| {
            gated.transition(&s, a, who, *at)
        })
        .unwrap();
    let (a, who, at) = &kept[kept.len() - 1];
    let e = gated.transition(&s, a, who, *at).unwrap_err();
    assert_eq!(
        e,
        ApprovalError::TargetsIncomplete {
            project: "JP-2020-001".into(),
            actor: Box::new(c.city_approver.clone()),
            missing: vec![Step::FileTargets],
        }
    );
    assert!(e.to_string().contains("L8"), "{e}");
    let labels = gated.library_rules();
    assert!(
        labels
            .iter()
            .any(|l| l.en.starts_with("L8") && l.en.contains("publication"))
    );
    assert!(
        ApprovalRules::default()
            .library_rules()
            .iter()
            .any(|l| l.en.contains("none (the plan sets no such gate)"))
    );
}

#[test]
fn every_library_rule_is_a_parameter_of_the_policy() {
    let c = cast();
    // L2 separation of duties off: 王科长 may re-check and arrange funds.
    let lax = ApprovalRules {
        separation_of_duties: SeparationOfDuties::Off,
        ..ApprovalRules::default()
    };
    let s = after(&c, 6);
    let funds = Action::ArrangeFunds {
        amount: Amount::wan(100),
    };
    assert_eq!(
        transition(&s, &funds, &c.city_recheck, t(6, 9))
            .unwrap_err()
            .kind(),
        "same_actor"
    );
    assert!(lax.transition(&s, &funds, &c.city_recheck, t(6, 9)).is_ok());
    // L3 and L4: no returns, no withdrawal.
    let strict = ApprovalRules {
        returns: false,
        withdrawal: false,
        ..ApprovalRules::default()
    };
    for (a, who) in [
        (Action::Return, &c.county_reviewer),
        (Action::Withdraw, &c.township),
    ] {
        let e = strict
            .transition(&after(&c, 1), &a, who, t(3, 9))
            .unwrap_err();
        assert_eq!(e.kind(), "not_allowed");
        assert!(e.to_string().contains("not the plan's"), "{e}");
    }
    // L5: an approved amount above the request, when the policy allows it.
    let open = ApprovalRules {
        approved_within_requested: false,
        ..ApprovalRules::default()
    };
    let above = Action::Recheck {
        approved: Amount::wan(130),
    };
    assert!(
        open.transition(&after(&c, 5), &above, &c.city_recheck, t(5, 9))
            .is_ok()
    );
    // L7: time order off.
    let timeless = ApprovalRules {
        time_order: TimeOrder::Off,
        ..ApprovalRules::default()
    };
    assert!(
        timeless
            .transition(&after(&c, 1), &Action::Review, &c.county_reviewer, t(1, 8))
            .is_ok()
    );
    // L1: a policy that lets only the poverty office review.
    let mut policy = crate::Policy::chaoyang_2020();
    policy.approval.grants.review.roles = vec![Role::PovertyOffice];
    let toml = policy.to_toml();
    let back = crate::Policy::from_toml(&toml).unwrap();
    assert_eq!(back.approval, policy.approval);
    let e = back
        .approval
        .transition(&after(&c, 1), &Action::Review, &c.county_reviewer, t(3, 9))
        .unwrap_err();
    assert_eq!(e.kind(), "wrong_role");
    // The plan's levels cannot be changed: task 8 sets 市复核 at the city.
    let bad = toml.replace(
        "[approval.grants.recheck]\nlevels = [\"city\"]",
        "[approval.grants.recheck]\nlevels = [\"county\"]",
    );
    assert_ne!(bad, toml, "the TOML writes the grants");
    let e = crate::Policy::from_toml(&bad).unwrap_err();
    assert!(
        e.to_string().contains("approval.grants.recheck.levels")
            && e.to_string().contains("task 8"),
        "{e}"
    );
    // The embedded policy's section is the library's defaults.
    assert_eq!(
        crate::Policy::chaoyang_2020().approval,
        ApprovalRules::default()
    );
}

#[test]
fn only_projects_on_city_special_funds_go_through_the_city_chain() {
    let c = cast();
    for (source, special) in [
        (FundSource::Integrated, false),
        (FundSource::CountySpecial, true),
        (FundSource::Other("社会捐赠".into()), false),
    ] {
        let p = ProjectRef {
            fund_source: source.clone(),
            ..project()
        };
        let e = ProjectApproval::begin(p, &c.county_entry, t(1, 9)).unwrap_err();
        assert_eq!(e.kind(), "outside_chain", "{source}");
        assert_eq!(e.clause(), ClauseId::M6);
        assert!(e.message(Lang::Zh).contains("确需市本级财政专项扶贫资金"));
        assert_eq!(
            e.message(Lang::En)
                .contains("sets no procedure for other special"),
            special,
            "{}",
            e.message(Lang::En)
        );
    }
    // Entry through a library: a project of the library that misses an entry requirement is
    // refused, naming it; a project under an exception is not in the library, so not in the chain.
    let mut lib = ProjectLibrary::new("建平县");
    let mut p = crate::projects::tests::complete("JP-2020-001", "建平县", "朱碌科镇", 120);
    p.documents.clear();
    let file = serde_json::json!({"county": "建平县", "projects": [p]});
    let from_file: ProjectLibrary = serde_json::from_value(file).unwrap();
    let policy = crate::Policy::chaoyang_2020().projects;
    let e = ProjectApproval::enter(&from_file, &policy, "JP-2020-001", &c.county_entry, t(1, 9))
        .unwrap_err();
    assert_eq!(e.kind(), "entry_requirement");
    assert!(e.to_string().contains("项目申报书"), "{e}");
    lib.record_exception(crate::projects::SpecialFundsException {
        project: "JP-2020-009".into(),
        reason: "应急".into(),
        decided_by: None,
        document: None,
    })
    .unwrap();
    let e =
        ProjectApproval::enter(&lib, &policy, "JP-2020-009", &c.county_entry, t(1, 9)).unwrap_err();
    assert_eq!(e.kind(), "not_in_library");
}

#[test]
fn requested_amounts_of_a_snapshot_are_positive_whole_fen() {
    let c = cast();
    for yuan in ["0", "-1", "0.005"] {
        let p = ProjectRef {
            requested: yuan.parse().unwrap(),
            ..project()
        };
        let e = ProjectApproval::begin(p, &c.county_entry, t(1, 9)).unwrap_err();
        assert_eq!(e.kind(), "invalid_amount", "{yuan}");
    }
    let e = transition(
        &after(&c, 5),
        &Action::Recheck {
            approved: "100.001".parse().unwrap(),
        },
        &c.city_recheck,
        t(5, 9),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "invalid_amount");
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
                let arranged = s.arranged.unwrap();
                prop_assert!(arranged <= s.approved.unwrap() && s.approved.unwrap() <= s.project.requested);
                // Separation of duties: consecutive approval steps by different people.
                let approvals: Vec<&str> = events
                    .iter()
                    .filter(|e| e.action.step().is_approval_step())
                    .map(|e| e.actor.id())
                    .collect();
                prop_assert!(approvals.windows(2).all(|w| w[0] != w[1]), "{:?}", approvals);
            }
        }

        #[test]
        fn replaying_the_events_of_any_accepted_sequence_yields_the_same_states(seq in any_sequence()) {
            let log = run_log(&seq);
            prop_assert!(verify(log.events()).is_ok());
            let replayed = replay(log.events(), &crate::Policy::chaoyang_2020(), None).unwrap();
            prop_assert_eq!(&replayed, log.states());
            // … and the same states as folding `transition` over the accepted actions.
            let mut state: Option<ProjectApproval> = None;
            for e in log.events() {
                let crate::audit::EventActor::Claimed(actor) = &e.actor else { unreachable!("unsigned") };
                state = Some(match (&e.action, state) {
                    (Action::Enter { project }, None) => ProjectApproval::begin(project.clone(), actor, e.at).unwrap(),
                    (a, Some(s)) => transition(&s, a, actor, e.at).unwrap(),
                    (_, None) => unreachable!("entry comes first"),
                });
            }
            prop_assert_eq!(state.as_ref(), log.states().get("JP-2020-001"));
        }
    }
}
