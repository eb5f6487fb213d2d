"""One definition per listing kind: what a demand or an achievement is made of, in one place.

Each feature declares its `KindSpec` (app/demands/kind.py, app/achievements/kind.py); the service's
create and edit, the bulk import, the export and the demo loader all build rows and search text from
it, so a field added to a kind is added once. The spec is pure data and pure functions: no session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from app.core.enums import ListingStatus
from app.matching.tokenizer import index_text
from app.models import Achievement, Demand

ModelT = TypeVar("ModelT", Demand, Achievement)
CreateT = TypeVar("CreateT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class SearchField:
    """A field that search reads. `weight` is its relative importance for ranking (a title matters
    more than a description); list fields (keywords) are joined with spaces."""

    name: str
    weight: int = 1
    is_list: bool = False


# Create-schema fields that are not columns of the listing row (or are filled in by the caller).
_NOT_COLUMNS = frozenset({"organization_id", "region_id"})


# The public number's prefix of each kind: 需求 (XQ) and 成果 (CG).
NUMBER_PREFIXES = {"demand": "XQ", "achievement": "CG"}


def format_number(prefix: str, created_at: datetime, listing_id: int) -> str:
    """The public number: prefix, year of posting, seven-digit id (XQ20260000042, CG20260000042)."""
    return f"{prefix}{created_at.year}{listing_id:07d}"


def _no_children(_listing: Any, _data: Any) -> list[Any]:
    return []


@dataclass(frozen=True, slots=True)
class KindSpec(Generic[ModelT, CreateT]):
    name: str  # "demand": the audit entity type and action prefix
    plural: str  # "demands": the URL prefix and the import kind
    number_prefix: str  # "XQ" for 需求, "CG" for 成果
    model: type[ModelT]
    create_schema: type[CreateT]
    search_fields: tuple[SearchField, ...]
    # Create-schema fields stored elsewhere (an achievement's patents are rows of their own).
    child_fields: frozenset[str] = frozenset()
    # Columns whose stored value is derived from the input, e.g. a missing flag stored as False.
    derived: Callable[[CreateT], dict[str, Any]] = field(default=lambda _data: {})
    # The child rows (patents) of a stored listing, from its create input.
    children: Callable[[Any, Any], list[Any]] = _no_children

    def number(self, listing: ModelT) -> str:
        return format_number(self.number_prefix, listing.created_at, listing.id)

    def search_recipe(self, source: BaseModel | ModelT | Mapping[str, Any]) -> list[str]:
        """The texts search indexes, from a create input, a stored listing or a row of values.
        Plain strings, so a process pool can tokenize them."""
        texts = []
        for search_field in self.search_fields:
            value = (
                source.get(search_field.name)
                if isinstance(source, Mapping)
                else getattr(source, search_field.name)
            )
            if search_field.is_list:
                value = " ".join(value or [])
            if value:
                texts.append(str(value))
        return texts

    def search_text(self, source: BaseModel | ModelT | Mapping[str, Any]) -> str:
        return index_text(*self.search_recipe(source))

    def row(
        self,
        data: CreateT,
        *,
        organization_id: int,
        region_id: int,
        created_by_id: int | None,
        search_text: str | None = None,
    ) -> dict[str, Any]:
        """The column values of a new draft listing, as create and the bulk import store it."""
        values = data.model_dump(exclude=set(_NOT_COLUMNS | self.child_fields))
        values |= self.derived(data)
        return values | {
            "organization_id": organization_id,
            "region_id": region_id,
            "status": ListingStatus.DRAFT,
            "created_by_id": created_by_id,
            "search_text": search_text if search_text is not None else self.search_text(data),
        }

    def build(self, data: CreateT, **placement: Any) -> ModelT:
        """A new, unsaved draft listing (see `row`)."""
        return self.model(**self.row(data, **placement))
