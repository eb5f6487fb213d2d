"""Achievement rules: listing, editing before publication, the patents, reading as a given caller."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements.kind import ACHIEVEMENT, patent_row
from app.achievements.schemas import (
    AchievementCreate,
    AchievementFilter,
    AchievementRead,
    AchievementUpdate,
    PatentIn,
    PatentRead,
)
from app.auth.principal import Principal
from app.core.errors import Conflict, ValidationFailed
from app.db import dialect
from app.events import recording as audit
from app.listings import service as listings
from app.listings.kinds import Listing, ReadKind
from app.models import Achievement, Patent

AUDITED = (
    *listings.AUDITED,
    "abstract",
    "public_summary",
    "application_industries",
    "trl",
    "stage",
    "level",
    "ip_form",
    "transfer_modes",
    "asking_price_fen",
    "is_price_negotiable",
    "team",
    "technical_indicators",
    "commercial_analysis",
)


def achievement_number(achievement: Achievement) -> str:
    return ACHIEVEMENT.number(achievement)


def _public_patents(db: dialect.Db) -> list[ColumnElement[Any]]:
    patents = Patent.__table__.c
    fields = {name: patents[name] for name in ("application_number", "patent_type", "status", "title")}
    where = patents.achievement_id == Achievement.id
    return [dialect.json_array(db, fields, where, patents.id, Achievement).label("patents")]


async def create(session: AsyncSession, principal: Principal, data: AchievementCreate) -> Achievement:
    organization = await listings.posting_organization(session, principal, data.organization_id)
    if data.client_key is not None and await listings.client_key_taken(
        session, Achievement, organization.id, data.client_key
    ):
        raise Conflict("An achievement with this client_key exists already", code="duplicate_client_key")
    achievement = ACHIEVEMENT.build(
        data,
        organization_id=organization.id,
        region_id=await listings.listing_region(session, organization, data.region_id),
        created_by_id=principal.user_id,
    )
    session.add(achievement)
    await session.flush()
    patents = await _replace_patents(session, achievement.id, data.patents)
    await listings.record(session, principal, achievement, "create", after=_snapshot(achievement, patents))
    return achievement


async def update(
    session: AsyncSession, principal: Principal, achievement: Achievement, data: AchievementUpdate
) -> Achievement:
    listings.require_editable(principal, achievement)
    await _edit(session, principal, achievement, data, "update")
    return achievement


async def edit(
    session: AsyncSession, principal: Principal, listing: Listing, changes: dict[str, Any], verb: str
) -> None:
    """The revisions' Editor: apply an update given as AchievementUpdate JSON."""
    assert isinstance(listing, Achievement)  # noqa: S101 - registered for achievements only
    await _edit(session, principal, listing, AchievementUpdate.model_validate(changes), verb)


async def _edit(
    session: AsyncSession, principal: Principal, achievement: Achievement, data: AchievementUpdate, verb: str
) -> None:
    patents = (await patents_of(session, [achievement.id])).get(achievement.id, [])
    before = _snapshot(achievement, patents)
    changes = data.model_dump(exclude_unset=True, exclude={"patents"})
    if changes.get("asking_price_fen") is not None:
        changes.setdefault("is_price_negotiable", False)  # a price replaces 面议 set earlier
    if changes.get("is_price_negotiable"):
        changes["asking_price_fen"] = None  # and 面议 replaces a price
    await listings.apply_update(session, achievement, changes)
    _check_complete(achievement)
    achievement.search_text = ACHIEVEMENT.search_text(achievement)
    await session.flush()
    if data.patents is not None:
        patents = await _replace_patents(session, achievement.id, data.patents)
    await listings.record(
        session, principal, achievement, verb, before=before, after=_snapshot(achievement, patents)
    )


async def to_read(
    session: AsyncSession, principal: Principal | None, achievements: Sequence[Achievement]
) -> list[AchievementRead]:
    patents = await patents_of(session, [achievement.id for achievement in achievements])
    return await listings.present_all(
        session,
        principal,
        AchievementRead,
        achievements,
        lambda achievement: {
            "number": achievement_number(achievement),
            "patents": patents.get(achievement.id, []),
        },
    )


# How achievements are read (app.listings.reading); the public rows carry their patents.
READS = ReadKind(Achievement, AchievementRead, ACHIEVEMENT.number_prefix, to_read, _public_patents)


async def patents_of(session: AsyncSession, achievement_ids: list[int]) -> dict[int, list[PatentRead]]:
    """The patents of the given achievements, in one query."""
    if not achievement_ids:
        return {}
    rows = await session.scalars(
        select(Patent).where(Patent.achievement_id.in_(achievement_ids)).order_by(Patent.id)
    )
    found: dict[int, list[PatentRead]] = {}
    for patent in rows:
        found.setdefault(patent.achievement_id, []).append(PatentRead.model_validate(patent))
    return found


def conditions(db: dialect.Db, f: AchievementFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the achievement-only filters."""
    found: list[ColumnElement[bool]] = []
    if f.transfer_mode is not None:
        found.append(dialect.json_list_has(db, Achievement.transfer_modes, f.transfer_mode.value))
    if f.trl_from is not None:
        found.append(Achievement.trl >= f.trl_from)
    if f.trl_to is not None:
        found.append(Achievement.trl <= f.trl_to)
    if f.stage is not None:
        found.append(Achievement.stage == f.stage)
    if f.level is not None:
        found.append(Achievement.level == f.level)
    if f.ip_form is not None:
        found.append(Achievement.ip_form == f.ip_form)
    found.extend(_price_conditions(f.price_from_fen, f.price_to_fen, include_negotiable=f.include_negotiable))
    return found


def _price_conditions(
    low: int | None, high: int | None, *, include_negotiable: bool
) -> list[ColumnElement[bool]]:
    priced: list[ColumnElement[bool]] = []
    if low is not None:
        priced.append(Achievement.asking_price_fen >= low)
    if high is not None:
        priced.append(Achievement.asking_price_fen <= high)
    if not include_negotiable:
        return [Achievement.is_price_negotiable.is_(False), *priced]
    return [or_(Achievement.is_price_negotiable.is_(True), and_(*priced))] if priced else []


def _check_complete(achievement: Achievement) -> None:
    """What AchievementCreate requires must stay true after an update, which sends only changes."""
    if achievement.trl is None and achievement.stage is None:
        raise ValidationFailed("give the maturity: trl (1-9), stage, or both", field="trl")
    if not achievement.is_price_negotiable and achievement.asking_price_fen is None:
        raise ValidationFailed(
            "give asking_price_fen, or is_price_negotiable (面议)", field="asking_price_fen"
        )


async def _replace_patents(
    session: AsyncSession, achievement_id: int, patents: list[PatentIn]
) -> list[PatentRead]:
    # A statement, not ORM deletes: the unit of work would insert the new rows before deleting the
    # old ones, and a number kept in the new set would then break the unique constraint.
    await session.execute(delete(Patent).where(Patent.achievement_id == achievement_id))
    rows = [patent_row(achievement_id, patent) for patent in patents]
    session.add_all(rows)
    await session.flush()
    return [PatentRead.model_validate(row) for row in rows]


def _snapshot(achievement: Achievement, patents: list[PatentRead]) -> dict[str, Any]:
    return audit.snapshot(achievement, AUDITED) | {
        "patents": [patent.model_dump(mode="json") for patent in patents]
    }
