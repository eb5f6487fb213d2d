"""Every 201 carries `Location`, the new resource's URL, which answers a GET with that resource
(issue 13, item 10). Before, only the 202 of a large import did; a role grant and an API key had no
URL of their own to point to, and an import done in its request left no resource behind."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from app.main import create_app
from tests import factories
from tests.achievements import support as achievements
from tests.conftest import BASE_URL, make_settings
from tests.contracts import support as contracts
from tests.demands import support as demands
from tests.factories import Account
from tests.imports import support as imports
from tests.listings.test_revisions import propose
from tests.packages import support as packages


def _created_operations(app: FastAPI) -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation["responses"]["201"]
        for item in app.openapi()["paths"].values()
        for operation in item.values()
        if "201" in operation["responses"]
    }


def test_every_201_declares_its_location(app: FastAPI) -> None:
    for operation_id, created in _created_operations(app).items():
        assert created["headers"]["Location"]["required"] is True, operation_id


class Creations:
    """The 201s of a scenario, by operation id, with who may read what they created."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.seen: dict[str, tuple[Response, Account | None]] = {}

    def note(self, operation_id: str, response: Response, reader: Account | None) -> dict[str, Any]:
        assert response.status_code == 201, (operation_id, response.text)
        self.seen[operation_id] = (response, reader)
        return dict(response.json())

    async def check(self) -> None:
        for operation_id, (response, reader) in self.seen.items():
            location = response.headers.get("Location", "")
            assert location.startswith("/api/v1/"), operation_id
            read = await self.client.get(location, headers=reader.headers if reader else None)
            assert read.status_code == 200, (operation_id, location, read.text)
            made, shown = response.json(), read.json()
            key = "number" if operation_id == "create_package_version" else "id"
            assert shown[key] == made[key], (operation_id, location)


async def test_every_create_answers_with_the_location_of_what_it_made(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    made = Creations(client)
    root = await factories.admin(client, db)

    email = factories.unique_email("newcomer")
    newcomer = made.note(
        "sign_up",
        await client.post(
            "/api/v1/users", json={"email": email, "password": factories.PASSWORD, "display_name": "新人"}
        ),
        root,
    )
    owner = await factories.account(client, "owner")
    organization = made.note(
        "register_organization",
        await client.post(
            "/api/v1/organizations",
            json={
                "name": "连云港定位测试有限公司",
                "kind": "enterprise",
                "legal_person_type": "100",
                "credit_code": factories.credit_code(),
                "region_id": await factories.region_id(client, factories.HAIZHOU_CODE),
            },
            headers=owner.headers,
        ),
        None,
    )
    city = await factories.region_id(client, factories.CITY_CODE)
    made.note(
        "create_region",
        await client.post(
            "/api/v1/regions",
            json={"name": "定位测试园区", "level": "district", "parent_id": city},
            headers=root.headers,
        ),
        None,
    )
    made.note(
        "grant_role",
        await client.post(
            f"/api/v1/users/{newcomer['id']}/roles",
            json={"role": "broker", "broker_licence_no": "JS-2026-0042"},
            headers=root.headers,
        ),
        root,
    )
    invitee = await factories.account(client, "invitee")
    made.note(
        "invite_member",
        await client.post(
            f"/api/v1/organizations/{organization['id']}/invitations",
            json={"email": invitee.email},
            headers=owner.headers,
        ),
        invitee,
    )
    asker = await factories.account(client, "asker")
    made.note(
        "request_membership",
        await client.post(
            f"/api/v1/organizations/{organization['id']}/membership-requests", headers=asker.headers
        ),
        asker,
    )
    made.note(
        "create_api_key",
        await client.post(
            f"/api/v1/organizations/{organization['id']}/api-keys",
            json={"name": "对接系统"},
            headers=owner.headers,
        ),
        owner,
    )

    await _listings(client, root, owner, organization, made)
    await _packages(client, db, made)
    made.note(
        "create_import",
        await imports.upload(
            client,
            owner,
            "demands",
            organization["id"],
            imports.csv_bytes(imports.table([imports.DEMAND_ROW])),
            filename="demands.csv",
            content_type="text/csv",
        ),
        owner,
    )

    contract_parties = await contracts.parties(client, db)
    made.note(
        "create_contract",
        await client.post(
            contracts.URL,
            json={
                "organization_id": contract_parties.seller["id"],
                **contracts.terms(contract_parties.buyer["id"]),
            },
            headers=contract_parties.seller_owner.headers,
        ),
        contract_parties.seller_owner,
    )

    await made.check()
    assert set(made.seen) == set(_created_operations(app))  # a new create route needs its case here


async def _listings(
    client: AsyncClient, root: Account, owner: Account, organization: dict[str, Any], made: Creations
) -> None:
    secret = {"confidentiality": "nda", "confidential_detail": "工艺参数见附件。"}
    demand_body = demands.demand_body(organization["id"], **secret)
    made.note("create_demand", await client.post(demands.URL, json=demand_body, headers=owner.headers), owner)
    university_owner, university = await achievements.owner_of(client)
    achievement_body = achievements.achievement_body(university["id"])
    made.note(
        "create_achievement",
        await client.post(achievements.URL, json=achievement_body, headers=university_owner.headers),
        university_owner,
    )
    demand = await demands.published(client, root, owner, organization["id"], **secret)
    achievement = await achievements.published(client, root, university_owner, university["id"])
    changed: dict[str, object] = {"title": "修改后的需求标题"}
    made.note(
        "propose_demand_revision", await propose(client, owner, demand["id"], changed, demands.URL), owner
    )
    made.note(
        "propose_achievement_revision",
        await propose(client, university_owner, achievement["id"], {"title": "修改后的成果标题"}),
        university_owner,
    )
    ask = {"purpose": "评估合作可能", "accept_nda": True}
    made.note(
        "request_demand_access",
        await client.post(
            f"{demands.URL}/{demand['id']}/access-requests",
            json={"organization_id": university["id"], **ask},
            headers=university_owner.headers,
        ),
        university_owner,
    )
    made.note(
        "request_achievement_access",
        await client.post(
            f"{achievements.URL}/{achievement['id']}/access-requests",
            json={"organization_id": organization["id"], **ask},
            headers=owner.headers,
        ),
        owner,
    )


async def _packages(client: AsyncClient, db: async_sessionmaker[AsyncSession], made: Creations) -> None:
    curator = await packages.curator(client, db, PlatformRole.CITY_ADMIN)
    [member] = await packages.published_achievements(client, db, 1)
    package = made.note("create_package", await packages.create(client, curator), curator)
    assert (await packages.add(client, curator, package["id"], 1, member["id"])).status_code == 200
    assert (await packages.publish(client, curator, package["id"], 1)).status_code == 200
    made.note(
        "create_package_version",
        await client.post(f"{packages.URL}/{package['id']}/versions", headers=curator.headers),
        curator,
    )


async def test_an_import_done_in_its_request_is_a_resource_like_a_queued_one(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    content = imports.csv_bytes(imports.table([imports.DEMAND_ROW]))
    response = await imports.upload(
        client, owner, "demands", organization["id"], content, filename="d.csv", content_type="text/csv"
    )
    assert response.status_code == 201, response.text
    job = (await client.get(response.headers["Location"], headers=owner.headers)).json()
    assert (job["status"], job["created_count"], job["file_name"]) == ("succeeded", 1, "d.csv")
    assert job == response.json()
    stranger = await factories.account(client, "stranger")
    assert (await client.get(response.headers["Location"], headers=stranger.headers)).status_code == 404
    dry = await imports.upload(
        client,
        owner,
        "demands",
        organization["id"],
        content,
        filename="d.csv",
        content_type="text/csv",
        dry_run=True,
    )
    assert dry.status_code == 200
    assert "Location" not in dry.headers


async def test_a_browser_front_end_may_read_location(database_url: str) -> None:
    """A cross-origin script reads only the headers CORS exposes: Location is one of them."""
    application = create_app(make_settings(database_url, cors_origins=["https://app.example.cn"]))
    try:
        async with AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as http:
            response = await http.get("/api/v1/regions", headers={"Origin": "https://app.example.cn"})
        exposed = {
            name.strip().lower() for name in response.headers["access-control-expose-headers"].split(",")
        }
        assert {"location", "etag"} <= exposed
    finally:
        await application.state.engine.dispose()
