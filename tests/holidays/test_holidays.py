"""The official calendar: seeded from chinese-calendar, loaded by administrators, used for deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.workdays import CalendarYearMissing, OfficialCalendar
from tests import factories

NEW_YEAR_2031 = [
    {"day": "2031-01-01", "kind": "holiday", "name": "元旦"},
    {"day": "2031-01-04", "kind": "workday", "name": "元旦"},
]


def test_working_days_skip_holidays_and_count_makeup_days() -> None:
    calendar = OfficialCalendar(
        holidays={date(2026, 10, d) for d in range(1, 8)},
        makeup_workdays={date(2026, 10, 10)},
        loaded_years={2026},
    )
    # Wed 30 Sep + 3: 1–7 Oct are holidays, Thu 8 and Fri 9 count, Sat 10 is a make-up working day.
    assert calendar.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert calendar.add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)
    with pytest.raises(CalendarYearMissing):
        calendar.add_working_days(date(2026, 12, 30), 5)


async def test_seeded_years_cover_2004_onwards(client: AsyncClient) -> None:
    years = [
        entry["year"]
        for entry in (await client.get("/api/v1/holidays/years", params={"limit": 100})).json()["items"]
    ]
    assert years[0] == 2004
    assert set(range(2004, 2027)) <= set(years)
    detail = (await client.get("/api/v1/holidays/years/2026")).json()
    national_day = [d for d in detail["days"] if d["day"] == "2026-10-01"]
    assert national_day == [{"day": "2026-10-01", "kind": "holiday", "name": "国庆节"}]
    assert detail["source"].startswith("chinese-calendar")


async def test_deadline_over_national_day(client: AsyncClient) -> None:
    response = await client.get("/api/v1/holidays/working-days", params={"start": "2026-09-30", "count": 3})
    assert response.status_code == 200
    assert response.json()["due"] == "2026-10-10"


async def test_deadline_into_an_unloaded_year_is_refused(client: AsyncClient) -> None:
    response = await client.get("/api/v1/holidays/working-days", params={"start": "2040-12-20", "count": 15})
    assert response.status_code == 404
    assert response.json()["code"] == "calendar_year_missing"


async def test_admin_loads_a_new_year_and_replaces_it_with_if_match(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    created = await client.put(
        "/api/v1/holidays/years/2031", json={"days": NEW_YEAR_2031}, headers=admin.headers
    )
    assert created.status_code == 200, created.text
    etag = created.headers["ETag"]

    missing = await client.put("/api/v1/holidays/years/2031", json={"days": []}, headers=admin.headers)
    assert missing.status_code == 428
    replaced = await client.put(
        "/api/v1/holidays/years/2031",
        json={"days": NEW_YEAR_2031[:1]},
        headers={**admin.headers, "If-Match": etag},
    )
    assert replaced.status_code == 200
    stale = await client.put(
        "/api/v1/holidays/years/2031", json={"days": []}, headers={**admin.headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    days = (await client.get("/api/v1/holidays/years/2031")).json()["days"]
    assert [d["day"] for d in days] == ["2031-01-01"]

    audit = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "calendar_year", "entity_id": "2031"},
        headers=admin.headers,
    )
    assert [event["action"] for event in audit.json()["items"]] == [
        "calendar.load_year",
        "calendar.load_year",
    ]


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        ([{"day": "2030-01-01", "kind": "holiday", "name": "元旦"}], "不在 2031 年"),
        ([{"day": "2031-01-06", "kind": "workday", "name": "元旦"}], "是工作日"),
        ([NEW_YEAR_2031[0], NEW_YEAR_2031[0]], "填写了两次"),
    ],
)
async def test_bad_calendar_days_are_refused(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], days: list[dict[str, str]], reason: str
) -> None:
    admin = await factories.admin(client, db)
    response = await client.put("/api/v1/holidays/years/2031", json={"days": days}, headers=admin.headers)
    assert response.status_code == 422
    assert reason in response.json()["detail"]
    assert response.json()["errors"][0]["loc"][:3] == [
        "body",
        "days",
        len(days) - 1 if reason == "填写了两次" else 0,
    ]
    assert (await client.get("/api/v1/holidays/years/2031")).status_code == 404


async def test_only_administrators_load_calendars(client: AsyncClient) -> None:
    user = await factories.account(client)
    response = await client.put(
        "/api/v1/holidays/years/2031", json={"days": NEW_YEAR_2031}, headers=user.headers
    )
    assert response.status_code == 403
    anonymous = await client.post("/api/v1/holidays/years/2026/from-package")
    assert anonymous.status_code == 401


async def test_loading_from_the_package(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    admin = await factories.admin(client, db)
    absent = await client.post("/api/v1/holidays/years/2099/from-package", headers=admin.headers)
    assert absent.status_code == 404
    assert absent.json()["code"] == "year_not_in_package"
    current = await client.get("/api/v1/holidays/years/2026")
    reloaded = await client.post(
        "/api/v1/holidays/years/2026/from-package",
        headers={**admin.headers, "If-Match": current.headers["ETag"]},
    )
    assert reloaded.status_code == 200
    assert (await client.get("/api/v1/holidays/years/2026")).json()["days"] == current.json()["days"]
