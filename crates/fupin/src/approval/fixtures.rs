//! Named actors and the plan's full path for one project.
use super::*;
use chrono::TimeZone;

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
