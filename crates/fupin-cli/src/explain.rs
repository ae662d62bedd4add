//! `--explain`: the plan's own words next to each result.

use fupin::{Check, Lang};

use crate::common::CliError;

/// The mark before a sentence of the plan (原文: the original text).
pub const MARK: &str = "原文 ›";

/// Print each check with its result and a reference to the sentence of the plan it comes from
/// (朝财农〔2020〕67号, in its Chinese); each sentence is printed once, after the checks.
pub fn checks(checks: &[Check], lang: Lang) -> Result<(), CliError> {
    let title = match lang {
        Lang::Zh => "检查依据（方案原文）",
        Lang::En => "Where each check comes from (the plan's words)",
    };
    outln!("\n{title}");
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
        outln!(
            "{} {} {}{subject}: {} {} {}{reference}",
            if c.passed { "✓" } else { "✗" },
            c.clause,
            c.label.get(lang),
            c.actual.display(lang),
            c.comparison.symbol(),
            c.threshold.display(lang)
        );
    }
    outln!();
    for (n, (c, words)) in sentences.iter().enumerate() {
        outln!("[{}] {} {} {MARK} {words}", n + 1, c.clause, c.section);
    }
    Ok(())
}

/// Print one sentence of the plan.
pub fn words(words: &str) -> Result<(), CliError> {
    outln!("{MARK} {words}");
    Ok(())
}
