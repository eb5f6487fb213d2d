"""Storing a validated batch: the listings, their children (patents), their audit events and event
rows, each table in one executemany INSERT.

The ORM's unit of work inserts row by row when it needs the new ids back (SQLite cannot return them
in order for a batch), about 10 ms a listing with its patents and event. Here the rows are built as
the features build them (app/<feature>/bulk.py), inserted without RETURNING, and the new ids read
back by the client keys, which are unique per organization and set on every imported row.

One statement per table and batch needs every row to name the same columns: the ORM's bulk INSERT
leaves a None out and sends one statement per distinct set of columns (6,995 statements for 10,000
achievements, whose optional fields are set in every combination). So a None is sent as NULL
(`render_nulls`), and `column_values` gives every row the same keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.db.base import Base
from app.events.recording import Change, record_many
from app.imports.kinds import Kind
from app.imports.validation import PreparedRow


async def insert_batch(
    session: AsyncSession,
    kind: Kind,
    principal: Principal,
    default_region_id: int,
    rows: Sequence[PreparedRow],
    search_texts: Sequence[str],
) -> None:
    drafts = [
        kind.draft(principal, getattr(row.data, "region_id", None) or default_region_id, row.data, text)
        for row, text in zip(rows, search_texts, strict=True)
    ]
    model = kind.model
    await session.execute(_bulk_insert(model), [column_values(draft) for draft in drafts])
    keys = [draft.client_key for draft in drafts]
    stored = await session.execute(
        select(model.client_key, model.id).where(
            model.organization_id == drafts[0].organization_id, model.client_key.in_(keys)
        )
    )
    ids = {row.client_key: row.id for row in stored}
    for draft in drafts:
        draft.id = ids[draft.client_key]
    children = [kind.listing.children(draft, row.data) for draft, row in zip(drafts, rows, strict=True)]
    flat = [child for group in children for child in group]
    if flat:
        await session.execute(_bulk_insert(type(flat[0])), [column_values(child) for child in flat])
    # One recorded change per stored row, as `service.create` records one per listing.
    changes = [
        Change(f"{kind.entity}.create", kind.entity, draft.id, after=kind.snapshot(draft, group))
        for draft, group in zip(drafts, children, strict=True)
    ]
    await record_many(session, principal.actor, changes)


def _bulk_insert(model: type[Base]) -> Insert:
    """An ORM bulk INSERT that sends None as NULL instead of leaving the column out."""
    return insert(model).execution_options(render_nulls=True)


def column_values(instance: Base) -> dict[str, Any]:
    """The INSERT values of a transient ORM object: what it was given; the columns' defaults for
    what it was not, as an ORM flush would apply them.

    The same keys for every instance of a model, whatever it was given: a None where the column
    has a constant default is that constant, and only a column with a computed default (a
    timestamp) or a server default alone is left out, when None, for its default to fill in."""
    values = {}
    for column in instance.__table__.columns:
        value = getattr(instance, column.key, None)
        if column.primary_key:
            continue
        if value is None and column.default is not None and column.default.is_scalar:
            value = column.default.arg
        elif value is None and (column.default is not None or column.server_default is not None):
            continue
        values[column.key] = value
    return values
