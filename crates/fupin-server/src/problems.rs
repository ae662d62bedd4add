//! The one place that writes problem details (`application/problem+json`).
//!
//! Handlers and extractors return [`ApiError`], which carries a [`Problem`] to the [`layer`]
//! middleware; the middleware also turns every other error response — a 404 of the router, a
//! 405, the body limit's 413, the timeout's 408, a caught panic's 500 — into a problem, and puts
//! the request id in `instance`. No error leaves the service as plain text.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fupin_ops::{Problem, ProblemKind};

/// The content type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error a handler answers with.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        Self(p)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = status.into_response();
        res.extensions_mut().insert(self.0);
        res
    }
}

fn kind_of(status: StatusCode) -> ProblemKind {
    match status {
        StatusCode::NOT_FOUND => ProblemKind::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ProblemKind::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ProblemKind::Timeout,
        StatusCode::PAYLOAD_TOO_LARGE => ProblemKind::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ProblemKind::UnsupportedMediaType,
        s if s.is_client_error() => ProblemKind::MalformedRequest,
        _ => ProblemKind::Internal,
    }
}

fn detail_of(kind: ProblemKind, path: &str, method: &str) -> String {
    match kind {
        ProblemKind::NotFound => format!("no endpoint at {path}: see /openapi.json or /docs"),
        ProblemKind::MethodNotAllowed => {
            format!("{method} is not allowed on {path}: see /openapi.json")
        }
        ProblemKind::Timeout => "the request was not finished within the service's timeout \
             (--timeout); a slow client, or a batch too large for it"
            .to_owned(),
        ProblemKind::PayloadTooLarge => {
            "the request body is larger than the service's limit (--body-limit)".to_owned()
        }
        ProblemKind::Internal => {
            "the service could not finish the request; the request id names it in the logs"
                .to_owned()
        }
        _ => kind.title().to_owned(),
    }
}

/// Middleware: write every error response as problem details, with the request id.
pub async fn layer(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = req.uri().path().to_owned();
    let method = req.method().to_string();
    let mut res = next.run(req).await;
    let status = res.status();
    let problem = match res.extensions_mut().remove::<Problem>() {
        Some(p) => p,
        None if status.is_client_error() || status.is_server_error() => {
            let kind = kind_of(status);
            let mut p = Problem::new(kind, detail_of(kind, &path, &method));
            p.status = status.as_u16();
            p
        }
        None => return res,
    };
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), detail = %problem.detail, "request failed");
    }
    let problem = match id {
        Some(id) => problem.at(format!("urn:fupin:request:{id}")),
        None => problem,
    };
    let body = fupin_ops::to_json(&problem);
    let mut out = (status, body).into_response();
    let headers = out.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    // Keep what the layers outside set (the request id is added after this middleware).
    if let Some(allow) = res.headers().get(header::ALLOW) {
        headers.insert(header::ALLOW, allow.clone());
    }
    out
}
