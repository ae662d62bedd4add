//! What every subcommand shares: output format, language, reading input files, exit codes.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use fupin::Policy;
use fupin_io::{DecodeOptions, Format as IoFormat, Source};

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
    pub file: Option<PathBuf>,
    /// Every problem, structured (path, code, message, exact value), when the error came from
    /// the library; empty otherwise.
    pub errors: Vec<fupin::FieldError>,
    /// The problem document for `--format json`, when it is not made of the above.
    pub problem: Option<Box<fupin_ops::Problem>>,
    /// The JSON output already reports the error (a batch's refused units): `main` prints no
    /// problem document.
    pub reported: bool,
}

impl CliError {
    /// Bad input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: BAD_INPUT,
            file: None,
            errors: Vec::new(),
            problem: None,
            reported: false,
        }
    }

    /// Bad input in a named file.
    pub fn in_file(path: &Path, err: impl fmt::Display) -> Self {
        Self {
            file: Some(path.to_owned()),
            ..Self::input(format!("{}: {err}", path.display()))
        }
    }

    /// A problem document about a named file (a batch stopped at a refused unit).
    pub fn problem(path: &Path, problem: fupin_ops::Problem) -> Self {
        let base = Self::in_file(path, &problem.detail);
        Self {
            problem: Some(Box::new(problem.at(path.display().to_string()))),
            ..base
        }
    }

    /// The error as RFC 9457 problem details (what `--format json` prints): every field error,
    /// the file in `instance`.
    #[must_use]
    pub fn to_problem(&self) -> fupin_ops::Problem {
        if let Some(p) = &self.problem {
            return (**p).clone();
        }
        let p = fupin_ops::Problem::invalid(self.message.clone(), self.errors.clone());
        match &self.file {
            Some(file) => p.at(file.display().to_string()),
            None => p,
        }
    }

    /// The same error with `what: ` put before its message (the option or section it is in).
    #[must_use]
    pub fn prefixed(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
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
    let text = args.to_string();
    match std::io::stdout()
        .lock()
        .write_all(terminal_safe(&text).as_bytes())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::quiet()),
        Err(e) => Err(CliError::input(format!("cannot write the output: {e}"))),
    }
}

/// Output with every control character but line breaks and tabs shown as its escape: the
/// last line of defence, so that no text from input (an actor named `"\u{1b}[2J…"`) can act
/// on the terminal, whatever the subcommand. JSON never holds them raw, so it passes as is.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && c != '\t' && fupin::render::is_unsafe_char(c);
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&fupin::render::escape_text(c.encode_utf8(&mut [0; 4])));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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

    /// Write a JSON document (versioned, as [`fupin_ops::to_json`] writes it, byte for
    /// byte) to `-o FILE` or standard output as it is serialised: through a buffer, never
    /// held whole in memory.
    pub fn emit_json<T: serde::Serialize + ?Sized>(&self, value: &T) -> Result<(), CliError> {
        match self.output.as_deref().filter(|p| *p != Path::new("-")) {
            Some(path) => {
                let cannot =
                    |e: &dyn fmt::Display| CliError::in_file(path, format!("cannot write: {e}"));
                let file = std::fs::File::create(path).map_err(|e| cannot(&e))?;
                write_json(std::io::BufWriter::new(file), value).map_err(|e| cannot(&e))
            }
            None => print_json(value),
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

/// An input as read: text in one of the text formats, or a workbook's bytes.
#[derive(Debug)]
pub enum Input {
    /// Decoded text and its format.
    Text(String, IoFormat),
    /// The bytes of a workbook (`fupin_xlsx` reads them).
    Workbook(Vec<u8>),
}

/// Read an input file — or standard input for `-` — under the size cap, as text in one of
/// `allowed` formats, chosen by its content (see `fupin_io::detect_format`). CSV may be GBK
/// (a note on standard error says it was converted); other formats must be UTF-8.
pub fn read_input(path: &Path, allowed: &[IoFormat]) -> Result<(String, IoFormat), CliError> {
    text_only(path, read_with(path, allowed, None)?)
}

/// As [`read_input`], for the command's main input: `--input-format` chooses its format.
pub fn read_main_input(path: &Path, allowed: &[IoFormat]) -> Result<(String, IoFormat), CliError> {
    text_only(path, read_main(path, allowed)?)
}

/// The command's main input, which may be a workbook when `allowed` has
/// [`IoFormat::Workbook`] (told by its first bytes, or chosen by `--input-format xlsx`).
pub fn read_main(path: &Path, allowed: &[IoFormat]) -> Result<Input, CliError> {
    let forced = input_settings().format.map(IoFormat::from);
    if let Some(f) = forced
        && !allowed.contains(&f)
    {
        let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
        return Err(CliError::input(format!(
            "--input-format {f}: {} is read as {}",
            path.display(),
            names.join(" or ")
        )));
    }
    read_with(path, allowed, forced)
}

fn text_only(path: &Path, input: Input) -> Result<(String, IoFormat), CliError> {
    match input {
        Input::Text(text, format) => Ok((text, format)),
        Input::Workbook(_) => Err(CliError::input(format!(
            "{}: a workbook cannot be read here",
            path.display()
        ))),
    }
}

fn read_with(
    path: &Path,
    allowed: &[IoFormat],
    forced: Option<IoFormat>,
) -> Result<Input, CliError> {
    let source = Source::from_arg(path.as_os_str());
    if source == Source::Stdin && STDIN_TAKEN.swap(true, Ordering::SeqCst) {
        return Err(CliError::input(
            "standard input (`-`) can be given for one input only",
        ));
    }
    let io = |e: fupin_io::IoError| CliError {
        errors: vec![e.to_field_error()],
        file: Some(path.to_owned()),
        ..CliError::input(e.to_string())
    };
    let bytes = fupin_io::read_bytes(&source, input_settings().limits).map_err(io)?;
    // The format from the first bytes and the start of the text.
    let format = forced
        .unwrap_or_else(|| fupin_io::detect_bytes(&bytes, allowed, source.extension().as_deref()));
    if format == IoFormat::Workbook {
        return Ok(Input::Workbook(bytes));
    }
    if fupin_io::is_workbook(&bytes) {
        let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
        return Err(CliError::input(format!(
            "{}: the file is a workbook (xlsx, xls or ods); this input is read as {}",
            path.display(),
            names.join(" or ")
        )));
    }
    let options = DecodeOptions {
        gbk: format == IoFormat::Csv,
    };
    let text = fupin_io::decode(&source.to_string(), bytes, options).map_err(io)?;
    if let Some(note) = text.note() {
        eprintln!("note: {note}");
    }
    Ok(Input::Text(text.text, format))
}

/// The formats of a policy, plan data, schedule and similar files.
pub const TOML_OR_JSON: &[IoFormat] = &[IoFormat::Toml, IoFormat::Json];

/// The policy from `--policy FILE` (TOML or JSON, by content), or the embedded 2020 plan.
pub fn load_policy(path: Option<&PathBuf>) -> Result<Policy, CliError> {
    let Some(path) = path else {
        return Ok(Policy::chaoyang_2020());
    };
    let (text, format) = read_input(path, TOML_OR_JSON)?;
    policy_from(path, &text, format)
}

/// The policy file that is the command's main input (`fupin policy check`): `--input-format`
/// applies to it.
pub fn load_main_policy(path: &Path) -> Result<Policy, CliError> {
    let (text, format) = read_main_input(path, TOML_OR_JSON)?;
    policy_from(path, &text, format)
}

fn policy_from(path: &Path, text: &str, format: IoFormat) -> Result<Policy, CliError> {
    let policy = if format == IoFormat::Json {
        Policy::from_json(text)
    } else {
        Policy::from_toml(text)
    };
    policy.map_err(|e| CliError::file(path, e))
}

/// Print a document of the JSON contract: pretty, with its `"format"` version first
/// (`fupin_ops::to_json`, the same bytes the service answers with).
///
/// The document is written as it is serialised (through a buffer on standard output), never
/// held whole: `fupin score --format json` on many units needs no memory for its text.
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match write_json(out, value) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::quiet()),
        Err(e) => Err(CliError::input(format!("cannot write the output: {e}"))),
    }
}

/// The bytes of [`fupin_ops::to_json`] written to `out` as they are produced: pretty JSON
/// with the contract's `"format"` first and a final newline. Characters a terminal would act
/// on (see [`terminal_safe`]) are written as JSON escapes (`\u001b`), so the text stays JSON.
fn write_json<W: std::io::Write, T: serde::Serialize + ?Sized>(
    mut out: W,
    value: &T,
) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeJson::default());
    serde::Serialize::serialize(&fupin_ops::Versioned::new(value), &mut ser)
        .map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// serde_json's pretty formatter (two-space indent, as the contract writes), escaping in
/// strings what [`terminal_safe`] would escape in text.
#[derive(Default)]
struct SafeJson(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeJson {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        if !fragment.chars().any(fupin::render::is_unsafe_char) {
            return w.write_all(fragment.as_bytes());
        }
        for c in fragment.chars() {
            if fupin::render::is_unsafe_char(c) {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
            } else {
                w.write_all(c.encode_utf8(&mut [0; 4]).as_bytes())?;
            }
        }
        Ok(())
    }
}

/// A workbook could not be assembled (a bug: every result can be written).
pub fn xlsx_error(e: &fupin_xlsx::Error) -> CliError {
    CliError::input(e.to_string())
}

/// A workbook given as input cannot be read: every bad cell, named by sheet, cell and value.
pub fn workbook_error(path: &Path, e: &fupin_xlsx::Error) -> CliError {
    CliError {
        file: Some(path.to_owned()),
        errors: e.field_errors(),
        ..CliError::in_file(path, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Doc {
        unit: &'static str,
        points: Vec<&'static str>,
    }

    #[test]
    fn streamed_json_is_the_contract_text_byte_for_byte() {
        let doc = Doc {
            unit: "甲县",
            points: vec!["1.5", "2"],
        };
        let mut out = Vec::new();
        write_json(&mut out, &doc).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), fupin_ops::to_json(&doc));
    }

    #[test]
    fn streamed_json_escapes_what_a_terminal_would_act_on_and_stays_json() {
        let doc = Doc {
            unit: "\u{1b}[2J\u{7f}\u{202e}x",
            points: vec![],
        };
        let mut out = Vec::new();
        write_json(&mut out, &doc).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(terminal_safe(&text), text.as_str());
        assert!(text.contains(r"\u001b[2J\u007f\u202ex"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["unit"], "\u{1b}[2J\u{7f}\u{202e}x");
    }
}
