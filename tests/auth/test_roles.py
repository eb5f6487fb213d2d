"""Granting and revoking platform roles over the API: who may, what each role needs, and the guards."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.auth.helpers import assert_problem

LICENCE = "JS-2026-0042"


def _roles_url(user_id: int) -> str:
    return f"/api/v1/users/{user_id}/roles"


async def _grant(client: AsyncClient, by: factories.Account, user_id: int, **body: Any) -> Response:
    return await client.post(_roles_url(user_id), json=body, headers=by.headers)


async def _roles(client: AsyncClient, reader: factories.Account, user_id: int) -> list[dict[str, Any]]:
    response = await client.get(_roles_url(user_id), headers=reader.headers)
    assert response.status_code == 200, response.text
    roles: list[dict[str, Any]] = response.json()["items"]
    return roles


async def _city_admin(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> factories.Account:
    city = await factories.account(client, "city")
    await factories.grant(db, city.id, PlatformRole.CITY_ADMIN)
    return city


async def test_system_admin_grants_broker_with_licence_only(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    body = assert_problem(await _grant(client, root, user.id, role="broker"), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["body", "broker_licence_no"]
    assert await _roles(client, root, user.id) == []

    response = await _grant(
        client, root, user.id, role="broker", broker_licence_no=LICENCE, broker_level="senior"
    )
    assert response.status_code == 201, response.text
    grant = response.json()
    assert grant["user_id"] == user.id
    assert grant["role"] == "broker"
    assert grant["broker_licence_no"] == LICENCE
    assert grant["broker_level"] == "senior"
    assert grant["granted_by_id"] == root.id
    assert grant["revoked_at"] is None
    me = (await client.get("/api/v1/users/me", headers=user.headers)).json()
    assert [r["role"] for r in me["roles"]] == ["broker"]


async def test_registrar_needs_a_region(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    body = assert_problem(await _grant(client, root, user.id, role="registrar"), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["body", "region_id"]
    assert await _roles(client, root, user.id) == []

    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    response = await _grant(client, root, user.id, role="registrar", region_id=haizhou)
    assert response.status_code == 201, response.text
    assert response.json()["region_id"] == haizhou


async def test_unknown_region_is_404(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    response = await _grant(client, root, user.id, role="registrar", region_id=999_999)
    assert_problem(response, 404, "not_found")
    assert await _roles(client, root, user.id) == []


async def test_unknown_user_is_404(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    assert_problem(await _grant(client, root, 999_999, role="city_admin"), 404, "not_found")


async def test_city_admin_cannot_grant_or_revoke_system_admin(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    city = await _city_admin(client, db)
    root = await factories.admin(client, db)
    user = await factories.account(client)
    assert_problem(await _grant(client, city, user.id, role="system_admin"), 403, "role_required")
    assert await _roles(client, city, user.id) == []

    root_grant = next(r for r in await _roles(client, city, root.id) if r["role"] == "system_admin")
    response = await client.delete(f"{_roles_url(root.id)}/{root_grant['id']}", headers=city.headers)
    assert_problem(response, 403, "role_required")
    assert [r["role"] for r in await _roles(client, city, root.id)] == ["system_admin"]

    # What a city administrator may do.
    response = await _grant(client, city, user.id, role="broker", broker_licence_no=LICENCE)
    assert response.status_code == 201, response.text


async def test_duplicate_grant_is_409(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    assert (await _grant(client, root, user.id, role="city_admin")).status_code == 201
    assert_problem(await _grant(client, root, user.id, role="city_admin"), 409, "role_already_granted")
    assert len(await _roles(client, root, user.id)) == 1


async def test_same_role_in_two_regions_is_allowed(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    for code in (factories.HAIZHOU_CODE, factories.GANYU_CODE):
        region = await factories.region_id(client, code)
        assert (await _grant(client, root, user.id, role="registrar", region_id=region)).status_code == 201
    assert len(await _roles(client, root, user.id)) == 2


async def test_revoke_then_revoke_again(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    grant = (await _grant(client, root, user.id, role="city_admin")).json()
    assert (await client.get("/api/v1/users", headers=user.headers)).status_code == 200

    url = f"{_roles_url(user.id)}/{grant['id']}"
    assert (await client.delete(url, headers=root.headers)).status_code == 204
    # Gone from its URL, as after any DELETE; the history keeps it.
    assert_problem(await client.delete(url, headers=root.headers), 404, "not_found")
    assert_problem(await client.get(url, headers=root.headers), 404, "not_found")

    assert await _roles(client, root, user.id) == []
    history = (
        await client.get(_roles_url(user.id), params={"include_revoked": True}, headers=root.headers)
    ).json()["items"]
    assert [r["revoked_at"] is not None for r in history] == [True]
    # Effective on the holder's very next request, with the token they already have.
    assert_problem(await client.get("/api/v1/users", headers=user.headers), 403, "role_required")
    # And it can be granted afresh.
    assert (await _grant(client, root, user.id, role="city_admin")).status_code == 201


async def test_grant_of_another_user_cannot_be_revoked_through_this_user(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    holder = await factories.account(client)
    bystander = await factories.account(client)
    grant = (await _grant(client, root, holder.id, role="city_admin")).json()
    response = await client.delete(f"{_roles_url(bystander.id)}/{grant['id']}", headers=root.headers)
    assert_problem(response, 404, "not_found")
    assert len(await _roles(client, root, holder.id)) == 1


async def test_last_system_admin_cannot_be_revoked(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    holders = await client.get("/api/v1/users", params={"role": "system_admin"}, headers=root.headers)
    assert [u["id"] for u in holders.json()["items"]] == [root.id]
    own = next(r for r in await _roles(client, root, root.id) if r["role"] == "system_admin")
    url = f"{_roles_url(root.id)}/{own['id']}"

    assert_problem(await client.delete(url, headers=root.headers), 409, "last_system_admin")
    assert [r["role"] for r in await _roles(client, root, root.id)] == ["system_admin"]

    # With a second system administrator, the first may step down.
    successor = await factories.account(client)
    assert (await _grant(client, root, successor.id, role="system_admin")).status_code == 201
    assert (await client.delete(url, headers=root.headers)).status_code == 204
    assert await _roles(client, successor, root.id) == []


async def test_plain_user_cannot_grant(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    plain = await factories.account(client)
    other = await factories.account(client)

    # Other users are invisible to a plain user: 404, as if they did not exist.
    assert_problem(await _grant(client, plain, other.id, role="city_admin"), 404, "not_found")
    # Granting oneself a role is visible but refused.
    assert_problem(await _grant(client, plain, plain.id, role="system_admin"), 403, "role_required")
    assert_problem(
        await _grant(client, plain, plain.id, role="broker", broker_licence_no=LICENCE), 403, "role_required"
    )
    assert await _roles(client, root, other.id) == []
    assert await _roles(client, root, plain.id) == []
    assert_problem(await client.get("/api/v1/users", headers=plain.headers), 403, "role_required")


async def test_plain_user_cannot_revoke(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    root = await factories.admin(client, db)
    plain = await factories.account(client)
    own = (await _grant(client, root, plain.id, role="broker", broker_licence_no=LICENCE)).json()
    root_grant = (await _roles(client, root, root.id))[0]

    response = await client.delete(f"{_roles_url(root.id)}/{root_grant['id']}", headers=plain.headers)
    assert_problem(response, 404, "not_found")
    response = await client.delete(f"{_roles_url(plain.id)}/{own['id']}", headers=plain.headers)
    assert_problem(response, 403, "role_required")
    assert [r["role"] for r in await _roles(client, root, root.id)] == ["system_admin"]
    assert [r["role"] for r in await _roles(client, root, plain.id)] == ["broker"]


async def test_district_admin_grants_registrars_of_its_own_district_only(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    district = await factories.account(client, "district")
    await factories.grant(db, district.id, PlatformRole.DISTRICT_ADMIN, region_id=haizhou)
    user = await factories.account(client)
    # A district administrator sees (and so grants roles to) the people of its district's organizations.
    assert (await client.get(f"/api/v1/users/{user.id}", headers=district.headers)).status_code == 404
    await factories.organization(client, user, region_code=factories.HAIZHOU_CODE)

    response = await _grant(client, district, user.id, role="registrar", region_id=haizhou)
    assert response.status_code == 201, response.text
    assert_problem(
        await _grant(client, district, user.id, role="registrar", region_id=ganyu), 403, "role_required"
    )
    assert_problem(await _grant(client, district, user.id, role="city_admin"), 403, "role_required")
    assert_problem(
        await _grant(client, district, user.id, role="district_admin", region_id=haizhou),
        403,
        "role_required",
    )
    assert [(r["role"], r["region_id"]) for r in await _roles(client, root, user.id)] == [
        ("registrar", haizhou)
    ]


async def test_grant_refuses_server_owned_fields(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    for extra in ({"user_id": root.id}, {"granted_by_id": user.id}, {"revoked_at": None}, {"id": 1}):
        response = await client.post(
            _roles_url(user.id), json={"role": "city_admin", **extra}, headers=root.headers
        )
        assert_problem(response, 422, "validation_failed")
    assert await _roles(client, root, user.id) == []
    assert [r["role"] for r in await _roles(client, root, root.id)] == ["system_admin"]


async def test_grants_and_revocations_are_audited(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    user = await factories.account(client)
    grant = (await _grant(client, root, user.id, role="city_admin")).json()
    await client.delete(f"{_roles_url(user.id)}/{grant['id']}", headers=root.headers)
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"entity_type": "role_grant", "entity_id": str(grant["id"])},
            headers=root.headers,
        )
    ).json()["items"]
    assert [e["action"] for e in events] == ["role.revoke", "role.grant"]
    assert all(e["actor_user_id"] == root.id for e in events)
    assert events[1]["after"]["role"] == "city_admin"
    assert events[0]["before"]["revoked_at"] is None
    assert events[0]["after"]["revoked_at"] is not None
