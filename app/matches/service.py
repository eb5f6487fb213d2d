"""Recommendations: a demand's achievements, an achievement's demands, and a need in free text,
ranked and explained by the matching engine over the index (app.listings.search_index).

Who sees what: a listing's recommendations are its owning organization's (anyone else gets the 404
of a listing they may not see, whether it exists or not); free-text matching is open to anyone,
throttled per client address. Results are published, unexpired listings only, never the asking
organization's own, each shown as its kind's read for this caller (masked as any read is).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements.service import READS as ACHIEVEMENT_READS
from app.auth import throttle
from app.auth.principal import Principal
from app.core.clock import today, utcnow
from app.core.enums import (
    CooperationMode,
    DemandType,
    LocalIndustry,
    MatchStatus,
    TechField,
    TransferMode,
)
from app.core.errors import NotFound
from app.core.i18n import Language, current_language, msg, term
from app.core.pagination import Page, PageParams, page_of
from app.demands.service import READS as DEMAND_READS
from app.listings import service as listings
from app.listings.kinds import ListingT, ReadKind, kind_of
from app.matches import needs, saved
from app.matches.schemas import AchievementMatch, ContributionRead, DemandMatch, MatchQuery, SavedMatchRead
from app.matching.engine import Engine
from app.matching.explain import sentence
from app.matching.records import Contribution, Filters, Kind, Need, Result
from app.models import Achievement, Demand, SavedMatch
from app.regions import service as regions

# Free-text matching per client address: this many queries a minute.
AD_HOC_PER_MINUTE = 30
_AD_HOC_WINDOW = timedelta(minutes=1)

Match = AchievementMatch | DemandMatch
MatchT = TypeVar("MatchT", AchievementMatch, DemandMatch)


async def for_demand(
    session: AsyncSession, principal: Principal, engine: Engine, demand_id: int, page: PageParams
) -> Page[AchievementMatch]:
    """Achievements for one of the caller's organization's demands."""
    demand = await _owned(session, principal, Demand, demand_id)
    need = await needs.need_of(session, demand)
    dismissed = await saved.paired(session, demand.id, MatchStatus.DISMISSED)
    items, total = await _matched(session, principal, engine, need, Kind.ACHIEVEMENT, page, dismissed)
    return page_of([item for item in items if isinstance(item, AchievementMatch)], total, page)


async def for_achievement(
    session: AsyncSession, principal: Principal, engine: Engine, achievement_id: int, page: PageParams
) -> Page[DemandMatch]:
    """Demands for one of the caller's organization's achievements."""
    achievement = await _owned(session, principal, Achievement, achievement_id)
    need = await needs.need_of(session, achievement)
    items, total = await _matched(session, principal, engine, need, Kind.DEMAND, page)
    return page_of([item for item in items if isinstance(item, DemandMatch)], total, page)


async def for_text(
    session: AsyncSession,
    principal: Principal | None,
    engine: Engine,
    query: MatchQuery,
    page: PageParams,
    client_address: str | None,
    item_type: type[MatchT],
) -> Page[MatchT]:
    """Listings for a need (achievements) or an offer (demands) in free text, as `item_type` says;
    anonymous allowed, throttled per address."""
    kind = Kind.ACHIEVEMENT if item_type is AchievementMatch else Kind.DEMAND
    items, total = await _ad_hoc(session, principal, engine, query, kind, page, client_address)
    return page_of([item for item in items if isinstance(item, item_type)], total, page)


async def _ad_hoc(
    session: AsyncSession,
    principal: Principal | None,
    engine: Engine,
    query: MatchQuery,
    kind: Kind,
    page: PageParams,
    client_address: str | None,
) -> tuple[list[Match], int]:
    rule = throttle.ThrottleRule(f"match:{client_address or 'unknown'}", AD_HOC_PER_MINUTE)
    await throttle.reserve_attempt(session, [rule], now=utcnow(), window=_AD_HOC_WINDOW)
    paths = await regions.ancestry(session) if query.region_id is not None else {}
    modes = query.cooperation_modes if kind == Kind.ACHIEVEMENT else query.transfer_modes
    need = Need(
        text=query.text,
        keywords=tuple(query.keywords),
        tech_field=query.tech_field.value if query.tech_field else None,
        local_industries=(query.local_industry.value,) if query.local_industry else (),
        modes=tuple(mode.value for mode in modes),
        price_fen=query.budget_fen,
        trl=query.trl,
        demand_type=query.demand_type.value if query.demand_type else None,
        region_path=paths.get(query.region_id, ()) if query.region_id is not None else (),
    )
    return await _matched(session, principal, engine, need, kind, page)


async def _owned(
    session: AsyncSession, principal: Principal, model: type[ListingT], listing_id: int
) -> ListingT:
    """One of the caller's organization's listings; anyone else's is the 404 of one they cannot see."""
    listing = await listings.get_visible(session, principal, model, listing_id)
    if not principal.access.may_edit_listing(listing):
        raise NotFound(msg("No {kind} {listing_id}", kind=term(kind_of(model)), listing_id=listing_id))
    return listing


async def _matched(
    session: AsyncSession,
    principal: Principal | None,
    engine: Engine,
    need: Need,
    kind: Kind,
    page: PageParams,
    excluded: set[int] | None = None,
) -> tuple[list[Match], int]:
    filters = Filters(kind=kind, today=today(), exclude_ids=frozenset(excluded or ()))
    found = await asyncio.to_thread(engine.match, need, filters, limit=page.limit, offset=page.offset)
    reads = _READS[kind]
    model = reads.model
    stored = await listings.published_by_ids(session, model, [result.listing_id for result in found.results])
    shown = {read.id: read for read in await reads.to_read(session, principal, list(stored.values()))}
    labels = _labels(current_language())
    items: list[Match] = []
    for result in found.results:
        read = shown.get(result.listing_id)
        if read is None:  # unpublished since the index last heard of it: the consumer will catch up
            continue
        items.append(_item(kind, read, result, labels))
    return items, found.total


_READS: dict[Kind, ReadKind[Any]] = {Kind.ACHIEVEMENT: ACHIEVEMENT_READS, Kind.DEMAND: DEMAND_READS}


async def saved_page(
    session: AsyncSession,
    principal: Principal,
    demand_id: int,
    status: MatchStatus | None,
    page: PageParams,
) -> Page[SavedMatchRead]:
    """The saved matches of one of the caller's organization's demands, best first."""
    demand = await _owned(session, principal, Demand, demand_id)
    matches, total = await saved.page(session, demand, status, page)
    return page_of(await saved_reads(session, matches), total, page)


async def saved_reads(session: AsyncSession, matches: Sequence[SavedMatch]) -> list[SavedMatchRead]:
    titles = await listings.titles(session, Achievement, [match.achievement_id for match in matches])
    labels = _labels(current_language())
    return [_saved_read(match, titles.get(match.achievement_id, ""), labels) for match in matches]


def _saved_read(match: SavedMatch, title: str, labels: Mapping[str, str]) -> SavedMatchRead:
    contributions = tuple(
        Contribution(item["feature"], float(item["score"]), dict(item.get("detail") or {}))
        for item in match.contributions
    )
    result = Result(match.achievement_id, match.score, 0.0, tuple(match.matched_terms), False, contributions)
    return SavedMatchRead.model_validate(
        {
            **{name: getattr(match, name) for name in _SAVED_COLUMNS},
            "achievement_title": title,
            "contributions": [_contribution(contribution) for contribution in contributions],
            "explanation": sentence(result, labels, language=current_language().value),
        }
    )


_SAVED_COLUMNS = (
    *("id", "demand_id", "achievement_id", "status", "score", "matched_terms"),
    *("decline_reason", "decline_note", "created_at", "updated_at"),
)


def _item(kind: Kind, read: Any, result: Result, labels: Mapping[str, str]) -> Match:
    language = current_language()
    values: dict[str, Any] = {
        "score": round(result.score, 4),
        "text_score": round(result.text_score, 4),
        "matched_terms": list(result.matched_terms),
        "complete": result.complete,
        "contributions": [
            ContributionRead.model_validate(
                {"feature": c.feature, "score": round(c.score, 4), "detail": c.detail}
            )
            for c in result.contributions
        ],
        "explanation": sentence(result, labels, language=language.value),
    }
    if kind == Kind.ACHIEVEMENT:
        return AchievementMatch(achievement=read, **values)
    return DemandMatch(demand=read, **values)


def _contribution(contribution: Contribution) -> ContributionRead:
    values = {
        "feature": contribution.feature,
        "score": round(contribution.score, 4),
        "detail": contribution.detail,
    }
    return ContributionRead.model_validate(values)


def _labels(language: Language) -> dict[str, str]:
    """The explanation's words for the stable keys: Chinese labels, or the keys themselves in English."""
    vocabularies: Sequence[tuple[str, Any]] = (
        ("tech_field", TechField),
        ("local_industry", LocalIndustry),
        ("mode", CooperationMode),
        ("transfer_mode", TransferMode),
        ("demand_type", DemandType),
    )
    return {
        f"{name}:{member.value}": member.label if language == Language.ZH else member.value.replace("_", " ")
        for name, enum in vocabularies
        for member in enum
    }
