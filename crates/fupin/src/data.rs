//! Plan data: one year's fund figures of a city (M1, M1c, M2, M3).
//!
//! [`PlanData`] is the *input* to the funds and integration rules: the city's input by source,
//! each county-level unit's input this year and last, upward funds, and integrated and
//! integrable funds. It loads from TOML or JSON with the same strictness as the policy.
//! [`PlanData::chaoyang_2020`] embeds the plan's own 2020 figures; the figures the plan does not
//! give (per-county inputs, the integrable total) are illustrative and listed in
//! [`DataMeta::illustrative`], which every report repeats.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::load::{self, FieldError};
use crate::money::{Amount, MoneyError};
use crate::validate::non_negative;
use crate::vocab::{ErrorCode, FieldErrors, Problems};

/// The embedded 2020 Chaoyang figures, with comments.
pub const CHAOYANG_2020_DATA_TOML: &str = include_str!("../data/chaoyang_2020_data.toml");

/// Plan data that cannot be used: every problem found, each naming the field path and the
/// value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid plan data: {0}")]
pub struct DataError(pub FieldErrors);

impl DataError {
    /// Dotted path of the (first) offending field.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.0.first().path
    }

    /// Every problem found, in order.
    #[must_use]
    pub fn errors(&self) -> &[FieldError] {
        self.0.as_slice()
    }
}

impl From<FieldError> for DataError {
    fn from(e: FieldError) -> Self {
        Self(e.into())
    }
}

/// One year's fund figures of a city.
///
/// # Example
/// ```
/// use fupin::data::PlanData;
/// use fupin::money::Amount;
/// let d = PlanData::chaoyang_2020();
/// assert_eq!(d.city.total().unwrap(), Amount::wan(25_500));
/// assert_eq!(d.counties.len(), 7);
/// assert!(d.meta.is_illustrative("counties"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanData {
    /// What these figures are.
    pub meta: DataMeta,
    /// City-level input by source (M1).
    pub city: CityInput,
    /// County-level units (M1c).
    #[serde(default)]
    pub counties: Vec<CountyInput>,
    /// Upward funds (M2).
    pub upward: UpwardFunds,
    /// Integration of agricultural funds (M3).
    pub integration: IntegrationFunds,
}

/// Where the figures come from, and which are illustrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DataMeta {
    /// Name of the data set.
    pub name: String,
    /// The year the figures are for.
    pub year: i32,
    /// Where they come from.
    #[serde(default)]
    pub source: String,
    /// Field paths whose figures are illustrative, not real (`"counties"`,
    /// `"integration.integrable"`). Reports flag every check that uses them.
    #[serde(default)]
    pub illustrative: Vec<String>,
}

impl DataMeta {
    /// Whether the figures at `path` (or under it) are illustrative.
    #[must_use]
    pub fn is_illustrative(&self, path: &str) -> bool {
        self.illustrative
            .iter()
            .any(|p| p == path || path.starts_with(&format!("{p}.")))
    }
}

/// 市本级财政投入 — city-level input by source (M1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CityInput {
    /// 预算安排 — arranged in this year's budget.
    pub budget: Amount,
    /// 上年指标今年下达 — last year's indicators released this year.
    pub prior_year_indicators: Amount,
    /// 捐赠资金 — donations.
    pub donations: Amount,
    /// Last year's city-level input.
    pub last_year: Amount,
}

impl CityInput {
    /// This year's city-level input: budget + prior-year indicators + donations.
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn total(&self) -> Result<Amount, MoneyError> {
        Amount::try_sum([self.budget, self.prior_year_indicators, self.donations])
    }
}

/// 县(市)区 — one county-level unit's input (M1c).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountyInput {
    /// Name, e.g. `建平县`.
    pub name: String,
    /// County, county-level city or district: sets the quota.
    pub kind: UnitKind,
    /// Last year's input.
    pub last_year: Amount,
    /// This year's input.
    pub this_year: Amount,
}

/// The kind of a county-level unit (县(市)区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// 向上争取资金 — special funds won from higher levels (M2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpwardFunds {
    /// Last year.
    pub last_year: Amount,
    /// This year.
    pub this_year: Amount,
}

/// 整合涉农资金 — agricultural funds integrated for poverty alleviation (M3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IntegrationFunds {
    /// 可整合资金 — funds that may be integrated.
    pub integrable: Amount,
    /// 整合用于扶贫 — funds integrated and used for poverty alleviation.
    pub integrated: Amount,
}

impl PlanData {
    /// The embedded 2020 Chaoyang figures (illustrative where the plan is silent).
    #[must_use]
    #[allow(clippy::expect_used)] // the embedded file is checked by the test `embedded_data_is_valid`
    pub fn chaoyang_2020() -> Self {
        Self::from_toml(CHAOYANG_2020_DATA_TOML).expect("the embedded 2020 data is valid")
    }

    /// Load and validate plan data from TOML.
    ///
    /// # Errors
    /// [`DataError`] naming the field path and the value.
    pub fn from_toml(text: &str) -> Result<Self, DataError> {
        let d: Self = load::from_toml(text).map_err(DataError)?;
        d.validate()?;
        Ok(d)
    }

    /// Load and validate plan data from JSON.
    ///
    /// # Errors
    /// As [`PlanData::from_toml`].
    pub fn from_json(text: &str) -> Result<Self, DataError> {
        let d: Self = load::from_json(text).map_err(DataError)?;
        d.validate()?;
        Ok(d)
    }

    /// The data as pretty JSON (exact decimal strings).
    #[must_use]
    #[allow(clippy::expect_used)] // plain data with string keys: JSON can hold it
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plan data always serialises to JSON")
    }

    /// Check that amounts are not negative and county names are present and unique.
    ///
    /// # Errors
    /// [`DataError`] with every offending field.
    pub fn validate(&self) -> Result<(), DataError> {
        let mut p = Problems::new();
        // The data set's title is text, not a name: it may be empty or spaced.
        p.check(crate::check_text("meta.name", &self.meta.name));
        p.check(check_year_range("meta.year", self.meta.year));
        let c = &self.city;
        for (path, value) in [
            ("city.budget", c.budget),
            ("city.prior_year_indicators", c.prior_year_indicators),
            ("city.donations", c.donations),
            ("city.last_year", c.last_year),
        ] {
            p.check(non_negative(path, value));
        }
        p.check_all(validate_counties(&self.counties).map_err(|e| e.0));
        for (path, value) in [
            ("upward.last_year", self.upward.last_year),
            ("upward.this_year", self.upward.this_year),
            ("integration.integrable", self.integration.integrable),
            ("integration.integrated", self.integration.integrated),
        ] {
            p.check(non_negative(path, value));
        }
        if self.integration.integrated > self.integration.integrable {
            p.push(FieldError::coded(
                ErrorCode::INCONSISTENT,
                "integration.integrated",
                Some(self.integration.integrated.as_yuan().to_string()),
                format!(
                    "value {} exceeds the integrable funds {}",
                    self.integration.integrated.exact(),
                    self.integration.integrable.exact()
                ),
            ));
        }
        p.finish().map_err(DataError)
    }
}

/// A year must be a calendar year from 1 to 9999 (`0` or `-2020` is a typing error).
pub(crate) fn check_year_range(path: &str, year: i32) -> Result<(), FieldError> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(FieldError::coded(
            ErrorCode::OUT_OF_RANGE,
            path,
            Some(year.to_string()),
            format!("the year {year} is not a calendar year from 1 to 9999"),
        ))
    }
}

impl PlanData {
    /// Check that the data are for `year` (the policy's): figures of one year judged by the
    /// thresholds of another would be misread.
    ///
    /// # Example
    /// ```
    /// use fupin::{data::PlanData, ErrorCode};
    /// let d = PlanData::chaoyang_2020();
    /// assert!(d.check_year(2020).is_ok());
    /// let e = d.check_year(2021).unwrap_err();
    /// assert_eq!(e.errors()[0].code, ErrorCode::YEAR_MISMATCH);
    /// assert_eq!(e.path(), "meta.year");
    /// ```
    ///
    /// # Errors
    /// [`DataError`] of code `year_mismatch` at `meta.year`.
    pub fn check_year(&self, year: i32) -> Result<(), DataError> {
        if self.meta.year == year {
            return Ok(());
        }
        Err(DataError::from(FieldError::coded(
            ErrorCode::YEAR_MISMATCH,
            "meta.year",
            Some(self.meta.year.to_string()),
            format!(
                "the data are for {}, the policy for {year}: give the data of the policy's year, or the policy of the data's",
                self.meta.year
            ),
        )))
    }
}

/// Check a list of county-level units: names present and unique, amounts not negative. Paths
/// read `counties[i].field`, `i` counting from 0.
///
/// # Errors
/// [`DataError`] with every offending field.
pub fn validate_counties(counties: &[CountyInput]) -> Result<(), DataError> {
    let mut p = Problems::new();
    let mut seen = HashSet::new();
    for (i, county) in counties.iter().enumerate() {
        let at = |f: &str| format!("counties[{i}].{f}");
        if county.name.trim().is_empty() {
            p.push(FieldError::coded(
                ErrorCode::EMPTY,
                at("name"),
                Some(county.name.clone()),
                "a county-level unit needs a name",
            ));
        } else if let Err(e) = crate::check_name(&at("name"), &county.name) {
            p.push(e);
        } else if !seen.insert(crate::name_key(&county.name)) {
            p.push(FieldError::coded(
                ErrorCode::DUPLICATE,
                at("name"),
                Some(county.name.clone()),
                format!("`{}` appears more than once", county.name),
            ));
        }
        p.check(non_negative(&at("last_year"), county.last_year));
        p.check(non_negative(&at("this_year"), county.this_year));
    }
    p.finish().map_err(DataError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_valid_and_matches_the_plan() {
        let d = PlanData::from_toml(CHAOYANG_2020_DATA_TOML).unwrap();
        assert_eq!(d.city.total().unwrap(), Amount::wan(25_500));
        let counties = Amount::try_sum(d.counties.iter().map(|c| c.this_year)).unwrap();
        assert_eq!(counties, Amount::wan(14_500));
        assert_eq!(d.upward.this_year, Amount::wan(75_000));
        assert!(d.meta.is_illustrative("integration.integrable"));
        assert!(!d.meta.is_illustrative("integration.integrated"));
    }

    #[test]
    fn json_round_trip() {
        let d = PlanData::chaoyang_2020();
        assert_eq!(PlanData::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn every_problem_is_reported_with_its_exact_value() {
        // Issue #10.8: `last_year = -1` said "value 0 万元 must not be negative".
        let text = CHAOYANG_2020_DATA_TOML
            .replacen("last_year = \"7332.5万元\"", "last_year = \"-1\"", 1)
            .replacen("donations = \"11500万元\"", "donations = \"-0.5\"", 1);
        assert_ne!(text, CHAOYANG_2020_DATA_TOML);
        let e = PlanData::from_toml(&text).unwrap_err();
        let paths: Vec<&str> = e.errors().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["city.donations", "city.last_year"], "{e}");
        let last = &e.errors()[1];
        assert_eq!(last.code, ErrorCode::NEGATIVE);
        assert_eq!(last.value.as_deref(), Some("-1"));
        assert_eq!(last.message, "value -1 元 must not be negative");
        assert!(e.to_string().contains("-0.5 元"), "{e}");
    }

    #[test]
    fn a_county_name_with_a_line_break_is_refused() {
        // Issue #10.6: "x\n| fake | row |" would add a row to a Markdown report.
        let text = CHAOYANG_2020_DATA_TOML.replacen(
            "name = \"建平县\"",
            "name = \"建平县\\n| fake | row |\"",
            1,
        );
        assert_ne!(text, CHAOYANG_2020_DATA_TOML);
        let e = PlanData::from_toml(&text).unwrap_err();
        let first = &e.errors()[0];
        assert_eq!(first.code, ErrorCode::CONTROL_CHARACTER);
        assert_eq!(first.path, "counties[1].name");
        assert_eq!(first.value.as_deref(), Some("建平县\n| fake | row |"));
    }

    #[test]
    fn a_year_outside_the_calendar_is_refused() {
        for year in ["0", "-2020", "10000"] {
            let text =
                CHAOYANG_2020_DATA_TOML.replacen("year = 2020", &format!("year = {year}"), 1);
            assert_ne!(text, CHAOYANG_2020_DATA_TOML);
            let e = PlanData::from_toml(&text).unwrap_err();
            assert_eq!(
                (e.path(), e.errors()[0].code.clone()),
                ("meta.year", ErrorCode::OUT_OF_RANGE)
            );
        }
        let text = crate::policy::CHAOYANG_2020_TOML.replacen("year = 2020", "year = 0", 1);
        let e = crate::Policy::from_toml(&text).unwrap_err();
        assert_eq!(e.path(), "meta.year");
    }

    #[test]
    fn bad_county_fields_are_named() {
        let text =
            CHAOYANG_2020_DATA_TOML.replacen("kind = \"district\"", "kind = \"township\"", 1);
        let e = PlanData::from_toml(&text).unwrap_err();
        assert_eq!(e.path(), "counties[5].kind");
        assert!(e.to_string().contains("township"), "{e}");

        let text = CHAOYANG_2020_DATA_TOML.replacen(
            "this_year = \"1000万元\"",
            "this_year = \"-1万元\"",
            1,
        );
        let e = PlanData::from_toml(&text).unwrap_err();
        assert_eq!(e.path(), "counties[5].this_year");

        let text = CHAOYANG_2020_DATA_TOML.replacen("name = \"建平县\"", "name = \"朝阳县\"", 1);
        let e = PlanData::from_toml(&text).unwrap_err();
        assert_eq!(e.path(), "counties[1].name");
    }
}
