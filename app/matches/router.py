"""Recommendations for a listing (its owner's) and matching of a need in free text (anyone's)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.pagination import Page, PageDep
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.matches import service
from app.matches.dependencies import EngineDep
from app.matches.schemas import AchievementMatch, DemandMatch, MatchQuery

router = APIRouter(tags=["matches"])


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
    return await service.achievements_for_text(session, principal, engine, body, page, _address(request))


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
    return await service.demands_for_text(session, principal, engine, body, page, _address(request))


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None
