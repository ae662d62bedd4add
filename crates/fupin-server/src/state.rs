//! What the service reads once at start: the embedded plan and the named policies.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use fupin::Policy;
use fupin::data::PlanData;
use fupin_ops::legacy::PolicyRef;
use fupin_ops::{Problem, ProblemKind};

/// The service's read-only state, shared by every request.
#[derive(Debug)]
pub struct AppState {
    embedded: Policy,
    data: PlanData,
    named: BTreeMap<String, Policy>,
}

impl AppState {
    /// The embedded 2020 plan and figures, and `named` policies.
    #[must_use]
    pub fn new(named: BTreeMap<String, Policy>) -> Self {
        Self {
            embedded: Policy::chaoyang_2020(),
            data: PlanData::chaoyang_2020(),
            named,
        }
    }

    /// The embedded 2020 Chaoyang policy.
    #[must_use]
    pub const fn embedded(&self) -> &Policy {
        &self.embedded
    }

    /// The embedded 2020 figures.
    #[must_use]
    pub const fn embedded_data(&self) -> &PlanData {
        &self.data
    }

    /// The named policies.
    #[must_use]
    pub const fn named(&self) -> &BTreeMap<String, Policy> {
        &self.named
    }

    /// The policy a request refers to; an unknown name is a problem at `member`.
    ///
    /// # Errors
    /// A name the service does not have.
    pub fn policy<'a>(&'a self, r: PolicyRef, member: &str) -> Result<Cow<'a, Policy>, Problem> {
        match r {
            PolicyRef::Embedded => Ok(Cow::Borrowed(&self.embedded)),
            PolicyRef::Inline(p) => Ok(Cow::Owned(*p)),
            PolicyRef::Named(name) => self.named.get(&name).map(Cow::Borrowed).ok_or_else(|| {
                let known: Vec<&str> = self.named.keys().map(String::as_str).collect();
                let message = if known.is_empty() {
                    format!(
                        "no policy named `{name}`: the service was started without --policy-dir"
                    )
                } else {
                    format!("no policy named `{name}`; known: {}", known.join(", "))
                };
                Problem::invalid(
                    message.clone(),
                    vec![fupin_ops::problem::field(
                        "unknown_name",
                        member.to_owned(),
                        Some(name.clone()),
                        message,
                    )],
                )
            }),
        }
    }
}

/// Read every policy of a directory (`NAME.toml` or `NAME.json`), named by file stem.
///
/// # Errors
/// Every file that cannot be read or is not a valid policy, or two files with one name.
pub fn load_policy_dir(dir: &Path) -> Result<BTreeMap<String, Policy>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("--policy-dir {}: {e}", dir.display()))?;
    let mut named = BTreeMap::new();
    let mut problems = Vec::new();
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let json = match ext.as_deref() {
            Some("json") => true,
            Some("toml") => false,
            _ => continue,
        };
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: cannot read: {e}", path.display()));
                continue;
            }
        };
        let policy = if json {
            Policy::from_json(&text)
        } else {
            Policy::from_toml(&text)
        };
        match policy {
            Ok(p) => {
                if named.insert(name.clone(), p).is_some() {
                    problems.push(format!(
                        "{}: a second policy named `{name}` (one of NAME.toml and NAME.json only)",
                        path.display()
                    ));
                }
            }
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
    }
    if problems.is_empty() {
        Ok(named)
    } else {
        Err(problems.join("\n"))
    }
}

/// A problem for an unknown route or resource.
pub fn not_found(what: impl Into<String>) -> Problem {
    Problem::new(ProblemKind::NotFound, what)
}
