"""Exports: any filtered list as CSV or XLSX, streamed, with the list's visibility, and cells that a
spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import io

import openpyxl
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements import support as achievements
from tests.conftest import Indexed, run_until_idle
from tests.demands import support as demands
from tests.imports.support import DEMAND_ROW, XLSX, csv_bytes, read_csv, read_xlsx, table, upload

EXPORT = "/api/v1/achievements/export"


async def _published_formula_listing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> tuple[factories.Account, dict[str, object]]:
    reviewer = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    owner, org = await achievements.owner_of(client)
    published = await achievements.published(
        client,
        reviewer,
        owner,
        org["id"],
        title='=HYPERLINK("http://evil.example","点击")',
        keywords=["@SUM(A1)", "+1"],
        contact_name="-张老师",
    )
    await indexed()
    return owner, published


async def test_formula_cells_are_neutralised_in_csv_and_xlsx(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    await _published_formula_listing(client, db, indexed)
    csv_export = await client.get(EXPORT, params={"format": "csv", "q": "HYPERLINK"})
    assert csv_export.status_code == 200, csv_export.text
    header, row = read_csv(csv_export.content)
    values = dict(zip(header, row, strict=True))
    assert values["成果名称"] == '\'=HYPERLINK("http://evil.example","点击")'
    assert values["关键词"] == "'@SUM(A1)；+1"
    assert values["联系人"] == "'-张老师"
    assert values["技术就绪度"] == "6"  # numbers are not touched

    xlsx_export = await client.get(EXPORT, params={"format": "xlsx", "q": "HYPERLINK"})
    assert xlsx_export.headers["content-type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_export.content)).worksheets[0]
    title = sheet.cell(2, 2)
    assert title.value == '\'=HYPERLINK("http://evil.example","点击")'
    assert title.data_type == "s"  # text, not a formula
    trl = 1 + [cell.value for cell in sheet[1]].index("技术就绪度")
    assert sheet.cell(2, trl).value == 6


async def test_the_export_shows_what_the_list_shows(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    owner, published = await _published_formula_listing(client, db, indexed)
    anonymous = await client.get(EXPORT, params={"format": "csv", "q": "HYPERLINK"})
    header, row = read_csv(anonymous.content)
    seen = dict(zip(header, row, strict=True))
    assert seen["联系电话"] == "139****5678"
    assert seen["保密内容"] == ""
    assert seen["客户编号"] == ""
    assert seen["状态"] == "已发布"
    assert seen["成果编号"] == published["number"]

    own = await client.get(EXPORT, params={"format": "csv", "scope": "mine"}, headers=owner.headers)
    header, row = read_csv(own.content)
    mine = dict(zip(header, row, strict=True))
    assert mine["联系电话"] == "13912345678"
    assert mine["保密内容"].startswith("配方")


async def test_filters_scopes_and_file_names(client: AsyncClient) -> None:
    owner, org = await demands.poster(client)
    await demands.create(client, owner, org["id"], title="海水淡化膜组件国产化需求", tech_field="environment")
    await demands.create(client, owner, org["id"])
    response = await client.get(
        "/api/v1/demands/export",
        params={"scope": "mine", "tech_field": "environment", "format": "xlsx"},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith('attachment; filename="demands-')
    rows = read_xlsx(response.content)
    assert [row[1] for row in rows[1:]] == ["海水淡化膜组件国产化需求"]
    # Drafts are nobody else's business, exported or not.
    public = read_csv((await client.get("/api/v1/demands/export", params={"format": "csv"})).content)
    assert all(row[1] != "海水淡化膜组件国产化需求" for row in public[1:])
    refused = await client.get("/api/v1/demands/export", params={"scope": "mine"})
    assert refused.status_code == 401
    invalid = await client.get("/api/v1/demands/export", params={"format": "pdf"})
    assert invalid.status_code == 422


async def test_a_large_export_streams_in_batches(app: FastAPI, client: AsyncClient) -> None:
    owner, org = await demands.poster(client)
    rows = [DEMAND_ROW | {"客户编号": f"XQ-{n}", "需求名称": f"批量需求第{n}号"} for n in range(1, 1102)]
    response = await upload(client, owner, "demands", org["id"], csv_bytes(table(rows)), filename="d.csv")
    assert response.status_code in (201, 202), response.text
    if response.status_code == 202:  # over the job threshold
        await run_until_idle(app)
    export = await client.get(
        "/api/v1/demands/export",
        params={"scope": "mine", "format": "csv", "sort": "title"},
        headers=owner.headers,
    )
    exported = read_csv(export.content)
    assert len(exported) == 1 + 1101  # three batches of the export
    assert {row[0] for row in exported[1:]} == {f"XQ-{n}" for n in range(1, 1102)}


async def test_a_formula_behind_a_control_character_is_neutralised_in_the_anonymous_export(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    """XLSX cannot hold \\u0001, so it is removed on writing: the check must read what is written."""
    owner, org = await achievements.owner_of(client)
    reviewer = await factories.admin(client, db)
    hidden = '\u0001=HYPERLINK("http://evil.example","点击")'
    await achievements.published(client, reviewer, owner, org["id"], title=hidden)
    await indexed()
    xlsx_export = await client.get(EXPORT, params={"format": "xlsx", "q": "HYPERLINK"})
    assert xlsx_export.status_code == 200, xlsx_export.text
    title = openpyxl.load_workbook(io.BytesIO(xlsx_export.content)).worksheets[0].cell(2, 2)
    assert title.data_type == "s"
    assert title.value == '\'=HYPERLINK("http://evil.example","点击")'
    csv_export = await client.get(EXPORT, params={"format": "csv", "q": "HYPERLINK"})
    header, row = read_csv(csv_export.content)
    assert dict(zip(header, row, strict=True))["成果名称"] == "'" + hidden
