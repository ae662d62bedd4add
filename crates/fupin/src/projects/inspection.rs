//! 年度中期检查、评比排名 — the mid-year inspection and ranking of the counties' libraries (M6).
//!
//! A county's score is the weighted sum of the shares of its projects that meet each
//! [`InspectionMetric`]; the weights are the user's (the plan gives none). Scores are compared
//! exactly, by cross-multiplication, and ties share a rank.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Project, ProjectError, ProjectLibrary, ProjectsPolicy};
use crate::check::Label;
use crate::money::{Lang, Ratio};

/// A measure of a county's library in the mid-year inspection (M6 年度中期检查): the share of its
/// projects that meet it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectionMetric {
    /// 规范化: every field the policy requires is filled in.
    CompleteFields,
    /// 档案化: every document the policy requires is on file.
    CompleteDocuments,
    /// M8: performance targets reviewed by the finance department.
    TargetsReviewed,
    /// M8: performance targets filed with the city leading group.
    TargetsFiled,
    /// M8: performance targets published.
    TargetsPublished,
    /// M3: the project serves a poor village.
    ServesPoorVillage,
}

impl InspectionMetric {
    /// The metric's label.
    #[must_use]
    pub const fn label(self) -> Label {
        match self {
            Self::CompleteFields => Label::new("要素齐全", "required fields complete"),
            Self::CompleteDocuments => Label::new("档案齐全", "documents on file"),
            Self::TargetsReviewed => Label::new("绩效目标已审核", "targets reviewed"),
            Self::TargetsFiled => Label::new("绩效目标已备案", "targets filed"),
            Self::TargetsPublished => Label::new("绩效目标已公开", "targets published"),
            Self::ServesPoorVillage => Label::new("服务贫困村", "serves a poor village"),
        }
    }

    fn met<A: TargetsProgress>(
        self,
        p: &Project,
        approval: Option<&A>,
        policy: &ProjectsPolicy,
    ) -> bool {
        match self {
            Self::CompleteFields => p.missing_fields(policy).is_empty(),
            Self::CompleteDocuments => p.missing_documents(policy).is_empty(),
            Self::TargetsReviewed => approval.is_some_and(TargetsProgress::targets_reviewed),
            Self::TargetsFiled => approval.is_some_and(TargetsProgress::targets_filed),
            Self::TargetsPublished => approval.is_some_and(TargetsProgress::targets_published),
            Self::ServesPoorVillage => p.serves_poor_village,
        }
    }
}

/// A project's M8 progress as the inspection reads it (财政审核、备案、公开 of its performance
/// targets): the approval chain's state of a project
/// ([`ProjectApproval`](crate::approval::ProjectApproval)) is one.
pub trait TargetsProgress {
    /// The targets were reviewed by the finance department.
    fn targets_reviewed(&self) -> bool;
    /// The targets were filed with the city leading group.
    fn targets_filed(&self) -> bool;
    /// The targets were published.
    fn targets_published(&self) -> bool;
}

/// The user's weights for the mid-year inspection: a county's score is the weighted sum of the
/// shares of its projects that meet each metric. The plan gives no weights; they must be
/// supplied. Weights are exact decimals (`"40"`, `"0.25"`), non-negative, not all zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct InspectionWeights(pub BTreeMap<InspectionMetric, WeightValue>);

/// One inspection weight, an exact decimal serialised as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct WeightValue(
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "crate::check::decimal_str")]
    pub Decimal,
);

/// One county's result in the mid-year inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountyInspection {
    /// The county.
    pub county: String,
    /// 1 for the best; counties with equal scores share a rank (1, 1, 3).
    pub rank: usize,
    /// Number of projects in the library.
    pub projects: usize,
    /// For each weighted metric, how many projects meet it.
    pub met: BTreeMap<InspectionMetric, usize>,
    /// Σ weight × share, exact to 28 digits (0 for an empty library). Ranking does not use it:
    /// scores are compared exactly by cross-multiplication.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DecimalText"))]
    #[serde(with = "crate::check::decimal_str")]
    pub score: Decimal,
}

impl CountyInspection {
    /// The share of projects meeting a metric, `None` for an empty library or an unweighted
    /// metric.
    #[must_use]
    pub fn share(&self, metric: InspectionMetric) -> Option<Ratio> {
        let met = *self.met.get(&metric)?;
        let n = Decimal::from(self.projects);
        Decimal::from(met).checked_div(n).map(Ratio::from_fraction)
    }
}

/// 年度中期检查、评比排名 — inspect and rank the counties' libraries (M6).
///
/// `approvals` maps project ids to their approval records (for the M8 target metrics); a project
/// with no record has not had its targets reviewed, filed or published. Counties are ranked by
/// score, highest first; equal scores (compared exactly) share a rank and are listed by county
/// name, so the result never depends on input order.
///
/// # Errors
/// [`ProjectError::InvalidWeight`] for a negative weight or when no weight is positive;
/// [`ProjectError::DuplicateCounty`] when a county has two libraries.
///
/// # Example
/// ```
/// use fupin::projects::{inspect, InspectionMetric, InspectionWeights, ProjectLibrary, WeightValue};
/// use fupin::Policy;
/// let weights = InspectionWeights([(InspectionMetric::CompleteDocuments, WeightValue(100.into()))].into());
/// let libs = [ProjectLibrary::new("建平县"), ProjectLibrary::new("朝阳县")];
/// let approvals = std::collections::BTreeMap::<String, fupin::approval::ProjectApproval>::new();
/// let r = inspect(&libs, &approvals, &Policy::chaoyang_2020().projects, &weights).unwrap();
/// assert_eq!((r[0].county.as_str(), r[0].rank), ("建平县", 1)); // a tie, broken by name
/// assert_eq!((r[1].county.as_str(), r[1].rank), ("朝阳县", 1));
/// ```
pub fn inspect<A: TargetsProgress>(
    libraries: &[ProjectLibrary],
    approvals: &BTreeMap<String, A>,
    policy: &ProjectsPolicy,
    weights: &InspectionWeights,
) -> Result<Vec<CountyInspection>, ProjectError> {
    for (m, w) in &weights.0 {
        if w.0.is_sign_negative() && !w.0.is_zero() {
            return Err(ProjectError::InvalidWeight {
                metric: format!("{m:?}"),
                message: format!("value {} must not be negative", w.0),
            });
        }
    }
    if !weights.0.values().any(|w| w.0 > Decimal::ZERO) {
        return Err(ProjectError::InvalidWeight {
            metric: "(all)".into(),
            message: "at least one weight must be positive".into(),
        });
    }
    let mut seen = BTreeSet::new();
    // (county, projects, met, weighted sum Σ w × met) — score = sum / projects.
    let mut rows = Vec::with_capacity(libraries.len());
    for lib in libraries {
        if !seen.insert(lib.county.as_str()) {
            return Err(ProjectError::DuplicateCounty {
                county: lib.county.clone(),
            });
        }
        let mut met = BTreeMap::new();
        let mut sum = Decimal::ZERO;
        for (metric, w) in &weights.0 {
            let n = lib
                .projects()
                .filter(|p| metric.met(p, approvals.get(&p.id), policy))
                .count();
            met.insert(*metric, n);
            sum =
                w.0.checked_mul(Decimal::from(n))
                    .and_then(|x| sum.checked_add(x))
                    .ok_or_else(|| ProjectError::InvalidWeight {
                        metric: format!("{metric:?}"),
                        message: format!("value {} is too large", w.0),
                    })?;
        }
        rows.push((lib, met, sum));
    }
    // Exact comparison of sum_a / n_a with sum_b / n_b; an empty library scores 0.
    let cmp = |a: &(&ProjectLibrary, _, Decimal), b: &(&ProjectLibrary, _, Decimal)| {
        let (na, nb) = (
            Decimal::from(a.0.projects.len()),
            Decimal::from(b.0.projects.len()),
        );
        let (sa, sb) = (
            if na.is_zero() { Decimal::ZERO } else { a.2 },
            if nb.is_zero() { Decimal::ZERO } else { b.2 },
        );
        let (na, nb) = (na.max(Decimal::ONE), nb.max(Decimal::ONE));
        match (sa.checked_mul(nb), sb.checked_mul(na)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => (sa / na).cmp(&(sb / nb)),
        }
    };
    rows.sort_by(|a, b| cmp(b, a).then_with(|| a.0.county.cmp(&b.0.county)));
    let mut out: Vec<CountyInspection> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let rank = match (i.checked_sub(1).and_then(|j| rows.get(j)), out.last()) {
            (Some(prev), Some(last)) if cmp(prev, row) == Ordering::Equal => last.rank,
            _ => i + 1,
        };
        let n = row.0.projects.len();
        out.push(CountyInspection {
            county: row.0.county.clone(),
            rank,
            projects: n,
            met: row.1.clone(),
            score: row.2.checked_div(Decimal::from(n)).unwrap_or(Decimal::ZERO),
        });
    }
    Ok(out)
}

/// The inspection as one line per county, for a report.
#[must_use]
pub fn inspection_lines(result: &[CountyInspection], lang: Lang) -> Vec<String> {
    result
        .iter()
        .map(|c| {
            let score = c.score.round_dp(2).normalize();
            match lang {
                Lang::Zh => format!(
                    "第{}名 {} 得分 {score}（{} 个项目）",
                    c.rank, c.county, c.projects
                ),
                Lang::En => format!(
                    "#{} {} score {score} ({} projects)",
                    c.rank, c.county, c.projects
                ),
            }
        })
        .collect()
}
