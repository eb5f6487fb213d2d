"""The demo network, loaded once into this module's own database and used over HTTP; each test runs in
a transaction rolled back afterwards, on top of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.contracts.service import entry_values
from app.core.clock import today
from app.core.enums import (
    ContractStatus,
    ListingStatus,
    LocalIndustry,
    OrganizationKind,
    PlatformRole,
    RegistrationEntryKind,
    TargetMetric,
)
from app.core.identifiers import is_valid_credit_code, normalize_mobile, normalize_patent_number
from app.demo import DEFAULT_SEED
from app.demo.loader import DemoSummary, has_demo_data, load_demo_data
from app.demo.network import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD, ORGANIZATIONS
from app.listings import search_index
from app.models import (
    Achievement,
    Contract,
    Demand,
    Organization,
    Patent,
    RegistrationCounter,
    RegistrationEntry,
    RoleGrant,
    StatisticsTarget,
)
from tests import factories
from tests.conftest import app_on, run_until_idle


@pytest.fixture(scope="module")
async def app(module_database: str) -> AsyncIterator[FastAPI]:
    async with app_on(module_database) as application:
        yield application


@pytest.fixture(scope="module")
async def demo(app: FastAPI) -> DemoSummary:
    """The network, committed to the module's database before any test's transaction begins."""
    async with app.state.sessionmaker() as session:
        summary = await load_demo_data(session, DEFAULT_SEED, settings=app.state.settings)
        await session.commit()
    # What the worker does after the README's command: build the matching index from the database
    # (the in-memory index of tests is not built by itself), then follow the events.
    async with app.state.sessionmaker() as session:
        await search_index.rebuild(session, search_index.index_for(app.state.settings))
    await run_until_idle(app)
    return summary


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_every_role_is_there(db: async_sessionmaker[AsyncSession], demo: DemoSummary) -> None:
    async with db() as session:
        assert await has_demo_data(session)
        roles = set(await session.scalars(select(RoleGrant.role).where(RoleGrant.revoked_at.is_(None))))
        kinds = set(await session.scalars(select(Organization.kind)))
        agencies = (
            await session.scalars(select(Organization).where(Organization.kind == "transfer_agency"))
        ).all()
        brokers = (
            await session.scalars(select(RoleGrant).where(RoleGrant.role == PlatformRole.BROKER))
        ).all()
    assert roles >= set(PlatformRole)
    assert kinds >= {
        OrganizationKind.ENTERPRISE,
        OrganizationKind.UNIVERSITY,
        OrganizationKind.RESEARCH_INSTITUTE,
        OrganizationKind.TRANSFER_AGENCY,
        OrganizationKind.BROKER_FIRM,
    }
    assert len(agencies) >= 3
    assert all(agency.is_verified for agency in agencies)
    assert len(brokers) >= 2
    assert all(broker.broker_licence_no for broker in brokers)


async def test_identifiers_pass_their_checks(db: async_sessionmaker[AsyncSession], demo: DemoSummary) -> None:
    async with db() as session:
        codes = list(await session.scalars(select(Organization.credit_code)))
        numbers = list(await session.scalars(select(Patent.application_number)))
        phones = list(await session.scalars(select(Demand.contact_phone)))
        phones += list(await session.scalars(select(Achievement.contact_phone)))
    assert len(codes) >= len(ORGANIZATIONS)
    assert all(is_valid_credit_code(code) for code in codes), codes
    assert len(numbers) == demo.patents
    assert all(normalize_patent_number(number) == number for number in numbers)
    assert all(phone is not None and normalize_mobile(phone) == phone for phone in phones)


async def test_a_mix_of_statuses_and_expired_demands(
    db: async_sessionmaker[AsyncSession], demo: DemoSummary
) -> None:
    async with db() as session:
        achievements = dict((await session.execute(_by_status(Achievement))).all())
        demands = dict((await session.execute(_by_status(Demand))).all())
        expired = await session.scalar(
            select(func.count())
            .select_from(Demand)
            .where(Demand.status == ListingStatus.PUBLISHED, Demand.valid_until < func.current_date())
        )
        negotiable = await session.scalar(select(func.count()).where(Demand.is_budget_negotiable.is_(True)))
    assert achievements[ListingStatus.PUBLISHED] > 200
    assert {ListingStatus.SUBMITTED, ListingStatus.DRAFT, ListingStatus.RETURNED} <= set(achievements)
    assert demands[ListingStatus.PUBLISHED] > 50
    assert demands[ListingStatus.SUBMITTED] > 0
    assert expired
    assert negotiable
    assert 0 < negotiable < 100


def _by_status(model: type[Achievement] | type[Demand]) -> Any:
    return select(model.status, func.count()).group_by(model.status)


async def test_demo_accounts_sign_in(client: AsyncClient, demo: DemoSummary) -> None:
    admin = await factories.sign_in(client, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    me = (await client.get("/api/v1/users/me", headers=_bearer(admin))).json()
    assert "system_admin" in {grant["role"] for grant in me["roles"]}

    enterprise = await factories.sign_in(client, "enterprise@example.com", DEMO_PASSWORD)
    me = (await client.get("/api/v1/users/me", headers=_bearer(enterprise))).json()
    assert [membership["role"] for membership in me["memberships"]] == ["owner"]


async def test_chinese_search_finds_demo_listings(client: AsyncClient, demo: DemoSummary) -> None:
    demands = (await client.get("/api/v1/demands", params={"q": "锂电池", "limit": 100})).json()
    titles = [item["title"] for item in demands["items"]]
    assert any("锂离子电池" in title and "负极材料" in title for title in titles), titles
    assert all(item["contact_phone"] is None or "****" in item["contact_phone"] for item in demands["items"])

    response = await client.get("/api/v1/achievements", params={"q": "复合材料"})
    assert response.status_code == 200, response.text
    achievements = response.json()
    assert achievements["total"] > 0
    assert all(item["status"] == "published" for item in achievements["items"])
    assert any(
        "复合材料" in item["title"] or "复合材料" in item["keywords"] for item in achievements["items"]
    )


async def test_the_demo_search_finds_traditional_characters_a_character_and_a_number(
    client: AsyncClient, demo: DemoSummary
) -> None:
    """Issue 14's demo check: 鋰電池 (traditional), 氢 (one character of 氢能, 氢气) and a listing's
    number, each through the public list, with a marked snippet."""

    async def found(path: str, q: str) -> list[dict[str, Any]]:
        response = await client.get(path, params={"q": q, "limit": 100})
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    batteries = await found("/api/v1/demands", "鋰電池")
    assert "锂" in batteries[0]["title"], "the lithium battery demand comes first"
    assert "<mark>" in batteries[0]["snippet"]
    hydrogen = await found("/api/v1/demands", "氢") + await found("/api/v1/achievements", "氢")
    assert hydrogen
    assert all(
        "氢" in item["title"] + " ".join(item["keywords"]) + (item["snippet"] or "") for item in hydrogen
    )
    listing = (await client.get("/api/v1/achievements", params={"limit": 1})).json()["items"][0]
    assert [item["id"] for item in await found("/api/v1/achievements", listing["number"])] == [listing["id"]]


async def test_marine_listings_are_found_under_marine(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], demo: DemoSummary
) -> None:
    """海参, 对虾, 紫菜 and desalination are 海洋's (issue 13, item 12): the marine enterprises'
    demands, and nothing but them, are listed under it, and so are marine achievements."""

    async def listed(path: str, **params: str | int) -> list[dict[str, Any]]:
        query = {"limit": 100, "include_expired": "true", **params}
        response = await client.get(path, params=query)
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    marine = [spec.credit_code for spec in ORGANIZATIONS if spec.industry == LocalIndustry.MARINE]
    async with db() as session:
        marine_ids = set(
            await session.scalars(select(Organization.id).where(Organization.credit_code.in_(marine)))
        )
    assert len(marine_ids) == len(marine) == 2
    demands = await listed("/api/v1/demands", local_industry="marine")
    own = [
        item
        for organization_id in marine_ids
        for item in await listed("/api/v1/demands", organization_id=organization_id)
    ]
    assert sorted(item["id"] for item in demands) == sorted(item["id"] for item in own)
    titles = [item["title"] for item in demands]
    assert any("紫菜" in title for title in titles), titles  # both enterprises' flagships are published
    assert any("海产品" in title for title in titles), titles
    assert all(item["local_industries"] == ["marine"] for item in demands)
    for word in ("海参", "对虾", "紫菜", "海水淡化"):
        for item in await listed("/api/v1/demands", q=word):
            if word in item["title"]:
                assert item["local_industries"] == ["marine"], item["title"]

    achievements = await listed("/api/v1/achievements", local_industry="marine")
    assert any(item["tech_field"] == "agriculture" for item in achievements)  # mapped: 农业 -> 海洋 too
    assert all("marine" in item["local_industries"] for item in achievements)


async def test_the_newcomer_path(app: FastAPI, client: AsyncClient, demo: DemoSummary) -> None:
    """README: post a demand as the enterprise user, publish it as the agency reviewer, read it masked."""
    owner = _bearer(await factories.sign_in(client, "enterprise@example.com", DEMO_PASSWORD))
    organization_id = (await client.get("/api/v1/users/me", headers=owner)).json()["memberships"][0][
        "organization_id"
    ]
    body = {
        "organization_id": organization_id,
        "title": "钠离子电池正极材料中试放大",
        "description": "我公司需要层状氧化物钠离子电池正极材料的中试放大工艺，目标比容量140mAh/g以上。",
        "tech_field": "new_energy",
        "demand_type": "key_technology",
        "cooperation_modes": ["joint_development"],
        "is_budget_negotiable": True,
        "contact_name": "孙浩",
        "contact_phone": "13905180107",
    }
    created = await client.post("/api/v1/demands", json=body, headers=owner)
    assert created.status_code == 201, created.text
    demand_id = created.json()["id"]
    assert (await client.post(f"/api/v1/demands/{demand_id}/submit", headers=owner)).status_code == 200

    reviewer = _bearer(await factories.sign_in(client, "reviewer@example.com", DEMO_PASSWORD))
    queue = (
        await client.get("/api/v1/demands", params={"scope": "review", "limit": 100}, headers=reviewer)
    ).json()
    assert demand_id in [item["id"] for item in queue["items"]]
    published = await client.post(f"/api/v1/demands/{demand_id}/publish", headers=reviewer)
    assert published.status_code == 200, published.text

    public = (await client.get(f"/api/v1/demands/{demand_id}")).json()
    assert public["status"] == "published"
    assert public["contact_phone"] == "139****0107"
    await run_until_idle(app)  # the worker indexes the new demand (within seconds, when it runs)
    found = (await client.get("/api/v1/demands", params={"q": "钠离子电池"})).json()
    assert demand_id in [item["id"] for item in found["items"]]


async def test_three_years_of_registered_contracts(
    db: async_sessionmaker[AsyncSession], demo: DemoSummary
) -> None:
    """Issue 15, item 8: a few hundred registrations over the current year and the two before, growing,
    each with the ledger entry the service writes, numbered gap-free from the points' counters."""
    this_year = today().year
    async with db() as session:
        contracts = list(await session.scalars(select(Contract)))
        entries = {entry.contract_id: entry for entry in await session.scalars(select(RegistrationEntry))}
        counters = {
            (row.point_region_id, row.year): row.last_serial
            for row in await session.scalars(select(RegistrationCounter))
        }
        targets = set((await session.execute(select(StatisticsTarget.metric, StatisticsTarget.year))).all())
    registered = [contract for contract in contracts if contract.status == ContractStatus.REGISTERED]
    assert demo.contracts == len(contracts)
    assert demo.registrations == len(registered) == len(entries)
    assert 300 <= len(registered) <= 700
    assert {c.registered_on.year for c in registered if c.registered_on} == {
        this_year - 2,
        this_year - 1,
        this_year,
    }
    assert all(c.registered_on and c.registered_on <= today() for c in registered)
    totals = {
        year: sum(e.total_fen_delta for e in entries.values() if e.entered_year == year)
        for year in range(this_year - 2, this_year)
    }
    assert totals[this_year - 2] < totals[this_year - 1], "the story grows"
    assert len({c.region_id for c in registered}) >= 8, "across the districts and zones"
    assert any(c.deductions_fen for c in registered)
    assert any(c.buyer_organization_id is None for c in registered)
    assert all(c.buyer_credit_code for c in registered)
    for contract in registered:
        assert contract.registered_on
        entry = entries[contract.id]
        expected = entry_values(
            contract, RegistrationEntryKind.REGISTRATION, sign=1, sequence=1,
            on=contract.registered_on, reason="", by=contract.decided_by_id,
        )  # fmt: skip
        assert {name: getattr(entry, name) for name in expected} == expected
    serials: dict[tuple[int, int], list[int]] = {}
    for contract in registered:
        assert contract.registration_number
        assert contract.registration_point_id
        assert contract.registered_on
        key = (contract.registration_point_id, contract.registered_on.year)
        serials.setdefault(key, []).append(int(contract.registration_number[-6:]))
    assert {key: sorted(found) for key, found in serials.items()} == {
        key: list(range(1, counters[key] + 1)) for key in serials
    }
    wanted = {
        (metric, year)
        for metric in (TargetMetric.TOTAL_FEN, TargetMetric.IUR_PROJECTS)
        for year in range(this_year - 2, this_year + 1)
    }
    assert wanted <= targets


async def test_registrars_find_contracts_awaiting_them(client: AsyncClient, demo: DemoSummary) -> None:
    """The district's demo registrar has a queue with an overdue contract; the city's sees more."""
    district = _bearer(await factories.sign_in(client, "haizhou-registrar@example.com", DEMO_PASSWORD))
    city = _bearer(await factories.sign_in(client, "registrar@example.com", DEMO_PASSWORD))

    async def queue(headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
        response = await client.get("/api/v1/contracts", params={"scope": "queue", **params}, headers=headers)
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    waiting = await queue(district)
    assert len(waiting) == 3
    assert {item["status"] for item in waiting} == {"submitted", "accepted"}
    overdue = await queue(district, overdue="true")
    assert len(overdue) == 1
    assert overdue[0]["overdue"]
    assert len(await queue(city)) == 4
    assert len(await queue(city, overdue="true")) == 2


async def test_a_registration_continues_the_demo_numbers(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], demo: DemoSummary
) -> None:
    """The Done-when story over HTTP: the university files and submits, 海州区's registrar accepts and
    registers, and the number is the point's next serial after the demo's."""
    seller = _bearer(await factories.sign_in(client, "university@example.com", DEMO_PASSWORD))
    registrar = _bearer(await factories.sign_in(client, "haizhou-registrar@example.com", DEMO_PASSWORD))
    me = (await client.get("/api/v1/users/me", headers=seller)).json()
    async with db() as session:
        buyer = await session.scalar(
            select(Organization.id).where(Organization.name == "连云港瀚海新能源科技有限公司")
        )
        last_serial = await session.scalar(
            select(RegistrationCounter.last_serial).where(
                RegistrationCounter.year == today().year,
                RegistrationCounter.point_region_id == Organization.region_id,
                Organization.name == "江苏海洋工程大学",
            )
        )
    body = {
        "organization_id": me["memberships"][0]["organization_id"],
        "project_name": "钠离子电池硬碳负极材料技术开发",
        "contract_type": "development",
        "subtype": "commissioned_development",
        "signed_on": today().isoformat(),
        "buyer": {"organization_id": buyer},
        "tech_field": "new_energy",
        "total_fen": 123_456_700,
    }
    created = await client.post("/api/v1/contracts", json=body, headers=seller)
    assert created.status_code == 201, created.text
    contract_id = created.json()["id"]
    for who, action in ((seller, "submit"), (registrar, "accept"), (registrar, "register")):
        response = await client.post(f"/api/v1/contracts/{contract_id}/{action}", headers=who)
        assert response.status_code == 200, response.text
    assert response.json()["registration_number"] == f"{today().year}320706{(last_serial or 0) + 1:06d}"
