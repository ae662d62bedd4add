"""Spending progress over a whole ledger table through Arrow, against the schedule."""

import datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow as pa
import pytest

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def ledger_frame() -> pl.DataFrame:
    return pl.read_csv(
        EXAMPLES / "ledger_2020.csv",
        comment_prefix="#",
        schema_overrides={"allocated": pl.Utf8, "spent": pl.Utf8},
    )


def test_example_ledger_matches_the_bulletin() -> None:
    frame = ledger_frame()
    schedule = fupin.Schedule.from_toml((EXAMPLES / "schedule_example.toml").read_text(encoding="utf-8"))
    out = fupin.spending_progress_table(frame, ["2020-06"], schedule).to_pylist()
    ledger = fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text(encoding="utf-8"))
    bulletin = fupin.bulletin(ledger, "2020-06", schedule)
    by_county = {r["county"]: r for r in bulletin.rows}
    assert len(out) == 7
    for row in out:
        figures = by_county[row["county"]]
        assert row["allocated"] == figures["figures"]["allocated"]
        assert row["spent"] == figures["figures"]["spent"]
        assert row["progress"] == figures["figures"]["progress"]
    behind = sorted(r["county"] for r in out if r["standing"] == "behind")
    assert behind == sorted(bulletin.behind_schedule())


def test_hand_made_ledger_is_exact_and_zero_allocation_is_null() -> None:
    t = pa.table(
        {
            "month": ["2020-01", "2020-02", "2020-01"],
            "county": ["朝阳县", "朝阳县", "建平县"],
            "allocated": ["300万元", "0", "0"],
            "spent": ["100万元", "50万元", "0"],
        }
    )
    schedule = fupin.Schedule.from_dict(
        {"name": "t", "points": [{"by": datetime.date(2020, 2, 29), "required": "50%"}]}
    )
    rows = fupin.spending_progress_table(t, ["2020-02"], schedule).to_pylist()
    chaoyang = next(r for r in rows if r["county"] == "朝阳县")
    assert chaoyang["progress"] == Decimal(1) / Decimal(2) and chaoyang["standing"] == "on_schedule"
    assert chaoyang["to_catch_up"] == 0 and chaoyang["gap_pp"] == 0
    jianping = next(r for r in rows if r["county"] == "建平县")
    assert jianping["progress"] is None and jianping["standing"] == "no_allocation"
    months = {r["month"] for r in fupin.spending_progress_table(t).to_pylist()}
    assert months == {"2020-01", "2020-02"}


def test_bad_rows_are_named() -> None:
    base = {"month": ["2020-01"], "county": ["朝阳县"], "allocated": ["1"], "spent": ["1"]}
    with pytest.raises(fupin.DataError, match=r"row 0: `month`"):
        fupin.spending_progress_table(pa.table({**base, "month": ["2020-13"]}))
    with pytest.raises(fupin.SpendingError, match="东港区"):
        fupin.spending_progress_table(pa.table({**base, "county": ["东港区"]}))
    with pytest.raises(fupin.DataError, match="column `spent` is missing"):
        fupin.spending_progress_table(pa.table({k: v for k, v in base.items() if k != "spent"}))
