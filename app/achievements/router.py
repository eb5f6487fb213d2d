"""Scientific and technological achievements."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements import service
from app.achievements.columns import ACHIEVEMENT_COLUMNS
from app.achievements.dependencies import (
    AchievementFilterDep,
    EditableAchievementDep,
    OwnedAchievementDep,
    VisibleAchievementDep,
    visible_achievement,
)
from app.achievements.schemas import AchievementCreate, AchievementRead, AchievementUpdate
from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.auth.principal import Principal
from app.core.pagination import IfMatchDep, Page, PageDep, check_if_match, etag
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import ReaderDep, SessionDep
from app.listings import lifecycle, reading, revisions
from app.listings.dependencies import ListingFilterDep
from app.listings.export import EXPORT_RESPONSES, Export, FormatQuery, export_response, refuse_other_methods
from app.listings.listing import ListingSort
from app.listings.public_routes import json_body
from app.listings.routes import ListingKind, shared_routes
from app.listings.schemas import ActionBody, RevisionRead
from app.listings.state import ListingAction
from app.models import Achievement
from app.tabular.reading import FileFormat

router = APIRouter(prefix="/achievements", tags=["achievements"])
ACHIEVEMENT_EXPORT = Export(Achievement, ACHIEVEMENT_COLUMNS, service.to_read, "achievements")


async def _one(
    session: AsyncSession, principal: Principal | None, achievement: Achievement, response: Response
) -> AchievementRead:
    response.headers["ETag"] = etag("achievement", achievement.id, achievement.version)
    return (await service.to_read(session, principal, [achievement]))[0]


@router.get(
    "",
    operation_id="list_achievements",
    response_model=Page[AchievementRead],
    responses=problem_responses(401, 422, 500, 503),
)
async def list_achievements(
    session: SessionDep,
    reader: ReaderDep,
    principal: OptionalPrincipalDep,
    listing_filter: ListingFilterDep,
    achievement_filter: AchievementFilterDep,
    page: PageDep,
    sort: ListingSort = ListingSort.RELEVANCE,
) -> Response:
    """Search and filter achievements; published ones by default, without confidential detail."""
    conditions = service.conditions(session, achievement_filter)
    kind = service.READS
    return json_body(
        await reading.page(session, reader, principal, kind, listing_filter, sort, page, conditions)
    )


@router.get(
    "/export",
    operation_id="export_achievements",
    response_class=StreamingResponse,
    responses={**EXPORT_RESPONSES, **problem_responses(401, 422, 500)},
)
async def export_achievements(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    listing_filter: ListingFilterDep,
    achievement_filter: AchievementFilterDep,
    file_format: FormatQuery = FileFormat.XLSX,
    sort: ListingSort = ListingSort.RELEVANCE,
) -> StreamingResponse:
    """The list, with the same filters and visibility, as a CSV or XLSX file (streamed)."""
    conditions = service.conditions(session, achievement_filter)
    sessionmaker = request.app.state.sessionmaker
    return await export_response(
        ACHIEVEMENT_EXPORT, session, sessionmaker, principal, listing_filter, sort, conditions, file_format
    )


refuse_other_methods(router, "/export")


@router.post(
    "",
    operation_id="create_achievement",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def create_achievement(
    body: AchievementCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> AchievementRead:
    """List an achievement of your organization; it starts as a draft."""
    achievement = await service.create(session, principal, body)
    return await _one(session, principal, achievement, response)


@router.get(
    "/{achievement_id}",
    operation_id="get_achievement",
    response_model=AchievementRead,
    responses=problem_responses(401, 404, 422, 500, 503),
)
async def get_achievement(
    achievement_id: EntityId, session: SessionDep, reader: ReaderDep, principal: OptionalPrincipalDep
) -> Response:
    """One achievement (drafts only for their organization and reviewers). The confidential detail is
    included for the owner and, under a granted access request, for the grantee (the release is logged)."""
    return json_body(await reading.get(session, reader, principal, service.READS, achievement_id))


@router.patch(
    "/{achievement_id}",
    operation_id="update_achievement",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def update_achievement(
    body: AchievementUpdate,
    achievement: EditableAchievementDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> AchievementRead:
    """Edit a draft or returned achievement (needs If-Match); `patents` replaces the whole set."""
    check_if_match(if_match, "achievement", achievement.id, achievement.version)
    achievement = await service.update(session, principal, achievement, body)
    return await _one(session, principal, achievement, response)


@router.post(
    "/{achievement_id}/revisions",
    operation_id="propose_achievement_revision",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def propose_achievement_revision(
    body: AchievementUpdate,
    achievement: OwnedAchievementDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
) -> RevisionRead:
    """Edit a published achievement (needs If-Match): the edit awaits review while the published text stays
    visible; a reviewer's `publish` applies it."""
    check_if_match(if_match, "achievement", achievement.id, achievement.version)
    changes = body.model_dump(mode="json", exclude_unset=True)
    revision = await revisions.propose(session, principal, achievement, changes, service.edit)
    return RevisionRead.model_validate(revision)


router.include_router(shared_routes(ListingKind("achievement", visible_achievement, service.edit)))


@router.post(
    "/{achievement_id}/{action}",
    operation_id="act_on_achievement",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def act_on_achievement(
    action: ListingAction,
    achievement: VisibleAchievementDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    body: ActionBody | None = None,
) -> AchievementRead:
    """submit/withdraw/close (the owner); publish/return/reject (a reviewer of the region)."""
    reason = body.reason if body else None
    achievement = await lifecycle.apply_action(session, principal, achievement, action, reason=reason)
    return await _one(session, principal, achievement, response)
