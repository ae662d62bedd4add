//! Requests: a JSON body, or any other medium's deserializer (Python objects), to an
//! operation's typed request.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::input::member;
use crate::problem::{Problem, ProblemKind, field};

/// Read a JSON request body by the one reader's rules: a UTF-8 byte-order mark accepted, a key
/// given twice in one object refused (`duplicate_key`, naming the object and the key),
/// anything after the first value refused, nesting deeper than 128 refused, unknown members
/// refused; each member that is a core document read by the core's reader, its problems
/// under the member's path (`data.counties[2].this_year`).
///
/// # Errors
/// [`ProblemKind::MalformedRequest`] (400) for a body that is not UTF-8 or not JSON (or is
/// followed by more); [`ProblemKind::InvalidInput`] (422) naming the member for a wrong type, a
/// missing or unknown member, a repeated key, or an invalid document inside a member.
pub fn request_json<R: DeserializeOwned>(body: &[u8]) -> Result<R, Problem> {
    let text = std::str::from_utf8(body).map_err(|e| {
        Problem::new(
            ProblemKind::MalformedRequest,
            format!("the request body is not UTF-8 text: {e}"),
        )
    })?;
    let text = fupin::load::strip_bom(text);
    let first = text.trim_start().chars().next();
    if first.is_some_and(|c| c != '{')
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        let message = "the request body must be a JSON object (`{…}`)".to_owned();
        return Err(Problem::invalid(
            message.clone(),
            vec![field("invalid_type", String::new(), None, message)],
        ));
    }
    fupin::load::from_json::<R>(text).map_err(|e| body_problem(e.first().clone(), "request body"))
}

/// Read a request from any deserializer (a Python object through pythonize's, a TOML table's):
/// the members as [`request_json`] reads them.
///
/// # Errors
/// [`ProblemKind::InvalidInput`] naming the member, with the carried problems of a core
/// document inside it.
pub fn request_from<'de, R: Deserialize<'de>, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<R, Problem>
where
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." || path == "?" {
            "(top level)".to_owned()
        } else {
            path
        };
        body_problem(
            fupin::load::from_message(path, &e.into_inner().to_string()),
            "request",
        )
    })
}

/// The problem of a request's field error: a carried problem under its member, a syntax error
/// as a malformed request, anything else as invalid input.
fn body_problem(e: fupin::FieldError, what: &str) -> Problem {
    let path = match e.path.as_str() {
        "(top level)" | "(syntax)" | "." => String::new(),
        p => p.to_owned(),
    };
    if let Some(carried) = member::uncarry(&e.message) {
        return carried.within(&path);
    }
    let malformed = e.code == fupin::ErrorCode::SYNTAX || e.code == fupin::ErrorCode::TOO_DEEP;
    let kind = if malformed {
        ProblemKind::MalformedRequest
    } else {
        ProblemKind::InvalidInput
    };
    let detail = if path.is_empty() {
        format!("{what}: {}", e.message)
    } else {
        format!("{what}: field `{path}`: {}", e.message)
    };
    let mut p = Problem::new(kind, detail);
    p.errors.push(fupin::FieldError { path, ..e });
    p
}
