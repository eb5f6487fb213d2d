"""Tallies of the registration ledger, targets and their progress, the top parties.

Who reads: city and system administrators the whole network, district administrators their
districts (`Access.reads_statistics`); anyone else is refused (403 `statistics_role_required`).

A tally is one GROUP BY in the database (app.statistics.repository). The region dimension groups
there by the entries' own region ids; here the few groups are rolled up, exactly (integers), to the
region directly below the scope: for the city its districts, counties and zones, each with its
descendants. Entries entered at the scope's region itself form a row of their own ("连云港市本级"),
and on the absorption side, over the whole network, entries whose buyer is outside it form the
"市外" row. So the rows of a region tally always add up to its totals.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.access import Access
from app.auth.principal import Principal
from app.core.clock import CHINA_STANDARD_TIME, today
from app.core.enums import LabelledEnum, TargetMetric
from app.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
)
from app.core.i18n import msg, render
from app.core.pagination import PageParams, check_if_match, etag
from app.core.query_parameters import check_range
from app.events import recording as audit
from app.events.transitions import transition
from app.models import StatisticsTarget
from app.regions import service as regions
from app.regions.service import RegionTree
from app.statistics import repository
from app.statistics.dimensions import ENUM_OF, Dimension, PartySide, Period, PeriodBucket, Side, shown
from app.statistics.repository import Cut, Figures

TARGET_KIND = "statistics-target"
_TARGET_AUDITED = ("metric", "region_id", "year", "value", "source")


def _require_reader(access: Access) -> None:
    if not access.reads_statistics:
        raise Forbidden(
            "Statistics are for city and district administrators", code="statistics_role_required"
        )


# --- scope -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scope:
    """What a caller's tally covers. `region_id`: the region whose children the region dimension
    lists (None: the `tops` themselves, a district administrator's several districts).
    `region_ids`: the regions the side's region must be in; None takes every entry, buyers outside
    the network included (the whole network)."""

    region_id: int | None
    tops: tuple[int, ...]
    region_ids: frozenset[int] | None

    def group_of(self, tree: RegionTree, region_id: int | None) -> int | None:
        """The row a region's entries count in: the scope's child holding it (the scope's own region
        for entries entered there), or one of the `tops`; None (outside the network) stays None."""
        if region_id is None:
            return None
        below: int | None = None
        for node in tree.path(region_id):
            if node == self.region_id:
                return below if below is not None else node
            if self.region_id is None and node in self.tops:
                return node
            below = node
        return region_id


def resolve_scope(access: Access, tree: RegionTree, region_id: int | None) -> Scope:
    """The caller's scope for `region_id` (None: all the caller may read)."""
    _require_reader(access)
    if access.everywhere:
        roots = tree.roots
        if region_id is None and len(roots) != 1:
            return Scope(None, roots, None)
        chosen = roots[0] if region_id is None else region_id
        if chosen not in tree:
            raise NotFound(msg("No region {region_id}", region_id=chosen))
        whole = len(roots) == 1 and chosen == roots[0]
        return Scope(chosen, (), None if whole else frozenset(tree.subtree(chosen)))
    administered = access.coverage.administered
    if region_id is None:
        tops = tuple(
            sorted(r for r in administered if r in tree and tree.nodes[r].parent_id not in administered)
        )
        if len(tops) == 1:
            return Scope(tops[0], (), frozenset(administered))
        return Scope(None, tops, frozenset(administered))
    if not access.reads_statistics_of(region_id):
        raise Forbidden(
            msg("Region {region_id} is not one you administer", region_id=region_id),
            code="region_not_administered",
        )
    return Scope(region_id, (), frozenset(tree.subtree(region_id)))


# --- dates -------------------------------------------------------------------------------------


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def date_range(year: int | None, start: date | None, end: date | None) -> tuple[date, date]:
    """A calendar year, or a range given by both ends (included); neither: the current year."""
    if year is not None and (start is not None or end is not None):
        raise ValidationFailed(
            msg("Give a year, or a range from and to, not both"),
            fields=["year", *(name for name, value in (("from", start), ("to", end)) if value)],
            location="query",
            error_code="year_or_range",
        )
    if (start is None) != (end is None):
        raise ValidationFailed(
            msg("A range needs both from and to"),
            field="to" if end is None else "from",
            location="query",
            error_code="incomplete_range",
        )
    if start is not None and end is not None:
        check_range("from", start, "to", end)
        return start, end
    return year_range(year if year is not None else today().year)


# --- tallies -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Key:
    value: str | int | None
    label: str


@dataclass(frozen=True, slots=True)
class Row:
    keys: dict[Dimension, Key]
    figures: Figures


@dataclass(frozen=True, slots=True)
class Tally:
    cut: Cut
    region_id: int | None
    rows: list[Row]
    totals: Figures


@dataclass(frozen=True, slots=True)
class TallyRequest:
    by: tuple[Dimension, ...]
    side: Side
    bucket: PeriodBucket
    start: date
    end: date
    region_id: int | None


async def tally(session: AsyncSession, access: Access, request: TallyRequest) -> Tally:
    """The figures of the ledger entries dated `start`..`end` in the caller's scope, by `by`."""
    _require_reader(access)
    tree = await regions.tree(session)
    scope = resolve_scope(access, tree, request.region_id)
    cut = Cut(request.by, request.side, request.bucket, request.start, request.end, scope.region_ids)
    groups = await repository.tally(session, cut)
    resolver = _Resolver(cut, scope, tree)
    summed: dict[tuple[Any, ...], list[int]] = {}
    for raw, figures in groups:
        key = tuple(resolver.key(dimension, columns) for dimension, columns in zip(cut.by, raw, strict=True))
        into = summed.setdefault(key, [0, 0, 0, 0])
        for index, value in enumerate(figures):
            into[index] += value
    kept = sorted(
        ((key, tuple(figures)) for key, figures in summed.items() if any(figures)),
        key=lambda item: tuple(resolver.order(d, k) for d, k in zip(cut.by, item[0], strict=True)),
    )
    rows = [
        Row(
            {dimension: resolver.shown(dimension, part) for dimension, part in zip(cut.by, key, strict=True)},
            (figures[0], figures[1], figures[2], figures[3]),
        )
        for key, figures in kept
    ]
    if Dimension.INDUSTRY in cut.by:
        # An entry counts under every local industry its field maps to: the rows may add up to more.
        totals = await repository.totals(session, cut)
    else:
        totals = _sum(row.figures for row in rows)
    return Tally(cut, scope.region_id, rows, totals)


def _sum(figures: Any) -> Figures:
    count = total = income = iur = 0
    for c, t, i, u in figures:
        count, total, income, iur = count + c, total + t, income + i, iur + u
    return count, total, income, iur


class _Resolver:
    """A group's raw key columns as the row's key, its order among the rows, and how it reads."""

    def __init__(self, cut: Cut, scope: Scope, tree: RegionTree) -> None:
        self.cut, self.scope, self.tree = cut, scope, tree
        self._groups: dict[int | None, int | None] = {}

    def key(self, dimension: Dimension, columns: Sequence[Any]) -> Any:
        if dimension is Dimension.PERIOD:
            return Period.of(self.cut.bucket, int(columns[0]), int(columns[1]) if len(columns) > 1 else None)
        value = columns[0]
        if dimension is Dimension.REGION:
            if value not in self._groups:
                self._groups[value] = self.scope.group_of(self.tree, value)
            return self._groups[value]
        return None if value is None else ENUM_OF[dimension](value)

    def order(self, dimension: Dimension, value: Any) -> tuple[Any, ...]:
        if dimension is Dimension.PERIOD:
            return (value.year, value.quarter or 0, value.month or 0)
        if dimension is Dimension.REGION:
            if value is None:
                return (2, "", "", 0)
            node = self.tree.nodes[value]
            # The scope's own row first, then its children by GB/T 2260 code (zones, without one, last).
            return (0 if value == self.scope.region_id else 1, node.code or "\uffff", node.name, value)
        members: list[LabelledEnum] = list(ENUM_OF[dimension])
        return (members.index(value) if value is not None else len(members), "", "", 0)

    def shown(self, dimension: Dimension, value: Any) -> Key:
        if dimension is Dimension.PERIOD:
            return Key(value.value, value.label())
        if dimension is Dimension.REGION:
            if value is None:
                return Key(None, render(msg("outside the network")))
            name = self.tree.nodes[value].name
            if value == self.scope.region_id:
                return Key(value, render(msg("{name} (itself)", name=name)))
            return Key(value, name)
        if value is None:
            return Key(None, render(msg("no local industry")))
        return Key(value.value, shown(value))


# --- top parties -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    rank: int
    name: str
    figures: Figures


async def top_parties(
    session: AsyncSession,
    access: Access,
    side: PartySide,
    year: int,
    region_id: int | None,
    page: PageParams,
) -> tuple[list[Party], int]:
    """The sellers (or buyers) with the largest 成交额 over the year in the caller's scope, by name."""
    _require_reader(access)
    scope = resolve_scope(access, await regions.tree(session), region_id)
    start, end = year_range(year)
    found, total = await repository.top_parties(
        session, side, start, end, scope.region_ids, limit=page.limit, offset=page.offset
    )
    return [Party(page.offset + n, name, figures) for n, (name, figures) in enumerate(found, start=1)], total


# --- targets -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetYear:
    """The dates a year's progress is measured with: entries dated `start`..`end` (the year so far
    for the current year), `days_elapsed` of `days_in_year`."""

    year: int
    as_of: date
    start: date
    end: date
    days_elapsed: int
    days_in_year: int

    @classmethod
    def of(cls, year: int, as_of: date) -> TargetYear:
        start, year_end = year_range(year)
        days = 366 if calendar.isleap(year) else 365
        if as_of < start:
            return cls(year, as_of, start, year_end, 0, days)
        if as_of > year_end:
            return cls(year, as_of, start, year_end, days, days)
        return cls(year, as_of, start, as_of, (as_of - start).days + 1, days)

    @property
    def is_future(self) -> bool:
        return self.days_elapsed == 0


@dataclass(frozen=True, slots=True)
class Progress:
    target: StatisticsTarget
    region_name: str
    actual: int
    progress: float | None
    forecast: int | None


@dataclass(frozen=True, slots=True)
class TargetReport:
    year: TargetYear
    items: list[Progress]


async def targets(session: AsyncSession, access: Access, year: int) -> TargetReport:
    """The year's targets in the caller's scope with what has been reached, the share of the target
    and a linear year-end forecast."""
    _require_reader(access)
    region_ids = None if access.everywhere else access.coverage.administered
    found = await repository.targets(session, year, region_ids)
    found.sort(key=lambda target: (list(TargetMetric).index(target.metric), target.region_id))
    return TargetReport(TargetYear.of(year, today()), await _progress(session, year, found))


async def _progress(session: AsyncSession, year: int, found: list[StatisticsTarget]) -> list[Progress]:
    if not found:
        return []
    measured = TargetYear.of(year, today())
    tree = await regions.tree(session)
    metrics = {target.metric for target in found}
    sums: dict[int, tuple[int, int]] = {}
    if metrics - {TargetMetric.AGENCIES} and not measured.is_future:
        sums = await repository.sums_by_seller_region(session, measured.start, measured.end)
    agencies: dict[int, int] = {}
    if TargetMetric.AGENCIES in metrics:
        # Verified by the year's end (and still verified: a withdrawn verification leaves no history).
        year_end = datetime.combine(date(year + 1, 1, 1), time(), CHINA_STANDARD_TIME)
        agencies = await repository.verified_agencies_by_region(session, year_end)
    items = []
    for target in found:
        regions_below = tree.subtree(target.region_id)
        if target.metric is TargetMetric.AGENCIES:
            actual = sum(agencies.get(region, 0) for region in regions_below)
        else:
            column = 0 if target.metric is TargetMetric.TOTAL_FEN else 1
            actual = sum(sums.get(region, (0, 0))[column] for region in regions_below)
        node = tree.nodes.get(target.region_id)
        items.append(
            Progress(
                target,
                node.name if node else "",
                actual,
                round(actual / target.value, 4) if target.value else None,
                _forecast(target.metric, actual, measured),
            )
        )
    return items


def _forecast(metric: TargetMetric, actual: int, measured: TargetYear) -> int | None:
    """Where the year will end: the linear extrapolation of the year so far (rounded half up); a
    past year's actual figure; none for a year to come. Agencies are a stock, not a flow: the best
    forecast of their number is today's."""
    if measured.is_future:
        return None
    if metric is TargetMetric.AGENCIES or measured.days_elapsed == measured.days_in_year:
        return actual
    scaled = actual * measured.days_in_year
    return (2 * scaled + measured.days_elapsed) // (2 * measured.days_elapsed)


@dataclass(frozen=True, slots=True)
class TargetInput:
    region_id: int | None
    value: int
    source: str


async def set_target(
    session: AsyncSession,
    principal: Principal,
    metric: TargetMetric,
    year: int,
    data: TargetInput,
    if_match: str | None,
) -> Progress:
    """Create or replace the target of `metric` for a region (the network's city when none is
    named) and year. Replacing needs If-Match with the target's ETag."""
    region_id = data.region_id
    if region_id is None:
        region_id = (await regions.tree(session)).city
        if region_id is None:
            raise ValidationFailed(msg("Name the target's region"), field="region_id")
    else:
        await regions.get_region(session, region_id)
    existing = await repository.target(session, metric, region_id, year)
    if existing is None:
        if if_match:
            raise PreconditionFailed(msg("There is no such target to match"))
        target = StatisticsTarget(
            metric=metric, region_id=region_id, year=year, value=data.value, source=data.source
        )
        session.add(target)
        await session.flush()
        await audit.record(
            session,
            principal.actor,
            "statistics_target.create",
            entity_type="statistics_target",
            entity_id=target.id,
            after=audit.snapshot(target, _TARGET_AUDITED),
        )
    else:
        if not if_match:
            raise PreconditionRequired(msg("This target exists; send If-Match to replace it"))
        check_if_match(if_match, TARGET_KIND, existing.id, existing.version)
        target = existing
        if (target.value, target.source) != (data.value, data.source):
            await transition(
                session,
                principal.actor,
                target,
                "statistics_target.update",
                values={"value": data.value, "source": data.source},
                audited=_TARGET_AUDITED,
                conflict=Conflict(msg("The target changed meanwhile; read it again"), code="target_changed"),
            )
    [progress] = await _progress(session, year, [target])
    return progress


def target_etag(target: StatisticsTarget) -> str:
    return etag(TARGET_KIND, target.id, target.version)


def year_or_current(year: int | None) -> int:
    return year if year is not None else today().year
