//! The plan report (G1–G3, M1–M3, task 8) as a workbook: the checks with their clauses, the
//! county table, the city's input and the integration ratio.

use fupin::Lang;
use fupin::report::Report;

use super::{Cell, Grid, Look, headers, new_book, tr};
use crate::Error;

/// The report as an `.xlsx` workbook: the county table (M1c, units short of their quota or
/// growth in red) first, then the checks with their clauses and the plan's sentences, then the
/// city-level input and the integration ratio.
///
/// # Errors
/// [`Error::Write`] if the workbook cannot be assembled.
///
/// # Example
/// ```
/// use fupin::{data::PlanData, Policy};
/// let r = fupin::report::report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020())?;
/// let bytes = fupin_xlsx::write::report(&r, fupin::Lang::Zh)?;
/// assert!(fupin_xlsx::is_workbook(&bytes));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn report(r: &Report, lang: Lang) -> Result<Vec<u8>, Error> {
    let year = r.policy.year;
    let plan = format!("{}（{}）", r.policy.name, r.policy.source);
    let title = match lang {
        Lang::Zh => format!("{year}年扶贫资金投入检查 · {}", r.policy.source),
        Lang::En => format!(
            "{year} poverty-alleviation fund checks · {}",
            r.policy.source
        ),
    };
    let date = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let mut book = new_book(&title, date)?;
    let data_line = format!(
        "{}: {} — {}",
        tr(lang, "数据", "Data"),
        r.data.name,
        r.data.source
    );
    let warning = (!r.data.illustrative.is_empty()).then(|| {
        format!(
            "⚠ {}: {}",
            tr(
                lang,
                "示例数据（非方案数字）",
                "illustrative figures (not in the plan)"
            ),
            r.data.illustrative.join(", ")
        )
    });
    let preamble = |g: &mut Grid<'_>, title: &str| -> Result<(), Error> {
        g.title(title)?;
        g.line(&format!("{} {plan}", tr(lang, "依据：", "Under")), false)?;
        g.line(&data_line, false)?;
        if let Some(w) = &warning {
            g.line(w, true)?;
        }
        Ok(())
    };

    // The county table (M1c, task 8).
    let head = headers(
        lang,
        &[
            ("县(市)区", "unit"),
            ("类型", "kind"),
            ("定额\n（万元）", "quota\n(×10k yuan)"),
            ("上年投入\n（万元）", "last year\n(×10k yuan)"),
            ("本年投入\n（万元）", "this year\n(×10k yuan)"),
            ("增长", "growth"),
            ("应达\n（万元）", "required\n(×10k yuan)"),
            ("需调整预算\n（万元）", "adjustment owed\n(×10k yuan)"),
            ("达到定额", "meets quota"),
            ("达到增长", "meets growth"),
        ],
    );
    {
        let mut g = Grid::new(
            &mut book,
            tr(lang, "县(市)区投入", "County input"),
            u16::try_from(head.len()).unwrap_or(10),
            lang,
        )?;
        let t = match lang {
            Lang::Zh => format!("{title} — 县(市)区投入（M1c 三(一)、T8 附件2 序号8）"),
            Lang::En => format!("{title} — county-level input (M1c 三(一), T8)"),
        };
        preamble(&mut g, &t)?;
        g.header(&head)?;
        let yes_no = |b: bool| Cell::text(if b { "✓" } else { "✗" });
        for c in &r.counties {
            g.row(
                &[
                    Cell::text(&c.name),
                    Cell::text(tr(lang, c.kind.zh(), c.kind.en())),
                    Cell::Wan(c.quota),
                    Cell::Wan(c.last_year),
                    Cell::Wan(c.this_year),
                    Cell::opt(c.growth, Cell::Percent),
                    Cell::Wan(c.required),
                    if c.adjustment_owed.is_zero() {
                        Cell::Dash
                    } else {
                        Cell::Wan(c.adjustment_owed)
                    },
                    yes_no(c.meets_quota),
                    yes_no(c.meets_growth),
                ],
                Look::short(!(c.meets_quota && c.meets_growth)),
            )?;
        }
        g.finish()?;
    }

    let t = match lang {
        Lang::Zh => format!("{title} — 检查与条款"),
        Lang::En => format!("{title} — checks and clauses"),
    };
    super::checks::sheet(&mut book, &r.checks, &t, &plan, lang)?;

    // City-level input (M1) and integration (G3, M3): label, value rows.
    {
        let mut g = Grid::new(
            &mut book,
            tr(lang, "市本级与整合", "City and integration"),
            2,
            lang,
        )?;
        let t = match lang {
            Lang::Zh => format!("{title} — 市本级投入与涉农资金整合"),
            Lang::En => format!("{title} — city input and integration"),
        };
        g.title(&t)?;
        g.header(&headers(lang, &[("项目", "item"), ("数值", "value")]))?;
        let c = &r.city;
        let i = &r.integration;
        let rows: Vec<(&str, &str, Cell)> = vec![
            (
                "市本级投入 (M1)：预算安排",
                "city input (M1): budget",
                Cell::WanUnit(c.budget),
            ),
            (
                "市本级投入 (M1)：上年指标今年下达",
                "city input (M1): prior-year indicators",
                Cell::WanUnit(c.prior_year_indicators),
            ),
            (
                "市本级投入 (M1)：捐赠",
                "city input (M1): donations",
                Cell::WanUnit(c.donations),
            ),
            (
                "市本级投入 (M1)：本年合计",
                "city input (M1): this year",
                Cell::WanUnit(c.total),
            ),
            (
                "市本级投入 (M1)：上年",
                "city input (M1): last year",
                Cell::WanUnit(c.last_year),
            ),
            (
                "市本级投入 (M1)：增加",
                "city input (M1): up",
                Cell::WanUnit(c.increase),
            ),
            (
                "市本级投入 (M1)：增长",
                "city input (M1): growth",
                Cell::opt(c.growth, Cell::Percent),
            ),
            (
                "涉农资金整合 (G3, M3)：整合用于扶贫",
                "integration (G3, M3): integrated",
                Cell::WanUnit(i.integrated),
            ),
            (
                "涉农资金整合 (G3, M3)：可整合资金",
                "integration (G3, M3): integrable",
                Cell::WanUnit(i.integrable),
            ),
            (
                "涉农资金整合 (G3, M3)：比例",
                "integration (G3, M3): ratio",
                Cell::opt(i.ratio, Cell::Percent),
            ),
            (
                "涉农资金整合 (G3, M3)：规定比例",
                "integration (G3, M3): required",
                Cell::Percent(i.required),
            ),
            (
                "涉农资金整合 (G3, M3)：目标比例",
                "integration (G3, M3): target",
                Cell::Percent(i.target),
            ),
            (
                "涉农资金整合 (G3, M3)：超出规定比例",
                "integration (G3, M3): over required",
                Cell::opt(i.margin_over_required, Cell::Pp),
            ),
            (
                "涉农资金整合 (G3, M3)：超出目标比例",
                "integration (G3, M3): over target",
                Cell::opt(i.margin_over_target, Cell::Pp),
            ),
        ];
        for (zh, en, value) in rows {
            g.row(&[Cell::text(tr(lang, zh, en)), value], Look::PLAIN)?;
        }
        g.finish()?;
    }
    Ok(book.save_to_buffer()?)
}
