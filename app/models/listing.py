"""Columns every listing (demand or achievement) has: ownership, review lifecycle, visibility, search."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, validates

from app.core.collation import MAX_KEY_LENGTH, pinyin_sort_key
from app.core.enums import Confidentiality, ListingStatus, LocalIndustry, TechField
from app.core.identifiers import MAX_PHONE_LENGTH
from app.db.base import BigIntId, UTCDateTime, enum_type


def _title_sort_of_row(context: Any) -> str:
    """The sort key of an inserted row's title, for inserts that bypass the ORM's attributes (bulk
    imports, the demo loader)."""
    return pinyin_sort_key(context.get_current_parameters()["title"])


# Keys compare byte by byte on both databases: PostgreSQL's locale collations would skip the spaces
# that separate syllables.
_SORT_KEY = String(MAX_KEY_LENGTH).with_variant(String(MAX_KEY_LENGTH, collation="C"), "postgresql")


class ListingMixin:
    title: Mapped[str] = mapped_column(String(200))
    # The title in pinyin order (app.core.collation), kept in step with `title`: sort=title uses it.
    title_sort: Mapped[str] = mapped_column(
        _SORT_KEY, default=_title_sort_of_row, server_default="", index=True
    )
    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"), index=True)
    # The city's priority industry the listing names itself; NULL: the industries its tech_field
    # maps to (app.industries).
    local_industry: Mapped[LocalIndustry | None] = mapped_column(enum_type(LocalIndustry, "local_industry"))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    confidentiality: Mapped[Confidentiality] = mapped_column(enum_type(Confidentiality, "confidentiality"))
    confidential_detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(MAX_PHONE_LENGTH))

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

    @validates("title")
    def _keep_title_sort(self, _key: str, title: str) -> str:
        self.title_sort = pinyin_sort_key(title)
        return title

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
