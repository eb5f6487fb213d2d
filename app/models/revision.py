"""Revisions of published listings: an edit after publication is proposed, reviewed, then applied.

The listing itself stays as published (and visible) until a reviewer publishes the revision.
One table per listing kind keeps a real foreign key to the listing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.enums import RevisionStatus
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type


class ListingRevisionMixin:
    # The validated changes as the update schema's JSON (only the fields the owner sent).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[RevisionStatus] = mapped_column(enum_type(RevisionStatus, "status"))
    # The listing's version the edit was made against: publishing refuses a listing changed since.
    base_version: Mapped[int] = mapped_column()
    # The listing's revision number this one became when published.
    published_revision: Mapped[int | None] = mapped_column()
    review_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805 - a declared_attr takes the class
        return mapped_column(BigIntId, ForeignKey("users.id"))

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("users.id"))


def _one_pending_per_listing(table: str) -> Index:
    """At most one revision awaits review per listing, enforced by the database against races."""
    pending = text("status = 'submitted'")
    return Index(
        f"uq_{table}_pending",
        "listing_id",
        unique=True,
        sqlite_where=pending,
        postgresql_where=pending,
    )


class DemandRevision(IdMixin, TimestampMixin, VersionMixin, ListingRevisionMixin, Base):
    __tablename__ = "demand_revisions"
    __table_args__ = (_one_pending_per_listing("demand_revisions"),)

    listing_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("demands.id", ondelete="CASCADE"), index=True
    )


class AchievementRevision(IdMixin, TimestampMixin, VersionMixin, ListingRevisionMixin, Base):
    __tablename__ = "achievement_revisions"
    __table_args__ = (_one_pending_per_listing("achievement_revisions"),)

    listing_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
