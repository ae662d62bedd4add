//! Policy tests a policy officer can write: case files with an input and the outcome expected
//! per clause, run against a policy (`fupin test CASES…`).
//!
//! A case file is TOML with one or more `[[cases]]`. Each case starts from the embedded plan
//! data of a year (`data_year`, 2020 by default) and changes what it needs in `[cases.data]` —
//! a partial overlay: tables key by key, `[[cases.data.counties]]` by `name` (an unknown name is
//! added). It may add task-table figures (`[cases.tasks]`, as `fupin tasks check` reads them)
//! and units' scores (`[cases.units]`, as `fupin assess` reads them), and change the policy under
//! test for itself (`set = ["funds.quota.county=3000万元"]`). Then it lists what it expects:
//!
//! ```toml
//! [[cases]]
//! name = "M1c: a county raising 2,300 万元 of its 2,500 万元 quota falls short by 200 万元"
//! clause = "M1c"
//! [[cases.data.counties]]
//! name = "喀左县"
//! this_year = "2300万元"
//! [[cases.expect]]
//! check = "M1c.unit_quota@喀左县"   # a check's id, `@` its subject when it has one
//! passed = false
//! shortfall = "200万元"
//! ```
//!
//! An expectation names a check (`check`), a unit's score on a card (`score = "a@unit"`), or
//! card A's annual-target points (`annual_points = "79.57"`). For a check it may give `passed`,
//! `actual`, `threshold` and `shortfall` (`"none"` for no shortfall); for a score `total`, `rank`
//! and `vetoed`. A figure is compared at the places it is written, the actual value rounded half
//! away from zero to them: `"247.77%"` matches the city's growth of 247.7665…%, and so would
//! `"248%"` at whole percents — write as many places as you mean to pin. Amounts take units
//! (`"200万元"`), ratios a percent sign, percentage points `"5pp"`.
//!
//! # Example
//! ```
//! use fupin::cases::{run_file, CaseFile};
//! let file = CaseFile::from_toml(r#"
//!     [[cases]]
//!     name = "M1: the city's input grows 247.77 %"
//!     clause = "M1"
//!     [[cases.expect]]
//!     check = "M1.city_growth"
//!     passed = true
//!     actual = "247.77%"
//! "#)?;
//! let results = run_file(&fupin::Policy::chaoyang_2020(), &file);
//! assert!(results[0].passed(), "{:?}", results[0]);
//! # Ok::<(), fupin::data::DataError>(())
//! ```

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::assessment::UnitsInput;
use crate::check::{Check, ClauseId, Value};
use crate::compare::{self, Outcome, Scenario};
use crate::data::{DataError, PlanData};
use crate::money::{Amount, Ratio};
use crate::policy::Policy;
use crate::tasks::TasksInput;

/// A file of cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// The cases, in order.
    pub cases: Vec<Case>,
}

impl CaseFile {
    /// Read a case file.
    ///
    /// # Errors
    /// [`DataError`] naming the field (an unknown key, a missing `name` or `expect`).
    pub fn from_toml(text: &str) -> Result<Self, DataError> {
        crate::load::from_toml(text).map_err(DataError)
    }
}

fn year_2020() -> String {
    "2020".to_owned()
}

/// One case: an input and the outcome expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows, in the author's words.
    pub name: String,
    /// The clause the case is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<ClauseId>,
    /// Changes to the policy under test, for this case only (`path=value`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// The year whose embedded plan data the case starts from.
    #[serde(default = "year_2020")]
    pub data_year: String,
    /// Changes to that data (a partial overlay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Json>,
    /// Task-table figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<TasksInput>,
    /// Units' scores per card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<UnitsInput>,
    /// What is expected.
    pub expect: Vec<Expect>,
}

/// One expected outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// A check: its id, or `id@subject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// A unit's score on a card: `card@unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    /// Card A's annual-target points from the task figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_points: Option<String>,
    /// Whether the check passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
    /// The check's actual value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// The check's threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    /// The check's shortfall (`"none"`: it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<String>,
    /// The unit's total on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The unit's rank on the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// Whether the unit is vetoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vetoed: Option<bool>,
}

/// The result of one expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpectResult {
    /// What was expected, in short (`M1c.unit_quota@喀左县 passed = false`).
    pub what: String,
    /// Whether it held.
    pub passed: bool,
    /// What was found instead, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Its clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<ClauseId>,
    /// Each expectation.
    pub expectations: Vec<ExpectResult>,
    /// Why the case could not run (a bad override, data or input), if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl CaseResult {
    /// Whether the case ran and every expectation held.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.expectations.iter().all(|e| e.passed)
    }
}

/// Merge a data overlay: tables key by key, lists of tables by `name` (or `id`).
fn merge(base: &mut Json, top: Json) {
    match (base, top) {
        (Json::Object(b), Json::Object(t)) => {
            for (k, v) in t {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Json::Array(b), Json::Array(t)) => {
            let name_of = |v: &Json| {
                v.get("name")
                    .or_else(|| v.get("id"))
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            };
            for item in t {
                let name = name_of(&item);
                match b.iter_mut().find(|e| name.is_some() && name_of(e) == name) {
                    Some(slot) => merge(slot, item),
                    None => b.push(item),
                }
            }
        }
        (b, t) => *b = t,
    }
}

fn case_data(case: &Case) -> Result<PlanData, String> {
    let base = crate::years::embedded_data(&case.data_year).ok_or_else(|| {
        format!(
            "data_year `{}`: no embedded data of that year",
            case.data_year
        )
    })?;
    let Some(top) = &case.data else {
        return Ok(base);
    };
    let mut doc = serde_json::to_value(&base).map_err(|e| e.to_string())?;
    merge(&mut doc, top.clone());
    PlanData::from_json(&doc.to_string()).map_err(|e| format!("data: {e}"))
}

/// Round `actual` to `places` (half away from zero) and compare with `expected`.
fn at_places(actual: Decimal, expected: Decimal, places: u32) -> bool {
    actual.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero) == expected
}

/// Whether a value matches the text of an expected figure, compared at the places written:
/// an amount to the yuan (or the fen, if written), a ratio written as a percent at the places of
/// the percent (`"35.00%"`: 0.01 %), a number or percentage points at its places.
///
/// # Errors
/// The text cannot be read as the value's kind.
///
/// # Example
/// ```
/// use fupin::{cases::value_matches, Ratio, Value};
/// let growth = Value::Ratio(Ratio::from_fraction("2.4776654957".parse().unwrap()));
/// assert!(value_matches(growth, "247.77%").unwrap());
/// assert!(value_matches(growth, "247.7665%").unwrap());
/// assert!(!value_matches(growth, "247.7666%").unwrap()); // 247.76654957 % is 247.7665 % at 4 places
/// assert!(value_matches(growth, "248%").unwrap());
/// ```
pub fn value_matches(actual: Value, expected: &str) -> Result<bool, String> {
    let bad = |e: crate::money::MoneyError| format!("`{expected}`: {e}");
    Ok(match actual {
        Value::Amount(a) => {
            let want = expected.parse::<Amount>().map_err(bad)?.as_yuan();
            at_places(a.as_yuan(), want, want.scale())
        }
        Value::Ratio(r) => {
            let text = expected.trim();
            let (want, places) = match text.strip_suffix('%') {
                Some(percent) => {
                    let n = crate::money::parse_number(percent.trim()).map_err(bad)?;
                    (n / Decimal::ONE_HUNDRED, n.scale() + 2)
                }
                None => {
                    let n = text.parse::<Ratio>().map_err(bad)?.as_fraction();
                    (n, n.scale())
                }
            };
            at_places(r.as_fraction(), want, places)
        }
        Value::Points(p) => {
            let text = expected
                .trim()
                .trim_end_matches("pp")
                .trim()
                .trim_start_matches('+');
            let want = crate::money::parse_number(text).map_err(bad)?;
            at_places(p.value(), want, want.scale())
        }
        Value::Number(n) => {
            let want = crate::money::parse_number(expected).map_err(bad)?;
            at_places(n, want, want.scale())
        }
    })
}

fn find_check<'a>(outcome: &'a Outcome, key: &str) -> Result<&'a Check, String> {
    let (id, subject) = match key.split_once('@') {
        Some((id, s)) => (id, Some(s)),
        None => (key, None),
    };
    let same_id: Vec<&Check> = outcome.checks.iter().filter(|c| c.id == id).collect();
    match subject {
        Some(s) => same_id
            .into_iter()
            .find(|c| c.subject.as_deref() == Some(s))
            .ok_or_else(|| format!("no check `{id}` about `{s}`")),
        None => match same_id.as_slice() {
            [] => Err(format!("no check `{id}`")),
            [one] => Ok(one),
            many => {
                let subjects: Vec<&str> =
                    many.iter().filter_map(|c| c.subject.as_deref()).collect();
                Err(format!(
                    "`{id}` is checked for several subjects: write `{id}@<subject>` ({})",
                    subjects.join(", ")
                ))
            }
        },
    }
}

fn expect_value(
    what: &mut Vec<String>,
    found: &mut Vec<String>,
    name: &str,
    expected: Option<&String>,
    actual: Option<Value>,
    lang_display: impl Fn(Value) -> String,
) {
    let Some(want) = expected else { return };
    what.push(format!("{name} = {want}"));
    let ok = match (actual, want.trim()) {
        (None, "none") => true,
        (None, _) => false,
        (Some(_), "none") => false,
        (Some(v), w) => value_matches(v, w).unwrap_or_else(|e| {
            found.push(e);
            false
        }),
    };
    if !ok {
        found.push(format!(
            "{name} {}",
            actual.map_or_else(|| "none".to_owned(), &lang_display)
        ));
    }
}

fn check_expect(outcome: &Outcome, e: &Expect) -> ExpectResult {
    let mut what = Vec::new();
    let mut found = Vec::new();
    let display = |v: Value| v.display(crate::money::Lang::Zh);
    if let Some(key) = &e.check {
        what.push(key.clone());
        match find_check(outcome, key) {
            Err(m) => found.push(m),
            Ok(c) => {
                if let Some(p) = e.passed {
                    what.push(format!("passed = {p}"));
                    if c.passed != p {
                        found.push(format!("passed {}", c.passed));
                    }
                }
                expect_value(
                    &mut what,
                    &mut found,
                    "actual",
                    e.actual.as_ref(),
                    Some(c.actual),
                    display,
                );
                expect_value(
                    &mut what,
                    &mut found,
                    "threshold",
                    e.threshold.as_ref(),
                    Some(c.threshold),
                    display,
                );
                expect_value(
                    &mut what,
                    &mut found,
                    "shortfall",
                    e.shortfall.as_ref(),
                    c.shortfall,
                    display,
                );
            }
        }
    } else if let Some(key) = &e.score {
        what.push(key.clone());
        let (card, unit) = key.split_once('@').unwrap_or((key.as_str(), ""));
        match outcome
            .scores
            .iter()
            .find(|s| s.card == card && s.unit == unit)
        {
            None => found.push(format!("no score of `{unit}` on card `{card}`")),
            Some(s) => {
                if let Some(t) = &e.total {
                    what.push(format!("total = {t}"));
                    match crate::money::parse_number(t) {
                        Ok(want) if at_places(s.total.value(), want, want.scale()) => {}
                        Ok(_) => found.push(format!("total {}", s.total)),
                        Err(err) => found.push(format!("`{t}`: {err}")),
                    }
                }
                if let Some(r) = e.rank {
                    what.push(format!("rank = {r}"));
                    if s.rank != r {
                        found.push(format!("rank {}", s.rank));
                    }
                }
                if let Some(v) = e.vetoed {
                    what.push(format!("vetoed = {v}"));
                    if s.vetoed != v {
                        found.push(format!("vetoed {}", s.vetoed));
                    }
                }
            }
        }
    } else if let Some(p) = &e.annual_points {
        what.push(format!("annual_points = {p}"));
        match (outcome.annual_points, crate::money::parse_number(p)) {
            (Some(got), Ok(want)) if at_places(got.value(), want, want.scale()) => {}
            (Some(got), Ok(_)) => found.push(format!("annual_points {got}")),
            (None, _) => found.push("no annual points: give task figures".to_owned()),
            (_, Err(err)) => found.push(format!("`{p}`: {err}")),
        }
    } else {
        found.push("an expectation names a `check`, a `score` or `annual_points`".to_owned());
    }
    ExpectResult {
        what: what.join(" "),
        passed: found.is_empty(),
        found: (!found.is_empty()).then(|| found.join("; ")),
    }
}

/// Run one case against a policy.
#[must_use]
pub fn run_case(policy: &Policy, case: &Case) -> CaseResult {
    let result = |expectations, error| CaseResult {
        name: case.name.clone(),
        clause: case.clause,
        expectations,
        error,
    };
    let sets: Result<Vec<(String, String)>, String> = case
        .set
        .iter()
        .map(|s| crate::overlay::parse_set(s).map_err(|e| e.to_string()))
        .collect();
    let policy = match sets.and_then(|s| policy.with_overrides(&s).map_err(|e| e.to_string())) {
        Ok(p) => p,
        Err(e) => return result(Vec::new(), Some(format!("set: {e}"))),
    };
    let data = match case_data(case) {
        Ok(d) => d,
        Err(e) => return result(Vec::new(), Some(e)),
    };
    let scenario = Scenario {
        name: case.name.clone(),
        policy: &policy,
        data: &data,
        tasks: case.tasks.as_ref(),
        units: case.units.as_ref(),
    };
    let outcome = match compare::evaluate(&scenario) {
        Ok(o) => o,
        Err(e) => return result(Vec::new(), Some(e.to_string())),
    };
    if case.expect.is_empty() {
        return result(
            Vec::new(),
            Some("the case expects nothing: add [[cases.expect]]".into()),
        );
    }
    result(
        case.expect
            .iter()
            .map(|e| check_expect(&outcome, e))
            .collect(),
        None,
    )
}

/// Run every case of a file.
#[must_use]
pub fn run_file(policy: &Policy, file: &CaseFile) -> Vec<CaseResult> {
    file.cases.iter().map(|c| run_case(policy, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan's own figures as cases (examples/cases/).
    const EXAMPLES: [(&str, &str); 5] = [
        (
            "funds.toml",
            include_str!("../../../examples/cases/funds.toml"),
        ),
        (
            "counties.toml",
            include_str!("../../../examples/cases/counties.toml"),
        ),
        (
            "tasks.toml",
            include_str!("../../../examples/cases/tasks.toml"),
        ),
        (
            "cards.toml",
            include_str!("../../../examples/cases/cards.toml"),
        ),
        (
            "goals.toml",
            include_str!("../../../examples/cases/goals.toml"),
        ),
    ];

    fn run_all(policy: &Policy) -> Vec<CaseResult> {
        EXAMPLES
            .iter()
            .flat_map(|(name, text)| {
                let file = CaseFile::from_toml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
                run_file(policy, &file)
            })
            .collect()
    }

    #[test]
    fn the_plans_cases_hold_on_the_embedded_policy() {
        let results = run_all(&Policy::chaoyang_2020());
        assert!(results.len() >= 20, "{}", results.len());
        for r in &results {
            assert!(r.passed(), "{r:#?}");
        }
    }

    #[test]
    fn a_mutated_policy_fails_the_cases_that_pin_its_numbers() {
        for (path, value, case) in [
            (
                "funds.quota.county",
                "3000万元",
                "a county raising exactly its 2,500 万元",
            ),
            (
                "upward.growth_target",
                "21%",
                "exactly 20 % growth on 6.15 亿",
            ),
            (
                "tasks.factories.employment_min",
                "59",
                "42 factories, 6 in each",
            ),
            (
                "tasks.tasks[t3.training].target.count.value",
                "3001",
                "every target exactly met",
            ),
            (
                "integration.target_ratio",
                "36%",
                "21 亿 integrated is 35 %",
            ),
            (
                "assessment.cards[a].bonus.rules[commendations].cap",
                "3",
                "capped at 2",
            ),
        ] {
            let p = Policy::chaoyang_2020()
                .with_overrides(&[(path.into(), value.into())])
                .unwrap();
            let failed: Vec<String> = run_all(&p)
                .into_iter()
                .filter(|r| !r.passed())
                .map(|r| r.name)
                .collect();
            assert!(
                failed.iter().any(|n| n.contains(case)),
                "{path} = {value}: no case about `{case}` failed ({failed:?})"
            );
        }
    }

    /// Numbers of the plan that no case can pin, and why.
    const NOT_PINNED_BY_CASES: [(&str, &str); 3] = [
        (
            "assessment.cards[a].bonus.cap",
            "the bonus lines' caps add up to 20 (5 + 10 + 2 + 3): the overall cap never binds",
        ),
        (
            "tasks.villages.planned_max_projects",
            "the planned number of T10, reported in the label, never a limit",
        ),
        (
            "goals[P.income_raised].income_below",
            "names the people counted (income below 5,000 元) in the label; the figure is theirs",
        ),
    ];

    /// Every number of the plan that a check or a score uses (the policy's table of the plan's
    /// numbers, less the dates, which no case runs, and the three above) is pinned by a case:
    /// raised or lowered by a tenth, some case of examples/cases fails — or the policy refuses
    /// the change (a card's points that no longer add up).
    #[test]
    fn every_number_of_the_plan_is_pinned_by_a_case() {
        let base = Policy::chaoyang_2020();
        let cases: Vec<Case> = EXAMPLES
            .iter()
            .flat_map(|(_, text)| CaseFile::from_toml(text).unwrap().cases)
            .collect();
        let caught = |path: &str, v: Decimal| match base
            .with_overrides(&[(path.into(), v.normalize().to_string())])
        {
            Ok(p) => cases.iter().any(|c| !run_case(&p, c).passed()),
            Err(_) => true,
        };
        let mut unpinned = Vec::new();
        let mut tried = 0;
        for &(path, value, clause, quote) in crate::policy::numbers::TABLE {
            if quote.is_empty()
                || path.starts_with("calendar.")
                || path.starts_with("meta.")
                || path.ends_with(".cumulative.from")
                || path.ends_with(".cumulative.to")
                || path.ends_with(".weight")
                || NOT_PINNED_BY_CASES.iter().any(|(p, _)| *p == path)
            {
                continue;
            }
            let v: Decimal = value.parse().unwrap();
            let (mut up, mut down) = (v * Decimal::new(11, 1), v * Decimal::new(9, 1));
            if v.fract().is_zero() {
                (up, down) = (up.ceil(), down.floor());
            }
            tried += 1;
            if !caught(path, up) && !caught(path, down) {
                unpinned.push(format!("{path} ({clause}): {value} → {up} or {down}"));
            }
        }
        assert!(tried >= 30, "only {tried} numbers tried");
        assert!(
            unpinned.is_empty(),
            "no case of examples/cases fails when these numbers change: {unpinned:#?}"
        );
    }

    #[test]
    fn a_case_that_cannot_run_or_names_nothing_fails_with_its_reason() {
        let file = CaseFile::from_toml(
            r#"
            [[cases]]
            name = "bad override"
            set = ["funds.quota.conty=1"]
            [[cases.expect]]
            check = "M1.city_growth"
            [[cases]]
            name = "ambiguous"
            [[cases.expect]]
            check = "M1c.unit_quota"
            [[cases]]
            name = "no such check"
            [[cases.expect]]
            check = "M9.nothing"
            passed = true
            [[cases]]
            name = "unreadable figure"
            [[cases.expect]]
            check = "G2.upward_growth"
            actual = "lots"
            [[cases]]
            name = "expects nothing"
            expect = []
            "#,
        )
        .unwrap();
        let r = run_file(&Policy::chaoyang_2020(), &file);
        assert!(r.iter().all(|c| !c.passed()), "{r:#?}");
        assert!(r[0].error.as_deref().unwrap().contains("funds.quota.conty"));
        let found = |i: usize| r[i].expectations[0].found.clone().unwrap_or_default();
        assert!(found(1).contains("several subjects"), "{}", found(1));
        assert!(found(2).contains("no check `M9.nothing`"));
        assert!(found(3).contains("lots"));
        assert!(r[4].error.as_deref().unwrap().contains("expects nothing"));
        let e = CaseFile::from_toml("[[cases]]\nname = \"x\"\nexpct = []\n").unwrap_err();
        assert!(e.to_string().contains("expct"), "{e}");
    }
}
