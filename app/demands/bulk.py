"""The audit snapshot of a bulk-imported demand, the same as `service.create` records. The row itself
is built by the kind's spec (app/demands/kind.py), as `create` builds it."""

from __future__ import annotations

from typing import Any

from app.demands.service import AUDITED
from app.events import recording as audit
from app.models import Demand


def snapshot(demand: Demand, _children: list[Any]) -> dict[str, Any]:
    return audit.snapshot(demand, AUDITED)
