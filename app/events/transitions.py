"""The one way to change an entity's state.

`transition` runs `UPDATE … WHERE id = :id AND <expected state> [AND version = :read]`, bumps the
version, stamps `updated_at` from the clock, refreshes the entity and records the change (audit event
and event row) in the same transaction. A row that changed meanwhile matches nothing, and the caller's
conflict is raised instead: two racing requests get one success and one 409, never two successes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Conflict, DomainError
from app.db.base import Base
from app.db.repository import compare_and_set
from app.events.recording import AuditActor, record, snapshot

EntityT = TypeVar("EntityT", bound=Base)


def entity_type_of(model: type[Base]) -> str:
    """The audit name of a model: its table name in the singular (`demands` -> `demand`)."""
    return str(model.__tablename__).removesuffix("s")


async def transition(
    session: AsyncSession,
    actor: AuditActor,
    entity: EntityT,
    action: str,
    *,
    values: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
    audited: Sequence[str] = ("status",),
    entity_type: str | None = None,
    payload: dict[str, Any] | None = None,
    conflict: DomainError | None = None,
) -> EntityT:
    """Move `entity` to `values` if it is still in the `expected` state, and record the change.

    `expected` maps column names to the value they must hold: a collection means "one of these",
    None means IS NULL. Versioned entities are also matched on the version that was read.
    """
    model = type(entity)
    where = [model.id == entity.id, *_conditions(model, expected or {})]  # type: ignore[attr-defined]
    new_values = dict(values)
    if "version" in model.__table__.columns:
        where.append(model.version == entity.version)  # type: ignore[attr-defined]
        new_values["version"] = model.version + 1  # type: ignore[attr-defined]
    if "updated_at" in model.__table__.columns:
        new_values.setdefault("updated_at", utcnow())
    before = snapshot(entity, audited)
    if not await compare_and_set(session, model, where=where, values=new_values):
        raise conflict or Conflict("The record changed meanwhile; read it again", code="concurrent_change")
    await session.refresh(entity)
    await record(
        session,
        actor,
        action,
        entity_type=entity_type or entity_type_of(model),
        entity_id=entity.id,  # type: ignore[attr-defined]
        before=before,
        after=snapshot(entity, audited),
        payload=payload,
    )
    return entity


def _conditions(model: type[Base], expected: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name, value in expected.items():
        column = getattr(model, name)
        if value is None:
            conditions.append(column.is_(None))
        elif isinstance(value, Collection) and not isinstance(value, str):
            conditions.append(column.in_(list(value)))
        else:
            conditions.append(column == value)
    return conditions
