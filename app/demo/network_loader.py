"""Loading the fixed part of the demo network: zones, organizations, accounts, memberships, grants.

Each part is looked up by its natural key first (zones by name under the city, organizations by
credit code, accounts by e-mail, memberships and grants by their pairs); only what is missing is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import REGION_BOUND_ROLES, MembershipStatus, RegionLevel
from app.core.security import hash_password
from app.demo.network import (
    ACCOUNTS,
    CITY,
    DEMO_ADMIN_EMAIL,
    DEMO_ADMIN_PASSWORD,
    DEMO_PASSWORD,
    HAIZHOU,
    ORGANIZATIONS,
    ZONES,
    owner_email,
)
from app.demo.summary import DemoSummary
from app.models import Membership, Organization, Region, RoleGrant, User
from app.users import service as users_service


class DemoDataUnavailable(RuntimeError):
    """The database lacks what the demo network hangs on (the seeded city and its districts)."""


@dataclass(frozen=True, slots=True)
class Placed:
    """A demo organization as stored: its id and region."""

    id: int
    region_id: int


async def has_demo_data(session: AsyncSession) -> bool:
    """Whether any demo organization exists (the marker `serve --demo` checks)."""
    codes = [spec.credit_code for spec in ORGANIZATIONS]
    return (
        await session.scalar(select(Organization.id).where(Organization.credit_code.in_(codes)).limit(1))
        is not None
    )


async def load_network(
    session: AsyncSession, now: datetime, summary: DemoSummary
) -> tuple[dict[str, Placed], dict[str, int]]:
    """The demo organizations by key and the demo accounts' user ids by e-mail, added where missing."""
    regions = await _regions(session, summary)
    admin_id = await _demo_admin(session, summary)
    organizations = await _organizations(session, regions, admin_id, now, summary)
    users = await _users(session, summary)
    await _memberships(session, organizations, users, admin_id, now, summary)
    await _role_grants(session, regions, users, admin_id, now, summary)
    return organizations, users


async def _regions(session: AsyncSession, summary: DemoSummary) -> dict[str, int]:
    """Region ids by code, and by name for the functional zones (added under the city if missing)."""
    rows = await session.execute(select(Region.code, Region.id).where(Region.code.like(f"{CITY[:4]}%")))
    regions: dict[str, int] = {code: region_id for code, region_id in rows if code is not None}
    if CITY not in regions or HAIZHOU not in regions:
        raise DemoDataUnavailable(f"the demo network needs the region {CITY} and its districts (migration 1)")
    statement = select(Region.name, Region.id).where(
        Region.parent_id == regions[CITY], Region.name.in_(ZONES)
    )
    regions |= dict((await session.execute(statement)).all())
    missing = [
        Region(code=None, name=name, level=RegionLevel.ZONE, parent_id=regions[CITY])
        for name in ZONES
        if name not in regions
    ]
    session.add_all(missing)
    await session.flush()
    regions |= {zone.name: zone.id for zone in missing}
    summary.regions += len(missing)
    return regions


async def _demo_admin(session: AsyncSession, summary: DemoSummary) -> int:
    existing = await session.scalar(select(User.id).where(User.email == DEMO_ADMIN_EMAIL))
    if existing is not None:
        return existing
    admin = await users_service.create_system_admin(
        session, email=DEMO_ADMIN_EMAIL, password=DEMO_ADMIN_PASSWORD, display_name="演示系统管理员"
    )
    summary.users += 1
    summary.role_grants += 1
    return admin.id


async def _organizations(
    session: AsyncSession, regions: dict[str, int], admin_id: int, now: datetime, summary: DemoSummary
) -> dict[str, Placed]:
    by_code = {spec.credit_code: spec for spec in ORGANIZATIONS}
    statement = select(Organization.credit_code, Organization.id, Organization.region_id)
    rows = await session.execute(statement.where(Organization.credit_code.in_(by_code)))
    placed = {by_code[code].key: Placed(org_id, region_id) for code, org_id, region_id in rows}
    phones = {account.organization: account.phone for account in ACCOUNTS}
    missing = [
        Organization(
            name=spec.name,
            kind=spec.kind,
            legal_person_type=spec.legal_person_type,
            credit_code=spec.credit_code,
            region_id=regions[spec.region],
            description=spec.description,
            contact_email=owner_email(spec.key),
            contact_phone=phones.get(spec.key),
            is_verified=True,
            verified_at=now,
            verified_by_id=admin_id,
        )
        for spec in ORGANIZATIONS
        if spec.key not in placed
    ]
    session.add_all(missing)
    await session.flush()
    placed |= {by_code[org.credit_code].key: Placed(org.id, org.region_id) for org in missing}
    summary.organizations += len(missing)
    return placed


async def _users(session: AsyncSession, summary: DemoSummary) -> dict[str, int]:
    emails = [account.email for account in ACCOUNTS]
    users = dict((await session.execute(select(User.email, User.id).where(User.email.in_(emails)))).all())
    missing = [account for account in ACCOUNTS if account.email not in users]
    if not missing:
        return users
    # One hash for every demo account: they share the documented password, and argon2 is slow on purpose.
    password_hash = await hash_password(DEMO_PASSWORD)
    created = [
        User(
            email=account.email,
            password_hash=password_hash,
            display_name=account.display_name,
            phone=account.phone,
        )
        for account in missing
    ]
    session.add_all(created)
    await session.flush()
    summary.users += len(created)
    return users | {user.email: user.id for user in created}


async def _memberships(
    session: AsyncSession,
    organizations: dict[str, Placed],
    users: dict[str, int],
    admin_id: int,
    now: datetime,
    summary: DemoSummary,
) -> None:
    wanted = {
        (users[account.email], organizations[account.organization].id): account.membership
        for account in ACCOUNTS
        if account.organization is not None
    }
    pairs = tuple_(Membership.user_id, Membership.organization_id)
    statement = select(Membership.user_id, Membership.organization_id).where(pairs.in_(list(wanted)))
    existing = set((await session.execute(statement)).all())
    missing = [
        Membership(
            user_id=user_id,
            organization_id=organization_id,
            role=role,
            status=MembershipStatus.ACTIVE,
            decided_by_id=admin_id,
            decided_at=now,
        )
        for (user_id, organization_id), role in wanted.items()
        if (user_id, organization_id) not in existing
    ]
    session.add_all(missing)
    await session.flush()
    summary.memberships += len(missing)


async def _role_grants(
    session: AsyncSession,
    regions: dict[str, int],
    users: dict[str, int],
    admin_id: int,
    now: datetime,
    summary: DemoSummary,
) -> None:
    holders = [account for account in ACCOUNTS if account.role is not None]
    statement = select(RoleGrant.user_id, RoleGrant.role, RoleGrant.region_id).where(
        RoleGrant.user_id.in_([users[account.email] for account in holders]), RoleGrant.revoked_at.is_(None)
    )
    existing = set((await session.execute(statement)).all())
    missing = []
    for account in holders:
        role = account.role
        if role is None:
            continue
        region_id = (
            regions[account.role_region] if role in REGION_BOUND_ROLES and account.role_region else None
        )
        if (users[account.email], role, region_id) in existing:
            continue
        missing.append(
            RoleGrant(
                user_id=users[account.email],
                role=role,
                region_id=region_id,
                broker_licence_no=account.broker_licence_no,
                broker_level=account.broker_level,
                granted_by_id=admin_id,
                granted_at=now,
            )
        )
    session.add_all(missing)
    await session.flush()
    summary.role_grants += len(missing)
