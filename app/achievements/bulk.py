"""The audit snapshot of a bulk-imported achievement, the same as `service.create` records. The row itself
is built by the kind's spec (app/achievements/kind.py), as `create` builds it."""

from __future__ import annotations

from typing import Any

from app.achievements import service
from app.achievements.schemas import PatentRead
from app.models import Patent


def snapshot(achievement: Any, patents: list[Patent]) -> dict[str, Any]:
    """`achievement`: an Achievement, or a stored row's values as attributes (app.imports.storing)."""
    return service._snapshot(achievement, [PatentRead.model_validate(patent) for patent in patents])
