"""Listings sort by title in pinyin order: a `title_sort` key beside each title (app.core.collation),
byte-ordered on both databases (the "C" collation on PostgreSQL), filled in for the listings there are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 04:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.core.collation import MAX_KEY_LENGTH, pinyin_sort_key

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("demands", "achievements")
_BATCH = 2000


def upgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    key_type = sa.String(MAX_KEY_LENGTH, collation="C") if postgres else sa.String(MAX_KEY_LENGTH)
    for table in _TABLES:
        # NOT NULL with a default is allowed by SQLite's ADD COLUMN, so no table is rebuilt.
        op.add_column(table, sa.Column("title_sort", key_type, server_default="", nullable=False))
        _fill(table)
        op.create_index(op.f(f"ix_{table}_title_sort"), table, ["title_sort"])


def _fill(table: str) -> None:
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.BigInteger), sa.column("title", sa.String))
    target = sa.table(table, sa.column("id", sa.BigInteger), sa.column("title_sort", sa.String))
    last = 0
    while True:
        batch = connection.execute(
            sa.select(rows.c.id, rows.c.title).where(rows.c.id > last).order_by(rows.c.id).limit(_BATCH)
        ).all()
        if not batch:
            return
        connection.execute(
            sa.update(target).where(target.c.id == sa.bindparam("row_id")),
            [{"row_id": row.id, "title_sort": pinyin_sort_key(row.title)} for row in batch],
        )
        last = batch[-1].id


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(op.f(f"ix_{table}_title_sort"), table_name=table)
        # Not in batch mode: SQLite (3.35+) drops a column in place, keeping the full-text triggers.
        op.drop_column(table, "title_sort")
