from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import MembershipStatus, PlatformRole
from app.models import Membership, Organization, RoleGrant, User


async def email_taken(session: AsyncSession, email: str) -> bool:
    return await session.scalar(select(User.id).where(User.email == email.lower())) is not None


def search(*, q: str | None, role: PlatformRole | None) -> Select[User]:
    statement = select(User)
    if q:
        pattern = User.email.contains(q.lower(), autoescape=True) | User.display_name.contains(
            q, autoescape=True
        )
        statement = statement.where(pattern)
    if role is not None:
        holders = select(RoleGrant.user_id).where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None))
        statement = statement.where(User.id.in_(holders))
    return statement


async def visible_user(session: AsyncSession, user_id: int, visible: ColumnElement[bool]) -> User | None:
    return await session.scalar(select(User).where(User.id == user_id, visible))


async def active_roles(session: AsyncSession, user_id: int) -> set[PlatformRole]:
    statement = select(RoleGrant.role).where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None))
    return set(await session.scalars(statement))


def role_grants_of(user_id: int, *, include_revoked: bool) -> Select[RoleGrant]:
    statement = select(RoleGrant).where(RoleGrant.user_id == user_id)
    if not include_revoked:
        statement = statement.where(RoleGrant.revoked_at.is_(None))
    return statement.order_by(RoleGrant.id)


async def role_grants(session: AsyncSession, user_id: int, *, include_revoked: bool) -> list[RoleGrant]:
    return list(await session.scalars(role_grants_of(user_id, include_revoked=include_revoked)))


async def lock_user(session: AsyncSession, user_id: int) -> None:
    """SELECT ... FOR UPDATE on the user until the transaction ends: one role change of a user at a time.

    The unique index on active grants cannot catch duplicates without a region (NULLs are distinct)."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())


async def active_grant_exists(
    session: AsyncSession, user_id: int, role: PlatformRole, region_id: int | None
) -> bool:
    statement = select(RoleGrant.id).where(
        RoleGrant.user_id == user_id,
        RoleGrant.role == role,
        RoleGrant.revoked_at.is_(None),
        RoleGrant.region_id.is_(None) if region_id is None else RoleGrant.region_id == region_id,
    )
    return await session.scalar(statement) is not None


async def count_active_holders(session: AsyncSession, role: PlatformRole) -> int:
    """Locks the active grants (FOR UPDATE, in id order) until the transaction ends, so two revocations
    racing cannot both count the other's grant and leave no holder."""
    # A deactivated account cannot act, so it does not count as a holder.
    statement = (
        select(RoleGrant.user_id)
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == role, RoleGrant.revoked_at.is_(None), User.is_active.is_(True))
        .order_by(RoleGrant.id)
        .with_for_update(of=RoleGrant)
    )
    return len(set(await session.scalars(statement)))


async def active_memberships(session: AsyncSession, user_id: int) -> list[tuple[Membership, str]]:
    """The user's active memberships with their organizations' names."""
    statement = (
        select(Membership, Organization.name)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.organization_id)
    )
    return [(membership, name) for membership, name in (await session.execute(statement)).all()]
