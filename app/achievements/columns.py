"""The spreadsheet columns of an achievement: its import template and its export."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.core.enums import AchievementLevel, IpForm, MaturityStage, PatentStatus, TransferMode
from app.core.i18n import msg
from app.listings import columns as shared
from app.tabular import cells
from app.tabular.cells import CellValue, Choices
from app.tabular.columns import Column, Lookups, Spec, choice_column, simple
from app.tabular.errors import CellError

_PATENT = re.compile(r"^(?P<number>[^（(]+?)\s*(?:[（(]\s*(?P<status>[^）)]*?)\s*[）)])?$")
_STATUSES = Choices(PatentStatus)
_TEAM_PARTS = 3


def _patents(cell: CellValue, _lookups: Lookups) -> dict[str, Any]:
    items = cells.as_list(cell)
    if not isinstance(items, list):
        return {}
    patents = []
    for item in items:
        match = _PATENT.match(item)
        if match is None:
            raise CellError(
                "invalid_patent_number", msg("'{item}': write 201710601862.3（已授权）", item=item)
            )
        patent: dict[str, Any] = {"application_number": match["number"]}
        if match["status"]:
            patent["status"] = _STATUSES.find(match["status"])
        patents.append(patent)
    return {"patents": patents}


def _render_patents(values: Mapping[str, Any]) -> CellValue:
    patents = values.get("patents") or []
    return "；".join(f"{p.application_number}（{p.status.label}）" for p in patents) or None


def _team(cell: CellValue, _lookups: Lookups) -> dict[str, Any]:
    items = cells.as_list(cell)
    if not isinstance(items, list):
        return {}
    team = []
    for item in items:
        parts = [part.strip() for part in item.split("/")]
        if len(parts) > _TEAM_PARTS or not parts[0]:
            raise CellError(
                "invalid_team", msg("'{item}': write 姓名/职称/分工, e.g. 李明/教授/项目负责人", item=item)
            )
        member = dict(zip(("name", "title", "role"), parts, strict=False))
        team.append({key: value for key, value in member.items() if value})
    return {"team": team}


def _render_team(values: Mapping[str, Any]) -> CellValue:
    members = values.get("team") or []
    written = ["/".join([m.name, m.title or "", m.role or ""]).rstrip("/") for m in members]
    return "；".join(written) or None


ACHIEVEMENT_COLUMNS = Spec(
    kind="achievements",
    sheet_title="科技成果",
    columns=(
        shared.client_key(),
        shared.title("成果名称"),
        simple("abstract", "成果简介", cells.as_text, required=True, note="至少10字"),
        simple("public_summary", "公开摘要", cells.as_text, note="不含保密内容的简介，公开展示"),
        shared.tech_field(),
        shared.local_industry(),
        simple("application_industries", "应用行业", cells.as_list, note="至多10个，以“；”或“、”分隔"),
        simple("trl", "技术就绪度", cells.as_int, note="1–9（GB/T 22900）；与成熟阶段至少填一项"),
        choice_column("stage", "成熟阶段", MaturityStage),
        choice_column("level", "成果水平", AchievementLevel, note="留空为未评价："),
        choice_column("ip_form", "知识产权形式", IpForm, required=True),
        Column(
            "patents",
            "专利",
            ("patents",),
            _patents,
            _render_patents,
            note="申请号（含校验位）及法律状态，以“；”分隔，如 201710601862.3（已授权）；"
            "状态为申请中、已授权或已失效，留空为申请中",
            error_code="invalid_patent_number",
        ),
        choice_column("transfer_modes", "转化方式", TransferMode, many=True, required=True),
        shared.negotiable_money(
            "asking_price_yuan",
            "转让报价（元）",
            "asking_price_fen",
            "is_price_negotiable",
            note="元，至多两位小数；或填“面议”",
        ),
        Column(
            "team",
            "团队成员",
            ("team",),
            _team,
            _render_team,
            note="姓名/职称/分工，多人以“；”分隔，如 李明/教授/项目负责人；王芳/副教授",
        ),
        simple("technical_indicators", "技术指标", cells.as_text),
        simple("commercial_analysis", "市场前景", cells.as_text),
        *shared.shared_tail(),
        *shared.export_tail("成果编号"),
    ),
)
