//! 县(市)区投入 — county figures (M1c, task 8) from a workbook.
//!
//! One row per county-level unit: its name, its kind (县 / 县级市 or 市 / 区, or `county`,
//! `county_city`, `district`), last year's and this year's input. Headers in Chinese or English:
//! `县(市)区`/`name`, `类型`/`kind`, `上年投入`/`last_year`, `本年投入`/`this_year`, amounts as
//! numbers in yuan or in the header's unit (`上年投入（万元）`), or text with a unit.

use fupin::data::{CountyInput, validate_counties};
use fupin::money::Amount;
use fupin::policy::UnitKind;

use crate::book::Workbook;
use crate::error::{CellProblem, Error};
use crate::table::{self, Column, Kind, Spec};

const WHAT: &str = "county figures";

fn lookup(h: &str) -> Option<usize> {
    Some(match h {
        "name" | "county" | "unit" | "县(市)区" | "县区" | "单位" | "名称" => 0,
        "kind" | "type" | "类型" | "单位类型" => 1,
        "last_year" | "last year" | "上年" | "上年投入" | "上年投入资金" => 2,
        "this_year" | "this year" | "本年" | "本年投入" | "本年投入资金" | "筹措资金" => {
            3
        }
        _ => return None,
    })
}

/// Read county figures from a workbook: the first sheet with their header row.
///
/// # Errors
/// [`Error::NoTable`] when no sheet has the columns; [`Error::Cells`] naming every bad cell
/// (sheet, cell, value): an empty or repeated name, an unknown kind, an unreadable or negative
/// amount.
///
/// # Example
/// ```
/// let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/counties_2020.xlsx"))?;
/// let book = fupin_xlsx::Workbook::from_bytes("county figures", &bytes)?;
/// let counties = fupin_xlsx::read_counties(&book)?;
/// assert_eq!(counties, fupin::data::PlanData::chaoyang_2020().counties);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_counties(book: &Workbook) -> Result<Vec<CountyInput>, Error> {
    let spec = Spec {
        columns: vec![
            Column::new("name", true, Kind::Text),
            Column::new("kind", true, Kind::Text),
            Column::new("last_year", true, Kind::Money),
            Column::new("this_year", true, Kind::Money),
        ],
        lookup: &lookup,
        example: "县(市)区 | 类型 | 上年投入（万元） | 本年投入（万元）",
    };
    let found = table::find(book, &spec)?;
    let rows = found.rows(&spec, WHAT)?;
    let mut problems = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut positions = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut problem = |i: usize, value: &str, code: &'static str, message: String| {
            problems.push(found.problem(&spec, i, r.row, value, code, message));
        };
        let text = |i: usize| r.cells.get(i).cloned().flatten().unwrap_or_default();
        let name = text(0);
        if name.is_empty() {
            problem(
                0,
                "",
                "empty",
                "a county-level unit needs a name".to_owned(),
            );
        }
        let kind = match text(1).parse::<UnitKind>() {
            Ok(k) => Some(k),
            Err(e) => {
                problem(1, &text(1), "invalid", e.message);
                None
            }
        };
        let mut amount = |i: usize| {
            let t = text(i);
            match t.parse::<Amount>() {
                Ok(a) if a.is_negative() => {
                    problem(i, &t, "negative", "an input is ≥ 0".to_owned());
                    None
                }
                Ok(a) => Some(a),
                Err(e) if t.is_empty() => {
                    problem(i, &t, "empty", format!("the value is empty ({e})"));
                    None
                }
                Err(e) => {
                    problem(i, &t, "invalid_amount", e.to_string());
                    None
                }
            }
        };
        let (last_year, this_year) = (amount(2), amount(3));
        if let (Some(kind), Some(last_year), Some(this_year)) = (kind, last_year, this_year) {
            out.push(CountyInput {
                name,
                kind,
                last_year,
                this_year,
            });
            positions.push(r.row);
        }
    }
    if problems.is_empty()
        && let Err(e) = validate_counties(&out)
    {
        for fe in e.errors() {
            // `counties[i].field`: the row of unit i and the column of the field.
            let index = fe
                .path
                .strip_prefix("counties[")
                .and_then(|p| p.split_once(']'))
                .and_then(|(i, _)| i.parse::<usize>().ok());
            let field = fe.path.rsplit('.').next().unwrap_or("");
            let column = ["name", "kind", "last_year", "this_year"]
                .iter()
                .position(|c| *c == field)
                .unwrap_or(0);
            let Some((i, row)) = index.and_then(|i| positions.get(i).map(|row| (i, *row))) else {
                return Err(Error::Rules {
                    what: WHAT,
                    message: e.to_string(),
                });
            };
            problems.push(CellProblem {
                sheet: found.sheet.name.clone(),
                cell: found
                    .cell(column, row)
                    .unwrap_or(crate::CellRef::new(row, 0)),
                column: field.to_owned(),
                value: fe
                    .value
                    .clone()
                    .or_else(|| out.get(i).map(|c| c.name.clone()))
                    .unwrap_or_default(),
                code: "invalid",
                message: fe.message.clone(),
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Cells {
            what: WHAT,
            problems,
        })
    }
}
