//! Tests of the task table and its rule checks, with the plan's own figures.

use crate::Policy;
use proptest::prelude::*;

use super::*;
use crate::assessment::score;
use crate::check::Value;

fn policy() -> Policy {
    Policy::chaoyang_2020()
}

fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

/// Every task exactly at its target.
fn all_met() -> TasksInput {
    let mut input = TasksInput::default();
    for t in &policy().tasks.tasks {
        input
            .actuals
            .insert(t.id.clone(), t.target.to_string().into());
    }
    input
}

fn find<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

#[test]
fn embedded_tasks_are_the_plans_targets() {
    let p = policy();
    let targets: Vec<(&str, String)> = p
        .tasks
        .tasks
        .iter()
        .map(|t| (t.id.as_str(), t.target.to_string()))
        .collect();
    let want = [
        ("t2.minority_funds", "1000万元"),
        ("t2.minority_villages", "10"),
        ("t3.training", "3000"),
        ("t3.factories", "42"),
        ("t3.public_jobs", "305"),
        ("t3.housing", "1961"),
        ("t4.orchards", "320"),
        ("t6.education_funds", "40000万元"),
        ("t6.village_training", "3000"),
        ("t10.roads", "285"),
    ];
    assert_eq!(
        targets,
        want.map(|(a, b)| (a, b.to_owned())).to_vec(),
        "task table"
    );
    assert!(
        p.tasks.tasks.iter().all(|t| !t.main_indicator),
        "the bold marks are lost: no task is flagged by default"
    );
    assert_eq!(p.tasks.factories.employment_basis, EmploymentBasis::PerUnit);
    assert_eq!(p.tasks.villages.income_floor, Amount::wan(5));
    assert_eq!(
        p.tasks.social_assistance.low_income_multiple,
        "1.3".parse().unwrap()
    );
}

#[test]
fn completion_is_rounded_down_exactly() {
    let mut input = all_met();
    input.actuals.insert("t3.training".into(), "3150".into());
    input.actuals.insert("t10.roads".into(), "95".into()); // 95 / 285 = 1/3
    input
        .actuals
        .insert("t2.minority_funds".into(), "1099.99万元".into());
    let r = completions(&policy().tasks, &input).unwrap();
    let c = |id: &str| r.iter().find(|t| t.id == id).unwrap();
    assert_eq!(c("t3.training").completion, Ratio::percent(105));
    assert_eq!(
        c("t10.roads").completion.as_fraction().to_string(),
        "0.33333333"
    );
    assert!(!c("t10.roads").met);
    assert_eq!(
        c("t2.minority_funds").completion.as_fraction().to_string(),
        "1.09999"
    );
}

#[test]
fn every_target_met_gives_80_points_and_no_over_completion_bonus() {
    let r = check_tasks(&policy(), &all_met()).unwrap();
    let a = r.annual.unwrap();
    assert_eq!((a.points, a.max), (Points::from(80), Points::from(80)));
    assert_eq!(a.overall_completion, Ratio::ONE);
    assert_eq!(a.tasks_counted, 10);
    assert!(a.rule.en.contains("library default"), "{}", a.rule.en);
}

#[test]
fn annual_points_are_the_weighted_mean_of_capped_completions() {
    let p = policy();
    let mut input = all_met();
    input.actuals.insert("t10.roads".into(), "190".into()); // 2/3
    let a = check_tasks(&p, &input).unwrap().annual.unwrap();
    // (9 + 0.66666666) / 10 × 80 = 77.3333332800 → 77.33 (rounded down)
    assert_eq!(a.points.to_string(), "77.33");

    // Over-completion is not capped in the bonus measure but is capped in the points.
    let mut input = all_met();
    input.actuals.insert("t3.public_jobs".into(), "1220".into()); // 400 %
    let a = check_tasks(&p, &input).unwrap().annual.unwrap();
    assert_eq!(a.points, Points::from(80));
    assert_eq!(a.overall_completion, Ratio::percent(130)); // (9 + 4) / 10

    // Fed to card A: 80 points and 3 full steps of 10 % → 3 bonus points.
    let mut s = ScoreInput::new("市财政局");
    s.items
        .insert("daily_responsibility".into(), Points::from(20));
    a.apply_to(&mut s);
    let report = score(p.assessment.card("a").unwrap(), &s).unwrap();
    assert_eq!(report.items[0].points, Points::from(80));
    assert_eq!(report.bonus_lines[0].capped, Points::from(3));

    // The minimum rule: one task at 100 % means no over-completion.
    let mut p2 = p.clone();
    p2.tasks.annual_points.over_completion = OverCompletion::Minimum;
    let a = check_tasks(&p2, &input).unwrap().annual.unwrap();
    assert_eq!(a.overall_completion, Ratio::ONE);
}

#[test]
fn main_indicator_basis_and_weights_change_what_counts() {
    let mut p = policy();
    for t in &mut p.tasks.tasks {
        t.main_indicator = t.id.starts_with("t3.");
    }
    p.tasks.annual_points.basis = Basis::MainIndicators;
    p.validate().unwrap();
    let mut input = all_met();
    input.actuals.insert("t10.roads".into(), "0".into()); // not a main indicator
    input.actuals.insert("t3.housing".into(), "0".into());
    let a = check_tasks(&p, &input).unwrap().annual.unwrap();
    assert_eq!(a.tasks_counted, 4);
    assert_eq!(a.points, Points::from(60)); // 3 of 4 complete

    let housing = p
        .tasks
        .tasks
        .iter_mut()
        .find(|t| t.id == "t3.housing")
        .unwrap();
    housing.weight = Decimal::TWO;
    let a = check_tasks(&p, &input).unwrap().annual.unwrap();
    assert_eq!(a.points.to_string(), "48"); // 3 of weight 5

    let mut none = policy();
    none.tasks.annual_points.basis = Basis::MainIndicators;
    let e = none.validate().unwrap_err();
    assert_eq!(e.path(), "tasks.annual_points.basis");
}

#[test]
fn bad_actuals_are_named() {
    let p = policy();
    let mut input = all_met();
    input.actuals.remove("t3.housing");
    let e = check_tasks(&p, &input).unwrap_err();
    assert!(e.to_string().contains("actuals.t3.housing"), "{e}");

    let mut input = all_met();
    input.actuals.insert("t3.trainig".into(), "1".into());
    let e = check_tasks(&p, &input).unwrap_err();
    assert!(e.to_string().contains("t3.trainig"), "{e}");

    let mut input = all_met();
    input.actuals.insert("t3.training".into(), "-1".into());
    assert!(
        check_tasks(&p, &input)
            .unwrap_err()
            .to_string()
            .contains("negative")
    );

    let mut input = all_met();
    input.actuals.insert("t3.training".into(), "many".into());
    let e = check_tasks(&p, &input).unwrap_err();
    assert!(
        e.to_string().contains("actuals.t3.training") && e.to_string().contains("many"),
        "{e}"
    );

    let e = TasksInput::from_json(r#"{"actuals": {"t3.training": 3150.5}}"#).unwrap_err();
    assert!(e.to_string().contains("write it as a string"), "{e}");
    let ok = TasksInput::from_json(r#"{"actuals": {"t3.training": 3150}}"#).unwrap();
    assert_eq!(ok.actuals["t3.training"], Actual("3150".into()));
}

#[test]
fn policy_edits_are_validated_with_paths() {
    let edited = |from: &str, to: &str| {
        let text = crate::policy::CHAOYANG_2020_TOML;
        assert!(
            text.contains(from),
            "fixture `{from}` not in the policy file"
        );
        Policy::from_toml(&text.replacen(from, to, 1)).unwrap_err()
    };
    let e = edited("item = \"annual_targets\"", "item = \"annual\"");
    assert_eq!(e.path(), "tasks.annual_points.item");
    let e = edited("id = \"t3.factories\"", "id = \"t3.training\"");
    assert_eq!(e.path(), "tasks.tasks[3].id");
    let e = edited(
        "income_high_share = \"40%\"",
        "income_high_share = \"140%\"",
    );
    assert_eq!(e.path(), "tasks.villages.income_high_share");
    let e = edited(
        "target.count = { value = \"285\"",
        "target.count = { value = \"0\"",
    );
    assert_eq!(e.path(), "tasks.tasks[9].target");
}

fn assistance(last: &str, this: &str, line: &str, low: &str, hardship: &str) -> TasksInput {
    TasksInput {
        social_assistance: vec![SocialAssistanceInput {
            subject: Some("朝阳市".into()),
            dibao_last_year: amount(last),
            dibao_this_year: amount(this),
            poverty_line: amount(line),
            low_income_standard: amount(low),
            special_hardship_standard: amount(hardship),
        }],
        ..TasksInput::default()
    }
}

fn passed(input: &TasksInput, id: &str) -> bool {
    let checks = check_rules(&policy().tasks, input).unwrap();
    find(&checks, id).passed
}

#[test]
fn dibao_growth_at_and_just_below_10_percent() {
    assert!(passed(
        &assistance("5000", "5500", "4000", "7150", "7150"),
        "T3.dibao_growth"
    ));
    assert!(!passed(
        &assistance("5000", "5499.99", "4000", "7150", "7150"),
        "T3.dibao_growth"
    ));
}

#[test]
fn dibao_must_be_strictly_above_the_poverty_line() {
    assert!(passed(
        &assistance("4000", "4400.01", "4400", "9000", "9000"),
        "T3.dibao_above_poverty_line"
    ));
    let at = assistance("4000", "4400", "4400", "9000", "9000");
    assert!(!passed(&at, "T3.dibao_above_poverty_line"));
}

#[test]
fn low_income_and_special_hardship_at_and_just_below_1_3_times_dibao() {
    let ok = assistance("5000", "5500", "4000", "7150", "7150");
    assert!(passed(&ok, "T3.low_income_multiple"));
    assert!(passed(&ok, "T3.special_hardship_multiple"));
    let low = assistance("5000", "5500", "4000", "7149.99", "7150");
    assert!(!passed(&low, "T3.low_income_multiple"));
    assert!(passed(&low, "T3.special_hardship_multiple"));
    let checks = check_rules(&policy().tasks, &low).unwrap();
    let c = find(&checks, "T3.low_income_multiple");
    assert_eq!(c.shortfall, Some(Value::Number("0.01".parse().unwrap())));
    assert_eq!(c.subject.as_deref(), Some("朝阳市"));
    let hard = assistance("5000", "5500", "4000", "7150", "7149.99");
    assert!(!passed(&hard, "T3.special_hardship_multiple"));
}

fn villages(incomes: &[&str], projects: &[u32]) -> TasksInput {
    TasksInput {
        villages: incomes
            .iter()
            .zip(projects)
            .enumerate()
            .map(|(i, (inc, p))| VillageInput {
                name: format!("村{i}"),
                collective_income: amount(inc),
                projects: *p,
            })
            .collect(),
        ..TasksInput::default()
    }
}

#[test]
fn every_poor_village_at_5_wan_passes_one_just_below_fails() {
    let mut inc = vec!["5万元"; 10];
    assert!(passed(&villages(&inc, &[1; 10]), "T10.income_floor_share"));
    inc[3] = "49999.99";
    let input = villages(&inc, &[1; 10]);
    assert!(!passed(&input, "T10.income_floor_share"));
    let checks = check_rules(&policy().tasks, &input).unwrap();
    assert_eq!(
        find(&checks, "T10.income_floor_share").shortfall,
        Some(Value::Number(1.into()))
    );
    // The Chinese sentence writes the amount as the plan does, without a space (5万元以上); the
    // English one in English.
    let label = &find(&checks, "T10.income_floor_share").label;
    assert_eq!(label.zh, "村集体经济收入5万元以上的贫困村达到100.00%");
    assert!(label.en.contains("5 ×10k yuan"), "{}", label.en);
    let label = &find(&checks, "T10.income_high_share").label;
    assert!(
        label.zh.starts_with("村集体经济收入10万元以上"),
        "{}",
        label.zh
    );
}

#[test]
fn forty_percent_of_villages_at_10_wan_passes_below_fails() {
    let mut inc = vec![
        "10万元", "10万元", "10万元", "10万元", "5万元", "5万元", "5万元", "5万元", "5万元",
        "5万元",
    ];
    assert!(passed(&villages(&inc, &[2; 10]), "T10.income_high_share"));
    inc[0] = "99999.99";
    assert!(!passed(&villages(&inc, &[2; 10]), "T10.income_high_share"));
}

#[test]
fn each_village_needs_at_least_one_project_two_is_the_planned_number() {
    // Item 5 of #11: "每个贫困村都有1-2个实体扶贫项目" — the rule is "at least 1".
    assert!(passed(
        &villages(&["5万元"; 3], &[1, 2, 3]),
        "T10.projects_per_village"
    ));
    let input = villages(&["5万元"; 3], &[0, 2, 3]);
    let checks = check_rules(&policy().tasks, &input).unwrap();
    let c = find(&checks, "T10.projects_per_village");
    assert!(!c.passed);
    assert_eq!(c.shortfall, Some(Value::Number(1.into())));
    assert!(c.note.as_ref().unwrap().zh.contains("村0"));
    assert!(!c.note.as_ref().unwrap().zh.contains("村2"));
    assert!(
        c.label.zh.contains("至少1个") && c.label.zh.contains("计划1-2个"),
        "{}",
        c.label.zh
    );
    let over = villages(&["5万元"; 2], &[1, 3]);
    let checks = check_rules(&policy().tasks, &over).unwrap();
    let c = find(&checks, "T10.projects_per_village");
    assert!(c.passed);
    assert!(
        c.note
            .as_ref()
            .unwrap()
            .en
            .contains("more projects than planned")
    );
}

#[test]
fn training_needs_20_percent_registered_poor() {
    let t = |poor| TasksInput {
        training: Some(TrainingInput {
            trainees: 3000,
            registered_poor: poor,
        }),
        ..TasksInput::default()
    };
    assert!(passed(&t(600), "T3.training_registered_poor_share"));
    assert!(!passed(&t(599), "T3.training_registered_poor_share"));
    let e = check_rules(&policy().tasks, &t(3001)).unwrap_err();
    assert!(e.to_string().contains("training.registered_poor"), "{e}");
}

fn factory_units(units: usize, factories: usize, employed: u32) -> TasksInput {
    TasksInput {
        factories: (0..units)
            .map(|u| FactoryUnitInput {
                name: format!("县{u}"),
                factories: (0..factories)
                    .map(|f| FactoryInput {
                        name: format!("厂{f}"),
                        employed,
                    })
                    .collect(),
            })
            .collect(),
        ..TasksInput::default()
    }
}

#[test]
fn factories_six_per_unit_42_in_all_60_employed_per_unit_by_default() {
    let ok = factory_units(7, 6, 10); // 6 × 10 = 60 per unit
    let checks = check_rules(&policy().tasks, &ok).unwrap();
    assert!(checks.iter().all(|c| c.passed), "{checks:#?}");
    assert_eq!(checks.len(), 7 * 2 + 1);
    let short = factory_units(7, 5, 12); // 60 employed, but 5 factories, 35 in all
    let checks = check_rules(&policy().tasks, &short).unwrap();
    assert!(!find(&checks, "T3.factories_per_unit").passed);
    assert!(!find(&checks, "T3.factories_total").passed);
    assert!(find(&checks, "T3.factory_employment").passed);
    let few = factory_units(1, 6, 9); // 54 < 60
    assert!(!passed(&few, "T3.factory_employment"));

    let mut p = policy();
    p.tasks.factories.employment_basis = EmploymentBasis::PerFactory;
    let checks = check_rules(&p.tasks, &ok).unwrap();
    let per_factory: Vec<&Check> = checks
        .iter()
        .filter(|c| c.id == "T3.factory_employment")
        .collect();
    assert_eq!(per_factory.len(), 42);
    assert!(per_factory.iter().all(|c| !c.passed));
    assert_eq!(per_factory[0].subject.as_deref(), Some("县0 / 厂0"));
}

#[test]
fn report_states_its_rule_and_round_trips() {
    let mut input = all_met();
    input.name = "示例".into();
    input.illustrative = true;
    input.training = Some(TrainingInput {
        trainees: 3000,
        registered_poor: 599,
    });
    let r = check_tasks(&policy(), &input).unwrap();
    assert!(!r.passed());
    assert!(
        r.checks.iter().all(|c| c.note.is_some()),
        "illustrative figures are flagged"
    );
    let mut flagged = villages(&["5万元"; 2], &[1, 3]);
    flagged.illustrative = true;
    let fr = check_tasks(&policy(), &flagged).unwrap();
    let note = &find(&fr.checks, "T10.projects_per_village")
        .note
        .as_ref()
        .unwrap()
        .en;
    assert!(
        note.starts_with("illustrative") && note.contains("村1"),
        "{note}"
    );
    let en = r.to_text(Lang::En);
    assert!(
        en.contains("library default") && en.contains("80 / 80"),
        "{en}"
    );
    let zh = r.to_text(Lang::Zh);
    assert!(
        zh.contains("本库默认规则") && zh.contains("社会保障科"),
        "{zh}"
    );
    let back: TasksReport = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

/// Any actual figure per task, from 0 to 3 × its target, as a whole number or 万元 amount.
fn any_actuals() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(0u32..=3_000, 10)
}

fn with_actuals(per_mille: &[u32]) -> TasksInput {
    let mut input = TasksInput::default();
    for (t, m) in policy().tasks.tasks.iter().zip(per_mille) {
        let v = t.target.value() * Decimal::from(*m) / Decimal::from(1000);
        let text = match t.target {
            Target::Amount(_) => v.to_string(),
            Target::Count { unit, .. } if unit.is_whole() => v.floor().normalize().to_string(),
            Target::Count { .. } => v.normalize().to_string(),
        };
        input.actuals.insert(t.id.clone(), text.into());
    }
    input
}

proptest! {
    #[test]
    fn annual_points_stay_within_the_item_maximum(m in any_actuals()) {
        let a = check_tasks(&policy(), &with_actuals(&m)).unwrap().annual.unwrap();
        prop_assert!(a.points >= Points::ZERO && a.points <= a.max);
    }

    #[test]
    fn annual_points_and_over_completion_never_fall_when_a_task_does_better(m in any_actuals(), i in 0usize..10, more in 0u32..2_000) {
        let p = policy();
        let before = check_tasks(&p, &with_actuals(&m)).unwrap().annual.unwrap();
        let mut up = m.clone();
        up[i] += more;
        let after = check_tasks(&p, &with_actuals(&up)).unwrap().annual.unwrap();
        prop_assert!(after.points >= before.points);
        prop_assert!(after.overall_completion >= before.overall_completion);
    }

    #[test]
    fn completion_is_the_largest_8_place_ratio_not_above_the_truth(actual in 0u64..10_000_000, target in 1u64..1_000_000) {
        let (a, t) = (Decimal::from(actual), Decimal::from(target));
        let c = floor_div(a, t, COMPLETION_PLACES).unwrap();
        prop_assert!(c * t <= a);
        prop_assert!((c + Decimal::new(1, COMPLETION_PLACES)) * t > a);
    }
}

mod pairing {
    use super::super::{PairedTownshipInput, PairedVillageInput, TasksInput, check_rules};
    use crate::check::ClauseId;

    fn township(name: &str, industries: u32, bases: &[u32]) -> PairedTownshipInput {
        PairedTownshipInput {
            township: name.into(),
            leading_industries: industries,
            villages: bases
                .iter()
                .enumerate()
                .map(|(i, b)| PairedVillageInput {
                    name: format!("村{i}"),
                    industry_bases: *b,
                })
                .collect(),
        }
    }

    #[test]
    fn m9_one_industry_per_township_and_one_base_per_poor_village_at_and_below() {
        let policy = crate::Policy::chaoyang_2020();
        let input = TasksInput {
            pairing: vec![township("甲乡", 1, &[1, 0]), township("乙乡", 0, &[2])],
            ..TasksInput::default()
        };
        let checks = check_rules(&policy.tasks, &input).unwrap();
        let got: Vec<(&str, &str, bool)> = checks
            .iter()
            .map(|c| (c.id.as_ref(), c.subject.as_deref().unwrap_or(""), c.passed))
            .collect();
        assert_eq!(
            got,
            [
                ("M9.township_leading_industry", "甲乡", true),
                ("M9.village_industry_base", "甲乡 / 村0", true),
                ("M9.village_industry_base", "甲乡 / 村1", false),
                ("M9.township_leading_industry", "乙乡", false),
                ("M9.village_industry_base", "乙乡 / 村0", true),
            ]
        );
        assert!(
            checks
                .iter()
                .all(|c| c.clause == ClauseId::M9 && c.section == "三(九)")
        );
    }

    #[test]
    fn a_repeated_township_is_named() {
        let policy = crate::Policy::chaoyang_2020();
        let input = TasksInput {
            pairing: vec![township("甲乡", 1, &[]), township("甲乡", 1, &[])],
            ..TasksInput::default()
        };
        let e = check_rules(&policy.tasks, &input).unwrap_err();
        assert!(e.to_string().contains("pairing[1].township"), "{e}");
    }
}

mod fixes {
    //! Regression tests of issue #11 (items 1, 2, 10) and #10 (the endless loop and the meaning
    //! checks of the task table): each failed on the code before the fix.
    use super::*;

    #[test]
    fn over_completion_presupposes_completion() {
        // #11 item 1: 9 tasks at 80 % and one at 3 亿 against 1,000 万 averaged 372 % and
        // earned all 5 bonus points. Any task below 100 % now earns none.
        let p = policy();
        let mut input = TasksInput::default();
        for t in &p.tasks.tasks {
            let v = t.target.value() * Decimal::new(8, 1);
            let text = match t.target {
                Target::Amount(_) => v.to_string(),
                Target::Count { .. } => v.floor().normalize().to_string(),
            };
            input.actuals.insert(t.id.clone(), text.into());
        }
        input
            .actuals
            .insert("t2.minority_funds".into(), "3亿元".into());
        let r = check_tasks(&p, &input).unwrap();
        let a = r.annual.clone().unwrap();
        assert!(
            a.overall_completion < Ratio::ONE,
            "{:?}",
            a.overall_completion
        );
        assert_eq!(a.incomplete.len(), 9);
        let mut unit = ScoreInput::new("市财政局");
        unit.items
            .insert("daily_responsibility".into(), Points::from(20));
        a.apply_to(&mut unit);
        let card = score(p.assessment.card("a").unwrap(), &unit).unwrap();
        assert_eq!(card.bonus_lines[0].capped, Points::ZERO);
        // The rule is said in every output: the report's text and its JSON.
        assert!(
            a.rule.en.contains("presupposes completion"),
            "{}",
            a.rule.en
        );
        assert!(r.to_text(Lang::Zh).contains("超额完成以完成为前提"));
        assert!(
            serde_json::to_string(&r)
                .unwrap()
                .contains("presupposes completion")
        );
        // The old measure stays available as a labelled parameter.
        let mut old = p.clone();
        old.tasks.annual_points.over_completion = OverCompletion::WeightedMean;
        let a = check_tasks(&old, &input).unwrap().annual.unwrap();
        assert!(
            a.overall_completion > Ratio::percent(370),
            "{}",
            a.overall_completion
        );
        assert!(a.rule.en.contains("chosen in the policy"), "{}", a.rule.en);
        let mut unit = ScoreInput::new("市财政局");
        unit.items
            .insert("daily_responsibility".into(), Points::from(20));
        a.apply_to(&mut unit);
        let card = score(p.assessment.card("a").unwrap(), &unit).unwrap();
        assert_eq!(card.bonus_lines[0].capped, Points::from(5));
    }

    #[test]
    fn when_every_task_is_complete_the_mean_of_completions_counts() {
        let mut input = all_met();
        input.actuals.insert("t3.public_jobs".into(), "1220".into()); // 400 %
        let a = check_tasks(&policy(), &input).unwrap().annual.unwrap();
        assert_eq!(a.overall_completion, Ratio::percent(130));
        assert!(a.incomplete.is_empty());
    }

    #[test]
    fn a_missed_target_is_a_failed_check_with_its_clause() {
        // #11 item 2: `passed()` ignored each task's `met`.
        let mut input = all_met();
        input.actuals.insert("t3.training".into(), "2999".into());
        let r = check_tasks(&policy(), &input).unwrap();
        assert!(!r.passed());
        let failed: Vec<(&str, Option<&str>, ClauseId)> = r
            .checks
            .iter()
            .filter(|c| !c.passed)
            .map(|c| (c.id.as_ref(), c.subject.as_deref(), c.clause))
            .collect();
        assert_eq!(failed, [("T3.target", Some("t3.training"), ClauseId::T3)]);
        let c = r.checks.iter().find(|c| !c.passed).unwrap();
        assert_eq!(c.shortfall, Some(Value::Number(1.into())));
        assert!(check_tasks(&policy(), &all_met()).unwrap().passed());
        let all = check_tasks(&policy(), &all_met()).unwrap();
        let ids: Vec<&str> = all.checks.iter().map(|c| c.id.as_ref()).collect();
        for clause in ["T2", "T3", "T4", "T6", "T10"] {
            assert!(
                ids.contains(&format!("{clause}.target").as_str()),
                "{ids:?}"
            );
        }
        // Money targets are compared as money.
        let mut input = all_met();
        input
            .actuals
            .insert("t6.education_funds".into(), "3.9亿元".into());
        let r = check_tasks(&policy(), &input).unwrap();
        let c = r.checks.iter().find(|c| !c.passed).unwrap();
        assert_eq!(c.shortfall, Some(Value::Amount(Amount::wan(1_000))));
    }

    #[test]
    fn t4_orchards_are_a_cumulative_target_and_the_output_says_so() {
        // #11 item 10.
        let r = check_tasks(&policy(), &all_met()).unwrap();
        let t4 = r.tasks.iter().find(|t| t.id == "t4.orchards").unwrap();
        assert_eq!(
            t4.cumulative,
            Some(YearSpan {
                from: 2018,
                to: 2020
            })
        );
        let c = r
            .checks
            .iter()
            .find(|c| c.subject.as_deref() == Some("t4.orchards"))
            .unwrap();
        assert!(c.note.as_ref().unwrap().en.contains("cumulative"));
        let text = r.to_text(Lang::Zh);
        assert!(text.contains("2018–2020 累计"), "{text}");
    }

    #[test]
    fn card_a_80_points_cite_the_document_the_plan_refers_them_to() {
        // #11 item 10: the plan assesses the 80 points on another document's industry tasks.
        let a = check_tasks(&policy(), &all_met()).unwrap().annual.unwrap();
        assert!(
            a.rule
                .zh
                .contains("《聚焦重点补齐短板决胜2020年脱贫攻坚实施意见》")
        );
        assert!(a.rule.en.contains("the library's choice"), "{}", a.rule.en);
    }

    #[test]
    fn a_huge_head_count_is_refused_at_once() {
        // #10 item 2: this never returned (floor division stepped by 10⁻⁸).
        let mut input = all_met();
        input
            .actuals
            .insert("t3.training".into(), "10000000000000000000000000".into());
        let e = check_tasks(&policy(), &input).unwrap_err();
        assert!(e.to_string().contains("actuals.t3.training"), "{e}");
        assert!(e.to_string().contains("1000000 times the target"), "{e}");
        // The largest figure allowed still completes, exactly.
        let mut input = all_met();
        input
            .actuals
            .insert("t3.training".into(), "3000000000".into());
        let r = check_tasks(&policy(), &input).unwrap();
        let t = r.tasks.iter().find(|t| t.id == "t3.training").unwrap();
        assert_eq!(
            t.completion,
            Ratio::from_fraction(Decimal::from(MAX_COMPLETION))
        );
        // The division itself is bounded: past the decimal range is an error, not a hang.
        assert!(floor_div(Decimal::MAX, Decimal::new(1, 28), 8).is_err());
    }

    #[test]
    fn head_counts_are_whole_numbers() {
        // #10 item 7: "3150.5" trainees.
        let mut input = all_met();
        input.actuals.insert("t3.training".into(), "3150.5".into());
        let e = check_tasks(&policy(), &input).unwrap_err();
        assert!(
            e.to_string().contains("actuals.t3.training")
                && e.to_string().contains("not a whole number of people"),
            "{e}"
        );
        // Kilometres may be fractional.
        let mut input = all_met();
        input.actuals.insert("t10.roads".into(), "285.5".into());
        assert!(check_tasks(&policy(), &input).is_ok());
    }

    #[test]
    fn a_factory_named_twice_in_a_unit_is_refused() {
        let mut input = factory_units(1, 2, 30);
        input.factories[0].factories[1].name = "厂0".into();
        let e = check_rules(&policy().tasks, &input).unwrap_err();
        assert!(
            e.to_string().contains("factories[0].factories[1].name"),
            "{e}"
        );
        input.factories[0].factories[1].name = " ".into();
        assert!(check_rules(&policy().tasks, &input).is_err());
    }

    #[test]
    fn names_with_control_characters_are_refused() {
        // #10 item 6: a name with a line break would add a row to a report.
        let mut input = factory_units(1, 1, 60);
        input.factories[0].name = "县\n| fake | row |".into();
        let e = check_rules(&policy().tasks, &input).unwrap_err();
        assert!(e.to_string().contains("factories[0].name"), "{e}");
        assert!(e.to_string().contains("control character"), "{e}");
        let mut v = villages(&["5万元"], &[1]);
        v.villages[0].name = "村\u{1b}[2J".into();
        assert!(check_rules(&policy().tasks, &v).is_err());
    }

    #[test]
    fn a_share_of_nothing_is_not_met() {
        // #10 item 7 / #11 item 7: 0 trainees passed "registered poor ≥ 20 %".
        let input = TasksInput {
            training: Some(TrainingInput {
                trainees: 0,
                registered_poor: 0,
            }),
            ..TasksInput::default()
        };
        let checks = check_rules(&policy().tasks, &input).unwrap();
        let c = find(&checks, "T3.training_registered_poor_share");
        assert!(!c.passed);
        assert!(c.note.as_ref().unwrap().en.contains("total is 0"));
    }

    #[test]
    fn the_citys_factory_total_has_one_source() {
        // #11 item 8: 42 was stated twice. The city total is the task's target.
        let mut p = policy();
        let t = p
            .tasks
            .tasks
            .iter_mut()
            .find(|t| t.id == "t3.factories")
            .unwrap();
        t.target = Target::Count {
            value: Decimal::from(41),
            unit: Measure::Factories,
        };
        let checks = check_rules(&p.tasks, &factory_units(7, 6, 10)).unwrap();
        assert_eq!(
            find(&checks, "T3.factories_total").threshold,
            Value::Number(41.into())
        );
        p.tasks.factories.task = "t3.training".into();
        assert_eq!(p.validate().unwrap_err().path(), "tasks.factories.task");
    }
}

#[test]
fn counts_behind_shares_and_the_city_total_are_said() {
    // A share's shortfall is a count: the note says of how many.
    let v = check_tasks(&policy(), &villages(&["5万元", "4.8万元"], &[1, 1])).unwrap();
    let floor = find(&v.checks, "T10.income_floor_share");
    assert!(!floor.passed);
    assert_eq!(floor.shortfall, Some(Value::Number(1.into())));
    assert_eq!(
        floor.note.as_ref().unwrap().zh,
        "1 / 2（差额为个数）",
        "{floor:?}"
    );
    let projects = find(&v.checks, "T10.projects_per_village");
    assert_eq!(
        projects.note.as_ref().unwrap().en,
        "all 2 poor villages meet it"
    );
    // The city's 42 factories are counted from the units listed, and the note says so.
    let one = factory_units(1, 6, 10);
    let checks = check_rules(&policy().tasks, &one).unwrap();
    let total = find(&checks, "T3.factories_total");
    assert!(!total.passed);
    assert!(
        total
            .note
            .as_ref()
            .unwrap()
            .en
            .contains("listed for 1 county-level unit"),
        "{total:?}"
    );
    // The annual points name card and item; below 100 % there is no over-completion bonus.
    let mut input = all_met();
    input
        .actuals
        .insert("t10.roads".into(), "270".to_owned().into());
    let r = check_tasks(&policy(), &input).unwrap();
    let zh = r.to_text(Lang::Zh);
    assert!(
        zh.contains("(考核表 a · annual_targets)") && zh.contains("（未达100%，无超额完成加分）"),
        "{zh}"
    );
    let done = check_tasks(&policy(), &all_met()).unwrap();
    assert!(!done.to_text(Lang::En).contains("no over-completion bonus"));
}
