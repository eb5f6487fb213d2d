"""Truly parallel requests (PostgreSQL): two proposals or two access requests racing past the
service's check are kept to one by the partial unique indexes, and the loser hears a 409 with the
same code as the sequential case."""

from __future__ import annotations

import asyncio

import pytest

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements.support import URL, achievement_body
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name


async def _published(parallel: Parallel) -> tuple[factories.Account, factories.Account, int, str]:
    owner = await factories.account(parallel.setup, "owner")
    organization = await factories.organization(parallel.setup, owner, kind="university")
    colleague, _ = await factories.member(parallel.setup, owner, organization["id"])
    created = await parallel.setup.post(URL, json=achievement_body(organization["id"]), headers=owner.headers)
    achievement_id = int(created.json()["id"])
    assert (
        await parallel.setup.post(f"{URL}/{achievement_id}/submit", headers=owner.headers)
    ).status_code == 200
    admin = await factories.admin(parallel.setup, parallel.app.state.sessionmaker)
    published = await parallel.setup.post(f"{URL}/{achievement_id}/publish", headers=admin.headers)
    return owner, colleague, achievement_id, published.headers["ETag"]


async def test_two_revisions_proposed_at_once(parallel: Parallel) -> None:
    owner, colleague, achievement_id, etag = await _published(parallel)
    first, second = parallel.clients
    path = f"{URL}/{achievement_id}/revisions"
    responses = await parallel.both(
        first.post(path, json={"title": "甲的修改标题"}, headers={**owner.headers, "If-Match": etag}),
        second.post(path, json={"title": "乙的修改标题"}, headers={**colleague.headers, "If-Match": etag}),
    )
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "revision_pending"
    listed = await parallel.setup.get(path, headers=owner.headers)
    assert listed.json()["total"] == 1


async def test_two_members_ask_for_access_at_once(parallel: Parallel) -> None:
    _, _, achievement_id, _ = await _published(parallel)
    buyer = await factories.account(parallel.setup, "buyer")
    company = await factories.organization(parallel.setup, buyer)
    partner, _ = await factories.member(parallel.setup, buyer, company["id"])
    body = {"organization_id": company["id"], "purpose": "评估技术", "accept_nda": True}
    path = f"{URL}/{achievement_id}/access-requests"
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(path, json=body, headers=buyer.headers),
        second.post(path, json=body, headers=partner.headers),
    )
    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    assert next(r for r in responses if r.status_code == 409).json()["code"] == "access_request_open"


async def test_publish_and_reject_of_a_revision_race(parallel: Parallel) -> None:
    owner, _, achievement_id, etag = await _published(parallel)
    revision = await parallel.setup.post(
        f"{URL}/{achievement_id}/revisions",
        json={"title": "新的标题文字"},
        headers={**owner.headers, "If-Match": etag},
    )
    reviewer = await factories.role_holder(
        parallel.setup, parallel.app.state.sessionmaker, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE
    )
    other = await factories.role_holder(
        parallel.setup, parallel.app.state.sessionmaker, PlatformRole.CITY_ADMIN
    )
    path = f"{URL}/{achievement_id}/revisions/{revision.json()['id']}"
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(f"{path}/publish", headers=reviewer.headers),
        second.post(f"{path}/reject", json={"reason": "不符合要求"}, headers=other.headers),
    )
    assert sorted(r.status_code for r in responses)[0] == 200
    assert sorted(r.status_code for r in responses)[1] in (409, 412), [r.text for r in responses]


async def test_twenty_reviewers_publish_one_revision_at_once(parallel: Parallel) -> None:
    """One publishes; the others hear 409 (it was settled meanwhile), never 412 or 500."""
    owner, _, achievement_id, etag = await _published(parallel)
    proposed = await parallel.setup.post(
        f"{URL}/{achievement_id}/revisions",
        json={"title": "二十人同时审核的修改"},
        headers={**owner.headers, "If-Match": etag},
    )
    assert proposed.status_code == 201, proposed.text
    reviewers = [
        await factories.role_holder(parallel.setup, parallel.app.state.sessionmaker, PlatformRole.CITY_ADMIN)
        for _ in range(20)
    ]
    path = f"{URL}/{achievement_id}/revisions/{proposed.json()['id']}/publish"
    responses = await asyncio.gather(*(parallel.setup.post(path, headers=r.headers) for r in reviewers))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 19, [r.text for r in responses if r.status_code != 409]
    assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
        "concurrent_change",
        "invalid_transition",
    }
    listing = await parallel.setup.get(f"{URL}/{achievement_id}", headers=owner.headers)
    assert listing.json()["title"] == "二十人同时审核的修改"
    assert listing.json()["revision"] == 2
