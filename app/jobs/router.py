"""The worker's jobs and event consumers, for administrators: what is queued, retried or dead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth.dependencies import AdminDep
from app.core.enums import WorkStatus
from app.core.pagination import Page, PageDep, page_of
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep
from app.jobs import service
from app.jobs.schemas import ConsumerRead, JobRead

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", operation_id="list_jobs", responses=problem_responses(401, 403, 422, 500))
async def list_jobs(
    session: SessionDep,
    _admin: AdminDep,
    page: PageDep,
    status: Annotated[WorkStatus | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=80, pattern=NO_NUL_PATTERN)] = None,
    entity_type: Annotated[str | None, Query(max_length=50, pattern=NO_NUL_PATTERN)] = None,
    entity_id: Annotated[str | None, Query(max_length=50, pattern=NO_NUL_PATTERN)] = None,
) -> Page[JobRead]:
    """Background jobs, newest first; `status=dead` lists the ones the worker gave up on."""
    items, total = await service.list_jobs(
        session, page, status=status, kind=kind, entity_type=entity_type, entity_id=entity_id
    )
    return page_of([JobRead.model_validate(job) for job in items], total, page)


@router.get(
    "/consumers", operation_id="list_event_consumers", responses=problem_responses(401, 403, 422, 500)
)
async def list_event_consumers(session: SessionDep, _admin: AdminDep, page: PageDep) -> Page[ConsumerRead]:
    """Each event consumer's position in the event log, and its last error while it is stuck."""
    cursors, total = await service.consumers(session, page)
    return page_of([ConsumerRead.model_validate(cursor) for cursor in cursors], total, page)


@router.get("/{job_id}", operation_id="get_job", responses=problem_responses(401, 403, 404, 422, 500))
async def get_job(job_id: EntityId, session: SessionDep, _admin: AdminDep) -> JobRead:
    """One background job."""
    return JobRead.model_validate(await service.get_job(session, job_id))
