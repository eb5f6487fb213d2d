"""Technology contracts and their registration (技术合同认定登记).

A contract is filed by the seller side's organization and registered by a registrar of the seller's
region. Its amounts are integer fen: 成交额 (`total_fen`), the itemised non-technical deductions, and
技术交易额 (`technical_income_fen`) derived from them (a CHECK holds the equation). Parties are columns
of the contract (the registration form has one seller and one buyer), each either an organization of
the network or an external party.

What the statistics count is the registration ledger (`registration_entries`): one signed entry per
registration, change (变更) and cancellation (注销), carrying the dimensions the tallies cut by. A
change writes the old figures negated and the new ones, so a tally moves by exactly the difference, in
the period the change was registered; past periods keep the figures they had.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import (
    AttachmentKind,
    ContractRuleSet,
    ContractStatus,
    ContractSubtype,
    ContractType,
    IpForm,
    LegalPersonType,
    PartyKind,
    PlanCategory,
    RegistrationEntryKind,
    TargetMetric,
    TechField,
)
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type, utcnow

# 2^53 − 1: the largest amount a JSON client sends exactly (app.contracts.amounts.MAX_FEN).
_MAX_FEN = "9007199254740991"


class Contract(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(f"total_fen BETWEEN 0 AND {_MAX_FEN}", name="total_in_range"),
        CheckConstraint("deductions_fen >= 0", name="deductions_non_negative"),
        CheckConstraint(
            "technical_income_fen = total_fen - deductions_fen AND technical_income_fen >= 0",
            name="technical_income_derived",
        ),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", name="valid_range"
        ),
        CheckConstraint(
            "(status IN ('registered', 'cancelled')) = (registration_number IS NOT NULL)",
            name="number_iff_registered",
        ),
        CheckConstraint(
            "registration_number IS NULL OR length(registration_number) = 16", name="number_length"
        ),
        Index(
            "uq_contracts_registration_number",
            "registration_number",
            unique=True,
            sqlite_where=text("registration_number IS NOT NULL"),
            postgresql_where=text("registration_number IS NOT NULL"),
        ),
        # The registrar's queue: what awaits a decision in a region, by deadline.
        Index("ix_contracts_queue", "region_id", "status", "due_on"),
    )

    # The seller side's organization, which files the registration, and its region (where it is
    # registered: the registrar's scope).
    organization_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)
    region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"))
    status: Mapped[ContractStatus] = mapped_column(enum_type(ContractStatus, "status"))
    rule_set: Mapped[ContractRuleSet] = mapped_column(enum_type(ContractRuleSet, "rule_set"))
    contract_type: Mapped[ContractType] = mapped_column(enum_type(ContractType, "contract_type"))
    subtype: Mapped[ContractSubtype] = mapped_column(enum_type(ContractSubtype, "subtype"))
    project_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    seller_name: Mapped[str] = mapped_column(String(200))
    seller_organization_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("organizations.id"))
    seller_country_code: Mapped[str] = mapped_column(String(3))
    seller_area_code: Mapped[str | None] = mapped_column(String(6))
    seller_legal_person_type: Mapped[LegalPersonType] = mapped_column(
        enum_type(LegalPersonType, "seller_legal_person_type")
    )
    seller_credit_code: Mapped[str | None] = mapped_column(String(18))

    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_organization_id: Mapped[int | None] = mapped_column(
        BigIntId, ForeignKey("organizations.id"), index=True
    )
    buyer_country_code: Mapped[str] = mapped_column(String(3))
    buyer_area_code: Mapped[str | None] = mapped_column(String(6))
    buyer_legal_person_type: Mapped[LegalPersonType] = mapped_column(
        enum_type(LegalPersonType, "buyer_legal_person_type")
    )
    buyer_credit_code: Mapped[str | None] = mapped_column(String(18))
    # The network region the buyer is located in (its organization's, or the region with its area
    # code); NULL outside the network. The absorption (吸纳) tallies count by it.
    buyer_region_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("regions.id"))

    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"))
    ip_type: Mapped[IpForm] = mapped_column(enum_type(IpForm, "ip_type"))
    plan_category: Mapped[PlanCategory] = mapped_column(enum_type(PlanCategory, "plan_category"))
    # GB/T 24450 socio-economic objective code (社会经济目标).
    socio_economic_objective: Mapped[str | None] = mapped_column(String(10))
    # For transfers and licences: 预计新增投入, 预计新增产值.
    expected_investment_fen: Mapped[int | None] = mapped_column(BigInteger)
    expected_output_fen: Mapped[int | None] = mapped_column(BigInteger)
    # 主要技术内容 and 价款、报酬或使用费及支付方式, as the contract states them: the pre-check reads them.
    content_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    price_terms: Mapped[str] = mapped_column(Text, default="", server_default="")

    total_fen: Mapped[int] = mapped_column(BigInteger)
    deductions_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    technical_income_fen: Mapped[int] = mapped_column(BigInteger)

    # The parties dispute the contract: its review takes the longer (expert) time limit.
    disputed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The deal (brokers' issue) this contract closes; no foreign key until deals exist.
    deal_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    filed_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))

    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The registrar's deadline, from the last submission (a 补正 restarts it). Overdue is read off it
    # against today's date, never stored, so it cannot lag.
    due_on: Mapped[date | None] = mapped_column(Date)
    # The day the clock started (the last submission), and whether `due_on` counted days of a year
    # whose official calendar was not loaded yet (computed again when an administrator loads it).
    clock_started_on: Mapped[date | None] = mapped_column(Date)
    due_on_provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    expert_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    # The registrar's findings (补正) or grounds (refusal): [{"ground": RefusalGround, "note": str}].
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    registration_number: Mapped[str | None] = mapped_column(String(16))
    # The registration point (a region with a GB/T 2260 code) whose counter gave the number.
    registration_point_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("regions.id"))
    registered_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)


class ContractDeduction(IdMixin, Base):
    """A non-technical cost deducted from 成交额 (equipment, instruments, parts, raw materials)."""

    __tablename__ = "contract_deductions"
    __table_args__ = (
        UniqueConstraint("contract_id", "position"),
        CheckConstraint(f"amount_fen BETWEEN 1 AND {_MAX_FEN}", name="amount_in_range"),
    )

    contract_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("contracts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class ContractPayment(IdMixin, Base):
    """One instalment of the payment schedule."""

    __tablename__ = "contract_payments"
    __table_args__ = (
        UniqueConstraint("contract_id", "position"),
        CheckConstraint(f"amount_fen BETWEEN 0 AND {_MAX_FEN}", name="amount_in_range"),
    )

    contract_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("contracts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    condition: Mapped[str] = mapped_column(String(200), default="", server_default="")


class ContractAttachment(IdMixin, Base):
    """A file's metadata (the proofs a registrar asks for); the file itself is not stored here."""

    __tablename__ = "contract_attachments"
    __table_args__ = (
        UniqueConstraint("contract_id", "position"),
        CheckConstraint("size_bytes >= 0", name="size_non_negative"),
    )

    contract_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("contracts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[AttachmentKind] = mapped_column(enum_type(AttachmentKind, "kind"))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))


class RegistrationCounter(Base):
    """The last serial a registration point gave in a year. Registering claims the next one with
    `UPDATE … RETURNING` in its own transaction, so numbers are unique and gap-free under concurrency
    (a rolled-back registration rolls its claim back too)."""

    __tablename__ = "registration_counters"
    __table_args__ = (CheckConstraint("last_serial >= 0", name="serial_non_negative"),)

    point_region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_serial: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RegistrationEntry(IdMixin, Base):
    """One signed line of the registration ledger: what the statistics sum.

    A registration enters +1 and its amounts; a change enters the old figures negated and the new
    ones (two rows, the same sequence); a cancellation the figures negated. The dimensions are the
    contract's at that moment, so a change of field or type moves the figures between groups.
    """

    __tablename__ = "registration_entries"
    __table_args__ = (
        CheckConstraint("count_delta IN (-1, 0, 1)", name="count_delta_unit"),
        CheckConstraint("entered_month BETWEEN 1 AND 12", name="month_in_range"),
        Index("ix_registration_entries_period", "entered_year", "entered_month"),
        Index("ix_registration_entries_entered_on", "entered_on"),
    )

    contract_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("contracts.id"), index=True)
    kind: Mapped[RegistrationEntryKind] = mapped_column(enum_type(RegistrationEntryKind, "kind"))
    # The contract's registration ledger counts 1, 2, ... (a change's two rows share one).
    sequence: Mapped[int] = mapped_column(Integer)
    entered_on: Mapped[date] = mapped_column(Date)
    entered_year: Mapped[int] = mapped_column(Integer)
    entered_month: Mapped[int] = mapped_column(Integer)
    count_delta: Mapped[int] = mapped_column(Integer)
    total_fen_delta: Mapped[int] = mapped_column(BigInteger)
    technical_income_fen_delta: Mapped[int] = mapped_column(BigInteger)
    # 产学研: an enterprise with a university or research institute.
    iur_delta: Mapped[int] = mapped_column(Integer, default=0)

    # The dimensions, as the contract had them. `counted_type` is the type the statistics use (the
    # 2001 rules count 许可 as 转让). The local industry is the field's, through the editable mapping
    # (tech_field_industries), when tallied.
    counted_type: Mapped[ContractType] = mapped_column(enum_type(ContractType, "counted_type"))
    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"))
    seller_region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"))
    buyer_region_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("regions.id"))
    seller_kind: Mapped[PartyKind] = mapped_column(enum_type(PartyKind, "seller_kind"))
    buyer_kind: Mapped[PartyKind] = mapped_column(enum_type(PartyKind, "buyer_kind"))
    ip_type: Mapped[IpForm] = mapped_column(enum_type(IpForm, "ip_type"))
    plan_category: Mapped[PlanCategory] = mapped_column(enum_type(PlanCategory, "plan_category"))
    seller_name: Mapped[str] = mapped_column(String(200))
    buyer_name: Mapped[str] = mapped_column(String(200))

    registration_number: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The contract's terms after this entry (the history a change registration keeps).
    terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entered_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StatisticsTarget(IdMixin, TimestampMixin, VersionMixin, Base):
    """A target the city steers by (工作目标), for a region and a year: data, not code."""

    __tablename__ = "statistics_targets"
    __table_args__ = (
        UniqueConstraint("metric", "region_id", "year"),
        CheckConstraint("value >= 0", name="value_non_negative"),
    )

    metric: Mapped[TargetMetric] = mapped_column(enum_type(TargetMetric, "metric"))
    region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"))
    year: Mapped[int] = mapped_column(Integer)
    # In the metric's unit: fen for amounts, a count otherwise.
    value: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
