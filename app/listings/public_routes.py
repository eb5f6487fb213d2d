"""The anonymous list and get of a listing kind: the public read path's own routes.

A request without credentials needs no session and no principal, yet resolving the documented
route's dependencies (the request session, the bearer token, the settings, the audit actor) cost
an anonymous get about 0.25 ms of its 0.8 ms of CPU. So the app's router starts with these two
routes per kind (app.api.add_public_reads), which match only requests that carry no Authorization
header (AnonymousRoute) and take nothing but the reader and the query: a request with credentials
falls through to the documented route, which answers every caller (its anonymous branch runs the
same public read). They are left out of the OpenAPI document: the documented route describes both,
with the same parameters, validation and errors (the list uses the same dependencies; a get whose
id is not valid is left to the documented route, whose 422 it is).

No `from __future__ import annotations` here: FastAPI reads the endpoints' annotations, built in a
function from the kind's own filter dependency, when they are defined.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import ColumnElement
from starlette.routing import Match, Route
from starlette.types import Scope

from app.core.pagination import PageDep
from app.core.schemas import MAX_ID
from app.db.dependencies import ReaderDep, request_reader
from app.listings import public
from app.listings.dependencies import ListingFilterDep
from app.listings.kinds import ReadKind
from app.listings.listing import ListingSort
from app.listings.public import Rendered

_AUTHORIZATION = b"authorization"


def _anonymous(matched: tuple[Match, Scope], scope: Scope) -> tuple[Match, Scope]:
    """A route's match, kept only for a request without an Authorization header (a bearer token or
    an API key) whose path parameters are valid ids: anything else, errors included, is left to the
    documented route."""
    match, child_scope = matched
    if match == Match.NONE:
        return matched
    if any(name == _AUTHORIZATION for name, _ in scope.get("headers", ())):
        return Match.NONE, {}
    ids = child_scope.get("path_params", {}).values()
    if not all(isinstance(value, int) and 1 <= value <= MAX_ID for value in ids):
        return Match.NONE, {}
    return matched


class AnonymousRoute(APIRoute):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        return _anonymous(super().matches(scope), scope)


class AnonymousGetRoute(Route):
    """A plain Starlette route: a get by id needs none of FastAPI's request handling. It takes no
    query parameters, so a request with any is left to the documented route, which refuses them."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope.get("query_string"):
            return Match.NONE, {}
        return _anonymous(super().matches(scope), scope)


def json_body(rendered: Rendered) -> Response:
    """A body the read path serialized already, sent as it is (with its ETag, if any)."""
    headers = {"ETag": rendered.etag} if rendered.etag else None
    return Response(rendered.body, media_type="application/json", headers=headers)


def add_public_routes(
    router: APIRouter,
    prefix: str,
    kind: ReadKind[Any],
    feature_filter: Callable[..., Awaitable[Any]],
    conditions: Callable[[str, Any], Sequence[ColumnElement[bool]]],
) -> None:
    """GET `prefix` and `prefix`/{<kind>_id} for anonymous callers, added to `router` ahead of the
    documented routes. `feature_filter` is the kind's dependency for its own query parameters,
    `conditions` turns its result into WHERE clauses for a dialect."""
    FeatureFilter = Annotated[Any, Depends(feature_filter)]  # noqa: N806 - a type alias
    id_name = f"{kind.name}_id"

    async def list_public(
        reader: ReaderDep,
        listing_filter: ListingFilterDep,
        feature: FeatureFilter,
        page: PageDep,
        sort: ListingSort = ListingSort.RELEVANCE,
    ) -> Response:
        where = conditions(reader.dialect, feature)
        return json_body(await public.page(reader, kind, listing_filter, sort, page, where))

    # Not even FastAPI's request handling (dependencies, a validated path parameter): each costs the
    # hottest route CPU, and the route took only a valid id (an int, within EntityId's range).
    async def get_public(request: Request) -> Response:
        listing_id: int = request.path_params[id_name]
        return json_body(await public.get(request_reader(request), kind, listing_id))

    hidden: dict[str, Any] = {"methods": ["GET"], "include_in_schema": False}
    router.add_api_route(prefix, list_public, route_class_override=AnonymousRoute, **hidden)
    # `:int`: a literal path such as /export is never taken for an id.
    path = f"{prefix}/{{{id_name}:int}}"
    router.routes.append(AnonymousGetRoute(path, get_public, **hidden))
