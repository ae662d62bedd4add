"""Score 1,000,000 random scorecard-A units five ways; print cards/s, speed ratios and mismatches.

    .venv/bin/python benches/python/bench_scoring.py            # 1,000,000 rows
    .venv/bin/python benches/python/bench_scoring.py --rows 100000

(a) a pure-Python ``decimal`` reference written from the rules (the reference for mismatches);
(b) a vectorised numpy float64 version — how float-based rules engines do it;
(c) ``fupin.score`` one unit at a time (on a sample; the rate is per card);
(d) ``fupin.score_table`` on the whole table through Arrow columns (totals only, as (b) computes,
    points out as ``decimal64``; the lines below it give the default ``decimal128`` output, and
    every capped bonus line with the ranking);
(e) the Rust batch alone, from criterion's last run of ``cargo bench -p fupin-benches --bench scoring``.

Inputs: items in 0.5-point steps, completions with two decimals (0.00–2.50), commendation counts
0–4, discretionary bonuses in 0.5 steps within their caps, 2 % vetoed. Rules and caps come from the
embedded policy's card A, not from this file. (b) and (d) report the best of 5 runs, (a) and (c)
one run. Build the extension in release mode first (``maturin develop --release``); a debug build
is many times slower.
"""

from __future__ import annotations

import argparse
import json
import time
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

import fupin

ROOT = Path(__file__).resolve().parents[2]


def card_rules() -> dict[str, object]:
    card = fupin.Scorecard.chaoyang_2020("a").to_dict()
    rules = {r["id"]: r for r in card["bonus"]["rules"]}
    return {"cap": card["bonus"]["cap"], "rules": rules}


def generate(n: int, seed: int = 2020) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "annual_halves": rng.integers(0, 161, n),  # 0–80 in 0.5 steps
        "daily_halves": rng.integers(0, 41, n),  # 0–20
        "completion_pct": rng.integers(0, 251, n),  # 0.00–2.50
        "upward_halves": rng.integers(0, 21, n),  # 0–10
        "provincial": rng.integers(0, 5, n),
        "national": rng.integers(0, 5, n),
        "innovation_halves": rng.integers(0, 7, n),  # 0–3
        "vetoed": rng.random(n) < 0.02,
    }


def decimal_column(unscaled: np.ndarray, scale: int) -> pa.Array:
    """A decimal128(18, scale) column from non-negative unscaled integers, without text."""
    raw = np.zeros((len(unscaled), 2), dtype=np.int64)
    raw[:, 0] = unscaled
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(unscaled), [None, pa.py_buffer(raw.tobytes())])


def to_table(d: dict[str, np.ndarray]) -> pa.Table:
    """The rows as Arrow columns: points as decimal128(18, 4), completions as decimal128(18, 8) —
    the scales fupin scores at, so ``score_table`` reads them in place (any other scale is
    rescaled exactly first, at the cost of a copy)."""
    return pa.table(
        {
            "annual_targets": decimal_column(d["annual_halves"] * 5_000, 4),
            "daily_responsibility": decimal_column(d["daily_halves"] * 5_000, 4),
            "over_completion": decimal_column(d["completion_pct"] * 1_000_000, 8),
            "upward_funds": decimal_column(d["upward_halves"] * 5_000, 4),
            "commendations.provincial": pa.array(d["provincial"], pa.uint32()),
            "commendations.national": pa.array(d["national"], pa.uint32()),
            "innovation": decimal_column(d["innovation_halves"] * 5_000, 4),
            "vetoed": pa.array(d["vetoed"]),
        }
    )


# (a) ---------------------------------------------------------------------------------------------
def reference(d: dict[str, np.ndarray], rules: dict[str, object]) -> list[Decimal]:
    """Totals by the rules, in exact decimals, one unit at a time."""
    r = rules["rules"]
    step = r["over_completion"]["rule"]["per_step"]
    base_c, step_c, step_pts = Decimal(step["base"]), Decimal(step["step"]), Decimal(step["points"])
    weights = {w["id"]: Decimal(w["points"]) for w in r["commendations"]["rule"]["per_count"]["weights"]}
    caps = {k: Decimal(v["cap"]) for k, v in r.items()}
    cap = Decimal(rules["cap"])
    half, hundred = Decimal("0.5"), Decimal(100)
    out = []
    cols = [
        d[k].tolist()
        for k in (
            "annual_halves",
            "daily_halves",
            "completion_pct",
            "upward_halves",
            "provincial",
            "national",
            "innovation_halves",
        )
    ]
    for a, dl, c, up, prov, nat, inn in zip(*cols, strict=True):
        base = a * half + dl * half
        over = (Decimal(c) / hundred - base_c) / step_c
        steps = over.to_integral_value(rounding=ROUND_FLOOR) if over > 0 else Decimal(0)
        lines = [
            min(caps["over_completion"], steps * step_pts),
            min(caps["upward_funds"], up * half),
            min(caps["commendations"], prov * weights["provincial"] + nat * weights["national"]),
            min(caps["innovation"], inn * half),
        ]
        out.append(base + min(cap, sum(lines)))
    return out


# (b) ---------------------------------------------------------------------------------------------
def numpy_float(d: dict[str, np.ndarray], rules: dict[str, object]) -> np.ndarray:
    r = rules["rules"]
    step = r["over_completion"]["rule"]["per_step"]
    w = {x["id"]: float(x["points"]) for x in r["commendations"]["rule"]["per_count"]["weights"]}
    caps = {k: float(v["cap"]) for k, v in r.items()}
    base = d["annual_halves"] * 0.5 + d["daily_halves"] * 0.5
    completion = d["completion_pct"] / 100.0
    steps = np.floor(np.maximum(completion - float(step["base"]), 0.0) / float(step["step"]))
    lines = (
        np.minimum(caps["over_completion"], steps * float(step["points"]))
        + np.minimum(caps["upward_funds"], d["upward_halves"] * 0.5)
        + np.minimum(caps["commendations"], d["provincial"] * w["provincial"] + d["national"] * w["national"])
        + np.minimum(caps["innovation"], d["innovation_halves"] * 0.5)
    )
    return base + np.minimum(float(rules["cap"]), lines)


# (c) ---------------------------------------------------------------------------------------------
def one_at_a_time(d: dict[str, np.ndarray], rows: range) -> list[Decimal]:
    half = Decimal("0.5")
    out = []
    for i in rows:
        unit = {
            "unit": str(i),
            "items": {
                "annual_targets": int(d["annual_halves"][i]) * half,
                "daily_responsibility": int(d["daily_halves"][i]) * half,
            },
            "bonuses": {
                "over_completion": {"completion": Decimal(int(d["completion_pct"][i])) / 100},
                "upward_funds": {"points": int(d["upward_halves"][i]) * half},
                "commendations": {
                    "counts": {"provincial": int(d["provincial"][i]), "national": int(d["national"][i])}
                },
                "innovation": {"points": int(d["innovation_halves"][i]) * half},
            },
        }
        if d["vetoed"][i]:
            unit["veto"] = {"reason": "bench"}
        out.append(fupin.score("a", unit).total)
    return out


def criterion_rate() -> str:
    """Cards/s of the Rust columnar batch from criterion's last run, if there was one."""
    for est in sorted((ROOT / "target" / "criterion").glob("score_*/**/new/estimates.json")):
        bench = json.loads((est.parent / "benchmark.json").read_text())
        n = (bench.get("throughput") or {}).get("Elements")
        if n and "columns" in bench.get("full_id", ""):
            secs = json.loads(est.read_text())["mean"]["point_estimate"] / 1e9
            return f"{n / secs:>14,.0f} cards/s   ({bench['full_id']}, criterion)"
    return "   (run `cargo bench -p fupin-benches --bench scoring` first)"


def timed(f, *args, repeat: int = 1):  # type: ignore[no-untyped-def]
    """The result of ``f(*args)`` and the best wall time of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        result = f(*args)
        best = min(best, time.perf_counter() - t)
    return result, best


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--single-sample", type=int, default=50_000, help="rows scored one at a time for (c)")
    args = p.parse_args()
    n = args.rows
    rules = card_rules()
    d = generate(n)
    table = to_table(d)

    ref, t_a = timed(reference, d, rules)
    flt, t_b = timed(numpy_float, d, rules, repeat=5)
    sample = range(min(n, args.single_sample))
    one, t_c = timed(one_at_a_time, d, sample)
    out, t_d = timed(
        lambda: fupin.score_table("a", table, lines=False, rank=False, points="decimal64"), repeat=5
    )
    _, t_d128 = timed(lambda: fupin.score_table("a", table, lines=False, rank=False), repeat=5)
    _, t_d_full = timed(lambda: fupin.score_table("a", table), repeat=3)
    totals = out.column("total").to_pylist()

    mism_b = sum(1 for x, y in zip(flt.tolist(), ref, strict=True) if Decimal(repr(x)) != y)
    mism_c = sum(1 for x, y in zip(one, ref, strict=False) if x != y)
    mism_d = sum(1 for x, y in zip(totals, ref, strict=True) if x != y)
    rate = {k: m / t for k, m, t in (("a", n, t_a), ("b", n, t_b), ("c", len(sample), t_c), ("d", n, t_d))}
    print(f"{n:,} scorecard-A units (card and caps from the embedded 2020 policy)")
    print(f"(a) pure-Python decimal reference {rate['a']:>14,.0f} cards/s   {t_a:8.3f} s   reference")
    print(f"(b) numpy float64, vectorised     {rate['b']:>14,.0f} cards/s   {t_b:8.3f} s   {mism_b:,} wrong")
    print(
        f"(c) fupin.score, one at a time    {rate['c']:>14,.0f} cards/s   {t_c:8.3f} s   "
        f"{mism_c:,} wrong (on {len(sample):,} rows)"
    )
    print(f"(d) fupin.score_table, Arrow      {rate['d']:>14,.0f} cards/s   {t_d:8.3f} s   {mism_d:,} wrong")
    print(f"    the same, decimal128 points     {n / t_d128:>14,.0f} cards/s   {t_d128:8.3f} s")
    print(f"    with every bonus line and ranks {n / t_d_full:>14,.0f} cards/s   {t_d_full:8.3f} s")
    print(f"(e) Rust columnar batch         {criterion_rate()}")
    print(
        f"ratios: (d)/(a) = {rate['d'] / rate['a']:,.1f}×   (d)/(b) = {rate['d'] / rate['b']:,.2f}×   "
        f"(d)/(c) = {rate['d'] / rate['c']:,.1f}×"
    )


if __name__ == "__main__":
    main()
