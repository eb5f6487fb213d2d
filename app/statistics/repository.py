"""The statistics' SQL. Every figure is a GROUP BY over the registration ledger, summed by the
database; the service only rolls a few groups up (regions into the scope's children) and labels them.

A tally's statement is Core (table columns, no ORM entities), built once per shape (dimensions,
side, bucket, whether regions are filtered) with its dates and regions bound, and sent on the
request's own connection past SQLAlchemy's execution machinery: one round trip, rows as the driver
reads them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import OrganizationKind, TargetMetric
from app.db import dialect
from app.db.reader import all_rows
from app.models import Organization, RegistrationEntry, StatisticsTarget, TechFieldIndustry
from app.statistics.dimensions import Dimension, PartySide, PeriodBucket, Side

_LEDGER: Table = RegistrationEntry.__table__  # type: ignore[assignment]
_PAIRS: Table = TechFieldIndustry.__table__  # type: ignore[assignment]
_ENTRY = _LEDGER.c
# The dimensions that are a column of the ledger as they stand.
_COLUMN_OF = {
    Dimension.CONTRACT_TYPE: _ENTRY.counted_type,
    Dimension.TECH_FIELD: _ENTRY.tech_field,
    Dimension.SELLER_KIND: _ENTRY.seller_kind,
    Dimension.BUYER_KIND: _ENTRY.buyer_kind,
    Dimension.IP_TYPE: _ENTRY.ip_type,
    Dimension.PLAN_CATEGORY: _ENTRY.plan_category,
}

# count, 成交额, 技术交易额, 产学研 count.
Figures = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Cut:
    """What to tally: the dimensions, the side, the period bucket, the dates (both included) and the
    side's regions (None: every entry, buyers outside the network included)."""

    by: tuple[Dimension, ...]
    side: Side
    bucket: PeriodBucket
    start: date
    end: date
    region_ids: Collection[int] | None


def region_column(side: Side) -> Any:
    return _ENTRY.seller_region_id if side is Side.OUTPUT else _ENTRY.buyer_region_id


def _keys(dimension: Dimension, side: Side, bucket: PeriodBucket) -> list[ColumnElement[Any]]:
    if dimension is Dimension.PERIOD:
        if bucket is PeriodBucket.MONTH:
            return [_ENTRY.entered_year, _ENTRY.entered_month]
        if bucket is PeriodBucket.QUARTER:
            # Literal numbers, not bound parameters: PostgreSQL matches the GROUP BY expression to the
            # selected one by its text.
            two, three = literal_column("2", Integer), literal_column("3", Integer)
            return [_ENTRY.entered_year, (_ENTRY.entered_month + two) // three]
        return [_ENTRY.entered_year]
    if dimension is Dimension.REGION:
        return [region_column(side)]
    if dimension is Dimension.INDUSTRY:
        return [_PAIRS.c.local_industry]
    return [_COLUMN_OF[dimension]]


FIGURE_NAMES = ("count", "total_fen", "technical_income_fen", "iur_count")


def _figures() -> list[ColumnElement[Any]]:
    return [
        func.sum(_ENTRY.count_delta).label("count"),
        func.sum(_ENTRY.total_fen_delta).label("total_fen"),
        func.sum(_ENTRY.technical_income_fen_delta).label("technical_income_fen"),
        func.sum(_ENTRY.iur_delta).label("iur_count"),
    ]


@dataclass(frozen=True, slots=True)
class Shape:
    """What a tally's statement depends on; its dates and regions are bound when it runs."""

    database: str
    by: tuple[Dimension, ...]
    side: Side
    bucket: PeriodBucket
    filtered: bool


_START = bindparam("tally_start", type_=Date)
_END = bindparam("tally_end", type_=Date)


@lru_cache(maxsize=512)
def tally_statement(shape: Shape) -> tuple[Select[Any], tuple[int, ...]]:
    """The GROUP BY of a shape, built once, and how many key columns each dimension takes (a month
    is two: year and month). The industry dimension joins the editable mapping: an entry counts
    under each local industry its field maps to, or under none (NULL). Without dimensions: the
    totals, one row."""
    widths: list[int] = []
    keys: list[ColumnElement[Any]] = []
    for dimension in shape.by:
        columns = _keys(dimension, shape.side, shape.bucket)
        widths.append(len(columns))
        keys.extend([column.label(f"k{len(keys) + n}") for n, column in enumerate(columns)])
    conditions = [_ENTRY.entered_on >= _START, _ENTRY.entered_on <= _END]
    if shape.filtered:
        # One bound list whatever the number of regions (an array on PostgreSQL, JSON on SQLite).
        regions = dialect.ranked_ids(shape.database)
        conditions.append(region_column(shape.side).in_(select(regions.c.id)))
    statement = select(*keys, *_figures()).where(*conditions)
    if Dimension.INDUSTRY in shape.by:
        statement = statement.select_from(_LEDGER.outerjoin(_PAIRS, _PAIRS.c.tech_field == _ENTRY.tech_field))
    if keys:
        statement = statement.group_by(*keys)
    return statement, tuple(widths)


def figures(row: Mapping[Any, Any]) -> Figures:
    """A row's four sums as integers (PostgreSQL sums BIGINT as NUMERIC; an empty sum is NULL)."""
    count, total, income, iur = (int(row[name] or 0) for name in FIGURE_NAMES)
    return count, total, income, iur


async def _run(
    session: AsyncSession, cut: Cut, by: tuple[Dimension, ...]
) -> tuple[Sequence[Mapping[str, Any]], tuple[int, ...]]:
    shape = Shape(dialect.key(session), by, cut.side, cut.bucket, cut.region_ids is not None)
    statement, widths = tally_statement(shape)
    params: dict[str, Any] = {"tally_start": cut.start, "tally_end": cut.end}
    if cut.region_ids is not None:
        params["ranked_ids"] = dialect.ranked_ids_value(session, sorted(cut.region_ids))
    # On asyncpg the statement goes to the driver connection, compiled once (app.db.reader): the
    # request's own connection and transaction, without SQLAlchemy's per-statement machinery.
    return await all_rows(await session.connection(), statement, **params), widths


async def tally(session: AsyncSession, cut: Cut) -> list[tuple[tuple[tuple[Any, ...], ...], Figures]]:
    """Each group's key columns, one tuple per dimension, and its figures."""
    rows, widths = await _run(session, cut, cut.by)
    groups = []
    for row in rows:
        keys, at = [], 0
        for width in widths:
            keys.append(tuple(row[f"k{at + n}"] for n in range(width)))
            at += width
        groups.append((tuple(keys), figures(row)))
    return groups


async def totals(session: AsyncSession, cut: Cut) -> Figures:
    """The figures of every entry `cut` takes, each once."""
    rows, _ = await _run(session, cut, ())
    return figures(rows[0])


def _party(side: PartySide) -> tuple[Any, Any]:
    if side is PartySide.SELLER:
        return _ENTRY.seller_name, _ENTRY.seller_region_id
    return _ENTRY.buyer_name, _ENTRY.buyer_region_id


async def top_parties(
    session: AsyncSession,
    side: PartySide,
    start: date,
    end: date,
    region_ids: Collection[int] | None,
    *,
    limit: int,
    offset: int,
) -> tuple[list[tuple[str, Figures]], int]:
    """The parties (by name) with the largest 成交额, and how many parties there are: one statement
    (the count is a window over the groups). Ties go by name, byte-wise on both databases."""
    name, region = _party(side)
    sums = _figures()
    conditions = [_ENTRY.entered_on >= start, _ENTRY.entered_on <= end]
    if region_ids is not None:
        conditions.append(region.in_(sorted(region_ids)))
    statement = (
        select(name.label("name"), *sums, func.count().over().label("parties"))
        .where(*conditions)
        .group_by(name)
        .having(or_(*(func.sum(column) != 0 for column in _summed())))
        .order_by(sums[1].desc(), dialect.bytewise(session, name))
        .limit(limit)
        .offset(offset)
    )
    rows = (await session.execute(statement)).all()
    parties = [(str(row.name), figures(row._mapping)) for row in rows]
    total = int(rows[0][5]) if rows else await _party_count(session, name, conditions)
    return parties, total


def _summed() -> tuple[Any, ...]:
    return (_ENTRY.count_delta, _ENTRY.total_fen_delta, _ENTRY.technical_income_fen_delta, _ENTRY.iur_delta)


async def _party_count(session: AsyncSession, name: Any, conditions: list[ColumnElement[bool]]) -> int:
    """The number of parties when the page is past the last one (the window counted no row)."""
    groups = (
        select(name)
        .where(*conditions)
        .group_by(name)
        .having(or_(*(func.sum(column) != 0 for column in _summed())))
        .subquery()
    )
    return int(await session.scalar(select(func.count()).select_from(groups)) or 0)


async def sums_by_seller_region(session: AsyncSession, start: date, end: date) -> dict[int, tuple[int, int]]:
    """成交额 and the 产学研 count of the entries dated `start`..`end`, by the seller's region."""
    statement = (
        select(_ENTRY.seller_region_id, func.sum(_ENTRY.total_fen_delta), func.sum(_ENTRY.iur_delta))
        .where(_ENTRY.entered_on >= start, _ENTRY.entered_on <= end)
        .group_by(_ENTRY.seller_region_id)
    )
    return {int(row[0]): (int(row[1] or 0), int(row[2] or 0)) for row in await session.execute(statement)}


async def verified_agencies_by_region(session: AsyncSession, before: datetime) -> dict[int, int]:
    """Technology-transfer agencies verified now, and verified before `before`, by region."""
    statement = (
        select(Organization.region_id, func.count())
        .where(
            Organization.kind == OrganizationKind.TRANSFER_AGENCY,
            Organization.is_verified.is_(True),
            or_(Organization.verified_at.is_(None), Organization.verified_at < before),
        )
        .group_by(Organization.region_id)
    )
    return {int(row[0]): int(row[1]) for row in await session.execute(statement)}


async def targets(
    session: AsyncSession, year: int, region_ids: Collection[int] | None
) -> list[StatisticsTarget]:
    statement = select(StatisticsTarget).where(StatisticsTarget.year == year)
    if region_ids is not None:
        statement = statement.where(StatisticsTarget.region_id.in_(sorted(region_ids)))
    statement = statement.order_by(StatisticsTarget.metric, StatisticsTarget.region_id)
    return list(await session.scalars(statement))


async def target(
    session: AsyncSession, metric: TargetMetric, region_id: int, year: int
) -> StatisticsTarget | None:
    return await session.scalar(
        select(StatisticsTarget).where(
            and_(
                StatisticsTarget.metric == metric,
                StatisticsTarget.region_id == region_id,
                StatisticsTarget.year == year,
            )
        )
    )
