//! Plain-text and Markdown tables for reports, aware of the width of Chinese characters.
//!
//! Rendering is presentation only: it formats values that the rules have already decided.
//!
//! Text from input (a county, an actor, a project) is escaped wherever it is rendered, so no
//! name can act on the reader's screen: in plain text a control character or line break shows
//! as its escape (`\u{1b}`, `\n`) instead of clearing a terminal or starting a line
//! ([`escape_text`]); in Markdown the characters that make tables, links and emphasis are
//! backslash-escaped too ([`escape_markdown`]); in HTML, `&<>"'` ([`escape_html`]). Input
//! validation refuses such names in the first place ([`crate::check_name`]); escaping is the
//! second line of defence, for data that did not pass through it.
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

use crate::money::Lang;

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

    /// The column headers and their alignment.
    #[must_use]
    pub fn headers(&self) -> &[(String, Align)] {
        &self.headers
    }

    /// The rows, as added.
    #[must_use]
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Add a row; missing cells are blank, extra cells are ignored.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn cell(row: &[String], i: usize) -> &str {
        row.get(i).map_or("", String::as_str)
    }

    /// The table with every header and cell escaped by `esc`.
    fn escaped(&self, esc: fn(&str) -> String) -> (Vec<String>, Vec<Vec<String>>) {
        let headers = self.headers.iter().map(|(h, _)| esc(h)).collect();
        let rows = self
            .rows
            .iter()
            .map(|r| {
                (0..self.headers.len())
                    .map(|i| esc(Self::cell(r, i)))
                    .collect()
            })
            .collect();
        (headers, rows)
    }

    /// The table as aligned plain text, two spaces between columns (cells escaped by
    /// [`escape_text`]).
    #[must_use]
    pub fn to_text(&self) -> String {
        let (header, rows) = self.escaped(|s| escape_text(s).into_owned());
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                let head = header.get(i).map_or(0, |h| h.width());
                rows.iter()
                    .map(|r| Self::cell(r, i).width())
                    .fold(head, usize::max)
            })
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&rows) {
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

    /// The table as an HTML `<table>` (cells escaped), for notebooks.
    #[must_use]
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table>\n<thead><tr>");
        for (h, a) in &self.headers {
            out.push_str(&format!(
                "<th style=\"text-align:{}\">{}</th>",
                align_css(*a),
                escape_html(h)
            ));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for (i, (_, a)) in self.headers.iter().enumerate() {
                out.push_str(&format!(
                    "<td style=\"text-align:{}\">{}</td>",
                    align_css(*a),
                    escape_html(Self::cell(row, i))
                ));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// The table as GitHub-flavoured Markdown (cells escaped by [`escape_markdown`]).
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let (header, rows) = self.escaped(escape_markdown);
        let mut out = String::from("|");
        for h in &header {
            out.push_str(&format!(" {h} |"));
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
        for row in &rows {
            out.push('|');
            for cell in row {
                out.push_str(&format!(" {cell} |"));
            }
            out.push('\n');
        }
        out
    }
}

/// The text in `lang` of a pair of static labels.
#[must_use]
pub const fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Turn text rendered with HTML tables into an HTML fragment: prose lines become escaped
/// paragraphs, tables stay as they are, all inside `<div class="{class}">`.
#[must_use]
pub fn html_blocks(text: &str, class: &str) -> String {
    let mut out = format!("<div class=\"{}\">\n", escape_html(class));
    for block in text.split_inclusive("</table>\n") {
        let (prose, table) = block.split_once("<table>").unwrap_or((block, ""));
        for line in prose.lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("<p>{}</p>\n", escape_html(line)));
        }
        if !table.is_empty() {
            out.push_str("<table>");
            out.push_str(table);
        }
    }
    out.push_str("</div>\n");
    out
}

const fn align_css(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Right => "right",
    }
}

pub use crate::vocab::{escape_text, is_unsafe_char};

/// Text for Markdown: [`escape_text`], then a backslash before each character that makes
/// tables, emphasis, links, code or HTML (`\ | * _ [ ] < > ` ~ #`), so a name renders as
/// itself and never as a new row, a link or a tag.
///
/// # Example
/// ```
/// use fupin::render::escape_markdown;
/// assert_eq!(escape_markdown("甲县"), "甲县");
/// assert_eq!(escape_markdown("x\n| fake | row |"), "x\\\\n\\| fake \\| row \\|");
/// assert_eq!(escape_markdown("[点击](http://x)"), "\\[点击\\](http://x)");
/// ```
#[must_use]
pub fn escape_markdown(s: &str) -> String {
    let text = escape_text(s);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '~' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape `&`, `<`, `>`, `"` and `'` for HTML text and attributes, and show control
/// characters as their escapes ([`escape_text`]).
#[must_use]
pub fn escape_html(s: &str) -> String {
    let s = escape_text(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_cells_and_keeps_alignment() {
        let mut t = Table::new(vec![("a<b", Align::Left), ("n", Align::Right)]);
        t.row(vec!["<script>&".into()]);
        let html = t.to_html();
        assert!(
            html.contains("<th style=\"text-align:left\">a&lt;b</th>"),
            "{html}"
        );
        assert!(html.contains("<td style=\"text-align:left\">&lt;script&gt;&amp;</td><td style=\"text-align:right\"></td>"), "{html}");
    }

    #[test]
    fn a_name_cannot_add_a_row_or_reach_the_terminal() {
        // Issue #10.6: a county named "x\n| fake | row |" added a row to a Markdown report.
        let mut t = Table::new(vec![("县", Align::Left), ("n", Align::Right)]);
        t.row(vec!["x\n| fake | row |".into(), "1".into()]);
        t.row(vec!["\u{1b}[2JALL CHECKS PASSED".into(), "2".into()]);
        let md = t.to_markdown();
        assert_eq!(md.lines().count(), 4, "{md}");
        assert!(md.contains("| x\\\\n\\| fake \\| row \\| | 1 |"), "{md}");
        let text = t.to_text();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            !text.contains('\u{1b}') && text.contains("\\u{1b}[2J"),
            "{text}"
        );
        let html = t.to_html();
        assert!(!html.contains('\u{1b}') && !html.contains("x\n"), "{html}");
    }

    #[test]
    fn markdown_escapes_pipes_and_text_pads_by_display_width() {
        let mut t = Table::new(vec![("名称", Align::Left), ("x", Align::Right)]);
        t.row(vec!["a|b".into(), "1".into()]);
        assert!(t.to_markdown().contains("| a\\|b | 1 |"));
        assert_eq!(t.to_text(), "名称  x\na|b   1\n");
    }
}
