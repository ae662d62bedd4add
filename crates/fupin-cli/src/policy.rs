//! `fupin policy` and `fupin data`: show the embedded defaults, validate a file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use fupin::data::PlanData;

use crate::common::{self, CliError, CliResult};

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
    Check {
        /// Plan data file (TOML or JSON, told by its content; `-` reads standard input).
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    Toml,
    Json,
}

/// Run `fupin policy …`.
pub fn run_policy(args: &PolicyArgs) -> CliResult {
    match &args.command {
        PolicyCommand::Show {
            policy: None,
            format: DocFormat::Toml,
        } => {
            out!("{}", fupin::policy::CHAOYANG_2020_TOML);
        }
        PolicyCommand::Show { policy, format } => {
            let p = common::load_policy(policy.as_ref())?;
            match format {
                DocFormat::Toml => out!("{}", p.to_toml()),
                DocFormat::Json => outln!("{}", p.to_json()),
            }
        }
        PolicyCommand::Check { file, format } => {
            let p = common::load_main_policy(file)?;
            match format {
                CheckFormat::Text => {
                    outln!("{}: ok — {} ({})", file.display(), p.meta.name, p.meta.year);
                }
                CheckFormat::Json => {
                    common::print_json(&fupin_ops::PolicyValidation::new(&p))?;
                }
            }
        }
        PolicyCommand::Diff { old, new, format } => {
            let (a, b) = (
                common::load_policy(old.as_ref())?,
                common::load_policy(new.as_ref())?,
            );
            let c = fupin_ops::output::compare_policies(&a, &b);
            match format {
                CheckFormat::Json => common::print_json(&c)?,
                CheckFormat::Text => {
                    let mut t = fupin::render::Table::new(vec![
                        ("parameter", fupin::render::Align::Left),
                        ("old", fupin::render::Align::Right),
                        ("new", fupin::render::Align::Right),
                    ]);
                    let cell = |v: &serde_json::Value| match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => "—".to_owned(),
                        other => other.to_string(),
                    };
                    for ch in &c.changes {
                        t.row(vec![ch.path.clone(), cell(&ch.old), cell(&ch.new)]);
                    }
                    outln!(
                        "{} ({}) → {} ({}): {} parameter(s) differ",
                        c.old.name,
                        c.old.year,
                        c.new.name,
                        c.new.year,
                        c.changes.len()
                    );
                    if !c.same {
                        out!("{}", t.to_text());
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `fupin data …`.
pub fn run_data(args: &DataArgs) -> CliResult {
    match &args.command {
        DataCommand::Show {
            format: DocFormat::Toml,
        } => out!("{}", fupin::data::CHAOYANG_2020_DATA_TOML),
        DataCommand::Show {
            format: DocFormat::Json,
        } => outln!("{}", PlanData::chaoyang_2020().to_json()),
        DataCommand::Check { file } => {
            let (text, format) = common::read_main_input(file, common::TOML_OR_JSON)?;
            let d = if format == fupin_io::Format::Json {
                PlanData::from_json(&text)
            } else {
                PlanData::from_toml(&text)
            };
            let d = d.map_err(|e| CliError::file(file, e))?;
            outln!(
                "{}: ok — {} ({}), {} county-level units",
                file.display(),
                d.meta.name,
                d.meta.year,
                d.counties.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
