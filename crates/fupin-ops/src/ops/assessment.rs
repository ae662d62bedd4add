//! `score` and `assess`: units scored on a card and ranked; each unit's whole assessment
//! (annex 2, 考核办法).

use fupin::assessment::{
    self, Outcome as UnitOutcome, RankEntry, ScoreInput, ScoreReport, Scorecard, UnitAssessments,
    UnitsInput,
};
use fupin::{ClauseId, Lang, Policy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::wire::{CardMember, PolicyMember};
use crate::input::{CardArg, ScoreInputsArg, member};
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::{Problem, field};

/// `score`: score one unit or many on a card and rank them. Every line is explained; a score
/// above its maximum, negative, above a discretionary cap or for an unknown item is refused
/// naming the item — never clamped.
#[derive(Debug)]
pub struct Score;

/// `POST /v1/score`: score one unit or many on a card and rank them (`fupin score`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// The card: the id of a card of the policy (`"a"`, `"b"`) or a scorecard object.
    #[schemars(with = "CardMember")]
    pub card: CardArg,
    /// One unit's scores (an object) or many (an array), as in `examples/score_a.json`.
    #[schemars(with = "crate::input::wire::ScoreInputs")]
    pub input: ScoreInputsArg,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
    /// Stop at the first unit refused, instead of listing it in `errors` and scoring the rest.
    #[serde(default)]
    pub fail_fast: bool,
}

/// Units scored on one card, ranked; with the units that could not be scored.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScoreOutput {
    /// The card's id.
    pub card: String,
    /// One report per unit scored, in input order (refused units left out).
    pub reports: Vec<ScoreReport>,
    /// The ranking of the scored units; `index` points into `reports`.
    pub ranking: Vec<RankEntry>,
    /// One entry per unit refused, naming its row of the input and every problem; empty when
    /// every unit was scored.
    pub errors: Vec<UnitError>,
    /// The policy's name, source and year, for the workbook's title (not serialised).
    #[serde(skip)]
    #[schemars(skip)]
    pub policy: Option<PolicyTitle>,
}

/// A policy's name, document number and year: what a workbook's title cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyTitle {
    /// `meta.name`.
    pub name: String,
    /// `meta.source` (the plan's number).
    pub source: String,
    /// `meta.year`.
    pub year: i32,
}

impl From<&Policy> for PolicyTitle {
    fn from(p: &Policy) -> Self {
        Self {
            name: p.meta.name.clone(),
            source: p.meta.source.clone(),
            year: p.meta.year,
        }
    }
}

/// A unit that could not be scored.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnitError {
    /// The unit's index in the input (from 0).
    pub row: usize,
    /// The unit's name as given.
    pub unit: String,
    /// What is wrong with it.
    pub problem: Problem,
}

impl ScoreOutput {
    /// Whether any unit was refused.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether any scored unit failed by the one-vote veto.
    #[must_use]
    pub fn any_vetoed(&self) -> bool {
        self.reports.iter().any(ScoreReport::failed)
    }
}

/// Score `inputs` on `card` and rank them.
///
/// With `keep_going`, a unit whose scores are refused is listed in [`ScoreOutput::errors`]
/// and the rest are scored and ranked; without it the first refusal is the error, with the
/// unit's row and name in its path. A unit named twice is refused like a bad score.
///
/// # Errors
/// Without `keep_going`: the first unit's problem, its paths under `{prefix}[row]`.
pub fn score_units(
    card: &Scorecard,
    inputs: &[ScoreInput],
    keep_going: bool,
    prefix: &str,
) -> Result<ScoreOutput, Problem> {
    let mut reports = Vec::with_capacity(inputs.len());
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (row, input) in inputs.iter().enumerate() {
        let scored = assessment::score(card, input).and_then(|r| {
            if seen.insert(r.unit.clone()) {
                Ok(r)
            } else {
                Err(assessment::ScoreError::DuplicateUnit {
                    unit: r.unit.clone(),
                })
            }
        });
        match scored {
            Ok(r) => reports.push(r),
            Err(e) => {
                let problem = Problem::sub(e, &format!("{prefix}[{row}]"));
                if !keep_going {
                    return Err(problem);
                }
                errors.push(UnitError {
                    row,
                    unit: input.unit.clone(),
                    problem,
                });
            }
        }
    }
    let ranking = assessment::rank(&reports).map_err(|e| Problem::sub(e, prefix))?;
    Ok(ScoreOutput {
        card: card.id.clone(),
        reports,
        ranking,
        errors,
        policy: None,
    })
}

/// A card of the policy by id, or the card given.
fn card_of(policy: &Policy, card: CardArg) -> Result<Scorecard, Problem> {
    match card {
        CardArg::Inline(c) => Ok(*c),
        CardArg::Id(id) => policy.assessment.card(&id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = policy
                .assessment
                .cards
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            let message = format!(
                "`{id}` is neither a card of the policy ({}) nor a scorecard; give a card id or a scorecard",
                ids.join(", ")
            );
            Problem::invalid(
                message.clone(),
                vec![field("unknown_name", "card", Some(id), message)],
            )
            .about("card")
        }),
    }
}

/// A workbook's problems under `member`: every bad cell named by sheet, cell and value.
pub(crate) fn workbook_problem(e: &fupin_xlsx::Error, member: &str) -> Problem {
    Problem::invalid(e.to_string(), e.field_errors()).within(member)
}

impl Operation for Score {
    const ID: &'static str = "score";
    const ROUTE: Route = Route::post("/v1/score");
    const SUMMARY: (&'static str, &'static str) = (
        "按考核表 A 或 B 评分并排名",
        "Score units on scorecard A or B and rank them",
    );
    const COMMAND: &'static str = "score";
    type Request = ScoreRequest;
    type Output = ScoreOutput;

    fn run(env: &Env, request: ScoreRequest) -> Result<ScoreOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let card = card_of(policy, request.card)?;
        let (inputs, sheet) = match request.input {
            ScoreInputsArg::Units(units) => (units, None),
            ScoreInputsArg::Workbook(bytes) => {
                let sheet = fupin_xlsx::scores_from_bytes(&bytes, &card)
                    .map_err(|e| workbook_problem(&e, "input"))?;
                (sheet.inputs.clone(), Some(sheet))
            }
        };
        let mut out = score_units(&card, &inputs, !request.fail_fast, "input")?;
        if let Some(sheet) = &sheet {
            // Name the refused units by their row of the sheet, not their index.
            for e in &mut out.errors {
                e.problem.detail = format!("{}: {}", sheet.place(e.row, None), e.problem.detail);
            }
        }
        out.policy = Some(PolicyTitle::from(policy));
        Ok(out)
    }
}

impl Outcome for ScoreOutput {
    fn verdict(&self) -> Verdict {
        if self.has_errors() {
            Verdict::Refused
        } else if self.any_vetoed() {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }

    fn complaint(&self, _: Lang) -> Option<String> {
        if self.errors.is_empty() {
            return None;
        }
        let lines: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("  - {}", e.problem.detail))
            .collect();
        Some(format!(
            "{} of {} units refused, the others scored:\n{}",
            self.errors.len(),
            self.errors.len() + self.reports.len(),
            lines.join("\n")
        ))
    }

    fn to_text(&self, show: &Show) -> String {
        self.scores_text(show.lang, false)
    }

    fn to_markdown(&self, show: &Show) -> String {
        self.scores_text(show.lang, true)
    }

    fn to_xlsx(&self, show: &Show) -> Option<Result<Vec<u8>, fupin_xlsx::Error>> {
        let refused: Vec<(String, String)> = self
            .errors
            .iter()
            .map(|e| (e.unit.clone(), e.problem.detail.clone()))
            .collect();
        let (source, year) = self
            .policy
            .as_ref()
            .map_or((String::new(), 0), |p| (p.source.clone(), p.year));
        Some(fupin_xlsx::write::scores(
            &self.reports,
            &self.ranking,
            &refused,
            &source,
            year,
            show.lang,
        ))
    }
}

impl ScoreOutput {
    fn scores_text(&self, lang: Lang, md: bool) -> String {
        let mut text = String::new();
        for r in &self.reports {
            text.push_str(&if md {
                r.to_markdown(lang)
            } else {
                r.to_text(lang)
            });
            text.push('\n');
        }
        if self.reports.len() > 1 {
            let t = assessment::ranking_table(&self.reports, &self.ranking, lang);
            let title = fupin::render::tr(
                lang,
                "排名（并列同名次，一票否决者列后）",
                "Ranking (ties share a rank; vetoed units last)",
            );
            text.push_str(&if md {
                format!("## {title}\n\n{}", t.to_markdown())
            } else {
                format!("{title}\n{}", t.to_text())
            });
        }
        text
    }
}

/// `assess`: each unit's whole assessment — cards A and B held separately, who assesses
/// each, the one-vote veto on the unit, one ranking per card, the results' status.
#[derive(Debug)]
pub struct Assess;

/// `POST /v1/assess`: assess units on every card they hold (`fupin assess`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessRequest {
    /// The units: `{"status": "summarised", "units": [{"unit": …, "cards": {"a": {"items": …,
    /// "bonuses": …}, "b": {…}}, "veto": {"reason": …}}]}`.
    #[serde(deserialize_with = "member::doc")]
    #[schemars(with = "UnitsInput")]
    pub input: UnitsInput,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

/// Every unit's assessment, with the plan's words on how cards are assessed and the results
/// used (shown with `explain`; not serialised).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct AssessOutput {
    /// The assessment.
    pub assessment: UnitAssessments,
    /// The plan's sentences on the method and the results, for `explain`.
    #[serde(skip)]
    #[schemars(skip)]
    pub words: Vec<String>,
}

impl Operation for Assess {
    const ID: &'static str = "assess";
    const ROUTE: Route = Route::post("/v1/assess");
    const SUMMARY: (&'static str, &'static str) = (
        "各单位全面考核：两表分开、一票否决、分表排名",
        "Each unit's whole assessment: cards held apart, the unit's veto, per-card ranking",
    );
    const COMMAND: &'static str = "assess";
    type Request = AssessRequest;
    type Output = AssessOutput;

    fn run(env: &Env, request: AssessRequest) -> Result<AssessOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let assessment = assessment::assess_units(&policy.assessment, &request.input)
            .map_err(|e| Problem::sub(e, "input"))?;
        let words = ["assessment.method", "assessment.results"]
            .iter()
            .filter_map(|key| policy.clause_text(key, None, ClauseId::A))
            .map(str::to_owned)
            .collect();
        Ok(AssessOutput { assessment, words })
    }
}

impl AssessOutput {
    fn explained(&self, lang: Lang) -> String {
        let mut text = "\n".to_owned();
        for w in &self.words {
            text.push_str(&crate::print::plan_words(w, lang));
        }
        text
    }
}

impl Outcome for AssessOutput {
    fn verdict(&self) -> Verdict {
        if self
            .assessment
            .units
            .iter()
            .any(|u| u.outcome == UnitOutcome::Vetoed)
        {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        let mut text = self.assessment.to_text(show.lang);
        if show.explain {
            text.push_str(&self.explained(show.lang));
        }
        text
    }

    fn to_markdown(&self, show: &Show) -> String {
        let mut text = self.assessment.to_markdown(show.lang);
        if show.explain {
            text.push_str(&self.explained(show.lang));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../examples/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    fn request(body: &str) -> Result<ScoreOutput, Problem> {
        crate::request_json::<ScoreRequest>(body.as_bytes())
            .and_then(|r| Score::run(&Env::new(), r))
    }

    #[test]
    fn a_unit_at_135_percent_scores_93_on_card_a() {
        let body = r#"{"card": "a", "input": {"unit": "科室甲", "items": {"annual_targets": "72", "daily_responsibility": "18"}, "bonuses": {"over_completion": {"completion": "135%"}}}}"#;
        let out = request(body).unwrap();
        assert_eq!(out.reports[0].total.to_string(), "93");
        assert_eq!(out.verdict(), Verdict::Passed);
    }

    #[test]
    fn a_refused_unit_is_listed_under_its_row_and_the_rest_ranked() {
        let mut units: Vec<serde_json::Value> =
            serde_json::from_str(&example("score_a.json")).unwrap();
        let n = units.len();
        let mut bad = units[0].clone();
        bad["unit"] = "坏单位".into();
        bad["items"]["annual_targets"] = "95".into();
        units.insert(1, bad);
        let body = serde_json::json!({"card": "a", "input": units}).to_string();
        let out = request(&body).unwrap();
        assert_eq!((out.reports.len(), out.ranking.len()), (n, n));
        let e = &out.errors[0];
        assert_eq!((e.row, e.unit.as_str()), (1, "坏单位"));
        assert_eq!(e.problem.errors[0].path, "input[1].annual_targets");
        assert_eq!(e.problem.errors[0].value.as_deref(), Some("95"));
        assert_eq!(out.verdict(), Verdict::Refused);
        assert!(out.complaint(Lang::En).unwrap().starts_with("1 of"));
        // fail_fast: the first refusal is the problem.
        let body = serde_json::json!({"card": "a", "input": units, "fail_fast": true}).to_string();
        let p = request(&body).unwrap_err();
        assert_eq!(p.errors[0].path, "input[1].annual_targets");
    }

    #[test]
    fn an_unknown_card_and_a_unit_named_twice_are_refused() {
        let p = request(r#"{"card": "z", "input": {"unit": "x"}}"#).unwrap_err();
        assert_eq!(
            (
                p.errors[0].path.as_str(),
                p.errors[0].code.as_str(),
                p.errors[0].value.as_deref()
            ),
            ("card", "unknown_name", Some("z"))
        );
        let one =
            r#"{"unit": "x", "items": {"annual_targets": "72", "daily_responsibility": "18"}}"#;
        let out = request(&format!(r#"{{"card": "a", "input": [{one}, {one}]}}"#)).unwrap();
        assert_eq!((out.errors[0].row, out.reports.len()), (1, 1));
        assert!(
            out.errors[0].problem.detail.contains('x'),
            "{}",
            out.errors[0].problem.detail
        );
    }

    #[test]
    fn a_float_in_a_unit_is_refused_under_the_input_path() {
        let p =
            request(r#"{"card": "a", "input": {"unit": "x", "items": {"annual_targets": 72.5}}}"#)
                .unwrap_err();
        assert_eq!(p.errors[0].code.as_str(), "float");
        assert_eq!(p.errors[0].path, "input.items.annual_targets");
    }

    #[test]
    fn assess_holds_cards_apart_and_the_veto_fails_the_unit() {
        let text = example("units_2020.json");
        let input = UnitsInput::from_json(&text).unwrap();
        let out = Assess::run(
            &Env::new(),
            AssessRequest {
                input,
                policy: PolicyArg::Embedded,
            },
        )
        .unwrap();
        assert_eq!(out.words.len(), 2);
        let vetoed = out
            .assessment
            .units
            .iter()
            .any(|u| u.outcome == UnitOutcome::Vetoed);
        assert_eq!(out.verdict() == Verdict::Failed, vetoed);
    }
}
