"""Saved matches: a demand's recommended achievements with the owner's progress on each (new,
viewed, shortlisted, dismissed with a structured reason, proposed), one row per pair.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 06:26:59+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_STATUSES = ("new", "viewed", "shortlisted", "dismissed", "proposed")
_REASONS = (
    "too_early", "benefit_unclear", "commercial_route_unclear", "description_unclear",
    "price_too_high", "not_relevant", "other",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "saved_matches",
        sa.Column("id", _ID, nullable=False),
        sa.Column("demand_id", _ID, nullable=False),
        sa.Column("achievement_id", _ID, nullable=False),
        sa.Column(
            "status",
            sa.Enum(*_STATUSES, name="status", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("matched_terms", sa.JSON(), nullable=False),
        sa.Column("contributions", sa.JSON(), nullable=False),
        sa.Column(
            "decline_reason",
            sa.Enum(*_REASONS, name="decline_reason", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("decline_note", sa.Text(), nullable=True),
        sa.Column("decided_by_id", _ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name=op.f("fk_saved_matches_achievement_id_achievements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_saved_matches_decided_by_id_users")),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demands.id"], name=op.f("fk_saved_matches_demand_id_demands"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_matches")),
        sa.UniqueConstraint("demand_id", "achievement_id", name="uq_saved_matches_pair"),
    )
    op.create_index("ix_saved_matches_achievement_id", "saved_matches", ["achievement_id"])
    op.create_index("ix_saved_matches_demand_status", "saved_matches", ["demand_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_saved_matches_demand_status", table_name="saved_matches")
    op.drop_index("ix_saved_matches_achievement_id", table_name="saved_matches")
    op.drop_table("saved_matches")
