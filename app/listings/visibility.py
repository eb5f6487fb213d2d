"""Who sees what of a listing: published ones are public with contacts masked and without the
confidential detail; the owning organization sees everything; reviewers see what they review."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.auth.access import PUBLIC_LISTING_STATUSES
from app.auth.principal import Principal, access_of
from app.core.enums import Confidentiality, ListingStatus
from app.core.identifiers import mask_phone

PUBLIC_STATUSES = PUBLIC_LISTING_STATUSES
EXPIRED = "expired"


def is_owner(principal: Principal | None, organization_id: int) -> bool:
    return access_of(principal).is_member(organization_id)


def effective_status(status: ListingStatus, valid_until: date | None, today: date) -> str:
    """`expired` for a published listing past its deadline: read right without a background job."""
    if status == ListingStatus.PUBLISHED and valid_until is not None and valid_until < today:
        return EXPIRED
    return status.value


def redact(values: dict[str, Any], *, full: bool, confidentiality: Confidentiality) -> dict[str, Any]:
    """What a reader who is not the owner (nor its reviewer) gets of a listing's fields."""
    if full:
        return values
    redacted = dict(values)
    phone = redacted.get("contact_phone")
    redacted["contact_phone"] = mask_phone(phone) if phone else None
    redacted["confidential_detail"] = None
    redacted["is_detail_withheld"] = confidentiality == Confidentiality.NDA
    return redacted
