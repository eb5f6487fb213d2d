"""Two administrators edit one field at once with the same ETag (PostgreSQL, truly parallel): one
wins, the other is told, and exactly one change is recorded."""

from __future__ import annotations

import pytest

from tests import factories
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name

URL = "/api/v1/industry-mappings"


async def test_two_edits_of_a_field_with_the_same_etag(parallel: Parallel) -> None:
    admin = await factories.admin(parallel.setup, parallel.app.state.sessionmaker)
    etag = (await parallel.setup.get(f"{URL}/aerospace")).headers["ETag"]
    headers = {**admin.headers, "If-Match": etag}
    first, second = parallel.clients

    responses = await parallel.both(
        first.put(f"{URL}/aerospace", json={"local_industries": ["new_materials"]}, headers=headers),
        second.put(f"{URL}/aerospace", json={"local_industries": ["marine"]}, headers=headers),
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses in ([200, 409], [200, 412]), [response.text for response in responses]
    winner = next(response for response in responses if response.status_code == 200)
    stored = (await parallel.setup.get(f"{URL}/aerospace")).json()
    assert stored["local_industries"] == winner.json()["local_industries"]
    assert stored["version"] == 2
    events = await factories.audit_events(parallel.setup, admin, "industry_mapping", "aerospace")
    assert len(events) == 1
