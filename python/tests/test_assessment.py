"""Scorecards A and B, capped bonuses, the veto, ranking and the task table from Python."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def card_a(**bonuses: object) -> dict[str, object]:
    return {
        "unit": "测试科室",
        "items": {"annual_targets": Decimal("80"), "daily_responsibility": "20"},
        "bonuses": bonuses,
    }


def over_completion(pct: str) -> Decimal:
    r = fupin.score("a", card_a(over_completion={"completion": pct}))
    return r.bonus_lines[0]["capped"]


def test_over_completion_steps_follow_the_plan() -> None:
    assert over_completion("135%") == 3
    assert over_completion("160%") == 5
    assert over_completion("109.99%") == 0


def test_commendations_are_capped_at_2_exactly() -> None:
    r = fupin.score("a", card_a(commendations={"counts": {"provincial": 3, "national": 1}}))
    line = r.bonus_lines[2]
    assert (line["raw"], line["capped"]) == (Decimal("2.5"), Decimal("2"))
    assert isinstance(r.total, Decimal) and r.total == Decimal("102")


def test_veto_fails_with_points_shown() -> None:
    r = fupin.score("a", {**card_a(), "veto": {"reason": "情节严重"}})
    assert r.failed and r.total == 100 and r.veto_reason == "情节严重"
    assert "一票否决" in r.to_text()
    html = r._repr_html_()
    assert html.startswith('<div class="fupin-score">') and "<table>" in html and "一票否决" in html


def test_an_item_above_its_maximum_raises_naming_it() -> None:
    bad = card_a()
    bad["items"] = {"annual_targets": "80.5", "daily_responsibility": "20"}
    with pytest.raises(fupin.ScoreError, match="annual_targets") as e:
        fupin.score("a", bad)
    assert e.value.item == "annual_targets"
    assert isinstance(e.value, ValueError)


def test_floats_are_refused() -> None:
    bad = card_a()
    bad["items"] = {"annual_targets": 72.5, "daily_responsibility": "20"}
    with pytest.raises(fupin.DataError, match="not exact"):
        fupin.score("a", bad)


def test_a_card_from_a_dict_with_grade_bands() -> None:
    b = fupin.Scorecard.chaoyang_2020("b").to_dict()
    b["grades"] = [{"label": {"zh": "优秀", "en": "excellent"}, "min": "90"}]
    card = fupin.Scorecard.from_dict(b)
    full = {"unit": "队", "items": {i: "30" if i == "overall_effect" else "0" for i in card.item_ids}}
    assert fupin.score(card, full).grade("en") is None
    items = {i: v["max"] for i, v in zip(card.item_ids, fupin.score(card, full).items, strict=True)}
    assert fupin.score(card, {"unit": "队", "items": items}).grade("en") == "excellent"
    broken = fupin.Scorecard.chaoyang_2020("b").to_dict()
    broken["total"] = "99"
    with pytest.raises(fupin.PolicyError) as e:
        fupin.Scorecard.from_dict(broken)
    assert e.value.path == "(card).total"


def test_rank_shares_ties_and_puts_vetoed_last() -> None:
    inputs = json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))
    reports = [fupin.score("a", i) for i in inputs]
    ranks = [(e.index, e.rank, e.vetoed) for e in fupin.rank(reports)]
    assert ranks == [(0, 1, False), (1, 2, False), (2, 3, True)]
    tie = [fupin.score("a", card_a()), fupin.score("a", {**card_a(), "unit": "另一科室"})]
    assert [e.rank for e in fupin.rank(tie)] == [1, 1]
    with pytest.raises(fupin.ScoreError, match="appears more than once"):
        fupin.rank([fupin.score("a", card_a()), fupin.score("a", card_a())])


@given(
    st.integers(0, 160).map(lambda h: Decimal(h) / 2),
    st.integers(0, 40).map(lambda h: Decimal(h) / 2),
    st.integers(0, 40_000).map(lambda bp: f"{Decimal(bp) / 100}%"),
)
def test_total_never_exceeds_120_and_halves_stay_exact(annual: Decimal, daily: Decimal, pct: str) -> None:
    r = fupin.score(
        "a",
        {
            "unit": "u",
            "items": {"annual_targets": annual, "daily_responsibility": daily},
            "bonuses": {"over_completion": {"completion": pct}},
        },
    )
    assert r.total == annual + daily + r.bonus
    assert r.bonus <= 5 and r.total <= 120


def test_tasks_check_from_the_example_file() -> None:
    data = json.loads((EXAMPLES / "tasks_2020.json").read_text(encoding="utf-8"))
    r = fupin.check_tasks(data)
    assert r.annual_points == Decimal("79.57")
    assert "library default" in (r.annual_rule("en") or "")
    assert not r.passed
    failed = sorted(c.id for c in r.checks if not c.passed)
    assert failed == ["T10.income_floor_share", "T10.target", "T3.factories_total"]  # 270 of 285 km
    fed = r.apply_to({"unit": "市财政局", "items": {"daily_responsibility": "20"}})
    assert fed["items"]["annual_targets"] == Decimal("79.57")
    assert fupin.score("a", fed).bonus_lines[0]["capped"] == 0  # 100.97 %: no full step
    assert r.checks_table().num_rows == len(r.checks)
    assert "<table>" in r.to_html("en") and "library default" in r.to_html("en")


def test_social_assistance_at_and_just_below_1_3_times() -> None:
    def low_income(standard: str) -> bool:
        r = fupin.check_tasks(
            {
                "social_assistance": [
                    {
                        "dibao_last_year": "5000",
                        "dibao_this_year": "5500",
                        "poverty_line": "4000",
                        "low_income_standard": standard,
                        "special_hardship_standard": "7150",
                    }
                ]
            }
        )
        return next(c for c in r.checks if c.id == "T3.low_income_multiple").passed

    assert low_income("7150")
    assert not low_income("7149.99")


def test_bad_task_input_names_the_field() -> None:
    with pytest.raises(fupin.DataError) as e:
        fupin.check_tasks({"actuals": {"t3.training": "-1"}})
    assert e.value.path == "actuals.t3.training"
