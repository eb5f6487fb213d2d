from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import MembershipStatus, OrganizationKind
from app.models import ApiKey, Membership, Organization, User


async def names(session: AsyncSession, organization_ids: Collection[int]) -> dict[int, str]:
    if not organization_ids:
        return {}
    statement = select(Organization.id, Organization.name).where(
        Organization.id.in_(sorted(set(organization_ids)))
    )
    return {row.id: row.name for row in await session.execute(statement)}


async def user_names(session: AsyncSession, user_ids: Collection[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    statement = select(User.id, User.display_name).where(User.id.in_(sorted(set(user_ids))))
    return {row.id: row.display_name for row in await session.execute(statement)}


async def credit_code_taken(session: AsyncSession, credit_code: str) -> bool:
    return (
        await session.scalar(select(Organization.id).where(Organization.credit_code == credit_code))
        is not None
    )


def search(
    *,
    q: str | None,
    kind: OrganizationKind | None,
    region_ids: set[int] | None,
    is_verified: bool | None,
) -> Select[Organization]:
    statement = select(Organization)
    if q:
        statement = statement.where(
            Organization.name.contains(q, autoescape=True) | (Organization.credit_code == q.upper())
        )
    if kind is not None:
        statement = statement.where(Organization.kind == kind)
    if region_ids is not None:
        statement = statement.where(Organization.region_id.in_(region_ids))
    if is_verified is not None:
        statement = statement.where(Organization.is_verified.is_(is_verified))
    return statement


async def membership(session: AsyncSession, user_id: int, organization_id: int) -> Membership | None:
    statement = select(Membership).where(
        Membership.user_id == user_id, Membership.organization_id == organization_id
    )
    return await session.scalar(statement)


def members(organization_id: int, statuses: list[MembershipStatus] | None) -> Select[Membership]:
    statement = select(Membership).where(Membership.organization_id == organization_id)
    if statuses:
        statement = statement.where(Membership.status.in_(statuses))
    return statement


def memberships_of_user(user_id: int, status: MembershipStatus | None) -> Select[Membership]:
    statement = select(Membership).where(Membership.user_id == user_id)
    if status is not None:
        statement = statement.where(Membership.status == status)
    return statement


def api_keys(organization_id: int) -> Select[ApiKey]:
    return select(ApiKey).where(ApiKey.organization_id == organization_id)
