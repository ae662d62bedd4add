//! [`ApprovalRules`]: every rule of the approval chain that the plan does **not** state, in one
//! place, each a parameter with the library's default.
//!
//! What the plan states (and is therefore not a parameter):
//!
//! - **M6 三(六)** — a project that needs city-level special poverty funds (确需市本级财政专项扶贫
//!   资金支持的项目), once in the county's library (built by the county finance department with the
//!   poverty office), goes 入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施, in that order;
//! - **task 8** — 乡申报、县审核、市复核: the township applies, the county reviews, the city
//!   re-checks (the levels of those three steps);
//! - **M8 三(八)** — the performance targets are filed with the city leading group and published
//!   *after* the project passes the financial review (an order of steps, not a condition of
//!   approval).
//!
//! Everything else below is the library's reading, labelled so in the docs and in every output
//! ([`ApprovalRules::library_rules`]); a county or the city replaces any of it in the policy's
//! `[approval]` section.
//!
//! | rule | parameter | library default |
//! | --- | --- | --- |
//! | L1 who takes each step (roles; levels of entry, funds, approval, target steps) | `grants` | see [`Grants::default`] |
//! | L2 separation of duties | `separation_of_duties` | `adjacent_steps`: who took one approval step may not take the next |
//! | L3 return (退回) and rejection (不予通过) by the deciding level | `returns` | on |
//! | L4 withdrawal (撤回) by the township or county before funds are arranged | `withdrawal` | on |
//! | L5 the city approves at most the requested amount | `approved_within_requested` | on |
//! | L6 funds arranged at most up to the approved amount | `arranged_within_approved` | on |
//! | L7 a project's actions never go back in time | `time_order` | `per_project` |
//! | L8 approval waits for the M8 target steps | `targets_before_approval` | `none` (the plan sets no such gate) |

use serde::{Deserialize, Serialize};

use super::{Level, Role, Stage, Step};
use crate::check::Label;
use crate::load::FieldError;

/// Who may take a step: the levels and roles of government.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Levels that may take the step.
    pub levels: Vec<Level>,
    /// Roles that may take the step.
    pub roles: Vec<Role>,
}

impl Grant {
    fn new(levels: &[Level], roles: &[Role]) -> Self {
        Self {
            levels: levels.to_vec(),
            roles: roles.to_vec(),
        }
    }
}

/// L1 — who may take each step (the library's table; task 8 fixes the levels of 乡申报, 县审核
/// and 市复核, M6 the county level of 入库).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Grants {
    /// 入库 — county level (M6); roles: the library's.
    pub enter: Grant,
    /// 乡申报 — township level (task 8); roles: the library's.
    pub apply: Grant,
    /// 县审核 — county level (task 8); roles: the library's.
    pub review: Grant,
    /// 市复核 — city level (task 8); roles: the library's.
    pub recheck: Grant,
    /// 安排资金 — the library's.
    pub arrange_funds: Grant,
    /// 批准实施 — the library's.
    pub approve_implementation: Grant,
    /// 退回 / 不予通过 — the level whose decision is pending decides (county for an application,
    /// city for a reviewed or re-checked project) if it is listed here, with one of these roles.
    pub return_or_reject: Grant,
    /// 撤回 — the library's.
    pub withdraw: Grant,
    /// 绩效目标财政审核 (M8's financial review) — the library's.
    pub review_targets: Grant,
    /// 绩效目标备案 (filing with the city leading group, M8) — the library's.
    pub file_targets: Grant,
    /// 绩效目标公开 (publication, M8) — the library's.
    pub publish_targets: Grant,
}

const REVIEWERS: &[Role] = &[Role::Finance, Role::PovertyOffice];

impl Default for Grants {
    fn default() -> Self {
        use Level::{City, County, Township};
        Self {
            enter: Grant::new(&[County], REVIEWERS),
            apply: Grant::new(&[Township], &[Role::Township]),
            review: Grant::new(&[County], REVIEWERS),
            recheck: Grant::new(&[City], REVIEWERS),
            arrange_funds: Grant::new(&[City], &[Role::Finance]),
            approve_implementation: Grant::new(&[City], &[Role::Finance, Role::LeadingGroup]),
            return_or_reject: Grant::new(&[County, City], REVIEWERS),
            withdraw: Grant::new(
                &[Township, County],
                &[Role::Township, Role::Finance, Role::PovertyOffice],
            ),
            review_targets: Grant::new(&[County, City], &[Role::Finance]),
            file_targets: Grant::new(&[City], &[Role::LeadingGroup]),
            publish_targets: Grant::new(&[County, City], REVIEWERS),
        }
    }
}

impl Grants {
    /// The grant of a step.
    #[must_use]
    pub const fn of(&self, step: Step) -> &Grant {
        match step {
            Step::Enter => &self.enter,
            Step::Apply => &self.apply,
            Step::Review => &self.review,
            Step::Recheck => &self.recheck,
            Step::ArrangeFunds => &self.arrange_funds,
            Step::ApproveImplementation => &self.approve_implementation,
            Step::Return | Step::Reject => &self.return_or_reject,
            Step::Withdraw => &self.withdraw,
            Step::ReviewTargets => &self.review_targets,
            Step::FileTargets => &self.file_targets,
            Step::PublishTargets => &self.publish_targets,
        }
    }
}

/// L2 — separation of duties (不相容职务分离), which the plan does not state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeparationOfDuties {
    /// No rule: one person may take consecutive approval steps.
    Off,
    /// The person who took one approval step (入库 … 批准实施) on a project may not take the
    /// next one. Returns, rejections, withdrawals and the target steps neither count nor break it.
    #[default]
    AdjacentSteps,
}

/// L7 — the order of time, which the plan does not state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeOrder {
    /// No rule.
    Off,
    /// A project's actions never go back in time.
    #[default]
    PerProject,
}

/// L8 — a gate on 批准实施 by the M8 target steps. The plan sets none: M8 orders filing and
/// publication after the financial review; it does not make them a condition of approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetsGate {
    /// No gate (the plan's text).
    #[default]
    None,
    /// Approval waits for the financial review of the targets.
    Reviewed,
    /// Approval waits for the review, the filing and the publication of the targets.
    ReviewedFiledPublished,
}

impl TargetsGate {
    /// The M8 steps the gate requires before approval.
    #[must_use]
    pub fn required(self) -> &'static [Step] {
        match self {
            Self::None => &[],
            Self::Reviewed => &[Step::ReviewTargets],
            Self::ReviewedFiledPublished => {
                &[Step::ReviewTargets, Step::FileTargets, Step::PublishTargets]
            }
        }
    }
}

/// The approval chain's rules that the plan does not state (L1–L8 in the module docs): the
/// policy's `[approval]` section. Every field is the library's default unless the policy says
/// otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ApprovalRules {
    /// L1 — who may take each step.
    pub grants: Grants,
    /// L2 — separation of duties.
    pub separation_of_duties: SeparationOfDuties,
    /// L3 — the deciding level may return (退回) or reject (不予通过) an application.
    pub returns: bool,
    /// L4 — the township or county may withdraw (撤回) a project before funds are arranged.
    pub withdrawal: bool,
    /// L5 — the city approves at most the requested amount at the re-check.
    pub approved_within_requested: bool,
    /// L6 — funds are arranged at most up to the approved amount.
    pub arranged_within_approved: bool,
    /// L7 — the order of time.
    pub time_order: TimeOrder,
    /// L8 — approval waits for the M8 target steps (off: the plan sets no such gate).
    pub targets_before_approval: TargetsGate,
}

impl Default for ApprovalRules {
    fn default() -> Self {
        Self {
            grants: Grants::default(),
            separation_of_duties: SeparationOfDuties::default(),
            returns: true,
            withdrawal: true,
            approved_within_requested: true,
            arranged_within_approved: true,
            time_order: TimeOrder::default(),
            targets_before_approval: TargetsGate::default(),
        }
    }
}

impl ApprovalRules {
    /// The rules in force that the plan does not state, one label each (zh/en), for outputs
    /// that must say which rules are the library's.
    #[must_use]
    pub fn library_rules(&self) -> Vec<Label> {
        let on = |b: bool| if b { ("是", "on") } else { ("否", "off") };
        let mut out = vec![Label {
            zh: "L1 各环节办理角色（入库、安排资金、批准实施及绩效目标各环节的层级）：本库默认，见 approval.grants"
                .into(),
            en: "L1 roles of each step (and levels of entry, funds, approval and the target steps): library default, see approval.grants".into(),
        }];
        let sod = match self.separation_of_duties {
            SeparationOfDuties::Off => ("不要求", "off"),
            SeparationOfDuties::AdjacentSteps => (
                "相邻审批环节不得由同一人办理",
                "adjacent approval steps by different people",
            ),
        };
        out.push(Label {
            zh: format!("L2 不相容职务分离：{}", sod.0).into(),
            en: format!("L2 separation of duties: {}", sod.1).into(),
        });
        let (z, e) = on(self.returns);
        out.push(Label {
            zh: format!("L3 退回、不予通过：{z}").into(),
            en: format!("L3 return and rejection: {e}").into(),
        });
        let (z, e) = on(self.withdrawal);
        out.push(Label {
            zh: format!("L4 撤回：{z}").into(),
            en: format!("L4 withdrawal: {e}").into(),
        });
        let (z, e) = on(self.approved_within_requested);
        out.push(Label {
            zh: format!("L5 核定金额不超过申请金额：{z}").into(),
            en: format!("L5 approved amount within the requested: {e}").into(),
        });
        let (z, e) = on(self.arranged_within_approved);
        out.push(Label {
            zh: format!("L6 安排资金不超过核定金额：{z}").into(),
            en: format!("L6 funds within the approved amount: {e}").into(),
        });
        let t = match self.time_order {
            TimeOrder::Off => ("不要求", "off"),
            TimeOrder::PerProject => (
                "同一项目办理时间不得倒流",
                "a project's actions never go back in time",
            ),
        };
        out.push(Label {
            zh: format!("L7 时间顺序：{}", t.0).into(),
            en: format!("L7 time order: {}", t.1).into(),
        });
        let g = match self.targets_before_approval {
            TargetsGate::None => ("无（方案未作此要求）", "none (the plan sets no such gate)"),
            TargetsGate::Reviewed => ("须先经财政审核", "financial review first"),
            TargetsGate::ReviewedFiledPublished => (
                "须先经财政审核、备案并公开",
                "review, filing and publication first",
            ),
        };
        out.push(Label {
            zh: format!("L8 批准实施前的绩效目标要求：{}", g.0).into(),
            en: format!("L8 performance targets before approval: {}", g.1).into(),
        });
        out
    }

    /// Range rules of the section, called by [`crate::Policy::validate`]: the plan's levels of
    /// 入库 (M6), 乡申报, 县审核 and 市复核 (task 8) cannot be changed, and every grant names at
    /// least one level and one role.
    pub(crate) fn validate(&self, path: &str) -> Result<(), FieldError> {
        let g = &self.grants;
        for (name, grant, fixed) in [
            (
                "enter",
                &g.enter,
                Some((Level::County, "M6 三(六): 入库 is the county's library")),
            ),
            ("apply", &g.apply, Some((Level::Township, "task 8: 乡申报"))),
            ("review", &g.review, Some((Level::County, "task 8: 县审核"))),
            ("recheck", &g.recheck, Some((Level::City, "task 8: 市复核"))),
            ("arrange_funds", &g.arrange_funds, None),
            ("approve_implementation", &g.approve_implementation, None),
            ("return_or_reject", &g.return_or_reject, None),
            ("withdraw", &g.withdraw, None),
            ("review_targets", &g.review_targets, None),
            ("file_targets", &g.file_targets, None),
            ("publish_targets", &g.publish_targets, None),
        ] {
            let at = format!("{path}.grants.{name}");
            if grant.levels.is_empty() {
                return Err(FieldError::new(
                    format!("{at}.levels"),
                    "at least one level is required",
                ));
            }
            if grant.roles.is_empty() {
                return Err(FieldError::new(
                    format!("{at}.roles"),
                    "at least one role is required",
                ));
            }
            if let Some((level, why)) = fixed
                && grant.levels != [level]
            {
                return Err(FieldError::new(
                    format!("{at}.levels"),
                    format!(
                        "the plan sets this step at {} level ({why}); only its roles are the library's",
                        level.label().en
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The stages a step may start from under these rules (M6's order; L3, L4 for returns and
    /// withdrawals).
    pub(crate) fn starting_stages(&self, step: Step) -> &'static [Stage] {
        use Stage as S;
        const TARGET_STAGES: &[Stage] = &[
            S::InLibrary,
            S::Applied,
            S::Reviewed,
            S::Rechecked,
            S::FundsArranged,
            S::Returned,
            // M8 orders filing and publication after the review, not before approval: they may
            // follow approval too.
            S::Approved,
        ];
        match step {
            Step::Enter => &[],
            Step::Apply => &[S::InLibrary, S::Returned],
            Step::Review => &[S::Applied],
            Step::Recheck => &[S::Reviewed],
            Step::ArrangeFunds => &[S::Rechecked],
            Step::ApproveImplementation => &[S::FundsArranged],
            Step::Return | Step::Reject if self.returns => &[S::Applied, S::Reviewed, S::Rechecked],
            Step::Withdraw if self.withdrawal => &[
                S::InLibrary,
                S::Applied,
                S::Returned,
                S::Reviewed,
                S::Rechecked,
            ],
            Step::Return | Step::Reject | Step::Withdraw => &[],
            Step::ReviewTargets | Step::FileTargets | Step::PublishTargets => TARGET_STAGES,
        }
    }
}
