"""The bare baseline of the listings benchmark: plain Starlette + asyncpg, no ORM, no validation layer.

It answers the public (anonymous) view of GET /api/v1/achievements and /api/v1/achievements/{id} with
the same rows and the same JSON as the app (bench/listings.py checks that before measuring), and it
sends the same SQL as the app's public read path (app.listings.public): the region subtree first,
then COUNT(*) and the page for a list, one SELECT (patents aggregated into it) for a get; the same
statement texts (up to whitespace) with the same parameters in the same order, so that PostgreSQL
plans them alike (custom or generic plans) on both sides. tests/bench/test_same_sql.py holds the two
together. What it leaves out is the app's machinery: FastAPI's routing, dependency injection and
validation, middleware, SQLAlchemy, pydantic. A search (`q`) does the app's work for it: the same
call of the matching engine (app.matching) on the same index directory, the same join of its ranked
ids, the same snippets.

Serve it with: DATABASE_URL=postgresql://... TECHTRANSFER_INDEX_DIR=... uvicorn listings_baseline:app
--app-dir bench
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.core.enums import LocalIndustry
from app.matching.engine import Engine
from app.matching.records import Filters, Kind
from app.matching.snippet import Highlighter

# The app's constants (app.listings.search): how many ids a search ranks, where a snippet is looked for.
MAX_RESULTS = 1000
SNIPPET_FIELDS = ("abstract", "description", "public_summary", "summary", "title")

MAX_LIMIT = 100
# The app's statements as SQLAlchemy compiles them for asyncpg (app.listings.public).
_COLUMNS = (
    "achievements.id, achievements.organization_id, achievements.region_id, achievements.title, "
    "achievements.tech_field, achievements.local_industry, achievements.keywords, achievements.valid_until, "
    "achievements.confidentiality, "
    "achievements.contact_name, achievements.contact_phone, achievements.status, achievements.review_reason, "
    "achievements.revision, achievements.submitted_at, achievements.published_at, achievements.closed_at, "
    "achievements.created_at, achievements.updated_at, achievements.abstract, achievements.public_summary, "
    "achievements.application_industries, achievements.trl, achievements.stage, achievements.level, "
    "achievements.ip_form, achievements.transfer_modes, achievements.asking_price_fen, "
    "achievements.is_price_negotiable, achievements.team, achievements.technical_indicators, "
    "achievements.commercial_analysis, achievements.version, "
    "(SELECT coalesce(json_agg(json_build_object('industry', tech_field_industries.local_industry) "
    "ORDER BY tech_field_industries.local_industry), '[]') AS coalesce_1 "
    "FROM tech_field_industries WHERE tech_field_industries.tech_field = achievements.tech_field) "
    "AS mapped_industries, "
    "organizations.name AS organization_name, regions.name AS region_name, "
    "(SELECT coalesce(json_agg(json_build_object("
    "'application_number', achievement_patents.application_number, "
    "'patent_type', achievement_patents.patent_type, 'status', achievement_patents.status, "
    "'title', achievement_patents.title) ORDER BY achievement_patents.id), '[]') AS coalesce_2 "
    "FROM achievement_patents WHERE achievement_patents.achievement_id = achievements.id) AS patents"
)
_JOINS = (
    "JOIN organizations ON organizations.id = achievements.organization_id "
    "JOIN regions ON regions.id = achievements.region_id"
)
# The engine's ranked ids, joined as the app joins them (app.db.dialect.ranked_ids).
_MATCHES = (
    "JOIN (SELECT anon_1.id AS id, -anon_1.position AS rank "
    "FROM unnest({ids}) WITH ORDINALITY AS anon_1(id, position)) AS matches "
    "ON matches.id = achievements.id"
)
_SUBTREE = (
    "WITH RECURSIVE tree(id) AS (SELECT regions.id AS id FROM regions WHERE regions.id = $1::BIGINT "
    "UNION ALL SELECT regions.id AS id FROM regions, tree WHERE regions.parent_id = tree.id) "
    "SELECT tree.id FROM tree"
)
_BY_ID = (
    f"SELECT {_COLUMNS} FROM achievements {_JOINS} "  # noqa: S608 - constant fragments
    "WHERE achievements.id = $1::BIGINT AND achievements.status IN ('closed', 'published')"
)
_NEWEST = "achievements.published_at DESC NULLS LAST, achievements.id DESC"
_INTEGER = re.compile(r"^[0-9]{1,18}$")
_KNOWN = frozenset({"q", "tech_field", "trl_from", "region_id", "sort", "limit", "offset"})


class BadRequest(Exception):
    pass


class _Statement:
    """SQL with numbered parameters, numbered as SQLAlchemy numbers them: the plain values in the
    order they appear, then the members of IN lists (whose length varies with the values)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.values: list[Any] = []
        self.lists: list[tuple[list[Any], str]] = []

    def add(self, sql: str) -> None:
        self.parts.append(sql)

    def value(self, value: Any, cast: str = "") -> str:
        self.values.append(value)
        return f"${len(self.values)}{cast}"

    def members(self, values: list[Any], cast: str) -> str:
        self.lists.append((values, cast))
        return f"{{members{len(self.lists) - 1}}}"

    def render(self) -> tuple[str, list[Any]]:
        sql, params = " ".join(self.parts), list(self.values)
        for index, (values, cast) in enumerate(self.lists):
            placeholders = []
            for value in values:
                params.append(value)
                placeholders.append(f"${len(params)}{cast}")
            sql = sql.replace(f"{{members{index}}}", ", ".join(placeholders))
        return sql, params


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    dsn = re.sub(r"^postgresql\+\w+://", "postgresql://", os.environ["DATABASE_URL"])
    # As many connections as the app's pool keeps (app.db.session), given back without the reset
    # query asyncpg sends by default: the app's pool sends nothing when a connection that ran no
    # transaction goes back, so neither does the baseline.
    app.state.pool = await asyncpg.create_pool(dsn, min_size=10, max_size=20, reset=_no_reset)
    _search_engine().analyzer.words("预热")  # open the index and load the dictionary, as the app does
    yield
    await app.state.pool.close()


async def _no_reset(_connection: asyncpg.Connection) -> None:
    return None


_engine: Engine | None = None


def _search_engine() -> Engine:
    """The matching engine on the app's index directory (opened once; the benchmark's index does not
    change while it runs)."""
    global _engine  # noqa: PLW0603 - one engine per process, as the app has
    if _engine is None:
        _engine = Engine.open(Path(os.environ.get("TECHTRANSFER_INDEX_DIR", "techtransfer-index")))
    return _engine


async def _ranked_ids(parsed: dict[str, Any], today: date) -> list[int]:
    """The app's search for `q`: the engine's best MAX_RESULTS published, unexpired achievements."""
    tech_field = parsed.get("tech_field")
    filters = Filters(kind=Kind.ACHIEVEMENT, today=today, tech_field=tech_field)
    found = await asyncio.to_thread(_search_engine().search, parsed["q"], filters, limit=MAX_RESULTS)
    return list(found.ids)


async def list_achievements(request: Request) -> Response:
    try:
        parsed = _parse(dict(request.query_params))
    except BadRequest as error:
        return Response(str(error), status_code=400)
    today = _today_in_china()
    ids = await _ranked_ids(parsed, today) if parsed.get("q") else None
    pool: asyncpg.Pool = request.app.state.pool
    if ids is not None and (not ids or _ranking_is_the_answer(parsed)):
        # The app's shortcut (app.listings.public._ranked_page): the page cut from the ranking.
        total = len(ids)
        wanted = ids[parsed["offset"] : parsed["offset"] + parsed["limit"]]
        rows = []
        if wanted:
            async with pool.acquire() as connection:
                rows = await connection.fetch(*_ranked_page(parsed, wanted, today))
    else:
        async with pool.acquire() as connection:
            subtree = None
            if "region_id" in parsed:
                subtree = sorted(row[0] for row in await connection.fetch(_SUBTREE, parsed["region_id"]))
            total = await connection.fetchval(*_count(parsed, ids, today, subtree))
            rows = await connection.fetch(*_page(parsed, ids, today, subtree))
    items = [_item(row, today) for row in rows]
    if parsed.get("q"):
        engine = _search_engine()
        highlighter = Highlighter(engine.highlight_words(parsed["q"]), engine.analyzer.fold_aligned)
        for item in items:
            texts = (str(item.get(name) or "") for name in SNIPPET_FIELDS)
            item["snippet"] = next((found for text in texts if (found := highlighter.snippet(text))), None)
    return _json({"items": items, "total": total, "limit": parsed["limit"], "offset": parsed["offset"]})


def _parse(query: dict[str, str]) -> dict[str, Any]:
    unknown = set(query) - _KNOWN
    if unknown:
        raise BadRequest(f"the baseline does not take {sorted(unknown)}")
    if query.get("sort", "relevance") not in ("relevance", "newest"):
        raise BadRequest("sort: relevance or newest")
    parsed: dict[str, Any] = {key: query[key] for key in ("q", "tech_field", "sort") if key in query}
    for key in ("trl_from", "region_id"):
        if key in query:
            parsed[key] = _integer(query[key])
    parsed["limit"] = _integer(query.get("limit", "20"))
    parsed["offset"] = _integer(query.get("offset", "0"))
    if not 1 <= parsed["limit"] <= MAX_LIMIT:
        raise BadRequest("limit: 1 to 100")
    return parsed


def _ranking_is_the_answer(parsed: dict[str, Any]) -> bool:
    """The index held every filter of the request (only `tech_field` besides `q`) and the order is
    the ranking's: app.listings.queries._SQL_ONLY and the achievement filters (trl) are SQL's."""
    return (
        "region_id" not in parsed
        and "trl_from" not in parsed
        and parsed.get("sort", "relevance") == "relevance"
    )


def _ranked_page(parsed: dict[str, Any], wanted: list[int], today: date) -> list[Any]:
    statement = _Statement()
    statement.add(f"SELECT {_COLUMNS} FROM achievements")  # noqa: S608 - constant fragments
    _filtered(statement, parsed, wanted, today, None, joins=_JOINS)
    statement.add("ORDER BY matches.rank DESC")
    sql, params = statement.render()
    return [sql, *params]


def _count(
    parsed: dict[str, Any], ids: list[int] | None, today: date, subtree: list[int] | None
) -> list[Any]:
    statement = _Statement()
    statement.add("SELECT count(*) AS count_1 FROM achievements")
    _filtered(statement, parsed, ids, today, subtree)
    sql, params = statement.render()
    return [sql, *params]


def _page(parsed: dict[str, Any], ids: list[int] | None, today: date, subtree: list[int] | None) -> list[Any]:
    statement = _Statement()
    statement.add(f"SELECT {_COLUMNS} FROM achievements")  # noqa: S608 - constant fragments
    _filtered(statement, parsed, ids, today, subtree, joins=_JOINS)
    ranked = ids and parsed.get("sort", "relevance") == "relevance"
    statement.add(f"ORDER BY {'matches.rank DESC, ' if ranked else ''}{_NEWEST}")
    statement.add(f"LIMIT {statement.value(parsed['limit'], '::INTEGER')}")
    statement.add(f"OFFSET {statement.value(parsed['offset'], '::INTEGER')}")
    sql, params = statement.render()
    return [sql, *params]


def _filtered(
    statement: _Statement,
    parsed: dict[str, Any],
    ids: list[int] | None,
    today: date,
    subtree: list[int] | None,
    joins: str = "",
) -> None:
    """The joins and WHERE of app.listings.queries.filtered and the achievement filters, in the
    app's order: scope, tech field, region, deadline, then the trl."""
    if ids:
        statement.add(_MATCHES.format(ids=statement.value(ids, "::BIGINT[]")))
    if joins:
        statement.add(joins)
    conditions = [f"achievements.status = {statement.value('published')}"]
    if "tech_field" in parsed:
        conditions.append(f"achievements.tech_field = {statement.value(parsed['tech_field'])}")
    if subtree is not None:
        conditions.append(f"achievements.region_id IN ({statement.members(subtree, '::BIGINT')})")
    deadline = statement.value(today, "::DATE")
    conditions.append(f"(achievements.valid_until IS NULL OR achievements.valid_until >= {deadline})")
    if ids is not None and not ids:
        conditions.append("false")  # the engine found nothing
    if "trl_from" in parsed:
        conditions.append(f"achievements.trl >= {statement.value(parsed['trl_from'], '::INTEGER')}")
    statement.add("WHERE " + " AND ".join(conditions))


async def get_achievement(request: Request) -> Response:
    achievement_id = request.path_params["achievement_id"]
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection:
        row = await connection.fetchrow(_BY_ID, achievement_id)
    if row is None:
        return Response(status_code=404)
    body = _item(row, _today_in_china())
    return _json(body, headers={"ETag": f'"achievement-{achievement_id}-v{row["version"]}"'})


def _today_in_china() -> date:
    """The app's calendar day: China Standard Time (UTC+8, no daylight saving)."""
    return (datetime.now(UTC) + timedelta(hours=8)).date()


def _item(row: asyncpg.Record, today: date) -> dict[str, Any]:
    """The public view of an achievement, field for field as app.achievements.schemas.AchievementRead."""
    phone = row["contact_phone"]
    valid_until = row["valid_until"]
    expired = row["status"] == "published" and valid_until is not None and valid_until < today
    return {
        "id": row["id"],
        "organization_id": row["organization_id"],
        "organization_name": row["organization_name"],
        "region_id": row["region_id"],
        "region_name": row["region_name"],
        "title": row["title"],
        "tech_field": row["tech_field"],
        "local_industry": row["local_industry"],
        "local_industries": _local_industries(row),
        "keywords": json.loads(row["keywords"]),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "confidentiality": row["confidentiality"],
        "confidential_detail": None,
        "is_detail_withheld": row["confidentiality"] == "nda",
        "contact_name": row["contact_name"],
        "contact_phone": f"{phone[:3]}****{phone[-4:]}" if phone else None,
        "status": row["status"],
        "effective_status": "expired" if expired else row["status"],
        "review_reason": row["review_reason"],
        "revision": row["revision"],
        "pending_revision_id": None,  # only the owner and its reviewers learn of a pending revision
        "submitted_at": _timestamp(row["submitted_at"]),
        "published_at": _timestamp(row["published_at"]),
        "closed_at": _timestamp(row["closed_at"]),
        "created_at": _timestamp(row["created_at"]),
        "updated_at": _timestamp(row["updated_at"]),
        "number": f"CG{row['created_at']:%Y}{row['id']:07d}",
        "abstract": row["abstract"],
        "public_summary": row["public_summary"],
        "application_industries": json.loads(row["application_industries"]),
        "trl": row["trl"],
        "stage": row["stage"],
        "level": row["level"],
        "ip_form": row["ip_form"],
        "patents": json.loads(row["patents"]),
        "transfer_modes": json.loads(row["transfer_modes"]),
        "asking_price_fen": row["asking_price_fen"],
        "is_price_negotiable": row["is_price_negotiable"],
        "team": [
            {"name": member.get("name"), "title": member.get("title"), "role": member.get("role")}
            for member in json.loads(row["team"])
        ],
        "technical_indicators": row["technical_indicators"],
        "commercial_analysis": row["commercial_analysis"],
        "snippet": None,  # a search's items get theirs in list_achievements
    }


def _local_industries(row: asyncpg.Record) -> list[str]:
    """The industry the achievement names, or else those its field maps to, in the policy's order."""
    if row["local_industry"] is not None:
        return [row["local_industry"]]
    mapped = {entry["industry"] for entry in json.loads(row["mapped_industries"])}
    return [industry.value for industry in LocalIndustry if industry.value in mapped]


def _timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _integer(text: str) -> int:
    if not _INTEGER.match(text):
        raise BadRequest(f"not an integer: {text!r}")
    return int(text)


def _json(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    # Compact UTF-8 JSON, as the app sends.
    content = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return Response(content, media_type="application/json", headers=headers)


app = Starlette(
    routes=[
        Route("/api/v1/achievements", list_achievements),
        Route("/api/v1/achievements/{achievement_id:int}", get_achievement),
    ],
    lifespan=_lifespan,
)
