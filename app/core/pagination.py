"""Pagination, sorting and ETag conventions shared by every list and updatable resource.

- Lists take `limit` (default 20, at most 100) and `offset`, and answer `{items, total, limit, offset}`.
- `sort` is a comma-separated list of field names, `-` for descending (`sort=-created_at,name`);
  each resource names the fields it allows, anything else is a 422 with code `invalid_sort`.
- Updatable resources carry a strong `ETag` ("<kind>-<id>-v<version>"); updates need `If-Match`
  (428 without it, 412 when it is stale).
- A 201 carries `Location`, the URL path of the new resource's own GET route (`set_location`), and
  declares it in the OpenAPI document (`CREATED`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Header, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement

from app.core.errors import PreconditionFailed, PreconditionRequired, ValidationFailed
from app.core.i18n import msg

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


def page_of(items: Sequence[ItemT], total: int, params: PageParams) -> Page[ItemT]:
    return Page[ItemT](items=list(items), total=total, limit=params.limit, offset=params.offset)


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]


def sort_query(allowed: Iterable[str]) -> Any:
    """The `sort` query parameter of a list sortable by `allowed`; the schema's pattern names them.

    The pattern is documented, not enforced by the framework: `order_by` refuses other names with the
    stable error code `invalid_sort` (a pattern mismatch would only say `string_pattern_mismatch`).
    """
    names = sorted(allowed)
    field = "(?:" + "|".join(names) + ")"
    return Query(
        max_length=200,
        # Empty is allowed: the framework treats `sort=` as absent.
        json_schema_extra={"pattern": rf"^(-?{field}(,-?{field})*)?$"},
        description=f"Comma-separated, `-` for descending, e.g. `-{names[0]}`; fields: {', '.join(names)}",
    )


def order_by(sort: str | None, allowed: Mapping[str, Any], default: list[Any]) -> list[Any]:
    """ORDER BY clauses for `sort`, restricted to `allowed` field names (422 `invalid_sort` otherwise)."""
    if not sort:
        return default
    clauses: list[ColumnElement[Any]] = []
    for part in sort.split(","):
        name = part.removeprefix("-")
        column = allowed.get(name)
        if column is None:
            raise ValidationFailed(
                msg(
                    "cannot sort by '{name}'; allowed: {allowed}",
                    name=name,
                    allowed=", ".join(sorted(allowed)),
                ),
                field="sort",
                location="query",
                error_code="invalid_sort",
            )
        clauses.append(column.desc() if part.startswith("-") else column.asc())
    return [*clauses, *default]


# A create route's 201, with its Location header declared (merged with the route's response model).
CREATED: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "Created; `Location` is the new resource's URL",
        "headers": {
            "Location": {
                "description": "The URL path of the new resource",
                "required": True,
                "schema": {"type": "string"},
            }
        },
    }
}


def set_location(request: Request, response: Response, route_name: str, **path_params: Any) -> None:
    """`Location` for a 201: the path of the route named `route_name` (the new resource's GET, named
    like its operation id) with `path_params`, so it always names a route that exists (an absolute
    path, RFC 9110 10.2.2)."""
    response.headers["Location"] = request.url_for(route_name, **path_params).path


def etag(kind: str, entity_id: int | str, version: int) -> str:
    return f'"{kind}-{entity_id}-v{version}"'


async def _if_match(
    if_match: Annotated[
        str, Header(description="The ETag from your last read of this resource; without it the answer is 428")
    ],
) -> str:
    """The If-Match of a conditional write. Declared required, so that clients (and generated ones)
    send it; a request without it still gets 428 precondition_required, not the framework's 422
    (app.core.problems tells the missing header apart from other validation errors)."""
    if not if_match.strip():
        raise PreconditionRequired("Send If-Match with the ETag you last read")
    return if_match.strip()


IfMatchDep = Annotated[str, Depends(_if_match)]


def check_if_match(if_match: str, kind: str, entity_id: int | str, version: int) -> None:
    """412 unless `if_match` names the current version (a `*` matches any existing resource)."""
    current = etag(kind, entity_id, version)
    candidates = {tag.strip() for tag in if_match.split(",")}
    if "*" not in candidates and current not in candidates:
        raise PreconditionFailed(msg("If-Match does not match the current ETag {current}", current=current))
