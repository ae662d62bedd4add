"""One call at a time: fupin against a pure-Python ``decimal`` implementation of the same rules.

    .venv/bin/python benches/python/bench_calls.py              # release build first:
    .venv/bin/maturin develop --release                          # a debug build is many times slower

An analyst scores units in a loop, or calls ``report()`` in a notebook cell. Each line gives the
microseconds per call (best of 7 runs of many calls) of:

- ``score``: ``fupin.score("a", unit)`` on card A's example unit, against ``reference_score`` below
  — the same rules in plain Python ``decimal`` from the same input dict (checks, caps, per-step,
  per-count and discretionary lines, the bonus cap, the veto), as a careful Python programmer would
  write them, the card read once outside the loop. Both read ``.total`` of the result; the check
  below asserts they agree on 2,000 random units.
- ``report``: ``fupin.report()`` on the embedded 2020 plan (the target is ≤ 20 µs).
- ``check_tasks``: the example task figures (T3, T10, M9 and card A's annual points).
- ``ledger``: ``Ledger.from_records`` of the 42-row example ledger and one unit's progress,
  against a pure-Python sum of the same rows (no validation: a lower bound for Python).
- ``score_table``: ns per card over a table of ``--rows`` random units, totals only against every
  capped bonus line and the ranking (the target is full ≤ 2 × totals).
"""

from __future__ import annotations

import argparse
import json
import random
import timeit
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

import fupin

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


# ---------------------------------------------------------------------------------------------
# The pure-Python reference: card A's rules in decimal, from the same input dict.


def _dec(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise ValueError(f"{where}: the float {value!r} is not exact")
    if isinstance(value, str) and value.endswith("%"):
        return Decimal(value[:-1]) / 100
    return Decimal(value)


@dataclass
class RefReport:
    unit: str
    base: Decimal
    bonus_raw: Decimal
    bonus: Decimal
    total: Decimal
    failed: bool


class ReferenceCard:
    """A card's rules read once from ``Scorecard.to_dict()``; ``score`` applies them."""

    def __init__(self, card: dict[str, Any]) -> None:
        self.items = {i["id"]: Decimal(i["max"]) for s in card["sections"] for i in s["items"]}
        self.cap = Decimal(card["bonus"]["cap"])
        self.rules: dict[str, tuple[str, Decimal, Any]] = {}
        for r in card["bonus"]["rules"]:
            rule = r["rule"]
            if rule == "discretionary":
                self.rules[r["id"]] = ("points", Decimal(r["cap"]), None)
            elif "per_step" in rule:
                p = rule["per_step"]
                self.rules[r["id"]] = (
                    "completion",
                    Decimal(r["cap"]),
                    (Decimal(p["base"]), Decimal(p["step"]), Decimal(p["points"])),
                )
            else:
                weights = {w["id"]: Decimal(w["points"]) for w in rule["per_count"]["weights"]}
                self.rules[r["id"]] = ("counts", Decimal(r["cap"]), weights)

    def score(self, unit: dict[str, Any]) -> RefReport:
        items = unit.get("items", {})
        unknown = set(items) - set(self.items)
        if unknown:
            raise ValueError(f"unknown items {sorted(unknown)}")
        base = Decimal(0)
        for item, most in self.items.items():
            if item not in items:
                raise ValueError(f"item {item} has no score")
            points = _dec(items[item], item)
            if not 0 <= points <= most:
                raise ValueError(f"item {item}: {points} is outside 0–{most}")
            base += points
        raw = Decimal(0)
        for rule_id, given in unit.get("bonuses", {}).items():
            if rule_id not in self.rules:
                raise ValueError(f"unknown bonus {rule_id}")
            kind, cap, how = self.rules[rule_id]
            ((key, value),) = given.items()
            if key != kind:
                raise ValueError(f"bonus {rule_id} takes {kind}, not {key}")
            if kind == "points":
                line = _dec(value, rule_id)
                if not 0 <= line <= cap:
                    raise ValueError(f"bonus {rule_id}: {line} is outside 0–{cap}")
            elif kind == "completion":
                start, step, per = how
                over = (_dec(value, rule_id) - start) / step
                line = min(cap, max(over, Decimal(0)).to_integral_value(rounding=ROUND_FLOOR) * per)
            else:
                line = min(cap, sum((how[k] * int(n) for k, n in value.items()), Decimal(0)))
            raw += line
        bonus = min(raw, self.cap)
        return RefReport(unit["unit"], base, raw, bonus, base + bonus, "veto" in unit)


# ---------------------------------------------------------------------------------------------


def random_unit(rng: random.Random, i: int) -> dict[str, Any]:
    half = Decimal("0.5")
    unit: dict[str, Any] = {
        "unit": f"unit {i}",
        "items": {
            "annual_targets": rng.randint(0, 160) * half,
            "daily_responsibility": rng.randint(0, 40) * half,
        },
        "bonuses": {
            "over_completion": {"completion": f"{rng.randint(0, 250)}%"},
            "upward_funds": {"points": rng.randint(0, 20) * half},
            "commendations": {"counts": {"provincial": rng.randint(0, 4), "national": rng.randint(0, 4)}},
            "innovation": {"points": rng.randint(0, 6) * half},
        },
    }
    if rng.random() < 0.02:
        unit["veto"] = {"reason": "bench"}
    return unit


def per_call_us(stmt: Any, number: int) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number * 1e6


def table(n: int, seed: int = 2020) -> pa.Table:
    rng = random.Random(seed)

    def points(top: int) -> pa.Array:
        return pa.array([Decimal(rng.randint(0, top)) / 2 for _ in range(n)], pa.decimal128(18, 4))

    return pa.table(
        {
            "annual_targets": points(160),
            "daily_responsibility": points(40),
            "over_completion": pa.array(
                [Decimal(rng.randint(0, 250)) / 100 for _ in range(n)], pa.decimal128(18, 8)
            ),
            "upward_funds": points(20),
            "commendations.provincial": pa.array([rng.randint(0, 4) for _ in range(n)], pa.uint32()),
            "commendations.national": pa.array([rng.randint(0, 4) for _ in range(n)], pa.uint32()),
            "innovation": points(6),
            "vetoed": pa.array([rng.random() < 0.02 for _ in range(n)]),
        }
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=200_000, help="rows of the score_table comparison")
    args = p.parse_args()

    ref = ReferenceCard(fupin.Scorecard.chaoyang_2020("a").to_dict())
    rng = random.Random(15)
    sample = [random_unit(rng, i) for i in range(2_000)]
    wrong = sum(1 for u in sample if fupin.score("a", u).total != ref.score(u).total)
    assert wrong == 0, f"{wrong} units disagree"

    unit = json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))[0]
    tasks = json.loads((EXAMPLES / "tasks_2020.json").read_text(encoding="utf-8"))
    ledger = fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text(encoding="utf-8"))
    records = [
        {k: str(v) if isinstance(v, Decimal) else v for k, v in e.items()}
        for e in ledger.to_dict()["entries"]
    ]

    def py_progress() -> Decimal:
        allocated = spent = Decimal(0)
        for r in records:
            if r["county"] == "朝阳县" and r["month"] <= "2020-06":
                allocated += Decimal(r["allocated"])
                spent += Decimal(r["spent"])
        return spent / allocated

    t_ref = per_call_us(lambda: ref.score(unit).total, 20_000)
    t_score = per_call_us(lambda: fupin.score("a", unit).total, 20_000)
    t_report = per_call_us(fupin.report, 20_000)
    t_tasks = per_call_us(lambda: fupin.check_tasks(tasks), 2_000)
    t_py_ledger = per_call_us(py_progress, 2_000)
    t_ledger = per_call_us(lambda: fupin.Ledger.from_records(records).progress("朝阳县", "2020-06"), 2_000)
    print("one call at a time (µs per call, best of 7)")
    print(f"  score, pure-Python decimal reference {t_ref:8.2f}")
    print(f'  fupin.score("a", unit).total         {t_score:8.2f}   {t_score / t_ref:.2f} × the reference')
    print(f"  fupin.report() (embedded 2020 plan)  {t_report:8.2f}")
    print(f"  fupin.check_tasks(example figures)   {t_tasks:8.2f}")
    print(f"  ledger progress, pure Python (no checks) {t_py_ledger:8.2f}")
    print(
        f"  Ledger.from_records(42 rows).progress {t_ledger:8.2f}  {t_ledger / t_py_ledger:.2f} × pure Python"
    )

    t = table(args.rows)
    totals = min(
        timeit.repeat(lambda: fupin.score_table("a", t, lines=False, rank=False), number=1, repeat=5)
    )
    full = min(timeit.repeat(lambda: fupin.score_table("a", t), number=1, repeat=5))
    n = args.rows
    print(f"score_table over {n:,} cards (ns per card, best of 5)")
    print(f"  totals only                          {totals / n * 1e9:8.1f}")
    print(f"  every bonus line and the ranking     {full / n * 1e9:8.1f}   {full / totals:.2f} × totals")


if __name__ == "__main__":
    main()
