"""How fupin's compiled classes come back from a pickle: ``Class._from_state(state)``.

Each class's ``__reduce__`` gives ``(restore, (Class, state))``, ``state`` being the core value
as JSON (exact decimal strings), so a pickled ``Report`` or ``Ledger`` reads back equal to what
was written, in another process or on a Dask worker.
"""

from __future__ import annotations

from typing import Any


def restore(cls: Any, state: str) -> Any:
    """Rebuild an instance of ``cls`` from its pickled state."""
    return cls._from_state(state)
