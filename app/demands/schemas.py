from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar, Self

from pydantic import Field, StrictBool, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.clock import today
from app.core.enums import CooperationMode, DemandType
from app.core.schemas import EntityId, Fen, InputModel
from app.listings.schemas import ListingFields, ListingRead, ListingUpdate, LongText

CooperationModes = Annotated[list[CooperationMode], Field(min_length=1, max_length=9)]


class _Budget(InputModel):
    budget_min_fen: Fen | None = None
    budget_max_fen: Fen | None = None
    is_budget_negotiable: StrictBool | None = None

    @model_validator(mode="after")
    def _budget_is_a_range_or_negotiable(self) -> Self:
        low, high = self.budget_min_fen, self.budget_max_fen
        if low is not None and high is not None and low > high:
            raise ValueError("budget_min_fen must not exceed budget_max_fen")
        if self.is_budget_negotiable and (low is not None or high is not None):
            raise ValueError("a negotiable (面议) budget has no range")
        return self


class _Deadline(InputModel):
    @field_validator("valid_until", check_fields=False)
    @classmethod
    def _not_in_the_past(cls, value: date | None) -> date | None:
        # The clock effective_status reads: a deadline accepted here never reads as expired already.
        if value is not None and value < today():
            raise ValueError("valid_until must not be in the past")
        return value


class DemandCreate(ListingFields, _Budget, _Deadline):
    """A new demand (a draft). Give the budget: `budget_max_fen` (and `budget_min_fen`, at most that),
    or `is_budget_negotiable` (面议) with no amounts (422 otherwise)."""

    organization_id: EntityId = Field(description="The posting organization; you must be its member")
    description: Annotated[LongText, Field(min_length=10)]
    demand_type: DemandType
    cooperation_modes: CooperationModes
    client_key: Annotated[str, Field(min_length=1, max_length=100)] | None = None

    @model_validator(mode="after")
    def _budget_given(self) -> Self:
        if not self.is_budget_negotiable and self.budget_max_fen is None:
            raise ValueError("give budget_max_fen (and optionally budget_min_fen), or is_budget_negotiable")
        return self


class DemandUpdate(ListingUpdate, _Budget, _Deadline):
    """Changes to a draft or returned demand; absent fields stay as they are (null only clears the
    fields in NULLABLE)."""

    NULLABLE: ClassVar[frozenset[str]] = ListingUpdate.NULLABLE | {"budget_min_fen", "budget_max_fen"}

    description: Annotated[LongText, Field(min_length=10)] | SkipJsonSchema[None] = None
    demand_type: DemandType | SkipJsonSchema[None] = None
    cooperation_modes: CooperationModes | SkipJsonSchema[None] = None
    is_budget_negotiable: StrictBool | SkipJsonSchema[None] = None


@dataclass(frozen=True, slots=True)
class DemandFilter:
    """The demand-only filters of a list: a cooperation mode, and an investment range that a demand's
    budget range overlaps (`include_negotiable` keeps 面议 ones in)."""

    cooperation_mode: CooperationMode | None = None
    budget_from_fen: int | None = None
    budget_to_fen: int | None = None
    include_negotiable: bool = True


class DemandRead(ListingRead):
    number: str = Field(description="Public demand number")
    description: str
    demand_type: DemandType
    cooperation_modes: list[CooperationMode]
    budget_min_fen: int | None
    budget_max_fen: int | None
    is_budget_negotiable: bool
