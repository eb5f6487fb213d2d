"""User rules: sign-up, profile changes, passwords, and who may grant or revoke platform roles."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as auth_service
from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.config import Settings
from app.core.enums import REGION_BOUND_ROLES, PlatformRole
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams, order_by
from app.core.security import hash_password
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.recording import AuditActor
from app.events.transitions import transition
from app.models import RoleGrant, User
from app.regions import service as regions
from app.users import repository
from app.users.schemas import (
    MembershipSummary,
    MeRead,
    PasswordChange,
    RoleGrantCreate,
    RoleGrantRead,
    UserCreate,
    UserRead,
    UserUpdate,
)

_AUDITED = ("email", "display_name", "phone", "is_active")
_GRANT_AUDITED = ("user_id", "role", "region_id", "broker_licence_no", "broker_level", "revoked_at")
SORTABLE = {"email": User.email, "created_at": User.created_at, "display_name": User.display_name}


async def list_users(
    session: AsyncSession, page: PageParams, *, q: str | None, role: PlatformRole | None, sort: str | None
) -> tuple[list[User], int]:
    """One page of the users matching `q` and holding `role`, and how many match."""
    statement = repository.search(q=q, role=role).order_by(*order_by(sort, SORTABLE, [User.id]))
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def role_grant_reads(session: AsyncSession, grants: Sequence[RoleGrant]) -> list[RoleGrantRead]:
    """Role grants with the names of the regions they are bound to (one statement, none if unbound)."""
    names = await regions.names(session, {g.region_id for g in grants if g.region_id is not None})
    return [
        RoleGrantRead.read(grant, region_name=names.get(grant.region_id) if grant.region_id else None)
        for grant in grants
    ]


async def me(session: AsyncSession, user: User) -> MeRead:
    """The signed-in user with the roles and memberships in force, named (their regions, their
    organizations)."""
    grants = await repository.role_grants(session, user.id, include_revoked=False)
    memberships = await repository.active_memberships(session, user.id)
    return MeRead.model_validate(
        {
            **UserRead.model_validate(user).model_dump(),
            "roles": await role_grant_reads(session, grants),
            "memberships": [
                MembershipSummary(
                    organization_id=membership.organization_id, organization_name=name, role=membership.role
                )
                for membership, name in memberships
            ],
        }
    )


async def list_role_grants(
    session: AsyncSession, user_id: int, page: PageParams, *, include_revoked: bool
) -> tuple[list[RoleGrant], int]:
    """One page of a user's role grants (in force, or all as history), oldest first, and their count."""
    statement = repository.role_grants_of(user_id, include_revoked=include_revoked)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def sign_up(session: AsyncSession, actor: AuditActor, data: UserCreate) -> User:
    if await repository.email_taken(session, data.email):
        raise Conflict("An account with this e-mail already exists", code="email_taken")
    user = User(
        email=data.email.lower(),
        password_hash=await hash_password(data.password),
        display_name=data.display_name,
        phone=data.phone,
        is_active=True,
    )
    session.add(user)
    await session.flush()
    await audit.record(
        session,
        AuditActor(user.id, None, actor.request_id, actor.client_address),
        "user.sign_up",
        entity_type="user",
        entity_id=user.id,
        after=audit.snapshot(user, _AUDITED),
    )
    return user


async def create_system_admin(session: AsyncSession, *, email: str, password: str, display_name: str) -> User:
    """The first administrator (from the command line): a user holding the system_admin role."""
    user = await sign_up(
        session, audit.SYSTEM_ACTOR, UserCreate(email=email, password=password, display_name=display_name)
    )
    grant = RoleGrant(user_id=user.id, role=PlatformRole.SYSTEM_ADMIN, granted_at=utcnow())
    session.add(grant)
    await session.flush()
    await audit.record(
        session,
        audit.SYSTEM_ACTOR,
        "role.grant",
        entity_type="role_grant",
        entity_id=grant.id,
        after=audit.snapshot(grant, _GRANT_AUDITED),
    )
    return user


async def get_visible_user(session: AsyncSession, principal: Principal, user_id: int) -> User:
    """City and system administrators see every user, a district administrator the members of its
    district's organizations, anyone else only themselves (others are 404)."""
    user = await repository.visible_user(session, user_id, principal.access.user_filter())
    if user is None:
        raise NotFound(msg("No user {user_id}", user_id=user_id))
    return user


async def update_profile(session: AsyncSession, principal: Principal, user: User, data: UserUpdate) -> User:
    before = audit.snapshot(user, _AUDITED)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("display_name", "") is None:
        raise ValidationFailed("display_name cannot be null", field="display_name")
    for name, value in changes.items():
        setattr(user, name, value)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "user.update",
        entity_type="user",
        entity_id=user.id,
        before=before,
        after=audit.snapshot(user, _AUDITED),
    )
    return user


async def change_password(
    session: AsyncSession, settings: Settings, principal: Principal, user: User, data: PasswordChange
) -> None:
    """New password; every session of the user is signed out."""
    await auth_service.confirm_password(
        session, settings, user=user, password=data.current_password, actor=principal.actor
    )
    user.password_hash = await hash_password(data.new_password)
    await auth_service.revoke_all_for_user(session, user.id, utcnow())
    await session.flush()
    await audit.record(
        session, principal.actor, "user.change_password", entity_type="user", entity_id=user.id
    )


async def grant_role(
    session: AsyncSession, principal: Principal, user: User, data: RoleGrantCreate
) -> RoleGrant:
    _check_may_manage(principal, data.role, data.region_id)
    _check_grant_fields(data)
    if data.region_id is not None:
        await regions.get_region(session, data.region_id)
    region_id = data.region_id if data.role in REGION_BOUND_ROLES else None
    await repository.lock_user(session, user.id)  # of two identical grants racing, the second sees the first
    if await repository.active_grant_exists(session, user.id, data.role, region_id):
        raise Conflict("The user already holds this role", code="role_already_granted")
    grant = RoleGrant(
        user_id=user.id,
        role=data.role,
        region_id=region_id,
        broker_licence_no=data.broker_licence_no if data.role == PlatformRole.BROKER else None,
        broker_level=data.broker_level if data.role == PlatformRole.BROKER else None,
        granted_by_id=principal.user_id,
        granted_at=utcnow(),
    )
    session.add(grant)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "role.grant",
        entity_type="role_grant",
        entity_id=grant.id,
        after=audit.snapshot(grant, _GRANT_AUDITED),
    )
    return grant


async def get_role_grant(session: AsyncSession, user: User, grant_id: int) -> RoleGrant:
    """One of `user`'s role grants (whoever may read the user reads its roles). A revoked grant is
    gone from its URL, as after any DELETE; the user's list of roles keeps it, with `revoked_at`."""
    grant = await session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id or grant.revoked_at is not None:
        raise NotFound(msg("No role grant {grant_id} for user {id}", grant_id=grant_id, id=user.id))
    return grant


async def revoke_role(session: AsyncSession, principal: Principal, user: User, grant_id: int) -> None:
    grant = await get_role_grant(session, user, grant_id)
    _check_may_manage(principal, grant.role, grant.region_id)
    if (
        grant.role == PlatformRole.SYSTEM_ADMIN
        and await repository.count_active_holders(session, grant.role) <= 1
    ):
        raise Conflict("The last system administrator cannot be revoked", code="last_system_admin")
    await transition(
        session,
        principal.actor,
        grant,
        "role.revoke",
        expected={"revoked_at": None},
        values={"revoked_at": utcnow(), "revoked_by_id": principal.user_id},
        audited=_GRANT_AUDITED,
        conflict=Conflict("The role grant is already revoked", code="already_revoked"),
    )


def _check_grant_fields(data: RoleGrantCreate) -> None:
    if data.role in REGION_BOUND_ROLES and data.region_id is None:
        raise ValidationFailed(
            msg("{role} must be bound to a region", role=data.role.value), field="region_id"
        )
    if data.role == PlatformRole.BROKER and not data.broker_licence_no:
        raise ValidationFailed("a broker needs a licence number", field="broker_licence_no")


def _check_may_manage(principal: Principal, role: PlatformRole, region_id: int | None) -> None:
    """System admins manage every role; city admins all but system_admin; a district admin manages
    brokers and the registrars of its own district."""
    if not principal.access.may_manage_role(role, region_id):
        raise Forbidden("Your role does not allow granting or revoking this role", code="role_required")


async def set_active(session: AsyncSession, principal: Principal, user: User, is_active: bool) -> User:
    """Deactivate (sessions end, sign-in refused) or reactivate an account (city/system admins)."""
    if user.id == principal.user_id:
        raise Forbidden("You cannot deactivate your own account", code="cannot_change_self")
    if not principal.access.may_set_active(await repository.active_roles(session, user.id)):
        raise Forbidden("Only a system administrator changes this account", code="role_required")
    if user.is_active == is_active:
        return user
    await transition(
        session,
        principal.actor,
        user,
        "user.activate" if is_active else "user.deactivate",
        expected={"is_active": not is_active},
        values={"is_active": is_active},
        audited=_AUDITED,
        conflict=Conflict("The account changed meanwhile; read it again", code="concurrent_change"),
    )
    if not is_active:
        await auth_service.revoke_all_for_user(session, user.id, utcnow())
    return user
