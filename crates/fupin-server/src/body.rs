//! Request bodies: the content type is checked and the body read within the limit, every
//! failure a problem.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use fupin_ops::{Problem, ProblemKind};

use crate::problems::ApiError;

fn media_type(req: &Request) -> Option<String> {
    let v = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next()?.trim().to_ascii_lowercase())
}

async fn read(req: Request, what: &str) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, &()).await.map_err(|r| {
        let kind = if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ProblemKind::PayloadTooLarge
        } else {
            ProblemKind::MalformedRequest
        };
        ApiError(Problem::new(
            kind,
            format!("cannot read the {what} body: {}", r.body_text()),
        ))
    })
}

fn unsupported(got: Option<&str>, expected: &str) -> ApiError {
    let got = got.map_or_else(
        || "no Content-Type".to_owned(),
        |g| format!("Content-Type {g}"),
    );
    ApiError(Problem::new(
        ProblemKind::UnsupportedMediaType,
        format!("{got}: this endpoint reads {expected}"),
    ))
}

/// The media type of Arrow IPC streams.
pub const ARROW_STREAM: &str = "application/vnd.apache.arrow.stream";

/// An Arrow IPC stream body (`application/vnd.apache.arrow.stream`).
#[derive(Debug)]
pub struct ArrowBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ArrowBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let ty = media_type(&req);
        if ty.as_deref() != Some(ARROW_STREAM) {
            return Err(unsupported(ty.as_deref(), ARROW_STREAM));
        }
        read(req, "Arrow").await.map(Self)
    }
}

/// A JSON body (`application/json` or any `application/*+json`).
#[derive(Debug)]
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let ty = media_type(&req);
        let ok = ty.as_deref().is_some_and(|t| {
            t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
        });
        if !ok {
            return Err(unsupported(ty.as_deref(), "application/json"));
        }
        read(req, "JSON").await.map(Self)
    }
}
