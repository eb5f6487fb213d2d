"""The listings benchmark's baseline (bench/listings_baseline.py) sends the app's SQL, case by case.

The benchmark compares the app with a bare baseline; that comparison is only honest while both ask
PostgreSQL the same questions. For each kind of request the benchmark makes (a filtered list over a
city or a district, a page further on, a Chinese search, a get, a get of a missing id), the app's
statements are captured as it runs them and compiled for asyncpg, and the baseline's handler is run
against a recording connection: the statement texts (up to whitespace) and parameters must match.

On PostgreSQL the compiled texts are also checked against what the driver really received. On SQLite
the app builds its dialect's own JSON aggregates (the local industries of the field, the patents)
and its own join of the engine's ranked ids (a JSON list, where PostgreSQL takes an array), so there
those columns are left out of the comparison and the search case is skipped; the rest is compared.
The baseline searches the app's matching index (the test's, filled by the worker) with the same
engine call, so the ids it joins are the app's.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import Select, event
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request

from app.core.clock import today
from app.listings.search_index import SearchIndex
from app.matching.engine import Engine
from app.regions.repository import subtree_ids
from tests import factories
from tests.achievements import support
from tests.conftest import Indexed

BASELINE = Path(__file__).resolve().parents[2] / "bench" / "listings_baseline.py"
URL = "/api/v1/achievements"
Statement = tuple[str, list[Any]]
# The aggregated columns, from the field's mapped industries to the patents: their SQL is the
# dialect's own (json_agg / json_group_array).
_PATENTS = re.compile(
    r", \(SELECT (?:coalesce\(json_agg|json_group_array)\(.*?\) AS patents FROM achievements"
)


def _baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("listings_baseline", BASELINE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _RecordingConnection:
    """Answers the baseline as the database would for the case, and notes what it was asked."""

    def __init__(self, subtree: list[int]) -> None:
        self.subtree = subtree
        self.sent: list[Statement] = []

    async def fetch(self, sql: str, *params: Any) -> list[tuple[int]]:
        self.sent.append((sql, list(params)))
        return [(region,) for region in self.subtree] if "WITH RECURSIVE" in sql else []

    async def fetchval(self, sql: str, *params: Any) -> int:
        self.sent.append((sql, list(params)))
        return 0

    async def fetchrow(self, sql: str, *params: Any) -> None:
        self.sent.append((sql, list(params)))


class _Pool:
    def __init__(self, connection: _RecordingConnection) -> None:
        self.connection = connection

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[_RecordingConnection]:
        yield self.connection


async def _baseline_sends(
    url: str, subtree: list[int], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> list[Statement]:
    baseline = _baseline()
    monkeypatch.setattr(baseline, "_today_in_china", today)  # the app's calendar day, whatever the hour
    monkeypatch.setattr(baseline, "_search_engine", lambda: engine)  # the app's index
    connection = _RecordingConnection(subtree)
    parts = urlsplit(url)
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": parts.path,
        "query_string": parts.query.encode(),
        "headers": [],
        "app": SimpleNamespace(state=SimpleNamespace(pool=_Pool(connection))),
    }
    if parts.path == URL:
        await baseline.list_achievements(Request(scope))
    else:
        scope["path_params"] = {"achievement_id": int(parts.path.rsplit("/", 1)[1])}
        await baseline.get_achievement(Request(scope))
    return [(_normalized(sql), params) for sql, params in connection.sent]


@contextmanager
def _app_sends(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[list[Statement], list[Statement]]]:
    """The app's SELECTs compiled for asyncpg, and (on PostgreSQL) the texts the driver received:
    through SQLAlchemy, or straight from the public read path (app.db.reader: first, all)."""
    compiled: list[Statement] = []
    received: list[Statement] = []
    dialect = asyncpg_dialect()  # type: ignore[no-untyped-call]

    def before_execute(_conn: Any, clause: Any, multiparams: Any, params: Any, _options: Any) -> None:
        if not isinstance(clause, Select):
            return  # savepoints of the test's transaction
        given = (multiparams[0] if multiparams else params) or {}
        bound = clause.params(given)  # values of execution-time parameters (a get's id) into the statement
        state = bound.compile(dialect=dialect).construct_expanded_state()  # IN lists as executed
        values = [state.parameters[name] for name in state.positiontup or []]
        compiled.append((_normalized(state.statement), values))

    def before_cursor_execute(*args: Any) -> None:
        sql, params = args[2], args[3]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            received.append((_normalized(sql), list(params)))

    fetchrow, fetch = asyncpg.Connection.fetchrow, asyncpg.Connection.fetch

    async def recording_fetchrow(self: asyncpg.Connection, query: str, *args: Any, **options: Any) -> Any:
        if query.lstrip().upper().startswith("SELECT"):  # not the pool's pings
            received.append((_normalized(query), list(args)))
        return await fetchrow(self, query, *args, **options)

    async def recording_fetch(self: asyncpg.Connection, query: str, *args: Any, **options: Any) -> Any:
        if query.lstrip().upper().startswith("SELECT"):
            received.append((_normalized(query), list(args)))
        return await fetch(self, query, *args, **options)

    monkeypatch.setattr(asyncpg.Connection, "fetchrow", recording_fetchrow)
    monkeypatch.setattr(asyncpg.Connection, "fetch", recording_fetch)
    engine = app.state.engine.sync_engine
    event.listen(engine, "before_execute", before_execute)
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield compiled, received
    finally:
        event.remove(engine, "before_execute", before_execute)
        event.remove(engine, "before_cursor_execute", before_cursor_execute)
        monkeypatch.setattr(asyncpg.Connection, "fetchrow", fetchrow)
        monkeypatch.setattr(asyncpg.Connection, "fetch", fetch)


def _normalized(sql: str) -> str:
    return " ".join(sql.split())


def _without_patents(statements: list[Statement]) -> list[Statement]:
    return [(_PATENTS.sub(" FROM achievements", sql), params) for sql, params in statements]


async def _library(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> dict[str, Any]:
    """Published achievements in a district of the city, one with two patents, one without any, and
    the matching index up to date with them."""
    reviewer = await factories.admin(client, db)
    owner, organization = await support.owner_of(client)
    with_patents = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        patents=[{"application_number": "201710601862.3"}, {"application_number": "95115608.X"}],
    )
    await support.published(client, reviewer, owner, organization["id"], ip_form="none", patents=[])
    await indexed()
    return {
        "id": with_patents["id"],
        "city": await factories.region_id(client, factories.CITY_CODE),
        "district": await factories.region_id(client, factories.HAIZHOU_CODE),
    }


def _cases(library: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    """(name, URL, region of the list) of each kind of request the benchmark sends."""
    listed = {"tech_field": "new_energy", "trl_from": 4, "sort": "newest", "limit": 20}
    return [
        (
            "list, city",
            f"{URL}?{urlencode(listed | {'region_id': library['city'], 'offset': 0})}",
            library["city"],
        ),
        (
            "list, district, second page",
            f"{URL}?{urlencode(listed | {'region_id': library['district'], 'offset': 20, 'trl_from': 3})}",
            library["district"],
        ),
        ("search", f"{URL}?{urlencode({'q': '锂电池', 'limit': 20})}", None),
        (
            "search, district",  # a filter the index does not hold: the ranking joined, counted in SQL
            f"{URL}?{urlencode({'q': '锂电池', 'region_id': library['district'], 'trl_from': 3})}",
            library["district"],
        ),
        ("get", f"{URL}/{library['id']}", None),
        ("get, missing", f"{URL}/{library['id'] + 1000}", None),
    ]


async def test_the_baseline_sends_the_apps_sql(
    app: FastAPI,
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    index: SearchIndex,
    indexed: Indexed,
) -> None:
    postgres = database_url.startswith("postgresql")
    library = await _library(client, db, indexed)
    compared = 0
    for name, url, region in _cases(library):
        if name.startswith("search") and not postgres:
            continue  # SQLite joins the engine's ids as a JSON list, PostgreSQL as an array
        with _app_sends(app, monkeypatch) as (compiled, received):
            response = await client.get(url)  # anonymous, as the benchmark's requests are
        assert response.status_code == (404 if name == "get, missing" else 200), (name, response.text)
        async with db() as session:
            subtree = sorted(await subtree_ids(session, region)) if region is not None else []
        theirs = await _baseline_sends(url, subtree, index.engine, monkeypatch)
        if postgres:
            assert received == theirs, name
            assert all(statement in received for statement in compiled), name  # compiled as sent
        else:
            assert _without_patents(compiled) == _without_patents(theirs), name
        compared += 1
    assert compared == (6 if postgres else 4)


async def test_a_list_sends_the_subtree_count_and_page_and_a_get_one_statement(
    app: FastAPI,
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    indexed: Indexed,
) -> None:
    cases = {name: url for name, url, _region in _cases(await _library(client, db, indexed))}
    postgres = database_url.startswith("postgresql")
    with _app_sends(app, monkeypatch) as (compiled, received):
        assert (await client.get(cases["list, city"])).status_code == 200
    openings = [sql.split(" ", 2)[:2] for sql, _params in (received if postgres else compiled)]
    assert openings == [["WITH", "RECURSIVE"], ["SELECT", "count(*)"], ["SELECT", "achievements.id,"]]
    with _app_sends(app, monkeypatch) as (compiled, received):
        response = await client.get(cases["get"])
    assert len(received if postgres else compiled) == 1
    numbers = [patent["application_number"] for patent in response.json()["patents"]]
    assert numbers == ["201710601862.3", "95115608.X"]
