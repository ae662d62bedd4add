//! Rule checks of the task table: social assistance, training and factories (T3), village
//! collective economy (T10).
//!
//! Every decision is exact (cross-multiplication, no rounded quotient): "≥ 1.3 × 低保" is
//! `standard ≥ 低保 × 1.3`, "≥ 40 % of villages" is `count ≥ villages × 0.4`.

use std::borrow::Cow;
use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{TasksError, TasksInput, TasksPolicy};
use crate::check::{Check, ClauseId, Comparison, Label, Value, decimal_str};
use crate::funds::growth_check;
use crate::load::FieldError;
use crate::money::{Amount, Lang, MoneyError, Ratio, Unit};
use crate::validate::{non_negative, ratio_in};

/// T3 深化“兜底五+五” — social-assistance standards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SocialAssistancePolicy {
    /// T3: 提高低保标准10%以上 — the 低保 standard grows at least this much on last year (10 %).
    pub dibao_growth_min: Ratio,
    /// T3: 农村低收入家庭标准不低于低保标准的1.3倍 — low-income standard ≥ this × 低保 (1.3).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "decimal_str")]
    pub low_income_multiple: Decimal,
    /// T3: 特困人员救助供养标准不低于低保标准的1.3倍 — special-hardship standard ≥ this × 低保 (1.3).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "decimal_str")]
    pub special_hardship_multiple: Decimal,
}

impl SocialAssistancePolicy {
    pub(crate) fn validate(&self, at: &str) -> Result<(), FieldError> {
        ratio_in(
            &format!("{at}.dibao_growth_min"),
            self.dibao_growth_min,
            Ratio::ZERO,
            Ratio::from_fraction(Decimal::TEN),
        )?;
        for (f, m) in [
            ("low_income_multiple", self.low_income_multiple),
            ("special_hardship_multiple", self.special_hardship_multiple),
        ] {
            if m.is_sign_negative() && !m.is_zero() || m > Decimal::ONE_HUNDRED {
                return Err(FieldError::new(
                    format!("{at}.{f}"),
                    format!("value {m} must be between 0 and 100"),
                ));
            }
        }
        Ok(())
    }
}

/// One subject's social-assistance standards (all per person, over the same period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SocialAssistanceInput {
    /// Whose standards (the city, a county), if not the city's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Last year's rural 低保 (minimum living allowance) standard.
    pub dibao_last_year: Amount,
    /// This year's rural 低保 standard.
    pub dibao_this_year: Amount,
    /// The poverty line (贫困线标准) over the same period.
    pub poverty_line: Amount,
    /// This year's rural low-income-family standard (低收入家庭标准).
    pub low_income_standard: Amount,
    /// This year's special-hardship support standard (特困人员救助供养标准).
    pub special_hardship_standard: Amount,
}

/// T10 发展壮大村集体经济 — village collective economy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VillagePolicy {
    /// T10: 村集体经济收入5万元以上 — the lower income mark (5 万元).
    pub income_floor: Amount,
    /// T10: … 达到100% — the share of poor villages that must reach it (100 %).
    pub income_floor_share: Ratio,
    /// T10: 10万元以上 — the higher income mark (10 万元).
    pub income_high: Amount,
    /// T10: … 达到40% — the share of poor villages that must reach it (40 %).
    pub income_high_share: Ratio,
    /// T10: 确保每个贫困村都有1-2个实体扶贫项目 — the rule: every poor village has at least
    /// this many projects (1, the lower end of the plan's "1-2").
    pub min_projects: u32,
    /// T10: the upper end of the planned number (2). It is the plan's planned number, not a
    /// limit: a village with more projects still meets the rule, and the report names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_max_projects: Option<u32>,
}

impl VillagePolicy {
    pub(crate) fn validate(&self, at: &str) -> Result<(), FieldError> {
        non_negative(&format!("{at}.income_floor"), self.income_floor)?;
        non_negative(&format!("{at}.income_high"), self.income_high)?;
        ratio_in(
            &format!("{at}.income_floor_share"),
            self.income_floor_share,
            Ratio::ZERO,
            Ratio::ONE,
        )?;
        ratio_in(
            &format!("{at}.income_high_share"),
            self.income_high_share,
            Ratio::ZERO,
            Ratio::ONE,
        )?;
        if let Some(max) = self.planned_max_projects
            && max < self.min_projects
        {
            return Err(FieldError::new(
                format!("{at}.planned_max_projects"),
                format!("value {max} is below min_projects {}", self.min_projects),
            ));
        }
        Ok(())
    }
}

/// One poor village's collective economy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VillageInput {
    /// The village.
    pub name: String,
    /// 村集体经济收入 — the village collective's income this year.
    pub collective_income: Amount,
    /// 实体扶贫项目 — how many poverty-alleviation projects it has.
    pub projects: u32,
}

/// T3 贫困劳动力就业技能培训 — skills training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingPolicy {
    /// T3: 其中建档立卡贫困人口达到20% — least share of registered poor among trainees (20 %).
    pub registered_poor_share_min: Ratio,
}

impl TrainingPolicy {
    pub(crate) fn validate(&self, at: &str) -> Result<(), FieldError> {
        ratio_in(
            &format!("{at}.registered_poor_share_min"),
            self.registered_poor_share_min,
            Ratio::ZERO,
            Ratio::ONE,
        )
    }
}

/// The year's trainees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    /// How many poor labourers were trained.
    pub trainees: u32,
    /// Of whom registered poor (建档立卡).
    pub registered_poor: u32,
}

/// Whether the employment mark of factories applies to a unit's factories together or to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmploymentBasis {
    /// The unit's new factories together employ at least the mark (the default reading).
    #[default]
    PerUnit,
    /// Each factory employs at least the mark.
    PerFactory,
}

/// T3 扶贫工厂 — poverty-alleviation factories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactoryPolicy {
    /// T3: 全市新建扶贫工厂42家 — the task of the table whose target is the city's number of
    /// new factories (`t3.factories`, 42): one source for the number.
    pub task: String,
    /// T3: 每个县（市）区新建扶贫工厂6家 — new factories per county-level unit (6).
    pub per_unit: u32,
    /// T3: 带动就业60人以上 — people employed (60).
    pub employment_min: u32,
    /// Whether the employment mark is per unit (default) or per factory: the text is ambiguous.
    #[serde(default)]
    pub employment_basis: EmploymentBasis,
}

/// One new factory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactoryInput {
    /// The factory.
    pub name: String,
    /// How many people it employs.
    pub employed: u32,
}

/// One county-level unit's new factories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactoryUnitInput {
    /// The county-level unit.
    pub name: String,
    /// Its new factories.
    #[serde(default)]
    pub factories: Vec<FactoryInput>,
}

/// M9 三(九) 包乡、驻村和结对帮扶 — what each contracted township and poor village should get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PairingPolicy {
    /// M9: 帮助所包扶乡镇建设1个乡级扶贫主导产业 — leading industries per contracted township (1).
    pub industries_per_township: u32,
    /// M9: 每个贫困村建设1个村级产业扶贫基地 — industry bases per poor village (1).
    pub bases_per_poor_village: u32,
}

/// One township the bureau contracts (包扶乡镇), with its poor villages (M9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PairedTownshipInput {
    /// The township.
    pub township: String,
    /// 乡级扶贫主导产业 — township-level leading industries built this year.
    pub leading_industries: u32,
    /// Its poor villages.
    #[serde(default)]
    pub villages: Vec<PairedVillageInput>,
}

/// A poor village of a contracted township (M9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PairedVillageInput {
    /// The village.
    pub name: String,
    /// 村级产业扶贫基地 — village-level industry bases built this year.
    pub industry_bases: u32,
}

/// A name that is empty or repeated (compared as [`crate::name_key`]s): code `duplicate`.
fn repeated(name: &str, path: String, message: String) -> TasksError {
    TasksError::Input(
        crate::FieldError::coded(
            crate::ErrorCode::DUPLICATE,
            path,
            Some(name.to_owned()),
            message,
        )
        .into(),
    )
}

fn pairing(p: &PairingPolicy, townships: &[PairedTownshipInput]) -> Result<Vec<Check>, TasksError> {
    let mut seen = HashSet::new();
    let mut checks = Vec::new();
    for (i, t) in townships.iter().enumerate() {
        crate::check_name(&format!("pairing[{i}].township"), &t.township)
            .map_err(|e| TasksError::Input(e.into()))?;
        for (v, village) in t.villages.iter().enumerate() {
            crate::check_name(&format!("pairing[{i}].villages[{v}].name"), &village.name)
                .map_err(|e| TasksError::Input(e.into()))?;
        }
        if t.township.trim().is_empty() || !seen.insert(crate::name_key(&t.township)) {
            return Err(repeated(
                &t.township,
                format!("pairing[{i}].township"),
                format!("township name `{}` is empty or repeated", t.township),
            ));
        }
        let need = p.industries_per_township;
        checks.push(
            Check::new(
                "M9.township_leading_industry",
                ClauseId::M9,
                owned(
                    format!("包扶乡镇建设{need}个乡级扶贫主导产业"),
                    format!("{need} township-level leading industry per contracted township"),
                ),
                n(t.leading_industries),
                Comparison::AtLeast,
                n(need),
                t.leading_industries >= need,
                Some(n(need.saturating_sub(t.leading_industries))),
            )
            .about(t.township.clone()),
        );
        let need = p.bases_per_poor_village;
        for v in &t.villages {
            checks.push(
                Check::new(
                    "M9.village_industry_base",
                    ClauseId::M9,
                    owned(
                        format!("每个贫困村建设{need}个村级产业扶贫基地"),
                        format!("{need} village-level industry base per poor village"),
                    ),
                    n(v.industry_bases),
                    Comparison::AtLeast,
                    n(need),
                    v.industry_bases >= need,
                    Some(n(need.saturating_sub(v.industry_bases))),
                )
                .about(format!("{} / {}", t.township, v.name)),
            );
        }
    }
    Ok(checks)
}

fn n(v: impl Into<Decimal>) -> Value {
    Value::Number(v.into())
}

fn owned(zh: String, en: String) -> Label {
    Label {
        zh: Cow::Owned(zh),
        en: Cow::Owned(en),
    }
}

/// An amount of yuan as a plain number: standards per person are a few thousand yuan, which
/// the 万元 display of [`Value::Amount`] would round away.
fn yuan(a: Amount) -> Value {
    Value::Number(a.as_yuan())
}

fn at_least_amount(
    id: &'static str,
    label: Label,
    actual: Amount,
    threshold: Amount,
) -> Result<Check, MoneyError> {
    Ok(Check::new(
        id,
        ClauseId::T3,
        label,
        yuan(actual),
        Comparison::AtLeast,
        yuan(threshold),
        actual >= threshold,
        Some(yuan(threshold.checked_sub(actual)?)),
    ))
}

/// A share check: `count ≥ total × share`, shown as a ratio, short by whole items. With nothing
/// to take a share of (0 trainees, 0 villages) the check fails with a note: a share of nothing
/// meets no target.
fn share_check(
    id: &'static str,
    clause: ClauseId,
    label: Label,
    count: u32,
    total: u32,
    share: Ratio,
) -> Result<Check, MoneyError> {
    let overflow = MoneyError::Overflow { op: "share" };
    if total == 0 {
        return Ok(Check::new(
            id,
            clause,
            label,
            n(0),
            Comparison::AtLeast,
            Value::Ratio(share),
            false,
            None,
        )
        .with_note(Label::new(
            "总数为0，比例无从计算，不能视为达标",
            "the total is 0: there is no share to meet the target with",
        )));
    }
    let needed = Decimal::from(total)
        .checked_mul(share.as_fraction())
        .ok_or(overflow)?;
    let passed = Decimal::from(count) >= needed;
    let short = (needed.ceil() - Decimal::from(count)).max(Decimal::ZERO);
    let actual = Amount::yuan(i64::from(count))
        .ratio_to(Amount::yuan(i64::from(total)))
        .map_or(n(count), Value::Ratio);
    // The shortfall is a count (villages, people), the actual a share: say of what.
    Ok(Check::new(
        id,
        clause,
        label,
        actual,
        Comparison::AtLeast,
        Value::Ratio(share),
        passed,
        Some(n(short)),
    )
    .with_note(if passed {
        owned(format!("{count} / {total}"), format!("{count} of {total}"))
    } else {
        owned(
            format!("{count} / {total}（差额为个数）"),
            format!("{count} of {total} (the shortfall is a count)"),
        )
    }))
}

fn names_note(zh: &str, en: &str, names: &[&str]) -> Label {
    let list = names.join(", ");
    Label {
        zh: Cow::Owned(format!("{zh}：{list}")),
        en: Cow::Owned(format!("{en}: {list}")),
    }
}

fn social_assistance(
    p: &TasksPolicy,
    s: &SocialAssistanceInput,
    i: usize,
) -> Result<Vec<Check>, TasksError> {
    let at = |f: &str| format!("social_assistance[{i}].{f}");
    if let Some(who) = &s.subject {
        crate::check_name(&at("subject"), who).map_err(|e| TasksError::Input(e.into()))?;
    }
    for (f, v) in [
        ("dibao_last_year", s.dibao_last_year),
        ("dibao_this_year", s.dibao_this_year),
        ("poverty_line", s.poverty_line),
        ("low_income_standard", s.low_income_standard),
        ("special_hardship_standard", s.special_hardship_standard),
    ] {
        non_negative(&at(f), v).map_err(|e| TasksError::Input(e.into()))?;
    }
    let sp = &p.social_assistance;
    let dibao = s.dibao_this_year;
    let checks = vec![
        growth_check(
            "T3.dibao_growth",
            ClauseId::T3,
            owned(
                format!("低保标准比上年提高{}以上", sp.dibao_growth_min),
                format!("低保 standard up ≥ {} on last year", sp.dibao_growth_min),
            ),
            s.dibao_last_year,
            dibao,
            sp.dibao_growth_min,
        )?,
        Check::new(
            "T3.dibao_above_poverty_line",
            ClauseId::T3,
            Label::new(
                "农村低保标准高出贫困线标准（元）",
                "rural 低保 standard above the poverty line (yuan)",
            ),
            yuan(dibao),
            Comparison::Above,
            yuan(s.poverty_line),
            dibao > s.poverty_line,
            Some(yuan(s.poverty_line.checked_sub(dibao)?)),
        ),
        at_least_amount(
            "T3.low_income_multiple",
            owned(
                format!(
                    "农村低收入家庭标准不低于低保标准的{}倍（元）",
                    sp.low_income_multiple
                ),
                format!(
                    "low-income-family standard ≥ {} × 低保 (yuan)",
                    sp.low_income_multiple
                ),
            ),
            s.low_income_standard,
            dibao.checked_mul(sp.low_income_multiple)?,
        )?,
        at_least_amount(
            "T3.special_hardship_multiple",
            owned(
                format!(
                    "特困人员救助供养标准不低于低保标准的{}倍（元）",
                    sp.special_hardship_multiple
                ),
                format!(
                    "special-hardship support standard ≥ {} × 低保 (yuan)",
                    sp.special_hardship_multiple
                ),
            ),
            s.special_hardship_standard,
            dibao.checked_mul(sp.special_hardship_multiple)?,
        )?,
    ];
    Ok(match &s.subject {
        Some(who) => checks.into_iter().map(|c| c.about(who.clone())).collect(),
        None => checks,
    })
}

fn villages(p: &VillagePolicy, villages: &[VillageInput]) -> Result<Vec<Check>, TasksError> {
    let mut seen = HashSet::new();
    for (i, v) in villages.iter().enumerate() {
        crate::check_name(&format!("villages[{i}].name"), &v.name)
            .map_err(|e| TasksError::Input(e.into()))?;
        if v.name.trim().is_empty() || !seen.insert(crate::name_key(&v.name)) {
            return Err(repeated(
                &v.name,
                format!("villages[{i}].name"),
                format!("village name `{}` is empty or repeated", v.name),
            ));
        }
        non_negative(
            &format!("villages[{i}].collective_income"),
            v.collective_income,
        )
        .map_err(|e| TasksError::Input(e.into()))?;
    }
    let total = u32::try_from(villages.len())
        .map_err(|_| TasksError::at("villages", "more than 2³² villages"))?;
    let count = |mark: Amount| {
        villages
            .iter()
            .filter(|v| v.collective_income >= mark)
            .count()
    };
    let to_u32 = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
    let short: Vec<&str> = villages
        .iter()
        .filter(|v| v.projects < p.min_projects)
        .map(|v| v.name.as_str())
        .collect();
    let above_plan: Vec<&str> = villages
        .iter()
        .filter(|v| p.planned_max_projects.is_some_and(|max| v.projects > max))
        .map(|v| v.name.as_str())
        .collect();
    let ok = total - to_u32(short.len());
    let (planned_zh, planned_en) = match p.planned_max_projects {
        Some(max) if max != p.min_projects => (
            format!("（计划{}-{max}个）", p.min_projects),
            format!(" (planned: {}–{max})", p.min_projects),
        ),
        _ => (String::new(), String::new()),
    };
    let mut projects = Check::new(
        "T10.projects_per_village",
        ClauseId::T10,
        owned(
            format!(
                "每个贫困村都有至少{}个实体扶贫项目{planned_zh}",
                p.min_projects
            ),
            format!(
                "every poor village has at least {} poverty-alleviation project(s){planned_en}",
                p.min_projects
            ),
        ),
        n(ok),
        Comparison::AtLeast,
        n(total),
        short.is_empty(),
        Some(n(to_u32(short.len()))),
    );
    if !short.is_empty() {
        projects = projects.with_note(names_note(
            "项目数不足的村",
            "villages with too few projects",
            &short,
        ));
    } else if !above_plan.is_empty() {
        projects = projects.with_note(names_note(
            "项目数多于计划数的村（不影响达标）",
            "villages with more projects than planned (still met)",
            &above_plan,
        ));
    } else if total > 0 {
        projects = projects.with_note(owned(
            format!("全部 {total} 个贫困村达到"),
            format!("all {total} poor villages meet it"),
        ));
    }
    Ok(vec![
        share_check(
            "T10.income_floor_share",
            ClauseId::T10,
            owned(
                format!(
                    "村集体经济收入{}以上的贫困村达到{}",
                    // In a Chinese sentence the amount takes no space before its unit (5万元).
                    p.income_floor.to_string().replace(' ', ""),
                    p.income_floor_share
                ),
                format!(
                    "poor villages with collective income ≥ {} reach {}",
                    p.income_floor.display_in(Unit::Wan, Lang::En),
                    p.income_floor_share
                ),
            ),
            to_u32(count(p.income_floor)),
            total,
            p.income_floor_share,
        )?,
        share_check(
            "T10.income_high_share",
            ClauseId::T10,
            owned(
                format!(
                    "村集体经济收入{}以上的贫困村达到{}",
                    // In a Chinese sentence the amount takes no space before its unit (5万元).
                    p.income_high.to_string().replace(' ', ""),
                    p.income_high_share
                ),
                format!(
                    "poor villages with collective income ≥ {} reach {}",
                    p.income_high.display_in(Unit::Wan, Lang::En),
                    p.income_high_share
                ),
            ),
            to_u32(count(p.income_high)),
            total,
            p.income_high_share,
        )?,
        projects,
    ])
}

fn factories(
    p: &FactoryPolicy,
    city_total: u64,
    units: &[FactoryUnitInput],
) -> Result<Vec<Check>, TasksError> {
    let mut seen = HashSet::new();
    let mut checks = Vec::new();
    let mut total: u64 = 0;
    for (i, u) in units.iter().enumerate() {
        crate::check_name(&format!("factories[{i}].name"), &u.name)
            .map_err(|e| TasksError::Input(e.into()))?;
        if u.name.trim().is_empty() || !seen.insert(crate::name_key(&u.name)) {
            return Err(repeated(
                &u.name,
                format!("factories[{i}].name"),
                format!("unit name `{}` is empty or repeated", u.name),
            ));
        }
        let mut names = HashSet::new();
        for (f, factory) in u.factories.iter().enumerate() {
            crate::check_name(
                &format!("factories[{i}].factories[{f}].name"),
                &factory.name,
            )
            .map_err(|e| TasksError::Input(e.into()))?;
            if factory.name.trim().is_empty() || !names.insert(crate::name_key(&factory.name)) {
                return Err(repeated(
                    &factory.name,
                    format!("factories[{i}].factories[{f}].name"),
                    format!(
                        "factory name `{}` is empty or repeated in `{}`",
                        factory.name, u.name
                    ),
                ));
            }
        }
        let built = u32::try_from(u.factories.len()).unwrap_or(u32::MAX);
        total += u64::from(built);
        checks.push(
            Check::new(
                "T3.factories_per_unit",
                ClauseId::T3,
                owned(
                    format!("每个县（市）区新建扶贫工厂{}家", p.per_unit),
                    format!("{} new factories per county-level unit", p.per_unit),
                ),
                n(built),
                Comparison::AtLeast,
                n(p.per_unit),
                built >= p.per_unit,
                Some(n(p.per_unit.saturating_sub(built))),
            )
            .about(u.name.clone()),
        );
        let label = match p.employment_basis {
            EmploymentBasis::PerUnit => owned(
                format!("每县（市）区扶贫工厂带动就业{}人以上", p.employment_min),
                format!("a unit's factories employ ≥ {} people", p.employment_min),
            ),
            EmploymentBasis::PerFactory => owned(
                format!("每家扶贫工厂带动就业{}人以上", p.employment_min),
                format!("each factory employs ≥ {} people", p.employment_min),
            ),
        };
        match p.employment_basis {
            EmploymentBasis::PerUnit => {
                let employed: u64 = u.factories.iter().map(|f| u64::from(f.employed)).sum();
                checks.push(
                    Check::new(
                        "T3.factory_employment",
                        ClauseId::T3,
                        label,
                        n(employed),
                        Comparison::AtLeast,
                        n(p.employment_min),
                        employed >= u64::from(p.employment_min),
                        Some(n(u64::from(p.employment_min).saturating_sub(employed))),
                    )
                    .about(u.name.clone()),
                );
            }
            EmploymentBasis::PerFactory => {
                for f in &u.factories {
                    checks.push(
                        Check::new(
                            "T3.factory_employment",
                            ClauseId::T3,
                            label.clone(),
                            n(f.employed),
                            Comparison::AtLeast,
                            n(p.employment_min),
                            f.employed >= p.employment_min,
                            Some(n(p.employment_min.saturating_sub(f.employed))),
                        )
                        .about(format!("{} / {}", u.name, f.name)),
                    );
                }
            }
        }
    }
    // The city's count is of the factories listed here, unit by unit: say so, as the task
    // table's own figure for `t3.factories` may count more units than are listed.
    let listed = units.len();
    checks.push(
        Check::new(
            "T3.factories_total",
            ClauseId::T3,
            owned(
                format!("全市新建扶贫工厂{city_total}家"),
                format!("{city_total} new factories in the city"),
            ),
            n(total),
            Comparison::AtLeast,
            n(city_total),
            total >= city_total,
            Some(n(city_total.saturating_sub(total))),
        )
        .with_note(owned(
            format!("按所列 {listed} 个县（市）区的工厂计数"),
            format!("counted from the factories listed for {listed} county-level unit(s)"),
        )),
    );
    Ok(checks)
}

/// The rule checks of T3, T10 and M9 for whatever parts of the input are given, in this order:
/// social assistance (per subject), training, factories (per unit, then the city), villages,
/// contracted townships and their poor villages (M9).
///
/// # Errors
/// [`TasksError::Input`] naming the field: a negative standard or income, a repeated or empty
/// name, more registered poor than trainees.
///
/// # Example
/// ```
/// use fupin::tasks::{check_rules, SocialAssistanceInput, TasksInput};
/// let policy = fupin::Policy::chaoyang_2020();
/// let mut input = TasksInput::default();
/// input.social_assistance.push(SocialAssistanceInput {
///     subject: None,
///     dibao_last_year: "5000".parse().unwrap(),
///     dibao_this_year: "5500".parse().unwrap(), // +10 %
///     poverty_line: "4000".parse().unwrap(),
///     low_income_standard: "7150".parse().unwrap(), // 1.3 × 5,500
///     special_hardship_standard: "7149.99".parse().unwrap(), // 1 fen short
/// });
/// let checks = check_rules(&policy.tasks, &input).unwrap();
/// let failed: Vec<&str> = checks.iter().filter(|c| !c.passed).map(|c| c.id.as_ref()).collect();
/// assert_eq!(failed, ["T3.special_hardship_multiple"]);
/// ```
pub fn check_rules(policy: &TasksPolicy, input: &TasksInput) -> Result<Vec<Check>, TasksError> {
    let mut checks = Vec::new();
    for (i, s) in input.social_assistance.iter().enumerate() {
        checks.extend(social_assistance(policy, s, i)?);
    }
    if let Some(t) = &input.training {
        if t.registered_poor > t.trainees {
            return Err(TasksError::at(
                "training.registered_poor",
                format!(
                    "value {} is above the number of trainees {}",
                    t.registered_poor, t.trainees
                ),
            ));
        }
        checks.push(share_check(
            "T3.training_registered_poor_share",
            ClauseId::T3,
            owned(
                format!(
                    "培训对象中建档立卡贫困人口达到{}",
                    policy.training.registered_poor_share_min
                ),
                format!(
                    "registered poor are ≥ {} of trainees",
                    policy.training.registered_poor_share_min
                ),
            ),
            t.registered_poor,
            t.trainees,
            policy.training.registered_poor_share_min,
        )?);
    }
    if !input.factories.is_empty() {
        let city_total = policy.factories_target().unwrap_or_default();
        checks.extend(factories(&policy.factories, city_total, &input.factories)?);
    }
    if !input.villages.is_empty() {
        checks.extend(villages(&policy.villages, &input.villages)?);
    }
    checks.extend(pairing(&policy.pairing, &input.pairing)?);
    Ok(checks)
}
