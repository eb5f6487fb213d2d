"""The mapping as the API shows and takes it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, field_validator

from app.core.enums import LocalIndustry, TechField
from app.core.schemas import InputModel, OutputModel


class IndustryMappingRead(OutputModel):
    """The local industries a technology field maps to: a listing of the field that names no local
    industry of its own counts under each of them."""

    tech_field: TechField
    local_industries: list[LocalIndustry] = Field(description="In the policy's order; empty: none")
    version: int
    updated_at: datetime
    updated_by_id: int | None = Field(description="The administrator who changed it last (null: seeded)")


class IndustryMappingUpdate(InputModel):
    local_industries: Annotated[list[LocalIndustry], Field(max_length=len(LocalIndustry))] = Field(
        description="The field's whole set of local industries, each once (empty: none)",
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("local_industries")
    @classmethod
    def _each_once(cls, value: list[LocalIndustry]) -> list[LocalIndustry]:
        if len(set(value)) != len(value):
            raise ValueError("name each local industry once")
        return value
