"""The exceptions fupin raises: one base, a subclass per area, each with its data as fields.

Every error is a :class:`FupinError`, itself a :class:`ValueError`. The Rust core raises them
through one mapping function of the binding; they are plain Python classes (so they extend
``ValueError`` on every Python the wheel supports) and pickle with their fields:

>>> import pickle, fupin
>>> try:
...     fupin.Policy.from_dict({"meta": {"name": 0.5}})
... except fupin.PolicyError as e:
...     err = e
>>> err.path, err.value
('meta.name', '0.5')
>>> again = pickle.loads(pickle.dumps(err))
>>> (type(again), again.path, again.errors() == err.errors())
(<class 'fupin.errors.PolicyError'>, 'meta.name', True)

A value of the wrong *kind* of Python object — a list where a dict is expected, bytes, a set —
raises the built-in :class:`TypeError` instead, with ``.path`` set.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

__all__ = [
    "AmountError",
    "ApprovalError",
    "AuditError",
    "CalendarError",
    "DataError",
    "ErrorDetails",
    "FupinError",
    "PolicyError",
    "ProjectError",
    "ScoreError",
    "SpendingError",
]


class ErrorDetails(TypedDict):
    """One problem, as :meth:`FupinError.errors` lists it (the shape of pydantic's errors)."""

    type: str
    """A short snake_case code: ``float``, ``missing_field``, ``invalid_number``, …"""
    loc: tuple[str | int, ...]
    """Where: the path's keys and indices, ``("counties", 2, "this_year")``."""
    msg: str
    """What is wrong, for a person."""
    input: str | None
    """The value as given (its text or ``repr``), or None."""


_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _loc(path: str | None) -> tuple[str | int, ...]:
    """``"counties[2].this_year"`` → ``("counties", 2, "this_year")``."""
    if not path or path.startswith("("):
        return ()
    return tuple(int(i) if i else key for i, key in _SEGMENT.findall(path))


class FupinError(ValueError):
    """Base of every error fupin raises.

    ``path`` names the field (``counties[2].this_year``) or table cell (``[3].last_year``),
    ``value`` is the offending value as given, ``code`` the kind of problem (``float``,
    ``unknown_field``, ``negative``, …) and ``clause`` the plan's clause where the rule has one —
    each of the first problem, None when it does not apply. A validation reports every problem
    at once: :meth:`errors` lists them all.
    """

    path: str | None
    value: str | None
    clause: str | None
    code: str

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        value: str | None = None,
        clause: str | None = None,
        code: str = "invalid",
        problems: list[dict[str, Any]] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.value = value
        self.clause = clause
        self.code = code
        #: Every problem as the core reports it: ``path``, ``code``, ``message``, ``value``.
        self.problems = problems or [{"path": path, "code": code, "message": message, "value": value}]
        for name, field in fields.items():
            setattr(self, name, field)

    @property
    def message(self) -> str:
        """The message, as ``str(error)``."""
        return str(self.args[0]) if self.args else ""

    def errors(self) -> list[ErrorDetails]:
        """Every problem found (a validation reports them all at once), each with ``type`` (the
        code), ``loc`` (the path as keys and indices), ``msg`` and ``input`` (the value as given)."""
        return [
            ErrorDetails(type=p["code"], loc=_loc(p["path"]), msg=p["message"], input=p["value"])
            for p in self.problems
        ]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[FupinError], message: str, state: dict[str, Any]) -> FupinError:
    error = cls(message)
    error.__dict__.update(state)
    return error


class PolicyError(FupinError):
    """A policy (or a scorecard of it) is invalid, or names no such card; ``path`` names the field."""


class DataError(FupinError):
    """Input data are invalid; ``path`` names the field or the table cell (``row`` for tables)."""

    row: int | None = None


class AmountError(FupinError):
    """An amount or ratio cannot be read, or exact arithmetic overflowed."""


class SpendingError(FupinError):
    """A spending ledger, schedule or allocation input is invalid (the message names the row,
    column and value)."""


class CalendarError(FupinError):
    """A calendar query or record of completion is invalid."""


class ScoreError(FupinError):
    """A unit's scores are invalid for its card; ``item`` names the item (``row`` for tables)."""

    item: str | None = None
    row: int | None = None


class ApprovalError(FupinError):
    """An approval step is refused; ``kind``, ``project``, ``actor`` (id), ``clause`` and
    ``message_zh`` say why."""

    kind: str | None = None
    project: str | None = None
    actor: str | None = None
    message_zh: str | None = None


class ProjectError(FupinError):
    """A project cannot enter a library or receive special poverty funds (M6)."""


class AuditError(FupinError):
    """An event log is malformed, tampered with or illegal; ``line`` names the line, ``kind`` what."""

    line: int | None = None
    kind: str | None = None
    message_zh: str | None = None
