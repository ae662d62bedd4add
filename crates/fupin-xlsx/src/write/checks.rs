//! The sheet of checks: each rule's result, the clause it cites and the plan's sentence.

use fupin::Lang;
use fupin::check::Check;
use rust_xlsxwriter::Workbook;

use super::{Cell, Grid, Look, headers, tr};
use crate::Error;

/// Write `checks` on a sheet of their own, under `title`; failed checks in red.
pub(crate) fn sheet(
    book: &mut Workbook,
    checks: &[Check],
    title: &str,
    source: &str,
    lang: Lang,
) -> Result<(), Error> {
    let head = headers(
        lang,
        &[
            ("结果", "result"),
            ("条款", "clause"),
            ("原文条款", "section"),
            ("检查项", "check"),
            ("对象", "subject"),
            ("实际", "actual"),
            ("要求", "threshold"),
            ("差额", "shortfall"),
            ("备注", "note"),
            ("方案原文", "the plan's words"),
        ],
    );
    let mut g = Grid::new(
        book,
        tr(lang, "检查与条款", "Checks and clauses"),
        u16::try_from(head.len()).unwrap_or(10),
        lang,
    )?;
    g.title(title)?;
    g.line(source, false)?;
    g.header(&head)?;
    if checks.is_empty() {
        g.row(
            &[Cell::text(tr(
                lang,
                "无检查（未提供序时进度表，或无下达资金）",
                "no checks (no schedule supplied, or nothing allocated)",
            ))],
            Look::PLAIN,
        )?;
    }
    for c in checks {
        g.row(
            &[
                Cell::text(match (c.passed, lang) {
                    (true, Lang::Zh) => "✓ 通过",
                    (false, Lang::Zh) => "✗ 未通过",
                    (true, Lang::En) => "✓ passed",
                    (false, Lang::En) => "✗ failed",
                }),
                Cell::text(c.clause.to_string()),
                Cell::text(c.section.as_ref()),
                Cell::text(c.label.get(lang)),
                Cell::text(c.subject.clone().unwrap_or_default()),
                Cell::Value(c.actual, None),
                Cell::Value(c.threshold, Some(c.comparison.symbol())),
                c.shortfall.map_or(Cell::Blank, |s| Cell::Value(s, None)),
                Cell::text(c.note.as_ref().map(|n| n.get(lang)).unwrap_or_default()),
                Cell::text(c.clause_text.clone().unwrap_or_default()),
            ],
            Look::short(!c.passed),
        )?;
    }
    let failed = checks.iter().filter(|c| !c.passed).count();
    g.skip();
    g.line(
        &match lang {
            Lang::Zh => format!(
                "共 {} 项检查：{} 项通过，{} 项未通过。",
                checks.len(),
                checks.len() - failed,
                failed
            ),
            Lang::En => format!(
                "{} checks: {} passed, {} failed.",
                checks.len(),
                checks.len() - failed,
                failed
            ),
        },
        failed > 0,
    )?;
    g.finish()
}
