"""The worker's jobs and event consumers, for administrators: what is queued, retried or dead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.auth.dependencies import AdminDep
from app.core.enums import WorkStatus
from app.core.errors import NotFound
from app.core.pagination import Page, PageDep, page_of
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep
from app.db.repository import fetch_page
from app.jobs.schemas import ConsumerRead, JobRead
from app.models import EventCursor, Job

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
    statement = select(Job)
    for column, value in (
        (Job.status, status),
        (Job.kind, kind),
        (Job.entity_type, entity_type),
        (Job.entity_id, entity_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    statement = statement.order_by(Job.id.desc())
    items, total = await fetch_page(session, statement, limit=page.limit, offset=page.offset)
    return page_of([JobRead.model_validate(job) for job in items], total, page)


@router.get("/consumers", operation_id="list_event_consumers", responses=problem_responses(401, 403, 500))
async def list_event_consumers(session: SessionDep, _admin: AdminDep) -> list[ConsumerRead]:
    """Each event consumer's position in the event log, and its last error while it is stuck."""
    cursors = await session.scalars(select(EventCursor).order_by(EventCursor.consumer))
    return [ConsumerRead.model_validate(cursor) for cursor in cursors]


@router.get("/{job_id}", operation_id="get_job", responses=problem_responses(401, 403, 404, 422, 500))
async def get_job(job_id: EntityId, session: SessionDep, _admin: AdminDep) -> JobRead:
    """One background job."""
    job = await session.get(Job, job_id)
    if job is None:
        raise NotFound(f"No job {job_id}")
    return JobRead.model_validate(job)
