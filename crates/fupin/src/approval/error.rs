//! [`ApprovalError`]: why an action is refused, in words a finance officer reads, in Chinese
//! and English, naming the project, the actor and the step and citing the clause.

use super::{Actor, Level, Role, Stage, Step, Timestamp};
use crate::check::ClauseId;
use crate::money::{Amount, Lang};
use crate::projects::FundSource;

/// Why an action is refused. Each names the project, the actor and the step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
#[non_exhaustive]
pub enum ApprovalError {
    /// The project is not in the county's library (M6).
    NotInLibrary {
        /// Project id.
        project: String,
        /// The county.
        county: String,
    },
    /// The project does not need city-level special poverty funds: the township → county → city
    /// chain of M6 is not for it.
    OutsideChain {
        /// Project id.
        project: String,
        /// Its fund source.
        fund_source: FundSource,
    },
    /// The project is in the library but misses an entry requirement of the policy (M6
    /// 规范化、档案化), or its requested amount is out of range.
    Entry {
        /// Project id.
        project: String,
        /// What is missing, as [`crate::projects::ProjectError`] says it.
        reason: String,
    },
    /// A step the rules in force do not allow at all (L3 returns, L4 withdrawal).
    NotAllowed {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The library rule that forbids it (`"L3"`, `"L4"`).
        rule: &'static str,
    },
    /// An unsigned step recorded on a log that is signed: a signed log takes signed events only.
    SignatureRequired {
        /// Project id.
        project: String,
    },
    /// Entry of a project that is already in the chain, or entry by a plain action.
    AlreadyEntered {
        /// Project id.
        project: String,
    },
    /// The step is not possible at the project's stage (M6: the order of the chain).
    OutOfOrder {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// The project's stage.
        stage: Stage,
        /// Who tried it.
        actor: Box<Actor>,
    },
    /// The actor's level may not take the step (task 8: 乡申报、县审核、市复核).
    WrongLevel {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The actor's level.
        level: Level,
        /// The levels that may.
        allowed: Vec<Level>,
    },
    /// The project is outside the actor's jurisdiction (task 8).
    WrongJurisdiction {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The project's county and township.
        project_place: String,
    },
    /// The actor's role may not take the step.
    WrongRole {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The actor's role.
        role: Role,
        /// The roles that may.
        allowed: Vec<Role>,
    },
    /// Separation of duties: the same person took the previous approval step.
    SameActor {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The step the same person took before.
        previous: Step,
    },
    /// An amount that is zero or negative.
    InvalidAmount {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// The amount.
        amount: Amount,
    },
    /// The city approved more than was requested.
    AboveRequested {
        /// Project id.
        project: String,
        /// Who tried it.
        actor: Box<Actor>,
        /// The amount approved.
        amount: Amount,
        /// The amount requested.
        requested: Amount,
    },
    /// Funds arranged above the approved amount.
    AboveApproved {
        /// Project id.
        project: String,
        /// Who tried it.
        actor: Box<Actor>,
        /// The amount arranged.
        amount: Amount,
        /// The amount approved at the re-check.
        approved: Amount,
    },
    /// Approval for implementation before the M8 target steps that the rules' gate requires
    /// (library rule L8, off by default: the plan sets no such gate).
    TargetsIncomplete {
        /// Project id.
        project: String,
        /// Who tried it.
        actor: Box<Actor>,
        /// The M8 steps not taken.
        missing: Vec<Step>,
    },
    /// Filing or publishing targets that the finance department has not reviewed (M8).
    TargetsNotReviewed {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
    },
    /// An M8 step taken twice.
    AlreadyDone {
        /// Project id.
        project: String,
        /// The step.
        step: Step,
        /// Who tried it again.
        actor: Box<Actor>,
    },
    /// An action dated before the project's last action.
    TimeGoesBack {
        /// Project id.
        project: String,
        /// The step tried.
        step: Step,
        /// Who tried it.
        actor: Box<Actor>,
        /// Its time.
        at: Timestamp,
        /// The project's last action.
        last: Timestamp,
    },
}

const CHAIN_ZH: &str = "入库→乡申报→县审核→市复核→安排资金→批准实施";

fn levels(ls: &[Level], lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "、" } else { " or " };
    ls.iter()
        .map(|l| l.label().get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

fn roles(rs: &[Role], lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "、" } else { " or " };
    rs.iter()
        .map(|r| r.label().get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

pub(super) fn steps(ss: &[Step], lang: Lang) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    ss.iter()
        .map(|s| s.label().get(lang).to_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

impl ApprovalError {
    /// The clause the refused action would break.
    #[must_use]
    pub const fn clause(&self) -> ClauseId {
        match self {
            Self::WrongLevel { .. } | Self::WrongJurisdiction { .. } | Self::WrongRole { .. } => {
                ClauseId::T8
            }
            Self::TargetsIncomplete { .. }
            | Self::TargetsNotReviewed { .. }
            | Self::AlreadyDone { .. } => ClauseId::M8,
            _ => ClauseId::M6,
        }
    }

    /// The project the error is about.
    #[must_use]
    pub fn project(&self) -> &str {
        match self {
            Self::NotInLibrary { project, .. }
            | Self::OutsideChain { project, .. }
            | Self::Entry { project, .. }
            | Self::NotAllowed { project, .. }
            | Self::SignatureRequired { project }
            | Self::AlreadyEntered { project }
            | Self::OutOfOrder { project, .. }
            | Self::WrongLevel { project, .. }
            | Self::WrongJurisdiction { project, .. }
            | Self::WrongRole { project, .. }
            | Self::SameActor { project, .. }
            | Self::InvalidAmount { project, .. }
            | Self::AboveRequested { project, .. }
            | Self::AboveApproved { project, .. }
            | Self::TargetsIncomplete { project, .. }
            | Self::TargetsNotReviewed { project, .. }
            | Self::AlreadyDone { project, .. }
            | Self::TimeGoesBack { project, .. } => project,
        }
    }

    /// The actor who tried the step, if the error is about one.
    #[must_use]
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Self::NotInLibrary { .. }
            | Self::AlreadyEntered { .. }
            | Self::OutsideChain { .. }
            | Self::SignatureRequired { .. }
            | Self::Entry { .. } => None,
            Self::OutOfOrder { actor, .. }
            | Self::NotAllowed { actor, .. }
            | Self::WrongLevel { actor, .. }
            | Self::WrongJurisdiction { actor, .. }
            | Self::WrongRole { actor, .. }
            | Self::SameActor { actor, .. }
            | Self::InvalidAmount { actor, .. }
            | Self::AboveRequested { actor, .. }
            | Self::AboveApproved { actor, .. }
            | Self::TargetsIncomplete { actor, .. }
            | Self::TargetsNotReviewed { actor, .. }
            | Self::AlreadyDone { actor, .. }
            | Self::TimeGoesBack { actor, .. } => Some(actor.as_ref()),
        }
    }

    /// A short machine name of the kind of error, e.g. `wrong_level`.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::NotInLibrary { .. } => "not_in_library",
            Self::AlreadyEntered { .. } => "already_entered",
            Self::OutsideChain { .. } => "outside_chain",
            Self::Entry { .. } => "entry_requirement",
            Self::NotAllowed { .. } => "not_allowed",
            Self::SignatureRequired { .. } => "signature_required",
            Self::OutOfOrder { .. } => "out_of_order",
            Self::WrongLevel { .. } => "wrong_level",
            Self::WrongJurisdiction { .. } => "wrong_jurisdiction",
            Self::WrongRole { .. } => "wrong_role",
            Self::SameActor { .. } => "same_actor",
            Self::InvalidAmount { .. } => "invalid_amount",
            Self::AboveRequested { .. } => "above_requested",
            Self::AboveApproved { .. } => "above_approved",
            Self::TargetsIncomplete { .. } => "targets_incomplete",
            Self::TargetsNotReviewed { .. } => "targets_not_reviewed",
            Self::AlreadyDone { .. } => "already_done",
            Self::TimeGoesBack { .. } => "time_goes_back",
        }
    }

    /// The message in a language, naming the project, the actor and the step, and citing the
    /// clause.
    #[must_use]
    #[allow(clippy::too_many_lines)]
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let actor = self.actor().map(|a| a.describe(lang)).unwrap_or_default();
        let s = |st: &Step| st.label().get(lang).to_owned();
        let clause = self.clause();
        let cite = if zh {
            format!("（{}）", clause.section())
        } else {
            format!(" ({clause} {})", clause.section())
        };
        let body = match self {
            Self::NotInLibrary { project, county } if county.is_empty() => {
                if zh {
                    format!(
                        "项目 {project} 未入库（没有入库记录），原则上不得安排使用财政专项扶贫资金"
                    )
                } else {
                    format!(
                        "project {project} never entered a project library: a project outside the library may not receive special poverty funds"
                    )
                }
            }
            Self::NotInLibrary { project, county } => {
                if zh {
                    format!(
                        "项目 {project} 未进入{county}项目库，原则上不得安排使用财政专项扶贫资金"
                    )
                } else {
                    format!(
                        "project {project} is not in the project library of {county}: a project outside the library may not receive special poverty funds"
                    )
                }
            }
            Self::OutsideChain {
                project,
                fund_source,
            } => {
                let special = if fund_source.is_special_poverty_fund() {
                    if zh {
                        "（其他财政专项扶贫资金的审批程序方案未作规定）"
                    } else {
                        " (the plan sets no procedure for other special poverty funds)"
                    }
                } else {
                    ""
                };
                if zh {
                    format!(
                        "项目 {project} 的资金来源为{}：乡申报、县审核、市复核的程序适用于确需市本级财政专项扶贫资金支持的项目{special}",
                        fund_source.label().zh
                    )
                } else {
                    format!(
                        "project {project} is funded by {}: the township application, county review and city re-check apply to projects that need city-level special poverty funds{special}",
                        fund_source.label().en
                    )
                }
            }
            Self::Entry { project, reason } => {
                if zh {
                    format!("项目 {project} 不符合入库要求：{reason}")
                } else {
                    format!(
                        "project {project} does not meet the library's entry requirements: {reason}"
                    )
                }
            }
            Self::NotAllowed {
                project,
                step,
                actor: _,
                rule,
            } => {
                if zh {
                    format!(
                        "项目 {project}：现行规则（本库规则 {rule}，方案未作规定）不允许「{}」，{actor}不能办理",
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: the rules in force (library rule {rule}, not the plan's) do not allow '{}'; {actor} cannot take it",
                        s(step)
                    )
                }
            }
            Self::SignatureRequired { project } => {
                if zh {
                    format!("项目 {project}：该记录已使用签名，新的办理记录须由办理人签名后追加")
                } else {
                    format!(
                        "project {project}: the log is signed; a new step must be signed by its actor (append with the actor's key)"
                    )
                }
            }
            Self::AlreadyEntered { project } => {
                if zh {
                    format!("项目 {project} 已入库；入库只能经由县项目库办理一次")
                } else {
                    format!(
                        "project {project} has already entered the library; entry happens once, through the county's library"
                    )
                }
            }
            Self::OutOfOrder {
                project,
                step,
                stage,
                actor: _,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}不能在「{}」阶段进行「{}」，程序为 {CHAIN_ZH}",
                        stage.label().zh,
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: {actor} cannot take the step '{}' while the project is at '{}' — the procedure is {CHAIN_ZH} (library, township application, county review, city re-check, funds, approval)",
                        s(step),
                        stage.label().en
                    )
                }
            }
            Self::WrongLevel {
                project,
                step,
                actor: _,
                level,
                allowed,
            } => {
                if zh {
                    format!(
                        "项目 {project}：「{}」须由{}办理，{actor}属于{}",
                        s(step),
                        levels(allowed, lang),
                        level.label().zh
                    )
                } else {
                    format!(
                        "project {project}: the step '{}' must be taken at {} level, but {actor} acts at {} level",
                        s(step),
                        levels(allowed, lang),
                        level.label().en
                    )
                }
            }
            Self::WrongJurisdiction {
                project,
                step,
                actor: _,
                project_place,
            } => {
                if zh {
                    format!(
                        "项目 {project} 属于{project_place}，不在{actor}的辖区内，不能办理「{}」",
                        s(step)
                    )
                } else {
                    format!(
                        "project {project} belongs to {project_place}, outside the jurisdiction of {actor}, who therefore cannot take the step '{}'",
                        s(step)
                    )
                }
            }
            Self::WrongRole {
                project,
                step,
                actor: _,
                role,
                allowed,
            } => {
                if zh {
                    format!(
                        "项目 {project}：「{}」须由{}办理，{actor}代表{}",
                        s(step),
                        roles(allowed, lang),
                        role.label().zh
                    )
                } else {
                    format!(
                        "project {project}: the step '{}' must be taken by the {}, but {actor} acts for the {}",
                        s(step),
                        roles(allowed, lang),
                        role.label().en
                    )
                }
            }
            Self::SameActor {
                project,
                step,
                actor: _,
                previous,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}已办理上一审批环节「{}」，不能再办理相邻环节「{}」（不相容职务分离）",
                        s(previous),
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: {actor} took the previous approval step '{}' and may not also take the next step '{}' (separation of duties)",
                        s(previous),
                        s(step)
                    )
                }
            }
            Self::InvalidAmount {
                project,
                step,
                actor: _,
                amount,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}在「{}」中填写的金额 {} 必须大于零",
                        s(step),
                        amount.display_in(crate::Unit::Wan, lang)
                    )
                } else {
                    format!(
                        "project {project}: the amount {} given by {actor} for '{}' must be positive",
                        amount.display_in(crate::Unit::Wan, lang),
                        s(step)
                    )
                }
            }
            Self::AboveRequested {
                project,
                actor: _,
                amount,
                requested,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}市复核核定金额 {} 超过申请金额 {}",
                        amount.display_in(crate::Unit::Wan, lang),
                        requested.display_in(crate::Unit::Wan, lang)
                    )
                } else {
                    format!(
                        "project {project}: the amount {} approved by {actor} at the city re-check exceeds the requested {}",
                        amount.display_in(crate::Unit::Wan, lang),
                        requested.display_in(crate::Unit::Wan, lang)
                    )
                }
            }
            Self::AboveApproved {
                project,
                actor: _,
                amount,
                approved,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}安排资金 {} 超过市复核核定金额 {}",
                        amount.display_in(crate::Unit::Wan, lang),
                        approved.display_in(crate::Unit::Wan, lang)
                    )
                } else {
                    format!(
                        "project {project}: the funds {} arranged by {actor} exceed the amount {} approved at the city re-check",
                        amount.display_in(crate::Unit::Wan, lang),
                        approved.display_in(crate::Unit::Wan, lang)
                    )
                }
            }
            Self::TargetsIncomplete {
                project,
                actor: _,
                missing,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}不能批准实施，现行规则（本库规则 L8，方案未作此要求）要求绩效目标先完成：{}",
                        steps(missing, lang)
                    )
                } else {
                    format!(
                        "project {project}: {actor} cannot approve implementation: the rules in force (library rule L8, not a condition the plan sets) want the performance targets' {} first",
                        steps(missing, lang)
                    )
                }
            }
            Self::TargetsNotReviewed {
                project,
                step,
                actor: _,
            } => {
                if zh {
                    format!(
                        "项目 {project}：绩效目标未经财政审核，{actor}不能办理「{}」",
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: the performance targets have not been reviewed by the finance department, so {actor} cannot take the step '{}'",
                        s(step)
                    )
                }
            }
            Self::AlreadyDone {
                project,
                step,
                actor: _,
            } => {
                if zh {
                    format!(
                        "项目 {project}：「{}」已经办理，{actor}不能重复办理",
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: '{}' has already been done; {actor} cannot do it again",
                        s(step)
                    )
                }
            }
            Self::TimeGoesBack {
                project,
                step,
                actor: _,
                at,
                last,
            } => {
                if zh {
                    format!(
                        "项目 {project}：{actor}办理「{}」的时间 {at} 早于该项目上一次办理时间 {last}",
                        s(step)
                    )
                } else {
                    format!(
                        "project {project}: the time {at} of '{}' by {actor} is earlier than the project's previous action at {last}",
                        s(step)
                    )
                }
            }
        };
        body + &cite
    }
}
