from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth.dependencies import PrincipalDep, SettingsDep
from app.core.clock import utcnow
from app.core.errors import NotFound
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.imports.jobs import JobRegistry, abandoned, fail_abandoned
from app.models import ImportJob


def _registry(request: Request) -> JobRegistry:
    registry: JobRegistry = request.app.state.import_jobs
    return registry


RegistryDep = Annotated[JobRegistry, Depends(_registry)]


async def _visible_job(
    job_id: EntityId,
    session: SessionDep,
    principal: PrincipalDep,
    registry: RegistryDep,
    settings: SettingsDep,
) -> ImportJob:
    """A job is its organization's: anyone else gets 404. A job whose runner died is failed here."""
    job = await session.get(ImportJob, job_id)
    if job is None or not principal.is_member(job.organization_id):
        raise NotFound(f"No import {job_id}")
    dialect = session.get_bind().dialect.name
    if abandoned(
        job, registry, dialect=dialect, now=utcnow(), stale_seconds=settings.import_job_stale_seconds
    ):
        await fail_abandoned(session, job)
    return job


VisibleJobDep = Annotated[ImportJob, Depends(_visible_job)]
