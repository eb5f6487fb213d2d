"""Achievement packages (科技成果包): curated, versioned sets of published achievements.

A package belongs to a region and an industrial direction. Its content (title, summary, members) lives
in numbered versions: at most one draft, the latest one, and published versions that never change.
Members are stored per version, so a published version keeps the list it was published with.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LocalIndustry, PackageVersionStatus
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, UTCDateTime, VersionMixin, enum_type


class AchievementPackage(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "achievement_packages"
    __table_args__ = (
        CheckConstraint("industry IS NOT NULL OR theme IS NOT NULL", name="direction_required"),
        CheckConstraint("latest_number >= 1", name="latest_number_positive"),
        CheckConstraint(
            "published_number IS NULL OR published_number BETWEEN latest_number - 1 AND latest_number",
            name="published_number_in_range",
        ),
    )

    region_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("regions.id"), index=True)
    # The industrial direction: one of the city's priority industries, a free-text theme, or both.
    industry: Mapped[LocalIndustry | None] = mapped_column(enum_type(LocalIndustry, "industry"), index=True)
    theme: Mapped[str | None] = mapped_column(String(100))
    # Denormalised from package_versions so that lists filter and sort without a join: the highest
    # version number, and the highest published one (NULL until the first publication). A draft
    # exists exactly when they differ.
    latest_number: Mapped[int] = mapped_column(default=1, server_default="1")
    published_number: Mapped[int | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))


class PackageVersion(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "package_versions"
    __table_args__ = (
        UniqueConstraint("package_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(
            "(status = 'draft' AND published_at IS NULL)"
            " OR (status = 'published' AND published_at IS NOT NULL)",
            name="published_at_iff_published",
        ),
        # At most one draft per package, whatever races the application's compare-and-set misses.
        Index(
            "uq_package_versions_one_draft",
            "package_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    package_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("achievement_packages.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    status: Mapped[PackageVersionStatus] = mapped_column(enum_type(PackageVersionStatus, "status"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The published version this draft was copied from (NULL for version 1).
    based_on: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))


class PackageMember(IdMixin, Base):
    """One achievement in one version, at a position (1, 2, ...), with the curator's optional note."""

    __tablename__ = "package_members"
    __table_args__ = (
        UniqueConstraint("version_id", "achievement_id"),
        UniqueConstraint("version_id", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    version_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("package_versions.id", ondelete="CASCADE"), index=True
    )
    achievement_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("achievements.id"), index=True)
    position: Mapped[int] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(500))
