"""Reading listings of a kind, for any caller: the list and the get by id behind the routers.

An anonymous caller takes the public read path (app.listings.public: Core, no transaction); a
signed-in one the ORM path, whose view depends on who they are (their own listings unmasked, what
they review, confidential detail released under a grant, with its audit event). Both answer with
the serialized body, so a router returns it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.pagination import PageParams, etag, page_of
from app.db.reader import Reader
from app.listings import access, listing, public, search
from app.listings.kinds import ListingT, ReadKind
from app.listings.listing import ListingSort
from app.listings.public import Rendered
from app.listings.queries import ListingFilter
from app.listings.schemas import ListingRead
from app.listings.service import get_visible


async def get(
    session: AsyncSession,
    reader: Reader,
    principal: Principal | None,
    kind: ReadKind[ListingT],
    listing_id: int,
) -> Rendered:
    """One listing as `principal` may read it (404 when they may not), with its ETag."""
    if principal is None:
        return await public.get(reader, kind, listing_id)
    found = await get_visible(session, principal, kind.model, listing_id)
    read = (await kind.to_read(session, principal, [found]))[0]
    read = await access.with_released_detail(session, principal, found, read)
    body = public.read_adapter(kind.read_model).dump_json(read)
    return Rendered(body, etag(kind.name, found.id, found.version))


async def page(
    session: AsyncSession,
    reader: Reader,
    principal: Principal | None,
    kind: ReadKind[ListingT],
    listing_filter: ListingFilter,
    sort: ListingSort,
    params: PageParams,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Rendered:
    """One page of the list, as `principal` may read it."""
    if principal is None:
        return await public.page(reader, kind, listing_filter, sort, params, conditions)
    items, total = await listing.run(session, kind.model, principal, listing_filter, sort, params, conditions)
    reads = await kind.to_read(session, principal, items)
    snippets = search.snippets_for(listing_filter.q, listing_filter.index)
    if snippets is not None:
        reads = [read.model_copy(update={"snippet": snippets.of(_texts(read))}) for read in reads]
    return Rendered(public.page_adapter(kind.read_model).dump_json(page_of(reads, total, params)))


def _texts(read: ListingRead) -> dict[str, Any]:
    return {name: getattr(read, name, None) for name in search.SNIPPET_FIELDS}
