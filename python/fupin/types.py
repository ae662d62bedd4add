"""The shapes of the dicts fupin returns, for type checkers and for readers.

Every amount is a :class:`~decimal.Decimal` of yuan, every ratio a ``Decimal`` fraction (0.2 is
20 %), percentage points a ``Decimal`` of points, dates :class:`datetime.date`. Keys marked
``NotRequired`` are absent when they do not apply (they are never ``None``-padded).

>>> from fupin.types import CountyResult
>>> import fupin
>>> row: CountyResult = fupin.report().counties[0]
>>> sorted(row)[:3]
['adjustment_owed', 'growth', 'kind']
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

__all__ = [
    "AllocationPlan",
    "AmountLike",
    "BonusLine",
    "BulletinRow",
    "ChainHead",
    "CountyResult",
    "Figures",
    "ItemLine",
    "LabelDict",
    "LedgerEntry",
    "Obligation",
    "ObligationStatus",
    "Progress",
    "ScheduleComparison",
    "TaskResult",
]

#: What an amount may be given as: an exact ``Decimal`` or ``int`` of yuan, or text such as
#: ``"2500万元"`` (never a float).
AmountLike = Decimal | int | str


class LabelDict(TypedDict):
    """A text in Chinese and English."""

    zh: str
    en: str


class CountyResult(TypedDict):
    """One county-level unit against its quota and growth target (M1c, task 8)."""

    name: str
    kind: Literal["county", "county_city", "district"]
    quota: Decimal
    last_year: Decimal
    this_year: Decimal
    growth: NotRequired[Decimal]
    required: Decimal
    meets_quota: bool
    meets_growth: bool
    adjustment_owed: Decimal


class ItemLine(TypedDict):
    """One item of a scorecard, scored and explained."""

    section: str
    id: str
    source: str
    label: LabelDict
    points: Decimal
    max: Decimal
    explanation: LabelDict


class BonusLine(TypedDict):
    """One bonus rule, before and after its cap, explained."""

    id: str
    source: str
    label: LabelDict
    kind: Literal["per_step", "per_count", "discretionary"]
    raw: Decimal
    cap: Decimal
    capped: Decimal
    explanation: LabelDict


class TaskResult(TypedDict):
    """One task of the task table: target, actual figure, completion (a fraction), met."""

    id: str
    clause: str
    label: LabelDict
    lead_unit: LabelDict
    main_indicator: bool
    weight: Decimal
    target: dict[str, object]
    actual: Decimal
    completion: Decimal
    met: bool
    cumulative: NotRequired[dict[str, int]]


class Progress(TypedDict):
    """Cumulative allocated and spent at the end of a month; progress absent when nothing is
    allocated."""

    allocated: Decimal
    spent: Decimal
    progress: NotRequired[Decimal]


class LedgerEntry(TypedDict):
    """One row of a spending ledger."""

    month: str
    county: str
    project: NotRequired[str]
    fund_source: NotRequired[str]
    allocated: Decimal
    spent: Decimal


class ScheduleComparison(TypedDict):
    """Progress against the schedule (序时进度), decided exactly."""

    required: Decimal
    required_amount: Decimal
    standing: Literal["ahead", "on_schedule", "behind", "no_allocation"]
    gap: NotRequired[Decimal]
    to_catch_up: Decimal


class Figures(TypedDict):
    """A unit's (or the city's) figures in a bulletin."""

    allocated: Decimal
    spent: Decimal
    progress: NotRequired[Decimal]
    previous: NotRequired[Decimal]
    change: NotRequired[Decimal]
    schedule: NotRequired[ScheduleComparison]


class BulletinRow(TypedDict):
    """One ranked unit of a monthly bulletin (rank absent with nothing allocated)."""

    rank: NotRequired[int]
    county: str
    figures: Figures


class AllocationPlan(TypedDict):
    """Next year's allocation linked to the bulletin (M4 奖优惩劣)."""

    month: str
    parameters: dict[str, object]
    total: Decimal
    step: Decimal
    rows: list[dict[str, object]]


class Obligation(TypedDict):
    """A dated duty of the plan (M5, task 8, O1, M4, M1c)."""

    key: str
    id: str
    period: str
    clause: str
    section: str
    label: LabelDict
    due: datetime.date
    starts: NotRequired[datetime.date]


class ObligationStatus(TypedDict):
    """An obligation's status on a day."""

    obligation: Obligation
    on: datetime.date
    status: Literal["done_on_time", "done_late", "done_before_window", "overdue", "not_yet_due"]
    done: NotRequired[datetime.date]


class ChainHead(TypedDict):
    """The head of an audit log's hash chain: keep it apart from the log."""

    count: int
    hash: str
