"""The bare baseline of the listings benchmark: plain Starlette + asyncpg, no ORM, no validation layer.

It answers the public (anonymous) view of GET /api/v1/achievements and /api/v1/achievements/{id} with
the same rows and the same JSON as the app (bench/listings.py checks that before measuring), using
the same WHERE, ORDER BY, LIMIT and tsvector search (app/listings/queries.py, listing.py, search.py),
the same COUNT(*) total, and the same tokenizer for `q`. What it leaves out is the app's machinery:
the ORM, pydantic, dependency injection, middleware, an explicit transaction, pool pre-ping, and the
columns the public view does not show (search_text, confidential_detail).

Serve it with: DATABASE_URL=postgresql://... uvicorn listings_baseline:app --app-dir bench
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.listings.search import query_tokens

MAX_LIMIT = 100
_COLUMNS = (
    "a.id, a.organization_id, a.region_id, a.title, a.tech_field, m.local_industry, a.keywords, "
    "a.valid_until, a.confidentiality, a.contact_name, a.contact_phone, a.status, a.review_reason, "
    "a.revision, a.submitted_at, a.published_at, a.closed_at, a.created_at, a.updated_at, a.abstract, "
    "a.public_summary, a.application_industries, a.trl, a.stage, a.level, a.ip_form, a.transfer_modes, "
    "a.asking_price_fen, a.is_price_negotiable, a.team, a.technical_indicators, a.commercial_analysis, "
    "a.version"
)
_MAPPING_JOIN = "LEFT JOIN industry_mappings m ON m.tech_field = a.tech_field"
# The same (id, rank) subquery as app.listings.search._postgres: over the expression index, or over a
# stored search_vector column where the schema has one.
_MATCHES = (
    "JOIN (SELECT id, ts_rank({vector}, to_tsquery('simple', $1)) AS rank "
    "FROM achievements WHERE {vector} @@ to_tsquery('simple', $1)) matches ON matches.id = a.id"
)
_EXPRESSION = "to_tsvector('simple', search_text)"
_SUBTREE = (
    "WITH RECURSIVE tree(id) AS (SELECT id FROM regions WHERE id = $1 "
    "UNION ALL SELECT r.id FROM regions r JOIN tree ON r.parent_id = tree.id) SELECT id FROM tree"
)
_NEWEST = "a.published_at DESC NULLS LAST, a.id DESC"
_PATENTS = (
    "SELECT achievement_id, application_number, patent_type, status, title FROM achievement_patents "
    "WHERE achievement_id = ANY($1::bigint[]) ORDER BY id"
)
_INTEGER = re.compile(r"^[0-9]{1,18}$")
_KNOWN = frozenset({"q", "tech_field", "trl_min", "region_id", "sort", "limit", "offset"})


class BadRequest(Exception):
    pass


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    dsn = re.sub(r"^postgresql\+\w+://", "postgresql://", os.environ["DATABASE_URL"])
    # The app's SQLAlchemy pool: 5 connections plus 10 overflow.
    app.state.pool = await asyncpg.create_pool(dsn, min_size=5, max_size=15)
    stored = await app.state.pool.fetchval(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'achievements' AND column_name = 'search_vector'"
    )
    app.state.matches = _MATCHES.format(vector="search_vector" if stored else _EXPRESSION)
    query_tokens("预热")  # load jieba's dictionary before the first request, as the app does
    yield
    await app.state.pool.close()


async def list_achievements(request: Request) -> Response:
    try:
        query, today = dict(request.query_params), _today_in_china()
        statement = _list_statement(query, today, request.app.state.matches)
    except BadRequest as error:
        return Response(str(error), status_code=400)
    if statement is None:  # a query with no searchable token matches nothing
        return _json({"items": [], "total": 0, "limit": 20, "offset": 0})
    where_sql, join_sql, order_sql, params, limit, offset = statement
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection:
        total = await connection.fetchval(
            f"SELECT count(*) FROM achievements a {join_sql} WHERE {where_sql}",  # noqa: S608 - constant fragments
            *params,
        )
        rows = await connection.fetch(
            # Only constant fragments are formatted in; every value is a bound parameter.
            f"SELECT {_COLUMNS} FROM achievements a {join_sql} {_MAPPING_JOIN} WHERE {where_sql} "  # noqa: S608
            f"ORDER BY {order_sql} LIMIT {limit} OFFSET {offset}",
            *params,
        )
        patents = await _patents(connection, [row["id"] for row in rows])
    today = _today_in_china()
    items = [_item(row, patents.get(row["id"], []), today) for row in rows]
    return _json({"items": items, "total": total, "limit": limit, "offset": offset})


def _list_statement(
    query: dict[str, str], today: date, matches: str
) -> tuple[str, str, str, list[Any], int, int] | None:
    unknown = set(query) - _KNOWN
    if unknown:
        raise BadRequest(f"the baseline does not take {sorted(unknown)}")
    params: list[Any] = []
    join_sql, order_sql = "", _NEWEST
    if query.get("q"):
        words = query_tokens(query["q"])
        if not words:
            return None
        params.append(" | ".join(f"'{word}'" for word in words))
        join_sql = matches
        if query.get("sort", "relevance") == "relevance":
            order_sql = f"matches.rank DESC, {_NEWEST}"
    elif query.get("sort", "relevance") not in ("relevance", "newest"):
        raise BadRequest("sort: relevance or newest")
    params.append(today)
    conditions = ["a.status = 'published'", f"(a.valid_until IS NULL OR a.valid_until >= ${len(params)})"]
    if "tech_field" in query:
        params.append(query["tech_field"])
        conditions.append(f"a.tech_field = ${len(params)}")
    if "trl_min" in query:
        params.append(_integer(query["trl_min"]))
        conditions.append(f"a.trl >= ${len(params)}")
    if "region_id" in query:
        params.append(_integer(query["region_id"]))
        conditions.append(f"a.region_id IN ({_SUBTREE.replace('$1', f'${len(params)}')})")
    limit = _integer(query.get("limit", "20"))
    offset = _integer(query.get("offset", "0"))
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest("limit: 1 to 100")
    return " AND ".join(conditions), join_sql, order_sql, params, limit, offset


async def get_achievement(request: Request) -> Response:
    achievement_id = request.path_params["achievement_id"]
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection:
        row = await connection.fetchrow(
            f"SELECT {_COLUMNS} FROM achievements a {_MAPPING_JOIN} "  # noqa: S608 - constant fragments
            "WHERE a.id = $1 AND a.status IN ('published', 'closed')",
            achievement_id,
        )
        if row is None:
            return Response(status_code=404)
        patents = await _patents(connection, [achievement_id])
    body = _item(row, patents.get(achievement_id, []), _today_in_china())
    return _json(body, headers={"ETag": f'"achievement-{achievement_id}-v{row["version"]}"'})


async def _patents(connection: asyncpg.Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return found
    for row in await connection.fetch(_PATENTS, ids):
        found.setdefault(row["achievement_id"], []).append(
            {
                "application_number": row["application_number"],
                "patent_type": row["patent_type"],
                "status": row["status"],
                "title": row["title"],
            }
        )
    return found


def _today_in_china() -> date:
    """The app's calendar day: China Standard Time (UTC+8, no daylight saving)."""
    return (datetime.now(UTC) + timedelta(hours=8)).date()


def _item(row: asyncpg.Record, patents: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """The public view of an achievement, field for field as app.achievements.schemas.AchievementRead."""
    phone = row["contact_phone"]
    valid_until = row["valid_until"]
    expired = row["status"] == "published" and valid_until is not None and valid_until < today
    return {
        "id": row["id"],
        "organization_id": row["organization_id"],
        "region_id": row["region_id"],
        "title": row["title"],
        "tech_field": row["tech_field"],
        "local_industry": row["local_industry"],
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
        "patents": patents,
        "transfer_modes": json.loads(row["transfer_modes"]),
        "asking_price_fen": row["asking_price_fen"],
        "is_price_negotiable": row["is_price_negotiable"],
        "team": [
            {"name": member.get("name"), "title": member.get("title"), "role": member.get("role")}
            for member in json.loads(row["team"])
        ],
        "technical_indicators": row["technical_indicators"],
        "commercial_analysis": row["commercial_analysis"],
    }


def _timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _integer(text: str) -> int:
    if not _INTEGER.match(text):
        raise BadRequest(f"not an integer: {text!r}")
    return int(text)


def _json(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    # The same encoding as FastAPI's JSONResponse.
    content = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    return Response(content, media_type="application/json", headers=headers)


app = Starlette(
    routes=[
        Route("/api/v1/achievements", list_achievements),
        Route("/api/v1/achievements/{achievement_id:int}", get_achievement),
    ],
    lifespan=_lifespan,
)
