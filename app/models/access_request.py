"""Requests for a listing's confidential detail (保密信息), granted by the owner under an NDA.

The requester accepts the NDA when asking (timestamped); the owner grants, denies or later revokes.
Each time a grantee reads the detail, the release is written to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.enums import AccessRequestStatus
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type


class AccessRequestMixin:
    purpose: Mapped[str] = mapped_column(Text)
    # The NDA text's version the requester accepted, and when: the evidence of consent.
    nda_version: Mapped[str] = mapped_column(String(20))
    nda_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[AccessRequestStatus] = mapped_column(enum_type(AccessRequestStatus, "status"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def organization_id(cls) -> Mapped[int]:  # noqa: N805 - a declared_attr takes the class
        """The requesting organization: the grant covers its members."""
        return mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)

    @declared_attr
    def requested_by_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("users.id"))

    @declared_attr
    def decided_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("users.id"))


def _one_open_per_organization(table: str) -> Index:
    """One open (requested or granted) request per listing and organization, even under races."""
    still_open = text("status IN ('requested', 'granted')")
    return Index(
        f"uq_{table}_open",
        "listing_id",
        "organization_id",
        unique=True,
        sqlite_where=still_open,
        postgresql_where=still_open,
    )


class DemandAccessRequest(IdMixin, TimestampMixin, VersionMixin, AccessRequestMixin, Base):
    __tablename__ = "demand_access_requests"
    __table_args__ = (_one_open_per_organization("demand_access_requests"),)

    listing_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("demands.id", ondelete="CASCADE"), index=True
    )


class AchievementAccessRequest(IdMixin, TimestampMixin, VersionMixin, AccessRequestMixin, Base):
    __tablename__ = "achievement_access_requests"
    __table_args__ = (_one_open_per_organization("achievement_access_requests"),)

    listing_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
