"""Recommendations for a listing (its owner's) and matching of a need in free text (anyone's)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.enums import MatchStatus
from app.core.pagination import Page, PageDep
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.listings.export import refuse_other_methods
from app.matches import saved, service
from app.matches.dependencies import EngineDep
from app.matches.schemas import AchievementMatch, DemandMatch, MatchActionBody, MatchQuery, SavedMatchRead
from app.matches.state import MatchAction

router = APIRouter(tags=["matches"])
# Other methods on these GET-only paths are 405, not the listing's /{id}/{action} route's 422 (the
# router is included before the listing kinds' routers).
for _path in (
    "/demands/{demand_id}/matches",
    "/achievements/{achievement_id}/matches",
    "/demands/{demand_id}/saved-matches",
):
    refuse_other_methods(router, _path)


@router.get(
    "/demands/{demand_id}/matches",
    operation_id="list_demand_matches",
    responses=problem_responses(401, 404, 422, 500, 503),
)
async def demand_matches(
    demand_id: EntityId, session: SessionDep, principal: PrincipalDep, engine: EngineDep, page: PageDep
) -> Page[AchievementMatch]:
    """Achievements for one of your organization's demands, best first, each with why: the words
    it shares, each structured feature's part, and a sentence to read to the enterprise."""
    return await service.for_demand(session, principal, engine, demand_id, page)


@router.get(
    "/achievements/{achievement_id}/matches",
    operation_id="list_achievement_matches",
    responses=problem_responses(401, 404, 422, 500, 503),
)
async def achievement_matches(
    achievement_id: EntityId, session: SessionDep, principal: PrincipalDep, engine: EngineDep, page: PageDep
) -> Page[DemandMatch]:
    """Demands for one of your organization's achievements, best first, explained."""
    return await service.for_achievement(session, principal, engine, achievement_id, page)


@router.post(
    "/matches/achievements",
    operation_id="match_achievements",
    responses=problem_responses(413, 422, 429, 500, 503),
)
async def match_achievements(
    body: MatchQuery,
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    engine: EngineDep,
    page: PageDep,
) -> Page[AchievementMatch]:
    """Achievements for a need in free text; no sign-in needed (30 a minute per address)."""
    return await service.for_text(session, principal, engine, body, page, _address(request), AchievementMatch)


@router.post(
    "/matches/demands",
    operation_id="match_demands",
    responses=problem_responses(413, 422, 429, 500, 503),
)
async def match_demands(
    body: MatchQuery,
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    engine: EngineDep,
    page: PageDep,
) -> Page[DemandMatch]:
    """Demands for what you offer, in free text; no sign-in needed (30 a minute per address)."""
    return await service.for_text(session, principal, engine, body, page, _address(request), DemandMatch)


@router.get(
    "/demands/{demand_id}/saved-matches",
    operation_id="list_saved_matches",
    responses=problem_responses(401, 404, 422, 500),
)
async def saved_matches(
    demand_id: EntityId,
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    status: MatchStatus | None = None,
) -> Page[SavedMatchRead]:
    """The recommendations kept for one of your organization's demands (the best achievements when
    it was published), best first, with where you are with each; `status` filters."""
    return await service.saved_page(session, principal, demand_id, status, page)


@router.get(
    "/saved-matches/{match_id}",
    operation_id="get_saved_match",
    responses=problem_responses(401, 404, 422, 500),
)
async def get_saved_match(match_id: EntityId, session: SessionDep, principal: PrincipalDep) -> SavedMatchRead:
    """One saved match of your organization's demands."""
    match, _demand = await saved.get_for(session, principal, match_id)
    return (await service.saved_reads(session, [match]))[0]


@router.post(
    "/saved-matches/{match_id}/{match_action}",
    operation_id="act_on_saved_match",
    responses=problem_responses(401, 404, 409, 413, 422, 500),
)
async def act_on_saved_match(
    match_id: EntityId,
    match_action: MatchAction,
    session: SessionDep,
    principal: PrincipalDep,
    body: Annotated[MatchActionBody, Body(default_factory=MatchActionBody)],
) -> SavedMatchRead:
    """view, shortlist, dismiss (with a `reason`: kept to tune the matching), or propose for a deal.
    Dismissed and proposed are final; a dismissed achievement is not recommended for the demand again."""
    match, _demand = await saved.get_for(session, principal, match_id)
    match = await saved.act(session, principal, match, match_action, reason=body.reason, note=body.note)
    return (await service.saved_reads(session, [match]))[0]


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None
