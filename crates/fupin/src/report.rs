//! The plan report: every funds and integration check for one year, with the county table.
//!
//! Gathers **G1, M1, M1c, task 8, G2/M2** ([`crate::funds`]) and **G3, M3**
//! ([`crate::integration`]) into one serialisable [`Report`], rendered as text or Markdown in
//! Chinese or English. This is what `fupin report` prints.
//!
//! # Example
//! ```
//! use fupin::{data::PlanData, money::Lang, policy::Policy, report};
//! let r = report::report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020()).unwrap();
//! assert!(r.checks.iter().any(|c| c.id == "G3.target_ratio" && c.passed));
//! assert!(r.to_text(Lang::En).contains("247.77%"));
//! ```

use serde::{Deserialize, Serialize};

use crate::check::Check;
pub use crate::check::checks_table;
use crate::data::{DataError, DataMeta, PlanData};
use crate::funds::{self, CountyResult};
use crate::integration::{self, IntegrationResult};
use crate::money::{Amount, Lang, MoneyError, Ratio, growth};
use crate::policy::{Policy, PolicyMeta};
use crate::render::tr;
use crate::render::{Align, Table};

/// 市本级投入 — the city-level input of the year (M1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CitySummary {
    /// 预算安排.
    pub budget: Amount,
    /// 上年指标今年下达.
    pub prior_year_indicators: Amount,
    /// 捐赠资金.
    pub donations: Amount,
    /// Sum of the three.
    pub total: Amount,
    /// Last year's input.
    pub last_year: Amount,
    /// `total − last_year`.
    pub increase: Amount,
    /// Growth on last year; `None` when last year was zero.
    pub growth: Option<Ratio>,
}

/// The full report for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The policy applied.
    pub policy: PolicyMeta,
    /// The data checked, with its illustrative fields.
    pub data: DataMeta,
    /// City-level input.
    pub city: CitySummary,
    /// Each county-level unit, in input order.
    pub counties: Vec<CountyResult>,
    /// The integration ratio.
    pub integration: IntegrationResult,
    /// Every check, in clause order: G1, M1, M1c, task 8, G2, M3, G3.
    pub checks: Vec<Check>,
}

/// Why a report cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The data are of another year than the policy ([`PlanData::check_year`], code
    /// `year_mismatch` at `meta.year`): one year's figures judged by another year's thresholds
    /// would be misread.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Exact arithmetic overflowed.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// Build the report of `data` under `policy`. The data must be of the policy's year.
///
/// # Example
/// ```
/// use fupin::{data::PlanData, report::{report, ReportError}, ErrorCode, Policy};
/// let mut data = PlanData::chaoyang_2020();
/// data.meta.year = 2021;
/// let Err(ReportError::Data(e)) = report(&Policy::chaoyang_2020(), &data) else { panic!() };
/// assert_eq!(e.errors()[0].code, ErrorCode::YEAR_MISMATCH);
/// ```
///
/// # Errors
/// [`ReportError::Data`] for data of another year than the policy's; [`ReportError::Money`]
/// ([`MoneyError::Overflow`]) for amounts beyond the decimal range.
pub fn report(policy: &Policy, data: &PlanData) -> Result<Report, ReportError> {
    data.check_year(policy.meta.year)?;
    let total = data.city.total()?;
    let mut checks = funds::check_funds(&policy.funds, &policy.upward, data)?;
    checks.extend(integration::check_integration(&policy.integration, data)?);
    policy.explain(&mut checks);
    Ok(Report {
        policy: policy.meta.clone(),
        data: data.meta.clone(),
        city: CitySummary {
            budget: data.city.budget,
            prior_year_indicators: data.city.prior_year_indicators,
            donations: data.city.donations,
            total,
            last_year: data.city.last_year,
            increase: total.checked_sub(data.city.last_year)?,
            growth: growth(data.city.last_year, total),
        },
        counties: funds::assess_counties(&policy.funds, data)?,
        integration: integration::assess(&policy.integration, data)?,
        checks,
    })
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

impl Report {
    /// Whether every check passed.
    #[must_use]
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed)
    }

    /// The table of checks: result, clause, what, subject, actual, threshold, shortfall.
    #[must_use]
    pub fn checks_table(&self, lang: Lang) -> Table {
        checks_table(&self.checks, lang)
    }

    /// The report as plain text.
    #[must_use]
    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, Table::to_text, "")
    }

    /// The report as Markdown.
    #[must_use]
    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, Table::to_markdown, "## ")
    }

    /// The report as HTML (headings and tables), for notebooks.
    #[must_use]
    pub fn to_html(&self, lang: Lang) -> String {
        crate::render::html_blocks(&self.render(lang, Table::to_html, ""), "fupin-report")
    }

    /// The lines above the checks: the plan and its number, the data and their source, and —
    /// when some figures are illustrative — a warning naming them.
    #[must_use]
    pub fn heading(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![
            format!("{} ({})", self.policy.name, self.policy.source),
            format!(
                "{}: {} — {}",
                tr(lang, "数据", "Data"),
                self.data.name,
                self.data.source
            ),
        ];
        if !self.data.illustrative.is_empty() {
            out.push(format!(
                "⚠ {}: {}",
                tr(
                    lang,
                    "示例数据（非方案数字）",
                    "illustrative figures (not in the plan)"
                ),
                self.data.illustrative.join(", ")
            ));
        }
        out
    }

    /// The county table (M1c): kind, quota, last and this year's input, growth, what is
    /// required and the budget adjustment owed.
    #[must_use]
    pub fn counties_table(&self, lang: Lang) -> Table {
        let a = |x: Amount| x.display_in(crate::money::Unit::Wan, lang).to_string();
        let mut t = Table::new(vec![
            (tr(lang, "县(市)区", "unit"), Align::Left),
            (tr(lang, "类型", "kind"), Align::Left),
            (tr(lang, "定额", "quota"), Align::Right),
            (tr(lang, "上年", "last year"), Align::Right),
            (tr(lang, "本年", "this year"), Align::Right),
            (tr(lang, "增长", "growth"), Align::Right),
            (tr(lang, "应达", "required"), Align::Right),
            (tr(lang, "需调整预算", "adjustment owed"), Align::Right),
        ]);
        for r in &self.counties {
            t.row(vec![
                r.name.clone(),
                tr(lang, r.kind.zh(), r.kind.en()).to_owned(),
                a(r.quota),
                a(r.last_year),
                a(r.this_year),
                opt(r.growth),
                a(r.required),
                if r.adjustment_owed.is_zero() {
                    "—".to_owned()
                } else {
                    a(r.adjustment_owed)
                },
            ]);
        }
        t
    }

    /// The city-level input (M1) in one line: this year's total and its parts, last year, the
    /// increase and the growth.
    #[must_use]
    pub fn city_line(&self, lang: Lang) -> String {
        let a = |x: Amount| x.display_in(crate::money::Unit::Wan, lang).to_string();
        let c = &self.city;
        format!(
            "{} {} = {} {} + {} {} + {} {}; {} {}, {} {} ({})",
            tr(lang, "本年", "this year"),
            a(c.total),
            tr(lang, "预算安排", "budget"),
            a(c.budget),
            tr(lang, "上年指标今年下达", "prior-year indicators"),
            a(c.prior_year_indicators),
            tr(lang, "捐赠", "donations"),
            a(c.donations),
            tr(lang, "上年", "last year"),
            a(c.last_year),
            tr(lang, "增加", "up"),
            a(c.increase),
            opt(c.growth),
        )
    }

    /// The integration ratio (G3, M3) in one line, with its margins over the required and the
    /// target ratio.
    #[must_use]
    pub fn integration_line(&self, lang: Lang) -> String {
        let i = &self.integration;
        let yi = |x: Amount| x.display_in(crate::money::Unit::Yi, lang).to_string();
        let pts = |p: Option<crate::money::PercentagePoints>| {
            p.map_or_else(|| "—".to_owned(), |p| crate::check::points_text(p, lang))
        };
        format!(
            "{} / {} = {}; {} {} ({}), {} {} ({})",
            yi(i.integrated),
            yi(i.integrable),
            opt(i.ratio),
            tr(lang, "规定比例", "required"),
            i.required,
            pts(i.margin_over_required),
            tr(lang, "目标比例", "target"),
            i.target,
            pts(i.margin_over_target),
        )
    }

    /// How many checks passed and failed, in one line.
    #[must_use]
    pub fn tally(&self, lang: Lang) -> String {
        let failed = self.failures().count();
        let n = self.checks.len();
        match lang {
            Lang::Zh => format!("共 {n} 项检查：{} 项通过，{failed} 项未通过。", n - failed),
            Lang::En => format!("{n} checks: {} passed, {failed} failed.", n - failed),
        }
    }

    fn render(&self, lang: Lang, table: fn(&Table) -> String, h: &str) -> String {
        let mut heading = self.heading(lang).into_iter();
        let mut out = format!("{h}{}\n", heading.next().unwrap_or_default());
        for line in heading {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&format!("{h}{}\n", tr(lang, "检查结果", "Checks")));
        out.push_str(&table(&self.checks_table(lang)));
        out.push_str(&format!(
            "\n{h}{}\n{}\n",
            tr(lang, "市本级投入 (M1)", "City-level input (M1)"),
            self.city_line(lang)
        ));
        out.push_str(&format!(
            "\n{h}{}\n",
            tr(lang, "县(市)区投入 (M1c)", "County-level input (M1c)")
        ));
        out.push_str(&table(&self.counties_table(lang)));
        out.push_str(&format!(
            "\n{h}{}\n{}\n",
            tr(
                lang,
                "涉农资金整合 (G3, M3)",
                "Integration of agricultural funds (G3, M3)"
            ),
            self.integration_line(lang)
        ));
        out.push_str(&format!("\n{}\n", self.tally(lang)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_report_shows_the_plans_figures() {
        let r = report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020()).unwrap();
        assert_eq!(r.city.total, Amount::wan(25_500));
        assert_eq!(r.city.increase, "18167.5万元".parse().unwrap());
        let text = r.to_text(Lang::Zh);
        for needle in [
            "247.77%",
            "21.95%",
            "35.00%",
            "+5.00 个百分点",
            "喀左县",
            "200 万元",
            "示例数据",
        ] {
            assert!(text.contains(needle), "missing {needle} in\n{text}");
        }
        // Two illustrative county-level units fall short: 喀左县 (quota) and 龙城区 (growth).
        let failed: Vec<_> = r
            .failures()
            .map(|c| c.subject.clone().unwrap_or_default())
            .collect();
        assert_eq!(failed, ["喀左县", "喀左县", "龙城区"]);
        assert!(!r.passed());
    }

    #[test]
    fn report_round_trips_through_json() {
        let r = report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020()).unwrap();
        let back: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn html_has_two_tables_and_escaped_prose() {
        let html = report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020())
            .unwrap()
            .to_html(Lang::Zh);
        assert_eq!(html.matches("<table>").count(), 2, "{html}");
        assert_eq!(html.matches("</table>").count(), 2);
        assert!(html.contains("<p>检查结果</p>"), "{html}");
        assert!(
            html.contains("<td style=\"text-align:left\">✗</td>"),
            "{html}"
        );
    }

    #[test]
    fn markdown_has_a_table_per_section() {
        let md = report(&Policy::chaoyang_2020(), &PlanData::chaoyang_2020())
            .unwrap()
            .to_markdown(Lang::En);
        assert_eq!(
            md.lines().filter(|l| l.starts_with("| :-- |")).count(),
            2,
            "{md}"
        );
    }
}
