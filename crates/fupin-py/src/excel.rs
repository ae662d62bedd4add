//! Results written as Excel workbooks (`fupin-xlsx`): `to_excel(path)` on the report, the
//! bulletin and a unit's score, and `scores_to_excel` for a ranking. The workbook is assembled
//! in Rust; this module only writes the file.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use crate::assessment::ScoreReport;
use crate::plan::{Policy, Report, lang};
use crate::spending::Bulletin;

/// Write a workbook's bytes to `path`, an `OSError` naming the file when that fails.
fn save(path: &Path, bytes: Result<Vec<u8>, fupin_xlsx::Error>) -> PyResult<()> {
    let bytes = bytes.map_err(|e| PyValueError::new_err(e.to_string()))?;
    std::fs::write(path, bytes)
        .map_err(|e| PyOSError::new_err(format!("{}: cannot write: {e}", path.display())))
}

/// The policy given, or the embedded 2020 plan.
fn policy_or_embedded(policy: Option<&Policy>) -> Cow<'_, fupin::Policy> {
    policy.map_or_else(
        || Cow::Owned(fupin::Policy::chaoyang_2020()),
        |p| Cow::Borrowed(p.0.as_ref()),
    )
}

#[pymethods]
impl Report {
    /// Write the report as an Excel workbook at `path`: the county table, the checks with
    /// their clauses and the plan's words, the city's input and the integration ratio.
    #[pyo3(signature = (path, lang = "zh"))]
    fn to_excel(&self, path: PathBuf, lang: &str) -> PyResult<()> {
        save(&path, fupin_xlsx::write::report(&self.0, self::lang(lang)?))
    }
}

#[pymethods]
impl Bulletin {
    /// Write the bulletin as an Excel workbook at `path`, as an officer sends it (title with
    /// the month and the plan's number, 万元 formats, units behind schedule in red, the checks
    /// on a second sheet); `policy` names the plan (default: the embedded 2020 plan).
    #[pyo3(signature = (path, lang = "zh", policy = None))]
    fn to_excel(&self, path: PathBuf, lang: &str, policy: Option<&Policy>) -> PyResult<()> {
        let policy = policy_or_embedded(policy);
        save(
            &path,
            fupin_xlsx::write::bulletin(&self.0, &policy, self::lang(lang)?),
        )
    }
}

#[pymethods]
impl ScoreReport {
    /// Write this unit's score as an Excel workbook at `path` (`fupin.scores_to_excel` writes
    /// several units, ranked).
    #[pyo3(signature = (path, lang = "zh", policy = None))]
    fn to_excel(&self, path: PathBuf, lang: &str, policy: Option<&Policy>) -> PyResult<()> {
        write_scores(std::slice::from_ref(self.core()?), &path, lang, policy)
    }
}

/// Write units' scores on one card, ranked, as an Excel workbook at `path`: the ranking
/// (vetoed units last, in red), then every unit's items and bonus lines with their sources.
#[pyfunction]
#[pyo3(signature = (reports, path, lang = "zh", policy = None))]
fn scores_to_excel(
    reports: Vec<Bound<'_, ScoreReport>>,
    path: PathBuf,
    lang: &str,
    policy: Option<&Policy>,
) -> PyResult<()> {
    let inner = reports
        .iter()
        .map(|r| r.get().core().cloned())
        .collect::<PyResult<Vec<_>>>()?;
    write_scores(&inner, &path, lang, policy)
}

/// Rank `reports` and write them as a workbook at `path`.
fn write_scores(
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
            self::lang(lang)?,
        ),
    )
}

/// Add `scores_to_excel` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scores_to_excel, m)?)?;
    Ok(())
}
