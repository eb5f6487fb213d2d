"""Package requests and responses. A version's read carries everything an export of it needs: the
package's direction and region, the version's text, and each member as the public sees it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from app.achievements.schemas import AchievementRead
from app.core.enums import LocalIndustry, PackageVersionStatus
from app.core.schemas import (
    WHOLE_NUMBER_ONLY,
    EntityId,
    InputModel,
    OutputModel,
    cross_field_rules,
    stripped_length_pattern,
)
from app.listings.schemas import Title

MAX_MEMBERS = 100
# Version numbers and positions are INTEGER columns: a larger number would overflow the driver.
MAX_VERSION_NUMBER = 2**31 - 1

Summary = Annotated[str, StringConstraints(max_length=5000)]
Theme = Annotated[str, StringConstraints(min_length=2, max_length=100, pattern=stripped_length_pattern(2))]
Note = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Position = Annotated[
    int,
    Interval(ge=1, le=MAX_MEMBERS),
    WHOLE_NUMBER_ONLY,
    Field(description="1 is first; past the end means last"),
]


class PackageScope(StrEnum):
    PUBLIC = "public"  # packages with a published version (anyone)
    MINE = "mine"  # every package of the regions the caller curates, drafts included


class PackageCreate(InputModel):
    """A new package; its version 1 starts as a draft. Give the industry, a theme, or both (422
    otherwise)."""

    model_config = cross_field_rules(
        {
            "anyOf": [
                {"required": ["industry"], "properties": {"industry": {"type": "string"}}},
                {"required": ["theme"], "properties": {"theme": {"type": "string"}}},
            ]
        }
    )

    title: Title
    summary: Summary = Field(default="", description="What the package offers, and to whom")
    industry: LocalIndustry | None = Field(default=None, description="The city's priority industry")
    theme: Theme | None = Field(default=None, description="A free-text direction, e.g. 硅材料与光伏")
    region_id: EntityId | None = Field(
        default=None,
        description="A region you administer; defaults to your district (district administrators) "
        "or the city (city administrators)",
    )

    @model_validator(mode="after")
    def _direction(self) -> Self:
        if self.industry is None and self.theme is None:
            raise ValueError("give the industrial direction: industry, theme, or both")
        return self


class _Changes(InputModel):
    """Changes: absent fields stay as they are; null clears only the fields in NULLABLE."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value


class VersionUpdate(_Changes):
    """Changes to a draft version."""

    title: Title | SkipJsonSchema[None] = None
    summary: Summary | SkipJsonSchema[None] = None


class MemberAdd(InputModel):
    achievement_id: EntityId = Field(description="A published achievement")
    note: Note | None = Field(default=None, description="The curator's note on it")
    position: Position | None = Field(default=None, description="Defaults to the end")


class MemberUpdate(_Changes):
    """A member's note (null clears it) and/or its position."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"note"})

    note: Note | None = None
    position: Position | SkipJsonSchema[None] = None


def _distinct(ids: list[int]) -> list[int]:
    if len(ids) != len(set(ids)):
        raise ValueError("an achievement is listed twice")
    return ids


class MemberOrder(InputModel):
    achievement_ids: Annotated[
        list[EntityId],
        Field(max_length=MAX_MEMBERS, json_schema_extra={"uniqueItems": True}),
        AfterValidator(_distinct),
    ] = Field(description="Every member's achievement id once, in the new order")


class MemberRead(OutputModel):
    position: int
    achievement_id: int
    note: str | None
    effective_status: str = Field(
        description="The achievement's status now: published, or closed/expired since it was added"
    )
    is_available: bool = Field(description="Still published and within its deadline")
    organization_name: str | None = Field(description="The owning organization")
    achievement: AchievementRead | None = Field(
        description="As the public sees it (contacts masked, confidential detail withheld)"
    )


class VersionInfo(OutputModel):
    number: int
    status: PackageVersionStatus
    title: str
    member_count: int
    based_on: int | None = Field(description="The published version this one was copied from")
    created_at: datetime
    published_at: datetime | None


class VersionRead(VersionInfo):
    package_id: int
    summary: str
    region_id: int
    region_name: str
    industry: LocalIndustry | None
    theme: str | None
    updated_at: datetime
    members: list[MemberRead]


class PackageSummary(OutputModel):
    """A package in a list, with the title and summary of the version shown (the latest published
    one; for `scope=mine`, the latest one, draft or not)."""

    id: int
    region_id: int
    region_name: str
    industry: LocalIndustry | None
    theme: str | None
    title: str
    summary: str
    number: int = Field(description="The version shown")
    status: PackageVersionStatus
    member_count: int
    published_version: int | None
    draft_version: int | None = Field(description="Only for the package's curators")
    published_at: datetime | None
    updated_at: datetime
    snippet: str | None = Field(
        default=None,
        description="In a list searched with q: the passage of the summary (or title) where the query's "
        "words occur, HTML-escaped, each occurrence in <mark>…</mark>; null otherwise",
    )


class PackageRead(OutputModel):
    id: int
    region_id: int
    region_name: str
    industry: LocalIndustry | None
    theme: str | None
    published_version: int | None
    draft_version: int | None = Field(description="Only for the package's curators")
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    may_curate: bool = Field(description="Whether the caller may edit it (make versions, publish)")
    versions: list[VersionInfo] = Field(description="Newest first; drafts only for curators")
    latest: VersionRead | None = Field(description="The latest published version with its members")
