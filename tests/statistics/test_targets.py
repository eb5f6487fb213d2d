"""Targets: what has been reached, the share of the target and a linear year-end forecast, on a fixed
day of 2020 (the policy's targets are seeded by the migrations); setting one, with If-Match to replace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FixedClock, use_clock
from app.core.enums import PlatformRole
from tests import factories
from tests.contracts import support as contracts
from tests.core.problem_shape import assert_problem
from tests.statistics import support
from tests.statistics.support import URL

# 2020-03-31, noon in China: day 91 of the leap year's 366.
MARCH_31_2020 = datetime(2020, 3, 31, 4, 0, tzinfo=UTC)
IN_2020 = {
    "signed_on": "2020-03-01",
    "valid_from": "2020-03-01",
    "valid_to": "2021-02-28",
    "payments": [{"due_on": "2020-04-15", "amount_fen": 120_000_000, "condition": "签订后"}],
}


async def _targets(client: AsyncClient, who: factories.Account, year: int) -> dict[str, Any]:
    response = await client.get(f"{URL}/targets", params={"year": year}, headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _by_metric(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["metric"]: item for item in body["items"]}


async def test_progress_and_forecast_of_the_policy_targets(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    # Accounts first: access tokens are checked against the real time.
    admin = await support.city_admin(client, db)
    parties = await contracts.parties(client, db)
    agency_owner = await factories.account(client, "agency")
    agency = await factories.organization(
        client, agency_owner, kind="transfer_agency", region_code=factories.CITY_CODE
    )
    city = await factories.region_id(client, factories.CITY_CODE)
    with use_clock(FixedClock(MARCH_31_2020)):
        await contracts.registered(client, parties, **IN_2020)  # 120万; a university and an enterprise
        verified = await client.put(
            f"/api/v1/organizations/{agency['id']}/verification",
            json={"is_verified": True},
            headers=admin.headers,
        )
        assert verified.status_code == 200, verified.text

        body = await _targets(client, admin, 2020)
        assert {
            key: body[key] for key in ("year", "as_of", "from", "to", "days_elapsed", "days_in_year")
        } == {
            "year": 2020,
            "as_of": "2020-03-31",
            "from": "2020-01-01",
            "to": "2020-03-31",
            "days_elapsed": 91,
            "days_in_year": 366,
        }
        items = _by_metric(body)
        assert set(items) == {"total_fen", "iur_projects", "agencies"}
        total = items["total_fen"]
        assert (total["region_id"], total["region_name"], total["value"]) == (
            city,
            "连云港市",
            500_000_000_000,
        )
        assert (total["actual"], total["progress"]) == (120_000_000, 0.0002)
        assert total["forecast"] == 482_637_363  # 120,000,000 × 366 / 91 = 482,637,362.6…
        iur = items["iur_projects"]
        assert (iur["value"], iur["actual"], iur["progress"], iur["forecast"]) == (1000, 1, 0.001, 4)
        agencies = items["agencies"]
        # A stock, not a flow: the forecast is today's count.
        assert (agencies["value"], agencies["actual"], agencies["progress"], agencies["forecast"]) == (
            10,
            1,
            0.1,
            1,
        )

        past = await _targets(client, admin, 2019)
        assert (past["to"], past["days_elapsed"]) == ("2019-12-31", 365)
        [iur_2019] = past["items"]
        assert (iur_2019["metric"], iur_2019["actual"], iur_2019["forecast"]) == ("iur_projects", 0, 0)

        assert (await _targets(client, admin, 2021))["items"] == []
        made = await _put(client, admin, "total_fen", 2021, {"value": 600_000_000_000})
        assert made.status_code == 200, made.text
        assert (made.json()["actual"], made.json()["forecast"]) == (0, None)  # a year to come


async def _put(
    client: AsyncClient, who: factories.Account, metric: str, year: int, body: dict[str, Any], **headers: str
) -> Any:
    return await client.put(f"{URL}/targets/{metric}/{year}", json=body, headers={**who.headers, **headers})


async def test_setting_a_target_and_replacing_it_with_if_match(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    root = await factories.admin(client, db)
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    body = {"region_id": haizhou, "value": 300, "source": "海州区2026年工作要点"}
    created = await _put(client, admin, "iur_projects", 2026, body)
    assert created.status_code == 200, created.text
    read = created.json()
    assert (read["metric"], read["region_id"], read["region_name"], read["year"], read["value"]) == (
        "iur_projects",
        haizhou,
        "海州区",
        2026,
        300,
    )
    assert created.headers["ETag"] == read["etag"]

    assert_problem(await _put(client, admin, "iur_projects", 2026, body), 428, "precondition_required")
    stale = read["etag"].replace("-v1", "-v0")
    assert_problem(
        await _put(client, admin, "iur_projects", 2026, body, **{"If-Match": stale}),
        412,
        "precondition_failed",
    )
    replaced = await _put(
        client, admin, "iur_projects", 2026, {**body, "value": 350}, **{"If-Match": read["etag"]}
    )
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["value"] == 350
    assert replaced.headers["ETag"].endswith('-v2"')
    events = await factories.audit_events(client, root, "statistics_target", read["etag"].split("-")[2])
    assert sorted(event["action"] for event in events) == [
        "statistics_target.create",
        "statistics_target.update",
    ]

    # If-Match names a target that exists; there is none for 2027.
    missing = await _put(client, admin, "iur_projects", 2027, body, **{"If-Match": read["etag"]})
    assert_problem(missing, 412, "precondition_failed")
    # A target without a region is the network's (the city's).
    city_target = await _put(client, admin, "agencies", 2026, {"value": 12})
    assert city_target.json()["region_name"] == "连云港市"
    assert_problem(await _put(client, admin, "agencies", 2026, {"region_id": 999_999, "value": 1}), 404)


async def test_district_administrators_read_their_district_targets_and_set_none(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    for region in (haizhou, ganyu):
        response = await _put(client, admin, "iur_projects", 2020, {"region_id": region, "value": 100})
        assert response.status_code == 200, response.text
    district = await support.district_admin(client, db)
    seen = await _targets(client, district, 2020)
    assert [(item["metric"], item["region_id"]) for item in seen["items"]] == [("iur_projects", haizhou)]
    everything = await _targets(client, admin, 2020)
    assert len(everything["items"]) == 5  # the city's three and the two districts'
    refused = await _put(client, district, "iur_projects", 2020, {"region_id": haizhou, "value": 1})
    assert_problem(refused, 403, "role_required")
    registrar = await factories.role_holder(client, db, PlatformRole.REGISTRAR, factories.HAIZHOU_CODE)
    assert_problem(
        await client.get(f"{URL}/targets", headers=registrar.headers), 403, "statistics_role_required"
    )
