//! What-if: the same figures under two policies (or a policy and its overrides), or two years,
//! and what changes — which checks flip, by how much each value moves, which scores and ranks
//! change.
//!
//! A [`Scenario`] is a policy with the plan data and, optionally, task-table figures and units'
//! scores. [`evaluate`] decides everything a scenario can decide ([`Outcome`]: the report's
//! checks, the task table's checks, every unit's total and rank on each card); [`compare`]
//! matches two outcomes check by check (by id and subject) and unit by unit (by card and unit)
//! and lists what differs ([`Comparison`]). Differences are exact: an amount's change is in
//! yuan, a ratio's in percentage points.
//!
//! # Example
//! ```
//! use fupin::compare::{compare, evaluate, Flip, Scenario};
//! use fupin::{data::PlanData, Policy};
//!
//! let data = PlanData::chaoyang_2020();
//! let base = Policy::chaoyang_2020();
//! let what_if = base.with_overrides(&[("funds.quota.county".into(), "3000万元".into())])?;
//! let a = evaluate(&Scenario::new("2020", &base, &data))?;
//! let b = evaluate(&Scenario::new("county quota 3,000 万元", &what_if, &data))?;
//! let c = compare(&a, &b);
//! let flipped: Vec<&str> = c.checks.iter()
//!     .filter(|d| d.flip == Flip::NowFails)
//!     .filter_map(|d| d.subject.as_deref())
//!     .collect();
//! assert_eq!(flipped, ["朝阳县", "建平县"]); // 2,500 万元 no longer meets the county quota
//! # Ok::<(), fupin::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::assessment::{self, Outcome as CardOutcome, Points, UnitsInput};
use crate::check::{Check, ClauseId, Label, Value};
use crate::data::PlanData;
use crate::money::{Lang, PercentagePoints};
use crate::policy::Policy;
use crate::render::{Align, Table, tr};
use crate::tasks::{self, TasksInput};

/// One side of a comparison.
#[derive(Debug, Clone)]
pub struct Scenario<'a> {
    /// What the side is called (`2020`, `quota 3,000 万元`).
    pub name: String,
    /// The policy.
    pub policy: &'a Policy,
    /// The plan data.
    pub data: &'a PlanData,
    /// Task-table figures, if any.
    pub tasks: Option<&'a TasksInput>,
    /// Units' scores per card, if any.
    pub units: Option<&'a UnitsInput>,
}

impl<'a> Scenario<'a> {
    /// A scenario of a policy and plan data only.
    #[must_use]
    pub fn new(name: impl Into<String>, policy: &'a Policy, data: &'a PlanData) -> Self {
        Self {
            name: name.into(),
            policy,
            data,
            tasks: None,
            units: None,
        }
    }
}

/// A unit's score and rank on one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreLine {
    /// The card.
    pub card: String,
    /// The unit.
    pub unit: String,
    /// Its total.
    pub total: Points,
    /// Its rank on the card.
    pub rank: usize,
    /// Whether it is vetoed.
    pub vetoed: bool,
}

/// Everything a scenario decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The scenario's name.
    pub name: String,
    /// The policy's year.
    pub year: i32,
    /// Every check: the report's, then the task table's.
    pub checks: Vec<Check>,
    /// Card A's annual-target points from the task table, when figures were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_points: Option<Points>,
    /// Every unit's total and rank on each card.
    pub scores: Vec<ScoreLine>,
}

/// Why a scenario cannot be decided: the error of the report, the task table or the
/// assessment. Converts into the umbrella [`crate::Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// The report (plan data of another year than the policy's, an overflow).
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// The task table's figures.
    #[error(transparent)]
    Tasks(#[from] tasks::TasksError),
    /// The units' scores.
    #[error(transparent)]
    Score(#[from] assessment::ScoreError),
}

/// Decide everything a scenario can. The plan data must be of the policy's year, as for a
/// report: figures of one year judged by the thresholds of another would be misread (to
/// compare two years, give each side its year's policy).
///
/// # Errors
/// [`CompareError::Report`] of code `year_mismatch` ([`PlanData::check_year`]) for data of
/// another year than the policy's; the errors of the report, the task table or the
/// assessment.
pub fn evaluate(s: &Scenario<'_>) -> Result<Outcome, CompareError> {
    let mut checks = crate::report::report(s.policy, s.data)?.checks;
    let mut annual_points = None;
    if let Some(t) = s.tasks {
        let r = tasks::check_tasks(s.policy, t)?;
        annual_points = r.annual.as_ref().map(|a| a.points);
        checks.extend(r.checks);
    }
    let mut scores = Vec::new();
    if let Some(u) = s.units {
        let r = assessment::assess_units(&s.policy.assessment, u)?;
        for unit in &r.units {
            for c in &unit.cards {
                scores.push(ScoreLine {
                    card: c.card.clone(),
                    unit: unit.unit.clone(),
                    total: c.report.total,
                    rank: c.rank,
                    vetoed: c.report.outcome == CardOutcome::Vetoed,
                });
            }
        }
    }
    Ok(Outcome {
        name: s.name.clone(),
        year: s.policy.meta.year,
        checks,
        annual_points,
        scores,
    })
}

/// How a check's result changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Flip {
    /// Passed before, fails now.
    NowFails,
    /// Failed before, passes now.
    NowPasses,
    /// Same result; a value changed.
    Same,
    /// Only in the second outcome.
    Added,
    /// Only in the first outcome.
    Removed,
}

impl Flip {
    /// The flip's name in a language.
    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::NowFails, Lang::Zh) => "✓→✗ 变为未通过",
            (Self::NowPasses, Lang::Zh) => "✗→✓ 变为通过",
            (Self::Same, Lang::Zh) => "结果不变",
            (Self::Added, Lang::Zh) => "新增",
            (Self::Removed, Lang::Zh) => "不再检查",
            (Self::NowFails, Lang::En) => "✓→✗ now fails",
            (Self::NowPasses, Lang::En) => "✗→✓ now passes",
            (Self::Same, Lang::En) => "same result",
            (Self::Added, Lang::En) => "added",
            (Self::Removed, Lang::En) => "no longer checked",
        }
    }
}

/// One side of a changed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckSide {
    /// Whether it passed.
    pub passed: bool,
    /// The actual value.
    pub actual: Value,
    /// The threshold.
    pub threshold: Value,
    /// The shortfall, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Value>,
}

impl From<&Check> for CheckSide {
    fn from(c: &Check) -> Self {
        Self {
            passed: c.passed,
            actual: c.actual,
            threshold: c.threshold,
            shortfall: c.shortfall,
        }
    }
}

/// A check that differs between the two outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckChange {
    /// The check's id.
    pub id: String,
    /// Its subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Its clause.
    pub clause: ClauseId,
    /// What it checks.
    pub label: Label,
    /// How the result changed.
    pub flip: Flip,
    /// The first outcome's side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<CheckSide>,
    /// The second outcome's side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<CheckSide>,
    /// How far the actual value moved (after − before), when both are of one kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_change: Option<Value>,
    /// How far the threshold moved (after − before), when both are of one kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_change: Option<Value>,
}

/// A unit whose score or rank on a card differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreChange {
    /// The card.
    pub card: String,
    /// The unit.
    pub unit: String,
    /// The first outcome's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<ScoreLine>,
    /// The second outcome's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<ScoreLine>,
    /// after − before, when both are scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_change: Option<Points>,
}

/// What changes from one outcome to the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Comparison {
    /// The first outcome's name.
    pub before: String,
    /// The second outcome's name.
    pub after: String,
    /// How many checks were compared (in either outcome).
    pub checks_compared: usize,
    /// Checks that pass in the first and fail in the second.
    pub now_failing: usize,
    /// Checks that fail in the first and pass in the second.
    pub now_passing: usize,
    /// Every check that differs (result, actual, threshold or shortfall), in the first outcome's
    /// order, then those only in the second.
    pub checks: Vec<CheckChange>,
    /// Card A's annual-target points, before and after, when they differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_points: Option<(Option<Points>, Option<Points>)>,
    /// Every unit whose total or rank differs.
    pub scores: Vec<ScoreChange>,
}

/// `after − before` for values of one kind.
#[must_use]
pub fn value_change(before: Value, after: Value) -> Option<Value> {
    match (before, after) {
        (Value::Amount(a), Value::Amount(b)) => b.checked_sub(a).ok().map(Value::Amount),
        (Value::Ratio(a), Value::Ratio(b)) => b.points_over(a).ok().map(Value::Points),
        (Value::Points(a), Value::Points(b)) => b
            .value()
            .checked_sub(a.value())
            .map(|d| Value::Points(PercentagePoints::new(d))),
        (Value::Number(a), Value::Number(b)) => b.checked_sub(a).map(Value::Number),
        _ => None,
    }
}

fn key(c: &Check) -> (String, Option<String>) {
    (c.id.to_string(), c.subject.clone())
}

/// Match two outcomes and list what differs.
#[must_use]
pub fn compare(before: &Outcome, after: &Outcome) -> Comparison {
    let later: BTreeMap<(String, Option<String>), &Check> =
        after.checks.iter().map(|c| (key(c), c)).collect();
    let earlier: BTreeMap<(String, Option<String>), &Check> =
        before.checks.iter().map(|c| (key(c), c)).collect();
    let mut checks = Vec::new();
    let change = |c: &Check, flip, b: Option<&Check>, a: Option<&Check>| CheckChange {
        id: c.id.to_string(),
        subject: c.subject.clone(),
        clause: c.clause,
        label: c.label.clone(),
        flip,
        before: b.map(CheckSide::from),
        after: a.map(CheckSide::from),
        actual_change: b.zip(a).and_then(|(b, a)| value_change(b.actual, a.actual)),
        threshold_change: b
            .zip(a)
            .and_then(|(b, a)| value_change(b.threshold, a.threshold)),
    };
    for b in &before.checks {
        match later.get(&key(b)) {
            None => checks.push(change(b, Flip::Removed, Some(b), None)),
            Some(a) => {
                let flip = match (b.passed, a.passed) {
                    (true, false) => Flip::NowFails,
                    (false, true) => Flip::NowPasses,
                    _ => Flip::Same,
                };
                let moved = b.actual != a.actual
                    || b.threshold != a.threshold
                    || b.shortfall != a.shortfall;
                if flip != Flip::Same || moved {
                    checks.push(change(b, flip, Some(b), Some(a)));
                }
            }
        }
    }
    for a in &after.checks {
        if !earlier.contains_key(&key(a)) {
            checks.push(change(a, Flip::Added, None, Some(a)));
        }
    }
    let count = |f: Flip| checks.iter().filter(|c| c.flip == f).count();
    let mut scores = Vec::new();
    let line = |o: &Outcome, card: &str, unit: &str| {
        o.scores
            .iter()
            .find(|s| s.card == card && s.unit == unit)
            .cloned()
    };
    let mut seen = std::collections::BTreeSet::new();
    for s in before.scores.iter().chain(&after.scores) {
        if !seen.insert((s.card.clone(), s.unit.clone())) {
            continue;
        }
        let (b, a) = (
            line(before, &s.card, &s.unit),
            line(after, &s.card, &s.unit),
        );
        if b != a {
            scores.push(ScoreChange {
                card: s.card.clone(),
                unit: s.unit.clone(),
                total_change: b
                    .as_ref()
                    .zip(a.as_ref())
                    .map(|(b, a)| Points::new(a.total.value() - b.total.value())),
                before: b,
                after: a,
            });
        }
    }
    Comparison {
        before: before.name.clone(),
        after: after.name.clone(),
        checks_compared: earlier.len().max(later.len()),
        now_failing: count(Flip::NowFails),
        now_passing: count(Flip::NowPasses),
        annual_points: (before.annual_points != after.annual_points)
            .then_some((before.annual_points, after.annual_points)),
        checks,
        scores,
    }
}

fn side(s: Option<&CheckSide>, lang: Lang) -> String {
    s.map_or_else(
        || "—".to_owned(),
        |s| {
            format!(
                "{} {} / {}",
                if s.passed { "✓" } else { "✗" },
                s.actual.display(lang),
                s.threshold.display(lang)
            )
        },
    )
}

fn is_zero(v: Value) -> bool {
    match v {
        Value::Amount(a) => a.is_zero(),
        Value::Ratio(r) => r.as_fraction().is_zero(),
        Value::Points(p) => p.value().is_zero(),
        Value::Number(n) => n.is_zero(),
    }
}

fn signed(v: Option<Value>, lang: Lang) -> String {
    v.filter(|v| !is_zero(*v)).map_or_else(String::new, |v| {
        let text = match v {
            Value::Points(p) => crate::check::points_text(p, lang),
            v => v.display(lang),
        };
        if text.starts_with('-') || text.starts_with('+') {
            text
        } else {
            format!("+{text}")
        }
    })
}

impl Comparison {
    /// Whether nothing differs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty() && self.scores.is_empty() && self.annual_points.is_none()
    }

    /// The table of changed checks: result flip, clause, check, subject, before, after, changes.
    #[must_use]
    pub fn checks_table(&self, lang: Lang) -> Table {
        let mut t = Table::new(vec![
            (tr(lang, "变化", "change"), Align::Left),
            (tr(lang, "条款", "clause"), Align::Left),
            (tr(lang, "检查项", "check"), Align::Left),
            (tr(lang, "对象", "subject"), Align::Left),
            (
                tr(lang, "前（实际/要求）", "before (actual / threshold)"),
                Align::Right,
            ),
            (
                tr(lang, "后（实际/要求）", "after (actual / threshold)"),
                Align::Right,
            ),
            (tr(lang, "实际变化", "actual Δ"), Align::Right),
            (tr(lang, "要求变化", "threshold Δ"), Align::Right),
        ]);
        for c in &self.checks {
            t.row(vec![
                c.flip.label(lang).to_owned(),
                format!("{} {}", c.clause, c.clause.section()),
                c.label.get(lang).to_owned(),
                c.subject.clone().unwrap_or_default(),
                side(c.before.as_ref(), lang),
                side(c.after.as_ref(), lang),
                signed(c.actual_change, lang),
                signed(c.threshold_change, lang),
            ]);
        }
        t
    }

    /// The table of changed scores: card, unit, total and rank before and after.
    #[must_use]
    pub fn scores_table(&self, lang: Lang) -> Table {
        let mut t = Table::new(vec![
            (tr(lang, "考核表", "card"), Align::Left),
            (tr(lang, "单位", "unit"), Align::Left),
            (tr(lang, "前总分", "total before"), Align::Right),
            (tr(lang, "后总分", "total after"), Align::Right),
            (tr(lang, "变化", "Δ"), Align::Right),
            (tr(lang, "前名次", "rank before"), Align::Right),
            (tr(lang, "后名次", "rank after"), Align::Right),
        ]);
        let total = |l: &Option<ScoreLine>| {
            l.as_ref().map_or_else(
                || "—".to_owned(),
                |l| format!("{}{}", l.total, if l.vetoed { " ✗" } else { "" }),
            )
        };
        let rank = |l: &Option<ScoreLine>| {
            l.as_ref()
                .map_or_else(|| "—".to_owned(), |l| l.rank.to_string())
        };
        for s in &self.scores {
            t.row(vec![
                s.card.clone(),
                s.unit.clone(),
                total(&s.before),
                total(&s.after),
                s.total_change
                    .map(|d| {
                        if d.is_negative() {
                            d.to_string()
                        } else {
                            format!("+{d}")
                        }
                    })
                    .unwrap_or_default(),
                rank(&s.before),
                rank(&s.after),
            ]);
        }
        t
    }

    /// The comparison as text.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "")
    }

    /// The comparison as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ")
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let mut out = format!(
            "{h}{}\n  {}: {}\n  {}: {}\n",
            tr(lang, "比较", "Comparison"),
            tr(lang, "前", "before"),
            self.before,
            tr(lang, "后", "after"),
            self.after
        );
        out.push_str(&match lang {
            Lang::Zh => format!(
                "比较 {} 项检查：{} 项变为未通过，{} 项变为通过，共 {} 项有变化。\n",
                self.checks_compared,
                self.now_failing,
                self.now_passing,
                self.checks.len()
            ),
            Lang::En => format!(
                "{} checks compared: {} now fail, {} now pass, {} differ in all.\n",
                self.checks_compared,
                self.now_failing,
                self.now_passing,
                self.checks.len()
            ),
        });
        if self.is_empty() {
            out.push_str(tr(lang, "没有变化。\n", "Nothing changes.\n"));
            return out;
        }
        if !self.checks.is_empty() {
            out.push_str(&format!("\n{h}{}\n", tr(lang, "检查", "Checks")));
            out.push_str(&table(&self.checks_table(lang)));
        }
        if let Some((b, a)) = &self.annual_points {
            let p = |x: &Option<Points>| x.map_or_else(|| "—".to_owned(), |x| x.to_string());
            out.push_str(&format!(
                "\n{}: {} → {}\n",
                tr(lang, "年度目标任务得分", "Annual-target points"),
                p(b),
                p(a)
            ));
        }
        if !self.scores.is_empty() {
            out.push_str(&format!(
                "\n{h}{}\n",
                tr(lang, "得分与名次", "Scores and ranks")
            ));
            out.push_str(&table(&self.scores_table(lang)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{CardScores, UnitInput};
    use crate::money::{Amount, Ratio};

    fn units(annual: &[(&str, &str)]) -> UnitsInput {
        UnitsInput {
            units: annual
                .iter()
                .map(|(name, points)| UnitInput {
                    unit: (*name).to_owned(),
                    cards: [(
                        "a".to_owned(),
                        CardScores {
                            items: [
                                ("annual_targets".to_owned(), points.parse().unwrap()),
                                ("daily_responsibility".to_owned(), Points::from(20)),
                            ]
                            .into(),
                            ..CardScores::default()
                        },
                    )]
                    .into(),
                    veto: None,
                })
                .collect(),
            ..UnitsInput::default()
        }
    }

    #[test]
    fn the_same_scenario_changes_nothing() {
        let (p, d) = (Policy::chaoyang_2020(), PlanData::chaoyang_2020());
        let a = evaluate(&Scenario::new("a", &p, &d)).unwrap();
        let c = compare(&a, &a);
        assert!(c.is_empty());
        assert_eq!(c.checks_compared, 21);
        assert!(c.to_text(Lang::En).contains("Nothing changes."));
    }

    #[test]
    fn data_of_another_year_than_the_policy_are_refused() {
        let (p, mut d) = (Policy::chaoyang_2020(), PlanData::chaoyang_2020());
        d.meta.year = 2021;
        let e = evaluate(&Scenario::new("2021 under 2020", &p, &d)).unwrap_err();
        let errors = crate::Error::from(e.clone()).field_errors();
        assert_eq!(errors[0].code, crate::ErrorCode::YEAR_MISMATCH, "{e}");
        assert_eq!(errors[0].path, "meta.year");
        // Under a policy of its own year the same data are compared.
        let mut p2021 = p.clone();
        p2021.meta.year = 2021;
        assert!(evaluate(&Scenario::new("2021", &p2021, &d)).is_ok());
    }

    #[test]
    fn a_higher_quota_flips_counties_and_says_by_how_much() {
        let (p, d) = (Policy::chaoyang_2020(), PlanData::chaoyang_2020());
        let q = p
            .with_overrides(&[("funds.quota.county".into(), "3000万元".into())])
            .unwrap();
        let c = compare(
            &evaluate(&Scenario::new("a", &p, &d)).unwrap(),
            &evaluate(&Scenario::new("b", &q, &d)).unwrap(),
        );
        assert_eq!((c.now_failing, c.now_passing), (3, 0));
        let chaoyang = c
            .checks
            .iter()
            .find(|x| x.subject.as_deref() == Some("朝阳县"))
            .unwrap();
        assert_eq!(chaoyang.flip, Flip::NowFails);
        assert_eq!(
            chaoyang.threshold_change,
            Some(Value::Amount(Amount::wan(500)))
        );
        assert_eq!(chaoyang.actual_change, Some(Value::Amount(Amount::ZERO)));
        let back: Comparison = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn scores_and_ranks_that_change_are_listed() {
        let (p, d) = (Policy::chaoyang_2020(), PlanData::chaoyang_2020());
        let before = units(&[("甲", "70"), ("乙", "75")]);
        let after = units(&[("甲", "78"), ("乙", "75")]);
        let side = |u| Scenario {
            units: Some(u),
            ..Scenario::new("x", &p, &d)
        };
        let c = compare(
            &evaluate(&side(&before)).unwrap(),
            &evaluate(&side(&after)).unwrap(),
        );
        let got: Vec<(&str, usize, usize, Option<Points>)> = c
            .scores
            .iter()
            .map(|s| {
                (
                    s.unit.as_str(),
                    s.before.as_ref().unwrap().rank,
                    s.after.as_ref().unwrap().rank,
                    s.total_change,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("甲", 2, 1, Some(Points::from(8))),
                ("乙", 1, 2, Some(Points::ZERO))
            ]
        );
        assert!(c.checks.is_empty());
    }

    #[test]
    fn value_changes_are_exact_and_of_one_kind() {
        let pp = value_change(
            Value::Ratio(Ratio::percent(20)),
            Value::Ratio(Ratio::percent(23)),
        );
        assert_eq!(pp, Some(Value::Points(PercentagePoints::new(3.into()))));
        assert_eq!(
            value_change(Value::Ratio(Ratio::ONE), Value::Amount(Amount::ZERO)),
            None
        );
    }
}
