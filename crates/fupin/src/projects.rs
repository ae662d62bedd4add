//! Project libraries (项目库) and the mid-year library inspection.
//!
//! Clauses: **M6** 三(六) — each county builds a library of rural-revitalisation and
//! poverty-alleviation industry projects (facility agriculture, breeding, poverty-alleviation
//! orchards, …) that is standardised, procedural and archived (规范化、程序化、档案化); a
//! mid-year inspection ranks the counties; a project outside the library may in principle not
//! receive special poverty funds. **M8** 三(八) — every project's funds have performance targets
//! (绩效目标).
//!
//! What "standardised" and "archived" require is a policy parameter ([`ProjectsPolicy`]): the
//! fields a project must fill in and the documents it must have on file. The plan names no
//! document, so the embedded list is an example that a county replaces with its own. Entry goes
//! through [`ProjectLibrary::admit`]; eligibility for special poverty funds through
//! [`ProjectLibrary::eligible_for_special_funds`], which applies the entry requirements again
//! (a library read from a file is not checked on reading) and is an error citing M6 — never a
//! silent `false` — for a project outside the library. M6 says such a project may *in
//! principle* not receive the funds (原则上不得): an exception is possible, recorded with the
//! library and only with a reason ([`SpecialFundsException`]). Only projects that need
//! city-level special poverty funds go through the approval chain of [`crate::approval`]
//! ([`FundSource::CitySpecial`]).
//!
//! The mid-year inspection ([`inspect`]) scores each county's library on weights the user
//! supplies (the plan gives none) and ranks the counties, exactly and deterministically.
//!
//! # Example
//! ```
//! use fupin::money::Amount;
//! use fupin::policy::Policy;
//! use fupin::projects::{Category, FundSource, Project, ProjectLibrary};
//!
//! let policy = Policy::chaoyang_2020();
//! let mut library = ProjectLibrary::new("建平县");
//! let mut p = Project::new("JP-2020-001", "朱碌科镇设施农业大棚", "建平县", "朱碌科镇",
//!     Category::FacilityAgriculture, Amount::wan(120), FundSource::CitySpecial);
//! // Not yet complete: the policy wants an implementing unit, targets and documents.
//! let err = library.admit(p.clone(), &policy.projects).unwrap_err();
//! assert!(err.to_string().contains("JP-2020-001"), "{err}");
//! p.implementing_unit = Some("朱碌科镇人民政府".into());
//! p.performance_targets.push(fupin::projects::PerformanceTarget::new("带动贫困户", "≥ 50 户"));
//! p.documents.extend(policy.projects.required_documents.iter().cloned());
//! library.admit(p, &policy.projects)?;
//! assert!(library.eligible_for_special_funds("JP-2020-001", &policy.projects).is_ok());
//! let outside = library.eligible_for_special_funds("JP-2020-999", &policy.projects).unwrap_err();
//! assert_eq!(outside.clause(), fupin::ClauseId::M6);
//! // 原则上不得: an exception, with its reason, makes it eligible.
//! library.record_exception(fupin::projects::SpecialFundsException {
//!     project: "JP-2020-999".into(), reason: "汛期水毁应急修复，县政府常务会议决定".into(),
//!     decided_by: None, document: None })?;
//! assert!(library.eligible_for_special_funds("JP-2020-999", &policy.projects).is_ok());
//! # Ok::<(), fupin::projects::ProjectError>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::check::{Check, ClauseId, Comparison, Label, Value};
use crate::load::FieldError;
use crate::money::Amount;

mod inspection;
pub use inspection::{
    CountyInspection, InspectionMetric, InspectionWeights, TargetsProgress, WeightValue, inspect,
    inspection_lines,
};

/// 项目类别 — the kind of a library project. Open: any other kind is [`Category::Other`].
///
/// Serialises as a string: `"facility_agriculture"`, `"breeding"`, `"orchard"`, or the text of
/// the other kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// 设施农业 — facility agriculture (greenhouses).
    FacilityAgriculture,
    /// 养殖 — breeding (livestock, poultry).
    Breeding,
    /// 扶贫果园 — poverty-alleviation orchard.
    Orchard,
    /// Any other kind, by name (e.g. `乡村旅游`).
    Other(String),
}

impl Category {
    /// The kind's label in Chinese and English.
    #[must_use]
    pub fn label(&self) -> Label {
        match self {
            Self::FacilityAgriculture => Label::new("设施农业", "facility agriculture"),
            Self::Breeding => Label::new("养殖", "breeding"),
            Self::Orchard => Label::new("扶贫果园", "poverty-alleviation orchard"),
            Self::Other(s) => Label {
                zh: s.clone().into(),
                en: s.clone().into(),
            },
        }
    }

    fn key(&self) -> &str {
        match self {
            Self::FacilityAgriculture => "facility_agriculture",
            Self::Breeding => "breeding",
            Self::Orchard => "orchard",
            Self::Other(s) => s,
        }
    }

    fn from_key(s: &str) -> Self {
        match s {
            "facility_agriculture" | "设施农业" => Self::FacilityAgriculture,
            "breeding" | "养殖" => Self::Breeding,
            "orchard" | "扶贫果园" => Self::Orchard,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// 资金来源 — where a project's money is to come from. Open: any other source is
/// [`FundSource::Other`].
///
/// Serialises as a string: `"city_special"`, `"county_special"`, `"higher_level_special"`,
/// `"integrated"`, or the text of the other source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FundSource {
    /// 市本级财政专项扶贫资金 — city-level special poverty funds: the approval chain of M6 applies.
    CitySpecial,
    /// 县级财政专项扶贫资金 — county-level special poverty funds.
    CountySpecial,
    /// 中央和省财政专项扶贫资金 — central and provincial special poverty funds.
    HigherLevelSpecial,
    /// 整合涉农资金 — integrated agricultural funds (M3).
    Integrated,
    /// Any other source, by name.
    Other(String),
}

impl FundSource {
    /// Whether the source is special poverty funds (财政专项扶贫资金), which M6 reserves for
    /// projects in the library.
    #[must_use]
    pub const fn is_special_poverty_fund(&self) -> bool {
        matches!(
            self,
            Self::CitySpecial | Self::CountySpecial | Self::HigherLevelSpecial
        )
    }

    /// The source's label in Chinese and English.
    #[must_use]
    pub fn label(&self) -> Label {
        match self {
            Self::CitySpecial => Label::new("市本级财政专项扶贫资金", "city-level special funds"),
            Self::CountySpecial => Label::new("县级财政专项扶贫资金", "county-level special funds"),
            Self::HigherLevelSpecial => Label::new(
                "中央和省财政专项扶贫资金",
                "central and provincial special funds",
            ),
            Self::Integrated => Label::new("整合涉农资金", "integrated agricultural funds"),
            Self::Other(s) => Label {
                zh: s.clone().into(),
                en: s.clone().into(),
            },
        }
    }

    fn key(&self) -> &str {
        match self {
            Self::CitySpecial => "city_special",
            Self::CountySpecial => "county_special",
            Self::HigherLevelSpecial => "higher_level_special",
            Self::Integrated => "integrated",
            Self::Other(s) => s,
        }
    }

    fn from_key(s: &str) -> Self {
        match s {
            "city_special" => Self::CitySpecial,
            "county_special" => Self::CountySpecial,
            "higher_level_special" => Self::HigherLevelSpecial,
            "integrated" => Self::Integrated,
            other => Self::Other(other.to_owned()),
        }
    }
}

macro_rules! open_enum_serde {
    ($ty:ident, $expecting:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                if s.trim().is_empty() {
                    return Err(serde::de::Error::custom(concat!(
                        "an empty string is not ",
                        $expecting
                    )));
                }
                Ok(Self::from_key(&s))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

open_enum_serde!(Category, "a project category");
open_enum_serde!(FundSource, "a fund source");

/// 绩效目标 — one performance target of a project's funds (M8), e.g. "贫困户增收 ≥ 2,000 元/户".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PerformanceTarget {
    /// The indicator, e.g. `带动贫困户`.
    pub indicator: String,
    /// Its target value as written, e.g. `≥ 50 户`.
    pub target: String,
}

impl PerformanceTarget {
    /// A target.
    #[must_use]
    pub fn new(indicator: impl Into<String>, target: impl Into<String>) -> Self {
        Self {
            indicator: indicator.into(),
            target: target.into(),
        }
    }
}

/// A project proposed for, or kept in, a county's library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// Unique id, e.g. `JP-2020-001`.
    pub id: String,
    /// Name.
    pub name: String,
    /// County-level unit (县(市)区), e.g. `建平县`.
    pub county: String,
    /// Township (乡镇) that applies for it.
    pub township: String,
    /// Village (村), where the project is in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    /// Kind of project.
    pub category: Category,
    /// 申请金额 — requested amount.
    pub requested: Amount,
    /// Source of the requested money.
    pub fund_source: FundSource,
    /// Whether the project serves a poor village (贫困村); M3 puts these first.
    #[serde(default)]
    pub serves_poor_village: bool,
    /// 实施主体 — implementing unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit: Option<String>,
    /// 绩效目标 — performance targets (M8).
    #[serde(default)]
    pub performance_targets: Vec<PerformanceTarget>,
    /// Documents on file (档案), by the names the policy uses.
    #[serde(default)]
    pub documents: BTreeSet<String>,
}

impl Project {
    /// A project with the fields that are always required; the rest empty.
    #[must_use]
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        county: impl Into<String>,
        township: impl Into<String>,
        category: Category,
        requested: Amount,
        fund_source: FundSource,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            county: county.into(),
            township: township.into(),
            village: None,
            category,
            requested,
            fund_source,
            serves_poor_village: false,
            implementing_unit: None,
            performance_targets: Vec::new(),
            documents: BTreeSet::new(),
        }
    }

    /// Whether an optional field is filled in.
    #[must_use]
    pub fn has(&self, field: ProjectField) -> bool {
        let filled = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        match field {
            ProjectField::Village => filled(&self.village),
            ProjectField::ImplementingUnit => filled(&self.implementing_unit),
            ProjectField::PerformanceTargets => !self.performance_targets.is_empty(),
        }
    }

    /// The optional fields the policy requires that are missing, in policy order.
    #[must_use]
    pub fn missing_fields(&self, policy: &ProjectsPolicy) -> Vec<ProjectField> {
        policy
            .required_fields
            .iter()
            .copied()
            .filter(|f| !self.has(*f))
            .collect()
    }

    /// The documents the policy requires that are not on file, in policy order.
    #[must_use]
    pub fn missing_documents<'p>(&self, policy: &'p ProjectsPolicy) -> Vec<&'p str> {
        policy
            .required_documents
            .iter()
            .filter(|d| !self.documents.contains(*d))
            .map(String::as_str)
            .collect()
    }

    /// What any project must mean, whatever the policy: a requested amount above zero in whole
    /// fen, and no performance target with a blank indicator or value. Checked on entry and on
    /// reading a library file.
    ///
    /// # Errors
    /// [`ProjectError::InvalidAmount`], [`ProjectError::BlankTarget`].
    pub fn check_meaning(&self) -> Result<(), ProjectError> {
        let yuan = self.requested.as_yuan();
        if yuan <= Decimal::ZERO || !(yuan * Decimal::ONE_HUNDRED).fract().is_zero() {
            return Err(ProjectError::InvalidAmount {
                project: self.id.clone(),
                value: self.requested,
            });
        }
        for (i, t) in self.performance_targets.iter().enumerate() {
            for (field, v) in [("indicator", &t.indicator), ("target", &t.target)] {
                if v.trim().is_empty() {
                    return Err(ProjectError::BlankTarget {
                        project: self.id.clone(),
                        index: i,
                        field,
                    });
                }
            }
        }
        Ok(())
    }

    /// Every rule for entering the library (M6 规范化、档案化), first failure first.
    ///
    /// # Errors
    /// [`ProjectError::MissingField`] for an empty id, name, county or township, or a required
    /// optional field; [`ProjectError::InvalidAmount`] for a requested amount ≤ 0 or finer than
    /// a fen; [`ProjectError::AboveMaximum`] above the policy's guard;
    /// [`ProjectError::BlankTarget`] for a blank performance target;
    /// [`ProjectError::MissingDocument`] for a required document not on file.
    pub fn validate(&self, policy: &ProjectsPolicy) -> Result<(), ProjectError> {
        let missing = |field: &'static str| ProjectError::MissingField {
            project: self.id.clone(),
            field: field.into(),
        };
        for (field, value) in [
            ("id", &self.id),
            ("name", &self.name),
            ("county", &self.county),
            ("township", &self.township),
        ] {
            if value.trim().is_empty() {
                return Err(missing(field));
            }
            crate::check_name(field, value).map_err(|error| ProjectError::Name {
                project: self.id.clone(),
                error,
            })?;
        }
        self.check_meaning()?;
        if self.requested > policy.max_requested {
            return Err(ProjectError::AboveMaximum {
                project: self.id.clone(),
                value: self.requested,
                max: policy.max_requested,
            });
        }
        if let Some(field) = self.missing_fields(policy).first() {
            return Err(ProjectError::MissingField {
                project: self.id.clone(),
                field: field.key().into(),
            });
        }
        if let Some(doc) = self.missing_documents(policy).first() {
            return Err(ProjectError::MissingDocument {
                project: self.id.clone(),
                document: (*doc).to_owned(),
            });
        }
        Ok(())
    }
}

/// An optional field of a [`Project`] that the policy may require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectField {
    /// 所在村 — the village.
    Village,
    /// 实施主体 — the implementing unit.
    ImplementingUnit,
    /// 绩效目标 — at least one performance target (M8).
    PerformanceTargets,
}

impl ProjectField {
    const fn key(self) -> &'static str {
        match self {
            Self::Village => "village",
            Self::ImplementingUnit => "implementing_unit",
            Self::PerformanceTargets => "performance_targets",
        }
    }
}

/// Parameters of the project library (M6, M8): what entry requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectsPolicy {
    /// M6 三(六) 规范化, M8 三(八): optional fields a project must fill in to enter the library
    /// (id, name, county, township, category, requested amount and fund source are always
    /// required).
    pub required_fields: Vec<ProjectField>,
    /// M6 三(六) 档案化: documents a project must have on file to enter the library. The plan
    /// names none; the embedded list is an example.
    pub required_documents: Vec<String>,
    /// The largest requested amount the library accepts for one project: a guard against a
    /// mistyped figure (a unit slip of 万元 for 元), **the library's default** (100 亿元, several
    /// times the city's whole 2020 poverty-alleviation budget), not a number of the plan.
    #[serde(default = "ProjectsPolicy::default_max_requested")]
    pub max_requested: Amount,
}

impl ProjectsPolicy {
    /// The library's default [`ProjectsPolicy::max_requested`]: 100 亿元.
    #[must_use]
    pub fn default_max_requested() -> Amount {
        Amount::yi(100)
    }

    /// A policy that requires no optional field and no document (the amount guard stays).
    #[must_use]
    pub fn open() -> Self {
        Self {
            required_fields: Vec::new(),
            required_documents: Vec::new(),
            max_requested: Self::default_max_requested(),
        }
    }

    /// Range rules of the section, called by [`crate::Policy::validate`].
    pub(crate) fn validate(&self, path: &str) -> Result<(), FieldError> {
        if self.max_requested.is_negative() || self.max_requested.is_zero() {
            return Err(FieldError::new(
                format!("{path}.max_requested"),
                format!("value {} must be positive", self.max_requested.as_yuan()),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, d) in self.required_documents.iter().enumerate() {
            let at = format!("{path}.required_documents[{i}]");
            if d.trim().is_empty() {
                return Err(FieldError::new(at, "a document name must not be empty"));
            }
            if !seen.insert(d) {
                return Err(FieldError::new(
                    at,
                    format!("document `{d}` is listed twice"),
                ));
            }
        }
        let mut fields = BTreeSet::new();
        for (i, f) in self.required_fields.iter().enumerate() {
            if !fields.insert(f) {
                return Err(FieldError::new(
                    format!("{path}.required_fields[{i}]"),
                    format!("field `{}` is listed twice", f.key()),
                ));
            }
        }
        Ok(())
    }
}

/// A project that cannot enter a library or receive special funds, or an inspection that
/// cannot be made. Each names the project (or county) and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectError {
    /// A field the library requires is empty (M6 规范化).
    #[error(
        "project `{project}`: field `{field}` is required to enter the project library (M6 三(六) 规范化)"
    )]
    MissingField {
        /// Project id.
        project: String,
        /// Field name.
        field: String,
    },
    /// A document the library requires is not on file (M6 档案化).
    #[error(
        "project `{project}`: document `{document}` is not on file; the project library requires it (M6 三(六) 档案化)"
    )]
    MissingDocument {
        /// Project id.
        project: String,
        /// Document name.
        document: String,
    },
    /// The requested amount is zero, negative, or finer than a fen.
    #[error(
        "project `{project}`: requested amount {} yuan must be positive, in whole fen (0.01 yuan)",
        value.as_yuan()
    )]
    InvalidAmount {
        /// Project id.
        project: String,
        /// The amount.
        value: Amount,
    },
    /// The requested amount is above the policy's guard (`projects.max_requested`, the
    /// library's default).
    #[error(
        "project `{project}`: requested amount {} yuan is above the largest the policy accepts, {} yuan (projects.max_requested, the library's guard against mistyped figures)",
        value.as_yuan(),
        max.as_yuan()
    )]
    AboveMaximum {
        /// Project id.
        project: String,
        /// The amount.
        value: Amount,
        /// The guard.
        max: Amount,
    },
    /// A performance target with a blank indicator or value (M8).
    #[error(
        "project `{project}`: performance_targets[{index}].{field} is blank; every performance target needs an indicator and a value (M8 三(八))"
    )]
    BlankTarget {
        /// Project id.
        project: String,
        /// Position of the target, from 0.
        index: usize,
        /// `indicator` or `target`.
        field: &'static str,
    },
    /// An exception to M6's "原则上不得" without a reason, or for a project in the library.
    #[error("exception for project `{project}`: {message}")]
    InvalidException {
        /// Project id.
        project: String,
        /// What is wrong.
        message: String,
    },
    /// A project of another county offered to a county's library.
    #[error(
        "project `{project}` belongs to `{project_county}`, not to the library of `{library_county}`"
    )]
    WrongCounty {
        /// Project id.
        project: String,
        /// The project's county.
        project_county: String,
        /// The library's county.
        library_county: String,
    },
    /// A project id already in the library.
    #[error("project `{project}` is already in the library of `{county}`")]
    Duplicate {
        /// Project id.
        project: String,
        /// The library's county.
        county: String,
    },
    /// A project outside the library asks for special poverty funds (M6).
    #[error(
        "project `{project}` is not in the project library of `{county}`: a project outside the library may not receive special poverty funds (M6 三(六))"
    )]
    NotInLibrary {
        /// Project id.
        project: String,
        /// The library's county.
        county: String,
    },
    /// An inspection weight is negative, or all are zero.
    #[error("inspection weight `{metric}`: {message}")]
    InvalidWeight {
        /// The metric's name.
        metric: String,
        /// What is wrong, with the value.
        message: String,
    },
    /// Two libraries of the same county given to one inspection.
    #[error("county `{county}` has two libraries in the inspection")]
    DuplicateCounty {
        /// The county.
        county: String,
    },
    /// A name of the project (id, name, county, township) breaks the name rule
    /// ([`crate::check_name`]): a control, zero-width or bidirectional character, or a space
    /// around it.
    #[error("project `{project}`: {error}")]
    Name {
        /// Project id.
        project: String,
        /// The field, its code and exact value.
        error: FieldError,
    },
}

impl ProjectError {
    /// The clause the error enforces.
    #[must_use]
    pub const fn clause(&self) -> ClauseId {
        ClauseId::M6
    }

    /// The error in Chinese, with the same facts as its (English) `Display`: the note of a
    /// failed M6 check on the Chinese side.
    #[must_use]
    pub(crate) fn zh(&self) -> String {
        match self {
            Self::MissingField { project, field } => format!(
                "项目“{project}”：{}（{field}）为空，入库须填写（M6 三(六) 规范化）",
                field_zh(field)
            ),
            Self::MissingDocument { project, document } => {
                format!("项目“{project}”：缺少“{document}”，入库须存档（M6 三(六) 档案化）")
            }
            Self::InvalidAmount { project, value } => format!(
                "项目“{project}”：申请金额{}元须为正数，且以分（0.01元）为单位",
                value.as_yuan()
            ),
            Self::AboveMaximum {
                project,
                value,
                max,
            } => format!(
                "项目“{project}”：申请金额{}元超过政策接受的上限{}元（projects.max_requested，本库防止误录数字的上限）",
                value.as_yuan(),
                max.as_yuan()
            ),
            Self::BlankTarget {
                project,
                index,
                field,
            } => format!(
                "项目“{project}”：绩效目标第{}项的{}（performance_targets[{index}].{field}）为空；每项绩效目标须有指标和指标值（M8 三(八)）",
                index + 1,
                if *field == "indicator" {
                    "指标"
                } else {
                    "指标值"
                }
            ),
            Self::InvalidException { project, message } => {
                format!("项目“{project}”的例外安排：{message}")
            }
            Self::WrongCounty {
                project,
                project_county,
                library_county,
            } => format!("项目“{project}”属于{project_county}，不属于{library_county}的项目库"),
            Self::Duplicate { project, county } => {
                format!("项目“{project}”已在{county}的项目库中")
            }
            Self::NotInLibrary { project, county } => format!(
                "项目“{project}”未进入{county}的项目库：未入库项目原则上不得安排财政专项扶贫资金（M6 三(六)）"
            ),
            Self::InvalidWeight { metric, message } => {
                format!("检查权重“{metric}”：{message}")
            }
            Self::DuplicateCounty { county } => format!("{county}在本次检查中有两个项目库"),
            Self::Name { project, error } => format!(
                "项目“{project}”：{}（{}）不符合名称规则：{}",
                field_zh(&error.path),
                error.path,
                error.message
            ),
        }
    }
}

/// The Chinese name of a project field the library requires (its key when it has none).
fn field_zh(field: &str) -> &str {
    match field {
        "id" => "项目编号",
        "name" => "项目名称",
        "county" => "县(市)区",
        "township" => "乡镇",
        "village" => "所在村",
        "implementing_unit" => "实施主体",
        "performance_targets" => "绩效目标",
        other => other,
    }
}

/// 例外 — an exception to M6's rule that a project outside the library may *in principle* not
/// receive special poverty funds (原则上不得): recorded with the library, and only with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpecialFundsException {
    /// The project (outside the library).
    pub project: String,
    /// Why the exception is made; must not be blank.
    pub reason: String,
    /// Who decided it (name or office), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// The document that records the decision (文号), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// Why a project may receive special poverty funds (M6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eligibility<'a> {
    /// It is in the library and meets the policy's entry requirements.
    InLibrary(&'a Project),
    /// It is outside the library under a recorded exception (原则上不得 admits exceptions).
    Exception(&'a SpecialFundsException),
}

/// 项目库 — one county's project library.
///
/// Projects enter through [`ProjectLibrary::admit`], which checks the policy. A library read
/// from a file is *not* checked against the policy — it is what the county keeps, and the
/// mid-year inspection ([`inspect`]) measures how complete it is — but its projects must belong
/// to its county and have distinct ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "LibraryFile", into = "LibraryFile")]
pub struct ProjectLibrary {
    county: String,
    projects: BTreeMap<String, Project>,
    exceptions: BTreeMap<String, SpecialFundsException>,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct LibraryFile {
    county: String,
    #[serde(default)]
    projects: Vec<Project>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exceptions: Vec<SpecialFundsException>,
}

impl TryFrom<LibraryFile> for ProjectLibrary {
    type Error = ProjectError;

    fn try_from(f: LibraryFile) -> Result<Self, ProjectError> {
        let mut lib = Self::new(f.county);
        for p in f.projects {
            p.check_meaning()?;
            lib.insert(p)?;
        }
        for e in f.exceptions {
            lib.record_exception(e)?;
        }
        Ok(lib)
    }
}

impl From<ProjectLibrary> for LibraryFile {
    fn from(l: ProjectLibrary) -> Self {
        Self {
            county: l.county,
            projects: l.projects.into_values().collect(),
            exceptions: l.exceptions.into_values().collect(),
        }
    }
}

impl ProjectLibrary {
    /// An empty library of a county.
    #[must_use]
    pub fn new(county: impl Into<String>) -> Self {
        Self {
            county: county.into(),
            projects: BTreeMap::new(),
            exceptions: BTreeMap::new(),
        }
    }

    /// The county.
    #[must_use]
    pub fn county(&self) -> &str {
        &self.county
    }

    /// The projects, by id.
    pub fn projects(&self) -> impl ExactSizeIterator<Item = &Project> {
        self.projects.values()
    }

    /// The project with an id, if it is in the library.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Project> {
        self.projects.get(id)
    }

    fn insert(&mut self, project: Project) -> Result<(), ProjectError> {
        if project.county != self.county {
            return Err(ProjectError::WrongCounty {
                project: project.id,
                project_county: project.county,
                library_county: self.county.clone(),
            });
        }
        let same = |k: &String| {
            *k == project.id
                || !(k.is_ascii() && project.id.is_ascii())
                    && crate::name_key(k) == crate::name_key(&project.id)
        };
        if self.projects.keys().any(same) {
            return Err(ProjectError::Duplicate {
                project: project.id,
                county: self.county.clone(),
            });
        }
        self.projects.insert(project.id.clone(), project);
        Ok(())
    }

    /// 入库 — admit a project: it must belong to the county, be new, and meet the policy's
    /// required fields and documents (M6 规范化、档案化).
    ///
    /// # Errors
    /// [`ProjectError::WrongCounty`], [`ProjectError::Duplicate`], or the errors of
    /// [`Project::validate`].
    pub fn admit(&mut self, project: Project, policy: &ProjectsPolicy) -> Result<(), ProjectError> {
        project.validate(policy)?;
        self.insert(project)
    }

    /// The recorded exceptions to M6's "原则上不得", by project.
    pub fn exceptions(&self) -> impl ExactSizeIterator<Item = &SpecialFundsException> {
        self.exceptions.values()
    }

    /// Record an exception to M6's "原则上不得" for a project outside the library. The reason
    /// must not be blank; a project in the library needs none; one exception per project.
    ///
    /// # Errors
    /// [`ProjectError::InvalidException`].
    pub fn record_exception(
        &mut self,
        exception: SpecialFundsException,
    ) -> Result<(), ProjectError> {
        let bad = |message: &str| ProjectError::InvalidException {
            project: exception.project.clone(),
            message: message.to_owned(),
        };
        if exception.project.trim().is_empty() {
            return Err(bad("the project id is blank"));
        }
        if exception.reason.trim().is_empty() {
            return Err(bad(
                "the reason is blank: an exception to 原则上不得 (M6 三(六)) must record why it is made",
            ));
        }
        if self.projects.contains_key(&exception.project) {
            return Err(bad("the project is in the library and needs no exception"));
        }
        if self.exceptions.contains_key(&exception.project) {
            return Err(bad("an exception is already recorded for the project"));
        }
        self.exceptions.insert(exception.project.clone(), exception);
        Ok(())
    }

    /// Whether a project may receive special poverty funds (M6 三(六): 未进入项目库的项目原则上
    /// 不得安排使用财政专项扶贫资金): a project in the library that meets the policy's entry
    /// requirements — checked here, because a library read from a file is not checked on
    /// reading — or a project outside it under a recorded exception.
    ///
    /// # Errors
    /// [`ProjectError::NotInLibrary`], citing M6, for a project outside the library without an
    /// exception; the errors of [`Project::validate`] for one that misses an entry requirement.
    pub fn eligible_for_special_funds(
        &self,
        id: &str,
        policy: &ProjectsPolicy,
    ) -> Result<Eligibility<'_>, ProjectError> {
        if let Some(p) = self.get(id) {
            p.validate(policy)?;
            return Ok(Eligibility::InLibrary(p));
        }
        self.exceptions
            .get(id)
            .map(Eligibility::Exception)
            .ok_or_else(|| ProjectError::NotInLibrary {
                project: id.to_owned(),
                county: self.county.clone(),
            })
    }

    /// The M6 check for a project that asks for special poverty funds: passed when it is in the
    /// library and meets its entry requirements, or outside it under a recorded exception (the
    /// note gives the reason). The actual value is 1 when eligible, 0 when not; a failed check's
    /// note says why.
    #[must_use]
    pub fn check_special_funds(&self, project_id: &str, policy: &ProjectsPolicy) -> Check {
        let result = self.eligible_for_special_funds(project_id, policy);
        let passed = result.is_ok();
        let check = Check::new(
            "M6.in_library",
            ClauseId::M6,
            Label::new(
                "使用财政专项扶贫资金的项目已进入项目库",
                "a project receiving special poverty funds is in the project library",
            ),
            Value::Number(Decimal::from(u8::from(passed))),
            Comparison::AtLeast,
            Value::Number(Decimal::ONE),
            passed,
            Some(Value::Number(Decimal::ONE)),
        )
        .about(format!("{} {project_id}", self.county));
        match result {
            Ok(Eligibility::InLibrary(_)) => check,
            Ok(Eligibility::Exception(e)) => check.with_note(Label {
                zh: format!("未入库，按例外安排（原则上不得）：{}", e.reason).into(),
                en: format!(
                    "outside the library under a recorded exception: {}",
                    e.reason
                )
                .into(),
            }),
            Err(e) => check.with_note(Label {
                zh: e.zh().into(),
                en: e.to_string().into(),
            }),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Category {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Category".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::open_enum(
            &["facility_agriculture", "breeding", "orchard"],
            "项目类别 — a project's kind: `facility_agriculture`, `breeding`, `orchard`, or the \
             text of another kind.",
        )
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for FundSource {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FundSource".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::open_enum(
            &[
                "city_special",
                "county_special",
                "higher_level_special",
                "integrated",
            ],
            "资金来源 — where a project's money comes from: `city_special`, `county_special`, \
             `higher_level_special`, `integrated`, or the text of another source.",
        )
    }
}
