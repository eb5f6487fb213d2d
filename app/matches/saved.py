"""Saved matches: the worker keeps a published demand's best achievements, and its owner works
through them (view, shortlist, dismiss with a reason, propose). Every change is a compare-and-set
through the transition helper, audited; a dismissed pair is never recommended again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import today
from app.core.config import Settings
from app.core.enums import DeclineReason, ListingStatus, MatchStatus
from app.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams
from app.db import dialect
from app.db.repository import fetch_page
from app.events import recording
from app.events.recording import SYSTEM_ACTOR, Change
from app.events.transitions import transition
from app.listings import search_index
from app.matches import needs
from app.matches.state import TRANSITIONS, MatchAction, next_status
from app.matching.engine import Engine
from app.matching.records import Filters, Kind
from app.models import Demand, Event, SavedMatch
from app.worker.registry import Registry

CONSUMER = "saved_matches"
# How many of a newly published demand's best achievements are kept for its owner.
SAVED_PER_DEMAND = 10
_EVENT_TYPES = frozenset({"demand.publish", "demand.revision_publish"})
_AUDITED = ("status", "decline_reason", "decline_note")


def register(registry: Registry) -> None:
    registry.add_batch_consumer(CONSUMER, _EVENT_TYPES, _on_published)


async def _on_published(session: AsyncSession, events: Sequence[Event], settings: Settings) -> None:
    engine = search_index.index_for(settings).for_reading()
    for demand_id in dict.fromkeys(int(event.entity_id) for event in events):
        demand = await session.get(Demand, demand_id)
        if demand is not None and demand.status == ListingStatus.PUBLISHED:
            await save_best(session, engine, demand)


async def save_best(session: AsyncSession, engine: Engine, demand: Demand) -> int:
    """Keep the demand's best achievements not yet saved for it (a pair saved before keeps its
    status, a dismissed one stays out); returns how many were added."""
    need = await needs.need_of(session, demand)
    excluded = await paired(session, demand.id)
    filters = Filters(kind=Kind.ACHIEVEMENT, today=today(), exclude_ids=frozenset(excluded))
    found = await asyncio.to_thread(engine.match, need, filters, limit=SAVED_PER_DEMAND)
    rows = [
        {
            "demand_id": demand.id,
            "achievement_id": result.listing_id,
            "status": MatchStatus.NEW,
            "score": round(result.score, 4),
            "matched_terms": list(result.matched_terms),
            "contributions": [
                {"feature": c.feature, "score": round(c.score, 4), "detail": c.detail}
                for c in result.contributions
            ],
            "version": 1,
        }
        for result in found.results
    ]
    if not rows:
        return 0
    await dialect.insert_ignoring_conflicts(session, SavedMatch, rows)
    saved = list(
        await session.scalars(
            select(SavedMatch).where(
                SavedMatch.demand_id == demand.id,
                SavedMatch.achievement_id.in_([row["achievement_id"] for row in rows]),
                SavedMatch.status == MatchStatus.NEW,
            )
        )
    )
    changes = [
        Change("saved_match.create", "saved_match", match.id, after=_created(match))
        for match in saved
        if match.achievement_id not in excluded
    ]
    await recording.record_many(session, SYSTEM_ACTOR, changes)
    return len(changes)


def _created(match: SavedMatch) -> dict[str, Any]:
    return {
        "demand_id": match.demand_id,
        "achievement_id": match.achievement_id,
        "status": match.status.value,
    }


async def paired(session: AsyncSession, demand_id: int, status: MatchStatus | None = None) -> set[int]:
    """The achievements saved for `demand_id` (in `status`, when given)."""
    statement = select(SavedMatch.achievement_id).where(SavedMatch.demand_id == demand_id)
    if status is not None:
        statement = statement.where(SavedMatch.status == status)
    return set(await session.scalars(statement))


async def page(
    session: AsyncSession, demand: Demand, status: MatchStatus | None, params: PageParams
) -> tuple[list[SavedMatch], int]:
    """A demand's saved matches, best first."""
    statement = select(SavedMatch).where(SavedMatch.demand_id == demand.id)
    if status is not None:
        statement = statement.where(SavedMatch.status == status)
    statement = statement.order_by(SavedMatch.score.desc(), SavedMatch.id)
    return await fetch_page(session, statement, limit=params.limit, offset=params.offset)


async def get_for(session: AsyncSession, principal: Principal, match_id: int) -> tuple[SavedMatch, Demand]:
    """A saved match of one of the caller's organization's demands (404 to anyone else)."""
    match = await session.get(SavedMatch, match_id)
    demand = await session.get(Demand, match.demand_id) if match is not None else None
    if match is None or demand is None or not principal.access.may_edit_listing(demand):
        raise NotFound(msg("No saved match {match_id}", match_id=match_id))
    return match, demand


async def act(
    session: AsyncSession,
    principal: Principal,
    match: SavedMatch,
    action: MatchAction,
    *,
    reason: DeclineReason | None,
    note: str | None,
) -> SavedMatch:
    rule = TRANSITIONS[action]
    if rule.needs_reason and reason is None:
        raise ValidationFailed(msg("a reason is required to {action}", action=action.value), field="reason")
    target = next_status(action, match.status)
    if target is None:
        raise InvalidTransition(
            msg("cannot {action} a match that is {status}", action=action.value, status=match.status.value)
        )
    values: dict[str, Any] = {"status": target, "decided_by_id": principal.user_id}
    if action == MatchAction.DISMISS:
        values |= {"decline_reason": reason, "decline_note": note}
    await transition(
        session,
        principal.actor,
        match,
        f"saved_match.{action.value}",
        expected={"status": match.status},
        values=values,
        audited=_AUDITED,
        conflict=Conflict("The match changed meanwhile; read it again", code="concurrent_change"),
    )
    return match
