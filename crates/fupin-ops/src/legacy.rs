//! The service's request bodies as raw sub-documents, for the service's handlers until they
//! run the operations of `fupin_ops::catalog` (then this module goes). New code reads requests
//! with `fupin_ops::request_json` into the operations' typed requests.
//!
//! Sub-documents (a policy, plan data, units' scores, a ledger, …) are kept as the exact text
//! the client sent ([`RawValue`]) and read by the same core parsers as the command's files, so
//! a number is read the same way (floats refused, `"7,5"` never 75) and every error names its
//! path under the request member (`input[2].items.annual_targets`).
//!
//! `policy` is, in every request, either absent (the embedded 2020 Chaoyang plan), a string
//! (the name of a policy in the directory the service was started with) or a policy object
//! inline (the JSON of `fupin policy show --format json`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use fupin::Amount;
use fupin::spending::YearMonth;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

pub use crate::input::BaseWeight;
use crate::input::wire::{CardMember, LedgerMember, PolicyMember};
pub use crate::ops::approvals::LangParam;
use crate::problem::{Problem, ProblemKind};

/// A sub-document exactly as sent.
pub type Raw = Box<RawValue>;

/// Read a request body.
///
/// # Errors
/// A [`ProblemKind::MalformedRequest`] problem for text that is not JSON (or stops early); a
/// [`ProblemKind::InvalidInput`] problem naming the member for a wrong type, a missing member or
/// an unknown one.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{')
        && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
    {
        let message = "the request body must be a JSON object (`{…}`)".to_owned();
        return Err(Problem::invalid(
            message.clone(),
            vec![crate::problem::field(
                "invalid_type",
                String::new(),
                None,
                message,
            )],
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "?" { String::new() } else { path };
        let inner = e.into_inner();
        let kind = match inner.classify() {
            serde_json::error::Category::Data => ProblemKind::InvalidInput,
            _ => ProblemKind::MalformedRequest,
        };
        let message = inner.to_string();
        let code = if kind == ProblemKind::MalformedRequest {
            "syntax"
        } else if message.starts_with("unknown field") {
            "unknown_field"
        } else if message.starts_with("missing field") {
            "missing_field"
        } else {
            "invalid_type"
        };
        let path = if path == "." { String::new() } else { path };
        let mut p = Problem::new(kind, format!("request body: {message}"));
        p.errors
            .push(crate::problem::field(code, path, None, message));
        p
    })?;
    // Trailing characters after the document are refused by `from_slice`'s end check.
    Ok(value)
}

/// Where a request's policy comes from.
#[derive(Debug)]
pub enum PolicyRef {
    /// None given: the embedded 2020 Chaoyang plan.
    Embedded,
    /// A policy of the service's policy directory, by name.
    Named(String),
    /// A policy given inline, read and validated.
    Inline(Box<fupin::Policy>),
}

impl PolicyRef {
    /// Read a request's `policy` member.
    ///
    /// # Errors
    /// An invalid inline policy: every problem, its path under `member`.
    pub fn read(raw: Option<&RawValue>, member: &str) -> Result<Self, Problem> {
        let Some(raw) = raw else {
            return Ok(Self::Embedded);
        };
        let text = raw.get();
        if text.starts_with('"') {
            let name: String = serde_json::from_str(text).map_err(|e| {
                Problem::new(ProblemKind::InvalidInput, e.to_string()).within(member)
            })?;
            return Ok(Self::Named(name));
        }
        if text == "null" {
            return Ok(Self::Embedded);
        }
        fupin::Policy::from_json(text)
            .map(|p| Self::Inline(Box::new(p)))
            .map_err(|e| sub(e, member))
    }
}

/// A core error about a sub-document, as a problem with paths under `member`.
pub fn sub(e: impl Into<fupin::Error>, member: &str) -> Problem {
    Problem::from(e.into()).within(member)
}

/// `POST /v1/report`: the funds and integration checks of one year (`fupin report`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: Option<Raw>,
    /// The year's plan data (the JSON of `fupin data show --format json`); default: the embedded
    /// 2020 figures.
    #[serde(default)]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<Raw>,
}

/// `POST /v1/score`: score one unit or many on a card and rank them (`fupin score`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The card: the id of a card of the policy (`"a"`, `"b"`) or a scorecard object.
    #[schemars(with = "CardMember")]
    pub card: Raw,
    /// One unit's scores (an object) or many (an array), as in `examples/score_a.json`.
    #[schemars(with = "crate::input::wire::ScoreInputs")]
    pub input: Raw,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: Option<Raw>,
    /// Stop at the first unit refused, instead of listing it in `errors` and scoring the rest.
    #[serde(default)]
    pub fail_fast: bool,
}

/// `POST /v1/tasks/check`: task completions, card A's annual points and the rule checks
/// (`fupin tasks check`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TasksRequest {
    /// The reported figures, as in `examples/tasks_2020.json`.
    #[schemars(with = "fupin::tasks::TasksInput")]
    pub input: Raw,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: Option<Raw>,
}

/// `POST /v1/spending/bulletin`: the monthly spending-progress bulletin (`fupin spending
/// bulletin`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BulletinRequest {
    /// The ledger: an array of rows `{month, county, [project], [fund_source], allocated, spent}`,
    /// or the text of a ledger CSV file as one string.
    #[schemars(with = "LedgerMember")]
    pub ledger: Raw,
    /// The month to report, `YYYY-MM`.
    pub month: YearMonth,
    /// Required progress by date; default: the policy's, else none.
    #[serde(default)]
    #[schemars(with = "Option<fupin::spending::Schedule>")]
    pub schedule: Option<Raw>,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: Option<Raw>,
    /// Plan data whose county-level units the ledger may name; default: the embedded 2020 data.
    #[serde(default)]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<Raw>,
}

/// `POST /v1/spending/allocation`: next year's allocation tied to a bulletin (`fupin spending
/// allocate`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    /// The ledger, as for the bulletin.
    #[schemars(with = "LedgerMember")]
    pub ledger: Raw,
    /// The month whose bulletin decides rewards and penalties, `YYYY-MM`.
    pub month: YearMonth,
    /// Base weights, one per unit of the ledger.
    pub base: Vec<BaseWeight>,
    /// The total to apportion (`"3亿元"` or yuan).
    pub total: Amount,
    /// Reward and penalty parameters; default: the policy's, else none.
    #[serde(default)]
    #[schemars(with = "Option<fupin::spending::AllocationPolicy>")]
    pub params: Option<Raw>,
    /// Required progress by date; default: the policy's, else none.
    #[serde(default)]
    #[schemars(with = "Option<fupin::spending::Schedule>")]
    pub schedule: Option<Raw>,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: Option<Raw>,
    /// Plan data whose county-level units the ledger may name; default: the embedded 2020 data.
    #[serde(default)]
    #[schemars(with = "Option<fupin::data::PlanData>")]
    pub data: Option<Raw>,
}

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
    pub policy: Option<Raw>,
}

/// `POST /v1/approvals/verify` and `POST /v1/approvals/replay`: an approval-chain log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalsRequest {
    /// The events, in order (each line of a `.jsonl` log is one).
    #[schemars(with = "Vec<fupin::audit::Event>")]
    pub events: Vec<Raw>,
    /// For verify: the head hash recorded elsewhere, to detect events cut from or added to the
    /// end.
    #[serde(default)]
    pub head: Option<String>,
    /// The language of the error message.
    #[serde(default)]
    pub lang: LangParam,
    /// The registry of actors, `{"actors": [...]}` as in a registry file (needed for a signed
    /// log).
    #[serde(default)]
    #[schemars(with = "Option<fupin::approval::Registry>")]
    pub registry: Option<Raw>,
}

impl ApprovalsRequest {
    /// The registry, if the request has one.
    ///
    /// # Errors
    /// A problem naming `registry` for one that does not read.
    pub fn read_registry(&self) -> Result<Option<fupin::approval::Registry>, Problem> {
        self.registry
            .as_ref()
            .map(|raw| {
                fupin::approval::Registry::from_json(raw.get())
                    .map_err(|e| Problem::new(ProblemKind::InvalidInput, format!("registry: {e}")))
            })
            .transpose()
    }

    /// Read the events as the command reads a log's lines: event *n* is line *n + 1*.
    ///
    /// # Errors
    /// The first event that cannot be read, naming its line.
    pub fn read_events(&self) -> Result<Vec<fupin::audit::Event>, Problem> {
        self.events
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                serde_json::from_str(raw.get()).map_err(|e| {
                    let e = fupin::audit::AuditError::Malformed {
                        line: i + 1,
                        message: e.to_string(),
                    };
                    sub(e, &format!("events[{i}]"))
                })
            })
            .collect()
    }
}

/// `POST /v1/policy/compare`: what changed between two policies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// The policy before: absent for the embedded 2020 Chaoyang plan, a name of the
    /// service's `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub old: Option<Raw>,
    /// The policy after, as `old`.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub new: Option<Raw>,
}
