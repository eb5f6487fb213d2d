"""The routes every listing kind shares below `/{kind}s/{id}`: revisions and access requests.

A feature router includes `shared_routes(...)` before its `/{id}/{action}` route (which would
otherwise take `revisions` for an action). Proposing a revision stays in the feature router, as its
body is the feature's own update schema.

No `from __future__ import annotations` here: the endpoints are built in a function, and FastAPI
must read their annotations (which name the feature's dependency) when they are defined.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response, status

from app.auth.dependencies import PrincipalDep
from app.core.pagination import CREATED, Page, PageDep, page_of, set_location
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.listings import access, revisions
from app.listings.kinds import Listing
from app.listings.schemas import AccessRequestCreate, AccessRequestRead, ActionBody, RevisionRead

# An action's reason, when it needs one (app.core.bodies: why a default factory, not None).
OptionalActionBody = Annotated[ActionBody, Body(default_factory=ActionBody)]


@dataclass(frozen=True, slots=True)
class ListingKind:
    name: str  # "demand", "achievement"
    visible: Callable[..., Awaitable[Listing]]  # the dependency that loads a listing the caller sees
    editor: revisions.Editor


def shared_routes(kind: ListingKind) -> APIRouter:
    router = APIRouter()
    _revision_routes(router, kind)
    _access_routes(router, kind)
    return router


def _revision_routes(router: APIRouter, kind: ListingKind) -> None:
    VisibleListing = Annotated[Listing, Depends(kind.visible)]  # noqa: N806 - a type alias
    path = f"/{{{kind.name}_id}}/revisions"

    @router.get(
        path,
        operation_id=f"list_{kind.name}_revisions",
        responses=problem_responses(401, 404, 422, 500),
    )
    async def list_revisions(
        listing: VisibleListing, session: SessionDep, principal: PrincipalDep, page: PageDep
    ) -> Page[RevisionRead]:
        """Edits of the published listing, newest first (the owner and its reviewers)."""
        rows, total = await revisions.list_for(session, principal, listing, page)
        return page_of([revisions.to_read(principal, listing, row) for row in rows], total, page)

    @router.get(
        path + "/{revision_id}",
        operation_id=f"get_{kind.name}_revision",
        name=f"get_{kind.name}_revision",  # what a proposal's Location names (set_location)
        responses=problem_responses(401, 404, 422, 500),
    )
    async def get_revision(
        listing: VisibleListing, revision_id: EntityId, session: SessionDep, principal: PrincipalDep
    ) -> RevisionRead:
        """One revision with the changes it proposes."""
        revision = await revisions.get_for(session, principal, listing, revision_id)
        return revisions.to_read(principal, listing, revision)

    @router.post(
        # Path parameters are named apart across operations (revision_action, access_action,
        # membership_action): a generator that carries a value between operations by name (Schemathesis'
        # links) would otherwise send a listing's action to a revision.
        path + "/{revision_id}/{revision_action}",
        operation_id=f"act_on_{kind.name}_revision",
        responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
    )
    async def act_on_revision(
        listing: VisibleListing,
        revision_id: EntityId,
        revision_action: revisions.RevisionAction,
        session: SessionDep,
        principal: PrincipalDep,
        body: OptionalActionBody,
    ) -> RevisionRead:
        """publish/return/reject (a reviewer of the listing's region); withdraw (the owner).
        Publishing applies the edit to the listing and raises its revision number."""
        revision = await revisions.get_for(session, principal, listing, revision_id)
        revision = await revisions.act(
            session, principal, listing, revision, revision_action, reason=body.reason, editor=kind.editor
        )
        return revisions.to_read(principal, listing, revision)


def _access_routes(router: APIRouter, kind: ListingKind) -> None:
    VisibleListing = Annotated[Listing, Depends(kind.visible)]  # noqa: N806 - a type alias
    path = f"/{{{kind.name}_id}}/access-requests"

    @router.post(
        path,
        operation_id=f"request_{kind.name}_access",
        status_code=status.HTTP_201_CREATED,
        responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
    )
    async def request_access(
        body: AccessRequestCreate,
        http: Request,
        listing: VisibleListing,
        session: SessionDep,
        principal: PrincipalDep,
        response: Response,
    ) -> AccessRequestRead:
        """Ask for the confidential detail for your organization, accepting the NDA terms."""
        request = await access.ask(
            session, principal, listing, organization_id=body.organization_id, purpose=body.purpose
        )
        path = {f"{kind.name}_id": listing.id, "request_id": request.id}
        set_location(http, response, f"get_{kind.name}_access_request", **path)
        return await access.to_read(session, request)

    @router.get(
        path,
        operation_id=f"list_{kind.name}_access_requests",
        responses=problem_responses(401, 404, 422, 500),
    )
    async def list_access_requests(
        listing: VisibleListing, session: SessionDep, principal: PrincipalDep, page: PageDep
    ) -> Page[AccessRequestRead]:
        """All requests for the owner; your organizations' own requests for anyone else."""
        rows, total = await access.list_for(session, principal, listing, page)
        return page_of(await access.to_reads(session, rows), total, page)

    @router.get(
        path + "/{request_id}",
        operation_id=f"get_{kind.name}_access_request",
        name=f"get_{kind.name}_access_request",  # what a request's Location names (set_location)
        responses=problem_responses(401, 404, 422, 500),
    )
    async def get_access_request(
        listing: VisibleListing, request_id: EntityId, session: SessionDep, principal: PrincipalDep
    ) -> AccessRequestRead:
        return await access.to_read(session, await access.get_for(session, principal, listing, request_id))

    @router.post(
        path + "/{request_id}/{access_action}",
        operation_id=f"decide_{kind.name}_access_request",
        responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
    )
    async def decide_access_request(
        listing: VisibleListing,
        request_id: EntityId,
        access_action: access.AccessAction,
        session: SessionDep,
        principal: PrincipalDep,
        body: OptionalActionBody,
    ) -> AccessRequestRead:
        """grant/deny a request, or revoke a grant (the owner)."""
        request = await access.get_for(session, principal, listing, request_id)
        decided = await access.decide(session, principal, listing, request, access_action, reason=body.reason)
        return await access.to_read(session, decided)
