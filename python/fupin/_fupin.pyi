"""Type stubs of the compiled core `fupin._fupin` (hand-written; kept honest by mypy.stubtest
and tests/test_stubs.py). The dict shapes live in `fupin.types`, the exceptions in `fupin.errors`."""

import os
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Any, Literal, Protocol, final, overload

import pandas
import polars
import pyarrow

from fupin.types import (
    AllocationPlan,
    AmountLike,
    BonusLine,
    BulletinRow,
    ChainHead,
    CountyResult,
    Figures,
    ItemLine,
    LedgerEntry,
    Obligation,
    ObligationStatus,
    Progress,
    TaskResult,
)

__version__: str
__all__ = [
    "ApprovalLog",
    "ApprovalState",
    "ArrowTable",
    "AuditLog",
    "Bulletin",
    "Check",
    "Comparison",
    "Ledger",
    "PlanData",
    "Policy",
    "RankEntry",
    "Report",
    "Schedule",
    "ScoreReport",
    "Scorecard",
    "TasksReport",
    "__version__",
    "adjust_allocation",
    "admit_project",
    "bulletin",
    "check_funds_table",
    "check_performance_targets",
    "check_tasks",
    "compare",
    "enter",
    "new_key",
    "obligation_status",
    "obligations_due",
    "rank",
    "replay_log",
    "report",
    "score",
    "score_table",
    "scores_to_excel",
    "spending_progress_table",
    "transition",
    "verify_log",
]

_Lang = Literal["zh", "en"]

_Library = Literal["pandas", "polars", "pyarrow"]

class _ArrowStream(Protocol):
    """pyarrow.Table, polars.DataFrame, pandas.DataFrame: anything with ``__arrow_c_stream__``."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...

class _Frames:
    """``to_frame``: the checks as a pandas, polars or pyarrow table."""

    @overload
    def to_frame(self, library: Literal["pandas"] = "pandas") -> pandas.DataFrame: ...
    @overload
    def to_frame(self, library: Literal["polars"]) -> polars.DataFrame: ...
    @overload
    def to_frame(self, library: Literal["pyarrow"]) -> pyarrow.Table: ...

@final
class ArrowTable:
    """A result table where pyarrow is not installed: read it with any Arrow library through
    ``__arrow_c_stream__`` (``pl.DataFrame(table)``); with pyarrow, fupin returns pyarrow.Table."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def to_pyarrow(self) -> pyarrow.Table: ...
    def to_polars(self) -> polars.DataFrame: ...

@final
class Policy:
    """Policy parameters: every number of the plan."""

    @staticmethod
    def chaoyang_2020() -> Policy: ...
    @staticmethod
    def chaoyang_2020_toml() -> str: ...
    @staticmethod
    def from_toml(text: str) -> Policy: ...
    @staticmethod
    def from_json(text: str) -> Policy: ...
    @staticmethod
    def from_dict(data: dict[str, Any]) -> Policy: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def name(self) -> str: ...
    @property
    def year(self) -> int: ...

@final
class PlanData:
    """One year's fund figures of a city."""

    @staticmethod
    def chaoyang_2020() -> PlanData: ...
    @staticmethod
    def from_toml(text: str) -> PlanData: ...
    @staticmethod
    def from_json(text: str) -> PlanData: ...
    @staticmethod
    def from_dict(data: dict[str, Any]) -> PlanData: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def illustrative(self) -> list[str]: ...

@final
class Check:
    """The result of one rule for one subject, citing its clause."""

    @property
    def id(self) -> str: ...
    @property
    def clause(self) -> str: ...
    @property
    def section(self) -> str: ...
    def label(self, lang: _Lang = "zh") -> str: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def actual(self) -> Decimal: ...
    @property
    def actual_kind(self) -> Literal["amount", "ratio", "points", "number"]: ...
    @property
    def threshold(self) -> Decimal: ...
    @property
    def comparison(self) -> Literal["at_least", "at_most", "above"]: ...
    @property
    def passed(self) -> bool: ...
    @property
    def shortfall(self) -> Decimal | None: ...
    def note(self, lang: _Lang = "zh") -> str | None: ...
    @property
    def clause_text(self) -> str | None:
        """The plan's sentence (in its Chinese) the check comes from, or None."""
    def to_dict(self) -> dict[str, Any]: ...
    def _repr_html_(self) -> str: ...

@final
class Report(_Frames):
    """The report of one year: checks, counties, city input and integration."""

    @property
    def passed(self) -> bool: ...
    @property
    def checks(self) -> list[Check]: ...
    def failures(self) -> list[Check]: ...
    @property
    def counties(self) -> list[CountyResult]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_text(self, lang: _Lang = "zh") -> str: ...
    def to_markdown(self, lang: _Lang = "zh") -> str: ...
    def to_html(self, lang: _Lang = "zh") -> str: ...
    def to_excel(self, path: str | os.PathLike[str], lang: _Lang = "zh") -> None: ...
    def _repr_html_(self) -> str: ...
    def checks_table(self) -> pyarrow.Table: ...

def report(policy: Policy | None = None, data: PlanData | None = None) -> Report: ...
def check_funds_table(table: _ArrowStream, policy: Policy | None = None) -> pyarrow.Table:
    """Assess every county-level unit of a table (M1c, task 8); exact decimal128 money out."""

# --- approval chain (M6, M8, task 8) ---------------------------------------------------------

_Stage = Literal[
    "in_library",
    "applied",
    "reviewed",
    "rechecked",
    "funds_arranged",
    "approved",
    "returned",
    "rejected",
    "withdrawn",
]
_Action = Literal[
    "apply",
    "review",
    "recheck",
    "arrange_funds",
    "approve_implementation",
    "return",
    "reject",
    "withdraw",
    "review_targets",
    "file_targets",
    "publish_targets",
]
_TargetStep = Literal["review_targets", "file_targets", "publish_targets"]
_Amount = Decimal | str | int

@final
class ApprovalState:
    """One project's place in the approval chain (入库 → 乡申报 → 县审核 → 市复核 → 安排资金 → 批准实施)."""

    @property
    def project_id(self) -> str: ...
    @property
    def county(self) -> str: ...
    @property
    def township(self) -> str: ...
    @property
    def stage(self) -> _Stage: ...
    def stage_label(self, lang: _Lang = "zh") -> str: ...
    @property
    def requested(self) -> Decimal: ...
    @property
    def approved(self) -> Decimal | None: ...
    @property
    def arranged(self) -> Decimal | None: ...
    @property
    def targets_missing(self) -> list[_TargetStep]: ...
    @property
    def updated_at(self) -> datetime: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class AuditLog:
    """An append-only, hash-chained log of approval steps with every project's current state."""

    def __new__(cls, policy: Policy | None = None) -> AuditLog: ...
    @staticmethod
    def sample_2020() -> AuditLog: ...
    @staticmethod
    def from_jsonl(
        text: str, policy: Policy | None = None, registry: _Registry | None = None
    ) -> AuditLog: ...
    def enter(
        self, library: dict[str, Any], project_id: str, actor: dict[str, Any], at: datetime, comment: str = ""
    ) -> ApprovalState: ...
    def record(
        self,
        project_id: str,
        action: _Action,
        actor: dict[str, Any],
        at: datetime,
        amount: _Amount | None = None,
        comment: str = "",
    ) -> ApprovalState: ...
    @property
    def states(self) -> dict[str, ApprovalState]: ...
    @property
    def events(self) -> list[dict[str, Any]]: ...
    @property
    def head(self) -> ChainHead: ...
    def to_jsonl(self) -> str: ...

@final
class ApprovalLog:
    """审批留痕: an approval log on disk (``.jsonl`` or SQLite ``.db``), appends signed and checked."""

    def __new__(
        cls,
        path: str | PathLike[str],
        registry: _Registry | None = None,
        policy: Policy | None = None,
        library: dict[str, Any] | None = None,
    ) -> ApprovalLog: ...
    @property
    def path(self) -> Path: ...
    def append(self, event: dict[str, Any], key: str | PathLike[str] | bytes) -> dict[str, Any]: ...
    def head(self) -> tuple[int, str]: ...
    def verify(self, anchors: _Anchors | None = None, allow_empty: bool = False) -> dict[str, Any]: ...
    def replay(
        self, verify: bool = True, anchors: _Anchors | None = None, allow_empty: bool = False
    ) -> dict[str, ApprovalState]: ...
    @property
    def events(self) -> list[dict[str, Any]]: ...
    def export_jsonl(self) -> str: ...
    def projects_at(self, county: str, stage: str) -> list[str]: ...

def new_key(actor: str, path: str | PathLike[str]) -> str:
    """Write a new owner-only Ed25519 key file for an actor; returns the public key (hex) for the registry."""

def admit_project(
    library: dict[str, Any], project: dict[str, Any], policy: Policy | None = None
) -> dict[str, Any]:
    """入库: admit a project to a county's library under the policy (ProjectError naming what is missing)."""

def enter(
    library: dict[str, Any],
    project_id: str,
    actor: dict[str, Any],
    at: datetime,
    policy: Policy | None = None,
) -> ApprovalState:
    """入库: start the chain for a project of a county's library (ApprovalError "not_in_library", M6)."""

def transition(
    state: ApprovalState,
    action: _Action,
    actor: dict[str, Any],
    at: datetime,
    amount: _Amount | None = None,
    policy: Policy | None = None,
) -> ApprovalState:
    """One step of the chain under the policy's approval rules, or ApprovalError naming what is refused."""

def check_performance_targets(states: list[ApprovalState]) -> list[Check]:
    """M8: targets reviewed, filed with the city leading group and published, per project."""

_Registry = str | PathLike[str] | dict[str, Any]
_Anchors = str | PathLike[str] | list[tuple[int, str]]

def verify_log(
    text: str,
    head: str | None = None,
    registry: _Registry | None = None,
    anchors: _Anchors | None = None,
    policy: Policy | None = None,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Check a JSON Lines log (hashes, signatures, registry, rules, anchors); its head, or AuditError."""

def replay_log(
    text: str,
    policy: Policy | None = None,
    registry: _Registry | None = None,
    anchors: _Anchors | None = None,
    verify: bool = True,
    allow_empty: bool = False,
) -> dict[str, ApprovalState]:
    """Rebuild every project's state from a JSON Lines log; AuditError at the first refused event."""

@final
class Ledger:
    """月统计 — allocations and expenditures per county-level unit by month (G4, M4).

    From a pandas DataFrame: ``Ledger.from_records(df.to_dict("records"))``; from polars:
    ``Ledger.from_records(df.to_dicts())``. Amounts must be Decimal, int or str (floats are
    refused; fill empty optional columns with ``""`` rather than NaN).
    """

    @staticmethod
    def from_records(
        records: Sequence[Mapping[str, Any]], year: int | None = None, units: list[str] | None = None
    ) -> Ledger: ...
    @staticmethod
    def from_csv(text: str, year: int | None = None, units: list[str] | None = None) -> Ledger: ...
    @staticmethod
    def from_json(text: str, year: int | None = None, units: list[str] | None = None) -> Ledger: ...
    @property
    def year(self) -> int: ...
    @property
    def units(self) -> list[str]: ...
    @property
    def entries(self) -> list[LedgerEntry]: ...
    def progress(self, county: str, month: str) -> Progress: ...
    def city_progress(self, month: str) -> Progress: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class Schedule:
    """序时进度 — required progress by date, supplied by the user (the plan gives no figures)."""

    @staticmethod
    def from_toml(text: str) -> Schedule: ...
    @staticmethod
    def from_json(text: str) -> Schedule: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Schedule: ...
    @property
    def name(self) -> str: ...
    def required_for(self, month: str) -> Decimal | None: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Bulletin(_Frames):
    """月通报 — units ranked by progress, the city total, the gap to the schedule."""

    @property
    def month(self) -> str: ...
    @property
    def required(self) -> Decimal | None: ...
    @property
    def rows(self) -> list[BulletinRow]: ...
    @property
    def city(self) -> Figures: ...
    def behind_schedule(self) -> list[str]: ...
    @property
    def checks(self) -> list[Check]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_text(self, lang: _Lang = "zh") -> str: ...
    def to_markdown(self, lang: _Lang = "zh") -> str: ...
    def to_html(self, lang: _Lang = "zh") -> str: ...
    def to_excel(
        self, path: str | os.PathLike[str], lang: _Lang = "zh", policy: Policy | None = None
    ) -> None: ...
    def _repr_html_(self) -> str: ...

@final
class Scorecard:
    """A scorecard: sections of items with maxima, bonus rules, a bonus cap, optional grade bands."""

    def _repr_html_(self) -> str: ...
    def to_html(self, lang: _Lang = "zh") -> str: ...
    @staticmethod
    def chaoyang_2020(id: Literal["a", "b"]) -> Scorecard: ...
    @staticmethod
    def from_policy(policy: Policy, id: str) -> Scorecard: ...
    @staticmethod
    def from_toml(text: str) -> Scorecard: ...
    @staticmethod
    def from_json(text: str) -> Scorecard: ...
    @staticmethod
    def from_dict(data: dict[str, Any]) -> Scorecard: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    @property
    def id(self) -> str: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def bonus_cap(self) -> Decimal: ...
    @property
    def item_ids(self) -> list[str]: ...
    @property
    def bonus_ids(self) -> list[str]: ...

@final
class ScoreReport:
    """One unit's explained score on a card."""

    @property
    def card(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def base(self) -> Decimal: ...
    @property
    def bonus_raw(self) -> Decimal: ...
    @property
    def bonus(self) -> Decimal: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def failed(self) -> bool: ...
    @property
    def veto_reason(self) -> str | None: ...
    def grade(self, lang: _Lang = "zh") -> str | None: ...
    @property
    def items(self) -> list[ItemLine]: ...
    @property
    def bonus_lines(self) -> list[BonusLine]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_text(self, lang: _Lang = "zh") -> str: ...
    def to_markdown(self, lang: _Lang = "zh") -> str: ...
    def to_html(self, lang: _Lang = "zh") -> str: ...
    def to_excel(
        self, path: str | os.PathLike[str], lang: _Lang = "zh", policy: Policy | None = None
    ) -> None: ...
    def _repr_html_(self) -> str: ...

def bulletin(
    ledger: Ledger, month: str, schedule: Schedule | None = None, policy: Policy | None = None
) -> Bulletin: ...
def adjust_allocation(
    bulletin: Bulletin,
    base: Mapping[str, AmountLike],
    total: AmountLike,
    params: Mapping[str, Any] | None = None,
    policy: Policy | None = None,
) -> AllocationPlan: ...
def obligations_due(from_date: date, to_date: date, policy: Policy | None = None) -> list[Obligation]: ...
def obligation_status(
    from_date: date,
    to_date: date,
    on: date,
    done: Mapping[str, date] | None = None,
    policy: Policy | None = None,
) -> list[ObligationStatus]: ...

@final
class RankEntry:
    """A unit's place in a ranking: competition rank (1, 1, 3), vetoed units last."""

    @property
    def index(self) -> int: ...
    @property
    def rank(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def vetoed(self) -> bool: ...

@final
class TasksReport(_Frames):
    """Task-table completions, card A's annual points and the T3/T10/M9 rule checks."""

    @property
    def passed(self) -> bool: ...
    @property
    def checks(self) -> list[Check]: ...
    @property
    def tasks(self) -> list[TaskResult]: ...
    @property
    def annual_points(self) -> Decimal | None: ...
    @property
    def overall_completion(self) -> Decimal | None: ...
    def annual_rule(self, lang: _Lang = "zh") -> str | None: ...
    def apply_to(self, input: dict[str, Any]) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_text(self, lang: _Lang = "zh") -> str: ...
    def to_markdown(self, lang: _Lang = "zh") -> str: ...
    def to_html(self, lang: _Lang = "zh") -> str: ...
    def _repr_html_(self) -> str: ...
    def checks_table(self) -> pyarrow.Table: ...

def score(card: Scorecard | str, input: dict[str, Any], policy: Policy | None = None) -> ScoreReport:
    """Score one unit on a card; an item above its maximum raises ScoreError naming it."""

def rank(reports: list[ScoreReport]) -> list[RankEntry]:
    """Rank scored units: highest total first, ties share a rank, vetoed units last."""

def scores_to_excel(
    reports: list[ScoreReport],
    path: str | os.PathLike[str],
    lang: _Lang = "zh",
    policy: Policy | None = None,
) -> None:
    """Write units scored on one card, ranked, as an Excel workbook (.xlsx) at `path`."""

def check_tasks(input: dict[str, Any], policy: Policy | None = None) -> TasksReport:
    """Completions, card A's annual points (stated default rule) and the T3/T10 checks."""

def score_table(
    card: Scorecard | Literal["a", "b"] | str,
    table: _ArrowStream,
    policy: Policy | None = None,
    *,
    lines: bool = True,
    rank: bool = True,
    points: Literal["decimal128", "decimal64"] = "decimal128",
) -> pyarrow.Table:
    """Score every unit of a table on a card through Arrow; exact decimal128 (or decimal64) points out."""

def spending_progress_table(
    table: _ArrowStream,
    months: list[str] | None = None,
    schedule: Schedule | None = None,
    *,
    year: int | None = None,
    units: list[str] | None = None,
) -> pyarrow.Table:
    """Cumulative spending progress per unit and month from a ledger table (G4, M4); exact decimal128 out."""

@final
class Comparison:
    """What changes from one side of a comparison to the other (see `compare`)."""

    @property
    def before(self) -> str: ...
    @property
    def after(self) -> str: ...
    @property
    def checks_compared(self) -> int: ...
    @property
    def now_failing(self) -> int: ...
    @property
    def now_passing(self) -> int: ...
    @property
    def checks(self) -> list[dict[str, Any]]:
        """Every changed check: id, subject, clause, label, flip, before, after and the changes."""
    @property
    def scores(self) -> list[dict[str, Any]]:
        """Every unit whose total or rank on a card changed."""
    @property
    def frame(self) -> Any:
        """The changed checks as a pandas DataFrame (`to_frame()`)."""
    def to_frame(self, library: Literal["pandas", "polars"] = "pandas", lang: _Lang = "zh") -> Any:
        """The changed checks, one row each, exact Decimal values: a pandas or polars DataFrame."""
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_text(self, lang: _Lang = "zh") -> str: ...
    def to_markdown(self, lang: _Lang = "zh") -> str: ...

def compare(
    before: Policy | None = None,
    after: Policy | None = None,
    *,
    set: Mapping[str, str | int | Decimal] | None = None,
    data: PlanData | None = None,
    after_data: PlanData | None = None,
    tasks: dict[str, Any] | None = None,
    units: dict[str, Any] | None = None,
) -> Comparison:
    """What-if: the same figures under two policies, a policy and `set` overrides, or two years."""
