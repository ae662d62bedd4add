"""What an analyst sees in a notebook: HTML reprs, DataFrames, plots."""

from decimal import Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import fupin


def test_report_and_check_render_as_html_tables() -> None:
    r = fupin.report()
    html = r._repr_html_()
    assert html.count("<table>") == 2 and "247.77%" in html and "✗" in html
    check = r.failures()[0]
    assert "<table>" in check._repr_html_() and "喀左县" in check._repr_html_()
    assert "Checks" in r.to_html("en")


def test_checks_become_a_frame_with_exact_values() -> None:
    r = fupin.report()
    t = r.checks_table()
    assert isinstance(t, pa.Table) and t.num_rows == len(r.checks)
    df = r.to_frame()
    assert isinstance(df, pd.DataFrame)
    kazuo = df[(df["subject"] == "喀左县") & (df["id"] == "M1c.unit_quota")].iloc[0]
    assert kazuo["shortfall"] == Decimal("2000000") and not kazuo["passed"]
    pf = r.to_frame("polars")
    assert isinstance(pf, pl.DataFrame) and pf.height == len(r.checks)
    with pytest.raises(fupin.FupinError, match="library"):
        r.to_frame("excel")  # type: ignore[arg-type]


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
def test_county_input_plot_returns_a_figure() -> None:
    from matplotlib.figure import Figure

    from fupin import plot

    fig = plot.county_input(fupin.report())
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][2] == "喀左县 ✗"
    assert len(ax.patches) == 14  # two bars for each of the 7 units


def test_scorecards_tasks_and_bulletins_render_and_become_frames() -> None:
    card = fupin.Scorecard.chaoyang_2020("b")
    html = card._repr_html_()
    assert "<table>" in html and "总体成效" in html and "30" in html
    assert "Overall effect" in card.to_html("en")
    tasks = fupin.check_tasks(
        {
            "training": {"trainees": 100, "registered_poor": 19},
            "pairing": [{"township": "甲乡", "leading_industries": 0}],
        }
    )
    frame = tasks.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert sorted(frame.loc[~frame["passed"], "id"]) == [
        "M9.township_leading_industry",
        "T3.training_registered_poor_share",
    ]
    ledger = fupin.Ledger.from_records(
        [{"month": "2020-01", "county": "朝阳县", "allocated": "100万元", "spent": "10万元"}]
    )
    bulletin = fupin.bulletin(ledger, "2020-01")
    assert isinstance(bulletin.to_frame("polars"), pl.DataFrame)
