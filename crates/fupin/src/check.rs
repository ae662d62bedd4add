//! Traceable results: every rule returns a [`Check`] that cites its clause.
//!
//! A check records the clause id ([`ClauseId`]; the repository's docs/clauses.md maps each), the
//! clause of the original document (e.g. `三(一)`), a label in Chinese and English, the actual
//! value, the threshold and how they compare, whether it passed and — when it failed — the
//! shortfall. Reports are lists of checks, so an auditor can always say *why* a unit passed or
//! failed.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Amount, Lang, PercentagePoints, Ratio};
use crate::render::{Align, Table, tr};

/// A clause of the plan (朝财农〔2020〕67号), by its id; docs/clauses.md says what each one states,
/// where the code models it and which test pins it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ClauseId {
    /// 前言 — the preamble: the year's poverty-alleviation tasks (people lifted out of poverty,
    /// incomes raised, results consolidated).
    P,
    /// 二(一) city + county input grows ≥ 20 %.
    G1,
    /// 二(二) upward funds grow ≥ 20 %.
    G2,
    /// 二(三) integration ratio ≥ 35 %.
    G3,
    /// 二(四) spending progress reaches the required ratio.
    G4,
    /// 二(五) whole-process supervision and performance management.
    G5,
    /// 三 (opening) — the industry projects the bureau supports first (industry, re-employment,
    /// collective economy, drinking-water safety in edge villages).
    M0,
    /// 三(一) city-level input.
    M1,
    /// 三(一) county input, quotas and budget adjustment.
    M1c,
    /// 三(二) upward funds.
    M2,
    /// 三(三) integration of agricultural funds.
    M3,
    /// 三(四) monthly statistics and bulletin of spending.
    M4,
    /// 三(五) audits and inspections.
    M5,
    /// 三(六) project library and approval chain.
    M6,
    /// 三(七) flying-enclave economy.
    M7,
    /// 三(八) performance targets.
    M8,
    /// 三(九) township contracting, village stationing and pairing.
    M9,
    /// 四 and annex 1: leading group, dispatch and reporting cadence.
    O1,
    /// Annex 2 task 1: organisation and leadership.
    T1,
    /// Annex 2 task 2: minority-nationality poor villages.
    T2,
    /// Annex 2 task 3: training, factories, jobs, social assistance, housing.
    T3,
    /// Annex 2 task 4: demonstration orchards.
    T4,
    /// Annex 2 task 5: consumption poverty alleviation.
    T5,
    /// Annex 2 task 6: education.
    T6,
    /// Annex 2 task 7: contracting, stationing and pairing.
    T7,
    /// Annex 2 task 8: working mechanism and county funds.
    T8,
    /// Annex 2 task 9: performance assessment.
    T9,
    /// Annex 2 task 10: village roads and collective economy.
    T10,
    /// Annex 2 assessment method, scorecard A: industry poverty-alleviation work.
    A,
    /// Annex 2 assessment method, scorecard B: village stationing, contracting and pairing.
    B,
}

impl ClauseId {
    /// The clause of the original document, e.g. `三(一)`.
    #[must_use]
    pub const fn section(self) -> &'static str {
        match self {
            Self::P => "前言",
            Self::M0 => "三(总述)",
            Self::G1 => "二(一)",
            Self::G2 => "二(二)",
            Self::G3 => "二(三)",
            Self::G4 => "二(四)",
            Self::G5 => "二(五)",
            Self::M1 | Self::M1c => "三(一)",
            Self::M2 => "三(二)",
            Self::M3 => "三(三)",
            Self::M4 => "三(四)",
            Self::M5 => "三(五)",
            Self::M6 => "三(六)",
            Self::M7 => "三(七)",
            Self::M8 => "三(八)",
            Self::M9 => "三(九)",
            Self::O1 => "四; 附件1",
            Self::T1 => "附件2 序号1",
            Self::T2 => "附件2 序号2",
            Self::T3 => "附件2 序号3",
            Self::T4 => "附件2 序号4",
            Self::T5 => "附件2 序号5",
            Self::T6 => "附件2 序号6",
            Self::T7 => "附件2 序号7",
            Self::T8 => "附件2 序号8",
            Self::T9 => "附件2 序号9",
            Self::T10 => "附件2 序号10",
            Self::A => "附件2 考核办法 一",
            Self::B => "附件2 考核办法 二",
        }
    }
}

impl fmt::Display for ClauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A label in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// 中文.
    pub zh: Cow<'static, str>,
    /// English.
    pub en: Cow<'static, str>,
}

impl Label {
    /// A label from static text.
    #[must_use]
    pub const fn new(zh: &'static str, en: &'static str) -> Self {
        Self {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }

    /// The text in a language.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A value a check compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Money.
    Amount(Amount),
    /// A ratio (growth, share, progress).
    Ratio(Ratio),
    /// A difference of ratios.
    Points(PercentagePoints),
    /// A count or other plain number (villages, people, km).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "decimal_str")]
    Number(Decimal),
}

impl Value {
    /// Text of the value in a language (see [`crate::money`] for the display rounding).
    #[must_use]
    pub fn display(&self, lang: Lang) -> String {
        match self {
            Self::Amount(a) => a.display_in(crate::money::Unit::Wan, lang).to_string(),
            Self::Ratio(r) => r.to_string(),
            Self::Points(p) => p.to_string(),
            Self::Number(n) => n.normalize().to_string(),
        }
    }
}

/// Percentage points in a language's words: `+5.00 pp`, `+5.00 个百分点`.
#[must_use]
pub fn points_text(p: PercentagePoints, lang: Lang) -> String {
    let text = p.to_string();
    match lang {
        Lang::Zh => format!("{} 个百分点", text.trim_end_matches(" pp")),
        Lang::En => text,
    }
}

/// Serde for a bare decimal as a string, under the decimal marker.
pub(crate) mod decimal_str {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        crate::money::serialize_decimal(d, s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        crate::money::deserialize_decimal(d)
    }
}

/// How the actual value is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// actual ≥ threshold.
    AtLeast,
    /// actual ≤ threshold.
    AtMost,
    /// actual > threshold.
    Above,
}

impl Comparison {
    /// The sign: `≥`, `≤` or `>`.
    #[must_use]
    pub const fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => "≥",
            Self::AtMost => "≤",
            Self::Above => ">",
        }
    }
}

/// The result of one rule for one subject.
///
/// # Example
/// ```
/// use fupin::{data::PlanData, funds, policy::Policy};
/// let p = Policy::chaoyang_2020();
/// let report = funds::check_funds(&p.funds, &p.upward, &PlanData::chaoyang_2020()).unwrap();
/// let g2 = report.iter().find(|c| c.id == "G2.upward_growth").unwrap();
/// assert!(g2.passed);
/// assert_eq!(g2.actual.display(fupin::money::Lang::En), "21.95%");
/// assert_eq!(g2.section, "二(二)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable machine id, e.g. `M1c.unit_quota`.
    pub id: Cow<'static, str>,
    /// Clause id (docs/clauses.md).
    pub clause: ClauseId,
    /// Clause of the original document, e.g. `三(一)`.
    pub section: Cow<'static, str>,
    /// What is checked.
    pub label: Label,
    /// Who or what is checked (a county's name), if not the city as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The actual value.
    pub actual: Value,
    /// How actual and threshold compare.
    pub comparison: Comparison,
    /// The threshold from the policy.
    pub threshold: Value,
    /// Whether the rule is met.
    pub passed: bool,
    /// How far the actual value falls short of the threshold, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall: Option<Value>,
    /// A note for the reader (e.g. that a figure is illustrative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Label>,
    /// The plan's sentence the check comes from, in its Chinese (from the policy's
    /// `plan_text`; see [`Policy::explain`](crate::Policy::explain)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause_text: Option<String>,
}

impl Check {
    /// A check citing `clause`; `section` is taken from the clause.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        clause: ClauseId,
        label: Label,
        actual: Value,
        comparison: Comparison,
        threshold: Value,
        passed: bool,
        shortfall: Option<Value>,
    ) -> Self {
        Self {
            id: id.into(),
            clause,
            section: Cow::Borrowed(clause.section()),
            label,
            subject: None,
            actual,
            comparison,
            threshold,
            passed,
            shortfall: if passed { None } else { shortfall },
            note: None,
            clause_text: None,
        }
    }

    /// The same check about a named subject.
    #[must_use]
    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The same check with a note (replacing any note it had).
    #[must_use]
    pub fn with_note(mut self, note: Label) -> Self {
        self.note = Some(note);
        self
    }

    /// The same check with a note added before any note it already has (`；` / `; `).
    #[must_use]
    pub fn add_note(mut self, note: Label) -> Self {
        self.note = Some(match self.note.take() {
            Some(own) => Label {
                zh: Cow::Owned(format!("{}；{}", note.zh, own.zh)),
                en: Cow::Owned(format!("{}; {}", note.en, own.en)),
            },
            None => note,
        });
        self
    }
}

/// A sentence of the plan, for a clause or for some of its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanText {
    /// The clause the sentence is from.
    pub clause: ClauseId,
    /// The checks it is for (`id`, or `id@subject` for one task's target); empty: the clause's
    /// sentence, for every check of the clause without one of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    /// The sentence, in the plan's Chinese.
    pub text: String,
}

/// The plan's sentence a check (or obligation) comes from: the text listed for `id@subject`,
/// else for `id`, else the clause's own sentence.
#[must_use]
pub fn clause_text<'a>(
    plan_text: &'a [PlanText],
    id: &str,
    subject: Option<&str>,
    clause: ClauseId,
) -> Option<&'a str> {
    let keyed = subject.map(|s| format!("{id}@{s}"));
    let listed = |key: &str| plan_text.iter().find(|t| t.checks.iter().any(|c| c == key));
    keyed
        .as_deref()
        .and_then(listed)
        .or_else(|| listed(id))
        .or_else(|| {
            plan_text
                .iter()
                .find(|t| t.clause == clause && t.checks.is_empty())
        })
        .map(|t| t.text.as_str())
}

/// Fill in each check's [`clause_text`](Check::clause_text) from the plan's words.
pub fn explain(plan_text: &[PlanText], checks: &mut [Check]) {
    for c in checks {
        c.clause_text =
            clause_text(plan_text, &c.id, c.subject.as_deref(), c.clause).map(str::to_owned);
    }
}

/// A table of checks: ✓/✗, clause id and section, label, subject, actual, threshold, shortfall.
#[must_use]
pub fn checks_table(checks: &[Check], lang: Lang) -> Table {
    let mut t = Table::new(vec![
        ("", Align::Left),
        (tr(lang, "条款", "clause"), Align::Left),
        (tr(lang, "检查项", "check"), Align::Left),
        (tr(lang, "对象", "subject"), Align::Left),
        (tr(lang, "实际", "actual"), Align::Right),
        (tr(lang, "要求", "threshold"), Align::Right),
        (tr(lang, "差额", "shortfall"), Align::Right),
        (tr(lang, "备注", "note"), Align::Left),
    ]);
    for c in checks {
        t.row(vec![
            if c.passed { "✓" } else { "✗" }.to_owned(),
            format!("{} {}", c.clause, c.section),
            c.label.get(lang).to_owned(),
            c.subject.clone().unwrap_or_default(),
            c.actual.display(lang),
            format!("{} {}", c.comparison.symbol(), c.threshold.display(lang)),
            c.shortfall.map(|s| s.display(lang)).unwrap_or_default(),
            c.note
                .as_ref()
                .map(|n| n.get(lang).to_owned())
                .unwrap_or_default(),
        ]);
    }
    t
}
