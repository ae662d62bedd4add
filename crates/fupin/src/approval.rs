//! The approval chain of city-level special funds, as a pure state machine.
//!
//! Clauses: **M6** 三(六) — a project that needs *city-level special poverty funds*
//! (确需市本级财政专项扶贫资金支持的项目), once in the county's library, follows 入库 → 乡申报 →
//! 县审核 → 市复核 → 安排资金 → 批准实施 (enter library → township applies → county reviews → city
//! re-checks → funds arranged → approved for implementation); projects on other funds are outside
//! this chain ([`ApprovalError::OutsideChain`]); **task 8** (附件2 序号8) — 乡申报、县审核、市复核,
//! each by its own level; **M8** 三(八) — once the project passes the financial review, its
//! performance targets are filed with the city leading group (备案) and published (公开): an
//! *order* of steps (filing and publication come after the review), not a condition of
//! approval.
//!
//! Every move is [`transition`]`(state, action, actor, at) → Result<new state, ApprovalError>`:
//! no clock (the time is passed in), no I/O.
//!
//! # The plan's rules and the library's
//! The plan states the order of the six steps, the levels of 乡申报/县审核/市复核, the scope (city
//! special funds) and M8's order. Every other rule — who within a level takes each step,
//! separation of duties, returns and rejections, withdrawal, amount caps, time order, and any
//! gate of approval on the M8 steps — is the library's, listed with its default in
//! [`ApprovalRules`] (L1–L8), a parameter of the policy's `[approval]` section, and named in
//! every output ([`ApprovalRules::library_rules`]).
//!
//! | step | from stage | who by default (level: plan or L1; role: L1) |
//! | --- | --- | --- |
//! | 入库 enter | — (the county's library) | county of the project; finance or poverty office |
//! | 乡申报 apply | 入库, 退回 | the project's own township; township government |
//! | 县审核 review | 乡申报 | county of the project; finance or poverty office |
//! | 市复核 recheck (approves an amount ≤ requested, L5) | 县审核 | city; finance or poverty office |
//! | 安排资金 arrange funds (≤ approved, L6) | 市复核 | city; finance |
//! | 批准实施 approve | 安排资金 | city; finance or leading group |
//! | 退回 return / 不予通过 reject (L3) | 乡申报 (county), 县审核 or 市复核 (city) | the level deciding; finance or poverty office |
//! | 撤回 withdraw (L4) | before funds are arranged | the project's township or county |
//! | 绩效目标 review targets (M8's financial review) | any stage but rejected or withdrawn | county or city; finance |
//! | 绩效目标备案 file / 公开 publish targets (M8, after review) | any stage but rejected or withdrawn | city leading group / county or city finance or poverty office |
//!
//! Separation of duties (L2, default on) covers the six approval steps (入库 … 批准实施);
//! returns, rejections, withdrawals and the target steps neither count nor break it. Returned
//! projects (退回) go back to the township, which may apply again (the city's approved amount is
//! void); rejected (不予通过) and withdrawn (撤回) projects are final; approved ones take no
//! further approval step (their targets may still be filed and published).
//! [`crate::audit`] records every transition in a hash-chained log and replays it.
//!
//! # Example
//! ```
//! use chrono::{TimeZone, Utc};
//! use fupin::approval::{transition, Action, Actor, ProjectApproval, Role, Stage};
//! use fupin::money::Amount;
//! use fupin::projects::{Category, FundSource, Project, ProjectLibrary, ProjectsPolicy};
//!
//! let open = ProjectsPolicy::open();
//! let mut lib = ProjectLibrary::new("建平县");
//! lib.admit(Project::new("JP-1", "大棚", "建平县", "朱碌科镇", Category::FacilityAgriculture,
//!     Amount::wan(120), FundSource::CitySpecial), &open)?;
//! let at = |d| Utc.with_ymd_and_hms(2020, 4, d, 9, 0, 0).unwrap();
//! let county = Actor::county("c-li", "李科长", Role::Finance, "建平县");
//! let township = Actor::township("t-zhang", "张乡长", "建平县", "朱碌科镇");
//!
//! let s = ProjectApproval::enter(&lib, &open, "JP-1", &county, at(1))?;
//! assert_eq!(s.stage, Stage::InLibrary);
//! // The county may not apply in the township's place:
//! let e = transition(&s, &Action::Apply, &county, at(2)).unwrap_err();
//! assert!(e.to_string().contains("township"), "{e}");
//! let s = transition(&s, &Action::Apply, &township, at(2))?;
//! assert_eq!(s.stage.label().zh, "乡申报");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::check::{Check, ClauseId, Comparison, Label, Value};
use crate::money::{Amount, Lang};
use crate::projects::{
    Eligibility, FundSource, Project, ProjectError, ProjectLibrary, ProjectsPolicy,
};

mod error;
mod registry;
mod rules;
pub use error::ApprovalError;
use error::steps;
pub use registry::{ActorProblem, RegisteredActor, Registry, RegistryError};
pub use rules::{ApprovalRules, Grant, Grants, SeparationOfDuties, TargetsGate, TimeOrder};

/// 审批链规则 — what the approval chain of a policy follows: its approval rules (`[approval]`,
/// L1–L8) and its project libraries' requirements (`[projects]`: entry requirements and the
/// amount guard). A whole policy gives them (`&policy` converts), and so does a
/// [`ChainPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainRules<'a> {
    /// The approval rules.
    pub approval: &'a ApprovalRules,
    /// The project libraries' requirements.
    pub projects: &'a ProjectsPolicy,
}

/// The two sections of a policy the approval chain follows, owned: what an
/// [`AuditLog`](crate::audit::AuditLog) keeps. A whole policy converts into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainPolicy {
    /// The approval rules (`[approval]`).
    #[serde(default)]
    pub approval: ApprovalRules,
    /// The project libraries' requirements (`[projects]`).
    pub projects: ProjectsPolicy,
}

impl ChainPolicy {
    /// The sections of the embedded 2020 policy (朝财农〔2020〕67号).
    #[must_use]
    #[allow(clippy::expect_used)] // fixed text, checked by the policy's tests
    pub fn chaoyang_2020() -> Self {
        Self {
            approval: crate::embedded::section_2020("approval").unwrap_or_default(),
            projects: crate::embedded::section_2020("projects")
                .expect("the embedded 2020 policy has a [projects] section"),
        }
    }

    /// The rules, borrowed.
    #[must_use]
    pub const fn rules(&self) -> ChainRules<'_> {
        ChainRules {
            approval: &self.approval,
            projects: &self.projects,
        }
    }
}

impl<'a> From<&'a ChainPolicy> for ChainRules<'a> {
    fn from(p: &'a ChainPolicy) -> Self {
        p.rules()
    }
}

/// A moment, in UTC. Passed in by the caller: nothing here reads a clock.
pub type Timestamp = DateTime<Utc>;

/// The level of government an actor works at (乡/县/市).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 乡镇 — township.
    Township,
    /// 县(市)区 — county-level unit.
    County,
    /// 市 — the city.
    City,
}

impl Level {
    /// The level's label.
    #[must_use]
    pub const fn label(self) -> Label {
        match self {
            Self::Township => Label::new("乡镇", "township"),
            Self::County => Label::new("县(市)区", "county"),
            Self::City => Label::new("市", "city"),
        }
    }
}

/// Where an actor may act: the city, one county, or one township of one county.
///
/// Serialises with its level as a tag: `{"level":"township","county":"建平县","township":"朱碌科镇"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "level", rename_all = "snake_case", deny_unknown_fields)]
pub enum Jurisdiction {
    /// The whole city (市本级).
    City,
    /// One county-level unit.
    County {
        /// The county, e.g. `建平县`.
        county: String,
    },
    /// One township.
    Township {
        /// Its county.
        county: String,
        /// The township, e.g. `朱碌科镇`.
        township: String,
    },
}

impl Jurisdiction {
    /// The level of the jurisdiction.
    #[must_use]
    pub const fn level(&self) -> Level {
        match self {
            Self::City => Level::City,
            Self::County { .. } => Level::County,
            Self::Township { .. } => Level::Township,
        }
    }

    /// Whether the jurisdiction covers a project of `county` and `township`.
    #[must_use]
    pub fn covers(&self, project: &ProjectRef) -> bool {
        match self {
            Self::City => true,
            Self::County { county } => *county == project.county,
            Self::Township { county, township } => {
                *county == project.county && *township == project.township
            }
        }
    }

    fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::City, Lang::Zh) => "市本级".into(),
            (Self::City, Lang::En) => "the city".into(),
            (Self::County { county }, _) => county.clone(),
            (Self::Township { county, township }, Lang::Zh) => format!("{county}{township}"),
            (Self::Township { county, township }, Lang::En) => format!("{township}, {county}"),
        }
    }
}

/// The office an actor acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 乡镇人民政府 — township government: applies.
    Township,
    /// 财政部门 — finance department: reviews, re-checks, arranges funds, reviews targets.
    Finance,
    /// 扶贫部门 — poverty-alleviation office: reviews and re-checks with finance.
    PovertyOffice,
    /// 市扶贫领导小组(办公室) — the city leading group: receives target filings, approves.
    LeadingGroup,
}

impl Role {
    /// The role's label.
    #[must_use]
    pub const fn label(self) -> Label {
        match self {
            Self::Township => Label::new("乡镇人民政府", "township government"),
            Self::Finance => Label::new("财政部门", "finance department"),
            Self::PovertyOffice => Label::new("扶贫部门", "poverty-alleviation office"),
            Self::LeadingGroup => Label::new("市扶贫领导小组", "city leading group"),
        }
    }
}

/// A person who acts on a project: id (unique per person), name, role and jurisdiction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Unique id of the person; separation of duties compares ids.
    pub id: String,
    /// Name, for messages.
    pub name: String,
    /// The office the person acts for.
    pub role: Role,
    /// Where the person may act.
    pub jurisdiction: Jurisdiction,
}

impl Actor {
    /// A township official (role [`Role::Township`]).
    #[must_use]
    pub fn township(
        id: impl Into<String>,
        name: impl Into<String>,
        county: impl Into<String>,
        township: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            role: Role::Township,
            jurisdiction: Jurisdiction::Township {
                county: county.into(),
                township: township.into(),
            },
        }
    }

    /// A county official.
    #[must_use]
    pub fn county(
        id: impl Into<String>,
        name: impl Into<String>,
        role: Role,
        county: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            role,
            jurisdiction: Jurisdiction::County {
                county: county.into(),
            },
        }
    }

    /// A city official.
    #[must_use]
    pub fn city(id: impl Into<String>, name: impl Into<String>, role: Role) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            role,
            jurisdiction: Jurisdiction::City,
        }
    }

    /// The actor's level.
    #[must_use]
    pub const fn level(&self) -> Level {
        self.jurisdiction.level()
    }

    /// The actor as a finance officer reads it: `李科长 (c-li), finance department, 建平县`.
    #[must_use]
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "{}（{}，{}{}）",
                self.name,
                self.id,
                self.jurisdiction.describe(lang),
                self.role.label().zh
            ),
            Lang::En => format!(
                "{} ({}, {}, {})",
                self.name,
                self.id,
                self.role.label().en,
                self.jurisdiction.describe(lang)
            ),
        }
    }
}

/// 项目审批阶段 — where a project stands in the approval chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 入库 — in the county's project library.
    InLibrary,
    /// 乡申报 — the township has applied.
    Applied,
    /// 县审核 — the county has reviewed and passed it.
    Reviewed,
    /// 市复核 — the city has re-checked and approved an amount.
    Rechecked,
    /// 安排资金 — funds are arranged.
    FundsArranged,
    /// 批准实施 — approved for implementation (final).
    Approved,
    /// 退回 — returned to the township for revision.
    Returned,
    /// 不予通过 — rejected (final).
    Rejected,
    /// 撤回 — withdrawn (final).
    Withdrawn,
}

impl Stage {
    /// The main path in order, 入库 → … → 批准实施.
    pub const PATH: [Self; 6] = [
        Self::InLibrary,
        Self::Applied,
        Self::Reviewed,
        Self::Rechecked,
        Self::FundsArranged,
        Self::Approved,
    ];

    /// The stage's label.
    #[must_use]
    pub const fn label(self) -> Label {
        match self {
            Self::InLibrary => Label::new("入库", "in library"),
            Self::Applied => Label::new("乡申报", "applied by township"),
            Self::Reviewed => Label::new("县审核", "reviewed by county"),
            Self::Rechecked => Label::new("市复核", "re-checked by city"),
            Self::FundsArranged => Label::new("安排资金", "funds arranged"),
            Self::Approved => Label::new("批准实施", "approved for implementation"),
            Self::Returned => Label::new("退回修改", "returned for revision"),
            Self::Rejected => Label::new("不予通过", "rejected"),
            Self::Withdrawn => Label::new("已撤回", "withdrawn"),
        }
    }

    /// Whether no further approval step is possible (an approved project's targets may still be
    /// filed and published, M8).
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Approved | Self::Rejected | Self::Withdrawn)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.label();
        write!(f, "{} ({})", l.zh, l.en)
    }
}

/// The project as the approval chain knows it: a snapshot taken when it entered the library.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectRef {
    /// Project id.
    pub id: String,
    /// Name.
    pub name: String,
    /// County.
    pub county: String,
    /// Township that applies.
    pub township: String,
    /// 申请金额 — requested amount.
    pub requested: Amount,
    /// Source of the money.
    pub fund_source: FundSource,
}

impl From<&Project> for ProjectRef {
    fn from(p: &Project) -> Self {
        Self {
            id: p.id.clone(),
            name: p.name.clone(),
            county: p.county.clone(),
            township: p.township.clone(),
            requested: p.requested,
            fund_source: p.fund_source.clone(),
        }
    }
}

/// What an actor does to a project. Serialises with a `kind` tag, e.g.
/// `{"kind":"recheck","approved":"1000000"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// 入库 — the project enters the county's library (only through [`ProjectApproval::enter`]
    /// or [`crate::audit::AuditLog::enter`]; recorded in the log with the project's snapshot).
    Enter {
        /// The project as it entered.
        project: ProjectRef,
    },
    /// 乡申报 — the township applies.
    Apply,
    /// 县审核 — the county reviews and passes the application.
    Review,
    /// 市复核 — the city re-checks and approves an amount, at most the requested one.
    Recheck {
        /// The approved amount.
        approved: Amount,
    },
    /// 安排资金 — the city arranges funds, at most the approved amount.
    ArrangeFunds {
        /// The arranged amount.
        amount: Amount,
    },
    /// 批准实施 — the city approves the project for implementation.
    ApproveImplementation,
    /// 退回 — the reviewing level returns the application to the township for revision.
    Return,
    /// 不予通过 — the reviewing level rejects the application.
    Reject,
    /// 撤回 — the township or county withdraws the project before funds are arranged.
    Withdraw,
    /// 绩效目标财政审核 — the finance department reviews the performance targets (M8).
    ReviewTargets,
    /// 绩效目标备案 — the targets are filed with the city leading group (M8).
    FileTargets,
    /// 绩效目标公开 — the targets are published (M8).
    PublishTargets,
}

impl Action {
    /// The kind of action, without its data.
    #[must_use]
    pub const fn step(&self) -> Step {
        match self {
            Self::Enter { .. } => Step::Enter,
            Self::Apply => Step::Apply,
            Self::Review => Step::Review,
            Self::Recheck { .. } => Step::Recheck,
            Self::ArrangeFunds { .. } => Step::ArrangeFunds,
            Self::ApproveImplementation => Step::ApproveImplementation,
            Self::Return => Step::Return,
            Self::Reject => Step::Reject,
            Self::Withdraw => Step::Withdraw,
            Self::ReviewTargets => Step::ReviewTargets,
            Self::FileTargets => Step::FileTargets,
            Self::PublishTargets => Step::PublishTargets,
        }
    }
}

/// The kind of an [`Action`], for labels and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is documented on `Action`
pub enum Step {
    Enter,
    Apply,
    Review,
    Recheck,
    ArrangeFunds,
    ApproveImplementation,
    Return,
    Reject,
    Withdraw,
    ReviewTargets,
    FileTargets,
    PublishTargets,
}

impl Step {
    /// The step's label.
    #[must_use]
    pub const fn label(self) -> Label {
        match self {
            Self::Enter => Label::new("入库", "entry into the library"),
            Self::Apply => Label::new("乡申报", "township application"),
            Self::Review => Label::new("县审核", "county review"),
            Self::Recheck => Label::new("市复核", "city re-check"),
            Self::ArrangeFunds => Label::new("安排资金", "arranging funds"),
            Self::ApproveImplementation => Label::new("批准实施", "approval for implementation"),
            Self::Return => Label::new("退回修改", "return for revision"),
            Self::Reject => Label::new("不予通过", "rejection"),
            Self::Withdraw => Label::new("撤回", "withdrawal"),
            Self::ReviewTargets => Label::new("绩效目标财政审核", "review of performance targets"),
            Self::FileTargets => Label::new(
                "绩效目标报市扶贫领导小组备案",
                "filing of performance targets",
            ),
            Self::PublishTargets => {
                Label::new("绩效目标公开", "publication of performance targets")
            }
        }
    }

    /// Whether the step is one of the approval steps that separation of duties covers
    /// (入库, 乡申报, 县审核, 市复核, 安排资金, 批准实施).
    #[must_use]
    pub const fn is_approval_step(self) -> bool {
        matches!(
            self,
            Self::Enter
                | Self::Apply
                | Self::Review
                | Self::Recheck
                | Self::ArrangeFunds
                | Self::ApproveImplementation
        )
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = self.label();
        write!(f, "{} ({})", l.zh, l.en)
    }
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Mark {
    /// The actor's id.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// The performance targets' progress (M8): reviewed, filed, published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TargetStatus {
    /// 财政审核 — reviewed by the finance department.
    pub reviewed: Option<Mark>,
    /// 备案 — filed with the city leading group.
    pub filed: Option<Mark>,
    /// 公开 — published.
    pub published: Option<Mark>,
}

impl TargetStatus {
    /// The M8 steps not yet taken, in order.
    #[must_use]
    pub fn missing(&self) -> Vec<Step> {
        [
            (Step::ReviewTargets, &self.reviewed),
            (Step::FileTargets, &self.filed),
            (Step::PublishTargets, &self.published),
        ]
        .into_iter()
        .filter(|(_, m)| m.is_none())
        .map(|(s, _)| s)
        .collect()
    }
}

/// One project's place in the approval chain: everything the next step depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectApproval {
    /// The project.
    pub project: ProjectRef,
    /// Its stage.
    pub stage: Stage,
    /// The amount approved at the city re-check.
    pub approved: Option<Amount>,
    /// The amount of funds arranged.
    pub arranged: Option<Amount>,
    /// Performance targets (M8).
    pub targets: TargetStatus,
    /// The last approval step and who took it (for separation of duties).
    pub last_step: Option<(Step, Mark)>,
    /// When the project was last acted on.
    pub updated_at: Timestamp,
}

impl crate::projects::TargetsProgress for ProjectApproval {
    fn targets_reviewed(&self) -> bool {
        self.targets.reviewed.is_some()
    }

    fn targets_filed(&self) -> bool {
        self.targets.filed.is_some()
    }

    fn targets_published(&self) -> bool {
        self.targets.published.is_some()
    }
}

/// Level, jurisdiction and role of an actor for a step (L1, task 8). For returns and
/// rejections the level must be the one whose decision is pending.
fn authorise(
    project: &ProjectRef,
    step: Step,
    stage: Stage,
    grant: &Grant,
    actor: &Actor,
) -> Result<(), ApprovalError> {
    let who = || Box::new(actor.clone());
    let deciding;
    let levels: &[Level] = if matches!(step, Step::Return | Step::Reject) {
        deciding = [if stage == Stage::Applied {
            Level::County
        } else {
            Level::City
        }];
        if grant.levels.contains(&deciding[0]) {
            &deciding
        } else {
            &[]
        }
    } else {
        &grant.levels
    };
    if !levels.contains(&actor.level()) {
        return Err(ApprovalError::WrongLevel {
            project: project.id.clone(),
            step,
            actor: who(),
            level: actor.level(),
            allowed: levels.to_vec(),
        });
    }
    if !actor.jurisdiction.covers(project) {
        return Err(ApprovalError::WrongJurisdiction {
            project: project.id.clone(),
            step,
            actor: who(),
            project_place: format!("{}{}", project.county, project.township),
        });
    }
    if !grant.roles.contains(&actor.role) {
        return Err(ApprovalError::WrongRole {
            project: project.id.clone(),
            step,
            actor: who(),
            role: actor.role,
            allowed: grant.roles.clone(),
        });
    }
    Ok(())
}

impl ProjectApproval {
    /// 入库 — start the chain for a project of a county's library, under the library's default
    /// rules ([`ApprovalRules::enter`] takes others). The project must be in the library, meet
    /// the policy's entry requirements (M6 规范化、档案化) and need city-level special poverty
    /// funds; `actor` must be a finance or poverty-office official of the project's county.
    ///
    /// # Errors
    /// [`ApprovalError::NotInLibrary`] (M6) when the library does not hold the project;
    /// [`ApprovalError::Entry`] when it misses an entry requirement; the errors of
    /// [`ProjectApproval::begin`].
    pub fn enter(
        library: &ProjectLibrary,
        policy: &ProjectsPolicy,
        project_id: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<Self, ApprovalError> {
        ApprovalRules::default().enter(library, policy, project_id, actor, at)
    }

    /// Start the chain from a snapshot recorded in an audit log, under the library's default
    /// rules ([`ApprovalRules::begin`] takes others).
    ///
    /// # Errors
    /// As [`ApprovalRules::begin`].
    pub fn begin(project: ProjectRef, actor: &Actor, at: Timestamp) -> Result<Self, ApprovalError> {
        ApprovalRules::default().begin(project, actor, at)
    }
}

impl ApprovalRules {
    /// 入库 — start the chain for a project of a county's library (see
    /// [`ProjectApproval::enter`]).
    ///
    /// # Errors
    /// As [`ProjectApproval::enter`].
    pub fn enter(
        &self,
        library: &ProjectLibrary,
        policy: &ProjectsPolicy,
        project_id: &str,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<ProjectApproval, ApprovalError> {
        let project = match library.eligible_for_special_funds(project_id, policy) {
            Ok(Eligibility::InLibrary(p)) => p,
            Ok(Eligibility::Exception(_)) | Err(ProjectError::NotInLibrary { .. }) => {
                return Err(ApprovalError::NotInLibrary {
                    project: project_id.to_owned(),
                    county: library.county().to_owned(),
                });
            }
            Err(e) => {
                return Err(ApprovalError::Entry {
                    project: project_id.to_owned(),
                    reason: e.to_string(),
                });
            }
        };
        self.begin(ProjectRef::from(project), actor, at)
    }

    /// Start the chain from a project snapshot (as an audit log's entry event records it): the
    /// project must need city-level special poverty funds (M6's scope) and request a positive
    /// amount in whole fen; the actor must be allowed to enter it (L1).
    ///
    /// # Errors
    /// [`ApprovalError::OutsideChain`] (M6) for another fund source,
    /// [`ApprovalError::InvalidAmount`] for a requested amount ≤ 0 or below one fen, and the
    /// level, jurisdiction and role errors of [`transition`].
    pub fn begin(
        &self,
        project: ProjectRef,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<ProjectApproval, ApprovalError> {
        if project.fund_source != FundSource::CitySpecial {
            return Err(ApprovalError::OutsideChain {
                project: project.id.clone(),
                fund_source: project.fund_source.clone(),
            });
        }
        if !is_positive_fen(project.requested) {
            return Err(ApprovalError::InvalidAmount {
                project: project.id.clone(),
                step: Step::Enter,
                actor: Box::new(actor.clone()),
                amount: project.requested,
            });
        }
        authorise(
            &project,
            Step::Enter,
            Stage::InLibrary,
            &self.grants.enter,
            actor,
        )?;
        Ok(ProjectApproval {
            project,
            stage: Stage::InLibrary,
            approved: None,
            arranged: None,
            targets: TargetStatus::default(),
            last_step: Some((
                Step::Enter,
                Mark {
                    by: actor.id.clone(),
                    at,
                },
            )),
            updated_at: at,
        })
    }

    /// Take one step under these rules: `(state, action, actor, at) → new state`, or the reason
    /// it is refused (see [`transition`]).
    ///
    /// # Errors
    /// [`ApprovalError`], naming the project, the actor and the step.
    #[allow(clippy::too_many_lines)] // one match over the steps, read in one go
    pub fn transition(
        &self,
        state: &ProjectApproval,
        action: &Action,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<ProjectApproval, ApprovalError> {
        let project = &state.project;
        let step = action.step();
        let who = || Box::new(actor.clone());
        let id = || project.id.clone();
        if step == Step::Enter {
            return Err(ApprovalError::AlreadyEntered { project: id() });
        }
        let rule = match step {
            Step::Return | Step::Reject if !self.returns => Some("L3"),
            Step::Withdraw if !self.withdrawal => Some("L4"),
            _ => None,
        };
        if let Some(rule) = rule {
            return Err(ApprovalError::NotAllowed {
                project: id(),
                step,
                actor: who(),
                rule,
            });
        }
        if !self.starting_stages(step).contains(&state.stage) {
            return Err(ApprovalError::OutOfOrder {
                project: id(),
                step,
                stage: state.stage,
                actor: who(),
            });
        }
        if self.time_order == TimeOrder::PerProject && at < state.updated_at {
            return Err(ApprovalError::TimeGoesBack {
                project: id(),
                step,
                actor: who(),
                at,
                last: state.updated_at,
            });
        }
        authorise(project, step, state.stage, self.grants.of(step), actor)?;
        if step.is_approval_step()
            && self.separation_of_duties == SeparationOfDuties::AdjacentSteps
            && let Some((previous, mark)) = &state.last_step
            && mark.by == actor.id
        {
            return Err(ApprovalError::SameActor {
                project: id(),
                step,
                actor: who(),
                previous: *previous,
            });
        }
        let mark = Mark {
            by: actor.id.clone(),
            at,
        };
        let mut next = state.clone();
        next.updated_at = at;
        if step.is_approval_step() {
            next.last_step = Some((step, mark.clone()));
        }
        let positive = |amount: Amount| {
            if is_positive_fen(amount) {
                Ok(())
            } else {
                Err(ApprovalError::InvalidAmount {
                    project: id(),
                    step,
                    actor: who(),
                    amount,
                })
            }
        };
        let done_once = |slot: &Option<Mark>| {
            if slot.is_some() {
                Err(ApprovalError::AlreadyDone {
                    project: id(),
                    step,
                    actor: who(),
                })
            } else {
                Ok(())
            }
        };
        // M8: filing and publication come after the financial review (the plan's order).
        let reviewed = |t: &TargetStatus| {
            if t.reviewed.is_none() {
                Err(ApprovalError::TargetsNotReviewed {
                    project: id(),
                    step,
                    actor: who(),
                })
            } else {
                Ok(())
            }
        };
        match action {
            Action::Enter { .. } => unreachable_enter(id())?,
            Action::Apply => next.stage = Stage::Applied,
            Action::Review => next.stage = Stage::Reviewed,
            Action::Recheck { approved } => {
                positive(*approved)?;
                if self.approved_within_requested && *approved > project.requested {
                    return Err(ApprovalError::AboveRequested {
                        project: id(),
                        actor: who(),
                        amount: *approved,
                        requested: project.requested,
                    });
                }
                next.approved = Some(*approved);
                next.stage = Stage::Rechecked;
            }
            Action::ArrangeFunds { amount } => {
                positive(*amount)?;
                // Rechecked always has an approved amount; without one nothing may be arranged.
                let approved = state.approved.unwrap_or(Amount::ZERO);
                if self.arranged_within_approved && *amount > approved {
                    return Err(ApprovalError::AboveApproved {
                        project: id(),
                        actor: who(),
                        amount: *amount,
                        approved,
                    });
                }
                next.arranged = Some(*amount);
                next.stage = Stage::FundsArranged;
            }
            Action::ApproveImplementation => {
                let missing: Vec<Step> = state
                    .targets
                    .missing()
                    .into_iter()
                    .filter(|s| self.targets_before_approval.required().contains(s))
                    .collect();
                if !missing.is_empty() {
                    return Err(ApprovalError::TargetsIncomplete {
                        project: id(),
                        actor: who(),
                        missing,
                    });
                }
                next.stage = Stage::Approved;
            }
            Action::Return => {
                next.stage = Stage::Returned;
                next.approved = None;
            }
            Action::Reject => next.stage = Stage::Rejected,
            Action::Withdraw => next.stage = Stage::Withdrawn,
            Action::ReviewTargets => {
                done_once(&state.targets.reviewed)?;
                next.targets.reviewed = Some(mark);
            }
            Action::FileTargets => {
                done_once(&state.targets.filed)?;
                reviewed(&state.targets)?;
                next.targets.filed = Some(mark);
            }
            Action::PublishTargets => {
                done_once(&state.targets.published)?;
                reviewed(&state.targets)?;
                next.targets.published = Some(mark);
            }
        }
        Ok(next)
    }
}

/// Whether an amount is above zero and in whole fen (分, 0.01 yuan).
fn is_positive_fen(a: Amount) -> bool {
    let d = a.as_yuan();
    d > rust_decimal::Decimal::ZERO && (d * rust_decimal::Decimal::ONE_HUNDRED).fract().is_zero()
}

/// Take one step under the library's default rules ([`ApprovalRules::default`];
/// [`ApprovalRules::transition`] takes others): `(state, action, actor, at) → new state`, or the
/// reason it is refused.
///
/// The checks, in order: the step is allowed at all (L3, L4); it is possible at the stage (the
/// order of M6); time does not go back (L7); the actor's level, jurisdiction and role (task 8,
/// L1); separation of duties (L2); the amounts (L5, L6); for approval, the target gate if the
/// rules set one (L8, off by default); for filing and publishing targets, the financial review
/// first (M8).
///
/// # Errors
/// [`ApprovalError`], naming the project, the actor and the step.
///
/// # Example
/// ```
/// # use chrono::{TimeZone, Utc};
/// # use fupin::approval::*;
/// # use fupin::money::Amount;
/// # use fupin::projects::FundSource;
/// let p = ProjectRef { id: "JP-1".into(), name: "大棚".into(), county: "建平县".into(),
///     township: "朱碌科镇".into(), requested: Amount::wan(120), fund_source: FundSource::CitySpecial };
/// let t = Utc.with_ymd_and_hms(2020, 4, 1, 9, 0, 0).unwrap();
/// let s = ProjectApproval::begin(p, &Actor::county("c-li", "李科长", Role::Finance, "建平县"), t)?;
/// let e = transition(&s, &Action::Review, &Actor::county("c-li", "李科长", Role::Finance, "建平县"), t)
///     .unwrap_err();
/// assert_eq!(e.kind(), "out_of_order"); // review before the township's application
/// # Ok::<(), ApprovalError>(())
/// ```
pub fn transition(
    state: &ProjectApproval,
    action: &Action,
    actor: &Actor,
    at: Timestamp,
) -> Result<ProjectApproval, ApprovalError> {
    ApprovalRules::default().transition(state, action, actor, at)
}

/// `transition` refuses `Enter` before the match; this keeps the match total without a panic.
const fn unreachable_enter(project: String) -> Result<(), ApprovalError> {
    Err(ApprovalError::AlreadyEntered { project })
}

/// The M8 check for each project: its performance targets are reviewed, filed with the city
/// leading group and published. The actual value is how many of the three are done; a failed
/// check's note names what is missing.
///
/// # Example
/// ```
/// # use chrono::{TimeZone, Utc};
/// # use fupin::approval::*;
/// # use fupin::money::Amount;
/// # use fupin::projects::FundSource;
/// # let p = ProjectRef { id: "JP-1".into(), name: "大棚".into(), county: "建平县".into(),
/// #     township: "朱碌科镇".into(), requested: Amount::wan(120), fund_source: FundSource::CitySpecial };
/// # let t = Utc.with_ymd_and_hms(2020, 4, 1, 9, 0, 0).unwrap();
/// let s = ProjectApproval::begin(p, &Actor::county("c-li", "李科长", Role::Finance, "建平县"), t)?;
/// let checks = check_performance_targets([&s]);
/// assert!(!checks[0].passed);
/// assert_eq!(checks[0].subject.as_deref(), Some("JP-1"));
/// assert!(checks[0].note.as_ref().unwrap().en.contains("filing"));
/// # Ok::<(), ApprovalError>(())
/// ```
#[must_use]
pub fn check_performance_targets<'a>(
    approvals: impl IntoIterator<Item = &'a ProjectApproval>,
) -> Vec<Check> {
    approvals
        .into_iter()
        .map(|a| {
            let missing = a.targets.missing();
            let done = 3 - missing.len();
            let check = Check::new(
                "M8.targets_filed_published",
                ClauseId::M8,
                Label::new(
                    "绩效目标经财政审核、报市扶贫领导小组备案并公开",
                    "performance targets reviewed, filed with the city leading group and published",
                ),
                Value::Number(done.into()),
                Comparison::AtLeast,
                Value::Number(3.into()),
                missing.is_empty(),
                Some(Value::Number(missing.len().into())),
            )
            .about(a.project.id.clone());
            if missing.is_empty() {
                check
            } else {
                check.with_note(Label {
                    zh: format!("缺少：{}", steps(&missing, Lang::Zh)).into(),
                    en: format!("missing: {}", steps(&missing, Lang::En)).into(),
                })
            }
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
