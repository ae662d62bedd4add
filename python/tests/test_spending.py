"""Spending progress and the calendar from Python: records in, Decimal and dates out, errors."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fupin

ROOT = Path(__file__).resolve().parents[2]
LEDGER_CSV = (ROOT / "examples" / "ledger_2020.csv").read_text(encoding="utf-8")
SCHEDULE = fupin.Schedule.from_toml((ROOT / "examples" / "schedule_example.toml").read_text(encoding="utf-8"))

UNITS = ["甲县", "乙市", "丙区"]
RECORDS = [  # a small hand-made ledger, as pandas' df.to_dict("records") would give it
    {"month": "2020-01", "county": "甲县", "allocated": Decimal("1000000"), "spent": 100000},
    {"month": "2020-02", "county": "甲县", "allocated": 0, "spent": "30万元"},
    {"month": "2020-01", "county": "乙市", "fund_source": "中央", "allocated": 1500000, "spent": 0},
    {"month": "2020-02", "county": "乙市", "fund_source": "中央", "allocated": 0, "spent": 600000},
    {"month": "2020-03", "county": "乙市", "fund_source": "中央", "allocated": 500000, "spent": 0},
]


def hand_made() -> fupin.Ledger:
    return fupin.Ledger.from_records(RECORDS, year=2020, units=UNITS)


def test_progress_is_exact_from_a_list_of_dicts() -> None:
    ledger = hand_made()
    assert ledger.year == 2020 and ledger.units == UNITS
    p = ledger.progress("乙市", "2020-03")
    assert p == {"allocated": Decimal("2000000"), "spent": Decimal("600000"), "progress": Decimal("0.3")}
    assert ledger.city_progress("2020-02")["progress"] == Decimal("0.4")  # (40 + 60) / (100 + 150) 万元
    assert ledger.progress("丙区", "2020-12")["progress"] is None  # nothing allocated: None, no division


def test_bulletin_ranks_flags_and_renders() -> None:
    schedule = fupin.Schedule.from_dict(
        {"name": "test", "points": [{"by": datetime.date(2020, 3, 31), "required": Decimal("0.35")}]}
    )
    b = fupin.bulletin(hand_made(), "2020-03", schedule)
    assert b.month == "2020-03" and b.required == Decimal("0.35")
    assert [(r["rank"], r["county"]) for r in b.rows] == [(1, "甲县"), (2, "乙市"), (None, "丙区")]
    yi = b.rows[1]["figures"]
    assert yi["change"] == Decimal("-10.0") and yi["schedule"]["to_catch_up"] == Decimal("100000")
    assert b.behind_schedule() == ["乙市"]
    assert [c.subject for c in b.checks if not c.passed] == ["乙市", None]
    assert "⚠ 落后序时进度" in b.to_text() and "| city total |" in b.to_markdown("en")


def test_example_ledger_june_bulletin() -> None:
    b = fupin.bulletin(fupin.Ledger.from_csv(LEDGER_CSV), "2020-06", SCHEDULE)
    assert b.behind_schedule() == ["建平县", "北票市", "龙城区"]
    assert b.city["progress"] == Decimal("29895") / Decimal("57000")
    # Without a schedule (the embedded policy has none: the plan gives no figure) nothing is flagged.
    plain = fupin.bulletin(fupin.Ledger.from_csv(LEDGER_CSV), "2020-06", policy=fupin.Policy.chaoyang_2020())
    assert plain.required is None and plain.behind_schedule() == []


def test_bad_records_name_the_record_field_and_value() -> None:
    bad = [*RECORDS, {"month": "2020-04", "county": "丁县", "allocated": 1, "spent": 1}]
    with pytest.raises(
        fupin.SpendingError, match=r"record \[5\], field `county`: unknown county-level unit `丁县`"
    ):
        fupin.Ledger.from_records(bad, units=UNITS)
    with pytest.raises(fupin.SpendingError, match=r"\[0\]\.spent.*not exact") as e:
        fupin.Ledger.from_records(
            [{"month": "2020-01", "county": "甲县", "allocated": 1, "spent": 0.5}], units=UNITS
        )
    assert (e.value.path, e.value.value, e.value.code) == ("[0].spent", "0.5", "float")
    with pytest.raises(fupin.SpendingError, match="line 2, column 4"):
        fupin.Ledger.from_csv("month,county,allocated,spent\n2020-01,甲县,1,-1\n", units=UNITS)
    with pytest.raises(fupin.FupinError, match="not a month"):
        hand_made().progress("甲县", "2020-13")


def test_allocation_conserves_the_total_and_follows_the_parameters() -> None:
    b = fupin.bulletin(fupin.Ledger.from_csv(LEDGER_CSV), "2020-06", SCHEDULE)
    base = {u: Decimal(1) for u in fupin.Ledger.from_csv(LEDGER_CSV).units}
    plan = fupin.adjust_allocation(
        b,
        base,
        Decimal("10000000"),
        {"reward_top": 1, "reward": "10%", "penalise_behind_schedule": True, "penalty": "10%"},
    )
    amounts = {r["county"]: r["amount"] for r in plan["rows"]}
    assert sum(amounts.values()) == Decimal("10000000")
    assert {r["county"]: r["adjustment"] for r in plan["rows"]}["双塔区"] == "reward"
    assert amounts["双塔区"] > amounts["朝阳县"] > amounts["建平县"]
    with pytest.raises(fupin.SpendingError, match="has no base weight"):
        fupin.adjust_allocation(b, {"双塔区": 1}, 100)


@settings(max_examples=50, deadline=None)
@given(
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=7, max_size=7),
    total=st.integers(min_value=0, max_value=10**12),
)
def test_allocation_always_adds_up_to_the_total(weights: list[int], total: int) -> None:
    b = fupin.bulletin(fupin.Ledger.from_csv(LEDGER_CSV), "2020-06", SCHEDULE)
    base = dict(zip([r["county"] for r in b.rows], weights, strict=True))
    amount = Decimal(total) / 100
    try:
        plan = fupin.adjust_allocation(
            b, base, amount, {"reward_top": 2, "reward": "5%", "penalty_bottom": 2, "penalty": "5%"}
        )
    except fupin.SpendingError as e:
        assert "every adjusted weight is zero" in str(e)
        return
    assert sum(r["amount"] for r in plan["rows"]) == amount


def test_calendar_dates_in_and_out() -> None:
    d = datetime.date
    due = fupin.obligations_due(d(2020, 5, 1), d(2020, 5, 31))
    inspection = next(o for o in due if o["key"] == "M5.third_party_inspection")
    assert inspection["due"] == d(2020, 5, 31) and inspection["starts"] == d(2020, 4, 11)
    assert inspection["clause"] == "M5" and inspection["label"]["en"].startswith("third-party")

    status = {
        s["obligation"]["key"]: s
        for s in fupin.obligation_status(d(2020, 7, 1), d(2020, 8, 31), d(2020, 8, 1))
    }
    assert status["M5.rectification"]["status"] == "overdue"
    assert status["T8.rectification"]["status"] == "not_yet_due"
    done = {"M5.rectification": d(2020, 7, 30)}
    status = {
        s["obligation"]["key"]: s
        for s in fupin.obligation_status(d(2020, 7, 1), d(2020, 8, 31), d(2020, 8, 1), done)
    }
    assert status["M5.rectification"]["status"] == "done_on_time"
    assert status["M5.rectification"]["done"] == d(2020, 7, 30)
    with pytest.raises(fupin.CalendarError, match="M5.rectifcation"):
        fupin.obligation_status(
            d(2020, 7, 1), d(2020, 8, 31), d(2020, 8, 1), {"M5.rectifcation": d(2020, 7, 30)}
        )


def test_pandas_and_polars_frames_go_in_as_records() -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    columns = {
        "month": ["2020-01", "2020-02"],
        "county": ["朝阳县", "朝阳县"],
        "allocated": [1_000_000, 0],
        "spent": [250_000, 150_000],
    }
    for records in (pd.DataFrame(columns).to_dict("records"), pl.DataFrame(columns).to_dicts()):
        ledger = fupin.Ledger.from_records(records)
        assert ledger.progress("朝阳县", "2020-02")["progress"] == Decimal("0.4")
    # A float column is refused rather than rounded; strings or Decimal keep it exact.
    with pytest.raises(fupin.SpendingError, match="not exact"):
        fupin.Ledger.from_records(pd.DataFrame({**columns, "spent": [0.1, 0.2]}).to_dict("records"))


def test_frames_with_missing_optional_cells_and_date_months_load() -> None:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    import fupin.spending

    df = pd.DataFrame(
        {
            "month": pd.to_datetime(["2020-01-15", "2020-02-01"]),
            "county": ["朝阳县", "朝阳县"],
            "fund_source": ["中央", None],
            "allocated": [Decimal("1000000.00"), Decimal(0)],
            "spent": ["25万元", "15万元"],
        }
    )
    ledger = fupin.spending.ledger_from_frame(df)
    assert [e.get("fund_source") for e in ledger.entries] == ["中央", None]
    assert ledger.progress("朝阳县", "2020-02")["progress"] == Decimal("0.4")
    table = pa.table(
        {"month": ["2020-01"], "county": ["建平县"], "allocated": [pa.scalar(Decimal("10.01"))], "spent": [0]}
    )
    assert fupin.spending.ledger_from_frame(table).entries[0]["allocated"] == Decimal("10.01")
    with pytest.raises(fupin.SpendingError, match=r"record \[0\], field `county`"):
        fupin.spending.ledger_from_frame([{"month": "2020-01", "county": "x", "allocated": 1, "spent": 1}])
    with pytest.raises(TypeError):
        fupin.spending.ledger_from_frame(42)


def test_bulletin_renders_as_html_in_notebooks() -> None:
    b = fupin.bulletin(fupin.Ledger.from_csv(LEDGER_CSV), "2020-06", SCHEDULE)
    html = b._repr_html_()
    assert html.count("<table>") == 1 and "双塔区" in html and "⚠ 落后序时进度" in html
    assert "Behind schedule (3)" in b.to_html("en")


def test_the_module_examples_run() -> None:
    pytest.importorskip("pandas")
    import doctest

    import fupin.spending

    assert doctest.testmod(fupin.spending).failed == 0
