//! Scorecards A and B (annex 2 assessment method) as a workbook: the ranking, and every unit's
//! items and bonus lines with their sources.

use fupin::Lang;
use fupin::assessment::{RankEntry, ScoreReport};

use super::{Cell, Grid, Look, headers, new_book, tr};
use crate::Error;

/// Units scored on one card as an `.xlsx` workbook: the ranking first (vetoed units last, in
/// red), then each unit's items, bonus lines (raw, cap, capped, the rule in words) and totals.
/// `refused` lists units that could not be scored (their name and why), shown under the
/// ranking in red. `plan` is the plan's number, for the title.
///
/// # Errors
/// [`Error::Write`] if the workbook cannot be assembled.
pub fn scores(
    reports: &[ScoreReport],
    ranking: &[RankEntry],
    refused: &[(String, String)],
    plan: &str,
    year: i32,
    lang: Lang,
) -> Result<Vec<u8>, Error> {
    let card = reports.first();
    let card_name = card.map_or_else(String::new, |r| {
        format!(
            "{}（{} {}）",
            r.card_label.get(lang),
            r.clause,
            r.clause.section()
        )
    });
    let title = match lang {
        Lang::Zh => format!("{year}年考核评分 · {card_name} · {plan}"),
        Lang::En => format!("{year} assessment scores · {card_name} · {plan}"),
    };
    let date = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let mut book = new_book(&title, date)?;
    let head = headers(
        lang,
        &[
            ("排名", "rank"),
            ("单位", "unit"),
            ("基础分", "base"),
            ("加分（封顶）", "bonus (capped)"),
            ("总分", "total"),
            ("一票否决", "veto"),
            ("等次", "grade"),
        ],
    );
    {
        let mut g = Grid::new(
            &mut book,
            tr(lang, "排名", "Ranking"),
            u16::try_from(head.len()).unwrap_or(7),
            lang,
        )?;
        g.title(&title)?;
        g.line(
            tr(
                lang,
                "并列同名次；一票否决者不论得分均列后（得分仍列出）。方案未规定等次，等次仅在用户提供时列出。",
                "Ties share a rank; vetoed units come last whatever their points (points still shown). The plan sets no grades; a grade shows only when the user supplies bands.",
            ),
            false,
        )?;
        g.header(&head)?;
        for e in ranking {
            let Some(r) = reports.get(e.index) else {
                continue;
            };
            g.row(
                &[
                    Cell::Int(u64::try_from(e.rank).unwrap_or(u64::MAX)),
                    Cell::text(&r.unit),
                    Cell::Points(r.base),
                    Cell::Points(r.bonus),
                    Cell::Points(r.total),
                    Cell::text(match &r.veto_reason {
                        Some(reason) if r.failed() => {
                            format!("{}：{reason}", tr(lang, "否决", "vetoed"))
                        }
                        _ => "—".to_owned(),
                    }),
                    Cell::text(r.grade.as_ref().map_or("—", |g| g.get(lang))),
                ],
                Look::short(r.failed()),
            )?;
        }
        if !refused.is_empty() {
            g.skip();
            for (unit, why) in refused {
                g.line(
                    &format!("{} {unit}: {why}", tr(lang, "未能评分：", "Not scored:")),
                    true,
                )?;
            }
        }
        g.finish()?;
    }
    let head = headers(
        lang,
        &[
            ("单位", "unit"),
            ("出处", "source"),
            ("考核项 / 加分项", "item / bonus"),
            ("得分 / 计算", "points / raw"),
            ("满分 / 上限", "max / cap"),
            ("加分", "capped"),
            ("说明", "explanation"),
        ],
    );
    let mut g = Grid::new(
        &mut book,
        tr(lang, "评分明细", "Details"),
        u16::try_from(head.len()).unwrap_or(7),
        lang,
    )?;
    g.title(&match lang {
        Lang::Zh => format!("{title} — 评分明细"),
        Lang::En => format!("{title} — details"),
    })?;
    g.header(&head)?;
    for r in reports {
        let unit = || Cell::text(&r.unit);
        let short = Look::short(r.failed());
        for i in &r.items {
            g.row(
                &[
                    unit(),
                    Cell::text(&i.source),
                    Cell::text(i.label.get(lang)),
                    Cell::Points(i.points),
                    Cell::Points(i.max),
                    Cell::Blank,
                    Cell::text(i.explanation.get(lang)),
                ],
                short,
            )?;
        }
        g.row(
            &[
                unit(),
                Cell::Blank,
                Cell::text(tr(lang, "基础分合计", "base points")),
                Cell::Points(r.base),
                Cell::Points(r.base_max),
                Cell::Blank,
                Cell::Blank,
            ],
            Look {
                bold: true,
                ..short
            },
        )?;
        for l in &r.bonus_lines {
            g.row(
                &[
                    unit(),
                    Cell::text(&l.source),
                    Cell::text(l.label.get(lang)),
                    Cell::Points(l.raw),
                    Cell::Points(l.cap),
                    Cell::Points(l.capped),
                    Cell::text(l.explanation.get(lang)),
                ],
                short,
            )?;
        }
        if !r.bonus_lines.is_empty() {
            g.row(
                &[
                    unit(),
                    Cell::Blank,
                    Cell::text(tr(lang, "加分合计（封顶）", "bonus total (capped)")),
                    Cell::Points(r.bonus_raw),
                    Cell::Points(r.bonus_cap),
                    Cell::Points(r.bonus),
                    Cell::Blank,
                ],
                Look {
                    bold: true,
                    ..short
                },
            )?;
        }
        let verdict = if r.failed() {
            format!(
                "{}：{}",
                tr(
                    lang,
                    "一票否决，考核不合格（得分仍列出）",
                    "one-vote veto: failed whatever its points (points still shown)"
                ),
                r.veto_reason.as_deref().unwrap_or("")
            )
        } else {
            String::new()
        };
        g.row(
            &[
                unit(),
                Cell::Blank,
                Cell::text(tr(lang, "总分", "total")),
                Cell::Points(r.total),
                Cell::Blank,
                Cell::Blank,
                Cell::text(verdict),
            ],
            Look {
                bold: true,
                total: true,
                short: r.failed(),
            },
        )?;
        g.skip();
    }
    g.finish()?;
    Ok(book.save_to_buffer()?)
}
