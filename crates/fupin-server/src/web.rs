//! The page officers use, and what it needs from the service: uploads of the files they have
//! (a workbook, a CSV in UTF-8 or GBK, JSON or TOML) as `multipart/form-data`, results as the
//! page's view (`?view=zh|en`) or as a workbook to download (`Accept:` the xlsx media type, or
//! `?format=xlsx`, in `?lang=zh|en`).
//!
//! The page is three static files compiled into the binary (`web/index.html`, `app.js`,
//! `app.css`): no build chain, nothing fetched from elsewhere, so it works offline.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fupin::Lang;
use fupin_io::Format;
use fupin_ops::{Problem, ProblemField, ProblemKind, problem::join_path, to_json};
use serde::Deserialize;

use crate::body::JsonBody;
use crate::problems::ApiError;
use crate::state::AppState;
use crate::view::View;

const INDEX: &str = include_str!("../web/index.html");
const APP_JS: &str = include_str!("../web/app.js");
const APP_CSS: &str = include_str!("../web/app.css");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: the page.
pub async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX)
}

/// `GET /app.js`.
pub async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

/// `GET /app.css`.
pub async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

/// The example inputs the page offers to try (illustrative figures, not the plan's).
const EXAMPLES: &[(&str, &str, &[u8])] = &[
    (
        "ledger_2020.xlsx",
        fupin_xlsx::XLSX_MEDIA_TYPE,
        include_bytes!("../../../examples/ledger_2020.xlsx"),
    ),
    (
        "ledger_2020.csv",
        "text/csv; charset=utf-8",
        include_bytes!("../../../examples/ledger_2020.csv"),
    ),
    (
        "schedule_example.toml",
        "text/plain; charset=utf-8",
        include_bytes!("../../../examples/schedule_example.toml"),
    ),
    (
        "score_a.xlsx",
        fupin_xlsx::XLSX_MEDIA_TYPE,
        include_bytes!("../../../examples/score_a.xlsx"),
    ),
    (
        "counties_2020.xlsx",
        fupin_xlsx::XLSX_MEDIA_TYPE,
        include_bytes!("../../../examples/counties_2020.xlsx"),
    ),
];

/// `GET /examples/{name}`: an example input.
pub async fn example(Path(name): Path<String>) -> Result<Response, ApiError> {
    let (_, ty, bytes) = EXAMPLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| {
            ApiError(crate::state::not_found(format!(
                "no example named `{name}`"
            )))
        })?;
    Ok((
        [(header::CONTENT_TYPE, HeaderValue::from_static(ty))],
        Bytes::from_static(bytes),
    )
        .into_response())
}

/// What the client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The JSON document (the command's `--format json`).
    Json,
    /// A workbook, in a language.
    Xlsx(Lang),
    /// The page's view, in a language.
    View(Lang),
}

/// The query parameters of a result: `view=zh|en`, `format=json|xlsx`, `lang=zh|en`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputQuery {
    view: Option<String>,
    format: Option<String>,
    lang: Option<String>,
}

fn lang_of(value: &str, name: &str) -> Result<Lang, Problem> {
    match value {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => {
            let message = format!("`{other}` is not a language: zh or en");
            Err(Problem::invalid(
                message.clone(),
                vec![ProblemField {
                    path: name.to_owned(),
                    code: fupin::ErrorCode::INVALID,
                    message,
                    value: Some(other.to_owned()),
                }],
            ))
        }
    }
}

impl Want {
    /// From the query and the `Accept` header: `?view=` for the page, a workbook when `Accept`
    /// names the xlsx media type or `?format=xlsx`, otherwise JSON.
    ///
    /// # Errors
    /// An unknown language or format.
    pub fn of(headers: &HeaderMap, q: &OutputQuery) -> Result<Self, Problem> {
        let lang = q.lang.as_deref().map(|l| lang_of(l, "lang")).transpose()?;
        if let Some(v) = &q.view {
            return Ok(Self::View(lang_of(v, "view")?));
        }
        let accept_xlsx = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(fupin_xlsx::XLSX_MEDIA_TYPE));
        match q.format.as_deref() {
            Some("xlsx") => Ok(Self::Xlsx(lang.unwrap_or_default())),
            Some("json") | None if !accept_xlsx => Ok(Self::Json),
            None => Ok(Self::Xlsx(lang.unwrap_or_default())),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(Problem::invalid(
                format!("`{other}` is not an output format: json or xlsx"),
                vec![ProblemField {
                    path: "format".to_owned(),
                    code: fupin::ErrorCode::INVALID,
                    message: "json or xlsx".to_owned(),
                    value: Some(other.to_owned()),
                }],
            )),
        }
    }
}

/// A result computed for a request, before it is answered as JSON, a view or a workbook.
pub enum Answer {
    /// A JSON document (the endpoint's usual answer).
    Json(String),
    /// A workbook and its file name.
    Xlsx(Vec<u8>, String),
}

/// Answer with the document, the page's view of it, or a workbook.
///
/// # Errors
/// A workbook that cannot be written (a bug).
pub fn answer(
    want: Want,
    document: String,
    view: impl FnOnce(Lang) -> View,
    workbook: impl FnOnce(Lang) -> Result<(Vec<u8>, String), fupin_xlsx::Error>,
) -> Result<Answer, Problem> {
    Ok(match want {
        Want::Json => Answer::Json(document),
        Want::View(lang) => {
            #[derive(serde::Serialize)]
            struct Page<'a> {
                document: &'a serde_json::value::RawValue,
                view: View,
            }
            let raw = serde_json::value::RawValue::from_string(document)
                .map_err(|e| Problem::internal(&format!("the document is not JSON: {e}")))?;
            Answer::Json(to_json(&Page {
                document: &raw,
                view: view(lang),
            }))
        }
        Want::Xlsx(lang) => {
            let (bytes, name) = workbook(lang)
                .map_err(|e| Problem::internal(&format!("the workbook cannot be written: {e}")))?;
            Answer::Xlsx(bytes, name)
        }
    })
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self {
            Self::Json(text) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                text,
            )
                .into_response(),
            Self::Xlsx(bytes, name) => {
                let ascii: String = name
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let disposition = format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    percent_encode(&name)
                );
                let mut res = (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(fupin_xlsx::XLSX_MEDIA_TYPE),
                    )],
                    bytes,
                )
                    .into_response();
                if let Ok(v) = HeaderValue::from_str(&disposition) {
                    res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
                }
                res
            }
        }
    }
}

/// RFC 5987 percent-encoding of a file name.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One part of an upload.
#[derive(Debug)]
pub struct Part {
    /// The form field's name.
    pub name: String,
    /// The file's name, for a file.
    pub file_name: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

/// A request body: JSON, or a form with files.
#[derive(Debug)]
pub enum Payload {
    /// `application/json`.
    Json(Bytes),
    /// `multipart/form-data`.
    Form(Vec<Part>),
}

impl<S: Send + Sync> FromRequest<S> for Payload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart {
            return JsonBody::from_request(req, state)
                .await
                .map(|JsonBody(b)| Self::Json(b));
        }
        let bad = |e: axum::extract::multipart::MultipartError| {
            let kind = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ProblemKind::PayloadTooLarge
            } else {
                ProblemKind::MalformedRequest
            };
            ApiError(Problem::new(
                kind,
                format!("the form cannot be read: {}", e.body_text()),
            ))
        };
        let mut form = Multipart::from_request(req, state).await.map_err(|r| {
            ApiError(Problem::new(
                ProblemKind::MalformedRequest,
                format!("the form cannot be read: {}", r.body_text()),
            ))
        })?;
        let mut parts = Vec::new();
        while let Some(field) = form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(bad)?;
            parts.push(Part {
                name,
                file_name,
                bytes,
            });
        }
        Ok(Self::Form(parts))
    }
}

/// A file of an upload as read: text in a format, or a workbook.
pub enum Upload {
    /// Decoded text (UTF-8, UTF-16, or GBK for CSV) in its format.
    Text(String, Format),
    /// A workbook's bytes.
    Workbook(Bytes),
}

fn missing(name: &str, what: &str) -> Problem {
    let message = format!("the form has no `{name}`: {what}");
    Problem::invalid(
        message.clone(),
        vec![ProblemField {
            path: name.to_owned(),
            code: fupin::ErrorCode::MISSING_FIELD,
            message,
            value: None,
        }],
    )
}

/// The part named `name`, if the form has it (an empty file counts as none).
pub fn part<'a>(parts: &'a [Part], name: &str) -> Option<&'a Part> {
    parts.iter().find(|p| p.name == name && !p.bytes.is_empty())
}

/// A required text field of a form.
///
/// # Errors
/// The field is missing or not UTF-8.
pub fn text_field(parts: &[Part], name: &str, what: &str) -> Result<String, Problem> {
    let p = part(parts, name).ok_or_else(|| missing(name, what))?;
    std::str::from_utf8(&p.bytes)
        .map(|s| s.trim().to_owned())
        .map_err(|_| Problem::invalid(format!("`{name}` is not UTF-8 text"), vec![]))
}

/// A file of a form, required or not, read as a workbook (when `allowed` has one and the bytes
/// start like one) or as text in one of `allowed` formats, told by its content.
///
/// # Errors
/// A required file is missing; the text cannot be decoded.
pub fn file(
    parts: &[Part],
    name: &str,
    allowed: &[Format],
    what: &str,
) -> Result<Option<Upload>, Problem> {
    let Some(p) = part(parts, name) else {
        return Ok(None);
    };
    let extension = p
        .file_name
        .as_deref()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    let format = fupin_io::detect_bytes(&p.bytes, allowed, extension.as_deref());
    if format == Format::Workbook {
        return Ok(Some(Upload::Workbook(p.bytes.clone())));
    }
    if fupin_io::is_workbook(&p.bytes) {
        let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
        return Err(Problem::invalid(
            format!(
                "{name}: the file is a workbook; {what} is read as {}",
                names.join(" or ")
            ),
            vec![],
        ));
    }
    let label = p.file_name.clone().unwrap_or_else(|| name.to_owned());
    let text = fupin_io::decode(
        &label,
        p.bytes.to_vec(),
        fupin_io::DecodeOptions {
            gbk: format == Format::Csv,
        },
    )
    .map_err(|e| {
        let fe = e.to_field_error();
        Problem::invalid(
            format!("{name}: {e}"),
            vec![ProblemField {
                path: name.to_owned(),
                code: fe.code,
                message: fe.message,
                value: fe.value,
            }],
        )
    })?;
    Ok(Some(Upload::Text(text.text, format)))
}

/// A required file of a form (see [`file`]).
///
/// # Errors
/// As [`file`], and the file is missing.
pub fn required_file(
    parts: &[Part],
    name: &str,
    allowed: &[Format],
    what: &str,
) -> Result<Upload, Problem> {
    file(parts, name, allowed, what)?.ok_or_else(|| missing(name, what))
}

/// A workbook that cannot be read, as a problem naming every bad cell under `member`
/// (`ledger.台账!C6`).
#[must_use]
pub fn workbook_problem(e: &fupin_xlsx::Error, member: &str) -> Problem {
    let errors = e
        .field_errors()
        .into_iter()
        .map(|fe| ProblemField {
            path: join_path(member, &fe.path),
            code: fe.code,
            message: fe.message,
            value: fe.value,
        })
        .collect();
    Problem::invalid(e.to_string(), errors)
}

/// Run `f` on the blocking pool when the body is large, inline otherwise.
pub async fn compute<F>(state: Arc<AppState>, payload: Payload, f: F) -> Result<Response, ApiError>
where
    F: FnOnce(&AppState, &Payload) -> Result<Answer, Problem> + Send + 'static,
{
    let large = match &payload {
        Payload::Json(b) => b.len(),
        Payload::Form(parts) => parts.iter().map(|p| p.bytes.len()).sum(),
    } > 256 * 1024;
    let answer = if large {
        tokio::task::spawn_blocking(move || f(&state, &payload))
            .await
            .map_err(|e| ApiError(Problem::internal(&format!("the computation failed: {e}"))))?
    } else {
        f(&state, &payload)
    }?;
    Ok(answer.into_response())
}
