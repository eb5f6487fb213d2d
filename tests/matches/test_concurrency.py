"""Two people act on one saved match at once (PostgreSQL, real parallel requests): one wins, the
other gets a 409, and only the winner is audited."""

from __future__ import annotations

import pytest

from tests import factories
from tests.achievements import support as achievements
from tests.conftest import run_until_idle
from tests.demands import support as demands
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name


async def test_dismiss_and_propose_one_match_at_once(parallel: Parallel) -> None:
    setup = parallel.setup
    reviewer = await factories.admin(setup, parallel.app.state.sessionmaker)
    university, university_org = await demands.poster(setup)
    owner, enterprise = await demands.poster(setup)
    colleague, _ = await factories.member(setup, owner, enterprise["id"])
    await achievements.published(setup, reviewer, university, university_org["id"], patents=[])
    demand = await demands.published(setup, reviewer, owner, enterprise["id"])
    await run_until_idle(parallel.app)
    listed = await setup.get(f"/api/v1/demands/{demand['id']}/saved-matches", headers=owner.headers)
    match_id = listed.json()["items"][0]["id"]
    url = f"/api/v1/saved-matches/{match_id}"
    first, second = parallel.clients
    responses = await parallel.both(
        first.post(f"{url}/dismiss", json={"reason": "price_too_high"}, headers=owner.headers),
        second.post(f"{url}/propose", headers=colleague.headers),
    )
    assert sorted(response.status_code for response in responses) == [200, 409], [r.text for r in responses]
    events = await setup.get(
        "/api/v1/audit-events",
        params={"entity_type": "saved_match", "entity_id": str(match_id)},
        headers=reviewer.headers,
    )
    actions = [event["action"] for event in events.json()["items"]]
    assert sorted(actions) in (
        ["saved_match.create", "saved_match.dismiss"],
        ["saved_match.create", "saved_match.propose"],
    )
