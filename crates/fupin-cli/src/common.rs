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
    /// What went wrong, naming the file, the field and the value.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl CliError {
    /// Bad input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: BAD_INPUT,
        }
    }

    /// Bad input in a named file.
    pub fn in_file(path: &Path, err: impl fmt::Display) -> Self {
        Self::input(format!("{}: {err}", path.display()))
    }
}

impl From<fupin::Error> for CliError {
    fn from(e: fupin::Error) -> Self {
        Self::input(e.to_string())
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
            message: String::new(),
            code: OK,
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
    /// An Excel workbook (`.xlsx`), laid out as an officer sends it: with `-o FILE` (or `-o -`
    /// for standard output). `report`, `spending bulletin` and `score` write one.
    Xlsx,
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
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of labels.
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// Write the output to FILE instead of standard output (`-` for standard output). Needed
    /// with `--format xlsx`, e.g. `-o 通报.xlsx`.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// For the commands that print text only: refuse `--format xlsx` and `-o`.
    pub fn text_only(&self, command: &str) -> Result<(), CliError> {
        if self.format == Format::Xlsx {
            return Err(CliError::input(format!(
                "{command} has no workbook output: use --format text, markdown or json \
                 (`report`, `spending bulletin` and `score` write .xlsx)"
            )));
        }
        if self.output.is_some() {
            return Err(CliError::input(format!(
                "{command} prints to standard output: redirect it (`> file`) instead of -o"
            )));
        }
        Ok(())
    }

    /// Write a text document to `-o FILE`, or to standard output.
    pub fn emit_text(&self, text: &str) -> Result<(), CliError> {
        match self.output.as_deref().filter(|p| *p != Path::new("-")) {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| CliError::in_file(path, format!("cannot write: {e}"))),
            None => {
                out!("{text}");
                Ok(())
            }
        }
    }

    /// Write a workbook to `-o FILE` (or `-o -`, standard output, when it is not a terminal).
    pub fn emit_workbook(&self, bytes: &[u8]) -> Result<(), CliError> {
        use std::io::{IsTerminal, Write};
        match self.output.as_deref() {
            Some(path) if path != Path::new("-") => std::fs::write(path, bytes)
                .map_err(|e| CliError::in_file(path, format!("cannot write: {e}"))),
            Some(_) if !std::io::stdout().is_terminal() => {
                match std::io::stdout().lock().write_all(bytes) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        Err(CliError::input(format!("cannot write the workbook: {e}")))
                    }
                    _ => Ok(()),
                }
            }
            _ => Err(CliError::input(
                "--format xlsx writes a workbook: give the file with -o, e.g. -o 通报.xlsx \
                 (or -o - to pipe it)",
            )),
        }
    }
}

/// Read a whole text file, naming it in the error.
pub fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError::in_file(path, format!("cannot read: {e}")))
}

/// Read a whole file as bytes, naming it in the error.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::in_file(path, format!("cannot read: {e}")))
}

/// The bytes of a file as UTF-8 text, naming it in the error.
pub fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, CliError> {
    String::from_utf8(bytes).map_err(|e| {
        CliError::in_file(
            path,
            format!(
                "cannot read: the file is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
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
    policy.map_err(|e| CliError::in_file(path, e))
}

/// Print a document of the JSON contract: pretty, with its `"format"` version first
/// (`fupin_contract::to_json`, the same bytes the service answers with).
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    out!("{}", fupin_contract::to_json(value));
    Ok(())
}

/// A workbook could not be assembled (a bug: every result can be written).
pub fn xlsx_error(e: &fupin_xlsx::Error) -> CliError {
    CliError::input(e.to_string())
}
