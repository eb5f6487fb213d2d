"""Scientific and technological achievements (科技成果) in the project library, and their patents."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import AchievementLevel, IpForm, MaturityStage, PatentStatus, PatentType, TransferMode
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, VersionMixin, enum_type
from app.models.listing import ListingMixin


class Achievement(IdMixin, TimestampMixin, VersionMixin, ListingMixin, Base):
    __tablename__ = "achievements"
    __table_args__ = (
        UniqueConstraint("organization_id", "client_key"),
        CheckConstraint("trl IS NULL OR (trl BETWEEN 1 AND 9)", name="trl_range"),
        CheckConstraint("asking_price_fen IS NULL OR asking_price_fen >= 0", name="price_non_negative"),
    )

    abstract: Mapped[str] = mapped_column(Text)
    public_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    application_industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Technology readiness level (GB/T 22900 annex A) and/or the coarser stage.
    trl: Mapped[int | None] = mapped_column()
    stage: Mapped[MaturityStage | None] = mapped_column(enum_type(MaturityStage, "stage"))
    level: Mapped[AchievementLevel] = mapped_column(enum_type(AchievementLevel, "level"))
    ip_form: Mapped[IpForm] = mapped_column(enum_type(IpForm, "ip_form"))
    transfer_modes: Mapped[list[TransferMode]] = mapped_column(JSON, default=list)
    asking_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    is_price_negotiable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    team: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    technical_indicators: Mapped[str] = mapped_column(Text, default="", server_default="")
    commercial_analysis: Mapped[str] = mapped_column(Text, default="", server_default="")


class Patent(IdMixin, Base):
    __tablename__ = "achievement_patents"
    __table_args__ = (UniqueConstraint("achievement_id", "application_number"),)

    achievement_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    application_number: Mapped[str] = mapped_column(String(20), index=True)
    patent_type: Mapped[PatentType] = mapped_column(enum_type(PatentType, "patent_type"))
    status: Mapped[PatentStatus] = mapped_column(enum_type(PatentStatus, "status"))
    title: Mapped[str | None] = mapped_column(String(200))
