"""Without pyarrow: polars users still get tables (``__arrow_c_stream__``), and whatever needs
pyarrow says ``pip install 'fupin[arrow]'`` instead of a bare ModuleNotFoundError."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    sys.modules["pyarrow"] = None  # as if it were not installed
    import polars as pl
    import fupin

    counties = pl.DataFrame({"name": ["朝阳县", "喀左县"], "kind": ["county", "county"],
                             "last_year": ["2000万元", "1950万元"], "this_year": ["2500万元", "2300万元"]})
    table = fupin.check_funds_table(counties)
    assert type(table).__name__ == "ArrowTable" and table.num_rows == 2, table
    frame = pl.DataFrame(table)
    assert frame["adjustment_owed"].to_list()[1] == 2_000_000, frame
    assert str(frame.schema["adjustment_owed"]) == "Decimal(precision=38, scale=8)"
    assert fupin.report().to_frame("polars").height == len(fupin.report().checks)
    for call in (lambda: fupin.report().to_frame("pandas"), table.to_pyarrow):
        try:
            call()
        except ModuleNotFoundError as e:
            assert "pip install 'fupin[arrow]'" in str(e) and e.name == "pyarrow", e
        else:
            raise AssertionError("pyarrow was not asked for")
    print("ok")
    """
)


def test_tables_without_pyarrow_and_the_install_hint() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
