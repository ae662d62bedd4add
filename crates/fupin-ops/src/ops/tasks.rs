//! `tasks.check`: the task table's completions, card A's annual points and the T3/T10/M9 rule
//! checks (annex 2, tasks 2–10; P, M0, T3, T6 goals).

use fupin::tasks::{TasksInput, TasksReport};
use fupin::{Label, Lang};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::input::TasksArg;
use crate::input::wire::PolicyMember;
use crate::operation::{Env, Operation, Outcome, PolicyArg, Route, Show, Verdict};
use crate::problem::Problem;

/// `tasks.check`: check reported figures — each task's completion, card A's annual-target
/// points and the over-completion for its bonus, and the rule checks.
#[derive(Debug)]
pub struct TasksCheck;

/// `POST /v1/tasks/check`: task completions, card A's annual points and the rule checks
/// (`fupin tasks check`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TasksRequest {
    /// The reported figures, as in `examples/tasks_2020.json`.
    #[schemars(with = "fupin::tasks::TasksInput")]
    pub input: TasksArg,
    /// The policy: absent for the embedded 2020 Chaoyang plan, a name of the service's
    /// `--policy-dir`, or a policy object inline.
    #[serde(default)]
    #[schemars(with = "Option<PolicyMember>")]
    pub policy: PolicyArg,
}

/// The tasks report, and the plan's goals the figures said nothing about (shown in text; not
/// serialised).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct TasksOutput {
    /// The report.
    pub report: TasksReport,
    /// Goals of the plan (P, M0, T3, T6) the figures give no number for, so not checked.
    #[serde(skip)]
    #[schemars(skip)]
    pub unchecked_goals: Vec<UncheckedGoal>,
    /// Whether the figures came from a workbook (which carries the task actuals only).
    #[serde(skip)]
    #[schemars(skip)]
    pub from_workbook: bool,
}

/// A goal of the plan the figures give no number for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UncheckedGoal {
    /// Its clause (`P`, `T3`).
    pub clause: String,
    /// The clause's section of the plan.
    pub section: String,
    /// The goal's id (`P.lifted_out`).
    pub id: String,
    /// What it asks, in both languages.
    pub describe: Label,
}

impl Operation for TasksCheck {
    const ID: &'static str = "tasks.check";
    const ROUTE: Route = Route::post("/v1/tasks/check");
    const SUMMARY: (&'static str, &'static str) = (
        "任务完成率、A 表年度目标得分和规则检查",
        "Task completions, card A's annual points and the rule checks",
    );
    const COMMAND: &'static str = "tasks check";
    type Request = TasksRequest;
    type Output = TasksOutput;

    fn run(env: &Env, request: TasksRequest) -> Result<TasksOutput, Problem> {
        let policy = env.policy(&request.policy, "policy")?;
        let (input, from_workbook) = match request.input {
            TasksArg::Input(input) => (*input, false),
            // A workbook holds the task actuals: one row per task.
            TasksArg::Workbook { name, bytes } => {
                let actuals = fupin_xlsx::Workbook::from_bytes("task actuals", &bytes)
                    .and_then(|book| fupin_xlsx::read_task_actuals(&book, &policy.tasks.tasks))
                    .map_err(|e| super::assessment::workbook_problem(&e, "input"))?;
                let input = TasksInput {
                    name,
                    actuals,
                    ..TasksInput::default()
                };
                (input, true)
            }
        };
        let report =
            fupin::tasks::check_tasks(policy, &input).map_err(|e| Problem::sub(e, "input"))?;
        let unchecked_goals = policy
            .goals
            .iter()
            .filter(|g| !input.goals.contains_key(&g.id))
            .map(|g| UncheckedGoal {
                clause: g.clause.to_string(),
                section: g.clause.section().to_string(),
                id: g.id.clone(),
                describe: Label {
                    zh: g.describe(Lang::Zh).into(),
                    en: g.describe(Lang::En).into(),
                },
            })
            .collect();
        Ok(TasksOutput {
            report,
            unchecked_goals,
            from_workbook,
        })
    }
}

impl TasksOutput {
    /// The goals not checked, named with their number, so a reader sees where 7,088 people and
    /// the other goals are checked; with an example of how to give them.
    fn goals_not_given(&self, show: &Show) -> String {
        use fupin::render::tr;
        if self.unchecked_goals.is_empty() {
            return String::new();
        }
        let lang = show.lang;
        let example = if self.from_workbook {
            tr(
                lang,
                "（工作簿只载任务实际完成数；目标请用 JSON 或 TOML 文件的 goals 给出）",
                "(a workbook carries the task actuals only: give goals under `goals` in a JSON or TOML file)",
            )
        } else if show.source_format == Some(fupin_io::Format::Toml) {
            "[goals]\n\"P.lifted_out\" = { actual = \"7100\" }\n\"T3.poor_housing_all\" = { done = 850, of = 850 }"
        } else {
            "\"goals\": {\"P.lifted_out\": {\"actual\": \"7100\"}, \"T3.poor_housing_all\": {\"done\": 850, \"of\": 850}}"
        };
        let mut out = format!(
            "\n{}\n",
            tr(
                lang,
                "未给出数字、因此未检查的方案目标：",
                "Goals of the plan not checked, as the figures give none:"
            )
        );
        for g in &self.unchecked_goals {
            out.push_str(&format!(
                "  {} {}  {}  {}\n",
                g.clause,
                g.section,
                g.id,
                g.describe.get(lang)
            ));
        }
        out.push_str(&format!(
            "{}\n{example}\n",
            tr(
                lang,
                "在输入中给出，例如：",
                "Give them in the input, e.g.:"
            )
        ));
        out
    }
}

impl Outcome for TasksOutput {
    fn verdict(&self) -> Verdict {
        if self.report.passed() {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }

    fn to_text(&self, show: &Show) -> String {
        let mut text = self.report.to_text(show.lang);
        text.push_str(&self.goals_not_given(show));
        if show.explain {
            text.push_str(&super::explained(&self.report.checks, show.lang));
        }
        text
    }

    fn to_markdown(&self, show: &Show) -> String {
        let mut text = self.report.to_markdown(show.lang);
        text.push_str(&self.goals_not_given(show));
        if show.explain {
            text.push_str(&super::explained(&self.report.checks, show.lang));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_figures_check_ten_rules_and_name_the_goals_not_given() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/tasks_2020.json"
        ))
        .unwrap();
        let body = format!("{{\"input\": {text}}}");
        let req = crate::request_json::<TasksRequest>(body.as_bytes()).unwrap();
        let out = TasksCheck::run(&Env::new(), req).unwrap();
        assert_eq!(out.report, {
            let input = TasksInput::from_json(&text).unwrap();
            fupin::tasks::check_tasks(&fupin::Policy::chaoyang_2020(), &input).unwrap()
        });
        let shown = out.to_text(&Show::new(Lang::En));
        assert_eq!(
            shown.contains("Goals of the plan not checked"),
            !out.unchecked_goals.is_empty()
        );
    }

    #[test]
    fn a_bad_figure_is_named_under_input() {
        let body = r#"{"input": {"actuals": {"t3.training": "-1"}}}"#;
        let p = crate::request_json::<TasksRequest>(body.as_bytes())
            .and_then(|r| TasksCheck::run(&Env::new(), r))
            .unwrap_err();
        assert!(
            p.errors[0].path.starts_with("input.actuals"),
            "{:?}",
            p.errors
        );
        assert_eq!(p.member(), Some("input"));
    }
}
