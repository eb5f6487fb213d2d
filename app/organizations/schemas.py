from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.core.enums import ApiKeyScope, LegalPersonType, MembershipRole, MembershipStatus, OrganizationKind
from app.core.schemas import (
    CreditCode,
    Email,
    EntityId,
    InputModel,
    IsoDateTime,
    Name,
    OutputModel,
    PhoneNumber,
)

# An http(s) URL with a plain host name (IDNs in punycode) that every URL parser can take apart.
Url = Annotated[
    str, StringConstraints(max_length=300, pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$")
]
Text = Annotated[str, StringConstraints(max_length=5000)]
Address = Annotated[str, StringConstraints(max_length=300)]


class OrganizationCreate(InputModel):
    name: Name
    kind: OrganizationKind
    legal_person_type: LegalPersonType
    credit_code: CreditCode
    region_id: EntityId
    description: Text = ""
    website: Url | None = None
    contact_email: Email | None = None
    contact_phone: PhoneNumber | None = None
    address: Address | None = None


class OrganizationUpdate(InputModel):
    name: Name | SkipJsonSchema[None] = None  # omit it to keep it; null is refused
    description: Text | None = None
    website: Url | None = None
    contact_email: Email | None = None
    contact_phone: PhoneNumber | None = None
    address: Address | None = None


class OrganizationRead(OutputModel):
    id: int
    name: str
    kind: OrganizationKind
    legal_person_type: LegalPersonType
    credit_code: str
    region_id: int
    region_name: str
    description: str
    website: str | None
    is_verified: bool
    verified_at: datetime | None
    created_at: datetime
    updated_at: datetime
    # Present for members and administrators only.
    contact_email: str | None = None
    contact_phone: str | None = None
    address: str | None = None


class VerificationUpdate(InputModel):
    is_verified: StrictBool  # 0, 1 and "yes" are not booleans


class InvitationCreate(InputModel):
    email: Email
    role: MembershipRole = MembershipRole.MEMBER


class MembershipRoleUpdate(InputModel):
    role: MembershipRole


class MembershipRead(OutputModel):
    id: int
    user_id: int
    user_display_name: str
    organization_id: int
    organization_name: str
    role: MembershipRole
    status: MembershipStatus
    requested_by_id: int | None
    decided_by_id: int | None
    created_at: datetime
    decided_at: datetime | None


class ApiKeyCreate(InputModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    scopes: list[ApiKeyScope] = Field(default_factory=lambda: [ApiKeyScope.READ], min_length=1, max_length=2)
    expires_at: IsoDateTime | None = None


class ApiKeyRead(OutputModel):
    id: int
    organization_id: int
    name: str
    prefix: str
    scopes: list[ApiKeyScope]
    created_by_id: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The secret key. Shown only in this response; store it now.")
