"""A package's versions: read any published one (drafts: curators), edit the draft, publish it.

Every write needs If-Match with the version's ETag and answers with the version as it now is."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.core.bodies import NoFieldsBody
from app.core.pagination import etag
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import AchievementPackage, PackageVersion
from app.packages import members, presenter, service
from app.packages.dependencies import DraftEditDep, VisibleVersionDep
from app.packages.schemas import MemberAdd, MemberOrder, MemberUpdate, VersionRead, VersionUpdate
from app.packages.service import DraftEdit

router = APIRouter(prefix="/packages/{package_id}/versions/{number}", tags=["packages"])
_EDIT_ERRORS = problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500)


async def _read(
    session: SessionDep, package: AchievementPackage, version: PackageVersion, response: Response
) -> VersionRead:
    response.headers["ETag"] = etag(service.VERSION_KIND, version.id, version.version)
    return await presenter.version_read(session, package, version)


async def _edited(edit: DraftEdit, response: Response) -> VersionRead:
    return await _read(edit.session, edit.package, edit.version, response)


@router.get("", operation_id="get_package_version", responses=problem_responses(401, 404, 422, 500))
async def get_package_version(
    seen: VisibleVersionDep, session: SessionDep, response: Response
) -> VersionRead:
    """One version with its members in order, as the public reads them (everything an export needs)."""
    return await _read(session, seen.package, seen.version, response)


@router.patch("", operation_id="update_package_version", responses=_EDIT_ERRORS)
async def update_package_version(body: VersionUpdate, edit: DraftEditDep, response: Response) -> VersionRead:
    """Edit the draft's title or summary; a published version is 409."""
    await service.update_version(edit, body)
    return await _edited(edit, response)


@router.post("/publish", operation_id="publish_package_version", responses=_EDIT_ERRORS)
async def publish_package_version(edit: DraftEditDep, response: Response, _body: NoFieldsBody) -> VersionRead:
    """Publish the draft: it becomes the package's public version and never changes."""
    await service.publish(edit)
    return await _edited(edit, response)


@router.post("/members", operation_id="add_package_member", responses=_EDIT_ERRORS)
async def add_package_member(body: MemberAdd, edit: DraftEditDep, response: Response) -> VersionRead:
    """Add a published achievement to the draft, at the end or at `position`."""
    await members.add(edit, body)
    return await _edited(edit, response)


@router.put("/member-order", operation_id="reorder_package_members", responses=_EDIT_ERRORS)
async def reorder_package_members(body: MemberOrder, edit: DraftEditDep, response: Response) -> VersionRead:
    """Put the draft's members in the given order (every member once)."""
    await members.reorder(edit, body)
    return await _edited(edit, response)


@router.patch("/members/{achievement_id}", operation_id="update_package_member", responses=_EDIT_ERRORS)
async def update_package_member(
    achievement_id: EntityId, body: MemberUpdate, edit: DraftEditDep, response: Response
) -> VersionRead:
    """Change a member's note (null clears it) or move it to `position`."""
    await members.update(edit, achievement_id, body)
    return await _edited(edit, response)


@router.delete("/members/{achievement_id}", operation_id="remove_package_member", responses=_EDIT_ERRORS)
async def remove_package_member(
    achievement_id: EntityId, edit: DraftEditDep, response: Response
) -> VersionRead:
    """Take an achievement out of the draft; the others move up."""
    await members.remove(edit, achievement_id)
    return await _edited(edit, response)
