"""Property: for any ledger (registrations, changes that move contracts between groups, cancellations,
buyers outside the network, sellers in zones below the districts), the API's tally by any one or two
dimensions, on either side, over any dates and scope, is the ledger summed by hand here."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from httpx import AsyncClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import (
    ContractType,
    IpForm,
    PartyKind,
    PlanCategory,
    RegionLevel,
    RegistrationEntryKind,
    TechField,
)
from app.models import Region, RegistrationEntry
from tests import factories
from tests.contracts import support as contracts
from tests.statistics import support
from tests.statistics.support import URL

T = TypeVar("T")
DIMENSIONS = [
    "period",
    "region",
    "contract_type",
    "tech_field",
    "industry",
    "seller_kind",
    "buyer_kind",
    "ip_type",
    "plan_category",
]
FIRST_DAY = date(2025, 1, 1)
DAYS = 730  # 2025 and 2026
ACADEMIA = {PartyKind.UNIVERSITY, PartyKind.RESEARCH_INSTITUTE}


@dataclass(frozen=True)
class Terms:
    """What one ledger entry carries: the contract's dimensions and figures as they stood."""

    counted_type: ContractType
    tech_field: TechField
    seller_region: int
    buyer_region: int | None
    seller_kind: PartyKind
    buyer_kind: PartyKind
    ip_type: IpForm
    plan_category: PlanCategory
    total: int
    deducted: int

    @property
    def iur(self) -> int:
        kinds = {self.seller_kind, self.buyer_kind}
        return int(PartyKind.ENTERPRISE in kinds and bool(kinds & ACADEMIA))


@dataclass(frozen=True)
class Entry:
    on: date
    sign: int
    terms: Terms
    kind: RegistrationEntryKind


def _terms(regions: list[int]) -> st.SearchStrategy[Terms]:
    return st.builds(
        Terms,
        counted_type=st.sampled_from(ContractType),
        tech_field=st.sampled_from(TechField),
        seller_region=st.sampled_from(regions),
        buyer_region=st.one_of(st.none(), st.sampled_from(regions)),
        seller_kind=st.sampled_from(PartyKind),
        buyer_kind=st.sampled_from(PartyKind),
        ip_type=st.sampled_from(IpForm),
        plan_category=st.sampled_from(PlanCategory),
        total=st.integers(0, 10**12),
        deducted=st.integers(0, 10**6),
    )


@st.composite
def _histories(draw: st.DrawFn, regions: list[int]) -> list[Entry]:
    """One contract's entries: its registration, perhaps a change, perhaps its cancellation."""
    day = draw(st.integers(0, DAYS - 1))
    terms = draw(_terms(regions))
    entries = [Entry(FIRST_DAY + timedelta(days=day), 1, terms, RegistrationEntryKind.REGISTRATION)]
    if draw(st.booleans()):
        day = draw(st.integers(day, DAYS - 1))
        new = (
            draw(_terms(regions))
            if draw(st.booleans())
            else Terms(**{**terms.__dict__, "total": terms.total + 1})
        )
        on = FIRST_DAY + timedelta(days=day)
        entries += [
            Entry(on, -1, terms, RegistrationEntryKind.CHANGE),
            Entry(on, 1, new, RegistrationEntryKind.CHANGE),
        ]
        terms = new
    if draw(st.booleans()):
        day = draw(st.integers(day, DAYS - 1))
        entries.append(Entry(FIRST_DAY + timedelta(days=day), -1, terms, RegistrationEntryKind.CANCELLATION))
    return entries


def _row(contract_id: int, entry: Entry, sequence: int) -> RegistrationEntry:
    terms = entry.terms
    income = max(terms.total - terms.deducted, 0)
    return RegistrationEntry(
        contract_id=contract_id,
        kind=entry.kind,
        sequence=sequence,
        entered_on=entry.on,
        entered_year=entry.on.year,
        entered_month=entry.on.month,
        count_delta=entry.sign,
        total_fen_delta=entry.sign * terms.total,
        technical_income_fen_delta=entry.sign * income,
        iur_delta=entry.sign * terms.iur,
        counted_type=terms.counted_type,
        tech_field=terms.tech_field,
        seller_region_id=terms.seller_region,
        buyer_region_id=terms.buyer_region,
        seller_kind=terms.seller_kind,
        buyer_kind=terms.buyer_kind,
        ip_type=terms.ip_type,
        plan_category=terms.plan_category,
        seller_name="卖方",
        buyer_name="买方",
        registration_number="2026320706000001",
    )


@dataclass(frozen=True)
class World:
    parent: dict[int, int | None]
    city: int
    mapping: dict[str, list[str]]

    def path(self, region: int) -> list[int]:
        found = [region]
        while (parent := self.parent[found[-1]]) is not None:
            found.append(parent)
        return found

    def group(self, region: int | None, scope: int) -> int | None:
        """The child of `scope` that holds `region` (or `scope` itself); None stays None."""
        if region is None:
            return None
        path = self.path(region)
        at = path.index(scope)
        return path[at - 1] if at > 0 else scope


def _period(day: date, bucket: str) -> str:
    if bucket == "month":
        return f"{day.year}-{day.month:02d}"
    if bucket == "quarter":
        return f"{day.year}-Q{(day.month + 2) // 3}"
    return str(day.year)


def _keys(world: World, entry: Entry, dimension: str, side: str, bucket: str, scope: int) -> list[Any]:
    """The values of `dimension` an entry counts under (several for a field mapped to several
    industries; None for one mapped to none)."""
    terms = entry.terms
    if dimension == "period":
        return [_period(entry.on, bucket)]
    if dimension == "region":
        return [world.group(terms.seller_region if side == "output" else terms.buyer_region, scope)]
    if dimension == "industry":
        return list(world.mapping[terms.tech_field.value]) or [None]
    value = {
        "contract_type": terms.counted_type,
        "tech_field": terms.tech_field,
        "seller_kind": terms.seller_kind,
        "buyer_kind": terms.buyer_kind,
        "ip_type": terms.ip_type,
        "plan_category": terms.plan_category,
    }[dimension]
    return [value.value]


def _figures(entry: Entry) -> tuple[int, int, int, int]:
    terms = entry.terms
    income = max(terms.total - terms.deducted, 0)
    return (entry.sign, entry.sign * terms.total, entry.sign * income, entry.sign * terms.iur)


def _expected(
    world: World,
    entries: list[Entry],
    by: list[str],
    side: str,
    bucket: str,
    start: date,
    end: date,
    region: int | None,
) -> tuple[dict[tuple[Any, ...], tuple[int, ...]], tuple[int, ...]]:
    scope = region if region is not None else world.city
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    totals = [0, 0, 0, 0]
    for entry in entries:
        if not start <= entry.on <= end:
            continue
        located = entry.terms.seller_region if side == "output" else entry.terms.buyer_region
        # The city (the network's root) is the whole network: buyers outside it are counted, as 市外.
        if scope != world.city and (located is None or scope not in world.path(located)):
            continue
        figures = _figures(entry)
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        combinations: list[tuple[Any, ...]] = [()]
        for dimension in by:
            values = _keys(world, entry, dimension, side, bucket, scope)
            combinations = [(*done, value) for done in combinations for value in values]
        for key in combinations:
            sums[key] = [a + b for a, b in zip(sums[key], figures, strict=True)]
    return {key: tuple(f) for key, f in sums.items() if any(f)}, tuple(totals)


async def _world(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> World:
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    async with db() as session:
        zone = Region(name="海州测试园区", level=RegionLevel.ZONE, parent_id=haizhou, is_active=True)
        session.add(zone)
        await session.flush()
        session.add(Region(name="园区测试片区", level=RegionLevel.ZONE, parent_id=zone.id, is_active=True))
        await session.commit()
        parent = {row.id: row.parent_id for row in await session.execute(select(Region.id, Region.parent_id))}
    mappings = await client.get("/api/v1/industry-mappings")
    assert mappings.status_code == 200, mappings.text
    mapping = {item["tech_field"]: item["local_industries"] for item in mappings.json()["items"]}
    city = await factories.region_id(client, factories.CITY_CODE)
    return World(parent, city, mapping)


def _on_loop(loop: asyncio.AbstractEventLoop, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on the test's event loop from Hypothesis's thread."""
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result()


Cut = tuple[list[str], str, str]  # by, side, bucket
_CUTS = st.tuples(
    st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
    st.sampled_from(["output", "absorption"]),
    st.sampled_from(["month", "quarter", "year"]),
)


async def test_the_tally_is_the_ledger_summed(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    world = await _world(client, db)
    # The entries hang on one filed contract (their foreign key); their figures are their own.
    contract_id = (await contracts.filed(client, await contracts.parties(client, db)))["id"]
    regions = sorted(world.parent)
    loop = asyncio.get_running_loop()

    async def tallied(entries: list[Entry], cut: Cut, start: date, end: date, region: int | None) -> None:
        by, side, bucket = cut
        params: dict[str, Any] = {"by": ",".join(by), "side": side, "period": bucket}
        params |= {"from": start.isoformat(), "to": end.isoformat()}
        if region is not None:
            params["region_id"] = region
        response = await client.get(f"{URL}/tally", params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        rows = {tuple(r["keys"][d]["value"] for d in by): support.figures(r) for r in body["rows"]}
        expected, totals = _expected(world, entries, by, side, bucket, start, end, region)
        assert rows == expected
        assert support.figures(body["totals"]) == totals
        if "industry" not in by:
            assert support.summed(body) == totals
        assert body["region_id"] == (region if region is not None else world.city)

    async def example(
        entries: list[Entry], cuts: list[Cut], dates: tuple[int, int], region: int | None
    ) -> None:
        async with db() as session:
            session.add_all(_row(contract_id, entry, n) for n, entry in enumerate(entries, start=1))
            await session.commit()
        try:
            start, end = sorted(FIRST_DAY + timedelta(days=day) for day in dates)
            for cut in cuts:
                await tallied(entries, cut, start, end, region)
        finally:
            async with db() as session:
                await session.execute(
                    delete(RegistrationEntry).where(RegistrationEntry.contract_id == contract_id)
                )
                await session.commit()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        ledgers=st.lists(_histories(regions), min_size=1, max_size=25),
        # Three tallies of each ledger: one insert, several questions.
        cuts=st.lists(_CUTS, min_size=3, max_size=3),
        # Both years half the time; else any range, a single day included.
        dates=st.one_of(
            st.just((0, DAYS - 1)), st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1))
        ),
        region=st.one_of(st.none(), st.sampled_from(regions)),
    )
    def check(
        ledgers: list[list[Entry]], cuts: list[Cut], dates: tuple[int, int], region: int | None
    ) -> None:
        entries = [entry for history in ledgers for entry in history]
        _on_loop(loop, example(entries, cuts, dates, region))

    await asyncio.to_thread(check)
