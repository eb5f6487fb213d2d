"""The demo packages: loaded with the demo network, once however often it is loaded, and readable and
curatable over HTTP like any other package."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.demo import DEFAULT_SEED
from app.demo.loader import DemoSummary, load_demo_data
from app.demo.network import DEMO_PASSWORD
from app.demo.packages import PACKAGES
from app.models import AchievementPackage, PackageMember, PackageVersion
from tests import factories
from tests.packages.support import URL

COUNTED = (AchievementPackage, PackageVersion, PackageMember)


async def _load(db: async_sessionmaker[AsyncSession], seed: int = DEFAULT_SEED) -> DemoSummary:
    async with db() as session:
        summary = await load_demo_data(session, seed)
        await session.commit()
        return summary


async def _counts(db: async_sessionmaker[AsyncSession]) -> list[int]:
    async with db() as session:
        return [int(await session.scalar(select(func.count()).select_from(model)) or 0) for model in COUNTED]


async def _members(db: async_sessionmaker[AsyncSession]) -> list[tuple[int, int, int]]:
    async with db() as session:
        rows = await session.execute(
            select(PackageMember.version_id, PackageMember.position, PackageMember.achievement_id).order_by(
                PackageMember.version_id, PackageMember.position
            )
        )
        return [(version_id, position, achievement_id) for version_id, position, achievement_id in rows]


async def test_demo_packages_load_once(db: async_sessionmaker[AsyncSession]) -> None:
    first = await _load(db)
    counts, members = await _counts(db), await _members(db)
    second = await _load(db)
    third = await _load(db, seed=7)

    assert first.packages == len(PACKAGES) == 4
    assert counts[0] == 4
    assert counts[1] == 5  # one package has two versions
    assert counts[2] >= 4 * 5
    assert (second.packages, third.packages) == (0, 0)
    assert not second.created_anything
    assert await _counts(db) == counts
    assert await _members(db) == members


async def test_demo_packages_read_and_curated(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await _load(db)
    listed = (await client.get(URL, params={"limit": 100})).json()
    assert listed["total"] == 4
    assert {item["industry"] for item in listed["items"]} == {
        "new_medicine",
        "new_materials",
        "intelligent_equipment",
        "new_energy",
    }
    assert all(item["draft_version"] is None for item in listed["items"])
    twice = next(item for item in listed["items"] if item["published_version"] == 2)
    package = (await client.get(f"{URL}/{twice['id']}")).json()
    assert [version["number"] for version in package["versions"]] == [2, 1]
    assert package["versions"][0]["based_on"] == 1
    members = package["latest"]["members"]
    assert all(member["is_available"] and member["note"] for member in members)
    assert all("****" in (member["achievement"]["contact_phone"] or "****") for member in members)

    haizhou = _bearer(await factories.sign_in(client, "haizhou-admin@example.com", DEMO_PASSWORD))
    mine = (await client.get(URL, params={"scope": "mine"}, headers=haizhou)).json()
    assert [item["theme"] for item in mine["items"]] == ["海州区智能制造与高端装备"]
    city = _bearer(await factories.sign_in(client, "city-admin@example.com", DEMO_PASSWORD))
    assert (await client.get(URL, params={"scope": "mine"}, headers=city)).json()["total"] == 4
    draft = await client.post(f"{URL}/{twice['id']}/versions", headers=city)
    assert draft.status_code == 201, draft.text
    assert draft.json()["number"] == 3
    refused = await client.post(f"{URL}/{twice['id']}/versions", headers=haizhou)
    assert refused.status_code == 403


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}
