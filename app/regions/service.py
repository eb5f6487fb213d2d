"""Region rules: who administers which part of the network, and changes to the tree."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.auth.principal import Principal
from app.core.enums import RegionLevel
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams, order_by
from app.db.repository import fetch_page
from app.events import recording as audit
from app.models import Region
from app.regions import repository
from app.regions.schemas import RegionCreate, RegionUpdate

_AUDITED = ("code", "name", "level", "parent_id", "is_active")
SORTABLE = {"name": Region.name, "code": Region.code, "created_at": Region.created_at}


async def list_regions(
    session: AsyncSession,
    page: PageParams,
    *,
    parent_id: int | None,
    level: RegionLevel | None,
    q: str | None,
    include_inactive: bool,
    sort: str | None,
) -> tuple[list[Region], int]:
    """One page of the regions passing the filters, and how many pass them."""
    statement = repository.search(parent_id=parent_id, level=level, q=q, include_inactive=include_inactive)
    statement = statement.order_by(*order_by(sort, SORTABLE, [Region.id]))
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def get_region(session: AsyncSession, region_id: int) -> Region:
    region = await repository.get(session, region_id)
    if region is None:
        raise NotFound(msg("No region {region_id}", region_id=region_id))
    return region


async def names(session: AsyncSession, region_ids: Collection[int]) -> dict[int, str]:
    """id -> name of the regions `region_ids` (one statement; none for no ids): what lists and
    details of other features show beside a region id."""
    return await repository.names(session, region_ids)


async def subtree_ids(db: AsyncSession | AsyncConnection, region_id: int) -> set[int]:
    """`region_id` and every region below it: the region filter of other features' lists (through a
    session, or a connection of the public read path)."""
    return await repository.subtree_ids(db, region_id)


async def ancestry(db: AsyncSession | AsyncConnection) -> dict[int, tuple[int, ...]]:
    """Each region's path up the tree, itself first (district, city, province): "same district" and
    "same city" for matching."""
    parent_of = await repository.parents(db)
    paths: dict[int, tuple[int, ...]] = {}
    for region_id in parent_of:
        path: list[int] = []
        current: int | None = region_id
        while current is not None and current not in path:
            path.append(current)
            current = parent_of.get(current)
        paths[region_id] = tuple(path)
    return paths


@dataclass(frozen=True, slots=True)
class RegionNode:
    id: int
    parent_id: int | None
    name: str
    code: str | None
    level: RegionLevel


@dataclass(frozen=True, slots=True)
class RegionTree:
    """The whole region tree in memory (a few hundred rows at most), for callers that walk it many
    times in one request: the statistics roll districts' descendants up to the district."""

    nodes: dict[int, RegionNode]
    children: dict[int | None, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, nodes: Collection[RegionNode]) -> RegionTree:
        children: dict[int | None, list[int]] = {}
        for node in sorted(nodes, key=lambda node: node.id):
            children.setdefault(node.parent_id, []).append(node.id)
        return cls({node.id: node for node in nodes}, {k: tuple(v) for k, v in children.items()})

    def __contains__(self, region_id: object) -> bool:
        return region_id in self.nodes

    @property
    def roots(self) -> tuple[int, ...]:
        return self.children.get(None, ())

    def path(self, region_id: int) -> Iterator[int]:
        """`region_id`, its parent, and so on up to its root."""
        seen: set[int] = set()
        current: int | None = region_id
        while current is not None and current not in seen and current in self.nodes:
            seen.add(current)
            yield current
            current = self.nodes[current].parent_id

    @property
    def city(self) -> int | None:
        """The network's city: the city-level region nearest a root (the first made, if several),
        else the only root; None when neither says which."""
        cities = [node for node in self.nodes.values() if node.level is RegionLevel.CITY]
        if cities:
            return min(cities, key=lambda node: (len(list(self.path(node.id))), node.id)).id
        return self.roots[0] if len(self.roots) == 1 else None

    def subtree(self, region_id: int) -> set[int]:
        """`region_id` and every region below it."""
        found: set[int] = set()
        pending = [region_id]
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(self.children.get(current, ()))
        return found


async def tree(db: AsyncSession | AsyncConnection) -> RegionTree:
    """The region tree, inactive regions included (what was counted under them still counts)."""
    nodes = [
        RegionNode(id_, parent, name, code, RegionLevel(level))
        for id_, parent, name, code, level in await repository.nodes(db)
    ]
    return RegionTree.of(nodes)


async def create_region(session: AsyncSession, principal: Principal, data: RegionCreate) -> Region:
    if data.parent_id is None and data.level != RegionLevel.PROVINCE:
        # One network has one root; a second city is configured under its province, not beside it.
        raise ValidationFailed("parent_id is required below province level", field="parent_id")
    if data.parent_id is not None:
        await get_region(session, data.parent_id)
    if data.code is not None and await repository.get_by_code(session, data.code) is not None:
        raise Conflict(msg("Region code {code} already exists", code=data.code), code="region_code_taken")
    region = Region(
        code=data.code, name=data.name, level=data.level, parent_id=data.parent_id, is_active=True
    )
    session.add(region)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "region.create",
        entity_type="region",
        entity_id=region.id,
        after=audit.snapshot(region, _AUDITED),
    )
    return region


async def update_region(
    session: AsyncSession, principal: Principal, region: Region, data: RegionUpdate
) -> Region:
    before = audit.snapshot(region, _AUDITED)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise ValidationFailed(msg("{name} cannot be null", name=name), field=name)
        setattr(region, name, value)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "region.update",
        entity_type="region",
        entity_id=region.id,
        before=before,
        after=audit.snapshot(region, _AUDITED),
    )
    return region
