from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PrincipalDep
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import Membership, Organization
from app.organizations import memberships, service


async def _organization(organization_id: EntityId, session: SessionDep) -> Organization:
    return await service.get_organization(session, organization_id)


async def _membership(membership_id: EntityId, session: SessionDep, principal: PrincipalDep) -> Membership:
    return await memberships.get_membership(session, principal, membership_id)


OrganizationDep = Annotated[Organization, Depends(_organization)]
MembershipDep = Annotated[Membership, Depends(_membership)]
