"""Every public function driven with arbitrary Python values: only FupinError or TypeError.

Issue 10's promise for Python: hostile or sloppy values — nested at random, cyclic, huge
integers, bytes, floats, NaN, numpy scalars, sets, dates — are refused with a ``FupinError``
subclass (a ``ValueError``) or a ``TypeError``, never a crash, a ``PanicException``, another
exception type or a hang. Two kinds of values: arbitrary ones, and valid inputs (the examples)
with one value somewhere replaced, which reach past the first check into the rules.

A watchdog thread of ``faulthandler`` (it needs no GIL), armed again for every example, ends the
run if one example takes a minute — a hang — writing every thread's stack to
``$TMPDIR/fupin-fuzz-hang-<pid>.txt`` (pytest holds the terminal's stderr); hypothesis flags any
example slower than its deadline. The run is derandomised, so CI sees the same examples each
time; ``FUPIN_FUZZ_EXAMPLES=20000`` runs a longer campaign.
"""

from __future__ import annotations

import copy
import datetime
import faulthandler
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fupin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALLOWED = (fupin.FupinError, TypeError)
EXAMPLES_PER_TEST = int(os.environ.get("FUPIN_FUZZ_EXAMPLES", "150"))
HANG_SECONDS = 60
HANG_LOG = Path(tempfile.gettempdir()) / f"fupin-fuzz-hang-{os.getpid()}.txt"

FUZZ = settings(
    max_examples=EXAMPLES_PER_TEST,
    deadline=datetime.timedelta(seconds=2),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True, scope="module")
def no_hang() -> Iterator[None]:
    with HANG_LOG.open("w") as log:
        _watchdog.append(log)
        yield
        faulthandler.cancel_dump_traceback_later()
        _watchdog.clear()
    HANG_LOG.unlink(missing_ok=True)


_watchdog: list[Any] = []


def arm() -> None:
    """(Re)start the hang watchdog for one example."""
    if _watchdog:
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=_watchdog[0])


def names_in(value: Any) -> set[str]:
    """Every dict key of a valid input: random dicts use them, to get past unknown-field checks."""
    if isinstance(value, dict):
        return set(value) | {n for v in value.values() for n in names_in(v)}
    if isinstance(value, list):
        return {n for v in value for n in names_in(v)}
    return set()


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


VALID: dict[str, Any] = {
    "policy": fupin.Policy.chaoyang_2020().to_dict(),
    "data": fupin.PlanData.chaoyang_2020().to_dict(),
    "card": fupin.Scorecard.chaoyang_2020("a").to_dict(),
    "unit": example("score_a.json")[0],
    "tasks": example("tasks_2020.json"),
    "ledger": [
        {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()}
        for row in fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text("utf-8")).to_dict()[
            "entries"
        ]
    ][:20],
    "schedule": {"name": "t", "points": [{"by": "2020-06-30", "required": "40%"}]},
}
KEYS = sorted(set().union(*(names_in(v) for v in VALID.values())))

numpy_scalars = st.integers(-(2**31), 2**31 - 1).flatmap(
    lambda i: st.sampled_from([np.int64(i), np.int32(i), np.float64(i), np.bool_(i % 2), np.uint64(abs(i))])
)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # unbounded: huge values too
    st.integers(-(10**30), 10**30),
    st.text(max_size=20),
    st.sampled_from(["", "0", "-1", "7,5", "2,5万元", "1e400", "NaN", "135%", "2020-13", "\x1b[2J", "１０"]),
    st.binary(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    numpy_scalars,
    st.frozensets(st.integers(), max_size=3),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=8), st.integers(), st.none())
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(keys, children, max_size=5),
        st.sets(st.integers(), max_size=3),
    ),
    max_leaves=25,
)


@st.composite
def with_cycle(draw: st.DrawFn) -> Any:
    """A dict or list that contains itself somewhere."""
    outer = draw(
        st.one_of(
            st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=4),
            st.lists(values, min_size=1, max_size=4),
        )
    )
    if isinstance(outer, dict):
        outer[draw(st.sampled_from(KEYS))] = outer
    else:
        outer.append(outer)
    return outer


def leaf_paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict) and value:
        return [at] + [p for k, v in value.items() for p in leaf_paths(v, (*at, k))]
    if isinstance(value, list) and value:
        return [at] + [p for i, v in enumerate(value) for p in leaf_paths(v, (*at, i))]
    return [at]


@st.composite
def mutated(draw: st.DrawFn, name: str) -> Any:
    """A valid input with the value at one path replaced by an arbitrary one (or a cycle)."""
    value = copy.deepcopy(VALID[name])
    path = draw(st.sampled_from(leaf_paths(value)))
    replacement = draw(st.one_of(values, with_cycle()))
    if not path:
        return replacement
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    return value


def only_allowed(call: Callable[[], Any]) -> None:
    arm()
    try:
        call()
    except ALLOWED:
        pass


BULLETIN = fupin.bulletin(fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text("utf-8")), "2020-06")
TASKS_REPORT = fupin.check_tasks(VALID["tasks"])
AT = datetime.datetime(2020, 4, 1, 9, tzinfo=datetime.UTC)

DICT_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "policy": fupin.Policy.from_dict,
    "data": fupin.PlanData.from_dict,
    "card": fupin.Scorecard.from_dict,
    "unit": lambda x: fupin.score("a", x),
    "tasks": fupin.check_tasks,
    "ledger": fupin.Ledger.from_records,
    "schedule": fupin.Schedule.from_dict,
}


@pytest.mark.parametrize("name", sorted(DICT_FUNCTIONS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_inputs_are_read_or_refused(name: str, data: st.DataObject) -> None:
    only_allowed(lambda: DICT_FUNCTIONS[name](data.draw(mutated(name))))


@FUZZ
@given(x=st.one_of(values, with_cycle()), y=values)
def test_arbitrary_values_anywhere_are_read_or_refused(x: Any, y: Any) -> None:
    for function in DICT_FUNCTIONS.values():
        only_allowed(lambda f=function: f(x))
    only_allowed(lambda: fupin.score("b", x))
    only_allowed(lambda: fupin.score(x, y))
    only_allowed(lambda: TASKS_REPORT.apply_to(x))
    only_allowed(lambda: fupin.adjust_allocation(BULLETIN, {"朝阳县": x}, y))
    only_allowed(lambda: fupin.adjust_allocation(BULLETIN, {"朝阳县": 1}, "1亿元", x))
    only_allowed(lambda: fupin.admit_project(x, y))
    only_allowed(lambda: fupin.enter(x, "JP-2020-001", y, AT))
    only_allowed(lambda: fupin.Ledger.from_records([x]))


@FUZZ
@given(text=st.one_of(st.text(max_size=200), st.sampled_from(["", "[", "{}", "a,b\n1,2", "\ufeff[]"])))
def test_arbitrary_text_is_read_or_refused(text: str) -> None:
    for parse in (
        fupin.Policy.from_toml,
        fupin.Policy.from_json,
        fupin.PlanData.from_toml,
        fupin.PlanData.from_json,
        fupin.Scorecard.from_toml,
        fupin.Scorecard.from_json,
        fupin.Schedule.from_toml,
        fupin.Schedule.from_json,
        fupin.Ledger.from_csv,
        fupin.Ledger.from_json,
        fupin.verify_log,
        fupin.replay_log,
        fupin.AuditLog.from_jsonl,
    ):
        only_allowed(lambda p=parse: p(text))


# --- the rest of the public API: calendar, approvals, ranking, ledgers' year and units, tables ----

LEDGER = fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text("utf-8"))
SCHEDULE = fupin.Schedule.from_dict(VALID["schedule"])
REPORTS = [fupin.score("a", unit) for unit in example("score_a.json")]
AUDIT = (EXAMPLES / "approvals_2020.jsonl").read_text("utf-8")
REGISTRY = str(EXAMPLES / "registry_2020.toml")
STATES = list(fupin.replay_log(AUDIT, registry=REGISTRY).values())
START, END = datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)


@FUZZ
@given(x=st.one_of(values, with_cycle()), y=values, z=values)
def test_arbitrary_values_reach_every_other_function(x: Any, y: Any, z: Any) -> None:
    only_allowed(lambda: fupin.report(x, y))
    only_allowed(lambda: fupin.obligations_due(x, y))
    only_allowed(lambda: fupin.obligations_due(START, END, x))
    only_allowed(lambda: fupin.obligation_status(START, END, x, y))
    only_allowed(lambda: fupin.obligation_status(START, END, END, {"M5.rectification": x}))
    only_allowed(lambda: fupin.obligation_status(START, END, END, x))
    only_allowed(lambda: fupin.rank(x))
    only_allowed(lambda: fupin.rank([*REPORTS, x]))
    only_allowed(lambda: fupin.check_performance_targets(x))
    only_allowed(lambda: fupin.check_performance_targets([*STATES, x]))
    only_allowed(lambda: fupin.transition(STATES[0], x, y, AT, z))
    only_allowed(lambda: fupin.transition(STATES[0], "apply", x, y, z))
    only_allowed(lambda: fupin.verify_log(AUDIT, x, REGISTRY))
    only_allowed(lambda: fupin.verify_log(AUDIT, None, x))
    only_allowed(lambda: fupin.replay_log(AUDIT, x, REGISTRY))
    only_allowed(lambda: fupin.replay_log(AUDIT, None, x))
    only_allowed(lambda: fupin.AuditLog.sample_2020().record(x, y, z, AT))
    only_allowed(lambda: fupin.AuditLog.sample_2020().enter(x, y, z, AT))
    only_allowed(lambda: fupin.Scorecard.from_policy(fupin.Policy.chaoyang_2020(), x))
    only_allowed(lambda: fupin.Ledger.from_csv((EXAMPLES / "ledger_2020.csv").read_text("utf-8"), x, y))
    only_allowed(lambda: fupin.Ledger.from_records(VALID["ledger"], x, y))
    only_allowed(lambda: LEDGER.progress(x, y))
    only_allowed(lambda: LEDGER.city_progress(x))
    only_allowed(lambda: SCHEDULE.required_for(x))
    only_allowed(lambda: fupin.bulletin(LEDGER, x, y))
    only_allowed(lambda: fupin.bulletin(LEDGER, "2020-06", x))
    only_allowed(lambda: fupin.score_table(x, y))
    only_allowed(lambda: fupin.spending_progress_table(x, y))
    only_allowed(lambda: fupin.check_funds_table(x))


pa = pytest.importorskip("pyarrow")

TABLES: dict[str, tuple[Callable[[Any], Any], dict[str, list[Any]]]] = {
    "score": (
        lambda t: fupin.score_table("a", t),
        {
            "unit": ["u1", "u2"],
            "annual_targets": ["80", "40"],
            "daily_responsibility": ["20", "10"],
            "over_completion": ["110%", "100%"],
            "upward_funds": ["10", "0"],
            "innovation": ["0.5", "0"],
            "commendations.provincial": [1, 0],
            "commendations.national": [0, 2],
            "vetoed": [False, True],
        },
    ),
    "funds": (
        fupin.check_funds_table,
        {
            "name": ["朝阳县", "双塔区"],
            "kind": ["county", "区"],
            "last_year": ["2000万元", "0.03"],
            "this_year": ["2500万元", "1"],
        },
    ),
    "spending": (
        lambda t: fupin.spending_progress_table(t, ["2020-06"]),
        {
            "month": ["2020-01", "2020-06"],
            "county": ["朝阳县", "建平县"],
            "allocated": ["100万元", "50万元"],
            "spent": ["20万元", "10万元"],
        },
    ),
}

# Each valid table is read (and the first call's one-time set-up stays out of the deadline).
for _function, _columns in TABLES.values():
    _function(pa.table(_columns))


@st.composite
def odd_column(draw: st.DrawFn) -> Any:
    """An Arrow column of arbitrary values (huge ints, bytes, floats, dates, nested lists…)."""
    cells = draw(st.lists(values, min_size=2, max_size=2))
    try:
        return pa.array(cells)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.array([repr(c) for c in cells])


@pytest.mark.parametrize("name", sorted(TABLES))
@FUZZ
@given(data=st.data())
def test_tables_with_an_odd_column_are_read_or_refused(name: str, data: st.DataObject) -> None:
    function, columns = TABLES[name]
    table = pa.table(columns)
    column = data.draw(st.sampled_from([*columns, "extra"]))
    replacement = data.draw(odd_column())
    table = table.drop_columns([column]) if column in columns else table
    only_allowed(lambda: function(table.append_column(column, replacement)))
