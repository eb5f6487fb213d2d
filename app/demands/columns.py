"""The spreadsheet columns of a demand: its import template and its export."""

from __future__ import annotations

from app.core.enums import CooperationMode, DemandType
from app.listings import columns as shared
from app.tabular import cells
from app.tabular.columns import Spec, fen_to_yuan, simple

DEMAND_COLUMNS = Spec(
    kind="demands",
    sheet_title="企业技术需求",
    columns=(
        shared.client_key(),
        shared.title("需求名称"),
        simple("description", "需求描述", cells.as_text, required=True, note="至少10字"),
        shared.tech_field(),
        simple(
            "demand_type",
            "需求类型",
            cells.choice(DemandType),
            required=True,
            choices=DemandType,
            note="、".join(kind.label for kind in DemandType),
        ),
        simple(
            "cooperation_modes",
            "合作方式",
            cells.choice_list(CooperationMode),
            required=True,
            note="一个或多个，以“；”或“、”分隔：" + "、".join(mode.label for mode in CooperationMode),
        ),
        simple(
            "budget_min_yuan",
            "意向投入下限（元）",
            cells.as_fen,
            field="budget_min_fen",
            render=fen_to_yuan,
            error_code="invalid_money",
            note="元，至多两位小数；可留空",
        ),
        shared.negotiable_money(
            "budget_max_yuan",
            "意向投入上限（元）",
            "budget_max_fen",
            "is_budget_negotiable",
            note="元，至多两位小数；或填“面议”（此时下限留空）",
        ),
        *shared.shared_tail(),
        *shared.export_tail("需求编号"),
    ),
)
