//! `inspection`: the mid-year inspection and ranking of the counties' project libraries (M6
//! 年度中期检查、评比排名), the M8 target metrics taken from an approval log.

use std::collections::BTreeMap;

use fupin::Lang;
use fupin::approval::{ProjectApproval, Registry};
use fupin::audit::{self, CheckOptions, Event};
use fupin::projects::{CountyInspection, InspectionWeights, ProjectLibrary};
use fupin::render::{Align, Table, tr};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::input::member;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show};
use crate::problem::Problem;

/// `inspection`: score each county's library on the caller's weights (the plan gives none) —
/// the weighted shares of its projects that are complete, on file, with targets reviewed,
/// filed, published, serving a poor village — and rank the counties, exactly.
#[derive(Debug)]
pub struct Inspection;

/// `POST /v1/inspection`: the mid-year inspection of the counties' libraries (`fupin
/// inspection`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionRequest {
    /// One project library per county (as `examples/library_jianping_2020.json`).
    #[serde(deserialize_with = "libraries")]
    pub libraries: Vec<ProjectLibrary>,
    /// The weight of each metric (`complete_fields`, `complete_documents`, `targets_reviewed`,
    /// `targets_filed`, `targets_published`, `serves_poor_village`): exact decimals, not
    /// negative, one at least positive.
    #[serde(deserialize_with = "member::doc")]
    pub weights: InspectionWeights,
    /// The approval log whose projects' performance targets (M8) the target metrics count;
    /// verified first. Default: none (no project has its targets reviewed, filed or published).
    #[serde(default, deserialize_with = "log")]
    #[schemars(with = "Vec<fupin::audit::Event>")]
    pub events: Vec<Event>,
    /// The registry of actors (needed for a signed log).
    #[serde(default, deserialize_with = "member::opt_doc")]
    #[schemars(with = "Option<fupin::approval::Registry>")]
    pub registry: Option<Registry>,
    /// The policy whose project requirements (fields, documents) and approval rules apply:
    /// absent for the embedded 2020 Chaoyang plan, a name of the service's `--policy-dir`, or a
    /// policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

fn libraries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ProjectLibrary>, D::Error> {
    let values: Vec<serde_json::Value> = Vec::deserialize(d)?;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            <ProjectLibrary as member::FromJson>::from_json(&v.to_string())
                .map_err(|p| member::carry(&p.within(&format!("[{i}]"))))
        })
        .collect()
}

fn log<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Event>, D::Error> {
    let values: Vec<serde_json::Value> = Vec::deserialize(d)?;
    let mut text = String::new();
    for v in &values {
        text.push_str(&v.to_string());
        text.push('\n');
    }
    audit::from_jsonl(&text).map_err(|e| {
        let at = format!("[{}]", e.line().saturating_sub(1));
        member::carry(&Problem::sub(e, &at))
    })
}

/// The inspection's result: each county's score and rank, best first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct InspectionOutput {
    /// The weights applied.
    pub weights: InspectionWeights,
    /// Each county, ranked (equal scores share a rank and are listed by name).
    pub counties: Vec<CountyInspection>,
}

impl Operation for Inspection {
    const ID: &'static str = "inspection";
    const ROUTE: Route = Route::post("/v1/inspection");
    const SUMMARY: (&'static str, &'static str) = (
        "项目库年度中期检查、评比排名（M6）",
        "The mid-year inspection and ranking of the counties' project libraries (M6)",
    );
    const COMMAND: &'static str = "inspection";
    type Request = InspectionRequest;
    type Output = InspectionOutput;

    /// A log with events must verify (a signed log needs its registry).
    fn run(env: &Env, request: InspectionRequest) -> Result<InspectionOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let approvals: BTreeMap<String, ProjectApproval> = if request.events.is_empty() {
            BTreeMap::new()
        } else {
            let opts = CheckOptions::new(policy).maybe_registry(request.registry.as_ref());
            audit::check(&request.events, &opts)
                .map_err(|e| {
                    Problem::invalid(
                        format!("the approval log does not verify: {}", e.message(Lang::En)),
                        fupin::Error::from(e).field_errors(),
                    )
                    .about("events")
                })?
                .states
        };
        let counties = fupin::projects::inspect(
            &request.libraries,
            &approvals,
            &policy.projects,
            &request.weights,
        )
        .map_err(|e| {
            let member = if matches!(e, fupin::projects::ProjectError::InvalidWeight { .. }) {
                "weights"
            } else {
                "libraries"
            };
            Problem::from(fupin::Error::from(e)).about(member)
        })?;
        Ok(InspectionOutput {
            weights: request.weights,
            counties,
        })
    }
}

impl Outcome for InspectionOutput {
    fn to_text(&self, show: &Show) -> String {
        self.table(show.lang).to_text()
    }

    fn to_markdown(&self, show: &Show) -> String {
        self.table(show.lang).to_markdown()
    }
}

impl InspectionOutput {
    fn table(&self, lang: Lang) -> Table {
        let mut columns: Vec<(String, Align)> = vec![
            (tr(lang, "名次", "rank").to_owned(), Align::Right),
            (tr(lang, "县(市)区", "county").to_owned(), Align::Left),
            (tr(lang, "项目数", "projects").to_owned(), Align::Right),
        ];
        for m in self.weights.0.keys() {
            columns.push((m.label().get(lang).to_owned(), Align::Right));
        }
        columns.push((tr(lang, "得分", "score").to_owned(), Align::Right));
        let mut t = Table::new(columns);
        for c in &self.counties {
            let mut row = vec![c.rank.to_string(), c.county.clone(), c.projects.to_string()];
            for m in self.weights.0.keys() {
                row.push(format!(
                    "{}/{}",
                    c.met.get(m).copied().unwrap_or(0),
                    c.projects
                ));
            }
            row.push(c.score.round_dp(2).normalize().to_string());
            t.row(row);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> serde_json::Value {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/library_jianping_2020.json"
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn run(body: &serde_json::Value) -> Result<InspectionOutput, Problem> {
        crate::request_json::<InspectionRequest>(body.to_string().as_bytes())
            .and_then(|r| Inspection::run(&Env::new(), r))
    }

    #[test]
    fn counties_are_ranked_by_the_weighted_shares_and_ties_share_a_rank() {
        let empty = serde_json::json!({"county": "朝阳县"});
        let out = run(&serde_json::json!({
            "libraries": [empty, library()],
            "weights": {"complete_documents": "100"},
        }))
        .unwrap();
        assert_eq!(out.counties.len(), 2);
        assert!(out.counties.windows(2).all(|w| w[0].rank <= w[1].rank));
        let text = out.to_text(&Show::new(Lang::En));
        assert!(text.contains("documents on file"), "{text}");
    }

    #[test]
    fn weights_must_have_one_positive_and_a_county_one_library() {
        let p = run(&serde_json::json!({
            "libraries": [library()],
            "weights": {"complete_documents": "0"},
        }))
        .unwrap_err();
        assert_eq!(p.member(), Some("weights"));
        let p = run(&serde_json::json!({
            "libraries": [library(), library()],
            "weights": {"complete_documents": "1"},
        }))
        .unwrap_err();
        assert_eq!(p.member(), Some("libraries"));
        let p = run(&serde_json::json!({
            "libraries": [{"county": "朝阳县", "projets": []}],
            "weights": {"complete_documents": "1"},
        }))
        .unwrap_err();
        assert!(
            p.errors[0].path.starts_with("libraries[0]"),
            "{:?}",
            p.errors
        );
    }
}
