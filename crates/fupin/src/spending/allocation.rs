//! 奖优惩劣 — turning a bulletin into next year's allocation (M4).
//!
//! M4 三(四) ties a county's spending work to its allocation of agricultural funds (年度工作开展
//! 好坏与分配县(市)区支农资金相挂钩) and M1c 三(一) makes the year-end check a basis for 2021
//! allocations, **without saying how**. This module gives one documented, parameterised way; its
//! parameters ([`AllocationPolicy`]) are the user's, none is the plan's, and without them there is
//! no adjustment (each unit gets its base share).
//!
//! # Method
//! 1. Each unit starts from a **base weight** the user supplies (for example its formula share or
//!    this year's allocation), in money units.
//! 2. From the bulletin (usually December's): the `reward_top` best-ranked units are *rewarded*
//!    (units tied at the cut all are); the `penalty_bottom` worst-ranked units are *penalised*
//!    (again with ties), and, if `penalise_behind_schedule`, every unit behind schedule. A unit
//!    both rewarded and penalised keeps its base weight; a unit with nothing allocated is
//!    neither.
//! 3. Adjusted weight = base × (1 + `reward`) for the rewarded, base × (1 − `penalty`) for the
//!    penalised, base otherwise.
//! 4. The total is apportioned in proportion to the adjusted weights, in whole multiples of
//!    `step` (1 fen by default) by the **largest-remainder method** (Hamilton): each unit gets
//!    the floor of its exact quota, and the steps left over go one each to the largest
//!    remainders, ties in unit order. The arithmetic is in integers, so the amounts add up to
//!    the total exactly.
//!
//! # Example
//! ```
//! use fupin::money::{Amount, Ratio};
//! use fupin::spending::{adjust_allocation, bulletin, AllocationPolicy, Ledger};
//!
//! let units = vec!["甲县".to_owned(), "乙县".to_owned(), "丙区".to_owned()];
//! let csv = "month,county,allocated,spent\n2020-12,甲县,100,90\n2020-12,乙县,100,80\n2020-12,丙区,100,70\n";
//! let b = bulletin::bulletin(&Ledger::from_csv(csv, 2020, &units)?, "2020-12".parse()?, None)?;
//! let params = AllocationPolicy {
//!     reward_top: 1, reward: Ratio::percent(10),
//!     penalty_bottom: 1, penalty: Ratio::percent(10),
//!     ..AllocationPolicy::default()
//! };
//! let base: Vec<(String, Amount)> = units.iter().map(|u| (u.clone(), Amount::wan(1))).collect();
//! let plan = adjust_allocation(&b, &base, Amount::wan(3_000), Some(&params))?;
//! let amounts: Vec<String> = plan.rows.iter().map(|r| r.amount.to_string()).collect();
//! assert_eq!(amounts, ["1,100 万元", "1,000 万元", "900 万元"]);
//! # Ok::<(), fupin::spending::SpendingError>(())
//! ```

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use super::bulletin::Bulletin;
use super::{SpendingError, known_list};
use crate::load::FieldError;
use crate::money::{Amount, Lang, MoneyError, Ratio, Unit};
use crate::render::tr;
use crate::render::{Align, Table};
use crate::validate::ratio_in;
use crate::vocab::{ErrorCode, FieldErrors, Problems};

/// M4 三(四) 奖优惩劣 — parameters of the allocation link. The plan gives none of these numbers:
/// they are the user's. Every field defaults to "no adjustment".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationPolicy {
    /// How many of the best-ranked units are rewarded (0: none).
    #[serde(default)]
    pub reward_top: u32,
    /// The reward: a rewarded unit's weight × (1 + `reward`), 0 %–1,000 %. Written as a
    /// percentage (`"5%"`) or a fraction (`"0.05"`); a bare number above 1 (`"5"`, `5`) is
    /// refused rather than read as 500 %.
    #[serde(default, deserialize_with = "share")]
    pub reward: Ratio,
    /// How many of the worst-ranked units are penalised (0: none).
    #[serde(default)]
    pub penalty_bottom: u32,
    /// The penalty: a penalised unit's weight × (1 − `penalty`), 0 %–100 %; written as
    /// `reward` is.
    #[serde(default, deserialize_with = "share")]
    pub penalty: Ratio,
    /// Whether every unit behind schedule in the bulletin is penalised too.
    #[serde(default)]
    pub penalise_behind_schedule: bool,
    /// Amounts are apportioned in whole multiples of this (default 0.01 yuan, one fen).
    #[serde(default = "one_fen")]
    pub step: Amount,
}

/// A share written as a percentage (`"5%"`) or a fraction up to 1 (`"0.05"`, `1`). A bare
/// number above 1 is refused: `"5"` is far more likely to mean 5 % than the 500 % it reads as.
fn share<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Ratio, D::Error> {
    struct Share;
    fn check<E: serde::de::Error>(text: &str) -> Result<Ratio, E> {
        let r: Ratio = text.parse().map_err(E::custom)?;
        if !text.trim().ends_with('%') && r > Ratio::ONE {
            return Err(E::custom(format!(
                "`{text}` would be {}: write the share as a percentage (\"{text}%\") or as a fraction up to 1 (\"0.05\" for 5 %)",
                r.exact()
            )));
        }
        Ok(r)
    }
    impl<'de> serde::de::Visitor<'de> for Share {
        type Value = Ratio;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a share such as \"5%\" or \"0.05\"")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Ratio, E> {
            check(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Ratio, E> {
            check(&v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Ratio, E> {
            check(&v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Ratio, E> {
            Err(E::custom(MoneyError::Float {
                value: v.to_string(),
            }))
        }
        fn visit_newtype_struct<D: serde::Deserializer<'de>>(
            self,
            d: D,
        ) -> Result<Ratio, D::Error> {
            d.deserialize_any(self)
        }
    }
    d.deserialize_any(Share)
}

fn one_fen() -> Amount {
    Amount::from_yuan(Decimal::new(1, 2))
}

impl Default for AllocationPolicy {
    fn default() -> Self {
        Self {
            reward_top: 0,
            reward: Ratio::ZERO,
            penalty_bottom: 0,
            penalty: Ratio::ZERO,
            penalise_behind_schedule: false,
            step: one_fen(),
        }
    }
}

impl AllocationPolicy {
    /// Load and validate parameters from TOML (`reward_top = 2`, `reward = "5%"`, …).
    ///
    /// # Errors
    /// [`SpendingError::Field`] naming the field and value.
    pub fn from_toml(text: &str) -> Result<Self, SpendingError> {
        let field = |error| SpendingError::Field {
            what: "allocation parameters",
            error,
        };
        let p: Self = crate::load::from_toml(text).map_err(field)?;
        p.validate_at("").map_err(field)?;
        Ok(p)
    }

    /// Load and validate parameters from JSON.
    ///
    /// # Errors
    /// As [`AllocationPolicy::from_toml`].
    pub fn from_json(text: &str) -> Result<Self, SpendingError> {
        let field = |error| SpendingError::Field {
            what: "allocation parameters",
            error,
        };
        let p: Self = crate::load::from_json(text).map_err(field)?;
        p.validate_at("").map_err(field)?;
        Ok(p)
    }

    /// Check the ranges; `prefix` is the section's path (`spending.allocation`), empty for a
    /// file of its own.
    ///
    /// # Errors
    /// [`FieldErrors`] with every field out of range.
    pub fn validate_at(&self, prefix: &str) -> Result<(), FieldErrors> {
        let path = |f: &str| {
            if prefix.is_empty() {
                f.to_owned()
            } else {
                format!("{prefix}.{f}")
            }
        };
        let mut p = Problems::new();
        p.check(ratio_in(
            &path("reward"),
            self.reward,
            Ratio::ZERO,
            Ratio::from_fraction(Decimal::TEN),
        ));
        p.check(ratio_in(
            &path("penalty"),
            self.penalty,
            Ratio::ZERO,
            Ratio::ONE,
        ));
        if self.step.is_negative() || self.step.is_zero() {
            p.push(FieldError::coded(
                ErrorCode::OUT_OF_RANGE,
                path("step"),
                Some(self.step.as_yuan().to_string()),
                format!("value {} must be positive", self.step.exact()),
            ));
        }
        p.finish()
    }
}

/// What the bulletin did to a unit's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// 奖 — rewarded.
    Reward,
    /// 惩 — penalised.
    Penalty,
    /// Neither.
    None,
}

/// One unit's allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationRow {
    /// The unit.
    pub county: String,
    /// Its rank in the bulletin.
    pub rank: Option<u32>,
    /// Its base weight.
    pub base: Amount,
    /// Rewarded, penalised or neither.
    pub adjustment: Adjustment,
    /// The factor applied to the base weight (110 % for a 10 % reward).
    pub factor: Ratio,
    /// `base × factor`.
    pub weight: Amount,
    /// Its share of the total (a quotient, for display); `None` when the total is zero.
    pub share: Option<Ratio>,
    /// Its allocation: a whole number of steps; the rows add up to the total exactly.
    pub amount: Amount,
}

/// Next year's allocation derived from a bulletin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationPlan {
    /// The month of the bulletin the plan is based on.
    pub month: super::YearMonth,
    /// The parameters applied (all zero when none were given: no adjustment).
    pub parameters: AllocationPolicy,
    /// The total apportioned.
    pub total: Amount,
    /// The apportioning step.
    pub step: Amount,
    /// One row per unit, in the order of the base weights.
    pub rows: Vec<AllocationRow>,
}

impl Adjustment {
    /// The adjustment's name in a language.
    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Reward, Lang::Zh) => "奖",
            (Self::Penalty, Lang::Zh) => "惩",
            (Self::Reward, Lang::En) => "reward",
            (Self::Penalty, Lang::En) => "penalty",
            (Self::None, _) => "—",
        }
    }
}

impl AllocationPlan {
    /// The table: rank, unit, base weight, adjustment, factor, share, amount; the total last.
    #[must_use]
    pub fn table(&self, lang: Lang) -> Table {
        let a = |x: Amount| x.display_in(Unit::Wan, lang).to_string();
        // Allocations are exact to the step (1 fen by default): shown in yuan, to the fen.
        let yuan = |x: Amount| x.display_in(Unit::Yuan, lang).to_string();
        let mut t = Table::new(vec![
            (tr(lang, "排名", "rank"), Align::Right),
            (tr(lang, "县(市)区", "unit"), Align::Left),
            (tr(lang, "基数", "base"), Align::Right),
            (tr(lang, "奖惩", "adjustment"), Align::Left),
            (tr(lang, "系数", "factor"), Align::Right),
            (tr(lang, "占比", "share"), Align::Right),
            (tr(lang, "分配额", "amount"), Align::Right),
        ]);
        for r in &self.rows {
            t.row(vec![
                r.rank.map_or_else(|| "—".to_owned(), |x| x.to_string()),
                r.county.clone(),
                a(r.base),
                r.adjustment.label(lang).to_owned(),
                r.factor.to_string(),
                r.share.map_or_else(|| "—".to_owned(), |x| x.to_string()),
                yuan(r.amount),
            ]);
        }
        t.row(vec![
            String::new(),
            tr(lang, "合计", "total").to_owned(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            yuan(self.total),
        ]);
        t
    }

    /// The plan as plain text.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "")
    }

    /// The plan as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ")
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let p = &self.parameters;
        let mut out = match lang {
            Lang::Zh => format!(
                "{h}支农资金分配与支出进度挂钩（奖优惩劣，M4 三(四)），依据 {} 通报\n",
                self.month
            ),
            Lang::En => format!(
                "{h}Allocation tied to spending progress (reward the good, penalise the poor, M4 三(四)), from the {} bulletin\n",
                self.month
            ),
        };
        out.push_str(&match lang {
            Lang::Zh => format!(
                "参数（用户提供，方案未规定）：前 {} 名奖励 {}，后 {} 名惩减 {}{}；按最大余额法分配至 {} 元。\n",
                p.reward_top,
                p.reward,
                p.penalty_bottom,
                p.penalty,
                if p.penalise_behind_schedule { "，落后序时进度者惩减" } else { "" },
                p.step.as_yuan()
            ),
            Lang::En => format!(
                "Parameters (user-supplied; the plan gives none): top {} rewarded +{}, bottom {} penalised −{}{}; largest remainder to {} yuan.\n",
                p.reward_top,
                p.reward,
                p.penalty_bottom,
                p.penalty,
                if p.penalise_behind_schedule { ", units behind schedule penalised" } else { "" },
                p.step.as_yuan()
            ),
        });
        out.push('\n');
        out.push_str(&table(&self.table(lang)));
        out
    }
}

const WHAT: &str = "base weights";

/// The canonical name of a base-weight CSV header (English or Chinese).
fn base_column(header: &str) -> Option<&'static str> {
    match header.trim().to_lowercase().as_str() {
        "county" | "unit" | "县(市)区" | "县（市）区" | "县区" | "单位" => {
            Some("county")
        }
        "base" | "weight" | "基数" | "权重" => Some("base"),
        _ => None,
    }
}

/// Read base weights from CSV text with columns `county` and `base` (an amount: `2500万元` or
/// yuan); `#` comment lines and blank lines are skipped.
///
/// # Errors
/// [`SpendingError::Syntax`], [`SpendingError::MissingColumn`] or
/// [`SpendingError::UnknownColumn`] for a bad header, [`SpendingError::Cell`] naming the line,
/// column and value of an empty name, an unreadable or negative amount.
///
/// # Example
/// ```
/// use fupin::{money::Amount, spending::allocation::base_from_csv};
/// let base = base_from_csv("county,base\n甲县,2500万元\n乙区,1000万元\n")?;
/// assert_eq!(base[1], ("乙区".to_owned(), Amount::wan(1_000)));
/// # Ok::<(), fupin::spending::SpendingError>(())
/// ```
pub fn base_from_csv(text: &str) -> Result<Vec<(String, Amount)>, SpendingError> {
    let (columns, rows) =
        super::ledger::csv_rows(WHAT, text, base_column, &["county", "base"], "county, base")?;
    let mut out = Vec::with_capacity(rows.len());
    for (line, cells) in rows {
        let cell = |name: &'static str| -> (String, Option<usize>) {
            let i = columns.iter().position(|c| *c == name);
            (
                i.and_then(|i| cells.get(i)).cloned().unwrap_or_default(),
                i.map(|i| i + 1),
            )
        };
        let err = |name: &'static str, number, value: &str, problem| {
            SpendingError::Cell(Box::new(super::CellError {
                what: WHAT,
                at: super::RowRef::Line(line),
                column: super::ColumnRef {
                    name: name.to_owned(),
                    number,
                },
                value: value.to_owned(),
                problem,
            }))
        };
        let (county, n) = cell("county");
        if county.is_empty() {
            return Err(err("county", n, &county, super::CellProblem::Empty));
        }
        let (text, n) = cell("base");
        let a = text
            .parse::<Amount>()
            .map_err(|e| err("base", n, &text, super::CellProblem::BadAmount(e)))?;
        if a.is_negative() {
            return Err(err(
                "base",
                n,
                &text,
                super::CellProblem::Negative {
                    value: text.clone(),
                },
            ));
        }
        out.push((county, a));
    }
    Ok(out)
}

/// A problem with the base weights (path `base`), the total (`total`) or the parameters
/// (`spending.allocation.…`): the path tells the caller which input to blame.
fn bad(code: ErrorCode, path: &str, value: Option<String>, message: String) -> SpendingError {
    SpendingError::Field {
        what: "allocation",
        error: FieldError::coded(code, path, value, message).into(),
    }
}

fn overflow() -> SpendingError {
    SpendingError::Money(MoneyError::Overflow { op: "apportion" })
}

/// `reward_top` and `penalty_bottom` must fit the units ranked: more would reward everyone,
/// or reward and penalise the same unit by rank.
fn check_counts(p: &AllocationPolicy, ranked: usize) -> Result<(), SpendingError> {
    let (top, bottom) = (p.reward_top as usize, p.penalty_bottom as usize);
    let mut problems = Problems::new();
    for (field, n) in [("reward_top", top), ("penalty_bottom", bottom)] {
        if n > ranked {
            problems.push(FieldError::coded(
                ErrorCode::OUT_OF_RANGE,
                format!("spending.allocation.{field}"),
                Some(n.to_string()),
                format!("{field} = {n} is more than the {ranked} units ranked in the bulletin"),
            ));
        }
    }
    if problems.is_empty() && top + bottom > ranked {
        problems.push(FieldError::coded(
            ErrorCode::INCONSISTENT,
            "spending.allocation.penalty_bottom",
            Some(bottom.to_string()),
            format!(
                "reward_top {top} + penalty_bottom {bottom} = {} is more than the {ranked} units ranked in the bulletin: a unit would be both rewarded and penalised by its rank",
                top + bottom
            ),
        ));
    }
    problems.finish().map_err(|error| SpendingError::Field {
        what: "allocation",
        error,
    })
}

/// A decimal's mantissa at `scale` (≥ its own), or an overflow.
fn at_scale(d: Decimal, scale: u32) -> Result<i128, SpendingError> {
    let shift = scale.checked_sub(d.scale()).ok_or_else(overflow)?;
    10_i128
        .checked_pow(shift)
        .and_then(|f| d.mantissa().checked_mul(f))
        .ok_or_else(overflow)
}

/// Apportion `total` among units by base weight, adjusted by the bulletin under `policy`
/// (see the module docs). `base` must name every unit of the bulletin exactly once.
///
/// # Errors
/// [`SpendingError::UnknownCounty`] for a base unit not in the bulletin;
/// [`SpendingError::Field`] for a unit missing or repeated, a negative weight or total, weights
/// that are all zero, or a total that is not a whole number of steps; [`SpendingError::Money`]
/// if the integer arithmetic overflows.
pub fn adjust_allocation(
    bulletin: &Bulletin,
    base: &[(String, Amount)],
    total: Amount,
    policy: Option<&AllocationPolicy>,
) -> Result<AllocationPlan, SpendingError> {
    let default = AllocationPolicy::default();
    let p = policy.unwrap_or(&default);
    p.validate_at("spending.allocation")
        .map_err(|error| SpendingError::Field {
            what: "allocation",
            error,
        })?;
    let names: Vec<String> = bulletin.rows.iter().map(|r| r.county.clone()).collect();
    for (i, (county, weight)) in base.iter().enumerate() {
        crate::check_name(&format!("base[{i}]"), county).map_err(|error| SpendingError::Field {
            what: "allocation base",
            error: error.into(),
        })?;
        if base
            .iter()
            .take(i)
            .any(|(c, _)| crate::name_key(c) == crate::name_key(county))
        {
            return Err(bad(
                ErrorCode::DUPLICATE,
                "base",
                Some(county.clone()),
                format!("`{county}` has more than one base weight"),
            ));
        }
        if !names.contains(county) {
            return Err(SpendingError::UnknownCounty {
                name: county.clone(),
                known: known_list(&names),
            });
        }
        if base.iter().take(i).any(|(c, _)| c == county) {
            return Err(bad(
                ErrorCode::DUPLICATE,
                "base",
                Some(county.clone()),
                format!("`{county}` has more than one base weight"),
            ));
        }
        if weight.is_negative() {
            return Err(bad(
                ErrorCode::NEGATIVE,
                "base",
                Some(weight.as_yuan().to_string()),
                format!(
                    "the base weight of `{county}`, {}, is negative",
                    weight.exact()
                ),
            ));
        }
    }
    if let Some(missing) = names.iter().find(|n| !base.iter().any(|(c, _)| c == *n)) {
        return Err(bad(
            ErrorCode::MISSING_FIELD,
            "base",
            Some(missing.clone()),
            format!("`{missing}` has no base weight"),
        ));
    }
    if total.is_negative() {
        return Err(bad(
            ErrorCode::NEGATIVE,
            "total",
            Some(total.as_yuan().to_string()),
            format!("the total {} is negative", total.exact()),
        ));
    }
    let steps = total
        .as_yuan()
        .checked_div(p.step.as_yuan())
        .ok_or_else(overflow)?;
    if !steps.fract().is_zero() {
        return Err(bad(
            ErrorCode::INVALID,
            "total",
            Some(total.as_yuan().to_string()),
            format!(
                "the total {} yuan is not a whole number of steps of {} yuan",
                total.as_yuan(),
                p.step.as_yuan()
            ),
        ));
    }
    let steps = steps.to_i128().ok_or_else(overflow)?;

    // Who is rewarded and who is penalised.
    let ranked: Vec<u32> = bulletin.rows.iter().filter_map(|r| r.rank).collect();
    check_counts(p, ranked.len())?;
    let mut rows = Vec::with_capacity(base.len());
    for (county, weight) in base {
        let Some(row) = bulletin.rows.iter().find(|r| &r.county == county) else {
            continue;
        };
        let adjustment = match row.rank {
            None => Adjustment::None,
            Some(rank) => {
                // 1 + the number of ranked units with strictly lower progress.
                let from_bottom = 1 + u32::try_from(ranked.iter().filter(|r| **r > rank).count())
                    .unwrap_or(u32::MAX);
                let reward = rank <= p.reward_top;
                let penalty = from_bottom <= p.penalty_bottom
                    || (p.penalise_behind_schedule && row.figures.is_behind());
                match (reward, penalty) {
                    (true, false) => Adjustment::Reward,
                    (false, true) => Adjustment::Penalty,
                    _ => Adjustment::None,
                }
            }
        };
        let factor = match adjustment {
            Adjustment::Reward => Decimal::ONE.checked_add(p.reward.as_fraction()),
            Adjustment::Penalty => Decimal::ONE.checked_sub(p.penalty.as_fraction()),
            Adjustment::None => Some(Decimal::ONE),
        }
        .map(Ratio::from_fraction)
        .ok_or_else(overflow)?;
        rows.push(AllocationRow {
            county: county.clone(),
            rank: row.rank,
            base: *weight,
            adjustment,
            factor,
            weight: weight.checked_mul_ratio(factor)?,
            share: None,
            amount: Amount::ZERO,
        });
    }

    // Largest remainder, in integers.
    let scale = rows
        .iter()
        .map(|r| r.weight.as_yuan().scale())
        .max()
        .unwrap_or(0);
    let weights = rows
        .iter()
        .map(|r| at_scale(r.weight.as_yuan(), scale))
        .collect::<Result<Vec<i128>, _>>()?;
    let sum = weights
        .iter()
        .try_fold(0_i128, |a, w| a.checked_add(*w))
        .ok_or_else(overflow)?;
    if sum == 0 && steps > 0 {
        return Err(bad(
            ErrorCode::OUT_OF_RANGE,
            "base",
            None,
            "every adjusted weight is zero: there is nothing to apportion by".to_owned(),
        ));
    }
    let mut given = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for w in &weights {
        let exact = steps.checked_mul(*w).ok_or_else(overflow)?;
        given.push(exact.checked_div(sum).unwrap_or(0));
        remainders.push(exact.checked_rem(sum).unwrap_or(0));
    }
    let handed_out = given.iter().sum::<i128>();
    let left = usize::try_from(steps - handed_out).map_err(|_| overflow())?;
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable: equal remainders keep unit order.
    order.sort_by(|a, b| remainders.get(*b).cmp(&remainders.get(*a)));
    for i in order.into_iter().take(left) {
        if let Some(g) = given.get_mut(i) {
            *g += 1;
        }
    }
    for (row, g) in rows.iter_mut().zip(given) {
        let g = Decimal::try_from_i128_with_scale(g, 0).map_err(|_| overflow())?;
        row.amount = Amount::from_yuan(g).checked_mul(p.step.as_yuan())?;
        row.share = row.amount.ratio_to(total);
    }
    Ok(AllocationPlan {
        month: bulletin.month,
        parameters: p.clone(),
        total,
        step: p.step,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::spending::bulletin::bulletin;
    use crate::spending::ledger::{Ledger, LedgerEntry};
    use crate::spending::schedule::Schedule;

    fn december(figures: &[(i64, i64)], schedule: Option<&Schedule>) -> (Bulletin, Vec<String>) {
        let units: Vec<String> = (0..figures.len()).map(|i| format!("u{i}")).collect();
        let entries = figures
            .iter()
            .zip(&units)
            .map(|((a, s), u)| LedgerEntry {
                month: "2020-12".parse().unwrap(),
                county: u.clone(),
                project: None,
                fund_source: None,
                allocated: Amount::yuan(*a),
                spent: Amount::yuan(*s),
            })
            .collect();
        let l = Ledger::new(2020, units.clone(), entries).unwrap();
        (
            bulletin(&l, "2020-12".parse().unwrap(), schedule).unwrap(),
            units,
        )
    }

    #[test]
    fn without_parameters_the_base_shares_are_kept() {
        let (b, units) = december(&[(10, 9), (10, 1), (10, 5)], None);
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([1, 1, 1].map(Amount::yuan))
            .collect();
        let plan = adjust_allocation(&b, &base, Amount::yuan(100), None).unwrap();
        let amounts: Vec<_> = plan
            .rows
            .iter()
            .map(|r| r.amount.as_yuan().to_string())
            .collect();
        // 100 / 3 = 33.333… yuan: 33.34 to the first remainder in unit order, 33.33 to the others.
        assert_eq!(amounts, ["33.34", "33.33", "33.33"]);
        assert!(plan.rows.iter().all(|r| r.adjustment == Adjustment::None));
    }

    #[test]
    fn ties_at_the_cut_are_all_rewarded_and_behind_schedule_is_penalised() {
        let s = Schedule::from_toml(
            "name = \"t\"\n[[points]]\nby = \"2020-12-31\"\nrequired = \"60%\"\n",
        )
        .unwrap();
        let (b, units) = december(&[(10, 9), (10, 9), (10, 5), (0, 0)], Some(&s));
        let p = AllocationPolicy {
            reward_top: 1,
            reward: Ratio::percent(20),
            penalise_behind_schedule: true,
            penalty: Ratio::percent(50),
            ..AllocationPolicy::default()
        };
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([10, 10, 10, 10].map(Amount::yuan))
            .collect();
        let plan = adjust_allocation(&b, &base, Amount::yuan(4_000), Some(&p)).unwrap();
        let adj: Vec<_> = plan.rows.iter().map(|r| r.adjustment).collect();
        assert_eq!(
            adj,
            [
                Adjustment::Reward,
                Adjustment::Reward,
                Adjustment::Penalty,
                Adjustment::None
            ]
        );
        // Weights 12 : 12 : 5 : 10 of 39.
        let amounts: Vec<_> = plan
            .rows
            .iter()
            .map(|r| r.amount.as_yuan().to_string())
            .collect();
        assert_eq!(amounts, ["1230.77", "1230.77", "512.82", "1025.64"]);
    }

    #[test]
    fn base_weights_read_from_csv_name_bad_cells() {
        let base = base_from_csv("# weights\n基数,县(市)区\n2500万元,甲县\n1000,乙区\n").unwrap();
        assert_eq!(
            base,
            [
                ("甲县".to_owned(), Amount::wan(2_500)),
                ("乙区".to_owned(), Amount::yuan(1_000))
            ]
        );
        let e = base_from_csv("county,base\n甲县,lots\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("base weights line 2, column 2 (`base`): `lots` is not an amount"),
            "{e}"
        );
        let e = base_from_csv("county,base\n甲县,-1万元\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`-1万元` is negative"), "{e}");
        let e = base_from_csv("county\n甲县\n").unwrap_err().to_string();
        assert_eq!(e, "header: missing column `base` (columns: county, base)");
    }

    #[test]
    fn plan_renders_with_its_parameters_and_total() {
        let (b, units) = december(&[(10, 9), (10, 1)], None);
        let base: Vec<_> = units.iter().cloned().zip([1, 1].map(Amount::wan)).collect();
        let p = AllocationPolicy {
            reward_top: 1,
            reward: Ratio::percent(10),
            ..AllocationPolicy::default()
        };
        let plan = adjust_allocation(&b, &base, Amount::wan(210), Some(&p)).unwrap();
        let zh = plan.to_text(Lang::Zh);
        for needle in [
            "前 1 名奖励 10.00%",
            "u0",
            "奖",
            "110.00%",
            "1 万元",
            "1,100,000 元",
            "合计",
            "2,100,000 元",
        ] {
            assert!(zh.contains(needle), "missing {needle} in\n{zh}");
        }
        assert!(
            plan.to_markdown(Lang::En).contains("| 1 | u0 |"),
            "{}",
            plan.to_markdown(Lang::En)
        );
    }

    #[test]
    fn parameters_load_from_their_own_file() {
        let p = AllocationPolicy::from_toml("reward_top = 2\nreward = \"5%\"\n").unwrap();
        assert_eq!(
            (p.reward_top, p.reward, p.step),
            (2, Ratio::percent(5), one_fen())
        );
        let e = AllocationPolicy::from_toml("penalty = \"-5%\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("allocation parameters: field `penalty`"),
            "{e}"
        );
        assert_eq!(
            AllocationPolicy::from_json(&serde_json::to_string(&p).unwrap()).unwrap(),
            p
        );
    }

    #[test]
    fn plan_round_trips_through_json() {
        let (b, units) = december(&[(10, 9), (10, 1)], None);
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([1, 2].map(Amount::yuan))
            .collect();
        let plan = adjust_allocation(&b, &base, Amount::yuan(10), None).unwrap();
        let back: AllocationPlan =
            serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
        assert_eq!(back, plan);
        let p = AllocationPolicy::default();
        let back: AllocationPolicy =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn a_bare_reward_of_5_is_not_read_as_500_percent() {
        // Issue #10.7: `reward = "5"` was read as 500 %.
        for text in ["reward = \"5\"\n", "reward = 5\n", "penalty = \"1.5\"\n"] {
            let e = AllocationPolicy::from_toml(text).unwrap_err();
            assert!(e.to_string().contains("would be"), "{text}: {e}");
            assert!(e.to_string().contains("as a percentage"), "{e}");
        }
        let p = AllocationPolicy::from_toml("reward = \"5%\"\npenalty = \"0.05\"\n").unwrap();
        assert_eq!(
            (p.reward, p.penalty),
            (Ratio::percent(5), Ratio::percent(5))
        );
        assert_eq!(
            AllocationPolicy::from_toml("reward = 1\n").unwrap().reward,
            Ratio::ONE
        );
        assert_eq!(
            AllocationPolicy::from_toml("reward = \"500%\"\n")
                .unwrap()
                .reward,
            Ratio::percent(500)
        );
    }

    #[test]
    fn more_units_rewarded_or_penalised_than_ranked_is_refused() {
        let (b, units) = december(&[(10, 9), (10, 1), (10, 5)], None);
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([1, 1, 1].map(Amount::yuan))
            .collect();
        for (top, bottom, want) in [
            (4, 0, "reward_top = 4 is more than the 3 units ranked"),
            (0, 4, "penalty_bottom = 4 is more than the 3 units ranked"),
            (
                2,
                2,
                "reward_top 2 + penalty_bottom 2 = 4 is more than the 3 units ranked",
            ),
        ] {
            let p = AllocationPolicy {
                reward_top: top,
                penalty_bottom: bottom,
                ..AllocationPolicy::default()
            };
            let e = adjust_allocation(&b, &base, Amount::yuan(3), Some(&p)).unwrap_err();
            assert!(e.to_string().contains(want), "{e}");
            assert!(
                e.field_errors()[0].path.starts_with("spending.allocation."),
                "{e}"
            );
        }
        let p = AllocationPolicy {
            reward_top: 2,
            penalty_bottom: 1,
            ..AllocationPolicy::default()
        };
        assert!(adjust_allocation(&b, &base, Amount::yuan(3), Some(&p)).is_ok());
    }

    #[test]
    fn a_negative_total_is_blamed_on_the_total() {
        // Issue #10.8: `--total=-1` blamed base.csv.
        let (b, units) = december(&[(10, 9), (10, 1)], None);
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([1, 1].map(Amount::yuan))
            .collect();
        let e = adjust_allocation(&b, &base, Amount::yuan(-1), None).unwrap_err();
        let f = &e.field_errors()[0];
        assert_eq!((f.path.as_str(), f.code.as_str()), ("total", "negative"));
        assert_eq!(f.value.as_deref(), Some("-1"));
    }

    #[test]
    fn bad_inputs_are_named() {
        let (b, units) = december(&[(10, 9), (10, 1)], None);
        let one = |u: &str, a: i64| (u.to_owned(), Amount::yuan(a));
        let e = adjust_allocation(&b, &[one("u0", 1)], Amount::yuan(1), None).unwrap_err();
        assert!(e.to_string().contains("`u1` has no base weight"), "{e}");
        let e = adjust_allocation(
            &b,
            &[one("u0", 1), one("u1", 1), one("x", 1)],
            Amount::yuan(1),
            None,
        )
        .unwrap_err();
        assert!(matches!(e, SpendingError::UnknownCounty { .. }), "{e}");
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([0, 0].map(Amount::yuan))
            .collect();
        let e = adjust_allocation(&b, &base, Amount::yuan(1), None).unwrap_err();
        assert!(
            e.to_string().contains("every adjusted weight is zero"),
            "{e}"
        );
        let base: Vec<_> = units
            .iter()
            .cloned()
            .zip([1, 1].map(Amount::yuan))
            .collect();
        let e = adjust_allocation(&b, &base, "0.001".parse().unwrap(), None).unwrap_err();
        assert!(e.to_string().contains("not a whole number of steps"), "{e}");
        let p = AllocationPolicy {
            penalty: Ratio::percent(150),
            ..AllocationPolicy::default()
        };
        let e = adjust_allocation(&b, &base, Amount::yuan(1), Some(&p)).unwrap_err();
        assert!(e.to_string().contains("spending.allocation.penalty"), "{e}");
    }

    /// Any December bulletin of up to 9 units with base weights (to the fen) and a total (fen).
    fn any_allocation_case() -> impl Strategy<Value = (Vec<(i64, i64)>, Vec<i64>, i64)> {
        (1_usize..9).prop_flat_map(|n| {
            (
                // Spending never above the allocation (a bulletin refuses it).
                prop::collection::vec((0_i64..1_000, 0_i64..1_200), n)
                    .prop_map(|v| v.into_iter().map(|(a, s)| (a, s % (a + 1))).collect()),
                prop::collection::vec(0_i64..10_000_000_000, n),
                0_i64..1_000_000_000_000,
            )
        })
    }

    fn any_policy() -> impl Strategy<Value = AllocationPolicy> {
        (0_u32..5, 0_i64..=300, 0_u32..5, 0_i64..=100, any::<bool>()).prop_map(
            |(rt, r, pb, p, behind)| AllocationPolicy {
                reward_top: rt,
                reward: Ratio::percent(r),
                penalty_bottom: pb,
                penalty: Ratio::percent(p),
                penalise_behind_schedule: behind,
                step: one_fen(),
            },
        )
    }

    proptest! {
        #[test]
        fn the_adjustment_conserves_the_total_to_the_fen(
            (figures, weights, total) in any_allocation_case(),
            p in any_policy(),
        ) {
            let s = Schedule::from_toml("name = \"t\"\n[[points]]\nby = \"2020-12-31\"\nrequired = \"50%\"\n").unwrap();
            let (b, units) = december(&figures, Some(&s));
            let base: Vec<_> = units.iter().cloned().zip(weights.iter().map(|w| Amount::from_yuan(Decimal::new(*w, 2)))).collect();
            let total = Amount::from_yuan(Decimal::new(total, 2));
            match adjust_allocation(&b, &base, total, Some(&p)) {
                Ok(plan) => {
                    let sum = Amount::try_sum(plan.rows.iter().map(|r| r.amount)).unwrap();
                    prop_assert_eq!(sum, total);
                    for r in &plan.rows {
                        prop_assert!(!r.amount.is_negative());
                        prop_assert!(r.amount.as_yuan().checked_div(p.step.as_yuan()).unwrap().fract().is_zero());
                    }
                }
                Err(e) => {
                    // Only all-zero weights, or more units rewarded or penalised than ranked,
                    // may refuse.
                    let m = e.to_string();
                    prop_assert!(m.contains("every adjusted weight is zero") || m.contains("units ranked in the bulletin"), "{}", m);
                }
            }
        }

        #[test]
        fn a_reward_never_lowers_a_units_allocation_below_an_unrewarded_equal(
            w in 1_i64..1_000_000, r in 0_i64..=300, total in 0_i64..1_000_000_000,
        ) {
            let (b, units) = december(&[(10, 9), (10, 1)], None);
            let base: Vec<_> = units.iter().cloned().zip([w, w].map(Amount::yuan)).collect();
            let p = AllocationPolicy { reward_top: 1, reward: Ratio::percent(r), ..AllocationPolicy::default() };
            let plan = adjust_allocation(&b, &base, Amount::from_yuan(Decimal::new(total, 2)), Some(&p)).unwrap();
            prop_assert!(plan.rows[0].amount >= plan.rows[1].amount);
        }
    }
}
