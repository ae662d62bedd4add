"""fupin.dask against one in-process call: what the Dask layer costs on a LocalCluster.

    .venv/bin/python benches/python/bench_dask.py --rows 1000000 --partitions 4

Both score the same random card-A table (made by the workers themselves for Dask, as a real
cluster reads its own Parquet partitions) with every bonus line and the global ranking:
``fupin.score_table`` once in this process, and ``fupin.dask.score`` on a ``LocalCluster`` of
worker processes, one thread each, computing the result back into this process. The difference
is Dask's own cost (scheduling, moving partitions between processes, the ranking's reduction).
Best of ``--repeat`` runs each.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import pyarrow as pa
from dask.distributed import Client, LocalCluster

import fupin
import fupin.dask

ROOT = Path(__file__).resolve().parents[2]

# The scheduler's HTTP server on a free loopback port: `dashboard_address=None` still binds it
# to 8787, and a busy 8787 gives a warning (an error under pytest's `filterwarnings = error`).
DASHBOARD = "127.0.0.1:0"


def example() -> object:
    spec = importlib.util.spec_from_file_location("dask_scoring", ROOT / "examples" / "dask_scoring.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_scoring"] = module
    spec.loader.exec_module(module)
    return module


def best(f, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--partitions", type=int, default=4)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    ex = example()
    whole = pa.Table.from_pandas(ex.random_units(args.rows), preserve_index=False)  # type: ignore[attr-defined]
    one = best(lambda: fupin.score_table("a", whole), args.repeat)
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=DASHBOARD) as cluster,
        Client(cluster) as client,
    ):
        client.upload_file(str(ROOT / "examples" / "dask_scoring.py"))  # the workers import it
        units = ex.units_on_dask(args.rows, args.partitions).persist()  # type: ignore[attr-defined]
        units.count().compute()  # made on the workers before timing
        dask = best(lambda: fupin.dask.score(units).compute(), args.repeat)
    n = args.rows
    print(f"{n:,} card-A units, every bonus line and the global ranking (best of {args.repeat})")
    print(f"  fupin.score_table, one call in this process   {one:7.3f} s")
    print(
        f"  fupin.dask.score, LocalCluster {args.workers} × 1 thread, "
        f"{args.partitions} partitions {dask:7.3f} s   {dask / one:.1f} × one call"
    )


if __name__ == "__main__":
    main()
