//! `calendar`: the plan's dated obligations (M5, task 8, O1, M4, M1c) and their status on a
//! date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use fupin::calendar::{Obligation, ObligationStatus, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::{Problem, field};

/// `calendar`: the obligations due between two dates — inspections and rectifications (M5,
/// task 8), monthly dispatch, quarterly meetings and reports, summaries (O1), the monthly
/// bulletin (M4), the year-end check (M1c) — and, with `on`, the status of each on that date.
#[derive(Debug)]
pub struct Calendar;

/// `POST /v1/calendar`: obligations due in a range, and their status on a date (`fupin
/// calendar`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarRequest {
    /// First due date, `YYYY-MM-DD`.
    pub from: NaiveDate,
    /// Last due date, `YYYY-MM-DD`.
    pub to: NaiveDate,
    /// The date to report each obligation's status on.
    #[serde(default)]
    pub on: Option<NaiveDate>,
    /// What was done when, by obligation key: `{"M5.rectification": "2020-07-20",
    /// "O1.quarter_end_report@2020-Q2": "2020-06-30"}`; needs `on`.
    #[serde(default)]
    pub done: Option<BTreeMap<String, NaiveDate>>,
    /// The policy whose calendar is used: absent for the embedded 2020 Chaoyang plan, a name
    /// of the service's `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

/// The obligations due in a range (`fupin calendar` without `--on`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CalendarDue {
    /// First due date listed.
    pub from: NaiveDate,
    /// Last due date listed.
    pub to: NaiveDate,
    /// The obligations, by due date.
    pub obligations: Vec<Obligation>,
}

/// The status of each obligation due in a range on a date (`fupin calendar --on`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CalendarStatus {
    /// First due date listed.
    pub from: NaiveDate,
    /// Last due date listed.
    pub to: NaiveDate,
    /// The date asked about.
    pub on: NaiveDate,
    /// Whether any obligation is overdue on that date.
    pub overdue: bool,
    /// Each obligation and its status.
    pub statuses: Vec<ObligationStatus>,
}

impl CalendarStatus {
    /// The document for `statuses`.
    #[must_use]
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        on: NaiveDate,
        statuses: Vec<ObligationStatus>,
    ) -> Self {
        let overdue = statuses.iter().any(|s| s.status == Status::Overdue);
        Self {
            from,
            to,
            on,
            overdue,
            statuses,
        }
    }
}

/// The calendar's answer: the obligations due, or their status on a date.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum CalendarOutput {
    /// Without `on`.
    Due(CalendarDue),
    /// With `on`.
    Status(CalendarStatus),
}

impl Operation for Calendar {
    const ID: &'static str = "calendar";
    const ROUTE: Route = Route::post("/v1/calendar");
    const SUMMARY: (&'static str, &'static str) = (
        "方案规定的时限事项及其在某日的状态",
        "The plan's dated obligations and their status on a date",
    );
    const COMMAND: &'static str = "calendar";
    type Request = CalendarRequest;
    type Output = CalendarOutput;

    /// `done` needs `on`.
    fn run(env: &Env, request: CalendarRequest) -> Result<CalendarOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let cal = &policy.calendar;
        let Some(on) = request.on else {
            if request.done.is_some() {
                return Err(Problem::invalid(
                    "`done` needs `on`: the date to report each obligation's status on",
                    vec![field(
                        "missing_field",
                        "on",
                        None,
                        "`done` is given without `on`",
                    )],
                )
                .about("on"));
            }
            let obligations = fupin::calendar::due_between(cal, request.from, request.to)
                .map_err(|e| Problem::from(fupin::Error::from(e)).about("from"))?;
            return Ok(CalendarOutput::Due(CalendarDue {
                from: request.from,
                to: request.to,
                obligations,
            }));
        };
        let done = request.done.unwrap_or_default();
        let statuses = fupin::calendar::status_on(cal, request.from, request.to, on, &done)
            .map_err(|e| Problem::from(fupin::Error::from(e)).about("done"))?;
        Ok(CalendarOutput::Status(CalendarStatus::new(
            request.from,
            request.to,
            on,
            statuses,
        )))
    }
}

impl Outcome for CalendarOutput {
    fn verdict(&self) -> Verdict {
        match self {
            Self::Status(s) if s.statuses.iter().any(|s| s.status.is_failure()) => Verdict::Failed,
            _ => Verdict::Passed,
        }
    }

    fn to_text(&self, show: &Show) -> String {
        self.table(show).to_text()
    }

    fn to_markdown(&self, show: &Show) -> String {
        self.table(show).to_markdown()
    }
}

impl CalendarOutput {
    fn table(&self, show: &Show) -> fupin::render::Table {
        match self {
            Self::Due(d) => fupin::calendar::obligations_table(&d.obligations, show.lang),
            Self::Status(s) => fupin::calendar::status_table(&s.statuses, show.lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> Result<CalendarOutput, Problem> {
        crate::request_json::<CalendarRequest>(body.as_bytes())
            .and_then(|r| Calendar::run(&Env::new(), r))
    }

    #[test]
    fn the_rectification_is_overdue_on_the_first_of_august() {
        let out = run(r#"{"from": "2020-01-01", "to": "2020-12-31", "on": "2020-08-01"}"#).unwrap();
        let CalendarOutput::Status(s) = &out else {
            panic!("a status list");
        };
        assert!(s.overdue);
        assert!(s.statuses.iter().any(|x| {
            x.obligation.id.starts_with("M5.rectification") && x.status == Status::Overdue
        }));
        assert_eq!(out.verdict(), Verdict::Failed);
        let done = run(r#"{"from": "2020-01-01", "to": "2020-12-31", "on": "2020-08-01", "done": {"M5.rectification": "2020-07-20"}}"#)
            .unwrap();
        let CalendarOutput::Status(d) = &done else {
            panic!("a status list");
        };
        assert!(d.statuses.iter().any(|x| {
            x.obligation.id.starts_with("M5.rectification") && x.status != Status::Overdue
        }));
    }

    #[test]
    fn done_without_on_and_an_unknown_key_are_problems() {
        let p = run(r#"{"from": "2020-01-01", "to": "2020-12-31", "done": {}}"#).unwrap_err();
        assert_eq!(p.errors[0].path, "on");
        let p = run(r#"{"from": "2020-01-01", "to": "2020-12-31", "on": "2020-08-01", "done": {"M5.rectifcation": "2020-07-20"}}"#)
            .unwrap_err();
        assert_eq!(p.member(), Some("done"));
        assert!(p.detail.contains("M5.rectifcation"), "{}", p.detail);
        let p = run(r#"{"from": "2020-01-01", "to": "2020-12-31", "on": "2020-08-01", "done": {"a": "2020-07-20", "a": "2020-07-21"}}"#)
            .unwrap_err();
        assert_eq!(p.errors[0].code, fupin::ErrorCode::DUPLICATE_KEY);
    }
}
