from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.enums import RegionLevel
from app.core.schemas import InputModel, OutputModel

AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class RegionCreate(InputModel):
    code: AreaCode | None = Field(default=None, description="GB/T 2260 code; none for functional zones")
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    level: RegionLevel
    parent_id: int | None = Field(default=None, ge=1)


class RegionUpdate(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    is_active: bool | None = None


class RegionRead(OutputModel):
    id: int
    code: str | None
    name: str
    level: RegionLevel
    parent_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
