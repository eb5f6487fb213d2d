"""One definition per listing kind: the same search text and row whatever the source."""

from __future__ import annotations

from app.achievements.kind import ACHIEVEMENT
from app.achievements.schemas import AchievementCreate
from app.core.enums import ListingStatus
from app.demands.kind import DEMAND
from app.demands.schemas import DemandCreate
from tests.achievements.support import achievement_body
from tests.demands.support import demand_body


def test_search_text_is_the_same_from_input_row_and_model() -> None:
    data = AchievementCreate.model_validate(achievement_body(7, public_summary="硅碳负极量产工艺"))
    row = ACHIEVEMENT.row(data, organization_id=7, region_id=3, created_by_id=None)
    model = ACHIEVEMENT.build(data, organization_id=7, region_id=3, created_by_id=None)
    assert ACHIEVEMENT.search_text(data) == ACHIEVEMENT.search_text(row) == ACHIEVEMENT.search_text(model)
    assert row["search_text"] == model.search_text == ACHIEVEMENT.search_text(data)
    assert "量产" in row["search_text"].split()  # public_summary is indexed
    assert "patents" not in row  # child rows are built apart (ACHIEVEMENT.children)


def test_a_row_is_a_draft_placed_where_the_caller_says() -> None:
    data = DemandCreate.model_validate(demand_body(5))
    row = DEMAND.row(data, organization_id=5, region_id=9, created_by_id=11, search_text="已 分词")
    assert (row["organization_id"], row["region_id"], row["created_by_id"]) == (5, 9, 11)
    assert row["status"] == ListingStatus.DRAFT
    assert row["search_text"] == "已 分词"
    assert row["is_budget_negotiable"] is False  # not given: a budget range, not 面议
