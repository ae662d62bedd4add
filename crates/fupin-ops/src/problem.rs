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
    /// The request member the problem is about, when it is about one (not serialised).
    #[serde(skip)]
    #[schemars(skip)]
    member: Option<Box<Member>>,
}

/// A request member's name, boxed to keep [`Problem`] small (it is every function's error).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Member(String);

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
            member: None,
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

    /// Prefix every field path with `prefix` (a request member, `input[3]`) and the detail
    /// with it too; the problem is then about that member ([`Problem::member`]: its name, the
    /// text before any `[` or `.`).
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
        self.member = Some(Box::new(Member(member_of(prefix).to_owned())));
        self
    }

    /// The same problem, about `member`, whose field paths already name it (`total`,
    /// `base`): the detail is prefixed, the paths are kept.
    #[must_use]
    pub fn about(mut self, member: &str) -> Self {
        self.detail = format!("{member}: {}", self.detail);
        self.member = Some(Box::new(Member(member.to_owned())));
        self
    }

    /// The request member the problem is about (`data`, `ledger`, `input`), if it is about one.
    ///
    /// A problem about one member of a request has its field paths and its detail under that
    /// member ([`Problem::within`]) and remembers it: a face that took the member from a file
    /// puts the file's name in its place ([`Problem::relative`], [`Problem::in_file`]).
    #[must_use]
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref().map(|m| m.0.as_str())
    }

    /// The problem relative to its member, for a face that read the member from a file: the
    /// member's name taken off the front of the detail and of each path (`input[1].x` →
    /// `[1].x`, `data.meta` → `meta`, `base` → `base`). A problem about no member is unchanged.
    #[must_use]
    pub fn relative(mut self) -> Self {
        let Some(member) = self.member.take() else {
            return self;
        };
        if let Some(rest) = self.detail.strip_prefix(member.0.as_str()) {
            // `input[1]: …` → `[1]: …` → `…` keeps the row in the detail as `[1]: …`.
            let rest = rest.strip_prefix(": ").unwrap_or(rest);
            self.detail = rest.to_owned();
        }
        for e in &mut self.errors {
            if let Some(rest) = e.path.strip_prefix(member.0.as_str()) {
                if let Some(r) = rest.strip_prefix('.') {
                    e.path = r.to_owned();
                } else if rest.starts_with('[') {
                    e.path = rest.to_owned();
                }
            }
        }
        self
    }

    /// The problem located in the file `name`, as the command reports one: the detail starts
    /// with the file's name, `instance` is the file.
    #[must_use]
    pub fn in_file(mut self, name: &str) -> Self {
        self.detail = format!("{name}: {}", self.detail);
        self.at(name)
    }
}

/// A member's name: `input` of `input[3]`, `data` of `data.meta`.
fn member_of(prefix: &str) -> &str {
    prefix
        .split(['[', '.'])
        .next()
        .filter(|m| !m.is_empty())
        .unwrap_or(prefix)
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
        Self::invalid(e.to_string(), e.field_errors())
    }
}

impl Problem {
    /// A core error about request member `member`: every problem, its path under the member.
    #[must_use]
    pub fn sub(e: impl Into<fupin::Error>, member: &str) -> Self {
        Self::from(e.into()).within(member)
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
    fn a_member_problem_reads_relative_to_the_file_the_member_came_from() {
        let e = fupin::FieldError::new("[1].annual_targets", "95 points is above 80");
        let p = Problem::invalid("[1]: 95 points is above 80", vec![e]).within("input");
        assert_eq!(p.member(), Some("input"));
        assert_eq!(p.errors[0].path, "input[1].annual_targets");
        assert_eq!(p.detail, "input: [1]: 95 points is above 80");
        let r = p.relative().in_file("s.json");
        assert_eq!(r.errors[0].path, "[1].annual_targets");
        assert_eq!(r.detail, "s.json: [1]: 95 points is above 80");
        assert_eq!(r.instance.as_deref(), Some("s.json"));
        let e = fupin::FieldError::new("meta", "bad");
        let p = Problem::invalid("bad", vec![e]).within("data");
        assert_eq!(p.clone().relative().errors[0].path, "meta");
        // A member whose paths already name it keeps them.
        let e = fupin::FieldError::new("total", "negative");
        let p = Problem::invalid("negative", vec![e]).about("total");
        assert_eq!(p.errors[0].path, "total");
        assert_eq!(p.detail, "total: negative");
        assert_eq!(p.relative().errors[0].path, "total");
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
