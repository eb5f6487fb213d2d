"""PostgreSQL: search on a stored tsvector column instead of an expression index.

ts_rank needs the document's tsvector; with only an expression index PostgreSQL re-parses
search_text for every matching row (1.5 to 3 s for a common word at 100k achievements, see
bench/listings.py). A stored generated column is computed once per write. SQLite (FTS5) is unchanged.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:00:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEARCHED = ("demands", "achievements")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in _SEARCHED:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)")
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in _SEARCHED:
        op.execute(
            f"CREATE INDEX ix_{table}_search ON {table} USING gin (to_tsvector('simple', search_text))"
        )
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
