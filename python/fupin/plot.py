"""Plots for notebooks (optional: ``pip install 'fupin[plot]'``, which brings matplotlib).

Every function returns a :class:`matplotlib.figure.Figure` made with pyplot and never calls
``show()``. In a notebook, matplotlib's inline backend shows each new figure at the end of the cell,
as ``df.plot()`` does in pandas: write ``fig = plot.county_input(r)`` (leaving the figure as the
cell's value would show it twice). In a script, ``fig.savefig(...)`` or ``plt.show()``. Values are
converted to floats **only here, for drawing**; every figure's numbers come from exact results.

Chinese reads on every machine: the package ships a CJK font, "fupin Sans SC" — Noto Sans CJK SC
(SIL Open Font License 1.1, ``fonts/OFL.txt``) subset to GB2312's 6,763 characters, punctuation
and every character of the embedded plan — and draws with it first, then with an installed CJK
font, then DejaVu Sans. A character none of them has (a rare one in a village's name) is drawn
as □ rather than as an empty box matplotlib warns about at every draw, and a
:class:`MissingGlyphWarning` says once which characters and how to fix it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from fupin._fupin import Ledger, Report, Schedule, ScoreReport

__all__ = ["CJK_FONTS", "MissingGlyphWarning", "county_input", "score_breakdown", "spending_progress"]

Lang = Literal["zh", "en"]

#: The font shipped with fupin (a subset of Noto Sans CJK SC).
BUNDLED_FONT = Path(__file__).with_name("fonts") / "fupin-sans-sc.otf"
BUNDLED_FAMILY = "fupin Sans SC"

#: Fonts tried after the bundled one for a character it lacks, in order, where installed.
CJK_FONTS = [
    BUNDLED_FAMILY,
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
]

WAN = Decimal(10_000)

#: What a character no font has is drawn as.
MISSING = "□"


class MissingGlyphWarning(UserWarning):
    """No font fupin can use draws some characters of a figure; they are drawn as □."""


@cache
def _fonts() -> tuple[list[str], frozenset[int]]:
    """The font families to draw with (bundled first) and every code point they draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    if BUNDLED_FONT.is_file() and BUNDLED_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(BUNDLED_FONT))
    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    family = [f for f in CJK_FONTS if f in by_name]
    covered: set[int] = set()
    for name in family:
        try:
            covered |= set(FT2Font(by_name[name]).get_charmap())
        except (OSError, RuntimeError):  # pragma: no cover - an unreadable font file
            continue
    return family or ["sans-serif"], frozenset(covered)


_warned: set[str] = set()


def _drawable(fig: Figure) -> Figure:
    """Replace characters no font draws with □, and say once which and how to fix it."""
    from matplotlib.text import Text

    _, covered = _fonts()
    missing: set[str] = set()
    for text in fig.findobj(Text):
        s = text.get_text()
        lacking = {c for c in s if ord(c) not in covered and not c.isspace()}
        if lacking:
            missing |= lacking
            text.set_text("".join(MISSING if c in lacking else c for c in s))
    new = missing - _warned
    if new:
        _warned.update(new)
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(new))
        warnings.warn(
            f"no font draws {shown}: drawn as {MISSING}. Install a CJK font with these characters "
            "(Debian/Ubuntu: apt install fonts-noto-cjk; Windows and macOS have one) and add its "
            "name to fupin.plot.CJK_FONTS.",
            MissingGlyphWarning,
            stacklevel=3,
        )
    return fig


@contextmanager
def _style() -> Iterator[Any]:
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as e:  # pragma: no cover - exercised only without the extra
        hint = "fupin.plot needs matplotlib: pip install 'fupin[plot]'"
        raise ModuleNotFoundError(hint, name=e.name) from e
    # The fonts named as families themselves: a text keeps its family from when it is made, so
    # the figure draws with them after this context is left too (in a notebook, when the cell's
    # value is displayed); a generic "sans-serif" would be looked up again at drawing time.
    family, _ = _fonts()
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


def county_input(report: Report, *, lang: Lang = "en") -> Figure:
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
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return _drawable(fig)


def spending_progress(
    ledger: Ledger, months: Sequence[str], schedule: Schedule | None = None, *, lang: Lang = "en"
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
        # Ten distinct colours, and a marker and dash pattern per unit on top, so that seven or
        # more units stay apart in print and for colour-blind readers.
        colours = plt.get_cmap("tab10").colors
        markers = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
        dashes = ["-", "--", "-.", ":"]
        for i, county in enumerate(ledger.units):
            ys = [_percent(ledger.progress(county, m)["progress"]) for m in months]
            ax.plot(
                xs,
                ys,
                color=colours[i % len(colours)],
                marker=markers[i % len(markers)],
                linestyle=dashes[i // len(markers) % len(dashes)],
                markersize=5,
                linewidth=1.5,
                label=county + (" ✗" if county in behind else ""),
            )
        city = [_percent(ledger.city_progress(m)["progress"]) for m in months]
        ax.plot(xs, city, color="black", linewidth=3, alpha=0.6, label="全市" if zh else "city")
        if schedule is not None:
            # The schedule as the user gave it: each requirement holds from the end of its month
            # to the next point (a step after each point, no interpolation).
            required = [_percent(schedule.required_for(m)) for m in months]
            ax.step(
                xs,
                required,
                where="post",
                color="#c0392b",
                linewidth=2.5,
                label="序时进度" if zh else "required (schedule)",
            )
        ax.set_xticks(xs, months, rotation=45 if len(months) > 6 else 0)
        ax.set_ylabel("累计支出进度 (%)" if zh else "cumulative progress (%)")
        ax.set_title("扶贫资金支出进度 (G4, M4)" if zh else "Spending progress by month (G4, M4)")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return _drawable(fig)


def score_breakdown(report: ScoreReport, *, lang: Lang = "en") -> Figure:
    """One unit's score: base points by item against each maximum, bonus lines raw vs capped.

    Left: each item's points (dark) over its maximum (light). Right: each bonus rule's raw points
    (hatched), its capped points (dark) and its cap (red tick); the title gives base + bonus
    (after the card's overall bonus cap) = total, and a vetoed unit (一票否决) is marked ✗ with the
    reason.
    """
    key: Lang = "zh" if lang == "zh" else "en"
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
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize="small", frameon=False)

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
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize="small", frameon=False)

        title = f"{report.unit}: {report.base} + {report.bonus} = {report.total}"
        if report.failed:
            veto = "一票否决" if zh else "vetoed"
            reason = f": {report.veto_reason}" if report.veto_reason else ""
            title = f"✗ {title} — {veto}{reason}"
        fig.suptitle(title, color="#c0392b" if report.failed else "black")
    return _drawable(fig)
