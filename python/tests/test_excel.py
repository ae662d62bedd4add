"""Excel out from Python: `to_excel(path)` on the report, the bulletin and a unit's score, and
`scores_to_excel` for a ranking — read back with openpyxl, numbers as numbers."""

from decimal import Decimal
from pathlib import Path

import openpyxl

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_report_to_excel_writes_the_county_table_and_the_checks(tmp_path):
    path = tmp_path / "检查.xlsx"
    assert fupin.report().to_excel(path) is None
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["县(市)区投入", "检查与条款", "市本级与整合"]
    sheet = book["县(市)区投入"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "喀左县")
    assert row[4] == 2300 and row[7] == 200


def test_bulletin_to_excel_in_english(tmp_path):
    ledger = fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text(encoding="utf-8"))
    schedule = fupin.Schedule.from_dict(
        {"name": "example", "points": [{"by": "2020-06-30", "required": "50%"}]}
    )
    b = fupin.bulletin(ledger, "2020-06", schedule)
    path = tmp_path / "bulletin.xlsx"
    b.to_excel(str(path), lang="en")
    sheet = openpyxl.load_workbook(path)["Bulletin"]
    units = {r[1]: r for r in sheet.iter_rows(values_only=True) if r[1]}
    assert units["建平县"][2] == 11000 and units["建平县"][8] == 220
    assert Decimal(str(units["建平县"][4])) == Decimal("0.48")


def test_scores_to_excel_ranks_the_units(tmp_path):
    import json

    inputs = json.loads((EXAMPLES / "score_a.json").read_text(encoding="utf-8"))
    reports = [fupin.score("a", i) for i in inputs]
    path = tmp_path / "考核.xlsx"
    fupin.scores_to_excel(reports, path)
    ranking = openpyxl.load_workbook(path)["排名"]
    rows = [r for r in ranking.iter_rows(values_only=True) if isinstance(r[0], (int, float))]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert rows[2][5].startswith("否决")
    reports[0].to_excel(tmp_path / "one.xlsx")
    assert (tmp_path / "one.xlsx").stat().st_size > 0
