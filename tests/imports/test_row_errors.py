"""A dry run lists every row error with its spreadsheet row, the column as written and a stable code;
a real import of the same file is refused (422) and writes nothing."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement, Demand
from tests.achievements.support import owner_of
from tests.demands.support import poster
from tests.imports.support import ACHIEVEMENT_ROW, DEMAND_ROW, count, csv_bytes, table, upload, xlsx


def _bad_achievements() -> list[list[Any]]:
    rows = [
        ACHIEVEMENT_ROW,  # row 2 is fine
        ACHIEVEMENT_ROW | {"客户编号": "CG-3", "技术领域": "量子玄学"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-4", "联系电话": "12345"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-5", "专利": "201710601862.4（已授权）"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-6", "成果名称": None},
        ACHIEVEMENT_ROW | {"客户编号": "CG-7", "成果简介": '=HYPERLINK("http://evil.example","点击")'},
        ACHIEVEMENT_ROW | {"客户编号": "CG-8", "截止日期": "2027-13-45"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-9", "转让报价（元）": "12.345", "技术就绪度": "十"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-10", "技术就绪度": None, "成熟阶段": None},
    ]
    return table(rows)


EXPECTED = [
    (3, "技术领域", "invalid_choice"),
    (4, "联系电话", "invalid_phone"),
    (5, "专利", "invalid_patent_number"),
    (6, "成果名称", "required"),
    (7, "成果简介", "formula_injection"),
    (8, "截止日期", "invalid_date"),
    (9, "技术就绪度", "invalid_number"),
    (9, "转让报价（元）", "invalid_money"),
    (10, None, "invalid_row"),
]


def _found(errors: list[dict[str, Any]]) -> list[tuple[int, str | None, str]]:
    return sorted(((e["row"], e["column"], e["code"]) for e in errors), key=lambda e: (e[0], e[1] or ""))


async def test_a_dry_run_lists_every_row_error(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await owner_of(client)
    response = await upload(client, owner, "achievements", org["id"], xlsx(_bad_achievements()), dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["status"] == "failed"
    assert report["total_rows"] == 9
    assert report["error_count"] == len(EXPECTED)
    assert _found(report["errors"]) == sorted(EXPECTED, key=lambda e: (e[0], e[1] or ""))
    assert all(error["message"] for error in report["errors"])
    assert await count(db, Achievement, org["id"]) == 0


async def test_a_real_import_of_a_bad_file_is_refused_whole(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await owner_of(client)
    response = await upload(client, owner, "achievements", org["id"], xlsx(_bad_achievements()))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "import_rejected"
    assert _found(problem["row_errors"]) == sorted(EXPECTED, key=lambda e: (e[0], e[1] or ""))
    assert await count(db, Achievement, org["id"]) == 0  # row 2 was fine, and is not stored either


async def test_one_failing_row_writes_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    rows = [DEMAND_ROW | {"客户编号": f"XQ-{n}"} for n in range(1, 6)]
    rows[3] = rows[3] | {"合作方式": "合作开发；以物易物"}
    response = await upload(client, owner, "demands", org["id"], csv_bytes(table(rows)), filename="d.csv")
    assert response.status_code == 422, response.text
    assert _found(response.json()["row_errors"]) == [(5, "合作方式", "invalid_choice")]
    assert await count(db, Demand, org["id"]) == 0


async def test_headers_in_english_and_header_errors(client: AsyncClient) -> None:
    owner, org = await poster(client)
    english = {
        "client_key": "XQ-EN",
        "title": "海水淡化膜组件国产化需求",
        "description": "需要反渗透海水淡化膜组件的国产化替代方案，降低制水成本。",
        "tech_field": "环境保护与资源综合利用",
        "demand_type": "technical_renovation",
        "cooperation_modes": "joint_development",
        "budget_max_yuan": "面议",
    }
    response = await upload(client, owner, "demands", org["id"], xlsx(table([english])), dry_run=True)
    assert response.json()["errors"] == []
    assert response.json()["created_count"] == 1
    wrong = table([DEMAND_ROW | {"颜色": "红", "标题": "x"}])
    response = await upload(client, owner, "demands", org["id"], xlsx(wrong), dry_run=True)
    codes = {(e["row"], e["column"], e["code"]) for e in response.json()["errors"]}
    assert codes == {(1, "颜色", "unknown_column"), (1, "标题", "duplicate_column")}


async def test_rules_across_columns_and_duplicates_in_the_file(client: AsyncClient) -> None:
    owner, org = await poster(client)
    rows = [
        DEMAND_ROW | {"意向投入下限（元）": "900000", "意向投入上限（元）": "100000"},
        DEMAND_ROW | {"客户编号": "XQ-2"},
        DEMAND_ROW | {"客户编号": "XQ-2", "需求名称": "另一个需求的名称"},
    ]
    response = await upload(client, owner, "demands", org["id"], xlsx(table(rows)), dry_run=True)
    errors = response.json()["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (2, None, "invalid_row"),
        (4, "客户编号", "duplicate_client_key"),
    ]
    assert "budget_min_fen" in errors[0]["message"]
