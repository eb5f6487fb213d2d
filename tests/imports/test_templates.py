"""The published templates, a template filled in and imported, exported, and re-imported: the same
file twice creates nothing new."""

from __future__ import annotations

import io

import openpyxl
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement, Demand
from tests.achievements.support import owner_of
from tests.demands.support import poster
from tests.imports.support import (
    ACHIEVEMENT_ROW,
    DEMAND_ROW,
    URL,
    XLSX,
    count,
    csv_bytes,
    read_csv,
    read_xlsx,
    table,
    upload,
    xlsx,
)


async def test_the_csv_template_is_the_header_row(client: AsyncClient) -> None:
    response = await client.get(f"{URL}/templates/demands", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="demands-template.csv"' in response.headers["content-disposition"]
    assert read_csv(response.content) == [
        [
            "客户编号", "需求名称", "需求描述", "技术领域", "本地产业", "需求类型", "合作方式",
            "意向投入下限（元）", "意向投入上限（元）", "关键词", "截止日期", "所在地区", "保密级别",
            "保密内容", "联系人", "联系电话",
        ]
    ]  # fmt: skip


async def test_a_filled_in_xlsx_template_round_trips(client: AsyncClient) -> None:
    response = await client.get(f"{URL}/templates/achievements")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    headers = [str(cell.value) for cell in sheet[1]]
    assert headers == list(ACHIEVEMENT_ROW)  # the test row is laid out as the template
    assert sheet.data_validations.dataValidation, "choice columns get drop-down lists"
    assert [row[0].value for row in notes.iter_rows(min_row=2)] == headers
    sheet.append([ACHIEVEMENT_ROW[header] for header in headers])
    filled = io.BytesIO()
    workbook.save(filled)

    owner, org = await owner_of(client)
    response = await upload(client, owner, "achievements", org["id"], filled.getvalue())
    assert response.status_code == 201, response.text
    exported = await client.get(
        "/api/v1/achievements/export", params={"scope": "mine", "format": "xlsx"}, headers=owner.headers
    )
    rows = read_xlsx(exported.content)
    assert rows[0][: len(headers)] == headers
    # Read-only mode drops empty trailing cells.
    values = dict(zip(rows[0], rows[1], strict=False))
    assert values["客户编号"] == "CG-001"
    assert values["成熟阶段"] == "中期/中试"
    assert values["转化方式"] == "转让；许可"
    assert values["转让报价（元）"] == 3_000_000
    assert values["专利"] == "201710601862.3（已授权）"
    assert values["团队成员"] == "李明/教授/项目负责人；王芳/副教授"
    assert values["所在地区"] == "海州区"
    assert values["状态"] == "草稿"
    assert str(values["成果编号"]).startswith("CG")


async def test_importing_the_same_file_again_creates_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await poster(client)
    rows = [DEMAND_ROW | {"客户编号": f"XQ-{n}"} for n in range(3)]
    rows.append(DEMAND_ROW | {"客户编号": None, "需求名称": "没有客户编号的需求"})
    content = xlsx(table(rows))
    first = await upload(client, owner, "demands", org["id"], content)
    assert (first.json()["created_count"], first.json()["skipped_count"]) == (4, 0)
    again = await upload(client, owner, "demands", org["id"], content)
    assert again.status_code == 201, again.text
    assert (again.json()["created_count"], again.json()["skipped_count"]) == (0, 4)
    assert await count(db, Demand, org["id"]) == 4
    # A row without a client_key is keyed by its content: changed, it is a new row.
    rows[-1] = rows[-1] | {"需求名称": "改过名称的需求"}
    changed = await upload(client, owner, "demands", org["id"], xlsx(table(rows)), dry_run=True)
    assert (changed.json()["created_count"], changed.json()["skipped_count"]) == (1, 3)


async def test_re_importing_an_export_creates_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, org = await owner_of(client)
    rows = [ACHIEVEMENT_ROW | {"客户编号": f"CG-{n}"} for n in range(3)]
    await upload(client, owner, "achievements", org["id"], csv_bytes(table(rows)), filename="a.csv")
    exported = await client.get(
        "/api/v1/achievements/export", params={"scope": "mine", "format": "csv"}, headers=owner.headers
    )
    response = await upload(client, owner, "achievements", org["id"], exported.content, filename="a.csv")
    assert response.status_code == 201, response.text
    assert (response.json()["created_count"], response.json()["skipped_count"]) == (0, 3)
    assert await count(db, Achievement, org["id"]) == 3
