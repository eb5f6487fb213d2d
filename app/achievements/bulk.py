"""The audit snapshot of a bulk-imported achievement, the same as `service.create` records. The row itself
is built by the kind's spec (app/achievements/kind.py), as `create` builds it."""

from __future__ import annotations

from typing import Any

from app.achievements import service
from app.achievements.schemas import PatentRead
from app.models import Achievement, Patent


def snapshot(achievement: Achievement, patents: list[Patent]) -> dict[str, Any]:
    return service._snapshot(achievement, [PatentRead.model_validate(patent) for patent in patents])
