//! `--explain`: the plan's own words next to each result.

use fupin::{Check, Lang};

use crate::common::CliError;

/// The mark before a sentence of the plan (原文: the original text), which is always in its
/// Chinese.
const fn mark(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "原文 ›",
        Lang::En => "the plan's words (zh) ›",
    }
}

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
        // A passed check reads as a true statement (`25.00% ≥ 20.00%`); a failed one names the
        // requirement it misses instead of asserting a false inequality.
        let (actual, threshold) = (c.actual.display(lang), c.threshold.display(lang));
        let symbol = c.comparison.symbol();
        let result = match (c.passed, lang) {
            (true, _) => format!("{actual} {symbol} {threshold}"),
            (false, Lang::Zh) => format!("{actual}，未达到要求 {symbol} {threshold}"),
            (false, Lang::En) => format!("{actual}, short of the required {symbol} {threshold}"),
        };
        outln!(
            "{} {} {}{subject}: {result}{reference}",
            if c.passed { "✓" } else { "✗" },
            c.clause,
            c.label.get(lang),
        );
    }
    outln!();
    for (n, (c, words)) in sentences.iter().enumerate() {
        outln!(
            "[{}] {} {} {} {words}",
            n + 1,
            c.clause,
            c.section,
            mark(lang)
        );
    }
    Ok(())
}

/// Print one sentence of the plan.
pub fn words(words: &str, lang: Lang) -> Result<(), CliError> {
    outln!("{} {words}", mark(lang));
    Ok(())
}
