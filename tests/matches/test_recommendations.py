"""Recommendations over HTTP: a demand's owner gets achievements ranked and explained in Chinese;
nobody else sees them; hard filters hold; free-text matching is open to anyone and throttled."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.matches import service
from tests import factories
from tests.achievements import support as achievements
from tests.conftest import run_until_idle
from tests.matches.conftest import Library


def ids(page: dict[str, Any], kind: str = "achievement") -> list[int]:
    return [item[kind]["id"] for item in page["items"]]


async def test_the_owner_gets_achievements_ranked_and_explained_in_chinese(
    client: AsyncClient, library: Library
) -> None:
    response = await client.get(library.url(), headers=library.enterprise.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    found = ids(page)
    assert found[0] == library.anode["id"]
    assert found.index(library.anode["id"]) < found.index(library.early["id"])  # TRL 7 suits 技术改造
    assert library.seaweed["id"] not in found[:2]
    best = page["items"][0]
    assert "负极材料" in best["matched_terms"] or "负极" in best["matched_terms"]
    assert "领域一致（新能源与高效节能）" in best["explanation"]
    assert "成熟度 TRL7 满足技术改造" in best["explanation"]
    assert "报价在预算内" in best["explanation"]
    features = {c["feature"]: c for c in best["contributions"]}
    assert features["maturity"]["score"] > 0
    assert features["price"]["detail"]["relation"] == "within"
    early = page["items"][found.index(library.early["id"])]
    assert "成熟度 TRL2 低于技术改造的要求" in early["explanation"]


async def test_english_on_request(client: AsyncClient, library: Library) -> None:
    headers = {**library.enterprise.headers, "Accept-Language": "en"}
    best = (await client.get(library.url(), headers=headers)).json()["items"][0]
    assert "same field (new energy)" in best["explanation"]


async def test_never_the_own_organization_a_draft_or_a_closed_listing(
    app: FastAPI, client: AsyncClient, library: Library
) -> None:
    draft = await achievements.create(
        client, library.university, library.anode["organization_id"], title="硅碳负极草稿", patents=[]
    )
    closed = await achievements.act(client, library.university, library.early["id"], "close")
    assert closed.status_code == 200, closed.text
    await run_until_idle(app)
    found = ids((await client.get(library.url(), headers=library.enterprise.headers)).json())
    assert library.own["id"] not in found
    assert draft["id"] not in found
    assert library.early["id"] not in found
    assert library.anode["id"] in found


async def test_no_one_else_sees_a_demands_matches(client: AsyncClient, library: Library) -> None:
    stranger = await factories.account(client, "stranger")
    assert (await client.get(library.url(), headers=stranger.headers)).status_code == 404
    assert (await client.get(library.url(), headers=library.university.headers)).status_code == 404
    assert (await client.get(library.url())).status_code == 401
    missing = await client.get("/api/v1/demands/9999999/matches", headers=library.enterprise.headers)
    assert missing.status_code == 404


async def test_an_achievements_owner_gets_demands(client: AsyncClient, library: Library) -> None:
    url = f"/api/v1/achievements/{library.anode['id']}/matches"
    response = await client.get(url, headers=library.university.headers)
    assert response.status_code == 200, response.text
    assert ids(response.json(), "demand") == [library.demand["id"]]
    assert (await client.get(url, headers=library.enterprise.headers)).status_code == 404


async def test_pages_are_stable(client: AsyncClient, library: Library) -> None:
    headers = library.enterprise.headers
    whole = ids((await client.get(library.url(), params={"limit": 10}, headers=headers)).json())
    first = (await client.get(library.url(), params={"limit": 1}, headers=headers)).json()
    second = (await client.get(library.url(), params={"limit": 1, "offset": 1}, headers=headers)).json()
    assert ids(first) + ids(second) == whole[:2]
    assert first["total"] == len(whole)


async def test_free_text_matching_is_open_to_anyone(client: AsyncClient, library: Library) -> None:
    response = await client.post("/api/v1/matches/achievements", json={"text": "紫菜育苗"})
    assert response.status_code == 200, response.text
    assert ids(response.json())[0] == library.seaweed["id"]
    offers = await client.post("/api/v1/matches/demands", json={"text": "硅碳负极材料", "trl": 7})
    assert ids(offers.json(), "demand") == [library.demand["id"]]
    refused = await client.post("/api/v1/matches/achievements", json={"text": ""})
    assert refused.status_code == 422


async def test_free_text_matching_is_throttled_per_address(
    client: AsyncClient, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "AD_HOC_PER_MINUTE", 2)
    codes = [
        (await client.post("/api/v1/matches/achievements", json={"text": "紫菜"})).status_code
        for _ in range(4)
    ]
    assert codes[:2] == [200, 200]
    assert codes[-1] == 429


async def test_other_methods_on_the_match_lists_are_405_naming_get(
    client: AsyncClient, library: Library
) -> None:
    for path in (library.url(), f"/api/v1/demands/{library.demand['id']}/saved-matches"):
        response = await client.post(path, headers=library.enterprise.headers)
        assert response.status_code == 405, response.text
        assert response.headers["Allow"] == "GET, HEAD"
