"""Technology contracts and their registration: contracts with deductions, payment schedule and
attachment metadata; registration counters per point and year; the registration ledger the
statistics sum; statistics targets; idempotency keys.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 10:59:52.593750+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("caller", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("completed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("caller", "key", name=op.f("uq_idempotency_keys_caller_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "registration_counters",
        sa.Column("point_region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_serial", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("last_serial >= 0", name=op.f("ck_registration_counters_serial_non_negative")),
        sa.ForeignKeyConstraint(
            ["point_region_id"], ["regions.id"], name=op.f("fk_registration_counters_point_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("point_region_id", "year", name=op.f("pk_registration_counters")),
    )
    op.create_table(
        "statistics_targets",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "metric",
            sa.Enum(
                "total_fen",
                "iur_projects",
                "agencies",
                name="metric",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_statistics_targets_value_non_negative")),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_statistics_targets_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_targets")),
        sa.UniqueConstraint(
            "metric", "region_id", "year", name=op.f("uq_statistics_targets_metric_region_id_year")
        ),
    )
    op.create_table(
        "contracts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("organization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "accepted",
                "returned",
                "refused",
                "registered",
                "cancelled",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "rule_set",
            sa.Enum(
                "rules_2001",
                "rules_2026",
                name="rule_set",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "contract_type",
            sa.Enum(
                "development",
                "transfer",
                "license",
                "consulting",
                "service",
                name="contract_type",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "subtype",
            sa.Enum(
                "commissioned_development",
                "cooperative_development",
                "patent_transfer",
                "patent_application_transfer",
                "technical_secret_transfer",
                "patent_license",
                "technical_secret_license",
                "consulting",
                "service",
                "training",
                "intermediary",
                name="subtype",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("seller_name", sa.String(length=200), nullable=False),
        sa.Column(
            "seller_organization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("seller_country_code", sa.String(length=3), nullable=False),
        sa.Column("seller_area_code", sa.String(length=6), nullable=True),
        sa.Column(
            "seller_legal_person_type",
            sa.Enum(
                "010",
                "020",
                "021",
                "022",
                "023",
                "024",
                "030",
                "100",
                "200",
                "300",
                "400",
                name="seller_legal_person_type",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("seller_credit_code", sa.String(length=18), nullable=True),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column(
            "buyer_organization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("buyer_country_code", sa.String(length=3), nullable=False),
        sa.Column("buyer_area_code", sa.String(length=6), nullable=True),
        sa.Column(
            "buyer_legal_person_type",
            sa.Enum(
                "010",
                "020",
                "021",
                "022",
                "023",
                "024",
                "030",
                "100",
                "200",
                "300",
                "400",
                name="buyer_legal_person_type",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("buyer_credit_code", sa.String(length=18), nullable=True),
        sa.Column("buyer_region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "tech_field",
            sa.Enum(
                "electronic_information",
                "aerospace",
                "advanced_manufacturing",
                "biomedicine",
                "new_materials",
                "new_energy",
                "environment",
                "nuclear",
                "agriculture",
                "modern_transport",
                "urban_social",
                name="tech_field",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "ip_type",
            sa.Enum(
                "invention_patent",
                "utility_model",
                "design_patent",
                "software_copyright",
                "ic_layout",
                "plant_variety",
                "technical_secret",
                "none",
                name="ip_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "plan_category",
            sa.Enum(
                "national",
                "ministry",
                "provincial",
                "municipal",
                "none",
                name="plan_category",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("socio_economic_objective", sa.String(length=10), nullable=True),
        sa.Column("expected_investment_fen", sa.BigInteger(), nullable=True),
        sa.Column("expected_output_fen", sa.BigInteger(), nullable=True),
        sa.Column("content_summary", sa.Text(), server_default="", nullable=False),
        sa.Column("price_terms", sa.Text(), server_default="", nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("deductions_fen", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("technical_income_fen", sa.BigInteger(), nullable=False),
        sa.Column("disputed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("deal_id", sa.BigInteger(), nullable=True),
        sa.Column("filed_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("clock_started_on", sa.Date(), nullable=True),
        sa.Column("due_on_provisional", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("expert_review", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("registration_number", sa.String(length=16), nullable=True),
        sa.Column(
            "registration_point_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "(status IN ('registered', 'cancelled')) = (registration_number IS NOT NULL)",
            name=op.f("ck_contracts_number_iff_registered"),
        ),
        sa.CheckConstraint("deductions_fen >= 0", name=op.f("ck_contracts_deductions_non_negative")),
        sa.CheckConstraint(
            "registration_number IS NULL OR length(registration_number) = 16",
            name=op.f("ck_contracts_number_length"),
        ),
        sa.CheckConstraint(
            "technical_income_fen = total_fen - deductions_fen AND technical_income_fen >= 0",
            name=op.f("ck_contracts_technical_income_derived"),
        ),
        sa.CheckConstraint(
            "total_fen BETWEEN 0 AND 9007199254740991", name=op.f("ck_contracts_total_in_range")
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
            name=op.f("ck_contracts_valid_range"),
        ),
        sa.ForeignKeyConstraint(
            ["accepted_by_id"], ["users.id"], name=op.f("fk_contracts_accepted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_organization_id"],
            ["organizations.id"],
            name=op.f("fk_contracts_buyer_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["buyer_region_id"], ["regions.id"], name=op.f("fk_contracts_buyer_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_contracts_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(["filed_by_id"], ["users.id"], name=op.f("fk_contracts_filed_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organizations.id"], name=op.f("fk_contracts_organization_id_organizations")
        ),
        sa.ForeignKeyConstraint(["region_id"], ["regions.id"], name=op.f("fk_contracts_region_id_regions")),
        sa.ForeignKeyConstraint(
            ["registration_point_id"], ["regions.id"], name=op.f("fk_contracts_registration_point_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["seller_organization_id"],
            ["organizations.id"],
            name=op.f("fk_contracts_seller_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contracts_buyer_organization_id"), ["buyer_organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contracts_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index("ix_contracts_queue", ["region_id", "status", "due_on"], unique=False)
        batch_op.create_index(
            "uq_contracts_registration_number",
            ["registration_number"],
            unique=True,
            sqlite_where=sa.text("registration_number IS NOT NULL"),
            postgresql_where=sa.text("registration_number IS NOT NULL"),
        )

    op.create_table(
        "contract_attachments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "contract_text",
                "ip_proof",
                "approval",
                "invoice",
                "other",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_contract_attachments_size_non_negative")),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_attachments_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_attachments")),
        sa.UniqueConstraint(
            "contract_id", "position", name=op.f("uq_contract_attachments_contract_id_position")
        ),
    )
    op.create_table(
        "contract_deductions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "amount_fen BETWEEN 1 AND 9007199254740991", name=op.f("ck_contract_deductions_amount_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_deductions_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_deductions")),
        sa.UniqueConstraint(
            "contract_id", "position", name=op.f("uq_contract_deductions_contract_id_position")
        ),
    )
    op.create_table(
        "contract_payments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("condition", sa.String(length=200), server_default="", nullable=False),
        sa.CheckConstraint(
            "amount_fen BETWEEN 0 AND 9007199254740991", name=op.f("ck_contract_payments_amount_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_payments_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_payments")),
        sa.UniqueConstraint(
            "contract_id", "position", name=op.f("uq_contract_payments_contract_id_position")
        ),
    )
    op.create_table(
        "registration_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("contract_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "registration",
                "change",
                "cancellation",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("entered_year", sa.Integer(), nullable=False),
        sa.Column("entered_month", sa.Integer(), nullable=False),
        sa.Column("count_delta", sa.Integer(), nullable=False),
        sa.Column("total_fen_delta", sa.BigInteger(), nullable=False),
        sa.Column("technical_income_fen_delta", sa.BigInteger(), nullable=False),
        sa.Column("iur_delta", sa.Integer(), nullable=False),
        sa.Column(
            "counted_type",
            sa.Enum(
                "development",
                "transfer",
                "license",
                "consulting",
                "service",
                name="counted_type",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "tech_field",
            sa.Enum(
                "electronic_information",
                "aerospace",
                "advanced_manufacturing",
                "biomedicine",
                "new_materials",
                "new_energy",
                "environment",
                "nuclear",
                "agriculture",
                "modern_transport",
                "urban_social",
                name="tech_field",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("seller_region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("buyer_region_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "seller_kind",
            sa.Enum(
                "enterprise",
                "research_institute",
                "university",
                "other",
                name="seller_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "buyer_kind",
            sa.Enum(
                "enterprise",
                "research_institute",
                "university",
                "other",
                name="buyer_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "ip_type",
            sa.Enum(
                "invention_patent",
                "utility_model",
                "design_patent",
                "software_copyright",
                "ic_layout",
                "plant_variety",
                "technical_secret",
                "none",
                name="ip_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "plan_category",
            sa.Enum(
                "national",
                "ministry",
                "provincial",
                "municipal",
                "none",
                name="plan_category",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("seller_name", sa.String(length=200), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("registration_number", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("entered_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "count_delta IN (-1, 0, 1)", name=op.f("ck_registration_entries_count_delta_unit")
        ),
        sa.CheckConstraint(
            "entered_month BETWEEN 1 AND 12", name=op.f("ck_registration_entries_month_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_region_id"], ["regions.id"], name=op.f("fk_registration_entries_buyer_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contracts.id"], name=op.f("fk_registration_entries_contract_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_registration_entries_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["seller_region_id"],
            ["regions.id"],
            name=op.f("fk_registration_entries_seller_region_id_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_entries")),
    )
    with op.batch_alter_table("registration_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_entries_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index("ix_registration_entries_entered_on", ["entered_on"], unique=False)
        batch_op.create_index(
            "ix_registration_entries_period", ["entered_year", "entered_month"], unique=False
        )

    _seed_policy_targets()


# The policy's targets for 2018–2020 (seed, 二、工作目标), for the default city when it is configured:
# 技术市场合同成交额 5 billion CNY by 2020, 产学研合作项目 1,000 a year, technology-transfer agencies 10.
_POLICY_TARGETS = (
    ("total_fen", 2020, 500_000_000_000),
    ("iur_projects", 2018, 1000),
    ("iur_projects", 2019, 1000),
    ("iur_projects", 2020, 1000),
    ("agencies", 2020, 10),
)
_POLICY_SOURCE = "连云港市促进科技成果转移转化行动方案(2018—2020年)"


def _seed_policy_targets() -> None:
    connection = op.get_bind()
    city = connection.execute(sa.text("SELECT id FROM regions WHERE code = '320700'")).scalar()
    if city is None:
        return
    targets = sa.table(
        "statistics_targets",
        sa.column("metric", sa.String),
        sa.column("region_id", sa.BigInteger),
        sa.column("year", sa.Integer),
        sa.column("value", sa.BigInteger),
        sa.column("source", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        targets,
        [
            {
                "metric": metric,
                "region_id": city,
                "year": year,
                "value": value,
                "source": _POLICY_SOURCE,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for metric, year, value in _POLICY_TARGETS
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("registration_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_entries_period")
        batch_op.drop_index("ix_registration_entries_entered_on")
        batch_op.drop_index(batch_op.f("ix_registration_entries_contract_id"))

    op.drop_table("registration_entries")
    op.drop_table("contract_payments")
    op.drop_table("contract_deductions")
    op.drop_table("contract_attachments")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_contracts_registration_number",
            sqlite_where=sa.text("registration_number IS NOT NULL"),
            postgresql_where=sa.text("registration_number IS NOT NULL"),
        )
        batch_op.drop_index("ix_contracts_queue")
        batch_op.drop_index(batch_op.f("ix_contracts_organization_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_deal_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_buyer_organization_id"))

    op.drop_table("contracts")
    op.drop_table("statistics_targets")
    op.drop_table("registration_counters")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_expires_at"))

    op.drop_table("idempotency_keys")
