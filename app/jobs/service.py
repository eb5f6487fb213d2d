"""Queries over the worker's jobs and event cursors for the administrators' API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import WorkStatus
from app.core.errors import NotFound
from app.core.i18n import msg
from app.core.pagination import PageParams
from app.db.repository import fetch_page
from app.models import EventCursor, Job


async def list_jobs(
    session: AsyncSession,
    page: PageParams,
    *,
    status: WorkStatus | None,
    kind: str | None,
    entity_type: str | None,
    entity_id: str | None,
) -> tuple[list[Job], int]:
    """One page of jobs, newest first, equal to every filter given, and how many there are."""
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
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def consumers(session: AsyncSession, page: PageParams) -> tuple[list[EventCursor], int]:
    """One page of the event consumers' cursors, by name, and how many consumers there are."""
    statement = select(EventCursor).order_by(EventCursor.consumer)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def get_job(session: AsyncSession, job_id: int) -> Job:
    job = await session.get(Job, job_id)
    if job is None:
        raise NotFound(msg("No job {job_id}", job_id=job_id))
    return job
