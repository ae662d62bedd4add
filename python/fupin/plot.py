"""Plots for notebooks (optional: ``pip install fupin[plot]``, which brings matplotlib).

Every function returns a :class:`matplotlib.figure.Figure` made with pyplot and never calls
``show()``. In a notebook, matplotlib's inline backend shows each new figure at the end of the cell,
as ``df.plot()`` does in pandas: write ``fig = plot.county_input(r)`` (leaving the figure as the
cell's value would show it twice). In a script, ``fig.savefig(...)`` or ``plt.show()``. Values are
converted to floats **only here, for drawing**; every figure's numbers come from exact results.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from fupin._fupin import Ledger, Report, Schedule, ScoreReport

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
    # The installed fonts of the list, named as the family itself: a text keeps its family from
    # when it is made, so the figure draws with them after this context is left too (in a
    # notebook, when the cell's value is displayed); a generic "sans-serif" would be looked up
    # again at drawing time, outside the context. Missing names are dropped so that matplotlib
    # does not log "font family not found" for each of them.
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = [f for f in CJK_FONTS if f in installed] or ["sans-serif"]
    # Only these two settings are restored afterwards, not all of them as plt.rc_context would:
    # the first figure may load the notebook's backend, which turns interactive mode on, and
    # undoing that would keep every later figure from being shown (matplotlib-inline).
    rc: Any = plt.rcParams  # (its stubs accept only literal keys)
    settings = {"font.family": family, "axes.unicode_minus": False}
    saved = {key: rc[key] for key in settings}
    rc.update(settings)
    try:
        yield plt
    finally:
        rc.update(saved)


def _wan(v: Decimal) -> float:
    """Yuan → 万元 as a float, for drawing only."""
    return float(v / WAN)


def _percent(v: Decimal | None) -> float:
    """A fraction → percent as a float, for drawing only (None → NaN, a gap in the line)."""
    return float("nan") if v is None else float(v * 100)


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


def spending_progress(
    ledger: Ledger, months: Sequence[str], schedule: Schedule | None = None, *, lang: str = "en"
) -> Figure:
    """Each county-level unit's cumulative spending progress by month against the schedule (G4, M4).

    One line per unit (``Ledger.progress``: spent ÷ allocated to date), a dashed line for the city
    total, and the required progress of ``schedule`` as a step line where it gives one (the plan
    itself gives no figures: the schedule is yours). Units behind schedule in the last month are
    marked ✗ in the legend (from ``fupin.bulletin``). A month with nothing allocated yet is a gap.
    """
    from fupin._fupin import bulletin

    zh = lang == "zh"
    months = list(months)
    if not months:
        raise ValueError("months must name at least one month (YYYY-MM)")
    behind = set(bulletin(ledger, months[-1], schedule).behind_schedule()) if schedule else set()
    xs = list(range(len(months)))
    with _style() as plt:
        fig, ax = plt.subplots(figsize=(max(6.0, 0.8 * len(months) + 3.0), 4.5), layout="constrained")
        for county in ledger.units:
            ys = [_percent(ledger.progress(county, m)["progress"]) for m in months]
            ax.plot(xs, ys, marker="o", markersize=3, label=county + (" ✗" if county in behind else ""))
        city = [_percent(ledger.city_progress(m)["progress"]) for m in months]
        ax.plot(xs, city, color="black", linestyle="--", linewidth=2, label="全市" if zh else "city")
        if schedule is not None:
            required = [_percent(schedule.required_for(m)) for m in months]
            ax.step(
                xs,
                required,
                where="mid",
                color="#c0392b",
                linewidth=2.5,
                label="序时进度" if zh else "required (schedule)",
            )
        ax.set_xticks(xs, months, rotation=45 if len(months) > 6 else 0)
        ax.set_ylabel("累计支出进度 (%)" if zh else "cumulative progress (%)")
        ax.set_title("扶贫资金支出进度 (G4, M4)" if zh else "Spending progress by month (G4, M4)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig


def score_breakdown(report: ScoreReport, *, lang: str = "en") -> Figure:
    """One unit's score: base points by item against each maximum, bonus lines raw vs capped.

    Left: each item's points (dark) over its maximum (light). Right: each bonus rule's raw points
    (hatched), its capped points (dark) and its cap (red tick); the title gives base + bonus
    (after the card's overall bonus cap) = total, and a vetoed unit (一票否决) is marked ✗ with the
    reason.
    """
    key = "zh" if lang == "zh" else "en"
    zh = key == "zh"
    items = report.items
    lines = report.bonus_lines
    with _style() as plt:
        fig, (left, right) = plt.subplots(
            1,
            2,
            figsize=(10.0, 1.0 + 0.5 * max(len(items), len(lines), 2)),
            layout="constrained",
        )
        ys = list(range(len(items)))
        left.barh(ys, [float(i["max"]) for i in items], color="#dde6ef", label="满分" if zh else "maximum")
        left.barh(
            ys,
            [float(i["points"]) for i in items],
            height=0.5,
            color="#2c6e9b",
            label="得分" if zh else "points",
        )
        left.set_yticks(ys, [i["label"][key] for i in items])
        left.invert_yaxis()
        left.set_xlabel("分" if zh else "points")
        left.set_title(f"基础分 {report.base}" if zh else f"Base {report.base}")
        left.legend(loc="lower right", fontsize="small")

        ys = list(range(len(lines)))
        right.barh(
            ys,
            [float(b["raw"]) for b in lines],
            color="none",
            edgecolor="#7f8c8d",
            hatch="//",
            label="原始" if zh else "raw",
        )
        right.barh(
            ys,
            [float(b["capped"]) for b in lines],
            height=0.5,
            color="#27ae60",
            label="计入" if zh else "capped",
        )
        right.scatter(
            [float(b["cap"]) for b in lines],
            ys,
            marker="|",
            s=400,
            color="#c0392b",
            zorder=3,
            label="上限" if zh else "cap",
        )
        right.set_yticks(ys, [b["label"][key] for b in lines])
        right.invert_yaxis()
        right.set_xlabel("分" if zh else "points")
        capped = (
            ""
            if report.bonus == report.bonus_raw
            else (f" (原始 {report.bonus_raw})" if zh else f" (raw {report.bonus_raw})")
        )
        right.set_title(f"加分 {report.bonus}{capped}" if zh else f"Bonus {report.bonus}{capped}")
        right.legend(loc="lower right", fontsize="small")

        title = f"{report.unit}: {report.base} + {report.bonus} = {report.total}"
        if report.failed:
            veto = "一票否决" if zh else "vetoed"
            reason = f": {report.veto_reason}" if report.veto_reason else ""
            title = f"✗ {title} — {veto}{reason}"
        fig.suptitle(title, color="#c0392b" if report.failed else "black")
    return fig
