# mypy: disable-error-code="no-untyped-call,no-any-return"
# (Dask's own annotations are partial: its map_partitions is untyped and returns Any.)
"""fupin on Dask: whole tables scored, checked and summed partition by partition, exactly.

``pip install 'fupin[dask]'``. Each function takes a Dask DataFrame with the columns of its
single-table counterpart (``fupin.score_table``, ``fupin.check_funds_table``,
``fupin.spending_progress_table``) and returns a Dask DataFrame whose columns have the same
fixed Arrow types (``pd.ArrowDtype``: money ``decimal128(38, 8)``, ratios ``decimal128(38, 18)``,
points ``decimal128(38, 4)``) — Dask's ``meta`` is the empty result of the single-table function,
so it never guesses. Partitions go to fupin as Arrow tables and come back Arrow-backed: no value
becomes a float or passes through a column of Python objects.

>>> import dask.dataframe as dd, pandas as pd, pyarrow as pa
>>> import fupin.dask
>>> units = pd.DataFrame({
...     "unit": ["甲", "乙", "丙"], "annual_targets": ["72.5", "80", "60"],
...     "daily_responsibility": ["18", "20", "20"], "over_completion": ["1.35", "1.6", "1"],
...     "upward_funds": ["6", "10", "0"], "innovation": ["1.5", "3", "0"],
...     "commendations.provincial": [3, 0, 0], "commendations.national": [1, 2, 0],
...     "vetoed": [False, True, False]}).convert_dtypes(dtype_backend="pyarrow")
>>> scored = fupin.dask.score(dd.from_pandas(units, npartitions=2)).compute()
>>> [(u, int(r)) for u, r in zip(scored["unit"], scored["rank"])]
[('甲', 1), ('乙', 3), ('丙', 2)]

The ranking is over the whole table (competition ranking, vetoed units share the last rank),
not per partition: a reduction counts the units per distinct total and each partition looks its
ranks up. What Dask cannot see across partitions — a unit name or a ledger row given twice in
two partitions — is not checked; keep each unit in one partition (as ``set_index`` does).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

try:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
except ModuleNotFoundError as e:  # pragma: no cover - exercised without the extra
    raise ModuleNotFoundError(f"fupin.dask needs {e.name}: pip install 'fupin[dask]'", name=e.name) from e

import fupin

__all__ = ["check_funds", "score", "spending_progress"]


def _arrow(part: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(part, preserve_index=False)


def _pandas(table: pa.Table, index: pd.Index | None = None) -> pd.DataFrame:
    out = table.to_pandas(types_mapper=pd.ArrowDtype)
    if index is not None:
        out.index = index
    return out


def _meta(frame: dd.DataFrame, call: Callable[[pa.Table], pa.Table]) -> pd.DataFrame:
    """The empty result of ``call`` on the frame's empty meta: the output schema, exactly."""
    return _pandas(call(_arrow(frame._meta)))


# --- scoring ---------------------------------------------------------------------------------


def _score_part(part: pd.DataFrame, card: Any, policy: Any, lines: bool) -> pd.DataFrame:
    return _pandas(fupin.score_table(card, _arrow(part), policy, lines=lines, rank=False), part.index)


def _attach_rank(part: pd.DataFrame, totals: pa.Array, ranks: pa.Array, vetoed_rank: int) -> pd.DataFrame:
    """Each unit's rank, looked up by its total (exact decimal equality, in Arrow)."""
    rank = pc.take(ranks, pc.index_in(pa.array(part["total"]), value_set=totals))
    rank = pc.if_else(pa.array(part["vetoed"]), pa.scalar(vetoed_rank, pa.uint32()), rank)
    return part.assign(rank=pd.Series(pd.arrays.ArrowExtensionArray(rank), index=part.index))


def score(
    units: dd.DataFrame,
    card: fupin.Scorecard | str = "a",
    policy: fupin.Policy | None = None,
    *,
    lines: bool = True,
    rank: bool = True,
) -> dd.DataFrame:
    """Score every unit on a card, partition by partition, and rank them over the whole table.

    Columns in and out as ``fupin.score_table`` (annex 2 assessment method); the result equals
    one ``score_table`` call on the whole table, in the same row order.
    """
    meta = _meta(units, lambda t: fupin.score_table(card, t, policy, lines=lines, rank=False))
    scored = units.map_partitions(_score_part, card, policy, lines, meta=meta)
    if not rank:
        return scored
    scored = scored.persist()
    # Units not vetoed, counted per distinct total: a small table (one row per total).
    counts = scored["total"][~scored["vetoed"]].value_counts(split_out=1).compute()
    totals: list[Any] = []
    ranks: list[int] = []
    above = 0
    for total, count in sorted(counts.items(), key=lambda kv: kv[0], reverse=True):
        totals.append(total)
        ranks.append(above + 1)
        above += int(count)
    total_type = meta["total"].dtype.pyarrow_dtype
    return scored.map_partitions(
        _attach_rank,
        pa.array(totals, total_type),
        pa.array(ranks, pa.uint32()),
        above + 1,
        meta=meta.assign(rank=pd.Series([], dtype=pd.ArrowDtype(pa.uint32()))),
    )


# --- the funds check ---------------------------------------------------------------------------


def _funds_part(part: pd.DataFrame, policy: Any) -> pd.DataFrame:
    return _pandas(fupin.check_funds_table(_arrow(part), policy), part.index)


def check_funds(counties: dd.DataFrame, policy: fupin.Policy | None = None) -> dd.DataFrame:
    """Assess every county-level unit against its quota and growth target (M1c, task 8), partition
    by partition; columns in and out as ``fupin.check_funds_table``."""
    meta = _meta(counties, lambda t: fupin.check_funds_table(t, policy))
    return counties.map_partitions(_funds_part, policy, meta=meta)


# --- spending progress ---------------------------------------------------------------------------


def _sums_part(
    part: pd.DataFrame, months: Sequence[str], year: int | None, units: list[str] | None
) -> pd.DataFrame:
    """A partition's rows validated by fupin and summed: cumulative allocated and spent per unit at
    the end of each month (sums of partitions add up: the cumulative sums of the whole ledger)."""
    out = fupin.spending_progress_table(_arrow(part), list(months), year=year, units=units)
    return _pandas(out.select(["month", "county", "allocated", "spent"]))


def spending_progress(
    ledger: dd.DataFrame,
    months: Sequence[str] | None = None,
    schedule: fupin.Schedule | None = None,
    *,
    year: int | None = None,
    units: list[str] | None = None,
) -> pd.DataFrame:
    """Cumulative spending progress of every unit at the end of each month (G4, M4), from a ledger
    spread over partitions; columns in and out as ``fupin.spending_progress_table``.

    Each partition is validated and summed by fupin (exact decimals); the sums — one row per unit
    and month — are added up and the progress computed once, so the result is a small pandas
    DataFrame (not a Dask one) equal to one ``spending_progress_table`` call on the whole ledger.
    """
    if months is None:
        months = sorted(str(m) for m in ledger["month"].unique().compute())
    meta = _meta(
        ledger,
        lambda t: fupin.spending_progress_table(t, list(months), year=year, units=units).select(
            ["month", "county", "allocated", "spent"]
        ),
    )
    parts = ledger.map_partitions(_sums_part, tuple(months), year, units, meta=meta).compute()
    sums = _arrow(parts).group_by(["county", "month"]).aggregate([("allocated", "sum"), ("spent", "sum")])
    # Cumulative sums back to monthly amounts, so the whole ledger's progress is computed by fupin
    # itself (one row per unit and month; the differences are exact decimal subtractions).
    rows: dict[str, list[Any]] = {"month": [], "county": [], "allocated": [], "spent": []}
    by_county = sorted(
        zip(*(sums[c].to_pylist() for c in ("county", "month", "allocated_sum", "spent_sum")), strict=True)
    )
    for county, group in itertools.groupby(by_county, key=lambda r: r[0]):
        before_a = before_s = 0
        for _, month, allocated, spent in group:
            rows["month"].append(month)
            rows["county"].append(county)
            rows["allocated"].append(str(allocated - before_a))
            rows["spent"].append(str(spent - before_s))
            before_a, before_s = allocated, spent
    whole = fupin.spending_progress_table(pa.table(rows), list(months), schedule, year=year, units=units)
    return _pandas(whole)
