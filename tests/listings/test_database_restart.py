"""A PostgreSQL restart (or an outage) is never a 500.

The public read path skips the connection ping and retries its read once on a fresh connection
instead; request sessions still ping before use. Killing every backend of the app's pool therefore
costs no request anything; a database that does not answer at all is a 503 problem.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy.engine import make_url

from app.main import create_app
from tests import factories
from tests.achievements import support
from tests.conftest import BASE_URL, make_settings
from tests.core.problem_shape import assert_problem
from tests.parallel import Parallel, parallel

__all__ = ["parallel"]  # the module-scoped fixture, used by name

UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


async def _terminate_backends(database_url: str) -> int:
    """pg_terminate_backend on every connection to the app's database, as a restart would."""
    url = make_url(database_url)
    server = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    connection = await asyncpg.connect(server)
    try:
        killed = await connection.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            url.database,
        )
    finally:
        await connection.close()
    return int(killed)


@pytest.mark.postgres_only
async def test_reads_survive_the_backends_being_killed(parallel: Parallel) -> None:
    client = parallel.setup
    reviewer = await factories.admin(client, parallel.app.state.sessionmaker)
    owner, organization = await support.owner_of(client)
    achievement = await support.published(client, reviewer, owner, organization["id"])
    url = f"{support.URL}/{achievement['id']}"
    database_url = parallel.app.state.settings.database_url
    reads: dict[str, Callable[[], Awaitable[Response]]] = {
        "anonymous get": lambda: client.get(url),
        "anonymous list": lambda: client.get(support.URL),
        "signed-in get": lambda: client.get(url, headers=owner.headers),
        "signed-in list": lambda: client.get(support.URL, headers=owner.headers),
    }
    for name, read in reads.items():
        assert (await read()).status_code == 200, name  # the pool holds live connections now
        assert await _terminate_backends(database_url) > 0
        response = await read()
        assert response.status_code == 200, (name, response.text)
        assert response.json()["id" if "get" in name else "total"], name


@pytest.mark.parametrize(
    ("method", "path", "form"),
    [
        ("GET", f"{support.URL}/1", None),
        ("GET", support.URL, None),
        ("GET", "/api/v1/demands", None),
        ("POST", "/api/v1/auth/token", {"username": "someone@example.com", "password": "x" * 12}),
    ],
)
async def test_an_unreachable_database_is_a_503(method: str, path: str, form: dict[str, str] | None) -> None:
    """The public read path (anonymous gets and lists) and a request session (a sign-in) alike."""
    application = create_app(make_settings(UNREACHABLE))
    async with AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as client:
        response = await client.request(method, path, data=form)
    assert_problem(response, 503, "database_unavailable")
    assert int(response.headers["Retry-After"]) >= 1  # when to come back
    await application.state.engine.dispose()
