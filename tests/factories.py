"""Small factories that build test data through the API, as a front end would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from app.core.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char
from app.models import RoleGrant
from app.users import service as users_service

PASSWORD = "correct horse battery"
_counter = itertools.count(1)

# Seeded by the first migration.
CITY_CODE = "320700"
HAIZHOU_CODE = "320706"
GANYU_CODE = "320707"


@dataclass
class Account:
    id: int
    email: str
    password: str
    access_token: str
    refresh_token: str
    headers: dict[str, str] = field(default_factory=dict)


def unique_email(stem: str = "user") -> str:
    return f"{stem}{next(_counter)}@example.com"


def credit_code(seed: int | None = None) -> str:
    """A valid unified social credit code, different for every call."""
    number = seed if seed is not None else next(_counter) * 7919
    body = "91320700"
    for _ in range(9):
        body += CREDIT_CODE_ALPHABET[number % 31 % 10]
        number //= 3
    body = body[:17]
    return body + credit_code_check_char(body)


async def sign_up(
    client: AsyncClient, email: str | None = None, password: str = PASSWORD
) -> dict[str, object]:
    response = await client.post(
        "/api/v1/users",
        json={"email": email or unique_email(), "password": password, "display_name": "测试用户"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def sign_in(client: AsyncClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = await client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def account(client: AsyncClient, stem: str = "user") -> Account:
    email = unique_email(stem)
    user = await sign_up(client, email)
    tokens = await sign_in(client, email)
    return Account(
        id=int(str(user["id"])),
        email=email,
        password=PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )


async def grant(
    db: async_sessionmaker[AsyncSession], user_id: int, role: PlatformRole, region_id: int | None = None
) -> int:
    """Grant a platform role directly (the API path is tested on its own)."""
    async with db() as session:
        role_grant = RoleGrant(
            user_id=user_id,
            role=role,
            region_id=region_id,
            broker_licence_no="JS-2026-0001" if role == PlatformRole.BROKER else None,
        )
        session.add(role_grant)
        await session.commit()
        return role_grant.id


async def admin(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> Account:
    """A signed-in system administrator."""
    email = unique_email("admin")
    async with db() as session:
        await users_service.create_system_admin(
            session, email=email, password=PASSWORD, display_name="管理员"
        )
        await session.commit()
    tokens = await sign_in(client, email)
    user = (await client.get("/api/v1/users/me", headers=_bearer(tokens))).json()
    return Account(
        id=user["id"],
        email=email,
        password=PASSWORD,
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        headers=_bearer(tokens),
    )


async def region_id(client: AsyncClient, code: str) -> int:
    response = await client.get("/api/v1/regions", params={"q": code})
    items = response.json()["items"]
    assert items, f"region {code} not seeded"
    return int(items[0]["id"])


async def organization(
    client: AsyncClient,
    owner: Account,
    *,
    kind: str = "enterprise",
    region_code: str = HAIZHOU_CODE,
    **fields: object,
) -> dict[str, object]:
    body = {
        "name": f"连云港测试企业{next(_counter)}有限公司",
        "kind": kind,
        "legal_person_type": "100",
        "credit_code": credit_code(),
        "region_id": await region_id(client, region_code),
        "contact_phone": "13812345678",
        "contact_email": "contact@example.com",
        "address": "连云港市海州区朝阳东路1号",
        **fields,
    }
    response = await client.post("/api/v1/organizations", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def member(
    client: AsyncClient,
    org_admin: Account,
    organization_id: object,
    role: str = "member",
    stem: str = "member",
) -> tuple[Account, dict[str, object]]:
    """A new account that is an active member of the organization: invited by `org_admin`, accepted."""
    person = await account(client, stem)
    invited = await client.post(
        f"/api/v1/organizations/{organization_id}/invitations",
        json={"email": person.email, "role": role},
        headers=org_admin.headers,
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(f"/api/v1/memberships/{invited.json()['id']}/accept", headers=person.headers)
    assert accepted.status_code == 200, accepted.text
    return person, dict(accepted.json())


async def role_holder(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    role: PlatformRole,
    region_code: str | None = None,
) -> Account:
    """A new signed-in account holding a platform role (bound to a region for region-bound roles)."""
    person = await account(client, role.value)
    region = await region_id(client, region_code) if region_code else None
    await grant(db, person.id, role, region)
    return person


async def audit_events(
    client: AsyncClient, admin: Account, entity_type: str, entity_id: object
) -> list[dict[str, Any]]:
    """The audit log's events about one entity, read through the API by an administrator."""
    response = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": entity_type, "entity_id": str(entity_id), "limit": 100},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])
