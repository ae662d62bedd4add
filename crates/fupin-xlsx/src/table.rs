//! Finding a table in a workbook by its header row, and reading its cells as exact text.
//!
//! A table is a header row and the rows under it. The header row is found in the first
//! [`HEADER_SEARCH_ROWS`] rows of each sheet, in sheet order — so a title row or two above it,
//! as officers write them, is fine — as the first row naming every required column. Headers are
//! matched by name, Chinese or English, ignoring spaces, line breaks and the width of brackets;
//! a unit in brackets after a money header (`下达（万元）`) is the unit of that column's bare
//! numbers, and `（%）` after a ratio header makes its bare numbers percentages. Columns for the
//! reader (`序号`, `备注`, `note`) are ignored; any other header the table does not know is an
//! error naming its cell — never silently dropped — as is a value in a column without a header.
//! Blank rows are skipped.

use crate::Error;
use crate::book::{Sheet, SheetRow, Value, Workbook};
use crate::cell::CellRef;
use crate::error::CellProblem;

/// How many rows of each sheet are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// Headers of columns kept for the reader, never read: numbering and remarks.
const IGNORED: &[&str] = &[
    "序号", "编号", "备注", "说明", "no", "no.", "#", "note", "notes", "remark", "remarks",
];

/// What a column holds, which decides how a cell is turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text (names, reasons); a number cell reads as its 15-digit text.
    Text,
    /// An amount: a header unit is appended to a bare number.
    Money,
    /// A ratio: with `（%）` in the header, a bare number is a percentage.
    Ratio,
    /// A plain number (points, counts).
    Number,
    /// A month: a date cell on the 1st at midnight (what Excel makes of a typed `2020-06`)
    /// reads as `2020-06`.
    Month,
}

/// One column a table may have.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Canonical name, used in messages (`allocated`).
    pub name: String,
    /// Whether the header row must name it.
    pub required: bool,
    /// What it holds.
    pub kind: Kind,
}

impl Column {
    pub(crate) fn new(name: impl Into<String>, required: bool, kind: Kind) -> Self {
        Self {
            name: name.into(),
            required,
            kind,
        }
    }
}

/// The columns of a table and how headers name them.
pub(crate) struct Spec<'a> {
    /// The columns.
    pub columns: Vec<Column>,
    /// The column a header names (the header with spaces collapsed, unit removed, lowercase).
    pub lookup: &'a dyn Fn(&str) -> Option<usize>,
    /// An example header row for messages.
    pub example: &'static str,
}

/// A header's unit suffix, as appended to a bare number.
fn header_unit(inner: &str) -> Option<&'static str> {
    Some(match inner {
        "万元" | "单位:万元" | "wan" | "万" | "10kyuan" | "10,000yuan" | "10000yuan" => {
            "万元"
        }
        "亿元" | "单位:亿元" | "yi" | "亿" => "亿元",
        "元" | "单位:元" | "yuan" => "元",
        "%" => "%",
        _ => return None,
    })
}

/// A header as matched: whitespace collapsed (and removed, as a second try), brackets made
/// narrow, a trailing unit in brackets split off, lowercase.
pub(crate) fn normalize(header: &str) -> (String, String, Option<&'static str>) {
    let narrow: String = header
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let mut text = narrow.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut unit = None;
    if let Some(open) = text.rfind('(')
        && text.ends_with(')')
    {
        let inner: String = text
            .get(open + 1..text.len() - 1)
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        if let Some(u) = header_unit(&inner) {
            unit = Some(u);
            text = text.get(..open).unwrap_or("").trim_end().to_owned();
        }
    }
    let lower = text.to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    (lower, compact, unit)
}

/// A table found in a sheet.
pub(crate) struct Found<'b> {
    /// The sheet.
    pub sheet: &'b Sheet,
    /// Index of the header row in `sheet.rows`.
    header: usize,
    /// Per column of the spec, its sheet column, if the header names it.
    pub cols: Vec<Option<u32>>,
    /// Per column of the spec, the unit its header gives.
    units: Vec<Option<&'static str>>,
    /// Sheet columns whose header is ignored.
    ignored: Vec<u32>,
}

/// A data row of a table: its 0-based sheet row and, per column of the spec, the cell's text
/// (`None` for an empty cell or a column the table does not have).
#[derive(Debug, Clone)]
pub(crate) struct TextRow {
    pub row: u32,
    pub cells: Vec<Option<String>>,
}

fn header_text(v: &Value) -> Option<String> {
    match v {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    }
}

/// Look for the header row in one sheet: the first of its first rows to name every required
/// column. Returns the row's index and each header cell's match.
fn header_in<'b>(sheet: &'b Sheet, spec: &Spec<'_>) -> Option<(usize, &'b SheetRow)> {
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .find(|(_, row)| {
            let mut seen = vec![false; spec.columns.len()];
            for (_, v) in &row.cells {
                if let Some(h) = header_text(v)
                    && let Some(i) = lookup(spec, &h).0
                    && let Some(s) = seen.get_mut(i)
                {
                    *s = true;
                }
            }
            spec.columns
                .iter()
                .zip(&seen)
                .all(|(c, s)| !c.required || *s)
        })
}

fn lookup(spec: &Spec<'_>, header: &str) -> (Option<usize>, Option<&'static str>) {
    let (spaced, compact, unit) = normalize(header);
    let i = (spec.lookup)(&spaced).or_else(|| (spec.lookup)(&compact));
    (i, unit)
}

/// Find the table in the workbook: the first sheet with a header row naming every required
/// column. The header row's other cells must be known or ignored columns.
pub(crate) fn find<'b>(book: &'b Workbook, spec: &Spec<'_>) -> Result<Found<'b>, Error> {
    let what = book.what;
    let Some((sheet, (header, row))) = book
        .sheets
        .iter()
        .find_map(|s| header_in(s, spec).map(|h| (s, h)))
    else {
        let required: Vec<String> = spec
            .columns
            .iter()
            .filter(|c| c.required)
            .map(|c| format!("`{}`", c.name))
            .collect();
        let sheets: Vec<String> = book
            .sheets
            .iter()
            .map(|s| {
                let first = s.rows.first().map(|r| {
                    r.cells
                        .iter()
                        .take(8)
                        .map(|(_, v)| v.text())
                        .collect::<Vec<_>>()
                        .join(" | ")
                });
                match first {
                    Some(f) => format!("`{}` (first row: {f})", s.name),
                    None => format!("`{}` (empty)", s.name),
                }
            })
            .collect();
        return Err(Error::NoTable {
            what,
            required: required.join(", "),
            searched: HEADER_SEARCH_ROWS,
            sheets: if sheets.is_empty() {
                "none".to_owned()
            } else {
                sheets.join("; ")
            },
            example: spec.example,
        });
    };
    let mut cols = vec![None; spec.columns.len()];
    let mut units = vec![None; spec.columns.len()];
    let mut ignored = Vec::new();
    let mut problems = Vec::new();
    for (col, v) in &row.cells {
        let text = v.text();
        let (i, unit) = lookup(spec, &text);
        let problem = |code: &'static str, message: String| CellProblem {
            sheet: sheet.name.clone(),
            cell: CellRef::new(row.row, *col),
            column: text.clone(),
            value: text.clone(),
            code,
            message,
        };
        match i {
            Some(i) if cols.get(i).is_some_and(Option::is_none) => {
                if let Some(c) = cols.get_mut(i) {
                    *c = Some(*col);
                }
                if let Some(u) = units.get_mut(i) {
                    *u = unit;
                }
            }
            Some(i) => problems.push(problem(
                "duplicate_column",
                format!(
                    "a second header for column `{}`",
                    spec.columns.get(i).map_or("", |c| c.name.as_str())
                ),
            )),
            None if v.is_blank() => {}
            None if IGNORED.contains(&normalize(&text).1.as_str()) => ignored.push(*col),
            None => {
                let known: Vec<&str> = spec.columns.iter().map(|c| c.name.as_str()).collect();
                problems.push(problem(
                    "unknown_column",
                    format!(
                        "unknown column header (columns: {}; ignored: 序号, 备注, note); e.g. {}",
                        known.join(", "),
                        spec.example
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Cells { what, problems });
    }
    Ok(Found {
        sheet,
        header,
        cols,
        units,
        ignored,
    })
}

impl Found<'_> {
    /// The unit the header of column `i` of the spec gives (`万元`, `%`), if any.
    pub(crate) fn unit(&self, i: usize) -> Option<&'static str> {
        self.units.get(i).copied().flatten()
    }

    /// A problem with the cell of column `i` of the spec in sheet row `row`.
    pub(crate) fn problem(
        &self,
        spec: &Spec<'_>,
        i: usize,
        row: u32,
        value: &str,
        code: &'static str,
        message: String,
    ) -> CellProblem {
        CellProblem {
            sheet: self.sheet.name.clone(),
            cell: self.cell(i, row).unwrap_or(CellRef::new(row, 0)),
            column: spec
                .columns
                .get(i)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            value: value.to_owned(),
            code,
            message,
        }
    }

    /// The cell of column `i` of the spec in a sheet row.
    pub(crate) fn cell(&self, i: usize, row: u32) -> Option<CellRef> {
        self.cols
            .get(i)
            .copied()
            .flatten()
            .map(|c| CellRef::new(row, c))
    }

    /// The data rows under the header, each cell as text; every unreadable cell is collected.
    pub(crate) fn rows(&self, spec: &Spec<'_>, what: &'static str) -> Result<Vec<TextRow>, Error> {
        let mut by_col: Vec<(u32, usize)> = self
            .cols
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (c, i)))
            .collect();
        by_col.sort_unstable();
        let mut out = Vec::with_capacity(self.sheet.rows.len().saturating_sub(self.header + 1));
        let mut problems = Vec::new();
        for row in self.sheet.rows.iter().skip(self.header + 1) {
            if row.cells.iter().all(|(_, v)| v.is_blank()) {
                continue;
            }
            let mut cells = vec![None; spec.columns.len()];
            for (col, v) in &row.cells {
                let problem = |code: &'static str, column: &str, message: String| CellProblem {
                    sheet: self.sheet.name.clone(),
                    cell: CellRef::new(row.row, *col),
                    column: column.to_owned(),
                    value: v.text(),
                    code,
                    message,
                };
                let Ok(k) = by_col.binary_search_by_key(col, |(c, _)| *c) else {
                    if !v.is_blank() && !self.ignored.contains(col) {
                        problems.push(problem(
                            "no_header",
                            "",
                            "a value in a column without a header: give the column a header, or clear the cell".to_owned(),
                        ));
                    }
                    continue;
                };
                let i = by_col.get(k).map_or(0, |(_, i)| *i);
                let Some(column) = spec.columns.get(i) else {
                    continue;
                };
                let unit = self.units.get(i).copied().flatten();
                match cell_text(v, column.kind, unit) {
                    Ok(Some(t)) => {
                        if let Some(c) = cells.get_mut(i) {
                            *c = Some(t);
                        }
                    }
                    Ok(None) => {}
                    Err(message) => problems.push(problem("cell_error", &column.name, message)),
                }
            }
            out.push(TextRow {
                row: row.row,
                cells,
            });
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(Error::Cells { what, problems })
        }
    }
}

/// A cell as the text the rules read; `None` for a blank cell.
fn cell_text(v: &Value, kind: Kind, unit: Option<&'static str>) -> Result<Option<String>, String> {
    if v.is_blank() {
        return Ok(None);
    }
    let with_unit = |number: String| match (kind, unit) {
        (Kind::Money, Some(u)) if u != "%" => format!("{number}{u}"),
        (Kind::Ratio, Some("%")) => format!("{number}%"),
        _ => number,
    };
    Ok(Some(match v {
        Value::Error(e) => {
            return Err(format!(
                "the cell shows the error {e}: fix the formula or type the value"
            ));
        }
        Value::Number(_) | Value::Int(_) => with_unit(v.text()),
        Value::Text(t) => {
            let t = t.trim();
            // A number typed as text takes the header's unit too.
            if unit.is_some() && fupin::money::parse_number(t).is_ok() {
                with_unit(t.to_owned())
            } else {
                t.to_owned()
            }
        }
        Value::Date {
            text,
            first_of_month,
        } => match (kind, first_of_month, text.get(..7)) {
            (Kind::Month, true, Some(month)) => month.to_owned(),
            _ => text.clone(),
        },
        Value::Bool(_) => v.text(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_lose_spaces_brackets_and_units() {
        assert_eq!(
            normalize("下达（万元）"),
            ("下达".to_owned(), "下达".to_owned(), Some("万元"))
        );
        assert_eq!(normalize("县（市）区").0, "县(市)区");
        assert_eq!(normalize("县(市)区 (单位：万元)").2, Some("万元"));
        assert_eq!(normalize("  Fund\nSource ").0, "fund source");
        assert_eq!(normalize("累计\n下达").1, "累计下达");
        assert_eq!(normalize("完成率(%)").2, Some("%"));
        assert_eq!(normalize("项目(二期)").0, "项目(二期)");
    }

    #[test]
    fn cells_take_the_header_unit_only_when_bare() {
        let money = |v: Value| cell_text(&v, Kind::Money, Some("万元")).unwrap().unwrap();
        assert_eq!(money(Value::Number(2500.35)), "2500.35万元");
        assert_eq!(money(Value::Text("2,500.35".into())), "2,500.35万元");
        assert_eq!(money(Value::Text("2,500.35万".into())), "2,500.35万");
        assert_eq!(money(Value::Text("7,5元".into())), "7,5元");
        assert_eq!(
            cell_text(&Value::Number(1.35), Kind::Ratio, Some("%")).unwrap(),
            Some("1.35%".to_owned())
        );
        assert_eq!(
            cell_text(&Value::Number(1.35), Kind::Ratio, None).unwrap(),
            Some("1.35".to_owned())
        );
        assert!(cell_text(&Value::Error("#DIV/0!".into()), Kind::Money, None).is_err());
        assert_eq!(
            cell_text(&Value::Text("  ".into()), Kind::Money, None),
            Ok(None)
        );
    }

    #[test]
    fn a_month_typed_into_excel_reads_as_the_month() {
        let d = |text: &str, first| Value::Date {
            text: text.into(),
            first_of_month: first,
        };
        assert_eq!(
            cell_text(&d("2020-06-01", true), Kind::Month, None).unwrap(),
            Some("2020-06".to_owned())
        );
        // Any other day is not a month: left as the date, which the month reader refuses.
        assert_eq!(
            cell_text(&d("2020-06-15", false), Kind::Month, None).unwrap(),
            Some("2020-06-15".to_owned())
        );
        assert_eq!(
            cell_text(&d("2020-06-01", true), Kind::Text, None).unwrap(),
            Some("2020-06-01".to_owned())
        );
    }
}
