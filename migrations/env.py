"""Alembic environment: async, URL from the app's settings, batch mode on SQLite."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection

from app.core.config import get_settings
from app.db.base import UTCDateTime
from app.db.session import create_engine
from app.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _database_url() -> str:
    return str(config.attributes.get("database_url") or get_settings().database_url)


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import application types; UTCDateTime is a timestamptz in the database.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Full-text search lives outside the ORM metadata (see the demands/achievements migration): SQLite's
# FTS5 tables and their shadow tables, and PostgreSQL's search_vector columns and their indexes.
# Autogenerate must not offer to drop them.
def _include_name(name: str | None, type_: str, _parents: Any) -> bool:
    if name is None:
        return True
    if type_ == "table" and "_fts" in name:
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name.endswith(("_search", "_search_vector", "_status_newest")))


def _compare_type(
    migration: Any, _inspected_column: Any, _metadata_column: Any, inspected: Any, metadata: Any
) -> bool | None:
    """SQLite does not enforce a VARCHAR's length, so a change of length is made on PostgreSQL only
    (recreating a SQLite table would drop its full-text triggers) and is no difference on SQLite."""
    is_sqlite = migration.dialect.name == "sqlite"
    plain_strings = isinstance(inspected, sa.String) and type(metadata) in (sa.String, sa.VARCHAR)
    if is_sqlite and plain_strings:
        return type(inspected.as_generic()) is not type(metadata.as_generic())
    return None  # alembic's own comparison


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=_compare_type,
        compare_server_default=False,
        render_item=_render_item,
        include_name=_include_name,
    )


def run_migrations_offline() -> None:
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(_database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
