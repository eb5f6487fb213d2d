"""What each import kind is made of: its columns, its Create schema, its model, and the pieces that
store a batch of rows as the feature's own create would (app/demands/bulk.py, app/achievements/bulk.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from app.achievements import bulk as achievements
from app.achievements.columns import ACHIEVEMENT_COLUMNS
from app.achievements.kind import ACHIEVEMENT
from app.auth.principal import Principal
from app.core.enums import ImportKind
from app.demands import bulk as demands
from app.demands.columns import DEMAND_COLUMNS
from app.demands.kind import DEMAND
from app.imports.tokenizing import Derived
from app.listings.spec import KindSpec
from app.models import Achievement, Demand
from app.tabular.columns import Spec


@dataclass(frozen=True, slots=True)
class Kind:
    kind: ImportKind
    spec: Spec  # the spreadsheet columns
    listing: KindSpec[Any, Any]  # rows, search text and child rows, as the feature's create builds them
    snapshot: Callable[[Any, list[Any]], dict[str, Any]]

    @property
    def schema(self) -> type[BaseModel]:
        return self.listing.create_schema

    @property
    def model(self) -> type[Demand] | type[Achievement]:
        return self.listing.model

    @property
    def entity(self) -> str:
        """The audit events' entity type: demand, achievement."""
        return self.listing.name

    def row(self, principal: Principal, region_id: int, data: Any, texts: Derived) -> dict[str, Any]:
        """The column values of a new draft listing, as `create` stores it (KindSpec.row), with the
        texts the tokenizer's workers derived from it."""
        values = self.listing.row(
            data,
            organization_id=data.organization_id,
            region_id=region_id,
            created_by_id=principal.user_id,
            search_text=texts.search_text,
        )
        return values | {"title_sort": texts.title_sort}


KINDS = {
    ImportKind.DEMANDS: Kind(ImportKind.DEMANDS, DEMAND_COLUMNS, DEMAND, demands.snapshot),
    ImportKind.ACHIEVEMENTS: Kind(
        ImportKind.ACHIEVEMENTS, ACHIEVEMENT_COLUMNS, ACHIEVEMENT, achievements.snapshot
    ),
}
