"""Truly parallel requests (PostgreSQL): compare-and-set lets exactly one of two racing writers win.

These tests cannot run inside the rolled-back test transaction (both requests would share one
connection), so each module run gets a fresh, migrated database of its own, dropped afterwards.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["Parallel", "parallel"]  # the module-scoped fixture, used by name

ORGS = "/api/v1/organizations"


async def _audit_actions(parallel: Parallel, entity_type: str, entity_id: object) -> list[str]:
    admin = await factories.admin(parallel.setup, parallel.app.state.sessionmaker)
    response = await parallel.setup.get(
        "/api/v1/audit-events",
        params={"entity_type": entity_type, "entity_id": str(entity_id)},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    return [event["action"] for event in response.json()["items"]]


async def test_two_parallel_patches_with_the_same_if_match(parallel: Parallel) -> None:
    owner = await factories.account(parallel.setup)
    org = await factories.organization(parallel.setup, owner)
    path = f"{ORGS}/{org['id']}"
    etag = (await parallel.setup.get(path)).headers["etag"]
    first, second = parallel.clients

    responses = await parallel.both(
        first.patch(path, json={"name": "甲的修改"}, headers={**owner.headers, "If-Match": etag}),
        second.patch(path, json={"name": "乙的修改"}, headers={**owner.headers, "If-Match": etag}),
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses[0] == 200, [r.text for r in responses]
    assert statuses[1] in (409, 412), [r.text for r in responses]
    winner = next(response for response in responses if response.status_code == 200)
    loser = next(response for response in responses if response.status_code != 200)
    assert loser.headers["content-type"].startswith("application/problem+json")

    stored = await parallel.setup.get(path)
    assert stored.json()["name"] == winner.json()["name"]
    assert stored.headers["etag"] == winner.headers["etag"]
    actions = await _audit_actions(parallel, "organization", org["id"])
    assert actions.count("organization.update") == 1


async def test_two_admins_approving_the_same_request_in_parallel(parallel: Parallel) -> None:
    owner = await factories.account(parallel.setup)
    org = await factories.organization(parallel.setup, owner)
    second_admin, _ = await factories.member(parallel.setup, owner, org["id"], role="admin")
    applicant = await factories.account(parallel.setup)
    requested = await parallel.setup.post(
        f"{ORGS}/{org['id']}/membership-requests", headers=applicant.headers
    )
    assert requested.status_code == 201, requested.text
    path = f"/api/v1/memberships/{requested.json()['id']}"
    first, second = parallel.clients

    responses = await parallel.both(
        first.post(f"{path}/approve", headers=owner.headers),
        second.post(f"{path}/approve", headers=second_admin.headers),
    )
    assert sorted(response.status_code for response in responses) == [200, 409], [r.text for r in responses]
    stored = (await parallel.setup.get(path, headers=owner.headers)).json()
    assert stored["status"] == "active"
    actions = await _audit_actions(parallel, "membership", requested.json()["id"])
    assert actions.count("membership.approve") == 1


async def test_approve_and_reject_racing(parallel: Parallel) -> None:
    owner = await factories.account(parallel.setup)
    org = await factories.organization(parallel.setup, owner)
    applicant = await factories.account(parallel.setup)
    requested = await parallel.setup.post(
        f"{ORGS}/{org['id']}/membership-requests", headers=applicant.headers
    )
    path = f"/api/v1/memberships/{requested.json()['id']}"
    first, second = parallel.clients

    approve, reject = await parallel.both(
        first.post(f"{path}/approve", headers=owner.headers),
        second.post(f"{path}/reject", headers=owner.headers),
    )
    assert sorted([approve.status_code, reject.status_code]) == [200, 409]
    stored = (await parallel.setup.get(path, headers=owner.headers)).json()
    assert stored["status"] == ("active" if approve.status_code == 200 else "declined")


async def test_two_parallel_registrations_of_one_credit_code(parallel: Parallel) -> None:
    """Both may pass the service's check; the unique index then makes the second a 409, not a 500."""
    first_owner = await factories.account(parallel.setup)
    second_owner = await factories.account(parallel.setup)
    region = await factories.region_id(parallel.setup, factories.HAIZHOU_CODE)
    code = factories.credit_code()

    def body(name: str) -> dict[str, object]:
        return {
            "name": name,
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": code,
            "region_id": region,
        }

    first, second = parallel.clients
    responses = await parallel.both(
        first.post(ORGS, json=body("先到的企业"), headers=first_owner.headers),
        second.post(ORGS, json=body("后到的企业"), headers=second_owner.headers),
    )
    assert sorted(response.status_code for response in responses) == [201, 409], [r.text for r in responses]
    listed = (await parallel.setup.get(ORGS, params={"q": code})).json()
    assert listed["total"] == 1
    winner = next(response for response in responses if response.status_code == 201).json()
    assert listed["items"][0]["id"] == winner["id"]
    actions = await _audit_actions(parallel, "organization", winner["id"])
    assert actions == ["organization.register"]
    loser_owner = second_owner if winner["name"] == "先到的企业" else first_owner
    mine = await parallel.setup.get("/api/v1/memberships", headers=loser_owner.headers)
    assert mine.json()["total"] == 0
