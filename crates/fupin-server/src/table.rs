//! `POST /v1/score/table`: a table of units in, their scores out, both Arrow IPC streams
//! (`application/vnd.apache.arrow.stream`) — the column-at-a-time path of `fupin_arrow::score`,
//! for batches too large for JSON.
//!
//! Columns in: `unit` (optional), one per item of the card (points: decimal128, string or
//! integer), one per bonus rule (`bonus.<id>`; a completion ratio, points, or `bonus.<id>.<kind>`
//! counts), `vetoed` (optional bool). Columns out: `unit`, `base`, each `bonus.<id>`,
//! `bonus_raw`, `bonus`, `total` (decimal128(38, 4) points, or decimal64 with
//! `?points=decimal64`), `vetoed`, `rank`. A bad cell is a problem naming its row, column and
//! value.

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use fupin_arrow::{Columns, ScoreOptions};
use fupin_ops::{Problem, ProblemField, ProblemKind};
use serde::Deserialize;

use crate::body::{ARROW_STREAM, ArrowBody};
use crate::problems::ApiError;
use crate::state::AppState;

/// The query of `/v1/score/table`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableQuery {
    /// The card's id in the policy (default `a`).
    #[serde(default)]
    card: Option<String>,
    /// A policy of the service's --policy-dir (default: the embedded 2020 plan).
    #[serde(default)]
    policy: Option<String>,
    /// Each capped bonus line and `bonus_raw` (default true).
    #[serde(default)]
    lines: Option<bool>,
    /// The `rank` column (default true).
    #[serde(default)]
    rank: Option<bool>,
    /// `decimal128` (default) or `decimal64` points.
    #[serde(default)]
    points: Option<String>,
}

fn invalid(message: String, field: ProblemField) -> Problem {
    Problem::invalid(message, vec![field])
}

fn arrow_problem(e: &fupin_arrow::Error) -> Problem {
    let path = match (e.row(), e.column()) {
        (Some(row), Some(column)) => format!("[{row}].{column}"),
        (Some(row), None) => format!("[{row}]"),
        (None, Some(column)) => column.to_owned(),
        (None, None) => String::new(),
    };
    invalid(
        e.to_string(),
        // fupin-arrow quotes a text cell (`"7.5分"`); the problem gives the text itself.
        fupin_ops::problem::field(
            "invalid",
            path,
            e.value()
                .map(|v| serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_owned())),
            e.to_string(),
        ),
    )
}

fn unreadable(e: &impl std::fmt::Display) -> Problem {
    Problem::new(
        ProblemKind::MalformedRequest,
        format!("the body is not an Arrow IPC stream: {e}"),
    )
}

fn score(state: &AppState, q: &TableQuery, body: &[u8]) -> Result<Vec<u8>, Problem> {
    let policy = match &q.policy {
        None => state.embedded(),
        Some(name) => state.named().get(name).ok_or_else(|| {
            let message = format!("no policy named `{name}`");
            invalid(
                message.clone(),
                fupin_ops::problem::field("unknown_name", "policy", Some(name.clone()), message),
            )
        })?,
    };
    let id = q.card.as_deref().unwrap_or("a");
    let card = policy.assessment.card(id).ok_or_else(|| {
        let message = format!("`{id}` is not a card of the policy");
        invalid(
            message.clone(),
            fupin_ops::problem::field("unknown_name", "card", Some(id.to_owned()), message),
        )
    })?;
    let points = match q.points.as_deref() {
        None => fupin_arrow::PointsType::default(),
        Some(p) => p.parse().map_err(|message: String| {
            invalid(
                message.clone(),
                fupin_ops::problem::field("invalid", "points", Some(p.to_owned()), message),
            )
        })?,
    };
    let options = ScoreOptions {
        lines: q.lines.unwrap_or(true),
        rank: q.rank.unwrap_or(true),
        points,
    };
    let reader = StreamReader::try_new(Cursor::new(body), None).map_err(|e| unreadable(&e))?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<RecordBatch>, _>>()
        .map_err(|e| unreadable(&e))?;
    let table = Columns::new(schema, batches);
    let out = fupin_arrow::score(&table, card, options).map_err(|e| arrow_problem(&e))?;
    let mut buf = Vec::with_capacity(out.get_array_memory_size() + 1024);
    let written = (|| {
        let mut w = StreamWriter::try_new(&mut buf, &out.schema())?;
        w.write(&out)?;
        w.finish()
    })();
    written.map_err(|e| Problem::internal(&format!("cannot write the Arrow stream: {e}")))?;
    Ok(buf)
}

/// `POST /v1/score/table`.
pub async fn handler(
    State(state): State<std::sync::Arc<AppState>>,
    Query(q): Query<TableQuery>,
    ArrowBody(body): ArrowBody,
) -> Result<Response, ApiError> {
    let bytes = tokio::task::spawn_blocking(move || score(&state, &q, &body))
        .await
        .map_err(|e| ApiError(Problem::internal(&format!("the computation failed: {e}"))))??;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(ARROW_STREAM))],
        bytes,
    )
        .into_response())
}
