"""Contract requests and responses. Money is integer fen, given as a JSON integer (a boolean, a string
or a float is refused); 技术交易额 is derived and never accepted."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from annotated_types import Interval
from pydantic import BeforeValidator, Field, StringConstraints

from app.contracts.amounts import MAX_FEN
from app.core.enums import (
    AttachmentKind,
    ContractRuleSet,
    ContractStatus,
    ContractSubtype,
    ContractType,
    IpForm,
    LegalPersonType,
    PartyKind,
    PlanCategory,
    RefusalGround,
    RegistrationEntryKind,
    TechField,
)
from app.core.schemas import EntityId, InputModel, IsoDate, OutputModel, stripped_length_pattern

MAX_LINES = 50


def _integer_only(value: object) -> object:
    # Money is counted in whole fen as a JSON integer: 12.0 is as suspect as 12.5 (a client computing
    # amounts in floating point), and true is not 1 fen.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number of fen (a JSON integer)")
    return value


StrictFen = Annotated[int, Interval(ge=0, le=MAX_FEN), BeforeValidator(_integer_only)]
PositiveFen = Annotated[int, Interval(ge=1, le=MAX_FEN), BeforeValidator(_integer_only)]
ProjectName = Annotated[
    str, StringConstraints(min_length=2, max_length=200, pattern=stripped_length_pattern(2))
]
PartyName = Annotated[
    str, StringConstraints(min_length=2, max_length=200, pattern=stripped_length_pattern(2))
]
Line = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=5000)]
# ISO 3166-1 alpha-3, as the registration form writes it (CHN).
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# Any six digits: whether they are a GB/T 2260 code is the registrar's check (a 422 naming the field).
AreaCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
# The form only: the check character is checked with the other registrar's checks, so one 422 names
# every failing field.
CreditCodeText = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{18}$")]
ObjectiveCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,10}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class PartyIn(InputModel):
    """The buyer: an organization of the network (its id; name and codes come from it) or an external
    party described here."""

    organization_id: EntityId | None = Field(default=None, description="An organization of the network")
    name: PartyName | None = Field(default=None, description="An external party's name")
    country_code: CountryCode = "CHN"
    area_code: AreaCode | None = Field(default=None, description="GB/T 2260 six-digit area code")
    legal_person_type: LegalPersonType | None = None
    credit_code: CreditCodeText | None = Field(
        default=None, description="Unified social credit code; required of a domestic external party"
    )


class DeductionIn(InputModel):
    item: Line = Field(description="The non-technical cost, e.g. 采购设备")
    amount_fen: PositiveFen


class PaymentIn(InputModel):
    due_on: IsoDate | None = None
    amount_fen: StrictFen
    condition: Annotated[str, StringConstraints(max_length=200)] = ""


class AttachmentIn(InputModel):
    kind: AttachmentKind
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    media_type: Annotated[str, StringConstraints(max_length=100, pattern=r"^[!-~]+/[!-~]+$")]
    size_bytes: Annotated[int, Interval(ge=0, le=MAX_FEN), BeforeValidator(_integer_only)]
    sha256: Sha256 | None = None


class ContractTerms(InputModel):
    """What the contract says: everything the seller side fills in, and edits until a registrar has it."""

    project_name: ProjectName
    contract_type: ContractType
    subtype: ContractSubtype
    rule_set: ContractRuleSet | None = Field(
        default=None, description="Defaults by the signing date (the 2026 rules from their start date)"
    )
    signed_on: IsoDate
    valid_from: IsoDate | None = None
    valid_to: IsoDate | None = None
    buyer: PartyIn
    tech_field: TechField
    ip_type: IpForm = IpForm.NONE
    plan_category: PlanCategory = PlanCategory.NONE
    socio_economic_objective: ObjectiveCode | None = Field(default=None, description="GB/T 24450 code")
    expected_investment_fen: StrictFen | None = Field(default=None, description="Transfers: 预计新增投入")
    expected_output_fen: StrictFen | None = Field(default=None, description="Transfers: 预计新增产值")
    content_summary: LongText = Field(default="", description="主要技术内容")
    price_terms: LongText = Field(default="", description="价款、报酬或使用费及支付方式")
    total_fen: StrictFen = Field(description="成交额 in fen")
    deductions: list[DeductionIn] = Field(default_factory=list, max_length=MAX_LINES)
    payments: list[PaymentIn] = Field(default_factory=list, max_length=MAX_LINES)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_LINES)
    disputed: bool = False
    deal_id: EntityId | None = Field(default=None, description="The deal this contract closes")


class ContractCreate(ContractTerms):
    organization_id: EntityId = Field(description="The seller side's organization, which files it")


class ChangeRegistration(ContractTerms):
    """A change registration (变更): the contract's new terms, and why."""

    reason: Annotated[
        str, StringConstraints(min_length=2, max_length=500, pattern=stripped_length_pattern(2))
    ]


class Finding(InputModel):
    ground: RefusalGround
    note: Annotated[str, StringConstraints(max_length=500)] = ""


class ContractActionBody(InputModel):
    """A registrar's findings (return for correction) or grounds (refusal), or a cancellation's reason."""

    findings: list[Finding] = Field(default_factory=list, max_length=20)
    reason: Annotated[str, StringConstraints(max_length=500)] = ""


class ActionName(StrEnum):
    """The actions of `POST /contracts/{id}/{action}` (a change registration has a route of its own)."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REFUSE = "refuse"
    REGISTER = "register"
    CANCEL = "cancel"


class ContractScope(StrEnum):
    MINE = "mine"  # the contracts of the caller's organizations
    QUEUE = "queue"  # what awaits the caller as a registrar, by deadline
    ALL = "all"  # everything the caller may read


class PartyRead(OutputModel):
    organization_id: int | None
    name: str
    country_code: str
    area_code: str | None
    legal_person_type: LegalPersonType
    kind: PartyKind
    credit_code: str | None
    region_id: int | None


class DeductionRead(OutputModel):
    item: str
    amount_fen: int


class PaymentRead(OutputModel):
    due_on: date | None
    amount_fen: int
    condition: str


class AttachmentRead(OutputModel):
    kind: AttachmentKind
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str | None


class FindingRead(OutputModel):
    ground: RefusalGround
    note: str


class ContractRead(OutputModel):
    id: int
    organization_id: int
    region_id: int
    status: ContractStatus
    rule_set: ContractRuleSet
    contract_type: ContractType
    counted_type: ContractType
    subtype: ContractSubtype
    project_name: str
    signed_on: date
    valid_from: date | None
    valid_to: date | None
    seller: PartyRead
    buyer: PartyRead
    tech_field: TechField
    ip_type: IpForm
    plan_category: PlanCategory
    socio_economic_objective: str | None
    expected_investment_fen: int | None
    expected_output_fen: int | None
    content_summary: str
    price_terms: str
    total_fen: int
    deductions_fen: int
    technical_income_fen: int
    deductions: list[DeductionRead]
    payments: list[PaymentRead]
    attachments: list[AttachmentRead]
    disputed: bool
    deal_id: int | None
    submitted_at: datetime | None
    due_on: date | None
    due_on_provisional: bool = Field(
        description="The deadline counted days of a year whose official calendar is not loaded yet "
        "(Monday–Friday); it is computed again when an administrator loads that year"
    )
    expert_review: bool
    overdue: bool
    accepted_at: datetime | None
    decided_at: datetime | None
    findings: list[FindingRead]
    registration_number: str | None
    registered_on: date | None
    cancelled_on: date | None
    created_at: datetime
    updated_at: datetime


class ContractSummary(OutputModel):
    id: int
    status: ContractStatus
    project_name: str
    contract_type: ContractType
    seller_name: str
    buyer_name: str
    region_id: int
    total_fen: int
    technical_income_fen: int
    signed_on: date
    submitted_at: datetime | None
    due_on: date | None
    due_on_provisional: bool
    overdue: bool
    registration_number: str | None
    registered_on: date | None


class PrecheckFinding(OutputModel):
    ground: RefusalGround
    code: str
    field: str | None
    message: str


class Precheck(OutputModel):
    ready: bool = Field(description="No finding: nothing a registrar would return it for, that we can see")
    findings: list[PrecheckFinding]


class LedgerEntryRead(OutputModel):
    """One entry of the registration ledger (the statistics sum these)."""

    sequence: int
    kind: RegistrationEntryKind
    entered_on: date
    count_delta: int
    total_fen_delta: int
    technical_income_fen_delta: int
    registration_number: str
    reason: str
    created_at: datetime


class ContractLedger(OutputModel):
    contract_id: int
    registration_number: str | None
    entries: list[LedgerEntryRead]
