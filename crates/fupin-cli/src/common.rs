//! What every door shares: reading files into an operation's request (the one reader of
//! `fupin_ops::input`), running the operation, printing its result by `--format`, and exit
//! codes.
//!
//! A subcommand is a door: its flags become the operation's request ([`read`],
//! [`policy`], [`plan_data`]), [`run`] runs it, locates a problem in the file or flag it came
//! from ([`Origin`]), prints the result through `fupin_ops::print` and maps the verdict (and
//! `--strict`) to the exit code.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use fupin::data::PlanData;
use fupin_io::{Format as IoFormat, Source};
use fupin_ops::input::{self, Decoded, Given, Kind, Readable};
use fupin_ops::{Env, Operation, OutputFormat, PolicyArg, Problem, Show, Verdict};

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
    /// The problem document for `--format json`.
    pub problem: Option<Box<Problem>>,
    /// The JSON output already reports the error (a batch's refused units, a log that fails
    /// verification): `main` prints no problem document.
    pub reported: bool,
}

impl CliError {
    /// Bad input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: BAD_INPUT,
            problem: None,
            reported: false,
        }
    }

    /// Bad input in a named file.
    pub fn in_file(path: &Path, err: impl fmt::Display) -> Self {
        Self::from(Problem::invalid(err.to_string(), vec![]).in_file(&path.display().to_string()))
    }

    /// The error as RFC 9457 problem details (what `--format json` prints): every field error,
    /// the file in `instance`.
    #[must_use]
    pub fn to_problem(&self) -> Problem {
        match &self.problem {
            Some(p) => (**p).clone(),
            None => Problem::invalid(self.message.clone(), vec![]),
        }
    }

    /// End the command without a message (the reader of the output went away).
    pub fn quiet() -> Self {
        Self {
            code: OK,
            ..Self::input(String::new())
        }
    }

    /// The same error with another exit code.
    #[must_use]
    pub const fn with_code(mut self, code: u8) -> Self {
        self.code = code;
        self
    }
}

impl From<Problem> for CliError {
    fn from(p: Problem) -> Self {
        Self {
            message: p.detail.clone(),
            code: BAD_INPUT,
            problem: Some(Box::new(p)),
            reported: false,
        }
    }
}

/// `println!` that returns a closed pipe as an error instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::common::write_out(&format!("{}\n", format_args!($($t)*)))?
    };
}

/// Write text to standard output, shown safe for a terminal. A closed pipe (`fupin … | head`)
/// ends the command quietly with status 0 instead of panicking.
pub fn write_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let text = fupin_ops::print::safe_text(text);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) => Err(io_error(&e)),
    }
}

fn io_error(e: &std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::quiet()
    } else {
        CliError::input(format!("cannot write the output: {e}"))
    }
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

impl From<Format> for OutputFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Text => Self::Text,
            Format::Json => Self::Json,
            Format::Markdown => Self::Markdown,
            Format::Xlsx => Self::Xlsx,
        }
    }
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
    /// Output as these options say, with the main input's name.
    pub fn print(&self, format: Format) -> Printing {
        Printing {
            format,
            show: Show::new(self.lang.into()),
            output: self.output.clone(),
            strict: false,
        }
    }
}

/// How a door prints its result and judges its exit code.
#[derive(Debug, Clone)]
pub struct Printing {
    /// The format.
    pub format: Format,
    /// How to show it.
    pub show: Show,
    /// `-o FILE`.
    pub output: Option<PathBuf>,
    /// `--strict`: a failed rule exits 1.
    pub strict: bool,
}

impl Printing {
    /// Text or JSON to standard output in `lang` (the commands with a short `--format`).
    pub fn stdout(format: Format, lang: fupin::Lang) -> Self {
        Self {
            format,
            show: Show::new(lang),
            output: None,
            strict: false,
        }
    }

    /// With `--strict`.
    #[must_use]
    pub const fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// With `--explain`.
    #[must_use]
    pub const fn explain(mut self, explain: bool) -> Self {
        self.show.explain = explain;
        self
    }

    /// Naming the main input (a file).
    #[must_use]
    pub fn source(mut self, path: &Path, decoded: Option<&Decoded>) -> Self {
        self.show.source = Some(path.display().to_string());
        self.show.source_format = decoded.and_then(|d| match &d.content {
            input::Content::Text(_, f) => *f,
            input::Content::Workbook(_) => Some(IoFormat::Workbook),
        });
        self
    }
}

/// Where a request member came from, to name it in a problem.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A file: the problem is located in it, its paths relative to it.
    File(PathBuf),
    /// An option or a default, named before the problem (`--month 2020-13`, `the embedded
    /// policy`).
    Named(String),
}

/// Where each request member came from: `("data", Origin::File(…))`.
pub type Origins = Vec<(&'static str, Origin)>;

/// The origin of a member given by an optional file option: the file, or what stands in for it.
pub fn file_or(path: Option<&PathBuf>, default: &str) -> Origin {
    path.map_or_else(
        || Origin::Named(default.to_owned()),
        |p| Origin::File(p.clone()),
    )
}

/// A problem of an operation, located where its member came from.
pub fn locate(problem: Problem, origins: &[(&str, Origin)]) -> Problem {
    let Some(member) = problem.member() else {
        return problem;
    };
    match origins.iter().find(|(m, _)| *m == member) {
        Some((_, Origin::File(path))) => problem.relative().in_file(&path.display().to_string()),
        Some((_, Origin::Named(what))) => {
            let mut p = problem.relative();
            p.detail = format!("{what}: {}", p.detail);
            p
        }
        None => problem,
    }
}

/// The one door: run `O` on `request`, print its result, and give the exit code.
///
/// A problem is located where its member came from; the result is printed by
/// `fupin_ops::print` in the format asked for; warnings go to standard error; a result that
/// refuses part of its input or rejects what it checked says why on standard error and exits
/// 1 or 2.
pub fn run<O: Operation>(
    env: &Env,
    request: O::Request,
    printing: &Printing,
    origins: &[(&str, Origin)],
) -> CliResult {
    run_with::<O>(env, request, printing, origins, |p| p)
}

/// [`run`], with `hint` applied to a problem first (a hint that locates the problem itself
/// takes it off its member).
pub fn run_with<O: Operation>(
    env: &Env,
    request: O::Request,
    printing: &Printing,
    origins: &[(&str, Origin)],
    hint: impl FnOnce(Problem) -> Problem,
) -> CliResult {
    let out = O::run(env, request).map_err(|p| CliError::from(locate(hint(p), origins)))?;
    show(&out, printing)
}

/// Print a result and give the exit code (see [`run`]).
pub fn show<T: fupin_ops::Outcome + serde::Serialize>(out: &T, printing: &Printing) -> CliResult {
    emit(out, printing)?;
    let lang = printing.show.lang;
    for w in out.warnings() {
        eprintln!("warning: {}", fupin_ops::print::safe_text(w.get(lang)));
    }
    let verdict = out.verdict();
    let code = verdict.exit_code(printing.strict);
    if matches!(verdict, Verdict::Rejected | Verdict::Refused)
        && let Some(why) = out.complaint(lang)
    {
        let message = match &printing.show.source {
            Some(source) => format!("{source}: {why}"),
            None => why,
        };
        return Err(CliError {
            reported: true,
            ..CliError::input(message).with_code(code)
        });
    }
    Ok(ExitCode::from(code))
}

fn emit<T: fupin_ops::Outcome + serde::Serialize>(
    out: &T,
    printing: &Printing,
) -> Result<(), CliError> {
    use std::io::{IsTerminal, Write};
    let format = OutputFormat::from(printing.format);
    let file = printing.output.as_deref().filter(|p| *p != Path::new("-"));
    if format == OutputFormat::Xlsx {
        // A workbook is made before anything is written: no empty file is left behind.
        let bytes = out
            .to_xlsx(&printing.show)
            .ok_or_else(no_workbook)?
            .map_err(|e| CliError::input(e.to_string()))?;
        return match file {
            Some(path) => std::fs::write(path, bytes)
                .map_err(|e| CliError::in_file(path, format!("cannot write: {e}"))),
            None if printing.output.is_some() && !std::io::stdout().is_terminal() => {
                std::io::stdout()
                    .lock()
                    .write_all(&bytes)
                    .map_err(|e| io_error(&e))
            }
            None => Err(CliError::input(
                "--format xlsx writes a workbook: give the file with -o, e.g. -o 通报.xlsx \
                 (or -o - to pipe it)",
            )),
        };
    }
    let result = match file {
        Some(path) => {
            let cannot =
                |e: &dyn fmt::Display| CliError::in_file(path, format!("cannot write: {e}"));
            let f = std::fs::File::create(path).map_err(|e| cannot(&e))?;
            fupin_ops::print(out, format, &printing.show, std::io::BufWriter::new(f))
        }
        None => {
            let stdout = std::io::BufWriter::new(std::io::stdout().lock());
            fupin_ops::print(out, format, &printing.show, stdout)
        }
    };
    result.map_err(|e| match e {
        fupin_ops::PrintError::Io(e) => io_error(&e),
        fupin_ops::PrintError::NoWorkbook => no_workbook(),
        e => CliError::input(e.to_string()),
    })
}

fn no_workbook() -> CliError {
    CliError::input(
        "this command has no workbook output: use --format text, markdown or json \
         (`report`, `spending bulletin` and `score` write .xlsx)",
    )
}

/// How input files are read: the global `--input-format` and `--max-input-size` (or
/// `FUPIN_MAX_INPUT_BYTES`), set once by `main`.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputSettings {
    /// The format of the command's main input, when given (`--input-format`).
    pub format: Option<InputFormat>,
    /// The size cap.
    pub limits: fupin_io::Limits,
}

static INPUT_SETTINGS: OnceLock<InputSettings> = OnceLock::new();
static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

/// Set the input settings (once, before any input is read).
pub fn set_input_settings(settings: InputSettings) {
    let _ = INPUT_SETTINGS.set(settings);
}

fn input_settings() -> InputSettings {
    INPUT_SETTINGS.get().copied().unwrap_or_default()
}

/// A format the main input may be given in (`--input-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// JSON.
    Json,
    /// JSON Lines (the approval log).
    Jsonl,
    /// TOML.
    Toml,
    /// CSV with a header row.
    Csv,
    /// A workbook (xlsx, xls, ods): the ledger and score sheets.
    Xlsx,
}

impl From<InputFormat> for IoFormat {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Json => Self::Json,
            InputFormat::Jsonl => Self::Jsonl,
            InputFormat::Toml => Self::Toml,
            InputFormat::Csv => Self::Csv,
            InputFormat::Xlsx => Self::Workbook,
        }
    }
}

/// Read a file — or standard input for `-` — under the size cap, and decode it as a document
/// of `kind` by the one reader (format by content; a note on standard error when GBK CSV was
/// converted).
pub fn read(kind: Kind, path: &Path) -> Result<Decoded, CliError> {
    read_as(kind, path, None)
}

/// As [`read`], for the command's main input: `--input-format` chooses its format.
pub fn read_main(kind: Kind, path: &Path) -> Result<Decoded, CliError> {
    read_as(kind, path, input_settings().format.map(IoFormat::from))
}

fn read_as(kind: Kind, path: &Path, format: Option<IoFormat>) -> Result<Decoded, CliError> {
    let source = Source::from_arg(path.as_os_str());
    if source == Source::Stdin && STDIN_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(CliError::input(
            "standard input (`-`) can be given for one input only",
        ));
    }
    let bytes = fupin_io::read_bytes(&source, input_settings().limits).map_err(|e| {
        CliError::from(
            Problem::invalid(e.to_string(), vec![e.to_field_error()])
                .at(path.display().to_string()),
        )
    })?;
    let name = match source {
        Source::Stdin => source.to_string(),
        Source::File(_) => path.display().to_string(),
    };
    let decoded = input::decode(kind, Given::new(name, bytes).with_format(format))?;
    if let Some(note) = &decoded.note {
        eprintln!("note: {note}");
    }
    Ok(decoded)
}

/// Read a document of a kind read without context.
pub fn read_doc<T: Readable>(path: &Path) -> Result<T, CliError> {
    Ok(T::read(&read(T::KIND, path)?)?)
}

/// The policy of `--policy FILE`, or the embedded 2020 plan.
pub fn policy(path: Option<&PathBuf>) -> Result<PolicyArg, CliError> {
    Ok(match path {
        Some(p) => PolicyArg::from(read_doc::<fupin::Policy>(p)?),
        None => PolicyArg::Embedded,
    })
}

/// The policy of `--policy FILE`, or the embedded 2020 plan, as a value.
pub fn policy_value(path: Option<&PathBuf>) -> Result<fupin::Policy, CliError> {
    Ok(match path {
        Some(p) => read_doc::<fupin::Policy>(p)?,
        None => fupin::Policy::chaoyang_2020(),
    })
}

/// A file's text (UTF-8, under the size cap), for the command's own inputs (an approval step).
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let source = Source::from_arg(path.as_os_str());
    fupin_io::read_text(
        &source,
        input_settings().limits,
        fupin_io::DecodeOptions::default(),
    )
    .map(|t| t.text)
    .map_err(|e| {
        CliError::from(
            Problem::invalid(e.to_string(), vec![e.to_field_error()])
                .at(path.display().to_string()),
        )
    })
}

/// Print a document of the JSON contract on standard output (`fupin_ops::write_json`).
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    fupin_ops::write_json(out, value).map_err(|e| io_error(&e))
}

/// The plan data of `--data FILE` (TOML or JSON), or none (the embedded figures). A file with
/// `last_year_from = "2020"` (or a path, relative to the file) takes the last-year figures it
/// leaves out from that year's data.
pub fn plan_data(path: Option<&PathBuf>) -> Result<Option<PlanData>, CliError> {
    path.map(|p| plan_data_file(&read(Kind::PlanData, p)?, p, 0).map_err(CliError::from))
        .transpose()
}

/// Plan data from a decoded file, its `last_year_from` files read relative to it.
pub fn plan_data_file(d: &Decoded, path: &Path, depth: usize) -> Result<PlanData, Problem> {
    d.plan_data_with(&mut |reference: &str| {
        if depth >= 8 {
            return Err(
                Problem::invalid("last_year_from: more than 8 years chained", vec![])
                    .in_file(&path.display().to_string()),
            );
        }
        let file = path.parent().unwrap_or(Path::new(".")).join(reference);
        let prior = read(Kind::PlanData, &file).map_err(|e| e.to_problem())?;
        plan_data_file(&prior, &file, depth + 1)
    })
}

/// The hint for plan data of another year than the policy's (`year_mismatch`): with a data file
/// and the embedded policy, how to give the data's year a policy; with the embedded data,
/// which option gives the policy's year its data.
pub fn year_hint(
    problem: Problem,
    data: Option<(&Path, &PlanData)>,
    data_flag: &str,
    policy_flag: &str,
    policy_given: bool,
) -> Problem {
    if problem.errors.first().map(|e| &e.code) != Some(&fupin::ErrorCode::YEAR_MISMATCH) {
        return problem;
    }
    let mut p = problem.relative();
    match data {
        Some((path, d)) => {
            p = p.in_file(&path.display().to_string());
            if !policy_given {
                p.detail.push_str(&format!(
                    " — for {0}, pass a policy of {0} with {policy_flag}: an overlay of the \
                     embedded plan is enough (`extends = \"chaoyang-2020\"` and `[meta] year = \
                     {0}`, as in examples/policy_2021.toml)",
                    d.meta.year
                ));
            }
        }
        None => {
            p.detail = format!(
                "the embedded {} data (give {data_flag} for the policy's year): {}",
                PlanData::chaoyang_2020().meta.year,
                p.detail
            );
        }
    }
    p
}

/// A problem about a file of the log store (the approval commands read logs through it).
pub fn store_error(e: fupin_store::StoreError) -> CliError {
    let code = match &e {
        fupin_store::StoreError::Log { error, .. } if !error.is_malformed() => RULE_FAILED,
        fupin_store::StoreError::Append { .. } => RULE_FAILED,
        _ => BAD_INPUT,
    };
    CliError::input(e.to_string()).with_code(code)
}
