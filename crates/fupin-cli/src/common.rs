//! What every subcommand shares: output format, language, reading input files, exit codes.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use fupin::Policy;

/// Exit code when every rule passed, or the command has nothing to judge.
pub const OK: u8 = 0;
/// Exit code when a rule failed (with `--strict`) or a chain was tampered with.
pub const RULE_FAILED: u8 = 1;
/// Exit code for bad input: unreadable file, invalid field, malformed line.
pub const BAD_INPUT: u8 = 2;

/// An error the user can fix, with the exit code it ends the command with.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, naming the file, the field and the value (one line per problem when
    /// there are several).
    pub message: String,
    /// The exit code.
    pub code: u8,
    /// The file the problems are in, if any.
    #[allow(dead_code)] // read by the JSON error output
    pub file: Option<PathBuf>,
    /// Every problem, structured (path, code, message, exact value), when the error came from
    /// the library; empty otherwise.
    #[allow(dead_code)] // read by the JSON error output
    pub errors: Vec<fupin::FieldError>,
}

impl CliError {
    /// Bad input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: BAD_INPUT,
            file: None,
            errors: Vec::new(),
        }
    }

    /// Bad input in a named file.
    pub fn in_file(path: &Path, err: impl fmt::Display) -> Self {
        Self::input(format!("{}: {err}", path.display()))
    }

    /// A library error about a named file: the message names the file and lists every
    /// problem; the problems are kept structured too.
    pub fn file(path: &Path, err: impl Into<fupin::Error>) -> Self {
        let err = err.into();
        Self {
            file: Some(path.to_owned()),
            errors: err.field_errors(),
            ..Self::in_file(path, &err)
        }
    }
}

impl From<fupin::Error> for CliError {
    fn from(e: fupin::Error) -> Self {
        Self {
            errors: e.field_errors(),
            ..Self::input(e.to_string())
        }
    }
}

impl From<fupin::money::MoneyError> for CliError {
    fn from(e: fupin::money::MoneyError) -> Self {
        Self::input(e.to_string())
    }
}

impl CliError {
    /// End the command without a message (the reader of the output went away).
    pub fn quiet() -> Self {
        Self {
            code: OK,
            ..Self::input(String::new())
        }
    }
}

/// Write to standard output. A closed pipe (`fupin report | head`) ends the command quietly with
/// status 0 instead of panicking; any other write error is reported.
pub fn write_out(args: fmt::Arguments<'_>) -> Result<(), CliError> {
    use std::io::Write;
    match std::io::stdout().lock().write_fmt(args) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::quiet()),
        Err(e) => Err(CliError::input(format!("cannot write the output: {e}"))),
    }
}

/// `print!` that returns a closed pipe as an error instead of panicking (see [`write_out`]).
macro_rules! out {
    ($($t:tt)*) => {
        $crate::common::write_out(format_args!($($t)*))?
    };
}

/// `println!` that returns a closed pipe as an error instead of panicking (see [`write_out`]).
macro_rules! outln {
    () => {
        $crate::common::write_out(format_args!("\n"))?
    };
    ($($t:tt)*) => {
        $crate::common::write_out(format_args!("{}\n", format_args!($($t)*)))?
    };
}

/// The result of a subcommand.
pub type CliResult = Result<ExitCode, CliError>;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables.
    Text,
    /// JSON for machines: decimal strings, never floats.
    Json,
    /// Markdown tables.
    Markdown,
}

/// Language of labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 中文.
    Zh,
    /// English.
    En,
}

impl From<LangArg> for fupin::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => Self::Zh,
            LangArg::En => Self::En,
        }
    }
}

/// The output options every reporting subcommand takes.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of labels.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
}

/// Read a whole text file, naming it in the error.
pub fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::in_file(path, format!("cannot read: {e}")))
}

/// Whether a file is JSON (by extension); otherwise it is read as TOML.
pub fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// The policy from `--policy FILE` (TOML or JSON by extension), or the embedded 2020 plan.
pub fn load_policy(path: Option<&PathBuf>) -> Result<Policy, CliError> {
    let Some(path) = path else {
        return Ok(Policy::chaoyang_2020());
    };
    let text = read(path)?;
    let policy = if is_json(path) {
        Policy::from_json(&text)
    } else {
        Policy::from_toml(&text)
    };
    policy.map_err(|e| CliError::file(path, e))
}

/// Print a document of the JSON contract: pretty, with its `"format"` version first
/// (`fupin_contract::to_json`, the same bytes the service answers with).
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    out!("{}", fupin_contract::to_json(value));
    Ok(())
}
