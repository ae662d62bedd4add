//! The one reader of given documents: bytes and a name (and the format, when the face was told
//! it) to the typed values the operations take.
//!
//! Every face reads every input here: the command line a file or standard input (read under
//! its size cap by `fupin-io`), the service an uploaded part of a form, Python a path or
//! bytes. So a file has one outcome on every path:
//!
//! - bytes → text by `fupin-io` ([`decode`]): UTF-8 (a byte-order mark dropped), UTF-16 refused
//!   with a how-to, GBK/GB18030 only for CSV (with a note saying it was converted); the format
//!   told by the content ([`fupin_io::detect_bytes`]), a format given explicitly always
//!   winning but refused where the kind of document is not read in it; a workbook where text is
//!   read refused by name;
//! - text → the typed value by the core's own reader (`Policy::from_json`, `PlanData::from_toml`,
//!   `LedgerTotals::from_csv`, …), which refuses a key given twice, a second document, floats
//!   where a decimal is expected, and names every invalid field;
//! - workbooks by `fupin-xlsx`, every bad cell named by sheet, cell and value.
//!
//! Problems about a file are located in it ([`Problem::in_file`]). Request bodies are read by
//! [`request_json`] (and [`request_from`] for other media) with the same rules. This module does
//! no I/O: the bytes are the face's.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use fupin::Policy;
use fupin::approval::Registry;
use fupin::assessment::{Scorecard, UnitsInput};
use fupin::audit::{Anchor, Event};
use fupin::cases::CaseFile;
use fupin::data::PlanData;
use fupin::projects::{InspectionWeights, ProjectLibrary};
use fupin::spending::{AllocationPolicy, Schedule};
use fupin::tasks::TasksInput;
use fupin::years::YearEndLink;
use fupin_io::{DecodeOptions, Format};

use crate::problem::Problem;

mod args;
pub(crate) mod member;
mod plan;
mod request;
pub mod wire;

pub use args::{BaseWeight, CardArg, LedgerArg, ScoreInputsArg, TasksArg};
pub use request::{request_from, request_json};

/// The kinds of document the operations take, each read in its own formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A policy (TOML or JSON; an overlay with `extends`).
    Policy,
    /// A year's plan data (TOML or JSON; `last_year_from`).
    PlanData,
    /// A scorecard (TOML or JSON).
    Scorecard,
    /// Units' scores on a card (JSON: one object or an array; a workbook).
    ScoreInputs,
    /// Task-table figures (JSON or TOML; a workbook of the task actuals).
    TasksInput,
    /// Units' scores per card for the whole assessment (TOML or JSON).
    UnitsInput,
    /// A spending ledger (CSV, JSON rows, a workbook).
    Ledger,
    /// Required progress by date (TOML or JSON).
    Schedule,
    /// Reward and penalty parameters of the allocation (TOML or JSON).
    AllocationParams,
    /// Base weights, `county,base` (CSV).
    BaseWeights,
    /// The year-end link's parameters (TOML or JSON).
    YearEndLink,
    /// What was done when, for the calendar (TOML or JSON).
    DoneList,
    /// The registry of actors (TOML or JSON).
    Registry,
    /// An approval-chain log (JSON Lines).
    Log,
    /// Recorded heads, `COUNT HASH` a line (text).
    Anchors,
    /// Policy case files (TOML with `[[cases]]`).
    CaseFile,
    /// A county's project library (JSON or TOML).
    Library,
    /// The mid-year inspection's weights (TOML or JSON).
    InspectionWeights,
}

const TOML_JSON: &[Format] = &[Format::Toml, Format::Json];

impl Kind {
    /// Every kind.
    pub const ALL: &'static [Self] = &[
        Self::Policy,
        Self::PlanData,
        Self::Scorecard,
        Self::ScoreInputs,
        Self::TasksInput,
        Self::UnitsInput,
        Self::Ledger,
        Self::Schedule,
        Self::AllocationParams,
        Self::BaseWeights,
        Self::YearEndLink,
        Self::DoneList,
        Self::Registry,
        Self::Log,
        Self::Anchors,
        Self::CaseFile,
        Self::Library,
        Self::InspectionWeights,
    ];

    /// The formats the kind is read in (empty: plain text).
    #[must_use]
    pub const fn formats(self) -> &'static [Format] {
        match self {
            Self::ScoreInputs => &[Format::Json, Format::Workbook],
            Self::TasksInput => &[Format::Json, Format::Toml, Format::Workbook],
            Self::Ledger => &[Format::Csv, Format::Json, Format::Workbook],
            Self::BaseWeights => &[Format::Csv],
            Self::Log => &[Format::Jsonl],
            Self::Anchors => &[],
            Self::CaseFile => &[Format::Toml],
            Self::Policy
            | Self::PlanData
            | Self::Scorecard
            | Self::UnitsInput
            | Self::Schedule
            | Self::AllocationParams
            | Self::YearEndLink
            | Self::DoneList
            | Self::Registry
            | Self::Library
            | Self::InspectionWeights => TOML_JSON,
        }
    }

    /// What the document is, for messages.
    #[must_use]
    pub const fn what(self) -> &'static str {
        match self {
            Self::Policy => "policy",
            Self::PlanData => "plan data",
            Self::Scorecard => "scorecard",
            Self::ScoreInputs => "units' scores",
            Self::TasksInput => "task figures",
            Self::UnitsInput => "units' scores per card",
            Self::Ledger => "ledger",
            Self::Schedule => "schedule",
            Self::AllocationParams => "allocation parameters",
            Self::BaseWeights => "base weights",
            Self::YearEndLink => "year-end link",
            Self::DoneList => "list of what was done",
            Self::Registry => "registry",
            Self::Log => "approval log",
            Self::Anchors => "recorded heads",
            Self::CaseFile => "case file",
            Self::Library => "project library",
            Self::InspectionWeights => "inspection weights",
        }
    }
}

/// A document as a face holds it: its bytes, its name (a path as given, `<stdin>`, a form
/// part's file name) and, when the face was told it, its format.
#[derive(Debug, Clone)]
pub struct Given {
    /// The name, for messages and for the extension that settles an ambiguous first line.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The format, when the face was told it (the command's `--input-format`).
    pub format: Option<Format>,
}

impl Given {
    /// A document by its name and bytes, its format told by its content.
    #[must_use]
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            name: name.into(),
            bytes: bytes.into(),
            format: None,
        }
    }

    /// The same document in a format given explicitly.
    #[must_use]
    pub const fn with_format(mut self, format: Option<Format>) -> Self {
        self.format = format;
        self
    }

    fn extension(&self) -> Option<String> {
        Path::new(&self.name)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
    }
}

/// A document's content after [`decode`].
#[derive(Debug, Clone)]
pub enum Content {
    /// Text, and its format (`None` for plain text: recorded heads).
    Text(String, Option<Format>),
    /// A workbook's bytes (read by `fupin-xlsx`).
    Workbook(Vec<u8>),
}

/// A document decoded: its name, its content, and a note for a person when its bytes were
/// converted (GBK CSV).
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The name it was given with.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Its text or workbook.
    pub content: Content,
    /// Said when the bytes were not UTF-8 and were converted.
    pub note: Option<String>,
}

fn names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Decode a given document of `kind`: its format (given, or told by its content), its text
/// (UTF-8; GBK for CSV), or a workbook's bytes.
///
/// # Errors
/// A format given that the kind is not read in; a workbook where text is read; bytes that are
/// not text in an allowed encoding — each naming the document.
pub fn decode(kind: Kind, given: Given) -> Result<Decoded, Problem> {
    let allowed = kind.formats();
    let ext = given.extension();
    let format = match given.format {
        Some(f) if !allowed.contains(&f) => {
            return Err(Problem::invalid(
                format!(
                    "{} is read as {}, not {f} (the {} is)",
                    given.name,
                    names(allowed),
                    kind.what()
                ),
                vec![crate::problem::field(
                    "invalid",
                    "(file)",
                    Some(f.name().to_owned()),
                    format!("the {} is read as {}", kind.what(), names(allowed)),
                )],
            )
            .at(given.name));
        }
        Some(f) => Some(f),
        None if allowed.is_empty() => None,
        None => Some(fupin_io::detect_bytes(
            &given.bytes,
            allowed,
            ext.as_deref(),
        )),
    };
    if format == Some(Format::Workbook) {
        return Ok(Decoded {
            name: given.name,
            kind,
            content: Content::Workbook(given.bytes),
            note: None,
        });
    }
    if fupin_io::is_workbook(&given.bytes) {
        let message = format!(
            "the file is a workbook (xlsx, xls or ods); the {} is read as {}",
            kind.what(),
            if allowed.is_empty() {
                "text".to_owned()
            } else {
                names(allowed)
            }
        );
        return Err(Problem::invalid(
            message.clone(),
            vec![crate::problem::field("invalid", "(file)", None, message)],
        )
        .in_file(&given.name));
    }
    let options = DecodeOptions {
        gbk: format == Some(Format::Csv),
    };
    let name = given.name;
    let text = fupin_io::decode(&name, given.bytes, options)
        .map_err(|e| Problem::invalid(e.to_string(), vec![e.to_field_error()]).at(name.clone()))?;
    let note = text.note();
    Ok(Decoded {
        name,
        kind,
        content: Content::Text(text.text, format),
        note,
    })
}

/// [`decode`] then the kind's reader, for the kinds read without context ([`Readable`]).
///
/// # Errors
/// As [`decode`] and the reader.
pub fn read<T: Readable>(given: Given) -> Result<T, Problem> {
    T::read(&decode(T::KIND, given)?)
}

/// A document read from a [`Decoded`] alone.
pub trait Readable: Sized {
    /// Its kind.
    const KIND: Kind;
    /// Read it.
    ///
    /// # Errors
    /// Every problem of the document, located in it.
    fn read(d: &Decoded) -> Result<Self, Problem>;
}

impl Decoded {
    /// The text and its format.
    ///
    /// # Errors
    /// The document is a workbook (never for kinds not read from one).
    pub fn text(&self) -> Result<(&str, Option<Format>), Problem> {
        match &self.content {
            Content::Text(t, f) => Ok((t, *f)),
            Content::Workbook(_) => Err(Problem::invalid(
                format!("{}: a workbook cannot be read here", self.name),
                vec![],
            )
            .at(self.name.clone())),
        }
    }

    /// A core error about this document, located in it.
    #[must_use]
    pub fn problem(&self, e: impl Into<fupin::Error>) -> Problem {
        Problem::from(e.into()).in_file(&self.name)
    }

    fn field_problem(&self, e: fupin::FieldErrors) -> Problem {
        Problem::invalid(e.to_string(), e.into_iter().collect()).in_file(&self.name)
    }

    fn is_json(&self) -> Result<(&str, bool), Problem> {
        let (text, format) = self.text()?;
        Ok((text, format == Some(Format::Json)))
    }

    /// Plan data, the last-year figures of `last_year_from` taken from an embedded year
    /// (`"2020"`) or, for another reference (a path), from `prior` (the face reads the file;
    /// a face that reads no file refuses it).
    ///
    /// # Errors
    /// Every problem of the data, located in it; a reference `prior` refuses.
    pub fn plan_data_with(
        &self,
        prior: &mut dyn FnMut(&str) -> Result<PlanData, Problem>,
    ) -> Result<PlanData, Problem> {
        let (text, json) = self.is_json()?;
        plan::plan_data_text(text, json, prior).map_err(|p| {
            if p.instance.is_some() {
                p
            } else {
                p.in_file(&self.name)
            }
        })
    }

    /// Units' scores: JSON units, or a workbook read later against the card.
    ///
    /// # Errors
    /// Every problem of the JSON.
    pub fn score_inputs(&self) -> Result<ScoreInputsArg, Problem> {
        match &self.content {
            Content::Workbook(bytes) => Ok(ScoreInputsArg::Workbook(bytes.clone())),
            Content::Text(text, _) => fupin::assessment::ScoreInput::many_from_json(text)
                .map(ScoreInputsArg::Units)
                .map_err(|e| self.problem(e)),
        }
    }

    /// Task figures: JSON or TOML, or a workbook of the task actuals read later against the
    /// policy's tasks.
    ///
    /// # Errors
    /// Every problem of the text.
    pub fn tasks_input(&self) -> Result<TasksArg, Problem> {
        match &self.content {
            Content::Workbook(bytes) => Ok(TasksArg::Workbook {
                name: self.name.clone(),
                bytes: bytes.clone(),
            }),
            Content::Text(text, format) => if *format == Some(Format::Toml) {
                fupin::tasks::TasksInput::from_toml(text)
            } else {
                fupin::tasks::TasksInput::from_json(text)
            }
            .map(|t| TasksArg::Input(Box::new(t)))
            .map_err(|e| self.problem(e)),
        }
    }

    /// A ledger: its text (read row by row by the operation, for the policy's year and the
    /// data's units) or a workbook's bytes.
    #[must_use]
    pub fn ledger(&self) -> LedgerArg {
        match &self.content {
            Content::Workbook(bytes) => LedgerArg::Workbook(bytes.clone()),
            Content::Text(text, Some(Format::Json)) => LedgerArg::Json(text.clone()),
            Content::Text(text, _) => LedgerArg::Csv(text.clone()),
        }
    }

    /// A ledger, taking the text out of the document (a large ledger is not copied).
    #[must_use]
    pub fn into_ledger(self) -> LedgerArg {
        match self.content {
            Content::Workbook(bytes) => LedgerArg::Workbook(bytes),
            Content::Text(text, Some(Format::Json)) => LedgerArg::Json(text),
            Content::Text(text, _) => LedgerArg::Csv(text),
        }
    }
}

macro_rules! toml_or_json {
    ($($t:ty => $kind:ident;)*) => {
        $(impl Readable for $t {
            const KIND: Kind = Kind::$kind;
            fn read(d: &Decoded) -> Result<Self, Problem> {
                let (text, json) = d.is_json()?;
                if json { <$t>::from_json(text) } else { <$t>::from_toml(text) }
                    .map_err(|e| d.problem(e))
            }
        })*
    };
}

toml_or_json! {
    Policy => Policy;
    TasksInput => TasksInput;
    Scorecard => Scorecard;
    UnitsInput => UnitsInput;
    Schedule => Schedule;
    AllocationPolicy => AllocationParams;
    YearEndLink => YearEndLink;
}

impl Readable for Registry {
    const KIND: Kind = Kind::Registry;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, json) = d.is_json()?;
        if json {
            Self::from_json(text)
        } else {
            Self::from_toml(text)
        }
        .map_err(|e| Problem::invalid(e.to_string(), e.problems).in_file(&d.name))
    }
}

impl Readable for PlanData {
    const KIND: Kind = Kind::PlanData;
    /// Plan data whose `last_year_from` names an embedded year (a path is refused: see
    /// [`Decoded::plan_data_with`]).
    fn read(d: &Decoded) -> Result<Self, Problem> {
        d.plan_data_with(&mut plan::no_prior_file)
    }
}

/// What was done when, by obligation key (the calendar's `done`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done(pub BTreeMap<String, NaiveDate>);

impl Readable for Done {
    const KIND: Kind = Kind::DoneList;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, json) = d.is_json()?;
        if json {
            fupin::calendar::DoneList::from_json(text)
        } else {
            fupin::calendar::DoneList::from_toml(text)
        }
        .map(|l| Self(l.done))
        .map_err(|e| d.problem(e))
    }
}

/// Base weights, one per unit (a CSV file `county,base`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseWeights(pub Vec<BaseWeight>);

impl Readable for BaseWeights {
    const KIND: Kind = Kind::BaseWeights;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, _) = d.text()?;
        fupin::spending::allocation::base_from_csv(text)
            .map(|rows| {
                Self(
                    rows.into_iter()
                        .map(|(county, base)| BaseWeight { county, base })
                        .collect(),
                )
            })
            .map_err(|e| d.problem(e))
    }
}

/// An approval log's events (JSON Lines).
#[derive(Debug, Clone, Default)]
pub struct Log(pub Vec<Event>);

impl Readable for Log {
    const KIND: Kind = Kind::Log;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, _) = d.text()?;
        fupin::audit::from_jsonl(text)
            .map(Self)
            .map_err(|e| d.problem(e))
    }
}

/// Recorded heads (`COUNT HASH` a line).
#[derive(Debug, Clone, Default)]
pub struct Anchors(pub Vec<Anchor>);

impl Readable for Anchors {
    const KIND: Kind = Kind::Anchors;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, _) = d.text()?;
        fupin::audit::parse_anchors(text).map(Self).map_err(|e| {
            Problem::invalid(
                e.clone(),
                vec![crate::problem::field("invalid", "(file)", None, e)],
            )
            .in_file(&d.name)
        })
    }
}

impl Readable for CaseFile {
    const KIND: Kind = Kind::CaseFile;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, _) = d.text()?;
        Self::from_toml(text).map_err(|e| d.problem(e))
    }
}

impl Readable for ProjectLibrary {
    const KIND: Kind = Kind::Library;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, json) = d.is_json()?;
        if json {
            fupin::load::from_json(text)
        } else {
            fupin::load::from_toml(text)
        }
        .map_err(|e| d.field_problem(e))
    }
}

impl Readable for InspectionWeights {
    const KIND: Kind = Kind::InspectionWeights;
    fn read(d: &Decoded) -> Result<Self, Problem> {
        let (text, json) = d.is_json()?;
        if json {
            fupin::load::from_json(text)
        } else {
            fupin::load::from_toml(text)
        }
        .map_err(|e| d.field_problem(e))
    }
}
