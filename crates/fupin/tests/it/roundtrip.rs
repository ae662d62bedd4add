//! Nothing is lost: every public type read back from its JSON (and TOML) is the same value.

use fupin::data::{CityInput, CountyInput, DataMeta, IntegrationFunds, PlanData, UpwardFunds};
use fupin::money::{Amount, Ratio};
use fupin::policy::{Policy, UnitKind};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A non-negative amount with up to 2 decimal places (fen), below 10¹⁴ yuan.
fn any_amount() -> impl Strategy<Value = Amount> {
    (0i64..100_000_000_000_000, 0u32..=2).prop_map(|(m, s)| Amount::from_yuan(Decimal::new(m, s)))
}

/// A ratio between 0 and 1 with up to 4 decimal places.
fn any_share() -> impl Strategy<Value = Ratio> {
    (0i64..=10_000).prop_map(|m| Ratio::from_fraction(Decimal::new(m, 4)))
}

fn any_kind() -> impl Strategy<Value = UnitKind> {
    prop_oneof![
        Just(UnitKind::County),
        Just(UnitKind::CountyCity),
        Just(UnitKind::District)
    ]
}

fn any_county() -> impl Strategy<Value = CountyInput> {
    (any_kind(), any_amount(), any_amount()).prop_map(|(kind, last_year, this_year)| CountyInput {
        name: String::new(),
        kind,
        last_year,
        this_year,
    })
}

/// Valid plan data: unique county names, integrated ≤ integrable.
fn any_plan_data() -> impl Strategy<Value = PlanData> {
    (
        [any_amount(), any_amount(), any_amount(), any_amount()],
        prop::collection::vec(any_county(), 0..9),
        [any_amount(), any_amount()],
        any_amount(),
        any_share(),
        prop::bool::ANY,
    )
        .prop_map(
            |(city, counties, upward, integrable, share, illustrative)| PlanData {
                meta: DataMeta {
                    name: "random".into(),
                    year: 2020,
                    source: String::new(),
                    illustrative: if illustrative {
                        vec!["counties".into()]
                    } else {
                        vec![]
                    },
                },
                city: CityInput {
                    budget: city[0],
                    prior_year_indicators: city[1],
                    donations: city[2],
                    last_year: city[3],
                },
                counties: counties
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| CountyInput {
                        name: format!("县{i}"),
                        ..c
                    })
                    .collect(),
                upward: UpwardFunds {
                    last_year: upward[0],
                    this_year: upward[1],
                },
                integration: IntegrationFunds {
                    integrable,
                    integrated: integrable.checked_mul_ratio(share).unwrap(),
                },
            },
        )
}

/// A valid policy: growth targets up to 100 %, required ≤ target.
fn any_policy() -> impl Strategy<Value = Policy> {
    (
        any_share(),
        any_share(),
        any_share(),
        any_share(),
        [any_amount(), any_amount(), any_amount()],
        any_share(),
        any_share(),
    )
        .prop_map(|(g1, gt, gu, gup, quota, a, b)| {
            let mut p = Policy::chaoyang_2020();
            p.funds.input_growth_target = g1;
            p.funds.county_total_growth_target = gt;
            p.funds.county_unit_growth_target = gu;
            p.upward.growth_target = gup;
            p.funds.quota.county = quota[0];
            p.funds.quota.county_city = quota[1];
            p.funds.quota.district = quota[2];
            p.integration.required_ratio = a.min(b);
            p.integration.target_ratio = a.max(b);
            p
        })
}

proptest! {
    #[test]
    fn plan_data_round_trips_through_json(d in any_plan_data()) {
        prop_assert_eq!(PlanData::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn policy_round_trips_through_toml_and_json(p in any_policy()) {
        prop_assert_eq!(&Policy::from_toml(&p.to_toml()).unwrap(), &p);
        prop_assert_eq!(&Policy::from_json(&p.to_json()).unwrap(), &p);
    }

    #[test]
    fn report_and_its_checks_round_trip_through_json(p in any_policy(), d in any_plan_data()) {
        let r = fupin::report::report(&p, &d).unwrap();
        let back: fupin::report::Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        prop_assert_eq!(back, r);
    }

    #[test]
    fn every_failed_check_states_a_positive_shortfall_or_why_not(p in any_policy(), d in any_plan_data()) {
        for c in fupin::report::report(&p, &d).unwrap().checks {
            match (c.passed, c.shortfall) {
                (true, s) => prop_assert_eq!(s, None),
                (false, Some(fupin::Value::Amount(a))) => prop_assert!(a > Amount::ZERO, "{:?}", c),
                // A zero baseline or nothing integrable: no amount would meet the rule, the note says why.
                (false, None) => prop_assert!(c.note.is_some(), "{:?}", c),
                (false, other) => prop_assert!(false, "failed check without an amount shortfall: {:?}", other),
            }
        }
    }
}
