"""Scoring whole tables through Arrow gives exactly what scoring one unit at a time gives."""

import unicodedata
from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fupin

HALF = Decimal("0.5")
# Unit names as people write them: no control characters, line breaks or bidi overrides
# (check_name refuses those; tests/bad-inputs covers them).
NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), min_size=1, max_size=4
).filter(lambda s: s.strip() == s != "")  # the name rule: no space before or after a name


def nfc(name: object) -> str:
    """Names are compared in Unicode NFC (the name rule): two spellings are one unit."""
    return unicodedata.normalize("NFC", str(name))


def table_a(rows: list[dict[str, object]]) -> pa.Table:
    cols = [
        "unit",
        "annual_targets",
        "daily_responsibility",
        "over_completion",
        "upward_funds",
        "commendations.provincial",
        "commendations.national",
        "innovation",
        "vetoed",
    ]
    return pa.table({c: [r[c] for r in rows] for c in cols})


def row(
    unit: str, completion: str, provincial: int = 0, national: int = 0, **kw: object
) -> dict[str, object]:
    base: dict[str, object] = {
        "unit": unit,
        "annual_targets": Decimal(80),
        "daily_responsibility": Decimal(20),
        "over_completion": Decimal(completion),
        "upward_funds": Decimal(0),
        "commendations.provincial": provincial,
        "commendations.national": national,
        "innovation": Decimal(0),
        "vetoed": False,
    }
    return {**base, **kw}


def test_the_plans_own_bonus_figures() -> None:
    out = fupin.score_table(
        "a",
        table_a(
            [
                row("135%", "1.35"),
                row("160%", "1.60"),
                row("109.99%", "1.0999"),
                row("3 provincial + 1 national", "1", provincial=3, national=1),
                row("24 → 20", "1.5", national=2, upward_funds=Decimal(10), innovation=Decimal(3)),
                row("vetoed", "1", vetoed=True),
            ]
        ),
    ).to_pylist()
    assert [r["bonus.over_completion"] for r in out[:3]] == [3, 5, 0]
    assert out[3]["bonus.commendations"] == 2  # 2.5 capped at 2
    assert out[4]["bonus_raw"] == 20 and out[4]["bonus"] == 20  # 5 + 10 + 2 + 3 → cap 20
    assert out[5]["vetoed"] and out[5]["total"] == 100 and out[5]["rank"] == 6
    assert out[4]["rank"] == 1


def test_polars_and_pandas_tables_score_the_same() -> None:
    rows = [row("a", "1.2"), row("b", "1.05", provincial=1)]
    expected = fupin.score_table("a", table_a(rows)).to_pylist()
    frame = {k: [str(r[k]) if isinstance(r[k], Decimal) else r[k] for r in rows] for k in rows[0]}
    assert fupin.score_table("a", pl.DataFrame(frame)).to_pylist() == expected
    assert fupin.score_table("a", pd.DataFrame(frame)).to_pylist() == expected


def test_errors_name_column_row_and_item() -> None:
    t = table_a([row("a", "1"), row("b", "1", annual_targets=Decimal("80.5"))])
    with pytest.raises(fupin.ScoreError, match=r"row 1 \(unit `b`\).*annual_targets") as e:
        fupin.score_table("a", t)
    assert e.value.row == 1 and e.value.item == "annual_targets"
    with pytest.raises(fupin.DataError, match="column `innovation` is missing"):
        fupin.score_table("a", t.drop_columns(["innovation"]))
    with pytest.raises(fupin.DataError, match="`upward_funds` has type Float64.*floats are not exact"):
        fupin.score_table("a", t.set_column(4, "upward_funds", pa.array([1.5, 2.0])))
    with pytest.raises(fupin.DataError, match="row 0: `innovation` = 0.00001 has more than 4 decimal places"):
        fupin.score_table("a", t.set_column(7, "innovation", pa.array(["0.00001", "0"])))


points = st.integers(0, 40).map(lambda n: n * HALF)


@st.composite
def unit_rows(draw: st.DrawFn) -> dict[str, object]:
    return {
        "unit": draw(NAMES),
        "annual_targets": draw(st.integers(0, 160)) * HALF,
        "daily_responsibility": draw(st.integers(0, 40)) * HALF,
        "over_completion": Decimal(draw(st.integers(0, 250))) / 100,
        "upward_funds": draw(st.integers(0, 20)) * HALF,
        "commendations.provincial": draw(st.integers(0, 4)),
        "commendations.national": draw(st.integers(0, 4)),
        "innovation": draw(st.integers(0, 6)) * HALF,
        "vetoed": draw(st.booleans()),
    }


def single(r: dict[str, object]) -> fupin.ScoreReport:
    unit: dict[str, object] = {
        "unit": r["unit"],
        "items": {"annual_targets": r["annual_targets"], "daily_responsibility": r["daily_responsibility"]},
        "bonuses": {
            "over_completion": {"completion": r["over_completion"]},
            "upward_funds": {"points": r["upward_funds"]},
            "commendations": {
                "counts": {
                    "provincial": r["commendations.provincial"],
                    "national": r["commendations.national"],
                }
            },
            "innovation": {"points": r["innovation"]},
        },
    }
    if r["vetoed"]:
        unit["veto"] = {"reason": "test"}
    return fupin.score("a", unit)


@settings(max_examples=60, deadline=None)
@given(st.lists(unit_rows(), min_size=1, max_size=12, unique_by=lambda r: nfc(r["unit"])))
def test_random_tables_match_single_scoring_and_ranking(rows: list[dict[str, object]]) -> None:
    out = fupin.score_table("a", table_a(rows)).to_pylist()
    reports = [single(r) for r in rows]
    for got, want in zip(out, reports, strict=True):
        assert (got["base"], got["bonus_raw"], got["bonus"], got["total"], got["vetoed"]) == (
            want.base,
            want.bonus_raw,
            want.bonus,
            want.total,
            want.failed,
        )
    ranks = {e.index: e.rank for e in fupin.rank(reports)}
    assert [r["rank"] for r in out] == [ranks[i] for i in range(len(rows))]


def test_decimal64_points_are_the_same_values_in_half_the_memory() -> None:
    t = table_a([row("a", "1.35", provincial=3, national=1), row("b", "1.6", vetoed=True)])
    wide = fupin.score_table("a", t)
    narrow = fupin.score_table("a", t, points="decimal64")
    assert wide.schema.field("total").type == pa.decimal128(38, 4)
    assert narrow.schema.field("total").type == pa.decimal64(18, 4)
    assert narrow.to_pylist() == wide.to_pylist()
    with pytest.raises(fupin.FupinError, match="points must be"):
        fupin.score_table("a", t, points="float")  # type: ignore[arg-type]
