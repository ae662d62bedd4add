//! The wire forms of request members that are read by more than serde's derive: what their
//! JSON Schemas describe (the operations read them with the core's readers).

use fupin::assessment::ScoreInput;
use schemars::JsonSchema;

/// One unit's scores or many: what `fupin score --input` and `/v1/score`'s `input` read.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a schema only: ScoreInput::many_from_json reads it
pub enum ScoreInputs {
    /// One unit.
    One(ScoreInput),
    /// Many units.
    Many(Vec<ScoreInput>),
}

/// A request's `policy`: a policy's name, or a policy inline.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a schema only: `PolicyArg` reads it
pub enum PolicyMember {
    /// The name of a policy in the service's `--policy-dir` (`NAME.toml` or `NAME.json`).
    Name(String),
    /// A policy inline (the JSON of `fupin policy show --format json`).
    Inline(Box<fupin::Policy>),
}

/// `/v1/score`'s `card`: a card id of the policy, or a scorecard inline.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a schema only: `CardArg` reads it
pub enum CardMember {
    /// The id of a card of the policy (`a`, `b`).
    Id(String),
    /// A scorecard inline.
    Inline(Box<fupin::assessment::Scorecard>),
}

/// A request's `ledger`: rows, or the text of a ledger CSV file.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // a schema only: `LedgerArg` reads it
pub enum LedgerMember {
    /// Rows `{month, county, [project], [fund_source], allocated, spent}`.
    Rows(Vec<fupin::spending::ledger::TextRow>),
    /// The text of a ledger CSV file (columns month, county, optional project and fund source,
    /// allocated, spent; `#` comment lines allowed).
    #[schemars(
        description = "The text of a ledger CSV file (columns month, county, [project], [fund_source],\nallocated, spent; `#` comment lines allowed)."
    )]
    Csv(String),
}
