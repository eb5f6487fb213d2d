"""The spreadsheet columns of a demand: its import template and its export."""

from __future__ import annotations

from app.core.enums import CooperationMode, DemandType
from app.listings import columns as shared
from app.tabular import cells
from app.tabular.columns import Spec, choice_column, fen_to_yuan, simple

DEMAND_COLUMNS = Spec(
    kind="demands",
    sheet_title="企业技术需求",
    columns=(
        shared.client_key(),
        shared.title("需求名称"),
        simple("description", "需求描述", cells.as_text, required=True, note="至少10字"),
        shared.tech_field(),
        shared.local_industry(),
        choice_column("demand_type", "需求类型", DemandType, required=True),
        choice_column("cooperation_modes", "合作方式", CooperationMode, many=True, required=True),
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
