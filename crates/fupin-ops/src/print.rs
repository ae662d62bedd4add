//! The one printer of every result: JSON (the contract), text, Markdown, a workbook.
//!
//! Every face prints through [`print()`]: the command line to standard output or `-o FILE`, the
//! service into a response body, Python into a string. Text and Markdown come from the result
//! ([`Outcome::to_text`], [`Outcome::to_markdown`]); characters a terminal would act on are
//! shown as escapes ([`safe_text`]), whatever the input held.

use std::borrow::Cow;
use std::io::Write;

use fupin::{Check, Lang};
use serde::Serialize;

use crate::contract::{write_json, write_unversioned};
use crate::operation::{Outcome, Show};

/// The formats a result is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// The contract's JSON (`fupin_ops::to_json`).
    Json,
    /// Readable tables for a terminal.
    Text,
    /// Markdown tables.
    Markdown,
    /// An Excel workbook (`.xlsx`), for the results that have one.
    Xlsx,
}

/// Why a result could not be printed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrintError {
    /// Writing failed (a closed pipe, a full disk).
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The result has no workbook.
    #[error("the result has no workbook output: use text, markdown or json")]
    NoWorkbook,
    /// The workbook could not be assembled (a bug).
    #[error(transparent)]
    Workbook(#[from] fupin_xlsx::Error),
}

/// Print `outcome` in `format` to `out`.
///
/// # Errors
/// [`PrintError::NoWorkbook`] for `Xlsx` on a result without one; what `out` returns.
pub fn print<O: Outcome + Serialize, W: Write>(
    outcome: &O,
    format: OutputFormat,
    show: &Show,
    mut out: W,
) -> Result<(), PrintError> {
    match format {
        OutputFormat::Json if outcome.versioned() => write_json(out, outcome)?,
        OutputFormat::Json => write_unversioned(out, outcome)?,
        OutputFormat::Text => {
            out.write_all(safe_text(&outcome.to_text(show)).as_bytes())?;
            out.flush()?;
        }
        OutputFormat::Markdown => {
            out.write_all(safe_text(&outcome.to_markdown(show)).as_bytes())?;
            out.flush()?;
        }
        OutputFormat::Xlsx => {
            let bytes = outcome.to_xlsx(show).ok_or(PrintError::NoWorkbook)??;
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Text with every control character but line breaks and tabs shown as its escape: the last
/// line of defence, so that no text from input (an actor named `"\u{1b}[2J…"`) can act on a
/// terminal, whatever the result.
#[must_use]
pub fn safe_text(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && c != '\t' && fupin::render::is_unsafe_char(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&fupin::render::escape_text(c.encode_utf8(&mut [0; 4])));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The mark before a sentence of the plan (原文: the original text), which is always in its
/// Chinese.
const fn words_mark(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "原文 ›",
        Lang::En => "the plan's words (zh) ›",
    }
}

/// One sentence of the plan, marked.
#[must_use]
pub fn plan_words(words: &str, lang: Lang) -> String {
    format!("{} {words}\n", words_mark(lang))
}

/// Each check with its result and a reference to the sentence of the plan it comes from
/// (朝财农〔2020〕67号, in its Chinese); each sentence once, after the checks (`--explain`).
#[must_use]
pub fn explain_checks(checks: &[Check], lang: Lang) -> String {
    let title = match lang {
        Lang::Zh => "检查依据（方案原文）",
        Lang::En => "Where each check comes from (the plan's words)",
    };
    let mut out = format!("\n{title}\n");
    let mut sentences: Vec<(&Check, &str)> = Vec::new();
    for c in checks {
        let reference = match &c.clause_text {
            Some(words) => {
                let n = match sentences.iter().position(|(_, w)| *w == words.as_str()) {
                    Some(n) => n,
                    None => {
                        sentences.push((c, words));
                        sentences.len() - 1
                    }
                };
                format!(" [{}]", n + 1)
            }
            None => String::new(),
        };
        let subject = c
            .subject
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        // A passed check reads as a true statement (`25.00% ≥ 20.00%`); a failed one names the
        // requirement it misses instead of asserting a false inequality.
        let (actual, threshold) = (c.actual.display(lang), c.threshold.display(lang));
        let symbol = c.comparison.symbol();
        let result = match (c.passed, lang) {
            (true, _) => format!("{actual} {symbol} {threshold}"),
            (false, Lang::Zh) => format!("{actual}，未达到要求 {symbol} {threshold}"),
            (false, Lang::En) => format!("{actual}, short of the required {symbol} {threshold}"),
        };
        out.push_str(&format!(
            "{} {} {}{subject}: {result}{reference}\n",
            if c.passed { "✓" } else { "✗" },
            c.clause,
            c.label.get(lang),
        ));
    }
    out.push('\n');
    for (n, (c, words)) in sentences.iter().enumerate() {
        out.push_str(&format!(
            "[{}] {} {} {} {words}\n",
            n + 1,
            c.clause,
            c.section,
            words_mark(lang)
        ));
    }
    out
}
