"""Plots of spending progress and of one unit's score (fupin.plot, optional matplotlib extra)."""

import json
import math
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import fupin
from fupin import plot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MONTHS = [f"2020-{m:02d}" for m in range(1, 7)]


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def ledger() -> fupin.Ledger:
    return fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text(encoding="utf-8"))


def schedule() -> fupin.Schedule:
    return fupin.Schedule.from_toml((EXAMPLES / "schedule_example.toml").read_text(encoding="utf-8"))


def unit_a(i: int) -> dict[str, object]:
    return json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))[i]


def test_spending_progress_draws_a_line_per_unit_the_city_and_the_schedule() -> None:
    led = ledger()
    fig = plot.spending_progress(led, MONTHS, schedule())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    # 7 units + city + schedule; the three units behind the June schedule are marked ✗.
    assert len(lines) == 9
    assert {k for k in lines if k.endswith(" ✗")} == {"建平县 ✗", "北票市 ✗", "龙城区 ✗"}
    assert list(lines["双塔区"].get_ydata()) == pytest.approx(
        [float(led.progress("双塔区", m)["progress"]) * 100 for m in MONTHS]
    )
    assert lines["双塔区"].get_ydata()[-1] == pytest.approx(70.0)
    required = list(lines["required (schedule)"].get_ydata())
    assert math.isnan(required[0])  # the example schedule starts in March
    assert required[2] == pytest.approx(20.0) and required[-1] == pytest.approx(50.0)
    assert [t.get_text() for t in ax.get_xticklabels()] == MONTHS


def test_spending_progress_without_a_schedule_has_no_schedule_line_or_marks() -> None:
    fig = plot.spending_progress(ledger(), MONTHS[:3], lang="zh")
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert len(labels) == 8 and "全市" in labels and not any("✗" in k for k in labels)


def test_spending_progress_needs_a_month_and_a_valid_one() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        plot.spending_progress(ledger(), [])
    with pytest.raises(fupin.FupinError):
        plot.spending_progress(ledger(), ["2020-13"])


def test_score_breakdown_shows_items_against_maxima_and_capped_bonus_lines() -> None:
    report = fupin.score("a", unit_a(0))
    fig = plot.score_breakdown(report)
    assert isinstance(fig, Figure)
    base_ax, bonus_ax = fig.axes
    widths = [p.get_width() for p in base_ax.patches]
    assert widths == [80.0, 20.0, 72.5, 18.0]  # maxima, then points
    assert [t.get_text() for t in base_ax.get_yticklabels()] == [
        "Completion of annual targets",
        "Daily work responsibility",
    ]
    raw_and_capped = [p.get_width() for p in bonus_ax.patches]
    # commendations: 3 × 0.5 + 1 = 2.5 raw, capped at 2.
    assert raw_and_capped == [3.0, 6.0, 2.5, 1.5, 3.0, 6.0, 2.0, 1.5]
    assert fig.get_suptitle().endswith("90.5 + 12.5 = 103")
    assert not fig.get_suptitle().startswith("✗")


def test_score_breakdown_marks_a_vetoed_unit_with_its_reason() -> None:
    report = fupin.score("a", unit_a(2))
    assert report.failed
    title = plot.score_breakdown(report, lang="zh").get_suptitle()
    assert title.startswith("✗") and "一票否决" in title and str(report.veto_reason) in title


def test_score_breakdown_draws_every_item_of_card_b() -> None:
    card_b = json.loads((EXAMPLES / "score_b.json").read_text(encoding="utf-8"))
    report = fupin.score("b", card_b[0] if isinstance(card_b, list) else card_b)
    base_ax, _ = plot.score_breakdown(report).axes
    assert len(base_ax.get_yticklabels()) == len(report.items)


def test_figures_keep_the_cjk_font_list_after_they_are_made() -> None:
    # Drawn later (a notebook displays the cell's value after the call returns), a figure must
    # still name the fonts of the list, not the generic family of the default settings.
    fig = plot.score_breakdown(fupin.score("a", unit_a(1)), lang="zh")
    family = fig.axes[0].title.get_fontfamily()
    assert family and family[0] == plot.BUNDLED_FAMILY and set(family) <= set(plot.CJK_FONTS)
    assert plt.rcParams["font.family"] == ["sans-serif"]  # the caller's settings are untouched


def all_figures(lang: str) -> list[Figure]:
    led = ledger()
    return [
        plot.county_input(fupin.report(), lang=lang),  # type: ignore[arg-type]
        plot.spending_progress(led, MONTHS, schedule(), lang=lang),  # type: ignore[arg-type]
        plot.score_breakdown(fupin.score("a", unit_a(2)), lang=lang),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_every_figure_draws_every_glyph_with_the_bundled_font(lang: str, fmt: str, tmp_path: Path) -> None:
    """No "Glyph missing" warning (warnings are errors here) on any machine: the Chinese comes
    from the font fupin ships, not from whatever the machine has installed."""
    from matplotlib import font_manager

    for i, fig in enumerate(all_figures(lang)):
        fig.savefig(tmp_path / f"{i}.{fmt}")
        title = fig.axes[0].title
        assert font_manager.findfont(title.get_fontproperties()) == str(plot.BUNDLED_FONT)


def test_a_character_no_font_has_is_drawn_as_a_box_with_one_warning(tmp_path: Path) -> None:
    rare = "𪚥"  # U+2A6A5, outside GB2312: no bundled glyph
    led = fupin.Ledger.from_records(
        [{"month": "2020-01", "county": f"{rare}县", "allocated": "1", "spent": "1"}], units=[f"{rare}县"]
    )
    plot._warned.discard(rare)
    with pytest.warns(plot.MissingGlyphWarning, match="apt install fonts-noto-cjk"):
        fig = plot.spending_progress(led, ["2020-01"])
    assert any(t.get_text() == "□县" for t in fig.axes[0].get_legend().get_texts())
    fig.savefig(tmp_path / "box.png")  # and matplotlib itself warns of nothing
    plot.spending_progress(led, ["2020-01"])  # the second time, no warning (it would be an error)
