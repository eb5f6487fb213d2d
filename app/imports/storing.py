"""Storing a validated batch: the listings, their children (patents), their audit events and event
rows, each table in one executemany INSERT.

The ORM's unit of work inserts row by row when it needs the new ids back (SQLite cannot return them
in order for a batch), about 10 ms a listing with its patents and event. Here the rows are built as
the features build them (the kind's spec, app/<feature>/bulk.py) and the listings inserted with
RETURNING of their client keys, which are unique per organization and set on every imported row, and
their new ids: SQLAlchemy sends the batch as one multi-row INSERT on both databases, whose rows may
come back in any order, so the ids are matched by key. (Reading the ids back with a SELECT by key
after an executemany INSERT, as before, took longer on both.) A listing's row is its values, not an
ORM object: building 10,000 objects cost a second of CPU, and the title's sort key, which the model
computes when a title is set, comes ready from the tokenizer's workers (app.imports.tokenizing).

One statement per table and batch needs every row to name the same columns: the ORM's bulk INSERT
leaves a None out and sends one statement per distinct set of columns (6,995 statements for 10,000
achievements, whose optional fields are set in every combination). So a None is sent as NULL
(`render_nulls`), and `insert_values` gives every row of a table the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnDefault, Insert, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.db.base import Base
from app.events.recording import Change, record_many
from app.imports.kinds import Kind
from app.imports.tokenizing import Derived
from app.imports.validation import PreparedRow


async def insert_batch(
    session: AsyncSession,
    kind: Kind,
    principal: Principal,
    default_region_id: int,
    rows: Sequence[PreparedRow],
    texts: Sequence[Derived],
) -> None:
    values = [
        kind.row(principal, getattr(row.data, "region_id", None) or default_region_id, row.data, derived)
        for row, derived in zip(rows, texts, strict=True)
    ]
    model = kind.model
    table = _table(model)
    stored = await session.execute(
        _bulk_insert(model).returning(model.client_key, model.id),
        [insert_values(table, listing) for listing in values],
    )
    ids = {row.client_key: row.id for row in stored}
    # Each listing as its snapshot and its child rows read it: the stored values and the new id.
    listings = [SimpleNamespace(**listing, id=ids[listing["client_key"]]) for listing in values]
    children = [kind.listing.children(listing, row.data) for listing, row in zip(listings, rows, strict=True)]
    flat = [child for group in children for child in group]
    if flat:
        await session.execute(_bulk_insert(type(flat[0])), [column_values(child) for child in flat])
    # One recorded change per stored row, as `service.create` records one per listing.
    changes = [
        Change(f"{kind.entity}.create", kind.entity, listing.id, after=kind.snapshot(listing, group))
        for listing, group in zip(listings, children, strict=True)
    ]
    await record_many(session, principal.actor, changes)


def _bulk_insert(model: type[Base]) -> Insert:
    """An ORM bulk INSERT that sends None as NULL instead of leaving the column out."""
    return insert(model).execution_options(render_nulls=True)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)  # noqa: S101 - every model maps one table
    return table


def column_values(instance: Base) -> dict[str, Any]:
    """The INSERT values of a transient ORM object (see `insert_values`)."""
    table = _table(type(instance))
    return insert_values(table, {column.key: getattr(instance, column.key, None) for column in table.columns})


def insert_values(table: Table, given: Mapping[str, Any]) -> dict[str, Any]:
    """The INSERT values of a new row of `table`: what it was given; the columns' defaults for what it
    was not, as an ORM flush would apply them.

    The same keys for every row of a table, whatever it was given: a None where the column has a
    constant default is that constant, and only a column with a computed default (a timestamp) or a
    server default alone is left out when None, for its default to fill in."""
    values = {}
    for column in table.columns:
        value = given.get(column.key)
        if column.primary_key:
            continue
        if value is None and isinstance(column.default, ColumnDefault) and column.default.is_scalar:
            value = column.default.arg
        elif value is None and (column.default is not None or column.server_default is not None):
            continue
        values[column.key] = value
    return values
