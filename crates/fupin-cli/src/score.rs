//! `fupin score`: score units on scorecard A, B or a card file, and rank them (annex 2,
//! assessment method).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use fupin::assessment::{self, RankEntry, ScoreInput, ScoreReport, Scorecard};
use serde::Serialize;

use crate::common::{self, CliError, CliResult, Format, OutputArgs};

/// Score one or more units on a scorecard and rank them. Every line is explained: item points
/// against their maxima, each bonus line raw and capped, the bonus total capped, the one-vote
/// veto. A score above its maximum, negative, above a discretionary cap or for an unknown item
/// is refused (exit 2) naming the item — never clamped.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The card: `a` (industry work), `b` (stationing, contracting and pairing) — ids of the
    /// policy's cards — or a card file (TOML, or JSON by extension).
    #[arg(long, value_name = "a|b|FILE")]
    card: String,
    /// The units' scores: a JSON object or an array of objects
    /// (`{"unit": …, "items": {id: "points"}, "bonuses": {id: {"completion"|"counts"|"points": …}},
    /// "veto": {"reason": …}}`).
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Policy file (TOML, or JSON by extension); default: the embedded 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Exit with status 1 when any unit is vetoed.
    #[arg(long)]
    strict: bool,
}

fn load_card(args: &ScoreArgs) -> Result<Scorecard, CliError> {
    let policy = common::load_policy(args.policy.as_ref())?;
    if let Some(card) = policy.assessment.card(&args.card) {
        return Ok(card.clone());
    }
    let path = Path::new(&args.card);
    if !path.exists() {
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
    let text = common::read(path)?;
    let card = if common::is_json(path) {
        Scorecard::from_json(&text)
    } else {
        Scorecard::from_toml(&text)
    };
    card.map_err(|e| CliError::file(path, e))
}

#[derive(Serialize)]
struct Output<'a> {
    card: &'a str,
    reports: &'a [ScoreReport],
    ranking: &'a [RankEntry],
}

/// Run `fupin score`.
pub fn run(args: &ScoreArgs) -> CliResult {
    let card = load_card(args)?;
    let inputs = ScoreInput::many_from_json(&common::read(&args.input)?)
        .map_err(|e| CliError::file(&args.input, e))?;
    let reports = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            assessment::score(&card, input).map_err(|e| {
                CliError::in_file(&args.input, format!("unit {i} (`{}`): {e}", input.unit))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ranking = assessment::rank(&reports);
    let lang = args.output.lang.into();
    match args.output.format {
        Format::Json => common::print_json(&Output {
            card: &card.id,
            reports: &reports,
            ranking: &ranking,
        })?,
        Format::Text | Format::Markdown => {
            let md = args.output.format == Format::Markdown;
            for r in &reports {
                out!(
                    "{}",
                    if md {
                        r.to_markdown(lang)
                    } else {
                        r.to_text(lang)
                    }
                );
                outln!();
            }
            if reports.len() > 1 {
                let t = assessment::ranking_table(&reports, &ranking, lang);
                let title = match lang {
                    fupin::Lang::Zh => "排名（并列同名次，一票否决者列后）",
                    fupin::Lang::En => "Ranking (ties share a rank; vetoed units last)",
                };
                if md {
                    out!("## {title}\n\n{}", t.to_markdown());
                } else {
                    out!("{title}\n{}", t.to_text());
                }
            }
        }
    }
    let vetoed = reports.iter().any(ScoreReport::failed);
    Ok(ExitCode::from(if args.strict && vetoed {
        common::RULE_FAILED
    } else {
        common::OK
    }))
}
