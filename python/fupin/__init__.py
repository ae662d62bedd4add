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
    AmountError,
    ApprovalError,
    ApprovalState,
    AuditError,
    AuditLog,
    Check,
    DataError,
    FupinError,
    PlanData,
    Policy,
    PolicyError,
    ProjectError,
    RankEntry,
    Report,
    Scorecard,
    ScoreError,
    ScoreReport,
    TasksReport,
    __version__,
    admit_project,
    check_funds_table,
    check_performance_targets,
    check_tasks,
    enter,
    rank,
    replay_log,
    report,
    score,
    transition,
    verify_log,
)

__all__ = [
    "AmountError",
    "ApprovalError",
    "ApprovalState",
    "AuditError",
    "AuditLog",
    "Check",
    "DataError",
    "FupinError",
    "PlanData",
    "Policy",
    "PolicyError",
    "ProjectError",
    "RankEntry",
    "Report",
    "ScoreError",
    "ScoreReport",
    "Scorecard",
    "TasksReport",
    "__version__",
    "admit_project",
    "check_funds_table",
    "check_performance_targets",
    "check_tasks",
    "enter",
    "rank",
    "replay_log",
    "report",
    "score",
    "transition",
    "verify_log",
]
