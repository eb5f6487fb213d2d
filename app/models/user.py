"""Users and their platform roles (broker, registrar, district/city/system administrator)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text, true
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import BrokerLevel, PlatformRole
from app.core.identifiers import MAX_PHONE_LENGTH
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type, utcnow


class User(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "users"

    # Stored lower-cased, so uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(MAX_PHONE_LENGTH))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoleGrant(IdMixin, Base):
    """One platform role held by a user. Revoked grants stay as history (revoked_at set)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(
            "(role NOT IN ('registrar', 'district_admin')) OR region_id IS NOT NULL", name="region_required"
        ),
        CheckConstraint("role <> 'broker' OR broker_licence_no IS NOT NULL", name="broker_licence_required"),
        Index(
            "uq_role_grants_active",
            "user_id",
            "role",
            "region_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    user_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id"), index=True)
    role: Mapped[PlatformRole] = mapped_column(enum_type(PlatformRole, "role"))
    region_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("regions.id"))
    broker_licence_no: Mapped[str | None] = mapped_column(String(50))
    broker_level: Mapped[BrokerLevel | None] = mapped_column(enum_type(BrokerLevel, "broker_level"))
    granted_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
