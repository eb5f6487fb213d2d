"""Exporting a filtered list of listings to CSV or XLSX, streamed.

The request decides what is exported (the ids, in the list's order, with the list's filters and
scopes) so that a refused filter is a 4xx before any byte is sent. The body is then written batch by
batch from a session of its own (the request's is committed and closed before the response streams),
each batch read through the feature's `to_read`: what a caller cannot see in the list (a full phone
number, confidential detail) is not in the export either.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.auth.principal import Principal
from app.listings import listing
from app.listings.columns import CHINA_TIME
from app.listings.listing import ListingSort, ListingT
from app.listings.queries import ListingFilter
from app.listings.visibility import is_owner
from app.models import Region
from app.tabular.cells import CellValue
from app.tabular.columns import Spec
from app.tabular.reading import FileFormat, spreadsheet_responses
from app.tabular.writing import CsvWriter, XlsxWriter, chunks

BATCH = 500
ToRead = Callable[[AsyncSession, Principal | None, Sequence[ListingT]], Awaitable[Sequence[BaseModel]]]
EXPORT_RESPONSES = spreadsheet_responses(
    "The list as a spreadsheet (formula-like cells neutralised with a leading ')"
)


def refuse_other_methods(router: APIRouter, path: str) -> None:
    """405 for other methods on `path`: without it, PATCH /demands/export would reach PATCH
    /demands/{demand_id} (and answer its 428 or 422). Declare it before the /{id} routes."""

    async def not_allowed() -> None:
        raise StarletteHTTPException(status_code=405)

    router.add_api_route(
        path, not_allowed, methods=["POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )


FormatQuery = Annotated[FileFormat, Query(alias="format", description="csv (UTF-8 with BOM) or xlsx")]


@dataclass(frozen=True, slots=True)
class Export(Generic[ListingT]):
    model: type[ListingT]
    spec: Spec
    to_read: ToRead[ListingT]
    file_stem: str


async def export_response(
    export: Export[ListingT],
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    principal: Principal | None,
    listing_filter: ListingFilter,
    sort: ListingSort,
    conditions: Sequence[ColumnElement[bool]],
    file_format: FileFormat,
) -> StreamingResponse:
    statement = await listing.ordered(session, export.model, principal, listing_filter, sort, conditions)
    ids = list(await session.scalars(statement.with_only_columns(export.model.id)))
    batches = _batches(export, sessionmaker, principal, ids)
    body = _csv(export.spec, batches) if file_format is FileFormat.CSV else _xlsx(export.spec, batches)
    stamp = datetime.now(CHINA_TIME).strftime("%Y%m%d-%H%M")
    disposition = f'attachment; filename="{export.file_stem}-{stamp}.{file_format.value}"'
    return StreamingResponse(
        body, media_type=file_format.media_type, headers={"Content-Disposition": disposition}
    )


async def _batches(
    export: Export[ListingT],
    sessionmaker: async_sessionmaker[AsyncSession],
    principal: Principal | None,
    ids: list[int],
) -> AsyncIterator[list[list[CellValue]]]:
    async with sessionmaker() as session:
        regions = {row.id: row.name for row in await session.execute(select(Region.id, Region.name))}
        for start in range(0, len(ids), BATCH):
            wanted = ids[start : start + BATCH]
            found = {
                row.id: row
                for row in await session.scalars(select(export.model).where(export.model.id.in_(wanted)))
            }
            items = [found[id_] for id_ in wanted if id_ in found]  # in the list's order
            reads = await export.to_read(session, principal, items)
            yield [
                export.spec.render(_values(read, item, principal, regions))
                for item, read in zip(items, reads, strict=True)
            ]


def _values(
    read: BaseModel, item: ListingT, principal: Principal | None, regions: dict[int, str]
) -> dict[str, Any]:
    values = {name: getattr(read, name) for name in type(read).model_fields}
    values["region_name"] = regions.get(item.region_id)
    # The importing client's key is the owner's business: a re-import of its own export skips all.
    values["client_key"] = item.client_key if is_owner(principal, item.organization_id) else None
    return values


async def _csv(spec: Spec, batches: AsyncIterator[list[list[CellValue]]]) -> AsyncIterator[bytes]:
    writer = CsvWriter()
    yield writer.rows([spec.headers()])
    async for rows in batches:
        yield writer.rows(rows)


async def _xlsx(spec: Spec, batches: AsyncIterator[list[list[CellValue]]]) -> AsyncIterator[bytes]:
    writer = XlsxWriter(spec.sheet_title, column_widths=[max(10, len(h) * 2 + 2) for h in spec.headers()])
    writer.rows([spec.headers()])
    async for rows in batches:
        writer.rows(rows)
    saved = await asyncio.to_thread(writer.save)
    for chunk in chunks(saved):
        yield chunk
