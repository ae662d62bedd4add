//! A unit's whole assessment (考核方式, 结果运用): its cards held separately, who assesses each,
//! the one-vote veto on the unit, per-card rankings, and where the results stand.
//!
//! The assessment method says: **各考核项目单独进行考核** — each card is assessed on its own; card A
//! (the bureau's industry work) by the city poverty office (市扶贫办), card B (village stationing,
//! contracting and pairing) jointly by the organisation department, the organs' work committee and
//! the poverty office (市委组织部、市直机关工委、市扶贫办共同组织考核). The results are summarised by
//! the office of the city leading group (汇总), passed by the executive meeting of the city
//! government (市政府常务会议通过) and submitted to the standing committee of the party committee
//! for approval (市委常委会审定). A city department (市直部门) with a serious problem and bad effect is
//! vetoed (一票否决): the veto belongs to the **unit**, and fails each of its cards.
//!
//! [`assess_units`] takes one [`UnitsInput`] (the units, each with its scores per card, its veto,
//! and the step the results have reached) and gives [`UnitAssessments`]: each unit with its cards'
//! explained reports and assessors, and one ranking per card — never a ranking that mixes cards.
//!
//! # Example
//! ```
//! use fupin::assessment::{assess_units, Outcome, UnitsInput};
//! let policy = fupin::Policy::chaoyang_2020();
//! let input = UnitsInput::from_json(r#"{
//!   "status": "executive_meeting",
//!   "units": [
//!     {"unit": "市财政局",
//!      "cards": {"a": {"items": {"annual_targets": "76", "daily_responsibility": "18"}},
//!                "b": {"items": {"grassroots_organisation": "5", "key_tasks": "18", "daily_village_work": "5",
//!                                "sending_unit_support": "5", "stationing_evaluation": "4", "deployment": "9",
//!                                "daily_work": "9", "overall_effect": "27", "contracting_evaluation": "9"}}}},
//!     {"unit": "市农业农村局",
//!      "cards": {"a": {"items": {"annual_targets": "80", "daily_responsibility": "20"}}},
//!      "veto": {"reason": "扶贫资金被挪用，造成不良影响"}}
//!   ]}"#)?;
//! let r = assess_units(&policy.assessment, &input)?;
//! assert_eq!(r.units[1].outcome, Outcome::Vetoed);          // the veto is the unit's…
//! assert_eq!(r.units[1].cards[0].report.outcome, Outcome::Vetoed); // …and fails each card
//! let a = r.ranking("a").unwrap();
//! assert_eq!((a.entries[0].unit.as_str(), a.entries[0].rank), ("市财政局", 1)); // the vetoed unit is last
//! assert_eq!(r.ranking("b").unwrap().entries.len(), 1);    // card B ranks only its own units
//! assert_eq!(r.units[0].cards[1].assessed_by.len(), 3);    // card B: three bodies jointly
//! # Ok::<(), fupin::assessment::ScoreError>(())
//! ```

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{
    AssessmentPolicy, BonusInput, Outcome, Points, RankEntry, ScoreError, ScoreInput, ScoreReport,
    Veto, rank, score,
};
use crate::check::Label;
use crate::load::{self, ErrorCode, FieldError};
use crate::money::Lang;
use crate::render::{Align, Table, tr};

/// A step the assessment results pass through (结果运用: 汇总 → 市政府常务会议通过 → 市委常委会审定).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResultStep {
    /// Stable id, e.g. `summarised`.
    pub id: String,
    /// What happens, e.g. 经市政府常务会议通过.
    pub label: Label,
    /// Who does it.
    pub by: Label,
}

/// One card's scores of a unit: items and bonuses (the unit and its veto are the unit's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CardScores {
    /// Points per item id.
    #[serde(default)]
    pub items: BTreeMap<String, Points>,
    /// Input per bonus line id.
    #[serde(default)]
    pub bonuses: BTreeMap<String, BonusInput>,
    /// Refused when given: the veto belongs to the unit, not to one of its cards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<Veto>,
}

/// One unit (市直部门) and its scores on each card it is assessed on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// The unit's name.
    pub unit: String,
    /// Its scores, per card id (`a`, `b`).
    pub cards: BTreeMap<String, CardScores>,
    /// 一票否决 — the unit's veto, with its reason: it fails every card of the unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto: Option<Veto>,
}

/// The units of one assessment round and where their results stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitsInput {
    /// The year assessed, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The last result step reached (an id of the policy's `result_steps`); none: the results
    /// are not yet summarised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The units.
    pub units: Vec<UnitInput>,
}

impl UnitsInput {
    /// Load from JSON.
    ///
    /// # Errors
    /// [`ScoreError::Input`] naming the field path and value.
    pub fn from_json(text: &str) -> Result<Self, ScoreError> {
        load::from_json(text).map_err(ScoreError::Input)
    }

    /// Load from TOML.
    ///
    /// # Errors
    /// [`ScoreError::Input`] naming the field path and value.
    pub fn from_toml(text: &str) -> Result<Self, ScoreError> {
        load::from_toml(text).map_err(ScoreError::Input)
    }
}

/// One card of a unit: who assesses it and the explained report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CardAssessment {
    /// The card's id.
    pub card: String,
    /// The bodies that assess the card (考核方式).
    pub assessed_by: Vec<Label>,
    /// The explained score.
    pub report: ScoreReport,
    /// The unit's rank among the units on this card.
    pub rank: usize,
}

/// One unit's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitAssessment {
    /// The unit.
    pub unit: String,
    /// Its cards, in the policy's order, each assessed on its own.
    pub cards: Vec<CardAssessment>,
    /// Scored, or failed by the unit's veto.
    pub outcome: Outcome,
    /// The veto's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto_reason: Option<String>,
}

/// A unit's place in one card's ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RankedUnit {
    /// The unit.
    pub unit: String,
    /// Competition rank; vetoed units last.
    pub rank: usize,
    /// The unit's total on the card.
    pub total: Points,
    /// Whether the unit is vetoed.
    pub vetoed: bool,
}

/// The ranking of the units on one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CardRanking {
    /// The card's id.
    pub card: String,
    /// The card's name.
    pub label: Label,
    /// The units, best first.
    pub entries: Vec<RankedUnit>,
}

/// Where the results stand: each step done or to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StepStatus {
    /// The step's id.
    pub id: String,
    /// What happens.
    pub label: Label,
    /// Who does it.
    pub by: Label,
    /// Whether it is done.
    pub done: bool,
}

/// Every unit's assessment, one ranking per card, and the results' status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitAssessments {
    /// The year, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Each unit, in input order.
    pub units: Vec<UnitAssessment>,
    /// One ranking per card (the policy's order), of the units assessed on it.
    pub rankings: Vec<CardRanking>,
    /// The result steps of the policy, each done or to come.
    pub status: Vec<StepStatus>,
}

fn field(path: String, message: impl Into<String>) -> ScoreError {
    ScoreError::Input(FieldError::new(path, message).into())
}

fn coded(code: ErrorCode, path: String, value: &str, message: &str) -> ScoreError {
    ScoreError::Input(FieldError::coded(code, path, Some(value.to_owned()), message).into())
}

/// Assess every unit: each card on its own, the unit's veto on each card, one ranking per card.
///
/// # Errors
/// [`ScoreError`] naming the unit and card: an empty or repeated unit name, a unit without any
/// card, a card the policy does not have, a veto on a card (it belongs to the unit), a veto
/// without a reason, an unknown result step — and every error of [`score`].
pub fn assess_units(
    policy: &AssessmentPolicy,
    input: &UnitsInput,
) -> Result<UnitAssessments, ScoreError> {
    let mut names = HashSet::new();
    let mut units = Vec::with_capacity(input.units.len());
    for (i, u) in input.units.iter().enumerate() {
        let at = |f: &str| format!("units[{i}].{f}");
        if u.unit.trim().is_empty() {
            return Err(coded(
                ErrorCode::EMPTY,
                at("unit"),
                &u.unit,
                "a unit's name is empty",
            ));
        }
        crate::check_name(&at("unit"), &u.unit).map_err(|e| ScoreError::Input(e.into()))?;
        if !names.insert(crate::name_key(&u.unit)) {
            return Err(coded(
                ErrorCode::DUPLICATE,
                at("unit"),
                &u.unit,
                &format!("unit `{}` appears more than once", u.unit),
            ));
        }
        if u.cards.is_empty() {
            return Err(field(
                at("cards"),
                format!("unit `{}` has no card to assess", u.unit),
            ));
        }
        if u.veto.as_ref().is_some_and(|v| v.reason.trim().is_empty()) {
            return Err(field(
                at("veto.reason"),
                format!(
                    "unit `{}`: the veto has no reason — say what serious problem was found",
                    u.unit
                ),
            ));
        }
        for (id, scores) in &u.cards {
            if policy.card(id).is_none() {
                let known: Vec<&str> = policy.cards.iter().map(|c| c.id.as_str()).collect();
                return Err(field(
                    format!("units[{i}].cards.{id}"),
                    format!("no card `{id}` in the policy (known: {})", known.join(", ")),
                ));
            }
            if scores.veto.is_some() {
                return Err(field(
                    format!("units[{i}].cards.{id}.veto"),
                    "the one-vote veto belongs to the unit (市直部门), not to one card: give it as the unit's `veto`",
                ));
            }
        }
        let mut cards = Vec::new();
        for card in &policy.cards {
            let Some(scores) = u.cards.get(&card.id) else {
                continue;
            };
            let one = ScoreInput {
                unit: u.unit.clone(),
                items: scores.items.clone(),
                bonuses: scores.bonuses.clone(),
                veto: u.veto.clone(),
            };
            let report = score(card, &one).map_err(|e| {
                field(
                    format!("units[{i}].cards.{}", card.id),
                    format!("unit `{}`: {e}", u.unit),
                )
            })?;
            cards.push(CardAssessment {
                card: card.id.clone(),
                assessed_by: card.assessed_by.clone(),
                report,
                rank: 0,
            });
        }
        units.push(UnitAssessment {
            unit: u.unit.clone(),
            cards,
            outcome: if u.veto.is_some() {
                Outcome::Vetoed
            } else {
                Outcome::Scored
            },
            veto_reason: u.veto.as_ref().map(|v| v.reason.clone()),
        });
    }
    let mut rankings = Vec::new();
    for card in &policy.cards {
        let on_card: Vec<(usize, usize)> = units
            .iter()
            .enumerate()
            .filter_map(|(u, a)| {
                a.cards
                    .iter()
                    .position(|c| c.card == card.id)
                    .map(|c| (u, c))
            })
            .collect();
        if on_card.is_empty() {
            continue;
        }
        let reports: Vec<ScoreReport> = on_card
            .iter()
            .filter_map(|&(u, c)| units.get(u)?.cards.get(c).map(|a| a.report.clone()))
            .collect();
        let ranked: Vec<RankEntry> = rank(&reports)?;
        let mut entries = Vec::with_capacity(ranked.len());
        for e in ranked {
            let Some(&(u, c)) = on_card.get(e.index) else {
                continue;
            };
            if let Some(slot) = units.get_mut(u).and_then(|a| a.cards.get_mut(c)) {
                slot.rank = e.rank;
                entries.push(RankedUnit {
                    unit: slot.report.unit.clone(),
                    rank: e.rank,
                    total: e.total,
                    vetoed: e.vetoed,
                });
            }
        }
        rankings.push(CardRanking {
            card: card.id.clone(),
            label: card.label.clone(),
            entries,
        });
    }
    let reached = match &input.status {
        None => 0,
        Some(id) => {
            policy
                .result_steps
                .iter()
                .position(|s| &s.id == id)
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        policy.result_steps.iter().map(|s| s.id.as_str()).collect();
                    field(
                        "status".to_owned(),
                        format!(
                            "`{id}` is not a result step of the policy (known: {})",
                            known.join(", ")
                        ),
                    )
                })?
                + 1
        }
    };
    let status = policy
        .result_steps
        .iter()
        .enumerate()
        .map(|(n, s)| StepStatus {
            id: s.id.clone(),
            label: s.label.clone(),
            by: s.by.clone(),
            done: n < reached,
        })
        .collect();
    Ok(UnitAssessments {
        year: input.year,
        units,
        rankings,
        status,
    })
}

impl UnitAssessments {
    /// The ranking of one card.
    #[must_use]
    pub fn ranking(&self, card: &str) -> Option<&CardRanking> {
        self.rankings.iter().find(|r| r.card == card)
    }

    /// The assessment as text: each unit's cards, one ranking per card, the results' status.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "")
    }

    /// The assessment as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ")
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "{h}{}\n",
            tr(
                lang,
                "单位考核（各考核项目单独进行考核）",
                "Unit assessment (each card assessed on its own)"
            )
        ));
        let mut t = Table::new(vec![
            (tr(lang, "单位", "unit"), Align::Left),
            (tr(lang, "考核表", "card"), Align::Left),
            (tr(lang, "考核单位", "assessed by"), Align::Left),
            (tr(lang, "基础分", "base"), Align::Right),
            (tr(lang, "加分", "bonus"), Align::Right),
            (tr(lang, "总分", "total"), Align::Right),
            (tr(lang, "名次", "rank"), Align::Right),
            (tr(lang, "结果", "outcome"), Align::Left),
        ]);
        for u in &self.units {
            for c in &u.cards {
                let by: Vec<&str> = c.assessed_by.iter().map(|b| b.get(lang)).collect();
                t.row(vec![
                    u.unit.clone(),
                    format!("{} {}", c.card, c.report.card_label.get(lang)),
                    by.join(tr(lang, "、", "; ")),
                    c.report.base.to_string(),
                    c.report.bonus.to_string(),
                    c.report.total.to_string(),
                    c.rank.to_string(),
                    match u.outcome {
                        Outcome::Vetoed => tr(lang, "一票否决", "vetoed").to_owned(),
                        Outcome::Scored => String::new(),
                    },
                ]);
            }
        }
        out.push_str(&table(&t));
        for u in self.units.iter().filter(|u| u.outcome == Outcome::Vetoed) {
            out.push_str(&format!(
                "{}: {} — {}\n",
                u.unit,
                tr(
                    lang,
                    "一票否决（单位各考核表均不合格，分数仅供参考）",
                    "one-vote veto (every card of the unit fails; points shown for reference)"
                ),
                u.veto_reason.as_deref().unwrap_or("")
            ));
        }
        for r in &self.rankings {
            out.push_str(&format!(
                "\n{h}{} {} — {}\n",
                tr(lang, "排名", "Ranking"),
                r.card,
                r.label.get(lang)
            ));
            let mut t = Table::new(vec![
                (tr(lang, "名次", "rank"), Align::Right),
                (tr(lang, "单位", "unit"), Align::Left),
                (tr(lang, "总分", "total"), Align::Right),
                (tr(lang, "结果", "outcome"), Align::Left),
            ]);
            for e in &r.entries {
                t.row(vec![
                    e.rank.to_string(),
                    e.unit.clone(),
                    e.total.to_string(),
                    if e.vetoed {
                        tr(lang, "一票否决", "vetoed")
                    } else {
                        ""
                    }
                    .to_owned(),
                ]);
            }
            out.push_str(&table(&t));
        }
        if !self.status.is_empty() {
            let steps: Vec<String> = self
                .status
                .iter()
                .map(|s| {
                    let (open, close) = match lang {
                        Lang::Zh => ("（", "）"),
                        Lang::En => (" (", ")"),
                    };
                    let (label, by) = (s.label.get(lang), s.by.get(lang));
                    // 市政府常务会议通过 names its body already: no (市政府常务会议) after it.
                    let by = if by.is_empty() || label.contains(by) {
                        String::new()
                    } else {
                        format!("{open}{by}{close}")
                    };
                    format!("{} {label}{by}", if s.done { "✓" } else { "…" })
                })
                .collect();
            out.push_str(&format!(
                "\n{}: {}\n",
                tr(lang, "结果状态", "Status of the results"),
                steps.join(" → ")
            ));
        }
        out
    }
}
