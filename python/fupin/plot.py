"""Plots for notebooks (optional: ``pip install fupin[plot]``, which brings matplotlib).

Every function returns a :class:`matplotlib.figure.Figure` and never calls ``show()``; display it
in a notebook by leaving it as the cell's value, or save it with ``fig.savefig(...)``. Values are
converted to floats **only here, for drawing**; every figure's numbers come from exact results.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from fupin._fupin import Report

#: Fonts tried, in order, so that Chinese names are drawn where such a font is installed.
CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
]

WAN = Decimal(10_000)


@contextmanager
def _style() -> Iterator[Any]:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - exercised only without the extra
        raise ImportError("fupin.plot needs matplotlib: pip install 'fupin[plot]'") from e
    with plt.rc_context(
        {"font.family": "sans-serif", "font.sans-serif": CJK_FONTS, "axes.unicode_minus": False}
    ):
        yield plt


def _wan(v: Decimal) -> float:
    """Yuan → 万元 as a float, for drawing only."""
    return float(v / WAN)


def county_input(report: Report, *, lang: str = "en") -> Figure:
    """Each county-level unit's input last year and this year against what it must reach (M1c, task 8).

    Bars: last year, this year; markers: the quota and the required input
    ``max(quota, last year × (1 + growth target))``. Units that owe a budget adjustment are marked ✗.
    """
    zh = lang == "zh"
    counties = report.counties
    with _style() as plt:
        fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(counties)), 4.0), layout="constrained")
        xs = list(range(len(counties)))
        width = 0.38
        ax.bar(
            [x - width / 2 for x in xs],
            [_wan(c["last_year"]) for c in counties],
            width,
            label="上年" if zh else "last year",
            color="#9bb7d4",
        )
        ax.bar(
            [x + width / 2 for x in xs],
            [_wan(c["this_year"]) for c in counties],
            width,
            label="本年" if zh else "this year",
            color="#2c6e9b",
        )
        ax.scatter(
            xs,
            [_wan(c["required"]) for c in counties],
            marker="_",
            s=900,
            color="#c0392b",
            zorder=3,
            label="应达 (定额与增长要求)" if zh else "required (quota and growth)",
        )
        ax.set_xticks(xs, [c["name"] + ("" if c["adjustment_owed"] == 0 else " ✗") for c in counties])
        ax.set_ylabel("万元" if zh else "10k yuan")
        ax.set_title(
            "县(市)区扶贫资金投入 (M1c)" if zh else "County-level input vs requirement (M1c, task 8)"
        )
        ax.legend(loc="upper left", fontsize="small")
    return fig
