"""The authenticated caller as services see it: who acts (for the audit log) and, in `access`, what
it may do (see app.auth.access)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.auth.access import ADMIN_MEMBERSHIP_ROLES, ANONYMOUS, Access, RegionCoverage
from app.core.enums import ApiKeyScope, MembershipRole, PlatformRole
from app.core.errors import Forbidden
from app.events.recording import AuditActor

__all__ = ["ADMIN_MEMBERSHIP_ROLES", "Principal", "RoleAssignment", "access_of"]


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
    coverage: RegionCoverage = field(default_factory=RegionCoverage)
    access: Access = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Built once from the facts above; a frozen dataclass sets it through object.__setattr__.
        access = Access(
            user_id=self.user_id,
            is_machine=self.api_key_id is not None,
            memberships=self.memberships,
            roles=frozenset(assignment.role for assignment in self.roles),
            coverage=self.coverage,
        )
        object.__setattr__(self, "access", access)

    @property
    def is_machine(self) -> bool:
        return self.api_key_id is not None

    def has_role(self, *roles: PlatformRole) -> bool:
        return self.access.has_role(*roles)

    def role_regions(self, role: PlatformRole) -> set[int]:
        return {a.region_id for a in self.roles if a.role == role and a.region_id is not None}

    @property
    def is_platform_admin(self) -> bool:
        """City and system administrators see and manage the whole network."""
        return self.access.everywhere

    def member_role(self, organization_id: int) -> MembershipRole | None:
        return self.memberships.get(organization_id)

    def is_member(self, organization_id: int) -> bool:
        return self.access.is_member(organization_id)

    def administers_organization(self, organization_id: int) -> bool:
        return self.access.administers_organization(organization_id)

    def require_user(self) -> int:
        """The user id; machine clients cannot do what only a person may (e.g. accept an invitation)."""
        if self.user_id is None:
            raise Forbidden("This action needs a signed-in user, not an API key", code="user_required")
        return self.user_id


def access_of(principal: Principal | None) -> Access:
    """The caller's access; an anonymous caller reads what is public and nothing else."""
    return ANONYMOUS if principal is None else principal.access
