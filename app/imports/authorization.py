"""Who an import job acts as: its uploader, with the permissions the uploader has when the job runs.

A job may wait in the queue (or a worker may resume it) long after the upload; the uploader may have
been removed from the organization, deactivated, or its API key revoked meanwhile. So the job never
carries the request's Principal: the runner calls `authorize_import_job` with the stored job row and
gets a Principal read afresh from the database, or a DomainError that fails the job.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import identity
from app.auth.principal import Principal
from app.core.enums import ApiKeyScope
from app.core.errors import Forbidden, Unauthorized
from app.events.recording import AuditActor
from app.models import ApiKey, ImportJob


async def authorize_import_job(session: AsyncSession, job: ImportJob) -> Principal:
    """The uploader as of now, who must still be allowed to post for the job's organization."""
    actor = AuditActor(request_id=f"import-job-{job.id}")
    if job.created_by_id is not None:
        principal = await identity.user_principal(session, job.created_by_id, actor)
    else:
        principal = await _api_key_principal(session, job.created_by_api_key_id, actor)
    if not principal.access.is_member(job.organization_id):
        raise Forbidden(
            "The uploader no longer belongs to the organization; nothing was imported", code="not_member"
        )
    return principal


async def _api_key_principal(session: AsyncSession, api_key_id: int | None, actor: AuditActor) -> Principal:
    key = await session.get(ApiKey, api_key_id) if api_key_id is not None else None
    if key is None:
        raise Unauthorized("The API key that uploaded this import is gone", code="invalid_api_key")
    principal = identity.api_key_principal(key, actor)
    if ApiKeyScope.WRITE not in principal.scopes:
        raise Forbidden("This API key may only read", code="insufficient_scope")
    return principal
