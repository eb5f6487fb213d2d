"""What each import kind is made of: its columns, its Create schema, its model, and the pieces that
store a batch of rows as the feature's own create would (app/demands/bulk.py, app/achievements/bulk.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.achievements import bulk as achievements
from app.achievements.columns import ACHIEVEMENT_COLUMNS
from app.achievements.schemas import AchievementCreate
from app.auth.principal import Principal
from app.core.enums import ImportKind
from app.demands import bulk as demands
from app.demands.columns import DEMAND_COLUMNS
from app.demands.schemas import DemandCreate
from app.listings.kinds import kind_of
from app.models import Achievement, Demand
from app.tabular.columns import Spec


def _no_children(_listing: Any, _data: Any) -> list[Any]:
    return []


@dataclass(frozen=True, slots=True)
class Kind:
    kind: ImportKind
    spec: Spec
    schema: type[BaseModel]
    model: type[Demand] | type[Achievement]
    search_fields: Callable[[Any], tuple[list[str | None], list[str]]]
    draft: Callable[[Principal, int, Any, str], Demand | Achievement]
    snapshot: Callable[[Any, list[Any]], dict[str, Any]]
    children: Callable[[Any, Any], list[Any]] = _no_children

    @property
    def entity(self) -> str:
        """The audit events' entity type: demand, achievement."""
        return kind_of(self.model)


KINDS = {
    ImportKind.DEMANDS: Kind(
        ImportKind.DEMANDS,
        DEMAND_COLUMNS,
        DemandCreate,
        Demand,
        demands.search_fields,
        demands.draft,
        demands.snapshot,
    ),
    ImportKind.ACHIEVEMENTS: Kind(
        ImportKind.ACHIEVEMENTS,
        ACHIEVEMENT_COLUMNS,
        AchievementCreate,
        Achievement,
        achievements.search_fields,
        achievements.draft,
        achievements.snapshot,
        achievements.children,
    ),
}
