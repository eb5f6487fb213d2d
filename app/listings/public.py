"""The public read path: anonymous lists and gets of a listing kind, in SQLAlchemy Core.

Anonymous reads are most of the traffic, and every anonymous caller sees the same view of a listing:
published (by id also closed) ones only, contacts masked, no confidential detail, no pending
revision (app.listings.visibility). That view needs no ORM objects and no transaction, so it is
read here with Core statements on a reader connection (app.db.reader): one SELECT for a get, with
the kind's own collections (an achievement's patents) aggregated into it, and the region subtree,
COUNT(*) and page for a list. The rows go straight into the kind's read model and are serialized as
FastAPI would serialize it. Signed-in callers, whose view depends on who they are, and every write
stay on the ORM path. bench/listings.py measures this path against a bare baseline that sends the
same SQL (tests/bench checks that it does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Row, Select, bindparam, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import FromClause

from app.core.clock import today
from app.core.enums import ListingStatus, LocalIndustry
from app.core.errors import NotFound
from app.core.i18n import msg, term
from app.core.pagination import Page, PageParams, etag
from app.db import dialect
from app.db.reader import Reader
from app.industries import service as industries
from app.industries.mapping import local_industries
from app.listings import queries, search
from app.listings.kinds import ReadKind
from app.listings.listing import ListingSort, order_by
from app.listings.schemas import ListingRead
from app.listings.spec import format_number
from app.listings.visibility import PUBLIC_STATUSES, effective_status, redact
from app.models import Organization, Region

# Columns of a listing no public reader is shown (redact() withholds the detail anyway).
_NEVER_READ = frozenset({"confidential_detail", "search_text", "search_vector", "client_key"})
# The label of the local industries the listing's tech_field maps to (read, then replaced by
# `local_industries`).
_MAPPED = "mapped_industries"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response body, serialized, with the ETag of the one listing it holds (None for a page)."""

    body: bytes
    etag: str | None = None


async def get(reader: Reader, kind: ReadKind[Any], listing_id: int) -> Rendered:
    """A published or closed listing as the public sees it (404 for any other, as for strangers)."""

    row = await reader.first(_by_id(kind, reader.dialect), listing_id=listing_id)
    if row is None:
        raise NotFound(msg("No {kind} {listing_id}", kind=term(kind.name), listing_id=listing_id))
    item = read_adapter(kind.read_model).validate_python(_public_values(kind, row, today()))
    return Rendered(read_adapter(kind.read_model).dump_json(item), etag(kind.name, row["id"], row["version"]))


async def page(
    reader: Reader,
    kind: ReadKind[Any],
    listing_filter: queries.ListingFilter,
    sort: ListingSort,
    params: PageParams,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Rendered:
    """One page of the public list (a 401 for scope=mine/review, which need a caller)."""
    day = today()
    if queries.ranking_is_the_answer(listing_filter) and not conditions and sort == ListingSort.RELEVANCE:
        ranked = await queries.engine_ids(kind.model, listing_filter, day)
        found_rows = await _ranked_page(reader, kind, listing_filter, ranked, params, day)
        return _rendered_page(kind, listing_filter, len(ranked), found_rows, params, day)

    async def read(connection: AsyncConnection) -> tuple[int, Sequence[Row[Any]]]:
        found = await queries.filtered(connection, kind.model, None, listing_filter, day)
        where = [*found.conditions, *conditions]
        source: FromClause = kind.model.__table__
        rank = None
        if found.matches is not None:
            source = source.join(found.matches, found.matches.c.id == kind.model.id)
            rank = found.matches.c.rank
        total = await connection.scalar(select(func.count()).select_from(source).where(*where))
        statement = (
            _selected(kind, dialect.key(connection), source)
            .where(*where)
            .order_by(*order_by(kind.model, sort, rank))
            .limit(params.limit)
            .offset(params.offset)
        )
        return int(total or 0), (await connection.execute(statement)).all()

    total, rows = await reader.run(read)
    return _rendered_page(kind, listing_filter, total, [row._asdict() for row in rows], params, day)


def _rendered_page(
    kind: ReadKind[Any],
    listing_filter: queries.ListingFilter,
    total: int,
    rows: Sequence[Mapping[str, Any]],
    params: PageParams,
    day: date,
) -> Rendered:
    items = [_public_values(kind, row, day) for row in rows]
    snippets = search.snippets_for(listing_filter.q, listing_filter.index)
    if snippets is not None:
        for item in items:
            item["snippet"] = snippets.of(item)
    adapter = page_adapter(kind.read_model)
    body = {"items": items, "total": total, "limit": params.limit, "offset": params.offset}
    return Rendered(adapter.dump_json(adapter.validate_python(body)))


async def _ranked_page(
    reader: Reader,
    kind: ReadKind[Any],
    listing_filter: queries.ListingFilter,
    ranked: Sequence[int],
    params: PageParams,
    day: date,
) -> Sequence[Mapping[str, Any]]:
    """The rows of a search's page cut from the engine's ranking, which is the whole answer (the
    total is its length): one SELECT of the page's ids, built once per shape and sent as `get` sends
    its own. The conditions are the list's (queries.filtered's, for a filter the index holds), so a
    listing closed since the index last heard of it is left out rather than shown."""
    wanted = ranked[params.offset : params.offset + params.limit]
    if not wanted:
        return []
    field, unexpired = listing_filter.tech_field, not listing_filter.include_expired
    statement = _ranked_statement(kind, reader.dialect, field is not None, unexpired)
    values: dict[str, Any] = {
        "ranked_ids": dialect.ranked_ids_value(reader.dialect, wanted),
        "status": ListingStatus.PUBLISHED,
    }
    if field is not None:
        values["tech_field"] = field
    if unexpired:
        values["today"] = day
    return await reader.all(statement, **values)


@cache
def _ranked_statement(kind: ReadKind[Any], dialect_name: str, by_field: bool, unexpired: bool) -> Select[Any]:
    model = kind.model
    matches = dialect.ranked_ids(dialect_name)
    where: list[ColumnElement[bool]] = [model.status == bindparam("status")]
    if by_field:
        where.append(model.tech_field == bindparam("tech_field"))
    if unexpired:
        where.append(or_(model.valid_until.is_(None), model.valid_until >= bindparam("today")))
    source = model.__table__.join(matches, matches.c.id == model.id)
    return _selected(kind, dialect_name, source).where(*where).order_by(matches.c.rank.desc())


def _public_values(kind: ReadKind[Any], row: Mapping[str, Any], day: date) -> dict[str, Any]:
    values = dict(row)
    status = values["status"] = ListingStatus(values["status"])  # a string when read past SQLAlchemy
    values["effective_status"] = effective_status(status, values["valid_until"], day)
    values["number"] = format_number(kind.number_prefix, values["created_at"], values["id"])
    values["pending_revision_id"] = None  # only the owner and its reviewers learn of one
    mapped = [LocalIndustry(entry["industry"]) for entry in values.pop(_MAPPED) or ()]
    values["local_industries"] = local_industries(values["local_industry"], mapped)
    return redact(values, full=False, confidentiality=values["confidentiality"])


@cache
def _by_id(kind: ReadKind[Any], dialect: str) -> Select[Any]:
    model = kind.model
    # The statuses as literals: the id is the statement's one parameter (app.db.reader.first).
    public: list[Any] = [literal_column(f"'{status.value}'") for status in sorted(PUBLIC_STATUSES)]
    return _selected(kind, dialect, model.__table__).where(
        model.id == bindparam("listing_id"), model.status.in_(public)
    )


def _selected(kind: ReadKind[Any], dialect: str, source: FromClause) -> Select[Any]:
    """The read model's stored columns, the version (for the ETag), the local industries the tech
    field maps to (a correlated subquery: the mapping is a dozen rows), the names of the organization
    and the region (joins by primary key) and the kind's own columns, from `source`."""
    model = kind.model
    joined = source.join(Organization, Organization.id == model.organization_id).join(
        Region, Region.id == model.region_id
    )
    return select(*_columns(kind, dialect)).select_from(joined)


@cache
def _columns(kind: ReadKind[Any], dialect: str) -> list[ColumnElement[Any]]:
    table = kind.model.__table__
    stored = [
        table.c[name] for name in kind.read_model.model_fields if name in table.c and name not in _NEVER_READ
    ]
    return [
        *stored,
        table.c.version,
        industries.mapped_industries(dialect, table.c.tech_field, table).label(_MAPPED),
        Organization.name.label("organization_name"),
        Region.name.label("region_name"),
        *kind.extra_columns(dialect),
    ]


# The adapters FastAPI builds for `response_model=XRead` and `Page[XRead]`: the same bytes it sends.
@cache
def read_adapter(read_model: type[ListingRead]) -> TypeAdapter[Any]:
    return TypeAdapter(read_model)


@cache
def page_adapter(read_model: type[ListingRead]) -> TypeAdapter[Any]:
    return TypeAdapter(Page[read_model])  # type: ignore[valid-type]
