//! Errors of reading and writing workbooks: every bad cell named by its sheet, its address and
//! its value.

use std::fmt;

use crate::cell::CellRef;

/// One bad cell: where it is, what it holds, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// The sheet's name.
    pub sheet: String,
    /// The cell (`D7`).
    pub cell: CellRef,
    /// The column's canonical name (`allocated`), or its header as written for a header
    /// problem.
    pub column: String,
    /// The cell's value exactly as read (a number cell as its 15-digit decimal text).
    pub value: String,
    /// A short snake_case code: `empty`, `invalid_amount`, `invalid_number`, `invalid_month`,
    /// `unknown_county`, `negative`, `out_of_range`, `duplicate_key`, `cell_error`,
    /// `unknown_column`, `no_header`, `invalid`.
    pub code: &'static str,
    /// What is wrong, for a person.
    pub message: String,
}

impl CellProblem {
    /// Where the cell is, as Excel writes it: `台账!D7` (the sheet quoted when it has spaces or
    /// punctuation: `'Sheet 1'!D7`).
    #[must_use]
    pub fn reference(&self) -> String {
        let plain = self
            .sheet
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii());
        if plain && !self.sheet.is_empty() {
            format!("{}!{}", self.sheet, self.cell)
        } else {
            format!("'{}'!{}", self.sheet.replace('\'', "''"), self.cell)
        }
    }
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sheet `{}`, cell {} (`{}`), value `{}`: {}",
            self.sheet, self.cell, self.column, self.value, self.message
        )
    }
}

/// Why a workbook could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a workbook (xlsx, xlsm, xlsb, xls, ods) that can be read.
    #[error("{what}: not a workbook that can be read (xlsx, xlsm, xlsb, xls or ods): {message}")]
    Workbook {
        /// What was being read: `ledger`, `county figures`, `scores`.
        what: &'static str,
        /// Why.
        message: String,
    },
    /// The workbook unpacks to more than the limit (a compressed file can expand a thousandfold).
    #[error(
        "{what}: the workbook unpacks to more than {limit} bytes ({entry}); split it or raise the limit"
    )]
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// The part of the workbook that is too large.
        entry: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// No sheet has a header row with the required columns.
    #[error(
        "{what}: no sheet has a header row with the columns {required} in its first {searched} rows (sheets: {sheets}); \
         headers may be in Chinese or English, e.g. {example}"
    )]
    NoTable {
        /// What was being read.
        what: &'static str,
        /// The required columns.
        required: String,
        /// How many rows of each sheet were searched for the header.
        searched: usize,
        /// The sheets of the workbook, each with the header it seemed to have.
        sheets: String,
        /// An example header row.
        example: &'static str,
    },
    /// Cells that cannot be read — every one found, in sheet order.
    #[error("{what}: {}", list(.problems))]
    Cells {
        /// What was being read.
        what: &'static str,
        /// Every bad cell (at least one).
        problems: Vec<CellProblem>,
    },
    /// The rules refused the table as a whole (not one cell): a bad unit list, an overflow.
    #[error("{what}: {message}")]
    Rules {
        /// What was being read.
        what: &'static str,
        /// The rules' message.
        message: String,
    },
    /// A workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Write(String),
}

fn list(problems: &[CellProblem]) -> String {
    match problems {
        [] => "no cell".to_owned(),
        [one] => one.to_string(),
        [first, rest @ ..] => {
            let mut s = first.to_string();
            for p in rest.iter().take(9) {
                s.push_str("; ");
                s.push_str(&p.to_string());
            }
            if rest.len() > 9 {
                s.push_str(&format!("; and {} more", rest.len() - 9));
            }
            s
        }
    }
}

impl Error {
    /// Every bad cell, when the error is about cells.
    #[must_use]
    pub fn problems(&self) -> &[CellProblem] {
        match self {
            Self::Cells { problems, .. } => problems,
            _ => &[],
        }
    }

    /// A short snake_case code for the error as a whole.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Workbook { .. } => "not_a_workbook",
            Self::TooLarge { .. } => "too_large",
            Self::NoTable { .. } => "no_table",
            Self::Cells { problems, .. } => problems.first().map_or("invalid", |p| p.code),
            Self::Rules { .. } => "invalid",
            Self::Write(_) => "write_failed",
        }
    }
}

impl Error {
    /// The problems as the library's structured field errors: one per bad cell, its path the
    /// cell as Excel writes it (`台账!D7`), its value exactly as read; one for an error about the
    /// workbook as a whole (empty path).
    #[must_use]
    pub fn field_errors(&self) -> Vec<fupin::FieldError> {
        match self {
            Self::Cells { problems, .. } => problems
                .iter()
                .map(|p| {
                    fupin::FieldError::coded(
                        fupin::ErrorCode::new(p.code),
                        p.reference(),
                        Some(p.value.clone()),
                        if p.column.is_empty() {
                            p.message.clone()
                        } else {
                            format!("`{}`: {}", p.column, p.message)
                        },
                    )
                })
                .collect(),
            other => vec![fupin::FieldError::coded(
                fupin::ErrorCode::new(other.code()),
                "",
                None,
                other.to_string(),
            )],
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for Error {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        Self::Write(e.to_string())
    }
}
