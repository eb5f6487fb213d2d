"""Writing audit events. Called by every service that changes state, inside the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditActor:
    """Who is acting: a user, a machine client's API key, or the system itself (both None)."""

    user_id: int | None = None
    api_key_id: int | None = None
    request_id: str | None = None
    client_address: str | None = None


SYSTEM_ACTOR = AuditActor()


def snapshot(entity: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe copy of `fields` of `entity`, for the before/after columns."""
    return {name: _json_safe(getattr(entity, name)) for name in fields}


def _json_safe(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


async def record(
    session: AsyncSession,
    actor: AuditActor,
    action: str,
    *,
    entity_type: str,
    entity_id: int | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            actor_user_id=actor.user_id,
            actor_api_key_id=actor.api_key_id,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            before=before,
            after=after,
            request_id=actor.request_id,
            client_address=actor.client_address,
        )
    )
    await session.flush()
