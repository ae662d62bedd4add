//! Several years: a year's plan data whose last-year figures come from the prior year's data,
//! and the M1c year-end check feeding the next year's allocation.
//!
//! **Last year from the prior year's data.** A data file may say where last year's figures come
//! from with a top-level `last_year_from = "2020"` (the embedded 2020 figures) or a path to the
//! prior year's data file, and leave out the `last_year` fields: the city's last-year input is
//! the prior year's city total (budget + prior-year indicators + donations), each county-level
//! unit's is its prior-year input (matched by name), and upward funds' is the prior year's. A
//! `last_year` written in the file wins. The prior year must be the year before, and a county
//! missing from the prior year must have its own `last_year`. The data's `meta.source` says what
//! was carried over.
//!
//! **M1c year-end check → next year's allocation.** 三(一): 年末对各县（市）区进行考核，将达标结果
//! 作为2021年分配扶贫资金的重要依据 — the plan says the result is a basis for the next year's
//! allocation, not how. [`year_end_weights`] turns each unit's result into a factor on a base
//! weight the user supplies, with user parameters ([`YearEndLink`]; none by default: every unit
//! keeps its base). The weights then go to M4's allocation (`fupin spending allocate --base`),
//! which ties the same funds to the spending bulletin.
//!
//! # Example
//! ```
//! use fupin::years;
//! use fupin::data::PlanData;
//! use fupin::Amount;
//!
//! let text = r#"
//!     last_year_from = "2020"
//!     [meta]
//!     name = "2021 (illustrative)"
//!     year = 2021
//!     [city]
//!     budget = "6000万元"
//!     prior_year_indicators = "8000万元"
//!     donations = "12000万元"
//!     [[counties]]
//!     name = "朝阳县"
//!     kind = "county"
//!     this_year = "3000万元"
//!     [upward]
//!     this_year = "8亿元"
//!     [integration]
//!     integrated = "22亿元"
//!     integrable = "60亿元"
//! "#;
//! assert_eq!(years::prior_reference(text, false)?.as_deref(), Some("2020"));
//! let d = years::with_prior(text, false, Some(&PlanData::chaoyang_2020()))?;
//! assert_eq!(d.city.last_year, Amount::wan(25_500));     // 2020's city total
//! assert_eq!(d.counties[0].last_year, Amount::wan(2_500)); // 朝阳县 in 2020
//! assert_eq!(d.upward.last_year, Amount::wan(75_000)); // 7.5 亿
//! # Ok::<(), fupin::data::DataError>(())
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::data::{DataError, PlanData};
use crate::funds;
use crate::load::FieldError;
use crate::money::{Amount, Lang, MoneyError, Ratio, Unit};
use crate::policy::Policy;
use crate::render::{Align, Table, tr};

/// The top-level key of a data file naming the prior year's data.
pub const LAST_YEAR_FROM: &str = "last_year_from";

fn err(path: impl Into<String>, message: impl Into<String>) -> DataError {
    DataError(FieldError::new(path, message).into())
}

fn parse(text: &str, json: bool) -> Result<Value, DataError> {
    let text = crate::load::strip_bom(text);
    if json {
        crate::load::json_value(text).map_err(|e| DataError(e.into()))
    } else {
        crate::load::strip_bom(text)
            .parse::<toml::Table>()
            .map(|t| crate::overlay::toml_to_json(toml::Value::Table(t)))
            .map_err(|e| {
                err(
                    "(syntax)",
                    e.to_string().lines().next().unwrap_or("").to_owned(),
                )
            })
    }
}

/// The embedded plan data of a year named by `last_year_from` (`"2020"`), if there is one.
#[must_use]
pub fn embedded_data(reference: &str) -> Option<PlanData> {
    (reference.trim() == "2020").then(PlanData::chaoyang_2020)
}

/// Where a data file's last-year figures come from (`last_year_from`), if it says.
///
/// # Errors
/// [`DataError`] for a file that is not TOML (or JSON), or a `last_year_from` that is not text.
pub fn prior_reference(text: &str, json: bool) -> Result<Option<String>, DataError> {
    match parse(text, json)?.get(LAST_YEAR_FROM) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(err(
            LAST_YEAR_FROM,
            format!("`{other}` is neither a year nor a file"),
        )),
    }
}

fn money(a: Amount) -> Value {
    Value::String(a.as_yuan().normalize().to_string())
}

/// Load plan data, filling the `last_year` fields it leaves out from `prior` (see the module
/// docs). Without `last_year_from` the text is read as it is.
///
/// # Errors
/// [`DataError`] naming the field: the prior year is not the year before, `last_year_from` is
/// given without prior data, a county missing from the prior year has no `last_year`, or any
/// error of [`PlanData::from_json`].
pub fn with_prior(text: &str, json: bool, prior: Option<&PlanData>) -> Result<PlanData, DataError> {
    let mut doc = parse(text, json)?;
    let Some(reference) = doc.as_object_mut().and_then(|m| m.remove(LAST_YEAR_FROM)) else {
        return PlanData::from_json(&doc.to_string());
    };
    let Some(prior) = prior else {
        return Err(err(
            LAST_YEAR_FROM,
            format!("`{reference}`: the prior year's data was not given"),
        ));
    };
    let year = doc
        .pointer("/meta/year")
        .and_then(Value::as_i64)
        .ok_or_else(|| err("meta.year", "missing: the year of the figures"))?;
    if i64::from(prior.meta.year) + 1 != year {
        return Err(err(
            LAST_YEAR_FROM,
            format!(
                "the prior data are for {}, not {} (the year before {year})",
                prior.meta.year,
                year - 1
            ),
        ));
    }
    let total = prior.city.total().map_err(|e| err("city", e.to_string()))?;
    let mut carried = Vec::new();
    let mut fill = |slot: Option<&mut Value>, what: String, amount: Amount| {
        if let Some(Value::Object(m)) = slot
            && !m.contains_key("last_year")
        {
            m.insert("last_year".to_owned(), money(amount));
            carried.push(what);
        }
    };
    fill(doc.get_mut("city"), "city".to_owned(), total);
    fill(
        doc.get_mut("upward"),
        "upward".to_owned(),
        prior.upward.this_year,
    );
    if let Some(Value::Array(counties)) = doc.get_mut("counties") {
        for (i, c) in counties.iter_mut().enumerate() {
            let name = c
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let has_own = c.get("last_year").is_some();
            match prior.counties.iter().find(|p| p.name == name) {
                Some(p) => fill(Some(c), name.clone(), p.this_year),
                None if has_own => {}
                None => {
                    return Err(err(
                        format!("counties[{i}].last_year"),
                        format!(
                            "`{name}` is not in the {} data: give its last_year",
                            prior.meta.year
                        ),
                    ));
                }
            }
        }
    }
    if let Some(Value::Object(meta)) = doc.get_mut("meta") {
        let source = meta
            .get("source")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let units = carried.len().saturating_sub(2);
        let what = match (carried.first().map(String::as_str), units) {
            (Some("city"), n) if carried.get(1).map(String::as_str) == Some("upward") => {
                format!("the city, upward funds and {n} county-level units")
            }
            _ => carried.join(", "),
        };
        let note = format!(
            "last-year figures of {what} from the {} data ({})",
            prior.meta.year, prior.meta.name
        );
        let joined = if source.is_empty() {
            note
        } else {
            format!("{source}; {note}")
        };
        meta.insert("source".to_owned(), Value::String(joined));
    }
    PlanData::from_json(&doc.to_string())
}

/// Which rules a unit must meet to pass the year-end check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum YearEndBasis {
    /// The unit's M1c quota (每县(市)2500万元、每区1000万元 — 没有达到投入要求的). The default.
    #[default]
    Quota,
    /// The quota and task 8's growth on last year (no budget adjustment owed).
    QuotaAndGrowth,
}

/// M1c 三(一) 将达标结果作为2021年分配扶贫资金的重要依据 — how the year-end result weighs in the
/// next year's allocation. The plan gives none of these numbers: they are the user's, and by
/// default there is no adjustment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearEndLink {
    /// Which rules count as meeting the standard (达标).
    #[serde(default)]
    pub basis: YearEndBasis,
    /// A unit that met the standard: base × (1 + `reward`), 0 %–1,000 %.
    #[serde(default)]
    pub reward: Ratio,
    /// A unit that did not: base × (1 − `penalty`), 0 %–100 %.
    #[serde(default)]
    pub penalty: Ratio,
}

impl YearEndLink {
    /// Load from TOML (`basis = "quota"`, `reward = "5%"`, `penalty = "10%"`).
    ///
    /// # Errors
    /// [`DataError`] naming the field and value.
    pub fn from_toml(text: &str) -> Result<Self, DataError> {
        let l: Self = crate::load::from_toml(text).map_err(DataError)?;
        l.validated()
    }

    /// Load from JSON (`{"basis": "quota", "reward": "5%", "penalty": "10%"}`), as
    /// [`YearEndLink::from_toml`].
    ///
    /// # Errors
    /// [`DataError`] naming the field and value.
    pub fn from_json(text: &str) -> Result<Self, DataError> {
        let l: Self = crate::load::from_json(text).map_err(DataError)?;
        l.validated()
    }

    fn validated(self) -> Result<Self, DataError> {
        let l = self;
        let mut problems = crate::Problems::new();
        problems.check(crate::validate::ratio_in(
            "reward",
            l.reward,
            Ratio::ZERO,
            Ratio::from_fraction(10.into()),
        ));
        problems.check(crate::validate::ratio_in(
            "penalty",
            l.penalty,
            Ratio::ZERO,
            Ratio::ONE,
        ));
        problems.finish().map_err(DataError)?;
        Ok(l)
    }
}

/// One unit's year-end result and next year's base weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearEndWeight {
    /// The unit.
    pub county: String,
    /// Whether it met its M1c quota.
    pub meets_quota: bool,
    /// Whether it met task 8's growth on last year.
    pub meets_growth: bool,
    /// Whether it met the standard (by the link's basis).
    pub met: bool,
    /// The base weight given.
    pub base: Amount,
    /// `1 + reward`, `1 − penalty`, or 1.
    pub factor: Ratio,
    /// `base × factor`: next year's base weight for the allocation.
    pub weight: Amount,
}

/// The year-end check's weights for next year's allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearEndWeights {
    /// The year checked.
    pub year: i32,
    /// The parameters applied (the defaults: no adjustment).
    pub link: YearEndLink,
    /// One row per unit, in the order of the base weights.
    pub rows: Vec<YearEndWeight>,
}

/// The M1c year-end check of each unit of `data` and the base weights it gives for next year.
///
/// # Errors
/// [`DataError`] naming a unit of `base` that is not in the data (or one of the data missing
/// from `base`); an overflow of the exact arithmetic.
///
/// # Example
/// ```
/// use fupin::years::{year_end_weights, YearEndLink};
/// use fupin::{data::PlanData, Amount, Policy, Ratio};
/// let data = PlanData::chaoyang_2020();
/// let base: Vec<(String, Amount)> = data.counties.iter().map(|c| (c.name.clone(), Amount::wan(1_000))).collect();
/// let link = YearEndLink { penalty: Ratio::percent(10), ..YearEndLink::default() };
/// let w = year_end_weights(&Policy::chaoyang_2020(), &data, &base, &link)?;
/// let kazuo = w.rows.iter().find(|r| r.county == "喀左县").unwrap();
/// assert!(!kazuo.met);                               // 2,300 of its 2,500 万元 quota
/// assert_eq!(kazuo.weight, Amount::wan(900));
/// # Ok::<(), fupin::data::DataError>(())
/// ```
pub fn year_end_weights(
    policy: &Policy,
    data: &PlanData,
    base: &[(String, Amount)],
    link: &YearEndLink,
) -> Result<YearEndWeights, DataError> {
    let overflow = |e: MoneyError| err("base", e.to_string());
    for c in &data.counties {
        if !base.iter().any(|(n, _)| n == &c.name) {
            return Err(err(
                "base",
                format!("`{}` of the data has no base weight", c.name),
            ));
        }
    }
    let mut rows = Vec::with_capacity(base.len());
    for (i, (name, amount)) in base.iter().enumerate() {
        let county = data
            .counties
            .iter()
            .find(|c| &c.name == name)
            .ok_or_else(|| {
                err(
                    format!("base[{i}]"),
                    format!("`{name}` is not a county-level unit of the data"),
                )
            })?;
        let r = funds::assess_county(&policy.funds, county).map_err(overflow)?;
        let met = match link.basis {
            YearEndBasis::Quota => r.meets_quota,
            YearEndBasis::QuotaAndGrowth => r.meets_quota && r.meets_growth,
        };
        let one = rust_decimal::Decimal::ONE;
        let factor = if met {
            one + link.reward.as_fraction()
        } else {
            one - link.penalty.as_fraction()
        };
        rows.push(YearEndWeight {
            county: name.clone(),
            meets_quota: r.meets_quota,
            meets_growth: r.meets_growth,
            met,
            base: *amount,
            factor: Ratio::from_fraction(factor),
            weight: amount.checked_mul(factor).map_err(overflow)?,
        });
    }
    Ok(YearEndWeights {
        year: data.meta.year,
        link: link.clone(),
        rows,
    })
}

impl YearEndWeights {
    /// The weights as a base-weight CSV (`county,base` in yuan) for `fupin spending allocate`.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out = String::from("county,base\n");
        for r in &self.rows {
            out.push_str(&format!(
                "{},{}\n",
                r.county,
                r.weight.as_yuan().normalize()
            ));
        }
        out
    }

    /// The table: unit, quota met, growth met, standard met, base, factor, weight.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        let a = |x: Amount| x.display_in(Unit::Wan, lang).to_string();
        let yes = |b: bool| if b { "✓" } else { "✗" }.to_owned();
        let mut t = Table::new(vec![
            (tr(lang, "县(市)区", "unit"), Align::Left),
            (tr(lang, "定额", "quota"), Align::Left),
            (tr(lang, "增长", "growth"), Align::Left),
            (tr(lang, "达标", "met"), Align::Left),
            (tr(lang, "基数", "base"), Align::Right),
            (tr(lang, "系数", "factor"), Align::Right),
            (tr(lang, "下年基数", "next year's base"), Align::Right),
        ]);
        for r in &self.rows {
            t.row(vec![
                r.county.clone(),
                yes(r.meets_quota),
                yes(r.meets_growth),
                yes(r.met),
                a(r.base),
                r.factor.to_string(),
                a(r.weight),
            ]);
        }
        let l = &self.link;
        let basis = match (l.basis, lang) {
            (YearEndBasis::Quota, Lang::Zh) => "定额",
            (YearEndBasis::Quota, Lang::En) => "the quota",
            (YearEndBasis::QuotaAndGrowth, Lang::Zh) => "定额与增长",
            (YearEndBasis::QuotaAndGrowth, Lang::En) => "the quota and growth",
        };
        let head = match lang {
            Lang::Zh => format!(
                "{}年末县(市)区投入考核（M1c 三(一)），达标结果作为下一年分配依据。参数（用户提供，方案未规定）：达标以{basis}计，达标者奖励 {}，未达标者惩减 {}。\n",
                self.year, l.reward, l.penalty
            ),
            Lang::En => format!(
                "{} year-end check of county input (M1c 三(一)), a basis for next year's allocation. Parameters (user-supplied; the plan gives none): met = {basis}; met +{}, not met −{}.\n",
                self.year, l.reward, l.penalty
            ),
        };
        format!("{head}{}", t.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA_2021: &str = include_str!("../../../examples/chaoyang_2021_data.toml");

    #[test]
    fn a_key_given_twice_in_json_data_is_refused_with_or_without_a_prior_year() {
        let json = r#"{"last_year_from": "2020", "meta": {"year": 2021, "year": 2022}}"#;
        let e = with_prior(json, true, Some(&PlanData::chaoyang_2020())).unwrap_err();
        assert_eq!(e.0.first().code, crate::ErrorCode::DUPLICATE_KEY, "{e}");
        assert_eq!(e.0.first().path, "meta");
        // A byte-order mark is skipped, as by every reader.
        assert!(prior_reference("\u{feff}{\"last_year_from\": \"2020\"}", true).is_ok());
    }

    #[test]
    fn the_2021_example_runs_against_2020_as_last_year() {
        let prior = PlanData::chaoyang_2020();
        assert_eq!(
            prior_reference(DATA_2021, false).unwrap().as_deref(),
            Some("2020")
        );
        let d = with_prior(DATA_2021, false, Some(&prior)).unwrap();
        assert_eq!(d.meta.year, 2021);
        assert_eq!(d.city.last_year, prior.city.total().unwrap());
        assert_eq!(d.upward.last_year, prior.upward.this_year);
        for c in &d.counties {
            let p = prior.counties.iter().find(|p| p.name == c.name).unwrap();
            assert_eq!(c.last_year, p.this_year, "{}", c.name);
        }
        assert!(
            d.meta.source.contains("from the 2020 data"),
            "{}",
            d.meta.source
        );
    }

    #[test]
    fn the_prior_year_must_be_the_year_before_and_cover_every_county() {
        let prior = PlanData::chaoyang_2020();
        let e = with_prior(
            &DATA_2021.replace("year = 2021", "year = 2022"),
            false,
            Some(&prior),
        )
        .unwrap_err();
        assert_eq!(e.path(), LAST_YEAR_FROM);
        let e = with_prior(DATA_2021, false, None).unwrap_err();
        assert_eq!(e.path(), LAST_YEAR_FROM);
        let renamed = DATA_2021.replacen("name = \"朝阳县\"", "name = \"新设区\"", 1);
        let e = with_prior(&renamed, false, Some(&prior)).unwrap_err();
        assert_eq!(e.path(), "counties[0].last_year");
    }

    #[test]
    fn without_link_parameters_every_unit_keeps_its_base() {
        let data = PlanData::chaoyang_2020();
        let base: Vec<(String, Amount)> = data
            .counties
            .iter()
            .map(|c| (c.name.clone(), Amount::wan(100)))
            .collect();
        let w = year_end_weights(
            &Policy::chaoyang_2020(),
            &data,
            &base,
            &YearEndLink::default(),
        )
        .unwrap();
        assert!(w.rows.iter().all(|r| r.weight == r.base));
        let missed: Vec<&str> = w
            .rows
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.county.as_str())
            .collect();
        assert_eq!(missed, ["喀左县"]);
        let strict = YearEndLink {
            basis: YearEndBasis::QuotaAndGrowth,
            reward: Ratio::percent(5),
            ..YearEndLink::default()
        };
        let w = year_end_weights(&Policy::chaoyang_2020(), &data, &base, &strict).unwrap();
        let longcheng = w.rows.iter().find(|r| r.county == "龙城区").unwrap();
        assert!(!longcheng.met, "龙城区 met its quota but not the growth");
        let chaoyang = w.rows.iter().find(|r| r.county == "朝阳县").unwrap();
        assert_eq!(chaoyang.weight, Amount::wan(105));
        assert!(
            w.to_csv().starts_with("county,base\n朝阳县,1050000\n"),
            "{}",
            w.to_csv()
        );
        let short = &base[..6];
        assert!(year_end_weights(&Policy::chaoyang_2020(), &data, short, &strict).is_err());
    }
}
