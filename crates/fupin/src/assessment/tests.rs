//! Tests of the scorecard engine: the plan's own numbers first, then properties.

use std::borrow::Cow;
use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::Policy;
use crate::money::Lang;

fn p(s: &str) -> Points {
    s.parse().unwrap()
}

fn card(id: &str) -> Scorecard {
    Policy::chaoyang_2020().assessment.card(id).unwrap().clone()
}

/// Card A with full marks on the items and the given bonus inputs.
fn a_input(bonuses: &[(&str, BonusInput)]) -> ScoreInput {
    let mut s = ScoreInput::new("测试科室");
    s.items.insert("annual_targets".into(), p("80"));
    s.items.insert("daily_responsibility".into(), p("20"));
    for (id, b) in bonuses {
        s.bonuses.insert((*id).into(), b.clone());
    }
    s
}

fn completion(pct: &str) -> BonusInput {
    BonusInput::Completion(pct.parse().unwrap())
}

fn over_completion_points(pct: &str) -> (Points, Points) {
    let r = score(
        &card("a"),
        &a_input(&[("over_completion", completion(pct))]),
    )
    .unwrap();
    let l = &r.bonus_lines[0];
    assert_eq!(l.id, "over_completion");
    (l.raw, l.capped)
}

#[test]
fn embedded_cards_follow_the_assessment_method() {
    let a = card("a");
    assert_eq!(a.clause, ClauseId::A);
    assert_eq!(a.total, p("100"));
    let maxima: Vec<Points> = a.sections.iter().map(|s| s.max).collect();
    assert_eq!(maxima, [p("80"), p("20")]);
    assert_eq!(a.bonus.cap, p("20"));
    let caps: Vec<(&str, Points)> = a
        .bonus
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.cap))
        .collect();
    assert_eq!(
        caps,
        [
            ("over_completion", p("5")),
            ("upward_funds", p("10")),
            ("commendations", p("2")),
            ("innovation", p("3")),
        ]
    );
    let b = card("b");
    assert_eq!(b.clause, ClauseId::B);
    let b_items: Vec<Vec<Points>> = b
        .sections
        .iter()
        .map(|s| s.items.iter().map(|i| i.max).collect())
        .collect();
    let pts = |v: &[i64]| v.iter().map(|&x| Points::from(x)).collect::<Vec<_>>();
    assert_eq!(b_items, [pts(&[5, 20, 5, 5, 5]), pts(&[10, 10, 30, 10])]);
    assert_eq!(b.bonus.cap, Points::ZERO);
    for c in [&a, &b] {
        assert!(c.grades.is_empty(), "the plan defines no grade bands");
        for (_, item) in c.items() {
            assert!(item.source.starts_with("考核办法"), "{}", item.id);
            assert!(!item.label.zh.is_empty() && !item.label.en.is_empty());
        }
    }
}

#[test]
fn over_completion_135_percent_gives_3_points() {
    assert_eq!(over_completion_points("135%"), (p("3"), p("3")));
}

#[test]
fn over_completion_160_percent_gives_the_cap_of_5() {
    assert_eq!(over_completion_points("160%"), (p("6"), p("5")));
}

#[test]
fn over_completion_109_99_percent_gives_nothing() {
    assert_eq!(over_completion_points("109.99%"), (p("0"), p("0")));
    assert_eq!(over_completion_points("110%"), (p("1"), p("1")));
    assert_eq!(over_completion_points("100%"), (p("0"), p("0")));
    assert_eq!(over_completion_points("80%"), (p("0"), p("0")));
    // Beyond the kernel's 8 places the ratio is rounded down, never up across a step.
    assert_eq!(over_completion_points("1.0999999999999"), (p("0"), p("0")));
}

#[test]
fn three_provincial_and_one_national_commendation_give_the_cap_of_2() {
    let counts = BonusInput::Counts([("provincial".into(), 3), ("national".into(), 1)].into());
    let r = score(&card("a"), &a_input(&[("commendations", counts)])).unwrap();
    let l = &r.bonus_lines[2];
    assert_eq!((l.raw, l.cap, l.capped), (p("2.5"), p("2"), p("2")));
    assert!(
        l.explanation
            .en
            .contains("3 × provincial 0.5 + 1 × national 1 = 2.5")
    );
    assert!(
        l.explanation.en.contains("cap 2 → 2"),
        "{}",
        l.explanation.en
    );
}

/// A card whose line caps add up to more than its bonus cap.
fn generous_card() -> Scorecard {
    let mut c = card("a");
    c.bonus.rules = ["x", "y", "z"]
        .iter()
        .map(|id| BonusRule {
            id: (*id).into(),
            source: "test".into(),
            label: Label::new("测试", "test"),
            cap: p("10"),
            rule: BonusKind::Discretionary,
        })
        .collect();
    c.validate().unwrap();
    c
}

#[test]
fn bonus_lines_adding_to_24_are_capped_at_20() {
    let mut input = a_input(&[]);
    for (id, v) in [("x", "10"), ("y", "10"), ("z", "4")] {
        input.bonuses.insert(id.into(), BonusInput::Points(p(v)));
    }
    let r = score(&generous_card(), &input).unwrap();
    assert_eq!(
        (r.bonus_raw, r.bonus_cap, r.bonus),
        (p("24"), p("20"), p("20"))
    );
    assert_eq!(r.total, p("120"));
}

#[test]
fn card_a_full_bonus_is_20() {
    let counts = BonusInput::Counts([("national".into(), 4)].into());
    let input = a_input(&[
        ("over_completion", completion("200%")),
        ("upward_funds", BonusInput::Points(p("10"))),
        ("commendations", counts),
        ("innovation", BonusInput::Points(p("3"))),
    ]);
    let r = score(&card("a"), &input).unwrap();
    assert_eq!((r.bonus_raw, r.bonus), (p("20"), p("20")));
    assert_eq!(r.total, card("a").ceiling());
}

#[test]
fn veto_fails_the_unit_with_its_points_still_shown() {
    let mut input = a_input(&[("innovation", BonusInput::Points(p("1.5")))]);
    input.veto = Some(Veto {
        reason: "发现问题情节严重".into(),
    });
    let r = score(&card("a"), &input).unwrap();
    assert_eq!(r.outcome, Outcome::Vetoed);
    assert!(r.failed());
    assert_eq!(r.total, p("101.5"));
    let text = r.to_text(Lang::Zh);
    assert!(
        text.contains("一票否决") && text.contains("101.5"),
        "{text}"
    );
    assert!(text.contains("发现问题情节严重"), "{text}");
    let html = r.to_html(Lang::En);
    assert!(
        html.contains("<table>") && html.contains("<p>total: 101.5</p>"),
        "{html}"
    );
}

#[test]
fn an_item_above_its_maximum_is_an_error_naming_it() {
    let mut input = a_input(&[]);
    input.items.insert("daily_responsibility".into(), p("20.5"));
    let e = score(&card("a"), &input).unwrap_err();
    assert_eq!(e.item(), Some("daily_responsibility"));
    assert_eq!(
        e.to_string(),
        "item `daily_responsibility`: 20.5 points is above its maximum of 20"
    );
}

#[test]
fn bad_inputs_are_errors_naming_the_item_never_clamped() {
    let a = card("a");
    let check = |input: ScoreInput, item: &str, needle: &str| {
        let e = score(&a, &input).unwrap_err();
        assert_eq!(e.item(), Some(item), "{e}");
        assert!(e.to_string().contains(needle), "{e}");
    };
    let mut neg = a_input(&[]);
    neg.items.insert("annual_targets".into(), p("-1"));
    check(neg, "annual_targets", "negative");

    check(
        a_input(&[("innovation", BonusInput::Points(p("3.5")))]),
        "innovation",
        "above its cap of 3",
    );
    check(
        a_input(&[("upward_funds", BonusInput::Points(p("-0.5")))]),
        "upward_funds",
        "negative",
    );
    check(
        a_input(&[("over_completion", completion("-10%"))]),
        "over_completion",
        "completion -10.00% is negative",
    );

    let mut unknown = a_input(&[]);
    unknown.items.insert("annual_target".into(), p("1"));
    check(unknown, "annual_target", "has no item");

    let mut missing = a_input(&[]);
    missing.items.remove("daily_responsibility");
    check(missing, "daily_responsibility", "has no score");

    check(
        a_input(&[("innovation", completion("120%"))]),
        "innovation",
        "give `points`",
    );
    check(
        a_input(&[(
            "commendations",
            BonusInput::Counts([("municipal".into(), 1)].into()),
        )]),
        "commendations",
        "municipal",
    );

    let mut fine = a_input(&[]);
    fine.items.insert("annual_targets".into(), p("70.00001"));
    check(fine, "annual_targets", "decimal places");
}

#[test]
fn half_points_never_drift() {
    // 160 halves of 0.5 on card B's biggest item would be 80: use ten items of max 0.1 instead.
    let mut c = card("b");
    c.sections.truncate(1);
    c.sections[0].items = (0..10)
        .map(|i| Item {
            id: format!("i{i}"),
            source: "test".into(),
            label: Label::new("测试", "test"),
            max: p("0.1"),
        })
        .collect();
    c.sections[0].max = p("1");
    c.total = p("1");
    let mut input = ScoreInput::new("u");
    for (_, it) in c.items() {
        input.items.insert(it.id.clone(), p("0.1"));
    }
    assert_eq!(score(&c, &input).unwrap().total, p("1"));

    let mut input = a_input(&[]);
    input.items.insert("annual_targets".into(), p("79.5"));
    input.items.insert("daily_responsibility".into(), p("19.5"));
    let counts = BonusInput::Counts([("provincial".into(), 1)].into());
    input.bonuses.insert("commendations".into(), counts);
    assert_eq!(score(&card("a"), &input).unwrap().total, p("99.5"));
}

#[test]
fn invalid_cards_are_refused_with_the_field_path() {
    let path = |c: &Scorecard| match c.validate().unwrap_err() {
        ScoreError::InvalidCard(f) => f.first().path.clone(),
        e => panic!("{e}"),
    };
    let mut c = card("b");
    c.sections[1].items[2].max = p("29");
    assert_eq!(path(&c), "(card).sections[1].max");
    let mut c = card("b");
    c.sections[1].max = p("59");
    c.sections[1].items[2].max = p("29");
    assert_eq!(path(&c), "(card).total");
    let mut c = card("b");
    c.sections[1].items[0].id = "key_tasks".into();
    assert_eq!(path(&c), "(card).sections[1].items[0].id");
    let mut c = card("a");
    c.bonus.cap = p("-1");
    assert_eq!(path(&c), "(card).bonus.cap");
    let mut c = card("a");
    c.bonus.rules[0].rule = BonusKind::PerStep {
        base: Ratio::ONE,
        step: Ratio::ZERO,
        points: p("1"),
    };
    assert_eq!(path(&c), "(card).bonus.rules[0].rule.per_step.step");
    let mut c = card("a");
    c.bonus.rules[1].id = "over_completion".into();
    assert_eq!(path(&c), "(card).bonus.rules[1].id");

    let policy = Policy::chaoyang_2020()
        .to_toml()
        .replacen("max = \"30\"", "max = \"31\"", 1);
    let e = Policy::from_toml(&policy).unwrap_err();
    assert_eq!(e.path(), "assessment.cards[1].sections[1].max");
}

#[test]
fn user_supplied_grade_bands_grade_unvetoed_units_only() {
    let mut c = card("b");
    c.grades = vec![
        GradeBand {
            label: Label::new("良好", "good"),
            min: p("80"),
        },
        GradeBand {
            label: Label::new("优秀", "excellent"),
            min: p("90"),
        },
    ];
    c.validate().unwrap();
    let mut input = ScoreInput::new("u");
    for (_, it) in c.items() {
        input.items.insert(it.id.clone(), it.max);
    }
    input.items.insert("overall_effect".into(), p("15"));
    let r = score(&c, &input).unwrap();
    assert_eq!(r.total, p("85"));
    assert_eq!(r.grade.unwrap().en, "good");
    input.items.insert("overall_effect".into(), p("30"));
    assert_eq!(score(&c, &input).unwrap().grade.unwrap().en, "excellent");
    input.items.insert("overall_effect".into(), p("0"));
    assert_eq!(score(&c, &input).unwrap().grade, None);
    input.items.insert("overall_effect".into(), p("30"));
    input.veto = Some(Veto { reason: "x".into() });
    assert_eq!(score(&c, &input).unwrap().grade, None);
}

#[test]
fn card_and_input_files_load_strictly() {
    let a = card("a");
    assert_eq!(Scorecard::from_json(&a.to_json()).unwrap(), a);
    let bad = a.to_json().replacen("\"cap\": \"20\"", "\"cap\": 20.0", 1);
    let e = Scorecard::from_json(&bad).unwrap_err();
    assert!(e.to_string().contains("bonus.cap"), "{e}");
    let many = ScoreInput::many_from_json(
        r#"[{"unit": "甲", "items": {"annual_targets": "80"},
             "bonuses": {"over_completion": {"completion": "135%"}}, "veto": {"reason": "r"}}]"#,
    )
    .unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(
        many[0].bonuses["over_completion"],
        BonusInput::Completion(Ratio::percent(135))
    );
    let e = ScoreInput::many_from_json(r#"{"unit": "甲", "itms": {}}"#).unwrap_err();
    assert!(e.to_string().contains("itms"), "{e}");
}

#[test]
fn cards_are_ranked_on_their_own() {
    // #11 item 6: card A (out of 120) and card B (out of 100) were ranked together.
    let b = card("b");
    let mut on_b = ScoreInput::new("乙");
    for (_, it) in b.items() {
        on_b.items.insert(it.id.clone(), it.max);
    }
    let reports = [
        score(&card("a"), &a_input(&[])).unwrap(),
        score(&b, &on_b).unwrap(),
    ];
    let e = rank(&reports).unwrap_err();
    assert!(matches!(e, ScoreError::MixedCards { .. }), "{e}");
    assert!(
        e.to_string().contains("each card is ranked on its own"),
        "{e}"
    );
}

#[test]
fn units_are_named_once_and_vetoes_have_reasons() {
    // #10 item 7: empty or duplicate unit names, empty veto reason.
    let a = card("a");
    let mut blank = a_input(&[]);
    blank.unit = "  ".into();
    assert_eq!(score(&a, &blank).unwrap_err(), ScoreError::EmptyUnit);
    assert!(score_batch(&a, &[blank]).is_err());
    let mut escape = a_input(&[]);
    escape.unit = "科室\u{1b}[2J".into();
    let e = score(&a, &escape).unwrap_err();
    assert!(e.to_string().contains("control character"), "{e}");
    let mut vetoed = a_input(&[]);
    vetoed.veto = Some(Veto { reason: " ".into() });
    let e = score(&a, &vetoed).unwrap_err();
    assert!(matches!(e, ScoreError::EmptyVetoReason { .. }), "{e}");
    let one = score(&a, &a_input(&[])).unwrap();
    let e = rank(&[one.clone(), one]).unwrap_err();
    assert_eq!(
        e,
        ScoreError::DuplicateUnit {
            unit: "测试科室".into()
        }
    );
}

#[test]
fn ranking_shares_ranks_and_puts_vetoed_units_last() {
    let b = card("b");
    let unit = |name: &str, effect: &str, veto: bool| {
        let mut s = ScoreInput::new(name);
        for (_, it) in b.items() {
            s.items.insert(it.id.clone(), it.max);
        }
        s.items.insert("overall_effect".into(), p(effect));
        if veto {
            s.veto = Some(Veto { reason: "r".into() });
        }
        score(&b, &s).unwrap()
    };
    let reports = [
        unit("C", "20", false),
        unit("V", "30", true),
        unit("A", "30", false),
        unit("B", "30", false),
        unit("W", "0", true),
    ];
    let got: Vec<(usize, usize)> = rank(&reports)
        .unwrap()
        .iter()
        .map(|e| (e.index, e.rank))
        .collect();
    assert_eq!(got, [(2, 1), (3, 1), (0, 3), (1, 4), (4, 4)]);
}

#[test]
fn batch_scores_match_single_scores_and_columns() {
    let a = card("a");
    let inputs: Vec<ScoreInput> = (0..20)
        .map(|n| {
            let mut s = a_input(&[("over_completion", completion(&format!("{}%", 95 + n * 5)))]);
            s.items
                .insert("annual_targets".into(), Points::from(60 + n));
            s
        })
        .collect();
    let batch = score_batch(&a, &inputs).unwrap();
    assert_eq!(batch.len(), 20);
    for (i, input) in inputs.iter().enumerate() {
        let one = score(&a, input).unwrap();
        assert_eq!(batch.total(i), Some(one.total));
        assert_eq!(batch.bonus_line(i, 0), Some(one.bonus_lines[0].capped));
    }
    let mut bad = inputs.clone();
    bad[7].items.insert("daily_responsibility".into(), p("21"));
    let e = score_batch(&a, &bad).unwrap_err();
    assert_eq!((e.row, e.error.item()), (7, Some("daily_responsibility")));

    let one = [1_i128];
    let e = score_columns(
        &a,
        &ScoreColumns {
            items: vec![&one],
            bonuses: vec![],
            vetoed: &[false],
        },
    )
    .unwrap_err();
    assert!(matches!(e.error, ScoreError::Columns(_)), "{e}");
}

// ---- properties ----------------------------------------------------------------------------

/// Points in half-point steps from 0 to `max_halves / 2`.
fn any_halves(max_halves: i64) -> impl Strategy<Value = Points> {
    (0..=max_halves).prop_map(|h| Points::new(Decimal::new(h * 5, 1)))
}

fn lbl() -> Label {
    Label {
        zh: Cow::Borrowed("项"),
        en: Cow::Borrowed("item"),
    }
}

fn any_bonus_rule() -> impl Strategy<Value = BonusKind> {
    prop_oneof![
        (0i64..=200, 1i64..=50, any_halves(6)).prop_map(|(base, step, points)| {
            BonusKind::PerStep {
                base: Ratio::percent(base),
                step: Ratio::percent(step),
                points,
            }
        }),
        prop::collection::vec(any_halves(4), 1..4).prop_map(|ws| BonusKind::PerCount {
            weights: ws
                .into_iter()
                .enumerate()
                .map(|(i, points)| CountWeight {
                    id: format!("k{i}"),
                    label: lbl(),
                    points,
                })
                .collect(),
        }),
        Just(BonusKind::Discretionary),
    ]
}

/// Any valid scorecard: 1–3 sections of 1–4 items, 0–4 bonus rules, a bonus cap.
fn any_scorecard() -> impl Strategy<Value = Scorecard> {
    (
        prop::collection::vec(prop::collection::vec(any_halves(60), 1..5), 1..4),
        prop::collection::vec((any_halves(20), any_bonus_rule()), 0..5),
        any_halves(40),
    )
        .prop_map(|(sections, rules, cap)| card_of(sections, rules, cap, vec![]))
}

/// A valid card from item maxima per section, (cap, rule) per bonus line, the bonus cap and
/// grade band minima (distinct).
fn card_of(
    sections: Vec<Vec<Points>>,
    rules: Vec<(Points, BonusKind)>,
    cap: Points,
    grades: Vec<Points>,
) -> Scorecard {
    let mut n = 0;
    let sections: Vec<Section> = sections
        .into_iter()
        .enumerate()
        .map(|(s, maxima)| {
            let items: Vec<Item> = maxima
                .into_iter()
                .map(|max| {
                    n += 1;
                    Item {
                        id: format!("item{n}"),
                        source: "test".into(),
                        label: lbl(),
                        max,
                    }
                })
                .collect();
            Section {
                id: format!("s{s}"),
                source: "test".into(),
                label: lbl(),
                max: items.iter().fold(Points::ZERO, |a, i| a + i.max),
                items,
            }
        })
        .collect();
    Scorecard {
        id: "t".into(),
        clause: ClauseId::A,
        label: lbl(),
        total: sections.iter().fold(Points::ZERO, |a, s| a + s.max),
        sections,
        bonus: Bonus {
            source: "test".into(),
            cap,
            rules: rules
                .into_iter()
                .enumerate()
                .map(|(i, (cap, rule))| BonusRule {
                    id: format!("bonus{i}"),
                    source: "test".into(),
                    label: lbl(),
                    cap,
                    rule,
                })
                .collect(),
        },
        grades: grades
            .into_iter()
            .map(|min| GradeBand { label: lbl(), min })
            .collect(),
        assessed_by: Vec::new(),
    }
}

/// Scale a fraction in [0, 1] (as integer parts per 1,000) of a maximum, in half points.
fn part_of(max: Points, per_mille: u32) -> Points {
    let halves =
        (max.value() * Decimal::TWO * Decimal::from(per_mille) / Decimal::from(1000)).floor();
    Points::new(halves / Decimal::TWO)
}

/// Any valid input for `card`.
fn any_input_for(card: Scorecard) -> impl Strategy<Value = (Scorecard, ScoreInput)> {
    let n_items = card.items().count();
    let n_rules = card.bonus.rules.len();
    (
        prop::collection::vec(0u32..=1000, n_items),
        prop::collection::vec(
            (
                0u32..=1000,
                0i64..=40_000,
                prop::collection::vec(0u32..6, 3),
            ),
            n_rules,
        ),
        any::<bool>(),
    )
        .prop_map(move |(items, bonuses, veto)| {
            let mut s = ScoreInput::new("u");
            for ((_, it), share) in card.items().zip(items) {
                s.items.insert(it.id.clone(), part_of(it.max, share));
            }
            for (rule, (share, basis_points, counts)) in card.bonus.rules.iter().zip(bonuses) {
                let input = match &rule.rule {
                    BonusKind::PerStep { .. } => {
                        BonusInput::Completion(Ratio::from_fraction(Decimal::new(basis_points, 4)))
                    }
                    BonusKind::PerCount { weights } => BonusInput::Counts(
                        weights
                            .iter()
                            .zip(counts)
                            .map(|(w, n)| (w.id.clone(), n))
                            .collect::<BTreeMap<_, _>>(),
                    ),
                    BonusKind::Discretionary => BonusInput::Points(part_of(rule.cap, share)),
                };
                s.bonuses.insert(rule.id.clone(), input);
            }
            if veto {
                s.veto = Some(Veto { reason: "r".into() });
            }
            (card.clone(), s)
        })
}

fn any_scorecard_input() -> impl Strategy<Value = (Scorecard, ScoreInput)> {
    prop_oneof![Just(card("a")), Just(card("b")), any_scorecard(),].prop_flat_map(any_input_for)
}

/// Several inputs for one card.
fn any_scored_units() -> impl Strategy<Value = Vec<ScoreReport>> {
    any_scorecard()
        .prop_flat_map(|c| prop::collection::vec(any_input_for(c), 0..12))
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (c, mut s))| {
                    s.unit = format!("u{}-{i}", i % 4);
                    score(&c, &s).unwrap()
                })
                .collect()
        })
}

proptest! {
    #[test]
    fn total_never_exceeds_card_total_plus_bonus_cap((c, s) in any_scorecard_input()) {
        let r = score(&c, &s).unwrap();
        prop_assert!(r.total <= c.ceiling());
        prop_assert!(r.base <= c.total);
        prop_assert_eq!(r.total, r.base + r.bonus);
    }

    #[test]
    fn bonus_total_and_every_line_stay_within_their_caps((c, s) in any_scorecard_input()) {
        let r = score(&c, &s).unwrap();
        prop_assert!(r.bonus <= r.bonus_cap);
        prop_assert!(r.bonus <= r.bonus_raw);
        for l in &r.bonus_lines {
            prop_assert!(l.capped <= l.cap);
            prop_assert!(l.capped <= l.raw);
            prop_assert!(l.capped == l.raw || l.capped == l.cap);
        }
    }

    #[test]
    fn score_is_monotone_in_every_item((c, s) in any_scorecard_input(), pick in any::<prop::sample::Index>(), more in 0u32..=1000) {
        let before = score(&c, &s).unwrap().total;
        let items: Vec<&Item> = c.items().map(|(_, i)| i).collect();
        let item = pick.get(&items);
        let mut up = s.clone();
        let now = s.items[&item.id];
        let raised = now + part_of(Points::new(item.max.value() - now.value()), more);
        up.items.insert(item.id.clone(), raised);
        prop_assert!(score(&c, &up).unwrap().total >= before);
    }

    #[test]
    fn score_is_monotone_in_completion_and_bonuses((c, s) in any_scorecard_input(), more in 0i64..=5_000, extra in 0u32..4) {
        let before = score(&c, &s).unwrap().total;
        let mut up = s.clone();
        for rule in &c.bonus.rules {
            let raised = match up.bonuses.get(&rule.id) {
                Some(BonusInput::Completion(r)) => BonusInput::Completion(Ratio::from_fraction(r.as_fraction() + Decimal::new(more, 4))),
                Some(BonusInput::Counts(m)) => BonusInput::Counts(m.iter().map(|(k, n)| (k.clone(), n + extra)).collect()),
                Some(BonusInput::Points(p)) => BonusInput::Points(*p + part_of(Points::new(rule.cap.value() - p.value()), 500)),
                None => continue,
            };
            up.bonuses.insert(rule.id.clone(), raised);
        }
        prop_assert!(score(&c, &up).unwrap().total >= before);
    }

    #[test]
    fn veto_always_fails((c, mut s) in any_scorecard_input()) {
        s.veto = Some(Veto { reason: "r".into() });
        let r = score(&c, &s).unwrap();
        prop_assert!(r.failed());
        prop_assert_eq!(r.grade, None);
        s.veto = None;
        prop_assert_eq!(score(&c, &s).unwrap().total, r.total);
    }

    #[test]
    fn ranking_is_a_permutation_that_respects_totals(reports in any_scored_units()) {
        let ranked = rank(&reports).unwrap();
        let mut seen: Vec<usize> = ranked.iter().map(|e| e.index).collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..reports.len()).collect::<Vec<_>>());
        for pair in ranked.windows(2) {
            let (x, y) = (&pair[0], &pair[1]);
            prop_assert!(x.rank <= y.rank);
            prop_assert!(!x.vetoed || y.vetoed, "a vetoed unit ranks after every other");
            if !x.vetoed && !y.vetoed {
                prop_assert!(x.total >= y.total);
                prop_assert_eq!(x.total == y.total, x.rank == y.rank);
            }
        }
        for e in &ranked {
            let r = &reports[e.index];
            prop_assert_eq!((e.total, e.vetoed), (r.total, r.failed()));
            // Competition ranking: 1 + the number of units strictly ahead.
            let ahead = reports.iter().filter(|o| !o.failed() && (r.failed() || o.total > r.total)).count();
            prop_assert_eq!(e.rank, ahead + 1);
        }
        prop_assert_eq!(rank(&reports).unwrap(), ranked, "ranking is deterministic");
    }

    #[test]
    fn definitions_and_reports_round_trip_through_serde((c, s) in any_scorecard_input()) {
        prop_assert_eq!(Scorecard::from_json(&c.to_json()).unwrap(), c.clone());
        let r = score(&c, &s).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(serde_json::from_str::<ScoreReport>(&json).unwrap(), r);
        let back: ScoreInput = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn batch_agrees_with_single_scoring(units in any_scorecard().prop_flat_map(|c| prop::collection::vec(any_input_for(c), 1..8))) {
        let card = units[0].0.clone();
        let inputs: Vec<ScoreInput> = units
            .into_iter()
            .enumerate()
            .map(|(i, (_, mut s))| {
                s.unit = format!("u{i}");
                s
            })
            .collect();
        let batch = score_batch(&card, &inputs).unwrap();
        for (i, s) in inputs.iter().enumerate() {
            let one = score(&card, s).unwrap();
            prop_assert_eq!(batch.total(i), Some(one.total));
            prop_assert_eq!(batch.bonus(i), Some(one.bonus));
            prop_assert_eq!(batch.vetoed(i), Some(one.failed()));
        }
        let reports: Vec<ScoreReport> = inputs.iter().map(|s| score(&card, s).unwrap()).collect();
        let by_batch: Vec<(usize, usize)> = batch.rank().iter().map(|e| (e.rank, e.index)).collect();
        let mut by_rank: Vec<(usize, usize)> = rank(&reports).unwrap().iter().map(|e| (e.rank, e.index)).collect();
        let mut sorted = by_batch.clone();
        sorted.sort_unstable();
        by_rank.sort_unstable();
        prop_assert_eq!(sorted, by_rank);
    }
}

/// Item columns, count columns per rule and kind, and the veto column.
type Columns = (Vec<Vec<i128>>, Vec<Vec<Vec<u32>>>, Vec<bool>);

/// The same units as scaled-integer columns, the layout an Arrow decimal128 feed gives.
fn as_columns(card: &Scorecard, inputs: &[ScoreInput]) -> Columns {
    let items = card
        .items()
        .map(|(_, it)| {
            inputs
                .iter()
                .map(|s| s.items[&it.id].to_scaled().unwrap())
                .collect()
        })
        .collect();
    let bonuses = card
        .bonus
        .rules
        .iter()
        .map(|r| match &r.rule {
            BonusKind::PerCount { weights } => weights
                .iter()
                .map(|w| {
                    inputs
                        .iter()
                        .map(|s| match s.bonuses.get(&r.id) {
                            Some(BonusInput::Counts(m)) => m.get(&w.id).copied().unwrap_or(0),
                            _ => 0,
                        })
                        .collect()
                })
                .collect(),
            _ => vec![
                inputs
                    .iter()
                    .map(|s| match s.bonuses.get(&r.id) {
                        Some(BonusInput::Completion(c)) => {
                            u32::try_from(to_scaled_floor(c.as_fraction(), 4).unwrap()).unwrap()
                        }
                        Some(BonusInput::Points(p)) => {
                            u32::try_from(p.to_scaled().unwrap()).unwrap()
                        }
                        _ => 0,
                    })
                    .collect(),
            ],
        })
        .collect();
    (
        items,
        bonuses,
        inputs.iter().map(|s| s.veto.is_some()).collect(),
    )
}

proptest! {
    #[test]
    fn columns_agree_with_batch_scoring(units in any_scorecard().prop_flat_map(|c| prop::collection::vec(any_input_for(c), 1..8))) {
        let card = units[0].0.clone();
        let inputs: Vec<ScoreInput> = units.into_iter().map(|(_, s)| s).collect();
        let (items, bonuses, vetoed) = as_columns(&card, &inputs);
        // Completions were read at 4 places above (basis points): widen them to 8 places.
        let wide: Vec<Vec<i128>> = card
            .bonus
            .rules
            .iter()
            .zip(&bonuses)
            .map(|(r, cols)| {
                let f = if matches!(r.rule, BonusKind::PerStep { .. }) { 10_000 } else { 1 };
                cols.first().map(|c| c.iter().map(|&v| i128::from(v) * f).collect()).unwrap_or_default()
            })
            .collect();
        let cols = ScoreColumns {
            items: items.iter().map(Vec::as_slice).collect(),
            bonuses: card
                .bonus
                .rules
                .iter()
                .zip(&bonuses)
                .zip(&wide)
                .map(|((r, counts), one)| match r.rule {
                    BonusKind::PerStep { .. } => BonusColumn::Completion(one),
                    BonusKind::PerCount { .. } => BonusColumn::Counts(counts.iter().map(Vec::as_slice).collect()),
                    BonusKind::Discretionary => BonusColumn::Points(one),
                })
                .collect(),
            vetoed: &vetoed,
        };
        let by_cols = score_columns(&card, &cols).unwrap();
        let by_batch = score_batch(&card, &inputs).unwrap();
        prop_assert_eq!(by_cols, by_batch);
    }
}

#[test]
fn policy_round_trip_keeps_the_cards() {
    let p = Policy::chaoyang_2020();
    assert_eq!(Policy::from_toml(&p.to_toml()).unwrap(), p);
    assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p);
}

// ---- the columnar fast path against the row-wise kernel ------------------------------------

/// Points scaled by 10⁴, from 0 to `hi` scaled.
fn any_scaled(hi: i64) -> impl Strategy<Value = Points> {
    (0..=hi).prop_map(|v| Points::new(Decimal::new(v, POINT_SCALE)))
}

/// A ratio scaled by 10⁸, from `lo` to `hi` scaled.
fn any_ratio(lo: i64, hi: i64) -> impl Strategy<Value = Ratio> {
    (lo..=hi).prop_map(|v| Ratio::from_fraction(Decimal::new(v, RATIO_SCALE)))
}

/// A bonus rule anywhere in the range a card may use: tiny steps, 0.0001-point weights, caps up
/// to the 10⁹-point limit — the values that push the 64-bit bounds of the fast path.
fn any_wide_bonus_rule() -> impl Strategy<Value = (Points, BonusKind)> {
    let limit = MAX_CARD_POINTS * 10_000;
    (
        prop_oneof![any_scaled(100_000), any_scaled(limit)],
        prop_oneof![
            (
                any_ratio(0, 100_000_000_000_000),
                prop_oneof![any_ratio(1, 100), any_ratio(1, 100_000_000_000_000)],
                prop_oneof![any_scaled(10), any_scaled(limit)],
            )
                .prop_map(|(base, step, points)| BonusKind::PerStep {
                    base,
                    step,
                    points
                }),
            prop::collection::vec(prop_oneof![any_scaled(10), any_scaled(limit)], 1..4).prop_map(
                |ws| BonusKind::PerCount {
                    weights: ws
                        .into_iter()
                        .enumerate()
                        .map(|(i, points)| CountWeight {
                            id: format!("k{i}"),
                            label: lbl(),
                            points,
                        })
                        .collect(),
                }
            ),
            Just(BonusKind::Discretionary),
        ],
    )
}

/// Any valid card with 0–3 grade bands: the plan's A and B, small half-point cards, or cards
/// with values up to the limits a card allows.
fn any_graded_scorecard() -> impl Strategy<Value = Scorecard> {
    let small = (
        prop::collection::vec(prop::collection::vec(any_halves(60), 1..5), 1..4),
        prop::collection::vec((any_halves(20), any_bonus_rule()), 0..5),
        any_halves(40),
        prop::collection::btree_set(any_halves(240), 0..4),
    );
    // 12 items of at most 8 × 10⁷ points stay under the card total limit of 10⁹.
    let wide = (
        prop::collection::vec(
            prop::collection::vec(any_scaled(800_000_000_000), 1..5),
            1..4,
        ),
        prop::collection::vec(any_wide_bonus_rule(), 0..5),
        any_scaled(MAX_CARD_POINTS * 10_000),
        prop::collection::btree_set(any_scaled(MAX_CARD_POINTS * 10_000), 0..4),
    );
    prop_oneof![
        Just(card("a")),
        Just(card("b")),
        small.prop_map(|(s, r, cap, g)| card_of(s, r, cap, g.into_iter().collect())),
        wide.prop_map(|(s, r, cap, g)| card_of(s, r, cap, g.into_iter().collect())),
    ]
}

/// A bonus input column, owned.
#[derive(Debug, Clone)]
enum OwnedBonus {
    Completion(Vec<i128>),
    Counts(Vec<Vec<u32>>),
    Points(Vec<i128>),
}

/// Input columns, owned; [`OwnedColumns::view`] lends them as [`ScoreColumns`].
#[derive(Debug, Clone)]
struct OwnedColumns {
    items: Vec<Vec<i128>>,
    bonuses: Vec<OwnedBonus>,
    vetoed: Vec<bool>,
}

impl OwnedColumns {
    fn view(&self) -> ScoreColumns<'_> {
        ScoreColumns {
            items: self.items.iter().map(Vec::as_slice).collect(),
            bonuses: self
                .bonuses
                .iter()
                .map(|b| match b {
                    OwnedBonus::Completion(v) => BonusColumn::Completion(v),
                    OwnedBonus::Counts(k) => {
                        BonusColumn::Counts(k.iter().map(Vec::as_slice).collect())
                    }
                    OwnedBonus::Points(v) => BonusColumn::Points(v),
                })
                .collect(),
            vetoed: &self.vetoed,
        }
    }
}

/// Valid input columns of `rows` units for `card`: every cell within its item's maximum or its
/// line's cap, completions from 0 to `i64::MAX` × 10⁻⁸, counts up to `u32::MAX`.
fn any_valid_columns_for(
    card: Scorecard,
    rows: std::ops::Range<usize>,
) -> impl Strategy<Value = (Scorecard, OwnedColumns)> {
    (Just(card), rows).prop_flat_map(|(card, n)| {
        let items: Vec<_> = card
            .items()
            .map(|(_, it)| prop::collection::vec(0..=it.max.to_scaled().unwrap(), n))
            .collect();
        let bonuses: Vec<BoxedStrategy<OwnedBonus>> = card
            .bonus
            .rules
            .iter()
            .map(|r| match &r.rule {
                BonusKind::PerStep { .. } => prop::collection::vec(
                    prop_oneof![0..=300_000_000_i128, 0..=i128::from(i64::MAX)],
                    n,
                )
                .prop_map(OwnedBonus::Completion)
                .boxed(),
                BonusKind::PerCount { weights } => prop::collection::vec(
                    prop::collection::vec(prop_oneof![0..6_u32, any::<u32>()], n),
                    weights.len(),
                )
                .prop_map(OwnedBonus::Counts)
                .boxed(),
                BonusKind::Discretionary => {
                    prop::collection::vec(0..=r.cap.to_scaled().unwrap(), n)
                        .prop_map(OwnedBonus::Points)
                        .boxed()
                }
            })
            .collect();
        (
            Just(card),
            items,
            bonuses,
            prop::collection::vec(any::<bool>(), n),
        )
            .prop_map(|(card, items, bonuses, vetoed)| {
                (
                    card,
                    OwnedColumns {
                        items,
                        bonuses,
                        vetoed,
                    },
                )
            })
    })
}

/// A cell value the kernel refuses, or that only the `i128` kernel can score: negative, above
/// the maximum or cap, the missing-value sentinel, beyond 64 bits.
fn any_bad_cell() -> impl Strategy<Value = i128> {
    prop_oneof![
        -1_000_000_i128..0,
        Just(i128::MIN),
        Just(i128::MAX),
        Just(i128::from(i64::MAX) + 1),
        (1_i128..=10_000_000_000_000).prop_map(|v| v + 10_000_000_000_000),
        any::<i128>(),
    ]
}

/// Valid columns with 1–3 cells replaced by [`any_bad_cell`] (items, completions, points).
fn any_invalid_columns() -> impl Strategy<Value = (Scorecard, OwnedColumns)> {
    any_graded_scorecard()
        .prop_flat_map(|c| any_valid_columns_for(c, 1..30))
        .prop_flat_map(|(card, cols)| {
            let spots = prop::collection::vec(
                (
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                    any_bad_cell(),
                ),
                1..4,
            );
            (Just(card), Just(cols), spots)
        })
        .prop_map(|(card, mut cols, spots)| {
            for (column, row, value) in spots {
                // The columns that hold i128 values: items, completions, discretionary points.
                let mut cells: Vec<&mut Vec<i128>> = cols.items.iter_mut().collect();
                for b in &mut cols.bonuses {
                    if let OwnedBonus::Completion(v) | OwnedBonus::Points(v) = b {
                        cells.push(v);
                    }
                }
                let col = column.get_mut(&mut cells);
                let i = row.index(col.len());
                col[i] = value;
            }
            (card, cols)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn columnar_scoring_equals_the_rowwise_kernel_on_valid_columns(
        (card, cols) in any_graded_scorecard().prop_flat_map(|c| any_valid_columns_for(c, 0..40)),
    ) {
        let view = cols.view();
        let old = batch::score_columns_rowwise(&card, &view).unwrap();
        // The fast path itself, not its fallback: every generated card fits its 64-bit bounds.
        let compiled = batch::Compiled::new(&card).unwrap();
        let fast = columnar::score(&compiled, &view, true);
        prop_assert!(fast.is_some(), "the fast path refused a valid table");
        let totals = score_columns_totals(&card, &view).unwrap();
        prop_assert_eq!((&totals.base, &totals.bonus, &totals.total, &totals.vetoed, &totals.grade),
            (&old.base, &old.bonus, &old.total, &old.vetoed, &old.grade));
        prop_assert!(totals.bonus_raw.is_empty() && totals.lines.iter().all(Vec::is_empty));
        prop_assert_eq!(fast.as_ref(), Some(&old));
        prop_assert_eq!(score_columns(&card, &view).unwrap(), old);
    }

    #[test]
    fn columnar_scoring_gives_the_rowwise_error_on_invalid_cells((card, cols) in any_invalid_columns()) {
        let view = cols.view();
        let old = batch::score_columns_rowwise(&card, &view);
        prop_assert_eq!(score_columns(&card, &view), old.clone());
        // A negative or over-maximum item is refused whatever else the row holds.
        let refused_item = cols.items.iter().zip(card.items()).any(|(col, (_, it))| {
            let max = it.max.to_scaled().unwrap();
            col.iter().any(|v| !(0..=max).contains(v))
        });
        if refused_item {
            prop_assert!(old.is_err());
        }
    }
}

proptest! {
    // Large enough for the threaded path (ranges of whole blocks, one per core); few cases.
    #![proptest_config(ProptestConfig::with_cases(2))]

    #[test]
    fn threaded_columnar_scoring_equals_the_rowwise_kernel(
        (card, cols) in any_graded_scorecard().prop_flat_map(|c| {
            any_valid_columns_for(c, columnar::PARALLEL_MIN_ROWS * 2 + 1..columnar::PARALLEL_MIN_ROWS * 2 + 3_000)
        }),
        bad_row in any::<prop::sample::Index>(),
    ) {
        let view = cols.view();
        let old = batch::score_columns_rowwise(&card, &view).unwrap();
        let compiled = batch::Compiled::new(&card).unwrap();
        let fast = columnar::score(&compiled, &view, true);
        prop_assert_eq!(fast.as_ref(), Some(&old));
        let totals = score_columns_totals(&card, &view).unwrap();
        prop_assert_eq!((&totals.total, &totals.vetoed), (&old.total, &old.vetoed));
        // One refused cell anywhere — in any thread's range — gives the row-wise error.
        if let Some(first) = cols.items.first() {
            let mut broken = cols.clone();
            let i = bad_row.index(first.len());
            broken.items[0][i] = -1;
            let view = broken.view();
            prop_assert_eq!(score_columns(&card, &view), batch::score_columns_rowwise(&card, &view));
            prop_assert!(score_columns(&card, &view).is_err());
        }
    }
}

proptest! {
    #[test]
    fn batch_ranking_equals_the_ranking_of_decimal_totals(
        (card, cols) in any_graded_scorecard().prop_flat_map(|c| any_valid_columns_for(c, 0..60)),
    ) {
        let s = score_columns(&card, &cols.view()).unwrap();
        let by_decimals = rank::rank_by(
            s.len(),
            |i| (s.vetoed(i).unwrap(), s.total(i).unwrap()),
            |a, b| a.cmp(&b),
        );
        let mut ranks = vec![0_u32; s.len()];
        for e in &by_decimals {
            ranks[e.index] = u32::try_from(e.rank).unwrap();
        }
        prop_assert_eq!(s.rank(), by_decimals);
        prop_assert_eq!(s.rank_column(), ranks);
    }
}

/// Card A's columns of `rows` units with every cell valid; `f` edits them.
fn card_a_columns(rows: usize, f: impl FnOnce(&mut OwnedColumns)) -> OwnedColumns {
    let mut cols = OwnedColumns {
        items: vec![vec![70_0000; rows], vec![15_0000; rows]],
        bonuses: vec![
            OwnedBonus::Completion(vec![1_3500_0000; rows]),
            OwnedBonus::Points(vec![5_0000; rows]),
            OwnedBonus::Counts(vec![vec![1; rows], vec![0; rows]]),
            OwnedBonus::Points(vec![1_0000; rows]),
        ],
        vetoed: vec![false; rows],
    };
    f(&mut cols);
    cols
}

#[test]
fn columnar_errors_name_the_first_bad_row_and_item_across_blocks() {
    let a = card("a");
    // Two bad cells in different blocks of the fast path: the earlier row is named.
    let cols = card_a_columns(5000, |c| {
        c.items[0][4100] = 80_0001; // annual_targets above 80
        c.bonuses[3] = OwnedBonus::Points({
            let mut v = vec![1_0000; 5000];
            v[3000] = 3_0001; // innovation above its cap of 3
            v
        });
    });
    let e = score_columns(&a, &cols.view()).unwrap_err();
    assert_eq!((e.row, e.error.item()), (3000, Some("innovation")));
    assert!(matches!(e.error, ScoreError::AboveCap { .. }), "{e}");

    let cols = card_a_columns(10, |c| c.items[1][9] = i128::MIN);
    let e = score_columns(&a, &cols.view()).unwrap_err();
    assert_eq!((e.row, e.error.item()), (9, Some("daily_responsibility")));
    assert!(matches!(e.error, ScoreError::MissingItem { .. }), "{e}");

    let cols = card_a_columns(10, |c| {
        c.bonuses[0] = OwnedBonus::Completion(vec![-1; 10]);
    });
    let e = score_columns(&a, &cols.view()).unwrap_err();
    assert_eq!((e.row, e.error.item()), (0, Some("over_completion")));
    assert!(matches!(e.error, ScoreError::Negative { .. }), "{e}");
}

#[test]
fn completions_beyond_64_bits_are_scored_or_refused_by_the_i128_kernel() {
    let a = card("a");
    // 10²² % completion: outside the fast path, still a valid input worth the line's cap.
    let cols = card_a_columns(3, |c| {
        c.bonuses[0] = OwnedBonus::Completion(vec![0, 100_000_000_000_000_000_000_000_000, 0]);
    });
    let s = score_columns(&a, &cols.view()).unwrap();
    assert_eq!(s.bonus_line(1, 0), Some(Points::from(5)));
    assert_eq!(s, batch::score_columns_rowwise(&a, &cols.view()).unwrap());

    // A step of 10⁻⁸ and 10⁹ points per step: i128::MAX steps overflow even the kernel.
    let mut tiny = a.clone();
    tiny.bonus.rules[0].rule = BonusKind::PerStep {
        base: Ratio::from_fraction(Decimal::ONE),
        step: Ratio::from_fraction(Decimal::new(1, RATIO_SCALE)),
        points: Points::from(MAX_CARD_POINTS),
    };
    tiny.validate().unwrap();
    let cols = card_a_columns(3, |c| {
        c.bonuses[0] = OwnedBonus::Completion(vec![0, 0, i128::MAX]);
    });
    let e = score_columns(&tiny, &cols.view()).unwrap_err();
    assert_eq!((e.row, e.error.item()), (2, Some("over_completion")));
    assert!(matches!(e.error, ScoreError::Overflow { .. }), "{e}");
}

#[test]
fn columnar_scores_card_a_by_the_plan() {
    let a = card("a");
    // 70 + 15 base; 135 % → 3; funds 5; one provincial 0.5; innovation 1 → bonus 9.5.
    let cols = card_a_columns(3000, |c| c.vetoed[2999] = true);
    let s = score_columns(&a, &cols.view()).unwrap();
    assert_eq!(s.len(), 3000);
    assert_eq!(s.base(2500), Some(Points::from(85)));
    assert_eq!(s.bonus(2500), Some(p("9.5")));
    assert_eq!(s.total(2999), Some(p("94.5")));
    assert_eq!(s.vetoed(2999), Some(true));
    assert_eq!(s.bonus_line(0, 2), Some(p("0.5")));
    assert_eq!(s.bonus_line_scaled(0).map(|l| l.len()), Some(3000));
    assert_eq!(
        s.bonus_line_scaled(1).and_then(|mut l| l.nth(7)),
        Some(5_0000)
    );
    assert!(s.bonus_line_scaled(4).is_none());
    assert_eq!(s.grade(0), None, "card A has no bands");
}

#[test]
fn batch_ranking_of_negative_totals_equals_the_decimal_ranking() {
    // Not reachable from a valid table; the general sort path must still rank like the decimals.
    let total = vec![5, i64::MAX, -3, 5, i64::MAX, 0];
    let s = BatchScores {
        vetoed: vec![false, false, false, true, false, false],
        base: total.clone(),
        bonus_raw: vec![0; 6],
        bonus: vec![0; 6],
        total,
        grade: vec![],
        lines: vec![],
    };
    let by_decimals = rank::rank_by(
        s.len(),
        |i| (s.vetoed(i).unwrap(), s.total(i).unwrap()),
        |a, b| a.cmp(&b),
    );
    let got = s.rank();
    assert_eq!(got, by_decimals);
    assert_eq!(s.rank_column(), [3, 1, 5, 6, 1, 4]);
    let order: Vec<(usize, usize)> = got.iter().map(|e| (e.index, e.rank)).collect();
    assert_eq!(order, [(1, 1), (4, 1), (0, 3), (5, 4), (2, 5), (3, 6)]);
}

/// Scores with the given totals and vetoes (the other columns do not take part in a ranking).
fn totals_only<T: ScaledInt>(total: Vec<T>, vetoed: Vec<bool>) -> BatchScores<T> {
    BatchScores {
        base: total.clone(),
        bonus_raw: vec![],
        bonus: total.iter().map(|_| T::default()).collect(),
        total,
        vetoed,
        grade: vec![],
        lines: vec![],
    }
}

proptest! {
    /// The radix sort of packed keys against the comparison of decimals, on totals spread over
    /// one, two and three 11-bit digits and beyond what the keys hold (the comparison path).
    #[test]
    fn batch_ranking_by_radix_equals_the_decimal_ranking(
        rows in prop::collection::vec((0_u32..4, any::<u64>(), prop::bool::weighted(0.2)), 0..300),
    ) {
        let spread = |width: u32, v: u64| {
            // Totals within 2^width of 10⁶ (width 40: beyond the 31 bits a key holds).
            1_000_000_i64 + i64::try_from(v % (1_u64 << width)).unwrap()
        };
        let width = [3, 16, 30, 40];
        for w in width {
            let total: Vec<i64> = rows.iter().map(|&(few, v, _)| {
                // Some rows share a handful of totals, so ties are common.
                if few == 0 { spread(2, v) } else { spread(w, v) }
            }).collect();
            let vetoed: Vec<bool> = rows.iter().map(|r| r.2).collect();
            let s = totals_only(total.clone(), vetoed.clone());
            let by_decimals = rank::rank_by(
                s.len(),
                |i| (s.vetoed(i).unwrap(), s.total(i).unwrap()),
                |a, b| a.cmp(&b),
            );
            let mut ranks = vec![0_u32; s.len()];
            for e in &by_decimals {
                ranks[e.index] = u32::try_from(e.rank).unwrap();
            }
            prop_assert_eq!(s.rank(), by_decimals.clone());
            prop_assert_eq!(s.rank_column(), ranks.clone());
            // The same in i128 columns.
            let wide = totals_only(total.into_iter().map(i128::from).collect(), vetoed);
            prop_assert_eq!(wide.rank(), by_decimals);
            prop_assert_eq!(wide.rank_column(), ranks);
        }
    }

    /// `score_columns_as::<i128>` holds the same numbers as `score_columns`, lines or not.
    #[test]
    fn wide_columns_equal_the_narrow_ones(
        (card, cols) in any_graded_scorecard().prop_flat_map(|c| any_valid_columns_for(c, 0..40)),
        lines in any::<bool>(),
    ) {
        let narrow = score_columns_as::<i64>(&card, &cols.view(), lines).unwrap();
        let wide = score_columns_as::<i128>(&card, &cols.view(), lines).unwrap();
        let widen = |v: &[i64]| v.iter().copied().map(i128::from).collect::<Vec<_>>();
        let (n, w) = (narrow.clone().into_columns(), wide.clone().into_columns());
        prop_assert_eq!(widen(&n.base), w.base);
        prop_assert_eq!(widen(&n.bonus_raw), w.bonus_raw);
        prop_assert_eq!(widen(&n.bonus), w.bonus);
        prop_assert_eq!(widen(&n.total), w.total);
        prop_assert_eq!(n.vetoed, w.vetoed);
        prop_assert_eq!(n.grade, w.grade);
        prop_assert_eq!(n.bonus_lines.iter().map(|l| widen(l)).collect::<Vec<_>>(), w.bonus_lines);
        prop_assert_eq!(narrow.rank_column(), wide.rank_column());
        if lines {
            prop_assert_eq!(narrow, score_columns(&card, &cols.view()).unwrap());
        }
    }
}

mod units {
    //! A unit's whole assessment: cards held separately, the veto on the unit, per-card ranking.
    use super::*;

    fn full(card: &Scorecard) -> CardScores {
        CardScores {
            items: card.items().map(|(_, i)| (i.id.clone(), i.max)).collect(),
            ..CardScores::default()
        }
    }

    fn unit(name: &str, cards: &[&str]) -> UnitInput {
        let p = Policy::chaoyang_2020();
        UnitInput {
            unit: name.into(),
            cards: cards
                .iter()
                .map(|c| ((*c).to_owned(), full(p.assessment.card(c).unwrap())))
                .collect(),
            veto: None,
        }
    }

    #[test]
    fn each_card_is_assessed_and_ranked_on_its_own_by_its_bodies() {
        let p = Policy::chaoyang_2020();
        let mut low = unit("乙局", &["a"]);
        low.cards
            .get_mut("a")
            .unwrap()
            .items
            .insert("daily_responsibility".into(), Points::from(10));
        let input = UnitsInput {
            year: Some(2020),
            status: Some("summarised".into()),
            units: vec![unit("甲局", &["a", "b"]), low, unit("丙局", &["b"])],
        };
        let r = assess_units(&p.assessment, &input).unwrap();
        let a = r.ranking("a").unwrap();
        let got: Vec<(&str, usize)> = a
            .entries
            .iter()
            .map(|e| (e.unit.as_str(), e.rank))
            .collect();
        assert_eq!(got, [("甲局", 1), ("乙局", 2)]);
        let b = r.ranking("b").unwrap();
        let got: Vec<(&str, usize)> = b
            .entries
            .iter()
            .map(|e| (e.unit.as_str(), e.rank))
            .collect();
        assert_eq!(got, [("丙局", 1), ("甲局", 1)]);
        let by = |card: &str| -> Vec<String> {
            r.units[0]
                .cards
                .iter()
                .find(|c| c.card == card)
                .unwrap()
                .assessed_by
                .iter()
                .map(|l| l.zh.to_string())
                .collect()
        };
        assert_eq!(by("a"), ["市扶贫办"]);
        assert_eq!(by("b"), ["市委组织部", "市直机关工委", "市扶贫办"]);
        let done: Vec<(&str, bool)> = r.status.iter().map(|s| (s.id.as_str(), s.done)).collect();
        assert_eq!(
            done,
            [
                ("summarised", true),
                ("executive_meeting", false),
                ("standing_committee", false)
            ]
        );
        let text = r.to_text(Lang::Zh);
        assert!(
            text.contains("✓ 考核结果汇总（市扶贫开发领导小组办公室）")
                && text.contains("… 市委常委会审定")
                && !text.contains("审定（市委常委会）")
                && !text.contains("通过（市政府常务会议）"),
            "a step that names its body does not repeat it: {text}"
        );
        assert!(
            text.contains("市委组织部、市直机关工委、市扶贫办"),
            "{text}"
        );
        let en = r.to_text(Lang::En);
        assert!(
            en.contains("city party committee; work committee") && !en.contains('、'),
            "{en}"
        );
    }

    #[test]
    fn the_veto_belongs_to_the_unit_and_fails_each_of_its_cards() {
        let p = Policy::chaoyang_2020();
        let mut vetoed = unit("甲局", &["a", "b"]);
        vetoed.veto = Some(Veto {
            reason: "挪用扶贫资金".into(),
        });
        let input = UnitsInput {
            units: vec![vetoed.clone(), unit("乙局", &["a", "b"])],
            ..UnitsInput::default()
        };
        let r = assess_units(&p.assessment, &input).unwrap();
        assert_eq!(r.units[0].outcome, Outcome::Vetoed);
        assert!(
            r.units[0]
                .cards
                .iter()
                .all(|c| c.report.outcome == Outcome::Vetoed)
        );
        for ranking in &r.rankings {
            assert_eq!(ranking.entries.last().unwrap().unit, "甲局");
        }
        // A veto on one card is refused: it is the unit's.
        let mut on_card = unit("甲局", &["a"]);
        on_card.cards.get_mut("a").unwrap().veto = Some(Veto { reason: "x".into() });
        let e = assess_units(
            &p.assessment,
            &UnitsInput {
                units: vec![on_card],
                ..UnitsInput::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("units[0].cards.a.veto"), "{e}");
        assert!(e.to_string().contains("belongs to the unit"), "{e}");
    }

    #[test]
    fn bad_units_are_named() {
        let p = Policy::chaoyang_2020();
        let run = |units: Vec<UnitInput>, status: Option<&str>| {
            assess_units(
                &p.assessment,
                &UnitsInput {
                    units,
                    status: status.map(str::to_owned),
                    year: None,
                },
            )
            .unwrap_err()
            .to_string()
        };
        let e = run(vec![unit("甲局", &["a"]), unit("甲局", &["b"])], None);
        assert!(
            e.contains("units[1].unit") && e.contains("more than once"),
            "{e}"
        );
        let e = run(vec![unit(" ", &["a"])], None);
        assert!(e.contains("units[0].unit"), "{e}");
        let e = run(vec![unit("甲局", &[])], None);
        assert!(e.contains("no card"), "{e}");
        let mut c = unit("甲局", &["a"]);
        c.cards.insert("c".into(), CardScores::default());
        let e = run(vec![c], None);
        assert!(e.contains("units[0].cards.c"), "{e}");
        let mut v = unit("甲局", &["a"]);
        v.veto = Some(Veto { reason: "".into() });
        let e = run(vec![v], None);
        assert!(e.contains("units[0].veto.reason"), "{e}");
        let e = run(vec![unit("甲局", &["a"])], Some("approved"));
        assert!(e.contains("`approved` is not a result step"), "{e}");
        let mut missing = unit("甲局", &["a"]);
        missing
            .cards
            .get_mut("a")
            .unwrap()
            .items
            .remove("daily_responsibility");
        let e = run(vec![missing], None);
        assert!(
            e.contains("units[0].cards.a") && e.contains("daily_responsibility"),
            "{e}"
        );
    }
}
