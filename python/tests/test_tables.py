"""Whole tables through Arrow: pyarrow, polars and pandas in, exact decimal128 out."""

from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import fupin

COUNTIES = {
    "name": ["朝阳县", "喀左县", "龙城区", "新区"],
    "kind": ["county", "县", "district", "district"],
    "last_year": ["2000万元", "1950万元", "900万元", "0"],
    "this_year": ["2500万元", "2300万元", "1000万元", "1000万元"],
}


def test_pyarrow_table_with_string_money() -> None:
    out = fupin.check_funds_table(pa.table(COUNTIES))
    assert isinstance(out, pa.Table)
    rows = out.to_pylist()
    assert [r["adjustment_owed"] for r in rows] == [
        Decimal(0),
        Decimal(2_000_000),
        Decimal(800_000),
        Decimal(0),
    ]
    assert rows[1]["meets_quota"] is False and rows[2]["meets_growth"] is False
    assert rows[3]["growth"] is None  # last year zero: no growth, not a division error
    assert pa.types.is_decimal(out.schema.field("adjustment_owed").type)


def test_decimal128_columns_stay_exact() -> None:
    t = pa.table(
        {
            "name": ["甲", "乙"],
            "kind": ["county", "county_city"],
            "last_year": pa.array([Decimal("20833333.33"), Decimal("0.01")], pa.decimal128(20, 2)),
            "this_year": pa.array([Decimal("25000000.00"), Decimal("25000000.00")], pa.decimal128(20, 2)),
        }
    )
    rows = fupin.check_funds_table(t).to_pylist()
    # 20,833,333.33 × 1.2 = 24,999,999.996: the quota (25,000,000) is the binding requirement.
    assert rows[0]["required"] == Decimal("25000000")
    assert rows[0]["meets_growth"] is True


def test_polars_and_pandas_give_the_same_table() -> None:
    expected = fupin.check_funds_table(pa.table(COUNTIES)).to_pylist()
    assert fupin.check_funds_table(pl.DataFrame(COUNTIES)).to_pylist() == expected
    assert fupin.check_funds_table(pd.DataFrame(COUNTIES)).to_pylist() == expected


def test_results_match_the_single_report() -> None:
    data = fupin.PlanData.chaoyang_2020().to_dict()
    t = pa.table(
        {
            "name": [c["name"] for c in data["counties"]],
            "kind": [c["kind"] for c in data["counties"]],
            "last_year": [str(c["last_year"]) for c in data["counties"]],
            "this_year": [str(c["this_year"]) for c in data["counties"]],
        }
    )
    table_rows = fupin.check_funds_table(t).to_pylist()
    report_rows = fupin.report().counties
    for row, single in zip(table_rows, report_rows, strict=True):
        for key in ("quota", "required", "adjustment_owed", "meets_quota", "meets_growth"):
            assert row[key] == single[key], key


def test_missing_column_is_named_with_expected_type() -> None:
    t = pa.table({k: v for k, v in COUNTIES.items() if k != "this_year"})
    with pytest.raises(fupin.DataError, match=r"column `this_year` is missing: expected decimal128"):
        fupin.check_funds_table(t)


def test_float_column_is_refused_with_advice() -> None:
    t = pa.table({**COUNTIES, "this_year": [2.5e7, 2.3e7, 1e7, 1e7]})
    with pytest.raises(fupin.DataError, match=r"`this_year` has type Float64.*floats are not exact"):
        fupin.check_funds_table(t)


def test_bad_cells_name_their_row() -> None:
    with pytest.raises(fupin.DataError, match=r"row 2: `last_year` = \"lots\""):
        fupin.check_funds_table(pa.table({**COUNTIES, "last_year": ["1", "2", "lots", "3"]}))
    with pytest.raises(fupin.DataError, match=r"row 1: `this_year` is null"):
        fupin.check_funds_table(pa.table({**COUNTIES, "this_year": ["1", None, "2", "3"]}))
    with pytest.raises(fupin.DataError, match=r"row 3: `kind` = \"township\" is not a unit kind"):
        fupin.check_funds_table(pa.table({**COUNTIES, "kind": ["县", "县", "区", "township"]}))
    with pytest.raises(fupin.DataError, match=r"counties\[1\]\.this_year.*negative"):
        fupin.check_funds_table(pa.table({**COUNTIES, "this_year": ["1", "-1", "2", "3"]}))


def test_non_table_is_refused() -> None:
    with pytest.raises(fupin.DataError, match="__arrow_c_stream__"):
        fupin.check_funds_table([{"name": "x"}])  # type: ignore[arg-type]


def test_two_calls_on_different_data_concatenate() -> None:
    """The output schema is fixed (money decimal128(38, 8), ratios decimal128(38, 18)), so the
    results of two calls append to one table, one Parquet file, one Dask frame."""
    whole = fupin.check_funds_table(pa.table(COUNTIES))
    fen = fupin.check_funds_table(
        pa.table({"name": ["甲"], "kind": ["县"], "last_year": ["0.03"], "this_year": ["2500.01万元"]})
    )
    assert whole.schema == fen.schema
    both = pa.concat_tables([whole, fen])
    assert both.schema.field("quota").type == pa.decimal128(38, 8)
    assert both.schema.field("growth").type == pa.decimal128(38, 18)
    assert both.column("this_year").to_pylist()[-1] == Decimal("25000100")
    checks = pa.concat_tables([fupin.report().checks_table(), fupin.check_tasks({}).checks_table()])
    assert checks.schema.field("actual").type == pa.decimal128(38, 18)
