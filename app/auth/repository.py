"""Queries for authentication: users by e-mail, tokens by digest, keys by prefix, role grants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import MembershipRole, MembershipStatus
from app.models import ApiKey, Membership, RefreshToken, RoleGrant, User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.lower()))


async def active_role_grants(session: AsyncSession, user_id: int) -> list[RoleGrant]:
    statement = select(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None))
    return list(await session.scalars(statement))


async def active_memberships(session: AsyncSession, user_id: int) -> dict[int, MembershipRole]:
    statement = select(Membership.organization_id, Membership.role).where(
        Membership.user_id == user_id, Membership.status == MembershipStatus.ACTIVE
    )
    rows = await session.execute(statement)
    return {row.organization_id: row.role for row in rows}


async def session_is_live(session: AsyncSession, family_id: str, user_id: int) -> bool:
    """A login session lives while its refresh-token family (of this user) has an unrevoked token."""
    statement = select(RefreshToken.id).where(
        RefreshToken.family_id == family_id,
        RefreshToken.user_id == user_id,
        RefreshToken.revoked_at.is_(None),
    )
    return await session.scalar(statement.limit(1)) is not None


async def refresh_token_by_digest(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    return await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_all_for_user(session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
