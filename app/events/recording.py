"""Writing a change to the audit log and to the durable event log, in the caller's transaction.

The two are always written together: the audit log answers "who did what, before and after" for
people; the `events` table is what the worker's consumers read, in id order. Because both go into
the request's own transaction, a request that fails commits neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.models import AuditEvent, Event


@dataclass(frozen=True, slots=True)
class AuditActor:
    """Who is acting: a user, a machine client's API key, or the system itself (both None)."""

    user_id: int | None = None
    api_key_id: int | None = None
    request_id: str | None = None
    client_address: str | None = None


SYSTEM_ACTOR = AuditActor()


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change. The event's payload is `payload` when given, else the `after` snapshot."""

    action: str
    entity_type: str
    entity_id: int | str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None


def snapshot(entity: object, fields: Sequence[str]) -> dict[str, Any]:
    """A JSON-safe copy of `fields` of `entity`, for the before/after columns."""
    return {name: json_safe(getattr(entity, name)) for name in fields}


def json_safe(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
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
    payload: dict[str, Any] | None = None,
) -> None:
    """Record one change: one audit event and one event row."""
    change = Change(action, entity_type, entity_id, before, after, payload)
    await record_many(session, actor, [change])


async def record_many(session: AsyncSession, actor: AuditActor, changes: Sequence[Change]) -> None:
    """Record a batch of changes (a bulk import) with one INSERT per table."""
    if not changes:
        return
    now = utcnow()
    who = {
        "actor_user_id": actor.user_id,
        "actor_api_key_id": actor.api_key_id,
        "request_id": actor.request_id,
    }
    audit_rows = [
        {
            **who,
            "occurred_at": now,
            "action": change.action,
            "entity_type": change.entity_type,
            "entity_id": str(change.entity_id),
            "before": change.before,
            "after": change.after,
            "client_address": actor.client_address,
        }
        for change in changes
    ]
    event_rows = [
        {
            **who,
            "occurred_at": now,
            "type": change.action,
            "entity_type": change.entity_type,
            "entity_id": str(change.entity_id),
            "payload": change.payload if change.payload is not None else (change.after or {}),
        }
        for change in changes
    ]
    # The audit rows first: the transaction then has an id before it takes event ids, which the
    # worker's gap rule for ids committed out of order relies on (app.db.dialect.in_flight_marker).
    await session.execute(insert(AuditEvent), audit_rows)
    await session.execute(insert(Event), event_rows)
