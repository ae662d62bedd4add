//! Results written as Excel workbooks (`fupin-xlsx`): the `to_excel(path)` methods and
//! `scores_to_excel`. The workbook is assembled in Rust; this module only writes the file.

use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use crate::assessment::ScoreReport;
use crate::plan::Policy;

/// Write a workbook's bytes to `path`, an `OSError` naming the file when that fails.
pub fn save(path: &Path, bytes: Result<Vec<u8>, fupin_xlsx::Error>) -> PyResult<()> {
    let bytes = bytes.map_err(|e| PyValueError::new_err(e.to_string()))?;
    std::fs::write(path, bytes)
        .map_err(|e| PyOSError::new_err(format!("{}: cannot write: {e}", path.display())))
}

/// The policy given, or the embedded 2020 plan.
pub fn policy_or_embedded(policy: Option<&Policy>) -> std::borrow::Cow<'_, fupin::Policy> {
    policy.map_or_else(
        || std::borrow::Cow::Owned(fupin::Policy::chaoyang_2020()),
        |p| std::borrow::Cow::Borrowed(&p.0),
    )
}

/// Write units' scores on one card, ranked, as an Excel workbook at `path`: the ranking
/// (vetoed units last, in red), then every unit's items and bonus lines with their sources.
#[pyfunction]
#[pyo3(signature = (reports, path, lang = "zh", policy = None))]
pub fn scores_to_excel(
    reports: Vec<Bound<'_, ScoreReport>>,
    path: PathBuf,
    lang: &str,
    policy: Option<&Policy>,
) -> PyResult<()> {
    let inner: Vec<fupin::assessment::ScoreReport> =
        reports.iter().map(|r| r.get().0.clone()).collect();
    write_scores(&inner, &path, lang, policy)
}

/// Rank `reports` and write them as a workbook at `path`.
pub fn write_scores(
    reports: &[fupin::assessment::ScoreReport],
    path: &Path,
    lang: &str,
    policy: Option<&Policy>,
) -> PyResult<()> {
    let ranking = fupin::assessment::rank(reports).map_err(crate::errors::to_py_err)?;
    let policy = policy_or_embedded(policy);
    save(
        path,
        fupin_xlsx::write::scores(
            reports,
            &ranking,
            &[],
            &policy.meta.source,
            policy.meta.year,
            crate::plan::lang(lang)?,
        ),
    )
}
