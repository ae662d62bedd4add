"""fupin (扶贫): the poverty-alleviation fund rules of 朝财农〔2020〕67号 as exact, tested functions.

Amounts go in and come out as :class:`decimal.Decimal` (yuan; ratios as fractions), never as
floats. Every check cites its clause id from DOMAIN.md (G1…, M1…, T#) with labels in Chinese and
English. The rules run in a Rust core; this package is a thin layer over it.

>>> import fupin
>>> r = fupin.report()                       # the embedded 2020 Chaoyang plan
>>> m1 = next(c for c in r.checks if c.id == "M1.city_growth")
>>> m1.passed, round(m1.actual * 100, 2)
(True, Decimal('247.77'))
"""

from fupin._fupin import (
    ApprovalState,
    ArrowTable,
    AuditLog,
    Bulletin,
    Check,
    Ledger,
    PlanData,
    Policy,
    RankEntry,
    Report,
    Schedule,
    Scorecard,
    ScoreReport,
    TasksReport,
    __version__,
    adjust_allocation,
    admit_project,
    bulletin,
    check_funds_table,
    check_performance_targets,
    check_tasks,
    enter,
    obligation_status,
    obligations_due,
    rank,
    replay_log,
    report,
    score,
    score_table,
    spending_progress_table,
    transition,
    verify_log,
)
from fupin.errors import (
    AmountError,
    ApprovalError,
    AuditError,
    CalendarError,
    DataError,
    FupinError,
    PolicyError,
    ProjectError,
    ScoreError,
    SpendingError,
)

__all__ = [
    "AmountError",
    "ArrowTable",
    "ApprovalError",
    "ApprovalState",
    "AuditError",
    "AuditLog",
    "Bulletin",
    "CalendarError",
    "Check",
    "DataError",
    "FupinError",
    "Ledger",
    "PlanData",
    "Policy",
    "PolicyError",
    "ProjectError",
    "RankEntry",
    "Report",
    "Schedule",
    "SpendingError",
    "ScoreError",
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
    "enter",
    "obligation_status",
    "obligations_due",
    "rank",
    "replay_log",
    "report",
    "score",
    "score_table",
    "spending_progress_table",
    "transition",
    "verify_log",
]
