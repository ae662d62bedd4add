//! The task table (任务分解表): quantitative targets, completion, and the points they earn.
//!
//! Clauses: annex 2 tasks **T2** (≥ 1,000 万元 for 10 minority-nationality poor villages),
//! **T3** (training 3,000 poor labourers, 42 poverty-alleviation factories, 305 public-welfare
//! jobs, 1,961 dilapidated houses; social-assistance standards), **T4** (320 demonstration
//! orchards), **T6** (4 亿 of education funds, 3,000 person-times of training), **T10** (285 km of
//! village roads; village collective economy). Task 8's growth and integration targets are
//! checked by [`crate::funds`] and [`crate::integration`]. The rule checks of T3 and T10, and of
//! **M9** 三(九) (one leading industry per contracted township, one industry base per poor
//! village), are in [`check_rules`] ([`checks`]).
//!
//! Each [`Task`] is policy data: lead unit, target, unit of measure, and a **main-indicator
//! flag** — the note under the table says the bold task names are the city's main indicators,
//! but the bold type is lost in the text, so the flag is a parameter (all `false` in the embedded
//! policy, never a guess).
//!
//! # Completion and the 80 annual-target points (a library default, not the plan's)
//! A task's completion is `actual / target`, rounded **down** to 8 decimal places (exactly, by
//! cross-multiplication). Scorecard A gives 80 points for "completion of annual targets"
//! (考核办法 一(一)) without a formula; this library's default [`AnnualPointsRule`] is:
//! **points = weighted average of the capped completions (min(completion, 100 %)) × the item's
//! maximum (80), rounded down to 2 places**, over all tasks (or the main indicators only), with
//! each task's `weight` (1 by default). The over-completion that feeds card A's per-step bonus
//! ("每增加10%加1分") is by default the weighted average of the *uncapped* completions; the
//! minimum is the other choice. Every figure of this rule is a policy parameter, and every report
//! states the rule it applied.
//!
//! # Example
//! ```
//! use fupin::tasks::{check_tasks, TasksInput};
//! use fupin::Policy;
//!
//! let policy = Policy::chaoyang_2020();
//! let mut input = TasksInput::default();
//! for t in &policy.tasks.tasks {
//!     input.actuals.insert(t.id.clone(), t.target.to_string().into()); // everything exactly met
//! }
//! input.actuals.insert("t3.public_jobs".into(), "366".into()); // 305 × 120 %
//! let r = check_tasks(&policy, &input)?;
//! let annual = r.annual.unwrap();
//! assert_eq!(annual.points.to_string(), "80");
//! assert!(annual.overall_completion > fupin::Ratio::ONE);
//! # Ok::<(), fupin::tasks::TasksError>(())
//! ```

pub mod checks;
pub mod goals;
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Actual {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Actual".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let types = if generator.contract().is_serialize() {
            schemars::json_schema!({"type": "string"})
        } else {
            schemars::json_schema!({"type": ["string", "integer"]})
        };
        let mut s = types;
        s.insert(
            "description".into(),
            "A task's reported figure as given: a number (`\"3150\"`) or an amount \
             (`\"1200万元\"`); read from a string or an integer, never a float."
                .into(),
        );
        s
    }
}

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use crate::assessment::{AssessmentPolicy, BonusInput, Points, ScoreInput};
use crate::check::{Check, ClauseId, Comparison, Label, Value, decimal_str};
use crate::load::{self, FieldError};
use crate::money::{Amount, Lang, MoneyError, Ratio, Unit};
use crate::render::tr;
use crate::render::{Align, Table};

pub use checks::{
    EmploymentBasis, FactoryInput, FactoryPolicy, FactoryUnitInput, PairedTownshipInput,
    PairedVillageInput, PairingPolicy, SocialAssistanceInput, SocialAssistancePolicy,
    TrainingInput, TrainingPolicy, VillageInput, VillagePolicy, check_rules,
};

/// Places of a completion ratio (rounded down).
pub const COMPLETION_PLACES: u32 = 8;

/// Task-table input that cannot be used, or arithmetic that overflowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TasksError {
    /// A field of the input is missing, unknown or out of range; names the field and value.
    #[error("invalid task input: {0}")]
    Input(crate::FieldErrors),
    /// Exact arithmetic overflowed.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl TasksError {
    pub(crate) fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Input(FieldError::new(path, message).into())
    }
}

/// The task-table section of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TasksPolicy {
    /// The quantitative targets of the task table.
    pub tasks: Vec<Task>,
    /// How completions become card A's annual-target points and over-completion (library default).
    pub annual_points: AnnualPointsRule,
    /// T3 social-assistance standards.
    pub social_assistance: SocialAssistancePolicy,
    /// T10 village collective economy.
    pub villages: VillagePolicy,
    /// T3 skills training.
    pub training: TrainingPolicy,
    /// T3 poverty-alleviation factories.
    pub factories: FactoryPolicy,
    /// M9 contracted townships and their poor villages.
    pub pairing: PairingPolicy,
}

/// One quantitative target of the task table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Stable id, e.g. `t3.training`: the key of [`TasksInput::actuals`].
    pub id: String,
    /// The task's clause (`T2` … `T10`).
    pub clause: ClauseId,
    /// 扶贫项目名称 — the project's name.
    pub label: Label,
    /// 牵头科室 — the lead unit.
    pub lead_unit: Label,
    /// The target.
    pub target: Target,
    /// Whether the task is one of the city's main assessment indicators (bold in the original;
    /// the bold type is lost, so this is a parameter).
    #[serde(default)]
    pub main_indicator: bool,
    /// Weight in the annual-target points (1 unless set).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(default = "one", with = "decimal_str")]
    pub weight: Decimal,
    /// The years a cumulative target covers (T4: 三年行动计划（2018至2020年）320个): the actual
    /// must then be the cumulative figure over these years, and every report says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative: Option<YearSpan>,
}

/// The years a cumulative target covers, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearSpan {
    /// The first year.
    pub from: i32,
    /// The last year.
    pub to: i32,
}

impl YearSpan {
    /// What the figure is, in words.
    #[must_use]
    pub fn label(self) -> Label {
        Label {
            zh: Cow::Owned(format!(
                "{}至{}年累计目标：实际数须为{}年以来的累计完成数",
                self.from, self.to, self.from
            )),
            en: Cow::Owned(format!(
                "cumulative target {}–{}: the actual must be the cumulative figure since {}",
                self.from, self.to, self.from
            )),
        }
    }
}

fn one() -> Decimal {
    Decimal::ONE
}

/// A target: an amount of money or a count of something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Money, e.g. 1,000 万元.
    Amount(Amount),
    /// A count in a unit of measure, e.g. 3,000 people.
    Count {
        /// How many.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
        #[serde(with = "decimal_str")]
        value: Decimal,
        /// Of what.
        unit: Measure,
    },
}

impl Target {
    /// The target as a number (yuan for money).
    #[must_use]
    pub const fn value(&self) -> Decimal {
        match self {
            Self::Amount(a) => a.as_yuan(),
            Self::Count { value, .. } => *value,
        }
    }

    /// Text of a value of this target's kind in a language.
    #[must_use]
    pub fn display(&self, v: Decimal, lang: Lang) -> String {
        match self {
            Self::Amount(_) => Amount::from_yuan(v).display_in(Unit::Wan, lang).to_string(),
            Self::Count { unit, .. } => format!("{} {}", v.normalize(), unit.label(lang)),
        }
    }
}

impl fmt::Display for Target {
    /// The target as input text: `1000万元`, `3000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Amount(a) => write!(f, "{}万元", a.in_units(Unit::Wan).normalize()),
            Self::Count { value, .. } => write!(f, "{}", value.normalize()),
        }
    }
}

/// Unit of measure of a counted target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 人 — people.
    People,
    /// 人次 — person-times.
    PersonTimes,
    /// 家 — factories.
    Factories,
    /// 个 — jobs (岗位).
    Jobs,
    /// 户 — households.
    Households,
    /// 个 — orchards (果园).
    Orchards,
    /// 个 — villages.
    Villages,
    /// 公里 — kilometres.
    Kilometres,
}

impl Measure {
    /// Whether the measure counts whole things (people, factories, …): every measure but
    /// kilometres. A figure of `3150.5` trainees is refused.
    #[must_use]
    pub const fn is_whole(self) -> bool {
        !matches!(self, Self::Kilometres)
    }

    /// The unit's name in a language.
    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::People, Lang::Zh) => "人",
            (Self::PersonTimes, Lang::Zh) => "人次",
            (Self::Factories, Lang::Zh) => "家",
            (Self::Jobs | Self::Orchards | Self::Villages, Lang::Zh) => "个",
            (Self::Households, Lang::Zh) => "户",
            (Self::Kilometres, Lang::Zh) => "公里",
            (Self::People, Lang::En) => "people",
            (Self::PersonTimes, Lang::En) => "person-times",
            (Self::Factories, Lang::En) => "factories",
            (Self::Jobs, Lang::En) => "jobs",
            (Self::Households, Lang::En) => "households",
            (Self::Orchards, Lang::En) => "orchards",
            (Self::Villages, Lang::En) => "villages",
            (Self::Kilometres, Lang::En) => "km",
        }
    }
}

/// Which tasks the annual-target points are computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Every task of the table.
    #[default]
    AllTasks,
    /// Only tasks flagged `main_indicator`.
    MainIndicators,
}

/// How the over-completion fed to card A's per-step bonus (超额完成 … 每增加10%加1分) is taken
/// from the tasks. The plan gives no formula; every choice is the library's and is stated in
/// every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OverCompletion {
    /// The default: over-completion presupposes completion. When any counted task is below
    /// 100 %, the measure is the lowest completion (so no bonus step is earned, and one task's
    /// excess cannot hide another's shortfall); when every counted task is complete, it is the
    /// weighted average of the completions.
    #[default]
    WeightedMeanIfAllComplete,
    /// The weighted average of the uncapped completions, whether or not every task is
    /// complete: a large excess on one task can make up for shortfalls on others.
    WeightedMean,
    /// The lowest completion: every task must be over-completed for a step to count.
    Minimum,
}

/// The rule deriving card A's annual-target points and over-completion from task completions.
/// The plan gives no formula: this rule and its defaults are the library's, stated in every
/// report (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnnualPointsRule {
    /// The scorecard fed (`a`).
    pub card: String,
    /// The item the points go to (`annual_targets`); its maximum (80) scales the points.
    pub item: String,
    /// The per-step bonus line the over-completion goes to (`over_completion`).
    pub bonus: String,
    /// Which tasks count.
    #[serde(default)]
    pub basis: Basis,
    /// How the over-completion is aggregated.
    #[serde(default)]
    pub over_completion: OverCompletion,
    /// Decimal places of the points, rounded down (2).
    pub places: u32,
    /// The document whose industry tasks the card's annual-target points assess, when the plan
    /// refers them elsewhere (考核办法 一(一): 根据《聚焦重点补齐短板决胜2020年脱贫攻坚实施意见》中
    /// 明确的行业扶贫重点工作). Deriving the points from this task table is then the library's
    /// choice, and every report says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<String>,
}

/// Read a task's actual figure: a string (`"1200万元"`, `"3150"`) or an integer; floats refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Actual(pub String);

impl From<&str> for Actual {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Actual {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl<'de> Deserialize<'de> for Actual {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Actual;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a figure as a string such as \"3150\" or \"1200万元\", or an integer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Actual, E> {
                Ok(Actual(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Actual, E> {
                Ok(Actual(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Actual, E> {
                Ok(Actual(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Actual, E> {
                Err(E::custom(MoneyError::Float {
                    value: v.to_string(),
                }))
            }
        }
        d.deserialize_any(V)
    }
}

/// The figures a unit reports against the task table and its rules. Every part is optional:
/// only what is given is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TasksInput {
    /// What these figures are.
    #[serde(default)]
    pub name: String,
    /// Whether the figures are illustrative (not real); reports say so.
    #[serde(default)]
    pub illustrative: bool,
    /// Actual figure per task id, in the task's unit (`"1200万元"`, `"3150"`). When any is given,
    /// every task the annual points count must be given.
    #[serde(default)]
    pub actuals: BTreeMap<String, Actual>,
    /// T3 social-assistance standards, per subject (city or county).
    #[serde(default)]
    pub social_assistance: Vec<SocialAssistanceInput>,
    /// T10 poor villages' collective economy.
    #[serde(default)]
    pub villages: Vec<VillageInput>,
    /// T3 skills training.
    #[serde(default)]
    pub training: Option<TrainingInput>,
    /// T3 factories per county-level unit.
    #[serde(default)]
    pub factories: Vec<FactoryUnitInput>,
    /// M9 the townships the bureau contracts, with their poor villages.
    #[serde(default)]
    pub pairing: Vec<PairedTownshipInput>,
    /// The plan's goals (P, M0, T3, T6; see [`crate::goals`]), per goal id.
    #[serde(default)]
    pub goals: BTreeMap<String, goals::GoalInput>,
}

impl TasksInput {
    /// Load from JSON.
    ///
    /// # Errors
    /// [`TasksError::Input`] naming the field path and value.
    pub fn from_json(text: &str) -> Result<Self, TasksError> {
        load::from_json(text).map_err(TasksError::Input)
    }

    /// Load from TOML.
    ///
    /// # Errors
    /// [`TasksError::Input`] naming the field path and value.
    pub fn from_toml(text: &str) -> Result<Self, TasksError> {
        load::from_toml(text).map_err(TasksError::Input)
    }
}

/// One task's completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskResult {
    /// The task's id.
    pub id: String,
    /// Its clause.
    pub clause: ClauseId,
    /// Its name.
    pub label: Label,
    /// Its lead unit.
    pub lead_unit: Label,
    /// Whether it is a main indicator.
    pub main_indicator: bool,
    /// Its weight in the annual points.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "decimal_str")]
    pub weight: Decimal,
    /// The target.
    pub target: Target,
    /// The actual figure, in the target's unit (yuan for money).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "decimal_str")]
    pub actual: Decimal,
    /// `actual / target`, rounded down to 8 places.
    pub completion: Ratio,
    /// Whether the target is met (`actual ≥ target`).
    pub met: bool,
    /// The years a cumulative target covers (the actual is cumulative over them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative: Option<YearSpan>,
}

impl TaskResult {
    /// The task's target as a check (T2–T10): a missed target is a failed check with its clause.
    /// The check's id is `<clause>.target` (`T3.target`) and its subject the task's id.
    #[must_use]
    pub fn check(&self) -> Check {
        let value = |v: Decimal| match self.target {
            Target::Amount(_) => Value::Amount(Amount::from_yuan(v)),
            Target::Count { .. } => Value::Number(v),
        };
        let target = self.target.value();
        let check = Check::new(
            format!("{}.target", self.clause),
            self.clause,
            Label {
                zh: Cow::Owned(format!("完成任务目标：{}", self.label.zh)),
                en: Cow::Owned(format!("task target met: {}", self.label.en)),
            },
            value(self.actual),
            Comparison::AtLeast,
            value(target),
            self.met,
            Some(value(target - self.actual.min(target))),
        )
        .about(self.id.clone());
        match self.cumulative {
            Some(span) => check.with_note(span.label()),
            None => check,
        }
    }
}

/// Card A's annual-target points and over-completion, derived by the [`AnnualPointsRule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnnualPoints {
    /// The card fed.
    pub card: String,
    /// The item the points go to.
    pub item: String,
    /// The bonus line the over-completion goes to.
    pub bonus: String,
    /// The item's maximum (80).
    pub max: Points,
    /// Weighted average of min(completion, 100 %), rounded down to 8 places.
    pub mean_capped_completion: Ratio,
    /// The points: mean capped completion × max, rounded down to the rule's places.
    pub points: Points,
    /// The over-completion measure fed to the per-step bonus.
    pub overall_completion: Ratio,
    /// How many tasks counted.
    pub tasks_counted: usize,
    /// The counted tasks below 100 %: under the default rule, any of them means no
    /// over-completion.
    #[serde(default)]
    pub incomplete: Vec<String>,
    /// The rule applied, in words.
    pub rule: Label,
}

impl AnnualPoints {
    /// Put the points and the over-completion into a card-A input.
    ///
    /// # Example
    /// ```
    /// use fupin::assessment::{score, Points, ScoreInput};
    /// use fupin::tasks::{check_tasks, TasksInput};
    /// let policy = fupin::Policy::chaoyang_2020();
    /// let mut figures = TasksInput::default();
    /// for t in &policy.tasks.tasks {
    ///     figures.actuals.insert(t.id.clone(), t.target.to_string().into());
    /// }
    /// figures.actuals.insert("t10.roads".into(), "1140".into()); // 400 %
    /// let annual = check_tasks(&policy, &figures).unwrap().annual.unwrap();
    /// let mut unit = ScoreInput::new("市财政局");
    /// unit.items.insert("daily_responsibility".into(), Points::from(20));
    /// annual.apply_to(&mut unit);
    /// let r = score(policy.assessment.card("a").unwrap(), &unit).unwrap();
    /// assert_eq!(r.items[0].points, Points::from(80));
    /// assert_eq!(r.bonus_lines[0].capped, Points::from(3)); // mean completion 130 %
    /// ```
    pub fn apply_to(&self, input: &mut ScoreInput) {
        input.items.insert(self.item.clone(), self.points);
        input.bonuses.insert(
            self.bonus.clone(),
            BonusInput::Completion(self.overall_completion),
        );
    }
}

/// Everything the task table says about one set of figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TasksReport {
    /// The input's name.
    pub name: String,
    /// Whether the figures are illustrative.
    pub illustrative: bool,
    /// Each task with an actual figure, in table order.
    pub tasks: Vec<TaskResult>,
    /// Card A's annual points, when actuals were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual: Option<AnnualPoints>,
    /// The rule checks of T3 and T10.
    pub checks: Vec<Check>,
}

/// `floor(num / den)` to `places` decimal places, exactly (den > 0), in integer arithmetic:
/// with `num = a·10⁻ˢ` and `den = b·10⁻ᵗ`, the result is `⌊a·10^(t+places) / (b·10ˢ)⌋ · 10^-places`.
/// No loop, so no input can make it spin; a quotient beyond the decimal range is an error.
pub(crate) fn floor_div(num: Decimal, den: Decimal, places: u32) -> Result<Decimal, MoneyError> {
    let overflow = || MoneyError::Overflow { op: "division" };
    let pow = |e: u32| 10_i128.checked_pow(e).ok_or_else(overflow);
    let n = num
        .mantissa()
        .checked_mul(pow(den
            .scale()
            .checked_add(places)
            .ok_or_else(overflow)?)?)
        .ok_or_else(overflow)?;
    let d = den
        .mantissa()
        .checked_mul(pow(num.scale())?)
        .ok_or_else(overflow)?;
    if d <= 0 {
        return Err(overflow());
    }
    let q = n.div_euclid(d);
    Decimal::try_from_i128_with_scale(q, places)
        .map(|d| d.normalize())
        .map_err(|_| overflow())
}

/// The largest completion a task may report: 1,000,000 times its target (10⁸ %). A figure above
/// it is a typing error, not an achievement, and would leave the exact range of the scoring
/// kernel (see [`crate::assessment::RATIO_SCALE`]).
pub const MAX_COMPLETION: u32 = 1_000_000;

fn parse_actual(task: &Task, text: &str) -> Result<Decimal, TasksError> {
    let path = format!("actuals.{}", task.id);
    let v = match task.target {
        Target::Amount(_) => text.parse::<Amount>().map(Amount::as_yuan),
        Target::Count { .. } => crate::money::parse_number(text),
    }
    .map_err(|e| TasksError::at(&path, e.to_string()))?;
    if v.is_sign_negative() && !v.is_zero() {
        return Err(TasksError::at(
            path,
            format!("value {text} must not be negative"),
        ));
    }
    if let Target::Count { unit, .. } = task.target
        && unit.is_whole()
        && !v.fract().is_zero()
    {
        return Err(TasksError::at(
            path,
            format!(
                "value {text} is not a whole number of {}",
                unit.label(Lang::En)
            ),
        ));
    }
    let limit = task
        .target
        .value()
        .checked_mul(Decimal::from(MAX_COMPLETION))
        .unwrap_or(Decimal::MAX);
    if v > limit {
        return Err(TasksError::at(
            path,
            format!(
                "value {text} is more than {MAX_COMPLETION} times the target {}: check the figure and its unit",
                task.target
            ),
        ));
    }
    Ok(v)
}

/// The completion of every task with an actual figure.
///
/// # Errors
/// [`TasksError::Input`] for an unknown task id, or a figure that is not a number (or amount),
/// or negative.
pub fn completions(
    policy: &TasksPolicy,
    input: &TasksInput,
) -> Result<Vec<TaskResult>, TasksError> {
    for id in input.actuals.keys() {
        if !policy.tasks.iter().any(|t| &t.id == id) {
            return Err(TasksError::at(
                format!("actuals.{id}"),
                format!("no task `{id}` in the task table"),
            ));
        }
    }
    let mut out = Vec::new();
    for task in &policy.tasks {
        let Some(text) = input.actuals.get(&task.id) else {
            continue;
        };
        let actual = parse_actual(task, &text.0)?;
        let target = task.target.value();
        out.push(TaskResult {
            id: task.id.clone(),
            clause: task.clause,
            label: task.label.clone(),
            lead_unit: task.lead_unit.clone(),
            main_indicator: task.main_indicator,
            weight: task.weight,
            target: task.target,
            actual,
            completion: Ratio::from_fraction(floor_div(actual, target, COMPLETION_PLACES)?),
            met: actual >= target,
            cumulative: task.cumulative,
        });
    }
    Ok(out)
}

/// Derive card A's annual points and over-completion from the task results.
///
/// # Errors
/// [`TasksError::Input`] when a task the rule counts has no actual figure, or the card or item
/// of the rule is missing; [`TasksError::Money`] on overflow.
pub fn annual_points(
    policy: &TasksPolicy,
    cards: &AssessmentPolicy,
    results: &[TaskResult],
) -> Result<AnnualPoints, TasksError> {
    let rule = &policy.annual_points;
    let max = cards
        .card(&rule.card)
        .and_then(|c| c.items().find(|(_, i)| i.id == rule.item))
        .map(|(_, i)| i.max)
        .ok_or_else(|| {
            TasksError::at(
                "tasks.annual_points.item",
                format!("card `{}` has no item `{}`", rule.card, rule.item),
            )
        })?;
    let counted: Vec<&Task> = policy
        .tasks
        .iter()
        .filter(|t| rule.basis == Basis::AllTasks || t.main_indicator)
        .collect();
    let overflow = || MoneyError::Overflow {
        op: "annual points",
    };
    let (mut w_sum, mut w_capped, mut w_done) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut minimum: Option<Decimal> = None;
    let mut incomplete = Vec::new();
    for task in &counted {
        let r = results.iter().find(|r| r.id == task.id).ok_or_else(|| {
            TasksError::at(
                format!("actuals.{}", task.id),
                "missing: the annual points count this task, so it needs an actual figure",
            )
        })?;
        let c = r.completion.as_fraction();
        w_sum = w_sum.checked_add(task.weight).ok_or_else(overflow)?;
        let wc = task
            .weight
            .checked_mul(c.min(Decimal::ONE))
            .ok_or_else(overflow)?;
        w_capped = w_capped.checked_add(wc).ok_or_else(overflow)?;
        let wd = task.weight.checked_mul(c).ok_or_else(overflow)?;
        w_done = w_done.checked_add(wd).ok_or_else(overflow)?;
        minimum = Some(minimum.map_or(c, |m| m.min(c)));
        if !r.met {
            incomplete.push(task.id.clone());
        }
    }
    if w_sum <= Decimal::ZERO {
        return Err(TasksError::at(
            "tasks.annual_points.basis",
            "no task with a positive weight is counted",
        ));
    }
    let scaled = w_capped.checked_mul(max.value()).ok_or_else(overflow)?;
    let points = Points::new(floor_div(scaled, w_sum, rule.places)?);
    let lowest = minimum.unwrap_or_default();
    let overall = match rule.over_completion {
        OverCompletion::WeightedMeanIfAllComplete if !incomplete.is_empty() => lowest,
        OverCompletion::WeightedMeanIfAllComplete | OverCompletion::WeightedMean => {
            floor_div(w_done, w_sum, COMPLETION_PLACES)?
        }
        OverCompletion::Minimum => lowest,
    };
    Ok(AnnualPoints {
        card: rule.card.clone(),
        item: rule.item.clone(),
        bonus: rule.bonus.clone(),
        max,
        mean_capped_completion: Ratio::from_fraction(floor_div(
            w_capped,
            w_sum,
            COMPLETION_PLACES,
        )?),
        points,
        overall_completion: Ratio::from_fraction(overall),
        tasks_counted: counted.len(),
        incomplete,
        rule: rule.describe(max),
    })
}

impl AnnualPointsRule {
    /// The rule in words, as every report states it: the points formula, the over-completion
    /// measure, and — when the plan refers the points to another document — that deriving them
    /// from this task table is the library's choice.
    #[must_use]
    pub fn describe(&self, max: Points) -> Label {
        let (basis_zh, basis_en) = match self.basis {
            Basis::AllTasks => ("全部任务", "all tasks"),
            Basis::MainIndicators => ("主要考核指标", "main indicators"),
        };
        let (over_zh, over_en) = match self.over_completion {
            OverCompletion::WeightedMeanIfAllComplete => (
                "超额完成以完成为前提：任一计入任务未完成（低于100%）则不计超额、按最低完成率计；全部完成时按完成率加权平均计",
                "over-completion presupposes completion: if any counted task is below 100% there is no over-completion (the lowest completion is used); when all are complete, the weighted mean of completions",
            ),
            OverCompletion::WeightedMean => (
                "超额完成按完成率（不封顶）加权平均计，一项超额可抵补他项未完成",
                "over-completion is the weighted mean of uncapped completions, so one task's excess can make up for another's shortfall",
            ),
            OverCompletion::Minimum => (
                "超额完成按最低完成率计",
                "over-completion is the lowest completion",
            ),
        };
        let default = self.over_completion == OverCompletion::default();
        let (which_zh, which_en) = if default {
            ("本库默认规则", "library default rule")
        } else {
            (
                "本库规则（政策文件所选）",
                "library rule (chosen in the policy)",
            )
        };
        let (source_zh, source_en) = match &self.refers_to {
            Some(doc) => (
                format!(
                    "方案规定该{max}分考核{doc}中明确的行业扶贫重点工作；由本任务分解表推导是本库的选择，非方案规定。"
                ),
                format!(
                    "The plan assesses these {max} points on the industry tasks named in {doc}; deriving them from this task table is the library's choice, not the plan's. "
                ),
            ),
            None => (String::new(), String::new()),
        };
        Label {
            zh: Cow::Owned(format!(
                "{source_zh}{which_zh}（方案未规定计分公式）：{basis_zh}完成率（封顶100%）加权平均 × {max} 分，保留 {} 位小数向下取整；{over_zh}",
                self.places
            )),
            en: Cow::Owned(format!(
                "{source_en}{which_en} (the plan gives no formula): weighted average over {basis_en} of completions capped at 100% × {max} points, rounded down to {} places; {over_en}",
                self.places
            )),
        }
    }
}

/// The sections of a policy the task table is checked against: its tasks and rule checks
/// (`[tasks]`), the scorecards whose rules score completion (`[assessment]`), its goals
/// (`[[goals]]`) and the plan's words shown with each check (`[[plan_text]]`). A whole policy
/// gives them (`check_tasks(&policy, …)`).
#[derive(Debug, Clone, Copy)]
pub struct TasksSections<'a> {
    /// Tasks, targets and rule checks.
    pub tasks: &'a TasksPolicy,
    /// The scorecards (card A's annual points).
    pub assessment: &'a AssessmentPolicy,
    /// The plan's goals (P, M0, T3, T6).
    pub goals: &'a [goals::Goal],
    /// The plan's words, per clause or check.
    pub plan_text: &'a [crate::check::PlanText],
}

/// Completions, card A's annual points (when actuals are given) and the rule checks.
///
/// # Errors
/// As [`completions`], [`annual_points`] and [`check_rules`].
pub fn check_tasks<'a>(
    policy: impl Into<TasksSections<'a>>,
    input: &TasksInput,
) -> Result<TasksReport, TasksError> {
    let policy = policy.into();
    let tasks = completions(policy.tasks, input)?;
    let annual = if input.actuals.is_empty() {
        None
    } else {
        Some(annual_points(policy.tasks, policy.assessment, &tasks)?)
    };
    let mut checks: Vec<Check> = tasks.iter().map(TaskResult::check).collect();
    checks.extend(check_rules(policy.tasks, input)?);
    checks.extend(goals::check_goals(policy.goals, &input.goals)?);
    crate::check::explain(policy.plan_text, &mut checks);
    if input.illustrative {
        let note = Label::new(
            "示例数据，非实际数字",
            "illustrative figures, not real ones",
        );
        checks = checks
            .into_iter()
            .map(|c| c.add_note(note.clone()))
            .collect();
    }
    Ok(TasksReport {
        name: input.name.clone(),
        illustrative: input.illustrative,
        tasks,
        annual,
        checks,
    })
}

impl TasksReport {
    /// Whether every check passed: each task's target (T2–T10, a missed target fails) and every
    /// rule check.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// The report as plain text: task completions, annual points with their rule, checks.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "")
    }

    /// The report as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ")
    }

    /// The report as HTML (paragraphs and tables), e.g. for a notebook.
    #[must_use]
    pub fn to_html(&self, lang: Lang) -> String {
        crate::render::html_blocks(&self.render(lang, Table::to_html, ""), "fupin-tasks")
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let mut out = String::new();
        if !self.name.is_empty() {
            out.push_str(&format!("{}\n", self.name));
        }
        if self.illustrative {
            out.push_str(&format!(
                "⚠ {}\n",
                tr(
                    lang,
                    "示例数据，非实际数字",
                    "illustrative figures, not real ones"
                )
            ));
        }
        if !self.tasks.is_empty() {
            out.push_str(&format!(
                "\n{}\n",
                tr(lang, "任务完成情况", "Task completion")
            ));
            let mut t = Table::new(vec![
                (tr(lang, "条款", "clause"), Align::Left),
                (tr(lang, "任务", "task"), Align::Left),
                (tr(lang, "牵头科室", "lead unit"), Align::Left),
                (tr(lang, "主要指标", "main"), Align::Left),
                (tr(lang, "目标", "target"), Align::Right),
                (tr(lang, "实际", "actual"), Align::Right),
                (tr(lang, "完成率", "completion"), Align::Right),
            ]);
            for r in &self.tasks {
                t.row(vec![
                    format!("{} {}", r.clause, r.clause.section()),
                    r.label.get(lang).to_owned(),
                    r.lead_unit.get(lang).to_owned(),
                    if r.main_indicator { "★" } else { "" }.to_owned(),
                    match r.cumulative {
                        Some(span) => format!(
                            "{} ({}–{} {})",
                            r.target.display(r.target.value(), lang),
                            span.from,
                            span.to,
                            tr(lang, "累计", "cumulative")
                        ),
                        None => r.target.display(r.target.value(), lang),
                    },
                    r.target.display(r.actual, lang),
                    r.completion.to_string(),
                ]);
            }
            out.push_str(&table(&t));
        }
        if let Some(a) = &self.annual {
            let no_bonus = if a.overall_completion < Ratio::ONE {
                tr(
                    lang,
                    "（未达100%，无超额完成加分）",
                    " (below 100%: no over-completion bonus)",
                )
            } else {
                ""
            };
            out.push_str(&format!(
                "\n{} ({} {} · {}): {} / {}; {}: {}{no_bonus}\n  {}\n",
                tr(lang, "年度目标任务得分", "annual-target points"),
                tr(lang, "考核表", "card"),
                a.card,
                a.item,
                a.points,
                a.max,
                tr(
                    lang,
                    "超额完成计算用完成率",
                    "completion for the over-completion bonus"
                ),
                a.overall_completion,
                a.rule.get(lang)
            ));
            if !a.incomplete.is_empty() {
                out.push_str(&format!(
                    "  {}: {}\n",
                    tr(lang, "未完成的任务", "tasks below 100%"),
                    a.incomplete.join(", ")
                ));
            }
        }
        if !self.checks.is_empty() {
            out.push_str(&format!("\n{h}{}\n", tr(lang, "检查", "Checks")));
            out.push_str(&table(&crate::check::checks_table(&self.checks, lang)));
            let failed = self.checks.iter().filter(|c| !c.passed).count();
            out.push_str(&match lang {
                Lang::Zh => format!(
                    "共 {} 项检查：{} 项通过，{} 项未通过。\n",
                    self.checks.len(),
                    self.checks.len() - failed,
                    failed
                ),
                Lang::En => format!(
                    "{} checks: {} passed, {} failed.\n",
                    self.checks.len(),
                    self.checks.len() - failed,
                    failed
                ),
            });
        }
        out
    }
}

impl TasksPolicy {
    /// The city's number of new factories: the target of the task `factories.task` refers to
    /// (T3 全市新建扶贫工厂42家). `None` if that task is missing or not a whole count of
    /// factories (a validated policy always has it).
    #[must_use]
    pub fn factories_target(&self) -> Option<u64> {
        let task = self.tasks.iter().find(|t| t.id == self.factories.task)?;
        match task.target {
            Target::Count {
                value,
                unit: Measure::Factories,
            } if value.fract().is_zero() => u64::try_from(value).ok(),
            _ => None,
        }
    }

    /// Validate the section; paths start with `prefix` (`tasks`).
    pub(crate) fn validate(
        &self,
        prefix: &str,
        cards: &AssessmentPolicy,
    ) -> Result<(), FieldError> {
        let mut ids = HashSet::new();
        for (i, t) in self.tasks.iter().enumerate() {
            let at = |f: &str| format!("{prefix}.tasks[{i}].{f}");
            if t.id.trim().is_empty() || !ids.insert(t.id.as_str()) {
                return Err(FieldError::new(
                    at("id"),
                    format!("task id `{}` is empty or repeated", t.id),
                ));
            }
            if t.target.value() <= Decimal::ZERO {
                return Err(FieldError::new(
                    at("target"),
                    format!("target {} must be above zero", t.target),
                ));
            }
            if let Some(span) = t.cumulative
                && span.from > span.to
            {
                return Err(FieldError::new(
                    at("cumulative"),
                    format!(
                        "the span starts in {}, after its end {}",
                        span.from, span.to
                    ),
                ));
            }
            if let Target::Count { value, unit } = t.target
                && unit.is_whole()
                && !value.fract().is_zero()
            {
                return Err(FieldError::new(
                    at("target"),
                    format!(
                        "target {value} is not a whole number of {}",
                        unit.label(Lang::En)
                    ),
                ));
            }
            if t.weight.is_sign_negative() && !t.weight.is_zero() || t.weight.scale() > 4 {
                return Err(FieldError::new(
                    at("weight"),
                    format!(
                        "weight {} must be ≥ 0 with at most 4 decimal places",
                        t.weight
                    ),
                ));
            }
        }
        let r = &self.annual_points;
        let ap = |f: &str| format!("{prefix}.annual_points.{f}");
        if r.places > COMPLETION_PLACES {
            return Err(FieldError::new(
                ap("places"),
                format!("value {} is above {COMPLETION_PLACES}", r.places),
            ));
        }
        let Some(card) = cards.card(&r.card) else {
            return Err(FieldError::new(ap("card"), format!("no card `{}`", r.card)));
        };
        if !card.items().any(|(_, i)| i.id == r.item) {
            return Err(FieldError::new(
                ap("item"),
                format!("card `{}` has no item `{}`", r.card, r.item),
            ));
        }
        let per_step = card.bonus.rules.iter().any(|b| {
            b.id == r.bonus && matches!(b.rule, crate::assessment::BonusKind::PerStep { .. })
        });
        if !per_step {
            return Err(FieldError::new(
                ap("bonus"),
                format!("card `{}` has no per-step bonus `{}`", r.card, r.bonus),
            ));
        }
        let weight = self
            .tasks
            .iter()
            .filter(|t| r.basis == Basis::AllTasks || t.main_indicator)
            .try_fold(Decimal::ZERO, |s, t| s.checked_add(t.weight));
        if weight.is_none_or(|w| w <= Decimal::ZERO) {
            return Err(FieldError::new(
                ap("basis"),
                "no task with a positive weight is counted (flag main indicators, or count all tasks)",
            ));
        }
        self.social_assistance
            .validate(&format!("{prefix}.social_assistance"))?;
        self.villages.validate(&format!("{prefix}.villages"))?;
        self.training.validate(&format!("{prefix}.training"))?;
        if self.factories_target().is_none() {
            return Err(FieldError::new(
                format!("{prefix}.factories.task"),
                format!(
                    "`{}` is not a task of the table whose target is a whole number of factories",
                    self.factories.task
                ),
            ));
        }
        Ok(())
    }
}
