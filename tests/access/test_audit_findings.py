"""The authorization findings of the security audit (issue 12, item 3), each over HTTP.

Object-level rule of the project: another organization's private data is 404; writes to a public
resource the caller may read are 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from app.models import Demand
from tests import factories
from tests.achievements import support as achievements
from tests.conftest import run_until_idle
from tests.demands import support as demands
from tests.factories import Account
from tests.imports.support import DEMAND_ROW, count, table, upload, xlsx
from tests.listings.test_access_requests import ask, decide
from tests.listings.test_revisions import act_on, propose

NEW_PHONE = "13900001111"
NEW_DETAIL = "新配方：硅粉与沥青按比例混合后在950℃碳化。"


async def _published_achievement(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> tuple[Account, dict[str, Any], Account]:
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    published = await achievements.published(client, reviewer, owner, organization["id"])
    return owner, published, reviewer


async def test_a_published_revision_shows_its_confidential_values_to_the_owner_only(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, reviewer = await _published_achievement(client, db)
    agency_owner, _ = await demands.agency(client, db)  # another reviewer of the region
    body: dict[str, object] = {"contact_phone": NEW_PHONE, "confidential_detail": NEW_DETAIL}
    proposed = await propose(client, owner, published["id"], body)
    assert proposed.status_code == 201, proposed.text
    url = f"{achievements.URL}/{published['id']}/revisions"

    under_review = (await client.get(url, headers=agency_owner.headers)).json()["items"]
    assert under_review[0]["changes"] == body  # a reviewer reviews what is proposed, unmasked

    done = await act_on(client, reviewer, published["id"], proposed.json()["id"], "publish")
    assert done.status_code == 200, done.text
    assert done.json()["changes"]["contact_phone"] == "139****1111"  # the publisher's answer too
    for who in (reviewer, agency_owner):
        [revision] = (await client.get(url, headers=who.headers)).json()["items"]
        assert revision["changes"]["contact_phone"] == "139****1111"
        assert revision["changes"]["confidential_detail"] is None
        one = await client.get(f"{url}/{revision['id']}", headers=who.headers)
        assert one.json()["changes"] == revision["changes"]
    [own] = (await client.get(url, headers=owner.headers)).json()["items"]
    assert own["changes"] == body


@pytest.mark.parametrize("status", ["draft", "returned"])
async def test_a_verified_agency_does_not_read_drafts_or_returned_listings(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], status: str
) -> None:
    owner, organization = await demands.poster(client)
    agency_owner, _ = await demands.agency(client, db)
    demand = await demands.create(client, owner, organization["id"])
    if status == "returned":
        await demands.act(client, owner, demand["id"], "submit")
        returned = await demands.act(client, agency_owner, demand["id"], "return", reason="描述不清")
        assert returned.status_code == 200, returned.text
    assert (await demands.read(client, agency_owner, demand["id"])).status_code == 404
    revisions = await client.get(f"{demands.URL}/{demand['id']}/revisions", headers=agency_owner.headers)
    assert revisions.status_code == 404
    assert (await demands.read(client, owner, demand["id"])).json()["status"] == status
    resubmitted = await demands.act(client, owner, demand["id"], "submit")
    assert resubmitted.status_code == 200, resubmitted.text
    assert (await demands.read(client, agency_owner, demand["id"])).status_code == 200  # to review it


async def test_only_owners_and_admins_of_the_organization_decide_access_requests(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, _ = await _published_achievement(client, db)
    plain, _ = await factories.member(client, owner, published["organization_id"])
    admin, _ = await factories.member(client, owner, published["organization_id"], role="admin")
    requester = await factories.account(client, "buyer")
    company = await factories.organization(client, requester)
    request = (await ask(client, requester, published["id"], company["id"])).json()

    refused = await decide(client, plain, published["id"], request["id"], "grant")
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_organization_admin"
    assert (await decide(client, plain, published["id"], request["id"], "deny")).status_code == 403
    granted = await decide(client, admin, published["id"], request["id"], "grant")
    assert granted.status_code == 200, granted.text
    assert (await decide(client, plain, published["id"], request["id"], "revoke")).status_code == 403
    assert (await decide(client, owner, published["id"], request["id"], "revoke")).status_code == 200


async def test_a_city_administrator_cannot_deactivate_the_system_administrator(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    system = await factories.admin(client, db)
    city = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    other_city = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    refused = await client.put(
        f"/api/v1/users/{system.id}/status", json={"is_active": False}, headers=city.headers
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "role_required"
    assert (await client.get("/api/v1/users/me", headers=system.headers)).status_code == 200
    peer = await client.put(
        f"/api/v1/users/{other_city.id}/status", json={"is_active": False}, headers=city.headers
    )
    assert peer.status_code == 200, peer.text
    by_system = await client.put(
        f"/api/v1/users/{city.id}/status", json={"is_active": False}, headers=system.headers
    )
    assert by_system.status_code == 200, by_system.text


async def test_an_agency_cannot_unverify_rival_agencies_or_the_bureau(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, agency = await demands.agency(client, db)
    _, rival = await demands.agency(client, db)
    bureau_owner = await factories.account(client, "bureau")
    bureau = await factories.organization(
        client, bureau_owner, kind="government", region_code=factories.CITY_CODE
    )
    city = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    verified = await client.put(
        f"/api/v1/organizations/{bureau['id']}/verification", json={"is_verified": True}, headers=city.headers
    )
    assert verified.status_code == 200, verified.text
    for target in (rival, bureau):
        url = f"/api/v1/organizations/{target['id']}/verification"
        refused = await client.put(url, json={"is_verified": False}, headers=agency_owner.headers)
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "not_verifier"
        assert (await client.get(f"/api/v1/organizations/{target['id']}")).json()["is_verified"] is True
    _, enterprise = await demands.poster(client)
    vouched = await client.put(
        f"/api/v1/organizations/{enterprise['id']}/verification",
        json={"is_verified": True},
        headers=agency_owner.headers,
    )
    assert vouched.status_code == 200, vouched.text  # an agency still verifies ordinary organizations
    own = await client.put(
        f"/api/v1/organizations/{agency['id']}/verification",
        json={"is_verified": False},
        headers=agency_owner.headers,
    )
    assert own.status_code == 403  # nor does it vouch for (or against) itself


async def test_a_rename_needs_verification_again(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await demands.poster(client)
    city = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    url = f"/api/v1/organizations/{organization['id']}"
    verified = await client.put(f"{url}/verification", json={"is_verified": True}, headers=city.headers)
    assert verified.status_code == 200, verified.text
    etag = verified.headers["ETag"]
    described = await client.patch(
        url, json={"description": "新的简介"}, headers={**owner.headers, "If-Match": etag}
    )
    assert described.status_code == 200, described.text
    assert described.json()["is_verified"] is True  # other edits keep it
    renamed = await client.patch(
        url,
        json={"name": "连云港改名科技有限公司"},
        headers={**owner.headers, "If-Match": described.headers["ETag"]},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["is_verified"] is False
    assert renamed.json()["verified_at"] is None
    admin = await factories.admin(client, db)
    events = await factories.audit_events(client, admin, "organization", organization["id"])
    assert events[0]["after"]["is_verified"] is False


async def test_a_district_administrator_reads_only_users_of_its_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    district = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    local_owner, _ = await demands.poster(client, factories.HAIZHOU_CODE)
    elsewhere_owner, _ = await demands.poster(client, factories.GANYU_CODE)
    loner = await factories.account(client, "loner")
    local = await client.get(f"/api/v1/users/{local_owner.id}", headers=district.headers)
    assert local.status_code == 200, local.text
    assert local.json()["email"] == local_owner.email
    for stranger in (elsewhere_owner, loner):
        refused = await client.get(f"/api/v1/users/{stranger.id}", headers=district.headers)
        assert refused.status_code == 404, refused.text
        roles = await client.get(f"/api/v1/users/{stranger.id}/roles", headers=district.headers)
        assert roles.status_code == 404
    city = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    assert (await client.get(f"/api/v1/users/{loner.id}", headers=city.headers)).status_code == 200


async def test_a_queued_import_is_authorized_again_when_it_runs(
    app: FastAPI,
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app.state.settings, "import_job_threshold_rows", 3)
    owner, organization = await demands.poster(client)
    uploader, membership = await factories.member(client, owner, organization["id"])
    rows = xlsx(table([DEMAND_ROW | {"客户编号": f"XQ-{i}"} for i in range(5)]))
    response = await upload(client, uploader, "demands", organization["id"], rows)
    assert response.status_code == 202, response.text  # queued: no worker has run it yet
    job_id = response.json()["id"]
    removed = await client.delete(f"/api/v1/memberships/{membership['id']}", headers=owner.headers)
    assert removed.status_code == 204, removed.text

    await run_until_idle(app)
    job = (await client.get(f"/api/v1/imports/{job_id}", headers=owner.headers)).json()
    assert job["status"] == "failed", job
    assert job["created_count"] == 0
    assert await count(db, Demand, organization["id"]) == 0
