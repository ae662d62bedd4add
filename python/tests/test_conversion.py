"""Python values into the core: exact, bounded, refused with the path — never a crash.

Regression tests of issue 10 item 1 (a self-referencing dict and a list nested 10,000 deep
crashed the interpreter) and of the conversion glue of issue 15 (Decimal in, floats refused with
their path, a list where a dict is expected is a TypeError, errors are classes with fields).
"""

from __future__ import annotations

import datetime
import json
import pickle
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def unit_a() -> dict[str, Any]:
    return json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))[0]


def test_a_self_referencing_dict_is_refused_naming_the_path() -> None:
    d: dict[str, Any] = {}
    d["meta"] = d
    with pytest.raises(fupin.PolicyError) as e:
        fupin.Policy.from_dict(d)
    assert (e.value.path, e.value.code) == ("meta", "cycle")
    unit = unit_a()
    loop: dict[str, Any] = {}
    loop["points"] = loop
    unit["bonuses"]["innovation"] = loop
    with pytest.raises(fupin.DataError, match="reference cycle") as e:
        fupin.score("a", unit)
    assert e.value.path == "bonuses.innovation.points"


def test_a_list_nested_10000_deep_is_refused_not_a_crash() -> None:
    """The conversion reads only as deep as the target type goes (and never deeper than 128
    levels), so deep nesting is refused where it does not fit, with the path."""
    deep: list[Any] = []
    for _ in range(10_000):
        deep = [deep]
    for call in (
        lambda: fupin.Policy.from_dict({"meta": deep}),
        lambda: fupin.check_tasks({"actuals": deep}),
        lambda: fupin.Ledger.from_records(deep),
        lambda: fupin.Schedule.from_dict({"name": "t", "points": deep}),
        lambda: fupin.score("a", {**unit_a(), "items": {"annual_targets": deep}}),
    ):
        with pytest.raises((fupin.FupinError, TypeError)):
            call()
    with pytest.raises(TypeError, match=r"items\.annual_targets.*invalid type: sequence") as t:
        fupin.score("a", {**unit_a(), "items": {"annual_targets": deep}})
    assert t.value.path == "items.annual_targets"  # type: ignore[attr-defined]


def test_decimal_is_exact_and_a_float_names_its_path_and_value() -> None:
    unit = unit_a()
    unit["items"]["annual_targets"] = Decimal("72.5000")
    unit["bonuses"]["over_completion"]["completion"] = Decimal("1.35")
    assert fupin.score("a", unit).total == Decimal("103")
    unit["items"]["daily_responsibility"] = 18.0
    with pytest.raises(fupin.DataError, match=r"items\.daily_responsibility.*float 18\.0 is not exact") as e:
        fupin.score("a", unit)
    assert (e.value.path, e.value.value, e.value.code) == ("items.daily_responsibility", "18.0", "float")
    numpy_float = {**unit_a(), "items": {**unit_a()["items"], "annual_targets": np.float64(70)}}
    with pytest.raises(fupin.DataError, match="not exact"):
        fupin.score("a", numpy_float)


def test_integers_of_any_python_type_are_exact_and_huge_ones_are_refused() -> None:
    unit = unit_a()
    unit["bonuses"]["commendations"]["counts"] = {"provincial": np.int64(3), "national": np.uint8(1)}
    assert fupin.score("a", unit).total == Decimal("103")
    data = fupin.PlanData.chaoyang_2020().to_dict()
    data["upward"]["this_year"] = 10**40
    with pytest.raises(fupin.DataError) as e:
        fupin.PlanData.from_dict(data)
    assert e.value.path == "upward.this_year" and e.value.value == str(10**40)


def test_a_list_where_a_dict_is_expected_is_a_type_error_with_the_path() -> None:
    with pytest.raises(TypeError, match="one unit's dict"):
        fupin.score("a", [unit_a()])  # type: ignore[arg-type]
    unit = unit_a()
    unit["bonuses"]["innovation"] = ["points", "1.5"]
    with pytest.raises(TypeError, match="bonuses.innovation") as e:
        fupin.score("a", unit)
    assert e.value.path == "bonuses.innovation"  # type: ignore[attr-defined]
    data = fupin.PlanData.chaoyang_2020().to_dict()
    data["meta"]["illustrative"] = "counties"  # a str is not a list of paths
    with pytest.raises(TypeError, match=r"meta\.illustrative.*expected a list, got str"):
        fupin.PlanData.from_dict(data)
    with pytest.raises(TypeError, match="bytes"):
        fupin.check_tasks({"actuals": b"\x00"})


def test_only_a_bool_is_a_bool() -> None:
    bulletin = fupin.bulletin(
        fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text("utf-8")), "2020-06"
    )
    base = {row["county"]: 1 for row in bulletin.rows}
    params = {"reward_top": 2, "reward": "5%", "penalty_bottom": 2, "penalty": "5%"}
    with pytest.raises(fupin.SpendingError, match="penalise_behind_schedule") as e:
        fupin.adjust_allocation(bulletin, base, "1亿元", {**params, "penalise_behind_schedule": "no"})
    assert e.value.code == "invalid_type" and e.value.value == "'no'"


def test_an_unknown_card_is_a_policy_error_naming_the_cards() -> None:
    with pytest.raises(fupin.PolicyError, match="no scorecard `z`: it has `a`, `b`") as e:
        fupin.score("z", unit_a())
    assert (e.value.path, e.value.value) == ("assessment.cards", "z")
    with pytest.raises(TypeError, match="card must be a Scorecard"):
        fupin.score(1, unit_a())  # type: ignore[arg-type]


def test_dates_and_datetimes_serve_where_a_date_is_expected() -> None:
    for by in (datetime.date(2020, 6, 30), datetime.datetime(2020, 6, 30), "2020-06-30"):
        s = fupin.Schedule.from_dict({"name": "t", "points": [{"by": by, "required": "40%"}]})
        assert s.required_for("2020-06") == Decimal("0.4")
    nine = datetime.datetime(2020, 6, 30, 9)  # a time of day is not a date: refused, not truncated
    with pytest.raises(fupin.SpendingError, match=r"points\[0\]\.by") as e:
        fupin.Schedule.from_dict({"name": "t", "points": [{"by": nine, "required": "40%"}]})
    assert e.value.value == repr(nine)


def test_exceptions_are_classes_with_fields_that_pickle() -> None:
    assert issubclass(fupin.DataError, fupin.FupinError) and issubclass(fupin.FupinError, ValueError)
    with pytest.raises(fupin.DataError) as e:
        fupin.PlanData.from_dict({**fupin.PlanData.chaoyang_2020().to_dict(), "upward": {"last_year": 1.5}})
    err = e.value
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is fupin.DataError
    assert (again.path, again.value, again.code, str(again)) == (err.path, err.value, err.code, str(err))
    assert again.errors() == err.errors()
    assert [(e["type"], e["loc"], e["input"]) for e in err.errors()] == [
        ("float", ("upward", "last_year"), "1.5")
    ]
    assert "not exact" in err.errors()[0]["msg"]
    with pytest.raises(fupin.ScoreError) as s:
        fupin.score("a", {**unit_a(), "items": {"annual_targets": "81", "daily_responsibility": "0"}})
    assert s.value.item == "annual_targets"
    assert pickle.loads(pickle.dumps(s.value)).item == "annual_targets"


def test_the_scored_report_is_the_same_whether_explained_now_or_later() -> None:
    r = fupin.score("a", unit_a())
    totals = (r.base, r.bonus_raw, r.bonus, r.total, r.failed)
    assert r.bonus_lines[0]["capped"] == Decimal(3)  # explanations built on first use
    assert (
        totals
        == (r.base, r.bonus_raw, r.bonus, r.total, r.failed)
        == (
            Decimal("90.5"),
            Decimal("12.5"),
            Decimal("12.5"),
            Decimal("103"),
            False,
        )
    )
    assert r.to_dict()["total"] == r.total and "103" in r.to_text("en")


def test_every_problem_of_a_policy_is_listed_at_once() -> None:
    policy = fupin.Policy.chaoyang_2020().to_dict()
    policy["funds"]["input_growth_target"] = "-5%"
    policy["funds"]["quota"]["district"] = "-1"
    with pytest.raises(fupin.PolicyError) as e:
        fupin.Policy.from_dict(policy)
    locs = [err["loc"] for err in e.value.errors()]
    assert ("funds", "input_growth_target") in locs and ("funds", "quota", "district") in locs
    again = pickle.loads(pickle.dumps(e.value))
    assert again.errors() == e.value.errors() and again.path == e.value.path
