"""API keys for an organization's machine clients: shown once, stored as a digest, revocable."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import API_KEY_MARK
from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams
from app.core.security import digest, new_secret
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.models import ApiKey, Organization
from app.organizations import repository
from app.organizations.memberships import require_org_admin
from app.organizations.schemas import ApiKeyCreate

_AUDITED = ("organization_id", "name", "prefix", "scopes", "expires_at", "revoked_at")


async def list_keys(
    session: AsyncSession, principal: Principal, organization: Organization, page: PageParams
) -> tuple[list[ApiKey], int]:
    """One page of the organization's keys, oldest first, for its owners and admins."""
    require_org_admin(principal, organization)
    statement = repository.api_keys(organization.id).order_by(ApiKey.id)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def create(
    session: AsyncSession, principal: Principal, organization: Organization, data: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """The new key and its secret text, which is never stored or shown again."""
    require_org_admin(principal, organization)
    user_id = principal.require_user()
    if data.expires_at is not None and data.expires_at <= utcnow():
        raise ValidationFailed("expires_at must be a future time", field="expires_at")
    prefix = secrets.token_hex(6)
    secret = new_secret()
    key = ApiKey(
        organization_id=organization.id,
        name=data.name,
        prefix=prefix,
        key_hash=digest(secret),
        scopes=sorted({scope.value for scope in data.scopes}),
        created_by_id=user_id,
        created_at=utcnow(),
        expires_at=data.expires_at,
    )
    session.add(key)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "api_key.create",
        entity_type="api_key",
        entity_id=key.id,
        after=audit.snapshot(key, _AUDITED),
    )
    return key, f"{API_KEY_MARK}{prefix}_{secret}"


async def get_key(
    session: AsyncSession, principal: Principal, organization: Organization, key_id: int
) -> ApiKey:
    """One of the organization's keys (never its secret), for its owners and admins. A revoked key
    is gone from its URL, as after any DELETE (RFC 9110, 9.3.5); lists keep it, with `revoked_at`,
    as the organization's history."""
    require_org_admin(principal, organization)
    key = await session.get(ApiKey, key_id)
    if key is None or key.organization_id != organization.id or key.revoked_at is not None:
        raise NotFound(msg("No API key {key_id}", key_id=key_id))
    return key


async def revoke(
    session: AsyncSession, principal: Principal, organization: Organization, key_id: int
) -> None:
    key = await get_key(session, principal, organization, key_id)
    await transition(
        session,
        principal.actor,
        key,
        "api_key.revoke",
        expected={"revoked_at": None},
        values={"revoked_at": utcnow(), "revoked_by_id": principal.user_id},
        audited=_AUDITED,
        conflict=Conflict("The API key is already revoked", code="already_revoked"),
    )
