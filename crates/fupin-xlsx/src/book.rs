//! Opening a workbook from its bytes and reading its sheets as sparse rows of typed cells.

use std::io::Cursor;

use calamine::{Data, DataRef, ExcelDateTime, Ods, Reader, Xls, Xlsb, Xlsx};

use crate::Error;
use crate::cell::number_text;

/// The most a workbook may unpack to by default: 256 MiB (a ledger of a million rows is about
/// 200 MiB of sheet XML).
pub const DEFAULT_UNPACKED_LIMIT: u64 = 256 * 1024 * 1024;

/// What a cell holds, as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Text as typed.
    Text(String),
    /// A number (shown as its 15-digit decimal text).
    Number(f64),
    /// A whole number (xls and ods store some numbers so).
    Int(i64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date or a date and time, as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`; `first_of_month`
    /// when it is midnight on the 1st (what Excel makes of a typed `2020-06`).
    Date { text: String, first_of_month: bool },
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl Value {
    /// The value as text: a number as Excel shows it (15 significant digits).
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Text(s) | Self::Error(s) => s.clone(),
            Self::Number(f) => number_text(*f).unwrap_or_else(|| f.to_string()),
            Self::Int(i) => i.to_string(),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Self::Date { text, .. } => text.clone(),
        }
    }

    /// Whether the cell holds nothing a person would see (blank text counts as empty).
    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, Self::Text(s) if s.trim().is_empty())
    }
}

/// One row of a sheet: its 0-based number and its non-empty cells by 0-based column.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetRow {
    pub row: u32,
    pub cells: Vec<(u32, Value)>,
}

/// A sheet: its name and its rows that hold something, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub name: String,
    pub rows: Vec<SheetRow>,
}

/// A workbook read into memory: every sheet's cells, typed, without the workbook's formatting.
///
/// # Example
/// ```
/// let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ledger_2020.xlsx"))?;
/// assert!(fupin_xlsx::is_workbook(&bytes));
/// let book = fupin_xlsx::Workbook::from_bytes("ledger", &bytes)?;
/// assert_eq!(book.sheet_names(), ["台账"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Workbook {
    pub(crate) what: &'static str,
    pub(crate) sheets: Vec<Sheet>,
}

pub use fupin_io::is_workbook;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn is_ods(bytes: &[u8]) -> bool {
    // An OpenDocument file stores an uncompressed `mimetype` entry first.
    bytes.get(30..38) == Some(b"mimetype")
        && bytes
            .get(38..90)
            .is_some_and(|b| b.windows(11).any(|w| w == b"opendocumen"))
}

fn is_xlsb(bytes: &[u8]) -> bool {
    // Cheap: the binary workbook part's name appears in the zip directory.
    bytes.windows(15).any(|w| w == b"xl/workbook.bin")
}

impl Workbook {
    /// Read a workbook (xlsx, xlsm, xlsb, xls or ods) from its bytes; `what` names it in errors
    /// (`ledger`, `scores`). Unpacking is limited to [`DEFAULT_UNPACKED_LIMIT`].
    ///
    /// # Errors
    /// [`Error::Workbook`] for bytes that are not a readable workbook; [`Error::TooLarge`].
    pub fn from_bytes(what: &'static str, bytes: &[u8]) -> Result<Self, Error> {
        Self::from_bytes_with_limit(what, bytes, DEFAULT_UNPACKED_LIMIT)
    }

    /// [`Workbook::from_bytes`] with a limit on the unpacked size in bytes.
    ///
    /// # Errors
    /// As [`Workbook::from_bytes`].
    pub fn from_bytes_with_limit(
        what: &'static str,
        bytes: &[u8],
        limit: u64,
    ) -> Result<Self, Error> {
        let bad = |message: String| Error::Workbook { what, message };
        let sheets = if bytes.starts_with(&OLE_MAGIC) {
            let mut book: Xls<Cursor<&[u8]>> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e: calamine::XlsError| bad(e.to_string()))?;
            dense_sheets(&mut book, &bad)?
        } else if bytes.starts_with(b"PK\x03\x04") {
            check_unpacked_size(what, bytes, limit)?;
            if is_ods(bytes) {
                let mut book: Ods<Cursor<&[u8]>> =
                    calamine::open_workbook_from_rs(Cursor::new(bytes))
                        .map_err(|e: calamine::OdsError| bad(e.to_string()))?;
                dense_sheets(&mut book, &bad)?
            } else if is_xlsb(bytes) {
                let mut book: Xlsb<Cursor<&[u8]>> =
                    calamine::open_workbook_from_rs(Cursor::new(bytes))
                        .map_err(|e: calamine::XlsbError| bad(e.to_string()))?;
                dense_sheets(&mut book, &bad)?
            } else {
                let mut book: Xlsx<Cursor<&[u8]>> =
                    calamine::open_workbook_from_rs(Cursor::new(bytes))
                        .map_err(|e: calamine::XlsxError| bad(e.to_string()))?;
                xlsx_sheets(&mut book, &bad)?
            }
        } else {
            return Err(bad(
                "the file does not start like a workbook (a zip archive or an OLE file)".to_owned(),
            ));
        };
        Ok(Self { what, sheets })
    }

    /// The names of the sheets, in the workbook's order.
    #[must_use]
    pub fn sheet_names(&self) -> Vec<&str> {
        self.sheets.iter().map(|s| s.name.as_str()).collect()
    }
}

fn check_unpacked_size(what: &'static str, bytes: &[u8], limit: u64) -> Result<(), Error> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::Workbook {
        what,
        message: format!("not a readable zip archive: {e}"),
    })?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| Error::Workbook {
            what,
            message: format!("entry {i} of the archive: {e}"),
        })?;
        total = total.saturating_add(entry.size());
        if total > limit {
            return Err(Error::TooLarge {
                what,
                entry: entry.name().map(|n| n.into_owned()).unwrap_or_default(),
                limit,
            });
        }
    }
    Ok(())
}

fn date_value(d: &ExcelDateTime) -> Value {
    if d.is_duration() {
        return Value::Number(d.as_f64());
    }
    let (y, mo, da, h, mi, s, _ms) = d.to_ymd_hms_milli();
    let midnight = h == 0 && mi == 0 && s == 0;
    let text = if midnight {
        format!("{y:04}-{mo:02}-{da:02}")
    } else {
        format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
    };
    Value::Date {
        text,
        first_of_month: midnight && da == 1,
    }
}

/// An ISO 8601 date or date and time as OpenDocument stores them (`2020-06-01`,
/// `2020-06-01T00:00:00`), as a date; anything else as text.
fn iso_date(s: &str) -> Value {
    let (date, time) = s.split_once('T').unwrap_or((s, ""));
    let shaped = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Value::Text(s.to_owned());
    }
    let midnight = time.bytes().all(|b| matches!(b, b'0' | b':' | b'.'));
    Value::Date {
        text: if midnight {
            date.to_owned()
        } else {
            format!("{date} {time}")
        },
        first_of_month: midnight && date.ends_with("-01"),
    }
}

fn value_of(d: &Data) -> Option<Value> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) => Value::Text(s.clone()),
        Data::Float(f) => Value::Number(*f),
        Data::Int(i) => Value::Int(*i),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(t) => date_value(t),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
    })
}

fn value_of_ref(d: DataRef<'_>) -> Option<Value> {
    Some(match d {
        DataRef::Empty => return None,
        DataRef::String(s) => Value::Text(s),
        DataRef::SharedString(s) => Value::Text(s.to_owned()),
        DataRef::Float(f) => Value::Number(f),
        DataRef::Int(i) => Value::Int(i),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(t) => date_value(&t),
        DataRef::DateTimeIso(s) => iso_date(&s),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
    })
}

/// Push a cell onto the rows, which arrive in row order (a new row starts a new entry).
fn push(rows: &mut Vec<SheetRow>, row: u32, col: u32, value: Value) {
    match rows.last_mut() {
        Some(last) if last.row == row => last.cells.push((col, value)),
        _ => rows.push(SheetRow {
            row,
            cells: vec![(col, value)],
        }),
    }
}

/// xlsx: stream each sheet's cells (no dense grid: a sheet whose used range claims a million
/// rows by sixteen thousand columns costs only its cells).
fn xlsx_sheets<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    bad: &dyn Fn(String) -> Error,
) -> Result<Vec<Sheet>, Error> {
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a macro sheet has no cells to read.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(bad(format!("sheet `{name}`: {e}"))),
        };
        let mut rows: Vec<SheetRow> = Vec::new();
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| bad(format!("sheet `{name}`: {e}")))?
        {
            let (row, col) = cell.get_position();
            if let Some(v) = value_of_ref(cell.get_value().clone()) {
                push(&mut rows, row, col, v);
            }
        }
        sort_rows(&mut rows);
        out.push(Sheet { name, rows });
    }
    Ok(out)
}

/// Rows in row order and cells in column order, whatever order the file stored them in.
fn sort_rows(rows: &mut Vec<SheetRow>) {
    let sorted = rows
        .iter()
        .zip(rows.iter().skip(1))
        .all(|(a, b)| a.row < b.row)
        && rows.iter().all(|r| {
            r.cells
                .iter()
                .zip(r.cells.iter().skip(1))
                .all(|(a, b)| a.0 < b.0)
        });
    if sorted {
        return;
    }
    let mut cells: Vec<(u32, u32, Value)> = rows
        .drain(..)
        .flat_map(|r| r.cells.into_iter().map(move |(c, v)| (r.row, c, v)))
        .collect();
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    // A cell given twice keeps its last value, as Excel would.
    cells.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0 && later.1 == earlier.1;
        if same {
            std::mem::swap(&mut later.2, &mut earlier.2);
        }
        same
    });
    for (r, c, v) in cells {
        push(rows, r, c, v);
    }
}

/// xls, xlsb, ods: calamine's whole-sheet ranges, turned into sparse rows.
fn dense_sheets<R, RS>(book: &mut R, bad: &dyn Fn(String) -> Error) -> Result<Vec<Sheet>, Error>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| bad(format!("sheet `{name}`: {e}")))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<SheetRow> = Vec::new();
        for (i, row) in range.rows().enumerate() {
            for (j, d) in row.iter().enumerate() {
                if let Some(v) = value_of(d) {
                    let r = r0.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
                    let c = c0.saturating_add(u32::try_from(j).unwrap_or(u32::MAX));
                    push(&mut rows, r, c, v);
                }
            }
        }
        out.push(Sheet { name, rows });
    }
    Ok(out)
}
