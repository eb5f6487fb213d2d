from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.core.enums import RegionLevel
from app.core.schemas import EntityId, InputModel, OutputModel, cross_field_rules

AreaCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]  # not \d: only ASCII digits


class RegionCreate(InputModel):
    """A region. Below province level it hangs under a parent: `parent_id` is required (422
    otherwise)."""

    model_config = cross_field_rules(
        {
            "if": {"properties": {"level": {"const": RegionLevel.PROVINCE.value}}},
            "else": {"required": ["parent_id"], "properties": {"parent_id": {"type": "integer"}}},
        }
    )

    code: AreaCode | None = Field(default=None, description="GB/T 2260 code; none for functional zones")
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    level: RegionLevel
    parent_id: EntityId | None = Field(default=None)


class RegionUpdate(InputModel):
    # Omit a field to keep it; null is refused.
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | SkipJsonSchema[None] = None
    is_active: StrictBool | SkipJsonSchema[None] = None


class RegionRead(OutputModel):
    id: int
    code: str | None
    name: str
    level: RegionLevel
    parent_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
