"""The Python surface of the foundation: Policy, PlanData, report, exceptions, Decimal in and out."""

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fupin


def check(report: fupin.Report, id: str, subject: str | None = None) -> fupin.Check:
    return next(c for c in report.checks if c.id == id and c.subject == subject)


def test_embedded_report_has_the_plans_figures() -> None:
    r = fupin.report()
    m1 = check(r, "M1.city_growth")
    assert m1.passed and m1.clause == "M1" and m1.section == "三(一)"
    assert round(m1.actual * 100, 2) == Decimal("247.77")
    assert m1.threshold == Decimal("0.2")
    g2 = check(r, "G2.upward_growth")
    assert round(g2.actual * 100, 2) == Decimal("21.95")
    g3 = check(r, "G3.target_ratio")
    assert g3.actual == Decimal("0.35") and g3.passed
    assert g3.note("en") == "integrable total is illustrative"
    assert r.to_dict()["integration"]["margin_over_required"] == Decimal("5")


def test_amounts_are_decimal_in_yuan() -> None:
    d = fupin.report().to_dict()
    assert d["city"]["total"] == Decimal("255000000")
    assert d["city"]["increase"] == Decimal("181675000.0")
    assert all(isinstance(c["quota"], Decimal) for c in d["counties"])


def test_counties_show_the_adjustment_owed() -> None:
    r = fupin.report()
    kazuo = next(c for c in r.counties if c["name"] == "喀左县")
    assert kazuo["adjustment_owed"] == Decimal("2000000")  # 200 万元
    assert [c.subject for c in r.failures()] == ["喀左县", "喀左县", "龙城区"]
    quota = check(r, "M1c.unit_quota", "喀左县")
    assert quota.shortfall == Decimal("2000000") and quota.label("en") == "county-level input meets its quota"


def test_report_on_own_data_from_a_dict_with_decimals() -> None:
    d = fupin.PlanData.chaoyang_2020().to_dict()
    d["upward"]["this_year"] = Decimal("737999999")  # one yuan short of 6.15 亿 × 1.2
    r = fupin.report(fupin.Policy.chaoyang_2020(), fupin.PlanData.from_dict(d))
    g2 = check(r, "G2.upward_growth")
    assert not g2.passed and g2.shortfall == Decimal("1")


def test_floats_are_refused_naming_the_field() -> None:
    d = fupin.PlanData.chaoyang_2020().to_dict()
    d["counties"][2]["this_year"] = 23000000.5
    with pytest.raises(fupin.DataError, match=r"counties\[2\]\.this_year"):
        fupin.PlanData.from_dict(d)


def test_policy_round_trips_through_toml_json_and_dict() -> None:
    p = fupin.Policy.chaoyang_2020()
    assert fupin.Policy.from_toml(p.to_toml()) == p
    assert fupin.Policy.from_json(p.to_json()) == p
    assert fupin.Policy.from_dict(p.to_dict()) == p
    assert p.year == 2020 and "朝阳" in p.name


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (("county_total_growth_target", "county_total_grwoth_target"), "funds.county_total_grwoth_target"),
        (('district = "1000万元"', 'district = "-1000万元"'), "funds.quota.district"),
        (('input_growth_target = "20%"', 'input_growth_target = "abc"'), "funds.input_growth_target"),
    ],
)
def test_bad_policy_is_a_policy_error_naming_the_field(edit: tuple[str, str], path: str) -> None:
    original = fupin.Policy.chaoyang_2020_toml()
    text = original.replace(*edit, 1)
    assert text != original
    with pytest.raises(fupin.PolicyError) as e:
        fupin.Policy.from_toml(text)
    assert e.value.path == path
    assert path in str(e.value)
    assert isinstance(e.value, fupin.FupinError) and isinstance(e.value, ValueError)


def test_report_renders_in_both_languages() -> None:
    r = fupin.report()
    assert "247.77%" in r.to_text("zh") and "检查结果" in r.to_text("zh")
    assert "Checks" in r.to_text("en")
    assert r.to_markdown("en").count("| :-- |") >= 2
    assert json.loads(r.to_json())["city"]["total"] == "255000000"
    with pytest.raises(fupin.FupinError, match="lang"):
        r.to_text("fr")  # type: ignore[arg-type]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.decimals(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_input_raises_a_typed_error_never_a_panic(value: object) -> None:
    for load in (fupin.PlanData.from_dict, fupin.Policy.from_dict):
        try:
            load(value)  # type: ignore[arg-type]
        except (fupin.FupinError, TypeError):
            pass


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_a_typed_error_never_a_panic(text: str) -> None:
    for load in (
        fupin.Policy.from_toml,
        fupin.Policy.from_json,
        fupin.PlanData.from_toml,
        fupin.PlanData.from_json,
    ):
        with pytest.raises(fupin.FupinError):
            load(text)
