//! Request members that are more than one core type: a document given as JSON or as the text
//! of a file, a card by id or whole, and a workbook the operation reads once it knows the
//! policy (a ledger needs its year and units, a score sheet its card).
//!
//! On the wire (a JSON body, a Python object) a member takes the JSON forms only; the
//! `Workbook` forms are built by a face that holds a workbook's bytes (the command line, a
//! form's upload).

use fupin::Amount;
use fupin::assessment::{ScoreInput, Scorecard};
use fupin::tasks::TasksInput;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::member;

/// A spending ledger: the text of a CSV file, JSON rows, or a workbook.
///
/// On the wire: an array of rows `{month, county, [project], [fund_source], allocated, spent}`
/// (read as the core reads a JSON ledger file) or one string, the text of a CSV ledger file.
#[derive(Debug, Clone)]
pub enum LedgerArg {
    /// The text of a CSV ledger (columns month, county, optional project and fund_source, allocated,
    /// spent; `#` comment lines allowed), read row by row.
    Csv(String),
    /// A JSON array of rows, as text, read row by row.
    Json(String),
    /// A workbook's bytes (`.xlsx`, `.xls`, `.ods`), read by `fupin-xlsx`.
    Workbook(Vec<u8>),
}

impl<'de> Deserialize<'de> for LedgerArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match member::capture(d)? {
            Value::String(csv) => Ok(Self::Csv(csv)),
            rows @ Value::Array(_) => Ok(Self::Json(rows.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "invalid type: {}, expected an array of rows or the text of a CSV ledger",
                member::kind(&other)
            ))),
        }
    }
}

/// `/v1/score`'s `card`: a card of the policy by id (`"a"`, `"b"`), or a scorecard whole.
#[derive(Debug, Clone)]
pub enum CardArg {
    /// The id of a card of the policy.
    Id(String),
    /// A scorecard (read by the core's reader).
    Inline(Box<Scorecard>),
}

impl<'de> Deserialize<'de> for CardArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match member::capture(d)? {
            Value::String(id) => Ok(Self::Id(id)),
            card @ Value::Object(_) => {
                member::read(&card, <Scorecard as member::FromJson>::from_json)
                    .map(|c| Self::Inline(Box::new(c)))
            }
            other => Err(serde::de::Error::custom(format!(
                "invalid type: {}, expected a card id or a scorecard object",
                member::kind(&other)
            ))),
        }
    }
}

/// Units' scores: units (on the wire one object or an array), or a workbook with a row per
/// unit, read against the card.
#[derive(Debug, Clone)]
pub enum ScoreInputsArg {
    /// The units, in input order.
    Units(Vec<ScoreInput>),
    /// A workbook's bytes: a row per unit, a column per item (see `fupin_xlsx::read_scores`).
    Workbook(Vec<u8>),
}

impl<'de> Deserialize<'de> for ScoreInputsArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        member::doc::<D, Vec<ScoreInput>>(d).map(Self::Units)
    }
}

impl From<Vec<ScoreInput>> for ScoreInputsArg {
    fn from(units: Vec<ScoreInput>) -> Self {
        Self::Units(units)
    }
}

/// Task-table figures, or a workbook of the task actuals (a row per task), read against the
/// policy's tasks.
#[derive(Debug, Clone)]
pub enum TasksArg {
    /// The figures.
    Input(Box<TasksInput>),
    /// A workbook of the task actuals.
    Workbook {
        /// The workbook's name (the input's name in the report).
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
}

impl<'de> Deserialize<'de> for TasksArg {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        member::doc::<D, TasksInput>(d).map(|t| Self::Input(Box::new(t)))
    }
}

impl From<TasksInput> for TasksArg {
    fn from(t: TasksInput) -> Self {
        Self::Input(Box::new(t))
    }
}

/// One unit's base weight (the allocation's, the year-end link's).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[schemars(description = "One unit's base weight for [`AllocationRequest`].")]
#[serde(deny_unknown_fields)]
pub struct BaseWeight {
    /// The county-level unit.
    pub county: String,
    /// Its base weight, an amount (`"2500万元"` or yuan).
    pub base: Amount,
}
