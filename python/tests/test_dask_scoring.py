"""examples/dask_scoring.py: scoring partitioned on Dask equals one fupin.score_table call."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pytest

import fupin

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dask_scoring.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_scoring", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_scoring"] = module  # Dask pickles score_partition by module name
    spec.loader.exec_module(module)
    return module


def test_partitioned_scoring_on_a_local_cluster_equals_one_call_on_the_whole_table(
    example: ModuleType,
) -> None:
    result = example.main(2_000, 4, processes=False)
    units = example.units_on_dask(2_000, 4).compute()  # the same table, whole
    assert list(result.index) == list(range(2_000)) and len(set(units["unit"])) == 2_000
    whole = fupin.score_table("a", pa.Table.from_pandas(units, preserve_index=False))
    assert list(result.columns) == whole.schema.names
    # Back to Arrow with score_table's own schema (pandas does not keep "not null"): same types,
    # every value exact and equal, the ranks over the whole table included.
    got = pa.Table.from_pandas(result, schema=whole.schema, preserve_index=False)
    assert got.equals(whole)
    # The ranks are global, not per partition: a partition holds 500 units, the table 2,000.
    assert max(result["rank"]) > 500
    assert result["vetoed"].any() and len(set(result.loc[result["vetoed"], "rank"])) == 1


def test_random_units_are_exact_decimals_within_each_maximum(example: ModuleType) -> None:
    units = pa.Table.from_pandas(example.random_units(500), preserve_index=False)
    assert pa.types.is_decimal(units.schema.field("annual_targets").type)
    assert max(units["annual_targets"].to_pylist()) <= 80
    assert {v * 2 % 1 for v in units["daily_responsibility"].to_pylist()} == {0}
