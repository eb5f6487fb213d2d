"""Files that are not what they claim, too large, or in another encoding: a clear 4xx, never a 500;
GBK and UTF-8 (with or without BOM) CSV import alike."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Demand
from tests.demands.support import poster
from tests.imports.support import DEMAND_ROW, count, csv_bytes, table, upload, xlsx


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
async def test_csv_in_each_encoding_imports(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], encoding: str
) -> None:
    owner, org = await poster(client)
    content = csv_bytes(table([DEMAND_ROW]), encoding=encoding)
    response = await upload(
        client, owner, "demands", org["id"], content, filename="需求.csv", content_type="text/csv"
    )
    assert response.status_code == 201, response.text
    assert response.json()["created_count"] == 1
    listed = await client.get("/api/v1/demands", params={"scope": "mine"}, headers=owner.headers)
    assert listed.json()["items"][0]["title"] == DEMAND_ROW["需求名称"]  # Chinese intact
    assert listed.json()["items"][0]["budget_max_fen"] == 200_000_050
    assert await count(db, Demand, org["id"]) == 1


async def _refused(client: AsyncClient, filename: str, content: bytes, status: int, code: str) -> None:
    owner, org = await poster(client)
    response = await upload(client, owner, "demands", org["id"], content, filename=filename, dry_run=True)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


async def test_an_xlsx_that_is_really_text(client: AsyncClient) -> None:
    await _refused(client, "listings.xlsx", "标题,描述\n一,二\n".encode(), 422, "not_xlsx")


async def test_a_zip_that_is_no_workbook(client: AsyncClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    await _refused(client, "listings.xlsx", buffer.getvalue(), 422, "not_xlsx")


async def test_a_damaged_workbook(client: AsyncClient) -> None:
    content = bytearray(xlsx(table([DEMAND_ROW])))
    content[len(content) // 2 : len(content) // 2 + 200] = b"\x00" * 200
    await _refused(client, "listings.xlsx", bytes(content), 422, "invalid_file")


async def test_a_binary_csv(client: AsyncClient) -> None:
    await _refused(client, "listings.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 422, "binary_file")


async def test_a_csv_no_encoding_reads(client: AsyncClient) -> None:
    # Valid in neither UTF-8 nor GB18030: a lone lead byte at the end.
    await _refused(client, "listings.csv", "标题\n一".encode("gbk") + b"\x81", 422, "undecodable_file")


async def test_other_file_types(client: AsyncClient) -> None:
    await _refused(client, "listings.xls", b"\xd0\xcf\x11\xe0", 415, "unsupported_file_type")


async def test_an_empty_file(client: AsyncClient) -> None:
    await _refused(client, "listings.csv", b"\xef\xbb\xbf\r\n,,\r\n", 422, "empty_file")


async def test_a_file_over_the_size_limit(
    client: AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "import_max_bytes", 2048)
    content = csv_bytes(table([DEMAND_ROW | {"需求描述": "很长的需求描述" * 200}]))
    await _refused(client, "listings.csv", content, 413, "payload_too_large")


async def test_more_rows_than_allowed(
    client: AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "import_max_rows", 2)
    content = csv_bytes(table([DEMAND_ROW | {"客户编号": str(n)} for n in range(3)]))
    await _refused(client, "listings.csv", content, 413, "too_many_rows")


async def test_an_upload_beyond_the_body_limit_is_refused_before_it_is_read(
    client: AsyncClient, app: FastAPI
) -> None:
    owner, org = await poster(client)
    limit: int = app.state.settings.import_max_bytes
    response = await upload(
        client, owner, "demands", org["id"], b"x" * (limit + 128 * 1024), filename="big.csv"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_only_members_import_for_an_organization(client: AsyncClient) -> None:
    _, org = await poster(client)
    stranger, _ = await poster(client)
    content = csv_bytes(table([DEMAND_ROW]))
    response = await upload(client, stranger, "demands", org["id"], content, filename="d.csv")
    assert response.status_code == 403
    assert response.json()["code"] == "not_member"
    response = await upload(client, None, "demands", org["id"], content, filename="d.csv")
    assert response.status_code == 401


def _sparse_xlsx(far_cell: str) -> bytes:
    """A tiny workbook: the template's header in row 1 and one stray cell far away."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for column, header in enumerate(table([DEMAND_ROW])[0], start=1):
        sheet.cell(1, column, header)
    sheet[far_cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("far_cell", ["AZ400000", "GT2"])  # far below; column 202, past MAX_COLUMNS
async def test_a_stray_far_cell_is_refused_before_the_sheet_is_read(
    client: AsyncClient, far_cell: str
) -> None:
    """Read as a rectangle from A1, AZ400000 would be twenty million cells (45 s and 820 MB before):
    the references are scanned first and the file refused."""
    content = _sparse_xlsx(far_cell)
    assert len(content) < 10_000
    await _refused(client, "demands.xlsx", content, 413, "sheet_too_large")


async def test_a_csv_record_too_wide_or_too_long_is_refused(client: AsyncClient) -> None:
    header = table([DEMAND_ROW])[0]
    wide = csv_bytes([header, ["x"] * 300])
    await _refused(client, "wide.csv", wide, 413, "record_too_large")
    long = csv_bytes([header, ["长" * 110_000, "长" * 110_000]])  # each cell under csv's own limit
    await _refused(client, "long.csv", long, 413, "record_too_large")


async def test_blank_rows_within_the_allowance_still_import(client: AsyncClient) -> None:
    owner, org = await poster(client)
    rows = table([DEMAND_ROW])
    content = xlsx([rows[0], *([[None]] * 500), rows[1]])
    response = await upload(client, owner, "demands", org["id"], content, filename="需求.xlsx", dry_run=True)
    assert response.status_code == 200, response.text
    assert response.json()["error_count"] == 0
