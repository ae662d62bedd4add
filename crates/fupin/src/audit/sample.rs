//! The illustrative 2020 log: fictional projects and officials.

use chrono::{TimeZone, Utc};

use super::{AuditLog, Timestamp};
use crate::Policy;
use crate::approval::{Action, Actor, ApprovalError, Role};
use crate::money::Amount;
use crate::projects::{
    Category, FundSource, PerformanceTarget, Project, ProjectError, ProjectLibrary,
};

fn t(month: u32, day: u32, hour: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2020, month, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

fn project(
    id: &str,
    name: &str,
    county: &str,
    township: &str,
    category: Category,
    wan: i64,
) -> Project {
    let mut p = Project::new(
        id,
        name,
        county,
        township,
        category,
        Amount::wan(wan),
        FundSource::CitySpecial,
    );
    p.serves_poor_village = true;
    p.implementing_unit = Some(format!("{township}人民政府"));
    p.performance_targets
        .push(PerformanceTarget::new("带动建档立卡贫困户", "≥ 50 户"));
    p.documents
        .extend(["项目申报书".to_owned(), "绩效目标表".to_owned()]);
    p
}

/// The three counties' libraries, each project admitted under the embedded 2020 policy.
pub(super) fn libraries() -> Result<[ProjectLibrary; 3], ProjectError> {
    let policy = Policy::chaoyang_2020().projects;
    let mut jp = ProjectLibrary::new("建平县");
    jp.admit(
        project(
            "JP-2020-001",
            "朱碌科镇设施农业大棚",
            "建平县",
            "朱碌科镇",
            Category::FacilityAgriculture,
            120,
        ),
        &policy,
    )?;
    let mut cy = ProjectLibrary::new("朝阳县");
    cy.admit(
        project(
            "CY-2020-003",
            "波罗赤镇肉牛养殖",
            "朝阳县",
            "波罗赤镇",
            Category::Breeding,
            80,
        ),
        &policy,
    )?;
    let mut kz = ProjectLibrary::new("喀左县");
    kz.admit(
        project(
            "KZ-2020-002",
            "南哨街道扶贫果园",
            "喀左县",
            "南哨街道",
            Category::Orchard,
            60,
        ),
        &policy,
    )?;

    Ok([jp, cy, kz])
}

pub(super) fn build() -> Result<AuditLog, Box<dyn std::error::Error>> {
    let [jp, cy, kz] = libraries()?;
    let jp_entry = Actor::county("jp-fpb-zhou", "周主任", Role::PovertyOffice, "建平县");
    let jp_review = Actor::county("jp-czj-li", "李科长", Role::Finance, "建平县");
    let zlk = Actor::township("zlk-zhang", "张乡长", "建平县", "朱碌科镇");
    let cy_entry = Actor::county("cy-fpb-he", "何主任", Role::PovertyOffice, "朝阳县");
    let cy_review = Actor::county("cy-czj-wu", "吴科长", Role::Finance, "朝阳县");
    let blc = Actor::township("blc-sun", "孙乡长", "朝阳县", "波罗赤镇");
    let kz_entry = Actor::county("kz-fpb-feng", "冯主任", Role::PovertyOffice, "喀左县");
    let kz_review = Actor::county("kz-czj-zheng", "郑科长", Role::Finance, "喀左县");
    let ns = Actor::township("ns-lin", "林主任", "喀左县", "南哨街道");
    let recheck = Actor::city("cyc-nyk-wang", "王科长", Role::Finance);
    let funds = Actor::city("cyc-gk-zhao", "赵科长", Role::Finance);
    let approve = Actor::city("cyc-fpb-qian", "钱主任", Role::LeadingGroup);
    let filing = Actor::city("cyc-ldxz-chen", "陈秘书", Role::LeadingGroup);

    let mut log = AuditLog::new();
    let step = |log: &mut AuditLog,
                id: &str,
                a: Action,
                who: &Actor,
                at: Timestamp,
                c: &str|
     -> Result<(), ApprovalError> { log.record(id, a, who, at, c).map(|_| ()) };
    log.enter(
        &jp,
        "JP-2020-001",
        &jp_entry,
        t(4, 1, 9),
        "建平县项目库 2020 年第 1 批",
    )?;
    log.enter(
        &cy,
        "CY-2020-003",
        &cy_entry,
        t(4, 1, 10),
        "朝阳县项目库 2020 年第 1 批",
    )?;
    log.enter(
        &kz,
        "KZ-2020-002",
        &kz_entry,
        t(4, 1, 11),
        "喀左县项目库 2020 年第 1 批",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::Apply,
        &zlk,
        t(4, 2, 9),
        "朱政发〔2020〕5号",
    )?;
    step(
        &mut log,
        "CY-2020-003",
        Action::Apply,
        &blc,
        t(4, 2, 10),
        "",
    )?;
    step(&mut log, "KZ-2020-002", Action::Apply, &ns, t(4, 2, 11), "")?;
    step(
        &mut log,
        "JP-2020-001",
        Action::Review,
        &jp_review,
        t(4, 3, 9),
        "",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::ReviewTargets,
        &jp_review,
        t(4, 3, 10),
        "绩效目标表已审核",
    )?;
    step(
        &mut log,
        "KZ-2020-002",
        Action::Reject,
        &kz_review,
        t(4, 3, 11),
        "选址不在贫困村，不予通过",
    )?;
    step(
        &mut log,
        "CY-2020-003",
        Action::Review,
        &cy_review,
        t(4, 3, 14),
        "",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::FileTargets,
        &filing,
        t(4, 7, 9),
        "报市扶贫领导小组备案",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::PublishTargets,
        &jp_review,
        t(4, 7, 10),
        "县政府网站公开",
    )?;
    step(
        &mut log,
        "CY-2020-003",
        Action::Return,
        &recheck,
        t(4, 8, 9),
        "补充养殖场环评材料后重新申报",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::Recheck {
            approved: Amount::wan(100),
        },
        &recheck,
        t(4, 8, 10),
        "核定 100 万元",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::ArrangeFunds {
            amount: Amount::wan(100),
        },
        &funds,
        t(4, 10, 9),
        "朝财指〔2020〕12号",
    )?;
    step(
        &mut log,
        "JP-2020-001",
        Action::ApproveImplementation,
        &approve,
        t(4, 13, 9),
        "",
    )?;
    step(
        &mut log,
        "CY-2020-003",
        Action::Apply,
        &blc,
        t(4, 15, 9),
        "已补充环评材料",
    )?;
    step(
        &mut log,
        "CY-2020-003",
        Action::Review,
        &cy_review,
        t(4, 16, 9),
        "",
    )?;
    Ok(log)
}
