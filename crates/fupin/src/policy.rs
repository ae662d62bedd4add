//! Policy parameters: every number of the plan, loaded from TOML or JSON.
//!
//! A [`Policy`] holds the thresholds of the 2020 Chaoyang plan — growth targets (G1, G2, M1c,
//! task 8), county quotas (M1c), integration ratios (G3, M3), and the sections of the later areas
//! — each field documented with its clause id from `DOMAIN.md`. The 2020 values are embedded
//! ([`Policy::chaoyang_2020`], from `data/chaoyang_2020_policy.toml`); another city or year loads
//! its own with [`Policy::from_toml`] or [`Policy::from_json`].
//!
//! Loading is strict: an unknown (misspelt) field, a missing field, a value of the wrong type
//! (`"abc"` for a ratio) or out of range (a negative quota) is a [`PolicyError`] naming the field
//! path and the value. The library never invents a number the source does not give: where the
//! plan names a requirement without a figure (grade bands, monthly spending ratios), the section
//! holds an optional, user-supplied parameter.
//!
//! # Example
//! ```
//! use fupin::money::{Amount, Ratio};
//! use fupin::policy::{Policy, UnitKind};
//!
//! let p = Policy::chaoyang_2020();
//! assert_eq!(p.funds.input_growth_target, Ratio::percent(20));
//! assert_eq!(p.funds.quota.of(UnitKind::District), Amount::wan(1_000));
//!
//! let err = Policy::from_toml(&p.to_toml().replace("county_total_growth_target", "county_total_grwoth_target"))
//!     .unwrap_err();
//! assert!(err.to_string().contains("county_total_grwoth_target"), "{err}");
//! ```

use serde::{Deserialize, Serialize};

use crate::load::{self, FieldError};
use crate::money::{Amount, Ratio};

/// The embedded 2020 Chaoyang policy, with comments, as shipped in the crate.
pub const CHAOYANG_2020_TOML: &str = include_str!("../data/chaoyang_2020_policy.toml");

/// A policy file that cannot be used: names the field path and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy: {0}")]
pub struct PolicyError(pub FieldError);

impl PolicyError {
    /// Dotted path of the offending field.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.0.path
    }
}

/// Every parameter of a city's annual plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Which plan these parameters come from.
    pub meta: PolicyMeta,
    /// Fiscal input targets and county quotas (G1, M1, M1c, task 8).
    pub funds: FundsPolicy,
    /// Funds won from higher levels (G2, M2).
    pub upward: UpwardPolicy,
    /// Integration of agricultural funds (G3, M3, task 8).
    pub integration: IntegrationPolicy,
    /// Project library entry requirements (M6, M8).
    pub projects: crate::projects::ProjectsPolicy,
    /// The approval chain's rules that the plan does not state (M6, M8, task 8): the library's
    /// defaults unless the policy's `[approval]` section says otherwise.
    #[serde(default)]
    pub approval: crate::approval::ApprovalRules,
    /// Spending progress: the user's schedule and allocation link (G4, M4).
    pub spending: crate::spending::SpendingPolicy,
    /// The dated obligations (M5, task 8, O1, M4, M1c).
    pub calendar: crate::calendar::CalendarPolicy,
    /// Scorecards A and B of the assessment method (annex 2).
    pub assessment: crate::assessment::AssessmentPolicy,
    /// The task table's targets and rule checks (annex 2, tasks 2–10).
    pub tasks: crate::tasks::TasksPolicy,
}

/// Where a policy comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// Name of the plan, e.g. `2020年朝阳市财政局支持脱贫攻坚工作实施方案`.
    pub name: String,
    /// The plan's year.
    pub year: i32,
    /// The document it comes from, e.g. `朝财农〔2020〕67号`.
    pub source: String,
}

/// 财政扶贫资金投入 — fiscal poverty-alleviation input targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The kind of a county-level unit (县(市)区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 县 — county.
    County,
    /// 县级市 — county-level city.
    CountyCity,
    /// 区 — urban district.
    District,
}

impl std::str::FromStr for UnitKind {
    type Err = FieldError;

    /// Reads `county`/`县`, `county_city`/`市`/`县级市`, `district`/`区`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "county" | "县" => Ok(Self::County),
            "county_city" | "市" | "县级市" => Ok(Self::CountyCity),
            "district" | "区" => Ok(Self::District),
            other => Err(FieldError::new(
                "kind",
                format!(
                    "`{other}` is not a unit kind: use county (县), county_city (县级市) or district (区)"
                ),
            )),
        }
    }
}

impl UnitKind {
    /// Chinese name of the kind.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::County => "县",
            Self::CountyCity => "市",
            Self::District => "区",
        }
    }

    /// English name of the kind.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::County => "county",
            Self::CountyCity => "county-level city",
            Self::District => "district",
        }
    }
}

/// 向上争取扶贫专项资金 — special funds won from higher levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpwardPolicy {
    /// G2 二(二): upward funds grow at least this much on last year (20 %).
    pub growth_target: Ratio,
}

/// 整合涉农资金 — integration of agricultural funds for poverty alleviation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationPolicy {
    /// M3 三(三), task 8: the city's required share of integrable funds (30 %; M3 gives it as
    /// "5 percentage points" below the 35 % plan).
    pub required_ratio: Ratio,
    /// G3 二(三): the plan's target share (35 %).
    pub target_ratio: Ratio,
}

/// Growth targets are fractions in [0, 10] (0 %–1,000 %).
const MAX_GROWTH: Ratio = Ratio::from_fraction(rust_decimal::Decimal::TEN);

pub(crate) fn ratio_in(path: &str, value: Ratio, min: Ratio, max: Ratio) -> Result<(), FieldError> {
    if value < min || value > max {
        return Err(FieldError::new(
            path,
            format!("value {value} is out of range: must be between {min} and {max}"),
        ));
    }
    Ok(())
}

pub(crate) fn non_negative(path: &str, value: Amount) -> Result<(), FieldError> {
    if value.is_negative() {
        return Err(FieldError::new(
            path,
            format!("value {value} must not be negative"),
        ));
    }
    Ok(())
}

impl Policy {
    /// The embedded 2020 Chaoyang City plan (朝财农〔2020〕67号).
    #[must_use]
    #[allow(clippy::expect_used)] // the embedded file is checked by the test `embedded_policy_is_valid`
    pub fn chaoyang_2020() -> Self {
        Self::from_toml(CHAOYANG_2020_TOML).expect("the embedded 2020 policy is valid")
    }

    /// Load and validate a policy from TOML.
    ///
    /// # Errors
    /// [`PolicyError`] naming the field path and value: syntax errors, unknown or missing fields,
    /// values of the wrong type, values out of range.
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        let p: Self = load::from_toml(text).map_err(PolicyError)?;
        p.validate()?;
        Ok(p)
    }

    /// Load and validate a policy from JSON.
    ///
    /// # Errors
    /// As [`Policy::from_toml`].
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        let p: Self = load::from_json(text).map_err(PolicyError)?;
        p.validate()?;
        Ok(p)
    }

    /// The policy as TOML (exact decimal strings; comments are not kept — see
    /// [`CHAOYANG_2020_TOML`] for the commented original).
    #[must_use]
    #[allow(clippy::expect_used)] // every field is a string, number, table or array: TOML can hold it
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a policy always serialises to TOML")
    }

    /// The policy as pretty JSON (exact decimal strings).
    #[must_use]
    #[allow(clippy::expect_used)] // plain data with string keys: JSON can hold it
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a policy always serialises to JSON")
    }

    /// Check every range rule; called by the loaders.
    ///
    /// # Errors
    /// [`PolicyError`] for the first field out of range.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.validate_fields().map_err(PolicyError)
    }

    fn validate_fields(&self) -> Result<(), FieldError> {
        let f = &self.funds;
        ratio_in(
            "funds.input_growth_target",
            f.input_growth_target,
            Ratio::ZERO,
            MAX_GROWTH,
        )?;
        ratio_in(
            "funds.county_total_growth_target",
            f.county_total_growth_target,
            Ratio::ZERO,
            MAX_GROWTH,
        )?;
        ratio_in(
            "funds.county_unit_growth_target",
            f.county_unit_growth_target,
            Ratio::ZERO,
            MAX_GROWTH,
        )?;
        non_negative("funds.quota.county", f.quota.county)?;
        non_negative("funds.quota.county_city", f.quota.county_city)?;
        non_negative("funds.quota.district", f.quota.district)?;
        ratio_in(
            "upward.growth_target",
            self.upward.growth_target,
            Ratio::ZERO,
            MAX_GROWTH,
        )?;
        let i = &self.integration;
        ratio_in(
            "integration.required_ratio",
            i.required_ratio,
            Ratio::ZERO,
            Ratio::ONE,
        )?;
        ratio_in(
            "integration.target_ratio",
            i.target_ratio,
            Ratio::ZERO,
            Ratio::ONE,
        )?;
        self.projects.validate("projects")?;
        self.approval.validate("approval")?;
        if i.target_ratio < i.required_ratio {
            return Err(FieldError::new(
                "integration.target_ratio",
                format!(
                    "value {} is below the required ratio {}",
                    i.target_ratio, i.required_ratio
                ),
            ));
        }
        self.spending.validate()?;
        self.calendar.validate()?;
        self.assessment.validate("assessment")?;
        self.tasks.validate("tasks", &self.assessment)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_policy_is_valid() {
        let p = Policy::from_toml(CHAOYANG_2020_TOML).unwrap();
        assert_eq!(p.meta.year, 2020);
        assert_eq!(p.funds.county_total_growth_target, Ratio::percent(23));
        assert_eq!(p.funds.quota.county, Amount::wan(2_500));
        assert_eq!(p.funds.quota.county_city, Amount::wan(2_500));
        assert_eq!(p.integration.required_ratio, Ratio::percent(30));
        assert_eq!(p.integration.target_ratio, Ratio::percent(35));
        assert_eq!(p.upward.growth_target, Ratio::percent(20));
    }

    #[test]
    fn toml_and_json_round_trip() {
        let p = Policy::chaoyang_2020();
        assert_eq!(Policy::from_toml(&p.to_toml()).unwrap(), p);
        assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p);
    }

    fn edited(from: &str, to: &str) -> Result<Policy, PolicyError> {
        assert!(
            CHAOYANG_2020_TOML.contains(from),
            "fixture `{from}` not in the policy file"
        );
        Policy::from_toml(&CHAOYANG_2020_TOML.replacen(from, to, 1))
    }

    #[test]
    fn misspelt_field_is_named() {
        let e = edited("county_unit_growth_target", "county_unit_grwoth_target").unwrap_err();
        assert_eq!(e.path(), "funds.county_unit_grwoth_target");
        assert!(e.to_string().contains("county_unit_grwoth_target"), "{e}");
    }

    #[test]
    fn negative_quota_is_named_with_its_value() {
        let e = edited("district = \"1000万元\"", "district = \"-1000万元\"").unwrap_err();
        assert_eq!(e.path(), "funds.quota.district");
        assert!(e.to_string().contains("-1,000 万元"), "{e}");
    }

    #[test]
    fn non_numeric_growth_target_is_named() {
        let e = edited(
            "input_growth_target = \"20%\"",
            "input_growth_target = \"abc\"",
        )
        .unwrap_err();
        assert_eq!(e.path(), "funds.input_growth_target");
        assert!(e.to_string().contains("abc"), "{e}");
    }

    #[test]
    fn float_is_refused_with_advice() {
        let e = edited("input_growth_target = \"20%\"", "input_growth_target = 0.2").unwrap_err();
        assert_eq!(e.path(), "funds.input_growth_target");
        assert!(e.to_string().contains("write it as a string"), "{e}");
    }

    #[test]
    fn missing_field_is_named() {
        let e = edited("target_ratio = \"35%\"", "").unwrap_err();
        assert!(e.to_string().contains("target_ratio"), "{e}");
    }

    #[test]
    fn target_below_required_is_refused() {
        let e = edited("target_ratio = \"35%\"", "target_ratio = \"25%\"").unwrap_err();
        assert_eq!(e.path(), "integration.target_ratio");
    }

    #[test]
    fn json_errors_name_the_field() {
        let mut v: serde_json::Value =
            serde_json::from_str(&Policy::chaoyang_2020().to_json()).unwrap();
        v["upward"]["growth_target"] = serde_json::json!("abc");
        let e = Policy::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.path(), "upward.growth_target");
    }
}
