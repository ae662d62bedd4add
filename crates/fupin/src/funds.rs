//! Fiscal input: growth against last year, county quotas and the budget adjustment owed.
//!
//! Clauses: **G1** 二(一) city + county input grows ≥ 20 %; **M1** 三(一) city-level input by
//! source; **M1c** 三(一) each county or county-level city raises 2,500 万元 and each district
//! 1,000 万元, the county total grows ≥ 23 %, and a unit that falls short adjusts its budget;
//! **task 8** each unit's input grows ≥ 20 % on last year; **G2/M2** 二(二)/三(二) upward funds
//! grow ≥ 20 %.
//!
//! Every comparison is exact: "growth ≥ g" is tested as `this ≥ last × (1 + g)`, so no quotient is
//! ever rounded before a decision. The growth shown in a check is the quotient (28 digits).
//!
//! # Example
//! ```
//! use fupin::{data::PlanData, funds, money::Amount, policy::Policy};
//! let (policy, data) = (Policy::chaoyang_2020(), PlanData::chaoyang_2020());
//! let kazuo = data.counties.iter().find(|c| c.name == "喀左县").unwrap();
//! let r = funds::assess_county(&policy.funds, kazuo).unwrap();
//! assert!(!r.meets_quota);
//! assert_eq!(r.adjustment_owed, Amount::wan(200)); // 2,500 quota − 2,300 raised
//! ```

use serde::{Deserialize, Serialize};

use crate::check::{Check, ClauseId, Comparison, Label, Value};
use crate::data::UnitKind;
use crate::data::{CountyInput, PlanData};
use crate::money::{Amount, MoneyError, Ratio, growth};
use crate::validate::{non_negative, ratio_in};
use crate::vocab::Problems;

const ILLUSTRATIVE: Label = Label::new(
    "示例数据，非方案数字",
    "illustrative figures, not the plan's",
);

/// 财政扶贫资金投入 — fiscal poverty-alleviation input targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FundsPolicy {
    /// G1 二(一): city + county input grows at least this much on last year (20 %). Also the
    /// target the city-level input (M1) is checked against.
    pub input_growth_target: Ratio,
    /// M1c 三(一): the counties' total input grows at least this much on last year (23 %).
    pub county_total_growth_target: Ratio,
    /// Task 8: each county-level unit's special input grows at least this much (20 %).
    pub county_unit_growth_target: Ratio,
    /// M1c 三(一): the input each county-level unit must raise, by kind.
    pub quota: Quota,
}

/// M1c — 每县(市) 2,500 万元、每区 1,000 万元: the input quota of a county-level unit by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// 县 — county (2,500 万元).
    pub county: Amount,
    /// 县级市 — county-level city (2,500 万元; the plan's 县(市)).
    pub county_city: Amount,
    /// 区 — district (1,000 万元).
    pub district: Amount,
}

impl Quota {
    /// The quota of a unit of a kind.
    #[must_use]
    pub const fn of(&self, kind: UnitKind) -> Amount {
        match kind {
            UnitKind::County => self.county,
            UnitKind::CountyCity => self.county_city,
            UnitKind::District => self.district,
        }
    }
}

/// 向上争取扶贫专项资金 — special funds won from higher levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpwardPolicy {
    /// G2 二(二): upward funds grow at least this much on last year (20 %).
    pub growth_target: Ratio,
}

/// Growth targets are fractions in [0, 10] (0 %–1,000 %).
const MAX_GROWTH: Ratio = Ratio::from_fraction(rust_decimal::Decimal::TEN);

impl FundsPolicy {
    /// Check the section's ranges (growth targets 0 %–1,000 %, quotas not negative), each
    /// problem under `prefix` (`funds`).
    pub fn validate(&self, prefix: &str, p: &mut Problems) {
        for (field, value) in [
            ("input_growth_target", self.input_growth_target),
            (
                "county_total_growth_target",
                self.county_total_growth_target,
            ),
            ("county_unit_growth_target", self.county_unit_growth_target),
        ] {
            p.check(ratio_in(
                &format!("{prefix}.{field}"),
                value,
                Ratio::ZERO,
                MAX_GROWTH,
            ));
        }
        for (field, value) in [
            ("quota.county", self.quota.county),
            ("quota.county_city", self.quota.county_city),
            ("quota.district", self.quota.district),
        ] {
            p.check(non_negative(&format!("{prefix}.{field}"), value));
        }
    }
}

impl UpwardPolicy {
    /// Check the section's range (growth target 0 %–1,000 %) under `prefix` (`upward`).
    pub fn validate(&self, prefix: &str, p: &mut Problems) {
        p.check(ratio_in(
            &format!("{prefix}.growth_target"),
            self.growth_target,
            Ratio::ZERO,
            MAX_GROWTH,
        ));
    }
}

/// `last × (1 + target)`: the least input that meets a growth target.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn required_for_growth(last: Amount, target: Ratio) -> Result<Amount, MoneyError> {
    let factor = rust_decimal::Decimal::ONE
        .checked_add(target.as_fraction())
        .ok_or(MoneyError::Overflow {
            op: "growth factor",
        })?;
    last.checked_mul(factor)
}

/// A growth check: `this ≥ last × (1 + target)`, showing the growth and, when short, the money
/// still needed. When last year is zero the growth is undefined, and the check compares amounts
/// with a note: any input this year is growth on nothing, and no input in either year is
/// **not** growth (a baseline of zero never passes vacuously).
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn growth_check(
    id: &'static str,
    clause: ClauseId,
    label: Label,
    last: Amount,
    this: Amount,
    target: Ratio,
) -> Result<Check, MoneyError> {
    let required = required_for_growth(last, target)?;
    let check = match growth(last, this) {
        Some(g) => Check::new(
            id,
            clause,
            label,
            Value::Ratio(g),
            Comparison::AtLeast,
            Value::Ratio(target),
            this >= required,
            Some(Value::Amount(required.checked_sub(this)?)),
        ),
        None if this.is_zero() || this.is_negative() => Check::new(
            id,
            clause,
            label,
            Value::Amount(this),
            Comparison::Above,
            Value::Amount(last),
            false,
            None,
        )
        .with_note(ZERO_BOTH),
        None => Check::new(
            id,
            clause,
            label,
            Value::Amount(this),
            Comparison::Above,
            Value::Amount(last),
            true,
            None,
        )
        .with_note(ZERO_LAST),
    };
    Ok(check)
}

const ZERO_LAST: Label = Label::new(
    "上年为0，增长率无从计算：本年有投入即视为增长",
    "last year is 0, so the growth rate is undefined: any input this year is growth",
);
const ZERO_BOTH: Label = Label::new(
    "上年和本年均为0：没有投入，不能视为增长达标",
    "0 last year and 0 this year: no input is not growth",
);
const NO_COUNTIES: Label = Label::new(
    "数据中没有县(市)区：无从检查，不能视为达标",
    "the data has no county-level units: nothing to check, so not met",
);
const M1_IS_AN_OUTCOME: Label = Label::new(
    "三(一)载明的是市本级投入计划数及其增长（结果），不是增长目标；此处按二(一)的增长目标检查",
    "M1 states the city's planned input and its growth (an outcome), not a target; the threshold is G1's growth target",
);

/// The assessment of one county-level unit (M1c, task 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountyResult {
    /// Name of the unit.
    pub name: String,
    /// Its kind, which sets the quota.
    pub kind: UnitKind,
    /// M1c quota for its kind.
    pub quota: Amount,
    /// Last year's input.
    pub last_year: Amount,
    /// This year's input.
    pub this_year: Amount,
    /// Growth on last year; `None` when last year was zero.
    pub growth: Option<Ratio>,
    /// The least input meeting both rules: `max(quota, last × (1 + unit growth target))`.
    pub required: Amount,
    /// `this_year ≥ quota`.
    pub meets_quota: bool,
    /// `this_year ≥ last_year × (1 + unit growth target)`; with nothing last year, some input
    /// this year (0 on 0 is not growth).
    pub meets_growth: bool,
    /// 调整预算安排额度 — the budget increase the unit owes: `max(0, required − this_year)`;
    /// zero exactly when both rules are met.
    pub adjustment_owed: Amount,
}

/// Assess one county-level unit against its quota and the per-unit growth target.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn assess_county(
    funds: &FundsPolicy,
    county: &CountyInput,
) -> Result<CountyResult, MoneyError> {
    let quota = funds.quota.of(county.kind);
    let by_growth = required_for_growth(county.last_year, funds.county_unit_growth_target)?;
    let required = quota.max(by_growth);
    Ok(CountyResult {
        name: county.name.clone(),
        kind: county.kind,
        quota,
        last_year: county.last_year,
        this_year: county.this_year,
        growth: growth(county.last_year, county.this_year),
        required,
        meets_quota: county.this_year >= quota,
        // Growth on a zero baseline needs some input this year (see [`growth_check`]).
        meets_growth: county.this_year >= by_growth
            && !(county.last_year.is_zero() && county.this_year.is_zero()),
        adjustment_owed: required.saturating_excess_over(county.this_year)?,
    })
}

/// Assess every county-level unit of the data, in input order.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn assess_counties(
    funds: &FundsPolicy,
    data: &PlanData,
) -> Result<Vec<CountyResult>, MoneyError> {
    data.counties
        .iter()
        .map(|c| assess_county(funds, c))
        .collect()
}

/// The checks of one county-level unit: quota (M1c) and growth (task 8).
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn county_checks(funds: &FundsPolicy, county: &CountyInput) -> Result<[Check; 2], MoneyError> {
    let quota = funds.quota.of(county.kind);
    let quota_check = Check::new(
        "M1c.unit_quota",
        ClauseId::M1c,
        Label::new(
            "县(市)区筹措资金达到定额",
            "county-level input meets its quota",
        ),
        Value::Amount(county.this_year),
        Comparison::AtLeast,
        Value::Amount(quota),
        county.this_year >= quota,
        Some(Value::Amount(quota.checked_sub(county.this_year)?)),
    )
    .about(county.name.clone());
    let growth_check = growth_check(
        "T8.unit_growth",
        ClauseId::T8,
        Label::new(
            "县(市)区专项扶贫资金投入比上年增长",
            "county-level input growth on last year",
        ),
        county.last_year,
        county.this_year,
        funds.county_unit_growth_target,
    )?
    .about(county.name.clone());
    Ok([quota_check, growth_check])
}

/// Every funds check: G1, M1, M1c (each unit and the total), task 8, G2.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn check_funds(
    funds: &FundsPolicy,
    upward: &UpwardPolicy,
    data: &PlanData,
) -> Result<Vec<Check>, MoneyError> {
    let f = funds;
    let city_this = data.city.total()?;
    let county_last = Amount::try_sum(data.counties.iter().map(|c| c.last_year))?;
    let county_this = Amount::try_sum(data.counties.iter().map(|c| c.this_year))?;
    let counties_illustrative = data.meta.is_illustrative("counties");
    let city_illustrative = data.meta.is_illustrative("city");
    let flag = |c: Check, illustrative: bool| {
        if illustrative {
            c.add_note(ILLUSTRATIVE)
        } else {
            c
        }
    };

    let no_counties = data.counties.is_empty();
    let mut checks = Vec::with_capacity(4 + 2 * data.counties.len());
    let g1 = flag(
        growth_check(
            "G1.input_growth",
            ClauseId::G1,
            Label::new(
                "市县财政扶贫资金投入比上年增长",
                "city + county fiscal input growth",
            ),
            data.city.last_year.checked_add(county_last)?,
            city_this.checked_add(county_this)?,
            f.input_growth_target,
        )?,
        counties_illustrative,
    );
    let g1 = flag(g1, !counties_illustrative && city_illustrative);
    checks.push(if no_counties {
        g1.add_note(NO_COUNTIES)
    } else {
        g1
    });
    checks.push(flag(
        growth_check(
            "M1.city_growth",
            ClauseId::M1,
            Label::new("市本级财政扶贫投入比上年增长", "city-level input growth"),
            data.city.last_year,
            city_this,
            f.input_growth_target,
        )?
        .with_note(M1_IS_AN_OUTCOME),
        city_illustrative,
    ));
    let quota_total = Amount::try_sum(data.counties.iter().map(|c| f.quota.of(c.kind)))?;
    let mut totals = [
        Check::new(
            "M1c.total_quota",
            ClauseId::M1c,
            Label::new(
                "各县(市)区筹措资金合计达到定额",
                "counties' total input meets the sum of quotas",
            ),
            Value::Amount(county_this),
            Comparison::AtLeast,
            Value::Amount(quota_total),
            county_this >= quota_total,
            Some(Value::Amount(quota_total.checked_sub(county_this)?)),
        ),
        growth_check(
            "M1c.total_growth",
            ClauseId::M1c,
            Label::new(
                "各县(市)区投入合计比上年增长",
                "counties' total input growth",
            ),
            county_last,
            county_this,
            f.county_total_growth_target,
        )?,
    ];
    for c in &mut totals {
        if no_counties {
            c.passed = false;
            c.shortfall = None;
            c.note = Some(NO_COUNTIES);
            c.comparison = Comparison::AtLeast;
        }
    }
    checks.extend(totals.map(|c| flag(c, counties_illustrative)));
    for county in &data.counties {
        for c in county_checks(funds, county)? {
            checks.push(flag(c, counties_illustrative));
        }
    }
    checks.push(flag(
        growth_check(
            "G2.upward_growth",
            ClauseId::G2,
            Label::new(
                "向上争取扶贫专项资金比上年增长",
                "growth of special funds won from higher levels",
            ),
            data.upward.last_year,
            data.upward.this_year,
            upward.growth_target,
        )?,
        data.meta.is_illustrative("upward"),
    ));
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;
    use crate::money::Lang;
    use proptest::prelude::*;

    fn plan() -> (Policy, PlanData) {
        (Policy::chaoyang_2020(), PlanData::chaoyang_2020())
    }

    fn find<'a>(checks: &'a [Check], id: &str, subject: Option<&str>) -> &'a Check {
        checks
            .iter()
            .find(|c| c.id == id && c.subject.as_deref() == subject)
            .unwrap()
    }

    #[test]
    fn m1_city_input_grows_247_77_percent() {
        let (p, d) = plan();
        let checks = check_funds(&p.funds, &p.upward, &d).unwrap();
        let m1 = find(&checks, "M1.city_growth", None);
        assert!(m1.passed);
        assert_eq!(m1.actual.display(Lang::Zh), "247.77%");
        assert_eq!(m1.threshold, Value::Ratio(Ratio::percent(20)));
        assert_eq!(m1.section, "三(一)");
        // Item 7 of #11: M1 states an outcome, not a target, and says so.
        let note = &m1.note.as_ref().unwrap().en;
        assert!(note.contains("an outcome") && note.contains("G1"), "{note}");
        assert!(
            !note.contains("illustrative"),
            "M1 uses the plan's own figures"
        );
    }

    #[test]
    fn a_zero_baseline_never_passes_vacuously() {
        let (p, mut d) = plan();
        for c in &mut d.counties {
            c.last_year = Amount::ZERO;
            c.this_year = Amount::ZERO;
        }
        d.upward.last_year = Amount::ZERO;
        d.upward.this_year = Amount::ZERO;
        let checks = check_funds(&p.funds, &p.upward, &d).unwrap();
        let g2 = find(&checks, "G2.upward_growth", None);
        assert!(!g2.passed, "0 on 0 is not 20 % growth: {g2:?}");
        assert!(g2.note.as_ref().unwrap().en.contains("no input"));
        let unit = find(&checks, "T8.unit_growth", Some("朝阳县"));
        assert!(!unit.passed);
        let total = find(&checks, "M1c.total_growth", None);
        assert!(!total.passed);
        let r = assess_county(&p.funds, &d.counties[0]).unwrap();
        assert!(!r.meets_growth);
        // Growth on nothing: any input this year counts, and the note says why.
        d.upward.this_year = Amount::wan(1);
        let g2 = find(
            &check_funds(&p.funds, &p.upward, &d).unwrap(),
            "G2.upward_growth",
            None,
        )
        .clone();
        assert!(g2.passed);
        assert!(g2.note.unwrap().en.contains("undefined"));
    }

    #[test]
    fn plan_data_without_counties_fails_the_county_checks() {
        let (p, mut d) = plan();
        d.counties.clear();
        let checks = check_funds(&p.funds, &p.upward, &d).unwrap();
        for id in ["M1c.total_quota", "M1c.total_growth"] {
            let c = find(&checks, id, None);
            assert!(!c.passed, "{id} passes with no counties: {c:?}");
            assert!(
                c.note
                    .as_ref()
                    .unwrap()
                    .en
                    .contains("no county-level units")
            );
        }
        let g1 = find(&checks, "G1.input_growth", None);
        assert!(
            g1.note
                .as_ref()
                .unwrap()
                .en
                .contains("no county-level units")
        );
    }

    #[test]
    fn g2_upward_funds_grow_21_95_percent() {
        let (p, d) = plan();
        let g2 = find(
            &check_funds(&p.funds, &p.upward, &d).unwrap(),
            "G2.upward_growth",
            None,
        )
        .clone();
        assert!(g2.passed);
        assert_eq!(g2.actual.display(Lang::En), "21.95%");
    }

    #[test]
    fn upward_growth_just_below_target_fails_with_shortfall() {
        let (p, mut d) = plan();
        // 6.15 亿 × 1.2 = 7.38 亿: one yuan less fails, by exactly one yuan.
        d.upward.this_year = "7.38亿"
            .parse::<Amount>()
            .unwrap()
            .checked_sub(Amount::yuan(1))
            .unwrap();
        let g2 = find(
            &check_funds(&p.funds, &p.upward, &d).unwrap(),
            "G2.upward_growth",
            None,
        )
        .clone();
        assert!(!g2.passed);
        assert_eq!(g2.shortfall, Some(Value::Amount(Amount::yuan(1))));
        d.upward.this_year = "7.38亿".parse().unwrap();
        assert!(
            find(
                &check_funds(&p.funds, &p.upward, &d).unwrap(),
                "G2.upward_growth",
                None
            )
            .passed
        );
    }

    #[test]
    fn county_quotas_follow_unit_kind() {
        let (p, d) = plan();
        let results = assess_counties(&p.funds, &d).unwrap();
        let quota_total = Amount::try_sum(results.iter().map(|r| r.quota)).unwrap();
        assert_eq!(quota_total, Amount::wan(14_500)); // M1c: 5 × 2,500 + 2 × 1,000
        let longcheng = results.iter().find(|r| r.name == "龙城区").unwrap();
        assert_eq!(longcheng.quota, Amount::wan(1_000));
        assert!(longcheng.meets_quota);
        assert!(!longcheng.meets_growth); // 900 × 1.2 = 1,080 > 1,000
        assert_eq!(longcheng.adjustment_owed, Amount::wan(80));
        let chaoyang = results.iter().find(|r| r.name == "朝阳县").unwrap();
        assert_eq!(chaoyang.adjustment_owed, Amount::ZERO);
    }

    #[test]
    fn county_total_growth_against_23_percent() {
        let (p, d) = plan();
        let checks = check_funds(&p.funds, &p.upward, &d).unwrap();
        let total = find(&checks, "M1c.total_growth", None);
        assert!(total.passed); // 14,500 / 11,780 = 123.09 %
        assert_eq!(total.actual.display(Lang::Zh), "23.09%");
        assert!(
            total.note.is_some(),
            "county figures are illustrative and flagged"
        );
        assert!(find(&checks, "M1c.total_quota", None).passed);
        assert!(!find(&checks, "M1c.unit_quota", Some("喀左县")).passed);
    }

    #[test]
    fn g1_combines_city_and_counties() {
        let (p, d) = plan();
        let g1 = find(
            &check_funds(&p.funds, &p.upward, &d).unwrap(),
            "G1.input_growth",
            None,
        )
        .clone();
        // (25,500 + 14,500) / (7,332.5 + 11,780) − 1 = 109.29 %
        assert_eq!(g1.actual.display(Lang::Zh), "109.29%");
        assert!(g1.passed);
    }

    #[test]
    fn zero_last_year_compares_amounts() {
        let c = growth_check(
            "x",
            ClauseId::G2,
            ILLUSTRATIVE,
            Amount::ZERO,
            Amount::wan(1),
            Ratio::percent(20),
        )
        .unwrap();
        assert!(c.passed);
        assert_eq!(c.actual, Value::Amount(Amount::wan(1)));
    }

    fn any_county() -> impl Strategy<Value = CountyInput> {
        (
            0i64..10_000_000,
            0i64..10_000_000,
            prop_oneof![
                Just(UnitKind::County),
                Just(UnitKind::CountyCity),
                Just(UnitKind::District)
            ],
        )
            .prop_map(|(last, this, kind)| CountyInput {
                name: "x".into(),
                kind,
                last_year: Amount::yuan(last * 100),
                this_year: Amount::yuan(this * 100),
            })
    }

    proptest! {
        #[test]
        fn adjustment_is_never_negative_and_zero_exactly_when_both_rules_hold(c in any_county()) {
            let r = assess_county(&Policy::chaoyang_2020().funds, &c).unwrap();
            prop_assert!(!r.adjustment_owed.is_negative());
            prop_assert_eq!(r.adjustment_owed.is_zero(), r.meets_quota && r.meets_growth);
            // Paying what is owed meets both rules.
            let mut paid = c.clone();
            paid.this_year = c.this_year.checked_add(r.adjustment_owed).unwrap();
            let after = assess_county(&Policy::chaoyang_2020().funds, &paid).unwrap();
            prop_assert!(after.meets_quota && after.meets_growth);
        }

        #[test]
        fn growth_check_is_monotone_in_this_years_input(last in 0i64..1_000_000_000, a in 0i64..2_000_000_000, b in 0i64..2_000_000_000) {
            let (lo, hi) = (a.min(b), a.max(b));
            let check = |this| growth_check("x", ClauseId::G2, ILLUSTRATIVE, Amount::yuan(last), Amount::yuan(this), Ratio::percent(20)).unwrap();
            prop_assert!(!check(lo).passed || check(hi).passed);
        }

        #[test]
        fn county_result_round_trips_through_json(c in any_county()) {
            let r = assess_county(&Policy::chaoyang_2020().funds, &c).unwrap();
            let back: CountyResult = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
            prop_assert_eq!(back, r);
        }
    }
}
