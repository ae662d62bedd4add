//! Reading a ledger's text: CSV and JSON rows streamed into checked rows (the header's
//! columns, each cell's month, name and amount, duplicates), and the monthly totals a bulletin
//! needs from a ledger too large to keep ([`LedgerTotals`]) — M4 月统计, G4. The rules the rows
//! follow are the ledger's ([`super`]); this module only reads.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use super::{Cumulative, Ledger, LedgerEntry, Progress, RowRef, field};
use crate::load;
use crate::money::{Amount, MoneyError};
use crate::spending::{
    BadMonth, CellError, CellProblem, ColumnRef, SpendingError, YearMonth, known_list,
};

/// A ledger row as text, before it is read: the shape of a CSV row, a JSON object or a Python
/// dict (`df.to_dict("records")` of a pandas DataFrame gives a list of them). Amounts are yuan
/// or carry a unit (`"150万元"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TextRow {
    /// `YYYY-MM`.
    pub month: String,
    /// The county-level unit.
    pub county: String,
    /// The project, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// The fund source, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fund_source: Option<String>,
    /// The allocation, e.g. `"150万元"` or `"1500000"` (an integer is also accepted in JSON).
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Amount"))]
    #[serde(deserialize_with = "text_or_integer")]
    pub allocated: String,
    /// The expenditure, as `allocated`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::money::Amount"))]
    #[serde(deserialize_with = "text_or_integer")]
    pub spent: String,
}

/// A string as is, an integer as its digits; a float is refused (it may not be exact).
pub(super) fn text_or_integer<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an amount as a string such as \"150万元\", or an integer number of yuan")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Err(E::custom(MoneyError::Float {
                value: v.to_string(),
            }))
        }
    }
    d.deserialize_any(V)
}

pub(super) const MONTH: &str = "month";
pub(super) const COUNTY: &str = "county";
pub(super) const PROJECT: &str = "project";
pub(super) const FUND_SOURCE: &str = "fund_source";
pub(super) const ALLOCATED: &str = "allocated";
pub(super) const SPENT: &str = "spent";

/// The canonical column name (`month`, `county`, `project`, `fund_source`, `allocated`,
/// `spent`) of a ledger header cell, English or Chinese, if known. Shared by every reader of
/// ledgers (CSV here, workbooks in `fupin-xlsx`), so a header means the same in each.
///
/// # Example
/// ```
/// use fupin::spending::ledger::column_name;
/// assert_eq!(column_name("县(市)区"), Some("county"));
/// assert_eq!(column_name("Spent"), Some("spent"));
/// assert_eq!(column_name("合计"), None);
/// ```
#[must_use]
pub fn column_name(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    Some(match h.as_str() {
        "month" | "月份" | "月" => MONTH,
        "county" | "unit" | "县(市)区" | "县（市）区" | "县区" | "单位" => COUNTY,
        "project" | "项目" => PROJECT,
        "fund_source" | "fund source" | "source" | "资金来源" => FUND_SOURCE,
        "allocated" | "下达" | "下达资金" | "累计下达" => ALLOCATED,
        "spent" | "支出" | "支出金额" => SPENT,
        _ => return None,
    })
}

/// What a reader does with the rows it has checked: keep them ([`Ledger`]) or only add them to
/// the monthly totals ([`LedgerTotals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Rows,
    TotalsOnly,
}

/// A row's duplicate key: a 128-bit hash of month, unit, project and fund source, as two
/// words. Hashing keeps a million-row ledger's key set small (24 bytes a row with the row
/// number; the strings are not stored); two different rows collide with probability below
/// 10⁻²⁶.
pub(super) type RowKey = [u64; 2];

pub(super) fn row_key(
    month: u32,
    unit: u32,
    project: Option<&str>,
    fund_source: Option<&str>,
) -> RowKey {
    use std::hash::{Hash, Hasher};
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        (salt, month, unit, project, fund_source).hash(&mut h);
        h.finish()
    };
    [half(0), half(1)]
}

/// A row's number in the key set (the reader reads one kind of [`RowRef`]).
pub(super) const fn row_number(at: RowRef) -> u64 {
    match at {
        RowRef::Line(n) => n,
        RowRef::Record(i) => i as u64,
    }
}

/// The [`RowRef`] of the same kind as `like` for a number from the key set.
pub(super) fn row_ref(like: RowRef, number: u64) -> RowRef {
    match like {
        RowRef::Line(_) => RowRef::Line(number),
        RowRef::Record(_) => RowRef::Record(usize::try_from(number).unwrap_or(usize::MAX)),
    }
}

/// How many rows `text` may hold: one per `row_mark` byte (a CSV line's `\n`, a JSON row's
/// `{`), and never more than one per 16 bytes. The key set is sized for them up front, so it
/// does not grow — holding its old and new tables at once — while a large ledger is read;
/// only the slots used take memory.
pub(super) fn expected_rows(text: &str, row_mark: u8) -> usize {
    let marks = text.as_bytes().iter().filter(|b| **b == row_mark).count();
    marks.min(text.len() / 16)
}

/// Reads and checks rows against a year and a unit list, adding each to its unit's monthly
/// totals as it comes (and keeping it only when asked to).
pub(super) struct Reader<'a> {
    year: i32,
    units: &'a [String],
    index: HashMap<&'a str, u32>,
    seen: HashMap<RowKey, u64>,
    totals: Vec<MonthTotals>,
    keep: Keep,
    entries: Vec<LedgerEntry>,
    rows: usize,
}

/// The text of one row's cells, borrowed from a CSV record, a JSON object or a [`TextRow`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Cells<'r> {
    month: &'r str,
    county: &'r str,
    project: Option<&'r str>,
    fund_source: Option<&'r str>,
    allocated: &'r str,
    spent: &'r str,
}

impl<'r> From<&'r TextRow> for Cells<'r> {
    fn from(r: &'r TextRow) -> Self {
        Self {
            month: &r.month,
            county: &r.county,
            project: r.project.as_deref(),
            fund_source: r.fund_source.as_deref(),
            allocated: &r.allocated,
            spent: &r.spent,
        }
    }
}

/// A typed row to check, its strings borrowed.
pub(super) struct Typed<'r> {
    pub(super) month: YearMonth,
    pub(super) county: &'r str,
    pub(super) project: Option<&'r str>,
    pub(super) fund_source: Option<&'r str>,
    pub(super) allocated: Amount,
    pub(super) spent: Amount,
}

impl<'a> Reader<'a> {
    pub(super) fn new(year: i32, units: &'a [String], keep: Keep) -> Result<Self, SpendingError> {
        check_units(units)?;
        if YearMonth::new(year, 1).is_none() {
            return Err(SpendingError::Field {
                what: "ledger",
                error: crate::FieldError::coded(
                    crate::ErrorCode::OUT_OF_RANGE,
                    "year",
                    Some(year.to_string()),
                    format!("the year {year} is not a calendar year from 1 to 9999"),
                )
                .into(),
            });
        }
        Ok(Self {
            year,
            units,
            index: (0_u32..).zip(units).map(|(i, u)| (u.as_str(), i)).collect(),
            seen: HashMap::new(),
            totals: vec![MonthTotals::default(); units.len()],
            keep,
            entries: Vec::new(),
            rows: 0,
        })
    }

    pub(super) fn cell_error(
        at: RowRef,
        column: &'static str,
        number: Option<usize>,
        value: &str,
        problem: CellProblem,
    ) -> SpendingError {
        SpendingError::Cell(Box::new(CellError {
            what: "ledger",
            at,
            column: ColumnRef {
                name: column.to_owned(),
                number,
            },
            value: value.to_owned(),
            problem,
        }))
    }

    /// Read one row of text; `number(column)` gives the CSV column number, if any.
    pub(super) fn read(
        &mut self,
        at: RowRef,
        row: Cells<'_>,
        number: &dyn Fn(&'static str) -> Option<usize>,
    ) -> Result<(), SpendingError> {
        let err = |column, value: &str, problem| {
            Self::cell_error(at, column, number(column), value, problem)
        };
        let month_text = row.month.trim();
        if month_text.is_empty() {
            return Err(err(MONTH, month_text, CellProblem::Empty));
        }
        let month: YearMonth = month_text
            .parse()
            .map_err(|e: BadMonth| err(MONTH, month_text, e.into()))?;
        // Names are not trimmed: a space around one is refused by the name rule below.
        let county = row.county;
        if county.trim().is_empty() {
            return Err(err(COUNTY, county, CellProblem::Empty));
        }
        let amount = |column, text: &str| -> Result<Amount, SpendingError> {
            let t = text.trim();
            if t.is_empty() {
                return Err(err(column, t, CellProblem::Empty));
            }
            let a = t
                .parse::<Amount>()
                .map_err(|e| err(column, t, CellProblem::BadAmount(e)))?;
            if a.is_negative() {
                // Named as written (`-5万元`), not as the yuan it stands for.
                return Err(err(
                    column,
                    t,
                    CellProblem::Negative {
                        value: t.to_owned(),
                    },
                ));
            }
            Ok(a)
        };
        let typed = Typed {
            month,
            county,
            project: non_empty(row.project),
            fund_source: non_empty(row.fund_source),
            allocated: amount(ALLOCATED, row.allocated)?,
            spent: amount(SPENT, row.spent)?,
        };
        self.check(at, &typed, &|column, value: &str, problem| {
            err(column, value, problem)
        })
    }

    /// Check a typed row — names without control characters, month in the year, county
    /// known, amounts ≥ 0, not a duplicate — and add it to its unit's totals.
    pub(super) fn check(
        &mut self,
        at: RowRef,
        row: &Typed<'_>,
        err: &dyn Fn(&'static str, &str, CellProblem) -> SpendingError,
    ) -> Result<(), SpendingError> {
        for (column, text) in [
            (COUNTY, Some(row.county)),
            (PROJECT, row.project),
            (FUND_SOURCE, row.fund_source),
        ] {
            if let Some(t) = text
                && let Err(e) = crate::check_name("", t)
            {
                let problem = if e.code == crate::ErrorCode::CONTROL_CHARACTER {
                    CellProblem::ControlCharacter {
                        value: t.to_owned(),
                    }
                } else {
                    CellProblem::Name {
                        code: e.code,
                        message: e.message,
                    }
                };
                return Err(err(column, t, problem));
            }
        }
        if row.month.year() != self.year {
            let value = row.month.to_string();
            return Err(err(
                MONTH,
                &value,
                CellProblem::MonthOutsideYear {
                    value: value.clone(),
                    year: self.year,
                },
            ));
        }
        let Some(&unit) = self.index.get(row.county) else {
            return Err(err(
                COUNTY,
                row.county,
                CellProblem::UnknownCounty {
                    value: row.county.to_owned(),
                    known: known_list(self.units),
                },
            ));
        };
        for (column, a) in [(ALLOCATED, row.allocated), (SPENT, row.spent)] {
            let value = || a.as_yuan().to_string();
            if a.is_negative() {
                return Err(err(
                    column,
                    &value(),
                    CellProblem::Negative { value: value() },
                ));
            }
            if a > Amount::MAX_INPUT {
                return Err(err(
                    column,
                    &value(),
                    CellProblem::BadAmount(MoneyError::TooLarge { input: value() }),
                ));
            }
        }
        let key = row_key(row.month.month(), unit, row.project, row.fund_source);
        if let Some(first) = self.seen.insert(key, row_number(at)) {
            return Err(SpendingError::Duplicate {
                at,
                first: row_ref(at, first),
                month: row.month,
                county: row.county.to_owned(),
                project: row.project.unwrap_or_default().to_owned(),
                fund_source: row.fund_source.unwrap_or_default().to_owned(),
            });
        }
        let totals = usize::try_from(unit)
            .ok()
            .and_then(|u| self.totals.get_mut(u));
        if let Some(t) = totals {
            for (column, sum, a) in [
                (ALLOCATED, &mut t.allocated, row.allocated),
                (SPENT, &mut t.spent, row.spent),
            ] {
                let slot = sum.get_mut(month_index(row.month)).ok_or_else(|| {
                    err(
                        column,
                        "",
                        CellProblem::BadAmount(MoneyError::Overflow { op: "add" }),
                    )
                })?;
                *slot = slot.checked_add(a).map_err(|_| {
                    err(
                        column,
                        &a.as_yuan().to_string(),
                        CellProblem::TotalOverflows {
                            county: row.county.to_owned(),
                        },
                    )
                })?;
            }
        }
        self.rows += 1;
        if self.keep == Keep::Rows {
            self.entries.push(LedgerEntry {
                month: row.month,
                county: row.county.to_owned(),
                project: row.project.map(str::to_owned),
                fund_source: row.fund_source.map(str::to_owned),
                allocated: row.allocated,
                spent: row.spent,
            });
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Ledger {
        Ledger {
            year: self.year,
            units: self.units.to_vec(),
            entries: self.entries,
        }
    }

    pub(super) fn finish_totals(self) -> LedgerTotals {
        LedgerTotals {
            year: self.year,
            units: self.units.to_vec(),
            totals: self.totals,
            rows: self.rows,
        }
    }

    /// Read CSV text row by row.
    pub(super) fn read_csv(&mut self, text: &str) -> Result<(), SpendingError> {
        self.seen.reserve(expected_rows(text, b'\n'));
        let mut columns: Vec<&'static str> = Vec::new();
        for_each_csv_row(
            "ledger",
            text,
            column_name,
            &[MONTH, COUNTY, ALLOCATED, SPENT],
            LEDGER_COLUMNS,
            &mut |cols, line, cells| {
                if columns.is_empty() {
                    columns = cols.to_vec();
                }
                let position = |column: &'static str| columns.iter().position(|c| *c == column);
                let get =
                    |column: &'static str| position(column).and_then(|i| cells.get(i)).copied();
                let row = Cells {
                    month: get(MONTH).unwrap_or_default(),
                    county: get(COUNTY).unwrap_or_default(),
                    project: get(PROJECT),
                    fund_source: get(FUND_SOURCE),
                    allocated: get(ALLOCATED).unwrap_or_default(),
                    spent: get(SPENT).unwrap_or_default(),
                };
                let number = |column: &'static str| position(column).map(|i| i + 1);
                self.read(RowRef::Line(line), row, &number)
            },
        )
    }

    /// Read a JSON array of row objects element by element (never the whole array at once).
    pub(super) fn read_json(&mut self, text: &str) -> Result<(), SpendingError> {
        let text = load::strip_bom(text);
        self.seen.reserve(expected_rows(text, b'{'));
        let mut failed = None;
        let seed = JsonRows {
            reader: self,
            failed: &mut failed,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let result = serde::de::DeserializeSeed::deserialize(
            seed,
            serde_path_to_error::Deserializer::new(&mut de, &mut track),
        )
        .and_then(|()| de.end());
        if let Some(e) = failed {
            return Err(e);
        }
        if let Err(e) = result {
            // A repeated key may be the cause: name it first.
            load::check_duplicate_keys(text).map_err(|e| field("ledger", e))?;
            let path = track.path().to_string();
            let path = if path == "." || path.is_empty() {
                "(top level)".to_owned()
            } else {
                path
            };
            let mut error = load::from_message(path, &e.to_string());
            if e.is_syntax() || e.is_eof() {
                error = error.with_code(crate::ErrorCode::SYNTAX);
            }
            return Err(field("ledger", error));
        }
        load::check_duplicate_keys(text).map_err(|e| field("ledger", e))
    }
}

/// Feeds the elements of a JSON array to a reader as they are parsed.
pub(super) struct JsonRows<'r, 'a> {
    reader: &'r mut Reader<'a>,
    failed: &'r mut Option<SpendingError>,
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonRows<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for JsonRows<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ledger rows")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(row) = seq.next_element::<TextRow>()? {
            if let Err(e) = self
                .reader
                .read(RowRef::Record(i), Cells::from(&row), &|_| None)
            {
                *self.failed = Some(e);
                return Err(serde::de::Error::custom("stopped at a bad row"));
            }
            i += 1;
        }
        Ok(())
    }
}

/// The index of a month in a year's totals (January is 0).
pub(super) fn month_index(m: YearMonth) -> usize {
    usize::try_from(m.month().saturating_sub(1)).unwrap_or(0)
}

/// One unit's totals: what was allocated and spent during each month of the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct MonthTotals {
    allocated: [Amount; 12],
    spent: [Amount; 12],
}

impl MonthTotals {
    /// Cumulative totals from January to `month` (an index 0–11).
    pub(super) fn to(&self, month: usize) -> Result<(Amount, Amount), MoneyError> {
        let take = month.saturating_add(1).min(12);
        let sum = |a: &[Amount; 12]| Amount::try_sum(a.iter().take(take).copied());
        Ok((sum(&self.allocated)?, sum(&self.spent)?))
    }
}

/// The ledger's columns, for messages.
pub(super) const LEDGER_COLUMNS: &str = "month, county, [project], [fund_source], allocated, spent";

/// What [`for_each_csv_row`] calls for each row: `(columns, line, cells)`.
pub(crate) type RowSink<'s> =
    dyn FnMut(&[&'static str], u64, &[&str]) -> Result<(), SpendingError> + 's;

/// Call `row(columns, line, cells)` for each row of CSV text (`what` names it in messages),
/// streaming: no row is kept once `row` has returned. `line` is the row's line in the text
/// (comments and blank lines counted), `columns` each column's canonical name.
///
/// Lines starting with `#` (after spaces) are comments and blank lines are skipped.
/// `name_of` maps a header cell to its canonical name; a header it does not know, or a
/// repeated one, is an error, as is a missing `required` column. `expected` lists the columns
/// for messages.
pub(crate) fn for_each_csv_row(
    what: &'static str,
    text: &str,
    name_of: fn(&str) -> Option<&'static str>,
    required: &[&'static str],
    expected: &'static str,
    row: &mut RowSink<'_>,
) -> Result<(), SpendingError> {
    let text = load::strip_bom(text);
    let mut lines = LineCounter::new(text);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let syntax = |at: u64, e: &csv::Error| SpendingError::Syntax {
        what,
        at: RowRef::Line(at),
        message: match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8".to_owned(),
            _ => e.to_string(),
        },
    };
    let mut record = csv::StringRecord::new();
    let mut columns: Vec<&'static str> = Vec::new();
    loop {
        let start = csv.position().byte();
        let more = csv
            .read_record(&mut record)
            .map_err(|e| syntax(lines.line_of(usize::try_from(start).unwrap_or(0)).0, &e))?;
        if !more {
            break;
        }
        let (line, comment) = lines.line_of(usize::try_from(start).unwrap_or(0));
        let blank = record.iter().all(str::is_empty);
        if comment || blank {
            continue;
        }
        if columns.is_empty() {
            for (i, h) in record.iter().enumerate() {
                match name_of(h) {
                    Some(name) if !columns.contains(&name) => columns.push(name),
                    _ => {
                        return Err(SpendingError::UnknownColumn {
                            number: i + 1,
                            column: h.to_owned(),
                            expected,
                        });
                    }
                }
            }
            if let Some(column) = required.iter().find(|c| !columns.contains(c)) {
                return Err(SpendingError::MissingColumn { column, expected });
            }
            continue;
        }
        if record.len() != columns.len() {
            return Err(SpendingError::Syntax {
                what,
                at: RowRef::Line(line),
                message: format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    columns.len()
                ),
            });
        }
        let cells: Vec<&str> = record.iter().collect();
        row(&columns, line, &cells)?;
    }
    if columns.is_empty() {
        return Err(SpendingError::MissingColumn {
            column: required.first().copied().unwrap_or("header"),
            expected,
        });
    }
    Ok(())
}

/// Turns the byte offset where the CSV reader starts a record into the number of the line the
/// record is on. The reader reports the offset *before* the comment and blank lines it skips,
/// so those are skipped here too. Offsets only grow, so the whole text is scanned once.
pub(super) struct LineCounter<'t> {
    text: &'t str,
    offset: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    const fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first record at or after `offset`, and whether that line is a comment
    /// (`#` after spaces, which the CSV reader does not skip itself).
    fn line_of(&mut self, offset: usize) -> (u64, bool) {
        let offset = offset.max(self.offset);
        let before = self.text.get(self.offset..offset).unwrap_or_default();
        self.line += u64::try_from(before.matches('\n').count()).unwrap_or(0);
        self.offset = offset;
        // Skip the lines the reader skipped: blank, or starting with `#`.
        let mut at = offset;
        let mut line = self.line;
        while let Some(rest) = self.text.get(at..) {
            let end = rest.find('\n');
            let this = end.map_or(rest, |e| rest.get(..e).unwrap_or(rest));
            let skipped = this.trim_end_matches('\r').is_empty() || this.starts_with('#');
            match (skipped, end) {
                (true, Some(e)) => {
                    at += e + 1;
                    line += 1;
                }
                _ => return (line, this.trim_start().starts_with('#')),
            }
        }
        (line, false)
    }
}

/// The rows of small CSV text (`what` names it in messages) with their line numbers, and each
/// column's canonical name; see [`for_each_csv_row`].
pub(crate) fn csv_rows(
    what: &'static str,
    text: &str,
    name_of: fn(&str) -> Option<&'static str>,
    required: &[&'static str],
    expected: &'static str,
) -> Result<(Vec<&'static str>, Vec<CsvRow>), SpendingError> {
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    for_each_csv_row(
        what,
        text,
        name_of,
        required,
        expected,
        &mut |c, line, cells| {
            if columns.is_empty() {
                columns = c.to_vec();
            }
            rows.push((line, cells.iter().map(|s| (*s).to_owned()).collect()));
            Ok(())
        },
    )?;
    Ok((columns, rows))
}

/// A CSV row: its line in the text and its cells.
pub(crate) type CsvRow = (u64, Vec<String>);

pub(super) fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// A unit list must be non-empty, with non-blank, unique names.
pub(super) fn check_units(units: &[String]) -> Result<(), SpendingError> {
    if units.is_empty() {
        return Err(SpendingError::Units(
            "the list of county-level units is empty".to_owned(),
        ));
    }
    let mut seen = std::collections::HashSet::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        if u.trim().is_empty() || u.trim() != u {
            return Err(SpendingError::Units(format!(
                "name [{i}] `{}` is blank or has surrounding spaces",
                crate::render::escape_text(u)
            )));
        }
        if let Err(e) = crate::check_name(&format!("[{i}]"), u) {
            return Err(SpendingError::Units(e.to_string()));
        }
        if !seen.insert(crate::name_key(u)) {
            return Err(SpendingError::Units(format!(
                "`{u}` appears more than once"
            )));
        }
    }
    Ok(())
}

/// A ledger read into what a bulletin needs — each unit's allocation and spending per month —
/// without keeping its rows: memory does not grow with the number of rows, bar 24 bytes a row
/// to find duplicates (a million-line, 41 MB ledger: 100 MB peak for `fupin spending
/// bulletin`, text included).
/// Rows are checked exactly as [`Ledger`] checks them.
///
/// # Example
/// ```
/// use fupin::spending::{bulletin, LedgerTotals};
/// let units = ["甲县".to_owned(), "乙区".to_owned()];
/// let csv = "month,county,allocated,spent\n2020-01,甲县,100万元,20万元\n2020-01,乙区,50万元,40万元\n";
/// let totals = LedgerTotals::from_csv(csv, 2020, &units)?;
/// assert_eq!(totals.rows(), 2);
/// let b = bulletin::bulletin(&totals, "2020-01".parse()?, None)?;
/// assert_eq!(b.rows[0].county, "乙区");
/// # Ok::<(), fupin::spending::SpendingError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerTotals {
    year: i32,
    units: Vec<String>,
    totals: Vec<MonthTotals>,
    rows: usize,
}

impl LedgerTotals {
    /// Read CSV text row by row, as [`Ledger::from_csv`] reads it.
    ///
    /// # Errors
    /// As [`Ledger::from_csv`]; a monthly total that overflows names the row and column.
    pub fn from_csv(text: &str, year: i32, units: &[String]) -> Result<Self, SpendingError> {
        let mut reader = Reader::new(year, units, Keep::TotalsOnly)?;
        reader.read_csv(text)?;
        Ok(reader.finish_totals())
    }

    /// Read a JSON array of rows element by element, as [`Ledger::from_json`] reads it.
    ///
    /// # Errors
    /// As [`Ledger::from_json`].
    pub fn from_json(text: &str, year: i32, units: &[String]) -> Result<Self, SpendingError> {
        let mut reader = Reader::new(year, units, Keep::TotalsOnly)?;
        reader.read_json(text)?;
        Ok(reader.finish_totals())
    }

    /// The ledger's year.
    #[must_use]
    pub const fn year(&self) -> i32 {
        self.year
    }

    /// The county-level units, in the order given.
    #[must_use]
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// How many rows were read.
    #[must_use]
    pub const fn rows(&self) -> usize {
        self.rows
    }

    pub(super) fn month_index(&self, month: YearMonth) -> Result<usize, SpendingError> {
        if month.year() == self.year {
            Ok(month_index(month))
        } else {
            Err(SpendingError::MonthOutsideYear {
                month,
                year: self.year,
            })
        }
    }

    /// Cumulative progress of one unit at the end of `month`.
    ///
    /// # Errors
    /// As [`Ledger::progress`].
    pub fn progress(&self, county: &str, month: YearMonth) -> Result<Progress, SpendingError> {
        let m = self.month_index(month)?;
        let t = self
            .units
            .iter()
            .position(|u| u == county)
            .and_then(|i| self.totals.get(i))
            .ok_or_else(|| SpendingError::UnknownCounty {
                name: county.to_owned(),
                known: known_list(&self.units),
            })?;
        let (a, s) = t.to(m)?;
        Ok(Progress::of(a, s))
    }
}

impl Cumulative for LedgerTotals {
    fn year(&self) -> i32 {
        self.year
    }

    fn progress_by_county(
        &self,
        month: YearMonth,
    ) -> Result<Vec<(String, Progress)>, SpendingError> {
        let m = self.month_index(month)?;
        self.units
            .iter()
            .zip(&self.totals)
            .map(|(u, t)| {
                let (a, s) = t.to(m)?;
                Ok((u.clone(), Progress::of(a, s)))
            })
            .collect()
    }

    fn city_progress(&self, month: YearMonth) -> Result<Progress, SpendingError> {
        let mut allocated = Amount::ZERO;
        let mut spent = Amount::ZERO;
        for (_, p) in Cumulative::progress_by_county(self, month)? {
            allocated = allocated.checked_add(p.allocated)?;
            spent = spent.checked_add(p.spent)?;
        }
        Ok(Progress::of(allocated, spent))
    }
}
