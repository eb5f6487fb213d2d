"""The tally over HTTP: registered contracts move it by exactly their figures, a change by the
difference, a cancellation takes them out; output against absorption; who reads what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FixedClock, SystemClock, today, use_clock
from app.core.enums import PlatformRole
from tests import factories
from tests.contracts import support as contracts
from tests.core.problem_shape import assert_problem
from tests.statistics import support
from tests.statistics.support import URL, figures, moved, row, summed, tally


@pytest.fixture(autouse=True)
def frozen() -> Iterator[date]:
    """The clock stands still at the real now (access tokens are checked against the real time): a
    test's ledger entries are all dated `today()`."""
    with use_clock(FixedClock(SystemClock().now())):
        yield today()


async def test_a_registration_a_change_and_a_cancellation_move_the_tally_by_their_figures(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    parties = await contracts.parties(client, db)
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    cut = {"by": "region,contract_type", "year": today().year}
    before = await tally(client, admin, **cut)
    development = {"region": haizhou, "contract_type": "development"}
    consulting = {"region": haizhou, "contract_type": "consulting"}

    contract = await support.register(client, parties)  # 120万, 20万 deducted; a university and an enterprise
    after = await tally(client, admin, **cut)
    assert moved(row(before, **development), row(after, **development)) == (1, 120_000_000, 100_000_000, 1)
    assert moved(before["totals"], after["totals"]) == (1, 120_000_000, 100_000_000, 1)
    shown = row(after, **development)
    assert shown is not None
    assert shown["keys"] == {
        "region": {"value": haizhou, "label": "海州区"},
        "contract_type": {"value": "development", "label": "技术开发"},
    }
    assert summed(after) == figures(after["totals"])

    await support.change(client, parties, contract, total_fen=150_000_000)  # deductions stay 20万
    changed = await tally(client, admin, **cut)
    assert moved(after["totals"], changed["totals"]) == (0, 30_000_000, 30_000_000, 0)
    assert moved(row(after, **development), row(changed, **development)) == (0, 30_000_000, 30_000_000, 0)

    # A change of type moves the contract's figures from one group to the other.
    await support.change(
        client, parties, contract, total_fen=150_000_000, contract_type="consulting", subtype="consulting"
    )
    retyped = await tally(client, admin, **cut)
    assert row(retyped, **development) == row(before, **development)
    assert moved(row(before, **consulting), row(retyped, **consulting)) == (1, 150_000_000, 130_000_000, 1)
    assert retyped["totals"] == changed["totals"]

    await support.cancel(client, parties, contract)
    cancelled = await tally(client, admin, **cut)
    assert cancelled["totals"] == before["totals"]
    assert cancelled["rows"] == before["rows"]  # rows whose figures are all zero are left out


async def test_output_counts_by_the_seller_absorption_by_the_buyer_outside_buyers_apart(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    parties = await contracts.parties(client, db)  # seller in 海州区, buyer in 赣榆区
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    city = await factories.region_id(client, factories.CITY_CODE)
    output_before = await tally(client, admin, by="region")
    absorption_before = await tally(client, admin, by="region", side="absorption")

    await support.register(client, parties)
    await support.register(
        client, parties, buyer=support.external_buyer(), total_fen=50_000_000, deductions=[]
    )

    output = await tally(client, admin, by="region")
    absorption = await tally(client, admin, by="region", side="absorption")
    assert (output["region_id"], output["side"]) == (city, "output")
    # Both are 产学研: a university sells to an enterprise.
    assert moved(row(output_before, region=haizhou), row(output, region=haizhou)) == (
        2,
        170_000_000,
        150_000_000,
        2,
    )
    assert moved(row(absorption_before, region=ganyu), row(absorption, region=ganyu)) == (
        1,
        120_000_000,
        100_000_000,
        1,
    )
    outside = row(absorption, region=None)
    assert outside is not None
    assert outside["keys"]["region"]["label"] == "市外"
    assert moved(row(absorption_before, region=None), outside) == (1, 50_000_000, 50_000_000, 1)
    # The districts (and 市外) add up to the city's totals, on either side.
    for body in (output, absorption):
        assert summed(body) == figures(body["totals"])
    assert output["totals"] == absorption["totals"]
    # A district's absorption: only buyers in it.
    haizhou_absorbed = await tally(client, admin, by="region", side="absorption", region_id=haizhou)
    assert row(haizhou_absorbed, region=None) is None

    english = await client.get(
        f"{URL}/tally",
        params={"by": "region,contract_type", "side": "absorption"},
        headers={**admin.headers, "Accept-Language": "en"},
    )
    labels = [r["keys"] for r in english.json()["rows"]]
    assert {"value": None, "label": "outside the network"} in [keys["region"] for keys in labels]
    assert {"value": "development", "label": "development"} in [keys["contract_type"] for keys in labels]


async def test_a_district_administrator_reads_its_district_only(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    root = await factories.admin(client, db)
    haizhou = await factories.region_id(client, factories.HAIZHOU_CODE)
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    zone = await client.post(
        "/api/v1/regions",
        json={"name": "海州测试园区", "level": "zone", "parent_id": haizhou},
        headers=root.headers,
    )
    assert zone.status_code == 201, zone.text
    zone_id = zone.json()["id"]
    in_haizhou = await contracts.parties(client, db)
    in_ganyu = await contracts.parties(client, db, seller_region=factories.GANYU_CODE)
    zone_owner = await factories.account(client, "zone")
    in_zone = await _seller_in(client, zone_owner, zone_id)
    zone_parties = contracts.Parties(
        zone_owner, in_zone, in_haizhou.buyer_owner, in_haizhou.buyer, in_haizhou.registrar
    )
    await support.register(client, in_haizhou)
    await support.register(client, in_ganyu, total_fen=70_000_000, deductions=[])
    await support.register(client, zone_parties, total_fen=40_000_000, deductions=[])

    city_view = await tally(client, root, by="region")
    haizhou_row = row(city_view, region=haizhou)
    assert figures(haizhou_row)[:2] == (2, 160_000_000)  # the zone rolls up into its district
    assert row(city_view, region=zone_id) is None

    district = await support.district_admin(client, db)
    own = await tally(client, district, by="region")
    assert own["region_id"] == haizhou
    assert [
        (r["keys"]["region"]["value"], r["keys"]["region"]["label"], r["count"]) for r in own["rows"]
    ] == [
        (haizhou, "海州区本级", 1),
        (zone_id, "海州测试园区", 1),
    ]
    assert figures(own["totals"]) == figures(haizhou_row)
    assert (await tally(client, district, by="region", region_id=zone_id))["totals"]["count"] == 1
    refused = await client.get(
        f"{URL}/tally", params={"by": "region", "region_id": ganyu}, headers=district.headers
    )
    assert_problem(refused, 403, "region_not_administered")
    # The city's own figures are not the district's to read either.
    city = await factories.region_id(client, factories.CITY_CODE)
    refused = await client.get(
        f"{URL}/tally", params={"by": "tech_field", "region_id": city}, headers=district.headers
    )
    assert_problem(refused, 403, "region_not_administered")


async def _seller_in(client: AsyncClient, owner: factories.Account, region_id: int) -> dict[str, object]:
    body = {
        "name": "连云港园区测试大学",
        "kind": "university",
        "legal_person_type": "022",
        "credit_code": factories.credit_code(),
        "region_id": region_id,
    }
    response = await client.post("/api/v1/organizations", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize("path", ["/tally", "/tally.csv", "/tally.xlsx", "/top", "/targets"])
async def test_only_administrators_read_statistics(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], path: str
) -> None:
    params = {"by": "region"} if path.startswith("/tally") else {}
    anonymous = await client.get(f"{URL}{path}", params=params)
    assert_problem(anonymous, 401, "not_authenticated")
    registrar = await factories.role_holder(client, db, PlatformRole.REGISTRAR, factories.HAIZHOU_CODE)
    for who in (await factories.account(client), registrar):
        refused = await client.get(f"{URL}{path}", params=params, headers=who.headers)
        assert_problem(refused, 403, "statistics_role_required")


async def test_periods_read_as_months_quarters_and_years(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], frozen: date
) -> None:
    admin = await support.city_admin(client, db)
    await support.register(client, await contracts.parties(client, db))
    year, month, quarter = frozen.year, frozen.month, (frozen.month + 2) // 3
    expected = {
        "month": (f"{year}-{month:02d}", f"{year}年{month}月", f"{year}-{month:02d}"),
        "quarter": (f"{year}-Q{quarter}", f"{year}年第{quarter}季度", f"{year}-Q{quarter}"),
        "year": (f"{year}", f"{year}年", f"{year}"),
    }
    for bucket, (value, chinese, english) in expected.items():
        body = await tally(client, admin, by="period", period=bucket)
        assert body["period"] == bucket
        assert [r["keys"]["period"] for r in body["rows"]] == [{"value": value, "label": chinese}]
        response = await client.get(
            f"{URL}/tally",
            params={"by": "period", "period": bucket},
            headers={**admin.headers, "Accept-Language": "en"},
        )
        assert response.json()["rows"][0]["keys"]["period"]["label"] == english
    day = frozen.isoformat()
    ranged = await tally(client, admin, by="period", **{"from": day, "to": day})
    assert (ranged["from"], ranged["to"]) == (day, day)
    assert ranged["totals"]["count"] == 1
    yesterday = (frozen - timedelta(days=1)).isoformat()
    before = await tally(client, admin, by="period", **{"from": "2000-01-01", "to": yesterday})
    assert before["rows"] == []
    assert before["totals"]["count"] == 0
    default = await tally(client, admin, by="period")
    assert (default["from"], default["to"]) == (f"{year}-01-01", f"{year}-12-31")


@pytest.mark.parametrize(
    ("params", "code", "fields"),
    [
        ({"by": "region,period,tech_field"}, "invalid_dimension", ["by"]),
        ({"by": "colour"}, "invalid_dimension", ["by"]),
        ({"by": "region", "year": 2026, "from": "2026-01-01", "to": "2026-02-01"}, "year_or_range", None),
        ({"by": "region", "from": "2026-01-01"}, "incomplete_range", ["to"]),
        ({"by": "region", "from": "2026-03-01", "to": "2026-02-01"}, "inverted_range", ["from", "to"]),
    ],
)
async def test_a_tally_that_means_nothing_is_a_422(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    params: dict[str, str | int],
    code: str,
    fields: list[str] | None,
) -> None:
    admin = await support.city_admin(client, db)
    response = await client.get(f"{URL}/tally", params=params, headers=admin.headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert {error["code"] for error in problem["errors"]} == {code}
    if fields is not None:
        assert [error["loc"][1] for error in problem["errors"]] == fields
