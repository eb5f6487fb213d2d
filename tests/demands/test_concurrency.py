"""Truly parallel status changes (PostgreSQL): compare-and-set lets exactly one of two racing requests
win, the other gets a 409, and only the winner is audited. (On SQLite, test_lifecycle covers the
stale-state path without real parallelism.)"""

from __future__ import annotations

import pytest

from tests import factories
from tests.demands.support import URL, demand_body
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name


async def _draft(parallel: Parallel) -> tuple[factories.Account, factories.Account, int]:
    owner = await factories.account(parallel.setup, "owner")
    organization = await factories.organization(parallel.setup, owner)
    colleague, _ = await factories.member(parallel.setup, owner, organization["id"])
    created = await parallel.setup.post(URL, json=demand_body(organization["id"]), headers=owner.headers)
    assert created.status_code == 201, created.text
    return owner, colleague, int(created.json()["id"])


async def _actions(parallel: Parallel, demand_id: int) -> list[str]:
    admin = await factories.admin(parallel.setup, parallel.app.state.sessionmaker)
    response = await parallel.setup.get(
        "/api/v1/audit-events",
        params={"entity_type": "demand", "entity_id": str(demand_id)},
        headers=admin.headers,
    )
    return [event["action"] for event in response.json()["items"]]


async def test_two_owners_submit_the_same_draft_at_once(parallel: Parallel) -> None:
    owner, colleague, demand_id = await _draft(parallel)
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(f"{URL}/{demand_id}/submit", headers=owner.headers),
        second.post(f"{URL}/{demand_id}/submit", headers=colleague.headers),
    )
    assert sorted(response.status_code for response in responses) == [200, 409], [r.text for r in responses]
    loser = next(response for response in responses if response.status_code == 409)
    assert loser.json()["code"] in ("concurrent_change", "invalid_transition")
    assert await _actions(parallel, demand_id) == ["demand.submit", "demand.create"]


async def test_publish_and_return_race(parallel: Parallel) -> None:
    owner, _, demand_id = await _draft(parallel)
    assert (await parallel.setup.post(f"{URL}/{demand_id}/submit", headers=owner.headers)).status_code == 200
    sessionmaker = parallel.app.state.sessionmaker
    publisher = await factories.admin(parallel.setup, sessionmaker)
    returner = await factories.admin(parallel.setup, sessionmaker)
    first, second = parallel.clients
    publish, give_back = await parallel.both(
        first.post(f"{URL}/{demand_id}/publish", headers=publisher.headers),
        second.post(f"{URL}/{demand_id}/return", json={"reason": "请补充"}, headers=returner.headers),
    )
    assert sorted([publish.status_code, give_back.status_code]) == [200, 409]
    stored = (await parallel.setup.get(f"{URL}/{demand_id}", headers=owner.headers)).json()
    assert stored["status"] == ("published" if publish.status_code == 200 else "returned")
    assert (await _actions(parallel, demand_id))[0] in ("demand.publish", "demand.return")
    assert len(await _actions(parallel, demand_id)) == 3
