"""The one way to change an entity's state.

`transition` runs `UPDATE … WHERE <primary key> = :key AND <expected state> [AND version = :read]`, bumps the
version, stamps `updated_at` from the clock, refreshes the entity and records the change (audit event
and event row) in the same transaction. A row that changed meanwhile matches nothing, and the caller's
conflict is raised instead: two racing requests get one success and one 409, never two successes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import Conflict, DomainError
from app.db.base import Base
from app.db.repository import compare_and_set
from app.events.recording import AuditActor, record, snapshot

EntityT = TypeVar("EntityT", bound=Base)


def entity_type_of(model: type[Base]) -> str:
    """The audit name of a model: its table name in the singular (`demands` -> `demand`,
    `saved_matches` -> `saved_match`)."""
    name = str(model.__tablename__)
    if name.endswith("ies"):
        return name.removesuffix("ies") + "y"
    if name.endswith(("ches", "shes", "sses", "xes")):
        return name.removesuffix("es")
    return name.removesuffix("s")


async def transition(
    session: AsyncSession,
    actor: AuditActor,
    entity: EntityT,
    action: str,
    *,
    values: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
    audited: Sequence[str] | Callable[[EntityT], dict[str, Any]] = ("status",),
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    entity_type: str | None = None,
    entity_id: int | str | None = None,
    payload: dict[str, Any] | None = None,
    conflict: DomainError | Callable[[EntityT], DomainError] | None = None,
    recorded: bool = True,
) -> EntityT:
    """Move `entity` to `values` if it is still in the `expected` state, and record the change.

    `expected` maps column names to the value they must hold: a collection means "one of these",
    None means IS NULL. Versioned entities are also matched on the version that was read.
    The change is recorded on the entity itself unless `entity_type`/`entity_id` name the aggregate
    it belongs to (a revision is recorded on its listing). Before and after are the `audited` fields
    (or what the `audited` function makes of the entity) unless given. `conflict` may be a function of
    the refreshed entity, to tell "published meanwhile" from "edited meanwhile". `recorded=False` is
    only for a second row moved by a change that another `transition` call in it records.
    """
    model = type(entity)
    mapper = inspect(model)
    key = mapper.primary_key_from_instance(entity)
    where = [
        *(column == value for column, value in zip(mapper.primary_key, key, strict=True)),
        *_conditions(model, expected or {}),
    ]
    new_values = dict(values)
    if "version" in model.__table__.columns:
        where.append(model.version == entity.version)  # type: ignore[attr-defined]
        new_values["version"] = model.version + 1  # type: ignore[attr-defined]
    if "updated_at" in model.__table__.columns:
        new_values.setdefault("updated_at", utcnow())
    describe = audited if callable(audited) else lambda item: snapshot(item, audited)
    before = before if before is not None else describe(entity)
    if not await compare_and_set(session, model, where=where, values=new_values):
        raise await _conflict(session, entity, conflict)
    await session.refresh(entity)
    if not recorded:
        return entity
    await record(
        session,
        actor,
        action,
        entity_type=entity_type or entity_type_of(model),
        entity_id=entity_id if entity_id is not None else key[0],
        before=before,
        after=after if after is not None else describe(entity),
        payload=payload,
    )
    return entity


async def _conflict(
    session: AsyncSession, entity: EntityT, conflict: DomainError | Callable[[EntityT], DomainError] | None
) -> DomainError:
    if conflict is None:
        return Conflict("The record changed meanwhile; read it again", code="concurrent_change")
    if isinstance(conflict, DomainError):
        return conflict
    await session.refresh(entity)
    return conflict(entity)


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
