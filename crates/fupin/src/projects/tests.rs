use super::*;
use crate::Policy;
use crate::money::Lang;
use proptest::prelude::*;

fn policy() -> ProjectsPolicy {
    Policy::chaoyang_2020().projects
}

pub(crate) fn complete(id: &str, county: &str, township: &str, wan: i64) -> Project {
    let mut p = Project::new(
        id,
        format!("{township}扶贫产业项目 {id}"),
        county,
        township,
        Category::FacilityAgriculture,
        Amount::wan(wan),
        FundSource::CitySpecial,
    );
    p.implementing_unit = Some(format!("{township}人民政府"));
    p.performance_targets
        .push(PerformanceTarget::new("带动贫困户", "≥ 50 户"));
    p.documents
        .extend(policy().required_documents.iter().cloned());
    p
}

#[test]
fn complete_project_enters_and_is_eligible() {
    let mut lib = ProjectLibrary::new("建平县");
    lib.admit(complete("JP-1", "建平县", "朱碌科镇", 120), &policy())
        .unwrap();
    assert!(matches!(
        lib.eligible_for_special_funds("JP-1", &policy()).unwrap(),
        Eligibility::InLibrary(p) if p.id == "JP-1"
    ));
    assert!(lib.check_special_funds("JP-1", &policy()).passed);
}

#[test]
fn project_outside_the_library_is_an_m6_error_not_a_false() {
    let lib = ProjectLibrary::new("建平县");
    let e = lib
        .eligible_for_special_funds("JP-9", &policy())
        .unwrap_err();
    assert_eq!(e.clause(), ClauseId::M6);
    assert!(
        e.to_string().contains("JP-9") && e.to_string().contains("M6"),
        "{e}"
    );
    let c = lib.check_special_funds("JP-9", &policy());
    assert!(!c.passed);
    assert_eq!(c.clause, ClauseId::M6);
}

#[test]
fn entry_names_the_missing_field_and_document() {
    let mut lib = ProjectLibrary::new("建平县");
    let mut p = complete("JP-2", "建平县", "朱碌科镇", 10);
    p.performance_targets.clear();
    let e = lib.admit(p, &policy()).unwrap_err();
    assert_eq!(
        e,
        ProjectError::MissingField {
            project: "JP-2".into(),
            field: "performance_targets".into()
        }
    );
    let mut p = complete("JP-3", "建平县", "朱碌科镇", 10);
    let first = policy().required_documents[0].clone();
    p.documents.remove(&first);
    let e = lib.admit(p, &policy()).unwrap_err();
    assert!(e.to_string().contains(&first), "{e}");
    let p = complete("JP-4", "建平县", "朱碌科镇", 0);
    assert!(matches!(
        lib.admit(p, &policy()),
        Err(ProjectError::InvalidAmount { .. })
    ));
    assert!(lib.projects().len() == 0);
}

#[test]
fn library_refuses_other_counties_and_duplicates() {
    let mut lib = ProjectLibrary::new("建平县");
    let e = lib
        .admit(complete("CY-1", "朝阳县", "波罗赤镇", 10), &policy())
        .unwrap_err();
    assert!(matches!(e, ProjectError::WrongCounty { .. }));
    lib.admit(complete("JP-1", "建平县", "朱碌科镇", 10), &policy())
        .unwrap();
    let e = lib
        .admit(complete("JP-1", "建平县", "朱碌科镇", 10), &policy())
        .unwrap_err();
    assert!(matches!(e, ProjectError::Duplicate { .. }));
}

#[test]
fn open_enums_round_trip_as_strings() {
    let mut p = complete("JP-1", "建平县", "朱碌科镇", 10);
    p.category = Category::Other("乡村旅游".into());
    p.fund_source = FundSource::Integrated;
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains("\"category\":\"乡村旅游\""), "{json}");
    assert_eq!(serde_json::from_str::<Project>(&json).unwrap(), p);
    assert_eq!(
        serde_json::from_str::<Category>("\"orchard\"").unwrap(),
        Category::Orchard
    );
    assert!(serde_json::from_str::<Category>("\"\"").is_err());
    let mut lib = ProjectLibrary::new("建平县");
    lib.admit(p, &policy()).unwrap();
    let back: ProjectLibrary = serde_json::from_str(&serde_json::to_string(&lib).unwrap()).unwrap();
    assert_eq!(back, lib);
}

#[test]
fn library_file_with_foreign_project_is_refused() {
    let json = r#"{"county":"建平县","projects":[{"id":"X","name":"n","county":"朝阳县","township":"t","category":"breeding","requested":"10万元","fund_source":"city_special"}]}"#;
    let e = serde_json::from_str::<ProjectLibrary>(json).unwrap_err();
    assert!(e.to_string().contains("朝阳县"), "{e}");
}

fn lib_with(county: &str, complete_docs: usize, incomplete: usize) -> ProjectLibrary {
    let mut lib = ProjectLibrary::new(county);
    for i in 0..complete_docs + incomplete {
        let mut p = complete(&format!("{county}-{i}"), county, "乡", 10);
        if i >= complete_docs {
            p.documents.clear();
        }
        lib.insert(p).unwrap();
    }
    lib
}

fn docs_weight() -> InspectionWeights {
    InspectionWeights([(InspectionMetric::CompleteDocuments, WeightValue(100.into()))].into())
}

#[test]
fn inspection_ranks_by_share_with_shared_ranks_for_ties() {
    // 建平 2/3, 朝阳 4/6 (equal, exactly), 喀左 3/3, 北票 0 projects.
    let libs = [
        lib_with("建平县", 2, 1),
        lib_with("朝阳县", 4, 2),
        lib_with("喀左县", 3, 0),
        ProjectLibrary::new("北票市"),
    ];
    let r = inspect(&libs, &no_approvals(), &policy(), &docs_weight()).unwrap();
    let got: Vec<_> = r.iter().map(|c| (c.county.as_str(), c.rank)).collect();
    assert_eq!(
        got,
        [("喀左县", 1), ("建平县", 2), ("朝阳县", 2), ("北票市", 4)]
    );
    assert_eq!(
        r[1].share(InspectionMetric::CompleteDocuments)
            .unwrap()
            .to_string(),
        "66.67%"
    );
    assert_eq!(r[0].score, Decimal::from(100));
    assert_eq!(
        inspection_lines(&r, Lang::En)[0],
        "#1 喀左县 score 100 (3 projects)"
    );
}

#[test]
fn inspection_refuses_bad_weights() {
    let neg =
        InspectionWeights([(InspectionMetric::TargetsFiled, WeightValue((-1).into()))].into());
    assert!(matches!(
        inspect(&[], &no_approvals(), &policy(), &neg),
        Err(ProjectError::InvalidWeight { .. })
    ));
    let zero = InspectionWeights(BTreeMap::new());
    assert!(inspect(&[], &no_approvals(), &policy(), &zero).is_err());
    let libs = [ProjectLibrary::new("建平县"), ProjectLibrary::new("建平县")];
    assert!(matches!(
        inspect(&libs, &no_approvals(), &policy(), &docs_weight()),
        Err(ProjectError::DuplicateCounty { .. })
    ));
}

fn any_libraries() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((0usize..5, 0usize..5), 1..6)
}

proptest! {
    #[test]
    fn inspection_ranking_does_not_depend_on_input_order(sizes in any_libraries()) {
        let names = ["朝阳县", "建平县", "喀左县", "北票市", "凌源市", "双塔区"];
        let libs: Vec<_> = sizes.iter().zip(names).map(|((c, i), n)| lib_with(n, *c, *i)).collect();
        let mut reversed = libs.clone();
        reversed.reverse();
        let a = inspect(&libs, &no_approvals(), &policy(), &docs_weight()).unwrap();
        let b = inspect(&reversed, &no_approvals(), &policy(), &docs_weight()).unwrap();
        prop_assert_eq!(&a, &b);
        for w in a.windows(2) {
            prop_assert!(w[0].score >= w[1].score);
            prop_assert!(w[0].rank <= w[1].rank);
        }
    }
}

#[test]
fn inspection_counts_m8_targets_from_the_approval_records() {
    let libs = crate::audit::sample_2020_libraries();
    let log = crate::audit::AuditLog::sample_2020();
    let weights = InspectionWeights(
        [
            (InspectionMetric::TargetsPublished, WeightValue(60.into())),
            (InspectionMetric::CompleteDocuments, WeightValue(40.into())),
        ]
        .into(),
    );
    let r = inspect(&libs, log.states(), &policy(), &weights).unwrap();
    // Only 建平县's project has published targets; every project has its documents.
    let got: Vec<_> = r
        .iter()
        .map(|c| (c.county.as_str(), c.rank, c.score))
        .collect();
    assert_eq!(
        got,
        [
            ("建平县", 1, Decimal::from(100)),
            ("喀左县", 2, Decimal::from(40)),
            ("朝阳县", 2, Decimal::from(40)),
        ]
    );
    assert_eq!(r[0].met[&InspectionMetric::TargetsPublished], 1);
    // Without approval records no target counts as published.
    let r = inspect(&libs, &no_approvals(), &policy(), &weights).unwrap();
    assert!(
        r.iter()
            .all(|c| c.rank == 1 && c.score == Decimal::from(40))
    );
}

#[test]
fn inspection_types_round_trip_through_json() {
    let weights = InspectionWeights(
        [
            (
                InspectionMetric::CompleteFields,
                WeightValue(Decimal::new(25, 1)),
            ),
            (InspectionMetric::ServesPoorVillage, WeightValue(1.into())),
        ]
        .into(),
    );
    let json = serde_json::to_string(&weights).unwrap();
    assert_eq!(
        json,
        r#"{"complete_fields":"2.5","serves_poor_village":"1"}"#
    );
    assert_eq!(
        serde_json::from_str::<InspectionWeights>(&json).unwrap(),
        weights
    );
    let libs = crate::audit::sample_2020_libraries();
    let r = inspect(&libs, &no_approvals(), &policy(), &weights).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<CountyInspection>>(&json).unwrap(),
        r
    );
}

#[test]
fn projects_policy_section_is_checked_and_named() {
    let p = Policy::chaoyang_2020();
    assert_eq!(
        p.projects.required_fields,
        [
            ProjectField::ImplementingUnit,
            ProjectField::PerformanceTargets
        ]
    );
    assert_eq!(p.projects.required_documents, ["项目申报书", "绩效目标表"]);
    let toml = crate::policy::CHAOYANG_2020_TOML;
    let e =
        Policy::from_toml(&toml.replace("required_documents", "required_documnets")).unwrap_err();
    assert_eq!(e.path(), "projects.required_documnets");
    let e = Policy::from_toml(&toml.replace(r#""绩效目标表"]"#, r#""绩效目标表", "绩效目标表"]"#))
        .unwrap_err();
    assert_eq!(e.path(), "projects.required_documents[2]");
    let e = Policy::from_toml(&toml.replace(r#"["implementing_unit""#, r#"["implementer""#))
        .unwrap_err();
    assert!(e.path().starts_with("projects.required_fields"), "{e}");
}

#[test]
fn a_library_read_from_a_file_is_held_to_the_entry_requirements_for_special_funds() {
    // The file is what the county keeps: reading it does not apply the policy …
    let mut p = complete("JP-3", "建平县", "朱碌科镇", 10);
    p.documents.clear();
    let file = serde_json::json!({"county": "建平县", "projects": [p]});
    let lib: ProjectLibrary = serde_json::from_value(file).unwrap();
    // … but special funds do: the missing document is named (M6 档案化).
    let e = lib
        .eligible_for_special_funds("JP-3", &policy())
        .unwrap_err();
    assert!(
        matches!(&e, ProjectError::MissingDocument { document, .. } if document == "项目申报书"),
        "{e:?}"
    );
    let c = lib.check_special_funds("JP-3", &policy());
    assert!(!c.passed);
    assert!(c.note.unwrap().en.contains("项目申报书"));
}

#[test]
fn an_exception_to_in_principle_needs_a_recorded_reason() {
    let exception = |reason: &str| SpecialFundsException {
        project: "JP-9".into(),
        reason: reason.into(),
        decided_by: Some("建平县政府常务会议".into()),
        document: None,
    };
    let mut lib = ProjectLibrary::new("建平县");
    for blank in ["", "  "] {
        let e = lib.record_exception(exception(blank)).unwrap_err();
        assert!(
            e.to_string().contains("JP-9") && e.to_string().contains("reason"),
            "{e}"
        );
    }
    lib.record_exception(exception("水毁设施应急修复")).unwrap();
    assert!(matches!(
        lib.eligible_for_special_funds("JP-9", &policy()).unwrap(),
        Eligibility::Exception(x) if x.reason == "水毁设施应急修复"
    ));
    let c = lib.check_special_funds("JP-9", &policy());
    assert!(c.passed);
    assert!(c.note.unwrap().zh.contains("水毁设施应急修复"));
    // A file with a blank reason is refused, and exceptions round-trip.
    let file =
        serde_json::json!({"county": "建平县", "exceptions": [{"project": "X", "reason": " "}]});
    assert!(serde_json::from_value::<ProjectLibrary>(file).is_err());
    let json = serde_json::to_value(&lib).unwrap();
    assert_eq!(serde_json::from_value::<ProjectLibrary>(json).unwrap(), lib);
    // A project in the library needs no exception.
    lib.admit(complete("JP-1", "建平县", "朱碌科镇", 1), &policy())
        .unwrap();
    let mut x = exception("r");
    x.project = "JP-1".into();
    assert!(lib.record_exception(x).is_err());
}

#[test]
fn requested_amounts_must_be_positive_whole_fen_and_below_the_guard() {
    let mut lib = ProjectLibrary::new("建平县");
    for (yuan, kind) in [
        ("0", "invalid"),
        ("-5", "invalid"),
        ("0.001", "invalid"),
        ("10000000001", "above"),
        ("1000000000000", "above"),
    ] {
        let mut p = complete("JP-5", "建平县", "朱碌科镇", 1);
        p.requested = yuan.parse().unwrap();
        let e = lib.admit(p.clone(), &policy()).unwrap_err();
        match kind {
            "invalid" => assert!(
                matches!(e, ProjectError::InvalidAmount { .. }),
                "{yuan}: {e:?}"
            ),
            _ => assert!(
                matches!(e, ProjectError::AboveMaximum { .. }),
                "{yuan}: {e:?}"
            ),
        }
        if kind == "invalid" {
            // A library file with it is refused too.
            let file = serde_json::json!({"county": "建平县", "projects": [p]});
            assert!(
                serde_json::from_value::<ProjectLibrary>(file).is_err(),
                "{yuan}"
            );
        }
    }
    let mut p = complete("JP-5", "建平县", "朱碌科镇", 1);
    p.requested = "10000000000".parse().unwrap(); // exactly 100 亿元: the guard itself
    lib.admit(p, &policy()).unwrap();
}

#[test]
fn blank_performance_targets_are_refused_naming_the_target() {
    let mut p = complete("JP-6", "建平县", "朱碌科镇", 1);
    p.performance_targets
        .push(PerformanceTarget::new("带动贫困户", " "));
    let e = ProjectLibrary::new("建平县")
        .admit(p.clone(), &policy())
        .unwrap_err();
    assert!(
        e.to_string().contains("performance_targets[1].target"),
        "{e}"
    );
    let file = serde_json::json!({"county": "建平县", "projects": [p]});
    let e = serde_json::from_value::<ProjectLibrary>(file).unwrap_err();
    assert!(e.to_string().contains("performance_targets[1]"), "{e}");
}

/// Whether a text holds an English sentence: three or more ASCII words in a row.
fn has_english_sentence(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii() || matches!(c, '(' | ')' | ',' | ';' | ':' | '`'))
        .any(|run| {
            run.split_whitespace()
                .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
                .count()
                >= 3
        })
}

#[test]
fn a_failed_m6_check_notes_in_chinese_with_the_same_facts() {
    assert!(has_english_sentence("project `JP-9` is not in the library"));
    assert!(!has_english_sentence(
        "项目“JP-9”：申请金额0元（M6 三(六)）"
    ));
    let mut no_docs = complete("JP-3", "建平县", "朱碌科镇", 10);
    no_docs.documents.clear();
    let mut no_unit = complete("JP-4", "建平县", "朱碌科镇", 10);
    no_unit.implementing_unit = None;
    let huge = complete("JP-7", "建平县", "朱碌科镇", 10_000_000);
    let file = serde_json::json!({
        "county": "建平县",
        "projects": [no_docs, no_unit, huge],
    });
    let lib: ProjectLibrary = serde_json::from_value(file).unwrap();
    for (id, fact) in [
        ("JP-3", "项目申报书"),
        ("JP-4", "实施主体"),
        ("JP-7", "超过政策接受的上限"),
        ("JP-9", "未进入建平县的项目库"),
    ] {
        let c = lib.check_special_funds(id, &policy());
        assert!(!c.passed, "{id}");
        let note = c.note.unwrap();
        assert!(
            note.zh.contains(id) && note.zh.contains(fact),
            "{id}: {}",
            note.zh
        );
        assert!(!has_english_sentence(&note.zh), "{id}: {}", note.zh);
        assert!(has_english_sentence(&note.en), "{id}: {}", note.en);
    }
    // A file never holds a project that fails these (it is refused when read); their Chinese
    // text still carries the facts.
    let e = ProjectError::BlankTarget {
        project: "JP-5".into(),
        index: 0,
        field: "target",
    };
    assert!(e.zh().contains("绩效目标第1项的指标值"), "{}", e.zh());
    let e = ProjectError::InvalidAmount {
        project: "JP-6".into(),
        value: Amount::yuan(0),
    };
    assert!(e.zh().contains("申请金额0元"), "{}", e.zh());
    for e in [
        ProjectError::WrongCounty {
            project: "JP-1".into(),
            project_county: "凌源市".into(),
            library_county: "建平县".into(),
        },
        ProjectError::Duplicate {
            project: "JP-1".into(),
            county: "建平县".into(),
        },
        ProjectError::DuplicateCounty {
            county: "建平县".into(),
        },
    ] {
        assert!(!has_english_sentence(&e.zh()), "{}", e.zh());
    }
}

fn no_approvals() -> BTreeMap<String, crate::approval::ProjectApproval> {
    BTreeMap::new()
}
