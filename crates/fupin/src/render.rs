//! Plain-text and Markdown tables for reports, aware of the width of Chinese characters.
//!
//! Rendering is presentation only: it formats values that the rules have already decided.
//!
//! # Example
//! ```
//! use fupin::render::{Align, Table};
//! let mut t = Table::new(vec![("县", Align::Left), ("定额", Align::Right)]);
//! t.row(vec!["建平县".into(), "2,500 万元".into()]);
//! assert_eq!(t.to_text(), "县            定额\n建平县  2,500 万元\n");
//! assert!(t.to_markdown().starts_with("| 县 | 定额 |\n| :-- | --: |\n"));
//! ```

use unicode_width::UnicodeWidthStr;

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Pad on the right.
    Left,
    /// Pad on the left (numbers).
    Right,
}

/// A table of strings.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers.
    #[must_use]
    pub fn new<S: Into<String>>(headers: Vec<(S, Align)>) -> Self {
        Self {
            headers: headers.into_iter().map(|(h, a)| (h.into(), a)).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row; missing cells are blank, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn cell(row: &[String], i: usize) -> &str {
        row.get(i).map_or("", String::as_str)
    }

    /// The table as aligned plain text, two spaces between columns.
    #[must_use]
    pub fn to_text(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                let head = self.headers.get(i).map_or(0, |(h, _)| h.width());
                self.rows
                    .iter()
                    .map(|r| Self::cell(r, i).width())
                    .fold(head, usize::max)
            })
            .collect();
        let mut out = String::new();
        let header: Vec<String> = self.headers.iter().map(|(h, _)| h.clone()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, ((_, align), width)) in self.headers.iter().zip(&widths).enumerate() {
                let cell = Self::cell(row, i);
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                if i > 0 {
                    line.push_str("  ");
                }
                match align {
                    Align::Left => {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                    Align::Right => {
                        line.push_str(&pad);
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The table as GitHub-flavoured Markdown (`|` in cells escaped).
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| s.replace('|', "\\|");
        let mut out = String::from("|");
        for (h, _) in &self.headers {
            out.push_str(&format!(" {} |", esc(h)));
        }
        out.push_str("\n|");
        for (_, a) in &self.headers {
            out.push_str(if *a == Align::Left {
                " :-- |"
            } else {
                " --: |"
            });
        }
        out.push('\n');
        for row in &self.rows {
            out.push('|');
            for i in 0..self.headers.len() {
                out.push_str(&format!(" {} |", esc(Self::cell(row, i))));
            }
            out.push('\n');
        }
        out
    }
}
