//! `fupin score`: score units on scorecard A, B or a card file, and rank them (annex 2,
//! assessment method).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use fupin::assessment::{self, ScoreInput, Scorecard};

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Score one or more units on a scorecard and rank them. Every line is explained: item points
/// against their maxima, each bonus line raw and capped, the bonus total capped, the one-vote
/// veto. A score above its maximum, negative, above a discretionary cap or for an unknown item
/// is refused (exit 2) naming the item — never clamped.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The card: `a` (industry work), `b` (stationing, contracting and pairing) — ids of the
    /// policy's cards — or a card file (TOML or JSON, told by its content; `-` reads standard
    /// input).
    #[arg(long, value_name = "a|b|FILE")]
    card: String,
    /// The units' scores: a JSON object or an array of objects
    /// (`{"unit": …, "items": {id: "points"}, "bonuses": {id: {"completion"|"counts"|"points": …}},
    /// "veto": {"reason": …}}`), or a workbook (.xlsx, .xls, .ods) with a row per unit: 单位, a
    /// column per item and bonus input named by its id or label, 一票否决 (see
    /// examples/score_a.xlsx).
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Policy file (TOML or JSON, told by its content); default: the embedded 2020 Chaoyang
    /// plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any unit is vetoed.
    #[arg(long)]
    strict: bool,
    /// Score every unit that can be scored and report each refused unit (in `errors` with
    /// `--format json`, on standard error otherwise), exiting 2 if any was refused. The default.
    #[arg(long, conflicts_with = "fail_fast")]
    keep_going: bool,
    /// Stop at the first unit whose scores are refused (exit 2), printing nothing else.
    #[arg(long)]
    fail_fast: bool,
}

fn load_card(args: &ScoreArgs) -> Result<Scorecard, CliError> {
    let policy = common::load_policy(args.policy.as_ref())?;
    if let Some(card) = policy.assessment.card(&args.card) {
        return Ok(card.clone());
    }
    let path = Path::new(&args.card);
    if args.card != "-" && !path.exists() {
        let ids: Vec<&str> = policy
            .assessment
            .cards
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        return Err(CliError::input(format!(
            "--card `{}` is neither a card of the policy ({}) nor a file",
            args.card,
            ids.join(", ")
        )));
    }
    let (text, format) = common::read_input(path, common::TOML_OR_JSON)?;
    let card = if format == fupin_io::Format::Json {
        Scorecard::from_json(&text)
    } else {
        Scorecard::from_toml(&text)
    };
    card.map_err(|e| CliError::file(path, e))
}

/// The units' scores from `--input`: JSON, or a workbook whose sheet has a column per item of
/// the card (errors then name the sheet and the cell).
fn load_inputs(
    args: &ScoreArgs,
    card: &Scorecard,
) -> Result<(Vec<ScoreInput>, Option<fupin_xlsx::ScoreSheet>), CliError> {
    match common::read_main(
        &args.input,
        &[fupin_io::Format::Json, fupin_io::Format::Workbook],
    )? {
        common::Input::Workbook(bytes) => {
            let sheet = fupin_xlsx::scores_from_bytes(&bytes, card)
                .map_err(|e| common::workbook_error(&args.input, &e))?;
            Ok((sheet.inputs.clone(), Some(sheet)))
        }
        common::Input::Text(text, _) => {
            let inputs =
                ScoreInput::many_from_json(&text).map_err(|e| CliError::file(&args.input, e))?;
            Ok((inputs, None))
        }
    }
}

/// Run `fupin score`.
pub fn run(args: &ScoreArgs) -> CliResult {
    let card = load_card(args)?;
    let (inputs, sheet) = load_inputs(args, &card)?;
    let mut out = fupin_ops::output::score_units(&card, &inputs, !args.fail_fast, "")
        .map_err(|p| CliError::problem(&args.input, p))?;
    if let Some(sheet) = &sheet {
        // Name the refused units by their row of the sheet, not their index.
        for e in &mut out.errors {
            e.problem.detail = format!("{}: {}", sheet.place(e.row, None), e.problem.detail);
        }
    }
    let (reports, ranking) = (&out.reports, &out.ranking);
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => args.output.emit_json(&out)?,
        Format::Xlsx => {
            let policy = common::load_policy(args.policy.as_ref())?;
            let refused: Vec<(String, String)> = out
                .errors
                .iter()
                .map(|e| (e.unit.clone(), e.problem.detail.clone()))
                .collect();
            let bytes = fupin_xlsx::write::scores(
                reports,
                ranking,
                &refused,
                &policy.meta.source,
                policy.meta.year,
                lang,
            )
            .map_err(|e| common::xlsx_error(&e))?;
            args.output.emit_workbook(&bytes)?;
        }
        Format::Text | Format::Markdown => {
            let md = args.output.format == Format::Markdown;
            let mut text = String::new();
            for r in reports {
                text.push_str(&if md {
                    r.to_markdown(lang)
                } else {
                    r.to_text(lang)
                });
                text.push('\n');
            }
            if reports.len() > 1 {
                let t = assessment::ranking_table(reports, ranking, lang);
                let title = match lang {
                    fupin::Lang::Zh => "排名（并列同名次，一票否决者列后）",
                    fupin::Lang::En => "Ranking (ties share a rank; vetoed units last)",
                };
                text.push_str(&if md {
                    format!("## {title}\n\n{}", t.to_markdown())
                } else {
                    format!("{title}\n{}", t.to_text())
                });
            }
            args.output.emit_text(&text)?;
        }
    }
    if out.has_errors() {
        let lines: Vec<String> = out
            .errors
            .iter()
            .map(|e| format!("  - {}", e.problem.detail))
            .collect();
        let mut e = CliError::in_file(
            &args.input,
            format!(
                "{} of {} units refused, the others scored:\n{}",
                out.errors.len(),
                inputs.len(),
                lines.join("\n")
            ),
        );
        // With --format json the output's `errors` already lists each refused unit.
        e.reported = args.output.format == Format::Json;
        return Err(e);
    }
    Ok(ExitCode::from(if args.strict && out.any_vetoed() {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
