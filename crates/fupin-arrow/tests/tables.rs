//! The table functions on arrow-rs data: exact values, a schema that does not depend on the
//! data, and errors that name the column, the row and the value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failing test may panic

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Decimal128Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, RecordBatch, StringArray,
    UInt32Array,
};
use arrow_select::concat::concat_batches;
use fupin::Policy;
use fupin_arrow::{
    Columns, Error, LedgerOptions, MONEY, RATIO, ScoreOptions, check_funds, checks, checks_schema,
    funds_schema, score, score_schema, spending_progress, spending_schema,
};
use rust_decimal::Decimal;

fn text(v: &[&str]) -> ArrayRef {
    Arc::new(StringArray::from(v.to_vec()))
}

fn table(columns: Vec<(&str, ArrayRef)>) -> Columns {
    Columns::from_batch(RecordBatch::try_from_iter(columns).unwrap())
}

/// A decimal128 cell as a decimal; `None` when null.
fn decimal(batch: &RecordBatch, column: &str, row: usize) -> Option<Decimal> {
    let col = batch.column_by_name(column).unwrap();
    let arrow_schema::DataType::Decimal128(_, scale) = col.data_type() else {
        panic!("`{column}` is not decimal128");
    };
    let scale = u32::try_from(*scale).unwrap();
    let col = col.as_primitive::<Decimal128Type>();
    col.is_valid(row)
        .then(|| Decimal::from_i128_with_scale(col.value(row), scale))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn counties(last: &[&str], this: &[&str]) -> Columns {
    let names: Vec<String> = (0..last.len()).map(|i| format!("县{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    table(vec![
        ("name", text(&names)),
        ("kind", text(&vec!["county"; last.len()])),
        ("last_year", text(last)),
        ("this_year", text(this)),
    ])
}

#[test]
fn funds_tables_of_different_data_have_one_schema_and_concatenate() {
    let policy = Policy::chaoyang_2020();
    // Whole 万元 in one, fen and a non-terminating growth in the other.
    let a = check_funds(&counties(&["2000万元"], &["2500万元"]), &policy).unwrap();
    let b = check_funds(&counties(&["0.03", "0"], &["2500.01万元", "1"]), &policy).unwrap();
    assert_eq!(a.schema(), funds_schema());
    assert_eq!(b.schema(), funds_schema());
    let both = concat_batches(&funds_schema(), [&a, &b]).unwrap();
    assert_eq!(both.num_rows(), 3);
    assert_eq!(decimal(&both, "this_year", 1), Some(d("25000100")));
    // (25,000,100 − 0.03) / 0.03 = 833,336,665.666…: rounded half to even at 18 places.
    assert_eq!(
        decimal(&both, "growth", 1),
        Some(d("833336665.666666666666666667"))
    );
    assert_eq!(decimal(&both, "growth", 2), None); // last year zero: no growth
    assert_eq!(decimal(&both, "growth", 0), Some(d("0.25")));
}

#[test]
fn money_keeps_every_fen_and_the_rules_own_products() {
    // 20,833,333.33 × 1.2 = 24,999,999.996: three places, kept exactly.
    let t = counties(&["20833333.33"], &["1"]);
    let out = check_funds(&t, &Policy::chaoyang_2020()).unwrap();
    assert_eq!(decimal(&out, "last_year", 0), Some(d("20833333.33")));
    assert_eq!(decimal(&out, "required", 0), Some(d("25000000")));
    let col = out.column_by_name("quota").unwrap();
    assert_eq!(col.data_type(), &MONEY);
    assert_eq!(out.column_by_name("growth").unwrap().data_type(), &RATIO);
}

#[test]
fn a_float_money_column_is_refused_with_advice() {
    let t = table(vec![
        ("name", text(&["甲"])),
        ("kind", text(&["county"])),
        ("last_year", Arc::new(Float64Array::from(vec![2.5e7]))),
        ("this_year", text(&["1"])),
    ]);
    let e = check_funds(&t, &Policy::chaoyang_2020()).unwrap_err();
    assert!(matches!(e, Error::ColumnType { .. }), "{e:?}");
    assert!(e.to_string().contains("floats are not exact"), "{e}");
    assert_eq!(e.column(), Some("last_year"));
}

#[test]
fn bad_cells_name_their_row_column_and_value() {
    let e = check_funds(
        &counties(&["1", "lots"], &["1", "2"]),
        &Policy::chaoyang_2020(),
    )
    .unwrap_err();
    assert_eq!(
        (e.row(), e.column(), e.value()),
        (Some(1), Some("last_year"), Some("\"lots\""))
    );
    let e = check_funds(
        &counties(&["1", "2"], &["7,5", "2"]),
        &Policy::chaoyang_2020(),
    );
    // Whatever the core decides about "7,5", it is never read as 75 silently: either refused
    // naming the cell, or accepted only as the core reads it everywhere else.
    if let Err(e) = e {
        assert_eq!(e.row(), Some(0), "{e}");
    }
    let t = table(vec![
        ("name", text(&["甲"])),
        ("kind", text(&["township"])),
        ("last_year", text(&["1"])),
        ("this_year", text(&["1"])),
    ]);
    let e = check_funds(&t, &Policy::chaoyang_2020()).unwrap_err();
    assert!(
        e.to_string().starts_with("row 0: `kind` = \"township\""),
        "{e}"
    );
}

#[test]
fn a_decimal_column_finer_than_the_kernel_names_the_value_not_the_stored_integer() {
    let card = Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    let fine = Decimal128Array::from(vec![12_345_i128])
        .with_precision_and_scale(10, 5)
        .unwrap();
    let t = table(vec![
        ("annual_targets", Arc::new(fine)),
        ("daily_responsibility", text(&["0"])),
        ("over_completion", text(&["0"])),
        ("upward_funds", text(&["0"])),
        (
            "commendations.provincial",
            Arc::new(UInt32Array::from(vec![0])),
        ),
        (
            "commendations.national",
            Arc::new(UInt32Array::from(vec![0])),
        ),
        ("innovation", text(&["0"])),
    ]);
    let e = score(&t, &card, ScoreOptions::default()).unwrap_err();
    assert_eq!(e.value(), Some("0.12345"), "{e}");
    assert!(e.to_string().contains("more than 4 decimal places"), "{e}");
}

fn card_a_table(units: &[&str], annual: &[&str], vetoed: &[bool]) -> Columns {
    Columns::from_batch(card_a_batch(units, annual, vetoed))
}

fn card_a_batch(units: &[&str], annual: &[&str], vetoed: &[bool]) -> RecordBatch {
    let n = units.len();
    RecordBatch::try_from_iter(vec![
        ("unit", text(units)),
        ("annual_targets", text(annual)),
        ("daily_responsibility", text(&vec!["20"; n])),
        ("over_completion", text(&vec!["135%"; n])),
        ("upward_funds", text(&vec!["0"; n])),
        (
            "commendations.provincial",
            Arc::new(UInt32Array::from(vec![1; n])),
        ),
        (
            "commendations.national",
            Arc::new(UInt32Array::from(vec![0; n])),
        ),
        ("innovation", text(&vec!["0.5"; n])),
        (
            "vetoed",
            Arc::new(BooleanArray::from(vetoed.to_vec())) as ArrayRef,
        ),
    ])
    .unwrap()
}

#[test]
fn score_tables_of_different_data_concatenate_and_rank() {
    let card = Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    let a = score(
        &card_a_table(&["甲", "乙"], &["80", "70.25"], &[false, false]),
        &card,
        ScoreOptions::default(),
    )
    .unwrap();
    let b = score(
        &card_a_table(&["丙"], &["1"], &[true]),
        &card,
        ScoreOptions::default(),
    )
    .unwrap();
    let schema = score_schema(&card, ScoreOptions::default(), true);
    assert_eq!(a.schema(), schema);
    assert_eq!(b.schema(), schema);
    let both = concat_batches(&schema, [&a, &b]).unwrap();
    // 80 + 20 + bonus (3 over-completion + 0.5 provincial + 0.5 innovation) = 104
    assert_eq!(decimal(&both, "total", 0), Some(d("104")));
    assert_eq!(decimal(&both, "total", 1), Some(d("94.25")));
    let ranks = both
        .column_by_name("rank")
        .unwrap()
        .as_primitive::<arrow_array::types::UInt32Type>();
    assert_eq!(ranks.values().to_vec(), vec![1, 2, 1]);
}

/// Every output column of `batch` as decimals (points of either width), bools or ranks.
fn cells(batch: &RecordBatch) -> Vec<(String, Vec<String>)> {
    use arrow_array::types::{Decimal64Type, UInt32Type};
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, col)| {
            let v: Vec<String> = (0..col.len())
                .map(|i| match col.data_type() {
                    arrow_schema::DataType::Decimal128(_, s) => Decimal::from_i128_with_scale(
                        col.as_primitive::<Decimal128Type>().value(i),
                        u32::try_from(*s).unwrap(),
                    )
                    .to_string(),
                    arrow_schema::DataType::Decimal64(_, s) => Decimal::from_i128_with_scale(
                        col.as_primitive::<Decimal64Type>().value(i).into(),
                        u32::try_from(*s).unwrap(),
                    )
                    .to_string(),
                    arrow_schema::DataType::Boolean => col.as_boolean().value(i).to_string(),
                    arrow_schema::DataType::UInt32 => {
                        col.as_primitive::<UInt32Type>().value(i).to_string()
                    }
                    _ => col.as_string::<i32>().value(i).to_owned(),
                })
                .collect();
            (f.name().clone(), v)
        })
        .collect()
}

#[test]
fn score_tables_hold_the_same_numbers_whatever_the_layout_of_input_and_output() {
    use fupin_arrow::PointsType;
    let card = Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    let units = ["甲", "乙", "丙", "丁", "戊"];
    let annual = ["80", "70.25", "80", "1", "79.5"];
    let vetoed = [false, false, false, true, false];
    // The same rows in one batch, in two, and as a slice of a larger batch (offsets in every
    // column, the veto column's bits included).
    let one = card_a_table(&units, &annual, &vetoed);
    let parts = [
        card_a_batch(&units[..2], &annual[..2], &vetoed[..2]),
        card_a_batch(&units[2..], &annual[2..], &vetoed[2..]),
    ];
    let split = Columns::new(parts[0].schema(), parts.to_vec());
    let longer: Vec<&str> = ["前"].into_iter().chain(units).collect();
    let longer_annual: Vec<&str> = ["3"].into_iter().chain(annual).collect();
    let longer_vetoed: Vec<bool> = [true].into_iter().chain(vetoed).collect();
    let sliced = Columns::from_batch(
        card_a_batch(&longer, &longer_annual, &longer_vetoed).slice(1, units.len()),
    );
    for lines in [false, true] {
        for rank in [false, true] {
            let expected = |points| {
                let options = ScoreOptions {
                    lines,
                    rank,
                    points,
                };
                cells(&score(&one, &card, options).unwrap())
            };
            let want = expected(PointsType::Decimal128);
            assert_eq!(expected(PointsType::Decimal64), want);
            for t in [&split, &sliced] {
                let options = ScoreOptions {
                    lines,
                    rank,
                    points: PointsType::Decimal128,
                };
                assert_eq!(cells(&score(t, &card, options).unwrap()), want);
            }
            let vetoed_out = &want.iter().find(|(n, _)| n == "vetoed").unwrap().1;
            assert_eq!(vetoed_out, &["false", "false", "false", "true", "false"]);
        }
    }
}

#[test]
fn a_refused_unit_is_named_by_row_and_unit() {
    let card = Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    let e = score(
        &card_a_table(&["甲", "乙"], &["80", "81"], &[false, false]),
        &card,
        ScoreOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.row(), Some(1));
    assert!(e.to_string().starts_with("row 1 (unit `乙`): "), "{e}");
    assert!(e.core().is_some());
}

fn ledger(months: &[&str], allocated: &[&str], spent: &[&str]) -> Columns {
    table(vec![
        ("month", text(months)),
        ("county", text(&vec!["朝阳县"; months.len()])),
        ("allocated", text(allocated)),
        ("spent", text(spent)),
    ])
}

#[test]
fn spending_tables_with_and_without_progress_concatenate() {
    let schedule = fupin::spending::Schedule::from_toml(
        "name = \"t\"\n[[points]]\nby = \"2020-03-31\"\nrequired = \"33.3333%\"\n",
    )
    .unwrap();
    let options = LedgerOptions::chaoyang_2020();
    let a = spending_progress(
        &ledger(&["2020-03"], &["300万元"], &["100万元"]),
        &options,
        None,
        Some(&schedule),
    )
    .unwrap();
    let b = spending_progress(
        &ledger(&["2020-01"], &["0.03"], &["0.01"]),
        &options,
        None,
        Some(&schedule),
    )
    .unwrap();
    assert_eq!(a.schema(), spending_schema(true));
    let both = concat_batches(&spending_schema(true), [&a, &b]).unwrap();
    assert_eq!(both.num_rows(), 14);
    let chaoyang = (0..7)
        .find(|&i| {
            both.column_by_name("county")
                .unwrap()
                .as_string::<i32>()
                .value(i)
                == "朝阳县"
        })
        .unwrap();
    // 3,000,000 × 0.333333 = 999,999 ≤ 1,000,000 spent: nothing to catch up.
    assert_eq!(decimal(&both, "to_catch_up", chaoyang), Some(d("0")));
    assert_eq!(decimal(&both, "required", chaoyang), Some(d("0.333333")));
    // January: before the schedule's first point, nothing is required.
    assert_eq!(decimal(&both, "required", 7 + chaoyang), None);
}

#[test]
fn checks_of_every_kind_share_one_value_column() {
    let r = fupin::report::report(
        &Policy::chaoyang_2020(),
        &fupin::data::PlanData::chaoyang_2020(),
    )
    .unwrap();
    let out = checks(&r.checks).unwrap();
    assert_eq!(out.schema(), checks_schema());
    assert_eq!(out.num_rows(), r.checks.len());
    let m1 = r
        .checks
        .iter()
        .position(|c| c.id == "M1.city_growth")
        .unwrap();
    let growth = decimal(&out, "actual", m1).unwrap();
    assert_eq!(growth.round_dp(4), d("2.4777"));
    let t = concat_batches(&checks_schema(), [&out, &checks(&r.checks[..1]).unwrap()]).unwrap();
    assert_eq!(t.num_rows(), r.checks.len() + 1);
}

#[test]
fn unit_names_follow_the_name_rule_as_in_every_other_reader() {
    let card = Policy::chaoyang_2020()
        .assessment
        .card("a")
        .unwrap()
        .clone();
    for (what, name, code) in fupin::hostile::NAMES {
        let e = score(
            &card_a_table(&["甲", name], &["70", "71"], &[false, false]),
            &card,
            ScoreOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.row(), Some(1), "{what}: {e}");
        let errors = e.core().unwrap().field_errors();
        assert_eq!(&errors[0].code, code, "{what}: {e}");
    }
    let (a, b) = fupin::hostile::SAME_NAME;
    let e = score(
        &card_a_table(&[a, b], &["70", "71"], &[false, false]),
        &card,
        ScoreOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.row(), Some(1), "{e}");
    assert_eq!(
        e.core().unwrap().field_errors()[0].code,
        fupin::ErrorCode::DUPLICATE
    );
}
