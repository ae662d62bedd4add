"""Every class pickles and reads back equal, so results travel to process pools and Dask workers."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def unit(n: int) -> dict[str, Any]:
    u = json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))[0]
    return {**u, "unit": f"unit {n}"}


def instances() -> dict[str, Any]:
    ledger = fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text(encoding="utf-8"))
    schedule = fupin.Schedule.from_toml((EXAMPLES / "schedule_example.toml").read_text(encoding="utf-8"))
    scored = [fupin.score("a", unit(n)) for n in range(2)]
    log = fupin.AuditLog.sample_2020()
    tasks = json.loads((EXAMPLES / "tasks_2020.json").read_text(encoding="utf-8"))
    return {
        "Policy": fupin.Policy.chaoyang_2020(),
        "PlanData": fupin.PlanData.chaoyang_2020(),
        "Report": fupin.report(),
        "Check": fupin.report().checks[0],
        "Scorecard": fupin.Scorecard.chaoyang_2020("b"),
        "Scorecard (own)": fupin.Scorecard.from_json(fupin.Scorecard.chaoyang_2020("a").to_json()),
        "ScoreReport": scored[0],
        "RankEntry": fupin.rank(scored)[0],
        "TasksReport": fupin.check_tasks(tasks),
        "Ledger": ledger,
        "Schedule": schedule,
        "Bulletin": fupin.bulletin(ledger, "2020-06", schedule),
        "ApprovalState": next(iter(log.states.values())),
        "AuditLog": log,
    }


@pytest.mark.parametrize("name", sorted(instances()))
def test_each_class_pickles_and_reads_back_equal(name: str) -> None:
    value = instances()[name]
    again = pickle.loads(pickle.dumps(value))
    assert type(again) is type(value)
    if hasattr(value, "to_dict"):
        assert again.to_dict() == value.to_dict()
    if name == "AuditLog":
        assert again.to_jsonl() == value.to_jsonl()
    else:
        assert again == value


def score_total(u: dict[str, Any]) -> Any:
    return fupin.score("a", u)


def test_a_process_pool_scores_and_sends_results_back() -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(score_total, [unit(n) for n in range(4)]))
        policy_year = pool.submit(getattr, fupin.Policy.chaoyang_2020(), "year").result()
    assert [r.unit for r in reports] == [f"unit {n}" for n in range(4)]
    assert reports[0].bonus_lines == fupin.score("a", unit(0)).bonus_lines
    assert policy_year == 2020
