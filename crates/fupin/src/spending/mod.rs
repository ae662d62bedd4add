//! Spending progress (支出进度): monthly ledgers, the required schedule, the monthly bulletin and
//! the link to next year's allocation.
//!
//! Clauses: **G4** 二(四) spending progress of the poverty-alleviation funds reaches the ratio
//! required by the Ministry of Finance and the province; **M4** 三(四) monthly statistics and a
//! monthly bulletin (月统计月通报) of every county's spending progress, rewards for the good and
//! penalties for the poor (奖优惩劣), a county's result tied to its allocation of agricultural
//! funds.
//!
//! - [`ledger`]: a [`Ledger`] of allocations (下达) and expenditures (支出) per county-level unit
//!   by month, optionally per project and fund source, read from CSV or JSON text; cumulative
//!   progress = cumulative spending / cumulative allocation, per unit and city-wide.
//! - [`schedule`]: the required progress by date (序时进度). **The plan names the national and
//!   provincial requirement without giving a number**, so the library has none: the user
//!   supplies a [`Schedule`] (a policy section, or a file such as `examples/schedule_example.toml`,
//!   which is an example and not the plan's).
//! - [`bulletin`]: the content of the monthly bulletin — a ranked table, flags for units behind
//!   schedule, the month-on-month change and the city total — as data and as text or Markdown.
//! - [`allocation`]: a parameterised, documented way to turn a bulletin into next year's
//!   allocation (M4), conserving the total exactly. No parameters are given by the plan; by
//!   default there is no adjustment.
//!
//! Everything is pure: loaders take text and return data; no clock is read (the month is passed
//! in).
//!
//! # Example
//! ```
//! use fupin::spending::{bulletin, Ledger, Schedule, YearMonth};
//!
//! let units = ["甲县".to_owned(), "乙区".to_owned()];
//! let csv = "month,county,allocated,spent\n\
//!            2020-01,甲县,100万元,20万元\n\
//!            2020-01,乙区,50万元,40万元\n";
//! let ledger = Ledger::from_csv(csv, 2020, &units)?;
//! let schedule = Schedule::from_toml(
//!     "name = \"example\"\n[[points]]\nby = \"2020-01-31\"\nrequired = \"30%\"\n",
//! )?;
//! let b = bulletin::bulletin(&ledger, "2020-01".parse()?, Some(&schedule))?;
//! assert_eq!(b.rows[0].county, "乙区"); // 80 % ranks first
//! assert_eq!(b.rows[1].figures.progress.unwrap().to_string(), "20.00%");
//! let behind: Vec<_> = b.behind_schedule().map(|r| r.county.as_str()).collect();
//! assert_eq!(behind, ["甲县"]); // 20 % < 30 %: 10 万元 still to spend
//! # Ok::<(), fupin::spending::SpendingError>(())
//! ```

pub mod allocation;
pub mod bulletin;
pub mod ledger;
pub mod schedule;

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::MoneyError;
use crate::vocab::{ErrorCode, FieldError, FieldErrors, Problems};

pub use allocation::{AllocationPlan, AllocationPolicy, adjust_allocation};
pub use bulletin::{Bulletin, BulletinRow, Figures};
pub use ledger::{Cumulative, Ledger, LedgerEntry, LedgerTotals, Progress, RowRef, TextRow};

pub use schedule::{Schedule, ScheduleComparison, SchedulePoint, Standing};

/// The `[spending]` section of the policy (G4, M4). Every field is optional: the plan gives no
/// figure for either, so by default there is no schedule and no allocation adjustment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendingPolicy {
    /// G4 二(四): the required spending progress by date (国家和省规定的支出比例). The plan gives
    /// no numbers: user-supplied, none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// M4 三(四): how bulletin results adjust next year's allocation (奖优惩劣). The plan gives no
    /// numbers: user-supplied, none by default (no adjustment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<AllocationPolicy>,
}

impl SpendingPolicy {
    /// Check the schedule and the allocation parameters; paths start with `spending.`.
    ///
    /// # Errors
    /// [`FieldErrors`] with every field out of range.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut p = Problems::new();
        if let Some(s) = &self.schedule {
            p.check_all(s.validate_at("spending.schedule"));
        }
        if let Some(a) = &self.allocation {
            p.check_all(a.validate_at("spending.allocation"));
        }
        p.finish()
    }
}

/// A calendar month, e.g. `2020-06`; serialises as that string.
///
/// # Example
/// ```
/// use fupin::spending::YearMonth;
/// let june: YearMonth = "2020-06".parse().unwrap();
/// assert_eq!(june.last_day().to_string(), "2020-06-30");
/// assert_eq!(june.previous().unwrap().to_string(), "2020-05");
/// assert!("2020-13".parse::<YearMonth>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month, if `month` is 1–12 and `year` is 1–9999.
    #[must_use]
    pub const fn new(year: i32, month: u32) -> Option<Self> {
        if year >= 1 && year <= 9999 && month >= 1 && month <= 12 {
            Some(Self { year, month })
        } else {
            None
        }
    }

    /// The month containing a date.
    #[must_use]
    pub fn of(date: NaiveDate) -> Option<Self> {
        Self::new(date.year(), date.month())
    }

    /// The year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1–12.
    #[must_use]
    pub const fn month(self) -> u32 {
        self.month
    }

    /// The first day of the month.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        // Valid by construction (year 1–9999, month 1–12).
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// The last day of the month.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        let first = self.first_day();
        let days = first.num_days_in_month();
        NaiveDate::from_ymd_opt(self.year, self.month, u32::from(days)).unwrap_or(first)
    }

    /// The month before, if it is in the range.
    #[must_use]
    pub const fn previous(self) -> Option<Self> {
        if self.month == 1 {
            Self::new(self.year - 1, 12)
        } else {
            Self::new(self.year, self.month - 1)
        }
    }

    /// The month after, if it is in the range.
    #[must_use]
    pub const fn next(self) -> Option<Self> {
        if self.month == 12 {
            Self::new(self.year + 1, 1)
        } else {
            Self::new(self.year, self.month + 1)
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Text that is not a month.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a month: write YYYY-MM, e.g. 2020-06")]
pub struct BadMonth {
    /// The text as given.
    pub input: String,
}

impl FromStr for YearMonth {
    type Err = BadMonth;

    /// Reads `2020-06` or `2020-6`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadMonth {
            input: s.to_owned(),
        };
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if y.len() != 4 || !all_digits(y) || m.len() > 2 || !all_digits(m) {
            return Err(bad());
        }
        let (y, m) = (
            y.parse::<i32>().map_err(|_| bad())?,
            m.parse::<u32>().map_err(|_| bad())?,
        );
        Self::new(y, m).ok_or_else(bad)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Errors of the spending area: bad ledger rows (naming the line or record, the column and the
/// value), bad schedules and allocation inputs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpendingError {
    /// The CSV text cannot be read as CSV (e.g. a row with a different number of fields).
    #[error("{what} {at}: {message}")]
    Syntax {
        /// What was being read: `ledger`, `base weights`.
        what: &'static str,
        /// Where.
        at: RowRef,
        /// What the CSV reader said.
        message: String,
    },
    /// The CSV header lacks a required column.
    #[error("header: missing column `{column}` (columns: {expected})")]
    MissingColumn {
        /// The column's name.
        column: &'static str,
        /// The columns the file may have.
        expected: &'static str,
    },
    /// The CSV header has a column the file does not know, or a column twice.
    #[error("header, column {number}: unknown or repeated column `{column}` (columns: {expected})")]
    UnknownColumn {
        /// 1-based column number.
        number: usize,
        /// The header text.
        column: String,
        /// The columns the file may have.
        expected: &'static str,
    },
    /// One cell of a row is bad: names the row, the column and the value.
    #[error(transparent)]
    Cell(Box<CellError>),
    /// Two rows have the same month, county, project and fund source.
    #[error(
        "ledger {at}: duplicate row (month {month}, county `{county}`, project `{project}`, fund source `{fund_source}`) first given at {first}"
    )]
    Duplicate {
        /// The second row.
        at: RowRef,
        /// The first row with the same key.
        first: RowRef,
        /// The month.
        month: YearMonth,
        /// The county-level unit.
        county: String,
        /// The project (empty if none).
        project: String,
        /// The fund source (empty if none).
        fund_source: String,
    },
    /// A month asked for is outside the ledger's year.
    #[error("month {month} is outside the ledger's year {year}")]
    MonthOutsideYear {
        /// The month asked for.
        month: YearMonth,
        /// The ledger's year.
        year: i32,
    },
    /// A county-level unit asked for is not one of the ledger's.
    #[error("unknown county-level unit `{name}` (known: {known})")]
    UnknownCounty {
        /// The name asked for.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// A unit list is unusable (empty, duplicate or blank names).
    #[error("county-level units: {0}")]
    Units(String),
    /// JSON ledger text or a schedule file cannot be read, or a field is out of range.
    #[error("{what}: {error}")]
    Field {
        /// What was being read: `ledger`, `schedule`, `allocation`.
        what: &'static str,
        /// The field paths and the problems.
        error: FieldErrors,
    },
    /// A month given as text (e.g. on the command line) is not a month.
    #[error(transparent)]
    BadMonth(#[from] BadMonth),
    /// Exact arithmetic overflowed.
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// A bad cell of a ledger.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {at}, {column}: {problem}")]
pub struct CellError {
    /// What was being read: `ledger`, `base weights`.
    pub what: &'static str,
    /// The row: a CSV line or a record index.
    pub at: RowRef,
    /// The column: its name and, for CSV, its 1-based number.
    pub column: ColumnRef,
    /// The cell's text.
    pub value: String,
    /// What is wrong with it.
    pub problem: CellProblem,
}

/// A column of a ledger: its name and, for CSV, its 1-based number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ColumnRef {
    /// The column's name, e.g. `spent`.
    pub name: String,
    /// Its 1-based number in a CSV file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<usize>,
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "column {n} (`{}`)", self.name),
            None => write!(f, "field `{}`", self.name),
        }
    }
}

/// What is wrong with a ledger cell; the message quotes the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CellProblem {
    /// A required cell is empty.
    #[error("the value is empty")]
    Empty,
    /// A name holds a control character or a line break (see [`crate::check_name`]).
    #[error(
        "`{}` contains a control character or line break: names may not",
        crate::render::escape_text(value)
    )]
    ControlCharacter {
        /// The text as given.
        value: String,
    },
    /// A name (county, project, fund source) breaks the name rule otherwise: a space before or
    /// after it, an invisible character (see [`crate::check_name`]).
    #[error("{message}")]
    Name {
        /// The rule's code (`whitespace`, …).
        code: ErrorCode,
        /// What is wrong, quoting the value.
        message: String,
    },
    /// The county-level unit is not one of the known units.
    #[error("unknown county-level unit `{value}` (known: {known})")]
    UnknownCounty {
        /// The name given.
        value: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// An amount is negative.
    #[error("amount `{value}` is negative: allocations and expenditures are ≥ 0")]
    Negative {
        /// The amount as written.
        value: String,
    },
    /// Adding the amount makes a unit's monthly total overflow the exact decimal range.
    #[error("adding it makes the monthly total of `{county}` overflow the exact decimal range")]
    TotalOverflows {
        /// The unit.
        county: String,
    },
    /// A month outside the ledger's year.
    #[error("month `{value}` is outside the ledger's year {year}")]
    MonthOutsideYear {
        /// The month as written.
        value: String,
        /// The ledger's year.
        year: i32,
    },
    /// Text that is not a month.
    #[error(transparent)]
    BadMonth(#[from] BadMonth),
    /// Text that is not an amount, or a binary float.
    #[error(transparent)]
    BadAmount(#[from] MoneyError),
}

impl SpendingError {
    /// Every problem as a [`FieldError`]. A ledger cell's path is its row and column
    /// (`line 3.spent` for CSV, `[2].spent` for a record of a list); a header problem's is
    /// `header`.
    #[must_use]
    pub fn field_errors(&self) -> Vec<FieldError> {
        let one = |code, path: String, value: Option<String>| {
            vec![FieldError::coded(code, path, value, self.to_string())]
        };
        match self {
            Self::Syntax { at, .. } => one(ErrorCode::SYNTAX, row_path(*at), None),
            Self::MissingColumn { column, .. } => one(
                ErrorCode::MISSING_FIELD,
                "header".to_owned(),
                Some((*column).to_owned()),
            ),
            Self::UnknownColumn { column, .. } => one(
                ErrorCode::UNKNOWN_FIELD,
                "header".to_owned(),
                Some(column.clone()),
            ),
            Self::Cell(c) => {
                let code = match &c.problem {
                    CellProblem::Empty => ErrorCode::EMPTY,
                    CellProblem::ControlCharacter { .. } => ErrorCode::CONTROL_CHARACTER,
                    CellProblem::Name { code, .. } => code.clone(),
                    CellProblem::TotalOverflows { .. } => ErrorCode::OVERFLOW,
                    CellProblem::UnknownCounty { .. } => ErrorCode::UNKNOWN_NAME,
                    CellProblem::Negative { .. } => ErrorCode::NEGATIVE,
                    CellProblem::MonthOutsideYear { .. } => ErrorCode::YEAR_MISMATCH,
                    CellProblem::BadMonth(_) => ErrorCode::INVALID_DATE,
                    CellProblem::BadAmount(m) => m.to_field_error("").code,
                };
                let path = format!("{}.{}", row_path(c.at), c.column.name);
                one(code, path, Some(c.value.clone()))
            }
            Self::Duplicate { at, .. } => one(ErrorCode::DUPLICATE, row_path(*at), None),
            Self::MonthOutsideYear { month, .. } => one(
                ErrorCode::YEAR_MISMATCH,
                String::new(),
                Some(month.to_string()),
            ),
            Self::UnknownCounty { name, .. } => {
                one(ErrorCode::UNKNOWN_NAME, String::new(), Some(name.clone()))
            }
            Self::Units(_) => one(ErrorCode::INVALID, "units".to_owned(), None),
            Self::Field { what, error } => error
                .iter()
                .map(|e| {
                    let mut e = e.clone();
                    e.message = format!("{what}: {}", e.message);
                    e
                })
                .collect(),
            Self::BadMonth(b) => one(
                ErrorCode::INVALID_DATE,
                String::new(),
                Some(b.input.clone()),
            ),
            Self::Money(m) => vec![m.to_field_error("")],
        }
    }
}

/// The path of a row: `line 3` for CSV, `[2]` for a record of a list.
fn row_path(at: RowRef) -> String {
    match at {
        RowRef::Line(n) => format!("line {n}"),
        RowRef::Record(i) => format!("[{i}]"),
    }
}

/// The list of known names, for messages.
pub(crate) fn known_list(units: &[String]) -> String {
    units.join(", ")
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for YearMonth {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "YearMonth".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$",
            "description": "A month, `YYYY-MM`.",
            "examples": ["2020-06"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_display() {
        let m: YearMonth = "2020-6".parse().unwrap();
        assert_eq!(m.to_string(), "2020-06");
        assert_eq!(m.first_day().to_string(), "2020-06-01");
        assert_eq!(
            "2020-02"
                .parse::<YearMonth>()
                .unwrap()
                .last_day()
                .to_string(),
            "2020-02-29"
        );
        assert_eq!(
            "2020-01"
                .parse::<YearMonth>()
                .unwrap()
                .previous()
                .unwrap()
                .to_string(),
            "2019-12"
        );
        for bad in [
            "2020-00", "2020-13", "2020/06", "20-06", "2020-", "abc", "2020-006",
        ] {
            let e = bad.parse::<YearMonth>().unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"2020-06\"");
        assert_eq!(serde_json::from_str::<YearMonth>(&json).unwrap(), m);
    }

    const SECTION: &str = r#"
[spending.schedule]
name = "user schedule"
[[spending.schedule.points]]
by = "2020-06-30"
required = "50%"
[[spending.schedule.points]]
by = "2020-12-31"
required = "90%"

[spending.allocation]
reward_top = 2
reward = "5%"
penalty_bottom = 1
penalty = "5%"
"#;

    fn with_section(section: &str) -> Result<crate::Policy, crate::policy::PolicyError> {
        let base = crate::policy::CHAOYANG_2020_TOML;
        let text = base.replacen("[spending]\n", &format!("{section}\n"), 1);
        assert_ne!(text, base, "the embedded policy has a [spending] header");
        crate::Policy::from_toml(&text)
    }

    #[test]
    fn a_user_schedule_and_allocation_load_from_the_policy_and_round_trip() {
        let p = with_section(SECTION).unwrap();
        let s = p.spending.schedule.as_ref().unwrap();
        assert_eq!(
            s.required_for("2020-07".parse().unwrap()),
            Some(crate::Ratio::percent(50))
        );
        let a = p.spending.allocation.as_ref().unwrap();
        assert_eq!((a.reward_top, a.penalty_bottom), (2, 1));
        assert_eq!(a.step.as_yuan().to_string(), "0.01");
        assert_eq!(crate::Policy::from_toml(&p.to_toml()).unwrap(), p);
        assert_eq!(crate::Policy::from_json(&p.to_json()).unwrap(), p);
    }

    #[test]
    fn bad_policy_sections_are_named_by_path() {
        let e = with_section(&SECTION.replace("\"90%\"", "\"40%\"")).unwrap_err();
        assert_eq!(e.path(), "spending.schedule.points[1].required");
        let e =
            with_section(&SECTION.replace("penalty = \"5%\"", "penalty = \"101%\"")).unwrap_err();
        assert_eq!(e.path(), "spending.allocation.penalty");
        let e = with_section(&SECTION.replace("reward_top", "reward_topp")).unwrap_err();
        assert_eq!(e.path(), "spending.allocation.reward_topp");
    }

    #[test]
    fn the_embedded_policy_has_no_schedule_and_no_weights() {
        let p = crate::Policy::chaoyang_2020();
        assert_eq!(p.spending, SpendingPolicy::default());
    }

    #[test]
    fn empty_policy_section_has_no_schedule_and_no_adjustment() {
        let p = SpendingPolicy::default();
        assert!(p.schedule.is_none() && p.allocation.is_none());
        assert!(p.validate().is_ok());
    }
}
