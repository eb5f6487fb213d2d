"""Saved matches: a published demand's best achievements are kept for its owner, who views,
shortlists, dismisses with a reason or proposes them; a dismissed one is not recommended again."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response

from tests import factories
from tests.matches.conftest import Library


def saved_url(library: Library) -> str:
    return f"/api/v1/demands/{library.demand['id']}/saved-matches"


async def saved(client: AsyncClient, library: Library, **params: str) -> dict[str, Any]:
    response = await client.get(saved_url(library), params=params, headers=library.enterprise.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def audited(client: AsyncClient, library: Library, action: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/audit-events", params={"action": action, "limit": 100}, headers=library.reviewer.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def act(client: AsyncClient, library: Library, match_id: int, action: str, **body: object) -> Response:
    return await client.post(
        f"/api/v1/saved-matches/{match_id}/{action}", json=body or None, headers=library.enterprise.headers
    )


async def test_publishing_a_demand_keeps_its_best_achievements_for_the_owner(
    client: AsyncClient, library: Library
) -> None:
    page = await saved(client, library)
    achievements = [item["achievement_id"] for item in page["items"]]
    assert achievements[0] == library.anode["id"]
    assert library.own["id"] not in achievements
    first = page["items"][0]
    assert first["status"] == "new"
    assert first["achievement_title"] == library.anode["title"]
    assert "成熟度 TRL7 满足技术改造" in first["explanation"]
    events = await audited(client, library, "saved_match.create")
    assert len(events) == page["total"]


async def test_the_owner_works_through_a_match_and_a_dismissed_one_stays_out(
    client: AsyncClient, library: Library
) -> None:
    match_id = (await saved(client, library))["items"][0]["id"]
    viewed = await act(client, library, match_id, "view")
    assert viewed.status_code == 200, viewed.text
    assert viewed.json()["status"] == "viewed"
    assert (await act(client, library, match_id, "view")).status_code == 409
    shortlisted = await act(client, library, match_id, "shortlist")
    assert shortlisted.json()["status"] == "shortlisted"
    no_reason = await act(client, library, match_id, "dismiss")
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["loc"][-1] == "reason"
    dismissed = await act(client, library, match_id, "dismiss", reason="too_early", note="需要中试数据")
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["decline_reason"] == "too_early"
    assert (await act(client, library, match_id, "propose")).status_code == 409
    live = await client.get(library.url(), headers=library.enterprise.headers)
    assert library.anode["id"] not in [item["achievement"]["id"] for item in live.json()["items"]]
    assert [item["id"] for item in (await saved(client, library, status="dismissed"))["items"]] == [match_id]
    events = await audited(client, library, "saved_match.dismiss")
    assert events[0]["after"]["decline_reason"] == "too_early"


async def test_no_one_else_sees_or_acts_on_a_demands_saved_matches(
    client: AsyncClient, library: Library
) -> None:
    match_id = (await saved(client, library))["items"][0]["id"]
    stranger = await factories.account(client, "stranger")
    for who in (stranger, library.university):
        assert (await client.get(saved_url(library), headers=who.headers)).status_code == 404
        assert (await client.get(f"/api/v1/saved-matches/{match_id}", headers=who.headers)).status_code == 404
        response = await client.post(f"/api/v1/saved-matches/{match_id}/propose", headers=who.headers)
        assert response.status_code == 404
    assert (await client.get(f"/api/v1/saved-matches/{match_id}")).status_code == 401
