"""The authenticated caller as services see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.core.enums import ApiKeyScope, MembershipRole, PlatformRole
from app.core.errors import Forbidden
from app.events.recording import AuditActor

ADMIN_MEMBERSHIP_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})


@dataclass(frozen=True, slots=True)
class RoleAssignment:
    role: PlatformRole
    region_id: int | None


@dataclass(frozen=True, slots=True)
class Principal:
    actor: AuditActor
    user_id: int | None = None
    api_key_id: int | None = None
    roles: frozenset[RoleAssignment] = frozenset()
    # Active memberships only: organization id -> role in it.
    memberships: Mapping[int, MembershipRole] = field(default_factory=dict)
    scopes: frozenset[ApiKeyScope] = frozenset({ApiKeyScope.READ, ApiKeyScope.WRITE})

    @property
    def is_machine(self) -> bool:
        return self.api_key_id is not None

    def has_role(self, *roles: PlatformRole) -> bool:
        return any(assignment.role in roles for assignment in self.roles)

    def role_regions(self, role: PlatformRole) -> set[int]:
        return {a.region_id for a in self.roles if a.role == role and a.region_id is not None}

    @property
    def is_platform_admin(self) -> bool:
        """City and system administrators see and manage the whole network."""
        return self.has_role(PlatformRole.CITY_ADMIN, PlatformRole.SYSTEM_ADMIN)

    def member_role(self, organization_id: int) -> MembershipRole | None:
        return self.memberships.get(organization_id)

    def is_member(self, organization_id: int) -> bool:
        return organization_id in self.memberships

    def administers_organization(self, organization_id: int) -> bool:
        return self.memberships.get(organization_id) in ADMIN_MEMBERSHIP_ROLES

    def require_user(self) -> int:
        """The user id; machine clients cannot do what only a person may (e.g. accept an invitation)."""
        if self.user_id is None:
            raise Forbidden("This action needs a signed-in user, not an API key", code="user_required")
        return self.user_id
