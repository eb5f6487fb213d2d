"""Listing rules demands and achievements share: who may post for an organization, who sees a listing,
and how a stored listing is shown to a given reader."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Access
from app.auth.principal import Principal, access_of
from app.core.clock import today
from app.core.enums import EDITABLE_STATUSES, ListingStatus, LocalIndustry, TechField
from app.core.errors import Forbidden, InvalidTransition, NotFound
from app.core.i18n import msg, term
from app.events import recording as audit
from app.industries import service as industries
from app.industries.mapping import local_industries
from app.listings import revisions
from app.listings.kinds import kind_of
from app.listings.visibility import effective_status, redact
from app.models import Achievement, Demand, Organization, Region
from app.regions import service as regions

Listing = Demand | Achievement
ListingT = TypeVar("ListingT", Demand, Achievement)
ReadT = TypeVar("ReadT", bound=BaseModel)
# The ListingMixin columns a listing's create and update audit events record (with the feature's own).
AUDITED = (
    "title",
    "tech_field",
    "local_industry",
    "keywords",
    "valid_until",
    "region_id",
    "confidentiality",
    "contact_name",
    "contact_phone",
    "status",
)


async def posting_organization(
    session: AsyncSession, principal: Principal, organization_id: int
) -> Organization:
    """The organization a listing is posted for: the caller must be its member."""
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(msg("No organization {organization_id}", organization_id=organization_id))
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
    """Published and closed listings are public; a submitted one also its reviewers'; any other
    only the owner's (404 to everyone else)."""
    listing = await session.get(model, listing_id)
    if listing is None or not access_of(principal).may_read_listing(listing):
        raise NotFound(msg("No {kind} {listing_id}", kind=term(kind_of(model)), listing_id=listing_id))
    return listing


async def published_by_ids(
    session: AsyncSession, model: type[ListingT], listing_ids: Sequence[int]
) -> dict[int, ListingT]:
    """The published listings among `listing_ids`, by id (one statement; none for no ids)."""
    if not listing_ids:
        return {}
    statement = select(model).where(model.id.in_(listing_ids), model.status == ListingStatus.PUBLISHED)
    return {listing.id: listing for listing in await session.scalars(statement)}


async def titles(session: AsyncSession, model: type[ListingT], listing_ids: Sequence[int]) -> dict[int, str]:
    """id -> title of the listings `listing_ids`, whatever their status (one statement)."""
    if not listing_ids:
        return {}
    rows = await session.execute(select(model.id, model.title).where(model.id.in_(listing_ids)))
    return {row.id: row.title for row in rows}


def require_owner(principal: Principal, listing: Listing) -> None:
    if not principal.access.may_edit_listing(listing):
        raise Forbidden("Only the owning organization may edit it", code="not_listing_owner")


def require_editable(principal: Principal, listing: Listing) -> None:
    require_owner(principal, listing)
    if listing.status not in EDITABLE_STATUSES:
        if listing.status == ListingStatus.PUBLISHED:
            detail = msg("A published listing cannot be edited directly; propose a revision instead")
        else:
            detail = msg("A {status} listing cannot be edited directly", status=listing.status)
        raise InvalidTransition(detail, code="not_editable")


def apply_changes(listing: Listing, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(listing, name, value)


def present(
    read_model: type[ReadT],
    listing: Listing,
    *,
    full: bool,
    mapping: Mapping[TechField, Sequence[LocalIndustry]],
    today: date,
    extra: dict[str, Any],
) -> ReadT:
    values = {name: getattr(listing, name) for name in read_model.model_fields if hasattr(listing, name)}
    values |= {
        "local_industries": local_industries(listing.local_industry, mapping.get(listing.tech_field, ())),
        "effective_status": effective_status(listing.status, listing.valid_until, today),
        **extra,
    }
    return read_model.model_validate(redact(values, full=full, confidentiality=listing.confidentiality))


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
    mapping = await industries.mapping(session)
    day = today()
    access = access_of(principal)
    pending = await _pending_revisions(session, access, items)
    organizations, regions_named = await names(session, items)
    # The owner, and its reviewers while it awaits review, read contacts and detail unmasked.
    return [
        present(
            read_model,
            listing,
            full=access.sees_listing_unmasked(listing),
            mapping=mapping,
            today=day,
            extra=extra(listing)
            | {
                "pending_revision_id": pending.get(listing.id),
                "organization_name": organizations[listing.organization_id],
                "region_name": regions_named[listing.region_id],
            },
        )
        for listing in items
    ]


async def names(session: AsyncSession, items: Sequence[Listing]) -> tuple[dict[int, str], dict[int, str]]:
    """The names of the listings' organizations and regions, by id, in one statement (none for no
    listings). The public read path joins them into its own SELECT (app.listings.public)."""
    if not items:
        return {}, {}
    organization_ids = sorted({listing.organization_id for listing in items})
    region_ids = sorted({listing.region_id for listing in items})
    statement = union_all(
        select(literal("organization").label("entity"), Organization.id, Organization.name).where(
            Organization.id.in_(organization_ids)
        ),
        select(literal("region").label("entity"), Region.id, Region.name).where(Region.id.in_(region_ids)),
    )
    found: dict[str, dict[int, str]] = {"organization": {}, "region": {}}
    for row in await session.execute(statement):
        found[row.entity][row.id] = row.name
    return found["organization"], found["region"]


async def _pending_revisions(
    session: AsyncSession, access: Access, items: Sequence[Listing]
) -> dict[int, int]:
    """listing id -> its revision awaiting review, for the listings whose revisions the caller sees."""
    seen = [listing.id for listing in items if access.may_see_revisions(listing)]
    if not seen:
        return {}
    return await revisions.pending_ids(session, type(items[0]), seen)
