//! The JSON Schemas of the contract, derived from the serde types (schemars), never written by
//! hand.
//!
//! [`documents`] gives every document: the inputs (what the command reads from files and the
//! service from request members — described as serde *reads* them) and the outputs (what both
//! write — described as serde *writes* them, with the `format` key). `schemas/` in the repository
//! holds them as files; a test fails when the types and the files drift apart and rewrites them
//! with `FUPIN_WRITE_SCHEMAS=1`.

use fupin::Policy;
use fupin::assessment::{Scorecard, UnitAssessments, UnitsInput};
use fupin::audit::Event;
use fupin::calendar::DoneList;
use fupin::compare::Comparison;
use fupin::data::PlanData;
use fupin::projects::{InspectionWeights, ProjectLibrary};
use fupin::report::Report;
use fupin::spending::allocation::AllocationPlan;
use fupin::spending::ledger::TextRow;
use fupin::spending::{AllocationPolicy, Bulletin, Schedule};
use fupin::tasks::{TasksInput, TasksReport};
use fupin::years::{YearEndLink, YearEndWeights};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};

use crate::contract::FORMAT;
use crate::ops::approvals::{
    ApprovalsRequest, HeadOutput, QueryOutput, QueryRequest, ReplayOutput, TargetsOutput,
    VerifyOutput,
};
use crate::ops::assessment::{AssessRequest, ScoreOutput, ScoreRequest};
use crate::ops::calendar::{CalendarDue, CalendarRequest, CalendarStatus};
use crate::ops::cases::{TestOutput, TestRequest};
use crate::ops::policy::{DataValidation, PolicyComparison, PolicyDiffRequest, PolicyValidation};
use crate::ops::projects::{InspectionOutput, InspectionRequest};
use crate::ops::report::ReportRequest;
use crate::ops::spending::{AllocationRequest, BulletinRequest};
use crate::ops::tasks::TasksRequest;
use crate::ops::years::{ScenarioRequest, YearEndRequest};
use crate::problem::Problem;

pub use crate::input::wire::{CardMember, LedgerMember, PolicyMember, ScoreInputs};

/// Whether a document is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Read by the command (a file) or the service (a request or a member of one).
    Input,
    /// Written by the command (`--format json`) and the service.
    Output,
}

/// One document of the contract and its schema.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem in `schemas/` (`report` → `schemas/report.schema.json`).
    pub name: &'static str,
    /// Read or written.
    pub direction: Direction,
    /// The JSON Schema (draft 2020-12), with `$id`, `title` and its definitions in `$defs`.
    pub schema: Value,
    /// The document's schema in another generator (the OpenAPI document's components): its
    /// definitions go to that generator, written documents get their `format` key.
    pub body: fn(&mut SchemaGenerator) -> Value,
}

/// The `$id` of a document's schema.
#[must_use]
pub fn schema_id(name: &str) -> String {
    format!("urn:fupin:schema:{FORMAT}:{name}")
}

/// A generator for one direction (inputs are described as serde reads them, outputs as it
/// writes them), with definitions under `definitions_path` (`/$defs`, `/components/schemas`).
#[must_use]
pub fn generator_at(direction: Direction, definitions_path: &str) -> SchemaGenerator {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = definitions_path.to_owned().into();
    match direction {
        Direction::Input => settings.for_deserialize(),
        Direction::Output => settings.for_serialize(),
    }
    .into_generator()
}

fn generator(direction: Direction) -> SchemaGenerator {
    let settings = SchemaSettings::draft2020_12();
    match direction {
        Direction::Input => settings.for_deserialize(),
        Direction::Output => settings.for_serialize(),
    }
    .into_generator()
}

fn document<T: JsonSchema + ?Sized>(name: &'static str, direction: Direction) -> Document {
    let schema: Schema = generator(direction).into_root_schema_for::<T>();
    let mut schema = schema.to_value();
    if let Some(root) = schema.as_object_mut() {
        root.insert("$id".into(), Value::String(schema_id(name)));
        if direction == Direction::Output {
            add_format(root);
        }
    }
    let body = match direction {
        Direction::Input => body_of::<T>,
        Direction::Output => versioned_body_of::<T>,
    };
    Document {
        name,
        direction,
        schema,
        body,
    }
}

fn body_of<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    T::json_schema(generator).to_value()
}

fn versioned_body_of<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    let mut v = body_of::<T>(generator);
    if let Some(root) = v.as_object_mut() {
        add_format(root);
    }
    v
}

/// Every written document starts with `"format": "fupin/1"`.
fn add_format(root: &mut serde_json::Map<String, Value>) {
    let format = json!({
        "description": "The version of the JSON contract: within `fupin/1` fields are only \
                        added, never renamed, removed or retyped.",
        "type": "string",
        "const": FORMAT,
    });
    let mut properties = serde_json::Map::new();
    properties.insert("format".into(), format);
    if let Some(Value::Object(old)) = root.remove("properties") {
        properties.extend(old);
    }
    root.insert("properties".into(), Value::Object(properties));
    let mut required = vec![Value::String("format".into())];
    if let Some(Value::Array(old)) = root.remove("required") {
        required.extend(old);
    }
    root.insert("required".into(), Value::Array(required));
}

/// Every document of the contract, inputs first, in a stable order.
#[must_use]
pub fn documents() -> Vec<Document> {
    use Direction::{Input, Output};
    vec![
        // Inputs: the files the command reads.
        document::<Policy>("policy", Input),
        document::<PlanData>("plan-data", Input),
        document::<Scorecard>("scorecard", Input),
        document::<ScoreInputs>("score-input", Input),
        document::<TasksInput>("tasks-input", Input),
        document::<Vec<TextRow>>("ledger", Input),
        document::<Schedule>("schedule", Input),
        document::<AllocationPolicy>("allocation-params", Input),
        document::<DoneList>("calendar-done", Input),
        document::<Event>("approval-event", Input),
        document::<UnitsInput>("units-input", Input),
        document::<YearEndLink>("year-end-link", Input),
        document::<ProjectLibrary>("project-library", Input),
        document::<InspectionWeights>("inspection-weights", Input),
        // Inputs: the service's requests.
        document::<ReportRequest>("report-request", Input),
        document::<ScoreRequest>("score-request", Input),
        document::<TasksRequest>("tasks-request", Input),
        document::<BulletinRequest>("bulletin-request", Input),
        document::<AllocationRequest>("allocation-request", Input),
        document::<CalendarRequest>("calendar-request", Input),
        document::<ApprovalsRequest>("approvals-request", Input),
        document::<PolicyDiffRequest>("policy-compare-request", Input),
        document::<AssessRequest>("assess-request", Input),
        document::<YearEndRequest>("year-end-request", Input),
        document::<ScenarioRequest>("compare-request", Input),
        document::<TestRequest>("test-request", Input),
        document::<QueryRequest>("approvals-query-request", Input),
        document::<InspectionRequest>("inspection-request", Input),
        // Outputs.
        document::<Report>("report", Output),
        document::<ScoreOutput>("score", Output),
        document::<TasksReport>("tasks-report", Output),
        document::<Bulletin>("bulletin", Output),
        document::<AllocationPlan>("allocation", Output),
        document::<CalendarDue>("calendar-due", Output),
        document::<CalendarStatus>("calendar-status", Output),
        document::<VerifyOutput>("approvals-verify", Output),
        document::<ReplayOutput>("approvals-replay", Output),
        document::<PolicyValidation>("policy-validation", Output),
        document::<PolicyComparison>("policy-comparison", Output),
        document::<UnitAssessments>("assessment", Output),
        document::<YearEndWeights>("year-end", Output),
        document::<Comparison>("comparison", Output),
        document::<TestOutput>("test", Output),
        document::<HeadOutput>("approvals-head", Output),
        document::<QueryOutput>("approvals-query", Output),
        document::<TargetsOutput>("approvals-targets", Output),
        document::<InspectionOutput>("inspection", Output),
        document::<DataValidation>("data-validation", Output),
        document::<Problem>("problem", Output),
    ]
}

/// The schema of one document by name.
#[must_use]
pub fn document_named(name: &str) -> Option<Document> {
    documents().into_iter().find(|d| d.name == name)
}

/// The text of a schema file: pretty JSON and a final newline.
#[must_use]
pub fn file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
