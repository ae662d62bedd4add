"""fupin.dask on a LocalCluster of worker processes: each result equals one in-process call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pytest
from dask.distributed import Client, LocalCluster

import fupin
import fupin.dask

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# The scheduler's HTTP server on a free loopback port: `dashboard_address=None` still binds it
# to 8787, and a busy 8787 gives a warning (an error under pytest's `filterwarnings = error`).
DASHBOARD = "127.0.0.1:0"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=DASHBOARD
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


def arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def test_scores_ranked_over_the_whole_table(client: Client) -> None:
    n = 60
    units = pd.DataFrame(
        {
            "unit": [f"u{i:02d}" for i in range(n)],
            "annual_targets": [str(40 + i % 41) for i in range(n)],
            "daily_responsibility": [str(i % 21) for i in range(n)],
            "over_completion": [f"{100 + i % 30}%" for i in range(n)],
            "upward_funds": [str(i % 11) for i in range(n)],
            "innovation": ["0.5"] * n,
            "commendations.provincial": [i % 3 for i in range(n)],
            "commendations.national": [i % 2 for i in range(n)],
            "vetoed": [i % 17 == 0 for i in range(n)],
        }
    ).convert_dtypes(dtype_backend="pyarrow")
    ddf = dd.from_pandas(units, npartitions=4)
    got = fupin.dask.score(ddf).compute()
    whole = fupin.score_table("a", arrow(units))
    assert pa.Table.from_pandas(got, schema=whole.schema, preserve_index=False).equals(whole)
    assert max(got["rank"]) > n // 4  # ranked over the table, not within a partition
    assert fupin.dask.score(ddf, lines=False, rank=False).columns.tolist() == [
        "unit",
        "base",
        "bonus",
        "total",
        "vetoed",
    ]


def test_the_funds_check_keeps_the_stable_schema(client: Client) -> None:
    counties = pd.DataFrame(
        {
            "name": ["朝阳县", "喀左县", "龙城区", "双塔区"],
            "kind": ["county", "县", "district", "区"],
            "last_year": ["2000万元", "1950万元", "900万元", "0.03"],
            "this_year": ["2500万元", "2300万元", "1000万元", "1"],
        }
    ).convert_dtypes(dtype_backend="pyarrow")
    got = fupin.dask.check_funds(dd.from_pandas(counties, npartitions=2))
    assert str(got.dtypes["adjustment_owed"]) == "decimal128(38, 8)[pyarrow]"  # meta, before computing
    whole = fupin.check_funds_table(arrow(counties))
    assert pa.Table.from_pandas(got.compute(), schema=whole.schema, preserve_index=False).equals(whole)


def test_spending_progress_over_partitions_equals_the_whole_ledger(client: Client) -> None:
    ledger = pd.read_csv(
        EXAMPLES / "ledger_2020.csv", comment="#", dtype=str, keep_default_na=False
    ).convert_dtypes(dtype_backend="pyarrow")
    schedule = fupin.Schedule.from_toml((EXAMPLES / "schedule_example.toml").read_text(encoding="utf-8"))
    months = ["2020-03", "2020-06"]
    got = fupin.dask.spending_progress(dd.from_pandas(ledger, npartitions=3), months, schedule)
    whole = fupin.spending_progress_table(arrow(ledger), months, schedule)
    assert pa.Table.from_pandas(got, schema=whole.schema, preserve_index=False).equals(whole)
    every_month = fupin.dask.spending_progress(dd.from_pandas(ledger, npartitions=2))
    assert sorted(set(every_month["month"])) == sorted(set(ledger["month"]))
