"""The tally as CSV and XLSX reads back to the same numbers as the JSON answer."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FixedClock, SystemClock, use_clock
from app.tabular.reading import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, FileFormat, read_sheet
from tests.contracts import support as contracts
from tests.statistics import support
from tests.statistics.support import URL, tally

HEADERS_ZH = [
    "地区",
    "合同类型",
    "合同数",
    "成交额（分）",
    "成交额（万元）",
    "技术交易额（分）",
    "技术交易额（万元）",
    "产学研合同数",
]
HEADERS_EN = [
    "region",
    "contract_type",
    "count",
    "total_fen",
    "total_wan_yuan",
    "technical_income_fen",
    "technical_income_wan_yuan",
    "iur_count",
]


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with use_clock(FixedClock(SystemClock().now())):
        yield


def _expected(body: dict[str, Any], by: list[str], total_label: str) -> list[list[Any]]:
    def line(labels: list[str], figures: dict[str, Any]) -> list[Any]:
        count, total, income, iur = support.figures(figures)
        return [*labels, count, total, _wan(total), income, _wan(income), iur]

    rows = [line([r["keys"][d]["label"] for d in by], r) for r in body["rows"]]
    return [*rows, line([total_label, *[""] * (len(by) - 1)], body["totals"])]


def _wan(fen: int) -> Decimal:
    return (Decimal(fen) / 1_000_000).quantize(Decimal("0.01"))


def _number(cell: Any) -> Any:
    """A cell as read back: CSV gives text, XLSX numbers."""
    if isinstance(cell, str) and cell.lstrip("-").replace(".", "", 1).isdigit():
        return Decimal(cell) if "." in cell else int(cell)
    if isinstance(cell, float):
        return Decimal(str(cell)).quantize(Decimal("0.01"))
    return "" if cell is None else cell


async def _registered(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    parties = await contracts.parties(client, db)
    await support.register(client, parties)
    await support.register(
        client, parties, total_fen=1_234_567, deductions=[], contract_type="consulting", subtype="consulting"
    )
    await support.register(
        client, parties, buyer=support.external_buyer(), total_fen=98_765_432, deductions=[]
    )


@pytest.mark.parametrize("file_format", [FileFormat.CSV, FileFormat.XLSX])
async def test_the_files_read_back_to_the_tally(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], file_format: FileFormat
) -> None:
    admin = await support.city_admin(client, db)
    await _registered(client, db)
    params = {"by": "region,contract_type", "side": "absorption"}
    body = await tally(client, admin, **params)
    assert len(body["rows"]) >= 3

    response = await client.get(f"{URL}/tally.{file_format.value}", params=params, headers=admin.headers)
    assert response.status_code == 200, response.text
    media_type = CSV_MEDIA_TYPE if file_format is FileFormat.CSV else XLSX_MEDIA_TYPE
    assert response.headers["content-type"].startswith(media_type)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="tally-region-contract_type-absorption-')
    assert disposition.endswith(f'.{file_format.value}"')
    sheet = read_sheet(response.content, file_format, max_rows=1000)
    assert sheet.headers == HEADERS_ZH
    read = [[_number(cell) for cell in cells] for _, cells in sheet.rows]
    assert read == _expected(body, ["region", "contract_type"], "合计")
    assert "市外" in [cells[0] for cells in read]


async def test_the_files_speak_english_on_request(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    await _registered(client, db)
    english = {**admin.headers, "Accept-Language": "en"}
    params = {"by": "region,contract_type"}
    body = (await client.get(f"{URL}/tally", params=params, headers=english)).json()
    response = await client.get(f"{URL}/tally.xlsx", params=params, headers=english)
    workbook = load_workbook(filename=io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Technology contracts"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS_EN
    assert [[_number(cell) for cell in row] for row in rows[1:]] == _expected(
        body, ["region", "contract_type"], "Total"
    )
