"""The spreadsheet columns demands and achievements share (see app.tabular.columns)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from app.core.enums import Confidentiality, ListingStatus, LocalIndustry, TechField
from app.core.i18n import msg
from app.tabular import cells
from app.tabular.cells import CellValue
from app.tabular.columns import Column, Lookups, choice_column, export_only, fen_to_yuan, simple
from app.tabular.errors import CellError

REGIONS = "regions"
_EXPIRED_LABEL = "已过期"
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def client_key() -> Column:
    return simple(
        "client_key",
        "客户编号",
        cells.as_text,
        note="你方系统里这一行的唯一编号（至多100字）。再次导入同一文件时，已导入的编号会被跳过；"
        "留空则按整行内容生成",
    )


def title(header: str) -> Column:
    column = simple("title", header, cells.as_text, required=True, note="2–200字")
    return replace(column, aliases=("标题", "名称"))


def tech_field() -> Column:
    return choice_column(
        "tech_field", "技术领域", TechField, required=True, note="国家技术市场统计的11个技术领域之一："
    )


def local_industry() -> Column:
    return choice_column(
        "local_industry",
        "本地产业",
        LocalIndustry,
        note="留空则按技术领域归入对应的本地产业（见 GET /api/v1/industry-mappings）；"
        "或直接填本市重点产业之一：",
    )


def _region(cell: CellValue, lookups: Lookups) -> dict[str, Any]:
    text = cells.as_text(cell)
    if text is cells.MISSING:
        return {}
    region = lookups.get(REGIONS, {}).get(str(text))
    if region is None:
        raise CellError(
            "unknown_region", msg("'{text}' is not a region code (e.g. 320706) or name (海州区)", text=text)
        )
    return {"region_id": region}


def region() -> Column:
    return Column(
        "region",
        "所在地区",
        ("region_id",),
        _region,
        lambda values: values.get("region_name"),
        note="行政区划代码（如320706）或名称（如海州区）；留空为本单位所在地区",
    )


def shared_tail() -> list[Column]:
    """The columns after a kind's own: keywords, deadline, region, confidentiality, contact."""
    return [
        simple("keywords", "关键词", cells.as_list, note="至多12个，以“；”或“、”分隔"),
        simple("valid_until", "截止日期", cells.as_date, note="如 2027-06-30；过期后不再公开展示"),
        region(),
        choice_column("confidentiality", "保密级别", Confidentiality, note="留空为公开："),
        simple("confidential_detail", "保密内容", cells.as_text, note="只对本单位和获准查看的单位可见"),
        simple("contact_name", "联系人", cells.as_text),
        simple(
            "contact_phone",
            "联系电话",
            cells.as_phone,
            error_code="invalid_phone",
            note="手机号（如13812345678）或带区号的固定电话（如0518-85427978，分机写作-123）；公开展示时部分隐去",
        ),
    ]


def _status(value: Any) -> CellValue:
    if value is None:
        return None
    return _EXPIRED_LABEL if value == "expired" else ListingStatus(value).label


def _local_time(value: Any) -> CellValue:
    # Spreadsheets have no time zones: China Standard Time, which is what readers here expect.
    return value.astimezone(CHINA_TIME).replace(tzinfo=None) if isinstance(value, datetime) else None


def export_tail(number_header: str) -> list[Column]:
    """Columns only an export has: the local industries it counts under, the public number, the
    status, when it was published."""
    return [
        export_only("local_industries", "所属本地产业"),
        export_only("number", number_header),
        export_only("effective_status", "状态", _status),
        export_only("published_at", "发布时间", _local_time),
    ]


def negotiable_money(key: str, header: str, amount_field: str, flag_field: str, note: str) -> Column:
    """An amount in yuan filling `amount_field` (fen), or 面议 setting `flag_field`."""

    def parse(cell: CellValue, _lookups: Lookups) -> dict[str, Any]:
        value = cells.fen_or_negotiable(cell)
        if value is cells.MISSING:
            return {}
        return {flag_field: True} if value is True else {amount_field: value}

    def render(values: Mapping[str, Any]) -> CellValue:
        if values.get(flag_field):
            return "面议"
        return fen_to_yuan(values.get(amount_field))

    return Column(
        key, header, (amount_field, flag_field), parse, render, note=note, error_code="invalid_money"
    )
