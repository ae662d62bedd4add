//! 月通报 — the monthly bulletin of spending progress (M4, G4).
//!
//! For one month: every county-level unit's cumulative allocation, spending and progress, ranked
//! from the highest progress down; the change on the month before in percentage points; where a
//! schedule is supplied, the required progress, the gap and the amount still to spend, with a
//! flag on every unit behind schedule; and the city total.
//!
//! **Ranking** ([`rank`]) compares progresses exactly (cross-multiplication). Units with equal
//! progress share a rank (competition ranking: 1, 2, 2, 4) and keep the order of the unit list;
//! units with nothing allocated have no progress and no rank, and come last, in unit order. The
//! rows are always a permutation of the units.
//!
//! # Example
//! ```
//! use fupin::money::Lang;
//! use fupin::spending::{bulletin, Ledger};
//!
//! let units = vec!["甲县".to_owned(), "乙区".to_owned()];
//! let csv = "month,county,allocated,spent\n2020-01,甲县,100万元,20万元\n2020-02,甲县,0,10万元\n";
//! let ledger = Ledger::from_csv(csv, 2020, &units)?;
//! let b = bulletin::bulletin(&ledger, "2020-02".parse()?, None)?;
//! assert_eq!(b.rows[0].rank, Some(1));
//! assert_eq!(b.rows[0].figures.change.unwrap().to_string(), "+10.00 pp");
//! assert_eq!(b.rows[1].rank, None); // 乙区: nothing allocated
//! assert!(b.to_text(Lang::En).contains("30.00%"));
//! # Ok::<(), fupin::spending::SpendingError>(())
//! ```

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::ledger::{Cumulative, Progress};
use super::schedule::{Schedule, ScheduleComparison, compare};
use super::{SpendingError, YearMonth};
use crate::check::{Check, ClauseId, Comparison, Label, Value};
use crate::money::{Amount, Lang, PercentagePoints, Ratio, Unit};
use crate::render::tr;
use crate::render::{Align, Table};
use crate::render::{escape_markdown, escape_text};
use crate::vocab::{ErrorCode, FieldError, Problems};

/// The figures of one unit (or of the city) in a bulletin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Figures {
    /// 累计下达 — allocated from January to the month.
    pub allocated: Amount,
    /// 累计支出 — spent from January to the month.
    pub spent: Amount,
    /// 支出进度 — `spent / allocated`; `None` when nothing is allocated.
    pub progress: Option<Ratio>,
    /// Progress at the end of the month before (`None` in January or with nothing allocated).
    pub previous: Option<Ratio>,
    /// 较上月 — `progress − previous` in percentage points.
    pub change: Option<PercentagePoints>,
    /// 序时进度 — the comparison with the schedule, when one is supplied and requires something
    /// by this month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleComparison>,
}

impl Figures {
    /// Whether the unit is behind schedule.
    #[must_use]
    pub fn is_behind(&self) -> bool {
        self.schedule.is_some_and(|s| s.standing.is_behind())
    }
}

/// One ranked row of a bulletin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BulletinRow {
    /// 排名 — 1 for the highest progress; equal progresses share a rank; `None` for a unit with
    /// nothing allocated.
    pub rank: Option<u32>,
    /// 县(市)区 — the unit.
    pub county: String,
    /// Its figures.
    pub figures: Figures,
}

/// 月通报 — the monthly bulletin of spending progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bulletin {
    /// The month reported (progress is cumulative to its last day).
    pub month: YearMonth,
    /// The name of the schedule used, if any (it is the user's, not the plan's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// The progress the schedule requires by the end of the month, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Ratio>,
    /// Units ranked by progress.
    pub rows: Vec<BulletinRow>,
    /// 全市合计 — the city total.
    pub city: Figures,
}

/// A position in a ranking: the index of the item ranked and its rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ranked {
    /// Index of the item in the input.
    pub index: usize,
    /// Its rank (1 is best; ties share); `None` when nothing is allocated.
    pub rank: Option<u32>,
}

/// Rank progresses from the highest down (see the module docs for ties).
///
/// # Example
/// ```
/// use fupin::money::Amount;
/// use fupin::spending::{bulletin::rank, Progress};
/// let p = |a, s| Progress::of(Amount::yuan(a), Amount::yuan(s));
/// let r = rank(&[p(10, 5), p(0, 0), p(4, 3), p(2, 1)]);
/// let order: Vec<_> = r.iter().map(|x| (x.index, x.rank)).collect();
/// assert_eq!(order, [(2, Some(1)), (0, Some(2)), (3, Some(2)), (1, None)]);
/// ```
#[must_use]
pub fn rank(progresses: &[Progress]) -> Vec<Ranked> {
    let mut order: Vec<usize> = (0..progresses.len()).collect();
    let at = |i: usize| {
        progresses
            .get(i)
            .copied()
            .unwrap_or(Progress::of(Amount::ZERO, Amount::ZERO))
    };
    // Stable: equal progresses keep their input order.
    order.sort_by(|&a, &b| at(b).cmp_progress(&at(a)));
    let mut out: Vec<Ranked> = Vec::with_capacity(order.len());
    let mut previous: Option<(usize, u32)> = None;
    for (position, &index) in order.iter().enumerate() {
        let p = at(index);
        let rank = if p.no_allocation() {
            None
        } else {
            let r = match previous {
                Some((prev, r)) if at(prev).cmp_progress(&p).is_eq() => r,
                _ => u32::try_from(position + 1).unwrap_or(u32::MAX),
            };
            previous = Some((index, r));
            Some(r)
        };
        out.push(Ranked { index, rank });
    }
    out
}

fn figures(
    now: Progress,
    before: Option<Progress>,
    required: Option<Ratio>,
) -> Result<Figures, SpendingError> {
    let previous = before.and_then(|b| b.progress);
    let change = match (now.progress, previous) {
        (Some(n), Some(p)) => Some(n.points_over(p)?),
        _ => None,
    };
    Ok(Figures {
        allocated: now.allocated,
        spent: now.spent,
        progress: now.progress,
        previous,
        change,
        schedule: required.map(|r| compare(&now, r)).transpose()?,
    })
}

/// The schedule's points must fall in the ledger's year: progress is cumulative from January,
/// so a requirement of another year would be compared with the wrong months.
fn check_schedule_year(schedule: &Schedule, year: i32) -> Result<(), SpendingError> {
    let mut p = Problems::new();
    for (i, point) in schedule.points.iter().enumerate() {
        if chrono::Datelike::year(&point.by) != year {
            p.push(FieldError::coded(
                ErrorCode::YEAR_MISMATCH,
                format!("points[{i}].by"),
                Some(point.by.to_string()),
                format!(
                    "the date {} is not in the ledger's year {year}: a schedule gives the progress required within one year",
                    point.by
                ),
            ));
        }
    }
    p.finish().map_err(|error| SpendingError::Field {
        what: "schedule",
        error,
    })
}

/// Spending cannot exceed what was allocated: a unit that spent more than it was allocated
/// by the end of a month (or spent with nothing allocated) has an error in its ledger rows —
/// ranked as it is, it would head the bulletin with a progress above 100 %.
fn check_within_allocation(at: &[(String, Progress)], month: YearMonth, p: &mut Problems) {
    for (county, progress) in at {
        if progress.spent > progress.allocated {
            p.push(FieldError::coded(
                ErrorCode::INCONSISTENT,
                format!("{county} {month}"),
                Some(progress.spent.as_yuan().to_string()),
                format!(
                    "by the end of {month} `{}` spent {} but was allocated {}: spending cannot exceed the allocation — check its rows up to {month} (an allocation missing or in a later month, 元 written for 万元)",
                    crate::render::escape_text(county),
                    progress.spent.exact(),
                    progress.allocated.exact()
                ),
            ));
        }
    }
}

/// The bulletin of `month` from a ledger ([`Ledger`] or [`super::LedgerTotals`]), compared
/// with `schedule` if one is given.
///
/// # Errors
/// [`SpendingError::MonthOutsideYear`] if `month` is not in the ledger's year;
/// [`SpendingError::Field`] (`schedule`, code `year_mismatch`) for a schedule point outside
/// the ledger's year; [`SpendingError::Field`] (`ledger`, code `inconsistent`) naming every
/// unit that spent more than it was allocated by the end of `month` or the month before;
/// [`SpendingError::Money`] on overflow.
pub fn bulletin<L: Cumulative + ?Sized>(
    ledger: &L,
    month: YearMonth,
    schedule: Option<&Schedule>,
) -> Result<Bulletin, SpendingError> {
    if let Some(s) = schedule {
        check_schedule_year(s, ledger.year())?;
    }
    let required = schedule.and_then(|s| s.required_for(month));
    let now = ledger.progress_by_county(month)?;
    let previous_month = month.previous().filter(|m| m.year() == ledger.year());
    let before = previous_month
        .map(|m| ledger.progress_by_county(m))
        .transpose()?;
    let mut problems = Problems::new();
    if let (Some(m), Some(b)) = (previous_month, &before) {
        check_within_allocation(b, m, &mut problems);
    }
    check_within_allocation(&now, month, &mut problems);
    problems.finish().map_err(|error| SpendingError::Field {
        what: "ledger",
        error,
    })?;
    let progresses: Vec<Progress> = now.iter().map(|(_, p)| *p).collect();
    let mut rows = Vec::with_capacity(now.len());
    for Ranked { index, rank } in rank(&progresses) {
        let Some((county, p)) = now.get(index) else {
            continue;
        };
        let b = before.as_ref().and_then(|b| b.get(index)).map(|(_, p)| *p);
        rows.push(BulletinRow {
            rank,
            county: county.clone(),
            figures: figures(*p, b, required)?,
        });
    }
    let city_before = previous_month
        .map(|m| ledger.city_progress(m))
        .transpose()?;
    Ok(Bulletin {
        month,
        schedule: schedule.map(|s| s.name.clone()),
        required,
        rows,
        city: figures(ledger.city_progress(month)?, city_before, required)?,
    })
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

impl Bulletin {
    /// The rows of units behind schedule, in rank order.
    pub fn behind_schedule(&self) -> impl Iterator<Item = &BulletinRow> {
        self.rows.iter().filter(|r| r.figures.is_behind())
    }

    /// One G4 check per unit (and one for the city) compared with the schedule: progress ≥
    /// required, the shortfall being the amount still to spend. Units with nothing allocated
    /// and bulletins without a requirement have none.
    #[must_use]
    pub fn checks(&self) -> Vec<Check> {
        let note = self.schedule.as_ref().map(|name| Label {
            zh: Cow::Owned(format!("序时进度要求来自用户提供的进度表：{name}")),
            en: Cow::Owned(format!(
                "required progress from the user's schedule: {name}"
            )),
        });
        let one = |subject: Option<&str>, f: &Figures| -> Option<Check> {
            let s = f.schedule?;
            let progress = f.progress?;
            let c = Check::new(
                "G4.spending_progress",
                ClauseId::G4,
                Label::new(
                    "扶贫资金支出进度达到序时进度",
                    "spending progress meets the schedule",
                ),
                Value::Ratio(progress),
                Comparison::AtLeast,
                Value::Ratio(s.required),
                !s.standing.is_behind(),
                Some(Value::Amount(s.to_catch_up)),
            );
            let c = match subject {
                Some(name) => c.about(name),
                None => c,
            };
            Some(match &note {
                Some(n) => c.with_note(n.clone()),
                None => c,
            })
        };
        self.rows
            .iter()
            .filter_map(|r| one(Some(&r.county), &r.figures))
            .chain(one(None, &self.city))
            .collect()
    }

    /// The ranked table, the city total as its last row.
    #[must_use]
    pub fn table(&self, lang: Lang) -> Table {
        let with_schedule = self.required.is_some();
        let mut headers = vec![
            (tr(lang, "排名", "rank"), Align::Right),
            (tr(lang, "县(市)区", "unit"), Align::Left),
            (tr(lang, "累计下达", "allocated"), Align::Right),
            (tr(lang, "累计支出", "spent"), Align::Right),
            (tr(lang, "支出进度", "progress"), Align::Right),
            (tr(lang, "较上月", "vs last month"), Align::Right),
        ];
        if with_schedule {
            headers.extend([
                (tr(lang, "与序时进度差距", "gap to schedule"), Align::Right),
                (tr(lang, "需追加支出", "to catch up"), Align::Right),
                (tr(lang, "状态", "status"), Align::Left),
            ]);
        }
        let a = |x: Amount| x.display_in(Unit::Wan, lang).to_string();
        let cells = |rank: String, name: String, f: &Figures| {
            let mut row = vec![
                rank,
                name,
                a(f.allocated),
                a(f.spent),
                opt(f.progress),
                opt(f.change),
            ];
            if with_schedule {
                match &f.schedule {
                    Some(s) => {
                        row.push(opt(s.gap));
                        row.push(if s.to_catch_up.is_zero() {
                            "—".to_owned()
                        } else {
                            a(s.to_catch_up)
                        });
                        let flag = if s.standing.is_behind() { "⚠ " } else { "" };
                        row.push(format!("{flag}{}", s.standing.label(lang)));
                    }
                    None => row.extend(["—".to_owned(), "—".to_owned(), "—".to_owned()]),
                }
            }
            row
        };
        let mut t = Table::new(headers);
        for r in &self.rows {
            t.row(cells(opt(r.rank), r.county.clone(), &r.figures));
        }
        t.row(cells(
            String::new(),
            tr(lang, "全市合计", "city total").to_owned(),
            &self.city,
        ));
        t
    }

    /// The bulletin as plain text.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "", |s| escape_text(s).into_owned())
    }

    /// The bulletin as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ", escape_markdown)
    }

    /// The bulletin as HTML (paragraphs and a table, text escaped), for notebooks.
    #[must_use]
    pub fn to_html(&self, lang: Lang) -> String {
        // Prose is escaped by `html_blocks`, cells by `to_html`.
        let prose = self.render(lang, Table::to_html, "", str::to_owned);
        crate::render::html_blocks(&prose, "fupin-bulletin")
    }

    /// The lines above the table: the title (month, clauses), what progress is, and the
    /// schedule compared with (or that there is none). Shared by every rendering — text,
    /// Markdown, HTML, workbooks and the web page — so each says the same.
    #[must_use]
    pub fn heading(&self, lang: Lang) -> [String; 3] {
        let (y, m) = (self.month.year(), self.month.month());
        let title = match lang {
            Lang::Zh => {
                format!("{y}年{m}月扶贫资金支出进度通报（月统计月通报，M4 三(四)、G4 二(四)）")
            }
            Lang::En => format!(
                "Spending progress bulletin, {} (monthly statistics and bulletin, M4 三(四), G4 二(四))",
                self.month
            ),
        };
        let cumulative = match lang {
            Lang::Zh => format!(
                "累计至{}，支出进度 = 累计支出 ÷ 累计下达。",
                self.month.last_day()
            ),
            Lang::En => format!(
                "Cumulative to {}; progress = spent ÷ allocated.",
                self.month.last_day()
            ),
        };
        let schedule = match (&self.schedule, self.required) {
            (Some(name), Some(r)) => match lang {
                Lang::Zh => format!("序时进度要求：{r}（用户提供的进度表：{name}；方案未规定具体比例）"),
                Lang::En => format!(
                    "Required progress: {r} (user-supplied schedule: {name}; the plan gives no figure)"
                ),
            },
            (Some(name), None) => match lang {
                Lang::Zh => format!("进度表「{name}」本月尚无要求。"),
                Lang::En => format!("The schedule \"{name}\" requires nothing yet this month."),
            },
            (None, _) => tr(
                lang,
                "未提供进度表：方案未规定国家和省的支出比例数字，不作序时进度比较。",
                "No schedule supplied: the plan gives no figure for the required ratio, so there is no comparison with a schedule.",
            )
            .to_owned(),
        };
        [title, cumulative, schedule]
    }

    /// The lines below the table: the units behind schedule (when a schedule requires
    /// something) and the units not ranked for want of an allocation.
    #[must_use]
    pub fn footer(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        let behind: Vec<&str> = self.behind_schedule().map(|r| r.county.as_str()).collect();
        let unallocated: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.rank.is_none())
            .map(|r| r.county.as_str())
            .collect();
        if self.required.is_some() {
            out.push(match (lang, behind.is_empty()) {
                (Lang::Zh, true) => "各县(市)区均达到序时进度。".to_owned(),
                (Lang::Zh, false) => format!(
                    "落后序时进度（{} 个）：{}。",
                    behind.len(),
                    behind.join("、")
                ),
                (Lang::En, true) => "No unit is behind schedule.".to_owned(),
                (Lang::En, false) => {
                    format!("Behind schedule ({}): {}.", behind.len(), behind.join(", "))
                }
            });
        }
        if !unallocated.is_empty() {
            out.push(match lang {
                Lang::Zh => format!("尚未下达资金、不参加排名：{}。", unallocated.join("、")),
                Lang::En => format!(
                    "Nothing allocated yet, not ranked: {}.",
                    unallocated.join(", ")
                ),
            });
        }
        out
    }

    /// The bulletin with `table` rendering the table and `esc` escaping the lines of prose
    /// (which hold names: the schedule's, the units').
    fn render(
        &self,
        lang: Lang,
        table: fn(&Table) -> String,
        h: &str,
        esc: fn(&str) -> String,
    ) -> String {
        let [title, cumulative, schedule] = self.heading(lang).map(|l| esc(&l));
        let mut out = format!("{h}{title}\n{cumulative}\n{schedule}\n\n");
        out.push_str(&table(&self.table(lang)));
        out.push('\n');
        for line in self.footer(lang) {
            out.push_str(&esc(&line));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::spending::Ledger;

    use crate::spending::ledger::tests::{HAND_MADE, any_non_negative_amount, units};
    use crate::spending::schedule::Standing;
    use crate::spending::schedule::tests::QUARTERLY;

    fn hand_made(month: &str) -> Bulletin {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        let s = Schedule::from_toml(QUARTERLY).unwrap();
        bulletin(&l, month.parse().unwrap(), Some(&s)).unwrap()
    }

    #[test]
    fn march_bulletin_of_the_hand_made_ledger() {
        let b = hand_made("2020-03");
        assert_eq!(b.required, Some(Ratio::percent(35)));
        let order: Vec<_> = b.rows.iter().map(|r| (r.rank, r.county.as_str())).collect();
        assert_eq!(
            order,
            [(Some(1), "甲县"), (Some(2), "乙市"), (None, "丙区")]
        );
        let yi = &b.rows[1].figures;
        assert_eq!(yi.progress, Some(Ratio::percent(30)));
        assert_eq!(yi.previous, Some(Ratio::percent(40)));
        assert_eq!(yi.change.unwrap().to_string(), "-10.00 pp");
        let s = yi.schedule.unwrap();
        assert_eq!(
            (s.standing, s.to_catch_up),
            (Standing::Behind, Amount::wan(10))
        );
        assert_eq!(b.city.allocated, Amount::wan(300));
        assert_eq!(b.city.spent, Amount::wan(100));
        assert_eq!(b.city.schedule.unwrap().to_catch_up, Amount::wan(5));
        let behind: Vec<_> = b.behind_schedule().map(|r| r.county.as_str()).collect();
        assert_eq!(behind, ["乙市"]);
        let failed: Vec<_> = b
            .checks()
            .into_iter()
            .filter(|c| !c.passed)
            .map(|c| c.subject.unwrap_or_default())
            .collect();
        assert_eq!(failed, ["乙市", ""]);
    }

    #[test]
    fn ties_share_a_rank_in_unit_order() {
        // End of February: 甲县 40/100 and 乙市 60/150 are both 40 %.
        let b = hand_made("2020-02");
        let order: Vec<_> = b.rows.iter().map(|r| (r.rank, r.county.as_str())).collect();
        assert_eq!(
            order,
            [(Some(1), "甲县"), (Some(1), "乙市"), (None, "丙区")]
        );
        assert_eq!(b.rows[0].figures.change.unwrap().to_string(), "+30.00 pp");
    }

    #[test]
    fn january_has_no_month_on_month_change() {
        let b = hand_made("2020-01");
        assert!(b.rows.iter().all(|r| r.figures.change.is_none()));
        assert_eq!(b.city.previous, None);
    }

    #[test]
    fn spending_above_the_allocation_is_an_error_naming_every_unit() {
        // Issue #10.7: 1,000 % progress ranked first; spending with nothing allocated.
        let csv = "month,county,allocated,spent\n2020-01,甲县,100,1000\n2020-02,乙市,0,5\n2020-02,丙区,10,10\n";
        let l = Ledger::from_csv(csv, 2020, &units()).unwrap();
        let e = bulletin(&l, "2020-02".parse().unwrap(), None).unwrap_err();
        let problems = e.field_errors();
        // 甲县 in January (the month before) and in February; 乙市 in February.
        let paths: Vec<&str> = problems.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["甲县 2020-01", "甲县 2020-02", "乙市 2020-02"],
            "{e}"
        );
        assert!(
            problems
                .iter()
                .all(|f| f.code == crate::ErrorCode::INCONSISTENT)
        );
        assert!(
            e.to_string()
                .contains("`乙市` spent 5 元 but was allocated 0 万元"),
            "{e}"
        );
        // The same from the totals read row by row.
        let t = super::super::LedgerTotals::from_csv(csv, 2020, &units()).unwrap();
        assert_eq!(
            bulletin(&t, "2020-02".parse().unwrap(), None).unwrap_err(),
            e
        );
    }

    #[test]
    fn a_schedule_of_another_year_is_refused() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        let s = Schedule::from_toml(&QUARTERLY.replace("2020-", "2019-")).unwrap();
        let e = bulletin(&l, "2020-03".parse().unwrap(), Some(&s)).unwrap_err();
        let f = &e.field_errors()[0];
        assert_eq!(f.code, crate::ErrorCode::YEAR_MISMATCH);
        assert_eq!(f.path, "points[0].by");
        assert!(e.to_string().starts_with("schedule: "), "{e}");
    }

    #[test]
    fn renders_in_both_languages() {
        let b = hand_made("2020-03");
        let zh = b.to_text(Lang::Zh);
        for needle in [
            "2020年3月",
            "乙市",
            "30.00%",
            "-10.00 pp",
            "⚠ 落后序时进度",
            "全市合计",
            "尚未下达资金",
        ] {
            assert!(zh.contains(needle), "missing {needle} in\n{zh}");
        }
        let en = b.to_markdown(Lang::En);
        for needle in [
            "## Spending progress bulletin, 2020-03",
            "| city total |",
            "Behind schedule (1): 乙市.",
        ] {
            assert!(en.contains(needle), "missing {needle} in\n{en}");
        }
        let html = b.to_html(Lang::Zh);
        assert_eq!(html.matches("<table>").count(), 1, "{html}");
        assert!(
            html.contains("<td style=\"text-align:left\">乙市</td>"),
            "{html}"
        );
        assert!(
            html.contains("<p>落后序时进度（1 个）：乙市。</p>"),
            "{html}"
        );
        let plain = bulletin(
            &Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap(),
            "2020-03".parse().unwrap(),
            None,
        )
        .unwrap();
        assert!(plain.to_text(Lang::En).contains("No schedule supplied"));
        assert!(plain.checks().is_empty());
    }

    #[test]
    fn bulletin_round_trips_through_json() {
        let b = hand_made("2020-03");
        let back: Bulletin = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
        assert_eq!(back, b);
    }

    const EXAMPLE_LEDGER: &str = include_str!("../../../../examples/ledger_2020.csv");
    const EXAMPLE_SCHEDULE: &str = include_str!("../../../../examples/schedule_example.toml");

    fn example_june() -> Bulletin {
        let units = crate::spending::ledger::unit_names(&crate::data::PlanData::chaoyang_2020());
        let l = Ledger::from_csv(EXAMPLE_LEDGER, 2020, &units).unwrap();
        let s = Schedule::from_toml(EXAMPLE_SCHEDULE).unwrap();
        bulletin(&l, "2020-06".parse().unwrap(), Some(&s)).unwrap()
    }

    #[test]
    fn the_example_ledger_gives_the_documented_june_bulletin() {
        let b = example_june();
        assert_eq!(b.required, Some(Ratio::percent(50)));
        let order: Vec<_> = b
            .rows
            .iter()
            .map(|r| {
                (
                    r.rank.unwrap(),
                    r.county.as_str(),
                    r.figures.progress.unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                (1, "双塔区", "70.00%".to_owned()),
                (2, "朝阳县", "62.00%".to_owned()),
                (3, "喀左县", "55.00%".to_owned()),
                (3, "凌源市", "55.00%".to_owned()),
                (5, "建平县", "48.00%".to_owned()),
                (6, "北票市", "41.00%".to_owned()),
                (7, "龙城区", "38.00%".to_owned()),
            ]
        );
        let behind: Vec<_> = b.behind_schedule().map(|r| r.county.as_str()).collect();
        assert_eq!(behind, ["建平县", "北票市", "龙城区"]);
        // 建平县: 11,000 万 allocated × 50 % − 5,280 spent = 220 万 to catch up.
        assert_eq!(
            b.rows[4].figures.schedule.unwrap().to_catch_up,
            Amount::wan(220)
        );
        assert_eq!(b.city.allocated, Amount::wan(57_000));
    }

    /// Any list of up to 12 progresses, some with nothing allocated, some tied.
    fn any_progresses() -> impl Strategy<Value = Vec<Progress>> {
        prop::collection::vec(
            prop_oneof![
                (any_non_negative_amount(), any_non_negative_amount())
                    .prop_map(|(a, s)| Progress::of(a, s)),
                (0_i64..4, 0_i64..4)
                    .prop_map(|(a, s)| Progress::of(Amount::yuan(a), Amount::yuan(s))),
            ],
            0..12,
        )
    }

    proptest! {
        #[test]
        fn ranking_is_a_permutation_in_progress_order(ps in any_progresses()) {
            let r = rank(&ps);
            let mut seen: Vec<usize> = r.iter().map(|x| x.index).collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..ps.len()).collect::<Vec<_>>());
            for w in r.windows(2) {
                let (a, b) = (&ps[w[0].index], &ps[w[1].index]);
                prop_assert!(a.cmp_progress(b).is_ge());
                // Ties share a rank and keep input order; otherwise ranks increase.
                if a.cmp_progress(b).is_eq() {
                    prop_assert_eq!(w[0].rank, w[1].rank);
                    prop_assert!(w[0].index < w[1].index);
                } else if let (Some(x), Some(y)) = (w[0].rank, w[1].rank) {
                    prop_assert!(x < y);
                }
            }
            for x in &r {
                prop_assert_eq!(x.rank.is_none(), ps[x.index].no_allocation());
            }
        }
    }
}
