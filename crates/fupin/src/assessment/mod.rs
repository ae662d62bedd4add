//! Assessment scoring (考核办法): a data-driven scorecard engine and the plan's two scorecards.
//!
//! Clauses: **A** — annex 2, assessment method 一: the bureau's industry poverty-alleviation work,
//! 100 points (annual targets 80, daily responsibility 20) plus a bonus of at most 20
//! (over-completion 1 point per full 10 % beyond 100 %, at most 5; funds won from higher levels,
//! discretionary, at most 10; commendations 0.5 per provincial and 1 per national, at most 2;
//! innovation, discretionary, at most 3). **B** — method 二: village stationing 40 (5/20/5/5/5) and
//! township contracting and pairing 60 (10/10/30/10). Method 四: the one-vote veto (一票否决) —
//! a unit with a serious problem fails whatever its points.
//!
//! A [`Scorecard`] is data (sections of items with maxima, [`BonusRule`]s of three kinds, a cap on
//! the bonus total, optional user-supplied [`GradeBand`]s — the plan defines none), loaded from
//! the [`Policy`](crate::Policy) (`[[assessment.cards]]`) or from a file, and validated: item
//! maxima add up to their section and the sections to the card's total, caps are ≥ 0, ids are
//! unique. [`score`] turns one [`ScoreInput`] into a [`ScoreReport`] that explains every line;
//! [`score_batch`] and [`score_columns`] score many units into columns ([`BatchScores`]) without
//! building any text; [`rank`] orders units on one card (competition ranking, vetoed units last).
//!
//! A unit's whole assessment is [`assess_units`]: each card assessed on its own (各考核项目单独进行
//! 考核) by the bodies the method names ([`Scorecard::assessed_by`]), the one-vote veto on the
//! *unit* (市直部门) failing each of its cards, one ranking per card, and the results' status
//! through the policy's [`ResultStep`]s (汇总 → 市政府常务会议通过 → 市委常委会审定).
//!
//! # Exactness
//! Points are exact decimals ([`Points`]). Inside the scoring kernel they are integers scaled by
//! 10⁴ ([`POINT_SCALE`] places) and completion ratios integers scaled by 10⁸ ([`RATIO_SCALE`]
//! places) — the layout of an Arrow `decimal128` column — so sums and caps are exact integer
//! operations and 0.5-point steps never drift. A point value with more than 4 decimal places is
//! refused with an error naming the item (never rounded). A completion ratio with more than
//! 8 places is rounded *down* to 8 places, which decides every step exactly because each step
//! threshold of a valid card lies on that grid.
//!
//! Nothing is clamped: a score above its item's maximum, a negative score, a discretionary bonus
//! above its cap or an unknown id is a [`ScoreError`] naming the item.
//!
//! # Example
//! ```
//! use fupin::assessment::{score, Points, ScoreInput, BonusInput};
//! use fupin::{Policy, Ratio};
//!
//! let policy = Policy::chaoyang_2020();
//! let a = policy.assessment.card("a").unwrap();
//! let mut input = ScoreInput::new("示例科室");
//! input.items.insert("annual_targets".into(), Points::from(72));
//! input.items.insert("daily_responsibility".into(), Points::from(18));
//! input.bonuses.insert("over_completion".into(), BonusInput::Completion("135%".parse()?));
//! let r = score(a, &input)?;
//! assert_eq!(r.base, Points::from(90));
//! assert_eq!(r.bonus, Points::from(3)); // 3 full steps of 10 % beyond 100 %
//! assert_eq!(r.total, Points::from(93));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod columnar;
mod columns;
mod rank;
pub(crate) mod report;
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Points {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Points".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::decimal(
            generator,
            "A number of points (分), exact.",
            "Reads a decimal string (`\"72.5\"`) or an integer.",
            &["72.5", "3"],
        )
    }
}

#[cfg(test)]
mod tests;
mod unit;

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::check::{ClauseId, Label};
use crate::load::{self, FieldError};
use crate::money::Ratio;

pub use batch::{
    BatchColumns, BatchError, BatchScores, BonusColumn, PreparedCard, ScaledInt, ScoreColumns,
    UnitTotals, score_batch,
};
pub use columns::{score_columns, score_columns_as, score_columns_totals};
pub use rank::{rank, ranking_table};
pub use report::{BonusLine, ItemLine, Outcome, ScoreReport, SectionLine, score};
pub use unit::{
    CardAssessment, CardRanking, CardScores, RankedUnit, ResultStep, StepStatus, UnitAssessment,
    UnitAssessments, UnitInput, UnitsInput, assess_units,
};

/// A unit's place in a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RankEntry {
    /// Index of the unit in the ranked slice.
    pub index: usize,
    /// 1-based rank; tied units share it and the next rank skips (1, 1, 3).
    pub rank: usize,
    /// The unit's total.
    pub total: Points,
    /// Whether the unit is vetoed.
    pub vetoed: bool,
}

/// Decimal places of points inside the scoring kernel: points are integers × 10⁻⁴.
pub const POINT_SCALE: u32 = 4;
/// Decimal places of completion ratios inside the scoring kernel: ratios are integers × 10⁻⁸.
pub const RATIO_SCALE: u32 = 8;
/// The largest point value a card may define (maxima, caps, weights): 10⁹ points.
pub const MAX_CARD_POINTS: i64 = 1_000_000_000;

/// A number of points (分), exact. Serialises as a decimal string (`"0.5"`); reads strings and
/// integers and refuses floats.
///
/// # Example
/// ```
/// use fupin::assessment::Points;
/// let half: Points = "0.5".parse().unwrap();
/// let sum = (0..5).fold(Points::ZERO, |s, _| s + half);
/// assert_eq!(sum, "2.5".parse().unwrap());
/// assert_eq!(sum.to_string(), "2.5");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(Decimal);

impl Points {
    /// No points.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// Points from an exact decimal.
    #[must_use]
    pub const fn new(points: Decimal) -> Self {
        Self(points)
    }

    /// The decimal value.
    #[must_use]
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// Whether the value is below zero.
    #[must_use]
    pub const fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// The value as an integer scaled by 10^[`POINT_SCALE`], or `None` when it has more decimal
    /// places than that (it would have to be rounded).
    #[must_use]
    pub fn to_scaled(self) -> Option<i128> {
        to_scaled_exact(self.0, POINT_SCALE)
    }

    /// Points from an integer scaled by 10^[`POINT_SCALE`] (an Arrow `decimal128(_, 4)` value),
    /// or `None` beyond the decimal range.
    #[must_use]
    pub fn from_scaled(scaled: i128) -> Option<Self> {
        Decimal::try_from_i128_with_scale(scaled, POINT_SCALE)
            .ok()
            .map(|d| Self(d.normalize()))
    }
}

impl From<i64> for Points {
    fn from(v: i64) -> Self {
        Self(Decimal::from(v))
    }
}

impl std::ops::Add for Points {
    type Output = Self;
    /// Exact sum, saturating at the decimal range (±7.9 × 10²⁸) instead of panicking; the
    /// scoring functions add scaled integers with overflow checks instead.
    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl std::str::FromStr for Points {
    type Err = crate::money::MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::money::parse_number(s).map(Self)
    }
}

impl fmt::Display for Points {
    /// The exact value without trailing zeros: `72.5`, `3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::money::serialize_decimal(&self.0.normalize(), s)
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::money::deserialize_decimal(d).map(Self)
    }
}

/// `d` × 10^places as an integer, or `None` if `d` has more places (or is out of range).
pub(crate) fn to_scaled_exact(d: Decimal, places: u32) -> Option<i128> {
    let d = d.normalize();
    let scale = d.scale();
    if scale > places {
        return None;
    }
    d.mantissa()
        .checked_mul(10_i128.checked_pow(places - scale)?)
}

/// `d` × 10^places rounded down (towards −∞) to an integer.
pub(crate) fn to_scaled_floor(d: Decimal, places: u32) -> Option<i128> {
    let d = d.normalize();
    let scale = d.scale();
    if scale <= places {
        return to_scaled_exact(d, places);
    }
    let div = 10_i128.checked_pow(scale - places)?;
    Some(d.mantissa().div_euclid(div))
}

/// The assessment section of the policy: the scorecards by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessmentPolicy {
    /// 考核办法 — the scorecards (for 2020: `a` and `b`).
    pub cards: Vec<Scorecard>,
    /// 结果运用 — the steps the results pass through, in order (汇总 → 市政府常务会议通过 →
    /// 市委常委会审定); see [`assess_units`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result_steps: Vec<ResultStep>,
}

impl AssessmentPolicy {
    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: &str) -> Option<&Scorecard> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Validate every card; the path of an error starts with `prefix` (`assessment`).
    pub(crate) fn validate(&self, prefix: &str) -> Result<(), FieldError> {
        let mut ids = HashSet::new();
        for (i, card) in self.cards.iter().enumerate() {
            let at = format!("{prefix}.cards[{i}]");
            if !ids.insert(card.id.as_str()) {
                return Err(FieldError::new(
                    format!("{at}.id"),
                    format!("card id `{}` appears more than once", card.id),
                ));
            }
            card.validate_at(&at)?;
        }
        let mut steps = HashSet::new();
        for (i, step) in self.result_steps.iter().enumerate() {
            if step.id.trim().is_empty() || !steps.insert(step.id.as_str()) {
                return Err(FieldError::new(
                    format!("{prefix}.result_steps[{i}].id"),
                    format!("step id `{}` is empty or repeated", step.id),
                ));
            }
        }
        Ok(())
    }
}

/// 考核表 — a scorecard: sections of items, bonus rules, optional grade bands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Stable id, e.g. `a`.
    pub id: String,
    /// The clause the card encodes (`A` or `B`).
    pub clause: ClauseId,
    /// Name of the card.
    pub label: Label,
    /// The card's total of base points (100); the sections' maxima add up to it.
    pub total: Points,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// 加分项 — bonus rules and the cap on their total; none for a card without bonus.
    #[serde(default)]
    pub bonus: Bonus,
    /// Grade bands, user-supplied: the plan defines none, so the embedded cards have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<GradeBand>,
    /// The bodies that assess the card (考核方式: card A by the city poverty office; card B
    /// jointly by three bodies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessed_by: Vec<Label>,
}

/// A section of a scorecard (e.g. 驻村扶贫 40).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id, unique in the card.
    pub id: String,
    /// Where in the source, e.g. `考核办法 二(一)`.
    pub source: String,
    /// Name.
    pub label: Label,
    /// The section's points; its items' maxima add up to it.
    pub max: Points,
    /// The items.
    pub items: Vec<Item>,
}

/// An item scored by the assessors, with its maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id, unique in the card: the key of [`ScoreInput::items`].
    pub id: String,
    /// Where in the source, e.g. `考核办法 二(一)1`.
    pub source: String,
    /// Name.
    pub label: Label,
    /// The most points the item can give.
    pub max: Points,
}

/// 加分项 — the bonus rules of a card and the cap on their total (20 on card A).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// Where in the source.
    #[serde(default)]
    pub source: String,
    /// The cap on the sum of the (capped) bonus lines.
    pub cap: Points,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<BonusRule>,
}

/// One bonus line: an id, a cap, and how its raw points are computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BonusRule {
    /// Stable id, unique in the card: the key of [`ScoreInput::bonuses`].
    pub id: String,
    /// Where in the source.
    pub source: String,
    /// Name.
    pub label: Label,
    /// The most points the line can give.
    pub cap: Points,
    /// How the raw points are computed.
    pub rule: BonusKind,
}

/// How a bonus line's raw points are computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BonusKind {
    /// `points` for each full `step` of a completion ratio beyond `base` (超额完成 … 每增加10%加1分).
    /// Input: [`BonusInput::Completion`].
    PerStep {
        /// The completion that earns nothing yet (100 %).
        base: Ratio,
        /// The size of one step (10 %).
        step: Ratio,
        /// Points per full step (1).
        points: Points,
    },
    /// Weighted counts (经验表彰 省级0.5分/次, 国家级1分/次). Input: [`BonusInput::Counts`].
    PerCount {
        /// The kinds that count and their points each.
        weights: Vec<CountWeight>,
    },
    /// Points given by the assessors (酌情加分), from 0 to the cap. Input: [`BonusInput::Points`].
    Discretionary,
}

impl BonusKind {
    /// The kind's name, as in the files.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::PerStep { .. } => "per_step",
            Self::PerCount { .. } => "per_count",
            Self::Discretionary => "discretionary",
        }
    }
}

/// The points of one kind of counted event (a provincial commendation: 0.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountWeight {
    /// Id of the kind, e.g. `provincial`.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Points for each.
    pub points: Points,
}

/// A grade band, user-supplied (the plan defines none): a total of at least `min` earns `label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// Name of the grade, e.g. 优秀.
    pub label: Label,
    /// The least total that earns it.
    pub min: Points,
}

/// Attach a field path, built only on error, to a message.
fn on<T>(r: Result<T, String>, path: impl FnOnce() -> String) -> Result<T, FieldError> {
    r.map_err(|m| FieldError::new(path(), m))
}

fn card_points(p: Points) -> Result<(), String> {
    if p.is_negative() {
        return Err(format!("value {p} must not be negative"));
    }
    if p > Points::from(MAX_CARD_POINTS) {
        return Err(format!(
            "value {p} is above the limit of {MAX_CARD_POINTS} points"
        ));
    }
    if p.to_scaled().is_none() {
        return Err(format!(
            "value {p} has more than {POINT_SCALE} decimal places"
        ));
    }
    Ok(())
}

fn card_ratio(r: Ratio, positive: bool) -> Result<(), String> {
    let f = r.as_fraction();
    if f.is_sign_negative() && !f.is_zero() || positive && f.is_zero() {
        let need = if positive { "above zero" } else { "≥ 0" };
        return Err(format!("value {r} must be {need}"));
    }
    if f > Decimal::from(1_000_000) || to_scaled_exact(f, RATIO_SCALE).is_none() {
        return Err(format!(
            "value {r} must be at most 10⁶ with at most {RATIO_SCALE} decimal places"
        ));
    }
    Ok(())
}

fn sum_points(parts: impl Iterator<Item = Points>, want: Points) -> Result<(), String> {
    // Every part passed `card_points`, so the scaled sum cannot overflow.
    let sum: i128 = parts.filter_map(Points::to_scaled).sum();
    let sum = Points::from_scaled(sum).unwrap_or_default();
    if sum != want {
        return Err(format!(
            "value {want} differs from the sum of its parts, {sum}"
        ));
    }
    Ok(())
}

fn unique_id<'a>(ids: &mut HashSet<&'a str>, id: &'a str) -> Result<(), String> {
    if id.trim().is_empty() {
        Err("an id must not be empty".to_owned())
    } else if !ids.insert(id) {
        Err(format!("id `{id}` appears more than once in the card"))
    } else {
        Ok(())
    }
}

impl Scorecard {
    /// Load and validate a card from TOML (the fields of one `[[assessment.cards]]` entry).
    ///
    /// # Errors
    /// [`ScoreError::InvalidCard`] naming the field path and value.
    ///
    /// # Example
    /// A card of one's own, with grade bands the user supplies (the plan defines none):
    /// ```
    /// use fupin::assessment::{score, Points, ScoreInput, Scorecard};
    /// let card = Scorecard::from_toml(r#"
    ///     id = "mine"
    ///     clause = "B"
    ///     label = { zh = "自定考核", en = "my card" }
    ///     total = "10"
    ///     [[sections]]
    ///     id = "s"
    ///     source = "my rules 1"
    ///     label = { zh = "工作", en = "work" }
    ///     max = "10"
    ///     items = [
    ///         { id = "x", source = "1.1", label = { zh = "甲", en = "x" }, max = "6" },
    ///         { id = "y", source = "1.2", label = { zh = "乙", en = "y" }, max = "4" },
    ///     ]
    ///     [[grades]]
    ///     label = { zh = "好", en = "good" }
    ///     min = "8"
    /// "#)?;
    /// let mut s = ScoreInput::new("unit");
    /// s.items.insert("x".into(), Points::from(5));
    /// s.items.insert("y".into(), "3.5".parse()?);
    /// assert_eq!(score(&card, &s)?.grade.unwrap().en, "good"); // 8.5 ≥ 8
    ///
    /// let bad = Scorecard::from_toml(r#"
    ///     id = "bad"
    ///     clause = "B"
    ///     label = { zh = "坏", en = "bad" }
    ///     total = "10"
    ///     sections = []
    /// "#).unwrap_err();
    /// assert!(bad.to_string().contains("(card).total"), "{bad}"); // 10 ≠ 0
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<Self, ScoreError> {
        let c: Self = load::from_toml(text).map_err(ScoreError::InvalidCard)?;
        c.validate()?;
        Ok(c)
    }

    /// Load and validate a card from JSON.
    ///
    /// # Errors
    /// As [`Scorecard::from_toml`].
    pub fn from_json(text: &str) -> Result<Self, ScoreError> {
        let c: Self = load::from_json(text).map_err(ScoreError::InvalidCard)?;
        c.validate()?;
        Ok(c)
    }

    /// Check the card: ids present and unique (items, sections, bonus lines, count kinds), item
    /// maxima adding up to their section and sections to the total, caps and weights ≥ 0,
    /// per-step `step` > 0, grade bands distinct.
    ///
    /// # Errors
    /// [`ScoreError::InvalidCard`] for the first offending field.
    pub fn validate(&self) -> Result<(), ScoreError> {
        self.validate_at("(card)")
            .map_err(|e| ScoreError::InvalidCard(e.into()))
    }

    fn validate_at(&self, at: &str) -> Result<(), FieldError> {
        // Paths are built only when a check fails, so validating a valid card allocates little.
        let mut ids = HashSet::new();
        on(card_points(self.total), || format!("{at}.total"))?;
        for (s, section) in self.sections.iter().enumerate() {
            let sp = || format!("{at}.sections[{s}]");
            on(unique_id(&mut ids, &section.id), || format!("{}.id", sp()))?;
            on(card_points(section.max), || format!("{}.max", sp()))?;
            for (i, item) in section.items.iter().enumerate() {
                let ip = || format!("{}.items[{i}]", sp());
                on(unique_id(&mut ids, &item.id), || format!("{}.id", ip()))?;
                on(card_points(item.max), || format!("{}.max", ip()))?;
            }
            on(
                sum_points(section.items.iter().map(|i| i.max), section.max),
                || format!("{}.max", sp()),
            )?;
        }
        on(
            sum_points(self.sections.iter().map(|s| s.max), self.total),
            || format!("{at}.total"),
        )?;
        on(card_points(self.bonus.cap), || format!("{at}.bonus.cap"))?;
        for (b, rule) in self.bonus.rules.iter().enumerate() {
            let bp = || format!("{at}.bonus.rules[{b}]");
            on(unique_id(&mut ids, &rule.id), || format!("{}.id", bp()))?;
            on(card_points(rule.cap), || format!("{}.cap", bp()))?;
            match &rule.rule {
                BonusKind::PerStep { base, step, points } => {
                    on(card_ratio(*base, false), || {
                        format!("{}.rule.per_step.base", bp())
                    })?;
                    on(card_ratio(*step, true), || {
                        format!("{}.rule.per_step.step", bp())
                    })?;
                    on(card_points(*points), || {
                        format!("{}.rule.per_step.points", bp())
                    })?;
                }
                BonusKind::PerCount { weights } => {
                    let mut kinds = HashSet::new();
                    for (w, weight) in weights.iter().enumerate() {
                        let wp = || format!("{}.rule.per_count.weights[{w}]", bp());
                        if weight.id.trim().is_empty() || !kinds.insert(weight.id.as_str()) {
                            return Err(FieldError::new(
                                format!("{}.id", wp()),
                                format!("count kind `{}` is empty or repeated", weight.id),
                            ));
                        }
                        on(card_points(weight.points), || format!("{}.points", wp()))?;
                    }
                }
                BonusKind::Discretionary => {}
            }
        }
        let mut mins = HashSet::new();
        for (g, band) in self.grades.iter().enumerate() {
            let gp = || format!("{at}.grades[{g}].min");
            on(card_points(band.min), gp)?;
            if !mins.insert(band.min) {
                return Err(FieldError::new(
                    gp(),
                    format!("two grade bands start at {}", band.min),
                ));
            }
        }
        Ok(())
    }

    /// Every item of every section, in order.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    /// The most a unit can score: total + bonus cap.
    #[must_use]
    pub fn ceiling(&self) -> Points {
        self.total + self.bonus.cap
    }

    /// The card as pretty JSON (exact decimal strings).
    #[must_use]
    #[allow(clippy::expect_used)] // plain data with string keys: JSON can hold it
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scorecard always serialises to JSON")
    }
}

/// One unit's scores on a card, as the assessors give them.
///
/// Every item of the card must have a score; a bonus line without an input earns nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    /// The unit assessed (a section of the bureau, a county).
    pub unit: String,
    /// Points per item id.
    #[serde(default)]
    pub items: BTreeMap<String, Points>,
    /// Input per bonus line id.
    #[serde(default)]
    pub bonuses: BTreeMap<String, BonusInput>,
    /// 一票否决 — set when the unit is vetoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<Veto>,
}

impl ScoreInput {
    /// An empty input for a unit.
    #[must_use]
    pub fn new(unit: impl Into<String>) -> Self {
        Self {
            unit: unit.into(),
            ..Self::default()
        }
    }

    /// Load inputs from JSON: one object or an array of objects.
    ///
    /// # Errors
    /// [`ScoreError::Input`] naming the field path and value.
    pub fn many_from_json(text: &str) -> Result<Vec<Self>, ScoreError> {
        if load::strip_bom(text).trim_start().starts_with('[') {
            load::from_json::<Vec<Self>>(text).map_err(ScoreError::Input)
        } else {
            load::from_json::<Self>(text)
                .map(|one| vec![one])
                .map_err(ScoreError::Input)
        }
    }
}

/// The input of one bonus line; its kind must match the rule's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BonusInput {
    /// For a per-step rule: the completion ratio (`"135%"`).
    Completion(Ratio),
    /// For a per-count rule: how many of each kind (`{"provincial": 3, "national": 1}`).
    Counts(BTreeMap<String, u32>),
    /// For a discretionary rule: the points the assessors give.
    Points(Points),
}

impl BonusInput {
    const fn name(&self) -> &'static str {
        match self {
            Self::Completion(_) => "completion",
            Self::Counts(_) => "counts",
            Self::Points(_) => "points",
        }
    }
}

/// 一票否决 — the one-vote veto: the unit fails whatever its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Veto {
    /// Why (the serious problem found).
    pub reason: String,
}

/// Why a card could not be scored; every variant names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// The card definition is invalid.
    #[error("invalid scorecard: {0}")]
    InvalidCard(crate::FieldErrors),
    /// An input file could not be read.
    #[error("invalid score input: {0}")]
    Input(crate::FieldErrors),
    /// The input scores an item the card does not have.
    #[error("card `{card}` has no item or bonus line `{item}`")]
    UnknownItem {
        /// The card.
        card: String,
        /// The id given.
        item: String,
    },
    /// An item of the card has no score.
    #[error("item `{item}` has no score (every item must be scored, 0 included)")]
    MissingItem {
        /// The item.
        item: String,
    },
    /// A score above the item's maximum (never clamped).
    #[error("item `{item}`: {value} points is above its maximum of {max}")]
    AboveMax {
        /// The item.
        item: String,
        /// The score given.
        value: Points,
        /// The item's maximum.
        max: Points,
    },
    /// A negative score or count.
    #[error("item `{item}`: {value} is negative")]
    Negative {
        /// The item.
        item: String,
        /// The value given.
        value: String,
    },
    /// A discretionary bonus above its cap (never clamped).
    #[error("bonus `{item}`: {value} points is above its cap of {cap}")]
    AboveCap {
        /// The bonus line.
        item: String,
        /// The points given.
        value: Points,
        /// The line's cap.
        cap: Points,
    },
    /// A bonus input of the wrong kind.
    #[error("bonus `{item}` is {expected}: give `{wanted}`, not `{given}`")]
    WrongBonusKind {
        /// The bonus line.
        item: String,
        /// The rule's kind.
        expected: &'static str,
        /// The input the rule needs.
        wanted: &'static str,
        /// The input given.
        given: &'static str,
    },
    /// A count of a kind the per-count rule does not know.
    #[error("bonus `{item}` counts no `{kind}`")]
    UnknownCountKind {
        /// The bonus line.
        item: String,
        /// The kind given.
        kind: String,
    },
    /// A point value with more decimal places than the kernel holds (it would be rounded).
    #[error("item `{item}`: {value} has more than {POINT_SCALE} decimal places")]
    TooPrecise {
        /// The item.
        item: String,
        /// The value given.
        value: Points,
    },
    /// A value too large to score exactly.
    #[error("item `{item}`: the value is too large to score exactly")]
    Overflow {
        /// The item.
        item: String,
    },
    /// Scaled columns of different lengths, or not matching the card.
    #[error("columns do not match the card: {0}")]
    Columns(String),
    /// A unit without a name: results and rankings could not say whose they are.
    #[error("a unit's name is empty: give every unit its name")]
    EmptyUnit,
    /// Two units of one scoring or ranking have the same name.
    #[error("unit `{unit}` appears more than once: each unit is scored and ranked once")]
    DuplicateUnit {
        /// The repeated name.
        unit: String,
    },
    /// A one-vote veto without its reason (the plan vetoes for a serious problem: name it).
    #[error("unit `{unit}`: the veto has no reason — say what serious problem was found")]
    EmptyVetoReason {
        /// The unit.
        unit: String,
    },
    /// A ranking of reports of different cards: each card is assessed and ranked on its own
    /// (各考核项目单独进行考核), and card A's 120 are not card B's 100.
    #[error(
        "cannot rank `{unit}` on card `{other}` with units on card `{card}`: each card is ranked on its own"
    )]
    MixedCards {
        /// The card of the first report.
        card: String,
        /// The first report on another card.
        other: String,
        /// Its unit.
        unit: String,
    },
}

impl ScoreError {
    /// Every problem as a [`FieldError`]: the list of a card or input that could not be read,
    /// or the one problem of a unit's scores, its path naming the item (`items.<id>` or
    /// `bonuses.<id>`).
    #[must_use]
    pub fn field_errors(&self) -> Vec<FieldError> {
        use crate::ErrorCode;
        let (code, value) = match self {
            Self::InvalidCard(list) | Self::Input(list) => return list.to_vec(),
            Self::UnknownItem { item, .. } => (ErrorCode::UNKNOWN_NAME, Some(item.clone())),
            Self::MissingItem { .. } => (ErrorCode::MISSING_FIELD, None),
            Self::AboveMax { value, .. } | Self::AboveCap { value, .. } => {
                (ErrorCode::OUT_OF_RANGE, Some(value.to_string()))
            }
            Self::Negative { value, .. } => (ErrorCode::NEGATIVE, Some(value.clone())),
            Self::WrongBonusKind { given, .. } => (ErrorCode::INVALID, Some((*given).to_owned())),
            Self::UnknownCountKind { kind, .. } => (ErrorCode::UNKNOWN_NAME, Some(kind.clone())),
            Self::TooPrecise { value, .. } => (ErrorCode::OUT_OF_RANGE, Some(value.to_string())),
            Self::Overflow { .. } => (ErrorCode::OVERFLOW, None),
            Self::EmptyUnit => (ErrorCode::EMPTY, Some(String::new())),
            Self::DuplicateUnit { unit } => (ErrorCode::DUPLICATE, Some(unit.clone())),
            // Variants added later report as `invalid` until they get a code of their own.
            #[allow(unreachable_patterns)]
            Self::Columns(_) | _ => (ErrorCode::INVALID, None),
        };
        let path = self.item().map(str::to_owned).unwrap_or_default();
        vec![FieldError::coded(code, path, value, self.to_string())]
    }

    /// The item or bonus id the error is about, if any.
    #[must_use]
    pub fn item(&self) -> Option<&str> {
        match self {
            Self::UnknownItem { item, .. }
            | Self::MissingItem { item }
            | Self::AboveMax { item, .. }
            | Self::Negative { item, .. }
            | Self::AboveCap { item, .. }
            | Self::WrongBonusKind { item, .. }
            | Self::UnknownCountKind { item, .. }
            | Self::TooPrecise { item, .. }
            | Self::Overflow { item } => Some(item),
            Self::InvalidCard(_)
            | Self::Input(_)
            | Self::Columns(_)
            | Self::EmptyUnit
            | Self::DuplicateUnit { .. }
            | Self::EmptyVetoReason { .. }
            | Self::MixedCards { .. } => None,
        }
    }
}
