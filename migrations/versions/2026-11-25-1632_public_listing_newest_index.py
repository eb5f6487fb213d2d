"""An index for public lists sorted newest first (status, published_at DESC NULLS LAST, id DESC).

At 100k achievements a filtered page went from a sort of every match (about 20 ms) to an ordered
walk that stops at the page (bench/listings.py). Written per dialect, outside the ORM metadata
(migrations/env.py leaves it alone), as the two databases spell the ordering differently.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:32:06.109597+00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_TABLES = ("demands", "achievements")


def upgrade() -> None:
    # SQLite refuses NULLS LAST in an index, but its DESC already sorts nulls last.
    nulls_last = " NULLS LAST" if op.get_context().dialect.name == "postgresql" else ""
    for table in _TABLES:
        op.execute(
            f"CREATE INDEX ix_{table}_status_newest ON {table} "
            f"(status, published_at DESC{nulls_last}, id DESC)"
        )


def downgrade() -> None:
    for table in _TABLES:
        op.execute(f"DROP INDEX ix_{table}_status_newest")
