"""The application's own PostgreSQL role: everything it needs, and no way to rewrite the logs.

Migrations run as the schema owner (MIGRATION_DATABASE_URL); the application connects as a role
that may read and write the feature tables but only INSERT and SELECT the audit log and the event
log. Not being a superuser, it can neither `SET session_replication_role = replica` (which would
switch the append-only triggers off) nor alter or drop the triggers, which belong to the owner.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from app.db.session import create_engine

APPEND_ONLY_TABLES = ("audit_events", "events")
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class NotPostgres(ValueError):
    """Roles are a PostgreSQL matter; SQLite has none."""


def grant_statements(role: str) -> list[str]:
    """The GRANTs (and REVOKEs) that make `role` the application's role, idempotent."""
    if not _ROLE_NAME.match(role):
        raise ValueError(f"not a plain role name: {role!r}")
    logs = ", ".join(APPEND_ONLY_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {logs} FROM {role}",
        # Only migrations change the schema version.
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    ]


async def grant_app_role(owner_url: str, role: str) -> None:
    """Run `grant_statements(role)` as the schema owner. Run again after every upgrade, so that new
    tables are granted too (a migration adding an append-only table revokes in its own right)."""
    if not owner_url.startswith("postgresql"):
        raise NotPostgres("An application role is a PostgreSQL matter; SQLite has no roles")
    engine = create_engine(owner_url)
    try:
        async with engine.begin() as connection:
            for statement in grant_statements(role):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
