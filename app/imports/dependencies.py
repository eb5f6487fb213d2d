from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import PrincipalDep
from app.core.errors import NotFound
from app.core.i18n import msg
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import ImportJob


async def _visible_job(job_id: EntityId, session: SessionDep, principal: PrincipalDep) -> ImportJob:
    """A job is its organization's: anyone else gets 404."""
    job = await session.get(ImportJob, job_id)
    if job is None or not principal.is_member(job.organization_id):
        raise NotFound(msg("No import {job_id}", job_id=job_id))
    return job


VisibleJobDep = Annotated[ImportJob, Depends(_visible_job)]
