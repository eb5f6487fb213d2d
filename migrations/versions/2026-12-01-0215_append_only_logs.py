"""Both logs are append-only on both databases: the events table gets the audit log's guards, and on
SQLite `REPLACE INTO` (whose implicit delete fires no DELETE trigger) is refused for both.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 02:15:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_EVENTS_GUARD = """
CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(_PG_EVENTS_GUARD)
        op.execute(
            "CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER events_no_{event.lower()} BEFORE {event} ON events "
            "BEGIN SELECT RAISE(ABORT, 'events is append-only'); END"
        )
    for table in ("audit_events", "events"):
        # REPLACE deletes the row it collides with without firing DELETE triggers; an INSERT of an
        # id that exists is refused before that can happen.
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_no_truncate ON events")
        op.execute("DROP TRIGGER IF EXISTS events_no_update_delete ON events")
        op.execute("DROP FUNCTION IF EXISTS events_append_only()")
        return
    for name in ("events_no_update", "events_no_delete", "audit_events_no_replace", "events_no_replace"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
