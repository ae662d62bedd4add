//! Named actors and the plan's full path for one project.
use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

use crate::audit::AuditLog;
use crate::projects::{Category, Project, ProjectsPolicy};

pub(crate) fn t(day: u32, hour: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2020, 4, day, hour, 0, 0).unwrap()
}

pub(crate) fn project() -> ProjectRef {
    ProjectRef {
        id: "JP-2020-001".into(),
        name: "朱碌科镇设施农业大棚".into(),
        county: "建平县".into(),
        township: "朱碌科镇".into(),
        requested: Amount::wan(120),
        fund_source: FundSource::CitySpecial,
    }
}

/// The cast: townships and county officials of 建平县 and 朝阳县, and city officials.
pub(crate) struct Cast {
    pub(crate) county_entry: Actor,
    pub(crate) township: Actor,
    pub(crate) other_township: Actor,
    pub(crate) county_reviewer: Actor,
    pub(crate) other_county: Actor,
    pub(crate) city_recheck: Actor,
    pub(crate) city_funds: Actor,
    pub(crate) city_approver: Actor,
    pub(crate) leading_group: Actor,
}

pub(crate) fn cast() -> Cast {
    Cast {
        county_entry: Actor::county("jp-fpb-zhou", "周主任", Role::PovertyOffice, "建平县"),
        township: Actor::township("zlk-zhang", "张乡长", "建平县", "朱碌科镇"),
        other_township: Actor::township("blc-sun", "孙乡长", "朝阳县", "波罗赤镇"),
        county_reviewer: Actor::county("jp-czj-li", "李科长", Role::Finance, "建平县"),
        other_county: Actor::county("cy-czj-wu", "吴科长", Role::Finance, "朝阳县"),
        city_recheck: Actor::city("cyc-nyk-wang", "王科长", Role::Finance),
        city_funds: Actor::city("cyc-gk-zhao", "赵科长", Role::Finance),
        city_approver: Actor::city("cyc-fpb-qian", "钱主任", Role::LeadingGroup),
        leading_group: Actor::city("cyc-ldxz-chen", "陈秘书", Role::LeadingGroup),
    }
}

/// The plan's full path with M8 in the middle: (action, actor, time).
pub(crate) fn happy_path(c: &Cast) -> Vec<(Action, Actor, Timestamp)> {
    vec![
        (Action::Apply, c.township.clone(), t(2, 9)),
        (Action::Review, c.county_reviewer.clone(), t(3, 9)),
        (Action::ReviewTargets, c.county_reviewer.clone(), t(3, 10)),
        (Action::FileTargets, c.leading_group.clone(), t(4, 9)),
        (Action::PublishTargets, c.county_reviewer.clone(), t(4, 10)),
        (
            Action::Recheck {
                approved: Amount::wan(100),
            },
            c.city_recheck.clone(),
            t(5, 9),
        ),
        (
            Action::ArrangeFunds {
                amount: Amount::wan(100),
            },
            c.city_funds.clone(),
            t(6, 9),
        ),
        (
            Action::ApproveImplementation,
            c.city_approver.clone(),
            t(7, 9),
        ),
    ]
}

pub(crate) fn actors(c: &Cast) -> Vec<Actor> {
    vec![
        c.county_entry.clone(),
        c.township.clone(),
        c.other_township.clone(),
        c.county_reviewer.clone(),
        c.other_county.clone(),
        c.city_recheck.clone(),
        c.city_funds.clone(),
        c.city_approver.clone(),
        c.leading_group.clone(),
    ]
}

/// Any action but entry, with amounts around the requested 120 万元.
pub(crate) fn any_action() -> impl Strategy<Value = Action> {
    let amount =
        prop_oneof![Just(0), Just(50), Just(100), Just(120), Just(130)].prop_map(Amount::wan);
    prop_oneof![
        Just(Action::Apply),
        Just(Action::Review),
        amount
            .clone()
            .prop_map(|approved| Action::Recheck { approved }),
        amount.prop_map(|amount| Action::ArrangeFunds { amount }),
        Just(Action::ApproveImplementation),
        Just(Action::Return),
        Just(Action::Reject),
        Just(Action::Withdraw),
        Just(Action::ReviewTargets),
        Just(Action::FileTargets),
        Just(Action::PublishTargets),
    ]
}

/// One change to the plan's path: drop a step, swap two, insert any action by anyone, or
/// hand a step to anyone.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    Drop(usize),
    Swap(usize, usize),
    Insert(usize, Action, usize),
    Recast(usize, usize),
}

pub(crate) fn any_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..20).prop_map(Edit::Drop),
        (0usize..20, 0usize..20).prop_map(|(a, b)| Edit::Swap(a, b)),
        (0usize..20, any_action(), 0usize..9).prop_map(|(i, a, w)| Edit::Insert(i, a, w)),
        (0usize..20, 0usize..9).prop_map(|(i, w)| Edit::Recast(i, w)),
    ]
}

/// A sequence of (action, actor): the plan's path with up to 6 random edits, or a sequence
/// of up to 30 random actions by random actors.
pub(crate) fn any_sequence() -> impl Strategy<Value = Vec<(Action, Actor)>> {
    let c = cast();
    let pool = actors(&c);
    let path: Vec<(Action, Actor)> = happy_path(&c)
        .into_iter()
        .map(|(a, who, _)| (a, who))
        .collect();
    let pool2 = pool.clone();
    let edited = prop::collection::vec(any_edit(), 0..6).prop_map(move |edits| {
        let mut s = path.clone();
        for e in edits {
            let n = s.len().max(1);
            match e {
                Edit::Drop(i) if !s.is_empty() => {
                    s.remove(i % n);
                }
                Edit::Swap(a, b) if !s.is_empty() => s.swap(a % n, b % n),
                Edit::Insert(i, a, w) => s.insert(i % (s.len() + 1), (a, pool[w].clone())),
                Edit::Recast(i, w) if !s.is_empty() => s[i % n].1 = pool[w].clone(),
                _ => {}
            }
        }
        s
    });
    let random = prop::collection::vec((any_action(), 0usize..9), 0..30).prop_map(move |v| {
        v.into_iter()
            .map(|(a, w)| (a, pool2[w].clone()))
            .collect::<Vec<_>>()
    });
    prop_oneof![3 => edited, 1 => random]
}

/// Run a sequence through an audit log, one hour apart; refused actions are skipped.
pub(crate) fn run_log(seq: &[(Action, Actor)]) -> AuditLog {
    let c = cast();
    let p = project();
    let mut lib = ProjectLibrary::new(p.county.clone());
    let open = ProjectsPolicy::open();
    lib.admit(
        Project::new(
            p.id.clone(),
            p.name,
            p.county,
            p.township,
            Category::FacilityAgriculture,
            p.requested,
            p.fund_source,
        ),
        &open,
    )
    .unwrap();
    let mut log = AuditLog::with_policy(open_policy());
    log.enter(&lib, &p.id, &c.county_entry, t(1, 0), "")
        .unwrap();
    for (i, (a, who)) in seq.iter().enumerate() {
        let at = t(1, 0) + chrono::Duration::hours(i as i64 + 1);
        let _ = log.record(&p.id, a.clone(), who, at, "");
    }
    log
}

/// The embedded policy with no entry requirement but the amount guard.
pub(crate) fn open_policy() -> crate::Policy {
    let mut p = crate::Policy::chaoyang_2020();
    p.projects = ProjectsPolicy::open();
    p
}
