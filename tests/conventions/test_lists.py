"""Every list has the same shape, `{items, total, limit, offset}`, and takes `limit`/`offset` the
same way (issue 13, item 10). Revisions, access requests, role grants, event consumers and the
calendar's years were bare arrays: a front end could not page them or show a count."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements import support as achievements
from tests.listings.test_revisions import propose

PAGE = {"items", "total", "limit", "offset"}


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return dict(document["components"]["schemas"][name])
    return schema


def test_every_list_operation_answers_a_page(app: FastAPI) -> None:
    """In the document: no operation answers a bare array, and every operation that answers a page
    takes `limit` and `offset`, and nothing else answers one."""
    document = app.openapi()
    pages = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation["responses"].get("200", {}).get("content", {})
            schema = _resolved(document, content.get("application/json", {}).get("schema", {}))
            assert schema.get("type") != "array", (method, path)
            parameters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            if set(schema.get("properties", {})) >= PAGE:
                assert {"limit", "offset"} <= parameters, (method, path)
                assert schema["required"] == ["items", "total", "limit", "offset"], (method, path)
                pages.append(operation["operationId"])
            else:
                assert not {"limit", "offset"} & parameters, (method, path)
    for former_array in (
        "list_demand_revisions",
        "list_achievement_revisions",
        "list_demand_access_requests",
        "list_achievement_access_requests",
        "list_user_roles",
        "list_event_consumers",
        "list_calendar_years",
    ):
        assert former_array in pages


async def _page(client: AsyncClient, url: str, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, (url, response.text)
    body: dict[str, Any] = response.json()
    assert set(body) == PAGE, url
    return body


async def test_the_former_arrays_are_pages_over_http(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    published = await achievements.published(client, reviewer, owner, organization["id"])
    for title in ("第一次修改的标题", "第二次修改的标题"):
        proposed = await propose(client, owner, published["id"], {"title": title})
        assert proposed.status_code == 201, proposed.text
        withdrawn = await client.post(
            f"/api/v1/achievements/{published['id']}/revisions/{proposed.json()['id']}/withdraw",
            headers=owner.headers,
        )
        assert withdrawn.status_code == 200, withdrawn.text
    revisions = f"/api/v1/achievements/{published['id']}/revisions"
    first = await _page(client, revisions, owner.headers, limit=1)
    second = await _page(client, revisions, owner.headers, limit=1, offset=1)
    assert (first["total"], first["limit"], first["offset"]) == (2, 1, 0)
    assert first["items"][0]["id"] > second["items"][0]["id"]  # newest first, one per page
    assert (await client.get(revisions, params={"limit": 0}, headers=owner.headers)).status_code == 422
    assert (await client.get(revisions, params={"limit": 101}, headers=owner.headers)).status_code == 422

    requests = await _page(client, f"/api/v1/achievements/{published['id']}/access-requests", owner.headers)
    assert requests["total"] == 0
    roles = await _page(client, f"/api/v1/users/{reviewer.id}/roles", reviewer.headers)
    assert [grant["role"] for grant in roles["items"]] == ["district_admin"]
    admin = await factories.admin(client, db)
    consumers = await _page(client, "/api/v1/jobs/consumers", admin.headers, limit=100)
    assert consumers["total"] == len(consumers["items"])
    years = await _page(client, "/api/v1/holidays/years", {}, limit=2, offset=1)
    assert [entry["year"] for entry in years["items"]] == [2005, 2006]
    assert years["total"] >= 23
    assert (await client.get("/api/v1/holidays/years", params={"offset": -1})).status_code == 422
