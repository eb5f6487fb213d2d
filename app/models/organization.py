"""Organizations (enterprises, universities, institutes, agencies, ...) and their memberships."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LegalPersonType, MembershipRole, MembershipStatus, OrganizationKind
from app.core.identifiers import MAX_PHONE_LENGTH
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type


class Organization(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "organizations"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganizationKind] = mapped_column(enum_type(OrganizationKind, "kind"))
    legal_person_type: Mapped[LegalPersonType] = mapped_column(
        enum_type(LegalPersonType, "legal_person_type")
    )
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    website: Mapped[str | None] = mapped_column(String(300))
    # Contact details are private to members and administrators.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(MAX_PHONE_LENGTH))
    address: Mapped[str | None] = mapped_column(String(300))
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))


class Membership(IdMixin, TimestampMixin, VersionMixin, Base):
    """A user's place in an organization, reached by invitation or by an approved request."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    user_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(enum_type(MembershipRole, "role"))
    status: Mapped[MembershipStatus] = mapped_column(enum_type(MembershipStatus, "status"))
    requested_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
