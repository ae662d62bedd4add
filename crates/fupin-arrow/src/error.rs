//! What can go wrong with a table: a column, a cell, or a row the rules refuse.

use std::fmt;

use arrow_schema::DataType;

/// A table that cannot be read, or a row the rules refuse. Messages name the column, the
/// (0-based) row and the value as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A column the function needs is not in the table.
    #[error("column `{column}` is missing: expected {expected}; the table has {}", available.join(", "))]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The types it may have.
        expected: &'static str,
        /// The columns the table has.
        available: Vec<String>,
    },
    /// A column has a type that cannot hold what it should (a float for money, say).
    #[error(
        "column `{column}` has type {found}: expected {expected}{}",
        float_hint(found)
    )]
    ColumnType {
        /// The column.
        column: String,
        /// Its type.
        found: DataType,
        /// The types it may have.
        expected: &'static str,
    },
    /// One cell is null, unreadable, too precise or out of range.
    #[error("{}", CellMessage { row: *row, column, value: value.as_deref(), problem })]
    Cell {
        /// 0-based row.
        row: usize,
        /// The column.
        column: String,
        /// The value as given, when there is one (a null has none).
        value: Option<String>,
        /// What is wrong with it.
        problem: String,
    },
    /// The rules refuse one row (its figures are valid cells but not valid input).
    #[error("row {row}{}: {source}", unit.as_ref().map(|u| format!(" (unit `{u}`)")).unwrap_or_default())]
    Row {
        /// 0-based row.
        row: usize,
        /// The row's unit, when the table names units.
        unit: Option<String>,
        /// What the rules say.
        source: Box<fupin::Error>,
    },
    /// The rules refuse the table as a whole (duplicate names, an unknown county, …).
    #[error(transparent)]
    Core(Box<fupin::Error>),
    /// A result does not fit its column's type (an amount with more than 8 decimal places,
    /// say), named with its row and value.
    #[error("row {row}: `{column}` = {value} {problem}")]
    Output {
        /// 0-based row of the output.
        row: usize,
        /// The output column.
        column: String,
        /// The exact value.
        value: String,
        /// Why it does not fit.
        problem: String,
    },
    /// Arrow refused to assemble the result (a bug of this crate if it ever happens).
    #[error("cannot build the result table: {0}")]
    Build(String),
}

impl From<fupin::Error> for Error {
    fn from(e: fupin::Error) -> Self {
        Self::Core(Box::new(e))
    }
}

impl Error {
    /// The 0-based row the error is about, if it is about one.
    #[must_use]
    pub fn row(&self) -> Option<usize> {
        match self {
            Self::Cell { row, .. } | Self::Row { row, .. } | Self::Output { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// The column the error is about, if it is about one.
    #[must_use]
    pub fn column(&self) -> Option<&str> {
        match self {
            Self::MissingColumn { column, .. }
            | Self::ColumnType { column, .. }
            | Self::Cell { column, .. }
            | Self::Output { column, .. } => Some(column),
            _ => None,
        }
    }

    /// The offending value as given, if there is one.
    #[must_use]
    pub fn value(&self) -> Option<&str> {
        match self {
            Self::Cell { value, .. } => value.as_deref(),
            Self::Output { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The core's error, for a row or a table the rules refuse.
    #[must_use]
    pub fn core(&self) -> Option<&fupin::Error> {
        match self {
            Self::Row { source, .. } | Self::Core(source) => Some(source.as_ref()),
            _ => None,
        }
    }

    /// A cell whose `text` the core refused with `message` (which, quoting the text first as
    /// the core's messages do, reads on after it: "`7,5` is not a decimal number").
    pub(crate) fn refused(row: usize, column: &str, text: &str, message: &str) -> Self {
        let quoted = format!("`{}` ", text.trim());
        let problem = message.strip_prefix(&quoted).unwrap_or(message);
        Self::cell(row, column, Some(format!("{text:?}")), problem)
    }

    pub(crate) fn cell(
        row: usize,
        column: &str,
        value: Option<String>,
        problem: impl Into<String>,
    ) -> Self {
        Self::Cell {
            row,
            column: column.to_owned(),
            value,
            problem: problem.into(),
        }
    }

    /// The core's error for `row` (and its unit, if the table names units).
    pub(crate) fn row_error(row: usize, unit: Option<String>, e: impl Into<fupin::Error>) -> Self {
        Self::Row {
            row,
            unit,
            source: Box::new(e.into()),
        }
    }

    pub(crate) fn build(e: impl fmt::Display) -> Self {
        Self::Build(e.to_string())
    }
}

fn float_hint(t: &DataType) -> &'static str {
    if matches!(t, DataType::Float16 | DataType::Float32 | DataType::Float64) {
        "; floats are not exact: cast the column to decimal128 (pa.decimal128(38, 2)) or to strings"
    } else {
        ""
    }
}

struct CellMessage<'a> {
    row: usize,
    column: &'a str,
    value: Option<&'a str>,
    problem: &'a str,
}

impl fmt::Display for CellMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}: `{}`", self.row, self.column)?;
        if let Some(v) = self.value {
            write!(f, " = {v}")?;
        }
        write!(f, " {}", self.problem)
    }
}
