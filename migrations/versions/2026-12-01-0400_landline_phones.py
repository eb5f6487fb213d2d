"""Contact numbers may be landlines with an extension (0518-85427978-123), not only 11-digit mobiles:
the phone columns widen to 20 characters. On SQLite, which does not enforce a VARCHAR's length, there
is nothing to change (recreating the listing tables would drop their full-text triggers).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 04:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("demands", "contact_phone"),
    ("achievements", "contact_phone"),
    ("organizations", "contact_phone"),
    ("users", "phone"),
)


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.alter_column(table, column, type_=sa.String(20), existing_type=sa.String(11), existing_nullable=True)


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        # A landline does not fit the old column: it is cleared, as the old schema could not hold it.
        op.execute(sa.text(f"UPDATE {table} SET {column} = NULL WHERE length({column}) > 11"))
        op.alter_column(table, column, type_=sa.String(11), existing_type=sa.String(20), existing_nullable=True)
