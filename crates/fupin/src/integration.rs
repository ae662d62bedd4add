//! Integration of agricultural funds (整合涉农资金) for poverty alleviation.
//!
//! Clauses: **G3** 二(三) the share of integrated agricultural funds used for poverty alleviation
//! reaches 35 %; **M3** 三(三) the plan integrates 21 亿, ≥ 35 % of integrable funds, "5 percentage
//! points over the city's required ratio" (so 30 %, also task 8's ≥ 30 %).
//!
//! The share is `integrated / integrable`; the decisions are exact (`integrated ≥ integrable ×
//! ratio`), and the margins are given in percentage points.
//!
//! # Example
//! ```
//! use fupin::{data::PlanData, integration, policy::Policy};
//! let r = integration::assess(&Policy::chaoyang_2020().integration, &PlanData::chaoyang_2020()).unwrap();
//! assert!(r.meets_required && r.meets_target);
//! assert_eq!(r.margin_over_required.unwrap().to_string(), "+5.00 pp");
//! ```

use serde::{Deserialize, Serialize};

use crate::check::{Check, ClauseId, Comparison, Label, Value};
use crate::data::PlanData;
use crate::money::{Amount, MoneyError, PercentagePoints, Ratio};
use crate::validate::ratio_in;
use crate::vocab::{ErrorCode, FieldError, Problems};

/// 整合涉农资金 — integration of agricultural funds for poverty alleviation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationPolicy {
    /// M3 三(三), task 8: the city's required share of integrable funds (30 %; M3 gives it as
    /// "5 percentage points" below the 35 % plan).
    pub required_ratio: Ratio,
    /// G3 二(三): the plan's target share (35 %).
    pub target_ratio: Ratio,
}

impl IntegrationPolicy {
    /// Check the section: both ratios within 0 %–100 %, the target not below the required
    /// ratio; each problem under `prefix` (`integration`).
    pub fn validate(&self, prefix: &str, p: &mut Problems) {
        p.check(ratio_in(
            &format!("{prefix}.required_ratio"),
            self.required_ratio,
            Ratio::ZERO,
            Ratio::ONE,
        ));
        p.check(ratio_in(
            &format!("{prefix}.target_ratio"),
            self.target_ratio,
            Ratio::ZERO,
            Ratio::ONE,
        ));
        if self.target_ratio < self.required_ratio {
            p.push(FieldError::coded(
                ErrorCode::INCONSISTENT,
                format!("{prefix}.target_ratio"),
                Some(self.target_ratio.as_fraction().to_string()),
                format!(
                    "value {} is below the required ratio {}",
                    self.target_ratio.exact(),
                    self.required_ratio.exact()
                ),
            ));
        }
    }
}

/// The integration ratio of a year against the required and target ratios.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationResult {
    /// 可整合资金 — integrable funds.
    pub integrable: Amount,
    /// 整合用于扶贫 — integrated funds used for poverty alleviation.
    pub integrated: Amount,
    /// `integrated / integrable`; `None` when nothing is integrable.
    pub ratio: Option<Ratio>,
    /// The city's required ratio (M3, 30 %).
    pub required: Ratio,
    /// The plan's target ratio (G3, 35 %).
    pub target: Ratio,
    /// `ratio − required` in percentage points.
    pub margin_over_required: Option<PercentagePoints>,
    /// `ratio − target` in percentage points.
    pub margin_over_target: Option<PercentagePoints>,
    /// `integrated ≥ integrable × required`; false when nothing is integrable.
    pub meets_required: bool,
    /// `integrated ≥ integrable × target`; false when nothing is integrable.
    pub meets_target: bool,
}

/// Assess the integration ratio.
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn assess(
    policy: &IntegrationPolicy,
    data: &PlanData,
) -> Result<IntegrationResult, MoneyError> {
    let (integrable, integrated) = (data.integration.integrable, data.integration.integrated);
    let (required, target) = (policy.required_ratio, policy.target_ratio);
    let ratio = integrated.ratio_to(integrable);
    let margin = |over: Ratio| ratio.map(|r| r.points_over(over)).transpose();
    Ok(IntegrationResult {
        integrable,
        integrated,
        ratio,
        required,
        target,
        margin_over_required: margin(required)?,
        margin_over_target: margin(target)?,
        // A share of nothing meets no target: with no integrable funds both are unmet.
        meets_required: ratio.is_some() && integrated >= integrable.checked_mul_ratio(required)?,
        meets_target: ratio.is_some() && integrated >= integrable.checked_mul_ratio(target)?,
    })
}

/// The two integration checks: the required ratio (M3, task 8) and the target ratio (G3).
///
/// # Errors
/// [`MoneyError::Overflow`].
pub fn check_integration(
    policy: &IntegrationPolicy,
    data: &PlanData,
) -> Result<[Check; 2], MoneyError> {
    let r = assess(policy, data)?;
    let one = |id, clause, label, threshold: Ratio, passed| -> Result<Check, MoneyError> {
        let needed = r.integrable.checked_mul_ratio(threshold)?;
        let (actual, threshold) = match r.ratio {
            Some(ratio) => (Value::Ratio(ratio), Value::Ratio(threshold)),
            None => (Value::Amount(r.integrated), Value::Amount(needed)),
        };
        let mut check = Check::new(
            id,
            clause,
            label,
            actual,
            Comparison::AtLeast,
            threshold,
            passed,
            Some(Value::Amount(needed.checked_sub(r.integrated)?)),
        );
        if r.ratio.is_none() {
            check.shortfall = None;
            check = check.with_note(Label::new(
                "可整合资金为0：比例无从计算，不能视为达标",
                "no integrable funds: the ratio is undefined, so not met",
            ));
        }
        Ok(if data.meta.is_illustrative("integration.integrable") {
            check.add_note(Label::new(
                "可整合资金为示例数据",
                "integrable total is illustrative",
            ))
        } else {
            check
        })
    };
    Ok([
        one(
            "M3.required_ratio",
            ClauseId::M3,
            Label::new(
                "整合涉农资金用于扶贫比例达到市规定比例",
                "integration ratio meets the required ratio",
            ),
            r.required,
            r.meets_required,
        )?,
        one(
            "G3.target_ratio",
            ClauseId::G3,
            Label::new(
                "整合涉农资金用于扶贫开发比例达到目标",
                "integration ratio meets the plan's target",
            ),
            r.target,
            r.meets_target,
        )?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;
    use proptest::prelude::*;

    #[test]
    fn plan_integrates_35_percent_five_points_over_required() {
        let r = assess(
            &Policy::chaoyang_2020().integration,
            &PlanData::chaoyang_2020(),
        )
        .unwrap();
        assert_eq!(r.integrated, Amount::yi(21));
        assert_eq!(r.ratio, Some(Ratio::percent(35)));
        assert_eq!(
            r.margin_over_required,
            Some(PercentagePoints::new(5.into()))
        );
        assert_eq!(r.margin_over_target, Some(PercentagePoints::new(0.into())));
        assert!(r.meets_required && r.meets_target);
    }

    #[test]
    fn one_yuan_less_misses_the_target_but_not_the_requirement() {
        let mut d = PlanData::chaoyang_2020();
        d.integration.integrated = Amount::yi(21).checked_sub(Amount::yuan(1)).unwrap();
        let [required, target] =
            check_integration(&Policy::chaoyang_2020().integration, &d).unwrap();
        assert!(required.passed);
        assert!(!target.passed);
        assert_eq!(target.shortfall, Some(Value::Amount(Amount::yuan(1))));
        assert!(
            target.note.is_some(),
            "the integrable total is illustrative"
        );
    }

    #[test]
    fn nothing_integrable_is_not_a_division_error_and_not_a_pass() {
        let mut d = PlanData::chaoyang_2020();
        d.integration.integrable = Amount::ZERO;
        d.integration.integrated = Amount::ZERO;
        let r = assess(&Policy::chaoyang_2020().integration, &d).unwrap();
        assert_eq!(r.ratio, None);
        // #10 vacuous passes: a share of nothing meets no target.
        assert!(!r.meets_required && !r.meets_target);
        let checks = check_integration(&Policy::chaoyang_2020().integration, &d).unwrap();
        for c in &checks {
            assert!(!c.passed, "{c:?}");
            assert!(c.note.as_ref().unwrap().en.contains("no integrable funds"));
        }
    }

    proptest! {
        #[test]
        fn meeting_the_target_implies_meeting_the_requirement(integrable in 0i64..10_000_000_000, share in 0i64..=10_000) {
            let mut d = PlanData::chaoyang_2020();
            d.integration.integrable = Amount::yuan(integrable);
            d.integration.integrated = Amount::yuan(integrable * share / 10_000);
            let r = assess(&Policy::chaoyang_2020().integration, &d).unwrap();
            prop_assert!(!r.meets_target || r.meets_required);
        }
    }
}
