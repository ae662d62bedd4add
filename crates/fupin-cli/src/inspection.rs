//! `fupin inspection`: the mid-year inspection and ranking of the counties' project libraries
//! (M6 年度中期检查、评比排名).

use std::path::PathBuf;

use clap::Args;
use fupin::projects::{InspectionWeights, ProjectLibrary};
use fupin_ops::Env;
use fupin_ops::input::Log;
use fupin_ops::ops::projects::{Inspection, InspectionRequest};

use crate::common::{self, CliError, CliResult, Origin, OutputArgs, file_or};

/// Score each county's project library on your weights (the plan gives none) — the weighted
/// shares of its projects that are complete (规范化), on file (档案化), with performance targets
/// reviewed, filed and published (M8), serving a poor village — and rank the counties,
/// exactly; equal scores share a rank.
#[derive(Debug, Args)]
pub struct InspectionArgs {
    /// A county's project library (JSON or TOML, as examples/library_jianping_2020.json).
    /// Repeatable: one per county.
    #[arg(long = "library", value_name = "FILE", required = true)]
    libraries: Vec<PathBuf>,
    /// The weights (TOML or JSON), e.g. `complete_documents = "40"`, `targets_published =
    /// "60"`; metrics: complete_fields, complete_documents, targets_reviewed, targets_filed,
    /// targets_published, serves_poor_village.
    #[arg(long, value_name = "FILE")]
    weights: PathBuf,
    /// The approval log (JSON Lines) whose projects' targets the M8 metrics count; verified
    /// first. Default: none (no target reviewed, filed or published).
    #[arg(long, value_name = "LOG")]
    log: Option<PathBuf>,
    /// The registry of actors (needed for a signed log).
    #[arg(long, value_name = "FILE")]
    registry: Option<PathBuf>,
    /// Policy file whose project requirements and approval rules apply; default: the embedded
    /// 2020 Chaoyang plan.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Run `fupin inspection`.
pub fn run(args: &InspectionArgs) -> CliResult {
    let libraries = args
        .libraries
        .iter()
        .map(|p| common::read_doc::<ProjectLibrary>(p))
        .collect::<Result<Vec<_>, CliError>>()?;
    let request = InspectionRequest {
        libraries,
        weights: common::read_doc::<InspectionWeights>(&args.weights)?,
        events: args
            .log
            .as_ref()
            .map(|l| common::read_doc::<Log>(l))
            .transpose()?
            .unwrap_or_default()
            .0,
        registry: args
            .registry
            .as_ref()
            .map(|r| common::read_doc(r))
            .transpose()?,
        policy: common::policy(args.policy.as_ref())?,
    };
    let origins = [
        ("weights", Origin::File(args.weights.clone())),
        ("events", file_or(args.log.as_ref(), "--log")),
        ("libraries", Origin::Named("--library".into())),
        (
            "policy",
            file_or(args.policy.as_ref(), "the embedded policy"),
        ),
    ];
    let printing = args.output.print(args.output.format);
    common::run::<Inspection>(&Env::new(), request, &printing, &origins)
}
