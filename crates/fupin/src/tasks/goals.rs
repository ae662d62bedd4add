//! The plan's goals outside the task table's counted targets: the people of the preamble, the
//! edge villages' drinking water, and the "every …" promises of tasks 3 and 6.
//!
//! Clauses: **P** 前言 — lift 7,088 registered poor people out of poverty, raise the incomes of
//! the 4.7 万 people already out of poverty whose per-capita net income is below 5,000 元, and
//! consolidate the results of 17.5 万; **M0** 三 (opening) — the bureau's support goes first to
//! drinking-water safety in 100 edge villages (边缘村), among others; **T3** 危房改造 — every poor
//! household's dilapidated house rebuilt (贫困户危房全改造); **T6** 教育扶贫 — every graduate from a
//! poor family recommended for a job first (毕业生全部优先推荐就业).
//!
//! These goals do not feed card A's annual points (the task table's targets do, by the
//! library's rule in [`crate::tasks`]); each is a [`Goal`] of the policy (`[[goals]]`) with its
//! number, checked when the figures give it ([`crate::tasks::TasksInput::goals`]):
//!
//! - an **at-least** goal: the figure reaches the number (`P.lifted_out`: ≥ 7,088 people);
//! - a **share** goal: done ÷ all reaches the share (`T3.poor_housing_all`: 100 % of the poor
//!   households with a dilapidated house). A share of nothing (0 of 0) is not met.
//!
//! # Example
//! ```
//! use fupin::goals::GoalInput;
//! use fupin::tasks::{check_tasks, TasksInput};
//! let policy = fupin::Policy::chaoyang_2020();
//! let mut input = TasksInput::default();
//! input.goals.insert("P.lifted_out".into(), GoalInput::count("7088"));
//! input.goals.insert("T3.poor_housing_all".into(), GoalInput::share(849, 850));
//! let r = check_tasks(&policy, &input)?;
//! let failed: Vec<&str> = r.checks.iter().filter(|c| !c.passed).map(|c| c.id.as_ref()).collect();
//! assert_eq!(failed, ["T3.poor_housing_all"]);
//! # Ok::<(), fupin::tasks::TasksError>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Actual, MAX_COMPLETION, Measure, TasksError};
use crate::check::{Check, ClauseId, Comparison, Label, Value, decimal_str};
use crate::load::FieldError;
use crate::money::{Amount, Lang, Ratio};

/// A goal of the plan, with its number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Stable id, also the id of its check and the key of its figure, e.g. `P.lifted_out`.
    pub id: String,
    /// The clause it comes from.
    pub clause: ClauseId,
    /// What is to be achieved. `{income_below}` in the text is replaced by that amount.
    pub label: Label,
    /// The rule.
    pub rule: GoalRule,
    /// For a goal about people below an income line: the per-capita net income line
    /// (前言: 年人均纯收入低于5000元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_below: Option<Amount>,
}

/// What a goal asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GoalRule {
    /// At least `value` of `unit` (7,088 people).
    AtLeast {
        /// How many.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
        #[serde(with = "decimal_str")]
        value: Decimal,
        /// Of what.
        unit: Measure,
    },
    /// At least `share` of all the `unit`s concerned (全部: 100 %).
    Share {
        /// The share.
        share: Ratio,
        /// Of what.
        unit: Measure,
    },
}

/// The figure reported for a goal: `{ actual = "7100" }` for an at-least goal,
/// `{ done = 850, of = 850 }` for a share goal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GoalInput {
    /// The figure reached (an at-least goal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<Actual>,
    /// How many were done (a share goal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<u32>,
    /// Of how many (a share goal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<u32>,
}

impl GoalInput {
    /// The figure of an at-least goal.
    #[must_use]
    pub fn count(actual: &str) -> Self {
        Self {
            actual: Some(actual.into()),
            ..Self::default()
        }
    }

    /// The figures of a share goal.
    #[must_use]
    pub fn share(done: u32, of: u32) -> Self {
        Self {
            done: Some(done),
            of: Some(of),
            ..Self::default()
        }
    }
}

impl Goal {
    /// The goal's label, with `{income_below}` filled in.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        let text = self.label.get(lang);
        match self.income_below {
            Some(line) => text.replace(
                "{income_below}",
                &line.display_in(crate::money::Unit::Yuan, lang).to_string(),
            ),
            None => text.to_owned(),
        }
    }
}

impl Goal {
    /// The goal with its number, e.g. `registered poor people lifted out of poverty ≥ 7088
    /// people` or `every poor household's dilapidated house rebuilt: 100.00% of households`.
    #[must_use]
    pub fn describe(&self, lang: Lang) -> String {
        let text = self.text(lang);
        match (self.rule, lang) {
            (GoalRule::AtLeast { value, unit }, Lang::Zh) => {
                format!("{text} ≥ {}{}", value.normalize(), unit.label(lang))
            }
            (GoalRule::AtLeast { value, unit }, Lang::En) => {
                format!("{text} ≥ {} {}", value.normalize(), unit.label(lang))
            }
            (GoalRule::Share { share, .. }, Lang::Zh) => format!("{text}（{share}）"),
            (GoalRule::Share { share, unit }, Lang::En) => {
                format!("{text}: {share} of {}", unit.label(lang))
            }
        }
    }
}

/// Validate the goals of a policy: ids unique and non-empty, numbers above zero and whole for
/// whole measures, shares in (0, 100 %].
pub(crate) fn validate(goals: &[Goal]) -> Result<(), FieldError> {
    let mut ids = HashSet::new();
    for (i, g) in goals.iter().enumerate() {
        let at = |f: &str| format!("goals[{i}].{f}");
        if g.id.trim().is_empty() || !ids.insert(g.id.as_str()) {
            return Err(FieldError::new(
                at("id"),
                format!("goal id `{}` is empty or repeated", g.id),
            ));
        }
        match g.rule {
            GoalRule::AtLeast { value, unit } => {
                if value <= Decimal::ZERO || unit.is_whole() && !value.fract().is_zero() {
                    return Err(FieldError::new(
                        at("rule"),
                        format!("value {value} must be above zero (and whole for {unit:?})"),
                    ));
                }
            }
            GoalRule::Share { share, .. } => {
                crate::validate::ratio_in(&at("rule.share"), share, Ratio::ZERO, Ratio::ONE)?;
                if share.as_fraction().is_zero() {
                    return Err(FieldError::new(
                        at("rule.share"),
                        "a share of 0 % asks nothing",
                    ));
                }
            }
        }
        if let Some(line) = g.income_below {
            crate::validate::non_negative(&at("income_below"), line)?;
        }
    }
    Ok(())
}

fn owned(zh: String, en: String) -> Label {
    Label {
        zh: Cow::Owned(zh),
        en: Cow::Owned(en),
    }
}

/// The checks of the goals whose figures are given, in the policy's order.
///
/// # Errors
/// [`TasksError::Input`] naming `goals.<id>`: a goal the policy does not have, a figure of the
/// wrong kind (`actual` for a share goal), not a whole number, negative, above 10⁶ times the
/// goal, or more done than there are.
pub fn check_goals(
    goals: &[Goal],
    input: &BTreeMap<String, GoalInput>,
) -> Result<Vec<Check>, TasksError> {
    for id in input.keys() {
        if !goals.iter().any(|g| &g.id == id) {
            let known: Vec<&str> = goals.iter().map(|g| g.id.as_str()).collect();
            return Err(TasksError::at(
                format!("goals.{id}"),
                format!("no goal `{id}` in the policy (known: {})", known.join(", ")),
            ));
        }
    }
    let mut checks = Vec::new();
    for g in goals {
        let Some(given) = input.get(&g.id) else {
            continue;
        };
        let at = |f: &str| format!("goals.{}.{f}", g.id);
        let label = owned(g.text(Lang::Zh), g.text(Lang::En));
        match g.rule {
            GoalRule::AtLeast { value, unit } => {
                let (Some(text), None, None) = (&given.actual, given.done, given.of) else {
                    return Err(TasksError::at(
                        format!("goals.{}", g.id),
                        "an at-least goal takes `actual` (and no `done` or `of`)",
                    ));
                };
                let v = crate::money::parse_number(&text.0)
                    .map_err(|e| TasksError::at(at("actual"), e.to_string()))?;
                if v.is_sign_negative() && !v.is_zero()
                    || unit.is_whole() && !v.fract().is_zero()
                    || v > value.saturating_mul(Decimal::from(MAX_COMPLETION))
                {
                    return Err(TasksError::at(
                        at("actual"),
                        format!(
                            "value {} must be a whole, non-negative number of {} at most {MAX_COMPLETION} times the goal",
                            text.0,
                            unit.label(Lang::En)
                        ),
                    ));
                }
                checks.push(Check::new(
                    g.id.clone(),
                    g.clause,
                    label,
                    Value::Number(v),
                    Comparison::AtLeast,
                    Value::Number(value),
                    v >= value,
                    Some(Value::Number(value - v.min(value))),
                ));
            }
            GoalRule::Share { share, .. } => {
                let (None, Some(done), Some(of)) = (&given.actual, given.done, given.of) else {
                    return Err(TasksError::at(
                        format!("goals.{}", g.id),
                        "a share goal takes `done` and `of` (and no `actual`)",
                    ));
                };
                if done > of {
                    return Err(TasksError::at(
                        at("done"),
                        format!("value {done} is more than the {of} there are"),
                    ));
                }
                let check = if of == 0 {
                    Check::new(
                        g.id.clone(),
                        g.clause,
                        label,
                        Value::Number(Decimal::ZERO),
                        Comparison::AtLeast,
                        Value::Ratio(share),
                        false,
                        None,
                    )
                    .with_note(Label::new(
                        "总数为0，比例无从计算，不能视为达标",
                        "the total is 0: there is no share to meet the goal with",
                    ))
                } else {
                    let needed = Decimal::from(of) * share.as_fraction();
                    let actual = Ratio::from_fraction(Decimal::from(done) / Decimal::from(of));
                    Check::new(
                        g.id.clone(),
                        g.clause,
                        label,
                        Value::Ratio(actual),
                        Comparison::AtLeast,
                        Value::Ratio(share),
                        Decimal::from(done) >= needed,
                        Some(Value::Number(
                            (needed.ceil() - Decimal::from(done)).max(Decimal::ZERO),
                        )),
                    )
                };
                checks.push(check);
            }
        }
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;

    fn goals() -> Vec<Goal> {
        Policy::chaoyang_2020().goals
    }

    #[test]
    fn the_plans_unplaced_numbers_have_a_home() {
        // #11 item 9: 7,088; 4.7 万 below 5,000 元; 17.5 万; 100 edge villages' water; every
        // poor household's dilapidated house; every graduate.
        let all = goals();
        let got: Vec<(&str, ClauseId, String)> = all
            .iter()
            .map(|g| {
                let rule = match g.rule {
                    GoalRule::AtLeast { value, unit } => format!("≥ {value} {unit:?}"),
                    GoalRule::Share { share, unit } => format!("{share} of {unit:?}"),
                };
                (g.id.as_str(), g.clause, rule)
            })
            .collect();
        let want = [
            ("P.lifted_out", ClauseId::P, "≥ 7088 People"),
            ("P.income_raised", ClauseId::P, "≥ 47000 People"),
            ("P.consolidated", ClauseId::P, "≥ 175000 People"),
            ("M0.edge_village_water", ClauseId::M0, "≥ 100 Villages"),
            ("T3.poor_housing_all", ClauseId::T3, "100.00% of Households"),
            (
                "T6.graduates_recommended",
                ClauseId::T6,
                "100.00% of People",
            ),
        ];
        assert_eq!(
            got,
            want.map(|(a, b, c)| (a, b, c.to_owned())).to_vec(),
            "goals"
        );
        let said: Vec<String> = all.iter().map(|g| g.describe(Lang::En)).collect();
        assert_eq!(
            said[0],
            "registered poor people lifted out of poverty ≥ 7088 people"
        );
        assert!(
            said[1].contains("below 5,000") && said[1].ends_with("≥ 47000 people"),
            "{}",
            said[1]
        );
        assert_eq!(
            said[4],
            "every poor household's dilapidated house rebuilt: 100.00% of households"
        );
        assert_eq!(all[4].describe(Lang::Zh), "贫困户危房全改造（100.00%）");
        let raised = goals().into_iter().nth(1).unwrap();
        assert_eq!(raised.income_below, Some(Amount::yuan(5_000)));
        assert!(
            raised.text(Lang::Zh).contains("低于5,000 元"),
            "{}",
            raised.text(Lang::Zh)
        );
    }

    #[test]
    fn at_least_and_share_goals_at_and_below_their_number() {
        let g = goals();
        let one = |id: &str, input: GoalInput| {
            check_goals(&g, &BTreeMap::from([(id.to_owned(), input)]))
                .map(|c| c.into_iter().next().unwrap())
        };
        assert!(
            one("P.lifted_out", GoalInput::count("7088"))
                .unwrap()
                .passed
        );
        let short = one("P.lifted_out", GoalInput::count("7087")).unwrap();
        assert!(!short.passed);
        assert_eq!(short.shortfall, Some(Value::Number(1.into())));
        assert_eq!(short.clause, ClauseId::P);
        assert!(
            one("T6.graduates_recommended", GoalInput::share(120, 120))
                .unwrap()
                .passed
        );
        let c = one("T6.graduates_recommended", GoalInput::share(119, 120)).unwrap();
        assert!(!c.passed);
        assert_eq!(c.shortfall, Some(Value::Number(1.into())));
        let none = one("T3.poor_housing_all", GoalInput::share(0, 0)).unwrap();
        assert!(!none.passed, "a share of nothing is not met");
        for (id, bad, path) in [
            (
                "P.lifted_out",
                GoalInput::count("7088.5"),
                "goals.P.lifted_out.actual",
            ),
            ("P.lifted_out", GoalInput::share(1, 1), "goals.P.lifted_out"),
            (
                "T3.poor_housing_all",
                GoalInput::count("1"),
                "goals.T3.poor_housing_all",
            ),
            (
                "T3.poor_housing_all",
                GoalInput::share(3, 2),
                "goals.T3.poor_housing_all.done",
            ),
            ("P.nonesuch", GoalInput::count("1"), "goals.P.nonesuch"),
        ] {
            let e = one(id, bad).unwrap_err();
            assert!(e.to_string().contains(path), "{e}");
        }
    }
}
