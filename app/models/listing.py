"""Columns every listing (demand or achievement) has: ownership, review lifecycle, visibility, search."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.enums import Confidentiality, ListingStatus, TechField
from app.db.base import BigIntId, UTCDateTime, enum_type


class ListingMixin:
    title: Mapped[str] = mapped_column(String(200))
    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"), index=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    confidentiality: Mapped[Confidentiality] = mapped_column(enum_type(Confidentiality, "confidentiality"))
    confidential_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(11))

    status: Mapped[ListingStatus] = mapped_column(enum_type(ListingStatus, "status"), index=True)
    review_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Published revisions; an edit after publication is reviewed as a ListingRevision first.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Space-separated tokens (app.matching.tokenizer) that the full-text index is built on.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The importing client's key for the row, so a re-import creates nothing new.
    client_key: Mapped[str | None] = mapped_column(String(100))

    @declared_attr
    def organization_id(cls) -> Mapped[int]:  # noqa: N805 - a declared_attr takes the class
        return mapped_column(BigIntId, ForeignKey("organizations.id"), index=True)

    @declared_attr
    def region_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("regions.id"), index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("users.id"))

    @declared_attr
    def reviewed_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(BigIntId, ForeignKey("users.id"))
