//! `policy.show`, `policy.validate`, `policy.diff`, `data.show`, `data.check`: the policy and
//! the plan data as documents — shown, validated, compared.

use fupin::Policy;
use fupin::data::PlanData;
use fupin::render::{Align, Table};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::member;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show};
use crate::problem::Problem;

/// `policy.show`: the embedded 2020 Chaoyang policy (TOML with a comment citing each clause),
/// or a policy by name or given whole, after validation.
#[derive(Debug)]
pub struct PolicyShow;

/// `GET /v1/policy`: a policy as a document (`fupin policy show`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyShowRequest {
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

/// A policy as a document: its JSON has no `format` key (it reads back as a policy); its text
/// is TOML (the embedded plan's own, with its comments).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct PolicyDocument {
    /// The policy.
    pub policy: Policy,
    /// The commented TOML of an embedded policy (not serialised).
    #[serde(skip)]
    #[schemars(skip)]
    pub toml: Option<&'static str>,
}

impl Operation for PolicyShow {
    const ID: &'static str = "policy.show";
    const ROUTE: Route = Route::get("/v1/policy");
    const SUMMARY: (&'static str, &'static str) = (
        "显示政策参数（内嵌的 2020 年朝阳方案或指定政策）",
        "Show the policy parameters (the embedded 2020 plan, or a policy given)",
    );
    const COMMAND: &'static str = "policy show";
    type Request = PolicyShowRequest;
    type Output = PolicyDocument;

    fn run(env: &Env, request: PolicyShowRequest) -> Result<PolicyDocument, Problem> {
        let embedded = matches!(request.policy, PolicyArg::Embedded)
            || matches!(&request.policy, PolicyArg::Named(n) if n == crate::operation::EMBEDDED_POLICY && !env.named().contains_key(n));
        let policy = env.policy(&request.policy, "policy")?.clone();
        Ok(PolicyDocument {
            policy,
            toml: embedded.then_some(fupin::policy::CHAOYANG_2020_TOML),
        })
    }
}

impl Outcome for PolicyDocument {
    fn versioned(&self) -> bool {
        false
    }

    fn to_text(&self, _: &Show) -> String {
        self.toml
            .map_or_else(|| self.policy.to_toml(), str::to_owned)
    }
}

/// `policy.validate`: read and validate a policy; every invalid field is a problem.
#[derive(Debug)]
pub struct PolicyValidate;

/// `POST /v1/policy/validate`: the body is the policy itself (the JSON of `fupin policy show
/// --format json`; an overlay with `extends` works) (`fupin policy check`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct PolicyValidateRequest {
    /// The policy.
    #[serde(deserialize_with = "member::doc")]
    pub policy: Policy,
}

/// A policy that was read and validated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolicyValidation {
    /// Always `true`: an invalid policy is a problem document instead.
    pub valid: bool,
    /// The policy's name.
    pub name: String,
    /// The year it is for.
    pub year: i32,
    /// The scorecards it defines.
    pub cards: Vec<String>,
}

impl PolicyValidation {
    /// The document for a valid policy.
    #[must_use]
    pub fn new(policy: &Policy) -> Self {
        Self {
            valid: true,
            name: policy.meta.name.clone(),
            year: policy.meta.year,
            cards: policy
                .assessment
                .cards
                .iter()
                .map(|c| c.id.clone())
                .collect(),
        }
    }
}

impl Operation for PolicyValidate {
    const ID: &'static str = "policy.validate";
    const ROUTE: Route = Route::post("/v1/policy/validate");
    const SUMMARY: (&'static str, &'static str) = (
        "校验政策文件",
        "Validate a policy: its name, year and cards, or every problem",
    );
    const COMMAND: &'static str = "policy check";
    type Request = PolicyValidateRequest;
    type Output = PolicyValidation;

    fn run(_: &Env, request: PolicyValidateRequest) -> Result<PolicyValidation, Problem> {
        Ok(PolicyValidation::new(&request.policy))
    }
}

impl Outcome for PolicyValidation {
    fn to_text(&self, show: &Show) -> String {
        format!(
            "{}: ok — {} ({})\n",
            show.source_or("policy"),
            self.name,
            self.year
        )
    }
}

/// `policy.diff`: compare two policies parameter by parameter.
#[derive(Debug)]
pub struct PolicyDiff;

/// `POST /v1/policy/compare`: what changed between two policies.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[schemars(rename = "CompareRequest")]
#[serde(deny_unknown_fields)]
pub struct PolicyDiffRequest {
    /// The policy before: absent for the embedded 2020 Chaoyang plan, a name of the
    /// service's `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub old: PolicyArg,
    /// The policy after, as `old`.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub new: PolicyArg,
}

/// One parameter that differs between two policies.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolicyChange {
    /// Where, as a path into the policy (`funds.quota.county`, `assessment.cards[a].bonus.cap`:
    /// list entries with an `id` are named by it, others by position).
    pub path: String,
    /// The value in the first policy (`null`: absent there).
    pub old: serde_json::Value,
    /// The value in the second policy (`null`: absent there).
    pub new: serde_json::Value,
}

/// The policy a comparison names.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolicyName {
    /// The policy's name (meta.name).
    pub name: String,
    /// Its year.
    pub year: i32,
}

/// What differs between two policies (`fupin policy diff`, `POST /v1/policy/compare`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PolicyComparison {
    /// The first policy.
    pub old: PolicyName,
    /// The second policy.
    pub new: PolicyName,
    /// Whether every parameter is the same (equal decimals written differently, `"0.2"` and
    /// `"0.20"`, are the same).
    pub same: bool,
    /// Every parameter that differs, in the policy's order.
    pub changes: Vec<PolicyChange>,
}

/// Compare two policies parameter by parameter.
#[must_use]
pub fn compare_policies(old: &Policy, new: &Policy) -> PolicyComparison {
    let a = serde_json::to_value(old).unwrap_or(serde_json::Value::Null);
    let b = serde_json::to_value(new).unwrap_or(serde_json::Value::Null);
    let mut changes = Vec::new();
    diff_values("", &a, &b, &mut changes);
    let name = |p: &Policy| PolicyName {
        name: p.meta.name.clone(),
        year: p.meta.year,
    };
    PolicyComparison {
        old: name(old),
        new: name(new),
        same: changes.is_empty(),
        changes,
    }
}

fn same_leaf(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    if a == b {
        return true;
    }
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => matches!(
            (fupin::money::parse_number(x), fupin::money::parse_number(y)),
            (Ok(p), Ok(q)) if p == q
        ),
        _ => false,
    }
}

fn key_of(v: &serde_json::Value) -> Option<&str> {
    v.get("id").and_then(serde_json::Value::as_str)
}

fn diff_values(
    path: &str,
    a: &serde_json::Value,
    b: &serde_json::Value,
    out: &mut Vec<PolicyChange>,
) {
    use serde_json::Value as V;
    let at = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            for (k, va) in x {
                diff_values(&at(k), va, y.get(k).unwrap_or(&V::Null), out);
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                diff_values(&at(k), &V::Null, vb, out);
            }
        }
        (V::Array(x), V::Array(y)) if x.iter().chain(y).all(|v| key_of(v).is_some()) => {
            for va in x {
                let id = key_of(va).unwrap_or_default();
                let vb = y.iter().find(|v| key_of(v) == Some(id)).unwrap_or(&V::Null);
                diff_values(&format!("{path}[{id}]"), va, vb, out);
            }
            for vb in y
                .iter()
                .filter(|v| !x.iter().any(|va| key_of(va) == key_of(v)))
            {
                diff_values(
                    &format!("{path}[{}]", key_of(vb).unwrap_or_default()),
                    &V::Null,
                    vb,
                    out,
                );
            }
        }
        (V::Array(x), V::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                diff_values(
                    &format!("{path}[{i}]"),
                    x.get(i).unwrap_or(&V::Null),
                    y.get(i).unwrap_or(&V::Null),
                    out,
                );
            }
        }
        _ if same_leaf(a, b) => {}
        _ => out.push(PolicyChange {
            path: path.to_owned(),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}

impl Operation for PolicyDiff {
    const ID: &'static str = "policy.diff";
    const ROUTE: Route = Route::post("/v1/policy/compare");
    const SUMMARY: (&'static str, &'static str) = (
        "逐项比较两个政策的参数",
        "Compare two policies parameter by parameter",
    );
    const COMMAND: &'static str = "policy diff";
    type Request = PolicyDiffRequest;
    type Output = PolicyComparison;

    fn run(env: &Env, request: PolicyDiffRequest) -> Result<PolicyComparison, Problem> {
        let old = env.policy(&request.old, "old")?;
        let new = env.policy(&request.new, "new")?;
        Ok(compare_policies(old, new))
    }
}

impl Outcome for PolicyComparison {
    fn to_text(&self, _: &Show) -> String {
        let mut t = Table::new(vec![
            ("parameter", Align::Left),
            ("old", Align::Right),
            ("new", Align::Right),
        ]);
        let cell = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => "—".to_owned(),
            other => other.to_string(),
        };
        for ch in &self.changes {
            t.row(vec![ch.path.clone(), cell(&ch.old), cell(&ch.new)]);
        }
        let mut out = format!(
            "{} ({}) → {} ({}): {} parameter(s) differ\n",
            self.old.name,
            self.old.year,
            self.new.name,
            self.new.year,
            self.changes.len()
        );
        if !self.same {
            out.push_str(&t.to_text());
        }
        out
    }
}

/// `data.show`: the embedded 2020 figures (TOML, commented; illustrative figures marked).
#[derive(Debug)]
pub struct DataShow;

/// `GET /v1/data`: the embedded plan data as a document (`fupin data show`).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataShowRequest {}

/// Plan data as a document: its JSON has no `format` key (it reads back as plan data); its
/// text is the embedded data's commented TOML.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct DataDocument {
    /// The data.
    pub data: PlanData,
    /// The commented TOML of the embedded data (not serialised).
    #[serde(skip)]
    #[schemars(skip)]
    pub toml: Option<&'static str>,
}

impl Operation for DataShow {
    const ID: &'static str = "data.show";
    const ROUTE: Route = Route::get("/v1/data");
    const SUMMARY: (&'static str, &'static str) = (
        "显示内嵌的 2020 年方案数字",
        "Show the embedded 2020 plan figures",
    );
    const COMMAND: &'static str = "data show";
    type Request = DataShowRequest;
    type Output = DataDocument;

    fn run(env: &Env, _: DataShowRequest) -> Result<DataDocument, Problem> {
        Ok(DataDocument {
            data: env.embedded_data().clone(),
            toml: Some(fupin::data::CHAOYANG_2020_DATA_TOML),
        })
    }
}

impl Outcome for DataDocument {
    fn versioned(&self) -> bool {
        false
    }

    fn to_text(&self, _: &Show) -> String {
        self.toml
            .map_or_else(|| self.data.to_json() + "\n", str::to_owned)
    }
}

/// `data.check`: read and validate a year's plan data; every invalid field is a problem.
#[derive(Debug)]
pub struct DataCheck;

/// `POST /v1/data/validate`: the body is the plan data itself (the JSON of `fupin data show
/// --format json`; `last_year_from` may name an embedded year) (`fupin data check`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct DataCheckRequest {
    /// The data.
    #[serde(deserialize_with = "member::doc")]
    pub data: PlanData,
}

/// Plan data that were read and validated.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataValidation {
    /// Always `true`: invalid data are a problem document instead.
    pub valid: bool,
    /// The data's name.
    pub name: String,
    /// Their year.
    pub year: i32,
    /// How many county-level units they give figures for.
    pub counties: usize,
}

impl Operation for DataCheck {
    const ID: &'static str = "data.check";
    const ROUTE: Route = Route::post("/v1/data/validate");
    const SUMMARY: (&'static str, &'static str) = (
        "校验方案数字文件",
        "Validate a year's plan data: its name, year and units, or every problem",
    );
    const COMMAND: &'static str = "data check";
    type Request = DataCheckRequest;
    type Output = DataValidation;

    fn run(_: &Env, request: DataCheckRequest) -> Result<DataValidation, Problem> {
        let d = request.data;
        Ok(DataValidation {
            valid: true,
            name: d.meta.name,
            year: d.meta.year,
            counties: d.counties.len(),
        })
    }
}

impl Outcome for DataValidation {
    fn to_text(&self, show: &Show) -> String {
        format!(
            "{}: ok — {} ({}), {} county-level units\n",
            show.source_or("data"),
            self.name,
            self.year,
            self.counties
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_policy_shows_as_its_commented_toml_and_as_json_without_format() {
        let doc = PolicyShow::run(&Env::new(), PolicyShowRequest::default()).unwrap();
        assert_eq!(
            doc.to_text(&Show::default()),
            fupin::policy::CHAOYANG_2020_TOML
        );
        assert!(!doc.versioned());
        let mut out = Vec::new();
        crate::print::print(&doc, crate::OutputFormat::Json, &Show::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(Policy::from_json(&text).unwrap(), Policy::chaoyang_2020());
    }

    #[test]
    fn a_comparison_lists_each_changed_parameter_and_not_equal_decimals_written_differently() {
        let a = Policy::chaoyang_2020();
        let toml = fupin::policy::CHAOYANG_2020_TOML
            .replace("county = \"2500万元\"", "county = \"2600万元\"");
        let b = Policy::from_toml(&toml).unwrap();
        let req = PolicyDiffRequest {
            old: PolicyArg::Embedded,
            new: PolicyArg::from(b),
        };
        let c = PolicyDiff::run(&Env::new(), req).unwrap();
        assert!(!c.same);
        assert_eq!(c.changes.len(), 1, "{:?}", c.changes);
        assert_eq!(c.changes[0].path, "funds.quota.county");
        assert_eq!(
            (c.changes[0].old.as_str(), c.changes[0].new.as_str()),
            (Some("25000000"), Some("26000000"))
        );
        let mut v: serde_json::Value = serde_json::to_value(&a).unwrap();
        v["funds"]["input_growth_target"] = "0.2".into();
        let same = Policy::from_json(&v.to_string()).unwrap();
        assert!(compare_policies(&a, &same).same);
    }

    #[test]
    fn a_policy_body_is_validated_with_every_problem_at_its_path() {
        let mut v: serde_json::Value =
            serde_json::from_str(&Policy::chaoyang_2020().to_json()).unwrap();
        v["funds"]["quota"]["county"] = "-1".into();
        v["funds"]["input_growth_target"] = "2000%".into();
        let p = crate::request_json::<PolicyValidateRequest>(v.to_string().as_bytes()).unwrap_err();
        let paths: Vec<&str> = p.errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths.len(), 2, "{paths:?}");
        assert!(paths.contains(&"funds.quota.county"), "{paths:?}");
        let ok = crate::request_json::<PolicyValidateRequest>(
            Policy::chaoyang_2020().to_json().as_bytes(),
        )
        .and_then(|r| PolicyValidate::run(&Env::new(), r))
        .unwrap();
        assert_eq!((ok.year, ok.cards.len()), (2020, 2));
    }

    #[test]
    fn data_with_last_year_from_an_embedded_year_are_read_on_every_path() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/chaoyang_2021_data.toml"
        ))
        .unwrap();
        let d: PlanData =
            crate::input::read(crate::input::Given::new("d.toml", text.clone())).unwrap();
        assert_eq!(d.meta.year, 2021);
        let v: toml::Value = toml::from_str(&text).unwrap();
        let body = serde_json::to_string(&v).unwrap();
        let r = crate::request_json::<DataCheckRequest>(body.as_bytes()).unwrap();
        let out = DataCheck::run(&Env::new(), r).unwrap();
        assert_eq!((out.year, out.counties), (2021, d.counties.len()));
    }
}
