//! Errors as data: RFC 9457 problem details.
//!
//! With `--format json` the command writes a [`Problem`] to standard output (its exit code is
//! unchanged: 2 for bad input); the service answers with one as `application/problem+json`.
//! A problem lists *every* field error that validation found, each with the path of the field,
//! the exact value as given and a short code, so a program can point at the cell to fix.

use serde::Serialize;

/// The kinds of problem, each with its `type` URI, title and HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The input was read but is invalid: a field has a wrong type, a bad value, breaks a rule of
    /// the input (HTTP 422).
    InvalidInput,
    /// The request body is not JSON (or not Arrow IPC where Arrow is expected) (HTTP 400).
    MalformedRequest,
    /// A file or a named policy does not exist (HTTP 404).
    NotFound,
    /// The method is not allowed on this path (HTTP 405).
    MethodNotAllowed,
    /// The request took longer than the service's timeout (HTTP 408).
    Timeout,
    /// The body is larger than the service's limit (HTTP 413).
    PayloadTooLarge,
    /// The body's content type is not one the endpoint reads (HTTP 415).
    UnsupportedMediaType,
    /// A bug: the service could not finish the request (HTTP 500).
    Internal,
}

impl ProblemKind {
    /// The `type` URI of the problem.
    #[must_use]
    pub const fn uri(self) -> &'static str {
        match self {
            Self::InvalidInput => "urn:fupin:problem:invalid-input",
            Self::MalformedRequest => "urn:fupin:problem:malformed-request",
            Self::NotFound => "urn:fupin:problem:not-found",
            Self::MethodNotAllowed => "urn:fupin:problem:method-not-allowed",
            Self::Timeout => "urn:fupin:problem:timeout",
            Self::PayloadTooLarge => "urn:fupin:problem:payload-too-large",
            Self::UnsupportedMediaType => "urn:fupin:problem:unsupported-media-type",
            Self::Internal => "urn:fupin:problem:internal",
        }
    }

    /// A short, fixed summary of the kind.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Self::InvalidInput => "The input is invalid",
            Self::MalformedRequest => "The request cannot be read",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::Timeout => "The request took too long",
            Self::PayloadTooLarge => "The request body is too large",
            Self::UnsupportedMediaType => "Unsupported content type",
            Self::Internal => "Internal error",
        }
    }

    /// The HTTP status the service answers with.
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            Self::InvalidInput => 422,
            Self::MalformedRequest => 400,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Timeout => 408,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::Internal => 500,
        }
    }
}

/// One problem with one field: the library's own [`fupin::FieldError`] — `path`, `code`,
/// `message` and the exact `value` as given.
pub type ProblemField = fupin::FieldError;

/// A field error of the contract's own (`unknown_name`, `syntax`, …).
#[must_use]
pub fn field(
    code: &'static str,
    path: impl Into<String>,
    value: Option<String>,
    message: impl Into<String>,
) -> ProblemField {
    fupin::FieldError::coded(fupin::ErrorCode::new(code), path, value, message)
}

/// RFC 9457 problem details, with every field error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:fupin:problem:invalid-input`).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// A short summary of the kind.
    pub title: &'static str,
    /// The HTTP status (the service answers with it; the command exits 2 for bad input).
    pub status: u16,
    /// What went wrong in this case, for a person.
    pub detail: String,
    /// Where it happened: the file the command read, or the request id in the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Every field error found (empty when the problem is not about fields).
    pub errors: Vec<ProblemField>,
}

impl Problem {
    /// A problem of a kind, with a detail.
    #[must_use]
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.uri(),
            title: kind.title(),
            status: kind.status(),
            detail: detail.into(),
            instance: None,
            errors: Vec::new(),
        }
    }

    /// Invalid input with its field errors.
    #[must_use]
    pub fn invalid(detail: impl Into<String>, errors: Vec<ProblemField>) -> Self {
        Self {
            errors,
            ..Self::new(ProblemKind::InvalidInput, detail)
        }
    }

    /// An internal error (a bug).
    #[must_use]
    pub fn internal(detail: &str) -> Self {
        Self::new(ProblemKind::Internal, detail)
    }

    /// The same problem, located in `instance`.
    #[must_use]
    pub fn at(mut self, instance: impl Into<String>) -> Self {
        self.instance = Some(instance.into());
        self
    }

    /// Prefix every field path with `prefix` (a request member or a file name) and the detail
    /// with it too.
    #[must_use]
    pub fn within(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        self.errors = std::mem::take(&mut self.errors)
            .into_iter()
            .map(|e| e.under(prefix))
            .collect();
        self.detail = format!("{prefix}: {}", self.detail);
        self
    }
}

/// `prefix.path`, `prefix[3]…` or `prefix` alone for the top level.
#[must_use]
pub fn join_path(prefix: &str, path: &str) -> String {
    if path.is_empty() || path == "(top level)" || path == "." {
        prefix.to_owned()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

impl From<&fupin::Error> for Problem {
    fn from(e: &fupin::Error) -> Self {
        Self::invalid(e.to_string(), crate::output::field_errors(e))
    }
}

impl From<fupin::Error> for Problem {
    fn from(e: fupin::Error) -> Self {
        Self::from(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_members_and_indexes() {
        assert_eq!(join_path("input", "[3].items.a"), "input[3].items.a");
        assert_eq!(join_path("policy", "funds.quota"), "policy.funds.quota");
        assert_eq!(join_path("data", "(top level)"), "data");
    }

    #[test]
    fn a_problem_serialises_with_its_type_first() {
        let p = Problem::new(ProblemKind::NotFound, "no policy `x`");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "urn:fupin:problem:not-found");
        assert_eq!(v["status"], 404);
        assert_eq!(v["errors"], serde_json::json!([]));
    }
}
