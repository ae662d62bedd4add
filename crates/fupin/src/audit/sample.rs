//! The illustrative 2020 log: fictional projects and officials, signed with example keys that
//! anyone can derive ([`super::example_key`]) — for the example only.

use chrono::{TimeZone, Utc};

use super::{AuditLog, Draft, DraftAction, example_key};
use crate::approval::Timestamp;
use crate::approval::{Action, ChainPolicy, Registry};
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
    let policy = ChainPolicy::chaoyang_2020().projects;
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

/// The fictional officials of the sample: (id, name, role, level, county, township).
const OFFICIALS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "jp-fpb-zhou",
        "周主任",
        "poverty_office",
        "county",
        "建平县",
        "",
    ),
    ("jp-czj-li", "李科长", "finance", "county", "建平县", ""),
    (
        "zlk-zhang",
        "张乡长",
        "township",
        "township",
        "建平县",
        "朱碌科镇",
    ),
    (
        "cy-fpb-he",
        "何主任",
        "poverty_office",
        "county",
        "朝阳县",
        "",
    ),
    ("cy-czj-wu", "吴科长", "finance", "county", "朝阳县", ""),
    (
        "blc-sun",
        "孙乡长",
        "township",
        "township",
        "朝阳县",
        "波罗赤镇",
    ),
    (
        "kz-fpb-feng",
        "冯主任",
        "poverty_office",
        "county",
        "喀左县",
        "",
    ),
    ("kz-czj-zheng", "郑科长", "finance", "county", "喀左县", ""),
    (
        "ns-lin",
        "林主任",
        "township",
        "township",
        "喀左县",
        "南哨街道",
    ),
    ("cyc-nyk-wang", "王科长", "finance", "city", "", ""),
    ("cyc-gk-zhao", "赵科长", "finance", "city", "", ""),
    ("cyc-fpb-qian", "钱主任", "leading_group", "city", "", ""),
    ("cyc-ldxz-chen", "陈秘书", "leading_group", "city", "", ""),
];

/// The registry of the sample's fictional officials, registered for 2020, with the public keys
/// of their [`example_key`]s. Shipped as `examples/registry_2020.toml`.
#[must_use]
#[allow(clippy::expect_used)] // fixed data, checked by the tests
pub fn sample_2020_registry() -> Registry {
    let mut toml = String::new();
    for (id, name, role, level, county, township) in OFFICIALS {
        let key = hex::encode(example_key(id).verifying_key().as_bytes());
        toml.push_str(&format!(
            "[[actors]]\nid = \"{id}\"\nname = \"{name}\"\nrole = \"{role}\"\nlevel = \"{level}\"\n"
        ));
        if !county.is_empty() {
            toml.push_str(&format!("county = \"{county}\"\n"));
        }
        if !township.is_empty() {
            toml.push_str(&format!("township = \"{township}\"\n"));
        }
        toml.push_str(&format!(
            "public_key = \"{key}\"\nvalid_from = \"2020-01-01\"\nvalid_to = \"2020-12-31\"\n\n"
        ));
    }
    Registry::from_toml(&toml).expect("the sample registry is valid")
}

impl AuditLog {
    /// An illustrative 2020 log for three fictional projects of 建平县, 朝阳县 and 喀左县, with
    /// fictional officials of [`sample_2020_registry`], signed with their [`example_key`]s:
    /// one goes the plan's whole path to 批准实施, one is returned by the city and applied for
    /// again, one is rejected by its county. Shipped as `examples/approvals_2020.jsonl`.
    #[must_use]
    #[allow(clippy::expect_used)] // fixed data, checked by the tests
    pub fn sample_2020() -> Self {
        build().expect("the sample log follows the rules")
    }
}

fn build() -> Result<AuditLog, Box<dyn std::error::Error>> {
    let [jp, cy, kz] = libraries()?;
    let libs = [("JP", &jp), ("CY", &cy), ("KZ", &kz)];
    let mut log =
        AuditLog::with_policy(ChainPolicy::chaoyang_2020()).with_registry(sample_2020_registry());
    let wan = |w| Amount::wan(w);
    let steps: Vec<(&str, DraftAction, &str, Timestamp, &str)> = vec![
        (
            "JP-2020-001",
            DraftAction::Enter,
            "jp-fpb-zhou",
            t(4, 1, 9),
            "建平县项目库 2020 年第 1 批",
        ),
        (
            "CY-2020-003",
            DraftAction::Enter,
            "cy-fpb-he",
            t(4, 1, 10),
            "朝阳县项目库 2020 年第 1 批",
        ),
        (
            "KZ-2020-002",
            DraftAction::Enter,
            "kz-fpb-feng",
            t(4, 1, 11),
            "喀左县项目库 2020 年第 1 批",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::Apply),
            "zlk-zhang",
            t(4, 2, 9),
            "朱政发〔2020〕5号",
        ),
        (
            "CY-2020-003",
            DraftAction::Step(Action::Apply),
            "blc-sun",
            t(4, 2, 10),
            "",
        ),
        (
            "KZ-2020-002",
            DraftAction::Step(Action::Apply),
            "ns-lin",
            t(4, 2, 11),
            "",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::Review),
            "jp-czj-li",
            t(4, 3, 9),
            "",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::ReviewTargets),
            "jp-czj-li",
            t(4, 3, 10),
            "绩效目标表已审核",
        ),
        (
            "KZ-2020-002",
            DraftAction::Step(Action::Reject),
            "kz-czj-zheng",
            t(4, 3, 11),
            "选址不在贫困村，不予通过",
        ),
        (
            "CY-2020-003",
            DraftAction::Step(Action::Review),
            "cy-czj-wu",
            t(4, 3, 14),
            "",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::FileTargets),
            "cyc-ldxz-chen",
            t(4, 7, 9),
            "报市扶贫领导小组备案",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::PublishTargets),
            "jp-czj-li",
            t(4, 7, 10),
            "县政府网站公开",
        ),
        (
            "CY-2020-003",
            DraftAction::Step(Action::Return),
            "cyc-nyk-wang",
            t(4, 8, 9),
            "补充养殖场环评材料后重新申报",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::Recheck { approved: wan(100) }),
            "cyc-nyk-wang",
            t(4, 8, 10),
            "核定 100 万元",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::ArrangeFunds { amount: wan(100) }),
            "cyc-gk-zhao",
            t(4, 10, 9),
            "朝财指〔2020〕12号",
        ),
        (
            "JP-2020-001",
            DraftAction::Step(Action::ApproveImplementation),
            "cyc-fpb-qian",
            t(4, 13, 9),
            "",
        ),
        (
            "CY-2020-003",
            DraftAction::Step(Action::Apply),
            "blc-sun",
            t(4, 15, 9),
            "已补充环评材料",
        ),
        (
            "CY-2020-003",
            DraftAction::Step(Action::Review),
            "cy-czj-wu",
            t(4, 16, 9),
            "",
        ),
    ];
    for (project, action, actor, at, comment) in steps {
        let library = libs
            .iter()
            .find(|(p, _)| project.starts_with(p))
            .map(|(_, l)| *l);
        let draft = Draft {
            project: project.to_owned(),
            action,
            actor: actor.to_owned(),
            at,
            comment: comment.to_owned(),
        };
        log.append(&draft, &example_key(actor), library)?;
    }
    Ok(log)
}
