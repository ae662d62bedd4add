//! `fupin policy` and `fupin data`: show the embedded defaults, validate a file, compare two
//! policies.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use fupin_ops::Env;
use fupin_ops::input::Kind;
use fupin_ops::ops::policy::{
    DataCheck, DataCheckRequest, DataShow, DataShowRequest, PolicyDiff, PolicyDiffRequest,
    PolicyShow, PolicyShowRequest, PolicyValidate, PolicyValidateRequest,
};

use crate::common::{self, CliResult, Format, Origin, Printing, file_or};

/// Show or validate policy parameters.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Print the embedded 2020 Chaoyang policy (TOML with a comment citing each clause), or a
    /// policy file after validation. Copy it, edit it, pass it with `--policy`.
    Show {
        /// A policy file to validate and print instead of the embedded one.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DocFormat::Toml)]
        format: DocFormat,
    },
    /// Validate a policy file; exit 2 with the offending field and value if it is invalid.
    Check {
        /// Policy file (TOML or JSON, told by its content; `-` reads standard input).
        file: PathBuf,
        /// Output format (json: the policy's name, year and cards, or the problems).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Compare two policies parameter by parameter: every path whose value differs (equal
    /// decimals written differently are the same). Without --old or --new, that side is the
    /// embedded 2020 policy.
    Diff {
        /// The first policy file (TOML or JSON, told by its content).
        #[arg(long, value_name = "FILE")]
        old: Option<PathBuf>,
        /// The second policy file.
        #[arg(long, value_name = "FILE")]
        new: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

impl From<CheckFormat> for Format {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Text => Self::Text,
            CheckFormat::Json => Self::Json,
        }
    }
}

/// Show or validate plan data (one year's fund figures).
#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(subcommand)]
    command: DataCommand,
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Print the embedded 2020 figures (TOML, commented; illustrative figures are marked).
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value_t = DocFormat::Toml)]
        format: DocFormat,
    },
    /// Validate a plan data file; exit 2 with the offending field and value if it is invalid.
    /// `last_year_from` is resolved as `fupin report --data` resolves it.
    Check {
        /// Plan data file (TOML or JSON, told by its content; `-` reads standard input).
        file: PathBuf,
        /// Output format (json: the data's name, year and number of units, or the problems).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
}

/// A document's format: its commented TOML (text) or its JSON (without a `format` key: it
/// reads back as input).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Toml,
    Json,
}

impl From<DocFormat> for Format {
    fn from(f: DocFormat) -> Self {
        match f {
            DocFormat::Toml => Self::Text,
            DocFormat::Json => Self::Json,
        }
    }
}

fn stdout(format: impl Into<Format>) -> Printing {
    Printing::stdout(format.into(), fupin::Lang::Zh)
}

/// Run `fupin policy …`.
pub fn run_policy(args: &PolicyArgs) -> CliResult {
    let env = Env::new();
    match &args.command {
        PolicyCommand::Show { policy, format } => {
            let request = PolicyShowRequest {
                policy: common::policy(policy.as_ref())?,
            };
            common::run::<PolicyShow>(&env, request, &stdout(*format), &[])
        }
        PolicyCommand::Check { file, format } => {
            let d = common::read_main(Kind::Policy, file)?;
            let request = PolicyValidateRequest {
                policy: fupin_ops::input::Readable::read(&d)?,
            };
            let printing = stdout(*format).source(file, None);
            common::run::<PolicyValidate>(&env, request, &printing, &[])
        }
        PolicyCommand::Diff { old, new, format } => {
            let request = PolicyDiffRequest {
                old: common::policy(old.as_ref())?,
                new: common::policy(new.as_ref())?,
            };
            let origins = [
                ("old", file_or(old.as_ref(), "--old")),
                ("new", file_or(new.as_ref(), "--new")),
            ];
            common::run::<PolicyDiff>(&env, request, &stdout(*format), &origins)
        }
    }
}

/// Run `fupin data …`.
pub fn run_data(args: &DataArgs) -> CliResult {
    let env = Env::new();
    match &args.command {
        DataCommand::Show { format } => {
            common::run::<DataShow>(&env, DataShowRequest {}, &stdout(*format), &[])
        }
        DataCommand::Check { file, format } => {
            let d = common::read_main(Kind::PlanData, file)?;
            let request = DataCheckRequest {
                data: common::plan_data_file(&d, file, 0)?,
            };
            let printing = stdout(*format).source(file, None);
            let origins = [("data", Origin::File(file.clone()))];
            common::run::<DataCheck>(&env, request, &printing, &origins)
        }
    }
}
