//! # fupin-xlsx — Excel workbooks in and out of fupin, exactly
//!
//! The finance officers who compile the monthly bulletin (月统计月通报), check each county's
//! input against its quota and tally the year-end scorecards keep their figures in Excel. This
//! crate reads their workbooks into the rules' own row types and writes the results back as
//! workbooks they can send on. The rules stay pure: bytes in, bytes out, no files here.
//!
//! ## In (calamine)
//! | table | function | core type |
//! | --- | --- | --- |
//! | the monthly ledger (M4, G4) | [`read_ledger`], [`ledger_from_bytes`] | [`fupin::spending::Ledger`] |
//! | county figures (M1c, task 8) | [`read_counties`] | [`fupin::data::CountyInput`] |
//! | unit scores on card A or B | [`read_scores`] | [`fupin::assessment::ScoreInput`] |
//! | task actuals (annex 2, tasks 2–10) | [`read_task_actuals`] | [`fupin::tasks::TasksInput::actuals`] |
//!
//! xlsx, xlsm, xlsb, xls and ods are read ([`Workbook::from_bytes`]; [`is_workbook`] tells a
//! workbook from text by its first bytes). The table is found by its header row — the sheet and
//! the columns chosen by header name, Chinese or English, in any order, under any title rows
//! (see [`HEADER_SEARCH_ROWS`]). A number cell is read as the decimal Excel shows
//! ([`number_text`]: 15 significant digits, so `=0.1+0.2` reads `0.3`); text cells such as
//! `2,500.35万` are read by the rules' own parsers. Every error names the sheet, the cell (`B7`)
//! and the value ([`Error`], [`CellProblem`]).
//!
//! ## Out (rust_xlsxwriter)
//! [`write::bulletin`], [`write::report`] and [`write::scores`] lay results out as an officer
//! sends them: a title row with the month and the plan's number, a frozen header, 万元 and
//! percentage formats on real number cells, units that fall short in red, widths that fit
//! Chinese text, and a sheet of the checks with the clauses they cite and the plan's words.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod book;
mod cell;
mod counties;
mod error;
mod ledger;
mod scores;
mod table;
mod tasks;
pub mod write;

pub use book::{DEFAULT_UNPACKED_LIMIT, Workbook, is_workbook};
pub use cell::{
    CellRef, EXCEL_DIGITS, column_letters, fits_a_number_cell, number_decimal, number_text,
};
pub use counties::read_counties;
pub use error::{CellProblem, Error};
pub use ledger::{ledger_from_bytes, read_ledger};
pub use scores::{ScoreSheet, read_scores, scores_from_bytes};
pub use table::HEADER_SEARCH_ROWS;
pub use tasks::read_task_actuals;

/// The media type of an `.xlsx` workbook.
pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
