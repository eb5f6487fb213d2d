"""Only a transfer agency covering the region, or an administrator of it, sets the verified flag."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.core.problem_shape import assert_problem

ORGS = "/api/v1/organizations"


async def _verify(
    client: AsyncClient, org: dict[str, object], by: factories.Account, value: bool = True
) -> dict[str, object]:
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": value}, headers=by.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _is_verified(client: AsyncClient, org: dict[str, object]) -> bool:
    return bool((await client.get(f"{ORGS}/{org['id']}")).json()["is_verified"])


async def _enterprise(client: AsyncClient, region_code: str = factories.HAIZHOU_CODE) -> dict[str, object]:
    owner = await factories.account(client, "enterprise")
    return await factories.organization(client, owner, region_code=region_code)


async def _verified_agency(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], region_code: str = factories.CITY_CODE
) -> tuple[factories.Account, dict[str, object]]:
    agency_owner = await factories.account(client, "agency")
    agency = await factories.organization(
        client, agency_owner, kind="transfer_agency", region_code=region_code
    )
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    await _verify(client, agency, city_admin)
    return agency_owner, agency


async def test_city_admin_verifies_and_an_audit_event_records_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    org = await _enterprise(client)
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    before_etag = (await client.get(f"{ORGS}/{org['id']}")).headers["etag"]
    body = await _verify(client, org, city_admin)
    assert body["is_verified"] is True
    assert body["verified_at"] is not None
    assert await _is_verified(client, org)
    assert (await client.get(f"{ORGS}/{org['id']}")).headers["etag"] != before_etag  # a new version

    events = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "organization", "entity_id": str(org["id"]), "action": "organization.verify"},
        headers=city_admin.headers,
    )
    assert events.status_code == 200, events.text
    [event] = events.json()["items"]
    assert event["actor_user_id"] == city_admin.id
    assert event["before"]["is_verified"] is False
    assert event["after"]["is_verified"] is True


async def test_city_admin_can_unverify(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    org = await _enterprise(client)
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    await _verify(client, org, city_admin)
    body = await _verify(client, org, city_admin, value=False)
    assert body["is_verified"] is False
    assert body["verified_at"] is None
    assert not await _is_verified(client, org)


async def test_district_admin_of_the_region_may_verify(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    org = await _enterprise(client, factories.HAIZHOU_CODE)
    haizhou_admin = await factories.role_holder(
        client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE
    )
    assert (await _verify(client, org, haizhou_admin))["is_verified"] is True


async def test_district_admin_of_another_district_may_not(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    org = await _enterprise(client, factories.HAIZHOU_CODE)
    ganyu_admin = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.GANYU_CODE)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": True}, headers=ganyu_admin.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert not await _is_verified(client, org)


async def test_a_verified_city_agency_verifies_an_organization_in_a_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, _ = await _verified_agency(client, db, factories.CITY_CODE)
    org = await _enterprise(client, factories.HAIZHOU_CODE)
    assert (await _verify(client, org, agency_owner))["is_verified"] is True
    assert await _is_verified(client, org)


async def test_a_plain_member_of_a_verified_agency_may_verify_too(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, agency = await _verified_agency(client, db, factories.CITY_CODE)
    staff, _ = await factories.member(client, agency_owner, agency["id"])
    org = await _enterprise(client, factories.GANYU_CODE)
    assert (await _verify(client, org, staff))["is_verified"] is True


async def test_an_unverified_agency_may_not_verify(client: AsyncClient) -> None:
    agency_owner = await factories.account(client, "agency")
    await factories.organization(
        client, agency_owner, kind="transfer_agency", region_code=factories.CITY_CODE
    )
    org = await _enterprise(client)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": True}, headers=agency_owner.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert not await _is_verified(client, org)


async def test_a_district_agency_may_not_verify_in_another_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, _ = await _verified_agency(client, db, factories.GANYU_CODE)
    org = await _enterprise(client, factories.HAIZHOU_CODE)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": True}, headers=agency_owner.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert not await _is_verified(client, org)


async def test_an_enterprise_that_is_not_an_agency_may_not_verify(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    verified_owner = await factories.account(client)
    verified = await factories.organization(client, verified_owner, region_code=factories.CITY_CODE)
    await _verify(client, verified, await factories.role_holder(client, db, PlatformRole.CITY_ADMIN))
    org = await _enterprise(client)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": True}, headers=verified_owner.headers
    )
    assert_problem(response, 403, "not_verifier")


async def test_an_agency_cannot_verify_or_unverify_itself(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, agency = await _verified_agency(client, db, factories.CITY_CODE)
    for value in (False, True):
        response = await client.put(
            f"{ORGS}/{agency['id']}/verification", json={"is_verified": value}, headers=agency_owner.headers
        )
        assert_problem(response, 403, "not_verifier")
    assert await _is_verified(client, agency)


async def test_an_unverified_agency_cannot_verify_itself(client: AsyncClient) -> None:
    agency_owner = await factories.account(client, "agency")
    agency = await factories.organization(client, agency_owner, kind="transfer_agency")
    response = await client.put(
        f"{ORGS}/{agency['id']}/verification", json={"is_verified": True}, headers=agency_owner.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert not await _is_verified(client, agency)


async def test_the_owner_cannot_verify_its_own_organization(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": True}, headers=owner.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert not await _is_verified(client, org)


async def test_a_broker_or_anonymous_caller_cannot_verify(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    org = await _enterprise(client)
    broker = await factories.role_holder(client, db, PlatformRole.BROKER)
    path = f"{ORGS}/{org['id']}/verification"
    assert_problem(await client.put(path, json={"is_verified": True}, headers=broker.headers), 403)
    assert_problem(await client.put(path, json={"is_verified": True}), 401)
    assert not await _is_verified(client, org)


async def test_is_verified_cannot_be_set_through_patch(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{ORGS}/{org['id']}"
    etag = (await client.get(path)).headers["etag"]
    response = await client.patch(
        path, json={"is_verified": True}, headers={**owner.headers, "If-Match": etag}
    )
    assert_problem(response, 422, "validation_failed")
    assert not await _is_verified(client, org)


async def test_a_revoked_admin_role_stops_verifying_on_the_next_request(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    org = await _enterprise(client)
    system_admin = await factories.admin(client, db)
    city_admin = await factories.account(client, "city")
    granted = await client.post(
        f"/api/v1/users/{city_admin.id}/roles", json={"role": "city_admin"}, headers=system_admin.headers
    )
    assert granted.status_code == 201, granted.text
    await _verify(client, org, city_admin)
    revoked = await client.delete(
        f"/api/v1/users/{city_admin.id}/roles/{granted.json()['id']}", headers=system_admin.headers
    )
    assert revoked.status_code == 204, revoked.text
    response = await client.put(
        f"{ORGS}/{org['id']}/verification", json={"is_verified": False}, headers=city_admin.headers
    )
    assert_problem(response, 403, "not_verifier")
    assert await _is_verified(client, org)
