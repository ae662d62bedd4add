//! Scoring one unit: the explained [`ScoreReport`].

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::batch::{Compiled, Row, Scored, kernel};
use super::{BonusInput, BonusKind, Points, ScoreError, ScoreInput, Scorecard};
use crate::check::{ClauseId, Label};
use crate::money::{Lang, Ratio};
use crate::render::tr;
use crate::render::{Align, Table};

/// Whether the unit is scored or failed by the one-vote veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Scored on its points.
    Scored,
    /// 一票否决 — failed whatever its points (the points are still shown).
    Vetoed,
}

/// One scored item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemLine {
    /// Id of the item's section.
    pub section: String,
    /// Id of the item.
    pub id: String,
    /// Where in the source.
    pub source: String,
    /// Name.
    pub label: Label,
    /// Points given.
    pub points: Points,
    /// The item's maximum.
    pub max: Points,
    /// Clause, rule and numbers, in words.
    pub explanation: Label,
}

/// One section's subtotal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SectionLine {
    /// Id of the section.
    pub id: String,
    /// Name.
    pub label: Label,
    /// Sum of its items.
    pub points: Points,
    /// Its maximum.
    pub max: Points,
}

/// One bonus line: raw points, the line's cap, capped points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BonusLine {
    /// Id of the rule.
    pub id: String,
    /// Where in the source.
    pub source: String,
    /// Name.
    pub label: Label,
    /// The rule's kind (`per_step`, `per_count`, `discretionary`).
    pub kind: Cow<'static, str>,
    /// Points before the line's cap.
    pub raw: Points,
    /// The line's cap.
    pub cap: Points,
    /// `min(raw, cap)`.
    pub capped: Points,
    /// The rule applied, with its numbers, in words.
    pub explanation: Label,
}

/// One unit's explained score on a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreReport {
    /// The card's id.
    pub card: String,
    /// The card's clause.
    pub clause: ClauseId,
    /// The card's name.
    pub card_label: Label,
    /// The unit.
    pub unit: String,
    /// Every item, in card order.
    pub items: Vec<ItemLine>,
    /// Every section's subtotal.
    pub sections: Vec<SectionLine>,
    /// Sum of the items.
    pub base: Points,
    /// The card's total of base points (100).
    pub base_max: Points,
    /// Every bonus line, in card order.
    pub bonus_lines: Vec<BonusLine>,
    /// Sum of the capped lines, before the cap on the bonus total.
    pub bonus_raw: Points,
    /// The cap on the bonus total (20 on card A).
    pub bonus_cap: Points,
    /// `min(bonus_raw, bonus_cap)`.
    pub bonus: Points,
    /// `base + bonus` — shown even when vetoed.
    pub total: Points,
    /// Scored, or failed by the veto.
    pub outcome: Outcome,
    /// Why the unit was vetoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub veto_reason: Option<String>,
    /// The grade, when the card has user-supplied bands and the unit is not vetoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Label>,
}

fn pts(v: i128) -> Points {
    Points::from_scaled(v).unwrap_or_default()
}

fn label(zh: String, en: String) -> Label {
    Label {
        zh: Cow::Owned(zh),
        en: Cow::Owned(en),
    }
}

/// Score one unit on a card, explaining every line.
///
/// # Errors
/// [`ScoreError`] naming the item: an unknown id, an item without a score, a score above its
/// maximum or negative, a discretionary bonus above its cap, a bonus input of the wrong kind, a
/// value with more than 4 decimal places; [`ScoreError::InvalidCard`] for an invalid card.
///
/// # Example
/// ```
/// use fupin::assessment::{score, BonusInput, Outcome, Points, ScoreInput, Veto};
/// let policy = fupin::Policy::chaoyang_2020();
/// let a = policy.assessment.card("a").unwrap();
/// let mut input = ScoreInput::new("示例科室");
/// input.items.insert("annual_targets".into(), Points::from(80));
/// input.items.insert("daily_responsibility".into(), "19.5".parse().unwrap());
/// input.bonuses.insert("commendations".into(),
///     BonusInput::Counts([("provincial".into(), 3), ("national".into(), 1)].into()));
/// input.veto = Some(Veto { reason: "严重问题".into() });
/// let r = score(a, &input).unwrap();
/// assert_eq!(r.bonus_lines[2].raw, "2.5".parse().unwrap());
/// assert_eq!(r.bonus_lines[2].capped, Points::from(2));
/// assert_eq!(r.total, "101.5".parse().unwrap()); // still shown…
/// assert_eq!(r.outcome, Outcome::Vetoed);        // …but the unit fails
/// ```
pub fn score(card: &Scorecard, input: &ScoreInput) -> Result<ScoreReport, ScoreError> {
    let c = Compiled::new(card)?;
    let (mut row, mut s) = (Row::default(), Scored::default());
    row.fill(card, &c, input)?;
    kernel(card, &c, &row, &mut s)?;
    Ok(explain(card, &c, input, &row, &s))
}

fn explain(
    card: &Scorecard,
    c: &Compiled,
    input: &ScoreInput,
    row: &Row,
    s: &Scored,
) -> ScoreReport {
    let items: Vec<ItemLine> = card
        .items()
        .zip(&row.items)
        .map(|((sec, it), &v)| ItemLine {
            section: sec.id.clone(),
            id: it.id.clone(),
            source: it.source.clone(),
            label: it.label.clone(),
            points: pts(v),
            max: it.max,
            explanation: label(
                format!(
                    "{}：{} / {} 分（{} 附件2 {}）",
                    it.label.zh,
                    pts(v),
                    it.max,
                    card.clause,
                    it.source
                ),
                format!(
                    "{}: {} of {} points ({} 附件2 {})",
                    it.label.en,
                    pts(v),
                    it.max,
                    card.clause,
                    it.source
                ),
            ),
        })
        .collect();
    let mut start = 0;
    let sections = card
        .sections
        .iter()
        .zip(&c.section_ends)
        .map(|(sec, &end)| {
            let sum = row.items.get(start..end).unwrap_or(&[]).iter().sum();
            start = end;
            SectionLine {
                id: sec.id.clone(),
                label: sec.label.clone(),
                points: pts(sum),
                max: sec.max,
            }
        })
        .collect();
    let bonus_lines = card
        .bonus
        .rules
        .iter()
        .zip(&s.lines)
        .zip(&s.steps)
        .map(|((rule, &(raw, capped)), &steps)| {
            let (raw, capped) = (pts(raw), pts(capped));
            let given = input.bonuses.get(&rule.id);
            let (zh, en) = match &rule.rule {
                BonusKind::PerStep { base, step, points } => {
                    let done = match given {
                        Some(BonusInput::Completion(r)) => *r,
                        _ => Ratio::ZERO,
                    };
                    (
                        format!(
                            "完成率 {done}：超过 {base} 的每满 {step} 计 {points} 分，共 {steps} 档 = {raw} 分"
                        ),
                        format!(
                            "completion {done}: {steps} full step(s) of {step} beyond {base} × {points} = {raw}"
                        ),
                    )
                }
                BonusKind::PerCount { weights } => {
                    let counts = match given {
                        Some(BonusInput::Counts(m)) => Some(m),
                        _ => None,
                    };
                    let n = |id: &str| counts.and_then(|m| m.get(id)).copied().unwrap_or(0);
                    let terms = |lang: Lang| {
                        weights
                            .iter()
                            .map(|w| format!("{} × {} {}", n(&w.id), w.label.get(lang), w.points))
                            .collect::<Vec<_>>()
                            .join(" + ")
                    };
                    (
                        format!("{} = {raw} 分", terms(Lang::Zh)),
                        format!("{} = {raw}", terms(Lang::En)),
                    )
                }
                BonusKind::Discretionary => (
                    format!("考核组酌情给分 {raw} 分"),
                    format!("given by the assessors: {raw}"),
                ),
            };
            BonusLine {
                id: rule.id.clone(),
                source: rule.source.clone(),
                label: rule.label.clone(),
                kind: Cow::Borrowed(rule.rule.name()),
                raw,
                cap: rule.cap,
                capped,
                explanation: label(
                    format!("{}：{zh}；上限 {} 分 → {capped} 分", rule.label.zh, rule.cap),
                    format!("{}: {en}; cap {} → {capped}", rule.label.en, rule.cap),
                ),
            }
        })
        .collect();
    ScoreReport {
        card: card.id.clone(),
        clause: card.clause,
        card_label: card.label.clone(),
        unit: input.unit.clone(),
        items,
        sections,
        base: pts(s.base),
        base_max: card.total,
        bonus_lines,
        bonus_raw: pts(s.bonus_raw),
        bonus_cap: card.bonus.cap,
        bonus: pts(s.bonus),
        total: pts(s.total),
        outcome: if row.vetoed {
            Outcome::Vetoed
        } else {
            Outcome::Scored
        },
        veto_reason: input.veto.as_ref().map(|v| v.reason.clone()),
        grade: s
            .grade
            .and_then(|g| card.grades.get(g))
            .map(|g| g.label.clone()),
    }
}

impl ScoreReport {
    /// Whether the unit failed (by the one-vote veto; the plan sets no pass mark).
    #[must_use]
    pub fn failed(&self) -> bool {
        self.outcome == Outcome::Vetoed
    }

    /// The report as plain text: items, bonus lines, totals, veto and grade.
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
        crate::render::html_blocks(&self.render(lang, Table::to_html, ""), "fupin-score")
    }

    /// The unit and its card, in one line: `示例科室 — 市财政局行业扶贫工作考核 (A 附件2 考核办法 一)`.
    #[must_use]
    pub fn heading(&self, lang: Lang) -> String {
        format!(
            "{} — {} ({} {})",
            self.unit,
            self.card_label.get(lang),
            self.clause,
            self.clause.section()
        )
    }

    /// Every item with its points and maximum, then the base points.
    #[must_use]
    pub fn items_table(&self, lang: Lang) -> Table {
        let mut t = Table::new(vec![
            (tr(lang, "条款", "source"), Align::Left),
            (tr(lang, "考核项", "item"), Align::Left),
            (tr(lang, "得分", "points"), Align::Right),
            (tr(lang, "满分", "max"), Align::Right),
        ]);
        for i in &self.items {
            t.row(vec![
                i.source.clone(),
                i.label.get(lang).to_owned(),
                i.points.to_string(),
                i.max.to_string(),
            ]);
        }
        t.row(vec![
            String::new(),
            tr(lang, "基础分合计", "base points").to_owned(),
            self.base.to_string(),
            self.base_max.to_string(),
        ]);
        t
    }

    /// Every bonus line — raw, cap, capped — then the capped total; `None` for a card without
    /// bonus lines.
    #[must_use]
    pub fn bonus_table(&self, lang: Lang) -> Option<Table> {
        if self.bonus_lines.is_empty() {
            return None;
        }
        let mut b = Table::new(vec![
            (tr(lang, "加分项", "bonus"), Align::Left),
            (tr(lang, "计算", "raw"), Align::Right),
            (tr(lang, "上限", "cap"), Align::Right),
            (tr(lang, "加分", "points"), Align::Right),
        ]);
        for l in &self.bonus_lines {
            b.row(vec![
                l.label.get(lang).to_owned(),
                l.raw.to_string(),
                l.cap.to_string(),
                l.capped.to_string(),
            ]);
        }
        b.row(vec![
            tr(lang, "加分合计（封顶）", "bonus total (capped)").to_owned(),
            self.bonus_raw.to_string(),
            self.bonus_cap.to_string(),
            self.bonus.to_string(),
        ]);
        Some(b)
    }

    /// The lines after the tables: the total, the grade (when the card has bands) and the
    /// veto (when the unit is vetoed).
    #[must_use]
    pub fn summary(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![format!("{}: {}", tr(lang, "总分", "total"), self.total)];
        if let Some(g) = &self.grade {
            out.push(format!("{}: {}", tr(lang, "等次", "grade"), g.get(lang)));
        }
        if self.failed() {
            out.push(format!(
                "{}: {}",
                tr(
                    lang,
                    "一票否决，考核不合格（得分仍列出）",
                    "one-vote veto: failed whatever its points (points still shown)"
                ),
                self.veto_reason.as_deref().unwrap_or("")
            ));
        }
        out
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let mut out = format!("{h}{}\n\n", self.heading(lang));
        out.push_str(&table(&self.items_table(lang)));
        if let Some(b) = self.bonus_table(lang) {
            out.push('\n');
            out.push_str(&table(&b));
            for l in &self.bonus_lines {
                out.push_str(&format!("  · {}\n", l.explanation.get(lang)));
            }
        }
        out.push('\n');
        for line in self.summary(lang) {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

impl Scorecard {
    /// The card as a table: each section's items with their maxima, then each bonus rule with
    /// its kind and cap, and the cap on the bonus total.
    ///
    /// # Example
    /// ```
    /// let p = fupin::Policy::chaoyang_2020();
    /// let text = p.assessment.card("b").unwrap().table(fupin::Lang::En).to_text();
    /// assert!(text.contains("Overall effect") && text.contains("30"));
    /// ```
    #[must_use]
    pub fn table(&self, lang: Lang) -> Table {
        let mut t = Table::new(vec![
            (tr(lang, "部分", "section"), Align::Left),
            (tr(lang, "项目", "item"), Align::Left),
            (tr(lang, "出处", "source"), Align::Left),
            (tr(lang, "分值", "max"), Align::Right),
        ]);
        for s in &self.sections {
            for item in &s.items {
                t.row(vec![
                    s.label.get(lang).to_owned(),
                    item.label.get(lang).to_owned(),
                    item.source.clone(),
                    item.max.to_string(),
                ]);
            }
        }
        for rule in &self.bonus.rules {
            t.row(vec![
                format!("{} ({})", tr(lang, "加分项", "bonus"), rule.rule.name()),
                rule.label.get(lang).to_owned(),
                rule.source.clone(),
                format!("≤ {}", rule.cap),
            ]);
        }
        if !self.bonus.rules.is_empty() {
            t.row(vec![
                tr(lang, "加分项合计", "bonus total").to_owned(),
                String::new(),
                self.bonus.source.clone(),
                format!("≤ {}", self.bonus.cap),
            ]);
        }
        t
    }

    /// The card as HTML (its name, then [`Scorecard::table`]), for notebooks.
    #[must_use]
    pub fn to_html(&self, lang: Lang) -> String {
        let text = format!(
            "{} ({} {}, {} {})\n{}",
            self.label.get(lang),
            self.clause,
            self.clause.section(),
            tr(lang, "满分", "total"),
            self.total,
            self.table(lang).to_html()
        );
        crate::render::html_blocks(&text, "fupin-scorecard")
    }
}
