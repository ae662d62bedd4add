//! The forms the page posts: each endpoint's inputs as uploaded files, read exactly as the
//! command reads the same files (a workbook by `fupin-xlsx`, text by the rules' own parsers).

use std::borrow::Cow;

use fupin::Policy;
use fupin::assessment::{ScoreInput, Scorecard};
use fupin::data::PlanData;
use fupin::spending::{Bulletin, Ledger, Schedule, YearMonth, bulletin, ledger::unit_names};
use fupin_io::Format;
use fupin_ops::legacy::{PolicyRef, sub};
use fupin_ops::output::ScoreOutput;
use fupin_ops::{Problem, ProblemField};

use crate::state::AppState;
use crate::web::{Part, Upload, file, part, required_file, text_field, workbook_problem};

/// The policy a form names in its `policy` field (a policy of the service's directory), or the
/// embedded 2020 plan.
fn policy_of<'a>(s: &'a AppState, parts: &[Part]) -> Result<Cow<'a, Policy>, Problem> {
    match part(parts, "policy") {
        None => Ok(Cow::Borrowed(s.embedded())),
        Some(_) => {
            let name = text_field(parts, "policy", "the name of a policy of the service")?;
            s.policy(PolicyRef::Named(name), "policy")
        }
    }
}

fn invalid(member: &str, value: &str, message: String) -> Problem {
    Problem::invalid(
        format!("{member}: {message}"),
        vec![ProblemField {
            path: member.to_owned(),
            code: fupin::ErrorCode::INVALID,
            message,
            value: Some(value.to_owned()),
        }],
    )
}

/// `ledger` (a workbook, CSV or JSON), `month` (`YYYY-MM`), `schedule` (TOML or JSON,
/// optional: the policy's by default), `policy` (a name, optional).
///
/// # Errors
/// A missing or unreadable part; every bad cell of the ledger.
pub fn bulletin_of<'a>(
    s: &'a AppState,
    parts: &[Part],
) -> Result<(Bulletin, Cow<'a, Policy>), Problem> {
    let policy = policy_of(s, parts)?;
    let units = unit_names(s.embedded_data());
    let year = policy.meta.year;
    let month_text = text_field(parts, "month", "the month to report, YYYY-MM")?;
    let month: YearMonth = month_text
        .parse()
        .map_err(|e: fupin::spending::BadMonth| invalid("month", &month_text, e.to_string()))?;
    let ledger = match required_file(
        parts,
        "ledger",
        &[Format::Csv, Format::Json, Format::Workbook],
        "the month's ledger",
    )? {
        Upload::Workbook(bytes) => fupin_xlsx::ledger_from_bytes(&bytes, year, &units)
            .map_err(|e| workbook_problem(&e, "ledger"))?,
        Upload::Text(text, Format::Json) => {
            Ledger::from_json(&text, year, &units).map_err(|e| sub(e, "ledger"))?
        }
        Upload::Text(text, _) => {
            Ledger::from_csv(&text, year, &units).map_err(|e| sub(e, "ledger"))?
        }
    };
    let schedule = match file(
        parts,
        "schedule",
        &[Format::Toml, Format::Json],
        "the schedule",
    )? {
        None => policy.spending.schedule.clone(),
        Some(Upload::Text(text, Format::Json)) => {
            Some(Schedule::from_json(&text).map_err(|e| sub(e, "schedule"))?)
        }
        Some(Upload::Text(text, _)) => {
            Some(Schedule::from_toml(&text).map_err(|e| sub(e, "schedule"))?)
        }
        Some(Upload::Workbook(_)) => None,
    };
    let b = bulletin::bulletin(&ledger, month, schedule.as_ref()).map_err(|e| sub(e, "month"))?;
    Ok((b, policy))
}

/// `counties` (a workbook of county figures, optional: the embedded figures by default),
/// `policy` (a name, optional).
///
/// # Errors
/// An unreadable workbook, every bad cell named.
pub fn report_of(s: &AppState, parts: &[Part]) -> Result<fupin::report::Report, Problem> {
    let policy = policy_of(s, parts)?;
    let mut data: PlanData = s.embedded_data().clone();
    if let Some(upload) = file(parts, "counties", &[Format::Workbook], "the county figures")? {
        let Upload::Workbook(bytes) = upload else {
            return Err(Problem::invalid(
                "counties: the county figures are read from a workbook (.xlsx, .xls, .ods)",
                vec![],
            ));
        };
        let book = fupin_xlsx::Workbook::from_bytes("county figures", &bytes)
            .map_err(|e| workbook_problem(&e, "counties"))?;
        data.counties =
            fupin_xlsx::read_counties(&book).map_err(|e| workbook_problem(&e, "counties"))?;
        // The figures are the user's: no longer the embedded illustrative ones.
        data.meta.illustrative.retain(|p| p != "counties");
        data.meta.source = format!("{} (county figures uploaded)", data.meta.source);
        data.validate().map_err(|e| sub(e, "counties"))?;
    }
    data.check_year(policy.meta.year)
        .map_err(|e| sub(e, "policy"))?;
    fupin::report::report(&policy, &data).map_err(|e| sub(e, "counties"))
}

/// `card` (`a` or `b`), `input` (a workbook or JSON of units' scores), `policy` (a name,
/// optional). Units the card refuses are listed with their row of the sheet.
///
/// # Errors
/// A missing or unreadable part, every bad cell named.
pub fn scores_of<'a>(
    s: &'a AppState,
    parts: &[Part],
) -> Result<(ScoreOutput, Cow<'a, Policy>), Problem> {
    let policy = policy_of(s, parts)?;
    let id = text_field(parts, "card", "the scorecard, a or b")?;
    let card: Scorecard = policy.assessment.card(&id).cloned().ok_or_else(|| {
        let ids: Vec<&str> = policy
            .assessment
            .cards
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        invalid(
            "card",
            &id,
            format!("not a card of the policy ({})", ids.join(", ")),
        )
    })?;
    let upload = required_file(
        parts,
        "input",
        &[Format::Json, Format::Workbook],
        "the units' scores",
    )?;
    let (inputs, sheet) = match upload {
        Upload::Workbook(bytes) => {
            let sheet = fupin_xlsx::scores_from_bytes(&bytes, &card)
                .map_err(|e| workbook_problem(&e, "input"))?;
            (sheet.inputs.clone(), Some(sheet))
        }
        Upload::Text(text, _) => (
            ScoreInput::many_from_json(&text).map_err(|e| sub(e, "input"))?,
            None,
        ),
    };
    let mut out = fupin_ops::output::score_units(&card, &inputs, true, "input")?;
    if let Some(sheet) = &sheet {
        for e in &mut out.errors {
            e.problem.detail = format!("{}: {}", sheet.place(e.row, None), e.problem.detail);
        }
    }
    Ok((out, policy))
}
