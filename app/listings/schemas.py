"""Schema pieces demands and achievements share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.enums import (
    AccessRequestStatus,
    Confidentiality,
    ListingStatus,
    LocalIndustry,
    RevisionStatus,
    TechField,
)
from app.core.schemas import (
    EntityId,
    InputModel,
    IsoDate,
    OutputModel,
    PhoneNumber,
    stripped_length_pattern,
)

Title = Annotated[str, StringConstraints(min_length=2, max_length=200, pattern=stripped_length_pattern(2))]
LongText = Annotated[str, StringConstraints(max_length=20000)]
Keyword = Annotated[str, StringConstraints(min_length=1, max_length=30)]
Keywords = Annotated[list[Keyword], Field(max_length=12)]
ContactName = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ListingFields(InputModel):
    """Fields every listing takes on create (all required ones) — updates make them optional."""

    title: Title
    tech_field: TechField
    local_industry: LocalIndustry | None = Field(
        default=None,
        description="The city's priority industry, if the listing names it itself; "
        "otherwise it counts under those its tech_field maps to (GET /api/v1/industry-mappings)",
    )
    keywords: Keywords = Field(default_factory=list)
    valid_until: IsoDate | None = Field(
        default=None, description="Deadline; after it the listing reads as expired"
    )
    region_id: EntityId | None = Field(default=None, description="Defaults to the organization's region")
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    confidential_detail: LongText = ""
    contact_name: ContactName | None = None
    contact_phone: PhoneNumber | None = None


class ListingUpdate(InputModel):
    """Changes to a draft or returned listing: absent fields stay as they are. Only the fields in
    NULLABLE may be cleared with null; for the others null is refused rather than stored."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset(
        {"local_industry", "valid_until", "contact_name", "contact_phone"}
    )

    title: Title | SkipJsonSchema[None] = None
    tech_field: TechField | SkipJsonSchema[None] = None
    local_industry: LocalIndustry | None = Field(
        default=None, description="null: follow the mapping of tech_field again"
    )
    keywords: Keywords | SkipJsonSchema[None] = None
    valid_until: IsoDate | None = None
    region_id: EntityId | SkipJsonSchema[None] = None
    confidentiality: Confidentiality | SkipJsonSchema[None] = None
    confidential_detail: LongText | SkipJsonSchema[None] = None
    contact_name: ContactName | None = None
    contact_phone: PhoneNumber | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value


def amount_or_negotiable(amount: str, flag: str, *others: str) -> dict[str, Any]:
    """JSON Schema for "the `amount`, or `flag` (面议) and no amounts at all": the rule of a price or
    a budget, stated in the schema so that clients (and generated tests) can know it."""
    return {
        "anyOf": [
            {"required": [amount], "properties": {amount: {"type": "integer"}, flag: {"const": False}}},
            {
                "required": [flag],
                "properties": {flag: {"const": True}}
                | {name: {"type": "null"} for name in (amount, *others)},
            },
        ]
    }


def negotiable_without_amounts(flag: str, *amounts: str) -> dict[str, Any]:
    """JSON Schema for "not `flag` (面议) together with any of `amounts`" (in an update)."""
    given = [{"required": [name], "properties": {name: {"type": "integer"}}} for name in amounts]
    return {"not": {"required": [flag], "properties": {flag: {"const": True}}, "anyOf": given}}


class ActionBody(InputModel):
    reason: Reason | None = Field(default=None, description="Required to return or reject")


class ListingRead(OutputModel):
    id: int
    organization_id: int
    organization_name: str = Field(description="The owning organization's name")
    region_id: int
    region_name: str = Field(description="The listing's region's name")
    title: str
    tech_field: TechField
    local_industry: LocalIndustry | None = Field(
        description="The priority industry the listing names itself (null: it follows the mapping)"
    )
    local_industries: list[LocalIndustry] = Field(
        description="What it counts under, to show and to filter by (local_industry=): the one it "
        "names, or else those its tech_field maps to, in the policy's order; empty: none"
    )
    keywords: list[str]
    valid_until: IsoDate | None
    confidentiality: Confidentiality
    confidential_detail: str | None = Field(description="Only for the owner, its reviewers and NDA grantees")
    is_detail_withheld: bool = False
    contact_name: str | None
    contact_phone: str | None = Field(
        description="13812345678 or 0518-85427978[-123]; masked (138****5678, 0518-****7978) for everyone "
        "but the owner"
    )
    status: ListingStatus
    effective_status: str = Field(description="The status, or `expired` once a published deadline passed")
    review_reason: str | None
    revision: int = Field(description="How many times it was published: 1 at first, +1 per revision")
    pending_revision_id: int | None = Field(
        default=None, description="An edit awaiting review (shown to the owner and its reviewers)"
    )
    submitted_at: datetime | None
    published_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    snippet: str | None = Field(
        default=None,
        description="In a list searched with q: the passage of the listing's public text where the "
        "query's words occur, HTML-escaped, each occurrence in <mark>…</mark>; null otherwise",
    )


class RevisionRead(OutputModel):
    """A proposed edit of a published listing; `changes` holds the fields the owner sent."""

    id: int
    listing_id: int
    changes: dict[str, Any]
    status: RevisionStatus
    base_version: int
    published_revision: int | None
    review_reason: str | None
    created_by_id: int | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AccessRequestCreate(InputModel):
    organization_id: EntityId = Field(description="Your organization, whose members the grant covers")
    purpose: Annotated[str, StringConstraints(min_length=2, max_length=2000)] = Field(
        description="What the detail is needed for"
    )
    accept_nda: Literal[True] = Field(
        description="Accepts the non-disclosure terms (GET /api/v1/meta/nda); the time is recorded"
    )


class AccessRequestRead(OutputModel):
    id: int
    listing_id: int
    organization_id: int = Field(description="The requesting organization, whose members the grant covers")
    organization_name: str
    requested_by_id: int
    purpose: str
    nda_version: str
    nda_accepted_at: datetime
    status: AccessRequestStatus
    decision_reason: str | None
    decided_by_id: int | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AccessRequestInboxItem(AccessRequestRead):
    listing_kind: str = Field(description="`demand` or `achievement`")
    listing_title: str
