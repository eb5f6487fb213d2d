"""Listing rules demands and achievements share: who may post for an organization, who sees a listing,
and how a stored listing is shown to a given reader."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import today
from app.core.enums import EDITABLE_STATUSES, ListingStatus, LocalIndustry, TechField
from app.core.errors import Forbidden, InvalidTransition, NotFound
from app.events import recording as audit
from app.listings import revisions
from app.listings.kinds import kind_of
from app.listings.review import may_review
from app.listings.visibility import PUBLIC_STATUSES, effective_status, is_owner, redact
from app.matching.tokenizer import index_text
from app.models import Achievement, Demand, IndustryMapping, Organization
from app.regions import service as regions

Listing = Demand | Achievement
ListingT = TypeVar("ListingT", Demand, Achievement)
ReadT = TypeVar("ReadT", bound=BaseModel)
# The ListingMixin columns a listing's create and update audit events record (with the feature's own).
AUDITED = (
    "title",
    "tech_field",
    "keywords",
    "valid_until",
    "region_id",
    "confidentiality",
    "contact_name",
    "contact_phone",
    "status",
)


def listing_number(prefix: str, listing: Listing) -> str:
    return format_number(prefix, listing.created_at, listing.id)


def format_number(prefix: str, created_at: datetime, listing_id: int) -> str:
    """The public number: prefix, year of posting, seven-digit id (XQ20260000042, CG20260000042)."""
    return f"{prefix}{created_at.year}{listing_id:07d}"


async def posting_organization(
    session: AsyncSession, principal: Principal, organization_id: int
) -> Organization:
    """The organization a listing is posted for: the caller must be its member."""
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"No organization {organization_id}")
    if not principal.is_member(organization_id):
        raise Forbidden("You can only post for an organization you belong to", code="not_member")
    return organization


async def listing_region(session: AsyncSession, organization: Organization, region_id: int | None) -> int:
    if region_id is None:
        return organization.region_id
    return (await regions.get_region(session, region_id)).id


async def get_visible(
    session: AsyncSession, principal: Principal | None, model: type[ListingT], listing_id: int
) -> ListingT:
    """Published and closed listings are public; others only for the owner and its reviewers (404)."""
    listing = await session.get(model, listing_id)
    if listing is None or not await _may_see(session, principal, listing):
        raise NotFound(f"No {kind_of(model)} {listing_id}")
    return listing


async def _may_see(session: AsyncSession, principal: Principal | None, listing: Listing) -> bool:
    if listing.status in PUBLIC_STATUSES or is_owner(principal, listing.organization_id):
        return True
    return principal is not None and await may_review(
        session, principal, region_id=listing.region_id, organization_id=listing.organization_id
    )


def require_owner(principal: Principal, listing: Listing) -> None:
    if not is_owner(principal, listing.organization_id):
        raise Forbidden("Only the owning organization may edit it", code="not_listing_owner")


def require_editable(principal: Principal, listing: Listing) -> None:
    require_owner(principal, listing)
    if listing.status not in EDITABLE_STATUSES:
        hint = "; propose a revision instead" if listing.status == ListingStatus.PUBLISHED else ""
        raise InvalidTransition(
            f"A {listing.status.value} listing cannot be edited directly{hint}", code="not_editable"
        )


def apply_changes(listing: Listing, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(listing, name, value)


# The mapping is read by every listing response but changes perhaps once a year (an administrator
# edits the table): each process keeps it for a minute instead of querying it on every request.
MAPPING_TTL_SECONDS = 60.0
_mappings: dict[str, tuple[float, dict[TechField, LocalIndustry | None]]] = {}


async def industry_mapping(session: AsyncSession) -> dict[TechField, LocalIndustry | None]:
    database = session.get_bind().engine.url.render_as_string()
    cached = _mappings.get(database)
    if cached is not None and time.monotonic() - cached[0] < MAPPING_TTL_SECONDS:
        return cached[1]
    rows = await session.execute(select(IndustryMapping.tech_field, IndustryMapping.local_industry))
    mapping = {row.tech_field: row.local_industry for row in rows}
    _mappings[database] = (time.monotonic(), mapping)
    return mapping


async def sees_everything(session: AsyncSession, principal: Principal | None, listing: Listing) -> bool:
    """The owner, and its reviewers while it awaits review, read contacts and confidential detail
    unmasked; once reviewed, a reviewer reads it like anyone else (detail needs the owner's consent)."""
    if is_owner(principal, listing.organization_id):
        return True
    if listing.status != ListingStatus.SUBMITTED:
        return False
    return principal is not None and await may_review(
        session, principal, region_id=listing.region_id, organization_id=listing.organization_id
    )


def present(
    read_model: type[ReadT],
    listing: Listing,
    *,
    full: bool,
    mapping: dict[TechField, LocalIndustry | None],
    today: date,
    extra: dict[str, Any],
) -> ReadT:
    values = {name: getattr(listing, name) for name in read_model.model_fields if hasattr(listing, name)}
    values |= {
        "local_industry": mapping.get(listing.tech_field),
        "effective_status": effective_status(listing.status, listing.valid_until, today),
        **extra,
    }
    return read_model.model_validate(redact(values, full=full, confidentiality=listing.confidentiality))


def search_text(*fields: str | None, keywords: list[str]) -> str:
    return index_text(*fields, " ".join(keywords))


async def client_key_taken(
    session: AsyncSession, model: type[Listing], organization_id: int, client_key: str
) -> bool:
    statement = select(model.id).where(
        model.organization_id == organization_id, model.client_key == client_key
    )
    return await session.scalar(statement) is not None


async def apply_update(session: AsyncSession, listing: Listing, changes: dict[str, Any]) -> None:
    """Set the validated `changes` of an update on `listing`; a new region must exist."""
    if changes.get("region_id") is not None:
        changes = changes | {"region_id": (await regions.get_region(session, changes["region_id"])).id}
    apply_changes(listing, changes)


async def record(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    verb: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any],
) -> None:
    """The audit event `<kind>.<verb>` of a change to `listing`."""
    kind = kind_of(listing)
    await audit.record(
        session,
        principal.actor,
        f"{kind}.{verb}",
        entity_type=kind,
        entity_id=listing.id,
        before=before,
        after=after,
    )


async def present_all(
    session: AsyncSession,
    principal: Principal | None,
    read_model: type[ReadT],
    items: Sequence[ListingT],
    extra: Callable[[ListingT], dict[str, Any]],
) -> list[ReadT]:
    """`items` as `principal` may read them; `extra` adds each one's fields the table does not hold."""
    mapping = await industry_mapping(session)
    day = today()
    pending = await _pending_revisions(session, principal, items)
    return [
        present(
            read_model,
            listing,
            full=await sees_everything(session, principal, listing),
            mapping=mapping,
            today=day,
            extra=extra(listing) | {"pending_revision_id": pending.get(listing.id)},
        )
        for listing in items
    ]


async def _pending_revisions(
    session: AsyncSession, principal: Principal | None, items: Sequence[Listing]
) -> dict[int, int]:
    """listing id -> its revision awaiting review, for the listings whose revisions the caller sees."""
    if principal is None or not items:
        return {}
    pending = await revisions.pending_ids(session, type(items[0]), [listing.id for listing in items])
    by_id = {listing.id: listing for listing in items}
    return {
        listing_id: revision_id
        for listing_id, revision_id in pending.items()
        if await revisions.may_see_revisions(session, principal, by_id[listing_id])
    }
