//! Workbooks as an officer sends them: a title row naming the month and the plan's number, a
//! header row frozen above the figures, 万元 and percentage formats on real number cells (so
//! Excel can sum them), units that fall short in red, column widths that fit Chinese text, the
//! checks and the clauses they cite on a sheet of their own, and a page set up to print on A4.
//!
//! Every amount is written as a number in 万元 when 15 significant digits hold it exactly (any
//! amount to the fen below 10¹³ yuan), and otherwise as text with its unit, so that nothing is
//! lost: read back with [`crate::number_decimal`] a cell gives the amount written. Ratios
//! (progress, growth) are quotients shown to two decimals; the cell holds them to a float's
//! precision.

mod bulletin;
mod checks;
mod report;
mod scores;

pub use bulletin::bulletin;
pub use report::report;
pub use scores::scores;

use fupin::Lang;
use fupin::assessment::Points;
use fupin::check::Value;
use fupin::money::{Amount, PercentagePoints, Ratio, Unit};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use unicode_width::UnicodeWidthStr;

use crate::Error;
use crate::cell::fits_a_number_cell;

/// The red of a unit that falls short.
const RED: u32 = 0x00C0_0000;
/// The fill of a row that falls short.
const RED_FILL: u32 = 0x00FD_E9E7;
/// The fill of header cells.
const HEADER_FILL: u32 = 0x00DD_EBF7;
/// The widest a column gets before its text wraps.
const MAX_WIDTH: usize = 40;

/// One cell to write.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    /// Text.
    Text(String),
    /// An amount, written in 万元 (the header names the unit).
    Wan(Amount),
    /// An amount in 万元 with the unit in the number format (a column of mixed kinds).
    WanUnit(Amount),
    /// A ratio as a percentage.
    Percent(Ratio),
    /// Percentage points, signed.
    Pp(PercentagePoints),
    /// Points of a scorecard.
    Points(Points),
    /// A whole number (a rank, a count).
    Int(u64),
    /// A check's value, its unit in the format, after an optional sign (`≥`).
    Value(Value, Option<&'static str>),
    /// No figure (`—`), aligned with the figures of its column.
    Dash,
    /// Nothing.
    Blank,
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    pub(crate) fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Self) -> Self {
        v.map_or(Self::Dash, f)
    }
}

/// How a row looks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Look {
    pub bold: bool,
    /// Red text on a light red fill: the row falls short.
    pub short: bool,
    /// A line above (a total row).
    pub total: bool,
}

impl Look {
    pub(crate) const PLAIN: Self = Self {
        bold: false,
        short: false,
        total: false,
    };
    pub(crate) const fn short(short: bool) -> Self {
        Self {
            bold: false,
            short,
            total: false,
        }
    }
    pub(crate) const TOTAL: Self = Self {
        bold: true,
        short: false,
        total: true,
    };
}

fn wan(a: Amount) -> Decimal {
    a.in_units(Unit::Wan)
}

fn group(s: &str) -> String {
    let (sign, digits) = s.strip_prefix('-').map_or(("", s), |r| ("-", r));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// What the cell shows, near enough to size its column.
fn shown(cell: &Cell, lang: Lang) -> String {
    let two = |d: Decimal| group(&format!("{:.2}", d.round_dp(2)));
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Wan(a) => two(wan(*a)),
        Cell::WanUnit(a) => format!("{} {}", two(wan(*a)), Unit::Wan.label(lang)),
        Cell::Percent(r) => r.to_string(),
        Cell::Pp(p) => p.to_string(),
        Cell::Points(p) => p.to_string(),
        Cell::Int(n) => n.to_string(),
        Cell::Value(Value::Amount(a), sign) => {
            format!(
                "{}{} {}",
                sign.unwrap_or(""),
                two(wan(*a)),
                Unit::Wan.label(lang)
            )
        }
        Cell::Value(v, sign) => format!("{}{}", sign.unwrap_or(""), v.display(lang)),
        Cell::Dash => "—".to_owned(),
        Cell::Blank => String::new(),
    }
}

/// A sheet being written: a cursor row, the widths seen per column, the header row.
pub(crate) struct Grid<'a> {
    ws: &'a mut Worksheet,
    lang: Lang,
    widths: Vec<usize>,
    /// Columns whose text wraps at [`MAX_WIDTH`].
    row: u32,
    columns: u16,
    header: Option<u32>,
    /// Rows whose wrapped text needs more than one line, and how many.
    tall: std::collections::BTreeMap<u32, usize>,
}

impl<'a> Grid<'a> {
    /// A sheet named `name` with `columns` columns.
    pub(crate) fn new(
        book: &'a mut Workbook,
        name: &str,
        columns: u16,
        lang: Lang,
    ) -> Result<Self, Error> {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        ws.set_paper_size(9); // A4
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_footer(match lang {
            Lang::Zh => "&C第 &P 页，共 &N 页",
            Lang::En => "&CPage &P of &N",
        });
        Ok(Self {
            ws,
            lang,
            widths: vec![0; usize::from(columns)],
            row: 0,
            columns,
            header: None,
            tall: std::collections::BTreeMap::new(),
        })
    }

    /// A title row across the table: bold, larger.
    pub(crate) fn title(&mut self, text: &str) -> Result<(), Error> {
        let f = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        self.merged(text, &f, 30.0)
    }

    /// A line of prose across the table (a source, a note, a summary); red when `warn`.
    pub(crate) fn line(&mut self, text: &str, warn: bool) -> Result<(), Error> {
        let mut f = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::Top);
        if warn {
            f = f.set_font_color(Color::RGB(RED));
        }
        // Tall enough for the text: a line per table width of characters (the table's width is
        // not known yet above its header: take a landscape page's).
        let table_width: usize = self.widths.iter().sum::<usize>().max(120);
        let lines = text.width().div_ceil(table_width).max(1);
        #[allow(clippy::cast_precision_loss)] // a handful of lines
        let height = 16.0 * lines as f64;
        self.merged(text, &f, height)
    }

    fn merged(&mut self, text: &str, f: &Format, height: f64) -> Result<(), Error> {
        let last = self.columns.saturating_sub(1);
        if last == 0 {
            self.ws.write_string_with_format(self.row, 0, text, f)?;
        } else {
            self.ws.merge_range(self.row, 0, self.row, last, text, f)?;
        }
        self.ws.set_row_height(self.row, height)?;
        self.row += 1;
        Ok(())
    }

    /// An empty row.
    pub(crate) fn skip(&mut self) {
        self.row += 1;
    }

    /// The header row: bold on a fill, wrapped, with borders; frozen with the rows above it.
    pub(crate) fn header(&mut self, headers: &[String]) -> Result<(), Error> {
        let f = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(Color::RGB(HEADER_FILL))
            .set_border(FormatBorder::Thin);
        for (col, h) in (0_u16..).zip(headers) {
            self.ws.write_string_with_format(self.row, col, h, &f)?;
            self.seen(col, h);
        }
        self.ws.set_row_height(self.row, 32.0)?;
        self.header = Some(self.row);
        self.ws.set_freeze_panes(self.row + 1, 0)?;
        self.ws.set_repeat_rows(self.row, self.row)?;
        self.row += 1;
        Ok(())
    }

    fn seen(&mut self, col: u16, text: &str) {
        // Header text wraps onto two lines at most; a longest line is what needs the width.
        let w = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
        if let Some(slot) = self.widths.get_mut(usize::from(col)) {
            *slot = (*slot).max(w);
        }
    }

    /// One row of cells.
    pub(crate) fn row(&mut self, cells: &[Cell], look: Look) -> Result<(), Error> {
        for (col, cell) in (0_u16..).zip(cells) {
            self.cell(col, cell, look)?;
        }
        self.row += 1;
        Ok(())
    }

    fn format(&self, cell: &Cell, look: Look) -> Format {
        let mut f = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top);
        if look.bold {
            f = f.set_bold();
        }
        if look.short {
            f = f
                .set_font_color(Color::RGB(RED))
                .set_background_color(Color::RGB(RED_FILL));
        }
        if look.total {
            f = f.set_border_top(FormatBorder::Medium);
        }
        let unit = Unit::Wan.label(self.lang);
        let number = match cell {
            Cell::Wan(_) => Some("#,##0.00".to_owned()),
            Cell::WanUnit(_) => Some(format!("#,##0.00\" {unit}\"")),
            Cell::Percent(_) => Some("0.00%".to_owned()),
            Cell::Pp(_) => Some("+0.00\" pp\";-0.00\" pp\";0.00\" pp\"".to_owned()),
            Cell::Value(v, sign) => {
                let base = match v {
                    Value::Amount(_) => format!("#,##0.00\" {unit}\""),
                    Value::Ratio(_) => "0.00%".to_owned(),
                    Value::Points(_) => "+0.00\" pp\";-0.00\" pp\";0.00\" pp\"".to_owned(),
                    Value::Number(_) => "General".to_owned(),
                };
                Some(match sign {
                    // A sign before each section of the format.
                    Some(s) => base
                        .split(';')
                        .map(|part| format!("\"{s} \"{part}"))
                        .collect::<Vec<_>>()
                        .join(";"),
                    None => base,
                })
            }
            Cell::Text(t) => {
                if t.width() > MAX_WIDTH {
                    f = f.set_text_wrap();
                }
                None
            }
            Cell::Dash => {
                f = f.set_align(FormatAlign::Right);
                None
            }
            _ => None,
        };
        match number {
            Some(n) => f.set_num_format(n),
            None => f,
        }
    }

    fn cell(&mut self, col: u16, cell: &Cell, look: Look) -> Result<(), Error> {
        let f = self.format(cell, look);
        let text = shown(cell, self.lang);
        let (row, ws) = (self.row, &mut *self.ws);
        let mut number = |d: Decimal, exact_text: &dyn Fn() -> String| -> Result<(), Error> {
            match fits_a_number_cell(d) {
                Some(x) => ws.write_number_with_format(row, col, x, &f)?,
                // More digits than a number cell holds: the exact value as text.
                None => ws.write_string_with_format(row, col, exact_text(), &f)?,
            };
            Ok(())
        };
        match cell {
            Cell::Text(s) => {
                ws.write_string_with_format(row, col, s, &f)?;
                // Wrapped text: as many lines as it takes at the widest a column gets.
                let lines = s.width().div_ceil(MAX_WIDTH + 6);
                if lines > 1 {
                    let slot = self.tall.entry(row).or_insert(1);
                    *slot = (*slot).max(lines);
                }
            }
            Cell::Dash => {
                ws.write_string_with_format(row, col, "—", &f)?;
            }
            Cell::Wan(a) | Cell::WanUnit(a) | Cell::Value(Value::Amount(a), _) => {
                number(wan(*a), &|| a.display_in(Unit::Wan, self.lang).to_string())?;
            }
            Cell::Percent(r) | Cell::Value(Value::Ratio(r), _) => {
                ws.write_number_with_format(row, col, to_f64(r.as_fraction()), &f)?;
            }
            Cell::Pp(p) | Cell::Value(Value::Points(p), _) => {
                ws.write_number_with_format(row, col, to_f64(p.value()), &f)?;
            }
            Cell::Value(Value::Number(n), _) => number(*n, &|| n.normalize().to_string())?,
            Cell::Points(p) => number(p.value(), &|| p.to_string())?,
            Cell::Int(n) => {
                #[allow(clippy::cast_precision_loss)] // ranks and counts
                ws.write_number_with_format(row, col, *n as f64, &f)?;
            }
            Cell::Blank => {
                ws.write_blank(row, col, &f)?;
            }
        }
        self.seen(col, &text);
        Ok(())
    }

    /// Set the column widths to fit what was written (Chinese characters count double, and a
    /// little more: their glyphs are wider than two digits), and the heights of rows whose text
    /// wraps (spreadsheets do not all grow them on opening).
    pub(crate) fn finish(self) -> Result<(), Error> {
        for (col, w) in (0_u16..).zip(&self.widths) {
            #[allow(clippy::cast_precision_loss)] // widths of a few dozen characters
            let width = (w.clamp(&4, &MAX_WIDTH) + 2) as f64 * 1.15;
            self.ws.set_column_width(col, width)?;
        }
        for (row, lines) in &self.tall {
            #[allow(clippy::cast_precision_loss)] // a few lines
            self.ws.set_row_height(*row, 14.5 * *lines as f64)?;
        }
        Ok(())
    }
}

/// A quotient as a float, for a cell shown to two decimals.
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

/// A new workbook dated `date` (so that the same figures give the same bytes), titled `title`.
pub(crate) fn new_book(title: &str, date: chrono::NaiveDate) -> Result<Workbook, Error> {
    let mut book = Workbook::new();
    use chrono::Datelike;
    let when = ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(2020),
        u8::try_from(date.month()).unwrap_or(1),
        u8::try_from(date.day()).unwrap_or(1),
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("fupin")
            .set_creation_datetime(&when),
    );
    Ok(book)
}

/// The label in a language.
pub(crate) const fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Headers as owned strings.
pub(crate) fn headers(lang: Lang, pairs: &[(&'static str, &'static str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(z, e)| tr(lang, z, e).to_owned())
        .collect()
}
