"""The local industry mapping as pairs, and listings that name their local industry.

A technology field may now map to several of the city's priority industries, or to none: one row
per (field, industry) pair in `tech_field_industries`, and `industry_mappings` keeps one row per
field with a version for compare-and-set edits. Demands and achievements get a nullable
`local_industry` that, when set, replaces the mapping for that listing.

The seeded mapping of 0003 sent mariculture (海参, 对虾, 紫菜) to 现代农业 only and desalination to
临港石化 only, so nothing but transport ever counted under 海洋. Fields that still hold 0003's seed
are re-seeded with the new defaults (docs/decisions.md, "The local industry mapping"); a field that
someone changed keeps its industry. The downgrade gives each field one industry again: 0003's seed
where the field holds the new defaults, else the first of its industries in the policy's order; the
listings' own industries are dropped (the old schema has no place for them).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 05:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TECH_FIELDS = (
    "electronic_information", "aerospace", "advanced_manufacturing", "biomedicine", "new_materials",
    "new_energy", "environment", "nuclear", "agriculture", "modern_transport", "urban_social",
)  # fmt: skip
# In the policy's order: the order a field's industries are listed in.
_LOCAL_INDUSTRIES = (
    "new_medicine", "new_materials", "new_energy", "intelligent_equipment", "port_petrochemical",
    "modern_agriculture", "marine",
)  # fmt: skip
# 0003's seed.
_OLD_DEFAULTS: dict[str, str | None] = {
    "electronic_information": "intelligent_equipment",
    "aerospace": "intelligent_equipment",
    "advanced_manufacturing": "intelligent_equipment",
    "biomedicine": "new_medicine",
    "new_materials": "new_materials",
    "new_energy": "new_energy",
    "environment": "port_petrochemical",
    "nuclear": "new_energy",
    "agriculture": "modern_agriculture",
    "modern_transport": "marine",
    "urban_social": None,
}
# The new seed; app.industries.mapping.DEFAULT_MAPPING is the same (tests/industries checks it).
_NEW_DEFAULTS: dict[str, tuple[str, ...]] = {
    "electronic_information": ("intelligent_equipment",),
    "aerospace": ("intelligent_equipment",),
    "advanced_manufacturing": ("intelligent_equipment",),
    "biomedicine": ("new_medicine",),
    "new_materials": ("new_materials",),
    "new_energy": ("new_energy",),
    "environment": ("port_petrochemical", "marine"),
    "nuclear": ("new_energy",),
    "agriculture": ("modern_agriculture", "marine"),
    "modern_transport": ("intelligent_equipment", "marine"),
    "urban_social": (),
}
_LISTINGS = ("demands", "achievements")


def _tech_field() -> sa.Enum:
    return sa.Enum(*_TECH_FIELDS, name="tech_field", native_enum=False, create_constraint=True, length=22)


def _local_industry(name: str = "local_industry") -> sa.Enum:
    return sa.Enum(*_LOCAL_INDUSTRIES, name=name, native_enum=False, create_constraint=True, length=21)


def _now() -> datetime:
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if op.get_context().dialect.name == "sqlite" else now


def _in_policy_order(industries: set[str]) -> tuple[str, ...]:
    return tuple(industry for industry in _LOCAL_INDUSTRIES if industry in industries)


def upgrade() -> None:
    connection = op.get_bind()
    stored = dict(connection.execute(sa.text("SELECT tech_field, local_industry FROM industry_mappings")).all())
    # industry_mappings first: on SQLite it is copied to a new table, and dropping the old one with
    # the pairs' foreign keys in place would delete the pairs.
    with op.batch_alter_table("industry_mappings") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.drop_constraint(op.f("ck_industry_mappings_local_industry"), type_="check")
        batch.drop_column("local_industry")
    missing = [field for field in _TECH_FIELDS if field not in stored]
    if missing:
        rows = [{"tech_field": field, "updated_at": _now()} for field in missing]
        op.bulk_insert(
            sa.table("industry_mappings", sa.column("tech_field"), sa.column("updated_at")), rows
        )
    pairs = op.create_table(
        "tech_field_industries",
        sa.Column("tech_field", _tech_field(), nullable=False),
        sa.Column("local_industry", _local_industry(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tech_field"],
            ["industry_mappings.tech_field"],
            name=op.f("fk_tech_field_industries_tech_field_industry_mappings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tech_field", "local_industry", name=op.f("pk_tech_field_industries")),
    )
    rows = []
    for field in _TECH_FIELDS:
        if field not in stored or stored[field] == _OLD_DEFAULTS[field]:
            industries = _NEW_DEFAULTS[field]
        else:
            industries = (stored[field],) if stored[field] is not None else ()
        rows += [{"tech_field": field, "local_industry": industry} for industry in industries]
    op.bulk_insert(pairs, rows)
    for table in _LISTINGS:
        _add_listing_column(table)


def _add_listing_column(table: str) -> None:
    """A plain ADD COLUMN with its CHECK. On SQLite, Alembic would leave the CHECK out of an ADD
    COLUMN (and batch mode would copy the table, losing its full-text triggers): written out here."""
    if op.get_context().dialect.name != "sqlite":
        op.add_column(table, sa.Column("local_industry", _local_industry(), nullable=True))
        return
    values = ", ".join(f"'{industry}'" for industry in _LOCAL_INDUSTRIES)
    op.execute(
        f"ALTER TABLE {table} ADD COLUMN local_industry VARCHAR(21) "
        f"CONSTRAINT ck_{table}_local_industry CHECK (local_industry IN ({values}))"
    )


def downgrade() -> None:
    for table in _LISTINGS:
        op.drop_column(table, "local_industry")
    connection = op.get_bind()
    mapped: dict[str, set[str]] = {}
    for field, industry in connection.execute(
        sa.text("SELECT tech_field, local_industry FROM tech_field_industries")
    ).all():
        mapped.setdefault(field, set()).add(industry)
    op.drop_table("tech_field_industries")
    with op.batch_alter_table("industry_mappings") as batch:
        batch.add_column(sa.Column("local_industry", _local_industry(), nullable=True))
        batch.drop_column("version")
    mappings = sa.table("industry_mappings", sa.column("tech_field"), sa.column("local_industry"))
    for field in _TECH_FIELDS:
        industries = _in_policy_order(mapped.get(field, set()))
        if industries == _NEW_DEFAULTS[field]:
            industry = _OLD_DEFAULTS[field]
        else:
            industry = industries[0] if industries else None
        op.execute(
            mappings.update().where(mappings.c.tech_field == field).values(local_industry=industry)
        )
