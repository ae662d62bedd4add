"""Score a large table of units on a Dask cluster, exactly, with ``fupin.dask.score``.

The scoring itself is ``fupin.dask.score`` (in the package: ``pip install 'fupin[dask]'``):
each partition goes to Arrow, through ``fupin.score_table`` (the Rust core, exact decimal
points) and back to pandas with Arrow-backed columns, so no value ever becomes a float, and the
units are ranked over the whole table, not per partition. This example adds what a real run
needs around it: a random table made by the workers themselves, a ``LocalCluster`` or a
scheduler's address, and timing. The result equals a single ``fupin.score_table`` call on the
whole table (``python/tests/test_dask_scoring.py`` checks it).

Run it on this machine (a ``LocalCluster`` of worker processes)::

    .venv/bin/python examples/dask_scoring.py --rows 1000000 --partitions 8

Run the same functions on a real Dask cluster:

1. Install the same fupin on the scheduler's workers as on the client: build a wheel with
   ``maturin build --release`` and ``pip install fupin-*.whl`` into the workers' image or
   environment (or ``client.register_plugin(distributed.PipInstall(["fupin==<version>"]))`` if
   it is on your package index), together with ``dask[dataframe]``, ``distributed`` and
   ``pyarrow`` (``pip install 'fupin[dask]'``). Run as a script, this file's functions travel
   to the workers by value; if you import them from a module of yours instead, the workers must
   be able to import that module too (``client.upload_file("dask_scoring.py")``).
2. Connect to the scheduler instead of starting a ``LocalCluster``::

       python examples/dask_scoring.py --scheduler tcp://scheduler:8786 --rows 10000000

   or, in your own code, ``client = Client("tcp://scheduler:8786")`` and then
   ``score_on_dask(ddf).compute()``.
3. With real data, let each worker read its own partitions rather than sending a pandas frame
   from the client: ``ddf = dd.read_parquet("s3://bucket/units/", dtype_backend="pyarrow")``
   (Parquet decimal columns stay decimal128), and write the result with
   ``score_on_dask(ddf).to_parquet(...)`` instead of ``.compute()`` when it is large.

The input has the columns ``fupin.score_table`` reads: one per item id of the card (points), one
per per-step bonus rule (completion as a fraction, e.g. 1.35), one per per-count weight
(``<rule>.<weight>``, counts), one per discretionary bonus rule (points), ``unit`` and
``vetoed``. The table made here is random and illustrative: the plan gives no unit scores.
"""

from __future__ import annotations

import argparse
import itertools
import time
from decimal import Decimal

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dask.distributed import Client, LocalCluster

import fupin
import fupin.dask

# The scheduler's HTTP server on a free loopback port: `dashboard_address=None` still binds it
# to 8787, and a busy 8787 gives a warning (an error under pytest's `filterwarnings = error`).
DASHBOARD = "127.0.0.1:0"

CARD = "a"


def _halves(rng: np.random.Generator, maximum: Decimal, n: int) -> pa.Array:
    """``n`` random points from 0 to ``maximum`` in 0.5 steps, as exact decimal128."""
    steps = rng.integers(0, int(maximum * 2) + 1, n)
    return pc.multiply(pa.array(steps).cast(pa.decimal128(19, 0)), pa.scalar(Decimal("0.5")))


def random_units(n_rows: int, card: str = CARD, seed: int = 0, start: int = 0) -> pd.DataFrame:
    """A random table of ``n_rows`` units for ``card``, numbered from ``start``: points in 0.5
    steps up to each maximum, completion ratios with two decimals (0.80 to 1.60), counts 0 to 3,
    one unit in 50 vetoed.

    Columns are Arrow-backed (``pd.ArrowDtype``), so points are exact decimals, not floats.
    """
    rng = np.random.default_rng([seed, start])
    spec = fupin.Scorecard.chaoyang_2020(card).to_dict()  # type: ignore[arg-type]
    numbers = range(start, start + n_rows)
    cols: dict[str, pa.Array] = {"unit": pa.array([f"unit {i:07d}" for i in numbers])}
    for section in spec["sections"]:
        for item in section["items"]:
            cols[item["id"]] = _halves(rng, item["max"], n_rows)
    for rule in spec["bonus"]["rules"]:
        kind = rule["rule"]
        if kind == "discretionary":
            cols[rule["id"]] = _halves(rng, rule["cap"], n_rows)
        elif "per_step" in kind:
            hundredths = pa.array(rng.integers(80, 161, n_rows)).cast(pa.decimal128(19, 0))
            cols[rule["id"]] = pc.multiply(hundredths, pa.scalar(Decimal("0.01")))
        else:
            for weight in kind["per_count"]["weights"]:
                cols[f"{rule['id']}.{weight['id']}"] = pa.array(rng.integers(0, 4, n_rows))
    cols["vetoed"] = pa.array(rng.integers(0, 50, n_rows) == 0)
    frame = pa.table(cols).to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = pd.RangeIndex(start, start + n_rows)
    return frame


def units_on_dask(n_rows: int, n_partitions: int, card: str = CARD, seed: int = 0) -> dd.DataFrame:
    """The random table as a Dask DataFrame whose workers make their own partitions.

    (Made on the client and sent with ``dd.from_pandas``, a large table would travel inside the
    task graph; real data are read by the workers in the same way, e.g. ``dd.read_parquet``.)
    """
    bounds = [n_rows * i // n_partitions for i in range(n_partitions + 1)]
    starts, sizes = bounds[:-1], [b - a for a, b in itertools.pairwise(bounds)]
    meta = random_units(1, card, seed).iloc[:0]
    return dd.from_map(
        lambda start, size: random_units(size, card, seed, start),
        starts,
        sizes,
        meta=meta,
        divisions=(*starts, n_rows - 1),
    )


def score_on_dask(units: dd.DataFrame, card: str = CARD) -> dd.DataFrame:
    """Score every unit of a Dask DataFrame and rank them over the whole table (``fupin.dask``).

    Runs on whatever Dask client is current (a ``LocalCluster`` or ``Client("tcp://…:8786")``).
    """
    return fupin.dask.score(units, card)


def main(
    n_rows: int = 1_000_000,
    n_partitions: int = 8,
    *,
    scheduler: str | None = None,
    processes: bool = True,
    n_workers: int = 2,
) -> pd.DataFrame:
    """Score ``n_rows`` random units in ``n_partitions`` partitions on a ``LocalCluster`` (or on
    the cluster at ``scheduler``) and return the result with global ranks, in input order."""
    if scheduler is not None:
        with Client(scheduler):
            return score_on_dask(units_on_dask(n_rows, n_partitions)).compute()
    with (
        LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=processes, dashboard_address=DASHBOARD
        ) as cluster,
        Client(cluster),
    ):
        return score_on_dask(units_on_dask(n_rows, n_partitions)).compute()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--scheduler", help="address of a running scheduler, e.g. tcp://scheduler:8786")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    args = parser.parse_args()
    start = time.perf_counter()
    result = main(args.rows, args.partitions, scheduler=args.scheduler, n_workers=args.workers)
    seconds = time.perf_counter() - start
    print(f"{len(result):,} units scored in {seconds:.1f} s ({len(result) / seconds:,.0f} units/s)")
    print(result.sort_values("rank").head(5).to_string())
