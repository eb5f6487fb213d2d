"""The audit snapshot of a bulk-imported demand, the same as `service.create` records. The row itself
is built by the kind's spec (app/demands/kind.py), as `create` builds it."""

from __future__ import annotations

from typing import Any

from app.demands.service import AUDITED
from app.events import recording as audit


def snapshot(demand: Any, _children: list[Any]) -> dict[str, Any]:
    """`demand`: a Demand, or a stored row's values as attributes (app.imports.storing)."""
    return audit.snapshot(demand, AUDITED)
