//! The supervision calendar: the plan's dated obligations and their status on a date.
//!
//! Clauses: **M5** 三(五) a third-party, full-coverage inspection from mid-April to the end of May
//! (4 月中旬至 5 月底), its problems rectified by the end of July (7 月底前); **task 8** (强化资金
//! 监管) each county's self-inspection done by the end of June and its problems rectified by the
//! end of August; **O1** 四 and annex 1 monthly dispatch and quarterly meetings (月调度、季例会),
//! a work report at each quarter's end (每季度末), half-year and annual summaries; **M4** 三(四)
//! the monthly bulletin (月统计月通报); **M1c** 三(一) the year-end check of the counties' input
//! (年末对各县(市)区进行考核).
//!
//! The obligations are policy data ([`CalendarPolicy`], the `[calendar]` section): one-off
//! [`Deadline`]s with a date, and [`Recurring`] obligations due at the end of each month, quarter,
//! half-year or year. Where the plan says "promptly" (及时) without a number of days, the
//! recurring obligation is due at the end of its period, and `grace_days` (user-supplied, 0 by
//! default) moves it later. Dates are passed in; no clock is read.
//!
//! - [`due_between`]: the obligations due between two dates (inclusive).
//! - [`status_on`]: the status of each on a date, given the dates they were done: done on time,
//!   done late, overdue, not yet due. A completion dated after the date asked about does not
//!   count yet.
//!
//! # Example
//! ```
//! use std::collections::BTreeMap;
//! use fupin::calendar::{status_on, Status};
//! use fupin::Policy;
//!
//! let cal = Policy::chaoyang_2020().calendar;
//! let d = |s: &str| s.parse().unwrap();
//! let on = status_on(&cal, d("2020-07-01"), d("2020-08-31"), d("2020-08-01"), &BTreeMap::new())?;
//! let rect = on.iter().find(|s| s.obligation.key == "M5.rectification").unwrap();
//! assert_eq!(rect.obligation.due.to_string(), "2020-07-31");
//! assert_eq!(rect.status, Status::Overdue);
//!
//! let done = BTreeMap::from([("M5.rectification".to_owned(), d("2020-07-20"))]);
//! let on = status_on(&cal, d("2020-07-01"), d("2020-08-31"), d("2020-08-01"), &done)?;
//! let rect = on.iter().find(|s| s.obligation.key == "M5.rectification").unwrap();
//! assert_eq!(rect.status, Status::DoneOnTime);
//! # Ok::<(), fupin::calendar::CalendarError>(())
//! ```

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::check::{ClauseId, Label};
use crate::load::{self, FieldError};
use crate::money::Lang;
use crate::render::tr;
use crate::render::{Align, Table};

/// The `[calendar]` section of the policy: the plan's dated obligations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarPolicy {
    /// One-off obligations with a date (M5, task 8, M1c).
    #[serde(default)]
    pub deadlines: Vec<Deadline>,
    /// Obligations due every month, quarter, half-year or year (O1, M4).
    #[serde(default)]
    pub recurring: Vec<Recurring>,
}

/// A one-off obligation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// Stable id, e.g. `M5.rectification` (no `@`).
    pub id: String,
    /// The clause it comes from.
    pub clause: ClauseId,
    /// What must be done.
    pub label: Label,
    /// When the work may start, if the plan says (e.g. mid-April for the inspection).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::load::option_date"
    )]
    pub starts: Option<NaiveDate>,
    /// The last day it may be done on time.
    #[serde(deserialize_with = "crate::load::date")]
    pub due: NaiveDate,
}

/// How often a recurring obligation falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Every {
    /// 月 — every month, periods `2020-06`.
    Month,
    /// 季 — every quarter, periods `2020-Q2`.
    Quarter,
    /// 半年 — every half-year, periods `2020-H1`.
    HalfYear,
    /// 年 — every year, periods `2020`.
    Year,
}

impl Every {
    /// Periods per year.
    const fn per_year(self) -> u32 {
        match self {
            Self::Month => 12,
            Self::Quarter => 4,
            Self::HalfYear => 2,
            Self::Year => 1,
        }
    }

    /// The name of period `n` (1-based) of `year`.
    fn period_name(self, year: i32, n: u32) -> String {
        match self {
            Self::Month => format!("{year:04}-{n:02}"),
            Self::Quarter => format!("{year:04}-Q{n}"),
            Self::HalfYear => format!("{year:04}-H{n}"),
            Self::Year => format!("{year:04}"),
        }
    }

    /// The last day of period `n` (1-based) of `year`.
    fn period_end(self, year: i32, n: u32) -> Option<NaiveDate> {
        let last_month = n.checked_mul(12 / self.per_year())?;
        let first = NaiveDate::from_ymd_opt(year, last_month, 1)?;
        NaiveDate::from_ymd_opt(year, last_month, u32::from(first.num_days_in_month()))
    }

    /// Whether `period` is a well-formed period name of this frequency.
    fn is_period(self, period: &str) -> bool {
        let Some(year) = period.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
            return false;
        };
        (1..=self.per_year()).any(|n| self.period_name(year, n) == period)
    }

    /// An example period name, for messages.
    const fn example(self) -> &'static str {
        match self {
            Self::Month => "2020-06",
            Self::Quarter => "2020-Q2",
            Self::HalfYear => "2020-H1",
            Self::Year => "2020",
        }
    }
}

/// An obligation due at the end of every period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recurring {
    /// Stable id, e.g. `O1.quarter_end_report` (no `@`).
    pub id: String,
    /// The clause it comes from.
    pub clause: ClauseId,
    /// What must be done.
    pub label: Label,
    /// How often.
    pub every: Every,
    /// Days after the period's end it is still on time (the plan says "promptly" without a
    /// number: 0 unless the user sets it), at most 366.
    #[serde(default)]
    pub grace_days: u32,
}

/// One occurrence of an obligation, with its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// The key that records of completion use: the id for a deadline, `id@period` for a
    /// recurring obligation (`O1.quarter_end_report@2020-Q2`).
    pub key: String,
    /// The obligation's id.
    pub id: String,
    /// The period, for a recurring obligation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The clause it comes from.
    pub clause: ClauseId,
    /// The clause of the original document, e.g. `三(五)`.
    pub section: String,
    /// What must be done.
    pub label: Label,
    /// When the work may start, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<NaiveDate>,
    /// The last day it may be done on time.
    pub due: NaiveDate,
}

/// The status of an obligation on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 按时完成 — done on or before the due date.
    DoneOnTime,
    /// 逾期完成 — done, after the due date.
    DoneLate,
    /// 早于开始日期完成 — done before the obligation's window opened (the third-party
    /// inspection "from mid-April", dated 5 April): not what the plan asks, so not on time.
    DoneBeforeWindow,
    /// 已逾期 — not done, and the due date has passed.
    Overdue,
    /// 未到期 — not done, and not yet due.
    NotYetDue,
}

impl Status {
    /// The status's name in a language.
    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::DoneOnTime, Lang::Zh) => "按时完成",
            (Self::DoneLate, Lang::Zh) => "逾期完成",
            (Self::DoneBeforeWindow, Lang::Zh) => "早于开始日期完成（不计按时）",
            (Self::Overdue, Lang::Zh) => "已逾期",
            (Self::NotYetDue, Lang::Zh) => "未到期",
            (Self::DoneOnTime, Lang::En) => "done on time",
            (Self::DoneLate, Lang::En) => "done late",
            (Self::DoneBeforeWindow, Lang::En) => "done before its window opened (not on time)",
            (Self::Overdue, Lang::En) => "overdue",
            (Self::NotYetDue, Lang::En) => "not yet due",
        }
    }

    /// The status of something due on `due`, on the date `on`, done on `done` (if at all).
    ///
    /// # Example
    /// ```
    /// use fupin::calendar::Status;
    /// let d = |s: &str| s.parse().unwrap();
    /// assert_eq!(Status::on(d("2020-07-31"), d("2020-08-01"), None), Status::Overdue);
    /// assert_eq!(Status::on(d("2020-07-31"), d("2020-07-31"), None), Status::NotYetDue);
    /// assert_eq!(Status::on(d("2020-07-31"), d("2020-08-01"), Some(d("2020-08-01"))), Status::DoneLate);
    /// // Done after the date asked about: not done yet on that date.
    /// assert_eq!(Status::on(d("2020-07-31"), d("2020-07-01"), Some(d("2020-07-20"))), Status::NotYetDue);
    /// ```
    #[must_use]
    pub fn on(due: NaiveDate, on: NaiveDate, done: Option<NaiveDate>) -> Self {
        Self::within(None, due, on, done)
    }

    /// As [`Status::on`], for an obligation whose window opens on `starts`: a completion
    /// dated before it is [`Status::DoneBeforeWindow`], never on time.
    ///
    /// # Example
    /// ```
    /// use fupin::calendar::Status;
    /// let d = |s: &str| s.parse().unwrap();
    /// // M5: 4 月中旬至 5 月底 — mid-April opens on the 11th.
    /// let inspection = |done| Status::within(Some(d("2020-04-11")), d("2020-05-31"), d("2020-06-01"), Some(d(done)));
    /// assert_eq!(inspection("2020-04-05"), Status::DoneBeforeWindow);
    /// assert_eq!(inspection("2020-04-11"), Status::DoneOnTime);
    /// ```
    #[must_use]
    pub fn within(
        starts: Option<NaiveDate>,
        due: NaiveDate,
        on: NaiveDate,
        done: Option<NaiveDate>,
    ) -> Self {
        match done.filter(|d| *d <= on) {
            Some(d) if starts.is_some_and(|s| d < s) => Self::DoneBeforeWindow,
            Some(d) if d <= due => Self::DoneOnTime,
            Some(_) => Self::DoneLate,
            None if on > due => Self::Overdue,
            None => Self::NotYetDue,
        }
    }

    /// Whether the status is a failure of the obligation on its date: overdue, or done before
    /// its window opened.
    #[must_use]
    pub const fn is_failure(self) -> bool {
        matches!(self, Self::Overdue | Self::DoneBeforeWindow)
    }
}

/// An obligation and its status on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ObligationStatus {
    /// The obligation.
    pub obligation: Obligation,
    /// The date asked about.
    pub on: NaiveDate,
    /// When it was done, if on or before `on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<NaiveDate>,
    /// Its status.
    pub status: Status,
}

/// Errors of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The start of a range is after its end.
    #[error("the range starts on {from}, after its end {to}")]
    RangeReversed {
        /// Start.
        from: NaiveDate,
        /// End.
        to: NaiveDate,
    },
    /// A record of completion names no obligation of the calendar.
    #[error("done: `{key}` is not an obligation of the calendar (known: {known})")]
    UnknownObligation {
        /// The key as written.
        key: String,
        /// The known ids, comma-separated.
        known: String,
    },
    /// A record of completion has the wrong period for its obligation.
    #[error("done: `{key}` needs {expected}")]
    BadPeriod {
        /// The key as written.
        key: String,
        /// What the key should look like.
        expected: String,
    },
    /// A file of completions cannot be read.
    #[error("done file: {0}")]
    Field(crate::FieldErrors),
}

/// A file of completion dates: `[done]` then `"key" = "YYYY-MM-DD"` lines.
///
/// # Example
/// ```
/// use fupin::calendar::DoneList;
/// let d = DoneList::from_toml("[done]\n\"M5.rectification\" = \"2020-07-20\"\n").unwrap();
/// assert_eq!(d.done["M5.rectification"].to_string(), "2020-07-20");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DoneList {
    /// Obligation key (`id` or `id@period`) → the date it was done (a string, or a TOML date:
    /// `"M5.rectification" = 2020-07-20`).
    #[serde(default, deserialize_with = "crate::load::date_map")]
    pub done: BTreeMap<String, NaiveDate>,
}

impl DoneList {
    /// Read from TOML.
    ///
    /// # Errors
    /// [`CalendarError::Field`] naming the field.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        load::from_toml(text).map_err(CalendarError::Field)
    }

    /// Read from JSON (`{"done": {"M5.rectification": "2020-07-20"}}`).
    ///
    /// # Errors
    /// [`CalendarError::Field`] naming the field.
    pub fn from_json(text: &str) -> Result<Self, CalendarError> {
        load::from_json(text).map_err(CalendarError::Field)
    }
}

impl CalendarPolicy {
    /// Check ids (non-empty, unique, without `@`), start ≤ due, grace ≤ 366 days.
    ///
    /// # Errors
    /// [`FieldError`] naming the first bad field.
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut ids: Vec<&str> = Vec::new();
        let check_id = |path: String, value: &str| {
            if value.trim().is_empty() || value.contains('@') {
                return Err(FieldError::new(
                    path,
                    format!("id `{value}` must be non-empty and must not contain `@`"),
                ));
            }
            Ok(())
        };
        for (i, d) in self.deadlines.iter().enumerate() {
            check_id(format!("calendar.deadlines[{i}].id"), &d.id)?;
            if d.starts.is_some_and(|s| s > d.due) {
                return Err(FieldError::new(
                    format!("calendar.deadlines[{i}].starts"),
                    format!("start {:?} is after the due date {}", d.starts, d.due),
                ));
            }
        }
        for (i, r) in self.recurring.iter().enumerate() {
            check_id(format!("calendar.recurring[{i}].id"), &r.id)?;
            if r.grace_days > 366 {
                return Err(FieldError::new(
                    format!("calendar.recurring[{i}].grace_days"),
                    format!("value {} is more than 366 days", r.grace_days),
                ));
            }
        }
        let all = self
            .deadlines
            .iter()
            .map(|d| ("deadlines", d.id.as_str()))
            .chain(self.recurring.iter().map(|r| ("recurring", r.id.as_str())));
        for (n, (section, id)) in all.enumerate() {
            if ids.contains(&id) {
                return Err(FieldError::new(
                    format!("calendar.{section}"),
                    format!("id `{id}` appears more than once (entry {n})"),
                ));
            }
            ids.push(id);
        }
        Ok(())
    }

    fn known(&self) -> String {
        self.deadlines
            .iter()
            .map(|d| d.id.clone())
            .chain(self.recurring.iter().map(|r| format!("{}@<period>", r.id)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Check that every key of `done` names an obligation (with a well-formed period for a
    /// recurring one).
    ///
    /// # Errors
    /// [`CalendarError::UnknownObligation`], [`CalendarError::BadPeriod`].
    pub fn check_done(&self, done: &BTreeMap<String, NaiveDate>) -> Result<(), CalendarError> {
        for key in done.keys() {
            let (id, period) = match key.split_once('@') {
                Some((id, p)) => (id, Some(p)),
                None => (key.as_str(), None),
            };
            if self.deadlines.iter().any(|d| d.id == id) {
                if period.is_some() {
                    return Err(CalendarError::BadPeriod {
                        key: key.clone(),
                        expected: format!("no period: write `{id}`"),
                    });
                }
            } else if let Some(r) = self.recurring.iter().find(|r| r.id == id) {
                if !period.is_some_and(|p| r.every.is_period(p)) {
                    return Err(CalendarError::BadPeriod {
                        key: key.clone(),
                        expected: format!("a period, e.g. `{id}@{}`", r.every.example()),
                    });
                }
            } else {
                return Err(CalendarError::UnknownObligation {
                    key: key.clone(),
                    known: self.known(),
                });
            }
        }
        Ok(())
    }
}

/// The obligations due between `from` and `to` (both inclusive), by due date, then in the
/// calendar's order (deadlines before recurring obligations).
///
/// # Errors
/// [`CalendarError::RangeReversed`] if `from` is after `to`.
pub fn due_between(
    calendar: &CalendarPolicy,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Obligation>, CalendarError> {
    if from > to {
        return Err(CalendarError::RangeReversed { from, to });
    }
    let mut out: Vec<Obligation> = calendar
        .deadlines
        .iter()
        .filter(|d| from <= d.due && d.due <= to)
        .map(|d| Obligation {
            key: d.id.clone(),
            id: d.id.clone(),
            period: None,
            clause: d.clause,
            section: d.clause.section().to_owned(),
            label: d.label.clone(),
            starts: d.starts,
            due: d.due,
        })
        .collect();
    for r in &calendar.recurring {
        // A period ending in the year before `from` may fall due in range through its grace.
        for year in from.year().saturating_sub(1)..=to.year() {
            for n in 1..=r.every.per_year() {
                let Some(end) = r.every.period_end(year, n) else {
                    continue;
                };
                let Some(due) = end.checked_add_days(Days::new(u64::from(r.grace_days))) else {
                    continue;
                };
                if from <= due && due <= to {
                    let period = r.every.period_name(year, n);
                    out.push(Obligation {
                        key: format!("{}@{period}", r.id),
                        id: r.id.clone(),
                        period: Some(period),
                        clause: r.clause,
                        section: r.clause.section().to_owned(),
                        label: r.label.clone(),
                        starts: None,
                        due,
                    });
                }
            }
        }
    }
    // Stable: equal due dates keep the calendar's order.
    out.sort_by_key(|o| o.due);
    Ok(out)
}

/// The status on `on` of every obligation due between `from` and `to`, given the dates in
/// `done` (keyed by [`Obligation::key`]).
///
/// # Errors
/// [`CalendarError::RangeReversed`]; [`CalendarError::UnknownObligation`] or
/// [`CalendarError::BadPeriod`] for a key of `done` that names no obligation (a typo would
/// otherwise hide a completion).
pub fn status_on(
    calendar: &CalendarPolicy,
    from: NaiveDate,
    to: NaiveDate,
    on: NaiveDate,
    done: &BTreeMap<String, NaiveDate>,
) -> Result<Vec<ObligationStatus>, CalendarError> {
    calendar.check_done(done)?;
    Ok(due_between(calendar, from, to)?
        .into_iter()
        .map(|o| {
            let d = done.get(&o.key).copied().filter(|d| *d <= on);
            ObligationStatus {
                status: Status::within(o.starts, o.due, on, d),
                done: d,
                on,
                obligation: o,
            }
        })
        .collect())
}

/// A table of obligations: due date, clause, what, period, start.
#[must_use]
pub fn obligations_table(obligations: &[Obligation], lang: Lang) -> Table {
    let mut t = Table::new(vec![
        (tr(lang, "截止日期", "due"), Align::Left),
        (tr(lang, "条款", "clause"), Align::Left),
        (tr(lang, "事项", "obligation"), Align::Left),
        (tr(lang, "期间", "period"), Align::Left),
        (tr(lang, "开始", "starts"), Align::Left),
        (tr(lang, "键", "key"), Align::Left),
    ]);
    for o in obligations {
        t.row(vec![
            o.due.to_string(),
            format!("{} {}", o.clause, o.section),
            o.label.get(lang).to_owned(),
            o.period.clone().unwrap_or_default(),
            o.starts.map(|s| s.to_string()).unwrap_or_default(),
            o.key.clone(),
        ]);
    }
    t
}

/// A table of statuses: due date, clause, what, period, status, date done.
#[must_use]
pub fn status_table(statuses: &[ObligationStatus], lang: Lang) -> Table {
    let mut t = Table::new(vec![
        (tr(lang, "截止日期", "due"), Align::Left),
        (tr(lang, "条款", "clause"), Align::Left),
        (tr(lang, "事项", "obligation"), Align::Left),
        (tr(lang, "期间", "period"), Align::Left),
        (tr(lang, "状态", "status"), Align::Left),
        (tr(lang, "完成日期", "done"), Align::Left),
    ]);
    for s in statuses {
        let flag = if s.status.is_failure() { "⚠ " } else { "" };
        t.row(vec![
            s.obligation.due.to_string(),
            format!("{} {}", s.obligation.clause, s.obligation.section),
            s.obligation.label.get(lang).to_owned(),
            s.obligation.period.clone().unwrap_or_default(),
            format!("{flag}{}", s.status.label(lang)),
            s.done.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> CalendarPolicy {
        Policy::chaoyang_2020().calendar
    }

    #[test]
    fn an_inspection_done_before_mid_april_is_not_on_time() {
        // #10 item 7, #11 item 7: M5's window opens in mid-April (中旬 = the 11th).
        let status = |done: &str| {
            let done = BTreeMap::from([("M5.third_party_inspection".to_owned(), d(done))]);
            status_on(
                &cal(),
                d("2020-05-01"),
                d("2020-05-31"),
                d("2020-06-01"),
                &done,
            )
            .unwrap()
            .into_iter()
            .find(|s| s.obligation.key == "M5.third_party_inspection")
            .unwrap()
            .status
        };
        assert_eq!(status("2020-04-10"), Status::DoneBeforeWindow);
        assert!(status("2020-04-10").is_failure());
        assert_eq!(status("2020-04-11"), Status::DoneOnTime);
        assert_eq!(status("2020-05-31"), Status::DoneOnTime);
        assert_eq!(status("2020-06-01"), Status::DoneLate);
    }

    fn due_of(key: &str) -> NaiveDate {
        due_between(&cal(), d("2020-01-01"), d("2020-12-31"))
            .unwrap()
            .into_iter()
            .find(|o| o.key == key)
            .unwrap_or_else(|| panic!("{key} not in the 2020 calendar"))
            .due
    }

    #[test]
    fn the_plans_dates_are_in_the_calendar() {
        assert_eq!(due_of("M5.third_party_inspection"), d("2020-05-31"));
        assert_eq!(due_of("M5.rectification"), d("2020-07-31"));
        assert_eq!(due_of("T8.self_inspection"), d("2020-06-30"));
        assert_eq!(due_of("T8.rectification"), d("2020-08-31"));
        assert_eq!(due_of("M1c.year_end_check"), d("2020-12-31"));
        assert_eq!(due_of("O1.quarter_end_report@2020-Q1"), d("2020-03-31"));
        assert_eq!(due_of("O1.quarterly_meeting@2020-Q3"), d("2020-09-30"));
        assert_eq!(due_of("O1.monthly_dispatch@2020-02"), d("2020-02-29"));
        assert_eq!(due_of("O1.half_year_summary@2020-H1"), d("2020-06-30"));
        assert_eq!(due_of("O1.annual_summary@2020"), d("2020-12-31"));
        let inspection = cal()
            .deadlines
            .into_iter()
            .find(|x| x.id == "M5.third_party_inspection")
            .unwrap();
        assert_eq!(inspection.starts, Some(d("2020-04-11")));
        assert_eq!(inspection.clause, ClauseId::M5);
        let all = due_between(&cal(), d("2020-01-01"), d("2020-12-31")).unwrap();
        // 5 deadlines + 12 dispatches + 12 bulletins + 4 meetings + 4 reports + 2 + 1 summaries.
        assert_eq!(all.len(), 5 + 12 + 12 + 4 + 4 + 2 + 1);
        assert!(all.windows(2).all(|w| w[0].due <= w[1].due));
    }

    #[test]
    fn on_the_first_of_august_the_inspection_rectification_is_overdue_unless_done() {
        let on = d("2020-08-01");
        let status = |done: &BTreeMap<String, NaiveDate>| {
            status_on(&cal(), d("2020-04-01"), d("2020-08-31"), on, done)
                .unwrap()
                .into_iter()
                .map(|s| (s.obligation.key, s.status))
                .collect::<BTreeMap<_, _>>()
        };
        let none = status(&BTreeMap::new());
        assert_eq!(none["M5.rectification"], Status::Overdue);
        assert_eq!(none["M5.third_party_inspection"], Status::Overdue);
        assert_eq!(none["T8.self_inspection"], Status::Overdue);
        assert_eq!(none["T8.rectification"], Status::NotYetDue);
        assert_eq!(none["O1.monthly_dispatch@2020-07"], Status::Overdue);
        assert_eq!(none["O1.monthly_dispatch@2020-08"], Status::NotYetDue);

        let done = BTreeMap::from([
            ("M5.rectification".to_owned(), d("2020-07-31")),
            ("M5.third_party_inspection".to_owned(), d("2020-06-02")),
            ("T8.rectification".to_owned(), d("2020-07-15")),
            ("T8.self_inspection".to_owned(), d("2020-08-02")), // after the date asked about
        ]);
        let some = status(&done);
        assert_eq!(some["M5.rectification"], Status::DoneOnTime);
        assert_eq!(some["M5.third_party_inspection"], Status::DoneLate);
        assert_eq!(some["T8.rectification"], Status::DoneOnTime);
        assert_eq!(some["T8.self_inspection"], Status::Overdue);
    }

    #[test]
    fn records_of_completion_must_name_an_obligation() {
        let on = d("2020-08-01");
        let run = |key: &str| {
            let done = BTreeMap::from([(key.to_owned(), on)]);
            status_on(&cal(), on, on, on, &done)
        };
        assert!(matches!(
            run("M5.rectifcation"),
            Err(CalendarError::UnknownObligation { .. })
        ));
        assert!(matches!(
            run("M5.rectification@2020-07"),
            Err(CalendarError::BadPeriod { .. })
        ));
        let e = run("O1.quarter_end_report@2020-06").unwrap_err();
        assert!(
            e.to_string().contains("O1.quarter_end_report@2020-Q2"),
            "{e}"
        );
        assert!(run("O1.quarter_end_report@2020-Q2").is_ok());
        assert!(run("O1.annual_summary@2020").is_ok());
        assert!(matches!(
            due_between(&cal(), d("2020-02-01"), d("2020-01-01")),
            Err(CalendarError::RangeReversed { .. })
        ));
    }

    #[test]
    fn grace_days_move_a_recurring_obligation_into_the_next_period() {
        let mut c = cal();
        c.recurring.retain(|r| r.id == "O1.quarter_end_report");
        c.recurring[0].grace_days = 10;
        c.deadlines.clear();
        let due = due_between(&c, d("2021-01-01"), d("2021-01-31")).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].key, "O1.quarter_end_report@2020-Q4");
        assert_eq!(due[0].due, d("2021-01-10"));
    }

    #[test]
    fn bad_calendars_are_named() {
        let mut c = cal();
        c.recurring[0].id = c.deadlines[0].id.clone();
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("more than once")
        );
        let mut c = cal();
        c.deadlines[0].id = "a@b".to_owned();
        assert_eq!(c.validate().unwrap_err().path, "calendar.deadlines[0].id");
        let mut c = cal();
        c.deadlines[0].starts = Some(d("2021-01-01"));
        assert_eq!(
            c.validate().unwrap_err().path,
            "calendar.deadlines[0].starts"
        );
    }

    #[test]
    fn statuses_round_trip_and_render() {
        let s = status_on(
            &cal(),
            d("2020-07-01"),
            d("2020-07-31"),
            d("2020-08-01"),
            &BTreeMap::new(),
        )
        .unwrap();
        let back: Vec<ObligationStatus> =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        let text = status_table(&s, Lang::Zh).to_text();
        assert!(
            text.contains("⚠ 已逾期") && text.contains("M5 三(五)"),
            "{text}"
        );
        let text = obligations_table(
            &due_between(&cal(), d("2020-05-01"), d("2020-05-31")).unwrap(),
            Lang::En,
        )
        .to_text();
        assert!(text.contains("2020-04-11"), "{text}");
        let done = DoneList::from_toml("[done]\n\"M5.rectification\" = \"2020-07-20\"\n").unwrap();
        assert_eq!(
            DoneList::from_json(&serde_json::to_string(&done).unwrap()).unwrap(),
            done
        );
        assert!(DoneList::from_toml("[done]\nx = \"2020-02-30\"\n").is_err());
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0_u64..2_000).prop_map(|n| d("2019-01-01").checked_add_days(Days::new(n)).unwrap())
    }

    proptest! {
        #[test]
        fn every_obligation_listed_is_due_in_the_range(a in any_date(), b in any_date()) {
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            for o in due_between(&cal(), from, to).unwrap() {
                prop_assert!(from <= o.due && o.due <= to);
            }
        }

        #[test]
        fn a_status_never_goes_back_from_done_or_overdue(due in any_date(), on in any_date(), later in 0_u64..400, done in proptest::option::of(any_date()), window in proptest::option::of(0_u64..100)) {
            let later_on = on.checked_add_days(Days::new(later)).unwrap();
            let starts = window.and_then(|w| due.checked_sub_days(Days::new(w)));
            let (now, then) = (Status::within(starts, due, on, done), Status::within(starts, due, later_on, done));
            match now {
                Status::DoneOnTime | Status::DoneLate | Status::DoneBeforeWindow => prop_assert_eq!(then, now),
                Status::Overdue => prop_assert!(then != Status::NotYetDue && then != Status::DoneOnTime),
                Status::NotYetDue => {}
            }
        }

        #[test]
        fn a_completion_before_the_window_is_never_on_time(due in any_date(), on in any_date(), done in any_date(), window in 0_u64..100) {
            let starts = due.checked_sub_days(Days::new(window)).unwrap();
            let status = Status::within(Some(starts), due, on, Some(done));
            if done < starts && done <= on {
                prop_assert_eq!(status, Status::DoneBeforeWindow);
                prop_assert!(status.is_failure());
            }
            prop_assert!(status != Status::DoneOnTime || (starts <= done && done <= due));
        }
    }
}
