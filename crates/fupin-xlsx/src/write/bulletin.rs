//! 月通报 — the monthly spending-progress bulletin (M4, G4) as a workbook.

use fupin::spending::{Bulletin, Figures};
use fupin::{Lang, Policy};

use super::{Cell, Grid, Look, headers, new_book, tr};
use crate::Error;

/// The bulletin as an `.xlsx` workbook: the ranked table (the city total last, units behind
/// schedule in red) on the first sheet, the G4 checks with their clauses on the second.
///
/// `policy` gives the plan's name and number for the title and the plan's sentences for the
/// checks.
///
/// # Errors
/// [`Error::Write`] if the workbook cannot be assembled (it can always be, short of a bug).
///
/// # Example
/// ```
/// use fupin::spending::{bulletin, Ledger, Schedule};
/// let units = fupin::spending::ledger::unit_names(&fupin::data::PlanData::chaoyang_2020());
/// let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ledger_2020.csv"))?;
/// let ledger = Ledger::from_csv(&csv, 2020, &units)?;
/// let b = bulletin::bulletin(&ledger, "2020-06".parse()?, None)?;
/// let bytes = fupin_xlsx::write::bulletin(&b, &fupin::Policy::chaoyang_2020(), fupin::Lang::Zh)?;
/// assert!(fupin_xlsx::is_workbook(&bytes));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bulletin(b: &Bulletin, policy: &Policy, lang: Lang) -> Result<Vec<u8>, Error> {
    let [title, cumulative, schedule] = b.heading(lang);
    let mut book = new_book(&title, b.month.last_day())?;
    let with_schedule = b.required.is_some();
    let mut pairs = vec![
        ("排名", "rank"),
        ("县(市)区", "unit"),
        ("累计下达\n（万元）", "allocated\n(×10k yuan)"),
        ("累计支出\n（万元）", "spent\n(×10k yuan)"),
        ("支出进度", "progress"),
        ("较上月", "vs last month"),
    ];
    if with_schedule {
        pairs.extend([
            ("序时进度", "required"),
            ("与序时进度差距", "gap to schedule"),
            ("需追加支出\n（万元）", "to catch up\n(×10k yuan)"),
            ("状态", "status"),
        ]);
    }
    let head = headers(lang, &pairs);
    let source = format!("{}（{}）", policy.meta.name, policy.meta.source);
    {
        let mut g = Grid::new(
            &mut book,
            tr(lang, "月通报", "Bulletin"),
            u16::try_from(head.len()).unwrap_or(10),
            lang,
        )?;
        g.title(&format!("{title} · {}", policy.meta.source))?;
        g.line(
            &format!("{} {}", tr(lang, "依据：", "Under"), source),
            false,
        )?;
        g.line(&cumulative, false)?;
        g.line(&schedule, false)?;
        g.header(&head)?;
        let cells = |rank: Cell, name: &str, f: &Figures| {
            let mut row = vec![
                rank,
                Cell::text(name),
                Cell::Wan(f.allocated),
                Cell::Wan(f.spent),
                Cell::opt(f.progress, Cell::Percent),
                Cell::opt(f.change, Cell::Pp),
            ];
            if with_schedule {
                match &f.schedule {
                    Some(s) => {
                        row.push(Cell::Percent(s.required));
                        row.push(Cell::opt(s.gap, Cell::Pp));
                        row.push(if s.to_catch_up.is_zero() {
                            Cell::Dash
                        } else {
                            Cell::Wan(s.to_catch_up)
                        });
                        let flag = if s.standing.is_behind() { "⚠ " } else { "" };
                        row.push(Cell::text(format!("{flag}{}", s.standing.label(lang))));
                    }
                    None => row.extend((0..4).map(|_| Cell::Dash)),
                }
            }
            row
        };
        for r in &b.rows {
            let rank = r
                .rank
                .map_or_else(|| Cell::Dash, |n| Cell::Int(u64::from(n)));
            g.row(
                &cells(rank, &r.county, &r.figures),
                Look::short(r.figures.is_behind()),
            )?;
        }
        g.row(
            &cells(Cell::Blank, tr(lang, "全市合计", "city total"), &b.city),
            Look::TOTAL,
        )?;
        g.skip();
        let behind = b.behind_schedule().next().is_some();
        for (i, line) in b.footer(lang).iter().enumerate() {
            // The first line names the units behind schedule, when a schedule requires anything.
            g.line(line, i == 0 && behind)?;
        }
        g.finish()?;
    }
    let mut checks = b.checks();
    policy.explain(&mut checks);
    let checks_title = match lang {
        Lang::Zh => format!("{title} — 检查与条款"),
        Lang::En => format!("{title} — checks and clauses"),
    };
    super::checks::sheet(&mut book, &checks, &checks_title, &source, lang)?;
    Ok(book.save_to_buffer()?)
}
