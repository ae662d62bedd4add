//! 月统计 — the spending ledger: allocations and expenditures per county-level unit by month
//! (M4), and cumulative progress (G4).
//!
//! This module holds the ledger's rules (a row's county known, month in the year, amounts ≥ 0,
//! no duplicate; cumulative progress); reading CSV and JSON text into rows, and the monthly
//! totals of a ledger too large to keep, is its child `read`.
//!
//! A row records what was **allocated** (下达) to a unit and what it **spent** (支出) during one
//! month, optionally for one project and one fund source. Progress at the end of a month is
//! cumulative: the sum of spending from January to that month over the sum of allocations over
//! the same months (累计支出 / 累计下达). With nothing allocated yet, progress is `None`, never a
//! division by zero.
//!
//! # CSV
//! A header row names the columns, in any order: `month` (`YYYY-MM`), `county`, optional
//! `project` and `fund_source`, `allocated`, `spent`. Chinese headers are accepted too (`月份`,
//! `县(市)区`, `项目`, `资金来源`, `下达`, `支出`). Amounts are yuan (`1500000`) or carry a unit
//! (`150万元`). Lines starting with `#` are comments; blank lines are skipped. Every bad cell is
//! reported with its line, column and value: an unknown county, a negative or unreadable
//! amount, a month outside the ledger's year, a row that repeats another's month, county,
//! project and fund source.
//!
//! # Example
//! ```
//! use fupin::money::{Amount, Ratio};
//! use fupin::spending::Ledger;
//!
//! let units = vec!["甲县".to_owned()];
//! let csv = "month,county,allocated,spent\n2020-01,甲县,100万元,0\n2020-02,甲县,0,25万元\n";
//! let ledger = Ledger::from_csv(csv, 2020, &units)?;
//! let p = ledger.progress("甲县", "2020-02".parse()?)?;
//! assert_eq!((p.allocated, p.spent), (Amount::wan(100), Amount::wan(25)));
//! assert_eq!(p.progress, Some(Ratio::percent(25)));
//!
//! let err = Ledger::from_csv("month,county,allocated,spent\n2020-01,丙县,1,1\n", 2020, &units)
//!     .unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "ledger line 2, column 2 (`county`): unknown county-level unit `丙县` (known: 甲县)"
//! );
//! # Ok::<(), fupin::spending::SpendingError>(())
//! ```

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{SpendingError, YearMonth, known_list};
use crate::load::FieldErrors;
use crate::money::{Amount, MoneyError, Ratio};

mod read;
pub(crate) use read::csv_rows;
use read::*;
pub use read::{LedgerTotals, TextRow, column_name};

/// Where a ledger row came from: a CSV line (1-based, the header is line 1) or the index of a
/// record in a list (0-based, as in the JSON path `[2]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowRef {
    /// A line of CSV text.
    Line(u64),
    /// A record of a list (JSON array, Python list of dicts), 0-based.
    Record(usize),
}

impl fmt::Display for RowRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line(n) => write!(f, "line {n}"),
            Self::Record(i) => write!(f, "record [{i}]"),
        }
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LedgerEntry {
    /// The month.
    pub month: YearMonth,
    /// 县(市)区 — the county-level unit.
    pub county: String,
    /// 项目 — the project, if the ledger is kept per project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// 资金来源 — the fund source (central, provincial, city, county …), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fund_source: Option<String>,
    /// 下达 — funds allocated to the unit during the month.
    pub allocated: Amount,
    /// 支出 — funds the unit spent during the month.
    pub spent: Amount,
}

/// Cumulative allocation and spending, and the progress between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// 累计下达 — allocated so far.
    pub allocated: Amount,
    /// 累计支出 — spent so far.
    pub spent: Amount,
    /// 支出进度 — `spent / allocated` (a quotient to 28 significant digits, for display and
    /// ranking; decisions use [`Progress::meets`]). `None` when nothing has been allocated.
    pub progress: Option<Ratio>,
}

impl Progress {
    /// The progress of `spent` against `allocated`.
    ///
    /// # Example
    /// ```
    /// use fupin::{money::Amount, spending::Progress};
    /// assert_eq!(Progress::of(Amount::ZERO, Amount::wan(1)).progress, None);
    /// assert_eq!(Progress::of(Amount::wan(3), Amount::wan(1)).progress.unwrap().to_string(), "33.33%");
    /// ```
    #[must_use]
    pub fn of(allocated: Amount, spent: Amount) -> Self {
        Self {
            allocated,
            spent,
            progress: spent.ratio_to(allocated),
        }
    }

    /// Whether nothing has been allocated (progress is undefined).
    #[must_use]
    pub fn no_allocation(&self) -> bool {
        self.allocated.is_zero()
    }

    /// `spent ≥ allocated × required`, exactly (no quotient is rounded).
    ///
    /// # Errors
    /// [`MoneyError::Overflow`].
    pub fn meets(&self, required: Ratio) -> Result<bool, MoneyError> {
        Ok(self.spent >= self.allocated.checked_mul_ratio(required)?)
    }

    /// Compare two progresses: `a.spent / a.allocated` against `b.spent / b.allocated`, exactly by
    /// cross-multiplication (falling back to the 28-digit quotients only if a product overflows).
    /// A progress with nothing allocated orders below every defined progress; two of them are
    /// equal.
    #[must_use]
    pub fn cmp_progress(&self, other: &Self) -> Ordering {
        match (self.no_allocation(), other.no_allocation()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => {
                let a = self.spent.as_yuan().checked_mul(other.allocated.as_yuan());
                let b = other.spent.as_yuan().checked_mul(self.allocated.as_yuan());
                match (a, b) {
                    // Both allocations are positive, so the inequality keeps its direction.
                    (Some(a), Some(b)) => a.cmp(&b),
                    _ => self.progress.cmp(&other.progress),
                }
            }
        }
    }
}

/// A validated ledger of one year: every row's county is known, its month is in the year, its
/// amounts are ≥ 0, and no two rows share month, county, project and fund source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "LedgerData")]
pub struct Ledger {
    year: i32,
    units: Vec<String>,
    entries: Vec<LedgerEntry>,
}

/// The unvalidated form a ledger deserialises through.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct LedgerData {
    year: i32,
    units: Vec<String>,
    entries: Vec<LedgerEntry>,
}

impl TryFrom<LedgerData> for Ledger {
    type Error = SpendingError;
    fn try_from(d: LedgerData) -> Result<Self, SpendingError> {
        Self::new(d.year, d.units, d.entries)
    }
}

impl Ledger {
    /// A ledger from typed rows, checked as the loaders check them (rows are named by their
    /// index, `record [i]`).
    ///
    /// # Errors
    /// [`SpendingError::Units`] for a bad unit list; [`SpendingError::Cell`] for a row whose
    /// county is unknown, whose month is outside `year` or whose amount is negative;
    /// [`SpendingError::Duplicate`].
    pub fn new(
        year: i32,
        units: Vec<String>,
        entries: Vec<LedgerEntry>,
    ) -> Result<Self, SpendingError> {
        let mut r = Reader::new(year, &units, Keep::TotalsOnly)?;
        for (i, e) in entries.iter().enumerate() {
            let at = RowRef::Record(i);
            let typed = Typed {
                month: e.month,
                county: &e.county,
                project: e.project.as_deref(),
                fund_source: e.fund_source.as_deref(),
                allocated: e.allocated,
                spent: e.spent,
            };
            r.check(at, &typed, &|column, value, problem| {
                Reader::cell_error(at, column, None, value, problem)
            })?;
        }
        drop(r);
        Ok(Self {
            year,
            units,
            entries,
        })
    }

    /// Read a ledger of `year` for the county-level units `units` from CSV text (see the module
    /// docs for the columns).
    ///
    /// # Errors
    /// [`SpendingError::Syntax`] for text that is not CSV; [`SpendingError::MissingColumn`] and
    /// [`SpendingError::UnknownColumn`] for a bad header; [`SpendingError::Cell`] naming the line,
    /// the column and the value of a bad cell; [`SpendingError::Duplicate`];
    /// [`SpendingError::Units`] for a bad unit list.
    pub fn from_csv(text: &str, year: i32, units: &[String]) -> Result<Self, SpendingError> {
        let mut reader = Reader::new(year, units, Keep::Rows)?;
        reader.read_csv(text)?;
        Ok(reader.finish())
    }

    /// Read a ledger from JSON text: an array of row objects with the fields of [`TextRow`]
    /// (`month`, `county`, optional `project` and `fund_source`, `allocated`, `spent`).
    ///
    /// # Errors
    /// [`SpendingError::Field`] for JSON that does not have this shape (naming the path, e.g.
    /// `[2].spent`); otherwise as [`Ledger::from_rows`].
    pub fn from_json(text: &str, year: i32, units: &[String]) -> Result<Self, SpendingError> {
        let mut reader = Reader::new(year, units, Keep::Rows)?;
        reader.read_json(text)?;
        Ok(reader.finish())
    }

    /// Read a ledger from rows of text (records of a list: JSON objects, Python dicts).
    ///
    /// # Errors
    /// [`SpendingError::Cell`] naming the record index, the field and the value of a bad cell;
    /// [`SpendingError::Duplicate`]; [`SpendingError::Units`].
    pub fn from_rows(rows: &[TextRow], year: i32, units: &[String]) -> Result<Self, SpendingError> {
        let mut reader = Reader::new(year, units, Keep::Rows)?;
        for (i, row) in rows.iter().enumerate() {
            reader.read(RowRef::Record(i), Cells::from(row), &|_| None)?;
        }
        Ok(reader.finish())
    }

    /// The ledger as pretty JSON (exact decimal strings).
    #[must_use]
    #[allow(clippy::expect_used)] // plain data with string keys: JSON can hold it
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a ledger always serialises to JSON")
    }

    /// The ledger's year.
    #[must_use]
    pub const fn year(&self) -> i32 {
        self.year
    }

    /// The county-level units, in the order given (the bulletin's order for ties).
    #[must_use]
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The rows, in input order.
    #[must_use]
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    fn check_month(&self, month: YearMonth) -> Result<(), SpendingError> {
        if month.year() == self.year {
            Ok(())
        } else {
            Err(SpendingError::MonthOutsideYear {
                month,
                year: self.year,
            })
        }
    }

    fn check_county(&self, county: &str) -> Result<(), SpendingError> {
        if self.units.iter().any(|u| u == county) {
            Ok(())
        } else {
            Err(SpendingError::UnknownCounty {
                name: county.to_owned(),
                known: known_list(&self.units),
            })
        }
    }

    /// Sum allocation and spending of the rows up to `month` that `keep` selects.
    fn cumulative(
        &self,
        month: YearMonth,
        keep: impl Fn(&LedgerEntry) -> bool,
    ) -> Result<Progress, SpendingError> {
        self.check_month(month)?;
        let mut allocated = Amount::ZERO;
        let mut spent = Amount::ZERO;
        for e in self.entries.iter().filter(|e| e.month <= month && keep(e)) {
            allocated = allocated.checked_add(e.allocated)?;
            spent = spent.checked_add(e.spent)?;
        }
        Ok(Progress::of(allocated, spent))
    }

    /// Cumulative progress of one unit at the end of `month` (January to `month`).
    ///
    /// # Errors
    /// [`SpendingError::MonthOutsideYear`], [`SpendingError::UnknownCounty`],
    /// [`SpendingError::Money`] on overflow.
    pub fn progress(&self, county: &str, month: YearMonth) -> Result<Progress, SpendingError> {
        self.check_county(county)?;
        self.cumulative(month, |e| e.county == county)
    }

    /// Cumulative progress of the whole city (all units) at the end of `month`.
    ///
    /// # Errors
    /// [`SpendingError::MonthOutsideYear`], [`SpendingError::Money`] on overflow.
    pub fn city_progress(&self, month: YearMonth) -> Result<Progress, SpendingError> {
        self.cumulative(month, |_| true)
    }

    /// Cumulative progress of every unit at the end of `month`, in unit order.
    ///
    /// # Errors
    /// As [`Ledger::city_progress`].
    pub fn progress_by_county(
        &self,
        month: YearMonth,
    ) -> Result<Vec<(String, Progress)>, SpendingError> {
        self.check_month(month)?;
        // One pass over the rows: O(rows + units).
        let index: HashMap<&str, usize> = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        let mut sums = vec![(Amount::ZERO, Amount::ZERO); self.units.len()];
        for e in self.entries.iter().filter(|e| e.month <= month) {
            if let Some((a, s)) = index.get(e.county.as_str()).and_then(|i| sums.get_mut(*i)) {
                *a = a.checked_add(e.allocated)?;
                *s = s.checked_add(e.spent)?;
            }
        }
        Ok(self
            .units
            .iter()
            .cloned()
            .zip(sums)
            .map(|(u, (a, s))| (u, Progress::of(a, s)))
            .collect())
    }

    /// The ledger restricted to the rows `keep` selects — e.g. one fund source
    /// (`|e| e.fund_source.as_deref() == Some("中央")`) or one project — with the same year and
    /// units, so a bulletin can be made for it.
    ///
    /// # Example
    /// ```
    /// use fupin::spending::Ledger;
    /// let csv = "month,county,fund_source,allocated,spent\n\
    ///            2020-01,甲县,中央,100,50\n2020-01,甲县,省级,100,0\n";
    /// let l = Ledger::from_csv(csv, 2020, &["甲县".to_owned()])?;
    /// let central = l.filter(|e| e.fund_source.as_deref() == Some("中央"));
    /// assert_eq!(central.progress("甲县", "2020-01".parse()?)?.progress.unwrap().to_string(), "50.00%");
    /// # Ok::<(), fupin::spending::SpendingError>(())
    /// ```
    #[must_use]
    pub fn filter(&self, keep: impl Fn(&LedgerEntry) -> bool) -> Self {
        Self {
            year: self.year,
            units: self.units.clone(),
            entries: self.entries.iter().filter(|e| keep(e)).cloned().collect(),
        }
    }
}

/// Cumulative progress by unit and city-wide: what a bulletin needs from a ledger. Both a
/// [`Ledger`] (every row kept) and [`LedgerTotals`] (monthly totals only) have it.
pub trait Cumulative {
    /// The year of the ledger.
    fn year(&self) -> i32;

    /// Cumulative progress of every unit at the end of `month`, in unit order.
    ///
    /// # Errors
    /// [`SpendingError::MonthOutsideYear`], [`SpendingError::Money`] on overflow.
    fn progress_by_county(
        &self,
        month: YearMonth,
    ) -> Result<Vec<(String, Progress)>, SpendingError>;

    /// Cumulative progress of the whole city at the end of `month`.
    ///
    /// # Errors
    /// As [`Cumulative::progress_by_county`].
    fn city_progress(&self, month: YearMonth) -> Result<Progress, SpendingError>;
}

impl Cumulative for Ledger {
    fn year(&self) -> i32 {
        self.year
    }

    fn progress_by_county(
        &self,
        month: YearMonth,
    ) -> Result<Vec<(String, Progress)>, SpendingError> {
        Self::progress_by_county(self, month)
    }

    fn city_progress(&self, month: YearMonth) -> Result<Progress, SpendingError> {
        Self::city_progress(self, month)
    }
}

impl Ledger {
    /// The monthly totals of the ledger (what a bulletin needs).
    ///
    /// # Errors
    /// [`SpendingError::Money`] if a monthly total overflows.
    pub fn totals(&self) -> Result<LedgerTotals, SpendingError> {
        let mut reader = Reader::new(self.year, &self.units, Keep::TotalsOnly)?;
        for (i, e) in self.entries.iter().enumerate() {
            let at = RowRef::Record(i);
            let typed = Typed {
                month: e.month,
                county: &e.county,
                project: e.project.as_deref(),
                fund_source: e.fund_source.as_deref(),
                allocated: e.allocated,
                spent: e.spent,
            };
            reader.check(at, &typed, &|column, value, problem| {
                Reader::cell_error(at, column, None, value, problem)
            })?;
        }
        Ok(reader.finish_totals())
    }
}

/// The names of the county-level units of plan data (the embedded 2020 data gives Chaoyang's
/// seven: 朝阳县, 建平县, 喀左县, 北票市, 凌源市, 双塔区, 龙城区), for use as a ledger's units.
///
/// # Example
/// ```
/// use fupin::{data::PlanData, spending::ledger::unit_names};
/// assert_eq!(unit_names(&PlanData::chaoyang_2020()).len(), 7);
/// ```
#[must_use]
pub fn unit_names(data: &crate::data::PlanData) -> Vec<String> {
    data.counties.iter().map(|c| c.name.clone()).collect()
}

/// A field error of a nested file, for callers that load TOML/JSON parts.
pub(crate) fn field(what: &'static str, error: impl Into<FieldErrors>) -> SpendingError {
    SpendingError::Field {
        what,
        error: error.into(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn units() -> Vec<String> {
        ["甲县", "乙市", "丙区"].map(str::to_owned).to_vec()
    }

    /// A small hand-made ledger: 甲县 100 万 allocated in Jan, spends 10 + 30; 乙市 200 万
    /// (150 Jan + 50 Mar), spends 60 in Feb from two fund sources; 丙区 nothing allocated.
    pub(crate) const HAND_MADE: &str = "\
# hand-made ledger for tests
month,county,project,fund_source,allocated,spent
2020-01,甲县,,,100万元,10万元
2020-02,甲县,,,0,30万元
2020-01,乙市,果园,中央,150万元,0
2020-02,乙市,果园,中央,0,40万元
2020-02,乙市,果园,省级,0,20万元
2020-03,乙市,果园,中央,50万元,0
";

    fn err(text: &str) -> SpendingError {
        Ledger::from_csv(text, 2020, &units()).unwrap_err()
    }

    #[test]
    fn names_with_control_characters_are_refused_naming_the_cell() {
        let e = err("month,county,project,allocated,spent\n2020-01,甲县,\u{1b}[2J果园,1,0\n");
        assert!(
            e.to_string()
                .starts_with("ledger line 2, column 3 (`project`): `\\u{1b}[2J果园` contains"),
            "{e}"
        );
        let f = &e.field_errors()[0];
        assert_eq!(f.code, crate::ErrorCode::CONTROL_CHARACTER);
        assert_eq!(
            (f.path.as_str(), f.value.as_deref()),
            ("line 2.project", Some("\u{1b}[2J果园"))
        );
        let units = vec!["甲县\r".to_owned()];
        assert!(matches!(
            Ledger::from_csv("month,county,allocated,spent\n", 2020, &units),
            Err(SpendingError::Units(_))
        ));
    }

    #[test]
    fn the_totals_read_row_by_row_agree_with_the_rows() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        let t = LedgerTotals::from_csv(HAND_MADE, 2020, &units()).unwrap();
        assert_eq!(t.rows(), 6);
        assert_eq!(l.totals().unwrap(), t);
        let json = r#"[{"month":"2020-01","county":"甲县","allocated":"100万元","spent":"10万元"},
                       {"month":"2020-02","county":"甲县","allocated":0,"spent":"30万元"}]"#;
        let t = LedgerTotals::from_json(json, 2020, &units()).unwrap();
        let feb = "2020-02".parse().unwrap();
        assert_eq!(
            t.progress("甲县", feb).unwrap(),
            l.progress("甲县", feb).unwrap()
        );
        // The same errors, named the same way, from either reader.
        for bad in [
            "month,county,allocated,spent\n2020-01,甲县,1,1\n2020-01,甲县,2,2\n",
            "month,county,allocated,spent\n2020-01,丁县,1,1\n",
            "# c\nmonth,county,allocated,spent\n\n  # indented comment, with \"quote\n2020-01,甲县,x,1\n",
        ] {
            assert_eq!(
                LedgerTotals::from_csv(bad, 2020, &units()).unwrap_err(),
                err(bad),
                "{bad}"
            );
        }
        assert!(
            err("# c\nmonth,county,allocated,spent\n\n  # indented, \"q\n2020-01,甲县,x,1\n")
                .to_string()
                .starts_with("ledger line 5, column 3 (`allocated`)")
        );
        let bad_json = r#"[{"month":"2020-01","county":"甲县","allocated":1,"spent":1,"spent":2}]"#;
        let e = LedgerTotals::from_json(bad_json, 2020, &units()).unwrap_err();
        assert!(
            e.to_string().contains("`spent` is given twice")
                || e.to_string().contains("duplicate field"),
            "{e}"
        );
    }

    #[test]
    fn a_year_outside_the_calendar_and_amounts_beyond_the_input_range_are_refused() {
        for year in [0, -2020, 10_000] {
            let e = Ledger::from_csv(HAND_MADE, year, &units()).unwrap_err();
            assert_eq!(
                e.field_errors()[0].code,
                crate::ErrorCode::OUT_OF_RANGE,
                "{e}"
            );
        }
        let e = err("month,county,allocated,spent\n2020-01,甲县,100000001亿,0\n");
        assert!(
            e.to_string()
                .starts_with("ledger line 2, column 3 (`allocated`): `100000001亿` is beyond"),
            "{e}"
        );
        // Typed rows too (Python passes decimals, not text).
        let huge = Amount::from_yuan(rust_decimal::Decimal::MAX);
        let row = LedgerEntry {
            month: "2020-01".parse().unwrap(),
            county: "甲县".into(),
            project: None,
            fund_source: None,
            allocated: huge,
            spent: Amount::ZERO,
        };
        let e = Ledger::new(2020, units(), vec![row]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("ledger record [0], field `allocated`"),
            "{e}"
        );
    }

    #[test]
    fn progress_is_cumulative_and_exact() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        assert_eq!(l.entries().len(), 6);
        let feb: YearMonth = "2020-02".parse().unwrap();
        let mar: YearMonth = "2020-03".parse().unwrap();
        let jia = l.progress("甲县", feb).unwrap();
        assert_eq!(jia.allocated, Amount::wan(100));
        assert_eq!(jia.spent, Amount::wan(40));
        assert_eq!(jia.progress, Some(Ratio::percent(40)));
        let yi = l.progress("乙市", feb).unwrap();
        assert_eq!(yi.progress, Some(Ratio::percent(40))); // 60 / 150
        let yi = l.progress("乙市", mar).unwrap();
        assert_eq!(yi.progress, Some(Ratio::percent(30))); // 60 / 200
        let city = l.city_progress(mar).unwrap();
        assert_eq!(
            (city.allocated, city.spent),
            (Amount::wan(300), Amount::wan(100))
        );
        assert_eq!(city.progress.unwrap().to_string(), "33.33%");
        assert!(
            city.meets(Ratio::from_fraction("0.3333".parse().unwrap()))
                .unwrap()
        );
        assert!(
            !city
                .meets(Ratio::from_fraction("0.33334".parse().unwrap()))
                .unwrap()
        );
    }

    #[test]
    fn a_unit_with_nothing_allocated_has_no_progress() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        let p = l.progress("丙区", "2020-12".parse().unwrap()).unwrap();
        assert_eq!(p.progress, None);
        assert!(p.no_allocation());
        // January: 乙市 has its allocation, nothing spent yet: 0 %, not None.
        let p = l.progress("乙市", "2020-01".parse().unwrap()).unwrap();
        assert_eq!(p.progress, Some(Ratio::ZERO));
    }

    #[test]
    fn bad_rows_are_named_by_line_column_and_value() {
        let head = "month,county,allocated,spent\n";
        let cases = [
            (
                "2020-01,甲县,1,1\n2020-02,丁县,1,1\n",
                "ledger line 3, column 2 (`county`): unknown county-level unit `丁县` (known: 甲县, 乙市, 丙区)",
            ),
            (
                "2020-01,甲县,1,-5万元\n",
                "ledger line 2, column 4 (`spent`): amount `-5万元` is negative: allocations and expenditures are ≥ 0",
            ),
            (
                "2021-01,甲县,1,1\n",
                "ledger line 2, column 1 (`month`): month `2021-01` is outside the ledger's year 2020",
            ),
            (
                "2020-13,甲县,1,1\n",
                "ledger line 2, column 1 (`month`): `2020-13` is not a month: write YYYY-MM, e.g. 2020-06",
            ),
            (
                "2020-01,甲县,abc,1\n",
                "ledger line 2, column 3 (`allocated`): `abc` is not an amount",
            ),
            (
                "2020-01,甲县,,1\n",
                "ledger line 2, column 3 (`allocated`): the value is empty",
            ),
            (
                "2020-01,甲县,1,1\n2020-01,甲县,2,2\n",
                "ledger line 3: duplicate row (month 2020-01, county `甲县`, project ``, fund source ``) first given at line 2",
            ),
            (
                "2020-01,甲县,1\n",
                "ledger line 2: the row has 3 fields, the header has 4",
            ),
        ];
        for (rows, want) in cases {
            let e = err(&format!("{head}{rows}")).to_string();
            assert!(e.starts_with(want), "got  {e}\nwant {want}");
        }
    }

    /// The key set keeps a hash and a row number per row: a duplicate still names both rows,
    /// as lines of CSV and as records of JSON, and rows that differ only in project or fund
    /// source, month or unit are not duplicates.
    #[test]
    fn duplicates_name_the_first_row_in_csv_and_json() {
        let units = units();
        let json = r#"[{"month":"2020-01","county":"甲县","project":"p","allocated":"1","spent":"0"},
            {"month":"2020-01","county":"甲县","project":"q","allocated":"1","spent":"0"},
            {"month":"2020-01","county":"甲县","project":"p","fund_source":"省级","allocated":"1","spent":"0"},
            {"month":"2020-02","county":"甲县","project":"p","allocated":"1","spent":"0"},
            {"month":"2020-01","county":"甲县","project":"p","allocated":"2","spent":"0"}]"#;
        for e in [
            Ledger::from_json(json, 2020, &units).unwrap_err(),
            LedgerTotals::from_json(json, 2020, &units).unwrap_err(),
        ] {
            assert!(
                e.to_string().contains("record [4]")
                    && e.to_string().contains("first given at record [0]"),
                "{e}"
            );
        }
        let csv = "month,county,project,allocated,spent\n2020-01,甲县,p,1,0\n2020-01,乙市,p,1,0\n\
                   2020-01,甲县,q,1,0\n2020-01,乙市,p,3,0\n";
        let e = LedgerTotals::from_csv(csv, 2020, &units)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 5") && e.contains("first given at line 3"),
            "{e}"
        );
    }

    #[test]
    fn comment_lines_count_in_line_numbers() {
        let text = "# note\nmonth,county,allocated,spent\n# another\n\n2020-01,甲县,1,x\n";
        assert!(
            err(text)
                .to_string()
                .starts_with("ledger line 5, column 4 (`spent`)"),
            "{}",
            err(text)
        );
    }

    #[test]
    fn header_problems_are_named() {
        assert_eq!(
            err("month,county,allocated\n").to_string(),
            "header: missing column `spent` (columns: month, county, [project], [fund_source], allocated, spent)"
        );
        assert!(matches!(
            err("month,county,allocated,spent,colour\n"),
            SpendingError::UnknownColumn { number: 5, .. }
        ));
        assert!(matches!(
            err("month,county,allocated,spent,支出\n"),
            SpendingError::UnknownColumn { number: 5, .. }
        ));
        // Chinese headers and a BOM are accepted, columns in any order.
        let l = Ledger::from_csv(
            "\u{feff}支出,下达,县(市)区,月份\n1,2,甲县,2020-04\n",
            2020,
            &units(),
        )
        .unwrap();
        assert_eq!(l.entries()[0].allocated, Amount::yuan(2));
    }

    #[test]
    fn json_records_are_named_by_index_and_field() {
        let ok = r#"[{"month":"2020-01","county":"甲县","allocated":1000000,"spent":"10万元"}]"#;
        let l = Ledger::from_json(ok, 2020, &units()).unwrap();
        assert_eq!(l.entries()[0].spent, Amount::wan(10));
        let bad = r#"[{"month":"2020-01","county":"甲县","allocated":1,"spent":1},
                      {"month":"2020-01","county":"甲县","allocated":1,"spent":0.5}]"#;
        let e = Ledger::from_json(bad, 2020, &units())
            .unwrap_err()
            .to_string();
        assert!(e.contains("[1].spent") && e.contains("binary float"), "{e}");
        let bad = r#"[{"month":"2020-01","county":"甲县","allocated":"-1","spent":"1"}]"#;
        let e = Ledger::from_json(bad, 2020, &units())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("ledger record [0], field `allocated`: amount `-1` is negative"),
            "{e}"
        );
    }

    #[test]
    fn ledger_round_trips_through_json_and_revalidates() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), l);
        let tampered = json.replace("甲县\",\"allocated", "丁县\",\"allocated");
        assert!(serde_json::from_str::<Ledger>(&tampered).is_err());
    }

    #[test]
    fn bad_unit_lists_are_refused() {
        let dup = ["甲县", "甲县"].map(str::to_owned);
        assert!(matches!(
            Ledger::from_csv(HAND_MADE, 2020, &dup),
            Err(SpendingError::Units(_))
        ));
        assert!(matches!(
            Ledger::from_csv(HAND_MADE, 2020, &[]),
            Err(SpendingError::Units(_))
        ));
    }

    #[test]
    fn months_outside_the_year_are_refused_on_query() {
        let l = Ledger::from_csv(HAND_MADE, 2020, &units()).unwrap();
        assert!(matches!(
            l.city_progress("2019-12".parse().unwrap()),
            Err(SpendingError::MonthOutsideYear { year: 2020, .. })
        ));
        assert!(matches!(
            l.progress("丁县", "2020-01".parse().unwrap()),
            Err(SpendingError::UnknownCounty { .. })
        ));
    }

    /// Any non-negative amount up to 10¹² yuan, to the fen.
    pub(crate) fn any_non_negative_amount() -> impl Strategy<Value = Amount> {
        (0_i64..100_000_000_000_000)
            .prop_map(|fen| Amount::from_yuan(rust_decimal::Decimal::new(fen, 2)))
    }

    /// Any ledger of the three test units: up to 40 rows in random months with random fund
    /// sources (duplicates dropped), amounts to the fen.
    pub(crate) fn any_ledger() -> impl Strategy<Value = Ledger> {
        prop::collection::vec(
            (
                1_u32..=12,
                0_usize..3,
                0_usize..3,
                any_non_negative_amount(),
                any_non_negative_amount(),
            ),
            0..40,
        )
        .prop_map(|rows| {
            let mut seen = std::collections::HashSet::new();
            let entries = rows
                .into_iter()
                .filter(|(m, u, f, _, _)| seen.insert((*m, *u, *f)))
                .map(|(m, u, f, allocated, spent)| LedgerEntry {
                    month: YearMonth::new(2020, m).unwrap(),
                    county: units()[u].clone(),
                    project: None,
                    fund_source: ["中央", "省级", "市级"].get(f).map(|s| (*s).to_owned()),
                    allocated,
                    spent,
                })
                .collect();
            Ledger::new(2020, units(), entries).unwrap()
        })
    }

    proptest! {
        #[test]
        fn the_one_pass_table_agrees_with_each_unit_and_sums_to_the_city(l in any_ledger(), m in 1_u32..=12) {
            let month = YearMonth::new(2020, m).unwrap();
            let table = l.progress_by_county(month).unwrap();
            let mut allocated = Amount::ZERO;
            let mut spent = Amount::ZERO;
            for (county, p) in &table {
                prop_assert_eq!(*p, l.progress(county, month).unwrap());
                allocated = allocated.checked_add(p.allocated).unwrap();
                spent = spent.checked_add(p.spent).unwrap();
            }
            let city = l.city_progress(month).unwrap();
            prop_assert_eq!((city.allocated, city.spent), (allocated, spent));
        }

        #[test]
        fn cumulative_amounts_never_fall_from_one_month_to_the_next(l in any_ledger(), m in 1_u32..12) {
            let (a, b) = (YearMonth::new(2020, m).unwrap(), YearMonth::new(2020, m + 1).unwrap());
            let (x, y) = (l.city_progress(a).unwrap(), l.city_progress(b).unwrap());
            prop_assert!(x.allocated <= y.allocated && x.spent <= y.spent);
        }

        #[test]
        fn the_csv_of_a_ledger_reads_back_to_the_same_ledger(l in any_ledger()) {
            let mut csv = String::from("month,county,fund_source,allocated,spent\n");
            for e in l.entries() {
                csv.push_str(&format!(
                    "{},{},{},{},{}\n",
                    e.month,
                    e.county,
                    e.fund_source.clone().unwrap_or_default(),
                    e.allocated.as_yuan(),
                    e.spent.as_yuan()
                ));
            }
            prop_assert_eq!(Ledger::from_csv(&csv, 2020, &units()).unwrap(), l);
        }

        #[test]
        fn progress_is_never_negative(a in any_non_negative_amount(), s in any_non_negative_amount()) {
            let p = Progress::of(a, s);
            prop_assert_eq!(p.progress.is_none(), a.is_zero());
            if let Some(r) = p.progress {
                prop_assert!(!r.is_negative());
            }
        }

        #[test]
        fn progress_is_monotone_in_spending(
            a in any_non_negative_amount(),
            s in any_non_negative_amount(),
            more in any_non_negative_amount(),
        ) {
            let less = Progress::of(a, s);
            let more = Progress::of(a, s.checked_add(more).unwrap());
            prop_assert!(less.progress <= more.progress);
            prop_assert_ne!(less.cmp_progress(&more), Ordering::Greater);
        }

        #[test]
        fn exact_comparison_agrees_with_the_quotients_when_they_differ(
            a in any_non_negative_amount(), s in any_non_negative_amount(),
            b in any_non_negative_amount(), t in any_non_negative_amount(),
        ) {
            let (x, y) = (Progress::of(a, s), Progress::of(b, t));
            if x.progress != y.progress {
                prop_assert_eq!(x.cmp_progress(&y), x.progress.cmp(&y.progress));
            }
        }
    }
}
