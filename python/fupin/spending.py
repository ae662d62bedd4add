"""DataFrames and Arrow tables into a spending :class:`~fupin.Ledger` (G4, M4).

``Ledger.from_records`` takes a list of dicts; this module gets one from the tables analysts
hold, keeping every value exact:

>>> import fupin, fupin.spending
>>> import pandas as pd
>>> df = pd.DataFrame({"month": ["2020-01", "2020-02"], "county": ["朝阳县", "朝阳县"],
...                    "project": ["果园", None], "allocated": [1_000_000, 0], "spent": [250_000, 150_000]})
>>> from decimal import Decimal
>>> fupin.spending.ledger_from_frame(df).progress("朝阳县", "2020-02")["progress"] == Decimal("0.4")
True

Missing cells of the optional columns (``project``, ``fund_source``) — ``None``, ``NaN``,
``pd.NA`` — are treated as absent. A date in the ``month`` column counts as its month. Amounts
must be integers, :class:`~decimal.Decimal` or strings (``"150万元"``): a float column is refused,
as a binary float is not an exact amount (cast it with ``df["spent"].astype(str)`` only if the
floats are exactly what you mean, or better read the file with ``dtype=str``).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import Any

from fupin._fupin import Ledger

__all__ = ["ledger_from_frame", "records_of"]

_OPTIONAL = ("project", "fund_source")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if key in _OPTIONAL and _missing(value):
            continue
        if key == "month" and isinstance(value, datetime.date):
            value = f"{value.year:04d}-{value.month:02d}"
        out[key] = value
    return out


def records_of(frame: Any) -> list[dict[str, Any]]:
    """The rows of a pandas or polars DataFrame, a pyarrow Table, or a list of dicts, as dicts."""
    if hasattr(frame, "to_dicts"):  # polars
        rows = frame.to_dicts()
    elif hasattr(frame, "to_pylist"):  # pyarrow (decimal128 columns become Decimal)
        rows = frame.to_pylist()
    elif hasattr(frame, "to_dict"):  # pandas
        rows = frame.to_dict("records")
    elif isinstance(frame, Sequence):
        rows = list(frame)
    else:
        kind = type(frame).__name__
        raise TypeError(
            f"expected a pandas or polars DataFrame, a pyarrow Table or a list of dicts, not {kind}"
        )
    return [_clean(dict(r)) for r in rows]


def ledger_from_frame(frame: Any, year: int | None = None, units: list[str] | None = None) -> Ledger:
    """A validated :class:`~fupin.Ledger` from a table with columns month, county, [project],
    [fund_source], allocated, spent. ``year`` and ``units`` default to the embedded 2020 plan's.
    Errors name the record (0-based row), the column and the value."""
    return Ledger.from_records(records_of(frame), year=year, units=units)
