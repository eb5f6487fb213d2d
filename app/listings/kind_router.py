"""The HTTP routes of a listing kind, built from one definition (`KindRoutes`) per kind.

Demands and achievements differ in their schemas, their own filters and their wording, not in what
their routes do: list, export, create, get, edit a draft, propose a revision of a published one,
revisions and access requests (app.listings.routes), and the lifecycle actions. Each feature's
router.py declares its `KindRoutes`; `build_router` makes the routes, with the same paths, operation
ids and OpenAPI document as hand-written ones, and `app.api.add_public_reads` the anonymous fast
path from the same definition.

No `from __future__ import annotations` here: FastAPI reads the endpoints' annotations when they
are defined, and the kind's own types are put into their signatures (`_typed`) from the definition.
"""

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.auth.principal import Principal
from app.core.pagination import CREATED, IfMatchDep, Page, PageDep, check_if_match, etag, set_location
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import ReaderDep, SessionDep
from app.db.dialect import Db
from app.listings import lifecycle, reading, revisions
from app.listings import service as listings
from app.listings.dependencies import ListingFilterDep
from app.listings.export import EXPORT_RESPONSES, Export, FormatQuery, export_response, refuse_other_methods
from app.listings.kinds import Listing, ReadKind
from app.listings.listing import ListingSort
from app.listings.public_routes import json_body
from app.listings.routes import ListingKind, OptionalActionBody, shared_routes
from app.listings.schemas import RevisionRead
from app.listings.spec import KindSpec
from app.listings.state import ListingAction
from app.tabular.columns import Spec
from app.tabular.reading import FileFormat


@dataclass(frozen=True, slots=True)
class Wording:
    """What the OpenAPI document says of a kind's operations (the rest is shared)."""

    list: str
    create: str
    update: str
    get: str
    tag_description: str = ""


@dataclass(frozen=True, slots=True)
class KindRoutes:
    """Everything a listing kind's routes need, from the feature's own modules."""

    spec: KindSpec[Any, Any]  # name, plural, model, create schema (app/<feature>/kind.py)
    update_schema: type[BaseModel]
    read_model: type[BaseModel]
    reads: ReadKind[Any]  # how the kind is read (public path and presenter)
    columns: Spec  # the spreadsheet columns of the export
    # The kind's own query filters (a FastAPI dependency) and the WHERE clauses they make.
    feature_filter: Callable[..., Awaitable[Any]]
    conditions: Callable[[Db, Any], Sequence[ColumnElement[bool]]]
    visible: Callable[..., Awaitable[Listing]]  # the dependency loading a listing the caller sees
    create: Callable[[AsyncSession, Principal, Any], Awaitable[Listing]]
    update: Callable[[AsyncSession, Principal, Any, Any], Awaitable[Listing]]
    editor: revisions.Editor
    to_read: Callable[[AsyncSession, Principal | None, Sequence[Any]], Awaitable[Sequence[BaseModel]]]
    wording: Wording

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def prefix(self) -> str:
        return f"/{self.spec.plural}"


def build_router(kind: KindRoutes) -> APIRouter:
    router = APIRouter(prefix=kind.prefix, tags=[kind.spec.plural])
    _read_routes(router, kind)
    _write_routes(router, kind)
    router.include_router(shared_routes(ListingKind(kind.name, kind.visible, kind.editor)))
    _action_route(router, kind)  # last: `/{id}/{action}` would otherwise take `revisions`
    return router


def _summary(operation_id: str) -> str:
    """The summary FastAPI would derive from a hand-written endpoint named like the operation."""
    return operation_id.replace("_", " ").title()


def _typed(endpoint: Callable[..., Any], **annotations: Any) -> Callable[..., Any]:
    """`endpoint` with the kind's own types in its signature, which is what FastAPI reads."""
    signature = inspect.signature(endpoint)
    parameters = [
        parameter.replace(annotation=annotations.get(parameter.name, parameter.annotation))
        for parameter in signature.parameters.values()
    ]
    endpoint.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return endpoint


def _read_routes(router: APIRouter, kind: KindRoutes) -> None:
    FeatureFilter = Annotated[Any, Depends(kind.feature_filter)]  # noqa: N806 - a type alias
    ListingId = Annotated[EntityId, Path(alias=f"{kind.name}_id")]  # noqa: N806 - a type alias
    export = Export(kind.spec.model, kind.columns, kind.to_read, kind.spec.plural)

    @router.get(
        "",
        operation_id=f"list_{kind.spec.plural}",
        summary=_summary(f"list_{kind.spec.plural}"),
        response_model=Page[kind.read_model],  # type: ignore[name-defined]
        responses=problem_responses(401, 422, 500, 503),
        description=kind.wording.list,
    )
    async def list_listings(
        session: SessionDep,
        reader: ReaderDep,
        principal: OptionalPrincipalDep,
        listing_filter: ListingFilterDep,
        feature: FeatureFilter,
        page: PageDep,
        sort: ListingSort = ListingSort.RELEVANCE,
    ) -> Response:
        conditions = kind.conditions(session, feature)
        found = await reading.page(
            session, reader, principal, kind.reads, listing_filter, sort, page, conditions
        )
        return json_body(found)

    @router.get(
        "/export",
        operation_id=f"export_{kind.spec.plural}",
        summary=_summary(f"export_{kind.spec.plural}"),
        response_class=StreamingResponse,
        responses={**EXPORT_RESPONSES, **problem_responses(401, 422, 500)},
    )
    async def export_listings(
        request: Request,
        session: SessionDep,
        principal: OptionalPrincipalDep,
        listing_filter: ListingFilterDep,
        feature: FeatureFilter,
        file_format: FormatQuery = FileFormat.XLSX,
        sort: ListingSort = ListingSort.RELEVANCE,
    ) -> StreamingResponse:
        """The list, with the same filters and visibility, as a CSV or XLSX file (streamed)."""
        conditions = kind.conditions(session, feature)
        sessionmaker = request.app.state.sessionmaker
        return await export_response(
            export, session, sessionmaker, principal, listing_filter, sort, conditions, file_format
        )

    refuse_other_methods(router, "/export")

    @router.get(
        f"/{{{kind.name}_id}}",
        operation_id=f"get_{kind.name}",
        name=f"get_{kind.name}",  # what a 201's Location names (set_location)
        summary=_summary(f"get_{kind.name}"),
        response_model=kind.read_model,
        responses=problem_responses(401, 404, 422, 500, 503),
        description=kind.wording.get,
    )
    async def get_listing(
        listing_id: ListingId, session: SessionDep, reader: ReaderDep, principal: OptionalPrincipalDep
    ) -> Response:
        return json_body(await reading.get(session, reader, principal, kind.reads, listing_id))


def _write_routes(router: APIRouter, kind: KindRoutes) -> None:
    Visible = Annotated[Listing, Depends(kind.visible)]  # noqa: N806 - a type alias

    # Decided before If-Match is looked at: a stranger hears 403, not "send If-Match" or "stale".
    async def editable(listing: Visible, principal: PrincipalDep) -> Listing:
        listings.require_editable(principal, listing)
        return listing

    async def owned(listing: Visible, principal: PrincipalDep) -> Listing:
        listings.require_owner(principal, listing)
        return listing

    async def create(
        body: Any, request: Request, session: SessionDep, principal: PrincipalDep, response: Response
    ) -> Any:
        listing = await kind.create(session, principal, body)
        set_location(request, response, f"get_{kind.name}", **{f"{kind.name}_id": listing.id})
        return await _one(kind, session, principal, listing, response)

    router.add_api_route(
        "",
        _typed(create, body=kind.spec.create_schema),
        methods=["POST"],
        operation_id=f"create_{kind.name}",
        summary=_summary(f"create_{kind.name}"),
        status_code=status.HTTP_201_CREATED,
        response_model=kind.read_model,
        responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
        description=kind.wording.create,
    )

    async def update(
        body: Any,
        listing: Annotated[Listing, Depends(editable)],
        session: SessionDep,
        principal: PrincipalDep,
        if_match: IfMatchDep,
        response: Response,
    ) -> Any:
        check_if_match(if_match, kind.name, listing.id, listing.version)
        return await _one(
            kind, session, principal, await kind.update(session, principal, listing, body), response
        )

    router.add_api_route(
        f"/{{{kind.name}_id}}",
        _typed(update, body=kind.update_schema),
        methods=["PATCH"],
        operation_id=f"update_{kind.name}",
        summary=_summary(f"update_{kind.name}"),
        response_model=kind.read_model,
        responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
        description=kind.wording.update,
    )

    async def propose_revision(
        body: Any,
        request: Request,
        listing: Annotated[Listing, Depends(owned)],
        session: SessionDep,
        principal: PrincipalDep,
        if_match: IfMatchDep,
        response: Response,
    ) -> RevisionRead:
        check_if_match(if_match, kind.name, listing.id, listing.version)
        changes = body.model_dump(mode="json", exclude_unset=True)
        revision = await revisions.propose(session, principal, listing, changes, kind.editor)
        path = {f"{kind.name}_id": listing.id, "revision_id": revision.id}
        set_location(request, response, f"get_{kind.name}_revision", **path)
        return RevisionRead.model_validate(revision)

    router.add_api_route(
        f"/{{{kind.name}_id}}/revisions",
        _typed(propose_revision, body=kind.update_schema),
        methods=["POST"],
        operation_id=f"propose_{kind.name}_revision",
        summary=_summary(f"propose_{kind.name}_revision"),
        description=(
            f"Edit a published {kind.name} (needs If-Match): the edit awaits review while the published "
            "text stays visible; a reviewer's `publish` applies it."
        ),
        status_code=status.HTTP_201_CREATED,
        response_model=RevisionRead,
        responses={**CREATED, **problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500)},
    )


async def _one(
    kind: KindRoutes, session: AsyncSession, principal: Principal, listing: Listing, response: Response
) -> Any:
    """A listing as its writer now reads it, with its new ETag."""
    response.headers["ETag"] = etag(kind.name, listing.id, listing.version)
    return (await kind.to_read(session, principal, [listing]))[0]


def _action_route(router: APIRouter, kind: KindRoutes) -> None:
    # Any: the lifecycle takes one listing type at a time (Demand or Achievement), whichever this is.
    Visible = Annotated[Any, Depends(kind.visible)]  # noqa: N806 - a type alias

    async def act(
        action: ListingAction,
        listing: Visible,
        session: SessionDep,
        principal: PrincipalDep,
        response: Response,
        body: OptionalActionBody,
    ) -> Any:
        """submit/withdraw/close (the owner); publish/return/reject (a reviewer of the region)."""
        listing = await lifecycle.apply_action(session, principal, listing, action, reason=body.reason)
        return await _one(kind, session, principal, listing, response)

    router.add_api_route(
        f"/{{{kind.name}_id}}/{{action}}",
        act,
        methods=["POST"],
        operation_id=f"act_on_{kind.name}",
        summary=_summary(f"act_on_{kind.name}"),
        response_model=kind.read_model,
        responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
    )
