//! 月统计 — a monthly ledger (M4, G4) from a workbook.
//!
//! The sheet holds one row per unit, month and (optionally) project and fund source, with what
//! was allocated (下达) and spent (支出) during that month — the columns of the CSV ledger, under
//! the same headers, Chinese or English (`月份`/`month`, `县(市)区`/`county`, `项目`/`project`,
//! `资金来源`/`fund_source`, `下达`/`allocated`, `支出`/`spent`). Amount cells may be numbers —
//! yuan, or the unit the header gives (`下达（万元）`) — or text with a unit (`2,500.35万`). The
//! rows are checked by the same reader as a CSV ledger; every error names the sheet, the cell and
//! the value.

use fupin::spending::ledger::column_name;
use fupin::spending::{CellProblem as LedgerProblem, Ledger, RowRef, SpendingError, TextRow};

use crate::book::Workbook;
use crate::error::{CellProblem, Error};
use crate::table::{self, Column, Found, Kind, Spec};

const WHAT: &str = "ledger";

/// The ledger's columns, in the order of [`fupin::spending::TextRow`].
const COLUMNS: [(&str, bool, Kind); 6] = [
    ("month", true, Kind::Month),
    ("county", true, Kind::Text),
    ("project", false, Kind::Text),
    ("fund_source", false, Kind::Text),
    ("allocated", true, Kind::Money),
    ("spent", true, Kind::Money),
];

fn spec_lookup(header: &str) -> Option<usize> {
    let name = column_name(header)?;
    COLUMNS.iter().position(|(n, _, _)| *n == name)
}

/// Read a ledger of `year` for the county-level units `units` from a workbook: the first sheet
/// with a ledger header row.
///
/// # Errors
/// [`Error::NoTable`] when no sheet has the ledger's columns; [`Error::Cells`] naming every bad
/// cell (sheet, cell, value) — unreadable, empty, negative, an unknown unit, a month outside the
/// year, a row repeating another's key; [`Error::Rules`] for a bad unit list.
///
/// # Example
/// ```
/// let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ledger_2020.xlsx"))?;
/// let units = fupin::spending::ledger::unit_names(&fupin::data::PlanData::chaoyang_2020());
/// let ledger = fupin_xlsx::ledger_from_bytes(&bytes, 2020, &units)?;
/// let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/ledger_2020.csv"))?;
/// assert_eq!(ledger.entries(), fupin::spending::Ledger::from_csv(&csv, 2020, &units)?.entries());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_ledger(book: &Workbook, year: i32, units: &[String]) -> Result<Ledger, Error> {
    let spec = Spec {
        columns: COLUMNS
            .iter()
            .map(|(n, r, k)| Column::new(*n, *r, *k))
            .collect(),
        lookup: &spec_lookup,
        example: "月份 | 县(市)区 | 资金来源 | 下达（万元） | 支出（万元）",
    };
    let found = table::find(book, &spec)?;
    let rows = found.rows(&spec, WHAT)?;
    let mut positions = Vec::with_capacity(rows.len());
    let mut text_rows = Vec::with_capacity(rows.len());
    for r in rows {
        positions.push(r.row);
        let mut cells = r.cells.into_iter();
        let mut next = || cells.next().flatten();
        text_rows.push(TextRow {
            month: next().unwrap_or_default(),
            county: next().unwrap_or_default(),
            project: next(),
            fund_source: next(),
            allocated: next().unwrap_or_default(),
            spent: next().unwrap_or_default(),
        });
    }
    Ledger::from_rows(&text_rows, year, units)
        .map_err(|first| every_problem(&found, &positions, &text_rows, year, units, first))
}

/// Read a ledger from the bytes of a workbook (see [`read_ledger`]).
///
/// # Errors
/// As [`Workbook::from_bytes`] and [`read_ledger`].
pub fn ledger_from_bytes(bytes: &[u8], year: i32, units: &[String]) -> Result<Ledger, Error> {
    read_ledger(&Workbook::from_bytes(WHAT, bytes)?, year, units)
}

/// The most cell problems reported at once.
const MAX_PROBLEMS: usize = 200;

/// After the rules refused the rows: check each row on its own to name every bad cell, then
/// fall back to the first error (a duplicate row, a bad unit list).
fn every_problem(
    found: &Found<'_>,
    positions: &[u32],
    rows: &[TextRow],
    year: i32,
    units: &[String],
    first: SpendingError,
) -> Error {
    let mut problems = Vec::new();
    if matches!(first, SpendingError::Cell(_)) {
        for (i, row) in rows.iter().enumerate() {
            if let Err(e) = Ledger::from_rows(std::slice::from_ref(row), year, units)
                && let Some(p) = cell_problem(found, positions, i, &e)
            {
                problems.push(p);
                if problems.len() >= MAX_PROBLEMS {
                    break;
                }
            }
        }
    }
    if problems.is_empty() {
        return match &first {
            SpendingError::Duplicate { at, first: f, .. } => {
                let row_of = |r: &RowRef| match r {
                    RowRef::Record(i) => positions.get(*i).copied(),
                    RowRef::Line(_) => None,
                };
                let (Some(row), Some(earlier)) = (row_of(at), row_of(f)) else {
                    return rules(&first);
                };
                let cell = found.cell(1, row).unwrap_or_default_cell(row);
                Error::Cells {
                    what: WHAT,
                    problems: vec![CellProblem {
                        sheet: found.sheet.name.clone(),
                        cell,
                        column: "county".to_owned(),
                        value: rows
                            .get(position_index(positions, row))
                            .map(|r| r.county.clone())
                            .unwrap_or_default(),
                        code: "duplicate_key",
                        message: format!(
                            "the row repeats row {} (same month, county, project and fund source): merge the two rows",
                            u64::from(earlier) + 1
                        ),
                    }],
                }
            }
            _ => match cell_problem(found, positions, 0, &first) {
                Some(p) => Error::Cells {
                    what: WHAT,
                    problems: vec![p],
                },
                None => rules(&first),
            },
        };
    }
    Error::Cells {
        what: WHAT,
        problems,
    }
}

fn position_index(positions: &[u32], row: u32) -> usize {
    positions.binary_search(&row).unwrap_or(usize::MAX)
}

trait OrCell {
    fn unwrap_or_default_cell(self, row: u32) -> crate::CellRef;
}

impl OrCell for Option<crate::CellRef> {
    fn unwrap_or_default_cell(self, row: u32) -> crate::CellRef {
        self.unwrap_or(crate::CellRef::new(row, 0))
    }
}

fn rules(e: &SpendingError) -> Error {
    Error::Rules {
        what: WHAT,
        message: e.to_string(),
    }
}

/// The cell problem of a ledger error about record `index` (a row checked alone is record 0).
fn cell_problem(
    found: &Found<'_>,
    positions: &[u32],
    index: usize,
    e: &SpendingError,
) -> Option<CellProblem> {
    let SpendingError::Cell(c) = e else {
        return None;
    };
    let i = match c.at {
        RowRef::Record(0) => index,
        RowRef::Record(i) => i,
        RowRef::Line(_) => return None,
    };
    let row = *positions.get(i)?;
    let column = COLUMNS.iter().position(|(n, _, _)| *n == c.column.name)?;
    let code = match &c.problem {
        LedgerProblem::Empty => "empty",
        LedgerProblem::UnknownCounty { .. } => "unknown_county",
        LedgerProblem::Negative { .. } => "negative",
        LedgerProblem::MonthOutsideYear { .. } => "out_of_range",
        LedgerProblem::BadMonth(_) => "invalid_month",
        LedgerProblem::BadAmount(_) => "invalid_amount",
        _ => "invalid",
    };
    Some(CellProblem {
        sheet: found.sheet.name.clone(),
        cell: found.cell(column, row).unwrap_or_default_cell(row),
        column: c.column.name.clone(),
        value: c.value.clone(),
        code,
        message: c.problem.to_string(),
    })
}
