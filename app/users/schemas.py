from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from app.core.enums import REGION_BOUND_ROLES, BrokerLevel, MembershipRole, PlatformRole
from app.core.schemas import (
    Email,
    EntityId,
    InputModel,
    OutputModel,
    Password,
    PhoneNumber,
    cross_field_rules,
)

DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class UserCreate(InputModel):
    email: Email
    password: Password
    display_name: DisplayName
    phone: PhoneNumber | None = None


class UserUpdate(InputModel):
    display_name: DisplayName | SkipJsonSchema[None] = None  # omit it to keep it; null is refused
    phone: PhoneNumber | None = None


class PasswordChange(InputModel):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=False)]
    new_password: Password


class UserRead(OutputModel):
    id: int
    email: str
    display_name: str
    phone: str | None
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class RoleGrantCreate(InputModel):
    """A platform role for a user. Region-bound roles (district_admin, registrar) need `region_id`;
    broker needs `broker_licence_no` (422 otherwise)."""

    # What the service requires per role, said in the schema too (JSON Schema `if`/`then`).
    model_config = cross_field_rules(
        {
            "if": {"properties": {"role": {"enum": [r.value for r in sorted(REGION_BOUND_ROLES)]}}},
            "then": {"required": ["region_id"], "properties": {"region_id": {"type": "integer"}}},
        },
        {
            "if": {"properties": {"role": {"const": PlatformRole.BROKER.value}}},
            "then": {
                "required": ["broker_licence_no"],
                "properties": {"broker_licence_no": {"type": "string"}},
            },
        },
    )

    role: PlatformRole
    region_id: EntityId | None = Field(default=None, description="Required for registrar and district_admin")
    broker_licence_no: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = Field(
        default=None, description="Required for broker"
    )
    broker_level: BrokerLevel | None = None


class RoleGrantRead(OutputModel):
    id: int
    user_id: int
    role: PlatformRole
    region_id: int | None
    region_name: str | None = Field(description="The region the role is bound to, if any")
    broker_licence_no: str | None
    broker_level: BrokerLevel | None
    granted_by_id: int | None
    granted_at: datetime
    revoked_at: datetime | None


class MembershipSummary(OutputModel):
    organization_id: int
    organization_name: str
    role: MembershipRole


class MeRead(UserRead):
    roles: list[RoleGrantRead]
    memberships: list[MembershipSummary]


class UserStatusUpdate(InputModel):
    is_active: StrictBool
