from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self

from annotated_types import Interval
from pydantic import AfterValidator, Field, StrictBool, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.enums import AchievementLevel, IpForm, MaturityStage, PatentStatus, PatentType, TransferMode
from app.core.i18n import msg
from app.core.identifiers import expected_patent_check_char, normalize_patent_number, patent_type_digit
from app.core.schemas import (
    WHOLE_NUMBER_ONLY,
    EntityId,
    Fen,
    InputModel,
    OutputModel,
    cross_field_rules,
    stripped_length_pattern,
)
from app.listings.schemas import (
    ListingFields,
    ListingRead,
    ListingUpdate,
    LongText,
    Title,
    amount_or_negotiable,
    negotiable_without_amounts,
)

PATENT_TYPES = {
    "1": PatentType.INVENTION,
    "2": PatentType.UTILITY_MODEL,
    "3": PatentType.DESIGN,
    "8": PatentType.PCT_INVENTION,
    "9": PatentType.PCT_UTILITY_MODEL,
}


# The shape, with a type digit of PATENT_TYPES (the 5th digit since 2003, the 3rd in 8-digit numbers);
# the check character is beyond JSON Schema, hence the named format.
PATENT_NUMBER_PATTERN = r"^(?:[Zz][Ll])?(?:[0-9]{4}[12389][0-9]{7}|[0-9]{2}[12389][0-9]{5})\.[0-9Xx]$"
PATENT_NUMBER_FORMAT = "patent-application-number"


def _check_patent_number(value: str) -> str:
    number = normalize_patent_number(value)
    if number is None:
        expected = expected_patent_check_char(value)
        raise ValueError(
            msg(
                "{value}: wrong check character; these digits call for .{expected}",
                value=value,
                expected=expected,
            )
        )
    return number


def patent_type(number: str) -> PatentType:
    """The patent type a valid application number's type digit names."""
    return PATENT_TYPES[patent_type_digit(number)]


PatentNumber = Annotated[
    str,
    StringConstraints(max_length=16, pattern=PATENT_NUMBER_PATTERN),
    AfterValidator(_check_patent_number),
    Field(
        description="Application number with its check character (201710601862.3, 95115608.X); "
        "a ZL prefix is accepted",
        json_schema_extra={"format": PATENT_NUMBER_FORMAT},
    ),
]
Trl = Annotated[
    int, Interval(ge=1, le=9), WHOLE_NUMBER_ONLY, Field(description="Technology readiness level (GB/T 22900)")
]
Industry = Annotated[str, StringConstraints(min_length=1, max_length=30)]
Industries = Annotated[list[Industry], Field(max_length=10)]
TransferModes = Annotated[
    list[TransferMode],
    Field(min_length=1, max_length=5),
    AfterValidator(lambda modes: list(dict.fromkeys(modes))),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Abstract = Annotated[
    str, StringConstraints(min_length=10, max_length=20000, pattern=stripped_length_pattern(10))
]


class PatentIn(InputModel):
    application_number: PatentNumber
    status: PatentStatus = PatentStatus.PENDING
    title: Title | None = None


class TeamMember(InputModel):
    name: ShortText
    title: ShortText | None = Field(default=None, description="Professional title, e.g. 教授")
    role: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None


Patents = Annotated[list[PatentIn], Field(max_length=50)]
Team = Annotated[list[TeamMember], Field(max_length=30)]


def _distinct_numbers(patents: Iterable[PatentIn]) -> None:
    numbers = [patent.application_number for patent in patents]
    if len(numbers) != len(set(numbers)):
        raise ValueError("patents: an application number is listed twice")


# The rules the model validators enforce across fields, stated in the schema as well.
_MATURITY: dict[str, Any] = {
    "anyOf": [
        {"required": ["trl"], "properties": {"trl": {"type": "integer"}}},
        {"required": ["stage"], "properties": {"stage": {"type": "string"}}},
    ]
}
_PRICE = amount_or_negotiable("asking_price_fen", "is_price_negotiable")


class _Price(InputModel):
    asking_price_fen: Fen | None = None
    is_price_negotiable: StrictBool | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _price_or_negotiable(self) -> Self:
        if self.is_price_negotiable and self.asking_price_fen is not None:
            raise ValueError("a negotiable (面议) achievement has no asking_price_fen")
        return self


class AchievementCreate(ListingFields, _Price):
    """A new achievement (a draft). Give the maturity: `trl`, `stage`, or both; and the price:
    `asking_price_fen`, or `is_price_negotiable` (面议) without one (422 otherwise)."""

    model_config = cross_field_rules(_MATURITY, _PRICE)

    is_price_negotiable: StrictBool = Field(default=False, description="面议: no asking price")
    organization_id: EntityId = Field(description="The owning organization; you must be its member")
    abstract: Abstract
    public_summary: LongText = Field(default="", description="The non-confidential summary")
    application_industries: Industries = Field(default_factory=list)
    trl: Trl | None = None
    stage: MaturityStage | None = None
    level: AchievementLevel = AchievementLevel.UNEVALUATED
    ip_form: IpForm
    patents: Patents = Field(default_factory=list)
    transfer_modes: TransferModes
    team: Team = Field(default_factory=list)
    technical_indicators: LongText = ""
    commercial_analysis: LongText = ""
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.trl is None and self.stage is None:
            raise ValueError("give the maturity: trl (1-9), stage, or both")
        if not self.is_price_negotiable and self.asking_price_fen is None:
            raise ValueError("give asking_price_fen, or is_price_negotiable (面议)")
        _distinct_numbers(self.patents)
        return self


class AchievementUpdate(ListingUpdate, _Price):
    """Changes to a draft or returned achievement; `patents`, when given, replaces the whole set.
    `is_price_negotiable` (面议) true together with an `asking_price_fen` is refused (422)."""

    model_config = cross_field_rules(negotiable_without_amounts("is_price_negotiable", "asking_price_fen"))
    NULLABLE: ClassVar[frozenset[str]] = ListingUpdate.NULLABLE | {"trl", "stage", "asking_price_fen"}

    abstract: Abstract | SkipJsonSchema[None] = None
    public_summary: LongText | SkipJsonSchema[None] = None
    application_industries: Industries | SkipJsonSchema[None] = None
    trl: Trl | None = None
    stage: MaturityStage | None = None
    level: AchievementLevel | SkipJsonSchema[None] = None
    ip_form: IpForm | SkipJsonSchema[None] = None
    patents: Patents | SkipJsonSchema[None] = None
    transfer_modes: TransferModes | SkipJsonSchema[None] = None
    team: Team | SkipJsonSchema[None] = None
    technical_indicators: LongText | SkipJsonSchema[None] = None
    commercial_analysis: LongText | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _distinct_patents(self) -> Self:
        _distinct_numbers(self.patents or [])
        return self


class PatentRead(OutputModel):
    application_number: str
    patent_type: PatentType
    status: PatentStatus
    title: str | None


class TeamMemberRead(OutputModel):
    name: str
    title: str | None = None
    role: str | None = None


class AchievementRead(ListingRead):
    number: str = Field(description="Public achievement number")
    abstract: str
    public_summary: str
    application_industries: list[str]
    trl: int | None
    stage: MaturityStage | None
    level: AchievementLevel
    ip_form: IpForm
    patents: list[PatentRead]
    transfer_modes: list[TransferMode]
    asking_price_fen: int | None
    is_price_negotiable: bool
    team: list[TeamMemberRead]
    technical_indicators: str
    commercial_analysis: str


@dataclass(frozen=True, slots=True)
class AchievementFilter:
    """The achievement-only filters of a list; `include_negotiable` keeps 面议 ones in a price range."""

    transfer_mode: TransferMode | None = None
    trl_from: int | None = None
    trl_to: int | None = None
    stage: MaturityStage | None = None
    level: AchievementLevel | None = None
    ip_form: IpForm | None = None
    price_from_fen: int | None = None
    price_to_fen: int | None = None
    include_negotiable: bool = True
