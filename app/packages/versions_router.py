"""A package's versions: read any published one (drafts: curators), edit the draft, publish it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from app.auth.dependencies import PrincipalDep
from app.core.pagination import IfMatchDep, etag
from app.core.problems import problem_responses
from app.core.schemas import EmptyBody, EntityId
from app.db.dependencies import SessionDep
from app.packages import members, presenter, service
from app.packages.dependencies import CuratedVersionDep, SeenVersion, VisibleVersionDep
from app.packages.schemas import MemberAdd, MemberOrder, MemberUpdate, VersionRead, VersionUpdate

router = APIRouter(prefix="/packages/{package_id}/versions/{number}", tags=["packages"])
_EDIT_ERRORS = problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500)


async def _read(session: SessionDep, seen: SeenVersion, response: Response) -> VersionRead:
    response.headers["ETag"] = etag(service.VERSION_KIND, seen.version.id, seen.version.version)
    return await presenter.version_read(session, seen.package, seen.version)


@router.get("", operation_id="get_package_version", responses=problem_responses(401, 404, 422, 500))
async def get_package_version(
    seen: VisibleVersionDep, session: SessionDep, response: Response
) -> VersionRead:
    """One version with its members in order, as the public reads them (everything an export needs)."""
    return await _read(session, seen, response)


@router.patch("", operation_id="update_package_version", responses=_EDIT_ERRORS)
async def update_package_version(
    body: VersionUpdate,
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> VersionRead:
    """Edit the draft's title or summary (needs If-Match); a published version is 409."""
    await service.update_version(session, principal, seen.package, seen.version, body, if_match)
    return await _read(session, seen, response)


@router.post("/publish", operation_id="publish_package_version", responses=_EDIT_ERRORS)
async def publish_package_version(
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
    body: Annotated[EmptyBody | None, Body()] = None,
) -> VersionRead:
    """Publish the draft (needs If-Match): it becomes the package's public version and never changes."""
    await service.publish(session, principal, seen.package, seen.version, if_match)
    return await _read(session, seen, response)


@router.post("/members", operation_id="add_package_member", responses=_EDIT_ERRORS)
async def add_package_member(
    body: MemberAdd,
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> VersionRead:
    """Add a published achievement to the draft, at the end or at `position` (needs If-Match)."""
    await members.add(session, principal, seen.package, seen.version, body, if_match)
    return await _read(session, seen, response)


@router.put("/member-order", operation_id="reorder_package_members", responses=_EDIT_ERRORS)
async def reorder_package_members(
    body: MemberOrder,
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> VersionRead:
    """Put the draft's members in the given order (every member once; needs If-Match)."""
    await members.reorder(session, principal, seen.package, seen.version, body, if_match)
    return await _read(session, seen, response)


@router.patch("/members/{achievement_id}", operation_id="update_package_member", responses=_EDIT_ERRORS)
async def update_package_member(
    achievement_id: EntityId,
    body: MemberUpdate,
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> VersionRead:
    """Change a member's note (null clears it) or move it to `position` (needs If-Match)."""
    await members.update(session, principal, seen.package, seen.version, achievement_id, body, if_match)
    return await _read(session, seen, response)


@router.delete("/members/{achievement_id}", operation_id="remove_package_member", responses=_EDIT_ERRORS)
async def remove_package_member(
    achievement_id: EntityId,
    seen: CuratedVersionDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> VersionRead:
    """Take an achievement out of the draft (needs If-Match); the others move up."""
    await members.remove(session, principal, seen.package, seen.version, achievement_id, if_match)
    return await _read(session, seen, response)
