"""What-if from Python: `fupin.compare` and `Check.clause_text`."""

from decimal import Decimal

import pandas as pd
import polars as pl
import pytest

import fupin


def test_a_higher_county_quota_flips_two_counties() -> None:
    c = fupin.compare(set={"funds.quota.county": "3000万元"})
    assert (c.now_failing, c.now_passing, c.checks_compared) == (3, 0, 21)
    flipped = sorted(x["subject"] for x in c.checks if x["flip"] == "now_fails" and x.get("subject"))
    assert flipped == ["建平县", "朝阳县"]
    frame = c.to_frame()
    assert isinstance(frame, pd.DataFrame)
    row = frame[frame["subject"] == "朝阳县"].iloc[0]
    assert row["threshold_change"] == Decimal("5000000")  # +500 万元, exact
    assert row["passed_before"] and not row["passed_after"]
    assert isinstance(c.to_frame("polars"), pl.DataFrame)
    assert "now fail" in c.to_text("en")
    assert len(c) == 4


def test_two_policies_and_two_years() -> None:
    base = fupin.Policy.chaoyang_2020()
    assert len(fupin.compare(base, base)) == 0
    d = fupin.PlanData.chaoyang_2020().to_dict()
    d["meta"]["year"] = 2021
    d["upward"]["last_year"] = d["upward"]["this_year"]
    d["upward"]["this_year"] = Decimal("800000000")
    later = fupin.PlanData.from_dict(d)
    p = base.to_dict()
    p["meta"]["year"] = 2021
    policy_2021 = fupin.Policy.from_dict(p)
    c = fupin.compare(base, policy_2021, data=fupin.PlanData.chaoyang_2020(), after_data=later)
    g2 = next(x for x in c.checks if x["id"] == "G2.upward_growth")
    assert g2["flip"] == "now_fails"


def test_data_of_another_year_than_its_policy_are_refused() -> None:
    d = fupin.PlanData.chaoyang_2020().to_dict()
    d["meta"]["year"] = 2021
    later = fupin.PlanData.from_dict(d)
    # 2021 figures judged by the 2020 policy's thresholds would be misread.
    with pytest.raises(fupin.DataError, match="the data are for 2021, the policy for 2020") as e:
        fupin.compare(after_data=later)
    assert e.value.code == "year_mismatch"
    assert e.value.path == "meta.year"
    # fupin.report applies the same rule.
    with pytest.raises(fupin.DataError, match="the data are for 2021") as e:
        fupin.report(data=later)
    assert e.value.code == "year_mismatch"


def test_scores_and_ranks_in_a_comparison() -> None:
    items = {"annual_targets": "80", "daily_responsibility": "19"}
    units = {
        "units": [
            {
                "unit": "甲",
                "cards": {
                    "a": {
                        "items": items,
                        "bonuses": {"commendations": {"counts": {"provincial": 3, "national": 1}}},
                    }
                },
            },
            {"unit": "乙", "cards": {"a": {"items": {**items, "daily_responsibility": "20"}}}},
        ]
    }
    cap = "assessment.cards[a].bonus.rules[commendations].cap"
    c = fupin.compare(units=units, set={cap: "3"})
    assert [(s["unit"], s["total_change"]) for s in c.scores] == [("甲", Decimal("0.5"))]
    assert fupin.compare(units=units).scores == []
    with pytest.raises(fupin.PolicyError):
        fupin.compare(set={"funds.quota.conty": "1"})
    with pytest.raises(fupin.FupinError, match="not exact"):
        fupin.compare(set={"funds.quota.county": 3000.5})


def test_checks_carry_the_plans_words() -> None:
    g2 = next(c for c in fupin.report().checks if c.id == "G2.upward_growth")
    assert g2.clause_text == "(二)向上争取扶贫专项资金比上年增长20%以上。"
