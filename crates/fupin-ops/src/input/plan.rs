//! Plan data read from text: `last_year_from` resolved to an embedded year, or by the face.

use fupin::data::PlanData;

use crate::problem::Problem;

/// Plan data from text: `last_year_from` resolved to an embedded year, or by `prior`.
pub(crate) fn plan_data_text(
    text: &str,
    json: bool,
    prior: &mut dyn FnMut(&str) -> Result<PlanData, Problem>,
) -> Result<PlanData, Problem> {
    let problem = |e: fupin::data::DataError| Problem::from(fupin::Error::from(e));
    let Some(reference) = fupin::years::prior_reference(text, json).map_err(problem)? else {
        return if json {
            PlanData::from_json(text)
        } else {
            PlanData::from_toml(text)
        }
        .map_err(problem);
    };
    let prior = match fupin::years::embedded_data(&reference) {
        Some(d) => d,
        None => prior(&reference)?,
    };
    fupin::years::with_prior(text, json, Some(&prior)).map_err(problem)
}

/// The `prior` of a reader that reads no file: a `last_year_from` that is not an embedded
/// year is refused.
pub(crate) fn no_prior_file(reference: &str) -> Result<PlanData, Problem> {
    let message = format!(
        "`{reference}`: only an embedded year (\"2020\") can be named here; give the prior year's figures as `last_year` of each county"
    );
    Err(Problem::invalid(
        message.clone(),
        vec![crate::problem::field(
            "invalid",
            "last_year_from",
            Some(reference.to_owned()),
            message,
        )],
    ))
}
