//! What the web page shows: a result as the command line prints it — the same lines and the same
//! table cells, from the same renderers — with a flag on each row a reader must notice (behind
//! schedule, a failed check, a vetoed unit) and, for the bulletin, a chart.
//!
//! The page asks for it with `?view=zh` (or `en`) on the endpoint it posts to; the answer is
//! `{"format": "fupin/1", "document": <the endpoint's JSON document>, "view": <View>}`, so every
//! figure on the page is a string of the service's answer, and the document travels with it.

use fupin::Lang;
use fupin::assessment::{RankEntry, ScoreReport, ranking_table};
use fupin::check::Check;
use fupin::render::{Align, Table};
use fupin::report::{Report, checks_table};
use fupin::spending::Bulletin;
use fupin::{Policy, render::tr};
use fupin_ops::output::ScoreOutput;
use serde::Serialize;

use crate::chart;

/// A result laid out for the page.
#[derive(Debug, Serialize)]
pub struct View {
    /// `zh` or `en`.
    pub lang: &'static str,
    /// The heading.
    pub title: String,
    /// Lines under the heading.
    pub lines: Vec<Line>,
    /// An SVG chart, drawn here (text escaped), for the page to show as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    /// The sections: tables with their lines.
    pub sections: Vec<Section>,
    /// Lines at the end.
    pub footer: Vec<Line>,
}

/// A line of text, flagged when it reports a shortfall.
#[derive(Debug, Serialize)]
pub struct Line {
    /// The text.
    pub text: String,
    /// `behind` or `failed` when it reports one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<&'static str>,
}

impl Line {
    fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            flag: None,
        }
    }

    fn flagged(text: impl Into<String>, flag: Option<&'static str>) -> Self {
        Self {
            text: text.into(),
            flag,
        }
    }
}

/// A part of a result: a caption, lines, tables, lines.
#[derive(Debug, Default, Serialize)]
pub struct Section {
    /// Its heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// `failed` for a vetoed unit's card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<&'static str>,
    /// Lines before the tables.
    pub before: Vec<Line>,
    /// The tables.
    pub tables: Vec<TableView>,
    /// Lines after the tables.
    pub after: Vec<Line>,
}

/// A table: its headers and cells exactly as the command line prints them.
#[derive(Debug, Serialize)]
pub struct TableView {
    /// Its caption.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// `left` or `right` per column.
    pub align: Vec<&'static str>,
    /// The column that names the row (a unit, a check), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<usize>,
    /// The rows.
    pub rows: Vec<RowView>,
}

/// A row: its cells and a flag.
#[derive(Debug, Serialize)]
pub struct RowView {
    /// The cells.
    pub cells: Vec<String>,
    /// `behind` (behind schedule), `failed` (a failed check, a unit short of its quota, a
    /// vetoed unit) or `total`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<&'static str>,
}

impl TableView {
    /// The table's cells, with `flags` per row (missing flags: none).
    fn of(
        table: &Table,
        caption: Option<String>,
        key: Option<usize>,
        flags: &[Option<&'static str>],
    ) -> Self {
        Self {
            caption,
            headers: table.headers().iter().map(|(h, _)| h.clone()).collect(),
            align: table
                .headers()
                .iter()
                .map(|(_, a)| match a {
                    Align::Left => "left",
                    Align::Right => "right",
                })
                .collect(),
            key,
            rows: table
                .rows()
                .iter()
                .enumerate()
                .map(|(i, cells)| RowView {
                    cells: cells.clone(),
                    flag: flags.get(i).copied().flatten(),
                })
                .collect(),
        }
    }
}

const fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The checks table of the command line with a last column: the plan's sentence of each check
/// ("见上（M1c 三(一)）" / "see M1c 三(一) above" when an earlier row shows it).
fn checks_view(checks: &[Check], caption: String, lang: Lang) -> TableView {
    let flags: Vec<Option<&'static str>> = checks
        .iter()
        .map(|c| (!c.passed).then_some("failed"))
        .collect();
    let mut t = TableView::of(&checks_table(checks, lang), Some(caption), Some(2), &flags);
    t.headers
        .push(tr(lang, "方案原文", "the plan's words").to_owned());
    t.align.push("left");
    // A sentence that applies to several checks (M1c and T8 for each county) is shown once;
    // later rows point to it by the clause column's text.
    let mut seen = std::collections::HashSet::new();
    for (row, c) in t.rows.iter_mut().zip(checks) {
        let text = c.clause_text.as_deref().unwrap_or_default();
        let cell = if text.is_empty() || seen.insert(text) {
            text.to_owned()
        } else {
            let clause = row.cells.get(1).map_or("", String::as_str);
            match lang {
                Lang::Zh => format!("见上（{clause}）"),
                Lang::En => format!("see {clause} above"),
            }
        };
        row.cells.push(cell);
    }
    t
}

/// The monthly bulletin: heading, chart, the ranked table (units behind schedule flagged), the
/// units behind, and the G4 checks with their clauses and the plan's sentences.
#[must_use]
pub fn bulletin(b: &Bulletin, policy: &Policy, lang: Lang) -> View {
    let [title, cumulative, schedule] = b.heading(lang);
    let mut flags: Vec<Option<&'static str>> = b
        .rows
        .iter()
        .map(|r| r.figures.is_behind().then_some("behind"))
        .collect();
    flags.push(Some("total"));
    let table = TableView::of(
        &b.table(lang),
        Some(
            tr(
                lang,
                "各县(市)区支出进度排名",
                "Units ranked by spending progress",
            )
            .to_owned(),
        ),
        Some(1),
        &flags,
    );
    let behind = b.behind_schedule().next().is_some();
    let footer: Vec<Line> = b
        .footer(lang)
        .into_iter()
        .enumerate()
        .map(|(i, l)| Line::flagged(l, (i == 0 && behind).then_some("behind")))
        .collect();
    let mut checks = b.checks();
    policy.explain(&mut checks);
    let mut sections = vec![Section {
        tables: vec![table],
        after: footer,
        ..Section::default()
    }];
    if !checks.is_empty() {
        sections.push(Section {
            tables: vec![checks_view(
                &checks,
                tr(
                    lang,
                    "检查与条款（G4 二(四)）",
                    "Checks and clauses (G4 二(四))",
                )
                .to_owned(),
                lang,
            )],
            ..Section::default()
        });
    }
    View {
        lang: lang_name(lang),
        title,
        lines: vec![
            Line::plain(format!("{}（{}）", policy.meta.name, policy.meta.source)),
            Line::plain(cumulative),
            Line::plain(schedule),
        ],
        chart: Some(chart::bulletin(b, lang)),
        sections,
        footer: Vec::new(),
    }
}

/// The plan report: its heading, every check with its clause and the plan's sentence, the
/// county table (units short of their quota or growth flagged), the city's input and the
/// integration ratio.
#[must_use]
pub fn report(r: &Report, lang: Lang) -> View {
    let mut heading = r.heading(lang).into_iter();
    let title = heading.next().unwrap_or_default();
    let lines = heading
        .map(|l| {
            let warn = l.starts_with('⚠');
            Line::flagged(l, warn.then_some("behind"))
        })
        .collect();
    let county_flags: Vec<Option<&'static str>> = r
        .counties
        .iter()
        .map(|c| (!(c.meets_quota && c.meets_growth)).then_some("failed"))
        .collect();
    let failed = r.failures().count();
    View {
        lang: lang_name(lang),
        title,
        lines,
        chart: None,
        sections: vec![
            Section {
                tables: vec![checks_view(
                    &r.checks,
                    tr(lang, "检查结果", "Checks").to_owned(),
                    lang,
                )],
                after: vec![Line::flagged(
                    r.tally(lang),
                    (failed > 0).then_some("behind"),
                )],
                ..Section::default()
            },
            Section {
                tables: vec![TableView::of(
                    &r.counties_table(lang),
                    Some(tr(lang, "县(市)区投入 (M1c)", "County-level input (M1c)").to_owned()),
                    Some(0),
                    &county_flags,
                )],
                ..Section::default()
            },
            Section {
                caption: Some(tr(lang, "市本级投入 (M1)", "City-level input (M1)").to_owned()),
                before: vec![Line::plain(r.city_line(lang))],
                ..Section::default()
            },
            Section {
                caption: Some(
                    tr(
                        lang,
                        "涉农资金整合 (G3, M3)",
                        "Integration of agricultural funds (G3, M3)",
                    )
                    .to_owned(),
                ),
                before: vec![Line::plain(r.integration_line(lang))],
                ..Section::default()
            },
        ],
        footer: Vec::new(),
    }
}

/// One unit's card: items, bonus lines with the rule of each in words, totals, the veto.
fn unit_card(r: &ScoreReport, lang: Lang) -> Section {
    let mut tables = vec![TableView::of(&r.items_table(lang), None, Some(1), &[])];
    if let Some(b) = r.bonus_table(lang) {
        tables.push(TableView::of(&b, None, Some(0), &[]));
    }
    let mut after: Vec<Line> = r
        .bonus_lines
        .iter()
        .map(|l| Line::plain(format!("· {}", l.explanation.get(lang))))
        .collect();
    let failed = r.failed();
    after.extend(
        r.summary(lang)
            .into_iter()
            .map(|l| Line::flagged(l, failed.then_some("failed"))),
    );
    Section {
        caption: Some(r.heading(lang)),
        flag: failed.then_some("failed"),
        tables,
        after,
        ..Section::default()
    }
}

/// Units scored on a card: the ranking (vetoed units flagged), every unit's card, and the
/// units that could not be scored with why (`places` names their rows of an uploaded sheet).
#[must_use]
pub fn scores(out: &ScoreOutput, policy: &Policy, lang: Lang) -> View {
    let card = out.reports.first();
    let title = card.map_or_else(
        || tr(lang, "考核评分", "Scorecards").to_owned(),
        |r| {
            format!(
                "{}（{} {}）",
                r.card_label.get(lang),
                r.clause,
                r.clause.section()
            )
        },
    );
    let ranking: &[RankEntry] = &out.ranking;
    let flags: Vec<Option<&'static str>> = ranking
        .iter()
        .map(|e| e.vetoed.then_some("failed"))
        .collect();
    let mut sections = vec![Section {
        tables: vec![TableView::of(
            &ranking_table(&out.reports, ranking, lang),
            Some(
                tr(
                    lang,
                    "排名（并列同名次，一票否决者列后）",
                    "Ranking (ties share a rank; vetoed units last)",
                )
                .to_owned(),
            ),
            Some(1),
            &flags,
        )],
        ..Section::default()
    }];
    if !out.errors.is_empty() {
        sections.push(Section {
            caption: Some(tr(lang, "未能评分的单位", "Units not scored").to_owned()),
            flag: Some("failed"),
            before: out
                .errors
                .iter()
                .map(|e| Line::flagged(format!("{}：{}", e.unit, e.problem.detail), Some("failed")))
                .collect(),
            ..Section::default()
        });
    }
    sections.extend(out.reports.iter().map(|r| unit_card(r, lang)));
    View {
        lang: lang_name(lang),
        title,
        lines: vec![Line::plain(format!(
            "{}（{}）",
            policy.meta.name, policy.meta.source
        ))],
        chart: None,
        sections,
        footer: Vec::new(),
    }
}
