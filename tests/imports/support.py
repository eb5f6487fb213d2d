"""Helpers for the import and export tests: spreadsheets made in memory, uploads, stored counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl
from httpx import AsyncClient, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement, Demand
from tests.factories import Account

URL = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# One valid row of each kind, by Chinese header.
ACHIEVEMENT_ROW: dict[str, Any] = {
    "客户编号": "CG-001",
    "成果名称": "锂离子电池硅碳负极材料制备技术",
    "成果简介": "一种高容量硅碳复合负极材料及其制备方法，显著提升锂离子电池的能量密度和循环寿命。",
    "公开摘要": "硅碳负极材料，比容量高。",
    "技术领域": "新能源与高效节能",
    "本地产业": "",
    "应用行业": "动力电池；储能",
    "技术就绪度": 6,
    "成熟阶段": "中试",
    "成果水平": "国内领先",
    "知识产权形式": "发明专利",
    "专利": "201710601862.3（已授权）",
    "转化方式": "转让、许可",
    "转让报价（元）": "3000000",
    "团队成员": "李明/教授/项目负责人；王芳/副教授",
    "技术指标": "首次效率≥90%",
    "市场前景": "面向动力电池企业",
    "关键词": "负极材料；硅碳",
    "截止日期": "",
    "所在地区": "",
    "保密级别": "公开",
    "保密内容": "",
    "联系人": "张老师",
    "联系电话": "13912345678",
}
DEMAND_ROW: dict[str, Any] = {
    "客户编号": "XQ-001",
    "需求名称": "锂电池负极材料产业化技术需求",
    "需求描述": "我公司需要高容量硅碳负极材料的制备工艺，提升锂离子电池能量密度。",
    "技术领域": "new_energy",
    "需求类型": "关键技术研发",
    "合作方式": "合作开发；技术转让",
    "意向投入下限（元）": "500000",
    "意向投入上限（元）": "2,000,000.50",
    "关键词": "负极材料、硅碳",
    "联系人": "王工",
    "联系电话": "13812345678",
}


def table(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    """A header row (the first row's keys) and the rows' values."""
    headers = list(rows[0])
    return [headers, *([row.get(header) for header in headers] for row in rows)]


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    """A workbook of `rows`; text starting with = stays text (openpyxl would write a formula)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(number, column, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if value is None else value for value in row] for row in rows])
    return buffer.getvalue().encode(encoding)


async def upload(
    client: AsyncClient,
    who: Account | None,
    kind: str,
    organization_id: object,
    content: bytes,
    *,
    filename: str = "listings.xlsx",
    dry_run: bool = False,
    content_type: str = XLSX,
) -> Response:
    return await client.post(
        URL,
        data={"kind": kind, "organization_id": str(organization_id), "dry_run": str(dry_run).lower()},
        files={"file": (filename, content, content_type)},
        headers=who.headers if who else None,
    )


async def count(
    db: async_sessionmaker[AsyncSession], model: type[Demand] | type[Achievement], org: object
) -> int:
    async with db() as session:
        statement = select(func.count()).select_from(model).where(model.organization_id == int(str(org)))
        return int(await session.scalar(statement) or 0)


def read_xlsx(content: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV exports start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
